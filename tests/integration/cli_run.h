/*
 * cli_run.h: running the csperf tool against a test csperfd (cli_run.c).
 */
#ifndef CSPERF_TESTS_CLI_RUN_H
#define CSPERF_TESTS_CLI_RUN_H

#include <stddef.h>
#include <sys/types.h>

#include "fixture.h"

#define COUNCIL "975"
#define MAX_ARGS 48

extern fixture_pg pg;
extern fixture_server server;
extern char workdir[256];   /* the current folder: the files README.md names */

typedef struct run_result {
	int status;
	char *out, *err;
} run_result;

/* cmocka group setup and teardown: the cluster, csperfd, the data. */
int cli_setup(void **state);
int cli_teardown(void **state);

/* csperf with args (NULL-terminated) and extra environment env (may be
 * NULL), against the test csperfd; run_free what it returns. */
run_result run_env(const char *const *args, const char *const *env);
run_result run(const char *const *args);
/* The same on a terminal: out is what the terminal showed. */
run_result run_tty(const char *const *args, const char *const *env);
void run_free(run_result *r);

/* Asserts that csperf exits 0; that it exits `status` saying in_err. */
void must(const char *const *args);
void expect(const char *const *args, int status, const char *in_err);

void write_text(const char *path, const char *text, mode_t mode);

/* Splits a shell line into words in place (double quotes group). */
size_t split_words(char *text, char **words, size_t max);

#endif
