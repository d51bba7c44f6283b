/*
 * client/formats/ssda903.c: reading, and writing, the tables of an SSDA903
 * return.
 *
 * Each table is one CSV file with a header row of the DfE's column names. The
 * table is recognised by its distinctive columns (those other than CHILD, DOB
 * and SEX, which many tables share), each of its columns is mapped to a field
 * of the table's record type, and each row becomes one record, its values
 * converted to csperf form. The writer runs the same mapping backwards.
 */
#include "formats_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "schema.h"

/* The largest schema an SSDA903 table fills. */
#define SSDA903_MAX_FIELDS 16

/* Room for any converted value: "2017-03-03", "ZZ/ZZ/2015", "true", "M". */
#define CONVERTED_SIZE 16

typedef enum value_conversion {
	CONVERT_NONE,          /* as written */
	CONVERT_DATE,          /* dd/mm/YYYY to YYYY-MM-DD */
	CONVERT_PARTIAL_DATE,  /* also ZZ/mm/YYYY to YYYY-MM, ZZ/ZZ/YYYY to YYYY */
	CONVERT_FLAG,          /* 1/0 to true/false */
	CONVERT_SEX            /* 1/2 (SSDA903 before 2024-25) to M/F */
} value_conversion;

typedef struct ssda903_column {
	const char *name;               /* as in the SSDA903 specification */
	const char *field;              /* the field it fills; NULL if not loaded */
	value_conversion conversion;
} ssda903_column;

typedef struct ssda903_table {
	const char *name;               /* for messages: "episodes" */
	csperf_record_type type;
	const ssda903_column *columns;
	size_t ncolumns;
	bool as_at_collection_end;      /* as_at_date is the collection year's end */
} ssda903_table;

/* Every column that fills a field is required, but for those the return
 * gained later (PL_LOCATION and PL_LA, from 2023-24), whose fields are then
 * absent; the others are known only so that they help recognise the table. */
static const ssda903_column header_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "SEX", "sex", CONVERT_SEX },
	{ "DOB", "birth_date", CONVERT_DATE },
	{ "ETHNIC", "ethnicity", CONVERT_NONE },
	{ "UPN", NULL, CONVERT_NONE },
	{ "MOTHER", NULL, CONVERT_NONE },
	{ "MC_DOB", NULL, CONVERT_NONE },
};

static const ssda903_column episodes_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DECOM", "start_date", CONVERT_DATE },
	{ "RNE", "new_episode_reason", CONVERT_NONE },
	{ "LS", "legal_status", CONVERT_NONE },
	{ "CIN", "category_of_need", CONVERT_NONE },
	{ "PLACE", "placement_type", CONVERT_NONE },
	{ "PLACE_PROVIDER", "placement_provider", CONVERT_NONE },
	{ "DEC", "end_date", CONVERT_DATE },
	{ "REC", "end_reason", CONVERT_NONE },
	{ "REASON_PLACE_CHANGE", "placement_change_reason", CONVERT_NONE },
	{ "HOME_POST", "home_postcode", CONVERT_NONE },
	{ "PL_POST", "placement_postcode", CONVERT_NONE },
	{ "URN", "urn", CONVERT_NONE },
	{ "PL_LOCATION", "placement_location", CONVERT_NONE },
	{ "PL_LA", "placement_la", CONVERT_NONE },
};

static const ssda903_column reviews_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "REVIEW", "review_date", CONVERT_DATE },
	{ "REVIEW_CODE", "participation", CONVERT_NONE },
};

static const ssda903_column oc2_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "SDQ_SCORE", "sdq_score", CONVERT_NONE },
	{ "SDQ_REASON", "sdq_reason", CONVERT_NONE },
	{ "CONVICTED", "convicted", CONVERT_FLAG },
	{ "HEALTH_CHECK", "health_check", CONVERT_FLAG },
	{ "IMMUNISATIONS", "immunisations", CONVERT_FLAG },
	{ "TEETH_CHECK", "teeth_check", CONVERT_FLAG },
	{ "HEALTH_ASSESSMENT", "health_assessment", CONVERT_FLAG },
	{ "SUBSTANCE_MISUSE", "substance_misuse", CONVERT_FLAG },
	{ "INTERVENTION_RECEIVED", "intervention_received", CONVERT_FLAG },
	{ "INTERVENTION_OFFERED", "intervention_offered", CONVERT_FLAG },
};

