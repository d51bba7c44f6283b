/*
 * client/formats/csperf_csv.c: csperf's own CSV format, read and written.
 *
 * One file holds records of one type. Its header row names the schema's
 * fields (any order; optional ones may be left out) and each row is one
 * record whose values are already in csperf form (docs/formats.md).
 */
#include "formats_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* More than the fields of any record type. */
#define CSPERF_CSV_MAX_FIELDS 32

typedef struct csperf_csv_reader {
	const char *path;
	formats_record_cb cb;
	void *ctx;
	formats_error *err;

	const csperf_record_schema *schema;  /* NULL until known */
	bool header_read;
	size_t ncolumns;
	/* For each schema field, the column holding it; -1 if none. */
	int column_of_field[CSPERF_CSV_MAX_FIELDS];
	const char *values[CSPERF_CSV_MAX_FIELDS];
	const char *source_fields[CSPERF_CSV_MAX_FIELDS];
} csperf_csv_reader;

struct formats_csv_writer {
	FILE *file;
	char path[256];
	const csperf_record_schema *schema;
	bool failed;    /* a write did not reach the file */
};

/* The type named by a file name: "contacts.csv" and "Contact.CSV" name
 * contact, in any directory. */
static const csperf_record_schema *schema_from_file_name(const char *path)
{
	const char *base = path;
	char name[64];
	size_t length;
	const csperf_record_schema *schema;

	for (const char *cursor = path; *cursor != '\0'; cursor++) {
		if (*cursor == '/' || *cursor == '\\')
			base = cursor + 1;
	}
	length = strlen(base);
	if (length > 4 && formats_ascii_casecmp(base + length - 4, ".csv") == 0)
		length -= 4;
	if (length == 0 || length >= sizeof(name))
		return NULL;
	for (size_t i = 0; i < length; i++) {
		char c = base[i];

		name[i] = c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
	}
	name[length] = '\0';

	schema = csperf_schema_by_name(name);
	if (schema == NULL && name[length - 1] == 's') {
		name[length - 1] = '\0';
		schema = csperf_schema_by_name(name);
	}
	return schema;
}

static int field_of_column(const csperf_record_schema *schema,
	const char *column)
{
	for (size_t i = 0; i < schema->nfields; i++) {
		if (formats_ascii_casecmp(schema->fields[i].name, column) == 0)
			return (int)i;
	}
	return -1;
}

/* Whether a header could be that of `schema`: every column one of its
 * fields, every required field there. */
static bool header_fits(const csperf_record_schema *schema,
	const char *const *header, size_t ncolumns)
{
	for (size_t c = 0; c < ncolumns; c++) {
		if (field_of_column(schema, header[c]) < 0)
			return false;
	}
	for (size_t f = 0; f < schema->nfields; f++) {
		bool present = false;

		if (!schema->fields[f].required)
			continue;
		for (size_t c = 0; c < ncolumns && !present; c++)
			present = formats_ascii_casecmp(schema->fields[f].name,
				header[c]) == 0;
		if (!present)
			return false;
	}
	return true;
}

static int infer_schema_from_header(csperf_csv_reader *reader,
	const char *const *header, size_t ncolumns, unsigned long line)
{
	const csperf_record_schema *found = NULL, *also = NULL;

	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const csperf_record_schema *schema = csperf_schema_by_type(type);

		if (!header_fits(schema, header, ncolumns))
			continue;
		if (found == NULL)
			found = schema;
		else if (also == NULL)
			also = schema;
	}
	if (found == NULL) {
		formats_error_set(reader->err, reader->path, line, NULL, NULL,
			"the header is not that of any csperf record type, and the file name does not name one");
		return FORMATS_EUNKNOWN;
	}
	if (also != NULL) {
		formats_error_set(reader->err, reader->path, line, NULL, NULL,
			"the header fits both %s and %s: name the file after its record type",
			found->name, also->name);
		return FORMATS_EUNKNOWN;
	}
	reader->schema = found;
	return FORMATS_OK;
}

static int read_header(csperf_csv_reader *reader, const char *const *header,
	size_t ncolumns, unsigned long line)
{
	const csperf_record_schema *schema;

	if (reader->schema == NULL) {
		int status = infer_schema_from_header(reader, header, ncolumns, line);

		if (status != FORMATS_OK)
			return status;
	}
	schema = reader->schema;
	reader->ncolumns = ncolumns;
	for (size_t f = 0; f < schema->nfields; f++) {
		reader->column_of_field[f] = -1;
		reader->source_fields[f] = schema->fields[f].name;
	}

	for (size_t c = 0; c < ncolumns; c++) {
		int field = field_of_column(schema, header[c]);

		if (field < 0) {
			formats_error_set(reader->err, reader->path, line, header[c],
				header[c], "%s is not a column of %s records",
				header[c], schema->name);
			return FORMATS_EFORMAT;
		}
		if (reader->column_of_field[field] >= 0) {
			formats_error_set(reader->err, reader->path, line, header[c],
				header[c], "the column %s is there twice", header[c]);
			return FORMATS_EFORMAT;
		}
		reader->column_of_field[field] = (int)c;
	}
	for (size_t f = 0; f < schema->nfields; f++) {
		if (schema->fields[f].required && reader->column_of_field[f] < 0) {
			formats_error_set(reader->err, reader->path, line,
				schema->fields[f].name, NULL,
				"%s records need a %s column",
				schema->name, schema->fields[f].name);
			return FORMATS_EFORMAT;
		}
	}
	reader->header_read = true;
	return FORMATS_OK;
}

