/*
 * main.c: the csperf tool: global options, then one command. Built only on
 * the public SDK (csperf/csperf.h), as curl's tool is on libcurl.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
	{ "info", "show csperfd's version, schema version, database status and uptime", cmd_info },
	{ "health", "ask whether csperfd and its database are serving", cmd_health },
	{ "load", "load SSDA903, CIN census or csperf CSV files", cmd_load },
	{ "loads", "list a council's loads, or delete one", cmd_loads },
	{ "scorecard", "a council's scorecard for a period: value, target, RAG, direction", cmd_scorecard },
	{ "exceptions", "the indicators a committee must discuss, and why", cmd_exceptions },
	{ "costs", "placement costs against budget for a financial year; `costs export` every line", cmd_costs },
	{ "report", "a committee report for a period as one HTML file, ready to print", cmd_report },
	{ "indicators", "list, show or put indicator definitions", cmd_indicators },
	{ "series", "an indicator's values over time", cmd_series },
	{ "cases", "the cases behind a figure, and why each counts", cmd_cases },
	{ "annex-a", "Ofsted's Annex A child-level lists as CSV files", cmd_annex_a },
	{ "comparators", "load or import (DfE files) published figures to compare with", cmd_comparators },
	{ "council", "set a council's name, nation, region and statistical neighbours", cmd_council },
	{ "reconcile", "csperf's figures beside the DfE's published ones for a council and year", cmd_reconcile },
	{ "token", "create, list or revoke bearer tokens (admin)", cmd_token },
	{ "audit", "read the audit trail of calls (admin)", cmd_audit },
	{ "watch", "follow a scorecard: a line per change, until interrupted", cmd_watch },
	{ "validate", "apply the DfE's validation rules to SSDA903 or CIN census files", cmd_validate },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out,
"Usage: csperf [global options] COMMAND [options]\n"
"\n"
"csperf talks to csperfd, the children's services performance server.\n"
"\n"
"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
"\n"
"Global options (environment variable in brackets; a flag wins):\n"
"  -s, --server ADDR   csperfd's address [CSPERF_SERVER] (default %s);\n"
"                      several: host1:50051,host2:50051 (balanced, fail over)\n"
"      --token TOKEN   bearer token [CSPERF_TOKEN]\n"
"      --tls-ca FILE   speak TLS; csperfd's certificate is signed by a CA in\n"
"                      this PEM file [CSPERF_TLS_CA]\n"
"      --tls-cert FILE a PEM client certificate, for a csperfd that asks for\n"
"                      one [CSPERF_TLS_CLIENT_CERT]\n"
"      --tls-key FILE  its PEM private key [CSPERF_TLS_CLIENT_KEY]\n"
"      --timeout S     seconds each call may take [CSPERF_TIMEOUT] (default %d)\n"
"  -f, --format FMT    table, json or csv (default table)\n"
"  -h, --help          this text; `csperf COMMAND --help` for a command\n"
"  -V, --version       csperf's version\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  bad usage\n"
"  2  csperfd answered with an error, or is not serving\n"
"  3  csperfd could not be reached, or did not answer in time\n"
"  4  no valid token, or the token does not allow it\n"
"  5  input records were rejected\n"
"  6  a local problem (a file, memory, writing the output)\n",
		CSPERF_DEFAULT_SERVER, CSPERF_DEFAULT_TIMEOUT_MS / 1000);
}

csperf_client *cli_client(const cli_globals *globals)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = globals->server;
	options.token = globals->token;
	options.timeout_ms = globals->timeout_ms;
	options.tls_ca_file = globals->tls_ca;
	options.tls_cert_file = globals->tls_cert;
	options.tls_key_file = globals->tls_key;
	if (csperf_client_new(&client, &options) != CSPERF_OK) {
		fprintf(stderr, "csperf: %s\n", csperf_error_last());
		return NULL;
	}
	return client;
}

int cli_fail(int code)
{
	fprintf(stderr, "csperf: %s\n", csperf_error_last());
	switch (code) {
	case CSPERF_EUNAVAILABLE:
	case CSPERF_ETIMEOUT:
		/* A database that is down is the server's problem, not reachability. */
		return strstr(csperf_error_last(), "cannot reach") != NULL ||
		       code == CSPERF_ETIMEOUT ? CLI_EXIT_UNREACHABLE : CLI_EXIT_SERVER;
	case CSPERF_EAUTH:
	case CSPERF_EPERM:
		return CLI_EXIT_DENIED;
	case CSPERF_ENOMEM:
		return CLI_EXIT_LOCAL;
	default:
		return CLI_EXIT_SERVER;
	}
}

int cli_print(const cli_globals *globals, const output_result *result)
{
	if (output_result_print(result, globals->format, stdout) != 0) {
		fprintf(stderr, "csperf: cannot write the output: %s\n", strerror(errno));
		return CLI_EXIT_LOCAL;
	}
	return CLI_EXIT_OK;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *value = getenv(name);

	return value != NULL && value[0] != '\0' ? value : fallback;
}

static int parse_timeout(const char *text, long long *out_ms)
{
	char *end;
	double seconds;

	errno = 0;
	seconds = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || seconds <= 0 || seconds > 86400)
		return -1;
	*out_ms = (long long)(seconds * 1000.0 + 0.5);
	if (*out_ms < 1)
		*out_ms = 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "server", required_argument, NULL, 's' },
		{ "token", required_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "tls-ca", required_argument, NULL, 'C' },
		{ "tls-cert", required_argument, NULL, 'E' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	cli_globals globals;
	const char *timeout = env_or("CSPERF_TIMEOUT", NULL);
	int opt;

	memset(&globals, 0, sizeof(globals));
	globals.server = env_or("CSPERF_SERVER", CSPERF_DEFAULT_SERVER);
	globals.token = env_or("CSPERF_TOKEN", NULL);
	globals.tls_ca = env_or("CSPERF_TLS_CA", NULL);
	globals.tls_cert = env_or("CSPERF_TLS_CLIENT_CERT", NULL);
	globals.tls_key = env_or("CSPERF_TLS_CLIENT_KEY", NULL);
	globals.format = OUTPUT_TABLE;
	opterr = 0;
	/* '+': stop at the command; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+:s:f:hV", options, NULL)) != -1) {
		switch (opt) {
		case 's': globals.server = optarg; break;
		case 'T': globals.token = optarg; break;
		case 'C': globals.tls_ca = optarg; break;
		case 'E': globals.tls_cert = optarg; break;
		case 'K': globals.tls_key = optarg; break;
		case 't': timeout = optarg; break;
		case 'f':
			if (output_format_parse(optarg, &globals.format) != 0) {
				fprintf(stderr, "csperf: --format must be table, json or csv, not '%s'\n",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("csperf %s\n", csperf_version());
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf: %s '%s'; see csperf --help\n",
				opt == ':' ? "missing value for" : "unknown option",
				argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (timeout != NULL && parse_timeout(timeout, &globals.timeout_ms) != 0) {
		fprintf(stderr, "csperf: --timeout must be a number of seconds, not '%s'\n", timeout);
		return CLI_EXIT_USAGE;
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			return commands[i].run(&globals, argc - optind, argv + optind);
	fprintf(stderr, "csperf: unknown command '%s'; see csperf --help\n", argv[optind]);
	return CLI_EXIT_USAGE;
}
