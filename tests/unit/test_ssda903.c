/*
 * tests/unit/test_ssda903.c: reading SSDA903 tables (client/formats/ssda903.c)
 * and validating what they hold, on the shared fake return and on small
 * fixtures that exercise one behaviour each.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
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

#define SSDA903_DATA CSPERF_SHARED_DATA "/ssda903-fake"
#define FIXTURE(name) CSPERF_FIXTURES "/" name
#define OUTPUT(name) CSPERF_TEST_OUTPUT "/" name

#define MAX_KEPT 16
#define MAX_VALUES 16
#define MAX_REJECTIONS 64

/* One record as the callback saw it, with what validation said of it. */
typedef struct kept_record {
	csperf_record_type type;
	unsigned long line;
	size_t nvalues;
	char values[MAX_VALUES][64];
	char source_fields[MAX_VALUES][32];
	bool rejected;
	formats_error rejection;
} kept_record;

/* Counts records and rejections per type; keeps the first records, and the
 * first rejections. */
typedef struct collector {
	int records[CSPERF_RECORD_TYPE_LAST + 1];
	int rejected[CSPERF_RECORD_TYPE_LAST + 1];
	kept_record kept[MAX_KEPT];
	size_t nkept;
	formats_error rejections[MAX_REJECTIONS];
	size_t nrejections;
	int stop_after;      /* stop (returning 7) after this many; 0 never */
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
		kept->rejection = rejection;
	}
	sink->seen++;
	return sink->stop_after > 0 && sink->seen >= sink->stop_after ? 7 : 0;
}

static bool shared_data_present(void)
{
	DIR *dir = opendir(SSDA903_DATA);

	if (dir == NULL) {
		print_message("skipped: the shared SSDA903 test data are not at %s\n",
			SSDA903_DATA);
		return false;
	}
	closedir(dir);
	return true;
}

static int read_table(const char *path, int collection_year, collector *sink,
	formats_error *err)
{
	formats_ssda903_options opts = FORMATS_SSDA903_OPTIONS_INIT;

	opts.collection_year = collection_year;
	memset(sink, 0, sizeof(*sink));
	return formats_read_ssda903(path, &opts, collect, sink, err);
}

static void assert_values(const kept_record *kept, const char *const *expected,
	size_t nexpected)
{
	assert_int_equal(kept->nvalues, nexpected);
	for (size_t i = 0; i < nexpected; i++)
		assert_string_equal(kept->values[i], expected[i]);
}

/* What reading each file of the shared fake return must give. */
typedef struct expected_file {
	const char *name;
	int status;
	csperf_record_type type;
	int records;
	int rejected;
} expected_file;

static const expected_file expected_files[] = {
	{ "header.csv", FORMATS_OK, CSPERF_RECORD_CHILD, 2675, 0 },
	{ "episodes.csv", FORMATS_OK, CSPERF_RECORD_LA_EPISODE, 5050, 0 },
	{ "reviews.csv", FORMATS_OK, CSPERF_RECORD_LA_REVIEW, 12582, 0 },
	{ "oc2.csv", FORMATS_OK, CSPERF_RECORD_HEALTH, 2675, 0 },
	/* 12 ACTIV F3/P3 (codes no longer in the list), ACCOM 01 and 02 */
	{ "oc3.csv", FORMATS_OK, CSPERF_RECORD_CARE_LEAVER, 53, 14 },
	/* 12 whose number of adopters and adopters' sex code disagree */
	{ "ad1.csv", FORMATS_OK, CSPERF_RECORD_ADOPTION, 29, 12 },
	/* every REASON_PLACED_CEASED is XXX, not RD1 to RD4 */
	{ "placed_for_adoption.csv", FORMATS_OK,
	  CSPERF_RECORD_PLACED_FOR_ADOPTION, 29, 29 },
	{ "placed_for_adoption_errors.csv", FORMATS_OK,
	  CSPERF_RECORD_PLACED_FOR_ADOPTION, 30, 30 },
	{ "missing.csv", FORMATS_OK, CSPERF_RECORD_MISSING, 43, 0 },
	{ "previous_permanence.csv", FORMATS_OK,
	  CSPERF_RECORD_PREVIOUS_PERMANENCE, 2675, 0 },
	{ "uasc.csv", FORMATS_OK, CSPERF_RECORD_UASC, 132, 0 },
	/* tables csperf does not load, and the folder's licence */
	{ "sw_episodes.csv", FORMATS_EUNKNOWN, 0, 0, 0 },
	{ "DoLo.csv", FORMATS_EUNKNOWN, 0, 0, 0 },
	{ "LICENSE", FORMATS_EUNKNOWN, 0, 0, 0 },
};

