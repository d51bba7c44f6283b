/*
 * indicators.c: ListIndicators, GetIndicator, PutIndicator and
 * GetIndicatorSeries.
 *
 * A definition put by a user is checked whole before it is stored: its id,
 * stage, unit, polarity, period types and targets, and its kind and
 * parameters by the engine (fields and codes against the record schema). It
 * becomes a new version and is computed for every council at once.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "org_units.h"
#include "../compute.h"
#include "../engine/engine.h"
#include "../log.h"
#include "dates.h"

#include "csperf/v1/indicators.pb-c.h"

typedef Csperf__V1__Indicator Indicator;

static const char *const stages[] = {
	"early_help", "front_door", "assessment", "child_protection", "looked_after", "adoption",
	"care_leavers", "workforce", "youth_justice", "finance", NULL
};
static const char *const units[] = { "count", "percent", "rate", "days", "pounds", "number", NULL };
static const char *const polarities[] = { "up", "down", "none", NULL };
static const char *const period_types[] = { "month", "quarter", "year", "rolling12", "ytd", "3y",
					     NULL };

static bool one_of(const char *value, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(value, list[i]) == 0)
			return true;
	return false;
}

bool handlers_valid_indicator_id(const char *id)
{
	size_t len = strlen(id);

	if (len < 2 || len > 16 || !isupper((unsigned char)id[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isupper((unsigned char)id[i]) && !isdigit((unsigned char)id[i]))
			return false;
	return true;
}

bool handlers_refuse_council_indicator(rpc_call *call, const char *council,
				       const char *indicator_id)
{
	if (!handlers_valid_council(council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
		return true;
	}
	if (!handlers_valid_indicator_id(indicator_id)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "indicator_id is not an indicator's "
			      "id: upper-case letters and digits, such as CN02");
		return true;
	}
	return false;
}

/* ---- rows to messages ---- */

typedef struct indicator_list {
	Indicator **items;
	size_t count;
	bool failed;
} indicator_list;

static void indicator_free(Indicator *m)
{
	if (m == NULL)
		return;
	free(m->indicator_id);
	free(m->title);
	free(m->stage);
	free(m->unit);
	free(m->polarity);
	free(m->kind);
	free(m->params_json);
	for (size_t i = 0; i < m->n_period_types; i++)
		free(m->period_types[i]);
	free(m->period_types);
	for (size_t i = 0; i < m->n_nations; i++)
		free(m->nations[i]);
	free(m->nations);
	for (size_t i = 0; i < m->n_targets; i++) {
		free(m->targets[i]->year);
		free(m->targets[i]);
	}
	free(m->targets);
	free(m->corporate_risk);
	free(m->budget_line);
	free(m->definition);
	free(m->source);
	free(m->created_at);
	free(m->created_by);
	free(m);
}

static void list_free(indicator_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		indicator_free(l->items[i]);
	free(l->items);
}

/* Targets as stored: {"2018-19": {"target": 90, "tolerance": 5}}. */
static int targets_from_json(Indicator *m, const char *text)
{
	json_t *root = json_loads(text, 0, NULL), *value;
	const char *year;

	if (root == NULL)
		return 0;
	m->targets = calloc(json_object_size(root) + 1, sizeof(*m->targets));
	if (m->targets == NULL) {
		json_decref(root);
		return -1;
	}
	json_object_foreach(root, year, value) {
		Csperf__V1__Target *t = malloc(sizeof(*t));

		if (t == NULL) {
			json_decref(root);
			return -1;
		}
		csperf__v1__target__init(t);
		t->year = strdup(year);
		t->target = json_number_value(json_object_get(value, "target"));
		t->tolerance = json_number_value(json_object_get(value, "tolerance"));
		m->targets[m->n_targets++] = t;
	}
	json_decref(root);
	return 0;
}

