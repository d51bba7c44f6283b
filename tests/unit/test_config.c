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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_environment_then_flags),
		cmocka_unit_test(test_migrate_command_anywhere),
		cmocka_unit_test(test_errors_name_the_value),
	};

	return cmocka_run_group_tests_name("unit_config", tests, NULL, NULL);
}
