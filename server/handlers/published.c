/*
 * published.c: ImportComparators (a batch of a DfE published statistics
 * file, mapped to comparators by the data of migration 0018) and Reconcile
 * (csperf's figures beside the published ones). The rules are the engine's
 * (engine/published.c); the mapping and the figures are the store's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "../engine/published.h"
#include "../log.h"
#include "periods.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

/* A batch is a few thousand rows; the CLI sends 2,000. */
#define MAX_ROWS 20000
#define MAX_COLUMNS 200

typedef Csperf__V1__ImportComparatorsRequest ImportRequest;

/* The request's shape: a file name, a release, a header, rows as long as
 * the header. 0, or -1 with st filled. */
static int check_request(const ImportRequest *req, status *st)
{
	const char *r = req->release;

	if (req->file_name[0] == '\0' || !handlers_printable(req->file_name, 255))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "file_name is required: at most 255 printable characters");
	if (strlen(r) != 4 || r[0] < '1' || r[0] > '2' || r[1] < '0' || r[1] > '9' ||
	    r[2] < '0' || r[2] > '9' || r[3] < '0' || r[3] > '9')
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s: release must be a year such as "
				  "2025 (the file's latest time_period)", req->file_name);
	if (req->n_columns == 0 || req->n_columns > MAX_COLUMNS)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s: a header of 1 to %d columns is "
				  "required", req->file_name, MAX_COLUMNS);
	for (size_t i = 0; i < req->n_columns; i++)
		if (!handlers_printable(req->columns[i], 100))
			return status_set(st, STATUS_INVALID_ARGUMENT, "%s line 1: column %zu is not a "
					  "column name", req->file_name, i + 1);
	if (req->n_rows > MAX_ROWS)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s: at most %d rows in one batch",
				  req->file_name, MAX_ROWS);
	for (size_t i = 0; i < req->n_rows; i++) {
		const Csperf__V1__PublishedRow *row = req->rows[i];

		if (row->n_cells != req->n_columns)
			return status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: %zu cells, the header "
					  "has %zu columns", req->file_name, row->line, row->n_cells,
					  req->n_columns);
		for (size_t c = 0; c < row->n_cells; c++)
			if (!handlers_printable(row->cells[c], 500))
				return status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: field %s is "
						  "longer than 500 characters or holds a control "
						  "character", req->file_name, row->line,
						  req->columns[c]);
	}
	return 0;
}

static const char *cell_of(const ImportRequest *req, const Csperf__V1__PublishedRow *row,
			   const char *column)
{
	int at = published_column((const char *const *)req->columns, req->n_columns, column);

	return at >= 0 ? row->cells[at] : "";
}

/* The statistical neighbour model: SN_1 .. SN_10 (and SN_1P .. closeness). */
static int import_neighbours(app *a, rpc_call *call, const ImportRequest *req,
			     Csperf__V1__ImportComparatorsResponse *reply, status *st)
{
	store_dfe_neighbour *rows = calloc(req->n_rows * 10 + 1, sizeof(*rows));
	size_t count = 0;
	int rc = -1;

	if (rows == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < req->n_rows; i++) {
		const Csperf__V1__PublishedRow *row = req->rows[i];
		const char *la = cell_of(req, row, "old_la_code");

		if (!handlers_valid_council(la)) {
			status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: field old_la_code value "
				   "\"%s\" is not an LA code", req->file_name, row->line, la);
			goto cleanup;
		}
		for (int n = 1; n <= 10; n++) {
			char column[16], closeness[16];
			const char *neighbour;

			snprintf(column, sizeof(column), "SN_%d", n);
			snprintf(closeness, sizeof(closeness), "SN_%dP", n);
			neighbour = cell_of(req, row, column);
			if (neighbour[0] == '\0')
				continue;
			if (!handlers_valid_council(neighbour) || strcmp(neighbour, la) == 0) {
				status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: field %s value "
					   "\"%s\" is not another LA's code", req->file_name, row->line,
					   column, neighbour);
				goto cleanup;
			}
			rows[count].la_code = la;
			rows[count].neighbour = neighbour;
			rows[count].closeness = cell_of(req, row, closeness);
			rows[count].position = n;
			count++;
		}
	}
	if (store_import_neighbours(a->pool, rpc_call_remaining_ms(call), rows, count, req->release,
				    &reply->neighbours, st) != 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(rows);
	return rc;
}

