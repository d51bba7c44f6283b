/*
 * cases.c: the SQL listing the cases behind a figure, built from the same
 * joins and conditions as the figure (sql.c).
 */
#include "engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the cases behind a figure ---- */

bool engine_indicator_has_denominator(const engine_indicator *ind)
{
	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_CHILDREN_WITH_EVENTS:
	case ENGINE_COST_SUM:
	case ENGINE_COST_COUNT_OVER:
	case ENGINE_REPORTED:
	case ENGINE_RATE:            /* its denominator is a population estimate */
		return false;
	default:
		return true;
	}
}

bool engine_indicator_has_cases(const engine_indicator *ind)
{
	return ind->kind != ENGINE_REPORTED;
}

/* The condition list as one SQL boolean ("true" when empty). */
static void add_all(strbuf *s, const engine_indicator *ind, const condition *conds, size_t n,
		    const char *ref)
{
	strbuf_add(s, "(true");
	eng_add_conditions(s, ind, conds, n, ref);
	strbuf_add(s, ")");
}

/* The rows of one case query: (child_id, case_date, in_numerator, detail,
 * team). Uses the same joins and conditions as the figure's SQL. */
static void add_case_rows(strbuf *s, const engine_indicator *ind)
{
	shape how = eng_kind_shape(ind->kind, ind->of_open);
	const char *ref = how == SHAPE_FIXED ? "p.end_date" : eng_refdate(ind, how);
	int team = csperf_schema_field_index(ind->schema, "team");
	char team_expr[64];
	char date_expr[96];

	snprintf(team_expr, sizeof(team_expr), "%s", team >= 0 ? "e.team" : "NULL::text");
	if (how == SHAPE_EVENT)
		snprintf(date_expr, sizeof(date_expr), "e.%s", eng_fname(ind, ind->date));
	else if (how == SHAPE_OPEN)
		snprintf(date_expr, sizeof(date_expr), "e.%s", eng_fname(ind, ind->start));
	else
		snprintf(date_expr, sizeof(date_expr), "e.start_date");

	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_RATE:
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN:
	case ENGINE_PROPORTION:
	case ENGINE_SNAPSHOT_PROPORTION:
	case ENGINE_INTERVAL_PROPORTION:
		strbuf_add(s, "SELECT e.child_id, %s AS case_date, ", date_expr);
		if (ind->kind == ENGINE_PROPORTION || ind->kind == ENGINE_SNAPSHOT_PROPORTION ||
		    ind->kind == ENGINE_INTERVAL_PROPORTION)
			add_all(s, ind, ind->numerator, ind->nnumerator, ref);
		else
			strbuf_add(s, "true");
		strbuf_add(s, " AS in_numerator, ");
		if (ind->kind == ENGINE_BREAKDOWN || ind->kind == ENGINE_SNAPSHOT_BREAKDOWN)
			strbuf_add(s, "'%s ' || coalesce(e.%s, 'not recorded')", eng_fname(ind, ind->by),
			    eng_fname(ind, ind->by));
		else if (how == SHAPE_OPEN)
			strbuf_add(s, "'%s ' || e.%s || CASE WHEN %s THEN ', ' || '%s ' || coalesce(e.%s::text, "
			    "'none') ELSE '' END", eng_fname(ind, ind->start), eng_fname(ind, ind->start),
			    ind->end >= 0 ? "true" : "false",
			    ind->end >= 0 ? eng_fname(ind, ind->end) : "", ind->end >= 0 ? eng_fname(ind, ind->end)
							       : eng_fname(ind, ind->start));
		else
			strbuf_add(s, "'%s ' || e.%s", eng_fname(ind, ind->date), eng_fname(ind, ind->date));
		strbuf_add(s, " AS detail, %s AS team", team_expr);
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	case ENGINE_TIMELINESS:
		strbuf_add(s, "SELECT e.child_id, %s AS case_date, ", date_expr);
		if (ind->working_days)
			strbuf_add(s, "ct.wd_index - cf.wd_index <= %d AS in_numerator, '%s ' || e.%s || ' to %s ' "
			    "|| e.%s || ': ' || (ct.wd_index - cf.wd_index) || ' working days, ' || CASE WHEN "
			    "ct.wd_index - cf.wd_index <= %d THEN 'within' ELSE 'outside' END || ' %d' AS "
			    "detail", ind->within, eng_fname(ind, ind->from), eng_fname(ind, ind->from),
			    eng_fname(ind, ind->to), eng_fname(ind, ind->to), ind->within, ind->within);
		else
			strbuf_add(s, "e.%s - e.%s <= %d AS in_numerator, '%s ' || e.%s || ' to %s ' || e.%s || "
			    "': ' || (e.%s - e.%s) || ' days, ' || CASE WHEN e.%s - e.%s <= %d THEN 'within' "
			    "ELSE 'outside' END || ' %d' AS detail", eng_fname(ind, ind->to),
			    eng_fname(ind, ind->from), ind->within, eng_fname(ind, ind->from), eng_fname(ind, ind->from),
			    eng_fname(ind, ind->to), eng_fname(ind, ind->to), eng_fname(ind, ind->to),
			    eng_fname(ind, ind->from), eng_fname(ind, ind->to), eng_fname(ind, ind->from), ind->within,
			    ind->within);
		strbuf_add(s, ", %s AS team", team_expr);
		eng_add_from(s, ind, how);
		eng_add_interval_where(s, ind);
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_MEDIAN_DURATION:
		strbuf_add(s, "SELECT e.child_id, %s AS case_date, true AS in_numerator, '%s ' || e.%s || ' to "
		    "%s ' || e.%s || ': ' || (e.%s - e.%s) || ' days' AS detail, %s AS team", date_expr,
		    eng_fname(ind, ind->from), eng_fname(ind, ind->from), eng_fname(ind, ind->to),
		    eng_fname(ind, ind->to), eng_fname(ind, ind->to), eng_fname(ind, ind->from), team_expr);
		eng_add_from(s, ind, how);
		eng_add_interval_where(s, ind);
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT: {
		const char *date = eng_fname(ind, ind->date);

		strbuf_add(s, "SELECT e.child_id, %s AS case_date, (EXISTS (SELECT 1 FROM %s e2 WHERE "
		    "e2.council = e.council AND e2.child_id = e.child_id AND e2.%s < e.%s", date_expr,
		    ind->schema->name, date, date);
		if (ind->kind == ENGINE_REPEAT_WITHIN)
			strbuf_add(s, " AND e2.%s >= e.%s - interval '%d months'", date, date, ind->months);
		strbuf_add(s, ")");
		if (ind->prior_field >= 0)
			strbuf_add(s, " OR e.%s > 0", eng_fname(ind, ind->prior_field));
		strbuf_add(s, ") AS in_numerator, '%s ' || e.%s || ', earlier: ' || coalesce((SELECT max(e3.%s)"
		    "::text FROM %s e3 WHERE e3.council = e.council AND e3.child_id = e.child_id AND "
		    "e3.%s < e.%s), 'none') AS detail, %s AS team", date, date, date, ind->schema->name,
		    date, date, team_expr);
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	}
	case ENGINE_CHILDREN_WITH_EVENTS:
		strbuf_add(s, "SELECT e.child_id, min(%s) AS case_date, count(*) >= %d AS in_numerator, "
		    "count(*) || ' %s records in the period' AS detail, NULL::text AS team", date_expr,
		    ind->min, ind->schema->name);
		eng_add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY e.child_id");
		break;
	case ENGINE_STABILITY_SHORT:
		strbuf_add(s, "SELECT e.child_id, e.start_date AS case_date, pl.n >= %d AS in_numerator, pl.n || "
		    "' placements in the 12 months to ' || p.end_date AS detail, NULL::text AS team",
		    ind->min_placements);
		eng_add_stability_short_from(s, ind);
		break;
	case ENGINE_STABILITY_LONG:
		strbuf_add(s, "SELECT e.child_id, st.care_start AS case_date, st.placement_start <= (p.end_date - "
		    "interval '%d months')::date AS in_numerator, 'in care since ' || st.care_start || ', "
		    "in this placement since ' || st.placement_start AS detail, NULL::text AS team",
		    ind->placement_months);
		eng_add_stability_long_from(s, ind);
		break;
	case ENGINE_COST_SUM:
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		strbuf_add(s, "SELECT e.child_id, e.start_date AS case_date, ");
		if (ind->kind == ENGINE_COST_COUNT_OVER)
			strbuf_add(s, "e.weekly_cost > %.17g", ind->threshold);
		else
			strbuf_add(s, "true");
		strbuf_add(s, " AS in_numerator, 'weekly cost ' || e.weekly_cost || ' from ' || e.start_date || "
		    "coalesce(' to ' || e.end_date, ', open') AS detail, NULL::text AS team FROM %s JOIN "
		    "placement_cost e ON e.council = $1 AND e.start_date <= p.end_date AND ",
		    ind->kind == ENGINE_COST_SUM ? "pg_temp.engine_period p" : eng_period_source(ind));
		if (ind->kind == ENGINE_COST_SUM)
			strbuf_add(s, "(e.end_date IS NULL OR e.end_date >= p.start_date)");
		else
			strbuf_add(s, "(e.end_date IS NULL OR e.end_date >= p.end_date)");
		strbuf_add(s, " WHERE true");
		eng_add_conditions(s, ind, ind->where, ind->nwhere, "p.end_date");
		break;
	case ENGINE_REPORTED:
		strbuf_add(s, "SELECT NULL::text, NULL::date, false, NULL::text, NULL::text WHERE false");
		break;
	}
}

