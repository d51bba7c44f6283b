/*
 * client/formats/formats_internal.h: what the readers and writers share:
 * filling a formats_error, streaming a CSV file row by row with the physical
 * line each row starts on, and writing a CSV row.
 */
#ifndef CSPERF_FORMATS_INTERNAL_H
#define CSPERF_FORMATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "formats.h"

/* Fills *err (if not NULL): file, line, field and value (NULL for ""), and a
 * printf-style message. */
void formats_error_set(formats_error *err, const char *file,
	unsigned long line, const char *field, const char *value,
	const char *format, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/* Clears *err (if not NULL). */
void formats_error_clear(formats_error *err);

/* ASCII case-insensitive comparison, as strcmp. */
int formats_ascii_casecmp(const char *left, const char *right);

/* Called once per CSV row, the header included, with the row's fields
 * (NUL-terminated, borrowed for the call) and the physical line the row
 * starts on. Non-zero stops reading and is returned by csv_stream_read. */
typedef int (*csv_stream_row_cb)(const char *const *fields, size_t nfields,
	unsigned long line, void *ctx);

/* The most a row may hold; beyond them a file is refused, so that memory
 * stays bounded whatever the file. */
#define CSV_STREAM_MAX_ROW_BYTES (1024 * 1024)
#define CSV_STREAM_MAX_FIELDS 1024

/* Streams the CSV file at `path` (RFC 4180: commas, double quotes, fields
 * with embedded line breaks) through row_cb. A leading UTF-8 byte order mark
 * is skipped, as are blank lines. Returns 0, row_cb's non-zero value, or
 * FORMATS_EIO, FORMATS_EFORMAT or FORMATS_ENOMEM with *err filled. Line
 * numbers count LF; files with CR alone as line end read as one line. */
int csv_stream_read(const char *path, csv_stream_row_cb row_cb, void *ctx,
	formats_error *err);

/* Writes one CSV row: every field quoted (NULL as ""), then CRLF. Returns
 * false if it did not all reach the stream. */
bool formats_csv_write_row(FILE *file, const char *const *fields,
	size_t nfields);

#endif
