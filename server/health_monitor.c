/*
 * health_monitor.c: the database's state for the health check, refreshed by
 * a thread (see health_monitor.h).
 */
#include "health_monitor.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

struct health_monitor {
	store_pool *pool;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	/* The last ping's outcome and when it ended (CLOCK_MONOTONIC, ms);
	 * 0: no ping has ended yet. */
	_Atomic bool ok;
	_Atomic int64_t checked_ms;
};

static int64_t now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void *monitor_main(void *arg)
{
	health_monitor *m = arg;
	bool was_ok = true;

	for (;;) {
		status st = STATUS_INIT;
		bool ok = store_ping(m->pool, HEALTH_PING_TIMEOUT_MS, &st) == 0;
		struct timespec until;
		bool stop;

		atomic_store(&m->ok, ok);
		atomic_store(&m->checked_ms, now_ms());
		if (ok != was_ok)
			log_info("health: the database %s", ok ? "answers again: SERVING"
				 : "does not answer: NOT_SERVING");
		was_ok = ok;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += HEALTH_REFRESH_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&m->mu);
		while (!m->stop && pthread_cond_timedwait(&m->cv, &m->mu, &until) != ETIMEDOUT)
			;
		stop = m->stop;
		pthread_mutex_unlock(&m->mu);
		if (stop)
			return NULL;
	}
}

int health_monitor_start(health_monitor **out, const char *dsn, status *st)
{
	health_monitor *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	/* Its own connection: a ping never queues behind the calls' queries. */
	if (store_pool_open_deferred(&m->pool, dsn, 1, st) != 0) {
		free(m);
		return -1;
	}
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	if (pthread_create(&m->thread, NULL, monitor_main, m) != 0) {
		store_pool_close(m->pool);
		pthread_mutex_destroy(&m->mu);
		pthread_cond_destroy(&m->cv);
		free(m);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "cannot start the health monitor");
	}
	*out = m;
	return 0;
}

void health_monitor_stop(health_monitor *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	m->stop = true;
	pthread_cond_signal(&m->cv);
	pthread_mutex_unlock(&m->mu);
	pthread_join(m->thread, NULL);
	store_pool_close(m->pool);
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->cv);
	free(m);
}

bool health_monitor_database_ok(const health_monitor *m)
{
	int64_t checked;

	if (m == NULL)
		return false;
	checked = atomic_load(&((health_monitor *)m)->checked_ms);
	return checked != 0 && atomic_load(&((health_monitor *)m)->ok) &&
	       now_ms() - checked <= HEALTH_STALE_MS;
}
