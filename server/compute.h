/*
 * compute.h: recomputing a council's indicators: the engine writes the SQL of
 * each definition, the store runs it over the council's standard periods.
 * Called after every load and deletion, and after a definition changes, so
 * that reads never compute.
 */
#ifndef CSPERF_SERVER_COMPUTE_H
#define CSPERF_SERVER_COMPUTE_H

#include "status.h"
#include "store/store.h"

/* Recomputes every indicator (or only `indicator_id`, when not NULL) for the
 * council. A definition that fails is logged and counted in stats, not fatal. */
int compute_council(store_pool *pool, int64_t timeout_ms, const char *council,
		    const char *indicator_id, store_compute_stats *stats, status *st);

#endif
