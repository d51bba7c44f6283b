/*
 * cmd_targets.c: `csperf targets show|put`: a council's own settings
 * (docs/indicators.md, "Targets and a council's own settings").
 *
 * put takes a file, whole (it replaces the council's settings), or one
 * indicator's settings from flags (merged into the current ones). A file
 * is CSV, a line per indicator and year:
 *   indicator_id,year,target,tolerance,corporate_risk,budget_line,position
 * (year empty: a line with only links; position: its place on the
 * scorecard, 1 first; no positions: the catalogue's scorecard), or JSON as
 * `targets show -o json` prints it:
 *   {"indicators": {"CN02": {"targets": {"2018-19": {"target": 95,
 *    "tolerance": 3}}, "corporate_risk": "CR-01", "budget_line": "other"}},
 *    "scorecard": ["CN02", ...]}
 * Every line is checked before anything is sent (the catalogue's ids from
 * csperfd); a bad one names the file, line (or JSON path), field and value,
 * and nothing is written.
 */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csperf/scorecards.h>

#include "cli.h"
#include "periods.h"

#define MAX_INDICATORS 400
#define MAX_TARGETS 4000
#define LIMIT 1e12

/* What a file or the flags give, before it is sent. */
typedef struct settings_input {
	csperf_indicator_settings indicators[MAX_INDICATORS];
	size_t nindicators;
	csperf_target targets[MAX_TARGETS];   /* each indicator's run is contiguous */
	size_t ntargets;
	/* per indicator: its targets' lines; and scorecard positions */
	long position[MAX_INDICATORS];
	char *strings[MAX_TARGETS * 4];       /* owned copies */
	size_t nstrings;
	const char *scorecard[MAX_INDICATORS];
	size_t nscorecard;
	char error[512];
} settings_input;

static const char *keep(settings_input *in, const char *text)
{
	char *copy;

	if (in->nstrings == sizeof(in->strings) / sizeof(in->strings[0]))
		return NULL;
	copy = strdup(text != NULL ? text : "");
	if (copy != NULL)
		in->strings[in->nstrings++] = copy;
	return copy;
}

static void input_free(settings_input *in)
{
	for (size_t i = 0; i < in->nstrings; i++)
		free(in->strings[i]);
	free(in);
}

/* A number of a field, or an error naming where, field and value. */
static bool number(settings_input *in, const char *where, const char *field, const char *text,
		   double low, double *out)
{
	char *end;

	errno = 0;
	*out = text != NULL ? strtod(text, &end) : 0;
	if (text == NULL || text[0] == '\0' || errno != 0 || *end != '\0' || !(*out >= low) ||
	    !(*out <= LIMIT)) {
		snprintf(in->error, sizeof(in->error), "%s, %s: '%.40s' is not a number from %.0f "
			 "to %.0f", where, field, text != NULL ? text : "", low, LIMIT);
		return false;
	}
	return true;
}

static bool check_year(settings_input *in, const char *where, const char *year)
{
	report_period p;
	char err[256];

	if (period_parse(year, &p, err, sizeof(err)) != 0 || p.type != PERIOD_YEAR ||
	    strcmp(p.label, year) != 0) {
		snprintf(in->error, sizeof(in->error), "%s, year: '%.24s' is not a financial year "
			 "such as 2018-19", where, year);
		return false;
	}
	return true;
}

static bool check_link(settings_input *in, const char *where, const char *field,
		       const char *text)
{
	size_t len = strlen(text);

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			len = 1000;
	if (len > 100) {
		snprintf(in->error, sizeof(in->error), "%s, %s: '%.40s' is not at most 100 printable "
			 "bytes", where, field, text);
		return false;
	}
	return true;
}

/* The indicator's entry, added at the end if new (its targets must then be
 * the next ones added). */
static csperf_indicator_settings *entry_for(settings_input *in, const char *where, const char *id,
					    const csperf_indicator_list *catalogue)
{
	bool known = false;

	for (size_t i = 0; i < in->nindicators; i++)
		if (strcmp(in->indicators[i].indicator_id, id) == 0)
			return &in->indicators[i];
	for (size_t i = 0; i < catalogue->count && !known; i++)
		known = strcmp(catalogue->indicators[i].indicator_id, id) == 0;
	if (!known) {
		snprintf(in->error, sizeof(in->error), "%s, indicator_id: '%.20s' is not an indicator "
			 "of the catalogue (csperf indicators list)", where, id);
		return NULL;
	}
	if (in->nindicators == MAX_INDICATORS) {
		snprintf(in->error, sizeof(in->error), "%s: more than %d indicators", where,
			 MAX_INDICATORS);
		return NULL;
	}
	in->indicators[in->nindicators].indicator_id = keep(in, id);
	in->indicators[in->nindicators].corporate_risk = "";
	in->indicators[in->nindicators].budget_line = "";
	in->indicators[in->nindicators].targets = &in->targets[in->ntargets];
	return &in->indicators[in->nindicators++];
}

