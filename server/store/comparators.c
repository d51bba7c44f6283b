/*
 * comparators.c: published comparator figures, councils' details and
 * statistical neighbours, and the averages computed over neighbours.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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

/* ---- the DfE's published statistics ---- */

void store_dfe_mapping_free(store_dfe_mapping *mapping)
{
	if (mapping == NULL)
		return;
	for (size_t i = 0; i < mapping->nkinds; i++) {
		free(mapping->kinds[i].kind);
		free(mapping->kinds[i].title);
		for (size_t c = 0; c < mapping->kinds[i].ncolumns; c++)
			free(mapping->kinds[i].columns[c]);
		free(mapping->kinds[i].columns);
	}
	free(mapping->kinds);
	for (size_t i = 0; i < mapping->nmeasures; i++) {
		store_dfe_measure *m = &mapping->measures[i];

		free(m->kind);
		free(m->indicator_id);
		free(m->measure_column);
		for (size_t f = 0; f < m->nfilters; f++) {
			free(m->filter_columns[f]);
			free(m->filter_values[f]);
		}
		for (size_t f = 0; f < m->nplus; f++)
			free(m->plus_columns[f]);
		for (size_t f = 0; f < m->nper; f++)
			free(m->per_columns[f]);
	}
	free(mapping->measures);
	memset(mapping, 0, sizeof(*mapping));
}

static int read_kinds(store_pool *pool, int64_t timeout_ms, store_dfe_mapping *out, status *st)
{
	PGresult *res = store_read(pool, timeout_ms,
		"SELECT k.kind, k.title, k.neighbours, c.col FROM dfe_file_kind k, "
		"unnest(k.columns) WITH ORDINALITY AS c (col, n) ORDER BY k.kind, c.n", 0, NULL, st);
	int rows;

	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	out->kinds = calloc((size_t)rows + 1, sizeof(*out->kinds));
	if (out->kinds == NULL)
		goto oom;
	for (int r = 0; r < rows; r++) {
		store_dfe_kind *k = out->nkinds > 0 ? &out->kinds[out->nkinds - 1] : NULL;

		if (k == NULL || strcmp(k->kind, PQgetvalue(res, r, 0)) != 0) {
			k = &out->kinds[out->nkinds++];
			k->kind = strdup(PQgetvalue(res, r, 0));
			k->title = strdup(PQgetvalue(res, r, 1));
			k->neighbours = PQgetvalue(res, r, 2)[0] == 't';
			k->columns = calloc((size_t)rows, sizeof(*k->columns));
			if (k->kind == NULL || k->title == NULL || k->columns == NULL)
				goto oom;
		}
		k->columns[k->ncolumns] = strdup(PQgetvalue(res, r, 3));
		if (k->columns[k->ncolumns++] == NULL)
			goto oom;
	}
	PQclear(res);
	return 0;
oom:
	PQclear(res);
	return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
}

/* "a\x1fb" into columns (at most STORE_DFE_MAX_FILTERS; more are ignored,
 * and the migration's CHECK forbids them). -1 when out of memory. */
static int split_columns(const char *text, char **out, size_t *count)
{
	*count = 0;
	while (*text != '\0' && *count < STORE_DFE_MAX_FILTERS) {
		const char *end = strchr(text, '\x1f');
		size_t len = end != NULL ? (size_t)(end - text) : strlen(text);

		out[*count] = strndup(text, len);
		if (out[*count] == NULL)
			return -1;
		(*count)++;
		text += len + (end != NULL ? 1 : 0);
	}
	return 0;
}

