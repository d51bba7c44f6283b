/*
 * cmd_councils.c: `csperf comparators load FILE.csv` and `csperf council put`.
 *
 * A comparators file is RFC 4180 CSV with a header naming the columns
 * indicator_id, area_type, area, period, value and source, in any order
 * (docs/formats.md). It is read whole (it is small), checked for its shape
 * here, and sent in one call; csperfd checks each figure and stores all or
 * none.
 */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csperf/scorecards.h>

#include "cli.h"

#define NCOLUMNS 6

static const char *const column_names[NCOLUMNS] = {
	"indicator_id", "area_type", "area", "period", "value", "source"
};

typedef struct comparator_file {
	const char *path;
	int column_of[16];        /* file column -> our column, -1 ignored */
	size_t ncolumns;
	size_t field;             /* in the current row */
	unsigned long line, row_line;
	char *values[NCOLUMNS];   /* the current row */
	csperf_comparator_figure *rows;
	char **strings;           /* what rows point to */
	size_t count, capacity, nstrings;
	char error[512];
} comparator_file;

static char *keep_string(comparator_file *f, const char *text, size_t len)
{
	char **grown = realloc(f->strings, (f->nstrings + 1) * sizeof(char *));
	char *copy = malloc(len + 1);

	if (grown == NULL || copy == NULL) {
		free(copy);
		if (grown != NULL)
			f->strings = grown;
		return NULL;
	}
	f->strings = grown;
	memcpy(copy, text, len);
	copy[len] = '\0';
	f->strings[f->nstrings++] = copy;
	return copy;
}

static void on_field(void *data, size_t len, void *ctx)
{
	comparator_file *f = ctx;
	char *text = f->error[0] != '\0' ? NULL : keep_string(f, data, len);

	if (f->error[0] != '\0')
		return;
	if (text == NULL) {
		snprintf(f->error, sizeof(f->error), "out of memory");
		return;
	}
	if (f->line == 1) {
		int col = -1;

		for (int c = 0; c < NCOLUMNS; c++)
			if (strcmp(text, column_names[c]) == 0)
				col = c;
		if (f->ncolumns < 16)
			f->column_of[f->ncolumns++] = col;
		return;
	}
	if (f->field < f->ncolumns && f->column_of[f->field] >= 0)
		f->values[f->column_of[f->field]] = text;
	f->field++;
}

static void on_row(int end, void *ctx)
{
	comparator_file *f = ctx;
	csperf_comparator_figure *r;
	char *endp;

	(void)end;
	if (f->error[0] != '\0')
		return;
	if (f->line == 1) {
		for (int c = 0; c < NCOLUMNS; c++) {
			bool found = false;

			for (size_t i = 0; i < f->ncolumns; i++)
				found |= f->column_of[i] == c;
			if (!found) {
				snprintf(f->error, sizeof(f->error), "%s line 1: no %s column (the header "
					 "names indicator_id, area_type, area, period, value, source)",
					 f->path, column_names[c]);
				return;
			}
		}
		f->line++;
		return;
	}
	if (f->count == f->capacity) {
		size_t capacity = f->capacity == 0 ? 64 : f->capacity * 2;
		csperf_comparator_figure *grown = realloc(f->rows, capacity * sizeof(*grown));

		if (grown == NULL) {
			snprintf(f->error, sizeof(f->error), "out of memory");
			return;
		}
		f->rows = grown;
		f->capacity = capacity;
	}
	r = &f->rows[f->count];
	r->indicator_id = f->values[0] != NULL ? f->values[0] : "";
	r->area_type = f->values[1] != NULL ? f->values[1] : "";
	r->area = f->values[2] != NULL ? f->values[2] : "";
	r->period = f->values[3] != NULL ? f->values[3] : "";
	r->source = f->values[5] != NULL ? f->values[5] : "";
	r->line = (unsigned int)f->line;
	errno = 0;
	r->value = f->values[4] != NULL ? strtod(f->values[4], &endp) : 0;
	if (f->values[4] == NULL || errno != 0 || endp == f->values[4] || *endp != '\0') {
		snprintf(f->error, sizeof(f->error), "%s line %lu, value: '%.40s' is not a number",
			 f->path, f->line, f->values[4] != NULL ? f->values[4] : "");
		return;
	}
	f->count++;
	memset(f->values, 0, sizeof(f->values));
	f->field = 0;
	f->line++;
}

