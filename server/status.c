/* status.c: filling a status and naming its code. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>

#include "utf8.h"

int status_set(status *st, status_code code, const char *fmt, ...)
{
	va_list ap;

	if (st == NULL)
		return -1;
	st->code = code;
	va_start(ap, fmt);
	vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
	/* A message cut at its size ends on a character boundary. */
	utf8_trim_end(st->message);
	return -1;
}

const char *status_code_name(status_code code)
{
	static const char *const names[] = {
		"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
		"DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
		"PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
		"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
		"UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
	};

	if ((unsigned)code < sizeof(names) / sizeof(names[0]))
		return names[code];
	return "UNKNOWN";
}
