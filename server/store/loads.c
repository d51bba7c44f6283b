/*
 * loads.c: storing a load of journey records, listing loads, deleting one.
 *
 * A load is one transaction on one connection: the load row is made (its id
 * goes into the summary), records stream by COPY into a temporary staging
 * table (type, then one text column a field) with memory bounded by one COPY
 * buffer,
 * and each record type present is merged into its council's partition of
 * its table by set-based SQL (record_tables.c): no row-by-row INSERT.
 * Duplicates within the load (two records with one key) are looked for only
 * when the merge meets them. Loads of one council are serialised by an
 * advisory lock, so "which version is current" is decided by one load at a
 * time; a load's rows take the id of the load row its transaction made,
 * and a deletion removes them before the load row (the tables have no
 * foreign key to load: the store keeps that integrity).
 */
#include "store_internal.h"
#include "store_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "record_tables.h"

/* COPY data is sent in chunks of about this size. */
#define COPY_CHUNK (64 * 1024)

struct store_load {
	store_pool *pool;
	store_conn *conn;
	int64_t id;
	char council[16];
	bool in_copy;
	bool types_seen[CSPERF_RECORD_TYPE_LAST + 1];
	size_t fields;               /* the stage's value columns, v1 to v<fields> */
	bool merged;                 /* store_load_check merged the stage already */
	store_merge_counts counts;   /* what that merge did */
	char *buffer;
	size_t used;
};

static int lock_council(store_conn *c, const char *council, status *st)
{
	const char *params[1] = { council };

	return store_exec(c, "SELECT pg_advisory_xact_lock(hashtext('csperf-load:' || $1))", 1,
		       params, st);
}

/* Sends what is buffered; in COPY mode only. */
static int copy_flush(store_load *load, status *st)
{
	if (load->used == 0)
		return 0;
	if (PQputCopyData(load->conn->pg, load->buffer, (int)load->used) != 1) {
		log_warn("store: COPY failed: %s", store_first_line(PQerrorMessage(load->conn->pg)));
		return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	}
	load->used = 0;
	return 0;
}

static int copy_reserve(store_load *load, size_t more, status *st)
{
	if (load->used + more > COPY_CHUNK && copy_flush(load, st) != 0)
		return -1;
	if (more > COPY_CHUNK) {
		char *bigger = realloc(load->buffer, more + 1);

		if (bigger == NULL)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		load->buffer = bigger;
	}
	return 0;
}

/* Appends text escaped for COPY's text format: backslashes, tabs, newlines
 * and carriage returns get a backslash. */
size_t store_copy_escape(char *out, const char *value)
{
	size_t n = 0;

	for (const char *p = value; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			memcpy(out + n, "\\\\", 2);
			n += 2;
			break;
		case '\t':
			memcpy(out + n, "\\t", 2);
			n += 2;
			break;
		case '\n':
			memcpy(out + n, "\\n", 2);
			n += 2;
			break;
		case '\r':
			memcpy(out + n, "\\r", 2);
			n += 2;
			break;
		default:
			out[n++] = *p;
		}
	}
	return n;
}

