/*
 * test_cli.c: the csperf tool as its users meet it, against a real csperfd
 * with a synthetic council (cli_run.c): each inconsistency of issue 16 has
 * its test here (global options after the command, NO_COLOR, the words on
 * and off a terminal, help, "did you mean", one exit code per failure, the
 * checks made before calling, series bounds, council show, list, delete and
 * put, load progress, JSON types, the costs export's format and money, the
 * width of tables, token files and the config file). README.md's examples
 * are run by test_cli_readme.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli_run.h"

/* ---- global options, help ---- */

static void test_global_options_after_the_command(void **state)
{
	char token[200];
	run_result r;
	json_t *doc;

	(void)state;
	snprintf(token, sizeof(token), "%s", server.token);
	/* The README's and --help's form: --format after the command. */
	r = run((const char *const[]){ "scorecard", "--council", COUNCIL, "--period", "2018-19:Q4",
				       "--format", "json", NULL });
	assert_int_equal(r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	assert_true(json_is_array(json_object_get(doc, "rows")));
	json_decref(doc);
	run_free(&r);
	/* --server and --token after the command; the environment's are wrong. */
	{
		const char *env[] = { "CSPERF_SERVER=127.0.0.1:1", "CSPERF_TOKEN=nonsense", NULL };

		r = run_env((const char *const[]){ "info", "--server", server.address, "--token", token,
						   "-o", "json", NULL }, env);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "\"server_version\""));
		run_free(&r);
	}
	/* On load, --format names the input; -o the output. */
	r = run((const char *const[]){ "load", "-o", "json", "--council", COUNCIL, "--format",
				       "cin-xml", "cin_census_2019.xml", NULL });
	assert_int_equal(r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	json_decref(doc);
	run_free(&r);
	r = run((const char *const[]){ "load", "--council", COUNCIL, "--format", "json",
				       "cin_census_2019.xml", NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "--format must be ssda903, cin-xml or csv"));
	run_free(&r);
}

