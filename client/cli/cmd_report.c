/*
 * cmd_report.c: `csperf report`: a council's performance for one period as
 * one self-contained HTML file for a committee.
 *
 * The page holds everything it needs (inline CSS and SVG; no scripts, fonts,
 * images or links to fetch): a title block, the exceptions first (Norfolk's
 * report cards: criteria as badges and the one-sentence reason), then a
 * scorecard table per stage of the child's journey (Wolverhampton's columns)
 * with a small chart per indicator. RAG is always written as a word as well
 * as shown in colour. Every string from csperfd is escaped. The file is
 * written beside its destination and renamed into place, so a report that
 * fails half-way never replaces a good one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csperf/scorecards.h>

#include "cli.h"

#define MAX_CHART_POINTS 16
#define MAX_QUARTER_COLUMNS 4

/* The chart's box, in CSS pixels: the plot inside leaves room for the axis
 * labels on the left and below. */
#define CHART_WIDTH 236
#define CHART_HEIGHT 78
#define PLOT_LEFT 44.0
#define PLOT_RIGHT 228.0
#define PLOT_TOP 7.0
#define PLOT_BOTTOM 62.0

/* Counts up to this are small numbers when a definition names no threshold. */
#define DEFAULT_SMALL_NUMBER 5

#define EN_DASH "\xe2\x80\x93"

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};

static const struct {
	const char *code, *name;
} stage_names[] = {
	{ "early_help", "Early help" },
	{ "front_door", "Front door: contacts and referrals" },
	{ "assessment", "Assessment" },
	{ "child_protection", "Child protection" },
	{ "looked_after", "Children looked after" },
	{ "adoption", "Adoption" },
	{ "care_leavers", "Care leavers" },
	{ "workforce", "Workforce" },
	{ "youth_justice", "Youth justice" },
	{ "finance", "Finance" },
};

static const struct {
	const char *code, *name;
} criterion_names[] = {
	{ "off_target", "Off target" },
	{ "worsening", "Worse three periods running" },
	{ "budget", "Affects the budget" },
	{ "corporate_risk", "Corporate risk" },
};

typedef struct report {
	const char *council;
	const char *period;
	csperf_scorecard *scorecard;
	csperf_exceptions *exceptions;
	csperf_indicator_list *definitions;
	csperf_series **series;       /* one a scorecard row */
	const char *series_type;      /* month, quarter, year, rolling12 or ytd */
	bool series_denied;           /* this caller may not read series: charts use the trend */
	bool caller_suppressed;       /* csperfd hides small numbers from this caller */
	char generated_at[64];
} report;

/* ---- text ---- */

/* Writes text as HTML text or attribute value: the five characters that mean
 * something in markup are escaped, control characters dropped. */
static void put_escaped(FILE *f, const char *text)
{
	if (text == NULL)
		return;
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\t':
		case '\n':
		case '\r':
			fputc(' ', f);
			break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				fputc(*p, f);
		}
	}
}

/* Figures as output_figure writes them, with an en dash for none. */
static void format_value(const char *unit, double value, char *out, size_t size)
{
	output_figure(unit, true, value, false, EN_DASH, out, size);
}

/* A table cell's text: "*" when hidden, a dash when there is no figure. */
static void format_figure(const char *unit, csperf_figure figure, bool suppressed, char *out,
			  size_t size)
{
	output_figure(unit, figure.present, figure.value, suppressed, EN_DASH, out, size);
}

static bool parse_date(const char *iso, int *year, int *month, int *day)
{
	return iso != NULL && sscanf(iso, "%4d-%2d-%2d", year, month, day) == 3 && *month >= 1 &&
	       *month <= 12;
}

/* "2019-03-31" as "31 March 2019". */
static void format_date(const char *iso, char *out, size_t size)
{
	int year, month, day;

	if (parse_date(iso, &year, &month, &day))
		snprintf(out, size, "%d %s %d", day, month_names[month - 1], year);
	else
		snprintf(out, size, "%s", iso != NULL ? iso : "");
}

/* The financial year ("2018-19") that holds an ISO date, or "". */
static void financial_year_of(const char *iso, char *out, size_t size)
{
	int year, month, day, start;

	if (!parse_date(iso, &year, &month, &day)) {
		snprintf(out, size, "%s", "");
		return;
	}
	start = month >= 4 ? year : year - 1;
	snprintf(out, size, "%04d-%02d", start, (start + 1) % 100);
}

/* A period label as a committee writes it: "Q4 2018-19", "January 2019",
 * "12 months to March 2019". */
static void format_period(const char *label, const char *type, char *out, size_t size)
{
	int year, month;
	const char *month_part = label;

	if (strcmp(type, "quarter") == 0 && strlen(label) == 10 && label[7] == ':') {
		snprintf(out, size, "%.2s %.7s", label + 8, label);
		return;
	}
	if (strncmp(label, "r12:", 4) == 0 || strncmp(label, "ytd:", 4) == 0)
		month_part = label + 4;
	if (strcmp(type, "year") != 0 && sscanf(month_part, "%4d-%2d", &year, &month) == 2 &&
	    month >= 1 && month <= 12) {
		if (strcmp(type, "rolling12") == 0)
			snprintf(out, size, "12 months to %s %d", month_names[month - 1], year);
		else if (strcmp(type, "ytd") == 0)
			snprintf(out, size, "Year to date, %s %d", month_names[month - 1], year);
		else
			snprintf(out, size, "%s %d", month_names[month - 1], year);
		return;
	}
	snprintf(out, size, "%s", strncmp(label, "fy:", 3) == 0 ? label + 3 : label);
}

/* A chart axis label: "Q1 18-19", "Jan 19", "2017-18". */
static void short_period(const char *label, const char *type, char *out, size_t size)
{
	int year, month;
	const char *month_part = label;

	if (strcmp(type, "quarter") == 0 && strlen(label) == 10 && label[7] == ':') {
		snprintf(out, size, "%.2s %.2s-%.2s", label + 8, label + 2, label + 5);
		return;
	}
	if (strncmp(label, "r12:", 4) == 0 || strncmp(label, "ytd:", 4) == 0)
		month_part = label + 4;
	if (strcmp(type, "year") != 0 && sscanf(month_part, "%4d-%2d", &year, &month) == 2 &&
	    month >= 1 && month <= 12) {
		snprintf(out, size, "%.3s %02d", month_names[month - 1], year % 100);
		return;
	}
	snprintf(out, size, "%s", label);
}

static const char *stage_name(const char *code)
{
	for (size_t i = 0; i < sizeof(stage_names) / sizeof(stage_names[0]); i++)
		if (strcmp(stage_names[i].code, code) == 0)
			return stage_names[i].name;
	return code;
}

static const char *criterion_name(const char *code)
{
	for (size_t i = 0; i < sizeof(criterion_names) / sizeof(criterion_names[0]); i++)
		if (strcmp(criterion_names[i].code, code) == 0)
			return criterion_names[i].name;
	return code;
}

