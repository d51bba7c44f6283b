/* strbuf.c: a growing string (strbuf.h). */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void strbuf_add(strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int needed;

	if (b->failed)
		return;
	va_start(ap, fmt);
	needed = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (needed < 0) {
		free(b->text);
		b->text = NULL;
		b->failed = true;
		return;
	}
	if (b->length + (size_t)needed + 1 > b->capacity) {
		size_t capacity = (b->capacity + (size_t)needed + 1) * 2;
		char *text = realloc(b->text, capacity);

		if (text == NULL) {
			free(b->text);
			b->text = NULL;
			b->failed = true;
			return;
		}
		b->text = text;
		b->capacity = capacity;
	}
	va_start(ap, fmt);
	vsnprintf(b->text + b->length, b->capacity - b->length, fmt, ap);
	va_end(ap);
	b->length += (size_t)needed;
}
