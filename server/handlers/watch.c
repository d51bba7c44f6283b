/*
 * watch.c: WatchScorecard and its hubs (see watch.h).
 *
 * Locking: one mutex (hubs->mu) guards hubs, watchers, their queues and the
 * shared messages' reference counts; it is never held while computing, and
 * never while calling rpc_stream_finish (which takes the call's lock, the
 * lock the rpc module holds while it runs on_cancel, which takes this one).
 * rpc_stream_send takes no lock of the call's, so sends start under it.
 *
 * A watcher's life: joined to its hub (not yet parked) -> parked -> sent
 * the whole scorecard (resync), then each update in turn, one send in flight
 * at a time -> gone (cancelled, its send failed, or csperfd stops) -> reaped
 * by a compute thread, which ends its call and frees it once no send is in
 * flight.
 */
#include "watch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "../log.h"
#include "../store/store_access.h"

#include "csperf/v1/scorecards.pb-c.h"

/* Updates a watcher may have waiting; one more and it gets the whole
 * scorecard when it catches up. */
#define WATCH_QUEUE 8
#define WATCH_THREADS 2
#define WATCH_COMPUTE_TIMEOUT_MS 60000

/* A packed ScorecardUpdate, sent to many watchers. */
typedef struct message {
	int refs;                  /* under hubs->mu */
	size_t size;
	uint8_t bytes[];
} message;

typedef struct hub hub;

typedef struct watcher {
	struct watch_hubs *hubs;
	hub *hub;                  /* NULL once taken out of it */
	rpc_call *call;
	int64_t token_id;          /* the caller's token: its revocation ends the watch */
	message *queue[WATCH_QUEUE];
	size_t head, count;
	bool parked;               /* rpc_call_park returned */
	bool sending;              /* a send is in flight */
	bool resync;               /* send the hub's whole scorecard next */
	bool gone;
	status_code end_code;
	char end_message[160];
	struct watcher *next;      /* in its hub */
	struct watcher *next_reap;
} watcher;

typedef struct row_state {
	char *indicator_id;
	uint8_t *bytes;
	size_t size;
} row_state;

struct hub {
	char council[16], period[32], stage[32];
	int threshold;
	watcher *watchers;
	size_t nwatchers;
	message *full;             /* the latest whole scorecard; NULL until computed */
	uint64_t sequence;
	/* The compute thread's, while `computing`: */
	row_state *rows;
	size_t nrows;
	uint8_t *header;
	size_t header_size;
	bool dirty, queued, computing;
	hub *next, *next_dirty;
};

struct watch_hubs {
	app *a;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t threads[WATCH_THREADS];
	int nthreads;
	hub *hubs;
	hub *dirty_head, *dirty_tail;
	watcher *reap;
	bool tokens_changed;       /* access_token changed: end revoked tokens' watches */
	bool closed, stop;
	watch_counts counts;
};

static message *message_new(const ProtobufCMessage *msg)
{
	size_t size = protobuf_c_message_get_packed_size(msg);
	message *m = malloc(sizeof(*m) + (size > 0 ? size : 1));

	if (m == NULL)
		return NULL;
	m->refs = 1;
	m->size = size;
	protobuf_c_message_pack(msg, m->bytes);
	return m;
}

static void message_unref(message *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

static void rows_free(row_state *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].indicator_id);
		free(rows[i].bytes);
	}
	free(rows);
}

static void queue_drop(watcher *w)
{
	while (w->count > 0) {
		message_unref(w->queue[w->head]);
		w->head = (w->head + 1) % WATCH_QUEUE;
		w->count--;
	}
}

static void enqueue_dirty(watch_hubs *hubs, hub *h)
{
	h->dirty = true;
	if (h->queued || h->computing)
		return;
	h->queued = true;
	h->next_dirty = NULL;
	if (hubs->dirty_tail != NULL)
		hubs->dirty_tail->next_dirty = h;
	else
		hubs->dirty_head = h;
	hubs->dirty_tail = h;
	pthread_cond_signal(&hubs->cv);
}

