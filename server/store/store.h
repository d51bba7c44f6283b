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

/* As store_pool_open, but connects nothing before first use: for a csperfd
 * that serves before its database can be reached (--wait-for-database). */
int store_pool_open_deferred(store_pool **out, const char *dsn, int size, status *st);
void store_pool_close(store_pool *pool);

/* ---- streaming replicas (replica.c; docs/SCALING.md) ---- */

/* Adds a streaming replica of the pool's database that reads may use, with
 * `size` connections made on first use (a replica down at start-up is not
 * an error). The primary's pool owns it. */
int store_pool_add_replica(store_pool *primary, const char *dsn, int size, status *st);

/* How many replicas the pool has. */
int store_replica_count(store_pool *primary);

/* The pool a read of `council` should use: a replica (round robin) that has
 * replayed the primary's WAL past the council's latest recorded write, or
 * else the primary itself. Never fails: with no replicas, or when none will
 * do, it is the primary. Borrowed; do not close it. */
store_pool *store_read_pool(store_pool *primary, int64_t timeout_ms, const char *council);

/* Reads store_read_pool sent to replicas and to the primary since start. */
void store_read_counts(store_pool *primary, uint64_t *by_replicas, uint64_t *by_primary);

/* Records the primary's WAL insert position as the council's latest write:
 * call it after a change to the council's data has committed. */
int store_note_council_write(store_pool *pool, int64_t timeout_ms, const char *council,
			     status *st);

/* The connection string the pool was opened with (borrowed). */
const char *store_pool_dsn(const store_pool *pool);

/* ---- changes other sessions committed (listener.c) ---- */

typedef struct store_listener store_listener;

/* Called on the listener's thread with the name of a table whose change
 * committed (migrations/0011_change_notify.sql), or with NULL when the
 * listener lost its connection or just made one: anything may have changed. */
typedef void (*store_change_fn)(const char *table, void *ctx);

/* Starts a thread that LISTENs on its own connection to dsn, reconnecting
 * every second while it cannot. Free with store_listener_stop. */
int store_listener_start(store_listener **out, const char *dsn, store_change_fn on_change,
			 void *ctx, status *st);
void store_listener_stop(store_listener *listener);

/* The fence: returns 0 once every change committed before the call has
 * been handed to on_change, or -1 when that cannot be known within
 * timeout_ms (at most 1 s) or the listener is not connected: a cache must
 * then be neither read nor filled. NULL listener: -1. */
int store_listener_sync(store_listener *listener, int64_t timeout_ms);

/* Notifications received and connections lost since start. */
void store_listener_counts(store_listener *listener, uint64_t *notifications,
			   uint64_t *losses);

/* ---- cancelling a call's database work (cancel.c) ---- */

typedef struct store_cancel store_cancel;

/* Arms the calling thread for a call: the connections it acquires from now
 * on can be cancelled through the returned scope, which belongs to the
 * thread for the life of the process. Arming again forgets an earlier
 * cancellation. NULL when out of memory (then nothing can be cancelled). */
store_cancel *store_cancel_arm(void);

/* The scope's call was cancelled: the query its thread is running is
 * cancelled (PQcancel, sent by the store's own thread), and its thread's
 * next acquisitions fail with CANCELLED until it is armed again or
 * disarmed. From any thread; never blocks. Accepts NULL. */
void store_cancel_fire(store_cancel *scope);

/* The calling thread's work is no longer a call's to cancel (e.g. the audit
 * line written after a call was cancelled). */
void store_cancel_disarm(void);

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

/* Adds one valid record (values in schema order, "" or NULL absent). */
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

/* Ends the COPY and finds duplicates within the load, which are taken out.
 * With `merge` (the load will be stored unless duplicates say otherwise), it
 * merges the held types into the record tables at once, tentatively, and looks
 * for duplicates only when that merge meets two records with one key (then
 * the merge is undone, and store_load_commit merges again). *dups is the
 * caller's (free). */
int store_load_check(store_load *load, bool merge, store_duplicate **dups, size_t *ndups,
		     status *st);

typedef struct store_merge_counts {
	uint64_t stored;      /* rows the load made current */
	uint64_t superseded;  /* earlier versions they replaced */
	uint64_t changed[CSPERF_RECORD_TYPE_LAST + 1];  /* both, by type */
} store_merge_counts;

