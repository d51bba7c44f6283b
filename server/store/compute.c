/*
 * compute.c: the store's side of computing indicators: the data range of a
 * council, the current definitions, what loads changed since the last
 * recompute, and writing a council's values in one transaction (each
 * indicator under its own savepoint, so that one faulty definition costs its
 * own values only; readers see the old values or the new, never half). The
 * SQL of each indicator comes from the engine; this file only runs it.
 */
#include "store_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"
#include "../strbuf.h"
#include "compute_internal.h"
#include "record_tables.h"
#include "schema.h"

/* The period tables the engine's SQL joins to (engine.c), made in the
 * transaction of a recompute (every period) or of a drill-through (one):
 * the periods, the months of each (through which events find theirs), and
 * each distinct last day (snapshot kinds probe it once per record for the
 * days the record is open on). */
#define PERIOD_TABLE_SQL \
	"CREATE TEMP TABLE engine_period (label text PRIMARY KEY, period_type text NOT NULL, " \
	"start_date date NOT NULL, end_date date NOT NULL) ON COMMIT DROP"
#define PERIOD_MONTH_SQL \
	"CREATE TEMP TABLE engine_period_month ON COMMIT DROP AS SELECT label, " \
	"generate_series(start_date, end_date, interval '1 month')::date AS month " \
	"FROM pg_temp.engine_period"
#define END_DATE_SQL \
	"CREATE TEMP TABLE engine_end_date ON COMMIT DROP AS SELECT DISTINCT end_date, " \
	"end_date::text AS label FROM pg_temp.engine_period"


/* The dates that place a council's events in time: the earliest and latest
 * across the main journey records (ends included, so a return whose last
 * events are closures still reaches its year end). Dates in the future are
 * typing errors, not periods to report. */
static const char data_range_sql[] =
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
	") dates WHERE d BETWEEN '2010-01-01' AND least(current_date, '2035-12-31')";

static void copy_range(PGresult *res, char from[16], char to[16])
{
	from[0] = to[0] = '\0';
	if (!PQgetisnull(res, 0, 0)) {
		snprintf(from, 16, "%s", PQgetvalue(res, 0, 0));
		snprintf(to, 16, "%s", PQgetvalue(res, 0, 1));
	}
}

