/* test_config.c: csperfd's flags, environment variables and defaults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static void clear_env(void)
{
	static const char *const names[] = {
		"CSPERF_LISTEN", "CSPERF_DSN", "CSPERF_DATA_DIR", "CSPERF_PG_BIN",
		"CSPERF_MIGRATIONS_DIR", "CSPERF_READY_FILE", "CSPERF_THREADS",
		"CSPERF_POLLERS", "CSPERF_DRAIN_TIMEOUT", "CSPERF_PG_PORT", "CSPERF_LOG_LEVEL",
		"CSPERF_MIGRATE_DSN", "CSPERF_TLS_CERT", "CSPERF_TLS_KEY", "CSPERF_TLS_CLIENT_CA",
		"CSPERF_INSECURE", "CSPERF_SUPPRESS_THRESHOLD", "CSPERF_READ_DSN",
		"CSPERF_WAIT_FOR_DATABASE", "CSPERF_LANE_CHILDREN",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unsetenv(names[i]);
}

static int parse(config *cfg, char *err, int argc, char **argv)
{
	return config_parse(cfg, argc, argv, err, 256);
}

static void test_defaults(void **state)
{
	config cfg;
	char err[256] = "";
	char *argv[] = { "csperfd", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 1, argv), 0);
	assert_int_equal(cfg.command, CONFIG_SERVE);
	assert_string_equal(cfg.listen, "127.0.0.1:50051");
	assert_null(cfg.dsn);
	assert_string_equal(cfg.data_dir, "./var/pgdata");
	assert_int_equal(cfg.threads, 4);
	assert_int_equal(cfg.pollers, 2);
	assert_int_equal(cfg.drain_timeout_ms, 10000);
	assert_int_equal(cfg.pg_port, 5432);
	assert_int_equal(cfg.level, LOG_LEVEL_INFO);
	assert_int_equal(cfg.lane_children, 5000);
}

/* A recompute's second connection: from how many children (0: always). */
static void test_lane_children(void **state)
{
	config cfg;
	char err[256] = "";
	char *flag[] = { "csperfd", "--lane-children", "0", NULL };
	char *plain[] = { "csperfd", NULL };
	char *bad[] = { "csperfd", "--lane-children", "some", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 3, flag), 0);
	assert_int_equal(cfg.lane_children, 0);
	setenv("CSPERF_LANE_CHILDREN", "20000", 1);
	assert_int_equal(parse(&cfg, err, 1, plain), 0);
	assert_int_equal(cfg.lane_children, 20000);
	assert_int_equal(parse(&cfg, err, 3, bad), -1);
	assert_string_equal(err, "--lane-children must be a whole number from 0 to 100000000, not "
			    "'some'");
	clear_env();
}

static void test_environment_then_flags(void **state)
{
	config cfg;
	char err[256] = "";
	char *plain[] = { "csperfd", NULL };
	char *flags[] = { "csperfd", "--listen", "[::1]:7000", "-t", "8", "--log-level", "warn",
			  NULL };

	clear_env();
	setenv("CSPERF_LISTEN", "0.0.0.0:6000", 1);
	setenv("CSPERF_DSN", "host=db dbname=csperf", 1);
	setenv("CSPERF_THREADS", "2", 1);
	setenv("CSPERF_LOG_LEVEL", "debug", 1);
	assert_int_equal(parse(&cfg, err, 1, plain), 0);
	assert_string_equal(cfg.listen, "0.0.0.0:6000");
	assert_string_equal(cfg.dsn, "host=db dbname=csperf");
	assert_int_equal(cfg.threads, 2);
	assert_int_equal(cfg.level, LOG_LEVEL_DEBUG);

	assert_int_equal(parse(&cfg, err, 7, flags), 0);
	assert_string_equal(cfg.listen, "[::1]:7000");
	assert_string_equal(cfg.dsn, "host=db dbname=csperf");
	assert_int_equal(cfg.threads, 8);
	assert_int_equal(cfg.level, LOG_LEVEL_WARN);
	clear_env();
}

static void test_migrate_command_anywhere(void **state)
{
	config cfg;
	char err[256] = "";
	char *before[] = { "csperfd", "migrate", "--dsn", "x", NULL };
	char *after[] = { "csperfd", "--dsn", "x", "migrate", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 4, before), 0);
	assert_int_equal(cfg.command, CONFIG_MIGRATE);
	assert_string_equal(cfg.dsn, "x");
	assert_int_equal(parse(&cfg, err, 4, after), 0);
	assert_int_equal(cfg.command, CONFIG_MIGRATE);
}