/* red, amber, green or none: safe to use in a class name. */
static const char *rag_class(const char *rag)
{
	if (strcmp(rag, "red") == 0 || strcmp(rag, "amber") == 0 || strcmp(rag, "green") == 0)
		return rag;
	return "none";
}

/* The badge says the rating in words and with a mark, so it reads without
 * colour and in black-and-white print. */
static void put_rag_badge(FILE *f, const char *rag)
{
	const char *cls = rag_class(rag);

	if (strcmp(cls, "red") == 0)
		fputs("<span class=\"rag rag-red\">\xe2\x9c\x95 Red</span>", f);          /* ✕ */
	else if (strcmp(cls, "amber") == 0)
		fputs("<span class=\"rag rag-amber\">! Amber</span>", f);
	else if (strcmp(cls, "green") == 0)
		fputs("<span class=\"rag rag-green\">\xe2\x9c\x93 Green</span>", f);      /* ✓ */
	else
		fputs("<span class=\"rag rag-none\">No RAG</span>", f);
}

static void put_direction(FILE *f, const char *direction)
{
	if (strcmp(direction, "improving") == 0)
		fputs("<span class=\"dir dir-improving\">\xe2\x96\xb2 Better</span>", f);  /* ▲ */
	else if (strcmp(direction, "worsening") == 0)
		fputs("<span class=\"dir dir-worsening\">\xe2\x96\xbc Worse</span>", f);  /* ▼ */
	else if (strcmp(direction, "steady") == 0)
		fputs("<span class=\"dir dir-steady\">\xe2\x96\xb6 Same</span>", f);      /* ▶ */
	else
		fputs("<span class=\"dir dir-none\">" EN_DASH "</span>", f);
}

/* ---- what the report is made of ---- */

static const csperf_indicator *definition_of(const report *r, const char *indicator_id)
{
	for (size_t i = 0; i < r->definitions->count; i++)
		if (strcmp(r->definitions->indicators[i].indicator_id, indicator_id) == 0)
			return &r->definitions->indicators[i];
	return NULL;
}

static const csperf_scorecard_row *row_of(const report *r, const char *indicator_id)
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
	if (parse_date(sc->period_start, &start_year, &start_month, &day) &&
	    parse_date(sc->period_end, &end_year, &end_month, &day) &&
	    start_year == end_year && start_month == end_month)
		return "month";
	return "year";
}

/* How many periods a chart shows: two years of quarters, a year and a
 * month of months, five years. */
static size_t recent_count(const char *type)
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

/* ---- charts ---- */

typedef struct chart_point {
	char period[24];           /* the period's label, "2018-19:Q4" */
	char label[24];            /* as the axis shows it, "Q4 18-19" */
	csperf_figure value;
	bool hidden;               /* a small number, not shown to this caller */
	csperf_figure target;
	double tolerance;
} chart_point;

static bool small_count(csperf_figure count, int threshold)
{
	return count.present && count.value >= 1 && count.value <= threshold;
}

/* Whether a point of the series must not be shown: csperfd hid the same
 * figure in the scorecard, or (for a caller it hides small numbers from) the
 * figure rests on one. */
static bool point_hidden(const report *r, const csperf_scorecard_row *row,
			 const csperf_indicator *def, const csperf_series_point *p)
{
	int threshold = def != NULL && def->small_number_threshold > 0
		? def->small_number_threshold : DEFAULT_SMALL_NUMBER;

	if (strcmp(p->period, row->period) == 0 && row->suppressed)
		return true;
	for (size_t i = 0; i < row->ntrend; i++)
		if (strcmp(row->trend[i].period, p->period) == 0 && !row->trend[i].value.present &&
		    p->value.present)
			return true;
	return r->caller_suppressed &&
	       (small_count(p->numerator, threshold) || small_count(p->denominator, threshold));
}

static void target_of(const report *r, const csperf_scorecard_row *row,
		      const csperf_indicator *def, const char *year, chart_point *point)
{
	char report_year[16];

	point->target.present = 0;
	point->tolerance = 0;
	if (def != NULL) {
		for (size_t i = 0; i < def->ntargets; i++)
			if (strcmp(def->targets[i].year, year) == 0) {
				point->target.present = 1;
				point->target.value = def->targets[i].target;
				point->tolerance = def->targets[i].tolerance;
			}
		return;
	}
	financial_year_of(r->scorecard->period_start, report_year, sizeof(report_year));
	if (strcmp(year, report_year) == 0 && row->target.present) {
		point->target = row->target;
		point->tolerance = row->tolerance.present ? row->tolerance.value : 0;
	}
}

/* The financial year of a quarter ("2018-19:Q1") or month ("2019-01") label. */
static void financial_year_of_label(const char *label, char *out, size_t size)
{
	int year, month;

	if (strlen(label) == 10 && label[7] == ':')
		snprintf(out, size, "%.7s", label);
	else if (sscanf(label, "%4d-%2d", &year, &month) == 2 && month >= 1 && month <= 12)
		snprintf(out, size, "%04d-%02d", month >= 4 ? year : year - 1,
			 (month >= 4 ? year + 1 : year) % 100);
	else
		snprintf(out, size, "%s", "");
}

/* Without series, the periods the scorecard carries: this year's quarters,
 * or the last twelve months. */
static size_t trend_points(const report *r, const csperf_scorecard_row *row,
			   const csperf_indicator *def, chart_point *points)
{
	size_t n = 0;
	char year[16];

	for (size_t i = 0; i < row->ntrend && n < MAX_CHART_POINTS; i++) {
		chart_point *point = &points[n++];
		const char *label = row->trend[i].period;

		snprintf(point->period, sizeof(point->period), "%s", label);
		short_period(label, strstr(label, ":Q") != NULL ? "quarter" : "month", point->label,
			     sizeof(point->label));
		point->hidden = row->suppressed && strcmp(label, row->period) == 0;
		point->value = point->hidden ? (csperf_figure){ 0, 0 } : row->trend[i].value;
		financial_year_of_label(label, year, sizeof(year));
		target_of(r, row, def, year, point);
	}
	return n;
}

/* The recent points of a row's series, oldest first, up to the report's
 * period. */
static size_t chart_points(const report *r, size_t row_index, chart_point *points)
{
	const csperf_scorecard_row *row = &r->scorecard->rows[row_index];
	const csperf_indicator *def = definition_of(r, row->indicator_id);
	const csperf_series *series = r->series[row_index];
	size_t want = recent_count(r->series_type), total = 0, skip, n = 0;
	char year[16];

	if (series == NULL)
		return trend_points(r, row, def, points);
	if (want > MAX_CHART_POINTS)
		want = MAX_CHART_POINTS;
	for (size_t i = 0; i < series->count; i++)
		if (series->points[i].breakdown[0] == '\0' &&
		    strcmp(series->points[i].period_end, r->scorecard->period_end) <= 0)
			total++;
	skip = total > want ? total - want : 0;
	for (size_t i = 0; i < series->count && n < want; i++) {
		const csperf_series_point *p = &series->points[i];
		chart_point *point;

		if (p->breakdown[0] != '\0' || strcmp(p->period_end, r->scorecard->period_end) > 0)
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		point = &points[n++];
		snprintf(point->period, sizeof(point->period), "%s", p->period);
		short_period(p->period, r->series_type, point->label, sizeof(point->label));
		point->hidden = point_hidden(r, row, def, p);
		point->value = point->hidden ? (csperf_figure){ 0, 0 } : p->value;
		financial_year_of(p->period_start, year, sizeof(year));
		target_of(r, row, def, year, point);
	}
	return n;
}

