/*
 * indicators.c: indicator definitions (every version kept), the councils to
 * compute them for, and reading computed values.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INDICATOR_COLUMNS \
	"indicator_id, version, title, stage, unit, polarity, kind, params::text, " \
	"array_to_string(period_types, ','), targets::text, coalesce(corporate_risk, ''), " \
	"coalesce(budget_line, ''), small_number_threshold, definition, source, " \
	"to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), created_by, sort_order, " \
	"array_to_string(nations, ',')"

static void row_from_result(const PGresult *res, int row, store_indicator_row *out)
{
	out->indicator_id = PQgetvalue(res, row, 0);
	out->version = atoi(PQgetvalue(res, row, 1));
	out->title = PQgetvalue(res, row, 2);
	out->stage = PQgetvalue(res, row, 3);
	out->unit = PQgetvalue(res, row, 4);
	out->polarity = PQgetvalue(res, row, 5);
	out->kind = PQgetvalue(res, row, 6);
	out->params = PQgetvalue(res, row, 7);
	out->period_types = PQgetvalue(res, row, 8);
	out->targets = PQgetvalue(res, row, 9);
	out->corporate_risk = PQgetvalue(res, row, 10);
	out->budget_line = PQgetvalue(res, row, 11);
	out->small_number_threshold = atoi(PQgetvalue(res, row, 12));
	out->definition = PQgetvalue(res, row, 13);
	out->source = PQgetvalue(res, row, 14);
	out->created_at = PQgetvalue(res, row, 15);
	out->created_by = PQgetvalue(res, row, 16);
	out->sort_order = atoi(PQgetvalue(res, row, 17));
	out->nations = PQgetvalue(res, row, 18);
}

/* Calls cb with each row of res, then clears res. */
static int each_indicator(PGresult *res, store_indicator_cb cb, void *ctx)
{
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_indicator_row r;

		row_from_result(res, row, &r);
		rc = cb(&r, ctx);
	}
	PQclear(res);
	return rc;
}

int store_indicators_list(store_pool *pool, int64_t timeout_ms, const char *stage,
			  const char *indicator_id, bool history, store_indicator_cb cb, void *ctx,
			  status *st)
{
	const char *params[2] = { stage, indicator_id };

	return each_indicator(store_read(pool, timeout_ms, history
		? "SELECT " INDICATOR_COLUMNS " FROM indicator_version WHERE ($1::text IS NULL OR "
		  "stage = $1) AND ($2::text IS NULL OR indicator_id = $2) ORDER BY sort_order, "
		  "indicator_id, version DESC"
		: "SELECT " INDICATOR_COLUMNS " FROM indicator WHERE ($1::text IS NULL OR stage = $1) "
		  "AND ($2::text IS NULL OR indicator_id = $2) ORDER BY sort_order, indicator_id",
		2, params, st), cb, ctx);
}

int store_indicators_for_council(store_pool *pool, int64_t timeout_ms, const char *council,
				 const char *stage, store_indicator_cb cb, void *ctx, status *st)
{
	const char *params[2] = { council, stage };

	/* A council not (yet) stored is England's, as a load names it. */
	return each_indicator(store_read(pool, timeout_ms,
		"SELECT " INDICATOR_COLUMNS " FROM indicator WHERE ($2::text IS NULL OR stage = $2) "
		"AND coalesce((SELECT nation FROM council WHERE la_code = $1), 'england') = "
		"ANY (nations) ORDER BY sort_order, indicator_id", 2, params, st), cb, ctx);
}

