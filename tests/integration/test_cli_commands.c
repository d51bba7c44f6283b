/*
 * test_cli_commands.c: the csperf commands no other test ran (issue 22's
 * untested list), end to end against a real csperfd: health, indicators
 * (list, --stage, show, --history, put), series, exceptions, cases (its
 * rows number the figure's numerator), annex-a (its files), comparators
 * load (a good file and a bad line), and load saying its figures are
 * computed. JSON output is read where a command has it.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

#define COUNCIL "975"
#define CONTACTS 90

static fixture_pg pg;
static fixture_server server;
static char server_env[128], dir[256];

typedef struct cli_result {
	int status;
	char *out, *err;
	json_t *json;
} cli_result;

/* Runs `csperf ARGS...`; its JSON when it printed some. */
static cli_result cli(const char *const *args)
{
	const char *argv[32] = { CSPERF_CLI_PATH, "--timeout", "120" };
	const char *env[2] = { server_env, NULL };
	size_t n = 3;
	cli_result r;

	for (size_t i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	r.status = fixture_run(argv, env, &r.out, &r.err, 300);
	r.json = r.out != NULL && (r.out[0] == '{' || r.out[0] == '[')
		? json_loads(r.out, 0, NULL) : NULL;
	if (r.status != 0)
		fprintf(stderr, "csperf %s: exit %d: %s\n", args[0], r.status,
			r.err != NULL ? r.err : "");
	return r;
}

static void cli_free(cli_result *r)
{
	json_decref(r->json);
	free(r->out);
	free(r->err);
}

static void write_file(const char *name, const char *text, char *path, size_t size)
{
	FILE *f;

	snprintf(path, size, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[400];
	FILE *f;
	cli_result r;

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0 ||
	    fixture_mkdtemp(dir, sizeof(dir), "csperf-cli") != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	/* Contacts in April to June 2019, a third of them RED. */
	snprintf(path, sizeof(path), "%s/contacts.csv", dir);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "contact_date,child_id,rag_rating\n");
	for (int i = 0; i < CONTACTS; i++)
		fprintf(f, "2019-%02d-%02d,C%05d,%s\n", 4 + i % 3, 1 + i % 28, i,
			i % 3 == 0 ? "RED" : "GREEN");
	fclose(f);
	r = cli((const char *const[]){ "-o", "json", "load", "--council", COUNCIL, "--format", "csv",
				       path, NULL });
	if (r.status != 0 || r.json == NULL ||
	    strcmp(json_string_value(json_object_get(r.json, "figures")), "computed") != 0) {
		fprintf(stderr, "setup: the load: %s\n", r.out != NULL ? r.out : "");
		cli_free(&r);
		return -1;
	}
	cli_free(&r);
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 60);
	char command[400];

	(void)state;
	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	if (system(command) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

static void test_health(void **state)
{
	cli_result r = cli((const char *const[]){ "health", NULL });

	(void)state;
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "SERVING"));
	assert_null(strstr(r.out, "NOT_SERVING"));
	cli_free(&r);
}

/* The JSON array of a command's output, or of its first array member. */
static json_t *array_of(json_t *json)
{
	const char *key;
	json_t *value;

	if (json_is_array(json))
		return json;
	json_object_foreach(json, key, value)
		if (json_is_array(value))
			return value;
	return NULL;
}

static void test_indicators(void **state)
{
	cli_result all = cli((const char *const[]){ "-f", "json", "indicators", "list", NULL });
	cli_result front = cli((const char *const[]){ "-f", "json", "indicators", "list", "--stage",
						      "front_door", NULL });
	json_t *items, *item;
	size_t i, in_all = 0;
	char path[400];

	(void)state;
	assert_int_equal(all.status, 0);
	assert_int_equal(front.status, 0);
	items = array_of(front.json);
	assert_non_null(items);
	assert_true(json_array_size(items) > 0);
	json_array_foreach(items, i, item)
		assert_string_equal(json_string_value(json_object_get(item, "stage")), "front_door");
	json_array_foreach(array_of(all.json), i, item)
		in_all += strcmp(json_string_value(json_object_get(item, "stage")), "front_door") == 0;
	assert_int_equal(in_all, json_array_size(items));
	assert_true(json_array_size(array_of(all.json)) > in_all);
	cli_free(&all);
	cli_free(&front);

	write_file("zc01.json", "{\"indicator_id\": \"ZC01\", \"title\": \"Red contacts (CLI test)\", "
		   "\"stage\": \"front_door\", \"unit\": \"count\", \"polarity\": \"down\", "
		   "\"kind\": \"count\", \"params\": {\"record\": \"contact\", \"date\": "
		   "\"contact_date\", \"where\": [{\"field\": \"rag_rating\", \"in\": [\"RED\"]}]}, "
		   "\"definition\": \"Contacts rated red.\"}", path, sizeof(path));
	for (int put = 0; put < 2; put++) {
		cli_result r = cli((const char *const[]){ "indicators", "put", path, NULL });

		assert_int_equal(r.status, 0);
		cli_free(&r);
	}
	{
		cli_result shown = cli((const char *const[]){ "-f", "json", "indicators", "show", "ZC01",
							      "--history", NULL });
		assert_int_equal(shown.status, 0);
		assert_non_null(strstr(shown.out, "Red contacts (CLI test)"));
		/* Both versions, the current one first. */
		assert_non_null(strstr(shown.out, "\"version\": 2"));
		assert_non_null(strstr(shown.out, "\"version\": 1"));
		assert_true(strstr(shown.out, "\"version\": 2") < strstr(shown.out, "\"version\": 1"));
		cli_free(&shown);
	}
	{
		cli_result missing = cli((const char *const[]){ "indicators", "show", "ZZ99", NULL });

		assert_int_not_equal(missing.status, 0);
		cli_free(&missing);
	}
}

