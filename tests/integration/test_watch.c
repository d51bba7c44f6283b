/*
 * test_watch.c: WatchScorecard (issue 20; docs/DASHBOARD.md). Two csperfd on
 * one database, each with 2 workers. A watch gets the whole scorecard at
 * once, equal to GetScorecard's; after a load (through either csperfd) only
 * the rows that changed, numbered one after another, until the watched
 * scorecard equals GetScorecard's again; another council's watch is refused;
 * scrutiny's watch hides small numbers as its GetScorecard does; a watcher
 * that reads nothing neither holds up the others nor misses anything (it is
 * sent the whole scorecard again); and 200 watchers on one csperfd (far more
 * than its workers) all see a change, with the time from the change's commit
 * to the last watcher's update printed.
 */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <csperf/access.h>
#include <csperf/csperf.h>
#include <csperf/scorecards.h>

#include "fixture.h"
#include "watch_raw.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif
#ifndef CSPERF_GEN_PATH
#error "CSPERF_GEN_PATH must name csperf-gen"
#endif

#define COUNCIL "963"
#define OTHER_COUNCIL "964"
#define PERIOD "2022-23"
#define WATCHERS 200
#define WAIT_MS 20000

static fixture_pg pg;
static fixture_server servers[2];
static char data_dir[256];

static void run_sql(const char *sql)
{
	char *r = fixture_pg_query(&pg, sql);

	assert_non_null(r);
	free(r);
}

static void load_year(int through, int year)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/cin/%d.xml", data_dir, year);
	assert_int_equal(fixture_cli_load(CSPERF_CLI_PATH, servers[through].address,
					  servers[0].token, COUNCIL, "cin-xml", path), 0);
}

static csperf_client *client_of(int server, const char *token)
{
	csperf_client *client = fixture_client(servers[server].address, token);

	assert_non_null(client);
	return client;
}

static csperf_scorecard_query query_of(const char *council)
{
	csperf_scorecard_query q = CSPERF_SCORECARD_QUERY_INIT;

	q.council = council;
	q.period = PERIOD;
	return q;
}

static csperf_scorecard *scorecard(csperf_client *client)
{
	csperf_scorecard_query q = query_of(COUNCIL);
	csperf_scorecard *sc = NULL;

	if (csperf_scorecard_get(client, &q, &sc) != CSPERF_OK)
		fail_msg("scorecard: %s", csperf_error_last());
	return sc;
}

static csperf_scorecard_watch *watch_open(csperf_client *client)
{
	csperf_scorecard_query q = query_of(COUNCIL);
	csperf_scorecard_watch *w = NULL;

	if (csperf_scorecard_watch_open(client, &q, &w) != CSPERF_OK)
		fail_msg("watch: %s", csperf_error_last());
	return w;
}

static bool same_figure(csperf_figure a, csperf_figure b)
{
	return a.present == b.present && (!a.present || a.value == b.value);
}

/* Whether two scorecards say the same, row by row (in any order). */
static bool same_scorecard(const csperf_scorecard *a, const csperf_scorecard *b)
{
	if (a->nrows != b->nrows || strcmp(a->data_to, b->data_to) != 0)
		return false;
	for (size_t i = 0; i < a->nrows; i++) {
		const csperf_scorecard_row *r = &a->rows[i], *s = NULL;

		for (size_t k = 0; k < b->nrows && s == NULL; k++)
			if (strcmp(b->rows[k].indicator_id, r->indicator_id) == 0)
				s = &b->rows[k];
		if (s == NULL || !same_figure(r->value, s->value) ||
		    !same_figure(r->numerator, s->numerator) ||
		    !same_figure(r->denominator, s->denominator) || strcmp(r->rag, s->rag) != 0 ||
		    strcmp(r->direction, s->direction) != 0 || r->suppressed != s->suppressed ||
		    r->ntrend != s->ntrend || r->ncomparators != s->ncomparators)
			return false;
		for (size_t t = 0; t < r->ntrend; t++)
			if (!same_figure(r->trend[t].value, s->trend[t].value))
				return false;
	}
	return true;
}

