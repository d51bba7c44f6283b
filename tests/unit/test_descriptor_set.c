/*
 * test_descriptor_set.c: the index of the descriptor set protoc wrote for
 * proto/ (server/handlers/descriptor_set.c), which gRPC server reflection
 * answers from: files by name, the file of every kind of symbol, a file's
 * imports, and bytes that do not parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handlers/descriptor_set.h"

static const char *file_of(const descriptor_set *set, const char *symbol)
{
	long index = descriptor_set_find_symbol(set, symbol);

	return index < 0 ? NULL : descriptor_set_file(set, (size_t)index)->name;
}

static void test_symbols_and_files(void **state)
{
	const descriptor_set *set = descriptor_set_builtin();

	(void)state;
	assert_non_null(set);
	assert_true(descriptor_set_find_file(set, "csperf/v1/service.proto") >= 0);
	assert_true(descriptor_set_find_file(set, "grpc/reflection/v1alpha/reflection.proto") >= 0);
	assert_int_equal(descriptor_set_find_file(set, "csperf/v1/nothing.proto"), -1);
	/* A service, a method, a message, with and without the leading dot. */
	assert_string_equal(file_of(set, "csperf.v1.Performance"), "csperf/v1/service.proto");
	assert_string_equal(file_of(set, "csperf.v1.Performance.GetServerInfo"),
			    "csperf/v1/service.proto");
	assert_string_equal(file_of(set, ".csperf.v1.GetServerInfoRequest"),
			    "csperf/v1/admin.proto");
	assert_string_equal(file_of(set, "grpc.reflection.v1alpha.ServerReflection"),
			    "grpc/reflection/v1alpha/reflection.proto");
	/* A nested enum and one of its values (scoped beside the enum). */
	assert_string_equal(file_of(set, "grpc.health.v1.HealthCheckResponse.ServingStatus"),
			    "grpc/health/v1/health.proto");
	assert_string_equal(file_of(set, "grpc.health.v1.HealthCheckResponse.SERVING"),
			    "grpc/health/v1/health.proto");
	assert_null(file_of(set, "csperf.v1.Performance.NoSuchMethod"));
	assert_null(file_of(set, "csperf.v1"));
	assert_true(descriptor_set_is_message(set, "csperf.v1.GetServerInfoRequest"));
	assert_false(descriptor_set_is_message(set, "csperf.v1.Performance"));
	assert_int_equal(descriptor_set_find_extension(set, "csperf.v1.GetServerInfoRequest", 100),
			 -1);
}

static void test_closure_is_the_file_then_its_imports_once(void **state)
{
	const descriptor_set *set = descriptor_set_builtin();
	size_t n = descriptor_set_count(set), *out = calloc(n, sizeof(*out)), got;
	long service = descriptor_set_find_file(set, "csperf/v1/service.proto");
	long indicators = descriptor_set_find_file(set, "csperf/v1/indicators.proto");
	int seen_indicators = 0;

	(void)state;
	assert_non_null(out);
	got = descriptor_set_closure(set, (size_t)service, out);
	assert_int_equal(out[0], (size_t)service);
	/* service.proto imports six files; scorecards.proto imports
	 * indicators.proto again: once. */
	assert_int_equal(got, 7);
	for (size_t i = 0; i < got; i++)
		seen_indicators += out[i] == (size_t)indicators;
	assert_int_equal(seen_indicators, 1);
	got = descriptor_set_closure(set, (size_t)descriptor_set_find_file(
		set, "grpc/health/v1/health.proto"), out);
	assert_int_equal(got, 1);
	free(out);
}

static void test_bad_bytes_do_not_parse(void **state)
{
	static const uint8_t truncated[] = { 0x0a, 0x20, 0x0a, 0x03, 'a', 'b' };
	static const uint8_t bad_wire_type[] = { 0x0f, 0x01 };
	static const uint8_t one_file[] = { 0x0a, 0x0d, 0x0a, 0x03, 'a', '.', 'p',
					    0x12, 0x01, 'p', 0x32, 0x03, 0x0a, 0x01, 'S' };
	descriptor_set *set;

	(void)state;
	assert_null(descriptor_set_read(truncated, sizeof(truncated)));
	assert_null(descriptor_set_read(bad_wire_type, sizeof(bad_wire_type)));
	assert_null(descriptor_set_read(NULL, 0));
	/* One file "a.p", package "p", one service "S". */
	set = descriptor_set_read(one_file, sizeof(one_file));
	assert_non_null(set);
	assert_int_equal(descriptor_set_count(set), 1);
	assert_string_equal(descriptor_set_file(set, 0)->name, "a.p");
	assert_int_equal(descriptor_set_find_symbol(set, "p.S"), 0);
	descriptor_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symbols_and_files),
		cmocka_unit_test(test_closure_is_the_file_then_its_imports_once),
		cmocka_unit_test(test_bad_bytes_do_not_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
