/*
 * store_costs.h: the store's part of placement costs (docs/FINANCE.md): what
 * each cost line of a council comes to in a financial year as at a day, in
 * whole pence, summed by a grouping or streamed line by line.
 *
 * One SQL text computes the lines for both (server/store/costs.c), with the
 * per-line rounding of migrations/0007_finance.sql that the cost_sum
 * indicators use too, so the sum of the export's lines, the sum of any
 * grouping and the total are the same number of pence.
 */
#ifndef CSPERF_SERVER_STORE_COSTS_H
#define CSPERF_SERVER_STORE_COSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* Which cost lines, and the position of which day. */
typedef struct store_cost_query {
	const char *council;
	int financial_year;        /* the year it starts: 2018 for 2018-19 */
	const char *year_start;    /* "2018-04-01" */
	const char *year_end;      /* "2019-03-31" */
	const char *as_at;         /* a day of the year: actual to it, committed after */
	/* Only the cost lines of these localities (a token narrowed to some);
	 * nlocalities 0 for every line. Budgets are council-wide: with
	 * localities no budget applies. */
	const char *const *localities;
	size_t nlocalities;
} store_cost_query;

typedef enum store_cost_grouping {
	STORE_COSTS_TOTAL = 0,       /* the total only */
	STORE_COSTS_BY_CATEGORY,     /* placement_category; budgets of the categories with costs */
	STORE_COSTS_BY_PROVIDER,     /* provider (PR0 to PR5); no budget */
	STORE_COSTS_BY_LOCALITY,     /* locality; no budget */
	STORE_COSTS_BY_BUDGET_LINE   /* every budget line of the year, and categories with costs */
} store_cost_grouping;

/* The figures of the total or of one group; strings are valid during the
 * callback only. */
typedef struct store_cost_figures {
	bool is_total;
	const char *key;             /* the group's key; "" for the total or lines that do not say */
	int64_t actual_pence, committed_pence, forecast_pence;
	int64_t gross_forecast_pence, health_forecast_pence, education_forecast_pence;
	bool has_budget;
	int64_t budget_pence, variance_pence;
	const char *variance_percent;  /* "4.27"; "" without a budget */
	int64_t children, placements, open_placements, average_weekly_cost_pence;
	int64_t over_threshold_placements, over_threshold_actual_pence;
	int64_t over_threshold_forecast_pence;
} store_cost_figures;

/* Called with the total first, then each group in key order; non-zero stops. */
typedef int (*store_cost_figures_cb)(const store_cost_figures *figures, void *ctx);

/* The council's placement costs for the query, grouped; placements costing
 * more than threshold_pence a week (gross, on the as-at day) are counted
 * apart. */
int store_placement_costs(store_pool *pool, int64_t timeout_ms, const store_cost_query *query,
			  store_cost_grouping grouping, int64_t threshold_pence,
			  store_cost_figures_cb cb, void *ctx, status *st);

/* One cost line of the year; strings are valid during the callback only
 * ("" when absent). */
typedef struct store_cost_line {
	const char *child_id, *placement_ref, *episode_start_date, *placement_category;
	const char *provider, *locality, *start_date, *end_date;
	const char *weekly_cost, *health_contribution, *education_contribution;
	const char *from_date, *to_date;
	bool placement_open;
	int actual_days, committed_days;
	int64_t actual_pence, committed_pence, forecast_pence;
	int64_t gross_forecast_pence, health_forecast_pence, education_forecast_pence;
} store_cost_line;

/* Called per line; non-zero stops (the call then fails with CANCELLED). */
typedef int (*store_cost_line_cb)(const store_cost_line *line, void *ctx);

/* Every cost line with days in the year to count, by child and start date,
 * read through a cursor in batches: any number of lines passes through
 * bounded memory. */
int store_placement_cost_lines(store_pool *pool, int64_t timeout_ms,
			       const store_cost_query *query, store_cost_line_cb cb, void *ctx,
			       status *st);

#endif
