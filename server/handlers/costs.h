/*
 * costs.h: placement costs as the other handlers use them: the budget lines
 * forecast over budget, for the budget criterion of GetExceptions.
 */
#ifndef CSPERF_SERVER_HANDLERS_COSTS_H
#define CSPERF_SERVER_HANDLERS_COSTS_H

#include <stddef.h>
#include <stdint.h>

#include "handlers.h"
#include "../engine/engine.h"

typedef struct costs_budget_line {
	char code[32];               /* the budget line: a placement category */
	int64_t budget_pence, forecast_pence;
	char variance_percent[24];   /* "4.27" */
} costs_budget_line;

typedef struct costs_over_budget {
	costs_budget_line *lines;    /* forecast above budget only */
	size_t count;
	char financial_year[24];     /* "2018-19" (an engine period label) */
	char as_at[16];              /* the day the forecast was taken on */
} costs_over_budget;

/* The council's budget lines whose forecast out-turn is above their budget,
 * for the financial year in which `period` ends, as at the period's end or
 * the latest data (data_to, "" if none) if that is sooner. Fills *out (free
 * with costs_over_budget_free); on failure fills st and returns -1. */
int costs_over_budget_find(app *a, int64_t timeout_ms, const char *council,
			   const report_period *period, const char *data_to,
			   costs_over_budget *out, status *st);

/* The line over budget whose code is `budget_line`, or NULL. */
const costs_budget_line *costs_over_budget_line(const costs_over_budget *over,
						const char *budget_line);

void costs_over_budget_free(costs_over_budget *over);

/* Whole pounds from pence, rounded half away from zero, with thousands
 * separators and the pound sign: "£1,234,568". */
void costs_format_pounds(int64_t pence, char *out, size_t size);

#endif
