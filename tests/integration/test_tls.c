/*
 * test_tls.c: csperfd over TLS, end to end, with certificates made for the
 * test: the SDK and the CLI with the CA, refusal of a plain client and of a
 * wrong CA, client certificates when csperfd asks for them, clear refusals
 * of bad files, and plain TCP beyond loopback only with --insecure.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csperf/csperf.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

static fixture_pg pg;
static char tls_dir[256];
static char ca[300], other_ca[300], server_cert[300], server_key[300], client_cert[300],
	client_key[300];

static int setup(void **state)
{
	if (fixture_pg_start(&pg) != 0 || fixture_mkdtemp(tls_dir, sizeof(tls_dir), "csperf-tls") != 0 ||
	    fixture_tls_make(tls_dir) != 0)
		return -1;
	snprintf(ca, sizeof(ca), "%s/ca.pem", tls_dir);
	snprintf(other_ca, sizeof(other_ca), "%s/other-ca.pem", tls_dir);
	snprintf(server_cert, sizeof(server_cert), "%s/server.pem", tls_dir);
	snprintf(server_key, sizeof(server_key), "%s/server.key", tls_dir);
	snprintf(client_cert, sizeof(client_cert), "%s/client.pem", tls_dir);
	snprintf(client_key, sizeof(client_key), "%s/client.key", tls_dir);
	return 0;
}

static int teardown(void **state)
{
	char command[320];

	fixture_pg_destroy(&pg);
	snprintf(command, sizeof(command), "rm -rf '%s'", tls_dir);
	return system(command) == 0 ? 0 : -1;
}

typedef struct tls_client {
	const char *ca;
	const char *cert;
	const char *key;
	int tls;
} tls_client;

/* GetServerInfo through a client made with these TLS options. */
static int info_with(const char *address, const char *token, const tls_client *t)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_server_info *info = NULL;
	int rc;

	options.server = address;
	options.token = token;
	options.timeout_ms = fixture_deadline_ms(10000);
	options.tls = t->tls;
	options.tls_ca_file = t->ca;
	options.tls_cert_file = t->cert;
	options.tls_key_file = t->key;
	rc = csperf_client_new(&client, &options);
	if (rc != CSPERF_OK)
		return rc;
	rc = csperf_server_info_get(client, &info);
	if (rc == CSPERF_OK && strcmp(info->database_status, "ok") != 0)
		rc = CSPERF_ERROR;
	csperf_server_info_free(info);
	csperf_client_free(client);
	return rc;
}

static int cli_info(const char *address, const char *const *tls_args)
{
	const char *argv[16] = { CSPERF_CLI_PATH, "-s", address };
	size_t n = 3;
	char *out = NULL, *err = NULL;
	int rc;

	for (size_t i = 0; tls_args != NULL && tls_args[i] != NULL; i++)
		argv[n++] = tls_args[i];
	argv[n++] = "info";
	argv[n] = NULL;
	rc = fixture_run(argv, NULL, &out, &err, 60);
	free(out);
	free(err);
	return rc;
}

static void test_tls_end_to_end(void **state)
{
	fixture_server srv;
	char localhost[64];
	const tls_client with_ca = { ca, NULL, NULL, 0 };
	const tls_client plain = { NULL, NULL, NULL, 0 };
	const tls_client wrong_ca = { other_ca, NULL, NULL, 0 };
	const tls_client system_roots = { NULL, NULL, NULL, 1 };
	char *log;

	assert_int_equal(fixture_server_start(&srv, pg.dsn, (const char *const[]){
		"--tls-cert", server_cert, "--tls-key", server_key, NULL }), 0);
	snprintf(localhost, sizeof(localhost), "localhost:%d", srv.port);

	assert_int_equal(info_with(srv.address, srv.token, &with_ca), CSPERF_OK);
	assert_int_equal(info_with(localhost, srv.token, &with_ca), CSPERF_OK);
	/* TLS first: no token is read from a connection that is not TLS. */
	assert_int_equal(info_with(srv.address, srv.token, &plain), CSPERF_EUNAVAILABLE);
	assert_int_equal(info_with(srv.address, srv.token, &wrong_ca), CSPERF_EUNAVAILABLE);
	assert_int_equal(info_with(srv.address, srv.token, &system_roots), CSPERF_EUNAVAILABLE);
	/* Over TLS, the token is still required. */
	assert_int_equal(info_with(srv.address, NULL, &with_ca), CSPERF_EAUTH);

	assert_int_equal(cli_info(srv.address, (const char *const[]){ "--tls-ca", ca, NULL }), 0);
	assert_int_equal(cli_info(srv.address, NULL), 3);

	assert_int_equal(fixture_server_stop(&srv, SIGTERM, 30), 0);
	log = fixture_read_file(srv.log_path);
	assert_non_null(strstr(log, "TLS"));
	assert_null(strstr(log, srv.token));
	free(log);
}

