/*
 * test_scale.c: csperf scaled out (issue 10; docs/SCALING.md). A primary and
 * a real streaming replica (pg_basebackup -R), two csperfd processes serving
 * the one database (both --dsn to the primary, --read-dsn to the replica),
 * and clients given both addresses. Checks that loads go through either
 * csperfd with a token made by the other (no state in csperfd), that reads
 * are served by the replica, that a read right after a load sees it while
 * the replica is held behind (read-your-writes), and that killing one
 * csperfd in the middle of a stream of reads loses none of them.
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <csperf/costs.h>
#include <csperf/csperf.h>
#include <csperf/scorecards.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif
#ifndef CSPERF_GEN_PATH
#error "CSPERF_GEN_PATH must name csperf-gen"
#endif
#ifndef PG_BIN
#define PG_BIN "/usr/lib/postgresql/15/bin"
#endif

#define COUNCIL "961"

static fixture_pg primary;
static fixture_pg replica;  /* dir and dsn only: made by pg_basebackup */
static fixture_server servers[2];
static char both[160];      /* "127.0.0.1:A,127.0.0.1:B" */
static char data_dir[256];

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int as_postgres(const char *command)
{
	char line[2048];

	if (geteuid() == 0)
		snprintf(line, sizeof(line), "runuser -u postgres -- sh -c '%s'", command);
	else
		snprintf(line, sizeof(line), "sh -c '%s'", command);
	return system(line) == 0 ? 0 : -1;
}

/* A hot standby of the primary, streaming from it over its unix socket. */
static int replica_start(void)
{
	char command[1536];

	memset(&replica, 0, sizeof(replica));
	if (fixture_mkdtemp(replica.dir, sizeof(replica.dir), "csperf-replica") != 0)
		return -1;
	snprintf(command, sizeof(command), "chown postgres \"%s\" && chmod 700 \"%s\"",
		 replica.dir, replica.dir);
	if (geteuid() == 0 && system(command) != 0)
		return -1;
	snprintf(command, sizeof(command),
		 PG_BIN "/pg_basebackup -h %s -p 5432 -U postgres -D %s/data -R -X stream "
		 "--no-sync >%s/basebackup.log 2>&1", primary.dir, replica.dir, replica.dir);
	if (as_postgres(command) != 0) {
		fprintf(stderr, "test_scale: pg_basebackup failed (see %s/basebackup.log)\n",
			replica.dir);
		return -1;
	}
	snprintf(command, sizeof(command),
		 PG_BIN "/pg_ctl -D %s/data -l %s/postgresql.log -w -t %d -o "
		 "\"-k %s -c listen_addresses= -c hot_standby=on -c fsync=off\" start >/dev/null",
		 replica.dir, replica.dir, fixture_deadline_s(60), replica.dir);
	if (as_postgres(command) != 0)
		return -1;
	snprintf(replica.dsn, sizeof(replica.dsn),
		 "host=%s port=5432 user=postgres dbname=csperf", replica.dir);
	return 0;
}

static char *replica_query(const char *sql)
{
	return fixture_pg_query(&replica, sql);
}

/* Waits until the replica has replayed everything the primary has written. */
static void replica_catch_up(void)
{
	char *target = fixture_pg_query(&primary, "SELECT pg_current_wal_insert_lsn()::text");
	char sql[256];

	assert_non_null(target);
	snprintf(sql, sizeof(sql), "SELECT pg_last_wal_replay_lsn() >= '%s'::pg_lsn", target);
	free(target);
	for (long long until = fixture_now_ms() + fixture_deadline_ms(30000);
	     fixture_now_ms() < until;) {
		char *done = replica_query(sql);
		int ok = done != NULL && strcmp(done, "t") == 0;

		free(done);
		if (ok)
			return;
		sleep_ms(50);
	}
	fail_msg("the replica did not catch up within %lld ms", fixture_deadline_ms(30000));
}

static void run_tool(const char *const *argv)
{
	char server_env[200], token_env[192];
	const char *env[3] = { server_env, token_env, NULL };
	char *out = NULL, *err = NULL;
	int rc;

	/* Both csperfd; the token was made by the first alone. */
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", both);
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", servers[0].token);
	rc = fixture_run(argv, env, &out, &err, 600);
	if (rc != 0)
		fprintf(stderr, "%s exited %d:\n%s\n%s\n", argv[0], rc, out != NULL ? out : "",
			err != NULL ? err : "");
	free(out);
	free(err);
	assert_int_equal(rc, 0);
}

