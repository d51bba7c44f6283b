/*
 * published.c: the DfE's published statistics: importing files' rows in
 * batches of one client stream (stored all or nothing), and reconciling a council's figures with the published ones.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "client_internal.h"
#include "csperf/scorecards.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

#define METHOD "/csperf.v1.Performance/ImportComparators"
#define DEFAULT_TIMEOUT_MS (30 * 60 * 1000)

struct csperf_import {
	client_cstream stream;
	uint64_t rows;
};

int csperf_comparators_import_begin(csperf_client *client, int64_t timeout_ms,
				    csperf_import **out)
{
	csperf_import *imp;
	int rc;

	if (out == NULL || client == NULL)
		return client_error(CSPERF_EINVAL, "ImportComparators: client or out is NULL");
	*out = NULL;
	imp = calloc(1, sizeof(*imp));
	if (imp == NULL)
		return client_error(CSPERF_ENOMEM, "ImportComparators: out of memory");
	rc = client_cstream_start(&imp->stream, client, METHOD, "ImportComparators",
				  timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS);
	if (rc != CSPERF_OK) {
		csperf_comparators_import_free(imp);
		return rc;
	}
	*out = imp;
	return CSPERF_OK;
}

int csperf_comparators_import_add(csperf_import *imp, const csperf_published_batch *batch)
{
	Csperf__V1__ImportComparatorsRequest req = CSPERF__V1__IMPORT_COMPARATORS_REQUEST__INIT;
	Csperf__V1__PublishedRow *rows, **ptrs;
	int rc;

	if (imp == NULL || batch == NULL ||
	    (batch->nrows > 0 && (batch->cells == NULL || batch->lines == NULL)) ||
	    (batch->ncolumns > 0 && batch->columns == NULL))
		return client_error(CSPERF_EINVAL, "ImportComparators: import or batch is NULL");
	if (imp->stream.finished)
		return client_error(CSPERF_EINVAL, "ImportComparators: the import is finished");
	rows = calloc(batch->nrows + 1, sizeof(*rows));
	ptrs = calloc(batch->nrows + 1, sizeof(*ptrs));
	if (rows == NULL || ptrs == NULL) {
		free(rows);
		free(ptrs);
		return client_error(CSPERF_ENOMEM, "ImportComparators: out of memory");
	}
	for (size_t i = 0; i < batch->nrows; i++) {
		csperf__v1__published_row__init(&rows[i]);
		rows[i].line = batch->lines[i];
		rows[i].n_cells = batch->ncolumns;
		rows[i].cells = (char **)&batch->cells[i * batch->ncolumns];
		ptrs[i] = &rows[i];
	}
	req.file_name = (char *)(batch->file_name != NULL ? batch->file_name : "");
	req.release = (char *)(batch->release != NULL ? batch->release : "");
	req.n_columns = batch->ncolumns;
	req.columns = (char **)batch->columns;
	req.n_rows = batch->nrows;
	req.rows = ptrs;
	/* client_pack copies the message: the caller's cells may go after. */
	rc = client_cstream_send(&imp->stream, &req.base);
	free(rows);
	free(ptrs);
	if (rc == CSPERF_OK)
		imp->rows += batch->nrows;
	return rc;
}

static void summary_of(const Csperf__V1__ImportComparatorsResponse *r, csperf_import_summary *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->file_name, sizeof(s->file_name), "%s", r->file_name);
	snprintf(s->kind, sizeof(s->kind), "%s", r->kind);
	snprintf(s->title, sizeof(s->title), "%s", r->title);
	s->figures_new = r->figures_new;
	s->figures_replaced = r->figures_replaced;
	s->figures_unchanged = r->figures_unchanged;
	s->no_figure = r->no_figure;
	s->rows_skipped = r->rows_skipped;
	s->neighbours = r->neighbours;
}

int csperf_comparators_import_finish(csperf_import *imp, csperf_import_summary *files,
				     size_t max_files, size_t *nfiles)
{
	Csperf__V1__ImportComparatorsResponse *msg = NULL;
	int rc;

	if (imp == NULL || nfiles == NULL || (max_files > 0 && files == NULL))
		return client_error(CSPERF_EINVAL, "ImportComparators: import or nfiles is NULL");
	*nfiles = 0;
	if (imp->stream.finished)
		return client_error(CSPERF_EINVAL, "ImportComparators: the import is finished");
	if (!imp->stream.broken) {
		/* Last, the count: csperfd stores nothing from a stream that ends
		 * without it or whose count differs from what arrived. */
		Csperf__V1__ImportComparatorsRequest end = CSPERF__V1__IMPORT_COMPARATORS_REQUEST__INIT;

		end.end = true;
		end.end_rows = imp->rows;
		client_cstream_send(&imp->stream, &end.base);
	}
	rc = client_cstream_finish(&imp->stream, &csperf__v1__import_comparators_response__descriptor,
				   (ProtobufCMessage **)&msg);
	if (rc != CSPERF_OK)
		return rc;
	for (size_t i = 0; i < msg->n_files && i < max_files; i++)
		summary_of(msg->files[i], &files[i]);
	*nfiles = msg->n_files < max_files ? msg->n_files : max_files;
	protobuf_c_message_free_unpacked(&msg->base, NULL);
	return CSPERF_OK;
}

void csperf_comparators_import_free(csperf_import *imp)
{
	if (imp == NULL)
		return;
	client_cstream_destroy(&imp->stream);
	free(imp);
}

static csperf_figure figure_of(const Csperf__V1__Figure *f)
{
	csperf_figure out = { 0, 0 };

	if (f != NULL && f->present) {
		out.present = 1;
		out.value = f->value;
	}
	return out;
}

int csperf_reconcile_get(csperf_client *client, const char *council, const char *year,
			 csperf_reconcile **out)
{
	Csperf__V1__ReconcileRequest req = CSPERF__V1__RECONCILE_REQUEST__INIT;
	Csperf__V1__ReconcileResponse *reply = NULL;
	csperf_reconcile *r;
	csperf_reconcile_row *rows;
	int rc;

	if (client == NULL || council == NULL || year == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "Reconcile: client, council, year or out is NULL");
	req.council = (char *)council;
	req.year = (char *)year;
	rc = client_unary(client, "/csperf.v1.Performance/Reconcile", "Reconcile", &req.base,
			  &csperf__v1__reconcile_response__descriptor, (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	r = calloc(1, sizeof(*r));
	rows = calloc(reply->n_rows + 1, sizeof(*rows));
	if (r == NULL || rows == NULL) {
		free(r);
		free(rows);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "Reconcile: out of memory");
	}
	for (size_t i = 0; i < reply->n_rows; i++) {
		const Csperf__V1__ReconcileRow *m = reply->rows[i];

		rows[i].indicator_id = m->indicator_id;
		rows[i].title = m->title;
		rows[i].unit = m->unit;
		rows[i].csperf = figure_of(m->csperf);
		rows[i].published = figure_of(m->published);
		rows[i].symbol = m->symbol;
		rows[i].difference = figure_of(m->difference);
		rows[i].source = m->source;
		rows[i].release = m->release;
	}
	r->council = reply->council;
	r->year = reply->year;
	r->count = reply->n_rows;
	r->rows = rows;
	r->internal = reply;
	*out = r;
	return CSPERF_OK;
}

void csperf_reconcile_free(csperf_reconcile *reconcile)
{
	if (reconcile == NULL)
		return;
	if (reconcile->internal != NULL)
		protobuf_c_message_free_unpacked((ProtobufCMessage *)reconcile->internal, NULL);
	free((void *)reconcile->rows);
	free(reconcile);
}