static Indicator *indicator_from_row(const store_indicator_row *r)
{
	Indicator *m = malloc(sizeof(*m));
	char *types, *save = NULL;

	if (m == NULL)
		return NULL;
	csperf__v1__indicator__init(m);
	m->indicator_id = strdup(r->indicator_id);
	m->version = r->version;
	m->title = strdup(r->title);
	m->stage = strdup(r->stage);
	m->unit = strdup(r->unit);
	m->polarity = strdup(r->polarity);
	m->kind = strdup(r->kind);
	m->params_json = strdup(r->params);
	m->corporate_risk = strdup(r->corporate_risk);
	m->budget_line = strdup(r->budget_line);
	m->small_number_threshold = r->small_number_threshold;
	m->definition = strdup(r->definition);
	m->source = strdup(r->source);
	m->created_at = strdup(r->created_at);
	m->created_by = strdup(r->created_by);
	m->sort_order = r->sort_order;
	m->period_types = calloc(7, sizeof(char *));
	types = strdup(r->period_types);
	for (char *t = types != NULL ? strtok_r(types, ",", &save) : NULL;
	     t != NULL && m->period_types != NULL && m->n_period_types < 6;
	     t = strtok_r(NULL, ",", &save))
		m->period_types[m->n_period_types++] = strdup(t);
	free(types);
	m->nations = calloc(3, sizeof(char *));
	types = strdup(r->nations);
	for (char *t = types != NULL ? strtok_r(types, ",", &save) : NULL;
	     t != NULL && m->nations != NULL && m->n_nations < 2; t = strtok_r(NULL, ",", &save))
		m->nations[m->n_nations++] = strdup(t);
	free(types);
	if (targets_from_json(m, r->targets) != 0 || m->indicator_id == NULL || m->title == NULL ||
	    m->definition == NULL || m->params_json == NULL || m->period_types == NULL ||
	    m->nations == NULL) {
		indicator_free(m);
		return NULL;
	}
	return m;
}

static int collect_indicator(const store_indicator_row *row, void *ctx)
{
	indicator_list *l = ctx;
	Indicator **grown = realloc(l->items, (l->count + 1) * sizeof(*grown));

	if (grown == NULL || (grown[l->count] = indicator_from_row(row)) == NULL) {
		if (grown != NULL)
			l->items = grown;
		l->failed = true;
		return 1;
	}
	l->items = grown;
	l->count++;
	return 0;
}

void handle_list_indicators(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ListIndicatorsRequest *req =
		(Csperf__V1__ListIndicatorsRequest *)rpc_call_request(call);
	Csperf__V1__ListIndicatorsResponse reply = CSPERF__V1__LIST_INDICATORS_RESPONSE__INIT;
	indicator_list l = { NULL, 0, false };
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a ListIndicatorsRequest");
		return;
	}
	if (req->stage[0] != '\0' && !one_of(req->stage, stages)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "stage must be one of early_help, "
			      "front_door, assessment, child_protection, looked_after, adoption, "
			      "care_leavers, workforce, youth_justice, finance");
	} else if (store_indicators_list(a->pool, rpc_call_remaining_ms(call),
					 req->stage[0] != '\0' ? req->stage : NULL, NULL, false,
					 collect_indicator, &l, &st) != 0 && !l.failed) {
		rpc_call_fail_status(call, &st);
	} else if (l.failed) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	} else {
		reply.n_indicators = l.count;
		reply.indicators = l.items;
		rpc_call_reply(call, &reply.base);
	}
	list_free(&l);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

void handle_get_indicator(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetIndicatorRequest *req = (Csperf__V1__GetIndicatorRequest *)rpc_call_request(call);
	Csperf__V1__GetIndicatorResponse reply = CSPERF__V1__GET_INDICATOR_RESPONSE__INIT;
	indicator_list l = { NULL, 0, false };
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetIndicatorRequest");
		return;
	}
	if (!handlers_valid_indicator_id(req->indicator_id)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "indicator_id must be 2 to 16 capital "
			      "letters and digits, starting with a letter (e.g. CN02)");
	} else if (store_indicators_list(a->pool, rpc_call_remaining_ms(call), NULL,
					 req->indicator_id, true, collect_indicator, &l, &st) != 0 &&
		   !l.failed) {
		rpc_call_fail_status(call, &st);
	} else if (l.failed) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	} else if (l.count == 0) {
		rpc_call_fail(call, STATUS_NOT_FOUND, "there is no indicator %s", req->indicator_id);
	} else {
		reply.indicator = l.items[0];
		if (req->history) {
			reply.n_history = l.count - 1;
			reply.history = l.items + 1;
		}
		rpc_call_reply(call, &reply.base);
	}
	list_free(&l);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* Targets and tolerances: finite, and of a size a figure can have (NaN
 * compares false both ways, so it is refused too). */
#define TARGET_LIMIT 1e12

/* Checks a definition; fills st and returns -1 if it will not do. The
 * targets come back as the JSON to store (malloc'd). */