static bool add_target(settings_input *in, csperf_indicator_settings *s, const char *where,
		       const char *year, double target, double tolerance)
{
	/* An indicator's targets are contiguous: a file must keep its lines
	 * together. */
	if (s->targets + s->ntargets != &in->targets[in->ntargets]) {
		snprintf(in->error, sizeof(in->error), "%s, indicator_id: %s's lines must follow one "
			 "another", where, s->indicator_id);
		return false;
	}
	for (size_t i = 0; i < s->ntargets; i++)
		if (strcmp(s->targets[i].year, year) == 0) {
			snprintf(in->error, sizeof(in->error), "%s, year: %s %s is given twice", where,
				 s->indicator_id, year);
			return false;
		}
	if (in->ntargets == MAX_TARGETS) {
		snprintf(in->error, sizeof(in->error), "%s: more than %d targets", where, MAX_TARGETS);
		return false;
	}
	in->targets[in->ntargets].year = keep(in, year);
	in->targets[in->ntargets].target = target;
	in->targets[in->ntargets].tolerance = tolerance;
	in->ntargets++;
	s->ntargets++;
	return true;
}

/* ---- CSV ---- */

enum { C_ID, C_YEAR, C_TARGET, C_TOLERANCE, C_RISK, C_BUDGET, C_POSITION, NCOLUMNS };
static const char *const column_names[NCOLUMNS] = {
	"indicator_id", "year", "target", "tolerance", "corporate_risk", "budget_line", "position"
};

typedef struct csv_reader {
	settings_input *in;
	const csperf_indicator_list *catalogue;
	const char *path;
	unsigned long line;
	int column_of[32];
	size_t field, ncolumns;
	char *values[NCOLUMNS];
} csv_reader;

static void on_field(void *data, size_t len, void *ctx)
{
	csv_reader *r = ctx;
	int column;

	(void)len;
	if (r->in->error[0] != '\0' || r->field >= 32) {
		r->field++;
		return;
	}
	if (r->line == 1) {
		const char *name = data;

		/* A spreadsheet's byte-order mark is not part of the first name. */
		if (name != NULL && r->field == 0 && strncmp(name, "\xef\xbb\xbf", 3) == 0)
			name += 3;
		r->column_of[r->field] = -1;
		for (int c = 0; c < NCOLUMNS; c++)
			if (name != NULL && strcmp(name, column_names[c]) == 0)
				r->column_of[r->field] = c;
		r->ncolumns = ++r->field;
		return;
	}
	column = r->field < r->ncolumns ? r->column_of[r->field] : -1;
	if (column >= 0) {
		free(r->values[column]);
		r->values[column] = data != NULL ? strdup(data) : NULL;
	}
	r->field++;
}

static void csv_line(csv_reader *r)
{
	settings_input *in = r->in;
	csperf_indicator_settings *s;
	char where[300];
	const char *year = r->values[C_YEAR];
	double target, tolerance, position;

	snprintf(where, sizeof(where), "%s line %lu", r->path, r->line);
	if (r->values[C_ID] == NULL) {
		snprintf(in->error, sizeof(in->error), "%s, indicator_id: '' is not an indicator",
			 where);
		return;
	}
	s = entry_for(in, where, r->values[C_ID], r->catalogue);
	if (s == NULL)
		return;
	if (year != NULL) {
		if (!check_year(in, where, year) ||
		    !number(in, where, "target", r->values[C_TARGET], -LIMIT, &target) ||
		    !number(in, where, "tolerance", r->values[C_TOLERANCE] != NULL
			    ? r->values[C_TOLERANCE] : "0", 0, &tolerance) ||
		    !add_target(in, s, where, year, target, tolerance))
			return;
	} else if (r->values[C_TARGET] != NULL || r->values[C_TOLERANCE] != NULL) {
		snprintf(in->error, sizeof(in->error), "%s, year: '' (a target needs its financial "
			 "year)", where);
		return;
	}
	if (r->values[C_RISK] != NULL) {
		if (!check_link(in, where, "corporate_risk", r->values[C_RISK]))
			return;
		s->corporate_risk = keep(in, r->values[C_RISK]);
	}
	if (r->values[C_BUDGET] != NULL) {
		if (!check_link(in, where, "budget_line", r->values[C_BUDGET]))
			return;
		s->budget_line = keep(in, r->values[C_BUDGET]);
	}
	if (r->values[C_POSITION] != NULL) {
		if (!number(in, where, "position", r->values[C_POSITION], 1, &position))
			return;
		in->position[s - in->indicators] = (long)position;
	}
}

