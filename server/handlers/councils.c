/*
 * councils.c: PutCouncil (a council's name, nation, region and statistical
 * neighbours; all of them, or the update_fields given), ListCouncils,
 * DeleteCouncil (one with no loads) and LoadComparators (published figures
 * to compare with).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "../engine/engine.h"
#include "../log.h"

#include "csperf/v1/scorecards.pb-c.h"

/* Files of published figures are small: a few thousand lines. */
#define MAX_COMPARATORS 100000

bool handlers_printable(const char *text, size_t max)
{
	size_t len = strlen(text);

	if (len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return false;
	return true;
}

void handle_put_council(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__PutCouncilRequest *req = (Csperf__V1__PutCouncilRequest *)rpc_call_request(call);
	Csperf__V1__PutCouncilResponse reply = CSPERF__V1__PUT_COUNCIL_RESPONSE__INIT;
	status st = STATUS_INIT;
	unsigned fields = 0;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a PutCouncilRequest");
		return;
	}
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
		goto cleanup;
	}
	for (size_t i = 0; i < req->n_update_fields; i++) {
		static const char *const names[] = { "name", "nation", "region", "neighbours" };
		bool known = false;

		for (size_t f = 0; f < 4; f++)
			if (strcmp(req->update_fields[i], names[f]) == 0) {
				fields |= 1u << f;
				known = true;
			}
		if (!known) {
			rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "update_fields are name, nation, "
				      "region and neighbours");
			goto cleanup;
		}
	}
	if (req->n_update_fields == 0)
		fields = STORE_COUNCIL_ALL;
	if (((fields & STORE_COUNCIL_NAME) && req->name[0] == '\0') ||
	    !handlers_printable(req->name, 200) || !handlers_printable(req->region, 100)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "name is required (at most 200 printable characters), region at most 100");
		goto cleanup;
	}
	if ((fields & STORE_COUNCIL_NATION) &&
	    strcmp(req->nation, "england") != 0 && strcmp(req->nation, "wales") != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "nation must be england or wales");
		goto cleanup;
	}
	if (req->n_neighbours > 50) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "a council has at most 50 neighbours");
		goto cleanup;
	}
	for (size_t i = 0; i < req->n_neighbours; i++) {
		if (!handlers_valid_council(req->neighbours[i]) ||
		    strcmp(req->neighbours[i], req->council) == 0) {
			rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
				      "neighbours must be other councils' LA codes");
			goto cleanup;
		}
	}
	if (store_put_council(a->pool, rpc_call_remaining_ms(call), req->council, req->name,
			      req->nation, req->region, (const char *const *)req->neighbours,
			      req->n_neighbours, fields, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	access_note_params(call, "neighbours=%zu", req->n_neighbours);
	reply.council = req->council;
	reply.neighbours = (uint32_t)req->n_neighbours;
	rpc_call_reply(call, &reply.base);
cleanup:
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ListCouncils: one council's details, or every council's. */
/* ListCouncils: one council's details, or every council's. */
typedef struct council_list {
	Csperf__V1__Council **items;
	size_t count, capacity;
	bool failed;
} council_list;

static int add_council(const store_council *k, void *ctx)
{
	council_list *list = ctx;
	Csperf__V1__Council *c;
	char *codes, *save = NULL;

	if (list->count == list->capacity) {
		size_t capacity = list->capacity == 0 ? 16 : list->capacity * 2;
		Csperf__V1__Council **items = realloc(list->items, capacity * sizeof(*items));

		if (items == NULL)
			return list->failed = true, 1;
		list->items = items;
		list->capacity = capacity;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return list->failed = true, 1;
	csperf__v1__council__init(c);
	list->items[list->count++] = c;
	c->council = strdup(k->council);
	c->name = strdup(k->name);
	c->nation = strdup(k->nation);
	c->region = strdup(k->region);
	c->data_to = strdup(k->data_to);
	c->loads = k->loads;
	codes = strdup(k->neighbours);
	if (c->council == NULL || c->name == NULL || c->nation == NULL || c->region == NULL ||
	    c->data_to == NULL || codes == NULL) {
		free(codes);
		return list->failed = true, 1;
	}
	c->neighbours = calloc(strlen(codes) / 2 + 2, sizeof(char *));
	if (c->neighbours == NULL) {
		free(codes);
		return list->failed = true, 1;
	}
	for (char *code = strtok_r(codes, ",", &save); code != NULL; code = strtok_r(NULL, ",", &save))
		if ((c->neighbours[c->n_neighbours] = strdup(code)) != NULL)
			c->n_neighbours++;
	free(codes);
	return 0;
}

static void council_list_free(council_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		Csperf__V1__Council *c = list->items[i];

		free(c->council);
		free(c->name);
		free(c->nation);
		free(c->region);
		free(c->data_to);
		for (size_t n = 0; n < c->n_neighbours; n++)
			free(c->neighbours[n]);
		free(c->neighbours);
		free(c);
	}
	free(list->items);
}

void handle_list_councils(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ListCouncilsRequest *req =
		(Csperf__V1__ListCouncilsRequest *)rpc_call_request(call);
	Csperf__V1__ListCouncilsResponse reply = CSPERF__V1__LIST_COUNCILS_RESPONSE__INIT;
	council_list list = { NULL, 0, 0, false };
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a ListCouncilsRequest");
		return;
	}
	if (req->council[0] != '\0' && !handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits, or empty");
		goto cleanup;
	}
	if (store_council_details(a->pool, rpc_call_remaining_ms(call),
				  req->council[0] != '\0' ? req->council : NULL, add_council, &list,
				&st) != 0) {
		if (list.failed)
			rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		else
			rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	access_note_params(call, "councils=%zu", list.count);
	reply.councils = list.items;
	reply.n_councils = list.count;
	rpc_call_reply(call, &reply.base);
cleanup:
	council_list_free(&list);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

void handle_delete_council(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__DeleteCouncilRequest *req =
		(Csperf__V1__DeleteCouncilRequest *)rpc_call_request(call);
	Csperf__V1__DeleteCouncilResponse reply = CSPERF__V1__DELETE_COUNCIL_RESPONSE__INIT;
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a DeleteCouncilRequest");
		return;
	}
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
		goto cleanup;
	}
	if (store_delete_council(a->pool, rpc_call_remaining_ms(call), req->council, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	reply.council = req->council;
	rpc_call_reply(call, &reply.base);
cleanup:
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

static const char *check_figure(const Csperf__V1__ComparatorFigure *f)
{
	static const char *const area_types[] = {
		"england", "wales", "region", "statistical_neighbours", "other", NULL
	};
	report_period period;
	char err[256];
	bool type_ok = false;

	if (!handlers_valid_indicator_id(f->indicator_id))
		return "indicator_id is not an indicator id such as CN02";
	for (size_t i = 0; area_types[i] != NULL; i++)
		type_ok |= strcmp(f->area_type, area_types[i]) == 0;
	if (!type_ok)
		return "area_type must be england, wales, region, statistical_neighbours or other";
	if (f->area[0] == '\0' || !handlers_printable(f->area, 60))
		return "area is required: at most 60 printable characters";
	if (strcmp(f->area_type, "statistical_neighbours") == 0 && !handlers_valid_council(f->area))
		return "for statistical_neighbours, area is the LA code whose neighbours they are";
	if (period_parse(f->period, &period, err, sizeof(err)) != 0)
		return "period is not a period such as 2018-19 or 2018-19:Q4";
	if (f->source[0] == '\0' || !handlers_printable(f->source, 150))
		return "source is required: at most 150 printable characters";
	if (f->value != f->value || f->value > 1e12 || f->value < -1e12)
		return "value is not a number";
	return NULL;
}

void handle_load_comparators(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__LoadComparatorsRequest *req =
		(Csperf__V1__LoadComparatorsRequest *)rpc_call_request(call);
	Csperf__V1__LoadComparatorsResponse reply = CSPERF__V1__LOAD_COMPARATORS_RESPONSE__INIT;
	store_comparator *rows = NULL;
	status st = STATUS_INIT;
	uint64_t stored = 0;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a LoadComparatorsRequest");
		return;
	}
	if (req->n_figures > MAX_COMPARATORS) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "at most %d figures in one load",
			      MAX_COMPARATORS);
		goto cleanup;
	}
	rows = calloc(req->n_figures + 1, sizeof(*rows));
	if (rows == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	/* All or nothing: the first bad figure refuses the file, naming its line. */
	for (size_t i = 0; i < req->n_figures; i++) {
		const Csperf__V1__ComparatorFigure *f = req->figures[i];
		const char *why = check_figure(f);
		report_period period;
		char err[8];

		if (why != NULL) {
			rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "line %u: %s", f->line, why);
			goto cleanup;
		}
		period_parse(f->period, &period, err, sizeof(err));
		rows[i].indicator_id = f->indicator_id;
		rows[i].area_type = f->area_type;
		rows[i].area = f->area;
		/* Stored under the canonical label ("fy:2010-11" stays itself). */
		snprintf(f->period, strlen(f->period) + 1, "%s", period.label);
		rows[i].period = f->period;
		rows[i].value = f->value;
		rows[i].source = f->source;
	}
	if (store_load_comparators(a->pool, rpc_call_remaining_ms(call), rows, req->n_figures,
				   &stored, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	access_note_rows(call, (int64_t)stored);
	log_info("comparators: %llu figures stored", (unsigned long long)stored);
	reply.stored = stored;
	rpc_call_reply(call, &reply.base);
cleanup:
	free(rows);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

const char *handlers_check_comparator(const ProtobufCMessage *figure)
{
	return check_figure((const Csperf__V1__ComparatorFigure *)figure);
}
