/*
 * org_units.c: a council's org units below the council (its localities and
 * teams, as the records name them) and the children each holds; and the
 * computation of an org unit's figures on request.
 *
 * An org unit's figures are the council's rules over the records of the org
 * unit's children only. Rather than a second copy of every kind's SQL, the
 * transaction that computes them shadows each child-level record view with a
 * temporary view of the same name holding only those records (temporary
 * relations come first in PostgreSQL's search path, and the engine names the
 * views unqualified): the engine's SQL, derived facts included, then reads
 * the org unit where it read the council. Temporary views outlive their
 * transaction, so every transaction that makes them ends in ROLLBACK
 * (store_release rolls back whatever is left open): a pooled connection
 * never keeps them. Which records belong to an org unit is documented in
 * docs/indicators.md ("Figures by org unit").
 */
#include "compute_internal.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../strbuf.h"
#include "schema.h"

const char *store_org_kind_name(store_org_kind kind)
{
	switch (kind) {
	case STORE_ORG_LOCALITY:
		return "locality";
	case STORE_ORG_TEAM:
		return "team";
	default:
		return "council";
	}
}

/* The org units of council $1 and how many children each holds. */
static const char org_units_sql[] =
	"SELECT 'locality', locality, count(DISTINCT child_id)::text FROM placement_cost "
	"WHERE council = $1 AND locality IS NOT NULL GROUP BY locality "
	"UNION ALL SELECT 'team', team, count(DISTINCT child_id)::text FROM ("
	" SELECT team, child_id FROM contact WHERE council = $1 AND team IS NOT NULL"
	" UNION ALL SELECT team, child_id FROM early_help WHERE council = $1 AND team IS NOT NULL"
	") t GROUP BY team ORDER BY 1, 2";

int store_org_units(store_pool *pool, int64_t timeout_ms, const char *council,
		    store_org_unit_cb cb, void *ctx, status *st)
{
	const char *params[1] = { council };
	PGresult *res = store_read(pool, timeout_ms, org_units_sql, 1, params, st);
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++)
		rc = cb(strcmp(PQgetvalue(res, row, 0), "locality") == 0 ? STORE_ORG_LOCALITY :
			STORE_ORG_TEAM, PQgetvalue(res, row, 1), atol(PQgetvalue(res, row, 2)), ctx);
	PQclear(res);
	return rc;
}

/* The children of an org unit ($1 council, $2 name): a locality's are those
 * its placement cost lines name (as for tokens narrowed to localities,
 * store_locality_children); a team's, those with a contact or an early help
 * episode the team handled. */
static const char *members_sql(store_org_kind kind)
{
	if (kind == STORE_ORG_LOCALITY)
		return "INSERT INTO pg_temp.org_scope SELECT DISTINCT child_id FROM placement_cost "
		       "WHERE council = $1 AND locality = $2";
	return "INSERT INTO pg_temp.org_scope SELECT child_id FROM contact WHERE council = $1 AND "
	       "team = $2 UNION SELECT child_id FROM early_help WHERE council = $1 AND team = $2";
}

int store_org_unit_exists(store_pool *pool, int64_t timeout_ms, const char *council,
			  const store_org_unit *unit, bool *exists, status *st)
{
	const char *params[2] = { council, unit->name };
	PGresult *res;

	*exists = false;
	if (unit->kind == STORE_ORG_COUNCIL) {
		*exists = true;
		return 0;
	}
	res = store_read(pool, timeout_ms, unit->kind == STORE_ORG_LOCALITY
		? "SELECT EXISTS (SELECT 1 FROM placement_cost WHERE council = $1 AND locality = $2)"
		: "SELECT EXISTS (SELECT 1 FROM contact WHERE council = $1 AND team = $2) OR EXISTS "
		  "(SELECT 1 FROM early_help WHERE council = $1 AND team = $2)", 2, params, st);
	if (res == NULL)
		return -1;
	*exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

int store_org_scope(store_conn *c, const char *council, const store_org_unit *unit, status *st)
{
	const char *params[2] = { council, unit->name };
	int rc;

	if (unit->kind == STORE_ORG_COUNCIL)
		return 0;
	if (store_exec(c, "CREATE TEMP TABLE org_scope (child_id text PRIMARY KEY) ON COMMIT DROP",
		       0, NULL, st) != 0 ||
	    store_exec(c, "CREATE TEMP TABLE org_unit_name ON COMMIT DROP AS SELECT ''::text AS name",
		       0, NULL, st) != 0 ||
	    store_exec(c, "UPDATE pg_temp.org_unit_name SET name = $1", 1, params + 1, st) != 0 ||
	    store_exec(c, members_sql(unit->kind), 2, params, st) != 0)
		return -1;
	/* Each child-level view, shadowed by its org unit's records. A team's
	 * contacts and early help episodes are the ones it handled itself. */
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		strbuf b = STRBUF_INIT;

		if (schema == NULL)
			continue;
		if (csperf_schema_field_index(schema, "child_id") >= 0) {
			strbuf_add(&b, "CREATE TEMP VIEW %s AS SELECT * FROM public.%s WHERE child_id IN "
				   "(SELECT child_id FROM pg_temp.org_scope)", schema->name, schema->name);
			if (unit->kind == STORE_ORG_TEAM &&
			    csperf_schema_field_index(schema, "team") >= 0)
				strbuf_add(&b, " AND team = (SELECT name FROM pg_temp.org_unit_name)");
		} else if (t == CSPERF_RECORD_REPORTED_FIGURE || t == CSPERF_RECORD_POPULATION) {
			/* Reported figures and population estimates are the
			 * council's: an org unit has none. */
			strbuf_add(&b, "CREATE TEMP VIEW %s AS SELECT * FROM public.%s WHERE false",
				   schema->name, schema->name);
		} else {
			continue;
		}
		if (b.failed || b.text == NULL)
			rc = status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		else
			rc = store_exec(c, b.text, 0, NULL, st);
		free(b.text);
		if (rc != 0)
			return -1;
	}
	return store_exec(c, "ANALYZE pg_temp.org_scope", 0, NULL, st);
}