static void test_client_certificates(void **state)
{
	fixture_server srv;
	const tls_client without_cert = { ca, NULL, NULL, 0 };
	const tls_client with_cert = { ca, client_cert, client_key, 0 };
	const tls_client cert_no_key = { ca, client_cert, NULL, 0 };
	const tls_client server_cert_as_client = { ca, server_cert, client_key, 0 };

	assert_int_equal(fixture_server_start(&srv, pg.dsn, (const char *const[]){
		"--tls-cert", server_cert, "--tls-key", server_key, "--tls-client-ca", ca, NULL }), 0);
	assert_int_equal(info_with(srv.address, srv.token, &with_cert), CSPERF_OK);
	assert_int_equal(info_with(srv.address, srv.token, &without_cert), CSPERF_EUNAVAILABLE);
	assert_int_equal(info_with(srv.address, srv.token, &cert_no_key), CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "tls_cert_file and tls_key_file go together"));
	/* A certificate with the key of another: refused by the client itself. */
	assert_int_not_equal(info_with(srv.address, srv.token, &server_cert_as_client), CSPERF_OK);
	assert_int_equal(cli_info(srv.address, (const char *const[]){ "--tls-ca", ca, "--tls-cert",
		client_cert, "--tls-key", client_key, NULL }), 0);
	assert_int_equal(cli_info(srv.address, (const char *const[]){ "--tls-ca", ca, NULL }), 3);
	assert_int_equal(fixture_server_stop(&srv, SIGTERM, 30), 0);
}

/* One sentence: a single line naming csperfd, and nothing after it. */
static void assert_one_sentence(const char *err, const char *expected)
{
	const char *line = strstr(err, "csperfd: ");

	assert_non_null(line);
	assert_non_null(strstr(line, expected));
	assert_ptr_equal(strchr(line, '\n'), strrchr(err, '\n'));
}

static void test_bad_tls_files_are_named(void **state)
{
	char err[4096], missing[320];

	snprintf(missing, sizeof(missing), "%s/missing.pem", tls_dir);
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", pg.dsn,
		"--listen", "127.0.0.1:0", "--tls-cert", server_cert, "--tls-key", client_key, NULL },
		err, sizeof(err), 30), 2);
	assert_one_sentence(err, "is not the key of the certificate");
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", pg.dsn,
		"--listen", "127.0.0.1:0", "--tls-cert", missing, "--tls-key", server_key, NULL },
		err, sizeof(err), 30), 2);
	assert_one_sentence(err, "cannot read the TLS certificate");
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", pg.dsn,
		"--listen", "127.0.0.1:0", "--tls-cert", server_cert, "--tls-key", ca, NULL },
		err, sizeof(err), 30), 2);
	assert_one_sentence(err, "holds no unencrypted PEM private key");
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", pg.dsn,
		"--listen", "127.0.0.1:0", "--tls-cert", server_cert, NULL }, err, sizeof(err), 30), 1);
	assert_one_sentence(err, "--tls-cert and --tls-key go together");
}

static void test_plain_tcp_beyond_loopback_needs_insecure(void **state)
{
	fixture_server srv;
	const tls_client plain = { NULL, NULL, NULL, 0 };
	const tls_client with_ca = { ca, NULL, NULL, 0 };
	char err[4096], *log;

	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", pg.dsn,
		"--listen", "0.0.0.0:0", NULL }, err, sizeof(err), 30), 2);
	assert_one_sentence(err, "refusing to serve plain TCP on 0.0.0.0:0, which is not a "
			    "loopback address: give --tls-cert and --tls-key, or --insecure");
	assert_int_equal(fixture_run_csperfd((const char *const[]){ "--dsn", pg.dsn,
		"--listen", ":0", NULL }, err, sizeof(err), 30), 2);
	assert_one_sentence(err, "refusing to serve plain TCP on :0");

	assert_int_equal(fixture_server_start(&srv, pg.dsn, (const char *const[]){
		"--listen", "0.0.0.0:0", "--insecure", NULL }), 0);
	assert_int_equal(info_with(srv.address, srv.token, &plain), CSPERF_OK);
	assert_int_equal(fixture_server_stop(&srv, SIGTERM, 30), 0);
	log = fixture_read_file(srv.log_path);
	assert_non_null(strstr(log, "tokens and data cross the network unencrypted"));
	free(log);

	/* With TLS, any address. */
	assert_int_equal(fixture_server_start(&srv, pg.dsn, (const char *const[]){
		"--listen", "0.0.0.0:0", "--tls-cert", server_cert, "--tls-key", server_key, NULL }), 0);
	assert_int_equal(info_with(srv.address, srv.token, &with_ca), CSPERF_OK);
	assert_int_equal(fixture_server_stop(&srv, SIGTERM, 30), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls_end_to_end),
		cmocka_unit_test(test_client_certificates),
		cmocka_unit_test(test_bad_tls_files_are_named),
		cmocka_unit_test(test_plain_tcp_beyond_loopback_needs_insecure),
	};

	return cmocka_run_group_tests_name("integration_tls", tests, setup, teardown);
}
