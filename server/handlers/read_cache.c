/*
 * read_cache.c: the read cache (see read_cache.h): a hash table of entries
 * threaded on a least-recently-used list, under one mutex.
 */
#include "read_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 4096
/* What an entry costs besides its bytes and key, for the budget. */
#define ENTRY_OVERHEAD 128

typedef struct entry {
	char *key;
	uint64_t hash;
	uint8_t *packed;
	size_t size;
	int64_t rows;
	char params[256];
	struct entry *bucket_next;
	struct entry *newer, *older;   /* the LRU list */
} entry;

struct read_cache {
	pthread_mutex_t mu;
	entry *buckets[BUCKETS];
	entry *newest, *oldest;
	uint64_t generation;
	size_t bytes, max_bytes, entries;
	uint64_t hits, misses, stored, evicted, clears;
};

static uint64_t hash_key(const char *key)
{
	uint64_t h = 1469598103934665603ULL;  /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)key; *p != '\0'; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t entry_cost(const entry *e)
{
	return e->size + strlen(e->key) + ENTRY_OVERHEAD;
}

static void lru_unlink(read_cache *c, entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push_newest(read_cache *c, entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = e;
	c->newest = e;
	if (c->oldest == NULL)
		c->oldest = e;
}

static entry *find(read_cache *c, const char *key, uint64_t hash)
{
	for (entry *e = c->buckets[hash % BUCKETS]; e != NULL; e = e->bucket_next)
		if (e->hash == hash && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void entry_free(entry *e)
{
	free(e->key);
	free(e->packed);
	free(e);
}

/* Takes e out of the table and the list, and frees it. */
static void remove_entry(read_cache *c, entry *e)
{
	entry **link = &c->buckets[e->hash % BUCKETS];

	while (*link != e)
		link = &(*link)->bucket_next;
	*link = e->bucket_next;
	lru_unlink(c, e);
	c->bytes -= entry_cost(e);
	c->entries--;
	entry_free(e);
}

int read_cache_new(read_cache **out, size_t max_bytes)
{
	read_cache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL)
		return -1;
	pthread_mutex_init(&c->mu, NULL);
	c->max_bytes = max_bytes;
	*out = c;
	return 0;
}

static void clear_locked(read_cache *c)
{
	while (c->oldest != NULL)
		remove_entry(c, c->oldest);
	c->generation++;
	c->clears++;
}

void read_cache_free(read_cache *c)
{
	if (c == NULL)
		return;
	clear_locked(c);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void read_cache_clear(read_cache *c)
{
	pthread_mutex_lock(&c->mu);
	clear_locked(c);
	pthread_mutex_unlock(&c->mu);
}

uint64_t read_cache_generation(read_cache *c)
{
	uint64_t generation;

	pthread_mutex_lock(&c->mu);
	generation = c->generation;
	pthread_mutex_unlock(&c->mu);
	return generation;
}

bool read_cache_get(read_cache *c, const char *key, read_cache_hit *out)
{
	uint64_t hash = hash_key(key);
	entry *e;
	uint8_t *copy = NULL;

	pthread_mutex_lock(&c->mu);
	e = c->max_bytes > 0 ? find(c, key, hash) : NULL;
	if (e != NULL)
		copy = malloc(e->size > 0 ? e->size : 1);
	if (e == NULL || copy == NULL) {
		c->misses++;
		pthread_mutex_unlock(&c->mu);
		free(copy);
		return false;
	}
	memcpy(copy, e->packed, e->size);
	out->packed = copy;
	out->size = e->size;
	out->rows = e->rows;
	snprintf(out->params, sizeof(out->params), "%s", e->params);
	lru_unlink(c, e);
	lru_push_newest(c, e);
	c->hits++;
	pthread_mutex_unlock(&c->mu);
	return true;
}

void read_cache_put(read_cache *c, const char *key, uint64_t generation,
		    const uint8_t *packed, size_t size, int64_t rows, const char *params)
{
	entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return;
	e->key = strdup(key);
	e->packed = malloc(size > 0 ? size : 1);
	if (e->key == NULL || e->packed == NULL) {
		entry_free(e);
		return;
	}
	memcpy(e->packed, packed, size);
	e->size = size;
	e->rows = rows;
	snprintf(e->params, sizeof(e->params), "%s", params != NULL ? params : "");
	e->hash = hash_key(key);

	pthread_mutex_lock(&c->mu);
	if (generation != c->generation || entry_cost(e) > c->max_bytes) {
		/* A change came while the reply was read: it may predate it. */
		pthread_mutex_unlock(&c->mu);
		entry_free(e);
		return;
	}
	{
		entry *old = find(c, key, e->hash);

		if (old != NULL)
			remove_entry(c, old);
	}
	while (c->oldest != NULL && c->bytes + entry_cost(e) > c->max_bytes) {
		remove_entry(c, c->oldest);
		c->evicted++;
	}
	e->bucket_next = c->buckets[e->hash % BUCKETS];
	c->buckets[e->hash % BUCKETS] = e;
	lru_push_newest(c, e);
	c->bytes += entry_cost(e);
	c->entries++;
	c->stored++;
	pthread_mutex_unlock(&c->mu);
}

void read_cache_get_counts(read_cache *c, read_cache_counts *out)
{
	pthread_mutex_lock(&c->mu);
	out->hits = c->hits;
	out->misses = c->misses;
	out->stored = c->stored;
	out->evicted = c->evicted;
	out->clears = c->clears;
	out->entries = c->entries;
	out->bytes = c->bytes;
	out->max_bytes = c->max_bytes;
	pthread_mutex_unlock(&c->mu);
}
