/*
 * test_cli.c: the csperf tool as its users meet it, against a real csperfd
 * with a synthetic council (csperf-gen, council 975, years 2017-18 and
 * 2018-19):
 *   - every csperf command line in README.md runs as printed (each optional
 *     part and each alternative too) and exits 0;
 *   - each inconsistency of issue 16 (global options after the command,
 *     NO_COLOR, the words on and off a terminal, help, "did you mean", one
 *     exit code per failure, the checks made before calling, series bounds,
 *     council put, load progress, JSON types, the costs export's format and
 *     money, the width of tables, token files and the config file).
 * A terminal is a pty made by script(1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif
#ifndef CSPERF_GEN_PATH
#error "CSPERF_GEN_PATH must name csperf-gen"
#endif
#ifndef CSPERF_SOURCE_DIR
#error "CSPERF_SOURCE_DIR must name the source tree (for README.md)"
#endif

#define COUNCIL "975"
#define MAX_ARGS 48

static fixture_pg pg;
static fixture_server server;
static char workdir[256];
static char server_env[96], token_env[192];

typedef struct run_result {
	int status;
	char *out, *err;
} run_result;

static void run_free(run_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* Runs csperf with args (NULL-terminated) and the extra environment env
 * (NULL-terminated, may be NULL), against the fixture's csperfd. */
