/*
 * settings.c: a council's own settings and its report cards
 * (PutCouncilSettings, GetCouncilSettings, PutReportCard, GetReportCards).
 * Views point into the reply, which the list keeps until its _free.
 */
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "csperf/scorecards.h"
#include "csperf/v1/scorecards.pb-c.h"

/* ---- settings ---- */

/* What a settings list holds besides its views: the replies and the arrays
 * the views point to. */
typedef struct settings_hold {
	ProtobufCMessage *reply;
	csperf_council_settings *views;
	size_t count;
} settings_hold;

static void settings_hold_free(settings_hold *h)
{
	for (size_t i = 0; h->views != NULL && i < h->count; i++) {
		for (size_t k = 0; k < h->views[i].nindicators; k++)
			free((void *)h->views[i].indicators[k].targets);
		free((void *)h->views[i].indicators);
	}
	free(h->views);
	if (h->reply != NULL)
		protobuf_c_message_free_unpacked(h->reply, NULL);
	free(h);
}

static int view_settings(const Csperf__V1__CouncilSettings *m, csperf_council_settings *v)
{
	csperf_indicator_settings *ind = calloc(m->n_indicators + 1, sizeof(*ind));

	if (ind == NULL)
		return -1;
	v->council = m->council;
	v->version = m->version;
	v->indicators = ind;
	for (size_t i = 0; i < m->n_indicators; i++) {
		const Csperf__V1__IndicatorSettings *s = m->indicators[i];
		csperf_target *t = calloc(s->n_targets + 1, sizeof(*t));

		if (t == NULL)
			return -1;
		ind[i].indicator_id = s->indicator_id;
		ind[i].corporate_risk = s->corporate_risk;
		ind[i].budget_line = s->budget_line;
		for (size_t k = 0; k < s->n_targets; k++) {
			t[k].year = s->targets[k]->year;
			t[k].target = s->targets[k]->target;
			t[k].tolerance = s->targets[k]->tolerance;
		}
		ind[i].targets = t;
		ind[i].ntargets = s->n_targets;
		v->nindicators++;
	}
	v->nscorecard = m->n_scorecard;
	v->scorecard = (const char *const *)m->scorecard;
	v->created_at = m->created_at;
	v->created_by = m->created_by;
	return 0;
}

/* Wraps the reply's settings (first, then more) as a list. */
static int wrap_settings(ProtobufCMessage *reply, Csperf__V1__CouncilSettings *first,
			 Csperf__V1__CouncilSettings **more, size_t nmore,
			 csperf_council_settings_list **out, const char *what)
{
	csperf_council_settings_list *list = calloc(1, sizeof(*list));
	settings_hold *h = calloc(1, sizeof(*h));
	size_t n = (first != NULL ? 1 : 0) + nmore;

	if (list == NULL || h == NULL || (h->views = calloc(n + 1, sizeof(*h->views))) == NULL) {
		free(list);
		free(h);
		protobuf_c_message_free_unpacked(reply, NULL);
		return client_error(CSPERF_ENOMEM, "%s: out of memory", what);
	}
	h->reply = reply;
	for (size_t i = 0; i < n; i++) {
		const Csperf__V1__CouncilSettings *m = first != NULL ? (i == 0 ? first : more[i - 1])
								   : more[i];

		h->count++;
		if (view_settings(m, &h->views[i]) != 0) {
			settings_hold_free(h);
			free(list);
			return client_error(CSPERF_ENOMEM, "%s: out of memory", what);
		}
	}
	list->count = n;
	list->settings = h->views;
	list->internal = h;
	*out = list;
	return CSPERF_OK;
}

void csperf_council_settings_list_free(csperf_council_settings_list *list)
{
	if (list == NULL)
		return;
	if (list->internal != NULL)
		settings_hold_free(list->internal);
	free(list);
}

