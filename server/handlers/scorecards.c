/*
 * scorecards.c: GetScorecard and GetExceptions.
 *
 * Both read precomputed values only (indicator_value, by its primary key):
 * the period asked for, the one before, the same one a year before, last
 * year's out-turn, this year's quarters (or the last twelve months) and the
 * periods the "worse three times running" criterion needs, in one query.
 * The engine's judge turns them into RAG, direction and exception criteria.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "costs.h"
#include "read_cache.h"
#include "../engine/engine.h"
#include "../engine/judge.h"
#include "../log.h"
#include "dates.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

#define MAX_PERIODS 32

typedef Csperf__V1__ScorecardRow Row;
typedef Csperf__V1__Figure Figure;

/* The periods a scorecard reads, by role. */
typedef struct period_set {
	report_period asked, previous, year_ago, last_year, year_before_last;
	report_period trend[12];
	size_t ntrend;
	report_period before[3];   /* the three periods before `previous` */
	char csv[MAX_PERIODS * 24];
} period_set;

typedef struct value_row {
	char indicator_id[20];
	char period[24];
	char breakdown[64];
	judge_figure numerator, denominator, value;
	bool provisional;
	int version;
} value_row;

typedef struct value_table {
	value_row *rows;
	size_t count, capacity;
	bool failed;
} value_table;

typedef struct definition {
	char *id, *title, *stage, *unit, *polarity, *kind, *risk, *budget_line, *targets;
	int threshold;
} definition;

typedef struct definitions {
	definition *items;
	size_t count;
	bool failed;
} definitions;

typedef struct peer {
	char indicator_id[20];
	double average;
	int councils;
	bool neighbours;      /* over the council's statistical neighbours */
} peer;

typedef struct peers {
	peer *items;
	size_t count;
	bool collecting_neighbours;
} peers;

/* A published comparator, and how well its period fits the one asked for
 * (0 = the same period, 1 = its financial year, 2 = last year, ...). */
typedef struct published {
	char indicator_id[20], area_type[32], area[64], period[24], source[160];
	double value;
	int fit;
} published;

typedef struct published_list {
	published *items;
	size_t count;
	const period_set *periods;
} published_list;

static void add_label(period_set *ps, const report_period *p)
{
	size_t len = strlen(ps->csv);

	if (strstr(ps->csv, p->label) != NULL) {
		/* Labels never contain one another but for a prefix match such
		 * as 2018-19 in 2018-19:Q1: check for the whole label. */
		char needle[32];

		snprintf(needle, sizeof(needle), ",%s,", p->label);
		if (strstr(ps->csv, needle) != NULL)
			return;
	}
	snprintf(ps->csv + len, sizeof(ps->csv) - len, "%s%s,", len == 0 ? "," : "", p->label);
}

static void make_period_set(const report_period *asked, period_set *ps)
{
	report_period year, cursor;
	int y, m, d;

	memset(ps, 0, sizeof(*ps));
	ps->asked = *asked;
	period_shift(asked, true, &ps->previous);
	period_shift(asked, false, &ps->year_ago);
	period_containing(PERIOD_YEAR, asked->start, &year);
	period_shift(&year, true, &ps->last_year);
	period_shift(&ps->last_year, true, &ps->year_before_last);
	cursor = ps->previous;
	for (int i = 2; i >= 0; i--) {
		period_shift(&cursor, true, &ps->before[i]);
		cursor = ps->before[i];
	}
	csperf_date_to_ymd(asked->end, &y, &m, &d);
	if (asked->type == PERIOD_MONTH) {
		/* The twelve months ending with the one asked for. */
		cursor = *asked;
		for (int i = 11; i >= 0; i--) {
			ps->trend[i] = cursor;
			period_shift(&cursor, true, &cursor);
		}
		ps->ntrend = 12;
	} else {
		/* This financial year's quarters, up to the period's end. */
		for (int q = 0; q < 4; q++) {
			report_period quarter;

			period_containing(PERIOD_QUARTER, year.start + 92 * q + 15, &quarter);
			if (quarter.end <= asked->end)
				ps->trend[ps->ntrend++] = quarter;
		}
	}
	add_label(ps, &ps->asked);
	add_label(ps, &ps->previous);
	add_label(ps, &ps->year_ago);
	add_label(ps, &ps->last_year);
	for (size_t i = 0; i < 3; i++)
		add_label(ps, &ps->before[i]);
	for (size_t i = 0; i < ps->ntrend; i++)
		add_label(ps, &ps->trend[i]);
	/* Drop the leading and trailing commas kept for matching. */
	memmove(ps->csv, ps->csv + 1, strlen(ps->csv));
	ps->csv[strlen(ps->csv) - 1] = '\0';
}

