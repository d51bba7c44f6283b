/*
 * settings.c: each council its own (issue 19): PutCouncilSettings,
 * GetCouncilSettings, PutReportCard and GetReportCards, and what the
 * scorecard reads of them (settings.h).
 *
 * A council's settings are checked whole before they are stored (every
 * indicator known to the catalogue, every target for a financial year and
 * finite, links short and printable, the scorecard's list without
 * repeats) and become a new version; nothing is stored when any part fails.
 * Report cards are staff's free text: checked (valid UTF-8 by the rpc layer,
 * bounded, no control characters but new lines and tabs), never logged, and
 * the audit trail records only the council, indicator and period.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "settings.h"
#include "../log.h"
#include "../store/store_settings.h"
#include "periods.h"

#include "csperf/v1/scorecards.pb-c.h"

typedef Csperf__V1__CouncilSettings Settings;
typedef Csperf__V1__IndicatorSettings IndicatorSettings;

/* As for definitions (indicators.c). */
#define TARGET_LIMIT 1e12
#define LINK_MAX 100
#define SCORECARD_MAX 300
#define NAME_MAX_BYTES 200
#define TEXT_MAX_BYTES 4000

/* ---- the catalogue's ids ---- */

typedef struct id_list {
	char **ids;
	size_t count;
	bool failed;
} id_list;

static int keep_id(const store_indicator_row *r, void *ctx)
{
	id_list *l = ctx;
	char **grown = realloc(l->ids, (l->count + 1) * sizeof(*grown));

	if (grown == NULL || (grown[l->count] = strdup(r->indicator_id)) == NULL) {
		if (grown != NULL)
			l->ids = grown;
		l->failed = true;
		return 1;
	}
	l->ids = grown;
	l->count++;
	return 0;
}

static bool id_listed(const id_list *l, const char *id)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->ids[i], id) == 0)
			return true;
	return false;
}

static void id_list_free(id_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->ids[i]);
	free(l->ids);
}

/* ---- checking a put ---- */

static bool valid_link(const char *text)
{
	return handlers_printable(text, LINK_MAX);
}

/* One indicator's settings into `into` (an object keyed by indicator id):
 * replaced whole, or merged (targets by year, links where given). 0, or -1
 * with st naming the indicator, field and value. */
