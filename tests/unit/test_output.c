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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_aligns_columns),
		cmocka_unit_test(test_single_table_is_label_value),
		cmocka_unit_test(test_json_types_and_rows),
		cmocka_unit_test(test_csv_quotes_per_rfc4180),
		cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests_name("unit_output", tests, NULL, NULL);
}
