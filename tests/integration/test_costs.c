/*
 * test_costs.c: placement costs (GetPlacementCosts, ExportPlacementCosts, the
 * csperf costs commands, the FN indicators and the budget criterion of
 * GetExceptions) against costs worked out by hand.
 *
 * Council 960's cost lines and budgets are written as csperf CSV and loaded
 * with the csperf tool, as a council's finance extract would be. A day costs
 * a seventh of the weekly cost, every calendar day; each line is rounded to
 * the penny once (docs/FINANCE.md). Financial year 2018-19 runs from 1 April
 * 2018 to 31 March 2019 (365 days); as at 31 January 2019, 306 days are past
 * (April 30, May 31, June 30, July 31, August 31, September 30, October 31,
 * November 30, December 31, January 31) and 59 are to come (28 + 31).
 *
 *   A1 PA1 in_house_foster PR1 North  700 a week (100 a day) from 2018-02-01,
 *      open: it crosses the year's start. Actual 306 x 100 = 30,600.00;
 *      committed 59 x 100 = 5,900.00; forecast 36,500.00.
 *   B1 PB1 agency_foster PR4 South, a rate change on 15 October 2018:
 *      840 a week (120 a day) from 2018-06-01 to 2018-10-14, 136 days (June
 *      30, July 31, August 31, September 30, October 14) = 16,320.00; then
 *      1,000 a week from 2018-10-15, open: 109 days to 31 January (October
 *      17, November 30, December 31, January 31) = 15,571.428571... =
 *      15,571.43; over the 168 days to 31 March exactly 24 weeks = 24,000.00,
 *      so committed = 24,000.00 - 15,571.43 = 8,428.57 (the line is rounded
 *      once, for its forecast, and committed is the difference).
 *      Actual 31,891.43, committed 8,428.57, forecast 40,320.00.
 *   C1 PC1 residential PR4 North 4,200 a week (600 a day) with health 700
 *      (100 a day) and education 350 (50 a day) from 2018-05-01 to
 *      2018-12-31, ended before the as-at date: 245 days (May 31 ... December
 *      31): gross 147,000.00, health 24,500.00, education 12,250.00, net
 *      110,250.00; nothing committed.
 *   D1 PD1 secure PR3 East 7,000 a week (1,000 a day) from 2019-01-01, open,
 *      over the 5,000 threshold: actual 31 x 1,000 = 31,000.00, committed to
 *      31 March 59 x 1,000 = 59,000.00, forecast 90,000.00.
 *   E1 (no reference: its episode) PR0, no category, no locality (a file of
 *      record schema version 1), 350 a week from 2018-04-01 to 2018-04-30:
 *      30 x 50 = 1,500.00; "not recorded".
 *   F1 PF1 in_house_foster PR1 North 700 a week from 2019-02-10, open: it
 *      starts after 31 January, so as at that day it is neither actual nor
 *      committed. Over the whole year: 50 days (19 + 31) = 5,000.00.
 *   G1 PG1 agency_foster PR5 South 1,000 a week for February 2020 (2019-20,
 *      a leap year): 29 days = 4,142.857142... = 4,142.86 (28 days would be
 *      4,000.00).
 *   H1 PH1 other PR2 West 1,000 a week for three stretches of 2 days in May
 *      2019 (1-2, 10-11, 20-21): 2 x 1,000 / 7 = 285.714285... = 285.71 each.
 *
 * As at 2019-01-31: actual 30,600.00 + 31,891.43 + 110,250.00 + 31,000.00 +
 * 1,500.00 = 205,241.43; committed 5,900.00 + 8,428.57 + 59,000.00 =
 * 73,328.57; forecast 278,570.00; gross 315,320.00, health 24,500.00,
 * education 12,250.00. Children and placements 5 (B1's two lines are one
 * placement); open 3 (A1, B1, D1), their mean weekly cost (700 + 1,000 +
 * 7,000) / 3 = 2,900.00; over 5,000 a week: D1, actual 31,000.00, forecast
 * 90,000.00.
 *
 * Budgets 2018-19: in_house_foster 45,000, agency_foster 35,000, residential
 * 150,000, secure 80,000, semi_independent 10,000 (no costs): 320,000.
 * Variance -41,430.00, -12.95% (41,430 / 320,000 = 12.946875%); agency
 * foster +5,320.00 (15.20%), secure +10,000.00 (12.50%), in-house -8,500.00
 * (-18.89%), residential -39,750.00 (-26.50%), semi-independent -10,000.00
 * (-100.00%).
 *
 * As at 2019-03-31 (the year's end) F1 is open too: the forecast is every
 * line's year, 278,570.00 + 5,000.00 = 283,570.00, which is FN03; FN01 for
 * the year to January is the actual as at 31 January.
 *
 * 2019-20 to 31 May 2019 (61 days): A1 6,100.00, B1 61 x 1,000 / 7 =
 * 8,714.285714... = 8,714.29, D1 61,000.00, F1 6,100.00, H1 3 x 285.71:
 * 82,771.42, which FN01 for the year to May must be too. Rounding the total
 * instead of each line would give 82,771.43 (the exact sum is
 * 82,771.428571...).
 *
 * Then council 962, made by csperf-gen, where nothing is round: every sum
 * checked against every other, to the penny.
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

#include <cmocka.h>

#include <csperf/access.h>
#include <csperf/costs.h>
#include <csperf/scorecards.h>

#include "fixture.h"
#include "schema.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

#define COUNCIL "960"

static fixture_pg pg;
static fixture_server server;
static char data_dir[256];
static char finance_token[160], north_token[160], reader_token[160];
static char server_env[96];

static const char placement_costs_csv[] =
	"child_id,placement_ref,episode_start_date,provider,weekly_cost,start_date,end_date,"
	"health_contribution,education_contribution,placement_category,locality\n"
	"A1,PA1,2018-02-01,PR1,700,2018-02-01,,,,in_house_foster,North\n"
	"B1,PB1,2018-06-01,PR4,840,2018-06-01,2018-10-14,,,agency_foster,South\n"
	"B1,PB1,2018-06-01,PR4,1000.00,2018-10-15,,,,agency_foster,South\n"
	"C1,PC1,2018-05-01,PR4,4200,2018-05-01,2018-12-31,700,350,residential,North\n"
	"D1,PD1,2019-01-01,PR3,7000,2019-01-01,,,,secure,East\n"
	"F1,PF1,2019-02-10,PR1,700,2019-02-10,,,,in_house_foster,North\n"
	"G1,PG1,2020-02-01,PR5,1000,2020-02-01,2020-02-29,,,agency_foster,South\n"
	"H1,PH1,2019-05-01,PR2,1000,2019-05-01,2019-05-02,,,other,West\n"
	"H1,PH1,2019-05-01,PR2,1000,2019-05-10,2019-05-11,,,other,West\n"
	"H1,PH1,2019-05-01,PR2,1000,2019-05-20,2019-05-21,,,other,West\n";

/* E1 as a council would send it before record schema version 2: without the
 * two new columns (another file, since a file has one header). */