static int add_indicator(json_t *into, const IndicatorSettings *s, size_t index,
			 const id_list *catalogue, bool merge, status *st)
{
	json_t *entry, *targets;
	char err[256];

	if (!handlers_valid_indicator_id(s->indicator_id) || !id_listed(catalogue, s->indicator_id))
		return status_set(st, STATUS_INVALID_ARGUMENT, "indicators[%zu]: indicator_id \"%.20s\" "
				  "is not an indicator of the catalogue (csperf indicators list)",
				  index, s->indicator_id);
	if (!valid_link(s->corporate_risk))
		return status_set(st, STATUS_INVALID_ARGUMENT, "indicators[%zu] (%s): corporate_risk "
				  "must be at most %d printable bytes", index, s->indicator_id, LINK_MAX);
	if (!valid_link(s->budget_line))
		return status_set(st, STATUS_INVALID_ARGUMENT, "indicators[%zu] (%s): budget_line "
				  "must be at most %d printable bytes", index, s->indicator_id, LINK_MAX);
	entry = json_object_get(into, s->indicator_id);
	if (entry == NULL || !merge) {
		entry = json_object();
		if (entry == NULL || json_object_set_new(into, s->indicator_id, entry) != 0)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	targets = json_object_get(entry, "targets");
	if (targets == NULL) {
		targets = json_object();
		if (targets == NULL || json_object_set_new(entry, "targets", targets) != 0)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	for (size_t i = 0; i < s->n_targets; i++) {
		const Csperf__V1__Target *t = s->targets[i];
		report_period year;
		json_t *one;

		if (period_parse(t->year, &year, err, sizeof(err)) != 0 || year.type != PERIOD_YEAR)
			return status_set(st, STATUS_INVALID_ARGUMENT, "indicators[%zu] (%s): year "
					  "\"%.24s\" is not a financial year such as 2018-19", index,
					  s->indicator_id, t->year);
		if (!(t->target >= -TARGET_LIMIT && t->target <= TARGET_LIMIT))
			return status_set(st, STATUS_INVALID_ARGUMENT, "indicators[%zu] (%s) %s: target "
					  "%g is not a number from -%.0f to %.0f", index,
					  s->indicator_id, year.label, t->target, TARGET_LIMIT, TARGET_LIMIT);
		if (!(t->tolerance >= 0 && t->tolerance <= TARGET_LIMIT))
			return status_set(st, STATUS_INVALID_ARGUMENT, "indicators[%zu] (%s) %s: "
					  "tolerance %g is not a number from 0 to %.0f", index,
					  s->indicator_id, year.label, t->tolerance, TARGET_LIMIT);
		one = json_pack("{s:f, s:f}", "target", t->target, "tolerance", t->tolerance);
		if (one == NULL || json_object_set_new(targets, year.label, one) != 0)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	/* "" keeps the catalogue's link (or, merged, the council's own);
	 * "none" links to none. */
	if (s->corporate_risk[0] != '\0')
		json_object_set_new(entry, "corporate_risk",
				    json_string(strcmp(s->corporate_risk, "none") == 0 ? ""
						: s->corporate_risk));
	if (s->budget_line[0] != '\0')
		json_object_set_new(entry, "budget_line",
				    json_string(strcmp(s->budget_line, "none") == 0 ? ""
						: s->budget_line));
	return 0;
}

/* The scorecard's list, comma-separated, into out (malloc'd). */
static int scorecard_csv(char *const *ids, size_t n, const id_list *catalogue, char **out,
			 status *st)
{
	size_t used = 0;

	*out = calloc(n * 17 + 1, 1);
	if (*out == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	if (n > SCORECARD_MAX)
		return status_set(st, STATUS_INVALID_ARGUMENT, "scorecard lists %zu indicators: at "
				  "most %d", n, SCORECARD_MAX);
	for (size_t i = 0; i < n; i++) {
		if (!handlers_valid_indicator_id(ids[i]) || !id_listed(catalogue, ids[i]))
			return status_set(st, STATUS_INVALID_ARGUMENT, "scorecard[%zu]: \"%.20s\" is "
					  "not an indicator of the catalogue", i, ids[i]);
		for (size_t k = 0; k < i; k++)
			if (strcmp(ids[k], ids[i]) == 0)
				return status_set(st, STATUS_INVALID_ARGUMENT, "scorecard[%zu]: %s is "
						  "listed twice", i, ids[i]);
		used += (size_t)sprintf(*out + used, "%s%s", i > 0 ? "," : "", ids[i]);
	}
	return 0;
}

/* ---- settings to messages ---- */

static void settings_free(Settings *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_indicators; i++) {
		IndicatorSettings *s = m->indicators[i];

		for (size_t k = 0; k < s->n_targets; k++) {
			free(s->targets[k]->year);
			free(s->targets[k]);
		}
		free(s->targets);
		free(s->indicator_id);
		free(s->corporate_risk);
		free(s->budget_line);
		free(s);
	}
	free(m->indicators);
	for (size_t i = 0; i < m->n_scorecard; i++)
		free(m->scorecard[i]);
	free(m->scorecard);
	free(m->council);
	free(m->created_at);
	free(m->created_by);
	free(m);
}

/* A link as sent: absent "" (the catalogue's), stored "" as "none". */
static char *link_text(json_t *entry, const char *name)
{
	json_t *v = json_object_get(entry, name);

	if (!json_is_string(v))
		return strdup("");
	return strdup(json_string_value(v)[0] != '\0' ? json_string_value(v) : "none");
}

static IndicatorSettings *indicator_settings(const char *id, json_t *entry)
{
	IndicatorSettings *s = calloc(1, sizeof(*s));
	json_t *targets = json_object_get(entry, "targets"), *value;
	const char *year;

	if (s == NULL)
		return NULL;
	csperf__v1__indicator_settings__init(s);
	s->indicator_id = strdup(id);
	s->corporate_risk = link_text(entry, "corporate_risk");
	s->budget_line = link_text(entry, "budget_line");
	s->targets = calloc(json_object_size(targets) + 1, sizeof(*s->targets));
	if (s->targets == NULL)
		return s;
	json_object_foreach(targets, year, value) {
		Csperf__V1__Target *t = malloc(sizeof(*t));

		if (t == NULL)
			break;
		csperf__v1__target__init(t);
		t->year = strdup(year);
		t->target = json_number_value(json_object_get(value, "target"));
		t->tolerance = json_number_value(json_object_get(value, "tolerance"));
		s->targets[s->n_targets++] = t;
	}
	return s;
}

static Settings *settings_from_row(const char *council, const store_settings_row *r)
{
	Settings *m = calloc(1, sizeof(*m));
	json_t *root, *entry;
	const char *id;
	char *ids, *save = NULL;

	if (m == NULL)
		return NULL;
	csperf__v1__council_settings__init(m);
	m->council = strdup(council);
	m->version = r->version;
	m->created_at = strdup(r->created_at);
	m->created_by = strdup(r->created_by);
	root = json_loads(r->indicators, 0, NULL);
	m->indicators = calloc(json_object_size(root) + 1, sizeof(*m->indicators));
	json_object_foreach(root, id, entry) {
		if (m->indicators == NULL)
			break;
		m->indicators[m->n_indicators] = indicator_settings(id, entry);
		if (m->indicators[m->n_indicators] == NULL)
			break;
		m->n_indicators++;
	}
	json_decref(root);
	m->scorecard = calloc(strlen(r->scorecard) / 2 + 2, sizeof(char *));
	ids = strdup(r->scorecard);
	for (char *t = ids != NULL ? strtok_r(ids, ",", &save) : NULL;
	     t != NULL && m->scorecard != NULL; t = strtok_r(NULL, ",", &save))
		m->scorecard[m->n_scorecard++] = strdup(t);
	free(ids);
	if (m->council == NULL || m->created_at == NULL || m->created_by == NULL ||
	    m->indicators == NULL || m->scorecard == NULL) {
		settings_free(m);
		return NULL;
	}
	return m;
}

typedef struct settings_list {
	const char *council;
	Settings **items;
	size_t count;
	bool failed;
	char *indicators_json;   /* the current version's, for a merge */
	char *scorecard;
} settings_list;

static int collect_settings(const store_settings_row *r, void *ctx)
{
	settings_list *l = ctx;
	Settings **grown = realloc(l->items, (l->count + 1) * sizeof(*grown));

	if (grown == NULL || (grown[l->count] = settings_from_row(l->council, r)) == NULL) {
		if (grown != NULL)
			l->items = grown;
		l->failed = true;
		return 1;
	}
	l->items = grown;
	if (l->count == 0) {
		l->indicators_json = strdup(r->indicators);
		l->scorecard = strdup(r->scorecard);
		l->failed |= l->indicators_json == NULL || l->scorecard == NULL;
	}
	l->count++;
	return l->failed ? 1 : 0;
}

static void settings_list_free(settings_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		settings_free(l->items[i]);
	free(l->items);
	free(l->indicators_json);
	free(l->scorecard);
}

/* The council's settings, current first; a council with none gets a
 * version 0. */
static int read_settings(app *a, rpc_call *call, const char *council, bool history,
			 settings_list *l, status *st)
{
	if (store_council_settings_get(a->pool, rpc_call_remaining_ms(call), council, history,
				       collect_settings, l, st) != 0 || l->failed) {
		if (l->failed)
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return -1;
	}
	if (l->count == 0) {
		store_settings_row none = { 0, "{}", "", "", "" };

		return collect_settings(&none, l) != 0
			? status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory") : 0;
	}
	return 0;
}

void handle_get_council_settings(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetCouncilSettingsRequest *req =
		(Csperf__V1__GetCouncilSettingsRequest *)rpc_call_request(call);
	Csperf__V1__GetCouncilSettingsResponse reply =
		CSPERF__V1__GET_COUNCIL_SETTINGS_RESPONSE__INIT;
	settings_list l = { NULL, NULL, 0, false, NULL, NULL };
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a GetCouncilSettingsRequest");
		return;
	}
	l.council = req->council;
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
	} else if (read_settings(a, call, req->council, req->history, &l, &st) != 0) {
		rpc_call_fail_status(call, &st);
	} else {
		reply.settings = l.items[0];
		if (req->history && l.items[0]->version > 0) {
			reply.n_history = l.count - 1;
			reply.history = l.items + 1;
		}
		access_note_rows(call, (int64_t)l.count);
		rpc_call_reply(call, &reply.base);
	}
	settings_list_free(&l);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

void handle_put_council_settings(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__PutCouncilSettingsRequest *req =
		(Csperf__V1__PutCouncilSettingsRequest *)rpc_call_request(call);
	Csperf__V1__PutCouncilSettingsResponse reply =
		CSPERF__V1__PUT_COUNCIL_SETTINGS_RESPONSE__INIT;
	settings_list current = { NULL, NULL, 0, false, NULL, NULL };
	settings_list stored = { NULL, NULL, 0, false, NULL, NULL };
	id_list catalogue = { NULL, 0, false };
	status st = STATUS_INIT;
	json_t *indicators = NULL;
	char *json = NULL, *scorecard = NULL;
	const auth_principal *who = access_principal(call);
	int version = 0;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a PutCouncilSettingsRequest");
		return;
	}
	current.council = stored.council = req->council;
	if (!handlers_valid_council(req->council)) {
		status_set(&st, STATUS_INVALID_ARGUMENT,
			   "council must be an LA code of 3 to 9 letters and digits");
		goto fail;
	}
	if (store_indicators_list(a->pool, rpc_call_remaining_ms(call), NULL, NULL, false,
				  keep_id, &catalogue, &st) != 0 || catalogue.failed) {
		if (catalogue.failed)
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	if (req->merge && read_settings(a, call, req->council, false, &current, &st) != 0)
		goto fail;
	indicators = req->merge ? json_loads(current.indicators_json, 0, NULL) : json_object();
	if (indicators == NULL) {
		status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < req->n_indicators; i++) {
		for (size_t k = 0; k < i; k++)
			if (strcmp(req->indicators[k]->indicator_id, req->indicators[i]->indicator_id) == 0) {
				status_set(&st, STATUS_INVALID_ARGUMENT, "indicators[%zu]: %s is given "
					   "twice", i, req->indicators[i]->indicator_id);
				goto fail;
			}
		if (add_indicator(indicators, req->indicators[i], i, &catalogue, req->merge, &st) != 0)
			goto fail;
	}
	if (req->merge && !req->set_scorecard) {
		scorecard = strdup(current.scorecard);
		if (scorecard == NULL) {
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		}
	} else if (scorecard_csv(req->scorecard, req->n_scorecard, &catalogue, &scorecard,
				 &st) != 0) {
		goto fail;
	}
	json = json_dumps(indicators, JSON_COMPACT | JSON_SORT_KEYS);
	if (json == NULL) {
		status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	if (store_council_settings_put(a->pool, rpc_call_remaining_ms(call), req->council, json,
				       scorecard, who != NULL ? who->name : "api", &version,
				       &st) != 0 ||
	    read_settings(a, call, req->council, false, &stored, &st) != 0)
		goto fail;
	log_info("council %s settings version %d stored (%zu indicators)", req->council, version,
		 stored.items[0]->n_indicators);
	access_note_params(call, "version=%d merge=%s indicators=%zu", version,
			   req->merge ? "true" : "false", req->n_indicators);
	reply.settings = stored.items[0];
	rpc_call_reply(call, &reply.base);
	goto cleanup;
fail:
	rpc_call_fail_status(call, &st);
cleanup:
	json_decref(indicators);
	free(json);
	free(scorecard);
	id_list_free(&catalogue);
	settings_list_free(&current);
	settings_list_free(&stored);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- report cards ---- */

typedef Csperf__V1__ReportCard Card;

void settings_report_card_free(Card *c)
{
	if (c == NULL)
		return;
	free(c->council);
	free(c->indicator_id);
	free(c->period);
	free(c->lead_officer);
	free(c->data_owner);
	free(c->commentary);
	free(c->commentary_by);
	free(c->commentary_at);
	free(c->actions);
	free(c->actions_by);
	free(c->actions_at);
	free(c->created_at);
	free(c->created_by);
	free(c);
}

static Card *card_from_row(const store_report_card_row *r)
{
	Card *c = malloc(sizeof(*c));

	if (c == NULL)
		return NULL;
	csperf__v1__report_card__init(c);
	c->council = strdup(r->council);
	c->indicator_id = strdup(r->indicator_id);
	c->period = strdup(r->period);
	c->version = r->version;
	c->lead_officer = strdup(r->lead_officer);
	c->data_owner = strdup(r->data_owner);
	c->commentary = strdup(r->commentary);
	c->commentary_by = strdup(r->commentary_by);
	c->commentary_at = strdup(r->commentary_at);
	c->actions = strdup(r->actions);
	c->actions_by = strdup(r->actions_by);
	c->actions_at = strdup(r->actions_at);
	c->created_at = strdup(r->created_at);
	c->created_by = strdup(r->created_by);
	if (c->council == NULL || c->indicator_id == NULL || c->period == NULL ||
	    c->lead_officer == NULL || c->data_owner == NULL || c->commentary == NULL ||
	    c->commentary_by == NULL || c->commentary_at == NULL || c->actions == NULL ||
	    c->actions_by == NULL || c->actions_at == NULL || c->created_at == NULL ||
	    c->created_by == NULL) {
		settings_report_card_free(c);
		return NULL;
	}
	return c;
}

static int collect_card(const store_report_card_row *r, void *ctx)
{
	settings_cards *l = ctx;
	Card **grown = realloc(l->items, (l->count + 1) * sizeof(*grown));

	if (grown == NULL || (grown[l->count] = card_from_row(r)) == NULL) {
		if (grown != NULL)
			l->items = grown;
		l->failed = true;
		return 1;
	}
	l->items = grown;
	l->count++;
	return 0;
}

void settings_cards_free(settings_cards *l)
{
	for (size_t i = 0; i < l->count; i++)
		settings_report_card_free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int settings_cards_read(store_pool *pool, int64_t timeout_ms, const char *council,
			const char *period, settings_cards *out, status *st)
{
	memset(out, 0, sizeof(*out));
	if (store_report_cards_get(pool, timeout_ms, council, period, NULL, false, collect_card,
				   out, st) != 0 || out->failed) {
		if (out->failed)
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return -1;
	}
	return 0;
}

Card *settings_card_for(const settings_cards *l, const char *indicator_id)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i]->indicator_id, indicator_id) == 0)
			return l->items[i];
	return NULL;
}

/* Free text of staff: at most max bytes, no control character but new line
 * and tab (UTF-8 is checked by the rpc layer). */
static bool valid_text(const char *text, size_t max, bool multiline)
{
	size_t len = strlen(text);

	if (len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f)
			return false;
	}
	return true;
}

