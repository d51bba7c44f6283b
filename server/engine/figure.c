/*
 * figure.c: the SQL computing an indicator for every period of
 * pg_temp.engine_period: (label, breakdown, numerator, denominator, value).
 */
#include "engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether an event kind's figure adds up over months: counts of events
 * (not of distinct children), sums and counts. Such figures are counted once
 * per month and the months summed into each period: each event is looked at
 * once, not once for each of the (up to 27) periods that contain it. */
static bool by_month(const engine_indicator *ind)
{
	if (eng_kind_shape(ind->kind, ind->of_open) != SHAPE_EVENT || ind->children)
		return false;
	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_RATE:
	case ENGINE_PROPORTION:
	case ENGINE_TIMELINESS:
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT:
	case ENGINE_BREAKDOWN:
		return true;
	default:
		return false;
	}
}

/* The events of the periods computed, counted by month: SELECT month,
 * <aggregates> FROM view e ... WHERE <conditions>; the caller adds GROUP BY.
 * Only events within the periods' dates are read. */
static void add_month_from(strbuf *s, const engine_indicator *ind, const char *aggregates)
{
	const char *date = eng_fname(ind, ind->date);

	strbuf_add(s, "SELECT date_trunc('month', e.%s)::date AS month, %s FROM %s e", date, aggregates,
	    ind->schema->name);
	if (ind->needs_child)
		strbuf_add(s, " LEFT JOIN child c ON c.council = e.council AND c.child_id = e.child_id");
	if (ind->kind == ENGINE_TIMELINESS || ind->kind == ENGINE_AVERAGE_DURATION)
		eng_add_interval_where(s, ind);
	else
		strbuf_add(s, " WHERE true");
	strbuf_add(s, " AND e.council = $1 AND e.%s >= (SELECT min(start_date) FROM pg_temp.engine_period) "
	    "AND e.%s <= (SELECT max(end_date) FROM pg_temp.engine_period)", date, date);
	eng_add_conditions(s, ind, ind->where, ind->nwhere, eng_refdate(ind, SHAPE_EVENT));
}

/* Sums the months of by_month's query m into each period. */
static void add_month_sum(strbuf *s)
{
	strbuf_add(s, ") m JOIN pg_temp.engine_period_month pm ON pm.month = m.month GROUP BY pm.label");
}

/* What a breakdown counts by: the field's code, or, for a codes field
 * (several codes in one value), each of its codes (g.code, from unnest). */
static void breakdown_code(const engine_indicator *ind, char *code, size_t size)
{
	if (ind->schema->fields[ind->by].kind == CSPERF_FIELD_CODES)
		snprintf(code, size, "g.code");
	else
		snprintf(code, size, "e.%s", eng_fname(ind, ind->by));
}

