/*
 * rpc_server.c: gRPC core server, completion queue, pollers, workers, calls.
 *
 * Threads: `pollers` threads wait on one shared completion queue and only
 * record what completed; `workers` threads take accepted calls from a queue
 * and run their handlers, which may block on the database. A handler's sends
 * and receives are batches whose completion a poller signals back to the
 * worker, so handlers are written as plain sequential code.
 *
 * Life of a call: a requested call completes -> a fresh request is posted for
 * the same method -> a RECV_CLOSE_ON_SERVER batch is started (it tells us
 * about cancellation) -> the call is queued for a worker -> the gate, if
 * any, lets it through (or ends it) -> the handler ends it with a status,
 * the finish hook running just before that status is sent -> the call is
 * freed once both the handler and the close batch are done. Calls to methods
 * nobody registered take the same path, a worker answering UNIMPLEMENTED
 * (after the finish hook, so that they are audited too); gRPC core would
 * otherwise leave them hanging until their deadline.
 *
 * Shutdown follows the order gRPC core needs (see docs/ARCHITECTURE.md):
 * stop re-requesting -> grpc_server_shutdown_and_notify -> cancel all calls
 * after the drain timeout -> wait for live calls -> stop workers -> shut the
 * queue down and drain it -> destroy.
 */
#include "rpc.h"

#include <errno.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"
#include "message_check.h"
#include "rpc_internal.h"
#include "../utf8.h"

/* Requests kept posted per registered method, and for unknown methods. */
#define PENDING_PER_METHOD 4
#define PENDING_GENERIC 2

static void call_free(rpc_call *c)
{
	rpc_server *srv = c->srv;
	bool counted = c->call != NULL;

	if (c->call != NULL)
		grpc_call_unref(c->call);
	grpc_metadata_array_destroy(&c->metadata);
	if (c->method == NULL)
		grpc_call_details_destroy(&c->details);
	if (c->payload != NULL)
		grpc_byte_buffer_destroy(c->payload);
	if (c->stream_buffer != NULL)
		grpc_byte_buffer_destroy(c->stream_buffer);
	grpc_slice_unref(c->status_details);
	if (c->peer != NULL)
		gpr_free(c->peer);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c);

	if (counted) {
		pthread_mutex_lock(&srv->mu);
		srv->live_calls--;
		pthread_cond_broadcast(&srv->idle_cv);
		pthread_mutex_unlock(&srv->mu);
	}
}

static rpc_call *call_alloc(rpc_server *srv, const rpc_method *method,
			    size_t index)
{
	rpc_call *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->srv = srv;
	c->method = method;
	c->method_index = index;
	c->status_details = grpc_empty_slice();
	grpc_metadata_array_init(&c->metadata);
	if (method == NULL)
		grpc_call_details_init(&c->details);
	c->request_tag.kind = method != NULL ? TAG_REQUEST : TAG_REQUEST_GENERIC;
	c->request_tag.call = c;
	c->op_tag.kind = TAG_OP;
	c->op_tag.call = c;
	c->close_tag.kind = TAG_CLOSE;
	c->close_tag.call = c;
	c->send_tag.kind = TAG_STREAM_SEND;
	c->send_tag.call = c;
	c->status_tag.kind = TAG_STREAM_STATUS;
	c->status_tag.call = c;
	c->finish_tag.kind = TAG_FINISH;
	c->finish_tag.call = c;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	return c;
}

/* Posts one request for a call to method `index` (or to any unknown method
 * when index == nmethods). Returns 0, or -1 if gRPC refused it. */
static int request_call(rpc_server *srv, size_t index)
{
	const rpc_method *method = index < srv->nmethods ? &srv->methods[index] : NULL;
	rpc_call *c = call_alloc(srv, method, index);
	grpc_call_error err;

	if (c == NULL)
		return -1;
	if (method != NULL) {
		bool has_payload = method->kind != RPC_CLIENT_STREAM &&
				   method->kind != RPC_BIDI_STREAM;
		err = grpc_server_request_registered_call(
			srv->server, srv->registered[index], &c->call, &c->deadline,
			&c->metadata, has_payload ? &c->payload : NULL, srv->cq,
			srv->cq, &c->request_tag);
	} else {
		err = grpc_server_request_call(srv->server, &c->call, &c->details,
					       &c->metadata, srv->cq, srv->cq,
					       &c->request_tag);
	}
	if (err != GRPC_CALL_OK) {
		log_error("rpc: cannot request a call (grpc_call_error %d)", (int)err);
		c->call = NULL;
		call_free(c);
		return -1;
	}
	return 0;
}

