/*
 * test_indicators.c: the indicator catalogue (migrations/0005_catalogue.sql)
 * computed by a real csperfd on journeys built by hand, every figure worked
 * out by hand in the comments; the working-day calendar; and, on the shared
 * SSDA903 and CIN census samples, figures checked against an independent
 * count written here in plain SQL over the record views.
 *
 * The hand-built journeys are tests/fixtures/journeys/ (csperf CSV, one file
 * per record type), one council, 990, in England. Most figures are for
 * 2019-20 (1 April 2019 to 31 March 2020, a year with 29 February), its
 * quarters and months. csperfd computes every indicator for every standard
 * period right after the load; the tests only read indicator_value.
 *
 * A figure is written "numerator denominator value", each rounded to 2
 * places without trailing zeros, "null" for NULL, and "none" when there is
 * no row. Working days follow docs/indicators.md: from the first date
 * (inclusive) to the second (exclusive), Monday to Friday less bank
 * holidays; a weekend start counts from the next working day. The bank
 * holidays used below: 2019 Good Friday 19 April, Easter Monday 22 April,
 * 6 May, 27 May, 25 and 26 December; 2020 1 January; 2022 2 and 3 June (the
 * spring bank holiday moved from 30 May, and the Platinum Jubilee), 19
 * September (the Queen's funeral), 26 and 27 December (Christmas Day fell on
 * a Sunday); 2023 2 January, 7 and 10 April, 1 and 8 May (the Coronation),
 * 29 May.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../require_all.h"

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

/* The council of the hand-built journeys, and of the two shared samples. */
#define HAND_COUNCIL "990"
#define SSDA903_COUNCIL "991"
#define CIN_COUNCIL "992"

static fixture_pg pg;
static fixture_server server;
static char server_env[96];

typedef struct cli_result {
	int status;
	char *out, *err;
} cli_result;

/* Runs `csperf -o json load ARGS...`. */
static cli_result run_load(const char *const *args)
{
	const char *argv[32] = { CSPERF_CLI_PATH, "-o", "json", "load" };
	const char *env[2] = { server_env, NULL };
	size_t n = 4;
	cli_result r;

	for (size_t i = 0; args[i] != NULL && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	r.status = fixture_run(argv, env, &r.out, &r.err, 600);
	return r;
}

static void cli_result_free(cli_result *r)
{
	free(r->out);
	free(r->err);
}

/* A definition of the one kind the catalogue does not use, so that every
 * kind is computed: the median of CP10's durations. */
static const char test_only_definition[] =
	"INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, "
	"kind, params, definition) VALUES ('ZT01', 1, 'Median days on a plan (test only)', "
	"'child_protection', 'days', 'none', 'median_duration', '{\"record\": \"cp_plan\", "
	"\"date\": \"end_date\", \"from\": \"start_date\", \"to\": \"end_date\"}', "
	"'test_indicators.c')";

static int setup(void **state)
{
	cli_result r;
	char *inserted;
	int rc;

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn,
				 /* the hand-worked figures through a recompute's second
				  * connection too (server/store/compute_lane.c) */
				 (const char *const[]){ "--lane-children", "0", NULL }) != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	inserted = fixture_pg_query(&pg, test_only_definition);
	if (inserted == NULL)
		return -1;
	free(inserted);
	r = run_load((const char *const[]){ "--council", HAND_COUNCIL, "--council-name",
		"Hand-built journeys", "--nation", "england", "--format", "csv",
		CSPERF_FIXTURES "/journeys", NULL });
	rc = r.status == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "loading the journeys: exit %d\n%s\n%s\n", r.status,
			r.out != NULL ? r.out : "", r.err != NULL ? r.err : "");
	cli_result_free(&r);
	return rc;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	(void)state;
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

/* The first column of the first row of a query, as text; "" for none. */
static char *query_text(const char *format, ...)
{
	char sql[2048];
	va_list args;
	char *value;

	va_start(args, format);
	vsnprintf(sql, sizeof(sql), format, args);
	va_end(args);
	value = fixture_pg_query(&pg, sql);
	assert_non_null(value);
	return value;
}

static long query_long(const char *format, ...)
{
	char sql[2048];
	va_list args;
	char *value;
	long n;

	va_start(args, format);
	vsnprintf(sql, sizeof(sql), format, args);
	va_end(args);
	value = fixture_pg_query(&pg, sql);
	assert_non_null(value);
	assert_true(value[0] != '\0');
	n = atol(value);
	free(value);
	return n;
}

/* One value of indicator_value as "numerator denominator value". */
static char *figure_of(const char *council, const char *indicator, const char *period,
		       const char *breakdown)
{
	return query_text(
		"SELECT coalesce((SELECT concat_ws(' ', "
		"coalesce(trim_scale(round(numerator, 2))::text, 'null'), "
		"coalesce(trim_scale(round(denominator, 2))::text, 'null'), "
		"coalesce(trim_scale(round(value, 2))::text, 'null')) "
		"FROM indicator_value WHERE council = '%s' AND org_unit = 'council' AND "
		"indicator_id = '%s' AND period = '%s' AND breakdown = '%s'), 'none')",
		council, indicator, period, breakdown);
}

typedef struct figure {
	const char *indicator;
	const char *period;
	const char *breakdown;   /* "" but for breakdowns */
	const char *expected;    /* "numerator denominator value" */
} figure;

/* Checks every figure of a table against the council 990 values, printing
 * each that differs, then fails if any did. */
static void check_figures(const figure *figures, size_t count)
{
	size_t wrong = 0;

	for (size_t i = 0; i < count; i++) {
		const figure *f = &figures[i];
		char *got = figure_of(HAND_COUNCIL, f->indicator, f->period, f->breakdown);

		if (strcmp(got, f->expected) != 0) {
			printf("  %s %s%s%s: expected %s, got %s\n", f->indicator, f->period,
			       f->breakdown[0] != '\0' ? " " : "", f->breakdown, f->expected, got);
			wrong++;
		}
		free(got);
	}
	assert_int_equal(wrong, 0);
}

/* ---- the calendar ---- */

