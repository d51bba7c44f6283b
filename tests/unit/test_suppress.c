/* test_suppress.c: the send filter's walk (handlers/suppress.c): every
 * number of every reply message is classified, counts from 1 to the
 * threshold are hidden and marked, a rate whose numerator is small is
 * hidden with it, and nothing else is touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handlers/suppress.h"

#include "csperf/v1/costs.pb-c.h"
#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"
#include "csperf/v1/service.pb-c.h"

#define MAX_MESSAGES 128

typedef struct reachable {
	const ProtobufCMessageDescriptor *items[MAX_MESSAGES];
	size_t count;
} reachable;

static void reach(reachable *r, const ProtobufCMessageDescriptor *d)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->items[i] == d)
			return;
	assert_true(r->count < MAX_MESSAGES);
	r->items[r->count++] = d;
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
			reach(r, d->fields[i].descriptor);
}

/* Every message type a reply of csperf.v1.Performance can hold. */
static void replies(reachable *r)
{
	const ProtobufCServiceDescriptor *s = &csperf__v1__performance__descriptor;

	r->count = 0;
	for (unsigned m = 0; m < s->n_methods; m++)
		reach(r, s->methods[m].output);
}

static bool in(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static bool is_number(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE: case PROTOBUF_C_TYPE_BOOL:
	case PROTOBUF_C_TYPE_ENUM: case PROTOBUF_C_TYPE_BYTES:
		return false;
	default:
		return true;
	}
}

static void test_every_number_of_every_reply_is_classified(void **state)
{
	reachable r;
	char name[256];
	size_t numbers = 0, unclassified = 0;

	(void)state;
	replies(&r);
	assert_true(r.count > 20);
	for (size_t i = 0; i < r.count; i++) {
		for (unsigned k = 0; k < r.items[i]->n_fields; k++) {
			const ProtobufCFieldDescriptor *f = &r.items[i]->fields[k];
			bool count, not_count;

			if (!is_number(f))
				continue;
			/* A Figure's own value is classified by where the Figure is. */
			if (r.items[i] == &csperf__v1__figure__descriptor)
				continue;
			numbers++;
			snprintf(name, sizeof(name), "%s.%s", r.items[i]->name, f->name);
			count = in(suppress_counts, name);
			not_count = in(suppress_not_counts, name);
			if (count == not_count) {
				print_error("%s is %s: add it to suppress_counts or "
					    "suppress_not_counts (handlers/suppress.c)\n", name,
					    count ? "in both lists" : "in neither list");
				unclassified++;
			}
		}
	}
	assert_int_equal(unclassified, 0);
	assert_true(numbers > 30);
}

/* Each listed name is a field of a reply message (no stale entry). */
static void check_listed(const char *const *list, const reachable *r)
{
	for (size_t i = 0; list[i] != NULL; i++) {
		bool found = false;

		for (size_t m = 0; m < r->count && !found; m++) {
			size_t len = strlen(r->items[m]->name);

			found = strncmp(list[i], r->items[m]->name, len) == 0 && list[i][len] == '.' &&
				protobuf_c_message_descriptor_get_field_by_name(r->items[m],
										list[i] + len + 1) != NULL;
		}
		if (!found)
			fail_msg("%s names no field of a reply", list[i]);
	}
}

static void test_lists_name_fields(void **state)
{
	reachable r;

	(void)state;
	replies(&r);
	check_listed(suppress_counts, &r);
	check_listed(suppress_not_counts, &r);
}

static Csperf__V1__Figure *fig(Csperf__V1__Figure *f, double value)
{
	csperf__v1__figure__init(f);
	f->present = true;
	f->value = value;
	return f;
}

