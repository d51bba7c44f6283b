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

/* The council's standard periods, as the store takes them; first: the first
 * day they were made from ("" with no data). */
static size_t make_periods(const char *from, const char *to, store_period **out, char first_day[16])
{
	int32_t first, last;
	report_period *periods = NULL;
	store_period *rows;
	size_t n;

	*out = NULL;
	first_day[0] = '\0';
	if (from[0] == '\0' || csperf_date_parse_iso(from, &first) != 0 ||
	    csperf_date_parse_iso(to, &last) != 0)
		return 0;
	/* Scorecards look back a year or two; fifteen years of periods is
	 * plenty even for data with stray late dates, and keeps a council with a long history quick to compute. */
	if (first < last - COMPUTE_YEARS * 366)
		first = last - COMPUTE_YEARS * 366;
	csperf_date_format_iso(first, first_day);
	n = period_standard_list(first, last, &periods);
	rows = calloc(n + 1, sizeof(*rows));
	if (rows == NULL) {
		free(periods);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(rows[i].label, sizeof(rows[i].label), "%s", periods[i].label);
		rows[i].type = period_type_name(periods[i].type);
		csperf_date_format_iso(periods[i].start, rows[i].start);
		csperf_date_format_iso(periods[i].end, rows[i].end);
	}
	free(periods);
	*out = rows;
	return n;
}

/* The ISO date `months` months before `date` (the same day of the month, or
 * the month's last). */
static void months_before(const char *date, int months, char out[16])
{
	int32_t day;
	int year, month, dom;

	snprintf(out, 16, "%s", date);
	if (months <= 0 || csperf_date_parse_iso(date, &day) != 0)
		return;
	csperf_date_to_ymd(day, &year, &month, &dom);
	month -= months;
	while (month < 1) {
		month += 12;
		year--;
	}
	if (dom > csperf_date_days_in_month(year, month))
		dom = csperf_date_days_in_month(year, month);
	if (csperf_date_from_ymd(year, month, dom, &day) == 0)
		csperf_date_format_iso(day, out);
}

typedef struct parsed {
	engine_indicator **items;   /* NULL where a definition does not parse */
	bool reads[CSPERF_RECORD_TYPE_LAST + 1];
	int reach_back_months;
	int failures;
} parsed;

static int parse_definitions(const definitions *defs, parsed *p)
{
	memset(p, 0, sizeof(*p));
	p->items = calloc(defs->count + 1, sizeof(*p->items));
	if (p->items == NULL)
		return -1;
	for (size_t i = 0; i < defs->count; i++) {
		const store_definition *d = &defs->items[i];
		char err[256];

		if (engine_indicator_parse(d->kind, d->params, &p->items[i], err, sizeof(err)) != 0) {
			log_error("compute: indicator %s version %d cannot be computed: %s",
				  d->indicator_id, d->version, err);
			p->failures++;
			continue;
		}
		engine_indicator_reads(p->items[i], p->reads);
		if (engine_indicator_reach_back_months(p->items[i]) > p->reach_back_months)
			p->reach_back_months = engine_indicator_reach_back_months(p->items[i]);
	}
	return 0;
}

static void parsed_free(parsed *p, size_t count)
{
	for (size_t i = 0; p->items != NULL && i < count; i++)
		engine_indicator_free(p->items[i]);
	free(p->items);
}

/* Whether any record type the indicator reads is marked in changed. */
static bool reads_changed(const engine_indicator *ind, const bool *changed)
{
	bool reads[CSPERF_RECORD_TYPE_LAST + 1] = { false };

	engine_indicator_reads(ind, reads);
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++)
		if (reads[t] && changed[t])
			return true;
	return false;
}

#define MAX_FACTS 32

/* Builds the derived fact the indicator reads, once per recompute: the
 * first indicator that needs it builds it for the rest. */