static void test_help_and_did_you_mean(void **state)
{
	run_result r;

	(void)state;
	r = run((const char *const[]){ "help", "scorecard", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Usage: csperf scorecard"));
	run_free(&r);
	r = run((const char *const[]){ "scorcard", NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "did you mean 'scorecard'?"));
	run_free(&r);
	r = run((const char *const[]){ "scorecard", "--councl", COUNCIL, NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "did you mean '--council'?"));
	run_free(&r);
	r = run((const char *const[]){ "--generate", "man", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, ".SH EXIT STATUS"));
	assert_non_null(strstr(r.out, ".SS scorecard"));
	run_free(&r);
	r = run((const char *const[]){ "--generate", "bash", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "complete -F _csperf csperf"));
	assert_non_null(strstr(r.out, "--output-format"));
	run_free(&r);
	r = run((const char *const[]){ "--generate", "zsh", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "#compdef csperf"));
	run_free(&r);
}

/* ---- terminals ---- */

static void test_colour_and_words_on_a_terminal(void **state)
{
	const char *args[] = { "scorecard", "--council", COUNCIL, "--period", "2018-19:Q4", NULL };
	const char *no_color[] = { "NO_COLOR=1", NULL };
	const char *dumb[] = { "TERM=dumb", NULL };
	run_result tty, plain, pipe;

	(void)state;
	tty = run_tty(args, NULL);
	assert_int_equal(tty.status, 0);
	assert_non_null(strstr(tty.out, "\033["));          /* colour on a terminal */
	plain = run_tty(args, no_color);
	assert_int_equal(plain.status, 0);
	assert_null(strstr(plain.out, "\033["));            /* NO_COLOR: none */
	run_free(&plain);
	plain = run_tty(args, dumb);
	assert_int_equal(plain.status, 0);
	assert_null(strstr(plain.out, "\033["));            /* TERM=dumb: none */
	pipe = run(args);
	assert_int_equal(pipe.status, 0);
	/* The same words with and without a terminal. */
	for (const char *const *word = (const char *const[]){ "improving", "worsening", "steady",
							     NULL }; *word != NULL; word++)
		assert_true((strstr(pipe.out, *word) != NULL) == (strstr(tty.out, *word) != NULL));
	assert_true(strstr(pipe.out, "improving") != NULL || strstr(pipe.out, "worsening") != NULL);
	assert_null(strstr(tty.out, " better"));
	assert_null(strstr(tty.out, " worse "));
	run_free(&plain);
	run_free(&tty);
	run_free(&pipe);
}

static size_t screen_chars(const char *start, const char *end)
{
	size_t n = 0;

	for (const char *p = start; p < end; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && *p != '\r')
			n++;
	return n;
}

static void test_tables_fit_columns_and_wide_shows_whole_titles(void **state)
{
	const char *args[] = { "scorecard", "--council", COUNCIL, "--period", "2018-19:Q4",
			       "--no-color", NULL };
	const char *wide_args[] = { "scorecard", "--council", COUNCIL, "--period", "2018-19:Q4",
				    "--no-color", "--wide", NULL };
	const char *columns[] = { "COLUMNS=100", NULL };
	run_result r, wide;
	size_t longest = 0;
	json_t *doc, *row;
	size_t i;

	(void)state;
	r = run_tty(args, columns);
	assert_int_equal(r.status, 0);
	for (const char *line = r.out, *end; *line != '\0'; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (screen_chars(line, end) > 100)
			fprintf(stderr, "too wide: %.*s\n", (int)(end - line), line);
		assert_true(screen_chars(line, end) <= 100);
	}
	/* --wide: every title whole, the longest one included. */
	wide = run_tty(wide_args, columns);
	assert_int_equal(wide.status, 0);
	r.status = 0;
	{
		run_result j = run((const char *const[]){ "scorecard", "--council", COUNCIL, "--period",
							  "2018-19:Q4", "-o", "json", NULL });

		doc = json_loads(j.out, 0, NULL);
		assert_non_null(doc);
		json_array_foreach(json_object_get(doc, "rows"), i, row) {
			const char *title = json_string_value(json_object_get(row, "title"));

			assert_non_null(strstr(wide.out, title));
			if (strlen(title) > longest)
				longest = strlen(title);
		}
		assert_true(longest > 50);   /* so that 100 columns had to cut some */
		json_decref(doc);
		run_free(&j);
	}
	assert_non_null(strstr(r.out, "\xe2\x80\xa6"));   /* cut with an ellipsis */
	run_free(&wide);
	run_free(&r);
}

static void test_load_progress_names_its_phase_on_a_terminal_only(void **state)
{
	const char *args[] = { "load", "--council", COUNCIL, "--format", "csv", "--key",
			       "progress-on-a-tty", "--label", "progress", "extracts/", NULL };
	const char *again[] = { "load", "--council", COUNCIL, "--format", "csv", "--key",
				"progress-in-a-pipe", "--label", "progress", "extracts/", NULL };
	run_result r;

	(void)state;
	r = run_tty(args, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "reading and sending"));
	assert_non_null(strstr(r.out, "csperfd storing the load and computing"));
	assert_non_null(strstr(r.out, "s] stored and computed by csperfd"));
	run_free(&r);
	r = run(again);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.err, "reading and sending"));
	assert_null(strstr(r.err, "storing"));
	run_free(&r);
}

/* ---- exit codes and checks before calling ---- */

static void test_one_exit_code_per_failure(void **state)
{
	(void)state;
	/* A missing input file: 6 for every command that reads one. */
	expect((const char *const[]){ "load", "--council", COUNCIL, "--format", "csv",
				      "no-such-file.csv", NULL }, 6, "no-such-file.csv");
	expect((const char *const[]){ "comparators", "load", "no-such-file.csv", NULL }, 6,
	       "cannot read no-such-file.csv");
	expect((const char *const[]){ "indicators", "put", "no-such-file.json", NULL }, 6,
	       "cannot read no-such-file.json");
	/* Values csperf checks itself: 1, naming the value and showing a valid one,
	 * before any call (the server named here does not exist). */
	expect((const char *const[]){ "scorecard", "--server", "127.0.0.1:1", "--council", COUNCIL,
				      "--period", "2018-19:Q5", NULL }, 1,
	       "--period '2018-19:Q5' is not a period");
	expect((const char *const[]){ "scorecard", "--server", "127.0.0.1:1", "--council", COUNCIL,
				      "--period", "2018-19:Q4", "--stage", "childprotection", NULL },
	       1, "e.g. --stage child_protection");
	expect((const char *const[]){ "costs", "--server", "127.0.0.1:1", "--council", COUNCIL,
				      "--year", "2018-19", "--as-at", "01/03/2019", NULL }, 1,
	       "--as-at '01/03/2019' is not a date written YYYY-MM-DD; e.g. --as-at 2019-01-31");
	expect((const char *const[]){ "annex-a", "--server", "127.0.0.1:1", "--council", COUNCIL,
				      "--as-at", "01/03/2019", "--out", "annex", NULL }, 1,
	       "--as-at '01/03/2019'");
	expect((const char *const[]){ "series", "--server", "127.0.0.1:1", "--council", "9",
				      "--indicator", "CN02", NULL }, 1, "--council '9'");
	expect((const char *const[]){ "cases", "--server", "127.0.0.1:1", "--council", COUNCIL,
				      "--indicator", "CN-02", "--period", "2018-19:Q4", NULL }, 1,
	       "--indicator 'CN-02'");
	/* A period after the council's data end says so, and is not a success. */
	expect((const char *const[]){ "scorecard", "--council", COUNCIL, "--period", "2030-31:Q1",
				      NULL }, 7, "data end on 2019-03-31, before 2030-31:Q1 starts");
	expect((const char *const[]){ "report", "--council", COUNCIL, "--period", "2030-31:Q1",
				      "--out", "future.html", NULL }, 7, "data end on 2019-03-31");
	assert_int_equal(access("future.html", F_OK), -1);
	/* No such load: 7, as any "nothing there". */
	expect((const char *const[]){ "loads", "delete", "--council", COUNCIL, "--id", "99999",
				      NULL }, 7, "");
}

