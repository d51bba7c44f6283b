/*
 * tests/unit/test_dates.c: strict date parsing and day numbers
 * (common/dates.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dates.h"

static void test_iso_dates_parse_to_day_numbers(void **state)
{
	int32_t day = -1;

	(void)state;
	assert_int_equal(csperf_date_parse_iso("1970-01-01", &day), 0);
	assert_int_equal(day, 0);
	assert_int_equal(csperf_date_parse_iso("1970-01-02", &day), 0);
	assert_int_equal(day, 1);
	assert_int_equal(csperf_date_parse_iso("1969-12-31", &day), 0);
	assert_int_equal(day, -1);
	assert_int_equal(csperf_date_parse_iso("2000-03-01", &day), 0);
	assert_int_equal(day, 11017);
	assert_int_equal(csperf_date_parse_iso("2018-03-31", &day), 0);
	assert_int_equal(day, 17621);
}

static void test_uk_dates_parse_like_iso(void **state)
{
	int32_t uk_day = 0, iso_day = 1;

	(void)state;
	assert_int_equal(csperf_date_parse_uk("15/02/2016", &uk_day), 0);
	assert_int_equal(csperf_date_parse_iso("2016-02-15", &iso_day), 0);
	assert_int_equal(uk_day, iso_day);
}

static void test_days_that_do_not_exist_are_refused(void **state)
{
	int32_t day = 12345;

	(void)state;
	assert_int_equal(csperf_date_parse_uk("31/02/2018", &day), -1);
	assert_int_equal(csperf_date_parse_uk("29/02/2019", &day), -1);
	assert_int_equal(csperf_date_parse_uk("31/04/2018", &day), -1);
	assert_int_equal(csperf_date_parse_uk("00/01/2018", &day), -1);
	assert_int_equal(csperf_date_parse_uk("01/13/2018", &day), -1);
	assert_int_equal(csperf_date_parse_iso("2018-02-31", &day), -1);
	assert_int_equal(csperf_date_parse_iso("1900-02-29", &day), -1);
	assert_int_equal(csperf_date_parse_iso("2018-00-10", &day), -1);
	assert_int_equal(csperf_date_parse_iso("0000-01-01", &day), -1);
	/* a refused date leaves the output alone */
	assert_int_equal(day, 12345);
}

static void test_leap_years_follow_the_gregorian_rules(void **state)
{
	int32_t day;

	(void)state;
	assert_true(csperf_date_is_leap_year(2016));
	assert_true(csperf_date_is_leap_year(2000));
	assert_false(csperf_date_is_leap_year(1900));
	assert_false(csperf_date_is_leap_year(2018));
	assert_int_equal(csperf_date_parse_uk("29/02/2016", &day), 0);
	assert_int_equal(csperf_date_parse_iso("2000-02-29", &day), 0);
	assert_int_equal(csperf_date_days_in_month(2016, 2), 29);
	assert_int_equal(csperf_date_days_in_month(2100, 2), 28);
	assert_int_equal(csperf_date_days_in_month(2018, 13), 0);
}

static void test_only_the_exact_forms_are_dates(void **state)
{
	static const char *const not_iso[] = {
		"2018-3-01", "2018-03-1", "18-03-01", "2018/03/01", " 2018-03-01",
		"2018-03-01 ", "2018-03-01T00:00:00", "", "2018-03", "20180301",
		"+018-03-01", "2018-03-0a",
	};
	static const char *const not_uk[] = {
		"1/3/2018", "01/03/18", "01-03-2018", "01/03/2018 ", "2018-03-01",
		"01/03/20188", "ZZ/03/2018",
	};
	int32_t day;

	(void)state;
	for (size_t i = 0; i < sizeof(not_iso) / sizeof(not_iso[0]); i++)
		assert_int_equal(csperf_date_parse_iso(not_iso[i], &day), -1);
	for (size_t i = 0; i < sizeof(not_uk) / sizeof(not_uk[0]); i++)
		assert_int_equal(csperf_date_parse_uk(not_uk[i], &day), -1);
	assert_int_equal(csperf_date_parse_iso(NULL, &day), -1);
}

static void test_day_numbers_round_trip_across_centuries(void **state)
{
	int32_t first, last;
	char iso[CSPERF_DATE_ISO_SIZE];

	(void)state;
	assert_int_equal(csperf_date_from_ymd(1, 1, 1, &first), 0);
	assert_int_equal(csperf_date_from_ymd(9999, 12, 31, &last), 0);
	for (int32_t day = first; day <= last; day += 997) {
		int year, month, mday;
		int32_t again;

		csperf_date_to_ymd(day, &year, &month, &mday);
		assert_int_equal(csperf_date_from_ymd(year, month, mday, &again), 0);
		assert_int_equal(again, day);
		csperf_date_format_iso(day, iso);
		assert_int_equal(csperf_date_parse_iso(iso, &again), 0);
		assert_int_equal(again, day);
	}
	csperf_date_format_iso(first, iso);
	assert_string_equal(iso, "0001-01-01");
	csperf_date_format_iso(last, iso);
	assert_string_equal(iso, "9999-12-31");
}

static void test_consecutive_days_are_consecutive_numbers(void **state)
{
	int32_t previous, day;

	(void)state;
	assert_int_equal(csperf_date_from_ymd(2015, 12, 31, &previous), 0);
	for (int month = 1; month <= 12; month++) {
		for (int mday = 1; mday <= csperf_date_days_in_month(2016, month);
		     mday++) {
			assert_int_equal(csperf_date_from_ymd(2016, month, mday, &day), 0);
			assert_int_equal(day, previous + 1);
			previous = day;
		}
	}
}

static void test_weekdays_run_monday_to_sunday(void **state)
{
	int32_t day;

	(void)state;
	assert_int_equal(csperf_date_parse_iso("1970-01-01", &day), 0);
	assert_int_equal(csperf_date_weekday(day), 3);   /* Thursday */
	assert_int_equal(csperf_date_parse_iso("2024-04-01", &day), 0);
	assert_int_equal(csperf_date_weekday(day), 0);   /* Monday */
	assert_int_equal(csperf_date_parse_iso("1969-12-28", &day), 0);
	assert_int_equal(csperf_date_weekday(day), 6);   /* Sunday, before day 0 */
}

static void test_uk_dates_rewrite_as_iso(void **state)
{
	char iso[CSPERF_DATE_ISO_SIZE] = "unchanged";

	(void)state;
	assert_int_equal(csperf_date_uk_to_iso("03/03/2017", iso), 0);
	assert_string_equal(iso, "2017-03-03");
	assert_int_equal(csperf_date_uk_to_iso("29/02/2016", iso), 0);
	assert_string_equal(iso, "2016-02-29");
	assert_int_equal(csperf_date_uk_to_iso("31/02/2018", iso), -1);
	assert_string_equal(iso, "2016-02-29");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_dates_parse_to_day_numbers),
		cmocka_unit_test(test_uk_dates_parse_like_iso),
		cmocka_unit_test(test_days_that_do_not_exist_are_refused),
		cmocka_unit_test(test_leap_years_follow_the_gregorian_rules),
		cmocka_unit_test(test_only_the_exact_forms_are_dates),
		cmocka_unit_test(test_day_numbers_round_trip_across_centuries),
		cmocka_unit_test(test_consecutive_days_are_consecutive_numbers),
		cmocka_unit_test(test_weekdays_run_monday_to_sunday),
		cmocka_unit_test(test_uk_dates_rewrite_as_iso),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