static void test_working_days(void **state)
{
	static const struct { const char *nation, *from, *to; long expected; } cases[] = {
		/* Thu 18 April 2019; Good Friday, the weekend and Easter Monday
		 * are not working days: 1 (Thursday). */
		{ "england", "2019-04-18", "2019-04-23", 1 },
		/* Tue 24 December 2019 to Mon 30: 24 and 27 December. */
		{ "england", "2019-12-24", "2019-12-30", 2 },
		/* From a Saturday: counting starts on Monday 8 April. */
		{ "england", "2019-04-06", "2019-04-09", 1 },
		/* 29 February 2020 is a Saturday: nothing to Monday 2 March. */
		{ "england", "2020-02-29", "2020-03-02", 0 },
		{ "england", "2020-02-28", "2020-03-02", 1 },
		/* 2020's early May bank holiday moved to Friday 8 May (VE day). */
		{ "england", "2020-05-04", "2020-05-11", 4 },
		/* 2 and 3 June 2022 (spring bank holiday and Platinum Jubilee). */
		{ "england", "2022-06-01", "2022-06-06", 1 },
		/* ... so that Monday 30 May 2022 was a working day. */
		{ "england", "2022-05-27", "2022-05-31", 2 },
		/* Monday 19 September 2022, the state funeral. */
		{ "england", "2022-09-16", "2022-09-20", 1 },
		/* Monday 8 May 2023, the Coronation. */
		{ "england", "2023-05-05", "2023-05-09", 1 },
		/* Christmas Day 2022 on a Sunday: 26 and 27 December. */
		{ "england", "2022-12-23", "2022-12-28", 1 },
		/* Christmas 2021 on a Saturday: Monday 27 and Tuesday 28. */
		{ "england", "2021-12-24", "2021-12-29", 1 },
		/* Whole years: 2022 has 260 weekdays and 10 bank holidays on
		 * weekdays, 2023 260 and 9. */
		{ "england", "2022-01-01", "2023-01-01", 250 },
		{ "england", "2023-01-01", "2024-01-01", 251 },
		/* Wales shares the one-off days. */
		{ "wales", "2022-06-01", "2022-06-06", 1 },
		{ "wales", "2023-05-05", "2023-05-09", 1 },
		/* The 45-day windows of the CN02 cases below. */
		{ "england", "2019-03-20", "2019-05-28", 45 },
		{ "england", "2019-11-02", "2020-01-09", 45 },
		{ "england", "2022-05-03", "2022-07-07", 45 },
		{ "england", "2022-09-01", "2022-11-04", 45 },
		{ "england", "2023-04-03", "2023-06-12", 45 },
		/* Backwards, as numpy's busday_count: negative. */
		{ "england", "2019-04-23", "2019-04-18", -1 },
	};
	char *outside;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long got = query_long("SELECT csperf_working_days('%s', '%s', '%s')",
				      cases[i].nation, cases[i].from, cases[i].to);

		if (got != cases[i].expected)
			printf("  %s %s to %s: expected %ld, got %ld\n", cases[i].nation,
			       cases[i].from, cases[i].to, cases[i].expected, got);
		assert_int_equal(got, cases[i].expected);
	}
	/* Outside the calendar (2010 to 2035): no answer rather than a wrong one. */
	outside = query_text("SELECT coalesce(csperf_working_days('england', '2009-12-31', "
			     "'2010-01-04')::text, 'null')");
	assert_string_equal(outside, "null");
	free(outside);
}

/* ---- the catalogue ---- */

/* Every id of INDICATORS.md is in the catalogue, every definition was
 * computed (a definition that csperfd could not parse or run has no values),
 * and none failed. */
static void test_catalogue_is_complete_and_computed(void **state)
{
	static const char *const ids[] = {
		"EH01", "EH02", "EH03", "EH04", "EH05",
		"FD01", "FD02", "FD03", "FD04", "FD05", "FD06", "FD07",
		"CN01", "CN02", "CN03", "CN04", "CN05", "CN06", "CN07",
		"CP01", "CP02", "CP03", "CP04", "CP05", "CP06", "CP07", "CP08", "CP09", "CP10",
		"LA01", "LA02S", "LA02E", "LA03", "LA04", "LA05", "LA06", "LA07", "LA08", "LA09",
		"LA10", "LA11", "LA12", "LA13", "LA14",
		"AD01", "AD02", "AD03", "AD04", "AD05",
		"CL01", "CL02", "CL03", "CL04",
		"WF01", "WF02", "WF03", "WF04", "WF05",
		"YJ01", "YJ02",
		"FN01", "FN02", "FN03", "FN04",
	};
	char *missing;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		long n = query_long("SELECT count(*) FROM indicator WHERE indicator_id = '%s'",
				    ids[i]);

		if (n != 1)
			printf("  %s is not in the catalogue\n", ids[i]);
		assert_int_equal(n, 1);
	}
	missing = query_text(
		"SELECT coalesce(string_agg(indicator_id, ' ' ORDER BY indicator_id), '') "
		"FROM indicator i WHERE kind <> 'reported' AND NOT EXISTS (SELECT 1 FROM "
		"indicator_value v WHERE v.council = '" HAND_COUNCIL "' AND "
		"v.indicator_id = i.indicator_id)");
	if (missing[0] != '\0')
		printf("  computed nothing for: %s\n", missing);
	assert_string_equal(missing, "");
	free(missing);
	assert_int_equal(query_long("SELECT failures FROM compute_run WHERE council = '"
				    HAND_COUNCIL "'"), 0);
	/* Period types: a year-only indicator has no quarters. */
	assert_int_equal(query_long("SELECT count(*) FROM indicator_value WHERE council = '"
				    HAND_COUNCIL "' AND indicator_id = 'CL01' AND "
				    "period_type <> 'year'"), 0);
}

/* ---- Early Help and the front door ---- */

