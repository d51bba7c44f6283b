/*
 * test_org_units.c: a locality's and a team's figures (GetScorecard,
 * GetExceptions, GetIndicatorSeries, GetIndicatorCases with org_unit), on
 * journeys small enough to work out by hand, against a real csperfd and
 * PostgreSQL.
 *
 * Council 992, financial year 2019-20 (1 April 2019 to 31 March 2020):
 *
 *   child  locality (cost lines)  looked after on 31 March 2020
 *   A1     North                  yes (since 2018-06-01)
 *   A2     North                  yes (since 2019-01-01)
 *   B1     South                  yes (since 2019-02-01)
 *   B2     none                   yes (since 2019-03-01)
 *   T1     none                   no (1 October 2019 to 31 March 2020:
 *                                  left on the last day, so not counted)
 *   T2     none                   no
 *
 *   contact     team  outcome
 *   A1 05-10    Duty  referral
 *   T1 06-01    Duty  no further action
 *   B1 09-01    Duty  referral
 *   T2 07-01    Hub   referral
 *   A1 08-01    Hub   no further action
 *
 * By hand (docs/indicators.md, "Figures by org unit": a locality's children
 * are those its cost lines name; a team's, those with a contact it handled,
 * and a team's contacts are the ones it handled):
 *
 *            LA01 (looked after)   FD01 (contacts)   FD02 (to referral)
 *   council  4                     5                 3/5 = 60%
 *   North    2 (A1, A2)            2 (A1's two)      1/2 = 50%
 *   South    1 (B1)                1                 1/1 = 100%
 *   Duty     2 (A1, B1 of A1 T1 B1) 3                2/3
 *   Hub      1 (A1 of T2 A1)       2                 1/2 = 50%
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <csperf/access.h>
#include <csperf/scorecards.h>

#include "fixture.h"

#define COUNCIL "992"
#define PERIOD "2019-20"

static fixture_pg pg;
static fixture_server server;
static char workdir[256];
static char north_analyst[128], scrutiny[128];

static const char child_csv[] =
	"child_id,sex,birth_date,ethnicity\n"
	"A1,F,2010-02-14,WBRI\n"
	"A2,M,2012-09-30,WBRI\n"
	"B1,F,2009-12-01,WBRI\n"
	"B2,M,2014-04-04,WBRI\n"
	"T1,F,2015-05-05,WBRI\n"
	"T2,M,2016-06-06,WBRI\n";

static const char contacts_csv[] =
	"child_id,contact_date,source,outcome,decision_date,rag_rating,team\n"
	"A1,2019-05-10,6,\"Referral to children's social care\",2019-05-11,RED,Duty\n"
	"T1,2019-06-01,6,No further action,2019-06-02,GREEN,Duty\n"
	"B1,2019-09-01,6,\"Referral to children's social care\",2019-09-02,RED,Duty\n"
	"T2,2019-07-01,6,\"Referral to children's social care\",2019-07-02,AMBER,Hub\n"
	"A1,2019-08-01,6,No further action,2019-08-02,GREEN,Hub\n";

static const char episodes_csv[] =
	"child_id,start_date,new_episode_reason,legal_status,category_of_need,placement_type,"
	"placement_provider,end_date,end_reason,placement_change_reason\n"
	"A1,2018-06-01,S,C2,N1,U4,PR1,,,\n"
	"A2,2019-01-01,S,C2,N1,U4,PR1,,,\n"
	"B1,2019-02-01,S,C2,N1,U4,PR1,,,\n"
	"B2,2019-03-01,S,C2,N1,U4,PR1,,,\n"
	"T1,2019-10-01,S,C2,N1,U4,PR1,2020-03-31,E4A,\n";

static const char costs_csv[] =
	"child_id,placement_ref,episode_start_date,provider,weekly_cost,start_date,end_date,"
	"health_contribution,education_contribution,placement_category,locality\n"
	"A1,PA1,2018-06-01,PR1,700,2019-04-01,,,,,North\n"
	"A2,PA2,2019-01-01,PR1,700,2019-04-01,,,,,North\n"
	"B1,PB1,2019-02-01,PR1,700,2019-04-01,,,,,South\n";

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int load_journeys(void)
{
	char dir[300], env[128];
	char *out = NULL, *err = NULL;
	const char *argv[] = { CSPERF_CLI_PATH, "load", "--council", COUNCIL, "--council-name",
			       "Org unit journeys", "--nation", "england", "--format", "csv",
			       dir, NULL };
	const char *envp[] = { env, NULL };
	int status;

	snprintf(dir, sizeof(dir), "%s/journeys", workdir);
	if (mkdir(dir, 0755) != 0)
		return -1;
	write_file(dir, "child.csv", child_csv);
	write_file(dir, "contacts.csv", contacts_csv);
	write_file(dir, "la_episodes.csv", episodes_csv);
	write_file(dir, "placement_costs.csv", costs_csv);
	snprintf(env, sizeof(env), "CSPERF_SERVER=%s", server.address);
	status = fixture_run(argv, envp, &out, &err, 600);
	if (status != 0)
		fprintf(stderr, "load: exit %d\n%s\n%s\n", status, out, err);
	free(out);
	free(err);
	return status == 0 ? 0 : -1;
}

static csperf_client *client_with(const char *token)
{
	csperf_client *client = fixture_client(server.address, token);

	assert_non_null(client);
	return client;
}

static void make_token(const char *role, const char *locality, char *out, size_t size)
{
	csperf_client *admin = client_with(server.token);
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	const char *councils[1] = { COUNCIL };
	const char *localities[1] = { locality };
	csperf_token_secret *secret = NULL;

	opts.name = role;
	opts.role = role;
	opts.ncouncils = 1;
	opts.councils = councils;
	opts.nlocalities = locality != NULL ? 1 : 0;
	opts.localities = locality != NULL ? localities : NULL;
	if (csperf_token_create(admin, &opts, &secret) != CSPERF_OK)
		fail_msg("CreateToken: %s", csperf_error_last());
	snprintf(out, size, "%s", secret->token);
	csperf_token_secret_free(secret);
	csperf_client_free(admin);
}

/* The scorecard of an org unit (NULL: the council) as `token`, or NULL with
 * *rc the SDK's code. */
