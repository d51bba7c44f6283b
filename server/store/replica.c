/*
 * replica.c: reads on PostgreSQL streaming replicas, with read-your-writes.
 *
 * The primary's pool owns a list of replica pools. After a council's data
 * changes (a load, a deletion, a recompute) csperfd records the primary's WAL
 * insert position in council_wal_position. A read of that council goes to a
 * replica (round robin) only if the replica's pg_last_wal_replay_lsn() has
 * passed that position, else to the primary: whichever csperfd made the
 * write, whichever csperfd serves the read. See docs/SCALING.md.
 */
#include "store_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"

/* After a replica fails to answer, reads leave it alone this long. */
#define REPLICA_RETRY_AFTER_MS 5000
/* The most --read-dsn a csperfd takes. */
#define MAX_REPLICAS 16

typedef struct replica {
	store_pool *pool;
	int number;                  /* 1-based, for logs */
	_Atomic int64_t down_until;  /* monotonic ms; 0: usable */
} replica;

struct store_replicas {
	replica items[MAX_REPLICAS];
	int count;
	atomic_uint next;            /* round robin */
	atomic_ullong served_replica, served_primary;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "16/B374D848" -> 0x16B374D848; 0 for NULL, "" or nonsense. */
static uint64_t parse_lsn(const char *text)
{
	unsigned int high, low;

	if (text == NULL || sscanf(text, "%X/%X", &high, &low) != 2)
		return 0;
	return ((uint64_t)high << 32) | low;
}

int store_pool_add_replica(store_pool *primary, const char *dsn, int size, status *st)
{
	store_replicas **set = store_pool_replicas(primary);
	replica *r;

	if (*set == NULL) {
		*set = calloc(1, sizeof(**set));
		if (*set == NULL)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	if ((*set)->count == MAX_REPLICAS)
		return status_set(st, STATUS_INVALID_ARGUMENT, "at most %d --read-dsn", MAX_REPLICAS);
	r = &(*set)->items[(*set)->count];
	if (store_pool_open_lazy(&r->pool, dsn, size, "csperfd-replica", st) != 0)
		return -1;
	r->number = ++(*set)->count;
	atomic_store(&r->down_until, 0);
	return 0;
}

void store_replicas_free(store_replicas *replicas)
{
	if (replicas == NULL)
		return;
	for (int i = 0; i < replicas->count; i++)
		store_pool_close(replicas->items[i].pool);
	free(replicas);
}

int store_replica_count(store_pool *primary)
{
	store_replicas *set = *store_pool_replicas(primary);

	return set != NULL ? set->count : 0;
}

void store_read_counts(store_pool *primary, uint64_t *by_replicas, uint64_t *by_primary)
{
	store_replicas *set = *store_pool_replicas(primary);

	*by_replicas = set != NULL ? atomic_load(&set->served_replica) : 0;
	*by_primary = set != NULL ? atomic_load(&set->served_primary) : 0;
}

/* One statement on a connection of pool, taken and given back. */
static PGresult *one_statement(store_pool *pool, int64_t timeout_ms, const char *sql,
			       int nparams, const char *const *params, status *st)
{
	store_conn *c;
	PGresult *res;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return NULL;
	res = store_query(c, sql, nparams, params, st);
	store_release(pool, c);
	return res;
}

/* The primary's WAL position after the council's latest write; 0 if none is
 * recorded. -1 if the primary did not answer. */
static int council_position(store_pool *primary, int64_t timeout_ms, const char *council,
			    uint64_t *lsn)
{
	const char *params[1] = { council };
	status st = STATUS_INIT;
	PGresult *res = one_statement(primary, timeout_ms,
				   "SELECT lsn::text FROM council_wal_position WHERE council = $1",
				   1, params, &st);

	if (res == NULL)
		return -1;
	*lsn = PQntuples(res) > 0 ? parse_lsn(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return 0;
}

/* The replica's replay position; -1 if it did not answer or is no replica
 * (no longer in recovery: a promoted replica's data may have parted from
 * ours). */
static int replay_position(replica *r, int64_t timeout_ms, uint64_t *lsn)
{
	status st = STATUS_INIT;
	PGresult *res = one_statement(r->pool, timeout_ms,
				   "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END", 0, NULL, &st);

	if (res == NULL) {
		atomic_store(&r->down_until, now_ms() + REPLICA_RETRY_AFTER_MS);
		return -1;
	}
	if (PQgetisnull(res, 0, 0)) {
		log_warn("store: replica %d is not in recovery: reads leave it alone", r->number);
		atomic_store(&r->down_until, now_ms() + REPLICA_RETRY_AFTER_MS);
		PQclear(res);
		return -1;
	}
	*lsn = parse_lsn(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

store_pool *store_read_pool(store_pool *primary, int64_t timeout_ms, const char *council)
{
	store_replicas *set = *store_pool_replicas(primary);
	uint64_t needed = 0, replayed = 0;
	unsigned int start;
	const char *why = "every replica is behind or down";

	if (set == NULL || set->count == 0)
		return primary;
	/* Cheap (a primary-key look-up), and it must be the primary's: the
	 * write may have come through another csperfd. */
	if (council_position(primary, timeout_ms, council, &needed) != 0) {
		why = "the council's write position is unknown";
		goto primary;
	}
	start = atomic_fetch_add(&set->next, 1);
	for (int i = 0; i < set->count; i++) {
		replica *r = &set->items[(start + (unsigned int)i) % (unsigned int)set->count];
		int64_t down_until = atomic_load(&r->down_until);

		if (down_until != 0 && now_ms() < down_until)
			continue;
		if (replay_position(r, timeout_ms, &replayed) != 0)
			continue;
		atomic_store(&r->down_until, 0);
		if (replayed >= needed) {
			atomic_fetch_add(&set->served_replica, 1);
			log_debug("store: read of council %s served by replica %d (replayed "
				  "%" PRIX64 ", council written at %" PRIX64 ")",
				  council, r->number, replayed, needed);
			return r->pool;
		}
		log_debug("store: replica %d is behind council %s (replayed %" PRIX64
			  " < %" PRIX64 ")", r->number, council, replayed, needed);
	}
primary:
	atomic_fetch_add(&set->served_primary, 1);
	log_debug("store: read of council %s served by the primary (%s)", council, why);
	return primary;
}

int store_note_council_write(store_pool *pool, int64_t timeout_ms, const char *council,
			     status *st)
{
	const char *params[1] = { council };
	PGresult *res = one_statement(
		pool, timeout_ms,
		"INSERT INTO council_wal_position AS p (council, lsn)"
		" VALUES ($1, pg_current_wal_insert_lsn())"
		" ON CONFLICT (council) DO UPDATE SET lsn = greatest(p.lsn, EXCLUDED.lsn),"
		" updated_at = now()",
		1, params, st);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}
