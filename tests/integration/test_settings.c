/*
 * test_settings.c: each council its own (issue 19) against a real
 * PostgreSQL and csperfd: a council's own targets over the catalogue's (RAG
 * and exceptions follow them, and fall back when it sets none), links, its
 * scorecard's list and order, version history, a report card round trip with
 * its audit line, role refusals, and bad input refused with nothing written,
 * through the SDK and the csperf tool.
 *
 * Two councils, 950 and 951, with the same values set by hand (as in
 * test_scorecards.c): only 950 sets targets of its own, so 951 is the
 * fallback to the catalogue, read in the same breath.
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

#include <csperf/access.h>
#include <csperf/scorecards.h>

#include "fixture.h"

static fixture_pg pg;
static fixture_server server;
static char analyst[128], reader[128], other_analyst[128];
static char workdir[256];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void exec_sql(const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	free(r);
}

static char *query(const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	return r;
}

static void put_value(const char *council, const char *id, const char *period, const char *type,
		      const char *start, const char *end, double value)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO indicator_value (indicator_id, version, council, period_type, period, "
		 "period_start, period_end, numerator, denominator, value) VALUES ('%s', 1, '%s', "
		 "'%s', '%s', '%s', '%s', %g, 100, %g)", id, council, type, period, start, end,
		 value, value);
	exec_sql(sql);
}

/* TSA: up, catalogue target 90 tolerance 5, Q4 87 (amber, 3% worse: no
 * exception). TSB: down, no catalogue target, Q4 20. TSC: up, target 50,
 * Q4 60 (green), catalogue risk CR-CAT. */
static int put_indicator(csperf_client *client, const char *id, const char *polarity,
			 double target, const char *risk)
{
	csperf_indicator ind;
	csperf_target t = { "2018-19", target, 5 };
	const char *types[] = { "quarter", "year" };

	memset(&ind, 0, sizeof(ind));
	ind.indicator_id = id;
	ind.title = id;
	ind.stage = "assessment";
	ind.unit = "percent";
	ind.polarity = polarity;
	ind.kind = "count";
	ind.params_json = "{\"record\":\"referral\",\"date\":\"referral_date\"}";
	ind.nperiod_types = 2;
	ind.period_types = types;
	ind.ntargets = target >= 0 ? 1 : 0;
	ind.targets = &t;
	ind.corporate_risk = risk;
	ind.small_number_threshold = 5;
	ind.definition = "A test case set by hand.";
	return csperf_indicator_put(client, &ind, NULL);
}

static int setup(void **state)
{
	csperf_client *client;
	static const struct { const char *id, *polarity; double target; const char *risk;
			      double q3, q4; } cases[] = {
		{ "TSA", "up", 90, "", 88, 87 },
		{ "TSB", "down", -1, "", 21, 20 },
		{ "TSC", "up", 50, "CR-CAT", 55, 60 },
	};

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0 ||
	    fixture_mkdtemp(workdir, sizeof(workdir), "csperf-settings") != 0)
		return -1;
	exec_sql("INSERT INTO council (la_code, name, nation) VALUES ('950', 'Testshire', "
		 "'england'), ('951', 'Otherton', 'england')");
	if (fixture_token_create(pg.dsn, NULL, "analyst", "ann analyst",
				 (const char *const[]){ "950", NULL }, analyst, sizeof(analyst)) != 0 ||
	    fixture_token_create(pg.dsn, NULL, "reader", "rita reader",
				 (const char *const[]){ "950", NULL }, reader, sizeof(reader)) != 0 ||
	    fixture_token_create(pg.dsn, NULL, "analyst", "otto other",
				 (const char *const[]){ "951", NULL }, other_analyst,
				 sizeof(other_analyst)) != 0)
		return -1;
	client = fixture_client(server.address, server.token);
	if (client == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (put_indicator(client, cases[i].id, cases[i].polarity, cases[i].target,
				  cases[i].risk) != CSPERF_OK) {
			fprintf(stderr, "put %s: %s\n", cases[i].id, csperf_error_last());
			csperf_client_free(client);
			return -1;
		}
		for (int c = 0; c < 2; c++) {
			const char *council = c == 0 ? "950" : "951";

			put_value(council, cases[i].id, "2018-19:Q3", "quarter", "2018-10-01",
				  "2018-12-31", cases[i].q3);
			put_value(council, cases[i].id, "2018-19:Q4", "quarter", "2019-01-01",
				  "2019-03-31", cases[i].q4);
		}
	}
	csperf_client_free(client);
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	(void)state;
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