/* The comparator a chart draws: a published national figure first, then
 * statistical neighbours, a region, then any. */
static const csperf_comparator *chart_comparator(const csperf_scorecard_row *row)
{
	static const char *const preference[] = {
		"england", "wales", "statistical_neighbours", "region", NULL,
	};

	for (size_t p = 0; preference[p] != NULL; p++)
		for (size_t i = 0; i < row->ncomparators; i++)
			if (row->comparators[i].value.present &&
			    strcmp(row->comparators[i].area_type, preference[p]) == 0)
				return &row->comparators[i];
	for (size_t i = 0; i < row->ncomparators; i++)
		if (row->comparators[i].value.present)
			return &row->comparators[i];
	return NULL;
}

typedef struct scale {
	double lo, hi;
	bool any;
} scale;

static void scale_include(scale *s, double value)
{
	if (!s->any || value < s->lo)
		s->lo = value;
	if (!s->any || value > s->hi)
		s->hi = value;
	s->any = true;
}

static double chart_x(size_t i, size_t n)
{
	return n <= 1 ? (PLOT_LEFT + PLOT_RIGHT) / 2
		      : PLOT_LEFT + i * (PLOT_RIGHT - PLOT_LEFT) / (n - 1);
}

static double chart_y(const scale *s, double value)
{
	return PLOT_BOTTOM - (value - s->lo) / (s->hi - s->lo) * (PLOT_BOTTOM - PLOT_TOP);
}

/* The chart's description for screen readers: every point in words. */
static void put_chart_title(FILE *f, const csperf_scorecard_row *row, const chart_point *points,
			    size_t n, const csperf_comparator *comparator)
{
	char text[48];

	fputs("<title>", f);
	put_escaped(f, row->title);
	fputs(": ", f);
	for (size_t i = 0; i < n; i++) {
		format_figure(row->unit, points[i].value, points[i].hidden, text, sizeof(text));
		fprintf(f, "%s", i > 0 ? ", " : "");
		put_escaped(f, points[i].label);
		fputc(' ', f);
		put_escaped(f, text);
	}
	if (n > 0 && points[n - 1].target.present) {
		format_value(row->unit, points[n - 1].target.value, text, sizeof(text));
		fputs("; target ", f);
		put_escaped(f, text);
	}
	if (comparator != NULL) {
		format_value(row->unit, comparator->value.value, text, sizeof(text));
		fputs("; ", f);
		put_escaped(f, comparator->name);
		fputc(' ', f);
		put_escaped(f, text);
	}
	fputs("</title>", f);
}

/* A small line chart of a row's recent values: the target as a line, the
 * amber band (the tolerance on the wrong side of the target) shaded, the
 * comparator dashed, and the report's period marked in its RAG colour. */
static void write_chart(FILE *f, const report *r, size_t row_index)
{
	const csperf_scorecard_row *row = &r->scorecard->rows[row_index];
	const csperf_comparator *comparator = chart_comparator(row);
	bool up = strcmp(row->polarity, "up") == 0, down = strcmp(row->polarity, "down") == 0;
	bool nonnegative = true, percent = strcmp(row->unit, "percent") == 0, pen_down = false;
	chart_point points[MAX_CHART_POINTS];
	size_t n = chart_points(r, row_index, points);
	double half_step = n <= 1 ? (PLOT_RIGHT - PLOT_LEFT) / 2
				  : (PLOT_RIGHT - PLOT_LEFT) / (double)(n - 1) / 2;
	scale s = { 0, 0, false };
	char text[48];

	for (size_t i = 0; i < n; i++) {
		if (points[i].value.present) {
			scale_include(&s, points[i].value.value);
			nonnegative &= points[i].value.value >= 0;
		}
		if (points[i].target.present) {
			scale_include(&s, points[i].target.value);
			if (up)
				scale_include(&s, points[i].target.value - points[i].tolerance);
			else if (down)
				scale_include(&s, points[i].target.value + points[i].tolerance);
		}
	}
	if (comparator != NULL)
		scale_include(&s, comparator->value.value);

	fprintf(f, "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"role=\"img\">", CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT);
	put_chart_title(f, row, points, n, comparator);
	fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
	if (!s.any) {
		fprintf(f, "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
			"No figures to chart</text></svg>", (PLOT_LEFT + PLOT_RIGHT) / 2,
			(PLOT_TOP + PLOT_BOTTOM) / 2);
		return;
	}
	{
		double spread = s.hi - s.lo, magnitude = s.hi > -s.lo ? s.hi : -s.lo;

		if (spread < 1e-9) {
			s.lo -= magnitude > 0 ? magnitude * 0.1 : 1;
			s.hi += magnitude > 0 ? magnitude * 0.1 : 1;
		} else {
			s.lo -= spread * 0.1;
			s.hi += spread * 0.1;
		}
		/* Keep the axis inside what the unit can be. */
		if (nonnegative && s.lo < 0 && (comparator == NULL || comparator->value.value >= 0))
			s.lo = 0;
		if (percent && s.hi > 100 && s.lo < 100)
			s.hi = 100;
	}

	/* The amber band and the target, step by step: targets are set a
	 * financial year at a time. */
	for (size_t i = 0; i < n; i++) {
		double x0 = chart_x(i, n) - half_step, x1 = chart_x(i, n) + half_step, edge, y0, y1;

		if (!points[i].target.present || points[i].tolerance <= 0 || (!up && !down))
			continue;
		x0 = x0 < PLOT_LEFT ? PLOT_LEFT : x0;
		x1 = x1 > PLOT_RIGHT ? PLOT_RIGHT : x1;
		edge = up ? points[i].target.value - points[i].tolerance
			  : points[i].target.value + points[i].tolerance;
		y0 = chart_y(&s, points[i].target.value);
		y1 = chart_y(&s, edge);
		fprintf(f, "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			x0, y0 < y1 ? y0 : y1, x1 - x0, y0 < y1 ? y1 - y0 : y0 - y1);
	}
	fputs("<path class=\"target\" d=\"", f);
	for (size_t i = 0; i < n; i++) {
		double x0 = chart_x(i, n) - half_step, x1 = chart_x(i, n) + half_step;

		if (!points[i].target.present)
			continue;
		fprintf(f, "M%.1f %.1fH%.1f", x0 < PLOT_LEFT ? PLOT_LEFT : x0,
			chart_y(&s, points[i].target.value), x1 > PLOT_RIGHT ? PLOT_RIGHT : x1);
	}
	fputs("\"/>", f);
	if (comparator != NULL) {
		double y = chart_y(&s, comparator->value.value);

		fprintf(f, "<line class=\"comparator\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
			PLOT_LEFT, y, PLOT_RIGHT, y);
	}
	/* The values, broken where there is no figure. */
	fputs("<path class=\"values\" d=\"", f);
	for (size_t i = 0; i < n; i++) {
		if (!points[i].value.present) {
			pen_down = false;
			continue;
		}
		fprintf(f, "%c%.1f %.1f", pen_down ? 'L' : 'M', chart_x(i, n),
			chart_y(&s, points[i].value.value));
		pen_down = true;
	}
	fputs("\"/>", f);
	for (size_t i = 0; i < n; i++) {
		bool now = strcmp(points[i].period, r->scorecard->period) == 0;

		if (!points[i].value.present)
			continue;
		if (now)
			fprintf(f, "<circle class=\"now now-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>",
				rag_class(row->rag), chart_x(i, n), chart_y(&s, points[i].value.value));
		else
			fprintf(f, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\"/>",
				chart_x(i, n), chart_y(&s, points[i].value.value));
	}
	/* A hidden figure is marked as in the table. */
	for (size_t i = 0; i < n; i++)
		if (points[i].hidden)
			fprintf(f, "<text class=\"hidden\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
				"*</text>", chart_x(i, n), PLOT_BOTTOM - 3);
	/* The highest and lowest values, at their heights, and the first and last
	 * periods. */
	{
		bool seen = false;
		double high = 0, low = 0;

		for (size_t i = 0; i < n; i++) {
			if (!points[i].value.present)
				continue;
			if (!seen || points[i].value.value > high)
				high = points[i].value.value;
			if (!seen || points[i].value.value < low)
				low = points[i].value.value;
			seen = true;
		}
		if (seen) {
			format_value(row->unit, high, text, sizeof(text));
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", PLOT_LEFT - 4,
				chart_y(&s, high) + 3);
			put_escaped(f, text);
			fputs("</text>", f);
		}
		/* Far enough below the highest to be read apart. */
		if (seen && chart_y(&s, low) - chart_y(&s, high) >= 10) {
			format_value(row->unit, low, text, sizeof(text));
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", PLOT_LEFT - 4,
				chart_y(&s, low) + 3);
			put_escaped(f, text);
			fputs("</text>", f);
		}
	}
	if (n > 0) {
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">",
			n > 1 ? PLOT_LEFT : chart_x(0, n), CHART_HEIGHT - 3, n > 1 ? "start" : "middle");
		put_escaped(f, points[0].label);
		fputs("</text>", f);
	}
	if (n > 1) {
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">", PLOT_RIGHT,
			CHART_HEIGHT - 3);
		put_escaped(f, points[n - 1].label);
		fputs("</text>", f);
	}
	fputs("</svg>", f);
}