int store_load_begin(store_pool *pool, int64_t timeout_ms, const store_load_header *h,
		     store_load **out, uint8_t **replayed, size_t *replayed_len, status *st)
{
	store_load *load;
	PGresult *res;
	const char *name_params[3];
	const char *key_params[2] = { h->council, h->idempotency_key };
	const char *insert_params[5];
	char accept[8];

	*out = NULL;
	*replayed = NULL;
	*replayed_len = 0;
	load = calloc(1, sizeof(*load));
	if (load == NULL || (load->buffer = malloc(COPY_CHUNK + 1)) == NULL) {
		free(load);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	load->pool = pool;
	snprintf(load->council, sizeof(load->council), "%s", h->council);
	if (store_acquire(pool, timeout_ms, &load->conn, st) != 0) {
		free(load->buffer);
		free(load);
		return -1;
	}
	if (store_exec(load->conn, "BEGIN", 0, NULL, st) != 0 ||
	    lock_council(load->conn, h->council, st) != 0)
		goto fail;

	res = store_query(load->conn,
			  "SELECT summary FROM load WHERE council = $1 AND idempotency_key = $2",
			  2, key_params, st);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) > 0) {
		size_t len = 0;
		unsigned char *bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 0),
						       &len);

		PQclear(res);
		if (bytes == NULL) {
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		}
		*replayed = malloc(len > 0 ? len : 1);
		if (*replayed == NULL) {
			PQfreemem(bytes);
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		}
		memcpy(*replayed, bytes, len);
		*replayed_len = len;
		PQfreemem(bytes);
		store_load_abort(load);
		return 0;
	}
	PQclear(res);

	name_params[0] = h->council;
	name_params[1] = h->council_name;
	name_params[2] = h->council_nation;
	if (store_exec(load->conn,
		    "INSERT INTO council (la_code, name, nation) VALUES ($1, $2, $3) "
		    "ON CONFLICT (la_code) DO NOTHING", 3, name_params, st) != 0)
		goto fail;

	snprintf(accept, sizeof(accept), "%s", h->accept_valid ? "true" : "false");
	insert_params[0] = h->council;
	insert_params[1] = h->source;
	insert_params[2] = h->label;
	insert_params[3] = h->idempotency_key;
	insert_params[4] = accept;
	res = store_query(load->conn,
			  "INSERT INTO load (council, source, label, idempotency_key, accept_valid) "
			  "VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, insert_params, st);
	if (res == NULL)
		goto fail;
	load->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);

	{
		/* One text column a field (v1, v2...), as many as the widest type
		 * has: COPY parses them far faster than an array. */
		char create[1024];
		int used = snprintf(create, sizeof(create),
				    "CREATE TEMP TABLE load_stage (record_no bigint NOT NULL, "
				    "type smallint NOT NULL, file integer NOT NULL, "
				    "line bigint NOT NULL");

		load->fields = store_record_stage_fields();
		for (size_t f = 1; f <= load->fields && used < (int)sizeof(create); f++)
			used += snprintf(create + used, sizeof(create) - (size_t)used, ", v%zu text",
					 f);
		if (used >= (int)sizeof(create) - 32) {
			status_set(st, STATUS_INTERNAL, "the staging table has too many fields");
			goto fail;
		}
		snprintf(create + used, sizeof(create) - (size_t)used, ") ON COMMIT DROP");
		if (store_exec(load->conn, create, 0, NULL, st) != 0)
			goto fail;
	}
	res = PQexec(load->conn->pg, "COPY pg_temp.load_stage FROM STDIN");
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		store_result_status(load->conn, res, st);
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	load->in_copy = true;
	*out = load;
	return 0;
fail:
	store_load_abort(load);
	return -1;
}

int64_t store_load_id(const store_load *load)
{
	return load->id;
}

int store_load_add(store_load *load, uint64_t record_no, csperf_record_type type,
		   uint32_t file, uint64_t line, const char *const *values, size_t nvalues,
		   status *st)
{
	size_t need = 96 + 3 * load->fields;
	char *out;

	if (nvalues > load->fields)
		return status_set(st, STATUS_INTERNAL, "a record of %zu fields: the stage has %zu",
				  nvalues, load->fields);
	for (size_t i = 0; i < nvalues; i++)
		need += (values[i] != NULL ? strlen(values[i]) * 2 : 0) + 1;
	if (copy_reserve(load, need, st) != 0)
		return -1;
	out = load->buffer + load->used;
	out += sprintf(out, "%llu\t%d\t%u\t%llu", (unsigned long long)record_no, (int)type, file,
		       (unsigned long long)line);
	for (size_t i = 0; i < load->fields; i++) {
		*out++ = '\t';
		/* An absent or empty value is NULL. */
		if (i >= nvalues || values[i] == NULL || values[i][0] == '\0') {
			memcpy(out, "\\N", 2);
			out += 2;
			continue;
		}
		out += store_copy_escape(out, values[i]);
	}
	*out++ = '\n';
	load->used = (size_t)(out - load->buffer);
	if (type > 0 && type <= CSPERF_RECORD_TYPE_LAST)
		load->types_seen[type] = true;
	return 0;
}