#define NEXPECTED_FILES (sizeof(expected_files) / sizeof(expected_files[0]))

static const expected_file *expectation_for(const char *name)
{
	for (size_t i = 0; i < NEXPECTED_FILES; i++) {
		if (strcmp(expected_files[i].name, name) == 0)
			return &expected_files[i];
	}
	return NULL;
}

static void test_every_shared_file_reads_as_expected(void **state)
{
	DIR *dir;
	struct dirent *entry;
	size_t nread = 0;
	static collector sink;

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	dir = opendir(SSDA903_DATA);
	assert_non_null(dir);
	while ((entry = readdir(dir)) != NULL) {
		const expected_file *expected;
		char path[512];
		formats_error err;
		int status;

		if (entry->d_name[0] == '.')
			continue;
		expected = expectation_for(entry->d_name);
		if (expected == NULL)
			fail_msg("%s is in the shared data but not in this test",
				entry->d_name);
		snprintf(path, sizeof(path), "%s/%s", SSDA903_DATA, entry->d_name);
		status = read_table(path, 2018, &sink, &err);
		print_message("%s: %d records of %s, %d rejected\n", expected->name,
			expected->type != 0 ? sink.records[expected->type] : 0,
			expected->type != 0 ? csperf_record_type_name(expected->type) :
			"-", expected->type != 0 ? sink.rejected[expected->type] : 0);
		assert_int_equal(status, expected->status);
		if (expected->status != FORMATS_OK) {
			assert_string_equal(err.file, path);
			assert_int_equal(err.line, 1);
			continue;
		}
		for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
			assert_int_equal(sink.records[type],
				type == (int)expected->type ? expected->records : 0);
			assert_int_equal(sink.rejected[type],
				type == (int)expected->type ? expected->rejected : 0);
		}
		nread++;
	}
	closedir(dir);
	assert_int_equal(nread, NEXPECTED_FILES - 3);
}

static void test_episodes_convert_to_csperf_form(void **state)
{
	static collector sink;
	static const char *const first_episode[] = {
		"566910", "2016-02-15", "L", "C2", "N3", "T2", "PR0", "2017-08-14",
		"X1", "CLOSE", "", "", "4244474", "", "",
	};
	static const char *const second_episode[] = {
		"566910", "2017-08-14", "T", "C2", "N3", "A3", "PR3", "", "X1", "",
		"EG19 7TT", "WV27 9FW", "8969628", "", "",
	};
	formats_error err;

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	assert_int_equal(read_table(SSDA903_DATA "/episodes.csv", 0, &sink, &err),
		FORMATS_OK);
	assert_int_equal(sink.kept[0].type, CSPERF_RECORD_LA_EPISODE);
	assert_int_equal(sink.kept[0].line, 2);
	assert_values(&sink.kept[0], first_episode, 15);
	assert_int_equal(sink.kept[1].line, 3);
	assert_values(&sink.kept[1], second_episode, 15);
	assert_string_equal(sink.kept[0].source_fields[1], "DECOM");
	assert_string_equal(sink.kept[0].source_fields[7], "DEC");
}

static void test_header_sex_and_flags_convert(void **state)
{
	static collector sink;
	static const char *const first_child[] = {
		"566910", "F", "2008-03-27", "", "WROM", "",
	};
	static const char *const first_health[] = {
		"566910", "2018-03-31", "39", "", "true", "false", "false", "false",
		"false", "true", "false", "false",
	};
	formats_error err;

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	assert_int_equal(read_table(SSDA903_DATA "/header.csv", 0, &sink, &err),
		FORMATS_OK);
	assert_values(&sink.kept[0], first_child, 6);
	assert_string_equal(sink.kept[2].values[1], "M");

	assert_int_equal(read_table(SSDA903_DATA "/oc2.csv", 2018, &sink, &err),
		FORMATS_OK);
	assert_values(&sink.kept[0], first_health, 12);
	/* as_at_date comes from the options, not from a column */
	assert_string_equal(sink.kept[0].source_fields[1], "(none)");
}

