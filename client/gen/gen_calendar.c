/*
 * client/gen/gen_calendar.c: the generator's calendar. Bank holidays of
 * England and Wales are computed from their rules (Easter by the anonymous
 * Gregorian algorithm, substitute days for weekends) plus the one-off days
 * proclaimed since 1995; a table of every day's working-day count makes
 * counting and adding working days cheap.
 */
#include "gen_calendar.h"

#include <stdlib.h>

#include "dates.h"

struct gen_calendar {
	gen_day first_day;          /* 1 January of the first year */
	gen_day last_day;           /* 31 December of the last year */
	/* working_before[i]: the working days from first_day to first_day + i,
	 * exclusive; one more entry than there are days. */
	int32_t *working_before;
};

gen_day gen_day_of(int year, int month, int day)
{
	int32_t number = 0;
	int days_in_month = csperf_date_days_in_month(year, month);

	if (day > days_in_month)
		day = days_in_month;
	csperf_date_from_ymd(year, month, day, &number);
	return number;
}

void gen_day_split(gen_day day, int *year, int *month, int *day_of_month)
{
	csperf_date_to_ymd(day, year, month, day_of_month);
}

int gen_day_year(gen_day day)
{
	int year, month, day_of_month;

	csperf_date_to_ymd(day, &year, &month, &day_of_month);
	return year;
}

int gen_day_weekday(gen_day day)
{
	return csperf_date_weekday(day);
}

gen_day gen_add_months(gen_day day, int months)
{
	int year, month, day_of_month, month_index;

	csperf_date_to_ymd(day, &year, &month, &day_of_month);
	month_index = year * 12 + (month - 1) + months;
	return gen_day_of(month_index / 12, month_index % 12 + 1, day_of_month);
}

gen_day gen_birthday(gen_day birth, int age)
{
	int year, month, day_of_month;

	csperf_date_to_ymd(birth, &year, &month, &day_of_month);
	if (month == 2 && day_of_month == 29 &&
	    !csperf_date_is_leap_year(year + age))
		return gen_day_of(year + age, 3, 1);
	return gen_day_of(year + age, month, day_of_month);
}

int gen_age_on(gen_day birth, gen_day on)
{
	int age = gen_day_year(on) - gen_day_year(birth);

	if (age > 0 && gen_birthday(birth, age) > on)
		age--;
	return age;
}

gen_day gen_year_end(int year)
{
	return gen_day_of(year, 3, 31);
}

gen_day gen_year_start(int year)
{
	return gen_day_of(year - 1, 4, 1);
}

int gen_financial_year_of(gen_day day)
{
	int year = gen_day_year(day);

	return day > gen_year_end(year) ? year + 1 : year;
}

void gen_day_format(gen_day day, char out[GEN_DAY_TEXT_SIZE])
{
	int year, month, day_of_month;

	csperf_date_to_ymd(day, &year, &month, &day_of_month);
	/* By hand: this runs for every date of every record. */
	out[0] = (char)('0' + year / 1000 % 10);
	out[1] = (char)('0' + year / 100 % 10);
	out[2] = (char)('0' + year / 10 % 10);
	out[3] = (char)('0' + year % 10);
	out[4] = '-';
	out[5] = (char)('0' + month / 10);
	out[6] = (char)('0' + month % 10);
	out[7] = '-';
	out[8] = (char)('0' + day_of_month / 10);
	out[9] = (char)('0' + day_of_month % 10);
	out[10] = '\0';
}

static gen_day easter_sunday(int year)
{
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return gen_day_of(year, month, day);
}

/* The first `weekday` (0 Monday) on or after `day`. */
static gen_day weekday_on_or_after(gen_day day, int weekday)
{
	return day + (weekday - gen_day_weekday(day) + 7) % 7;
}

/* The last `weekday` on or before `day`. */
static gen_day weekday_on_or_before(gen_day day, int weekday)
{
	return day - (gen_day_weekday(day) - weekday + 7) % 7;
}

/* Bank holidays proclaimed for one year only, and the regular ones they
 * moved. */
static const struct {
	int year, month, day;
} extra_bank_holidays[] = {
	{ 1999, 12, 31 },   /* millennium */
	{ 2002, 6, 3 },     /* Golden Jubilee */
	{ 2011, 4, 29 },    /* royal wedding */
	{ 2012, 6, 5 },     /* Diamond Jubilee */
	{ 2022, 6, 3 },     /* Platinum Jubilee */
	{ 2022, 9, 19 },    /* state funeral of Queen Elizabeth II */
	{ 2023, 5, 8 },     /* coronation of King Charles III */
};

static void mark(gen_calendar *calendar, bool *day_off, gen_day day)
{
	if (day >= calendar->first_day && day <= calendar->last_day)
		day_off[day - calendar->first_day] = true;
}

