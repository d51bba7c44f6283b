/*
 * test_lifecycle.c: csperfd's start and stop: the embedded PostgreSQL leaves
 * nothing behind, migrations are applied once and guarded, a drain that runs
 * out of time still stops cleanly, and bad configuration gives one clear
 * sentence and a non-zero exit, never a crash.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <csperf/csperf.h>

#include "fixture.h"

#ifndef MIGRATIONS_DIR
#error "MIGRATIONS_DIR must name the source migrations folder"
#endif

static fixture_pg pg;

static int setup(void **state)
{
	return fixture_pg_start(&pg);
}

static int teardown(void **state)
{
	fixture_pg_destroy(&pg);
	return 0;
}

/* One sentence: a single line ending in a newline, naming csperfd. */
static void assert_one_sentence(const char *err, const char *expected)
{
	const char *last = strrchr(err, '\n');
	const char *line = strstr(err, "csperfd: ");

	assert_non_null(line);
	assert_non_null(strstr(line, expected));
	assert_non_null(last);
	/* Nothing after the message: no stack trace, no second line. */
	assert_ptr_equal(strchr(line, '\n'), last);
	assert_null(strstr(err, "Assertion"));
}

static pid_t postmaster_pid(const char *data_dir)
{
	char path[512];
	char *text;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/postmaster.pid", data_dir);
	text = fixture_read_file(path);
	if (text == NULL)
		return 0;
	pid = (pid_t)atoi(text);
	free(text);
	return pid;
}

static void test_embedded_postgres_stops_with_csperfd(void **state)
{
	char dir[256], data_dir[300];
	fixture_server srv;
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_server_info *info = NULL;
	pid_t postmaster;

	assert_int_equal(fixture_mkdtemp(dir, sizeof(dir), "csperf-embedded"), 0);
	snprintf(data_dir, sizeof(data_dir), "%s/pgdata", dir);
	assert_int_equal(fixture_server_start(&srv, NULL,
		(const char *const[]){ "--data-dir", data_dir, NULL }), 0);

	options.server = srv.address;
	options.token = srv.token;
	options.timeout_ms = fixture_deadline_ms(10000);
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	assert_int_equal(csperf_server_info_get(client, &info), CSPERF_OK);
	assert_string_equal(info->database_mode, "embedded");
	assert_string_equal(info->database_status, "ok");
	assert_true(info->schema_version >= 1);
	csperf_server_info_free(info);
	csperf_client_free(client);

	postmaster = postmaster_pid(data_dir);
	assert_true(postmaster > 0);
	assert_true(fixture_pid_alive(postmaster));

	assert_int_equal(fixture_server_stop(&srv, SIGTERM, 60), 0);
	assert_false(fixture_pid_alive(postmaster));
	assert_int_equal(postmaster_pid(data_dir), 0);

	/* A second start reuses the cluster and its schema. */
	assert_int_equal(fixture_server_start(&srv, NULL,
		(const char *const[]){ "--data-dir", data_dir, NULL }), 0);
	assert_int_equal(fixture_server_stop(&srv, SIGINT, 60), 0);
	{
		char *log = fixture_read_file(srv.log_path);

		assert_non_null(strstr(log, "0 migrations applied now"));
		free(log);
	}
}

/* Even a kill -9 of csperfd does not leave its PostgreSQL behind: the
 * postmaster has PR_SET_PDEATHSIG. */
static void test_embedded_postgres_dies_with_killed_csperfd(void **state)
{
	char dir[256], data_dir[300];
	fixture_server srv;
	pid_t postmaster;
	bool gone = false;

	assert_int_equal(fixture_mkdtemp(dir, sizeof(dir), "csperf-embedded"), 0);
	snprintf(data_dir, sizeof(data_dir), "%s/pgdata", dir);
	assert_int_equal(fixture_server_start(&srv, NULL,
		(const char *const[]){ "--data-dir", data_dir, NULL }), 0);
	postmaster = postmaster_pid(data_dir);
	assert_true(fixture_pid_alive(postmaster));
	assert_int_equal(fixture_server_stop(&srv, SIGKILL, 30), -1);
	for (long long until = fixture_now_ms() + fixture_deadline_ms(30000);
	     fixture_now_ms() < until && !gone;) {
		gone = !fixture_pid_alive(postmaster);
		if (!gone)
			usleep(100 * 1000);
	}
	assert_true(gone);
}