int store_data_range(store_pool *pool, int64_t timeout_ms, const char *council,
		     char from[16], char to[16], status *st)
{
	const char *params[1] = { council };
	PGresult *res;

	from[0] = to[0] = '\0';
	res = store_read(pool, timeout_ms, data_range_sql, 1, params, st);
	if (res == NULL)
		return -1;
	copy_range(res, from, to);
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

/* ---- what loads changed ---- */

/* ", alias.d1, alias.d2, ..." over the fields that place a record in time:
 * its date fields; a population estimate's year, as its 1 January (rates
 * divide by the latest estimate for a year up to the period's). Nothing
 * when it has none. */
static bool add_dates(strbuf *b, const csperf_record_schema *schema, const char *alias)
{
	bool any = false;

	if (schema->type == CSPERF_RECORD_POPULATION) {
		strbuf_add(b, ", make_date(%s.year, 1, 1)", alias);
		return true;
	}
	for (size_t f = 0; f < schema->nfields; f++) {
		if (schema->fields[f].kind != CSPERF_FIELD_DATE)
			continue;
		strbuf_add(b, ", %s.%s", alias, schema->fields[f].name);
		any = true;
	}
	return any;
}

static void add_key_list(strbuf *b, const char *const *key, const char *alias)
{
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(b, "%s%s%s%s", k > 0 ? ", " : "", alias, alias[0] != '\0' ? "." : "", key[k]);
}

/* FROM the records of type `schema` that loads $2 bring (k), each with its
 * current version (c) and its newest version from a load up to $3 (o): the
 * record as it is, and as it was when the last recompute saw it (or, for a
 * deletion, as it will be). */
static void add_versions(strbuf *b, const csperf_record_schema *schema, const char *const *key)
{
	strbuf_add(b, " FROM (SELECT DISTINCT ");
	add_key_list(b, key, "");
	strbuf_add(b, " FROM rec_%s WHERE council = $1 AND load_id = ANY ($2::bigint[])) k LEFT JOIN "
	       "rec_%s c ON c.council = $1 AND c.is_current", schema->name, schema->name);
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(b, " AND c.%s = k.%s", key[k], key[k]);
	strbuf_add(b, " LEFT JOIN (SELECT DISTINCT ON (");
	add_key_list(b, key, "");
	strbuf_add(b, ") * FROM rec_%s WHERE council = $1 AND load_id <= $3::bigint AND (", schema->name);
	add_key_list(b, key, "");
	strbuf_add(b, ") IN (SELECT ");
	add_key_list(b, key, "");
	strbuf_add(b, " FROM rec_%s WHERE council = $1 AND load_id = ANY ($2::bigint[])) ORDER BY ",
	       schema->name);
	add_key_list(b, key, "");
	strbuf_add(b, ", load_id DESC) o ON true");
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(b, " AND o.%s = k.%s", key[k], key[k]);
	/* For a deletion ($4), only the records whose current version goes. */
	strbuf_add(b, " WHERE (NOT $4::boolean OR c.load_id = ANY ($2::bigint[]))");
}

static bool has_dates(const csperf_record_schema *schema)
{
	strbuf probe = { NULL, 0, 0, true };   /* failed: writes nothing */

	return add_dates(&probe, schema, "x");
}

/* ROW(alias.f1, ...) over every field, or only `only` and child_id. */
static void add_row(strbuf *b, const csperf_record_schema *schema, const char *only,
		    const char *alias)
{
	bool first = true;

	strbuf_add(b, "ROW(");
	for (size_t f = 0; f < schema->nfields; f++) {
		const char *name = schema->fields[f].name;

		if (only != NULL && strcmp(name, only) != 0 && strcmp(name, "child_id") != 0)
			continue;
		strbuf_add(b, "%s%s.%s", first ? "" : ", ", alias, name);
		first = false;
	}
	strbuf_add(b, ")");
}

/*
 * The SQL giving the earliest date the loads $2 (bigint[]) of council $1
 * changed, in the record types marked in reads: for each record they bring,
 * its version now (c) against its version from a load up to $3 (o), and,
 * when the two differ in any field, every date of both. ($4 true: $2 is
 * one load about to be deleted, $3 the load before it: only records whose
 * current version it holds change, to the version before.) For a child whose
 * birth date (or presence) differs, the dates of all the child's current
 * records (ages are taken from it). '-infinity' when a changed record of a
 * type read has no date to place it by; NULL when nothing read changed.
 */
static char *touched_sql(const bool *reads)
{
	strbuf b = STRBUF_INIT;

	if (reads[CSPERF_RECORD_CHILD]) {
		const csperf_record_schema *child = csperf_schema_by_type(CSPERF_RECORD_CHILD);

		strbuf_add(&b, "WITH kids AS (SELECT k.child_id");
		add_versions(&b, child, store_record_key(CSPERF_RECORD_CHILD));
		strbuf_add(&b, " AND ");
		add_row(&b, child, "birth_date", "c");
		strbuf_add(&b, " IS DISTINCT FROM ");
		add_row(&b, child, "birth_date", "o");
		strbuf_add(&b, ") ");
	}
	strbuf_add(&b, "SELECT t, d::text FROM (VALUES (0, NULL::date)");
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		const char *const *key = store_record_key((csperf_record_type)t);

		if (!reads[t] || schema == NULL || key == NULL)
			continue;
		if (t == CSPERF_RECORD_CHILD) {
			/* The current records of those children, in every type read. */
			strbuf_add(&b, ", (%d, least(NULL::date", t);
			for (int u = 1; u <= CSPERF_RECORD_TYPE_LAST; u++) {
				const csperf_record_schema *other = csperf_schema_by_type((csperf_record_type)u);

				if (!reads[u] || other == NULL || u == CSPERF_RECORD_CHILD ||
				    csperf_schema_field_index(other, "child_id") < 0)
					continue;
				strbuf_add(&b, ", (SELECT min(least(CASE WHEN r.child_id IS NOT NULL AND "
				       "%s THEN '-infinity'::date END", has_dates(other) ? "false" : "true");
				add_dates(&b, other, "r");
				strbuf_add(&b, ")) FROM rec_%s r WHERE r.council = $1 AND r.is_current AND "
				       "r.child_id IN (SELECT child_id FROM kids))", other->name);
			}
			strbuf_add(&b, "))");
			continue;
		}
		strbuf_add(&b, ", (%d, (SELECT min(least(CASE WHEN %s THEN '-infinity'::date END", t,
		       has_dates(schema) ? "false" : "true");
		add_dates(&b, schema, "c");
		add_dates(&b, schema, "o");
		strbuf_add(&b, "))");
		add_versions(&b, schema, key);
		strbuf_add(&b, " AND ");
		add_row(&b, schema, NULL, "c");
		strbuf_add(&b, " IS DISTINCT FROM ");
		add_row(&b, schema, NULL, "o");
		strbuf_add(&b, "))");
	}
	strbuf_add(&b, ") x (t, d) WHERE d IS NOT NULL");
	if (b.failed) {
		free(b.text);
		return NULL;
	}
	return b.text;
}

