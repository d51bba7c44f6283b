/*
 * common/dates.c: strict date parsing and day numbers.
 *
 * The conversions between civil dates and day numbers are the era-based
 * algorithms of Howard Hinnant's "chrono-compatible low-level date
 * algorithms": exact for every proleptic Gregorian date, with no tables.
 */
#include "dates.h"

#include <stddef.h>

#define DATE_YEAR_MIN 1
#define DATE_YEAR_MAX 9999

/* 1970-01-01, day 0, was a Thursday: 3 days after a Monday. */
#define DATE_EPOCH_WEEKDAY 3

bool csperf_date_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int csperf_date_days_in_month(int year, int month)
{
	static const int days_in_month[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && csperf_date_is_leap_year(year))
		return 29;
	return days_in_month[month - 1];
}

int csperf_date_from_ymd(int year, int month, int day, int32_t *out_day)
{
	int32_t era, year_of_era, day_of_year, day_of_era;

	if (year < DATE_YEAR_MIN || year > DATE_YEAR_MAX)
		return -1;
	if (day < 1 || day > csperf_date_days_in_month(year, month))
		return -1;

	/* Count years from March, so that the leap day ends the year. */
	if (month <= 2)
		year--;
	era = (year >= 0 ? year : year - 399) / 400;
	year_of_era = year - era * 400;
	day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 +
		day_of_year;
	*out_day = era * 146097 + day_of_era - 719468;
	return 0;
}

void csperf_date_to_ymd(int32_t day_number, int *year, int *month, int *day)
{
	int32_t shifted = day_number + 719468;
	int32_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
	int32_t day_of_era = shifted - era * 146097;
	int32_t year_of_era = (day_of_era - day_of_era / 1460 +
		day_of_era / 36524 - day_of_era / 146096) / 365;
	int32_t day_of_year = day_of_era -
		(365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int32_t month_from_march = (5 * day_of_year + 2) / 153;
	int32_t civil_month = month_from_march < 10 ?
		month_from_march + 3 : month_from_march - 9;

	*day = (int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
	*month = (int)civil_month;
	*year = (int)(year_of_era + era * 400 + (civil_month <= 2 ? 1 : 0));
}

int csperf_date_weekday(int32_t day_number)
{
	int32_t weekday = (day_number + DATE_EPOCH_WEEKDAY) % 7;

	return (int)(weekday < 0 ? weekday + 7 : weekday);
}

/* Reads exactly `ndigits` decimal digits at `text`; -1 if any is not one. */
static int parse_digits(const char *text, int ndigits)
{
	int value = 0;

	for (int i = 0; i < ndigits; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		value = value * 10 + (text[i] - '0');
	}
	return value;
}

int csperf_date_parse_iso(const char *text, int32_t *out_day)
{
	int year, month, day;

	if (text == NULL)
		return -1;
	year = parse_digits(text, 4);
	if (year < 0 || text[4] != '-')
		return -1;
	month = parse_digits(text + 5, 2);
	if (month < 0 || text[7] != '-')
		return -1;
	day = parse_digits(text + 8, 2);
	if (day < 0 || text[10] != '\0')
		return -1;
	return csperf_date_from_ymd(year, month, day, out_day);
}

int csperf_date_parse_uk(const char *text, int32_t *out_day)
{
	int year, month, day;

	if (text == NULL)
		return -1;
	day = parse_digits(text, 2);
	if (day < 0 || text[2] != '/')
		return -1;
	month = parse_digits(text + 3, 2);
	if (month < 0 || text[5] != '/')
		return -1;
	year = parse_digits(text + 6, 4);
	if (year < 0 || text[10] != '\0')
		return -1;
	return csperf_date_from_ymd(year, month, day, out_day);
}

/* Writes `value` as exactly `ndigits` digits, zero-padded. */
static void format_digits(char *out, int value, int ndigits)
{
	for (int i = ndigits - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

void csperf_date_format_iso(int32_t day_number, char out[CSPERF_DATE_ISO_SIZE])
{
	int year, month, day;

	csperf_date_to_ymd(day_number, &year, &month, &day);
	format_digits(out, year, 4);
	out[4] = '-';
	format_digits(out + 5, month, 2);
	out[7] = '-';
	format_digits(out + 8, day, 2);
	out[10] = '\0';
}

int csperf_date_uk_to_iso(const char *uk, char out[CSPERF_DATE_ISO_SIZE])
{
	int32_t day_number;

	if (csperf_date_parse_uk(uk, &day_number) != 0)
		return -1;
	csperf_date_format_iso(day_number, out);
	return 0;
}
