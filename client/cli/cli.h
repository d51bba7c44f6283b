/*
 * cli.h: what the csperf tool's commands share: the global options, the
 * client built on the public SDK, the exit codes, the checks of what a user
 * types, and the table of commands (commands.def).
 */
#ifndef CSPERF_CLI_H
#define CSPERF_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include <csperf/csperf.h>

#include "output.h"

/* Exit codes: one per kind of failure, the same in every command;
 * documented in `csperf --help`, csperf.1, README.md and docs/CLI.md. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_USAGE = 1,        /* bad command line, or a value csperf checks itself */
	CLI_EXIT_SERVER = 2,       /* csperfd answered with an error, or is not serving */
	CLI_EXIT_UNREACHABLE = 3,  /* csperfd could not be reached in time */
	CLI_EXIT_DENIED = 4,       /* no valid token, or not allowed */
	CLI_EXIT_REJECTED = 5,     /* input records or a definition were rejected */
	CLI_EXIT_LOCAL = 6,        /* a local problem: a file missing or unreadable, memory, output */
	CLI_EXIT_NODATA = 7        /* nothing there: no such council, indicator or load, or
				    * no data for the period asked */
};

/* The CLI's own deadline for a call when neither --timeout, CSPERF_TIMEOUT
 * nor the config file says: long enough for a loaded csperfd. */
#define CLI_DEFAULT_TIMEOUT_S 60

typedef struct cli_globals {
	const char *server;
	const char *token;
	long long timeout_ms;
	output_format format;
	const char *tls_ca;      /* --tls-ca: csperfd's CA (implies TLS) */
	const char *tls_cert;    /* --tls-cert, --tls-key: a client certificate */
	const char *tls_key;
	bool timeout_given;      /* --timeout, CSPERF_TIMEOUT or the config file */
	bool wide;               /* --wide: whole titles, whatever the width */
	bool colour;             /* decorate (colour, arrows): a terminal, no NO_COLOR,
				  * TERM not dumb, no --no-color */
	int columns;             /* the width to fit tables to; 0: no limit */
} cli_globals;

/* Makes the client for the global options; prints the error and returns
 * NULL on failure. */
csperf_client *cli_client(const cli_globals *globals);

/* Prints an SDK failure ("csperf: <message>") and returns its exit code. */
int cli_fail(int code);

/* Prints a result; returns CLI_EXIT_OK or CLI_EXIT_LOCAL. */
int cli_print(const cli_globals *globals, const output_result *result);

/* Prints "csperf CMD: cannot read PATH: reason" and returns CLI_EXIT_LOCAL:
 * every command reports a missing or unreadable input file this way. */
int cli_file_error(const char *command, const char *path, int errnum);

/* ---- checks of what the user typed (check.c), before any call ----
 * Each returns 0, or prints "csperf CMD: --OPTION 'VALUE' is not ...; e.g.
 * EXAMPLE" and returns CLI_EXIT_USAGE. */
int cli_check_council(const char *command, const char *council);
int cli_check_period(const char *command, const char *option, const char *period);
int cli_check_stage(const char *command, const char *stage);
/* --org: council, locality:NAME or team:NAME (NULL passes). */
int cli_check_org(const char *command, const char *org);
int cli_check_date(const char *command, const char *option, const char *date);
int cli_check_year(const char *command, const char *option, const char *year);
/* Indicator ids are upper case (CN02): lower case is accepted and made upper
 * in place; anything else is a usage error naming --indicator. */
int cli_check_indicator(const char *command, const char *option, char *indicator);

/* A scorecard with no data for its period (the council has none, or its data
 * end before the period starts): prints why and returns CLI_EXIT_NODATA;
 * else 0. */
struct csperf_scorecard;
int cli_check_data(const char *command, const struct csperf_scorecard *sc);

/* ---- the commands (commands.def) ---- */

enum {
	CLI_CMD_INPUT_FORMAT = 1,  /* the command's --format/-f names its input */
	CLI_CMD_COUNCIL = 2        /* takes the config file's default council */
};

typedef struct cli_command {
	const char *name;
	const char *summary;
	const char *help;
	int flags;
	int (*run)(const cli_globals *globals, int argc, char **argv);
} cli_command;

#define CLI_COMMAND(name, ident, flags, summary)                                \
	extern const char cmd_##ident##_help[];                                 \
	int cmd_##ident(const cli_globals *globals, int argc, char **argv);
#include "commands.def"
#undef CLI_COMMAND

/* Sub-commands kept in files of their own. */
int cmd_comparators_import(const cli_globals *globals, int argc, char **argv);

/* A scorecard as `csperf scorecard -o json` prints it: its header and
 * `rows` (a new reference, the caller's). cmd_scorecard.c. */
struct json_t;
struct json_t *cli_scorecard_json(const struct csperf_scorecard *scorecard);
/* A report card as JSON (cmd_commentary.c), for commentary show and the scorecard. */
struct csperf_report_card;
struct json_t *cli_report_card_json(const struct csperf_report_card *card);
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

/* The table, in commands.def's order, and its length. */
extern const cli_command cli_commands[];
extern const size_t cli_ncommands;

/* The global options' part of `csperf --help`, also used by the man page. */
extern const char cli_global_help[];
extern const char cli_exit_help[];

/* Writes the man page (csperf.1) or a bash or zsh completion script from the
 * help texts (generate.c). Returns 0, or -1 for an unknown kind. */
int cli_generate(const char *kind, FILE *out);

#endif