/* The inner query of a by_month kind. */
static void add_inner_by_month(strbuf *s, const engine_indicator *ind)
{
	const char *ref = eng_refdate(ind, SHAPE_EVENT);

	switch (ind->kind) {
	case ENGINE_BREAKDOWN: {
		char code[96];

		breakdown_code(ind, code, sizeof(code));
		strbuf_add(s, "SELECT label, code AS breakdown, n::numeric AS num, (sum(n) FILTER (WHERE "
		    "code = '') OVER (PARTITION BY label))::numeric AS den FROM (SELECT pm.label, "
		    "m.code, sum(m.n) AS n FROM (SELECT month, code, count(*) AS n FROM (");
		{
			char aggregates[160];

			snprintf(aggregates, sizeof(aggregates), "coalesce(%s, 'not recorded') AS code",
				 code);
			strbuf_add(s, "SELECT date_trunc('month', e.%s)::date AS month, %s FROM %s e",
			    eng_fname(ind, ind->date), aggregates, ind->schema->name);
		}
		if (ind->needs_child)
			strbuf_add(s, " LEFT JOIN child c ON c.council = e.council AND c.child_id = e.child_id");
		if (code[0] == 'g')
			strbuf_add(s, " LEFT JOIN LATERAL unnest(string_to_array(e.%s, ' ')) AS g(code) ON true",
			    eng_fname(ind, ind->by));
		strbuf_add(s, " WHERE e.council = $1 AND e.%s >= (SELECT min(start_date) FROM "
		    "pg_temp.engine_period) AND e.%s <= (SELECT max(end_date) FROM pg_temp.engine_period)",
		    eng_fname(ind, ind->date), eng_fname(ind, ind->date));
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, ") y GROUP BY 1, 2 UNION ALL ");
		add_month_from(s, ind, "'' AS code, count(*) AS n");
		strbuf_add(s, " GROUP BY 1, 2");
		add_month_sum(s);
		strbuf_add(s, ", m.code) b");
		return;
	}
	case ENGINE_COUNT:
	case ENGINE_RATE:
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, NULL::numeric "
		    "AS den FROM (");
		add_month_from(s, ind, "count(*) AS num");
		break;
	case ENGINE_PROPORTION:
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		{
			strbuf aggregates = STRBUF_INIT;

			strbuf_add(&aggregates, "count(*) FILTER (WHERE true");
			eng_add_conditions(&aggregates, ind, ind->numerator, ind->nnumerator, ref);
			strbuf_add(&aggregates, ") AS num, count(*) AS den");
			if (aggregates.failed) {
				s->failed = true;
				return;
			}
			add_month_from(s, ind, aggregates.text);
			free(aggregates.text);
		}
		break;
	case ENGINE_TIMELINESS: {
		char aggregates[256];

		if (ind->working_days)
			snprintf(aggregates, sizeof(aggregates), "count(*) FILTER (WHERE ct.wd_index - "
				 "cf.wd_index <= %d) AS num, count(*) AS den", ind->within);
		else
			snprintf(aggregates, sizeof(aggregates), "count(*) FILTER (WHERE e.%s - e.%s <= "
				 "%d) AS num, count(*) AS den", eng_fname(ind, ind->to), eng_fname(ind, ind->from),
				 ind->within);
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		add_month_from(s, ind, aggregates);
		break;
	}
	case ENGINE_AVERAGE_DURATION: {
		char aggregates[256];

		snprintf(aggregates, sizeof(aggregates), "sum(e.%s - e.%s) AS num, count(*) AS den",
			 eng_fname(ind, ind->to), eng_fname(ind, ind->from));
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		add_month_from(s, ind, aggregates);
		break;
	}
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT: {
		const char *date = eng_fname(ind, ind->date);
		strbuf aggregates = STRBUF_INIT;

		strbuf_add(&aggregates, "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM %s e2 WHERE e2.council = "
		    "e.council AND e2.child_id = e.child_id AND e2.%s < e.%s", ind->schema->name, date,
		    date);
		if (ind->kind == ENGINE_REPEAT_WITHIN)
			strbuf_add(&aggregates, " AND e2.%s >= e.%s - interval '%d months'", date, date,
			    ind->months);
		strbuf_add(&aggregates, ")");
		if (ind->prior_field >= 0)
			strbuf_add(&aggregates, " OR e.%s > 0", eng_fname(ind, ind->prior_field));
		strbuf_add(&aggregates, ") AS num, count(*) AS den");
		if (aggregates.failed) {
			s->failed = true;
			return;
		}
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		add_month_from(s, ind, aggregates.text);
		free(aggregates.text);
		break;
	}
	default:
		s->failed = true;
		return;
	}
	strbuf_add(s, " GROUP BY 1");
	add_month_sum(s);
}

/* Whether a count of open records (snapshot_count, a rate of open cases)
 * can be swept (add_open_sweep): its conditions read the record alone, not
 * the period's last day nor the child's record. */
static bool sweepable(const engine_indicator *ind)
{
	if ((ind->kind != ENGINE_SNAPSHOT_COUNT && !(ind->kind == ENGINE_RATE && ind->of_open)) ||
	    ind->needs_child || ind->start < 0)
		return false;
	for (size_t i = 0; i < ind->nwhere; i++) {
		const condition *c = &ind->where[i];

		if (c->op == COND_AGE || (c->op == COND_COMPARE && (c->field < 0 || c->other < 0)))
			return false;
	}
	return true;
}

/* A count of records (or children) open on each last day, in one pass over
 * the records instead of a join of every last day with every record open on
 * it (issue 23: CN03 over 100,000 children joined some 200 last days with
 * up to 40,000 open referrals each, then sorted for the distinct children).
 * A record is open on day d when it started on or before d and has not
 * ended or ended after d: the interval [start, end). For distinct children
 * a child's intervals are merged first (overlapping or touching: one
 * island), so that a child is in at most one island on any day. The count
 * on d is then the islands started on or before d less those ended on or
 * before d: a sort of the records and one running sum. Records whose end is not after their start are open on no day
 * and are left out. */
