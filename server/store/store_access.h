/*
 * store_access.h: the store's part of access control: access tokens (kept
 * as their SHA-256 only, revoked but never deleted) and the append-only
 * audit trail (migrations/0003_access.sql).
 */
#ifndef CSPERF_SERVER_STORE_ACCESS_H
#define CSPERF_SERVER_STORE_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"
#include "../auth/auth.h"

/* A stored token as ListTokens shows it; the strings are valid during the
 * callback only. */
typedef struct store_token_row {
	const auth_principal *principal;
	const char *created_at;   /* RFC 3339, UTC */
	const char *created_by;
	const char *revoked_at;   /* "" while the token is valid */
} store_token_row;

/* Called with each token row; non-zero stops. */
typedef int (*store_token_cb)(const store_token_row *row, void *ctx);

/* Finds the valid (not revoked) token whose SHA-256 is token_sha256 and
 * fills *out; *found is false when there is none. A lost connection is
 * retried once. */
int store_token_find(store_pool *pool, int64_t timeout_ms, const char *token_sha256,
		     auth_principal *out, bool *found, status *st);

/* Stores a token for principal p (name, role, councils, localities; its id
 * is ignored) and calls cb with the stored row. */
int store_token_insert(store_pool *pool, int64_t timeout_ms, const auth_principal *p,
		       const char *token_sha256, const char *created_by,
		       store_token_cb cb, void *ctx, status *st);

/* The tokens, oldest first; revoked ones too if include_revoked. */
int store_token_list(store_pool *pool, int64_t timeout_ms, bool include_revoked,
		     store_token_cb cb, void *ctx, status *st);

/* Revokes token id and calls cb with its row (revoking a revoked token
 * changes nothing). NOT_FOUND if there is no such token;
 * FAILED_PRECONDITION if it is the last valid admin token. */
int store_token_revoke(store_pool *pool, int64_t timeout_ms, int64_t id,
		       store_token_cb cb, void *ctx, status *st);

/* One line of the audit trail. */
typedef struct store_audit_entry {
	int64_t id;                  /* set by store_audit_query */
	const char *at;              /* likewise: RFC 3339 UTC, milliseconds */
	int64_t principal_id;        /* 0: no valid token */
	const char *principal_name;  /* NULL or "": no valid token */
	const char *method;          /* the full path */
	const char *council;         /* NULL or "": none */
	const char *parameters;      /* in brief; never tokens, child ids or postcodes */
	int64_t rows;                /* rows returned, -1 when not known */
	const char *status;          /* "OK", "PERMISSION_DENIED", ... */
	const char *peer;            /* "ipv4:127.0.0.1:53312" */
} store_audit_entry;

/* audit_writer.c: the eight parameters of an audit_log row ($1..$8 of its
 * INSERT), pointing into e and into principal_id and rows (32 bytes each,
 * the caller's). */
void store_audit_params(const store_audit_entry *e, char *principal_id, char *rows,
			const char **params);

/* Appends one line (a lost connection is retried once). */
int store_audit_append(store_pool *pool, int64_t timeout_ms, const store_audit_entry *entry,
		       status *st);

/* The audit writer (audit_writer.c): one thread and one connection that
 * commit the lines of concurrent calls together, one INSERT and one commit
 * (one WAL flush) for every line queued while the previous commit ran, a
 * little more gathered when more are expected (audit_writer.c). A line is
 * reported done only once it has committed (synchronous_commit as the
 * database has it: on by default, so on disk), or failed: no line is
 * acknowledged before it is durable, none is dropped silently. */
typedef struct store_audit_writer store_audit_writer;

/* Starts the writer on its own connection to dsn (made on first use). */
int store_audit_writer_start(store_audit_writer **out, const char *dsn, status *st);

/* Writes what is queued (each line's done runs), then stops the thread.
 * NULL is fine. */
void store_audit_writer_stop(store_audit_writer *writer);

/* What a submitted line became: rc 0 once it is durable, -1 (st says why)
 * when it could not be written. Runs once per line, on the writer's thread
 * (or on the submitter's, at once, when the writer has stopped or memory ran
 * out); entry is the writer's copy, valid during the call. */
typedef void (*store_audit_done_fn)(void *arg, const store_audit_entry *entry, int rc,
				    const status *st);

/* Queues a copy of the line and returns at once; done(arg, ...) follows. */
void store_audit_submit(store_audit_writer *writer, const store_audit_entry *entry,
			store_audit_done_fn done, void *arg);

/* Queues the line and waits for its commit: 0, or -1 with st filled. */
int store_audit_write(store_audit_writer *writer, const store_audit_entry *entry, status *st);

/* Lines committed and commits made since start. */
void store_audit_writer_counts(store_audit_writer *writer, uint64_t *lines, uint64_t *commits);

typedef struct store_audit_filter {
	const char *since;      /* "YYYY-MM-DDTHH:MM:SSZ" (checked by the caller), NULL: all */
	const char *principal;  /* a token's name, NULL: all */
	const char *council;    /* NULL: all */
	int limit;
} store_audit_filter;

typedef int (*store_audit_cb)(const store_audit_entry *entry, void *ctx);

/* The newest lines first, that match the filter. */
int store_audit_query(store_pool *pool, int64_t timeout_ms, const store_audit_filter *filter,
		      store_audit_cb cb, void *ctx, status *st);

/* The login csperfd serves as with its embedded PostgreSQL. */
#define STORE_SERVING_LOGIN "csperf_server"

/* For the embedded PostgreSQL: makes (once) STORE_SERVING_LOGIN, a login
 * that is a member of csperf_app and nothing more, through the owner's
 * connection, and writes owner_dsn for that user into serving_dsn. *usable
 * is false (serving_dsn untouched) when csperf_app does not exist. */
int store_serving_login(const char *owner_dsn, char *serving_dsn, size_t size, bool *usable,
			status *st);

#endif
