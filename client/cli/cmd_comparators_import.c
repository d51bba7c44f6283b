/*
 * cmd_comparators_import.c: `csperf comparators import FILE...`: the DfE's
 * published statistics files as they come from the "explore education
 * statistics" service, read with libcsv and sent to csperfd in batches.
 * csperfd recognises each file by its columns and maps its measures to
 * indicators (docs/COMPARATORS.md); this command only reads the CSV.
 *
 * A file is read twice: once for its release (its latest time_period, or
 * for the statistical neighbour model the year in its name), then in
 * batches of BATCH_ROWS rows, so that a large file is never held whole.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <jansson.h>

#include <csperf/scorecards.h>

#include "cli.h"

#define BATCH_ROWS 2000
/* ... or fewer, well under csperfd's 16 MB message limit. */
#define BATCH_BYTES (4u * 1024 * 1024)
#define MAX_COLUMNS 200

typedef struct import_file {
	const char *path;
	const char *name;            /* the path's last part */
	csperf_client *client;
	char release[8];
	bool reading_release;        /* the first pass */
	/* the header */
	char *columns[MAX_COLUMNS];
	size_t ncolumns;
	int time_period;             /* its column, -1 if none */
	/* the row being read */
	char **cells;
	size_t ncells;
	unsigned long record;        /* 1 for the header */
	/* the batch */
	char **batch_cells;
	unsigned int *batch_lines;
	size_t batch_rows;
	size_t batch_bytes;
	csperf_import_summary total;
	uint64_t rows;
	char error[512];
	int code;                    /* the SDK's code when a batch failed */
} import_file;

static void free_cells(char **cells, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(cells[i]);
}

static int send_batch(import_file *f)
{
	csperf_published_batch batch;
	csperf_import_summary s;
	int rc;

	if (f->batch_rows == 0)
		return 0;
	batch.file_name = f->name;
	batch.release = f->release;
	batch.ncolumns = f->ncolumns;
	batch.columns = (const char *const *)f->columns;
	batch.nrows = f->batch_rows;
	batch.lines = f->batch_lines;
	batch.cells = (const char *const *)f->batch_cells;
	rc = csperf_comparators_import(f->client, &batch, &s);
	free_cells(f->batch_cells, f->batch_rows * f->ncolumns);
	f->batch_rows = 0;
	f->batch_bytes = 0;
	if (rc != CSPERF_OK) {
		f->code = rc;
		snprintf(f->error, sizeof(f->error), "%s", csperf_error_last());
		return -1;
	}
	memcpy(f->total.kind, s.kind, sizeof(s.kind));
	memcpy(f->total.title, s.title, sizeof(s.title));
	f->total.figures_new += s.figures_new;
	f->total.figures_replaced += s.figures_replaced;
	f->total.figures_unchanged += s.figures_unchanged;
	f->total.no_figure += s.no_figure;
	f->total.rows_skipped += s.rows_skipped;
	f->total.neighbours += s.neighbours;
	return 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	import_file *f = ctx;
	const char *text = data != NULL ? data : "";
	char **grown;

	if (f->error[0] != '\0')
		return;
	/* The byte-order mark some DfE files begin with. */
	if (f->record == 1 && f->ncells == 0 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	grown = realloc(f->cells, (f->ncells + 1) * sizeof(*grown));
	if (grown == NULL) {
		snprintf(f->error, sizeof(f->error), "out of memory");
		return;
	}
	f->cells = grown;
	f->cells[f->ncells] = strndup(text, len);
	if (f->cells[f->ncells] == NULL) {
		snprintf(f->error, sizeof(f->error), "out of memory");
		return;
	}
	f->ncells++;
}

/* The release: the largest year a time_period cell starts with. */
static void note_release(import_file *f)
{
	const char *t;

	if (f->time_period < 0 || (size_t)f->time_period >= f->ncells)
		return;
	t = f->cells[f->time_period];
	if (strlen(t) >= 4 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) &&
	    isdigit((unsigned char)t[2]) && isdigit((unsigned char)t[3])) {
		/* 202324: the year it ends in. */
		char year[8];

		if (strlen(t) == 6 && isdigit((unsigned char)t[4]) && isdigit((unsigned char)t[5]))
			snprintf(year, sizeof(year), "%04d", (atoi(t) / 100 + 1) % 10000);
		else
			snprintf(year, sizeof(year), "%.4s", t);
		if (strcmp(year, f->release) > 0)
			snprintf(f->release, sizeof(f->release), "%s", year);
	}
}