static void add_open_sweep(strbuf *s, const engine_indicator *ind)
{
	const char *start = eng_fname(ind, ind->start);
	const char *end = ind->end >= 0 ? eng_fname(ind, ind->end) : NULL;

	strbuf_add(s, "WITH r AS (SELECT e.child_id, e.%s AS s, ", start);
	if (end != NULL)
		strbuf_add(s, "coalesce(e.%s, 'infinity'::date) AS c", end);
	else
		strbuf_add(s, "'infinity'::date AS c");
	strbuf_add(s, " FROM %s e WHERE e.council = $1 AND e.%s IS NOT NULL", ind->schema->name,
		   start);
	if (end != NULL)
		strbuf_add(s, " AND (e.%s IS NULL OR e.%s > e.%s)", end, end, start);
	eng_add_conditions(s, ind, ind->where, ind->nwhere, "p.end_date");
	strbuf_add(s, ")");
	if (ind->children)
		strbuf_add(s, ", o AS (SELECT child_id, s, c, max(c) OVER (PARTITION BY child_id "
		    "ORDER BY s, c ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM r), "
		    "n AS (SELECT child_id, s, c, sum(CASE WHEN before IS NULL OR s > before THEN 1 ELSE "
		    "0 END) OVER (PARTITION BY child_id ORDER BY s, c ROWS UNBOUNDED PRECEDING) AS island "
		    "FROM o), i AS (SELECT min(s) AS s, max(c) AS c FROM n GROUP BY child_id, island)");
	else
		strbuf_add(s, ", i AS (SELECT s, c FROM r)");
	/* The last days join the starts (+1) and ends (-1) as events of their
	 * own (0), and one running sum in day order counts them all. */
	strbuf_add(s, ", ev AS (SELECT s AS day, 1 AS k FROM i UNION ALL SELECT c, -1 FROM i WHERE "
	    "c <> 'infinity'::date UNION ALL SELECT p.end_date, 0 FROM %s), run AS (SELECT DISTINCT "
	    "day, sum(k) OVER (ORDER BY day) AS n FROM ev) SELECT p.label, ''::text AS breakdown, "
	    "run.n::numeric AS num, NULL::numeric AS den FROM %s JOIN run ON run.day = p.end_date",
	    eng_period_source(ind), eng_period_source(ind));
}