/* What a row says, in brief, to tell whether it changed. */
static void fingerprint(const csperf_scorecard_row *r, char *out, size_t size)
{
	int n = snprintf(out, size, "%s %d:%g %d:%g %d:%g %s %s %d", r->indicator_id,
			 r->value.present, r->value.value, r->numerator.present, r->numerator.value,
			 r->denominator.present, r->denominator.value, r->rag, r->direction,
			 r->suppressed);

	for (size_t t = 0; t < r->ntrend && n > 0 && (size_t)n < size; t++)
		n += snprintf(out + n, size - (size_t)n, " %d:%g", r->trend[t].value.present,
			      r->trend[t].value.value);
}

static bool in_changed(const csperf_scorecard *changed, const char *indicator_id)
{
	for (size_t i = 0; i < changed->nrows; i++)
		if (strcmp(changed->rows[i].indicator_id, indicator_id) == 0)
			return true;
	return false;
}

/* Reads updates until the watched scorecard equals `want`; each must follow
 * the one before without a gap, and every row it does not bring must be as
 * it was. Returns the number of updates read; *last_changed (may be NULL)
 * is how many rows the last one brought. */
static int follow_until(csperf_scorecard_watch *w, const csperf_scorecard *want,
			uint64_t *sequence, size_t *last_changed)
{
	long long until = fixture_now_ms() + WAIT_MS;
	int updates = 0;
	char (*before)[512] = NULL;
	char now[512];
	size_t nbefore = 0;

	for (;;) {
		const csperf_scorecard_update *u = NULL;
		int rc = csperf_scorecard_watch_next(w, 200, &u);

		if (rc < 0)
			fail_msg("watch ended: %s", csperf_error_last());
		if (rc == 1) {
			updates++;
			assert_false(u->full);
			assert_int_equal(u->sequence, *sequence + 1);
			assert_true(u->changed->nrows > 0 || u->nremoved > 0 ||
				    strcmp(u->changed->data_to, "") != 0);
			for (size_t i = 0; i < u->scorecard->nrows && before != NULL; i++) {
				const csperf_scorecard_row *r = &u->scorecard->rows[i];

				if (in_changed(u->changed, r->indicator_id))
					continue;
				fingerprint(r, now, sizeof(now));
				assert_true(i < nbefore);
				assert_string_equal(now, before[i]);
			}
			free(before);
			nbefore = u->scorecard->nrows;
			before = calloc(nbefore + 1, sizeof(*before));
			assert_non_null(before);
			for (size_t i = 0; i < nbefore; i++)
				fingerprint(&u->scorecard->rows[i], before[i], sizeof(before[i]));
			*sequence = u->sequence;
			if (last_changed != NULL)
				*last_changed = u->changed->nrows;
			if (same_scorecard(u->scorecard, want)) {
				free(before);
				return updates;
			}
		}
		if (fixture_now_ms() > until)
			fail_msg("the watched scorecard did not become GetScorecard's within %d ms",
				 WAIT_MS);
	}
}

static int setup(void **state)
{
	(void)state;
	if (fixture_pg_start(&pg) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		const char *args[] = { "--log-level", "info", "--threads", "2", "--workers", "2",
				       NULL };

		if (fixture_server_start(&servers[i], pg.dsn, args) != 0)
			return -1;
	}
	if (fixture_mkdtemp(data_dir, sizeof(data_dir), "csperf-watch") != 0)
		return -1;
	{
		char *out = NULL, *err = NULL;
		int rc = fixture_run((const char *const[]){ CSPERF_GEN_PATH, "--council", COUNCIL,
			"--children", "200", "--years", "2", "--seed", "5", "--end-year", "2023",
			"--out", data_dir, NULL }, NULL, &out, &err, 600);

		free(out);
		free(err);
		if (rc != 0)
			return -1;
	}
	load_year(0, 2022);
	return 0;
}

