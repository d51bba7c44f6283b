/*
 * loads.c: storing a load of journey records, listing loads, deleting one.
 *
 * A load is one transaction on one connection: the load row is made (its id
 * goes into the summary), and records stream by COPY, each type into its own
 * destination, with memory bounded by one buffer a type present:
 *
 * - a type the council has no current record of (its first load of it) is
 *   COPYed straight into the council's partition of its table, current at
 *   once, each record written once as `psql \copy` would. The unique index
 *   on current rows finds two records of the load with one key: the chunk
 *   that meets one is rolled back to its savepoint and the type is held
 *   from then on (below), the load's rows of it moved out of the partition.
 * - a type the council has current records of is held: COPYed into a
 *   temporary table of the same columns, and merged at the end by set-based
 *   SQL (record_tables.c): the versions it replaces stop being current, then
 *   it goes in. No row-by-row INSERT.
 *
 * A type's first chunk makes the council's partition of its table when it
 * has none (csperf_record_partition, migration 0024). Every record's file
 * and line go into pg_temp.load_lines, for naming both records of a
 * duplicate. The chunks are written by a thread of the load's own (the
 * writer), which owns the connection while records stream in: the database
 * writes while the caller reads and checks the next records, and the caller
 * waits only when four chunks are queued. Loads of one council are
 * serialised by an advisory lock, so "which version is current" (and "the
 * council has no current record of a type") is decided by one load at a
 * time; a load's rows take the id of the load row its transaction made,
 * and a deletion removes them before the load row (the tables have no
 * foreign key to load: the store keeps that integrity).
 */
#include "store_internal.h"
#include "store_access.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "record_tables.h"

/* A destination's COPY rows are sent in chunks of FIRST_CHUNK, doubling
 * up to COPY_CHUNK (a small load's first rows are written while the rest
 * arrive; a large one's take few statements), and at most WRITE_QUEUE
 * chunks wait for the writer: with one buffer filling per type present,
 * that bounds a load's memory whatever its size. */
#define FIRST_CHUNK (16 * 1024)
#define COPY_CHUNK (256 * 1024)
#define WRITE_QUEUE 4

/* Where a type's records go; destination 0 is pg_temp.load_lines. */
typedef enum dest_mode {
	DEST_UNSEEN = 0,   /* no chunk of the type written yet */
	DEST_DIRECT,       /* rec_<type>: the council has no current record of it */
	DEST_HELD,         /* pg_temp.load_rec_<type>, merged at the end */
	DEST_LINES,        /* pg_temp.load_lines */
} dest_mode;

typedef struct copy_buf {
	char *data;
	size_t used, cap;
	uint64_t rows;      /* the COPY rows in data */
} copy_buf;

typedef struct dest {
	copy_buf buf;       /* the caller's: rows not handed to the writer yet */
	size_t chunk;       /* the caller's: this destination's chunk size now */
	/* The writer's (the caller's again once the writer has stopped): */
	dest_mode mode;
	bool has_current;   /* the council had current records of the type */
	uint64_t direct;    /* rows COPYed into rec_<type> and still there */
} dest;

#define NDEST (CSPERF_RECORD_TYPE_LAST + 1)

typedef struct copy_job {
	int dest;
	copy_buf rows;
} copy_job;

struct store_load {
	store_pool *pool;
	store_conn *conn;
	int64_t id;
	char council[16];
	char prefix[64];             /* "<load id>\t<council>\t": each row's start */
	size_t prefix_len;
	dest dests[NDEST];
	bool merged;                 /* store_load_check merged already */
	store_merge_counts counts;   /* what that merge did */

	/* The writer: a thread that owns the connection while records stream
	 * in, writing the chunks the caller queues, in order, so that the
	 * database writes while the caller reads and checks the next ones. */
	pthread_t writer;
	bool writer_running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	copy_job queue[WRITE_QUEUE]; /* under mu */
	size_t queue_head, queue_len;
	copy_buf spares[WRITE_QUEUE + 1];
	size_t nspares;
	bool stop;                   /* no more chunks: the writer ends when idle */
	bool failed;                 /* the writer failed: `error` says why */
	status error;
};