static const char old_placement_costs_csv[] =
	"child_id,placement_ref,episode_start_date,provider,weekly_cost,start_date,end_date\n"
	"E1,,2018-04-01,PR0,350,2018-04-01,2018-04-30\n";

static const char budgets_csv[] =
	"financial_year,placement_category,amount\n"
	"2018,in_house_foster,45000\n"
	"2018,agency_foster,35000.00\n"
	"2018,residential,150000\n"
	"2018,secure,80000\n"
	"2018,semi_independent,10000\n";

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void exec_sql(const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	free(r);
}

/* Runs the csperf tool with args (NULL-terminated); *out is its output. */
static int run_cli(const char *const *args, char **out)
{
	const char *argv[32] = { CSPERF_CLI_PATH };
	const char *env[2] = { server_env, NULL };
	size_t n = 1;
	char *err = NULL;
	int status;

	for (size_t i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	status = fixture_run(argv, env, out, &err, 300);
	if (status != 0)
		fprintf(stderr, "csperf exited %d: %s\n", status, err != NULL ? err : "");
	free(err);
	return status;
}

static csperf_client *client_with(const char *token)
{
	csperf_client *client = fixture_client(server.address, token);

	assert_non_null(client);
	return client;
}

static int make_token(csperf_client *admin, const char *role, const char *council,
		      const char *locality, char *out, size_t size)
{
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	csperf_token_secret *secret = NULL;

	opts.name = locality != NULL ? "finance north" : role;
	opts.role = role;
	opts.ncouncils = 1;
	opts.councils = (const char *const[]){ council };
	opts.nlocalities = locality != NULL ? 1 : 0;
	opts.localities = (const char *const[]){ locality };
	if (csperf_token_create(admin, &opts, &secret) != CSPERF_OK) {
		fprintf(stderr, "CreateToken: %s\n", csperf_error_last());
		return -1;
	}
	snprintf(out, size, "%s", secret->token);
	csperf_token_secret_free(secret);
	return 0;
}

static int setup(void **state)
{
	csperf_client *admin;
	char *out = NULL;
	int rc;

	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0 ||
	    fixture_mkdtemp(data_dir, sizeof(data_dir), "csperf-costs") != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	exec_sql("INSERT INTO council (la_code, name, nation) VALUES ('" COUNCIL "', "
		 "'Costshire', 'england')");
	write_text(data_dir, "placement_costs.csv", placement_costs_csv);
	write_text(data_dir, "budgets.csv", budgets_csv);
	/* Loaded with the tool, as a finance extract is: csperf CSV through
	 * LoadRecords (the load recomputes the council's indicators). */
	rc = run_cli((const char *const[]){ "load", "--council", COUNCIL, "--format", "csv",
					   data_dir, NULL }, &out);
	free(out);
	if (rc != 0)
		return -1;
	/* Then E1 alone, in a file of the old schema. */
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/budgets.csv", data_dir);
		if (remove(path) != 0)
			return -1;
	}
	write_text(data_dir, "placement_costs.csv", old_placement_costs_csv);
	rc = run_cli((const char *const[]){ "load", "--council", COUNCIL, "--format", "csv",
					   data_dir, NULL }, &out);
	free(out);
	if (rc != 0)
		return -1;
	admin = client_with(server.token);
	rc = make_token(admin, "finance", COUNCIL, NULL, finance_token, sizeof(finance_token)) ||
	     make_token(admin, "finance", COUNCIL, "North", north_token, sizeof(north_token)) ||
	     make_token(admin, "reader", COUNCIL, NULL, reader_token, sizeof(reader_token));
	csperf_client_free(admin);
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char command[300];
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	fixture_pg_destroy(&pg);
	snprintf(command, sizeof(command), "rm -rf '%s'", data_dir);
	return rc == 0 && system(command) == 0 ? 0 : -1;
}

static csperf_costs *council_costs(const char *token, const char *council, const char *year,
				   const char *as_at, const char *group_by)
{
	csperf_client *client = client_with(token);
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	csperf_costs *costs = NULL;

	query.council = council;
	query.financial_year = year;
	query.as_at = as_at;
	query.group_by = group_by;
	if (csperf_costs_get(client, &query, &costs) != CSPERF_OK)
		fail_msg("GetPlacementCosts %s %s: %s", year, as_at, csperf_error_last());
	csperf_client_free(client);
	return costs;
}