static int teardown(void **state)
{
	char command[300];

	(void)state;
	for (int i = 0; i < 2; i++)
		if (servers[i].pid > 0)
			assert_int_equal(fixture_server_stop(&servers[i], SIGTERM, 30), 0);
	snprintf(command, sizeof(command), "rm -rf '%s'", data_dir);
	if (system(command) != 0)
		fprintf(stderr, "test_watch: cannot remove %s\n", data_dir);
	fixture_pg_destroy(&pg);
	return 0;
}

/* The first update is the whole scorecard, as GetScorecard has it; after a
 * load through the other csperfd, only changed rows, numbered in turn. */
static void test_full_first_then_changed_rows(void **state)
{
	csperf_client *c0 = client_of(0, servers[0].token), *c1 = client_of(1, servers[0].token);
	csperf_scorecard_watch *w = watch_open(c1);
	const csperf_scorecard_update *u = NULL;
	csperf_scorecard *now = scorecard(c1), *after;
	uint64_t sequence;
	int updates;

	(void)state;
	assert_int_equal(csperf_scorecard_watch_next(w, 0, &u), 1);
	assert_true(u->full);
	assert_true(u->scorecard->nrows > 10);
	assert_int_equal(u->changed->nrows, u->scorecard->nrows);
	assert_true(same_scorecard(u->scorecard, now));
	sequence = u->sequence;
	/* Nothing changed: nothing comes. */
	assert_int_equal(csperf_scorecard_watch_next(w, 500, &u), 0);

	load_year(0, 2023);
	after = scorecard(c1);
	assert_false(same_scorecard(after, now));
	updates = follow_until(w, after, &sequence, NULL);
	printf("watch: the load came as %d update(s) of changed rows\n", updates);

	csperf_scorecard_free(now);
	csperf_scorecard_free(after);
	csperf_scorecard_watch_free(w);
	csperf_client_free(c0);
	csperf_client_free(c1);
}

/* A token for another council is refused, as GetScorecard refuses it. */
static void test_other_council_refused(void **state)
{
	char token[128];
	csperf_client *client;
	csperf_scorecard_query q = query_of(COUNCIL);
	csperf_scorecard_watch *w = NULL;

	(void)state;
	assert_int_equal(fixture_token_create(pg.dsn, NULL, "reader", "watch-other",
		(const char *const[]){ OTHER_COUNCIL, NULL }, token, sizeof(token)), 0);
	client = client_of(0, token);
	assert_int_equal(csperf_scorecard_watch_open(client, &q, &w), CSPERF_EPERM);
	assert_null(w);
	q.period = "2022-23:Q9";
	csperf_client_free(client);
	client = client_of(0, servers[0].token);
	assert_int_equal(csperf_scorecard_watch_open(client, &q, &w), CSPERF_EINVAL);
	csperf_client_free(client);
}

/* Scrutiny's watch hides a small number, as its GetScorecard does, and
 * still sees it change. */
