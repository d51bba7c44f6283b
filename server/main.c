/*
 * main.c: csperfd's life: configuration, the database (embedded or given),
 * migrations, the pool, the gRPC server, and an orderly stop on SIGTERM or
 * SIGINT. Every failure to start is one sentence on standard error and exit
 * status 2. `csperfd token create` makes a token in the database directly,
 * for the first admin.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "config.h"
#include "handlers/access.h"
#include "handlers/handlers.h"
#include "log.h"
#include "rpc/rpc.h"
#include "store/store.h"
#include "store/store_access.h"
#include "tls_files.h"

#define EXIT_USAGE 1
#define EXIT_START 2

/* Largest message csperfd receives: load batches are well under this. */
#define MAX_MESSAGE_BYTES (16 * 1024 * 1024)
/* How long `token create` may take with the database. */
#define TOKEN_CREATE_TIMEOUT_MS 30000

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

static int serve(const config *cfg, const char *dsn, const char *mode, const tls_files *tls,
		 status *st)
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
	application.suppress_threshold = cfg->suppress_threshold;
	clock_gettime(CLOCK_MONOTONIC, &application.started);
	if (access_cache_new(&application.access_cache) != 0)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	if (store_pool_open(&application.pool, dsn, cfg->threads, st) != 0) {
		access_cache_free(application.access_cache);
		return -1;
	}

	memset(&options, 0, sizeof(options));
	options.listen = cfg->listen;
	options.pollers = cfg->pollers;
	options.workers = cfg->threads;
	options.max_message = MAX_MESSAGE_BYTES;
	options.gate = access_gate;
	options.before_finish = access_call_finishing;
	options.tls_cert_pem = tls->cert_pem;
	options.tls_key_pem = tls->key_pem;
	options.tls_client_ca_pem = tls->client_ca_pem;
	methods = handlers_methods(&nmethods);
	if (rpc_server_start(&server, &options, methods, nmethods, &application, st) != 0) {
		store_pool_close(application.pool);
		access_cache_free(application.access_cache);
		return -1;
	}
	log_info("csperfd %s serving on %s (port %d, %s, %d threads, %s database)",
		 CSPERF_VERSION_STRING, cfg->listen, rpc_server_port(server),
		 tls->cert_pem == NULL ? "plain TCP"
		 : tls->client_ca_pem != NULL ? "TLS with client certificates" : "TLS",
		 cfg->threads, mode);
	if (tls->cert_pem == NULL && !config_listen_is_loopback(cfg->listen))
		log_warn("csperfd: --insecure: tokens and data cross the network unencrypted");
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
	access_cache_free(application.access_cache);
	if (cfg->ready_file != NULL)
		unlink(cfg->ready_file);
	return 0;
}

static int remember_token_id(const store_token_row *row, void *ctx)
{
	*(int64_t *)ctx = row->principal->id;
	return 0;
}

/* `csperfd token create`: makes the token, stores its hash, prints it. */
static int create_token(const config *cfg, const char *dsn, status *st)
{
	auth_principal principal;
	store_pool *pool = NULL;
	char token[AUTH_TOKEN_LENGTH + 1], hash[AUTH_SHA256_HEX_SIZE], err[256];
	int64_t id = 0;
	int rc = -1;

	if (auth_principal_init(&principal, cfg->token_name, cfg->token_role,
				cfg->token_councils, cfg->ntoken_councils, cfg->token_localities,
				cfg->ntoken_localities, err, sizeof(err)) != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s", err);
	if (auth_token_generate(token) != 0)
		return status_set(st, STATUS_INTERNAL, "the random number generator failed");
	auth_token_hash(token, hash);
	if (store_pool_open(&pool, dsn, 1, st) != 0 ||
	    store_token_insert(pool, TOKEN_CREATE_TIMEOUT_MS, &principal, hash,
			       "csperfd token create", remember_token_id, &id, st) != 0)
		goto cleanup;
	printf("%s\n", token);
	if (fflush(stdout) != 0) {
		status_set(st, STATUS_INTERNAL, "cannot write the token: %s", strerror(errno));
		goto cleanup;
	}
	fprintf(stderr, "csperfd: token %lld for %s (%s) created and printed once: keep it "
		"secret\n", (long long)id, principal.name, auth_role_name(principal.role));
	rc = 0;
cleanup:
	auth_secret_wipe(token, sizeof(token));
	store_pool_close(pool);
	return rc;
}

int main(int argc, char **argv)
{
	config cfg;
	char err[512];
	char dsn[PATH_MAX + 128], owner_dsn[PATH_MAX + 128];
	status st = STATUS_INIT;
	tls_files tls = { NULL, NULL, NULL };
	bool serving_login = false;
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

	if (cfg.command == CONFIG_SERVE) {
		if (config_check_transport(&cfg, err, sizeof(err)) != 0) {
			status_set(&st, STATUS_FAILED_PRECONDITION, "%s", err);
			goto cleanup;
		}
		if (cfg.tls_cert != NULL &&
		    tls_files_load(&tls, cfg.tls_cert, cfg.tls_key, cfg.tls_client_ca, &st) != 0)
			goto cleanup;
	}
	if (load_migrations(&cfg, &migrations, &nmigrations, &owned_migrations, &st) != 0)
		goto cleanup;
	if (cfg.dsn != NULL) {
		snprintf(dsn, sizeof(dsn), "%s", cfg.dsn);
		snprintf(owner_dsn, sizeof(owner_dsn), "%s",
			 cfg.migrate_dsn != NULL ? cfg.migrate_dsn : cfg.dsn);
	} else {
		store_embedded_options pg_options = { cfg.data_dir, cfg.pg_bin, cfg.pg_port };

		if (store_embedded_start(&embedded, &pg_options, owner_dsn, sizeof(owner_dsn),
					 &st) != 0)
			goto cleanup;
		snprintf(dsn, sizeof(dsn), "%s", owner_dsn);
	}
	if (store_migrate(owner_dsn, migrations, nmigrations, &applied, &schema_version, &st) != 0)
		goto cleanup;
	log_info("store: schema version %ld (%d migration%s applied now)", schema_version,
		 applied, applied == 1 ? "" : "s");
	if (cfg.command == CONFIG_MIGRATE) {
		exit_code = 0;
		goto cleanup;
	}
	if (cfg.command == CONFIG_TOKEN_CREATE) {
		if (create_token(&cfg, owner_dsn, &st) == 0)
			exit_code = 0;
		goto cleanup;
	}
	/* The embedded PostgreSQL is ours: serve as a login with csperf_app's
	 * privileges only, not as its superuser. */
	if (embedded != NULL) {
		if (store_serving_login(owner_dsn, dsn, sizeof(dsn), &serving_login, &st) != 0)
			goto cleanup;
		if (!serving_login)
			log_warn("store: the role csperf_app does not exist: serving as the owner");
	}
	if (serve(&cfg, dsn, embedded != NULL ? "embedded" : "external", &tls, &st) == 0)
		exit_code = 0;
cleanup:
	if (exit_code != 0)
		fprintf(stderr, "csperfd: %s\n", st.message);
	store_embedded_stop(embedded);
	store_migrations_free(owned_migrations, nmigrations);
	tls_files_clear(&tls);
	return exit_code;
}
