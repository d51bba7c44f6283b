/*
 * utf8.h: text cut and checked as UTF-8, so that what csperfd writes (audit
 * lines, messages to clients) is never cut inside a character and never
 * refused by PostgreSQL (SQLSTATE 22021) or a client's decoder.
 */
#ifndef CSPERF_SERVER_UTF8_H
#define CSPERF_SERVER_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length of the well-formed UTF-8 character at text (at most len bytes
 * read), or 0 when none starts there (a stray continuation byte, an overlong
 * form, a surrogate, above U+10FFFF, or cut short). */
size_t utf8_char_length(const char *text, size_t len);

/* The longest prefix of text, at most max bytes, that ends on a character
 * boundary (a character cut short at max is left out whole). */
size_t utf8_prefix(const char *text, size_t max);

/* Cuts a character left incomplete at the end of text (e.g. by snprintf). */
void utf8_trim_end(char *text);

/* Replaces each byte that is not part of a well-formed character with '?',
 * in place: the text is then valid UTF-8 of the same length. Returns
 * whether anything was replaced. */
bool utf8_scrub(char *text);

#endif
