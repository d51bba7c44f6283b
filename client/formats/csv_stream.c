/*
 * client/formats/csv_stream.c: the CSV plumbing of the readers and writers:
 * streaming a file through libcsv one row at a time, with the physical line
 * each row starts on, and writing a row.
 *
 * libcsv does not say where a row starts, and a quoted field may hold line
 * breaks, so the file is fed to it one physical line at a time: a row starts
 * on the first line with content that is fed while no row is in progress,
 * and ends when libcsv reports its end. Memory holds one read buffer, the row
 * being assembled and libcsv's own field buffer, each capped.
 */
#include "formats_internal.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK_SIZE (64 * 1024)

static const unsigned char utf8_bom[3] = { 0xef, 0xbb, 0xbf };

typedef struct csv_stream {
	const char *path;
	formats_error *err;
	csv_stream_row_cb row_cb;
	void *ctx;

	/* The row being assembled: its fields' bytes, each NUL-terminated,
	 * and where each starts. */
	char *row_bytes;
	size_t row_length;
	size_t row_capacity;
	size_t *field_starts;
	const char **fields;
	size_t nfields;

	unsigned long line;       /* the physical line being fed */
	unsigned long row_line;   /* the line the row in progress started on */
	bool row_in_progress;
	bool line_has_content;

	int status;               /* the first error, or row_cb's stop value */
} csv_stream;

static void stream_fail(csv_stream *stream, int code, const char *message)
{
	if (stream->status != 0)
		return;
	stream->status = code;
	formats_error_set(stream->err, stream->path, stream->line, NULL, NULL,
		"%s", message);
}

static void stream_fail_too_many_fields(csv_stream *stream)
{
	if (stream->status != 0)
		return;
	stream->status = FORMATS_EFORMAT;
	formats_error_set(stream->err, stream->path, stream->line, NULL, NULL,
		"the row has more than %d fields", CSV_STREAM_MAX_FIELDS);
}

static bool grow_row(csv_stream *stream, size_t needed)
{
	size_t capacity = stream->row_capacity > 0 ? stream->row_capacity : 256;
	char *grown;

	while (capacity < needed)
		capacity *= 2;
	grown = realloc(stream->row_bytes, capacity);
	if (grown == NULL)
		return false;
	stream->row_bytes = grown;
	stream->row_capacity = capacity;
	return true;
}

/* libcsv: a field has ended. */
static void on_field(void *data, size_t length, void *opaque)
{
	csv_stream *stream = opaque;
	size_t needed = stream->row_length + length + 1;

	if (stream->status != 0)
		return;
	if (stream->nfields >= CSV_STREAM_MAX_FIELDS) {
		stream_fail_too_many_fields(stream);
		return;
	}
	if (needed > CSV_STREAM_MAX_ROW_BYTES) {
		stream_fail(stream, FORMATS_EFORMAT,
			"the row is longer than 1 MiB");
		return;
	}
	if (needed > stream->row_capacity && !grow_row(stream, needed)) {
		stream_fail(stream, FORMATS_ENOMEM, "out of memory");
		return;
	}
	if (length > 0)
		memcpy(stream->row_bytes + stream->row_length, data, length);
	stream->row_bytes[stream->row_length + length] = '\0';
	stream->field_starts[stream->nfields++] = stream->row_length;
	stream->row_length = needed;
}

/* libcsv: a row has ended. */
static void on_row(int terminator, void *opaque)
{
	csv_stream *stream = opaque;
	int stop;

	(void)terminator;
	stream->row_in_progress = false;
	if (stream->status != 0)
		return;
	for (size_t i = 0; i < stream->nfields; i++)
		stream->fields[i] = stream->row_bytes + stream->field_starts[i];
	stop = stream->row_cb(stream->fields, stream->nfields, stream->row_line,
		stream->ctx);
	if (stop != 0)
		stream->status = stop;
	stream->nfields = 0;
	stream->row_length = 0;
}

/* Notes where a row starts: the first character other than blank space on
 * a line fed while no row is in progress. */
