/*
 * periods.c: reporting periods as councils write them: financial years
 * (2018-19), their quarters (2018-19:Q1 is April to June), months (2019-01),
 * rolling twelve months (r12:2019-03), year to date (ytd:2019-01) and three
 * financial years (3y:2020-21, 1 April 2018 to 31 March 2021: the adoption
 * scorecard's period).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "periods.h"

static int first_of_month(int year, int month)
{
	int32_t day = 0;

	while (month > 12) {
		month -= 12;
		year++;
	}
	while (month < 1) {
		month += 12;
		year--;
	}
	csperf_date_from_ymd(year, month, 1, &day);
	return (int)day;
}

/* The last day of the month `months` after (year, month). */
static int end_of_month(int year, int month)
{
	return first_of_month(year, month + 1) - 1;
}

/* A financial year written YYYY-YY reads as a month when YY is 01 to 12
 * (2010-11 is also November 2010): those years, 2000-01 to 2011-12, are
 * written fy:2010-11. */
static bool year_is_ambiguous(int fy_start)
{
	int second = (fy_start + 1) % 100;

	return second >= 1 && second <= 12;
}

/* The financial year that starts in April of fy_start. */
static void make_year(int fy_start, report_period *out)
{
	out->type = PERIOD_YEAR;
	snprintf(out->label, sizeof(out->label), "%s%d-%02d",
		 year_is_ambiguous(fy_start) ? "fy:" : "", fy_start, (fy_start + 1) % 100);
	out->start = first_of_month(fy_start, 4);
	out->end = end_of_month(fy_start + 1, 3);
}

/* The three financial years ending with the one that starts in April of
 * fy_start. */
static void make_three_years(int fy_start, report_period *out)
{
	out->type = PERIOD_3Y;
	snprintf(out->label, sizeof(out->label), "3y:%d-%02d", fy_start, (fy_start + 1) % 100);
	out->start = first_of_month(fy_start - 2, 4);
	out->end = end_of_month(fy_start + 1, 3);
}

static void make_quarter(int fy_start, int quarter, report_period *out)
{
	int month = 4 + 3 * (quarter - 1);

	out->type = PERIOD_QUARTER;
	snprintf(out->label, sizeof(out->label), "%d-%02d:Q%d", fy_start, (fy_start + 1) % 100,
		 quarter);
	out->start = first_of_month(fy_start, month);
	out->end = end_of_month(fy_start, month + 2);
}

static void make_month(report_period_type type, int year, int month, report_period *out)
{
	out->type = type;
	out->end = end_of_month(year, month);
	switch (type) {
	case PERIOD_ROLLING12:
		snprintf(out->label, sizeof(out->label), "r12:%04d-%02d", year, month);
		out->start = first_of_month(year, month - 11);
		break;
	case PERIOD_YTD:
		snprintf(out->label, sizeof(out->label), "ytd:%04d-%02d", year, month);
		out->start = first_of_month(month >= 4 ? year : year - 1, 4);
		break;
	default:
		out->type = PERIOD_MONTH;
		snprintf(out->label, sizeof(out->label), "%04d-%02d", year, month);
		out->start = first_of_month(year, month);
		break;
	}
}

static bool parse_year_month(const char *text, int *year, int *month)
{
	char tail;

	return sscanf(text, "%4d-%2d%c", year, month, &tail) == 2 && strlen(text) == 7 &&
	       *year >= 1990 && *year <= 2100 && *month >= 1 && *month <= 12;
}

/* "2018-19": the year must be followed by the next year's last two digits. */
static bool parse_financial_year(const char *text, int *fy_start)
{
	int first, second;
	char tail;

	if (strlen(text) != 7 || sscanf(text, "%4d-%2d%c", &first, &second, &tail) != 2)
		return false;
	if (!isdigit((unsigned char)text[5]) || !isdigit((unsigned char)text[6]))
		return false;
	if (first < 1990 || first > 2100 || (first + 1) % 100 != second)
		return false;
	*fy_start = first;
	return true;
}