typedef struct mapped_batch {
	published_rule *rules;
	size_t nrules;
	store_published_figure *figures;
	char (*periods)[24];
	unsigned int *lines;         /* each figure's line */
	size_t nfigures;
	store_dfe_area *areas;
	size_t nareas;
} mapped_batch;

/* Resolves the kind's rules against the header. */
static int batch_rules(const store_dfe_mapping *mapping, const char *kind, const ImportRequest *req,
		       mapped_batch *b, status *st)
{
	char err[256];

	b->rules = calloc(mapping->nmeasures + 1, sizeof(*b->rules));
	if (b->rules == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < mapping->nmeasures; i++) {
		const store_dfe_measure *m = &mapping->measures[i];
		published_rule *r = &b->rules[b->nrules];

		if (strcmp(m->kind, kind) != 0)
			continue;
		r->indicator_id = m->indicator_id;
		r->measure_column = m->measure_column;
		r->scale = m->scale;
		r->nfilters = m->nfilters;
		for (size_t f = 0; f < m->nfilters; f++) {
			r->filter_columns[f] = m->filter_columns[f];
			r->filter_values[f] = m->filter_values[f];
		}
		if (published_rule_resolve(r, (const char *const *)req->columns, req->n_columns, err,
					   sizeof(err)) != 0)
			return status_set(st, STATUS_INVALID_ARGUMENT, "%s: %s", req->file_name, err);
		b->nrules++;
	}
	return 0;
}

/* One row: its area and period, then a figure for each rule it matches.
 * *mapped: whether any rule did. */
static int map_row(const ImportRequest *req, const Csperf__V1__PublishedRow *row, mapped_batch *b,
		   uint64_t *no_figure, bool *mapped, status *st)
{
	const char *level = cell_of(req, row, "geographic_level");
	const char *area_type = published_area_type(level, cell_of(req, row, "country_code"));
	const char *area;
	char period[24], err[256];

	*mapped = false;
	if (area_type == NULL)
		return 0;
	if (published_period_label(cell_of(req, row, "time_period"),
				   cell_of(req, row, "time_identifier"), period, err,
				   sizeof(err)) != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: %s", req->file_name,
				  row->line, err);
	if (strcmp(area_type, "england") == 0)
		area = "England";
	else if (strcmp(area_type, "wales") == 0)
		area = "Wales";
	else if (strcmp(area_type, "region") == 0)
		area = cell_of(req, row, "region_name");
	else
		area = cell_of(req, row, "old_la_code");
	if (strcmp(area_type, "council") == 0 && !handlers_valid_council(area))
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: field old_la_code value "
				  "\"%s\" is not an LA code", req->file_name, row->line, area);
	if (area[0] == '\0')
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: field region_name is "
				  "empty in a Regional row", req->file_name, row->line);
	for (size_t i = 0; i < b->nrules; i++) {
		const published_rule *r = &b->rules[i];
		store_published_figure *f;
		const char *cell;
		bool present;
		double value;
		const char *symbol;

		if (!published_rule_matches(r, (const char *const *)row->cells, row->n_cells))
			continue;
		cell = row->cells[r->measure_index];
		if (published_cell(cell, &present, &value, &symbol) != 0)
			return status_set(st, STATUS_INVALID_ARGUMENT, "%s line %u: field %s value "
					  "\"%s\" is neither a number nor a DfE symbol (c, x, z, u, "
					  "k, low)", req->file_name, row->line, r->measure_column,
					  cell);
		f = &b->figures[b->nfigures];
		snprintf(b->periods[b->nfigures], sizeof(b->periods[0]), "%s", period);
		f->indicator_id = r->indicator_id;
		f->area_type = area_type;
		f->area = area;
		f->period = b->periods[b->nfigures];
		f->present = present;
		f->value = present ? value * r->scale : 0;
		f->symbol = symbol;
		b->lines[b->nfigures] = row->line;
		b->nfigures++;
		if (!present)
			(*no_figure)++;
		*mapped = true;
	}
	if (*mapped && strcmp(area_type, "council") == 0) {
		store_dfe_area *d = &b->areas[b->nareas++];

		d->la_code = area;
		d->new_la_code = cell_of(req, row, "new_la_code");
		d->name = cell_of(req, row, "la_name");
		d->region = cell_of(req, row, "region_name");
	}
	return 0;
}

