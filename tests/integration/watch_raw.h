/*
 * watch_raw.h: a WatchScorecard call made with gRPC core directly, on a
 * channel whose flow-control window stays small (no BDP probing), so that a
 * client that reads nothing soon stops taking bytes, as a slow phone on a
 * poor network would (test_watch.c's slow watcher). Failures fail the test.
 */
#ifndef CSPERF_TESTS_WATCH_RAW_H
#define CSPERF_TESTS_WATCH_RAW_H

#include <grpc/grpc.h>

#include "csperf/v1/scorecards.pb-c.h"

typedef struct raw_watch {
	grpc_channel *channel;
	grpc_completion_queue *cq;
	grpc_call *call;
	grpc_metadata auth;
	grpc_byte_buffer *request;
	grpc_metadata_array initial;
	char bearer[160];
} raw_watch;

/* Opens the watch of council and period at address with a bearer token. */
void raw_open(raw_watch *r, const char *address, const char *token, const char *council,
	      const char *period);

/* The next update (free with csperf__v1__scorecard_update__free_unpacked),
 * or NULL at the end of the stream; fails the test if none comes within
 * RAW_WAIT_MS. */
Csperf__V1__ScorecardUpdate *raw_next(raw_watch *r);

void raw_close(raw_watch *r);

#define RAW_WAIT_MS 20000

#endif