static csperf_scorecard *scorecard(const char *token, const char *org_unit, int *rc)
{
	csperf_client *client = client_with(token);
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;

	query.council = COUNCIL;
	query.period = PERIOD;
	query.org_unit = org_unit;
	*rc = csperf_scorecard_get(client, &query, &sc);
	csperf_client_free(client);
	return sc;
}

static const csperf_scorecard_row *row_of(const csperf_scorecard *sc, const char *id)
{
	for (size_t i = 0; i < sc->nrows; i++)
		if (strcmp(sc->rows[i].indicator_id, id) == 0)
			return &sc->rows[i];
	fail_msg("no row %s", id);
	return NULL;
}

static void expect(const csperf_scorecard *sc, const char *id, double numerator,
		   double denominator, double value)
{
	const csperf_scorecard_row *r = row_of(sc, id);

	if (!r->value.present || !r->numerator.present)
		fail_msg("%s %s: no value (period %s, data to %s)", sc->org_unit, id, sc->period,
			 sc->data_to);
	if (r->numerator.value != numerator || r->value.value < value - 0.01 ||
	    r->value.value > value + 0.01)
		fail_msg("%s %s: %g (%g / %g), expected %g (%g / %g)", sc->org_unit, id,
			 r->value.value, r->numerator.value, r->denominator.value, value, numerator,
			 denominator);
	if (denominator >= 0) {
		assert_true(r->denominator.present);
		assert_true(r->denominator.value == denominator);
	}
}

