/*
 * report_page.c: the page of `csperf report`: its style, the title block,
 * the summary, the exceptions, a scorecard table per stage with the charts,
 * the definitions, and the file written beside its destination and renamed
 * into place.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include <sys/stat.h>
#include <unistd.h>

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
".reportcard{font-size:.82rem;margin:4px 0 2px;padding:6px 10px;border-left:3px solid #8fa3bd;"
"background:#f5f7fa;}\n"
".reportcard p{margin:2px 0;white-space:pre-line;}.reportcard .who{color:var(--muted);"
"font-size:.75rem;}\n"
"tr.reportcard-row td{padding-top:0;}\n"
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
	report_put_escaped(f, csperf_version());
	fputs("\">\n<title>Children&#39;s services performance: ", f);
	report_put_escaped(f, r->scorecard->council_name);
	fputs(", ", f);
	report_put_escaped(f, period);
	fputs("</title>\n<style>\n", f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n", f);
}

static void write_title_block(FILE *f, const report *r, const char *period)
{
	const csperf_scorecard *sc = r->scorecard;
	char start[40], end[40], data_to[40];

	report_format_date(sc->period_start, start, sizeof(start));
	report_format_date(sc->period_end, end, sizeof(end));
	report_format_date(sc->data_to, data_to, sizeof(data_to));
	fputs("<header class=\"title\">\n<p class=\"kicker\">Children&#39;s services performance "
	      "report</p>\n<h1>", f);
	report_put_escaped(f, sc->council_name);
	fputs(": ", f);
	report_put_escaped(f, period);
	fputs("</h1>\n<dl class=\"meta\">\n<dt>Council</dt><dd>", f);
	report_put_escaped(f, sc->council_name);
	fputs(" (", f);
	report_put_escaped(f, sc->council);
	fputs(")</dd>\n<dt>Data as at</dt><dd>", f);
	report_put_escaped(f, sc->data_to[0] != '\0' ? data_to : "no records loaded");
	fputs("</dd>\n<dt>Period</dt><dd>", f);
	report_put_escaped(f, period);
	fputs(" (", f);
	report_put_escaped(f, start);
	fputs(" to ", f);
	report_put_escaped(f, end);
	fputs(")</dd>\n<dt>Generated</dt><dd>", f);
	report_put_escaped(f, r->generated_at);
	fputs(" by csperf ", f);
	report_put_escaped(f, csperf_version());
	fputs("</dd>\n</dl>\n", f);
	if (sc->data_to[0] != '\0' && strcmp(sc->data_to, sc->period_end) < 0) {
		fputs("<p class=\"notice\"><strong>Provisional.</strong> The data end on ", f);
		report_put_escaped(f, data_to);
		fputs(", before the period does: figures may change when the rest is loaded.</p>\n", f);
	}
	fputs("<nav class=\"contents\">Contents: <a href=\"#exceptions\">Exceptions</a>\n", f);
	for (size_t i = 0; i < sc->nrows; i++) {
		if (!first_of_stage(sc, i))
			continue;
		fputs("<a href=\"#stage-", f);
		report_put_escaped(f, sc->rows[i].stage);
		fputs("\">", f);
		report_put_escaped(f, report_stage_name(sc->rows[i].stage));
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
			if (strcmp(report_rag_class(r->scorecard->rows[i].rag), rags[k]) == 0)
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

/* A writer and a time, as "by NAME, 2019-04-12". */
static void put_written(FILE *f, const char *by, const char *at)
{
	char date[48];

	if (by[0] == '\0')
		return;
	fputs(" <span class=\"who\">(", f);
	report_put_escaped(f, by);
	if (at[0] != '\0') {
		report_format_date(at, date, sizeof(date));
		fputs(", ", f);
		report_put_escaped(f, date);
	}
	fputs(")</span>", f);
}

/* The report card beside a figure (docs/REPORT.md): who leads, who owns the
 * data, the commentary and actions with who wrote them; staff's free text,
 * escaped. Nothing when there is none. */
static void write_report_card(FILE *f, const csperf_report_card *c)
{
	if (c == NULL)
		return;
	fputs("<div class=\"reportcard\">", f);
	if (c->lead_officer[0] != '\0' || c->data_owner[0] != '\0') {
		fputs("<p>", f);
		if (c->lead_officer[0] != '\0') {
			fputs("<b>Lead officer:</b> ", f);
			report_put_escaped(f, c->lead_officer);
			fputs(c->data_owner[0] != '\0' ? ". " : "", f);
		}
		if (c->data_owner[0] != '\0') {
			fputs("<b>Data owner:</b> ", f);
			report_put_escaped(f, c->data_owner);
		}
		fputs("</p>", f);
	}
	if (c->commentary[0] != '\0') {
		fputs("<p><b>Commentary</b>", f);
		put_written(f, c->commentary_by, c->commentary_at);
		fputs(": ", f);
		report_put_escaped(f, c->commentary);
		fputs("</p>", f);
	}
	if (c->actions[0] != '\0') {
		fputs("<p><b>Actions</b>", f);
		put_written(f, c->actions_by, c->actions_at);
		fputs(": ", f);
		report_put_escaped(f, c->actions);
		fputs("</p>", f);
	}
	fputs("</div>\n", f);
}

