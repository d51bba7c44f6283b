/*
 * test_cache.c: csperfd's caches stay coherent (issue 10; docs/SCALING.md).
 * Two csperfd processes serve one database. A load through one is seen at
 * once by a scorecard from either; a value changed in the database behind
 * csperfd's back empties the cache too (the NOTIFY comes from a trigger); a
 * revoked token stops working at once on the other csperfd; every call is
 * audited, cache hits too; suppression follows the caller's role whatever
 * the cache holds; and when the change listener's connection is killed the
 * cache is dropped and the listener comes back.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <csperf/access.h>
#include <csperf/csperf.h>
#include <csperf/scorecards.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif
#ifndef CSPERF_GEN_PATH
#error "CSPERF_GEN_PATH must name csperf-gen"
#endif

#define COUNCIL "962"
#define PERIOD "2022-23"

static fixture_pg pg;
static fixture_server servers[2];
static char data_dir[256];

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static char *query(const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	return r;
}

static long long query_number(const char *sql)
{
	char *r = query(sql);
	long long n = strtoll(r, NULL, 10);

	free(r);
	return n;
}

/* Loads a year of the CIN census through csperfd number `through`. */
static void load_year(int through, int year)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/cin/%d.xml", data_dir, year);
	assert_int_equal(fixture_cli_load(CSPERF_CLI_PATH, servers[through].address,
					  servers[0].token, COUNCIL, "cin-xml", path), 0);
}

static csperf_client *client_of(int server, const char *token)
{
	csperf_client *client = fixture_client(servers[server].address, token);

	assert_non_null(client);
	return client;
}

static csperf_scorecard *scorecard(csperf_client *client)
{
	csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;

	q.council = COUNCIL;
	q.period = PERIOD;
	if (csperf_scorecard_get(client, &q, &sc) != CSPERF_OK)
		fail_msg("scorecard: %s", csperf_error_last());
	assert_true(sc->nrows > 0);
	return sc;
}

static char *data_to_of(csperf_client *client)
{
	csperf_scorecard *sc = scorecard(client);
	char *data_to = strdup(sc->data_to);

	csperf_scorecard_free(sc);
	return data_to;
}

static int log_count(const fixture_server *srv, const char *text)
{
	char *log = fixture_read_file(srv->log_path);
	int n = 0;

	for (const char *p = log; p != NULL && (p = strstr(p, text)) != NULL; p += strlen(text))
		n++;
	free(log);
	return n;
}