static const ssda903_column oc3_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "IN_TOUCH", "in_touch", CONVERT_NONE },
	{ "ACTIV", "activity", CONVERT_NONE },
	{ "ACCOM", "accommodation", CONVERT_NONE },
};

static const ssda903_column ad1_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "DATE_INT", "decision_date", CONVERT_DATE },
	{ "DATE_MATCH", "match_date", CONVERT_DATE },
	{ "FOSTER_CARE", "foster_carer_adoption", CONVERT_FLAG },
	{ "NB_ADOPTR", "adopter_count", CONVERT_NONE },
	{ "SEX_ADOPTR", "adopter_sex", CONVERT_NONE },
	{ "LS_ADOPTR", "adopter_legal_status", CONVERT_NONE },
};

static const ssda903_column placed_for_adoption_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "DATE_PLACED", "decision_date", CONVERT_DATE },
	{ "DATE_PLACED_CEASED", "ceased_date", CONVERT_DATE },
	{ "REASON_PLACED_CEASED", "ceased_reason", CONVERT_NONE },
};

static const ssda903_column missing_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "MISSING", "missing_type", CONVERT_NONE },
	{ "MIS_START", "start_date", CONVERT_DATE },
	{ "MIS_END", "end_date", CONVERT_DATE },
};

static const ssda903_column previous_permanence_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "PREV_PERM", "previous_permanence", CONVERT_NONE },
	{ "LA_PERM", "la_code", CONVERT_NONE },
	{ "DATE_PERM", "order_date", CONVERT_PARTIAL_DATE },
};

static const ssda903_column uasc_columns[] = {
	{ "CHILD", "child_id", CONVERT_NONE },
	{ "SEX", NULL, CONVERT_NONE },
	{ "DOB", NULL, CONVERT_NONE },
	{ "DUC", "ceased_date", CONVERT_DATE },
};

#define TABLE(table_name, record_type, column_table, as_at_end) \
	{ table_name, record_type, column_table, \
	  sizeof(column_table) / sizeof(column_table[0]), as_at_end }

