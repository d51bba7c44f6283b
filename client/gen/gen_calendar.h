/*
 * client/gen/gen_calendar.h: days, anniversaries, financial years and
 * working days, for the synthetic data generator (and its test).
 *
 * A day is a day number as common/dates.h has it (days since 1970-01-01).
 * Working days are Monday to Friday less the bank holidays of England and
 * Wales (the two nations share them), counted as INDICATORS.md counts them:
 * from the first date inclusive to the second exclusive, as numpy's
 * busday_count does.
 */
#ifndef CSPERF_GEN_CALENDAR_H
#define CSPERF_GEN_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t gen_day;

/* The end of something that has not ended (or not yet, as far as the
 * generator decided): later than any real day. */
#define GEN_NEVER INT32_MAX

/* The size of a buffer for "YYYY-MM-DD" and its NUL. */
#define GEN_DAY_TEXT_SIZE 11

/* The day year-month-day; the last day of the month when `day` is past it. */
gen_day gen_day_of(int year, int month, int day);

/* The year, month (1-12) and day of month of `day`. */
void gen_day_split(gen_day day, int *year, int *month, int *day_of_month);

/* The year of `day`. */
int gen_day_year(gen_day day);

/* 0 for Monday to 6 for Sunday. */
int gen_day_weekday(gen_day day);

/* The same day `months` months later (earlier if negative), or the last day
 * of that month when it is shorter. */
gen_day gen_add_months(gen_day day, int months);

/* The day a person born on `birth` turns `age`; someone born on 29 February
 * has their birthday on 1 March in other years, as English law has it. */
gen_day gen_birthday(gen_day birth, int age);

/* Age in whole years on `on` of someone born on `birth`. */
int gen_age_on(gen_day birth, gen_day on);

/* 31 March of `year`: the last day of the financial (and collection) year
 * named by that year. */
gen_day gen_year_end(int year);

/* 1 April of `year` - 1: the first day of the financial year ending on
 * 31 March `year`. */
gen_day gen_year_start(int year);

/* The year of the 31 March that ends the financial year holding `day`. */
int gen_financial_year_of(gen_day day);

/* Writes `day` as "YYYY-MM-DD". */
void gen_day_format(gen_day day, char out[GEN_DAY_TEXT_SIZE]);

/* Working days of England and Wales. Opaque. */
typedef struct gen_calendar gen_calendar;

/* A calendar knowing the bank holidays from 1 January `first_year` to
 * 31 December `last_year` (outside them, only weekends are days off).
 * Returns NULL when out of memory; free with gen_calendar_free. */
gen_calendar *gen_calendar_new(int first_year, int last_year);

/* Accepts NULL. */
void gen_calendar_free(gen_calendar *calendar);

bool gen_calendar_is_working_day(const gen_calendar *calendar, gen_day day);

/* `day` itself if it is a working day, else the next one. */
gen_day gen_calendar_next_working_day(const gen_calendar *calendar, gen_day day);

/* The working day `count` working days after `from`: the first working day
 * `result` with gen_calendar_working_days(from, result) == count. */
gen_day gen_calendar_add_working_days(const gen_calendar *calendar,
	gen_day from, int count);

/* The working days from `from` (inclusive) to `to` (exclusive); negative
 * when `to` is before `from`. */
int gen_calendar_working_days(const gen_calendar *calendar, gen_day from,
	gen_day to);

#endif
