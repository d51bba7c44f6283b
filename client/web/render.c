/*
 * render.c: csperf-web's HTML (see render.h). No external asset: the page
 * loads /static/web.css and /static/web.js from csperf-web itself.
 */
#include "render.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define SPARK_WIDTH 96
#define SPARK_HEIGHT 24

const char *const render_stages[] = {
	"early_help", "front_door", "assessment", "child_protection", "looked_after",
	"adoption", "care_leavers", "workforce", "youth_justice", "finance", NULL
};

static const char *const stage_names[] = {
	"Early help", "Front door", "Assessment", "Child protection", "Looked after",
	"Adoption", "Care leavers", "Workforce", "Youth justice", "Finance", NULL
};

void render_escaped(FILE *f, const char *text)
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
		default:
			if (*p >= 0x20 && *p != 0x7f)
				fputc(*p, f);
			else
				fputc(' ', f);
		}
	}
}

static const char *stage_name(const char *code)
{
	for (size_t i = 0; render_stages[i] != NULL; i++)
		if (strcmp(render_stages[i], code) == 0)
			return stage_names[i];
	return code;
}

void render_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	      "<title>", f);
	render_escaped(f, title);
	fputs("</title><link rel=\"stylesheet\" href=\"/static/web.css\"></head><body>"
	      "<header class=\"top\"><a class=\"brand\" href=\"/\">csperf</a>"
	      "<form method=\"post\" action=\"/signout\"><button>Sign out</button></form>"
	      "</header><main>\n", f);
}

void render_foot(FILE *f)
{
	fputs("</main><script src=\"/static/web.js\"></script></body></html>\n", f);
}

void render_signin(FILE *f, const char *message)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	      "<title>Sign in - csperf</title><link rel=\"stylesheet\" href=\"/static/web.css\">"
	      "</head><body><main class=\"signin\"><h1>csperf</h1>"
	      "<p>Children's services performance, live. Sign in with the csperf token your "
	      "administrator gave you: you see what it allows.</p>", f);
	if (message != NULL) {
		fputs("<p class=\"error\" role=\"alert\">", f);
		render_escaped(f, message);
		fputs("</p>", f);
	}
	fputs("<form method=\"post\" action=\"/signin\"><label for=\"token\">Token</label>"
	      "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" "
	      "required><button type=\"submit\">Sign in</button></form></main></body></html>\n", f);
}

void render_home(FILE *f)
{
	render_head(f, "csperf");
	fputs("<h1>Open a council's scorecard</h1><form class=\"open\" method=\"get\" "
	      "action=\"/open\"><label>Council (LA code)<input name=\"council\" required "
	      "pattern=\"[A-Za-z0-9]{3,9}\"></label><label>Period<input name=\"period\" required "
	      "placeholder=\"2018-19:Q4\"></label><label>Stage<select name=\"stage\">"
	      "<option value=\"\">All stages</option>", f);
	for (size_t i = 0; render_stages[i] != NULL; i++)
		fprintf(f, "<option value=\"%s\">%s</option>", render_stages[i], stage_names[i]);
	fputs("</select></label><button type=\"submit\">Open</button></form>"
	      "<p>Periods: 2018-19 (a financial year), 2018-19:Q4, 2019-01 (a month), "
	      "r12:2019-03, ytd:2019-01.</p>", f);
	render_foot(f);
}

void render_error(FILE *f, const char *title, const char *sentence)
{
	render_head(f, title);
	fputs("<h1>", f);
	render_escaped(f, title);
	fputs("</h1><p class=\"error\" role=\"alert\">", f);
	render_escaped(f, sentence);
	fputs("</p><p><a href=\"/\">Back</a></p>", f);
	render_foot(f);
}

static void put_number(FILE *f, const char *unit, double value)
{
	if (strcmp(unit, "percent") == 0)
		fprintf(f, "%.1f%%", value);
	else if (strcmp(unit, "pounds") == 0)
		fprintf(f, "&pound;%.0f", value);
	else if (strcmp(unit, "count") == 0)
		fprintf(f, "%.0f", value);
	else
		fprintf(f, "%.1f", value);
}

static void put_figure(FILE *f, const char *unit, csperf_figure fig)
{
	if (fig.present)
		put_number(f, unit, fig.value);
	else
		fputs("<span class=\"none\">-</span>", f);
}