static void comparator_file_free(comparator_file *f)
{
	for (size_t i = 0; i < f->nstrings; i++)
		free(f->strings[i]);
	free(f->strings);
	free(f->rows);
}

/* Reads the file; prints the error and returns -1 if it will not do. */
static int read_comparators(const char *path, comparator_file *f)
{
	struct csv_parser parser;
	char chunk[8192];
	size_t n;
	FILE *in = fopen(path, "rb");

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->line = 1;
	if (in == NULL)
		return cli_file_error("comparators", path, errno);
	csv_init(&parser, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL);
	while (f->error[0] == '\0' && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (csv_parse(&parser, chunk, n, on_field, on_row, f) != n)
			snprintf(f->error, sizeof(f->error), "%s line %lu: %s", path, f->line,
				 csv_strerror(csv_error(&parser)));
	if (f->error[0] == '\0')
		csv_fini(&parser, on_field, on_row, f);
	csv_free(&parser);
	fclose(in);
	if (f->error[0] != '\0') {
		fprintf(stderr, "csperf comparators: %s (nothing was loaded)\n", f->error);
		return -1;
	}
	return 0;
}

const char cmd_comparators_help[] =
"Usage: csperf comparators load FILE.csv\n"
"       csperf comparators import [--release YEAR] FILE...   (DfE published files)\n"
"\n"
"Loads published figures to compare councils with: a CSV file whose header\n"
"names indicator_id, area_type (england, wales, region, statistical_neighbours,\n"
"other), area, period (2017-18, 2018-19:Q2, ...), value and source. All or\n"
"nothing: a bad line refuses the file, naming the line.\n";

int cmd_comparators(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_comparators_help;
	comparator_file f;
	csperf_client *client;
	uint64_t stored = 0;
	int rc;

	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return cmd_comparators_import(g, argc - 1, argv + 1);
	if (argc != 3 || strcmp(argv[1], "load") != 0) {
		bool help = argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);

		fputs(usage, help ? stdout : stderr);
		return help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	rc = read_comparators(argv[2], &f);
	if (rc != 0) {
		comparator_file_free(&f);
		return rc == CLI_EXIT_LOCAL ? rc : CLI_EXIT_REJECTED;
	}
	client = cli_client(g);
	if (client == NULL) {
		comparator_file_free(&f);
		return CLI_EXIT_USAGE;
	}
	rc = csperf_comparators_load(client, f.rows, f.count, &stored);
	if (rc == CSPERF_EINVAL) {
		fprintf(stderr, "csperf comparators: %s: %s (nothing was loaded)\n", argv[2],
			csperf_error_last());
		rc = CLI_EXIT_REJECTED;
	} else if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
	} else {
		printf("%llu comparator figures stored from %s.\n", (unsigned long long)stored, argv[2]);
	}
	csperf_client_free(client);
	comparator_file_free(&f);
	return rc;
}

const char cmd_council_help[] =
"Usage: csperf council put --council CODE [--name NAME] [--nation england|wales]\n"
"                         [--region REGION] [--neighbours CODE,CODE,...]\n"
"       csperf council show --council CODE\n"
"       csperf council list\n"
"       csperf council delete --council CODE\n"
"\n"
"put sets a council's details: its name, its nation (whose bank holidays its\n"
"working days use), its region (for regional comparators) and its statistical\n"
"neighbours, whose average csperf computes from the councils it holds. Only\n"
"the fields given change: --region \"\" clears the region, --neighbours \"\" the\n"
"neighbours; a council new to csperfd is \"LA CODE\", england, until named.\n"
"show prints one council (with its loads and the last day of its data), list\n"
"every council, delete removes a council that has no loads (exit 7 if there\n"
"is no such council, 2 if it still has loads). Admin tokens only.\n";

static const output_column council_columns[] = {
	{ "council", "Council", OUTPUT_TEXT }, { "name", "Name", OUTPUT_TEXT },
	{ "nation", "Nation", OUTPUT_TEXT }, { "region", "Region", OUTPUT_TEXT },
	{ "neighbours", "Neighbours", OUTPUT_TEXT }, { "loads", "Loads", OUTPUT_INTEGER },
	{ "data_to", "Data to", OUTPUT_TEXT },
};

