/*
 * client_internal.h: what libcsperf's files share. The gRPC channel and the
 * protobuf-c codec stay behind this header; the public headers never see them.
 */
#ifndef CSPERF_CLIENT_INTERNAL_H
#define CSPERF_CLIENT_INTERNAL_H

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

/* strdup that treats NULL as "". */
char *client_strdup(const char *text);

#endif
