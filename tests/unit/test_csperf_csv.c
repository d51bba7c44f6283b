/*
 * tests/unit/test_csperf_csv.c: csperf's own CSV format
 * (client/formats/csperf_csv.c): reading, header checks, type inference,
 * and the writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "formats.h"
#include "schema.h"

#define FIXTURE(name) CSPERF_FIXTURES "/" name
#define OUTPUT(name) CSPERF_TEST_OUTPUT "/" name

#define MAX_KEPT 8
#define MAX_VALUES 16
#define MAX_REJECTIONS 8

typedef struct kept_record {
	csperf_record_type type;
	unsigned long line;
	size_t nvalues;
	char values[MAX_VALUES][96];
} kept_record;

typedef struct collector {
	kept_record kept[MAX_KEPT];
	size_t nkept;
	formats_error rejections[MAX_REJECTIONS];
	size_t nrejections;
	int seen;
} collector;

static int collect(const formats_record *rec, void *opaque)
{
	collector *sink = opaque;
	formats_error rejection;

	if (formats_record_validate(rec, &rejection) != FORMATS_OK &&
	    sink->nrejections < MAX_REJECTIONS)
		sink->rejections[sink->nrejections++] = rejection;
	if (sink->nkept < MAX_KEPT) {
		kept_record *kept = &sink->kept[sink->nkept++];

		kept->type = rec->type;
		kept->line = rec->line;
		kept->nvalues = rec->nvalues;
		for (size_t i = 0; i < rec->nvalues && i < MAX_VALUES; i++)
			snprintf(kept->values[i], sizeof(kept->values[i]), "%s",
				rec->values[i]);
	}
	sink->seen++;
	return 0;
}

static int read_csv(const char *path, csperf_record_type type,
	collector *sink, formats_error *err)
{
	memset(sink, 0, sizeof(*sink));
	return formats_read_csperf_csv(path, type, collect, sink, err);
}

static void test_the_file_name_gives_the_type(void **state)
{
	static collector sink;
	formats_error err;
	static const char *const first[] = {
		"K1", "2024-04-02", "1A", "", "2024-04-03", "RED", "",
	};

	(void)state;
	assert_int_equal(read_csv(FIXTURE("contacts.csv"), 0, &sink, &err),
		FORMATS_OK);
	assert_int_equal(sink.seen, 5);
	assert_int_equal(sink.kept[0].type, CSPERF_RECORD_CONTACT);
	assert_int_equal(sink.kept[0].line, 2);
	assert_int_equal(sink.kept[0].nvalues, 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(sink.kept[0].values[i], first[i]);
	/* a quoted value reads like any other */
	assert_string_equal(sink.kept[2].values[2], "5D");
}

static void test_bad_values_are_named(void **state)
{
	static collector sink;
	formats_error err;
	const char *path = FIXTURE("contacts.csv");

	(void)state;
	assert_int_equal(read_csv(path, 0, &sink, &err), FORMATS_OK);
	assert_int_equal(sink.nrejections, 4);

	assert_string_equal(sink.rejections[0].file, path);
	assert_int_equal(sink.rejections[0].line, 3);
	assert_string_equal(sink.rejections[0].field, "source");
	assert_string_equal(sink.rejections[0].value, "1Z");
	assert_string_equal(sink.rejections[0].message,
		"source 1Z is not a referral source code (1A, 1B, 1C, 1D, 2A, 2B, ...)");

	assert_int_equal(sink.rejections[1].line, 4);
	assert_string_equal(sink.rejections[1].field, "decision_date");
	assert_string_equal(sink.rejections[1].message,
		"decision_date 2024-04-04 is before contact_date 2024-04-05");

	assert_int_equal(sink.rejections[2].line, 5);
	assert_string_equal(sink.rejections[2].value, "02/04/2024");
	assert_string_equal(sink.rejections[2].message,
		"contact_date 02/04/2024 is not a date");

	assert_int_equal(sink.rejections[3].line, 6);
	assert_string_equal(sink.rejections[3].field, "child_id");
	assert_string_equal(sink.rejections[3].message, "child_id is required");
}

