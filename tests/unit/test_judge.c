/* test_judge.c: RAG, direction of travel and the exception tests, for every
 * polarity, on and around the target and tolerance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "engine/judge.h"

static judge_figure f(double v)
{
	judge_figure x = { true, v, false };

	return x;
}

static const judge_figure absent = { false, 0, false };

static void test_rag_higher_is_better(void **state)
{
	/* Target 90, tolerance 5: 90 and above green, 85 to 90 amber, below red. */
	assert_int_equal(judge_rag_of(POLARITY_UP, f(92), f(90), 5), RAG_GREEN);
	assert_int_equal(judge_rag_of(POLARITY_UP, f(90), f(90), 5), RAG_GREEN);   /* a tie is on target */
	assert_int_equal(judge_rag_of(POLARITY_UP, f(87.5), f(90), 5), RAG_AMBER);
	assert_int_equal(judge_rag_of(POLARITY_UP, f(85), f(90), 5), RAG_AMBER);   /* the edge of tolerance */
	assert_int_equal(judge_rag_of(POLARITY_UP, f(84.9), f(90), 5), RAG_RED);
	assert_int_equal(judge_rag_of(POLARITY_UP, f(89), f(90), 0), RAG_RED);     /* no tolerance */
}

static void test_rag_lower_is_better(void **state)
{
	assert_int_equal(judge_rag_of(POLARITY_DOWN, f(14), f(15), 3), RAG_GREEN);
	assert_int_equal(judge_rag_of(POLARITY_DOWN, f(15), f(15), 3), RAG_GREEN);
	assert_int_equal(judge_rag_of(POLARITY_DOWN, f(18), f(15), 3), RAG_AMBER);
	assert_int_equal(judge_rag_of(POLARITY_DOWN, f(24.5), f(15), 3), RAG_RED);
}

static void test_rag_none(void **state)
{
	assert_int_equal(judge_rag_of(POLARITY_NONE, f(24.5), f(15), 3), RAG_NONE);
	assert_int_equal(judge_rag_of(POLARITY_UP, f(24.5), absent, 3), RAG_NONE);  /* no target */
	assert_int_equal(judge_rag_of(POLARITY_UP, absent, f(15), 3), RAG_NONE);    /* no value */
	assert_string_equal(judge_rag_name(RAG_AMBER), "amber");
}

static void test_direction(void **state)
{
	assert_int_equal(judge_direction_of(POLARITY_UP, f(92), f(90)), DIRECTION_IMPROVING);
	assert_int_equal(judge_direction_of(POLARITY_UP, f(88), f(90)), DIRECTION_WORSENING);
	assert_int_equal(judge_direction_of(POLARITY_DOWN, f(88), f(90)), DIRECTION_IMPROVING);
	assert_int_equal(judge_direction_of(POLARITY_DOWN, f(92), f(90)), DIRECTION_WORSENING);
	/* Within half a percent of the earlier value: steady. */
	assert_int_equal(judge_direction_of(POLARITY_UP, f(90.4), f(90)), DIRECTION_STEADY);
	assert_int_equal(judge_direction_of(POLARITY_UP, f(90.5), f(90)), DIRECTION_IMPROVING);
	assert_int_equal(judge_direction_of(POLARITY_UP, f(0), f(0)), DIRECTION_STEADY);
	assert_int_equal(judge_direction_of(POLARITY_NONE, f(92), f(90)), DIRECTION_NONE);
	assert_int_equal(judge_direction_of(POLARITY_UP, f(92), absent), DIRECTION_NONE);
	assert_string_equal(judge_direction_name(DIRECTION_WORSENING), "worsening");
}

static void test_adverse_variance(void **state)
{
	judge_figure v = judge_adverse_variance(POLARITY_DOWN, f(24.5), f(15));

	/* CP05 in the issue: 24.5% against 15% is 63% worse than target. */
	assert_true(v.present);
	assert_int_equal((int)(v.value + 0.5), 63);
	v = judge_adverse_variance(POLARITY_UP, f(95), f(90));
	assert_true(v.value < 0);
	assert_false(judge_adverse_variance(POLARITY_UP, f(95), f(0)).present);
	assert_false(judge_adverse_variance(POLARITY_NONE, f(95), f(90)).present);
}

static void test_worse_three_running(void **state)
{
	judge_figure worse[4] = { f(92.1), f(90.8), f(89.0), f(88.2) };
	judge_figure mixed[4] = { f(92.1), f(90.8), f(91.0), f(88.2) };
	judge_figure gap[4] = { f(92.1), absent, f(89.0), f(88.2) };
	judge_figure rising[4] = { f(10), f(11), f(12), f(13) };

	assert_true(judge_worse_three_running(POLARITY_UP, worse, 4));
	assert_false(judge_worse_three_running(POLARITY_UP, mixed, 4));
	assert_false(judge_worse_three_running(POLARITY_UP, gap, 4));
	assert_true(judge_worse_three_running(POLARITY_DOWN, rising, 4));
	assert_false(judge_worse_three_running(POLARITY_NONE, rising, 4));
	assert_false(judge_worse_three_running(POLARITY_DOWN, rising, 3));
}

static void test_format(void **state)
{
	char out[64];

	judge_format("percent", f(92.14), out, sizeof(out));
	assert_string_equal(out, "92.1%");
	judge_format("count", f(1201), out, sizeof(out));
	assert_string_equal(out, "1,201");
	judge_format("pounds", f(1234567.4), out, sizeof(out));
	assert_string_equal(out, "\xc2\xa3" "1,234,567");
	judge_format("rate", f(70.63), out, sizeof(out));
	assert_string_equal(out, "70.6 per 10,000");
	judge_format("days", f(233.4), out, sizeof(out));
	assert_string_equal(out, "233 days");
	judge_format("count", absent, out, sizeof(out));
	assert_string_equal(out, "-");
	judge_format("count", f(-1234), out, sizeof(out));
	assert_string_equal(out, "-1,234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rag_higher_is_better),
		cmocka_unit_test(test_rag_lower_is_better),
		cmocka_unit_test(test_rag_none),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_adverse_variance),
		cmocka_unit_test(test_worse_three_running),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("unit_judge", tests, NULL, NULL);
}