/* The earliest date loads `ids` ("{1,2}") changed since the state of load
 * `bound` (deletion: the load about to be deleted, against the one before):
 * "" for none, "-infinity" for every period; changed (when not NULL) marks
 * the record types changed. */
static int loads_touched(store_conn *c, const char *council, const char *ids, const char *bound,
			 bool deletion, const bool *reads, char since[16], bool *changed, status *st)
{
	const char *params[4] = { council, ids, bound, deletion ? "true" : "false" };
	char *sql = touched_sql(reads);
	PGresult *res;

	since[0] = '\0';
	if (sql == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	res = store_query(c, sql, 4, params, st);
	free(sql);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res); row++) {
		int type = atoi(PQgetvalue(res, row, 0));

		if (since[0] == '\0' || strcmp(PQgetvalue(res, row, 1), since) < 0)
			snprintf(since, 16, "%s", PQgetvalue(res, row, 1));
		if (changed != NULL && type > 0 && type <= CSPERF_RECORD_TYPE_LAST)
			changed[type] = true;
	}
	PQclear(res);
	return 0;
}

/* Keeps the earlier of two ISO dates in since ("" is none, "-infinity"
 * comes first: '-' sorts before digits). */
static void keep_earlier(char since[16], const char *date)
{
	if (date[0] == '\0')
		return;
	if (since[0] == '\0' || strcmp(date, since) < 0)
		snprintf(since, 16, "%s", date);
}

int store_compute_note_deletion(store_pool *pool, int64_t timeout_ms, const char *council,
				int64_t load_id, const bool *reads, status *st)
{
	char ids[40], before[24], since[16];
	const char *params[3] = { council, ids + 1, since };
	store_conn *c;
	PGresult *res;
	int rc = -1;

	snprintf(ids, sizeof(ids), "{%lld}", (long long)load_id);
	snprintf(before, sizeof(before), "%lld", (long long)load_id - 1);
	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	if (loads_touched(c, council, ids, before, true, reads, since, NULL, st) != 0)
		goto cleanup;
	rc = 0;
	if (since[0] == '\0')
		goto cleanup;   /* nothing the catalogue reads */
	ids[strlen(ids) - 1] = '\0';
	params[2] = strcmp(since, "-infinity") == 0 ? NULL : since;
	res = store_query(c, "INSERT INTO compute_pending (council, load_id, since) VALUES ($1, $2, $3)",
			  3, params, st);
	if (res == NULL)
		rc = -1;
	PQclear(res);
cleanup:
	store_release(pool, c);
	return rc;
}

