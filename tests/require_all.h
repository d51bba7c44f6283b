/*
 * require_all.h: a test that cannot run here (shared data, a program not
 * installed) skips, and says why; under CSPERF_REQUIRE_ALL_TESTS=1 (set by
 * .ci/run) the skip is a failure, so that CI never counts a test it did not
 * run as passed. Include after <cmocka.h>.
 */
#ifndef CSPERF_TESTS_REQUIRE_ALL_H
#define CSPERF_TESTS_REQUIRE_ALL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int csperf_require_all_tests(void)
{
	const char *value = getenv("CSPERF_REQUIRE_ALL_TESTS");

	return value != NULL && strcmp(value, "1") == 0;
}

#define CSPERF_SKIP(reason) do { \
	if (csperf_require_all_tests()) \
		fail_msg("%s: a skip, and CSPERF_REQUIRE_ALL_TESTS=1 makes every skip a failure", \
			 (reason)); \
	printf("skipped: %s\n", (reason)); \
	skip(); \
} while (0)

#endif