static int read_measures(store_pool *pool, int64_t timeout_ms, store_dfe_mapping *out,
			 status *st)
{
	PGresult *res = store_read(pool, timeout_ms,
		"SELECT m.kind, m.indicator_id, m.measure_column, m.scale::float8, m.filters::text, "
		"f.key, f.value, array_to_string(m.plus_columns, E'\\x1f'), "
		"array_to_string(m.per_columns, E'\\x1f') FROM dfe_measure m LEFT JOIN LATERAL jsonb_each_text(m.filters) f "
		"ON true ORDER BY m.kind, m.indicator_id, m.measure_column, m.filters::text, f.key",
		0, NULL, st);
	char last[1024] = "";
	int rows;

	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	out->measures = calloc((size_t)rows + 1, sizeof(*out->measures));
	if (out->measures == NULL)
		goto oom;
	for (int r = 0; r < rows; r++) {
		char key[1024];
		store_dfe_measure *m;

		snprintf(key, sizeof(key), "%s\x1f%s\x1f%s\x1f%s", PQgetvalue(res, r, 0),
			 PQgetvalue(res, r, 1), PQgetvalue(res, r, 2), PQgetvalue(res, r, 4));
		if (out->nmeasures == 0 || strcmp(key, last) != 0) {
			m = &out->measures[out->nmeasures++];
			m->kind = strdup(PQgetvalue(res, r, 0));
			m->indicator_id = strdup(PQgetvalue(res, r, 1));
			m->measure_column = strdup(PQgetvalue(res, r, 2));
			m->scale = strtod(PQgetvalue(res, r, 3), NULL);
			if (m->kind == NULL || m->indicator_id == NULL || m->measure_column == NULL ||
			    split_columns(PQgetvalue(res, r, 7), m->plus_columns, &m->nplus) != 0 ||
			    split_columns(PQgetvalue(res, r, 8), m->per_columns, &m->nper) != 0)
				goto oom;
			snprintf(last, sizeof(last), "%s", key);
		}
		m = &out->measures[out->nmeasures - 1];
		if (PQgetisnull(res, r, 5))
			continue;
		if (m->nfilters == STORE_DFE_MAX_FILTERS) {
			PQclear(res);
			return status_set(st, STATUS_FAILED_PRECONDITION, "the mapping of %s to %s has "
					  "more than %d filters", m->measure_column, m->indicator_id,
					  STORE_DFE_MAX_FILTERS);
		}
		m->filter_columns[m->nfilters] = strdup(PQgetvalue(res, r, 5));
		m->filter_values[m->nfilters] = strdup(PQgetvalue(res, r, 6));
		if (m->filter_columns[m->nfilters] == NULL || m->filter_values[m->nfilters] == NULL)
			goto oom;
		m->nfilters++;
	}
	PQclear(res);
	return 0;
oom:
	PQclear(res);
	return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
}

int store_dfe_mapping_read(store_pool *pool, int64_t timeout_ms, store_dfe_mapping *out,
			   status *st)
{
	memset(out, 0, sizeof(*out));
	if (read_kinds(pool, timeout_ms, out, st) != 0 ||
	    read_measures(pool, timeout_ms, out, st) != 0) {
		store_dfe_mapping_free(out);
		return -1;
	}
	return 0;
}

/* Rows as one JSON array parameter: a batch is one statement. NULL when out
 * of memory. */
static char *figures_json(const store_published_figure *figures, size_t count)
{
	json_t *array = json_array();
	char *text;

	for (size_t i = 0; array != NULL && i < count; i++) {
		const store_published_figure *f = &figures[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "i", f->indicator_id, "t", f->area_type,
				      "a", f->area, "p", f->period);
		char value[40];

		/* As text: 2483 stays 2483, not 2483.0. */
		snprintf(value, sizeof(value), "%.15g", f->value);
		if (o == NULL || json_object_set_new(o, "v", f->present ? json_string(value)
						      : json_null()) != 0 ||
		    json_object_set_new(o, "s", f->present ? json_null() : json_string(f->symbol)) != 0 ||
		    json_array_append_new(array, o) != 0) {
			json_decref(array);
			return NULL;
		}
	}
	text = array != NULL ? json_dumps(array, JSON_COMPACT) : NULL;
	json_decref(array);
	return text;
}

static char *areas_json(const store_dfe_area *areas, size_t count)
{
	json_t *array = json_array();
	char *text;

	for (size_t i = 0; array != NULL && i < count; i++) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "c", areas[i].la_code, "n",
				      areas[i].new_la_code, "name", areas[i].name, "r", areas[i].region);

		if (o == NULL || json_array_append_new(array, o) != 0) {
			json_decref(array);
			return NULL;
		}
	}
	text = array != NULL ? json_dumps(array, JSON_COMPACT) : NULL;
	json_decref(array);
	return text;
}