/*
 * Early Help episodes (early_help.csv):
 *   E1 2019-01-10 to 2019-12-31, allocated, ended stepping UP (on Q3's last day)
 *   E2 2019-06-01, open, allocated
 *   E3 2019-11-15, open, never allocated
 *   E4 2020-01-06 to 2020-02-29, never allocated (closed while waiting, 29 Feb)
 *   E5 2019-09-01, open, allocated, started stepping DOWN
 *   E6 2018-09-01 to 2019-03-31 (2018-19's last day), then 2019-08-19, open
 *
 * EH01 open at 31 March 2020: E2, E3, E5, E6 = 4. At 31 December 2019: E1
 *   ended that day, so again E2, E3, E5, E6 = 4. At 31 January 2020: E2, E3,
 *   E4, E5, E6 = 5. At 29 February 2020: E4 ended that day: 4.
 * EH02 open at any time in 2019-20: E1 to E6 = 6 (E6 once: its first episode
 *   ended on 31 March 2019 and counts only in 2018-19, with E1: 2). In Q4: E1
 *   ended in Q3: 5.
 * EH03 open and not allocated: 31 December E3 = 1; 31 January E3, E4 = 2;
 *   29 February E3 = 1 (E4 closed that day).
 * EH04 starts in 2019-20: E2, E3, E4, E5, E6 (2019-08-19) = 5; E6's earlier
 *   start, 2018-09-01, is within the 12 months before: 1 of 5 = 20%.
 * EH05 stepped up: E1, ended in Q3. EH05D stepped down: E5, started in Q2.
 *
 * Contacts (contacts.csv), with the working days to the decision:
 *   K1 Thu 2019-04-18 decided Tue 04-23: 1 (Good Friday, Easter Monday); Referral to children's social care
 *   K1 Fri 2019-05-03 decided Tue 05-07: 1 (6 May bank holiday); Early Help
 *   K2 Sat 2019-04-06 decided Tue 04-09: 1 (counted from Monday); Referral to children's social care
 *   K3 Fri 2019-06-28 decided Tue 07-02 (in Q2): 2, late; No further action
 *   K4 Sun 2019-06-30 (Q1's last day): no decision yet, no outcome
 *   K5 Wed 2019-05-29 decided Fri 05-31: 2, late; Advice
 *   K2 Mon 2019-07-01 decided the same day: 0; Referral to children's social care
 * FD01: Q1 6 (K4 on the last day counts), 2019-20 7.
 * FD02 "Referral to children's social care": Q1 K1, K2 = 2 of 6 = 33.33%; 2019-20 3 of 7 = 42.86%.
 * FD06 children with 2 or more contacts: Q1 K1 = 1; 2019-20 K1, K2 = 2;
 *   April 2019 none (K1 once, K2 once).
 * FD07 by decision date, within 1 working day: Q1 K1, K1, K2 of K1, K1, K2,
 *   K5 = 3 of 4 = 75%; Q2 K2 of K3, K2 = 1 of 2 = 50%; 2019-20 4 of 6 = 66.67%.
 *
 * Referrals (referrals.csv) in 2019-20, 17, with their sources:
 *   Q1: A2 04-10 2A, P1 04-15 6, A1 05-20 6, P13 05-28 3A            (4)
 *   Q2: none                                                         (0)
 *   Q3: A3 10-05 3A, B3 10-30 6, B4 10-30 2A, P2 12-02 6, A4 12-31 6 (5, A4 on the last day)
 *   Q4: P3 01-06 1A, B5 01-15 2A, P4 01-31 6, B6 02-28 5D, P5 03-09 6,
 *       P6 03-16 3E, P7 03-24 6, A3 03-31 1A                         (8, A3 on the last day)
 * Before: A2 2018-04-09, A1 2018-06-01, P2 2016-01-20, P12 2017-04-20,
 *   P11 2019-02-01, B1 and B2 2019-03-18 (2018-19 has 5: A2, A1, P11, B1, B2).
 * FD03: 17; ytd:2019-12 (April to December) 4 + 0 + 5 = 9; r12:2020-02
 *   (March 2019 to February 2020) B1, B2 and Q1 to Q3 and Q4's first four = 15.
 * FD03R: the latest population estimate for a year up to the period's end
 *   year: 2018 50,000 and 2020 40,000 are loaded. 2019-20 ends in 2020:
 *   10,000 x 17 / 40,000 = 4.25; Q3 ends in 2019: 10,000 x 5 / 50,000 = 1;
 *   Q4 10,000 x 8 / 40,000 = 2; 2018-19 10,000 x 5 / 50,000 = 1.
 * FD04: 6 (police) 8 of 17 = 47.06%; 2A 3 = 17.65%; 3E 1 = 5.88%.
 * FD05 re-referrals: A1 05-20 (A1 2018-06-01 is within 12 months), A3
 *   2020-03-31 (A3 2019-10-05); not A2 04-10 (2018-04-09 is 12 months and a
 *   day before), not P2 (2016): 2 of 17 = 11.76%. Q1 1 of 4 = 25%; Q3 0 of 5;
 *   Q4 1 of 8 = 12.5%.
 */
static void test_early_help_and_front_door(void **state)
{
	static const figure figures[] = {
		{ "EH01", "2019-20", "", "4 null 4" },
		{ "EH01", "2019-20:Q3", "", "4 null 4" },
		{ "EH01", "2020-01", "", "5 null 5" },
		{ "EH01", "2020-02", "", "4 null 4" },
		{ "EH02", "2019-20", "", "6 null 6" },
		{ "EH02", "2019-20:Q4", "", "5 null 5" },
		{ "EH02", "2018-19", "", "2 null 2" },
		{ "EH03", "2019-20:Q3", "", "1 null 1" },
		{ "EH03", "2020-01", "", "2 null 2" },
		{ "EH03", "2020-02", "", "1 null 1" },
		{ "EH04", "2019-20", "", "1 5 20" },
		{ "EH05", "2019-20:Q3", "", "1 null 1" },
		{ "EH05", "2019-20:Q4", "", "0 null 0" },
		{ "EH05D", "2019-20:Q2", "", "1 null 1" },
		{ "FD01", "2019-20", "", "7 null 7" },
		{ "FD01", "2019-20:Q1", "", "6 null 6" },
		{ "FD02", "2019-20", "", "3 7 42.86" },
		{ "FD02", "2019-20:Q1", "", "2 6 33.33" },
		{ "FD03", "2019-20", "", "17 null 17" },
		{ "FD03", "2019-20:Q2", "", "0 null 0" },
		{ "FD03", "2019-20:Q3", "", "5 null 5" },
		{ "FD03", "2019-20:Q4", "", "8 null 8" },
		{ "FD03", "ytd:2019-12", "", "9 null 9" },
		{ "FD03", "r12:2020-02", "", "15 null 15" },
		{ "FD03R", "2019-20", "", "17 40000 4.25" },
		{ "FD03R", "2019-20:Q3", "", "5 50000 1" },
		{ "FD03R", "2019-20:Q4", "", "8 40000 2" },
		{ "FD03R", "2018-19", "", "5 50000 1" },
		{ "FD04", "2019-20", "6", "8 17 47.06" },
		{ "FD04", "2019-20", "2A", "3 17 17.65" },
		{ "FD04", "2019-20", "3E", "1 17 5.88" },
		{ "FD05", "2019-20", "", "2 17 11.76" },
		{ "FD05", "2019-20:Q1", "", "1 4 25" },
		{ "FD05", "2019-20:Q3", "", "0 5 0" },
		{ "FD05", "2019-20:Q4", "", "1 8 12.5" },
		{ "FD06", "2019-20", "", "2 null 2" },
		{ "FD06", "2019-20:Q1", "", "1 null 1" },
		{ "FD06", "2019-04", "", "0 null 0" },
		{ "FD07", "2019-20", "", "4 6 66.67" },
		{ "FD07", "2019-20:Q1", "", "3 4 75" },
		{ "FD07", "2019-20:Q2", "", "1 2 50" },
	};

	(void)state;
	check_figures(figures, ARRAY_SIZE(figures));
}

