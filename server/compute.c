/* compute.c: the engine and the store together: a council's values. */
#include "compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "engine/engine.h"
#include "log.h"

/* How far back from a council's latest data its values are computed. */
#define COMPUTE_YEARS 15

typedef struct definitions {
	store_definition *items;
	size_t count;
	bool failed;
} definitions;

static int keep_definition(const store_definition *d, void *ctx)
{
	definitions *defs = ctx;
	store_definition *grown = realloc(defs->items, (defs->count + 1) * sizeof(*grown));

	if (grown == NULL) {
		defs->failed = true;
		return 1;
	}
	defs->items = grown;
	grown[defs->count].indicator_id = strdup(d->indicator_id);
	grown[defs->count].version = d->version;
	grown[defs->count].kind = strdup(d->kind);
	grown[defs->count].params = strdup(d->params);
	grown[defs->count].period_types = strdup(d->period_types);
	defs->count++;
	return 0;
}

static void definitions_free(definitions *defs)
{
	for (size_t i = 0; i < defs->count; i++) {
		free((char *)defs->items[i].indicator_id);
		free((char *)defs->items[i].kind);
		free((char *)defs->items[i].params);
		free((char *)defs->items[i].period_types);
	}
	free(defs->items);
}

/* The council's standard periods, as the store takes them. */
static size_t make_periods(const char *from, const char *to, store_period **out)
{
	int32_t first, last;
	engine_period *periods = NULL;
	store_period *rows;
	size_t n;

	*out = NULL;
	if (from[0] == '\0' || csperf_date_parse_iso(from, &first) != 0 ||
	    csperf_date_parse_iso(to, &last) != 0)
		return 0;
	/* Scorecards look back a year or two; fifteen years of periods is
	 * plenty even for data with stray late dates, and keeps a council with a long history quick to compute. */
	if (first < last - COMPUTE_YEARS * 366)
		first = last - COMPUTE_YEARS * 366;
	n = engine_standard_periods(first, last, &periods);
	rows = calloc(n + 1, sizeof(*rows));
	if (rows == NULL) {
		free(periods);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(rows[i].label, sizeof(rows[i].label), "%s", periods[i].label);
		rows[i].type = engine_period_type_name(periods[i].type);
		csperf_date_format_iso(periods[i].start, rows[i].start);
		csperf_date_format_iso(periods[i].end, rows[i].end);
	}
	free(periods);
	*out = rows;
	return n;
}

int compute_council(store_pool *pool, int64_t timeout_ms, const char *council,
		    const char *indicator_id, store_compute_stats *stats, status *st)
{
	definitions defs = { NULL, 0, false };
	store_compute *cmp = NULL;
	store_period *periods = NULL;
	size_t nperiods;
	char from[16], to[16];
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	/* Definitions first: the compute below holds a connection of its own. */
	if (store_list_definitions(pool, timeout_ms, indicator_id, keep_definition, &defs, st) != 0 &&
	    !defs.failed)
		goto cleanup;
	if (defs.failed) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	if (store_data_range(pool, timeout_ms, council, from, to, st) != 0)
		goto cleanup;
	nperiods = make_periods(from, to, &periods);
	if (store_compute_begin(pool, timeout_ms, council, to, periods, nperiods, &cmp, st) != 0)
		goto cleanup;
	for (size_t i = 0; i < defs.count; i++) {
		const store_definition *d = &defs.items[i];
		engine_indicator *ind = NULL;
		char err[256];
		char *sql;
		status ignored = STATUS_INIT;

		if (engine_indicator_parse(d->kind, d->params, &ind, err, sizeof(err)) != 0) {
			log_error("compute: indicator %s version %d cannot be computed: %s",
				  d->indicator_id, d->version, err);
			stats->failures++;
			continue;
		}
		sql = engine_indicator_sql(ind);
		engine_indicator_free(ind);
		if (sql == NULL) {
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto cleanup;
		}
		store_compute_indicator(cmp, d->indicator_id, d->version, d->period_types, sql,
					&ignored);
		free(sql);
	}
	rc = store_compute_commit(cmp, from, stats->failures, stats, st);
	cmp = NULL;
	if (rc == 0)
		log_info("compute: council %s: %d indicators, %ld values, %d failed, %ld ms",
			 council, stats->indicators, stats->values, stats->failures,
			 stats->milliseconds);
cleanup:
	store_compute_abort(cmp);
	/* Whether or not the recompute got through, the council's data may
	 * have changed just before it (a load, a deletion): replicas serve the
	 * council's reads again once they have replayed past this point. */
	{
		status noted = STATUS_INIT;

		if (store_note_council_write(pool, timeout_ms < 5000 ? 5000 : timeout_ms, council,
					     &noted) != 0)
			log_warn("compute: council %s: write position not recorded: %s", council,
				 noted.message);
	}
	free(periods);
	definitions_free(&defs);
	return rc;
}
