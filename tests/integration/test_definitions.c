/*
 * test_definitions.c: indicator definitions through the API (issue 22's
 * untested list): PutIndicator makes a new version each time and has it
 * computed at once, GetIndicator gives the current one or, with history,
 * every version newest first; refusals store nothing; the stage filter of
 * ListIndicators and GetScorecard keeps one stage, and refuses an unknown
 * one; timeliness counts calendar or working days as its definition says.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csperf/csperf.h>
#include <csperf/loads.h>
#include <csperf/scorecards.h>

#include "fixture.h"

#define COUNCIL "975"
#define PERIOD "2019-20:Q1"
/* Contacts in April to June 2019; every other one GREEN. */
#define CONTACTS 240

static fixture_pg pg;
static fixture_server server;
static csperf_client *client;

static long count_of(const char *sql)
{
	char *value = fixture_pg_query(&pg, sql);
	long n;

	if (value == NULL)
		fail_msg("query failed: %s", sql);
	n = atol(value);
	free(value);
	return n;
}

static int load_contacts(void)
{
	csperf_load_options opts = CSPERF_LOAD_OPTIONS_INIT;
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;
	int rc;

	opts.council = COUNCIL;
	opts.source = "csv";
	opts.idempotency_key = "definitions";
	rc = csperf_load_begin(client, &opts, &load);
	for (int i = 0; rc == CSPERF_OK && i < CONTACTS; i++) {
		char values[7][24];
		const char *ptrs[7];
		csperf_record rec = { CSPERF_RECORD_CONTACT, 7, ptrs, "contacts.csv",
				      (unsigned long)i + 2, NULL };

		snprintf(values[0], 24, "D%07d", i);
		snprintf(values[1], 24, "2019-%02d-%02d", 4 + i % 3, 1 + i % 28);
		snprintf(values[2], 24, "%s", "");
		snprintf(values[3], 24, "%s", "Early Help");
		snprintf(values[4], 24, "%s", "");
		snprintf(values[5], 24, "%s", i % 2 == 0 ? "GREEN" : "RED");
		snprintf(values[6], 24, "%s", "MASH");
		for (int f = 0; f < 7; f++)
			ptrs[f] = values[f];
		rc = csperf_load_add(load, &rec);
	}
	if (rc == CSPERF_OK)
		rc = csperf_load_finish(load, &summary);
	if (rc == CSPERF_OK && (!summary->stored || summary->accepted != CONTACTS))
		rc = CSPERF_ERROR;
	csperf_load_summary_free(summary);
	csperf_load_free(load);
	return rc;
}

