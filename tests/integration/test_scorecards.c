/*
 * test_scorecards.c: scorecards and exceptions on a test council whose values
 * were set by hand: RAG, direction and exceptions for each polarity and
 * tolerance case, ties, a missing target, a zero denominator, and a small
 * number suppressed for a scrutiny token. Definitions go in through
 * PutIndicator, as a user's would; the values are written straight into
 * indicator_value afterwards, so each case is exactly what it says.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csperf/scorecards.h>

#include "fixture.h"

static fixture_pg pg;
static fixture_server server;

/* id, polarity, unit, target (< 0: none), tolerance, risk, then the values
 * of 2018-19 Q1..Q4, the year before's Q4 and year (NAN-free: -1 = absent),
 * and the Q4 numerator and denominator. */
typedef struct case_row {
	const char *id, *polarity, *unit;
	double target, tolerance;
	const char *risk;
	double q1, q2, q3, q4, year_ago, last_year, numerator, denominator;
} case_row;

static const case_row cases[] = {
	/* higher is better, on target and improving */
	{ "TUPGREEN", "up", "percent", 90, 5, "", 95, 93, 88, 92, 91, 90, 92, 100 },
	/* a tie is on target */
	{ "TUPTIE", "up", "percent", 90, 5, "", 80, 85, 90, 90, 90, 90, 90, 100 },
	/* amber, linked to a corporate risk */
	{ "TUPAMBER", "up", "percent", 90, 5, "CR-TEST", 90, 90, 90, 87, 90, 90, 87, 100 },
	/* lower is better, red and 63% worse than target */
	{ "TDOWNRED", "down", "percent", 15, 3, "", 20, 22, 24, 24.5, 20, 21, 49, 200 },
	/* worse three quarters running, but on target */
	{ "TWORSE", "up", "percent", 85, 5, "", 92.1, 90.8, 89.0, 88.2, 90, 90, 882, 1000 },
	/* no polarity: context only */
	{ "TNONE", "none", "count", 10, 0, "", 5, 6, 7, 8, 9, 30, 8, -1 },
	/* no target */
	{ "TNOTARGET", "up", "percent", -1, 0, "", 50, 50, 50, 60, 40, 45, 60, 100 },
	/* a zero denominator: no value */
	{ "TZERO", "up", "percent", 90, 5, "", 90, 90, 90, -1, 90, 90, 0, 0 },
	/* a small number: 3 of 4 */
	{ "TSMALL", "up", "percent", 50, 5, "", 50, 50, 50, 75, 50, 50, 3, 4 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static void exec_sql(const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	free(r);
}

static void put_council_value(const char *council, const char *id, const char *period,
			      const char *type, const char *start, const char *end, double value,
			      double numerator, double denominator)
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

static void put_value(const char *id, const char *period, const char *type, const char *start,
		      const char *end, double value, double numerator, double denominator)
{
	put_council_value("950", id, period, type, start, end, value, numerator, denominator);
}

static int setup(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	exec_sql("INSERT INTO council (la_code, name, nation) VALUES ('950', 'Testshire', 'england')");
	options.server = server.address;
	options.token = server.token;
	if (csperf_client_new(&client, &options) != CSPERF_OK)
		return -1;
	for (size_t i = 0; i < NCASES; i++) {
		const case_row *c = &cases[i];
		csperf_indicator ind;
		csperf_target target = { "2018-19", c->target, c->tolerance };
		const char *types[] = { "quarter", "year" };

		memset(&ind, 0, sizeof(ind));
		ind.indicator_id = c->id;
		ind.title = c->id;
		ind.stage = "assessment";
		ind.unit = c->unit;
		ind.polarity = c->polarity;
		ind.kind = "count";
		ind.params_json = "{\"record\":\"referral\",\"date\":\"referral_date\"}";
		ind.nperiod_types = 2;
		ind.period_types = types;
		ind.ntargets = c->target >= 0 ? 1 : 0;
		ind.targets = &target;
		ind.corporate_risk = c->risk;
		ind.small_number_threshold = 5;
		ind.definition = "A test case set by hand.";
		if (csperf_indicator_put(client, &ind, NULL) != CSPERF_OK) {
			fprintf(stderr, "put %s: %s\n", c->id, csperf_error_last());
			return -1;
		}
		put_value(c->id, "2018-19:Q1", "quarter", "2018-04-01", "2018-06-30", c->q1, -1, -1);
		put_value(c->id, "2018-19:Q2", "quarter", "2018-07-01", "2018-09-30", c->q2, -1, -1);
		put_value(c->id, "2018-19:Q3", "quarter", "2018-10-01", "2018-12-31", c->q3, -1, -1);
		put_value(c->id, "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31", c->q4,
			  c->numerator, c->denominator);
		put_value(c->id, "2017-18:Q4", "quarter", "2018-01-01", "2018-03-31", c->year_ago, -1, -1);
		put_value(c->id, "2017-18", "year", "2017-04-01", "2018-03-31", c->last_year, -1, -1);
	}
	csperf_client_free(client);
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

static csperf_client *client_with(const char *token)
{
	csperf_client *client = fixture_client(server.address, token);

	assert_non_null(client);
	return client;
}

static const csperf_scorecard_row *row_of(const csperf_scorecard *sc, const char *id)
{
	for (size_t i = 0; i < sc->nrows; i++)
		if (strcmp(sc->rows[i].indicator_id, id) == 0)
			return &sc->rows[i];
	fail_msg("no row %s", id);
	return NULL;
}

static csperf_scorecard *scorecard(csperf_client *client)
{
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;

	query.council = "950";
	query.period = "2018-19:Q4";
	query.stage = "assessment";
	if (csperf_scorecard_get(client, &query, &sc) != CSPERF_OK)
		fail_msg("GetScorecard: %s", csperf_error_last());
	return sc;
}

static void test_rag_and_direction(void **state)
{
	csperf_client *client = client_with(server.token);
	csperf_scorecard *sc = scorecard(client);
	const csperf_scorecard_row *r;

	assert_string_equal(sc->council_name, "Testshire");
	r = row_of(sc, "TUPGREEN");
	assert_string_equal(r->rag, "green");
	assert_string_equal(r->direction, "improving");       /* 88 -> 92 */
	assert_string_equal(r->direction_year, "improving");  /* 91 -> 92 */
	assert_true(r->value.present);
	assert_true(r->value.value == 92);
	assert_true(r->last_year.present && r->last_year.value == 90);
	assert_int_equal(r->ntrend, 4);
	assert_string_equal(r->trend[0].period, "2018-19:Q1");
	assert_true(r->trend[0].value.value == 95);
	assert_true(r->target.present && r->target.value == 90);
	assert_true(r->tolerance.value == 5);

	assert_string_equal(row_of(sc, "TUPTIE")->rag, "green");
	assert_string_equal(row_of(sc, "TUPTIE")->direction, "steady");
	assert_string_equal(row_of(sc, "TUPAMBER")->rag, "amber");
	assert_string_equal(row_of(sc, "TUPAMBER")->direction, "worsening");
	assert_string_equal(row_of(sc, "TDOWNRED")->rag, "red");
	assert_string_equal(row_of(sc, "TDOWNRED")->direction, "worsening");  /* 24 -> 24.5, lower better */
	assert_string_equal(row_of(sc, "TWORSE")->rag, "green");
	assert_string_equal(row_of(sc, "TNONE")->rag, "none");
	assert_string_equal(row_of(sc, "TNONE")->direction, "none");
	assert_string_equal(row_of(sc, "TNOTARGET")->rag, "none");
	assert_false(row_of(sc, "TNOTARGET")->target.present);
	assert_string_equal(row_of(sc, "TNOTARGET")->direction, "improving");

	r = row_of(sc, "TZERO");
	assert_false(r->value.present);
	assert_true(r->denominator.present && r->denominator.value == 0);
	assert_string_equal(r->rag, "none");
	assert_string_equal(r->direction, "none");

	r = row_of(sc, "TSMALL");
	assert_true(r->small_number);
	assert_false(r->suppressed);
	assert_true(r->value.present && r->value.value == 75);
	csperf_scorecard_free(sc);
	csperf_client_free(client);
}

static void test_small_numbers_suppressed_for_scrutiny(void **state)
{
	char token[128];
	csperf_client *client;
	csperf_scorecard *sc;
	const csperf_scorecard_row *r;

	assert_int_equal(fixture_token_create(pg.dsn, NULL, "scrutiny", "committee",
		(const char *const[]){ "950", NULL }, token, sizeof(token)), 0);
	client = client_with(token);
	sc = scorecard(client);
	r = row_of(sc, "TSMALL");
	assert_true(r->suppressed);
	assert_false(r->value.present);
	assert_false(r->numerator.present);
	assert_false(r->denominator.present);
	/* Figures on large numbers are shown to scrutiny as to anyone. */
	r = row_of(sc, "TWORSE");
	assert_false(r->suppressed);
	assert_true(r->value.present && r->value.value == 88.2);
	csperf_scorecard_free(sc);

	/* The series too hides the quarter that rests on 3 of 4. */
	{
		csperf_series *series = NULL;
		int checked = 0;

		assert_int_equal(csperf_series_get(client, "950", "TSMALL", "quarter", "2018-19:Q1",
						   "2018-19:Q4", &series), CSPERF_OK);
		for (size_t i = 0; i < series->count; i++) {
			if (strcmp(series->points[i].period, "2018-19:Q4") == 0) {
				assert_false(series->points[i].value.present);
				assert_false(series->points[i].numerator.present);
				checked++;
			} else if (strcmp(series->points[i].period, "2018-19:Q1") == 0) {
				assert_true(series->points[i].value.present);
				checked++;
			}
		}
		assert_int_equal(checked, 2);
		csperf_series_free(series);
	}

	/* Another council's scorecard: refused, as if it did not exist. */
	{
		csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;

		query.council = "951";
		query.period = "2018-19:Q4";
		assert_int_equal(csperf_scorecard_get(client, &query, &sc), CSPERF_EPERM);
	}
	csperf_client_free(client);
}

static const csperf_exception *exception_of(const csperf_exceptions *ex, const char *id)
{
	for (size_t i = 0; i < ex->count; i++)
		if (strcmp(ex->exceptions[i].indicator_id, id) == 0)
			return &ex->exceptions[i];
	return NULL;
}

static void test_exceptions(void **state)
{
	csperf_client *client = client_with(server.token);
	csperf_exceptions *ex = NULL;
	const csperf_exception *e;

	assert_int_equal(csperf_exceptions_get(client, "950", "2018-19:Q4", &ex), CSPERF_OK);
	e = exception_of(ex, "TDOWNRED");
	assert_non_null(e);
	/* 20, 22, 24, 24.5 with lower better: also worse three quarters running. */
	assert_int_equal(e->ncriteria, 2);
	assert_string_equal(e->criteria[0], "off_target");
	assert_string_equal(e->criteria[1], "worsening");
	assert_non_null(strstr(e->reason, "24.5% against a target of 15.0% - Red, 63% worse than target"));

	e = exception_of(ex, "TWORSE");
	assert_non_null(e);
	assert_string_equal(e->criteria[0], "worsening");
	assert_non_null(strstr(e->reason, "worse three quarters running: 92.1%, 90.8%, 89.0%, 88.2%"));

	e = exception_of(ex, "TUPAMBER");
	assert_non_null(e);
	assert_string_equal(e->criteria[0], "corporate_risk");
	assert_non_null(strstr(e->reason, "CR-TEST"));

	/* On target, context only, no target, no value: no exception. */
	assert_null(exception_of(ex, "TUPGREEN"));
	assert_null(exception_of(ex, "TUPTIE"));
	assert_null(exception_of(ex, "TNONE"));
	assert_null(exception_of(ex, "TNOTARGET"));
	assert_null(exception_of(ex, "TZERO"));
	csperf_exceptions_free(ex);
	csperf_client_free(client);
}

static const csperf_comparator *comparator_of(const csperf_scorecard_row *r, const char *name)
{
	for (size_t i = 0; i < r->ncomparators; i++)
		if (strcmp(r->comparators[i].name, name) == 0)
			return &r->comparators[i];
	return NULL;
}

/* Comparators: published figures (England for the year, the region for the
 * quarter, a later published figure ignored), and averages csperf computes
 * over the council's statistical neighbours and over every other council,
 * each only with at least three councils contributing. */
static void test_comparators(void **state)
{
	csperf_client *client = client_with(server.token);
	const char *neighbours[] = { "951", "952", "953" };
	csperf_council council = { "950", "Testshire", "england", "Middle Region", 2, neighbours };
	csperf_comparator_figure figures[] = {
		{ "TUPGREEN", "england", "England", "2018-19", 85.5, "DfE 2019", 2 },
		{ "TUPGREEN", "england", "England", "2019-20", 99.0, "DfE 2020", 3 },
		{ "TUPGREEN", "region", "Middle Region", "2018-19:Q4", 88.0, "Region Q4", 4 },
		{ "TUPGREEN", "region", "Other Region", "2018-19:Q4", 11.0, "elsewhere", 5 },
	};
	csperf_comparator_figure bad = { "TUPGREEN", "planet", "Mars", "2018-19", 1, "x", 7 };
	csperf_scorecard *sc;
	const csperf_scorecard_row *r;
	const csperf_comparator *c;
	uint64_t stored = 0;

	exec_sql("INSERT INTO council (la_code, name, nation) VALUES ('951', 'A', 'england'), "
		 "('952', 'B', 'england'), ('953', 'C', 'england')");
	put_council_value("951", "TUPGREEN", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31",
			  80, -1, -1);
	put_council_value("952", "TUPGREEN", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31",
			  90, -1, -1);
	put_council_value("953", "TUPGREEN", "2018-19:Q4", "quarter", "2019-01-01", "2019-03-31",
			  40, -1, -1);

	assert_int_equal(csperf_council_put(client, &council), CSPERF_OK);
	/* Two neighbours: their average would be their figures; not shown. */
	sc = scorecard(client);
	assert_null(comparator_of(row_of(sc, "TUPGREEN"), "statistical neighbours in csperf"));
	assert_non_null(comparator_of(row_of(sc, "TUPGREEN"), "other councils in csperf"));
	csperf_scorecard_free(sc);
	council.nneighbours = 3;
	assert_int_equal(csperf_council_put(client, &council), CSPERF_OK);
	assert_int_equal(csperf_comparators_load(client, figures, 4, &stored), CSPERF_OK);
	assert_int_equal(stored, 4);
	assert_int_equal(csperf_comparators_load(client, &bad, 1, NULL), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "line 7: area_type must be"));

	sc = scorecard(client);
	r = row_of(sc, "TUPGREEN");
	c = comparator_of(r, "England");
	assert_non_null(c);
	assert_true(c->value.value == 85.5);
	assert_string_equal(c->year, "2018-19");
	assert_string_equal(c->source, "DfE 2019");
	c = comparator_of(r, "Middle Region");
	assert_non_null(c);
	assert_true(c->value.value == 88.0);
	assert_null(comparator_of(r, "Other Region"));
	c = comparator_of(r, "statistical neighbours in csperf");
	assert_non_null(c);
	assert_true(c->value.value == 70.0);             /* (80 + 90 + 40) / 3 */
	c = comparator_of(r, "other councils in csperf");
	assert_non_null(c);
	assert_true(c->value.value == 70.0);             /* (80 + 90 + 40) / 3 */
	csperf_scorecard_free(sc);
	csperf_client_free(client);
}

static void test_bad_requests(void **state)
{
	csperf_client *client = client_with(server.token);
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;

	query.council = "950";
	query.period = "2018-19:Q9";
	assert_int_equal(csperf_scorecard_get(client, &query, &sc), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "is not a period"));
	query.period = "2018-19";
	query.stage = "everything";
	assert_int_equal(csperf_scorecard_get(client, &query, &sc), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "stage must be one of"));
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rag_and_direction),
		cmocka_unit_test(test_small_numbers_suppressed_for_scrutiny),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_comparators),
		cmocka_unit_test(test_bad_requests),
	};

	return cmocka_run_group_tests_name("integration_scorecards", tests, setup, teardown);
}
