/*
 * comparators.c: published comparator figures, councils' details and
 * statistical neighbours, and the averages computed over neighbours.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_load_comparators(store_pool *pool, int64_t timeout_ms, const store_comparator *rows,
			   size_t count, uint64_t *stored, status *st)
{
	store_conn *c;

	*stored = 0;
	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	if (store_exec(c, "BEGIN", 0, NULL, st) != 0)
		goto fail;
	for (size_t i = 0; i < count; i++) {
		char value[40];
		const char *params[6] = { rows[i].indicator_id, rows[i].area_type, rows[i].area,
					  rows[i].period, value, rows[i].source };

		snprintf(value, sizeof(value), "%.10g", rows[i].value);
		if (store_exec(c,
			    "INSERT INTO comparator (indicator_id, area_type, area, period, value, source) "
			    "VALUES ($1, $2, $3, $4, $5::numeric, $6) ON CONFLICT (indicator_id, area_type, "
			    "area, period) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, "
			    "loaded_at = now()", 6, params, st) != 0)
			goto fail;
		(*stored)++;
	}
	if (store_exec(c, "COMMIT", 0, NULL, st) != 0)
		goto fail;
	store_release(pool, c);
	return 0;
fail:
	*stored = 0;
	store_release(pool, c);
	return -1;
}

int store_put_council(store_pool *pool, int64_t timeout_ms, const char *council,
		      const char *name, const char *nation, const char *region,
		      const char *const *neighbours, size_t nneighbours, unsigned fields,
		      status *st)
{
	/* A field not set is NULL: the stored value (or a new council's default)
	 * stays; $5 says whether the region is set (to a value, or to none). */
	const char *params[5] = {
		council, (fields & STORE_COUNCIL_NAME) ? name : NULL,
		(fields & STORE_COUNCIL_NATION) ? nation : NULL,
		(fields & STORE_COUNCIL_REGION) && region[0] != '\0' ? region : NULL,
		(fields & STORE_COUNCIL_REGION) ? "true" : "false",
	};
	store_conn *c;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	if (store_exec(c, "BEGIN", 0, NULL, st) != 0 ||
	    store_exec(c, "INSERT INTO council (la_code, name, nation, region) VALUES ($1, "
		    "coalesce($2, 'LA ' || $1), coalesce($3, 'england'), $4) "
		    "ON CONFLICT (la_code) DO UPDATE SET name = coalesce($2, council.name), "
		    "nation = coalesce($3, council.nation), "
		    "region = CASE WHEN $5::boolean THEN $4 ELSE council.region END",
		    5, params, st) != 0 ||
	    ((fields & STORE_COUNCIL_NEIGHBOURS) &&
	     store_exec(c, "DELETE FROM council_neighbour WHERE council = $1", 1, params, st) != 0))
		goto fail;
	for (size_t i = 0; i < nneighbours; i++) {
		const char *pair[2] = { council, neighbours[i] };

		if (store_exec(c, "INSERT INTO council_neighbour (council, neighbour) VALUES ($1, $2) "
			    "ON CONFLICT DO NOTHING", 2, pair, st) != 0)
			goto fail;
	}
	if (store_exec(c, "COMMIT", 0, NULL, st) != 0)
		goto fail;
	store_release(pool, c);
	return 0;
fail:
	store_release(pool, c);
	return -1;
}

int store_council_details(store_pool *pool, int64_t timeout_ms, const char *council,
			int (*cb)(const store_council *c, void *ctx), void *ctx, status *st)
{
	const char *params[1] = { council };
	PGresult *res;
	int rc = 0;

	res = store_read(pool, timeout_ms,
		"SELECT k.la_code, k.name, k.nation, coalesce(k.region, ''), "
		" coalesce((SELECT string_agg(n.neighbour, ',' ORDER BY n.neighbour) "
		"           FROM council_neighbour n WHERE n.council = k.la_code), ''), "
		" (SELECT count(*) FROM load l WHERE l.council = k.la_code), "
		" coalesce((SELECT r.data_to::text FROM compute_run r WHERE r.council = k.la_code), '') "
		"FROM council k WHERE $1::text IS NULL OR k.la_code = $1 ORDER BY k.la_code",
		1, params, st);
	if (res == NULL)
		return -1;
	if (council != NULL && PQntuples(res) == 0) {
		PQclear(res);
		return status_set(st, STATUS_NOT_FOUND, "csperfd holds no council %s", council);
	}
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_council k;

		k.council = PQgetvalue(res, row, 0);
		k.name = PQgetvalue(res, row, 1);
		k.nation = PQgetvalue(res, row, 2);
		k.region = PQgetvalue(res, row, 3);
		k.neighbours = PQgetvalue(res, row, 4);
		k.loads = strtoull(PQgetvalue(res, row, 5), NULL, 10);
		k.data_to = PQgetvalue(res, row, 6);
		rc = cb(&k, ctx);
	}
	PQclear(res);
	return rc != 0 ? -1 : 0;
}

