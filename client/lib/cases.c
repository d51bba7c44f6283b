/*
 * cases.c: the SDK side of GetIndicatorCases, a server stream: the request
 * goes out in one batch, then batches of cases are read one message at a
 * time and handed to the caller, so a long list never sits in memory.
 */
#include <grpc/byte_buffer.h>
#include <grpc/support/time.h>
#include <stdbool.h>
#include <string.h>

#include "client_internal.h"
#include "csperf/scorecards.h"

#include "csperf/v1/indicators.pb-c.h"

/* Runs one batch on the call and waits for it. */
static bool run_batch(grpc_call *call, grpc_completion_queue *cq, const grpc_op *ops, size_t n)
{
	grpc_event ev;

	if (grpc_call_start_batch(call, ops, n, (void *)ops, NULL) != GRPC_CALL_OK)
		return false;
	ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	return ev.type == GRPC_OP_COMPLETE && ev.success;
}

int csperf_cases_list(csperf_client *client, const csperf_cases_query *query,
		      csperf_case_cb cb, void *ctx, uint64_t *count)
{
	Csperf__V1__GetIndicatorCasesRequest req = CSPERF__V1__GET_INDICATOR_CASES_REQUEST__INIT;
	grpc_completion_queue *cq;
	grpc_call *call;
	grpc_metadata auth;
	grpc_metadata_array initial, trailing;
	grpc_byte_buffer *request, *message = NULL;
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice details = grpc_empty_slice();
	grpc_op ops[4];
	gpr_timespec deadline;
	uint64_t received = 0;
	bool stopped = false;
	int rc;

	if (count != NULL)
		*count = 0;
	if (client == NULL || query == NULL || cb == NULL)
		return client_error(CSPERF_EINVAL, "GetIndicatorCases: client, query or cb is NULL");
	if (query->version != CSPERF_CASES_QUERY_VERSION)
		return client_error(CSPERF_EVERSION, "GetIndicatorCases: query version %u is not %d",
				    query->version, CSPERF_CASES_QUERY_VERSION);
	req.council = (char *)(query->council != NULL ? query->council : "");
	req.indicator_id = (char *)(query->indicator_id != NULL ? query->indicator_id : "");
	req.period = (char *)(query->period != NULL ? query->period : "");
	req.part = (char *)(query->part != NULL ? query->part : "");
	req.org_unit = (char *)(query->org_unit != NULL ? query->org_unit : "");

	cq = grpc_completion_queue_create_for_next(NULL);
	deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
				gpr_time_from_millis(client->timeout_ms, GPR_TIMESPAN));
	call = grpc_channel_create_call(client->channel, NULL, GRPC_PROPAGATE_DEFAULTS, cq,
					grpc_slice_from_static_string(
						"/csperf.v1.Performance/GetIndicatorCases"),
					NULL, deadline, NULL);
	request = client_pack(&req.base);
	grpc_metadata_array_init(&initial);
	grpc_metadata_array_init(&trailing);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[0].data.send_initial_metadata.count = client_auth_metadata(client, &auth);
	ops[0].data.send_initial_metadata.metadata = &auth;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = request;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &initial;
	run_batch(call, cq, ops, 4);

	/* Batches until the stream ends (or fails: the status says why). */
	for (;;) {
		Csperf__V1__IndicatorCases *batch;
		grpc_op op;

		memset(&op, 0, sizeof(op));
		op.op = GRPC_OP_RECV_MESSAGE;
		op.data.recv_message.recv_message = &message;
		if (!run_batch(call, cq, &op, 1) || message == NULL)
			break;
		batch = (Csperf__V1__IndicatorCases *)client_unpack(
			message, &csperf__v1__indicator_cases__descriptor);
		grpc_byte_buffer_destroy(message);
		message = NULL;
		if (batch == NULL) {
			stopped = true;
			grpc_call_cancel(call, NULL);
			break;
		}
		for (size_t i = 0; i < batch->n_cases && !stopped; i++) {
			const Csperf__V1__IndicatorCase *m = batch->cases[i];
			csperf_case c = { m->child_id, m->case_date, m->in_numerator, m->detail,
					  m->reason, m->team };

			received++;
			if (cb(&c, ctx) != 0)
				stopped = true;
		}
		protobuf_c_message_free_unpacked(&batch->base, NULL);
		if (stopped) {
			grpc_call_cancel(call, NULL);
			break;
		}
	}
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[0].data.recv_status_on_client.trailing_metadata = &trailing;
	ops[0].data.recv_status_on_client.status = &status;
	ops[0].data.recv_status_on_client.status_details = &details;
	run_batch(call, cq, ops, 1);
	if (stopped && status != GRPC_STATUS_OK)
		rc = client_error(CSPERF_ECANCELLED, "GetIndicatorCases: stopped after %llu cases",
				  (unsigned long long)received);
	else if (status != GRPC_STATUS_OK)
		rc = client_status_error(client, "GetIndicatorCases", status, details);
	else
		rc = CSPERF_OK;
	if (count != NULL)
		*count = received;
	grpc_call_unref(call);
	client_cq_destroy(cq);
	grpc_byte_buffer_destroy(request);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&initial);
	grpc_metadata_array_destroy(&trailing);
	return rc;
}
