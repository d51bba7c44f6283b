/*
 * soak.c: csperfd under sustained mixed traffic for a bounded time, watching
 * that nothing fails that should succeed and that nothing grows.
 *
 * It starts its own PostgreSQL and csperfd (tests/integration/fixture.c),
 * loads two synthetic councils made by csperf-gen (their statutory returns
 * and CSV extracts, through the csperf tool), then runs several clients on
 * loopback until the time is up:
 *   - loaders: loads of contacts into both councils, each with a fresh
 *     idempotency key, every third one sent again (a replay that must store
 *     nothing), and the oldest soak load deleted once a council has four;
 *   - scorecard readers: scorecards of random periods and stages;
 *   - an exceptions reader;
 *   - a watcher: server info, health, the list of loads.
 * Every call must succeed. A sampler reads csperfd's resident memory, open
 * file descriptors and threads (/proc) and its database sessions
 * (pg_stat_activity's client backends) every few seconds. After the warm-up, the largest
 * resident memory must stay within 10% of the warm-up's largest, and file
 * descriptors, threads and database sessions must not grow (beyond the one
 * of each a recompute's second connection holds while it runs).
 *
 *   soak [--seconds S] [--warmup S] [--clients N] [--children N]
 *        [--report FILE] [--no-memory-check]
 *
 * --children is the size of each synthetic council (default 1000).
 *
 * --no-memory-check reports memory without judging it: for short runs, and
 * under AddressSanitizer, whose quarantine holds freed memory on purpose.
 * Exit status 0 when every check held. scripts/soak.sh builds and runs it.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <csperf/csperf.h>
#include <csperf/loads.h>
#include <csperf/scorecards.h>

#include "fixture.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif
#ifndef CSPERF_GEN_PATH
#error "CSPERF_GEN_PATH must name csperf-gen"
#endif

/* csperfd's database connections (--threads). */
#define SERVER_THREADS "4"
#define COUNCILS 2
static const char *const councils[COUNCILS] = { "901", "902" };
/* csperf-gen's years: 2021-22 to 2023-24. */
static const char *const periods[] = {
	"2023-24:Q4", "2023-24:Q3", "2023-24:Q2", "2023-24:Q1", "2023-24", "2022-23",
	"2022-23:Q4", "2024-03", "2023-11", "r12:2024-03", "ytd:2024-01", "2023-24:Q4",
};
#define NPERIODS (sizeof(periods) / sizeof(periods[0]))
static const char *const stages[] = {
	NULL, "front_door", "assessment", "child_protection", "looked_after", "early_help",
};
#define NSTAGES (sizeof(stages) / sizeof(stages[0]))

static fixture_pg pg;
static fixture_server server;
static atomic_bool stopping;
static long long started_ms;

/* ---- counting calls ---- */

typedef struct counter {
	atomic_long calls, failures;
	atomic_llong total_ms, max_ms;
} counter;

enum { KIND_LOAD, KIND_REPLAY, KIND_DELETE, KIND_SCORECARD, KIND_EXCEPTIONS, KIND_INFO,
       KIND_HEALTH, KIND_LIST, KIND_COUNT };
static const char *const kind_names[KIND_COUNT] = {
	"LoadRecords", "LoadRecords (replay)", "DeleteLoad", "GetScorecard", "GetExceptions",
	"GetServerInfo", "Health/Check", "ListLoads",
};
static counter counters[KIND_COUNT];
static atomic_long records_loaded;

static void count_call(int kind, long long began, int rc, const char *what)
{
	long long ms = fixture_now_ms() - began, max;

	atomic_fetch_add(&counters[kind].calls, 1);
	atomic_fetch_add(&counters[kind].total_ms, ms);
	max = atomic_load(&counters[kind].max_ms);
	while (ms > max && !atomic_compare_exchange_weak(&counters[kind].max_ms, &max, ms))
		;
	if (rc != CSPERF_OK) {
		atomic_fetch_add(&counters[kind].failures, 1);
		fprintf(stderr, "soak: %s failed (%s): %d %s\n", kind_names[kind], what, rc,
			csperf_error_last());
	}
}

