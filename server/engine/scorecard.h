/*
 * scorecard.h: a scorecard's rows and exceptions as plain C, from values
 * already computed: the periods a row reads, the value of each, the small
 * numbers a role must not see, target, RAG and direction, comparators
 * (published and computed across councils), breakdown rows, and Norfolk's
 * four exception criteria with the sentence that gives their reasons.
 *
 * Pure: no gRPC, no libpq. The handler (handlers/scorecards.c) fills the
 * tables from the store and maps the rows to protobuf; tests/unit/
 * test_scorecard.c pins every rule.
 */
#ifndef CSPERF_SERVER_ENGINE_SCORECARD_H
#define CSPERF_SERVER_ENGINE_SCORECARD_H

#include <stdbool.h>
#include <stddef.h>

#include "judge.h"
#include "periods.h"

#define SCORECARD_MAX_PERIODS 32
#define SCORECARD_MAX_TREND 12

/* A computed average across councils is shown only when at least this many
 * councils other than the one asked for contribute a value (docs/SECURITY.md:
 * with fewer, the average is one council's figure, or two councils' from
 * which each can subtract its own). */
#define SCORECARD_PEER_MIN_COUNCILS 3

/* The periods a scorecard reads for the period asked for. */
typedef struct scorecard_periods {
	report_period asked, previous, year_ago, last_year, year_before_last;
	report_period trend[SCORECARD_MAX_TREND];  /* this year's quarters, or 12 months */
	size_t ntrend;
	report_period before[3];   /* the three periods before `previous`, oldest first */
	char csv[SCORECARD_MAX_PERIODS * 24];   /* every label above, comma-separated */
} scorecard_periods;

/* Fills ps for the period asked for. */
void scorecard_periods_make(const report_period *asked, scorecard_periods *ps);

/* One computed value, as stored (breakdown "" for the figure itself). */
typedef struct scorecard_value {
	char indicator_id[20];
	char period[24];
	char breakdown[64];
	judge_figure numerator, denominator, value;
	bool provisional;
	bool suppressed;   /* rests on a small number the role must not see */
	int version;
} scorecard_value;

typedef struct scorecard_values {
	scorecard_value *rows;
	size_t count, capacity;
} scorecard_values;

/* Appends a value (numbers as text, NULL when absent). -1 when out of memory. */
int scorecard_values_add(scorecard_values *t, const char *indicator_id, const char *period,
			 const char *breakdown, const char *numerator, const char *denominator,
			 const char *value, bool provisional, int version);

/* The value of indicator, period and breakdown, or NULL. */
const scorecard_value *scorecard_values_find(const scorecard_values *t, const char *indicator_id,
					     const char *period, const char *breakdown);

/* The small-number rule, applied to the data a role receives: when
 * threshold > 0, every value whose numerator or denominator is a count from
 * 1 to threshold loses its numerator, denominator and value and is marked
 * suppressed. Everything computed from the table afterwards (previous,
 * year ago, last year, trend, breakdowns, direction, exceptions) then rests
 * only on what the role may see. Returns the number of values it suppressed
 * (none already marked). */
size_t scorecard_values_suppress(scorecard_values *t, int threshold);

void scorecard_values_free(scorecard_values *t);

/* An indicator's definition as the scorecard needs it (strings borrowed). */
typedef struct scorecard_definition {
	const char *id, *title, *stage, *unit, *polarity, *kind, *risk, *budget_line, *targets;
	int threshold;   /* the indicator's own small-number threshold (small_number) */
} scorecard_definition;

/* The average of an indicator over other councils csperf holds (all of
 * them, or the council's statistical neighbours). */
typedef struct scorecard_peer {
	char indicator_id[20];
	double average;
	int councils;          /* councils contributing a value */
	double smallest_count; /* the smallest numerator or denominator from 1 up among them, 0: none */
	bool neighbours;
} scorecard_peer;

typedef struct scorecard_peers {
	scorecard_peer *items;
	size_t count;
} scorecard_peers;

int scorecard_peers_add(scorecard_peers *p, const char *indicator_id, double average,
			int councils, double smallest_count, bool neighbours);

/* Whether a computed average may be shown to a role whose small numbers are
 * suppressed from 1 to threshold (0: none are): at least
 * SCORECARD_PEER_MIN_COUNCILS contributors, and, when threshold > 0, no
 * contributor's count from 1 to threshold. The one rule for every computed
 * cross-council average. */
bool scorecard_peer_shown(int councils, double smallest_count, int threshold);