/* Whether a CSV output has a line that reads `expected` once its quotes
 * are taken out. */
static bool has_line(const char *csv, const char *expected)
{
	char line[256];
	size_t n = 0;

	for (const char *p = csv;; p++) {
		if (*p == '\n' || *p == '\0') {
			line[n] = '\0';
			if (strcmp(line, expected) == 0)
				return true;
			n = 0;
			if (*p == '\0')
				return false;
		} else if (*p != '"' && *p != '\r' && n + 1 < sizeof(line)) {
			line[n++] = *p;
		}
	}
}

/* ZC01 (red contacts) by month: every third contact is red, and all of
 * them fall in April 2019. */
static void test_series(void **state)
{
	cli_result r = cli((const char *const[]){ "-f", "csv", "series", "--council", COUNCIL,
						  "--indicator", "ZC01", "--type", "month", NULL });

	(void)state;
	assert_int_equal(r.status, 0);
	assert_true(has_line(r.out, "2019-04,,30,,30,false"));
	assert_true(has_line(r.out, "2019-05,,0,,0,false"));
	assert_true(has_line(r.out, "2019-06,,0,,0,true"));
	cli_free(&r);
}

static void test_exceptions(void **state)
{
	cli_result r = cli((const char *const[]){ "exceptions", "--council", COUNCIL, "--period",
						  "2019-20:Q1", NULL });
	cli_result bad = cli((const char *const[]){ "exceptions", "--council", COUNCIL, "--period",
						    "2019-20:Q9", NULL });

	(void)state;
	assert_int_equal(r.status, 0);
	assert_int_not_equal(bad.status, 0);
	cli_free(&r);
	cli_free(&bad);
}

/* The rows behind ZC01's Q1 figure number its numerator: 30 red contacts. */
static void test_cases(void **state)
{
	cli_result r = cli((const char *const[]){ "-f", "csv", "cases", "--council", COUNCIL,
						  "--indicator", "ZC01", "--period", "2019-20:Q1",
						  "--part", "numerator", NULL });
	int rows = 0;

	(void)state;
	assert_int_equal(r.status, 0);
	for (const char *p = strchr(r.out, '\n'); p != NULL && p[1] != '\0'; p = strchr(p + 1, '\n'))
		rows++;
	assert_int_equal(rows, CONTACTS / 3);
	cli_free(&r);
}

static void test_annex_a(void **state)
{
	char out[400];
	cli_result r;
	int files = 0;

	(void)state;
	snprintf(out, sizeof(out), "%s/annex-a", dir);
	r = cli((const char *const[]){ "annex-a", "--council", COUNCIL, "--as-at", "2019-07-01",
				       "--out", out, NULL });
	assert_int_equal(r.status, 0);
	for (int list = 1; list <= 10; list++) {
		char command[600], count[32] = "";
		FILE *p;

		snprintf(command, sizeof(command), "ls '%s' | grep -c '^%02d_.*\\.csv$'", out, list);
		p = popen(command, "r");
		assert_non_null(p);
		assert_non_null(fgets(count, sizeof(count), p));
		pclose(p);
		files += atoi(count) == 1;
	}
	assert_int_equal(files, 10);
	cli_free(&r);
}

static void test_comparators(void **state)
{
	char good[400], bad[400];
	cli_result ok, refused;

	(void)state;
	write_file("good.csv", "indicator_id,area_type,area,period,value,source\n"
		   "FD01,england,England,2018-19,1000,DfE test\n"
		   "FD01,region,West Midlands,2018-19,900.5,DfE test\n", good, sizeof(good));
	write_file("bad.csv", "indicator_id,area_type,area,period,value,source\n"
		   "FD01,england,England,2018-19,1000,DfE test\n"
		   "FD01,planet,Mars,2018-19,not-a-number,DfE test\n", bad, sizeof(bad));
	ok = cli((const char *const[]){ "comparators", "load", good, NULL });
	assert_int_equal(ok.status, 0);
	refused = cli((const char *const[]){ "comparators", "load", bad, NULL });
	assert_int_not_equal(refused.status, 0);
	/* The bad line is named. */
	assert_true(strstr(refused.err, "3") != NULL || strstr(refused.out, "3") != NULL);
	cli_free(&ok);
	cli_free(&refused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_indicators),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_annex_a),
		cmocka_unit_test(test_comparators),
	};

	return cmocka_run_group_tests_name("integration_cli_commands", tests, setup, teardown);
}
