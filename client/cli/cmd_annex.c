/*
 * cmd_annex.c: `csperf annex-a`: Ofsted's Annex A child-level lists, one CSV
 * file per list, each written to a temporary name and renamed when whole.
 */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csperf/scorecards.h>

#include "cli.h"

static const char *const annex_lists[] = {
	"contacts", "early_help", "referrals", "assessments", "section47", "children_in_need",
	"child_protection", "children_in_care", "care_leavers", "adoption",
};

#define NLISTS (sizeof(annex_lists) / sizeof(annex_lists[0]))

static int on_header(const char *title, size_t n, const char *const *columns, void *ctx)
{
	(void)title;
	output_csv_row(ctx, columns, n);
	return 0;
}

static int on_row(size_t n, const char *const *values, void *ctx)
{
	output_csv_row(ctx, values, n);
	return ferror((FILE *)ctx) ? 1 : 0;
}

const char cmd_annex_a_help[] =
"Usage: csperf annex-a --council CODE --as-at YYYY-MM-DD --out DIR\n"
"\n"
"Writes Ofsted's Annex A child-level lists (1 to 10; csperf holds no adopters'\n"
"records for list 11) as of a date, usually the day before the inspection, one\n"
"CSV file per list in DIR: events over the six months to the date, caseloads\n"
"open at any time in them. Child-level data: analysts and admins only.\n";

int cmd_annex_a(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_annex_a_help;
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "as-at", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const output_column columns[] = {
		{ "list", "List", OUTPUT_TEXT }, { "rows", "Rows", OUTPUT_INTEGER },
		{ "file", "File", OUTPUT_TEXT },
	};
	const char *council = NULL, *as_at = NULL, *dir = NULL;
	output_result *result = NULL;
	csperf_client *client;
	int opt, rc = CLI_EXIT_OK;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': council = optarg; break;
		case 'a': as_at = optarg; break;
		case 'o': dir = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf annex-a: unknown option '%s'\n%s", argv[optind - 1], usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (council == NULL || as_at == NULL || dir == NULL) {
		fprintf(stderr, "csperf annex-a: --council, --as-at and --out are required\n%s", usage);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("annex-a", council) != 0 ||
	    cli_check_date("annex-a", "--as-at", as_at) != 0)
		return CLI_EXIT_USAGE;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "csperf annex-a: cannot make %s: %s\n", dir, strerror(errno));
		return CLI_EXIT_LOCAL;
	}
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	result = output_result_new(columns, 3, 0);
	for (size_t i = 0; i < NLISTS && rc == CLI_EXIT_OK; i++) {
		char path[4096], tmp[4112], rows[32];
		uint64_t count = 0;
		FILE *out;
		int sdk;

		snprintf(path, sizeof(path), "%s/%02zu_%s.csv", dir, i + 1, annex_lists[i]);
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		/* The lists hold children's data: readable by the caller only. */
		out = fopen(tmp, "w");
		if (out == NULL) {
			fprintf(stderr, "csperf annex-a: cannot write %s: %s\n", tmp, strerror(errno));
			rc = CLI_EXIT_LOCAL;
			break;
		}
		chmod(tmp, 0600);
		sdk = csperf_child_list_get(client, annex_lists[i], council, as_at, on_header, on_row,
					    out, &count);
		if (fclose(out) != 0 && sdk == CSPERF_OK) {
			fprintf(stderr, "csperf annex-a: cannot write %s: %s\n", tmp, strerror(errno));
			rc = CLI_EXIT_LOCAL;
		} else if (sdk != CSPERF_OK) {
			rc = cli_fail(sdk);
		} else if (rename(tmp, path) != 0) {
			fprintf(stderr, "csperf annex-a: cannot rename %s: %s\n", tmp, strerror(errno));
			rc = CLI_EXIT_LOCAL;
		}
		if (rc != CLI_EXIT_OK) {
			remove(tmp);
			break;
		}
		snprintf(rows, sizeof(rows), "%llu", (unsigned long long)count);
		if (result != NULL) {
			const char *values[3] = { annex_lists[i], rows, path };

			output_result_add(result, values);
		}
	}
	if (rc == CLI_EXIT_OK && result != NULL)
		rc = cli_print(g, result);
	output_result_free(result);
	csperf_client_free(client);
	return rc;
}
