/*
 * test_report.c: `csperf report` against a real csperfd, on a test council
 * whose values were set by hand (as test_scorecards.c does): a red, an
 * amber, a green, a small number and an indicator whose title is hostile
 * markup. Checks the HTML (exceptions before the stages, every indicator,
 * one chart each, everything escaped, nothing fetched from elsewhere, small
 * numbers hidden from a scrutiny token), that a failed run leaves the last
 * good report alone, and, where chromium is installed, that the page renders
 * to a PNG and prints to a PDF.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../require_all.h"

#include <csperf/scorecards.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

#define COUNCIL "950"
#define COUNCIL_NAME "Testshire & Wye"
#define HOSTILE_TITLE "<script>alert('x')</script> & \"Co\" placements"
#define HOSTILE_ESCAPED \
	"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot; placements"

static fixture_pg pg;
static fixture_server server;
static char workdir[256];

/* id, stage, title, polarity, unit, target (< 0: none), tolerance, risk, the
 * values of 2017-18 Q1 to 2018-19 Q4, the 2017-18 out-turn, and the 2018-19
 * Q4 numerator and denominator (< 0: absent). */
typedef struct case_row {
	const char *id, *stage, *title, *polarity, *unit;
	double target, tolerance;
	const char *risk;
	double quarters[8];
	double last_year, numerator, denominator;
} case_row;