static void write_exception(FILE *f, const report *r, const csperf_exception *e)
{
	const csperf_scorecard_row *row = e->row != NULL ? e->row : report_row_of(r, e->indicator_id);
	char value[48], target[48], last[48], period[48];

	fprintf(f, "<article class=\"card edge-%s\">\n<h3><span>",
		row != NULL ? report_rag_class(row->rag) : "none");
	report_put_escaped(f, e->title);
	fputs(" <span class=\"id\">", f);
	report_put_escaped(f, e->indicator_id);
	fputs("</span></span>", f);
	report_put_rag_badge(f, row != NULL ? row->rag : "none");
	fputs("</h3>\n<div class=\"criteria\">", f);
	for (size_t c = 0; c < e->ncriteria; c++) {
		fputs("<span class=\"criterion\">", f);
		report_put_escaped(f, report_criterion_name(e->criteria[c]));
		if (strcmp(e->criteria[c], "corporate_risk") == 0 && row != NULL &&
		    row->corporate_risk[0] != '\0') {
			fputc(' ', f);
			report_put_escaped(f, row->corporate_risk);
		}
		fputs("</span>", f);
	}
	fputs("</div>\n<p class=\"reason\">", f);
	report_put_escaped(f, e->reason);
	fputs("</p>\n", f);
	if (row != NULL) {
		report_format_period(row->period, r->series_type, period, sizeof(period));
		report_format_figure(row->unit, row->value, row->suppressed, value, sizeof(value));
		report_format_figure(row->unit, row->target, false, target, sizeof(target));
		report_format_figure(row->unit, row->last_year, row->suppressed, last, sizeof(last));
		fputs("<dl class=\"facts\"><div><dt>", f);
		report_put_escaped(f, period);
		fputs("</dt><dd>", f);
		report_put_escaped(f, value);
		fputs("</dd></div><div><dt>Target</dt><dd>", f);
		report_put_escaped(f, target);
		fputs("</dd></div><div><dt>Last year</dt><dd>", f);
		report_put_escaped(f, last);
		fputs("</dd></div><div><dt>Direction</dt><dd>", f);
		report_put_direction(f, row->direction);
		fputs("</dd></div></dl>\n", f);
		write_report_card(f, row->report_card);
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

/* The council's own figure as the DfE published it, with its rank and
 * quartile among all councils (rank 1 the best by polarity); 1 if shown. */
static int put_published_rank(FILE *f, const csperf_scorecard_row *row)
{
	char text[64], rank[128];

	for (size_t c = 0; c < row->ncomparators; c++) {
		const csperf_comparator *cmp = &row->comparators[c];

		if (strcmp(cmp->area_type, "council") != 0 || !cmp->value.present)
			continue;
		report_format_value(row->unit, cmp->value.value, text, sizeof(text));
		if (cmp->ranked > 0)
			snprintf(rank, sizeof(rank), "published %s, rank %d of %d, quartile %d%s",
				 cmp->year, cmp->rank, cmp->ranked, cmp->quartile,
				 strcmp(row->polarity, "none") == 0 ? " by size" : "");
		else
			snprintf(rank, sizeof(rank), "published %s", cmp->year);
		fputs("<div>", f);
		report_put_escaped(f, text);
		fputs("<small>", f);
		report_put_escaped(f, rank);
		fputs("</small></div>", f);
		return 1;
	}
	return 0;
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
		"<span class=\"t\">", report_rag_class(row->rag));
	report_put_escaped(f, row->title);
	fputs("</span><span class=\"id\">", f);
	report_put_escaped(f, row->indicator_id);
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
			report_put_escaped(f, row->corporate_risk);
			fputs(". ", f);
		}
		if (row->budget_line[0] != '\0') {
			fputs("Budget line ", f);
			report_put_escaped(f, row->budget_line);
			fputc('.', f);
		}
		fputs("</span>", f);
	}
	fputs("</th>", f);
	report_format_figure(row->unit, row->last_year, row->suppressed, text, sizeof(text));
	fputs("<td class=\"num\">", f);
	report_put_escaped(f, text);
	fputs("</td>", f);
	for (size_t q = 0; q < nquarters; q++) {
		csperf_figure value = trend_value(row, quarters[q]);

		/* csperfd leaves out a quarter it hides from this caller. */
		report_format_figure(row->unit, value, row->suppressed && !value.present, text, sizeof(text));
		fputs("<td class=\"num\">", f);
		report_put_escaped(f, text);
		fputs("</td>", f);
	}
	report_format_figure(row->unit, row->value, row->suppressed, text, sizeof(text));
	fputs("<td class=\"num now\">", f);
	report_put_escaped(f, text);
	if (row->provisional) {
		fputs("<sup class=\"p\">p</sup>", f);
		*any_provisional = true;
	}
	fputs("</td>", f);
	report_format_figure(row->unit, row->target, false, text, sizeof(text));
	fputs("<td class=\"num\">", f);
	report_put_escaped(f, text);
	/* The council's own target, not the catalogue's (docs/indicators.md). */
	if (row->target_source != NULL && strcmp(row->target_source, "council") == 0)
		fputs("<small>council&#39;s</small>", f);
	fputs("</td><td class=\"c\">", f);
	report_put_rag_badge(f, row->rag);
	fputs("</td><td class=\"c\">", f);
	report_put_direction(f, row->direction);
	fputs("</td><td class=\"comparator\">", f);
	for (size_t c = 0; c < row->ncomparators && shown < 3; c++) {
		const csperf_comparator *cmp = &row->comparators[c];

		/* The council's own published figure is its rank line, below. */
		if (!cmp->value.present || strcmp(cmp->area_type, "council") == 0)
			continue;
		report_format_value(row->unit, cmp->value.value, text, sizeof(text));
		fputs("<div>", f);
		report_put_escaped(f, text);
		fputs("<small>", f);
		report_put_escaped(f, cmp->name);
		if (strcmp(cmp->area_type, "computed") != 0 && cmp->year[0] != '\0') {
			fputc(' ', f);
			report_put_escaped(f, cmp->year);
		}
		fputs("</small></div>", f);
		shown++;
	}
	shown += put_published_rank(f, row);
	if (shown == 0)
		fputs(EN_DASH, f);
	fputs("</td><td>", f);
	report_write_chart(f, r, row_index);
	fputs("</td></tr>\n", f);
	if (row->report_card != NULL) {
		fprintf(f, "<tr class=\"reportcard-row\"><td></td><td colspan=\"%zu\">", nquarters + 7);
		write_report_card(f, row->report_card);
		fputs("</td></tr>\n", f);
	}
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
	if (report_parse_date(sc->period_start, &year, &month, &day)) {
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
	report_put_escaped(f, last_year);
	fputs("<br>out-turn</th>", f);
	for (size_t q = 0; q < nquarters; q++) {
		report_format_period(quarters[q], "quarter", label, sizeof(label));
		fputs("<th scope=\"col\">", f);
		report_put_escaped(f, label);
		fputs("</th>", f);
	}
	fputs("<th scope=\"col\">", f);
	report_put_escaped(f, period);
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
	report_put_escaped(f, stage);
	fputs("\">\n<h2>", f);
	report_put_escaped(f, report_stage_name(stage));
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
			report_put_escaped(f, sc->rows[i].title);
			fputs(" <span class=\"id\">", f);
			report_put_escaped(f, sc->rows[i].indicator_id);
			fputs("</span>", f);
		}
		fputs(".</p>\n", f);
	}
	fputs("</section>\n", f);
}

static void write_definition(FILE *f, const report *r, const csperf_scorecard_row *row)
{
	const csperf_indicator *def = report_definition_of(r, row->indicator_id);

	fputs("<dt>", f);
	report_put_escaped(f, row->indicator_id);
	fputs(" ", f);
	report_put_escaped(f, row->title);
	fputs("</dt><dd>", f);
	if (def != NULL && def->definition[0] != '\0') {
		report_put_escaped(f, def->definition);
		fputc(' ', f);
	}
	fputs(strcmp(row->polarity, "up") == 0 ? "Higher is better."
	      : strcmp(row->polarity, "down") == 0 ? "Lower is better."
	      : "Context only: neither higher nor lower is better.", f);
	if (def != NULL && def->source[0] != '\0') {
		fputs(" Source: ", f);
		report_put_escaped(f, def->source);
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

	report_format_period(sc->period, r->series_type, period, sizeof(period));
	write_head(f, r, period);
	write_title_block(f, r, period);
	write_summary(f, r);
	write_exceptions(f, r);
	report_write_data_quality(f, sc);
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
int report_write_file(const report *r, const char *path)
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