static run_result run_env(const char *const *args, const char *const *env)
{
	const char *argv[MAX_ARGS + 2] = { CSPERF_CLI_PATH };
	const char *environment[16] = { server_env, token_env, "NO_COLOR=", NULL };
	size_t n = 1, e = 3;
	run_result r;

	for (size_t i = 0; args[i] != NULL && n <= MAX_ARGS; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	for (size_t i = 0; env != NULL && env[i] != NULL && e < 15; i++)
		environment[e++] = env[i];
	environment[e] = NULL;
	r.status = fixture_run(argv, environment, &r.out, &r.err, 300);
	if (r.out == NULL)
		r.out = strdup("");
	if (r.err == NULL)
		r.err = strdup("");
	return r;
}

static run_result run(const char *const *args)
{
	return run_env(args, NULL);
}

/* Runs csperf on a terminal (a pty made by script(1)); out is what the
 * terminal showed (standard output and error), status csperf's. */
static run_result run_tty(const char *const *args, const char *const *env)
{
	char command[4096];
	size_t len = (size_t)snprintf(command, sizeof(command), "'%s'", CSPERF_CLI_PATH);
	const char *script_args[] = { "/usr/bin/script", "-qec", command, "/dev/null", NULL };
	const char *environment[16] = { server_env, token_env, "TERM=xterm", NULL };
	size_t e = 3;
	run_result r;

	for (size_t i = 0; args[i] != NULL; i++)
		len += (size_t)snprintf(command + len, sizeof(command) - len, " '%s'", args[i]);
	for (size_t i = 0; env != NULL && env[i] != NULL && e < 15; i++)
		environment[e++] = env[i];
	environment[e] = NULL;
	r.status = fixture_run(script_args, environment, &r.out, &r.err, 300);
	if (r.out == NULL)
		r.out = strdup("");
	if (r.err == NULL)
		r.err = strdup("");
	return r;
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void must(const char *const *args)
{
	run_result r = run(args);

	if (r.status != 0)
		fprintf(stderr, "csperf %s exited %d: %s\n", args[0], r.status, r.err);
	assert_int_equal(r.status, 0);
	run_free(&r);
}

static int setup(void **state)
{
	char *out = NULL, *err = NULL;
	const char *args[] = { NULL };
	int rc;

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, args) != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", server.token);
	if (fixture_mkdtemp(workdir, sizeof(workdir), "csperf-cli") != 0 || chdir(workdir) != 0)
		return -1;
	/* The files README.md names, from a synthetic council. */
	rc = fixture_run((const char *const[]){ CSPERF_GEN_PATH, "--council", COUNCIL,
			"--children", "600", "--years", "2", "--seed", "16", "--end-year", "2019",
			"--out", "sample", NULL }, NULL, &out, &err, 300);
	free(out);
	free(err);
	if (rc != 0)
		return -1;
	if (mkdir("returns", 0700) != 0 || symlink("../sample/ssda903/2019", "returns/2018-19") != 0 ||
	    symlink("sample/cin/2019.xml", "cin_census_2019.xml") != 0 ||
	    symlink("sample/csv", "extracts") != 0)
		return -1;
	write_text("england_2019.csv",
		   "indicator_id,area_type,area,period,value,source\n"
		   "CN02,england,England,2018-19,22.5,DfE children in need 2019\n"
		   "CP01,england,England,2018-19,20.8,DfE children in need 2019\n", 0644);
	return 0;
}

static int teardown(void **state)
{
	char command[300];

	(void)state;
	if (chdir("/") == 0 && workdir[0] != '\0') {
		snprintf(command, sizeof(command), "rm -rf '%s'", workdir);
		if (system(command) != 0)
			fprintf(stderr, "could not remove %s\n", workdir);
	}
	fixture_server_stop(&server, 15, 30);
	fixture_pg_destroy(&pg);
	return 0;
}

/* ---- README.md's examples, verbatim ---- */

typedef struct command_line {
	char text[1024];
	char redirect[256];   /* "> FILE": standard output goes there */
} command_line;

/* Splits a shell line into words (double quotes group; no other shell). */
static size_t split_words(char *text, char **words, size_t max)
{
	size_t n = 0;
	char *p = text;

	while (*p != '\0' && n < max) {
		char *word, *w;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		word = w = p;
		while (*p != '\0' && *p != ' ') {
			if (*p == '"') {
				for (p++; *p != '\0' && *p != '"'; p++)
					*w++ = *p;
				if (*p == '"')
					p++;
			} else {
				*w++ = *p++;
			}
		}
		if (*p == ' ')
			p++;
		*w = '\0';
		words[n++] = word;
	}
	return n;
}

static void add_line(command_line *lines, size_t *n, size_t max, const char *text)
{
	char copy[1024], *redirect;

	assert_true(*n < max);
	snprintf(copy, sizeof(copy), "%s", text);
	lines[*n].redirect[0] = '\0';
	redirect = strstr(copy, " > ");
	if (redirect != NULL) {
		char *file = redirect + 3;

		file[strcspn(file, " ")] = '\0';
		snprintf(lines[*n].redirect, sizeof(lines[*n].redirect), "%s", file);
		*redirect = '\0';
	}
	snprintf(lines[*n].text, sizeof(lines[*n].text), "%s", copy);
	(*n)++;
}

/* A line with [optional parts]: once without them, then once with each,
 * and once for each alternative inside one ("[--format json|csv]"). */
static void expand_options(command_line *lines, size_t *n, size_t max, const char *text)
{
	char base[1024] = "";
	const char *p = text;

	while (*p != '\0') {
		const char *open = strchr(p, '['), *close;

		if (open == NULL) {
			strncat(base, p, sizeof(base) - strlen(base) - 1);
			break;
		}
		strncat(base, p, (size_t)(open - p));
		close = strchr(open, ']');
		assert_non_null(close);
		p = close + 1;
	}
	/* Collapse the blanks the options left. */
	for (char *b = base; (b = strstr(b, "  ")) != NULL;)
		memmove(b, b + 1, strlen(b));
	add_line(lines, n, max, base);
	for (p = strchr(text, '['); p != NULL; p = strchr(p + 1, '[')) {
		char option[256], *bar, *value;
		size_t len = (size_t)(strchr(p, ']') - p - 1);

		snprintf(option, sizeof(option), "%.*s", (int)len, p + 1);
		value = strrchr(option, ' ');
		bar = strchr(option, '|');
		if (bar == NULL || value == NULL || bar < value) {
			char line[1024];

			snprintf(line, sizeof(line), "%.700s %.200s", base, option);
			add_line(lines, n, max, line);
			continue;
		}
		*value++ = '\0';
		for (char *alt = strtok(value, "|"); alt != NULL; alt = strtok(NULL, "|")) {
			char line[1024];

			snprintf(line, sizeof(line), "%.700s %.150s %.100s", base, option, alt);
			add_line(lines, n, max, line);
		}
	}
}

/* The csperf lines of README.md's code blocks, as commands to run: "a ; b"
 * is two; "csperf x a | b" is csperf x a and csperf x b; [options] expand. */
static size_t readme_commands(command_line *lines, size_t max)
{
	char *readme = fixture_read_file(CSPERF_SOURCE_DIR "/README.md");
	bool in_code = false;
	size_t n = 0;

	assert_non_null(readme);
	for (char *line = readme, *next; line != NULL && *line != '\0'; line = next) {
		char text[1024], *p, *hash;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strncmp(line, "```", 3) == 0) {
			in_code = !in_code;
			continue;
		}
		if (!in_code)
			continue;
		p = line;
		if (strncmp(p, "$ ", 2) == 0)
			p += 2;
		if (strncmp(p, "build/client/", 13) == 0)
			p += 13;
		if (strncmp(p, "csperf ", 7) != 0)
			continue;
		snprintf(text, sizeof(text), "%s", p);
		hash = strstr(text, " #");
		if (hash != NULL)
			*hash = '\0';
		for (char *part = text, *semicolon; part != NULL; part = semicolon) {
			char prefix[128], *alternative, *bar;
			int depth = 0;

			semicolon = strchr(part, ';');
			if (semicolon != NULL)
				*semicolon++ = '\0';
			while (*part == ' ')
				part++;
			if (*part == '\0')
				continue;
			/* The first two words are the prefix of "| show X | put Y". */
			snprintf(prefix, sizeof(prefix), "%.120s", part);
			p = strchr(prefix + 7, ' ');
			if (p != NULL)
				*p = '\0';
			alternative = part;
			for (bar = part; *bar != '\0'; bar++) {
				if (*bar == '[')
					depth++;
				else if (*bar == ']')
					depth--;
				else if (*bar == '|' && depth == 0 && bar[-1] == ' ') {
					char whole[1024];

					*bar = '\0';
					if (alternative == part)
						snprintf(whole, sizeof(whole), "%.1000s", alternative);
					else
						snprintf(whole, sizeof(whole), "%.120s %.800s", prefix, alternative);
					expand_options(lines, &n, max, whole);
					alternative = bar + 1;
					while (*alternative == ' ')
						alternative++;
				}
			}
			if (alternative == part) {
				expand_options(lines, &n, max, part);
			} else {
				char whole[1024];

				snprintf(whole, sizeof(whole), "%.120s %.800s", prefix, alternative);
				expand_options(lines, &n, max, whole);
			}
		}
	}
	free(readme);
	return n;
}