static csperf_costs *costs_as(const char *token, const char *year, const char *as_at,
			      const char *group_by)
{
	return council_costs(token, COUNCIL, year, as_at, group_by);
}

static const csperf_cost_figures *group_of(const csperf_costs *costs, const char *key)
{
	for (size_t i = 0; i < costs->ngroups; i++)
		if (strcmp(costs->groups[i].key, key) == 0)
			return &costs->groups[i].figures;
	fail_msg("no group '%s' by %s", key, costs->group_by);
	return NULL;
}

/* Money, budget and variance of a set of figures, in pence. */
static void assert_money(const csperf_cost_figures *f, int64_t actual, int64_t committed,
			 int64_t forecast, int has_budget, int64_t budget, const char *percent)
{
	assert_int_equal(f->actual_pence, actual);
	assert_int_equal(f->committed_pence, committed);
	assert_int_equal(f->forecast_pence, forecast);
	assert_int_equal(f->forecast_pence, f->actual_pence + f->committed_pence);
	assert_int_equal(f->forecast_pence, f->gross_forecast_pence - f->health_forecast_pence -
			 f->education_forecast_pence);
	assert_int_equal(f->has_budget, has_budget);
	assert_int_equal(f->budget_pence, budget);
	assert_int_equal(f->variance_pence, has_budget ? forecast - budget : 0);
	assert_string_equal(f->variance_percent, percent);
}

/* ---- the total, worked out by hand ---- */

static void test_total_as_at_31_january(void **state)
{
	csperf_costs *c = costs_as(finance_token, "2018-19", "2019-01-31", NULL);
	const csperf_cost_figures *t = &c->total;

	assert_string_equal(c->financial_year, "2018-19");
	assert_string_equal(c->year_start, "2018-04-01");
	assert_string_equal(c->year_end, "2019-03-31");
	assert_string_equal(c->as_at, "2019-01-31");
	assert_int_equal(c->threshold_pence, 500000);
	assert_int_equal(c->ngroups, 0);
	assert_money(t, 20524143, 7332857, 27857000, 1, 32000000, "-12.95");
	assert_int_equal(t->gross_forecast_pence, 31532000);
	assert_int_equal(t->health_forecast_pence, 2450000);
	assert_int_equal(t->education_forecast_pence, 1225000);
	assert_int_equal(t->children, 5);
	assert_int_equal(t->placements, 5);
	assert_int_equal(t->open_placements, 3);
	assert_int_equal(t->average_weekly_cost_pence, 290000);
	assert_int_equal(t->over_threshold_placements, 1);
	assert_int_equal(t->over_threshold_actual_pence, 3100000);
	assert_int_equal(t->over_threshold_forecast_pence, 9000000);
	csperf_costs_free(c);

	/* At the year's end F1 has started: its 50 days join in, and nothing is
	 * left to commit. A day after the year is its end. */
	c = costs_as(finance_token, "2018-19", "2019-06-30", NULL);
	assert_string_equal(c->as_at, "2019-03-31");
	assert_money(&c->total, 28357000, 0, 28357000, 1, 32000000, "-11.38");
	assert_int_equal(c->total.children, 6);
	csperf_costs_free(c);
}

/* ---- groupings: hand figures, and every sum equal to the total ---- */

static void assert_groups_reconcile(const csperf_costs *c, int budgets_too)
{
	csperf_cost_figures sum;

	memset(&sum, 0, sizeof(sum));
	assert_true(c->ngroups > 0);
	for (size_t i = 0; i < c->ngroups; i++) {
		const csperf_cost_figures *g = &c->groups[i].figures;

		sum.actual_pence += g->actual_pence;
		sum.committed_pence += g->committed_pence;
		sum.forecast_pence += g->forecast_pence;
		sum.gross_forecast_pence += g->gross_forecast_pence;
		sum.health_forecast_pence += g->health_forecast_pence;
		sum.education_forecast_pence += g->education_forecast_pence;
		sum.budget_pence += g->budget_pence;
		sum.over_threshold_actual_pence += g->over_threshold_actual_pence;
		sum.over_threshold_forecast_pence += g->over_threshold_forecast_pence;
		if (i > 0)
			assert_true(strcmp(c->groups[i - 1].key, c->groups[i].key) < 0);
	}
	assert_int_equal(sum.actual_pence, c->total.actual_pence);
	assert_int_equal(sum.committed_pence, c->total.committed_pence);
	assert_int_equal(sum.forecast_pence, c->total.forecast_pence);
	assert_int_equal(sum.gross_forecast_pence, c->total.gross_forecast_pence);
	assert_int_equal(sum.health_forecast_pence, c->total.health_forecast_pence);
	assert_int_equal(sum.education_forecast_pence, c->total.education_forecast_pence);
	assert_int_equal(sum.over_threshold_actual_pence, c->total.over_threshold_actual_pence);
	assert_int_equal(sum.over_threshold_forecast_pence,
			 c->total.over_threshold_forecast_pence);
	if (budgets_too)
		assert_int_equal(sum.budget_pence, c->total.budget_pence);
}

