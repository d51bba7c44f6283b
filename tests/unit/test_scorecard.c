/* test_scorecard.c: the scorecard engine's rows and exceptions from
 * hand-made values: periods read, value, previous, year ago, last year,
 * trend, target, RAG, direction, comparators, breakdowns, the small-number
 * rule and Norfolk's four exception criteria. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/scorecard.h"

static const scorecard_definition cp05 = {
	.id = "CP05", .title = "Repeat CP plans", .stage = "child_protection", .unit = "percent",
	.polarity = "down", .kind = "proportion", .risk = "", .budget_line = "",
	.targets = "{\"2018-19\":{\"target\":15,\"tolerance\":3}}", .threshold = 4
};

static const scorecard_definition la01 = {
	.id = "LA01", .title = "Children in care", .stage = "looked_after", .unit = "count",
	.polarity = "none", .kind = "snapshot_breakdown", .risk = "R12", .budget_line = "",
	.targets = "{}", .threshold = 4
};

/* What a row is built from, and the row. */
typedef struct card {
	scorecard_values values;
	scorecard_peers peers;
	scorecard_published_list published;
	scorecard_periods ps;
	scorecard_row row;
} card;

static void periods_of(const char *label, scorecard_periods *ps)
{
	report_period asked;
	char err[128];

	assert_int_equal(period_parse(label, &asked, err, sizeof(err)), 0);
	scorecard_periods_make(&asked, ps);
}

static void add(scorecard_values *t, const char *id, const char *period, const char *breakdown,
		const char *num, const char *den, const char *value)
{
	assert_int_equal(scorecard_values_add(t, id, period, breakdown, num, den, value, false, 1), 0);
}

static void test_periods_of_a_quarter(void **state)
{
	scorecard_periods ps;

	(void)state;
	periods_of("2018-19:Q3", &ps);
	assert_string_equal(ps.previous.label, "2018-19:Q2");
	assert_string_equal(ps.year_ago.label, "2017-18:Q3");
	assert_string_equal(ps.last_year.label, "2017-18");
	assert_string_equal(ps.year_before_last.label, "2016-17");
	assert_string_equal(ps.before[0].label, "2017-18:Q3");
	assert_string_equal(ps.before[2].label, "2018-19:Q1");
	assert_int_equal(ps.ntrend, 3);
	assert_string_equal(ps.trend[0].label, "2018-19:Q1");
	assert_string_equal(ps.trend[2].label, "2018-19:Q3");
	/* Each label once: Q3 of last year is both year_ago and before[0]. */
	assert_string_equal(ps.csv, "2018-19:Q3,2018-19:Q2,2017-18:Q3,2017-18,2017-18:Q4,"
			    "2018-19:Q1");
}

static void test_periods_of_a_month(void **state)
{
	scorecard_periods ps;

	(void)state;
	periods_of("2019-01", &ps);
	assert_int_equal(ps.ntrend, 12);
	assert_string_equal(ps.trend[0].label, "2018-02");
	assert_string_equal(ps.trend[11].label, "2019-01");
	assert_string_equal(ps.previous.label, "2018-12");
}

/* Three financial years (the adoption scorecard's): the one before is the
 * three years ending a year earlier; last year is the year before its
 * last; the trend is its three years. */
static void test_periods_of_three_years(void **state)
{
	scorecard_periods ps;

	(void)state;
	periods_of("3y:2020-21", &ps);
	assert_string_equal(ps.previous.label, "3y:2019-20");
	assert_string_equal(ps.year_ago.label, "3y:2019-20");
	assert_string_equal(ps.last_year.label, "2019-20");
	assert_int_equal(ps.ntrend, 3);
	assert_string_equal(ps.trend[0].label, "2018-19");
	assert_string_equal(ps.trend[1].label, "2019-20");
	assert_string_equal(ps.trend[2].label, "2020-21");
}

