/*
 * test_faults_figures.c: the fault suite's part on figures (issue 22,
 * finding 4): a crash after a load's records commit but before its
 * recompute ends never leaves stale figures.
 *
 * The moment is made deterministic: the test holds a lock on
 * indicator_value (LOCK TABLE ... IN EXCLUSIVE MODE: reads go on, writes
 * wait), so the load's recompute waits on it after the records committed;
 * the test sees the load row and the waiting session, then injects the
 * fault:
 *   - kill -9 of csperfd: the load's audit line is there (it committed
 *     with the records); a new csperfd finishes the figures at start;
 *   - PostgreSQL stopped: the client is told the records are stored and
 *     the figures computing; the load retried with its key once the
 *     database is back finishes them and says computed;
 *   - the recompute's connection lost: told computing; a second csperfd on
 *     the same database, sweeping every second, finishes the figures.
 * Each time the council's figures equal those of the same records loaded
 * into another council without a fault (a full recompute: its first).
 *
 * And one indicator whose statement fails in a recompute (a trigger makes
 * it fail) costs its own values only: the recompute's statements go in one
 * pipeline (issue 23), so the indicators sent after the failing one are
 * sent again, and computed. So does one whose values cannot be written when
 * the council has values already (they are compared with the stored ones
 * and written for a batch of indicators at once: the batch is written
 * again one indicator at a time).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <csperf/csperf.h>
#include <csperf/loads.h>

#include "fixture.h"
#include "schema.h"

#define CONTACTS 3000
#define REFERENCE "980"
/* The indicators made to fail: FD02, near the front of the catalogue (the
 * recompute's own connection computes it), and WF05, near its end (a
 * reported figure: a row each period, with or without a figure loaded),
 * which the recompute's second connection takes (store/compute_lane.c). */
#define FAILING_LIST "'FD02', 'WF05'"
#define FAILING "(" FAILING_LIST ")"

static fixture_pg pg;
static fixture_server server;

/* Waits scale with CSPERF_TEST_TIME_SCALE (default 1) on a loaded machine. */
static long long scaled_ms(long long ms)
{
	const char *scale = getenv("CSPERF_TEST_TIME_SCALE");
	double factor = scale != NULL ? atof(scale) : 1.0;

	return (long long)(ms * (factor >= 1.0 ? factor : 1.0));
}

static char *query(const char *fmt, ...)
{
	char sql[1024];
	char *value;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	value = fixture_pg_query(&pg, sql);
	if (value == NULL)
		fail_msg("query failed: %s", sql);
	return value;
}

static long count_rows(const char *fmt, const char *council)
{
	char *value = query(fmt, council);
	long n = atol(value);

	free(value);
	return n;
}

/* Every figure of a council, as text, in one md5 ("" when it has none). */
static char *figures_of(const char *council)
{
	return query("SELECT coalesce(md5(string_agg(indicator_id || '|' || version || '|' || "
		     "period_type || '|' || period || '|' || breakdown || '|' || "
		     "coalesce(numerator::text, '-') || '|' || coalesce(denominator::text, '-') || "
		     "'|' || coalesce(value::text, '-') || '|' || provisional, ',' ORDER BY "
		     "indicator_id, period_type, period, breakdown)), '') FROM indicator_value "
		     "WHERE council = '%s' AND org_unit = 'council'", council);
}

/* Waits until the council's figures equal the reference council's. */
static bool figures_become_reference(const char *council, long long timeout_ms)
{
	char *want = figures_of(REFERENCE);
	long long until = fixture_now_ms() + scaled_ms(timeout_ms);
	bool equal = false;

	assert_string_not_equal(want, "");
	while (!equal && fixture_now_ms() < until) {
		char *got = figures_of(council);

		equal = strcmp(got, want) == 0;
		free(got);
		if (!equal)
			usleep(100 * 1000);
	}
	free(want);
	return equal;
}

/* ---- loads ---- */