static void test_series_ids_and_bounds(void **state)
{
	run_result r;
	json_t *doc, *first;

	(void)state;
	expect((const char *const[]){ "series", "--council", COUNCIL, "--indicator", "XX99", NULL },
	       7, "--indicator XX99: there is no such indicator");
	/* Lower case is the same indicator. */
	r = run((const char *const[]){ "series", "--council", COUNCIL, "--indicator", "cn02", "-o",
				       "json", NULL });
	assert_int_equal(r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	assert_true(json_array_size(json_object_get(doc, "rows")) > 0);
	/* JSON types: a boolean, numbers, null. */
	first = json_array_get(json_object_get(doc, "rows"), 0);
	assert_true(json_is_boolean(json_object_get(first, "provisional")));
	assert_true(json_is_number(json_object_get(first, "value")) ||
		    json_is_null(json_object_get(first, "value")));
	json_decref(doc);
	run_free(&r);
	/* A year's months start in April. */
	r = run((const char *const[]){ "series", "--council", COUNCIL, "--indicator", "CN02",
				       "--type", "month", "--from", "2018-19", "-o", "csv", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\r\n\"2018-04\""));
	assert_null(strstr(r.out, "\"2018-03\""));
	run_free(&r);
}

/* ---- formats and money ---- */

static void test_formats_are_honoured_or_refused(void **state)
{
	run_result r;
	json_t *doc, *total;

	(void)state;
	r = run((const char *const[]){ "-f", "json", "costs", "export", "--council", COUNCIL,
				       "--year", "2018-19", NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "CSV only"));
	run_free(&r);
	r = run((const char *const[]){ "costs", "export", "--council", COUNCIL, "--year", "2018-19",
				       NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"weekly_cost_pence\""));
	assert_non_null(strstr(r.out, "\"forecast_pence\""));
	run_free(&r);
	r = run((const char *const[]){ "costs", "--council", COUNCIL, "--year", "2018-19",
				       "--as-at", "2019-03-31", "-o", "json", NULL });
	assert_int_equal(r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	total = json_object_get(doc, "total");
	assert_true(json_is_integer(json_object_get(total, "forecast_pence")));
	assert_true(json_is_number(json_object_get(total, "variance_percent")) ||
		    json_is_null(json_object_get(total, "variance_percent")));
	assert_false(json_is_string(json_object_get(total, "variance_percent")));
	json_decref(doc);
	run_free(&r);
	/* Scorecard CSV carries the comparators. */
	must((const char *const[]){ "comparators", "load", "england_2019.csv", NULL });
	r = run((const char *const[]){ "scorecard", "--council", COUNCIL, "--period", "2018-19",
				       "-o", "csv", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"comparator_england\""));
	assert_non_null(strstr(r.out, "\"22.5\""));
	run_free(&r);
}

/* ---- council put ---- */

static void test_council_put_changes_only_the_fields_given(void **state)
{
	char *region;

	(void)state;
	must((const char *const[]){ "council", "put", "--council", "976", "--name", "Wolverhampton",
				    "--nation", "england", "--region", "West Midlands", NULL });
	must((const char *const[]){ "council", "put", "--council", "976", "--name", "City of "
				    "Wolverhampton", NULL });
	region = fixture_pg_query(&pg, "SELECT region || '|' || name || '|' || nation FROM council "
				  "WHERE la_code = '976'");
	assert_non_null(region);
	assert_string_equal(region, "West Midlands|City of Wolverhampton|england");
	free(region);
}

static void test_council_show_list_delete(void **state)
{
	run_result r;
	json_t *doc;

	(void)state;
	must((const char *const[]){ "council", "put", "--council", "977", "--name", "Dudley",
				    "--region", "West Midlands", "--neighbours", "975,976", NULL });
	r = run((const char *const[]){ "council", "show", "--council", "977", "-o", "json", NULL });
	assert_int_equal(r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "region")), "West Midlands");
	assert_string_equal(json_string_value(json_object_get(doc, "neighbours")), "975,976");
	assert_int_equal(json_integer_value(json_object_get(doc, "loads")), 0);
	json_decref(doc);
	run_free(&r);
	/* --region "" clears the region; the neighbours stay. */
	must((const char *const[]){ "council", "put", "--council", "977", "--region", "", NULL });
	r = run((const char *const[]){ "council", "list", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "975"));
	assert_non_null(strstr(r.out, "Dudley"));
	assert_non_null(strstr(r.out, "975,976"));
	run_free(&r);
	/* A council with loads stays; one without goes, and is then not there. */
	expect((const char *const[]){ "council", "delete", "--council", COUNCIL, NULL }, 2,
	       "delete them first");
	must((const char *const[]){ "council", "delete", "--council", "977", NULL });
	expect((const char *const[]){ "council", "show", "--council", "977", NULL }, 7,
	       "no council 977");
	expect((const char *const[]){ "council", "shwo", "--council", "977", NULL }, 1,
	       "unknown action 'shwo'");
}