/* Frees a hub nobody watches, computes or has queued. */
static void hub_free_if_idle(watch_hubs *hubs, hub *h)
{
	hub **link = &hubs->hubs;

	if (h->nwatchers > 0 || h->computing || h->queued)
		return;
	while (*link != h)
		link = &(*link)->next;
	*link = h->next;
	message_unref(h->full);
	rows_free(h->rows, h->nrows);
	free(h->header);
	free(h);
}

static void reap_push(watch_hubs *hubs, watcher *w)
{
	w->next_reap = hubs->reap;
	hubs->reap = w;
	pthread_cond_signal(&hubs->cv);
}

/* Takes the watcher out of its hub; its call is ended by a compute thread
 * once it is parked and no send is in flight. Under mu. */
static void watcher_end(watch_hubs *hubs, watcher *w, status_code code, const char *why)
{
	hub *h = w->hub;

	if (w->gone)
		return;
	w->gone = true;
	w->end_code = code;
	snprintf(w->end_message, sizeof(w->end_message), "%s", why);
	queue_drop(w);
	if (h != NULL) {
		watcher **link = &h->watchers;

		while (*link != w)
			link = &(*link)->next;
		*link = w->next;
		h->nwatchers--;
		hubs->counts.watchers--;
		w->hub = NULL;
		hub_free_if_idle(hubs, h);
	}
	if (w->parked && !w->sending)
		reap_push(hubs, w);
}

/* Starts the watcher's next send if it has one and none is in flight.
 * Under mu. */
static void watcher_kick(watch_hubs *hubs, watcher *w)
{
	message *m;

	if (!w->parked || w->sending || w->gone || w->hub == NULL)
		return;
	if (w->resync) {
		if (w->hub->full == NULL)
			return;   /* the first computation is under way */
		m = w->hub->full;
		m->refs++;
		w->resync = false;
	} else if (w->count > 0) {
		m = w->queue[w->head];
		w->head = (w->head + 1) % WATCH_QUEUE;
		w->count--;
	} else {
		return;
	}
	w->sending = rpc_stream_send(w->call, m->bytes, m->size) == 0;
	message_unref(m);
	if (!w->sending)
		watcher_end(hubs, w, STATUS_CANCELLED, "the stream failed");
}

/* On a poller: a send completed. */
static void watcher_sent(void *arg, bool ok)
{
	watcher *w = arg;
	watch_hubs *hubs = w->hubs;

	pthread_mutex_lock(&hubs->mu);
	w->sending = false;
	if (w->gone)
		reap_push(hubs, w);
	else if (!ok)
		watcher_end(hubs, w, STATUS_CANCELLED, "the client went");
	else
		watcher_kick(hubs, w);
	pthread_mutex_unlock(&hubs->mu);
}

/* On a poller (or the handler's worker), under the call's lock: the client
 * went or the server cancelled the call. */
static void watcher_cancelled(void *arg)
{
	watcher *w = arg;
	watch_hubs *hubs = w->hubs;

	pthread_mutex_lock(&hubs->mu);
	watcher_end(hubs, w, STATUS_CANCELLED, "the watch was cancelled");
	pthread_mutex_unlock(&hubs->mu);
}

/* ---- computing ---- */

static const row_state *find_row(const hub *h, const char *indicator_id)
{
	for (size_t i = 0; i < h->nrows; i++)
		if (strcmp(h->rows[i].indicator_id, indicator_id) == 0)
			return &h->rows[i];
	return NULL;
}

static uint8_t *pack_copy(const ProtobufCMessage *msg, size_t *size)
{
	uint8_t *bytes;

	*size = protobuf_c_message_get_packed_size(msg);
	bytes = malloc(*size > 0 ? *size : 1);
	if (bytes != NULL)
		protobuf_c_message_pack(msg, bytes);
	return bytes;
}

/* What one computation makes: the messages to publish (diff is NULL for
 * the first, or when nothing changed; full is NULL when nothing changed),
 * and the hub's new row state. */
