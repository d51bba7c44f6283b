/*
 * client/gen/gen_random.h: the synthetic data generator's pseudo-random
 * numbers.
 *
 * xoshiro256** seeded through splitmix64, as their authors (Blackman and
 * Vigna) recommend: small, fast, and the same sequence on every platform, so
 * that the same arguments give byte-identical files. Every child has its own
 * generator, seeded from (seed, child index), so that a child's journey does
 * not depend on how many children come before or after it.
 */
#ifndef CSPERF_GEN_RANDOM_H
#define CSPERF_GEN_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gen_rng {
	uint64_t state[4];
} gen_rng;

/* One step of splitmix64: advances *state and returns the next output. */
uint64_t gen_splitmix64(uint64_t *state);

/* Seeds `rng` from a seed and a stream number: (seed, 7) and (seed, 8) give
 * independent sequences. */
void gen_rng_seed(gen_rng *rng, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t gen_rng_next(gen_rng *rng);

/* A uniform double in [0, 1). */
double gen_rng_uniform(gen_rng *rng);

/* A uniform integer in [low, high]; low when high < low. */
int gen_rng_between(gen_rng *rng, int low, int high);

/* true with probability `probability`. */
bool gen_rng_chance(gen_rng *rng, double probability);

/* An exponentially distributed value of the given mean. */
double gen_rng_exponential(gen_rng *rng, double mean);

/* A roughly normal value (the sum of twelve uniforms), cut to [low, high]. */
double gen_rng_normal(gen_rng *rng, double mean, double sd, double low,
	double high);

/* A code and how often it is chosen, relative to the others of its table. */
typedef struct gen_weighted {
	const char *code;
	double weight;
} gen_weighted;

/* An index into `weights`, each chosen in proportion to its weight. */
size_t gen_rng_pick_index(gen_rng *rng, const double *weights, size_t count);

/* A code of `table`, each chosen in proportion to its weight. */
const char *gen_rng_pick(gen_rng *rng, const gen_weighted *table, size_t count);

#define GEN_PICK(rng, table) gen_rng_pick((rng), (table), sizeof(table) / sizeof((table)[0]))

#endif
