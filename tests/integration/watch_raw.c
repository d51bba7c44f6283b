/*
 * watch_raw.c: a raw WatchScorecard client for test_watch.c (see
 * watch_raw.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>

#include "watch_raw.h"


static void raw_pluck(raw_watch *r, void *tag, const char *what)
{
	grpc_event ev = grpc_completion_queue_pluck(r->cq, tag,
		gpr_time_add(gpr_now(GPR_CLOCK_REALTIME), gpr_time_from_millis(RAW_WAIT_MS, GPR_TIMESPAN)),
		NULL);

	if (ev.type != GRPC_OP_COMPLETE)
		fail_msg("the raw watch's %s did not complete within %d ms", what, RAW_WAIT_MS);
}

void raw_open(raw_watch *r, const char *address, const char *token, const char *council,
	      const char *period)
{
	Csperf__V1__GetScorecardRequest req = CSPERF__V1__GET_SCORECARD_REQUEST__INIT;
	grpc_arg args[2];
	grpc_channel_args channel_args = { 2, args };
	grpc_channel_credentials *creds = grpc_insecure_credentials_create();
	grpc_op ops[4];
	size_t size;
	grpc_slice slice;
	int tag;

	memset(r, 0, sizeof(*r));
	grpc_metadata_array_init(&r->initial);
	memset(args, 0, sizeof(args));
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = GRPC_ARG_HTTP2_BDP_PROBE;
	args[0].value.integer = 0;
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES;
	args[1].value.integer = 16384;
	r->channel = grpc_channel_create(address, creds, &channel_args);
	grpc_channel_credentials_release(creds);
	r->cq = grpc_completion_queue_create_for_pluck(NULL);
	r->call = grpc_channel_create_call(r->channel, NULL, GRPC_PROPAGATE_DEFAULTS, r->cq,
					   grpc_slice_from_static_string(
						   "/csperf.v1.Performance/WatchScorecard"),
					   NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	req.council = (char *)council;
	req.period = (char *)period;
	size = protobuf_c_message_get_packed_size(&req.base);
	slice = grpc_slice_malloc(size);
	protobuf_c_message_pack(&req.base, GRPC_SLICE_START_PTR(slice));
	r->request = grpc_raw_byte_buffer_create(&slice, 1);
	grpc_slice_unref(slice);
	snprintf(r->bearer, sizeof(r->bearer), "Bearer %s", token);
	r->auth.key = grpc_slice_from_static_string("authorization");
	r->auth.value = grpc_slice_from_copied_string(r->bearer);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[0].data.send_initial_metadata.count = 1;
	ops[0].data.send_initial_metadata.metadata = &r->auth;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = r->request;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &r->initial;
	assert_int_equal(grpc_call_start_batch(r->call, ops, 4, &tag, NULL), GRPC_CALL_OK);
	raw_pluck(r, &tag, "start");
}

/* The next update, or NULL if none came within RAW_WAIT_MS. */
Csperf__V1__ScorecardUpdate *raw_next(raw_watch *r)
{
	grpc_byte_buffer *message = NULL;
	grpc_byte_buffer_reader reader;
	grpc_op op;
	grpc_slice slice;
	Csperf__V1__ScorecardUpdate *u;
	int tag;

	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_RECV_MESSAGE;
	op.data.recv_message.recv_message = &message;
	assert_int_equal(grpc_call_start_batch(r->call, &op, 1, &tag, NULL), GRPC_CALL_OK);
	raw_pluck(r, &tag, "read");
	if (message == NULL)
		return NULL;
	assert_true(grpc_byte_buffer_reader_init(&reader, message));
	slice = grpc_byte_buffer_reader_readall(&reader);
	grpc_byte_buffer_reader_destroy(&reader);
	u = csperf__v1__scorecard_update__unpack(NULL, GRPC_SLICE_LENGTH(slice),
						 GRPC_SLICE_START_PTR(slice));
	grpc_slice_unref(slice);
	grpc_byte_buffer_destroy(message);
	assert_non_null(u);
	return u;
}

void raw_close(raw_watch *r)
{
	grpc_call_cancel(r->call, NULL);
	grpc_call_unref(r->call);
	grpc_completion_queue_shutdown(r->cq);
	while (grpc_completion_queue_pluck(r->cq, NULL, gpr_inf_future(GPR_CLOCK_REALTIME),
					   NULL).type != GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(r->cq);
	grpc_byte_buffer_destroy(r->request);
	grpc_metadata_array_destroy(&r->initial);
	grpc_slice_unref(r->auth.value);
	grpc_channel_destroy(r->channel);
}