static int figure_key_compare(const void *x, const void *y)
{
	const store_published_figure *a = *(const store_published_figure *const *)x;
	const store_published_figure *b = *(const store_published_figure *const *)y;
	int c = strcmp(a->indicator_id, b->indicator_id);

	if (c == 0)
		c = strcmp(a->area_type, b->area_type);
	if (c == 0)
		c = strcmp(a->area, b->area);
	if (c == 0)
		c = strcmp(a->period, b->period);
	return c;
}

static bool same_figure(const store_published_figure *a, const store_published_figure *b)
{
	return a->present == b->present &&
	       (a->present ? a->value == b->value : strcmp(a->symbol, b->symbol) == 0);
}

/* Two rows giving different figures for one indicator, area and period:
 * the rules do not filter on a breakdown the file has, and the figure would
 * be whichever row came last. 0, or -1 naming both lines. */
static int check_one_figure_per_key(const ImportRequest *req, const mapped_batch *b, status *st)
{
	const store_published_figure **sorted = calloc(b->nfigures + 1, sizeof(*sorted));
	int rc = 0;

	if (sorted == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < b->nfigures; i++)
		sorted[i] = &b->figures[i];
	qsort(sorted, b->nfigures, sizeof(*sorted), figure_key_compare);
	for (size_t i = 1; i < b->nfigures && rc == 0; i++)
		if (figure_key_compare(&sorted[i - 1], &sorted[i]) == 0 &&
		    !same_figure(sorted[i - 1], sorted[i]))
			rc = status_set(st, STATUS_INVALID_ARGUMENT, "%s lines %u and %u: two figures "
					"of %s for %s %s (a breakdown dfe_measure does not filter on)",
					req->file_name, b->lines[sorted[i - 1] - b->figures],
					b->lines[sorted[i] - b->figures], sorted[i]->indicator_id,
					sorted[i]->area, sorted[i]->period);
	free(sorted);
	return rc;
}

static int import_measures(app *a, rpc_call *call, const ImportRequest *req,
			   const store_dfe_mapping *mapping, const store_dfe_kind *kind,
			   Csperf__V1__ImportComparatorsResponse *reply, status *st)
{
	mapped_batch b;
	store_import_counts counts;
	char source[320];
	int rc = -1;

	memset(&b, 0, sizeof(b));
	if (batch_rules(mapping, kind->kind, req, &b, st) != 0)
		goto cleanup;
	b.figures = calloc(req->n_rows * (b.nrules > 0 ? b.nrules : 1) + 1, sizeof(*b.figures));
	b.periods = calloc(req->n_rows * (b.nrules > 0 ? b.nrules : 1) + 1, sizeof(*b.periods));
	b.lines = calloc(req->n_rows * (b.nrules > 0 ? b.nrules : 1) + 1, sizeof(*b.lines));
	b.areas = calloc(req->n_rows + 1, sizeof(*b.areas));
	if (b.figures == NULL || b.periods == NULL || b.lines == NULL || b.areas == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < req->n_rows; i++) {
		bool mapped;

		if (map_row(req, req->rows[i], &b, &reply->no_figure, &mapped, st) != 0)
			goto cleanup;
		if (!mapped)
			reply->rows_skipped++;
	}
	if (check_one_figure_per_key(req, &b, st) != 0)
		goto cleanup;
	snprintf(source, sizeof(source), "%s, release %s", kind->title, req->release);
	if (store_import_figures(a->pool, rpc_call_remaining_ms(call), b.figures, b.nfigures,
				 b.areas, b.nareas, source, req->release, &counts, st) != 0)
		goto cleanup;
	reply->figures_new = counts.added;
	reply->figures_replaced = counts.replaced;
	reply->figures_unchanged = counts.unchanged;
	rc = 0;
cleanup:
	free(b.rules);
	free(b.figures);
	free(b.periods);
	free(b.lines);
	free(b.areas);
	return rc;
}

