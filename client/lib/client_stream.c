/*
 * client_stream.c: a client-streaming call (LoadRecords, ImportComparators):
 * messages go out one at a time, each after the previous one left, so that
 * one packed message is held at a time; then the close, the reply and the
 * status.
 */
#include <grpc/byte_buffer.h>
#include <grpc/support/time.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

int client_cstream_start(client_cstream *s, csperf_client *client, const char *method,
			 const char *what, int64_t timeout_ms)
{
	gpr_timespec deadline;
	grpc_op op;

	memset(s, 0, sizeof(*s));
	s->client = client;
	s->what = what;
	s->cq = grpc_completion_queue_create_for_next(NULL);
	deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
				gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
	s->call = grpc_channel_create_call(client->channel, NULL, GRPC_PROPAGATE_DEFAULTS, s->cq,
					   grpc_slice_from_static_string(method), NULL, deadline,
					   NULL);
	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_SEND_INITIAL_METADATA;
	op.data.send_initial_metadata.count = client_auth_metadata(client, &s->auth);
	op.data.send_initial_metadata.metadata = &s->auth;
	if (s->call == NULL || grpc_call_start_batch(s->call, &op, 1, s, NULL) != GRPC_CALL_OK)
		return client_error(CSPERF_ERROR, "%s: the call could not start", what);
	s->send_pending = true;
	return CSPERF_OK;
}

void client_cstream_wait(client_cstream *s)
{
	grpc_event ev;

	if (!s->send_pending)
		return;
	ev = grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	if (ev.type != GRPC_OP_COMPLETE || !ev.success)
		s->broken = true;
	s->send_pending = false;
	if (s->pending != NULL) {
		grpc_byte_buffer_destroy(s->pending);
		s->pending = NULL;
	}
}

int client_cstream_send(client_cstream *s, const ProtobufCMessage *msg)
{
	grpc_op op;

	client_cstream_wait(s);
	if (s->broken)
		return client_error(CSPERF_ECANCELLED, "%s: csperfd ended the call early; finish "
				    "it for the reason", s->what);
	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_SEND_MESSAGE;
	s->pending = client_pack(msg);
	op.data.send_message.send_message = s->pending;
	if (s->pending == NULL || grpc_call_start_batch(s->call, &op, 1, s, NULL) != GRPC_CALL_OK) {
		if (s->pending != NULL)
			grpc_byte_buffer_destroy(s->pending);
		s->pending = NULL;
		s->broken = true;
		return client_error(CSPERF_ERROR, "%s: a message could not be sent", s->what);
	}
	s->send_pending = true;
	return CSPERF_OK;
}

int client_cstream_finish(client_cstream *s, const ProtobufCMessageDescriptor *type,
			  ProtobufCMessage **out)
{
	grpc_op ops[4];
	grpc_metadata_array initial, trailing;
	grpc_byte_buffer *reply = NULL;
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice details = grpc_empty_slice();
	size_t n = 0;
	int rc;

	*out = NULL;
	client_cstream_wait(s);
	s->finished = true;
	grpc_metadata_array_init(&initial);
	grpc_metadata_array_init(&trailing);
	memset(ops, 0, sizeof(ops));
	if (!s->broken)
		ops[n++].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[n].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[n++].data.recv_initial_metadata.recv_initial_metadata = &initial;
	ops[n].op = GRPC_OP_RECV_MESSAGE;
	ops[n++].data.recv_message.recv_message = &reply;
	ops[n].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[n].data.recv_status_on_client.trailing_metadata = &trailing;
	ops[n].data.recv_status_on_client.status = &status;
	ops[n++].data.recv_status_on_client.status_details = &details;
	if (grpc_call_start_batch(s->call, ops, n, s, NULL) != GRPC_CALL_OK) {
		rc = client_error(CSPERF_ERROR, "%s: the call could not finish", s->what);
		goto cleanup;
	}
	grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	if (status != GRPC_STATUS_OK) {
		rc = client_status_error(s->client, s->what, status, details);
		goto cleanup;
	}
	if (reply == NULL || (*out = client_unpack(reply, type)) == NULL) {
		rc = client_error(CSPERF_EPROTOCOL, "%s: the reply is not a %s", s->what,
				  type->short_name);
		goto cleanup;
	}
	rc = CSPERF_OK;
cleanup:
	if (reply != NULL)
		grpc_byte_buffer_destroy(reply);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&initial);
	grpc_metadata_array_destroy(&trailing);
	return rc;
}

void client_cstream_destroy(client_cstream *s)
{
	if (s->call != NULL) {
		/* Not finished: cancelled, so csperfd stores nothing. */
		if (!s->finished)
			grpc_call_cancel(s->call, NULL);
		client_cstream_wait(s);
		grpc_call_unref(s->call);
		s->call = NULL;
	}
	if (s->cq != NULL)
		client_cq_destroy(s->cq);
	s->cq = NULL;
}
