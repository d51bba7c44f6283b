/*
 * rpc_stream.c: server streams parked off the workers (see rpc.h).
 *
 * A parked call keeps a third part besides its handler and its close batch:
 * the stream, open until its status batch completes. Sends and the status
 * are batches started from whichever thread owns the stream; their
 * completions come back on a poller (rpc_stream_op_done), so no thread ever
 * waits on a slow client.
 */
#include <grpc/byte_buffer.h>
#include <grpc/slice.h>
#include <string.h>

#include "../log.h"
#include "rpc_internal.h"

int rpc_call_park(rpc_call *call, rpc_stream_sent_fn on_sent, rpc_cancel_fn on_cancel, void *arg)
{
	bool cancelled_now;

	if (call->finished || call->method == NULL || call->method->kind != RPC_SERVER_STREAM)
		return -1;
	call->finished = true;
	call->final_code = STATUS_OK;
	call->on_sent = on_sent;
	call->stream_arg = arg;
	pthread_mutex_lock(&call->mu);
	call->cancel_fn = NULL;
	pthread_mutex_unlock(&call->mu);
	if (call->srv->before_finish != NULL)
		(void)call->srv->before_finish(call, call->srv->app);
	pthread_mutex_lock(&call->mu);
	call->parked = true;
	call->stream_open = true;
	cancelled_now = call->close_seen && call->cancelled;
	call->cancel_fn = cancelled_now ? NULL : on_cancel;
	call->cancel_arg = arg;
	/* Held across on_cancel, as call_closed holds it: rpc_stream_finish
	 * waits for a notice running elsewhere. */
	if (cancelled_now)
		on_cancel(arg);
	pthread_mutex_unlock(&call->mu);
	return 0;
}

int rpc_stream_send(rpc_call *call, const uint8_t *packed, size_t size)
{
	grpc_op ops[2];
	size_t n = 0;

	/* Every message passes the send filter, as a worker's sends do. */
	call->stream_buffer = rpc_outgoing(call, NULL, packed, size);
	if (call->stream_buffer == NULL) {
		log_error("rpc: %s: a message of the stream did not pass the send filter",
			  call->method->path);
		return -1;
	}
	memset(ops, 0, sizeof(ops));
	if (!call->initial_metadata_sent) {
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
		call->initial_metadata_sent = true;
	}
	ops[n].op = GRPC_OP_SEND_MESSAGE;
	ops[n++].data.send_message.send_message = call->stream_buffer;
	if (grpc_call_start_batch(call->call, ops, n, &call->send_tag, NULL) != GRPC_CALL_OK) {
		grpc_byte_buffer_destroy(call->stream_buffer);
		call->stream_buffer = NULL;
		return -1;
	}
	return 0;
}

void rpc_stream_finish(rpc_call *call, status_code code, const char *message)
{
	grpc_op ops[2];
	size_t n = 0;

	pthread_mutex_lock(&call->mu);
	call->cancel_fn = NULL;
	pthread_mutex_unlock(&call->mu);
	call->final_code = code;
	grpc_slice_unref(call->status_details);
	call->status_details = grpc_slice_from_copied_string(message != NULL ? message : "");
	memset(ops, 0, sizeof(ops));
	if (!call->initial_metadata_sent) {
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
		call->initial_metadata_sent = true;
	}
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.status = (grpc_status_code)code;
	ops[n++].data.send_status_from_server.status_details = &call->status_details;
	if (grpc_call_start_batch(call->call, ops, n, &call->status_tag, NULL) != GRPC_CALL_OK) {
		log_debug("rpc: %s: cannot send the stream's status", call->method->path);
		rpc_stream_op_done(call, TAG_STREAM_STATUS, false);
	}
}

void rpc_stream_op_done(rpc_call *call, tag_kind kind, bool ok)
{
	if (kind == TAG_STREAM_SEND) {
		grpc_byte_buffer_destroy(call->stream_buffer);
		call->stream_buffer = NULL;
		call->on_sent(call->stream_arg, ok);
		return;
	}
	rpc_call_release_stream(call);
}
