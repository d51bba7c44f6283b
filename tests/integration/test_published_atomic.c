/*
 * test_published_atomic.c: an import of DfE published files is stored
 * whole or not at all, against a real PostgreSQL and csperfd: a bad cell in
 * a file's last batch, a bad file among good ones, and a stream cut short
 * all leave the published tables as they were; and a refused row is named
 * by its physical line, however many newlines quoted cells hold before it.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <csperf/scorecards.h>

#include "fixture.h"

#define FIXTURES CSPERF_FIXTURES "/dfe"
#define B1_HEADER "time_period,time_identifier,geographic_level,country_code,country_name," \
	"region_code,region_name,old_la_code,new_la_code,la_name,category,Anypoint_episodes," \
	"Anypoint_child,Started_episodes,Started_child,Ended_episodes,Ended_child," \
	"At31_episodes,awaiting_assessment\n"

static fixture_pg pg;
static fixture_server server;
static char folder[256];

/* Every published table, as one md5. */
static char *published_tables(void)
{
	char *r = fixture_pg_query(&pg,
		"SELECT md5((SELECT coalesce(string_agg(c::text, '|' ORDER BY c::text), '') "
		"FROM comparator c) || (SELECT coalesce(string_agg(n::text, '|' ORDER BY n::text), '') "
		"FROM dfe_neighbour n) || (SELECT coalesce(string_agg(l::text, '|' ORDER BY l::text), "
		"'') FROM dfe_local_authority l))");

	assert_non_null(r);
	return r;
}

static void assert_count(const char *expected, const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	if (strcmp(r, expected) != 0)
		fail_msg("%s: expected %s, got %s", sql, expected, r);
	free(r);
}

/* csperf comparators import FILES: its exit status; its stderr in *err. */
static int import(char **err, const char *file1, const char *file2)
{
	const char *argv[] = { CSPERF_CLI_PATH, "--server", server.address, "comparators",
			       "import", file1, file2, NULL };
	char token_env[256], *out = NULL;
	const char *env[] = { token_env, NULL };
	int rc;

	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", server.token);
	rc = fixture_run(argv, env, &out, err, 300);
	free(out);
	return rc;
}

/* A B1 file of `rows` LA rows (LA codes X0001 ...), the last one's
 * At31_episodes `last_cell`. */
static void write_b1(const char *path, int rows, const char *last_cell)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("\xef\xbb\xbf" B1_HEADER, f);
	for (int i = 1; i <= rows; i++)
		fprintf(f, "2024,Reporting year,Local authority,E92000001,England,E12000005,"
			"West Midlands,X%04d,E0800%04d,Council %d,Children in Need,10,10,5,5,5,5,%s,c\n",
			i, i, i, i == rows ? last_cell : "400");
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(folder, sizeof(folder), "/tmp/csperf-atomic-XXXXXX");
	if (mkdtemp(folder) == NULL)
		return -1;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);
	char path[512];

	(void)state;
	fixture_pg_destroy(&pg);
	snprintf(path, sizeof(path), "%s/big.csv", folder);
	unlink(path);
	snprintf(path, sizeof(path), "%s/quoted.csv", folder);
	unlink(path);
	rmdir(folder);
	return rc == 0 ? 0 : -1;
}

/* 4,500 rows (three batches of the CLI's 2,000), the last cell bad: nothing
 * of the first two batches is stored; mended, the file is stored whole. */
static void test_bad_last_batch_stores_nothing(void **state)
{
	char path[512], *before, *after, *err = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/big.csv", folder);
	write_b1(path, 4500, "n/a");
	before = published_tables();
	assert_int_equal(import(&err, path, NULL), 5);
	/* Line 1 is the header: row 4,500 is line 4,501. */
	if (strstr(err, "big.csv line 4501: field At31_episodes value \"n/a\" is neither a number "
		   "nor a DfE symbol") == NULL)
		fail_msg("unexpected error: %s", err);
	free(err);
	after = published_tables();
	assert_string_equal(before, after);
	free(after);
	assert_count("0", "SELECT count(*) FROM comparator WHERE area LIKE 'X%'");

	write_b1(path, 4500, "400");
	assert_int_equal(import(&err, path, NULL), 0);
	free(err);
	assert_count("4500", "SELECT count(*) FROM comparator WHERE area LIKE 'X%' AND "
		     "indicator_id = (SELECT indicator_id FROM comparator WHERE area = 'X0001' "
		     "ORDER BY indicator_id LIMIT 1)");
	free(before);
}

