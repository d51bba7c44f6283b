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
#include "validate/validate.h"

#include "csperf/v1/validation.pb-c.h"

#define BATCH 500

/* The record types some rule reads. */
static const csperf_record_type read_types[] = {
	CSPERF_RECORD_CHILD, CSPERF_RECORD_REFERRAL, CSPERF_RECORD_ASSESSMENT,
	CSPERF_RECORD_CIN_PLAN, CSPERF_RECORD_S47, CSPERF_RECORD_CP_PLAN,
	CSPERF_RECORD_CP_REVIEW, CSPERF_RECORD_LA_EPISODE, CSPERF_RECORD_LA_REVIEW,
	CSPERF_RECORD_HEALTH, CSPERF_RECORD_MISSING, CSPERF_RECORD_CARE_LEAVER,
	CSPERF_RECORD_ADOPTION, CSPERF_RECORD_PLACED_FOR_ADOPTION,
	CSPERF_RECORD_PREVIOUS_PERMANENCE, CSPERF_RECORD_UASC,
};

typedef struct failure_stream {
	rpc_call *call;
	Csperf__V1__ValidationFailure items[BATCH];
	Csperf__V1__ValidationFailure *ptrs[BATCH];
	char load_names[BATCH][24];
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

typedef struct reading {
	validate_set *set;
	bool failed;
} reading;

static int on_record(csperf_record_type type, int64_t load_id, int64_t record_no,
		     const char *const *values, size_t nvalues, void *ctx)
{
	reading *r = ctx;
	char load[24];

	/* The set keeps a "file" per record: here the load's id. */
	snprintf(load, sizeof(load), "%lld", (long long)load_id);
	if (validate_set_add(r->set, type, values, nvalues, load, (unsigned long)record_no) != 0) {
		r->failed = true;
		return 1;
	}
	return 0;
}

void handle_validate_records(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ValidateRecordsRequest *req =
		(Csperf__V1__ValidateRecordsRequest *)rpc_call_request(call);
	validate_return source = 0;
	reading r = { NULL, false };
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
	r.set = validate_set_new();
	fs = calloc(1, sizeof(*fs));
	if (r.set == NULL || fs == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	fs->call = call;
	for (size_t i = 0; i < sizeof(read_types) / sizeof(read_types[0]); i++)
		if (store_read_records(a->pool, rpc_call_remaining_ms(call), req->council,
				       read_types[i], on_record, &r, &st) != 0) {
			if (r.failed)
				rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			else
				rpc_call_fail_status(call, &st);
			goto cleanup;
		}
	int rc = validate_run(r.set, source, req->year, req->rule[0] != '\0' ? req->rule : NULL,
			      on_failure, fs);
	if (rc == 0)
		rc = flush(fs, true, validate_set_size(r.set));
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
	validate_set_free(r.set);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}