static void load_free(store_load *load)
{
	for (int d = 0; d < NDEST; d++)
		free(load->dests[d].buf.data);
	for (size_t i = 0; i < load->queue_len; i++)
		free(load->queue[(load->queue_head + i) % WRITE_QUEUE].rows.data);
	for (size_t i = 0; i < load->nspares; i++)
		free(load->spares[i].data);
	pthread_mutex_destroy(&load->mu);
	pthread_cond_destroy(&load->cv);
	free(load);
}

static int lock_council(store_conn *c, const char *council, status *st)
{
	const char *params[1] = { council };

	return store_exec(c, "SELECT pg_advisory_xact_lock(hashtext('csperf-load:' || $1))", 1,
		       params, st);
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

/* ---- the writer's side ---- */

static int unavailable(store_load *load, const char *what, status *st)
{
	log_warn("store: %s failed: %s", what, store_first_line(PQerrorMessage(load->conn->pg)));
	return status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
}

/* Runs the COPY of `sql` (after `before`, in the same query string when not
 * NULL) with the rows: 0, or 1 when it failed on a unique violation
 * (`unique` set: the caller undoes it), or -1. */
static int copy_run(store_load *load, const char *before, const char *sql, const copy_buf *rows,
		    bool unique, status *st)
{
	PGresult *res;
	char *query = NULL;
	int rc = 0;
	bool copying = false;

	if (before != NULL) {
		size_t len = strlen(before) + strlen(sql) + 3;

		if ((query = malloc(len)) == NULL)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		snprintf(query, len, "%s; %s", before, sql);
	}
	if (PQsendQuery(load->conn->pg, query != NULL ? query : sql) != 1) {
		free(query);
		return unavailable(load, "COPY", st);
	}
	free(query);
	/* The statements before the COPY answer first. */
	while (!copying && (res = PQgetResult(load->conn->pg)) != NULL) {
		ExecStatusType rs = PQresultStatus(res);

		if (rs == PGRES_COPY_IN)
			copying = true;
		else if (rs != PGRES_COMMAND_OK && rc == 0)
			rc = store_result_status(load->conn, res, st);
		PQclear(res);
	}
	if (!copying)
		return rc != 0 ? -1 : status_set(st, STATUS_INTERNAL, "COPY did not start");
	if ((rows->used > 0 && PQputCopyData(load->conn->pg, rows->data, (int)rows->used) != 1) ||
	    PQputCopyEnd(load->conn->pg, NULL) != 1)
		return unavailable(load, "COPY", st);
	while ((res = PQgetResult(load->conn->pg)) != NULL) {
		ExecStatusType rs = PQresultStatus(res);

		if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK && rc == 0) {
			const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			if (unique && sqlstate != NULL && strcmp(sqlstate, "23505") == 0)
				rc = 1;
			else
				rc = store_result_status(load->conn, res, st);
		}
		PQclear(res);
	}
	return rc;
}

static int run_steps(store_load *load, char *steps[3], status *st)
{
	char id[32];
	const char *params[2] = { id, load->council };
	int rc = 0;

	snprintf(id, sizeof(id), "%lld", (long long)load->id);
	for (int s = 0; s < 3 && rc == 0; s++)
		rc = store_exec(load->conn, steps[s], s == 0 ? 0 : 2, s == 0 ? NULL : params, st);
	for (int s = 0; s < 3; s++)
		free(steps[s]);
	return rc;
}

/* From now on the type is held: its table made, the load's rows already in
 * rec_<type> moved into it. */
static int hold(store_load *load, int t, status *st)
{
	char *steps[3];

	if (store_record_hold_sql(csperf_schema_by_type((csperf_record_type)t), steps) != 0)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	if (load->dests[t].direct == 0) {
		/* Nothing of it in rec_<type>: only the table. */
		int rc = store_exec(load->conn, steps[0], 0, NULL, st);

		for (int s = 0; s < 3; s++)
			free(steps[s]);
		if (rc != 0)
			return -1;
	} else if (run_steps(load, steps, st) != 0) {
		return -1;
	}
	load->dests[t].mode = DEST_HELD;
	load->dests[t].direct = 0;
	return 0;
}

