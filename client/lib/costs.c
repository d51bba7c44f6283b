/*
 * costs.c: the SDK side of GetPlacementCosts (one reply, kept whole with a
 * public view whose strings point into it) and ExportPlacementCosts (a
 * server stream: batches of lines handed to the caller one message at a
 * time, so an export never sits in memory whole).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "csperf/costs.h"

#include "csperf/v1/costs.pb-c.h"

static int check_query(const csperf_costs_query *query, const char *what)
{
	if (query->version != CSPERF_COSTS_QUERY_VERSION)
		return client_error(CSPERF_EVERSION, "%s: query version %u is not %d", what,
				    query->version, CSPERF_COSTS_QUERY_VERSION);
	if (query->council == NULL || query->financial_year == NULL)
		return client_error(CSPERF_EINVAL, "%s: council and financial_year are required",
				    what);
	return CSPERF_OK;
}

/* ---- GetPlacementCosts ---- */

static void view_figures(const Csperf__V1__PlacementCostFigures *m, csperf_cost_figures *f)
{
	static const Csperf__V1__PlacementCostFigures none =
		CSPERF__V1__PLACEMENT_COST_FIGURES__INIT;

	if (m == NULL)
		m = &none;
	f->actual_pence = m->actual_pence;
	f->committed_pence = m->committed_pence;
	f->forecast_pence = m->forecast_pence;
	f->gross_forecast_pence = m->gross_forecast_pence;
	f->health_forecast_pence = m->health_forecast_pence;
	f->education_forecast_pence = m->education_forecast_pence;
	f->has_budget = m->has_budget;
	f->budget_pence = m->budget_pence;
	f->variance_pence = m->variance_pence;
	f->variance_percent = m->variance_percent;
	f->children = m->children;
	f->placements = m->placements;
	f->open_placements = m->open_placements;
	f->average_weekly_cost_pence = m->average_weekly_cost_pence;
	f->over_threshold_placements = m->over_threshold_placements;
	f->over_threshold_actual_pence = m->over_threshold_actual_pence;
	f->over_threshold_forecast_pence = m->over_threshold_forecast_pence;
}

int csperf_costs_get(csperf_client *client, const csperf_costs_query *query,
		     csperf_costs **out)
{
	Csperf__V1__GetPlacementCostsRequest req = CSPERF__V1__GET_PLACEMENT_COSTS_REQUEST__INIT;
	Csperf__V1__GetPlacementCostsResponse *reply = NULL;
	csperf_cost_group *groups;
	csperf_costs *costs;
	int rc;

	if (client == NULL || query == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetPlacementCosts: client, query or out is NULL");
	*out = NULL;
	if ((rc = check_query(query, "GetPlacementCosts")) != CSPERF_OK)
		return rc;
	req.council = (char *)query->council;
	req.financial_year = (char *)query->financial_year;
	req.as_at = (char *)(query->as_at != NULL ? query->as_at : "");
	req.group_by = (char *)(query->group_by != NULL ? query->group_by : "");
	req.threshold_pence = query->threshold_pence;
	rc = client_unary(client, "/csperf.v1.Performance/GetPlacementCosts", "GetPlacementCosts",
			  &req.base, &csperf__v1__get_placement_costs_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	costs = calloc(1, sizeof(*costs));
	groups = calloc(reply->n_groups + 1, sizeof(*groups));
	if (costs == NULL || groups == NULL) {
		free(costs);
		free(groups);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "GetPlacementCosts: out of memory");
	}
	costs->council = reply->council;
	costs->financial_year = reply->financial_year;
	costs->year_start = reply->year_start;
	costs->year_end = reply->year_end;
	costs->as_at = reply->as_at;
	costs->group_by = reply->group_by;
	costs->threshold_pence = reply->threshold_pence;
	view_figures(reply->total, &costs->total);
	for (size_t i = 0; i < reply->n_groups; i++) {
		groups[i].key = reply->groups[i]->key;
		view_figures(reply->groups[i]->figures, &groups[i].figures);
	}
	costs->ngroups = reply->n_groups;
	costs->groups = groups;
	costs->internal = reply;
	*out = costs;
	return CSPERF_OK;
}

void csperf_costs_free(csperf_costs *costs)
{
	if (costs == NULL)
		return;
	if (costs->internal != NULL)
		protobuf_c_message_free_unpacked(costs->internal, NULL);
	free((void *)costs->groups);
	free(costs);
}

/* ---- ExportPlacementCosts ---- */

typedef struct export_ctx {
	csperf_cost_line_cb cb;
	void *ctx;
	uint64_t received;
	bool stopped;
} export_ctx;

/* Hands one message's lines to the caller; non-zero when it stopped. */
static int deliver(ProtobufCMessage *message, void *ctx)
{
	const Csperf__V1__PlacementCostLines *batch = (const Csperf__V1__PlacementCostLines *)message;
	export_ctx *e = ctx;

	for (size_t i = 0; i < batch->n_lines; i++) {
		const Csperf__V1__PlacementCostLine *m = batch->lines[i];
		csperf_cost_line l;

		l.child_id = m->child_id;
		l.placement_ref = m->placement_ref;
		l.episode_start_date = m->episode_start_date;
		l.placement_category = m->placement_category;
		l.provider = m->provider;
		l.locality = m->locality;
		l.start_date = m->start_date;
		l.end_date = m->end_date;
		l.weekly_cost = m->weekly_cost;
		l.health_contribution = m->health_contribution;
		l.education_contribution = m->education_contribution;
		l.from_date = m->from_date;
		l.to_date = m->to_date;
		l.placement_open = m->placement_open;
		l.actual_days = m->actual_days;
		l.committed_days = m->committed_days;
		l.actual_pence = m->actual_pence;
		l.committed_pence = m->committed_pence;
		l.forecast_pence = m->forecast_pence;
		l.gross_forecast_pence = m->gross_forecast_pence;
		l.health_forecast_pence = m->health_forecast_pence;
		l.education_forecast_pence = m->education_forecast_pence;
		l.financial_year = batch->financial_year;
		l.as_at = batch->as_at;
		e->received++;
		if (e->cb(&l, e->ctx) != 0) {
			e->stopped = true;
			return 1;
		}
	}
	return 0;
}

int csperf_costs_export(csperf_client *client, const csperf_costs_query *query,
			csperf_cost_line_cb cb, void *ctx, uint64_t *count)
{
	Csperf__V1__ExportPlacementCostsRequest req =
		CSPERF__V1__EXPORT_PLACEMENT_COSTS_REQUEST__INIT;
	export_ctx e = { cb, ctx, 0, false };
	int rc;

	if (count != NULL)
		*count = 0;
	if (client == NULL || query == NULL || cb == NULL)
		return client_error(CSPERF_EINVAL, "ExportPlacementCosts: client, query or cb is NULL");
	if ((rc = check_query(query, "ExportPlacementCosts")) != CSPERF_OK)
		return rc;
	req.council = (char *)query->council;
	req.financial_year = (char *)query->financial_year;
	req.as_at = (char *)(query->as_at != NULL ? query->as_at : "");
	rc = client_server_stream(client, "/csperf.v1.Performance/ExportPlacementCosts",
				  "ExportPlacementCosts", &req.base,
				  &csperf__v1__placement_cost_lines__descriptor, deliver, &e);
	/* Stopped by the caller, even when csperfd had sent the rest already. */
	if (e.stopped && rc == CSPERF_OK)
		rc = client_error(CSPERF_ECANCELLED, "ExportPlacementCosts: stopped after %llu lines",
				  (unsigned long long)e.received);
	if (count != NULL)
		*count = e.received;
	return rc;
}
