/*
 * health_monitor.h: the database's state for the health check, refreshed in
 * the background so that a health check runs no query (docs/RELIABILITY.md,
 * "Health").
 *
 * A thread pings the database (store_ping on a connection of its own) every
 * HEALTH_REFRESH_MS, each ping bounded by HEALTH_PING_TIMEOUT_MS. The state a
 * health check reads is the outcome of the last ping; a ping that hangs is
 * not waited for: a state older than HEALTH_STALE_MS counts as not serving.
 * So health says NOT_SERVING at most HEALTH_REFRESH_MS + HEALTH_PING_TIMEOUT_MS
 * after the database stops answering, and SERVING at most HEALTH_REFRESH_MS
 * after it answers again.
 */
#ifndef CSPERF_SERVER_HEALTH_MONITOR_H
#define CSPERF_SERVER_HEALTH_MONITOR_H

#include <stdbool.h>

#include "status.h"
#include "store/store.h"

#define HEALTH_REFRESH_MS 500
#define HEALTH_PING_TIMEOUT_MS 1000
#define HEALTH_STALE_MS (2 * (HEALTH_REFRESH_MS + HEALTH_PING_TIMEOUT_MS))

typedef struct health_monitor health_monitor;

/* Starts the thread and its own connection to dsn (its first ping at once).
 * *out is the caller's, freed by health_monitor_stop. */
int health_monitor_start(health_monitor **out, const char *dsn, status *st);

/* Stops and frees the thread; accepts NULL. */
void health_monitor_stop(health_monitor *monitor);

/* Whether the last ping, at most HEALTH_STALE_MS old, succeeded; false for
 * NULL. Takes no lock and runs no query. */
bool health_monitor_database_ok(const health_monitor *monitor);

#endif