int handlers_check_import(const ProtobufCMessage *request, status *st)
{
	const ImportRequest *req = (const ImportRequest *)request;

	if (check_request(req, st) != 0)
		return -1;
	/* What the mapping reads of every row, whatever the rules. */
	for (size_t i = 0; i < req->n_rows; i++) {
		const Csperf__V1__PublishedRow *row = req->rows[i];
		char period[24], err[256];

		published_area_type(cell_of(req, row, "geographic_level"),
				    cell_of(req, row, "country_code"));
		published_period_label(cell_of(req, row, "time_period"),
				       cell_of(req, row, "time_identifier"), period, err, sizeof(err));
		for (size_t c = 0; c < row->n_cells; c++) {
			bool present;
			double value;
			const char *symbol;

			published_cell(row->cells[c], &present, &value, &symbol);
		}
	}
	return 0;
}

void handle_import_comparators(rpc_call *call, void *ctx)
{
	app *a = ctx;
	ImportRequest *req = (ImportRequest *)rpc_call_request(call);
	Csperf__V1__ImportComparatorsResponse reply = CSPERF__V1__IMPORT_COMPARATORS_RESPONSE__INIT;
	store_dfe_mapping mapping;
	const store_dfe_kind *kind;
	status st = STATUS_INIT;
	int found;

	memset(&mapping, 0, sizeof(mapping));
	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not an ImportComparatorsRequest");
		return;
	}
	if (check_request(req, &st) != 0 ||
	    store_dfe_mapping_read(a->pool, rpc_call_remaining_ms(call), &mapping, &st) != 0)
		goto fail;
	{
		published_kind *kinds = calloc(mapping.nkinds + 1, sizeof(*kinds));

		if (kinds == NULL) {
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < mapping.nkinds; i++) {
			kinds[i].kind = mapping.kinds[i].kind;
			kinds[i].columns = (const char *const *)mapping.kinds[i].columns;
			kinds[i].ncolumns = mapping.kinds[i].ncolumns;
		}
		found = published_recognise(kinds, mapping.nkinds, (const char *const *)req->columns,
					    req->n_columns);
		free(kinds);
	}
	if (found < 0) {
		status_set(&st, STATUS_INVALID_ARGUMENT, found == -2
			   ? "%s: its columns match two kinds of DfE file equally (dfe_file_kind)"
			   : "%s: not a DfE file csperf knows: its columns match no kind of "
			   "dfe_file_kind (docs/COMPARATORS.md)", req->file_name);
		goto fail;
	}
	kind = &mapping.kinds[found];
	reply.kind = kind->kind;
	reply.title = kind->title;
	if ((kind->neighbours ? import_neighbours(a, call, req, &reply, &st)
	     : import_measures(a, call, req, &mapping, kind, &reply, &st)) != 0)
		goto fail;
	access_note_rows(call, (int64_t)(reply.figures_new + reply.figures_replaced +
					 reply.neighbours));
	access_note_params(call, "kind=%s release=%s rows=%zu", kind->kind, req->release,
			   req->n_rows);
	log_info("comparators import: %s release %s: %llu new, %llu replaced, %llu unchanged",
		 kind->kind, req->release, (unsigned long long)reply.figures_new,
		 (unsigned long long)reply.figures_replaced,
		 (unsigned long long)reply.figures_unchanged);
	rpc_call_reply(call, &reply.base);
	goto cleanup;