static void on_row(int end, void *ctx)
{
	csv_reader *r = ctx;

	(void)end;
	if (r->in->error[0] == '\0' && r->line == 1) {
		bool has[NCOLUMNS] = { false };

		for (size_t i = 0; i < r->ncolumns; i++)
			if (r->column_of[i] >= 0)
				has[r->column_of[i]] = true;
		if (!has[C_ID])
			snprintf(r->in->error, sizeof(r->in->error), "%s line 1: no indicator_id column "
				 "(the header names indicator_id, year, target, tolerance, "
				 "corporate_risk, budget_line, position)", r->path);
	} else if (r->in->error[0] == '\0') {
		csv_line(r);
	}
	for (int c = 0; c < NCOLUMNS; c++) {
		free(r->values[c]);
		r->values[c] = NULL;
	}
	r->field = 0;
	r->line++;
}

/* The scorecard from the positions given, in order of position. */
static void scorecard_from_positions(settings_input *in)
{
	for (long p = 1; in->nscorecard < in->nindicators; p++) {
		long next = 0;

		for (size_t i = 0; i < in->nindicators; i++) {
			if (in->position[i] == p)
				in->scorecard[in->nscorecard++] = in->indicators[i].indicator_id;
			if (in->position[i] > p && (next == 0 || in->position[i] < next))
				next = in->position[i];
		}
		if (next == 0)
			break;
		p = next - 1;
	}
}

static int read_csv(const char *path, settings_input *in, const csperf_indicator_list *catalogue)
{
	struct csv_parser parser;
	csv_reader r;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return cli_file_error("targets put", path, errno);
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.catalogue = catalogue;
	r.path = path;
	r.line = 1;
	csv_init(&parser, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL);
	while (in->error[0] == '\0' && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (csv_parse(&parser, chunk, n, on_field, on_row, &r) != n)
			snprintf(in->error, sizeof(in->error), "%s line %lu: %s", path, r.line,
				 csv_strerror(csv_error(&parser)));
	if (in->error[0] == '\0')
		csv_fini(&parser, on_field, on_row, &r);
	csv_free(&parser);
	fclose(f);
	for (int c = 0; c < NCOLUMNS; c++)
		free(r.values[c]);
	if (in->error[0] == '\0')
		scorecard_from_positions(in);
	return in->error[0] != '\0' ? -1 : 0;
}

/* ---- JSON ---- */

static int read_json(const char *path, settings_input *in, const csperf_indicator_list *catalogue)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *inds, *entry, *v;
	const char *id;
	size_t i;

	if (root == NULL && access(path, R_OK) != 0)
		return cli_file_error("targets put", path, errno);
	if (root == NULL || !json_is_object(root)) {
		snprintf(in->error, sizeof(in->error), "%s line %d: %s", path, root == NULL ? err.line : 1,
			 root == NULL ? err.text : "the settings must be a JSON object");
		json_decref(root);
		return -1;
	}
	inds = json_object_get(root, "indicators");
	json_object_foreach(inds, id, entry) {
		char where[300];
		csperf_indicator_settings *s;
		json_t *targets = json_object_get(entry, "targets"), *t;
		const char *year;

		snprintf(where, sizeof(where), "%s: indicators.%.20s", path, id);
		if ((s = entry_for(in, where, id, catalogue)) == NULL)
			break;
		json_object_foreach(targets, year, t) {
			char at[340];
			double target, tolerance;
			json_t *tv = json_object_get(t, "target"), *lv = json_object_get(t, "tolerance");

			snprintf(at, sizeof(at), "%s.targets.%.24s", where, year);
			if (!check_year(in, at, year))
				break;
			if (!json_is_number(tv)) {
				snprintf(in->error, sizeof(in->error), "%s, target: is not a number", at);
				break;
			}
			target = json_number_value(tv);
			tolerance = json_is_number(lv) ? json_number_value(lv) : 0;
			if (!(fabs(target) <= LIMIT) || !(tolerance >= 0 && tolerance <= LIMIT) ||
			    (lv != NULL && !json_is_number(lv))) {
				snprintf(in->error, sizeof(in->error), "%s: target %g or tolerance is out "
					 "of range (tolerance from 0)", at, target);
				break;
			}
			if (!add_target(in, s, at, year, target, tolerance))
				break;
		}
		if (in->error[0] != '\0')
			break;
		if ((v = json_object_get(entry, "corporate_risk")) != NULL && json_is_string(v)) {
			if (!check_link(in, where, "corporate_risk", json_string_value(v)))
				break;
			s->corporate_risk = keep(in, json_string_value(v));
		}
		if ((v = json_object_get(entry, "budget_line")) != NULL && json_is_string(v)) {
			if (!check_link(in, where, "budget_line", json_string_value(v)))
				break;
			s->budget_line = keep(in, json_string_value(v));
		}
	}
	json_array_foreach(json_object_get(root, "scorecard"), i, v) {
		if (in->error[0] != '\0' || in->nscorecard == MAX_INDICATORS)
			break;
		if (!json_is_string(v)) {
			snprintf(in->error, sizeof(in->error), "%s: scorecard[%zu] is not an indicator id",
				 path, i);
			break;
		}
		in->scorecard[in->nscorecard++] = keep(in, json_string_value(v));
	}
	json_decref(root);
	return in->error[0] != '\0' ? -1 : 0;
}