static void on_row(int end, void *ctx)
{
	import_file *f = ctx;

	(void)end;
	if (f->error[0] != '\0')
		goto done;
	if (f->record == 1) {
		if (f->ncells > MAX_COLUMNS) {
			snprintf(f->error, sizeof(f->error), "%s line 1: more than %d columns", f->name,
				 MAX_COLUMNS);
			goto done;
		}
		f->time_period = -1;
		for (size_t i = 0; i < f->ncells; i++) {
			f->columns[i] = f->cells[i];
			if (strcmp(f->cells[i], "time_period") == 0)
				f->time_period = (int)i;
		}
		f->ncolumns = f->ncells;
		f->ncells = 0;
		f->record++;
		return;
	}
	f->rows++;
	if (f->reading_release) {
		note_release(f);
		goto done;
	}
	if (f->ncells != f->ncolumns) {
		snprintf(f->error, sizeof(f->error), "%s line %lu: %zu fields, the header has %zu",
			 f->name, f->record, f->ncells, f->ncolumns);
		goto done;
	}
	memcpy(&f->batch_cells[f->batch_rows * f->ncolumns], f->cells,
	       f->ncells * sizeof(*f->cells));
	for (size_t i = 0; i < f->ncells; i++)
		f->batch_bytes += strlen(f->cells[i]) + 2;
	f->batch_lines[f->batch_rows++] = (unsigned int)f->record;
	f->ncells = 0;
	f->record++;
	if (f->batch_rows == BATCH_ROWS || f->batch_bytes >= BATCH_BYTES)
		send_batch(f);
	return;
done:
	free_cells(f->cells, f->ncells);
	f->ncells = 0;
	f->record++;
}

