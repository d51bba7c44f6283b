/*
 * test_incremental.c: the recompute after a load or a deletion, which
 * computes only the periods the change can reach, gives exactly the values a
 * recompute of every period gives.
 *
 * Two councils get the same loads through a real csperfd: 993, whose every
 * recompute is the incremental one csperfd runs after a load or a deletion,
 * and 994, whose state is wiped before each step so that csperfd recomputes
 * every period. After each step the two councils' indicator_value rows
 * (every column but the council and computed_at) must be the same, value for
 * value; and 993's recompute must have been incremental (compute_run
 * recomputed_from set), leaving every value of an earlier period untouched.
 * The steps: the hand-built journeys; one more month; backdated records; a
 * later version of records (a care episode and a plan that end, a child's
 * birth date, a population estimate); the deletion of that load (the earlier
 * versions are current again); the deletion of the backdated load; a record
 * loaded again as it is (nothing to recompute); a move to another nation
 * and a definition changed behind csperfd's back, each recomputed whole.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

#define INCREMENTAL "993"
#define FULL "994"

static fixture_pg pg;
static fixture_server server;
static char server_env[96];
static char data_dir[256];

static int setup(void **state)
{
	(void)state;
	/* 994 is made to recompute in full by forgetting its state
	 * (through_load NULL), which is also what makes a council's figures due:
	 * csperfd's periodic sweep must not finish them in between. */
	if (fixture_pg_start(&pg) != 0 ||
	    fixture_server_start(&server, pg.dsn,
				 (const char *const[]){ "--recompute-every", "86400",
							/* a second connection for any council */
							"--lane-children", "0", NULL }) != 0 ||
	    fixture_mkdtemp(data_dir, sizeof(data_dir), "csperf-incremental") != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);
	char command[300];

	(void)state;
	fixture_pg_destroy(&pg);
	snprintf(command, sizeof(command), "rm -rf '%s'", data_dir);
	if (system(command) != 0)
		rc = -1;
	return rc == 0 ? 0 : -1;
}