/* Merges the held records into their tables, records the summary to replay
 * for the same key and the call's audit line (a store_audit_entry of
 * store_access.h; NULL: none), and commits; frees the load. On failure the
 * caller still calls store_load_abort. */
struct store_audit_entry;
int store_load_commit(store_load *load, uint64_t accepted, uint64_t rejected,
		      const uint8_t *summary, size_t summary_len,
		      const struct store_audit_entry *audit, store_merge_counts *counts,
		      status *st);

/* Rolls the load back (nothing of it stays) and frees it; accepts NULL. */
void store_load_abort(store_load *load);

/* Fresh statistics of the council's partitions a committed load changed
 * enough to need them (counts->changed; csperf_analyze_records decides), for
 * the recompute that follows: taken after the commit, outside the load's
 * transaction, so the records are durable first. */
int store_analyze_records(store_pool *pool, int64_t timeout_ms, const char *council,
			  const store_merge_counts *counts, status *st);

/* Called with each stored summary; non-zero stops. */
typedef int (*store_bytes_cb)(const uint8_t *bytes, size_t len, void *ctx);

/* The council's load summaries, newest first. */
int store_list_loads(store_pool *pool, int64_t timeout_ms, const char *council, int limit,
		     store_bytes_cb cb, void *ctx, status *st);

/* Removes load_id's rows and the load; the versions it superseded become
 * current again. NOT_FOUND if the council has no such load. The call's
 * audit line (a store_audit_entry of store_access.h, its rows set to the
 * rows deleted; NULL: none) commits with the deletion, or neither does. */
int store_delete_load(store_pool *pool, int64_t timeout_ms, const char *council,
		      int64_t load_id, uint64_t *deleted, uint64_t *restored,
		      struct store_audit_entry *audit, status *st);

/* ---- computing indicators (the SQL comes from the engine) ---- */

/* The earliest and latest event dates of a council's journey records
 * ("YYYY-MM-DD"); both "" when it has none. */
int store_data_range(store_pool *pool, int64_t timeout_ms, const char *council,
		     char from[16], char to[16], status *st);

typedef struct store_definition {
	const char *indicator_id;
	int version;
	const char *kind;
	const char *params;        /* JSON */
	const char *period_types;  /* "month,quarter,year" */
} store_definition;

typedef int (*store_definition_cb)(const store_definition *definition, void *ctx);

/* The current definition of every indicator (or only of indicator_id when
 * not NULL), in catalogue order. */
int store_list_definitions(store_pool *pool, int64_t timeout_ms, const char *indicator_id,
			   store_definition_cb cb, void *ctx, status *st);

/* A period to compute: the engine's label, type name and ISO dates. */
typedef struct store_period {
	char label[24];
	const char *type;
	char start[16];
	char end[16];
} store_period;

typedef struct store_compute store_compute;

typedef struct store_compute_stats {
	int indicators;
	int failures;
	int shared;               /* of the indicators, those the second connection computed */
	long values;
	long milliseconds;
	bool first;               /* the council's first values (nothing to compare with) */
} store_compute_stats;

/* Fresh statistics of indicator_value (migration 0025), after a council's
 * first values went in: until then the planner takes the council for one
 * row, and a reload's comparison of its values reads them all for each
 * batch. Takes a few hundred milliseconds on a large store: call it after
 * the reply. */
int store_analyze_values(store_pool *pool, int64_t timeout_ms, status *st);

/* Begins recomputing a council's values: one transaction on a connection of
 * its own, holding the council's compute lock (one recompute of a council at
 * a time). from and to: the council's data range read in it, as
 * store_data_range gives it. With wait false, a council another recompute
 * holds is not waited for: -1 with st ABORTED. */
int store_compute_begin(store_pool *pool, int64_t timeout_ms, const char *council, bool wait,
			char from[16], char to[16], store_compute **out, status *st);

/* Called with a council's code; non-zero stops. */
typedef int (*store_council_cb)(const char *council, void *ctx);

/* compute_due.c: the councils (only `council`, when not NULL) whose figures
 * do not account for every load and deletion stored: a load newer than the
 * last whole-catalogue recompute saw, or a deletion noted and done since.
 * Written in the transactions of the loads and deletions themselves, so
 * that a crash before their recompute loses nothing. */