static void load_year(const char *format, int year)
{
	char path[512];

	if (strcmp(format, "cin-xml") == 0)
		snprintf(path, sizeof(path), "%s/cin/%d.xml", data_dir, year);
	else
		snprintf(path, sizeof(path), "%s/ssda903/%d", data_dir, year);
	run_tool((const char *const[]){ CSPERF_CLI_PATH, "load", "--council", COUNCIL,
		"--format", format, path, NULL });
}

static csperf_client *client_both(void)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = both;
	options.token = servers[0].token;
	options.timeout_ms = fixture_deadline_ms(60000);
	if (csperf_client_new(&client, &options) != CSPERF_OK)
		fail_msg("csperf_client_new: %s", csperf_error_last());
	return client;
}

/* How many times the logs of csperfd say `text`. */
static int log_count(const fixture_server *srv, const char *text)
{
	char *log = fixture_read_file(srv->log_path);
	int n = 0;

	for (const char *p = log; p != NULL && (p = strstr(p, text)) != NULL; p += strlen(text))
		n++;
	free(log);
	return n;
}

static int logs_count(const char *text)
{
	return log_count(&servers[0], text) + log_count(&servers[1], text);
}

static int setup(void **state)
{
	char replica_dsn[600];

	(void)state;
	if (fixture_pg_start(&primary) != 0 || replica_start() != 0)
		return -1;
	snprintf(replica_dsn, sizeof(replica_dsn), "%s", replica.dsn);
	for (int i = 0; i < 2; i++) {
		const char *args[] = { "--read-dsn", replica_dsn, "--log-level", "debug",
				       "--threads", "3", NULL };

		if (fixture_server_start(&servers[i], primary.dsn, args) != 0)
			return -1;
	}
	snprintf(both, sizeof(both), "%s,%s", servers[0].address, servers[1].address);
	if (fixture_mkdtemp(data_dir, sizeof(data_dir), "csperf-scale") != 0)
		return -1;
	run_tool((const char *const[]){ CSPERF_GEN_PATH, "--council", COUNCIL, "--children",
		"300", "--years", "3", "--seed", "7", "--end-year", "2024", "--out", data_dir,
		NULL });
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
		fprintf(stderr, "test_scale: cannot remove %s\n", data_dir);
	fixture_pg_destroy(&replica);
	fixture_pg_destroy(&primary);
	return 0;
}

static char *scorecard_data_to(csperf_client *client)
{
	csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;
	char *data_to;

	q.council = COUNCIL;
	q.period = "2022-23";
	if (csperf_scorecard_get(client, &q, &sc) != CSPERF_OK)
		fail_msg("scorecard: %s", csperf_error_last());
	assert_true(sc->nrows > 0);
	data_to = strdup(sc->data_to);
	csperf_scorecard_free(sc);
	return data_to;
}

/* Loads through both csperfd (the CLI given both addresses), reads served
 * by the replica, and a read right after a load that the replica has not
 * replayed served by the primary. */