int store_indicator_put(store_pool *pool, int64_t timeout_ms, const store_indicator_row *row,
			int *version, status *st)
{
	char threshold[16];
	const char *params[16];
	PGresult *res;

	*version = 0;
	snprintf(threshold, sizeof(threshold), "%d", row->small_number_threshold);
	params[0] = row->indicator_id;
	params[1] = row->title;
	params[2] = row->stage;
	params[3] = row->unit;
	params[4] = row->polarity;
	params[5] = row->kind;
	params[6] = row->params;
	params[7] = row->period_types;
	params[8] = row->targets;
	params[9] = row->corporate_risk[0] != '\0' ? row->corporate_risk : NULL;
	params[10] = row->budget_line[0] != '\0' ? row->budget_line : NULL;
	params[11] = threshold;
	params[12] = row->definition;
	params[13] = row->source;
	params[14] = row->created_by;
	params[15] = row->nations != NULL && row->nations[0] != '\0' ? row->nations : NULL;
	/* The next version; a concurrent put of the same id fails on the key and
	 * is reported ABORTED (try again), never overwrites. The sort order of
	 * an existing indicator is kept. */
	res = store_read(pool, timeout_ms,
		"INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, "
		"kind, params, period_types, targets, corporate_risk, budget_line, "
		"small_number_threshold, definition, source, created_by, sort_order, nations) "
		"SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7::jsonb, "
		"string_to_array($8, ','), $9::jsonb, $10, $11, $12::int, $13, $14, $15, "
		"coalesce((SELECT sort_order FROM indicator WHERE indicator_id = $1), "
		"(SELECT coalesce(max(sort_order), 0) + 1 FROM indicator_version)), "
		"coalesce(string_to_array($16, ','), (SELECT nations FROM indicator WHERE "
		"indicator_id = $1), '{england}') "
		"FROM indicator_version WHERE indicator_id = $1 RETURNING version",
		16, params, st);
	if (res == NULL) {
		if (st->code == STATUS_INTERNAL && strstr(st->message, "23505") != NULL)
			status_set(st, STATUS_ABORTED, "indicator %s changed at the same time: try again",
				   row->indicator_id);
		return -1;
	}
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Calls cb with the first column of each row of res, then clears res. */
static int each_text(PGresult *res, store_text_cb cb, void *ctx)
{
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++)
		rc = cb(PQgetvalue(res, row, 0), ctx);
	PQclear(res);
	return rc;
}

int store_list_councils(store_pool *pool, int64_t timeout_ms, store_text_cb cb, void *ctx,
			status *st)
{
	return each_text(store_read(pool, timeout_ms, "SELECT la_code FROM council ORDER BY la_code",
				    0, NULL, st), cb, ctx);
}

int store_locality_children(store_pool *pool, int64_t timeout_ms, const char *council,
			    const char *localities, store_text_cb cb, void *ctx, status *st)
{
	const char *params[2] = { council, localities };

	return each_text(store_read(pool, timeout_ms,
		"SELECT DISTINCT child_id FROM placement_cost WHERE council = $1 AND "
		"locality = ANY (string_to_array($2::text, chr(31))) ORDER BY child_id",
		2, params, st), cb, ctx);
}

int store_series(store_pool *pool, int64_t timeout_ms, const char *council,
		 const char *indicator_id, const char *org_unit, const char *period_type,
		 const char *from_end, const char *to_end, store_series_cb cb, void *ctx, status *st)
{
	const char *params[6] = { council, indicator_id, org_unit, period_type, from_end, to_end };
	PGresult *res;
	int rc = 0;

	res = store_read(pool, timeout_ms,
		"SELECT period, period_start::text, period_end::text, breakdown, numerator::float8, "
		"denominator::float8, value::float8, provisional, version FROM indicator_value "
		"WHERE council = $1 AND indicator_id = $2 AND org_unit = $3 AND period_type = $4 "
		"AND ($5::date IS NULL OR period_end >= $5::date) AND ($6::date IS NULL OR "
		"period_end <= $6::date) ORDER BY period_end, breakdown", 6, params, st);
	if (res == NULL)
		return -1;
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
		r.version = atoi(PQgetvalue(res, row, 8));
		rc = cb(&r, ctx);
	}
	PQclear(res);
	return rc;
}

