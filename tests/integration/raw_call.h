/*
 * raw_call.h: calls through gRPC core directly, as any client's would, with
 * any request, keeping every message of the reply (a unary reply, or each
 * message of a server stream), for tests that inspect replies by reflection.
 */
#ifndef CSPERF_TESTS_RAW_CALL_H
#define CSPERF_TESTS_RAW_CALL_H

#include <grpc/grpc.h>
#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

#define MAX_REPLIES 4096

typedef struct replies {
	grpc_status_code status;
	char message[256];
	ProtobufCMessage *items[MAX_REPLIES];   /* each decoded as the reply type */
	size_t count;
} replies;

/* Calls method ("/csperf.v1.Performance/GetScorecard") on channel with one
 * request and `authorization` metadata auth; fills r with the status and
 * every reply message decoded as `reply`. Fails the test (cmocka) when a
 * message does not decode. */
void raw_call(grpc_channel *channel, const char *method, const ProtobufCMessage *request,
	      const ProtobufCMessageDescriptor *reply, const char *auth, replies *r);

/* Frees the messages of r. */
void replies_free(replies *r);

#endif
