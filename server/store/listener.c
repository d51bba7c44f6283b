/*
 * listener.c: one connection per csperfd that LISTENs on csperf_change
 * (migrations/0011_change_notify.sql) and tells the caches what changed.
 *
 * A thread owns the connection. It hands each notification to the change
 * callback, and on loss of the connection calls it with NULL (forget
 * everything: what changed meanwhile is unknown) and reconnects every
 * second. store_listener_sync is the fence that makes caches safe across
 * processes: it returns once a round trip sent after it was called has come
 * back. A listening backend hands over the notifications of every transaction
 * committed before it answers a query (before ReadyForQuery), so by then
 * every change committed before the sync was called has reached the callback.
 * Concurrent callers share round trips: one in flight serves everyone who
 * came before it was sent.
 */
#include "store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../log.h"

#define RECONNECT_EVERY_MS 1000

struct store_listener {
	char *dsn;
	store_change_fn on_change;
	void *ctx;
	pthread_t thread;
	int wake[2];                 /* a pipe: a sync is wanted, or stop */

	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	bool connected;
	uint64_t connection;         /* bumped at every (re)connection */
	uint64_t wanted;             /* round trips wanted (highest ticket) */
	uint64_t sent, done;         /* round trips sent, and come back */
	uint64_t notifications, losses;
};

static void wake_thread(store_listener *l)
{
	char byte = 1;

	if (write(l->wake[1], &byte, 1) < 0 && errno != EAGAIN)
		log_debug("store: listener: cannot wake its thread: %s", strerror(errno));
}

static void drain_wake(store_listener *l)
{
	char buf[64];

	while (read(l->wake[0], buf, sizeof(buf)) > 0)
		;
}

static void deliver(store_listener *l, PGconn *pg)
{
	PGnotify *n;

	while ((n = PQnotifies(pg)) != NULL) {
		pthread_mutex_lock(&l->mu);
		l->notifications++;
		pthread_mutex_unlock(&l->mu);
		log_debug("store: listener: %s changed", n->extra);
		l->on_change(n->extra, l->ctx);
		PQfreemem(n);
	}
}

static void set_connected(store_listener *l, bool connected)
{
	pthread_mutex_lock(&l->mu);
	if (!connected && l->connected)
		l->losses++;
	l->connected = connected;
	if (connected)
		l->connection++;
	/* Waiters of a lost connection get no fence. */
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

static PGconn *listen_connect(store_listener *l)
{
	const char *const keywords[] = { "dbname", "fallback_application_name", NULL };
	const char *const values[] = { l->dsn, "csperfd-listener", NULL };
	PGconn *pg = PQconnectdbParams(keywords, values, 1);
	PGresult *res;

	if (PQstatus(pg) != CONNECTION_OK) {
		log_debug("store: listener: cannot connect: %s", store_first_line(PQerrorMessage(pg)));
		PQfinish(pg);
		return NULL;
	}
	res = PQexec(pg, "LISTEN csperf_change");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_warn("store: listener: LISTEN failed: %s",
			 store_first_line(PQresultErrorMessage(res)));
		PQclear(res);
		PQfinish(pg);
		return NULL;
	}
	PQclear(res);
	return pg;
}

/* Waits for the answer to the round trip just sent; false if the
 * connection failed. */
static bool finish_round_trip(store_listener *l, PGconn *pg)
{
	PGresult *res;

	for (;;) {
		struct pollfd p = { PQsocket(pg), POLLIN, 0 };

		if (PQconsumeInput(pg) == 0)
			return false;
		deliver(l, pg);
		if (!PQisBusy(pg))
			break;
		if (poll(&p, 1, 1000) < 0 && errno != EINTR)
			return false;
	}
	while ((res = PQgetResult(pg)) != NULL)
		PQclear(res);
	deliver(l, pg);
	return PQstatus(pg) == CONNECTION_OK;
}

