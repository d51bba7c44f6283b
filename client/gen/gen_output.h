/*
 * client/gen/gen_output.h: writing journeys as a council's files.
 *
 * The layout under the output directory:
 *   ssda903/<YYYY>/<table>.csv   one SSDA903 return per collection year
 *   cin/<YYYY>.xml               one CIN census per collection year
 *   csv/<type>.csv               csperf CSV for what no return carries
 *   manifest.json                the arguments, and the records of every file
 * Each return shows a journey as it stood on its 31 March: what had not
 * happened by then is absent, and what was still open is open. Every file is
 * open from gen_output_open to gen_output_finish, and journeys are written
 * one at a time, so memory does not grow with the number of children.
 */
#ifndef CSPERF_GEN_OUTPUT_H
#define CSPERF_GEN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csperf/records.h"
#include "gen_journey.h"

typedef struct gen_output gen_output;

/* What the generator was asked for, for the manifest. */
typedef struct gen_arguments {
	const char *council;
	unsigned long children;
	int years;
	uint64_t seed;
	int end_year;
	const char *nation;   /* "england" or "wales" */
} gen_arguments;

/* Creates `dir` (and its subdirectories) if need be and opens every file of
 * the layout. On failure returns -1 and writes a sentence saying why into
 * `error`. *out is the caller's: gen_output_finish, then gen_output_free. */
int gen_output_open(gen_output **out, const char *dir, const gen_window *window,
	const gen_arguments *arguments, char *error, size_t error_size);

/* Whether anything of the journey falls in the window, i.e. whether
 * gen_output_write_journey would write at least one record. */
bool gen_output_journey_in_window(const gen_window *window,
	const gen_journey *journey);

/* Writes every record of the journey in every file it belongs in, and marks
 * what it wrote. Returns 0, or -1 (gen_output_error says why). */
int gen_output_write_journey(gen_output *out, gen_journey *journey);

/* Writes one council-wide record (budget, population, reported_figure) to
 * csv/<type>.csv. Returns 0, or -1. */
int gen_output_write_council_record(gen_output *out, csperf_record_type type,
	const char *const *values, size_t nvalues);

/* What the written placement costs add up to in the financial year ending
 * 31 March `year`, for a budget line, in pence. */
int64_t gen_output_spend(const gen_output *out, int year,
	gen_cost_category category);

/* Referrals written whose date falls in the financial year ending 31 March
 * `year`. */
uint64_t gen_output_referrals(const gen_output *out, int year);

/* Closes every file and writes manifest.json. Returns 0, or -1. */
int gen_output_finish(gen_output *out);

/* Why the last call failed: one sentence, never NULL. */
const char *gen_output_error(const gen_output *out);

/* Closes whatever is still open (files written so far stay). Accepts NULL. */
void gen_output_free(gen_output *out);

#endif