/* The close batch completed: if the call was cancelled (the client went,
 * the deadline passed, or the server cancelled it), the handler's notice
 * runs now, on this poller. */
static void call_closed(rpc_call *c)
{
	pthread_mutex_lock(&c->mu);
	c->close_seen = true;
	if (c->cancelled && c->cancel_fn != NULL) {
		c->cancel_fn(c->cancel_arg);
		c->cancel_fn = NULL;
	}
	pthread_mutex_unlock(&c->mu);
}

void rpc_call_release_part(rpc_call *c, bool handler_part)
{
	bool all;

	pthread_mutex_lock(&c->mu);
	if (handler_part)
		c->handler_done = true;
	else
		c->close_done = true;
	all = c->handler_done && c->close_done && !c->stream_open && !c->finish_pending;
	pthread_mutex_unlock(&c->mu);
	if (all)
		call_free(c);
}

void rpc_call_release_stream(rpc_call *c)
{
	bool all;

	pthread_mutex_lock(&c->mu);
	c->stream_open = false;
	all = c->handler_done && c->close_done && !c->finish_pending;
	pthread_mutex_unlock(&c->mu);
	if (all)
		call_free(c);
}

static void enqueue_job(rpc_server *srv, rpc_call *c)
{
	pthread_mutex_lock(&srv->mu);
	c->next_job = NULL;
	if (srv->job_tail != NULL)
		srv->job_tail->next_job = c;
	else
		srv->job_head = c;
	srv->job_tail = c;
	pthread_cond_signal(&srv->jobs_cv);
	pthread_mutex_unlock(&srv->mu);
}

static void on_request(rpc_server *srv, rpc_call *c, bool ok)
{
	bool accepting;
	grpc_op op;

	pthread_mutex_lock(&srv->mu);
	accepting = srv->accepting;
	if (ok)
		srv->live_calls++;
	pthread_mutex_unlock(&srv->mu);

	/* Keep a request posted for the next call to this method. */
	if (accepting)
		request_call(srv, c->method_index);
	if (!ok) {
		/* The server is shutting down: this request never got a call. */
		c->call = NULL;
		call_free(c);
		return;
	}
	c->peer = grpc_call_get_peer(c->call);
	if (c->method == NULL) {
		/* A worker answers UNIMPLEMENTED, after the finish hook (the
		 * audit line) has recorded the path asked for. */
		size_t len = GRPC_SLICE_LENGTH(c->details.method);

		if (len >= sizeof(c->unknown_path))
			len = sizeof(c->unknown_path) - 1;
		memcpy(c->unknown_path, GRPC_SLICE_START_PTR(c->details.method), len);
		c->unknown_path[len] = '\0';
		c->deadline = c->details.deadline;
		log_debug("rpc: unknown method %s: UNIMPLEMENTED", c->unknown_path);
	}
	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	op.data.recv_close_on_server.cancelled = &c->cancelled;
	if (grpc_call_start_batch(c->call, &op, 1, &c->close_tag, NULL) != GRPC_CALL_OK)
		c->close_done = true;
	enqueue_job(srv, c);
}

/* The status a finish hook held back went (or the client had gone). */
static void finish_sent(rpc_call *c, bool ok)
{
	bool all;

	if (!ok)
		log_debug("rpc: %s: the client went before the reply", rpc_call_method(c));
	if (c->pending_buffer != NULL)
		grpc_byte_buffer_destroy(c->pending_buffer);
	c->pending_buffer = NULL;
	grpc_slice_unref(c->pending_details);
	pthread_mutex_lock(&c->mu);
	c->finish_pending = false;
	all = c->handler_done && c->close_done && !c->stream_open;
	pthread_mutex_unlock(&c->mu);
	if (all)
		call_free(c);
}

