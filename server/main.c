/*
 * main.c: csperfd's life: configuration, the database (embedded or given),
 * migrations, the pool, the gRPC server, and an orderly stop on SIGTERM or
 * SIGINT. Every failure to start is one sentence on standard error and exit
 * status 2. `csperfd token create` makes a token in the database directly,
 * for the first admin.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "compute_sweeper.h"
#include "health_monitor.h"
#include "config.h"
#include "handlers/access.h"
#include "handlers/handlers.h"
#include "handlers/read_cache.h"
#include "handlers/suppress.h"
#include "handlers/watch.h"
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

/* --wait-for-database: csperfd serves before its database can be reached
 * (health NOT_SERVING, every other call UNAVAILABLE), and this thread
 * applies the migrations as soon as it can, then lets calls through. It
 * gives up (csperfd stops with one sentence) when the wait is over or the
 * failure is not one of reaching the database (a changed migration...). */
typedef struct database_wait {
	const char *owner_dsn;
	const store_migration *migrations;
	size_t nmigrations;
	int wait_s;                 /* -1: no limit */
	app *application;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;                  /* csperfd is stopping: give up quietly */
	bool failed;                /* gave up: st says why */
	status st;
} database_wait;

/* Retries at most this often, and says it still waits this often. */
#define DATABASE_RETRY_MAX_MS 2000
#define DATABASE_WAIT_LOG_S 60

static void *database_wait_main(void *arg)
{
	database_wait *w = arg;
	struct timespec started, now;
	long delay_ms = 250, logged = 0;

	clock_gettime(CLOCK_MONOTONIC, &started);
	for (;;) {
		struct timespec until;
		status st = STATUS_INIT;
		int applied = 0;
		long version = 0, waited;
		bool stop;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += delay_ms / 1000;
		until.tv_nsec += (delay_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&w->mu);
		while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
			;
		stop = w->stop;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			return NULL;
		if (store_migrate(w->owner_dsn, w->migrations, w->nmigrations, &applied, &version,
				  &st) == 0) {
			log_info("store: the database answers: schema version %ld (%d migration%s "
				 "applied now): serving", version, applied, applied == 1 ? "" : "s");
			w->application->waiting_for_database = false;
			return NULL;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - started.tv_sec) * 1000 +
			 (now.tv_nsec - started.tv_nsec) / 1000000;
		if (st.code != STATUS_UNAVAILABLE ||
		    (w->wait_s >= 0 && waited >= (long)w->wait_s * 1000)) {
			if (st.code == STATUS_UNAVAILABLE)
				status_set(&w->st, st.code, "%s (waited %d s)", st.message, w->wait_s);
			else
				w->st = st;
			w->failed = true;
			log_error("store: %s: stopping", w->st.message);
			kill(getpid(), SIGTERM);  /* wakes serve()'s sigwait */
			return NULL;
		}
		if (waited / 1000 / DATABASE_WAIT_LOG_S != logged) {
			logged = waited / 1000 / DATABASE_WAIT_LOG_S;
			log_warn("store: still waiting for the database after %ld s: %s",
				 waited / 1000, st.message);
		}
		delay_ms = delay_ms * 2 > DATABASE_RETRY_MAX_MS ? DATABASE_RETRY_MAX_MS : delay_ms * 2;
		/* The last try falls on the end of the wait. */
		if (w->wait_s >= 0 && waited + delay_ms > (long)w->wait_s * 1000)
			delay_ms = (long)w->wait_s * 1000 - waited;
	}
}

static void cancel_database_work(void *scope)
{
	store_cancel_fire(scope);
}

/* Before every call's gate and handler: the worker's database work becomes
 * the call's, cancelled with it (the client cancels or goes, its deadline
 * passes, or shutdown cancels it): rpc's notice -> store's PQcancel. While
 * csperfd waits for its database, only the health check passes. */