/* The report card checks of a request (fuzzed with the other checks):
 * names the field, never echoes the free text. */
static int check_card(const Csperf__V1__PutReportCardRequest *req, report_period *period,
		      status *st)
{
	char err[256];

	if (!handlers_valid_council(req->council))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "council must be an LA code of 3 to 9 letters and digits");
	if (!handlers_valid_indicator_id(req->indicator_id))
		return status_set(st, STATUS_INVALID_ARGUMENT, "indicator_id is not an indicator's "
				  "id: upper-case letters and digits, such as CN02");
	if (period_parse(req->period, period, err, sizeof(err)) != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s", err);
	if (!valid_text(req->lead_officer, NAME_MAX_BYTES, false))
		return status_set(st, STATUS_INVALID_ARGUMENT, "lead_officer must be at most %d bytes "
				  "on one line", NAME_MAX_BYTES);
	if (!valid_text(req->data_owner, NAME_MAX_BYTES, false))
		return status_set(st, STATUS_INVALID_ARGUMENT, "data_owner must be at most %d bytes "
				  "on one line", NAME_MAX_BYTES);
	if (!valid_text(req->commentary, TEXT_MAX_BYTES, true))
		return status_set(st, STATUS_INVALID_ARGUMENT, "commentary must be at most %d bytes, "
				  "with no control characters but new lines and tabs",
				  TEXT_MAX_BYTES);
	if (!valid_text(req->actions, TEXT_MAX_BYTES, true))
		return status_set(st, STATUS_INVALID_ARGUMENT, "actions must be at most %d bytes, "
				  "with no control characters but new lines and tabs",
				  TEXT_MAX_BYTES);
	for (size_t i = 0; i < req->n_update_fields; i++) {
		const char *f = req->update_fields[i];

		if (strcmp(f, "lead_officer") != 0 && strcmp(f, "data_owner") != 0 &&
		    strcmp(f, "commentary") != 0 && strcmp(f, "actions") != 0)
			return status_set(st, STATUS_INVALID_ARGUMENT, "update_fields[%zu] \"%.20s\" "
					  "is not one of lead_officer, data_owner, commentary, "
					  "actions", i, f);
	}
	return 0;
}