/* A published comparator: England, a region, statistical neighbours. */
typedef struct scorecard_published {
	char indicator_id[20], area_type[32], area[64], period[24], source[160];
	double value;
	int fit;   /* 0 = the period asked for, 1 its financial year, 2 last year, 3 the one before */
	/* The DfE's published statistics (docs/COMPARATORS.md): no figure and
	 * the symbol that says why, the release, the council's own figure's
	 * rank among `ranked` councils, how many neighbours have a figure
	 * (area_type "dfe_neighbours": their average). */
	bool present;
	char symbol[8], release[16];
	int rank, ranked, contributors;
} scorecard_published;

typedef struct scorecard_published_list {
	scorecard_published *items;
	size_t count;
} scorecard_published_list;

/* Keeps a published figure if its period fits the periods asked for, and
 * only the best fitting one of each indicator and area. -1 when out of memory. */
int scorecard_published_add(scorecard_published_list *l, const scorecard_periods *ps,
			    const char *indicator_id, const char *area_type, const char *area,
			    const char *period, double value, const char *source);

/* scorecard_published_add for a figure with all it says (its fit is
 * worked out here). -1 when out of memory. */
int scorecard_published_keep(scorecard_published_list *l, const scorecard_periods *ps,
			     const scorecard_published *figure);

/* The labels published comparators are read for: "asked,its year,last year,year before". */
void scorecard_published_periods(const scorecard_periods *ps, char *out, size_t size);

/* The target and tolerance for the financial year of `period`, from the
 * stored JSON {"2018-19": {"target": 90, "tolerance": 5}}. */
void scorecard_target_for(const char *targets_json, const report_period *period,
			  judge_figure *target, double *tolerance);

typedef struct scorecard_trend_point {
	const char *period;
	judge_figure value;
} scorecard_trend_point;

typedef struct scorecard_comparator {
	const char *name, *area_type, *year, *source;
	judge_figure value;
	const char *area, *symbol, *release;    /* "" when none */
	int rank, ranked, quartile, contributors;
} scorecard_comparator;

typedef struct scorecard_breakdown {
	const char *code;
	judge_figure numerator, value;
} scorecard_breakdown;

/* One row of a scorecard. Strings are borrowed from the definition, the
 * periods and the tables, which must outlive the row. */
typedef struct scorecard_row {
	const scorecard_definition *definition;
	const char *unit;   /* a breakdown's own figure is its total: "count" */
	const char *period;
	judge_figure value, numerator, denominator;
	judge_figure previous, year_ago, last_year;
	judge_figure target;
	double tolerance;
	bool suppressed, small_number, provisional;
	int version;
	judge_rag rag;
	judge_direction direction, direction_year;
	scorecard_trend_point trend[SCORECARD_MAX_TREND];
	size_t ntrend;
	scorecard_comparator *comparators;
	size_t ncomparators;
	scorecard_breakdown *breakdown;
	size_t nbreakdown;
} scorecard_row;

/* Builds the row of definition d. threshold is the role's small-number
 * threshold (0: it sees every number); the values must already have been
 * through scorecard_values_suppress with it. Free with scorecard_row_free.
 * -1 when out of memory. */
int scorecard_row_build(const scorecard_definition *d, const scorecard_periods *ps,
			const scorecard_values *values, const scorecard_peers *peers,
			const scorecard_published_list *published, int threshold,
			scorecard_row *out);

void scorecard_row_free(scorecard_row *row);

/* A budget line forecast over budget, already written for a reader. */
typedef struct scorecard_overspend {
	const char *budget_line, *forecast, *budget, *variance_percent;
	const char *financial_year, *as_at;
} scorecard_overspend;

#define SCORECARD_MAX_CRITERIA 4

typedef struct scorecard_exception {
	const char *criteria[SCORECARD_MAX_CRITERIA];  /* off_target, worsening, budget, corporate_risk */
	size_t ncriteria;
	char reason[768];
} scorecard_exception;

/* Norfolk's four criteria: off target (red, or 5% or more worse than
 * target), worse three periods running, linked to a budget line forecast
 * over budget (overspend, NULL if its line is not), and a corporate risk
 * that is red, amber or worsening. Fills e with the criteria that hold and
 * one sentence; true if any holds. */
bool scorecard_exception_of(const scorecard_row *row, const scorecard_periods *ps,
			    const scorecard_values *values, const scorecard_overspend *overspend,
			    scorecard_exception *e);

#endif