static int check_definition(const Indicator *m, char **targets_json, char **types, status *st)
{
	engine_indicator *ind = NULL;
	char err[256];
	json_t *targets;
	size_t used = 0;

	*targets_json = NULL;
	*types = NULL;
	if (!handlers_valid_indicator_id(m->indicator_id))
		return status_set(st, STATUS_INVALID_ARGUMENT, "indicator_id must be 2 to 16 capital "
				  "letters and digits, starting with a letter (e.g. CN02)");
	if (m->title[0] == '\0' || strlen(m->title) > 200)
		return status_set(st, STATUS_INVALID_ARGUMENT, "title is required: at most 200 characters");
	if (!one_of(m->stage, stages))
		return status_set(st, STATUS_INVALID_ARGUMENT, "stage must be one of early_help, "
				  "front_door, assessment, child_protection, looked_after, adoption, "
				  "care_leavers, workforce, youth_justice, finance");
	if (!one_of(m->unit, units))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "unit must be count, percent, rate, days, pounds or number");
	if (!one_of(m->polarity, polarities))
		return status_set(st, STATUS_INVALID_ARGUMENT, "polarity must be up, down or none");
	if (m->definition[0] == '\0' || strlen(m->definition) > 4000)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "definition is required: the rule in words, at most 4000 characters");
	if (strlen(m->source) > 1000 || strlen(m->corporate_risk) > 100 || strlen(m->budget_line) > 100)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "source, corporate_risk or budget_line is too long");
	if (m->small_number_threshold < 0 || m->small_number_threshold > 100)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "small_number_threshold must be from 0 to 100");
	if (engine_indicator_parse(m->kind, m->params_json, &ind, err, sizeof(err)) != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s", err);
	/* A definition stored is one csperfd can compute. */
	{
		char *sql = engine_indicator_sql(ind);

		engine_indicator_free(ind);
		if (sql == NULL)
			return status_set(st, STATUS_INVALID_ARGUMENT,
					  "this definition cannot be turned into a computation");
		free(sql);
	}

	*types = calloc(1, 64);
	if (*types == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < m->n_period_types; i++) {
		if (!one_of(m->period_types[i], period_types)) {
			free(*types);
			*types = NULL;
			return status_set(st, STATUS_INVALID_ARGUMENT, "period_types are month, quarter, "
					  "year, rolling12, ytd and 3y");
		}
		if (strstr(*types, m->period_types[i]) == NULL)
			used += (size_t)snprintf(*types + used, 64 - used, "%s%s", used > 0 ? "," : "",
						 m->period_types[i]);
	}
	if (used == 0)
		snprintf(*types, 64, "month,quarter,year,rolling12,ytd");

	targets = json_object();
	for (size_t i = 0; i < m->n_targets; i++) {
		const Csperf__V1__Target *t = m->targets[i];
		report_period year;
		json_t *entry = json_object();

		if (period_parse(t->year, &year, err, sizeof(err)) != 0 ||
		    year.type != PERIOD_YEAR || !(t->tolerance >= 0 && t->tolerance <= TARGET_LIMIT) ||
		    !(t->target >= -TARGET_LIMIT && t->target <= TARGET_LIMIT)) {
			json_decref(entry);
			json_decref(targets);
			free(*types);
			*types = NULL;
			return status_set(st, STATUS_INVALID_ARGUMENT, "a target is for a financial year "
					  "such as 2018-19, a number from -%.0f to %.0f, with a "
					  "tolerance from 0 to %.0f", TARGET_LIMIT, TARGET_LIMIT,
					  TARGET_LIMIT);
		}
		json_object_set_new(entry, "target", json_real(t->target));
		json_object_set_new(entry, "tolerance", json_real(t->tolerance));
		json_object_set_new(targets, year.label, entry);
	}
	*targets_json = json_dumps(targets, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(targets);
	if (*targets_json == NULL) {
		free(*types);
		*types = NULL;
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	return 0;
}

typedef struct councils {
	char **codes;
	size_t count;
} councils;

static int collect_council(const char *code, void *ctx)
{
	councils *c = ctx;
	char **grown = realloc(c->codes, (c->count + 1) * sizeof(char *));

	if (grown == NULL)
		return 1;
	c->codes = grown;
	c->codes[c->count] = strdup(code);
	if (c->codes[c->count] == NULL)
		return 1;
	c->count++;
	return 0;
}

void handle_put_indicator(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__PutIndicatorRequest *req = (Csperf__V1__PutIndicatorRequest *)rpc_call_request(call);
	Csperf__V1__PutIndicatorResponse reply = CSPERF__V1__PUT_INDICATOR_RESPONSE__INIT;
	indicator_list l = { NULL, 0, false };
	councils cs = { NULL, 0 };
	status st = STATUS_INIT;
	char *targets = NULL, *types = NULL;
	char nations[32] = "";
	store_indicator_row row;
	int version = 0;

	if (req == NULL || req->indicator == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "PutIndicator needs an indicator");
		goto cleanup;
	}
	if (check_definition(req->indicator, &targets, &types, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	for (size_t i = 0; i < req->indicator->n_nations; i++) {
		const char *n = req->indicator->nations[i];

		if (strcmp(n, "england") != 0 && strcmp(n, "wales") != 0) {
			rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "nations are england and wales");
			goto cleanup;
		}
		if (strstr(nations, n) == NULL)
			snprintf(nations + strlen(nations), sizeof(nations) - strlen(nations), "%s%s",
				 nations[0] != '\0' ? "," : "", n);
	}
	memset(&row, 0, sizeof(row));
	row.nations = nations;
	row.indicator_id = req->indicator->indicator_id;
	row.title = req->indicator->title;
	row.stage = req->indicator->stage;
	row.unit = req->indicator->unit;
	row.polarity = req->indicator->polarity;
	row.kind = req->indicator->kind;
	row.params = req->indicator->params_json[0] != '\0' ? req->indicator->params_json : "{}";
	row.period_types = types;
	row.targets = targets;
	row.corporate_risk = req->indicator->corporate_risk;
	row.budget_line = req->indicator->budget_line;
	row.small_number_threshold = req->indicator->small_number_threshold;
	row.definition = req->indicator->definition;
	row.source = req->indicator->source;
	row.created_by = "api";
	if (store_indicator_put(a->pool, rpc_call_remaining_ms(call), &row, &version, &st) != 0 ||
	    store_list_councils(a->pool, rpc_call_remaining_ms(call), collect_council, &cs, &st) != 0 ||
	    store_indicators_list(a->pool, rpc_call_remaining_ms(call), NULL, row.indicator_id, false,
				  collect_indicator, &l, &st) != 0 || l.count == 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	log_info("indicator %s version %d stored", row.indicator_id, version);
	for (size_t i = 0; i < cs.count; i++) {
		store_compute_stats stats;
		status ignored = STATUS_INIT;

		if (compute_council(a->pool, rpc_call_remaining_ms(call), cs.codes[i],
				    row.indicator_id, &stats, &ignored) == 0)
			reply.councils_recomputed++;
	}
	reply.indicator = l.items[0];
	rpc_call_reply(call, &reply.base);
cleanup:
	for (size_t i = 0; i < cs.count; i++)
		free(cs.codes[i]);
	free(cs.codes);
	list_free(&l);
	free(targets);
	free(types);
	if (req != NULL)
		protobuf_c_message_free_unpacked(&req->base, NULL);
}

typedef struct series {
	Csperf__V1__SeriesPoint **points;
	size_t count;
	bool failed;
	int suppress_threshold;   /* 0: the caller may see small numbers */
} series;

/* A count from 1 to the threshold, and anything computed from one, is
 * hidden from callers who must not see small numbers. */
static bool small(const char *count, int threshold)
{
	double n = count != NULL ? strtod(count, NULL) : 0;

	return threshold > 0 && count != NULL && n >= 1 && n <= threshold;
}

static Csperf__V1__Figure *figure(const char *text)
{
	Csperf__V1__Figure *f = malloc(sizeof(*f));

	if (f == NULL)
		return NULL;
	csperf__v1__figure__init(f);
	f->present = text != NULL;
	f->value = text != NULL ? strtod(text, NULL) : 0;
	return f;
}

/* Absent, because it rests on a small number the caller must not see. */
static Csperf__V1__Figure *suppressed_figure(void)
{
	Csperf__V1__Figure *f = figure(NULL);

	if (f != NULL)
		f->suppressed = true;
	return f;
}

static int collect_point(const store_series_row *r, void *ctx)
{
	series *s = ctx;
	Csperf__V1__SeriesPoint *p, **grown = realloc(s->points, (s->count + 1) * sizeof(*grown));

	if (grown == NULL || (p = malloc(sizeof(*p))) == NULL) {
		if (grown != NULL)
			s->points = grown;
		s->failed = true;
		return 1;
	}
	s->points = grown;
	csperf__v1__series_point__init(p);
	p->period = strdup(r->period);
	p->period_start = strdup(r->period_start);
	p->period_end = strdup(r->period_end);
	p->breakdown = strdup(r->breakdown);
	if (small(r->numerator, s->suppress_threshold) || small(r->denominator, s->suppress_threshold)) {
		p->numerator = suppressed_figure();
		p->denominator = suppressed_figure();
		p->value = suppressed_figure();
	} else {
		p->numerator = figure(r->numerator);
		p->denominator = figure(r->denominator);
		p->value = figure(r->value);
	}
	p->provisional = r->provisional;
	p->version = r->version;
	s->points[s->count++] = p;
	if (p->period == NULL || p->period_start == NULL || p->period_end == NULL ||
	    p->breakdown == NULL || p->numerator == NULL || p->denominator == NULL || p->value == NULL) {
		s->failed = true;
		return 1;
	}
	return 0;
}

static void series_free(series *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->points[i]->period);
		free(s->points[i]->period_start);
		free(s->points[i]->period_end);
		free(s->points[i]->breakdown);
		free(s->points[i]->numerator);
		free(s->points[i]->denominator);
		free(s->points[i]->value);
		free(s->points[i]);
	}
	free(s->points);
}

static int collect_org_point(const char *indicator_id, const store_series_row *r, void *ctx)
{
	(void)indicator_id;
	return collect_point(r, ctx);
}

void handle_get_indicator_series(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetIndicatorSeriesRequest *req =
		(Csperf__V1__GetIndicatorSeriesRequest *)rpc_call_request(call);
	Csperf__V1__GetIndicatorSeriesResponse reply = CSPERF__V1__GET_INDICATOR_SERIES_RESPONSE__INIT;
	series s = { NULL, 0, false, 0 };
	status st = STATUS_INIT;
	report_period from, to;
	auth_suppression suppression = access_suppression(call, a);
	char err[256], from_end[16] = "", to_end[16] = "";
	const char *type;
	store_org_unit unit;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a GetIndicatorSeriesRequest");
		return;
	}
	type = req->period_type[0] != '\0' ? req->period_type : "quarter";
	if (handlers_refuse_council_indicator(call, req->council, req->indicator_id))
		goto cleanup;
	if (!one_of(type, period_types)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "period_type must be month, quarter, year, rolling12, ytd or 3y");
		goto cleanup;
	}
	if (org_unit_resolve(a, call, req->council, req->org_unit, &unit, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if ((req->from[0] != '\0' && period_parse(req->from, &from, err, sizeof(err)) != 0) ||
	    (req->to[0] != '\0' && period_parse(req->to, &to, err, sizeof(err)) != 0)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "%s", err);
		goto cleanup;
	}
	if (req->from[0] != '\0')
		csperf_date_format_iso(from.end, from_end);
	if (req->to[0] != '\0')
		csperf_date_format_iso(to.end, to_end);
	s.suppress_threshold = suppression.suppress ? suppression.threshold : 0;
	if (unit.kind != STORE_ORG_COUNCIL) {
		/* An org unit's series, computed on request (docs/indicators.md). */
		const char *ids[1] = { req->indicator_id };
		compute_org_request oreq;

		memset(&oreq, 0, sizeof(oreq));
		oreq.unit = &unit;
		oreq.ids = ids;
		oreq.nids = 1;
		oreq.period_type = type;
		oreq.from_end = from_end[0] != '\0' ? from_end : NULL;
		oreq.to_end = to_end[0] != '\0' ? to_end : NULL;
		if (compute_org_unit(a->pool, rpc_call_remaining_ms(call), req->council, &oreq,
				     collect_org_point, &s, &st) != 0 && !s.failed) {
			rpc_call_fail_status(call, &st);
			goto cleanup;
		}
	} else if (store_series(store_read_pool(a->pool, rpc_call_remaining_ms(call), req->council),
			 rpc_call_remaining_ms(call), req->council, req->indicator_id,
			 "council", type, from_end[0] != '\0' ? from_end : NULL,
			 to_end[0] != '\0' ? to_end : NULL, collect_point, &s, &st) != 0 && !s.failed) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if (s.failed) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	reply.n_points = s.count;
	reply.points = s.points;
	access_note_rows(call, (int64_t)s.count);
	rpc_call_reply(call, &reply.base);
cleanup:
	series_free(&s);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

int handlers_check_indicator(const ProtobufCMessage *indicator, status *st)
{
	char *targets = NULL, *types = NULL;
	int rc = check_definition((const Indicator *)indicator, &targets, &types, st);

	free(targets);
	free(types);
	return rc;
}
