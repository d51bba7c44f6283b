/*
 * cmd_reconcile.c: `csperf reconcile --council C --year 2023-24`: for each
 * indicator the DfE publishes, csperf's figure from the council's records
 * beside the DfE's published figure for the same council and year, and the
 * difference. A table for people, JSON or CSV for programs (output.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <csperf/scorecards.h>

#include "cli.h"

static void number_text(csperf_figure f, char *out, size_t size)
{
	if (f.present)
		snprintf(out, size, "%.10g", f.value);
	else
		out[0] = '\0';
}

const char cmd_reconcile_help[] =
"Usage: csperf reconcile --council CODE --year YEAR\n"
"\n"
"For each indicator the DfE publishes (csperf comparators import), csperf's\n"
"figure for the financial year YEAR (2023-24) computed from the council's\n"
"records, beside the DfE's published figure for the same council and year,\n"
"and the difference (csperf minus published). A published figure that is a\n"
"DfE symbol (c suppressed, x not available, ...) shows the symbol.\n";

int cmd_reconcile(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_reconcile_help;
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "year", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	static const output_column columns[] = {
		{ "indicator_id", "ID", OUTPUT_TEXT }, { "title", "Indicator", OUTPUT_TEXT },
		{ "unit", "Unit", OUTPUT_TEXT }, { "csperf", "csperf", OUTPUT_NUMBER },
		{ "published", "Published", OUTPUT_NUMBER }, { "symbol", "Symbol", OUTPUT_TEXT },
		{ "difference", "Difference", OUTPUT_NUMBER }, { "source", "Source", OUTPUT_TEXT },
	};
	const char *council = NULL, *year = NULL;
	csperf_reconcile *r = NULL;
	csperf_client *client;
	output_result *result;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': council = optarg; break;
		case 'y': year = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf reconcile: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (council == NULL || year == NULL || optind < argc) {
		fprintf(stderr, "csperf reconcile: --council and --year are required\n%s", usage);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("reconcile", council) != 0 ||
	    cli_check_year("reconcile", "--year", year) != 0)
		return CLI_EXIT_USAGE;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_reconcile_get(client, council, year, &r);
	csperf_client_free(client);
	if (rc != CSPERF_OK)
		return cli_fail(rc);
	result = output_result_new(columns, sizeof(columns) / sizeof(columns[0]), 0);
	for (size_t i = 0; result != NULL && i < r->count; i++) {
		const csperf_reconcile_row *row = &r->rows[i];
		char mine[32], published[32], difference[32];
		const char *values[8];

		number_text(row->csperf, mine, sizeof(mine));
		number_text(row->published, published, sizeof(published));
		number_text(row->difference, difference, sizeof(difference));
		values[0] = row->indicator_id;
		values[1] = row->title;
		values[2] = row->unit;
		values[3] = row->csperf.present ? mine : NULL;
		values[4] = row->published.present ? published : NULL;
		values[5] = row->symbol[0] != '\0' ? row->symbol : NULL;
		values[6] = row->difference.present ? difference : NULL;
		values[7] = row->source[0] != '\0' ? row->source : NULL;
		if (output_result_add(result, values) != 0) {
			output_result_free(result);
			result = NULL;
		}
	}
	if (result == NULL) {
		csperf_reconcile_free(r);
		fprintf(stderr, "csperf reconcile: out of memory\n");
		return CLI_EXIT_LOCAL;
	}
	if (g->format == OUTPUT_TABLE)
		printf("Council %s, %s: csperf's figures beside the DfE's published figures\n\n",
		       r->council, r->year);
	rc = cli_print(g, result);
	output_result_free(result);
	csperf_reconcile_free(r);
	return rc;
}
