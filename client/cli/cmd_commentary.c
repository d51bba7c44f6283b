/*
 * cmd_commentary.c: `csperf commentary show|put`: report cards, the lead
 * officer, data owner, commentary and actions of an indicator for a council
 * and period (docs/REPORT.md, "Report cards").
 *
 * Commentary and actions are staff's free text: read from the command line
 * or a file, checked here as csperfd checks them (UTF-8, at most 4,000
 * bytes, no control characters but new lines and tabs) so that a bad file
 * is refused naming it, and never written to a log.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csperf/scorecards.h>

#include "cli.h"

#define NAME_MAX_BYTES 200
#define TEXT_MAX_BYTES 4000

json_t *cli_report_card_json(const csperf_report_card *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "indicator_id", json_string(c->indicator_id));
	json_object_set_new(o, "period", json_string(c->period));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "lead_officer", json_string(c->lead_officer));
	json_object_set_new(o, "data_owner", json_string(c->data_owner));
	json_object_set_new(o, "commentary", json_string(c->commentary));
	json_object_set_new(o, "commentary_by", json_string(c->commentary_by));
	json_object_set_new(o, "commentary_at", json_string(c->commentary_at));
	json_object_set_new(o, "actions", json_string(c->actions));
	json_object_set_new(o, "actions_by", json_string(c->actions_by));
	json_object_set_new(o, "actions_at", json_string(c->actions_at));
	json_object_set_new(o, "created_at", json_string(c->created_at));
	json_object_set_new(o, "created_by", json_string(c->created_by));
	return o;
}

/* Whether text is well-formed UTF-8 with no control character (but new
 * lines and tabs when multiline), of at most max bytes; else why not. */
static const char *text_problem(const char *text, size_t max, bool multiline)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text);

	if (len > max)
		return "is too long";
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;

		if (n == 0 || i + n > len || (n == 2 && c < 0xc2) ||
		    (n == 3 && c == 0xe0 && p[i + 1] < 0xa0) || (n == 3 && c == 0xed && p[i + 1] > 0x9f) ||
		    (n == 4 && (c > 0xf4 || (c == 0xf0 && p[i + 1] < 0x90) ||
				(c == 0xf4 && p[i + 1] > 0x8f))))
			return "is not valid UTF-8";
		for (size_t k = 1; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return "is not valid UTF-8";
		if (n == 1 && (c < 0x20 || c == 0x7f) &&
		    !(multiline && (c == '\n' || c == '\t' || c == '\r')))
			return "holds a control character";
		i += n;
	}
	return NULL;
}

/* Reads a file of free text (at most TEXT_MAX_BYTES); NULL after saying why. */
static char *read_text_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t n;

	if (f == NULL) {
		cli_file_error("commentary put", path, errno);
		return NULL;
	}
	text = calloc(1, TEXT_MAX_BYTES + 2);
	n = text != NULL ? fread(text, 1, TEXT_MAX_BYTES + 1, f) : 0;
	fclose(f);
	if (text == NULL)
		return NULL;
	text[n] = '\0';
	if (strlen(text) != n) {
		fprintf(stderr, "csperf commentary put: %s holds a NUL byte: not text (nothing was "
			"written)\n", path);
		free(text);
		return NULL;
	}
	/* A file's last new line is not part of the text. */
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	return text;
}

