/*
 * scorecards.c: the SDK side of indicators, series, scorecards and
 * exceptions. Each result keeps the unpacked reply (internal) and a public
 * view whose strings point into it.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "csperf/scorecards.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

static csperf_figure figure(const Csperf__V1__Figure *f)
{
	csperf_figure out = { 0, 0 };

	if (f != NULL && f->present) {
		out.present = 1;
		out.value = f->value;
	}
	return out;
}

/* ---- indicators ---- */

typedef struct indicator_internal {
	ProtobufCMessage *reply;
	csperf_target *targets;  /* all of them, in one block */
} indicator_internal;

static int wrap_indicators(ProtobufCMessage *reply, Csperf__V1__Indicator **items, size_t n,
			   csperf_indicator_list **out, const char *what)
{
	csperf_indicator_list *list = calloc(1, sizeof(*list));
	indicator_internal *in = calloc(1, sizeof(*in));
	csperf_indicator *views = calloc(n + 1, sizeof(*views));
	size_t ntargets = 0, t = 0;

	for (size_t i = 0; i < n; i++)
		ntargets += items[i]->n_targets;
	if (in != NULL)
		in->targets = calloc(ntargets + 1, sizeof(*in->targets));
	if (list == NULL || in == NULL || views == NULL || in->targets == NULL) {
		free(list);
		if (in != NULL)
			free(in->targets);
		free(in);
		free(views);
		protobuf_c_message_free_unpacked(reply, NULL);
		return client_error(CSPERF_ENOMEM, "%s: out of memory", what);
	}
	for (size_t i = 0; i < n; i++) {
		const Csperf__V1__Indicator *m = items[i];
		csperf_indicator *v = &views[i];

		v->indicator_id = m->indicator_id;
		v->version = m->version;
		v->title = m->title;
		v->stage = m->stage;
		v->unit = m->unit;
		v->polarity = m->polarity;
		v->kind = m->kind;
		v->params_json = m->params_json;
		v->nperiod_types = m->n_period_types;
		v->period_types = (const char *const *)m->period_types;
		v->targets = &in->targets[t];
		for (size_t k = 0; k < m->n_targets; k++, t++) {
			in->targets[t].year = m->targets[k]->year;
			in->targets[t].target = m->targets[k]->target;
			in->targets[t].tolerance = m->targets[k]->tolerance;
		}
		v->ntargets = m->n_targets;
		v->corporate_risk = m->corporate_risk;
		v->budget_line = m->budget_line;
		v->small_number_threshold = m->small_number_threshold;
		v->definition = m->definition;
		v->source = m->source;
		v->created_at = m->created_at;
		v->created_by = m->created_by;
	}
	in->reply = reply;
	list->count = n;
	list->indicators = views;
	list->internal = in;
	*out = list;
	return CSPERF_OK;
}

void csperf_indicator_list_free(csperf_indicator_list *list)
{
	indicator_internal *in;

	if (list == NULL)
		return;
	in = list->internal;
	if (in != NULL) {
		protobuf_c_message_free_unpacked(in->reply, NULL);
		free(in->targets);
		free(in);
	}
	free((void *)list->indicators);
	free(list);
}

