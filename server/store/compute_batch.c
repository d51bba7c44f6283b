/*
 * compute_batch.c: writing each indicator's values in a recompute.
 *
 * Each indicator runs under its own savepoint, so that one faulty
 * definition costs its own values only. Its statements are not sent one by
 * one, waiting for each answer: the indicators are queued (COMPUTE_BATCH at
 * a time) and their statements go to PostgreSQL in one libpq pipeline with
 * one sync, so a recompute of the catalogue makes a few round trips instead
 * of seven per indicator (issue 23: on two busy cores each round trip waits
 * for both processes to be scheduled again). When an indicator fails, the
 * statements queued after it are skipped by the server; its savepoint is
 * rolled back, and the indicators after it are sent again.
 */
#include "compute_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"

/* The statements of one queued indicator, as sent. */
#define MAX_STEPS 8

typedef struct step {
	const char *sql;
	int nparams;
	const char *params[4];
	bool counts;             /* its row count is the indicator's values */
} step;

/* The statements of an indicator: a council with no stored value (its
 * first recompute) takes its values straight into indicator_value; any
 * other compares them with what is stored (pg_temp.compute_new) and writes
 * only what differs: the values that changed or went (of periods ending
 * from `since`, when incremental: the others stand) are deleted, and the
 * new ones inserted. Numbers are compared as text, so that what is stored
 * is exactly what a recompute gives. */
static size_t indicator_steps(const store_compute *cmp, const queued_indicator *q, step *s)
{
	size_t n = 0;

	s[n++] = (step){ "SAVEPOINT indicator", 0, { NULL }, false };
	if (cmp->fresh) {
		s[n++] = (step){ q->statement, 4,
				 { cmp->council, q->indicator_id, q->period_types, q->version }, true };
	} else {
		s[n++] = (step){ "TRUNCATE pg_temp.compute_new", 0, { NULL }, false };
		s[n++] = (step){ q->statement, 3, { cmp->council, q->indicator_id, q->period_types },
				 true };
		s[n++] = (step){
			"DELETE FROM indicator_value v WHERE v.council = $1 AND v.indicator_id = $2 AND "
			"v.period_end >= $4::date AND NOT EXISTS (SELECT 1 FROM pg_temp.compute_new n "
			"WHERE n.period = v.period AND n.breakdown = v.breakdown AND v.org_unit = "
			"'council' AND v.version = $3::int AND n.period_type = v.period_type AND "
			"n.period_start = v.period_start AND n.period_end = v.period_end AND "
			"n.provisional = v.provisional AND n.numerator::text IS NOT DISTINCT FROM "
			"v.numerator::text AND n.denominator::text IS NOT DISTINCT FROM "
			"v.denominator::text AND n.value::text IS NOT DISTINCT FROM v.value::text)",
			4, { cmp->council, q->indicator_id, q->version, q->since }, false };
		s[n++] = (step){
			"INSERT INTO indicator_value (indicator_id, version, council, org_unit, period_type, "
			"period, period_start, period_end, breakdown, numerator, denominator, value, "
			"provisional) SELECT $2, $3::int, $1, 'council', n.* FROM pg_temp.compute_new n "
			"WHERE NOT EXISTS (SELECT 1 FROM indicator_value v WHERE v.council = $1 AND "
			"v.org_unit = 'council' AND v.indicator_id = $2 AND v.period = n.period AND "
			"v.breakdown = n.breakdown)", 3, { cmp->council, q->indicator_id, q->version },
			false };
	}
	s[n++] = (step){
		"INSERT INTO compute_indicator (council, indicator_id, version) VALUES ($1, $2, "
		"$3::int) ON CONFLICT (council, indicator_id) DO UPDATE SET version = $3::int",
		3, { cmp->council, q->indicator_id, q->version }, false };
	s[n++] = (step){ "RELEASE SAVEPOINT indicator", 0, { NULL }, false };
	return n;
}

int store_compute_indicator(store_compute *cmp, const char *indicator_id, int version,
			    const char *period_types, const char *sql, const char *since,
			    status *st)
{
	queued_indicator *q;
	size_t size = strlen(sql) + 1024;
	/* With the debug log, one at a time: each indicator's logged time is
	 * then its own (bench/compute.sh --by-indicator reads them). */
	size_t batch = log_get_level() == LOG_LEVEL_DEBUG ? 1 : COMPUTE_BATCH;

	if (cmp->queued >= batch && store_compute_flush(cmp, st) != 0)
		return -1;
	q = &cmp->queue[cmp->queued];
	memset(q, 0, sizeof(*q));
	q->indicator_id = strdup(indicator_id);
	q->period_types = strdup(period_types);
	q->statement = malloc(size);
	if (q->indicator_id == NULL || q->period_types == NULL || q->statement == NULL) {
		free(q->indicator_id);
		free(q->period_types);
		free(q->statement);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	snprintf(q->version, sizeof(q->version), "%d", version);
	snprintf(q->since, sizeof(q->since), "%s",
		 since != NULL && since[0] != '\0' ? since : "-infinity");
	if (cmp->fresh)
		snprintf(q->statement, size,
			 "INSERT INTO indicator_value (indicator_id, version, council, org_unit, "
			 "period_type, period, period_start, period_end, breakdown, numerator, "
			 "denominator, value, provisional) SELECT $2, $4::int, $1, 'council', "
			 "p.period_type, q.label, p.start_date, p.end_date, q.breakdown, q.numerator, "
			 "q.denominator, q.value, p.end_date > '%s' FROM (%s) q JOIN "
			 "pg_temp.engine_period p ON p.label = q.label "
			 "WHERE p.period_type = ANY (string_to_array($3, ','))", cmp->data_to, sql);
	else
		snprintf(q->statement, size,
			 "INSERT INTO pg_temp.compute_new SELECT p.period_type, q.label, p.start_date, "
			 "p.end_date, q.breakdown, q.numerator, q.denominator, q.value, "
			 "p.end_date > '%s' FROM (%s) q JOIN pg_temp.engine_period p "
			 "ON p.label = q.label WHERE p.period_type = ANY (string_to_array($3, ',')) "
			 "AND $2::text IS NOT NULL", cmp->data_to, sql);
	cmp->queued++;
	cmp->indicators++;
	return 0;
}

static void queued_free(queued_indicator *q)
{
	free(q->indicator_id);
	free(q->period_types);
	free(q->statement);
	memset(q, 0, sizeof(*q));
}

void store_compute_queue_free(store_compute *cmp)
{
	for (size_t i = 0; i < cmp->queued; i++)
		queued_free(&cmp->queue[i]);
	cmp->queued = 0;
}

static void log_indicator(const store_compute *cmp, const char *indicator_id, const char *values)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	log_debug("compute: council %s, indicator %s: %s values, %ld ms since the start",
		  cmp->council, indicator_id, values,
		  (now.tv_sec - cmp->started.tv_sec) * 1000 +
		  (now.tv_nsec - cmp->started.tv_nsec) / 1000000);
}