/* ---- assessment and children in need ---- */

/*
 * Assessments (assessments.csv), start to authorisation in working days:
 *   B1 Wed 2019-03-20 to Tue 2019-05-28: 45, in time. The window holds Good
 *      Friday, Easter Monday, 6 May and 27 May: 49 weekdays less 4.
 *   B2 the same start to Wed 2019-05-29: 46, late.
 *   B3 Fri 2019-11-01 to Wed 2020-01-08: 45, in time (over 25 and 26
 *      December and 1 January).
 *   B4 Sat 2019-11-02 to Thu 2020-01-09: 45 counted from Monday 4 November, in
 *      time (from the Saturday it would be 46).
 *   B5 Mon 2020-01-20 to Sat 2020-02-29: 30, in time; authorised on 29 February.
 *   B6 started 2020-03-02, not authorised: in no figure.
 *   B7 Tue 2022-05-03 to Thu 2022-07-07: 45 over 2 and 3 June 2022, in time.
 *   B8 Thu 2022-09-01 to Fri 2022-11-04: 45 over 19 September 2022, in time.
 *   B10 Thu 2022-12-01 to Tue 2023-02-07: 45 over 26 and 27 December 2022 and
 *      2 January 2023, in time; B11 the same to Wed 2023-02-08: 46, late.
 *   B9 Mon 2023-04-03 to Mon 2023-06-12: 45 over 7 and 10 April, 1, 8 and 29
 *      May 2023, in time.
 * CN01 2019-20: B1, B2, B3, B4, B5 = 5; February 2020: B5 = 1.
 * CN02 2019-20: 4 of 5 = 80%; Q1 B1, B2 = 1 of 2 = 50%; Q2 none: no value;
 *   Q4 B3, B4, B5 = 3 of 3; 2022-23 B7, B8, B10, B11 = 3 of 4 = 75%;
 *   2023-24:Q1 B9 = 1 of 1.
 * CN04 2019-20, factors: B1 "21 3A", B2 "21", B3 "3A", B4 none, B5 "21 18B":
 *   21 3 of 5 = 60%, 3A 2 = 40%, 18B 1 = 20%.
 * CN03, children with a referral open (referral to closure):
 *   at 31 December 2019: A2, A3, B3, B4, P1, P2, P11, P13 = 8 (A1 and A4
 *   closed that day; B1, B2, P12 earlier).
 *   at 29 February 2020: A2, B5, B6, P1, P2, P3, P4, P11 = 8 (A3 and P13 closed
 *   that day; B3, B4 earlier).
 *   at 31 March 2020: A2, A3 (its second referral, that day), B5, B6, P1, P2,
 *   P3, P4, P6, P7, P11 = 11 (P5 closed that day). CN03R: 10,000 x 11 /
 *   40,000 = 2.75.
 */
static void test_assessment_and_children_in_need(void **state)
{
	static const figure figures[] = {
		{ "CN01", "2019-20", "", "5 null 5" },
		{ "CN01", "2020-02", "", "1 null 1" },
		{ "CN02", "2019-20", "", "4 5 80" },
		{ "CN02", "2019-20:Q1", "", "1 2 50" },
		{ "CN02", "2019-20:Q2", "", "0 0 null" },
		{ "CN02", "2019-20:Q4", "", "3 3 100" },
		{ "CN02", "2022-23", "", "3 4 75" },
		{ "CN02", "2023-24:Q1", "", "1 1 100" },
		{ "CN03", "2019-20:Q3", "", "8 null 8" },
		{ "CN03", "2020-02", "", "8 null 8" },
		{ "CN03", "2019-20", "", "11 null 11" },
		{ "CN03R", "2019-20", "", "11 40000 2.75" },
		{ "CN04", "2019-20", "21", "3 5 60" },
		{ "CN04", "2019-20", "3A", "2 5 40" },
		{ "CN04", "2019-20", "18B", "1 5 20" },
	};

	(void)state;
	check_figures(figures, ARRAY_SIZE(figures));
}

/* ---- child protection ---- */