static void test_groupings_reconcile_to_the_penny(void **state)
{
	static const char *const groupings[] = {
		"placement_type", "provider", "locality", "budget_line"
	};
	csperf_costs *c;

	for (size_t i = 0; i < sizeof(groupings) / sizeof(groupings[0]); i++) {
		static const char *const days[] = { "2018-06-30", "2019-01-31", "2019-03-31" };

		for (size_t d = 0; d < 3; d++) {
			c = costs_as(finance_token, "2018-19", days[d], groupings[i]);
			assert_string_equal(c->group_by, groupings[i]);
			assert_groups_reconcile(c, strcmp(groupings[i], "budget_line") == 0);
			csperf_costs_free(c);
		}
	}

	c = costs_as(finance_token, "2018-19", "2019-01-31", "placement_type");
	assert_int_equal(c->ngroups, 5);
	assert_money(group_of(c, ""), 150000, 0, 150000, 0, 0, "");
	assert_money(group_of(c, "agency_foster"), 3189143, 842857, 4032000, 1, 3500000, "15.20");
	assert_money(group_of(c, "in_house_foster"), 3060000, 590000, 3650000, 1, 4500000,
		     "-18.89");
	assert_money(group_of(c, "residential"), 11025000, 0, 11025000, 1, 15000000, "-26.50");
	assert_money(group_of(c, "secure"), 3100000, 5900000, 9000000, 1, 8000000, "12.50");
	assert_int_equal(group_of(c, "residential")->health_forecast_pence, 2450000);
	assert_int_equal(group_of(c, "residential")->education_forecast_pence, 1225000);
	assert_int_equal(group_of(c, "residential")->open_placements, 0);
	assert_int_equal(group_of(c, "agency_foster")->placements, 1);
	assert_int_equal(group_of(c, "agency_foster")->average_weekly_cost_pence, 100000);
	assert_int_equal(group_of(c, "secure")->over_threshold_placements, 1);
	csperf_costs_free(c);

	/* Budget lines: the same, and the line with a budget and no costs. */
	c = costs_as(finance_token, "2018-19", "2019-01-31", "budget_line");
	assert_int_equal(c->ngroups, 6);
	assert_money(group_of(c, "semi_independent"), 0, 0, 0, 1, 1000000, "-100.00");
	assert_money(group_of(c, "agency_foster"), 3189143, 842857, 4032000, 1, 3500000, "15.20");
	csperf_costs_free(c);

	c = costs_as(finance_token, "2018-19", "2019-01-31", "provider");
	assert_int_equal(c->ngroups, 4);
	assert_money(group_of(c, "PR0"), 150000, 0, 150000, 0, 0, "");
	assert_money(group_of(c, "PR1"), 3060000, 590000, 3650000, 0, 0, "");
	assert_money(group_of(c, "PR3"), 3100000, 5900000, 9000000, 0, 0, "");
	assert_money(group_of(c, "PR4"), 14214143, 842857, 15057000, 0, 0, "");
	assert_int_equal(group_of(c, "PR4")->children, 2);
	csperf_costs_free(c);

	c = costs_as(finance_token, "2018-19", "2019-01-31", "locality");
	assert_int_equal(c->ngroups, 4);
	assert_money(group_of(c, "North"), 14085000, 590000, 14675000, 0, 0, "");
	assert_money(group_of(c, "South"), 3189143, 842857, 4032000, 0, 0, "");
	assert_money(group_of(c, "East"), 3100000, 5900000, 9000000, 0, 0, "");
	assert_money(group_of(c, ""), 150000, 0, 150000, 0, 0, "");
	csperf_costs_free(c);
}

/* ---- the export ---- */

typedef struct collected {
	csperf_cost_line lines[16];
	char *strings[16 * 8];
	size_t count, nstrings;
	int64_t actual, committed, forecast, gross, health, education;
} collected;

static const char *keep(collected *c, const char *text)
{
	char *copy = strdup(text);

	assert_non_null(copy);
	c->strings[c->nstrings++] = copy;
	return copy;
}

static int collect(const csperf_cost_line *l, void *ctx)
{
	collected *c = ctx;
	csperf_cost_line *kept;

	assert_true(c->count < 16);
	kept = &c->lines[c->count++];
	*kept = *l;
	kept->child_id = keep(c, l->child_id);
	kept->start_date = keep(c, l->start_date);
	kept->from_date = keep(c, l->from_date);
	kept->to_date = keep(c, l->to_date);
	kept->placement_category = keep(c, l->placement_category);
	kept->as_at = keep(c, l->as_at);
	c->actual += l->actual_pence;
	c->committed += l->committed_pence;
	c->forecast += l->forecast_pence;
	c->gross += l->gross_forecast_pence;
	c->health += l->health_forecast_pence;
	c->education += l->education_forecast_pence;
	return 0;
}

static void collected_free(collected *c)
{
	for (size_t i = 0; i < c->nstrings; i++)
		free(c->strings[i]);
}

static void export_as(const char *token, const char *year, const char *as_at, collected *out)
{
	csperf_client *client = client_with(token);
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	uint64_t count = 0;

	memset(out, 0, sizeof(*out));
	query.council = COUNCIL;
	query.financial_year = year;
	query.as_at = as_at;
	if (csperf_costs_export(client, &query, collect, out, &count) != CSPERF_OK)
		fail_msg("ExportPlacementCosts: %s", csperf_error_last());
	assert_int_equal(count, out->count);
	csperf_client_free(client);
}

static int stop_after_two(const csperf_cost_line *l, void *ctx)
{
	uint64_t *seen = ctx;

	(void)l;
	return ++*seen == 2;
}

/* A caller that stops the export is told so. */
static void test_export_stopped_by_the_caller(void **state)
{
	csperf_client *client = client_with(finance_token);
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	uint64_t seen = 0, count = 0;

	query.council = COUNCIL;
	query.financial_year = "2018-19";
	query.as_at = "2019-01-31";
	assert_int_equal(csperf_costs_export(client, &query, stop_after_two, &seen, &count),
			 CSPERF_ECANCELLED);
	assert_int_equal(seen, 2);
	assert_int_equal(count, 2);
	csperf_client_free(client);
}

