/*
 * csperf/validation.h: the DfE's validation rules applied by csperfd to a
 * council's stored records, across all the returns it has loaded.
 *
 * The rules are those `csperf validate` applies to files (docs/VALIDATION.md):
 * the DfE's checks that look across a child's records, each with the DfE's
 * code and message. Child-level data: admins, loaders and analysts only.
 */
#ifndef CSPERF_VALIDATION_H
#define CSPERF_VALIDATION_H

#include <stddef.h>
#include <stdint.h>

#include "csperf/csperf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One record that breaks one rule; valid only during the callback. */
typedef struct csperf_validation_failure {
	const char *child_id;
	const char *rule;          /* the DfE's code, "501" */
	const char *record_type;   /* "la_episode" */
	int64_t load_id;           /* the load that brought the record */
	int64_t record_no;         /* its place in that load, from 1 */
	const char *fields;        /* the fields the rule names, as the return names them */
	const char *message;       /* the DfE's message */
} csperf_validation_failure;

/* Called once per failure, child by child; non-zero stops the listing. */
typedef int (*csperf_validation_cb)(const csperf_validation_failure *failure, void *ctx);

#define CSPERF_VALIDATION_QUERY_VERSION 1

typedef struct csperf_validation_query {
	unsigned int version;      /* CSPERF_VALIDATION_QUERY_VERSION */
	const char *council;
	int year;                  /* the collection year, by the 31 March ending it */
	const char *source;        /* "ssda903", "cin", or NULL for both */
	const char *rule;          /* one rule's code, or NULL for all */
} csperf_validation_query;

#define CSPERF_VALIDATION_QUERY_INIT { CSPERF_VALIDATION_QUERY_VERSION, 0, 0, 0, 0 }

/* Streams the failures of the council's current records through cb. When
 * not NULL, *records_checked says how many records were checked and
 * *failures how many failures were received. */
int csperf_validate_records(csperf_client *client, const csperf_validation_query *query,
			  csperf_validation_cb cb, void *ctx, uint64_t *records_checked,
			  uint64_t *failures);

#ifdef __cplusplus
}
#endif

#endif
