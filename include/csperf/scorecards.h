/*
 * csperf/scorecards.h: indicator definitions, their values, scorecards and
 * exceptions.
 *
 * Every figure is a csperf_figure: a number that may be absent (no data, a
 * zero denominator, or hidden from the caller because it rests on a small
 * number). Strings and arrays in a result belong to it, until its _free.
 */
#ifndef CSPERF_SCORECARDS_H
#define CSPERF_SCORECARDS_H

#include <stddef.h>
#include <stdint.h>

#include "csperf/csperf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A number that may be absent. */
typedef struct csperf_figure {
	int present;
	double value;
} csperf_figure;

/* ---- indicator definitions ---- */

typedef struct csperf_target {
	const char *year;          /* financial year, "2018-19" */
	double target;
	double tolerance;          /* the amber band, in the indicator's unit */
} csperf_target;

typedef struct csperf_indicator {
	const char *indicator_id;  /* "CN02" */
	int version;
	const char *title;
	const char *stage;         /* early_help, front_door, assessment, ... */
	const char *unit;          /* count, percent, rate, days, pounds, number */
	const char *polarity;      /* up, down, none */
	const char *kind;          /* docs/indicators.md */
	const char *params_json;
	size_t nperiod_types;
	const char *const *period_types;
	size_t ntargets;
	const csperf_target *targets;
	const char *corporate_risk;
	const char *budget_line;
	int small_number_threshold;
	const char *definition;
	const char *source;
	const char *created_at;
	const char *created_by;
} csperf_indicator;

typedef struct csperf_indicator_list {
	size_t count;
	const csperf_indicator *indicators;
	void *internal;            /* the SDK's */
} csperf_indicator_list;

/* The current definitions (of `stage`, or all when NULL or ""). */
int csperf_indicators_list(csperf_client *client, const char *stage,
			   csperf_indicator_list **out);

/* One indicator: its current definition first, then with `history` non-zero
 * every earlier version, newest first. CSPERF_ENOTFOUND if there is none. */
int csperf_indicator_get(csperf_client *client, const char *indicator_id, int history,
			 csperf_indicator_list **out);

/* Stores a new version of a definition (its version field is ignored) and
 * has it computed for every council; *out (may be NULL) is what was stored.
 * CSPERF_EINVAL with the reason when the definition does not hold. */
int csperf_indicator_put(csperf_client *client, const csperf_indicator *indicator,
			 csperf_indicator_list **out);

void csperf_indicator_list_free(csperf_indicator_list *list);

/* ---- values ---- */

typedef struct csperf_series_point {
	const char *period;        /* "2018-19:Q4" */
	const char *period_start;  /* "2019-01-01" */
	const char *period_end;
	const char *breakdown;     /* "" for the figure, else a code */
	csperf_figure numerator;
	csperf_figure denominator;
	csperf_figure value;
	int provisional;
	int version;
} csperf_series_point;

typedef struct csperf_series {
	size_t count;
	const csperf_series_point *points;
	void *internal;
} csperf_series;

/* An indicator's values for a council, for periods of `period_type` (month,
 * quarter, year, rolling12, ytd; NULL: quarter) ending from `from` to `to`
 * (periods such as "2017-18:Q1"; NULL for no bound). */
int csperf_series_get(csperf_client *client, const char *council, const char *indicator_id,
		      const char *period_type, const char *from, const char *to,
		      csperf_series **out);

/* csperf_series_get for an org unit of the council: org_unit NULL or
 * "council", "locality:NAME" or "team:NAME" (csperf_org_units_list). An org
 * unit's values are computed on request (docs/indicators.md). */
int csperf_series_get_in(csperf_client *client, const char *council, const char *org_unit,
			 const char *indicator_id, const char *period_type, const char *from,
			 const char *to, csperf_series **out);

void csperf_series_free(csperf_series *series);

/* ---- scorecards ---- */

typedef struct csperf_period_value {
	const char *period;
	csperf_figure value;
} csperf_period_value;

