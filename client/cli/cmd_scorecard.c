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

#include <csperf/scorecards.h>

#include "cli.h"

/* ---- figures ---- */

static void format_figure(const char *unit, csperf_figure f, int suppressed, char *out, size_t size)
{
	output_figure(unit, f.present, f.value, suppressed, "-", out, size);
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
		json_object_set_new(c, "area", json_string(r->comparators[i].area));
		if (r->comparators[i].symbol[0] != '\0')
			json_object_set_new(c, "symbol", json_string(r->comparators[i].symbol));
		if (r->comparators[i].ranked > 0) {
			json_object_set_new(c, "rank", json_integer(r->comparators[i].rank));
			json_object_set_new(c, "ranked", json_integer(r->comparators[i].ranked));
			json_object_set_new(c, "quartile", json_integer(r->comparators[i].quartile));
		}
		if (r->comparators[i].contributors > 0)
			json_object_set_new(c, "contributors",
					    json_integer(r->comparators[i].contributors));
		if (r->comparators[i].release[0] != '\0')
			json_object_set_new(c, "release", json_string(r->comparators[i].release));
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
	/* records behind the figure failing a DfE rule that decides it */
	json_object_set_new(o, "failing_records", json_integer((json_int_t)r->failing_records));
	json_object_set_new(o, "failing_rules", json_string(r->failing_rules));
	/* whose target (docs/indicators.md), and the report card (docs/REPORT.md) */
	json_object_set_new(o, "target_source", json_string(r->target_source));
	json_object_set_new(o, "report_card", r->report_card != NULL
			    ? cli_report_card_json(r->report_card) : json_null());
	return o;
}

/* Whether a reply's org unit is one below the council. */
static bool org_shown(const char *org_unit)
{
	return org_unit != NULL && org_unit[0] != '\0' && strcmp(org_unit, "council") != 0;
}

