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
 * other gathers them in pg_temp.compute_new (and the indicator's id in
 * pg_temp.compute_done: an indicator that failed is rolled back out of
 * both), to be compared with what is stored once for the whole batch
 * (batch_steps). */
static size_t indicator_steps(const store_compute *cmp, const queued_indicator *q, step *s)
{
	size_t n = 0;

	s[n++] = (step){ "SAVEPOINT indicator", 0, { NULL }, false };
	s[n++] = (step){ q->statement, 4,
			 { cmp->council, q->indicator_id, q->period_types, q->version }, true };
	if (!cmp->fresh)
		s[n++] = (step){ "INSERT INTO pg_temp.compute_done VALUES ($1)", 1,
				 { q->indicator_id }, false };
	s[n++] = (step){
		"INSERT INTO compute_indicator (council, indicator_id, version) VALUES ($1, $2, "
		"$3::int) ON CONFLICT (council, indicator_id) DO UPDATE SET version = $3::int",
		3, { cmp->council, q->indicator_id, q->version }, false };
	s[n++] = (step){ "RELEASE SAVEPOINT indicator", 0, { NULL }, false };
	return n;
}

/* The comparison of computed values (pg_temp.compute_new) with what is
 * stored, for every indicator in pg_temp.compute_done or for one ($3, $2):
 * the values that changed or went (of periods ending from $2, when
 * incremental: the others stand) are deleted, and the new ones inserted.
 * Numbers are compared as text, so that what is stored is exactly what a
 * recompute gives. The stored values are found by index from the ids (an
 * array, which the planner takes for a few: a join with compute_done, whose
 * size it cannot know, scanned every value of the council). */
#define DIFF_DELETE_SQL \
	"DELETE FROM indicator_value v WHERE v.council = $1 AND v.org_unit = 'council' AND " \
	"v.indicator_id = ANY (ARRAY(SELECT d.indicator_id FROM pg_temp.compute_done d WHERE " \
	"$3::text IS NULL OR d.indicator_id = $3)) AND v.period_end >= $2::date AND NOT EXISTS " \
	"(SELECT 1 FROM pg_temp.compute_new n WHERE n.indicator_id = v.indicator_id AND " \
	"n.period = v.period AND n.breakdown = v.breakdown AND n.version = v.version AND " \
	"n.period_type = v.period_type " \
	"AND n.period_start = v.period_start AND n.period_end = v.period_end AND " \
	"n.provisional = v.provisional AND n.numerator::text IS NOT DISTINCT FROM " \
	"v.numerator::text AND n.denominator::text IS NOT DISTINCT FROM v.denominator::text AND " \
	"n.value::text IS NOT DISTINCT FROM v.value::text)"
#define DIFF_INSERT_SQL \
	"INSERT INTO indicator_value (indicator_id, version, council, org_unit, period_type, " \
	"period, period_start, period_end, breakdown, numerator, denominator, value, " \
	"provisional) SELECT n.indicator_id, n.version, $1, 'council', n.period_type, n.period, " \
	"n.period_start, n.period_end, n.breakdown, n.numerator, n.denominator, n.value, " \
	"n.provisional FROM pg_temp.compute_new n WHERE ($2::text IS NULL OR n.indicator_id = " \
	"$2) AND NOT EXISTS (SELECT 1 FROM indicator_value v WHERE v.council = $1 AND " \
	"v.org_unit = 'council' AND v.indicator_id = n.indicator_id AND v.period = n.period AND " \
	"v.breakdown = n.breakdown)"

/* After a batch's indicators (a council with stored values): the
 * comparison for the whole batch at once, two statements rather than two
 * per indicator (each costs a scan of the stored values it compares: half
 * the recompute's time, issue 17), under a savepoint: should writing fail,
 * write_one_by_one finds the indicator at fault. */