static void test_scrutiny_suppressed(void **state)
{
	char token[128], sql[512], id[32] = "";
	csperf_client *admin = client_of(0, servers[0].token), *scrutiny;
	csperf_scorecard *sc = scorecard(admin), *got;
	csperf_scorecard_watch *w_admin, *w_scrutiny;
	const csperf_scorecard_update *u = NULL;
	uint64_t seq_admin, seq_scrutiny;
	size_t changed = 0;

	(void)state;
	for (size_t i = 0; i < sc->nrows && id[0] == '\0'; i++)
		if (sc->rows[i].value.present && strcmp(sc->rows[i].unit, "percent") == 0)
			snprintf(id, sizeof(id), "%s", sc->rows[i].indicator_id);
	assert_true(id[0] != '\0');
	csperf_scorecard_free(sc);
	assert_int_equal(fixture_token_create(pg.dsn, NULL, "scrutiny", "watch-committee",
		(const char *const[]){ COUNCIL, NULL }, token, sizeof(token)), 0);
	scrutiny = client_of(0, token);
	w_admin = watch_open(admin);
	w_scrutiny = watch_open(scrutiny);
	assert_int_equal(csperf_scorecard_watch_next(w_admin, 0, &u), 1);
	seq_admin = u->sequence;
	assert_int_equal(csperf_scorecard_watch_next(w_scrutiny, 0, &u), 1);
	seq_scrutiny = u->sequence;

	snprintf(sql, sizeof(sql), "UPDATE indicator_value SET numerator = 3, denominator = 4,"
		 " value = 75 WHERE council = '%s' AND indicator_id = '%s' AND period = '%s'"
		 " AND breakdown = ''", COUNCIL, id, PERIOD);
	run_sql(sql);
	got = scorecard(scrutiny);
	follow_until(w_scrutiny, got, &seq_scrutiny, &changed);
	assert_int_equal(changed, 1);   /* one row changed: one row sent */
	csperf_scorecard_free(got);
	got = scorecard(admin);
	follow_until(w_admin, got, &seq_admin, &changed);
	assert_int_equal(changed, 1);
	csperf_scorecard_free(got);
	{
		const csperf_scorecard_update *a = NULL, *s = NULL;
		bool checked = false;

		/* A new watch of each starts from the same rows. */
		csperf_scorecard_watch_free(w_scrutiny);
		w_scrutiny = watch_open(scrutiny);
		assert_int_equal(csperf_scorecard_watch_next(w_scrutiny, 0, &s), 1);
		for (size_t i = 0; i < s->scorecard->nrows; i++) {
			const csperf_scorecard_row *r = &s->scorecard->rows[i];

			if (strcmp(r->indicator_id, id) != 0)
				continue;
			assert_true(r->suppressed);
			assert_false(r->value.present);
			assert_false(r->numerator.present);
			checked = true;
		}
		assert_true(checked);
		csperf_scorecard_watch_free(w_admin);
		w_admin = watch_open(admin);
		assert_int_equal(csperf_scorecard_watch_next(w_admin, 0, &a), 1);
		checked = false;
		for (size_t i = 0; i < a->scorecard->nrows; i++) {
			const csperf_scorecard_row *r = &a->scorecard->rows[i];

			if (strcmp(r->indicator_id, id) != 0)
				continue;
			assert_false(r->suppressed);
			assert_true(r->value.present && r->value.value == 75);
			checked = true;
		}
		assert_true(checked);
	}
	csperf_scorecard_watch_free(w_admin);
	csperf_scorecard_watch_free(w_scrutiny);
	csperf_client_free(admin);
	csperf_client_free(scrutiny);
}

/* A watcher that reads nothing while every row changes 40 times: another
 * watcher follows every change without a gap meanwhile, and the slow one,
 * when it reads at last, has been sent the whole scorecard again instead of
 * what it missed, and ends where the fast one did. */
static void test_slow_watcher_resynced(void **state)
{
	csperf_client *client = client_of(0, servers[0].token);
	csperf_scorecard_watch *fast = watch_open(client);
	const csperf_scorecard_update *u = NULL;
	csperf_scorecard *want;
	Csperf__V1__ScorecardUpdate *raw;
	raw_watch slow;
	uint64_t seq_fast, seq_slow;
	bool full_again = false;
	char sql[256];

	(void)state;
	raw_open(&slow, servers[0].address, servers[0].token, COUNCIL, PERIOD);
	raw = raw_next(&slow);
	assert_non_null(raw);
	assert_true(raw->full);
	seq_slow = raw->sequence;
	csperf__v1__scorecard_update__free_unpacked(raw, NULL);
	assert_int_equal(csperf_scorecard_watch_next(fast, 0, &u), 1);
	seq_fast = u->sequence;
	for (int i = 0; i < 40; i++) {
		snprintf(sql, sizeof(sql), "UPDATE indicator_value SET value = value + 1 WHERE "
			 "council = '%s' AND period = '%s' AND value IS NOT NULL", COUNCIL, PERIOD);
		run_sql(sql);
		want = scorecard(client);
		follow_until(fast, want, &seq_fast, NULL);
		csperf_scorecard_free(want);
	}
	while (seq_slow < seq_fast) {
		raw = raw_next(&slow);
		assert_non_null(raw);
		if (raw->full && raw->sequence > seq_slow + 1)
			full_again = true;
		else
			assert_int_equal(raw->sequence, seq_slow + 1);
		seq_slow = raw->sequence;
		csperf__v1__scorecard_update__free_unpacked(raw, NULL);
	}
	printf("watch: the slow watcher was %s\n", full_again
	       ? "sent the whole scorecard again" : "sent every update");
	assert_true(full_again);
	assert_int_equal(seq_slow, seq_fast);
	raw_close(&slow);
	csperf_scorecard_watch_free(fast);
	csperf_client_free(client);
}

