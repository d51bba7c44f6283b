/*
 * costs.c: placement costs for a financial year as at a day (store_costs.h;
 * the rules are in docs/FINANCE.md).
 *
 * LINES_SQL below is the one computation: each current cost line of the
 * council that touches the year, its days to the as-at date (actual) and,
 * when its placement is still open on that day, its days after it to
 * 31 March (committed), each priced in whole pence by placement_cost_pence
 * (migrations/0007_finance.sql). The grouped figures sum those pence; the
 * export streams the very same rows through a cursor.
 */
#include "store_costs.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The localities a token is narrowed to travel as one text parameter, joined
 * by the unit separator (a locality has no control character). */
#define LOCALITY_SEPARATOR "\x1f"

/*
 * $1 council, $2 first day of the year, $3 last day, $4 the as-at day,
 * $5 the localities (NULL: all).
 *
 * A placement is a child's cost lines with the same placement_ref (or,
 * without one, the same episode_start_date; failing both a line is its own
 * placement; `placement` is the child id and that, apart by the unit
 * separator): a rate change ends one line and starts another of the same
 * placement. A placement is open when one of its lines applies on the as-at
 * day (weekly_on_as_at: that line's weekly cost); only open placements commit
 * spend after it, at the rate of each line to its end or to 31 March. Each
 * line is priced for its actual days and for its actual and committed days
 * (the forecast), gross and each contribution rounded once; net is gross
 * less contributions, as placement_cost_net_pence has it for the indicators.
 */
#define LINES_SQL \
	"WITH line AS (" \
	"SELECT e.child_id, e.placement_ref, e.episode_start_date, e.placement_category, " \
	"e.provider, e.locality, e.start_date, e.end_date, e.weekly_cost, " \
	"e.health_contribution, e.education_contribution, " \
	"e.child_id || chr(31) || coalesce('r' || e.placement_ref, 'e' || e.episode_start_date, " \
	"'s' || e.start_date) AS placement, " \
	"e.start_date <= $4::date AND (e.end_date IS NULL OR e.end_date >= $4::date) AS applies " \
	"FROM placement_cost e WHERE e.council = $1 AND e.start_date <= $3::date " \
	"AND (e.end_date IS NULL OR e.end_date >= $2::date) " \
	"AND ($5::text IS NULL OR e.locality = ANY (string_to_array($5::text, chr(31))))" \
	"), open_placement AS (" \
	"SELECT placement, max(weekly_cost) AS weekly_on_as_at FROM line WHERE applies " \
	"GROUP BY placement" \
	"), counted AS (" \
	"SELECT l.*, o.placement IS NOT NULL AS placement_open, o.weekly_on_as_at, " \
	"greatest(0, least(coalesce(l.end_date, $4::date), $4::date) " \
	"- greatest(l.start_date, $2::date) + 1) AS actual_days, " \
	"CASE WHEN o.placement IS NULL THEN 0 ELSE greatest(0, least(coalesce(l.end_date, " \
	"$3::date), $3::date) - greatest(l.start_date, $4::date + 1) + 1) END AS committed_days " \
	"FROM line l LEFT JOIN open_placement o ON o.placement = l.placement" \
	"), pence AS (" \
	"SELECT c.*, actual_days + committed_days AS days, " \
	"placement_cost_pence(weekly_cost, actual_days) AS actual_gross, " \
	"placement_cost_pence(health_contribution, actual_days) AS actual_health, " \
	"placement_cost_pence(education_contribution, actual_days) AS actual_education, " \
	"placement_cost_pence(weekly_cost, actual_days + committed_days) AS gross_forecast_pence, " \
	"placement_cost_pence(health_contribution, actual_days + committed_days) " \
	"AS health_forecast_pence, " \
	"placement_cost_pence(education_contribution, actual_days + committed_days) " \
	"AS education_forecast_pence " \
	"FROM counted c WHERE actual_days + committed_days > 0" \
	"), priced AS (" \
	"SELECT p.*, actual_gross - actual_health - actual_education AS actual_pence, " \
	"gross_forecast_pence - health_forecast_pence - education_forecast_pence " \
	"AS forecast_pence FROM pence p)"

