/*
 * compute_lane.c: a recompute on two cores.
 *
 * PostgreSQL runs one connection's statements on one core, and a recompute
 * is one transaction on one connection: on the project's two-core machines
 * the other core waited (bench/compute.sh: wall clock = PostgreSQL's CPU).
 * A lane is a second connection of the recompute's own (not the pool's:
 * readers keep theirs), with the same periods in its own temporary tables,
 * run by a thread. The run's indicators are listed before any is computed;
 * the recompute's connection takes them from the front of the list and the
 * lane from the back, each claiming one before computing it, so that both
 * stay busy to the end whatever each costs. The lane only reads: its
 * statements SELECT each indicator's values (the same statement the
 * recompute's connection runs into pg_temp.compute_new), and once both are
 * done the recompute's connection copies them into compute_new and writes
 * them with its own, compared with what is stored, in its one transaction:
 * readers still see a council's old values or its new ones, never half.
 *
 * One lane at a time in a csperfd: it is there to use a core that would
 * wait, and two recomputes at once (two councils) already use both; so
 * csperfd's database sessions stay its pool's and four more (the change
 * listener, the audit writer, the health monitor and one lane).
 *
 * What the lane leaves to the recompute's connection: indicators that read
 * a derived fact (built once, in the recompute's transaction), and every
 * indicator when no lane could be opened (the recompute then runs as
 * before, on one connection). The lane's transaction is READ COMMITTED
 * like the recompute's, so each statement sees what a statement of the
 * recompute's own would: the loads committed before it (store/loads.c
 * holds the council's lock to the commit; a load committed after the run
 * began is the next recompute's to account for either way).
 */
#include "compute_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"

enum { ITEM_FREE = 0, ITEM_MAIN, ITEM_LANE };

/* The children a council must hold (its rec_child partition's row
 * estimate) for a lane to pay: a new connection's backend starts with cold
 * caches, and its values are written after both are done, not as they come.
 * Measured here, a first recompute (every value written): 3,000 children
 * 0.84 s with a lane or without; 10,000 children 1.84 to 2.04 s against
 * 2.47 to 2.97 s; 100,000 children 10.7 to 11.1 s against 17.9 s, back to
 * back (docs/PERFORMANCE.md). */
static int lane_min_children = 5000;   /* csperfd --lane-children */

/* Whether a lane is open in this process. */
static pthread_mutex_t lanes_mu = PTHREAD_MUTEX_INITIALIZER;
static bool lane_open;

static bool lane_take(void)
{
	bool took;

	pthread_mutex_lock(&lanes_mu);
	took = !lane_open;
	lane_open = true;
	pthread_mutex_unlock(&lanes_mu);
	return took;
}

static void lane_give_back(void)
{
	pthread_mutex_lock(&lanes_mu);
	lane_open = false;
	pthread_mutex_unlock(&lanes_mu);
}

typedef struct lane_item {
	char *indicator_id;
	char *period_types;
	char *statement;          /* the SELECT of its values */
	char version[16];
	bool lane_may;            /* reads no derived fact */
	int owner;                /* ITEM_* */
	PGresult *rows;           /* the lane's values (owner ITEM_LANE) */
	char *failure;            /* or why they could not be computed */
} lane_item;

struct compute_lane {
	store_conn conn;
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	bool stop;
	bool broken;              /* the connection failed: the run fails */
	char broken_message[256];
	lane_item *items;
	size_t nitems;
	const char *council;
};

/* The SELECT of an indicator's values, as the recompute's own statement
 * (compute_batch.c) inserts them into pg_temp.compute_new. */
static char *select_statement(const char *data_to, const char *sql)
{
	size_t size = store_compute_values_sql(NULL, 0, "", data_to, sql) + 1;
	char *s = malloc(size);

	if (s != NULL)
		store_compute_values_sql(s, size, "", data_to, sql);
	return s;
}

/* The next indicator the lane may compute, from the back; claimed. */
static lane_item *claim_from_back(compute_lane *lane)
{
	lane_item *found = NULL;

	pthread_mutex_lock(&lane->mu);
	for (size_t i = lane->nitems; i > 0 && !lane->stop && found == NULL; i--) {
		lane_item *it = &lane->items[i - 1];

		if (it->owner == ITEM_FREE && it->lane_may) {
			it->owner = ITEM_LANE;
			found = it;
		}
	}
	pthread_mutex_unlock(&lane->mu);
	return found;
}

static bool exec_ok(PGconn *pg, const char *sql)
{
	PGresult *res = PQexec(pg, sql);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok;
}