static void *poller_main(void *arg)
{
	rpc_server *srv = arg;

	for (;;) {
		grpc_event ev = grpc_completion_queue_next(
			srv->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
		rpc_tag *tag;

		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			break;
		if (ev.type != GRPC_OP_COMPLETE)
			continue;
		tag = ev.tag;
		switch (tag->kind) {
		case TAG_REQUEST:
		case TAG_REQUEST_GENERIC:
			on_request(srv, tag->call, ev.success != 0);
			break;
		case TAG_OP:
			pthread_mutex_lock(&tag->call->mu);
			tag->call->op_done = true;
			tag->call->op_ok = ev.success != 0;
			pthread_cond_signal(&tag->call->cv);
			pthread_mutex_unlock(&tag->call->mu);
			break;
		case TAG_CLOSE:
			call_closed(tag->call);
			rpc_call_release_part(tag->call, false);
			break;
		case TAG_STREAM_SEND:
		case TAG_STREAM_STATUS:
			rpc_stream_op_done(tag->call, tag->kind, ev.success != 0);
			break;
		case TAG_FINISH:
			finish_sent(tag->call, ev.success != 0);
			break;
		case TAG_SHUTDOWN:
			pthread_mutex_lock(&srv->mu);
			srv->shutdown_done = true;
			pthread_cond_broadcast(&srv->idle_cv);
			pthread_mutex_unlock(&srv->mu);
			break;
		}
	}
	return NULL;
}

/* Runs one batch on the call and waits for it; true if it succeeded. */
static bool call_run_batch(rpc_call *c, const grpc_op *ops, size_t nops)
{
	bool ok;

	pthread_mutex_lock(&c->mu);
	c->op_done = false;
	pthread_mutex_unlock(&c->mu);
	if (grpc_call_start_batch(c->call, ops, nops, &c->op_tag, NULL) != GRPC_CALL_OK)
		return false;
	pthread_mutex_lock(&c->mu);
	while (!c->op_done)
		pthread_cond_wait(&c->cv, &c->mu);
	ok = c->op_ok;
	pthread_mutex_unlock(&c->mu);
	return ok;
}

/* The bytes that go out for a message (msg, or packed already), through
 * the server's send filter: NULL when the filter refuses them. */
grpc_byte_buffer *rpc_outgoing(rpc_call *c, const ProtobufCMessage *msg, const uint8_t *packed,
			       size_t packed_size)
{
	grpc_slice slice;
	grpc_byte_buffer *buffer;
	uint8_t *rewritten = NULL;
	size_t rewritten_size = 0;

	if (msg != NULL) {
		packed_size = protobuf_c_message_get_packed_size(msg);
		slice = grpc_slice_malloc(packed_size);
		protobuf_c_message_pack(msg, GRPC_SLICE_START_PTR(slice));
	} else {
		slice = grpc_slice_from_copied_buffer((const char *)packed, packed_size);
	}
	if (c->srv->send_filter != NULL) {
		if (c->srv->send_filter(c, c->srv->app, GRPC_SLICE_START_PTR(slice),
					GRPC_SLICE_LENGTH(slice), &rewritten, &rewritten_size) != 0) {
			grpc_slice_unref(slice);
			return NULL;
		}
		if (rewritten != NULL) {
			grpc_slice_unref(slice);
			slice = grpc_slice_from_copied_buffer((const char *)rewritten, rewritten_size);
			free(rewritten);
		}
	}
	buffer = grpc_raw_byte_buffer_create(&slice, 1);
	grpc_slice_unref(slice);
	return buffer;
}

static ProtobufCMessage *unpack_message(grpc_byte_buffer *buffer,
					const ProtobufCMessageDescriptor *desc, bool *too_large)
{
	grpc_byte_buffer_reader reader;
	grpc_slice slice;
	ProtobufCMessage *msg;

	*too_large = false;
	if (!grpc_byte_buffer_reader_init(&reader, buffer))
		return NULL;
	slice = grpc_byte_buffer_reader_readall(&reader);
	grpc_byte_buffer_reader_destroy(&reader);
	msg = message_decode(desc, GRPC_SLICE_LENGTH(slice), GRPC_SLICE_START_PTR(slice),
			     too_large);
	grpc_slice_unref(slice);
	return msg;
}

static void call_finish_packed(rpc_call *c, status_code code, const char *message,
			       const ProtobufCMessage *reply, const uint8_t *packed,
			       size_t packed_size);

static const char withheld_message[] =
	"csperfd could not record this call in its audit trail, so it does not answer it: "
	"try again";

static void call_finish(rpc_call *c, status_code code, const char *message,
			const ProtobufCMessage *reply)
{
	call_finish_packed(c, code, message, reply, NULL, 0);
}

/* Ends the call: a reply message (packed here) or bytes packed already. */
static void call_finish_packed(rpc_call *c, status_code code, const char *message,
			       const ProtobufCMessage *reply, const uint8_t *packed,
			       size_t packed_size)
{
	grpc_op ops[3];
	size_t n = 0;
	grpc_byte_buffer *buffer = NULL;
	grpc_slice details;

	if (c->finished)
		return;
	c->finished = true;
	/* The reply passes the send filter before the call's status is
	 * decided (and audited): a reply that may not be sent fails the call. */
	if (c->send_refused) {
		code = STATUS_INTERNAL;
		message = "a message of the stream could not be checked for small numbers";
	} else if (code == STATUS_OK && (reply != NULL || packed != NULL)) {
		buffer = rpc_outgoing(c, reply, packed, packed_size);
		if (buffer == NULL) {
			log_error("rpc: %s: the reply did not pass the send filter", c->method->path);
			code = STATUS_INTERNAL;
			message = "the reply could not be checked for small numbers";
		}
	}
	c->final_code = code;
	/* Decided: a cancellation from now on has nothing left to stop. */
	pthread_mutex_lock(&c->mu);
	c->cancel_fn = NULL;
	pthread_mutex_unlock(&c->mu);
	/* A call whose audit line cannot be written is not answered as if
	 * it had been: no reply, UNAVAILABLE. The hook may also keep the
	 * status back until the line is durable, without holding this worker:
	 * what is to be sent waits on the call. */
	if (c->srv->before_finish != NULL) {
		rpc_finish_verdict verdict;

		c->pending_code = code;
		c->pending_buffer = buffer;
		c->pending_details = grpc_slice_from_copied_string(message != NULL ? message : "");
		c->finish_may_wait = c->call != NULL;
		pthread_mutex_lock(&c->mu);
		c->finish_pending = true;
		pthread_mutex_unlock(&c->mu);
		verdict = c->srv->before_finish(c, c->srv->app);
		if (verdict == RPC_FINISH_LATER && c->finish_may_wait)
			return;  /* the call may be gone already: rpc_call_finish_decided */
		if (verdict == RPC_FINISH_LATER)
			log_error("rpc: %s: its finish hook waited where it may not", rpc_call_method(c));
		grpc_slice_unref(c->pending_details);
		c->pending_buffer = NULL;
		c->finish_may_wait = false;
		pthread_mutex_lock(&c->mu);
		c->finish_pending = false;
		pthread_mutex_unlock(&c->mu);
		if (verdict != RPC_FINISH_ANSWER && code == STATUS_OK) {
			code = STATUS_UNAVAILABLE;
			c->final_code = code;
			message = withheld_message;
			if (buffer != NULL)
				grpc_byte_buffer_destroy(buffer);
			buffer = NULL;
		}
	}
	memset(ops, 0, sizeof(ops));
	if (!c->initial_metadata_sent) {
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
		c->initial_metadata_sent = true;
	}
	if (buffer != NULL) {
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n++].data.send_message.send_message = buffer;
	}
	details = grpc_slice_from_copied_string(message != NULL ? message : "");
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.status = (grpc_status_code)code;
	ops[n++].data.send_status_from_server.status_details = &details;
	if (!call_run_batch(c, ops, n))
		log_debug("rpc: %s: the client went before the reply", rpc_call_method(c));
	grpc_slice_unref(details);
	if (buffer != NULL)
		grpc_byte_buffer_destroy(buffer);
}