static judge_figure parse_figure(const char *text)
{
	judge_figure f = { text != NULL, text != NULL ? strtod(text, NULL) : 0 };

	return f;
}

static int keep_value(const char *indicator_id, const store_series_row *r, void *ctx)
{
	value_table *t = ctx;
	value_row *row;

	if (t->count == t->capacity) {
		size_t capacity = t->capacity == 0 ? 256 : t->capacity * 2;
		value_row *grown = realloc(t->rows, capacity * sizeof(*grown));

		if (grown == NULL) {
			t->failed = true;
			return 1;
		}
		t->rows = grown;
		t->capacity = capacity;
	}
	row = &t->rows[t->count++];
	snprintf(row->indicator_id, sizeof(row->indicator_id), "%s", indicator_id);
	snprintf(row->period, sizeof(row->period), "%s", r->period);
	snprintf(row->breakdown, sizeof(row->breakdown), "%s", r->breakdown);
	row->numerator = parse_figure(r->numerator);
	row->denominator = parse_figure(r->denominator);
	row->value = parse_figure(r->value);
	row->provisional = r->provisional;
	row->version = r->version;
	return 0;
}

static const value_row *find_value(const value_table *t, const char *id, const char *period,
				   const char *breakdown)
{
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->rows[i].indicator_id, id) == 0 && strcmp(t->rows[i].period, period) == 0 &&
		    strcmp(t->rows[i].breakdown, breakdown) == 0)
			return &t->rows[i];
	return NULL;
}

static judge_figure value_of(const value_table *t, const char *id, const char *period)
{
	const value_row *r = find_value(t, id, period, "");
	judge_figure none = { false, 0 };

	return r != NULL ? r->value : none;
}

static int keep_definition(const store_indicator_row *r, void *ctx)
{
	definitions *defs = ctx;
	definition *grown = realloc(defs->items, (defs->count + 1) * sizeof(*grown)), *d;

	if (grown == NULL) {
		defs->failed = true;
		return 1;
	}
	defs->items = grown;
	d = &grown[defs->count++];
	d->id = strdup(r->indicator_id);
	d->title = strdup(r->title);
	d->stage = strdup(r->stage);
	d->unit = strdup(r->unit);
	d->polarity = strdup(r->polarity);
	d->kind = strdup(r->kind);
	d->risk = strdup(r->corporate_risk);
	d->budget_line = strdup(r->budget_line);
	d->targets = strdup(r->targets);
	d->threshold = r->small_number_threshold;
	if (d->id == NULL || d->title == NULL || d->stage == NULL || d->unit == NULL ||
	    d->polarity == NULL || d->kind == NULL || d->risk == NULL || d->budget_line == NULL ||
	    d->targets == NULL)
		defs->failed = true;
	return defs->failed ? 1 : 0;
}

static void definitions_free(definitions *defs)
{
	for (size_t i = 0; i < defs->count; i++) {
		definition *d = &defs->items[i];

		free(d->id);
		free(d->title);
		free(d->stage);
		free(d->unit);
		free(d->polarity);
		free(d->kind);
		free(d->risk);
		free(d->budget_line);
		free(d->targets);
	}
	free(defs->items);
}

static int keep_peer(const char *indicator_id, double average, int councils, void *ctx)
{
	peers *p = ctx;
	peer *grown = realloc(p->items, (p->count + 1) * sizeof(*grown));

	if (grown == NULL)
		return 1;
	p->items = grown;
	snprintf(grown[p->count].indicator_id, sizeof(grown[p->count].indicator_id), "%s",
		 indicator_id);
	grown[p->count].average = average;
	grown[p->count].councils = councils;
	grown[p->count].neighbours = p->collecting_neighbours;
	p->count++;
	return 0;
}