static void test_missing_postgres_programs(void **state)
{
	char dir[256], err[4096];

	assert_int_equal(fixture_mkdtemp(dir, sizeof(dir), "csperf-nopg"), 0);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--pg-bin", dir,
		"--data-dir", "/tmp/csperf-never-made", "--listen", "127.0.0.1:0", NULL },
		err, sizeof(err), 30), 2);
	assert_one_sentence(err, "has no initdb and postgres programs");
	rmdir(dir);
}

static void test_migrate_command_applies_once(void **state)
{
	char err[4096];
	char *count;

	assert_int_equal(fixture_run_csperfd((const char *const[]){ "migrate", "--dsn", pg.dsn, NULL },
					     err, sizeof(err), 60), 0);
	count = fixture_pg_query(&pg, "SELECT count(*) FROM schema_migrations");
	assert_non_null(count);
	assert_true(atoi(count) >= 1);
	free(count);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "migrate", "--dsn", pg.dsn, NULL },
					     err, sizeof(err), 60), 0);
	assert_non_null(strstr(err, "0 migrations applied now"));
}

static void test_changed_migration_refuses_to_start(void **state)
{
	char dir[256], command[1024], err[4096], dbname[64], dsn[480];
	char *created;
	FILE *f;

	/* A fresh database and a private copy of the migrations. */
	snprintf(dbname, sizeof(dbname), "changed_%d", (int)getpid());
	snprintf(command, sizeof(command), "CREATE DATABASE %s", dbname);
	{
		PGconn *admin = PQconnectdb(pg.admin_dsn);

		PQclear(PQexec(admin, command));
		PQfinish(admin);
	}
	snprintf(dsn, sizeof(dsn), "host=%s port=5432 user=postgres dbname=%s", pg.dir, dbname);
	assert_int_equal(fixture_mkdtemp(dir, sizeof(dir), "csperf-migrations"), 0);
	snprintf(command, sizeof(command), "cp %s/*.sql %s/", MIGRATIONS_DIR, dir);
	assert_int_equal(system(command), 0);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "migrate", "--dsn", dsn,
		"--migrations-dir", dir, NULL }, err, sizeof(err), 60), 0);

	snprintf(command, sizeof(command), "%s/0001_init.sql", dir);
	f = fopen(command, "a");
	assert_non_null(f);
	fputs("\n-- an edit after the fact\n", f);
	fclose(f);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", dsn,
		"--migrations-dir", dir, "--listen", "127.0.0.1:0", NULL }, err, sizeof(err), 60), 2);
	assert_one_sentence(err, "migration 0001_init.sql has changed since it was applied");

	/* A new migration next to the unchanged ones is applied. */
	snprintf(command, sizeof(command), "cp %s/0001_init.sql %s/ && "
		 "printf 'CREATE TABLE test_extra (id int);\\n' > %s/9999_test_extra.sql",
		 MIGRATIONS_DIR, dir, dir);
	assert_int_equal(system(command), 0);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "migrate", "--dsn", dsn,
		"--migrations-dir", dir, NULL }, err, sizeof(err), 60), 0);
	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	assert_int_equal(system(command), 0);
	{
		fixture_pg other = pg;

		snprintf(other.dsn, sizeof(other.dsn), "%s", dsn);
		created = fixture_pg_query(&other, "SELECT max(version) FROM schema_migrations");
		assert_non_null(created);
		assert_string_equal(created, "9999");
		free(created);
	}
}

static void test_unreachable_dsn(void **state)
{
	char err[4096];

	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn",
		"host=127.0.0.1 port=1 dbname=csperf connect_timeout=3", "--listen", "127.0.0.1:0",
		NULL }, err, sizeof(err), 60), 2);
	assert_one_sentence(err, "cannot connect to the database");
}

static void test_port_in_use(void **state)
{
	fixture_server first;
	char err[4096], address[64];

	assert_int_equal(fixture_server_start(&first, pg.dsn, NULL), 0);
	snprintf(address, sizeof(address), "127.0.0.1:%d", first.port);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", pg.dsn,
		"--listen", address, NULL }, err, sizeof(err), 60), 2);
	assert_one_sentence(err, "cannot listen on");
	assert_int_equal(fixture_server_stop(&first, SIGTERM, 30), 0);
}

