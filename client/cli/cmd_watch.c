/*
 * cmd_watch.c: `csperf watch`: follows a scorecard (WatchScorecard) and
 * prints one line per update, the whole scorecard first, until interrupted.
 *
 * With --format json each line is one JSON object: sequence, full, the
 * scorecard's header, the rows the update brings (all of them when full)
 * as `csperf scorecard --format json` prints rows, and the indicators
 * removed. Otherwise a line of words per update. SIGINT or SIGTERM ends the
 * watch cleanly, with exit status 0.
 */
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <csperf/scorecards.h>

#include "cli.h"

/* How often the loop looks at the stop flag. */
#define POLL_MS 200

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int signal_number)
{
	(void)signal_number;
	stop_requested = 1;
}

static int print_update_json(const csperf_scorecard_update *u)
{
	json_t *root = json_object(), *removed = json_array(), *card = cli_scorecard_json(u->changed);
	int rc;

	json_object_set_new(root, "sequence", json_integer((json_int_t)u->sequence));
	json_object_set_new(root, "full", json_boolean(u->full));
	json_object_update(root, card);
	json_decref(card);
	for (size_t i = 0; i < u->nremoved; i++)
		json_array_append_new(removed, json_string(u->removed[i]));
	json_object_set_new(root, "removed", removed);
	rc = json_dumpf(root, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0 ? CLI_EXIT_OK
									     : CLI_EXIT_LOCAL;
	fputc('\n', stdout);
	json_decref(root);
	return rc;
}

static void print_update_words(const csperf_scorecard_update *u)
{
	const csperf_scorecard *sc = u->changed;

	printf("#%llu %s %s %s, data to %s: %s%zu row(s)",
	       (unsigned long long)u->sequence, sc->council, sc->council_name, sc->period,
	       sc->data_to, u->full ? "the whole scorecard, " : "changed ", sc->nrows);
	for (size_t i = 0; i < sc->nrows && !u->full; i++) {
		const csperf_scorecard_row *r = &sc->rows[i];

		if (r->suppressed)
			printf("; %s suppressed", r->indicator_id);
		else if (r->value.present)
			printf("; %s %g %s %s", r->indicator_id, r->value.value, r->rag, r->direction);
		else
			printf("; %s no value", r->indicator_id);
	}
	for (size_t i = 0; i < u->nremoved; i++)
		printf("; %s removed", u->removed[i]);
	putchar('\n');
}

const char cmd_watch_help[] =
"Usage: csperf watch --council CODE --period PERIOD [--stage STAGE] [-o json]\n"
"\n"
"Follows a scorecard: prints the whole of it, then a line each time a load,\n"
"a deletion, a definition, a target or a comparator changes any of its rows\n"
"(only those rows), until interrupted (Ctrl-C: exit status 0). Each update\n"
"has a sequence number one more than the one before. -o json (or -f json) prints\n"
"one JSON object per line: sequence, full, the header, `rows` and `removed`.\n";

int cmd_watch(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_watch_help;
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' },
		{ "period", required_argument, NULL, 'p' },
		{ "stage", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	csperf_scorecard_watch *watch = NULL;
	csperf_client *client;
	struct sigaction action;
	bool json = g->format == OUTPUT_JSON;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': query.council = optarg; break;
		case 'p': query.period = optarg; break;
		case 's': query.stage = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf watch: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1], usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (query.council == NULL || query.period == NULL || optind < argc) {
		fprintf(stderr, "csperf watch: --council and --period are required\n%s", usage);
		return CLI_EXIT_USAGE;
	}
	if (g->format == OUTPUT_CSV) {
		fprintf(stderr, "csperf watch: prints a table or JSON lines, not CSV: -o table or "
			"-o json\n");
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("watch", query.council) != 0 ||
	    cli_check_period("watch", "--period", query.period) != 0 ||
	    cli_check_stage("watch", query.stage) != 0)
		return CLI_EXIT_USAGE;
	memset(&action, 0, sizeof(action));
	action.sa_handler = on_stop_signal;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_scorecard_watch_open(client, &query, &watch);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	rc = CLI_EXIT_OK;
	while (!stop_requested && rc == CLI_EXIT_OK) {
		const csperf_scorecard_update *update = NULL;
		int got = csperf_scorecard_watch_next(watch, POLL_MS, &update);

		if (got < 0) {
			rc = cli_fail(got);
			break;
		}
		if (got == 0)
			continue;
		if (json)
			rc = print_update_json(update);
		else
			print_update_words(update);
		if (fflush(stdout) != 0)
			rc = CLI_EXIT_LOCAL;
	}
cleanup:
	csperf_scorecard_watch_free(watch);
	csperf_client_free(client);
	return rc;
}
