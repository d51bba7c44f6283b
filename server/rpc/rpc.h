/*
 * rpc.h: the only door to gRPC core in csperfd.
 *
 * The rpc module owns the gRPC server, one completion queue polled by a few
 * threads, and a pool of worker threads that run handlers. Pollers only move
 * events; handlers run on workers and may block (on the database), so a slow
 * query never stalls the network. A handler sees a call through this header:
 * it decodes the request, reads metadata and the deadline, and ends the call
 * with exactly one reply or failure. A gate (authentication) may run before
 * every handler and a hook (the audit trail) after every call. Requests whose
 * strings are not UTF-8 do not decode. No grpc_* type leaves this module.
 */
#ifndef CSPERF_SERVER_RPC_H
#define CSPERF_SERVER_RPC_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../status.h"

typedef struct rpc_server rpc_server;
typedef struct rpc_call rpc_call;

typedef enum rpc_method_kind {
	RPC_UNARY,          /* one request, one reply */
	RPC_CLIENT_STREAM,  /* many requests (rpc_call_recv), one reply */
	RPC_SERVER_STREAM,  /* one request, many replies (rpc_call_send) */
	RPC_BIDI_STREAM     /* many requests (rpc_call_recv), many replies (rpc_call_send) */
} rpc_method_kind;

/* Runs on a worker thread; `app` is what rpc_server_new was given. It must end
 * the call with rpc_call_reply or rpc_call_fail; if it does not, the call
 * ends with INTERNAL. */
typedef void (*rpc_handler)(rpc_call *call, void *app);

typedef struct rpc_method {
	const char *path;  /* "/csperf.v1.Performance/GetServerInfo" */
	rpc_method_kind kind;
	const ProtobufCMessageDescriptor *request;
	rpc_handler handler;
} rpc_method;

/* Runs on the worker before the handler. Returns true to run the handler,
 * false when it has ended the call itself (e.g. UNAUTHENTICATED). */
typedef bool (*rpc_gate)(rpc_call *call, void *app);

/* What a finish hook decided. */
typedef enum rpc_finish_verdict {
	RPC_FINISH_ANSWER,    /* send the call's status (and reply) now */
	RPC_FINISH_WITHHOLD,  /* a call decided OK must not be answered so (its audit
			       * line could not be written): it ends UNAVAILABLE,
			       * without its reply; other statuses stand */
	RPC_FINISH_LATER      /* the hook will call rpc_call_finish_decided, once */
} rpc_finish_verdict;

/* Runs on the worker when the call's status is decided, however it ends,
 * before the status (and a unary reply) is sent: e.g. to record the call in
 * the audit trail before its caller has the answer. It may answer
 * RPC_FINISH_LATER only when rpc_call_finish_may_wait says so: the worker
 * then goes on to other calls, and nothing of this call is sent until the
 * hook's rpc_call_finish_decided. */
typedef rpc_finish_verdict (*rpc_finish_hook)(rpc_call *call, void *app);

/* Inside the finish hook: whether it may answer RPC_FINISH_LATER (false
 * for a stream being parked, whose messages follow at once). */
bool rpc_call_finish_may_wait(const rpc_call *call);

/* For a hook that answered RPC_FINISH_LATER, from any thread, once (maybe
 * before the hook has returned): answer true sends the status and reply as
 * decided; false withholds them as RPC_FINISH_WITHHOLD does. The call must
 * not be touched after it. */
void rpc_call_finish_decided(rpc_call *call, bool answer);

/* Runs on the worker before each message the server sends (a unary reply,
 * bytes packed earlier, each message of a stream), given it packed: the one
 * place every reply passes through (small-number suppression). Returns 0
 * and sets *out to NULL to send the message as it is, or to malloc'd bytes
 * (*out_size of them) to send instead; -1 when the message must not be
 * sent: a unary call then fails INTERNAL, a stream's send fails. */
typedef int (*rpc_send_filter)(rpc_call *call, void *app, const uint8_t *packed, size_t size,
			       uint8_t **out, size_t *out_size);

typedef struct rpc_server_options {
	const char *listen;     /* "127.0.0.1:50051", "[::]:0", "unix:/path" */
	int pollers;            /* threads polling the completion queue (1..6) */
	int workers;            /* threads running handlers */
	size_t max_message;     /* largest message received, in bytes */
	rpc_gate gate;          /* NULL: every call runs its handler */
	rpc_finish_hook before_finish;  /* NULL: nothing */
	/* TLS, as PEM text: with a certificate and key the server speaks only
	 * TLS; with client_ca too, clients must show a certificate it signed.
	 * NULL: plain TCP (main.c allows that only on loopback). */
	const char *tls_cert_pem;
	const char *tls_key_pem;
	const char *tls_client_ca_pem;
	rpc_send_filter send_filter;   /* NULL: messages go as the handlers made them */
} rpc_server_options;

/* Creates, binds and starts the server. On failure returns -1 and fills st
 * with one sentence (e.g. the address is in use). *out is the caller's, freed
 * by rpc_server_stop. */
int rpc_server_start(rpc_server **out, const rpc_server_options *opts,
		     const rpc_method *methods, size_t nmethods, void *app,
		     status *st);

/* The TCP port the server is bound to (useful with port 0), 0 for unix. */
int rpc_server_port(const rpc_server *srv);

/* Stops accepting calls, lets calls in flight finish for up to drain_ms,
 * cancels the rest, waits for every handler, and frees everything. */
void rpc_server_stop(rpc_server *srv, int drain_ms);

/* ---- inside a handler ---- */

