/*
 * pool.c: a fixed pool of libpq connections, each used by one worker at a
 * time, with the deadline of the call applied as statement_timeout and lost
 * connections re-established on next use.
 */
#include "store_internal.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"

/* With no deadline, a statement may run this long. */
#define DEFAULT_STATEMENT_TIMEOUT_MS (5 * 60 * 1000)

struct store_pool {
	char *dsn;
	const char *application_name;  /* libpq's fallback_application_name, or NULL */
	store_replicas *replicas;      /* replica.c: where reads may go; NULL none */
	int size;
	store_conn *conns;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	store_conn *free_list;
};

/* Whether an idle connection was closed by the server (it restarted, or
 * ended the session): its socket is readable while no query is out (the
 * server's last words, then end of file). libpq would only learn it from
 * the next query, which would fail the call that sent it. */
static bool conn_closed_while_idle(store_conn *c)
{
	struct pollfd p = { PQsocket(c->pg), POLLIN, 0 };

	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		return false;
	return p.fd < 0 || poll(&p, 1, 0) != 0;
}

static int conn_connect(store_conn *c, const store_pool *pool, status *st)
{
	/* expand_dbname: dsn may be key=value pairs or a URI; the name (NULL:
	 * none) only applies when the DSN sets none: pg_stat_activity shows a
	 * replica's csperfd sessions as such. */
	const char *const keywords[] = { "dbname", "fallback_application_name", NULL };
	const char *const values[] = { pool->dsn, pool->application_name, NULL };

	if (c->pg == NULL)
		c->pg = PQconnectdbParams(keywords, values, 1);
	else if (PQstatus(c->pg) == CONNECTION_BAD || conn_closed_while_idle(c))
		PQreset(c->pg);
	else
		return 0;
	c->statement_timeout_ms = -1;
	if (PQstatus(c->pg) != CONNECTION_OK) {
		log_warn("store: cannot connect to the database: %s",
			 PQerrorMessage(c->pg));
		return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	}
	/* The SQL csperfd writes (engine.c's literals among it) is read as
	 * standard SQL whatever an external database's default says. */
	PQclear(PQexec(c->pg, "SET standard_conforming_strings = on"));
	return 0;
}

int store_connect_extra(const store_pool *pool, store_conn *c, status *st)
{
	memset(c, 0, sizeof(*c));
	return conn_connect(c, pool, st);
}

int store_pool_open(store_pool **out, const char *dsn, int size, status *st)
{
	store_pool *pool;

	if (store_pool_open_lazy(&pool, dsn, size, NULL, st) != 0)
		return -1;
	/* Connect one now so that a wrong DSN is known at start-up. */
	if (conn_connect(&pool->conns[0], pool, st) != 0) {
		status_set(st, STATUS_UNAVAILABLE, "cannot connect to the database: %s",
			   store_first_line(PQerrorMessage(pool->conns[0].pg)));
		store_pool_close(pool);
		return -1;
	}
	*out = pool;
	return 0;
}

