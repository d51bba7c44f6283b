/*
 * common/validate/rules.h: what the rule files share: a child's records as
 * the rules see them, the field numbers of the record types they read, and
 * small helpers over dates and codes. Not part of validate.h's interface.
 */
#ifndef CSPERF_VALIDATE_RULES_H
#define CSPERF_VALIDATE_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "validate.h"

/* No date: absent or not a date. Sorts before every date. */
#define NO_DATE INT32_MIN

struct validate_child {
	const char *child_id;
	int year;                  /* the collection year */
	int32_t year_start;        /* the first day of the collection period: 1 April
	                            * of year - 1, or for a CIN census the day after
	                            * its ReferenceDate a year before */
	int32_t year_end;          /* its last day: 31 March of year, or the
	                            * ReferenceDate */
	/* The records come from several returns (a council's stored records):
	 * a date before the collection period is another year's, not an error,
	 * and the rules about one return's cohort (334, 391, 542, 602, 8525Q, 8750)
	 * do not apply (validate_run_stored). */
	bool across_returns;
	const validate_record *const *recs[CSPERF_RECORD_TYPE_LAST + 1];
	size_t n[CSPERF_RECORD_TYPE_LAST + 1];
};

/* Reports `record` as breaking `rule` (its own rule: the checker passes
 * the rule it was called for through the out). */
void validate_emit(validate_out *out, const validate_record *record);

/* Field numbers, in the order of common/schema.c; unit_validate checks them
 * against the schema. */
enum { CH_ID, CH_SEX, CH_DOB, CH_EXPECTED_DOB, CH_ETHNICITY, CH_DISABILITIES };
enum { EP_ID, EP_START, EP_RNE, EP_LS, EP_CIN, EP_PLACE, EP_PROVIDER, EP_END,
	EP_REC, EP_RPC, EP_HOME_POST, EP_PL_POST, EP_URN, EP_PL_LOCATION, EP_PL_LA };
enum { RV_ID, RV_DATE, RV_PARTICIPATION };
enum { OC2_ID, OC2_AS_AT, OC2_SDQ_SCORE, OC2_SDQ_REASON, OC2_CONVICTED,
	OC2_HEALTH_CHECK, OC2_IMMUNISATIONS, OC2_TEETH, OC2_HEALTH_ASSESSMENT,
	OC2_SUBSTANCE, OC2_INTERVENTION_RECEIVED, OC2_INTERVENTION_OFFERED };
enum { MS_ID, MS_TYPE, MS_START, MS_END };
enum { OC3_ID, OC3_AS_AT, OC3_IN_TOUCH, OC3_ACTIVITY, OC3_ACCOMMODATION };
enum { AD_ID, AD_DATE_INT, AD_DATE_MATCH, AD_FOSTER_CARE, AD_NB_ADOPTR,
	AD_SEX_ADOPTR, AD_LS_ADOPTR };
enum { PA_ID, PA_DATE_PLACED, PA_CEASED, PA_REASON };
enum { PP_ID, PP_PREV_PERM, PP_LA, PP_DATE };
enum { UA_ID, UA_DUC };
enum { RF_ID, RF_DATE, RF_SOURCE, RF_PRIMARY_NEED, RF_NFA, RF_CLOSURE,
	RF_CLOSURE_REASON, RF_ICPC };
enum { AS_ID, AS_REFERRAL, AS_START, AS_END, AS_FACTORS };
enum { CINP_ID, CINP_REFERRAL, CINP_START, CINP_END };
enum { S47_ID, S47_REFERRAL, S47_START, S47_ICPC_TARGET, S47_ICPC,
	S47_ICPC_NOT_REQUIRED };
enum { CPP_ID, CPP_REFERRAL, CPP_START, CPP_END, CPP_INITIAL_CATEGORY,
	CPP_LATEST_CATEGORY, CPP_PREVIOUS };
enum { CPR_ID, CPR_REFERRAL, CPR_PLAN_START, CPR_DATE };

/* The records of one type of a child, and how many. */
#define RECS(child, t) ((child)->recs[(t)])
#define NRECS(child, t) ((child)->n[(t)])

static inline const char *val(const validate_record *r, int field)
{
	return r->values[field];
}

static inline bool has(const validate_record *r, int field)
{
	return r->values[field][0] != '\0';
}

static inline bool is(const validate_record *r, int field, const char *code)
{
	return strcmp(r->values[field], code) == 0;
}

/* Whether the value is one of the codes of `list`, a NULL-terminated list. */
bool val_in(const validate_record *r, int field, const char *const *list);
#define IN(r, field, ...) val_in((r), (field), (const char *const[]){ __VA_ARGS__, NULL })

/* The value as a day number, or NO_DATE (parsed when the record was added). */
static inline int32_t date_of(const validate_record *r, int field)
{
	return r->days[field];
}

/* The day `years` whole years after `day` (29 February goes to 1 March in a
 * year that has none, as pandas' DateOffset does... to 28 February). */
int32_t date_add_years(int32_t day, int years);

/* The child's date of birth from its child record, or NO_DATE. */
int32_t child_dob(const validate_child *child);

/* The child's age in whole years on `day`; -1 when either is unknown. */
int age_on(const validate_child *child, int32_t day);

/* Whether `day` is in the child's collection year. */
static inline bool in_year(const validate_child *c, int32_t day)
{
	return day != NO_DATE && day >= c->year_start && day <= c->year_end;
}

/* Whether a date a return must hold within its collection year is outside
 * it: after it, or (for one return, not across returns) before it. */
static inline bool outside_period(const validate_child *c, int32_t day)
{
	return day != NO_DATE && (day > c->year_end
		|| (!c->across_returns && day < c->year_start));
}

#define EPISODE CSPERF_RECORD_LA_EPISODE
#define EPS(c) RECS(c, EPISODE)
#define NEPS(c) NRECS(c, EPISODE)

/* For each record r of `type` of child c. */
#define FOR_EACH(c, type, r) \
	for (size_t i_##r = 0; i_##r < NRECS(c, type); i_##r++) \
		for (const validate_record *r = RECS(c, type)[i_##r]; r != NULL; r = NULL)

/* A NULL-terminated list of codes, for val_in. */
#define CODES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The day an episode ends, or the end of the collection year while open. */
static inline int32_t end_or_year_end(const validate_child *c, const validate_record *e)
{
	int32_t d = date_of(e, EP_END);
	return d == NO_DATE ? c->year_end : d;
}

/* Reports every record of `type` whose date `field` falls after the end of
 * the collection period, or (when `missing_fails`) is not given. */
void after_period(const validate_child *c, validate_out *out, csperf_record_type type,
	int field, bool missing_fails);

#define CHECK(name) void name(const validate_child *c, validate_out *out)

#endif