static void run_cli(const char *const *args)
{
	const char *argv[32] = { CSPERF_CLI_PATH };
	const char *env[2] = { server_env, NULL };
	char *out = NULL, *err = NULL;
	size_t n = 1;
	int rc;

	for (size_t i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	rc = fixture_run(argv, env, &out, &err, 600);
	if (rc != 0)
		fprintf(stderr, "csperf %s exited %d:\n%s\n%s\n", args[0], rc, out != NULL ? out : "",
			err != NULL ? err : "");
	free(out);
	free(err);
	assert_int_equal(rc, 0);
}

static char *query(const char *format, ...) __attribute__((format(printf, 1, 2)));

static char *query(const char *format, ...)
{
	char sql[4096];
	va_list args;
	char *value;

	va_start(args, format);
	vsnprintf(sql, sizeof(sql), format, args);
	va_end(args);
	value = fixture_pg_query(&pg, sql);
	assert_non_null(value);
	return value;
}

/* Writes one csperf CSV file into a fresh folder of the test's own. */
static const char *write_folder(const char *name, const char *file, const char *text)
{
	static char dir[512];
	char path[600];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", data_dir, name);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return dir;
}

static void add_file(const char *dir, const char *file, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads a folder into both councils, in `nation`; 994's state is wiped first,
 * so that its recompute covers every period. */
static void load_in(const char *dir, const char *nation)
{
	const char *councils[2] = { INCREMENTAL, FULL };

	free(query("UPDATE compute_run SET through_load = NULL WHERE council = '" FULL "'"));
	for (int i = 0; i < 2; i++)
		run_cli((const char *const[]){ "load", "--council", councils[i], "--council-name",
			i == 0 ? "Incremental" : "Full", "--nation", nation, "--format", "csv", dir,
			NULL });
}

static void load_both(const char *dir)
{
	load_in(dir, "england");
}

/* Deletes each council's load with the given label (the folder loaded). */
static void delete_both(const char *dir)
{
	const char *councils[2] = { INCREMENTAL, FULL };

	free(query("UPDATE compute_run SET through_load = NULL WHERE council = '" FULL "'"));
	for (int i = 0; i < 2; i++) {
		char *id = query("SELECT id FROM load WHERE council = '%s' AND label = 'csv %s'",
				 councils[i], dir);

		assert_true(id[0] != '\0');
		run_cli((const char *const[]){ "loads", "delete", "--council", councils[i], "--id", id,
			NULL });
		free(id);
	}
}

/* Every value of a council, as one digest (and the number of rows). */
static char *fingerprint(const char *council)
{
	return query("SELECT count(*) || ' ' || md5(coalesce(string_agg(concat_ws('|', indicator_id, "
		     "version, org_unit, period_type, period, period_start, period_end, breakdown, "
		     "coalesce(numerator::text, '-'), coalesce(denominator::text, '-'), "
		     "coalesce(value::text, '-'), provisional), E'\\n' ORDER BY indicator_id, period, "
		     "breakdown), '')) FROM indicator_value WHERE council = '%s'", council);
}

/* The two councils' values agree; prints the first rows that differ. */
static void assert_same_values(const char *step)
{
	char *incremental = fingerprint(INCREMENTAL), *full = fingerprint(FULL);

	if (strcmp(incremental, full) != 0) {
		char *diff = query(
			"SELECT string_agg(x, E'\\n') FROM (SELECT coalesce(a.indicator_id, b.indicator_id) "
			"|| ' ' || coalesce(a.period, b.period) || ' ' || coalesce(a.breakdown, b.breakdown) "
			"|| ': incremental ' || coalesce(a.numerator || '/' || coalesce(a.denominator::text, "
			"'-') || '=' || coalesce(a.value::text, '-') || ' ' || a.provisional, 'none') || ', "
			"full ' || coalesce(b.numerator || '/' || coalesce(b.denominator::text, '-') || '=' "
			"|| coalesce(b.value::text, '-') || ' ' || b.provisional, 'none') AS x FROM (SELECT * "
			"FROM indicator_value WHERE council = '" INCREMENTAL "') a FULL JOIN (SELECT * FROM "
			"indicator_value WHERE council = '" FULL "') b ON a.indicator_id = b.indicator_id AND "
			"a.period = b.period AND a.breakdown = b.breakdown WHERE (a.version, a.numerator, "
			"a.denominator, a.value, a.provisional, a.period_start, a.period_end) IS DISTINCT FROM "
			"(b.version, b.numerator, b.denominator, b.value, b.provisional, b.period_start, "
			"b.period_end) ORDER BY 1 LIMIT 20) d");

		printf("  %s: incremental %s, full %s\n%s\n", step, incremental, full, diff);
		free(diff);
	}
	assert_string_equal(incremental, full);
	free(incremental);
	free(full);
}

/* 993's last recompute was incremental, from `expected` (or at least from
 * some day, when NULL), and rewrote no value of an earlier period; 994's
 * covered every period. */
static void assert_incremental(const char *expected, const char *step_started)
{
	char *from = query("SELECT coalesce(recomputed_from::text, 'every period') FROM compute_run "
			   "WHERE council = '" INCREMENTAL "'");
	char *full = query("SELECT coalesce(recomputed_from::text, 'every period') FROM compute_run "
			   "WHERE council = '" FULL "'");
	char *rewritten = query("SELECT count(*) FROM indicator_value v JOIN compute_run r USING "
				"(council) WHERE council = '" INCREMENTAL "' AND v.period_end < "
				"r.recomputed_from AND v.computed_at >= '%s'", step_started);

	if (expected != NULL)
		assert_string_equal(from, expected);
	else
		assert_string_not_equal(from, "every period");
	assert_string_equal(full, "every period");
	assert_string_equal(rewritten, "0");
	free(from);
	free(full);
	free(rewritten);
}

static void test_incremental_equals_full(void **state)
{
	char month[512], backdated[512], later[512], *started;

	(void)state;
	/* The hand-built journeys: the first recompute of each covers every
	 * period. */
	load_both(CSPERF_FIXTURES "/journeys");
	assert_same_values("journeys");

	/* One more month: contacts and a referral in April 2020 (after the
	 * journeys' 2019-20 year, before their 2022-23 records). */
	snprintf(month, sizeof(month), "%s", write_folder("month", "contacts.csv",
		"child_id,contact_date,source,outcome,decision_date,rag_rating,team\n"
		"K1,2020-04-02,6,\"Referral to children's social care\",2020-04-03,RED,MASH\n"
		"K2,2020-04-14,1A,Early Help,2020-04-20,GREEN,MASH\n"
		"K9,2020-04-30,3A,No further action,2020-05-01,GREEN,MASH\n"));
	add_file(month, "referrals.csv",
		 "child_id,referral_date,referral_source,primary_need,referral_nfa,closure_date,"
		 "closure_reason,initial_cpc_date\n"
		 "A2,2020-04-08,2A,N2,false,,,\n");
	started = query("SELECT now()");
	load_both(month);
	assert_same_values("one more month");
	assert_incremental("2020-04-02", started);
	free(started);

	/* Backdated records: a re-referral and a contact in 2019, an Early Help
	 * episode from 2018. */
	snprintf(backdated, sizeof(backdated), "%s", write_folder("backdated", "referrals.csv",
		"child_id,referral_date,referral_source,primary_need,referral_nfa,closure_date,"
		"closure_reason,initial_cpc_date\n"
		"A2,2019-06-15,6,N1,false,2019-08-01,RC7,\n"));
	add_file(backdated, "contacts.csv",
		 "child_id,contact_date,source,outcome,decision_date,rag_rating,team\n"
		 "K3,2019-06-29,3A,No further action,2019-07-05,GREEN,MASH\n");
	add_file(backdated, "early_help.csv",
		 "child_id,start_date,end_date,team,allocated_date,social_care_step\n"
		 "E9,2018-11-20,2019-07-31,North,2018-12-01,UP\n");
	started = query("SELECT now()");
	load_both(backdated);
	assert_same_values("backdated records");
	assert_incremental("2018-11-20", started);
	free(started);

	/* Later versions of records already held: L2's episode (in care since
	 * 2015) ends in September 2019, P1's plan ends, L2's and C1's birth
	 * dates are corrected (LA05 and CL01 take ages), and the 2020
	 * population estimate is revised. */
	snprintf(later, sizeof(later), "%s", write_folder("later", "la_episodes.csv",
		"child_id,start_date,new_episode_reason,legal_status,category_of_need,placement_type,"
		"placement_provider,end_date,end_reason,placement_change_reason\n"
		"L2,2015-04-01,S,C1,N2,U4,PR4,2019-09-30,E4A,\n"));
	add_file(later, "cp_plans.csv",
		 "child_id,referral_date,start_date,end_date,initial_category,latest_category,"
		 "previous_plans\n"
		 "P1,2019-04-15,2019-05-08,2020-01-31,NEG,NEG,0\n");
	add_file(later, "population.csv", "year,under_18_estimate\n2020,41000\n");
	add_file(later, "child.csv", "child_id,sex,birth_date,ethnicity\n"
		 "L2,M,2003-02-28,WBRI\nC1,F,1997-07-01,WBRI\n");
	started = query("SELECT now()");
	load_both(later);
	assert_same_values("later versions");
	assert_incremental(NULL, started);
	free(started);

	/* Deleting that load: the earlier versions are current again. */
	started = query("SELECT now()");
	delete_both(later);
	assert_same_values("deleting the later versions");
	assert_incremental(NULL, started);
	free(started);

	/* Deleting the backdated load. */
	started = query("SELECT now()");
	delete_both(backdated);
	assert_same_values("deleting the backdated records");
	assert_incremental("2018-11-20", started);
	free(started);

	/* A record loaded again as it is: a new version, but no change. */
	started = query("SELECT now()");
	load_both(write_folder("again", "contacts.csv",
		"child_id,contact_date,source,outcome,decision_date,rag_rating,team\n"
		"K1,2019-04-18,6,\"Referral to children's social care\",2019-04-23,RED,MASH\n"));
	assert_same_values("a record loaded again");
	assert_incremental("9999-12-31", started);
	free(started);

	/* The councils move to Wales (its bank holidays: the same today, but
	 * not to be assumed): every period is recomputed. */
	run_cli((const char *const[]){ "council", "put", "--council", INCREMENTAL, "--name",
		"Incremental", "--nation", "wales", NULL });
	run_cli((const char *const[]){ "council", "put", "--council", FULL, "--name", "Full",
		"--nation", "wales", NULL });
	load_in(write_folder("wales", "contacts.csv",
		"child_id,contact_date,source,outcome,decision_date,rag_rating,team\n"
		"K5,2020-05-04,6,Early Help,2020-05-05,GREEN,MASH\n"), "wales");
	assert_same_values("another nation");
	{
		char *from = query("SELECT coalesce(recomputed_from::text, 'every period') FROM "
				   "compute_run WHERE council = '" INCREMENTAL "'");

		assert_string_equal(from, "every period");
		free(from);
	}

	/* A definition changed behind csperfd's back (not through
	 * PutIndicator): its values are not of its current version, so the next
	 * recompute covers every period. */
	free(query("INSERT INTO indicator_version (indicator_id, version, title, stage, unit, "
		   "polarity, kind, params, definition) SELECT indicator_id, version + 1, title, stage, "
		   "unit, polarity, kind, jsonb_set(params, '{months}', '6'), definition FROM indicator "
		   "WHERE indicator_id = 'FD05'"));
	load_in(write_folder("month2", "contacts.csv",
		"child_id,contact_date,source,outcome,decision_date,rag_rating,team\n"
		"K4,2020-05-06,6,Early Help,2020-05-07,GREEN,MASH\n"), "wales");
	assert_same_values("a changed definition");
	{
		char *from = query("SELECT coalesce(recomputed_from::text, 'every period') FROM "
				   "compute_run WHERE council = '" INCREMENTAL "'");

		assert_string_equal(from, "every period");
		free(from);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incremental_equals_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
