/* utf8.c: see utf8.h. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t utf8_char_length(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t extra;
	uint32_t code;

	if (len == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		extra = 1;
		code = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		extra = 2;
		code = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		extra = 3;
		code = s[0] & 0x07;
	} else {
		return 0;   /* a continuation byte, 0xc0, 0xc1 or 0xf5.. */
	}
	if (len <= extra)
		return 0;
	for (size_t k = 1; k <= extra; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		code = (code << 6) | (s[k] & 0x3f);
	}
	if ((extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000) ||
	    (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
		return 0;
	return extra + 1;
}

size_t utf8_prefix(const char *text, size_t max)
{
	size_t len = strnlen(text, max), i = 0;

	while (i < len) {
		size_t n = utf8_char_length(text + i, len - i);

		/* A lead byte whose character does not fit before the end. */
		if (n == 0 && (unsigned char)text[i] >= 0xc2 && len - i < 4)
			return i;
		i += n > 0 ? n : 1;
	}
	return len;
}

void utf8_trim_end(char *text)
{
	text[utf8_prefix(text, strlen(text))] = '\0';
}

bool utf8_scrub(char *text)
{
	size_t len = strlen(text), i = 0;
	bool replaced = false;

	while (i < len) {
		size_t n = utf8_char_length(text + i, len - i);

		if (n == 0) {
			text[i++] = '?';
			replaced = true;
		} else {
			i += n;
		}
	}
	return replaced;
}
