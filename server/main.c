/*
 * main.c: csperfd's life: configuration, the database (embedded or given),
 * migrations, the pool, the gRPC server, and an orderly stop on SIGTERM or
 * SIGINT. Every failure to start is one sentence on standard error and exit
 * status 2.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "handlers/handlers.h"
#include "log.h"
#include "rpc/rpc.h"
#include "store/store.h"

#define EXIT_USAGE 1
#define EXIT_START 2

/* Largest message csperfd receives: load batches are well under this. */
#define MAX_MESSAGE_BYTES (16 * 1024 * 1024)

static int write_ready_file(const char *path, int port)
{
	char tmp[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0)
		return -1;
	/* rename makes the file appear whole: a watcher never reads half. */
	return rename(tmp, path);
}

static int load_migrations(const config *cfg, const store_migration **migrations,
			   size_t *count, store_migration **owned, status *st)
{
	*owned = NULL;
	if (cfg->migrations_dir == NULL) {
		*migrations = store_builtin_migrations(count);
		return 0;
	}
	if (store_migrations_read_dir(cfg->migrations_dir, owned, count, st) != 0)
		return -1;
	*migrations = *owned;
	return 0;
}

static int serve(const config *cfg, const char *dsn, const char *mode, status *st)
{
	app application;
	rpc_server *server = NULL;
	rpc_server_options options;
	const rpc_method *methods;
	size_t nmethods;
	sigset_t stop_signals;
	int signal_number = 0;

	memset(&application, 0, sizeof(application));
	application.database_mode = mode;
	clock_gettime(CLOCK_MONOTONIC, &application.started);
	if (store_pool_open(&application.pool, dsn, cfg->threads, st) != 0)
		return -1;

	options.listen = cfg->listen;
	options.pollers = cfg->pollers;
	options.workers = cfg->threads;
	options.max_message = MAX_MESSAGE_BYTES;
	methods = handlers_methods(&nmethods);
	if (rpc_server_start(&server, &options, methods, nmethods, &application, st) != 0) {
		store_pool_close(application.pool);
		return -1;
	}
	log_info("csperfd %s serving on %s (port %d, %d threads, %s database)",
		 CSPERF_VERSION_STRING, cfg->listen, rpc_server_port(server), cfg->threads,
		 mode);
	if (cfg->ready_file != NULL && write_ready_file(cfg->ready_file, rpc_server_port(server)) != 0)
		log_warn("cannot write the ready file %s: %s", cfg->ready_file, strerror(errno));

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	while (sigwait(&stop_signals, &signal_number) != 0)
		;
	log_info("csperfd: %s received: draining calls (up to %d ms)",
		 signal_number == SIGINT ? "SIGINT" : "SIGTERM", cfg->drain_timeout_ms);
	rpc_server_stop(server, cfg->drain_timeout_ms);
	store_pool_close(application.pool);
	if (cfg->ready_file != NULL)
		unlink(cfg->ready_file);
	return 0;
}

int main(int argc, char **argv)
{
	config cfg;
	char err[512];
	char dsn[PATH_MAX + 128];
	status st = STATUS_INIT;
	store_embedded *embedded = NULL;
	const store_migration *migrations;
	store_migration *owned_migrations = NULL;
	size_t nmigrations = 0;
	sigset_t stop_signals;
	int applied = 0, rc, exit_code = EXIT_START;
	long schema_version = 0;

	rc = config_parse(&cfg, argc, argv, err, sizeof(err));
	if (rc == 1)
		return 0;
	if (rc != 0) {
		fprintf(stderr, "csperfd: %s\n", err);
		return EXIT_USAGE;
	}
	log_set_level(cfg.level);

	/* Block the stop signals before any thread exists (gRPC's included), so
	 * that only sigwait in serve() receives them. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (load_migrations(&cfg, &migrations, &nmigrations, &owned_migrations, &st) != 0)
		goto cleanup;
	if (cfg.dsn != NULL) {
		snprintf(dsn, sizeof(dsn), "%s", cfg.dsn);
	} else {
		store_embedded_options pg_options = { cfg.data_dir, cfg.pg_bin, cfg.pg_port };

		if (store_embedded_start(&embedded, &pg_options, dsn, sizeof(dsn), &st) != 0)
			goto cleanup;
	}
	if (store_migrate(dsn, migrations, nmigrations, &applied, &schema_version, &st) != 0)
		goto cleanup;
	log_info("store: schema version %ld (%d migration%s applied now)", schema_version,
		 applied, applied == 1 ? "" : "s");
	if (cfg.command == CONFIG_MIGRATE) {
		exit_code = 0;
		goto cleanup;
	}
	if (serve(&cfg, dsn, embedded != NULL ? "embedded" : "external", &st) == 0)
		exit_code = 0;
cleanup:
	if (exit_code != 0)
		fprintf(stderr, "csperfd: %s\n", st.message);
	store_embedded_stop(embedded);
	store_migrations_free(owned_migrations, nmigrations);
	return exit_code;
}