static void test_shared_rejections_say_why(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	assert_int_equal(read_table(SSDA903_DATA "/oc3.csv", 2018, &sink, &err),
		FORMATS_OK);
	assert_int_equal(sink.nrejections, 14);
	assert_string_equal(sink.rejections[0].file, SSDA903_DATA "/oc3.csv");
	assert_int_equal(sink.rejections[0].line, 2);
	assert_string_equal(sink.rejections[0].field, "ACCOM");
	assert_string_equal(sink.rejections[0].value, "01");
	assert_string_equal(sink.rejections[0].message,
		"ACCOM 01 is not a care leaver accommodation code (B1, B2, C1, C2, D1, D2, ...)");
	assert_int_equal(sink.rejections[1].line, 3);
	assert_string_equal(sink.rejections[1].message,
		"ACTIV P3 is not a care leaver activity code (F1, P1, F2, P2, F4, P4, ...)");
	/* as_at_date is the collection year's end */
	assert_string_equal(sink.kept[0].values[1], "2018-03-31");

	assert_int_equal(read_table(SSDA903_DATA "/ad1.csv", 0, &sink, &err),
		FORMATS_OK);
	assert_int_equal(sink.rejections[0].line, 3);
	assert_string_equal(sink.rejections[0].field, "SEX_ADOPTR");
	assert_string_equal(sink.rejections[0].message,
		"SEX_ADOPTR MF does not go with NB_ADOPTR 1: MM, FF and MF are for two adopters");
	assert_int_equal(sink.rejections[1].line, 4);
	assert_string_equal(sink.rejections[1].message,
		"SEX_ADOPTR F1 does not go with NB_ADOPTR 2: M1 and F1 are for one adopter");

	assert_int_equal(read_table(SSDA903_DATA "/placed_for_adoption.csv", 0,
		&sink, &err), FORMATS_OK);
	assert_string_equal(sink.rejections[0].message,
		"REASON_PLACED_CEASED XXX is not a reason placed for adoption ceased code (RD1, RD2, RD3, RD4)");
}

static void test_messy_episodes_read_row_by_row(void **state)
{
	static collector sink;
	formats_error err;
	static const char *const first_episode[] = {
		"C1", "2017-03-03", "S", "C2", "N1", "U4", "PR1", "2017-04-01", "X1",
		"", "AB1 2CD", "AB3 4EF", "SC123456", "", "",
	};

	(void)state;
	/* A byte order mark, CRLF, columns in another order, an unknown column,
	 * a note over two lines, an all-empty row, a blank line, a short row. */
	assert_int_equal(read_table(FIXTURE("ssda903_episodes_messy.csv"), 0,
		&sink, &err), FORMATS_OK);
	assert_int_equal(sink.records[CSPERF_RECORD_LA_EPISODE], 8);
	assert_int_equal(sink.rejected[CSPERF_RECORD_LA_EPISODE], 5);

	assert_int_equal(sink.kept[0].line, 2);
	assert_false(sink.kept[0].rejected);
	assert_values(&sink.kept[0], first_episode, 15);
	assert_int_equal(sink.kept[1].line, 3);
	assert_false(sink.kept[1].rejected);
	/* the note's second line is line 4: the next record starts on line 5 */
	assert_int_equal(sink.kept[2].line, 5);
	assert_true(sink.kept[2].rejected);
	assert_int_equal(sink.kept[6].line, 11);
	assert_false(sink.kept[6].rejected);
	assert_string_equal(sink.kept[6].values[1], "2017-10-10");
	assert_int_equal(sink.kept[7].line, 12);
}