static csperf_client *new_client(void)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = server.address;
	options.token = server.token;
	options.timeout_ms = 120000;
	if (csperf_client_new(&client, &options) != CSPERF_OK) {
		fprintf(stderr, "soak: cannot make a client: %s\n", csperf_error_last());
		exit(2);
	}
	return client;
}

/* ---- clients ---- */

typedef struct loader {
	int id;
	unsigned seed;
	long iteration;
	int64_t kept[COUNCILS][8];   /* soak loads of each council, oldest first */
	int nkept[COUNCILS];
} loader;

static int load_once(csperf_client *client, loader *l, int council, const char *key,
		     int count, bool expect_replay, int64_t *load_id)
{
	csperf_load_options options = CSPERF_LOAD_OPTIONS_INIT;
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;
	int rc;

	options.council = councils[council];
	options.source = "csv";
	options.label = "soak";
	options.idempotency_key = key;
	rc = csperf_load_begin(client, &options, &load);
	for (int i = 0; i < count && rc == CSPERF_OK; i++) {
		char child[24], date[16], values_team[16];
		const char *values[7];
		csperf_record rec = { CSPERF_RECORD_CONTACT, 7, values, "contacts.csv",
				      (unsigned long)i + 2, NULL };

		/* Children of the soak only, contacted in 2023-24. */
		snprintf(child, sizeof(child), "S%d%06ld%04d", l->id, l->iteration, i);
		snprintf(date, sizeof(date), "2023-%02d-%02d", 4 + i % 9, 1 + i % 28);
		snprintf(values_team, sizeof(values_team), "Team %d", i % 5);
		values[0] = child;
		values[1] = date;
		values[2] = "";
		values[3] = i % 3 == 0 ? "Referral to children's social care" : "Early Help";
		values[4] = date;
		values[5] = i % 2 == 0 ? "GREEN" : "AMBER";
		values[6] = values_team;
		rc = csperf_load_add(load, &rec);
	}
	if (rc == CSPERF_OK)
		rc = csperf_load_finish(load, &summary);
	if (rc == CSPERF_OK) {
		if (!summary->stored || (summary->replayed != 0) != expect_replay ||
		    summary->accepted != (uint64_t)count) {
			fprintf(stderr, "soak: load %s: stored %d, replayed %d, accepted %llu of %d\n",
				key, summary->stored, summary->replayed,
				(unsigned long long)summary->accepted, count);
			rc = CSPERF_ERROR;
		}
		*load_id = summary->load_id;
	}
	csperf_load_summary_free(summary);
	csperf_load_free(load);
	return rc;
}

static void *loader_main(void *arg)
{
	loader *l = arg;
	csperf_client *client = new_client();

	while (!atomic_load(&stopping)) {
		int council = (int)(l->iteration % COUNCILS);
		int count = 500 + (int)(rand_r(&l->seed) % 2500);
		char key[64];
		int64_t id = 0, replay_id = 0;
		long long began = fixture_now_ms();
		int rc;

		snprintf(key, sizeof(key), "soak-%d-%ld", l->id, l->iteration);
		rc = load_once(client, l, council, key, count, false, &id);
		count_call(KIND_LOAD, began, rc, key);
		if (rc == CSPERF_OK) {
			atomic_fetch_add(&records_loaded, count);
			l->kept[council][l->nkept[council]++] = id;
			if (l->iteration % 3 == 0) {
				began = fixture_now_ms();
				rc = load_once(client, l, council, key, count, true, &replay_id);
				if (rc == CSPERF_OK && replay_id != id)
					rc = CSPERF_ERROR;
				count_call(KIND_REPLAY, began, rc, key);
			}
		}
		if (l->nkept[council] >= 4) {
			uint64_t deleted = 0, restored = 0;

			began = fixture_now_ms();
			rc = csperf_load_delete(client, councils[council], l->kept[council][0],
						&deleted, &restored);
			count_call(KIND_DELETE, began, rc, "oldest soak load");
			memmove(&l->kept[council][0], &l->kept[council][1],
				(size_t)(--l->nkept[council]) * sizeof(int64_t));
		}
		l->iteration++;
	}
	csperf_client_free(client);
	return NULL;
}

