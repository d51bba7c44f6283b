/*
 * tests/unit/test_cin_xml.c: reading CIN census XML
 * (client/formats/cin_xml.c) and validating what it holds, on the shared
 * fake returns of the 2021 to 2026 schemas and on small fixtures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../require_all.h"

#include "formats.h"
#include "schema.h"

#define CIN_DATA CSPERF_SHARED_DATA "/cin-census-fake"
#define FIXTURE(name) CSPERF_FIXTURES "/" name

#define MAX_KEPT 24
#define MAX_VALUES 16
#define MAX_REJECTIONS 16

typedef struct kept_record {
	csperf_record_type type;
	unsigned long line;
	size_t nvalues;
	char values[MAX_VALUES][64];
	char source_fields[MAX_VALUES][40];
	bool rejected;
} kept_record;

typedef struct collector {
	int records[CSPERF_RECORD_TYPE_LAST + 1];
	int rejected[CSPERF_RECORD_TYPE_LAST + 1];
	kept_record kept[MAX_KEPT];
	size_t nkept;
	formats_error rejections[MAX_REJECTIONS];
	size_t nrejections;
	int stop_after;
	int seen;
} collector;

static int collect(const formats_record *rec, void *opaque)
{
	collector *sink = opaque;
	formats_error rejection;
	bool rejected = formats_record_validate(rec, &rejection) != FORMATS_OK;

	assert_in_range(rec->type, 1, CSPERF_RECORD_TYPE_LAST);
	assert_int_equal(rec->nvalues, csperf_schema_by_type(rec->type)->nfields);
	sink->records[rec->type]++;
	if (rejected) {
		sink->rejected[rec->type]++;
		if (sink->nrejections < MAX_REJECTIONS)
			sink->rejections[sink->nrejections++] = rejection;
	}
	if (sink->nkept < MAX_KEPT) {
		kept_record *kept = &sink->kept[sink->nkept++];

		kept->type = rec->type;
		kept->line = rec->line;
		kept->nvalues = rec->nvalues;
		for (size_t i = 0; i < rec->nvalues && i < MAX_VALUES; i++) {
			snprintf(kept->values[i], sizeof(kept->values[i]), "%s",
				rec->values[i]);
			snprintf(kept->source_fields[i], sizeof(kept->source_fields[i]),
				"%s", rec->source_fields[i] != NULL ?
				rec->source_fields[i] : "(none)");
		}
		kept->rejected = rejected;
	}
	sink->seen++;
	return sink->stop_after > 0 && sink->seen >= sink->stop_after ? 5 : 0;
}

static bool shared_data_present(void)
{
	FILE *probe = fopen(CIN_DATA "/fake_CIN_data.xml", "rb");

	if (probe == NULL) {
		print_message("skipped: the shared CIN census test data are not at %s\n",
			CIN_DATA);
		return false;
	}
	fclose(probe);
	return true;
}

static int read_xml(const char *path, collector *sink, formats_error *err)
{
	memset(sink, 0, sizeof(*sink));
	return formats_read_cin_xml(path, collect, sink, err);
}

static void assert_record(const kept_record *kept, csperf_record_type type,
	unsigned long line, const char *const *expected, size_t nexpected)
{
	assert_int_equal(kept->type, type);
	assert_int_equal(kept->line, line);
	assert_int_equal(kept->nvalues, nexpected);
	for (size_t i = 0; i < nexpected; i++)
		assert_string_equal(kept->values[i], expected[i]);
}

/* Records and rejections per type: child, referral, assessment, cin_plan,
 * s47, cp_plan, cp_review, in that order. */
typedef struct expected_counts {
	int records[7];
	int rejected[7];
} expected_counts;

static const csperf_record_type cin_types[7] = {
	CSPERF_RECORD_CHILD, CSPERF_RECORD_REFERRAL, CSPERF_RECORD_ASSESSMENT,
	CSPERF_RECORD_CIN_PLAN, CSPERF_RECORD_S47, CSPERF_RECORD_CP_PLAN,
	CSPERF_RECORD_CP_REVIEW,
};

static void assert_counts(const collector *sink, const expected_counts *expected)
{
	int total = 0;

	for (int i = 0; i < 7; i++) {
		assert_int_equal(sink->records[cin_types[i]], expected->records[i]);
		assert_int_equal(sink->rejected[cin_types[i]], expected->rejected[i]);
		total += expected->records[i];
	}
	assert_int_equal(sink->seen, total);
}

