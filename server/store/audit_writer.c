/*
 * audit_writer.c: group commit of audit lines (see store_access.h).
 *
 * Callers submit a line (copied here) with a function to call once it is
 * durable or has failed, and go on: a worker thread is not held while the
 * disk flushes. The writer takes everything queued, writes it with one
 * multi-row INSERT (its own transaction, so one WAL flush), then calls every
 * line's function with the outcome. A lost connection is retried once; a
 * batch the database refuses for another reason is written line by line, so
 * that one bad line cannot take the others with it.
 *
 * When to commit. A commit costs one flush of the disk whatever it holds,
 * and a line that arrives while one is in flight waits for the next, so the
 * writer gathers: when it finds fewer lines queued than the largest batch of
 * its last few commits (the callers still busy elsewhere are likely to come
 * back), it waits for that many, at most one commit's time (its moving
 * average, between GATHER_MIN_US and GATHER_MAX_US), before committing what
 * it has: a line that misses a commit waits for the whole next one anyway. Closed-loop clients then fall into step with the commits: all of
 * them in each one. A lone caller finds a batch of one expected and waits
 * for nothing.
 */
#include "store_internal.h"
#include "store_access.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"

#define BATCH_MAX 1024
#define COLUMNS 8
#define WRITE_TIMEOUT_MS 5000
/* Batches remembered for the size expected next. */
#define HISTORY 8
#define GATHER_MIN_US 200
#define GATHER_MAX_US 5000

typedef struct queued_line {
	store_audit_entry entry;     /* strings point into text */
	store_audit_done_fn done;
	void *arg;
	int rc;
	status st;
	struct queued_line *next;
	char text[];
} queued_line;

struct store_audit_writer {
	store_pool *pool;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t queued_cv;    /* enough lines were queued, or stop */
	queued_line *head, *tail;
	size_t queued;
	size_t expected;             /* the largest of the last HISTORY batches */
	bool stop;
	uint64_t lines, commits;
	/* The writer thread's own. */
	size_t history[HISTORY];
	size_t history_next;
	double commit_us;            /* moving average of a batch's INSERT and commit */
};

void store_audit_params(const store_audit_entry *e, char *principal_id, char *rows,
			const char **params)
{
	snprintf(principal_id, 32, "%lld", (long long)e->principal_id);
	snprintf(rows, 32, "%lld", (long long)e->rows);
	params[0] = e->principal_id > 0 ? principal_id : NULL;
	params[1] = e->principal_name != NULL && e->principal_name[0] != '\0'
		? e->principal_name : NULL;
	params[2] = e->method;
	params[3] = e->council != NULL && e->council[0] != '\0' ? e->council : NULL;
	params[4] = e->parameters != NULL ? e->parameters : "";
	params[5] = e->rows >= 0 ? rows : NULL;
	params[6] = e->status;
	params[7] = e->peer != NULL ? e->peer : "";
}

/* One INSERT of n lines; 0, or -1 with st filled. */
static int insert_lines(store_audit_writer *w, queued_line **lines, size_t n, status *st)
{
	static const char head[] = "INSERT INTO audit_log (principal_id, principal_name, method,"
				   " council, parameters, rows_returned, status, peer) VALUES ";
	char (*numbers)[2][32] = calloc(n, sizeof(*numbers));
	const char **params = calloc(n * COLUMNS, sizeof(*params));
	char *sql = malloc(sizeof(head) + n * 80);
	size_t used;
	int rc = -1;

	if (numbers == NULL || params == NULL || sql == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	used = (size_t)snprintf(sql, sizeof(head), "%s", head);
	for (size_t i = 0; i < n; i++) {
		size_t p = i * COLUMNS + 1;

		store_audit_params(&lines[i]->entry, numbers[i][0], numbers[i][1],
				   &params[i * COLUMNS]);
		used += (size_t)snprintf(sql + used, 80, "%s($%zu,$%zu,$%zu,$%zu,$%zu,$%zu,$%zu,$%zu)",
					 i > 0 ? "," : "", p, p + 1, p + 2, p + 3, p + 4, p + 5,
					 p + 6, p + 7);
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		store_conn *c;
		PGresult *res;

		if (store_acquire(w->pool, WRITE_TIMEOUT_MS, &c, st) != 0)
			break;
		res = store_query(c, sql, (int)(n * COLUMNS), params, st);
		store_release(w->pool, c);
		if (res != NULL) {
			PQclear(res);
			rc = 0;
			break;
		}
		if (st->code != STATUS_UNAVAILABLE)
			break;
	}
cleanup:
	free(numbers);
	free(params);
	free(sql);
	return rc;
}

static double elapsed_us(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - from->tv_sec) * 1e6 + (double)(now.tv_nsec - from->tv_nsec) / 1e3;
}

