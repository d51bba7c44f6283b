/* config.c: flags, environment and defaults for csperfd. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CSPERF_VERSION_STRING
#define CSPERF_VERSION_STRING "unknown"
#endif

void config_usage(const char *program)
{
	printf(
"Usage: %s [migrate] [options]\n"
"\n"
"csperfd serves csperf's gRPC API (csperf.v1.Performance, grpc.health.v1.Health)\n"
"over a PostgreSQL store. With no --dsn it runs its own private PostgreSQL 15\n"
"in --data-dir and stops it when it exits. `migrate` applies pending schema\n"
"migrations and exits. SIGTERM or SIGINT drain calls in flight and stop.\n"
"\n"
"Options (environment variable in brackets; a flag wins):\n"
"  -l, --listen ADDR        address to serve on [CSPERF_LISTEN]\n"
"                           (default 127.0.0.1:50051; port 0 picks one; unix:/path)\n"
"  -d, --dsn DSN            libpq connection string of an existing database\n"
"                           [CSPERF_DSN] (default: the embedded PostgreSQL)\n"
"      --data-dir DIR       the embedded PostgreSQL's data directory\n"
"                           [CSPERF_DATA_DIR] (default ./var/pgdata)\n"
"      --pg-bin DIR         folder of initdb and postgres [CSPERF_PG_BIN]\n"
"                           (default /usr/lib/postgresql/15/bin)\n"
"      --pg-port N          the embedded socket's port number; no TCP is opened\n"
"                           [CSPERF_PG_PORT] (default 5432)\n"
"  -t, --threads N          handler threads, and database connections\n"
"                           [CSPERF_THREADS] (default 4)\n"
"      --pollers N          threads polling the network, 1-6 [CSPERF_POLLERS]\n"
"                           (default 2)\n"
"      --drain-timeout S    seconds calls in flight may take at shutdown\n"
"                           [CSPERF_DRAIN_TIMEOUT] (default 10)\n"
"      --migrations-dir DIR read migrations from DIR instead of the built-in set\n"
"                           [CSPERF_MIGRATIONS_DIR]\n"
"      --ready-file FILE    once serving, write the bound port to FILE\n"
"                           [CSPERF_READY_FILE]\n"
"      --log-level LEVEL    debug, info, warn or error [CSPERF_LOG_LEVEL]\n"
"                           (default info)\n"
"  -h, --help               this text\n"
"  -V, --version            the version\n"
"\n"
"Exit status: 0 after a clean stop, 1 on bad usage, 2 when csperfd cannot\n"
"start (the reason is one sentence on standard error).\n",
	       program);
}

static int parse_int(const char *name, const char *text, int min, int max, int *out,
		     char *err, size_t errsize)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
		snprintf(err, errsize, "%s must be a whole number from %d to %d, not '%s'",
			 name, min, max, text);
		return -1;
	}
	*out = (int)value;
	return 0;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *value = getenv(name);

	return value != NULL && value[0] != '\0' ? value : fallback;
}

enum {
	OPT_DATA_DIR = 256, OPT_PG_BIN, OPT_PG_PORT, OPT_POLLERS, OPT_DRAIN,
	OPT_MIGRATIONS, OPT_READY, OPT_LOG_LEVEL
};

int config_parse(config *cfg, int argc, char **argv, char *err, size_t errsize)
{
	static const struct option options[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "dsn", required_argument, NULL, 'd' },
		{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
		{ "pg-bin", required_argument, NULL, OPT_PG_BIN },
		{ "pg-port", required_argument, NULL, OPT_PG_PORT },
		{ "threads", required_argument, NULL, 't' },
		{ "pollers", required_argument, NULL, OPT_POLLERS },
		{ "drain-timeout", required_argument, NULL, OPT_DRAIN },
		{ "migrations-dir", required_argument, NULL, OPT_MIGRATIONS },
		{ "ready-file", required_argument, NULL, OPT_READY },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *threads, *pollers, *drain, *pg_port, *level;
	int drain_s = 10, opt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->command = CONFIG_SERVE;
	cfg->listen = env_or("CSPERF_LISTEN", "127.0.0.1:50051");
	cfg->dsn = env_or("CSPERF_DSN", NULL);
	cfg->data_dir = env_or("CSPERF_DATA_DIR", "./var/pgdata");
	cfg->pg_bin = env_or("CSPERF_PG_BIN", NULL);
	cfg->migrations_dir = env_or("CSPERF_MIGRATIONS_DIR", NULL);
	cfg->ready_file = env_or("CSPERF_READY_FILE", NULL);
	threads = env_or("CSPERF_THREADS", "4");
	pollers = env_or("CSPERF_POLLERS", "2");
	drain = env_or("CSPERF_DRAIN_TIMEOUT", "10");
	pg_port = env_or("CSPERF_PG_PORT", "5432");
	level = env_or("CSPERF_LOG_LEVEL", "info");

	optind = 0;  /* 0 makes glibc start afresh (tests parse more than once) */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:d:t:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'l': cfg->listen = optarg; break;
		case 'd': cfg->dsn = optarg; break;
		case OPT_DATA_DIR: cfg->data_dir = optarg; break;
		case OPT_PG_BIN: cfg->pg_bin = optarg; break;
		case OPT_PG_PORT: pg_port = optarg; break;
		case 't': threads = optarg; break;
		case OPT_POLLERS: pollers = optarg; break;
		case OPT_DRAIN: drain = optarg; break;
		case OPT_MIGRATIONS: cfg->migrations_dir = optarg; break;
		case OPT_READY: cfg->ready_file = optarg; break;
		case OPT_LOG_LEVEL: level = optarg; break;
		case 'h':
			config_usage(argv[0]);
			return 1;
		case 'V':
			printf("csperfd %s\n", CSPERF_VERSION_STRING);
			return 1;
		default:
			snprintf(err, errsize, "%s '%s'; see %s --help",
				 opt == ':' ? "missing value for" : "unknown option or missing value:",
				 argv[optind - 1], argv[0]);
			return -1;
		}
	}
	/* GNU getopt moves the command past the options wherever it stood. */
	if (optind < argc) {
		if (strcmp(argv[optind], "migrate") != 0 || optind + 1 < argc) {
			snprintf(err, errsize, "unknown command '%s'; see %s --help",
				 argv[optind], argv[0]);
			return -1;
		}
		cfg->command = CONFIG_MIGRATE;
	}
	if (parse_int("--threads", threads, 1, 64, &cfg->threads, err, errsize) != 0 ||
	    parse_int("--pollers", pollers, 1, 6, &cfg->pollers, err, errsize) != 0 ||
	    parse_int("--drain-timeout", drain, 0, 3600, &drain_s, err, errsize) != 0 ||
	    parse_int("--pg-port", pg_port, 1, 65535, &cfg->pg_port, err, errsize) != 0)
		return -1;
	cfg->drain_timeout_ms = drain_s * 1000;
	if (log_level_parse(level, &cfg->level) != 0) {
		snprintf(err, errsize,
			 "--log-level must be debug, info, warn or error, not '%s'", level);
		return -1;
	}
	if (cfg->listen[0] == '\0') {
		snprintf(err, errsize, "--listen must not be empty");
		return -1;
	}
	return 0;
}