int store_compute_due(store_pool *pool, int64_t timeout_ms, const char *council,
		      store_council_cb cb, void *ctx, status *st);

/* For a whole-catalogue recompute after loads and deletions: the earliest
 * date they touched since the last whole-catalogue recompute, in the record
 * types marked in reads (CSPERF_RECORD_TYPE_LAST + 1 entries), or the
 * earlier of the last and the new data_to when that moved ("" when nothing
 * changed); changed (CSPERF_RECORD_TYPE_LAST + 1 entries) marks the record
 * types changed, or all of them when data_to moved or a deletion was noted.
 * *full when every period must be recomputed instead: no earlier
 * state, periods that now begin on another day than periods_from, a
 * definition whose values are not all of its current version, another
 * nation than last time, or a change with no date to place it by. */
int store_compute_changed_since(store_compute *cmp, const bool *reads, const char *periods_from,
				const char *data_to, char since[16], bool *changed, bool *full,
				status *st);

/* Writes the periods to compute into pg_temp.engine_period (and its months
 * and last days, see engine.h). Values of periods ending after data_to are
 * marked provisional. */
int store_compute_periods(store_compute *cmp, const char *data_to, const store_period *periods,
			  size_t nperiods, status *st);

/* Builds a derived fact (engine_fact_sql: a temporary table of `name`, $1
 * the council) for the indicators of this recompute that read it. */
int store_compute_fact(store_compute *cmp, const char *name, const char *sql, status *st);

/* Replaces one indicator's values for the council with what `sql` gives
 * ($1 council, $2 indicator id) for the periods of the listed types: all its
 * values, or, when since is not NULL, those of periods ending on or after
 * it. A failure is logged and counted, and the rest goes on (the indicator
 * is then recomputed whole next time). */
int store_compute_indicator(store_compute *cmp, const char *indicator_id, int version,
			    const char *period_types, const char *sql, const char *since,
			    status *st);

/* One indicator of a recompute, listed before any is computed so that a
 * second connection can share the work (store/compute_lane.c). */
typedef struct store_compute_item {
	const char *indicator_id;
	int version;
	const char *period_types;
	const char *sql;          /* engine_indicator_sql */
	bool lane_may;            /* reads no derived fact: the second connection may take it */
} store_compute_item;

/* After store_compute_periods (with the same periods, and the `since` the
 * caller gives store_compute_indicator): opens a second
 * connection with those periods, whose thread computes the items it may
 * from the back of the list while the caller takes them from the front
 * (store_compute_claim). Without one (a few items, a small council, no
 * connection to be had) the caller computes them all: it never fails the
 * run. The second
 * connection's values are written with the others in store_compute_commit. */
void store_compute_share(store_compute *cmp, const char *since, const store_period *periods,
			 size_t nperiods, const store_compute_item *items, size_t nitems);

/* The children a council must hold for its recompute to take a second
 * connection (csperfd --lane-children; 5,000 unless set). */
void store_compute_lane_from(int children);

/* Whether the caller computes item i (claims it): false when the second
 * connection took it. */
bool store_compute_claim(store_compute *cmp, size_t i);

/* What a whole-catalogue recompute leaves for the next one. */
/* ---- org units (org_units.c) ---- */

/* An org unit of a council: the council itself, or one of its localities
 * (as placement cost lines name them) or teams (as contacts and early help
 * episodes name them). docs/indicators.md, "Figures by org unit". */
typedef enum store_org_kind {
	STORE_ORG_COUNCIL = 0,
	STORE_ORG_LOCALITY,
	STORE_ORG_TEAM
} store_org_kind;

typedef struct store_org_unit {
	store_org_kind kind;
	char name[128];   /* "" for the council */
} store_org_unit;

/* "council", "locality" or "team". */
const char *store_org_kind_name(store_org_kind kind);

typedef int (*store_org_unit_cb)(store_org_kind kind, const char *name, long children,
				 void *ctx);

/* The council's localities, then its teams, by name, with how many children
 * each holds. */
int store_org_units(store_pool *pool, int64_t timeout_ms, const char *council,
		    store_org_unit_cb cb, void *ctx, status *st);

/* Whether the council's records name the org unit (the council: always). */
int store_org_unit_exists(store_pool *pool, int64_t timeout_ms, const char *council,
			  const store_org_unit *unit, bool *exists, status *st);

