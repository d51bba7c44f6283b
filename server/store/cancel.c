/*
 * cancel.c: cancelling the database work of a call that was cancelled.
 *
 * statement_timeout bounds every statement by its call's deadline; this
 * covers the rest: a client that cancels or goes away, and a shutdown that
 * cancels the calls still running. A thread arms itself before each call
 * (store_cancel_arm); each connection it acquires while armed is registered
 * in its scope with a PGcancel. store_cancel_fire, from any thread, marks
 * the scope and wakes the canceller thread, which sends PostgreSQL a cancel
 * request for each registered connection (PQcancel connects to the server
 * and may wait: it never runs on a network poller); the scope's later
 * acquisitions fail at once with CANCELLED. Scopes are never freed: a
 * thread's scope goes back to a list when the thread ends, for the next
 * thread, so a cancellation that arrives late finds a scope that exists, and
 * its generation tells it the call it was for is over.
 */
#include "store_internal.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"

/* Connections one thread may hold at once (a load's, and one for a read). */
#define SCOPE_CONNS 4

struct store_cancel {
	pthread_mutex_t mu;
	uint64_t generation;        /* bumped by each arm and disarm */
	bool armed;
	bool fired;                 /* this generation was cancelled */
	uint64_t fired_generation;
	store_conn *conns[SCOPE_CONNS];
	PGcancel *cancels[SCOPE_CONNS];
	bool queued;                /* in the canceller's queue (queue_mu) */
	struct store_cancel *next_queued;
	bool in_use;                /* a thread's (scopes_mu) */
	struct store_cancel *next_scope;
};

static __thread store_cancel *thread_scope;

/* Every scope made, each a thread's or free for the next thread. */
static pthread_mutex_t scopes_mu = PTHREAD_MUTEX_INITIALIZER;
static store_cancel *scopes;
static pthread_key_t scope_key;

static pthread_once_t canceller_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t queue_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cv = PTHREAD_COND_INITIALIZER;
static store_cancel *queue_head;
static bool canceller_running;

static void cancel_scope(store_cancel *scope)
{
	char err[256];

	pthread_mutex_lock(&scope->mu);
	if (scope->fired && scope->fired_generation == scope->generation) {
		for (int i = 0; i < SCOPE_CONNS; i++) {
			if (scope->cancels[i] == NULL)
				continue;
			if (PQcancel(scope->cancels[i], err, sizeof(err)))
				log_debug("store: cancel request sent for a cancelled call");
			else
				log_warn("store: cannot cancel a cancelled call's query: %s", err);
		}
	}
	pthread_mutex_unlock(&scope->mu);
}

static void *canceller_main(void *arg)
{
	(void)arg;
	for (;;) {
		store_cancel *scope;

		pthread_mutex_lock(&queue_mu);
		while (queue_head == NULL)
			pthread_cond_wait(&queue_cv, &queue_mu);
		scope = queue_head;
		queue_head = scope->next_queued;
		scope->queued = false;
		pthread_mutex_unlock(&queue_mu);
		cancel_scope(scope);
	}
	return NULL;
}

/* A thread ends: its scope waits for the next thread. */
static void scope_release(void *arg)
{
	store_cancel *scope = arg;

	pthread_mutex_lock(&scope->mu);
	scope->generation++;
	scope->armed = false;
	scope->fired = false;
	pthread_mutex_unlock(&scope->mu);
	pthread_mutex_lock(&scopes_mu);
	scope->in_use = false;
	pthread_mutex_unlock(&scopes_mu);
}

static store_cancel *scope_take(void)
{
	store_cancel *scope;

	pthread_mutex_lock(&scopes_mu);
	for (scope = scopes; scope != NULL && scope->in_use; scope = scope->next_scope)
		;
	if (scope == NULL && (scope = calloc(1, sizeof(*scope))) != NULL) {
		pthread_mutex_init(&scope->mu, NULL);
		scope->next_scope = scopes;
		scopes = scope;
	}
	if (scope != NULL)
		scope->in_use = true;
	pthread_mutex_unlock(&scopes_mu);
	if (scope != NULL)
		pthread_setspecific(scope_key, scope);
	return scope;
}