typedef struct reader {
	int kind;     /* KIND_SCORECARD, KIND_EXCEPTIONS or KIND_INFO */
	unsigned seed;
} reader;

static void *reader_main(void *arg)
{
	reader *r = arg;
	csperf_client *client = new_client();

	while (!atomic_load(&stopping)) {
		const char *council = councils[rand_r(&r->seed) % COUNCILS];
		const char *period = periods[rand_r(&r->seed) % NPERIODS];
		long long began = fixture_now_ms();
		char what[64];
		int rc;

		snprintf(what, sizeof(what), "%s %s", council, period);
		if (r->kind == KIND_SCORECARD) {
			csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
			csperf_scorecard *card = NULL;

			query.council = council;
			query.period = period;
			query.stage = stages[rand_r(&r->seed) % NSTAGES];
			rc = csperf_scorecard_get(client, &query, &card);
			if (rc == CSPERF_OK && card->nrows == 0 && query.stage == NULL)
				rc = CSPERF_ERROR;  /* a council with data has figures */
			csperf_scorecard_free(card);
			count_call(KIND_SCORECARD, began, rc, what);
		} else if (r->kind == KIND_EXCEPTIONS) {
			csperf_exceptions *exceptions = NULL;

			rc = csperf_exceptions_get(client, council, period, &exceptions);
			csperf_exceptions_free(exceptions);
			count_call(KIND_EXCEPTIONS, began, rc, what);
		} else {
			csperf_server_info *info = NULL;
			csperf_health health = CSPERF_HEALTH_UNKNOWN;
			csperf_load_list *list = NULL;

			rc = csperf_server_info_get(client, &info);
			if (rc == CSPERF_OK && strcmp(info->database_status, "ok") != 0)
				rc = CSPERF_ERROR;
			csperf_server_info_free(info);
			count_call(KIND_INFO, began, rc, "");
			began = fixture_now_ms();
			rc = csperf_health_check(client, "", &health);
			if (rc == CSPERF_OK && health != CSPERF_HEALTH_SERVING)
				rc = CSPERF_ERROR;
			count_call(KIND_HEALTH, began, rc, "");
			began = fixture_now_ms();
			rc = csperf_load_list_get(client, council, 20, &list);
			csperf_load_list_free(list);
			count_call(KIND_LIST, began, rc, council);
			usleep(50 * 1000);
		}
	}
	csperf_client_free(client);
	return NULL;
}

/* ---- watching csperfd ---- */

typedef struct sample {
	long long at_ms;
	long rss_kb, fds, threads, sessions;
	long calls;
} sample;

static long proc_status(pid_t pid, const char *key)
{
	char path[64], line[256];
	FILE *f;
	long value = -1;
	size_t keylen = strlen(key);

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, keylen) == 0 && line[keylen] == ':')
			value = strtol(line + keylen + 1, NULL, 10);
	if (f != NULL)
		fclose(f);
	return value;
}

static long open_fds(pid_t pid)
{
	char path[64];
	DIR *dir;
	struct dirent *entry;
	long n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	while (dir != NULL && (entry = readdir(dir)) != NULL)
		if (entry->d_name[0] != '.')
			n++;
	if (dir != NULL)
		closedir(dir);
	return n;
}

static long database_sessions(PGconn *conn)
{
	/* Client sessions only: autovacuum's workers come and go on their own. */
	PGresult *res = PQexec(conn, "SELECT count(*) FROM pg_stat_activity "
				     "WHERE datname = 'csperf' AND backend_type = 'client backend' "
				     "AND pid <> pg_backend_pid()");
	long n = PQresultStatus(res) == PGRES_TUPLES_OK ? atol(PQgetvalue(res, 0, 0)) : -1;

	PQclear(res);
	return n;
}

