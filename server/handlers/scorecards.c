/*
 * scorecards.c: GetScorecard and GetExceptions.
 *
 * Both read precomputed values only (indicator_value, by its primary key):
 * the period asked for, the one before, the same one a year before, last
 * year's out-turn, this year's quarters (or the last twelve months) and the
 * periods the "worse three times running" criterion needs, in one query.
 * The engine (engine/scorecard.c) turns them into rows and exceptions as
 * plain C; this file reads the store and maps those rows to protobuf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "costs.h"
#include "org_units.h"
#include "read_cache.h"
#include "../compute.h"
#include "settings.h"
#include "../engine/engine.h"
#include "../engine/judge.h"
#include "../engine/scorecard.h"
#include "watch.h"
#include "../log.h"
#include "dates.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

typedef Csperf__V1__ScorecardRow Row;
typedef Csperf__V1__Figure Figure;

/* The definitions read from the store; the engine borrows their strings. */
typedef struct definitions {
	scorecard_definition *items;
	size_t count;
	bool failed;
	/* A council's own settings (settings.h): each item's own targets
	 * (NULL: the catalogue's), and the items shown, in order. */
	char **own_targets;
	size_t *order;
	size_t norder;
} definitions;

typedef struct value_reader {
	scorecard_values *values;
	bool failed;
} value_reader;

static int keep_value(const char *indicator_id, const store_series_row *r, void *ctx)
{
	value_reader *reader = ctx;

	if (scorecard_values_add(reader->values, indicator_id, r->period, r->breakdown,
				 r->numerator, r->denominator, r->value, r->provisional,
				 r->version) != 0) {
		reader->failed = true;
		return 1;
	}
	return 0;
}

static char *copy_or_fail(const char *text, bool *failed)
{
	char *copy = strdup(text);

	*failed |= copy == NULL;
	return copy;
}

static int keep_definition(const store_indicator_row *r, void *ctx)
{
	definitions *defs = ctx;
	scorecard_definition *grown = realloc(defs->items, (defs->count + 1) * sizeof(*grown)), *d;

	if (grown == NULL) {
		defs->failed = true;
		return 1;
	}
	defs->items = grown;
	d = &grown[defs->count++];
	d->id = copy_or_fail(r->indicator_id, &defs->failed);
	d->title = copy_or_fail(r->title, &defs->failed);
	d->stage = copy_or_fail(r->stage, &defs->failed);
	d->unit = copy_or_fail(r->unit, &defs->failed);
	d->polarity = copy_or_fail(r->polarity, &defs->failed);
	d->kind = copy_or_fail(r->kind, &defs->failed);
	d->risk = copy_or_fail(r->corporate_risk, &defs->failed);
	d->budget_line = copy_or_fail(r->budget_line, &defs->failed);
	d->targets = copy_or_fail(r->targets, &defs->failed);
	d->threshold = r->small_number_threshold;
	return defs->failed ? 1 : 0;
}

static void definitions_free(definitions *defs)
{
	for (size_t i = 0; i < defs->count; i++) {
		scorecard_definition *d = &defs->items[i];

		free((char *)d->id);
		free((char *)d->title);
		free((char *)d->stage);
		free((char *)d->unit);
		free((char *)d->polarity);
		free((char *)d->kind);
		free((char *)d->risk);
		free((char *)d->budget_line);
		free((char *)d->targets);
		if (defs->own_targets != NULL)
			free(defs->own_targets[i]);
	}
	free(defs->items);
	free(defs->own_targets);
	free(defs->order);
}

/* Replaces a borrowed-by-the-engine string of a definition with a copy of
 * text; -1 when out of memory. */
static int replace_text(const char **field, const char *text)
{
	char *copy = strdup(text);

	if (copy == NULL)
		return -1;
	free((char *)*field);
	*field = copy;
	return 0;
}

/* The council's own settings over the catalogue's (docs/indicators.md,
 * "Targets and a council's own settings"): its targets for the years it
 * sets, its links where it sets them, and its scorecard's list and order
 * over the definitions read (already the catalogue's for its nation). */
