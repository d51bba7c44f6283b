/*
 * access.c: access tokens and the audit trail in PostgreSQL.
 *
 * Lists travel as one text each: council codes joined by commas, localities
 * by the unit separator 0x1f (neither can contain its separator: codes are
 * letters and digits, localities have no control characters), so that no
 * array literal is ever quoted by hand.
 */
#include "store_internal.h"
#include "store_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"

#define LOCALITY_SEPARATOR "\x1f"

/* The columns every token query returns, in the order row_to_principal reads. */
#define TOKEN_COLUMNS \
	"id, name, role, array_to_string(councils, ','), " \
	"array_to_string(localities, E'\\x1f'), " \
	"to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " \
	"created_by, " \
	"coalesce(to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

/* Splits text at sep into up to max items of size item_size each. */
static size_t split_list(const char *text, char sep, char *items, size_t item_size, size_t max)
{
	size_t n = 0;
	const char *start = text;

	if (text[0] == '\0')
		return 0;
	for (const char *p = text;; p++) {
		if (*p != sep && *p != '\0')
			continue;
		if (n < max) {
			size_t len = (size_t)(p - start);

			if (len >= item_size)
				len = item_size - 1;
			memcpy(items + n * item_size, start, len);
			items[n * item_size + len] = '\0';
			n++;
		}
		if (*p == '\0')
			break;
		start = p + 1;
	}
	return n;
}

static void row_to_principal(const PGresult *res, int row, auth_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
	snprintf(p->name, sizeof(p->name), "%s", PQgetvalue(res, row, 1));
	p->role = auth_role_parse(PQgetvalue(res, row, 2));
	p->ncouncils = split_list(PQgetvalue(res, row, 3), ',', &p->councils[0][0],
				  sizeof(p->councils[0]), AUTH_MAX_COUNCILS);
	p->nlocalities = split_list(PQgetvalue(res, row, 4), LOCALITY_SEPARATOR[0],
				    &p->localities[0][0], sizeof(p->localities[0]),
				    AUTH_MAX_LOCALITIES);
}

/* Calls cb for each row of a TOKEN_COLUMNS result. */
static int each_token(const PGresult *res, store_token_cb cb, void *ctx)
{
	auth_principal principal;
	store_token_row row;
	int rc = 0;

	row.principal = &principal;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		row_to_principal(res, i, &principal);
		row.created_at = PQgetvalue(res, i, 5);
		row.created_by = PQgetvalue(res, i, 6);
		row.revoked_at = PQgetvalue(res, i, 7);
		rc = cb(&row, ctx);
	}
	return rc;
}

/* Runs one statement on a pooled connection, retried once on a fresh one:
 * a connection that died while idle only shows it when used. */
static PGresult *run_with_retry(store_pool *pool, int64_t timeout_ms, const char *sql,
				int nparams, const char *const *params, status *st)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		store_conn *c;
		PGresult *res;

		if (store_acquire(pool, timeout_ms, &c, st) != 0)
			return NULL;
		res = store_query(c, sql, nparams, params, st);
		store_release(pool, c);
		if (res != NULL || st->code != STATUS_UNAVAILABLE)
			return res;
	}
	return NULL;
}

int store_token_find(store_pool *pool, int64_t timeout_ms, const char *token_sha256,
		     auth_principal *out, bool *found, status *st)
{
	const char *params[1] = { token_sha256 };
	PGresult *res;

	*found = false;
	res = run_with_retry(pool, timeout_ms,
			     "SELECT " TOKEN_COLUMNS " FROM access_token"
			     " WHERE token_sha256 = $1 AND revoked_at IS NULL",
			     1, params, st);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		row_to_principal(res, 0, out);
		*found = out->role != AUTH_ROLE_NONE;
	}
	PQclear(res);
	return 0;
}

/* Joins n items of item_size bytes with sep into a malloc'd string. */
static char *join_list(const char *items, size_t item_size, size_t n, const char *sep)
{
	size_t size = 1;
	char *out;

	for (size_t i = 0; i < n; i++)
		size += strlen(items + i * item_size) + strlen(sep);
	out = malloc(size);
	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, sep);
		strcat(out, items + i * item_size);
	}
	return out;
}