static int setup(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	options.server = server.address;
	options.token = server.token;
	options.timeout_ms = 120000;
	if (csperf_client_new(&client, &options) != CSPERF_OK || load_contacts() != CSPERF_OK) {
		fprintf(stderr, "setup: %s\n", csperf_error_last());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 60);

	(void)state;
	csperf_client_free(client);
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

static csperf_indicator definition(const char *title, const char *params)
{
	csperf_indicator ind;

	memset(&ind, 0, sizeof(ind));
	ind.indicator_id = "ZD01";
	ind.title = title;
	ind.stage = "front_door";
	ind.unit = "count";
	ind.polarity = "none";
	ind.kind = "count";
	ind.params_json = params;
	ind.definition = "Contacts, as a test counts them.";
	return ind;
}

/* The council's ZD01 for the quarter, as the scorecard gives it. */
static double scorecard_value(int *version)
{
	csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;
	double value = -1;

	q.council = COUNCIL;
	q.period = PERIOD;
	q.stage = "front_door";
	assert_int_equal(csperf_scorecard_get(client, &q, &sc), CSPERF_OK);
	for (size_t i = 0; i < sc->nrows; i++) {
		if (strcmp(sc->rows[i].indicator_id, "ZD01") != 0)
			continue;
		assert_true(sc->rows[i].value.present);
		value = sc->rows[i].value.value;
		*version = sc->rows[i].version;
	}
	csperf_scorecard_free(sc);
	return value;
}

static void test_put_makes_versions_and_get_gives_history(void **state)
{
	csperf_indicator v1 = definition("Contacts (test)",
		"{\"record\": \"contact\", \"date\": \"contact_date\"}");
	csperf_indicator v2 = definition("Green contacts (test)",
		"{\"record\": \"contact\", \"date\": \"contact_date\", \"where\": "
		"[{\"field\": \"rag_rating\", \"in\": [\"GREEN\"]}]}");
	csperf_indicator_list *got = NULL;
	int version = 0;

	(void)state;
	assert_int_equal(csperf_indicator_put(client, &v1, &got), CSPERF_OK);
	assert_int_equal(got->count, 1);
	assert_int_equal(got->indicators[0].version, 1);
	csperf_indicator_list_free(got);
	got = NULL;
	assert_true(scorecard_value(&version) == CONTACTS);
	assert_int_equal(version, 1);

	if (csperf_indicator_put(client, &v2, &got) != CSPERF_OK)
		fail_msg("the second version: %s", csperf_error_last());
	assert_int_equal(got->indicators[0].version, 2);
	csperf_indicator_list_free(got);
	got = NULL;
	/* Computed at once: the scorecard has the new version's figure. */
	assert_true(scorecard_value(&version) == CONTACTS / 2);
	assert_int_equal(version, 2);

	/* The current definition alone, then every version newest first. */
	assert_int_equal(csperf_indicator_get(client, "ZD01", 0, &got), CSPERF_OK);
	assert_int_equal(got->count, 1);
	assert_int_equal(got->indicators[0].version, 2);
	assert_string_equal(got->indicators[0].title, "Green contacts (test)");
	csperf_indicator_list_free(got);
	got = NULL;
	assert_int_equal(csperf_indicator_get(client, "ZD01", 1, &got), CSPERF_OK);
	assert_int_equal(got->count, 2);
	assert_int_equal(got->indicators[0].version, 2);
	assert_int_equal(got->indicators[1].version, 1);
	assert_string_equal(got->indicators[1].title, "Contacts (test)");
	assert_non_null(strstr(got->indicators[1].params_json, "contact_date"));
	assert_null(strstr(got->indicators[1].params_json, "GREEN"));
	csperf_indicator_list_free(got);
	got = NULL;
	assert_int_equal(csperf_indicator_get(client, "ZZ99", 1, &got), CSPERF_ENOTFOUND);
}

static void test_put_refusals_store_nothing(void **state)
{
	static const char *const contacts = "{\"record\": \"contact\", \"date\": \"contact_date\"}";
	static const char *const bad_period_types[] = { "fortnight" };
	long before = count_of("SELECT count(*) FROM indicator_version");
	csperf_indicator ind;

	(void)state;
	ind = definition("Refused", contacts);
	ind.indicator_id = "zd02";
	assert_int_equal(csperf_indicator_put(client, &ind, NULL), CSPERF_EINVAL);
	ind = definition("Refused", contacts);
	ind.stage = "somewhere";
	assert_int_equal(csperf_indicator_put(client, &ind, NULL), CSPERF_EINVAL);
	ind = definition("Refused", contacts);
	ind.kind = "guess";
	assert_int_equal(csperf_indicator_put(client, &ind, NULL), CSPERF_EINVAL);
	ind = definition("Refused", "{\"record\": \"contact\", \"date\": \"no_such_field\"}");
	assert_int_equal(csperf_indicator_put(client, &ind, NULL), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "no_such_field"));
	ind = definition("Refused", "{\"record\": \"contact\"");
	assert_int_equal(csperf_indicator_put(client, &ind, NULL), CSPERF_EINVAL);
	ind = definition("", contacts);
	assert_int_equal(csperf_indicator_put(client, &ind, NULL), CSPERF_EINVAL);
	ind = definition("Refused", contacts);
	ind.nperiod_types = 1;
	ind.period_types = bad_period_types;
	assert_int_equal(csperf_indicator_put(client, &ind, NULL), CSPERF_EINVAL);
	assert_int_equal(count_of("SELECT count(*) FROM indicator_version"), before);
}