/* RAG as a mark and a word, readable without colour. */
static void put_rag(FILE *f, const char *rag)
{
	if (strcmp(rag, "red") == 0)
		fputs("<span class=\"rag red\"><b aria-hidden=\"true\">&#x2716;</b> Red</span>", f);
	else if (strcmp(rag, "amber") == 0)
		fputs("<span class=\"rag amber\"><b aria-hidden=\"true\">&#x25B2;</b> Amber</span>", f);
	else if (strcmp(rag, "green") == 0)
		fputs("<span class=\"rag green\"><b aria-hidden=\"true\">&#x2714;</b> Green</span>", f);
	else
		fputs("<span class=\"rag none\"><b aria-hidden=\"true\">&#x25CB;</b> No target</span>", f);
}

static void put_direction(FILE *f, const char *direction)
{
	if (strcmp(direction, "improving") == 0)
		fputs("<span class=\"dir up\"><b aria-hidden=\"true\">&#x2197;</b> improving</span>", f);
	else if (strcmp(direction, "worsening") == 0)
		fputs("<span class=\"dir down\"><b aria-hidden=\"true\">&#x2198;</b> worsening</span>", f);
	else if (strcmp(direction, "steady") == 0)
		fputs("<span class=\"dir\"><b aria-hidden=\"true\">&#x2192;</b> steady</span>", f);
	else
		fputs("<span class=\"dir\">-</span>", f);
}

/* The trend as an inline SVG line, its values in its title for screen
 * readers and a tooltip. */
static void put_sparkline(FILE *f, const csperf_scorecard_row *r)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t points = 0;
	bool pen_down = false;

	for (size_t i = 0; i < r->ntrend; i++) {
		if (!r->trend[i].value.present)
			continue;
		lo = fmin(lo, r->trend[i].value.value);
		hi = fmax(hi, r->trend[i].value.value);
		points++;
	}
	if (points < 2) {
		fputs("<span class=\"none\">-</span>", f);
		return;
	}
	fprintf(f, "<svg class=\"spark\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		"role=\"img\"><title>", SPARK_WIDTH, SPARK_HEIGHT, SPARK_WIDTH, SPARK_HEIGHT);
	for (size_t i = 0; i < r->ntrend; i++) {
		render_escaped(f, r->trend[i].period);
		fputs(": ", f);
		if (r->trend[i].value.present)
			put_number(f, r->unit, r->trend[i].value.value);
		else
			fputs("none", f);
		fputs(i + 1 < r->ntrend ? "; " : "", f);
	}
	fputs("</title><path d=\"", f);
	for (size_t i = 0; i < r->ntrend; i++) {
		double x, y;

		if (!r->trend[i].value.present) {
			pen_down = false;
			continue;
		}
		x = r->ntrend > 1 ? 2.0 + (SPARK_WIDTH - 4.0) * (double)i / (double)(r->ntrend - 1)
				  : SPARK_WIDTH / 2.0;
		y = hi > lo ? (SPARK_HEIGHT - 3.0) - (SPARK_HEIGHT - 6.0) *
			(r->trend[i].value.value - lo) / (hi - lo) : SPARK_HEIGHT / 2.0;
		fprintf(f, "%s%.1f %.1f ", pen_down ? "L" : "M", x, y);
		pen_down = true;
	}
	fputs("\"/></svg>", f);
}

static void put_comparators(FILE *f, const csperf_scorecard_row *r)
{
	if (r->ncomparators == 0) {
		fputs("<span class=\"none\">-</span>", f);
		return;
	}
	fputs("<ul class=\"cmp\">", f);
	for (size_t i = 0; i < r->ncomparators; i++) {
		const csperf_comparator *c = &r->comparators[i];

		fputs("<li>", f);
		render_escaped(f, c->name);
		fputs(" ", f);
		put_figure(f, r->unit, c->value);
		if (c->year != NULL && c->year[0] != '\0') {
			fputs(" <small>(", f);
			render_escaped(f, c->year);
			fputs(")</small>", f);
		}
		fputs("</li>", f);
	}
	fputs("</ul>", f);
}

static bool row_shown(const csperf_scorecard_row *r, const char *stage)
{
	return stage == NULL || stage[0] == '\0' || strcmp(r->stage, stage) == 0;
}