int store_delete_council(store_pool *pool, int64_t timeout_ms, const char *council, status *st)
{
	static const char *const cleanup[] = {
		"DELETE FROM compute_pending WHERE council = $1",
		"DELETE FROM compute_indicator WHERE council = $1",
		"DELETE FROM compute_run WHERE council = $1",
		"DELETE FROM indicator_value WHERE council = $1",
		"DELETE FROM council_neighbour WHERE council = $1 OR neighbour = $1",
		"DELETE FROM comparator WHERE area_type = 'statistical_neighbours' AND area = $1",
	};
	const char *params[1] = { council };
	store_conn *c;
	PGresult *res;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	if (store_exec(c, "BEGIN", 0, NULL, st) != 0)
		goto fail;
	/* The council's row first, locked: no load can begin for it meanwhile. */
	res = store_query(c, "SELECT (SELECT count(*) FROM load l WHERE l.council = k.la_code) "
			  "FROM council k WHERE k.la_code = $1 FOR UPDATE", 1, params, st);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		status_set(st, STATUS_NOT_FOUND, "csperfd holds no council %s", council);
		goto fail;   /* store_release rolls back */
	}
	if (strcmp(PQgetvalue(res, 0, 0), "0") != 0) {
		status_set(st, STATUS_FAILED_PRECONDITION, "council %s has %s loads: delete them "
			   "first (csperf loads list, csperf loads delete)", council,
			   PQgetvalue(res, 0, 0));
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	for (size_t i = 0; i < sizeof(cleanup) / sizeof(cleanup[0]); i++)
		if (store_exec(c, cleanup[i], 1, params, st) != 0)
			goto fail;
	if (store_exec(c, "DELETE FROM council WHERE la_code = $1", 1, params, st) != 0 ||
	    store_exec(c, "COMMIT", 0, NULL, st) != 0)
		goto fail;
	store_release(pool, c);
	return 0;
fail:
	store_release(pool, c);
	return -1;
}

int store_published_comparators(store_pool *pool, int64_t timeout_ms, const char *council,
				const char *periods_csv, store_comparator_cb cb, void *ctx, status *st)
{
	const char *params[2] = { council, periods_csv };
	PGresult *res;
	int rc = 0;

	/* England (or Wales, for a Welsh council), the council's region, and its
	 * statistical neighbours as published. */
	res = store_read(pool, timeout_ms,
		"SELECT m.indicator_id, m.area_type, m.area, m.period, m.value::float8, m.source "
		"FROM comparator m JOIN council k ON k.la_code = $1 "
		"WHERE m.period = ANY (string_to_array($2, ',')) AND ("
		" (m.area_type = 'england' AND k.nation = 'england') OR "
		" (m.area_type = 'wales' AND k.nation = 'wales') OR "
		" (m.area_type = 'region' AND m.area = k.region) OR "
		" (m.area_type = 'statistical_neighbours' AND m.area = $1) OR "
		" m.area_type = 'other') "
		"ORDER BY m.indicator_id, m.area_type, m.period DESC", 2, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_comparator m;

		m.indicator_id = PQgetvalue(res, row, 0);
		m.area_type = PQgetvalue(res, row, 1);
		m.area = PQgetvalue(res, row, 2);
		m.period = PQgetvalue(res, row, 3);
		m.value = strtod(PQgetvalue(res, row, 4), NULL);
		m.source = PQgetvalue(res, row, 5);
		rc = cb(&m, ctx);
	}
	PQclear(res);
	return rc;
}
