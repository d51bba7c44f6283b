/* test_engine.c: periods as users write them, and indicator definitions
 * checked against the record schema before any SQL is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dates.h"
#include "engine/engine.h"

static void assert_period(const char *text, const char *label, const char *start, const char *end)
{
	report_period p;
	char err[256], s[16], e[16];

	assert_int_equal(period_parse(text, &p, err, sizeof(err)), 0);
	csperf_date_format_iso(p.start, s);
	csperf_date_format_iso(p.end, e);
	assert_string_equal(p.label, label);
	assert_string_equal(s, start);
	assert_string_equal(e, end);
}

static void test_periods_parse(void **state)
{
	assert_period("2018-19", "2018-19", "2018-04-01", "2019-03-31");
	assert_period("2018-19:Q1", "2018-19:Q1", "2018-04-01", "2018-06-30");
	assert_period("2018-19:Q4", "2018-19:Q4", "2019-01-01", "2019-03-31");
	assert_period("2019-02", "2019-02", "2019-02-01", "2019-02-28");
	assert_period("2020-02", "2020-02", "2020-02-01", "2020-02-29");   /* leap year */
	assert_period("r12:2019-03", "r12:2019-03", "2018-04-01", "2019-03-31");
	assert_period("r12:2019-01", "r12:2019-01", "2018-02-01", "2019-01-31");
	assert_period("ytd:2019-01", "ytd:2019-01", "2018-04-01", "2019-01-31");
	assert_period("ytd:2018-04", "ytd:2018-04", "2018-04-01", "2018-04-30");
	/* 2010-11 is November 2010; the financial year is written fy:2010-11. */
	assert_period("2010-11", "2010-11", "2010-11-01", "2010-11-30");
	assert_period("fy:2010-11", "fy:2010-11", "2010-04-01", "2011-03-31");
	assert_period("2010-11:Q2", "2010-11:Q2", "2010-07-01", "2010-09-30");
	/* Three financial years, named by the last: the adoption scorecard's. */
	assert_period("3y:2020-21", "3y:2020-21", "2018-04-01", "2021-03-31");
	assert_period("3y:2010-11", "3y:2010-11", "2008-04-01", "2011-03-31");
}

static void test_periods_refused(void **state)
{
	report_period p;
	char err[256];
	const char *bad[] = { "2018-20", "2018-19:Q5", "2019-13", "r12:2019", "2018", "",
			      "2018-19; DROP TABLE load", "%s%s", "ytd:19-01", "3y:2020-22",
			      "3y:2020" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(period_parse(bad[i], &p, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "is not a period"));
	}
}

static void test_periods_shift_and_standard(void **state)
{
	report_period p, q;
	report_period *all = NULL;
	char err[256];
	int32_t first, last;
	size_t n;

	period_parse("2018-19:Q1", &p, err, sizeof(err));
	period_shift(&p, true, &q);
	assert_string_equal(q.label, "2017-18:Q4");
	period_shift(&p, false, &q);
	assert_string_equal(q.label, "2017-18:Q1");
	period_parse("2019-01", &p, err, sizeof(err));
	period_shift(&p, true, &q);
	assert_string_equal(q.label, "2018-12");
	period_parse("2018-19", &p, err, sizeof(err));
	period_shift(&p, true, &q);
	assert_string_equal(q.label, "2017-18");
	period_parse("3y:2020-21", &p, err, sizeof(err));
	period_shift(&p, true, &q);
	assert_string_equal(q.label, "3y:2019-20");
	period_shift(&p, false, &q);
	assert_string_equal(q.label, "3y:2019-20");

	/* April 2018 to March 2019: 12 months, 12 rolling years, 12 ytd, 4
	 * quarters, 1 year, and the three years ending with it. */
	csperf_date_parse_iso("2018-04-10", &first);
	csperf_date_parse_iso("2019-03-02", &last);
	n = period_standard_list(first, last, &all);
	assert_int_equal(n, 12 + 12 + 12 + 4 + 1 + 1);
	assert_string_equal(all[n - 2].label, "2018-19");
	assert_string_equal(all[n - 1].label, "3y:2018-19");
	free(all);

	/* Labels are unique even where a year and a month would share one. */
	csperf_date_parse_iso("2010-04-01", &first);
	csperf_date_parse_iso("2012-03-31", &last);
	n = period_standard_list(first, last, &all);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(all[i].label, all[j].label) == 0)
				fail_msg("two periods are labelled %s", all[i].label);
	free(all);
}

static void assert_refused(const char *kind, const char *params, const char *expected)
{
	engine_indicator *ind = NULL;
	char err[256] = "";

	assert_int_equal(engine_indicator_parse(kind, params, &ind, err, sizeof(err)), -1);
	assert_null(ind);
	if (strstr(err, expected) == NULL)
		fail_msg("%s %s: '%s' does not say '%s'", kind, params, err, expected);
}

