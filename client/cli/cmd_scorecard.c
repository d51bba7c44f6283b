/*
 * cmd_scorecard.c: `csperf scorecard`, `csperf exceptions`, `csperf series`
 * and `csperf indicators list|show|put`.
 *
 * A scorecard prints as an aligned table (RAG in colour and arrows for the
 * direction of travel on a terminal, plain words otherwise), as JSON (one
 * object with a `rows` array) or as CSV.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csperf/scorecards.h>

#include "cli.h"

#define TITLE_WIDTH 44

/* ---- figures ---- */

static void format_figure(const char *unit, csperf_figure f, int suppressed, char *out, size_t size)
{
	if (suppressed) {
		snprintf(out, size, "*");
		return;
	}
	if (!f.present) {
		snprintf(out, size, "-");
		return;
	}
	if (strcmp(unit, "percent") == 0)
		snprintf(out, size, "%.1f%%", f.value);
	else if (strcmp(unit, "rate") == 0 || strcmp(unit, "days") == 0 || strcmp(unit, "number") == 0)
		snprintf(out, size, "%.1f", f.value);
	else if (strcmp(unit, "pounds") == 0)
		snprintf(out, size, "\xc2\xa3%.0f", f.value);
	else
		snprintf(out, size, "%.0f", f.value);
}

static json_t *json_figure(csperf_figure f)
{
	return f.present ? json_real(f.value) : json_null();
}

static json_t *row_json(const csperf_scorecard_row *r)
{
	json_t *o = json_object(), *trend = json_array(), *comparators = json_array(),
	       *breakdown = json_array();

	json_object_set_new(o, "indicator_id", json_string(r->indicator_id));
	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "stage", json_string(r->stage));
	json_object_set_new(o, "unit", json_string(r->unit));
	json_object_set_new(o, "polarity", json_string(r->polarity));
	json_object_set_new(o, "period", json_string(r->period));
	json_object_set_new(o, "value", json_figure(r->value));
	json_object_set_new(o, "numerator", json_figure(r->numerator));
	json_object_set_new(o, "denominator", json_figure(r->denominator));
	json_object_set_new(o, "last_year", json_figure(r->last_year));
	json_object_set_new(o, "previous", json_figure(r->previous));
	json_object_set_new(o, "year_ago", json_figure(r->year_ago));
	json_object_set_new(o, "target", json_figure(r->target));
	json_object_set_new(o, "tolerance", json_figure(r->tolerance));
	json_object_set_new(o, "rag", json_string(r->rag));
	json_object_set_new(o, "direction", json_string(r->direction));
	json_object_set_new(o, "direction_year", json_string(r->direction_year));
	for (size_t i = 0; i < r->ntrend; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "period", json_string(r->trend[i].period));
		json_object_set_new(p, "value", json_figure(r->trend[i].value));
		json_array_append_new(trend, p);
	}
	json_object_set_new(o, "trend", trend);
	for (size_t i = 0; i < r->ncomparators; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "name", json_string(r->comparators[i].name));
		json_object_set_new(c, "area_type", json_string(r->comparators[i].area_type));
		json_object_set_new(c, "year", json_string(r->comparators[i].year));
		json_object_set_new(c, "value", json_figure(r->comparators[i].value));
		json_object_set_new(c, "source", json_string(r->comparators[i].source));
		json_array_append_new(comparators, c);
	}
	json_object_set_new(o, "comparators", comparators);
	for (size_t i = 0; i < r->nbreakdown; i++) {
		json_t *b = json_object();

		json_object_set_new(b, "code", json_string(r->breakdown[i].code));
		json_object_set_new(b, "numerator", json_figure(r->breakdown[i].numerator));
		json_object_set_new(b, "value", json_figure(r->breakdown[i].value));
		json_array_append_new(breakdown, b);
	}
	json_object_set_new(o, "breakdown", breakdown);
	json_object_set_new(o, "provisional", json_boolean(r->provisional));
	json_object_set_new(o, "small_number", json_boolean(r->small_number));
	json_object_set_new(o, "suppressed", json_boolean(r->suppressed));
	json_object_set_new(o, "corporate_risk", json_string(r->corporate_risk));
	json_object_set_new(o, "budget_line", json_string(r->budget_line));
	return o;
}