int store_pool_open_lazy(store_pool **out, const char *dsn, int size,
			 const char *application_name, status *st)
{
	store_pool *pool;

	*out = NULL;
	pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	pool->application_name = application_name;
	pool->size = size < 1 ? 1 : size;
	pool->dsn = strdup(dsn);
	pool->conns = calloc((size_t)pool->size, sizeof(store_conn));
	pthread_mutex_init(&pool->mu, NULL);
	pthread_cond_init(&pool->cv, NULL);
	if (pool->dsn == NULL || pool->conns == NULL) {
		store_pool_close(pool);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	for (int i = 0; i < pool->size; i++) {
		pool->conns[i].next = pool->free_list;
		pool->free_list = &pool->conns[i];
	}
	*out = pool;
	return 0;
}

int store_pool_open_deferred(store_pool **out, const char *dsn, int size, status *st)
{
	return store_pool_open_lazy(out, dsn, size, "csperfd", st);
}

const char *store_pool_dsn(const store_pool *pool)
{
	return pool->dsn;
}

store_replicas **store_pool_replicas(store_pool *pool)
{
	return &pool->replicas;
}

void store_pool_close(store_pool *pool)
{
	if (pool == NULL)
		return;
	store_replicas_free(pool->replicas);
	for (int i = 0; pool->conns != NULL && i < pool->size; i++)
		if (pool->conns[i].pg != NULL)
			PQfinish(pool->conns[i].pg);
	pthread_mutex_destroy(&pool->mu);
	pthread_cond_destroy(&pool->cv);
	free(pool->conns);
	free(pool->dsn);
	free(pool);
}

static int set_statement_timeout(store_conn *c, int64_t timeout_ms, status *st)
{
	char sql[64];
	PGresult *res;

	if (timeout_ms == INT64_MAX || timeout_ms > DEFAULT_STATEMENT_TIMEOUT_MS)
		timeout_ms = DEFAULT_STATEMENT_TIMEOUT_MS;
	if (timeout_ms < 1)
		timeout_ms = 1;
	/* The session's timeout may stay while it is no longer than the call's
	 * deadline and not much shorter: a SET per call for a deadline that
	 * moved by a millisecond is a round trip for nothing. A new one leaves
	 * a tenth of room, so that the next calls' deadlines keep it. (The
	 * call's deadline itself is enforced by cancelling its work.) */
	if (c->statement_timeout_ms == timeout_ms ||
	    (timeout_ms != DEFAULT_STATEMENT_TIMEOUT_MS && c->statement_timeout_ms > 0 &&
	     c->statement_timeout_ms <= timeout_ms &&
	     c->statement_timeout_ms >= timeout_ms - timeout_ms / 5))
		return 0;
	if (timeout_ms != DEFAULT_STATEMENT_TIMEOUT_MS)
		timeout_ms -= timeout_ms / 10;
	snprintf(sql, sizeof(sql), "SET statement_timeout = %lld", (long long)timeout_ms);
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_result_status(c, res, st);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	c->statement_timeout_ms = timeout_ms;
	return 0;
}

int store_acquire(store_pool *pool, int64_t timeout_ms, store_conn **out,
		  status *st)
{
	struct timespec until;
	store_conn *c;

	*out = NULL;
	clock_gettime(CLOCK_REALTIME, &until);
	if (timeout_ms != INT64_MAX) {
		until.tv_sec += timeout_ms / 1000;
		until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&pool->mu);
	while (pool->free_list == NULL) {
		int rc = timeout_ms == INT64_MAX
			? pthread_cond_wait(&pool->cv, &pool->mu)
			: pthread_cond_timedwait(&pool->cv, &pool->mu, &until);
		if (rc == ETIMEDOUT) {
			pthread_mutex_unlock(&pool->mu);
			return status_set(st, STATUS_DEADLINE_EXCEEDED,
					  "deadline exceeded waiting for a database connection");
		}
	}
	c = pool->free_list;
	pool->free_list = c->next;
	pthread_mutex_unlock(&pool->mu);

	if (conn_connect(c, pool, st) != 0 ||
	    set_statement_timeout(c, timeout_ms, st) != 0 ||
	    store_cancel_attach(c, st) != 0) {
		store_release(pool, c);
		return -1;
	}
	*out = c;
	return 0;
}

void store_release(store_pool *pool, store_conn *c)
{
	store_cancel_detach(c);
	/* A connection left in pipeline mode (a recompute whose pipeline broke
	 * off, store/compute_batch.c) is closed: the next acquire connects
	 * afresh. */
	if (c->pg != NULL && PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	/* A connection left inside a transaction (a failed handler) is reset
	 * rather than handed on in that state. */
	if (c->pg != NULL && PQtransactionStatus(c->pg) != PQTRANS_IDLE &&
	    PQstatus(c->pg) == CONNECTION_OK) {
		PGresult *res = PQexec(c->pg, "ROLLBACK");
		PQclear(res);
	}
	pthread_mutex_lock(&pool->mu);
	c->next = pool->free_list;
	pool->free_list = c;
	pthread_cond_signal(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

const char *store_first_line(const char *text)
{
	static __thread char line[256];
	size_t n = 0;

	if (text == NULL)
		return "";
	while (text[n] != '\0' && text[n] != '\n' && n < sizeof(line) - 1) {
		line[n] = text[n];
		n++;
	}
	line[n] = '\0';
	return line;
}

int store_result_status(store_conn *c, const PGresult *res, status *st)
{
	const char *sqlstate = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	/* Lost connections, and a server shutting down or starting up. */
	if (c->pg == NULL || PQstatus(c->pg) == CONNECTION_BAD || sqlstate == NULL ||
	    strncmp(sqlstate, "57P", 3) == 0) {
		log_warn("store: the database connection failed: %s",
			 store_first_line(PQerrorMessage(c->pg)));
		return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	}
	/* 57014 is both statement_timeout and a cancel request: a cancel this
	 * thread's call asked for (its client went, or csperfd is stopping) is
	 * a cancellation, not a deadline. */
	if (strcmp(sqlstate, "57014") == 0 && store_cancel_fired())
		return status_set(st, STATUS_CANCELLED,
				  "cancelled while the database was working");
	if (strcmp(sqlstate, "57014") == 0)
		return status_set(st, STATUS_DEADLINE_EXCEEDED,
				  "deadline exceeded while the database was working");
	if (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0)
		return status_set(st, STATUS_ABORTED,
				  "the database aborted the transaction; try again");
	log_error("store: SQLSTATE %s: %s", sqlstate,
		  store_first_line(PQresultErrorMessage(res)));
	return status_set(st, STATUS_INTERNAL, "internal database error (SQLSTATE %s)",
			  sqlstate);
}

PGresult *store_query(store_conn *c, const char *sql, int nparams,
		      const char *const *params, status *st)
{
	PGresult *res = PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType rs = PQresultStatus(res);

	if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK)
		return res;
	store_result_status(c, res, st);
	PQclear(res);
	return NULL;
}

int store_exec(store_conn *c, const char *sql, int nparams, const char *const *params,
	       status *st)
{
	PGresult *res = store_query(c, sql, nparams, params, st);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

PGresult *store_read(store_pool *pool, int64_t timeout_ms, const char *sql, int nparams,
		     const char *const *params, status *st)
{
	store_conn *c;
	PGresult *res;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return NULL;
	res = store_query(c, sql, nparams, params, st);
	store_release(pool, c);
	return res;
}

/* Runs a read with one retry on a fresh connection: a connection that died
 * while idle (the database restarted) only shows it when next used. */
static PGresult *read_with_retry(store_pool *pool, int64_t timeout_ms,
				 const char *sql, status *st)
{
	store_conn *c;
	PGresult *res;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (store_acquire(pool, timeout_ms, &c, st) != 0)
			return NULL;
		res = store_query(c, sql, 0, NULL, st);
		store_release(pool, c);
		if (res != NULL || st->code != STATUS_UNAVAILABLE)
			return res;
	}
	return NULL;
}

int store_ping(store_pool *pool, int64_t timeout_ms, status *st)
{
	PGresult *res = read_with_retry(pool, timeout_ms, "SELECT 1", st);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int store_get_info(store_pool *pool, int64_t timeout_ms, store_info *out,
		   status *st)
{
	PGresult *res = read_with_retry(
		pool, timeout_ms,
		"SELECT coalesce(max(version), 0), current_setting('server_version')"
		" FROM schema_migrations",
		st);

	if (res == NULL)
		return -1;
	out->schema_version = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(out->server_version, sizeof(out->server_version), "%s",
		 PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}