static bool updates(const Csperf__V1__PutReportCardRequest *req, const char *field)
{
	if (req->n_update_fields == 0)
		return true;
	for (size_t i = 0; i < req->n_update_fields; i++)
		if (strcmp(req->update_fields[i], field) == 0)
			return true;
	return false;
}

void handle_put_report_card(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__PutReportCardRequest *req =
		(Csperf__V1__PutReportCardRequest *)rpc_call_request(call);
	Csperf__V1__PutReportCardResponse reply = CSPERF__V1__PUT_REPORT_CARD_RESPONSE__INIT;
	settings_cards cards = { NULL, 0, false };
	id_list catalogue = { NULL, 0, false };
	const auth_principal *who = access_principal(call);
	store_report_card_put put;
	report_period period;
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a PutReportCardRequest");
		return;
	}
	if (check_card(req, &period, &st) != 0)
		goto fail;
	if (store_indicators_list(a->pool, rpc_call_remaining_ms(call), NULL, req->indicator_id,
				  false, keep_id, &catalogue, &st) != 0 || catalogue.failed)
		goto fail;
	if (catalogue.count == 0) {
		status_set(&st, STATUS_NOT_FOUND, "there is no indicator %s", req->indicator_id);
		goto fail;
	}
	memset(&put, 0, sizeof(put));
	put.council = req->council;
	put.indicator_id = req->indicator_id;
	put.period = period.label;
	put.written_by = who != NULL ? who->name : "api";
	put.set_lead_officer = updates(req, "lead_officer");
	put.set_data_owner = updates(req, "data_owner");
	put.set_commentary = updates(req, "commentary");
	put.set_actions = updates(req, "actions");
	put.lead_officer = req->lead_officer;
	put.data_owner = req->data_owner;
	put.commentary = req->commentary;
	put.actions = req->actions;
	if (store_report_card_write(a->pool, rpc_call_remaining_ms(call), &put, collect_card,
				    &cards, &st) != 0 || cards.count != 1) {
		if (cards.failed)
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	/* Never the text itself: who, which card, which version. */
	log_info("report card %s %s %s version %d written", req->council, req->indicator_id,
		 period.label, cards.items[0]->version);
	access_note_params(call, "indicator_id=%s period=%s version=%d", req->indicator_id,
			   period.label, cards.items[0]->version);
	reply.report_card = cards.items[0];
	rpc_call_reply(call, &reply.base);
	goto cleanup;
fail:
	if (catalogue.failed)
		status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	rpc_call_fail_status(call, &st);
cleanup:
	id_list_free(&catalogue);
	settings_cards_free(&cards);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

void handle_get_report_cards(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetReportCardsRequest *req =
		(Csperf__V1__GetReportCardsRequest *)rpc_call_request(call);
	Csperf__V1__GetReportCardsResponse reply = CSPERF__V1__GET_REPORT_CARDS_RESPONSE__INIT;
	settings_cards cards = { NULL, 0, false };
	report_period period;
	status st = STATUS_INIT;
	char err[256];

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetReportCardsRequest");
		return;
	}
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
	} else if (req->indicator_id[0] != '\0' && !handlers_valid_indicator_id(req->indicator_id)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "indicator_id is not an indicator's "
			      "id: upper-case letters and digits, such as CN02");
	} else if (period_parse(req->period, &period, err, sizeof(err)) != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "%s", err);
	} else if (store_report_cards_get(store_read_pool(a->pool, rpc_call_remaining_ms(call),
							  req->council),
					  rpc_call_remaining_ms(call), req->council, period.label,
					  req->indicator_id[0] != '\0' ? req->indicator_id : NULL,
					  req->history, collect_card, &cards, &st) != 0 ||
		   cards.failed) {
		if (cards.failed)
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		rpc_call_fail_status(call, &st);
	} else {
		reply.n_report_cards = cards.count;
		reply.report_cards = cards.items;
		access_note_rows(call, (int64_t)cards.count);
		rpc_call_reply(call, &reply.base);
	}
	settings_cards_free(&cards);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- what the scorecard applies ---- */