/* ---- credentials ---- */

static void test_token_file_and_config_file(void **state)
{
	char token_path[512], config_path[512], config[1200], env_config[600];
	const char *no_token[] = { "CSPERF_TOKEN=", "CSPERF_SERVER=", env_config, NULL };
	run_result r;

	(void)state;
	snprintf(token_path, sizeof(token_path), "%s/token", workdir);
	snprintf(config_path, sizeof(config_path), "%s/config", workdir);
	snprintf(env_config, sizeof(env_config), "CSPERF_CONFIG=%s", config_path);
	write_text(token_path, server.token, 0600);
	/* --token-file: the token never on the command line. */
	r = run_env((const char *const[]){ "info", "--token-file", token_path, "--server",
					   server.address, NULL },
		    (const char *const[]){ "CSPERF_TOKEN=", NULL });
	assert_int_equal(r.status, 0);
	run_free(&r);
	/* A config file: server, token file and a default council. */
	snprintf(config, sizeof(config), "# csperf\nserver = %s\ntoken_file = %s\ncouncil = %s\n",
		 server.address, token_path, COUNCIL);
	write_text(config_path, config, 0600);
	r = run_env((const char *const[]){ "scorecard", "--period", "2018-19:Q4", NULL }, no_token);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "(" COUNCIL ")"));
	run_free(&r);
	/* Readable by others: refused, as ssh refuses. */
	assert_int_equal(chmod(config_path, 0644), 0);
	r = run_env((const char *const[]){ "info", NULL }, no_token);
	assert_int_equal(r.status, 6);
	assert_non_null(strstr(r.err, "readable by you only"));
	run_free(&r);
	assert_int_equal(chmod(config_path, 0600), 0);
	assert_int_equal(chmod(token_path, 0640), 0);
	r = run_env((const char *const[]){ "info", NULL }, no_token);
	assert_int_equal(r.status, 6);
	assert_non_null(strstr(r.err, "token file"));
	run_free(&r);
	assert_int_equal(chmod(token_path, 0600), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_progress_names_its_phase_on_a_terminal_only),
		cmocka_unit_test(test_global_options_after_the_command),
		cmocka_unit_test(test_help_and_did_you_mean),
		cmocka_unit_test(test_colour_and_words_on_a_terminal),
		cmocka_unit_test(test_tables_fit_columns_and_wide_shows_whole_titles),
		cmocka_unit_test(test_one_exit_code_per_failure),
		cmocka_unit_test(test_series_ids_and_bounds),
		cmocka_unit_test(test_formats_are_honoured_or_refused),
		cmocka_unit_test(test_council_put_changes_only_the_fields_given),
		cmocka_unit_test(test_council_show_list_delete),
		cmocka_unit_test(test_token_file_and_config_file),
	};

	return cmocka_run_group_tests(tests, cli_setup, cli_teardown);
}
