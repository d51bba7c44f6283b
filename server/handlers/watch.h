/*
 * watch.h: WatchScorecard's hubs (watch.c).
 *
 * One hub per scorecard watched (council, period, stage, and the threshold
 * of the watchers' small-number suppression): it computes the scorecard once
 * per change committed anywhere (the change listener's notifications) and
 * fans the rows that changed out to its watchers, each over a bounded queue.
 * Watchers are parked calls (rpc_call_park): they hold no worker; a hub's
 * sends start from the thread that computed or from the poller that saw the
 * previous send complete. A watcher whose queue is full is sent the whole
 * scorecard when it catches up; no watcher waits for another, nor a load
 * for any.
 */
#ifndef CSPERF_SERVER_WATCH_H
#define CSPERF_SERVER_WATCH_H

#include <stdint.h>

#include "handlers.h"

typedef struct watch_hubs watch_hubs;

/* Starts the hubs' compute threads. 0, or -1 when out of memory. */
int watch_hubs_new(watch_hubs **out, app *a);

/* A change committed somewhere (the table's name, or NULL when the
 * listener's connection was lost or made): every hub recomputes; after a
 * change to access_token (or NULL), the watches of tokens no longer valid
 * end with UNAUTHENTICATED. Never blocks for long: safe on the listener's
 * thread. */
void watch_hubs_changed(watch_hubs *hubs, const char *table);

/* Ends every watch (UNAVAILABLE: csperfd is stopping) and refuses new
 * ones; before rpc_server_stop, so that no watch holds up the drain. */
void watch_hubs_close(watch_hubs *hubs);

/* Stops the threads and frees the hubs: after rpc_server_stop, and after the
 * change listener stopped. NULL is fine. */
void watch_hubs_free(watch_hubs *hubs);

typedef struct watch_counts {
	uint64_t computations, updates, resyncs, watchers;
} watch_counts;

void watch_hubs_counts(watch_hubs *hubs, watch_counts *out);

/* ---- from scorecards.c: GetScorecard's own checks and rows ---- */

/* GetScorecard's check of org_unit ("" or "council"). */
int scorecards_check_org_unit(const char *org_unit, status *st);

/* GetScorecard's checks of council, period and stage (NULL: every stage). */
int scorecards_check_request(const char *council, const char *period, const char *stage,
			     status *st);

/* The GetScorecard reply, packed, as a caller whose small numbers are
 * hidden from suppress_threshold (0: nobody's) would get it. *packed is
 * malloc'd, the caller's. On failure fills st. */
int scorecards_build_packed(app *a, int64_t timeout_ms, int suppress_threshold,
			    const char *council, const char *period, const char *stage,
			    uint8_t **packed, size_t *size, status *st);

#endif
