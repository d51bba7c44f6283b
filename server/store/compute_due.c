/*
 * compute_due.c: which councils' figures do not yet account for every load
 * and deletion stored, read from state that commits with them, so that a
 * crash between a load's commit and its recompute loses nothing
 * (server/compute.c finishes what is due, at start and then periodically).
 *
 * A council is due when it holds a load newer than the one its last
 * whole-catalogue recompute saw (compute_run.through_load, written in that
 * recompute's transaction), or a deleted load's note (compute_pending)
 * whose load has gone. Both facts are written in the transaction of the
 * load or the deletion itself: the figures they call for cannot be lost.
 */
#include "store_internal.h"

#include <stdio.h>

static const char due_sql[] =
	"SELECT c.la_code FROM council c WHERE ($1::text IS NULL OR c.la_code = $1) AND ("
	" EXISTS (SELECT 1 FROM load l WHERE l.council = c.la_code AND l.id > coalesce("
	"  (SELECT r.through_load FROM compute_run r WHERE r.council = c.la_code), 0))"
	" OR EXISTS (SELECT 1 FROM compute_pending p WHERE p.council = c.la_code AND"
	"  NOT EXISTS (SELECT 1 FROM load l WHERE l.id = p.load_id)))"
	" ORDER BY c.la_code";

int store_compute_due(store_pool *pool, int64_t timeout_ms, const char *council,
		      store_council_cb cb, void *ctx, status *st)
{
	const char *params[1] = { council };
	PGresult *res = store_read(pool, timeout_ms, due_sql, 1, params, st);
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++)
		rc = cb(PQgetvalue(res, row, 0), ctx);
	PQclear(res);
	return rc;
}