static void test_row_of_a_proportion(void **state)
{
	card c;

	(void)state;
	memset(&c, 0, sizeof(c));
	periods_of("2018-19:Q3", &c.ps);
	add(&c.values, "CP05", "2018-19:Q3", "", "49", "200", "24.5");
	add(&c.values, "CP05", "2018-19:Q2", "", "40", "200", "20");
	add(&c.values, "CP05", "2017-18:Q3", "", "30", "200", "15");
	add(&c.values, "CP05", "2017-18", "", "80", "400", "20");
	add(&c.values, "CP05", "2018-19:Q1", "", "36", "200", "18");
	assert_int_equal(scorecard_published_add(&c.published, &c.ps, "CP05", "england", "England",
						 "2017-18", 21.0, "DfE"), 0);
	/* A better fitting figure (its financial year) replaces last year's. */
	assert_int_equal(scorecard_published_add(&c.published, &c.ps, "CP05", "england", "England",
						 "2018-19", 22.0, "DfE 2019"), 0);
	/* A period that fits nothing asked for is not kept. */
	assert_int_equal(scorecard_published_add(&c.published, &c.ps, "CP05", "region", "London",
						 "2014-15", 9.0, "old"), 0);
	assert_int_equal(c.published.count, 1);
	assert_int_equal(scorecard_row_build(&cp05, &c.ps, &c.values, &c.peers, &c.published, 0,
					     &c.row), 0);
	assert_false(c.row.suppressed);
	assert_true(c.row.value.present);
	assert_true(c.row.value.value == 24.5);
	assert_true(c.row.numerator.value == 49);
	assert_true(c.row.previous.value == 20);
	assert_true(c.row.year_ago.value == 15);
	assert_true(c.row.last_year.value == 20);
	assert_true(c.row.target.value == 15);
	assert_true(c.row.tolerance == 3);
	assert_int_equal(c.row.rag, RAG_RED);
	assert_int_equal(c.row.direction, DIRECTION_WORSENING);
	assert_int_equal(c.row.direction_year, DIRECTION_WORSENING);
	assert_int_equal(c.row.ntrend, 3);
	assert_true(c.row.trend[0].value.value == 18);
	assert_true(c.row.trend[1].value.value == 20);
	assert_int_equal(c.row.ncomparators, 1);
	assert_true(c.row.comparators[0].value.value == 22.0);
	assert_string_equal(c.row.comparators[0].year, "2018-19");
	assert_string_equal(c.row.unit, "percent");
	scorecard_row_free(&c.row);
	scorecard_values_free(&c.values);
	free(c.published.items);
}

static void test_breakdown_row_is_a_count(void **state)
{
	card c;

	(void)state;
	memset(&c, 0, sizeof(c));
	periods_of("2018-19:Q3", &c.ps);
	add(&c.values, "LA01", "2018-19:Q3", "", "56", NULL, "56");
	add(&c.values, "LA01", "2018-19:Q3", "U1", "50", "56", "89.3");
	add(&c.values, "LA01", "2018-19:Q3", "U2", "6", "56", "10.7");
	add(&c.values, "LA01", "2018-19:Q2", "U1", "40", "50", "80");
	assert_int_equal(scorecard_row_build(&la01, &c.ps, &c.values, &c.peers, &c.published, 0,
					     &c.row), 0);
	assert_string_equal(c.row.unit, "count");
	assert_int_equal(c.row.nbreakdown, 2);
	assert_string_equal(c.row.breakdown[1].code, "U2");
	assert_true(c.row.breakdown[1].numerator.value == 6);
	assert_int_equal(c.row.rag, RAG_NONE);
	scorecard_row_free(&c.row);
	scorecard_values_free(&c.values);
}

static void test_exceptions(void **state)
{
	card c;
	scorecard_exception e;
	scorecard_definition d = cp05;
	scorecard_overspend over = { "residential", "\xc2\xa3" "1,200", "\xc2\xa3" "1,000", "20.00",
				     "2018-19", "2018-12-31" };

	(void)state;
	memset(&c, 0, sizeof(c));
	d.risk = "R7";
	d.budget_line = "residential";
	periods_of("2018-19:Q3", &c.ps);
	/* Worse (higher) each quarter: 2017-18:Q4, 2018-19:Q1, Q2, Q3. */
	add(&c.values, "CP05", "2017-18:Q4", "", "20", "200", "10");
	add(&c.values, "CP05", "2018-19:Q1", "", "30", "200", "15");
	add(&c.values, "CP05", "2018-19:Q2", "", "40", "200", "20");
	add(&c.values, "CP05", "2018-19:Q3", "", "49", "200", "24.5");
	assert_int_equal(scorecard_row_build(&d, &c.ps, &c.values, &c.peers, &c.published, 0,
					     &c.row), 0);
	assert_true(scorecard_exception_of(&c.row, &c.ps, &c.values, &over, &e));
	assert_int_equal(e.ncriteria, 4);
	assert_string_equal(e.criteria[0], "off_target");
	assert_string_equal(e.criteria[1], "worsening");
	assert_string_equal(e.criteria[2], "budget");
	assert_string_equal(e.criteria[3], "corporate_risk");
	assert_non_null(strstr(e.reason, "CP05 Repeat CP plans: 24.5% against a target of 15.0% - "
				"Red, 63% worse than target"));
	assert_non_null(strstr(e.reason, "worse three quarters running: 10.0%, 15.0%, 20.0%, 24.5%"));
	assert_non_null(strstr(e.reason, "forecast to spend \xc2\xa3" "1,200 in 2018-19"));
	assert_non_null(strstr(e.reason, "bears on the corporate risk R7 and is Red"));
	scorecard_row_free(&c.row);
	/* On target and improving, no budget line over: no exception. */
	scorecard_values_free(&c.values);
	add(&c.values, "CP05", "2018-19:Q2", "", "40", "200", "20");
	add(&c.values, "CP05", "2018-19:Q3", "", "20", "200", "10");
	assert_int_equal(scorecard_row_build(&d, &c.ps, &c.values, &c.peers, &c.published, 0,
					     &c.row), 0);
	assert_false(scorecard_exception_of(&c.row, &c.ps, &c.values, NULL, &e));
	assert_int_equal(e.ncriteria, 0);
	scorecard_row_free(&c.row);
	scorecard_values_free(&c.values);
}