json_t *cli_scorecard_json(const csperf_scorecard *sc)
{
	json_t *root = json_object(), *rows = json_array();

	json_object_set_new(root, "council", json_string(sc->council));
	json_object_set_new(root, "council_name", json_string(sc->council_name));
	json_object_set_new(root, "org_unit", json_string(sc->org_unit != NULL && sc->org_unit[0] !=
							  '\0' ? sc->org_unit : "council"));
	json_object_set_new(root, "period", json_string(sc->period));
	json_object_set_new(root, "period_start", json_string(sc->period_start));
	json_object_set_new(root, "period_end", json_string(sc->period_end));
	json_object_set_new(root, "data_to", json_string(sc->data_to));
	for (size_t i = 0; i < sc->nrows; i++)
		json_array_append_new(rows, row_json(&sc->rows[i]));
	json_object_set_new(root, "rows", rows);
	return root;
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

/* The direction of travel: the same word with and without a terminal; an
 * arrow before it only as decoration (a colour terminal). */
static void direction_text(const char *direction, bool decorate, char *out, size_t size)
{
	const char *arrow = strcmp(direction, "improving") == 0 ? "\xe2\x96\xb2 "   /* ▲ */
		: strcmp(direction, "worsening") == 0 ? "\xe2\x96\xbc "            /* ▼ */
		: strcmp(direction, "steady") == 0 ? "\xe2\x96\xb6 " : "";        /* ▶ */
	bool known = arrow[0] != '\0';

	snprintf(out, size, "%s%s", decorate && known ? arrow : "",
		 known ? direction : "-");
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

/* The "Others" column: the first comparator that is not the council's own
 * published figure. */
static csperf_figure first_comparator(const csperf_scorecard_row *r)
{
	for (size_t i = 0; i < r->ncomparators; i++)
		if (strcmp(r->comparators[i].area_type, "council") != 0)
			return r->comparators[i].value;
	return (csperf_figure){ 0, 0 };
}

/* The published benchmarks of a row on a line of their own: England, the
 * region, the DfE neighbours' average, the council's own published figure
 * with its rank and quartile. Nothing when none is published. */
static void print_benchmarks(const csperf_scorecard_row *r)
{
	static const char *const order[] = { "england", "wales", "region", "statistical_neighbours",
					     "council" };
	bool any = false;

	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (size_t i = 0; i < r->ncomparators; i++) {
			const csperf_comparator *c = &r->comparators[i];
			char shown[32];

			if (strcmp(c->area_type, order[o]) != 0 || c->release[0] == '\0')
				continue;
			if (c->value.present)
				format_figure(r->unit, c->value, 0, shown, sizeof(shown));
			else
				snprintf(shown, sizeof(shown), "no figure (%s)", c->symbol);
			printf("%s%s %s %s", any ? "; " : "        published ", c->name, shown, c->year);
			if (c->ranked > 0)
				printf(", rank %d of %d, quartile %d%s", c->rank, c->ranked, c->quartile,
				       strcmp(r->polarity, "none") == 0 ? " (by size)" : "");
			any = true;
		}
	if (any)
		printf("\n");
}


/* The title cut to `width` characters on whole characters, with an ellipsis. */
static void cut_title(const char *text, int width, char *out, size_t size)
{
	size_t len = 0;
	int chars = 0;

	for (const char *p = text; *p != '\0' && len + 4 < size; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > width - 1 && width > 0 &&
		    screen_width(p) > 1) {
			memcpy(out + len, "\xe2\x80\xa6", 3);  /* … */
			len += 3;
			break;
		}
		out[len++] = *p;
	}
	out[len] = '\0';
}

#define MIN_TITLE 16

/* The four figures of a row as the table shows them. */
static void row_figures(const csperf_scorecard_row *r, char figures[4][32])
{
	format_figure(r->unit, r->value, r->suppressed, figures[0], 32);
	format_figure(r->unit, r->target, 0, figures[1], 32);
	format_figure(r->unit, r->last_year, r->suppressed, figures[2], 32);
	format_figure(r->unit, first_comparator(r), 0, figures[3], 32);
}

static void print_scorecard_table(const cli_globals *g, const csperf_scorecard *sc)
{
	const char *stage = "";
	int title_width = 0, longest = 9, marks = 0, fw = 9;
	bool others = true, last_year = true;

	for (size_t i = 0; i < sc->nrows; i++) {
		char figures[4][32];

		if (screen_width(sc->rows[i].title) > longest)
			longest = screen_width(sc->rows[i].title);
		if (sc->rows[i].provisional)
			marks = (int)strlen("  (provisional)");
		row_figures(&sc->rows[i], figures);
		for (int f = 0; f < 4; f++)
			if (screen_width(figures[f]) > fw)
				fw = screen_width(figures[f]);
	}
	/* Fit the terminal: narrow the titles, then drop Others, then Last year;
	 * --wide (or no width to fit: a pipe) shows whole titles. The columns
	 * but the title's: ID, Value, Target, RAG, Direction, Last year, Others,
	 * and the blanks between them all. */
	title_width = longest;
	if (g->columns > 0) {
		int room = g->columns - marks - (6 + 2 + 2 + fw + 2 + fw + 2 + 5 + 2 + 11) -
			   2 * (2 + fw);

		if (room < MIN_TITLE) {
			others = false;
			room += 2 + fw;
		}
		if (room < MIN_TITLE) {
			last_year = false;
			room += 2 + fw;
		}
		if (room < title_width)
			title_width = room > MIN_TITLE ? room : MIN_TITLE;
	}
	printf("%s (%s)%s%s, %s (%s to %s)%s\n", sc->council_name, sc->council,
	       org_shown(sc->org_unit) ? ", " : "", org_shown(sc->org_unit) ? sc->org_unit : "",
	       sc->period, sc->period_start, sc->period_end,
	       sc->data_to[0] != '\0' && strcmp(sc->data_to, sc->period_end) < 0
	       ? " - provisional: data end before the period does" : "");
	for (size_t i = 0; i < sc->nrows; i++) {
		const csperf_scorecard_row *r = &sc->rows[i];
		char figures[4][32], direction[32], title[1024];

		if (strcmp(stage, r->stage) != 0) {
			stage = r->stage;
			printf("\n%s%s%s\n", g->colour ? "\033[1m" : "", stage, g->colour ? "\033[0m" : "");
			printf("%-6s  %-*s  %*s  %*s  %-5s  %-11s", "ID", title_width, "Indicator", fw,
			       "Value", fw, "Target", "RAG", "Direction");
			if (last_year)
				printf("  %*s", fw, "Last year");
			if (others)
				printf("  %*s", fw, "Others");
			putchar('\n');
		}
		cut_title(r->title, title_width, title, sizeof(title));
		row_figures(r, figures);
		direction_text(r->direction, g->colour, direction, sizeof(direction));
		printf("%-6s  ", r->indicator_id);
		print_padded(title, title_width, false);
		printf("  ");
		print_padded(figures[0], fw, true);
		printf("  ");
		print_padded(figures[1], fw, true);
		printf("  ");
		if (g->colour && strcmp(r->rag, "none") != 0)
			printf("%s%-5s\033[0m", rag_colour(r->rag), r->rag);
		else
			printf("%-5s", strcmp(r->rag, "none") == 0 ? "-" : r->rag);
		printf("  ");
		print_padded(direction, 11, false);
		if (last_year) {
			printf("  ");
			print_padded(figures[2], fw, true);
		}
		if (others) {
			printf("  ");
			print_padded(figures[3], fw, true);
		}
		printf("%s\n", r->provisional ? "  (provisional)" : "");
		print_benchmarks(r);
	}
}

/* The comparators' area types, one CSV column each. */
static const char *const comparator_types[] = {
	"england", "wales", "region", "statistical_neighbours", "computed", "council",
};
#define NCOMPARATOR_TYPES (sizeof(comparator_types) / sizeof(comparator_types[0]))
#define CSV_FIXED 15

static int print_scorecard_csv(const cli_globals *g, const csperf_scorecard *sc)
{
	static const output_column columns[CSV_FIXED + NCOMPARATOR_TYPES] = {
		{ "indicator_id", "ID", OUTPUT_TEXT }, { "title", "Indicator", OUTPUT_TEXT },
		{ "stage", "Stage", OUTPUT_TEXT }, { "unit", "Unit", OUTPUT_TEXT },
		{ "polarity", "Polarity", OUTPUT_TEXT }, { "period", "Period", OUTPUT_TEXT },
		{ "value", "Value", OUTPUT_NUMBER }, { "numerator", "Numerator", OUTPUT_NUMBER },
		{ "denominator", "Denominator", OUTPUT_NUMBER }, { "target", "Target", OUTPUT_NUMBER },
		{ "rag", "RAG", OUTPUT_TEXT }, { "direction", "Direction", OUTPUT_TEXT },
		{ "last_year", "Last year", OUTPUT_NUMBER },
		{ "provisional", "Provisional", OUTPUT_BOOLEAN },
		{ "suppressed", "Suppressed", OUTPUT_BOOLEAN },
		{ "comparator_england", "England", OUTPUT_NUMBER },
		{ "comparator_wales", "Wales", OUTPUT_NUMBER },
		{ "comparator_region", "Region", OUTPUT_NUMBER },
		{ "comparator_statistical_neighbours", "Neighbours", OUTPUT_NUMBER },
		{ "comparator_computed", "Councils in csperf", OUTPUT_NUMBER },
		{ "comparator_council", "Published for the council", OUTPUT_NUMBER },
	};
	const size_t ncolumns = CSV_FIXED + NCOMPARATOR_TYPES;
	output_result *result = output_result_new(columns, ncolumns, 0);
	int rc;

	for (size_t i = 0; result != NULL && i < sc->nrows; i++) {
		const csperf_scorecard_row *r = &sc->rows[i];
		const csperf_figure figures[] = { r->value, r->numerator, r->denominator, r->target,
						  r->last_year };
		char text[5 + NCOMPARATOR_TYPES][32];
		const char *values[CSV_FIXED + NCOMPARATOR_TYPES] = {
			r->indicator_id, r->title, r->stage, r->unit, r->polarity, r->period,
		};

		for (size_t f = 0; f < 5; f++) {
			snprintf(text[f], sizeof(text[f]), "%.10g", figures[f].value);
			values[6 + f + (f == 4 ? 2 : 0)] = figures[f].present && !(r->suppressed && f != 3)
				? text[f] : NULL;
		}
		values[10] = r->rag;
		values[11] = r->direction;
		values[13] = r->provisional ? "true" : "false";
		values[14] = r->suppressed ? "true" : "false";
		for (size_t t = 0; t < NCOMPARATOR_TYPES; t++)
			for (size_t c = 0; c < r->ncomparators; c++)
				if (strcmp(r->comparators[c].area_type, comparator_types[t]) == 0 &&
				    r->comparators[c].value.present && values[CSV_FIXED + t] == NULL) {
					snprintf(text[5 + t], sizeof(text[5 + t]), "%.10g",
						 r->comparators[c].value.value);
					values[CSV_FIXED + t] = text[5 + t];
				}
		if (output_result_add(result, values) != 0)
			break;
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
	output_result_free(result);
	return rc;
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
		case 'o': a->org = optarg; break;
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
	if (cli_check_council(argv[0], a->council) != 0 ||
	    cli_check_period(argv[0], "--period", a->period) != 0 ||
	    cli_check_stage(argv[0], a->stage) != 0 || cli_check_org(argv[0], a->org) != 0)
		return CLI_EXIT_USAGE;
	return -1;
}

const char cmd_scorecard_help[] =
"Usage: csperf scorecard --council CODE --period PERIOD [--stage STAGE] [--org UNIT]\n"
"\n"
"One row per indicator: value, target, RAG (judged with the indicator's\n"
"polarity), direction of travel against the previous period, last year's\n"
"out-turn and a comparator. PERIOD: 2018-19 (a financial year), 2018-19:Q4,\n"
"2019-01 (a month), r12:2019-03 (rolling twelve months), ytd:2019-01, 3y:2020-21\n"
"(three financial years, April 2018 to March 2021: the adoption scorecard).\n"
"STAGE: early_help, front_door, assessment, child_protection, looked_after,\n"
"adoption, care_leavers, workforce, youth_justice, finance (default: all).\n"
"-o json (or -f json) prints one object with a `rows` array; -o csv one row\n"
"per indicator with a column per comparator. A period that starts after the\n"
"council's data end prints why and exits 7. Add --wide for whole titles.\n"
"UNIT: council (default), locality:NAME or team:NAME (csperf org-units lists\n"
"them): the council's rules over that locality's or team's children, computed\n"
"on request; a token narrowed to localities may ask for its own only.\n";

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
	} else if ((rc = cli_check_data("scorecard", sc)) != 0) {
		/* Nothing to show: said why rather than print a table of dashes. */
	} else if (g->format == OUTPUT_JSON) {
		rc = print_json(cli_scorecard_json(sc));
	} else if (g->format == OUTPUT_CSV) {
		rc = print_scorecard_csv(g, sc);
	} else {
		print_scorecard_table(g, sc);
		rc = CLI_EXIT_OK;
	}
	csperf_scorecard_free(sc);
	csperf_client_free(client);
	return rc;
}