static void test_fake_cin_data_reads_every_child_and_referral(void **state)
{
	static collector sink;
	formats_error err;
	/* 5 children have a disability code twice (CIN rule 8794) */
	static const expected_counts expected = {
		{ 332, 402, 0, 0, 0, 0, 0 }, { 5, 0, 0, 0, 0, 0, 0 },
	};
	static const char *const first_child[] = {
		"RND000215205141", "M", "2019-12-06", "", "WIRT", "",
	};
	static const char *const first_referral[] = {
		"RND000215205141", "2020-07-13", "4", "N6", "true", "2021-06-11",
		"RC2", "2020-09-29",
	};

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	assert_int_equal(read_xml(CIN_DATA "/fake_CIN_data.xml", &sink, &err),
		FORMATS_OK);
	assert_counts(&sink, &expected);
	assert_record(&sink.kept[0], CSPERF_RECORD_CHILD, 18, first_child, 6);
	assert_record(&sink.kept[1], CSPERF_RECORD_REFERRAL, 28, first_referral, 8);
	assert_string_equal(sink.kept[1].source_fields[1], "CINreferralDate");
	assert_string_equal(sink.kept[1].source_fields[0], "LAchildID");

	assert_string_equal(sink.rejections[0].file, CIN_DATA "/fake_CIN_data.xml");
	assert_int_equal(sink.rejections[0].line, 1433);
	assert_string_equal(sink.rejections[0].field, "Disability");
	assert_string_equal(sink.rejections[0].value, "MOB MOB");
	assert_string_equal(sink.rejections[0].message,
		"Disability MOB MOB has MOB twice");
}

static void test_2021_schema_fills_every_record_type(void **state)
{
	static collector sink;
	formats_error err;
	static const expected_counts expected = {
		{ 1, 1, 1, 1, 1, 1, 1 }, { 0, 0, 1, 0, 1, 1, 0 },
	};
	static const char *const child[] = {
		"DfEX0000001", "M", "1965-03-27", "1066-04-13", "WBRI", "HAND HEAR",
	};
	static const char *const assessment[] = {
		"DfEX0000001", "1970-10-06", "1970-06-03", "1971-07-18", "2A 2B",
	};
	static const char *const cin_plan[] = {
		"DfEX0000001", "1970-10-06", "1971-01-24", "1971-01-26",
	};
	static const char *const s47[] = {
		"DfEX0000001", "1970-10-06", "1970-06-02", "1970-06-23",
		"1970-06-17", "false", "",
	};
	static const char *const cp_review[] = {
		"DfEX0000001", "1970-10-06", "1970-02-17", "1971-02-15",
	};
	static const char *const cp_plan[] = {
		"DfEX0000001", "1970-10-06", "1970-02-17", "1971-03-14", "PHY", "PHY",
		"10",
	};
	static const char *const referral[] = {
		"DfEX0000001", "1970-10-06", "1A", "N4", "false", "1971-02-27", "RC1",
		"1970-12-06",
	};

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	assert_int_equal(read_xml(CIN_DATA "/CIN_Census_2021.xml", &sink, &err),
		FORMATS_OK);
	assert_counts(&sink, &expected);
	/* each record as its element ends; the referral last, complete */
	assert_record(&sink.kept[0], CSPERF_RECORD_CHILD, 18, child, 6);
	assert_record(&sink.kept[1], CSPERF_RECORD_ASSESSMENT, 43, assessment, 5);
	assert_record(&sink.kept[2], CSPERF_RECORD_CIN_PLAN, 52, cin_plan, 4);
	assert_record(&sink.kept[3], CSPERF_RECORD_S47, 56, s47, 7);
	assert_record(&sink.kept[4], CSPERF_RECORD_CP_REVIEW, 70, cp_review, 4);
	assert_record(&sink.kept[5], CSPERF_RECORD_CP_PLAN, 63, cp_plan, 7);
	assert_record(&sink.kept[6], CSPERF_RECORD_REFERRAL, 36, referral, 8);
	assert_string_equal(sink.kept[4].source_fields[2], "CPPstartDate");

	/* a sample that exercises every element, not one that is valid */
	assert_int_equal(sink.rejections[0].line, 43);
	assert_string_equal(sink.rejections[0].message,
		"AssessmentActualStartDate 1970-06-03 is before CINreferralDate 1970-10-06");
	assert_string_equal(sink.rejections[1].message,
		"DateOfInitialCPC 1970-06-17 is before CINreferralDate 1970-10-06");
	assert_string_equal(sink.rejections[2].message,
		"CPPstartDate 1970-02-17 is before CINreferralDate 1970-10-06");
}

static void test_2024_and_2026_schemas_read_alike(void **state)
{
	static const char *const files[] = {
		CIN_DATA "/CIN_Census_2024.xml", CIN_DATA "/CIN_Census_2026.xml",
	};
	/* Child 1: <Sex>1</Sex> is not M, F or U from 2024; its assessment has
	 * factor RB; its ICPC and plan start before its referral. Child 2's id
	 * has 23 characters, over the CIN census's 20, which fails its child,
	 * referral and assessment. */
	static const expected_counts expected = {
		{ 2, 2, 2, 1, 1, 1, 1 }, { 2, 1, 2, 0, 1, 1, 0 },
	};
	static collector sink;

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	for (size_t i = 0; i < 2; i++) {
		formats_error err;

		assert_int_equal(read_xml(files[i], &sink, &err), FORMATS_OK);
		assert_counts(&sink, &expected);
		assert_int_equal(sink.rejections[0].line, 18);
		assert_string_equal(sink.rejections[0].field, "Sex");
		assert_string_equal(sink.rejections[0].message,
			"Sex 1 is not a sex code (M, F, U)");
		assert_int_equal(sink.rejections[1].line, 41);
		assert_string_equal(sink.rejections[1].message,
			"AssessmentFactors 1C RB 6B has RB, which is not an assessment factor code (1A, 1B, 1C, 2A, 2B, 2C, ...)");
		assert_string_equal(sink.rejections[4].field, "LAchildID");
		assert_string_equal(sink.rejections[4].message,
			"LAchildID child_fails_assessments is longer than 20 characters");
	}
}