/* The inner query: (label, breakdown, num, den) per period with data. */
static void add_inner(strbuf *s, const engine_indicator *ind)
{
	shape how = eng_kind_shape(ind->kind, ind->of_open);
	const char *ref = how == SHAPE_FIXED ? "p.end_date" : eng_refdate(ind, how);

	if (by_month(ind)) {
		add_inner_by_month(s, ind);
		return;
	}
	if (sweepable(ind)) {
		add_open_sweep(s, ind);
		return;
	}
	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_RATE:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(%s)::numeric AS num, "
		    "NULL::numeric AS den", eng_counted(ind));
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_PROPORTION:
	case ENGINE_SNAPSHOT_PROPORTION:
	case ENGINE_INTERVAL_PROPORTION:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(%s) FILTER (WHERE true",
		    eng_counted(ind));
		eng_add_conditions(s, ind, ind->numerator, ind->nnumerator, ref);
		strbuf_add(s, ")::numeric AS num, count(%s)::numeric AS den", eng_counted(ind));
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_TIMELINESS:
		if (ind->working_days)
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE "
			    "ct.wd_index - cf.wd_index <= %d)::numeric AS num, count(*)::numeric AS den",
			    ind->within);
		else
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE "
			    "e.%s - e.%s <= %d)::numeric AS num, count(*)::numeric AS den",
			    eng_fname(ind, ind->to), eng_fname(ind, ind->from), ind->within);
		eng_add_from(s, ind, how);
		eng_add_interval_where(s, ind);
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_MEDIAN_DURATION:
		if (ind->kind == ENGINE_AVERAGE_DURATION)
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, sum(e.%s - e.%s)::numeric AS num, "
			    "count(*)::numeric AS den", eng_fname(ind, ind->to), eng_fname(ind, ind->from));
		else
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, percentile_cont(0.5) WITHIN GROUP "
			    "(ORDER BY e.%s - e.%s)::numeric AS num, count(*)::numeric AS den",
			    eng_fname(ind, ind->to), eng_fname(ind, ind->from));
		eng_add_from(s, ind, how);
		eng_add_interval_where(s, ind);
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT: {
		const char *date = eng_fname(ind, ind->date);

		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE EXISTS (SELECT 1 "
		    "FROM %s e2 WHERE e2.council = e.council AND e2.child_id = e.child_id AND "
		    "e2.%s < e.%s", ind->schema->name, date, date);
		if (ind->kind == ENGINE_REPEAT_WITHIN)
			strbuf_add(s, " AND e2.%s >= e.%s - interval '%d months'", date, date, ind->months);
		strbuf_add(s, ")");
		if (ind->prior_field >= 0)
			strbuf_add(s, " OR e.%s > 0", eng_fname(ind, ind->prior_field));
		strbuf_add(s, ")::numeric AS num, count(*)::numeric AS den");
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	}
	case ENGINE_CHILDREN_WITH_EVENTS:
		strbuf_add(s, "SELECT label, ''::text AS breakdown, count(*) FILTER (WHERE n >= %d)::numeric "
		    "AS num, NULL::numeric AS den FROM (SELECT p.label, e.child_id, count(*) AS n",
		    ind->min);
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label, e.child_id) y GROUP BY label");
		break;
	case ENGINE_STABILITY_SHORT:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE pl.n >= %d)::numeric "
		    "AS num, count(*)::numeric AS den", ind->min_placements);
		eng_add_stability_short_from(s, ind);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_STABILITY_LONG:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE st.placement_start "
		    "<= (p.end_date - interval '%d months')::date)::numeric AS num, count(*)::numeric AS den",
		    ind->placement_months);
		eng_add_stability_long_from(s, ind);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN: {
		char code[96];

		breakdown_code(ind, code, sizeof(code));
		strbuf_add(s, "SELECT label, code AS breakdown, n::numeric AS num, (sum(n) FILTER (WHERE "
		    "code = '') OVER (PARTITION BY label))::numeric AS den FROM (SELECT p.label, "
		    "coalesce(%s, 'not recorded') AS code, count(%s) AS n", code, eng_counted(ind));
		eng_add_from(s, ind, how);
		if (code[0] == 'g')
			strbuf_add(s, " LEFT JOIN LATERAL unnest(string_to_array(e.%s, ' ')) AS g(code) ON true",
			    eng_fname(ind, ind->by));
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label, 2 UNION ALL SELECT p.label, '' AS code, count(%s) AS n",
		    eng_counted(ind));
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label) b");
		break;
	}
	case ENGINE_REPORTED:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, max(r.value)::numeric AS num, "
		    "NULL::numeric AS den FROM pg_temp.engine_period p JOIN reported_figure r ON "
		    "r.council = $1 AND r.indicator_id = ");
		if (ind->reported_id[0] != '\0')
			eng_add_literal(s, ind->reported_id);
		else
			strbuf_add(s, "$2");
		/* Council-wide figures: org_unit "council", or the council's own code. */
		strbuf_add(s, " AND r.org_unit IN ('council', '', $1) AND r.period_start = p.start_date AND "
		    "r.period_end = p.end_date GROUP BY p.label");
		break;
	case ENGINE_COST_SUM:
		/* Whole pennies per cost line, as GetPlacementCosts has them
		 * (placement_cost_net_pence, migrations/0007_finance.sql). */
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, (sum(placement_cost_net_pence("
		    "e.weekly_cost, e.health_contribution, e.education_contribution, "
		    "least(coalesce(e.end_date, p.end_date), p.end_date) - greatest(e.start_date, "
		    "p.start_date) + 1)) / 100.0)::numeric(16, 2) AS num, NULL::numeric "
		    "AS den FROM pg_temp.engine_period p JOIN placement_cost e ON e.council = $1 AND "
		    "e.start_date <= p.end_date AND (e.end_date IS NULL OR e.end_date >= p.start_date) "
		    "WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, "p.end_date");
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		if (ind->kind == ENGINE_COST_AVERAGE)
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, sum(e.weekly_cost)::numeric AS num, "
			    "count(*)::numeric AS den");
		else
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE "
			    "e.weekly_cost > %.17g)::numeric AS num, NULL::numeric AS den", ind->threshold);
		strbuf_add(s, " FROM %s JOIN placement_cost e ON e.council = $1 AND "
		    "e.start_date <= p.end_date AND (e.end_date IS NULL OR e.end_date >= p.end_date) "
		    "WHERE true", eng_period_source(ind));
		eng_add_conditions(s, ind, ind->where, ind->nwhere, "p.end_date");
		strbuf_add(s, " GROUP BY p.label");
		break;
	}
}

