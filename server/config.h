/*
 * config.h: csperfd's configuration, from flags and CSPERF_* environment
 * variables (a flag wins over its variable, which wins over the default).
 */
#ifndef CSPERF_SERVER_CONFIG_H
#define CSPERF_SERVER_CONFIG_H

#include <stddef.h>

#include "log.h"

typedef enum config_command {
	CONFIG_SERVE,    /* csperfd [options] */
	CONFIG_MIGRATE   /* csperfd migrate [options]: apply migrations and exit */
} config_command;

typedef struct config {
	config_command command;
	const char *listen;          /* CSPERF_LISTEN */
	const char *dsn;             /* CSPERF_DSN; NULL: embedded PostgreSQL */
	const char *data_dir;        /* CSPERF_DATA_DIR */
	const char *pg_bin;          /* CSPERF_PG_BIN */
	const char *migrations_dir;  /* CSPERF_MIGRATIONS_DIR; NULL: built in */
	const char *ready_file;      /* CSPERF_READY_FILE */
	int threads;                 /* CSPERF_THREADS: handler workers and DB connections */
	int pollers;                 /* CSPERF_POLLERS */
	int drain_timeout_ms;        /* CSPERF_DRAIN_TIMEOUT (seconds) */
	int pg_port;                 /* CSPERF_PG_PORT: embedded socket's number */
	log_level level;             /* CSPERF_LOG_LEVEL */
} config;

/* Reads argv and the environment into cfg. Returns 0 to run, 1 when --help
 * or --version was printed (exit 0), -1 on a usage error (message in err). */
int config_parse(config *cfg, int argc, char **argv, char *err, size_t errsize);

/* Prints the usage text to stdout. */
void config_usage(const char *program);

#endif
