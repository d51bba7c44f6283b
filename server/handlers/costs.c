/*
 * costs.c: GetPlacementCosts and ExportPlacementCosts, what finance systems
 * pull every night (docs/FINANCE.md), and the budget lines over budget that
 * GetExceptions' budget criterion reads.
 *
 * Money stays in whole pence (int64) from PostgreSQL to the wire: the store
 * prices each cost line once, in numeric, and everything else is sums of
 * those pence, so totals reconcile exactly. Both RPCs are for admin and
 * finance, scoped to the caller's councils; a token narrowed to localities
 * sees only their cost lines, and then no budget (budgets are council-wide).
 * The export is child-level (the council's child id): every call is audited
 * with the number of lines sent.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "access.h"
#include "costs.h"
#include "../store/store_costs.h"
#include "dates.h"

#include "csperf/v1/costs.pb-c.h"

/* FN04's threshold: placements costing more than 5,000 pounds a week. */
#define DEFAULT_THRESHOLD_PENCE 500000

/* Lines in one message of the export. */
#define EXPORT_BATCH 500

typedef Csperf__V1__PlacementCostFigures Figures;

/* What a request asks for, checked. */
typedef struct cost_request {
	store_cost_query query;
	report_period year;
	char year_start[CSPERF_DATE_ISO_SIZE], year_end[CSPERF_DATE_ISO_SIZE];
	char as_at[CSPERF_DATE_ISO_SIZE];
	const char *localities[AUTH_MAX_LOCALITIES];
} cost_request;

static int today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	int32_t day = 0;

	localtime_r(&now, &tm);
	csperf_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day);
	return day;
}

/* Checks council, financial year and as-at day, and narrows the lines to the
 * caller's localities. On failure fills st and returns -1. */
static int check_request(rpc_call *call, const char *council, const char *financial_year,
			 const char *as_at, cost_request *r, status *st)
{
	const auth_principal *p = access_principal(call);
	char err[256];
	int32_t day;
	int month, day_of_month;

	memset(r, 0, sizeof(*r));
	if (!handlers_valid_council(council))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "council must be an LA code of 3 to 9 letters and digits");
	if (period_parse(financial_year, &r->year, err, sizeof(err)) != 0 ||
	    r->year.type != PERIOD_YEAR)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "financial_year must be a financial year such as 2018-19");
	if (as_at[0] == '\0') {
		day = today();
	} else if (csperf_date_parse_iso(as_at, &day) != 0) {
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "as_at must be a date YYYY-MM-DD (or empty for today)");
	}
	if (day < r->year.start)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "as_at %s is before the financial year %s begins",
				  as_at[0] != '\0' ? as_at : "(today)", r->year.label);
	/* After the year has ended, its position is the year's end. */
	if (day > r->year.end)
		day = r->year.end;
	csperf_date_format_iso(r->year.start, r->year_start);
	csperf_date_format_iso(r->year.end, r->year_end);
	csperf_date_format_iso(day, r->as_at);
	r->query.council = council;
	csperf_date_to_ymd(r->year.start, &r->query.financial_year, &month, &day_of_month);
	r->query.year_start = r->year_start;
	r->query.year_end = r->year_end;
	r->query.as_at = r->as_at;
	if (p != NULL && p->role != AUTH_ROLE_ADMIN && p->nlocalities > 0) {
		for (size_t i = 0; i < p->nlocalities; i++)
			r->localities[i] = p->localities[i];
		r->query.localities = r->localities;
		r->query.nlocalities = p->nlocalities;
	}
	return 0;
}

/* ---- GetPlacementCosts ---- */

typedef struct figures_list {
	Figures *total;
	Csperf__V1__PlacementCostGroup **groups;
	size_t count;
	bool failed;
} figures_list;