static void test_readme_examples_run_as_printed(void **state)
{
	command_line lines[96];
	size_t n;

	(void)state;
	/* The definition README.md puts: CN02's, as `indicators show -o json`
	 * prints it (the form `put` takes). */
	{
		run_result r = run((const char *const[]){ "indicators", "show", "CN02", "-o", "json",
							  NULL });

		assert_int_equal(r.status, 0);
		write_text("my_definition.json", r.out, 0644);
		run_free(&r);
	}
	n = readme_commands(lines, sizeof(lines) / sizeof(lines[0]));
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		char *words[MAX_ARGS + 1], text[1024];
		size_t nwords;
		run_result r;

		snprintf(text, sizeof(text), "%s", lines[i].text);
		nwords = split_words(text, words, MAX_ARGS);
		words[nwords] = NULL;
		r = run((const char *const *)words + 1);
		if (r.status != 0)
			fprintf(stderr, "README: `%s` exited %d\n%s", lines[i].text, r.status, r.err);
		assert_int_equal(r.status, 0);
		if (lines[i].redirect[0] != '\0')
			write_text(lines[i].redirect, r.out, 0600);
		if (strstr(lines[i].text, "-format json") != NULL ||
		    strstr(lines[i].text, "-o json") != NULL) {
			json_t *doc = json_loads(r.out, 0, NULL);

			if (doc == NULL)
				fprintf(stderr, "README: `%s` did not print JSON:\n%.400s\n", lines[i].text,
					r.out);
			assert_non_null(doc);
			json_decref(doc);
		}
		run_free(&r);
	}
	fprintf(stderr, "README: %zu command lines ran\n", n);
}