static void test_unusable_data_dir(void **state)
{
	char dir[256], file[300], err[4096];
	FILE *f;

	assert_int_equal(fixture_mkdtemp(dir, sizeof(dir), "csperf-datadir"), 0);
	snprintf(file, sizeof(file), "%s/not-a-folder", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--data-dir", file,
		"--listen", "127.0.0.1:0", NULL }, err, sizeof(err), 60), 2);
	assert_one_sentence(err, "is not a directory");

	/* A folder that holds something other than a cluster. */
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--data-dir", dir,
		"--listen", "127.0.0.1:0", NULL }, err, sizeof(err), 60), 2);
	assert_one_sentence(err, "is neither empty nor a PostgreSQL cluster");

	/* A folder that cannot be made. */
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--data-dir",
		"/proc/csperf/pgdata", "--listen", "127.0.0.1:0", NULL }, err, sizeof(err), 60), 2);
	assert_one_sentence(err, "cannot create the data directory");
	unlink(file);
	rmdir(dir);
}

static void test_bad_usage(void **state)
{
	char err[4096];

	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--threads", "0", NULL },
					     err, sizeof(err), 10), 1);
	assert_one_sentence(err, "--threads must be a whole number from 1 to 64");
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--no-such-flag", NULL },
					     err, sizeof(err), 10), 1);
	assert_one_sentence(err, "--no-such-flag");
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--help", NULL },
					     err, sizeof(err), 10), 0);
	assert_non_null(strstr(err, "CSPERF_DSN"));
	assert_non_null(strstr(err, "--log-level"));
}

typedef struct slow_call {
	const char *address;
	const char *token;
	int rc;
} slow_call;

static void *slow_call_main(void *arg)
{
	slow_call *call = arg;
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_server_info *info = NULL;

	options.server = call->address;
	options.token = call->token;
	options.timeout_ms = fixture_deadline_ms(60000);
	csperf_client_new(&client, &options);
	call->rc = csperf_server_info_get(client, &info);
	csperf_server_info_free(info);
	csperf_client_free(client);
	return NULL;
}

/* SIGTERM while a call is stuck on the database: csperfd waits for the drain
 * timeout, cancels the call, and still exits 0. */
static void test_drain_timeout_cancels_and_exits_cleanly(void **state)
{
	fixture_server srv;
	PGconn *locker = fixture_pg_connect(&pg);
	slow_call call = { NULL, NULL, 0 };
	pthread_t thread;
	long long started;

	assert_int_equal(fixture_server_start(&srv, pg.dsn,
		(const char *const[]){ "--drain-timeout", "1", NULL }), 0);
	call.address = srv.address;
	call.token = srv.token;
	PQclear(PQexec(locker, "BEGIN"));
	PQclear(PQexec(locker, "LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE"));
	pthread_create(&thread, NULL, slow_call_main, &call);
	/* Let the call reach the database and wait on the lock. */
	for (long long until = fixture_now_ms() + fixture_deadline_ms(5000);
	     fixture_now_ms() < until;) {
		char *waiting = fixture_pg_query(&pg,
			"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
		int n = waiting != NULL ? atoi(waiting) : 0;

		free(waiting);
		if (n > 0)
			break;
		usleep(50 * 1000);
	}
	started = fixture_now_ms();
	kill(srv.pid, SIGTERM);
	/* The handler is still blocked on the lock: release it after the drain
	 * timeout has passed, as an operator's database would eventually. */
	usleep(1500 * 1000);
	PQclear(PQexec(locker, "COMMIT"));
	PQfinish(locker);
	assert_int_equal(fixture_server_stop(&srv, 0, 30), 0);
	assert_true(fixture_now_ms() - started >= 1000);
	pthread_join(thread, NULL);
	/* The client's call was cancelled by the drain, not answered. */
	assert_true(call.rc == CSPERF_ECANCELLED || call.rc == CSPERF_EUNAVAILABLE);
	{
		char *log = fixture_read_file(srv.log_path);

		assert_non_null(strstr(log, "cancelling them"));
		free(log);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_postgres_stops_with_csperfd),
		cmocka_unit_test(test_embedded_postgres_dies_with_killed_csperfd),
		cmocka_unit_test(test_missing_postgres_programs),
		cmocka_unit_test(test_migrate_command_applies_once),
		cmocka_unit_test(test_changed_migration_refuses_to_start),
		cmocka_unit_test(test_unreachable_dsn),
		cmocka_unit_test(test_port_in_use),
		cmocka_unit_test(test_unusable_data_dir),
		cmocka_unit_test(test_bad_usage),
		cmocka_unit_test(test_drain_timeout_cancels_and_exits_cleanly),
	};

	return cmocka_run_group_tests_name("integration_lifecycle", tests, setup, teardown);
}