/* A good file and a bad one in one command: neither is stored. */
static void test_bad_file_among_good_stores_nothing(void **state)
{
	char *before, *after, *err = NULL;

	(void)state;
	before = published_tables();
	assert_int_equal(import(&err, FIXTURES "/la_cla_placement_stability_small.csv",
			       FIXTURES "/b1_children_in_need_bad_cell.csv"), 5);
	assert_non_null(strstr(err, "b1_children_in_need_bad_cell.csv line 3: field At31_episodes"));
	assert_non_null(strstr(err, "nothing was stored"));
	free(err);
	after = published_tables();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Quoted cells holding newlines and a blank line: the bad row is named by
 * its physical line. */
static void test_error_names_the_physical_line(void **state)
{
	char path[512], *err = NULL;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/quoted.csv", folder);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(B1_HEADER, f);
	fputs("2024,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,"
	      "Q01,E08000001,\"Council\r\nof\r\nQ\",Children in Need,10,10,5,5,5,5,400,c\r\n", f);
	fputs("\r\n", f);
	fputs("2024,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,"
	      "Q02,E08000002,Q two,Children in Need,10,10,5,5,5,5,oops,c\r\n", f);
	assert_int_equal(fclose(f), 0);
	/* Header 1; the first row lines 2 to 4; a blank line 5 (libcsv skips
	 * it); the bad row line 6 (record 3). */
	assert_int_equal(import(&err, path, NULL), 5);
	if (strstr(err, "quoted.csv line 6: field At31_episodes value \"oops\"") == NULL)
		fail_msg("unexpected error: %s", err);
	free(err);
}

/* The SDK: an import freed before it is finished (a stream cut short)
 * stores nothing; the same batch finished is stored. */
static void test_stream_cut_short_stores_nothing(void **state)
{
	static const char *const columns[] = {
		"time_period", "time_identifier", "geographic_level", "country_code",
		"country_name", "region_code", "region_name", "old_la_code", "new_la_code",
		"la_name", "category", "Anypoint_episodes", "Anypoint_child", "Started_episodes",
		"Started_child", "Ended_episodes", "Ended_child", "At31_episodes",
		"awaiting_assessment" };
	static const char *const cells[] = {
		"2024", "Reporting year", "Local authority", "E92000001", "England", "E12000005",
		"West Midlands", "Z01", "E08000099", "Zed", "Children in Need", "10", "10", "5",
		"5", "5", "5", "321", "c" };
	const unsigned int lines[] = { 2 };
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_published_batch batch = { "zed.csv", "2024", 19, columns, 1, lines, cells };
	csperf_client *client = NULL;
	csperf_import *imp = NULL;
	csperf_import_summary sums[2];
	size_t nsums = 0;
	char *before, *after;

	(void)state;
	options.server = server.address;
	options.token = server.token;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	before = published_tables();
	assert_int_equal(csperf_comparators_import_begin(client, 0, &imp), CSPERF_OK);
	assert_int_equal(csperf_comparators_import_add(imp, &batch), CSPERF_OK);
	assert_int_equal(csperf_comparators_import_add(imp, &batch), CSPERF_OK);
	usleep(300 * 1000);             /* both batches reach csperfd */
	csperf_comparators_import_free(imp);
	usleep(300 * 1000);             /* csperfd sees the stream end */
	after = published_tables();
	assert_string_equal(before, after);
	free(after);

	assert_int_equal(csperf_comparators_import_begin(client, 0, &imp), CSPERF_OK);
	assert_int_equal(csperf_comparators_import_add(imp, &batch), CSPERF_OK);
	assert_int_equal(csperf_comparators_import_finish(imp, sums, 2, &nsums), CSPERF_OK);
	csperf_comparators_import_free(imp);
	assert_int_equal(nsums, 1);
	assert_string_equal(sums[0].file_name, "zed.csv");
	assert_string_equal(sums[0].kind, "cin_b1");
	assert_true(sums[0].figures_new > 0);
	assert_count("321", "SELECT value::int FROM comparator WHERE area = 'Z01' AND "
		     "value = 321 LIMIT 1");
	free(before);
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_last_batch_stores_nothing),
		cmocka_unit_test(test_bad_file_among_good_stores_nothing),
		cmocka_unit_test(test_error_names_the_physical_line),
		cmocka_unit_test(test_stream_cut_short_stores_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