/* The method's path, e.g. "/csperf.v1.Performance/GetServerInfo". */
const char *rpc_call_method(const rpc_call *call);

/* Decodes the unary or first request into a protobuf-c message the caller
 * frees with protobuf_c_message_free_unpacked. On bad bytes (or a string that
 * is not UTF-8) returns NULL and fails nothing: the caller decides (usually
 * INVALID_ARGUMENT). A request that would take more memory decoded than
 * csperfd gives one message (message_check.h) returns NULL too, and its
 * call is ended here with RESOURCE_EXHAUSTED. */
ProtobufCMessage *rpc_call_request(rpc_call *call);

/* Streams: receives the next client message. Returns 1 and sets *out (free
 * with protobuf_c_message_free_unpacked), 0 at the end of the stream, -1 when
 * the call was cancelled, timed out, or sent bytes that do not decode or
 * would take too much memory decoded (st says which). A stream torn down
 * half-way is never taken for its end. */
int rpc_call_recv(rpc_call *call, ProtobufCMessage **out, status *st);

/* Server streams: sends one message. Returns 0, or -1 if the client went. */
int rpc_call_send(rpc_call *call, const ProtobufCMessage *msg);

/* Ends the call with OK and a reply message (NULL after rpc_call_send). */
void rpc_call_reply(rpc_call *call, const ProtobufCMessage *reply);

/* Ends the call with OK and a reply already packed (size bytes, copied):
 * for replies served from a cache. */
void rpc_call_reply_packed(rpc_call *call, const uint8_t *packed, size_t size);

/* Ends the call with a failure; the message goes to the client as is. */
void rpc_call_fail(rpc_call *call, status_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Ends the call with st's code and message. */
void rpc_call_fail_status(rpc_call *call, const status *st);

/* Copies the first value of request metadata `key` (lower case) into buf;
 * returns its length, or -1 if absent or longer than buf. */
int rpc_call_metadata(const rpc_call *call, const char *key, char *buf,
		      size_t bufsize);

/* Milliseconds before the call's deadline (INT64_MAX when it has none,
 * 0 when it has passed). */
int64_t rpc_call_remaining_ms(const rpc_call *call);

/* True once the client cancelled or the deadline passed. */
bool rpc_call_cancelled(rpc_call *call);

/* The peer's address, for logs ("ipv4:127.0.0.1:53312"). */
const char *rpc_call_peer(rpc_call *call);

/* The method's kind (a client or bidirectional stream has no request until
 * rpc_call_recv). */
rpc_method_kind rpc_call_kind(const rpc_call *call);

/* A pointer the gate and handlers share for the call (e.g. the caller's
 * identity); NULL until set. The rpc module never looks at it. */
void rpc_call_set_context(rpc_call *call, void *context);
void *rpc_call_context(const rpc_call *call);

/* A value the gate keeps on the call after its context is gone (a parked
 * stream's messages are still sent, and filtered, after the call's audit):
 * set once, read by the send filter. rpc_call_kept is false until set. */
void rpc_call_keep(rpc_call *call, int value);
bool rpc_call_kept(const rpc_call *call, int *value);

/* The status the call ends with (STATUS_OK before it is decided). */
status_code rpc_call_status_code(const rpc_call *call);

/* Called when a call is cancelled: the client cancelled or went away, its
 * deadline passed, or the server cancelled it at shutdown. */
typedef void (*rpc_cancel_fn)(void *arg);

/* Asks for fn(arg) to run, once, if the call is cancelled before its status
 * is decided (rpc_call_reply or rpc_call_fail): on a poller thread, so fn
 * must not block (e.g. it wakes a thread that cancels the call's query), or
 * at once on the caller's thread if the call is already cancelled. NULL
 * removes the request; after that, and once the status is decided, fn is
 * not running and will not run. */
void rpc_call_on_cancel(rpc_call *call, rpc_cancel_fn fn, void *arg);

/* ---- server streams parked off the workers ----
 *
 * A stream that lives long (WatchScorecard) must not hold a worker: there are
 * few of them. Its handler parks the call and returns; whoever owns the
 * stream then sends from any thread without waiting, one message at a time,
 * each send's completion reported on a poller, and ends it with a status. */

/* Runs on a poller when a send started by rpc_stream_send completed: ok is
 * false when the client went. Must not block. */
typedef void (*rpc_stream_sent_fn)(void *arg, bool ok);

/* Parks a server-streaming call whose handler then returns at once. The
 * finish hook runs now, on this thread, with STATUS_OK (the audit line of a
 * stream that may last for days is written when it starts, before anything
 * is sent). on_cancel(arg) runs once, under the call's lock, if the call is
 * cancelled (the client went, or the server cancelled it): on a poller, or
 * at once on this thread if that already happened; it must not call
 * rpc_stream_finish. Returns 0, or -1 (nothing done) when the call is not a
 * server stream or has ended already. */
int rpc_call_park(rpc_call *call, rpc_stream_sent_fn on_sent, rpc_cancel_fn on_cancel,
		  void *arg);

/* Starts sending one packed message (size bytes, copied) on a parked call,
 * from any thread, without waiting; at most one send at a time: the next
 * after on_sent. Takes none of the call's locks. Returns 0, or -1 if gRPC
 * refused it (then on_sent does not run). */
int rpc_stream_send(rpc_call *call, const uint8_t *packed, size_t size);

/* Ends a parked call with a status, from any thread, without waiting; only
 * when no send is in flight, and never from on_cancel. After it neither
 * on_sent nor on_cancel runs, and the call is the rpc module's to free. */
void rpc_stream_finish(rpc_call *call, status_code code, const char *message);

#endif