typedef struct computed {
	message *full, *diff;
	row_state *rows;
	size_t nrows;
	uint8_t *header;
	size_t header_size;
	size_t changed;
} computed;

/* Compares the scorecard just built with the hub's last one; outside mu
 * (the hub is this thread's while `computing`). */
static int diff_scorecard(const hub *h, Csperf__V1__GetScorecardResponse *sc, computed *out)
{
	Csperf__V1__ScorecardUpdate update = CSPERF__V1__SCORECARD_UPDATE__INIT;
	Csperf__V1__ScorecardRow **all = sc->rows, **changed;
	char **removed;
	size_t nall = sc->n_rows, nchanged = 0, nremoved = 0;
	bool first = h->full == NULL, header_same;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	changed = calloc(nall + 1, sizeof(*changed));
	removed = calloc(h->nrows + 1, sizeof(*removed));
	out->rows = calloc(nall + 1, sizeof(*out->rows));
	if (changed == NULL || removed == NULL || out->rows == NULL)
		goto cleanup;
	for (size_t i = 0; i < nall; i++) {
		row_state *r = &out->rows[out->nrows];
		const row_state *before;

		r->indicator_id = strdup(all[i]->indicator_id);
		r->bytes = pack_copy(&all[i]->base, &r->size);
		out->nrows++;
		if (r->indicator_id == NULL || r->bytes == NULL)
			goto cleanup;
		before = find_row(h, r->indicator_id);
		if (before == NULL || before->size != r->size ||
		    memcmp(before->bytes, r->bytes, r->size) != 0)
			changed[nchanged++] = all[i];
	}
	for (size_t i = 0; i < h->nrows; i++) {
		bool still = false;

		for (size_t k = 0; k < nall && !still; k++)
			still = strcmp(all[k]->indicator_id, h->rows[i].indicator_id) == 0;
		if (!still)
			removed[nremoved++] = h->rows[i].indicator_id;
	}
	sc->n_rows = 0;
	out->header = pack_copy(&sc->base, &out->header_size);
	sc->n_rows = nall;
	if (out->header == NULL)
		goto cleanup;
	header_same = h->header != NULL && h->header_size == out->header_size &&
		      memcmp(h->header, out->header, out->header_size) == 0;
	out->changed = nchanged;
	if (!first && nchanged == 0 && nremoved == 0 && header_same) {
		rc = 0;   /* nothing to tell anyone */
		goto cleanup;
	}
	update.sequence = h->sequence + 1;
	update.full = true;
	update.scorecard = sc;
	out->full = message_new(&update.base);
	if (!first) {
		update.full = false;
		sc->rows = changed;
		sc->n_rows = nchanged;
		update.removed = removed;
		update.n_removed = nremoved;
		out->diff = message_new(&update.base);
		sc->rows = all;
		sc->n_rows = nall;
	}
	if (out->full == NULL || (!first && out->diff == NULL))
		goto cleanup;
	rc = 0;
cleanup:
	free(changed);
	free(removed);
	if (rc != 0) {
		free(out->full);
		free(out->diff);
		out->full = out->diff = NULL;
	}
	return rc;
}

/* Fans an update out to the hub's watchers. Under mu. */
static void publish(watch_hubs *hubs, hub *h, computed *c)
{
	message_unref(h->full);
	h->full = c->full;
	h->sequence++;
	hubs->counts.updates++;
	for (watcher *w = h->watchers; w != NULL; w = w->next) {
		if (!w->resync && c->diff != NULL) {
			if (w->count == WATCH_QUEUE) {
				/* Too far behind: the whole scorecard when it
				 * catches up, instead of what it missed. */
				queue_drop(w);
				w->resync = true;
				hubs->counts.resyncs++;
			} else {
				c->diff->refs++;
				w->queue[(w->head + w->count) % WATCH_QUEUE] = c->diff;
				w->count++;
			}
		} else if (c->diff == NULL) {
			queue_drop(w);
			w->resync = true;
		}
		watcher_kick(hubs, w);
	}
	message_unref(c->diff);
}