/*
 * Section 47 enquiries (s47.csv), start to ICPC in working days:
 *   P1 Tue 2019-04-16 to Wed 2019-05-08: 13 (over Easter and 6 May)
 *   P2 Mon 2019-12-09 to Tue 2019-12-31 (Q3's last day): 14 (over Christmas)
 *   P3 Mon 2020-01-06 to Tue 2020-01-28: 16, late
 *   P4 Sat 2020-02-01 to Mon 2020-02-24: 15 from Monday 3 February, in time
 *   P5 2020-03-10: no conference needed
 *   P6 2020-03-20, ICPC dated 2020-03-18, before the enquiry: left out of CP03
 *   P7 2020-03-25, ICPC 2020-04-15 (in 2020-21)
 *   P8 Thu 2022-05-26 to Mon 2022-06-20: 15 (2 and 3 June 2022; 30 May was a
 *      working day), P10 Mon 2022-09-12 to Tue 2022-10-04: 15 (19 September),
 *      P9 Wed 2023-04-26 to Fri 2023-05-19: 15 (1 and 8 May 2023): all in time.
 * CP01 2019-20: P1 to P7 = 7; Q4 P3 to P7 = 5.
 * CP02 by ICPC date, 2019-20: P1, P2, P3, P4, P6, and P13's, recorded only on
 *   its referral (no enquiry), on 2019-06-03 = 6; Q3 P2 = 1; Q4 P3, P4, P6 = 3.
 * CP02P 2019-20: 6 of the 7 have an ICPC (not P5) = 85.71%; Q4 4 of 5 = 80%.
 * CP03 2019-20: P1, P2, P4 in time, P3 late, P6 left out: 3 of 4 = 75%;
 *   Q3 1 of 1; Q4 P3, P4 = 1 of 2 = 50%; 2022-23 P8, P10 = 2 of 2;
 *   2023-24:Q1 P9 = 1 of 1.
 *
 * CP plans (cp_plans.csv):
 *   P1  2019-05-08, open, NEG/NEG, 0 previous plans
 *   P2  2016-02-01 to 2016-11-30; 2019-12-31 (Q3's last day), open, EMO/EMO
 *   P3  2020-01-28, open, SAB/MUL, 1 previous plan (in another council)
 *   P4  2020-02-24, open, NEG/NEG, 0 previous plans
 *   P11 2019-02-11 to 2019-09-30 NEG/EMO, and 2019-09-30, open, EMO/EMO:
 *       ended and started again on Q2's last day
 *   P12 2017-05-02 to 2019-07-15 (804 days), SAB/SAB
 *   P13 2019-06-03 to 2020-02-29 (271 days), PHY/PHY
 * CP04 children on a plan: 30 September 2019 P1, P11 (once: the plan that
 *   ended that day is not open, the one that started is), P13 = 3;
 *   31 December P1, P2, P11, P13 = 4; 29 February 2020 P1, P2, P3, P4, P11 = 5
 *   (P13 ended that day); 31 March 2020 the same 5. CP04R 10,000 x 5 /
 *   40,000 = 1.25.
 * CP05 plans starting and whether second or subsequent: Q1 P1 no, P13 no
 *   (0 of 2); Q2 P11's second yes (1 of 1); Q3 P2's second yes (its 2016
 *   plan, however long ago); Q4 P3 yes (previous_plans 1), P4 no (1 of 2);
 *   2019-20 3 of 6 = 50%.
 * CP08 initial category of the 6 plans starting in 2019-20: NEG P1, P4 = 2;
 *   EMO P11, P2 = 2; SAB P3 = 1; PHY P13 = 1: 33.33%, 33.33%, 16.67%, 16.67%.
 * CP08L latest category of plans open, counted as plans: 31 March 2020 NEG
 *   P1, P4; EMO P2, P11; MUL P3 = 40%, 40%, 20%. 30 September 2019: P1 NEG,
 *   P11's new plan EMO, P13 PHY, a third each (P11's old plan, EMO, ended
 *   that day).
 * CP10 plans ended: 2019-20 P12 804 + P11 231 (2019-02-11 to 2019-09-30) +
 *   P13 271 = 1,306 days over 3 = 435.33; Q2 P12, P11 = 1,035 over 2 = 517.5;
 *   Q4 P13 = 271.
 * ZT01 (median, test only): 2019-20 the median of 231, 271, 804 = 271; Q2 the
 *   median of 231 and 804 = 517.5.
 */
static void test_child_protection(void **state)
{
	static const figure figures[] = {
		{ "CP01", "2019-20", "", "7 null 7" },
		{ "CP01", "2019-20:Q4", "", "5 null 5" },
		{ "CP02", "2019-20", "", "6 null 6" },
		{ "CP02", "2019-20:Q3", "", "1 null 1" },
		{ "CP02", "2019-20:Q4", "", "3 null 3" },
		{ "CP02P", "2019-20", "", "6 7 85.71" },
		{ "CP02P", "2019-20:Q4", "", "4 5 80" },
		{ "CP03", "2019-20", "", "3 4 75" },
		{ "CP03", "2019-20:Q3", "", "1 1 100" },
		{ "CP03", "2019-20:Q4", "", "1 2 50" },
		{ "CP03", "2022-23", "", "2 2 100" },
		{ "CP03", "2023-24:Q1", "", "1 1 100" },
		{ "CP04", "2019-09", "", "3 null 3" },
		{ "CP04", "2019-20:Q3", "", "4 null 4" },
		{ "CP04", "2020-02", "", "5 null 5" },
		{ "CP04", "2019-20", "", "5 null 5" },
		{ "CP04R", "2019-20", "", "5 40000 1.25" },
		{ "CP05", "2019-20", "", "3 6 50" },
		{ "CP05", "2019-20:Q1", "", "0 2 0" },
		{ "CP05", "2019-20:Q2", "", "1 1 100" },
		{ "CP05", "2019-20:Q3", "", "1 1 100" },
		{ "CP05", "2019-20:Q4", "", "1 2 50" },
		{ "CP08", "2019-20", "NEG", "2 6 33.33" },
		{ "CP08", "2019-20", "EMO", "2 6 33.33" },
		{ "CP08", "2019-20", "SAB", "1 6 16.67" },
		{ "CP08", "2019-20", "PHY", "1 6 16.67" },
		{ "CP08L", "2019-20", "NEG", "2 5 40" },
		{ "CP08L", "2019-20", "EMO", "2 5 40" },
		{ "CP08L", "2019-20", "MUL", "1 5 20" },
		{ "CP08L", "2019-09", "NEG", "1 3 33.33" },
		{ "CP08L", "2019-09", "EMO", "1 3 33.33" },
		{ "CP08L", "2019-09", "PHY", "1 3 33.33" },
		{ "CP10", "2019-20", "", "1306 3 435.33" },
		{ "CP10", "2019-20:Q2", "", "1035 2 517.5" },
		{ "CP10", "2019-20:Q4", "", "271 1 271" },
		{ "ZT01", "2019-20", "", "271 3 271" },
		{ "ZT01", "2019-20:Q2", "", "517.5 2 517.5" },
	};

	(void)state;
	check_figures(figures, ARRAY_SIZE(figures));
}

/* ---- looked after ---- */

