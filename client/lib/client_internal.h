/*
 * client_internal.h: what libcsperf's files share. The gRPC channel and the
 * protobuf-c codec stay behind this header; the public headers never see them.
 */
#ifndef CSPERF_CLIENT_INTERNAL_H
#define CSPERF_CLIENT_INTERNAL_H

#include <stdbool.h>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <protobuf-c/protobuf-c.h>

#include "csperf/csperf.h"

struct csperf_client {
	char *server;
	char *authorization;  /* "Bearer <token>" or NULL */
	int64_t timeout_ms;
	grpc_channel *channel;
};

/* Sets the thread's last error message and returns code. */
int client_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Maps a gRPC status to a CSPERF_E* code. */
int client_code_from_status(grpc_status_code status);

/* One unary call: sends request to method ("/csperf.v1.Performance/X"),
 * decodes the reply as response_type into *out (free with
 * protobuf_c_message_free_unpacked). On failure sets the last error, naming
 * `what` (e.g. "GetServerInfo"), and returns its code. */
int client_unary(csperf_client *client, const char *method, const char *what,
		 const ProtobufCMessage *request,
		 const ProtobufCMessageDescriptor *response_type,
		 ProtobufCMessage **out);

/* Packs a message into a byte buffer (destroy it after the batch). */
grpc_byte_buffer *client_pack(const ProtobufCMessage *msg);

/* Unpacks a byte buffer; NULL if it is not a `type`. */
ProtobufCMessage *client_unpack(grpc_byte_buffer *buffer,
				 const ProtobufCMessageDescriptor *type);

/* Shuts a completion queue down, drains and destroys it. */
void client_cq_destroy(grpc_completion_queue *cq);

/* Sets the last error for a failed call's status and returns its code. */
int client_status_error(const csperf_client *client, const char *what,
			grpc_status_code status, grpc_slice details);

/* The authorization metadata for the client's token; count 0 if none. */
size_t client_auth_metadata(const csperf_client *client, grpc_metadata *md);

/* A server-streaming call: the request goes out whole, then each reply
 * message is unpacked and handed to on_message (non-zero stops the stream and
 * cancels the call). Returns CSPERF_OK when the server ended the stream with
 * OK, else the call's error (CSPERF_ECANCELLED when on_message stopped it),
 * with the last error naming `what`. */
typedef int (*client_message_cb)(ProtobufCMessage *message, void *ctx);
int client_server_stream(csperf_client *client, const char *method, const char *what,
			 const ProtobufCMessage *request,
			 const ProtobufCMessageDescriptor *response_type,
			 client_message_cb on_message, void *ctx);

/* A client-streaming call (client_stream.c). start: the call and its
 * metadata; send: one message, after the previous one left (CSPERF_ECANCELLED
 * once csperfd ended the call: finish says why); finish: the close, then the
 * reply unpacked as `type` (free with protobuf_c_message_free_unpacked);
 * destroy: cancels a call not finished. `what` names the call in errors. */
typedef struct client_cstream {
	csperf_client *client;
	const char *what;
	grpc_completion_queue *cq;
	grpc_call *call;
	grpc_metadata auth;
	bool send_pending;            /* a message is in flight */
	grpc_byte_buffer *pending;    /* its buffer, destroyed once it left */
	bool broken;                  /* a send failed: the server ended the call */
	bool finished;
} client_cstream;

int client_cstream_start(client_cstream *s, csperf_client *client, const char *method,
			 const char *what, int64_t timeout_ms);
int client_cstream_send(client_cstream *s, const ProtobufCMessage *msg);
void client_cstream_wait(client_cstream *s);
int client_cstream_finish(client_cstream *s, const ProtobufCMessageDescriptor *type,
			  ProtobufCMessage **out);
void client_cstream_destroy(client_cstream *s);

/* The public view of an unpacked GetScorecardResponse, which it takes (and
 * frees on failure, naming `what`). scorecards.c. */
struct csperf_scorecard;
int client_scorecard_wrap(ProtobufCMessage *reply, struct csperf_scorecard **out,
			  const char *what);

/* A public view of a scorecard's header (a GetScorecardResponse) and rows
 * (Csperf__V1__ScorecardRow *) that owns neither: they must outlive it. Its
 * _free frees the view only. scorecards.c. */
int client_scorecard_view(const ProtobufCMessage *header, void *const *rows, size_t nrows,
			  struct csperf_scorecard **out, const char *what);

/* strdup that treats NULL as "". */
char *client_strdup(const char *text);

/* settings.c: the public view of a report card (strings borrowed). */
struct Csperf__V1__ReportCard;
struct csperf_report_card;
void client_view_card(const struct Csperf__V1__ReportCard *m, struct csperf_report_card *v);

#endif
