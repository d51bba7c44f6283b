/*
 * read_cache.h: csperfd's cache of read replies (GetScorecard,
 * GetExceptions), packed as they are sent, with what their audit line says.
 *
 * Bounded by bytes, least recently used out first. Coherent by generation:
 * every change committed anywhere empties it (main.c hands it the change
 * listener's notifications, store/listener.c), and a reply read from the
 * database is only kept if no change came between the read's start and its
 * end. Keys carry everything a reply depends on besides the data: the
 * method, the request's fields and the caller's suppression (role), so that
 * what one role may not see is never served to another. Thread-safe.
 */
#ifndef CSPERF_SERVER_READ_CACHE_H
#define CSPERF_SERVER_READ_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct read_cache read_cache;

/* A cache of at most max_bytes (0: caching off, every get misses). */
int read_cache_new(read_cache **out, size_t max_bytes);
void read_cache_free(read_cache *cache);

/* Forgets every entry and moves the generation on. */
void read_cache_clear(read_cache *cache);

/* Read before reading the database for a reply that may be kept. */
uint64_t read_cache_generation(read_cache *cache);

typedef struct read_cache_hit {
	uint8_t *packed;      /* malloc'd copy: the caller frees it */
	size_t size;
	int64_t rows;         /* for the audit line */
	char params[256];     /* likewise */
} read_cache_hit;

/* Copies the entry for key into *out and counts a hit; false (a miss) if
 * there is none. */
bool read_cache_get(read_cache *cache, const char *key, read_cache_hit *out);

/* Keeps a copy of the reply under key, unless the generation has moved
 * since `generation` was read or it is larger than the cache. */
void read_cache_put(read_cache *cache, const char *key, uint64_t generation,
		    const uint8_t *packed, size_t size, int64_t rows, const char *params);

typedef struct read_cache_counts {
	uint64_t hits, misses, stored, evicted, clears;
	size_t entries, bytes, max_bytes;
} read_cache_counts;

void read_cache_get_counts(read_cache *cache, read_cache_counts *out);

#endif