struct store_dfe_import {
	store_pool *pool;
	store_conn *conn;
};

int store_dfe_import_begin(store_pool *pool, int64_t timeout_ms, store_dfe_import **out,
			   status *st)
{
	store_dfe_import *imp = calloc(1, sizeof(*imp));

	*out = NULL;
	if (imp == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	imp->pool = pool;
	if (store_acquire(pool, timeout_ms, &imp->conn, st) != 0 ||
	    store_exec(imp->conn, "BEGIN", 0, NULL, st) != 0) {
		store_dfe_import_abort(imp);
		return -1;
	}
	*out = imp;
	return 0;
}

int store_dfe_import_commit(store_dfe_import *imp, status *st)
{
	int rc = store_exec(imp->conn, "COMMIT", 0, NULL, st);

	store_dfe_import_abort(imp);
	return rc;
}

void store_dfe_import_abort(store_dfe_import *imp)
{
	if (imp == NULL)
		return;
	/* store_release rolls back an open transaction. */
	if (imp->conn != NULL)
		store_release(imp->pool, imp->conn);
	free(imp);
}

int store_import_figures(store_dfe_import *imp,
			 const store_published_figure *figures, size_t nfigures,
			 const store_dfe_area *areas, size_t nareas, const char *source,
			 const char *release, store_import_counts *counts, status *st)
{
	char *figures_text = figures_json(figures, nfigures);
	char *areas_text = areas_json(areas, nareas);
	const char *params[3] = { figures_text, source, release };
	const char *area_params[2] = { areas_text, release };
	store_conn *c = imp->conn;
	PGresult *res = NULL;
	int rc = -1;

	memset(counts, 0, sizeof(*counts));
	if (figures_text == NULL || areas_text == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	/* The last of a key in the batch wins; a figure held from a newer
	 * release, or the same one, is left as it is. */
	res = store_query(c,
		"WITH incoming AS ("
		" SELECT DISTINCT ON (e.x->>'i', e.x->>'t', e.x->>'a', e.x->>'p') e.x->>'i' AS i, "
		" e.x->>'t' AS t, e.x->>'a' AS a, e.x->>'p' AS p, (e.x->>'v')::numeric AS v, "
		" e.x->>'s' AS s FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e (x, n) "
		" ORDER BY e.x->>'i', e.x->>'t', e.x->>'a', e.x->>'p', e.n DESC), "
		"merged AS ("
		" INSERT INTO comparator AS m (indicator_id, area_type, area, period, value, symbol, "
		" source, release) SELECT i, t, a, p, v, s, $2, $3 FROM incoming "
		" ON CONFLICT (indicator_id, area_type, area, period) DO UPDATE SET "
		" value = EXCLUDED.value, symbol = EXCLUDED.symbol, source = EXCLUDED.source, "
		" release = EXCLUDED.release, loaded_at = now() "
		" WHERE m.release <= EXCLUDED.release AND (m.value IS DISTINCT FROM EXCLUDED.value OR "
		" m.symbol IS DISTINCT FROM EXCLUDED.symbol OR m.source <> EXCLUDED.source OR "
		" m.release <> EXCLUDED.release) "
		" RETURNING (xmax = 0) AS added) "
		"SELECT (SELECT count(*) FROM incoming), count(*) FILTER (WHERE added), "
		"count(*) FILTER (WHERE NOT added) FROM merged", 3, params, st);
	if (res == NULL)
		goto cleanup;
	{
		uint64_t incoming = strtoull(PQgetvalue(res, 0, 0), NULL, 10);

		counts->added = strtoull(PQgetvalue(res, 0, 1), NULL, 10);
		counts->replaced = strtoull(PQgetvalue(res, 0, 2), NULL, 10);
		counts->unchanged = incoming - counts->added - counts->replaced;
	}
	if (store_exec(c,
		"INSERT INTO dfe_local_authority AS d (la_code, new_la_code, name, region, release) "
		"SELECT DISTINCT ON (e->>'c') e->>'c', e->>'n', e->>'name', e->>'r', $2 "
		"FROM jsonb_array_elements($1::jsonb) AS e ORDER BY e->>'c' "
		"ON CONFLICT (la_code) DO UPDATE SET new_la_code = EXCLUDED.new_la_code, "
		"name = EXCLUDED.name, region = EXCLUDED.region, release = EXCLUDED.release "
		"WHERE d.release <= EXCLUDED.release AND (d.new_la_code, d.name, d.region) IS DISTINCT "
		"FROM (EXCLUDED.new_la_code, EXCLUDED.name, EXCLUDED.region)", 2, area_params, st) != 0)
		goto cleanup;
	rc = 0;
cleanup:
	if (rc != 0)
		memset(counts, 0, sizeof(*counts));
	PQclear(res);
	free(figures_text);
	free(areas_text);
	return rc;
}

int store_import_neighbours(store_dfe_import *imp, const store_dfe_neighbour *rows, size_t count, const char *model,
			    uint64_t *changed, status *st)
{
	json_t *array = json_array();
	char *text = NULL;
	const char *params[2];
	PGresult *res;

	*changed = 0;
	for (size_t i = 0; array != NULL && i < count; i++) {
		json_t *o = json_pack("{s:s, s:i, s:s, s:s}", "c", rows[i].la_code, "p",
				      rows[i].position, "n", rows[i].neighbour, "k", rows[i].closeness);

		if (o == NULL || json_array_append_new(array, o) != 0) {
			json_decref(array);
			array = NULL;
		}
	}
	if (array != NULL)
		text = json_dumps(array, JSON_COMPACT);
	json_decref(array);
	if (text == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	params[0] = text;
	params[1] = model;
	res = store_query(imp->conn,
		"WITH changed AS ("
		" INSERT INTO dfe_neighbour AS d (la_code, position, neighbour, closeness, model) "
		" SELECT DISTINCT ON (e->>'c', (e->>'p')::int) e->>'c', (e->>'p')::int, e->>'n', "
		" e->>'k', $2 FROM jsonb_array_elements($1::jsonb) AS e ORDER BY e->>'c', (e->>'p')::int "
		" ON CONFLICT (la_code, position) DO UPDATE SET neighbour = EXCLUDED.neighbour, "
		" closeness = EXCLUDED.closeness, model = EXCLUDED.model "
		" WHERE d.model <= EXCLUDED.model AND (d.neighbour, d.closeness) IS DISTINCT FROM "
		" (EXCLUDED.neighbour, EXCLUDED.closeness) RETURNING la_code) "
		"SELECT count(DISTINCT la_code) FROM changed", 2, params, st);
	free(text);
	if (res == NULL)
		return -1;
	*changed = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

int store_benchmarks(store_pool *pool, int64_t timeout_ms, const char *council,
		     const char *periods_csv, store_benchmark_cb cb, void *ctx, status *st)
{
	const char *params[2] = { council, periods_csv };
	PGresult *res;
	int rc = 0;

	/* Published figures for the council's nation and region (its own
	 * record's region, else the one the DfE files give its LA code), those
	 * loaded for it, its own with its rank, and its DfE neighbours'
	 * average. */
	res = store_read(pool, timeout_ms,
		"WITH periods AS (SELECT unnest(string_to_array($2, ',')) AS period), "
		"k AS (SELECT c.nation, coalesce(nullif(c.region, ''), d.region) AS region "
		" FROM council c LEFT JOIN dfe_local_authority d ON d.la_code = c.la_code "
		" WHERE c.la_code = $1), "
		"ranked AS (SELECT m.indicator_id, m.period, m.area, "
		" rank() OVER w AS r, count(*) OVER (PARTITION BY m.indicator_id, m.period) AS n "
		" FROM comparator m LEFT JOIN indicator i ON i.indicator_id = m.indicator_id "
		" WHERE m.area_type = 'council' AND m.value IS NOT NULL "
		" AND m.period IN (SELECT period FROM periods) "
		" WINDOW w AS (PARTITION BY m.indicator_id, m.period ORDER BY "
		"  CASE WHEN i.polarity = 'down' THEN m.value ELSE -m.value END)) "
		"SELECT m.indicator_id, m.area_type, m.area, m.period, m.value::float8, "
		" coalesce(m.symbol, ''), m.source, m.release, coalesce(r.r, 0), coalesce(r.n, 0), 0 "
		"FROM comparator m CROSS JOIN k "
		"LEFT JOIN ranked r ON m.area_type = 'council' AND r.indicator_id = m.indicator_id "
		" AND r.period = m.period AND r.area = m.area "
		"WHERE m.period IN (SELECT period FROM periods) AND ("
		" (m.area_type = 'england' AND k.nation = 'england') OR "
		" (m.area_type = 'wales' AND k.nation = 'wales') OR "
		" (m.area_type = 'region' AND m.area = k.region) OR "
		" (m.area_type IN ('statistical_neighbours', 'council') AND m.area = $1) OR "
		" m.area_type = 'other') "
		"UNION ALL "
		"SELECT m.indicator_id, 'dfe_neighbours', $1, m.period, avg(m.value)::float8, '', "
		" 'DfE published figures, average of the statistical neighbours (' || max(n.model) || "
		" ' model)', max(m.release), 0, 0, count(m.value) "
		"FROM dfe_neighbour n JOIN comparator m ON m.area_type = 'council' "
		" AND m.area = n.neighbour AND m.period IN (SELECT period FROM periods) "
		"WHERE n.la_code = $1 GROUP BY m.indicator_id, m.period "
		"ORDER BY 1, 2, 4 DESC", 2, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_benchmark b;

		b.indicator_id = PQgetvalue(res, row, 0);
		b.area_type = PQgetvalue(res, row, 1);
		b.area = PQgetvalue(res, row, 2);
		b.period = PQgetvalue(res, row, 3);
		b.present = !PQgetisnull(res, row, 4);
		b.value = b.present ? strtod(PQgetvalue(res, row, 4), NULL) : 0;
		b.symbol = PQgetvalue(res, row, 5);
		b.source = PQgetvalue(res, row, 6);
		b.release = PQgetvalue(res, row, 7);
		b.rank = atoi(PQgetvalue(res, row, 8));
		b.ranked = atoi(PQgetvalue(res, row, 9));
		b.contributors = atoi(PQgetvalue(res, row, 10));
		rc = cb(&b, ctx);
	}
	PQclear(res);
	return rc;
}

int store_reconcile(store_pool *pool, int64_t timeout_ms, const char *council, const char *year,
		    store_reconcile_cb cb, void *ctx, status *st)
{
	const char *params[2] = { council, year };
	PGresult *res;
	int rc = 0;

	res = store_read(pool, timeout_ms,
		"SELECT i.indicator_id, i.title, "
		" CASE WHEN i.kind LIKE '%breakdown%' THEN 'count' ELSE i.unit END, "
		" v.value::float8, m.value::float8, "
		" coalesce(m.symbol, ''), coalesce(m.source, ''), coalesce(m.release, '') "
		"FROM indicator i "
		"LEFT JOIN indicator_value v ON v.council = $1 AND v.org_unit = 'council' "
		" AND v.indicator_id = i.indicator_id AND v.period = $2 AND v.breakdown = '' "
		"LEFT JOIN comparator m ON m.area_type = 'council' AND m.area = $1 "
		" AND m.indicator_id = i.indicator_id AND m.period = $2 "
		"WHERE m.indicator_id IS NOT NULL OR EXISTS (SELECT 1 FROM dfe_measure d "
		" WHERE d.indicator_id = i.indicator_id) "
		"ORDER BY i.sort_order, i.indicator_id", 2, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_reconcile_row r;

		r.indicator_id = PQgetvalue(res, row, 0);
		r.title = PQgetvalue(res, row, 1);
		r.unit = PQgetvalue(res, row, 2);
		r.csperf_present = !PQgetisnull(res, row, 3);
		r.csperf = r.csperf_present ? strtod(PQgetvalue(res, row, 3), NULL) : 0;
		r.published_present = !PQgetisnull(res, row, 4);
		r.published = r.published_present ? strtod(PQgetvalue(res, row, 4), NULL) : 0;
		r.symbol = PQgetvalue(res, row, 5);
		r.source = PQgetvalue(res, row, 6);
		r.release = PQgetvalue(res, row, 7);
		rc = cb(&r, ctx);
	}
	PQclear(res);
	return rc;
}