typedef struct csperf_comparator {
	const char *name;          /* "other councils in csperf", "England", ... */
	const char *area_type;     /* computed, england, region, statistical_neighbours */
	const char *year;
	csperf_figure value;
	const char *source;
	const char *area;          /* "England", "West Midlands", the council's LA code, ... */
	const char *symbol;        /* no figure: the DfE's symbol (c, x, z, u, k, low, blank),
	                            * or "few" (too few neighbours have a figure); "" else */
	int rank;                  /* the council's own published figure: 1 the best by the
	                            * indicator's polarity (the largest for polarity none) */
	int ranked;                /* ... among this many councils with a figure; 0: no rank */
	int quartile;              /* ... 1 (best quarter) to 4; 0: none */
	int contributors;          /* averages: councils or neighbours with a figure */
	const char *release;       /* the DfE release of a published figure ("2025") */
} csperf_comparator;

typedef struct csperf_breakdown_row {
	const char *code;
	csperf_figure numerator;
	csperf_figure value;       /* percent of the indicator's total */
} csperf_breakdown_row;

struct csperf_report_card;

typedef struct csperf_scorecard_row {
	const char *indicator_id;
	const char *title;
	const char *stage;
	const char *unit;
	const char *polarity;
	const char *period;
	csperf_figure value;
	csperf_figure numerator;
	csperf_figure denominator;
	csperf_figure last_year;   /* the previous financial year's out-turn */
	size_t ntrend;             /* this year's quarters, or the last 12 months */
	const csperf_period_value *trend;
	csperf_figure target;
	csperf_figure tolerance;
	const char *rag;           /* red, amber, green, none */
	const char *direction;     /* against the previous period: improving, steady, worsening, none */
	const char *direction_year;/* against the same period a year before */
	csperf_figure previous;
	csperf_figure year_ago;
	size_t ncomparators;
	const csperf_comparator *comparators;
	int provisional;
	int small_number;
	int suppressed;            /* hidden from this caller: it rests on a small number */
	size_t nbreakdown;
	const csperf_breakdown_row *breakdown;
	const char *corporate_risk;
	const char *budget_line;
	int version;
	/* Records behind the figure that fail one of the DfE's validation
	 * rules that decides it (csperf validate --list-rules), for the
	 * collection year of the council's latest data, and those rules' codes,
	 * space-separated: 0 and "" when none. */
	uint64_t failing_records;
	const char *failing_rules;
	/* Added with council settings (issue 19). Whose target this is:
	 * "council" (the council's own), "catalogue" (the definition's), ""
	 * when there is none. */
	const char *target_source;
	/* The report card for the indicator, council and period; NULL when
	 * none is written. */
	const struct csperf_report_card *report_card;
} csperf_scorecard_row;

typedef struct csperf_scorecard {
	const char *council;
	const char *council_name;
	const char *period;
	const char *period_start;
	const char *period_end;
	const char *data_to;       /* the latest date in the council's data */
	size_t nrows;
	const csperf_scorecard_row *rows;
	void *internal;
	const char *org_unit;      /* "council", "locality:NAME" or "team:NAME" ("" from an older csperfd) */
} csperf_scorecard;

#define CSPERF_SCORECARD_QUERY_VERSION 1

typedef struct csperf_scorecard_query {
	unsigned int version;      /* CSPERF_SCORECARD_QUERY_VERSION */
	const char *council;       /* required */
	const char *period;        /* required: 2018-19:Q4, 2019-01, 2018-19, r12:2019-03, ytd:2019-01 */
	const char *stage;         /* NULL for every stage */
	const char *org_unit;      /* NULL for the council */
} csperf_scorecard_query;

#define CSPERF_SCORECARD_QUERY_INIT { CSPERF_SCORECARD_QUERY_VERSION, 0, 0, 0, 0 }

int csperf_scorecard_get(csperf_client *client, const csperf_scorecard_query *query,
			 csperf_scorecard **out);
void csperf_scorecard_free(csperf_scorecard *scorecard);

typedef struct csperf_exception {
	const char *indicator_id;
	const char *title;
	size_t ncriteria;
	const char *const *criteria; /* off_target, worsening, budget, corporate_risk */
	const char *reason;          /* one sentence */
	const csperf_scorecard_row *row;
} csperf_exception;

typedef struct csperf_exceptions {
	const char *council;
	const char *period;
	size_t count;
	const csperf_exception *exceptions;
	void *internal;
	const char *org_unit;        /* as csperf_scorecard's */
} csperf_exceptions;