const char cmd_exceptions_help[] =
"Usage: csperf exceptions --council CODE --period PERIOD [--org UNIT]\n"
"\n"
"The indicators a committee must discuss (Norfolk's four criteria): off target\n"
"(Red, or 5% or more worse than target), worse three periods running, over\n"
"budget, or bearing on a corporate risk; each with the criteria and why.\n"
"--org locality:NAME or team:NAME: that org unit's (no budget criterion:\n"
"budgets are the council's).\n";

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
	rc = csperf_exceptions_get_in(client, a.council, a.org, a.period, &ex);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
	} else if (g->format == OUTPUT_JSON) {
		json_t *root = json_object(), *list = json_array();

		json_object_set_new(root, "council", json_string(ex->council));
		json_object_set_new(root, "period", json_string(ex->period));
		json_object_set_new(root, "org_unit", json_string(ex->org_unit != NULL &&
			ex->org_unit[0] != '\0' ? ex->org_unit : "council"));
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
			printf("%zu exception%s for %s%s%s, %s\n\n", ex->count,
			       ex->count == 1 ? "" : "s", ex->council, org_shown(ex->org_unit) ? " " : "",
			       org_shown(ex->org_unit) ? ex->org_unit : "", ex->period);
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

const char cmd_org_units_help[] =
"Usage: csperf org-units --council CODE\n"
"\n"
"The council's localities (as its placement cost lines name them) and teams\n"
"(as its contacts and early help episodes name them), each as --org takes it\n"
"in csperf scorecard, exceptions, series and cases: locality:North, team:Duty.\n"
"A token narrowed to localities is shown its own only. None: exit status 7.\n";

int cmd_org_units(const cli_globals *g, int argc, char **argv)
{
	static const output_column columns[] = {
		{ "kind", "Kind", OUTPUT_TEXT }, { "name", "Name", OUTPUT_TEXT },
		{ "org_unit", "--org", OUTPUT_TEXT },
	};
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *council = NULL;
	csperf_org_units *units = NULL;
	csperf_client *client;
	output_result *result;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': council = optarg; break;
		case 'h':
			fputs(cmd_org_units_help, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf %s: %s '%s'\n%s", argv[0],
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				cmd_org_units_help);
			return CLI_EXIT_USAGE;
		}
	}
	if (council == NULL || optind < argc) {
		fprintf(stderr, "csperf %s: --council is required\n%s", argv[0], cmd_org_units_help);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council(argv[0], council) != 0)
		return CLI_EXIT_USAGE;
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_org_units_list(client, council, &units);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
	} else if (units->count == 0) {
		fprintf(stderr, "csperf %s: nothing there: council %s's records name no locality "
			"and no team\n", argv[0], council);
		rc = CLI_EXIT_NODATA;
	} else {
		result = output_result_new(columns, 3, 0);
		for (size_t i = 0; result != NULL && i < units->count; i++) {
			const char *values[3] = { units->items[i].kind, units->items[i].name,
						  units->items[i].org_unit };

			output_result_add(result, values);
		}
		rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
		output_result_free(result);
	}
	csperf_org_units_free(units);
	csperf_client_free(client);
	return rc;
}