int csperf_indicators_list(csperf_client *client, const char *stage, csperf_indicator_list **out)
{
	Csperf__V1__ListIndicatorsRequest req = CSPERF__V1__LIST_INDICATORS_REQUEST__INIT;
	Csperf__V1__ListIndicatorsResponse *reply = NULL;
	int rc;

	if (client == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "ListIndicators: client or out is NULL");
	*out = NULL;
	req.stage = (char *)(stage != NULL ? stage : "");
	rc = client_unary(client, "/csperf.v1.Performance/ListIndicators", "ListIndicators",
			  &req.base, &csperf__v1__list_indicators_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	return wrap_indicators(&reply->base, reply->indicators, reply->n_indicators, out,
			       "ListIndicators");
}

int csperf_indicator_get(csperf_client *client, const char *indicator_id, int history,
			 csperf_indicator_list **out)
{
	Csperf__V1__GetIndicatorRequest req = CSPERF__V1__GET_INDICATOR_REQUEST__INIT;
	Csperf__V1__GetIndicatorResponse *reply = NULL;
	Csperf__V1__Indicator **items;
	int rc;

	if (client == NULL || indicator_id == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetIndicator: client, indicator_id or out is NULL");
	*out = NULL;
	req.indicator_id = (char *)indicator_id;
	req.history = history != 0;
	rc = client_unary(client, "/csperf.v1.Performance/GetIndicator", "GetIndicator", &req.base,
			  &csperf__v1__get_indicator_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	items = calloc(reply->n_history + 2, sizeof(*items));
	if (items == NULL) {
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "GetIndicator: out of memory");
	}
	items[0] = reply->indicator;
	for (size_t i = 0; i < reply->n_history; i++)
		items[i + 1] = reply->history[i];
	rc = wrap_indicators(&reply->base, items, reply->indicator != NULL ? reply->n_history + 1 : 0,
			     out, "GetIndicator");
	free(items);
	return rc;
}

int csperf_indicator_put(csperf_client *client, const csperf_indicator *indicator,
			 csperf_indicator_list **out)
{
	Csperf__V1__PutIndicatorRequest req = CSPERF__V1__PUT_INDICATOR_REQUEST__INIT;
	Csperf__V1__Indicator m = CSPERF__V1__INDICATOR__INIT;
	Csperf__V1__PutIndicatorResponse *reply = NULL;
	Csperf__V1__Target *targets = NULL, **target_ptrs = NULL;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (client == NULL || indicator == NULL)
		return client_error(CSPERF_EINVAL, "PutIndicator: client or indicator is NULL");
	targets = calloc(indicator->ntargets + 1, sizeof(*targets));
	target_ptrs = calloc(indicator->ntargets + 1, sizeof(*target_ptrs));
	if (targets == NULL || target_ptrs == NULL) {
		free(targets);
		free(target_ptrs);
		return client_error(CSPERF_ENOMEM, "PutIndicator: out of memory");
	}
	for (size_t i = 0; i < indicator->ntargets; i++) {
		csperf__v1__target__init(&targets[i]);
		targets[i].year = (char *)indicator->targets[i].year;
		targets[i].target = indicator->targets[i].target;
		targets[i].tolerance = indicator->targets[i].tolerance;
		target_ptrs[i] = &targets[i];
	}
#define TEXT(field) (char *)(indicator->field != NULL ? indicator->field : "")
	m.indicator_id = TEXT(indicator_id);
	m.title = TEXT(title);
	m.stage = TEXT(stage);
	m.unit = TEXT(unit);
	m.polarity = TEXT(polarity);
	m.kind = TEXT(kind);
	m.params_json = TEXT(params_json);
	m.corporate_risk = TEXT(corporate_risk);
	m.budget_line = TEXT(budget_line);
	m.definition = TEXT(definition);
	m.source = TEXT(source);
#undef TEXT
	m.n_period_types = indicator->nperiod_types;
	m.period_types = (char **)indicator->period_types;
	m.n_targets = indicator->ntargets;
	m.targets = target_ptrs;
	m.small_number_threshold = indicator->small_number_threshold;
	req.indicator = &m;
	rc = client_unary(client, "/csperf.v1.Performance/PutIndicator", "PutIndicator", &req.base,
			  &csperf__v1__put_indicator_response__descriptor,
			  (ProtobufCMessage **)&reply);
	free(targets);
	free(target_ptrs);
	if (rc != CSPERF_OK)
		return rc;
	if (out == NULL) {
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return CSPERF_OK;
	}
	return wrap_indicators(&reply->base, &reply->indicator, reply->indicator != NULL ? 1 : 0, out,
			       "PutIndicator");
}

/* ---- series ---- */

int csperf_series_get(csperf_client *client, const char *council, const char *indicator_id,
		      const char *period_type, const char *from, const char *to,
		      csperf_series **out)
{
	return csperf_series_get_in(client, council, NULL, indicator_id, period_type, from, to,
				    out);
}

int csperf_series_get_in(csperf_client *client, const char *council, const char *org_unit,
			 const char *indicator_id, const char *period_type, const char *from,
			 const char *to, csperf_series **out)
{
	Csperf__V1__GetIndicatorSeriesRequest req = CSPERF__V1__GET_INDICATOR_SERIES_REQUEST__INIT;
	Csperf__V1__GetIndicatorSeriesResponse *reply = NULL;
	csperf_series *series;
	csperf_series_point *points;
	int rc;

	if (client == NULL || council == NULL || indicator_id == NULL || out == NULL)
		return client_error(CSPERF_EINVAL,
				    "GetIndicatorSeries: client, council, indicator_id or out is NULL");
	*out = NULL;
	req.council = (char *)council;
	req.indicator_id = (char *)indicator_id;
	req.period_type = (char *)(period_type != NULL ? period_type : "");
	req.from = (char *)(from != NULL ? from : "");
	req.to = (char *)(to != NULL ? to : "");
	req.org_unit = (char *)(org_unit != NULL ? org_unit : "");
	rc = client_unary(client, "/csperf.v1.Performance/GetIndicatorSeries", "GetIndicatorSeries",
			  &req.base, &csperf__v1__get_indicator_series_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	series = calloc(1, sizeof(*series));
	points = calloc(reply->n_points + 1, sizeof(*points));
	if (series == NULL || points == NULL) {
		free(series);
		free(points);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "GetIndicatorSeries: out of memory");
	}
	for (size_t i = 0; i < reply->n_points; i++) {
		const Csperf__V1__SeriesPoint *p = reply->points[i];

		points[i].period = p->period;
		points[i].period_start = p->period_start;
		points[i].period_end = p->period_end;
		points[i].breakdown = p->breakdown;
		points[i].numerator = figure(p->numerator);
		points[i].denominator = figure(p->denominator);
		points[i].value = figure(p->value);
		points[i].provisional = p->provisional;
		points[i].version = p->version;
	}
	series->count = reply->n_points;
	series->points = points;
	series->internal = reply;
	*out = series;
	return CSPERF_OK;
}

void csperf_series_free(csperf_series *series)
{
	if (series == NULL)
		return;
	protobuf_c_message_free_unpacked(series->internal, NULL);
	free((void *)series->points);
	free(series);
}

/* ---- scorecards ---- */

static void unview_row(const csperf_scorecard_row *v);

/* The public view of one row; its arrays are malloc'd, freed by row_free. */
static int view_row(const Csperf__V1__ScorecardRow *m, csperf_scorecard_row *v)
{
	csperf_period_value *trend = calloc(m->n_trend + 1, sizeof(*trend));
	csperf_comparator *comparators = calloc(m->n_comparators + 1, sizeof(*comparators));
	csperf_breakdown_row *breakdown = calloc(m->n_breakdown + 1, sizeof(*breakdown));

	if (trend == NULL || comparators == NULL || breakdown == NULL) {
		free(trend);
		free(comparators);
		free(breakdown);
		return -1;
	}
	v->indicator_id = m->indicator_id;
	v->title = m->title;
	v->stage = m->stage;
	v->unit = m->unit;
	v->polarity = m->polarity;
	v->period = m->period;
	v->value = figure(m->value);
	v->numerator = figure(m->numerator);
	v->denominator = figure(m->denominator);
	v->last_year = figure(m->last_year);
	for (size_t i = 0; i < m->n_trend; i++) {
		trend[i].period = m->trend[i]->period;
		trend[i].value = figure(m->trend[i]->value);
	}
	v->ntrend = m->n_trend;
	v->trend = trend;
	v->target = figure(m->target);
	v->tolerance = figure(m->tolerance);
	v->rag = m->rag;
	v->direction = m->direction;
	v->direction_year = m->direction_year;
	v->previous = figure(m->previous);
	v->year_ago = figure(m->year_ago);
	for (size_t i = 0; i < m->n_comparators; i++) {
		comparators[i].name = m->comparators[i]->name;
		comparators[i].area_type = m->comparators[i]->area_type;
		comparators[i].year = m->comparators[i]->year;
		comparators[i].value = figure(m->comparators[i]->value);
		comparators[i].source = m->comparators[i]->source;
		comparators[i].area = m->comparators[i]->area;
		comparators[i].symbol = m->comparators[i]->symbol;
		comparators[i].rank = m->comparators[i]->rank;
		comparators[i].ranked = m->comparators[i]->ranked;
		comparators[i].quartile = m->comparators[i]->quartile;
		comparators[i].contributors = m->comparators[i]->contributors;
		comparators[i].release = m->comparators[i]->release;
	}
	v->ncomparators = m->n_comparators;
	v->comparators = comparators;
	v->provisional = m->provisional;
	v->small_number = m->small_number;
	v->suppressed = m->suppressed;
	for (size_t i = 0; i < m->n_breakdown; i++) {
		breakdown[i].code = m->breakdown[i]->code;
		breakdown[i].numerator = figure(m->breakdown[i]->numerator);
		breakdown[i].value = figure(m->breakdown[i]->value);
	}
	v->nbreakdown = m->n_breakdown;
	v->breakdown = breakdown;
	v->corporate_risk = m->corporate_risk;
	v->budget_line = m->budget_line;
	v->version = m->version;
	v->failing_records = m->failing_records;
	v->failing_rules = m->failing_rules;
	v->target_source = m->target_source;
	v->report_card = NULL;
	if (m->report_card != NULL) {
		csperf_report_card *card = calloc(1, sizeof(*card));

		if (card == NULL) {
			unview_row(v);
			return -1;
		}
		client_view_card(m->report_card, card);
		v->report_card = card;
	}
	return 0;
}

static void unview_row(const csperf_scorecard_row *v)
{
	free((void *)v->report_card);
	free((void *)v->trend);
	free((void *)v->comparators);
	free((void *)v->breakdown);
}

int csperf_scorecard_get(csperf_client *client, const csperf_scorecard_query *query,
			 csperf_scorecard **out)
{
	Csperf__V1__GetScorecardRequest req = CSPERF__V1__GET_SCORECARD_REQUEST__INIT;
	Csperf__V1__GetScorecardResponse *reply = NULL;
	int rc;

	if (client == NULL || query == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetScorecard: client, query or out is NULL");
	*out = NULL;
	if (query->version != CSPERF_SCORECARD_QUERY_VERSION)
		return client_error(CSPERF_EVERSION, "GetScorecard: query version %u is not %d",
				    query->version, CSPERF_SCORECARD_QUERY_VERSION);
	if (query->council == NULL || query->period == NULL)
		return client_error(CSPERF_EINVAL, "GetScorecard: council and period are required");
	req.council = (char *)query->council;
	req.period = (char *)query->period;
	req.stage = (char *)(query->stage != NULL ? query->stage : "");
	req.org_unit = (char *)(query->org_unit != NULL ? query->org_unit : "");
	rc = client_unary(client, "/csperf.v1.Performance/GetScorecard", "GetScorecard", &req.base,
			  &csperf__v1__get_scorecard_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	return client_scorecard_wrap(&reply->base, out, "GetScorecard");
}

int client_scorecard_view(const ProtobufCMessage *header, void *const *rows, size_t nrows,
			  csperf_scorecard **out, const char *what)
{
	const Csperf__V1__GetScorecardResponse *h = (const Csperf__V1__GetScorecardResponse *)header;
	csperf_scorecard *sc = calloc(1, sizeof(*sc));
	csperf_scorecard_row *views = calloc(nrows + 1, sizeof(*views));

	*out = NULL;
	if (sc == NULL || views == NULL) {
		free(sc);
		free(views);
		return client_error(CSPERF_ENOMEM, "%s: out of memory", what);
	}
	sc->council = h->council;
	sc->council_name = h->council_name;
	sc->period = h->period;
	sc->period_start = h->period_start;
	sc->period_end = h->period_end;
	sc->data_to = h->data_to;
	sc->org_unit = h->org_unit;
	sc->rows = views;
	for (size_t i = 0; i < nrows; i++) {
		if (view_row(rows[i], &views[i]) != 0) {
			csperf_scorecard_free(sc);
			return client_error(CSPERF_ENOMEM, "%s: out of memory", what);
		}
		sc->nrows++;
	}
	*out = sc;
	return CSPERF_OK;
}

int client_scorecard_wrap(ProtobufCMessage *message, csperf_scorecard **out, const char *what)
{
	Csperf__V1__GetScorecardResponse *reply = (Csperf__V1__GetScorecardResponse *)message;
	int rc = client_scorecard_view(message, (void *const *)reply->rows, reply->n_rows, out,
				       what);

	if (rc != CSPERF_OK) {
		protobuf_c_message_free_unpacked(message, NULL);
		return rc;
	}
	(*out)->internal = reply;
	return CSPERF_OK;
}

void csperf_scorecard_free(csperf_scorecard *scorecard)
{
	if (scorecard == NULL)
		return;
	for (size_t i = 0; i < scorecard->nrows; i++)
		unview_row(&scorecard->rows[i]);
	free((void *)scorecard->rows);
	protobuf_c_message_free_unpacked(scorecard->internal, NULL);
	free(scorecard);
}

typedef struct exceptions_internal {
	ProtobufCMessage *reply;
	csperf_scorecard_row *rows;
	size_t nrows;
} exceptions_internal;

int csperf_exceptions_get(csperf_client *client, const char *council, const char *period,
			  csperf_exceptions **out)
{
	return csperf_exceptions_get_in(client, council, NULL, period, out);
}

int csperf_exceptions_get_in(csperf_client *client, const char *council, const char *org_unit,
			     const char *period, csperf_exceptions **out)
{
	Csperf__V1__GetExceptionsRequest req = CSPERF__V1__GET_EXCEPTIONS_REQUEST__INIT;
	Csperf__V1__GetExceptionsResponse *reply = NULL;
	csperf_exceptions *ex;
	csperf_exception *items;
	exceptions_internal *in;
	int rc;

	if (client == NULL || council == NULL || period == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetExceptions: client, council, period or out is NULL");
	*out = NULL;
	req.council = (char *)council;
	req.period = (char *)period;
	req.org_unit = (char *)(org_unit != NULL ? org_unit : "");
	rc = client_unary(client, "/csperf.v1.Performance/GetExceptions", "GetExceptions", &req.base,
			  &csperf__v1__get_exceptions_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	ex = calloc(1, sizeof(*ex));
	items = calloc(reply->n_exceptions + 1, sizeof(*items));
	in = calloc(1, sizeof(*in));
	if (in != NULL)
		in->rows = calloc(reply->n_exceptions + 1, sizeof(*in->rows));
	if (ex == NULL || items == NULL || in == NULL || in->rows == NULL) {
		free(ex);
		free(items);
		if (in != NULL)
			free(in->rows);
		free(in);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "GetExceptions: out of memory");
	}
	in->reply = &reply->base;
	ex->council = reply->council;
	ex->period = reply->period;
	ex->org_unit = reply->org_unit;
	ex->exceptions = items;
	ex->internal = in;
	for (size_t i = 0; i < reply->n_exceptions; i++) {
		const Csperf__V1__Exception *m = reply->exceptions[i];

		items[i].indicator_id = m->indicator_id;
		items[i].title = m->title;
		items[i].ncriteria = m->n_criteria;
		items[i].criteria = (const char *const *)m->criteria;
		items[i].reason = m->reason;
		if (m->row != NULL) {
			if (view_row(m->row, &in->rows[in->nrows]) != 0) {
				csperf_exceptions_free(ex);
				return client_error(CSPERF_ENOMEM, "GetExceptions: out of memory");
			}
			items[i].row = &in->rows[in->nrows++];
		}
		ex->count++;
	}
	*out = ex;
	return CSPERF_OK;
}

void csperf_exceptions_free(csperf_exceptions *exceptions)
{
	exceptions_internal *in;

	if (exceptions == NULL)
		return;
	in = exceptions->internal;
	for (size_t i = 0; i < in->nrows; i++)
		unview_row(&in->rows[i]);
	free(in->rows);
	protobuf_c_message_free_unpacked(in->reply, NULL);
	free(in);
	free((void *)exceptions->exceptions);
	free(exceptions);
}

/* ---- org units ---- */

int csperf_org_units_list(csperf_client *client, const char *council, csperf_org_units **out)
{
	Csperf__V1__ListOrgUnitsRequest req = CSPERF__V1__LIST_ORG_UNITS_REQUEST__INIT;
	Csperf__V1__ListOrgUnitsResponse *reply = NULL;
	csperf_org_units *units;
	csperf_org_unit *items;
	int rc;

	if (client == NULL || council == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "ListOrgUnits: client, council or out is NULL");
	*out = NULL;
	req.council = (char *)council;
	rc = client_unary(client, "/csperf.v1.Performance/ListOrgUnits", "ListOrgUnits", &req.base,
			  &csperf__v1__list_org_units_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	units = calloc(1, sizeof(*units));
	items = calloc(reply->n_org_units + 1, sizeof(*items));
	if (units == NULL || items == NULL) {
		free(units);
		free(items);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "ListOrgUnits: out of memory");
	}
	for (size_t i = 0; i < reply->n_org_units; i++) {
		items[i].kind = reply->org_units[i]->kind;
		items[i].name = reply->org_units[i]->name;
		items[i].org_unit = reply->org_units[i]->org_unit;
	}
	units->council = reply->council;
	units->count = reply->n_org_units;
	units->items = items;
	units->internal = reply;
	*out = units;
	return CSPERF_OK;
}

void csperf_org_units_free(csperf_org_units *units)
{
	if (units == NULL)
		return;
	protobuf_c_message_free_unpacked(units->internal, NULL);
	free((void *)units->items);
	free(units);
}

/* ---- comparators and councils ---- */

int csperf_comparators_load(csperf_client *client, const csperf_comparator_figure *figures,
			    size_t count, uint64_t *stored)
{
	Csperf__V1__LoadComparatorsRequest req = CSPERF__V1__LOAD_COMPARATORS_REQUEST__INIT;
	Csperf__V1__LoadComparatorsResponse *reply = NULL;
	Csperf__V1__ComparatorFigure *rows, **ptrs;
	int rc;

	if (client == NULL || (figures == NULL && count > 0))
		return client_error(CSPERF_EINVAL, "LoadComparators: client or figures is NULL");
	rows = calloc(count + 1, sizeof(*rows));
	ptrs = calloc(count + 1, sizeof(*ptrs));
	if (rows == NULL || ptrs == NULL) {
		free(rows);
		free(ptrs);
		return client_error(CSPERF_ENOMEM, "LoadComparators: out of memory");
	}
	for (size_t i = 0; i < count; i++) {
		csperf__v1__comparator_figure__init(&rows[i]);
		rows[i].indicator_id = (char *)(figures[i].indicator_id ? figures[i].indicator_id : "");
		rows[i].area_type = (char *)(figures[i].area_type ? figures[i].area_type : "");
		rows[i].area = (char *)(figures[i].area ? figures[i].area : "");
		rows[i].period = (char *)(figures[i].period ? figures[i].period : "");
		rows[i].value = figures[i].value;
		rows[i].source = (char *)(figures[i].source ? figures[i].source : "");
		rows[i].line = figures[i].line;
		ptrs[i] = &rows[i];
	}
	req.n_figures = count;
	req.figures = ptrs;
	rc = client_unary(client, "/csperf.v1.Performance/LoadComparators", "LoadComparators",
			  &req.base, &csperf__v1__load_comparators_response__descriptor,
			  (ProtobufCMessage **)&reply);
	free(rows);
	free(ptrs);
	if (rc != CSPERF_OK)
		return rc;
	if (stored != NULL)
		*stored = reply->stored;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return CSPERF_OK;
}

/* PutCouncil: every field (only_given false: NULL is empty, or england), or
 * only the fields given (NULL keeps the stored value). */
static int put_council(csperf_client *client, const csperf_council *council, bool only_given)
{
	Csperf__V1__PutCouncilRequest req = CSPERF__V1__PUT_COUNCIL_REQUEST__INIT;
	Csperf__V1__PutCouncilResponse *reply = NULL;
	char *fields[4];
	int rc;

	if (client == NULL || council == NULL || council->council == NULL)
		return client_error(CSPERF_EINVAL, "PutCouncil: client or council is NULL");
	req.council = (char *)council->council;
	req.name = (char *)(council->name != NULL ? council->name : "");
	req.nation = (char *)(council->nation != NULL ? council->nation
			      : only_given ? "" : "england");
	req.region = (char *)(council->region != NULL ? council->region : "");
	req.n_neighbours = council->neighbours != NULL ? council->nneighbours : 0;
	req.neighbours = (char **)council->neighbours;
	if (only_given) {
		if (council->name != NULL)
			fields[req.n_update_fields++] = "name";
		if (council->nation != NULL)
			fields[req.n_update_fields++] = "nation";
		if (council->region != NULL)
			fields[req.n_update_fields++] = "region";
		if (council->neighbours != NULL)
			fields[req.n_update_fields++] = "neighbours";
		if (req.n_update_fields == 0)
			return client_error(CSPERF_EINVAL, "PutCouncil: nothing to change");
		req.update_fields = fields;
	}
	rc = client_unary(client, "/csperf.v1.Performance/PutCouncil", "PutCouncil", &req.base,
			  &csperf__v1__put_council_response__descriptor, (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return CSPERF_OK;
}

int csperf_council_put(csperf_client *client, const csperf_council *council)
{
	return put_council(client, council, false);
}

int csperf_council_update(csperf_client *client, const csperf_council *council)
{
	return put_council(client, council, true);
}


int csperf_council_list_get(csperf_client *client, const char *council,
			    csperf_council_list **out)
{
	Csperf__V1__ListCouncilsRequest req = CSPERF__V1__LIST_COUNCILS_REQUEST__INIT;
	Csperf__V1__ListCouncilsResponse *reply = NULL;
	csperf_council_list *list;
	csperf_council_info *views;
	int rc;

	if (client == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "ListCouncils: client or out is NULL");
	*out = NULL;
	req.council = (char *)(council != NULL ? council : "");
	rc = client_unary(client, "/csperf.v1.Performance/ListCouncils", "ListCouncils", &req.base,
			  &csperf__v1__list_councils_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	list = calloc(1, sizeof(*list));
	views = calloc(reply->n_councils + 1, sizeof(*views));
	if (list == NULL || views == NULL) {
		free(list);
		free(views);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "ListCouncils: out of memory");
	}
	for (size_t i = 0; i < reply->n_councils; i++) {
		const Csperf__V1__Council *c = reply->councils[i];

		views[i].council = c->council;
		views[i].name = c->name;
		views[i].nation = c->nation;
		views[i].region = c->region;
		views[i].nneighbours = c->n_neighbours;
		views[i].neighbours = (const char *const *)c->neighbours;
		views[i].loads = c->loads;
		views[i].data_to = c->data_to;
	}
	list->count = reply->n_councils;
	list->councils = views;
	list->internal = reply;
	*out = list;
	return CSPERF_OK;
}

void csperf_council_list_free(csperf_council_list *list)
{
	if (list == NULL)
		return;
	if (list->internal != NULL)
		protobuf_c_message_free_unpacked(list->internal, NULL);
	free((void *)list->councils);
	free(list);
}

int csperf_council_delete(csperf_client *client, const char *council)
{
	Csperf__V1__DeleteCouncilRequest req = CSPERF__V1__DELETE_COUNCIL_REQUEST__INIT;
	Csperf__V1__DeleteCouncilResponse *reply = NULL;
	int rc;

	if (client == NULL || council == NULL)
		return client_error(CSPERF_EINVAL, "DeleteCouncil: client or council is NULL");
	req.council = (char *)council;
	rc = client_unary(client, "/csperf.v1.Performance/DeleteCouncil", "DeleteCouncil",
			  &req.base, &csperf__v1__delete_council_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return CSPERF_OK;
}
