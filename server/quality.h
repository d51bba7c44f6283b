/*
 * quality.h: the DfE's validation rules (common/validate) over a council's
 * stored records: read them into a validation set, and after each load or
 * deletion count, per indicator, the records that fail a rule deciding it
 * (migration 0020), for scorecard rows to say so.
 */
#ifndef CSPERF_SERVER_QUALITY_H
#define CSPERF_SERVER_QUALITY_H

#include "status.h"
#include "store/store.h"
#include "validate/validate.h"

/* Reads the council's current records of every type a rule reads into a new
 * set (*out, the caller's); a record's "file" is its load id and its "line"
 * its place in that load. */
int quality_read_set(store_pool *pool, int64_t timeout_ms, const char *council,
		     validate_set **out, status *st);

/* The collection year (by the 31 March ending it) that a day "YYYY-MM-DD"
 * falls in; 0 for "". */
int quality_collection_year(const char *date);

/* Runs every rule for the collection year of the council's latest data and
 * stores the failing records per indicator the failing rules decide. */
int quality_refresh(store_pool *pool, int64_t timeout_ms, const char *council, status *st);

#endif