static int apply_settings(definitions *defs, const settings_overrides *o, status *st)
{
	defs->own_targets = calloc(defs->count + 1, sizeof(*defs->own_targets));
	defs->order = calloc(defs->count + 1, sizeof(*defs->order));
	if (defs->own_targets == NULL || defs->order == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < defs->count; i++) {
		scorecard_definition *d = &defs->items[i];
		const char *risk = settings_link(o, d->id, "corporate_risk");
		const char *line = settings_link(o, d->id, "budget_line");
		char *merged;

		defs->own_targets[i] = settings_own_targets(o, d->id);
		if (defs->own_targets[i] != NULL) {
			merged = settings_merge_targets(d->targets, defs->own_targets[i]);
			if (merged == NULL)
				return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			free((char *)d->targets);
			d->targets = merged;
		}
		if ((risk != NULL && replace_text(&d->risk, risk) != 0) ||
		    (line != NULL && replace_text(&d->budget_line, line) != 0))
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	if (o->nscorecard == 0) {
		for (size_t i = 0; i < defs->count; i++)
			defs->order[defs->norder++] = i;
		return 0;
	}
	for (size_t k = 0; k < o->nscorecard; k++)
		for (size_t i = 0; i < defs->count; i++)
			if (strcmp(defs->items[i].id, o->scorecard[k]) == 0) {
				defs->order[defs->norder++] = i;
				break;
			}
	return 0;
}

typedef struct peer_reader {
	scorecard_peers *peers;
	bool neighbours;
} peer_reader;

static int keep_peer(const char *indicator_id, double average, int councils,
		     double smallest_count, void *ctx)
{
	peer_reader *reader = ctx;

	return scorecard_peers_add(reader->peers, indicator_id, average, councils, smallest_count,
				   reader->neighbours) != 0;
}

typedef struct published_reader {
	scorecard_published_list *list;
	const scorecard_periods *periods;
} published_reader;

static int keep_published(const store_benchmark *m, void *ctx)
{
	published_reader *reader = ctx;
	scorecard_published figure;

	memset(&figure, 0, sizeof(figure));
	snprintf(figure.indicator_id, sizeof(figure.indicator_id), "%s", m->indicator_id);
	snprintf(figure.area_type, sizeof(figure.area_type), "%s", m->area_type);
	snprintf(figure.area, sizeof(figure.area), "%s", m->area);
	snprintf(figure.period, sizeof(figure.period), "%s", m->period);
	snprintf(figure.source, sizeof(figure.source), "%s", m->source);
	snprintf(figure.symbol, sizeof(figure.symbol), "%s", m->symbol);
	snprintf(figure.release, sizeof(figure.release), "%s", m->release);
	figure.value = m->value;
	figure.present = m->present;
	figure.rank = m->rank;
	figure.ranked = m->ranked;
	figure.contributors = m->contributors;
	return scorecard_published_keep(reader->list, reader->periods, &figure) != 0;
}

static Figure *new_figure(judge_figure f)
{
	Figure *out = malloc(sizeof(*out));

	if (out == NULL)
		return NULL;
	csperf__v1__figure__init(out);
	out->present = f.present;
	out->value = f.present ? f.value : 0;
	out->suppressed = !f.present && f.suppressed;
	return out;
}

static void row_free(Row *row)
{
	if (row == NULL)
		return;
	free(row->value);
	free(row->numerator);
	free(row->denominator);
	free(row->last_year);
	free(row->target);
	free(row->tolerance);
	free(row->previous);
	free(row->year_ago);
	for (size_t i = 0; i < row->n_trend; i++) {
		free(row->trend[i]->value);
		free(row->trend[i]);
	}
	free(row->trend);
	for (size_t i = 0; i < row->n_comparators; i++) {
		free(row->comparators[i]->value);
		free(row->comparators[i]);
	}
	free(row->comparators);
	for (size_t i = 0; i < row->n_breakdown; i++) {
		free(row->breakdown[i]->numerator);
		free(row->breakdown[i]->value);
		free(row->breakdown[i]);
	}
	free(row->breakdown);
	free(row);
}

/* Maps the engine's row to protobuf; the strings it points to are the
 * definition's, the periods' and the engine row's tables', which outlive the
 * reply. NULL when out of memory. */
static Row *build_row(const scorecard_row *r)
{
	const scorecard_definition *d = r->definition;
	Row *row = malloc(sizeof(*row));
	bool failed = false;

	if (row == NULL)
		return NULL;
	csperf__v1__scorecard_row__init(row);
	row->indicator_id = (char *)d->id;
	row->title = (char *)d->title;
	row->stage = (char *)d->stage;
	row->unit = (char *)r->unit;
	row->polarity = (char *)d->polarity;
	row->period = (char *)r->period;
	row->corporate_risk = (char *)d->risk;
	row->budget_line = (char *)d->budget_line;
	row->suppressed = r->suppressed;
	row->value = new_figure(r->value);
	row->numerator = new_figure(r->numerator);
	row->denominator = new_figure(r->denominator);
	row->provisional = r->provisional;
	row->version = r->version;
	row->small_number = r->small_number;
	row->last_year = new_figure(r->last_year);
	row->previous = new_figure(r->previous);
	row->year_ago = new_figure(r->year_ago);
	row->target = new_figure(r->target);
	row->tolerance = new_figure((judge_figure){ r->target.present, r->tolerance, false });
	row->rag = (char *)judge_rag_name(r->rag);
	row->direction = (char *)judge_direction_name(r->direction);
	row->direction_year = (char *)judge_direction_name(r->direction_year);

	row->trend = calloc(r->ntrend + 1, sizeof(*row->trend));
	for (size_t i = 0; row->trend != NULL && i < r->ntrend; i++) {
		Csperf__V1__PeriodValue *pv = malloc(sizeof(*pv));

		if (pv == NULL) {
			failed = true;
			break;
		}
		csperf__v1__period_value__init(pv);
		pv->period = (char *)r->trend[i].period;
		pv->value = new_figure(r->trend[i].value);
		row->trend[row->n_trend++] = pv;
		failed |= pv->value == NULL;
	}
	row->comparators = calloc(r->ncomparators + 1, sizeof(*row->comparators));
	for (size_t i = 0; row->comparators != NULL && i < r->ncomparators; i++) {
		const scorecard_comparator *from = &r->comparators[i];
		Csperf__V1__Comparator *c = malloc(sizeof(*c));

		if (c == NULL) {
			failed = true;
			break;
		}
		csperf__v1__comparator__init(c);
		c->name = (char *)from->name;
		c->area_type = (char *)from->area_type;
		c->year = (char *)from->year;
		c->value = new_figure(from->value);
		c->source = (char *)from->source;
		c->area = (char *)from->area;
		c->symbol = (char *)from->symbol;
		c->release = (char *)from->release;
		c->rank = from->rank;
		c->ranked = from->ranked;
		c->quartile = from->quartile;
		c->contributors = from->contributors;
		row->comparators[row->n_comparators++] = c;
		failed |= c->value == NULL;
	}
	row->breakdown = calloc(r->nbreakdown + 1, sizeof(*row->breakdown));
	for (size_t i = 0; row->breakdown != NULL && i < r->nbreakdown; i++) {
		Csperf__V1__BreakdownRow *b = malloc(sizeof(*b));

		if (b == NULL) {
			failed = true;
			break;
		}
		csperf__v1__breakdown_row__init(b);
		b->code = (char *)r->breakdown[i].code;
		b->numerator = new_figure(r->breakdown[i].numerator);
		b->value = new_figure(r->breakdown[i].value);
		row->breakdown[row->n_breakdown++] = b;
		failed |= b->numerator == NULL || b->value == NULL;
	}
	if (failed || row->value == NULL || row->numerator == NULL || row->denominator == NULL ||
	    row->last_year == NULL || row->previous == NULL || row->year_ago == NULL ||
	    row->target == NULL || row->tolerance == NULL || row->trend == NULL ||
	    row->comparators == NULL || row->breakdown == NULL) {
		row_free(row);
		return NULL;
	}
	return row;
}

typedef struct scorecard {
	scorecard_periods periods;
	definitions defs;
	scorecard_values values;
	scorecard_peers peer_averages;
	scorecard_published_list published;
	char council_name[128];
	char data_to[16];
	scorecard_row *engine_rows;   /* the engine's rows, which the reply's rows borrow from */
	Row **rows;
	size_t nrows;
	bool from_primary;   /* read from the primary, not a replica */
	struct handlers_quality *quality;  /* validation.c: rows' failing records */
	settings_cards cards;         /* the report cards the rows point to */
} scorecard;

static void scorecard_free(scorecard *sc)
{
	for (size_t i = 0; i < sc->nrows; i++) {
		row_free(sc->rows[i]);
		scorecard_row_free(&sc->engine_rows[i]);
	}
	free(sc->rows);
	free(sc->engine_rows);
	definitions_free(&sc->defs);
	scorecard_values_free(&sc->values);
	free(sc->peer_averages.items);
	free(sc->published.items);
	handlers_quality_free(sc->quality);
	settings_cards_free(&sc->cards);
}

int scorecards_check_org_unit(const char *org_unit, status *st)
{
	if (org_unit[0] != '\0' && strcmp(org_unit, "council") != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT, "WatchScorecard streams the council's "
				  "scorecard only: a locality's or a team's is computed on request "
				  "(GetScorecard with org_unit)");
	return 0;
}

/* ---- an org unit's values, computed on request ---- */

static int keep_org_value(const char *indicator_id, const store_series_row *r, void *ctx)
{
	return keep_value(indicator_id, r, ctx);
}

/* The scorecard's periods, once each, as the store takes them. */
static size_t org_periods(const scorecard_periods *ps, store_period *out, size_t max)
{
	const report_period *all[SCORECARD_MAX_PERIODS + 8];
	size_t n = 0, kept = 0;

	all[n++] = &ps->asked;
	all[n++] = &ps->previous;
	all[n++] = &ps->year_ago;
	all[n++] = &ps->last_year;
	all[n++] = &ps->year_before_last;
	for (size_t i = 0; i < ps->ntrend; i++)
		all[n++] = &ps->trend[i];
	for (size_t i = 0; i < 3; i++)
		all[n++] = &ps->before[i];
	for (size_t i = 0; i < n && kept < max; i++) {
		bool seen = all[i]->label[0] == '\0';

		for (size_t j = 0; j < kept && !seen; j++)
			seen = strcmp(out[j].label, all[i]->label) == 0;
		if (seen)
			continue;
		snprintf(out[kept].label, sizeof(out[kept].label), "%s", all[i]->label);
		out[kept].type = period_type_name(all[i]->type);
		csperf_date_format_iso(all[i]->start, out[kept].start);
		csperf_date_format_iso(all[i]->end, out[kept].end);
		kept++;
	}
	return kept;
}

/* Computes the org unit's values of the scorecard's indicators and periods
 * into sc->values, on the primary (the computation makes temporary views,
 * which a replica cannot). */
static int org_values(app *a, int64_t timeout, const char *council, const store_org_unit *unit,
		      scorecard *sc, value_reader *values, status *st)
{
	store_period periods[SCORECARD_MAX_PERIODS + 8];
	const char **ids = calloc(sc->defs.count + 1, sizeof(*ids));
	compute_org_request req;
	int rc;

	if (ids == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < sc->defs.count; i++)
		ids[i] = sc->defs.items[i].id;
	memset(&req, 0, sizeof(req));
	req.unit = unit;
	req.ids = ids;
	req.nids = sc->defs.count;
	req.periods = periods;
	req.nperiods = org_periods(&sc->periods, periods, sizeof(periods) / sizeof(periods[0]));
	rc = compute_org_unit(a->pool, timeout, council, &req, keep_org_value, values, st);
	free(ids);
	if (rc == 0 && values->failed)
		rc = status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	return rc;
}

int scorecards_check_request(const char *council, const char *period, const char *stage,
			     status *st)
{
	static const char *const stages[] = {
		"early_help", "front_door", "assessment", "child_protection", "looked_after",
		"adoption", "care_leavers", "workforce", "youth_justice", "finance", NULL
	};
	report_period asked;
	char err[256];
	bool stage_ok = stage == NULL;

	if (!handlers_valid_council(council))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "council must be an LA code of 3 to 9 letters and digits");
	if (period_parse(period, &asked, err, sizeof(err)) != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s", err);
	for (size_t i = 0; stages[i] != NULL && !stage_ok; i++)
		stage_ok = strcmp(stage, stages[i]) == 0;
	if (!stage_ok)
		return status_set(st, STATUS_INVALID_ARGUMENT, "stage must be one of early_help, "
				  "front_door, assessment, child_protection, looked_after, adoption, "
				  "care_leavers, workforce, youth_justice, finance");
	return 0;
}

/* Checks the request and reads and judges everything, hiding small numbers
 * when threshold > 0. On failure fills st. */
static int build_scorecard_as(app *a, int64_t timeout, int threshold, const char *council,
			      const store_org_unit *unit, const char *period, const char *stage,
			      scorecard *sc, status *st)
{
	report_period asked;
	char err[256];
	char published_periods[128];
	store_pool *reads;
	value_reader values = { NULL, false };
	peer_reader all_councils = { NULL, false }, neighbours = { NULL, true };
	published_reader published = { NULL, NULL };
	settings_overrides overrides = { NULL, NULL, 0, 0 };
	int rc;

	memset(sc, 0, sizeof(*sc));
	if (scorecards_check_request(council, period, stage, st) != 0)
		return -1;
	if (period_parse(period, &asked, err, sizeof(err)) != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT, "%s", err);
	scorecard_periods_make(&asked, &sc->periods);
	scorecard_published_periods(&sc->periods, published_periods, sizeof(published_periods));
	values.values = &sc->values;
	all_councils.peers = neighbours.peers = &sc->peer_averages;
	published.list = &sc->published;
	published.periods = &sc->periods;
	/* A replica that has replayed the council's latest write, or the
	 * primary (docs/SCALING.md). */
	reads = unit != NULL && unit->kind != STORE_ORG_COUNCIL ? a->pool :
		store_read_pool(a->pool, timeout, council);
	sc->from_primary = reads == a->pool;
	if (store_council_info(reads, timeout, council, sc->council_name, sc->data_to, st) != 0 ||
	    settings_overrides_read(reads, timeout, council, &overrides, st) != 0 ||
	    store_indicators_for_council(reads, timeout, council, stage, keep_definition,
					 &sc->defs, st) != 0 ||
	    (unit != NULL && unit->kind != STORE_ORG_COUNCIL
	     ? org_values(a, timeout, council, unit, sc, &values, st)
	     : store_values_for_periods(reads, timeout, council, sc->periods.csv, stage,
					keep_value, &values, st)) != 0 ||
	    store_peer_averages(reads, timeout, council, asked.label, false, keep_peer,
				&all_councils, st) != 0 ||
	    store_peer_averages(reads, timeout, council, asked.label, true, keep_peer,
				&neighbours, st) != 0 ||
	    store_benchmarks(reads, timeout, council, published_periods, keep_published,
			     &published, st) != 0 ||
	    settings_cards_read(reads, timeout, council, sc->periods.asked.label, &sc->cards,
				st) != 0) {
		if (sc->defs.failed || values.failed)
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		settings_overrides_free(&overrides);
		return -1;
	}
	rc = apply_settings(&sc->defs, &overrides, st);
	settings_overrides_free(&overrides);
	if (rc != 0)
		return -1;
	/* What this role may see, before anything is computed from it. */
	scorecard_values_suppress(&sc->values, threshold);
	sc->rows = calloc(sc->defs.norder + 1, sizeof(*sc->rows));
	sc->engine_rows = calloc(sc->defs.norder + 1, sizeof(*sc->engine_rows));
	if (sc->rows == NULL || sc->engine_rows == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t k = 0; k < sc->defs.norder; k++) {
		size_t i = sc->defs.order[k];
		judge_figure own = { false, 0, false };
		double own_tolerance;
		Row *row;

		if (scorecard_row_build(&sc->defs.items[i], &sc->periods, &sc->values,
					&sc->peer_averages, &sc->published, threshold,
					&sc->engine_rows[k]) != 0)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		row = build_row(&sc->engine_rows[k]);
		if (row == NULL) {
			scorecard_row_free(&sc->engine_rows[k]);
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		}
		if (sc->defs.own_targets[i] != NULL)
			scorecard_target_for(sc->defs.own_targets[i], &sc->periods.asked, &own,
					     &own_tolerance);
		row->target_source = own.present ? "council"
			: sc->engine_rows[k].target.present ? "catalogue" : "";
		row->report_card = settings_card_for(&sc->cards, row->indicator_id);
		sc->rows[sc->nrows++] = row;
	}
	return handlers_quality_mark(reads, timeout, council, sc->rows, sc->nrows, &sc->quality, st);
}


/* build_scorecard_as for the caller of `call`, within its deadline. */
static int build_scorecard(app *a, rpc_call *call, const char *council,
			   const store_org_unit *unit, const char *period, const char *stage,
			   scorecard *sc, status *st)
{
	auth_suppression suppression = access_suppression(call, a);

	return build_scorecard_as(a, rpc_call_remaining_ms(call),
				  suppression.suppress ? suppression.threshold : 0, council, unit,
				  period, stage, sc, st);
}

/* The GetScorecard reply of a built scorecard; its strings point into sc,
 * council and the two dates (start, end: 11 bytes each). */
static void fill_reply(const scorecard *sc, const char *council, char *start, char *end,
		       Csperf__V1__GetScorecardResponse *reply)
{
	csperf_date_format_iso(sc->periods.asked.start, start);
	csperf_date_format_iso(sc->periods.asked.end, end);
	reply->council = (char *)council;
	reply->council_name = (char *)sc->council_name;
	reply->period = (char *)sc->periods.asked.label;
	reply->period_start = start;
	reply->period_end = end;
	reply->data_to = (char *)sc->data_to;
	reply->n_rows = sc->nrows;
	reply->rows = sc->rows;
}

int scorecards_build_packed(app *a, int64_t timeout_ms, int suppress_threshold,
			    const char *council, const char *period, const char *stage,
			    uint8_t **packed, size_t *size, status *st)
{
	Csperf__V1__GetScorecardResponse reply = CSPERF__V1__GET_SCORECARD_RESPONSE__INIT;
	scorecard sc;
	char start[16], end[16];
	int rc = -1;

	*packed = NULL;
	*size = 0;
	if (build_scorecard_as(a, timeout_ms, suppress_threshold, council, NULL, period, stage, &sc,
			       st) != 0)
		goto cleanup;
	fill_reply(&sc, council, start, end, &reply);
	*size = protobuf_c_message_get_packed_size(&reply.base);
	*packed = malloc(*size > 0 ? *size : 1);
	if (*packed == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	protobuf_c_message_pack(&reply.base, *packed);
	rc = 0;
cleanup:
	scorecard_free(&sc);
	return rc;
}

/* ---- the read cache (read_cache.h) ---- */

/* Everything a reply depends on besides the data: the call, its request's
 * fields and whether the caller's small numbers are suppressed. */
static void cache_key(char *out, size_t size, const app *a, const rpc_call *call,
		      const char *what, const char *council, const store_org_unit *unit,
		      const char *period, const char *stage)
{
	auth_suppression suppression = access_suppression(call, a);
	char org[160];

	org_unit_format(unit, org, sizeof(org));
	snprintf(out, size, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d", what, council, org, period, stage,
		 suppression.suppress ? suppression.threshold : 0);
}

/* Answers the call from the cache if it may and can: true if it did. Only
 * after the gate's fence (every change committed before the call has
 * emptied the cache), and after its authorisation: the audit line is the
 * same as for a reply read from the database. */
static bool reply_from_cache(app *a, rpc_call *call, const char *key)
{
	read_cache_hit hit;

	if (a->read_cache == NULL || !access_fresh(call) || !read_cache_get(a->read_cache, key, &hit))
		return false;
	access_note_rows(call, hit.rows);
	access_note_params(call, "%s", hit.params);
	rpc_call_reply_packed(call, hit.packed, hit.size);
	free(hit.packed);
	return true;
}

/* Replies, and keeps the reply in the cache when `keep`: it was read after
 * the fence, from the primary, with the generation read before. */
static void reply_and_keep(app *a, rpc_call *call, const char *key, uint64_t generation,
			   bool keep, const ProtobufCMessage *reply, int64_t rows,
			   const char *params)
{
	size_t size;
	uint8_t *packed;

	access_note_rows(call, rows);
	access_note_params(call, "%s", params);
	if (!keep || a->read_cache == NULL) {
		rpc_call_reply(call, reply);
		return;
	}
	size = protobuf_c_message_get_packed_size(reply);
	packed = malloc(size > 0 ? size : 1);
	if (packed == NULL) {
		rpc_call_reply(call, reply);
		return;
	}
	protobuf_c_message_pack(reply, packed);
	read_cache_put(a->read_cache, key, generation, packed, size, rows, params);
	rpc_call_reply_packed(call, packed, size);
	free(packed);
}

static uint64_t cache_generation(const app *a)
{
	return a->read_cache != NULL ? read_cache_generation(a->read_cache) : 0;
}

void handle_get_scorecard(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetScorecardRequest *req = (Csperf__V1__GetScorecardRequest *)rpc_call_request(call);
	Csperf__V1__GetScorecardResponse reply = CSPERF__V1__GET_SCORECARD_RESPONSE__INIT;
	scorecard sc;
	status st = STATUS_INIT;
	store_org_unit unit;
	char start[16], end[16], key[400], params[256], org[160];
	uint64_t generation;

	memset(&sc, 0, sizeof(sc));
	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetScorecardRequest");
		return;
	}
	if (org_unit_parse(req->org_unit, &unit, &st) != 0 ||
	    scorecards_check_request(req->council, req->period,
				     req->stage[0] != '\0' ? req->stage : NULL, &st) != 0 ||
	    org_unit_resolve(a, call, req->council, req->org_unit, &unit, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	org_unit_format(&unit, org, sizeof(org));
	cache_key(key, sizeof(key), a, call, "GetScorecard", req->council, &unit, req->period,
		  req->stage);
	if (reply_from_cache(a, call, key))
		goto cleanup;
	generation = cache_generation(a);
	if (build_scorecard(a, call, req->council, &unit, req->period,
			    req->stage[0] != '\0' ? req->stage : NULL, &sc, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	fill_reply(&sc, req->council, start, end, &reply);
	reply.org_unit = org;
	snprintf(params, sizeof(params), "period=%s stage=%s org_unit=%s", sc.periods.asked.label,
		 req->stage[0] != '\0' ? req->stage : "all", org);
	reply_and_keep(a, call, key, generation, access_fresh(call) && sc.from_primary, &reply.base,
		       (int64_t)sc.nrows, params);
cleanup:
	scorecard_free(&sc);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- exceptions ---- */

/* The engine's overspend of a row's budget line, written for a reader, or
 * NULL when its line is not forecast over budget. */
static const scorecard_overspend *overspend_of(const scorecard_definition *d,
					       const costs_over_budget *over,
					       scorecard_overspend *out, char forecast[48],
					       char budget[48])
{
	const costs_budget_line *line = costs_over_budget_line(over, d->budget_line);

	if (line == NULL)
		return NULL;
	costs_format_pounds(line->forecast_pence, forecast, 48);
	costs_format_pounds(line->budget_pence, budget, 48);
	out->budget_line = d->budget_line;
	out->forecast = forecast;
	out->budget = budget;
	out->variance_percent = line->variance_percent;
	out->financial_year = over->financial_year;
	out->as_at = over->as_at;
	return out;
}

void handle_get_exceptions(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetExceptionsRequest *req =
		(Csperf__V1__GetExceptionsRequest *)rpc_call_request(call);
	Csperf__V1__GetExceptionsResponse reply = CSPERF__V1__GET_EXCEPTIONS_RESPONSE__INIT;
	Csperf__V1__Exception **exceptions = NULL;
	scorecard_exception *texts = NULL;
	size_t count = 0;
	scorecard sc;
	costs_over_budget over = { NULL, 0, "", "" };
	status st = STATUS_INIT;
	store_org_unit unit;
	char key[400], params[256], org[160];
	uint64_t generation;

	memset(&sc, 0, sizeof(sc));
	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetExceptionsRequest");
		return;
	}
	if (org_unit_parse(req->org_unit, &unit, &st) != 0 ||
	    scorecards_check_request(req->council, req->period, NULL, &st) != 0 ||
	    org_unit_resolve(a, call, req->council, req->org_unit, &unit, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	org_unit_format(&unit, org, sizeof(org));
	cache_key(key, sizeof(key), a, call, "GetExceptions", req->council, &unit, req->period, "");
	if (reply_from_cache(a, call, key))
		goto cleanup;
	generation = cache_generation(a);
	/* The budget criterion: budget lines forecast over budget in the
	 * period's financial year. Budgets are the council's: an org unit's
	 * exceptions have no budget criterion. */
	if (build_scorecard(a, call, req->council, &unit, req->period, NULL, &sc, &st) != 0 ||
	    (unit.kind == STORE_ORG_COUNCIL &&
	     costs_over_budget_find(a, rpc_call_remaining_ms(call), req->council,
				    &sc.periods.asked, sc.data_to, &over, &st) != 0)) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	exceptions = calloc(sc.nrows + 1, sizeof(*exceptions));
	texts = calloc(sc.nrows + 1, sizeof(*texts));
	if (exceptions == NULL || texts == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < sc.nrows; i++) {
		Csperf__V1__Exception *x;
		scorecard_overspend overspend;
		char forecast[48], budget[48];

		if (!scorecard_exception_of(&sc.engine_rows[i], &sc.periods, &sc.values,
					    overspend_of(sc.engine_rows[i].definition, &over, &overspend,
							 forecast, budget), &texts[count]))
			continue;
		x = malloc(sizeof(*x));
		if (x == NULL) {
			rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto cleanup;
		}
		csperf__v1__exception__init(x);
		x->indicator_id = sc.rows[i]->indicator_id;
		x->title = sc.rows[i]->title;
		x->n_criteria = texts[count].ncriteria;
		x->criteria = (char **)texts[count].criteria;
		x->reason = texts[count].reason;
		x->row = sc.rows[i];
		exceptions[count++] = x;
	}
	reply.council = req->council;
	reply.period = sc.periods.asked.label;
	reply.org_unit = org;
	reply.n_exceptions = count;
	reply.exceptions = exceptions;
	snprintf(params, sizeof(params), "period=%s org_unit=%s", sc.periods.asked.label, org);
	reply_and_keep(a, call, key, generation, access_fresh(call) && sc.from_primary,
		       &reply.base, (int64_t)count, params);
cleanup:
	for (size_t i = 0; exceptions != NULL && i < count; i++)
		free(exceptions[i]);
	free(exceptions);
	free(texts);
	costs_over_budget_free(&over);
	scorecard_free(&sc);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}
