/*
 * raw_call.c: a call through gRPC core with any request, every reply
 * message kept (raw_call.h).
 */
#include "raw_call.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/support/time.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

void replies_free(replies *r)
{
	for (size_t i = 0; i < r->count; i++)
		protobuf_c_message_free_unpacked(r->items[i], NULL);
	r->count = 0;
}

static void pluck(grpc_completion_queue *cq, void *tag)
{
	grpc_event ev = grpc_completion_queue_pluck(cq, tag, gpr_inf_future(GPR_CLOCK_REALTIME),
						    NULL);

	assert_int_equal(ev.type, GRPC_OP_COMPLETE);
}

static ProtobufCMessage *unpack_buffer(grpc_byte_buffer *buffer,
				       const ProtobufCMessageDescriptor *desc)
{
	grpc_byte_buffer_reader reader;
	grpc_slice slice;
	ProtobufCMessage *msg;

	assert_int_equal(grpc_byte_buffer_reader_init(&reader, buffer), 1);
	slice = grpc_byte_buffer_reader_readall(&reader);
	grpc_byte_buffer_reader_destroy(&reader);
	msg = protobuf_c_message_unpack(desc, NULL, GRPC_SLICE_LENGTH(slice),
					GRPC_SLICE_START_PTR(slice));
	grpc_slice_unref(slice);
	assert_non_null(msg);
	return msg;
}

void raw_call(grpc_channel *channel, const char *method, const ProtobufCMessage *request,
	      const ProtobufCMessageDescriptor *reply, const char *auth, replies *r)
{
	grpc_completion_queue *cq = grpc_completion_queue_create_for_pluck(NULL);
	gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
					     gpr_time_from_millis(120000, GPR_TIMESPAN));
	grpc_call *c = grpc_channel_create_call(channel, NULL, GRPC_PROPAGATE_DEFAULTS, cq,
						grpc_slice_from_static_string(method), NULL,
						deadline, NULL);
	grpc_metadata md;
	grpc_metadata_array initial, trailing;
	grpc_slice details = grpc_empty_slice();
	grpc_op ops[4];
	size_t size = protobuf_c_message_get_packed_size(request), len;
	grpc_slice slice = grpc_slice_malloc(size);
	grpc_byte_buffer *out;
	int send_tag, status_tag;

	memset(r, 0, sizeof(*r));
	protobuf_c_message_pack(request, GRPC_SLICE_START_PTR(slice));
	out = grpc_raw_byte_buffer_create(&slice, 1);
	grpc_slice_unref(slice);
	grpc_metadata_array_init(&initial);
	grpc_metadata_array_init(&trailing);
	memset(&md, 0, sizeof(md));
	md.key = grpc_slice_from_static_string("authorization");
	md.value = grpc_slice_from_copied_string(auth);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[0].data.send_initial_metadata.count = 1;
	ops[0].data.send_initial_metadata.metadata = &md;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = out;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &initial;
	assert_int_equal(grpc_call_start_batch(c, ops, 4, &send_tag, NULL), GRPC_CALL_OK);
	pluck(cq, &send_tag);
	for (;;) {
		grpc_byte_buffer *in = NULL;
		int recv_tag;

		memset(ops, 0, sizeof(ops));
		ops[0].op = GRPC_OP_RECV_MESSAGE;
		ops[0].data.recv_message.recv_message = &in;
		assert_int_equal(grpc_call_start_batch(c, ops, 1, &recv_tag, NULL), GRPC_CALL_OK);
		pluck(cq, &recv_tag);
		if (in == NULL)
			break;
		assert_true(r->count < MAX_REPLIES);
		r->items[r->count++] = unpack_buffer(in, reply);
		grpc_byte_buffer_destroy(in);
	}
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[0].data.recv_status_on_client.trailing_metadata = &trailing;
	ops[0].data.recv_status_on_client.status = &r->status;
	ops[0].data.recv_status_on_client.status_details = &details;
	assert_int_equal(grpc_call_start_batch(c, ops, 1, &status_tag, NULL), GRPC_CALL_OK);
	pluck(cq, &status_tag);
	len = GRPC_SLICE_LENGTH(details);
	if (len >= sizeof(r->message))
		len = sizeof(r->message) - 1;
	memcpy(r->message, GRPC_SLICE_START_PTR(details), len);
	r->message[len] = '\0';
	grpc_byte_buffer_destroy(out);
	grpc_slice_unref(md.value);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&initial);
	grpc_metadata_array_destroy(&trailing);
	grpc_call_unref(c);
	grpc_completion_queue_shutdown(cq);
	grpc_completion_queue_destroy(cq);
}

