/*
 * cases.c: GetIndicatorCases: from a figure to the records behind it.
 *
 * The engine writes the case SQL from the same joins and conditions as the
 * figure, so the numerator's cases number the numerator; the store runs it
 * through a cursor, and the cases stream to the client in batches, so a list
 * of any length passes through bounded memory. Child-level data: the access
 * policy admits analysts and admins only, and every call is audited with the
 * number of cases sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "child_scope.h"
#include "org_units.h"
#include "../engine/annex_a.h"
#include "../engine/engine.h"
#include "../log.h"
#include "dates.h"

#include "csperf/v1/indicators.pb-c.h"

#define BATCH 500

typedef struct definition_found {
	char kind[64];
	char *params;
	bool found;
} definition_found;

static int keep_definition(const store_definition *d, void *ctx)
{
	definition_found *f = ctx;

	snprintf(f->kind, sizeof(f->kind), "%s", d->kind);
	f->params = strdup(d->params);
	f->found = f->params != NULL;
	return 0;
}

typedef struct case_stream {
	rpc_call *call;
	const child_scope *scope;   /* the children the caller may see */
	bool has_denominator;
	Csperf__V1__IndicatorCase items[BATCH];
	Csperf__V1__IndicatorCase *ptrs[BATCH];
	char *strings[BATCH * 5];
	size_t count, nstrings;
	uint64_t sent;
	bool client_gone;
} case_stream;

static void clear_batch(case_stream *cs)
{
	for (size_t i = 0; i < cs->nstrings; i++)
		free(cs->strings[i]);
	cs->nstrings = 0;
	cs->count = 0;
}

static int flush(case_stream *cs)
{
	Csperf__V1__IndicatorCases batch = CSPERF__V1__INDICATOR_CASES__INIT;
	int rc;

	if (cs->count == 0)
		return 0;
	batch.n_cases = cs->count;
	batch.cases = cs->ptrs;
	rc = rpc_call_send(cs->call, &batch.base);
	cs->sent += cs->count;
	clear_batch(cs);
	if (rc != 0)
		cs->client_gone = true;
	return rc;
}

static char *keep(case_stream *cs, const char *text)
{
	char *copy = strdup(text);

	if (copy != NULL)
		cs->strings[cs->nstrings++] = copy;
	return copy;
}

static int on_case(const store_case *k, void *ctx)
{
	case_stream *cs = ctx;
	Csperf__V1__IndicatorCase *c = &cs->items[cs->count];
	size_t len = strlen(k->detail) + 32;
	char *reason;

	if (!child_scope_allows(cs->scope, k->child_id))
		return 0;
	reason = malloc(len);
	if (reason == NULL)
		return 1;
	snprintf(reason, len, "%s: %s",
		 !cs->has_denominator ? "counted" : k->in_numerator ? "in the numerator"
		 : "not in the numerator", k->detail);
	csperf__v1__indicator_case__init(c);
	cs->strings[cs->nstrings++] = reason;
	c->child_id = keep(cs, k->child_id);
	c->case_date = keep(cs, k->case_date);
	c->detail = keep(cs, k->detail);
	c->team = keep(cs, k->team);
	c->reason = reason;
	c->in_numerator = k->in_numerator;
	if (c->child_id == NULL || c->case_date == NULL || c->detail == NULL || c->team == NULL)
		return 1;
	cs->ptrs[cs->count] = c;
	cs->count++;
	if (cs->count == BATCH)
		return flush(cs);
	return 0;
}

static int parse_part(const char *text, engine_case_part *out)
{
	if (text[0] == '\0' || strcmp(text, "numerator") == 0)
		*out = ENGINE_CASES_NUMERATOR;
	else if (strcmp(text, "denominator") == 0)
		*out = ENGINE_CASES_DENOMINATOR;
	else if (strcmp(text, "not-numerator") == 0)
		*out = ENGINE_CASES_NOT_NUMERATOR;
	else
		return -1;
	return 0;
}