static int build_fact(store_compute *cmp, const engine_indicator *ind,
		      const engine_fact **built, size_t *nbuilt, status *st)
{
	const engine_fact *fact = engine_indicator_fact(ind);
	char *sql;
	int rc;

	if (fact == NULL)
		return 0;
	for (size_t i = 0; i < *nbuilt; i++)
		if (built[i] == fact)
			return 0;
	if (*nbuilt == MAX_FACTS)
		return status_set(st, STATUS_INTERNAL, "too many derived facts");
	if ((sql = engine_fact_sql(fact)) == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	rc = store_compute_fact(cmp, engine_fact_name(fact), sql, st);
	free(sql);
	if (rc == 0)
		built[(*nbuilt)++] = fact;
	return rc;
}

/* One recompute: of every indicator, or of indicator_id's alone; with
 * changes_only, of the periods the loads and deletions since the last
 * whole-catalogue recompute can have changed. */
static int compute(store_pool *pool, int64_t timeout_ms, const char *council,
		   const char *indicator_id, bool changes_only, bool wait,
		   store_compute_stats *stats, status *st)
{
	definitions defs = { NULL, 0, false };
	parsed p = { NULL, { false }, 0, 0 };
	store_compute *cmp = NULL;
	store_period *periods = NULL;
	size_t nperiods = 0, first_period = 0;
	char from[16], to[16], since[16] = "";
	store_compute_state state;
	const engine_fact *built[MAX_FACTS];
	size_t nbuilt = 0, nitems = 0, *item_of = NULL;
	store_compute_item *items = NULL;
	bool full = true, changed[CSPERF_RECORD_TYPE_LAST + 1];
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	memset(&state, 0, sizeof(state));
	/* Definitions first: the compute below holds a connection of its own. */
	if (store_list_definitions(pool, timeout_ms, indicator_id, keep_definition, &defs, st) != 0 &&
	    !defs.failed)
		goto cleanup;
	if (defs.failed || parse_definitions(&defs, &p) != 0) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	if (store_compute_begin(pool, timeout_ms, council, wait, from, to, &cmp, st) != 0)
		goto cleanup;
	nperiods = make_periods(from, to, &periods, state.periods_from);
	if (changes_only && indicator_id == NULL) {
		char earliest[16];

		if (store_compute_changed_since(cmp, p.reads, state.periods_from, to, earliest, changed,
						&full, st) != 0)
			goto cleanup;
		if (!full) {
			/* Only periods ending on or after the earliest change (less
			 * what a kind reaches back) can differ; none when nothing
			 * changed. */
			if (earliest[0] != '\0')
				months_before(earliest, p.reach_back_months, since);
			else
				snprintf(since, sizeof(since), "9999-12-31");
			while (first_period < nperiods && strcmp(periods[first_period].end, since) < 0)
				first_period++;
			snprintf(state.recomputed_from, sizeof(state.recomputed_from), "%s", since);
		}
	}
	if (store_compute_periods(cmp, to, periods + first_period, nperiods - first_period, st) != 0)
		goto cleanup;
	/* The indicators to compute, listed first: a second connection takes
	 * some from the back of the list while this one computes from the front
	 * (store/compute_lane.c). */
	if ((items = calloc(defs.count + 1, sizeof(*items))) == NULL ||
	    (item_of = calloc(defs.count + 1, sizeof(*item_of))) == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < defs.count; i++) {
		const store_definition *d = &defs.items[i];
		store_compute_item *it = &items[nitems];

		if (p.items[i] == NULL)
			continue;
		if (!full && first_period == nperiods)
			break;   /* nothing changed */
		if (!full && !reads_changed(p.items[i], changed))
			continue;   /* none of its records changed: its values stand */
		it->indicator_id = d->indicator_id;
		it->version = d->version;
		it->period_types = d->period_types;
		it->sql = engine_indicator_sql(p.items[i]);
		it->lane_may = engine_indicator_fact(p.items[i]) == NULL;
		if (it->sql == NULL) {
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto cleanup;
		}
		item_of[nitems++] = i;
	}
	/* Not with the debug log: each indicator's logged time is then its own
	 * (bench/compute.sh --by-indicator). */
	if (log_get_level() != LOG_LEVEL_DEBUG)
		store_compute_share(cmp, full ? NULL : since, periods + first_period,
				    nperiods - first_period, items, nitems);
	for (size_t k = 0; k < nitems; k++) {
		status ignored = STATUS_INIT;

		if (!store_compute_claim(cmp, k))
			continue;   /* the second connection's */
		if (build_fact(cmp, p.items[item_of[k]], built, &nbuilt, st) != 0)
			goto cleanup;
		store_compute_indicator(cmp, items[k].indicator_id, items[k].version,
					items[k].period_types, items[k].sql, full ? NULL : since,
					&ignored);
	}
	rc = store_compute_commit(cmp, from, p.failures, indicator_id == NULL ? &state : NULL,
				  stats, st);
	cmp = NULL;
	if (rc == 0)
		log_info("compute: council %s: %d indicators (%d on a second connection), %ld values, "
			 "%d failed, %ld ms%s%s", council, stats->indicators, stats->shared,
			 stats->values, stats->failures, stats->milliseconds,
			 full ? "" : ", periods ending from ", full ? "" : since);
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
	for (size_t k = 0; items != NULL && k < nitems; k++)
		free((char *)items[k].sql);
	free(items);
	free(item_of);
	free(periods);
	parsed_free(&p, defs.count);
	definitions_free(&defs);
	return rc;
}

int compute_council(store_pool *pool, int64_t timeout_ms, const char *council,
		    const char *indicator_id, store_compute_stats *stats, status *st)
{
	return compute(pool, timeout_ms, council, indicator_id, false, true, stats, st);
}

int compute_council_changes(store_pool *pool, int64_t timeout_ms, const char *council,
			    store_compute_stats *stats, status *st)
{
	return compute(pool, timeout_ms, council, NULL, true, true, stats, st);
}

/* ---- an org unit's figures, on request ---- */

static bool wanted(const compute_org_request *req, const char *indicator_id)
{
	if (req->ids == NULL)
		return true;
	for (size_t i = 0; i < req->nids; i++)
		if (strcmp(req->ids[i], indicator_id) == 0)
			return true;
	return false;
}

/* The standard periods of req->period_type between its bounds. */
static size_t select_periods(const compute_org_request *req, store_period *periods, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(periods[i].type, req->period_type) != 0 ||
		    (req->from_end != NULL && strcmp(periods[i].end, req->from_end) < 0) ||
		    (req->to_end != NULL && strcmp(periods[i].end, req->to_end) > 0))
			continue;
		periods[kept++] = periods[i];
	}
	return kept;
}