int csperf_exceptions_get(csperf_client *client, const char *council, const char *period,
			  csperf_exceptions **out);
/* The exceptions of an org unit of the council (org_unit as for
 * csperf_series_get_in); an org unit's have no budget criterion (budgets
 * are the council's). */
int csperf_exceptions_get_in(csperf_client *client, const char *council, const char *org_unit,
			     const char *period, csperf_exceptions **out);

/* ---- org units ---- */

/* One org unit below the council: a locality (as placement cost lines name
 * it) or a team (as contacts and early help episodes name it). */
typedef struct csperf_org_unit {
	const char *kind;          /* locality or team */
	const char *name;
	const char *org_unit;      /* as queries name it: "locality:North" */
} csperf_org_unit;

typedef struct csperf_org_units {
	const char *council;
	size_t count;
	const csperf_org_unit *items;
	void *internal;
} csperf_org_units;

/* The council's localities, then its teams, by name. A token narrowed to
 * localities is sent its own localities only. */
int csperf_org_units_list(csperf_client *client, const char *council, csperf_org_units **out);
void csperf_org_units_free(csperf_org_units *units);
void csperf_exceptions_free(csperf_exceptions *exceptions);

/* ---- the cases behind a figure ---- */

/* One case: a record (or a child, where the figure counts children). */
typedef struct csperf_case {
	const char *child_id;      /* the council's own child id */
	const char *case_date;
	int in_numerator;
	const char *detail;        /* the dates and codes the rule used */
	const char *reason;        /* why it counts or does not, in words */
	const char *team;          /* "" when the record names none */
} csperf_case;

/* Called once per case, in date order; the case is valid only during the
 * call. A non-zero return stops the listing (the call is cancelled). */
typedef int (*csperf_case_cb)(const csperf_case *c, void *ctx);

#define CSPERF_CASES_QUERY_VERSION 1

typedef struct csperf_cases_query {
	unsigned int version;      /* CSPERF_CASES_QUERY_VERSION */
	const char *council;
	const char *indicator_id;
	const char *period;
	const char *part;          /* "numerator" (NULL), "denominator" or "not-numerator" */
	const char *org_unit;      /* NULL for the council */
} csperf_cases_query;

#define CSPERF_CASES_QUERY_INIT { CSPERF_CASES_QUERY_VERSION, 0, 0, 0, 0, 0 }

/* Streams the cases behind a figure through cb; *count (may be NULL) is
 * how many were received. The numerator's cases number the figure's
 * numerator. Child-level data: analysts and admins only. */
int csperf_cases_list(csperf_client *client, const csperf_cases_query *query,
		      csperf_case_cb cb, void *ctx, uint64_t *count);

/* ---- Ofsted's Annex A child-level lists ---- */

/* Called once with the list's title and column names, then once per row
 * (values in column order, "" when absent; valid only during the call). A
 * non-zero return stops the listing. */
typedef int (*csperf_list_header_cb)(const char *title, size_t ncolumns,
				     const char *const *columns, void *ctx);
typedef int (*csperf_list_row_cb)(size_t nvalues, const char *const *values, void *ctx);

/* Streams one Annex A list of a council as at a date (YYYY-MM-DD, the day
 * before the inspection): contacts, early_help, referrals, assessments,
 * section47, children_in_need, child_protection, children_in_care,
 * care_leavers or adoption. *count (may be NULL) is the rows received.
 * Child-level data: analysts and admins only. */
int csperf_child_list_get(csperf_client *client, const char *list, const char *council,
			  const char *as_at, csperf_list_header_cb header, csperf_list_row_cb row,
			  void *ctx, uint64_t *count);

/* ---- watching a scorecard ---- */

/* One update of a watched scorecard. The first is the whole scorecard
 * (full); each later one brings the rows that changed since the one before
 * (sequence is the previous one's plus one), or the whole scorecard again
 * (full) when the watcher fell too far behind. Valid until the next
 * csperf_scorecard_watch_next or csperf_scorecard_watch_free. */