static int print_cards(const cli_globals *g, const csperf_report_card_list *list)
{
	if (g->format == OUTPUT_JSON) {
		json_t *root = json_object(), *cards = json_array();
		int rc;

		for (size_t i = 0; i < list->count; i++)
			json_array_append_new(cards, cli_report_card_json(&list->cards[i]));
		json_object_set_new(root, "report_cards", cards);
		rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
			? CLI_EXIT_OK : CLI_EXIT_LOCAL;
		fputc('\n', stdout);
		json_decref(root);
		return rc;
	}
	if (g->format == OUTPUT_CSV) {
		static const char *const header[] = {
			"indicator_id", "period", "version", "lead_officer", "data_owner", "commentary",
			"commentary_by", "commentary_at", "actions", "actions_by", "actions_at",
			"created_at", "created_by"
		};

		output_csv_row(stdout, header, 13);
		for (size_t i = 0; i < list->count; i++) {
			const csperf_report_card *c = &list->cards[i];
			char version[16];
			const char *values[13] = {
				c->indicator_id, c->period, version, c->lead_officer, c->data_owner,
				c->commentary, c->commentary_by, c->commentary_at, c->actions,
				c->actions_by, c->actions_at, c->created_at, c->created_by
			};

			snprintf(version, sizeof(version), "%d", c->version);
			output_csv_row(stdout, values, 13);
		}
		return CLI_EXIT_OK;
	}
	if (list->count == 0)
		printf("No report cards.\n");
	for (size_t i = 0; i < list->count; i++) {
		const csperf_report_card *c = &list->cards[i];

		printf("%s%s %s (version %d, by %s at %s)\n", i > 0 ? "\n" : "", c->indicator_id,
		       c->period, c->version, c->created_by, c->created_at);
		printf("  lead officer: %s\n  data owner:   %s\n", c->lead_officer, c->data_owner);
		if (c->commentary[0] != '\0')
			printf("  commentary (%s, %s):\n    %s\n", c->commentary_by, c->commentary_at,
			       c->commentary);
		if (c->actions[0] != '\0')
			printf("  actions (%s, %s):\n    %s\n", c->actions_by, c->actions_at, c->actions);
	}
	return CLI_EXIT_OK;
}

const char cmd_commentary_help[] =
"Usage: csperf commentary show --council CODE --period PERIOD [--indicator ID]\n"
"                              [--history]\n"
"       csperf commentary put --council CODE --period PERIOD --indicator ID\n"
"                             [--lead-officer NAME] [--data-owner NAME]\n"
"                             [--commentary TEXT | --commentary-file FILE]\n"
"                             [--actions TEXT | --actions-file FILE]\n"
"\n"
"Report cards: for an indicator, council and period (2018-19:Q4), who leads on\n"
"it, who owns its data, and the commentary and actions, with who wrote each\n"
"and when. The scorecard (-o json), exceptions and the committee report show\n"
"them beside the figure. put changes the fields given and keeps the others;\n"
"every put is a new version (show --history lists them). Admins and the\n"
"council's analysts may put; whoever may read its scorecard may show.\n"
"Names are at most 200 bytes on one line; commentary and actions at most\n"
"4,000 bytes of UTF-8 text.\n";