static void test_definitions_are_checked(void **state)
{
	assert_refused("spreadsheet", "{}", "is not a kind of indicator");
	assert_refused("count", "[1,2]", "not a JSON object");
	assert_refused("count", "{\"record\":\"referral\"}", "needs 'date'");
	assert_refused("count", "{\"record\":\"nothing\",\"date\":\"x\"}", "is not a record type");
	assert_refused("count", "{\"record\":\"referral\",\"date\":\"when\"}", "has no field when");
	assert_refused("count", "{\"record\":\"referral\",\"date\":\"referral_source\"}",
		       "is a code field");
	assert_refused("count", "{\"record\":\"referral\",\"date\":\"referral_date\",\"sql\":\"1\"}",
		       "takes no parameter 'sql'");
	assert_refused("count", "{\"record\":\"la_episode\",\"date\":\"start_date\",\"where\":"
		       "[{\"field\":\"legal_status\",\"in\":[\"X9\"]}]}", "X9 is not a legal status code");
	assert_refused("count", "{\"record\":\"la_episode\",\"date\":\"start_date\",\"where\":"
		       "[{\"field\":\"legal_status\",\"in\":[\"C2\"],\"is_null\":true}]}", "has one test");
	assert_refused("proportion", "{\"record\":\"referral\",\"date\":\"referral_date\"}",
		       "needs 'numerator'");
	assert_refused("timeliness", "{\"record\":\"assessment\",\"date\":\"authorisation_date\","
		       "\"from\":\"start_date\",\"to\":\"authorisation_date\",\"within\":45}",
		       "'days': working or calendar");
	assert_refused("timeliness", "{\"record\":\"assessment\",\"date\":\"authorisation_date\","
		       "\"from\":\"start_date\",\"to\":\"authorisation_date\",\"within\":-1,"
		       "\"days\":\"working\"}", "from 0 to 3650");
	assert_refused("reported", "{\"indicator\":\"x'; DROP\"}", "an indicator id");
}

static void test_sql_is_built_from_checked_parts(void **state)
{
	engine_indicator *ind = NULL;
	char err[256];
	char *sql;

	assert_int_equal(engine_indicator_parse("timeliness",
		"{\"record\":\"assessment\",\"date\":\"authorisation_date\",\"from\":\"start_date\","
		"\"to\":\"authorisation_date\",\"within\":45,\"days\":\"working\"}", &ind, err,
		sizeof(err)), 0);
	sql = engine_indicator_sql(ind);
	assert_non_null(sql);
	assert_non_null(strstr(sql, "ct.wd_index - cf.wd_index <= 45"));
	assert_non_null(strstr(sql, "FROM assessment e"));
	assert_non_null(strstr(sql, "e.council = $1"));
	/* Counted once per month, the months summed into the periods. */
	assert_non_null(strstr(sql, "JOIN pg_temp.engine_period_month pm ON pm.month = m.month"));
	free(sql);
	{
		bool reads[CSPERF_RECORD_TYPE_LAST + 1] = { false };

		engine_indicator_reads(ind, reads);
		assert_true(reads[CSPERF_RECORD_ASSESSMENT]);
		assert_false(reads[CSPERF_RECORD_CHILD]);
		assert_false(reads[CSPERF_RECORD_POPULATION]);
		assert_int_equal(engine_indicator_reach_back_months(ind), 0);
	}
	engine_indicator_free(ind);

	/* Ages read the child record; rates, the population. */
	assert_int_equal(engine_indicator_parse("rate",
		"{\"record\":\"referral\",\"date\":\"referral_date\",\"where\":[{\"age\":"
		"{\"max\":17}}]}", &ind, err, sizeof(err)), 0);
	{
		bool reads[CSPERF_RECORD_TYPE_LAST + 1] = { false };

		engine_indicator_reads(ind, reads);
		assert_true(reads[CSPERF_RECORD_REFERRAL]);
		assert_true(reads[CSPERF_RECORD_CHILD]);
		assert_true(reads[CSPERF_RECORD_POPULATION]);
	}
	engine_indicator_free(ind);

	/* A text value is quoted in the escape form, its quotes and backslashes
	 * doubled: the same text whatever standard_conforming_strings says. */
	assert_int_equal(engine_indicator_parse("count",
		"{\"record\":\"contact\",\"date\":\"contact_date\",\"where\":[{\"field\":\"outcome\","
		"\"equals\":\"it's\\\\\"}]}", &ind, err, sizeof(err)), 0);
	sql = engine_indicator_sql(ind);
	assert_non_null(strstr(sql, "e.outcome::text = E'it''s\\\\'"));
	free(sql);
	engine_indicator_free(ind);

	/* Snapshots are computed once per last day; a count of open records
	 * whose conditions read the record alone is swept in one pass (a
	 * child's intervals merged into islands, one running sum), an end not
	 * after its start open on no day. */
	assert_int_equal(engine_indicator_parse("snapshot_count",
		"{\"record\":\"la_episode\",\"start\":\"start_date\",\"end\":\"end_date\","
		"\"children\":true,\"where\":[{\"field\":\"legal_status\",\"not_in\":[\"V3\"]}]}",
		&ind, err, sizeof(err)), 0);
	sql = engine_indicator_sql(ind);
	assert_non_null(strstr(sql, "pg_temp.engine_end_date p"));
	assert_non_null(strstr(sql, "PARTITION BY child_id"));
	assert_non_null(strstr(sql, "sum(k) OVER (ORDER BY day)"));
	assert_non_null(strstr(sql, "e.end_date > e.start_date"));
	assert_non_null(strstr(sql, "e.legal_status NOT IN (E'V3')"));
	assert_null(strstr(sql, "count(DISTINCT e.child_id)"));
	free(sql);
	engine_indicator_free(ind);

	/* An age on the last day is the period's: joined per last day. */
	assert_int_equal(engine_indicator_parse("snapshot_count",
		"{\"record\":\"la_episode\",\"start\":\"start_date\",\"end\":\"end_date\","
		"\"children\":true,\"where\":[{\"age\":{\"max\":15}}]}", &ind, err, sizeof(err)), 0);
	sql = engine_indicator_sql(ind);
	assert_non_null(strstr(sql, "count(DISTINCT e.child_id)"));
	assert_null(strstr(sql, "PARTITION BY child_id"));
	free(sql);
	engine_indicator_free(ind);
}