static void test_fixture_values_and_lines(void **state)
{
	static collector sink;
	formats_error err;
	static const char *const first_child[] = {
		"T001", "U", "2012-06-30", "", "MWBA", "",
	};
	static const char *const first_referral[] = {
		"T001", "2024-05-01", "5D", "N1", "true", "", "", "",
	};
	static const char *const assessment[] = {
		"T001", "2024-09-02", "2024-09-03", "", "",
	};
	static const char *const second_review[] = {
		"T001", "2024-09-02", "2024-10-01", "2025-03-20",
	};
	static const char *const second_referral[] = {
		"T001", "2024-09-02", "3A", "N2", "false", "2024-08-30", "RC8", "",
	};
	static const char *const unborn_child[] = {
		"T002", "U", "", "2025-05-10", "NOBT", "",
	};

	(void)state;
	assert_int_equal(read_xml(FIXTURE("cin_small.xml"), &sink, &err),
		FORMATS_OK);
	assert_int_equal(sink.seen, 8);
	assert_record(&sink.kept[0], CSPERF_RECORD_CHILD, 11, first_child, 6);
	assert_record(&sink.kept[1], CSPERF_RECORD_REFERRAL, 22, first_referral, 8);
	assert_record(&sink.kept[2], CSPERF_RECORD_ASSESSMENT, 34, assessment, 5);
	assert_int_equal(sink.kept[3].type, CSPERF_RECORD_CP_REVIEW);
	assert_int_equal(sink.kept[3].line, 44);
	assert_record(&sink.kept[4], CSPERF_RECORD_CP_REVIEW, 45, second_review, 4);
	assert_int_equal(sink.kept[5].type, CSPERF_RECORD_CP_PLAN);
	assert_int_equal(sink.kept[5].line, 38);
	assert_record(&sink.kept[6], CSPERF_RECORD_REFERRAL, 28, second_referral, 8);
	assert_record(&sink.kept[7], CSPERF_RECORD_CHILD, 51, unborn_child, 6);

	assert_int_equal(sink.nrejections, 1);
	assert_int_equal(sink.rejections[0].line, 28);
	assert_string_equal(sink.rejections[0].message,
		"CINclosureDate 2024-08-30 is before CINreferralDate 2024-09-02");
}

static void test_a_truncated_file_is_an_error(void **state)
{
	static collector sink;
	formats_error err;
	const char *path = FIXTURE("cin_truncated.xml");

	(void)state;
	/* cut short in an end tag */
	assert_int_equal(read_xml(path, &sink, &err), FORMATS_EFORMAT);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 23);
	assert_string_equal(err.field, "CINreferralDate");
	assert_string_equal(err.value, "");
	assert_string_equal(err.message, "the XML is malformed: expected '>'");

	/* cut short between two elements */
	path = FIXTURE("cin_cut_between_elements.xml");
	assert_int_equal(read_xml(path, &sink, &err), FORMATS_EFORMAT);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 20);
	assert_string_equal(err.message,
		"the XML is malformed: the file ends before its elements are closed, so it is cut short");
}

static void test_a_malformed_file_is_an_error(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_xml(FIXTURE("cin_mismatched.xml"), &sink, &err),
		FORMATS_EFORMAT);
	assert_int_equal(err.line, 8);
	assert_string_equal(err.field, "ChildIdentifiers");
	assert_string_equal(err.message,
		"the XML is malformed: Opening and ending tag mismatch: ChildIdentifiers line 5 and ChildIdentifier");
	assert_int_equal(sink.seen, 0);
}

static void test_other_xml_is_not_a_cin_census(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_xml(FIXTURE("not_cin.xml"), &sink, &err),
		FORMATS_EUNKNOWN);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.field, "Return");
	assert_int_equal(sink.seen, 0);

	assert_int_equal(read_xml(FIXTURE("no_such_file.xml"), &sink, &err),
		FORMATS_EIO);
	assert_non_null(strstr(err.message, "cannot open"));
}

static void test_the_callback_can_stop_reading(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	sink.stop_after = 3;
	assert_int_equal(formats_read_cin_xml(FIXTURE("cin_small.xml"), collect,
		&sink, &err), 5);
	assert_int_equal(sink.seen, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fake_cin_data_reads_every_child_and_referral),
		cmocka_unit_test(test_2021_schema_fills_every_record_type),
		cmocka_unit_test(test_2024_and_2026_schemas_read_alike),
		cmocka_unit_test(test_fixture_values_and_lines),
		cmocka_unit_test(test_a_truncated_file_is_an_error),
		cmocka_unit_test(test_a_malformed_file_is_an_error),
		cmocka_unit_test(test_other_xml_is_not_a_cin_census),
		cmocka_unit_test(test_the_callback_can_stop_reading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
