/*
 * engine.h: the indicator engine: definitions as data, turned into
 * parameterised SQL over the journey record views.
 *
 * The engine knows the record schema (common/) but neither gRPC nor libpq:
 * it parses and checks an indicator's kind and parameters (JSON), and writes
 * the SQL that computes the indicator for every period of a council at once.
 * The store runs that SQL; tests pin each kind on hand-built journeys.
 *
 * Every kind's SQL has the same shape. It reads the temporary tables
 * pg_temp.engine_period (label, period_type, start_date, end_date) holding
 * the periods to compute, pg_temp.engine_period_month (label, month: the
 * months of each period) and pg_temp.engine_end_date (end_date, label: each
 * distinct last day, label its ISO text), takes $1 = the council, and returns rows
 * (label, breakdown, numerator, denominator, value): one per period (and per
 * code, for breakdowns). A user never supplies SQL: field names are checked
 * against the record schema and every value is a bound parameter or a
 * literal the engine quoted itself from a checked code list. A definition may
 * name a derived fact (facts.c) where it names a record type: a child-level
 * table the engine builds from the records first (engine_fact_sql).
 *
 * The parameters of each kind are documented in docs/indicators.md.
 */
#ifndef CSPERF_SERVER_ENGINE_H
#define CSPERF_SERVER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "csperf/records.h"
#include "schema.h"
#include "periods.h"

typedef enum engine_kind {
	ENGINE_COUNT = 1,           /* events dated in the period */
	ENGINE_SNAPSHOT_COUNT,      /* open on the period's last day */
	ENGINE_INTERVAL_COUNT,      /* open at any time in the period */
	ENGINE_PROPORTION,          /* events in the period meeting a condition */
	ENGINE_SNAPSHOT_PROPORTION, /* open on the last day, meeting a condition */
	ENGINE_RATE,                /* events (or open cases) per 10,000 under-18s */
	ENGINE_TIMELINESS,          /* events whose interval is within N days */
	ENGINE_AVERAGE_DURATION,    /* mean days between two dates, events in the period */
	ENGINE_MEDIAN_DURATION,     /* median of the same */
	ENGINE_REPEAT_WITHIN,       /* events whose child had one within N months before */
	ENGINE_SECOND_SUBSEQUENT,   /* events whose child had one at any time before */
	ENGINE_CHILDREN_WITH_EVENTS,/* children with at least N events in the period */
	ENGINE_STABILITY_SHORT,     /* looked after at the end with >= N placements in 12 months */
	ENGINE_STABILITY_LONG,      /* the DfE long-term stability rule */
	ENGINE_BREAKDOWN,           /* events in the period, by a code */
	ENGINE_SNAPSHOT_BREAKDOWN,  /* open on the last day, by a code */
	ENGINE_REPORTED,            /* a figure loaded as reported_figure */
	ENGINE_COST_SUM,            /* placement spend in the period, pro rata by day */
	ENGINE_COST_AVERAGE,        /* average weekly cost of placements open at the end */
	ENGINE_COST_COUNT_OVER,     /* placements open at the end costing over a threshold */
	ENGINE_INTERVAL_PROPORTION  /* open at any time in the period, meeting a condition */
} engine_kind;

/* The name of a kind as definitions write it ("timeliness"), or NULL. */
const char *engine_kind_name(engine_kind kind);
/* The kind named `name`, or 0. */
engine_kind engine_kind_from_name(const char *name);

typedef struct engine_indicator engine_indicator;

/* Parses and checks a kind and its parameters (a JSON object). On failure
 * returns -1 and writes one sentence into err ("timeliness needs 'within', a
 * whole number of days from 1 to 3650"). *out is the caller's, freed with
 * engine_indicator_free. */
int engine_indicator_parse(const char *kind, const char *params_json, engine_indicator **out,
			   char *err, size_t errsize);
void engine_indicator_free(engine_indicator *indicator);

/* Writes the SQL computing the indicator for the periods of
 * pg_temp.engine_period; $1 is the council, $2 the indicator's id (used by
 * `reported`). malloc'd; NULL when out of memory. */
char *engine_indicator_sql(const engine_indicator *indicator);

/* ---- derived facts (facts.c) ---- */

/* A derived fact: a child-level table the engine builds from a council's
 * records (periods of care, adoptions, plans with the one before, reviews
 * and visits with the day they were due), which definitions name as they
 * name a record type. */
typedef struct engine_fact engine_fact;

/* The fact named `name` ("adoption_journey"), or NULL. */
const engine_fact *engine_fact_by_name(const char *name);
const char *engine_fact_name(const engine_fact *fact);
/* Its fields, as a record type's schema (type 0: it is no record type). */
const csperf_record_schema *engine_fact_schema(const engine_fact *fact);
/* Marks the record types the fact is built from. */
void engine_fact_reads(const engine_fact *fact, bool *reads);
/* The statement building it into the temporary table of its name for
 * council $1 ("CREATE TEMP TABLE ... ON COMMIT DROP AS ..."); malloc'd. */
char *engine_fact_sql(const engine_fact *fact);
/* The fact an indicator reads, or NULL when it reads a record type: its
 * table must be built (engine_fact_sql) before the indicator's SQL runs. */
const engine_fact *engine_indicator_fact(const engine_indicator *indicator);

/* ---- what a change to the records can reach ---- */

/* Marks in reads (CSPERF_RECORD_TYPE_LAST + 1 entries, indexed by
 * csperf_record_type) every record type the indicator's SQL reads: its
 * record, the child record when it takes ages, population for rates,
 * reported_figure for reported figures, la_episode and child for the
 * stability kinds, placement_cost for the cost kinds. */
void engine_indicator_reads(const engine_indicator *indicator, bool *reads);

/* How many months before the earliest date of a change to its records a
 * period's value can still change. Every kind's value for a period ending on
 * day E depends only on record versions with a date on or before E: events
 * dated in the period, cases started by E, the earlier events
 * repeat_within and second_subsequent look back to, the placements
 * stability counts up to E. A change whose dates (every date field of the
 * versions added and of those they replace) are all on or after D therefore
 * leaves every period ending before D as it was: the reach is 0 for every
 * kind today. Derived facts keep to it: each fact field looks back (a
 * period of care's start, the review before), never forward. A kind that
 * judged an event by what follows it (a re-entry within N months after
 * leaving) would reach back N months. */
int engine_indicator_reach_back_months(const engine_indicator *indicator);

/* ---- the cases behind a figure ---- */

typedef enum engine_case_part {
	ENGINE_CASES_NUMERATOR = 1,  /* the cases the numerator counts */
	ENGINE_CASES_DENOMINATOR,    /* every case of the figure's population */
	ENGINE_CASES_NOT_NUMERATOR   /* the population's cases that the numerator does not count */
} engine_case_part;

/* Whether the figure has a denominator made of cases (a count has none; a
 * rate's is a population estimate), and whether it has cases at all (a
 * reported figure has none). */
bool engine_indicator_has_denominator(const engine_indicator *indicator);
bool engine_indicator_has_cases(const engine_indicator *indicator);

/* Writes the SQL listing the cases behind the figure for the one period in
 * pg_temp.engine_period ($1 the council): (child_id, case_date,
 * in_numerator, detail, team), one row per case (per child where the figure
 * counts children), built from the same joins and conditions as the figure,
 * so that the numerator's cases number the numerator. malloc'd. */
char *engine_indicator_cases_sql(const engine_indicator *indicator, engine_case_part part);

#endif