/* The export: every priced line, with the days of the year it counts. */
static const char export_sql[] =
	"DECLARE cost_lines NO SCROLL CURSOR FOR " LINES_SQL
	" SELECT child_id, coalesce(placement_ref, ''), coalesce(episode_start_date::text, ''), "
	"coalesce(placement_category, ''), provider, coalesce(locality, ''), start_date::text, "
	"coalesce(end_date::text, ''), weekly_cost::text, coalesce(health_contribution::text, ''), "
	"coalesce(education_contribution::text, ''), greatest(start_date, $2::date)::text, "
	"(greatest(start_date, $2::date) + days - 1)::text, placement_open, actual_days, "
	"committed_days, actual_pence, forecast_pence - actual_pence, forecast_pence, "
	"gross_forecast_pence, health_forecast_pence, education_forecast_pence "
	"FROM priced ORDER BY child_id, start_date, placement";

/*
 * The figures: the total (the empty grouping set) and each group, in one
 * aggregation; $6 the threshold in pence a week, $7 the financial year (for
 * budget lines). %s: the group key, whether groups take their budget line's
 * budget, and the budget lines that have no costs (by budget line only).
 */
static const char figures_sql[] =
	LINES_SQL
	", grouped AS (SELECT GROUPING(grp) = 1 AS is_total, grp, "
	"coalesce(sum(actual_pence), 0)::bigint AS actual, "
	"coalesce(sum(forecast_pence - actual_pence), 0)::bigint AS committed, "
	"coalesce(sum(forecast_pence), 0)::bigint AS forecast, "
	"coalesce(sum(gross_forecast_pence), 0)::bigint AS gross, "
	"coalesce(sum(health_forecast_pence), 0)::bigint AS health, "
	"coalesce(sum(education_forecast_pence), 0)::bigint AS education, "
	"count(DISTINCT child_id) AS children, "
	"count(DISTINCT placement) AS placements, "
	"count(DISTINCT placement) FILTER (WHERE applies) AS open_placements, "
	"coalesce(round(sum(weekly_cost) FILTER (WHERE applies) * 100 / "
	"nullif(count(*) FILTER (WHERE applies), 0)), 0)::bigint AS average, "
	"count(DISTINCT placement) FILTER (WHERE over) AS over_count, "
	"coalesce(sum(actual_pence) FILTER (WHERE over), 0)::bigint AS over_actual, "
	"coalesce(sum(forecast_pence) FILTER (WHERE over), 0)::bigint AS over_forecast "
	"FROM (SELECT p.*, %s AS grp, coalesce(p.weekly_on_as_at * 100 > $6::bigint, false) "
	"AS over FROM priced p) x GROUP BY GROUPING SETS ((), (grp))"
	"), budget_line AS (SELECT placement_category AS grp, "
	"round(sum(amount) * 100)::bigint AS pence FROM budget WHERE council = $1 "
	"AND financial_year = $7::integer AND $5::text IS NULL GROUP BY placement_category"
	"), figures AS (SELECT g.*, CASE WHEN g.is_total THEN "
	"(SELECT sum(pence) FROM budget_line)::bigint WHEN %s THEN "
	"(SELECT b.pence FROM budget_line b WHERE b.grp = g.grp) END AS budget FROM grouped g%s"
	") SELECT is_total, coalesce(grp, ''), actual, committed, forecast, gross, health, "
	"education, budget IS NOT NULL, coalesce(budget, 0), forecast - coalesce(budget, 0), "
	"CASE WHEN budget > 0 THEN round(100.0 * (forecast - budget) / budget, 2)::text "
	"ELSE '' END, children, placements, open_placements, average, over_count, over_actual, "
	"over_forecast FROM figures ORDER BY is_total DESC, grp";