static void test_the_header_gives_the_type_when_only_one_fits(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_csv(FIXTURE("csperf_any_population.csv"), 0, &sink,
		&err), FORMATS_OK);
	assert_int_equal(sink.seen, 1);
	assert_int_equal(sink.kept[0].type, CSPERF_RECORD_POPULATION);
	assert_int_equal(sink.nrejections, 0);

	assert_int_equal(read_csv(FIXTURE("visits_ambiguous.csv"), 0, &sink, &err),
		FORMATS_EUNKNOWN);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.message,
		"the header fits both cp_visit and la_visit: name the file after its record type");
	assert_int_equal(sink.seen, 0);

	assert_int_equal(read_csv(FIXTURE("visits_ambiguous.csv"),
		CSPERF_RECORD_LA_VISIT, &sink, &err), FORMATS_OK);
	assert_int_equal(sink.kept[0].type, CSPERF_RECORD_LA_VISIT);
}

static void test_a_wrong_header_is_a_file_error(void **state)
{
	static collector sink;
	formats_error err;
	const char *path = FIXTURE("csperf_contact_unknown_column.csv");

	(void)state;
	assert_int_equal(read_csv(path, CSPERF_RECORD_CONTACT, &sink, &err),
		FORMATS_EFORMAT);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.field, "sauce");
	assert_string_equal(err.value, "sauce");
	assert_string_equal(err.message, "sauce is not a column of contact records");
	assert_int_equal(sink.seen, 0);

	assert_int_equal(read_csv(FIXTURE("csperf_contact_missing_column.csv"),
		CSPERF_RECORD_CONTACT, &sink, &err), FORMATS_EFORMAT);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.field, "contact_date");
	assert_string_equal(err.message, "contact records need a contact_date column");

	assert_int_equal(read_csv(FIXTURE("csperf_contact_repeated_column.csv"),
		CSPERF_RECORD_CONTACT, &sink, &err), FORMATS_EFORMAT);
	assert_string_equal(err.field, "child_id");
	assert_string_equal(err.message, "the column child_id is there twice");

	/* an SSDA903 table is not csperf CSV */
	assert_int_equal(read_csv(FIXTURE("ssda903_oc3_small.csv"), 0, &sink, &err),
		FORMATS_EUNKNOWN);
}

static void test_a_short_row_is_a_file_error(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_csv(FIXTURE("csperf_la_visit_short_row.csv"),
		CSPERF_RECORD_LA_VISIT, &sink, &err), FORMATS_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.message, "the header has 2 fields but this row has 1");
	assert_int_equal(sink.seen, 1);
}

static void test_bad_arguments_and_missing_files(void **state)
{
	static collector sink;
	formats_error err;

	(void)state;
	assert_int_equal(read_csv(FIXTURE("contacts.csv"), 99, &sink, &err),
		FORMATS_EINVALID);
	assert_int_equal(read_csv(FIXTURE("no_such_file.csv"), 0, &sink, &err),
		FORMATS_EIO);
	assert_string_equal(err.file, FIXTURE("no_such_file.csv"));
	assert_int_equal(read_csv(FIXTURE("ssda903_empty.csv"),
		CSPERF_RECORD_CONTACT, &sink, &err), FORMATS_EFORMAT);
}