char *engine_indicator_cases_sql(const engine_indicator *ind, engine_case_part part)
{
	strbuf s = STRBUF_INIT;

	/* One row per child where the figure counts children (the kinds whose
	 * figure honours `children`: see eng_counted()). */
	bool per_child = ind->children &&
		(ind->kind == ENGINE_COUNT || ind->kind == ENGINE_SNAPSHOT_COUNT ||
		 ind->kind == ENGINE_INTERVAL_COUNT || ind->kind == ENGINE_RATE ||
		 ind->kind == ENGINE_PROPORTION || ind->kind == ENGINE_SNAPSHOT_PROPORTION ||
		 ind->kind == ENGINE_INTERVAL_PROPORTION);

	/* A condition on an absent value is NULL, not false: such a case is in
	 * the population but not the numerator, as count(*) FILTER has it. */
	strbuf_add(&s, "SELECT child_id, case_date, coalesce(in_numerator, false) AS in_numerator, detail, "
	    "team FROM (");
	if (per_child) {
		strbuf_add(&s, "SELECT child_id, min(case_date) AS case_date, bool_or(in_numerator) AS "
		    "in_numerator, string_agg(detail, '; ' ORDER BY case_date) AS detail, "
		    "min(team) AS team FROM (");
		add_case_rows(&s, ind);
		strbuf_add(&s, ") r GROUP BY child_id");
	} else {
		add_case_rows(&s, ind);
	}
	strbuf_add(&s, ") c WHERE %s ORDER BY case_date, child_id",
	    part == ENGINE_CASES_NUMERATOR ? "coalesce(c.in_numerator, false)"
	    : part == ENGINE_CASES_NOT_NUMERATOR ? "NOT coalesce(c.in_numerator, false)" : "true");
	if (s.failed) {
		free(s.text);
		return NULL;
	}
	return s.text;
}