static const csperf_cost_line *line_of(const collected *c, const char *child, const char *start)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->lines[i].child_id, child) == 0 &&
		    strcmp(c->lines[i].start_date, start) == 0)
			return &c->lines[i];
	return NULL;
}

static void assert_line(const csperf_cost_line *l, const char *from, const char *to, int open,
			int actual_days, int committed_days, int64_t actual, int64_t committed)
{
	assert_non_null(l);
	assert_string_equal(l->from_date, from);
	assert_string_equal(l->to_date, to);
	assert_int_equal(l->placement_open, open);
	assert_int_equal(l->actual_days, actual_days);
	assert_int_equal(l->committed_days, committed_days);
	assert_int_equal(l->actual_pence, actual);
	assert_int_equal(l->committed_pence, committed);
	assert_int_equal(l->forecast_pence, actual + committed);
}

static void test_export_lines_sum_to_the_costs(void **state)
{
	static const char *const days[] = { "2018-04-01", "2018-10-14", "2019-01-31",
					     "2019-03-31" };
	collected c;
	csperf_costs *costs;

	export_as(finance_token, "2018-19", "2019-01-31", &c);
	/* A1, B1's two rate periods, C1, D1, E1; F1 has not started. */
	assert_int_equal(c.count, 6);
	assert_string_equal(c.lines[0].as_at, "2019-01-31");
	assert_line(line_of(&c, "A1", "2018-02-01"), "2018-04-01", "2019-03-31", 1, 306, 59,
		    3060000, 590000);
	assert_line(line_of(&c, "B1", "2018-06-01"), "2018-06-01", "2018-10-14", 1, 136, 0,
		    1632000, 0);
	assert_line(line_of(&c, "B1", "2018-10-15"), "2018-10-15", "2019-03-31", 1, 109, 59,
		    1557143, 842857);
	assert_line(line_of(&c, "C1", "2018-05-01"), "2018-05-01", "2018-12-31", 0, 245, 0,
		    11025000, 0);
	assert_int_equal(line_of(&c, "C1", "2018-05-01")->gross_forecast_pence, 14700000);
	assert_int_equal(line_of(&c, "C1", "2018-05-01")->health_forecast_pence, 2450000);
	assert_int_equal(line_of(&c, "C1", "2018-05-01")->education_forecast_pence, 1225000);
	assert_line(line_of(&c, "D1", "2019-01-01"), "2019-01-01", "2019-03-31", 1, 31, 59,
		    3100000, 5900000);
	assert_line(line_of(&c, "E1", "2018-04-01"), "2018-04-01", "2018-04-30", 0, 30, 0,
		    150000, 0);
	assert_string_equal(line_of(&c, "E1", "2018-04-01")->placement_category, "");
	assert_null(line_of(&c, "F1", "2019-02-10"));
	collected_free(&c);

	/* On other days too, the lines add up to GetPlacementCosts exactly. */
	for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
		export_as(finance_token, "2018-19", days[d], &c);
		costs = costs_as(finance_token, "2018-19", days[d], NULL);
		assert_int_equal(c.actual, costs->total.actual_pence);
		assert_int_equal(c.committed, costs->total.committed_pence);
		assert_int_equal(c.forecast, costs->total.forecast_pence);
		assert_int_equal(c.gross, costs->total.gross_forecast_pence);
		assert_int_equal(c.health, costs->total.health_forecast_pence);
		assert_int_equal(c.education, costs->total.education_forecast_pence);
		csperf_costs_free(costs);
		collected_free(&c);
	}
}

/* ---- a leap year ---- */

static void test_leap_year(void **state)
{
	collected c;

	/* 2019-20 has 29 February: A1's open placement runs 366 days. */
	export_as(finance_token, "2019-20", "2019-04-30", &c);
	assert_line(line_of(&c, "A1", "2018-02-01"), "2019-04-01", "2020-03-31", 1, 30, 336,
		    300000, 3360000);
	/* G1 starts in February 2020: not yet open on 30 April 2019. */
	assert_null(line_of(&c, "G1", "2020-02-01"));
	collected_free(&c);

	export_as(finance_token, "2019-20", "2020-03-31", &c);
	assert_line(line_of(&c, "A1", "2018-02-01"), "2019-04-01", "2020-03-31", 1, 366, 0,
		    3660000, 0);
	assert_line(line_of(&c, "G1", "2020-02-01"), "2020-02-01", "2020-02-29", 0, 29, 0,
		    414286, 0);
	collected_free(&c);
}

/* ---- the FN indicators: the same computation ---- */

static int64_t pence_of(double pounds)
{
	return (int64_t)(pounds * 100.0 + (pounds < 0 ? -0.5 : 0.5));
}

static double council_indicator(const char *council, const char *id, const char *type,
				const char *period)
{
	csperf_client *client = client_with(server.token);
	csperf_series *series = NULL;
	double value;

	if (csperf_series_get(client, council, id, type, period, period, &series) != CSPERF_OK)
		fail_msg("series %s: %s", id, csperf_error_last());
	assert_int_equal(series->count, 1);
	assert_true(series->points[0].value.present);
	value = series->points[0].value.value;
	csperf_series_free(series);
	csperf_client_free(client);
	return value;
}

static double indicator_value(const char *id, const char *type, const char *period)
{
	return council_indicator(COUNCIL, id, type, period);
}