typedef struct csperf_scorecard_update {
	uint64_t sequence;
	int full;
	const csperf_scorecard *changed;   /* the header, and every row (full) or the changed ones */
	size_t nremoved;
	const char *const *removed;        /* indicators no longer on the scorecard */
	const csperf_scorecard *scorecard; /* the whole scorecard with this update applied */
} csperf_scorecard_update;

typedef struct csperf_scorecard_watch csperf_scorecard_watch;

/* Starts watching a scorecard (the query as for csperf_scorecard_get; the
 * same roles and suppression) and waits, up to the client's timeout, for its
 * first update, so that a refusal (CSPERF_EPERM, CSPERF_EINVAL) is returned
 * here. The watch has no deadline. *out is the caller's, freed with
 * csperf_scorecard_watch_free. */
int csperf_scorecard_watch_open(csperf_client *client, const csperf_scorecard_query *query,
				csperf_scorecard_watch **out);

/* Waits up to timeout_ms (-1: for ever) for the next update. Returns 1 and
 * sets *out (the watch's), 0 if none came in time, or a negative code when
 * the watch ended: CSPERF_ECANCELLED after csperf_scorecard_watch_cancel,
 * CSPERF_EUNAVAILABLE when csperfd stopped or went away, CSPERF_EPROTOCOL if
 * an update was missed. */
int csperf_scorecard_watch_next(csperf_scorecard_watch *watch, int64_t timeout_ms,
				const csperf_scorecard_update **out);

/* Ends the watch from any thread: a csperf_scorecard_watch_next waiting
 * returns CSPERF_ECANCELLED soon after. Not async-signal-safe. */
void csperf_scorecard_watch_cancel(csperf_scorecard_watch *watch);

/* Cancels the watch if it still runs and frees it. NULL is fine. */
void csperf_scorecard_watch_free(csperf_scorecard_watch *watch);

/* Called with each update; non-zero stops the watch. */
typedef int (*csperf_scorecard_update_cb)(const csperf_scorecard_update *update, void *ctx);

/* Watches a scorecard, calling cb with every update, until cb returns
 * non-zero (then CSPERF_OK) or the watch ends (its code). */
int csperf_scorecard_watch_each(csperf_client *client, const csperf_scorecard_query *query,
				csperf_scorecard_update_cb cb, void *ctx);

/* ---- comparators and councils ---- */

/* A published figure to compare with. */
typedef struct csperf_comparator_figure {
	const char *indicator_id;
	const char *area_type;     /* england, wales, region, statistical_neighbours, other */
	const char *area;          /* "England", "West Midlands", or the LA code of the council
	                            * whose statistical neighbours these are */
	const char *period;        /* 2017-18, 2018-19:Q2, ... */
	double value;
	const char *source;
	unsigned int line;         /* the line of the file it came from, for messages */
} csperf_comparator_figure;

/* Stores published figures, all or nothing: the first bad one refuses the
 * lot (CSPERF_EINVAL, naming its line). *stored may be NULL. */
int csperf_comparators_load(csperf_client *client, const csperf_comparator_figure *figures,
			    size_t count, uint64_t *stored);

typedef struct csperf_council {
	const char *council;       /* LA code */
	const char *name;
	const char *nation;        /* england or wales */
	const char *region;        /* may be NULL */
	size_t nneighbours;
	const char *const *neighbours;  /* statistical neighbours' LA codes */
} csperf_council;

/* Creates or updates a council's details and replaces its neighbours. */
int csperf_council_put(csperf_client *client, const csperf_council *council);

/* Changes only the details given: a NULL name, nation or region keeps the
 * stored one (region "" clears it); NULL neighbours keep the stored ones
 * (non-NULL with nneighbours 0 clears them). A council new to csperfd gets
 * "LA <code>" and england for what is not given. Admin only. */
int csperf_council_update(csperf_client *client, const csperf_council *council);

/* A council as csperfd holds it. */
typedef struct csperf_council_info {
	const char *council;             /* LA code */
	const char *name;
	const char *nation;              /* england or wales */
	const char *region;              /* "" when none */
	size_t nneighbours;
	const char *const *neighbours;   /* statistical neighbours' LA codes */
	uint64_t loads;                  /* loads stored for it */
	const char *data_to;             /* the last day of its data, "" when none */
} csperf_council_info;

