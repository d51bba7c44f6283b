/*
 * test_wales.c: Welsh councils measured the Welsh way (issue 19). The same
 * hand-built journeys (tests/fixtures/journeys_wales) are loaded for a Welsh
 * council (681) and an English one (995): the Welsh measures (PM24 to PM35,
 * SCC/014, SCC/021, SCC/025, SCC/034: migration 0022) are worked out by
 * hand below; the Welsh council's scorecard, exceptions and committee
 * report carry every measure Cardiff's report prints and none of England's
 * own, the English council's none of Wales's; and a council csperf-gen
 * makes with --nation wales shows the Welsh scorecard once loaded.
 *
 * A figure is "numerator denominator value", rounded to 2 places without
 * trailing zeros, "null" for NULL, "none" when there is no row.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif
#ifndef CSPERF_GEN_PATH
#error "CSPERF_GEN_PATH must name csperf-gen"
#endif

#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#define WELSH "681"
#define ENGLISH "995"
#define GENERATED "682"

static fixture_pg pg;
static fixture_server server;
static char server_env[96], token_env[192];
static char data_dir[256];

/* Every measure Cardiff's Q4 2018-19 report prints, by the id it has here
 * (docs/indicators.md, "Wales"): the Welsh measures, and the ones both
 * nations share. */
static const char *const cardiff_ids[] = {
	"PM24", "PM25", "PM26", "PM27", "PM28", "PM29A", "PM29B", "PM30", "PM31", "PM32",
	"PM33", "PM34A", "PM34B", "PM35", "SCC014", "SCC021", "SCC025", "SCC034",
	"FD01", "FD02", "CN01", "CP04", "LA01", "LA02S", "LA02E", "LA04", "LA13",
	"WF01", "WF02", "WF03", "WF05", "YJ01",
};

/* England's own: DfE timescales and measures Wales does not use. */
static const char *const english_only_ids[] = {
	"CN02", "CP03", "CP05B", "CP07", "CP10", "LA06", "LA07", "LA09", "LA14", "AD01",
	"CL01", "EH01",
};

/* Runs argv (the csperf tool's or csperf-gen's); its standard output in *out
 * when out is not NULL. */
static int run(const char *const *argv, char **out)
{
	const char *env[3] = { server_env, token_env, NULL };
	char *stdout_text = NULL, *err = NULL;
	int rc = fixture_run(argv, env, &stdout_text, &err, 600);

	if (rc != 0)
		fprintf(stderr, "%s exited %d:\n%s\n%s\n", argv[0], rc,
			stdout_text != NULL ? stdout_text : "", err != NULL ? err : "");
	if (out != NULL)
		*out = stdout_text;
	else
		free(stdout_text);
	free(err);
	return rc;
}

static int load(const char *council, const char *nation, const char *format,
		const char *path)
{
	return run((const char *const[]){ CSPERF_CLI_PATH, "load", "--council", council,
		"--council-name", council, "--nation", nation, "--format", format, path, NULL },
		NULL);
}

/* Whether a figure (figure_of) has a value: a row whose last word is not
 * null. */
static bool has_value(const char *figure)
{
	const char *last = strrchr(figure, ' ');

	return strcmp(figure, "none") != 0 && last != NULL && strcmp(last + 1, "null") != 0;
}

/* Whether a CSV scorecard or exceptions list has a row whose indicator id
 * (its first column, quoted or not) is `id`, or with `prefix` true starts
 * with it. */