typedef struct watcher_thread {
	pthread_t thread;
	csperf_scorecard_watch *watch;
	uint64_t sequence;
	long long seen_ms;          /* when the change arrived; 0: not yet */
	int failed;
} watcher_thread;

static void *watcher_main(void *arg)
{
	watcher_thread *t = arg;
	long long until = fixture_now_ms() + 60000;

	while (fixture_now_ms() < until) {
		const csperf_scorecard_update *u = NULL;
		int rc = csperf_scorecard_watch_next(t->watch, 100, &u);

		if (rc < 0) {
			t->failed = 1;
			break;
		}
		if (rc == 1 && u->sequence > t->sequence) {
			t->seen_ms = fixture_now_ms();
			break;
		}
	}
	return NULL;
}

/* Measures n watchers on csperfd 0 seeing one change committed with SQL:
 * the time from just before the commit to the last watcher's update. */
static long long measure(csperf_client *client, watcher_thread *threads, int n, double bump)
{
	char sql[256];
	long long start, last = 0;

	for (int i = 0; i < n; i++) {
		const csperf_scorecard_update *u = NULL;

		threads[i].watch = watch_open(client);
		assert_int_equal(csperf_scorecard_watch_next(threads[i].watch, 0, &u), 1);
		threads[i].sequence = u->sequence;
		threads[i].seen_ms = 0;
		threads[i].failed = 0;
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_create(&threads[i].thread, NULL, watcher_main, &threads[i]),
				 0);
	snprintf(sql, sizeof(sql), "UPDATE indicator_value SET value = value + %g WHERE "
		 "council = '%s' AND period = '%s' AND value IS NOT NULL", bump, COUNCIL, PERIOD);
	start = fixture_now_ms();
	run_sql(sql);
	for (int i = 0; i < n; i++) {
		pthread_join(threads[i].thread, NULL);
		assert_int_equal(threads[i].failed, 0);
		assert_true(threads[i].seen_ms > 0);
		if (threads[i].seen_ms - start > last)
			last = threads[i].seen_ms - start;
		csperf_scorecard_watch_free(threads[i].watch);
	}
	return last;
}

/* 200 watchers on a csperfd with 2 workers: all see the change, and a
 * GetScorecard is still served while they wait. */
static void test_many_watchers(void **state)
{
	static watcher_thread threads[WATCHERS];
	csperf_client *client = client_of(0, servers[0].token);
	long long one, many;

	(void)state;
	one = measure(client, threads, 1, 0.5);
	many = measure(client, threads, WATCHERS, 0.25);
	printf("watch latency, commit to last watcher's update: 1 watcher %lld ms, %d watchers "
	       "%lld ms\n", one, WATCHERS, many);
	assert_true(one < 1000);
	assert_true(many < 1000 * 5);
	{
		/* Parked watchers hold no worker. */
		csperf_scorecard_watch *held[WATCHERS / 2];
		csperf_scorecard *sc;

		for (int i = 0; i < WATCHERS / 2; i++)
			held[i] = watch_open(client);
		sc = scorecard(client);
		assert_true(sc->nrows > 0);
		csperf_scorecard_free(sc);
		for (int i = 0; i < WATCHERS / 2; i++)
			csperf_scorecard_watch_free(held[i]);
	}
	csperf_client_free(client);
}

