/* test_record_tables.c: the storage of journey records agrees with the record
 * schema: the migrations hold exactly the DDL the schema implies, version by
 * version (0002 the tables of version 1, each later version's migration its
 * new tables or columns), and every type's key names required fields of that
 * type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/record_tables.h"
#include "store/store.h"

#define BEGIN_MARK "-- BEGIN csperf-schema-ddl"
#define END_MARK "-- END csperf-schema-ddl"

/* Every migration's blocks of generated DDL must be what the schema gives for
 * their version (and 0009's partitioning block what the schema gives for the
 * tables it partitioned): a new field needs a new migration holding what
 * `csperf-schema-ddl VERSION` prints, never an edit of an applied one. And
 * each version that changed a table has its block, once, in order. */
static void test_migrations_hold_the_schema_ddl(void **state)
{
	store_migration *migrations = NULL;
	size_t count = 0;
	status st = STATUS_INIT;
	long found_in[CSPERF_RECORD_SCHEMA_VERSION + 1] = { 0 };
	int last_version = 0;
	long partitioned_in = 0;

	if (store_migrations_read_dir(MIGRATIONS_DIR, &migrations, &count, &st) != 0)
		fail_msg("%s", st.message);
	for (size_t m = 0; m < count; m++) {
		char *text = strndup(migrations[m].sql, migrations[m].length);
		char *at = text;

		assert_non_null(text);
		while ((at = strstr(at, BEGIN_MARK)) != NULL) {
			char *body = strchr(at, '\n'), *stop, *ddl;
			int version = 1;

			assert_non_null(body);
			*body++ = '\0';
			if (strcmp(at, BEGIN_MARK " partitioning") == 0) {
				if (partitioned_in != 0)
					fail_msg("%s: a second partitioning block", migrations[m].name);
				partitioned_in = migrations[m].version;
				stop = strstr(body, END_MARK);
				assert_non_null(stop);
				*stop = '\0';
				ddl = store_record_partition_ddl();
				assert_non_null(ddl);
				/* If this fails: build/server/csperf-schema-ddl partitioning
				 * prints what the migration should hold. */
				assert_string_equal(body, ddl);
				free(ddl);
				at = stop + 1;
				continue;
			}
			if (strcmp(at, BEGIN_MARK) != 0 &&
			    sscanf(at, BEGIN_MARK " version %d", &version) != 1)
				fail_msg("%s: a block begins \"%s\"", migrations[m].name, at);
			if (version < 1 || version > CSPERF_RECORD_SCHEMA_VERSION)
				fail_msg("%s: DDL of record schema version %d, which csperf does not "
					 "have (records.h says %d)", migrations[m].name, version,
					 CSPERF_RECORD_SCHEMA_VERSION);
			if (found_in[version] != 0)
				fail_msg("%s: a second block for record schema version %d",
					 migrations[m].name, version);
			if (version <= last_version)
				fail_msg("%s: the block of version %d comes after version %d's",
					 migrations[m].name, version, last_version);
			found_in[version] = migrations[m].version;
			last_version = version;
			stop = strstr(body, END_MARK);
			assert_non_null(stop);
			*stop = '\0';
			ddl = store_record_tables_ddl(version);
			assert_non_null(ddl);
			/* If this fails: build/server/csperf-schema-ddl VERSION prints what
			 * the migration should hold. */
			assert_string_equal(body, ddl);
			free(ddl);
			at = stop + 1;
		}
		free(text);
	}
	for (int version = 1; version <= CSPERF_RECORD_SCHEMA_VERSION; version++) {
		char *ddl = store_record_tables_ddl(version);

		assert_non_null(ddl);
		if (ddl[0] != '\0' && found_in[version] == 0)
			fail_msg("record schema version %d changes tables, and no migration holds its "
				 "DDL (csperf-schema-ddl %d prints it)", version, version);
		free(ddl);
	}
	assert_int_equal(found_in[1], 2);
	/* Migration 0009 partitioned the tables of the versions before it. */
	assert_int_equal(partitioned_in, 9);
	for (int version = 1; version <= STORE_LAST_UNPARTITIONED_VERSION; version++)
		assert_true(found_in[version] < partitioned_in);
	for (int version = STORE_LAST_UNPARTITIONED_VERSION + 1;
	     version <= CSPERF_RECORD_SCHEMA_VERSION; version++)
		if (found_in[version] != 0)
			assert_true(found_in[version] > partitioned_in);
	store_migrations_free(migrations, count);
}

/* Fields are only ever added at the end of a type, and a field added to a
 * type that already has rows cannot be required (those rows lack it). */
static void test_later_fields_are_optional_and_at_the_end(void **state)
{
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		int first = schema->fields[0].since > 1 ? schema->fields[0].since : 1, previous = first;

		for (size_t f = 0; f < schema->nfields; f++) {
			int since = schema->fields[f].since > 1 ? schema->fields[f].since : 1;

			if (since < previous)
				fail_msg("%s.%s: a field of version %d after one of version %d",
					 schema->name, schema->fields[f].name, since, previous);
			if (since > CSPERF_RECORD_SCHEMA_VERSION)
				fail_msg("%s.%s: version %d is newer than CSPERF_RECORD_SCHEMA_VERSION",
					 schema->name, schema->fields[f].name, since);
			if (since > first && schema->fields[f].required)
				fail_msg("%s.%s: added by version %d, so it cannot be required",
					 schema->name, schema->fields[f].name, since);
			previous = since;
		}
	}
}