static void mark_bank_holidays(gen_calendar *calendar, bool *day_off, int year)
{
	gen_day new_year = gen_day_of(year, 1, 1);
	gen_day christmas = gen_day_of(year, 12, 25);
	gen_day easter = easter_sunday(year);
	gen_day early_may = weekday_on_or_after(gen_day_of(year, 5, 1), 0);
	gen_day spring = weekday_on_or_before(gen_day_of(year, 5, 31), 0);
	int christmas_weekday = gen_day_weekday(christmas);

	if (gen_day_weekday(new_year) >= 5)
		new_year = weekday_on_or_after(new_year, 0);
	mark(calendar, day_off, new_year);
	mark(calendar, day_off, easter - 2);
	mark(calendar, day_off, easter + 1);
	/* VE day (1995, 2020) moved the early May holiday to 8 May. */
	if (year == 1995 || year == 2020)
		early_may = gen_day_of(year, 5, 8);
	mark(calendar, day_off, early_may);
	/* Jubilee years moved the spring holiday into June. */
	if (year == 2002 || year == 2012)
		spring = gen_day_of(year, 6, 4);
	else if (year == 2022)
		spring = gen_day_of(year, 6, 2);
	mark(calendar, day_off, spring);
	mark(calendar, day_off, weekday_on_or_before(gen_day_of(year, 8, 31), 0));
	/* Christmas and Boxing Day falling at a weekend move to the next
	 * weekdays, in order. */
	if (christmas_weekday == 5) {
		mark(calendar, day_off, christmas + 2);
		mark(calendar, day_off, christmas + 3);
	} else if (christmas_weekday == 6) {
		mark(calendar, day_off, christmas + 1);
		mark(calendar, day_off, christmas + 2);
	} else if (christmas_weekday == 4) {
		mark(calendar, day_off, christmas);
		mark(calendar, day_off, christmas + 3);
	} else {
		mark(calendar, day_off, christmas);
		mark(calendar, day_off, christmas + 1);
	}
}

gen_calendar *gen_calendar_new(int first_year, int last_year)
{
	gen_calendar *calendar = NULL;
	gen_calendar *result = NULL;
	bool *day_off = NULL;
	size_t ndays;

	calendar = calloc(1, sizeof(*calendar));
	if (calendar == NULL)
		goto cleanup;
	calendar->first_day = gen_day_of(first_year, 1, 1);
	calendar->last_day = gen_day_of(last_year, 12, 31);
	ndays = (size_t)(calendar->last_day - calendar->first_day + 1);
	day_off = calloc(ndays, sizeof(*day_off));
	calendar->working_before = calloc(ndays + 1,
		sizeof(*calendar->working_before));
	if (day_off == NULL || calendar->working_before == NULL)
		goto cleanup;

	for (int year = first_year; year <= last_year; year++)
		mark_bank_holidays(calendar, day_off, year);
	for (size_t i = 0; i < sizeof(extra_bank_holidays) /
	     sizeof(extra_bank_holidays[0]); i++)
		mark(calendar, day_off, gen_day_of(extra_bank_holidays[i].year,
			extra_bank_holidays[i].month, extra_bank_holidays[i].day));
	for (size_t i = 0; i < ndays; i++) {
		gen_day day = calendar->first_day + (gen_day)i;
		bool working = gen_day_weekday(day) < 5 && !day_off[i];

		calendar->working_before[i + 1] =
			calendar->working_before[i] + (working ? 1 : 0);
	}
	result = calendar;
	calendar = NULL;

cleanup:
	free(day_off);
	gen_calendar_free(calendar);
	return result;
}

void gen_calendar_free(gen_calendar *calendar)
{
	if (calendar == NULL)
		return;
	free(calendar->working_before);
	free(calendar);
}

bool gen_calendar_is_working_day(const gen_calendar *calendar, gen_day day)
{
	size_t index;

	if (day < calendar->first_day || day > calendar->last_day)
		return gen_day_weekday(day) < 5;
	index = (size_t)(day - calendar->first_day);
	return calendar->working_before[index + 1] > calendar->working_before[index];
}

gen_day gen_calendar_next_working_day(const gen_calendar *calendar, gen_day day)
{
	while (!gen_calendar_is_working_day(calendar, day))
		day++;
	return day;
}

gen_day gen_calendar_add_working_days(const gen_calendar *calendar,
	gen_day from, int count)
{
	gen_day day = from;

	for (int counted = 0; counted < count; day++) {
		if (gen_calendar_is_working_day(calendar, day))
			counted++;
	}
	return gen_calendar_next_working_day(calendar, day);
}

int gen_calendar_working_days(const gen_calendar *calendar, gen_day from,
	gen_day to)
{
	int count = 0;

	if (to < from)
		return -gen_calendar_working_days(calendar, to, from);
	if (from >= calendar->first_day && to <= calendar->last_day + 1)
		return calendar->working_before[to - calendar->first_day] -
			calendar->working_before[from - calendar->first_day];
	for (gen_day day = from; day < to; day++) {
		if (gen_calendar_is_working_day(calendar, day))
			count++;
	}
	return count;
}
