/*
 * test_read_cache.c: the read cache's own rules (server/handlers/read_cache.h):
 * a hit returns a copy of what was kept; a reply read across a change
 * (generation moved) is not kept; clearing forgets everything; the byte
 * budget evicts the least recently used first; size 0 keeps nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handlers/read_cache.h"

static const uint8_t reply[] = "packed reply bytes";

static void test_hit_returns_a_copy(void **state)
{
	read_cache *cache = NULL;
	read_cache_hit hit;
	read_cache_counts counts;

	(void)state;
	assert_int_equal(read_cache_new(&cache, 1 << 20), 0);
	assert_false(read_cache_get(cache, "k", &hit));
	read_cache_put(cache, "k", read_cache_generation(cache), reply, sizeof(reply), 15,
		       "period=2023-24:Q4 stage=all");
	assert_true(read_cache_get(cache, "k", &hit));
	assert_int_equal(hit.size, sizeof(reply));
	assert_memory_equal(hit.packed, reply, sizeof(reply));
	assert_int_equal(hit.rows, 15);
	assert_string_equal(hit.params, "period=2023-24:Q4 stage=all");
	free(hit.packed);
	read_cache_get_counts(cache, &counts);
	assert_int_equal(counts.hits, 1);
	assert_int_equal(counts.misses, 1);
	assert_int_equal(counts.entries, 1);
	read_cache_free(cache);
}

static void test_change_during_read_not_kept(void **state)
{
	read_cache *cache = NULL;
	read_cache_hit hit;
	uint64_t generation;

	(void)state;
	assert_int_equal(read_cache_new(&cache, 1 << 20), 0);
	generation = read_cache_generation(cache);
	read_cache_clear(cache);   /* a change came while the reply was read */
	read_cache_put(cache, "k", generation, reply, sizeof(reply), 1, "");
	assert_false(read_cache_get(cache, "k", &hit));

	read_cache_put(cache, "k", read_cache_generation(cache), reply, sizeof(reply), 1, "");
	assert_true(read_cache_get(cache, "k", &hit));
	free(hit.packed);
	read_cache_clear(cache);
	assert_false(read_cache_get(cache, "k", &hit));
	read_cache_free(cache);
}

static void test_budget_evicts_least_recently_used(void **state)
{
	read_cache *cache = NULL;
	read_cache_hit hit;
	read_cache_counts counts;
	uint8_t big[1000];

	(void)state;
	memset(big, 7, sizeof(big));
	/* Room for two entries (each costs its bytes, key and some overhead). */
	assert_int_equal(read_cache_new(&cache, 2 * (sizeof(big) + 200)), 0);
	read_cache_put(cache, "a", read_cache_generation(cache), big, sizeof(big), 1, "");
	read_cache_put(cache, "b", read_cache_generation(cache), big, sizeof(big), 1, "");
	assert_true(read_cache_get(cache, "a", &hit));   /* a is now the newest */
	free(hit.packed);
	read_cache_put(cache, "c", read_cache_generation(cache), big, sizeof(big), 1, "");
	assert_false(read_cache_get(cache, "b", &hit));
	assert_true(read_cache_get(cache, "a", &hit));
	free(hit.packed);
	assert_true(read_cache_get(cache, "c", &hit));
	free(hit.packed);
	read_cache_get_counts(cache, &counts);
	assert_int_equal(counts.evicted, 1);
	assert_true(counts.bytes <= counts.max_bytes);
	read_cache_free(cache);
}

static void test_size_zero_keeps_nothing(void **state)
{
	read_cache *cache = NULL;
	read_cache_hit hit;

	(void)state;
	assert_int_equal(read_cache_new(&cache, 0), 0);
	read_cache_put(cache, "k", read_cache_generation(cache), reply, sizeof(reply), 1, "");
	assert_false(read_cache_get(cache, "k", &hit));
	read_cache_free(cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_returns_a_copy),
		cmocka_unit_test(test_change_during_read_not_kept),
		cmocka_unit_test(test_budget_evicts_least_recently_used),
		cmocka_unit_test(test_size_zero_keeps_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