static void write_batch(store_audit_writer *w, queued_line **lines, size_t n)
{
	status st = STATUS_INIT;
	struct timespec started;
	int rc;
	size_t written = 0, largest = 0;

	clock_gettime(CLOCK_MONOTONIC, &started);
	rc = insert_lines(w, lines, n, &st);
	if (rc == 0)
		w->commit_us = w->commit_us == 0 ? elapsed_us(&started)
			: 0.8 * w->commit_us + 0.2 * elapsed_us(&started);
	if (rc != 0 && n > 1 && st.code != STATUS_UNAVAILABLE) {
		for (size_t i = 0; i < n; i++) {
			lines[i]->st = (status)STATUS_INIT;
			lines[i]->rc = insert_lines(w, &lines[i], 1, &lines[i]->st);
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			lines[i]->rc = rc;
			lines[i]->st = st;
		}
	}
	for (size_t i = 0; i < n; i++)
		written += lines[i]->rc == 0;
	w->history[w->history_next] = n;
	w->history_next = (w->history_next + 1) % HISTORY;
	for (size_t i = 0; i < HISTORY; i++)
		largest = w->history[i] > largest ? w->history[i] : largest;
	pthread_mutex_lock(&w->mu);
	w->lines += written;
	w->commits++;
	w->expected = largest;
	pthread_mutex_unlock(&w->mu);
	/* Durable (or failed): each caller may now answer (or not). */
	for (size_t i = 0; i < n; i++) {
		lines[i]->done(lines[i]->arg, &lines[i]->entry, lines[i]->rc, &lines[i]->st);
		free(lines[i]);
	}
}

/* Under w->mu, with lines queued: waits until as many as expected are, the
 * gathering time has passed, or the writer must stop. */
static void gather(store_audit_writer *w)
{
	double wait_us = w->commit_us;
	struct timespec until;
	long long ns;

	if (w->queued >= w->expected || w->stop)
		return;
	wait_us = wait_us < GATHER_MIN_US ? GATHER_MIN_US
		: wait_us > GATHER_MAX_US ? GATHER_MAX_US : wait_us;
	clock_gettime(CLOCK_REALTIME, &until);
	ns = until.tv_nsec + (long long)(wait_us * 1000);
	until.tv_sec += ns / 1000000000LL;
	until.tv_nsec = ns % 1000000000LL;
	while (w->queued < w->expected && !w->stop &&
	       pthread_cond_timedwait(&w->queued_cv, &w->mu, &until) != ETIMEDOUT)
		;
}

static void *writer_main(void *arg)
{
	store_audit_writer *w = arg;
	queued_line **batch = malloc(BATCH_MAX * sizeof(*batch));

	if (batch == NULL) {
		log_error("audit: out of memory: the audit writer stops");
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_mutex_unlock(&w->mu);
	}
	for (;;) {
		size_t n = 0;

		pthread_mutex_lock(&w->mu);
		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->queued_cv, &w->mu);
		if (w->head == NULL || batch == NULL) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		gather(w);
		while (w->head != NULL && n < BATCH_MAX) {
			batch[n++] = w->head;
			w->head = w->head->next;
		}
		w->queued -= n;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->mu);
		write_batch(w, batch, n);
	}
	free(batch);
	return NULL;
}