/* ---- the page ---- */

static const char style[] =
":root{--ink:#1b1b1b;--muted:#555;--rule:#c9ced6;--navy:#1f3a5f;--pale:#eef2f7;"
"--red:#a4161a;--red-bg:#fbe1e0;--amber:#7a4b00;--amber-line:#c98a00;--amber-bg:#fff0c7;"
"--green:#1b6430;--green-bg:#dff1e3;}\n"
"*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact;}\n"
"html{font-family:Arial,\"Liberation Sans\",Helvetica,\"DejaVu Sans\",sans-serif;font-size:15px;"
"color:var(--ink);background:#fff;}\n"
"body{margin:0 auto;padding:24px 32px 48px;max-width:1260px;line-height:1.4;}\n"
"header.title{border-bottom:5px solid var(--navy);padding-bottom:14px;margin-bottom:8px;}\n"
".kicker{margin:0;text-transform:uppercase;letter-spacing:.07em;font-size:.8rem;color:var(--muted);}\n"
"h1{font-size:1.9rem;margin:4px 0 12px;color:var(--navy);}\n"
"dl.meta{display:grid;grid-template-columns:max-content auto max-content auto;gap:3px 16px;"
"margin:0;font-size:.95rem;}\n"
"dl.meta dt{font-weight:bold;color:var(--muted);}dl.meta dd{margin:0;}\n"
".notice{border:1px solid var(--amber-line);border-left:6px solid var(--amber-line);"
"background:var(--amber-bg);padding:6px 10px;margin:12px 0 0;}\n"
"nav.contents{font-size:.9rem;margin:10px 0 0;color:var(--muted);}\n"
"nav.contents a{color:var(--navy);margin-right:14px;white-space:nowrap;}\n"
"h2{font-size:1.4rem;color:var(--navy);margin:26px 0 8px;padding-bottom:4px;"
"border-bottom:2px solid var(--navy);}\n"
"h2 .count{font-size:1rem;color:var(--muted);font-weight:normal;}\n"
"p.lead{margin:4px 0 12px;color:var(--muted);font-size:.92rem;max-width:70em;}\n"
".summary{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0 4px;}\n"
".tile{border:1px solid var(--rule);border-top:4px solid var(--navy);padding:6px 14px 8px;"
"min-width:118px;}\n"
".tile .n{display:block;font-size:1.7rem;font-weight:bold;line-height:1.2;}\n"
".tile.t-red{border-top-color:var(--red);}.tile.t-amber{border-top-color:var(--amber-line);}"
".tile.t-green{border-top-color:var(--green);}.tile.t-none{border-top-color:#999;}\n"
".rag{display:inline-block;padding:1px 7px;border:1.5px solid;border-radius:3px;font-weight:bold;"
"font-size:.82rem;white-space:nowrap;}\n"
".rag-red{color:var(--red);background:var(--red-bg);border-color:var(--red);}\n"
".rag-amber{color:var(--amber);background:var(--amber-bg);border-color:var(--amber-line);"
"border-style:dashed;}\n"
".rag-green{color:var(--green);background:var(--green-bg);border-color:var(--green);}\n"
".rag-none{color:var(--muted);background:#f3f3f3;border-color:#999;border-style:dotted;}\n"
".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:12px;}\n"
".card{border:1px solid var(--rule);border-left:9px solid #999;padding:10px 14px;"
"break-inside:avoid;page-break-inside:avoid;}\n"
".card.edge-red{border-left-color:var(--red);}.card.edge-amber{border-left-color:var(--amber-line);"
"border-left-style:double;}\n"
".card.edge-green{border-left-color:var(--green);}\n"
".card h3{font-size:1.05rem;margin:0 0 6px;display:flex;gap:10px;align-items:baseline;"
"justify-content:space-between;}\n"
".card .reason{margin:6px 0 8px;}\n"
".criterion{display:inline-block;border:1px solid var(--navy);color:var(--navy);"
"background:var(--pale);border-radius:10px;padding:0 9px;font-size:.8rem;margin:0 4px 3px 0;}\n"
"dl.facts{display:flex;flex-wrap:wrap;gap:2px 18px;margin:0;font-size:.85rem;color:var(--muted);}\n"
"dl.facts div{display:flex;gap:5px;}dl.facts dt{margin:0;}dl.facts dd{margin:0;color:var(--ink);"
"font-weight:bold;}\n"
".none-found{border:1px solid var(--rule);padding:10px 14px;}\n"
"p.unavailable{font-size:.85rem;color:var(--muted);border-left:4px solid var(--rule);"
"padding:2px 0 2px 10px;margin:10px 0 0;}\np.unavailable strong{color:var(--ink);}\n"
".id{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:.78rem;"
"color:var(--muted);font-weight:normal;}\n"
".key{font-size:.8rem;color:var(--muted);margin:0 0 8px;}\n"
".swatch{display:inline-block;width:24px;vertical-align:middle;margin:0 5px 0 14px;}\n"
".swatch:first-child{margin-left:0;}\n"
".sw-values{border-top:2px solid var(--navy);}.sw-target{border-top:2px solid var(--green);}\n"
".sw-band{height:10px;background:#f6c643;border:1px solid var(--amber-line);}\n"
".sw-comparator{border-top:2px dashed #666;}\n"
"table.scorecard{width:100%;border-collapse:collapse;font-size:.86rem;}\n"
".scorecard th,.scorecard td{border-bottom:1px solid var(--rule);padding:5px 6px;"
"vertical-align:middle;}\n"
".scorecard thead th{background:var(--pale);border-bottom:2px solid var(--navy);"
"border-top:1px solid var(--rule);font-size:.78rem;text-align:right;vertical-align:bottom;"
"white-space:nowrap;}\n"
".scorecard thead th.l{text-align:left;}\n"
".scorecard th.indicator{text-align:left;font-weight:normal;width:24%;"
"border-left:6px solid transparent;}\n"
".scorecard th.edge-red{border-left-color:var(--red);}"
".scorecard th.edge-amber{border-left-color:var(--amber-line);}\n"
".scorecard th.indicator .t{font-weight:bold;display:block;}\n"
".tags{display:block;font-size:.75rem;color:var(--muted);}\n"
".scorecard td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;}\n"
".scorecard td.now{font-weight:bold;font-size:.95rem;background:var(--pale);}\n"
".scorecard td.c{text-align:center;white-space:nowrap;}\n"
".scorecard td.comparator{text-align:right;font-size:.8rem;}\n"
".comparator small{display:block;color:var(--muted);font-size:.7rem;white-space:normal;}\n"
".dir{white-space:nowrap;font-size:.82rem;}.dir-improving{color:var(--green);}"
".dir-worsening{color:var(--red);font-weight:bold;}.dir-steady,.dir-none{color:var(--muted);}\n"
"sup.p{font-weight:normal;color:var(--muted);}\n"
"p.footnote{font-size:.8rem;color:var(--muted);margin:6px 0 0;}\n"
"svg.chart{display:block;overflow:visible;}\n"
"svg.chart text{font-size:9px;fill:#555;}\n"
"svg.chart .axis{stroke:#b5bcc6;stroke-width:1;}\n"
"svg.chart .band{fill:#f6c643;fill-opacity:.45;}\n"
"svg.chart .target{stroke:#1b6430;stroke-width:1.6;fill:none;}\n"
"svg.chart .comparator{stroke:#666;stroke-width:1.2;stroke-dasharray:4 3;}\n"
"svg.chart .values{stroke:#1f3a5f;stroke-width:2;fill:none;stroke-linejoin:round;}\n"
"svg.chart .point{fill:#fff;stroke:#1f3a5f;stroke-width:1.3;}\n"
"svg.chart .now{stroke:#1b1b1b;stroke-width:1.3;fill:#fff;}\n"
"svg.chart .now-red{fill:#c0392b;}svg.chart .now-amber{fill:#f0a500;}"
"svg.chart .now-green{fill:#2e8b47;}\n"
"svg.chart .empty{font-size:10px;fill:#777;}\n"
"svg.chart .hidden{font-size:13px;font-weight:bold;fill:#1b1b1b;}\n"
"section.definitions dl{font-size:.85rem;columns:2;column-gap:32px;}\n"
"section.definitions dt{font-weight:bold;break-after:avoid;}\n"
"section.definitions dd{margin:0 0 8px;break-inside:avoid;}\n"
"footer{margin-top:28px;border-top:1px solid var(--rule);padding-top:6px;font-size:.78rem;"
"color:var(--muted);}\n"
"@page{size:A4 landscape;margin:12mm 11mm 14mm;"
"@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font-size:8pt;color:#555;}}\n"
"@media print{html{font-size:9.5pt;}body{padding:0;max-width:none;}nav.contents{display:none;}"
"section.stage,section.definitions{break-before:page;page-break-before:always;}"
"section.stage.empty{break-before:auto;page-break-before:auto;}"
"thead{display:table-header-group;}tr{break-inside:avoid;page-break-inside:avoid;}"
"h2,h3{break-after:avoid;page-break-after:avoid;}a{color:inherit;text-decoration:none;}"
".cards{grid-template-columns:1fr 1fr;}svg.chart{width:200px;height:66px;}"
".scorecard th,.scorecard td{padding:3px 5px;}}\n";

