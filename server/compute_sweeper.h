/*
 * compute_sweeper.h: a thread that finishes the recomputes loads and
 * deletions left due (compute_due): at start, then every few seconds.
 */
#ifndef CSPERF_SERVER_COMPUTE_SWEEPER_H
#define CSPERF_SERVER_COMPUTE_SWEEPER_H

#include "status.h"
#include "store/store.h"

typedef struct compute_sweeper compute_sweeper;

/* Starts the thread: a sweep at once, then every every_s seconds (every 2
 * while the database cannot be read or a council is left to another
 * recompute). *out is the
 * caller's, freed by compute_sweeper_stop. */
int compute_sweeper_start(compute_sweeper **out, store_pool *pool, int every_s, status *st);

/* Cancels a recompute under way, stops and frees the thread; accepts NULL. */
void compute_sweeper_stop(compute_sweeper *sweeper);

#endif