static void test_small_numbers_in_every_period(void **state)
{
	card c;

	(void)state;
	memset(&c, 0, sizeof(c));
	periods_of("2018-19:Q3", &c.ps);
	/* 3 of 10 now (small), 40 of 200 before, 3 of 150 a year ago (small
	 * numerator), 20 of 4 last year (small denominator), Q1 fine. */
	add(&c.values, "CP05", "2018-19:Q3", "", "3", "10", "30");
	add(&c.values, "CP05", "2018-19:Q2", "", "40", "200", "20");
	add(&c.values, "CP05", "2017-18:Q3", "", "3", "150", "2");
	add(&c.values, "CP05", "2017-18", "", "20", "4", "500");
	add(&c.values, "CP05", "2018-19:Q1", "", "36", "200", "18");
	assert_int_equal(scorecard_values_suppress(&c.values, 4), 3);
	assert_int_equal(scorecard_row_build(&cp05, &c.ps, &c.values, &c.peers, &c.published, 4,
					     &c.row), 0);
	assert_true(c.row.suppressed && c.row.small_number);
	assert_false(c.row.value.present);
	assert_true(c.row.value.suppressed && c.row.numerator.suppressed);
	assert_true(c.row.previous.present && c.row.previous.value == 20);
	assert_false(c.row.year_ago.present);
	assert_true(c.row.year_ago.suppressed);
	assert_false(c.row.last_year.present);
	assert_true(c.row.last_year.suppressed);
	assert_true(c.row.trend[0].value.present);
	assert_false(c.row.trend[2].value.present);
	assert_true(c.row.trend[2].value.suppressed);
	/* Nothing judged from what is hidden. */
	assert_int_equal(c.row.rag, RAG_NONE);
	assert_int_equal(c.row.direction, DIRECTION_NONE);
	scorecard_row_free(&c.row);
	/* Threshold 0 hides nothing. */
	assert_int_equal(scorecard_values_suppress(&c.values, 0), 0);
	scorecard_values_free(&c.values);
}

static scorecard_published benchmark(const char *area_type, const char *area, const char *period,
				     bool present, double value, const char *symbol)
{
	scorecard_published p;

	memset(&p, 0, sizeof(p));
	snprintf(p.indicator_id, sizeof(p.indicator_id), "CP05");
	snprintf(p.area_type, sizeof(p.area_type), "%s", area_type);
	snprintf(p.area, sizeof(p.area), "%s", area);
	snprintf(p.period, sizeof(p.period), "%s", period);
	snprintf(p.source, sizeof(p.source), "DfE");
	snprintf(p.symbol, sizeof(p.symbol), "%s", symbol);
	snprintf(p.release, sizeof(p.release), "2019");
	p.present = present;
	p.value = value;
	return p;
}

/* The DfE's published figures: the council's own with its rank and
 * quartile, a symbol as no figure, the neighbours' average only with 5 of
 * them (docs/COMPARATORS.md). */
