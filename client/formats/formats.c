/*
 * client/formats/formats.c: what the readers share: error codes and
 * messages, and validating a record read from a file in the words of the
 * file's own columns.
 */
#include "formats_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

const char *formats_strerror(int code)
{
	switch (code) {
	case FORMATS_OK: return "no error";
	case FORMATS_EIO: return "the file cannot be read or written";
	case FORMATS_EFORMAT: return "the file is not well-formed";
	case FORMATS_EUNKNOWN: return "not a kind of file csperf reads";
	case FORMATS_ENOMEM: return "out of memory";
	case FORMATS_EINVALID: return "a bad argument or option";
	case FORMATS_EREJECTED: return "the record is not valid";
	default: return "unknown error";
	}
}

static void copy_bounded(char *dest, size_t size, const char *src)
{
	size_t length = src != NULL ? strlen(src) : 0;

	if (length >= size)
		length = size - 1;
	if (length > 0)
		memcpy(dest, src, length);
	dest[length] = '\0';
}

void formats_error_clear(formats_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

void formats_error_set(formats_error *err, const char *file,
	unsigned long line, const char *field, const char *value,
	const char *format, ...)
{
	va_list args;

	if (err == NULL)
		return;
	copy_bounded(err->file, sizeof(err->file), file);
	err->line = line;
	copy_bounded(err->field, sizeof(err->field), field);
	copy_bounded(err->value, sizeof(err->value), value);
	va_start(args, format);
	vsnprintf(err->message, sizeof(err->message), format, args);
	va_end(args);
}

int formats_ascii_casecmp(const char *left, const char *right)
{
	for (;; left++, right++) {
		int left_char = (unsigned char)*left;
		int right_char = (unsigned char)*right;

		if (left_char >= 'A' && left_char <= 'Z')
			left_char += 'a' - 'A';
		if (right_char >= 'A' && right_char <= 'Z')
			right_char += 'a' - 'A';
		if (left_char != right_char || left_char == '\0')
			return left_char - right_char;
	}
}

int formats_record_validate(const formats_record *rec, formats_error *err)
{
	const csperf_record_schema *schema = csperf_schema_by_type(rec->type);
	csperf_validation_error validation;
	const char *field_name = NULL;

	if (schema == NULL) {
		formats_error_set(err, rec->file, rec->line, NULL, NULL,
			"record type %d is not known", (int)rec->type);
		return FORMATS_EINVALID;
	}
	if (csperf_record_validate(schema, rec->values, rec->nvalues,
		    &validation) == 0)
		return FORMATS_OK;

	if (validation.field >= 0)
		field_name = rec->source_fields != NULL &&
			rec->source_fields[validation.field] != NULL ?
			rec->source_fields[validation.field] :
			schema->fields[validation.field].name;
	formats_error_set(err, rec->file, rec->line, field_name,
		validation.value, "%s", "");
	if (err != NULL)
		csperf_validation_describe(schema, &validation, rec->source_fields,
			err->message, sizeof(err->message));
	return FORMATS_EREJECTED;
}