static bool has_row_like(const char *csv, const char *id, bool prefix)
{
	size_t length = strlen(id);

	for (const char *line = csv; line != NULL && *line != '\0';) {
		const char *cell = *line == '"' ? line + 1 : line;

		if (strncmp(cell, id, length) == 0 &&
		    (prefix || cell[length] == ',' || (cell != line && cell[length] == '"')))
			return true;
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return false;
}

static bool has_row(const char *csv, const char *id)
{
	return has_row_like(csv, id, false);
}

/* Whether it has a row of a Welsh measure (PM..., SCC...). */
static bool has_welsh_row(const char *csv)
{
	return has_row_like(csv, "PM", true) || has_row_like(csv, "SCC", true);
}

static char *scorecard_csv(const char *council, const char *period)
{
	char *out = NULL;

	assert_int_equal(run((const char *const[]){ CSPERF_CLI_PATH, "-f", "csv", "scorecard",
		"--council", council, "--period", period, NULL }, &out), 0);
	return out;
}

static int setup(void **state)
{
	char path[512];

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0 ||
	    fixture_mkdtemp(data_dir, sizeof(data_dir), "csperf-wales") != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", server.token);
	snprintf(path, sizeof(path), "%s/journeys_wales", CSPERF_FIXTURES);
	return load(WELSH, "wales", "csv", path) == 0 &&
	       load(ENGLISH, "england", "csv", path) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char command[300];
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	(void)state;
	snprintf(command, sizeof(command), "rm -rf '%s'", data_dir);
	if (system(command) != 0)
		rc = -1;
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

/*
 * The Welsh measures on the hand-built journeys, council 681.
 *
 * PM24, within 42 working days of the referral (from it, inclusive, to the
 *   authorisation, exclusive; Christmas Day, Boxing Day 2018 and New Year's
 *   Day 2019 are bank holidays in Wales):
 *   B1 referred 2018-11-26, authorised 2019-01-28: 42 working days (45
 *      weekdays less the three bank holidays): on time;
 *   B2 the same referral, authorised 2019-01-29: 43, late;
 *   B3 referred 2018-11-01, started 2018-11-05, authorised 2019-01-08: 45
 *      from the referral, late (43 from the start: the measure counts from
 *      the referral);
 *   B4 referred 2018-05-01, authorised 2018-06-15: 31, on time (Q1).
 *   2018-19:Q4 1 of 3 (33.33%); 2018-19 2 of 4 (50%).
 * SCC014, s47 (strategy discussion) to ICPC within 15 working days: P5
 *   2018-12-17 to 2019-01-10, 15 (18 weekdays): on time; P6 to 2019-01-11,
 *   16: late. 2018-19:Q4 1 of 2.
 * PM27, registrations in 2018-19: P1 2018-12-10 (deregistered 2018-01-15,
 *   under 12 months before: a re-registration), P2 2018-10-15 (deregistered
 *   2017-10-01, more than 12 months), P3 2018-11-05 and P4 2018-04-16 (first
 *   plans): 1 of 4.
 * PM28, deregistered in 2018-19: P3 2018-11-05 to 2019-02-11, 98 days; P4
 *   2018-04-16 to 2019-03-15, 333 days: 431 over 2 = 215.5.
 * SCC034, P4's reviews: the first due 3 months after 2018-04-16, held
 *   2018-07-10 (on time); the second due 6 months after it, 2019-01-10, held
 *   2019-01-14 (late): 1 of 2.
 * PM26, looked after at some time in 2018-19 (short breaks left out): L1,
 *   L2, L3, L6, L7 (L4 only on a short break, L5 ceased in 2017-18); L1
 *   returned home (E4A) on 2018-09-30, L2 ceased E13 (not home): 1 of 5.
 * PM33, looked after on 31 March 2019: L3 (one placement), L6 (S on
 *   2018-04-02, P on 2018-08-01 and 2018-12-03: three), L7 (S, then L: a
 *   change of legal status only, one placement): 1 of 3.
 * SCC021, L3's reviews: the first due 20 working days after care began on
 *   2018-10-01, 2018-10-29, held 2018-10-26 (on time); the second due 3
 *   months after it, 2019-01-26, held 2019-01-30 (late): 1 of 2.
 * SCC025, L3's visits: due 2018-10-08, made 2018-10-05 (on time); due 42
 *   days after, 2018-11-16, made 2018-11-20 (late); due 2019-01-01, made
 *   2018-12-20 (on time): 2 of 3.
 */
static void test_welsh_measures(void **state)
{
	static const struct { const char *indicator, *period, *expected; } figures[] = {
		{ "PM24", "2018-19:Q4", "1 3 33.33" },
		{ "PM24", "2018-19", "2 4 50" },
		{ "PM24", "2018-19:Q1", "1 1 100" },
		{ "SCC014", "2018-19:Q4", "1 2 50" },
		{ "PM27", "2018-19", "1 4 25" },
		{ "PM28", "2018-19", "431 2 215.5" },
		{ "SCC034", "2018-19", "1 2 50" },
		{ "PM26", "2018-19", "1 5 20" },
		{ "PM33", "2018-19", "1 3 33.33" },
		{ "SCC021", "2018-19", "1 2 50" },
		{ "SCC025", "2018-19", "2 3 66.67" },
	};
	size_t wrong = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(figures); i++) {
		char *got = fixture_figure(&pg, WELSH, figures[i].indicator, figures[i].period);

		if (strcmp(got, figures[i].expected) != 0) {
			printf("  %s %s: expected %s, got %s\n", figures[i].indicator,
			       figures[i].period, figures[i].expected, got);
			wrong++;
		}
		free(got);
	}
	assert_int_equal(wrong, 0);
}

/* The Welsh council's scorecard has a row for every measure Cardiff prints,
 * computed or reported (PM29A, loaded as a reported figure, shows its
 * 61.5), and none of England's own; its exceptions and its committee report
 * draw on the same rows. */
static void test_welsh_scorecard(void **state)
{
	char *csv = scorecard_csv(WELSH, "2018-19"), *out = NULL, *html;
	char path[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cardiff_ids); i++)
		if (!has_row(csv, cardiff_ids[i]))
			fail_msg("the Welsh scorecard has no %s:\n%s", cardiff_ids[i], csv);
	for (size_t i = 0; i < ARRAY_SIZE(english_only_ids); i++)
		if (has_row(csv, english_only_ids[i]))
			fail_msg("the Welsh scorecard shows England's %s", english_only_ids[i]);
	if (strstr(csv, "61.5") == NULL)
		fail_msg("the Welsh scorecard lacks PM29A's reported 61.5:\n%s", csv);
	free(csv);

	assert_int_equal(run((const char *const[]){ CSPERF_CLI_PATH, "-f", "csv", "exceptions",
		"--council", WELSH, "--period", "2018-19:Q4", NULL }, &out), 0);
	for (size_t i = 0; i < ARRAY_SIZE(english_only_ids); i++)
		if (has_row(out, english_only_ids[i]))
			fail_msg("the Welsh exceptions list England's %s", english_only_ids[i]);
	free(out);

	snprintf(path, sizeof(path), "%s/report-%s.html", data_dir, WELSH);
	assert_int_equal(run((const char *const[]){ CSPERF_CLI_PATH, "report", "--council",
		WELSH, "--period", "2018-19:Q4", "--out", path, NULL }, NULL), 0);
	html = fixture_read_file(path);
	assert_non_null(html);
	if (strstr(html, "class=\"id\">PM24<") == NULL ||
	    strstr(html, "class=\"id\">SCC014<") == NULL)
		fail_msg("the Welsh committee report has no PM24 or SCC014");
	if (strstr(html, "class=\"id\">CN02<") != NULL || strstr(html, "<dt>CN02 ") != NULL)
		fail_msg("the Welsh committee report shows England's CN02");
	free(html);
}