static int print_json(json_t *root)
{
	int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
		? CLI_EXIT_OK : CLI_EXIT_LOCAL;

	fputc('\n', stdout);
	json_decref(root);
	return rc;
}

static const char *rag_colour(const char *rag)
{
	if (strcmp(rag, "red") == 0)
		return "\033[1;31m";
	if (strcmp(rag, "amber") == 0)
		return "\033[1;33m";
	if (strcmp(rag, "green") == 0)
		return "\033[1;32m";
	return "";
}

static const char *direction_mark(const char *direction, bool tty)
{
	if (!tty)
		return direction;
	if (strcmp(direction, "improving") == 0)
		return "\xe2\x96\xb2 better";   /* ▲ */
	if (strcmp(direction, "worsening") == 0)
		return "\xe2\x96\xbc worse";    /* ▼ */
	if (strcmp(direction, "steady") == 0)
		return "\xe2\x96\xb6 steady";   /* ▶ */
	return "-";
}

/* Characters on screen of UTF-8 text (the arrows are one each). */
static int screen_width(const char *text)
{
	int n = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

static void print_padded(const char *text, int width, bool right)
{
	int pad = width - screen_width(text);

	if (right)
		printf("%*s%s", pad > 0 ? pad : 0, "", text);
	else
		printf("%s%*s", text, pad > 0 ? pad : 0, "");
}

static void print_scorecard_table(const csperf_scorecard *sc)
{
	bool tty = isatty(STDOUT_FILENO);
	const char *stage = "";

	printf("%s (%s), %s (%s to %s)%s\n", sc->council_name, sc->council, sc->period,
	       sc->period_start, sc->period_end,
	       sc->data_to[0] != '\0' && strcmp(sc->data_to, sc->period_end) < 0
	       ? " - provisional: data end before the period does" : "");
	for (size_t i = 0; i < sc->nrows; i++) {
		const csperf_scorecard_row *r = &sc->rows[i];
		char value[32], target[32], last[32], other[32], title[TITLE_WIDTH * 4 + 4];
		size_t len = 0;
		int chars = 0;

		if (strcmp(stage, r->stage) != 0) {
			stage = r->stage;
			printf("\n%s%s%s\n", tty ? "\033[1m" : "", stage, tty ? "\033[0m" : "");
			printf("%-6s  %-*s  %9s  %9s  %-5s  %-10s  %9s  %9s\n", "ID", TITLE_WIDTH,
			       "Indicator", "Value", "Target", "RAG", "Direction", "Last year", "Others");
		}
		/* The title, cut to fit on whole characters. */
		for (const char *p = r->title; *p != '\0' && len + 4 < sizeof(title); p++) {
			if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > TITLE_WIDTH - 1 &&
			    p[1] != '\0') {
				memcpy(title + len, "\xe2\x80\xa6", 3);  /* … */
				len += 3;
				break;
			}
			title[len++] = *p;
		}
		title[len] = '\0';
		format_figure(r->unit, r->value, r->suppressed, value, sizeof(value));
		format_figure(r->unit, r->target, 0, target, sizeof(target));
		format_figure(r->unit, r->last_year, r->suppressed, last, sizeof(last));
		format_figure(r->unit, r->ncomparators > 0 ? r->comparators[0].value
				       : (csperf_figure){ 0, 0 }, 0, other, sizeof(other));
		printf("%-6s  ", r->indicator_id);
		print_padded(title, TITLE_WIDTH, false);
		printf("  %9s  %9s  ", value, target);
		if (tty && strcmp(r->rag, "none") != 0)
			printf("%s%-5s\033[0m", rag_colour(r->rag), r->rag);
		else
			printf("%-5s", strcmp(r->rag, "none") == 0 ? "-" : r->rag);
		printf("  ");
		print_padded(direction_mark(r->direction, tty), 10, false);
		printf("  %9s  %9s%s\n", last, other, r->provisional ? "  (provisional)" : "");
	}
}