static void *worker_main(void *arg)
{
	rpc_server *srv = arg;

	for (;;) {
		rpc_call *c;

		pthread_mutex_lock(&srv->mu);
		while (srv->job_head == NULL && !srv->workers_stop)
			pthread_cond_wait(&srv->jobs_cv, &srv->mu);
		c = srv->job_head;
		if (c == NULL) {
			pthread_mutex_unlock(&srv->mu);
			break;
		}
		srv->job_head = c->next_job;
		if (srv->job_head == NULL)
			srv->job_tail = NULL;
		pthread_mutex_unlock(&srv->mu);

		if (rpc_call_remaining_ms(c) == 0)
			call_finish(c, STATUS_DEADLINE_EXCEEDED,
				    "deadline exceeded before the call started", NULL);
		else if (c->method == NULL)
			call_finish(c, STATUS_UNIMPLEMENTED, "method not implemented", NULL);
		else if (srv->gate == NULL || srv->gate(c, srv->app))
			c->method->handler(c, srv->app);
		if (!c->finished) {
			log_error("rpc: %s ended without a status", rpc_call_method(c));
			call_finish(c, STATUS_INTERNAL, "internal error", NULL);
		}
		rpc_call_release_part(c, true);
	}
	return NULL;
}

/* ---- public: handler side ---- */

