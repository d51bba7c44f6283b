/*
 * published.c: the DfE's published statistics: importing a file's rows in
 * batches, and reconciling a council's figures with the published ones.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "client_internal.h"
#include "csperf/scorecards.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

int csperf_comparators_import(csperf_client *client, const csperf_published_batch *batch,
			      csperf_import_summary *summary)
{
	Csperf__V1__ImportComparatorsRequest req = CSPERF__V1__IMPORT_COMPARATORS_REQUEST__INIT;
	Csperf__V1__ImportComparatorsResponse *reply = NULL;
	Csperf__V1__PublishedRow *rows, **ptrs;
	int rc;

	if (client == NULL || batch == NULL || summary == NULL ||
	    (batch->nrows > 0 && (batch->cells == NULL || batch->lines == NULL)) ||
	    (batch->ncolumns > 0 && batch->columns == NULL))
		return client_error(CSPERF_EINVAL, "ImportComparators: client, batch or summary is "
				    "NULL");
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
	rc = client_unary(client, "/csperf.v1.Performance/ImportComparators", "ImportComparators",
			  &req.base, &csperf__v1__import_comparators_response__descriptor,
			  (ProtobufCMessage **)&reply);
	free(rows);
	free(ptrs);
	if (rc != CSPERF_OK)
		return rc;
	memset(summary, 0, sizeof(*summary));
	snprintf(summary->kind, sizeof(summary->kind), "%s", reply->kind);
	snprintf(summary->title, sizeof(summary->title), "%s", reply->title);
	summary->figures_new = reply->figures_new;
	summary->figures_replaced = reply->figures_replaced;
	summary->figures_unchanged = reply->figures_unchanged;
	summary->no_figure = reply->no_figure;
	summary->rows_skipped = reply->rows_skipped;
	summary->neighbours = reply->neighbours;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return CSPERF_OK;
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
