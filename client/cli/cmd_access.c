/*
 * cmd_access.c: `csperf token create|list|revoke` and `csperf audit`, for
 * admin tokens. A new token is printed once; csperfd keeps only its hash.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csperf/access.h>

#include "cli.h"

/* The most --council or --locality flags one token takes. */
#define MAX_LIST 200

const char cmd_token_help[] =
"Usage: csperf token create --role ROLE --name NAME [--council CODE]... [--locality NAME]...\n"
"       csperf token list [--all]\n"
"       csperf token revoke --id ID\n"
"\n"
"create makes a bearer token and prints it once: csperfd keeps only its hash.\n"
"ROLE is admin (every council), loader, analyst, reader, finance or scrutiny;\n"
"every role but admin needs --council, once per council (LA code), and may be\n"
"narrowed with --locality. list shows the valid tokens (--all: revoked too);\n"
"revoke stops a token at once. Admin tokens only.\n";

const char cmd_audit_help[] =
"Usage: csperf audit [--since WHEN] [--principal NAME] [--council CODE] [--limit N]\n"
"\n"
"Shows the audit trail, newest first: every call to csperfd but health checks,\n"
"who made it, for which council, how many rows it returned and how it ended.\n"
"WHEN is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); --limit is 1 to 1000\n"
"(default 100). Admin tokens only.\n";

/* Joins n strings with commas into buf. */
static const char *join(const char *const *items, size_t n, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i > 0 ? "," : "", items[i]);
	return buf;
}

static int parse_count(const char *text, long min, long max, long *out)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
		return -1;
	*out = value;
	return 0;
}

static int token_create(const cli_globals *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "council", required_argument, NULL, 'c' },
		{ "locality", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const output_column columns[] = {
		{ "token", "Token", OUTPUT_TEXT },
		{ "id", "Id", OUTPUT_INTEGER },
		{ "name", "Name", OUTPUT_TEXT },
		{ "role", "Role", OUTPUT_TEXT },
		{ "councils", "Councils", OUTPUT_TEXT },
		{ "localities", "Localities", OUTPUT_TEXT },
	};
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	const char *councils[MAX_LIST], *localities[MAX_LIST];
	csperf_client *client = NULL;
	csperf_token_secret *secret = NULL;
	output_result *result = NULL;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'r': opts.role = optarg; break;
		case 'n': opts.name = optarg; break;
		case 'c':
		case 'l':
			if ((opt == 'c' ? opts.ncouncils : opts.nlocalities) == MAX_LIST) {
				fprintf(stderr, "csperf token create: at most %d of each\n", MAX_LIST);
				return CLI_EXIT_USAGE;
			}
			if (opt == 'c')
				councils[opts.ncouncils++] = optarg;
			else
				localities[opts.nlocalities++] = optarg;
			break;
		case 'h':
			fputs(cmd_token_help, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf token create: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				cmd_token_help);
			return CLI_EXIT_USAGE;
		}
	}
	if (opts.role == NULL || opts.name == NULL || optind < argc) {
		fprintf(stderr, "csperf token create: --role and --name are required\n%s",
			cmd_token_help);
		return CLI_EXIT_USAGE;
	}
	opts.councils = councils;
	opts.localities = localities;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_token_create(client, &opts, &secret);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	{
		char id[32], council_text[2048], locality_text[2048];
		const char *values[6] = {
			secret->token, id, secret->info.name, secret->info.role,
			join(secret->info.councils, secret->info.ncouncils, council_text,
			     sizeof(council_text)),
			join(secret->info.localities, secret->info.nlocalities, locality_text,
			     sizeof(locality_text)),
		};

		snprintf(id, sizeof(id), "%lld", (long long)secret->info.id);
		result = output_result_new(columns, 6, 1);
		rc = result != NULL && output_result_add(result, values) == 0
			? cli_print(g, result) : CLI_EXIT_LOCAL;
	}
	if (rc == CLI_EXIT_OK)
		fprintf(stderr, "csperf: the token is shown this once: keep it secret\n");
cleanup:
	output_result_free(result);
	csperf_token_secret_free(secret);
	csperf_client_free(client);
	return rc;
}