const char *rpc_call_method(const rpc_call *call)
{
	return call->method != NULL ? call->method->path : call->unknown_path;
}

ProtobufCMessage *rpc_call_request(rpc_call *call)
{
	if (call->payload == NULL)
		return NULL;
	bool too_large;
	ProtobufCMessage *msg = unpack_message(call->payload, call->method->request, &too_large);

	if (too_large)
		call_finish(call, STATUS_RESOURCE_EXHAUSTED, "the request would take more than "
			    "the memory csperfd gives one message once decoded", NULL);
	return msg;
}

int rpc_call_recv(rpc_call *call, ProtobufCMessage **out, status *st)
{
	grpc_op ops[2];
	size_t n = 0;
	grpc_byte_buffer *buffer = NULL;
	bool too_large;

	*out = NULL;
	memset(ops, 0, sizeof(ops));
	if (!call->initial_metadata_sent) {
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
		call->initial_metadata_sent = true;
	}
	ops[n].op = GRPC_OP_RECV_MESSAGE;
	ops[n++].data.recv_message.recv_message = &buffer;
	if (!call_run_batch(call, ops, n))
		return status_set(st, STATUS_CANCELLED, "the call was cancelled");
	if (buffer == NULL) {
		/* End of stream, or the call ended (cancelled, deadline, server
		 * shutdown): gRPC core gives no message and success either way, and
		 * the close batch that sets `cancelled` may not have completed yet.
		 * Only grpc_call_failed_before_recv_message tells a torn-down
		 * stream from a finished one; taken for its end, a torn-down load
		 * would be committed with half its records. */
		if (grpc_call_failed_before_recv_message(call->call) || rpc_call_cancelled(call))
			return status_set(st, rpc_call_remaining_ms(call) == 0
					  ? STATUS_DEADLINE_EXCEEDED : STATUS_CANCELLED,
					  "the call ended before its stream did");
		return 0;
	}
	*out = unpack_message(buffer, call->method->request, &too_large);
	grpc_byte_buffer_destroy(buffer);
	if (*out == NULL && too_large)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED,
				  "a message of the stream would take more than %u MB decoded: "
				  "send smaller batches", MESSAGE_DECODE_BUDGET / (1024 * 1024));
	if (*out == NULL)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "a message of the stream does not decode as %s (bad bytes, or a "
				  "string that is not UTF-8 or holds a NUL byte)",
				  call->method->request->name);
	return 1;
}

int rpc_call_send(rpc_call *call, const ProtobufCMessage *msg)
{
	grpc_op ops[2];
	size_t n = 0;
	grpc_byte_buffer *buffer = rpc_outgoing(call, msg, NULL, 0);
	bool ok;

	if (buffer == NULL) {
		log_error("rpc: %s: a message did not pass the send filter", call->method->path);
		call->send_refused = true;
		return -1;
	}
	memset(ops, 0, sizeof(ops));
	if (!call->initial_metadata_sent) {
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
		call->initial_metadata_sent = true;
	}
	ops[n].op = GRPC_OP_SEND_MESSAGE;
	ops[n++].data.send_message.send_message = buffer;
	ok = call_run_batch(call, ops, n);
	grpc_byte_buffer_destroy(buffer);
	return ok ? 0 : -1;
}