static const ssda903_table tables[] = {
	TABLE("header", CSPERF_RECORD_CHILD, header_columns, false),
	TABLE("episodes", CSPERF_RECORD_LA_EPISODE, episodes_columns, false),
	TABLE("reviews", CSPERF_RECORD_LA_REVIEW, reviews_columns, false),
	TABLE("oc2", CSPERF_RECORD_HEALTH, oc2_columns, true),
	TABLE("oc3", CSPERF_RECORD_CARE_LEAVER, oc3_columns, true),
	TABLE("ad1", CSPERF_RECORD_ADOPTION, ad1_columns, false),
	TABLE("placed_for_adoption", CSPERF_RECORD_PLACED_FOR_ADOPTION,
		placed_for_adoption_columns, false),
	TABLE("missing", CSPERF_RECORD_MISSING, missing_columns, false),
	TABLE("previous_permanence", CSPERF_RECORD_PREVIOUS_PERMANENCE,
		previous_permanence_columns, false),
	TABLE("uasc", CSPERF_RECORD_UASC, uasc_columns, false),
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

typedef struct ssda903_reader {
	const char *path;
	formats_record_cb cb;
	void *ctx;
	formats_error *err;
	int collection_year;

	const ssda903_table *table;      /* NULL until the header is read */
	const csperf_record_schema *schema;
	/* For each schema field: the CSV column holding it (-1 for none), the
	 * conversion, and its source column name. */
	int column_of_field[SSDA903_MAX_FIELDS];
	value_conversion conversion_of_field[SSDA903_MAX_FIELDS];
	const char *source_fields[SSDA903_MAX_FIELDS];
	char as_at_date[CSPERF_DATE_ISO_SIZE];

	const char *values[SSDA903_MAX_FIELDS];
	char converted[SSDA903_MAX_FIELDS][CONVERTED_SIZE];
} ssda903_reader;

/* CHILD, DOB and SEX are in many tables, so they do not say which one. */
static bool is_shared_column(const char *name)
{
	return strcmp(name, "CHILD") == 0 || strcmp(name, "DOB") == 0 ||
		strcmp(name, "SEX") == 0;
}

/* Columns the return gained after csperf first read it: a table without
 * them is read, their fields absent. */
static bool is_later_column(const char *name)
{
	return strcmp(name, "PL_LOCATION") == 0 || strcmp(name, "PL_LA") == 0;
}

static int find_column(const char *const *header, size_t ncolumns,
	const char *name)
{
	for (size_t i = 0; i < ncolumns; i++) {
		if (formats_ascii_casecmp(header[i], name) == 0)
			return (int)i;
	}
	return -1;
}

/* The table with the most of its distinctive columns in the header. */
static int recognise_table(ssda903_reader *reader, const char *const *header,
	size_t ncolumns, unsigned long line)
{
	size_t best_score = 0;
	const ssda903_table *best = NULL, *tied = NULL;

	for (size_t t = 0; t < NTABLES; t++) {
		size_t score = 0;

		for (size_t c = 0; c < tables[t].ncolumns; c++) {
			const char *name = tables[t].columns[c].name;

			if (!is_shared_column(name) &&
			    find_column(header, ncolumns, name) >= 0)
				score++;
		}
		if (score > best_score) {
			best_score = score;
			best = &tables[t];
			tied = NULL;
		} else if (score > 0 && score == best_score) {
			tied = &tables[t];
		}
	}
	if (best == NULL) {
		formats_error_set(reader->err, reader->path, line, NULL, NULL,
			"the header is not that of an SSDA903 table csperf loads (header, episodes, reviews, oc2, oc3, ad1, placed_for_adoption, missing, previous_permanence, uasc)");
		return FORMATS_EUNKNOWN;
	}
	if (tied != NULL) {
		formats_error_set(reader->err, reader->path, line, NULL, NULL,
			"the header could be that of SSDA903 %s or of %s",
			best->name, tied->name);
		return FORMATS_EUNKNOWN;
	}
	reader->table = best;
	return FORMATS_OK;
}

static int read_header(ssda903_reader *reader, const char *const *header,
	size_t ncolumns, unsigned long line)
{
	const ssda903_table *table;
	int status = recognise_table(reader, header, ncolumns, line);

	if (status != FORMATS_OK)
		return status;
	table = reader->table;
	reader->schema = csperf_schema_by_type(table->type);
	for (size_t f = 0; f < reader->schema->nfields; f++) {
		reader->column_of_field[f] = -1;
		reader->conversion_of_field[f] = CONVERT_NONE;
		reader->source_fields[f] = NULL;
	}

	for (size_t c = 0; c < table->ncolumns; c++) {
		const ssda903_column *column = &table->columns[c];
		int index, field;

		if (column->field == NULL)
			continue;
		index = find_column(header, ncolumns, column->name);
		if (index < 0 && is_later_column(column->name))
			continue;
		if (index < 0) {
			formats_error_set(reader->err, reader->path, line,
				column->name, NULL,
				"the SSDA903 %s table has no %s column",
				table->name, column->name);
			return FORMATS_EFORMAT;
		}
		field = csperf_schema_field_index(reader->schema, column->field);
		reader->column_of_field[field] = index;
		reader->conversion_of_field[field] = column->conversion;
		reader->source_fields[field] = column->name;
	}

	if (table->as_at_collection_end) {
		if (reader->collection_year < 1 || reader->collection_year > 9999) {
			formats_error_set(reader->err, reader->path, line, NULL, NULL,
				"the SSDA903 %s table needs the collection year (formats_ssda903_options.collection_year) for its as_at_date",
				table->name);
			return FORMATS_EINVALID;
		}
		snprintf(reader->as_at_date, sizeof(reader->as_at_date),
			"%04d-03-31", reader->collection_year);
	}
	return FORMATS_OK;
}

static bool are_digits(const char *text, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
	}
	return true;
}

static bool is_unknown_part(const char *part)
{
	return (part[0] == 'Z' || part[0] == 'z') &&
		(part[1] == 'Z' || part[1] == 'z');
}

/* SSDA903 writes a date known only in part with ZZ for the unknown day, or
 * day and month: ZZ/05/2015 becomes 2015-05, ZZ/ZZ/2015 becomes 2015. */
static const char *convert_partial_date(const char *value,
	char out[CONVERTED_SIZE])
{
	if (csperf_date_uk_to_iso(value, out) == 0)
		return out;
	if (strlen(value) != 10 || value[2] != '/' || value[5] != '/' ||
	    !is_unknown_part(value) || !are_digits(value + 6, 4))
		return value;
	if (is_unknown_part(value + 3)) {
		snprintf(out, CONVERTED_SIZE, "%.4s", value + 6);
		return out;
	}
	if (are_digits(value + 3, 2) && csperf_date_days_in_month(2000,
		    (value[3] - '0') * 10 + (value[4] - '0')) > 0) {
		snprintf(out, CONVERTED_SIZE, "%.4s-%.2s", value + 6, value + 3);
		return out;
	}
	return value;
}