int store_compute_forget_deletion(store_pool *pool, int64_t timeout_ms, const char *council,
				  int64_t load_id, status *st)
{
	char id[24];
	const char *params[2] = { council, id };
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", (long long)load_id);
	/* Only while the load is still there: once deleted, the note is needed. */
	res = store_read(pool, timeout_ms, "DELETE FROM compute_pending p WHERE council = $1 AND "
			 "load_id = $2 AND EXISTS (SELECT 1 FROM load l WHERE l.id = p.load_id)",
			 2, params, st);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* ---- one recompute ---- */

int store_compute_begin(store_pool *pool, int64_t timeout_ms, const char *council, bool wait,
			char from[16], char to[16], store_compute **out, status *st)
{
	store_compute *cmp = calloc(1, sizeof(*cmp));
	const char *params[1] = { council };
	PGresult *res;

	*out = NULL;
	from[0] = to[0] = '\0';
	if (cmp == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	cmp->pool = pool;
	clock_gettime(CLOCK_MONOTONIC, &cmp->started);
	snprintf(cmp->council, sizeof(cmp->council), "%s", council);
	if (store_acquire(pool, timeout_ms, &cmp->conn, st) != 0) {
		free(cmp);
		return -1;
	}
	PQclear(PQexec(cmp->conn->pg, "SET client_min_messages = warning"));
	if ((res = store_query(cmp->conn, "BEGIN", 0, NULL, st)) == NULL)
		goto fail;
	PQclear(res);
	/* Snapshots count distinct children over many last days: let their
	 * sorts stay in memory. No JIT: an indicator's statement runs once, and
	 * compiling it cost more than running it (up to 1.5 s each, as
	 * EXPLAIN ANALYZE showed for the repeat_within kind). */
	PQclear(PQexec(cmp->conn->pg, "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off"));
	/* One recompute of a council at a time; what it reads comes after. */
	res = store_query(cmp->conn, wait
			  ? "SELECT pg_advisory_xact_lock(hashtext('csperf-compute:' || $1))"
			  : "SELECT pg_try_advisory_xact_lock(hashtext('csperf-compute:' || $1))",
			  1, params, st);
	if (res == NULL)
		goto fail;
	if (!wait && PQgetvalue(res, 0, 0)[0] != 't') {
		PQclear(res);
		status_set(st, STATUS_ABORTED, "council %s is being recomputed", council);
		goto fail;
	}
	PQclear(res);
	if ((res = store_query(cmp->conn, data_range_sql, 1, params, st)) == NULL)
		goto fail;
	copy_range(res, from, to);
	PQclear(res);
	/* Loads commit one at a time per council (store/loads.c holds a lock
	 * from taking a load id to its commit): every load after this one
	 * commits later and is the next recompute's to account for. */
	res = store_query(cmp->conn, "SELECT coalesce(max(id), 0)::text FROM load WHERE council = $1",
			  1, params, st);
	if (res == NULL)
		goto fail;
	snprintf(cmp->last_load, sizeof(cmp->last_load), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	/* A council computed for the first time (its first load) has no value
	 * to compare with: each indicator's values go straight in
	 * (store_compute_indicator). The compute lock is held: no other run
	 * writes them meanwhile. */
	res = store_query(cmp->conn, "SELECT NOT EXISTS (SELECT 1 FROM indicator_value WHERE "
			  "council = $1)", 1, params, st);
	if (res == NULL)
		goto fail;
	cmp->fresh = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	*out = cmp;
	return 0;
fail:
	store_release(pool, cmp->conn);
	free(cmp);
	return -1;
}

int store_compute_changed_since(store_compute *cmp, const bool *reads, const char *periods_from,
				const char *data_to, char since[16], bool *changed, bool *full,
				status *st)
{
	const char *params[3] = { cmp->council, NULL, cmp->last_load };
	char touched[16], through[24];
	PGresult *res;

	*full = true;
	since[0] = '\0';
	memset(changed, 0, (CSPERF_RECORD_TYPE_LAST + 1) * sizeof(*changed));
	res = store_query(cmp->conn,
		"SELECT r.through_load::text, coalesce(r.periods_from::text, ''), "
		"coalesce(r.state_data_to::text, ''), EXISTS (SELECT 1 FROM indicator i WHERE NOT "
		"EXISTS (SELECT 1 FROM compute_indicator c WHERE c.council = r.council AND "
		"c.indicator_id = i.indicator_id AND c.version = i.version)) OR r.state_nation IS "
		"DISTINCT FROM (SELECT nation FROM council WHERE la_code = r.council) FROM compute_run r "
		"WHERE r.council = $1 AND r.through_load IS NOT NULL", 1, params, st);
	if (res == NULL)
		return -1;
	/* In full: never computed whole, periods that begin elsewhere (the
	 * fifteen years moved on, or earlier data arrived), a definition whose
	 * values are not all of its current version, or another nation (other
	 * bank holidays). */
	if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 1), periods_from) != 0 ||
	    PQgetvalue(res, 0, 3)[0] == 't' || PQgetvalue(res, 0, 2)[0] == '\0' ||
	    data_to[0] == '\0') {
		PQclear(res);
		return 0;
	}
	/* A later last date ends provisional values: periods ending from the
	 * earlier of the two change their flag. */
	if (strcmp(PQgetvalue(res, 0, 2), data_to) != 0) {
		keep_earlier(since, strcmp(PQgetvalue(res, 0, 2), data_to) < 0 ?
				    PQgetvalue(res, 0, 2) : data_to);
		for (int t = 0; t <= CSPERF_RECORD_TYPE_LAST; t++)
			changed[t] = true;
	}
	snprintf(through, sizeof(through), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	params[1] = through;
	/* The loads since, and what they changed. */
	res = store_query(cmp->conn,
			  "SELECT array_agg(id ORDER BY id)::text FROM load WHERE council = $1 AND "
			  "id > $2::bigint AND id <= $3::bigint", 3, params, st);
	if (res == NULL)
		return -1;
	if (!PQgetisnull(res, 0, 0)) {
		int rc = loads_touched(cmp->conn, cmp->council, PQgetvalue(res, 0, 0), params[1], false,
				       reads, touched, changed, st);

		if (rc != 0) {
			PQclear(res);
			return -1;
		}
		keep_earlier(since, touched);
	}
	PQclear(res);
	/* What deleted loads noted before they went. */
	res = store_query(cmp->conn,
			  "SELECT coalesce(max(id), 0)::text, min(since)::text, coalesce(bool_or(since IS "
			  "NULL), false) FROM compute_pending WHERE council = $1", 1, params, st);
	if (res == NULL)
		return -1;
	snprintf(cmp->pending_upto, sizeof(cmp->pending_upto), "%s", PQgetvalue(res, 0, 0));
	if (PQgetvalue(res, 0, 2)[0] == 't')
		snprintf(since, 16, "-infinity");
	else if (!PQgetisnull(res, 0, 1)) {
		keep_earlier(since, PQgetvalue(res, 0, 1));
		for (int t = 0; t <= CSPERF_RECORD_TYPE_LAST; t++)
			changed[t] = true;
	}
	PQclear(res);
	if (strcmp(since, "-infinity") == 0) {
		since[0] = '\0';
		return 0;
	}
	*full = false;
	return 0;
}

int store_compute_period_tables(store_conn *c, const store_period *periods, size_t nperiods,
				status *st)
{
	char *values = NULL;
	size_t size = nperiods * 96 + 64, used = 0;
	int rc = -1;

	if ((values = malloc(size)) == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	/* The periods: labels and dates the engine made, not user text. */
	used += (size_t)snprintf(values, size, "INSERT INTO pg_temp.engine_period VALUES ");
	for (size_t i = 0; i < nperiods; i++)
		used += (size_t)snprintf(values + used, size - used, "%s('%s', '%s', '%s', '%s')",
					 i > 0 ? ", " : "", periods[i].label, periods[i].type,
					 periods[i].start, periods[i].end);
	if (store_exec(c, PERIOD_TABLE_SQL, 0, NULL, st) != 0)
		goto cleanup;
	if (nperiods > 0 && store_exec(c, values, 0, NULL, st) != 0)
		goto cleanup;
	if (store_exec(c, PERIOD_MONTH_SQL, 0, NULL, st) != 0)
		goto cleanup;
	if (store_exec(c, END_DATE_SQL, 0, NULL, st) != 0)
		goto cleanup;
	PQclear(PQexec(c->pg,
		       "CREATE UNIQUE INDEX ON pg_temp.engine_end_date (end_date); "
		       "CREATE INDEX ON pg_temp.engine_period_month (month); "
		       "ANALYZE pg_temp.engine_period; ANALYZE pg_temp.engine_period_month; "
		       "ANALYZE pg_temp.engine_end_date"));
	rc = 0;
cleanup:
	free(values);
	return rc;
}

int store_compute_periods(store_compute *cmp, const char *data_to, const store_period *periods,
			  size_t nperiods, status *st)
{
	/* With no data there are no periods, so no value is provisional. */
	snprintf(cmp->data_to, sizeof(cmp->data_to), "%s", data_to[0] != '\0' ? data_to : "9999-12-31");
	if (store_compute_period_tables(cmp->conn, periods, nperiods, st) != 0)
		return -1;
	/* Each indicator's values as computed, before they are compared with
	 * what is stored; and the indicators whose values they are. */
	if (store_exec(cmp->conn,
			  "CREATE TEMP TABLE compute_new (indicator_id text, version int, period_type "
			  "text, period text, period_start date, period_end date, breakdown text, "
			  "numerator numeric, denominator numeric, value numeric, provisional boolean) "
			  "ON COMMIT DROP", 0, NULL, st) != 0)
		return -1;
	return store_exec(cmp->conn,
			  "CREATE TEMP TABLE compute_done (indicator_id text) ON COMMIT DROP",
			  0, NULL, st);
}

int store_compute_fact(store_compute *cmp, const char *name, const char *sql, status *st)
{
	const char *params[1] = { cmp->council };
	char analyze[96];

	if (store_exec(cmp->conn, sql, 1, params, st) != 0)
		return -1;
	/* The name is the engine's (a fixed identifier), not user text. */
	snprintf(analyze, sizeof(analyze), "ANALYZE pg_temp.%s", name);
	return store_exec(cmp->conn, analyze, 0, NULL, st);
}

int store_compute_commit(store_compute *cmp, const char *data_from, int other_failures,
			 const store_compute_state *whole, store_compute_stats *stats, status *st)
{
	struct timespec now;
	char indicators[16], values[24], failures[16], ms[24];
	const char *params[7];
	PGresult *res;
	int rc = -1;

	/* The indicators still queued go first, then the second connection's. */
	if (store_compute_flush(cmp, st) != 0 || store_compute_lane_write(cmp, st) != 0) {
		store_compute_abort(cmp);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* Definitions that could not even be parsed count as failures too. */
	cmp->failures += other_failures;
	cmp->indicators += other_failures;
	stats->indicators = cmp->indicators;
	stats->failures = cmp->failures;
	stats->values = cmp->values;
	stats->shared = cmp->shared;
	stats->first = cmp->fresh && cmp->values > 0;
	stats->milliseconds = (now.tv_sec - cmp->started.tv_sec) * 1000 +
			      (now.tv_nsec - cmp->started.tv_nsec) / 1000000;
	snprintf(indicators, sizeof(indicators), "%d", cmp->indicators);
	snprintf(values, sizeof(values), "%ld", cmp->values);
	snprintf(failures, sizeof(failures), "%d", cmp->failures);
	snprintf(ms, sizeof(ms), "%ld", stats->milliseconds);
	params[0] = cmp->council;
	params[1] = data_from[0] != '\0' ? data_from : NULL;
	params[2] = cmp->data_to[0] != '\0' && strcmp(cmp->data_to, "9999-12-31") != 0 ?
		    cmp->data_to : NULL;
	params[3] = indicators;
	params[4] = values;
	params[5] = failures;
	params[6] = ms;
	res = store_query(cmp->conn,
		"INSERT INTO compute_run (council, data_from, data_to, indicators, values_written, "
		"failures, milliseconds) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (council) DO "
		"UPDATE SET data_from = $2, data_to = $3, indicators = $4, values_written = $5, "
		"failures = $6, milliseconds = $7, computed_at = now()", 7, params, st);
	if (res != NULL && whole != NULL) {
		/* What the next recompute starts from; notes of loads since
		 * deleted are accounted for. */
		const char *state[6] = { cmp->council, cmp->last_load,
					 whole->periods_from[0] != '\0' ? whole->periods_from : NULL,
					 params[2],
					 whole->recomputed_from[0] != '\0' ? whole->recomputed_from : NULL,
					 cmp->pending_upto[0] != '\0' ? cmp->pending_upto : "0" };

		PQclear(res);
		res = store_query(cmp->conn,
			"UPDATE compute_run SET through_load = $2::bigint, periods_from = $3, "
			"state_data_to = $4, recomputed_from = $5, state_nation = (SELECT nation FROM "
			"council WHERE la_code = $1) WHERE council = $1", 5, state, st);
		if (res != NULL) {
			const char *notes[2] = { cmp->council, state[5] };

			PQclear(res);
			res = store_query(cmp->conn,
				"DELETE FROM compute_pending p WHERE council = $1 AND id <= $2::bigint AND "
				"NOT EXISTS (SELECT 1 FROM load l WHERE l.id = p.load_id)", 2, notes, st);
		}
	}
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

int store_analyze_values(store_pool *pool, int64_t timeout_ms, status *st)
{
	PGresult *res = store_read(pool, timeout_ms, "SELECT csperf_analyze_values()", 0, NULL, st);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

void store_compute_abort(store_compute *cmp)
{
	if (cmp == NULL)
		return;
	store_compute_lane_end(cmp);
	store_compute_queue_free(cmp);
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

static int stream_rows(store_pool *pool, int64_t timeout_ms, const char *const *setup,
		       size_t nsetup, const store_org_unit *unit, const char *param_setup,
		       const char *sql, int nparams, const char *const *params, store_row_cb cb,
		       void *ctx, status *st);

int store_cases(store_pool *pool, int64_t timeout_ms, const char *council,
		const store_period *period, const char *sql, store_case_cb cb, void *ctx,
		status *st)
{
	return store_cases_of_fact(pool, timeout_ms, council, period, NULL, sql, cb, ctx, st);
}

int store_cases_of_fact(store_pool *pool, int64_t timeout_ms, const char *council,
			const store_period *period, const char *fact_sql, const char *sql,
			store_case_cb cb, void *ctx, status *st)
{
	return store_cases_of_unit(pool, timeout_ms, council, NULL, period, fact_sql, sql, cb, ctx,
				   st);
}

int store_cases_of_unit(store_pool *pool, int64_t timeout_ms, const char *council,
			const store_org_unit *unit, const store_period *period,
			const char *fact_sql, const char *sql, store_case_cb cb, void *ctx,
			status *st)
{
	const char *params[1] = { council };
	char insert[256];
	case_adapter ad = { cb, ctx };
	/* The one period, as the figure's computation had it (the label and
	 * dates are the engine's, not user text). */
	const char *setup[] = { PERIOD_TABLE_SQL, insert, PERIOD_MONTH_SQL, END_DATE_SQL };

	snprintf(insert, sizeof(insert), "INSERT INTO pg_temp.engine_period VALUES ('%s', '%s', '%s', "
		 "'%s')", period->label, period->type, period->start, period->end);
	return stream_rows(pool, timeout_ms, setup, sizeof(setup) / sizeof(setup[0]), unit,
			   fact_sql, sql, 1, params, case_row, &ad, st);
}

int store_stream_rows(store_pool *pool, int64_t timeout_ms, const char *const *setup,
		      size_t nsetup, const char *sql, int nparams, const char *const *params,
		      store_row_cb cb, void *ctx, status *st)
{
	return stream_rows(pool, timeout_ms, setup, nsetup, NULL, NULL, sql, nparams, params, cb,
			   ctx, st);
}

/* store_stream_rows, with the records of `unit` only (when not NULL, a
 * council's org unit: params[0] is the council), and param_setup (when not
 * NULL) run after the setup statements with the query's parameters. */
static int stream_rows(store_pool *pool, int64_t timeout_ms, const char *const *setup,
		       size_t nsetup, const store_org_unit *unit, const char *param_setup,
		       const char *sql, int nparams, const char *const *params, store_row_cb cb,
		       void *ctx, status *st)
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
	if (unit != NULL && store_org_scope(c, params[0], unit, st) != 0)
		goto cleanup;
	if (param_setup != NULL) {
		if ((res = store_query(c, param_setup, nparams, params, st)) == NULL)
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