/* Whether a row has anything to show: a figure now, last year, this year or
 * in its series, or one hidden from this caller. Rows with none are listed
 * under their stage's table rather than given a row of dashes. */
static bool row_has_figures(const report *r, size_t i)
{
	const csperf_scorecard_row *row = &r->scorecard->rows[i];

	if (row->value.present || row->last_year.present || row->suppressed)
		return true;
	for (size_t t = 0; t < row->ntrend; t++)
		if (row->trend[t].value.present)
			return true;
	for (size_t p = 0; r->series[i] != NULL && p < r->series[i]->count; p++)
		if (r->series[i]->points[p].value.present)
			return true;
	return false;
}

/* Whether row i is the first of its stage: stages are written in the order
 * they first appear, each with all its rows. */
static bool first_of_stage(const csperf_scorecard *sc, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(sc->rows[k].stage, sc->rows[i].stage) == 0)
			return false;
	return true;
}

static void write_head(FILE *f, const report *r, const char *period)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"csperf ", f);
	put_escaped(f, csperf_version());
	fputs("\">\n<title>Children&#39;s services performance: ", f);
	put_escaped(f, r->scorecard->council_name);
	fputs(", ", f);
	put_escaped(f, period);
	fputs("</title>\n<style>\n", f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n", f);
}

