/* cmd_info.c: `csperf info` and `csperf health`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Parses a command with no options but --help (and the ones in extra).
 * Returns -1 to go on, or an exit code. */
static int simple_options(int argc, char **argv, const char *usage_text,
			  const char **service)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "service", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage_text, stdout);
			return CLI_EXIT_OK;
		}
		if (opt == 'S' && service != NULL) {
			*service = optarg;
			continue;
		}
		fprintf(stderr, "csperf %s: unknown option '%s'\n%s", argv[0], argv[optind - 1],
			usage_text);
		return CLI_EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "csperf %s: unexpected '%s'\n%s", argv[0], argv[optind], usage_text);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

const char cmd_info_help[] =
"Usage: csperf info\n"
"\n"
"Shows csperfd's version, schema version, database status and\n"
"uptime. Exit status 0 when csperfd answered.\n";

const char cmd_health_help[] =
"Usage: csperf health [--service NAME]\n"
"\n"
"Runs the standard gRPC health check. Prints SERVING or NOT_SERVING;\n"
"exit status 0 only when SERVING.\n";

int cmd_info(const cli_globals *globals, int argc, char **argv)
{
	static const output_column columns[] = {
		{ "server", "Server", OUTPUT_TEXT },
		{ "server_version", "Server version", OUTPUT_TEXT },
		{ "schema_version", "Schema version", OUTPUT_INTEGER },
		{ "database_status", "Database", OUTPUT_TEXT },
		{ "database_version", "PostgreSQL", OUTPUT_TEXT },
		{ "database_mode", "Database mode", OUTPUT_TEXT },
		{ "uptime_seconds", "Uptime (s)", OUTPUT_INTEGER },
		{ "client_version", "Client version", OUTPUT_TEXT },
	};
	csperf_client *client;
	csperf_server_info *info = NULL;
	output_result *result;
	char schema[32], uptime[32];
	int rc;

	rc = simple_options(argc, argv, cmd_info_help, NULL);
	if (rc >= 0)
		return rc;
	client = cli_client(globals);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_server_info_get(client, &info);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		csperf_client_free(client);
		return rc;
	}
	snprintf(schema, sizeof(schema), "%lld", (long long)info->schema_version);
	snprintf(uptime, sizeof(uptime), "%lld", (long long)info->uptime_seconds);
	{
		const char *values[] = {
			csperf_client_server(client), info->server_version, schema,
			info->database_status, info->database_version, info->database_mode,
			uptime, csperf_version(),
		};

		result = output_result_new(columns, sizeof(columns) / sizeof(columns[0]), 1);
		rc = result != NULL && output_result_add(result, values) == 0
			? cli_print(globals, result) : CLI_EXIT_LOCAL;
	}
	output_result_free(result);
	csperf_server_info_free(info);
	csperf_client_free(client);
	return rc;
}

int cmd_health(const cli_globals *globals, int argc, char **argv)
{
	static const output_column columns[] = {
		{ "service", "Service", OUTPUT_TEXT },
		{ "status", "Status", OUTPUT_TEXT },
	};
	const char *service = "";
	csperf_client *client;
	csperf_health health = CSPERF_HEALTH_UNKNOWN;
	output_result *result;
	const char *status;
	int rc;

	rc = simple_options(argc, argv, cmd_health_help, &service);
	if (rc >= 0)
		return rc;
	client = cli_client(globals);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_health_check(client, service, &health);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		csperf_client_free(client);
		return rc;
	}
	status = health == CSPERF_HEALTH_SERVING ? "SERVING"
		: health == CSPERF_HEALTH_NOT_SERVING ? "NOT_SERVING" : "UNKNOWN";
	{
		const char *values[] = { service[0] != '\0' ? service : "(server)", status };

		result = output_result_new(columns, 2, 1);
		rc = result != NULL && output_result_add(result, values) == 0
			? cli_print(globals, result) : CLI_EXIT_LOCAL;
	}
	output_result_free(result);
	csperf_client_free(client);
	if (rc == CLI_EXIT_OK && health != CSPERF_HEALTH_SERVING)
		rc = CLI_EXIT_SERVER;
	return rc;
}