/* How each kind turns numerator and denominator into its value. */
static const char *value_expression(engine_kind kind)
{
	switch (kind) {
	case ENGINE_PROPORTION:
	case ENGINE_SNAPSHOT_PROPORTION:
	case ENGINE_INTERVAL_PROPORTION:
	case ENGINE_TIMELINESS:
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT:
	case ENGINE_STABILITY_SHORT:
	case ENGINE_STABILITY_LONG:
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN:
		return "round(100.0 * x.num / nullif(x.den, 0), 4)";
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_COST_AVERAGE:
		return "round(x.num / nullif(x.den, 0), 4)";
	default:
		return "x.num";
	}
}

char *engine_indicator_sql(const engine_indicator *ind)
{
	strbuf s = STRBUF_INIT;
	const char *join;
	bool zero_fill;

	/* Counts are 0 in a period without events; a reported figure that was
	 * not reported is absent, not 0. */
	zero_fill = ind->kind != ENGINE_REPORTED && ind->kind != ENGINE_MEDIAN_DURATION;
	join = eng_by_end_date(ind) ? "x.label = p.end_date::text" : "x.label = p.label";
	strbuf_add(&s, "WITH x AS (");
	add_inner(&s, ind);
	strbuf_add(&s, ") ");
	if (ind->kind == ENGINE_RATE) {
		/* The denominator: the latest under-18 estimate for a year up to
		 * the period's last. */
		strbuf_add(&s, "SELECT p.label, ''::text AS breakdown, coalesce(x.num, 0) AS numerator, "
		    "pop.n AS denominator, round(10000.0 * coalesce(x.num, 0) / nullif(pop.n, 0), 4) AS "
		    "value FROM pg_temp.engine_period p LEFT JOIN x ON %s LEFT JOIN "
		    "LATERAL (SELECT under_18_estimate::numeric AS n FROM population WHERE council = $1 "
		    "AND year <= extract(year FROM p.end_date) ORDER BY year DESC LIMIT 1) pop ON true",
		    join);
	} else if (ind->kind == ENGINE_BREAKDOWN || ind->kind == ENGINE_SNAPSHOT_BREAKDOWN) {
		/* The '' row is the total; each code's share is of it. */
		strbuf_add(&s, "SELECT p.label, coalesce(x.breakdown, '') AS breakdown, coalesce(x.num, 0) AS "
		    "numerator, CASE WHEN coalesce(x.breakdown, '') = '' THEN NULL ELSE x.den END AS "
		    "denominator, CASE WHEN coalesce(x.breakdown, '') = '' THEN coalesce(x.num, 0) ELSE "
		    "%s END AS value FROM pg_temp.engine_period p LEFT JOIN x ON %s",
		    value_expression(ind->kind), join);
	} else {
		bool has_denominator = strcmp(value_expression(ind->kind), "x.num") != 0 ||
				       ind->kind == ENGINE_MEDIAN_DURATION;

		strbuf_add(&s, "SELECT p.label, ''::text AS breakdown, %s AS numerator, %s AS denominator, "
		    "%s AS value FROM pg_temp.engine_period p LEFT JOIN x ON %s",
		    zero_fill ? "coalesce(x.num, 0)" : "x.num",
		    has_denominator ? "coalesce(x.den, 0)" : "x.den",
		    has_denominator ? value_expression(ind->kind)
				    : zero_fill ? "coalesce(x.num, 0)" : "x.num", join);
	}
	if (s.failed) {
		free(s.text);
		return NULL;
	}
	return s.text;
}

/* ---- what a change to the records can reach ---- */

void engine_indicator_reads(const engine_indicator *ind, bool *reads)
{
	if (ind->fact != NULL)
		engine_fact_reads(ind->fact, reads);
	else
		reads[ind->schema->type] = true;
	if (ind->needs_child || ind->kind == ENGINE_STABILITY_LONG)
		reads[CSPERF_RECORD_CHILD] = true;
	if (ind->kind == ENGINE_RATE)
		reads[CSPERF_RECORD_POPULATION] = true;
}

int engine_indicator_reach_back_months(const engine_indicator *ind)
{
	/* See engine.h: no kind judges an event by later records. */
	(void)ind;
	return 0;
}