static void write_title_block(FILE *f, const report *r, const char *period)
{
	const csperf_scorecard *sc = r->scorecard;
	char start[40], end[40], data_to[40];

	format_date(sc->period_start, start, sizeof(start));
	format_date(sc->period_end, end, sizeof(end));
	format_date(sc->data_to, data_to, sizeof(data_to));
	fputs("<header class=\"title\">\n<p class=\"kicker\">Children&#39;s services performance "
	      "report</p>\n<h1>", f);
	put_escaped(f, sc->council_name);
	fputs(": ", f);
	put_escaped(f, period);
	fputs("</h1>\n<dl class=\"meta\">\n<dt>Council</dt><dd>", f);
	put_escaped(f, sc->council_name);
	fputs(" (", f);
	put_escaped(f, sc->council);
	fputs(")</dd>\n<dt>Data as at</dt><dd>", f);
	put_escaped(f, sc->data_to[0] != '\0' ? data_to : "no records loaded");
	fputs("</dd>\n<dt>Period</dt><dd>", f);
	put_escaped(f, period);
	fputs(" (", f);
	put_escaped(f, start);
	fputs(" to ", f);
	put_escaped(f, end);
	fputs(")</dd>\n<dt>Generated</dt><dd>", f);
	put_escaped(f, r->generated_at);
	fputs(" by csperf ", f);
	put_escaped(f, csperf_version());
	fputs("</dd>\n</dl>\n", f);
	if (sc->data_to[0] != '\0' && strcmp(sc->data_to, sc->period_end) < 0) {
		fputs("<p class=\"notice\"><strong>Provisional.</strong> The data end on ", f);
		put_escaped(f, data_to);
		fputs(", before the period does: figures may change when the rest is loaded.</p>\n", f);
	}
	fputs("<nav class=\"contents\">Contents: <a href=\"#exceptions\">Exceptions</a>\n", f);
	for (size_t i = 0; i < sc->nrows; i++) {
		if (!first_of_stage(sc, i))
			continue;
		fputs("<a href=\"#stage-", f);
		put_escaped(f, sc->rows[i].stage);
		fputs("\">", f);
		put_escaped(f, stage_name(sc->rows[i].stage));
		fputs("</a>\n", f);
	}
	fputs("<a href=\"#definitions\">Definitions</a></nav>\n</header>\n", f);
}

static void write_summary(FILE *f, const report *r)
{
	static const char *const rags[] = { "red", "amber", "green", "none" };
	static const char *const labels[] = {
		"\xe2\x9c\x95 Red", "! Amber", "\xe2\x9c\x93 Green", "No RAG",
	};
	size_t counts[4] = { 0, 0, 0, 0 }, without_figures = 0;

	for (size_t i = 0; i < r->scorecard->nrows; i++) {
		if (!row_has_figures(r, i)) {
			without_figures++;
			continue;
		}
		for (size_t k = 0; k < 4; k++)
			if (strcmp(rag_class(r->scorecard->rows[i].rag), rags[k]) == 0)
				counts[k]++;
	}
	fprintf(f, "<div class=\"summary\">\n<div class=\"tile\"><span class=\"n\">%zu</span>"
		"exception%s to discuss</div>\n<div class=\"tile\"><span class=\"n\">%zu</span>"
		"indicators</div>\n", r->exceptions->count, r->exceptions->count == 1 ? "" : "s",
		r->scorecard->nrows);
	for (size_t k = 0; k < 4; k++)
		fprintf(f, "<div class=\"tile t-%s\"><span class=\"n\">%zu</span>%s</div>\n", rags[k],
			counts[k], labels[k]);
	if (without_figures > 0)
		fprintf(f, "<div class=\"tile t-none\"><span class=\"n\">%zu</span>no figures yet"
			"</div>\n", without_figures);
	fputs("</div>\n", f);
}

static void write_exception(FILE *f, const report *r, const csperf_exception *e)
{
	const csperf_scorecard_row *row = e->row != NULL ? e->row : row_of(r, e->indicator_id);
	char value[48], target[48], last[48], period[48];

	fprintf(f, "<article class=\"card edge-%s\">\n<h3><span>",
		row != NULL ? rag_class(row->rag) : "none");
	put_escaped(f, e->title);
	fputs(" <span class=\"id\">", f);
	put_escaped(f, e->indicator_id);
	fputs("</span></span>", f);
	put_rag_badge(f, row != NULL ? row->rag : "none");
	fputs("</h3>\n<div class=\"criteria\">", f);
	for (size_t c = 0; c < e->ncriteria; c++) {
		fputs("<span class=\"criterion\">", f);
		put_escaped(f, criterion_name(e->criteria[c]));
		if (strcmp(e->criteria[c], "corporate_risk") == 0 && row != NULL &&
		    row->corporate_risk[0] != '\0') {
			fputc(' ', f);
			put_escaped(f, row->corporate_risk);
		}
		fputs("</span>", f);
	}
	fputs("</div>\n<p class=\"reason\">", f);
	put_escaped(f, e->reason);
	fputs("</p>\n", f);
	if (row != NULL) {
		format_period(row->period, r->series_type, period, sizeof(period));
		format_figure(row->unit, row->value, row->suppressed, value, sizeof(value));
		format_figure(row->unit, row->target, false, target, sizeof(target));
		format_figure(row->unit, row->last_year, row->suppressed, last, sizeof(last));
		fputs("<dl class=\"facts\"><div><dt>", f);
		put_escaped(f, period);
		fputs("</dt><dd>", f);
		put_escaped(f, value);
		fputs("</dd></div><div><dt>Target</dt><dd>", f);
		put_escaped(f, target);
		fputs("</dd></div><div><dt>Last year</dt><dd>", f);
		put_escaped(f, last);
		fputs("</dd></div><div><dt>Direction</dt><dd>", f);
		put_direction(f, row->direction);
		fputs("</dd></div></dl>\n", f);
	}
	fputs("</article>\n", f);
}

static void write_exceptions(FILE *f, const report *r)
{
	fprintf(f, "<section class=\"exceptions\" id=\"exceptions\">\n<h2>Exceptions "
		"<span class=\"count\">(%zu)</span></h2>\n", r->exceptions->count);
	fputs("<p class=\"lead\">The indicators for the committee to discuss. An indicator is an "
	      "exception when it is off target (Red, or 5% or more worse than its target), has got "
	      "worse three periods running, affects the budget, or bears on one of the "
	      "council&#39;s corporate risks.</p>\n", f);
	if (r->exceptions->count == 0) {
		fputs("<p class=\"none-found\">No indicator meets the exception criteria for this "
		      "period.</p>\n", f);
	} else {
		fputs("<div class=\"cards\">\n", f);
		for (size_t i = 0; i < r->exceptions->count; i++)
			write_exception(f, r, &r->exceptions->exceptions[i]);
		fputs("</div>\n", f);
	}
	fputs("</section>\n", f);
}

/* This year's quarters before the report's period, as columns (none for
 * monthly reports: twelve months do not fit; the chart shows them). */