static bool all_empty(const char *const *fields, size_t nfields)
{
	for (size_t i = 0; i < nfields; i++) {
		if (fields[i][0] != '\0')
			return false;
	}
	return true;
}

static int on_csperf_row(const char *const *fields, size_t nfields,
	unsigned long line, void *opaque)
{
	csperf_csv_reader *reader = opaque;
	const csperf_record_schema *schema = reader->schema;
	formats_record record;

	if (!reader->header_read)
		return read_header(reader, fields, nfields, line);
	if (all_empty(fields, nfields))
		return 0;
	if (nfields != reader->ncolumns) {
		formats_error_set(reader->err, reader->path, line, NULL, NULL,
			"the header has %zu fields but this row has %zu",
			reader->ncolumns, nfields);
		return FORMATS_EFORMAT;
	}

	for (size_t f = 0; f < schema->nfields; f++) {
		int column = reader->column_of_field[f];

		reader->values[f] = column >= 0 ? fields[column] : "";
	}
	record.type = schema->type;
	record.file = reader->path;
	record.line = line;
	record.nvalues = schema->nfields;
	record.values = reader->values;
	record.source_fields = reader->source_fields;
	return reader->cb(&record, reader->ctx);
}

int formats_read_csperf_csv(const char *path, csperf_record_type type,
	formats_record_cb cb, void *ctx, formats_error *err)
{
	csperf_csv_reader reader = { .path = path, .cb = cb, .ctx = ctx,
		.err = err };
	int status;

	formats_error_clear(err);
	if (type != 0) {
		reader.schema = csperf_schema_by_type(type);
		if (reader.schema == NULL) {
			formats_error_set(err, path, 0, NULL, NULL,
				"record type %d is not known", (int)type);
			return FORMATS_EINVALID;
		}
	} else {
		reader.schema = schema_from_file_name(path);
	}

	status = csv_stream_read(path, on_csperf_row, &reader, err);
	if (status == FORMATS_OK && !reader.header_read) {
		formats_error_set(err, path, 1, NULL, NULL,
			"the file is empty: csperf CSV starts with a header row");
		status = FORMATS_EFORMAT;
	}
	return status;
}

int formats_csv_writer_open(formats_csv_writer **out, const char *path,
	csperf_record_type type, formats_error *err)
{
	formats_csv_writer *writer = NULL;
	const char *names[CSPERF_CSV_MAX_FIELDS];
	int status = FORMATS_OK;

	formats_error_clear(err);
	writer = calloc(1, sizeof(*writer));
	if (writer == NULL) {
		formats_error_set(err, path, 0, NULL, NULL, "out of memory");
		status = FORMATS_ENOMEM;
		goto cleanup;
	}
	snprintf(writer->path, sizeof(writer->path), "%s", path);
	writer->schema = csperf_schema_by_type(type);
	if (writer->schema == NULL) {
		formats_error_set(err, path, 0, NULL, NULL,
			"record type %d is not known", (int)type);
		status = FORMATS_EINVALID;
		goto cleanup;
	}
	writer->file = fopen(path, "wb");
	if (writer->file == NULL) {
		formats_error_set(err, path, 0, NULL, NULL, "cannot create: %s",
			strerror(errno));
		status = FORMATS_EIO;
		goto cleanup;
	}
	for (size_t i = 0; i < writer->schema->nfields; i++)
		names[i] = writer->schema->fields[i].name;
	if (!formats_csv_write_row(writer->file, names, writer->schema->nfields)) {
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

int formats_csv_writer_write(formats_csv_writer *writer,
	const char *const *values, size_t nvalues, formats_error *err)
{
	if (nvalues != writer->schema->nfields) {
		formats_error_set(err, writer->path, 0, NULL, NULL,
			"a %s record has %zu fields, not %zu",
			writer->schema->name, writer->schema->nfields, nvalues);
		return FORMATS_EINVALID;
	}
	if (!formats_csv_write_row(writer->file, values, nvalues)) {
		writer->failed = true;
		formats_error_set(err, writer->path, 0, NULL, NULL,
			"cannot write: %s", strerror(errno));
		return FORMATS_EIO;
	}
	return FORMATS_OK;
}

int formats_csv_writer_close(formats_csv_writer *writer, formats_error *err)
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