/* Facts are named like records and checked like them; date comparisons
 * name date fields (or the period's days, where the kind has them). */
static void test_facts_and_date_comparisons(void **state)
{
	engine_indicator *ind = NULL;
	char err[256];
	char *sql;
	bool reads[CSPERF_RECORD_TYPE_LAST + 1] = { false };

	assert_refused("count", "{\"record\":\"adoption_journey\",\"date\":\"adopted\"}",
		       "has no field adopted");
	assert_refused("proportion", "{\"record\":\"cp_plan\",\"date\":\"end_date\","
		       "\"numerator\":[{\"date\":\"end_date\",\"on_or_after\":\"initial_category\"}]}",
		       "is not a date");
	assert_refused("proportion", "{\"record\":\"cp_plan\",\"date\":\"end_date\","
		       "\"numerator\":[{\"date\":\"end_date\",\"on_or_after\":\"start_date\","
		       "\"before\":\"start_date\"}]}", "has one of");
	assert_refused("proportion", "{\"record\":\"cp_plan\",\"date\":\"end_date\","
		       "\"numerator\":[{\"date\":\"end_date\",\"after\":\"start_date\","
		       "\"plus\":{\"fortnights\":2}}]}", "'plus' is one of");
	assert_refused("proportion", "{\"record\":\"cp_plan\",\"date\":\"end_date\","
		       "\"numerator\":[{\"date\":\"period_end\",\"after\":\"start_date\"}]}",
		       "period_end is for snapshot kinds");
	assert_refused("stability_long", "{\"same_carer\":[\"Q\"]}", "is not a reason");
	assert_refused("stability_short", "{\"not_placements\":[\"X'\"]}", "is not a placement");

	/* CP06: an anniversary, as an interval of months. */
	assert_int_equal(engine_indicator_parse("proportion",
		"{\"record\":\"cp_plan\",\"date\":\"end_date\",\"numerator\":[{\"date\":"
		"\"end_date\",\"on_or_after\":\"start_date\",\"plus\":{\"years\":2}}]}", &ind, err,
		sizeof(err)), 0);
	sql = engine_indicator_sql(ind);
	assert_non_null(strstr(sql, "e.end_date >= (e.start_date + interval '24 months')::date"));
	assert_null(engine_indicator_fact(ind));
	free(sql);
	engine_indicator_free(ind);

	/* A fact: read as a table of its name, its records marked as read. */
	assert_int_equal(engine_indicator_parse("average_duration",
		"{\"record\":\"adoption_journey\",\"date\":\"adopted_date\",\"from\":\"care_start\","
		"\"to\":\"placed_date\"}", &ind, err, sizeof(err)), 0);
	assert_non_null(engine_indicator_fact(ind));
	sql = engine_indicator_sql(ind);
	assert_non_null(strstr(sql, "FROM adoption_journey e"));
	free(sql);
	engine_indicator_reads(ind, reads);
	assert_true(reads[CSPERF_RECORD_LA_EPISODE]);
	assert_true(reads[CSPERF_RECORD_ADOPTION]);
	assert_true(reads[CSPERF_RECORD_PLACED_FOR_ADOPTION]);
	assert_false(reads[CSPERF_RECORD_REFERRAL]);
	sql = engine_fact_sql(engine_indicator_fact(ind));
	assert_non_null(strstr(sql, "CREATE TEMP TABLE adoption_journey ON COMMIT DROP AS"));
	assert_non_null(strstr(sql, "legal_status NOT IN ('V3', 'V4')"));
	free(sql);
	engine_indicator_free(ind);

	/* Working days from the other date to this one, in the council's
	 * nation; the period's last day for snapshots. */
	assert_int_equal(engine_indicator_parse("snapshot_proportion",
		"{\"record\":\"cp_visit_spell\",\"start\":\"start_date\",\"end\":\"end_date\","
		"\"children\":true,\"numerator\":[{\"date\":\"period_end\",\"on_or_before\":"
		"\"last_seen\",\"plus\":{\"working_days\":20}}]}", &ind, err, sizeof(err)), 0);
	sql = engine_indicator_sql(ind);
	/* csperf_working_days(nation, e.last_seen, p.end_date) <= 20, written
	 * out: the day's working-day index less the other's. */
	assert_non_null(strstr(sql, "((SELECT wd_index FROM calendar_day WHERE "
				    "calendar_day.nation = (SELECT nation FROM council WHERE "
				    "la_code = $1) AND calendar_day.day = p.end_date) - "
				    "(SELECT wd_index FROM calendar_day WHERE calendar_day.nation = "
				    "(SELECT nation FROM council WHERE la_code = $1) AND "
				    "calendar_day.day = e.last_seen)) <= 20"));
	free(sql);
	engine_indicator_free(ind);

	/* The carer-keeping reasons are checked codes, written as a list. */
	assert_int_equal(engine_indicator_parse("stability_long",
		"{\"same_carer\":[\"L\",\"T\",\"U\"]}", &ind, err, sizeof(err)), 0);
	sql = engine_indicator_sql(ind);
	assert_non_null(strstr(sql, "e2.new_episode_reason NOT IN ('L', 'T', 'U')"));
	free(sql);
	engine_indicator_free(ind);
}

