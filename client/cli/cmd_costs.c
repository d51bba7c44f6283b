/*
 * cmd_costs.c: `csperf costs` (placement costs for a financial year as at a
 * day, in total or by a grouping) and `csperf costs export` (every cost line
 * of the year as CSV, streamed as it arrives).
 *
 * Money arrives in whole pence and is printed from them with integer
 * arithmetic: pounds and pence in the table and the export, pence as JSON
 * integers and CSV columns named _pence. Nothing passes through a double.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include <csperf/costs.h>

#include "cli.h"

/* With no --timeout, an export may take this long (a large council's year is
 * a million lines and more). */
#define EXPORT_TIMEOUT_MS (30LL * 60 * 1000)

typedef struct costs_args {
	const char *council, *year, *as_at, *by, *out;
	int64_t threshold_pence;
} costs_args;

/* "placement-type" or "placement_type" -> "placement_type"; NULL if none. */
static const char *grouping_name(const char *by)
{
	static const char *const names[] = {
		"placement_type", "provider", "locality", "budget_line", NULL
	};
	size_t len = strlen(by);
	char normal[32];

	if (len >= sizeof(normal))
		return NULL;
	for (size_t i = 0; i <= len; i++)
		normal[i] = by[i] == '-' ? '_' : by[i];
	for (size_t i = 0; names[i] != NULL; i++)
		if (strcmp(normal, names[i]) == 0)
			return names[i];
	return NULL;
}

/* Parses pounds a week, "5000" or "5000.50", into pence (above 0). */
static int parse_threshold(const char *text, int64_t *pence)
{
	int64_t value = 0;
	size_t i = 0, decimals = 0;
	bool point = false;

	for (; text[i] != '\0'; i++) {
		if (text[i] == '.' && !point && i > 0) {
			point = true;
		} else if (text[i] >= '0' && text[i] <= '9' && i < 16 && decimals < 2) {
			value = value * 10 + (text[i] - '0');
			decimals += point;
		} else {
			return -1;
		}
	}
	if (i == 0 || (point && decimals == 0))
		return -1;
	for (; decimals < 2; decimals++)
		value *= 10;
	*pence = value;
	return value > 0 ? 0 : -1;
}