static csperf_scorecard *scorecard_of(csperf_client *client, const char *council)
{
	csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard *sc = NULL;

	q.council = council;
	q.period = "2018-19:Q4";
	q.stage = "assessment";
	if (csperf_scorecard_get(client, &q, &sc) != CSPERF_OK)
		fail_msg("GetScorecard %s: %s", council, csperf_error_last());
	return sc;
}

static const csperf_scorecard_row *row_of(const csperf_scorecard *sc, const char *id)
{
	for (size_t i = 0; i < sc->nrows; i++)
		if (strcmp(sc->rows[i].indicator_id, id) == 0)
			return &sc->rows[i];
	return NULL;
}

/* Whether TSA is among the council's exceptions, with off_target. */
static bool tsa_off_target(csperf_client *client, const char *council)
{
	csperf_exceptions *ex = NULL;
	bool found = false;

	if (csperf_exceptions_get(client, council, "2018-19:Q4", &ex) != CSPERF_OK)
		fail_msg("GetExceptions: %s", csperf_error_last());
	for (size_t i = 0; i < ex->count; i++)
		if (strcmp(ex->exceptions[i].indicator_id, "TSA") == 0)
			for (size_t k = 0; k < ex->exceptions[i].ncriteria; k++)
				found |= strcmp(ex->exceptions[i].criteria[k], "off_target") == 0;
	csperf_exceptions_free(ex);
	return found;
}

static int put_target(csperf_client *client, const char *id, double target, double tolerance,
		      unsigned flags)
{
	csperf_target t = { "2018-19", target, tolerance };
	csperf_indicator_settings s = { id, 1, &t, NULL, NULL };
	csperf_council_settings cs = { "950", 0, 1, &s, 0, NULL, NULL, NULL };

	return csperf_council_settings_put(client, &cs, flags, NULL);
}

static int settings_version(void)
{
	char *v = query("SELECT coalesce(max(version), 0) FROM council_settings_version "
			"WHERE council = '950'");
	int version = atoi(v);

	free(v);
	return version;
}

