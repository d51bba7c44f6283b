/*
 * cmd_indicators.c: `csperf indicators list|show|put` and `csperf series`.
 *
 * `put` takes a definition as a JSON file with the fields of
 * docs/indicators.md ("indicator_id", "title", "stage", "unit", "polarity",
 * "kind", "params" (an object), "period_types", "targets" ({"2018-19":
 * {"target": 90, "tolerance": 5}}), "corporate_risk", "budget_line",
 * "small_number_threshold", "definition", "source"); `show --format json`
 * prints a definition in the same form, so show, edit and put round-trip.
 */
#include <csv.h>
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <csperf/scorecards.h>

#include "cli.h"
#include "periods.h"

static json_t *indicator_json(const csperf_indicator *ind)
{
	json_t *o = json_object(), *types = json_array(), *targets = json_object();
	json_t *params = json_loads(ind->params_json, 0, NULL);

	json_object_set_new(o, "indicator_id", json_string(ind->indicator_id));
	json_object_set_new(o, "version", json_integer(ind->version));
	json_object_set_new(o, "title", json_string(ind->title));
	json_object_set_new(o, "stage", json_string(ind->stage));
	json_object_set_new(o, "unit", json_string(ind->unit));
	json_object_set_new(o, "polarity", json_string(ind->polarity));
	json_object_set_new(o, "kind", json_string(ind->kind));
	json_object_set_new(o, "params", params != NULL ? params : json_object());
	for (size_t i = 0; i < ind->nperiod_types; i++)
		json_array_append_new(types, json_string(ind->period_types[i]));
	json_object_set_new(o, "period_types", types);
	for (size_t i = 0; i < ind->ntargets; i++) {
		json_t *t = json_object();

		json_object_set_new(t, "target", json_real(ind->targets[i].target));
		json_object_set_new(t, "tolerance", json_real(ind->targets[i].tolerance));
		json_object_set_new(targets, ind->targets[i].year, t);
	}
	json_object_set_new(o, "targets", targets);
	json_object_set_new(o, "corporate_risk", json_string(ind->corporate_risk));
	json_object_set_new(o, "budget_line", json_string(ind->budget_line));
	json_object_set_new(o, "small_number_threshold", json_integer(ind->small_number_threshold));
	json_object_set_new(o, "definition", json_string(ind->definition));
	json_object_set_new(o, "source", json_string(ind->source));
	json_object_set_new(o, "created_at", json_string(ind->created_at));
	json_object_set_new(o, "created_by", json_string(ind->created_by));
	return o;
}

