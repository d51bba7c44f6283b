/*
 * engine_internal.h: what the engine's files share: a parsed definition
 * (engine_indicator), its conditions, and the SQL pieces that the figure
 * (figure.c) and its cases (cases.c) are both built from (sql.c), so that
 * the cases behind a figure number its numerator. params.c parses and checks
 * definitions; facts.c holds the derived facts kinds can read like records.
 */
#ifndef CSPERF_SERVER_ENGINE_INTERNAL_H
#define CSPERF_SERVER_ENGINE_INTERNAL_H

#include "engine.h"
#include "../strbuf.h"

#include "schema.h"

typedef enum condition_op {
	COND_IN = 1, COND_NOT_IN, COND_IS_NULL, COND_NOT_NULL, COND_EQUALS, COND_RANGE, COND_AGE,
	COND_COMPARE          /* two dates of the same record (or the period's last day) */
} condition_op;

/* Room for a checked list of codes as SQL text. */
#define ENGINE_CODE_LIST 128

/* A date of a comparison that is the period's last day, not a field. */
#define FIELD_PERIOD_END (-2)
/* ... or its first day (interval kinds). */
#define FIELD_PERIOD_START (-3)

typedef enum compare_unit {
	UNIT_DAYS = 0, UNIT_WORKING_DAYS, UNIT_MONTHS
} compare_unit;

typedef struct condition {
	condition_op op;
	int field;            /* index in the schema; -1 for age */
	char **values;        /* in, not_in, equals */
	size_t nvalues;
	bool has_min, has_max;
	double min, max;
	/* compare: field OP other + amount units (field and other are date
	 * fields, or FIELD_PERIOD_END) */
	int other;
	const char *sql_op;   /* "<=", "<", ">=", ">" */
	compare_unit unit;
	int amount;
} condition;

struct engine_indicator {
	engine_kind kind;
	const csperf_record_schema *schema;
	int date, start, end, from, to, by, prior_field;
	condition *where;
	size_t nwhere;
	condition *numerator;
	size_t nnumerator;
	bool children;
	bool of_open;         /* rate: open cases, not events */
	bool working_days;
	int within, months, min, min_placements, max_age, care_months, placement_months;
	double threshold;
	char reported_id[32];
	bool needs_child;     /* an age condition joins the child's record */
	char same_carer[ENGINE_CODE_LIST];     /* stability_long: "'L', 'T'" */
	char not_placements[ENGINE_CODE_LIST]; /* stability_short: "" for none */
	bool needs_calendar;  /* a working-day comparison reads calendar_day */
	const struct engine_fact *fact;   /* the derived fact read, or NULL for a record */
};

/* What each kind reads. */
typedef enum shape {
	SHAPE_EVENT,     /* record + date */
	SHAPE_OPEN,      /* record + start/end */
	SHAPE_FIXED      /* no record parameter (reported, stability, cost) */
} shape;

shape eng_kind_shape(engine_kind kind, bool of_open);

/* ---- SQL pieces (sql.c) ---- */
void eng_add_literal(strbuf *s, const char *text);
const char *eng_fname(const engine_indicator *ind, int field);
void eng_add_condition(strbuf *s, const engine_indicator *ind, const condition *c,
		       const char *refdate);
void eng_add_conditions(strbuf *s, const engine_indicator *ind, const condition *conds,
			size_t n, const char *refdate);
bool eng_by_end_date(const engine_indicator *ind);
const char *eng_period_source(const engine_indicator *ind);
void eng_add_from(strbuf *s, const engine_indicator *ind, shape how);
const char *eng_refdate(const engine_indicator *ind, shape how);
const char *eng_counted(const engine_indicator *ind);
void eng_add_interval_where(strbuf *s, const engine_indicator *ind);
void eng_add_stability_short_from(strbuf *s, const engine_indicator *ind);
void eng_add_stability_long_from(strbuf *s, const engine_indicator *ind);

#endif
