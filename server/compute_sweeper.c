/*
 * compute_sweeper.c: the thread that finishes recomputes a crash, a lost
 * database or a failure left due (compute_due), once at start and then
 * every --recompute-every seconds, sooner again while the database is away.
 * Several csperfd on one database sweep side by side: a council another
 * recompute holds is left to it (a try-lock), never done twice at once.
 */
#include "compute_sweeper.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "compute.h"
#include "log.h"

/* A sweep's recomputes run with the same cap as a call with no deadline. */
#define SWEEP_TIMEOUT_MS (5 * 60 * 1000)
/* After a sweep that could not read the database. */
#define RETRY_SECONDS 2

struct compute_sweeper {
	store_pool *pool;
	int every_s;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	store_cancel *scope;   /* the thread's, fired by stop */
};

static void *sweeper_main(void *arg)
{
	compute_sweeper *s = arg;
	int wait_s = 0;

	pthread_mutex_lock(&s->mu);
	s->scope = store_cancel_arm();
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	for (;;) {
		struct timespec until;
		status st = STATUS_INIT;
		int remaining = 0, busy = 0;

		pthread_mutex_lock(&s->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait_s;
		while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT)
			;
		if (s->stop) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		pthread_mutex_unlock(&s->mu);
		if (compute_due(s->pool, SWEEP_TIMEOUT_MS, NULL, false, &remaining, &busy, &st) != 0) {
			log_debug("compute: the sweep for figures due could not look: %s", st.message);
			wait_s = RETRY_SECONDS;
			continue;
		}
		/* A council another recompute held is looked at again soon; one
		 * whose recompute failed waits for the next period (it was
		 * logged, and may fail again). */
		wait_s = busy > 0 && s->every_s > RETRY_SECONDS ? RETRY_SECONDS : s->every_s;
	}
	return NULL;
}

int compute_sweeper_start(compute_sweeper **out, store_pool *pool, int every_s, status *st)
{
	compute_sweeper *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	s->pool = pool;
	s->every_s = every_s > 0 ? every_s : 1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, sweeper_main, s) != 0) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		free(s);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "cannot start the recompute sweep");
	}
	*out = s;
	return 0;
}

void compute_sweeper_stop(compute_sweeper *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_broadcast(&s->cv);
	/* A recompute under way is cancelled: it is due again next start. */
	store_cancel_fire(s->scope);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