static void test_fn_indicators_agree(void **state)
{
	csperf_costs *january = costs_as(server.token, "2018-19", "2019-01-31", "placement_type");
	csperf_costs *year_end = costs_as(server.token, "2018-19", "2019-03-31", "placement_type");

	/* FN01 for the year to January is the actual spend as at 31 January. */
	assert_int_equal(pence_of(indicator_value("FN01", "ytd", "ytd:2019-01")),
			 january->total.actual_pence);
	assert_int_equal(january->total.actual_pence, 20524143);
	/* FN03, the forecast out-turn, is the forecast as at the year's end;
	 * by category, against each budget line. */
	assert_int_equal(pence_of(indicator_value("FN03", "year", "2018-19")),
			 year_end->total.forecast_pence);
	assert_int_equal(pence_of(indicator_value("FN03AF", "year", "2018-19")),
			 group_of(year_end, "agency_foster")->forecast_pence);
	assert_int_equal(pence_of(indicator_value("FN03SE", "year", "2018-19")), 9000000);
	assert_int_equal(pence_of(indicator_value("FN03IF", "year", "2018-19")),
			 group_of(year_end, "in_house_foster")->forecast_pence);
	assert_int_equal(group_of(year_end, "in_house_foster")->forecast_pence, 4150000);
	/* FN02 and FN04 on 31 January: the open lines' mean weekly cost, and those
	 * over 5,000 a week. */
	assert_int_equal(pence_of(indicator_value("FN02", "month", "2019-01")),
			 january->total.average_weekly_cost_pence);
	assert_int_equal((int64_t)indicator_value("FN04", "month", "2019-01"),
			 january->total.over_threshold_placements);
	csperf_costs_free(january);
	csperf_costs_free(year_end);
}

/* Each line is rounded once, in the indicator as in the costs: the year to
 * May 2019 is where rounding only the total would be a penny out. */
static void test_fn01_rounds_each_line_as_the_costs_do(void **state)
{
	csperf_costs *may = costs_as(finance_token, "2019-20", "2019-05-31", NULL);

	assert_int_equal(may->total.actual_pence, 8277142);
	assert_int_equal(pence_of(indicator_value("FN01", "ytd", "ytd:2019-05")), 8277142);
	csperf_costs_free(may);
}

/* ---- a council csperf-gen made ---- */

#ifdef CSPERF_GEN_PATH
#define GENERATED "962"

typedef struct line_sums {
	uint64_t lines;
	int64_t actual, committed, forecast, gross, health, education;
} line_sums;

static int sum_line(const csperf_cost_line *l, void *ctx)
{
	line_sums *s = ctx;

	s->lines++;
	s->actual += l->actual_pence;
	s->committed += l->committed_pence;
	s->forecast += l->forecast_pence;
	s->gross += l->gross_forecast_pence;
	s->health += l->health_forecast_pence;
	s->education += l->education_forecast_pence;
	return 0;
}

/* Hundreds of cost lines in pounds and pence (rates that change on 1 April
 * and mid-placement, contributions, every category): every grouping adds up
 * to the total, the export to the figures, and FN01 and FN03 agree, on any
 * day. */
static void test_a_generated_council_reconciles(void **state)
{
	static const char *const groupings[] = {
		"placement_type", "provider", "locality", "budget_line"
	};
	static const struct {
		const char *year, *as_at;
	} days[] = {
		{ "2018-19", "2018-09-30" }, { "2018-19", "2019-03-31" },
		{ "2019-20", "2019-09-30" }, { "2019-20", "2020-02-29" }, { "2019-20", "2020-03-31" },
	};
	char gen_dir[300], load_dir[320], from[400], to[400], *out = NULL, *err = NULL;

	snprintf(gen_dir, sizeof(gen_dir), "%s/generated", data_dir);
	snprintf(load_dir, sizeof(load_dir), "%s/costs", data_dir);
	assert_int_equal(fixture_run((const char *const[]){ CSPERF_GEN_PATH, "--council", GENERATED,
		"--children", "5000", "--years", "3", "--seed", "11", "--end-year", "2020", "--out",
		gen_dir, NULL }, NULL, &out, &err, 300), 0);
	free(out);
	free(err);
	/* Only the costs and budgets: the rest of the council is not needed. */
	assert_int_equal(mkdir(load_dir, 0755), 0);
	snprintf(from, sizeof(from), "%s/csv/placement_cost.csv", gen_dir);
	snprintf(to, sizeof(to), "%s/placement_cost.csv", load_dir);
	assert_int_equal(rename(from, to), 0);
	snprintf(from, sizeof(from), "%s/csv/budget.csv", gen_dir);
	snprintf(to, sizeof(to), "%s/budget.csv", load_dir);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(run_cli((const char *const[]){ "load", "--council", GENERATED, "--format",
						       "csv", load_dir, NULL }, &out), 0);
	free(out);

	for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
		csperf_client *admin = client_with(server.token);
		csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
		csperf_costs *total = council_costs(server.token, GENERATED, days[d].year,
						    days[d].as_at, NULL);
		line_sums sums;

		assert_true(total->total.placements > 50);
		assert_true(total->total.has_budget);
		for (size_t g = 0; g < sizeof(groupings) / sizeof(groupings[0]); g++) {
			csperf_costs *c = council_costs(server.token, GENERATED, days[d].year,
							days[d].as_at, groupings[g]);

			assert_int_equal(c->total.forecast_pence, total->total.forecast_pence);
			assert_groups_reconcile(c, strcmp(groupings[g], "budget_line") == 0);
			csperf_costs_free(c);
		}
		memset(&sums, 0, sizeof(sums));
		query.council = GENERATED;
		query.financial_year = days[d].year;
		query.as_at = days[d].as_at;
		assert_int_equal(csperf_costs_export(admin, &query, sum_line, &sums, NULL), CSPERF_OK);
		assert_int_equal(sums.actual, total->total.actual_pence);
		assert_int_equal(sums.committed, total->total.committed_pence);
		assert_int_equal(sums.forecast, total->total.forecast_pence);
		assert_int_equal(sums.gross, total->total.gross_forecast_pence);
		assert_int_equal(sums.health, total->total.health_forecast_pence);
		assert_int_equal(sums.education, total->total.education_forecast_pence);
		/* At the year's end the forecast is the year's out-turn, FN03. */
		if (strcmp(days[d].as_at + 5, "03-31") == 0)
			assert_int_equal(pence_of(council_indicator(GENERATED, "FN03", "year",
								    days[d].year)),
					 total->total.forecast_pence);
		csperf_costs_free(total);
		csperf_client_free(admin);
	}
	{
		csperf_costs *september = council_costs(server.token, GENERATED, "2019-20",
							"2019-09-30", NULL);

		assert_int_equal(pence_of(council_indicator(GENERATED, "FN01", "ytd", "ytd:2019-09")),
				 september->total.actual_pence);
		csperf_costs_free(september);
	}
}
#endif