fail:
	rpc_call_fail_status(call, &st);
cleanup:
	store_dfe_mapping_free(&mapping);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- Reconcile ---- */

typedef struct reconcile_rows {
	Csperf__V1__ReconcileRow **rows;
	size_t count;
	bool failed;
} reconcile_rows;

static Csperf__V1__Figure *figure_new(bool present, double value)
{
	Csperf__V1__Figure *f = malloc(sizeof(*f));

	if (f != NULL) {
		csperf__v1__figure__init(f);
		f->present = present;
		f->value = present ? value : 0;
	}
	return f;
}

static void reconcile_row_free(Csperf__V1__ReconcileRow *r)
{
	if (r == NULL)
		return;
	free(r->indicator_id);
	free(r->title);
	free(r->unit);
	free(r->symbol);
	free(r->source);
	free(r->release);
	free(r->csperf);
	free(r->published);
	free(r->difference);
	free(r);
}

static int keep_reconcile(const store_reconcile_row *s, void *ctx)
{
	reconcile_rows *l = ctx;
	Csperf__V1__ReconcileRow **grown = realloc(l->rows, (l->count + 1) * sizeof(*grown));
	Csperf__V1__ReconcileRow *r = calloc(1, sizeof(*r));

	if (grown != NULL)
		l->rows = grown;
	if (grown == NULL || r == NULL) {
		free(r);
		l->failed = true;
		return 1;
	}
	csperf__v1__reconcile_row__init(r);
	r->indicator_id = strdup(s->indicator_id);
	r->title = strdup(s->title);
	r->unit = strdup(s->unit);
	r->symbol = strdup(s->symbol);
	r->source = strdup(s->source);
	r->release = strdup(s->release);
	r->csperf = figure_new(s->csperf_present, s->csperf);
	r->published = figure_new(s->published_present, s->published);
	r->difference = figure_new(s->csperf_present && s->published_present,
				   s->csperf - s->published);
	l->rows[l->count++] = r;
	if (r->indicator_id == NULL || r->title == NULL || r->unit == NULL || r->symbol == NULL ||
	    r->source == NULL || r->release == NULL || r->csperf == NULL || r->published == NULL ||
	    r->difference == NULL) {
		l->failed = true;
		return 1;
	}
	return 0;
}

void handle_reconcile(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ReconcileRequest *req = (Csperf__V1__ReconcileRequest *)rpc_call_request(call);
	Csperf__V1__ReconcileResponse reply = CSPERF__V1__RECONCILE_RESPONSE__INIT;
	reconcile_rows rows = { NULL, 0, false };
	report_period year;
	status st = STATUS_INIT;
	char err[160];

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a ReconcileRequest");
		return;
	}
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
		goto cleanup;
	}
	if (period_parse(req->year, &year, err, sizeof(err)) != 0 || year.type != PERIOD_YEAR) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "year must be a financial year such as 2023-24");
		goto cleanup;
	}
	if (store_reconcile(a->pool, rpc_call_remaining_ms(call), req->council, year.label,
			    keep_reconcile, &rows, &st) != 0) {
		if (rows.failed)
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	reply.council = req->council;
	reply.year = year.label;
	reply.n_rows = rows.count;
	reply.rows = rows.rows;
	access_note_rows(call, (int64_t)rows.count);
	access_note_params(call, "year=%s", year.label);
	rpc_call_reply(call, &reply.base);
cleanup:
	for (size_t i = 0; i < rows.count; i++)
		reconcile_row_free(rows.rows[i]);
	free(rows.rows);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}