/*
 * Episodes (la_episodes.csv); S starts care, P and U change placement, L
 * changes legal status only:
 *   L1  born 2008-05-01: S 2016-06-01 C2 U4 PR1; L 2018-01-10 C1, open
 *   L2  born 2004-02-29, 16 on 29 February 2020: S 2015-04-01 C1 U4 PR4, open
 *   L3  born 2009-07-01: S 2016-01-10 C1 U6 PR1; P 2019-06-01 K2 PR4, open
 *   L4  born 2012-03-15: S 2018-11-05 U6 PR1; P 2019-07-01 U6 PR5; L
 *       2019-10-14 C1; P 2020-01-06 C1 U4 PR1, open
 *   L5  born 2001-11-10, 18 on 2019-11-10: S 2019-01-15; L 2019-05-20; P
 *       2019-08-12 H5; ceased on her 18th birthday (E5)
 *   L6  short breaks: S 2019-04-08 V3, open
 *   L7  born 2015-06-01: S 2019-04-01 (the year's first day) U3, returned home
 *       2019-08-30 (E4A); S again 2019-11-04 L2 U6; L 2019-11-12 C2, open
 *   L8  born 2017-01-20: S 2018-01-05; L 2018-06-01 E1; P 2019-10-01 A6,
 *       adopted 2020-03-31 (E11, the year's last day)
 *   L9  born 2018-03-03: S 2018-05-05 U6 PR4; L 2019-08-01 E1, open
 *   L10 born 2017-08-08: S 2018-09-03; L 2018-12-20 E1; P 2019-07-01 A5,
 *       adopted 2020-01-15 (E12)
 *   L11 born 2014-05-05: S 2016-03-01 C2 U4 PR1; L 2017-02-01 E1; U 2020-03-02
 *       A5 (placed for adoption with her foster carer), open
 * LA01, not V3/V4: 31 March 2020 L1, L2, L3, L4, L7, L9, L11 = 7 (L8 ceased
 *   that day, L5 and L10 earlier, L6 on short breaks); 31 December 2019 the
 *   same with L8 and L10 = 9; 30 September 2019 L1, L2, L3, L4, L5, L8, L9,
 *   L10, L11 = 9 (L7 was home). LA01R 10,000 x 7 / 40,000 = 1.75.
 * LA02S children starting (S, not V3/V4): L7 twice in 2019-20, once as a
 *   child: 1; Q1 L7 (1 April) = 1; Q3 L7 = 1 (L6 is V3).
 * LA02E children ceasing (not X1): L7 08-30, L5 11-10, L10 01-15, L8 03-31 =
 *   4; Q3 L5 = 1; Q4 L10, L8 = 2. LA14 returned home (E4A, E4B): L7, of the
 *   children looked after at some time in the period (L1 to L5, L7 to L11;
 *   L6 on short breaks) = 1 of 10; Q2 the same 10 (L5 ceased in Q3) = 1 of 10.
 * LA03 at 31 March 2020: C1 L1, L2, L3, L4 = 4 of 7 = 57.14%; C2 L7 = 14.29%;
 *   E1 L9, L11 = 28.57%. LA04: U4 L1, L2, L4 = 42.86%; U6 L7, L9 = 28.57%; K2
 *   L3 = 14.29%; A5 L11 = 14.29%.
 * LA12 foster U1-U6 with PR1: L1, L4, L7 = 3 of 7 = 42.86%.
 * LA06, 3 or more placements in the 12 months to the day (the one a child is
 *   in when they begin counts; L episodes are not placements):
 *   31 March 2020: L4 has S (ongoing on 1 April 2019), P 07-01 and P 01-06 =
 *   3; L3 2, L7 2 (U3, then U6), the others 1: 1 of 7 = 14.29%.
 *   30 September 2019: L5 S, L, P = 2 placements; L10 S, L, P = 2; L3 2, L4
 *   2; the others 1: 0 of 9 (counting L episodes as placements would make
 *   L5 and L10 3).
 * LA05 (under 16; looked after since their latest S at least 30 months; in
 *   the same placement, since their latest episode that is not L, at least 24
 *   months, or placed for adoption with the placement before lasting that
 *   long with it):
 *   31 December 2019 (care since 2017-06-30 or before): L1 yes, L2 (15) yes,
 *   L11 yes (the same placement since 2016), L3 no (moved 2019-06-01): 3 of 4.
 *   31 January 2020: the same, 3 of 4 = 75%.
 *   29 February 2020: L2 is 16 that day and leaves: L1, L11 of L1, L3, L11 =
 *   2 of 3 = 66.67%.
 *   31 March 2020: L1 yes; L3 no; L11 was placed for adoption on 2020-03-02,
 *   with her foster carer of 2016: her previous placement and the adoptive
 *   one together last 4 years, so she is stable (the DfE rule): 2 of 3 =
 *   66.67%.
 *
 * Reviews (la_reviews.csv) in 2019-20, PN0 (under 4: L9) left out: L1 PN1,
 *   L1 PN4, L3 PN5, L3 PN7, L4 PN2 (31 March), L7 PN6. LA08 views shared
 *   (PN1, PN2, PN3, PN5, PN6): 4 of 6 = 66.67%. LA08A attended (PN1-PN4): 3 of
 *   6 = 50%.
 * LA10 (health.csv): at 31 March 2020 L1, L2, L9 up to date of L1, L2, L3, L4,
 *   L9 = 60%; at 31 March 2019 L1 of L1, L2 = 50%; a figure for years only.
 */
static void test_looked_after(void **state)
{
	static const figure figures[] = {
		{ "LA01", "2019-20", "", "7 null 7" },
		{ "LA01", "2019-20:Q3", "", "9 null 9" },
		{ "LA01", "2019-09", "", "9 null 9" },
		{ "LA01R", "2019-20", "", "7 40000 1.75" },
		{ "LA02S", "2019-20", "", "1 null 1" },
		{ "LA02S", "2019-20:Q1", "", "1 null 1" },
		{ "LA02S", "2019-20:Q3", "", "1 null 1" },
		{ "LA02E", "2019-20", "", "4 null 4" },
		{ "LA02E", "2019-20:Q3", "", "1 null 1" },
		{ "LA02E", "2019-20:Q4", "", "2 null 2" },
		{ "LA03", "2019-20", "C1", "4 7 57.14" },
		{ "LA03", "2019-20", "C2", "1 7 14.29" },
		{ "LA03", "2019-20", "E1", "2 7 28.57" },
		{ "LA04", "2019-20", "U4", "3 7 42.86" },
		{ "LA04", "2019-20", "U6", "2 7 28.57" },
		{ "LA04", "2019-20", "K2", "1 7 14.29" },
		{ "LA04", "2019-20", "A5", "1 7 14.29" },
		{ "LA05", "2019-20:Q3", "", "3 4 75" },
		{ "LA05", "2020-01", "", "3 4 75" },
		{ "LA05", "2020-02", "", "2 3 66.67" },
		{ "LA05", "2019-20", "", "2 3 66.67" },
		{ "LA06", "2019-20", "", "1 7 14.29" },
		{ "LA06", "2019-09", "", "0 9 0" },
		{ "LA08", "2019-20", "", "4 6 66.67" },
		{ "LA08A", "2019-20", "", "3 6 50" },
		{ "LA10", "2019-20", "", "3 5 60" },
		{ "LA10", "2018-19", "", "1 2 50" },
		{ "LA10", "2019-20:Q4", "", "none" },
		{ "LA12", "2019-20", "", "3 7 42.86" },
		{ "LA14", "2019-20", "", "1 10 10" },
		{ "LA14", "2019-20:Q2", "", "1 10 10" },
	};

	(void)state;
	check_figures(figures, ARRAY_SIZE(figures));
}