/* ---- the budget criterion of GetExceptions ---- */

static const csperf_exception *exception_of(const csperf_exceptions *ex, const char *id)
{
	for (size_t i = 0; i < ex->count; i++)
		if (strcmp(ex->exceptions[i].indicator_id, id) == 0)
			return &ex->exceptions[i];
	return NULL;
}

static int has_criterion(const csperf_exception *e, const char *criterion)
{
	for (size_t i = 0; e != NULL && i < e->ncriteria; i++)
		if (strcmp(e->criteria[i], criterion) == 0)
			return 1;
	return 0;
}

static void test_over_budget_lines_raise_exceptions(void **state)
{
	csperf_client *client = client_with(server.token);
	csperf_exceptions *ex = NULL;
	const csperf_exception *e;

	/* As at the year's end: agency foster 40,320 against 35,000, secure
	 * 90,000 against 80,000; in-house 41,500 is under its 45,000 and
	 * residential 110,250 under 150,000. */
	assert_int_equal(csperf_exceptions_get(client, COUNCIL, "2018-19:Q4", &ex), CSPERF_OK);
	e = exception_of(ex, "FN03SE");
	assert_true(has_criterion(e, "budget"));
	assert_non_null(strstr(e->reason, "FN03SE is linked to the budget line secure, forecast "
			       "to spend \xc2\xa3" "90,000 in 2018-19 against a budget of "
			       "\xc2\xa3" "80,000 (12.50% over) as at 2019-03-31"));
	e = exception_of(ex, "FN03AF");
	assert_true(has_criterion(e, "budget"));
	assert_non_null(strstr(e->reason, "(15.20% over)"));
	assert_false(has_criterion(exception_of(ex, "FN03IF"), "budget"));
	assert_false(has_criterion(exception_of(ex, "FN03RE"), "budget"));
	/* The provider splits have no budget line of their own any more. */
	assert_false(has_criterion(exception_of(ex, "FN03A"), "budget"));
	csperf_exceptions_free(ex);
	csperf_client_free(client);
}

/* ---- access ---- */

static void test_locality_token_sees_its_lines_only(void **state)
{
	csperf_costs *c = costs_as(north_token, "2018-19", "2019-01-31", "locality");
	collected lines;

	/* A1 and C1; budgets are the council's, not a locality's. */
	assert_int_equal(c->ngroups, 1);
	assert_string_equal(c->groups[0].key, "North");
	assert_money(&c->total, 14085000, 590000, 14675000, 0, 0, "");
	csperf_costs_free(c);
	export_as(north_token, "2018-19", "2019-01-31", &lines);
	assert_int_equal(lines.count, 2);
	assert_non_null(line_of(&lines, "A1", "2018-02-01"));
	assert_non_null(line_of(&lines, "C1", "2018-05-01"));
	collected_free(&lines);
}

static void test_refusals_and_bad_requests(void **state)
{
	csperf_client *reader = client_with(reader_token), *finance = client_with(finance_token),
		      *admin = client_with(server.token);
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	csperf_costs *c = NULL;

	query.council = COUNCIL;
	query.financial_year = "2018-19";
	query.as_at = "2019-01-31";
	assert_int_equal(csperf_costs_get(reader, &query, &c), CSPERF_EPERM);
	query.council = "961";
	assert_int_equal(csperf_costs_get(finance, &query, &c), CSPERF_EPERM);
	assert_int_equal(csperf_costs_get(admin, &query, &c), CSPERF_ENOTFOUND);
	query.council = COUNCIL;
	query.financial_year = "2018";
	assert_int_equal(csperf_costs_get(finance, &query, &c), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "financial year such as 2018-19"));
	query.financial_year = "2018-19";
	query.as_at = "2018-03-31";
	assert_int_equal(csperf_costs_get(finance, &query, &c), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "is before the financial year 2018-19"));
	query.as_at = "2019-02-30";
	assert_int_equal(csperf_costs_get(finance, &query, &c), CSPERF_EINVAL);
	query.as_at = "2019-01-31";
	query.group_by = "colour";
	assert_int_equal(csperf_costs_get(finance, &query, &c), CSPERF_EINVAL);
	query.group_by = NULL;
	query.threshold_pence = -1;
	assert_int_equal(csperf_costs_get(finance, &query, &c), CSPERF_EINVAL);
	assert_null(c);
	csperf_client_free(reader);
	csperf_client_free(finance);
	csperf_client_free(admin);
}