/* The first chunk of a type: the council's partition of its table made if
 * it has none yet (its first load of the type: migration 0024), and the
 * type direct when the council has no current record of it, held
 * otherwise. */
static int dest_open(store_load *load, int t, status *st)
{
	const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
	char table[80];
	const char *params[2] = { load->council, table };
	char sql[256];
	PGresult *res;

	snprintf(table, sizeof(table), "rec_%s", schema->name);
	if (store_exec(load->conn, "SELECT csperf_record_partition($2, $1)", 2, params, st) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
		 "SELECT EXISTS (SELECT 1 FROM rec_%s WHERE council = $1 AND is_current)",
		 schema->name);
	if ((res = store_query(load->conn, sql, 1, params, st)) == NULL)
		return -1;
	load->dests[t].has_current = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	load->dests[t].mode = DEST_DIRECT;
	return load->dests[t].has_current ? hold(load, t, st) : 0;
}

static char *dest_copy_sql(const store_load *load, int d)
{
	if (load->dests[d].mode == DEST_LINES)
		return strdup("COPY pg_temp.load_lines (record_no, file, line) FROM STDIN");
	return store_record_copy_sql(csperf_schema_by_type((csperf_record_type)d),
				     load->dests[d].mode == DEST_HELD);
}

/* Writes one chunk of destination d. A direct chunk goes after a savepoint;
 * if it meets two records with one key it is rolled back to it, the type
 * is held, and the chunk goes again, into the held table. */