int store_token_insert(store_pool *pool, int64_t timeout_ms, const auth_principal *p,
		       const char *token_sha256, const char *created_by,
		       store_token_cb cb, void *ctx, status *st)
{
	char *councils = join_list(&p->councils[0][0], sizeof(p->councils[0]), p->ncouncils, ",");
	char *localities = join_list(&p->localities[0][0], sizeof(p->localities[0]),
				     p->nlocalities, LOCALITY_SEPARATOR);
	const char *params[6] = { p->name, auth_role_name(p->role), councils, localities,
				  token_sha256, created_by };
	PGresult *res = NULL;
	int rc = -1;

	if (councils == NULL || localities == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	/* Not retried: an insert that reached the database must not run twice. */
	{
		store_conn *c;

		if (store_acquire(pool, timeout_ms, &c, st) != 0)
			goto cleanup;
		res = store_query(c,
				  "INSERT INTO access_token (name, role, councils, localities,"
				  " token_sha256, created_by)"
				  " VALUES ($1, $2, string_to_array($3, ','),"
				  " string_to_array($4, E'\\x1f'), $5, $6)"
				  " RETURNING " TOKEN_COLUMNS, 6, params, st);
		store_release(pool, c);
	}
	if (res == NULL)
		goto cleanup;
	each_token(res, cb, ctx);
	rc = 0;
cleanup:
	PQclear(res);
	free(councils);
	free(localities);
	return rc;
}

int store_token_list(store_pool *pool, int64_t timeout_ms, bool include_revoked,
		     store_token_cb cb, void *ctx, status *st)
{
	PGresult *res = run_with_retry(pool, timeout_ms,
				       include_revoked
				       ? "SELECT " TOKEN_COLUMNS " FROM access_token ORDER BY id"
				       : "SELECT " TOKEN_COLUMNS " FROM access_token"
					 " WHERE revoked_at IS NULL ORDER BY id",
				       0, NULL, st);

	if (res == NULL)
		return -1;
	each_token(res, cb, ctx);
	PQclear(res);
	return 0;
}

int store_token_revoke(store_pool *pool, int64_t timeout_ms, int64_t id,
		       store_token_cb cb, void *ctx, status *st)
{
	char id_text[32];
	const char *params[1] = { id_text };
	store_conn *c;
	PGresult *res = NULL;
	int rc = -1;

	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	res = store_query(c, "BEGIN", 0, NULL, st);
	if (res == NULL)
		goto cleanup;
	PQclear(res);
	/* Two admins revoking the last two admin tokens at once must not both
	 * succeed: revocations take turns. */
	res = store_query(c, "SELECT pg_advisory_xact_lock(hashtext('csperf-token-revoke'))",
			  0, NULL, st);
	if (res == NULL)
		goto cleanup;
	PQclear(res);
	res = store_query(c,
			  "SELECT role = 'admin' AND revoked_at IS NULL AND"
			  " (SELECT count(*) FROM access_token"
			  "  WHERE role = 'admin' AND revoked_at IS NULL) <= 1"
			  " FROM access_token WHERE id = $1", 1, params, st);
	if (res == NULL)
		goto cleanup;
	if (PQntuples(res) == 0) {
		status_set(st, STATUS_NOT_FOUND, "there is no token %lld", (long long)id);
		goto cleanup;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		status_set(st, STATUS_FAILED_PRECONDITION,
			   "token %lld is the last valid admin token: create another admin "
			   "token first", (long long)id);
		goto cleanup;
	}
	PQclear(res);
	res = store_query(c,
			  "UPDATE access_token SET revoked_at = coalesce(revoked_at, now())"
			  " WHERE id = $1 RETURNING " TOKEN_COLUMNS, 1, params, st);
	if (res == NULL)
		goto cleanup;
	each_token(res, cb, ctx);
	PQclear(res);
	res = store_query(c, "COMMIT", 0, NULL, st);
	if (res == NULL)
		goto cleanup;
	rc = 0;
cleanup:
	PQclear(res);
	/* store_release rolls back what was left open. */
	store_release(pool, c);
	return rc;
}

int store_audit_append(store_pool *pool, int64_t timeout_ms, const store_audit_entry *e,
		       status *st)
{
	char principal_id[32], rows[32];
	const char *params[8];
	PGresult *res;

	store_audit_params(e, principal_id, rows, params);
	res = run_with_retry(pool, timeout_ms,
			     "INSERT INTO audit_log (principal_id, principal_name, method, council,"
			     " parameters, rows_returned, status, peer)"
			     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8, params, st);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int store_audit_query(store_pool *pool, int64_t timeout_ms, const store_audit_filter *f,
		      store_audit_cb cb, void *ctx, status *st)
{
	char limit[16];
	const char *params[4] = { f->since, f->principal, f->council, limit };
	store_audit_entry entry;
	PGresult *res;
	int rc = 0;

	snprintf(limit, sizeof(limit), "%d", f->limit);
	res = run_with_retry(pool, timeout_ms,
			     "SELECT id,"
			     " to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
			     " coalesce(principal_id, 0), coalesce(principal_name, ''), method,"
			     " coalesce(council, ''), parameters, coalesce(rows_returned, -1),"
			     " status, peer"
			     " FROM audit_log"
			     " WHERE ($1::timestamptz IS NULL OR at >= $1::timestamptz)"
			     " AND ($2::text IS NULL OR principal_name = $2)"
			     " AND ($3::text IS NULL OR council = $3)"
			     " ORDER BY id DESC LIMIT $4::integer", 4, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		entry.id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
		entry.at = PQgetvalue(res, row, 1);
		entry.principal_id = strtoll(PQgetvalue(res, row, 2), NULL, 10);
		entry.principal_name = PQgetvalue(res, row, 3);
		entry.method = PQgetvalue(res, row, 4);
		entry.council = PQgetvalue(res, row, 5);
		entry.parameters = PQgetvalue(res, row, 6);
		entry.rows = strtoll(PQgetvalue(res, row, 7), NULL, 10);
		entry.status = PQgetvalue(res, row, 8);
		entry.peer = PQgetvalue(res, row, 9);
		rc = cb(&entry, ctx);
	}
	PQclear(res);
	return 0;
}

int store_serving_login(const char *owner_dsn, char *serving_dsn, size_t size, bool *usable,
			status *st)
{
	PGconn *pg = PQconnectdb(owner_dsn);
	PGresult *res = NULL;
	int rc = -1;

	*usable = false;
	if (PQstatus(pg) != CONNECTION_OK) {
		status_set(st, STATUS_UNAVAILABLE, "cannot connect to the database: %s",
			   store_first_line(PQerrorMessage(pg)));
		goto cleanup;
	}
	res = PQexec(pg,
		     "DO $$ BEGIN"
		     " IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app')"
		     " AND NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" STORE_SERVING_LOGIN "')"
		     " THEN CREATE ROLE " STORE_SERVING_LOGIN " LOGIN IN ROLE csperf_app;"
		     " END IF; END $$");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		status_set(st, STATUS_FAILED_PRECONDITION, "cannot make the login %s: %s",
			   STORE_SERVING_LOGIN, store_first_line(PQresultErrorMessage(res)));
		goto cleanup;
	}
	PQclear(res);
	res = PQexec(pg, "SELECT pg_has_role('" STORE_SERVING_LOGIN "', 'csperf_app', 'USAGE')"
		     " FROM pg_roles WHERE rolname = '" STORE_SERVING_LOGIN "' AND rolcanlogin"
		     " AND NOT rolsuper");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		status_set(st, STATUS_FAILED_PRECONDITION, "cannot check the login %s: %s",
			   STORE_SERVING_LOGIN, store_first_line(PQresultErrorMessage(res)));
		goto cleanup;
	}
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		/* In a connection string the last value of a keyword wins. */
		if (snprintf(serving_dsn, size, "%s user=%s", owner_dsn, STORE_SERVING_LOGIN) >=
		    (int)size) {
			status_set(st, STATUS_FAILED_PRECONDITION, "the database address is too long");
			goto cleanup;
		}
		*usable = true;
	}
	rc = 0;
cleanup:
	PQclear(res);
	PQfinish(pg);
	return rc;
}