static int copy_end(store_load *load, status *st)
{
	PGresult *res;
	int rc = 0;

	if (!load->in_copy)
		return 0;
	load->in_copy = false;
	if (copy_flush(load, st) != 0)
		return -1;
	if (PQputCopyEnd(load->conn->pg, NULL) != 1) {
		log_warn("store: ending COPY failed: %s",
			 store_first_line(PQerrorMessage(load->conn->pg)));
		return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	}
	while ((res = PQgetResult(load->conn->pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = store_result_status(load->conn, res, st);
		PQclear(res);
	}
	return rc;
}

/* Runs one statement of the merge; its command count into *rows. With
 * `tentative`, a unique violation (two records of the load with one key)
 * returns 1 and is not logged: the caller looks for the duplicates. */
static int merge_exec(store_conn *c, const char *sql, int nparams, const char *const *params,
		      uint64_t *rows, bool tentative, status *st)
{
	PGresult *res;
	const char *sqlstate;
	ExecStatusType rs;

	if (sql == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	res = PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	rs = PQresultStatus(res);
	if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
		if (rows != NULL)
			*rows = strtoull(PQcmdTuples(res), NULL, 10);
		PQclear(res);
		return 0;
	}
	sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (tentative && sqlstate != NULL && strcmp(sqlstate, "23505") == 0) {
		PQclear(res);
		return 1;
	}
	store_result_status(c, res, st);
	PQclear(res);
	return -1;
}

/* Merges the staged records of one type into the council's partition of its
 * table (params: the load id, the council). The versions they replace stop
 * being current first, touching only those rows (and nothing at all when the
 * council has no current row of the type yet, as in its first load); then
 * the new rows go in current at once, each written once. */
static int merge_type(store_load *load, const csperf_record_schema *schema,
		      const char *const *params, bool tentative, uint64_t *superseded,
		      uint64_t *stored, status *st)
{
	char sql[256], changed_text[32];
	char *previous = store_record_previous_sql(schema);
	char *supersede = NULL, *insert = NULL;
	const char *analyze_params[3];
	bool has_current;
	PGresult *res;
	int rc = -1;

	*superseded = *stored = 0;
	snprintf(sql, sizeof(sql),
		 "SELECT EXISTS (SELECT 1 FROM rec_%s WHERE council = $1 AND is_current)",
		 schema->name);
	res = store_query(load->conn, sql, 1, params + 1, st);
	if (res == NULL)
		goto cleanup;
	has_current = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (previous != NULL &&
	    (rc = merge_exec(load->conn, previous, 0, NULL, NULL, false, st)) != 0)
		goto cleanup;
	if (has_current) {
		supersede = store_record_supersede_sql(schema);
		if ((rc = merge_exec(load->conn, supersede, 1, params + 1, superseded, tentative,
				     st)) != 0)
			goto cleanup;
	}
	insert = store_record_insert_sql(schema);
	if ((rc = merge_exec(load->conn, insert, 2, params, stored, tentative, st)) != 0)
		goto cleanup;
	/* Fresh statistics for the recompute that follows, when the partition
	 * changed enough to need them. */
	snprintf(sql, sizeof(sql), "rec_%s", schema->name);
	snprintf(changed_text, sizeof(changed_text), "%llu",
		 (unsigned long long)(*superseded + *stored));
	analyze_params[0] = sql;
	analyze_params[1] = params[1];
	analyze_params[2] = changed_text;
	rc = store_exec(load->conn, "SELECT csperf_analyze_records($1, $2, $3)", 3, analyze_params,
		     st);
cleanup:
	free(previous);
	free(supersede);
	free(insert);
	return rc;
}

/* Merges every type the load brought (merge_type); 1 when tentative and
 * two of its records share a key. */
static int merge_all(store_load *load, bool tentative, store_merge_counts *counts, status *st)
{
	char id[32];
	const char *params[2] = { id, load->council };

	memset(counts, 0, sizeof(*counts));
	snprintf(id, sizeof(id), "%lld", (long long)load->id);
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		uint64_t superseded = 0, stored = 0;
		int rc;

		if (!load->types_seen[t])
			continue;
		rc = merge_type(load, csperf_schema_by_type((csperf_record_type)t), params, tentative,
				&superseded, &stored, st);
		if (rc != 0)
			return rc;
		counts->superseded += superseded;
		counts->stored += stored;
	}
	return 0;
}

int store_load_check(store_load *load, bool merge, store_duplicate **dups, size_t *ndups,
		     status *st)
{
	store_duplicate *found = NULL;
	size_t count = 0, capacity = 0;

	*dups = NULL;
	*ndups = 0;
	if (copy_end(load, st) != 0)
		return -1;
	/* Each type's statements read only its staged rows, not the whole
	 * stage once per type: an index on the type, and statistics that tell
	 * the planner how many rows each type has (of that column only: the
	 * statistics of the values' arrays would cost more than they help). */
	if (store_exec(load->conn, "CREATE INDEX ON pg_temp.load_stage (type)", 0, NULL, st) != 0 ||
	    store_exec(load->conn, "ANALYZE pg_temp.load_stage (type)", 0, NULL, st) != 0)
		return -1;
	/* Two records of a load rarely share a key: merge at once, and look
	 * for duplicates (a window over the whole stage) only when the unique
	 * index on current rows says there are some. */
	if (merge) {
		int rc;

		if (store_exec(load->conn, "SAVEPOINT load_merge", 0, NULL, st) != 0)
			return -1;
		rc = merge_all(load, true, &load->counts, st);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			load->merged = true;
			return 0;
		}
		if (store_exec(load->conn, "ROLLBACK TO SAVEPOINT load_merge", 0, NULL, st) != 0)
			return -1;
	}
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema;
		char *sql;
		PGresult *res;

		if (!load->types_seen[t])
			continue;
		schema = csperf_schema_by_type((csperf_record_type)t);
		sql = store_record_duplicates_sql(schema);
		if (sql == NULL) {
			free(found);
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		}
		res = store_query(load->conn, sql, 0, NULL, st);
		free(sql);
		if (res == NULL) {
			free(found);
			return -1;
		}
		for (int row = 0; row < PQntuples(res); row++) {
			store_duplicate *d;

			if (count == capacity) {
				size_t bigger = capacity == 0 ? 16 : capacity * 2;
				store_duplicate *grown = realloc(found, bigger * sizeof(*found));

				if (grown == NULL) {
					PQclear(res);
					free(found);
					return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
				}
				found = grown;
				capacity = bigger;
			}
			d = &found[count++];
			d->type = (csperf_record_type)t;
			d->record_no = strtoull(PQgetvalue(res, row, 0), NULL, 10);
			d->file = (uint32_t)strtoul(PQgetvalue(res, row, 1), NULL, 10);
			d->line = strtoull(PQgetvalue(res, row, 2), NULL, 10);
			d->first_record = strtoull(PQgetvalue(res, row, 3), NULL, 10);
			d->first_file = (uint32_t)strtoul(PQgetvalue(res, row, 4), NULL, 10);
			d->first_line = strtoull(PQgetvalue(res, row, 5), NULL, 10);
		}
		PQclear(res);
	}
	if (count > 0) {
		/* The later copies leave the stage: "{12,40,41}". */
		size_t size = count * 24 + 3, used = 0;
		char *list = malloc(size);
		const char *params[1];
		int rc;

		if (list == NULL) {
			free(found);
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		}
		list[used++] = '{';
		for (size_t i = 0; i < count; i++)
			used += (size_t)snprintf(list + used, size - used, "%s%llu", i > 0 ? "," : "",
						 (unsigned long long)found[i].record_no);
		snprintf(list + used, size - used, "}");
		params[0] = list;
		rc = store_exec(load->conn,
			     "DELETE FROM pg_temp.load_stage WHERE record_no = ANY ($1::bigint[])", 1,
			     params, st);
		free(list);
		if (rc != 0) {
			free(found);
			return -1;
		}
	}
	*dups = found;
	*ndups = count;
	return 0;
}