int store_audit_writer_start(store_audit_writer **out, const char *dsn, status *st)
{
	store_audit_writer *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (w == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	if (store_pool_open_lazy(&w->pool, dsn, 1, "csperfd-audit", st) != 0) {
		free(w);
		return -1;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->queued_cv, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		store_pool_close(w->pool);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->queued_cv);
		free(w);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "cannot start the audit writer");
	}
	*out = w;
	return 0;
}

void store_audit_writer_stop(store_audit_writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->queued_cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	store_pool_close(w->pool);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->queued_cv);
	free(w);
}

/* Copies s into *cursor (NULL stays NULL); returns the copy. */
static const char *copy_into(char **cursor, const char *s)
{
	char *copy = *cursor;
	size_t len;

	if (s == NULL)
		return NULL;
	len = strlen(s) + 1;
	memcpy(copy, s, len);
	*cursor += len;
	return copy;
}

static size_t length_of(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

void store_audit_submit(store_audit_writer *w, const store_audit_entry *entry,
			store_audit_done_fn done, void *arg)
{
	const store_audit_entry *e = entry;
	size_t size = length_of(e->principal_name) + length_of(e->method) + length_of(e->council) +
		      length_of(e->parameters) + length_of(e->status) + length_of(e->peer);
	queued_line *line = calloc(1, sizeof(*line) + size);
	status st = STATUS_INIT;
	char *cursor;
	bool wake;

	if (line == NULL) {
		status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		done(arg, entry, -1, &st);
		return;
	}
	cursor = line->text;
	line->entry.principal_id = e->principal_id;
	line->entry.rows = e->rows;
	line->entry.principal_name = copy_into(&cursor, e->principal_name);
	line->entry.method = copy_into(&cursor, e->method);
	line->entry.council = copy_into(&cursor, e->council);
	line->entry.parameters = copy_into(&cursor, e->parameters);
	line->entry.status = copy_into(&cursor, e->status);
	line->entry.peer = copy_into(&cursor, e->peer);
	line->done = done;
	line->arg = arg;
	pthread_mutex_lock(&w->mu);
	if (w->stop) {
		pthread_mutex_unlock(&w->mu);
		status_set(&st, STATUS_UNAVAILABLE, "the audit writer has stopped");
		done(arg, &line->entry, -1, &st);
		free(line);
		return;
	}
	if (w->tail != NULL)
		w->tail->next = line;
	else
		w->head = line;
	w->tail = line;
	w->queued++;
	/* The writer waits for the first line, then for as many as expected. */
	wake = w->queued == 1 || w->queued >= w->expected;
	if (wake)
		pthread_cond_signal(&w->queued_cv);
	pthread_mutex_unlock(&w->mu);
}

typedef struct waiting_line {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
	int rc;
	status st;
} waiting_line;

static void wake_waiter(void *arg, const store_audit_entry *entry, int rc, const status *st)
{
	waiting_line *waiting = arg;

	(void)entry;
	pthread_mutex_lock(&waiting->mu);
	waiting->rc = rc;
	if (rc != 0)
		waiting->st = *st;
	waiting->done = true;
	pthread_cond_signal(&waiting->cv);
	pthread_mutex_unlock(&waiting->mu);
}

int store_audit_write(store_audit_writer *w, const store_audit_entry *entry, status *st)
{
	waiting_line waiting;

	memset(&waiting, 0, sizeof(waiting));
	pthread_mutex_init(&waiting.mu, NULL);
	pthread_cond_init(&waiting.cv, NULL);
	store_audit_submit(w, entry, wake_waiter, &waiting);
	pthread_mutex_lock(&waiting.mu);
	while (!waiting.done)
		pthread_cond_wait(&waiting.cv, &waiting.mu);
	pthread_mutex_unlock(&waiting.mu);
	pthread_mutex_destroy(&waiting.mu);
	pthread_cond_destroy(&waiting.cv);
	if (waiting.rc != 0 && st != NULL)
		*st = waiting.st;
	return waiting.rc;
}

void store_audit_writer_counts(store_audit_writer *w, uint64_t *lines, uint64_t *commits)
{
	pthread_mutex_lock(&w->mu);
	*lines = w->lines;
	*commits = w->commits;
	pthread_mutex_unlock(&w->mu);
}
