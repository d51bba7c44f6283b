/*
 * store_internal.h: what the store's own files share: a pooled connection and
 * the helpers that turn libpq results into statuses.
 */
#ifndef CSPERF_SERVER_STORE_INTERNAL_H
#define CSPERF_SERVER_STORE_INTERNAL_H

#include <time.h>

#include <libpq-fe.h>

#include "store.h"

typedef struct store_conn {
	PGconn *pg;
	int64_t statement_timeout_ms;  /* what the session has now, -1 unknown */
	struct store_conn *next;       /* free list */
} store_conn;

/* A pool whose connections are made on first use (a replica that is down
 * when csperfd starts is not an error). application_name (NULL: none) is
 * kept, not copied. */
int store_pool_open_lazy(store_pool **out, const char *dsn, int size,
			 const char *application_name, status *st);

/* replica.c: the streaming replicas reads may use, owned by the primary's
 * pool (store_pool_close frees them). */
typedef struct store_replicas store_replicas;
store_replicas **store_pool_replicas(store_pool *pool);
void store_replicas_free(store_replicas *replicas);

/* cancel.c: registers a connection the calling thread has just acquired
 * with the thread's armed scope (CANCELLED if its call was cancelled), and
 * forgets it when given back. */
int store_cancel_attach(store_conn *c, status *st);
void store_cancel_detach(store_conn *c);
/* Whether this thread's call was cancelled (store_cancel_fire) while armed. */
bool store_cancel_fired(void);

/* Takes a connection, waiting up to timeout_ms for one, connected and with
 * statement_timeout set to timeout_ms (capped). */
int store_acquire(store_pool *pool, int64_t timeout_ms, store_conn **out,
		  status *st);
void store_release(store_pool *pool, store_conn *c);

/* Runs sql with text parameters; returns the result (PQclear it) or NULL
 * with st filled. */
PGresult *store_query(store_conn *c, const char *sql, int nparams,
		      const char *const *params, status *st);

/* store_query for a statement whose rows, if any, are not wanted: 0, or -1
 * with st filled. */
int store_exec(store_conn *c, const char *sql, int nparams, const char *const *params,
	       status *st);

/* One statement on a pooled connection, taken and given back: the result
 * (PQclear it) or NULL with st filled. */
PGresult *store_read(store_pool *pool, int64_t timeout_ms, const char *sql, int nparams,
		     const char *const *params, status *st);

/* Maps a failed result to a status safe for clients; logs the detail. */
int store_result_status(store_conn *c, const PGresult *res, status *st);

/* A connection of the pool's database outside the pool (a recompute's
 * second lane, store/compute_lane.c): 0, or -1 with st filled; PQfinish
 * c->pg when done. */
int store_connect_extra(const store_pool *pool, store_conn *c, status *st);

/* Writes value as a field of COPY's text format (backslash, tab, newline
 * and carriage return escaped) into out (room for twice its length);
 * returns the bytes written. */
size_t store_copy_escape(char *out, const char *value);

/* The first line of a libpq message, in a thread-local buffer. */
const char *store_first_line(const char *text);

/* org_units.c: within c's open transaction, shadows the child-level record
 * views with the org unit's records (nothing for the council). The
 * transaction must end in ROLLBACK. */
int store_org_scope(store_conn *c, const char *council, const store_org_unit *unit, status *st);

#endif