/* Reads one line from fd within WAIT_MS into buf; false if none came. */
static bool read_line(int fd, char *buf, size_t size)
{
	long long until = fixture_now_ms() + WAIT_MS;
	size_t len = 0;

	while (len + 1 < size) {
		struct pollfd p = { fd, POLLIN, 0 };
		long long left = until - fixture_now_ms();
		char c;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return false;
		if (read(fd, &c, 1) != 1)
			return false;
		if (c == '\n')
			break;
		buf[len++] = c;
	}
	buf[len] = '\0';
	return true;
}

/* `csperf watch --format json`: a line with the whole scorecard, a line with
 * the changed row after a change, and exit status 0 on SIGINT. */
static void test_cli_watch(void **state)
{
	static char line[1 << 20];
	char server_env[200], token_env[192], sql[512];
	int out[2];
	pid_t pid;
	int status = 0;

	(void)state;
	assert_int_equal(pipe(out), 0);
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", servers[1].address);
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", servers[0].token);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		putenv(server_env);
		putenv(token_env);
		execl(CSPERF_CLI_PATH, CSPERF_CLI_PATH, "watch", "--council", COUNCIL, "--period",
		      PERIOD, "--stage", "assessment", "--format", "json", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	assert_true(read_line(out[0], line, sizeof(line)));
	assert_non_null(strstr(line, "\"full\":true"));
	assert_non_null(strstr(line, "\"council\":\"" COUNCIL "\""));
	assert_non_null(strstr(line, "\"rows\":[{"));
	snprintf(sql, sizeof(sql), "UPDATE indicator_value SET value = 4242.5 WHERE council = '%s'"
		 " AND period = '%s' AND breakdown = '' AND indicator_id = (SELECT indicator_id FROM"
		 " indicator_version WHERE stage = 'assessment' ORDER BY indicator_id LIMIT 1)",
		 COUNCIL, PERIOD);
	run_sql(sql);
	assert_true(read_line(out[0], line, sizeof(line)));
	assert_non_null(strstr(line, "\"full\":false"));
	assert_non_null(strstr(line, "4242.5"));
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	close(out[0]);
}

/* A published comparator loaded: the rows it compares with come, and only
 * those (a comparator, not a load, changed them). */
static void test_comparator_change(void **state)
{
	csperf_client *admin = client_of(0, servers[0].token);
	csperf_scorecard_watch *w = watch_open(admin);
	const csperf_scorecard_update *u = NULL;
	csperf_comparator_figure figure;
	csperf_scorecard *want;
	uint64_t sequence, stored = 0;
	size_t changed = 0;
	char id[32];
	bool seen = false;

	(void)state;
	assert_int_equal(csperf_scorecard_watch_next(w, 0, &u), 1);
	sequence = u->sequence;
	snprintf(id, sizeof(id), "%s", u->scorecard->rows[0].indicator_id);
	memset(&figure, 0, sizeof(figure));
	figure.indicator_id = id;
	figure.area_type = "england";
	figure.area = "England";
	figure.period = PERIOD;
	figure.value = 61.25;
	figure.source = "test_watch";
	figure.line = 1;
	assert_int_equal(csperf_comparators_load(admin, &figure, 1, &stored), CSPERF_OK);
	want = scorecard(admin);
	follow_until(w, want, &sequence, &changed);
	csperf_scorecard_free(want);
	assert_int_equal(changed, 1);
	assert_int_equal(csperf_scorecard_watch_next(w, 0, &u), 0);
	csperf_scorecard_watch_free(w);
	w = watch_open(admin);
	assert_int_equal(csperf_scorecard_watch_next(w, 0, &u), 1);
	for (size_t i = 0; i < u->scorecard->nrows; i++)
		for (size_t k = 0; k < u->scorecard->rows[i].ncomparators; k++)
			seen |= strcmp(u->scorecard->rows[i].indicator_id, id) == 0 &&
				u->scorecard->rows[i].comparators[k].value.present &&
				u->scorecard->rows[i].comparators[k].value.value == 61.25;
	assert_true(seen);
	csperf_scorecard_watch_free(w);
	csperf_client_free(admin);
}

/* A revoked token's watch ends at once (UNAUTHENTICATED, as its next call
 * would), on both csperfd; another token's watch goes on. */
static void test_revoked_token_ends_watch(void **state)
{
	csperf_client *admin = client_of(0, servers[0].token), *reader0, *reader1;
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	const char *councils[1] = { COUNCIL };
	csperf_token_secret *secret = NULL;
	csperf_scorecard_watch *w0, *w1, *other;
	const csperf_scorecard_update *u = NULL;
	long long started;
	int rc0, rc1;

	(void)state;
	opts.name = "watch-revoked";
	opts.role = "reader";
	opts.ncouncils = 1;
	opts.councils = councils;
	assert_int_equal(csperf_token_create(admin, &opts, &secret), CSPERF_OK);
	reader0 = client_of(0, secret->token);
	reader1 = client_of(1, secret->token);
	w0 = watch_open(reader0);
	w1 = watch_open(reader1);
	other = watch_open(admin);
	assert_int_equal(csperf_scorecard_watch_next(other, 0, &u), 1);
	assert_int_equal(csperf_scorecard_watch_next(w0, 0, &u), 1);
	assert_int_equal(csperf_scorecard_watch_next(w1, 0, &u), 1);
	started = fixture_now_ms();
	assert_int_equal(csperf_token_revoke(admin, secret->info.id), CSPERF_OK);
	do
		rc0 = csperf_scorecard_watch_next(w0, 5000, &u);
	while (rc0 == 1);
	do
		rc1 = csperf_scorecard_watch_next(w1, 5000, &u);
	while (rc1 == 1);
	printf("watch: a revoked token's watches ended in %lld ms\n", fixture_now_ms() - started);
	assert_int_equal(rc0, CSPERF_EAUTH);
	assert_int_equal(rc1, CSPERF_EAUTH);
	assert_int_equal(csperf_scorecard_watch_next(other, 500, &u), 0);
	csperf_scorecard_watch_free(w0);
	csperf_scorecard_watch_free(w1);
	csperf_scorecard_watch_free(other);
	csperf_token_secret_free(secret);
	csperf_client_free(reader0);
	csperf_client_free(reader1);
	csperf_client_free(admin);
}

/* SIGTERM with watches open: they end with UNAVAILABLE at once, and csperfd
 * stops cleanly without waiting out its drain for them. */
static void test_stop_ends_watches(void **state)
{
	csperf_client *client = client_of(1, servers[0].token);
	csperf_scorecard_watch *w = watch_open(client), *w2 = watch_open(client);
	const csperf_scorecard_update *u = NULL;
	long long started;
	int rc;

	(void)state;
	assert_int_equal(csperf_scorecard_watch_next(w, 0, &u), 1);
	started = fixture_now_ms();
	assert_int_equal(fixture_server_stop(&servers[1], SIGTERM, 30), 0);
	printf("watch: csperfd stopped in %lld ms with two watches open\n",
	       fixture_now_ms() - started);
	assert_true(fixture_now_ms() - started < 10000);
	do
		rc = csperf_scorecard_watch_next(w, 5000, &u);
	while (rc == 1);
	assert_int_equal(rc, CSPERF_EUNAVAILABLE);
	csperf_scorecard_watch_free(w);
	csperf_scorecard_watch_free(w2);
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_first_then_changed_rows),
		cmocka_unit_test(test_other_council_refused),
		cmocka_unit_test(test_scrutiny_suppressed),
		cmocka_unit_test(test_slow_watcher_resynced),
		cmocka_unit_test(test_many_watchers),
		cmocka_unit_test(test_cli_watch),
		cmocka_unit_test(test_comparator_change),
		cmocka_unit_test(test_revoked_token_ends_watch),
		cmocka_unit_test(test_stop_ends_watches),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