int period_parse(const char *text, report_period *out, char *err, size_t errsize)
{
	int year, month, fy_start;

	memset(out, 0, sizeof(*out));
	if (strncmp(text, "fy:", 3) == 0 && parse_financial_year(text + 3, &fy_start)) {
		make_year(fy_start, out);
		return 0;
	}
	if (strncmp(text, "3y:", 3) == 0 && parse_financial_year(text + 3, &fy_start)) {
		make_three_years(fy_start, out);
		return 0;
	}
	if (strncmp(text, "r12:", 4) == 0 && parse_year_month(text + 4, &year, &month)) {
		make_month(PERIOD_ROLLING12, year, month, out);
		return 0;
	}
	if (strncmp(text, "ytd:", 4) == 0 && parse_year_month(text + 4, &year, &month)) {
		make_month(PERIOD_YTD, year, month, out);
		return 0;
	}
	if (strlen(text) == 10 && text[7] == ':' && text[8] == 'Q' && text[9] >= '1' &&
	    text[9] <= '4') {
		char fy[8];

		memcpy(fy, text, 7);
		fy[7] = '\0';
		if (parse_financial_year(fy, &fy_start)) {
			make_quarter(fy_start, text[9] - '0', out);
			return 0;
		}
	}
	if (parse_financial_year(text, &fy_start) && !year_is_ambiguous(fy_start)) {
		make_year(fy_start, out);
		return 0;
	}
	if (parse_year_month(text, &year, &month)) {
		make_month(PERIOD_MONTH, year, month, out);
		return 0;
	}
	snprintf(err, errsize,
		 "'%.40s' is not a period: write a financial year (2018-19; fy:2010-11 "
		 "for years a month could be mistaken for), a quarter "
		 "(2018-19:Q1), a month (2019-01), rolling twelve months (r12:2019-03), "
		 "year to date (ytd:2019-01) or three financial years (3y:2020-21)", text);
	return -1;
}

void period_containing(report_period_type type, int day, report_period *out)
{
	int year, month, dom, fy_start;

	csperf_date_to_ymd(day, &year, &month, &dom);
	fy_start = month >= 4 ? year : year - 1;
	memset(out, 0, sizeof(*out));
	switch (type) {
	case PERIOD_YEAR:
		make_year(fy_start, out);
		break;
	case PERIOD_3Y:
		make_three_years(fy_start, out);
		break;
	case PERIOD_QUARTER:
		make_quarter(fy_start, (month >= 4 ? month - 4 : month + 8) / 3 + 1, out);
		break;
	default:
		make_month(type, year, month, out);
		break;
	}
}

const char *period_type_name(report_period_type type)
{
	switch (type) {
	case PERIOD_MONTH: return "month";
	case PERIOD_QUARTER: return "quarter";
	case PERIOD_YEAR: return "year";
	case PERIOD_ROLLING12: return "rolling12";
	case PERIOD_YTD: return "ytd";
	case PERIOD_3Y: return "3y";
	}
	return "unknown";
}

size_t period_standard_list(int first_day, int last_day, report_period **out)
{
	int y0, m0, y1, m1, d;
	size_t months, count = 0;
	report_period *periods;

	csperf_date_to_ymd(first_day, &y0, &m0, &d);
	csperf_date_to_ymd(last_day, &y1, &m1, &d);
	months = (size_t)((y1 - y0) * 12 + (m1 - m0) + 1);
	/* Per month end: the month, rolling 12, ytd, and at most one quarter,
	 * one year and one three-year period. */
	periods = calloc(months * 6 + 1, sizeof(*periods));
	*out = periods;
	if (periods == NULL)
		return 0;
	for (size_t i = 0; i < months; i++) {
		int year = y0 + (int)((m0 - 1 + (int)i) / 12);
		int month = (m0 - 1 + (int)i) % 12 + 1;

		make_month(PERIOD_MONTH, year, month, &periods[count++]);
		make_month(PERIOD_ROLLING12, year, month, &periods[count++]);
		make_month(PERIOD_YTD, year, month, &periods[count++]);
		if (month % 3 == 0)
			period_containing(PERIOD_QUARTER, end_of_month(year, month),
						 &periods[count++]);
		if (month == 3) {
			make_year(year - 1, &periods[count++]);
			make_three_years(year - 1, &periods[count++]);
		}
	}
	return count;
}

void period_shift(const report_period *period, bool previous, report_period *out)
{
	int year, month, dom;

	csperf_date_to_ymd(period->end, &year, &month, &dom);
	switch (period->type) {
	case PERIOD_YEAR:
		period_containing(PERIOD_YEAR, period->start - 1, out);
		return;
	case PERIOD_3Y:
		/* The three years ending a year earlier, either way. */
		period_containing(PERIOD_3Y, period->end - 366, out);
		return;
	case PERIOD_QUARTER:
		if (previous)
			period_containing(PERIOD_QUARTER, period->start - 1, out);
		else
			period_containing(PERIOD_QUARTER,
						 end_of_month(year - 1, month), out);
		return;
	default:
		if (previous)
			make_month(period->type, month == 1 ? year - 1 : year,
				   month == 1 ? 12 : month - 1, out);
		else
			make_month(period->type, year - 1, month, out);
		return;
	}
}
