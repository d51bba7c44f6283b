/*
 * status.h: how a failure travels inside csperfd.
 *
 * A status carries one of the canonical status codes (the numbers gRPC uses,
 * so the rpc module maps them one to one) and a message a user can act on.
 * The store, the engine and the handlers fill it; only the rpc module turns it
 * into a wire status. Messages never carry tokens, child identifiers or
 * postcodes.
 */
#ifndef CSPERF_SERVER_STATUS_H
#define CSPERF_SERVER_STATUS_H

typedef enum status_code {
	STATUS_OK = 0,
	STATUS_CANCELLED = 1,
	STATUS_UNKNOWN = 2,
	STATUS_INVALID_ARGUMENT = 3,
	STATUS_DEADLINE_EXCEEDED = 4,
	STATUS_NOT_FOUND = 5,
	STATUS_ALREADY_EXISTS = 6,
	STATUS_PERMISSION_DENIED = 7,
	STATUS_RESOURCE_EXHAUSTED = 8,
	STATUS_FAILED_PRECONDITION = 9,
	STATUS_ABORTED = 10,
	STATUS_OUT_OF_RANGE = 11,
	STATUS_UNIMPLEMENTED = 12,
	STATUS_INTERNAL = 13,
	STATUS_UNAVAILABLE = 14,
	STATUS_DATA_LOSS = 15,
	STATUS_UNAUTHENTICATED = 16
} status_code;

typedef struct status {
	status_code code;
	char message[512];
} status;

#define STATUS_INIT { STATUS_OK, "" }

/* Sets code and a printf-style message; returns -1 so callers can
 * `return status_set(st, ...);`. st may be NULL. */
int status_set(status *st, status_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The canonical name of a code, e.g. "DEADLINE_EXCEEDED". */
const char *status_code_name(status_code code);

#endif