static int setup(void **state)
{
	(void)state;
	if (fixture_pg_start(&pg) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		const char *args[] = { "--log-level", "debug", "--threads", "2", NULL };

		if (fixture_server_start(&servers[i], pg.dsn, args) != 0)
			return -1;
	}
	if (fixture_mkdtemp(data_dir, sizeof(data_dir), "csperf-cache") != 0)
		return -1;
	{
		char *out = NULL, *err = NULL;
		int rc = fixture_run((const char *const[]){ CSPERF_GEN_PATH, "--council", COUNCIL,
			"--children", "200", "--years", "2", "--seed", "3", "--end-year", "2023",
			"--out", data_dir, NULL }, NULL, &out, &err, 600);

		free(out);
		free(err);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	char command[300];

	(void)state;
	for (int i = 0; i < 2; i++)
		if (servers[i].pid > 0)
			fixture_server_stop(&servers[i], SIGTERM, 30);
	snprintf(command, sizeof(command), "rm -rf '%s'", data_dir);
	if (system(command) != 0)
		fprintf(stderr, "test_cache: cannot remove %s\n", data_dir);
	fixture_pg_destroy(&pg);
	return 0;
}

/* A load through one csperfd: the scorecard of both, cached before, shows
 * it on the very next call. */
static void test_load_seen_by_both(void **state)
{
	csperf_client *a = client_of(0, servers[0].token), *b = client_of(1, servers[0].token);
	char *before_a, *before_b, *again, *after_a, *after_b;

	(void)state;
	load_year(0, 2022);
	before_a = data_to_of(a);
	before_b = data_to_of(b);
	assert_string_equal(before_a, before_b);
	/* Served again, from the caches now. */
	again = data_to_of(b);
	assert_string_equal(again, before_b);
	free(again);

	load_year(0, 2023);
	after_b = data_to_of(b);   /* the other csperfd, at once */
	after_a = data_to_of(a);   /* the one that loaded */
	assert_string_not_equal(after_b, before_b);
	assert_string_equal(after_a, after_b);
	assert_true(log_count(&servers[1], "read cache: emptied (indicator_value changed)") > 0);
	free(before_a);
	free(before_b);
	free(after_a);
	free(after_b);
	csperf_client_free(a);
	csperf_client_free(b);
}

/* A value changed with SQL, behind csperfd's back, shows at once. */
static void test_value_changed_in_database(void **state)
{
	csperf_client *b = client_of(1, servers[0].token);
	csperf_scorecard *sc = scorecard(b);
	const char *id = NULL;
	char sql[512];

	(void)state;
	for (size_t i = 0; i < sc->nrows && id == NULL; i++)
		if (sc->rows[i].value.present)
			id = sc->rows[i].indicator_id;
	assert_non_null(id);
	snprintf(sql, sizeof(sql), "UPDATE indicator_value SET value = 12345.5 WHERE council = '%s'"
		 " AND indicator_id = '%s' AND period = '%s' AND breakdown = ''", COUNCIL, id, PERIOD);
	free(query(sql));
	{
		csperf_scorecard *now = scorecard(b);
		bool seen = false;

		for (size_t i = 0; i < now->nrows; i++)
			if (strcmp(now->rows[i].indicator_id, id) == 0)
				seen = now->rows[i].value.present && now->rows[i].value.value == 12345.5;
		assert_true(seen);
		csperf_scorecard_free(now);
	}
	csperf_scorecard_free(sc);
	csperf_client_free(b);
}

/* Suppression is the caller's: a small number cached for admin is still
 * hidden from scrutiny, and shown to admin again after. */
static void test_suppression_per_role(void **state)
{
	csperf_client *admin = client_of(1, servers[0].token), *scrutiny;
	csperf_scorecard *sc = scorecard(admin);
	char token[128], sql[512], id[32] = "";

	(void)state;
	for (size_t i = 0; i < sc->nrows && id[0] == '\0'; i++)
		if (sc->rows[i].value.present)
			snprintf(id, sizeof(id), "%s", sc->rows[i].indicator_id);
	assert_true(id[0] != '\0');
	snprintf(sql, sizeof(sql), "UPDATE indicator_value SET numerator = 3, denominator = 4,"
		 " value = 75 WHERE council = '%s' AND indicator_id = '%s' AND period = '%s'"
		 " AND breakdown = ''", COUNCIL, id, PERIOD);
	free(query(sql));
	csperf_scorecard_free(sc);
	assert_int_equal(fixture_token_create(pg.dsn, NULL, "scrutiny", "cache-committee",
		(const char *const[]){ COUNCIL, NULL }, token, sizeof(token)), 0);
	scrutiny = client_of(1, token);
	for (int round = 0; round < 2; round++) {
		csperf_scorecard *seen_admin = scorecard(admin), *seen_scrutiny = scorecard(scrutiny);
		int found = 0;

		/* The row must be there for both, or nothing was checked. */
		for (size_t i = 0; i < seen_admin->nrows; i++) {
			if (strcmp(seen_admin->rows[i].indicator_id, id) != 0)
				continue;
			assert_false(seen_admin->rows[i].suppressed);
			assert_true(seen_admin->rows[i].value.present);
			assert_true(seen_admin->rows[i].value.value == 75);
			found++;
		}
		for (size_t i = 0; i < seen_scrutiny->nrows; i++) {
			if (strcmp(seen_scrutiny->rows[i].indicator_id, id) != 0)
				continue;
			assert_true(seen_scrutiny->rows[i].suppressed);
			assert_false(seen_scrutiny->rows[i].value.present);
			assert_false(seen_scrutiny->rows[i].numerator.present);
			found++;
		}
		assert_int_equal(found, 2);
		csperf_scorecard_free(seen_admin);
		csperf_scorecard_free(seen_scrutiny);
	}
	csperf_client_free(admin);
	csperf_client_free(scrutiny);
}

/* Every call is audited, those the cache answers too. */
static void test_every_call_audited(void **state)
{
	csperf_client *b = client_of(1, servers[0].token);
	const char *count_sql = "SELECT count(*) FROM audit_log"
				" WHERE method LIKE '%/GetScorecard' AND status = 'OK'";
	long long before = query_number(count_sql);

	(void)state;
	for (int i = 0; i < 10; i++)
		csperf_scorecard_free(scorecard(b));
	assert_int_equal(query_number(count_sql), before + 10);
	csperf_client_free(b);
}

/* A token revoked through one csperfd stops working at once on the other,
 * which had just verified it. */
static void test_revoke_takes_effect(void **state)
{
	csperf_client *admin = client_of(0, servers[0].token), *b;
	csperf_token_options options = CSPERF_TOKEN_OPTIONS_INIT;
	csperf_token_secret *secret = NULL;
	csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;

	(void)state;
	options.name = "cache-reader";
	options.role = "reader";
	options.ncouncils = 1;
	options.councils = (const char *const[]){ COUNCIL };
	assert_int_equal(csperf_token_create(admin, &options, &secret), CSPERF_OK);
	b = client_of(1, secret->token);
	csperf_scorecard_free(scorecard(b));
	csperf_scorecard_free(scorecard(b));
	assert_int_equal(csperf_token_revoke(admin, secret->info.id), CSPERF_OK);
	q.council = COUNCIL;
	q.period = PERIOD;
	assert_int_equal(csperf_scorecard_get(b, &q, &sc), CSPERF_EAUTH);
	csperf_token_secret_free(secret);
	csperf_client_free(b);
	csperf_client_free(admin);
}

/* The listener's connection killed: csperfd drops its cache, goes on
 * serving from the database, listens again, and changes show throughout. */
static void test_listener_loss(void **state)
{
	csperf_client *b = client_of(1, servers[0].token);
	int lost = log_count(&servers[1], "change listener's connection was lost");
	int listening = log_count(&servers[1], "listening for changes");
	char *before = data_to_of(b), *during, *after;

	(void)state;
	free(query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
		   " WHERE application_name = 'csperfd-listener'"));
	for (long long until = fixture_now_ms() + fixture_deadline_ms(5000);
	     fixture_now_ms() < until &&
	     log_count(&servers[1], "change listener's connection was lost") == lost;)
		sleep_ms(50);
	assert_true(log_count(&servers[1], "change listener's connection was lost") > lost);
	during = data_to_of(b);
	assert_string_equal(during, before);
	free(query("UPDATE compute_run SET data_to = data_to + 1 WHERE council = '" COUNCIL "'"));
	free(during);
	during = data_to_of(b);    /* from the database, whatever the listener */
	assert_string_not_equal(during, before);
	for (long long until = fixture_now_ms() + fixture_deadline_ms(5000);
	     fixture_now_ms() < until &&
	     log_count(&servers[1], "listening for changes") <= listening;)
		sleep_ms(50);
	assert_true(log_count(&servers[1], "listening for changes") > listening);
	free(query("UPDATE compute_run SET data_to = data_to - 1 WHERE council = '" COUNCIL "'"));
	after = data_to_of(b);
	assert_string_equal(after, before);
	free(before);
	free(during);
	free(after);
	csperf_client_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_seen_by_both),
		cmocka_unit_test(test_value_changed_in_database),
		cmocka_unit_test(test_suppression_per_role),
		cmocka_unit_test(test_every_call_audited),
		cmocka_unit_test(test_revoke_takes_effect),
		cmocka_unit_test(test_listener_loss),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
