/*
 * test_loads.c: loading journey records end to end, as a user does: the
 * csperf tool reads the files and streams them to a real csperfd on a
 * throwaway PostgreSQL. Checks the exact counts on the shared SSDA903 and
 * CIN census samples, that bad input changes nothing, that successive
 * returns give one version of each record, that the same load twice stores
 * nothing more, and that deleting a load restores the earlier state exactly.
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

#include "../require_all.h"

#include <csperf/loads.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

static fixture_pg pg;
static fixture_server server;
static char server_env[96];

static int setup(void **state)
{
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

typedef struct cli_result {
	int status;
	json_t *json;   /* the summary, when the tool printed one */
	char *out, *err;
} cli_result;

/* Runs `csperf -o json load ARGS...` and parses its summary. */
static cli_result run_load(const char *const *args)
{
	const char *argv[32] = { CSPERF_CLI_PATH, "-o", "json", "load" };
	const char *env[2] = { server_env, NULL };
	size_t n = 4;
	cli_result r;
	json_error_t error;

	for (size_t i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	r.status = fixture_run(argv, env, &r.out, &r.err, 300);
	r.json = r.out != NULL && r.out[0] == '{' ? json_loads(r.out, 0, &error) : NULL;
	return r;
}

static void cli_result_free(cli_result *r)
{
	json_decref(r->json);
	free(r->out);
	free(r->err);
}

static json_int_t json_int(const json_t *object, const char *key)
{
	return json_integer_value(json_object_get(object, key));
}

/* accepted (or rejected) count of one type in a summary; -1 if absent. */
static json_int_t type_count(const json_t *summary, const char *type, const char *which)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(summary, "counts"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "type")), type) == 0)
			return json_int(c, which);
	return -1;
}

/* The rejection of a file's line, or NULL. */
static json_t *rejection_at(const json_t *summary, const char *file, json_int_t line)
{
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(summary, "rejections"), i, r)
		if (strcmp(json_string_value(json_object_get(r, "file")), file) == 0 &&
		    json_int(r, "line") == line)
			return r;
	return NULL;
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

static bool have_shared_data(void)
{
	struct stat sb;

	if (stat(CSPERF_SHARED_DATA "/ssda903-fake/episodes.csv", &sb) == 0)
		return true;
	printf("skipped: %s is absent (it is beside the repository in CI)\n", CSPERF_SHARED_DATA);
	return false;
}

/* The counts on the shared SSDA903 sample, each rejection looked at by hand:
 * oc3 (F3/P3 activity and 01/02 accommodation codes retired from the return),
 * ad1 (number of adopters that contradicts their sexes), placed for adoption
 * (reason ceased XXX, in both files), and 14 reviews that repeat an earlier
 * review of the same child on the same day. */