static void note_row_start(csv_stream *stream, const char *segment,
	size_t length)
{
	if (stream->row_in_progress || stream->line_has_content)
		return;
	for (size_t i = 0; i < length; i++) {
		char c = segment[i];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			stream->line_has_content = true;
			stream->row_in_progress = true;
			stream->row_line = stream->line;
			return;
		}
	}
}

/* Feeds one chunk of the file to libcsv, a physical line (or the part of it
 * in this chunk) at a time. */
static void feed_chunk(csv_stream *stream, struct csv_parser *parser,
	const char *chunk, size_t length)
{
	size_t position = 0;

	while (position < length && stream->status == 0) {
		const char *newline = memchr(chunk + position, '\n',
			length - position);
		size_t segment_end = newline != NULL ?
			(size_t)(newline - chunk) + 1 : length;
		size_t segment_length = segment_end - position;

		note_row_start(stream, chunk + position, segment_length);
		if (csv_parse(parser, chunk + position, segment_length, on_field,
			    on_row, stream) != segment_length) {
			stream_fail(stream, FORMATS_EFORMAT,
				"the CSV is malformed here: a quote that does not open or close a field");
			return;
		}
		if (csv_get_buffer_size(parser) > CSV_STREAM_MAX_ROW_BYTES) {
			stream_fail(stream, FORMATS_EFORMAT,
				"a field is longer than 1 MiB");
			return;
		}
		if (newline != NULL) {
			stream->line++;
			stream->line_has_content = false;
		}
		position = segment_end;
	}
}

int csv_stream_read(const char *path, csv_stream_row_cb row_cb, void *ctx,
	formats_error *err)
{
	csv_stream stream = { .path = path, .err = err, .row_cb = row_cb,
		.ctx = ctx, .line = 1 };
	struct csv_parser parser;
	bool parser_ready = false;
	char *chunk = NULL;
	FILE *file = NULL;
	bool first_chunk = true;
	size_t nread;

	file = fopen(path, "rb");
	if (file == NULL) {
		formats_error_set(err, path, 0, NULL, NULL, "cannot open: %s",
			strerror(errno));
		stream.status = FORMATS_EIO;
		goto cleanup;
	}
	chunk = malloc(READ_CHUNK_SIZE);
	stream.field_starts = malloc(CSV_STREAM_MAX_FIELDS *
		sizeof(*stream.field_starts));
	stream.fields = malloc(CSV_STREAM_MAX_FIELDS * sizeof(*stream.fields));
	if (chunk == NULL || stream.field_starts == NULL || stream.fields == NULL ||
	    csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		stream_fail(&stream, FORMATS_ENOMEM, "out of memory");
		goto cleanup;
	}
	parser_ready = true;

	while (stream.status == 0 &&
	       (nread = fread(chunk, 1, READ_CHUNK_SIZE, file)) > 0) {
		size_t skip = 0;

		if (first_chunk && nread >= sizeof(utf8_bom) &&
		    memcmp(chunk, utf8_bom, sizeof(utf8_bom)) == 0)
			skip = sizeof(utf8_bom);
		first_chunk = false;
		feed_chunk(&stream, &parser, chunk + skip, nread - skip);
	}
	if (stream.status != 0)
		goto cleanup;
	if (ferror(file)) {
		stream_fail(&stream, FORMATS_EIO, "cannot read the file");
		goto cleanup;
	}
	if (csv_fini(&parser, on_field, on_row, &stream) != 0) {
		stream.line = stream.row_line;
		stream_fail(&stream, FORMATS_EFORMAT,
			"the file ends inside a quoted field that starts on this line");
	}

cleanup:
	if (parser_ready)
		csv_free(&parser);
	if (file != NULL)
		fclose(file);
	free(chunk);
	free(stream.row_bytes);
	free(stream.field_starts);
	free(stream.fields);
	return stream.status;
}

bool formats_csv_write_row(FILE *file, const char *const *fields,
	size_t nfields)
{
	for (size_t i = 0; i < nfields; i++) {
		const char *field = fields[i] != NULL ? fields[i] : "";

		if (i > 0 && fputc(',', file) == EOF)
			return false;
		if (csv_fwrite(file, field, strlen(field)) != 0)
			return false;
	}
	return fputs("\r\n", file) != EOF;
}