static int print_list(const cli_globals *g, const csperf_indicator_list *list, bool whole)
{
	static const output_column columns[] = {
		{ "indicator_id", "ID", OUTPUT_TEXT }, { "version", "Ver", OUTPUT_INTEGER },
		{ "stage", "Stage", OUTPUT_TEXT }, { "kind", "Kind", OUTPUT_TEXT },
		{ "unit", "Unit", OUTPUT_TEXT }, { "polarity", "Polarity", OUTPUT_TEXT },
		{ "title", "Title", OUTPUT_TEXT },
	};
	output_result *result;
	int rc;

	if (g->format == OUTPUT_JSON) {
		json_t *root;

		if (whole && list->count > 0) {
			root = indicator_json(&list->indicators[0]);
			if (list->count > 1) {
				json_t *history = json_array();

				for (size_t i = 1; i < list->count; i++)
					json_array_append_new(history, indicator_json(&list->indicators[i]));
				json_object_set_new(root, "history", history);
			}
		} else {
			json_t *rows = json_array();

			root = json_object();
			for (size_t i = 0; i < list->count; i++)
				json_array_append_new(rows, indicator_json(&list->indicators[i]));
			json_object_set_new(root, "indicators", rows);
		}
		rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
			? CLI_EXIT_OK : CLI_EXIT_LOCAL;
		fputc('\n', stdout);
		json_decref(root);
		return rc;
	}
	if (whole && list->count > 0 && g->format == OUTPUT_TABLE) {
		const csperf_indicator *ind = &list->indicators[0];

		printf("%s (version %d): %s\n", ind->indicator_id, ind->version, ind->title);
		printf("stage %s, unit %s, polarity %s, kind %s\n", ind->stage, ind->unit, ind->polarity,
		       ind->kind);
		printf("parameters: %s\n", ind->params_json);
		for (size_t i = 0; i < ind->ntargets; i++)
			printf("target %s: %g (tolerance %g)\n", ind->targets[i].year,
			       ind->targets[i].target, ind->targets[i].tolerance);
		if (ind->corporate_risk[0] != '\0')
			printf("corporate risk: %s\n", ind->corporate_risk);
		if (ind->budget_line[0] != '\0')
			printf("budget line: %s\n", ind->budget_line);
		printf("\n%s\n", ind->definition);
		if (ind->source[0] != '\0')
			printf("Source: %s\n", ind->source);
		return CLI_EXIT_OK;
	}
	result = output_result_new(columns, 7, 0);
	for (size_t i = 0; result != NULL && i < list->count; i++) {
		const csperf_indicator *ind = &list->indicators[i];
		char version[16];
		const char *values[7] = { ind->indicator_id, version, ind->stage, ind->kind, ind->unit,
					  ind->polarity, ind->title };

		snprintf(version, sizeof(version), "%d", ind->version);
		output_result_add(result, values);
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
	output_result_free(result);
	return rc;
}

static const char *json_text(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reads a definition file into ind; what it points to lives in *root. */
static int read_definition(const char *path, json_t **root, csperf_indicator *ind,
			   csperf_target **targets, const char ***types, char **params)
{
	json_error_t err;
	json_t *o, *v;
	const char *key;
	size_t i;

	*targets = NULL;
	*types = NULL;
	*params = NULL;
	if (access(path, R_OK) != 0)
		return cli_file_error("indicators put", path, errno);
	o = json_load_file(path, 0, &err);
	if (o == NULL || !json_is_object(o)) {
		fprintf(stderr, "csperf indicators put: %s line %d: %s\n", path, err.line,
			o == NULL ? err.text : "the definition must be a JSON object");
		json_decref(o);
		return -1;
	}
	*root = o;
	memset(ind, 0, sizeof(*ind));
	ind->indicator_id = json_text(o, "indicator_id");
	ind->title = json_text(o, "title");
	ind->stage = json_text(o, "stage");
	ind->unit = json_text(o, "unit");
	ind->polarity = json_text(o, "polarity");
	ind->kind = json_text(o, "kind");
	ind->corporate_risk = json_text(o, "corporate_risk");
	ind->budget_line = json_text(o, "budget_line");
	ind->definition = json_text(o, "definition");
	ind->source = json_text(o, "source");
	v = json_object_get(o, "small_number_threshold");
	ind->small_number_threshold = json_is_integer(v) ? (int)json_integer_value(v) : 5;
	v = json_object_get(o, "params");
	*params = json_dumps(v != NULL ? v : json_object(), JSON_COMPACT);
	ind->params_json = *params;
	v = json_object_get(o, "period_types");
	if (json_is_array(v)) {
		json_t *t;

		*types = calloc(json_array_size(v) + 1, sizeof(char *));
		json_array_foreach(v, i, t)
			if (*types != NULL && json_is_string(t))
				(*types)[ind->nperiod_types++] = json_string_value(t);
		ind->period_types = *types;
	}
	v = json_object_get(o, "targets");
	if (json_is_object(v)) {
		json_t *t;

		*targets = calloc(json_object_size(v) + 1, sizeof(**targets));
		json_object_foreach(v, key, t) {
			if (*targets == NULL)
				break;
			(*targets)[ind->ntargets].year = key;
			(*targets)[ind->ntargets].target = json_number_value(json_object_get(t, "target"));
			(*targets)[ind->ntargets].tolerance =
				json_number_value(json_object_get(t, "tolerance"));
			ind->ntargets++;
		}
		ind->targets = *targets;
	}
	return 0;
}

const char cmd_indicators_help[] =
"Usage: csperf indicators list [--stage STAGE]\n"
"       csperf indicators show ID [--history]\n"
"       csperf indicators put FILE.json\n"
"\n"
"list shows the current definitions; show one in full (--format json gives the\n"
"form `put` takes: docs/indicators.md); put stores a new version of a definition\n"
"(admin), checked against the record schema, and computes it for every council.\n";

int cmd_indicators(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_indicators_help;
	static const struct option options[] = {
		{ "stage", required_argument, NULL, 's' },
		{ "history", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *stage = NULL, *action;
	csperf_indicator_list *list = NULL;
	csperf_client *client;
	int history = 0, opt, rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	action = argv[1];
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, ":h", options, NULL)) != -1) {
		if (opt == 's')
			stage = optarg;
		else if (opt == 'H')
			history = 1;
		else if (opt == 'h') {
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		} else {
			fprintf(stderr, "csperf indicators: unknown option '%s'\n%s", argv[optind], usage);
			return CLI_EXIT_USAGE;
		}
	}
	optind++;  /* past the action, in argv's numbering */
	if ((strcmp(action, "show") == 0 || strcmp(action, "put") == 0) && optind >= argc) {
		fprintf(stderr, "csperf indicators %s: which %s?\n%s", action,
			action[0] == 's' ? "indicator" : "file", usage);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(action, "list") != 0 && strcmp(action, "show") != 0 && strcmp(action, "put") != 0) {
		fprintf(stderr, "csperf indicators: unknown action '%s'\n%s", action, usage);
		return CLI_EXIT_USAGE;
	}
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	if (strcmp(action, "list") == 0) {
		rc = csperf_indicators_list(client, stage, &list);
		rc = rc == CSPERF_OK ? print_list(g, list, false) : cli_fail(rc);
	} else if (strcmp(action, "show") == 0) {
		char id[64];

		snprintf(id, sizeof(id), "%s", argv[optind]);
		rc = cli_check_indicator("indicators show", "ID", id) != 0 ? CLI_EXIT_USAGE
			: csperf_indicator_get(client, id, history, &list);
		if (rc == CLI_EXIT_USAGE) {
			csperf_client_free(client);
			return rc;
		}
		rc = rc == CSPERF_OK ? print_list(g, list, true) : cli_fail(rc);
	} else {
		json_t *root = NULL;
		csperf_indicator ind;
		csperf_target *targets = NULL;
		const char **types = NULL;
		char *params = NULL;

		rc = read_definition(argv[optind], &root, &ind, &targets, &types, &params);
		if (rc != 0) {
			rc = rc == CLI_EXIT_LOCAL ? rc : CLI_EXIT_REJECTED;
		} else {
			rc = csperf_indicator_put(client, &ind, &list);
			if (rc == CSPERF_OK && g->format == OUTPUT_TABLE)
				printf("%s version %d stored and computed.\n", list->indicators[0].indicator_id,
				       list->indicators[0].version);
			else if (rc == CSPERF_OK)
				rc = print_list(g, list, true);
			else
				rc = cli_fail(rc);
		}
		json_decref(root);
		free(targets);
		free(types);
		free(params);
	}
	csperf_indicator_list_free(list);
	csperf_client_free(client);
	return rc;
}

/* --from and --to as periods of the series' type: --from 2023-24 --type month
 * starts with April 2023 (the month holding the year's first day), --to
 * 2023-24 ends with March 2024; common/periods.c reads them, as csperfd
 * does. */
static int series_bounds(const char *type, const char **from, const char **to,
			 char from_label[32], char to_label[32])
{
	report_period_type wanted = 0;
	report_period period, bound;
	char err[256];

	for (int t = PERIOD_MONTH; t <= PERIOD_3Y; t++)
		if (strcmp(type != NULL ? type : "quarter", period_type_name((report_period_type)t)) == 0)
			wanted = (report_period_type)t;
	if (wanted == 0) {
		fprintf(stderr, "csperf series: --type '%s' is not month, quarter, year, rolling12, "
			"ytd or 3y; e.g. --type quarter\n", type);
		return -1;
	}
	if (*from != NULL && period_parse(*from, &period, err, sizeof(err)) == 0 &&
	    period.type != wanted) {
		period_containing(wanted, period.start, &bound);
		snprintf(from_label, 32, "%s", bound.label);
		*from = from_label;
	}
	if (*to != NULL && period_parse(*to, &period, err, sizeof(err)) == 0 &&
	    period.type != wanted) {
		period_containing(wanted, period.end, &bound);
		snprintf(to_label, 32, "%s", bound.label);
		*to = to_label;
	}
	return 0;
}

/* An empty series: say whether the indicator is unknown or has no values. */
static int series_empty(csperf_client *client, const char *council, const char *id,
			const char *type, const char *from, const char *to)
{
	csperf_indicator_list *list = NULL;
	int rc = csperf_indicator_get(client, id, 0, &list);

	csperf_indicator_list_free(list);
	if (rc == CSPERF_ENOTFOUND) {
		fprintf(stderr, "csperf series: --indicator %s: there is no such indicator; "
			"`csperf indicators list` lists them (e.g. CN02)\n", id);
		return CLI_EXIT_NODATA;
	}
	if (rc != CSPERF_OK)
		return cli_fail(rc);
	fprintf(stderr, "csperf series: council %s has no %s values of %s%s%s%s%s\n", council,
		type != NULL ? type : "quarter", id, from != NULL ? " from " : "",
		from != NULL ? from : "", to != NULL ? " to " : "", to != NULL ? to : "");
	return CLI_EXIT_NODATA;
}

const char cmd_series_help[] =
"Usage: csperf series --council CODE --indicator ID [--type TYPE] [--from PERIOD] [--to PERIOD]\n"
"                     [--org UNIT]\n"
"\n"
"An indicator's values over time, with numerators and denominators. TYPE:\n"
"month, quarter (default), year, rolling12, ytd, 3y (three financial years).\n"
"--from and --to are periods\n"
"of any type, read as the periods of TYPE that hold their first and last\n"
"day: --from 2023-24 --type month starts with April 2023 (2023-04). ID is an\n"
"indicator's id, in either case (cn02 is CN02). --org locality:NAME or team:NAME\n"
"gives an org unit's values, computed on request (csperf org-units lists them).\n"
"No values: exit status 7.\n";

int cmd_series(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_series_help;
	static const output_column columns[] = {
		{ "period", "Period", OUTPUT_TEXT }, { "breakdown", "Code", OUTPUT_TEXT },
		{ "numerator", "Numerator", OUTPUT_NUMBER }, { "denominator", "Denominator", OUTPUT_NUMBER },
		{ "value", "Value", OUTPUT_NUMBER }, { "provisional", "Provisional", OUTPUT_BOOLEAN },
	};
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "indicator", required_argument, NULL, 'i' },
		{ "type", required_argument, NULL, 't' }, { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 'T' }, { "org", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *council = NULL, *indicator = NULL, *type = NULL, *from = NULL, *to = NULL;
	const char *org = NULL;
	char id[64], from_label[32], to_label[32];
	csperf_series *series = NULL;
	csperf_client *client;
	output_result *result;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': council = optarg; break;
		case 'i': indicator = optarg; break;
		case 't': type = optarg; break;
		case 'f': from = optarg; break;
		case 'T': to = optarg; break;
		case 'o': org = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf series: unknown option '%s'\n%s", argv[optind - 1], usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (council == NULL || indicator == NULL) {
		fprintf(stderr, "csperf series: --council and --indicator are required\n%s", usage);
		return CLI_EXIT_USAGE;
	}
	snprintf(id, sizeof(id), "%s", indicator);
	if (cli_check_council("series", council) != 0 ||
	    cli_check_indicator("series", "--indicator", id) != 0 ||
	    cli_check_period("series", "--from", from) != 0 ||
	    cli_check_period("series", "--to", to) != 0 || cli_check_org("series", org) != 0)
		return CLI_EXIT_USAGE;
	if (series_bounds(type, &from, &to, from_label, to_label) != 0)
		return CLI_EXIT_USAGE;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_series_get_in(client, council, org, id, type, from, to, &series);
	if (rc == CSPERF_OK && series->count == 0)
		rc = series_empty(client, council, id, type, from, to);
	else if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	if (rc != CSPERF_OK) {
		csperf_series_free(series);
		csperf_client_free(client);
		return rc;
	}
	result = output_result_new(columns, 6, 0);
	for (size_t i = 0; result != NULL && i < series->count; i++) {
		const csperf_series_point *p = &series->points[i];
		char num[32], den[32], value[32];
		const char *values[6] = { p->period, p->breakdown, NULL, NULL, NULL,
					  p->provisional ? "true" : "false" };

		if (p->numerator.present) {
			snprintf(num, sizeof(num), "%g", p->numerator.value);
			values[2] = num;
		}
		if (p->denominator.present) {
			snprintf(den, sizeof(den), "%g", p->denominator.value);
			values[3] = den;
		}
		if (p->value.present) {
			snprintf(value, sizeof(value), "%.4g", p->value.value);
			values[4] = value;
		}
		output_result_add(result, values);
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
	output_result_free(result);
	csperf_series_free(series);
	csperf_client_free(client);
	return rc;
}

typedef struct cases_print {
	const cli_globals *g;
	output_result *result;  /* table and JSON: collected */
	uint64_t count;
} cases_print;

static int print_case(const csperf_case *c, void *ctx)
{
	cases_print *p = ctx;
	const char *values[5] = { c->child_id, c->case_date, c->in_numerator ? "true" : "false",
				  c->team[0] != '\0' ? c->team : NULL, c->reason };

	p->count++;
	if (p->g->format == OUTPUT_CSV) {
		/* CSV streams: a long list never waits in memory. */
		return output_csv_row(stdout, values, 5) == 0 ? 0 : 1;
	}
	return output_result_add(p->result, values) == 0 ? 0 : 1;
}

const char cmd_cases_help[] =
"Usage: csperf cases --council CODE --indicator ID --period PERIOD\n"
"                    [--part numerator|denominator|not-numerator] [--org UNIT]\n"
"\n"
"The cases behind a figure: one row per record (or child) with the dates and\n"
"codes the rule used and why it counts or not. The numerator's cases number\n"
"the figure's numerator. Child-level data: analysts and admins only.\n"
"--org locality:NAME or team:NAME: the cases behind that org unit's figure.\n"
"--format csv streams the rows as they come.\n";

int cmd_cases(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_cases_help;
	static const output_column columns[] = {
		{ "child_id", "Child", OUTPUT_TEXT }, { "case_date", "Date", OUTPUT_TEXT },
		{ "in_numerator", "In numerator", OUTPUT_BOOLEAN }, { "team", "Team", OUTPUT_TEXT },
		{ "reason", "Why", OUTPUT_TEXT },
	};
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "indicator", required_argument, NULL, 'i' },
		{ "period", required_argument, NULL, 'p' }, { "part", required_argument, NULL, 'P' },
		{ "org", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	csperf_cases_query query = CSPERF_CASES_QUERY_INIT;
	cases_print p = { g, NULL, 0 };
	char indicator[64];
	csperf_client *client;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': query.council = optarg; break;
		case 'i': query.indicator_id = optarg; break;
		case 'p': query.period = optarg; break;
		case 'P': query.part = optarg; break;
		case 'o': query.org_unit = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf cases: unknown option '%s'\n%s", argv[optind - 1], usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (query.council == NULL || query.indicator_id == NULL || query.period == NULL) {
		fprintf(stderr, "csperf cases: --council, --indicator and --period are required\n%s",
			usage);
		return CLI_EXIT_USAGE;
	}
	snprintf(indicator, sizeof(indicator), "%s", query.indicator_id);
	query.indicator_id = indicator;
	if (cli_check_council("cases", query.council) != 0 ||
	    cli_check_indicator("cases", "--indicator", indicator) != 0 ||
	    cli_check_period("cases", "--period", query.period) != 0 ||
	    cli_check_org("cases", query.org_unit) != 0)
		return CLI_EXIT_USAGE;
	if (query.part != NULL && strcmp(query.part, "numerator") != 0 &&
	    strcmp(query.part, "denominator") != 0 && strcmp(query.part, "not-numerator") != 0) {
		fprintf(stderr, "csperf cases: --part '%s' is not numerator, denominator or "
			"not-numerator; e.g. --part numerator\n", query.part);
		return CLI_EXIT_USAGE;
	}
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	if (g->format == OUTPUT_CSV) {
		const char *names[5];

		for (size_t i = 0; i < 5; i++)
			names[i] = columns[i].name;
		output_csv_row(stdout, names, 5);
	} else {
		p.result = output_result_new(columns, 5, 0);
	}
	rc = csperf_cases_list(client, &query, print_case, &p, NULL);
	if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	else if (p.result != NULL)
		rc = cli_print(g, p.result);
	if (rc == CLI_EXIT_OK && g->format == OUTPUT_TABLE)
		printf("%llu case%s\n", (unsigned long long)p.count, p.count == 1 ? "" : "s");
	output_result_free(p.result);
	csperf_client_free(client);
	return rc;
}