static void test_errors_name_the_value(void **state)
{
	config cfg;
	char err[256];
	char *threads[] = { "csperfd", "--threads", "lots", NULL };
	char *pollers[] = { "csperfd", "--pollers", "7", NULL };
	char *level[] = { "csperfd", "--log-level", "loud", NULL };
	char *command[] = { "csperfd", "serve-forever", NULL };
	char *unknown[] = { "csperfd", "--colour", NULL };
	char *missing[] = { "csperfd", "--dsn", NULL };
	char *env_only[] = { "csperfd", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 3, threads), -1);
	assert_string_equal(err, "--threads must be a whole number from 1 to 64, not 'lots'");
	assert_int_equal(parse(&cfg, err, 3, pollers), -1);
	assert_string_equal(err, "--pollers must be a whole number from 1 to 6, not '7'");
	assert_int_equal(parse(&cfg, err, 3, level), -1);
	assert_string_equal(err, "--log-level must be debug, info, warn or error, not 'loud'");
	assert_int_equal(parse(&cfg, err, 2, command), -1);
	assert_non_null(strstr(err, "unknown command 'serve-forever'"));
	assert_int_equal(parse(&cfg, err, 2, unknown), -1);
	assert_non_null(strstr(err, "--colour"));
	assert_int_equal(parse(&cfg, err, 2, missing), -1);
	assert_non_null(strstr(err, "missing value for '--dsn'"));

	setenv("CSPERF_DRAIN_TIMEOUT", "-5", 1);
	assert_int_equal(parse(&cfg, err, 1, env_only), -1);
	assert_string_equal(err, "--drain-timeout must be a whole number from 0 to 3600, not '-5'");
	clear_env();
}

static void test_loopback_addresses(void **state)
{
	static const char *const local[] = {
		"127.0.0.1:50051", "127.1.2.3:0", "localhost:50051", "LOCALHOST:1", "[::1]:50051",
		"[::ffff:127.0.0.1]:1", "unix:/tmp/csperfd.sock", "unix-abstract:csperfd",
		"ipv4:127.0.0.1:50051", "ipv6:[::1]:50051", "dns:///localhost:50051",
	};
	static const char *const remote[] = {
		"0.0.0.0:50051", "[::]:50051", ":50051", "10.0.0.5:50051", "128.0.0.1:1",
		"db.example.org:50051", "[::2]:1", "localhost.example.org:1", "ipv4:0.0.0.0:1", "",
	};

	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (!config_listen_is_loopback(local[i]))
			fail_msg("%s should be loopback", local[i]);
	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++)
		if (config_listen_is_loopback(remote[i]))
			fail_msg("%s should not be loopback", remote[i]);
}

static void test_plain_tcp_only_on_loopback(void **state)
{
	config cfg;
	char err[256] = "";
	char *wide[] = { "csperfd", "--listen", "0.0.0.0:50051", NULL };
	char *insecure[] = { "csperfd", "--listen", "0.0.0.0:50051", "--insecure", NULL };
	char *tls[] = { "csperfd", "--listen", "0.0.0.0:50051", "--tls-cert", "c.pem",
			"--tls-key", "k.pem", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 3, wide), 0);
	assert_int_equal(config_check_transport(&cfg, err, sizeof(err)), -1);
	assert_string_equal(err, "refusing to serve plain TCP on 0.0.0.0:50051, which is not a "
			    "loopback address: give --tls-cert and --tls-key, or --insecure if "
			    "the network is private");
	assert_int_equal(parse(&cfg, err, 4, insecure), 0);
	assert_int_equal(config_check_transport(&cfg, err, sizeof(err)), 0);
	assert_int_equal(parse(&cfg, err, 7, tls), 0);
	assert_int_equal(config_check_transport(&cfg, err, sizeof(err)), 0);

	setenv("CSPERF_INSECURE", "1", 1);
	assert_int_equal(parse(&cfg, err, 3, wide), 0);
	assert_true(cfg.insecure);
	setenv("CSPERF_INSECURE", "perhaps", 1);
	assert_int_equal(parse(&cfg, err, 3, wide), -1);
	assert_string_equal(err, "--insecure (CSPERF_INSECURE) must be 1 or 0, not 'perhaps'");
	clear_env();
}

static void test_tls_and_access_options(void **state)
{
	config cfg;
	char err[256] = "";
	char *cert_only[] = { "csperfd", "--tls-cert", "c.pem", NULL };
	char *ca_only[] = { "csperfd", "--tls-client-ca", "ca.pem", NULL };
	char *threshold[] = { "csperfd", "--suppress-threshold", "0", NULL };
	char *migrate_alone[] = { "csperfd", "--migrate-dsn", "x", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 3, cert_only), -1);
	assert_string_equal(err, "--tls-cert and --tls-key go together");
	assert_int_equal(parse(&cfg, err, 3, ca_only), -1);
	assert_string_equal(err, "--tls-client-ca needs --tls-cert and --tls-key");
	assert_int_equal(parse(&cfg, err, 3, threshold), -1);
	assert_string_equal(err, "--suppress-threshold must be a whole number from 1 to 100, not '0'");
	assert_int_equal(parse(&cfg, err, 3, migrate_alone), -1);
	assert_non_null(strstr(err, "--migrate-dsn goes with --dsn"));
	assert_int_equal(parse(&cfg, err, 1, (char *[]){ "csperfd", NULL }), 0);
	assert_int_equal(cfg.suppress_threshold, 4);
	assert_false(cfg.insecure);
}