static Figures *figures_from(const store_cost_figures *f)
{
	Figures *m = malloc(sizeof(*m));

	if (m == NULL)
		return NULL;
	csperf__v1__placement_cost_figures__init(m);
	m->actual_pence = f->actual_pence;
	m->committed_pence = f->committed_pence;
	m->forecast_pence = f->forecast_pence;
	m->gross_forecast_pence = f->gross_forecast_pence;
	m->health_forecast_pence = f->health_forecast_pence;
	m->education_forecast_pence = f->education_forecast_pence;
	m->has_budget = f->has_budget;
	m->budget_pence = f->budget_pence;
	m->variance_pence = f->has_budget ? f->variance_pence : 0;
	m->variance_percent = strdup(f->variance_percent);
	m->children = f->children;
	m->placements = f->placements;
	m->open_placements = f->open_placements;
	m->average_weekly_cost_pence = f->average_weekly_cost_pence;
	m->over_threshold_placements = f->over_threshold_placements;
	m->over_threshold_actual_pence = f->over_threshold_actual_pence;
	m->over_threshold_forecast_pence = f->over_threshold_forecast_pence;
	if (m->variance_percent == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

static void figures_free(Figures *m)
{
	if (m == NULL)
		return;
	free(m->variance_percent);
	free(m);
}

static int keep_figures(const store_cost_figures *f, void *ctx)
{
	figures_list *l = ctx;
	Csperf__V1__PlacementCostGroup **grown, *g;

	if (f->is_total) {
		l->total = figures_from(f);
		l->failed = l->total == NULL;
		return l->failed ? 1 : 0;
	}
	grown = realloc(l->groups, (l->count + 1) * sizeof(*grown));
	g = malloc(sizeof(*g));
	if (grown == NULL || g == NULL) {
		if (grown != NULL)
			l->groups = grown;
		free(g);
		l->failed = true;
		return 1;
	}
	l->groups = grown;
	csperf__v1__placement_cost_group__init(g);
	g->key = strdup(f->key);
	g->figures = figures_from(f);
	l->groups[l->count++] = g;
	if (g->key == NULL || g->figures == NULL) {
		l->failed = true;
		return 1;
	}
	return 0;
}

static void figures_list_free(figures_list *l)
{
	figures_free(l->total);
	for (size_t i = 0; i < l->count; i++) {
		free(l->groups[i]->key);
		figures_free(l->groups[i]->figures);
		free(l->groups[i]);
	}
	free(l->groups);
}

static int parse_grouping(const char *text, store_cost_grouping *out)
{
	static const struct {
		const char *name;
		store_cost_grouping grouping;
	} groupings[] = {
		{ "", STORE_COSTS_TOTAL },
		{ "placement_type", STORE_COSTS_BY_CATEGORY },
		{ "provider", STORE_COSTS_BY_PROVIDER },
		{ "locality", STORE_COSTS_BY_LOCALITY },
		{ "budget_line", STORE_COSTS_BY_BUDGET_LINE },
	};

	for (size_t i = 0; i < sizeof(groupings) / sizeof(groupings[0]); i++) {
		if (strcmp(text, groupings[i].name) == 0) {
			*out = groupings[i].grouping;
			return 0;
		}
	}
	return -1;
}

void handle_get_placement_costs(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetPlacementCostsRequest *req =
		(Csperf__V1__GetPlacementCostsRequest *)rpc_call_request(call);
	Csperf__V1__GetPlacementCostsResponse reply = CSPERF__V1__GET_PLACEMENT_COSTS_RESPONSE__INIT;
	figures_list l = { NULL, NULL, 0, false };
	store_cost_grouping grouping;
	status st = STATUS_INIT;
	cost_request r;
	char name[128], data_to[16];
	int64_t threshold;
	/* A replica that has replayed the council's latest write, or the
	 * primary (docs/SCALING.md). */
	store_pool *reads = NULL;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a GetPlacementCostsRequest");
		return;
	}
	threshold = req->threshold_pence != 0 ? req->threshold_pence : DEFAULT_THRESHOLD_PENCE;
	if (check_request(call, req->council, req->financial_year, req->as_at, &r, &st) != 0) {
		rpc_call_fail_status(call, &st);
	} else if (parse_grouping(req->group_by, &grouping) != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "group_by must be placement_type, "
			      "provider, locality, budget_line or empty for the total only");
	} else if (threshold < 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "threshold_pence must not be negative");
	} else if (store_council_info(reads = store_read_pool(a->pool, rpc_call_remaining_ms(call),
								     req->council),
				      rpc_call_remaining_ms(call), req->council, name, data_to,
				      &st) != 0 ||
		   store_placement_costs(reads, rpc_call_remaining_ms(call), &r.query, grouping,
					 threshold, keep_figures, &l, &st) != 0) {
		if (l.failed)
			rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		else
			rpc_call_fail_status(call, &st);
	} else if (l.total == NULL) {
		rpc_call_fail(call, STATUS_INTERNAL, "the costs had no total");
	} else {
		reply.council = req->council;
		reply.financial_year = r.year.label;
		reply.year_start = r.year_start;
		reply.year_end = r.year_end;
		reply.as_at = r.as_at;
		reply.group_by = req->group_by;
		reply.threshold_pence = threshold;
		reply.total = l.total;
		reply.n_groups = l.count;
		reply.groups = l.groups;
		access_note_rows(call, (int64_t)l.count + 1);
		access_note_params(call, "financial_year=%s as_at=%s group_by=%s", r.year.label,
				   r.as_at, req->group_by[0] != '\0' ? req->group_by : "none");
		rpc_call_reply(call, &reply.base);
	}
	figures_list_free(&l);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- ExportPlacementCosts ---- */