static void *lane_main(void *arg)
{
	compute_lane *lane = arg;
	PGconn *pg = lane->conn.pg;
	lane_item *it;

	while ((it = claim_from_back(lane)) != NULL) {
		const char *params[4] = { lane->council, it->indicator_id, it->period_types,
					  it->version };
		PGresult *res;

		if (!exec_ok(pg, "SAVEPOINT indicator"))
			goto broken;
		res = PQexecParams(pg, it->statement, 4, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) == PGRES_TUPLES_OK) {
			it->rows = res;
			if (!exec_ok(pg, "RELEASE SAVEPOINT indicator"))
				goto broken;
			continue;
		}
		/* The indicator's own failure (its definition, a value out of
		 * range): it costs its own values, as on the recompute's
		 * connection. */
		it->failure = strdup(store_first_line(PQresultErrorMessage(res)));
		PQclear(res);
		if (PQstatus(pg) == CONNECTION_BAD || !exec_ok(pg, "ROLLBACK TO SAVEPOINT indicator"))
			goto broken;
	}
	return NULL;
broken:
	pthread_mutex_lock(&lane->mu);
	lane->broken = true;
	lane->stop = true;
	snprintf(lane->broken_message, sizeof(lane->broken_message), "%s",
		 store_first_line(PQerrorMessage(pg)));
	pthread_mutex_unlock(&lane->mu);
	return NULL;
}

static void lane_free(compute_lane *lane)
{
	if (lane == NULL)
		return;
	for (size_t i = 0; i < lane->nitems; i++) {
		free(lane->items[i].indicator_id);
		free(lane->items[i].period_types);
		free(lane->items[i].statement);
		free(lane->items[i].failure);
		PQclear(lane->items[i].rows);
	}
	free(lane->items);
	if (lane->conn.pg != NULL)
		PQfinish(lane->conn.pg);
	pthread_mutex_destroy(&lane->mu);
	free(lane);
	lane_give_back();
}

/* Waits for the lane's thread (told to stop first when `stop`: the
 * statement it runs is cancelled). */
static void lane_join(compute_lane *lane, bool stop)
{
	if (lane == NULL || !lane->started)
		return;
	if (stop) {
		PGcancel *cancel = PQgetCancel(lane->conn.pg);
		char err[256];

		pthread_mutex_lock(&lane->mu);
		lane->stop = true;
		pthread_mutex_unlock(&lane->mu);
		if (cancel != NULL) {
			PQcancel(cancel, err, sizeof(err));
			PQfreeCancel(cancel);
		}
	}
	pthread_join(lane->thread, NULL);
	lane->started = false;
}

void store_compute_lane_end(store_compute *cmp)
{
	if (cmp == NULL || cmp->lane == NULL)
		return;
	lane_join(cmp->lane, true);
	lane_free(cmp->lane);
	cmp->lane = NULL;
}

void store_compute_lane_from(int children)
{
	pthread_mutex_lock(&lanes_mu);
	lane_min_children = children;
	pthread_mutex_unlock(&lanes_mu);
}

static int lane_children_wanted(void)
{
	int n;

	pthread_mutex_lock(&lanes_mu);
	n = lane_min_children;
	pthread_mutex_unlock(&lanes_mu);
	return n;
}

/* The council's children as PostgreSQL's statistics estimate them (the
 * load's merge analyses the partitions it changes enough); 0 when unknown
 * (a partition never analysed). */
static double council_children(store_compute *cmp)
{
	const char *params[1] = { cmp->council };
	status ignored = STATUS_INIT;
	PGresult *res = store_query(cmp->conn, "SELECT coalesce((SELECT reltuples FROM pg_class "
				    "WHERE oid = to_regclass('rec_child_' || $1)), 0)", 1, params,
				    &ignored);
	double n = res != NULL ? strtod(PQgetvalue(res, 0, 0), NULL) : 0;

	PQclear(res);
	return n > 0 ? n : 0;   /* -1: never analysed */
}

void store_compute_share(store_compute *cmp, const char *since, const store_period *periods,
			 size_t nperiods, const store_compute_item *items, size_t nitems)
{
	compute_lane *lane;
	size_t lane_may = 0;
	status ignored = STATUS_INIT;

	snprintf(cmp->since, sizeof(cmp->since), "%s",
		 since != NULL && since[0] != '\0' ? since : "-infinity");
	for (size_t i = 0; i < nitems; i++)
		lane_may += items[i].lane_may;
	/* Worth a connection only with a few indicators to share, for a
	 * council large enough, and while no other recompute has one. */
	if (lane_may < 4 || nperiods == 0 || council_children(cmp) < lane_children_wanted() ||
	    !lane_take())
		return;
	lane = calloc(1, sizeof(*lane));
	if (lane == NULL || (lane->items = calloc(nitems, sizeof(*lane->items))) == NULL) {
		free(lane);
		lane_give_back();
		return;   /* the run goes on, on one connection */
	}
	pthread_mutex_init(&lane->mu, NULL);
	lane->nitems = nitems;
	lane->council = cmp->council;
	for (size_t i = 0; i < nitems; i++) {
		lane_item *it = &lane->items[i];

		it->indicator_id = strdup(items[i].indicator_id);
		it->period_types = strdup(items[i].period_types);
		it->statement = items[i].lane_may ? select_statement(cmp->data_to, items[i].sql)
						  : NULL;
		snprintf(it->version, sizeof(it->version), "%d", items[i].version);
		it->lane_may = items[i].lane_may && it->statement != NULL;
		if (it->indicator_id == NULL || it->period_types == NULL)
			goto without;
	}
	if (store_connect_extra(cmp->pool, &lane->conn, &ignored) != 0)
		goto without;
	PQclear(PQexec(lane->conn.pg, "SET client_min_messages = warning"));
	if (cmp->conn->statement_timeout_ms >= 0) {
		char timeout[64];

		snprintf(timeout, sizeof(timeout), "SET statement_timeout = %lld",
			 (long long)cmp->conn->statement_timeout_ms);
		PQclear(PQexec(lane->conn.pg, timeout));
	}
	if (!exec_ok(lane->conn.pg, "BEGIN") ||
	    !exec_ok(lane->conn.pg, "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off") ||
	    store_compute_period_tables(&lane->conn, periods, nperiods, &ignored) != 0)
		goto without;
	if (pthread_create(&lane->thread, NULL, lane_main, lane) != 0)
		goto without;
	lane->started = true;
	cmp->lane = lane;
	return;
without:
	log_warn("compute: council %s: no second connection (%s): on one",
		 cmp->council, ignored.message[0] != '\0' ? ignored.message : "out of memory");
	lane_free(lane);
}

