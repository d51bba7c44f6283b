/*
 * cmd_loads.c: `csperf loads list` (a council's loads, newest first) and
 * `csperf loads delete` (one load's records; the versions it replaced become
 * current again).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csperf/loads.h>

#include "cli.h"

const char cmd_loads_help[] =
"Usage: csperf loads list --council CODE [--limit N]\n"
"       csperf loads delete --council CODE --id LOAD\n"
"\n"
"list shows a council's loads, newest first. delete removes exactly one load's\n"
"records; earlier versions of the records it had replaced become current again.\n";

static int loads_list(const cli_globals *g, const char *council, unsigned int limit)
{
	static const output_column columns[] = {
		{ "load_id", "Load", OUTPUT_INTEGER },
		{ "created_at", "Created", OUTPUT_TEXT },
		{ "source", "Source", OUTPUT_TEXT },
		{ "label", "Label", OUTPUT_TEXT },
		{ "accepted", "Accepted", OUTPUT_INTEGER },
		{ "rejected", "Rejected", OUTPUT_INTEGER },
	};
	csperf_client *client = cli_client(g);
	csperf_load_list *list = NULL;
	output_result *result = NULL;
	int rc;

	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_load_list_get(client, council, limit, &list);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	result = output_result_new(columns, 6, 0);
	for (size_t i = 0; result != NULL && i < list->count; i++) {
		const csperf_load_summary *s = &list->loads[i];
		char id[32], accepted[32], rejected[32];
		const char *values[6] = { id, s->created_at, s->source, s->label, accepted, rejected };

		snprintf(id, sizeof(id), "%lld", (long long)s->load_id);
		snprintf(accepted, sizeof(accepted), "%llu", (unsigned long long)s->accepted);
		snprintf(rejected, sizeof(rejected), "%llu", (unsigned long long)s->rejected);
		output_result_add(result, values);
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
cleanup:
	output_result_free(result);
	csperf_load_list_free(list);
	csperf_client_free(client);
	return rc;
}

static int loads_delete(const cli_globals *g, const char *council, long long id)
{
	csperf_client *client = cli_client(g);
	uint64_t deleted = 0, restored = 0;
	int rc;

	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_load_delete(client, council, id, &deleted, &restored);
	if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	else
		printf("Load %lld deleted: %llu records removed, %llu earlier versions current "
		       "again.\n", id, (unsigned long long)deleted, (unsigned long long)restored);
	csperf_client_free(client);
	return rc;
}

int cmd_loads(const cli_globals *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' },
		{ "limit", required_argument, NULL, 'L' },
		{ "id", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *council = NULL, *action;
	long long id = 0;
	long limit = 0;
	int opt;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(cmd_loads_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	action = argv[1];
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': council = optarg; break;
		case 'L': limit = strtol(optarg, NULL, 10); break;
		case 'i': id = strtoll(optarg, NULL, 10); break;
		case 'h':
			fputs(cmd_loads_help, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf loads: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind],
				cmd_loads_help);
			return CLI_EXIT_USAGE;
		}
	}
	if (council == NULL) {
		fprintf(stderr, "csperf loads: --council is required\n%s", cmd_loads_help);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("loads", council) != 0)
		return CLI_EXIT_USAGE;
	if (strcmp(action, "list") == 0) {
		if (limit < 0 || limit > 1000) {
			fprintf(stderr, "csperf loads list: --limit must be from 1 to 1000\n");
			return CLI_EXIT_USAGE;
		}
		return loads_list(g, council, (unsigned int)limit);
	}
	if (strcmp(action, "delete") == 0) {
		if (id <= 0) {
			fprintf(stderr, "csperf loads delete: --id must be a load's number\n");
			return CLI_EXIT_USAGE;
		}
		return loads_delete(g, council, id);
	}
	fprintf(stderr, "csperf loads: unknown action '%s'\n%s", action, cmd_loads_help);
	return CLI_EXIT_USAGE;
}
