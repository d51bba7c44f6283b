/*
 * test_localities.c: a token narrowed to a locality receives only that
 * locality's children from every child-level RPC: the cases behind a figure
 * (GetIndicatorCases), Ofsted's Annex A lists (GetChildList) and the
 * placement cost export (ExportPlacementCosts).
 *
 * Council 990 holds the hand-built journeys (tests/fixtures/journeys) with
 * their placement cost lines placed in localities: L1 and L4 (PC3) in
 * North, L3, L9 and L4 again (PC5) in South. A child's locality is that of
 * its placement cost lines; a child with none (every contact, referral,
 * early help child) is no locality's (docs/SECURITY.md). Each test failed
 * before child-level lists were narrowed (the analyst narrowed to North
 * received every case and every child in care), but the export's.
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
#include <csperf/costs.h>
#include <csperf/scorecards.h>

#include "fixture.h"

#define COUNCIL "990"

static fixture_pg pg;
static fixture_server server;
static char workdir[256];
static char north_analyst[128], north_finance[128];

static const char *const journey_files[] = {
	"adoptions.csv", "assessments.csv", "budgets.csv", "care_leavers.csv", "child.csv",
	"contacts.csv", "cp_plans.csv", "early_help.csv", "health.csv", "la_episodes.csv",
	"la_reviews.csv", "population.csv", "referrals.csv", "reported_figures.csv", "s47.csv",
	NULL
};

static const char placement_costs[] =
	"child_id,placement_ref,episode_start_date,provider,weekly_cost,start_date,end_date,"
	"health_contribution,education_contribution,placement_category,locality\n"
	"L1,PC1,2018-01-10,PR1,700,2019-04-01,,,,,North\n"
	"L3,PC2,2019-06-01,PR4,4200,2019-06-01,,700,,,South\n"
	"L4,PC3,2019-07-01,PR5,1050,2019-07-01,2020-01-05,,,,North\n"
	"L9,PC4,2019-08-01,PR4,5600,2019-08-01,,,,,South\n"
	"L4,PC5,2020-01-06,PR1,700,2020-01-06,,,,,South\n";

static bool north_child(const char *child_id)
{
	return strcmp(child_id, "L1") == 0 || strcmp(child_id, "L4") == 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int load_journeys(void)
{
	char dir[300], path[400], env[128];
	char *out = NULL, *err = NULL;
	const char *argv[] = { CSPERF_CLI_PATH, "load", "--council", COUNCIL, "--council-name",
			       "Hand-built journeys", "--nation", "england", "--format", "csv",
			       dir, NULL };
	const char *envp[] = { env, NULL };
	int status;

	snprintf(dir, sizeof(dir), "%s/journeys", workdir);
	if (mkdir(dir, 0755) != 0)
		return -1;
	for (size_t i = 0; journey_files[i] != NULL; i++) {
		char from[400];
		char *text;

		snprintf(from, sizeof(from), "%s/journeys/%s", CSPERF_FIXTURES, journey_files[i]);
		text = fixture_read_file(from);
		if (text == NULL)
			return -1;
		snprintf(path, sizeof(path), "%s/%s", dir, journey_files[i]);
		write_file(path, text);
		free(text);
	}
	snprintf(path, sizeof(path), "%s/placement_costs.csv", dir);
	write_file(path, placement_costs);
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
	opts.nlocalities = 1;
	opts.localities = localities;
	if (csperf_token_create(admin, &opts, &secret) != CSPERF_OK)
		fail_msg("CreateToken: %s", csperf_error_last());
	snprintf(out, size, "%s", secret->token);
	csperf_token_secret_free(secret);
	csperf_client_free(admin);
}

/* Who was seen: how many rows, how many of North's children, how many others. */
typedef struct seen {
	size_t rows, north, other;
	size_t child_column;
} seen;

static void note(seen *s, const char *child_id)
{
	s->rows++;
	if (north_child(child_id))
		s->north++;
	else
		s->other++;
}

static int on_case(const csperf_case *c, void *ctx)
{
	note(ctx, c->child_id);
	return 0;
}

