/*
 * client/gen/gen_council.h: the council-wide records of a generated council:
 * its under-18 population, its placement budget, and the workforce and youth
 * justice figures it reports as they are.
 */
#ifndef CSPERF_GEN_COUNCIL_H
#define CSPERF_GEN_COUNCIL_H

#include <stdint.h>

#include "gen_journey.h"
#include "gen_output.h"

/* Writes population, budget and reported_figure records for every year of
 * the window, once every journey has been written (the population follows
 * the referrals written, the budget the placement costs). Returns 0, or -1
 * (gen_output_error says why). */
int gen_council_write(gen_output *out, const gen_window *window, uint64_t seed);

#endif
