/* test_record_tables.c: the storage of journey records agrees with the record
 * schema: migration 0002 holds exactly the DDL the schema implies, and every
 * type's key names required fields of that type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/record_tables.h"

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long size;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc((size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	text[size] = '\0';
	fclose(f);
	return text;
}

static void test_migration_holds_the_schema_ddl(void **state)
{
	char *migration = read_all(MIGRATIONS_DIR "/0002_journey_records.sql");
	char *ddl = store_record_tables_ddl();
	const char *begin = "-- BEGIN csperf-schema-ddl\n", *end = "-- END csperf-schema-ddl";
	char *start = strstr(migration, begin), *stop;

	assert_non_null(ddl);
	assert_non_null(start);
	start += strlen(begin);
	stop = strstr(start, end);
	assert_non_null(stop);
	*stop = '\0';
	/* If this fails: build/server/csperf-schema-ddl prints what the
	 * migration should hold (a new field needs a new migration, not an
	 * edit of an applied one). */
	assert_string_equal(start, ddl);
	free(ddl);
	free(migration);
}

static void test_every_type_has_a_required_key(void **state)
{
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		const char *const *key = store_record_key((csperf_record_type)t);

		assert_non_null(schema);
		assert_non_null(key);
		assert_non_null(key[0]);
		for (size_t k = 0; key[k] != NULL; k++) {
			int field = csperf_schema_field_index(schema, key[k]);

			if (field < 0)
				fail_msg("%s: key field %s is not in the schema", schema->name, key[k]);
			if (!schema->fields[field].required)
				fail_msg("%s: key field %s is not required", schema->name, key[k]);
		}
		/* No field may take the name of a bookkeeping column. */
		assert_int_equal(csperf_schema_field_index(schema, "council"), -1);
		assert_int_equal(csperf_schema_field_index(schema, "load_id"), -1);
		assert_int_equal(csperf_schema_field_index(schema, "record_no"), -1);
		assert_int_equal(csperf_schema_field_index(schema, "is_current"), -1);
	}
}

static void test_merge_sql_casts_each_field(void **state)
{
	const csperf_record_schema *schema = csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE);
	char *sql = store_record_merge_sql(schema);

	assert_non_null(sql);
	assert_non_null(strstr(sql, "v[2]::date"));
	assert_non_null(strstr(sql, "FROM pg_temp.load_stage WHERE type = 11"));
	free(sql);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migration_holds_the_schema_ddl),
		cmocka_unit_test(test_every_type_has_a_required_key),
		cmocka_unit_test(test_merge_sql_casts_each_field),
	};

	return cmocka_run_group_tests_name("unit_record_tables", tests, NULL, NULL);
}