static int keep_published(const store_comparator *m, void *ctx)
{
	published_list *l = ctx;
	published *grown, *p;
	const char *fits[4];
	int fit = -1;
	report_period year;

	period_containing(PERIOD_YEAR, l->periods->asked.start, &year);
	fits[0] = l->periods->asked.label;
	fits[1] = year.label;
	fits[2] = l->periods->last_year.label;
	fits[3] = l->periods->year_before_last.label;
	for (int i = 0; i < 4 && fit < 0; i++)
		if (strcmp(m->period, fits[i]) == 0)
			fit = i;
	if (fit < 0)
		return 0;
	/* Keep the best fitting figure of each indicator and area. */
	for (size_t i = 0; i < l->count; i++) {
		p = &l->items[i];
		if (strcmp(p->indicator_id, m->indicator_id) == 0 &&
		    strcmp(p->area_type, m->area_type) == 0 && strcmp(p->area, m->area) == 0) {
			if (fit < p->fit) {
				snprintf(p->period, sizeof(p->period), "%s", m->period);
				snprintf(p->source, sizeof(p->source), "%s", m->source);
				p->value = m->value;
				p->fit = fit;
			}
			return 0;
		}
	}
	grown = realloc(l->items, (l->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return 1;
	l->items = grown;
	p = &grown[l->count++];
	snprintf(p->indicator_id, sizeof(p->indicator_id), "%s", m->indicator_id);
	snprintf(p->area_type, sizeof(p->area_type), "%s", m->area_type);
	snprintf(p->area, sizeof(p->area), "%s", m->area);
	snprintf(p->period, sizeof(p->period), "%s", m->period);
	snprintf(p->source, sizeof(p->source), "%s", m->source);
	p->value = m->value;
	p->fit = fit;
	return 0;
}

/* The target for the financial year of `period` from {"2018-19": {...}}. */
static void target_for(const char *targets_json, const report_period *period, judge_figure *target,
		       double *tolerance)
{
	report_period year;
	char key[32];
	const char *at, *t;

	target->present = false;
	target->value = 0;
	*tolerance = 0;
	period_containing(PERIOD_YEAR, period->start, &year);
	snprintf(key, sizeof(key), "\"%s\"", year.label);
	at = strstr(targets_json, key);
	if (at == NULL)
		return;
	/* The stored JSON is compact and made by csperfd (handlers/indicators.c). */
	t = strstr(at, "\"target\":");
	if (t != NULL) {
		target->present = true;
		target->value = strtod(t + strlen("\"target\":"), NULL);
	}
	t = strstr(at, "\"tolerance\":");
	if (t != NULL)
		*tolerance = strtod(t + strlen("\"tolerance\":"), NULL);
}

static Figure *new_figure(judge_figure f)
{
	Figure *out = malloc(sizeof(*out));

	if (out == NULL)
		return NULL;
	csperf__v1__figure__init(out);
	out->present = f.present;
	out->value = f.present ? f.value : 0;
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
		free(row->trend[i]->period);
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
		free(row->breakdown[i]->code);
		free(row->breakdown[i]->numerator);
		free(row->breakdown[i]->value);
		free(row->breakdown[i]);
	}
	free(row->breakdown);
	free(row);
}

/* Builds one row; the strings it points to are the definition's and the
 * period set's, which outlive the reply. NULL when out of memory. */
/* A figure computed from a count from 1 to `threshold` is hidden from
 * callers who must not see small numbers (threshold 0: nobody). */
static bool hide(const value_row *v, int threshold)
{
	return threshold > 0 && v != NULL &&
	       ((v->numerator.present && v->numerator.value >= 1 && v->numerator.value <= threshold) ||
		(v->denominator.present && v->denominator.value >= 1 &&
		 v->denominator.value <= threshold));
}

static Row *build_row(const definition *d, const period_set *ps, const value_table *values,
		      const peers *peer_averages, const published_list *pub, int suppress_threshold)
{
	Row *row = malloc(sizeof(*row));
	judge_polarity polarity = judge_polarity_parse(d->polarity);
	const value_row *now = find_value(values, d->id, ps->asked.label, "");
	judge_figure none = { false, 0 }, value, target;
	double tolerance;
	bool failed = false;

	if (row == NULL)
		return NULL;
	csperf__v1__scorecard_row__init(row);
	row->indicator_id = d->id;
	row->title = d->title;
	row->stage = d->stage;
	/* A breakdown's own figure is its total, a count; its codes' shares
	 * (in its unit) are the breakdown rows. */
	row->unit = strstr(d->kind, "breakdown") != NULL ? "count" : d->unit;
	row->polarity = d->polarity;
	row->period = (char *)ps->asked.label;
	row->corporate_risk = d->risk;
	row->budget_line = d->budget_line;
	value = now != NULL ? now->value : none;
	row->suppressed = hide(now, suppress_threshold);
	if (row->suppressed)
		value = none;
	row->value = new_figure(value);
	row->numerator = new_figure(now != NULL && !row->suppressed ? now->numerator : none);
	row->denominator = new_figure(now != NULL && !row->suppressed ? now->denominator : none);
	row->provisional = now != NULL && now->provisional;
	row->version = now != NULL ? now->version : 0;
	row->small_number = now != NULL && now->numerator.present && now->numerator.value >= 1 &&
			    now->numerator.value <= d->threshold;
	row->last_year = new_figure(value_of(values, d->id, ps->last_year.label));
	row->previous = new_figure(value_of(values, d->id, ps->previous.label));
	row->year_ago = new_figure(value_of(values, d->id, ps->year_ago.label));
	target_for(d->targets, &ps->asked, &target, &tolerance);
	row->target = new_figure(target);
	row->tolerance = new_figure((judge_figure){ target.present, tolerance });
	row->rag = (char *)judge_rag_name(judge_rag_of(polarity, value, target, tolerance));
	row->direction = (char *)judge_direction_name(
		judge_direction_of(polarity, value, value_of(values, d->id, ps->previous.label)));
	row->direction_year = (char *)judge_direction_name(
		judge_direction_of(polarity, value, value_of(values, d->id, ps->year_ago.label)));

	row->trend = calloc(ps->ntrend + 1, sizeof(*row->trend));
	for (size_t i = 0; row->trend != NULL && i < ps->ntrend; i++) {
		Csperf__V1__PeriodValue *pv = malloc(sizeof(*pv));

		if (pv == NULL) {
			failed = true;
			break;
		}
		csperf__v1__period_value__init(pv);
		pv->period = strdup(ps->trend[i].label);
		pv->value = new_figure(hide(find_value(values, d->id, ps->trend[i].label, ""),
					    suppress_threshold)
				       ? none : value_of(values, d->id, ps->trend[i].label));
		row->trend[row->n_trend++] = pv;
		failed |= pv->period == NULL || pv->value == NULL;
	}

	/* Published figures first (England, region, statistical neighbours as
	 * published), then what csperf computes: the council's statistical
	 * neighbours it holds, and every other council it holds. */
	row->comparators = calloc(pub->count + peer_averages->count + 1, sizeof(*row->comparators));
	for (size_t i = 0; row->comparators != NULL && i < pub->count; i++) {
		const published *p = &pub->items[i];
		Csperf__V1__Comparator *c;

		if (strcmp(p->indicator_id, d->id) != 0)
			continue;
		c = malloc(sizeof(*c));
		if (c == NULL) {
			failed = true;
			break;
		}
		csperf__v1__comparator__init(c);
		c->name = strcmp(p->area_type, "statistical_neighbours") == 0 ? "statistical neighbours"
			  : (char *)p->area;
		c->area_type = (char *)p->area_type;
		c->year = (char *)p->period;
		c->value = new_figure((judge_figure){ true, p->value });
		c->source = (char *)p->source;
		row->comparators[row->n_comparators++] = c;
		failed |= c->value == NULL;
	}
	for (size_t i = 0; row->comparators != NULL && i < peer_averages->count; i++) {
		const peer *pe = &peer_averages->items[i];
		Csperf__V1__Comparator *c;

		if (strcmp(pe->indicator_id, d->id) != 0)
			continue;
		c = malloc(sizeof(*c));
		if (c == NULL) {
			failed = true;
			break;
		}
		csperf__v1__comparator__init(c);
		c->name = pe->neighbours ? "statistical neighbours in csperf" : "other councils in csperf";
		c->area_type = pe->neighbours ? "statistical_neighbours" : "computed";
		c->year = (char *)ps->asked.label;
		c->value = new_figure((judge_figure){ true, pe->average });
		c->source = "computed by csperf";
		row->comparators[row->n_comparators++] = c;
		failed |= c->value == NULL;
	}

	/* Breakdown rows: every code of the period, in code order. */
	for (size_t i = 0; i < values->count; i++) {
		const value_row *v = &values->rows[i];
		Csperf__V1__BreakdownRow *b, **grown;

		if (v->breakdown[0] == '\0' || strcmp(v->indicator_id, d->id) != 0 ||
		    strcmp(v->period, ps->asked.label) != 0)
			continue;
		grown = realloc(row->breakdown, (row->n_breakdown + 1) * sizeof(*grown));
		b = malloc(sizeof(*b));
		if (grown == NULL || b == NULL) {
			free(b);
			if (grown != NULL)
				row->breakdown = grown;
			failed = true;
			break;
		}
		row->breakdown = grown;
		csperf__v1__breakdown_row__init(b);
		b->code = strdup(v->breakdown);
		b->numerator = new_figure(hide(v, suppress_threshold) ? none : v->numerator);
		b->value = new_figure(hide(v, suppress_threshold) ? none : v->value);
		row->breakdown[row->n_breakdown++] = b;
		failed |= b->code == NULL || b->numerator == NULL || b->value == NULL;
	}
	if (failed || row->value == NULL || row->numerator == NULL || row->denominator == NULL ||
	    row->last_year == NULL || row->previous == NULL || row->year_ago == NULL ||
	    row->target == NULL || row->tolerance == NULL || row->trend == NULL ||
	    row->comparators == NULL) {
		row_free(row);
		return NULL;
	}
	return row;
}

typedef struct scorecard {
	period_set periods;
	definitions defs;
	value_table values;
	peers peer_averages;
	published_list published;
	char council_name[128];
	char data_to[16];
	Row **rows;
	size_t nrows;
	bool from_primary;   /* read from the primary, not a replica */
	struct handlers_quality *quality;  /* validation.c: rows' failing records */
} scorecard;

static void scorecard_free(scorecard *sc)
{
	for (size_t i = 0; i < sc->nrows; i++)
		row_free(sc->rows[i]);
	free(sc->rows);
	definitions_free(&sc->defs);
	free(sc->values.rows);
	free(sc->peer_averages.items);
	free(sc->published.items);
	handlers_quality_free(sc->quality);
}

/* Checks the request and reads and judges everything. On failure fills st. */
static int build_scorecard(app *a, rpc_call *call, const char *council, const char *period,
			   const char *stage, scorecard *sc, status *st)
{
	static const char *const stages[] = {
		"early_help", "front_door", "assessment", "child_protection", "looked_after",
		"adoption", "care_leavers", "workforce", "youth_justice", "finance", NULL
	};
	report_period asked;
	char err[256];
	int64_t timeout = rpc_call_remaining_ms(call);
	bool stage_ok = stage == NULL;
	auth_suppression suppression = access_suppression(call, a);
	char published_periods[128];
	store_pool *reads;

	memset(sc, 0, sizeof(*sc));
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
	make_period_set(&asked, &sc->periods);
	sc->published.periods = &sc->periods;
	{
		report_period year;

		period_containing(PERIOD_YEAR, asked.start, &year);
		snprintf(published_periods, sizeof(published_periods), "%s,%s,%s,%s", asked.label,
			 year.label, sc->periods.last_year.label, sc->periods.year_before_last.label);
	}
	/* A replica that has replayed the council's latest write, or the
	 * primary (docs/SCALING.md). */
	reads = store_read_pool(a->pool, timeout, council);
	sc->from_primary = reads == a->pool;
	if (store_council_info(reads, timeout, council, sc->council_name, sc->data_to, st) != 0 ||
	    store_indicators_list(reads, timeout, stage, NULL, false, keep_definition, &sc->defs,
				  st) != 0 ||
	    store_values_for_periods(reads, timeout, council, sc->periods.csv, stage, keep_value,
				     &sc->values, st) != 0 ||
	    store_peer_averages(reads, timeout, council, asked.label, false, keep_peer,
				&sc->peer_averages, st) != 0 ||
	    (sc->peer_averages.collecting_neighbours = true,
	     store_peer_averages(reads, timeout, council, asked.label, true, keep_peer,
				 &sc->peer_averages, st)) != 0 ||
	    store_published_comparators(reads, timeout, council, published_periods,
					keep_published, &sc->published, st) != 0) {
		if (sc->defs.failed || sc->values.failed)
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return -1;
	}
	sc->rows = calloc(sc->defs.count + 1, sizeof(*sc->rows));
	if (sc->rows == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < sc->defs.count; i++) {
		Row *row = build_row(&sc->defs.items[i], &sc->periods, &sc->values, &sc->peer_averages,
				     &sc->published, suppression.suppress ? suppression.threshold : 0);

		if (row == NULL)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		sc->rows[sc->nrows++] = row;
	}
	return handlers_quality_mark(reads, timeout, council, sc->rows, sc->nrows, &sc->quality, st);
}

/* ---- the read cache (read_cache.h) ---- */

/* Everything a reply depends on besides the data: the call, its request's
 * fields and whether the caller's small numbers are suppressed. */
static void cache_key(char *out, size_t size, const app *a, const rpc_call *call,
		      const char *what, const char *council, const char *period,
		      const char *stage)
{
	auth_suppression suppression = access_suppression(call, a);

	snprintf(out, size, "%s\x1f%s\x1f%s\x1f%s\x1f%d", what, council, period, stage,
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
	char start[16], end[16], key[256], params[128];
	uint64_t generation;

	memset(&sc, 0, sizeof(sc));
	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetScorecardRequest");
		return;
	}
	if (req->org_unit[0] != '\0' && strcmp(req->org_unit, "council") != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "org_unit must be council (localities and teams are not computed yet)");
		goto cleanup;
	}
	cache_key(key, sizeof(key), a, call, "GetScorecard", req->council, req->period, req->stage);
	if (reply_from_cache(a, call, key))
		goto cleanup;
	generation = cache_generation(a);
	if (build_scorecard(a, call, req->council, req->period,
			    req->stage[0] != '\0' ? req->stage : NULL, &sc, &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	csperf_date_format_iso(sc.periods.asked.start, start);
	csperf_date_format_iso(sc.periods.asked.end, end);
	reply.council = req->council;
	reply.council_name = sc.council_name;
	reply.period = sc.periods.asked.label;
	reply.period_start = start;
	reply.period_end = end;
	reply.data_to = sc.data_to;
	reply.n_rows = sc.nrows;
	reply.rows = sc.rows;
	snprintf(params, sizeof(params), "period=%s stage=%s", sc.periods.asked.label,
		 req->stage[0] != '\0' ? req->stage : "all");
	reply_and_keep(a, call, key, generation, access_fresh(call) && sc.from_primary, &reply.base,
		       (int64_t)sc.nrows, params);
cleanup:
	scorecard_free(&sc);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* ---- exceptions ---- */

typedef struct exception_text {
	char *criteria[4];
	size_t ncriteria;
	char reason[768];
} exception_text;

static void append_reason(exception_text *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append_reason(exception_text *e, const char *fmt, ...)
{
	size_t len = strlen(e->reason);
	va_list ap;

	if (len > 0 && len + 2 < sizeof(e->reason)) {
		snprintf(e->reason + len, sizeof(e->reason) - len, "; ");
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(e->reason + len, sizeof(e->reason) - len, fmt, ap);
	va_end(ap);
}

/* The four criteria of Norfolk's exception reporting, with the sentence
 * that says which hold and why; `over` holds the budget lines forecast over
 * budget (handlers/costs.c). Returns true if any holds. */
static bool judge_exception(const definition *d, const Row *row, const period_set *ps,
			    const value_table *values, const costs_over_budget *over,
			    exception_text *e)
{
	judge_polarity polarity = judge_polarity_parse(d->polarity);
	judge_figure value = { row->value->present, row->value->value };
	judge_figure target = { row->target->present, row->target->value };
	judge_figure variance = judge_adverse_variance(polarity, value, target);
	judge_figure series[4];
	char shown[64], target_shown[64];
	bool red = strcmp(row->rag, "red") == 0;
	const costs_budget_line *line;

	memset(e, 0, sizeof(*e));
	judge_format(d->unit, value, shown, sizeof(shown));
	judge_format(d->unit, target, target_shown, sizeof(target_shown));
	if (red || (variance.present && variance.value >= 5.0)) {
		e->criteria[e->ncriteria++] = "off_target";
		if (variance.present)
			append_reason(e, "%s %s: %s against a target of %s - %s, %.0f%% worse than "
				      "target", d->id, d->title, shown, target_shown,
				      red ? "Red" : "Amber", variance.value);
		else
			append_reason(e, "%s %s: %s against a target of %s - Red", d->id, d->title,
				      shown, target_shown);
	}
	series[0] = value_of(values, d->id, ps->before[1].label);
	series[1] = value_of(values, d->id, ps->before[2].label);
	series[2] = row->previous->present
		? (judge_figure){ true, row->previous->value } : (judge_figure){ false, 0 };
	series[3] = value;
	{
		/* Worse three periods running: four values, each worse than the
		 * one before. */
		judge_figure four[4] = { series[0], series[1], series[2], series[3] };

		if (judge_worse_three_running(polarity, four, 4)) {
			char a[32], b[32], c[32], dd[32];

			judge_format(d->unit, four[0], a, sizeof(a));
			judge_format(d->unit, four[1], b, sizeof(b));
			judge_format(d->unit, four[2], c, sizeof(c));
			judge_format(d->unit, four[3], dd, sizeof(dd));
			e->criteria[e->ncriteria++] = "worsening";
			append_reason(e, "%s worse three %s running: %s, %s, %s, %s", d->id,
				      ps->asked.type == PERIOD_MONTH ? "months"
				      : ps->asked.type == PERIOD_QUARTER ? "quarters" : "periods",
				      a, b, c, dd);
		}
	}
	line = costs_over_budget_line(over, d->budget_line);
	if (line != NULL) {
		char forecast[48], budget[48];

		costs_format_pounds(line->forecast_pence, forecast, sizeof(forecast));
		costs_format_pounds(line->budget_pence, budget, sizeof(budget));
		e->criteria[e->ncriteria++] = "budget";
		append_reason(e, "%s is linked to the budget line %s, forecast to spend %s in %s "
			      "against a budget of %s (%s%% over) as at %s", d->id, d->budget_line,
			      forecast, over->financial_year, budget, line->variance_percent,
			      over->as_at);
	}
	if (d->risk[0] != '\0' && (strcmp(row->rag, "red") == 0 || strcmp(row->rag, "amber") == 0 ||
				   strcmp(row->direction, "worsening") == 0)) {
		e->criteria[e->ncriteria++] = "corporate_risk";
		append_reason(e, "%s bears on the corporate risk %s and is %s", d->id, d->risk,
			      strcmp(row->rag, "red") == 0 ? "Red"
			      : strcmp(row->rag, "amber") == 0 ? "Amber" : "worsening");
	}
	return e->ncriteria > 0;
}

void handle_get_exceptions(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetExceptionsRequest *req =
		(Csperf__V1__GetExceptionsRequest *)rpc_call_request(call);
	Csperf__V1__GetExceptionsResponse reply = CSPERF__V1__GET_EXCEPTIONS_RESPONSE__INIT;
	Csperf__V1__Exception **exceptions = NULL;
	exception_text *texts = NULL;
	size_t count = 0;
	scorecard sc;
	costs_over_budget over = { NULL, 0, "", "" };
	status st = STATUS_INIT;
	char key[256], params[128];
	uint64_t generation;

	memset(&sc, 0, sizeof(sc));
	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetExceptionsRequest");
		return;
	}
	cache_key(key, sizeof(key), a, call, "GetExceptions", req->council, req->period, "");
	if (reply_from_cache(a, call, key))
		goto cleanup;
	generation = cache_generation(a);
	/* The budget criterion: budget lines forecast over budget in the
	 * period's financial year. */
	if (build_scorecard(a, call, req->council, req->period, NULL, &sc, &st) != 0 ||
	    costs_over_budget_find(a, rpc_call_remaining_ms(call), req->council, &sc.periods.asked,
				   sc.data_to, &over, &st) != 0) {
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

		if (!judge_exception(&sc.defs.items[i], sc.rows[i], &sc.periods, &sc.values, &over,
				     &texts[count]))
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
		x->criteria = texts[count].criteria;
		x->reason = texts[count].reason;
		x->row = sc.rows[i];
		exceptions[count++] = x;
	}
	reply.council = req->council;
	reply.period = sc.periods.asked.label;
	reply.n_exceptions = count;
	reply.exceptions = exceptions;
	snprintf(params, sizeof(params), "period=%s", sc.periods.asked.label);
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