static void print_scorecard_csv(const cli_globals *g, const csperf_scorecard *sc)
{
	static const output_column columns[] = {
		{ "indicator_id", "ID", OUTPUT_TEXT }, { "title", "Indicator", OUTPUT_TEXT },
		{ "stage", "Stage", OUTPUT_TEXT }, { "period", "Period", OUTPUT_TEXT },
		{ "value", "Value", OUTPUT_NUMBER }, { "numerator", "Numerator", OUTPUT_NUMBER },
		{ "denominator", "Denominator", OUTPUT_NUMBER }, { "target", "Target", OUTPUT_NUMBER },
		{ "rag", "RAG", OUTPUT_TEXT }, { "direction", "Direction", OUTPUT_TEXT },
		{ "last_year", "Last year", OUTPUT_NUMBER },
	};
	output_result *result = output_result_new(columns, 11, 0);

	for (size_t i = 0; result != NULL && i < sc->nrows; i++) {
		const csperf_scorecard_row *r = &sc->rows[i];
		char value[32] = "", num[32] = "", den[32] = "", target[32] = "", last[32] = "";
		const char *values[11];

		if (r->value.present)
			snprintf(value, sizeof(value), "%.4f", r->value.value);
		if (r->numerator.present)
			snprintf(num, sizeof(num), "%.0f", r->numerator.value);
		if (r->denominator.present)
			snprintf(den, sizeof(den), "%.0f", r->denominator.value);
		if (r->target.present)
			snprintf(target, sizeof(target), "%g", r->target.value);
		if (r->last_year.present)
			snprintf(last, sizeof(last), "%.4f", r->last_year.value);
		values[0] = r->indicator_id;
		values[1] = r->title;
		values[2] = r->stage;
		values[3] = r->period;
		values[4] = value[0] != '\0' ? value : NULL;
		values[5] = num[0] != '\0' ? num : NULL;
		values[6] = den[0] != '\0' ? den : NULL;
		values[7] = target[0] != '\0' ? target : NULL;
		values[8] = r->rag;
		values[9] = r->direction;
		values[10] = last[0] != '\0' ? last : NULL;
		output_result_add(result, values);
	}
	if (result != NULL)
		cli_print(g, result);
	output_result_free(result);
}

/* Options common to scorecard and exceptions. */
typedef struct card_args {
	const char *council, *period, *stage, *org;
} card_args;

