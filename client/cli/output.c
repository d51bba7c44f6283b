/* output.c: tables for people (aligned), JSON (jansson) and CSV (libcsv). */
#include "output.h"

#include <csv.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct output_result {
	const output_column *columns;
	size_t ncolumns;
	int single;
	char **cells;    /* rows * ncolumns, NULL for absent */
	size_t rows, capacity;
};

int output_format_parse(const char *name, output_format *out)
{
	if (strcmp(name, "table") == 0)
		*out = OUTPUT_TABLE;
	else if (strcmp(name, "json") == 0)
		*out = OUTPUT_JSON;
	else if (strcmp(name, "csv") == 0)
		*out = OUTPUT_CSV;
	else
		return -1;
	return 0;
}

output_result *output_result_new(const output_column *columns, size_t ncolumns,
				 int single)
{
	output_result *result = calloc(1, sizeof(*result));

	if (result == NULL)
		return NULL;
	result->columns = columns;
	result->ncolumns = ncolumns;
	result->single = single;
	return result;
}

void output_result_free(output_result *result)
{
	if (result == NULL)
		return;
	for (size_t i = 0; i < result->rows * result->ncolumns; i++)
		free(result->cells[i]);
	free(result->cells);
	free(result);
}

int output_result_add(output_result *result, const char *const *values)
{
	size_t base;

	if (result->rows == result->capacity) {
		size_t capacity = result->capacity == 0 ? 16 : result->capacity * 2;
		char **cells = realloc(result->cells, capacity * result->ncolumns * sizeof(char *));

		if (cells == NULL)
			return -1;
		result->cells = cells;
		result->capacity = capacity;
	}
	base = result->rows * result->ncolumns;
	for (size_t c = 0; c < result->ncolumns; c++) {
		result->cells[base + c] = values[c] != NULL ? strdup(values[c]) : NULL;
		if (values[c] != NULL && result->cells[base + c] == NULL) {
			while (c-- > 0)
				free(result->cells[base + c]);
			return -1;
		}
	}
	result->rows++;
	return 0;
}

static const char *cell(const output_result *result, size_t row, size_t column)
{
	return result->cells[row * result->ncolumns + column];
}

/* What a table shows for a cell: "-" for none, yes/no for a boolean. */
static const char *shown(const output_result *result, size_t row, size_t column)
{
	const char *value = cell(result, row, column);

	if (value == NULL)
		return "-";
	if (result->columns[column].kind == OUTPUT_BOOLEAN)
		return strcmp(value, "true") == 0 ? "yes" : strcmp(value, "false") == 0 ? "no" : value;
	return value;
}

static void print_table(const output_result *result, FILE *out)
{
	size_t *widths;

	if (result->single) {
		size_t label_width = 0;

		for (size_t c = 0; c < result->ncolumns; c++)
			if (strlen(result->columns[c].label) > label_width)
				label_width = strlen(result->columns[c].label);
		for (size_t r = 0; r < result->rows; r++)
			for (size_t c = 0; c < result->ncolumns; c++)
				fprintf(out, "%-*s  %s\n", (int)label_width + 1,
					result->columns[c].label,
					shown(result, r, c));
		return;
	}
	widths = calloc(result->ncolumns, sizeof(size_t));
	if (widths == NULL)
		return;
	for (size_t c = 0; c < result->ncolumns; c++) {
		widths[c] = strlen(result->columns[c].label);
		for (size_t r = 0; r < result->rows; r++) {
			size_t len = strlen(shown(result, r, c));

			if (len > widths[c])
				widths[c] = len;
		}
	}
	for (size_t c = 0; c < result->ncolumns; c++) {
		int right = result->columns[c].kind != OUTPUT_TEXT &&
			    result->columns[c].kind != OUTPUT_BOOLEAN;
		int last = c + 1 == result->ncolumns;

		fprintf(out, "%s%*s", c > 0 ? "  " : "",
			right ? (int)widths[c] : last ? 0 : -(int)widths[c], result->columns[c].label);
	}
	fputc('\n', out);
	for (size_t r = 0; r < result->rows; r++) {
		for (size_t c = 0; c < result->ncolumns; c++) {
			int right = result->columns[c].kind != OUTPUT_TEXT &&
			    result->columns[c].kind != OUTPUT_BOOLEAN;
			int last = c + 1 == result->ncolumns;

			/* The last column is not padded: no trailing blanks. */
			fprintf(out, "%s%*s", c > 0 ? "  " : "",
				right ? (int)widths[c] : last ? 0 : -(int)widths[c],
				shown(result, r, c));
		}
		fputc('\n', out);
	}
	free(widths);
}

