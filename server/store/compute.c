/*
 * compute.c: the store's side of computing indicators: the data range of a
 * council, the current definitions, and writing a council's values in one
 * transaction (each indicator under its own savepoint, so that one faulty
 * definition costs its own values only). The SQL of each indicator comes
 * from the engine; this file only runs it.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"

struct store_compute {
	store_pool *pool;
	store_conn *conn;
	char council[16];
	char data_to[16];
	int indicators, failures;
	long values;
	struct timespec started;
};

int store_data_range(store_pool *pool, int64_t timeout_ms, const char *council,
		     char from[16], char to[16], status *st)
{
	const char *params[1] = { council };
	PGresult *res;

	from[0] = to[0] = '\0';
	/* The dates that place a council's events in time: the earliest and
	 * latest across the main journey records (ends included, so a return
	 * whose last events are closures still reaches its year end). Dates in
	 * the future are typing errors, not periods to report. */
	res = store_read(pool, timeout_ms,
		"SELECT min(d)::text, max(d)::text FROM ("
		" SELECT contact_date AS d FROM contact WHERE council = $1"
		" UNION ALL SELECT referral_date FROM referral WHERE council = $1"
		" UNION ALL SELECT closure_date FROM referral WHERE council = $1"
		" UNION ALL SELECT start_date FROM early_help WHERE council = $1"
		" UNION ALL SELECT authorisation_date FROM assessment WHERE council = $1"
		" UNION ALL SELECT start_date FROM s47 WHERE council = $1"
		" UNION ALL SELECT start_date FROM cp_plan WHERE council = $1"
		" UNION ALL SELECT end_date FROM cp_plan WHERE council = $1"
		" UNION ALL SELECT start_date FROM la_episode WHERE council = $1"
		" UNION ALL SELECT end_date FROM la_episode WHERE council = $1"
		" UNION ALL SELECT review_date FROM la_review WHERE council = $1"
		" UNION ALL SELECT as_at_date FROM care_leaver WHERE council = $1"
		" UNION ALL SELECT as_at_date FROM health WHERE council = $1"
		" UNION ALL SELECT start_date FROM placement_cost WHERE council = $1"
		" UNION ALL SELECT period_end FROM reported_figure WHERE council = $1"
		") dates WHERE d BETWEEN '2010-01-01' AND least(current_date, '2035-12-31')", 1, params, st);
	if (res == NULL)
		return -1;
	if (!PQgetisnull(res, 0, 0)) {
		snprintf(from, 16, "%s", PQgetvalue(res, 0, 0));
		snprintf(to, 16, "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return 0;
}

int store_list_definitions(store_pool *pool, int64_t timeout_ms, const char *indicator_id,
			   store_definition_cb cb, void *ctx, status *st)
{
	const char *params[1] = { indicator_id };
	PGresult *res;
	int rc = 0;

	res = store_read(pool, timeout_ms,
		"SELECT indicator_id, version, kind, params::text, array_to_string(period_types, ',') "
		"FROM indicator WHERE $1::text IS NULL OR indicator_id = $1 "
		"ORDER BY sort_order, indicator_id", 1, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_definition d;

		d.indicator_id = PQgetvalue(res, row, 0);
		d.version = atoi(PQgetvalue(res, row, 1));
		d.kind = PQgetvalue(res, row, 2);
		d.params = PQgetvalue(res, row, 3);
		d.period_types = PQgetvalue(res, row, 4);
		rc = cb(&d, ctx);
	}
	PQclear(res);
	return rc;
}

int store_compute_begin(store_pool *pool, int64_t timeout_ms, const char *council,
			const char *data_to, const store_period *periods, size_t nperiods,
			store_compute **out, status *st)
{
	store_compute *cmp = calloc(1, sizeof(*cmp));
	char *values = NULL;
	size_t size = nperiods * 96 + 64, used = 0;
	const char *params[1];

	*out = NULL;
	if (cmp == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	cmp->pool = pool;
	clock_gettime(CLOCK_MONOTONIC, &cmp->started);
	snprintf(cmp->council, sizeof(cmp->council), "%s", council);
	/* With no data there are no periods, so no value is provisional. */
	snprintf(cmp->data_to, sizeof(cmp->data_to), "%s", data_to[0] != '\0' ? data_to : "9999-12-31");
	if (store_acquire(pool, timeout_ms, &cmp->conn, st) != 0) {
		free(cmp);
		return -1;
	}
	PQclear(PQexec(cmp->conn->pg, "SET client_min_messages = warning"));
	if ((values = malloc(size)) == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	/* The periods: labels and dates the engine made, not user text. */
	used += (size_t)snprintf(values, size, "INSERT INTO pg_temp.engine_period VALUES ");
	for (size_t i = 0; i < nperiods; i++)
		used += (size_t)snprintf(values + used, size - used, "%s('%s', '%s', '%s', '%s')",
					 i > 0 ? ", " : "", periods[i].label, periods[i].type,
					 periods[i].start, periods[i].end);
	{
		PGresult *res;

		if ((res = store_query(cmp->conn, "BEGIN", 0, NULL, st)) == NULL)
			goto fail;
		PQclear(res);
		res = store_query(cmp->conn,
				  "CREATE TEMP TABLE engine_period (label text PRIMARY KEY, period_type "
				  "text NOT NULL, start_date date NOT NULL, end_date date NOT NULL) "
				  "ON COMMIT DROP", 0, NULL, st);
		if (res == NULL)
			goto fail;
		PQclear(res);
		if (nperiods > 0) {
			res = store_query(cmp->conn, values, 0, NULL, st);
			if (res == NULL)
				goto fail;
			PQclear(res);
		}
		/* The months of each period, through which events find theirs. */
		res = store_query(cmp->conn,
				  "CREATE TEMP TABLE engine_period_month ON COMMIT DROP AS SELECT label, "
				  "generate_series(start_date, end_date, interval '1 month')::date AS month "
				  "FROM pg_temp.engine_period", 0, NULL, st);
		if (res == NULL)
			goto fail;
		PQclear(res);
		/* Each distinct last day, indexed: snapshot kinds probe it once per
		 * record for the days the record is open on. */
		res = store_query(cmp->conn,
				  "CREATE TEMP TABLE engine_end_date ON COMMIT DROP AS SELECT DISTINCT "
				  "end_date, end_date::text AS label FROM pg_temp.engine_period", 0, NULL, st);
		if (res == NULL)
			goto fail;
		PQclear(res);
		PQclear(PQexec(cmp->conn->pg,
			       "CREATE UNIQUE INDEX ON pg_temp.engine_end_date (end_date); "
			       "ANALYZE pg_temp.engine_period; ANALYZE pg_temp.engine_period_month; "
			       "ANALYZE pg_temp.engine_end_date"));
		/* Snapshots count distinct children over many last days: let
		 * their sorts stay in memory. */
		PQclear(PQexec(cmp->conn->pg, "SET LOCAL work_mem = '64MB'"));
		params[0] = council;
		res = store_query(cmp->conn, "SELECT pg_advisory_xact_lock(hashtext('csperf-compute:' || $1))",
				  1, params, st);
		if (res == NULL)
			goto fail;
		PQclear(res);
	}
	free(values);
	*out = cmp;
	return 0;
fail:
	free(values);
	store_release(pool, cmp->conn);
	free(cmp);
	return -1;
}

int store_compute_indicator(store_compute *cmp, const char *indicator_id, int version,
			    const char *period_types, const char *sql, status *st)
{
	char version_text[16], *statement;
	const char *params[4] = { cmp->council, indicator_id, version_text, period_types };
	PGresult *res;
	size_t size = strlen(sql) + 1024;

	snprintf(version_text, sizeof(version_text), "%d", version);
	statement = malloc(size);
	if (statement == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	snprintf(statement, size,
		 "INSERT INTO indicator_value (indicator_id, version, council, org_unit, period_type, "
		 "period, period_start, period_end, breakdown, numerator, denominator, value, "
		 "provisional) SELECT $2, $3::int, $1, 'council', p.period_type, q.label, p.start_date, "
		 "p.end_date, q.breakdown, q.numerator, q.denominator, q.value, p.end_date > '%s' "
		 "FROM (%s) q JOIN pg_temp.engine_period p ON p.label = q.label "
		 "WHERE p.period_type = ANY (string_to_array($4, ','))", cmp->data_to, sql);
	cmp->indicators++;
	PQclear(PQexec(cmp->conn->pg, "SAVEPOINT indicator"));
	res = store_query(cmp->conn, "DELETE FROM indicator_value WHERE council = $1 AND "
			  "indicator_id = $2", 2, params, st);
	if (res != NULL) {
		PQclear(res);
		res = store_query(cmp->conn, statement, 4, params, st);
	}
	free(statement);
	if (res == NULL) {
		cmp->failures++;
		log_error("compute: council %s, indicator %s failed: %s", cmp->council, indicator_id,
			  st->message);
		PQclear(PQexec(cmp->conn->pg, "ROLLBACK TO SAVEPOINT indicator"));
		return -1;
	}
	cmp->values += strtol(PQcmdTuples(res), NULL, 10);
	{
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		log_debug("compute: council %s, indicator %s: %s values, %ld ms since the start",
			  cmp->council, indicator_id, PQcmdTuples(res),
			  (now.tv_sec - cmp->started.tv_sec) * 1000 +
			  (now.tv_nsec - cmp->started.tv_nsec) / 1000000);
	}
	PQclear(res);
	PQclear(PQexec(cmp->conn->pg, "RELEASE SAVEPOINT indicator"));
	return 0;
}

int store_compute_commit(store_compute *cmp, const char *data_from, int other_failures,
			 store_compute_stats *stats, status *st)
{
	struct timespec now;
	char indicators[16], values[24], failures[16], ms[24];
	const char *params[7];
	PGresult *res;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* Definitions that could not even be parsed count as failures too. */
	cmp->failures += other_failures;
	cmp->indicators += other_failures;
	stats->indicators = cmp->indicators;
	stats->failures = cmp->failures;
	stats->values = cmp->values;
	stats->milliseconds = (now.tv_sec - cmp->started.tv_sec) * 1000 +
			      (now.tv_nsec - cmp->started.tv_nsec) / 1000000;
	snprintf(indicators, sizeof(indicators), "%d", cmp->indicators);
	snprintf(values, sizeof(values), "%ld", cmp->values);
	snprintf(failures, sizeof(failures), "%d", cmp->failures);
	snprintf(ms, sizeof(ms), "%ld", stats->milliseconds);
	params[0] = cmp->council;
	params[1] = data_from[0] != '\0' ? data_from : NULL;
	params[2] = strcmp(cmp->data_to, "9999-12-31") != 0 ? cmp->data_to : NULL;
	params[3] = indicators;
	params[4] = values;
	params[5] = failures;
	params[6] = ms;
	res = store_query(cmp->conn,
		"INSERT INTO compute_run (council, data_from, data_to, indicators, values_written, "
		"failures, milliseconds) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (council) DO "
		"UPDATE SET data_from = $2, data_to = $3, indicators = $4, values_written = $5, "
		"failures = $6, milliseconds = $7, computed_at = now()", 7, params, st);
	if (res != NULL) {
		PQclear(res);
		res = store_query(cmp->conn, "COMMIT", 0, NULL, st);
		if (res != NULL) {
			PQclear(res);
			rc = 0;
		}
	}
	store_release(cmp->pool, cmp->conn);
	free(cmp);
	return rc;
}

void store_compute_abort(store_compute *cmp)
{
	if (cmp == NULL)
		return;
	store_release(cmp->pool, cmp->conn);
	free(cmp);
}

typedef struct case_adapter {
	store_case_cb cb;
	void *ctx;
} case_adapter;

static int case_row(size_t ncolumns, const char *const *values, void *ctx)
{
	case_adapter *ad = ctx;
	store_case k;

	if (ncolumns < 5)
		return 1;
	k.child_id = values[0];
	k.case_date = values[1];
	k.in_numerator = values[2][0] == 't';
	k.detail = values[3];
	k.team = values[4];
	return ad->cb(&k, ad->ctx);
}

int store_cases(store_pool *pool, int64_t timeout_ms, const char *council,
		const store_period *period, const char *sql, store_case_cb cb, void *ctx,
		status *st)
{
	const char *params[1] = { council };
	char insert[256];
	case_adapter ad = { cb, ctx };
	/* The one period, as the figure's computation had it (the label and
	 * dates are the engine's, not user text). */
	const char *setup[] = {
		"CREATE TEMP TABLE engine_period (label text PRIMARY KEY, period_type text NOT NULL, "
		"start_date date NOT NULL, end_date date NOT NULL) ON COMMIT DROP",
		insert,
		"CREATE TEMP TABLE engine_period_month ON COMMIT DROP AS SELECT label, "
		"generate_series(start_date, end_date, interval '1 month')::date AS month "
		"FROM pg_temp.engine_period",
		"CREATE TEMP TABLE engine_end_date ON COMMIT DROP AS SELECT DISTINCT end_date, "
		"end_date::text AS label FROM pg_temp.engine_period",
	};

	snprintf(insert, sizeof(insert), "INSERT INTO pg_temp.engine_period VALUES ('%s', '%s', '%s', "
		 "'%s')", period->label, period->type, period->start, period->end);
	return store_stream_rows(pool, timeout_ms, setup, sizeof(setup) / sizeof(setup[0]), sql, 1,
				 params, case_row, &ad, st);
}

int store_stream_rows(store_pool *pool, int64_t timeout_ms, const char *const *setup,
		      size_t nsetup, const char *sql, int nparams, const char *const *params,
		      store_row_cb cb, void *ctx, status *st)
{
	store_conn *c;
	PGresult *res;
	char *declare;
	size_t size = strlen(sql) + 64;
	int rc = -1;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	declare = malloc(size);
	if (declare == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	snprintf(declare, size, "DECLARE rows NO SCROLL CURSOR FOR %s", sql);
	if ((res = store_query(c, "BEGIN", 0, NULL, st)) == NULL)
		goto cleanup;
	PQclear(res);
	for (size_t i = 0; i < nsetup; i++) {
		if ((res = store_query(c, setup[i], 0, NULL, st)) == NULL)
			goto cleanup;
		PQclear(res);
	}
	if ((res = store_query(c, declare, nparams, params, st)) == NULL)
		goto cleanup;
	PQclear(res);
	for (;;) {
		int rows, columns;
		const char *values[64];

		res = store_query(c, "FETCH 500 FROM rows", 0, NULL, st);
		if (res == NULL)
			goto cleanup;
		rows = PQntuples(res);
		columns = PQnfields(res) < 64 ? PQnfields(res) : 64;
		for (int row = 0; row < rows; row++) {
			for (int col = 0; col < columns; col++)
				values[col] = PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
			if (cb((size_t)columns, values, ctx) != 0) {
				PQclear(res);
				status_set(st, STATUS_CANCELLED, "the listing was stopped");
				goto cleanup;
			}
		}
		PQclear(res);
		if (rows == 0)
			break;
	}
	rc = 0;
cleanup:
	free(declare);
	PQclear(PQexec(c->pg, "ROLLBACK"));
	store_release(pool, c);
	return rc;
}