typedef struct org_rows {
	compute_org_cb cb;
	void *ctx;
	const char *indicator_id;
	int version;
} org_rows;

static int pass_row(const store_series_row *row, void *ctx)
{
	org_rows *rows = ctx;
	store_series_row r = *row;

	r.version = rows->version;
	return rows->cb(rows->indicator_id, &r, rows->ctx);
}

int compute_org_unit(store_pool *pool, int64_t timeout_ms, const char *council,
		     const compute_org_request *req, compute_org_cb cb, void *ctx, status *st)
{
	definitions defs = { NULL, 0, false };
	parsed p = { NULL, { false }, 0, 0 };
	store_compute *cmp = NULL;
	store_period *standard = NULL;
	const store_period *periods = req->periods;
	size_t nperiods = req->nperiods;
	char from[16], to[16], first_day[16];
	const engine_fact *built[MAX_FACTS];
	size_t nbuilt = 0;
	int rc = -1;

	if (store_list_definitions(pool, timeout_ms, NULL, keep_definition, &defs, st) != 0 &&
	    !defs.failed)
		goto cleanup;
	if (defs.failed || parse_definitions(&defs, &p) != 0) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	if (store_compute_begin_org(pool, timeout_ms, council, req->unit, from, to, &cmp, st) != 0)
		goto cleanup;
	if (nperiods == 0) {
		nperiods = make_periods(from, to, &standard, first_day);
		nperiods = select_periods(req, standard, nperiods);
		periods = standard;
	}
	if (store_compute_periods(cmp, to, periods, nperiods, st) != 0)
		goto cleanup;
	for (size_t i = 0; i < defs.count && nperiods > 0; i++) {
		const store_definition *d = &defs.items[i];
		org_rows rows = { cb, ctx, d->indicator_id, d->version };
		status failed = STATUS_INIT;
		char *sql;
		int computed;

		if (p.items[i] == NULL || !wanted(req, d->indicator_id))
			continue;
		if (build_fact(cmp, p.items[i], built, &nbuilt, st) != 0)
			goto cleanup;
		if ((sql = engine_indicator_sql(p.items[i])) == NULL) {
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto cleanup;
		}
		computed = store_compute_rows(cmp, d->indicator_id, d->period_types, sql, pass_row,
					      &rows, &failed);
		free(sql);
		if (computed < 0)
			log_error("compute: council %s, a %s's indicator %s failed: %s", council,
				  store_org_kind_name(req->unit->kind), d->indicator_id, failed.message);
		else if (computed > 0) {
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	store_compute_abort(cmp);
	free(standard);
	parsed_free(&p, defs.count);
	definitions_free(&defs);
	return rc;
}

typedef struct due_list {
	char (*councils)[16];
	size_t count;
	bool failed;
} due_list;

static int keep_due(const char *council, void *ctx)
{
	due_list *due = ctx;
	char (*grown)[16] = realloc(due->councils, (due->count + 1) * sizeof(*grown));

	if (grown == NULL) {
		due->failed = true;
		return 1;
	}
	due->councils = grown;
	snprintf(grown[due->count++], sizeof(grown[0]), "%s", council);
	return 0;
}

int compute_due(store_pool *pool, int64_t timeout_ms, const char *council, bool wait,
		int *remaining, int *busy, status *st)
{
	due_list due = { NULL, 0, false };
	int rc = -1;

	*remaining = 0;
	if (busy != NULL)
		*busy = 0;
	if (store_compute_due(pool, timeout_ms, council, keep_due, &due, st) != 0 && !due.failed)
		goto cleanup;
	if (due.failed) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < due.count; i++) {
		store_compute_stats stats;
		status failed = STATUS_INIT;

		if (compute(pool, timeout_ms, due.councils[i], NULL, true, wait, &stats,
			    &failed) == 0) {
			log_info("compute: council %s: figures a load or deletion left due are "
				 "computed", due.councils[i]);
			continue;
		}
		(*remaining)++;
		if (failed.code == STATUS_ABORTED && busy != NULL)
			(*busy)++;
		else if (failed.code != STATUS_ABORTED)
			log_warn("compute: council %s: figures still due: %s", due.councils[i],
				 failed.message);
	}
	rc = 0;
cleanup:
	free(due.councils);
	return rc;
}

int compute_note_deletion(store_pool *pool, int64_t timeout_ms, const char *council,
			  int64_t load_id, status *st)
{
	definitions defs = { NULL, 0, false };
	parsed p = { NULL, { false }, 0, 0 };
	int rc = -1;

	if (store_list_definitions(pool, timeout_ms, NULL, keep_definition, &defs, st) != 0 &&
	    !defs.failed)
		goto cleanup;
	if (defs.failed || parse_definitions(&defs, &p) != 0) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	rc = store_compute_note_deletion(pool, timeout_ms, council, load_id, p.reads, st);
cleanup:
	parsed_free(&p, defs.count);
	definitions_free(&defs);
	return rc;
}
