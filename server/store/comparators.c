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
		      const char *const *neighbours, size_t nneighbours, status *st)
{
	const char *params[4] = { council, name, nation, region[0] != '\0' ? region : NULL };
	store_conn *c;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	if (store_exec(c, "BEGIN", 0, NULL, st) != 0 ||
	    store_exec(c, "INSERT INTO council (la_code, name, nation, region) VALUES ($1, $2, $3, $4) "
		    "ON CONFLICT (la_code) DO UPDATE SET name = $2, nation = $3, region = $4",
		    4, params, st) != 0 ||
	    store_exec(c, "DELETE FROM council_neighbour WHERE council = $1", 1, params, st) != 0)
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
