/*
 * csperf/csperf.h: the csperf client SDK.
 *
 * libcsperf talks to csperfd, the children's services performance server.
 * Make a client with csperf_client_new, call the server through it, and free
 * it with csperf_client_free. A client may be used by several threads at once.
 *
 * Conventions (as in libgit2 and curl):
 * - functions return 0 or a negative CSPERF_E* code (csperf/errors.h), and
 *   set an output only on success;
 * - what a function returns through `**out` is the caller's, freed with the
 *   matching `_free`, which accepts NULL;
 * - options structs start with a version field: initialise them with their
 *   `_INIT` macro, then set what you need.
 * No gRPC or protobuf type appears in these headers.
 */
#ifndef CSPERF_CSPERF_H
#define CSPERF_CSPERF_H

#include <stdint.h>

#include "csperf/errors.h"
#include "csperf/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The SDK's version at run time, e.g. "0.1.0" (CSPERF_VERSION is the one at
 * build time). */
const char *csperf_version(void);

/* A connection to one csperfd. Opaque. */
typedef struct csperf_client csperf_client;

#define CSPERF_CLIENT_OPTIONS_VERSION 1

/* Defaults: server 127.0.0.1:50051, 30 s per call, no token, plain TCP. */
#define CSPERF_DEFAULT_SERVER "127.0.0.1:50051"
#define CSPERF_DEFAULT_TIMEOUT_MS 30000

typedef struct csperf_client_options {
	unsigned int version;  /* CSPERF_CLIENT_OPTIONS_VERSION */
	/* "host:port", "[::1]:port" or "unix:/path"; NULL for the default.
	 * Several csperfd serving one database: "host1:50051,host2:50051"
	 * (resolved once, at csperf_client_new), balanced by gRPC's
	 * round_robin; a read whose server stops is tried once more, on
	 * another (docs/SCALING.md). With TLS, every certificate must name the
	 * first host. */
	const char *server;
	/* The deadline of each call, in milliseconds; 0 for the default. */
	int64_t timeout_ms;
	/* A bearer token sent with every call as `authorization: Bearer ...`;
	 * NULL for none. Copied: the caller may free it after csperf_client_new. */
	const char *token;
	/* TLS (added within version 1: zero or NULL means unset, as before).
	 * Files are read by csperf_client_new. With tls_ca_file, csperfd's
	 * certificate must be signed by one of its PEM CAs and name the server
	 * address's host; with tls non-zero and no tls_ca_file, the system's CAs
	 * are used. tls_cert_file and tls_key_file are a PEM client certificate
	 * and its key, for a csperfd that asks for one (--tls-client-ca); they
	 * imply TLS too. Otherwise the connection is plain TCP. */
	int tls;
	const char *tls_ca_file;
	const char *tls_cert_file;
	const char *tls_key_file;
} csperf_client_options;

#define CSPERF_CLIENT_OPTIONS_INIT { CSPERF_CLIENT_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0, 0 }

/* Makes a client. Connecting is lazy: an unreachable server shows at the
 * first call (CSPERF_EUNAVAILABLE). opts may be NULL for the defaults.
 * *out is the caller's, freed with csperf_client_free. */
int csperf_client_new(csperf_client **out, const csperf_client_options *opts);

/* Closes the connection and frees the client; accepts NULL. */
void csperf_client_free(csperf_client *client);

/* The address the client was made for (borrowed from the client). */
const char *csperf_client_server(const csperf_client *client);

/* What csperfd says about itself. */
typedef struct csperf_server_info {
	char *server_version;    /* csperfd's release, e.g. "0.1.0" */
	int64_t schema_version;  /* newest migration applied to the database */
	char *database_status;   /* "ok", or "unavailable: <reason>" */
	char *database_version;  /* PostgreSQL's version, e.g. "15.18"; "" if unknown */
	char *database_mode;     /* "embedded" or "external" */
	int64_t uptime_seconds;  /* since csperfd started serving */
} csperf_server_info;

/* Asks csperfd for its info. *out is the caller's, freed with
 * csperf_server_info_free. */
int csperf_server_info_get(csperf_client *client, csperf_server_info **out);

/* Frees what csperf_server_info_get returned; accepts NULL. */
void csperf_server_info_free(csperf_server_info *info);

typedef enum csperf_health {
	CSPERF_HEALTH_UNKNOWN = 0,
	CSPERF_HEALTH_SERVING = 1,      /* csperfd and its database answer */
	CSPERF_HEALTH_NOT_SERVING = 2   /* csperfd answers, its database does not */
} csperf_health;

/* The standard gRPC health check (grpc.health.v1.Health/Check) for service
 * ("" or NULL for the whole server, or "csperf.v1.Performance"). An unknown
 * service gives CSPERF_ENOTFOUND. */
int csperf_health_check(csperf_client *client, const char *service,
			csperf_health *out);

#ifdef __cplusplus
}
#endif

#endif