void rpc_call_reply(rpc_call *call, const ProtobufCMessage *reply)
{
	call_finish(call, STATUS_OK, "", reply);
}

void rpc_call_reply_packed(rpc_call *call, const uint8_t *packed, size_t size)
{
	call_finish_packed(call, STATUS_OK, "", NULL, packed, size);
}

void rpc_call_fail(rpc_call *call, status_code code, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	utf8_trim_end(message);
	call_finish(call, code == STATUS_OK ? STATUS_UNKNOWN : code, message, NULL);
}

void rpc_call_fail_status(rpc_call *call, const status *st)
{
	rpc_call_fail(call, st->code, "%s", st->message);
}

int rpc_call_metadata(const rpc_call *call, const char *key, char *buf,
		      size_t bufsize)
{
	size_t keylen = strlen(key);

	for (size_t i = 0; i < call->metadata.count; i++) {
		const grpc_metadata *md = &call->metadata.metadata[i];
		size_t len;

		if (GRPC_SLICE_LENGTH(md->key) != keylen ||
		    memcmp(GRPC_SLICE_START_PTR(md->key), key, keylen) != 0)
			continue;
		len = GRPC_SLICE_LENGTH(md->value);
		if (len >= bufsize)
			return -1;
		memcpy(buf, GRPC_SLICE_START_PTR(md->value), len);
		buf[len] = '\0';
		return (int)len;
	}
	return -1;
}

int64_t rpc_call_remaining_ms(const rpc_call *call)
{
	gpr_timespec deadline, now, left;

	if (gpr_time_cmp(call->deadline, gpr_inf_future(call->deadline.clock_type)) == 0)
		return INT64_MAX;
	deadline = gpr_convert_clock_type(call->deadline, GPR_CLOCK_MONOTONIC);
	now = gpr_now(GPR_CLOCK_MONOTONIC);
	if (gpr_time_cmp(deadline, now) <= 0)
		return 0;
	left = gpr_time_sub(deadline, now);
	return (int64_t)left.tv_sec * 1000 + left.tv_nsec / 1000000;
}

bool rpc_call_cancelled(rpc_call *call)
{
	bool cancelled;

	pthread_mutex_lock(&call->mu);
	cancelled = call->close_done && call->cancelled;
	pthread_mutex_unlock(&call->mu);
	return cancelled || rpc_call_remaining_ms(call) == 0;
}

const char *rpc_call_peer(rpc_call *call)
{
	return call->peer != NULL ? call->peer : "unknown";
}

rpc_method_kind rpc_call_kind(const rpc_call *call)
{
	return call->method != NULL ? call->method->kind : RPC_UNARY;
}

void rpc_call_set_context(rpc_call *call, void *context)
{
	call->context = context;
}

void rpc_call_keep(rpc_call *call, int value)
{
	call->kept = value;
	call->has_kept = true;
}

bool rpc_call_kept(const rpc_call *call, int *value)
{
	if (call->has_kept)
		*value = call->kept;
	return call->has_kept;
}

void *rpc_call_context(const rpc_call *call)
{
	return call->context;
}

status_code rpc_call_status_code(const rpc_call *call)
{
	return call->final_code;
}

void rpc_call_on_cancel(rpc_call *call, rpc_cancel_fn fn, void *arg)
{
	bool now;

	pthread_mutex_lock(&call->mu);
	now = fn != NULL && !call->finished && call->close_seen && call->cancelled;
	call->cancel_fn = now || call->finished ? NULL : fn;
	call->cancel_arg = arg;
	pthread_mutex_unlock(&call->mu);
	if (now)
		fn(arg);
}

/* ---- public: server side ---- */

int rpc_server_port(const rpc_server *srv)
{
	return srv->port;
}

/* TLS when a certificate is given (client certificates required and
 * verified against client_ca when that is given too), else plain TCP. */