void render_table(FILE *f, const csperf_scorecard *sc, const char *stage)
{
	fputs("<table class=\"card\"><caption>", f);
	render_escaped(f, sc->council_name);
	fputs(", ", f);
	render_escaped(f, sc->period);
	fputs(stage != NULL && stage[0] != '\0' ? ", " : "", f);
	if (stage != NULL && stage[0] != '\0')
		render_escaped(f, stage_name(stage));
	fputs("</caption><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Value</th>"
	      "<th scope=\"col\">Target</th><th scope=\"col\">RAG</th><th scope=\"col\">Direction"
	      "</th><th scope=\"col\">Trend</th><th scope=\"col\">Last year</th>"
	      "<th scope=\"col\">Comparators</th></tr></thead><tbody>", f);
	for (size_t i = 0; i < sc->nrows; i++) {
		const csperf_scorecard_row *r = &sc->rows[i];

		if (!row_shown(r, stage))
			continue;
		fputs("<tr data-indicator=\"", f);
		render_escaped(f, r->indicator_id);
		fputs("\" data-rag=\"", f);
		render_escaped(f, r->rag);
		fputs("\" data-value=\"", f);
		if (r->value.present && !r->suppressed)
			fprintf(f, "%.17g", r->value.value);
		fputs("\"><th scope=\"row\" data-label=\"Indicator\"><span class=\"id\">", f);
		render_escaped(f, r->indicator_id);
		fputs("</span> ", f);
		render_escaped(f, r->title);
		if (r->provisional)
			fputs(" <small>(provisional)</small>", f);
		fputs("</th><td data-label=\"Value\" class=\"num\">", f);
		if (r->suppressed)
			fputs("<span title=\"rests on a small number\">* suppressed</span>", f);
		else
			put_figure(f, r->unit, r->value);
		fputs("</td><td data-label=\"Target\" class=\"num\">", f);
		put_figure(f, r->unit, r->target);
		fputs("</td><td data-label=\"RAG\">", f);
		put_rag(f, r->rag);
		fputs("</td><td data-label=\"Direction\">", f);
		put_direction(f, r->direction);
		fputs("</td><td data-label=\"Trend\">", f);
		put_sparkline(f, r);
		fputs("</td><td data-label=\"Last year\" class=\"num\">", f);
		put_figure(f, r->unit, r->last_year);
		fputs("</td><td data-label=\"Comparators\">", f);
		put_comparators(f, r);
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table>", f);
}

void render_exceptions(FILE *f, const csperf_exceptions *ex, const char *stage)
{
	size_t shown = 0;

	fputs("<h2>Exceptions</h2>", f);
	if (ex == NULL) {
		fputs("<p>Exceptions are not available to this token.</p>", f);
		return;
	}
	fputs("<ul class=\"exceptions\">", f);
	for (size_t i = 0; i < ex->count; i++) {
		const csperf_exception *e = &ex->exceptions[i];

		if (e->row != NULL && !row_shown(e->row, stage))
			continue;
		shown++;
		fputs("<li><strong>", f);
		render_escaped(f, e->indicator_id);
		fputs(" ", f);
		render_escaped(f, e->title);
		fputs("</strong> <span class=\"criteria\">", f);
		for (size_t k = 0; k < e->ncriteria; k++) {
			fputs(k > 0 ? ", " : "", f);
			render_escaped(f, e->criteria[k]);
		}
		fputs("</span><br>", f);
		render_escaped(f, e->reason);
		fputs("</li>", f);
	}
	fputs("</ul>", f);
	if (shown == 0)
		fputs("<p>None: no indicator meets an exception criterion.</p>", f);
}

void render_council(FILE *f, const csperf_scorecard *sc, const csperf_exceptions *ex,
		    const char *stage, const char *events, const char *report)
{
	char title[256];

	snprintf(title, sizeof(title), "%s %s - csperf", sc->council_name, sc->period);
	render_head(f, title);
	fputs("<h1>", f);
	render_escaped(f, sc->council_name);
	fputs(" <small>", f);
	render_escaped(f, sc->council);
	fputs("</small></h1><p class=\"meta\">", f);
	render_escaped(f, sc->period);
	fputs(" (", f);
	render_escaped(f, sc->period_start);
	fputs(" to ", f);
	render_escaped(f, sc->period_end);
	fputs("), data to <span id=\"data-to\">", f);
	render_escaped(f, sc->data_to);
	fputs("</span>. <a href=\"", f);
	render_escaped(f, report);
	fputs("\">Committee report</a></p><nav class=\"stages\" aria-label=\"Stages\">", f);
	fprintf(f, "<a href=\"?\"%s>All</a>", stage == NULL ? " aria-current=\"page\"" : "");
	for (size_t i = 0; render_stages[i] != NULL; i++)
		fprintf(f, "<a href=\"?stage=%s\"%s>%s</a>", render_stages[i],
			stage != NULL && strcmp(stage, render_stages[i]) == 0
			? " aria-current=\"page\"" : "", stage_names[i]);
	fputs("</nav><p id=\"status\" role=\"status\">Connecting for live updates...</p>"
	      "<div id=\"live\" data-sequence=\"0\" data-events=\"", f);
	render_escaped(f, events);
	fputs("\"><div id=\"table\">", f);
	render_table(f, sc, stage);
	fputs("</div><div id=\"exceptions\">", f);
	render_exceptions(f, ex, stage);
	fputs("</div></div>", f);
	render_foot(f);
}