int store_values_for_periods(store_pool *pool, int64_t timeout_ms, const char *council,
			     const char *periods_csv, const char *stage, store_value_cb cb, void *ctx,
			     status *st)
{
	const char *params[3] = { council, periods_csv, stage };
	PGresult *res;
	int rc = 0;

	/* An index range read of indicator_value by its primary key: no
	 * journey record is touched (docs/PERFORMANCE.md has the plan). */
	res = store_read(pool, timeout_ms,
		"SELECT v.indicator_id, v.period, v.breakdown, v.numerator::float8, "
		"v.denominator::float8, v.value::float8, v.provisional, v.version "
		"FROM indicator_value v JOIN indicator i ON i.indicator_id = v.indicator_id "
		"WHERE v.council = $1 AND v.org_unit = 'council' "
		"AND v.period = ANY (string_to_array($2, ',')) AND ($3::text IS NULL OR i.stage = $3) "
		"ORDER BY v.indicator_id, v.period, v.breakdown", 3, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_series_row r;
		const char *id = PQgetvalue(res, row, 0);

		r.period = PQgetvalue(res, row, 1);
		r.period_start = r.period_end = "";
		r.breakdown = PQgetvalue(res, row, 2);
		r.numerator = PQgetisnull(res, row, 3) ? NULL : PQgetvalue(res, row, 3);
		r.denominator = PQgetisnull(res, row, 4) ? NULL : PQgetvalue(res, row, 4);
		r.value = PQgetisnull(res, row, 5) ? NULL : PQgetvalue(res, row, 5);
		r.provisional = PQgetvalue(res, row, 6)[0] == 't';
		r.version = atoi(PQgetvalue(res, row, 7));
		rc = cb(id, &r, ctx);
	}
	PQclear(res);
	return rc;
}

int store_peer_averages(store_pool *pool, int64_t timeout_ms, const char *council,
			const char *period, bool neighbours_only, store_average_cb cb, void *ctx,
			status *st)
{
	const char *params[3] = { council, period, neighbours_only ? "true" : "false" };
	PGresult *res;
	int rc = 0;

	res = store_read(pool, timeout_ms,
		"SELECT indicator_id, avg(value)::float8, count(*), coalesce(min(least("
		"CASE WHEN numerator >= 1 THEN numerator END, "
		"CASE WHEN denominator >= 1 THEN denominator END)), 0)::float8 FROM indicator_value "
		"WHERE period = $2 AND org_unit = 'council' AND breakdown = '' AND council <> $1 "
		"AND value IS NOT NULL AND (NOT $3::boolean OR council IN ("
		/* The DfE's neighbour model when one is imported for the council
		 * (migration 0018), else the neighbours put with the council. */
		"SELECT neighbour FROM dfe_neighbour WHERE la_code = $1 UNION ALL "
		"SELECT neighbour FROM council_neighbour WHERE council = $1 AND NOT EXISTS ("
		"SELECT 1 FROM dfe_neighbour WHERE la_code = $1))) GROUP BY indicator_id",
		3, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++)
		rc = cb(PQgetvalue(res, row, 0), strtod(PQgetvalue(res, row, 1), NULL),
			atoi(PQgetvalue(res, row, 2)), strtod(PQgetvalue(res, row, 3), NULL), ctx);
	PQclear(res);
	return rc;
}

int store_council_info(store_pool *pool, int64_t timeout_ms, const char *council,
		       char name[128], char data_to[16], status *st)
{
	const char *params[1] = { council };
	PGresult *res;

	name[0] = data_to[0] = '\0';
	res = store_read(pool, timeout_ms,
		"SELECT c.name, coalesce(r.data_to::text, '') FROM council c LEFT JOIN compute_run r "
		"ON r.council = c.la_code WHERE c.la_code = $1", 1, params, st);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return status_set(st, STATUS_NOT_FOUND, "no data for council %s", council);
	}
	snprintf(name, 128, "%s", PQgetvalue(res, 0, 0));
	snprintf(data_to, 16, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}