typedef struct load_run {
	const fixture_server *srv;
	char council[16];
	char key[64];
	int rc;
	bool stored, replayed;
	csperf_figures_state figures;
} load_run;

static void *load_main(void *arg)
{
	load_run *r = arg;
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_load_options opts = CSPERF_LOAD_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;

	options.server = r->srv->address;
	options.token = r->srv->token;
	options.timeout_ms = scaled_ms(120000);
	r->rc = csperf_client_new(&client, &options);
	opts.council = r->council;
	opts.source = "csv";
	opts.label = "figures after a fault";
	opts.idempotency_key = r->key;
	if (r->rc == CSPERF_OK)
		r->rc = csperf_load_begin(client, &opts, &load);
	for (int i = 0; r->rc == CSPERF_OK && i < CONTACTS; i++) {
		char values[7][24];
		const char *ptrs[7];
		csperf_record rec = { CSPERF_RECORD_CONTACT, 7, ptrs, "contacts.csv",
				      (unsigned long)i + 2, NULL };

		snprintf(values[0], 24, "F%07d", i);
		snprintf(values[1], 24, "2019-%02d-%02d", 4 + i % 6, 1 + i % 28);
		snprintf(values[2], 24, "%s", "");
		snprintf(values[3], 24, "%s", i % 3 == 0 ? "Early Help" : "Social Care");
		snprintf(values[4], 24, "%s", "");
		snprintf(values[5], 24, "%s", i % 2 == 0 ? "GREEN" : "RED");
		snprintf(values[6], 24, "%s", "MASH");
		for (int f = 0; f < 7; f++)
			ptrs[f] = values[f];
		r->rc = csperf_load_add(load, &rec);
	}
	if (r->rc == CSPERF_OK)
		r->rc = csperf_load_finish(load, &summary);
	if (r->rc == CSPERF_OK) {
		r->stored = summary->stored;
		r->replayed = summary->replayed;
		r->figures = summary->figures;
	}
	csperf_load_summary_free(summary);
	csperf_load_free(load);
	csperf_client_free(client);
	return NULL;
}

static void load_prepare(load_run *r, const fixture_server *srv, const char *council,
			 const char *key)
{
	memset(r, 0, sizeof(*r));
	r->srv = srv;
	snprintf(r->council, sizeof(r->council), "%s", council);
	snprintf(r->key, sizeof(r->key), "%s", key);
}

static void load_now(load_run *r, const fixture_server *srv, const char *council,
		     const char *key)
{
	load_prepare(r, srv, council, key);
	load_main(r);
}

/* ---- the lock that holds a recompute after its load's commit ---- */

/* Starts a load of the council in a thread of its own (join it). */
static void load_in_background(load_run *run, pthread_t *thread, const char *council,
			       const char *key)
{
	load_prepare(run, &server, council, key);
	assert_int_equal(pthread_create(thread, NULL, load_main, run), 0);
}

static PGconn *hold_figures(void)
{
	PGconn *conn = fixture_pg_connect(&pg);
	PGresult *res;

	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	res = PQexec(conn, "BEGIN; LOCK TABLE indicator_value IN EXCLUSIVE MODE");
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	return conn;
}

/* Waits until the council's load has committed and a session of csperfd's
 * waits on the lock: its recompute. */
