/* scorecard.c: a scorecard's rows and exceptions from computed values. */
#include "scorecard.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "published.h"

/* ---- periods ---- */

static void add_label(scorecard_periods *ps, const report_period *p)
{
	size_t len = strlen(ps->csv);
	char needle[32];

	/* Labels never contain one another but for a prefix match such as
	 * 2018-19 in 2018-19:Q1: look for the whole label between commas. */
	snprintf(needle, sizeof(needle), ",%s,", p->label);
	if (strstr(ps->csv, needle) != NULL)
		return;
	snprintf(ps->csv + len, sizeof(ps->csv) - len, "%s%s,", len == 0 ? "," : "", p->label);
}

/* The financial year a period belongs to: the one it starts in, or, for
 * three years (3y:2020-21), its last. */
static void own_year(const report_period *asked, report_period *year)
{
	period_containing(PERIOD_YEAR, asked->type == PERIOD_3Y ? asked->end : asked->start, year);
}

void scorecard_periods_make(const report_period *asked, scorecard_periods *ps)
{
	report_period year, cursor;

	memset(ps, 0, sizeof(*ps));
	ps->asked = *asked;
	period_shift(asked, true, &ps->previous);
	period_shift(asked, false, &ps->year_ago);
	own_year(asked, &year);
	period_shift(&year, true, &ps->last_year);
	period_shift(&ps->last_year, true, &ps->year_before_last);
	cursor = ps->previous;
	for (int i = 2; i >= 0; i--) {
		period_shift(&cursor, true, &ps->before[i]);
		cursor = ps->before[i];
	}
	if (asked->type == PERIOD_MONTH) {
		/* The twelve months ending with the one asked for. */
		cursor = *asked;
		for (int i = SCORECARD_MAX_TREND - 1; i >= 0; i--) {
			ps->trend[i] = cursor;
			period_shift(&cursor, true, &cursor);
		}
		ps->ntrend = SCORECARD_MAX_TREND;
	} else if (asked->type == PERIOD_3Y) {
		/* The three financial years it sums. */
		for (int i = 0; i < 3; i++)
			period_containing(PERIOD_YEAR, asked->start + 366 * i + 15,
					  &ps->trend[ps->ntrend++]);
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

/* ---- values ---- */

static judge_figure parse_figure(const char *text)
{
	judge_figure f = { text != NULL, text != NULL ? strtod(text, NULL) : 0, false };

	return f;
}

int scorecard_values_add(scorecard_values *t, const char *indicator_id, const char *period,
			 const char *breakdown, const char *numerator, const char *denominator,
			 const char *value, bool provisional, int version)
{
	scorecard_value *row;

	if (t->count == t->capacity) {
		size_t capacity = t->capacity == 0 ? 256 : t->capacity * 2;
		scorecard_value *grown = realloc(t->rows, capacity * sizeof(*grown));

		if (grown == NULL)
			return -1;
		t->rows = grown;
		t->capacity = capacity;
	}
	row = &t->rows[t->count++];
	memset(row, 0, sizeof(*row));
	snprintf(row->indicator_id, sizeof(row->indicator_id), "%s", indicator_id);
	snprintf(row->period, sizeof(row->period), "%s", period);
	snprintf(row->breakdown, sizeof(row->breakdown), "%s", breakdown);
	row->numerator = parse_figure(numerator);
	row->denominator = parse_figure(denominator);
	row->value = parse_figure(value);
	row->provisional = provisional;
	row->version = version;
	return 0;
}

const scorecard_value *scorecard_values_find(const scorecard_values *t, const char *indicator_id,
					     const char *period, const char *breakdown)
{
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->rows[i].indicator_id, indicator_id) == 0 &&
		    strcmp(t->rows[i].period, period) == 0 &&
		    strcmp(t->rows[i].breakdown, breakdown) == 0)
			return &t->rows[i];
	return NULL;
}

static bool small_count(judge_figure f, int threshold)
{
	return threshold > 0 && f.present && f.value >= 1 && f.value <= threshold;
}

/* A figure computed from a count from 1 to threshold (0: none is small). */
static bool rests_on_small(const scorecard_value *v, int threshold)
{
	return v != NULL && (v->suppressed || small_count(v->numerator, threshold) ||
			     small_count(v->denominator, threshold));
}