/* Converts one value to csperf form in `out`, returning what to use: `out`,
 * or the value as written when there is nothing to convert or it cannot be. */
static const char *convert_value(value_conversion conversion,
	const char *value, char out[CONVERTED_SIZE])
{
	switch (conversion) {
	case CONVERT_NONE:
		return value;
	case CONVERT_DATE:
		return csperf_date_uk_to_iso(value, out) == 0 ? out : value;
	case CONVERT_PARTIAL_DATE:
		return convert_partial_date(value, out);
	case CONVERT_FLAG:
		if (strcmp(value, "1") == 0)
			return "true";
		if (strcmp(value, "0") == 0)
			return "false";
		return value;
	case CONVERT_SEX:
		if (strcmp(value, "1") == 0)
			return "M";
		if (strcmp(value, "2") == 0)
			return "F";
		return value;
	}
	return value;
}

static bool all_empty(const char *const *fields, size_t nfields)
{
	for (size_t i = 0; i < nfields; i++) {
		if (fields[i][0] != '\0')
			return false;
	}
	return true;
}

static int on_ssda903_row(const char *const *fields, size_t nfields,
	unsigned long line, void *opaque)
{
	ssda903_reader *reader = opaque;
	const csperf_record_schema *schema = reader->schema;
	formats_record record;

	if (reader->table == NULL)
		return read_header(reader, fields, nfields, line);
	if (all_empty(fields, nfields))
		return 0;

	for (size_t f = 0; f < schema->nfields; f++) {
		int column = reader->column_of_field[f];
		const char *value = column >= 0 && (size_t)column < nfields ?
			fields[column] : "";

		reader->values[f] = convert_value(reader->conversion_of_field[f],
			value, reader->converted[f]);
	}
	if (reader->table->as_at_collection_end)
		reader->values[csperf_schema_field_index(schema, "as_at_date")] =
			reader->as_at_date;

	record.type = schema->type;
	record.file = reader->path;
	record.line = line;
	record.nvalues = schema->nfields;
	record.values = reader->values;
	record.source_fields = reader->source_fields;
	return reader->cb(&record, reader->ctx);
}

int formats_read_ssda903(const char *path, const formats_ssda903_options *opts,
	formats_record_cb cb, void *ctx, formats_error *err)
{
	ssda903_reader reader = { .path = path, .cb = cb, .ctx = ctx, .err = err };
	int status;

	formats_error_clear(err);
	if (opts != NULL && opts->version != FORMATS_SSDA903_OPTIONS_VERSION) {
		formats_error_set(err, path, 0, NULL, NULL,
			"formats_ssda903_options version %u is not known (expected %d)",
			opts->version, FORMATS_SSDA903_OPTIONS_VERSION);
		return FORMATS_EINVALID;
	}
	if (opts != NULL)
		reader.collection_year = opts->collection_year;

	status = csv_stream_read(path, on_ssda903_row, &reader, err);
	if (status == FORMATS_OK && reader.table == NULL) {
		formats_error_set(err, path, 1, NULL, NULL,
			"the file is empty: an SSDA903 table starts with a header row");
		status = FORMATS_EFORMAT;
	}
	return status;
}

struct formats_ssda903_writer {
	FILE *file;
	char path[256];
	const ssda903_table *table;
	const csperf_record_schema *schema;
	bool failed;    /* a write did not reach the file */
};

/* Turns a csperf value back into SSDA903 form in `out`, returning what to
 * write: `out`, or the value as given when there is nothing to turn back. */
static const char *unconvert_value(value_conversion conversion,
	const char *value, char out[CONVERTED_SIZE])
{
	int32_t day_number;
	int year, month, day;
	char full_date[CSPERF_DATE_ISO_SIZE];

	switch (conversion) {
	case CONVERT_NONE:
	case CONVERT_SEX:
		return value;
	case CONVERT_DATE:
	case CONVERT_PARTIAL_DATE:
		if (csperf_date_parse_iso(value, &day_number) == 0) {
			csperf_date_to_ymd(day_number, &year, &month, &day);
			snprintf(out, CONVERTED_SIZE, "%02d/%02d/%04d", day, month, year);
			return out;
		}
		if (conversion != CONVERT_PARTIAL_DATE)
			return value;
		if (strlen(value) == 7) {
			snprintf(full_date, sizeof(full_date), "%s-01", value);
			if (csperf_date_parse_iso(full_date, &day_number) == 0) {
				snprintf(out, CONVERTED_SIZE, "ZZ/%.2s/%.4s", value + 5,
					value);
				return out;
			}
		}
		if (strlen(value) == 4) {
			snprintf(full_date, sizeof(full_date), "%s-01-01", value);
			if (csperf_date_parse_iso(full_date, &day_number) == 0) {
				snprintf(out, CONVERTED_SIZE, "ZZ/ZZ/%.4s", value);
				return out;
			}
		}
		return value;
	case CONVERT_FLAG:
		if (strcmp(value, "true") == 0)
			return "1";
		if (strcmp(value, "false") == 0)
			return "0";
		return value;
	}
	return value;
}

