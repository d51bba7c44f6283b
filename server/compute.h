/*
 * compute.h: recomputing a council's indicators: the engine writes the SQL of
 * each definition, the store runs it over the council's standard periods.
 * Called after every load and deletion (for the periods they can change),
 * and after a definition changes (that indicator, every period), so that
 * reads never compute.
 */
#ifndef CSPERF_SERVER_COMPUTE_H
#define CSPERF_SERVER_COMPUTE_H

#include "status.h"
#include "store/store.h"

/* Recomputes every indicator (or only `indicator_id`, when not NULL) for the
 * council, every period. A definition that fails is logged and counted in
 * stats, not fatal (and is recomputed whole the next time). */
int compute_council(store_pool *pool, int64_t timeout_ms, const char *council,
		    const char *indicator_id, store_compute_stats *stats, status *st);

/* After loads and deletions: recomputes every indicator for the periods they
 * can have changed: those ending on or after the earliest date the loads
 * since the last whole-catalogue recompute touched (their rows, and the
 * versions they replaced), or a deletion noted (compute_note_deletion);
 * every period when there is no such state, the periods begin on another
 * day, or a definition's values are not all of its current version. The
 * values come out the same as compute_council's. */
int compute_council_changes(store_pool *pool, int64_t timeout_ms, const char *council,
			    store_compute_stats *stats, status *st);

/* Finishes the recomputes loads and deletions left due (store_compute_due),
 * of `council`, or of every council when NULL: after a crash, a lost
 * database, or a recompute that failed. A council another recompute holds
 * is waited for when wait, else left (it is being done). *remaining: the
 * councils still due after (failed, or left); *busy (when not NULL): those
 * left to another recompute. 0, or -1 with st filled when the councils due
 * could not be read. */
int compute_due(store_pool *pool, int64_t timeout_ms, const char *council, bool wait,
		int *remaining, int *busy, status *st);

/* Before deleting load_id: notes for the next recompute the earliest date
 * its rows, and the versions its deletion makes current again, hold; a
 * deletion that then fails calls store_compute_forget_deletion. */
int compute_note_deletion(store_pool *pool, int64_t timeout_ms, const char *council,
			  int64_t load_id, status *st);

/* An org unit's figures, computed on request (docs/indicators.md, "Figures
 * by org unit"): the council's definitions over the org unit's records,
 * nothing stored. Which indicators: those of ids (NULL: every one). Which
 * periods: `periods` when nperiods > 0, else the council's standard periods
 * of period_type ending from from_end to to_end ("YYYY-MM-DD" or NULL).
 * Each value goes to cb with its indicator's id and version (row->version).
 * A definition that fails to compute is logged and gives no values. */
typedef struct compute_org_request {
	const store_org_unit *unit;
	const char *const *ids;
	size_t nids;
	const store_period *periods;
	size_t nperiods;
	const char *period_type, *from_end, *to_end;
} compute_org_request;

typedef int (*compute_org_cb)(const char *indicator_id, const store_series_row *row, void *ctx);

int compute_org_unit(store_pool *pool, int64_t timeout_ms, const char *council,
		     const compute_org_request *req, compute_org_cb cb, void *ctx, status *st);

#endif
