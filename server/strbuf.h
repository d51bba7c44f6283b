/*
 * strbuf.h: a growing string, for the SQL and DDL csperfd writes (the
 * engine's indicator statements, the store's record-table statements).
 *
 * Start from STRBUF_INIT; strbuf_add appends printf-style. On allocation
 * failure the text is freed, `text` becomes NULL and `failed` stays true:
 * later adds do nothing, so callers check once at the end. The text is the
 * caller's (free).
 */
#ifndef CSPERF_SERVER_STRBUF_H
#define CSPERF_SERVER_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
	char *text;
	size_t length, capacity;
	bool failed;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_add(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