/* One pass over the file. -1 with f->error set on failure. */
static int read_pass(import_file *f, bool release_pass)
{
	struct csv_parser parser;
	char chunk[65536];
	size_t n;
	FILE *in = fopen(f->path, "rb");

	if (in == NULL) {
		snprintf(f->error, sizeof(f->error), "%s: %s", f->path, strerror(errno));
		return -1;
	}
	free_cells(f->columns, f->ncolumns);
	f->ncolumns = 0;
	f->record = 1;
	f->rows = 0;
	f->reading_release = release_pass;
	csv_init(&parser, CSV_APPEND_NULL);
	while (f->error[0] == '\0' && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (csv_parse(&parser, chunk, n, on_field, on_row, f) != n)
			snprintf(f->error, sizeof(f->error), "%s line %lu: %s", f->name, f->record,
				 csv_strerror(csv_error(&parser)));
	if (f->error[0] == '\0')
		csv_fini(&parser, on_field, on_row, f);
	csv_free(&parser);
	fclose(in);
	if (f->error[0] == '\0' && !release_pass)
		send_batch(f);
	return f->error[0] == '\0' ? 0 : -1;
}

/* A model file names its year ("sn_model_2025_wide.csv"). */
static void release_from_name(import_file *f)
{
	for (const char *p = f->name; *p != '\0'; p++)
		if ((p[0] == '1' || p[0] == '2') && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		    !isdigit((unsigned char)p[4]) && (p == f->name || !isdigit((unsigned char)p[-1]))) {
			snprintf(f->release, sizeof(f->release), "%.4s", p);
			return;
		}
}

static void print_summary(const cli_globals *g, const import_file *f, json_t *results)
{
	const csperf_import_summary *s = &f->total;

	if (g->format == OUTPUT_JSON) {
		json_array_append_new(results, json_pack(
			"{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "file", f->path,
			"kind", s->kind, "title", s->title, "release", f->release, "rows",
			(json_int_t)f->rows, "figures_new", (json_int_t)s->figures_new,
			"figures_replaced", (json_int_t)s->figures_replaced, "figures_unchanged",
			(json_int_t)s->figures_unchanged, "no_figure", (json_int_t)s->no_figure,
			"rows_skipped", (json_int_t)s->rows_skipped, "neighbours",
			(json_int_t)s->neighbours));
		return;
	}
	printf("%s: %s, release %s: %llu rows\n", f->path, s->title, f->release,
	       (unsigned long long)f->rows);
	if (s->neighbours > 0 || strcmp(s->kind, "sn_model") == 0)
		printf("  statistical neighbours changed for %llu LAs\n",
		       (unsigned long long)s->neighbours);
	else
		printf("  figures: %llu new, %llu replaced, %llu unchanged; %llu published as a "
		       "symbol (no figure); %llu rows skipped\n", (unsigned long long)s->figures_new,
		       (unsigned long long)s->figures_replaced,
		       (unsigned long long)s->figures_unchanged, (unsigned long long)s->no_figure,
		       (unsigned long long)s->rows_skipped);
}

static int import_one(const cli_globals *g, csperf_client *client, const char *path,
		      const char *release, json_t *results)
{
	import_file f;
	const char *slash = strrchr(path, '/');
	int rc = CLI_EXIT_OK;

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.name = slash != NULL ? slash + 1 : path;
	f.client = client;
	f.batch_cells = calloc((size_t)BATCH_ROWS * MAX_COLUMNS, sizeof(*f.batch_cells));
	f.batch_lines = calloc(BATCH_ROWS, sizeof(*f.batch_lines));
	if (f.batch_cells == NULL || f.batch_lines == NULL) {
		snprintf(f.error, sizeof(f.error), "out of memory");
		goto fail;
	}
	if (release != NULL) {
		snprintf(f.release, sizeof(f.release), "%s", release);
	} else {
		if (read_pass(&f, true) != 0)
			goto fail;
		if (f.release[0] == '\0')
			release_from_name(&f);
		if (f.release[0] == '\0') {
			snprintf(f.error, sizeof(f.error), "%s: no time_period column and no year in "
				 "its name: give its release with --release YEAR", f.name);
			goto fail;
		}
	}
	if (read_pass(&f, false) != 0)
		goto fail;
	print_summary(g, &f, results);
	goto cleanup;
fail:
	fprintf(stderr, "csperf comparators import: %s\n", f.error);
	if (f.code != 0 && f.code != CSPERF_EINVAL)
		rc = cli_fail(f.code);
	else
		rc = f.code == CSPERF_EINVAL ? CLI_EXIT_REJECTED : CLI_EXIT_LOCAL;
	if (f.rows > BATCH_ROWS)
		fprintf(stderr, "csperf comparators import: the batches of %s before the failing one "
			"were stored; importing the file again once it is mended changes nothing "
			"more than the rest\n", f.path);
cleanup:
	free_cells(f.cells, f.ncells);
	free(f.cells);
	free_cells(f.batch_cells, f.batch_rows * f.ncolumns);
	free_cells(f.columns, f.ncolumns);
	free(f.batch_cells);
	free(f.batch_lines);
	return rc;
}

int cmd_comparators_import(const cli_globals *g, int argc, char **argv)
{
	static const char usage[] =
"Usage: csperf comparators import [--release YEAR] FILE...\n"
"\n"
"Imports the DfE's published statistics (explore education statistics CSV\n"
"files, as downloaded) as comparators: England, regions and every local\n"
"authority, and the statistical neighbour model. csperfd recognises each file\n"
"by its columns and maps its measures to indicators; DfE symbols (c, x, z, u,\n"
"k, low) are stored as no figure, never 0. A file's release is its latest\n"
"time_period (the model's: the year in its name, or --release); a newer\n"
"release replaces the figures of an older one, and importing a file again\n"
"changes nothing. See docs/COMPARATORS.md.\n";
	const char *release = NULL;
	csperf_client *client;
	json_t *results = json_array();
	int first = 1, rc = CLI_EXIT_OK;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		json_decref(results);
		return CLI_EXIT_OK;
	}
	if (argc >= 3 && strcmp(argv[1], "--release") == 0) {
		release = argv[2];
		first = 3;
	}
	if (first >= argc || results == NULL) {
		fputs(usage, stderr);
		json_decref(results);
		return CLI_EXIT_USAGE;
	}
	client = cli_client(g);
	if (client == NULL) {
		json_decref(results);
		return CLI_EXIT_USAGE;
	}
	for (int i = first; i < argc && rc == CLI_EXIT_OK; i++)
		rc = import_one(g, client, argv[i], release, results);
	if (rc == CLI_EXIT_OK && g->format == OUTPUT_JSON) {
		json_dumpf(results, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
	json_decref(results);
	csperf_client_free(client);
	return rc;
}