static void test_council_targets_override_the_catalogue(void **state)
{
	csperf_client *admin = fixture_client(server.address, server.token);
	csperf_scorecard *sc;
	const csperf_scorecard_row *r;

	(void)state;
	/* The catalogue's: amber, no exception, for both councils. */
	sc = scorecard_of(admin, "950");
	r = row_of(sc, "TSA");
	assert_non_null(r);
	assert_string_equal(r->rag, "amber");
	assert_string_equal(r->target_source, "catalogue");
	assert_true(r->target.value == 90);
	assert_string_equal(row_of(sc, "TSB")->target_source, "");
	csperf_scorecard_free(sc);
	assert_false(tsa_off_target(admin, "950"));

	/* 950's own target, 95 with a tolerance of 3: 87 is red, an exception. */
	assert_int_equal(put_target(admin, "TSA", 95, 3, CSPERF_SETTINGS_MERGE), CSPERF_OK);
	sc = scorecard_of(admin, "950");
	r = row_of(sc, "TSA");
	assert_string_equal(r->rag, "red");
	assert_string_equal(r->target_source, "council");
	assert_true(r->target.value == 95 && r->tolerance.value == 3);
	csperf_scorecard_free(sc);
	assert_true(tsa_off_target(admin, "950"));
	/* 951 has none of its own: the catalogue's still. */
	sc = scorecard_of(admin, "951");
	assert_string_equal(row_of(sc, "TSA")->rag, "amber");
	assert_string_equal(row_of(sc, "TSA")->target_source, "catalogue");
	csperf_scorecard_free(sc);
	assert_false(tsa_off_target(admin, "951"));

	/* A target the council lowers to 85: green, and the exception is gone. */
	assert_int_equal(put_target(admin, "TSA", 85, 3, CSPERF_SETTINGS_MERGE), CSPERF_OK);
	sc = scorecard_of(admin, "950");
	assert_string_equal(row_of(sc, "TSA")->rag, "green");
	csperf_scorecard_free(sc);
	assert_false(tsa_off_target(admin, "950"));

	/* A target where the catalogue has none: TSB (down) 15, tolerance 2. */
	assert_int_equal(put_target(admin, "TSB", 15, 2, CSPERF_SETTINGS_MERGE), CSPERF_OK);
	sc = scorecard_of(admin, "950");
	assert_string_equal(row_of(sc, "TSB")->rag, "red");
	assert_string_equal(row_of(sc, "TSA")->rag, "green");   /* merged: TSA's kept */
	csperf_scorecard_free(sc);

	/* Whole settings without TSA: back to the catalogue's. */
	{
		csperf_council_settings cs = { "950", 0, 0, NULL, 0, NULL, NULL, NULL };

		assert_int_equal(csperf_council_settings_put(admin, &cs, 0, NULL), CSPERF_OK);
	}
	sc = scorecard_of(admin, "950");
	assert_string_equal(row_of(sc, "TSA")->rag, "amber");
	assert_string_equal(row_of(sc, "TSA")->target_source, "catalogue");
	assert_string_equal(row_of(sc, "TSB")->rag, "none");
	csperf_scorecard_free(sc);
	csperf_client_free(admin);
}

static void test_links_order_and_history(void **state)
{
	csperf_client *admin = fixture_client(server.address, server.token);
	csperf_council_settings_list *list = NULL;
	csperf_scorecard *sc;
	int before = settings_version();

	(void)state;
	{
		csperf_indicator_settings s[] = {
			{ "TSA", 0, NULL, "CR-COUNCIL", "other" },
			{ "TSC", 0, NULL, "none", NULL },
		};
		const char *order[] = { "TSC", "TSA" };
		csperf_council_settings cs = { "950", 0, 2, s, 2, order, NULL, NULL };

		assert_int_equal(csperf_council_settings_put(admin, &cs, 0, &list), CSPERF_OK);
		assert_int_equal(list->settings[0].version, before + 1);
		assert_string_equal(list->settings[0].created_by, "fixture-admin");
		csperf_council_settings_list_free(list);
	}
	sc = scorecard_of(admin, "950");
	/* Only the listed indicators, in the council's order. */
	assert_int_equal(sc->nrows, 2);
	assert_string_equal(sc->rows[0].indicator_id, "TSC");
	assert_string_equal(sc->rows[1].indicator_id, "TSA");
	assert_string_equal(sc->rows[1].corporate_risk, "CR-COUNCIL");
	assert_string_equal(sc->rows[1].budget_line, "other");
	assert_string_equal(sc->rows[0].corporate_risk, "");   /* "none" */
	csperf_scorecard_free(sc);
	/* 951: every indicator of the stage (the catalogue's too), its links. */
	sc = scorecard_of(admin, "951");
	assert_true(sc->nrows > 3);
	assert_non_null(row_of(sc, "TSA"));
	assert_non_null(row_of(sc, "TSB"));
	assert_string_equal(row_of(sc, "TSC")->corporate_risk, "CR-CAT");
	csperf_scorecard_free(sc);

	/* Merging one target keeps the list and the links. */
	assert_int_equal(put_target(admin, "TSC", 70, 5, CSPERF_SETTINGS_MERGE), CSPERF_OK);
	sc = scorecard_of(admin, "950");
	assert_int_equal(sc->nrows, 2);
	assert_string_equal(row_of(sc, "TSC")->rag, "red");
	assert_string_equal(row_of(sc, "TSA")->corporate_risk, "CR-COUNCIL");
	csperf_scorecard_free(sc);

	/* Every version is kept, newest first, each with who and when. */
	assert_int_equal(csperf_council_settings_get(admin, "950", 1, &list), CSPERF_OK);
	assert_int_equal((int)list->count, before + 2);
	assert_int_equal(list->settings[0].version, before + 2);
	assert_int_equal(list->settings[1].version, before + 1);
	assert_int_equal((int)list->settings[1].nscorecard, 2);
	assert_true(list->settings[0].created_at[0] == '2');
	csperf_council_settings_list_free(list);

	/* A council with none: version 0. */
	assert_int_equal(csperf_council_settings_get(admin, "951", 0, &list), CSPERF_OK);
	assert_int_equal(list->settings[0].version, 0);
	csperf_council_settings_list_free(list);
	csperf_client_free(admin);
}