int cmd_commentary(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_commentary_help;
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "period", required_argument, NULL, 'p' },
		{ "indicator", required_argument, NULL, 'i' }, { "history", no_argument, NULL, 'H' },
		{ "lead-officer", required_argument, NULL, 'l' },
		{ "data-owner", required_argument, NULL, 'd' },
		{ "commentary", required_argument, NULL, 'm' },
		{ "commentary-file", required_argument, NULL, 'M' },
		{ "actions", required_argument, NULL, 'a' },
		{ "actions-file", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *council = NULL, *period = NULL, *action;
	const char *lead = NULL, *owner = NULL, *commentary = NULL, *actions = NULL;
	const char *commentary_file = NULL, *actions_file = NULL;
	char indicator[64] = "", *commentary_text = NULL, *actions_text = NULL;
	csperf_report_card_list *list = NULL;
	csperf_client *client = NULL;
	int history = 0, opt, rc;
	unsigned fields = 0;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	action = argv[1];
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': council = optarg; break;
		case 'p': period = optarg; break;
		case 'i': snprintf(indicator, sizeof(indicator), "%s", optarg); break;
		case 'H': history = 1; break;
		case 'l': lead = optarg; fields |= CSPERF_CARD_LEAD_OFFICER; break;
		case 'd': owner = optarg; fields |= CSPERF_CARD_DATA_OWNER; break;
		case 'm': commentary = optarg; fields |= CSPERF_CARD_COMMENTARY; break;
		case 'M': commentary_file = optarg; fields |= CSPERF_CARD_COMMENTARY; break;
		case 'a': actions = optarg; fields |= CSPERF_CARD_ACTIONS; break;
		case 'A': actions_file = optarg; fields |= CSPERF_CARD_ACTIONS; break;
		case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf commentary: unknown option '%s'\n%s", argv[optind], usage);
			return CLI_EXIT_USAGE;
		}
	}
	optind++;
	if (strcmp(action, "show") != 0 && strcmp(action, "put") != 0) {
		fprintf(stderr, "csperf commentary: unknown action '%s'\n%s", action, usage);
		return CLI_EXIT_USAGE;
	}
	if (council == NULL || period == NULL || optind < argc ||
	    (strcmp(action, "put") == 0 && (indicator[0] == '\0' || fields == 0)) ||
	    (commentary != NULL && commentary_file != NULL) ||
	    (actions != NULL && actions_file != NULL)) {
		fprintf(stderr, "csperf commentary %s: --council and --period are required%s\n%s",
			action, strcmp(action, "put") == 0
			? ", with --indicator and at least one field (a text or its file, not both)" : "",
			usage);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("commentary", council) != 0 ||
	    cli_check_period("commentary", "--period", period) != 0 ||
	    (indicator[0] != '\0' && cli_check_indicator("commentary", "--indicator", indicator) != 0))
		return CLI_EXIT_USAGE;
	if (strcmp(action, "put") == 0) {
		const struct { const char *name, *text; size_t max; bool multiline; } checks[] = {
			{ "--lead-officer", lead, NAME_MAX_BYTES, false },
			{ "--data-owner", owner, NAME_MAX_BYTES, false },
			{ "--commentary", commentary, TEXT_MAX_BYTES, true },
			{ "--actions", actions, TEXT_MAX_BYTES, true },
			{ commentary_file, NULL, TEXT_MAX_BYTES, true },
			{ actions_file, NULL, TEXT_MAX_BYTES, true },
		};

		if (commentary_file != NULL && (commentary = commentary_text =
						read_text_file(commentary_file)) == NULL) {
			rc = CLI_EXIT_LOCAL;
			goto done;
		}
		if (actions_file != NULL && (actions = actions_text = read_text_file(actions_file)) == NULL) {
			rc = CLI_EXIT_LOCAL;
			goto done;
		}
		for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
			const char *text = i == 4 ? commentary_text : i == 5 ? actions_text : checks[i].text;
			const char *problem;

			if (checks[i].name == NULL || text == NULL)
				continue;
			problem = text_problem(text, checks[i].max, checks[i].multiline);
			if (problem != NULL) {
				/* Names where, never echoes the text. */
				fprintf(stderr, "csperf commentary put: %s %s (at most %zu bytes%s; nothing "
					"was written)\n", checks[i].name, problem, checks[i].max,
					checks[i].multiline ? " of UTF-8 text" : " on one line");
				rc = CLI_EXIT_REJECTED;
				goto done;
			}
		}
	}
	client = cli_client(g);
	if (client == NULL) {
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if (strcmp(action, "show") == 0) {
		rc = csperf_report_cards_get(client, council, period,
					     indicator[0] != '\0' ? indicator : NULL, history, &list);
	} else {
		csperf_report_card card;

		memset(&card, 0, sizeof(card));
		card.council = council;
		card.indicator_id = indicator;
		card.period = period;
		card.lead_officer = lead;
		card.data_owner = owner;
		card.commentary = commentary;
		card.actions = actions;
		rc = csperf_report_card_put(client, &card, fields, &list);
	}
	if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	else if (strcmp(action, "put") == 0 && g->format == OUTPUT_TABLE)
		printf("%s %s %s: report card version %d written.\n", council, list->cards[0].indicator_id,
		       list->cards[0].period, list->cards[0].version);
	else
		rc = print_cards(g, list);
done:
	free(commentary_text);
	free(actions_text);
	csperf_report_card_list_free(list);
	csperf_client_free(client);
	return rc;
}