/* ---- printing ---- */

static json_t *settings_json(const csperf_council_settings *s)
{
	json_t *o = json_object(), *inds = json_object(), *sc = json_array();

	json_object_set_new(o, "council", json_string(s->council));
	json_object_set_new(o, "version", json_integer(s->version));
	for (size_t i = 0; i < s->nindicators; i++) {
		const csperf_indicator_settings *ind = &s->indicators[i];
		json_t *e = json_object(), *targets = json_object();

		for (size_t k = 0; k < ind->ntargets; k++)
			json_object_set_new(targets, ind->targets[k].year,
					    json_pack("{s:f, s:f}", "target", ind->targets[k].target,
						      "tolerance", ind->targets[k].tolerance));
		json_object_set_new(e, "targets", targets);
		if (ind->corporate_risk[0] != '\0')
			json_object_set_new(e, "corporate_risk", json_string(ind->corporate_risk));
		if (ind->budget_line[0] != '\0')
			json_object_set_new(e, "budget_line", json_string(ind->budget_line));
		json_object_set_new(inds, ind->indicator_id, e);
	}
	json_object_set_new(o, "indicators", inds);
	for (size_t i = 0; i < s->nscorecard; i++)
		json_array_append_new(sc, json_string(s->scorecard[i]));
	json_object_set_new(o, "scorecard", sc);
	json_object_set_new(o, "created_at", json_string(s->created_at));
	json_object_set_new(o, "created_by", json_string(s->created_by));
	return o;
}