static int parse_args(int argc, char **argv, const char *usage, bool export, costs_args *a)
{
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' },
		{ "year", required_argument, NULL, 'y' },
		{ "as-at", required_argument, NULL, 'a' },
		{ "by", required_argument, NULL, 'b' },
		{ "threshold", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': a->council = optarg; break;
		case 'y': a->year = optarg; break;
		case 'a': a->as_at = optarg; break;
		case 'b':
			if (export)
				goto unknown;
			a->by = grouping_name(optarg);
			if (a->by == NULL) {
				fprintf(stderr, "csperf costs: --by must be placement-type, provider, "
					"locality or budget-line, not '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 't':
			if (export)
				goto unknown;
			if (parse_threshold(optarg, &a->threshold_pence) != 0) {
				fprintf(stderr, "csperf costs: --threshold must be pounds a week, such as "
					"5000 or 5000.50, not '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'o':
			if (!export)
				goto unknown;
			a->out = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
		unknown:
			fprintf(stderr, "csperf costs: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (a->council == NULL || a->year == NULL || optind < argc) {
		fprintf(stderr, "csperf costs: --council and --year are required\n%s", usage);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("costs", a->council) != 0 ||
	    cli_check_year("costs", "--year", a->year) != 0 ||
	    cli_check_date("costs", "--as-at", a->as_at) != 0)
		return CLI_EXIT_USAGE;
	return -1;
}

/* ---- csperf costs ---- */

static json_t *figures_json(const csperf_cost_figures *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "actual_pence", json_integer(f->actual_pence));
	json_object_set_new(o, "committed_pence", json_integer(f->committed_pence));
	json_object_set_new(o, "forecast_pence", json_integer(f->forecast_pence));
	json_object_set_new(o, "gross_forecast_pence", json_integer(f->gross_forecast_pence));
	json_object_set_new(o, "health_forecast_pence", json_integer(f->health_forecast_pence));
	json_object_set_new(o, "education_forecast_pence",
			    json_integer(f->education_forecast_pence));
	json_object_set_new(o, "budget_pence",
			    f->has_budget ? json_integer(f->budget_pence) : json_null());
	json_object_set_new(o, "variance_pence",
			    f->has_budget ? json_integer(f->variance_pence) : json_null());
	json_object_set_new(o, "variance_percent", f->variance_percent[0] != '\0'
			    ? json_real(strtod(f->variance_percent, NULL)) : json_null());
	json_object_set_new(o, "children", json_integer(f->children));
	json_object_set_new(o, "placements", json_integer(f->placements));
	json_object_set_new(o, "open_placements", json_integer(f->open_placements));
	json_object_set_new(o, "average_weekly_cost_pence",
			    json_integer(f->average_weekly_cost_pence));
	json_object_set_new(o, "over_threshold_placements",
			    json_integer(f->over_threshold_placements));
	json_object_set_new(o, "over_threshold_actual_pence",
			    json_integer(f->over_threshold_actual_pence));
	json_object_set_new(o, "over_threshold_forecast_pence",
			    json_integer(f->over_threshold_forecast_pence));
	return o;
}

static int print_costs_json(const csperf_costs *c)
{
	json_t *root = json_object(), *groups = json_array();
	int rc;

	json_object_set_new(root, "council", json_string(c->council));
	json_object_set_new(root, "financial_year", json_string(c->financial_year));
	json_object_set_new(root, "year_start", json_string(c->year_start));
	json_object_set_new(root, "year_end", json_string(c->year_end));
	json_object_set_new(root, "as_at", json_string(c->as_at));
	json_object_set_new(root, "group_by", c->group_by[0] != '\0' ? json_string(c->group_by)
			    : json_null());
	json_object_set_new(root, "threshold_pence", json_integer(c->threshold_pence));
	json_object_set_new(root, "total", figures_json(&c->total));
	for (size_t i = 0; i < c->ngroups; i++) {
		json_t *g = figures_json(&c->groups[i].figures);

		json_object_set_new(g, "key", json_string(c->groups[i].key));
		json_array_append_new(groups, g);
	}
	json_object_set_new(root, "groups", groups);
	rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
		? CLI_EXIT_OK : CLI_EXIT_LOCAL;
	fputc('\n', stdout);
	json_decref(root);
	return rc;
}

#define CSV_COLUMNS 18

static const output_column csv_columns[CSV_COLUMNS] = {
	{ "group", "Group", OUTPUT_TEXT },
	{ "actual_pence", "Actual", OUTPUT_INTEGER },
	{ "committed_pence", "Committed", OUTPUT_INTEGER },
	{ "forecast_pence", "Forecast", OUTPUT_INTEGER },
	{ "gross_forecast_pence", "Gross", OUTPUT_INTEGER },
	{ "health_forecast_pence", "Health", OUTPUT_INTEGER },
	{ "education_forecast_pence", "Education", OUTPUT_INTEGER },
	{ "budget_pence", "Budget", OUTPUT_INTEGER },
	{ "variance_pence", "Variance", OUTPUT_INTEGER },
	{ "variance_percent", "Variance %", OUTPUT_NUMBER },
	{ "children", "Children", OUTPUT_INTEGER },
	{ "placements", "Placements", OUTPUT_INTEGER },
	{ "open_placements", "Open", OUTPUT_INTEGER },
	{ "average_weekly_cost_pence", "Average weekly", OUTPUT_INTEGER },
	{ "over_threshold_placements", "Over threshold", OUTPUT_INTEGER },
	{ "over_threshold_actual_pence", "Their actual", OUTPUT_INTEGER },
	{ "over_threshold_forecast_pence", "Their forecast", OUTPUT_INTEGER },
	{ "threshold_pence", "Threshold", OUTPUT_INTEGER },
};

static int add_csv_row(output_result *result, const char *group, const csperf_cost_figures *f,
		       int64_t threshold)
{
	const int64_t numbers[] = {
		f->actual_pence, f->committed_pence, f->forecast_pence, f->gross_forecast_pence,
		f->health_forecast_pence, f->education_forecast_pence, f->budget_pence,
		f->variance_pence, 0, f->children, f->placements, f->open_placements,
		f->average_weekly_cost_pence, f->over_threshold_placements,
		f->over_threshold_actual_pence, f->over_threshold_forecast_pence, threshold,
	};
	char text[CSV_COLUMNS][24];
	const char *values[CSV_COLUMNS];

	values[0] = group;
	for (size_t i = 0; i < CSV_COLUMNS - 1; i++) {
		snprintf(text[i], sizeof(text[i]), "%" PRId64, numbers[i]);
		values[i + 1] = text[i];
	}
	if (!f->has_budget)
		values[7] = values[8] = NULL;
	values[9] = f->variance_percent[0] != '\0' ? f->variance_percent : NULL;
	return output_result_add(result, values);
}

#define TABLE_COLUMNS 11

static const output_column table_columns[TABLE_COLUMNS] = {
	{ "group", "", OUTPUT_TEXT },
	{ "actual", "Actual", OUTPUT_NUMBER },
	{ "committed", "Committed", OUTPUT_NUMBER },
	{ "forecast", "Forecast", OUTPUT_NUMBER },
	{ "budget", "Budget", OUTPUT_NUMBER },
	{ "variance", "Variance", OUTPUT_NUMBER },
	{ "variance_percent", "Var %", OUTPUT_NUMBER },
	{ "children", "Children", OUTPUT_INTEGER },
	{ "placements", "Placements", OUTPUT_INTEGER },
	{ "average_weekly", "Avg weekly", OUTPUT_NUMBER },
	{ "over", "Over threshold (forecast)", OUTPUT_NUMBER },
};

static int add_table_row(output_result *result, const char *group, const csperf_cost_figures *f)
{
	char text[TABLE_COLUMNS][48], spend[40];
	const char *values[TABLE_COLUMNS];

	values[0] = group;
	output_pence_as_pounds(f->actual_pence, true, text[1], sizeof(text[1]));
	output_pence_as_pounds(f->committed_pence, true, text[2], sizeof(text[2]));
	output_pence_as_pounds(f->forecast_pence, true, text[3], sizeof(text[3]));
	output_pence_as_pounds(f->budget_pence, true, text[4], sizeof(text[4]));
	output_pence_as_pounds(f->variance_pence, true, text[5], sizeof(text[5]));
	snprintf(text[6], sizeof(text[6]), "%s", f->variance_percent);
	snprintf(text[7], sizeof(text[7]), "%" PRId64, f->children);
	snprintf(text[8], sizeof(text[8]), "%" PRId64, f->placements);
	output_pence_as_pounds(f->average_weekly_cost_pence, true, text[9], sizeof(text[9]));
	output_pence_as_pounds(f->over_threshold_forecast_pence, true, spend, sizeof(spend));
	snprintf(text[10], sizeof(text[10]), "%" PRId64 " (%s)", f->over_threshold_placements,
		 spend);
	for (size_t i = 1; i < TABLE_COLUMNS; i++)
		values[i] = text[i];
	if (!f->has_budget)
		values[4] = values[5] = NULL;
	if (f->variance_percent[0] == '\0')
		values[6] = NULL;
	if (f->open_placements == 0)
		values[9] = NULL;
	return output_result_add(result, values);
}

static const char *group_label(const char *key)
{
	return key[0] != '\0' ? key : "not recorded";
}

static int print_costs(output_format format, const csperf_costs *c)
{
	bool table = format == OUTPUT_TABLE;
	output_result *result = table ? output_result_new(table_columns, TABLE_COLUMNS, 0)
				       : output_result_new(csv_columns, CSV_COLUMNS, 0);
	char threshold[32];
	int rc = 0;

	if (result == NULL) {
		fprintf(stderr, "csperf: out of memory\n");
		return CLI_EXIT_LOCAL;
	}
	for (size_t i = 0; i < c->ngroups && rc == 0; i++)
		rc = table ? add_table_row(result, group_label(c->groups[i].key), &c->groups[i].figures)
			   : add_csv_row(result, group_label(c->groups[i].key), &c->groups[i].figures,
					 c->threshold_pence);
	if (rc == 0)
		rc = table ? add_table_row(result, "Total", &c->total)
			   : add_csv_row(result, "total", &c->total, c->threshold_pence);
	if (rc != 0) {
		output_result_free(result);
		fprintf(stderr, "csperf: out of memory\n");
		return CLI_EXIT_LOCAL;
	}
	if (table) {
		output_pence_as_pounds(c->threshold_pence, true, threshold, sizeof(threshold));
		printf("Placement costs of council %s, %s (%s to %s), as at %s\n", c->council,
		       c->financial_year, c->year_start, c->year_end, c->as_at);
		printf("Pounds, net of health and education contributions; forecast = actual + "
		       "committed to %s; threshold %s a week.\n\n", c->year_end, threshold);
	}
	rc = output_result_print(result, format, stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_LOCAL;
	output_result_free(result);
	return rc;
}

/* ---- csperf costs export ---- */

static const char *const export_header[] = {
	"child_id", "placement_ref", "episode_start_date", "placement_category", "provider",
	"locality", "start_date", "end_date", "weekly_cost_pence", "health_contribution_pence",
	"education_contribution_pence", "from_date", "to_date", "placement_open", "actual_days",
	"committed_days", "actual_pence", "committed_pence", "forecast_pence",
	"gross_forecast_pence", "health_forecast_pence", "education_forecast_pence",
};

#define EXPORT_COLUMNS (sizeof(export_header) / sizeof(export_header[0]))

typedef struct export_out {
	FILE *file;
	bool failed;
} export_out;

/* Pounds as loaded ("1000", "1000.5", "1000.50") as whole pence; an empty
 * text stays empty. */
static void pounds_as_pence(const char *pounds, char *out, size_t size)
{
	int64_t whole = 0, pence = 0;
	int decimals = 0;
	bool negative = pounds[0] == '-', point = false;
	const char *p = pounds + negative;

	for (; *p != '\0'; p++) {
		if (*p == '.' && !point) {
			point = true;
		} else if (*p >= '0' && *p <= '9' && !point && whole < INT64_MAX / 100) {
			whole = whole * 10 + (*p - '0');
		} else if (*p >= '0' && *p <= '9' && point && decimals < 2) {
			pence = pence * 10 + (*p - '0');
			decimals++;
		} else if (!(*p == '0' && point)) {
			snprintf(out, size, "%s", pounds);   /* not pounds: as it came */
			return;
		}
	}
	if (p == pounds + negative) {
		out[0] = '\0';
		return;
	}
	for (; decimals < 2; decimals++)
		pence *= 10;
	snprintf(out, size, "%s%" PRId64, negative ? "-" : "", whole * 100 + pence);
}

static int write_line(const csperf_cost_line *l, void *ctx)
{
	export_out *out = ctx;
	char days[2][16], money[6][32], rates[3][32];
	const char *values[EXPORT_COLUMNS];
	const int64_t pence[6] = {
		l->actual_pence, l->committed_pence, l->forecast_pence, l->gross_forecast_pence,
		l->health_forecast_pence, l->education_forecast_pence,
	};

	snprintf(days[0], sizeof(days[0]), "%d", l->actual_days);
	snprintf(days[1], sizeof(days[1]), "%d", l->committed_days);
	for (size_t i = 0; i < 6; i++)
		snprintf(money[i], sizeof(money[i]), "%" PRId64, pence[i]);
	pounds_as_pence(l->weekly_cost, rates[0], sizeof(rates[0]));
	pounds_as_pence(l->health_contribution, rates[1], sizeof(rates[1]));
	pounds_as_pence(l->education_contribution, rates[2], sizeof(rates[2]));
	values[0] = l->child_id;
	values[1] = l->placement_ref;
	values[2] = l->episode_start_date;
	values[3] = l->placement_category;
	values[4] = l->provider;
	values[5] = l->locality;
	values[6] = l->start_date;
	values[7] = l->end_date;
	values[8] = rates[0];
	values[9] = rates[1];
	values[10] = rates[2];
	values[11] = l->from_date;
	values[12] = l->to_date;
	values[13] = l->placement_open ? "true" : "false";
	values[14] = days[0];
	values[15] = days[1];
	for (size_t i = 0; i < 6; i++)
		values[16 + i] = money[i];
	output_csv_row(out->file, values, EXPORT_COLUMNS);
	if (ferror(out->file)) {
		out->failed = true;
		return 1;
	}
	return 0;
}

static int costs_export(const cli_globals *g, int argc, char **argv)
{
	static const char usage[] =
"Usage: csperf costs export --council CODE --year 2018-19 [--as-at DATE] [--out FILE]\n"
"\n"
"Every cost line of the financial year (each placement's rate periods) with\n"
"its days and money to the as-at date (actual) and after it to 31 March\n"
"(committed, for placements open on that date), as CSV on standard output or\n"
"into FILE: the council's child id and nothing else about the child. Money is\n"
"in whole pence (columns named _pence), as in `csperf costs -o csv`; the lines\n"
"add up to `csperf costs`. CSV only: -o json is refused. Without --timeout\n"
"the export may take 30 minutes.\n";
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	export_out out = { stdout, false };
	cli_globals export_globals;
	costs_args a;
	csperf_client *client;
	uint64_t count = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = parse_args(argc, argv, usage, true, &a);
	if (rc >= 0)
		return rc;
	if (g->format == OUTPUT_JSON) {
		fprintf(stderr, "csperf costs export: writes CSV only (every line, as it comes); for "
			"JSON totals use csperf costs -o json\n");
		return CLI_EXIT_USAGE;
	}
	if (a.out != NULL) {
		out.file = fopen(a.out, "w");
		if (out.file == NULL) {
			fprintf(stderr, "csperf costs export: cannot write %s: %s\n", a.out,
				strerror(errno));
			return CLI_EXIT_LOCAL;
		}
	}
	/* An export's one call streams the whole year. */
	export_globals = *g;
	if (export_globals.timeout_ms == 0)
		export_globals.timeout_ms = EXPORT_TIMEOUT_MS;
	client = cli_client(&export_globals);
	if (client == NULL) {
		if (a.out != NULL)
			fclose(out.file);
		return CLI_EXIT_USAGE;
	}
	query.council = a.council;
	query.financial_year = a.year;
	query.as_at = a.as_at;
	output_csv_row(out.file, export_header, EXPORT_COLUMNS);
	rc = csperf_costs_export(client, &query, write_line, &out, &count);
	if (out.failed || fflush(out.file) != 0) {
		fprintf(stderr, "csperf costs export: cannot write the output: %s\n", strerror(errno));
		rc = CLI_EXIT_LOCAL;
	} else if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
	} else {
		fprintf(stderr, "csperf: exported %" PRIu64 " cost lines of council %s, %s\n", count,
			a.council, a.year);
		rc = CLI_EXIT_OK;
	}
	if (a.out != NULL && fclose(out.file) != 0 && rc == CLI_EXIT_OK) {
		fprintf(stderr, "csperf costs export: cannot write %s: %s\n", a.out, strerror(errno));
		rc = CLI_EXIT_LOCAL;
	}
	csperf_client_free(client);
	return rc;
}

const char cmd_costs_help[] =
"Usage: csperf costs --council CODE --year 2018-19 [--as-at DATE]\n"
"                    [--by placement-type|provider|locality|budget-line]\n"
"                    [--threshold POUNDS] [-o table|json|csv]\n"
"       csperf costs export --council CODE --year 2018-19 [--as-at DATE] [--out FILE]\n"
"\n"
"Placement costs of a financial year as at a day (default: today, or the\n"
"year's end): actual spend to that day, committed spend to 31 March for\n"
"placements still open on it, the forecast out-turn (both), the budget and\n"
"the variance, children and placements, the average weekly cost of open\n"
"placements, and those costing more than the threshold a week (default\n"
"5000). Net of health and education contributions. With --by, one row per\n"
"group and the total; the groups add up to the total to the penny. The table\n"
"gives money in pounds; JSON and CSV in pence (keys and columns named _pence).\n"
"export writes CSV only (-o json is refused), money in pence (_pence columns).\n";

int cmd_costs(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_costs_help;
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	csperf_costs *costs = NULL;
	csperf_client *client;
	costs_args a;
	int rc;

	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return costs_export(g, argc - 1, argv + 1);
	memset(&a, 0, sizeof(a));
	rc = parse_args(argc, argv, usage, false, &a);
	if (rc >= 0)
		return rc;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	query.council = a.council;
	query.financial_year = a.year;
	query.as_at = a.as_at;
	query.group_by = a.by;
	query.threshold_pence = a.threshold_pence;
	rc = csperf_costs_get(client, &query, &costs);
	if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	else if (g->format == OUTPUT_JSON)
		rc = print_costs_json(costs);
	else
		rc = print_costs(g->format, costs);
	csperf_costs_free(costs);
	csperf_client_free(client);
	return rc;
}
