/*
 * test_validate.c: the DfE's validation rules end to end, as a user meets
 * them: `csperf validate` on files, `csperf load --require-valid` refusing a
 * return that fails a rule (and loading it without), and `csperf validate
 * --council` asking a real csperfd (ValidateRecords) to validate a council's
 * stored records across returns, where an overlap between two years' files
 * shows that neither file shows alone.
 */
#include <jansson.h>
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

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

static fixture_pg pg;
static fixture_server server;
static char server_env[96], token_env[192];
static char dir[256];

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

#define HEADER "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
#define EPISODES "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"

/* Three returns of council 975:
 *   2019: V1 looked after from May 2018 until 1 March 2019; clean.
 *   2020: V1 again from 1 February 2019, so before the 2019 return's episode
 *         ended: clean alone (its first episode began before the year), 501
 *         across returns;
 *   bad/2020: W2's second episode starts while the first is open (501, with
 *         431 as the DfE's rules have it). */
static int make_returns(void)
{
	char path[512];
	if (fixture_mkdtemp(dir, sizeof(dir), "csperf-validate") != 0)
		return -1;
	const char *dirs[] = { "2019", "2020", "bad", "bad/2020" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
		if (mkdir(path, 0700) != 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/2019/header.csv", dir);
	if (write_file(path, HEADER "V1,1,01/02/2010,WBRI,,,\n") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/2019/episodes.csv", dir);
	if (write_file(path, EPISODES "V1,01/05/2018,S,C2,N1,U3,PR1,01/03/2019,E8,,,,\n") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/2020/header.csv", dir);
	if (write_file(path, HEADER "V1,1,01/02/2010,WBRI,,,\n") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/2020/episodes.csv", dir);
	if (write_file(path, EPISODES "V1,01/02/2019,S,C2,N1,U3,PR1,,,,,,\n") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/bad/2020/header.csv", dir);
	if (write_file(path, HEADER "W2,2,01/02/2011,WBRI,,,\n") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/bad/2020/episodes.csv", dir);
	return write_file(path, EPISODES
		"W2,01/05/2019,S,C2,N1,U3,PR1,01/07/2019,E8,,,,\n"
		"W2,01/06/2019,S,C2,N1,U3,PR1,,,,,,\n");
}

static int setup(void **state)
{
	(void)state;
	if (make_returns() != 0 || fixture_pg_start(&pg) != 0 ||
	    fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", server.token);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int rc = fixture_server_stop(&server, SIGTERM, 30);
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

typedef struct cli_result {
	int status;
	json_t *json;
	char *out, *err;
} cli_result;

static cli_result run(const char *const *args)
{
	const char *argv[32] = { CSPERF_CLI_PATH };
	const char *env[3] = { server_env, token_env, NULL };
	size_t n = 1;
	cli_result r;
	json_error_t error;

	for (size_t i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	r.status = fixture_run(argv, env, &r.out, &r.err, 300);
	r.json = r.out != NULL && r.out[0] == '{' ? json_loads(r.out, 0, &error) : NULL;
	return r;
}

static void cli_free(cli_result *r)
{
	json_decref(r->json);
	free(r->out);
	free(r->err);
}

/* The rule codes of a JSON listing's rows, space-separated, in order. */
static void codes_of(const json_t *json, const char *key, char *out, size_t size)
{
	size_t i;
	json_t *row;
	out[0] = '\0';
	json_array_foreach(json_object_get(json, "rows"), i, row)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " " : "",
			 json_string_value(json_object_get(row, key)));
}

static long count_rows(const char *sql)
{
	char *value = fixture_pg_query(&pg, sql);
	long n;
	assert_non_null(value);
	n = atol(value);
	free(value);
	return n;
}

static void test_list_rules(void **state)
{
	(void)state;
	cli_result r = run((const char *[]){ "validate", "--list-rules", "-o", "json", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(r.json);
	assert_true(json_array_size(json_object_get(r.json, "rows")) >= 100);
	json_t *first = json_array_get(json_object_get(r.json, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "code")), "119");
	assert_non_null(json_object_get(first, "years"));
	assert_non_null(json_object_get(first, "source"));
	cli_free(&r);
	r = run((const char *[]){ "validate", "--list-rules", "--format", "cin-xml", "-o", "csv", NULL });
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "ssda903"));
	assert_non_null(strstr(r.out, "8840"));
	cli_free(&r);
}

static void test_validate_files(void **state)
{
	(void)state;
	char path[512], codes[256];

	snprintf(path, sizeof(path), "%s/bad/2020", dir);
	cli_result r = run((const char *[]){ "validate", "--format", "ssda903", path, "-o", "json", NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(r.json);
	codes_of(r.json, "rule", codes, sizeof(codes));
	assert_string_equal(codes, "431 501");
	json_t *row = json_array_get(json_object_get(r.json, "rows"), 1);
	assert_string_equal(json_string_value(json_object_get(row, "child_id")), "W2");
	assert_string_equal(json_string_value(json_object_get(row, "record_type")), "la_episode");
	assert_int_equal(json_integer_value(json_object_get(row, "line")), 3);
	assert_string_equal(json_string_value(json_object_get(row, "fields")), "DECOM DEC");
	cli_free(&r);

	/* one rule only, as CSV */
	r = run((const char *[]){ "validate", "--format", "ssda903", "--rule", "501", path, "-o", "csv", NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(strstr(r.out, "\"child_id\",\"rule\",\"record_type\",\"file\",\"line\",\"fields\",\"message\""));
	assert_null(strstr(r.out, "431"));
	cli_free(&r);

	/* each clean return alone passes */
	snprintf(path, sizeof(path), "%s/2020", dir);
	r = run((const char *[]){ "validate", "--format", "ssda903", path, NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0 failures"));
	cli_free(&r);

	/* no year anywhere */
	snprintf(path, sizeof(path), "%s/bad/2020/episodes.csv", dir);
	char copy[512];
	snprintf(copy, sizeof(copy), "%s/bad/episodes.csv", dir);
	assert_int_equal(link(path, copy), 0);
	r = run((const char *[]){ "validate", "--format", "ssda903", copy, NULL });
	assert_int_equal(r.status, 6);
	assert_non_null(strstr(r.err, "--year"));
	cli_free(&r);
}

static void test_require_valid_refuses_and_default_loads(void **state)
{
	(void)state;
	char path[512];

	snprintf(path, sizeof(path), "%s/bad/2020", dir);
	cli_result r = run((const char *[]){ "load", "--council", "975", "--council-name", "Walsall",
		"--nation", "england", "--format", "ssda903", "--require-valid", path, NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(strstr(r.err, "nothing loaded"));
	cli_free(&r);
	assert_int_equal(count_rows("SELECT count(*) FROM load"), 0);

	r = run((const char *[]){ "load", "--council", "975", "--council-name", "Walsall",
		"--nation", "england", "--format", "ssda903", path, NULL });
	assert_int_equal(r.status, 0);
	cli_free(&r);
	assert_int_equal(count_rows("SELECT count(*) FROM la_episode WHERE council = '975'"), 2);
}

static void test_validate_stored_records_across_returns(void **state)
{
	(void)state;
	char path[512], codes[256];

	for (int year = 2019; year <= 2020; year++) {
		snprintf(path, sizeof(path), "%s/%d", dir, year);
		cli_result r = run((const char *[]){ "-o", "json", "load", "--council", "975",
			"--format", "ssda903", "--require-valid", path, NULL });
		assert_int_equal(r.status, 0);
		/* a return that passes prints the load's summary alone: one JSON
		 * document */
		assert_non_null(r.json);
		assert_non_null(json_object_get(r.json, "load_id"));
		cli_free(&r);
	}
	cli_result r = run((const char *[]){ "validate", "--council", "975", "--year", "2020",
		"-o", "json", NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(r.json);
	codes_of(r.json, "rule", codes, sizeof(codes));
	/* V1 across the two returns (its second episode starts, as a new
	 * period of care, before the first ended: 431 and 501); W2 from the bad
	 * return loaded above */
	assert_string_equal(codes, "431 501 431 501");
	char children[64];
	codes_of(r.json, "child_id", children, sizeof(children));
	assert_string_equal(children, "V1 V1 W2 W2");
	json_t *row = json_array_get(json_object_get(r.json, "rows"), 0);
	assert_true(json_integer_value(json_object_get(row, "load_id")) > 0);
	/* episodes.csv comes before header.csv: the episode is the load's first */
	assert_int_equal(json_integer_value(json_object_get(row, "record_no")), 1);
	cli_free(&r);

	/* only the CIN census's rules: nothing to say about episodes */
	r = run((const char *[]){ "validate", "--council", "975", "--year", "2020", "--format",
		"cin-xml", NULL });
	assert_int_equal(r.status, 0);
	cli_free(&r);

	/* a bad argument is refused with a reason */
	r = run((const char *[]){ "validate", "--council", "975", "--year", "2020", "--rule",
		"nope", NULL });
	assert_int_equal(r.status, 1);
	cli_free(&r);
}

/* The scorecard row of a figure that rests on records failing a rule that
 * decides it says so; one that none decides says nothing. */
static void test_scorecard_rows_say_failing_records(void **state)
{
	(void)state;
	cli_result r = run((const char *[]){ "-f", "json", "scorecard", "--council", "975",
		"--period", "2019-20", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(r.json);
	json_t *la01 = NULL, *fd01 = NULL, *row;
	size_t i;
	json_array_foreach(json_object_get(r.json, "rows"), i, row) {
		const char *id = json_string_value(json_object_get(row, "indicator_id"));
		if (strcmp(id, "LA01") == 0)
			la01 = row;
		if (strcmp(id, "FD01") == 0)
			fd01 = row;
	}
	assert_non_null(la01);
	assert_non_null(fd01);
	/* V1's second episode and W2's, each failing 501 (dates that decide who
	 * is looked after) and 431 (a period of care's start, which decides
	 * placement stability, LA05 and LA06, not LA01) */
	assert_int_equal(json_integer_value(json_object_get(la01, "failing_records")), 2);
	assert_string_equal(json_string_value(json_object_get(la01, "failing_rules")), "501");
	assert_int_equal(json_integer_value(json_object_get(fd01, "failing_records")), 0);
	assert_string_equal(json_string_value(json_object_get(fd01, "failing_rules")), "");
	cli_free(&r);
	/* the stored counts themselves */
	assert_int_equal(count_rows("SELECT failing_records FROM indicator_quality "
		"WHERE council = '975' AND indicator_id = 'LA01'"), 2);
	assert_int_equal(count_rows("SELECT collection_year FROM indicator_quality "
		"WHERE council = '975' AND indicator_id = 'LA01'"), 2020);
	char *rules = fixture_pg_query(&pg, "SELECT rules FROM indicator_quality "
		"WHERE council = '975' AND indicator_id = 'LA06'");
	assert_non_null(rules);
	assert_string_equal(rules, "431 501");
	free(rules);
}

/* The committee report's "Data quality" section lists the figures that rest
 * on failing records, with the DfE's rule and message, and names no child. */
static void test_report_data_quality(void **state)
{
	(void)state;
	char path[512];

	snprintf(path, sizeof(path), "%s/committee.html", dir);
	cli_result r = run((const char *[]){ "report", "--council", "975", "--period", "2019-20",
		"--out", path, NULL });
	assert_int_equal(r.status, 0);
	cli_free(&r);
	char *html = fixture_read_file(path);
	assert_non_null(html);
	const char *section = strstr(html, "id=\"data-quality\"");
	assert_non_null(section);
	const char *end = strstr(section, "</section>");
	assert_non_null(end);
	char *quality = strndup(section, (size_t)(end - section));
	assert_non_null(strstr(quality, "<h2>Data quality</h2>"));
	assert_non_null(strstr(quality, "LA01 "));
	assert_non_null(strstr(quality, "<b>501</b> A new episode has started before the end date "
		"of the previous episode."));
	assert_non_null(strstr(quality, "csperf validate --council 975 --year 2020"));
	assert_null(strstr(quality, "V1"));
	assert_null(strstr(quality, "W2"));
	/* before the stages, after the exceptions */
	assert_true(strstr(html, "id=\"exceptions\"") < section);
	free(quality);
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_rules),
		cmocka_unit_test(test_validate_files),
		cmocka_unit_test(test_require_valid_refuses_and_default_loads),
		cmocka_unit_test(test_validate_stored_records_across_returns),
		cmocka_unit_test(test_scorecard_rows_say_failing_records),
		cmocka_unit_test(test_report_data_quality),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
