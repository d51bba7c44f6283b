/*
 * csperf/access.h: bearer tokens and the audit trail, for admin tokens.
 *
 * Every call to csperfd but the health check carries a bearer token
 * (csperf_client_options.token). A token is one principal: a name, a role
 * (admin, loader, analyst, reader, finance or scrutiny) and the councils it
 * may see, optionally narrowed to localities; admin sees every council.
 * csperfd shows a token once, when it makes it, and keeps only its SHA-256.
 * It records every call in an append-only audit trail. See
 * docs/SECURITY.md for what each role may call.
 */
#ifndef CSPERF_ACCESS_H
#define CSPERF_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "csperf/csperf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A token as csperfd keeps it. All strings belong to what holds it. */
typedef struct csperf_token {
	int64_t id;
	const char *name;              /* e.g. "finance-export" */
	const char *role;              /* "admin", "loader", ... */
	size_t ncouncils;              /* 0 for admin: every council */
	const char *const *councils;   /* LA codes */
	size_t nlocalities;            /* 0: every locality of its councils */
	const char *const *localities;
	const char *created_at;        /* RFC 3339, UTC */
	const char *created_by;        /* the admin token's name, or "csperfd token create" */
	const char *revoked_at;        /* "" while the token is valid */
} csperf_token;

#define CSPERF_TOKEN_OPTIONS_VERSION 1

typedef struct csperf_token_options {
	unsigned int version;            /* CSPERF_TOKEN_OPTIONS_VERSION */
	const char *name;                /* required: letters, digits, space, . _ @ + - */
	const char *role;                /* required */
	size_t ncouncils;                /* none for admin; at least one otherwise */
	const char *const *councils;
	size_t nlocalities;              /* none: every locality */
	const char *const *localities;
} csperf_token_options;

#define CSPERF_TOKEN_OPTIONS_INIT { CSPERF_TOKEN_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0 }

/* A new token: the secret, shown once, and what csperfd keeps of it. */
typedef struct csperf_token_secret {
	const char *token;             /* "csperf_" and 64 hex digits */
	csperf_token info;
	void *internal;                /* the SDK's; do not touch */
} csperf_token_secret;

/* Makes a token (an admin call). *out is the caller's, freed with
 * csperf_token_secret_free, which also wipes the secret from memory. */
int csperf_token_create(csperf_client *client, const csperf_token_options *opts,
			csperf_token_secret **out);

void csperf_token_secret_free(csperf_token_secret *secret);

typedef struct csperf_token_list {
	size_t count;
	const csperf_token *tokens;    /* oldest first */
	void *internal;                /* the SDK's; do not touch */
} csperf_token_list;

/* Lists the valid tokens (and the revoked ones if include_revoked is
 * non-zero). *out is the caller's, freed with csperf_token_list_free. */
int csperf_token_list_get(csperf_client *client, int include_revoked,
			  csperf_token_list **out);

void csperf_token_list_free(csperf_token_list *list);

/* Revokes a token: it stops working at once. CSPERF_ENOTFOUND if there is no
 * such token; CSPERF_EPRECONDITION if it is the last valid admin token. */
int csperf_token_revoke(csperf_client *client, int64_t id);

#define CSPERF_AUDIT_OPTIONS_VERSION 1

typedef struct csperf_audit_options {
	unsigned int version;     /* CSPERF_AUDIT_OPTIONS_VERSION */
	const char *since;        /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; NULL: all */
	const char *principal;    /* a token's name; NULL: all */
	const char *council;      /* an LA code; NULL: all */
	unsigned int limit;       /* 0: 100; at most 1000 */
} csperf_audit_options;

#define CSPERF_AUDIT_OPTIONS_INIT { CSPERF_AUDIT_OPTIONS_VERSION, 0, 0, 0, 0 }

/* One call as the audit trail recorded it. */
typedef struct csperf_audit_entry {
	int64_t id;
	const char *at;            /* RFC 3339, UTC, with milliseconds */
	int64_t principal_id;      /* 0 and "" when the call had no valid token */
	const char *principal;
	const char *method;        /* "/csperf.v1.Performance/ListLoads" */
	const char *council;       /* "" when none */
	const char *parameters;    /* in brief */
	int64_t rows_returned;     /* -1 when not known */
	const char *status;        /* "OK", "PERMISSION_DENIED", ... */
	const char *peer;          /* the client's address */
} csperf_audit_entry;

typedef struct csperf_audit_list {
	size_t count;
	const csperf_audit_entry *entries;  /* newest first */
	void *internal;                     /* the SDK's; do not touch */
} csperf_audit_list;

/* Reads the audit trail (an admin call). opts may be NULL for the newest
 * 100 lines. *out is the caller's, freed with csperf_audit_list_free. */
int csperf_audit_get(csperf_client *client, const csperf_audit_options *opts,
		     csperf_audit_list **out);

void csperf_audit_list_free(csperf_audit_list *list);

#ifdef __cplusplus
}
#endif

#endif