/* Numbers a definition cannot use are refused, not stored to overflow or
 * to be dropped later (issue 22, finding 6). */
static void test_numbers_out_of_bounds_refused(void **state)
{
	static const char *const refused[][2] = {
		{ "proportion", "{\"record\":\"care_leaver\",\"date\":\"as_at_date\",\"where\":[{\"age\":"
		  "{\"min\":9000000000000000000}}]}" },
		{ "proportion", "{\"record\":\"care_leaver\",\"date\":\"as_at_date\",\"where\":[{\"age\":"
		  "{\"max\":-1}}]}" },
		{ "proportion", "{\"record\":\"care_leaver\",\"date\":\"as_at_date\",\"where\":[{\"age\":"
		  "{\"min\":2147483648}}]}" },
		{ "cost_count_over", "{\"threshold\":1e308}" },
		{ "cost_count_over", "{\"threshold\":-1}" },
	};
	engine_indicator *ind = NULL;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (engine_indicator_parse(refused[i][0], refused[i][1], &ind, err, sizeof(err)) == 0)
			fail_msg("accepted: %s %s", refused[i][0], refused[i][1]);
		assert_null(ind);
		/* Refused for its number, not for something else. */
		if (strstr(err, i < 3 ? "an age is whole years" : "threshold") == NULL)
			fail_msg("%s: %s", refused[i][1], err);
	}
	assert_int_equal(engine_indicator_parse("cost_count_over", "{\"threshold\":5000}", &ind, err,
						sizeof(err)), 0);
	engine_indicator_free(ind);
	assert_int_equal(engine_indicator_parse("proportion", "{\"record\":\"care_leaver\",\"date\":"
		"\"as_at_date\",\"where\":[{\"age\":{\"min\":19,\"max\":21}}],\"numerator\":"
		"[{\"field\":\"activity\",\"in\":[\"F1\"]}]}", &ind, err, sizeof(err)), 0);
	engine_indicator_free(ind);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods_parse),
		cmocka_unit_test(test_periods_refused),
		cmocka_unit_test(test_periods_shift_and_standard),
		cmocka_unit_test(test_definitions_are_checked),
		cmocka_unit_test(test_sql_is_built_from_checked_parts),
		cmocka_unit_test(test_facts_and_date_comparisons),
		cmocka_unit_test(test_numbers_out_of_bounds_refused),
	};

	return cmocka_run_group_tests_name("unit_engine", tests, NULL, NULL);
}