static bool serve_gate(rpc_call *call, void *ctx)
{
	app *a = ctx;

	if (a->waiting_for_database) {
		const auth_policy *policy = auth_policy_find(rpc_call_method(call));

		if (policy == NULL || !policy->public_call) {
			log_debug("rpc: %s refused: waiting for the database", rpc_call_method(call));
			rpc_call_fail(call, STATUS_UNAVAILABLE, "csperfd is waiting for its database "
				      "to be reachable (--wait-for-database): try again later");
			return false;
		}
	}
	rpc_call_on_cancel(call, cancel_database_work, store_cancel_arm());
	return access_gate(call, ctx);
}

/* When the call's status is decided: what follows (its audit line, a
 * rollback) is no longer the call's to cancel. */
static rpc_finish_verdict serve_call_finishing(rpc_call *call, void *ctx)
{
	store_cancel_disarm();
	return access_call_finishing(call, ctx);
}

/* On the change listener's thread: a change committed somewhere (table),
 * or the listener lost or made its connection (NULL): what the caches hold
 * may be out of date. */
static void on_database_change(const char *table, void *ctx)
{
	app *a = ctx;

	watch_hubs_changed(a->watch, table);
	if (table == NULL)
		access_cache_stale(a->access_cache);
	else if (strcmp(table, "access_token") == 0)
		access_cache_forget_all(a->access_cache);
	if (table == NULL || strcmp(table, "access_token") != 0) {
		read_cache_counts counts;

		read_cache_clear(a->read_cache);
		read_cache_get_counts(a->read_cache, &counts);
		log_debug("read cache: emptied (%s changed); %llu hits, %llu misses, %llu kept, "
			  "%llu evicted so far", table != NULL ? table : "the listener's connection",
			  (unsigned long long)counts.hits, (unsigned long long)counts.misses,
			  (unsigned long long)counts.stored, (unsigned long long)counts.evicted);
	}
}

static void log_cache_counts(const app *a)
{
	read_cache_counts counts;
	uint64_t token_hits, token_lookups, audit_lines = 0, audit_commits = 0;
	uint64_t notifications = 0, losses = 0;

	read_cache_get_counts(a->read_cache, &counts);
	access_cache_counts(a->access_cache, &token_hits, &token_lookups);
	if (a->audit_writer != NULL)
		store_audit_writer_counts(a->audit_writer, &audit_lines, &audit_commits);
	if (a->listener != NULL)
		store_listener_counts(a->listener, &notifications, &losses);
	log_info("csperfd: read cache %llu hits, %llu misses, %llu kept, %llu evicted, %llu "
		 "emptied, %zu entries of %zu bytes (of %zu); tokens %llu from the cache, %llu "
		 "looked up; audit %llu lines in %llu commits; %llu change notifications, %llu "
		 "listener connections lost",
		 (unsigned long long)counts.hits, (unsigned long long)counts.misses,
		 (unsigned long long)counts.stored, (unsigned long long)counts.evicted,
		 (unsigned long long)counts.clears, counts.entries, counts.bytes, counts.max_bytes,
		 (unsigned long long)token_hits, (unsigned long long)token_lookups,
		 (unsigned long long)audit_lines, (unsigned long long)audit_commits,
		 (unsigned long long)notifications, (unsigned long long)losses);
}

static void stop_helpers(app *a)
{
	store_listener_stop(a->listener);
	a->listener = NULL;
	store_audit_writer_stop(a->audit_writer);
	a->audit_writer = NULL;
	read_cache_free(a->read_cache);
	a->read_cache = NULL;
	/* After the listener, whose thread hands the hubs their changes. */
	watch_hubs_free(a->watch);
	a->watch = NULL;
}

