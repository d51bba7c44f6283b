/*
 * config.h: csperfd's configuration, from flags and CSPERF_* environment
 * variables (a flag wins over its variable, which wins over the default).
 */
#ifndef CSPERF_SERVER_CONFIG_H
#define CSPERF_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"

typedef enum config_command {
	CONFIG_SERVE,        /* csperfd [options] */
	CONFIG_MIGRATE,      /* csperfd migrate [options]: apply migrations and exit */
	CONFIG_TOKEN_CREATE  /* csperfd token create --role R --name N ...: print a new token */
} config_command;

/* The most --council or --locality flags `token create` takes. */
#define CONFIG_MAX_LIST 200
/* The most --read-dsn flags. */
#define CONFIG_MAX_READ_DSN 16

typedef struct config {
	config_command command;
	const char *listen;          /* CSPERF_LISTEN */
	const char *dsn;             /* CSPERF_DSN; NULL: embedded PostgreSQL */
	const char *data_dir;        /* CSPERF_DATA_DIR */
	const char *pg_bin;          /* CSPERF_PG_BIN */
	const char *migrations_dir;  /* CSPERF_MIGRATIONS_DIR; NULL: built in */
	const char *ready_file;      /* CSPERF_READY_FILE */
	int threads;                 /* CSPERF_THREADS: database connections */
	int workers;                 /* CSPERF_WORKERS: handler threads (4 x threads) */
	int read_cache_mb;           /* CSPERF_READ_CACHE_MB: 0 no read cache */
	int pollers;                 /* CSPERF_POLLERS */
	int drain_timeout_ms;        /* CSPERF_DRAIN_TIMEOUT (seconds) */
	int recompute_every_s;       /* CSPERF_RECOMPUTE_EVERY: the recompute sweep's period */
	int lane_children;           /* CSPERF_LANE_CHILDREN: a recompute's second connection from */
	int pg_port;                 /* CSPERF_PG_PORT: embedded socket's number */
	log_level level;             /* CSPERF_LOG_LEVEL */
	const char *migrate_dsn;     /* CSPERF_MIGRATE_DSN: the owner's, for migrations;
				      * NULL: dsn */
	const char *tls_cert;        /* CSPERF_TLS_CERT: PEM certificate chain */
	const char *tls_key;         /* CSPERF_TLS_KEY: its PEM private key */
	const char *tls_client_ca;   /* CSPERF_TLS_CLIENT_CA: require client certificates */
	bool insecure;               /* CSPERF_INSECURE: plain TCP beyond loopback */
	int suppress_threshold;      /* CSPERF_SUPPRESS_THRESHOLD: counts 1..N suppressed */
	/* CSPERF_WAIT_FOR_DATABASE, with --dsn: seconds to wait for a database
	 * that cannot be reached at start, serving NOT_SERVING meanwhile;
	 * 0 (default): stop at once; -1 ("forever"): no limit */
	int wait_for_database_s;
	/* --read-dsn (repeatable) or CSPERF_READ_DSN (';' between DSNs):
	 * streaming replicas for reads (docs/SCALING.md) */
	const char *read_dsns[CONFIG_MAX_READ_DSN];
	size_t nread_dsns;
	/* token create */
	const char *token_role;
	const char *token_name;
	const char *token_councils[CONFIG_MAX_LIST];
	size_t ntoken_councils;
	const char *token_localities[CONFIG_MAX_LIST];
	size_t ntoken_localities;
} config;

/* Reads argv and the environment into cfg. Returns 0 to run, 1 when --help
 * or --version was printed (exit 0), -1 on a usage error (message in err). */
int config_parse(config *cfg, int argc, char **argv, char *err, size_t errsize);

/* Prints the usage text to stdout. */
void config_usage(const char *program);

/* Whether a listen address stays on this machine: 127.0.0.0/8, [::1],
 * localhost, or a unix socket. */
bool config_listen_is_loopback(const char *listen);

/* Plain TCP (no --tls-cert) only on loopback unless --insecure: returns 0,
 * or -1 with one sentence in err. */
int config_check_transport(const config *cfg, char *err, size_t errsize);

#endif
