/*
 * output.h: how the csperf tool prints results: an aligned table for people,
 * JSON or CSV for programs. A result is a list of typed columns and rows of
 * text values; commands build one and print it in the chosen format.
 */
#ifndef CSPERF_CLI_OUTPUT_H
#define CSPERF_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum output_format {
	OUTPUT_TABLE,
	OUTPUT_JSON,
	OUTPUT_CSV
} output_format;

typedef enum output_kind {
	OUTPUT_TEXT,     /* JSON string */
	OUTPUT_INTEGER,  /* JSON integer */
	OUTPUT_NUMBER,   /* JSON real */
	OUTPUT_BOOLEAN   /* values "true"/"false": JSON true/false, CSV true/false,
			  * a table yes/no */
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

/* ---- the one CSV writer and the one way of writing figures ---- */

/* Writes one RFC 4180 row (CRLF) to out; a NULL value is an empty field.
 * An empty string is written "" (a value that is empty), NULL as nothing (no
 * value). Returns 0, or -1 if writing failed. Every CSV the tool writes goes through
 * here (results, streamed cases, Annex A lists, the costs export). */
int output_csv_row(FILE *out, const char *const *values, size_t n);

/* A figure as people read it, by the indicator's unit: percent "73.4%";
 * rate, days and number one decimal "12.5"; pounds "£1,234"; counts
 * "1,234". suppressed writes "*", an absent figure `absent` ("-" in the
 * terminal, an en dash in the report). */
void output_figure(const char *unit, bool present, double value, bool suppressed,
		   const char *absent, char *out, size_t size);

/* Whole pence as pounds, exactly: "1234.56", or with grouping "1,234.56". */
void output_pence_as_pounds(int64_t pence, bool grouping, char *out, size_t size);

#endif