static void test_bad_values_are_named_with_file_line_column_and_value(void **state)
{
	static collector sink;
	formats_error err;
	const char *path = FIXTURE("ssda903_episodes_messy.csv");
	const formats_error *rejection;

	(void)state;
	assert_int_equal(read_table(path, 0, &sink, &err), FORMATS_OK);
	assert_int_equal(sink.nrejections, 5);

	rejection = &sink.rejections[0];
	assert_string_equal(rejection->file, path);
	assert_int_equal(rejection->line, 5);
	assert_string_equal(rejection->field, "DECOM");
	assert_string_equal(rejection->value, "31/02/2018");
	assert_string_equal(rejection->message, "DECOM 31/02/2018 is not a date");

	rejection = &sink.rejections[1];
	assert_int_equal(rejection->line, 6);
	assert_string_equal(rejection->field, "LS");
	assert_string_equal(rejection->value, "C9");
	assert_string_equal(rejection->message,
		"LS C9 is not a legal status code (C1, C2, D1, E1, V2, V3, ...)");

	rejection = &sink.rejections[2];
	assert_int_equal(rejection->line, 7);
	assert_string_equal(rejection->field, "CHILD");
	assert_string_equal(rejection->value, "");
	assert_string_equal(rejection->message, "CHILD is required");

	rejection = &sink.rejections[3];
	assert_int_equal(rejection->line, 8);
	assert_string_equal(rejection->field, "DEC");
	assert_string_equal(rejection->value, "2017-01-01");
	assert_string_equal(rejection->message,
		"DEC 2017-01-01 is before DECOM 2017-03-03");

	rejection = &sink.rejections[4];
	assert_int_equal(rejection->line, 12);
	assert_string_equal(rejection->message, "LS is required");
}

static void test_a_missing_column_is_a_file_error(void **state)
{
	static collector sink;
	formats_error err;
	const char *path = FIXTURE("ssda903_episodes_no_decom.csv");

	(void)state;
	assert_int_equal(read_table(path, 0, &sink, &err), FORMATS_EFORMAT);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.field, "DECOM");
	assert_string_equal(err.message,
		"the SSDA903 episodes table has no DECOM column");
	assert_int_equal(sink.seen, 0);
}

static void test_partial_dates_keep_what_is_known(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_table(FIXTURE("ssda903_previous_permanence_partial.csv"),
		0, &sink, &err), FORMATS_OK);
	assert_int_equal(sink.records[CSPERF_RECORD_PREVIOUS_PERMANENCE], 5);
	assert_string_equal(sink.kept[0].values[3], "2015-05");
	assert_string_equal(sink.kept[1].values[3], "2014");
	assert_string_equal(sink.kept[2].values[3], "2013-07-14");
	assert_string_equal(sink.kept[3].values[3], "zz/13/2013");
	assert_string_equal(sink.kept[4].values[3], "");
	assert_int_equal(sink.nrejections, 1);
	assert_int_equal(sink.rejections[0].line, 5);
	assert_string_equal(sink.rejections[0].message,
		"DATE_PERM zz/13/2013 is not a date, a year and month, or a year");
}

static void test_malformed_csv_is_a_file_error(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_table(FIXTURE("ssda903_reviews_unclosed_quote.csv"),
		0, &sink, &err), FORMATS_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.message,
		"the file ends inside a quoted field that starts on this line");
	assert_int_equal(sink.seen, 1);

	assert_int_equal(read_table(FIXTURE("ssda903_reviews_stray_quote.csv"),
		0, &sink, &err), FORMATS_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.message, "quote"));
}

static void test_files_that_cannot_be_read(void **state)
{
	static collector sink;
	formats_error err;
	formats_ssda903_options future = { 99, 2018 };

	(void)state;
	assert_int_equal(read_table(FIXTURE("no_such_file.csv"), 0, &sink, &err),
		FORMATS_EIO);
	assert_non_null(strstr(err.message, "cannot open"));

	assert_int_equal(read_table(FIXTURE("ssda903_empty.csv"), 0, &sink, &err),
		FORMATS_EFORMAT);
	assert_int_equal(err.line, 1);

	assert_int_equal(formats_read_ssda903(FIXTURE("ssda903_oc3_small.csv"),
		&future, collect, &sink, &err), FORMATS_EINVALID);
}