int store_load_commit(store_load *load, uint64_t accepted, uint64_t rejected,
		      const uint8_t *summary, size_t summary_len,
		      const store_audit_entry *audit, store_merge_counts *counts, status *st)
{
	char id[32], accepted_text[32], rejected_text[32];
	const char *update_params[4];
	const int formats[4] = { 0, 0, 0, 1 };
	int lengths[4] = { 0, 0, 0, (int)summary_len };

	memset(counts, 0, sizeof(*counts));
	if (copy_end(load, st) != 0)
		return -1;
	snprintf(id, sizeof(id), "%lld", (long long)load->id);
	if (load->merged)
		*counts = load->counts;
	else if (merge_all(load, false, counts, st) != 0)
		return -1;
	snprintf(accepted_text, sizeof(accepted_text), "%llu", (unsigned long long)accepted);
	snprintf(rejected_text, sizeof(rejected_text), "%llu", (unsigned long long)rejected);
	update_params[0] = id;
	update_params[1] = accepted_text;
	update_params[2] = rejected_text;
	update_params[3] = (const char *)summary;
	{
		PGresult *res = PQexecParams(load->conn->pg,
			"UPDATE load SET accepted = $2, rejected = $3, summary = $4 WHERE id = $1",
			4, NULL, update_params, lengths, formats, 0);

		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			store_result_status(load->conn, res, st);
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	/* The call's audit line commits with what it stored, or not at all. */
	if (audit != NULL) {
		char principal_id[32], rows[32];
		const char *params[8];

		store_audit_params(audit, principal_id, rows, params);
		if (store_exec(load->conn, "INSERT INTO audit_log (principal_id, principal_name, "
			       "method, council, parameters, rows_returned, status, peer) VALUES ($1, "
			       "$2, $3, $4, $5, $6, $7, $8)", 8, params, st) != 0)
			return -1;
	}
	if (store_exec(load->conn, "COMMIT", 0, NULL, st) != 0)
		return -1;
	store_release(load->pool, load->conn);
	load->conn = NULL;
	free(load->buffer);
	free(load);
	return 0;
}

void store_load_abort(store_load *load)
{
	if (load == NULL)
		return;
	if (load->conn != NULL) {
		if (load->in_copy && PQstatus(load->conn->pg) == CONNECTION_OK) {
			PGresult *res;

			PQputCopyEnd(load->conn->pg, "load abandoned");
			while ((res = PQgetResult(load->conn->pg)) != NULL)
				PQclear(res);
		}
		/* store_release rolls back an open transaction. */
		store_release(load->pool, load->conn);
	}
	free(load->buffer);
	free(load);
}

int store_list_loads(store_pool *pool, int64_t timeout_ms, const char *council, int limit,
		     store_bytes_cb cb, void *ctx, status *st)
{
	char limit_text[16];
	const char *params[2] = { council, limit_text };
	store_conn *c;
	PGresult *res;
	int rc = 0;

	snprintf(limit_text, sizeof(limit_text), "%d", limit);
	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	res = PQexecParams(c->pg,
			   "SELECT summary FROM load WHERE council = $1 ORDER BY id DESC LIMIT $2",
			   2, NULL, params, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = store_result_status(c, res, st);
	} else {
		for (int row = 0; row < PQntuples(res) && rc == 0; row++)
			rc = cb((const uint8_t *)PQgetvalue(res, row, 0),
				(size_t)PQgetlength(res, row, 0), ctx);
	}
	PQclear(res);
	store_release(pool, c);
	return rc;
}

int store_delete_load(store_pool *pool, int64_t timeout_ms, const char *council,
		      int64_t load_id, uint64_t *deleted, uint64_t *restored, status *st)
{
	char id[32];
	const char *params[2] = { id, council };
	store_conn *c;
	PGresult *res;

	*deleted = *restored = 0;
	snprintf(id, sizeof(id), "%lld", (long long)load_id);
	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	if (store_exec(c, "BEGIN", 0, NULL, st) != 0 || lock_council(c, council, st) != 0)
		goto fail;
	res = store_query(c, "SELECT 1 FROM load WHERE id = $1 AND council = $2", 2, params, st);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		status_set(st, STATUS_NOT_FOUND, "council %s has no load %lld", council,
			   (long long)load_id);
		goto fail;
	}
	PQclear(res);
	if (store_exec(c, "CREATE TEMP TABLE delete_keys (council text, key text[]) ON COMMIT DROP",
		    0, NULL, st) != 0)
		goto fail;
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		char *steps[3];
		int failed = 0;

		if (schema == NULL || store_record_delete_sql(schema, steps) != 0)
			continue;
		for (int s = 0; s < 3 && !failed; s++) {
			/* The last step takes the council alone. */
			res = s < 2 ? store_query(c, steps[s], 2, params, st)
				    : store_query(c, steps[s], 1, params + 1, st);
			if (res == NULL) {
				failed = 1;
				break;
			}
			if (s == 1)
				*deleted += strtoull(PQcmdTuples(res), NULL, 10);
			else if (s == 2)
				*restored += strtoull(PQcmdTuples(res), NULL, 10);
			PQclear(res);
		}
		for (int s = 0; s < 3; s++)
			free(steps[s]);
		if (failed || store_exec(c, "TRUNCATE pg_temp.delete_keys", 0, NULL, st) != 0)
			goto fail;
	}
	if (store_exec(c, "DELETE FROM load WHERE id = $1", 1, params, st) != 0 ||
	    store_exec(c, "COMMIT", 0, NULL, st) != 0)
		goto fail;
	store_release(pool, c);
	return 0;
fail:
	store_release(pool, c);
	return -1;
}
