/*
 * store.h: the only door to libpq in csperfd.
 *
 * The store owns every PQ* call: the embedded PostgreSQL launcher, the
 * migrations, a connection pool sized to the workers, and the queries that
 * handlers need, each bounded by the caller's deadline (statement_timeout).
 * A lost connection is re-established on next use, so csperfd carries on
 * after the database restarts. Errors come back as a status with a message
 * safe to show a client; PostgreSQL's own text (which may quote data) goes to
 * the server log only.
 */
#ifndef CSPERF_SERVER_STORE_H
#define CSPERF_SERVER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../status.h"
#include "csperf/records.h"

/* ---- the embedded PostgreSQL cluster ---- */

typedef struct store_embedded store_embedded;

typedef struct store_embedded_options {
	const char *data_dir;  /* created and initialised if absent */
	const char *pg_bin;    /* folder of initdb and postgres; NULL: find it */
	int port;              /* only names the socket file; no TCP is opened */
} store_embedded_options;

/* Starts (initialising on first use) a private cluster listening only on a
 * unix socket, as the `postgres` user when run as root, and creates the
 * database `csperf`. Writes a libpq connection string into dsn. */
int store_embedded_start(store_embedded **out, const store_embedded_options *opts,
			 char *dsn, size_t dsnsize, status *st);

/* The postmaster's pid (for tests and logs). */
pid_t store_embedded_pid(const store_embedded *pg);

/* Stops the cluster (fast shutdown) and waits for it; accepts NULL. */
void store_embedded_stop(store_embedded *pg);

/* ---- migrations ---- */

typedef struct store_migration {
	long version;          /* 1 for 0001_init.sql */
	const char *name;      /* "0001_init.sql" */
	const char *sql;
	size_t length;
} store_migration;

/* The migrations compiled into csperfd, in order. */
const store_migration *store_builtin_migrations(size_t *count);

/* Reads NNNN_description.sql files from dir, in order. The caller frees the
 * array with store_migrations_free. */
int store_migrations_read_dir(const char *dir, store_migration **out,
			      size_t *count, status *st);
void store_migrations_free(store_migration *migrations, size_t count);

/* The hex SHA-256 of a migration's text (65 bytes with the NUL). */
void store_migration_checksum(const store_migration *m, char out[65]);

/* Applies pending migrations in order, each in its own transaction, recorded
 * with its checksum in schema_migrations. Refuses (FAILED_PRECONDITION) when
 * an applied migration's text has changed or the database is newer than
 * csperfd. Serialised across processes with an advisory lock. *applied counts
 * the migrations this call applied; *schema_version is the newest one. */
int store_migrate(const char *dsn, const store_migration *migrations, size_t count,
		  int *applied, long *schema_version, status *st);

/* ---- the pool and its queries ---- */

typedef struct store_pool store_pool;

/* Opens `size` connections to dsn. The first connects at once so that a bad
 * DSN is reported at start-up (UNAVAILABLE with one sentence). */
int store_pool_open(store_pool **out, const char *dsn, int size, status *st);
void store_pool_close(store_pool *pool);

/* Answers whether the database responds within timeout_ms. */
int store_ping(store_pool *pool, int64_t timeout_ms, status *st);

typedef struct store_info {
	long schema_version;
	char server_version[64];
} store_info;

/* Reads the schema version and the PostgreSQL version. */
int store_get_info(store_pool *pool, int64_t timeout_ms, store_info *out,
		   status *st);

/* ---- loads of journey records ---- */

typedef struct store_load store_load;

typedef struct store_load_header {
	const char *council;
	const char *council_name;    /* used if the council is new */
	const char *council_nation;  /* "england" or "wales", likewise */
	const char *source;          /* "ssda903", "cin-xml", "csv" */
	const char *label;
	const char *idempotency_key;
	bool accept_valid;
} store_load_header;

/* Begins a load in its own transaction. If the council has stored this
 * idempotency key before, nothing is begun: *out stays NULL and *replayed is
 * that load's stored summary (malloc'd, *replayed_len bytes). */
int store_load_begin(store_pool *pool, int64_t timeout_ms, const store_load_header *header,
		     store_load **out, uint8_t **replayed, size_t *replayed_len, status *st);

/* The load's id (known from the start, for its summary). */
int64_t store_load_id(const store_load *load);

/* Stages one valid record (values in schema order, "" or NULL absent). */
int store_load_add(store_load *load, uint64_t record_no, csperf_record_type type,
		   uint32_t file, uint64_t line, const char *const *values, size_t nvalues,
		   status *st);

/* A staged record whose key repeats an earlier one of the same load. */
typedef struct store_duplicate {
	csperf_record_type type;
	uint64_t record_no, first_record;
	uint32_t file, first_file;
	uint64_t line, first_line;
} store_duplicate;

/* Ends staging and finds duplicates within the load, which leave the stage.
 * *dups is the caller's (free). */
int store_load_check(store_load *load, store_duplicate **dups, size_t *ndups, status *st);

typedef struct store_merge_counts {
	uint64_t stored;      /* rows the load made current */
	uint64_t superseded;  /* earlier versions they replaced */
} store_merge_counts;

/* Merges the staged records into their tables, records the summary to replay
 * for the same key, and commits; frees the load. On failure the caller still
 * calls store_load_abort. */
int store_load_commit(store_load *load, uint64_t accepted, uint64_t rejected,
		      const uint8_t *summary, size_t summary_len, store_merge_counts *counts,
		      status *st);

/* Rolls the load back (nothing of it stays) and frees it; accepts NULL. */
void store_load_abort(store_load *load);

/* Called with each stored summary; non-zero stops. */
typedef int (*store_bytes_cb)(const uint8_t *bytes, size_t len, void *ctx);

/* The council's load summaries, newest first. */
int store_list_loads(store_pool *pool, int64_t timeout_ms, const char *council, int limit,
		     store_bytes_cb cb, void *ctx, status *st);

/* Removes load_id's rows and the load; the versions it superseded become
 * current again. NOT_FOUND if the council has no such load. */
int store_delete_load(store_pool *pool, int64_t timeout_ms, const char *council,
		      int64_t load_id, uint64_t *deleted, uint64_t *restored, status *st);

#endif
