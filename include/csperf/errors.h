/*
 * csperf/errors.h: the SDK's error codes.
 *
 * Every SDK function that can fail returns an int: 0 (CSPERF_OK) or one of the
 * negative codes below. The numbers are stable: they are never renumbered or
 * reused. The server's gRPC status maps to one code each; the detail of the
 * last failure on this thread is csperf_error_last().
 */
#ifndef CSPERF_ERRORS_H
#define CSPERF_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum csperf_error_code {
	CSPERF_OK = 0,
	CSPERF_ERROR = -1,          /* an error with no better code (gRPC UNKNOWN) */
	CSPERF_EINVAL = -2,         /* a bad argument or request (INVALID_ARGUMENT) */
	CSPERF_ENOMEM = -3,         /* out of memory */
	CSPERF_EUNAVAILABLE = -4,   /* csperfd or its database cannot be reached (UNAVAILABLE) */
	CSPERF_ETIMEOUT = -5,       /* the call's deadline passed (DEADLINE_EXCEEDED) */
	CSPERF_ECANCELLED = -6,     /* the call was cancelled (CANCELLED) */
	CSPERF_ENOTFOUND = -7,      /* no such thing (NOT_FOUND) */
	CSPERF_EEXISTS = -8,        /* it exists already (ALREADY_EXISTS) */
	CSPERF_EAUTH = -9,          /* no valid token (UNAUTHENTICATED) */
	CSPERF_EPERM = -10,         /* the token's role or scope does not allow it (PERMISSION_DENIED) */
	CSPERF_EEXHAUSTED = -11,    /* a limit was reached (RESOURCE_EXHAUSTED) */
	CSPERF_EPRECONDITION = -12, /* the state does not allow it (FAILED_PRECONDITION) */
	CSPERF_EABORTED = -13,      /* a conflict; try again (ABORTED) */
	CSPERF_ERANGE = -14,        /* out of range (OUT_OF_RANGE) */
	CSPERF_EUNIMPLEMENTED = -15,/* the server does not have this call (UNIMPLEMENTED) */
	CSPERF_EINTERNAL = -16,     /* the server failed (INTERNAL) */
	CSPERF_EDATALOSS = -17,     /* data were lost or corrupted (DATA_LOSS) */
	CSPERF_EPROTOCOL = -18,     /* the server's reply could not be read */
	CSPERF_EVERSION = -19       /* an options struct of a version this SDK does not know */
} csperf_error_code;

/* A short fixed description of a code ("deadline exceeded"); never NULL. */
const char *csperf_strerror(int code);

/* The message of the last failure on the calling thread, naming what failed
 * and why (e.g. "GetServerInfo: cannot reach csperfd at 127.0.0.1:50051").
 * Never NULL; "" when nothing failed yet. Valid until the thread's next SDK
 * call. */
const char *csperf_error_last(void);

#ifdef __cplusplus
}
#endif

#endif