/* store_compute_begin for an org unit's figures, computed on request: no
 * lock, nothing written; the records the engine's SQL reads are the org
 * unit's. End it with store_compute_abort (its transaction rolls back). */
int store_compute_begin_org(store_pool *pool, int64_t timeout_ms, const char *council,
			    const store_org_unit *unit, char from[16], char to[16],
			    store_compute **out, status *st);

struct store_series_row;
/* Runs an indicator's SQL (as store_compute_indicator) and hands each value,
 * in order of period end, to cb (version 0: the caller knows it). A faulty
 * definition fails alone: -1 with st set, and the next may run. */
int store_compute_rows(store_compute *cmp, const char *indicator_id, const char *period_types,
		       const char *sql, int (*cb)(const struct store_series_row *row, void *ctx),
		       void *ctx, status *st);

typedef struct store_compute_state {
	char periods_from[16];     /* the first day of its periods ("" none) */
	char recomputed_from[16];  /* the first period end it recomputed; "" every one */
} store_compute_state;

/* Records the run (with other_failures: definitions that failed before
 * reaching the store) and, for a whole-catalogue run (whole not NULL), the
 * state the next starts from; commits; frees cmp either way. */
int store_compute_commit(store_compute *cmp, const char *data_from, int other_failures,
			 const store_compute_state *whole, store_compute_stats *stats,
			 status *st);

/* Before load_id is deleted: notes the earliest date its deletion touches
 * (its rows and the versions it makes current again, in the record types
 * marked in reads) for the next recompute. */
int store_compute_note_deletion(store_pool *pool, int64_t timeout_ms, const char *council,
				int64_t load_id, const bool *reads, status *st);

/* After a deletion that did not happen: forgets its note (kept if the load
 * has gone after all). */
int store_compute_forget_deletion(store_pool *pool, int64_t timeout_ms, const char *council,
				  int64_t load_id, status *st);

/* Rolls back and frees; accepts NULL. */
void store_compute_abort(store_compute *cmp);

/* ---- indicator definitions and values ---- */

/* One version of a definition; strings are "" when absent. */
typedef struct store_indicator_row {
	const char *indicator_id;
	int version;
	const char *title, *stage, *unit, *polarity, *kind;
	const char *params;        /* JSON object */
	const char *period_types;  /* "month,quarter,year" */
	const char *targets;       /* JSON: {"2018-19": {"target": 90, "tolerance": 5}} */
	const char *corporate_risk, *budget_line;
	int small_number_threshold;
	const char *definition, *source, *created_at, *created_by;
	int sort_order;
	const char *nations;       /* "england,wales": whose councils it belongs to */
} store_indicator_row;

typedef int (*store_indicator_cb)(const store_indicator_row *row, void *ctx);

/* The current definitions (stage and indicator_id narrow it when not NULL),
 * or with history every version, newest first within an indicator. */
int store_indicators_list(store_pool *pool, int64_t timeout_ms, const char *stage,
			  const char *indicator_id, bool history, store_indicator_cb cb, void *ctx,
			  status *st);

/* The current definitions that belong to council's nation (an English
 * council's England's, a Welsh council's Wales's: the column nations), in
 * catalogue order; stage narrows it when not NULL. The one place a
 * council's scorecard, exceptions, report and watch choose their
 * indicators: a council's own list and order apply after it. */
int store_indicators_for_council(store_pool *pool, int64_t timeout_ms, const char *council,
				 const char *stage, store_indicator_cb cb, void *ctx, status *st);

/* Stores the next version of a definition (checked by the caller); its
 * nations (NULL or "": those of the version before, else England's). */
int store_indicator_put(store_pool *pool, int64_t timeout_ms, const store_indicator_row *row,
			int *version, status *st);

typedef int (*store_text_cb)(const char *text, void *ctx);

/* Every council csperfd holds. */
int store_list_councils(store_pool *pool, int64_t timeout_ms, store_text_cb cb, void *ctx,
			status *st);

/* The children of a council that a token narrowed to localities may see:
 * those whose current placement cost lines name one of `localities` (joined
 * by the unit separator, 0x1f; a locality has no control character), in
 * child id order (docs/SECURITY.md). */
int store_locality_children(store_pool *pool, int64_t timeout_ms, const char *council,
			    const char *localities, store_text_cb cb, void *ctx, status *st);