bool store_compute_claim(store_compute *cmp, size_t i)
{
	compute_lane *lane = cmp->lane;
	bool mine;

	if (lane == NULL)
		return true;
	pthread_mutex_lock(&lane->mu);
	mine = i < lane->nitems && lane->items[i].owner == ITEM_FREE;
	if (mine)
		lane->items[i].owner = ITEM_MAIN;
	pthread_mutex_unlock(&lane->mu);
	return mine;
}

/* Appends one COPY text field (\N for NULL) and a tab or newline. */
static int put_field(PGconn *pg, const PGresult *res, int row, int col, bool last)
{
	char buf[1024];
	size_t n = 0;

	if (PQgetisnull(res, row, col)) {
		memcpy(buf, "\\N", 2);
		n = 2;
	} else {
		const char *v = PQgetvalue(res, row, col);

		if (strlen(v) * 2 + 2 > sizeof(buf))
			return -1;   /* no value of compute_new is that long */
		n = store_copy_escape(buf, v);
	}
	buf[n++] = last ? '\n' : '\t';
	return PQputCopyData(pg, buf, (int)n) == 1 ? 0 : -1;
}

/* The lane's values into pg_temp.compute_new, in one COPY. */
static int copy_rows(store_compute *cmp, status *st)
{
	compute_lane *lane = cmp->lane;
	PGconn *pg = cmp->conn->pg;
	PGresult *res = PQexec(pg, "COPY pg_temp.compute_new FROM STDIN");
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		store_result_status(cmp->conn, res, st);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	for (size_t i = 0; i < lane->nitems && rc == 0; i++) {
		const PGresult *rows = lane->items[i].rows;

		for (int r = 0; rows != NULL && r < PQntuples(rows) && rc == 0; r++)
			for (int c = 0; c < PQnfields(rows) && rc == 0; c++)
				rc = put_field(pg, rows, r, c, c == PQnfields(rows) - 1);
	}
	if (PQputCopyEnd(pg, rc == 0 ? NULL : "a value could not be copied") != 1)
		rc = -1;
	while ((res = PQgetResult(pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = store_result_status(cmp->conn, res, st);
		PQclear(res);
	}
	if (rc != 0 && st->code == STATUS_OK)
		status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
	return rc;
}

int store_compute_lane_write(store_compute *cmp, status *st)
{
	compute_lane *lane = cmp->lane;
	int rc = -1;

	if (lane == NULL)
		return 0;
	lane_join(lane, false);
	if (lane->broken) {
		log_warn("compute: council %s: the second connection failed: %s", cmp->council,
			 lane->broken_message);
		status_set(st, STATUS_UNAVAILABLE, "the database is unavailable");
		goto done;
	}
	/* Its indicators, marked current and listed for the comparison; the
	 * ones that failed counted, as failures on the recompute's own are. */
	for (size_t i = 0; i < lane->nitems; i++) {
		lane_item *it = &lane->items[i];
		const char *mark[3] = { cmp->council, it->indicator_id, it->version };
		const char *done_id[1] = { it->indicator_id };

		if (it->owner != ITEM_LANE)
			continue;
		cmp->indicators++;
		cmp->shared++;
		if (it->failure != NULL) {
			store_compute_lost(cmp, it->indicator_id, it->failure);
			continue;
		}
		cmp->values += PQntuples(it->rows);
		if (store_exec(cmp->conn, "INSERT INTO compute_indicator (council, indicator_id, "
			       "version) VALUES ($1, $2, $3::int) ON CONFLICT (council, indicator_id) "
			       "DO UPDATE SET version = $3::int", 3, mark, st) != 0 ||
		    store_exec(cmp->conn, "INSERT INTO pg_temp.compute_done VALUES ($1)", 1, done_id,
			       st) != 0)
			goto done;
	}
	if (copy_rows(cmp, st) != 0)
		goto done;
	rc = store_compute_write_gathered(cmp, st);
done:
	lane_free(lane);
	cmp->lane = NULL;
	return rc;
}