static int council_print(const cli_globals *g, const char *council)
{
	csperf_council_list *list = NULL;
	csperf_client *client = cli_client(g);
	output_result *result;
	int rc;

	if (client == NULL)
		return CLI_EXIT_USAGE;
	rc = csperf_council_list_get(client, council, &list);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		csperf_client_free(client);
		return rc;
	}
	result = output_result_new(council_columns, 7, council != NULL);
	for (size_t i = 0; result != NULL && i < list->count; i++) {
		const csperf_council_info *k = &list->councils[i];
		char neighbours[51 * 10] = "", loads[24];
		const char *values[7] = { k->council, k->name, k->nation,
					  k->region[0] != '\0' ? k->region : NULL, NULL, loads,
					  k->data_to[0] != '\0' ? k->data_to : NULL };

		for (size_t n = 0; n < k->nneighbours; n++)
			snprintf(neighbours + strlen(neighbours), sizeof(neighbours) - strlen(neighbours),
				 "%s%s", n > 0 ? "," : "", k->neighbours[n]);
		values[4] = neighbours[0] != '\0' ? neighbours : NULL;
		snprintf(loads, sizeof(loads), "%llu", (unsigned long long)k->loads);
		output_result_add(result, values);
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
	output_result_free(result);
	csperf_council_list_free(list);
	csperf_client_free(client);
	return rc;
}

int cmd_council(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_council_help;
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "name", required_argument, NULL, 'n' },
		{ "nation", required_argument, NULL, 'N' }, { "region", required_argument, NULL, 'r' },
		{ "neighbours", required_argument, NULL, 'b' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	csperf_council council;
	char *list = NULL, *save = NULL;
	const char *neighbours[51], *action;
	csperf_client *client;
	int opt, rc;
	bool put;

	memset(&council, 0, sizeof(council));
	if (argc < 2 || argv[1][0] == '-') {
		bool help = argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);

		fputs(usage, help ? stdout : stderr);
		return help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	action = argv[1];
	put = strcmp(action, "put") == 0;
	if (!put && strcmp(action, "show") != 0 && strcmp(action, "list") != 0 &&
	    strcmp(action, "delete") != 0) {
		fprintf(stderr, "csperf council: unknown action '%s' (put, show, list or delete)\n%s",
			action, usage);
		return CLI_EXIT_USAGE;
	}
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': council.council = optarg; break;
		case 'n': council.name = optarg; break;
		case 'N': council.nation = optarg; break;
		case 'r': council.region = optarg; break;
		case 'b': list = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf council: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind], usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (!put && (council.name != NULL || council.nation != NULL || council.region != NULL ||
		     list != NULL || optind + 1 < argc)) {
		fprintf(stderr, "csperf council %s: takes %s\n%s", action,
			strcmp(action, "list") == 0 ? "no options" : "--council only", usage);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(action, "list") == 0)
		return council.council != NULL ? council_print(g, council.council) : council_print(g, NULL);
	if (council.council == NULL) {
		fprintf(stderr, "csperf council %s: --council is required\n%s", action, usage);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("council", council.council) != 0)
		return CLI_EXIT_USAGE;
	if (strcmp(action, "show") == 0)
		return council_print(g, council.council);
	if (council.nation != NULL && strcmp(council.nation, "england") != 0 &&
	    strcmp(council.nation, "wales") != 0) {
		fprintf(stderr, "csperf council put: --nation '%s' is not england or wales; e.g. "
			"--nation england\n", council.nation);
		return CLI_EXIT_USAGE;
	}
	if (put && council.name == NULL && council.nation == NULL && council.region == NULL &&
	    list == NULL) {
		fprintf(stderr, "csperf council put: nothing to change: give --name, --nation, "
			"--region or --neighbours\n");
		return CLI_EXIT_USAGE;
	}
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	if (!put) {
		rc = csperf_council_delete(client, council.council);
		if (rc != CSPERF_OK)
			rc = cli_fail(rc);
		else
			printf("Council %s deleted.\n", council.council);
		csperf_client_free(client);
		return rc;
	}
	if (list != NULL) {
		list = strdup(list);
		for (char *code = list != NULL ? strtok_r(list, ",", &save) : NULL;
		     code != NULL && council.nneighbours < 51; code = strtok_r(NULL, ",", &save)) {
			if (cli_check_council("council put", code) != 0) {
				free(list);
				csperf_client_free(client);
				return CLI_EXIT_USAGE;
			}
			neighbours[council.nneighbours++] = code;
		}
		council.neighbours = neighbours;
	}
	rc = csperf_council_update(client, &council);
	if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	else
		printf("Council %s stored.\n", council.council);
	csperf_client_free(client);
	free(list);
	return rc;
}