/* One computed value; numbers are text, NULL when absent. */
typedef struct store_series_row {
	const char *period, *period_start, *period_end, *breakdown;
	const char *numerator, *denominator, *value;
	bool provisional;
	int version;
} store_series_row;

typedef int (*store_series_cb)(const store_series_row *row, void *ctx);

/* An indicator's values for a council, org unit and period type, periods
 * ending from from_end to to_end ("YYYY-MM-DD"; NULL for no bound), in order. */
int store_series(store_pool *pool, int64_t timeout_ms, const char *council,
		 const char *indicator_id, const char *org_unit, const char *period_type,
		 const char *from_end, const char *to_end, store_series_cb cb, void *ctx, status *st);

/* Values of every indicator (of `stage`, when not NULL) for a council in the
 * listed periods ("2018-19:Q4,2018-19:Q3"); period_start and period_end of
 * the rows are "". */
typedef int (*store_value_cb)(const char *indicator_id, const store_series_row *row, void *ctx);
int store_values_for_periods(store_pool *pool, int64_t timeout_ms, const char *council,
			     const char *periods_csv, const char *stage, store_value_cb cb, void *ctx,
			     status *st);

/* The average of each indicator's value for a period over the other
 * councils csperfd holds, or only over the council's statistical
 * neighbours (the DfE model's when one is imported for the council, else
 * those put with the council): how many councils contribute a value, and the smallest
 * numerator or denominator from 1 up among them (0: none), for the rule
 * that decides whether it is shown (engine/scorecard.h,
 * scorecard_peer_shown). */
typedef int (*store_average_cb)(const char *indicator_id, double average, int councils,
				double smallest_count, void *ctx);
int store_peer_averages(store_pool *pool, int64_t timeout_ms, const char *council,
			const char *period, bool neighbours_only, store_average_cb cb, void *ctx,
			status *st);

/* A council's name and the latest date of its data ("" before any
 * compute); NOT_FOUND for a council csperfd does not hold. */
int store_council_info(store_pool *pool, int64_t timeout_ms, const char *council,
		       char name[128], char data_to[16], status *st);

/* ---- comparators and councils ---- */

typedef struct store_comparator {
	const char *indicator_id, *area_type, *area, *period;
	double value;
	const char *source;
} store_comparator;

/* Stores published figures in one transaction (a figure already held for
 * the same indicator, area and period is replaced). */
int store_load_comparators(store_pool *pool, int64_t timeout_ms, const store_comparator *rows,
			   size_t count, uint64_t *stored, status *st);

/* The fields of a council store_put_council sets; the others keep their
 * stored values (a new council: "LA <code>", england, no region). */
enum {
	STORE_COUNCIL_NAME = 1,
	STORE_COUNCIL_NATION = 2,
	STORE_COUNCIL_REGION = 4,
	STORE_COUNCIL_NEIGHBOURS = 8,
	STORE_COUNCIL_ALL = 15
};

/* Creates or updates a council: the fields in `fields` (STORE_COUNCIL_*);
 * with STORE_COUNCIL_NEIGHBOURS, replaces its statistical neighbours. */
int store_put_council(store_pool *pool, int64_t timeout_ms, const char *council,
		      const char *name, const char *nation, const char *region,
		      const char *const *neighbours, size_t nneighbours, unsigned fields,
		      status *st);

/* A council as store_list_councils gives it (borrowed for the callback). */
typedef struct store_council {
	const char *council, *name, *nation, *region;
	const char *neighbours;   /* comma-separated LA codes, "" for none */
	uint64_t loads;
	const char *data_to;      /* "" for none */
} store_council;

/* Calls cb with the details of the council (or of every council when council is NULL), by LA
 * code; cb returning non-zero stops. NOT_FOUND for a council not held. */
int store_council_details(store_pool *pool, int64_t timeout_ms, const char *council,
			int (*cb)(const store_council *c, void *ctx), void *ctx, status *st);

/* Deletes a council that has no loads, with its neighbours (both ways), its
 * computed values and its statistical neighbours' published figures.
 * NOT_FOUND if not held; FAILED_PRECONDITION if it has loads. */
int store_delete_council(store_pool *pool, int64_t timeout_ms, const char *council, status *st);


/* ---- the DfE's published statistics (migration 0018) ---- */