void handle_get_indicator_cases(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetIndicatorCasesRequest *req =
		(Csperf__V1__GetIndicatorCasesRequest *)rpc_call_request(call);
	definition_found def = { "", NULL, false };
	engine_indicator *ind = NULL;
	report_period period;
	engine_case_part part;
	store_period sp;
	status st = STATUS_INIT;
	case_stream *cs = NULL;
	child_scope scope = { false, NULL, 0, 0, false };
	char err[256], *sql = NULL, *fact_sql = NULL, org[160];
	store_org_unit unit;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a GetIndicatorCasesRequest");
		return;
	}
	if (handlers_refuse_council_indicator(call, req->council, req->indicator_id))
		goto cleanup;
	if (period_parse(req->period, &period, err, sizeof(err)) != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "%s", err);
		goto cleanup;
	}
	if (parse_part(req->part, &part) != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "part must be numerator, denominator or not-numerator");
		goto cleanup;
	}
	if (org_unit_resolve(a, call, req->council, req->org_unit, &unit, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if (store_list_definitions(a->pool, rpc_call_remaining_ms(call), req->indicator_id,
				   keep_definition, &def, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if (!def.found) {
		rpc_call_fail(call, STATUS_NOT_FOUND, "there is no indicator %s", req->indicator_id);
		goto cleanup;
	}
	if (engine_indicator_parse(def.kind, def.params, &ind, err, sizeof(err)) != 0) {
		rpc_call_fail(call, STATUS_FAILED_PRECONDITION, "indicator %s cannot be computed: %s",
			      req->indicator_id, err);
		goto cleanup;
	}
	if (!engine_indicator_has_cases(ind)) {
		rpc_call_fail(call, STATUS_FAILED_PRECONDITION,
			      "%s is a reported figure: it has no cases behind it", req->indicator_id);
		goto cleanup;
	}
	if (part != ENGINE_CASES_NUMERATOR && !engine_indicator_has_denominator(ind)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "%s has no denominator of cases: ask for its numerator", req->indicator_id);
		goto cleanup;
	}
	sql = engine_indicator_cases_sql(ind, part);
	cs = calloc(1, sizeof(*cs));
	if (sql == NULL || cs == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	if (child_scope_load(a, call, a->pool, req->council, &scope, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	cs->call = call;
	cs->scope = &scope;
	cs->has_denominator = engine_indicator_has_denominator(ind);
	snprintf(sp.label, sizeof(sp.label), "%s", period.label);
	sp.type = period_type_name(period.type);
	csperf_date_format_iso(period.start, sp.start);
	csperf_date_format_iso(period.end, sp.end);
	if (engine_indicator_fact(ind) != NULL &&
	    (fact_sql = engine_fact_sql(engine_indicator_fact(ind))) == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	/* An org unit's cases: its records only, as its figures (the caller's
	 * own scope still applies on top). */
	if (store_cases_of_unit(a->pool, rpc_call_remaining_ms(call), req->council,
				unit.kind != STORE_ORG_COUNCIL ? &unit : NULL, &sp, fact_sql, sql,
				on_case, cs, &st) != 0 || flush(cs) != 0) {
		if (cs->client_gone)
			rpc_call_fail(call, STATUS_CANCELLED, "the client went");
		else
			rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	access_note_rows(call, (int64_t)cs->sent);
	org_unit_format(&unit, org, sizeof(org));
	access_note_params(call, "indicator=%s period=%s part=%s org_unit=%s", req->indicator_id,
			   period.label, req->part[0] != '\0' ? req->part : "numerator", org);
	rpc_call_reply(call, NULL);
cleanup:
	if (cs != NULL) {
		clear_batch(cs);
		free(cs);
	}
	child_scope_free(&scope);
	free(sql);
	free(fact_sql);
	free(def.params);
	engine_indicator_free(ind);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- Annex A lists ---- */

#define LIST_BATCH 500

typedef struct list_stream {
	rpc_call *call;
	const child_scope *scope;   /* the children the caller may see */
	size_t child_column;        /* the column that holds the child id */
	Csperf__V1__ChildListRow rows[LIST_BATCH];
	Csperf__V1__ChildListRow *ptrs[LIST_BATCH];
	char *strings[LIST_BATCH * 16];
	size_t count, nstrings;
	uint64_t sent;
	bool failed, client_gone;
} list_stream;

static void list_clear(list_stream *ls)
{
	for (size_t i = 0; i < ls->count; i++)
		free(ls->rows[i].values);
	for (size_t i = 0; i < ls->nstrings; i++)
		free(ls->strings[i]);
	ls->count = ls->nstrings = 0;
}

static int list_flush(list_stream *ls)
{
	Csperf__V1__ChildListPart part = CSPERF__V1__CHILD_LIST_PART__INIT;
	int rc;

	if (ls->count == 0)
		return 0;
	part.n_rows = ls->count;
	part.rows = ls->ptrs;
	rc = rpc_call_send(ls->call, &part.base);
	ls->sent += ls->count;
	list_clear(ls);
	if (rc != 0)
		ls->client_gone = true;
	return rc;
}

static int on_list_row(size_t ncolumns, const char *const *values, void *ctx)
{
	list_stream *ls = ctx;
	Csperf__V1__ChildListRow *row = &ls->rows[ls->count];

	/* A row the caller may not see is not sent (nor one without a child). */
	if (ls->scope->narrowed && (ls->child_column >= ncolumns ||
				    !child_scope_allows(ls->scope, values[ls->child_column])))
		return 0;
	csperf__v1__child_list_row__init(row);
	if (ncolumns > 16 || (row->values = calloc(ncolumns + 1, sizeof(char *))) == NULL) {
		ls->failed = true;
		return 1;
	}
	for (size_t i = 0; i < ncolumns; i++) {
		char *copy = strdup(values[i]);

		if (copy == NULL) {
			ls->failed = true;
			free(row->values);
			return 1;
		}
		ls->strings[ls->nstrings++] = copy;
		row->values[row->n_values++] = copy;
	}
	ls->ptrs[ls->count++] = row;
	return ls->count == LIST_BATCH ? list_flush(ls) : 0;
}

void handle_get_child_list(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetChildListRequest *req =
		(Csperf__V1__GetChildListRequest *)rpc_call_request(call);
	Csperf__V1__ChildListPart head = CSPERF__V1__CHILD_LIST_PART__INIT;
	const annex_a_list *list;
	list_stream *ls = NULL;
	child_scope scope = { false, NULL, 0, 0, false };
	store_pool *reads;
	status st = STATUS_INIT;
	char *columns = NULL, *names[16], *save = NULL;
	int32_t day;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetChildListRequest");
		return;
	}
	list = annex_a_find(req->list);
	if (list == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "list must be one of contacts, early_help, "
			      "referrals, assessments, section47, children_in_need, child_protection, "
			      "children_in_care, care_leavers, adoption (Annex A list 11, adopters, is "
			      "not held by csperf)");
		goto cleanup;
	}
	if (!handlers_valid_council(req->council) || csperf_date_parse_iso(req->as_at, &day) != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code and as_at a date (YYYY-MM-DD)");
		goto cleanup;
	}
	/* The first message: the list's title and columns. */
	columns = strdup(list->columns);
	ls = calloc(1, sizeof(*ls));
	if (columns == NULL || ls == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	head.list = (char *)list->name;
	head.title = (char *)list->title;
	for (char *c = strtok_r(columns, ",", &save); c != NULL && head.n_columns < 16;
	     c = strtok_r(NULL, ",", &save))
		names[head.n_columns++] = c;
	head.columns = names;
	ls->child_column = head.n_columns;
	for (size_t i = 0; i < head.n_columns; i++)
		if (strcmp(names[i], "child_id") == 0)
			ls->child_column = i;
	/* A replica may serve the list (no temporary table); the cases behind a
	 * figure stay on the primary, whose case SQL stages the period in
	 * temporary tables (docs/SCALING.md). */
	reads = store_read_pool(a->pool, rpc_call_remaining_ms(call), req->council);
	if (child_scope_load(a, call, reads, req->council, &scope, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	ls->scope = &scope;
	if (rpc_call_send(call, &head.base) != 0) {
		rpc_call_fail(call, STATUS_CANCELLED, "the client went");
		goto cleanup;
	}
	ls->call = call;
	{
		const char *params[2] = { req->council, req->as_at };

		if (store_stream_rows(reads, rpc_call_remaining_ms(call), NULL, 0, list->sql, 2,
				      params, on_list_row, ls, &st) != 0 || list_flush(ls) != 0) {
			if (ls->client_gone)
				rpc_call_fail(call, STATUS_CANCELLED, "the client went");
			else if (ls->failed)
				rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			else
				rpc_call_fail_status(call, &st);
			goto cleanup;
		}
	}
	access_note_rows(call, (int64_t)ls->sent);
	access_note_params(call, "list=%s as_at=%s", list->name, req->as_at);
	rpc_call_reply(call, NULL);
cleanup:
	if (ls != NULL) {
		list_clear(ls);
		free(ls);
	}
	child_scope_free(&scope);
	free(columns);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}