static int token_list(const cli_globals *g, int include_revoked)
{
	static const output_column columns[] = {
		{ "id", "Id", OUTPUT_INTEGER },
		{ "name", "Name", OUTPUT_TEXT },
		{ "role", "Role", OUTPUT_TEXT },
		{ "councils", "Councils", OUTPUT_TEXT },
		{ "localities", "Localities", OUTPUT_TEXT },
		{ "created_at", "Created", OUTPUT_TEXT },
		{ "created_by", "Created by", OUTPUT_TEXT },
		{ "revoked_at", "Revoked", OUTPUT_TEXT },
	};
	csperf_client *client = cli_client(g);
	csperf_token_list *list = NULL;
	output_result *result = NULL;
	int rc;

	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_token_list_get(client, include_revoked, &list);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	result = output_result_new(columns, 8, 0);
	for (size_t i = 0; result != NULL && i < list->count; i++) {
		const csperf_token *t = &list->tokens[i];
		char id[32], council_text[2048], locality_text[2048];
		const char *values[8] = {
			id, t->name, t->role,
			t->ncouncils > 0 ? join(t->councils, t->ncouncils, council_text,
						sizeof(council_text)) : "(all)",
			join(t->localities, t->nlocalities, locality_text, sizeof(locality_text)),
			t->created_at, t->created_by, t->revoked_at,
		};

		snprintf(id, sizeof(id), "%lld", (long long)t->id);
		if (output_result_add(result, values) != 0) {
			output_result_free(result);
			result = NULL;
		}
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
cleanup:
	output_result_free(result);
	csperf_token_list_free(list);
	csperf_client_free(client);
	return rc;
}

static int token_revoke(const cli_globals *g, long long id)
{
	csperf_client *client = cli_client(g);
	int rc;

	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_token_revoke(client, id);
	if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	else
		printf("Token %lld revoked.\n", id);
	csperf_client_free(client);
	return rc;
}

int cmd_token(const cli_globals *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "id", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *action;
	int include_revoked = 0, opt;
	long id = 0;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(cmd_token_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	action = argv[1];
	if (strcmp(action, "create") == 0)
		return token_create(g, argc - 1, argv + 1);
	if (strcmp(action, "list") != 0 && strcmp(action, "revoke") != 0) {
		fprintf(stderr, "csperf token: unknown action '%s'\n%s", action, cmd_token_help);
		return CLI_EXIT_USAGE;
	}
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'a': include_revoked = 1; break;
		case 'i':
			if (parse_count(optarg, 1, 0x7fffffffL, &id) != 0) {
				fprintf(stderr, "csperf token revoke: --id must be a token's number\n");
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(cmd_token_help, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf token %s: %s '%s'\n%s", action,
				opt == ':' ? "missing value for" : "unknown option", argv[optind],
				cmd_token_help);
			return CLI_EXIT_USAGE;
		}
	}
	if (strcmp(action, "list") == 0)
		return token_list(g, include_revoked);
	if (id <= 0) {
		fprintf(stderr, "csperf token revoke: --id is required\n%s", cmd_token_help);
		return CLI_EXIT_USAGE;
	}
	return token_revoke(g, id);
}

int cmd_audit(const cli_globals *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "since", required_argument, NULL, 's' },
		{ "principal", required_argument, NULL, 'p' },
		{ "council", required_argument, NULL, 'c' },
		{ "limit", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const output_column columns[] = {
		{ "at", "At", OUTPUT_TEXT },
		{ "principal", "Principal", OUTPUT_TEXT },
		{ "method", "Method", OUTPUT_TEXT },
		{ "council", "Council", OUTPUT_TEXT },
		{ "parameters", "Parameters", OUTPUT_TEXT },
		{ "rows_returned", "Rows", OUTPUT_INTEGER },
		{ "status", "Status", OUTPUT_TEXT },
		{ "peer", "Peer", OUTPUT_TEXT },
	};
	csperf_audit_options opts = CSPERF_AUDIT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_audit_list *list = NULL;
	output_result *result = NULL;
	long limit = 0;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 's': opts.since = optarg; break;
		case 'p': opts.principal = optarg; break;
		case 'c': opts.council = optarg; break;
		case 'L':
			if (parse_count(optarg, 1, 1000, &limit) != 0) {
				fprintf(stderr, "csperf audit: --limit must be from 1 to 1000\n");
				return CLI_EXIT_USAGE;
			}
			opts.limit = (unsigned int)limit;
			break;
		case 'h':
			fputs(cmd_audit_help, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf audit: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				cmd_audit_help);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "csperf audit: unexpected '%s'\n%s", argv[optind], cmd_audit_help);
		return CLI_EXIT_USAGE;
	}
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_audit_get(client, &opts, &list);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	result = output_result_new(columns, 8, 0);
	for (size_t i = 0; result != NULL && i < list->count; i++) {
		const csperf_audit_entry *e = &list->entries[i];
		const char *method = strrchr(e->method, '/');
		char rows[32];
		const char *values[8] = {
			e->at, e->principal, method != NULL ? method + 1 : e->method, e->council,
			e->parameters, e->rows_returned >= 0 ? rows : NULL, e->status, e->peer,
		};

		snprintf(rows, sizeof(rows), "%lld", (long long)e->rows_returned);
		if (output_result_add(result, values) != 0) {
			output_result_free(result);
			result = NULL;
		}
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
cleanup:
	output_result_free(result);
	csperf_audit_list_free(list);
	csperf_client_free(client);
	return rc;
}
