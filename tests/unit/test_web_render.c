/*
 * test_web_render.c: csperf-web's HTML (client/web/render.c): text from
 * csperfd is escaped wherever it lands (a title, a comparator, an exception's
 * reason), RAG and direction are words and marks as well as colours, a
 * suppressed figure shows as suppressed and never as a number, the trend is
 * an SVG line with its values in words, and the stage filter keeps only its
 * rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render.h"

static char *rendered;
static size_t rendered_len;

static FILE *start(void)
{
	free(rendered);
	rendered = NULL;
	return open_memstream(&rendered, &rendered_len);
}

static void row_init(csperf_scorecard_row *r, const char *id, const char *title,
		     const char *stage, const char *rag, const char *direction)
{
	memset(r, 0, sizeof(*r));
	r->indicator_id = id;
	r->title = title;
	r->stage = stage;
	r->unit = "percent";
	r->polarity = "up";
	r->period = "2018-19:Q4";
	r->rag = rag;
	r->direction = direction;
	r->direction_year = "none";
	r->corporate_risk = "";
	r->budget_line = "";
}

static void test_table(void **state)
{
	static const csperf_period_value trend[3] = {
		{ "2018-19:Q1", { 1, 40.0 } }, { "2018-19:Q2", { 1, 45.5 } }, { "2018-19:Q3", { 1, 50.0 } },
	};
	static const csperf_comparator comparators[1] = {
		{ "England <b>", "england", "2017-18", { 1, 48.0 }, "DfE", "England", "", 0, 0, 0, 0, "" },
	};
	csperf_scorecard_row rows[3];
	csperf_scorecard sc;
	FILE *f;

	(void)state;
	row_init(&rows[0], "CP03", "Conferences <script>alert(1)</script> & \"more\"",
		 "child_protection", "red", "worsening");
	rows[0].value = (csperf_figure){ 1, 62.5 };
	rows[0].target = (csperf_figure){ 1, 90 };
	rows[0].ntrend = 3;
	rows[0].trend = trend;
	rows[0].ncomparators = 1;
	rows[0].comparators = comparators;
	row_init(&rows[1], "CP01", "Small", "child_protection", "green", "improving");
	rows[1].value = (csperf_figure){ 0, 0 };
	rows[1].suppressed = 1;
	row_init(&rows[2], "LA01", "Looked after", "looked_after", "amber", "steady");
	rows[2].value = (csperf_figure){ 1, 12 };
	memset(&sc, 0, sizeof(sc));
	sc.council = "975";
	sc.council_name = "Walsall <i>";
	sc.period = "2018-19:Q4";
	sc.data_to = "2019-03-31";
	sc.nrows = 3;
	sc.rows = rows;

	f = start();
	render_table(f, &sc, NULL);
	fclose(f);
	assert_null(strstr(rendered, "<script>"));
	assert_null(strstr(rendered, "<b>"));
	assert_null(strstr(rendered, "<i>"));
	assert_non_null(strstr(rendered, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"));
	assert_non_null(strstr(rendered, "England &lt;b&gt;"));
	assert_non_null(strstr(rendered, "Walsall &lt;i&gt;"));
	/* RAG and direction in words, with marks. */
	assert_non_null(strstr(rendered, "&#x2716;</b> Red"));
	assert_non_null(strstr(rendered, "&#x2714;</b> Green"));
	assert_non_null(strstr(rendered, "&#x25B2;</b> Amber"));
	assert_non_null(strstr(rendered, "worsening"));
	assert_non_null(strstr(rendered, "improving"));
	assert_non_null(strstr(rendered, "steady"));
	/* Values: raw in data-value, formatted in the cell; suppressed: none. */
	assert_non_null(strstr(rendered, "data-indicator=\"CP03\" data-rag=\"red\" data-value=\"62.5\""));
	assert_non_null(strstr(rendered, "62.5%"));
	assert_non_null(strstr(rendered, "data-indicator=\"CP01\" data-rag=\"green\" data-value=\"\""));
	assert_non_null(strstr(rendered, "* suppressed"));
	/* The trend: an SVG path, its values in its title. */
	assert_non_null(strstr(rendered, "<svg class=\"spark\""));
	assert_non_null(strstr(rendered, "2018-19:Q2: 45.5%"));
	assert_non_null(strstr(rendered, "<path d=\"M"));

	f = start();
	render_table(f, &sc, "looked_after");
	fclose(f);
	assert_non_null(strstr(rendered, "LA01"));
	assert_null(strstr(rendered, "CP03"));
}

static void test_exceptions_and_signin(void **state)
{
	const char *criteria[2] = { "off_target", "corporate_risk" };
	csperf_scorecard_row row;
	csperf_exception e;
	csperf_exceptions ex;
	FILE *f;

	(void)state;
	row_init(&row, "CP03", "Conferences", "child_protection", "red", "worsening");
	memset(&e, 0, sizeof(e));
	e.indicator_id = "CP03";
	e.title = "Conferences";
	e.ncriteria = 2;
	e.criteria = criteria;
	e.reason = "CP03 is <Red> & worse";
	e.row = &row;
	memset(&ex, 0, sizeof(ex));
	ex.count = 1;
	ex.exceptions = &e;
	f = start();
	render_exceptions(f, &ex, NULL);
	fclose(f);
	assert_non_null(strstr(rendered, "CP03 is &lt;Red&gt; &amp; worse"));
	assert_non_null(strstr(rendered, "off_target, corporate_risk"));
	f = start();
	render_exceptions(f, &ex, "looked_after");
	fclose(f);
	assert_non_null(strstr(rendered, "None: no indicator"));

	f = start();
	render_signin(f, "That token is <unknown>");
	fclose(f);
	assert_non_null(strstr(rendered, "That token is &lt;unknown&gt;"));
	assert_non_null(strstr(rendered, "type=\"password\""));
	/* No asset from elsewhere. */
	assert_null(strstr(rendered, "http://"));
	assert_null(strstr(rendered, "https://"));
	free(rendered);
	rendered = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_exceptions_and_signin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