static long total_calls(void)
{
	long n = 0;

	for (int k = 0; k < KIND_COUNT; k++)
		n += atomic_load(&counters[k].calls);
	return n;
}

static sample take_sample(PGconn *conn)
{
	sample s;

	s.at_ms = fixture_now_ms() - started_ms;
	s.rss_kb = proc_status(server.pid, "VmRSS");
	s.threads = proc_status(server.pid, "Threads");
	s.fds = open_fds(server.pid);
	s.sessions = database_sessions(conn);
	s.calls = total_calls();
	return s;
}

/* ---- set-up ---- */

static int run(const char *const *argv)
{
	char *out = NULL, *err = NULL, env[96];
	const char *envp[2] = { env, NULL };
	int rc;

	snprintf(env, sizeof(env), "CSPERF_SERVER=%s", server.address);
	rc = fixture_run(argv, envp, &out, &err, 1800);
	if (rc != 0 && rc != 5)
		fprintf(stderr, "soak: %s %s failed (%d): %s\n", argv[0], argv[1], rc,
			err != NULL ? err : "");
	free(out);
	free(err);
	return rc == 0 || rc == 5 ? 0 : -1;
}

/* Two councils from csperf-gen, loaded as a council would: returns and
 * extracts, through the csperf tool. */
static int seed_councils(const char *dir, int children)
{
	for (int c = 0; c < COUNCILS; c++) {
		char out[512], path[600], seed[16], size[16];

		snprintf(out, sizeof(out), "%s/%s", dir, councils[c]);
		snprintf(seed, sizeof(seed), "%d", 11 + c);
		snprintf(size, sizeof(size), "%d", children);
		if (run((const char *const[]){ CSPERF_GEN_PATH, "--council", councils[c],
			"--children", size, "--years", "3", "--end-year", "2024", "--seed", seed,
			"--out", out, NULL }) != 0)
			return -1;
		for (int year = 2022; year <= 2024; year++) {
			char y[8];

			snprintf(y, sizeof(y), "%d", year);
			snprintf(path, sizeof(path), "%s/ssda903/%d", out, year);
			if (run((const char *const[]){ CSPERF_CLI_PATH, "load", "--council",
				councils[c], "--format", "ssda903", "--year", y, "--accept-valid", path,
				NULL }) != 0)
				return -1;
			snprintf(path, sizeof(path), "%s/cin/%d.xml", out, year);
			if (run((const char *const[]){ CSPERF_CLI_PATH, "load", "--council",
				councils[c], "--format", "cin-xml", "--accept-valid", path, NULL }) != 0)
				return -1;
		}
		snprintf(path, sizeof(path), "%s/csv", out);
		if (run((const char *const[]){ CSPERF_CLI_PATH, "load", "--council", councils[c],
			"--format", "csv", "--accept-valid", path, NULL }) != 0)
			return -1;
	}
	return 0;
}

