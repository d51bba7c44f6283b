/* test_output.c: the CLI's table, JSON and CSV output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

static const output_column columns[] = {
	{ "indicator_id", "Indicator", OUTPUT_TEXT },
	{ "value", "Value", OUTPUT_NUMBER },
	{ "numerator", "Num", OUTPUT_INTEGER },
};

static char *render(const output_result *result, output_format format)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	assert_int_equal(output_result_print(result, format, f), 0);
	fclose(f);
	return text;
}

static output_result *sample(int single)
{
	output_result *result = output_result_new(columns, 3, single);
	const char *row1[] = { "CN02", "90.2", "812" };
	const char *row2[] = { "CP05, \"repeat\"", NULL, "7" };

	assert_non_null(result);
	assert_int_equal(output_result_add(result, row1), 0);
	if (!single)
		assert_int_equal(output_result_add(result, row2), 0);
	return result;
}

static void test_table_aligns_columns(void **state)
{
	output_result *result = sample(0);
	char *text = render(result, OUTPUT_TABLE);

	assert_string_equal(text,
			    "Indicator       Value  Num\n"
			    "CN02             90.2  812\n"
			    "CP05, \"repeat\"      -    7\n");
	free(text);
	output_result_free(result);
}

static void test_single_table_is_label_value(void **state)
{
	output_result *result = sample(1);
	char *text = render(result, OUTPUT_TABLE);

	assert_string_equal(text, "Indicator   CN02\nValue       90.2\nNum         812\n");
	free(text);
	output_result_free(result);
}

static void test_json_types_and_rows(void **state)
{
	output_result *result = sample(0);
	char *text = render(result, OUTPUT_JSON);

	assert_non_null(strstr(text, "\"rows\": ["));
	assert_non_null(strstr(text, "\"indicator_id\": \"CN02\""));
	assert_non_null(strstr(text, "\"value\": 90.2"));
	assert_non_null(strstr(text, "\"numerator\": 812"));
	assert_non_null(strstr(text, "\"indicator_id\": \"CP05, \\\"repeat\\\"\""));
	assert_non_null(strstr(text, "\"value\": null"));
	free(text);
	output_result_free(result);

	result = sample(1);
	text = render(result, OUTPUT_JSON);
	assert_null(strstr(text, "rows"));
	assert_true(text[0] == '{');
	free(text);
	output_result_free(result);
}

static void test_csv_quotes_per_rfc4180(void **state)
{
	output_result *result = sample(0);
	char *text = render(result, OUTPUT_CSV);

	assert_string_equal(text,
			    "\"indicator_id\",\"value\",\"numerator\"\r\n"
			    "\"CN02\",\"90.2\",\"812\"\r\n"
			    "\"CP05, \"\"repeat\"\"\",,\"7\"\r\n");
	free(text);
	output_result_free(result);
}

static void test_format_names(void **state)
{
	output_format format;

	assert_int_equal(output_format_parse("json", &format), 0);
	assert_int_equal(format, OUTPUT_JSON);
	assert_int_equal(output_format_parse("csv", &format), 0);
	assert_int_equal(format, OUTPUT_CSV);
	assert_int_equal(output_format_parse("table", &format), 0);
	assert_int_equal(format, OUTPUT_TABLE);
	assert_int_equal(output_format_parse("xml", &format), -1);
}

/* Booleans are JSON true/false, CSV true/false, a table's yes/no. */
static void test_booleans_are_json_booleans(void **state)
{
	static const output_column flags[] = {
		{ "id", "ID", OUTPUT_TEXT }, { "provisional", "Provisional", OUTPUT_BOOLEAN },
	};
	output_result *result = output_result_new(flags, 2, 0);
	const char *yes[] = { "A", "true" }, *no[] = { "B", "false" };
	char *text;

	(void)state;
	assert_int_equal(output_result_add(result, yes), 0);
	assert_int_equal(output_result_add(result, no), 0);
	text = render(result, OUTPUT_JSON);
	assert_non_null(strstr(text, "\"provisional\": true"));
	assert_non_null(strstr(text, "\"provisional\": false"));
	assert_null(strstr(text, "\"yes\""));
	free(text);
	text = render(result, OUTPUT_CSV);
	assert_non_null(strstr(text, "\"A\",\"true\"\r\n"));
	free(text);
	text = render(result, OUTPUT_TABLE);
	assert_non_null(strstr(text, "A   yes"));
	assert_non_null(strstr(text, "B   no"));
	free(text);
	output_result_free(result);
}

/* One CSV writer: "" is an empty value, NULL no value. */
static void test_csv_row_empty_and_absent(void **state)
{
	const char *values[] = { "a,b", "", NULL, "x\"y" };
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	(void)state;
	assert_int_equal(output_csv_row(f, values, 4), 0);
	fclose(f);
	assert_string_equal(text, "\"a,b\",\"\",,\"x\"\"y\"\r\n");
	free(text);
}

/* One way of writing figures, by unit. */
static void test_figures_by_unit(void **state)
{
	char out[64];

	(void)state;
	output_figure("percent", true, 73.44, false, "-", out, sizeof(out));
	assert_string_equal(out, "73.4%");
	output_figure("days", true, 12.25, false, "-", out, sizeof(out));
	assert_string_equal(out, "12.2");
	output_figure("pounds", true, 1891115.4, false, "-", out, sizeof(out));
	assert_string_equal(out, "\xc2\xa3" "1,891,115");
	output_figure("count", true, -1234, false, "-", out, sizeof(out));
	assert_string_equal(out, "-1,234");
	output_figure("count", false, 0, false, "-", out, sizeof(out));
	assert_string_equal(out, "-");
	output_figure("count", true, 3, true, "-", out, sizeof(out));
	assert_string_equal(out, "*");
	output_pence_as_pounds(123456789, true, out, sizeof(out));
	assert_string_equal(out, "1,234,567.89");
	output_pence_as_pounds(-5, false, out, sizeof(out));
	assert_string_equal(out, "-0.05");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_aligns_columns),
		cmocka_unit_test(test_single_table_is_label_value),
		cmocka_unit_test(test_json_types_and_rows),
		cmocka_unit_test(test_csv_quotes_per_rfc4180),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_booleans_are_json_booleans),
		cmocka_unit_test(test_csv_row_empty_and_absent),
		cmocka_unit_test(test_figures_by_unit),
	};

	return cmocka_run_group_tests_name("unit_output", tests, NULL, NULL);
}