/* What a failed indicator leaves: its savepoint rolled back, and no mark
 * that its values are current (the next recompute does it whole). */
static void indicator_failed(store_compute *cmp, const char *indicator_id, const char *message)
{
	const char *params[2] = { cmp->council, indicator_id };
	status ignored = STATUS_INIT;

	cmp->failures++;
	log_error("compute: council %s, indicator %s failed: %s", cmp->council, indicator_id,
		  message);
	PQclear(PQexec(cmp->conn->pg, "ROLLBACK TO SAVEPOINT indicator"));
	PQclear(store_query(cmp->conn, "DELETE FROM compute_indicator WHERE council = $1 AND "
			    "indicator_id = $2", 2, params, &ignored));
}

/* Sends the statements of queued indicators first..end in one pipeline and
 * reads their results. Returns the index of the first indicator that
 * failed (end when none did), or -1 when the pipeline itself failed. */
static long run_pipeline(store_compute *cmp, size_t first, size_t end, status *st)
{
	PGconn *pg = cmp->conn->pg;
	long failed = (long)end;
	bool broken = false;
	PGresult *res;

	if (PQenterPipelineMode(pg) != 1)
		return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	for (size_t i = first; i < end && !broken; i++) {
		step steps[MAX_STEPS];
		size_t n = indicator_steps(cmp, &cmp->queue[i], steps);

		for (size_t k = 0; k < n && !broken; k++)
			if (PQsendQueryParams(pg, steps[k].sql, steps[k].nparams, NULL,
					      steps[k].params, NULL, NULL, 0) != 1)
				broken = true;
	}
	if (broken || PQpipelineSync(pg) != 1) {
		log_warn("store: a recompute's pipeline failed: %s",
			 store_first_line(PQerrorMessage(pg)));
		PQexitPipelineMode(pg);
		return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	}
	for (size_t i = first; i < end; i++) {
		step steps[MAX_STEPS];
		size_t n = indicator_steps(cmp, &cmp->queue[i], steps);
		char values[32] = "0";
		status failure = STATUS_INIT;
		bool ok = true;

		for (size_t k = 0; k < n; k++) {
			ExecStatusType rs;

			res = PQgetResult(pg);
			if (res == NULL) {
				broken = true;
				break;
			}
			rs = PQresultStatus(res);
			if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
				if (steps[k].counts)
					snprintf(values, sizeof(values), "%s", PQcmdTuples(res));
			} else if (rs != PGRES_PIPELINE_ABORTED && ok && (long)i < failed) {
				store_result_status(cmp->conn, res, &failure);
				ok = false;
				failed = (long)i;
				*st = failure;
			} else {
				ok = false;
			}
			PQclear(res);
			/* Each statement's results end with a NULL. */
			while ((res = PQgetResult(pg)) != NULL)
				PQclear(res);
		}
		if (broken)
			break;
		if (ok) {
			cmp->values += strtol(values, NULL, 10);
			log_indicator(cmp, cmp->queue[i].indicator_id, values);
		}
	}
	/* Then the sync (a stray NULL before it is skipped, a few at most). */
	for (int tries = 0; !broken; tries++) {
		res = PQgetResult(pg);
		if (res == NULL) {
			broken = PQstatus(pg) == CONNECTION_BAD || tries > 8;
			continue;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		PQclear(res);
	}
	if (broken || PQexitPipelineMode(pg) != 1) {
		log_warn("store: a recompute's pipeline failed: %s",
			 store_first_line(PQerrorMessage(pg)));
		return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	}
	return failed;
}

int store_compute_flush(store_compute *cmp, status *st)
{
	size_t first = 0;
	int rc = 0;

	while (first < cmp->queued) {
		status failure = STATUS_INIT;
		long failed = run_pipeline(cmp, first, cmp->queued, &failure);

		/* An indicator's own failure leaves failure set, and so does a
		 * broken pipeline (-1). */

		if (failed < 0) {
			*st = failure;
			rc = -1;
			break;
		}
		if ((size_t)failed == cmp->queued)
			break;
		/* Its savepoint undone; the indicators after it again. */
		indicator_failed(cmp, cmp->queue[failed].indicator_id, failure.message);
		first = (size_t)failed + 1;
	}
	store_compute_queue_free(cmp);
	return rc;
}