int store_compute_begin_org(store_pool *pool, int64_t timeout_ms, const char *council,
			    const store_org_unit *unit, char from[16], char to[16],
			    store_compute **out, status *st)
{
	store_compute *cmp;
	PGresult *res;

	*out = NULL;
	if (store_data_range(pool, timeout_ms, council, from, to, st) != 0)
		return -1;
	if ((cmp = calloc(1, sizeof(*cmp))) == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	cmp->pool = pool;
	clock_gettime(CLOCK_MONOTONIC, &cmp->started);
	snprintf(cmp->council, sizeof(cmp->council), "%s", council);
	if (store_acquire(pool, timeout_ms, &cmp->conn, st) != 0) {
		free(cmp);
		return -1;
	}
	PQclear(PQexec(cmp->conn->pg, "SET client_min_messages = warning"));
	/* One snapshot for every indicator: a load committing meanwhile is
	 * seen by all of them or by none (the read cache keeps the reply only
	 * if no change came during it). */
	if ((res = store_query(cmp->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL,
			       st)) == NULL)
		goto fail;
	PQclear(res);
	PQclear(PQexec(cmp->conn->pg, "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off"));
	if (store_org_scope(cmp->conn, council, unit, st) != 0)
		goto fail;
	*out = cmp;
	return 0;
fail:
	store_release(pool, cmp->conn);
	free(cmp);
	return -1;
}

int store_compute_rows(store_compute *cmp, const char *indicator_id, const char *period_types,
		       const char *sql, int (*cb)(const struct store_series_row *row, void *ctx),
		       void *ctx, status *st)
{
	const char *params[3] = { cmp->council, indicator_id, period_types };
	char *statement;
	size_t size = strlen(sql) + 1024;
	PGresult *res;
	int rc = 0;

	if ((statement = malloc(size)) == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	snprintf(statement, size,
		 "SELECT q.label, p.start_date::text, p.end_date::text, q.breakdown, "
		 "q.numerator::float8, q.denominator::float8, q.value::float8, p.end_date > '%s', "
		 "p.period_type FROM (%s) q JOIN pg_temp.engine_period p ON p.label = q.label "
		 "WHERE p.period_type = ANY (string_to_array($3, ',')) AND $2::text IS NOT NULL "
		 "ORDER BY p.end_date, q.breakdown", cmp->data_to, sql);
	cmp->indicators++;
	PQclear(PQexec(cmp->conn->pg, "SAVEPOINT indicator"));
	res = store_query(cmp->conn, statement, 3, params, st);
	free(statement);
	if (res == NULL) {
		/* One faulty definition costs its own figures only, as in a
		 * recompute. */
		cmp->failures++;
		PQclear(PQexec(cmp->conn->pg, "ROLLBACK TO SAVEPOINT indicator"));
		return -1;
	}
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_series_row r;

		r.period = PQgetvalue(res, row, 0);
		r.period_start = PQgetvalue(res, row, 1);
		r.period_end = PQgetvalue(res, row, 2);
		r.breakdown = PQgetvalue(res, row, 3);
		r.numerator = PQgetisnull(res, row, 4) ? NULL : PQgetvalue(res, row, 4);
		r.denominator = PQgetisnull(res, row, 5) ? NULL : PQgetvalue(res, row, 5);
		r.value = PQgetisnull(res, row, 6) ? NULL : PQgetvalue(res, row, 6);
		r.provisional = PQgetvalue(res, row, 7)[0] == 't';
		r.version = 0;
		rc = cb(&r, ctx);
		cmp->values++;
	}
	PQclear(res);
	PQclear(PQexec(cmp->conn->pg, "RELEASE SAVEPOINT indicator"));
	return rc;
}
