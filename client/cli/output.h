/*
 * output.h: how the csperf tool prints results: an aligned table for people,
 * JSON or CSV for programs. A result is a list of typed columns and rows of
 * text values; commands build one and print it in the chosen format.
 */
#ifndef CSPERF_CLI_OUTPUT_H
#define CSPERF_CLI_OUTPUT_H

#include <stdio.h>

typedef enum output_format {
	OUTPUT_TABLE,
	OUTPUT_JSON,
	OUTPUT_CSV
} output_format;

typedef enum output_kind {
	OUTPUT_TEXT,     /* JSON string */
	OUTPUT_INTEGER,  /* JSON integer */
	OUTPUT_NUMBER    /* JSON real */
} output_kind;

typedef struct output_column {
	const char *name;   /* snake_case: JSON key and CSV header */
	const char *label;  /* table heading */
	output_kind kind;
} output_column;

typedef struct output_result output_result;

/* Parses "table", "json" or "csv"; -1 if none. */
int output_format_parse(const char *name, output_format *out);

/* A result with these columns (borrowed: they must outlive the result). A
 * single result is shown as `label: value` lines in a table and as one JSON
 * object; otherwise as rows and as {"rows": [...]}. */
output_result *output_result_new(const output_column *columns, size_t ncolumns,
				 int single);
void output_result_free(output_result *result);

/* Appends a row; values are copied; NULL is an absent value. */
int output_result_add(output_result *result, const char *const *values);

/* Prints the result. Returns 0, or -1 if writing failed. */
int output_result_print(const output_result *result, output_format format, FILE *out);

#endif