static void canceller_start(void)
{
	pthread_t thread;
	sigset_t all, old;

	pthread_key_create(&scope_key, scope_release);
	/* Signals stay with the threads that wait for them (main's sigwait). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&thread, NULL, canceller_main, NULL) == 0) {
		pthread_detach(thread);
		canceller_running = true;
	} else {
		log_error("store: cannot start the canceller thread: cancelled calls' queries "
			  "run until their deadline");
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

store_cancel *store_cancel_arm(void)
{
	store_cancel *scope = thread_scope;

	pthread_once(&canceller_once, canceller_start);
	if (scope == NULL) {
		scope = scope_take();
		if (scope == NULL)
			return NULL;
		thread_scope = scope;
	}
	pthread_mutex_lock(&scope->mu);
	scope->generation++;
	scope->armed = true;
	scope->fired = false;
	pthread_mutex_unlock(&scope->mu);
	return scope;
}

void store_cancel_disarm(void)
{
	store_cancel *scope = thread_scope;

	if (scope == NULL)
		return;
	pthread_mutex_lock(&scope->mu);
	scope->generation++;
	scope->armed = false;
	scope->fired = false;
	pthread_mutex_unlock(&scope->mu);
}

void store_cancel_fire(store_cancel *scope)
{
	bool has_conns = false;

	if (scope == NULL)
		return;
	pthread_mutex_lock(&scope->mu);
	if (scope->armed) {
		scope->fired = true;
		scope->fired_generation = scope->generation;
		for (int i = 0; i < SCOPE_CONNS; i++)
			has_conns |= scope->cancels[i] != NULL;
	}
	pthread_mutex_unlock(&scope->mu);
	if (!has_conns || !canceller_running)
		return;
	pthread_mutex_lock(&queue_mu);
	if (!scope->queued) {
		scope->queued = true;
		scope->next_queued = queue_head;
		queue_head = scope;
		pthread_cond_signal(&queue_cv);
	}
	pthread_mutex_unlock(&queue_mu);
}

bool store_cancel_fired(void)
{
	store_cancel *scope = thread_scope;
	bool fired;

	if (scope == NULL)
		return false;
	pthread_mutex_lock(&scope->mu);
	fired = scope->armed && scope->fired && scope->fired_generation == scope->generation;
	pthread_mutex_unlock(&scope->mu);
	return fired;
}

int store_cancel_attach(store_conn *c, status *st)
{
	store_cancel *scope = thread_scope;
	PGcancel *cancel;
	int rc = 0;

	if (scope == NULL)
		return 0;
	/* Made here, by the connection's user, before anyone may cancel. */
	cancel = PQgetCancel(c->pg);
	pthread_mutex_lock(&scope->mu);
	if (!scope->armed) {
		/* not a call's work: nothing to register */
	} else if (scope->fired) {
		rc = status_set(st, STATUS_CANCELLED, "the call was cancelled");
	} else {
		for (int i = 0; i < SCOPE_CONNS && cancel != NULL; i++) {
			if (scope->conns[i] == NULL) {
				scope->conns[i] = c;
				scope->cancels[i] = cancel;
				cancel = NULL;
			}
		}
	}
	pthread_mutex_unlock(&scope->mu);
	PQfreeCancel(cancel);  /* NULL when registered */
	return rc;
}

void store_cancel_detach(store_conn *c)
{
	store_cancel *scope = thread_scope;
	PGcancel *cancel = NULL;

	if (scope == NULL)
		return;
	/* Under the lock: once this returns, the canceller is not using it. */
	pthread_mutex_lock(&scope->mu);
	for (int i = 0; i < SCOPE_CONNS; i++) {
		if (scope->conns[i] == c) {
			scope->conns[i] = NULL;
			cancel = scope->cancels[i];
			scope->cancels[i] = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&scope->mu);
	PQfreeCancel(cancel);
}
