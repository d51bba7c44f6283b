/*
 * validation.c: the SDK side of ValidateRecords: the DfE's rules over a
 * council's stored records, a stream of batches handed to the caller
 * failure by failure.
 */
#include <string.h>

#include "client_internal.h"
#include "csperf/validation.h"

#include "csperf/v1/validation.pb-c.h"

typedef struct validation_ctx {
	csperf_validation_cb cb;
	void *ctx;
	uint64_t received, checked;
} validation_ctx;

static int on_failures(ProtobufCMessage *message, void *ctx)
{
	const Csperf__V1__ValidationFailures *batch = (const Csperf__V1__ValidationFailures *)message;
	validation_ctx *vc = ctx;

	for (size_t i = 0; i < batch->n_failures; i++) {
		const Csperf__V1__ValidationFailure *m = batch->failures[i];
		csperf_validation_failure f = { m->child_id, m->rule, m->record_type, m->load_id,
						m->record_no, m->fields, m->message };

		vc->received++;
		if (vc->cb(&f, vc->ctx) != 0)
			return 1;
	}
	if (batch->done)
		vc->checked = batch->records_checked;
	return 0;
}

int csperf_validate_records(csperf_client *client, const csperf_validation_query *query,
			  csperf_validation_cb cb, void *ctx, uint64_t *records_checked,
			  uint64_t *failures)
{
	Csperf__V1__ValidateRecordsRequest req = CSPERF__V1__VALIDATE_RECORDS_REQUEST__INIT;
	validation_ctx vc = { cb, ctx, 0, 0 };
	int rc;

	if (records_checked != NULL)
		*records_checked = 0;
	if (failures != NULL)
		*failures = 0;
	if (client == NULL || query == NULL || cb == NULL)
		return client_error(CSPERF_EINVAL, "ValidateRecords: client, query or cb is NULL");
	if (query->version != CSPERF_VALIDATION_QUERY_VERSION)
		return client_error(CSPERF_EVERSION, "ValidateRecords: query version %u is not %d",
				    query->version, CSPERF_VALIDATION_QUERY_VERSION);
	req.council = (char *)(query->council != NULL ? query->council : "");
	req.year = query->year;
	req.source = (char *)(query->source != NULL ? query->source : "");
	req.rule = (char *)(query->rule != NULL ? query->rule : "");
	rc = client_server_stream(client, "/csperf.v1.Performance/ValidateRecords",
				  "ValidateRecords", &req.base,
				  &csperf__v1__validation_failures__descriptor, on_failures, &vc);
	if (records_checked != NULL)
		*records_checked = vc.checked;
	if (failures != NULL)
		*failures = vc.received;
	return rc;
}
