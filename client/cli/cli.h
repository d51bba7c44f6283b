/*
 * cli.h: what the csperf tool's commands share: the global options, the
 * client built on the public SDK, and the exit codes.
 */
#ifndef CSPERF_CLI_H
#define CSPERF_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include <csperf/csperf.h>

#include "output.h"

/* Exit codes, documented in `csperf --help` and docs/cli.md. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_USAGE = 1,        /* bad command line */
	CLI_EXIT_SERVER = 2,       /* csperfd answered with an error, or is not serving */
	CLI_EXIT_UNREACHABLE = 3,  /* csperfd could not be reached in time */
	CLI_EXIT_DENIED = 4,       /* no valid token, or not allowed */
	CLI_EXIT_REJECTED = 5,     /* input records were rejected */
	CLI_EXIT_LOCAL = 6         /* a local problem: a file, memory, output */
};

typedef struct cli_globals {
	const char *server;
	const char *token;
	long long timeout_ms;
	output_format format;
	const char *tls_ca;      /* --tls-ca: csperfd's CA (implies TLS) */
	const char *tls_cert;    /* --tls-cert, --tls-key: a client certificate */
	const char *tls_key;
} cli_globals;

/* Makes the client for the global options; prints the error and returns
 * NULL on failure. */
csperf_client *cli_client(const cli_globals *globals);

/* Prints an SDK failure ("csperf: <message>") and returns its exit code. */
int cli_fail(int code);

/* Prints a result; returns CLI_EXIT_OK or CLI_EXIT_LOCAL. */
int cli_print(const cli_globals *globals, const output_result *result);

typedef struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(const cli_globals *globals, int argc, char **argv);
} cli_command;

int cmd_info(const cli_globals *globals, int argc, char **argv);
int cmd_health(const cli_globals *globals, int argc, char **argv);
int cmd_load(const cli_globals *globals, int argc, char **argv);
int cmd_loads(const cli_globals *globals, int argc, char **argv);
int cmd_scorecard(const cli_globals *globals, int argc, char **argv);
int cmd_exceptions(const cli_globals *globals, int argc, char **argv);
int cmd_costs(const cli_globals *globals, int argc, char **argv);
int cmd_indicators(const cli_globals *globals, int argc, char **argv);
int cmd_series(const cli_globals *globals, int argc, char **argv);
int cmd_cases(const cli_globals *globals, int argc, char **argv);
int cmd_annex_a(const cli_globals *globals, int argc, char **argv);
int cmd_report(const cli_globals *globals, int argc, char **argv);
int cmd_comparators(const cli_globals *globals, int argc, char **argv);
int cmd_comparators_import(const cli_globals *globals, int argc, char **argv);
int cmd_reconcile(const cli_globals *globals, int argc, char **argv);
int cmd_council(const cli_globals *globals, int argc, char **argv);
int cmd_token(const cli_globals *globals, int argc, char **argv);
int cmd_audit(const cli_globals *globals, int argc, char **argv);
int cmd_watch(const cli_globals *globals, int argc, char **argv);

/* A scorecard as `csperf scorecard --format json` prints it: its header and
 * `rows` (a new reference, the caller's). cmd_scorecard.c. */
struct json_t;
struct csperf_scorecard;
struct json_t *cli_scorecard_json(const struct csperf_scorecard *scorecard);
int cmd_validate(const cli_globals *globals, int argc, char **argv);

/* What cli_validate_files prints: nothing, the failures (an empty list
 * too) and a summary, or those only when something fails. */
typedef enum cli_validate_print {
	CLI_VALIDATE_QUIET,
	CLI_VALIDATE_PRINT,
	CLI_VALIDATE_PRINT_FAILURES
} cli_validate_print;

/* cmd_validate.c: applies the DfE's cross-record rules (only the rule `only`
 * when not NULL) to files of format "ssda903" or "cin-xml" for collection
 * year `year` (0: from the files), printing as `print` says. Returns how
 * many failures, or -1 after printing what went wrong. */
int cli_validate_files(const cli_globals *globals, const char *format_name, int year,
	const char *only, char *const *files, size_t nfiles, cli_validate_print print,
	output_format output);

/* paths.c: appends `path` to *files, or for a folder its files ending in
 * `ext` (".csv") in name order; says why not ("csperf COMMAND: ...") and
 * returns -1 when it cannot. */
int cli_expand_path(const char *command, const char *path, const char *ext, char ***files,
		    size_t *nfiles);

/* The year a return's folder is named after ("…/ssda903/2019/oc3.csv"),
 * or 0. */
int cli_folder_year(const char *path);

/* cmd_report.c: writes text as HTML text, escaped. */
void report_put_escaped(FILE *f, const char *text);

/* report_quality.c: the committee report's "Data quality" section, from the
 * scorecard rows' failing records (csperf/scorecards.h). */
struct csperf_scorecard;
void report_write_data_quality(FILE *f, const struct csperf_scorecard *sc);

/* `load --require-valid`: validates the files; returns -1 when they pass
 * (the load goes ahead), else the exit code, having said why. */
int cli_require_valid(const cli_globals *globals, const char *format_name, int year,
	char *const *files, size_t nfiles);

#endif
