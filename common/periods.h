/*
 * periods.h: reporting periods as councils write them (financial years,
 * quarters, months, rolling twelve months, year to date), shared by csperfd
 * and the csperf tool so that both read a period the same way.
 */
#ifndef CSPERF_COMMON_PERIODS_H
#define CSPERF_COMMON_PERIODS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum report_period_type {
	PERIOD_MONTH = 1,  /* 2019-01 */
	PERIOD_QUARTER,    /* 2018-19:Q4 (Q1 = April to June) */
	PERIOD_YEAR,       /* 2018-19, 1 April to 31 March */
	PERIOD_ROLLING12,  /* r12:2019-03, the twelve months ending March 2019 */
	PERIOD_YTD,        /* ytd:2019-01, April 2018 to January 2019 */
	PERIOD_3Y          /* 3y:2020-21, three financial years: 1 April 2018 to 31 March 2021 */
} report_period_type;

typedef struct report_period {
	report_period_type type;
	char label[24];
	int start;   /* day numbers (common/dates.h) */
	int end;     /* the last day, inclusive */
} report_period;

/* Parses a period as users write it; -1 with a sentence in err if it is not
 * one. */
int period_parse(const char *text, report_period *out, char *err, size_t errsize);

/* Writes the label of the period of `type` that contains `day`. */
void period_containing(report_period_type type, int day, report_period *out);

/* The name of a period type ("month", "quarter", "year", "rolling12", "ytd",
 * "3y"). */
const char *period_type_name(report_period_type type);

/* Every standard period (all six types) whose end falls in the months from
 * first_day's month to last_day's month. Returns the count; *out is
 * malloc'd (free it). */
size_t period_standard_list(int first_day, int last_day, report_period **out);

/* The period of the same type just before (previous = true) or a year before
 * (previous = false). */
void period_shift(const report_period *period, bool previous, report_period *out);

#endif