/* Strings of one line of a batch. */
enum { LINE_STRINGS = 13 };

typedef struct export_stream {
	rpc_call *call;
	const cost_request *request;
	Csperf__V1__PlacementCostLine items[EXPORT_BATCH];
	Csperf__V1__PlacementCostLine *ptrs[EXPORT_BATCH];
	char *strings[EXPORT_BATCH * LINE_STRINGS];
	size_t count, nstrings;
	uint64_t sent;
	bool client_gone, failed;
} export_stream;

static void clear_batch(export_stream *es)
{
	for (size_t i = 0; i < es->nstrings; i++)
		free(es->strings[i]);
	es->nstrings = 0;
	es->count = 0;
}

static int flush(export_stream *es)
{
	Csperf__V1__PlacementCostLines batch = CSPERF__V1__PLACEMENT_COST_LINES__INIT;
	int rc;

	if (es->count == 0)
		return 0;
	batch.n_lines = es->count;
	batch.lines = es->ptrs;
	batch.financial_year = (char *)es->request->year.label;
	batch.as_at = (char *)es->request->as_at;
	rc = rpc_call_send(es->call, &batch.base);
	es->sent += es->count;
	clear_batch(es);
	if (rc != 0)
		es->client_gone = true;
	return rc;
}

static char *keep(export_stream *es, const char *text)
{
	char *copy = strdup(text);

	if (copy == NULL)
		es->failed = true;
	else
		es->strings[es->nstrings++] = copy;
	return copy;
}

static int on_line(const store_cost_line *l, void *ctx)
{
	export_stream *es = ctx;
	Csperf__V1__PlacementCostLine *m = &es->items[es->count];

	csperf__v1__placement_cost_line__init(m);
	m->child_id = keep(es, l->child_id);
	m->placement_ref = keep(es, l->placement_ref);
	m->episode_start_date = keep(es, l->episode_start_date);
	m->placement_category = keep(es, l->placement_category);
	m->provider = keep(es, l->provider);
	m->locality = keep(es, l->locality);
	m->start_date = keep(es, l->start_date);
	m->end_date = keep(es, l->end_date);
	m->weekly_cost = keep(es, l->weekly_cost);
	m->health_contribution = keep(es, l->health_contribution);
	m->education_contribution = keep(es, l->education_contribution);
	m->from_date = keep(es, l->from_date);
	m->to_date = keep(es, l->to_date);
	if (es->failed)
		return 1;
	m->placement_open = l->placement_open;
	m->actual_days = l->actual_days;
	m->committed_days = l->committed_days;
	m->actual_pence = l->actual_pence;
	m->committed_pence = l->committed_pence;
	m->forecast_pence = l->forecast_pence;
	m->gross_forecast_pence = l->gross_forecast_pence;
	m->health_forecast_pence = l->health_forecast_pence;
	m->education_forecast_pence = l->education_forecast_pence;
	es->ptrs[es->count++] = m;
	return es->count == EXPORT_BATCH ? flush(es) : 0;
}