static bool recompute_held(const char *council)
{
	long long until = fixture_now_ms() + scaled_ms(60000);

	while (fixture_now_ms() < until) {
		if (count_rows("SELECT count(*) FROM load WHERE council = '%s'", council) == 1 &&
		    count_rows("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
			       "WHERE NOT l.granted AND a.datname = 'csperf' AND a.wait_event_type = "
			       "'Lock' AND a.query LIKE '%%indicator_value%%' AND '%s' <> ''",
			       council) > 0)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static long audit_lines_of_loads(const char *council)
{
	return count_rows("SELECT count(*) FROM audit_log WHERE method = "
			  "'/csperf.v1.Performance/LoadRecords' AND council = '%s' AND status = 'OK' "
			  "AND rows_returned = " "3000", council);
}

/* ---- setup ---- */

static int setup(void **state)
{
	load_run reference;

	(void)state;
	if (fixture_pg_start(&pg) != 0 ||
	    fixture_server_start(&server, pg.dsn,
				 (const char *const[]){ "--recompute-every", "3600", "--lane-children",
							"0", NULL }) != 0)
		return -1;
	load_now(&reference, &server, REFERENCE, "reference");
	if (reference.rc != CSPERF_OK || !reference.stored ||
	    reference.figures != CSPERF_FIGURES_COMPUTED) {
		fprintf(stderr, "the reference load: %d, %s\n", reference.rc, csperf_error_last());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	int rc = server.pid > 0 ? fixture_server_stop(&server, SIGTERM, 60) : 0;

	(void)state;
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

/* ---- the faults ---- */

static void test_csperfd_killed_before_the_recompute_ends(void **state)
{
	const char *council = "981";
	load_run run, retry;
	pthread_t thread;
	PGconn *lock = hold_figures();
	char *figures;
	long long started, finished_ms;

	(void)state;
	load_in_background(&run, &thread, council, "killed");
	assert_true(recompute_held(council));
	kill(server.pid, SIGKILL);
	assert_int_equal(fixture_server_stop(&server, 0, 30), -1);
	pthread_join(thread, NULL);
	assert_int_not_equal(run.rc, CSPERF_OK);
	PQfinish(lock);

	/* The records and the call's audit line committed; the figures not. */
	assert_int_equal(count_rows("SELECT count(*) FROM contact WHERE council = '%s'", council),
			 CONTACTS);
	assert_int_equal(audit_lines_of_loads(council), 1);
	figures = figures_of(council);
	assert_string_equal(figures, "");
	free(figures);

	/* A new csperfd finishes them at start, as a full recompute has them. */
	started = fixture_now_ms();
	assert_int_equal(fixture_server_start(&server, pg.dsn,
		(const char *const[]){ "--recompute-every", "3600", "--lane-children", "0",
				       NULL }), 0);
	assert_true(figures_become_reference(council, 60000));
	finished_ms = fixture_now_ms() - started;

	/* The retry is a replay, and says the figures are computed. */
	load_now(&retry, &server, council, "killed");
	assert_int_equal(retry.rc, CSPERF_OK);
	assert_true(retry.stored);
	assert_true(retry.replayed);
	assert_int_equal(retry.figures, CSPERF_FIGURES_COMPUTED);
	assert_int_equal(count_rows("SELECT count(*) FROM load WHERE council = '%s'", council), 1);
	printf("faults: figures: csperfd killed while a load's recompute waited: records and "
	       "audit line kept, figures finished %lld ms after the new csperfd was started\n",
	       finished_ms);
}

static void test_postgres_stopped_before_the_recompute_ends(void **state)
{
	const char *council = "982";
	load_run run, retry;
	pthread_t thread;
	PGconn *lock = hold_figures();

	(void)state;
	load_in_background(&run, &thread, council, "database stopped");
	assert_true(recompute_held(council));
	assert_int_equal(fixture_pg_halt(&pg), 0);
	pthread_join(thread, NULL);
	PQfinish(lock);

	/* Told the truth: stored, and the figures still to come. */
	assert_int_equal(run.rc, CSPERF_OK);
	assert_true(run.stored);
	assert_false(run.replayed);
	assert_int_equal(run.figures, CSPERF_FIGURES_COMPUTING);

	/* The retry with the key, once the database is back, finishes them
	 * (this csperfd sweeps only hourly: the retry does it). */
	assert_int_equal(fixture_pg_restart(&pg), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM contact WHERE council = '%s'", council),
			 CONTACTS);
	assert_int_equal(audit_lines_of_loads(council), 1);
	load_now(&retry, &server, council, "database stopped");
	if (retry.rc != CSPERF_OK)
		fail_msg("the retry: %s", csperf_error_last());
	assert_true(retry.replayed);
	assert_int_equal(retry.figures, CSPERF_FIGURES_COMPUTED);
	assert_true(figures_become_reference(council, 1000));
	printf("faults: figures: PostgreSQL stopped while a load's recompute waited: told "
	       "\"computing\"; the retry finished the figures\n");
}

/* A recompute whose connection is lost leaves the figures due; another
 * csperfd on the database, sweeping every second, finishes them. */
static void test_a_second_csperfd_sweeps_figures_due(void **state)
{
	const char *council = "983";
	fixture_server sweeper;
	load_run run;
	pthread_t thread;
	PGconn *lock = hold_figures();
	char *cancelled;
	long long started;

	(void)state;
	assert_int_equal(fixture_server_start(&sweeper, pg.dsn,
		(const char *const[]){ "--recompute-every", "1", "--lane-children", "0", NULL }), 0);
	load_in_background(&run, &thread, council, "cancelled recompute");
	assert_true(recompute_held(council));
	cancelled = query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
			  "datname = 'csperf' AND wait_event_type = 'Lock' AND query LIKE "
			  "'%%indicator_value%%' AND '%s' <> ''", council);
	assert_string_equal(cancelled, "1");
	free(cancelled);
	pthread_join(thread, NULL);
	assert_int_equal(run.rc, CSPERF_OK);
	assert_int_equal(run.figures, CSPERF_FIGURES_COMPUTING);
	started = fixture_now_ms();
	PQfinish(lock);
	assert_true(figures_become_reference(council, 60000));
	printf("faults: figures: a recompute's connection lost: told \"computing\"; a second "
	       "csperfd's sweep (every 1 s) finished the figures %lld ms later\n",
	       fixture_now_ms() - started);
	assert_int_equal(fixture_server_stop(&sweeper, SIGTERM, 60), 0);
}

/* The figures of a council but some indicators' ("'A', 'B'"), as figures_of. */
static char *figures_but(const char *council, const char *indicator_ids)
{
	return query("SELECT coalesce(md5(string_agg(indicator_id || '|' || version || '|' || "
		     "period_type || '|' || period || '|' || breakdown || '|' || "
		     "coalesce(numerator::text, '-') || '|' || coalesce(denominator::text, '-') || "
		     "'|' || coalesce(value::text, '-') || '|' || provisional, ',' ORDER BY "
		     "indicator_id, period_type, period, breakdown)), '') FROM indicator_value "
		     "WHERE council = '%s' AND org_unit = 'council' AND indicator_id NOT IN (%s)",
		     council, indicator_ids);
}

/* From now on, FAILING's values for council 984 cannot be written (a
 * trigger refuses them), until failing_stop. */
static void failing_start(void)
{
	free(query("CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ "
		   "BEGIN RAISE EXCEPTION 'fails here'; END $$"));
	free(query("CREATE TRIGGER test_fail BEFORE INSERT ON indicator_value FOR EACH ROW "
		   "WHEN (NEW.council = '984' AND NEW.indicator_id IN " FAILING ") EXECUTE FUNCTION "
		   "test_fail()"));
}

static void failing_stop(void)
{
	free(query("DROP TRIGGER test_fail ON indicator_value"));
	free(query("DROP FUNCTION test_fail()"));
}

/* How many indicators csperfd's last recompute of council 984 computed on
 * its second connection (its log line "compute: council 984: N indicators
 * (M on a second connection)..."); -1 when there is none. */
static int last_shared_984(void)
{
	char *log = fixture_read_file(server.log_path);
	const char *line = NULL;
	int indicators, shared = -1;

	for (const char *p = log; p != NULL && (p = strstr(p, "compute: council 984: ")) != NULL;
	     p++)
		line = p;
	if (line == NULL || sscanf(line, "compute: council 984: %d indicators (%d on a second",
				   &indicators, &shared) != 2)
		shared = -1;
	free(log);
	return shared;
}

/* A load of council 984 whose recompute lost FAILING's values, and theirs
 * only: every other indicator as the reference has it; the second
 * connection took part (csperfd runs with --lane-children 0). */
static void load_losing_failing(const char *key)
{
	load_run run;
	char *want, *got;

	load_now(&run, &server, "984", key);
	assert_int_equal(run.rc, CSPERF_OK);
	assert_true(run.stored);
	assert_int_equal(count_rows("SELECT failures FROM compute_run WHERE council = '%s'", "984"),
			 2);
	assert_int_equal(count_rows("SELECT count(*) FROM indicator_value WHERE council = '%s' AND "
				    "indicator_id IN " FAILING, "984"), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM compute_indicator WHERE council = '%s' "
				    "AND indicator_id IN " FAILING, "984"), 0);
	want = figures_but(REFERENCE, FAILING_LIST);
	got = figures_but("984", FAILING_LIST);
	assert_string_not_equal(want, "");
	assert_string_equal(got, want);
	free(want);
	free(got);
	assert_true(last_shared_984() > 0);
}

/* Once the fault is gone, the next load's recompute does FAILING whole
 * (they were left unmarked), and the figures are the reference's. */
static void load_recovering(const char *key)
{
	load_run run;

	failing_stop();
	load_now(&run, &server, "984", key);
	assert_int_equal(run.rc, CSPERF_OK);
	assert_int_equal(run.figures, CSPERF_FIGURES_COMPUTED);
	assert_true(figures_become_reference("984", 30000));
	assert_int_equal(count_rows("SELECT failures FROM compute_run WHERE council = '%s'", "984"),
			 0);
}

static void test_a_failing_indicator_costs_its_own_values_only(void **state)
{
	char *value;

	(void)state;
	/* FD02 and WF05 of council 984 (new) fail on their first value
	 * (FAILING: the first in the catalogue's order are EH01 to FD01, so
	 * FD02 sits among the first pipeline's indicators, with others after
	 * it, those sent after it included in the comparison; WF05 is near the
	 * end, where the second connection starts). */
	failing_start();
	load_losing_failing("failing indicator");
	value = query("SELECT (SELECT count(DISTINCT indicator_id) FROM indicator_value WHERE "
		      "council = '%s') - (SELECT count(DISTINCT indicator_id) FROM indicator_value "
		      "WHERE council = '984')", REFERENCE);
	assert_string_equal(value, "2");
	free(value);
	load_recovering("after the fault");
}

static void test_a_value_that_cannot_be_written_costs_its_indicator_only(void **state)
{
	(void)state;
	/* Council 984 as the reference (the test before), then most of its
	 * values gone and FD02 unmarked: the next recompute is whole, compares
	 * with what is left, and writes nearly every value again, FD02's and
	 * WF05's among them, which a trigger refuses: the others are written,
	 * those of FD02's batch and of the second connection included. */
	assert_true(figures_become_reference("984", 30000));
	free(query("DELETE FROM indicator_value WHERE council = '%s' AND indicator_id <> (SELECT "
		   "max(indicator_id) FROM indicator_value WHERE council = '984')", "984"));
	free(query("DELETE FROM compute_indicator WHERE council = '%s' AND indicator_id = 'FD02'",
		   "984"));
	failing_start();
	load_losing_failing("a value that cannot be written");
	load_recovering("written after all");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csperfd_killed_before_the_recompute_ends),
		cmocka_unit_test(test_postgres_stopped_before_the_recompute_ends),
		cmocka_unit_test(test_a_second_csperfd_sweeps_figures_due),
		cmocka_unit_test(test_a_failing_indicator_costs_its_own_values_only),
		cmocka_unit_test(test_a_value_that_cannot_be_written_costs_its_indicator_only),
	};

	return cmocka_run_group_tests_name("integration_faults_figures", tests, setup, teardown);
}
