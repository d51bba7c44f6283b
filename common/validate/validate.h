/*
 * common/validate/validate.h: the DfE's validation rules that look across a
 * child's records (SSDA903 and CIN census), applied to records in csperf form.
 *
 * csperf_record_validate (schema.h) checks one record at a time: a date is a
 * date, a code is in its list. The rules here are the DfE's cross-record and
 * cross-field rules, with the DfE's codes and messages, as the Data to
 * Insight validators (csc-validator-be-903, csc-validator-be-cin) apply them:
 * an episode that starts before the previous one ends, a review before a
 * plan started, a plan for a referral with no further action. docs/VALIDATION.md
 * lists every rule implemented, with its years and source.
 *
 * Use: make a set, add every record of a return (or of several returns of
 * one council), run it for a collection year. Records are grouped by child
 * (one sort, O(n log n)); every rule then looks at one child's records only,
 * in time linear in them (a few sort a child's records first), so a census
 * of 100,000 children takes about as long as parsing it.
 *
 * Pure C over libc: the CLI (csperf validate, load --require-valid) and
 * csperfd share it.
 */
#ifndef CSPERF_COMMON_VALIDATE_H
#define CSPERF_COMMON_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csperf/records.h"

/* Which statutory return a rule belongs to. */
typedef enum validate_return {
	VALIDATE_SSDA903 = 1,
	VALIDATE_CIN = 2
} validate_return;

/* A record as a rule sees it. */
typedef struct validate_record {
	csperf_record_type type;
	uint32_t file;            /* index of the file name given to add */
	unsigned long line;       /* where the record starts in its file */
	size_t index;             /* the order it was added in, from 0 */
	const char *const *values;/* one per schema field, csperf form, "" absent */
	const int32_t *days;      /* one per schema field: the value as a day
	                           * number (common/dates.h), or INT32_MIN when
	                           * it is not a date; parsed once, when added */
} validate_record;

/* One child's records, by type, as the rules see them: episodes sorted by
 * start date, referrals by referral date, missing periods by start date,
 * everything else in the order added. */
typedef struct validate_child validate_child;
typedef struct validate_out validate_out;

/* One rule. */
typedef struct validate_rule {
	const char *code;          /* the DfE's code: "501", "8840", "4012Q" */
	validate_return source;
	int year_from;             /* first collection year (of the 31 March
	                            * ending it) it applies to; 0: every year
	                            * before the validator's first ruleset too */
	int year_to;               /* last one; 0: still applies */
	csperf_record_type type;   /* the record type a failure names */
	const char *fields;        /* the fields a failure names, schema names,
	                            * space-separated: "start_date end_date" */
	const char *dfe_fields;    /* the same in the return's own names:
	                            * "DECOM DEC" */
	const char *message;       /* the DfE's message */
	const char *decides;       /* catalogue indicators whose figure the
	                            * rule's fields decide, space-separated
	                            * ("LA01 LA02"); "" when none */
	void (*check)(const validate_child *child, validate_out *out);
} validate_rule;

/* Every rule implemented, in code order, and how many. */
const validate_rule *validate_rules(size_t *count);

/* The rule with `code`, or NULL. */
const validate_rule *validate_rule_by_code(const char *code);

/* Whether `rule` applies to collection year `year`. */
bool validate_rule_applies(const validate_rule *rule, int year);

/* The record type a return holds rules for ("ssda903", "cin"), or NULL. */
const char *validate_return_name(validate_return source);

/* One failure: a rule that a record breaks. Pointers are the set's, valid
 * until it is freed. */
typedef struct validate_failure {
	const validate_rule *rule;
	const char *child_id;
	const validate_record *record;
	const char *file;          /* the record's file name, as given to add */
} validate_failure;

typedef struct validate_set validate_set;

/* A new, empty set; NULL when out of memory. */
validate_set *validate_set_new(void);
void validate_set_free(validate_set *set);

/* Adds one record (copying its values), read from `file` at `line`
 * (file may be NULL). Records of types no rule reads, and records with no
 * child_id, are kept out. Returns 0, or -1 out of memory or a bad type or
 * number of values. */
int validate_set_add(validate_set *set, csperf_record_type type,
	const char *const *values, size_t nvalues, const char *file,
	unsigned long line);

/* The number of records kept. */
size_t validate_set_size(const validate_set *set);

/* Called once per failure, child by child (in child id order), rule by
 * rule; non-zero stops the run and is returned. */
typedef int (*validate_failure_cb)(const validate_failure *failure, void *ctx);

/* Runs the rules of `source` (0 for both) that apply to collection year
 * `year` (the year of the 31 March that ends it) over every child of the
 * set. `only` limits the run to one rule code (NULL for all). Returns 0,
 * the callback's non-zero value, or -1 out of memory. */
int validate_run(validate_set *set, validate_return source, int year,
	const char *only, validate_failure_cb cb, void *ctx);

/* The same, for a collection period that ends on `period_end` (a day number,
 * common/dates.h) and starts the day after the same day a year before: the
 * CIN census's period runs to its ReferenceDate, whichever day that is.
 * `year` still chooses the rules. */
int validate_run_period(validate_set *set, validate_return source, int year,
	int32_t period_end, const char *only, validate_failure_cb cb, void *ctx);

/* validate_run for records of several returns (a council's stored records,
 * all years together): the cross-record rules see every year at once, a
 * date before the collection year is another return's and not an error (a
 * date after it still is), and the rules about one return's cohort (334,
 * 391, 542, 602, 8525Q, 8750: docs/VALIDATION.md) are left out. */
int validate_run_stored(validate_set *set, validate_return source, int year,
	const char *only, validate_failure_cb cb, void *ctx);

#endif