static size_t quarter_columns(const report *r, const csperf_scorecard_row *row,
			      const char **labels)
{
	size_t n = 0;

	if (row->ntrend > MAX_QUARTER_COLUMNS)
		return 0;
	for (size_t i = 0; i < row->ntrend && n < MAX_QUARTER_COLUMNS; i++)
		if (strcmp(row->trend[i].period, r->scorecard->period) != 0)
			labels[n++] = row->trend[i].period;
	return n;
}

static csperf_figure trend_value(const csperf_scorecard_row *row, const char *period)
{
	for (size_t i = 0; i < row->ntrend; i++)
		if (strcmp(row->trend[i].period, period) == 0)
			return row->trend[i].value;
	return (csperf_figure){ 0, 0 };
}

static void write_row(FILE *f, const report *r, size_t row_index, const char *const *quarters,
		      size_t nquarters, bool *any_suppressed, bool *any_provisional)
{
	const csperf_scorecard_row *row = &r->scorecard->rows[row_index];
	char text[48];
	size_t shown = 0;
	bool exception = false;

	for (size_t i = 0; i < r->exceptions->count; i++)
		exception |= strcmp(r->exceptions->exceptions[i].indicator_id, row->indicator_id) == 0;
	fprintf(f, "<tr class=\"indicator\"><th scope=\"row\" class=\"indicator edge-%s\">"
		"<span class=\"t\">", rag_class(row->rag));
	put_escaped(f, row->title);
	fputs("</span><span class=\"id\">", f);
	put_escaped(f, row->indicator_id);
	fputs("</span>", f);
	if (exception || row->corporate_risk[0] != '\0' || row->budget_line[0] != '\0' ||
	    strcmp(row->polarity, "none") == 0) {
		fputs("<span class=\"tags\">", f);
		if (exception)
			fputs("<b>Exception</b> (see Exceptions). ", f);
		if (strcmp(row->polarity, "none") == 0)
			fputs("Context only, no RAG. ", f);
		if (row->corporate_risk[0] != '\0') {
			fputs("Corporate risk ", f);
			put_escaped(f, row->corporate_risk);
			fputs(". ", f);
		}
		if (row->budget_line[0] != '\0') {
			fputs("Budget line ", f);
			put_escaped(f, row->budget_line);
			fputc('.', f);
		}
		fputs("</span>", f);
	}
	fputs("</th>", f);
	format_figure(row->unit, row->last_year, row->suppressed, text, sizeof(text));
	fputs("<td class=\"num\">", f);
	put_escaped(f, text);
	fputs("</td>", f);
	for (size_t q = 0; q < nquarters; q++) {
		csperf_figure value = trend_value(row, quarters[q]);

		/* csperfd leaves out a quarter it hides from this caller. */
		format_figure(row->unit, value, row->suppressed && !value.present, text, sizeof(text));
		fputs("<td class=\"num\">", f);
		put_escaped(f, text);
		fputs("</td>", f);
	}
	format_figure(row->unit, row->value, row->suppressed, text, sizeof(text));
	fputs("<td class=\"num now\">", f);
	put_escaped(f, text);
	if (row->provisional) {
		fputs("<sup class=\"p\">p</sup>", f);
		*any_provisional = true;
	}
	fputs("</td>", f);
	format_figure(row->unit, row->target, false, text, sizeof(text));
	fputs("<td class=\"num\">", f);
	put_escaped(f, text);
	fputs("</td><td class=\"c\">", f);
	put_rag_badge(f, row->rag);
	fputs("</td><td class=\"c\">", f);
	put_direction(f, row->direction);
	fputs("</td><td class=\"comparator\">", f);
	for (size_t c = 0; c < row->ncomparators && shown < 2; c++) {
		const csperf_comparator *cmp = &row->comparators[c];

		if (!cmp->value.present)
			continue;
		format_value(row->unit, cmp->value.value, text, sizeof(text));
		fputs("<div>", f);
		put_escaped(f, text);
		fputs("<small>", f);
		put_escaped(f, cmp->name);
		if (strcmp(cmp->area_type, "computed") != 0 && cmp->year[0] != '\0') {
			fputc(' ', f);
			put_escaped(f, cmp->year);
		}
		fputs("</small></div>", f);
		shown++;
	}
	if (shown == 0)
		fputs(EN_DASH, f);
	fputs("</td><td>", f);
	write_chart(f, r, row_index);
	fputs("</td></tr>\n", f);
	*any_suppressed |= row->suppressed != 0;
}

/* The table of a stage's rows that have figures, with its key and notes. */
static void write_stage_table(FILE *f, const report *r, size_t first, const char *period)
{
	const csperf_scorecard *sc = r->scorecard;
	const char *quarters[MAX_QUARTER_COLUMNS];
	size_t nquarters = quarter_columns(r, &sc->rows[first], quarters);
	char last_year[16], label[48];
	int year, month, day;
	bool any_suppressed = false, any_provisional = false;

	/* Last year's out-turn is the financial year before the period's. */
	if (parse_date(sc->period_start, &year, &month, &day)) {
		int start = (month >= 4 ? year : year - 1) - 1;

		snprintf(last_year, sizeof(last_year), "%04d-%02d", start, (start + 1) % 100);
	} else {
		snprintf(last_year, sizeof(last_year), "Last year");
	}
	fputs("<p class=\"key\">Charts: <span class=\"swatch sw-values\"></span>this council "
	      "<span class=\"swatch sw-target\"></span>target <span class=\"swatch sw-band\"></span>"
	      "amber band (within tolerance of target) <span class=\"swatch sw-comparator\"></span>"
	      "comparator; the large dot is this period, in its RAG colour.", f);
	if (r->series_denied)
		fputs(" The charts show this year&#39;s periods only: the token this report was "
		      "made with may not read longer series.", f);
	fputs("</p>\n", f);
	fputs("<table class=\"scorecard\">\n<thead><tr><th scope=\"col\" class=\"l\">Indicator</th>"
	      "<th scope=\"col\">", f);
	put_escaped(f, last_year);
	fputs("<br>out-turn</th>", f);
	for (size_t q = 0; q < nquarters; q++) {
		format_period(quarters[q], "quarter", label, sizeof(label));
		fputs("<th scope=\"col\">", f);
		put_escaped(f, label);
		fputs("</th>", f);
	}
	fputs("<th scope=\"col\">", f);
	put_escaped(f, period);
	fputs("</th><th scope=\"col\">Target</th><th scope=\"col\" class=\"l\">RAG</th>"
	      "<th scope=\"col\" class=\"l\">Direction</th><th scope=\"col\">Comparator</th>"
	      "<th scope=\"col\" class=\"l\">Recent periods</th></tr></thead>\n<tbody>\n", f);
	for (size_t i = first; i < sc->nrows; i++)
		if (strcmp(sc->rows[i].stage, sc->rows[first].stage) == 0 && row_has_figures(r, i))
			write_row(f, r, i, quarters, nquarters, &any_suppressed, &any_provisional);
	fputs("</tbody>\n</table>\n", f);
	if (any_suppressed)
		fputs("<p class=\"footnote\">* Not shown: the figure rests on a small number of "
		      "children, who could be identified from it.</p>\n", f);
	if (any_provisional)
		fputs("<p class=\"footnote\"><sup>p</sup> Provisional: the data do not yet cover the "
		      "whole period.</p>\n", f);
	fputs("<p class=\"footnote\">" EN_DASH " No figure: no data, or nothing to divide by. "
	      "Direction compares this period with the one before: \xe2\x96\xb2 Better, "
	      "\xe2\x96\xbc Worse, \xe2\x96\xb6 Same (changed by 0.5% or less), judged by "
	      "whether higher or lower is better.</p>\n", f);
}