static void test_scorecard_row(void **state)
{
	Csperf__V1__ScorecardRow row = CSPERF__V1__SCORECARD_ROW__INIT;
	Csperf__V1__Figure value, numerator, denominator, previous, target, cmp_value, trend_value;
	Csperf__V1__Comparator cmp = CSPERF__V1__COMPARATOR__INIT, *cmps[1] = { &cmp };
	Csperf__V1__PeriodValue pv = CSPERF__V1__PERIOD_VALUE__INIT, *trend[1] = { &pv };

	(void)state;
	/* A count indicator: 3 children now, 2 last quarter, target 4. */
	row.unit = "count";
	row.value = fig(&value, 3);
	row.numerator = fig(&numerator, 3);
	row.denominator = fig(&denominator, 0);
	denominator.present = false;
	row.previous = fig(&previous, 2);
	row.target = fig(&target, 4);
	cmp.value = fig(&cmp_value, 2.0);
	row.n_comparators = 1;
	row.comparators = cmps;
	pv.value = fig(&trend_value, 12);
	row.n_trend = 1;
	row.trend = trend;
	row.version = 3;
	assert_int_equal(suppress_message(&row.base, 4), 4);
	assert_false(value.present);
	assert_true(value.suppressed);
	assert_false(numerator.present);
	assert_true(numerator.suppressed);
	assert_true(row.suppressed);
	assert_false(previous.present);
	assert_true(previous.suppressed);
	assert_false(cmp_value.present);
	/* Not counts, or not small: untouched. */
	assert_true(target.present && target.value == 4);
	assert_true(trend_value.present && trend_value.value == 12);
	assert_int_equal(row.version, 3);
	/* Threshold 0: nothing is hidden. */
	previous.present = true;
	assert_int_equal(suppress_message(&row.base, 0), 0);
}

static void test_percentage(void **state)
{
	Csperf__V1__ScorecardRow row = CSPERF__V1__SCORECARD_ROW__INIT;
	Csperf__V1__Figure value, numerator, denominator, previous;

	(void)state;
	/* 4.0% from 40 of 1,000: not a count, shown. */
	row.unit = "percent";
	row.value = fig(&value, 4);
	row.numerator = fig(&numerator, 40);
	row.denominator = fig(&denominator, 1000);
	row.previous = fig(&previous, 3);
	assert_int_equal(suppress_message(&row.base, 4), 0);
	assert_true(value.present && previous.present);
	/* 75% from 3 of 4: the derived rule hides the three. */
	numerator.value = 3;
	denominator.value = 4;
	value.value = 75;
	assert_int_equal(suppress_message(&row.base, 4), 3);
	assert_false(value.present);
	assert_true(value.suppressed);
	assert_false(denominator.present);
}

static void test_plain_counts_and_unknown_methods(void **state)
{
	Csperf__V1__PlacementCostFigures costs = CSPERF__V1__PLACEMENT_COST_FIGURES__INIT;

	(void)state;
	costs.children = 2;
	costs.placements = 9;
	costs.actual_pence = 3;
	assert_int_equal(suppress_message(&costs.base, 4), 1);
	assert_int_equal(costs.children, 0);
	assert_int_equal(costs.placements, 9);
	assert_int_equal(costs.actual_pence, 3);
	assert_ptr_equal(suppress_reply_descriptor("/csperf.v1.Performance/GetScorecard"),
			 &csperf__v1__get_scorecard_response__descriptor);
	assert_ptr_equal(suppress_reply_descriptor("/csperf.v1.Performance/GetIndicatorCases"),
			 &csperf__v1__indicator_cases__descriptor);
	assert_non_null(suppress_reply_descriptor("/grpc.health.v1.Health/Check"));
	assert_null(suppress_reply_descriptor("/csperf.v1.Performance/NoSuchMethod"));
	assert_null(suppress_reply_descriptor("/csperf.v1.Performanc/GetScorecard"));
	assert_null(suppress_reply_descriptor("GetScorecard"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_number_of_every_reply_is_classified),
		cmocka_unit_test(test_lists_name_fields),
		cmocka_unit_test(test_scorecard_row),
		cmocka_unit_test(test_percentage),
		cmocka_unit_test(test_plain_counts_and_unknown_methods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
