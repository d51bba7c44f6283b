/*
 * client/gen/gen_random.c: splitmix64 and xoshiro256**, and the few
 * distributions the journey model draws from.
 */
#include "gen_random.h"

#include <math.h>

uint64_t gen_splitmix64(uint64_t *state)
{
	uint64_t mixed;

	*state += UINT64_C(0x9e3779b97f4a7c15);
	mixed = *state;
	mixed = (mixed ^ (mixed >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	mixed = (mixed ^ (mixed >> 27)) * UINT64_C(0x94d049bb133111eb);
	return mixed ^ (mixed >> 31);
}

void gen_rng_seed(gen_rng *rng, uint64_t seed, uint64_t stream)
{
	uint64_t mixer = seed;
	uint64_t stream_mixer = stream;

	/* Mixing the stream through its own splitmix64 first keeps neighbouring
	 * streams (child 7 and child 8) far apart. */
	mixer ^= gen_splitmix64(&stream_mixer);
	for (int i = 0; i < 4; i++)
		rng->state[i] = gen_splitmix64(&mixer);
}

static uint64_t rotate_left(uint64_t value, int bits)
{
	return (value << bits) | (value >> (64 - bits));
}

uint64_t gen_rng_next(gen_rng *rng)
{
	uint64_t *s = rng->state;
	uint64_t result = rotate_left(s[1] * 5, 7) * 9;
	uint64_t shifted = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= shifted;
	s[3] = rotate_left(s[3], 45);
	return result;
}

double gen_rng_uniform(gen_rng *rng)
{
	/* The top 53 bits fill a double's mantissa exactly. */
	return (double)(gen_rng_next(rng) >> 11) * 0x1.0p-53;
}

int gen_rng_between(gen_rng *rng, int low, int high)
{
	uint64_t span;

	if (high <= low)
		return low;
	span = (uint64_t)((int64_t)high - (int64_t)low) + 1;
	return (int)((int64_t)low + (int64_t)(gen_rng_next(rng) % span));
}

bool gen_rng_chance(gen_rng *rng, double probability)
{
	return gen_rng_uniform(rng) < probability;
}

double gen_rng_exponential(gen_rng *rng, double mean)
{
	return -mean * log1p(-gen_rng_uniform(rng));
}

double gen_rng_normal(gen_rng *rng, double mean, double sd, double low,
	double high)
{
	double sum = 0.0, value;

	for (int i = 0; i < 12; i++)
		sum += gen_rng_uniform(rng);
	value = mean + (sum - 6.0) * sd;
	if (value < low)
		return low;
	if (value > high)
		return high;
	return value;
}

size_t gen_rng_pick_index(gen_rng *rng, const double *weights, size_t count)
{
	double total = 0.0, target;
	size_t last_possible = 0;

	for (size_t i = 0; i < count; i++) {
		total += weights[i];
		if (weights[i] > 0.0)
			last_possible = i;
	}
	target = gen_rng_uniform(rng) * total;
	for (size_t i = 0; i < count; i++) {
		if (target < weights[i])
			return i;
		target -= weights[i];
	}
	/* Rounding can leave target at the very top: never an index whose
	 * weight is 0. */
	return last_possible;
}

const char *gen_rng_pick(gen_rng *rng, const gen_weighted *table, size_t count)
{
	double total = 0.0, target;

	for (size_t i = 0; i < count; i++)
		total += table[i].weight;
	target = gen_rng_uniform(rng) * total;
	for (size_t i = 0; i < count; i++) {
		if (target < table[i].weight)
			return table[i].code;
		target -= table[i].weight;
	}
	for (size_t i = count; i > 0; i--) {
		if (table[i - 1].weight > 0.0)
			return table[i - 1].code;
	}
	return table[count - 1].code;
}