static seen cases(const char *token, const char *indicator, const char *period)
{
	csperf_client *client = client_with(token);
	csperf_cases_query query = CSPERF_CASES_QUERY_INIT;
	seen s = { 0, 0, 0, 0 };
	uint64_t count = 0;

	query.council = COUNCIL;
	query.indicator_id = indicator;
	query.period = period;
	if (csperf_cases_list(client, &query, on_case, &s, &count) != CSPERF_OK)
		fail_msg("cases %s: %s", indicator, csperf_error_last());
	assert_int_equal(count, s.rows);
	csperf_client_free(client);
	return s;
}

static int on_header(const char *title, size_t ncolumns, const char *const *columns, void *ctx)
{
	seen *s = ctx;

	(void)title;
	s->child_column = ncolumns;
	for (size_t i = 0; i < ncolumns; i++)
		if (strcmp(columns[i], "child_id") == 0)
			s->child_column = i;
	return 0;
}

static int on_row(size_t nvalues, const char *const *values, void *ctx)
{
	seen *s = ctx;

	assert_true(s->child_column < nvalues);
	note(s, values[s->child_column]);
	return 0;
}

static seen child_list(const char *token, const char *list)
{
	csperf_client *client = client_with(token);
	seen s = { 0, 0, 0, 0 };

	if (csperf_child_list_get(client, list, COUNCIL, "2020-03-31", on_header, on_row, &s,
				  NULL) != CSPERF_OK)
		fail_msg("list %s: %s", list, csperf_error_last());
	csperf_client_free(client);
	return s;
}

static void test_cases_narrowed(void **state)
{
	seen admin, north;

	(void)state;
	/* Children looked after: North sees L1 and L4, no one else. */
	admin = cases(server.token, "LA01", "2019-20");
	north = cases(north_analyst, "LA01", "2019-20");
	assert_true(admin.other > 0);
	assert_true(north.north > 0);
	assert_int_equal(north.other, 0);
	assert_int_equal(north.north, admin.north);
	/* Contacts: no contacted child is in a locality. */
	admin = cases(server.token, "FD01", "2019-20");
	north = cases(north_analyst, "FD01", "2019-20");
	assert_true(admin.rows > 0);
	assert_int_equal(north.rows, 0);
}

static void test_child_lists_narrowed(void **state)
{
	seen admin, north;

	(void)state;
	admin = child_list(server.token, "children_in_care");
	north = child_list(north_analyst, "children_in_care");
	assert_true(admin.other > 0);
	assert_true(north.north > 0);
	assert_int_equal(north.other, 0);
	assert_int_equal(north.north, admin.north);
	/* Referrals: no referred child is in a locality. */
	admin = child_list(server.token, "referrals");
	north = child_list(north_analyst, "referrals");
	assert_true(admin.rows > 0);
	assert_int_equal(north.rows, 0);
}

typedef struct lines_seen {
	size_t north, other;
} lines_seen;

static int on_line(const csperf_cost_line *line, void *ctx)
{
	lines_seen *s = ctx;

	if (strcmp(line->locality, "North") == 0 && north_child(line->child_id))
		s->north++;
	else
		s->other++;
	return 0;
}

static lines_seen export_lines(const char *token)
{
	csperf_client *client = client_with(token);
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	lines_seen s = { 0, 0 };

	query.council = COUNCIL;
	query.financial_year = "2019-20";
	query.as_at = "2020-03-31";
	if (csperf_costs_export(client, &query, on_line, &s, NULL) != CSPERF_OK)
		fail_msg("export: %s", csperf_error_last());
	csperf_client_free(client);
	return s;
}

static void test_export_narrowed(void **state)
{
	lines_seen admin, north;

	(void)state;
	admin = export_lines(server.token);
	north = export_lines(north_finance);
	assert_int_equal(admin.north, 2);
	assert_int_equal(admin.other, 3);
	assert_int_equal(north.north, 2);
	assert_int_equal(north.other, 0);
}

static int setup(void **state)
{
	(void)state;
	if (fixture_mkdtemp(workdir, sizeof(workdir), "csperf-localities") != 0 ||
	    fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0 ||
	    load_journeys() != 0)
		return -1;
	make_token("analyst", "North", north_analyst, sizeof(north_analyst));
	make_token("finance", "North", north_finance, sizeof(north_finance));
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
		cmocka_unit_test(test_cases_narrowed),
		cmocka_unit_test(test_child_lists_narrowed),
		cmocka_unit_test(test_export_narrowed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
