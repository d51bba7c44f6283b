/*
 * test_published.c: the rules of engine/published.c: EES time periods as
 * csperf's labels, cells as figures or symbols, files recognised by their
 * columns, rows matched to mapping rules, quartiles, and when the DfE
 * neighbours' average is shown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/published.h"

static void assert_label(const char *period, const char *identifier, const char *expected)
{
	char out[24], err[256];

	if (published_period_label(period, identifier, out, err, sizeof(err)) != 0)
		fail_msg("%s %s: %s", identifier, period, err);
	assert_string_equal(out, expected);
}

static void test_periods(void **state)
{
	char out[24], err[256];

	(void)state;
	/* The DfE's children's social care releases: 2024 is the year ending
	 * 31 March 2024. */
	assert_label("2024", "Reporting year", "2023-24");
	assert_label("2000", "Reporting year", "1999-00");
	assert_label("202324", "Financial year", "2023-24");
	assert_label("202324", "Financial year Q3", "2023-24:Q3");
	assert_label("2024", "Calendar year", "r12:2024-12");
	assert_label("202324", "Academic year", "r12:2024-08");
	assert_label("2024", "March", "2024-03");
	assert_int_equal(published_period_label("202325", "Financial year", out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "time_period \"202325\" is not a Financial year"));
	assert_int_equal(published_period_label("24", "Reporting year", out, err, sizeof(err)), -1);
	assert_int_equal(published_period_label("2024", "Week 12", out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "time_identifier \"Week 12\" is not one csperf reads"));
}

static void test_cells(void **state)
{
	static const char *const symbols[] = { "c", "x", "z", "u", "k", "low" };
	bool present;
	double value;
	const char *symbol;

	(void)state;
	assert_int_equal(published_cell("2483", &present, &value, &symbol), 0);
	assert_true(present && value == 2483 && symbol == NULL);
	assert_int_equal(published_cell("24.5", &present, &value, &symbol), 0);
	assert_true(present && value == 24.5);
	assert_int_equal(published_cell("0", &present, &value, &symbol), 0);
	assert_true(present && value == 0);
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		assert_int_equal(published_cell(symbols[i], &present, &value, &symbol), 0);
		assert_false(present);
		assert_true(value == 0);
		assert_string_equal(symbol, symbols[i]);
		assert_true(published_symbol_meaning(symbol)[0] != '\0');
	}
	assert_int_equal(published_cell("", &present, &value, &symbol), 0);
	assert_false(present);
	assert_string_equal(symbol, "blank");
	assert_int_equal(published_cell("n/a", &present, &value, &symbol), -1);
	assert_int_equal(published_cell("12%", &present, &value, &symbol), -1);
	assert_int_equal(published_cell("C", &present, &value, &symbol), -1);
	assert_int_equal(published_cell("nan", &present, &value, &symbol), -1);
	assert_int_equal(published_cell("inf", &present, &value, &symbol), -1);
	assert_int_equal(published_cell("1e999", &present, &value, &symbol), -1);
}

static void test_areas(void **state)
{
	(void)state;
	assert_string_equal(published_area_type("National", "E92000001"), "england");
	assert_string_equal(published_area_type("National", "W92000004"), "wales");
	assert_string_equal(published_area_type("Regional", "E92000001"), "region");
	assert_string_equal(published_area_type("Local authority", "E92000001"), "council");
	assert_null(published_area_type("Local authority district", "E92000001"));
}

static void test_recognise(void **state)
{
	static const char *const b1[] = { "time_period", "At31_episodes" };
	static const char *const generic[] = { "time_period" };
	static const char *const other[] = { "time_period", "number" };
	const published_kind kinds[] = { { "generic", generic, 1 }, { "cin_b1", b1, 2 },
					 { "cla", other, 2 } };
	const char *header[] = { "\xef\xbb\xbftime_period", "At31_episodes" };
	const char *b1_header[] = { "time_period", "geographic_level", "At31_episodes" };
	const char *both[] = { "time_period", "At31_episodes", "number" };
	const char *none[] = { "child_id", "date" };

	(void)state;
	assert_int_equal(published_recognise(kinds, 3, b1_header, 3), 1);
	/* A byte-order mark left on the first column: not recognised. */
	assert_int_equal(published_recognise(kinds, 3, header, 2), -1);
	assert_int_equal(published_recognise(kinds, 3, both, 3), -2);
	assert_int_equal(published_recognise(kinds, 3, none, 2), -1);
}

static void test_rules(void **state)
{
	const char *header[] = { "time_period", "cla_group", "placement_stability", "children_percent" };
	const char *row_match[] = { "2024", "CLA on 31 March", "With 3 or more placements during the year", "9" };
	const char *row_other[] = { "2024", "CLA on 31 March", "Total children", "100" };
	published_rule rule;
	char err[256];

	(void)state;
	memset(&rule, 0, sizeof(rule));
	rule.indicator_id = "LA06";
	rule.measure_column = "children_percent";
	rule.filter_columns[0] = "cla_group";
	rule.filter_values[0] = "CLA on 31 March";
	rule.filter_columns[1] = "placement_stability";
	rule.filter_values[1] = "With 3 or more placements during the year";
	rule.nfilters = 2;
	rule.scale = 1;
	assert_int_equal(published_rule_resolve(&rule, header, 4, err, sizeof(err)), 0);
	assert_int_equal(rule.measure_index, 3);
	assert_true(published_rule_matches(&rule, row_match, 4));
	assert_false(published_rule_matches(&rule, row_other, 4));
	assert_false(published_rule_matches(&rule, row_match, 3));
	rule.measure_column = "children_count";
	assert_int_equal(published_rule_resolve(&rule, header, 4, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no column children_count (the measure of LA06)"));
}

static void test_quartiles_and_minimums(void **state)
{
	(void)state;
	/* 152 councils: 38 in each quarter. */
	assert_int_equal(published_quartile(1, 152), 1);
	assert_int_equal(published_quartile(38, 152), 1);
	assert_int_equal(published_quartile(39, 152), 2);
	assert_int_equal(published_quartile(76, 152), 2);
	assert_int_equal(published_quartile(77, 152), 3);
	assert_int_equal(published_quartile(114, 152), 3);
	assert_int_equal(published_quartile(115, 152), 4);
	assert_int_equal(published_quartile(152, 152), 4);
	assert_int_equal(published_quartile(4, 4), 4);
	assert_int_equal(published_quartile(1, 1), 1);
	assert_int_equal(published_quartile(0, 152), 0);
	assert_int_equal(published_quartile(153, 152), 0);
	assert_false(published_neighbours_enough(4));
	assert_true(published_neighbours_enough(5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_areas),
		cmocka_unit_test(test_recognise),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_quartiles_and_minimums),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
