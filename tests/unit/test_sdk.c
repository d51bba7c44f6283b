/* test_sdk.c: libcsperf's public contract with no server: options checking,
 * error codes and messages, and an unreachable server reported as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <csperf/csperf.h>

static void test_version(void **state)
{
	assert_string_equal(csperf_version(), CSPERF_VERSION);
	assert_int_equal(CSPERF_VERSION_NUMBER, (CSPERF_VERSION_MAJOR << 16) |
			 (CSPERF_VERSION_MINOR << 8) | CSPERF_VERSION_PATCH);
}

static void test_every_code_has_a_distinct_description(void **state)
{
	for (int a = CSPERF_EVERSION; a <= CSPERF_OK; a++) {
		assert_non_null(csperf_strerror(a));
		assert_string_not_equal(csperf_strerror(a), "unknown error code");
		for (int b = a + 1; b <= CSPERF_OK; b++)
			assert_string_not_equal(csperf_strerror(a), csperf_strerror(b));
	}
	assert_string_equal(csperf_strerror(-1000), "unknown error code");
	assert_string_equal(csperf_strerror(CSPERF_ETIMEOUT), "deadline exceeded");
}

static void test_options_are_checked(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = (csperf_client *)&options;  /* must be reset to NULL */

	options.version = 99;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_EVERSION);
	assert_null(client);
	assert_string_equal(csperf_error_last(), "csperf_client_new: options version 99 is not 1");

	options.version = CSPERF_CLIENT_OPTIONS_VERSION;
	options.timeout_ms = -1;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_EINVAL);
	assert_int_equal(csperf_client_new(NULL, &options), CSPERF_EINVAL);
	csperf_client_free(NULL);
	csperf_server_info_free(NULL);
}

static void test_defaults(void **state)
{
	csperf_client *client = NULL;

	assert_int_equal(csperf_client_new(&client, NULL), CSPERF_OK);
	assert_string_equal(csperf_client_server(client), CSPERF_DEFAULT_SERVER);
	csperf_client_free(client);
}

static void test_unreachable_server(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_server_info *info = NULL;
	csperf_health health = CSPERF_HEALTH_SERVING;

	/* Port 1 on loopback: nothing listens there. */
	options.server = "127.0.0.1:1";
	options.timeout_ms = 2000;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	assert_int_equal(csperf_server_info_get(client, &info), CSPERF_EUNAVAILABLE);
	assert_null(info);
	assert_non_null(strstr(csperf_error_last(), "GetServerInfo: cannot reach csperfd at 127.0.0.1:1"));
	assert_int_equal(csperf_health_check(client, NULL, &health), CSPERF_EUNAVAILABLE);
	assert_int_equal(health, CSPERF_HEALTH_SERVING);  /* untouched on failure */
	csperf_client_free(client);
}

static void test_tls_options_are_checked(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = (csperf_client *)&options;

	options.tls_cert_file = "/nonexistent/client.pem";
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_EINVAL);
	assert_null(client);
	assert_string_equal(csperf_error_last(),
			    "csperf_client_new: tls_cert_file and tls_key_file go together");

	options.tls_cert_file = NULL;
	options.tls_ca_file = "/nonexistent/ca.pem";
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "cannot read the TLS CA file /nonexistent/ca.pem"));

	/* TLS with the system's CAs needs no file. */
	options.tls_ca_file = NULL;
	options.tls = 1;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	csperf_client_free(client);
}

/* Several servers: one channel over their addresses (round_robin). A
 * read that none answers is tried once more, and still fails cleanly. */
static void test_several_servers(void **state)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_server_info *info = NULL;

	options.server = "127.0.0.1:1,localhost:2";
	options.timeout_ms = 2000;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	assert_string_equal(csperf_client_server(client), "127.0.0.1:1,localhost:2");
	assert_int_equal(csperf_server_info_get(client, &info), CSPERF_EUNAVAILABLE);
	assert_null(info);
	csperf_client_free(client);
	options.server = "127.0.0.1,127.0.0.1:2";
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_EINVAL);
	assert_null(client);
	assert_non_null(strstr(csperf_error_last(), "is not a list of host:port"));
	options.server = "[::1]:1,[::1]:2";
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_every_code_has_a_distinct_description),
		cmocka_unit_test(test_options_are_checked),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_unreachable_server),
		cmocka_unit_test(test_several_servers),
		cmocka_unit_test(test_tls_options_are_checked),
	};

	return cmocka_run_group_tests_name("unit_sdk", tests, NULL, NULL);
}