/* Every `csperf ...` form in README.md and the docs folder (code blocks and inline
 * code) is one csperf reads: no unknown command, option or action, no value
 * it refuses. Run against no server: only the reading is tested here. */
static void test_docs_forms_are_read(void **state)
{
	glob_t files;
	size_t forms = 0;

	(void)state;
	assert_int_equal(glob(CSPERF_SOURCE_DIR "/docs/*.md", 0, NULL, &files), 0);
	for (size_t f = 0; f <= files.gl_pathc; f++) {
		char *doc = fixture_read_file(f < files.gl_pathc ? files.gl_pathv[f]
								 : CSPERF_SOURCE_DIR "/README.md");

		assert_non_null(doc);
		for (char *p = strstr(doc, "csperf "); p != NULL; p = strstr(p + 1, "csperf ")) {
			char text[1024], form[1024], *words[MAX_ARGS + 8];
			size_t n, nwords;
			run_result r;
			bool known = false;

			/* A form starts a line (after "$ " or build/client/) or a code span. */
			if (!(p == doc || p[-1] == '`' || p[-1] == '\n' || p[-1] == '/' ||
			      (p - doc >= 2 && p[-2] == '$' && p[-1] == ' ')))
				continue;
			n = strcspn(p, p > doc && p[-1] == '`' ? "`\n" : "\n#;|>[");
			if (n >= sizeof(text))
				continue;
			snprintf(text, sizeof(text), "%.*s", (int)n, p);
			snprintf(form, sizeof(form), "%s", text);
			nwords = split_words(text, words + 1, MAX_ARGS);
			if (nwords < 2)
				continue;
			for (size_t c = 0; c < 40 && !known; c++) {
				static const char *const commands[] = {
					"info", "health", "load", "loads", "scorecard", "exceptions", "costs",
					"report", "indicators", "series", "cases", "annex-a", "comparators",
					"council", "token", "audit", "help", "-o", "-f", "--format", NULL,
				};

				if (commands[c] == NULL)
					break;
				known = strcmp(words[2], commands[c]) == 0;
			}
			for (size_t w = 2; known && w <= nwords; w++) {
				size_t caps = strspn(words[w], "ABCDEFGHIJKLMNOPQRSTUVWXYZ_|");

				/* A form with placeholders (COMMAND, CODE, ...) is a pattern. */
				if ((caps >= 3 && words[w][caps] == '\0') || strstr(words[w], "...") != NULL)
					known = false;
			}
			if (!known)
				continue;   /* prose ("csperf holds ..."), or a pattern */
			words[nwords + 1] = "--server";
			words[nwords + 2] = "127.0.0.1:1";
			words[nwords + 3] = "--timeout";
			words[nwords + 4] = "1";
			words[nwords + 5] = NULL;
			r = run_env((const char *const *)words + 2,
				    (const char *const[]){ "CSPERF_CONFIG=/nonexistent", NULL });
			if (strstr(r.err, "unknown") != NULL || strstr(r.err, "missing value") != NULL ||
			    strstr(r.err, "' is not ") != NULL || strstr(r.err, "must be") != NULL)
				fail_msg("%s: `%s`: %s", f < files.gl_pathc ? files.gl_pathv[f] : "README.md",
					 form, r.err);
			forms++;
			run_free(&r);
		}
		free(doc);
	}
	globfree(&files);
	fprintf(stderr, "docs: %zu csperf forms read\n", forms);
	assert_true(forms >= 30);
}

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

static void expect(const char *const *args, int status, const char *in_err)
{
	run_result r = run(args);

	if (r.status != status || strstr(r.err, in_err) == NULL)
		fprintf(stderr, "csperf %s %s: exit %d, stderr: %s\n", args[0], args[1], r.status,
			r.err);
	assert_int_equal(r.status, status);
	assert_non_null(strstr(r.err, in_err));
	run_free(&r);
}

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
		cmocka_unit_test(test_readme_examples_run_as_printed),
		/* README.md deletes the extracts' load; this loads them again. */
		cmocka_unit_test(test_load_progress_names_its_phase_on_a_terminal_only),
		cmocka_unit_test(test_docs_forms_are_read),
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

	return cmocka_run_group_tests(tests, setup, teardown);
}