static json_t *json_value(const output_column *column, const char *value)
{
	char *end;

	if (value == NULL)
		return json_null();
	if (column->kind == OUTPUT_INTEGER) {
		long long number = strtoll(value, &end, 10);

		if (*end == '\0' && end != value)
			return json_integer(number);
	} else if (column->kind == OUTPUT_BOOLEAN) {
		if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
			return json_boolean(value[0] == 't');
	} else if (column->kind == OUTPUT_NUMBER) {
		double number = strtod(value, &end);

		if (*end == '\0' && end != value)
			return json_real(number);
	}
	return json_string(value);
}

static int print_json(const output_result *result, FILE *out)
{
	json_t *rows = json_array(), *document;
	int rc;

	for (size_t r = 0; r < result->rows; r++) {
		json_t *object = json_object();

		for (size_t c = 0; c < result->ncolumns; c++)
			json_object_set_new(object, result->columns[c].name,
					    json_value(&result->columns[c], cell(result, r, c)));
		json_array_append_new(rows, object);
	}
	if (result->single && result->rows == 1) {
		document = json_incref(json_array_get(rows, 0));
		json_decref(rows);
	} else {
		document = json_object();
		json_object_set_new(document, "rows", rows);
	}
	rc = json_dumpf(document, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(document);
	return rc;
}

int output_csv_row(FILE *out, const char *const *values, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		if (c > 0)
			fputc(',', out);
		if (values[c] != NULL)
			csv_fwrite(out, values[c], strlen(values[c]));
	}
	fputs("\r\n", out);
	return ferror(out) ? -1 : 0;
}

static void print_csv(const output_result *result, FILE *out)
{
	const char **values = calloc(result->ncolumns, sizeof(char *));

	if (values == NULL)
		return;
	for (size_t c = 0; c < result->ncolumns; c++)
		values[c] = result->columns[c].name;
	output_csv_row(out, values, result->ncolumns);
	for (size_t r = 0; r < result->rows; r++) {
		for (size_t c = 0; c < result->ncolumns; c++)
			values[c] = cell(result, r, c);
		output_csv_row(out, values, result->ncolumns);
	}
	free(values);
}

int output_result_print(const output_result *result, output_format format, FILE *out)
{
	switch (format) {
	case OUTPUT_JSON:
		if (print_json(result, out) != 0)
			return -1;
		break;
	case OUTPUT_CSV:
		print_csv(result, out);
		break;
	case OUTPUT_TABLE:
		print_table(result, out);
		break;
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static void group_thousands(const char *digits, char *out, size_t size)
{
	size_t ndigits = strlen(digits), len = 0;

	for (size_t i = 0; i < ndigits && len + 2 < size; i++) {
		if (i > 0 && (ndigits - i) % 3 == 0)
			out[len++] = ',';
		out[len++] = digits[i];
	}
	out[len] = '\0';
}

void output_figure(const char *unit, bool present, double value, bool suppressed,
		   const char *absent, char *out, size_t size)
{
	char digits[64], grouped[96];

	if (suppressed) {
		snprintf(out, size, "*");
	} else if (!present) {
		snprintf(out, size, "%s", absent);
	} else if (strcmp(unit, "percent") == 0) {
		snprintf(out, size, "%.1f%%", value);
	} else if (strcmp(unit, "rate") == 0 || strcmp(unit, "days") == 0 ||
		   strcmp(unit, "number") == 0) {
		snprintf(out, size, "%.1f", value);
	} else {
		snprintf(digits, sizeof(digits), "%.0f", value < 0 ? -value : value);
		group_thousands(digits, grouped, sizeof(grouped));
		snprintf(out, size, "%s%s%s", value <= -0.5 ? "-" : "",
			 strcmp(unit, "pounds") == 0 ? "\xc2\xa3" : "", grouped);
	}
}

void output_pence_as_pounds(int64_t pence, bool grouping, char *out, size_t size)
{
	uint64_t magnitude = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	char digits[24], grouped[32];

	snprintf(digits, sizeof(digits), "%" PRIu64, magnitude / 100);
	if (grouping)
		group_thousands(digits, grouped, sizeof(grouped));
	else
		memcpy(grouped, digits, sizeof(digits));
	snprintf(out, size, "%s%s.%02u", pence < 0 ? "-" : "", grouped, (unsigned)(magnitude % 100));
}