/* Serves one connection until it fails or the listener stops. */
static void serve_connection(store_listener *l, PGconn *pg)
{
	for (;;) {
		struct pollfd p[2] = { { PQsocket(pg), POLLIN, 0 }, { l->wake[0], POLLIN, 0 } };
		uint64_t ticket;
		bool stop, want;

		pthread_mutex_lock(&l->mu);
		stop = l->stop;
		want = l->wanted > l->sent;
		ticket = l->wanted;
		if (want)
			l->sent = ticket;
		pthread_mutex_unlock(&l->mu);
		if (stop)
			return;
		if (want) {
			/* An empty query: the cheapest round trip there is. */
			if (PQsendQuery(pg, "") == 0 || !finish_round_trip(l, pg))
				return;
			pthread_mutex_lock(&l->mu);
			if (ticket > l->done)
				l->done = ticket;
			pthread_cond_broadcast(&l->cv);
			pthread_mutex_unlock(&l->mu);
			continue;
		}
		if (poll(p, 2, 1000) < 0 && errno != EINTR)
			return;
		if (p[1].revents != 0)
			drain_wake(l);
		if (p[0].revents != 0) {
			if (PQconsumeInput(pg) == 0)
				return;
			deliver(l, pg);
		}
		if (PQstatus(pg) != CONNECTION_OK)
			return;
	}
}

static void *listener_main(void *arg)
{
	store_listener *l = arg;

	for (;;) {
		PGconn *pg;
		bool stop;

		pthread_mutex_lock(&l->mu);
		stop = l->stop;
		pthread_mutex_unlock(&l->mu);
		if (stop)
			break;
		pg = listen_connect(l);
		if (pg != NULL) {
			/* Whatever changed while nobody listened is unknown. */
			l->on_change(NULL, l->ctx);
			set_connected(l, true);
			log_debug("store: listener: listening for changes");
			serve_connection(l, pg);
			set_connected(l, false);
			l->on_change(NULL, l->ctx);
			pthread_mutex_lock(&l->mu);
			stop = l->stop;
			pthread_mutex_unlock(&l->mu);
			if (!stop)
				log_warn("store: the change listener's connection was lost: caches "
					 "emptied and off until it is back");
			PQfinish(pg);
			if (stop)
				break;
		}
		{
			struct pollfd p = { l->wake[0], POLLIN, 0 };

			/* Until the next attempt, or stop. */
			if (poll(&p, 1, RECONNECT_EVERY_MS) > 0)
				drain_wake(l);
		}
	}
	return NULL;
}

/* What store_listener_start made, once its thread is gone (or never ran). */
static void listener_free(store_listener *l)
{
	close(l->wake[0]);
	close(l->wake[1]);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l->dsn);
	free(l);
}

int store_listener_start(store_listener **out, const char *dsn, store_change_fn on_change,
			 void *ctx, status *st)
{
	store_listener *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (l == NULL || (l->dsn = strdup(dsn)) == NULL) {
		free(l);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	l->on_change = on_change;
	l->ctx = ctx;
	if (pipe(l->wake) != 0) {
		free(l->dsn);
		free(l);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "cannot make a pipe: %s",
				  strerror(errno));
	}
	fcntl(l->wake[0], F_SETFL, O_NONBLOCK);
	fcntl(l->wake[1], F_SETFL, O_NONBLOCK);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	if (pthread_create(&l->thread, NULL, listener_main, l) != 0) {
		listener_free(l);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "cannot start the change listener");
	}
	*out = l;
	return 0;
}

void store_listener_stop(store_listener *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = true;
	pthread_mutex_unlock(&l->mu);
	wake_thread(l);
	pthread_join(l->thread, NULL);
	listener_free(l);
}

int store_listener_sync(store_listener *l, int64_t timeout_ms)
{
	struct timespec until;
	uint64_t ticket, connection;
	int rc = 0;

	if (l == NULL)
		return -1;
	if (timeout_ms > 1000)
		timeout_ms = 1000;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&l->mu);
	if (!l->connected) {
		pthread_mutex_unlock(&l->mu);
		return -1;
	}
	connection = l->connection;
	/* A round trip sent after now: one already sent may have left before
	 * a change this caller saw committed. */
	ticket = l->sent + 1;
	if (l->wanted < ticket) {
		l->wanted = ticket;
		wake_thread(l);
	}
	while (l->done < ticket && l->connected && l->connection == connection && rc == 0)
		if (pthread_cond_timedwait(&l->cv, &l->mu, &until) == ETIMEDOUT)
			rc = -1;
	if (l->done < ticket || !l->connected || l->connection != connection)
		rc = -1;
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void store_listener_counts(store_listener *l, uint64_t *notifications, uint64_t *losses)
{
	pthread_mutex_lock(&l->mu);
	*notifications = l->notifications;
	*losses = l->losses;
	pthread_mutex_unlock(&l->mu);
}