static void test_oc3_needs_the_collection_year(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_table(FIXTURE("ssda903_oc3_small.csv"), 0, &sink,
		&err), FORMATS_EINVALID);
	assert_int_equal(sink.seen, 0);
	assert_non_null(strstr(err.message, "collection year"));

	assert_int_equal(read_table(FIXTURE("ssda903_oc3_small.csv"), 2024, &sink,
		&err), FORMATS_OK);
	assert_string_equal(sink.kept[0].values[1], "2024-03-31");
	assert_false(sink.kept[0].rejected);
	/* options may be left out for tables that do not need them */
	memset(&sink, 0, sizeof(sink));
	assert_int_equal(formats_read_ssda903(FIXTURE("ssda903_episodes_messy.csv"),
		NULL, collect, &sink, &err), FORMATS_OK);
	assert_int_equal(sink.seen, 8);
}

static void test_the_callback_can_stop_reading(void **state)
{
	static collector sink;
	formats_ssda903_options opts = FORMATS_SSDA903_OPTIONS_INIT;
	formats_error err;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	sink.stop_after = 2;
	assert_int_equal(formats_read_ssda903(FIXTURE("ssda903_episodes_messy.csv"),
		&opts, collect, &sink, &err), 7);
	assert_int_equal(sink.seen, 2);
}


/* Folds a record into a running FNV-1a hash: its type, line and values. */
static unsigned long long hash_record(unsigned long long hash,
	const formats_record *rec)
{
	char header[64];

	snprintf(header, sizeof(header), "%d:%lu:", (int)rec->type, rec->line);
	for (const char *c = header; *c != '\0'; c++)
		hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
	for (size_t i = 0; i < rec->nvalues; i++) {
		for (const char *c = rec->values[i]; *c != '\0'; c++)
			hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
		hash = (hash ^ 0x1f) * 1099511628211ULL;
	}
	return hash;
}

typedef struct rewriter {
	formats_ssda903_writer *writer;
	unsigned long long hash;
	int records;
} rewriter;

static int rewrite_record(const formats_record *rec, void *opaque)
{
	rewriter *rewrite = opaque;
	formats_error err;

	rewrite->hash = hash_record(rewrite->hash, rec);
	rewrite->records++;
	if (rewrite->writer != NULL)
		assert_int_equal(formats_ssda903_writer_write(rewrite->writer,
			rec->values, rec->nvalues, &err), FORMATS_OK);
	return 0;
}

static void test_written_tables_read_back_the_same(void **state)
{
	static const struct {
		const char *source;
		const char *copy;
		csperf_record_type type;
	} tables_to_copy[] = {
		{ SSDA903_DATA "/header.csv", OUTPUT("ssda903_header.csv"),
		  CSPERF_RECORD_CHILD },
		{ SSDA903_DATA "/episodes.csv", OUTPUT("ssda903_episodes.csv"),
		  CSPERF_RECORD_LA_EPISODE },
		{ SSDA903_DATA "/oc2.csv", OUTPUT("ssda903_oc2.csv"),
		  CSPERF_RECORD_HEALTH },
		{ FIXTURE("ssda903_previous_permanence_partial.csv"),
		  OUTPUT("ssda903_previous_permanence.csv"),
		  CSPERF_RECORD_PREVIOUS_PERMANENCE },
	};
	formats_ssda903_options opts = FORMATS_SSDA903_OPTIONS_INIT;

	(void)state;
	if (!shared_data_present())
		CSPERF_SKIP("the shared sample data (../shared/data) is not there");
	opts.collection_year = 2018;
	for (size_t i = 0; i < sizeof(tables_to_copy) / sizeof(tables_to_copy[0]);
	     i++) {
		rewriter original = { NULL, 14695981039346656037ULL, 0 };
		rewriter copy = { NULL, 14695981039346656037ULL, 0 };
		formats_error err;

		assert_int_equal(formats_ssda903_writer_open(&original.writer,
			tables_to_copy[i].copy, tables_to_copy[i].type, &err), FORMATS_OK);
		assert_int_equal(formats_read_ssda903(tables_to_copy[i].source, &opts,
			rewrite_record, &original, &err), FORMATS_OK);
		assert_int_equal(formats_ssda903_writer_close(original.writer, &err),
			FORMATS_OK);
		assert_int_equal(formats_read_ssda903(tables_to_copy[i].copy, &opts,
			rewrite_record, &copy, &err), FORMATS_OK);
		assert_true(original.records > 0);
		assert_int_equal(copy.records, original.records);
		if (copy.hash != original.hash)
			fail_msg("%s does not read back as %s", tables_to_copy[i].copy,
				tables_to_copy[i].source);
	}
}