static int print_settings(const cli_globals *g, const csperf_council_settings_list *list)
{
	static const output_column columns[] = {
		{ "indicator_id", "ID", OUTPUT_TEXT }, { "year", "Year", OUTPUT_TEXT },
		{ "target", "Target", OUTPUT_NUMBER }, { "tolerance", "Tolerance", OUTPUT_NUMBER },
		{ "corporate_risk", "Corporate risk", OUTPUT_TEXT },
		{ "budget_line", "Budget line", OUTPUT_TEXT },
	};
	const csperf_council_settings *s = &list->settings[0];
	output_result *result;
	int rc;

	if (g->format == OUTPUT_JSON) {
		json_t *root = settings_json(s);

		if (list->count > 1) {
			json_t *history = json_array();

			for (size_t i = 1; i < list->count; i++)
				json_array_append_new(history, settings_json(&list->settings[i]));
			json_object_set_new(root, "history", history);
		}
		rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
			? CLI_EXIT_OK : CLI_EXIT_LOCAL;
		fputc('\n', stdout);
		json_decref(root);
		return rc;
	}
	if (g->format == OUTPUT_TABLE) {
		if (s->version == 0)
			printf("%s has no settings of its own: the catalogue's targets, links and "
			       "scorecard apply.\n", s->council);
		else
			printf("%s settings version %d, by %s at %s%s\n", s->council, s->version,
			       s->created_by, s->created_at, s->nscorecard == 0
			       ? "; scorecard: the catalogue's" : "");
		if (s->nscorecard > 0) {
			printf("scorecard:");
			for (size_t i = 0; i < s->nscorecard; i++)
				printf(" %s", s->scorecard[i]);
			printf("\n");
		}
		for (size_t i = 1; i < list->count; i++)
			printf("  earlier: version %d by %s at %s\n", list->settings[i].version,
			       list->settings[i].created_by, list->settings[i].created_at);
	}
	result = output_result_new(columns, 6, 0);
	for (size_t i = 0; result != NULL && i < s->nindicators; i++) {
		const csperf_indicator_settings *ind = &s->indicators[i];

		for (size_t k = 0; k < ind->ntargets || (k == 0 && ind->ntargets == 0); k++) {
			char target[32] = "", tolerance[32] = "";
			const char *values[6] = { ind->indicator_id, "", target, tolerance,
						  ind->corporate_risk, ind->budget_line };

			if (ind->ntargets > 0) {
				values[1] = ind->targets[k].year;
				snprintf(target, sizeof(target), "%g", ind->targets[k].target);
				snprintf(tolerance, sizeof(tolerance), "%g", ind->targets[k].tolerance);
			}
			output_result_add(result, values);
		}
	}
	rc = result != NULL ? cli_print(g, result) : CLI_EXIT_LOCAL;
	output_result_free(result);
	return rc;
}

const char cmd_targets_help[] =
"Usage: csperf targets show --council CODE [--history]\n"
"       csperf targets put --council CODE FILE.csv|FILE.json\n"
"       csperf targets put --council CODE --indicator ID [--year YEAR --target N\n"
"                          [--tolerance N]] [--corporate-risk RISK|none]\n"
"                          [--budget-line LINE|none] [--scorecard ID,ID,...]\n"
"\n"
"A council's own settings: targets and tolerances by financial year, the\n"
"corporate risk and budget line each indicator is linked to, and which\n"
"indicators its scorecard shows, in order. The scorecard, exceptions and the\n"
"committee report use them; where a council sets none, the catalogue's apply.\n"
"Every put is a new version (show --history lists them). Admin only.\n"
"\n"
"put FILE replaces the council's settings with the file's: CSV with the header\n"
"indicator_id,year,target,tolerance,corporate_risk,budget_line,position (a line\n"
"per indicator and year; position orders the scorecard), or JSON as `targets\n"
"show -o json` prints it. put --indicator changes that indicator only (one\n"
"year's target, its links) and keeps the rest; --scorecard sets the list.\n"
"A bad line names the file, line, field and value, and nothing is written.\n";

static int parse_list(settings_input *in, const char *list)
{
	char *copy = (char *)keep(in, list), *save = NULL;

	for (char *t = copy != NULL ? strtok_r(copy, ",", &save) : NULL; t != NULL;
	     t = strtok_r(NULL, ",", &save)) {
		if (in->nscorecard == MAX_INDICATORS)
			return -1;
		in->scorecard[in->nscorecard++] = t;
	}
	return 0;
}

