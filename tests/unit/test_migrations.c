/* test_migrations.c: reading, ordering and checksumming migration files
 * (applying them is an integration test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/csperf-migrations-XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	return system(command) == 0 ? 0 : -1;
}

static void test_reads_in_order_and_skips_other_files(void **state)
{
	store_migration *migrations = NULL;
	size_t count = 0;
	status st = STATUS_INIT;

	write_file("0002_second.sql", "CREATE TABLE b (id int);\n");
	write_file("0001_first.sql", "CREATE TABLE a (id int);\n");
	write_file("0010_tenth.sql", "CREATE TABLE c (id int);\n");
	write_file("README.md", "not a migration\n");
	assert_int_equal(store_migrations_read_dir(dir, &migrations, &count, &st), 0);
	assert_int_equal(count, 3);
	assert_int_equal(migrations[0].version, 1);
	assert_string_equal(migrations[0].name, "0001_first.sql");
	assert_string_equal(migrations[0].sql, "CREATE TABLE a (id int);\n");
	assert_int_equal(migrations[0].length, strlen("CREATE TABLE a (id int);\n"));
	assert_int_equal(migrations[1].version, 2);
	assert_int_equal(migrations[2].version, 10);
	store_migrations_free(migrations, count);
}

static void test_badly_named_sql_is_refused(void **state)
{
	store_migration *migrations = NULL;
	size_t count = 0;
	status st = STATUS_INIT;
	char path[256];

	write_file("0003_Bad-Name.sql", "SELECT 1;\n");
	assert_int_equal(store_migrations_read_dir(dir, &migrations, &count, &st), -1);
	assert_null(migrations);
	assert_string_equal(st.message,
			    "the migration 0003_Bad-Name.sql is not named NNNN_description.sql "
			    "(four digits, then lower-case letters, digits and _)");
	snprintf(path, sizeof(path), "%s/0003_Bad-Name.sql", dir);
	unlink(path);
}

static void test_duplicate_numbers_are_refused(void **state)
{
	store_migration *migrations = NULL;
	size_t count = 0;
	status st = STATUS_INIT;

	write_file("0002_again.sql", "SELECT 1;\n");
	assert_int_equal(store_migrations_read_dir(dir, &migrations, &count, &st), -1);
	assert_null(migrations);
	assert_int_equal(st.code, STATUS_FAILED_PRECONDITION);
	assert_string_equal(st.message,
			    "two migrations have the number 0002: 0002_again.sql and 0002_second.sql");
}

static void test_missing_folder(void **state)
{
	store_migration *migrations = NULL;
	size_t count = 0;
	status st = STATUS_INIT;

	assert_int_equal(store_migrations_read_dir("/nonexistent/migrations", &migrations,
						   &count, &st), -1);
	assert_string_equal(st.message,
			    "cannot read the migrations folder /nonexistent/migrations: "
			    "No such file or directory");
}

static void test_checksum_is_sha256_of_the_text(void **state)
{
	store_migration m = { 1, "0001_x.sql", "abc", 3 };
	char checksum[65];

	store_migration_checksum(&m, checksum);
	/* SHA-256("abc"), FIPS 180-2's example. */
	assert_string_equal(checksum,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_builtin_set_matches_the_folder(void **state)
{
	size_t builtin_count = 0, folder_count = 0;
	const store_migration *builtin = store_builtin_migrations(&builtin_count);
	store_migration *folder = NULL;
	status st = STATUS_INIT;

	assert_int_equal(store_migrations_read_dir(MIGRATIONS_DIR, &folder, &folder_count, &st), 0);
	assert_true(builtin_count >= 1);
	assert_int_equal(builtin_count, folder_count);
	for (size_t i = 0; i < builtin_count; i++) {
		char a[65], b[65];

		assert_string_equal(builtin[i].name, folder[i].name);
		assert_int_equal(builtin[i].version, folder[i].version);
		store_migration_checksum(&builtin[i], a);
		store_migration_checksum(&folder[i], b);
		assert_string_equal(a, b);
	}
	store_migrations_free(folder, folder_count);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_in_order_and_skips_other_files),
		cmocka_unit_test(test_badly_named_sql_is_refused),
		cmocka_unit_test(test_duplicate_numbers_are_refused),
		cmocka_unit_test(test_missing_folder),
		cmocka_unit_test(test_checksum_is_sha256_of_the_text),
		cmocka_unit_test(test_builtin_set_matches_the_folder),
	};

	return cmocka_run_group_tests_name("unit_migrations", tests, setup, teardown);
}
