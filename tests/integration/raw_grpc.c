/* raw_grpc.c: see raw_grpc.h. */
#include "raw_grpc.h"

#include <grpc/byte_buffer.h>
#include <grpc/support/time.h>
#include <string.h>

static void pluck(grpc_completion_queue *cq, void *tag)
{
	grpc_completion_queue_pluck(cq, tag, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
}

grpc_status_code raw_grpc_call(grpc_channel *channel, const char *method,
			       const raw_message *messages, size_t count, const char *auth,
			       char *details, size_t size)
{
	return raw_grpc_call_replied(channel, method, messages, count, auth, details, size, NULL);
}

grpc_status_code raw_grpc_call_replied(grpc_channel *channel, const char *method,
				       const raw_message *messages, size_t count,
				       const char *auth, char *details, size_t size,
				       bool *replied)
{
	grpc_completion_queue *cq = grpc_completion_queue_create_for_pluck(NULL);
	gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
					     gpr_time_from_millis(120000, GPR_TIMESPAN));
	grpc_call *c = grpc_channel_create_call(channel, NULL, GRPC_PROPAGATE_DEFAULTS, cq,
						grpc_slice_from_static_string(method), NULL,
						deadline, NULL);
	grpc_metadata md;
	grpc_metadata_array initial, trailing;
	grpc_byte_buffer *reply = NULL;
	grpc_slice status_details = grpc_empty_slice();
	grpc_status_code code = GRPC_STATUS_UNKNOWN;
	grpc_op recv[3], send[2];
	int recv_tag, send_tag;

	grpc_metadata_array_init(&initial);
	grpc_metadata_array_init(&trailing);
	memset(recv, 0, sizeof(recv));
	recv[0].op = GRPC_OP_RECV_INITIAL_METADATA;
	recv[0].data.recv_initial_metadata.recv_initial_metadata = &initial;
	recv[1].op = GRPC_OP_RECV_MESSAGE;
	recv[1].data.recv_message.recv_message = &reply;
	recv[2].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	recv[2].data.recv_status_on_client.trailing_metadata = &trailing;
	recv[2].data.recv_status_on_client.status = &code;
	recv[2].data.recv_status_on_client.status_details = &status_details;
	grpc_call_start_batch(c, recv, 3, &recv_tag, NULL);

	memset(&md, 0, sizeof(md));
	md.key = grpc_slice_from_static_string("authorization");
	md.value = grpc_slice_from_copied_string(auth != NULL ? auth : "");
	for (size_t i = 0; i <= count; i++) {
		grpc_byte_buffer *buffer = NULL;
		size_t n = 0;

		memset(send, 0, sizeof(send));
		if (i == 0) {
			send[n].op = GRPC_OP_SEND_INITIAL_METADATA;
			send[n].data.send_initial_metadata.count = auth != NULL ? 1 : 0;
			send[n++].data.send_initial_metadata.metadata = &md;
		}
		if (i < count) {
			grpc_slice slice = grpc_slice_from_copied_buffer(messages[i].bytes,
									 messages[i].len);

			buffer = grpc_raw_byte_buffer_create(&slice, 1);
			grpc_slice_unref(slice);
			send[n].op = GRPC_OP_SEND_MESSAGE;
			send[n++].data.send_message.send_message = buffer;
		} else {
			send[n++].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
		}
		/* Sends after the server ended the call fail: that is fine. */
		if (grpc_call_start_batch(c, send, n, &send_tag, NULL) == GRPC_CALL_OK)
			pluck(cq, &send_tag);
		if (buffer != NULL)
			grpc_byte_buffer_destroy(buffer);
	}
	pluck(cq, &recv_tag);
	if (details != NULL && size > 0) {
		size_t len = GRPC_SLICE_LENGTH(status_details);

		if (len >= size)
			len = size - 1;
		memcpy(details, GRPC_SLICE_START_PTR(status_details), len);
		details[len] = '\0';
	}
	if (replied != NULL)
		*replied = reply != NULL;
	grpc_slice_unref(md.value);
	grpc_slice_unref(status_details);
	if (reply != NULL)
		grpc_byte_buffer_destroy(reply);
	grpc_metadata_array_destroy(&initial);
	grpc_metadata_array_destroy(&trailing);
	grpc_call_unref(c);
	grpc_completion_queue_shutdown(cq);
	grpc_completion_queue_destroy(cq);
	return code;
}