int cmd_targets(const cli_globals *g, int argc, char **argv)
{
	const char *const usage = cmd_targets_help;
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' }, { "history", no_argument, NULL, 'H' },
		{ "indicator", required_argument, NULL, 'i' }, { "year", required_argument, NULL, 'y' },
		{ "target", required_argument, NULL, 't' }, { "tolerance", required_argument, NULL, 'T' },
		{ "corporate-risk", required_argument, NULL, 'r' },
		{ "budget-line", required_argument, NULL, 'b' },
		{ "scorecard", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *council = NULL, *indicator = NULL, *year = NULL, *target = NULL;
	const char *tolerance = NULL, *risk = NULL, *budget = NULL, *scorecard = NULL, *action;
	csperf_council_settings_list *list = NULL;
	csperf_indicator_list *catalogue = NULL;
	settings_input *in = NULL;
	csperf_client *client;
	int history = 0, opt, rc;
	unsigned flags = 0;

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
		case 'H': history = 1; break;
		case 'i': indicator = optarg; break;
		case 'y': year = optarg; break;
		case 't': target = optarg; break;
		case 'T': tolerance = optarg; break;
		case 'r': risk = optarg; break;
		case 'b': budget = optarg; break;
		case 's': scorecard = optarg; break;
		case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf targets: unknown option '%s'\n%s", argv[optind], usage);
			return CLI_EXIT_USAGE;
		}
	}
	optind++;
	if (strcmp(action, "show") != 0 && strcmp(action, "put") != 0) {
		fprintf(stderr, "csperf targets: unknown action '%s'\n%s", action, usage);
		return CLI_EXIT_USAGE;
	}
	if (council == NULL) {
		fprintf(stderr, "csperf targets %s: --council is required\n%s", action, usage);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("targets", council) != 0)
		return CLI_EXIT_USAGE;
	if (strcmp(action, "put") == 0 &&
	    ((optind < argc) == (indicator != NULL || scorecard != NULL) || optind + 1 < argc ||
	     ((year != NULL) != (target != NULL)) || (indicator == NULL && (year != NULL ||
	      tolerance != NULL || risk != NULL || budget != NULL)))) {
		fprintf(stderr, "csperf targets put: give a FILE, or --indicator (with --year and "
			"--target together) and/or --scorecard\n%s", usage);
		return CLI_EXIT_USAGE;
	}
	client = cli_client(g);
	if (client == NULL)
		return CLI_EXIT_USAGE;
	if (strcmp(action, "show") == 0) {
		rc = csperf_council_settings_get(client, council, history, &list);
		rc = rc == CSPERF_OK ? print_settings(g, list) : cli_fail(rc);
		goto done;
	}
	in = calloc(1, sizeof(*in));
	rc = in == NULL ? CSPERF_ENOMEM : csperf_indicators_list(client, NULL, &catalogue);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto done;
	}
	if (optind < argc) {
		const char *path = argv[optind];
		size_t len = strlen(path);
		bool json = len > 5 && strcmp(path + len - 5, ".json") == 0;

		rc = json ? read_json(path, in, catalogue) : read_csv(path, in, catalogue);
	} else {
		char where[64];
		csperf_indicator_settings *s = NULL;
		double t = 0, tol = 0;

		flags = CSPERF_SETTINGS_MERGE | (scorecard != NULL ? CSPERF_SETTINGS_SET_SCORECARD : 0);
		snprintf(where, sizeof(where), "--indicator %.20s", indicator != NULL ? indicator : "");
		rc = 0;
		if (indicator != NULL && (s = entry_for(in, where, indicator, catalogue)) == NULL)
			rc = -1;
		else if (year != NULL && (!check_year(in, "--year", year) ||
					  !number(in, "--target", "target", target, -LIMIT, &t) ||
					  !number(in, "--tolerance", "tolerance",
						  tolerance != NULL ? tolerance : "0", 0, &tol) ||
					  !add_target(in, s, where, year, t, tol)))
			rc = -1;
		else if ((risk != NULL && !check_link(in, "--corporate-risk", "corporate_risk", risk)) ||
			 (budget != NULL && !check_link(in, "--budget-line", "budget_line", budget)))
			rc = -1;
		if (rc == 0 && s != NULL) {
			s->corporate_risk = risk != NULL ? keep(in, risk) : "";
			s->budget_line = budget != NULL ? keep(in, budget) : "";
		}
		if (rc == 0 && scorecard != NULL && parse_list(in, scorecard) != 0)
			rc = -1;
	}
	if (rc == CLI_EXIT_LOCAL)
		goto done;
	if (rc != 0) {
		fprintf(stderr, "csperf targets put: %s (nothing was written)\n", in->error);
		rc = CLI_EXIT_REJECTED;
		goto done;
	}
	{
		csperf_council_settings s = { council, 0, in->nindicators, in->indicators,
					      in->nscorecard, in->scorecard, NULL, NULL };

		rc = csperf_council_settings_put(client, &s, flags, &list);
	}
	if (rc != CSPERF_OK)
		rc = cli_fail(rc);
	else if (g->format == OUTPUT_TABLE)
		printf("%s settings version %d stored (%zu indicators with settings of their own).\n",
		       council, list->settings[0].version, list->settings[0].nindicators);
	else
		rc = print_settings(g, list);
done:
	if (in != NULL)
		input_free(in);
	csperf_indicator_list_free(catalogue);
	csperf_council_settings_list_free(list);
	csperf_client_free(client);
	return rc;
}