static void test_shared_ssda903_exact_counts(void **state)
{
	static const struct { const char *type; long accepted, rejected; } expected[] = {
		{ "child", 2675, 0 }, { "la_episode", 5050, 0 }, { "la_review", 12568, 14 },
		{ "health", 2675, 0 }, { "missing", 43, 0 }, { "care_leaver", 39, 14 },
		{ "adoption", 17, 12 }, { "placed_for_adoption", 0, 59 },
		{ "previous_permanence", 2675, 0 }, { "uasc", 132, 0 },
	};
	char *before;
	cli_result r;
	json_t *rej;

	if (!have_shared_data())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	before = fixture_pg_fingerprint(&pg);
	assert_non_null(before);

	/* Atomic (the default): rejections, and nothing stored. */
	r = run_load((const char *const[]){ "--council", "975", "--format", "ssda903", "--year",
		"2018", CSPERF_SHARED_DATA "/ssda903-fake", NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(r.json);
	assert_false(json_is_true(json_object_get(r.json, "stored")));
	assert_int_equal(json_int(r.json, "load_id"), 0);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		assert_int_equal(type_count(r.json, expected[i].type, "accepted"), expected[i].accepted);
		assert_int_equal(type_count(r.json, expected[i].type, "rejected"), expected[i].rejected);
	}
	assert_int_equal(json_int(r.json, "rejected"), 99);
	assert_int_equal(json_int(r.json, "rejections_total"), 99);
	rej = rejection_at(r.json, "oc3.csv", 3);
	assert_non_null(rej);
	assert_string_equal(json_string_value(json_object_get(rej, "field")), "ACTIV");
	assert_string_equal(json_string_value(json_object_get(rej, "value")), "P3");
	rej = rejection_at(r.json, "reviews.csv", 2825);
	assert_non_null(rej);
	assert_non_null(strstr(json_string_value(json_object_get(rej, "reason")),
				"the same la_review as record"));
	assert_non_null(strstr(r.err, "sw_episodes.csv: skipped"));
	{
		char *after = fixture_pg_fingerprint(&pg);

		assert_non_null(after);
		assert_string_equal(before, after);
		free(after);
	}
	cli_result_free(&r);

	/* --accept-valid: the valid records are stored, the rest reported. */
	r = run_load((const char *const[]){ "--council", "975", "--format", "ssda903", "--year",
		"2018", "--accept-valid", CSPERF_SHARED_DATA "/ssda903-fake", NULL });
	assert_int_equal(r.status, 5);
	assert_true(json_is_true(json_object_get(r.json, "stored")));
	assert_true(json_int(r.json, "load_id") > 0);
	assert_int_equal(json_int(r.json, "accepted"), 25874);
	assert_int_equal(count_rows("SELECT count(*) FROM la_episode WHERE council = '975'"), 5050);
	assert_int_equal(count_rows("SELECT count(*) FROM la_review WHERE council = '975'"), 12568);
	assert_int_equal(count_rows("SELECT count(*) FROM placed_for_adoption WHERE council = '975'"), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM child WHERE council = '975'"), 2675);
	free(before);
	before = fixture_pg_fingerprint(&pg);
	assert_non_null(before);
	cli_result_free(&r);

	/* The same files again: the first summary, and nothing more stored. */
	r = run_load((const char *const[]){ "--council", "975", "--format", "ssda903", "--year",
		"2018", "--accept-valid", CSPERF_SHARED_DATA "/ssda903-fake", NULL });
	assert_true(json_is_true(json_object_get(r.json, "replayed")));
	assert_int_equal(json_int(r.json, "accepted"), 25874);
	{
		char *after = fixture_pg_fingerprint(&pg);

		assert_non_null(after);
		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	cli_result_free(&r);
}

static void test_shared_cin_census_exact_counts(void **state)
{
	cli_result r;
	json_t *rej;

	if (!have_shared_data())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	r = run_load((const char *const[]){ "--council", "976", "--format", "cin-xml",
		CSPERF_SHARED_DATA "/cin-census-fake/fake_CIN_data.xml", NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(r.json);
	assert_int_equal(type_count(r.json, "child", "accepted"), 327);
	assert_int_equal(type_count(r.json, "child", "rejected"), 5);
	assert_int_equal(type_count(r.json, "referral", "accepted"), 402);
	assert_int_equal(type_count(r.json, "referral", "rejected"), 0);
	/* Each of the five repeats a disability code. */
	rej = json_array_get(json_object_get(r.json, "rejections"), 0);
	assert_string_equal(json_string_value(json_object_get(rej, "type")), "child");
	assert_non_null(strstr(json_string_value(json_object_get(rej, "reason")), " twice"));
	assert_int_equal(count_rows("SELECT count(*) FROM referral WHERE council = '976'"), 0);
	cli_result_free(&r);

	r = run_load((const char *const[]){ "--council", "976", "--format", "cin-xml",
		"--accept-valid", CSPERF_SHARED_DATA "/cin-census-fake/fake_CIN_data.xml", NULL });
	assert_true(json_is_true(json_object_get(r.json, "stored")));
	assert_int_equal(count_rows("SELECT count(*) FROM referral WHERE council = '976'"), 402);
	assert_int_equal(count_rows("SELECT count(*) FROM child WHERE council = '976'"), 327);
	cli_result_free(&r);
}

/* A bad date, an unknown code, a missing required field, each named by file,
 * line, field and value, and the database untouched. */
static void test_bad_rows_are_named_and_nothing_is_stored(void **state)
{
	char *before = fixture_pg_fingerprint(&pg), *after;

	assert_non_null(before);
	cli_result r = run_load((const char *const[]){ "--council", "977", "--format", "ssda903",
		CSPERF_FIXTURES "/ssda903_episodes_messy.csv", NULL });
	json_t *rej;

	assert_int_equal(r.status, 5);
	assert_non_null(r.json);
	rej = rejection_at(r.json, "ssda903_episodes_messy.csv", 5);
	assert_non_null(rej);
	assert_string_equal(json_string_value(json_object_get(rej, "field")), "DECOM");
	assert_string_equal(json_string_value(json_object_get(rej, "value")), "31/02/2018");
	assert_string_equal(json_string_value(json_object_get(rej, "reason")),
			    "DECOM 31/02/2018 is not a date");
	rej = rejection_at(r.json, "ssda903_episodes_messy.csv", 6);
	assert_non_null(rej);
	assert_string_equal(json_string_value(json_object_get(rej, "field")), "LS");
	assert_string_equal(json_string_value(json_object_get(rej, "value")), "C9");
	assert_non_null(strstr(json_string_value(json_object_get(rej, "reason")),
				"is not a legal status code"));
	rej = rejection_at(r.json, "ssda903_episodes_messy.csv", 7);
	assert_non_null(rej);
	assert_string_equal(json_string_value(json_object_get(rej, "reason")), "CHILD is required");
	after = fixture_pg_fingerprint(&pg);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(after);
	cli_result_free(&r);

	/* A truncated XML file and a CSV with the wrong header fail the whole
	 * file, naming it, its line and the element or column. */
	r = run_load((const char *const[]){ "--council", "977", "--format", "cin-xml",
		CSPERF_FIXTURES "/cin_truncated.xml", NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(strstr(r.err, "cin_truncated.xml line "));
	assert_non_null(strstr(r.err, "(nothing was loaded)"));
	cli_result_free(&r);
	r = run_load((const char *const[]){ "--council", "977", "--format", "ssda903",
		CSPERF_FIXTURES "/ssda903_episodes_no_decom.csv", NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(strstr(r.err, "ssda903_episodes_no_decom.csv line 1, DECOM: "));
	cli_result_free(&r);
	after = fixture_pg_fingerprint(&pg);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(after);
	free(before);
}

static json_int_t load_return(const char *year)
{
	char path[512];
	cli_result r;
	json_int_t id;

	snprintf(path, sizeof(path), "%s/returns/%s", CSPERF_FIXTURES, year);
	r = run_load((const char *const[]){ "--council", "978", "--format", "ssda903", path, NULL });
	assert_int_equal(r.status, 0);
	assert_true(json_is_true(json_object_get(r.json, "stored")));
	id = json_int(r.json, "load_id");
	cli_result_free(&r);
	return id;
}

/* The council's computed figures, as one digest (computed_at left out). */
#define VALUES_978 "SELECT md5(string_agg(indicator_id || period || breakdown || " \
	"coalesce(value::text, '-'), '|' ORDER BY indicator_id, period, breakdown)) " \
	"FROM indicator_value WHERE council = '978'"

static char *episodes_978(void)
{
	return fixture_pg_query(&pg,
		"SELECT string_agg(child_id || ' ' || start_date || ' ' || coalesce(end_date::text, "
		"'open'), ', ' ORDER BY child_id) FROM la_episode WHERE council = '978'");
}

/* Three successive returns: each episode open at a year end appears again
 * the next year; the latest version wins, and there is one of each. Deleting
 * the last load brings back exactly the state before it. */
static void test_successive_returns_and_delete(void **state)
{
	char *episodes, *before, *after, *values_before, *values_after;
	json_int_t last;
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_load_list *list = NULL;
	uint64_t deleted = 0, restored = 0;

	load_return("2017");
	load_return("2018");
	before = fixture_pg_fingerprint(&pg);
	assert_non_null(before);
	values_before = fixture_pg_query(&pg, VALUES_978);
	last = load_return("2019");
	episodes = episodes_978();
	assert_string_equal(episodes, "A1 2016-06-01 2018-01-15, B2 2016-05-01 2016-09-01, "
				      "C3 2018-02-01 2018-06-01");
	free(episodes);
	assert_int_equal(count_rows("SELECT count(*) FROM rec_la_episode WHERE council = '978'"), 5);

	options.server = server.address;
	options.token = server.token;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	assert_int_equal(csperf_load_list_get(client, "978", 0, &list), CSPERF_OK);
	assert_int_equal(list->count, 3);
	assert_int_equal(list->loads[0].load_id, last);
	assert_int_equal(list->loads[0].accepted, 2);
	csperf_load_list_free(list);

	assert_int_equal(csperf_load_delete(client, "978", last, &deleted, &restored), CSPERF_OK);
	assert_int_equal(deleted, 2);   /* C3's episode and header of 2019 */
	assert_int_equal(restored, 2);  /* their 2018 versions */
	after = fixture_pg_fingerprint(&pg);
	assert_non_null(after);
	assert_string_equal(before, after);
	/* ... and so are the figures computed from them. */
	values_after = fixture_pg_query(&pg, VALUES_978);
	assert_non_null(values_before);
	assert_non_null(values_after);
	assert_string_equal(values_before, values_after);
	free(values_before);
	free(values_after);
	episodes = episodes_978();
	assert_string_equal(episodes, "A1 2016-06-01 2018-01-15, B2 2016-05-01 2016-09-01, "
				      "C3 2018-02-01 open");
	free(episodes);

	/* Gone is gone: another council cannot name it, nor can this one again. */
	assert_int_equal(csperf_load_delete(client, "978", last, NULL, NULL), CSPERF_ENOTFOUND);
	assert_int_equal(csperf_load_delete(client, "975", last - 1, NULL, NULL), CSPERF_ENOTFOUND);
	free(before);
	free(after);
	csperf_client_free(client);
}

/* Writes contacts.csv in dir: `rows` contacts of children C0..., each its
 * own key, but for the lines (2-based) in `repeat`, which repeat the key of
 * the line before them in `of` with another rating. */
static void write_contacts(const char *dir, int rows, const int *repeat, const int *of,
			   size_t nrepeat)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/contacts.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "child_id,contact_date,source,outcome,decision_date,rag_rating,team\n");
	for (int line = 2; line < rows + 2; line++) {
		int key = line;
		const char *rating = "GREEN";

		for (size_t i = 0; i < nrepeat; i++)
			if (repeat[i] == line) {
				key = of[i];
				rating = "RED";
			}
		fprintf(f, "C%d,2024-0%d-%02d,6,Early Help,,%s,MASH\n", key, 4 + key % 5,
			1 + key % 28, rating);
	}
	assert_int_equal(fclose(f), 0);
}

/* The reason given for a rejected line of contacts.csv. */
static const char *reason_at(const json_t *summary, json_int_t line)
{
	json_t *rej = rejection_at(summary, "contacts.csv", line);

	assert_non_null(rej);
	return json_string_value(json_object_get(rej, "reason"));
}

/* A council's first load of a type goes straight into its partition; two
 * records with one key are still each named, with the line of the first,
 * whether they are near (one chunk of the COPY) or far apart (the first
 * already written), and the first copy is what is stored. A later load,
 * which supersedes, finds its own the same way. */
static void test_duplicates_are_named_in_first_and_later_loads(void **state)
{
	/* 6,000 contacts: more than one chunk of COPY rows. */
	static const int repeat[] = { 3, 5000 }, of[] = { 2, 10 };
	char dir[256], *before, *after;
	cli_result r;

	assert_int_equal(fixture_mkdtemp(dir, sizeof(dir), "csperf-dups"), 0);
	write_contacts(dir, 6000, repeat, of, 2);

	/* Atomic: both named, nothing stored. */
	before = fixture_pg_fingerprint(&pg);
	assert_non_null(before);
	r = run_load((const char *const[]){ "--council", "974", "--format", "csv", dir, NULL });
	assert_int_equal(r.status, 5);
	assert_non_null(r.json);
	assert_false(json_is_true(json_object_get(r.json, "stored")));
	assert_int_equal(type_count(r.json, "contact", "rejected"), 2);
	assert_non_null(strstr(reason_at(r.json, 3), "(contacts.csv line 2): a record may appear "
				"once in a load"));
	assert_non_null(strstr(reason_at(r.json, 5000), "(contacts.csv line 10)"));
	after = fixture_pg_fingerprint(&pg);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
	cli_result_free(&r);

	/* --accept-valid: the rest stored, the first copies. */
	r = run_load((const char *const[]){ "--council", "974", "--format", "csv", "--accept-valid",
		dir, NULL });
	assert_int_equal(r.status, 5);
	assert_true(json_is_true(json_object_get(r.json, "stored")));
	assert_int_equal(type_count(r.json, "contact", "accepted"), 5998);
	assert_non_null(strstr(reason_at(r.json, 5000), "(contacts.csv line 10)"));
	cli_result_free(&r);
	assert_int_equal(count_rows("SELECT count(*) FROM rec_contact WHERE council = '974'"), 5998);
	assert_int_equal(count_rows("SELECT count(*) FROM contact WHERE council = '974' AND "
				    "rag_rating = 'RED'"), 0);
	/* Each stored row's record number is its line's: the first copies. */
	assert_int_equal(count_rows("SELECT count(*) FROM rec_contact WHERE council = '974' AND "
				    "record_no + 1 <> substr(child_id, 2)::int"), 0);

	/* A later load of the same contacts supersedes them; its own two
	 * records with one key are named as well. */
	{
		static const int later_repeat[] = { 40 }, later_of[] = { 39 };

		write_contacts(dir, 100, later_repeat, later_of, 1);
	}
	r = run_load((const char *const[]){ "--council", "974", "--format", "csv", "--accept-valid",
		dir, NULL });
	assert_int_equal(r.status, 5);
	assert_true(json_is_true(json_object_get(r.json, "stored")));
	assert_int_equal(type_count(r.json, "contact", "accepted"), 99);
	assert_non_null(strstr(reason_at(r.json, 40), "(contacts.csv line 39)"));
	cli_result_free(&r);
	assert_int_equal(count_rows("SELECT count(*) FROM rec_contact WHERE council = '974'"),
			 5998 + 99);
	/* Key C3 is new: its first copy was rejected in the first load. */
	assert_int_equal(count_rows("SELECT count(*) FROM contact WHERE council = '974'"), 5999);
	assert_int_equal(count_rows("SELECT count(*) FROM contact c JOIN load l ON l.id = c.load_id "
				    "WHERE c.council = '974' AND l.accepted = 99"), 99);

	/* The only two with one key far apart: the first chunk is in the
	 * partition when the second meets the first's key, and moves out. */
	{
		static const int far_repeat[] = { 5000 }, far_of[] = { 10 };

		write_contacts(dir, 6000, far_repeat, far_of, 1);
	}
	r = run_load((const char *const[]){ "--council", "973", "--format", "csv", "--accept-valid",
		dir, NULL });
	assert_int_equal(r.status, 5);
	assert_true(json_is_true(json_object_get(r.json, "stored")));
	assert_int_equal(type_count(r.json, "contact", "accepted"), 5999);
	assert_int_equal(type_count(r.json, "contact", "rejected"), 1);
	assert_non_null(strstr(reason_at(r.json, 5000), "(contacts.csv line 10)"));
	cli_result_free(&r);
	assert_int_equal(count_rows("SELECT count(*) FROM rec_contact WHERE council = '973'"), 5999);
	assert_int_equal(count_rows("SELECT count(*) FROM rec_contact WHERE council = '973' AND "
				    "record_no + 1 <> substr(child_id, 2)::int"), 0);
	/* Both first loads went straight into the partition, and met the key
	 * there: the server says so. */
	{
		char *log = fixture_read_file(server.log_path);

		assert_non_null(log);
		assert_non_null(strstr(log, "two records of contact with one key: holding the type"));
		free(log);
	}
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/contacts.csv", dir);
		unlink(path);
		rmdir(dir);
	}
}

/* A deletion and its audit line commit together: while the database
 * refuses the line, nothing is deleted and the call fails; once it takes
 * it, the load is gone and its one line says how many rows went. */
static void test_deletion_commits_with_its_audit_line(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	char path[512], *value;
	cli_result r;
	json_int_t id;
	uint64_t deleted = 0, restored = 0;

	snprintf(path, sizeof(path), "%s/returns/2017", CSPERF_FIXTURES);
	r = run_load((const char *const[]){ "--council", "972", "--format", "ssda903", path, NULL });
	assert_int_equal(r.status, 0);
	id = json_int(r.json, "load_id");
	cli_result_free(&r);
	assert_true(count_rows("SELECT count(*) FROM rec_la_episode WHERE council = '972'") > 0);

	value = fixture_pg_query(&pg,
		"CREATE FUNCTION refuse_deletion_line() RETURNS trigger LANGUAGE plpgsql AS $$ "
		"BEGIN IF NEW.method = '/csperf.v1.Performance/DeleteLoad' AND NEW.status = 'OK' "
		"THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$; "
		"CREATE TRIGGER refuse_deletion_line BEFORE INSERT ON audit_log FOR EACH ROW "
		"EXECUTE FUNCTION refuse_deletion_line(); SELECT 'made'");
	assert_non_null(value);
	free(value);

	options.server = server.address;
	options.token = server.token;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	assert_int_not_equal(csperf_load_delete(client, "972", id, &deleted, &restored), CSPERF_OK);
	assert_int_equal(count_rows("SELECT count(*) FROM load WHERE council = '972'"), 1);
	assert_true(count_rows("SELECT count(*) FROM rec_la_episode WHERE council = '972'") > 0);
	assert_int_equal(count_rows("SELECT count(*) FROM audit_log WHERE method = "
				    "'/csperf.v1.Performance/DeleteLoad' AND council = '972' AND "
				    "status = 'OK'"), 0);

	value = fixture_pg_query(&pg, "DROP TRIGGER refuse_deletion_line ON audit_log; "
				 "DROP FUNCTION refuse_deletion_line(); SELECT 'dropped'");
	assert_non_null(value);
	free(value);
	assert_int_equal(csperf_load_delete(client, "972", id, &deleted, &restored), CSPERF_OK);
	assert_true(deleted > 0);
	assert_int_equal(count_rows("SELECT count(*) FROM load WHERE council = '972'"), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM rec_la_episode WHERE council = '972'"), 0);
	{
		char sql[256];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE method = "
			 "'/csperf.v1.Performance/DeleteLoad' AND council = '972' AND status = 'OK' "
			 "AND rows_returned = %llu", (unsigned long long)deleted);
		assert_int_equal(count_rows(sql), 1);
	}
	csperf_client_free(client);
}

/* After a council's first values went in (its first load), csperfd takes
 * fresh statistics of indicator_value, once its reply is sent, so that the
 * next load's comparison is planned knowing the council; a later load does
 * not. */
static void test_first_values_are_analysed(void **state)
{
	char path[512], *log;
	cli_result r;
	long before, after = 0;
	const char *said = "compute: the statistics of council 971's first values taken";

	before = count_rows("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = "
			    "'indicator_value'");
	snprintf(path, sizeof(path), "%s/returns/2017", CSPERF_FIXTURES);
	r = run_load((const char *const[]){ "--council", "971", "--format", "ssda903", path, NULL });
	assert_int_equal(r.status, 0);
	cli_result_free(&r);
	for (long long until = fixture_now_ms() + fixture_deadline_ms(10000);
	     fixture_now_ms() < until; usleep(50 * 1000)) {
		after = count_rows("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = "
				   "'indicator_value'");
		if (after > before)
			break;
	}
	assert_true(after > before);

	snprintf(path, sizeof(path), "%s/returns/2018", CSPERF_FIXTURES);
	r = run_load((const char *const[]){ "--council", "971", "--format", "ssda903", path, NULL });
	assert_int_equal(r.status, 0);
	cli_result_free(&r);
	log = fixture_read_file(server.log_path);
	assert_non_null(log);
	{
		const char *first = strstr(log, said);

		assert_non_null(first);
		assert_null(strstr(first + 1, said));
	}
	free(log);
}

/* Header checks happen on the server too, for clients that are not ours. */
static void test_server_checks_the_header(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_load_options load_options = CSPERF_LOAD_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;

	options.server = server.address;
	options.token = server.token;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	load_options.council = "97'5; DROP TABLE load";
	load_options.source = "ssda903";
	load_options.idempotency_key = "k1";
	assert_int_equal(csperf_load_begin(client, &load_options, &load), CSPERF_OK);
	assert_int_equal(csperf_load_finish(load, &summary), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "council must be an LA code"));
	csperf_load_free(load);

	load_options.council = "979";
	load_options.source = "spreadsheet";
	assert_int_equal(csperf_load_begin(client, &load_options, &load), CSPERF_OK);
	assert_int_equal(csperf_load_finish(load, &summary), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "source must be"));
	csperf_load_free(load);
	assert_int_equal(count_rows("SELECT count(*) FROM load WHERE council = '979'"), 0);
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_ssda903_exact_counts),
		cmocka_unit_test(test_shared_cin_census_exact_counts),
		cmocka_unit_test(test_bad_rows_are_named_and_nothing_is_stored),
		cmocka_unit_test(test_successive_returns_and_delete),
		cmocka_unit_test(test_duplicates_are_named_in_first_and_later_loads),
		cmocka_unit_test(test_deletion_commits_with_its_audit_line),
		cmocka_unit_test(test_first_values_are_analysed),
		cmocka_unit_test(test_server_checks_the_header),
	};

	return cmocka_run_group_tests_name("integration_loads", tests, setup, teardown);
}
