/*
 * test_partitions.c: the journey tables partitioned by council (migration
 * 0009, issue 10). A database migrated from 0008 with records keeps every
 * row and its current flag, in its council's partitions; a council made
 * through csperfd serving as a member of csperf_app (no DDL of its own) gets
 * its partitions; a load reads and writes only its council's partitions.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
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

static char *query(const char *sql)
{
	char *value = fixture_pg_query(&pg, sql);

	if (value == NULL)
		fail_msg("query failed: %s", sql);
	return value;
}

static void exec_sql(const char *sql)
{
	free(query(sql));
}

static void assert_query(const char *sql, const char *expected)
{
	char *value = query(sql);

	if (strcmp(value, expected) != 0)
		fail_msg("%s\n  gave %s, expected %s", sql, value, expected);
	free(value);
}

/* Every row of the two tables the test fills, flags and all. */
#define ROWS_DIGEST "SELECT md5((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM rec_child x)" \
	" || (SELECT string_agg(x::text, '|' ORDER BY x::text) FROM rec_contact x))"

/* A database at migration 0008 with records of two councils, some of them
 * superseded, migrated to the end: the same rows, the same flags, each in
 * its council's partition, the views and unique indexes as before, and no
 * foreign key to load any more. */
static void test_migration_moves_existing_rows(void **state)
{
	char dir[256], command[768], err[2048];
	char *before;

	assert_int_equal(fixture_mkdtemp(dir, sizeof(dir), "csperf-migrations-0008"), 0);
	snprintf(command, sizeof(command), "cp %s/000[1-8]_*.sql %s/", MIGRATIONS_DIR, dir);
	assert_int_equal(system(command), 0);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "migrate", "--dsn", pg.dsn,
		"--migrations-dir", dir, NULL }, err, sizeof(err), 120), 0);
	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	assert_int_equal(system(command), 0);
	assert_query("SELECT max(version) FROM schema_migrations", "8");

	exec_sql("INSERT INTO council (la_code, name, nation) VALUES ('801', 'One', 'england'), "
		 "('802', 'Two', 'england')");
	/* Loads 1, 2 and 3, from the sequence. */
	exec_sql("INSERT INTO load (council, source, label, idempotency_key, accept_valid) VALUES "
		 "('801', 'csv', 'first', 'k1', false), ('801', 'csv', 'second', 'k2', false), "
		 "('802', 'csv', 'other', 'k3', false)");
	exec_sql("INSERT INTO rec_child (load_id, council, record_no, is_current, child_id, sex, "
		 "ethnicity, disabilities) VALUES "
		 "(1, '801', 1, false, 'C1', '1', 'WBRI', 'HAND'), (2, '801', 1, true, 'C1', '1', "
		 "'WBRI', 'HAND'), (2, '801', 2, true, 'C2', '2', 'WIRI', NULL), "
		 "(3, '802', 1, true, 'C1', '2', 'MWBC', NULL)");
	exec_sql("INSERT INTO rec_contact (load_id, council, record_no, is_current, child_id, "
		 "contact_date, outcome) VALUES (1, '801', 2, false, 'C1', '2020-01-02', 'NFA'), "
		 "(2, '801', 3, true, 'C1', '2020-01-02', 'Referral'), "
		 "(3, '802', 2, true, 'C9', '2020-02-03', NULL)");
	before = query(ROWS_DIGEST);

	assert_int_equal(fixture_run_csperfd((const char *const[]){ "migrate", "--dsn", pg.dsn,
		NULL }, err, sizeof(err), 120), 0);
	assert_query("SELECT max(version) >= 9 FROM schema_migrations", "t");
	assert_query(ROWS_DIGEST, before);
	free(before);

	/* Every rec_* table is partitioned; each council has its partition of
	 * each, holding its rows. */
	assert_query("SELECT count(*) FROM pg_class WHERE relname LIKE 'rec\\_%' AND relkind = 'r' "
		     "AND NOT relispartition", "0");
	assert_query("SELECT count(*) = 24 FROM pg_class WHERE relkind = 'p' AND relname LIKE "
		     "'rec\\_%'", "t");
	assert_query("SELECT count(*) = 48 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
		     "WHERE c.relname LIKE 'rec\\_%\\_80_'", "t");
	assert_query("SELECT count(*) FROM ONLY rec_child_801", "3");
	assert_query("SELECT count(*) FROM ONLY rec_child_802", "1");
	assert_query("SELECT string_agg(child_id || ':' || load_id, ',' ORDER BY child_id) "
		     "FROM child WHERE council = '801'", "C1:2,C2:2");
	assert_query("SELECT string_agg(outcome, ',') FROM contact WHERE council = '801'",
		     "Referral");

	/* The indexes are there (the unique one on current rows still holds),
	 * the foreign keys to load are not. */
	assert_query("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND "
		     "conrelid::regclass::text LIKE 'rec\\_%'", "0");
	assert_query("SELECT count(*) = 48 FROM pg_indexes WHERE tablename LIKE 'rec\\_%' "
		     "AND tablename NOT LIKE '%\\_80_'", "t");
	assert_null(fixture_pg_query(&pg, "INSERT INTO rec_child (load_id, council, record_no, "
				     "is_current, child_id, sex, ethnicity) VALUES "
				     "(2, '801', 9, true, 'C1', '1', 'WBRI')"));
}