/* ---- adoption and care leavers ---- */

/*
 * AD02D (adoptions.csv), decision to match: L10 2019-01-07 to 2019-06-20 =
 *   164 days (Q1); L8 2018-04-10 to 2019-09-12 = 520 days (Q2); 2019-20
 *   684 over 2 = 342.
 * AD05 children under a placement order (E1) not placed for adoption (A3-A6):
 *   30 September 2019 L8, L9, L11 = 3 (L10 placed A5); 31 December L9, L11 =
 *   2 (L8 placed A6 on 1 October); 31 March 2020 L9 = 1 (L11 placed A5).
 *
 * Care leavers at 31 March 2020 (care_leavers.csv), with their age that day:
 *   C1 19 YES F4 D1; C2 21 YES G5 B1; C3 21 NO 0 0; C4 18 (turned 18 in
 *   October 2019) YES F2 Z1; C5 20 DIED; C6 22 YES F1 C1.
 * CL01 aged 19-21, not DIED: C1, C2, C3; in education, employment or
 *   training: C1 = 1 of 3 = 33.33% (C4 and C6, in education, are too young
 *   and too old).
 * CL02 the same three, suitable accommodation: C1 D1, C2 B1 = 2 of 3 = 66.67%.
 * CL03 every age, not DIED: C1, C2, C3, C4, C6; in touch: 4 of 5 = 80%.
 */
static void test_adoption_and_care_leavers(void **state)
{
	static const figure figures[] = {
		{ "AD02D", "2019-20", "", "684 2 342" },
		{ "AD02D", "2019-20:Q1", "", "164 1 164" },
		{ "AD02D", "2019-20:Q2", "", "520 1 520" },
		{ "AD05", "2019-09", "", "3 null 3" },
		{ "AD05", "2019-20:Q3", "", "2 null 2" },
		{ "AD05", "2019-20", "", "1 null 1" },
		{ "CL01", "2019-20", "", "1 3 33.33" },
		{ "CL02", "2019-20", "", "2 3 66.67" },
		{ "CL03", "2019-20", "", "4 5 80" },
	};

	(void)state;
	check_figures(figures, ARRAY_SIZE(figures));
}

/* ---- finance and reported figures ---- */

/*
 * Placement costs (placement_costs.csv), net a day = (weekly - contributions) / 7:
 *   PC1 L1 PR1 700 a week from 2019-04-01, open: 100 a day
 *   PC2 L3 PR4 4,200 less 700 from health, from 2019-06-01, open: 500 a day
 *   PC3 L4 PR5 1,050 from 2019-07-01 to 2020-01-05 (its last day): 150 a day
 *   PC4 L9 PR4 5,600 from 2019-08-01, open: 800 a day
 *   PC5 L4 PR1 700 from 2020-01-06, open: 100 a day
 * FN01 2019-20 (366 days): PC1 366 x 100 = 36,600; PC2 305 x 500 = 152,500;
 *   PC3 189 x 150 = 28,350; PC4 244 x 800 = 195,200; PC5 86 x 100 = 8,600;
 *   total 421,250. In-house (PR1) 45,200; independent (PR4, PR5) 376,050;
 *   other 0. FN03 is the same for the year, and has no quarters.
 *   February 2020 (29 days): 29 x (100 + 500 + 800 + 100) = 43,500.
 *   January 2020: 31 x 100 + 31 x 500 + 5 x 150 + 31 x 800 + 26 x 100 = 46,750.
 * FN02 gross weekly cost of lines applying on the last day: 31 March 2020
 *   700 + 4,200 + 5,600 + 700 = 11,200 over 4 = 2,800; in-house 1,400 over 2
 *   = 700; independent 9,800 over 2 = 4,900; 31 December 2019 PC1 to PC4 =
 *   11,550 over 4 = 2,887.5.
 * FN04 over 5,000 a week: PC4 = 1 from August 2019; July 2019 0.
 *
 * Reported figures (reported_figures.csv): WF01 18.9 for 2019-20:Q3 (Team
 *   A's 30 for the same quarter is a team's, not the council's), WF02 22.4
 *   for 2019-20, YJ01 18 for 2019-20:Q4; WF01 has nothing for 2019-20.
 */
static void test_finance_and_reported_figures(void **state)
{
	static const figure figures[] = {
		{ "FN01", "2019-20", "", "421250 null 421250" },
		{ "FN01", "2020-02", "", "43500 null 43500" },
		{ "FN01", "2020-01", "", "46750 null 46750" },
		{ "FN01I", "2019-20", "", "45200 null 45200" },
		{ "FN01A", "2019-20", "", "376050 null 376050" },
		{ "FN01O", "2019-20", "", "0 null 0" },
		{ "FN02", "2019-20", "", "11200 4 2800" },
		{ "FN02", "2019-20:Q3", "", "11550 4 2887.5" },
		{ "FN02I", "2019-20", "", "1400 2 700" },
		{ "FN02A", "2019-20", "", "9800 2 4900" },
		{ "FN03", "2019-20", "", "421250 null 421250" },
		{ "FN03", "2019-20:Q4", "", "none" },
		{ "FN03A", "2019-20", "", "376050 null 376050" },
		{ "FN04", "2019-20", "", "1 null 1" },
		{ "FN04", "2019-07", "", "0 null 0" },
		{ "WF01", "2019-20:Q3", "", "18.9 null 18.9" },
		{ "WF02", "2019-20", "", "22.4 null 22.4" },
		{ "YJ01", "2019-20:Q4", "", "18 null 18" },
	};

	(void)state;
	check_figures(figures, ARRAY_SIZE(figures));
	assert_int_equal(query_long("SELECT count(*) FROM indicator_value WHERE council = '"
				    HAND_COUNCIL "' AND indicator_id = 'WF01' AND "
				    "period = '2019-20' AND value IS NOT NULL"), 0);
}

/* ---- the shared samples ---- */