static int write_chunk(store_load *load, int d, const copy_buf *rows, status *st)
{
	dest *dst = &load->dests[d];
	char *sql;
	int rc;

	if (dst->mode == DEST_UNSEEN && dest_open(load, d, st) != 0)
		return -1;
	if ((sql = dest_copy_sql(load, d)) == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	if (dst->mode != DEST_DIRECT) {
		rc = copy_run(load, NULL, sql, rows, false, st);
		free(sql);
		return rc;
	}
	/* "load_chunk" is released and taken again before each direct chunk:
	 * one savepoint at a time. */
	rc = copy_run(load, "RELEASE SAVEPOINT load_chunk; SAVEPOINT load_chunk", sql, rows, true,
		      st);
	free(sql);
	if (rc == 0) {
		dst->direct += rows->rows;
		return 0;
	}
	if (rc < 0)
		return -1;
	log_info("store: load %lld: two records of %s with one key: holding the type to find "
		 "them", (long long)load->id, csperf_schema_by_type((csperf_record_type)d)->name);
	if (store_exec(load->conn, "ROLLBACK TO SAVEPOINT load_chunk", 0, NULL, st) != 0 ||
	    hold(load, d, st) != 0 || (sql = dest_copy_sql(load, d)) == NULL)
		return st->code != STATUS_OK ? -1
					     : status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	rc = copy_run(load, NULL, sql, rows, false, st);
	free(sql);
	return rc;
}

static void *writer_main(void *arg)
{
	store_load *load = arg;

	pthread_mutex_lock(&load->mu);
	for (;;) {
		copy_job job;
		status st = STATUS_INIT;
		bool skip;
		int rc;

		while (load->queue_len == 0 && !load->stop)
			pthread_cond_wait(&load->cv, &load->mu);
		if (load->queue_len == 0)
			break;
		skip = load->failed;

		job = load->queue[load->queue_head];
		load->queue_head = (load->queue_head + 1) % WRITE_QUEUE;
		load->queue_len--;
		pthread_mutex_unlock(&load->mu);
		/* After a failure the rest is only given back. */
		rc = skip ? 0 : write_chunk(load, job.dest, &job.rows, &st);
		pthread_mutex_lock(&load->mu);
		if (rc != 0 && !load->failed) {
			load->failed = true;
			load->error = st;
		}
		job.rows.used = 0;
		job.rows.rows = 0;
		if (load->nspares < sizeof(load->spares) / sizeof(load->spares[0]))
			load->spares[load->nspares++] = job.rows;
		else
			free(job.rows.data);
		pthread_cond_broadcast(&load->cv);
	}
	pthread_mutex_unlock(&load->mu);
	return NULL;
}

/* ---- the caller's side ---- */

static int buf_reserve(copy_buf *b, size_t more, status *st)
{
	if (b->used + more + 1 <= b->cap)
		return 0;
	{
		size_t cap = b->cap > 0 ? b->cap : COPY_CHUNK;
		char *bigger;

		while (cap < b->used + more + 1)
			cap *= 2;
		if ((bigger = realloc(b->data, cap)) == NULL)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		b->data = bigger;
		b->cap = cap;
	}
	return 0;
}

/* The size at which the destination's rows go to the writer. */
static size_t chunk_limit(const dest *dst)
{
	return dst->chunk > 0 ? dst->chunk : FIRST_CHUNK;
}

/* Hands destination d's rows to the writer, waiting while its queue is
 * full; the destination goes on in a spare buffer. */
static int dest_flush(store_load *load, int d, status *st)
{
	dest *dst = &load->dests[d];
	int rc = 0;

	if (dst->buf.used == 0)
		return 0;
	dst->chunk = (dst->chunk == 0 ? FIRST_CHUNK : dst->chunk) * 2;
	if (dst->chunk > COPY_CHUNK)
		dst->chunk = COPY_CHUNK;
	pthread_mutex_lock(&load->mu);
	while (load->queue_len == WRITE_QUEUE && !load->failed)
		pthread_cond_wait(&load->cv, &load->mu);
	if (load->failed) {
		*st = load->error;
		rc = -1;
	} else {
		copy_job *job = &load->queue[(load->queue_head + load->queue_len) % WRITE_QUEUE];

		job->dest = d;
		job->rows = dst->buf;
		load->queue_len++;
		if (load->nspares > 0)
			dst->buf = load->spares[--load->nspares];
		else
			memset(&dst->buf, 0, sizeof(dst->buf));
		pthread_cond_broadcast(&load->cv);
	}
	pthread_mutex_unlock(&load->mu);
	return rc;
}

/* Stops the writer once it has written what is queued: the connection is
 * the caller's again. 0, or -1 with the writer's failure. */
static int writer_stop(store_load *load, status *st)
{
	if (!load->writer_running)
		return 0;
	pthread_mutex_lock(&load->mu);
	load->stop = true;
	pthread_cond_broadcast(&load->cv);
	pthread_mutex_unlock(&load->mu);
	pthread_join(load->writer, NULL);
	load->writer_running = false;
	if (load->failed) {
		*st = load->error;
		return -1;
	}
	return 0;
}

/* Everything added goes to the database; the writer stops. */
static int flush_all(store_load *load, status *st)
{
	if (!load->writer_running)
		return load->failed ? (*st = load->error, -1) : 0;
	for (int d = 0; d < NDEST; d++)
		if (dest_flush(load, d, st) != 0) {
			status ignored = STATUS_INIT;

			writer_stop(load, &ignored);
			return -1;
		}
	return writer_stop(load, st);
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
	if (load == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	load->pool = pool;
	load->dests[0].mode = DEST_LINES;
	pthread_mutex_init(&load->mu, NULL);
	pthread_cond_init(&load->cv, NULL);
	snprintf(load->council, sizeof(load->council), "%s", h->council);
	if (store_acquire(pool, timeout_ms, &load->conn, st) != 0) {
		load_free(load);
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
		char council[2 * sizeof(load->council) + 1];

		council[store_copy_escape(council, load->council)] = '\0';
		load->prefix_len = (size_t)snprintf(load->prefix, sizeof(load->prefix), "%lld\t%s\t",
						    (long long)load->id, council);
	}
	if (store_exec(load->conn, "CREATE TEMP TABLE load_lines (record_no bigint NOT NULL, "
		       "file integer NOT NULL, line bigint NOT NULL) ON COMMIT DROP", 0, NULL,
		       st) != 0 ||
	    store_exec(load->conn, "SAVEPOINT load_chunk", 0, NULL, st) != 0)
		goto fail;
	/* The writer owns the connection until the records are all in. */
	if (pthread_create(&load->writer, NULL, writer_main, load) != 0) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "cannot start the load's writer");
		goto fail;
	}
	load->writer_running = true;
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
	const csperf_record_schema *schema = csperf_schema_by_type(type);
	dest *dst, *lines = &load->dests[0];
	size_t need;
	char *out;

	if (schema == NULL || (int)type <= 0 || (int)type >= NDEST)
		return status_set(st, STATUS_INTERNAL, "a record of type %d", (int)type);
	if (nvalues > schema->nfields)
		return status_set(st, STATUS_INTERNAL, "a record of %zu fields: %s has %zu",
				  nvalues, schema->name, schema->nfields);
	dst = &load->dests[type];
	need = load->prefix_len + 32 + 3 * schema->nfields;
	for (size_t i = 0; i < nvalues; i++)
		need += (values[i] != NULL ? strlen(values[i]) * 2 : 0) + 1;
	if ((dst->buf.used + need > chunk_limit(dst) && dest_flush(load, (int)type, st) != 0) ||
	    buf_reserve(&dst->buf, need, st) != 0)
		return -1;
	out = dst->buf.data + dst->buf.used;
	memcpy(out, load->prefix, load->prefix_len);
	out += load->prefix_len;
	out += sprintf(out, "%llu\tt", (unsigned long long)record_no);
	for (size_t i = 0; i < schema->nfields; i++) {
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
	dst->buf.used = (size_t)(out - dst->buf.data);
	dst->buf.rows++;

	if ((lines->buf.used + 64 > chunk_limit(lines) && dest_flush(load, 0, st) != 0) ||
	    buf_reserve(&lines->buf, 64, st) != 0)
		return -1;
	lines->buf.used += (size_t)sprintf(lines->buf.data + lines->buf.used, "%llu\t%u\t%llu\n",
					   (unsigned long long)record_no, file,
					   (unsigned long long)line);
	return 0;
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

/* Merges a held type into the council's partition of its table. The
 * versions it replaces stop being current first, touching only those rows
 * (and nothing at all when the council has no current row of the type);
 * then the new rows go in current at once, each written once. */
static int merge_held(store_load *load, const csperf_record_schema *schema, bool tentative,
		      uint64_t *superseded, uint64_t *stored, status *st)
{
	const char *params[1] = { load->council };
	char *previous = store_record_previous_sql(schema);
	char *supersede = NULL, *insert = NULL;
	int rc = -1;

	if (load->dests[schema->type].has_current) {
		if (previous != NULL &&
		    (rc = merge_exec(load->conn, previous, 0, NULL, NULL, false, st)) != 0)
			goto cleanup;
		supersede = store_record_supersede_sql(schema);
		if ((rc = merge_exec(load->conn, supersede, 1, params, superseded, tentative,
				     st)) != 0)
			goto cleanup;
	}
	insert = store_record_insert_sql(schema);
	rc = merge_exec(load->conn, insert, 0, NULL, stored, tentative, st);
cleanup:
	free(previous);
	free(supersede);
	free(insert);
	return rc;
}

/* Merges every held type (direct ones are in already); 1 when tentative
 * and two held records share a key. */
static int merge_all(store_load *load, bool tentative, store_merge_counts *counts, status *st)
{
	memset(counts, 0, sizeof(*counts));
	for (int t = 1; t < NDEST; t++) {
		uint64_t superseded = 0, stored = 0;

		if (load->dests[t].mode == DEST_UNSEEN)
			continue;
		if (load->dests[t].mode == DEST_HELD) {
			int rc = merge_held(load, csperf_schema_by_type((csperf_record_type)t),
					    tentative, &superseded, &stored, st);

			if (rc != 0)
				return rc;
		} else {
			stored = load->dests[t].direct;
		}
		counts->changed[t] = superseded + stored;
		counts->superseded += superseded;
		counts->stored += stored;
	}
	return 0;
}

int store_analyze_records(store_pool *pool, int64_t timeout_ms, const char *council,
			  const store_merge_counts *counts, status *st)
{
	store_conn *c;
	int rc = 0;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST && rc == 0; t++) {
		char table[80], changed[32];
		const char *params[3] = { table, council, changed };

		if (counts->changed[t] == 0)
			continue;
		snprintf(table, sizeof(table), "rec_%s",
			 csperf_schema_by_type((csperf_record_type)t)->name);
		snprintf(changed, sizeof(changed), "%llu", (unsigned long long)counts->changed[t]);
		rc = store_exec(c, "SELECT csperf_analyze_records($1, $2, $3)", 3, params, st);
	}
	store_release(pool, c);
	return rc;
}

int store_load_check(store_load *load, bool merge, store_duplicate **dups, size_t *ndups,
		     status *st)
{
	store_duplicate *found = NULL;
	size_t count = 0, capacity = 0;

	*dups = NULL;
	*ndups = 0;
	if (flush_all(load, st) != 0)
		return -1;
	/* Direct types met no two records with one key (the unique index
	 * would have said). Held ones rarely do: merge at once, and look for
	 * duplicates (a window over the held rows) only when the unique index
	 * on current rows says there are some. */
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
	for (int t = 1; t < NDEST; t++) {
		const csperf_record_schema *schema;
		char *sql;
		PGresult *res;

		if (load->dests[t].mode != DEST_HELD)
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
		/* The later copies leave the held tables: "{12,40,41}". */
		size_t size = count * 24 + 3, used = 0;
		char *list = malloc(size);
		const char *params[1];

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
		for (int t = 1; t < NDEST; t++) {
			char sql[160];

			if (load->dests[t].mode != DEST_HELD)
				continue;
			snprintf(sql, sizeof(sql), "DELETE FROM pg_temp.load_rec_%s "
				 "WHERE record_no = ANY ($1::bigint[])",
				 csperf_schema_by_type((csperf_record_type)t)->name);
			if (store_exec(load->conn, sql, 1, params, st) != 0) {
				free(list);
				free(found);
				return -1;
			}
		}
		free(list);
	}
	*dups = found;
	*ndups = count;
	return 0;
}

/* The call's audit line, within c's open transaction. */
static int audit_in_transaction(store_conn *c, const store_audit_entry *audit, status *st)
{
	char principal_id[32], rows[32];
	const char *params[8];

	store_audit_params(audit, principal_id, rows, params);
	return store_exec(c, "INSERT INTO audit_log (principal_id, principal_name, method, "
			  "council, parameters, rows_returned, status, peer) VALUES ($1, $2, $3, $4, "
			  "$5, $6, $7, $8)", 8, params, st);
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
	if (flush_all(load, st) != 0)
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
	if (audit != NULL && audit_in_transaction(load->conn, audit, st) != 0)
		return -1;
	if (store_exec(load->conn, "COMMIT", 0, NULL, st) != 0)
		return -1;
	store_release(load->pool, load->conn);
	load->conn = NULL;
	load_free(load);
	return 0;
}

void store_load_abort(store_load *load)
{
	if (load == NULL)
		return;
	if (load->writer_running) {
		status ignored = STATUS_INIT;

		/* What is queued is not written: the load is rolled back. */
		pthread_mutex_lock(&load->mu);
		if (!load->failed) {
			load->failed = true;
			status_set(&load->error, STATUS_ABORTED, "the load was abandoned");
		}
		pthread_mutex_unlock(&load->mu);
		writer_stop(load, &ignored);
	}
	if (load->conn != NULL) {
		/* A COPY cut short is ended, a chunk in flight read to its end. */
		if (PQstatus(load->conn->pg) == CONNECTION_OK) {
			PGresult *res;

			while ((res = PQgetResult(load->conn->pg)) != NULL) {
				if (PQresultStatus(res) == PGRES_COPY_IN &&
				    PQputCopyEnd(load->conn->pg, "load abandoned") != 1) {
					PQclear(res);
					break;
				}
				PQclear(res);
			}
		}
		/* store_release rolls back an open transaction. */
		store_release(load->pool, load->conn);
	}
	load_free(load);
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
		      int64_t load_id, uint64_t *deleted, uint64_t *restored,
		      store_audit_entry *audit, status *st)
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
	if (store_exec(c, "DELETE FROM load WHERE id = $1", 1, params, st) != 0)
		goto fail;
	/* The call's audit line commits with the deletion, or not at all. */
	if (audit != NULL) {
		audit->rows = (int64_t)*deleted;
		if (audit_in_transaction(c, audit, st) != 0)
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