/* Ends every watcher of a hub whose scorecard cannot be built. Under mu. */
static void fail_watchers(watch_hubs *hubs, hub *h, const status *st)
{
	/* The last watcher_end may free the hub. */
	for (size_t n = h->nwatchers; n > 0; n--)
		watcher_end(hubs, h->watchers, st->code, st->message);
}

static void compute_hub(watch_hubs *hubs, hub *h)
{
	Csperf__V1__GetScorecardResponse *sc = NULL;
	uint8_t *packed = NULL;
	size_t size = 0;
	status st = STATUS_INIT;
	computed c;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = scorecards_build_packed(hubs->a, WATCH_COMPUTE_TIMEOUT_MS, h->threshold, h->council,
				     h->period, h->stage[0] != '\0' ? h->stage : NULL, &packed,
				     &size, &st);
	if (rc == 0) {
		sc = csperf__v1__get_scorecard_response__unpack(NULL, size, packed);
		if (sc == NULL || diff_scorecard(h, sc, &c) != 0)
			rc = status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	pthread_mutex_lock(&hubs->mu);
	hubs->counts.computations++;
	if (rc != 0 && h->full == NULL) {
		fail_watchers(hubs, h, &st);
	} else if (rc != 0) {
		/* The watchers keep what they have; the next change (or the
		 * listener's reconnection after a database restart) tries again. */
		log_warn("watch: the scorecard of %s %s could not be recomputed: %s", h->council,
			 h->period, st.message);
	} else {
		rows_free(h->rows, h->nrows);
		free(h->header);
		h->rows = c.rows;
		h->nrows = c.nrows;
		h->header = c.header;
		h->header_size = c.header_size;
		c.rows = NULL;
		c.nrows = 0;
		c.header = NULL;
		if (c.full != NULL)
			publish(hubs, h, &c);
	}
	pthread_mutex_unlock(&hubs->mu);
	rows_free(c.rows, c.nrows);
	free(c.header);
	if (sc != NULL)
		csperf__v1__get_scorecard_response__free_unpacked(sc, NULL);
	free(packed);
}

/* The ids of the valid tokens (store_token_list). */
typedef struct token_ids {
	int64_t *ids;
	size_t count;
	bool failed;
} token_ids;

static int keep_token_id(const store_token_row *row, void *ctx)
{
	token_ids *t = ctx;
	int64_t *grown = realloc(t->ids, (t->count + 1) * sizeof(*grown));

	if (grown == NULL) {
		t->failed = true;
		return 1;
	}
	t->ids = grown;
	t->ids[t->count++] = row->principal->id;
	return 0;
}

/* A token was revoked (or may have been): the watches of tokens no longer
 * valid end with UNAUTHENTICATED, as their next call would. Called with mu
 * held; releases it while it reads the tokens. */
static void end_revoked(watch_hubs *hubs)
{
	token_ids valid = { NULL, 0, false };
	status st = STATUS_INIT;
	int rc;

	pthread_mutex_unlock(&hubs->mu);
	rc = store_token_list(hubs->a->pool, WATCH_COMPUTE_TIMEOUT_MS, false, keep_token_id,
			      &valid, &st);
	pthread_mutex_lock(&hubs->mu);
	if (rc != 0 || valid.failed) {
		log_warn("watch: cannot read the tokens to end revoked ones' watches: %s",
			 st.message);
		free(valid.ids);
		return;
	}
	for (hub *h = hubs->hubs, *next_hub; h != NULL; h = next_hub) {
		next_hub = h->next;
		for (watcher *w = h->watchers, *next; w != NULL; w = next) {
			bool still = false;

			next = w->next;
			for (size_t i = 0; i < valid.count && !still; i++)
				still = valid.ids[i] == w->token_id;
			if (!still)
				watcher_end(hubs, w, STATUS_UNAUTHENTICATED,
					    "the bearer token is unknown or revoked");
		}
	}
	free(valid.ids);
}

/* Ends the calls of watchers that are gone. Outside mu. */
static void reap(watcher *list)
{
	while (list != NULL) {
		watcher *next = list->next_reap;

		rpc_stream_finish(list->call, list->end_code, list->end_message);
		free(list);
		list = next;
	}
}

static void *compute_main(void *arg)
{
	watch_hubs *hubs = arg;

	pthread_mutex_lock(&hubs->mu);
	for (;;) {
		hub *h;

		while (!hubs->stop && hubs->reap == NULL && hubs->dirty_head == NULL &&
		       !hubs->tokens_changed)
			pthread_cond_wait(&hubs->cv, &hubs->mu);
		if (hubs->tokens_changed && !hubs->stop) {
			hubs->tokens_changed = false;
			end_revoked(hubs);
			continue;
		}
		if (hubs->reap != NULL) {
			watcher *list = hubs->reap;

			hubs->reap = NULL;
			pthread_mutex_unlock(&hubs->mu);
			reap(list);
			pthread_mutex_lock(&hubs->mu);
			continue;
		}
		if (hubs->stop)
			break;
		h = hubs->dirty_head;
		hubs->dirty_head = h->next_dirty;
		if (hubs->dirty_head == NULL)
			hubs->dirty_tail = NULL;
		h->queued = false;
		if (h->nwatchers == 0) {
			hub_free_if_idle(hubs, h);
			continue;
		}
		h->computing = true;
		h->dirty = false;
		pthread_mutex_unlock(&hubs->mu);
		compute_hub(hubs, h);
		pthread_mutex_lock(&hubs->mu);
		h->computing = false;
		if (h->dirty && h->nwatchers > 0)
			enqueue_dirty(hubs, h);
		hub_free_if_idle(hubs, h);
	}
	pthread_mutex_unlock(&hubs->mu);
	return NULL;
}

/* ---- the hubs ---- */

int watch_hubs_new(watch_hubs **out, app *a)
{
	watch_hubs *hubs = calloc(1, sizeof(*hubs));

	*out = NULL;
	if (hubs == NULL)
		return -1;
	hubs->a = a;
	pthread_mutex_init(&hubs->mu, NULL);
	pthread_cond_init(&hubs->cv, NULL);
	for (int i = 0; i < WATCH_THREADS; i++) {
		if (pthread_create(&hubs->threads[i], NULL, compute_main, hubs) != 0)
			break;
		hubs->nthreads++;
	}
	if (hubs->nthreads == 0) {
		watch_hubs_free(hubs);
		return -1;
	}
	*out = hubs;
	return 0;
}

void watch_hubs_changed(watch_hubs *hubs, const char *table)
{
	bool tokens = table == NULL || strcmp(table, "access_token") == 0;

	if (hubs == NULL)
		return;
	pthread_mutex_lock(&hubs->mu);
	if (tokens && hubs->hubs != NULL) {
		hubs->tokens_changed = true;
		pthread_cond_signal(&hubs->cv);
	}
	for (hub *h = hubs->hubs; h != NULL && (table == NULL || !tokens); h = h->next)
		enqueue_dirty(hubs, h);
	pthread_mutex_unlock(&hubs->mu);
}

void watch_hubs_close(watch_hubs *hubs)
{
	status st = STATUS_INIT;

	if (hubs == NULL)
		return;
	status_set(&st, STATUS_UNAVAILABLE, "csperfd is stopping: watch again");
	pthread_mutex_lock(&hubs->mu);
	hubs->closed = true;
	for (hub *h = hubs->hubs, *next; h != NULL; h = next) {
		next = h->next;
		fail_watchers(hubs, h, &st);
	}
	pthread_mutex_unlock(&hubs->mu);
}

void watch_hubs_free(watch_hubs *hubs)
{
	if (hubs == NULL)
		return;
	pthread_mutex_lock(&hubs->mu);
	hubs->stop = true;
	pthread_cond_broadcast(&hubs->cv);
	pthread_mutex_unlock(&hubs->mu);
	for (int i = 0; i < hubs->nthreads; i++)
		pthread_join(hubs->threads[i], NULL);
	reap(hubs->reap);
	while (hubs->hubs != NULL) {
		hub *h = hubs->hubs;

		hubs->hubs = h->next;
		message_unref(h->full);
		rows_free(h->rows, h->nrows);
		free(h->header);
		free(h);
	}
	pthread_mutex_destroy(&hubs->mu);
	pthread_cond_destroy(&hubs->cv);
	free(hubs);
}

void watch_hubs_counts(watch_hubs *hubs, watch_counts *out)
{
	pthread_mutex_lock(&hubs->mu);
	*out = hubs->counts;
	pthread_mutex_unlock(&hubs->mu);
}

/* Joins the watcher to the hub of its scorecard (made if none). -1 when the
 * hubs are closed. */
static int join(watch_hubs *hubs, watcher *w, const char *council, const char *period,
		const char *stage, int threshold)
{
	hub *h;

	pthread_mutex_lock(&hubs->mu);
	if (hubs->closed) {
		pthread_mutex_unlock(&hubs->mu);
		return -1;
	}
	for (h = hubs->hubs; h != NULL; h = h->next)
		if (strcmp(h->council, council) == 0 && strcmp(h->period, period) == 0 &&
		    strcmp(h->stage, stage) == 0 && h->threshold == threshold)
			break;
	if (h == NULL) {
		h = calloc(1, sizeof(*h));
		if (h == NULL) {
			pthread_mutex_unlock(&hubs->mu);
			return -1;
		}
		snprintf(h->council, sizeof(h->council), "%s", council);
		snprintf(h->period, sizeof(h->period), "%s", period);
		snprintf(h->stage, sizeof(h->stage), "%s", stage);
		h->threshold = threshold;
		h->next = hubs->hubs;
		hubs->hubs = h;
	}
	w->hubs = hubs;
	w->hub = h;
	w->resync = true;
	w->next = h->watchers;
	h->watchers = w;
	h->nwatchers++;
	hubs->counts.watchers++;
	if (h->full == NULL)
		enqueue_dirty(hubs, h);
	pthread_mutex_unlock(&hubs->mu);
	return 0;
}

void handle_watch_scorecard(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetScorecardRequest *req = (Csperf__V1__GetScorecardRequest *)rpc_call_request(call);
	status st = STATUS_INIT;
	auth_suppression suppression;
	watcher *w;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetScorecardRequest");
		return;
	}
	if (scorecards_check_org_unit(req->org_unit, &st) != 0 ||
	    scorecards_check_request(req->council, req->period,
				     req->stage[0] != '\0' ? req->stage : NULL, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if (strlen(req->period) >= sizeof(((hub *)NULL)->period)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "period is too long");
		goto cleanup;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	w->call = call;
	w->token_id = access_principal(call) != NULL ? access_principal(call)->id : 0;
	suppression = access_suppression(call, a);
	if (a->watch == NULL || join(a->watch, w, req->council, req->period, req->stage,
				     suppression.suppress ? suppression.threshold : 0) != 0) {
		free(w);
		rpc_call_fail(call, STATUS_UNAVAILABLE, "csperfd is stopping: watch again");
		goto cleanup;
	}
	access_note_params(call, "period=%s stage=%s watch", req->period,
			   req->stage[0] != '\0' ? req->stage : "all");
	/* The audit line is written here, before anything is sent. */
	if (rpc_call_park(call, watcher_sent, watcher_cancelled, w) != 0) {
		pthread_mutex_lock(&a->watch->mu);
		watcher_end(a->watch, w, STATUS_INTERNAL, "internal error");
		pthread_mutex_unlock(&a->watch->mu);
		free(w);
		rpc_call_fail(call, STATUS_INTERNAL, "internal error");
		goto cleanup;
	}
	pthread_mutex_lock(&a->watch->mu);
	w->parked = true;
	if (w->gone)
		reap_push(a->watch, w);
	else
		watcher_kick(a->watch, w);
	pthread_mutex_unlock(&a->watch->mu);
cleanup:
	protobuf_c_message_free_unpacked(&req->base, NULL);
}