int csperf_council_settings_put(csperf_client *client, const csperf_council_settings *settings,
				unsigned int flags, csperf_council_settings_list **out)
{
	Csperf__V1__PutCouncilSettingsRequest req = CSPERF__V1__PUT_COUNCIL_SETTINGS_REQUEST__INIT;
	Csperf__V1__PutCouncilSettingsResponse *reply = NULL;
	Csperf__V1__IndicatorSettings *ind = NULL, **ind_ptrs = NULL;
	Csperf__V1__Target *targets = NULL, **target_ptrs = NULL;
	size_t ntargets = 0, used = 0;
	int rc = CSPERF_OK;

	if (out != NULL)
		*out = NULL;
	if (client == NULL || settings == NULL || settings->council == NULL)
		return client_error(CSPERF_EINVAL, "PutCouncilSettings: client, settings or council "
				    "is NULL");
	for (size_t i = 0; i < settings->nindicators; i++)
		ntargets += settings->indicators[i].ntargets;
	ind = calloc(settings->nindicators + 1, sizeof(*ind));
	ind_ptrs = calloc(settings->nindicators + 1, sizeof(*ind_ptrs));
	targets = calloc(ntargets + 1, sizeof(*targets));
	target_ptrs = calloc(ntargets + 1, sizeof(*target_ptrs));
	if (ind == NULL || ind_ptrs == NULL || targets == NULL || target_ptrs == NULL) {
		rc = client_error(CSPERF_ENOMEM, "PutCouncilSettings: out of memory");
		goto done;
	}
	for (size_t i = 0; i < settings->nindicators; i++) {
		const csperf_indicator_settings *s = &settings->indicators[i];

		csperf__v1__indicator_settings__init(&ind[i]);
		ind[i].indicator_id = (char *)(s->indicator_id != NULL ? s->indicator_id : "");
		ind[i].corporate_risk = (char *)(s->corporate_risk != NULL ? s->corporate_risk : "");
		ind[i].budget_line = (char *)(s->budget_line != NULL ? s->budget_line : "");
		ind[i].targets = &target_ptrs[used];
		ind[i].n_targets = s->ntargets;
		for (size_t k = 0; k < s->ntargets; k++, used++) {
			csperf__v1__target__init(&targets[used]);
			targets[used].year = (char *)(s->targets[k].year != NULL ? s->targets[k].year
						      : "");
			targets[used].target = s->targets[k].target;
			targets[used].tolerance = s->targets[k].tolerance;
			target_ptrs[used] = &targets[used];
		}
		ind_ptrs[i] = &ind[i];
	}
	req.council = (char *)settings->council;
	req.n_indicators = settings->nindicators;
	req.indicators = ind_ptrs;
	req.n_scorecard = settings->nscorecard;
	req.scorecard = (char **)settings->scorecard;
	req.merge = (flags & CSPERF_SETTINGS_MERGE) != 0;
	req.set_scorecard = (flags & CSPERF_SETTINGS_SET_SCORECARD) != 0;
	rc = client_unary(client, "/csperf.v1.Performance/PutCouncilSettings", "PutCouncilSettings",
			  &req.base, &csperf__v1__put_council_settings_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		goto done;
	if (out == NULL)
		protobuf_c_message_free_unpacked(&reply->base, NULL);
	else
		rc = wrap_settings(&reply->base, reply->settings, NULL, 0, out, "PutCouncilSettings");
done:
	free(ind);
	free(ind_ptrs);
	free(targets);
	free(target_ptrs);
	return rc;
}

int csperf_council_settings_get(csperf_client *client, const char *council, int history,
				csperf_council_settings_list **out)
{
	Csperf__V1__GetCouncilSettingsRequest req = CSPERF__V1__GET_COUNCIL_SETTINGS_REQUEST__INIT;
	Csperf__V1__GetCouncilSettingsResponse *reply = NULL;
	int rc;

	if (client == NULL || council == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetCouncilSettings: client, council or out is NULL");
	*out = NULL;
	req.council = (char *)council;
	req.history = history != 0;
	rc = client_unary(client, "/csperf.v1.Performance/GetCouncilSettings", "GetCouncilSettings",
			  &req.base, &csperf__v1__get_council_settings_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	return wrap_settings(&reply->base, reply->settings, reply->history, reply->n_history, out,
			     "GetCouncilSettings");
}

/* ---- report cards ---- */

void client_view_card(const Csperf__V1__ReportCard *m, csperf_report_card *v)
{
	v->council = m->council;
	v->indicator_id = m->indicator_id;
	v->period = m->period;
	v->version = m->version;
	v->lead_officer = m->lead_officer;
	v->data_owner = m->data_owner;
	v->commentary = m->commentary;
	v->commentary_by = m->commentary_by;
	v->commentary_at = m->commentary_at;
	v->actions = m->actions;
	v->actions_by = m->actions_by;
	v->actions_at = m->actions_at;
	v->created_at = m->created_at;
	v->created_by = m->created_by;
}

static int wrap_cards(ProtobufCMessage *reply, Csperf__V1__ReportCard **cards, size_t n,
		      csperf_report_card_list **out, const char *what)
{
	csperf_report_card_list *list = calloc(1, sizeof(*list));
	csperf_report_card *views = calloc(n + 1, sizeof(*views));

	if (list == NULL || views == NULL) {
		free(list);
		free(views);
		protobuf_c_message_free_unpacked(reply, NULL);
		return client_error(CSPERF_ENOMEM, "%s: out of memory", what);
	}
	for (size_t i = 0; i < n; i++)
		client_view_card(cards[i], &views[i]);
	list->count = n;
	list->cards = views;
	list->internal = reply;
	*out = list;
	return CSPERF_OK;
}

void csperf_report_card_list_free(csperf_report_card_list *list)
{
	if (list == NULL)
		return;
	if (list->internal != NULL)
		protobuf_c_message_free_unpacked(list->internal, NULL);
	free((void *)list->cards);
	free(list);
}

int csperf_report_card_put(csperf_client *client, const csperf_report_card *card,
			   unsigned int fields, csperf_report_card_list **out)
{
	Csperf__V1__PutReportCardRequest req = CSPERF__V1__PUT_REPORT_CARD_REQUEST__INIT;
	Csperf__V1__PutReportCardResponse *reply = NULL;
	char *update[4];
	int rc;

	if (out != NULL)
		*out = NULL;
	if (client == NULL || card == NULL || card->council == NULL || card->indicator_id == NULL ||
	    card->period == NULL)
		return client_error(CSPERF_EINVAL, "PutReportCard: client, card, council, "
				    "indicator_id or period is NULL");
#define TEXT(field) (char *)(card->field != NULL ? card->field : "")
	req.council = TEXT(council);
	req.indicator_id = TEXT(indicator_id);
	req.period = TEXT(period);
	req.lead_officer = TEXT(lead_officer);
	req.data_owner = TEXT(data_owner);
	req.commentary = TEXT(commentary);
	req.actions = TEXT(actions);
#undef TEXT
	if ((fields & CSPERF_CARD_LEAD_OFFICER) != 0)
		update[req.n_update_fields++] = "lead_officer";
	if ((fields & CSPERF_CARD_DATA_OWNER) != 0)
		update[req.n_update_fields++] = "data_owner";
	if ((fields & CSPERF_CARD_COMMENTARY) != 0)
		update[req.n_update_fields++] = "commentary";
	if ((fields & CSPERF_CARD_ACTIONS) != 0)
		update[req.n_update_fields++] = "actions";
	req.update_fields = update;
	rc = client_unary(client, "/csperf.v1.Performance/PutReportCard", "PutReportCard",
			  &req.base, &csperf__v1__put_report_card_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	if (out == NULL) {
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return CSPERF_OK;
	}
	return wrap_cards(&reply->base, &reply->report_card, reply->report_card != NULL ? 1 : 0,
			  out, "PutReportCard");
}

int csperf_report_cards_get(csperf_client *client, const char *council, const char *period,
			    const char *indicator_id, int history, csperf_report_card_list **out)
{
	Csperf__V1__GetReportCardsRequest req = CSPERF__V1__GET_REPORT_CARDS_REQUEST__INIT;
	Csperf__V1__GetReportCardsResponse *reply = NULL;
	int rc;

	if (client == NULL || council == NULL || period == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetReportCards: client, council, period or out "
				    "is NULL");
	*out = NULL;
	req.council = (char *)council;
	req.period = (char *)period;
	req.indicator_id = (char *)(indicator_id != NULL ? indicator_id : "");
	req.history = history != 0;
	rc = client_unary(client, "/csperf.v1.Performance/GetReportCards", "GetReportCards",
			  &req.base, &csperf__v1__get_report_cards_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	return wrap_cards(&reply->base, reply->report_cards, reply->n_report_cards, out,
			  "GetReportCards");
}