/* A stage: its table, then the indicators with no figures yet, named. */
static void write_stage(FILE *f, const report *r, size_t first, const char *period)
{
	const csperf_scorecard *sc = r->scorecard;
	const char *stage = sc->rows[first].stage;
	size_t count = 0, with_figures = 0, listed = 0;

	for (size_t i = first; i < sc->nrows; i++)
		if (strcmp(sc->rows[i].stage, stage) == 0) {
			count++;
			with_figures += row_has_figures(r, i);
		}
	/* A stage with nothing to show takes no page of its own. */
	fprintf(f, "<section class=\"stage%s\" id=\"stage-", with_figures == 0 ? " empty" : "");
	put_escaped(f, stage);
	fputs("\">\n<h2>", f);
	put_escaped(f, stage_name(stage));
	fprintf(f, " <span class=\"count\">(%zu indicator%s)</span></h2>\n", count,
		count == 1 ? "" : "s");
	if (with_figures > 0)
		write_stage_table(f, r, first, period);
	if (with_figures < count) {
		fputs("<p class=\"unavailable\"><strong>No figures yet</strong> (no data for them up "
		      "to this period): ", f);
		for (size_t i = first; i < sc->nrows; i++) {
			if (strcmp(sc->rows[i].stage, stage) != 0 || row_has_figures(r, i))
				continue;
			fputs(listed++ > 0 ? "; " : "", f);
			put_escaped(f, sc->rows[i].title);
			fputs(" <span class=\"id\">", f);
			put_escaped(f, sc->rows[i].indicator_id);
			fputs("</span>", f);
		}
		fputs(".</p>\n", f);
	}
	fputs("</section>\n", f);
}

static void write_definition(FILE *f, const report *r, const csperf_scorecard_row *row)
{
	const csperf_indicator *def = definition_of(r, row->indicator_id);

	fputs("<dt>", f);
	put_escaped(f, row->indicator_id);
	fputs(" ", f);
	put_escaped(f, row->title);
	fputs("</dt><dd>", f);
	if (def != NULL && def->definition[0] != '\0') {
		put_escaped(f, def->definition);
		fputc(' ', f);
	}
	fputs(strcmp(row->polarity, "up") == 0 ? "Higher is better."
	      : strcmp(row->polarity, "down") == 0 ? "Lower is better."
	      : "Context only: neither higher nor lower is better.", f);
	if (def != NULL && def->source[0] != '\0') {
		fputs(" Source: ", f);
		put_escaped(f, def->source);
		fputc('.', f);
	}
	fputs("</dd>\n", f);
}

static void write_definitions(FILE *f, const report *r)
{
	const csperf_scorecard *sc = r->scorecard;

	fputs("<section class=\"definitions\" id=\"definitions\">\n<h2>Definitions</h2>\n<dl>\n", f);
	/* In the order of the scorecards: a stage at a time. */
	for (size_t first = 0; first < sc->nrows; first++)
		if (first_of_stage(sc, first))
			for (size_t i = first; i < sc->nrows; i++)
				if (strcmp(sc->rows[i].stage, sc->rows[first].stage) == 0)
					write_definition(f, r, &sc->rows[i]);
	fputs("</dl>\n</section>\n", f);
}

static void write_html(FILE *f, const report *r)
{
	const csperf_scorecard *sc = r->scorecard;
	char period[48];

	format_period(sc->period, r->series_type, period, sizeof(period));
	write_head(f, r, period);
	write_title_block(f, r, period);
	write_summary(f, r);
	write_exceptions(f, r);
	for (size_t i = 0; i < sc->nrows; i++)
		if (first_of_stage(sc, i))
			write_stage(f, r, i, period);
	if (sc->nrows == 0)
		fputs("<p class=\"none-found\">No indicators have figures for this council.</p>\n", f);
	write_definitions(f, r);
	fputs("<footer>Figures computed by csperf from the council&#39;s case records. RAG: Red "
	      "is worse than target by more than the tolerance, Amber worse within it, Green on "
	      "or better than target.</footer>\n</body>\n</html>\n", f);
}

/* Writes the report to a temporary file beside path, then renames it into
 * place; "-" writes to standard output. */
static int write_report_file(const report *r, const char *path)
{
	char *tmp = NULL;
	FILE *f = NULL;
	const char *failed = NULL;
	int fd, error = 0;
	mode_t mask;

	if (strcmp(path, "-") == 0) {
		write_html(stdout, r);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "csperf report: cannot write the report: %s\n", strerror(errno));
			return CLI_EXIT_LOCAL;
		}
		return CLI_EXIT_OK;
	}
	tmp = malloc(strlen(path) + sizeof(".XXXXXX"));
	if (tmp == NULL) {
		fprintf(stderr, "csperf report: out of memory\n");
		return CLI_EXIT_LOCAL;
	}
	snprintf(tmp, strlen(path) + sizeof(".XXXXXX"), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "csperf report: cannot create a file beside %s: %s\n", path,
			strerror(errno));
		free(tmp);
		return CLI_EXIT_LOCAL;
	}
	/* mkstemp makes it private; a report is as readable as any new file. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || (f = fdopen(fd, "w")) == NULL) {
		error = errno;
		failed = "cannot write";
		close(fd);
		goto cleanup;
	}
	write_html(f, r);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		error = errno;
		failed = "cannot write";
		goto cleanup;
	}
	if (fclose(f) != 0) {
		f = NULL;
		error = errno;
		failed = "cannot write";
		goto cleanup;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		error = errno;
		failed = "cannot replace";
	}
cleanup:
	if (f != NULL)
		fclose(f);
	if (failed != NULL) {
		unlink(tmp);
		fprintf(stderr, "csperf report: %s %s: %s\n", failed, path,
			strerror(error != 0 ? error : EIO));
	}
	free(tmp);
	return failed != NULL ? CLI_EXIT_LOCAL : CLI_EXIT_OK;
}

static void format_now(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL) {
		snprintf(out, size, "(unknown time)");
		return;
	}
	snprintf(out, size, "%d %s %d at %02d:%02d", tm.tm_mday, month_names[tm.tm_mon],
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
		rc = write_report_file(&r, out);
	report_free(&r);
	csperf_client_free(client);
	return rc;
}