/* The mapping: file kinds and their measures, as dfe_file_kind and
 * dfe_measure hold them. Free with store_dfe_mapping_free. */
#define STORE_DFE_MAX_FILTERS 8
typedef struct store_dfe_kind {
	char *kind, *title;
	char **columns;
	size_t ncolumns;
	bool neighbours;
} store_dfe_kind;

typedef struct store_dfe_measure {
	char *kind, *indicator_id, *measure_column;
	char *filter_columns[STORE_DFE_MAX_FILTERS], *filter_values[STORE_DFE_MAX_FILTERS];
	size_t nfilters;
	double scale;
	/* A combined figure (migration 0019): (measure + plus) / (per) * scale;
	 * no per columns: (measure + plus) * scale. */
	char *plus_columns[STORE_DFE_MAX_FILTERS], *per_columns[STORE_DFE_MAX_FILTERS];
	size_t nplus, nper;
} store_dfe_measure;

typedef struct store_dfe_mapping {
	store_dfe_kind *kinds;
	size_t nkinds;
	store_dfe_measure *measures;
	size_t nmeasures;
} store_dfe_mapping;

int store_dfe_mapping_read(store_pool *pool, int64_t timeout_ms, store_dfe_mapping *out,
			   status *st);
void store_dfe_mapping_free(store_dfe_mapping *mapping);

/* A figure of a published file: a value, or the symbol that says why there
 * is none. */
typedef struct store_published_figure {
	const char *indicator_id, *area_type, *area, *period;
	bool present;
	double value;
	const char *symbol;
} store_published_figure;

/* An LA as a published file names it. */
typedef struct store_dfe_area {
	const char *la_code, *new_la_code, *name, *region;
} store_dfe_area;

typedef struct store_import_counts {
	uint64_t added, replaced, unchanged;
} store_import_counts;

/* An import of published files: one connection and one transaction, from
 * begin to commit; abort (or a failure of any step) stores nothing. */
typedef struct store_dfe_import store_dfe_import;

int store_dfe_import_begin(store_pool *pool, int64_t timeout_ms, store_dfe_import **out,
			   status *st);
/* Commits, and frees imp either way. */
int store_dfe_import_commit(store_dfe_import *imp, status *st);
/* Rolls back and frees; NULL is nothing. */
void store_dfe_import_abort(store_dfe_import *imp);

/* Stores a batch of published figures and the LAs they name, inside the
 * import's transaction: a figure new to csperf is added; one held from the
 * same or an older release is replaced if it differs; one held from a newer
 * release is kept. The same batch twice changes nothing. */
int store_import_figures(store_dfe_import *imp,
			 const store_published_figure *figures, size_t nfigures,
			 const store_dfe_area *areas, size_t nareas, const char *source,
			 const char *release, store_import_counts *counts, status *st);

/* A statistical neighbour of an LA (position 1 the closest). */
typedef struct store_dfe_neighbour {
	const char *la_code, *neighbour, *closeness;
	int position;
} store_dfe_neighbour;

/* Stores a neighbour model's rows (a model older than the one held changes
 * nothing); *changed: how many LAs' neighbours changed. */
int store_import_neighbours(store_dfe_import *imp, const store_dfe_neighbour *rows, size_t count, const char *model,
			    uint64_t *changed, status *st);

/* A comparator of a council's scorecard row from published figures:
 * England or Wales, its region (the council's, else the DfE's for its LA
 * code), published statistical neighbours and others loaded with
 * `comparators load`, its own published figure with its rank among every
 * council with a figure (rank 1 the best by the indicator's polarity, the
 * largest for polarity none), and the average of its DfE statistical
 * neighbours' published figures (contributors: how many have one). */
typedef struct store_benchmark {
	const char *indicator_id, *area_type, *area, *period, *source, *release, *symbol;
	bool present;
	double value;
	int rank, ranked, contributors;
} store_benchmark;

typedef int (*store_benchmark_cb)(const store_benchmark *row, void *ctx);
int store_benchmarks(store_pool *pool, int64_t timeout_ms, const char *council,
		     const char *periods_csv, store_benchmark_cb cb, void *ctx, status *st);

/* A row of a reconciliation: csperf's figure for the council and year and
 * the DfE's published one, for every indicator with either a published
 * figure or a mapping from a DfE file (a breakdown's figure is its total, a
 * count). */