/* ---- the tool ---- */

static void test_cli_costs_and_export(void **state)
{
	char path[300], *out = NULL, *file;
	json_t *doc;
	json_error_t error;
	int lines = 0;

	assert_int_equal(run_cli((const char *const[]){ "costs", "--council", COUNCIL, "--year",
						       "2018-19", "--as-at", "2019-01-31", "--by",
						       "placement-type", "--format", "json", NULL },
				 &out), 0);
	doc = json_loads(out, 0, &error);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "total"),
							    "forecast_pence")), 27857000);
	assert_int_equal(json_array_size(json_object_get(doc, "groups")), 5);
	json_decref(doc);
	free(out);

	assert_int_equal(run_cli((const char *const[]){ "costs", "--council", COUNCIL, "--year",
						       "2018-19", "--as-at", "2019-01-31", NULL },
				 &out), 0);
	assert_non_null(strstr(out, "as at 2019-01-31"));
	assert_non_null(strstr(out, "205,241.43"));
	assert_non_null(strstr(out, "278,570.00"));
	free(out);

	snprintf(path, sizeof(path), "%s/export.csv", data_dir);
	assert_int_equal(run_cli((const char *const[]){ "costs", "export", "--council", COUNCIL,
						       "--year", "2018-19", "--as-at",
						       "2019-01-31", "--out", path, NULL }, &out), 0);
	free(out);
	file = fixture_read_file(path);
	assert_non_null(file);
	for (const char *p = file; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 7);   /* the header and six lines */
	/* Money in whole pence, as in `csperf costs -o csv`; the header says so. */
	assert_non_null(strstr(file, "\"weekly_cost_pence\""));
	assert_non_null(strstr(file, "\"forecast_pence\""));
	assert_non_null(strstr(file, "\"B1\",\"PB1\",\"2018-06-01\",\"agency_foster\",\"PR4\","
			       "\"South\",\"2018-10-15\",\"\",\"100000\",\"\",\"\",\"2018-10-15\","
			       "\"2019-03-31\",\"true\",\"109\",\"59\",\"1557143\",\"842857\","
			       "\"2400000\",\"2400000\",\"0\",\"0\"\r\n"));
	free(file);

	assert_int_equal(run_cli((const char *const[]){ "costs", "--council", COUNCIL, "--year",
						       "2018-19", "--by", "colour", NULL }, &out), 1);
	free(out);
}

/* ---- the database the migrations made ---- */

/* Every record table and view has exactly the schema's columns, in order,
 * with its types and NOT NULLs, after all the migrations (0002 made them,
 * 0007 added two columns to rec_placement_cost and its view). */
static void test_migrated_tables_match_the_schema(void **state)
{
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		char sql[512], expected[4096], view_expected[4096], *got;
		size_t len, vlen;

		len = (size_t)snprintf(expected, sizeof(expected),
				       "load_id:int8:NO,council:text:NO,record_no:int8:NO,"
				       "is_current:bool:NO");
		vlen = (size_t)snprintf(view_expected, sizeof(view_expected), "council,load_id");
		for (size_t f = 0; f < schema->nfields; f++) {
			const csperf_field *field = &schema->fields[f];
			const char *type = field->kind == CSPERF_FIELD_DATE ? "date"
				: field->kind == CSPERF_FIELD_INT ? "int4"
				: field->kind == CSPERF_FIELD_DECIMAL ? "numeric"
				: field->kind == CSPERF_FIELD_BOOL ? "bool" : "text";

			len += (size_t)snprintf(expected + len, sizeof(expected) - len, ",%s:%s:%s",
						field->name, type, field->required ? "NO" : "YES");
			vlen += (size_t)snprintf(view_expected + vlen, sizeof(view_expected) - vlen,
						 ",%s", field->name);
		}
		snprintf(sql, sizeof(sql),
			 "SELECT string_agg(column_name || ':' || udt_name || ':' || is_nullable, ',' "
			 "ORDER BY ordinal_position) FROM information_schema.columns WHERE "
			 "table_schema = 'public' AND table_name = 'rec_%s'", schema->name);
		got = fixture_pg_query(&pg, sql);
		assert_non_null(got);
		assert_string_equal(got, expected);
		free(got);
		snprintf(sql, sizeof(sql),
			 "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
			 "information_schema.columns WHERE table_schema = 'public' AND "
			 "table_name = '%s'", schema->name);
		got = fixture_pg_query(&pg, sql);
		assert_non_null(got);
		assert_string_equal(got, view_expected);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_total_as_at_31_january),
		cmocka_unit_test(test_groupings_reconcile_to_the_penny),
		cmocka_unit_test(test_export_lines_sum_to_the_costs),
		cmocka_unit_test(test_export_stopped_by_the_caller),
		cmocka_unit_test(test_leap_year),
		cmocka_unit_test(test_fn_indicators_agree),
		cmocka_unit_test(test_fn01_rounds_each_line_as_the_costs_do),
#ifdef CSPERF_GEN_PATH
		cmocka_unit_test(test_a_generated_council_reconciles),
#endif
		cmocka_unit_test(test_over_budget_lines_raise_exceptions),
		cmocka_unit_test(test_locality_token_sees_its_lines_only),
		cmocka_unit_test(test_refusals_and_bad_requests),
		cmocka_unit_test(test_cli_costs_and_export),
		cmocka_unit_test(test_migrated_tables_match_the_schema),
	};

	return cmocka_run_group_tests_name("integration_costs", tests, setup, teardown);
}
