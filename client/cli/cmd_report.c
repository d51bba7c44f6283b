/*
 * cmd_report.c: `csperf report`: a council's performance for one period as
 * one self-contained HTML file for a committee. This file fetches what the
 * report is made of (the scorecard, the exceptions, the definitions and a
 * series per indicator) and runs the command; report_page.c writes the page,
 * report_chart.c its charts and report_text.c its words and figures.
 *
 * The page holds everything it needs (inline CSS and SVG; no scripts, fonts,
 * images or links to fetch). RAG is always written as a word as well as
 * shown in colour. Every string from csperfd is escaped. The file is written
 * beside its destination and renamed into place, so a report that fails
 * half-way never replaces a good one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

/* ---- what the report is made of ---- */

const csperf_indicator *report_definition_of(const report *r, const char *indicator_id)
{
	for (size_t i = 0; i < r->definitions->count; i++)
		if (strcmp(r->definitions->indicators[i].indicator_id, indicator_id) == 0)
			return &r->definitions->indicators[i];
	return NULL;
}

const csperf_scorecard_row *report_row_of(const report *r, const char *indicator_id)
{
	for (size_t i = 0; i < r->scorecard->nrows; i++)
		if (strcmp(r->scorecard->rows[i].indicator_id, indicator_id) == 0)
			return &r->scorecard->rows[i];
	return NULL;
}

/* The type of the report's period, from its label and dates. */
static const char *period_type_of(const csperf_scorecard *sc)
{
	int start_year, start_month, end_year, end_month, day;

	if (strncmp(sc->period, "r12:", 4) == 0)
		return "rolling12";
	if (strncmp(sc->period, "ytd:", 4) == 0)
		return "ytd";
	if (strstr(sc->period, ":Q") != NULL)
		return "quarter";
	if (report_parse_date(sc->period_start, &start_year, &start_month, &day) &&
	    report_parse_date(sc->period_end, &end_year, &end_month, &day) &&
	    start_year == end_year && start_month == end_month)
		return "month";
	return "year";
}

/* How many periods a chart shows: two years of quarters, a year and a
 * month of months, five years. */
size_t report_recent_count(const char *type)
{
	if (strcmp(type, "quarter") == 0)
		return 8;
	if (strcmp(type, "year") == 0)
		return 5;
	return 13;
}

static int report_fetch(csperf_client *client, report *r)
{
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	const csperf_scorecard *sc;
	char to[40];
	int rc;

	query.council = r->council;
	query.period = r->period;
	rc = csperf_scorecard_get(client, &query, &r->scorecard);
	if (rc == CSPERF_OK)
		rc = csperf_exceptions_get(client, r->council, r->period, &r->exceptions);
	if (rc == CSPERF_OK)
		rc = csperf_indicators_list(client, NULL, &r->definitions);
	if (rc != CSPERF_OK)
		return cli_fail(rc);
	sc = r->scorecard;
	rc = cli_check_data("report", sc);
	if (rc != 0)
		return rc;
	r->series_type = period_type_of(sc);
	r->series = calloc(sc->nrows + 1, sizeof(*r->series));
	if (r->series == NULL) {
		fprintf(stderr, "csperf report: out of memory\n");
		return CLI_EXIT_LOCAL;
	}
	/* A year such as 2010-11 could be read as a month: say which. */
	snprintf(to, sizeof(to), "%s%s",
		 strcmp(r->series_type, "year") == 0 && strncmp(sc->period, "fy:", 3) != 0
		 ? "fy:" : "", sc->period);
	for (size_t i = 0; i < sc->nrows; i++) {
		if (sc->rows[i].suppressed)
			r->caller_suppressed = true;
		if (r->series_denied)
			continue;
		rc = csperf_series_get(client, r->council, sc->rows[i].indicator_id,
				       r->series_type, NULL, to, &r->series[i]);
		/* The scorecard was allowed, so this is the role (a reader's):
		 * the charts make do with the scorecard's own periods. */
		if (rc == CSPERF_EPERM) {
			fprintf(stderr, "csperf report: this token may not read series; the charts "
				"show this year's periods only\n");
			r->series_denied = true;
			continue;
		}
		if (rc != CSPERF_OK)
			return cli_fail(rc);
	}
	return CLI_EXIT_OK;
}

static void report_free(report *r)
{
	if (r->series != NULL && r->scorecard != NULL)
		for (size_t i = 0; i < r->scorecard->nrows; i++)
			csperf_series_free(r->series[i]);
	free(r->series);
	csperf_indicator_list_free(r->definitions);
	csperf_exceptions_free(r->exceptions);
	csperf_scorecard_free(r->scorecard);
}

static void format_now(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL) {
		snprintf(out, size, "(unknown time)");
		return;
	}
	snprintf(out, size, "%d %s %d at %02d:%02d", tm.tm_mday, report_month_names[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

const char cmd_report_help[] =
"Usage: csperf report --council CODE --period PERIOD --out FILE.html\n"
"\n"
"A council's performance for one period as one HTML file for a committee:\n"
"the exceptions first (each with its criteria and why), then each stage's\n"
"scorecard (last year, this year's quarters, the period's value, target, RAG,\n"
"direction of travel, comparator) with a chart of recent periods per\n"
"indicator. The file needs nothing else to show or print: open it in a\n"
"browser and print it to A4 (landscape) or PDF. PERIOD: 2018-19:Q4,\n"
"2018-19, 2019-01, r12:2019-03, ytd:2019-01. --out - writes to standard\n"
"output. The file is written beside FILE and renamed into place, so a failed\n"
"run leaves any earlier report as it was. See docs/REPORT.md.\n";

int cmd_report(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_report_help;
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' },
		{ "period", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	report r;
	const char *out = NULL;
	csperf_client *client;
	int opt, rc;

	memset(&r, 0, sizeof(r));
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': r.council = optarg; break;
		case 'p': r.period = optarg; break;
		case 'o': out = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf report: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (r.council == NULL || r.period == NULL || out == NULL || out[0] == '\0' ||
	    optind < argc) {
		fprintf(stderr, "csperf report: --council, --period and --out are required\n%s",
			usage);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("report", r.council) != 0 ||
	    cli_check_period("report", "--period", r.period) != 0)
		return CLI_EXIT_USAGE;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	format_now(r.generated_at, sizeof(r.generated_at));
	rc = report_fetch(client, &r);
	if (rc == CLI_EXIT_OK)
		rc = report_write_file(&r, out);
	report_free(&r);
	csperf_client_free(client);
	return rc;
}
