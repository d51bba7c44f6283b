/*
 * cli_run.c: what the csperf tool's integration tests (test_cli.c,
 * test_cli_readme.c) stand on: a PostgreSQL cluster and a csperfd with a
 * synthetic council (csperf-gen, council 975, 2017-18 and 2018-19) and the
 * files README.md names, in a folder of their own; and csperf run in a pipe
 * or on a terminal (a pty made by script(1)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_run.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif
#ifndef CSPERF_GEN_PATH
#error "CSPERF_GEN_PATH must name csperf-gen"
#endif
#ifndef CSPERF_SHARED_DATA
#error "CSPERF_SHARED_DATA must name shared/data (the DfE's published files)"
#endif
#ifndef CSPERF_SOURCE_DIR
#error "CSPERF_SOURCE_DIR must name the source tree (for README.md)"
#endif

fixture_pg pg;
fixture_server server;
char workdir[256];
static char server_env[96], token_env[192];

void run_free(run_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* Runs csperf with args (NULL-terminated) and the extra environment env
 * (NULL-terminated, may be NULL), against the fixture's csperfd. */
run_result run_env(const char *const *args, const char *const *env)
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

run_result run(const char *const *args)
{
	return run_env(args, NULL);
}

/* Runs csperf on a terminal (a pty made by script(1)); out is what the
 * terminal showed (standard output and error), status csperf's. */
run_result run_tty(const char *const *args, const char *const *env)
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

void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

void must(const char *const *args)
{
	run_result r = run(args);

	if (r.status != 0)
		fprintf(stderr, "csperf %s exited %d: %s\n", args[0], r.status, r.err);
	assert_int_equal(r.status, 0);
	run_free(&r);
}

/* csperf's exit status, its output dropped (for setup, outside a test). */
static int run_quiet(const char *const *args)
{
	run_result r = run(args);
	int status = r.status;

	if (status != 0)
		fprintf(stderr, "setup: csperf %s exited %d: %s\n", args[0], status, r.err);
	run_free(&r);
	return status;
}

int cli_setup(void **state)
{
	char *out = NULL, *err = NULL;
	const char *args[] = { NULL };
	const char *b1, *sn;
	struct stat sb;
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
	/* The DfE's files README.md imports, as published (shared/data); in a
	 * clone without ../shared, the small copies of the same files the
	 * published tests use, under the README's names. */
	if (stat(CSPERF_SHARED_DATA "/dfe-published", &sb) == 0) {
		b1 = CSPERF_SHARED_DATA "/dfe-published/b1_children_in_need_2013_to_2025.csv";
		sn = CSPERF_SHARED_DATA "/dfe-published/sn_model_2025_wide.csv";
	} else {
		fprintf(stderr, "%s is absent: the README's DfE files are stood in for by "
			"tests/fixtures/dfe's small copies\n", CSPERF_SHARED_DATA "/dfe-published");
		b1 = CSPERF_SOURCE_DIR "/tests/fixtures/dfe/b1_children_in_need_small_2025.csv";
		sn = CSPERF_SOURCE_DIR "/tests/fixtures/dfe/sn_model_2025_small.csv";
	}
	if (symlink(b1, "b1_children_in_need_2013_to_2025.csv") != 0 ||
	    symlink(sn, "sn_model_2025_wide.csv") != 0)
		return -1;
	write_text("england_2019.csv",
		   "indicator_id,area_type,area,period,value,source\n"
		   "CN02,england,England,2018-19,22.5,DfE children in need 2019\n"
		   "CP01,england,England,2018-19,20.8,DfE children in need 2019\n", 0644);
	/* The loads README.md makes, in its order (load 3 is the extracts). */
	if (run_quiet((const char *const[]){ "load", "--council", COUNCIL, "--format", "ssda903",
					     "--year", "2019", "returns/2018-19/", NULL }) != 0 ||
	    run_quiet((const char *const[]){ "load", "--council", COUNCIL, "--format", "cin-xml",
					     "cin_census_2019.xml", NULL }) != 0 ||
	    run_quiet((const char *const[]){ "load", "--council", COUNCIL, "--format", "csv",
					     "extracts/", NULL }) != 0)
		return -1;
	return 0;
}

int cli_teardown(void **state)
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

/* Splits a shell line into words (double quotes group; no other shell). */
size_t split_words(char *text, char **words, size_t max)
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


void expect(const char *const *args, int status, const char *in_err)
{
	run_result r = run(args);

	if (r.status != status || strstr(r.err, in_err) == NULL)
		fprintf(stderr, "csperf %s %s: exit %d, stderr: %s\n", args[0], args[1], r.status,
			r.err);
	assert_int_equal(r.status, status);
	assert_non_null(strstr(r.err, in_err));
	run_free(&r);
}