static fixture_server app_server;
static char server_env[96];

/* csperfd serving as csperf_partitions, a login with csperf_app's
 * privileges and no more (migrations by the owner, through --migrate-dsn). */
static void start_app_server(void)
{
	char app_dsn[600];

	snprintf(app_dsn, sizeof(app_dsn), "%s user=csperf_partitions", pg.dsn);
	assert_int_equal(fixture_server_start(&app_server, app_dsn,
		(const char *const[]){ "--migrate-dsn", pg.dsn, NULL }), 0);
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", app_server.address);
}

/* Stops it, and waits until its database sessions have ended (and so sent
 * their counters to PostgreSQL's shared statistics). */
static void stop_app_server(void)
{
	char *sessions = NULL;

	assert_int_equal(fixture_server_stop(&app_server, SIGTERM, 30), 0);
	for (long long until = fixture_now_ms() + fixture_deadline_ms(15000);
	     fixture_now_ms() < until;) {
		free(sessions);
		sessions = query("SELECT count(*) FROM pg_stat_activity "
				 "WHERE usename = 'csperf_partitions'");
		if (strcmp(sessions, "0") == 0)
			break;
		usleep(250 * 1000);
	}
	assert_string_equal(sessions, "0");
	free(sessions);
	sleep(1);
}

/* Loads a fixture SSDA903 return for a council through the csperf tool. */
static void load_return(const char *council, const char *year)
{
	char path[512];
	const char *env[2] = { server_env, NULL };
	char *out = NULL, *err = NULL;
	int status;

	snprintf(path, sizeof(path), "%s/returns/%s", CSPERF_FIXTURES, year);
	status = fixture_run((const char *const[]){ CSPERF_CLI_PATH, "load", "--council", council,
		"--format", "ssda903", path, NULL }, env, &out, &err, 300);
	if (status != 0)
		fail_msg("csperf load %s %s: %d\n%s%s", council, year, status, out, err);
	free(out);
	free(err);
}

/* A council first seen in a load, through csperfd serving as a login with
 * csperf_app's privileges and no more, gets a partition of each rec_* table
 * the load brings records of (migration 0024), owned by the schema's owner,
 * and of no other; one made by `council put` has none until it loads. */
static void test_new_council_gets_partitions(void **state)
{
	const char *env[2] = { server_env, NULL };
	char *out = NULL, *err = NULL;

	exec_sql("CREATE ROLE csperf_partitions LOGIN IN ROLE csperf_app");
	start_app_server();

	assert_query("SELECT count(*) FROM pg_class WHERE relname LIKE 'rec\\_%\\_803'", "0");
	load_return("803", "2017");
	/* The 2017 return: header (child), episodes, and nothing else. */
	assert_query("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i "
		     "JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname LIKE 'rec\\_%\\_803'",
		     "rec_child_803,rec_la_episode_803");
	assert_query("SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class "
		     "WHERE relname LIKE 'rec\\_%\\_803'", "postgres");
	assert_query("SELECT count(*) > 0 FROM ONLY rec_la_episode_803", "t");
	assert_query("SELECT (SELECT count(*) FROM rec_la_episode WHERE council = '803') = "
		     "(SELECT count(*) FROM ONLY rec_la_episode_803)", "t");
	/* A type it never loaded reads as empty. */
	assert_query("SELECT count(*) FROM contact WHERE council = '803'", "0");
	/* The load ran as the app login, which owns no table. */
	assert_query("SELECT rolsuper FROM pg_roles WHERE rolname = 'csperf_partitions'", "f");
	assert_query("SELECT count(*) FROM pg_class WHERE relowner = "
		     "(SELECT oid FROM pg_roles WHERE rolname = 'csperf_partitions') "
		     "AND relkind IN ('r', 'p')", "0");
	/* Nor may it call the function with a name of its own choosing. */
	assert_null(fixture_pg_query(&pg, "SET ROLE csperf_partitions; "
				     "SELECT csperf_record_partition('council', '803')"));

	assert_int_equal(fixture_run((const char *const[]){ CSPERF_CLI_PATH, "council", "put",
		"--council", "804", "--name", "Four", "--nation", "england", NULL }, env, &out, &err,
		60), 0);
	free(out);
	free(err);
	assert_query("SELECT count(*) FROM pg_class WHERE relname LIKE 'rec\\_%\\_804'", "0");
}