typedef struct csperf_council_list {
	size_t count;
	const csperf_council_info *councils;   /* by LA code */
	void *internal;
} csperf_council_list;

/* One council (council an LA code) or every council (council NULL). Admin
 * only. CSPERF_ENOTFOUND for a council csperfd does not hold. *out is the
 * caller's: free it with csperf_council_list_free. */
int csperf_council_list_get(csperf_client *client, const char *council,
			    csperf_council_list **out);
void csperf_council_list_free(csperf_council_list *list);

/* Removes a council that has no loads: its details, its neighbours (both
 * ways), its computed values and its statistical neighbours' published
 * figures. CSPERF_ENOTFOUND if not held; CSPERF_EPRECONDITION if it has
 * loads (delete them first). Admin only. */
int csperf_council_delete(csperf_client *client, const char *council);
/* ---- the DfE's published statistics ---- */

/* A batch of rows of a DfE "explore education statistics" CSV file, as
 * published: csperfd recognises the file by its columns and maps its
 * measures to indicators (docs/COMPARATORS.md). */
typedef struct csperf_published_batch {
	const char *file_name;          /* for messages */
	const char *release;            /* the file's latest time_period ("2025"), or the
	                                 * statistical neighbour model's year */
	size_t ncolumns;
	const char *const *columns;     /* the header, byte-order mark removed */
	size_t nrows;
	const unsigned int *lines;      /* each row's line in the file */
	const char *const *cells;       /* nrows * ncolumns cells, row after row */
} csperf_published_batch;

typedef struct csperf_import_summary {
	char file_name[256];            /* as the batches named it */
	char kind[64];                  /* cin_b1, cla_stability, sn_model, ... */
	char title[256];
	uint64_t figures_new;
	uint64_t figures_replaced;      /* by a figure of the same or a newer release */
	uint64_t figures_unchanged;     /* held already, or held from a newer release */
	uint64_t no_figure;             /* published as a symbol: stored as no figure */
	uint64_t rows_skipped;          /* no area or measure csperf compares with */
	uint64_t neighbours;            /* the neighbour model: LAs whose neighbours changed */
} csperf_import_summary;

/* An import of one or more files: one client stream that csperfd stores in
 * one transaction when it is finished, or not at all. Begin, add each file's
 * batches (csperf comparators import sends 2,000 rows at a time; a batch is
 * copied, so its cells may be freed on return), then finish. A bad cell in
 * any batch refuses the whole import: finish returns CSPERF_EINVAL naming the
 * file, line, field and value, and nothing is stored. An import freed before
 * it is finished is cancelled and stores nothing. timeout_ms 0: 30 minutes. */
typedef struct csperf_import csperf_import;

int csperf_comparators_import_begin(csperf_client *client, int64_t timeout_ms,
				    csperf_import **out);
/* A failure here (CSPERF_ECANCELLED: csperfd ended the import early) is
 * explained by finish. */
int csperf_comparators_import_add(csperf_import *imp, const csperf_published_batch *batch);
/* Ends the stream and fills files[0 .. *nfiles) with each file's counts, in
 * the order their batches came (at most max_files). */
int csperf_comparators_import_finish(csperf_import *imp, csperf_import_summary *files,
				     size_t max_files, size_t *nfiles);
void csperf_comparators_import_free(csperf_import *imp);

typedef struct csperf_reconcile_row {
	const char *indicator_id;
	const char *title;
	const char *unit;
	csperf_figure csperf;           /* computed from the council's records */
	csperf_figure published;        /* the DfE's published figure */
	const char *symbol;             /* the published figure is this symbol */
	csperf_figure difference;       /* csperf minus published, when both are present */
	const char *source;
	const char *release;
} csperf_reconcile_row;

typedef struct csperf_reconcile {
	const char *council;
	const char *year;
	size_t count;
	const csperf_reconcile_row *rows;
	void *internal;
} csperf_reconcile;

/* csperf's figure for a council and financial year ("2023-24") beside the
 * DfE's published one, for every indicator with a published figure or a
 * mapping from a DfE file. *out is the caller's, freed with
 * csperf_reconcile_free. */
int csperf_reconcile_get(csperf_client *client, const char *council, const char *year,
			 csperf_reconcile **out);