static int parse_card_args(int argc, char **argv, const char *usage, bool stage_allowed,
			   card_args *a)
{
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' },
		{ "period", required_argument, NULL, 'p' },
		{ "stage", required_argument, NULL, 's' },
		{ "org", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': a->council = optarg; break;
		case 'p': a->period = optarg; break;
		case 's':
			if (!stage_allowed)
				goto unknown;
			a->stage = optarg;
			break;
		case 'o':
			if (!stage_allowed)
				goto unknown;
			a->org = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
		unknown:
			fprintf(stderr, "csperf %s: %s '%s'\n%s", argv[0],
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1], usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (a->council == NULL || a->period == NULL || optind < argc) {
		fprintf(stderr, "csperf %s: --council and --period are required\n%s", argv[0], usage);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

const char cmd_scorecard_help[] =
"Usage: csperf scorecard --council CODE --period PERIOD [--stage STAGE] [--org UNIT]\n"
"\n"
"One row per indicator: value, target, RAG (judged with the indicator's\n"
"polarity), direction of travel against the previous period, last year's\n"
"out-turn and a comparator. PERIOD: 2018-19 (a financial year), 2018-19:Q4,\n"
"2019-01 (a month), r12:2019-03 (rolling twelve months), ytd:2019-01.\n"
"STAGE: early_help, front_door, assessment, child_protection, looked_after,\n"
"adoption, care_leavers, workforce, youth_justice, finance (default: all).\n"
"--format json prints one object with a `rows` array.\n";

int cmd_scorecard(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_scorecard_help;
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;
	csperf_client *client;
	card_args a;
	int rc = parse_card_args(argc, argv, usage, true, &a);

	if (rc >= 0)
		return rc;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	query.council = a.council;
	query.period = a.period;
	query.stage = a.stage;
	query.org_unit = a.org;
	rc = csperf_scorecard_get(client, &query, &sc);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
	} else if (g->format == OUTPUT_JSON) {
		json_t *root = json_object(), *rows = json_array();

		json_object_set_new(root, "council", json_string(sc->council));
		json_object_set_new(root, "council_name", json_string(sc->council_name));
		json_object_set_new(root, "period", json_string(sc->period));
		json_object_set_new(root, "period_start", json_string(sc->period_start));
		json_object_set_new(root, "period_end", json_string(sc->period_end));
		json_object_set_new(root, "data_to", json_string(sc->data_to));
		for (size_t i = 0; i < sc->nrows; i++)
			json_array_append_new(rows, row_json(&sc->rows[i]));
		json_object_set_new(root, "rows", rows);
		rc = print_json(root);
	} else if (g->format == OUTPUT_CSV) {
		print_scorecard_csv(g, sc);
		rc = CLI_EXIT_OK;
	} else {
		print_scorecard_table(sc);
		rc = CLI_EXIT_OK;
	}
	csperf_scorecard_free(sc);
	csperf_client_free(client);
	return rc;
}

const char cmd_exceptions_help[] =
"Usage: csperf exceptions --council CODE --period PERIOD\n"
"\n"
"The indicators a committee must discuss (Norfolk's four criteria): off target\n"
"(Red, or 5% or more worse than target), worse three periods running, over\n"
"budget, or bearing on a corporate risk; each with the criteria and why.\n";

int cmd_exceptions(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_exceptions_help;
	csperf_exceptions *ex = NULL;
	csperf_client *client;
	card_args a;
	int rc = parse_card_args(argc, argv, usage, false, &a);

	if (rc >= 0)
		return rc;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_exceptions_get(client, a.council, a.period, &ex);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
	} else if (g->format == OUTPUT_JSON) {
		json_t *root = json_object(), *list = json_array();

		json_object_set_new(root, "council", json_string(ex->council));
		json_object_set_new(root, "period", json_string(ex->period));
		for (size_t i = 0; i < ex->count; i++) {
			json_t *o = json_object(), *criteria = json_array();

			json_object_set_new(o, "indicator_id", json_string(ex->exceptions[i].indicator_id));
			json_object_set_new(o, "title", json_string(ex->exceptions[i].title));
			for (size_t c = 0; c < ex->exceptions[i].ncriteria; c++)
				json_array_append_new(criteria, json_string(ex->exceptions[i].criteria[c]));
			json_object_set_new(o, "criteria", criteria);
			json_object_set_new(o, "reason", json_string(ex->exceptions[i].reason));
			if (ex->exceptions[i].row != NULL)
				json_object_set_new(o, "row", row_json(ex->exceptions[i].row));
			json_array_append_new(list, o);
		}
		json_object_set_new(root, "exceptions", list);
		rc = print_json(root);
	} else {
		static const output_column columns[] = {
			{ "indicator_id", "ID", OUTPUT_TEXT },
			{ "criteria", "Criteria", OUTPUT_TEXT },
			{ "reason", "Why", OUTPUT_TEXT },
		};
		output_result *result = output_result_new(columns, 3, 0);

		if (g->format == OUTPUT_TABLE)
			printf("%zu exception%s for %s, %s\n\n", ex->count, ex->count == 1 ? "" : "s",
			       ex->council, ex->period);
		for (size_t i = 0; result != NULL && i < ex->count; i++) {
			char criteria[128] = "";
			const char *values[3];

			for (size_t c = 0; c < ex->exceptions[i].ncriteria; c++) {
				size_t len = strlen(criteria);

				snprintf(criteria + len, sizeof(criteria) - len, "%s%s", c > 0 ? " " : "",
					 ex->exceptions[i].criteria[c]);
			}
			values[0] = ex->exceptions[i].indicator_id;
			values[1] = criteria;
			values[2] = ex->exceptions[i].reason;
			output_result_add(result, values);
		}
		rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
		output_result_free(result);
	}
	csperf_exceptions_free(ex);
	csperf_client_free(client);
	return rc;
}