static const case_row cases[] = {
	{ "RPTRED", "front_door", "Re-referrals within 12 months", "down", "percent", 15, 3, "",
	  { 17, 18, 19, 20, 20, 22, 24, 24.5 }, 19, 49, 200 },
	{ "RPTAMBER", "assessment", "Assessments completed within 45 working days", "up",
	  "percent", 90, 5, "CR-7", { 91, 90, 92, 91, 90, 90, 90, 87 }, 91, 87, 100 },
	{ "RPTGREEN", "assessment", "Initial conferences within 15 working days", "up", "percent",
	  85, 5, "", { 80, 82, 84, 86, 88, 90, 91, 92 }, 83, 92, 100 },
	/* 3 of 4: a small number, hidden from scrutiny. */
	{ "RPTSMALL", "assessment", "Children placed for adoption within 12 months", "up",
	  "percent", 50, 5, "", { 50, 60, 55, 52, 50, 56, 58, 75 }, 54, 3, 4 },
	{ "RPTHOSTILE", "looked_after", HOSTILE_TITLE, "none", "count", -1, 0, "",
	  { 30, 31, 32, 33, 34, 35, 36, 37 }, 33, -1, -1 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *const quarter_labels[8] = {
	"2017-18:Q1", "2017-18:Q2", "2017-18:Q3", "2017-18:Q4",
	"2018-19:Q1", "2018-19:Q2", "2018-19:Q3", "2018-19:Q4",
};
static const char *const quarter_starts[8] = {
	"2017-04-01", "2017-07-01", "2017-10-01", "2018-01-01",
	"2018-04-01", "2018-07-01", "2018-10-01", "2019-01-01",
};
static const char *const quarter_ends[8] = {
	"2017-06-30", "2017-09-30", "2017-12-31", "2018-03-31",
	"2018-06-30", "2018-09-30", "2018-12-31", "2019-03-31",
};

static void exec_sql(const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	free(r);
}

static void put_value(const char *council, const char *id, const char *period, const char *type,
		      const char *start, const char *end, double value, double numerator,
		      double denominator)
{
	char sql[1024], v[32], n[32], d[32];

	snprintf(v, sizeof(v), value < 0 ? "NULL" : "%g", value);
	snprintf(n, sizeof(n), numerator < 0 ? "NULL" : "%g", numerator);
	snprintf(d, sizeof(d), denominator < 0 ? "NULL" : "%g", denominator);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO indicator_value (indicator_id, version, council, period_type, period, "
		 "period_start, period_end, numerator, denominator, value) VALUES ('%s', 1, '%s', "
		 "'%s', '%s', '%s', '%s', %s, %s, %s)", id, council, type, period, start, end, n, d, v);
	exec_sql(sql);
}

static int setup(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	if (fixture_mkdtemp(workdir, sizeof(workdir), "csperf-report") != 0 ||
	    fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	exec_sql("INSERT INTO council (la_code, name, nation) VALUES ('" COUNCIL "', '"
		 COUNCIL_NAME "', 'england'), ('951', 'Otherton', 'england'), "
		 "('952', 'Elsewhere', 'england'), ('953', 'Thirdly', 'england')");
	options.server = server.address;
	options.token = server.token;
	if (csperf_client_new(&client, &options) != CSPERF_OK)
		return -1;
	for (size_t i = 0; i < NCASES; i++) {
		const case_row *c = &cases[i];
		csperf_indicator ind;
		csperf_target targets[2] = {
			{ "2017-18", c->target, c->tolerance }, { "2018-19", c->target, c->tolerance },
		};
		const char *types[] = { "quarter", "year" };

		memset(&ind, 0, sizeof(ind));
		ind.indicator_id = c->id;
		ind.title = c->title;
		ind.stage = c->stage;
		ind.unit = c->unit;
		ind.polarity = c->polarity;
		ind.kind = "count";
		ind.params_json = "{\"record\":\"referral\",\"date\":\"referral_date\"}";
		ind.nperiod_types = 2;
		ind.period_types = types;
		ind.ntargets = c->target >= 0 ? 2 : 0;
		ind.targets = targets;
		ind.corporate_risk = c->risk;
		ind.small_number_threshold = 5;
		ind.definition = "A test case set by hand.";
		ind.source = "test";
		if (csperf_indicator_put(client, &ind, NULL) != CSPERF_OK) {
			fprintf(stderr, "put %s: %s\n", c->id, csperf_error_last());
			return -1;
		}
		for (size_t q = 0; q < 8; q++)
			put_value(COUNCIL, c->id, quarter_labels[q], "quarter", quarter_starts[q],
				  quarter_ends[q], c->quarters[q], q == 7 ? c->numerator : -1,
				  q == 7 ? c->denominator : -1);
		put_value(COUNCIL, c->id, "2017-18", "year", "2017-04-01", "2018-03-31", c->last_year,
			  -1, -1);
	}
	/* Other councils, for the "other councils in csperf" comparator (at
	 * least three: docs/SECURITY.md). */
	put_value("951", "RPTRED", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31", 17, -1, -1);
	put_value("952", "RPTRED", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31", 19, -1, -1);
	put_value("953", "RPTRED", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31", 18, -1, -1);
	put_value("951", "RPTGREEN", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31", 80, -1, -1);
	put_value("952", "RPTGREEN", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31", 84, -1, -1);
	put_value("953", "RPTGREEN", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31", 82, -1, -1);
	csperf_client_free(client);
	return 0;
}

static int teardown(void **state)
{
	char command[512];
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	fixture_pg_destroy(&pg);
	if (getenv("CSPERF_KEEP_REPORT") == NULL && workdir[0] != '\0') {
		snprintf(command, sizeof(command), "rm -rf '%s'", workdir);
		if (system(command) != 0)
			fprintf(stderr, "could not remove %s\n", workdir);
	} else if (workdir[0] != '\0') {
		fprintf(stderr, "report files kept in %s\n", workdir);
	}
	return rc == 0 ? 0 : -1;
}

/* Runs `csperf report` with the token in CSPERF_TOKEN; returns its exit
 * status, with its standard error in *err (free it). */
static int run_report(const char *token, const char *period, const char *out, char **err)
{
	char token_env[256];
	const char *argv[] = {
		CSPERF_CLI_PATH, "--server", server.address, "report", "--council", COUNCIL,
		"--period", period, "--out", out, NULL,
	};
	const char *env[] = { token_env, NULL };
	char *stdout_text = NULL;
	int rc;

	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", token);
	rc = fixture_run(argv, env, &stdout_text, err, 120);
	free(stdout_text);
	return rc;
}

static size_t count_of(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Files in workdir whose names start with prefix. */
static size_t files_starting(const char *prefix)
{
	DIR *dir = opendir(workdir);
	struct dirent *entry;
	size_t n = 0;

	assert_non_null(dir);
	while ((entry = readdir(dir)) != NULL)
		if (strncmp(entry->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(dir);
	return n;
}

/* A file in workdir (a buffer per name, for the test's few names). */
static const char *report_path(const char *name)
{
	static char paths[8][400];
	static size_t used;

	for (size_t i = 0; i < used; i++)
		if (strcmp(paths[i] + strlen(workdir) + 1, name) == 0)
			return paths[i];
	assert_true(used < 8);
	snprintf(paths[used], sizeof(paths[used]), "%s/%s", workdir, name);
	return paths[used++];
}

static void test_report_html(void **state)
{
	char *err = NULL, *html;
	const char *path = report_path("report.html");
	const char *exceptions, *first_stage;
	size_t rows;

	assert_int_equal(run_report(server.token, "2018-19:Q4", path, &err), 0);
	free(err);
	html = fixture_read_file(path);
	assert_non_null(html);

	/* The title block. */
	assert_non_null(strstr(html, "Testshire &amp; Wye"));
	assert_null(strstr(html, COUNCIL_NAME));
	assert_non_null(strstr(html, "Q4 2018-19"));
	assert_non_null(strstr(html, "Data as at"));
	assert_non_null(strstr(html, "Generated"));

	/* Exceptions first, then the stages. */
	exceptions = strstr(html, "id=\"exceptions\"");
	first_stage = strstr(html, "<section class=\"stage");
	assert_non_null(exceptions);
	assert_non_null(first_stage);
	assert_true(exceptions < first_stage);
	assert_non_null(strstr(exceptions, "Off target"));
	assert_non_null(strstr(exceptions, "Worse three periods running"));
	assert_non_null(strstr(exceptions, "Corporate risk CR-7"));
	/* The catalogue's stages are there too; its indicators, with no values for
	 * this council, are named under their stage rather than given rows. */
	assert_true(count_of(html, "<section class=\"stage") >= 3);
	assert_non_null(strstr(html, "<strong>No figures yet</strong>"));
	assert_non_null(strstr(html, "no figures yet</div>"));

	/* Every indicator, each in a row with one chart. */
	for (size_t i = 0; i < NCASES; i++)
		assert_non_null(strstr(first_stage, cases[i].id));
	rows = count_of(html, "<tr class=\"indicator\">");
	assert_true(rows >= NCASES);
	assert_int_equal(count_of(html, "<svg"), rows);

	/* RAG in words as well as colour. */
	assert_non_null(strstr(first_stage, "Red</span>"));
	assert_non_null(strstr(first_stage, "Amber</span>"));
	assert_non_null(strstr(first_stage, "Green</span>"));
	assert_non_null(strstr(first_stage, "No RAG</span>"));
	/* The comparator: the other councils' average of 17 and 19. */
	assert_non_null(strstr(html, "18.0%<small>other councils in csperf"));

	/* The hostile title, escaped wherever it appears. */
	assert_non_null(strstr(html, HOSTILE_ESCAPED));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "alert('x')"));

	/* Self-contained: nothing to fetch, nothing to run. */
	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@font-face"));

	/* Print-friendly. */
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "size:A4"));
	assert_non_null(strstr(html, "print-color-adjust:exact"));
	assert_non_null(strstr(html, "thead{display:table-header-group;}"));

	/* An admin sees the small number; no temporary file is left. */
	assert_non_null(strstr(html, "75.0%"));
	assert_int_equal(files_starting("report.html."), 0);
	free(html);
}

static void test_small_numbers_hidden_from_scrutiny(void **state)
{
	char token[128], *err = NULL, *html, *row;
	const char *path = report_path("scrutiny.html");

	assert_int_equal(fixture_token_create(pg.dsn, NULL, "scrutiny", "committee",
		(const char *const[]){ COUNCIL, NULL }, token, sizeof(token)), 0);
	assert_int_equal(run_report(token, "2018-19:Q4", path, &err), 0);
	free(err);
	html = fixture_read_file(path);
	assert_non_null(html);
	/* Neither the table nor the chart (nor its description) shows 3 of 4. */
	assert_null(strstr(html, "75.0%"));
	row = strstr(strstr(html, "<tr class=\"indicator\">"), "RPTSMALL");
	assert_non_null(row);
	assert_non_null(strstr(row, "<td class=\"num now\">*</td>"));
	assert_non_null(strstr(html, "* Not shown: the figure rests on a small number"));
	assert_non_null(strstr(html, "Q4 18-19 *"));
	/* Large numbers are shown to scrutiny as to anyone. */
	assert_non_null(strstr(html, "24.5%"));
	assert_int_equal(count_of(html, "<svg"), count_of(html, "<tr class=\"indicator\">"));
	free(html);
}

/* A reader may have scorecards but not series: the report still comes, its
 * charts drawn from the scorecard's own periods. */
static void test_reader_without_series(void **state)
{
	char token[128], *err = NULL, *html, *row;
	const char *path = report_path("reader.html");

	assert_int_equal(fixture_token_create(pg.dsn, NULL, "reader", "head of service",
		(const char *const[]){ COUNCIL, NULL }, token, sizeof(token)), 0);
	assert_int_equal(run_report(token, "2018-19:Q4", path, &err), 0);
	assert_non_null(strstr(err, "may not read series"));
	free(err);
	html = fixture_read_file(path);
	assert_non_null(html);
	assert_non_null(strstr(html, "The charts show this year&#39;s periods only"));
	assert_int_equal(count_of(html, "<svg"), count_of(html, "<tr class=\"indicator\">"));
	/* This year's quarters, ending with the period's own point in its RAG colour. */
	row = strstr(html, "RPTRED</span>");
	assert_non_null(row);
	assert_non_null(strstr(row, "Q1 18-19 20.0%, Q2 18-19 22.0%, Q3 18-19 24.0%, Q4 18-19 24.5%"));
	assert_non_null(strstr(row, "class=\"now now-red\""));
	free(html);
}

static void test_failures_keep_the_last_report(void **state)
{
	const char *path = report_path("kept.html");
	const char *const usage_args[] = {
		CSPERF_CLI_PATH, "--server", server.address, "report", "--council", COUNCIL,
		"--period", "2018-19:Q4", NULL,
	};
	char *err = NULL, *out = NULL, *before, *after;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("<p>last quarter's good report</p>\n", f);
	fclose(f);
	before = fixture_read_file(path);

	/* Not a period: csperf refuses it before calling, as bad usage (1). */
	assert_int_equal(run_report(server.token, "2018-19:Q9", path, &err), 1);
	assert_non_null(strstr(err, "is not a period"));
	free(err);
	/* A token that is not one (4). */
	assert_int_equal(run_report("csperf_0000", "2018-19:Q4", path, &err), 4);
	free(err);
	/* A folder that is not there (6). */
	assert_int_equal(run_report(server.token, "2018-19:Q4", report_path("no/such/dir.html"),
				    &err), 6);
	assert_non_null(strstr(err, "no/such/dir.html"));
	free(err);
	/* No --out (1). */
	assert_int_equal(fixture_run(usage_args, NULL, &out, &err, 60), 1);
	assert_non_null(strstr(err, "--out"));
	free(out);
	free(err);

	after = fixture_read_file(path);
	assert_non_null(after);
	assert_string_equal(before, after);
	assert_int_equal(files_starting("kept.html."), 0);
	free(before);
	free(after);
}

/* The full path of a program on PATH, or false. */
static bool find_program(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *saved = NULL;
	bool found = false;

	copy = strdup(path != NULL ? path : "/usr/bin:/bin");
	assert_non_null(copy);
	for (dir = strtok_r(copy, ":", &saved); dir != NULL && !found;
	     dir = strtok_r(NULL, ":", &saved)) {
		snprintf(out, size, "%s/%s", dir, name);
		found = access(out, X_OK) == 0;
	}
	free(copy);
	return found;
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Runs chromium headless on the report with one more argument (the output),
 * under timeout(1) so that its helper processes go too. */
static int run_chromium(const char *chromium, const char *profile, const char *what,
			const char *url)
{
	const char *argv[] = {
		"/usr/bin/timeout", "-k", "5", "60", chromium, "--headless", "--no-sandbox",
		"--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--no-pdf-header-footer", profile, what, "--window-size=1280,2000", url, NULL,
	};
	char *out = NULL, *err = NULL;
	int rc = fixture_run(argv, NULL, &out, &err, 75);

	if (rc != 0)
		fprintf(stderr, "chromium %s: exit %d\n%s\n", what, rc, err != NULL ? err : "");
	free(out);
	free(err);
	return rc;
}

static void test_renders_and_prints(void **state)
{
	char chromium[512], pdftotext[512], profile[300], profile_arg[320], screenshot[420],
	     pdf[420], url[420], *err = NULL, *text;
	const char *path = report_path("scrutiny.html");
	FILE *f;
	char magic[5] = "";

	if (!find_program("chromium", chromium, sizeof(chromium))) {
		CSPERF_SKIP("chromium is not installed: the render and print checks");
	}
	if (access(path, R_OK) != 0) {
		assert_int_equal(run_report(server.token, "2018-19:Q4", path, &err), 0);
		free(err);
	}
	assert_int_equal(fixture_mkdtemp(profile, sizeof(profile), "csperf-chromium"), 0);
	snprintf(profile_arg, sizeof(profile_arg), "--user-data-dir=%s", profile);
	snprintf(url, sizeof(url), "file://%s", path);
	snprintf(screenshot, sizeof(screenshot), "--screenshot=%s/report.png", workdir);
	snprintf(pdf, sizeof(pdf), "--print-to-pdf=%s/report.pdf", workdir);

	assert_int_equal(run_chromium(chromium, profile_arg, screenshot, url), 0);
	assert_true(file_size(report_path("report.png")) > 10 * 1024);
	assert_int_equal(run_chromium(chromium, profile_arg, pdf, url), 0);
	assert_true(file_size(report_path("report.pdf")) > 1024);
	f = fopen(report_path("report.pdf"), "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_string_equal(magic, "%PDF");
	{
		char command[700];

		snprintf(command, sizeof(command), "rm -rf '%s'", profile);
		if (system(command) != 0)
			fprintf(stderr, "could not remove %s\n", profile);
	}

	if (!find_program("pdftotext", pdftotext, sizeof(pdftotext)))
		CSPERF_SKIP("pdftotext (poppler-utils) is not installed: the PDF's text");
	{
		const char *argv[] = { pdftotext, report_path("report.pdf"),
					report_path("report.txt"), NULL };
		char *out = NULL;

		assert_int_equal(fixture_run(argv, NULL, &out, &err, 60), 0);
		free(out);
		free(err);
	}
	text = fixture_read_file(report_path("report.txt"));
	assert_non_null(text);
	assert_non_null(strstr(text, COUNCIL_NAME));
	assert_non_null(strstr(text, "RPTRED"));
	assert_non_null(strstr(text, "Exceptions"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_html),
		cmocka_unit_test(test_small_numbers_hidden_from_scrutiny),
		cmocka_unit_test(test_reader_without_series),
		cmocka_unit_test(test_failures_keep_the_last_report),
		cmocka_unit_test(test_renders_and_prints),
	};

	return cmocka_run_group_tests_name("integration_report", tests, setup, teardown);
}
