/*
 * audit_writer.c: group commit of audit lines (see store_access.h).
 *
 * Callers queue a line that lives on their stack and sleep until the writer
 * marks it done. The writer takes everything queued, writes it with one
 * multi-row INSERT (its own transaction, so one WAL flush), then wakes the
 * callers with the outcome. A lost connection is retried once; a batch the
 * database refuses for another reason is written line by line, so that one
 * bad line cannot take the others with it.
 */
#include "store_internal.h"
#include "store_access.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"

#define BATCH_MAX 256
#define COLUMNS 8
#define WRITE_TIMEOUT_MS 5000

typedef struct queued_line {
	const store_audit_entry *entry;
	bool done;
	int rc;
	status st;
	struct queued_line *next;
} queued_line;

struct store_audit_writer {
	store_pool *pool;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t queued_cv;    /* a line was queued, or stop */
	pthread_cond_t done_cv;      /* a batch was written */
	queued_line *head, *tail;
	bool stop;
	uint64_t lines, commits;
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
	char *sql = malloc(sizeof(head) + n * 64);
	size_t used;
	int rc = -1;

	if (numbers == NULL || params == NULL || sql == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	used = (size_t)snprintf(sql, sizeof(head), "%s", head);
	for (size_t i = 0; i < n; i++) {
		size_t p = i * COLUMNS + 1;

		store_audit_params(lines[i]->entry, numbers[i][0], numbers[i][1], &params[i * COLUMNS]);
		used += (size_t)snprintf(sql + used, 64, "%s($%zu,$%zu,$%zu,$%zu,$%zu,$%zu,$%zu,$%zu)",
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

static void write_batch(store_audit_writer *w, queued_line **lines, size_t n)
{
	status st = STATUS_INIT;
	int rc = insert_lines(w, lines, n, &st);

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
	pthread_mutex_lock(&w->mu);
	for (size_t i = 0; i < n; i++) {
		lines[i]->done = true;
		if (lines[i]->rc == 0)
			w->lines++;
	}
	w->commits++;
	pthread_cond_broadcast(&w->done_cv);
	pthread_mutex_unlock(&w->mu);
}

static void *writer_main(void *arg)
{
	store_audit_writer *w = arg;
	queued_line *batch[BATCH_MAX];

	for (;;) {
		size_t n = 0;

		pthread_mutex_lock(&w->mu);
		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->queued_cv, &w->mu);
		if (w->head == NULL) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		while (w->head != NULL && n < BATCH_MAX) {
			batch[n++] = w->head;
			w->head = w->head->next;
		}
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->mu);
		write_batch(w, batch, n);
	}
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
	pthread_cond_init(&w->done_cv, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		store_pool_close(w->pool);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->queued_cv);
		pthread_cond_destroy(&w->done_cv);
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
	pthread_cond_destroy(&w->done_cv);
	free(w);
}

int store_audit_write(store_audit_writer *w, const store_audit_entry *entry, status *st)
{
	queued_line line;

	memset(&line, 0, sizeof(line));
	line.entry = entry;
	pthread_mutex_lock(&w->mu);
	if (w->stop) {
		pthread_mutex_unlock(&w->mu);
		return status_set(st, STATUS_UNAVAILABLE, "the audit writer has stopped");
	}
	if (w->tail != NULL)
		w->tail->next = &line;
	else
		w->head = &line;
	w->tail = &line;
	pthread_cond_signal(&w->queued_cv);
	while (!line.done)
		pthread_cond_wait(&w->done_cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
	if (line.rc != 0 && st != NULL)
		*st = line.st;
	return line.rc;
}

void store_audit_writer_counts(store_audit_writer *w, uint64_t *lines, uint64_t *commits)
{
	pthread_mutex_lock(&w->mu);
	*lines = w->lines;
	*commits = w->commits;
	pthread_mutex_unlock(&w->mu);
}
