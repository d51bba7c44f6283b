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
	long values;
	bool fresh;              /* the council had no stored value when the run began */
	struct timespec started;
	queued_indicator queue[COMPUTE_BATCH];
	size_t queued;
};

/* Runs the queued indicators' statements (compute_batch.c); 0, or -1 when
 * the connection failed (each indicator's own failure is logged, counted
 * and rolled back to its savepoint, as store_compute_indicator says). */
int store_compute_flush(store_compute *cmp, status *st);

/* Frees what is queued without running it. */
void store_compute_queue_free(store_compute *cmp);

#endif