void handle_export_placement_costs(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ExportPlacementCostsRequest *req =
		(Csperf__V1__ExportPlacementCostsRequest *)rpc_call_request(call);
	export_stream *es = NULL;
	status st = STATUS_INIT;
	cost_request r;
	char name[128], data_to[16];
	store_pool *reads = NULL;  /* as GetPlacementCosts */

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not an ExportPlacementCostsRequest");
		return;
	}
	if (check_request(call, req->council, req->financial_year, req->as_at, &r, &st) != 0 ||
	    store_council_info(reads = store_read_pool(a->pool, rpc_call_remaining_ms(call),
						       req->council),
			       rpc_call_remaining_ms(call), req->council, name, data_to, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	es = calloc(1, sizeof(*es));
	if (es == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	es->call = call;
	es->request = &r;
	access_note_params(call, "financial_year=%s as_at=%s", r.year.label, r.as_at);
	if (store_placement_cost_lines(reads, rpc_call_remaining_ms(call), &r.query, on_line, es,
				       &st) != 0 || flush(es) != 0) {
		access_note_rows(call, (int64_t)es->sent);
		if (es->client_gone)
			rpc_call_fail(call, STATUS_CANCELLED, "the client went");
		else if (es->failed)
			rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		else
			rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	access_note_rows(call, (int64_t)es->sent);
	rpc_call_reply(call, NULL);
cleanup:
	if (es != NULL) {
		clear_batch(es);
		free(es);
	}
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- budget lines over budget, for GetExceptions ---- */

typedef struct over_collect {
	costs_over_budget *out;
	bool failed;
} over_collect;

static int keep_over(const store_cost_figures *f, void *ctx)
{
	over_collect *oc = ctx;
	costs_budget_line *grown;

	if (f->is_total || !f->has_budget || f->forecast_pence <= f->budget_pence)
		return 0;
	grown = realloc(oc->out->lines, (oc->out->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		oc->failed = true;
		return 1;
	}
	oc->out->lines = grown;
	snprintf(grown[oc->out->count].code, sizeof(grown[0].code), "%s", f->key);
	grown[oc->out->count].budget_pence = f->budget_pence;
	grown[oc->out->count].forecast_pence = f->forecast_pence;
	snprintf(grown[oc->out->count].variance_percent, sizeof(grown[0].variance_percent), "%s",
		 f->variance_percent);
	oc->out->count++;
	return 0;
}

int costs_over_budget_find(app *a, int64_t timeout_ms, const char *council,
			   const report_period *period, const char *data_to,
			   costs_over_budget *out, status *st)
{
	over_collect oc = { out, false };
	store_cost_query q;
	report_period year;
	char start[CSPERF_DATE_ISO_SIZE], end[CSPERF_DATE_ISO_SIZE];
	int32_t day = period->end, latest;
	int month, day_of_month;

	memset(out, 0, sizeof(*out));
	memset(&q, 0, sizeof(q));
	period_containing(PERIOD_YEAR, period->end, &year);
	/* The position at the period's end, or at the latest data if sooner:
	 * what is known, not days still to come. */
	if (data_to != NULL && csperf_date_parse_iso(data_to, &latest) == 0 && latest < day &&
	    latest >= year.start)
		day = latest;
	csperf_date_format_iso(year.start, start);
	csperf_date_format_iso(year.end, end);
	csperf_date_format_iso(day, out->as_at);
	snprintf(out->financial_year, sizeof(out->financial_year), "%s", year.label);
	q.council = council;
	csperf_date_to_ymd(year.start, &q.financial_year, &month, &day_of_month);
	q.year_start = start;
	q.year_end = end;
	q.as_at = out->as_at;
	if (store_placement_costs(store_read_pool(a->pool, timeout_ms, council), timeout_ms, &q,
				  STORE_COSTS_BY_BUDGET_LINE,
				  DEFAULT_THRESHOLD_PENCE, keep_over, &oc, st) != 0) {
		if (oc.failed)
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		costs_over_budget_free(out);
		return -1;
	}
	return 0;
}

const costs_budget_line *costs_over_budget_line(const costs_over_budget *over,
						const char *budget_line)
{
	if (over == NULL || budget_line == NULL || budget_line[0] == '\0')
		return NULL;
	for (size_t i = 0; i < over->count; i++)
		if (strcmp(over->lines[i].code, budget_line) == 0)
			return &over->lines[i];
	return NULL;
}

void costs_over_budget_free(costs_over_budget *over)
{
	if (over == NULL)
		return;
	free(over->lines);
	over->lines = NULL;
	over->count = 0;
}

void costs_format_pounds(int64_t pence, char *out, size_t size)
{
	uint64_t magnitude = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	uint64_t pounds = (magnitude + 50) / 100;
	char digits[24], grouped[28];   /* 20 digits and their 6 commas */
	size_t n, len = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, pounds);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[len++] = ',';
		grouped[len++] = digits[i];
	}
	grouped[len] = '\0';
	snprintf(out, size, "%s\xc2\xa3%s", pence < 0 && pounds > 0 ? "-" : "", grouped);
}
