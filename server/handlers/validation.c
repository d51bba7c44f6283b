/*
 * validation.c: ValidateRecords: the DfE's validation rules (common/validate)
 * applied to a council's current records across all its returns: the rules
 * that look across records can see an episode of one year start before one
 * of the year before ended, which no single file shows.
 *
 * The council's records of the types the rules read are streamed from the
 * store into a validation set (one child's records together, whatever load
 * brought them), the rules run for the collection year asked, and the
 * failures stream back in batches; the last message says how many records
 * were checked. Child ids: admins, loaders and analysts only (policy.c), and
 * every call is audited with the number of failures sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "../quality.h"
#include "validate/validate.h"

#include "csperf/v1/scorecards.pb-c.h"
#include "csperf/v1/validation.pb-c.h"

#define BATCH 500

typedef struct failure_stream {
	rpc_call *call;
	Csperf__V1__ValidationFailure items[BATCH];
	Csperf__V1__ValidationFailure *ptrs[BATCH];
	size_t count;
	uint64_t sent;
	bool client_gone;
} failure_stream;

static int flush(failure_stream *fs, bool done, uint64_t checked)
{
	Csperf__V1__ValidationFailures batch = CSPERF__V1__VALIDATION_FAILURES__INIT;

	if (fs->count == 0 && !done)
		return 0;
	batch.n_failures = fs->count;
	batch.failures = fs->ptrs;
	batch.done = done;
	fs->sent += fs->count;
	if (done) {
		batch.records_checked = checked;
		batch.failures_total = fs->sent;
	}
	fs->count = 0;
	if (rpc_call_send(fs->call, &batch.base) != 0) {
		fs->client_gone = true;
		return 1;
	}
	return 0;
}

static int on_failure(const validate_failure *f, void *ctx)
{
	failure_stream *fs = ctx;
	Csperf__V1__ValidationFailure *m = &fs->items[fs->count];

	csperf__v1__validation_failure__init(m);
	/* The strings live in the set and the rule table until the run ends;
	 * a batch is sent before the run goes on. */
	m->child_id = (char *)f->child_id;
	m->rule = (char *)f->rule->code;
	m->record_type = (char *)csperf_record_type_name(f->record->type);
	m->load_id = strtoll(f->file, NULL, 10);
	m->record_no = (int64_t)f->record->line;
	m->fields = (char *)f->rule->dfe_fields;
	m->message = (char *)f->rule->message;
	fs->ptrs[fs->count++] = m;
	if (fs->count == BATCH)
		return flush(fs, false, 0);
	return 0;
}

void handle_validate_records(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ValidateRecordsRequest *req =
		(Csperf__V1__ValidateRecordsRequest *)rpc_call_request(call);
	validate_return source = 0;
	validate_set *set = NULL;
	failure_stream *fs = NULL;
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a ValidateRecordsRequest");
		return;
	}
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "council must be an LA code");
		goto cleanup;
	}
	if (req->year < 1990 || req->year > 2100) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "year must be a collection year such as 2019 (of the 31 March "
			      "that ends it)");
		goto cleanup;
	}
	if (strcmp(req->source, "ssda903") == 0)
		source = VALIDATE_SSDA903;
	else if (strcmp(req->source, "cin") == 0)
		source = VALIDATE_CIN;
	else if (req->source[0] != '\0') {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "source must be ssda903, cin or empty");
		goto cleanup;
	}
	if (req->rule[0] != '\0' && validate_rule_by_code(req->rule) == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "rule must be the code of a rule csperf implements "
			      "(csperf validate --list-rules)");
		goto cleanup;
	}
	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	fs->call = call;
	if (quality_read_set(a->pool, rpc_call_remaining_ms(call), req->council, &set, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	int rc = validate_run_stored(set, source, req->year, req->rule[0] != '\0' ? req->rule : NULL,
			      on_failure, fs);
	if (rc == 0)
		rc = flush(fs, true, validate_set_size(set));
	if (rc != 0) {
		if (fs->client_gone)
			rpc_call_fail(call, STATUS_CANCELLED, "the client went");
		else
			rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	access_note_rows(call, (int64_t)fs->sent);
	access_note_params(call, "year=%d source=%s rule=%s", req->year,
			   source == 0 ? "all" : validate_return_name(source),
			   req->rule[0] != '\0' ? req->rule : "all");
	rpc_call_reply(call, NULL);
cleanup:
	free(fs);
	validate_set_free(set);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- scorecard rows (handlers.h) ---- */

struct handlers_quality {
	store_quality_row *rows;   /* strings owned: indicator_id and rules */
	size_t n, cap;
};

void handlers_quality_free(struct handlers_quality *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->n; i++) {
		free((char *)q->rows[i].indicator_id);
		free((char *)q->rows[i].rules);
	}
	free(q->rows);
	free(q);
}

static int keep_quality(const store_quality_row *row, void *ctx)
{
	struct handlers_quality *q = ctx;

	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 32;
		store_quality_row *rows = realloc(q->rows, cap * sizeof(*rows));
		if (rows == NULL)
			return 1;
		q->rows = rows;
		q->cap = cap;
	}
	store_quality_row *r = &q->rows[q->n];
	*r = *row;
	r->indicator_id = strdup(row->indicator_id);
	r->rules = strdup(row->rules);
	if (r->indicator_id == NULL || r->rules == NULL) {
		free((char *)r->indicator_id);
		free((char *)r->rules);
		return 1;
	}
	q->n++;
	return 0;
}

int handlers_quality_mark(store_pool *pool, int64_t timeout_ms, const char *council,
			  struct Csperf__V1__ScorecardRow **rows, size_t nrows,
			  struct handlers_quality **out, status *st)
{
	struct handlers_quality *q = calloc(1, sizeof(*q));

	*out = q;
	if (q == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	if (store_quality_list(pool, timeout_ms, council, keep_quality, q, st) != 0)
		return -1;
	for (size_t i = 0; i < nrows; i++)
		for (size_t k = 0; k < q->n; k++)
			if (strcmp(rows[i]->indicator_id, q->rows[k].indicator_id) == 0) {
				rows[i]->failing_records = q->rows[k].failing_records;
				rows[i]->failing_rules = (char *)q->rows[k].rules;
			}
	return 0;
}