static const char budget_only_lines[] =
	" UNION ALL SELECT false, b.grp, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b.pence "
	"FROM budget_line b WHERE NOT EXISTS (SELECT 1 FROM grouped g WHERE NOT g.is_total "
	"AND g.grp = b.grp)";

/* The localities parameter ($5): NULL for every line, else the localities
 * joined by LOCALITY_SEPARATOR (malloc'd into *out). */
static int localities_param(const store_cost_query *q, char **out, status *st)
{
	size_t size = 1;
	char *text;

	*out = NULL;
	if (q->nlocalities == 0)
		return 0;
	for (size_t i = 0; i < q->nlocalities; i++)
		size += strlen(q->localities[i]) + 1;
	text = malloc(size);
	if (text == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	text[0] = '\0';
	for (size_t i = 0; i < q->nlocalities; i++) {
		if (i > 0)
			strcat(text, LOCALITY_SEPARATOR);
		strcat(text, q->localities[i]);
	}
	*out = text;
	return 0;
}

static int64_t int64_of(const PGresult *res, int row, int column)
{
	return strtoll(PQgetvalue(res, row, column), NULL, 10);
}

int store_placement_costs(store_pool *pool, int64_t timeout_ms, const store_cost_query *query,
			  store_cost_grouping grouping, int64_t threshold_pence,
			  store_cost_figures_cb cb, void *ctx, status *st)
{
	const char *key = "''::text", *budget_by_key = "false", *extra = "";
	char threshold[24], year[16], *localities = NULL, *sql = NULL;
	const char *params[7];
	PGresult *res;
	size_t size;
	int rc = 0;

	switch (grouping) {
	case STORE_COSTS_TOTAL:
		break;
	case STORE_COSTS_BY_CATEGORY:
		key = "coalesce(p.placement_category, '')";
		budget_by_key = "true";
		break;
	case STORE_COSTS_BY_PROVIDER:
		key = "p.provider";
		break;
	case STORE_COSTS_BY_LOCALITY:
		key = "coalesce(p.locality, '')";
		break;
	case STORE_COSTS_BY_BUDGET_LINE:
		key = "coalesce(p.placement_category, '')";
		budget_by_key = "true";
		extra = budget_only_lines;
		break;
	}
	if (localities_param(query, &localities, st) != 0)
		return -1;
	size = sizeof(figures_sql) + strlen(key) + strlen(budget_by_key) + strlen(extra);
	sql = malloc(size);
	if (sql == NULL) {
		free(localities);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	snprintf(sql, size, figures_sql, key, budget_by_key, extra);
	snprintf(threshold, sizeof(threshold), "%lld", (long long)threshold_pence);
	snprintf(year, sizeof(year), "%d", query->financial_year);
	params[0] = query->council;
	params[1] = query->year_start;
	params[2] = query->year_end;
	params[3] = query->as_at;
	params[4] = localities;
	params[5] = threshold;
	params[6] = year;
	res = store_read(pool, timeout_ms, sql, 7, params, st);
	free(sql);
	free(localities);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_cost_figures f;

		f.is_total = PQgetvalue(res, row, 0)[0] == 't';
		/* Without a grouping, only the total is asked for. */
		if (grouping == STORE_COSTS_TOTAL && !f.is_total)
			continue;
		f.key = PQgetvalue(res, row, 1);
		f.actual_pence = int64_of(res, row, 2);
		f.committed_pence = int64_of(res, row, 3);
		f.forecast_pence = int64_of(res, row, 4);
		f.gross_forecast_pence = int64_of(res, row, 5);
		f.health_forecast_pence = int64_of(res, row, 6);
		f.education_forecast_pence = int64_of(res, row, 7);
		f.has_budget = PQgetvalue(res, row, 8)[0] == 't';
		f.budget_pence = int64_of(res, row, 9);
		f.variance_pence = int64_of(res, row, 10);
		f.variance_percent = PQgetvalue(res, row, 11);
		f.children = int64_of(res, row, 12);
		f.placements = int64_of(res, row, 13);
		f.open_placements = int64_of(res, row, 14);
		f.average_weekly_cost_pence = int64_of(res, row, 15);
		f.over_threshold_placements = int64_of(res, row, 16);
		f.over_threshold_actual_pence = int64_of(res, row, 17);
		f.over_threshold_forecast_pence = int64_of(res, row, 18);
		rc = cb(&f, ctx);
	}
	PQclear(res);
	return rc;
}

static const char *text_or_empty(const PGresult *res, int row, int column)
{
	return PQgetisnull(res, row, column) ? "" : PQgetvalue(res, row, column);
}

int store_placement_cost_lines(store_pool *pool, int64_t timeout_ms,
			       const store_cost_query *query, store_cost_line_cb cb, void *ctx,
			       status *st)
{
	const char *params[5];
	char *localities = NULL;
	store_conn *c;
	PGresult *res;
	int rc = -1;

	if (localities_param(query, &localities, st) != 0)
		return -1;
	params[0] = query->council;
	params[1] = query->year_start;
	params[2] = query->year_end;
	params[3] = query->as_at;
	params[4] = localities;
	if (store_acquire(pool, timeout_ms, &c, st) != 0) {
		free(localities);
		return -1;
	}
	/* A cursor lives in a transaction; the lines are read, never written. */
	res = store_query(c, "BEGIN READ ONLY", 0, NULL, st);
	if (res == NULL)
		goto cleanup;
	PQclear(res);
	res = store_query(c, export_sql, 5, params, st);
	if (res == NULL)
		goto cleanup;
	PQclear(res);
	for (;;) {
		int rows;

		/* A thousand lines at a time: csperfd holds one batch. */
		res = store_query(c, "FETCH 1000 FROM cost_lines", 0, NULL, st);
		if (res == NULL)
			goto cleanup;
		rows = PQntuples(res);
		for (int row = 0; row < rows; row++) {
			store_cost_line l;

			l.child_id = PQgetvalue(res, row, 0);
			l.placement_ref = PQgetvalue(res, row, 1);
			l.episode_start_date = PQgetvalue(res, row, 2);
			l.placement_category = PQgetvalue(res, row, 3);
			l.provider = PQgetvalue(res, row, 4);
			l.locality = PQgetvalue(res, row, 5);
			l.start_date = PQgetvalue(res, row, 6);
			l.end_date = PQgetvalue(res, row, 7);
			l.weekly_cost = PQgetvalue(res, row, 8);
			l.health_contribution = text_or_empty(res, row, 9);
			l.education_contribution = text_or_empty(res, row, 10);
			l.from_date = PQgetvalue(res, row, 11);
			l.to_date = PQgetvalue(res, row, 12);
			l.placement_open = PQgetvalue(res, row, 13)[0] == 't';
			l.actual_days = atoi(PQgetvalue(res, row, 14));
			l.committed_days = atoi(PQgetvalue(res, row, 15));
			l.actual_pence = int64_of(res, row, 16);
			l.committed_pence = int64_of(res, row, 17);
			l.forecast_pence = int64_of(res, row, 18);
			l.gross_forecast_pence = int64_of(res, row, 19);
			l.health_forecast_pence = int64_of(res, row, 20);
			l.education_forecast_pence = int64_of(res, row, 21);
			if (cb(&l, ctx) != 0) {
				PQclear(res);
				status_set(st, STATUS_CANCELLED, "the export was stopped");
				goto cleanup;
			}
		}
		PQclear(res);
		if (rows == 0)
			break;
	}
	rc = 0;
cleanup:
	/* store_release rolls back what is left open (the cursor's transaction). */
	store_release(pool, c);
	free(localities);
	return rc;
}