static int keep_overrides(const store_settings_row *r, void *ctx)
{
	settings_overrides *o = ctx;
	char *ids, *save = NULL;

	o->version = r->version;
	o->indicators = json_loads(r->indicators, 0, NULL);
	o->scorecard = calloc(strlen(r->scorecard) / 2 + 2, sizeof(char *));
	ids = strdup(r->scorecard);
	if (o->indicators == NULL || o->scorecard == NULL || ids == NULL) {
		free(ids);
		return 1;
	}
	for (char *t = strtok_r(ids, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		o->scorecard[o->nscorecard] = strdup(t);
		if (o->scorecard[o->nscorecard] == NULL) {
			free(ids);
			return 1;
		}
		o->nscorecard++;
	}
	free(ids);
	return 0;
}

int settings_overrides_read(store_pool *pool, int64_t timeout_ms, const char *council,
			    settings_overrides *out, status *st)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_council_settings_get(pool, timeout_ms, council, false, keep_overrides, out, st);
	if (rc > 0)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	return rc;
}

void settings_overrides_free(settings_overrides *o)
{
	json_decref(o->indicators);
	for (size_t i = 0; i < o->nscorecard; i++)
		free(o->scorecard[i]);
	free(o->scorecard);
	memset(o, 0, sizeof(*o));
}

char *settings_own_targets(const settings_overrides *o, const char *indicator_id)
{
	json_t *targets = json_object_get(json_object_get(o->indicators, indicator_id), "targets");

	if (json_object_size(targets) == 0)
		return NULL;
	return json_dumps(targets, JSON_COMPACT | JSON_SORT_KEYS);
}

char *settings_merge_targets(const char *catalogue, const char *own)
{
	json_t *merged = json_loads(catalogue, 0, NULL), *mine = json_loads(own, 0, NULL);
	char *out = NULL;

	if (merged == NULL)
		merged = json_object();
	if (merged != NULL && mine != NULL && json_object_update(merged, mine) == 0)
		out = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(merged);
	json_decref(mine);
	return out;
}

const char *settings_link(const settings_overrides *o, const char *indicator_id,
			  const char *which)
{
	json_t *v = json_object_get(json_object_get(o->indicators, indicator_id), which);

	return json_is_string(v) ? json_string_value(v) : NULL;
}