static void test_bad_settings_write_nothing(void **state)
{
	csperf_client *admin = fixture_client(server.address, server.token);
	int before = settings_version();
	csperf_target bad_year = { "2018", 90, 5 }, bad_tol = { "2018-19", 90, -1 };
	csperf_indicator_settings unknown = { "NOSUCH", 0, NULL, NULL, NULL };
	csperf_indicator_settings year = { "TSA", 1, &bad_year, NULL, NULL };
	csperf_indicator_settings tol = { "TSA", 1, &bad_tol, NULL, NULL };
	const char *twice[] = { "TSA", "TSA" };
	csperf_council_settings cs = { "950", 0, 1, &unknown, 0, NULL, NULL, NULL };

	(void)state;
	assert_int_equal(csperf_council_settings_put(admin, &cs, 0, NULL), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "NOSUCH"));
	cs.indicators = &year;
	assert_int_equal(csperf_council_settings_put(admin, &cs, 0, NULL), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "\"2018\""));
	cs.indicators = &tol;
	assert_int_equal(csperf_council_settings_put(admin, &cs, 0, NULL), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "tolerance"));
	cs.nindicators = 0;
	cs.nscorecard = 2;
	cs.scorecard = twice;
	assert_int_equal(csperf_council_settings_put(admin, &cs, 0, NULL), CSPERF_EINVAL);
	cs.council = "999";
	cs.nscorecard = 0;
	assert_int_equal(csperf_council_settings_put(admin, &cs, 0, NULL), CSPERF_ENOTFOUND);
	assert_int_equal(settings_version(), before);
	csperf_client_free(admin);
}

/* Runs the csperf tool with token; returns its status, output in *out and
 * *err (free them). */