static void test_written_records_read_back_the_same(void **state)
{
	static collector sink;
	static const char *const records[3][7] = {
		{ "K1", "2024-04-02", "1A", "plain", "2024-04-03", "RED", "MASH" },
		{ "K2", "2024-04-03", "", "said \"no\", then\nyes", "", "", "Caf\xc3\xa9" },
		{ "K3", "2024-04-04", "10", "", "", "GREEN", " spaced " },
	};
	formats_csv_writer *writer = NULL;
	formats_error err;
	const char *path = OUTPUT("contacts.csv");
	char header[128] = "";
	FILE *written;

	(void)state;
	assert_int_equal(formats_csv_writer_open(&writer, path,
		CSPERF_RECORD_CONTACT, &err), FORMATS_OK);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(formats_csv_writer_write(writer, records[i], 7, &err),
			FORMATS_OK);
	assert_int_equal(formats_csv_writer_write(writer, records[0], 6, &err),
		FORMATS_EINVALID);
	assert_int_equal(formats_csv_writer_close(writer, &err), FORMATS_OK);

	written = fopen(path, "rb");
	assert_non_null(written);
	assert_non_null(fgets(header, sizeof(header), written));
	fclose(written);
	assert_string_equal(header,
		"\"child_id\",\"contact_date\",\"source\",\"outcome\",\"decision_date\",\"rag_rating\",\"team\"\r\n");

	assert_int_equal(read_csv(path, 0, &sink, &err), FORMATS_OK);
	assert_int_equal(sink.seen, 3);
	/* quotes, commas, line breaks, UTF-8 and, being quoted, surrounding
	 * spaces all survive */
	for (size_t r = 0; r < 3; r++) {
		assert_int_equal(sink.kept[r].type, CSPERF_RECORD_CONTACT);
		for (size_t i = 0; i < 7; i++)
			assert_string_equal(sink.kept[r].values[i], records[r][i]);
	}
	/* the second record spans lines 3 and 4 */
	assert_int_equal(sink.kept[0].line, 2);
	assert_int_equal(sink.kept[1].line, 3);
	assert_int_equal(sink.kept[2].line, 5);
}

static void test_every_type_round_trips_by_file_name(void **state)
{
	static collector sink;

	(void)state;
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const csperf_record_schema *schema = csperf_schema_by_type(type);
		const char *values[MAX_VALUES];
		char path[512];
		char value_text[MAX_VALUES][32];
		formats_csv_writer *writer = NULL;
		formats_error err;

		assert_true(schema->nfields <= MAX_VALUES);
		for (size_t i = 0; i < schema->nfields; i++) {
			snprintf(value_text[i], sizeof(value_text[i]), "v%zu", i);
			values[i] = value_text[i];
		}
		snprintf(path, sizeof(path), "%s/%ss.csv", CSPERF_TEST_OUTPUT,
			schema->name);
		assert_int_equal(formats_csv_writer_open(&writer, path, type, &err),
			FORMATS_OK);
		assert_int_equal(formats_csv_writer_write(writer, values,
			schema->nfields, &err), FORMATS_OK);
		assert_int_equal(formats_csv_writer_close(writer, &err), FORMATS_OK);

		assert_int_equal(read_csv(path, 0, &sink, &err), FORMATS_OK);
		assert_int_equal(sink.seen, 1);
		assert_int_equal(sink.kept[0].type, type);
		for (size_t i = 0; i < schema->nfields; i++)
			assert_string_equal(sink.kept[0].values[i], value_text[i]);
	}
}

static void test_the_writer_refuses_what_it_cannot_do(void **state)
{
	formats_csv_writer *writer = NULL;
	formats_error err;

	(void)state;
	assert_int_equal(formats_csv_writer_open(&writer, OUTPUT("nothing.csv"), 0,
		&err), FORMATS_EINVALID);
	assert_null(writer);
	assert_int_equal(formats_csv_writer_open(&writer,
		OUTPUT("no_such_directory/contacts.csv"), CSPERF_RECORD_CONTACT, &err),
		FORMATS_EIO);
	assert_null(writer);
	assert_non_null(strstr(err.message, "cannot create"));
	assert_int_equal(formats_csv_writer_close(NULL, &err), FORMATS_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_file_name_gives_the_type),
		cmocka_unit_test(test_bad_values_are_named),
		cmocka_unit_test(test_the_header_gives_the_type_when_only_one_fits),
		cmocka_unit_test(test_a_wrong_header_is_a_file_error),
		cmocka_unit_test(test_a_short_row_is_a_file_error),
		cmocka_unit_test(test_bad_arguments_and_missing_files),
		cmocka_unit_test(test_written_records_read_back_the_same),
		cmocka_unit_test(test_every_type_round_trips_by_file_name),
		cmocka_unit_test(test_the_writer_refuses_what_it_cannot_do),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