size_t scorecard_values_suppress(scorecard_values *t, int threshold)
{
	static const judge_figure none = { false, 0, true };
	size_t hidden = 0;

	for (size_t i = 0; i < t->count; i++) {
		scorecard_value *v = &t->rows[i];

		if (v->suppressed || !rests_on_small(v, threshold))
			continue;
		v->numerator = v->denominator = v->value = none;
		v->suppressed = true;
		hidden++;
	}
	return hidden;
}

void scorecard_values_free(scorecard_values *t)
{
	free(t->rows);
	t->rows = NULL;
	t->count = t->capacity = 0;
}

static judge_figure value_of(const scorecard_values *t, const char *id, const char *period,
			     int threshold)
{
	const scorecard_value *r = scorecard_values_find(t, id, period, "");
	judge_figure none = { false, 0, false }, hidden = { false, 0, true };

	if (r == NULL)
		return none;
	return rests_on_small(r, threshold) ? hidden : r->value;
}

/* ---- comparators ---- */

int scorecard_peers_add(scorecard_peers *p, const char *indicator_id, double average,
			int councils, double smallest_count, bool neighbours)
{
	scorecard_peer *grown = realloc(p->items, (p->count + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	p->items = grown;
	memset(&grown[p->count], 0, sizeof(grown[p->count]));
	snprintf(grown[p->count].indicator_id, sizeof(grown[p->count].indicator_id), "%s",
		 indicator_id);
	grown[p->count].average = average;
	grown[p->count].councils = councils;
	grown[p->count].smallest_count = smallest_count;
	grown[p->count].neighbours = neighbours;
	p->count++;
	return 0;
}

bool scorecard_peer_shown(int councils, double smallest_count, int threshold)
{
	if (councils < SCORECARD_PEER_MIN_COUNCILS)
		return false;
	return !(threshold > 0 && smallest_count >= 1 && smallest_count <= threshold);
}

void scorecard_published_periods(const scorecard_periods *ps, char *out, size_t size)
{
	report_period year;

	own_year(&ps->asked, &year);
	snprintf(out, size, "%s,%s,%s,%s", ps->asked.label, year.label, ps->last_year.label,
		 ps->year_before_last.label);
}

int scorecard_published_keep(scorecard_published_list *l, const scorecard_periods *ps,
			     const scorecard_published *figure)
{
	scorecard_published *grown, *p;
	const char *fits[4];
	int fit = -1;
	report_period year;

	own_year(&ps->asked, &year);
	fits[0] = ps->asked.label;
	fits[1] = year.label;
	fits[2] = ps->last_year.label;
	fits[3] = ps->year_before_last.label;
	for (int i = 0; i < 4 && fit < 0; i++)
		if (strcmp(figure->period, fits[i]) == 0)
			fit = i;
	if (fit < 0)
		return 0;
	/* Keep the best fitting figure of each indicator and area. */
	for (size_t i = 0; i < l->count; i++) {
		p = &l->items[i];
		if (strcmp(p->indicator_id, figure->indicator_id) == 0 &&
		    strcmp(p->area_type, figure->area_type) == 0 && strcmp(p->area, figure->area) == 0) {
			if (fit < p->fit) {
				*p = *figure;
				p->fit = fit;
			}
			return 0;
		}
	}
	grown = realloc(l->items, (l->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	l->items = grown;
	p = &grown[l->count++];
	*p = *figure;
	p->fit = fit;
	return 0;
}

int scorecard_published_add(scorecard_published_list *l, const scorecard_periods *ps,
			    const char *indicator_id, const char *area_type, const char *area,
			    const char *period, double value, const char *source)
{
	scorecard_published figure;

	memset(&figure, 0, sizeof(figure));
	snprintf(figure.indicator_id, sizeof(figure.indicator_id), "%s", indicator_id);
	snprintf(figure.area_type, sizeof(figure.area_type), "%s", area_type);
	snprintf(figure.area, sizeof(figure.area), "%s", area);
	snprintf(figure.period, sizeof(figure.period), "%s", period);
	snprintf(figure.source, sizeof(figure.source), "%s", source);
	figure.value = value;
	figure.present = true;
	return scorecard_published_keep(l, ps, &figure);
}

/* ---- rows ---- */

void scorecard_target_for(const char *targets_json, const report_period *period,
			  judge_figure *target, double *tolerance)
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

static int add_comparators(scorecard_row *row, const scorecard_definition *d,
			   const scorecard_periods *ps, const scorecard_peers *peers,
			   const scorecard_published_list *pub, int threshold)
{
	row->comparators = calloc(pub->count + peers->count + 1, sizeof(*row->comparators));
	if (row->comparators == NULL)
		return -1;
	/* Published figures first (England, region, statistical neighbours as
	 * published), then what csperf computes: the council's statistical
	 * neighbours it holds, and every other council it holds. */
	for (size_t i = 0; i < pub->count; i++) {
		const scorecard_published *p = &pub->items[i];
		scorecard_comparator *c = &row->comparators[row->ncomparators];

		if (strcmp(p->indicator_id, d->id) != 0)
			continue;
		c->name = strcmp(p->area_type, "statistical_neighbours") == 0 ? "statistical neighbours"
			  : strcmp(p->area_type, "dfe_neighbours") == 0 ? "statistical neighbours (DfE)"
			  : strcmp(p->area_type, "council") == 0 ? "published figure"
			  : p->area;
		c->area_type = strcmp(p->area_type, "dfe_neighbours") == 0 ? "statistical_neighbours"
			       : p->area_type;
		c->area = p->area;
		c->year = p->period;
		c->source = p->source;
		c->release = p->release;
		c->symbol = p->symbol;
		c->rank = p->rank;
		c->ranked = p->ranked;
		c->quartile = published_quartile(p->rank, p->ranked);
		c->contributors = p->contributors;
		/* Too few neighbours with a published figure: no average. */
		if (strcmp(p->area_type, "dfe_neighbours") == 0 &&
		    !published_neighbours_enough(p->contributors))
			c->symbol = "few";
		c->value = (judge_figure){ p->present && c->symbol[0] == '\0', p->value, false };
		row->ncomparators++;
	}
	for (size_t i = 0; i < peers->count; i++) {
		const scorecard_peer *pe = &peers->items[i];
		scorecard_comparator *c = &row->comparators[row->ncomparators];

		if (strcmp(pe->indicator_id, d->id) != 0 ||
		    !scorecard_peer_shown(pe->councils, pe->smallest_count, threshold))
			continue;
		c->name = pe->neighbours ? "statistical neighbours in csperf" : "other councils in csperf";
		c->area_type = pe->neighbours ? "statistical_neighbours" : "computed";
		c->year = ps->asked.label;
		c->value = (judge_figure){ true, pe->average, false };
		c->source = "computed by csperf";
		c->area = c->symbol = c->release = "";
		c->contributors = pe->councils;
		row->ncomparators++;
	}
	return 0;
}

static int add_breakdown(scorecard_row *row, const scorecard_definition *d,
			 const scorecard_periods *ps, const scorecard_values *values, int threshold)
{
	static const judge_figure hidden = { false, 0, true };
	size_t count = 0;

	for (size_t i = 0; i < values->count; i++)
		count += values->rows[i].breakdown[0] != '\0';
	row->breakdown = calloc(count + 1, sizeof(*row->breakdown));
	if (row->breakdown == NULL)
		return -1;
	/* Every code of the period, in the order the store gave them. */
	for (size_t i = 0; i < values->count; i++) {
		const scorecard_value *v = &values->rows[i];
		scorecard_breakdown *b = &row->breakdown[row->nbreakdown];
		bool hidden_row = rests_on_small(v, threshold);

		if (v->breakdown[0] == '\0' || strcmp(v->indicator_id, d->id) != 0 ||
		    strcmp(v->period, ps->asked.label) != 0)
			continue;
		b->code = v->breakdown;
		b->numerator = hidden_row ? hidden : v->numerator;
		b->value = hidden_row ? hidden : v->value;
		row->nbreakdown++;
	}
	return 0;
}

int scorecard_row_build(const scorecard_definition *d, const scorecard_periods *ps,
			const scorecard_values *values, const scorecard_peers *peers,
			const scorecard_published_list *published, int threshold,
			scorecard_row *row)
{
	static const judge_figure none = { false, 0, false }, hidden = { false, 0, true };
	judge_polarity polarity = judge_polarity_parse(d->polarity);
	const scorecard_value *now = scorecard_values_find(values, d->id, ps->asked.label, "");

	memset(row, 0, sizeof(*row));
	row->definition = d;
	/* A breakdown's own figure is its total, a count; its codes' shares
	 * (in its unit) are the breakdown rows. */
	row->unit = strstr(d->kind, "breakdown") != NULL ? "count" : d->unit;
	row->period = ps->asked.label;
	row->suppressed = rests_on_small(now, threshold);
	row->value = now == NULL ? none : row->suppressed ? hidden : now->value;
	row->numerator = now == NULL ? none : row->suppressed ? hidden : now->numerator;
	row->denominator = now == NULL ? none : row->suppressed ? hidden : now->denominator;
	row->provisional = now != NULL && now->provisional;
	row->version = now != NULL ? now->version : 0;
	row->small_number = now != NULL && (now->suppressed ||
					    (now->numerator.present && now->numerator.value >= 1 &&
					     now->numerator.value <= d->threshold));
	row->last_year = value_of(values, d->id, ps->last_year.label, threshold);
	row->previous = value_of(values, d->id, ps->previous.label, threshold);
	row->year_ago = value_of(values, d->id, ps->year_ago.label, threshold);
	scorecard_target_for(d->targets, &ps->asked, &row->target, &row->tolerance);
	row->rag = judge_rag_of(polarity, row->value, row->target, row->tolerance);
	row->direction = judge_direction_of(polarity, row->value, row->previous);
	row->direction_year = judge_direction_of(polarity, row->value, row->year_ago);
	for (size_t i = 0; i < ps->ntrend; i++) {
		row->trend[i].period = ps->trend[i].label;
		row->trend[i].value = value_of(values, d->id, ps->trend[i].label, threshold);
	}
	row->ntrend = ps->ntrend;
	if (add_comparators(row, d, ps, peers, published, threshold) != 0 ||
	    add_breakdown(row, d, ps, values, threshold) != 0) {
		scorecard_row_free(row);
		return -1;
	}
	return 0;
}

void scorecard_row_free(scorecard_row *row)
{
	if (row == NULL)
		return;
	free(row->comparators);
	free(row->breakdown);
	row->comparators = NULL;
	row->breakdown = NULL;
	row->ncomparators = row->nbreakdown = 0;
}

/* ---- exceptions ---- */

static void append_reason(scorecard_exception *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append_reason(scorecard_exception *e, const char *fmt, ...)
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

bool scorecard_exception_of(const scorecard_row *row, const scorecard_periods *ps,
			    const scorecard_values *values, const scorecard_overspend *overspend,
			    scorecard_exception *e)
{
	const scorecard_definition *d = row->definition;
	judge_polarity polarity = judge_polarity_parse(d->polarity);
	judge_figure variance = judge_adverse_variance(polarity, row->value, row->target);
	judge_figure four[4];
	char shown[64], target_shown[64];
	bool red = row->rag == RAG_RED;

	memset(e, 0, sizeof(*e));
	judge_format(d->unit, row->value, shown, sizeof(shown));
	judge_format(d->unit, row->target, target_shown, sizeof(target_shown));
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
	/* Worse three periods running: four values, each worse than the one
	 * before (the threshold 0 here: the values were suppressed, if at
	 * all, by scorecard_values_suppress, and the row's own are its). */
	four[0] = value_of(values, d->id, ps->before[1].label, 0);
	four[1] = value_of(values, d->id, ps->before[2].label, 0);
	four[2] = row->previous;
	four[3] = row->value;
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
	if (overspend != NULL) {
		e->criteria[e->ncriteria++] = "budget";
		append_reason(e, "%s is linked to the budget line %s, forecast to spend %s in %s "
			      "against a budget of %s (%s%% over) as at %s", d->id,
			      overspend->budget_line, overspend->forecast, overspend->financial_year,
			      overspend->budget, overspend->variance_percent, overspend->as_at);
	}
	if (d->risk[0] != '\0' && (row->rag == RAG_RED || row->rag == RAG_AMBER ||
				   row->direction == DIRECTION_WORSENING)) {
		e->criteria[e->ncriteria++] = "corporate_risk";
		append_reason(e, "%s bears on the corporate risk %s and is %s", d->id, d->risk,
			      row->rag == RAG_RED ? "Red" : row->rag == RAG_AMBER ? "Amber"
			      : "worsening");
	}
	return e->ncriteria > 0;
}