/* Version 2 (finance) added the placement category and locality of a cost
 * line: two columns and the view again, nothing else. */
static void test_version_2_adds_two_cost_columns(void **state)
{
	char *ddl = store_record_tables_ddl(2);

	assert_non_null(ddl);
	assert_non_null(strstr(ddl, "ALTER TABLE rec_placement_cost ADD COLUMN placement_category "
			       "text;\nALTER TABLE rec_placement_cost ADD COLUMN locality text;\n"
			       "CREATE OR REPLACE VIEW placement_cost AS\n"));
	assert_non_null(strstr(ddl, "education_contribution, placement_category, locality\n"));
	assert_null(strstr(ddl, "CREATE TABLE"));
	assert_null(strstr(ddl, "budget"));
	free(ddl);
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

/* A type goes straight into rec_<type>, or into the held table of the same
 * columns, by the same COPY rows; the held rows go in current. */
static void test_copy_and_insert_name_each_field(void **state)
{
	const csperf_record_schema *schema = csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE);
	char *direct = store_record_copy_sql(schema, false);
	char *held = store_record_copy_sql(schema, true);
	char *sql = store_record_insert_sql(schema);
	char *steps[3];

	assert_non_null(direct);
	assert_non_null(held);
	assert_non_null(sql);
	assert_non_null(strstr(direct, "COPY rec_la_episode (load_id, council, record_no, "
				       "is_current, child_id, start_date"));
	assert_non_null(strstr(held, "COPY pg_temp.load_rec_la_episode (load_id, council, "
				     "record_no, is_current, child_id, start_date"));
	assert_string_equal(strstr(direct, "(load_id"), strstr(held, "(load_id"));
	assert_non_null(strstr(sql, "SELECT s.load_id, s.council, s.record_no, true, s.child_id, "
				    "s.start_date"));
	assert_non_null(strstr(sql, "FROM pg_temp.load_rec_la_episode s"));
	assert_null(store_record_previous_sql(schema));
	assert_int_equal(store_record_hold_sql(schema, steps), 0);
	assert_string_equal(steps[0], "CREATE TEMP TABLE load_rec_la_episode (LIKE rec_la_episode) "
				      "ON COMMIT DROP");
	assert_non_null(strstr(steps[1], "INSERT INTO pg_temp.load_rec_la_episode SELECT * FROM "
					 "rec_la_episode WHERE council = $2 AND load_id = $1"));
	assert_string_equal(steps[2], "DELETE FROM rec_la_episode WHERE council = $2 AND "
				      "load_id = $1");
	for (int i = 0; i < 3; i++)
		free(steps[i]);
	free(direct);
	free(held);
	free(sql);
}

/* A child's new version keeps what it leaves absent from the version it
 * replaces: the superseding statement keeps those, the insert completes. */
static void test_child_versions_complete_each_other(void **state)
{
	const csperf_record_schema *schema = csperf_schema_by_type(CSPERF_RECORD_CHILD);
	char *previous = store_record_previous_sql(schema);
	char *supersede = store_record_supersede_sql(schema);
	char *insert = store_record_insert_sql(schema);
	char *dups = store_record_duplicates_sql(schema);

	assert_non_null(previous);
	assert_non_null(supersede);
	assert_non_null(insert);
	assert_non_null(dups);
	assert_non_null(strstr(previous, "CREATE TEMP TABLE load_previous_child (LIKE rec_child)"));
	assert_non_null(strstr(supersede, "INSERT INTO pg_temp.load_previous_child"));
	assert_non_null(strstr(supersede, "old.council = $1 AND old.is_current AND "
				      "old.child_id = s.child_id"));
	assert_non_null(strstr(insert, "coalesce(s.disabilities, p.disabilities)"));
	assert_null(strstr(insert, "coalesce(s.child_id"));
	assert_non_null(strstr(dups, "FROM pg_temp.load_rec_child WINDOW w AS (PARTITION BY "
				     "child_id ORDER BY record_no)"));
	free(previous);
	free(supersede);
	free(insert);
	free(dups);
}

/* Tables of versions after the partitioning are made partitioned, without
 * the foreign key, and every council gets its partition; 0009's DDL has no
 * foreign key either and every table of the versions before it. */
static void test_partitioned_tables(void **state)
{
	char *ddl = store_record_tables_ddl(1);
	char *partitioning = store_record_partition_ddl();

	assert_non_null(ddl);
	assert_non_null(partitioning);
	assert_null(strstr(ddl, "PARTITION BY"));
	assert_null(strstr(partitioning, "REFERENCES"));
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		char expected[128];

		snprintf(expected, sizeof(expected), "DROP TABLE rec_%s_unpartitioned;\n",
			 schema->name);
		if (schema->fields[0].since <= STORE_LAST_UNPARTITIONED_VERSION)
			assert_non_null(strstr(partitioning, expected));
	}
	free(ddl);
	free(partitioning);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_hold_the_schema_ddl),
		cmocka_unit_test(test_later_fields_are_optional_and_at_the_end),
		cmocka_unit_test(test_version_2_adds_two_cost_columns),
		cmocka_unit_test(test_every_type_has_a_required_key),
		cmocka_unit_test(test_copy_and_insert_name_each_field),
		cmocka_unit_test(test_child_versions_complete_each_other),
		cmocka_unit_test(test_partitioned_tables),
	};

	return cmocka_run_group_tests_name("unit_record_tables", tests, NULL, NULL);
}