/* Writes a folder with one contacts.csv holding `rows`; returns its path. */
static void write_contacts(char *dir, size_t size, const char *rows)
{
	char path[512];
	FILE *f;

	assert_int_equal(fixture_mkdtemp(dir, size, "csperf-contacts"), 0);
	snprintf(path, sizeof(path), "%s/contacts.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "contact_date,child_id,source,rag_rating,decision_date\n%s", rows);
	fclose(f);
}

static int load_contacts(const char *council, const char *dir, bool accept_valid, char **out)
{
	const char *env[2] = { server_env, NULL };
	char *err = NULL;
	int status;

	status = fixture_run((const char *const[]){ CSPERF_CLI_PATH, "load", "--council", council,
		"--format", "csv", dir, accept_valid ? "--accept-valid" : NULL, NULL }, env, out,
		&err, 120);
	free(err);
	return status;
}

/* Two records of one load with one key: the later is rejected naming the
 * first, and nothing is stored unless --accept-valid, whether the key is
 * new to the council or replaces a current record. */
static void test_duplicates_within_a_load(void **state)
{
	char first[256], second[256], command[600];
	char *out = NULL;

	write_contacts(first, sizeof(first), "2024-04-01,D1,1A,,\n");
	write_contacts(second, sizeof(second),
		       "2024-04-01,D1,2B,,\n"      /* replaces the first load's */
		       "2024-04-02,D1,1A,,\n"
		       "2024-04-02,D1,1C,,\n"      /* line 4 repeats line 3's key */
		       "2024-04-03,D2,1A,,\n");
	assert_int_equal(load_contacts("805", first, false, &out), 0);
	free(out);
	assert_int_equal(load_contacts("805", second, false, &out), 5);
	assert_non_null(strstr(out, "contacts.csv"));
	free(out);
	assert_query("SELECT string_agg(child_id || ' ' || contact_date || ' ' || source || ' ' || "
		     "is_current, ', ' ORDER BY contact_date, load_id) FROM rec_contact "
		     "WHERE council = '805'", "D1 2024-04-01 1A true");

	load_contacts("805", second, true, &out);
	assert_non_null(strstr(out, "stored: 3 records accepted, 1 rejected"));
	free(out);
	assert_query("SELECT string_agg(child_id || ' ' || contact_date || ' ' || source || ' ' || "
		     "is_current, ', ' ORDER BY contact_date, load_id) FROM rec_contact "
		     "WHERE council = '805'",
		     "D1 2024-04-01 1A false, D1 2024-04-01 2B true, D1 2024-04-02 1A true, "
		     "D2 2024-04-03 1A true");
	snprintf(command, sizeof(command), "rm -rf '%s' '%s'", first, second);
	assert_int_equal(system(command), 0);
}

/* What a council's partitions have been through, by PostgreSQL's counters:
 * rows inserted, updated and deleted, and scans. */
#define COUNTERS(council) "SELECT sum(n_tup_ins) || '/' || sum(n_tup_upd) || '/' || " \
	"sum(n_tup_del) || '/' || sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)) " \
	"FROM pg_stat_user_tables WHERE relname LIKE 'rec\\_%\\_" council "'"

/* A load of council 804 (and the recompute after it) reads and writes only
 * 804's partitions: 803's counters do not move while 804's do. */
static void test_load_touches_only_its_partitions(void **state)
{
	char *others_before, *own_before, *others_after, *own_after;

	/* A backend sends its counters to the shared ones when idle, at times
	 * seconds later, and surely when it exits: csperfd is stopped (its
	 * connections closed) before each reading. */
	stop_app_server();
	others_before = query(COUNTERS("803"));
	own_before = query(COUNTERS("804"));
	start_app_server();
	load_return("804", "2017");
	load_return("804", "2018");
	stop_app_server();
	own_after = query(COUNTERS("804"));
	others_after = query(COUNTERS("803"));
	assert_string_not_equal(own_after, own_before);
	assert_string_equal(others_after, others_before);
	/* The second return superseded some of the first's rows, in 804's own
	 * partitions. */
	assert_query("SELECT count(*) > 0 FROM ONLY rec_la_episode_804 WHERE NOT is_current", "t");
	free(others_before);
	free(own_before);
	free(others_after);
	free(own_after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migration_moves_existing_rows),
		cmocka_unit_test(test_new_council_gets_partitions),
		cmocka_unit_test(test_duplicates_within_a_load),
		cmocka_unit_test(test_load_touches_only_its_partitions),
	};

	return cmocka_run_group_tests_name("integration_partitions", tests, setup, teardown);
}