static void test_read_dsns(void **state)
{
	config cfg;
	char err[256] = "";
	char *flags[] = { "csperfd", "--dsn", "host=p", "--read-dsn", "host=r1 port=5433",
			  "--read-dsn", "host=r2", NULL };
	char *alone[] = { "csperfd", "--read-dsn", "host=r1", NULL };
	char *env_only[] = { "csperfd", "--dsn", "host=p", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 7, flags), 0);
	assert_int_equal(cfg.nread_dsns, 2);
	assert_string_equal(cfg.read_dsns[0], "host=r1 port=5433");
	assert_string_equal(cfg.read_dsns[1], "host=r2");
	assert_int_equal(parse(&cfg, err, 3, alone), -1);
	assert_non_null(strstr(err, "--read-dsn goes with --dsn"));
	setenv("CSPERF_READ_DSN", "host=a port=1; postgresql://b/csperf;\nhost=c", 1);
	assert_int_equal(parse(&cfg, err, 3, env_only), 0);
	assert_int_equal(cfg.nread_dsns, 3);
	assert_string_equal(cfg.read_dsns[0], "host=a port=1");
	assert_string_equal(cfg.read_dsns[1], "postgresql://b/csperf");
	assert_string_equal(cfg.read_dsns[2], "host=c");
	/* Flags replace the variable. */
	assert_int_equal(parse(&cfg, err, 7, flags), 0);
	assert_int_equal(cfg.nread_dsns, 2);
	clear_env();
}

/* --wait-for-database: 0 by default (stop at once), seconds, or forever. */
static void test_wait_for_database(void **state)
{
	config cfg;
	char err[256] = "";
	char *plain[] = { "csperfd", "--dsn", "host=p", NULL };
	char *seconds[] = { "csperfd", "--dsn", "host=p", "--wait-for-database", "30", NULL };
	char *forever[] = { "csperfd", "--dsn", "host=p", "--wait-for-database", "forever", NULL };
	char *bad[] = { "csperfd", "--dsn", "host=p", "--wait-for-database", "soon", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 3, plain), 0);
	assert_int_equal(cfg.wait_for_database_s, 0);
	assert_int_equal(parse(&cfg, err, 5, seconds), 0);
	assert_int_equal(cfg.wait_for_database_s, 30);
	assert_int_equal(parse(&cfg, err, 5, forever), 0);
	assert_int_equal(cfg.wait_for_database_s, -1);
	assert_int_equal(parse(&cfg, err, 5, bad), -1);
	assert_non_null(strstr(err, "--wait-for-database"));
	assert_non_null(strstr(err, "'soon'"));
	setenv("CSPERF_WAIT_FOR_DATABASE", "forever", 1);
	assert_int_equal(parse(&cfg, err, 3, plain), 0);
	assert_int_equal(cfg.wait_for_database_s, -1);
	assert_int_equal(parse(&cfg, err, 5, seconds), 0);
	assert_int_equal(cfg.wait_for_database_s, 30);
	clear_env();
}

static void test_token_create_command(void **state)
{
	config cfg;
	char err[256] = "";
	char *create[] = { "csperfd", "token", "--role", "loader", "create", "--name", "etl",
			   "--council", "975", "--council", "976", "--dsn", "x", NULL };
	char *unnamed[] = { "csperfd", "token", "create", "--role", "admin", NULL };
	char *stray[] = { "csperfd", "--role", "admin", NULL };
	char *unknown[] = { "csperfd", "token", "delete", NULL };

	clear_env();
	assert_int_equal(parse(&cfg, err, 13, create), 0);
	assert_int_equal(cfg.command, CONFIG_TOKEN_CREATE);
	assert_string_equal(cfg.token_role, "loader");
	assert_string_equal(cfg.token_name, "etl");
	assert_int_equal(cfg.ntoken_councils, 2);
	assert_string_equal(cfg.token_councils[1], "976");
	assert_int_equal(parse(&cfg, err, 5, unnamed), -1);
	assert_string_equal(err, "csperfd token create needs --role and --name");
	assert_int_equal(parse(&cfg, err, 3, stray), -1);
	assert_non_null(strstr(err, "are for `csperfd token create`"));
	assert_int_equal(parse(&cfg, err, 3, unknown), -1);
	assert_non_null(strstr(err, "unknown command 'delete'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_lane_children),
		cmocka_unit_test(test_environment_then_flags),
		cmocka_unit_test(test_migrate_command_anywhere),
		cmocka_unit_test(test_errors_name_the_value),
		cmocka_unit_test(test_loopback_addresses),
		cmocka_unit_test(test_plain_tcp_only_on_loopback),
		cmocka_unit_test(test_tls_and_access_options),
		cmocka_unit_test(test_token_create_command),
		cmocka_unit_test(test_read_dsns),
		cmocka_unit_test(test_wait_for_database),
	};

	return cmocka_run_group_tests_name("unit_config", tests, NULL, NULL);
}