static void test_stage_filter(void **state)
{
	csperf_indicator_list *all = NULL, *front_door = NULL;
	csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *every = NULL, *one = NULL;

	(void)state;
	assert_int_equal(csperf_indicators_list(client, NULL, &all), CSPERF_OK);
	assert_int_equal(csperf_indicators_list(client, "front_door", &front_door), CSPERF_OK);
	assert_true(front_door->count > 0);
	assert_true(front_door->count < all->count);
	for (size_t i = 0; i < front_door->count; i++)
		assert_string_equal(front_door->indicators[i].stage, "front_door");
	{
		size_t in_all = 0;

		for (size_t i = 0; i < all->count; i++)
			in_all += strcmp(all->indicators[i].stage, "front_door") == 0;
		assert_int_equal(in_all, front_door->count);
	}
	{
		csperf_indicator_list *none = NULL;

		assert_int_equal(csperf_indicators_list(client, "somewhere", &none), CSPERF_EINVAL);
		csperf_indicator_list_free(none);
	}

	q.council = COUNCIL;
	q.period = PERIOD;
	assert_int_equal(csperf_scorecard_get(client, &q, &every), CSPERF_OK);
	q.stage = "front_door";
	assert_int_equal(csperf_scorecard_get(client, &q, &one), CSPERF_OK);
	assert_true(one->nrows > 0);
	assert_true(one->nrows < every->nrows);
	for (size_t i = 0; i < one->nrows; i++)
		assert_string_equal(one->rows[i].stage, "front_door");
	csperf_scorecard_free(one);
	one = NULL;
	q.stage = "somewhere";
	assert_int_equal(csperf_scorecard_get(client, &q, &one), CSPERF_EINVAL);
	csperf_scorecard_free(every);
	csperf_indicator_list_free(all);
	csperf_indicator_list_free(front_door);
}

/* Timeliness in calendar days against working days: contacts of Friday 5
 * April 2019 decided 0 to 7 days later. Within 1 calendar day: the Friday
 * and the Saturday (2 of 8); within 1 working day (from the contact,
 * inclusive, to the decision, exclusive): Friday, Saturday, Sunday and
 * Monday (4 of 8). */
static void test_timeliness_in_calendar_days(void **state)
{
	static const char *const kinds[2][2] = {
		{ "ZT01", "{\"record\": \"contact\", \"date\": \"decision_date\", \"from\": "
			  "\"contact_date\", \"to\": \"decision_date\", \"within\": 1, \"days\": "
			  "\"calendar\"}" },
		{ "ZT02", "{\"record\": \"contact\", \"date\": \"decision_date\", \"from\": "
			  "\"contact_date\", \"to\": \"decision_date\", \"within\": 1, \"days\": "
			  "\"working\"}" },
	};
	static const double in_time[2] = { 2, 4 };
	csperf_load_options opts = CSPERF_LOAD_OPTIONS_INIT;
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;

	(void)state;
	for (int k = 0; k < 2; k++) {
		csperf_indicator ind = definition("Decided in time (test)", kinds[k][1]);

		ind.indicator_id = kinds[k][0];
		ind.kind = "timeliness";
		ind.unit = "percent";
		if (csperf_indicator_put(client, &ind, NULL) != CSPERF_OK)
			fail_msg("%s: %s", kinds[k][0], csperf_error_last());
	}
	opts.council = "976";
	opts.source = "csv";
	opts.idempotency_key = "timeliness";
	assert_int_equal(csperf_load_begin(client, &opts, &load), CSPERF_OK);
	for (int gap = 0; gap < 8; gap++) {
		char child[16], decided[16];
		const char *values[7] = { child, "2019-04-05", "", "Early Help", decided, "GREEN",
					  "MASH" };
		csperf_record rec = { CSPERF_RECORD_CONTACT, 7, values, "contacts.csv",
				      (unsigned long)gap + 2, NULL };

		snprintf(child, sizeof(child), "T%07d", gap);
		snprintf(decided, sizeof(decided), "2019-04-%02d", 5 + gap);
		assert_int_equal(csperf_load_add(load, &rec), CSPERF_OK);
	}
	assert_int_equal(csperf_load_finish(load, &summary), CSPERF_OK);
	assert_true(summary->stored);
	csperf_load_summary_free(summary);
	csperf_load_free(load);
	for (int k = 0; k < 2; k++) {
		csperf_series *series = NULL;
		bool found = false;

		assert_int_equal(csperf_series_get(client, "976", kinds[k][0], "month", "2019-04",
						   "2019-04", &series), CSPERF_OK);
		for (size_t i = 0; i < series->count; i++) {
			const csperf_series_point *p = &series->points[i];

			if (strcmp(p->period, "2019-04") != 0 || p->breakdown[0] != '\0')
				continue;
			found = true;
			assert_true(p->numerator.present && p->numerator.value == in_time[k]);
			assert_true(p->denominator.present && p->denominator.value == 8);
			assert_true(p->value.present && p->value.value == in_time[k] * 100 / 8);
		}
		assert_true(found);
		csperf_series_free(series);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_makes_versions_and_get_gives_history),
		cmocka_unit_test(test_put_refusals_store_nothing),
		cmocka_unit_test(test_stage_filter),
		cmocka_unit_test(test_timeliness_in_calendar_days),
	};

	return cmocka_run_group_tests_name("integration_definitions", tests, setup, teardown);
}