static size_t batch_steps(const store_compute *cmp, step *s)
{
	size_t n = 0;

	s[n++] = (step){ "SAVEPOINT batch", 0, { NULL }, false };
	s[n++] = (step){ DIFF_DELETE_SQL, 3, { cmp->council, cmp->since, NULL }, false };
	s[n++] = (step){ DIFF_INSERT_SQL, 2, { cmp->council, NULL }, false };
	s[n++] = (step){ "RELEASE SAVEPOINT batch", 0, { NULL }, false };
	s[n++] = (step){ "TRUNCATE pg_temp.compute_new, pg_temp.compute_done", 0, { NULL }, false };
	return n;
}

/* The steps of batch_steps that compare and write (a failure there is the
 * values', not the connection's). */
#define BATCH_WRITE_FIRST 1
#define BATCH_WRITE_LAST 2

size_t store_compute_values_sql(char *out, size_t size, const char *before, const char *data_to,
				const char *sql)
{
	return (size_t)snprintf(out, size,
		"%sSELECT $2::text, $4::int, p.period_type, q.label, p.start_date, p.end_date, "
		"q.breakdown, q.numerator, q.denominator, q.value, p.end_date > '%s' FROM (%s) q "
		"JOIN pg_temp.engine_period p ON p.label = q.label WHERE p.period_type = ANY "
		"(string_to_array($3, ','))", before, data_to, sql);
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

	/* Sharing with a second connection, smaller batches: the first
	 * connection claims each batch's indicators before computing them, and
	 * the two meet in the middle of the list. */
	if (cmp->lane != NULL && batch > COMPUTE_BATCH_SHARED)
		batch = COMPUTE_BATCH_SHARED;

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
	/* The same for every indicator of a run. */
	snprintf(cmp->since, sizeof(cmp->since), "%s",
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
		store_compute_values_sql(q->statement, size, "INSERT INTO pg_temp.compute_new ",
					 cmp->data_to, sql);
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

void store_compute_lost(store_compute *cmp, const char *indicator_id, const char *message)
{
	const char *params[2] = { cmp->council, indicator_id };
	status ignored = STATUS_INIT;

	cmp->failures++;
	log_error("compute: council %s, indicator %s failed: %s", cmp->council, indicator_id,
		  message);
	PQclear(store_query(cmp->conn, "DELETE FROM compute_indicator WHERE council = $1 AND "
			    "indicator_id = $2", 2, params, &ignored));
}

/* What a failed indicator leaves: its savepoint rolled back, and no mark
 * that its values are current. */
static void indicator_failed(store_compute *cmp, const char *indicator_id, const char *message)
{
	PQclear(PQexec(cmp->conn->pg, "ROLLBACK TO SAVEPOINT indicator"));
	store_compute_lost(cmp, indicator_id, message);
}

/* When writing a batch's values failed (batch_steps): back to before it,
 * and each indicator's values written under its own savepoint, so that the
 * one at fault costs its own values only, as when its computation fails. */
static int write_one_by_one(store_compute *cmp, status *st)
{
	PGresult *done;
	int rc = 0;

	if (store_exec(cmp->conn, "ROLLBACK TO SAVEPOINT batch", 0, NULL, st) != 0)
		return -1;
	done = store_query(cmp->conn, "SELECT indicator_id FROM pg_temp.compute_done "
			   "ORDER BY indicator_id", 0, NULL, st);
	if (done == NULL)
		return -1;
	for (int row = 0; row < PQntuples(done) && rc == 0; row++) {
		const char *id = PQgetvalue(done, row, 0);
		const char *del[3] = { cmp->council, cmp->since, id };
		const char *ins[2] = { cmp->council, id };
		status failure = STATUS_INIT;

		if (store_exec(cmp->conn, "SAVEPOINT indicator", 0, NULL, st) != 0) {
			rc = -1;
			break;
		}
		if (store_exec(cmp->conn, DIFF_DELETE_SQL, 3, del, &failure) != 0 ||
		    store_exec(cmp->conn, DIFF_INSERT_SQL, 2, ins, &failure) != 0) {
			if (PQstatus(cmp->conn->pg) == CONNECTION_BAD) {
				*st = failure;
				rc = -1;
				break;
			}
			indicator_failed(cmp, id, failure.message);
			continue;
		}
		if (store_exec(cmp->conn, "RELEASE SAVEPOINT indicator", 0, NULL, st) != 0)
			rc = -1;
	}
	PQclear(done);
	if (rc == 0 && store_exec(cmp->conn, "TRUNCATE pg_temp.compute_new, pg_temp.compute_done",
				  0, NULL, st) != 0)
		rc = -1;
	return rc;
}

int store_compute_write_gathered(store_compute *cmp, status *st)
{
	step steps[MAX_STEPS];
	size_t n = batch_steps(cmp, steps);

	/* batch_steps' statements one at a time (there is nothing to pipeline
	 * them with). */
	for (size_t k = 0; k < n; k++) {
		status failure = STATUS_INIT;

		if (store_exec(cmp->conn, steps[k].sql, steps[k].nparams, steps[k].params,
			       &failure) == 0)
			continue;
		if (k < BATCH_WRITE_FIRST || k > BATCH_WRITE_LAST ||
		    PQstatus(cmp->conn->pg) == CONNECTION_BAD) {
			*st = failure;
			return -1;
		}
		return write_one_by_one(cmp, st);
	}
	return 0;
}

/* Sends the statements of queued indicators first..end in one pipeline,
 * then the batch's comparison with what is stored, and reads their results.
 * Returns the index of the first indicator that failed (end when none did;
 * *write_failed then says whether the comparison failed), or -1 when the
 * pipeline itself failed. */
static long run_pipeline(store_compute *cmp, size_t first, size_t end, bool *write_failed,
			 status *st)
{
	PGconn *pg = cmp->conn->pg;
	long failed = (long)end;
	bool broken = false;
	step tail[MAX_STEPS];
	size_t ntail;
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
	/* A council's first recompute writes its values straight in: nothing
	 * to compare. */
	ntail = cmp->fresh ? 0 : batch_steps(cmp, tail);
	for (size_t k = 0; k < ntail && !broken; k++)
		if (PQsendQueryParams(pg, tail[k].sql, tail[k].nparams, NULL, tail[k].params, NULL,
				      NULL, 0) != 1)
			broken = true;
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
	/* The batch's comparison with what is stored: skipped by the server
	 * when an indicator failed (it comes again after the retry). */
	*write_failed = false;
	for (size_t k = 0; k < ntail && !broken; k++) {
		res = PQgetResult(pg);
		if (res == NULL) {
			broken = true;
			break;
		}
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_PIPELINE_ABORTED && failed == (long)end) {
			store_result_status(cmp->conn, res, st);
			*write_failed = true;
		}
		PQclear(res);
		while ((res = PQgetResult(pg)) != NULL)
			PQclear(res);
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

	if (cmp->queued == 0)
		return 0;
	/* Until the batch's comparison has run: after an indicator fails, the
	 * ones after it and the comparison go again (only the comparison, when
	 * the last one failed). */
	for (;;) {
		status failure = STATUS_INIT;
		bool write_failed = false;
		long failed = run_pipeline(cmp, first, cmp->queued, &write_failed, &failure);

		/* An indicator's own failure leaves failure set, and so does a
		 * broken pipeline (-1). */

		if (failed < 0) {
			*st = failure;
			rc = -1;
			break;
		}
		if ((size_t)failed == cmp->queued) {
			if (write_failed && write_one_by_one(cmp, st) != 0)
				rc = -1;
			break;
		}
		/* Its savepoint undone; the indicators after it again. */
		indicator_failed(cmp, cmp->queue[failed].indicator_id, failure.message);
		first = (size_t)failed + 1;
	}
	store_compute_queue_free(cmp);
	return rc;
}
