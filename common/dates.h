/*
 * common/dates.h: calendar dates.
 *
 * Dates are kept as day numbers (days since 1970-01-01, negative before), so
 * that the difference of two dates is a subtraction and the weekday a modulo:
 * the working-day arithmetic of the indicators will be built on these. Years
 * run from 1 to 9999 in the proleptic Gregorian calendar.
 *
 * Parsing is strict: exactly "YYYY-MM-DD" or "dd/mm/YYYY", two digits for day
 * and month, four for the year, no surrounding space, and a day that exists
 * ("31/02/2018" and "2019-02-29" are not dates; "2020-02-29" is).
 */
#ifndef CSPERF_COMMON_DATES_H
#define CSPERF_COMMON_DATES_H

#include <stdbool.h>
#include <stdint.h>

/* The size of a buffer holding an ISO date and its terminating NUL. */
#define CSPERF_DATE_ISO_SIZE 11

/* Whether `year` is a leap year of the Gregorian calendar. */
bool csperf_date_is_leap_year(int year);

/* The number of days in `month` (1-12) of `year`; 0 for a month out of range. */
int csperf_date_days_in_month(int year, int month);

/* Sets *out_day to the day number of year-month-day and returns 0, or returns
 * -1 (leaving *out_day alone) if that day does not exist. */
int csperf_date_from_ymd(int year, int month, int day, int32_t *out_day);

/* Splits a day number into its year, month (1-12) and day of month. */
void csperf_date_to_ymd(int32_t day_number, int *year, int *month, int *day);

/* The day of the week of a day number: 0 for Monday to 6 for Sunday. */
int csperf_date_weekday(int32_t day_number);

/* Parses "YYYY-MM-DD". Returns 0 and sets *out_day, or -1 if `text` is not
 * exactly such a date (*out_day is then left alone). */
int csperf_date_parse_iso(const char *text, int32_t *out_day);

/* Parses "dd/mm/YYYY", as SSDA903 extracts write dates. Returns 0 and sets
 * *out_day, or -1 if `text` is not exactly such a date. */
int csperf_date_parse_uk(const char *text, int32_t *out_day);

/* Writes the day as "YYYY-MM-DD" into `out`, NUL-terminated. */
void csperf_date_format_iso(int32_t day_number, char out[CSPERF_DATE_ISO_SIZE]);

/* Rewrites a "dd/mm/YYYY" date as "YYYY-MM-DD" into `out`. Returns 0, or -1
 * if `uk` is not a date (`out` is then left alone). */
int csperf_date_uk_to_iso(const char *uk, char out[CSPERF_DATE_ISO_SIZE]);

#endif
