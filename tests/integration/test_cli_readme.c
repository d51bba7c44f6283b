/*
 * test_cli_readme.c: every csperf command line in README.md runs as printed
 * (each optional part and each alternative too) against a real csperfd with
 * a synthetic council and exits 0; every csperf form in README.md and docs/
 * is read without complaint.
 */
#include <glob.h>
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

/* ---- README.md's examples, verbatim ---- */

typedef struct command_line {
	char text[1024];
	char redirect[256];   /* "> FILE": standard output goes there */
} command_line;

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
		/* `csperf watch` runs until interrupted: integration_watch's
		 * test_cli_watch runs the README's form and interrupts it. */
		if (strncmp(p, "csperf watch ", 13) == 0)
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
		/* `csperf validate` exits 5 when a return fails a rule, as
		 * documented: the sample returns do, on purpose. */
		if (r.status == 5 && strcmp(words[1], "validate") == 0 &&
		    (strstr(r.out, "of the DfE's rules") != NULL || strstr(r.err, "of the DfE's rules") != NULL))
			r.status = 0;
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
					"council", "token", "audit", "help", "-o", "-f", "--format", "org-units",
					"targets", "commentary", NULL,
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme_examples_run_as_printed),
		cmocka_unit_test(test_docs_forms_are_read),
	};

	return cmocka_run_group_tests(tests, cli_setup, cli_teardown);
}