/* The same records for an English council: England's catalogue, not one
 * Welsh measure (the figures are computed for every council; the scorecard
 * chooses by nation). */
static void test_english_scorecard(void **state)
{
	char *csv = scorecard_csv(ENGLISH, "2018-19"), *out = NULL;

	(void)state;
	if (!has_row(csv, "CN02") || !has_row(csv, "CP03") || !has_row(csv, "LA14") ||
	    !has_row(csv, "FD01"))
		fail_msg("the English scorecard lacks England's measures:\n%s", csv);
	if (has_welsh_row(csv))
		fail_msg("the English scorecard shows a Welsh measure:\n%s", csv);
	free(csv);
	assert_int_equal(run((const char *const[]){ CSPERF_CLI_PATH, "-f", "csv", "exceptions",
		"--council", ENGLISH, "--period", "2018-19:Q4", NULL }, &out), 0);
	/* CP03 (target 90%) is Red on the same records: SCC014's 1 of 2. */
	if (has_welsh_row(out) || !has_row(out, "CP03"))
		fail_msg("the English exceptions list a Welsh measure, or not CP03:\n%s", out);
	free(out);
}

/* csperf-gen --nation wales: the manifest says wales, the csv folder holds
 * the Welsh reported measures, and once loaded (--nation wales) the
 * council's scorecard is the Welsh one, PM24 computed from its
 * assessments. */
static void test_generated_welsh_council(void **state)
{
	char path[512], *manifest, *csv, *figure;

	(void)state;
	assert_int_equal(run((const char *const[]){ CSPERF_GEN_PATH, "--council", GENERATED,
		"--children", "400", "--years", "2", "--seed", "19", "--end-year", "2019",
		"--nation", "wales", "--out", data_dir, NULL }, NULL), 0);
	snprintf(path, sizeof(path), "%s/manifest.json", data_dir);
	manifest = fixture_read_file(path);
	assert_non_null(manifest);
	if (strstr(manifest, "\"nation\": \"wales\"") == NULL &&
	    strstr(manifest, "\"nation\":\"wales\"") == NULL)
		fail_msg("the manifest does not say wales:\n%s", manifest);
	free(manifest);
	for (int year = 2018; year <= 2019; year++) {
		snprintf(path, sizeof(path), "%s/cin/%d.xml", data_dir, year);
		assert_int_equal(load(GENERATED, "wales", "cin-xml", path), 0);
		snprintf(path, sizeof(path), "%s/ssda903/%d", data_dir, year);
		assert_int_equal(load(GENERATED, "wales", "ssda903", path), 0);
	}
	snprintf(path, sizeof(path), "%s/csv", data_dir);
	assert_int_equal(load(GENERATED, "wales", "csv", path), 0);

	csv = scorecard_csv(GENERATED, "2018-19");
	for (size_t i = 0; i < ARRAY_SIZE(cardiff_ids); i++)
		if (!has_row(csv, cardiff_ids[i]))
			fail_msg("the generated Welsh scorecard has no %s:\n%s", cardiff_ids[i], csv);
	if (has_row(csv, "CN02") || has_row(csv, "AD01"))
		fail_msg("the generated Welsh scorecard shows England's measures:\n%s", csv);
	free(csv);
	/* PM24 computed (assessments authorised in the year), PM29A reported. */
	figure = fixture_figure(&pg, GENERATED, "PM24", "2018-19");
	if (!has_value(figure))
		fail_msg("the generated council has no PM24 for 2018-19: %s", figure);
	free(figure);
	figure = fixture_figure(&pg, GENERATED, "PM29A", "2018-19");
	if (!has_value(figure))
		fail_msg("the generated council has no reported PM29A for 2018-19: %s", figure);
	free(figure);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welsh_measures),
		cmocka_unit_test(test_welsh_scorecard),
		cmocka_unit_test(test_english_scorecard),
		cmocka_unit_test(test_generated_welsh_council),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
