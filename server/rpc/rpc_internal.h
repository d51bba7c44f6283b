/*
 * rpc_internal.h: what rpc_server.c (calls, pollers, workers) and
 * rpc_stream.c (server streams parked off the workers) share. Only the rpc
 * module includes it.
 */
#ifndef CSPERF_SERVER_RPC_INTERNAL_H
#define CSPERF_SERVER_RPC_INTERNAL_H

#include <grpc/grpc.h>
#include <pthread.h>

#include "rpc.h"

typedef enum tag_kind {
	TAG_REQUEST,        /* a registered-method call arrived (or not, at shutdown) */
	TAG_REQUEST_GENERIC,/* a call to an unregistered method arrived */
	TAG_OP,             /* a handler's batch completed */
	TAG_CLOSE,          /* RECV_CLOSE_ON_SERVER completed: the call is over */
	TAG_SHUTDOWN,       /* grpc_server_shutdown_and_notify completed */
	TAG_STREAM_SEND,    /* a parked stream's message went (rpc_stream.c) */
	TAG_STREAM_STATUS,  /* a parked stream's status went */
	TAG_FINISH          /* a status sent after a finish hook's RPC_FINISH_LATER went */
} tag_kind;

typedef struct rpc_tag {
	tag_kind kind;
	struct rpc_call *call;
} rpc_tag;

struct rpc_call {
	rpc_server *srv;
	const rpc_method *method;   /* NULL for calls to unknown methods */
	size_t method_index;
	grpc_call *call;
	gpr_timespec deadline;
	grpc_metadata_array metadata;
	grpc_call_details details;  /* unknown methods only */
	grpc_byte_buffer *payload;  /* unary and server-stream requests */
	grpc_slice status_details;
	char unknown_path[256];     /* the path asked for, unknown methods only */
	char *peer;

	rpc_tag request_tag, op_tag, close_tag;
	int cancelled;              /* written by RECV_CLOSE_ON_SERVER */
	bool close_seen;            /* the close batch completed (under mu) */
	rpc_cancel_fn cancel_fn;    /* rpc_call_on_cancel (under mu) */
	void *cancel_arg;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool op_done, op_ok;
	bool close_done, handler_done, initial_metadata_sent, finished;
	status_code final_code;     /* what call_finish sent */
	bool send_refused;          /* a message of the stream failed the send filter */
	bool has_kept;              /* rpc_call_keep */
	int kept;
	void *context;              /* the gate's and handlers' (rpc_call_set_context) */

	/* A server stream parked off the workers (rpc_call_park, rpc_stream.c):
	 * sends start from any thread and complete on a poller. */
	bool parked;
	bool stream_open;           /* until its status batch completed (under mu) */
	rpc_stream_sent_fn on_sent;
	void *stream_arg;
	grpc_byte_buffer *stream_buffer;  /* the message in flight */
	rpc_tag send_tag, status_tag;

	/* The status decided while a finish hook's RPC_FINISH_LATER holds it
	 * (rpc_call_finish_decided), and the batch that sends it. */
	bool finish_may_wait;       /* the hook may answer RPC_FINISH_LATER */
	bool finish_pending;        /* until the deferred status batch completed (under mu) */
	status_code pending_code;
	grpc_byte_buffer *pending_buffer;
	grpc_slice pending_details;
	rpc_tag finish_tag;

	struct rpc_call *next_job;
};

struct rpc_server {
	grpc_server *server;
	grpc_completion_queue *cq;
	const rpc_method *methods;
	size_t nmethods;
	void **registered;
	void *app;
	int port;
	rpc_gate gate;
	rpc_finish_hook before_finish;
	rpc_send_filter send_filter;

	pthread_t *pollers;
	int npollers;
	pthread_t *workers;
	int nworkers;

	pthread_mutex_t mu;
	pthread_cond_t jobs_cv;     /* a job was queued, or workers must stop */
	pthread_cond_t idle_cv;     /* live_calls fell, or shutdown completed */
	rpc_call *job_head, *job_tail;
	bool accepting;
	bool workers_stop;
	bool shutdown_done;
	int live_calls;

	rpc_tag shutdown_tag;
};

/* Frees the call when its handler, its close batch and (for a parked call)
 * its stream are all done; handler_part says which of the first two ended. */
void rpc_call_release_part(rpc_call *c, bool handler_part);

/* A parked stream's status went: frees the call if its handler and close
 * batch are done too. */
void rpc_call_release_stream(rpc_call *c);

/* A parked stream's batch completed (rpc_stream.c), on a poller. */
void rpc_stream_op_done(rpc_call *c, tag_kind kind, bool ok);

/* A message to send, packed here (msg) or already (packed), after the send
 * filter (the small-number rule: docs/SECURITY.md). NULL when the filter
 * refuses it: the message must not be sent. */
grpc_byte_buffer *rpc_outgoing(rpc_call *c, const ProtobufCMessage *msg, const uint8_t *packed,
			       size_t packed_size);

#endif