static int cli(const char *token, const char *const *args, char **out, char **err)
{
	const char *argv[24] = { CSPERF_CLI_PATH, "--server", server.address };
	char token_env[256];
	const char *env[] = { token_env, NULL };
	size_t n = 3;

	for (size_t i = 0; args[i] != NULL && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", token);
	return fixture_run(argv, env, out, err, 120);
}

static void test_cli_targets_file(void **state)
{
	char good[512], bad[512], json[512], *out = NULL, *err = NULL;
	int before;

	(void)state;
	snprintf(good, sizeof(good), "%s/targets.csv", workdir);
	snprintf(bad, sizeof(bad), "%s/bad.csv", workdir);
	snprintf(json, sizeof(json), "%s/targets.json", workdir);
	write_file(good, "indicator_id,year,target,tolerance,corporate_risk,budget_line,"
			   "position\nTSA,2018-19,95,3,CR-FILE,,2\nTSA,2019-20,96,3,,,\n"
			   "TSB,,,,,,1\n");
	write_file(bad, "indicator_id,year,target,tolerance\nTSA,2018-19,95,3\n"
			   "TSA,2019-20,lots,3\n");
	assert_int_equal(cli(server.token, (const char *const[]){ "targets", "put", "--council",
			 "950", good, NULL }, &out, &err), 0);
	free(out);
	free(err);
	before = settings_version();
	/* A bad line: file, line, field and value; nothing written. */
	assert_int_equal(cli(server.token, (const char *const[]){ "targets", "put", "--council",
			 "950", bad, NULL }, &out, &err), 5);
	assert_non_null(strstr(err, "bad.csv line 3, target: 'lots'"));
	assert_non_null(strstr(err, "nothing was written"));
	free(out);
	free(err);
	assert_int_equal(settings_version(), before);

	/* show -o json is what put takes: a round trip. */
	assert_int_equal(cli(reader, (const char *const[]){ "-o", "json", "targets", "show",
			 "--council", "950", NULL }, &out, &err), 0);
	assert_non_null(strstr(out, "\"CR-FILE\""));
	assert_non_null(strstr(out, "\"2019-20\""));
	assert_non_null(strstr(out, "\"scorecard\": [\n    \"TSB\",\n    \"TSA\"\n  ]"));
	write_file(json, out);
	free(out);
	free(err);
	assert_int_equal(cli(server.token, (const char *const[]){ "targets", "put", "--council",
			 "950", json, NULL }, &out, &err), 0);
	free(out);
	free(err);
	assert_int_equal(settings_version(), before + 1);

	/* One indicator from flags, merged; an unknown one refused by name. */
	assert_int_equal(cli(server.token, (const char *const[]){ "targets", "put", "--council",
			 "950", "--indicator", "TSC", "--year", "2018-19", "--target", "40", NULL },
			 &out, &err), 0);
	free(out);
	free(err);
	assert_int_equal(cli(server.token, (const char *const[]){ "targets", "put", "--council",
			 "950", "--indicator", "NOPE", "--year", "2018-19", "--target", "40", NULL },
			 &out, &err), 5);
	assert_non_null(strstr(err, "indicator_id: 'NOPE'"));
	free(out);
	free(err);
	{
		csperf_client *admin = fixture_client(server.address, server.token);
		csperf_scorecard *sc = scorecard_of(admin, "950");

		assert_int_equal(sc->nrows, 2);
		assert_string_equal(sc->rows[0].indicator_id, "TSB");
		assert_string_equal(row_of(sc, "TSA")->rag, "red");   /* 87 against 95 */
		assert_string_equal(row_of(sc, "TSA")->corporate_risk, "CR-FILE");
		csperf_scorecard_free(sc);
		csperf_client_free(admin);
	}
	/* An analyst may not set targets. */
	assert_int_equal(cli(analyst, (const char *const[]){ "targets", "put", "--council", "950",
			 good, NULL }, &out, &err), 4);
	free(out);
	free(err);
}

static void test_report_card_round_trip(void **state)
{
	csperf_client *ann = fixture_client(server.address, analyst);
	csperf_client *rita = fixture_client(server.address, reader);
	csperf_client *otto = fixture_client(server.address, other_analyst);
	csperf_report_card card, *c;
	csperf_report_card_list *list = NULL;
	csperf_scorecard *sc;
	const char *commentary = "Caf\xc3\xa9 <b>staff</b> & \"cover\": 3 of 4 posts filled.";
	char *audit;

	(void)state;
	memset(&card, 0, sizeof(card));
	card.council = "950";
	card.indicator_id = "TSA";
	card.period = "2018-19:Q4";
	card.lead_officer = "Head of Assessment";
	card.data_owner = "Performance Team";
	card.commentary = commentary;
	card.actions = "Recruit two social workers by June.";
	assert_int_equal(csperf_report_card_put(ann, &card, 0, &list), CSPERF_OK);
	c = (csperf_report_card *)&list->cards[0];
	assert_int_equal(c->version, 1);
	assert_string_equal(c->commentary, commentary);
	assert_string_equal(c->commentary_by, "ann analyst");
	assert_true(c->commentary_at[0] == '2');
	csperf_report_card_list_free(list);

	/* Only the actions, by an admin: the commentary and who wrote it kept. */
	card.actions = "Recruit three.";
	{
		csperf_client *admin = fixture_client(server.address, server.token);

		assert_int_equal(csperf_report_card_put(admin, &card, CSPERF_CARD_ACTIONS, NULL),
				 CSPERF_OK);
		csperf_client_free(admin);
	}
	assert_int_equal(csperf_report_cards_get(rita, "950", "2018-19:Q4", "TSA", 0, &list),
			 CSPERF_OK);
	assert_int_equal((int)list->count, 1);
	assert_int_equal(list->cards[0].version, 2);
	assert_string_equal(list->cards[0].commentary, commentary);
	assert_string_equal(list->cards[0].commentary_by, "ann analyst");
	assert_string_equal(list->cards[0].actions, "Recruit three.");
	assert_string_equal(list->cards[0].actions_by, "fixture-admin");
	csperf_report_card_list_free(list);
	/* History: both versions, newest first. */
	assert_int_equal(csperf_report_cards_get(rita, "950", "2018-19:Q4", NULL, 1, &list),
			 CSPERF_OK);
	assert_int_equal((int)list->count, 2);
	assert_int_equal(list->cards[1].version, 1);
	assert_string_equal(list->cards[1].actions, "Recruit two social workers by June.");
	csperf_report_card_list_free(list);

	/* Beside the figure on the scorecard, for the period only. */
	sc = scorecard_of(rita, "950");
	assert_non_null(row_of(sc, "TSA")->report_card);
	assert_string_equal(row_of(sc, "TSA")->report_card->lead_officer, "Head of Assessment");
	assert_null(row_of(sc, "TSB")->report_card);
	csperf_scorecard_free(sc);

	/* The audit line: who, which council, card and version; never the text. */
	audit = query("SELECT principal_name || '|' || council || '|' || parameters || '|' || status "
		      "FROM audit_log WHERE method LIKE '%PutReportCard' ORDER BY id LIMIT 1");
	assert_non_null(strstr(audit, "ann analyst|950|"));
	assert_non_null(strstr(audit, "indicator_id=TSA"));
	assert_non_null(strstr(audit, "version=1"));
	assert_null(strstr(audit, "staff"));
	free(audit);
	audit = query("SELECT count(*) FROM audit_log WHERE method LIKE '%GetReportCards' AND "
		      "principal_name = 'rita reader' AND council = '950'");
	assert_string_equal(audit, "2");
	free(audit);

	/* csperfd's log names the card written, never its text. */
	{
		char *log = fixture_read_file(server.log_path);

		assert_non_null(log);
		assert_non_null(strstr(log, "report card 950 TSA 2018-19:Q4 version 1 written"));
		assert_null(strstr(log, "staff"));
		assert_null(strstr(log, "Recruit"));
		free(log);
	}

	/* Refusals: a reader may not write; an analyst not for another council. */
	assert_int_equal(csperf_report_card_put(rita, &card, 0, NULL), CSPERF_EPERM);
	assert_int_equal(csperf_report_card_put(otto, &card, 0, NULL), CSPERF_EPERM);
	assert_int_equal(csperf_report_cards_get(otto, "950", "2018-19:Q4", NULL, 0, &list),
			 CSPERF_EPERM);
	{
		csperf_council_settings cs = { "950", 0, 0, NULL, 0, NULL, NULL, NULL };

		assert_int_equal(csperf_council_settings_put(ann, &cs, 0, NULL), CSPERF_EPERM);
	}

	/* Bad text: too long, a control character; nothing written. */
	{
		char *longer = malloc(4002);

		memset(longer, 'x', 4001);
		longer[4001] = '\0';
		card.commentary = longer;
		assert_int_equal(csperf_report_card_put(ann, &card, 0, NULL), CSPERF_EINVAL);
		assert_non_null(strstr(csperf_error_last(), "commentary"));
		assert_null(strstr(csperf_error_last(), "xxxx"));
		free(longer);
		card.commentary = "bell\a";
		assert_int_equal(csperf_report_card_put(ann, &card, 0, NULL), CSPERF_EINVAL);
		card.commentary = "fine";
		card.period = "2018-19:Q9";
		assert_int_equal(csperf_report_card_put(ann, &card, 0, NULL), CSPERF_EINVAL);
		audit = query("SELECT max(version) FROM report_card_version WHERE council = '950' "
			      "AND indicator_id = 'TSA'");
		assert_string_equal(audit, "2");
		free(audit);
	}
	csperf_client_free(ann);
	csperf_client_free(rita);
	csperf_client_free(otto);
}

static void test_cli_commentary(void **state)
{
	char path[512], *out = NULL, *err = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/commentary.txt", workdir);
	write_file(path, "Line one.\nLine two, <i>with</i> markup.\n");
	assert_int_equal(cli(analyst, (const char *const[]){ "commentary", "put", "--council", "950",
			 "--period", "2018-19:Q4", "--indicator", "TSC", "--commentary-file", path,
			 "--lead-officer", "Jo Lead", NULL }, &out, &err), 0);
	assert_non_null(strstr(out, "version 1 written"));
	free(out);
	free(err);
	assert_int_equal(cli(reader, (const char *const[]){ "-o", "json", "commentary", "show",
			 "--council", "950", "--period", "2018-19:Q4", "--indicator", "TSC", NULL },
			 &out, &err), 0);
	assert_non_null(strstr(out, "Line one.\\nLine two, <i>with</i> markup."));
	assert_non_null(strstr(out, "\"lead_officer\": \"Jo Lead\""));
	free(out);
	free(err);
	/* The scorecard's JSON carries it beside the figure. */
	assert_int_equal(cli(reader, (const char *const[]){ "-o", "json", "scorecard", "--council",
			 "950", "--period", "2018-19:Q4", NULL }, &out, &err), 0);
	assert_non_null(strstr(out, "\"report_card\": {"));
	assert_non_null(strstr(out, "\"target_source\": \"council\""));
	free(out);
	free(err);
	/* The committee report: the card beside the figure, its text escaped. */
	{
		char html_path[512], *html;

		snprintf(html_path, sizeof(html_path), "%s/report.html", workdir);
		assert_int_equal(cli(reader, (const char *const[]){ "report", "--council", "950",
				 "--period", "2018-19:Q4", "--out", html_path, NULL }, &out, &err), 0);
		free(out);
		free(err);
		html = fixture_read_file(html_path);
		assert_non_null(html);
		assert_non_null(strstr(html, "Caf\xc3\xa9 &lt;b&gt;staff&lt;/b&gt; &amp; "));
		assert_null(strstr(html, "<b>staff</b>"));
		assert_non_null(strstr(html, "<b>Lead officer:</b> Head of Assessment"));
		assert_non_null(strstr(html, "(ann analyst, "));
		assert_non_null(strstr(html, "council&#39;s"));
		free(html);
	}
	/* A file that is not UTF-8: refused by name, nothing written. */
	write_file(path, "caf\xe9\n");
	assert_int_equal(cli(analyst, (const char *const[]){ "commentary", "put", "--council", "950",
			 "--period", "2018-19:Q4", "--indicator", "TSC", "--commentary-file", path,
			 NULL }, &out, &err), 5);
	assert_non_null(strstr(err, "is not valid UTF-8"));
	free(out);
	free(err);
	/* A reader may not write. */
	assert_int_equal(cli(reader, (const char *const[]){ "commentary", "put", "--council", "950",
			 "--period", "2018-19:Q4", "--indicator", "TSC", "--actions", "x", NULL },
			 &out, &err), 4);
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_council_targets_override_the_catalogue),
		cmocka_unit_test(test_links_order_and_history),
		cmocka_unit_test(test_bad_settings_write_nothing),
		cmocka_unit_test(test_cli_targets_file),
		cmocka_unit_test(test_report_card_round_trip),
		cmocka_unit_test(test_cli_commentary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