int formats_ssda903_writer_open(formats_ssda903_writer **out, const char *path,
	csperf_record_type type, formats_error *err)
{
	formats_ssda903_writer *writer = NULL;
	const char *names[SSDA903_MAX_FIELDS];
	int status = FORMATS_OK;

	formats_error_clear(err);
	writer = calloc(1, sizeof(*writer));
	if (writer == NULL) {
		formats_error_set(err, path, 0, NULL, NULL, "out of memory");
		status = FORMATS_ENOMEM;
		goto cleanup;
	}
	snprintf(writer->path, sizeof(writer->path), "%s", path);
	for (size_t t = 0; t < NTABLES && writer->table == NULL; t++) {
		if (tables[t].type == type)
			writer->table = &tables[t];
	}
	if (writer->table == NULL) {
		formats_error_set(err, path, 0, NULL, NULL,
			"no SSDA903 table holds %s records",
			csperf_record_type_name(type) != NULL ?
			csperf_record_type_name(type) : "such");
		status = FORMATS_EINVALID;
		goto cleanup;
	}
	writer->schema = csperf_schema_by_type(type);
	writer->file = fopen(path, "wb");
	if (writer->file == NULL) {
		formats_error_set(err, path, 0, NULL, NULL, "cannot create: %s",
			strerror(errno));
		status = FORMATS_EIO;
		goto cleanup;
	}
	for (size_t c = 0; c < writer->table->ncolumns; c++)
		names[c] = writer->table->columns[c].name;
	if (!formats_csv_write_row(writer->file, names, writer->table->ncolumns)) {
		formats_error_set(err, path, 1, NULL, NULL,
			"cannot write the header: %s", strerror(errno));
		status = FORMATS_EIO;
		goto cleanup;
	}
	*out = writer;
	writer = NULL;

cleanup:
	if (writer != NULL && writer->file != NULL)
		fclose(writer->file);
	free(writer);
	return status;
}

int formats_ssda903_writer_write(formats_ssda903_writer *writer,
	const char *const *values, size_t nvalues, formats_error *err)
{
	const ssda903_table *table = writer->table;
	const char *row[SSDA903_MAX_FIELDS];
	char converted[SSDA903_MAX_FIELDS][CONVERTED_SIZE];

	if (nvalues != writer->schema->nfields) {
		formats_error_set(err, writer->path, 0, NULL, NULL,
			"a %s record has %zu fields, not %zu",
			writer->schema->name, writer->schema->nfields, nvalues);
		return FORMATS_EINVALID;
	}
	for (size_t c = 0; c < table->ncolumns; c++) {
		const ssda903_column *column = &table->columns[c];
		int field;

		row[c] = "";
		if (column->field == NULL)
			continue;
		field = csperf_schema_field_index(writer->schema, column->field);
		if (values[field] != NULL)
			row[c] = unconvert_value(column->conversion, values[field],
				converted[c]);
	}
	if (!formats_csv_write_row(writer->file, row, table->ncolumns)) {
		writer->failed = true;
		formats_error_set(err, writer->path, 0, NULL, NULL,
			"cannot write: %s", strerror(errno));
		return FORMATS_EIO;
	}
	return FORMATS_OK;
}

int formats_ssda903_writer_close(formats_ssda903_writer *writer,
	formats_error *err)
{
	int status = FORMATS_OK;
	bool flushed;

	if (writer == NULL)
		return FORMATS_OK;
	flushed = fflush(writer->file) == 0;
	if (fclose(writer->file) != 0 || !flushed || writer->failed) {
		formats_error_set(err, writer->path, 0, NULL, NULL,
			"the file was not completely written");
		status = FORMATS_EIO;
	}
	free(writer);
	return status;
}