static void report(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (f != NULL) {
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int seconds = 600, warmup = -1, nclients = 8, children = 1000;
	bool memory_check = true;
	const char *report_path = NULL;
	FILE *rep = NULL;
	char dir[256];
	PGconn *conn;
	sample *samples;
	size_t nsamples = 0, capacity;
	pthread_t threads[32];
	loader loaders[32];
	reader readers[32];
	int nthreads = 0, nloaders;
	long failures = 0;
	bool ok = true;
	long warm_rss = 0, warm_fds = 0, warm_sessions = 0, warm_threads = 0;
	long late_rss = 0, late_fds = 0, late_sessions = 0, late_threads = 0;
	size_t warm_end = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc)
			warmup = atoi(argv[++i]);
		else if (strcmp(argv[i], "--clients") == 0 && i + 1 < argc)
			nclients = atoi(argv[++i]);
		else if (strcmp(argv[i], "--children") == 0 && i + 1 < argc)
			children = atoi(argv[++i]);
		else if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
			report_path = argv[++i];
		else if (strcmp(argv[i], "--no-memory-check") == 0)
			memory_check = false;
		else {
			fprintf(stderr, "usage: soak [--seconds S] [--warmup S] [--clients N] "
				"[--children N] [--report FILE] [--no-memory-check]\n");
			return 2;
		}
	}
	if (seconds < 10 || nclients < 4 || nclients > 32 || children < 10) {
		fprintf(stderr, "soak: --seconds at least 10, --clients from 4 to 32, "
			"--children at least 10\n");
		return 2;
	}
	if (warmup < 0)
		warmup = seconds / 5 < 120 ? seconds / 5 : 120;
	if (report_path != NULL && (rep = fopen(report_path, "w")) == NULL) {
		fprintf(stderr, "soak: cannot write %s: %s\n", report_path, strerror(errno));
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	if (fixture_pg_start(&pg) != 0 ||
	    fixture_server_start(&server, pg.dsn, (const char *const[]){ "--threads", SERVER_THREADS,
		"--log-level", "warn", NULL }) != 0) {
		fprintf(stderr, "soak: cannot start PostgreSQL and csperfd\n");
		return 2;
	}
	if (fixture_mkdtemp(dir, sizeof(dir), "csperf-soak") != 0 || seed_councils(dir, children) != 0) {
		fprintf(stderr, "soak: cannot load the synthetic councils\n");
		fixture_server_stop(&server, SIGKILL, 10);
		fixture_pg_destroy(&pg);
		return 2;
	}
	conn = fixture_pg_connect(&pg);
	capacity = (size_t)seconds / 5 + 64;
	samples = calloc(capacity, sizeof(*samples));

	/* Half loaders (at least 2), one exceptions reader, one watcher, the
	 * rest scorecard readers. */
	nloaders = nclients / 2 > 2 ? nclients / 2 - 1 : 2;
	started_ms = fixture_now_ms();
	for (int i = 0; i < nclients; i++) {
		if (i < nloaders) {
			memset(&loaders[i], 0, sizeof(loaders[i]));
			loaders[i].id = i;
			loaders[i].seed = (unsigned)i * 7919u + 1;
			pthread_create(&threads[nthreads++], NULL, loader_main, &loaders[i]);
		} else {
			readers[i].kind = i == nloaders ? KIND_EXCEPTIONS
				: i == nloaders + 1 ? KIND_INFO : KIND_SCORECARD;
			readers[i].seed = (unsigned)i * 104729u + 3;
			pthread_create(&threads[nthreads++], NULL, reader_main, &readers[i]);
		}
	}
	report(rep, "soak: %d s (warm-up %d s), %d clients (%d loaders), csperfd pid %d\n",
	       seconds, warmup, nclients, nloaders, (int)server.pid);
	report(rep, "%8s %10s %6s %8s %9s %9s\n", "seconds", "RSS (KB)", "fds", "threads",
	       "sessions", "calls");
	while (fixture_now_ms() - started_ms < (long long)seconds * 1000) {
		sample s;

		sleep(5);
		s = take_sample(conn);
		if (nsamples < capacity)
			samples[nsamples++] = s;
		if (s.at_ms <= (long long)warmup * 1000)
			warm_end = nsamples;
		if (nsamples % 12 == 1)
			report(rep, "%8lld %10ld %6ld %8ld %9ld %9ld\n", s.at_ms / 1000, s.rss_kb,
			       s.fds, s.threads, s.sessions, s.calls);
		if (!fixture_pid_alive(server.pid)) {
			report(rep, "soak: csperfd died\n");
			ok = false;
			break;
		}
	}
	atomic_store(&stopping, true);
	for (int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);

	/* The warm-up's largest against the largest of the last quarter. */
	for (size_t i = 0; i < nsamples; i++) {
		sample *s = &samples[i];

		if (i < warm_end) {
			warm_rss = s->rss_kb > warm_rss ? s->rss_kb : warm_rss;
			warm_fds = s->fds > warm_fds ? s->fds : warm_fds;
			warm_sessions = s->sessions > warm_sessions ? s->sessions : warm_sessions;
			warm_threads = s->threads > warm_threads ? s->threads : warm_threads;
		} else if (i >= nsamples - (nsamples - warm_end) / 4 - 1) {
			late_rss = s->rss_kb > late_rss ? s->rss_kb : late_rss;
			late_fds = s->fds > late_fds ? s->fds : late_fds;
			late_sessions = s->sessions > late_sessions ? s->sessions : late_sessions;
			late_threads = s->threads > late_threads ? s->threads : late_threads;
		}
	}
	report(rep, "\n%-22s %8s %9s %9s %9s\n", "call", "calls", "failures", "mean ms", "max ms");
	for (int k = 0; k < KIND_COUNT; k++) {
		long calls = atomic_load(&counters[k].calls);

		failures += atomic_load(&counters[k].failures);
		report(rep, "%-22s %8ld %9ld %9.1f %9lld\n", kind_names[k], calls,
		       atomic_load(&counters[k].failures),
		       calls > 0 ? (double)atomic_load(&counters[k].total_ms) / (double)calls : 0.0,
		       (long long)atomic_load(&counters[k].max_ms));
	}
	report(rep, "records loaded: %ld\n\n", atomic_load(&records_loaded));
	report(rep, "%-24s %12s %12s %8s\n", "", "warm-up max", "last quarter", "growth");
	report(rep, "%-24s %12ld %12ld %7.1f%%\n", "resident memory (KB)", warm_rss, late_rss,
	       warm_rss > 0 ? 100.0 * (double)(late_rss - warm_rss) / (double)warm_rss : 0.0);
	report(rep, "%-24s %12ld %12ld\n", "open file descriptors", warm_fds, late_fds);
	report(rep, "%-24s %12ld %12ld\n", "database sessions", warm_sessions, late_sessions);
	report(rep, "%-24s %12ld %12ld\n", "threads", warm_threads, late_threads);

	if (failures > 0) {
		report(rep, "FAIL: %ld calls failed that should have succeeded\n", failures);
		ok = false;
	}
	if (memory_check && (warm_rss == 0 || late_rss > warm_rss + warm_rss / 10)) {
		report(rep, "FAIL: resident memory grew more than 10%% after the warm-up\n");
		ok = false;
	}
	/* A recompute's second connection and its thread come and go with the
	 * recompute (server/store/compute_lane.c): a sample may catch them in
	 * one quarter and not the other. One more is that; a leak, with a load
	 * every second, would be more. */
	if (late_fds > warm_fds + 1 || late_sessions > warm_sessions + 1 ||
	    late_threads > warm_threads + 1) {
		report(rep, "FAIL: file descriptors, database sessions or threads grew\n");
		ok = false;
	}
	/* The pool, the change listener, the audit writer, the health
	 * monitor (server/health_monitor.h) and a recompute's second
	 * connection (one at a time: server/store/compute_lane.c). */
	if (late_sessions > atol(SERVER_THREADS) + 4) {
		report(rep, "FAIL: more database sessions than csperfd's pool, change listener, "
		       "audit writer, health monitor and a recompute's second connection "
		       "hold\n");
		ok = false;
	}
	if (fixture_server_stop(&server, SIGTERM, 60) != 0) {
		report(rep, "FAIL: csperfd did not stop cleanly on SIGTERM\n");
		ok = false;
	}
	report(rep, "soak: %s\n", ok ? "PASS" : "FAIL");
	PQfinish(conn);
	fixture_pg_destroy(&pg);
	{
		char command[320];

		snprintf(command, sizeof(command), "rm -rf '%s'", dir);
		if (system(command) != 0)
			fprintf(stderr, "soak: cannot remove %s\n", dir);
	}
	free(samples);
	if (rep != NULL)
		fclose(rep);
	return ok ? 0 : 1;
}