static int serve(const config *cfg, const char *dsn, const char *mode, const tls_files *tls,
		 database_wait *wait, status *st)
{
	app application;
	rpc_server *server = NULL;
	compute_sweeper *sweeper = NULL;
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
	application.waiting_for_database = wait != NULL;
	if ((wait != NULL ? store_pool_open_deferred(&application.pool, dsn, cfg->threads, st)
	     : store_pool_open(&application.pool, dsn, cfg->threads, st)) != 0) {
		access_cache_free(application.access_cache);
		return -1;
	}
	/* The caches, kept coherent by the change listener, and the audit
	 * trail's group commit (docs/SCALING.md, docs/PERFORMANCE.md). */
	if (read_cache_new(&application.read_cache, (size_t)cfg->read_cache_mb * 1024 * 1024) != 0 ||
	    watch_hubs_new(&application.watch, &application) != 0 ||
	    store_listener_start(&application.listener, store_pool_dsn(application.pool),
				 on_database_change, &application, st) != 0 ||
	    store_audit_writer_start(&application.audit_writer, store_pool_dsn(application.pool),
				     st) != 0) {
		stop_helpers(&application);
		store_pool_close(application.pool);
		access_cache_free(application.access_cache);
		return status_set(st, st->code != STATUS_OK ? st->code : STATUS_RESOURCE_EXHAUSTED,
				  "%s", st->code != STATUS_OK ? st->message : "out of memory");
	}
	/* Streaming replicas for reads (docs/SCALING.md). */
	for (size_t i = 0; i < cfg->nread_dsns; i++) {
		if (store_pool_add_replica(application.pool, cfg->read_dsns[i], cfg->threads,
					   st) != 0) {
			stop_helpers(&application);
			store_pool_close(application.pool);
			access_cache_free(application.access_cache);
			return -1;
		}
	}
	if (cfg->nread_dsns > 0)
		log_info("csperfd: %zu read replica(s) for scorecards, series, exceptions and "
			 "child lists", cfg->nread_dsns);

	/* The health check's view of the database, refreshed in the
	 * background (health_monitor.h). */
	if (health_monitor_start(&application.health, store_pool_dsn(application.pool), st) != 0) {
		stop_helpers(&application);
		store_pool_close(application.pool);
		access_cache_free(application.access_cache);
		return -1;
	}
	memset(&options, 0, sizeof(options));
	options.listen = cfg->listen;
	options.pollers = cfg->pollers;
	options.workers = cfg->workers;
	options.max_message = MAX_MESSAGE_BYTES;
	options.gate = serve_gate;
	options.before_finish = serve_call_finishing;
	options.send_filter = suppress_send_filter;
	options.tls_cert_pem = tls->cert_pem;
	options.tls_key_pem = tls->key_pem;
	options.tls_client_ca_pem = tls->client_ca_pem;
	methods = handlers_methods(&nmethods);
	if (rpc_server_start(&server, &options, methods, nmethods, &application, st) != 0) {
		health_monitor_stop(application.health);
		stop_helpers(&application);
		store_pool_close(application.pool);
		access_cache_free(application.access_cache);
		return -1;
	}
	log_info("csperfd %s serving on %s (port %d, %s, %d threads, %d database connections, "
		 "read cache %d MB, %s database)",
		 CSPERF_VERSION_STRING, cfg->listen, rpc_server_port(server),
		 tls->cert_pem == NULL ? "plain TCP"
		 : tls->client_ca_pem != NULL ? "TLS with client certificates" : "TLS",
		 cfg->workers, cfg->threads, cfg->read_cache_mb, mode);
	store_compute_lane_from(cfg->lane_children);
	/* Figures a crash left due are finished now, and looked for again
	 * every --recompute-every seconds (docs/RELIABILITY.md). */
	{
		status sweep_st = STATUS_INIT;

		if (compute_sweeper_start(&sweeper, application.pool, cfg->recompute_every_s,
					  &sweep_st) != 0)
			log_warn("csperfd: %s: figures left due are finished only by the next load",
				 sweep_st.message);
	}
	if (tls->cert_pem == NULL && !config_listen_is_loopback(cfg->listen))
		log_warn("csperfd: --insecure: tokens and data cross the network unencrypted");
	if (cfg->ready_file != NULL && write_ready_file(cfg->ready_file, rpc_server_port(server)) != 0)
		log_warn("cannot write the ready file %s: %s", cfg->ready_file, strerror(errno));
	if (wait != NULL) {
		wait->application = &application;
		pthread_mutex_init(&wait->mu, NULL);
		pthread_cond_init(&wait->cv, NULL);
		if (pthread_create(&wait->thread, NULL, database_wait_main, wait) != 0) {
			status_set(&wait->st, STATUS_RESOURCE_EXHAUSTED,
				   "cannot start a thread to wait for the database");
			wait->failed = true;
			kill(getpid(), SIGTERM);
			wait->thread = pthread_self();
		}
	}

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	while (sigwait(&stop_signals, &signal_number) != 0)
		;
	if (wait != NULL) {
		pthread_mutex_lock(&wait->mu);
		wait->stop = true;
		pthread_cond_signal(&wait->cv);
		pthread_mutex_unlock(&wait->mu);
		if (!pthread_equal(wait->thread, pthread_self()))
			pthread_join(wait->thread, NULL);
	}
	if (wait == NULL || !wait->failed)
		log_info("csperfd: %s received: draining calls (up to %d ms)",
			 signal_number == SIGINT ? "SIGINT" : "SIGTERM", cfg->drain_timeout_ms);
	/* Watches last for ever: they end now rather than hold up the drain. */
	watch_hubs_close(application.watch);
	rpc_server_stop(server, cfg->drain_timeout_ms);
	health_monitor_stop(application.health);
	application.health = NULL;
	compute_sweeper_stop(sweeper);
	log_cache_counts(&application);
	stop_helpers(&application);
	if (store_replica_count(application.pool) > 0) {
		uint64_t by_replicas, by_primary;

		store_read_counts(application.pool, &by_replicas, &by_primary);
		log_info("csperfd: reads served by replicas %llu, by the primary %llu",
			 (unsigned long long)by_replicas, (unsigned long long)by_primary);
	}
	store_pool_close(application.pool);
	access_cache_free(application.access_cache);
	if (cfg->ready_file != NULL)
		unlink(cfg->ready_file);
	if (wait != NULL) {
		pthread_mutex_destroy(&wait->mu);
		pthread_cond_destroy(&wait->cv);
		if (wait->failed) {
			*st = wait->st;
			return -1;
		}
	}
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
	database_wait wait, *waiting = NULL;

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
	if (store_migrate(owner_dsn, migrations, nmigrations, &applied, &schema_version,
			  &st) == 0) {
		log_info("store: schema version %ld (%d migration%s applied now)", schema_version,
			 applied, applied == 1 ? "" : "s");
	} else if (cfg.command == CONFIG_SERVE && cfg.dsn != NULL &&
		   st.code == STATUS_UNAVAILABLE && cfg.wait_for_database_s != 0) {
		/* Serve now, NOT_SERVING, and migrate once the database answers. */
		memset(&wait, 0, sizeof(wait));
		wait.owner_dsn = owner_dsn;
		wait.migrations = migrations;
		wait.nmigrations = nmigrations;
		wait.wait_s = cfg.wait_for_database_s;
		waiting = &wait;
		if (cfg.wait_for_database_s < 0)
			log_warn("store: %s: serving NOT_SERVING until it answers", st.message);
		else
			log_warn("store: %s: serving NOT_SERVING while waiting up to %d s for it",
				 st.message, cfg.wait_for_database_s);
	} else {
		if (cfg.command == CONFIG_SERVE && cfg.dsn != NULL && st.code == STATUS_UNAVAILABLE) {
			status reason = st;

			status_set(&st, reason.code, "%s (--wait-for-database waits for it)",
				   reason.message);
		}
		goto cleanup;
	}
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
	if (serve(&cfg, dsn, embedded != NULL ? "embedded" : "external", &tls, waiting, &st) == 0)
		exit_code = 0;
cleanup:
	if (exit_code != 0)
		fprintf(stderr, "csperfd: %s\n", st.message);
	store_embedded_stop(embedded);
	store_migrations_free(owned_migrations, nmigrations);
	tls_files_clear(&tls);
	return exit_code;
}
