/*
 * report.h: what the parts of `csperf report` share: the report's data
 * (cmd_report.c fetches it), its words and figures (report_text.c), its
 * charts (report_chart.c) and its page (report_page.c).
 */
#ifndef CSPERF_CLI_REPORT_H
#define CSPERF_CLI_REPORT_H

#include <stdbool.h>
#include <stdio.h>

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

/* report_text.c: words, figures, dates and periods as the report writes them */
void report_put_escaped(FILE *f, const char *text);

/* report_quality.c: the "Data quality" section: the DfE rules that records
 * behind the figures fail (docs/VALIDATION.md); no child is named. */
void report_write_data_quality(FILE *f, const csperf_scorecard *sc);
void report_format_value(const char *unit, double value, char *out, size_t size);
void report_format_figure(const char *unit, csperf_figure figure, bool suppressed, char *out,
			  size_t size);
bool report_parse_date(const char *iso, int *year, int *month, int *day);
void report_format_date(const char *iso, char *out, size_t size);
void report_financial_year_of(const char *iso, char *out, size_t size);
void report_format_period(const char *label, const char *type, char *out, size_t size);
void report_short_period(const char *label, const char *type, char *out, size_t size);
const char *report_stage_name(const char *code);
const char *report_criterion_name(const char *code);
const char *report_rag_class(const char *rag);
void report_put_rag_badge(FILE *f, const char *rag);
void report_put_direction(FILE *f, const char *direction);
extern const char *const report_month_names[12];

/* cmd_report.c: what the report is made of */
const csperf_indicator *report_definition_of(const report *r, const char *indicator_id);
const csperf_scorecard_row *report_row_of(const report *r, const char *indicator_id);
size_t report_recent_count(const char *type);

/* report_chart.c: the small chart of each indicator (inline SVG) */
void report_write_chart(FILE *f, const report *r, size_t row_index);

/* report_page.c: the HTML page */
int report_write_file(const report *r, const char *path);

#endif