static grpc_server_credentials *server_credentials(const rpc_server_options *opts)
{
	grpc_ssl_pem_key_cert_pair pair;

	if (opts->tls_cert_pem == NULL || opts->tls_key_pem == NULL)
		return grpc_insecure_server_credentials_create();
	pair.private_key = opts->tls_key_pem;
	pair.cert_chain = opts->tls_cert_pem;
	return grpc_ssl_server_credentials_create_ex(
		opts->tls_client_ca_pem, &pair, 1,
		opts->tls_client_ca_pem != NULL
			? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
			: GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE,
		NULL);
}

static void server_free(rpc_server *srv)
{
	free(srv->pollers);
	free(srv->workers);
	free(srv->registered);
	pthread_mutex_destroy(&srv->mu);
	pthread_cond_destroy(&srv->jobs_cv);
	pthread_cond_destroy(&srv->idle_cv);
	free(srv);
}

int rpc_server_start(rpc_server **out, const rpc_server_options *opts,
		     const rpc_method *methods, size_t nmethods, void *app,
		     status *st)
{
	rpc_server *srv;
	grpc_arg args[3];
	grpc_channel_args channel_args;
	grpc_server_credentials *creds;

	*out = NULL;
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	srv->methods = methods;
	srv->nmethods = nmethods;
	srv->app = app;
	srv->gate = opts->gate;
	srv->before_finish = opts->before_finish;
	srv->send_filter = opts->send_filter;
	srv->npollers = opts->pollers < 1 ? 1 : opts->pollers > 6 ? 6 : opts->pollers;
	srv->nworkers = opts->workers < 1 ? 1 : opts->workers;
	srv->accepting = true;
	srv->shutdown_tag.kind = TAG_SHUTDOWN;
	pthread_mutex_init(&srv->mu, NULL);
	pthread_cond_init(&srv->jobs_cv, NULL);
	pthread_cond_init(&srv->idle_cv, NULL);
	srv->registered = calloc(nmethods + 1, sizeof(void *));
	srv->pollers = calloc((size_t)srv->npollers, sizeof(pthread_t));
	srv->workers = calloc((size_t)srv->nworkers, sizeof(pthread_t));
	if (srv->registered == NULL || srv->pollers == NULL || srv->workers == NULL) {
		server_free(srv);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}

	grpc_init();
	memset(args, 0, sizeof(args));
	/* A second csperfd on the same port must fail, not share it. */
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = GRPC_ARG_ALLOW_REUSEPORT;
	args[0].value.integer = 0;
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
	args[1].value.integer = (int)opts->max_message;
	args[2].type = GRPC_ARG_INTEGER;
	args[2].key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
	args[2].value.integer = (int)opts->max_message;
	channel_args.num_args = 3;
	channel_args.args = args;

	srv->server = grpc_server_create(&channel_args, NULL);
	srv->cq = grpc_completion_queue_create_for_next(NULL);
	grpc_server_register_completion_queue(srv->server, srv->cq, NULL);
	for (size_t i = 0; i < nmethods; i++) {
		srv->registered[i] = grpc_server_register_method(
			srv->server, methods[i].path, NULL,
			methods[i].kind == RPC_CLIENT_STREAM || methods[i].kind == RPC_BIDI_STREAM
				? GRPC_SRM_PAYLOAD_NONE
				: GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER,
			0);
	}
	creds = server_credentials(opts);
	srv->port = grpc_server_add_http2_port(srv->server, opts->listen, creds);
	grpc_server_credentials_release(creds);
	if (srv->port == 0) {
		status_set(st, STATUS_UNAVAILABLE,
			   "cannot listen on %s: the address is in use, or not an "
			   "address of this machine%s", opts->listen,
			   opts->tls_cert_pem != NULL
			   ? " (or gRPC refused the TLS certificate and key)" : "");
		grpc_server_destroy(srv->server);
		grpc_completion_queue_shutdown(srv->cq);
		while (grpc_completion_queue_next(srv->cq, gpr_inf_future(GPR_CLOCK_REALTIME),
						  NULL).type != GRPC_QUEUE_SHUTDOWN)
			;
		grpc_completion_queue_destroy(srv->cq);
		grpc_shutdown();
		server_free(srv);
		return -1;
	}
	if (strncmp(opts->listen, "unix:", 5) == 0)
		srv->port = 0;
	grpc_server_start(srv->server);

	for (size_t i = 0; i < nmethods; i++)
		for (int k = 0; k < PENDING_PER_METHOD; k++)
			request_call(srv, i);
	for (int k = 0; k < PENDING_GENERIC; k++)
		request_call(srv, nmethods);

	for (int i = 0; i < srv->npollers; i++)
		pthread_create(&srv->pollers[i], NULL, poller_main, srv);
	for (int i = 0; i < srv->nworkers; i++)
		pthread_create(&srv->workers[i], NULL, worker_main, srv);
	*out = srv;
	return 0;
}

