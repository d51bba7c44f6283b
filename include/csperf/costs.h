/*
 * csperf/costs.h: placement costs, as finance systems pull them.
 *
 * For a council, a financial year and a day of it (the as-at date): what
 * placements have cost from 1 April to that day (actual), what the
 * placements still open on it will cost to 31 March (committed), the two
 * together (the forecast out-turn), the budget and the variance, in total and
 * by a grouping; and every cost line of the year, streamed. Money is in whole
 * pence (int64_t), never floating point: each cost line is priced once by
 * csperfd and every figure is a sum of those pence, so the groups add up to
 * the total and the lines of the export to both, exactly. docs/FINANCE.md
 * says how each figure is computed. Admin and finance tokens only.
 *
 * Strings and arrays in a result belong to it, until its _free.
 */
#ifndef CSPERF_COSTS_H
#define CSPERF_COSTS_H

#include <stddef.h>
#include <stdint.h>

#include "csperf/csperf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CSPERF_COSTS_QUERY_VERSION 1

typedef struct csperf_costs_query {
	unsigned int version;        /* CSPERF_COSTS_QUERY_VERSION */
	const char *council;         /* required: an LA code */
	const char *financial_year;  /* required: "2018-19" */
	/* "2019-01-31"; NULL for today (or the year's end when sooner). A day
	 * after the year's end gives the year's end. */
	const char *as_at;
	/* csperf_costs_get: NULL for the total only, or "placement_type",
	 * "provider", "locality", "budget_line". */
	const char *group_by;
	/* csperf_costs_get: placements costing more than this a week are
	 * counted apart; 0 for 500000 (5,000 pounds). */
	int64_t threshold_pence;
} csperf_costs_query;

#define CSPERF_COSTS_QUERY_INIT { CSPERF_COSTS_QUERY_VERSION, 0, 0, 0, 0, 0 }

/* The figures of the total or of one group. Spend is net of health and
 * education contributions. */
typedef struct csperf_cost_figures {
	int64_t actual_pence;        /* from 1 April to the as-at date */
	int64_t committed_pence;     /* the rest of the year, placements open on it */
	int64_t forecast_pence;      /* the forecast out-turn: actual + committed */
	int64_t gross_forecast_pence;     /* the forecast before contributions */
	int64_t health_forecast_pence;    /* health's contributions in it */
	int64_t education_forecast_pence; /* education's */
	int has_budget;              /* 0: no budget line applies (nor variance) */
	int64_t budget_pence;
	int64_t variance_pence;      /* forecast - budget: positive is an overspend */
	const char *variance_percent;/* "4.27" (100 x variance / budget); "" without a budget */
	int64_t children;            /* with spend in the year, to date or committed */
	int64_t placements;
	int64_t open_placements;     /* with a cost line applying on the as-at date */
	int64_t average_weekly_cost_pence;      /* their mean gross weekly cost */
	int64_t over_threshold_placements;      /* open ones costing more than the threshold */
	int64_t over_threshold_actual_pence;    /* their actual spend */
	int64_t over_threshold_forecast_pence;  /* their forecast out-turn */
} csperf_cost_figures;

typedef struct csperf_cost_group {
	/* The placement category, provider code or locality; "" for cost lines
	 * that do not say. */
	const char *key;
	csperf_cost_figures figures;
} csperf_cost_group;

typedef struct csperf_costs {
	const char *council;
	const char *financial_year;  /* "2018-19" */
	const char *year_start;      /* "2018-04-01" */
	const char *year_end;        /* "2019-03-31" */
	const char *as_at;           /* the day used */
	const char *group_by;        /* "" for none */
	int64_t threshold_pence;
	csperf_cost_figures total;
	size_t ngroups;
	const csperf_cost_group *groups;  /* by key; their sums are the total's */
	void *internal;              /* the SDK's */
} csperf_costs;

/* A council's placement costs for a financial year as at a day, in total and
 * by query->group_by. *out is the caller's (csperf_costs_free). */
int csperf_costs_get(csperf_client *client, const csperf_costs_query *query,
		     csperf_costs **out);

void csperf_costs_free(csperf_costs *costs);

/* One cost line (a placement's rate period) with days in the year. Its
 * strings are valid during the callback only; "" when absent. */
typedef struct csperf_cost_line {
	const char *child_id;        /* the council's pseudonymous id: nothing else of the child */
	const char *placement_ref;
	const char *episode_start_date;
	const char *placement_category;
	const char *provider;
	const char *locality;
	const char *start_date;      /* the cost line's own dates; "" end: open */
	const char *end_date;
	const char *weekly_cost;     /* pounds, as loaded */
	const char *health_contribution;
	const char *education_contribution;
	const char *from_date;       /* the days of the year counted, first and last */
	const char *to_date;
	int placement_open;          /* its placement has a line applying on the as-at date */
	int actual_days;
	int committed_days;
	int64_t actual_pence;
	int64_t committed_pence;
	int64_t forecast_pence;
	int64_t gross_forecast_pence;
	int64_t health_forecast_pence;
	int64_t education_forecast_pence;
	const char *financial_year;  /* what the export is for */
	const char *as_at;
} csperf_cost_line;

/* Called with each line; a non-zero return stops the export. */
typedef int (*csperf_cost_line_cb)(const csperf_cost_line *line, void *ctx);

/* Streams every cost line of query->council's financial year as at
 * query->as_at to cb, in batches, so an export of any size passes through
 * bounded memory (group_by and threshold_pence are not used). The whole
 * export must end within the client's timeout_ms: a large council's year
 * (a million lines) may need minutes. *count (may be NULL) is set to the
 * lines handed to cb. CSPERF_ECANCELLED when cb stopped it. */
int csperf_costs_export(csperf_client *client, const csperf_costs_query *query,
			csperf_cost_line_cb cb, void *ctx, uint64_t *count);

#ifdef __cplusplus
}
#endif

#endif
