/*
 * compute_internal.h: one recompute's state, shared by compute.c (its
 * transaction, periods and bookkeeping) and compute_batch.c (writing each
 * indicator's values, pipelined); or one computation of an org unit's
 * figures on request (org_units.c, store_compute_begin_org: nothing is
 * written, it is rolled back).
 */
#ifndef CSPERF_STORE_COMPUTE_INTERNAL_H
#define CSPERF_STORE_COMPUTE_INTERNAL_H

#include <stdbool.h>
#include <time.h>

#include "store_internal.h"

/* Indicators queued before their statements go to the database together. */
#define COMPUTE_BATCH 32
/* ... and when a second connection shares the work (compute_lane.c). */
#define COMPUTE_BATCH_SHARED 8

typedef struct compute_lane compute_lane;

typedef struct queued_indicator {
	char *indicator_id;
	char *period_types;
	char *statement;         /* the INSERT of its values as computed */
	char version[16];
} queued_indicator;

struct store_compute {
	store_pool *pool;
	store_conn *conn;
	char council[16];
	char data_to[16];
	char last_load[24];      /* the council's newest load when the run began */
	char pending_upto[24];   /* the newest compute_pending note read */
	char since[16];          /* periods ending from this day ("-infinity": all) */
	int indicators, failures;
	int shared;              /* of them, those the second connection computed */
	long values;
	bool fresh;              /* the council had no stored value when the run began */
	struct timespec started;
	queued_indicator queue[COMPUTE_BATCH];
	size_t queued;
	compute_lane *lane;      /* a second connection sharing the work, or NULL */
};

/* Runs the queued indicators' statements (compute_batch.c); 0, or -1 when
 * the connection failed (each indicator's own failure is logged, counted
 * and rolled back to its savepoint, as store_compute_indicator says). */
int store_compute_flush(store_compute *cmp, status *st);

/* Frees what is queued without running it. */
void store_compute_queue_free(store_compute *cmp);

/* Writes into out `before` then the SELECT of an indicator's values as
 * pg_temp.compute_new holds them, from the engine's `sql` ($1 council, $2
 * indicator id, $3 period types, $4 version; values of periods ending after
 * data_to provisional); returns what snprintf does. */
size_t store_compute_values_sql(char *out, size_t size, const char *before, const char *data_to,
				const char *sql);

/* Counts and logs an indicator that failed, and takes away the mark that
 * its values are current (the next recompute does it whole). */
void store_compute_lost(store_compute *cmp, const char *indicator_id, const char *message);

/* Writes the values gathered in pg_temp.compute_new for the indicators in
 * pg_temp.compute_done, compared with what is stored, under a savepoint:
 * should that fail, one indicator at a time (the one at fault loses its
 * values only); empties both tables. 0, or -1 with st filled. */
int store_compute_write_gathered(store_compute *cmp, status *st);

/* compute.c: pg_temp.engine_period, its months and last days, on c. */
int store_compute_period_tables(store_conn *c, const store_period *periods, size_t nperiods,
				status *st);

/* compute_lane.c: waits for the second connection, then writes its values
 * (before the commit); 0, or -1 with st filled when it failed. */
int store_compute_lane_write(store_compute *cmp, status *st);

/* compute_lane.c: stops the second connection and frees it (abort). */
void store_compute_lane_end(store_compute *cmp);

#endif