static void test_published_benchmarks(void **state)
{
	scorecard_published own = benchmark("council", "335", "2018-19", true, 9, "");
	scorecard_published few = benchmark("dfe_neighbours", "335", "2018-19", true, 8, "");
	scorecard_published region = benchmark("region", "West Midlands", "2018-19", false, 0, "c");
	card c;

	(void)state;
	memset(&c, 0, sizeof(c));
	periods_of("2018-19:Q3", &c.ps);
	add(&c.values, "CP05", "2018-19:Q3", "", "49", "200", "24.5");
	own.rank = 30;
	own.ranked = 149;
	few.contributors = 4;
	assert_int_equal(scorecard_published_keep(&c.published, &c.ps, &own), 0);
	assert_int_equal(scorecard_published_keep(&c.published, &c.ps, &few), 0);
	assert_int_equal(scorecard_published_keep(&c.published, &c.ps, &region), 0);
	assert_int_equal(scorecard_row_build(&cp05, &c.ps, &c.values, &c.peers, &c.published, 0,
					     &c.row), 0);
	assert_int_equal(c.row.ncomparators, 3);
	assert_string_equal(c.row.comparators[0].name, "published figure");
	assert_true(c.row.comparators[0].value.present && c.row.comparators[0].value.value == 9);
	assert_int_equal(c.row.comparators[0].rank, 30);
	assert_int_equal(c.row.comparators[0].quartile, 1);
	assert_string_equal(c.row.comparators[0].release, "2019");
	assert_string_equal(c.row.comparators[1].area_type, "statistical_neighbours");
	assert_false(c.row.comparators[1].value.present);
	assert_string_equal(c.row.comparators[1].symbol, "few");
	assert_int_equal(c.row.comparators[1].contributors, 4);
	assert_false(c.row.comparators[2].value.present);
	assert_string_equal(c.row.comparators[2].symbol, "c");
	scorecard_row_free(&c.row);
	scorecard_values_free(&c.values);
	free(c.published.items);
}

static void test_peer_averages_need_three_councils(void **state)
{
	card c;

	(void)state;
	memset(&c, 0, sizeof(c));
	/* One or two councils: their own figures; never shown. */
	assert_false(scorecard_peer_shown(1, 50, 0));
	assert_false(scorecard_peer_shown(2, 50, 0));
	assert_true(scorecard_peer_shown(SCORECARD_PEER_MIN_COUNCILS, 50, 0));
	/* A contributor's count from 1 to the threshold: not for scrutiny. */
	assert_false(scorecard_peer_shown(12, 3, 4));
	assert_true(scorecard_peer_shown(12, 3, 0));
	assert_true(scorecard_peer_shown(12, 5, 4));
	assert_true(scorecard_peer_shown(12, 0, 4));
	periods_of("2018-19:Q3", &c.ps);
	add(&c.values, "CP05", "2018-19:Q3", "", "49", "200", "24.5");
	assert_int_equal(scorecard_peers_add(&c.peers, "CP05", 21.0, 1, 30, false), 0);
	assert_int_equal(scorecard_peers_add(&c.peers, "CP05", 19.0, 4, 30, true), 0);
	assert_int_equal(scorecard_row_build(&cp05, &c.ps, &c.values, &c.peers, &c.published, 0,
					     &c.row), 0);
	assert_int_equal(c.row.ncomparators, 1);
	assert_string_equal(c.row.comparators[0].name, "statistical neighbours in csperf");
	assert_true(c.row.comparators[0].value.value == 19.0);
	scorecard_row_free(&c.row);
	scorecard_values_free(&c.values);
	free(c.peers.items);
}

static void test_target_for(void **state)
{
	report_period p;
	judge_figure target;
	double tolerance;
	char err[64];

	(void)state;
	assert_int_equal(period_parse("2019-01", &p, err, sizeof(err)), 0);
	scorecard_target_for("{\"2018-19\":{\"target\":90,\"tolerance\":5}}", &p, &target,
			     &tolerance);
	assert_true(target.present);
	assert_true(target.value == 90 && tolerance == 5);
	scorecard_target_for("{\"2017-18\":{\"target\":90}}", &p, &target, &tolerance);
	assert_false(target.present);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods_of_a_quarter),
		cmocka_unit_test(test_periods_of_a_month),
		cmocka_unit_test(test_periods_of_three_years),
		cmocka_unit_test(test_row_of_a_proportion),
		cmocka_unit_test(test_breakdown_row_is_a_count),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_target_for),
		cmocka_unit_test(test_small_numbers_in_every_period),
		cmocka_unit_test(test_peer_averages_need_three_councils),
		cmocka_unit_test(test_published_benchmarks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