/* Frees what csperf_reconcile_get returned; accepts NULL. */
void csperf_reconcile_free(csperf_reconcile *reconcile);

/* ---- each council its own: settings and report cards ---- */

/* A council's own settings for one indicator. Its targets replace the
 * catalogue's for the years they name; the other years keep the
 * catalogue's. A link "" keeps the catalogue's; "none" links to none. */
typedef struct csperf_indicator_settings {
	const char *indicator_id;
	size_t ntargets;
	const csperf_target *targets;
	const char *corporate_risk;
	const char *budget_line;
} csperf_indicator_settings;

/* One version of a council's settings: every indicator's, and the
 * indicators its scorecard shows, in order (none: the catalogue's for its
 * nation). */
typedef struct csperf_council_settings {
	const char *council;
	int version;               /* 0: the council has no settings of its own */
	size_t nindicators;
	const csperf_indicator_settings *indicators;
	size_t nscorecard;
	const char *const *scorecard;
	const char *created_at;    /* ISO 8601, UTC */
	const char *created_by;    /* the name of the token that put it */
} csperf_council_settings;

typedef struct csperf_council_settings_list {
	size_t count;                            /* the current first, then older ones */
	const csperf_council_settings *settings;
	void *internal;
} csperf_council_settings_list;

/* Flags of csperf_council_settings_put. */
#define CSPERF_SETTINGS_MERGE 1u          /* merge into the current settings, not replace them */
#define CSPERF_SETTINGS_SET_SCORECARD 2u  /* with MERGE: also replace the scorecard's list */

/* Stores the next version of a council's settings (its version field is
 * ignored): these settings whole, or with CSPERF_SETTINGS_MERGE merged into
 * the current ones (each indicator's targets by year, links where not
 * NULL or ""). CSPERF_EINVAL naming the indicator, field and value when any
 * part will not do: nothing is stored. *out (may be NULL) is what was
 * stored. Admin only. */
int csperf_council_settings_put(csperf_client *client, const csperf_council_settings *settings,
				unsigned int flags, csperf_council_settings_list **out);

/* A council's current settings (version 0 when it has none), and with
 * history non-zero every earlier version, newest first. */
int csperf_council_settings_get(csperf_client *client, const char *council, int history,
				csperf_council_settings_list **out);

void csperf_council_settings_list_free(csperf_council_settings_list *list);

/* A report card: for an indicator, council and period, who leads on it, who
 * owns its data, and the commentary and actions with who last wrote each
 * and when (ISO 8601, UTC; "" never). Commentary is staff's free text. */
typedef struct csperf_report_card {
	const char *council;
	const char *indicator_id;
	const char *period;        /* as the scorecard's: 2018-19:Q4 */
	int version;
	const char *lead_officer;
	const char *data_owner;
	const char *commentary;
	const char *commentary_by;
	const char *commentary_at;
	const char *actions;
	const char *actions_by;
	const char *actions_at;
	const char *created_at;    /* this version */
	const char *created_by;
} csperf_report_card;

typedef struct csperf_report_card_list {
	size_t count;
	const csperf_report_card *cards;
	void *internal;
} csperf_report_card_list;

/* Fields of csperf_report_card_put; 0: all four. */
#define CSPERF_CARD_LEAD_OFFICER 1u
#define CSPERF_CARD_DATA_OWNER 2u
#define CSPERF_CARD_COMMENTARY 4u
#define CSPERF_CARD_ACTIONS 8u

/* Writes the next version of a report card (council, indicator_id and
 * period name it): the fields given take the card's text (NULL as ""), the
 * others keep the current card's. *out (may be NULL) holds the card
 * written. Admins and the council's analysts. */
int csperf_report_card_put(csperf_client *client, const csperf_report_card *card,
			   unsigned int fields, csperf_report_card_list **out);

/* The current report cards of a council and period (of one indicator, or
 * all when indicator_id is NULL), or with history every version, newest
 * first within a card. */
int csperf_report_cards_get(csperf_client *client, const char *council, const char *period,
			    const char *indicator_id, int history, csperf_report_card_list **out);

void csperf_report_card_list_free(csperf_report_card_list *list);

#ifdef __cplusplus
}
#endif

#endif
