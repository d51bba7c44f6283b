/*
 * raw_grpc.h: calls made through gRPC core with bytes shaped at will (NUL
 * bytes in strings, numbers no SDK sends), for tests of what csperfd
 * refuses at its edge.
 */
#ifndef CSPERF_TESTS_RAW_GRPC_H
#define CSPERF_TESTS_RAW_GRPC_H

#include <grpc/grpc.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct raw_message {
	const void *bytes;
	size_t len;
} raw_message;

/* Sends the messages on method (one for a unary call, more for a client
 * stream) with `authorization` auth (NULL: none), half-closes, and returns
 * the status; its message (up to size bytes) into details when not NULL. */
grpc_status_code raw_grpc_call(grpc_channel *channel, const char *method,
			       const raw_message *messages, size_t count, const char *auth,
			       char *details, size_t size);

/* The same; *replied says whether a reply message came (whatever the
 * status). */
grpc_status_code raw_grpc_call_replied(grpc_channel *channel, const char *method,
				       const raw_message *messages, size_t count,
				       const char *auth, char *details, size_t size,
				       bool *replied);

#endif
