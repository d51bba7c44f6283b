/*
 * report_chart.c: the small chart of each indicator in `csperf report`:
 * inline SVG of its recent values, its target and a comparator, with small
 * numbers hidden as csperfd hides them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

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
	report_financial_year_of(r->scorecard->period_start, report_year, sizeof(report_year));
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
		report_short_period(label, strstr(label, ":Q") != NULL ? "quarter" : "month", point->label,
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
	const csperf_indicator *def = report_definition_of(r, row->indicator_id);
	const csperf_series *series = r->series[row_index];
	size_t want = report_recent_count(r->series_type), total = 0, skip, n = 0;
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
		report_short_period(p->period, r->series_type, point->label, sizeof(point->label));
		point->hidden = point_hidden(r, row, def, p);
		point->value = point->hidden ? (csperf_figure){ 0, 0 } : p->value;
		report_financial_year_of(p->period_start, year, sizeof(year));
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
	report_put_escaped(f, row->title);
	fputs(": ", f);
	for (size_t i = 0; i < n; i++) {
		report_format_figure(row->unit, points[i].value, points[i].hidden, text, sizeof(text));
		fprintf(f, "%s", i > 0 ? ", " : "");
		report_put_escaped(f, points[i].label);
		fputc(' ', f);
		report_put_escaped(f, text);
	}
	if (n > 0 && points[n - 1].target.present) {
		report_format_value(row->unit, points[n - 1].target.value, text, sizeof(text));
		fputs("; target ", f);
		report_put_escaped(f, text);
	}
	if (comparator != NULL) {
		report_format_value(row->unit, comparator->value.value, text, sizeof(text));
		fputs("; ", f);
		report_put_escaped(f, comparator->name);
		fputc(' ', f);
		report_put_escaped(f, text);
	}
	fputs("</title>", f);
}

/* A small line chart of a row's recent values: the target as a line, the
 * amber band (the tolerance on the wrong side of the target) shaded, the
 * comparator dashed, and the report's period marked in its RAG colour. */
void report_write_chart(FILE *f, const report *r, size_t row_index)
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
				report_rag_class(row->rag), chart_x(i, n), chart_y(&s, points[i].value.value));
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
			report_format_value(row->unit, high, text, sizeof(text));
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", PLOT_LEFT - 4,
				chart_y(&s, high) + 3);
			report_put_escaped(f, text);
			fputs("</text>", f);
		}
		/* Far enough below the highest to be read apart. */
		if (seen && chart_y(&s, low) - chart_y(&s, high) >= 10) {
			report_format_value(row->unit, low, text, sizeof(text));
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", PLOT_LEFT - 4,
				chart_y(&s, low) + 3);
			report_put_escaped(f, text);
			fputs("</text>", f);
		}
	}
	if (n > 0) {
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">",
			n > 1 ? PLOT_LEFT : chart_x(0, n), CHART_HEIGHT - 3, n > 1 ? "start" : "middle");
		report_put_escaped(f, points[0].label);
		fputs("</text>", f);
	}
	if (n > 1) {
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">", PLOT_RIGHT,
			CHART_HEIGHT - 3);
		report_put_escaped(f, points[n - 1].label);
		fputs("</text>", f);
	}
	fputs("</svg>", f);
}