static void test_figures_by_org_unit(void **state)
{
	struct {
		const char *org_unit;
		double la01, fd01, fd02_num, fd02_den;
	} want[] = {
		{ NULL, 4, 5, 3, 5 },
		{ "locality:North", 2, 2, 1, 2 },
		{ "locality:South", 1, 1, 1, 1 },
		{ "team:Duty", 2, 3, 2, 3 },
		{ "team:Hub", 1, 2, 1, 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int rc;
		csperf_scorecard *sc = scorecard(server.token, want[i].org_unit, &rc);

		if (rc != CSPERF_OK)
			fail_msg("%s: %s", want[i].org_unit, csperf_error_last());
		assert_string_equal(sc->org_unit, want[i].org_unit != NULL ? want[i].org_unit :
				    "council");
		expect(sc, "LA01", want[i].la01, -1, want[i].la01);
		expect(sc, "FD01", want[i].fd01, -1, want[i].fd01);
		expect(sc, "FD02", want[i].fd02_num, want[i].fd02_den,
		       100.0 * want[i].fd02_num / want[i].fd02_den);
		csperf_scorecard_free(sc);
	}
}

/* The same rules over time: LA01's yearly series for North and the cases
 * behind Duty's contacts. */
static int on_case(const csperf_case *c, void *ctx)
{
	char *seen = ctx;

	strcat(seen, c->child_id);
	strcat(seen, " ");
	return 0;
}

static void test_series_and_cases(void **state)
{
	csperf_client *client = client_with(server.token);
	csperf_series *series = NULL;
	csperf_cases_query query = CSPERF_CASES_QUERY_INIT;
	char seen[256] = "";
	uint64_t count = 0;
	bool found = false;

	(void)state;
	if (csperf_series_get_in(client, COUNCIL, "locality:North", "LA01", "year", NULL, NULL,
				 &series) != CSPERF_OK)
		fail_msg("series: %s", csperf_error_last());
	for (size_t i = 0; i < series->count; i++) {
		if (strcmp(series->points[i].period, "2018-19") == 0) {
			/* On 31 March 2019: A1 and A2. */
			assert_true(series->points[i].value.value == 2);
		}
		if (strcmp(series->points[i].period, PERIOD) == 0) {
			assert_true(series->points[i].value.value == 2);
			found = true;
		}
	}
	assert_true(found);
	csperf_series_free(series);

	query.council = COUNCIL;
	query.indicator_id = "FD01";
	query.period = PERIOD;
	query.org_unit = "team:Duty";
	if (csperf_cases_list(client, &query, on_case, seen, &count) != CSPERF_OK)
		fail_msg("cases: %s", csperf_error_last());
	assert_int_equal(count, 3);
	assert_non_null(strstr(seen, "A1 "));
	assert_non_null(strstr(seen, "T1 "));
	assert_non_null(strstr(seen, "B1 "));
	assert_null(strstr(seen, "T2"));
	csperf_client_free(client);
}

/* A token narrowed to North: the council's and North's figures, not
 * South's, not a team's; and its org unit list holds North alone. */
static void test_narrowed_token(void **state)
{
	csperf_client *client;
	csperf_org_units *units = NULL;
	csperf_scorecard *sc;
	int rc;

	(void)state;
	sc = scorecard(north_analyst, NULL, &rc);
	assert_int_equal(rc, CSPERF_OK);
	csperf_scorecard_free(sc);
	sc = scorecard(north_analyst, "locality:North", &rc);
	assert_int_equal(rc, CSPERF_OK);
	expect(sc, "LA01", 2, -1, 2);
	csperf_scorecard_free(sc);
	assert_null(scorecard(north_analyst, "locality:South", &rc));
	assert_int_equal(rc, CSPERF_EPERM);
	assert_null(scorecard(north_analyst, "team:Duty", &rc));
	assert_int_equal(rc, CSPERF_EPERM);
	/* Refused before the records are read: an unknown locality too. */
	assert_null(scorecard(north_analyst, "locality:Nowhere", &rc));
	assert_int_equal(rc, CSPERF_EPERM);

	client = client_with(north_analyst);
	assert_int_equal(csperf_org_units_list(client, COUNCIL, &units), CSPERF_OK);
	assert_int_equal(units->count, 1);
	assert_string_equal(units->items[0].org_unit, "locality:North");
	csperf_org_units_free(units);
	csperf_client_free(client);

	client = client_with(server.token);
	assert_int_equal(csperf_org_units_list(client, COUNCIL, &units), CSPERF_OK);
	assert_int_equal(units->count, 4);
	assert_string_equal(units->items[0].org_unit, "locality:North");
	assert_string_equal(units->items[1].org_unit, "locality:South");
	assert_string_equal(units->items[2].org_unit, "team:Duty");
	assert_string_equal(units->items[3].org_unit, "team:Hub");
	csperf_org_units_free(units);
	csperf_client_free(client);
}

static void test_unknown_and_malformed(void **state)
{
	csperf_scorecard *sc;
	int rc;

	(void)state;
	sc = scorecard(server.token, "locality:Nowhere", &rc);
	assert_null(sc);
	assert_int_equal(rc, CSPERF_ENOTFOUND);
	assert_non_null(strstr(csperf_error_last(), "nothing there"));
	assert_non_null(strstr(csperf_error_last(), "Nowhere"));
	assert_null(scorecard(server.token, "team:Nobody", &rc));
	assert_int_equal(rc, CSPERF_ENOTFOUND);
	assert_null(scorecard(server.token, "ward:East", &rc));
	assert_int_equal(rc, CSPERF_EINVAL);
	assert_null(scorecard(server.token, "locality:", &rc));
	assert_int_equal(rc, CSPERF_EINVAL);
}

/* Small numbers: North's LA01 (2) is hidden from scrutiny as the
 * council's would be; the council's (4) is shown (threshold 4 hides 1 to
 * 4: both are). South's contacts to referral, 1 of 1, likewise. */
static void test_small_numbers(void **state)
{
	csperf_scorecard *sc;
	int rc;

	(void)state;
	sc = scorecard(scrutiny, "locality:North", &rc);
	assert_int_equal(rc, CSPERF_OK);
	assert_false(row_of(sc, "LA01")->value.present);
	assert_true(row_of(sc, "LA01")->suppressed);
	csperf_scorecard_free(sc);
	sc = scorecard(scrutiny, "locality:South", &rc);
	assert_int_equal(rc, CSPERF_OK);
	assert_false(row_of(sc, "FD02")->value.present);
	csperf_scorecard_free(sc);
}

/* The exceptions of an org unit answer, and say whose they are. */
static void test_exceptions(void **state)
{
	csperf_client *client = client_with(server.token);
	csperf_exceptions *ex = NULL;

	(void)state;
	if (csperf_exceptions_get_in(client, COUNCIL, "team:Hub", PERIOD, &ex) != CSPERF_OK)
		fail_msg("exceptions: %s", csperf_error_last());
	assert_string_equal(ex->org_unit, "team:Hub");
	for (size_t i = 0; i < ex->count; i++)
		for (size_t c = 0; c < ex->exceptions[i].ncriteria; c++)
			assert_string_not_equal(ex->exceptions[i].criteria[c], "budget");
	csperf_exceptions_free(ex);
	csperf_client_free(client);
}

/* The CLI as documented: csperf scorecard --org, csperf org-units. */
static void test_cli(void **state)
{
	char env[128], token_env[200];
	char *out = NULL, *err = NULL;
	const char *envp[] = { env, token_env, NULL };
	const char *scorecard_argv[] = { CSPERF_CLI_PATH, "-o", "json", "scorecard", "--council",
					 COUNCIL, "--period", PERIOD, "--stage", "looked_after",
					 "--org", "locality:North", NULL };
	const char *list_argv[] = { CSPERF_CLI_PATH, "org-units", "--council", COUNCIL, NULL };
	const char *missing_argv[] = { CSPERF_CLI_PATH, "scorecard", "--council", COUNCIL,
				       "--period", PERIOD, "--org", "locality:Nowhere", NULL };

	(void)state;
	snprintf(env, sizeof(env), "CSPERF_SERVER=%s", server.address);
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", server.token);
	assert_int_equal(fixture_run(scorecard_argv, envp, &out, &err, 120), 0);
	assert_non_null(strstr(out, "locality:North"));
	free(out);
	free(err);
	assert_int_equal(fixture_run(list_argv, envp, &out, &err, 120), 0);
	assert_non_null(strstr(out, "locality:South"));
	assert_non_null(strstr(out, "team:Hub"));
	free(out);
	free(err);
	/* Nothing there: exit 7, and why. */
	assert_int_equal(fixture_run(missing_argv, envp, &out, &err, 120), 7);
	assert_non_null(strstr(err, "nothing there"));
	free(out);
	free(err);
}

/* Every call is audited with the org unit it named: the scorecards read
 * and the one refused. */
static void test_audit(void **state)
{
	csperf_client *admin = client_with(server.token);
	csperf_audit_options opts = CSPERF_AUDIT_OPTIONS_INIT;
	csperf_audit_list *list = NULL;
	bool read = false, refused = false;

	(void)state;
	opts.principal = "analyst";
	opts.council = COUNCIL;
	opts.limit = 1000;
	if (csperf_audit_get(admin, &opts, &list) != CSPERF_OK)
		fail_msg("audit: %s", csperf_error_last());
	for (size_t i = 0; i < list->count; i++) {
		const csperf_audit_entry *e = &list->entries[i];

		if (strcmp(e->method, "/csperf.v1.Performance/GetScorecard") != 0)
			continue;
		read |= strcmp(e->status, "OK") == 0 &&
			strstr(e->parameters, "org_unit=locality:North") != NULL;
		refused |= strcmp(e->status, "PERMISSION_DENIED") == 0 &&
			   strstr(e->parameters, "locality:South") != NULL;
	}
	assert_true(read);
	assert_true(refused);
	csperf_audit_list_free(list);
	csperf_client_free(admin);
}

static int setup(void **state)
{
	(void)state;
	if (fixture_mkdtemp(workdir, sizeof(workdir), "csperf-org-units") != 0 ||
	    fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0 ||
	    load_journeys() != 0)
		return -1;
	make_token("analyst", "North", north_analyst, sizeof(north_analyst));
	make_token("scrutiny", NULL, scrutiny, sizeof(scrutiny));
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	(void)state;
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures_by_org_unit),
		cmocka_unit_test(test_series_and_cases),
		cmocka_unit_test(test_narrowed_token),
		cmocka_unit_test(test_unknown_and_malformed),
		cmocka_unit_test(test_small_numbers),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_audit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