static bool wait_until(rpc_server *srv, bool *flag, const struct timespec *until)
{
	bool done;

	pthread_mutex_lock(&srv->mu);
	while (!*flag) {
		if (until == NULL)
			pthread_cond_wait(&srv->idle_cv, &srv->mu);
		else if (pthread_cond_timedwait(&srv->idle_cv, &srv->mu, until) == ETIMEDOUT)
			break;
	}
	done = *flag;
	pthread_mutex_unlock(&srv->mu);
	return done;
}

void rpc_server_stop(rpc_server *srv, int drain_ms)
{
	struct timespec until;

	if (srv == NULL)
		return;
	pthread_mutex_lock(&srv->mu);
	srv->accepting = false;
	pthread_mutex_unlock(&srv->mu);

	grpc_server_shutdown_and_notify(srv->server, srv->cq, &srv->shutdown_tag);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += drain_ms / 1000;
	until.tv_nsec += (long)(drain_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (!wait_until(srv, &srv->shutdown_done, &until)) {
		log_warn("rpc: calls still running after %d ms: cancelling them", drain_ms);
		grpc_server_cancel_all_calls(srv->server);
		wait_until(srv, &srv->shutdown_done, NULL);
	}

	pthread_mutex_lock(&srv->mu);
	while (srv->live_calls > 0)
		pthread_cond_wait(&srv->idle_cv, &srv->mu);
	srv->workers_stop = true;
	pthread_cond_broadcast(&srv->jobs_cv);
	pthread_mutex_unlock(&srv->mu);
	for (int i = 0; i < srv->nworkers; i++)
		pthread_join(srv->workers[i], NULL);

	grpc_completion_queue_shutdown(srv->cq);
	for (int i = 0; i < srv->npollers; i++)
		pthread_join(srv->pollers[i], NULL);
	grpc_server_destroy(srv->server);
	grpc_completion_queue_destroy(srv->cq);
	grpc_shutdown();
	server_free(srv);
}

/* ---- public: a finish hook's deferred decision ---- */

bool rpc_call_finish_may_wait(const rpc_call *call)
{
	return call->finish_may_wait;
}

void rpc_call_finish_decided(rpc_call *c, bool answer)
{
	grpc_op ops[3];
	size_t n = 0;

	if (!answer && c->pending_code == STATUS_OK) {
		c->pending_code = STATUS_UNAVAILABLE;
		c->final_code = STATUS_UNAVAILABLE;
		grpc_slice_unref(c->pending_details);
		c->pending_details = grpc_slice_from_static_string(withheld_message);
		if (c->pending_buffer != NULL)
			grpc_byte_buffer_destroy(c->pending_buffer);
		c->pending_buffer = NULL;
	}
	memset(ops, 0, sizeof(ops));
	/* The worker finished with the call's sends before the hook ran. */
	if (!c->initial_metadata_sent) {
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
		c->initial_metadata_sent = true;
	}
	if (c->pending_buffer != NULL) {
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n++].data.send_message.send_message = c->pending_buffer;
	}
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.status = (grpc_status_code)c->pending_code;
	ops[n++].data.send_status_from_server.status_details = &c->pending_details;
	if (grpc_call_start_batch(c->call, ops, n, &c->finish_tag, NULL) != GRPC_CALL_OK) {
		log_error("rpc: %s: its status could not be sent", rpc_call_method(c));
		finish_sent(c, false);
	}
}
