/*
 * test_utf8.c: cutting and scrubbing text as UTF-8 (server/utf8.c), which
 * keeps audit lines and status messages writable and readable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "status.h"
#include "utf8.h"

static void test_prefix_ends_on_a_character_boundary(void **state)
{
	/* "a" then e-acute (2 bytes), euro (3), a smiley (4). */
	const char *text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";

	(void)state;
	assert_int_equal(utf8_prefix(text, 0), 0);
	assert_int_equal(utf8_prefix(text, 1), 1);
	assert_int_equal(utf8_prefix(text, 2), 1);
	assert_int_equal(utf8_prefix(text, 3), 3);
	assert_int_equal(utf8_prefix(text, 4), 3);
	assert_int_equal(utf8_prefix(text, 5), 3);
	assert_int_equal(utf8_prefix(text, 6), 6);
	for (size_t cut = 7; cut < 10; cut++)
		assert_int_equal(utf8_prefix(text, cut), 6);
	assert_int_equal(utf8_prefix(text, 10), 10);
	assert_int_equal(utf8_prefix(text, 100), 11);
}

static void test_trim_and_scrub(void **state)
{
	char cut[] = "ab\xe2\x82";
	char bad[] = "a\xc3(\xff\xed\xa0\x80z\xc0\xaf";
	char good[] = "caf\xc3\xa9";

	(void)state;
	utf8_trim_end(cut);
	assert_string_equal(cut, "ab");
	assert_true(utf8_scrub(bad));
	/* A lone lead, 0xff, a surrogate, an overlong '/': each byte a '?'. */
	assert_string_equal(bad, "a?(????z??");
	assert_false(utf8_scrub(good));
	assert_string_equal(good, "caf\xc3\xa9");
}

/* A status message cut at its size never ends inside a character. */
static void test_status_message_cut_on_a_boundary(void **state)
{
	char value[600] = "";
	status st = STATUS_INIT;

	(void)state;
	while (strlen(value) + 3 < sizeof(value))
		strcat(value, "\xe2\x82\xac");
	for (int lead = 0; lead < 3; lead++) {
		status_set(&st, STATUS_INVALID_ARGUMENT, "%.*s%s", lead, "xxx", value);
		assert_true(utf8_prefix(st.message, strlen(st.message)) == strlen(st.message));
		assert_false(utf8_scrub(st.message));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_ends_on_a_character_boundary),
		cmocka_unit_test(test_trim_and_scrub),
		cmocka_unit_test(test_status_message_cut_on_a_boundary),
	};

	return cmocka_run_group_tests_name("unit_utf8", tests, NULL, NULL);
}