static void test_replica_reads_and_read_your_writes(void **state)
{
	csperf_client *client = client_both();
	char *before, *after, *on_replica, *loads_primary;
	int by_replica, by_primary;

	(void)state;
	load_year("cin-xml", 2022);
	load_year("ssda903", 2022);
	replica_catch_up();

	/* Caught up: reads go to the replica, whose sessions say whose they are. */
	by_replica = logs_count("served by replica 1");
	for (int i = 0; i < 6; i++)
		free(scorecard_data_to(client));
	assert_true(logs_count("served by replica 1") >= by_replica + 6);
	/* ...and whose last statement was a read of csperf's data, not the
	 * router's look at the replay position. */
	on_replica = replica_query("SELECT count(*) FROM pg_stat_activity WHERE "
				   "application_name = 'csperfd-replica' AND query <> '' AND "
				   "query NOT LIKE '%pg_last_wal_replay_lsn%'");
	assert_non_null(on_replica);
	assert_true(atoi(on_replica) >= 1);
	free(on_replica);
	/* Placement costs too: the finance system's nightly pull. */
	{
		csperf_costs_query q = CSPERF_COSTS_QUERY_INIT;
		csperf_costs *costs = NULL;

		by_replica = logs_count("served by replica 1");
		q.council = COUNCIL;
		q.financial_year = "2022-23";
		q.group_by = "placement_type";
		for (int i = 0; i < 4; i++) {
			assert_int_equal(csperf_costs_get(client, &q, &costs), CSPERF_OK);
			assert_string_equal(costs->financial_year, "2022-23");
			csperf_costs_free(costs);
		}
		assert_true(logs_count("served by replica 1") >= by_replica + 4);
	}
	before = scorecard_data_to(client);

	/* Hold the replica behind, then load a later year. */
	free(replica_query("SELECT pg_wal_replay_pause()"));
	load_year("cin-xml", 2023);
	load_year("ssda903", 2023);
	loads_primary = fixture_pg_query(&primary, "SELECT count(*) FROM load WHERE council = '"
					 COUNCIL "'");
	on_replica = replica_query("SELECT count(*) FROM load WHERE council = '" COUNCIL "'");
	assert_non_null(loads_primary);
	assert_non_null(on_replica);
	assert_string_not_equal(loads_primary, on_replica);  /* the replica is behind */
	free(loads_primary);
	free(on_replica);

	by_primary = logs_count("served by the primary");
	after = scorecard_data_to(client);
	assert_true(strcmp(after, before) > 0);  /* the load is seen at once */
	assert_true(logs_count("served by the primary") >= by_primary + 1);
	free(after);

	/* Replayed: the replica serves the council again, and agrees. */
	free(replica_query("SELECT pg_wal_replay_resume()"));
	replica_catch_up();
	by_replica = logs_count("served by replica 1");
	after = scorecard_data_to(client);
	assert_true(strcmp(after, before) > 0);
	assert_true(logs_count("served by replica 1") >= by_replica + 1);
	free(after);
	free(before);
	csperf_client_free(client);
}

typedef struct reader {
	csperf_client *client;
	volatile int *stop;
	int calls, failures;
	char error[256];
} reader;

static void *read_loop(void *arg)
{
	reader *r = arg;

	while (!*r->stop) {
		csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;
		csperf_scorecard *sc = NULL;
		csperf_series *series = NULL;
		int rc;

		q.council = COUNCIL;
		q.period = "2022-23";
		rc = csperf_scorecard_get(r->client, &q, &sc);
		csperf_scorecard_free(sc);
		if (rc == CSPERF_OK) {
			rc = csperf_series_get(r->client, COUNCIL, "CN02", "quarter", NULL, NULL,
					       &series);
			csperf_series_free(series);
		}
		r->calls++;
		if (rc != CSPERF_OK) {
			r->failures++;
			snprintf(r->error, sizeof(r->error), "%s", csperf_error_last());
		}
	}
	return NULL;
}

/* Both csperfd serve reads; one is killed (SIGKILL) while reads stream
 * through the client; no read fails, and the survivor takes loads. */
static void test_kill_one_csperfd(void **state)
{
	csperf_client *client = client_both();
	volatile int stop = 0;
	reader readers[3];
	pthread_t threads[3];
	int before[2], total = 0;

	(void)state;
	for (int i = 0; i < 2; i++)
		before[i] = log_count(&servers[i], "store: read of council");
	for (int i = 0; i < 3; i++) {
		memset(&readers[i], 0, sizeof(readers[i]));
		readers[i].client = client;
		readers[i].stop = &stop;
		assert_int_equal(pthread_create(&threads[i], NULL, read_loop, &readers[i]), 0);
	}
	sleep_ms(1500);
	/* Both have served some of them: gRPC's round_robin spreads the calls. */
	for (int i = 0; i < 2; i++)
		assert_true(log_count(&servers[i], "store: read of council") > before[i]);
	fixture_server_stop(&servers[0], SIGKILL, 10);
	sleep_ms(1500);
	stop = 1;
	for (int i = 0; i < 3; i++) {
		pthread_join(threads[i], NULL);
		total += readers[i].calls;
		if (readers[i].failures != 0)
			fail_msg("%d of %d reads failed after a csperfd was killed: %s",
				 readers[i].failures, readers[i].calls, readers[i].error);
	}
	/* Enough reads to show calls kept flowing; under AddressSanitizer each
	 * call is several times slower, so only ask that some completed. */
#if defined(__SANITIZE_ADDRESS__)
	assert_true(total > 0);
#else
	assert_true(total > 10);
#endif
	/* The survivor serves everything, loads included (token made by the
	 * other: tokens live in the database). */
	load_year("cin-xml", 2024);
	free(scorecard_data_to(client));
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replica_reads_and_read_your_writes),
		cmocka_unit_test(test_kill_one_csperfd),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