static void test_the_ssda903_writer_writes_the_dfe_layout(void **state)
{
	static const char *const episode[] = {
		"C1", "2017-03-03", "S", "C2", "N1", "U4", "PR1", "", "", "",
		"AB1 2CD", "", "SC123456", "OUT", "E08000025",
	};
	static const char *const permanence[] = { "P1", "P1", "352", "2015-05" };
	formats_ssda903_writer *writer = NULL;
	formats_error err;
	char line[256];
	FILE *written;

	(void)state;
	assert_int_equal(formats_ssda903_writer_open(&writer,
		OUTPUT("ssda903_layout.csv"), CSPERF_RECORD_LA_EPISODE, &err),
		FORMATS_OK);
	assert_int_equal(formats_ssda903_writer_write(writer, episode, 15, &err),
		FORMATS_OK);
	assert_int_equal(formats_ssda903_writer_write(writer, episode, 14, &err),
		FORMATS_EINVALID);
	assert_int_equal(formats_ssda903_writer_close(writer, &err), FORMATS_OK);
	written = fopen(OUTPUT("ssda903_layout.csv"), "rb");
	assert_non_null(written);
	assert_non_null(fgets(line, sizeof(line), written));
	assert_string_equal(line,
		"\"CHILD\",\"DECOM\",\"RNE\",\"LS\",\"CIN\",\"PLACE\",\"PLACE_PROVIDER\",\"DEC\",\"REC\",\"REASON_PLACE_CHANGE\",\"HOME_POST\",\"PL_POST\",\"URN\",\"PL_LOCATION\",\"PL_LA\"\r\n");
	assert_non_null(fgets(line, sizeof(line), written));
	assert_string_equal(line,
		"\"C1\",\"03/03/2017\",\"S\",\"C2\",\"N1\",\"U4\",\"PR1\",\"\",\"\",\"\",\"AB1 2CD\",\"\",\"SC123456\",\"OUT\",\"E08000025\"\r\n");
	fclose(written);

	assert_int_equal(formats_ssda903_writer_open(&writer,
		OUTPUT("ssda903_permanence.csv"), CSPERF_RECORD_PREVIOUS_PERMANENCE,
		&err), FORMATS_OK);
	assert_int_equal(formats_ssda903_writer_write(writer, permanence, 4, &err),
		FORMATS_OK);
	assert_int_equal(formats_ssda903_writer_close(writer, &err), FORMATS_OK);
	written = fopen(OUTPUT("ssda903_permanence.csv"), "rb");
	assert_non_null(written);
	assert_non_null(fgets(line, sizeof(line), written));
	assert_non_null(fgets(line, sizeof(line), written));
	assert_string_equal(line, "\"P1\",\"\",\"P1\",\"352\",\"ZZ/05/2015\"\r\n");
	fclose(written);

	writer = NULL;
	assert_int_equal(formats_ssda903_writer_open(&writer,
		OUTPUT("ssda903_contacts.csv"), CSPERF_RECORD_CONTACT, &err),
		FORMATS_EINVALID);
	assert_null(writer);
	assert_string_equal(err.message, "no SSDA903 table holds contact records");
	assert_int_equal(formats_ssda903_writer_close(NULL, &err), FORMATS_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_shared_file_reads_as_expected),
		cmocka_unit_test(test_episodes_convert_to_csperf_form),
		cmocka_unit_test(test_header_sex_and_flags_convert),
		cmocka_unit_test(test_shared_rejections_say_why),
		cmocka_unit_test(test_messy_episodes_read_row_by_row),
		cmocka_unit_test(test_bad_values_are_named_with_file_line_column_and_value),
		cmocka_unit_test(test_a_missing_column_is_a_file_error),
		cmocka_unit_test(test_partial_dates_keep_what_is_known),
		cmocka_unit_test(test_malformed_csv_is_a_file_error),
		cmocka_unit_test(test_files_that_cannot_be_read),
		cmocka_unit_test(test_oc3_needs_the_collection_year),
		cmocka_unit_test(test_the_callback_can_stop_reading),
		cmocka_unit_test(test_written_tables_read_back_the_same),
		cmocka_unit_test(test_the_ssda903_writer_writes_the_dfe_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