static bool have_shared_data(void)
{
	struct stat sb;

	if (stat(CSPERF_SHARED_DATA "/ssda903-fake/episodes.csv", &sb) == 0)
		return true;
	printf("skipped: %s is absent (it is beside the repository in CI)\n", CSPERF_SHARED_DATA);
	return false;
}

/* The engine's numerator for a council's period, against a count made here. */
static void assert_numerator(const char *council, const char *indicator, const char *period,
			     const char *independent_sql)
{
	long expected = query_long("%s", independent_sql);
	char *engine = query_text("SELECT coalesce((SELECT numerator::text FROM indicator_value "
				  "WHERE council = '%s' AND org_unit = 'council' AND "
				  "indicator_id = '%s' AND period = '%s' AND breakdown = ''), "
				  "'none')", council, indicator, period);

	printf("  %s %s: %ld\n", indicator, period, expected);
	assert_true(expected > 0);
	assert_string_not_equal(engine, "none");
	assert_int_equal(strtol(engine, NULL, 10), expected);
	free(engine);
}

/*
 * The shared SSDA903 sample, the collection year ending 31 March 2018, its
 * valid records (test_loads.c counts the rejections). The independent counts,
 * over the la_episode view:
 *   LA01 looked after at 31 March 2018: distinct child_id with start_date on
 *     or before 2018-03-31, end_date absent or after it, legal status not V3
 *     or V4;
 *   LA02S started in 2017-18: distinct child_id with an episode starting from
 *     2017-04-01 to 2018-03-31 with reason S, not V3 or V4;
 *   LA02E ceased in 2017-18: distinct child_id with an episode ending in those
 *     dates with a reason ceased present and not X1, not V3 or V4.
 */
static void test_shared_ssda903(void **state)
{
	cli_result r;

	(void)state;
	if (!have_shared_data())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	r = run_load((const char *const[]){ "--council", SSDA903_COUNCIL, "--format", "ssda903",
		"--year", "2018", "--accept-valid", CSPERF_SHARED_DATA "/ssda903-fake", NULL });
	assert_int_equal(r.status, 5);  /* some rejected, the rest stored */
	cli_result_free(&r);
	assert_numerator(SSDA903_COUNCIL, "LA01", "2017-18",
		"SELECT count(DISTINCT child_id) FROM la_episode WHERE council = '" SSDA903_COUNCIL
		"' AND start_date <= '2018-03-31' AND (end_date IS NULL OR end_date > "
		"'2018-03-31') AND legal_status NOT IN ('V3', 'V4')");
	assert_numerator(SSDA903_COUNCIL, "LA02S", "2017-18",
		"SELECT count(DISTINCT child_id) FROM la_episode WHERE council = '" SSDA903_COUNCIL
		"' AND start_date BETWEEN '2017-04-01' AND '2018-03-31' AND new_episode_reason = "
		"'S' AND legal_status NOT IN ('V3', 'V4')");
	assert_numerator(SSDA903_COUNCIL, "LA02E", "2017-18",
		"SELECT count(DISTINCT child_id) FROM la_episode WHERE council = '" SSDA903_COUNCIL
		"' AND end_date BETWEEN '2017-04-01' AND '2018-03-31' AND end_reason IS NOT NULL "
		"AND end_reason <> 'X1' AND legal_status NOT IN ('V3', 'V4')");
}

/*
 * The shared CIN census sample has CIN episodes but no Assessments or
 * Section47 elements (its ICPC dates are CINdetails ones), so CN02 and CP03
 * have nothing to count there: checked instead are, for 2021-22,
 *   FD03 referrals: referral_date from 2021-04-01 to 2022-03-31;
 *   FD05 re-referrals: those with another referral of the child dated in the
 *     12 months before (on or after the date less 12 months, and earlier);
 *   CN03 children in need at 31 March 2022: distinct child_id with
 *     referral_date on or before it and closure_date absent or after it.
 * CN02 and CP03 are 0 of 0 there: no value.
 */
static void test_shared_cin_census(void **state)
{
	cli_result r;
	char *no_value;

	(void)state;
	if (!have_shared_data())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	r = run_load((const char *const[]){ "--council", CIN_COUNCIL, "--format", "cin-xml",
		"--accept-valid", CSPERF_SHARED_DATA "/cin-census-fake/fake_CIN_data.xml", NULL });
	assert_int_equal(r.status, 5);  /* five children repeat a disability code */
	cli_result_free(&r);
	assert_int_equal(query_long("SELECT count(*) FROM assessment WHERE council = '" CIN_COUNCIL
				    "'"), 0);
	assert_int_equal(query_long("SELECT count(*) FROM s47 WHERE council = '" CIN_COUNCIL
				    "'"), 0);
	assert_numerator(CIN_COUNCIL, "FD03", "2021-22",
		"SELECT count(*) FROM referral WHERE council = '" CIN_COUNCIL "' AND referral_date "
		"BETWEEN '2021-04-01' AND '2022-03-31'");
	assert_numerator(CIN_COUNCIL, "FD05", "2021-22",
		"SELECT count(*) FROM referral r WHERE council = '" CIN_COUNCIL "' AND "
		"referral_date BETWEEN '2021-04-01' AND '2022-03-31' AND EXISTS (SELECT 1 FROM "
		"referral o WHERE o.council = r.council AND o.child_id = r.child_id AND "
		"o.referral_date < r.referral_date AND o.referral_date >= r.referral_date - "
		"interval '12 months')");
	assert_numerator(CIN_COUNCIL, "CN03", "2021-22",
		"SELECT count(DISTINCT child_id) FROM referral WHERE council = '" CIN_COUNCIL
		"' AND referral_date <= '2022-03-31' AND (closure_date IS NULL OR "
		"closure_date > '2022-03-31')");
	no_value = figure_of(CIN_COUNCIL, "CN02", "2021-22", "");
	assert_string_equal(no_value, "0 0 null");
	free(no_value);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_working_days),
		cmocka_unit_test(test_catalogue_is_complete_and_computed),
		cmocka_unit_test(test_early_help_and_front_door),
		cmocka_unit_test(test_assessment_and_children_in_need),
		cmocka_unit_test(test_child_protection),
		cmocka_unit_test(test_looked_after),
		cmocka_unit_test(test_adoption_and_care_leavers),
		cmocka_unit_test(test_finance_and_reported_figures),
		cmocka_unit_test(test_shared_ssda903),
		cmocka_unit_test(test_shared_cin_census),
	};

	return cmocka_run_group_tests_name("integration_indicators", tests, setup, teardown);
}