typedef struct store_reconcile_row {
	const char *indicator_id, *title, *unit, *symbol, *source, *release;
	bool csperf_present, published_present;
	double csperf, published;
} store_reconcile_row;

typedef int (*store_reconcile_cb)(const store_reconcile_row *row, void *ctx);
int store_reconcile(store_pool *pool, int64_t timeout_ms, const char *council, const char *year,
		    store_reconcile_cb cb, void *ctx, status *st);

/* ---- the cases behind a figure ---- */

typedef struct store_case {
	const char *child_id, *case_date;
	bool in_numerator;
	const char *detail, *team;
} store_case;

/* Called per case; non-zero stops the listing. */
typedef int (*store_case_cb)(const store_case *row, void *ctx);

/* Runs the engine's case SQL for one period of a council through a cursor,
 * calling cb per row. */
int store_cases(store_pool *pool, int64_t timeout_ms, const char *council,
		const store_period *period, const char *sql, store_case_cb cb, void *ctx,
		status *st);

/* The same, with fact_sql (the engine's statement building the derived
 * fact the case SQL reads, $1 the council) run first; NULL for none. */
int store_cases_of_fact(store_pool *pool, int64_t timeout_ms, const char *council,
			const store_period *period, const char *fact_sql, const char *sql,
			store_case_cb cb, void *ctx, status *st);
/* store_cases_of_fact over the records of an org unit of the council (NULL:
 * the council's). */
int store_cases_of_unit(store_pool *pool, int64_t timeout_ms, const char *council,
			const store_org_unit *unit, const store_period *period,
			const char *fact_sql, const char *sql, store_case_cb cb, void *ctx,
			status *st);

/* Called per row with its values as text ("" for NULL); non-zero stops. */
typedef int (*store_row_cb)(size_t ncolumns, const char *const *values, void *ctx);

/* Runs the setup statements (temporary tables the query reads), then a
 * read-only query through a cursor, in batches, calling cb per row: results
 * of any size pass through bounded memory. All in one transaction, rolled
 * back at the end. */
int store_stream_rows(store_pool *pool, int64_t timeout_ms, const char *const *setup,
		      size_t nsetup, const char *sql, int nparams, const char *const *params,
		      store_row_cb cb, void *ctx, status *st);

/* ---- a council's records back in csperf form (validation.c) ---- */

/* Called per record with its load, its place in that load and its values
 * in schema order, csperf form ("" for absent); non-zero stops. */
typedef int (*store_record_cb)(csperf_record_type type, int64_t load_id, int64_t record_no,
			       const char *const *values, size_t nvalues, void *ctx);

/* Streams the current records of one type of a council through a cursor. */
int store_read_records(store_pool *pool, int64_t timeout_ms, const char *council,
		       csperf_record_type type, store_record_cb cb, void *ctx, status *st);

/* The same, of the children whose id is from from_child (inclusive) to
 * to_child (exclusive); NULL leaves that side open. */
int store_read_records_range(store_pool *pool, int64_t timeout_ms, const char *council,
			     csperf_record_type type, const char *from_child,
			     const char *to_child, store_record_cb cb, void *ctx, status *st);

/* Child ids that cut a council's children (its current child records, by
 * id) into runs of `every`: the every-th, the 2*every-th...; *out (count of
 * them, each and the array the caller's to free) is empty for fewer. */
int store_child_boundaries(store_pool *pool, int64_t timeout_ms, const char *council,
			   int every, char ***out, size_t *count, status *st);

/* How many of a council's records that decide an indicator fail a DfE rule
 * that decides it, and which rules (migration 0020). */
typedef struct store_quality_row {
	const char *indicator_id;
	uint64_t failing_records;
	const char *rules;        /* codes, space-separated */
	int collection_year;
} store_quality_row;

/* Replaces the council's rows with these, in one transaction. */
int store_quality_replace(store_pool *pool, int64_t timeout_ms, const char *council,
			  int collection_year, const store_quality_row *rows, size_t nrows,
			  status *st);

/* Called per row of the council; non-zero stops (out of memory). */
typedef int (*store_quality_cb)(const store_quality_row *row, void *ctx);
int store_quality_list(store_pool *pool, int64_t timeout_ms, const char *council,
		       store_quality_cb cb, void *ctx, status *st);

#endif
