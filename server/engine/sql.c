/*
 * sql.c: the SQL pieces a figure and its cases share: conditions, the join of
 * records to periods, the cohorts of the stability kinds. Codes and numbers
 * are written into the SQL only after params.c checked them; free text is
 * written as a quoted literal.
 */
#include "engine_internal.h"

#include <stdio.h>
#include <string.h>


/* A string literal in the escape form, E'...', with quotes and backslashes
 * doubled: it reads the same whatever standard_conforming_strings says (the
 * store sets it on as well), so a definition's text cannot end it early. */
void eng_add_literal(strbuf *s, const char *text)
{
	strbuf_add(s, "E'");
	for (const char *p = text; *p != '\0'; p++)
		strbuf_add(s, *p == '\'' ? "''" : *p == '\\' ? "\\\\" : "%c", *p);
	strbuf_add(s, "'");
}

const char *eng_fname(const engine_indicator *ind, int field)
{
	return ind->schema->fields[field].name;
}

/* A date of a comparison as SQL: a field of `e`, or a day of the period. */
static void date_operand(const engine_indicator *ind, int field, const char *refdate, char *out,
			 size_t size)
{
	if (field == FIELD_PERIOD_END)
		snprintf(out, size, "%s", refdate);
	else if (field == FIELD_PERIOD_START)
		snprintf(out, size, "p.start_date");
	else
		snprintf(out, size, "e.%s", eng_fname(ind, field));
}

/* One condition on alias `e`; `refdate` is the date ages are taken on. */
void eng_add_condition(strbuf *s, const engine_indicator *ind, const condition *c,
			  const char *refdate)
{
	switch (c->op) {
	case COND_IN:
	case COND_NOT_IN:
		if (ind->schema->fields[c->field].kind == CSPERF_FIELD_CODES) {
			/* any of the listed codes among the space-separated ones */
			strbuf_add(s, "%s(string_to_array(e.%s, ' ') && ARRAY[", c->op == COND_IN ? "coalesce(" : "NOT coalesce(",
			    eng_fname(ind, c->field));
			for (size_t i = 0; i < c->nvalues; i++) {
				strbuf_add(s, "%s", i > 0 ? ", " : "");
				eng_add_literal(s, c->values[i]);
			}
			strbuf_add(s, "]::text[], false)");
			break;
		}
		strbuf_add(s, "e.%s %s (", eng_fname(ind, c->field), c->op == COND_IN ? "IN" : "NOT IN");
		for (size_t i = 0; i < c->nvalues; i++) {
			strbuf_add(s, "%s", i > 0 ? ", " : "");
			eng_add_literal(s, c->values[i]);
		}
		strbuf_add(s, ")");
		if (c->op == COND_NOT_IN)
			strbuf_add(s, " IS NOT FALSE");  /* an absent code is not one of them */
		break;
	case COND_IS_NULL:
		strbuf_add(s, "e.%s IS NULL", eng_fname(ind, c->field));
		break;
	case COND_NOT_NULL:
		strbuf_add(s, "e.%s IS NOT NULL", eng_fname(ind, c->field));
		break;
	case COND_EQUALS:
		strbuf_add(s, "e.%s::text = ", eng_fname(ind, c->field));
		eng_add_literal(s, c->values[0]);
		break;
	case COND_RANGE:
		strbuf_add(s, "(true");
		if (c->has_min)
			strbuf_add(s, " AND e.%s >= %.17g", eng_fname(ind, c->field), c->min);
		if (c->has_max)
			strbuf_add(s, " AND e.%s <= %.17g", eng_fname(ind, c->field), c->max);
		strbuf_add(s, ")");
		break;
	case COND_COMPARE: {
		char left[96], right[96];

		date_operand(ind, c->field, refdate, left, sizeof(left));
		date_operand(ind, c->other, refdate, right, sizeof(right));
		switch (c->unit) {
		case UNIT_DAYS:
			strbuf_add(s, "%s %s %s + %d", left, c->sql_op, right, c->amount);
			break;
		case UNIT_MONTHS:
			strbuf_add(s, "%s %s (%s + interval '%d months')::date", left, c->sql_op, right,
			    c->amount);
			break;
		case UNIT_WORKING_DAYS:
			/* The working days from right (inclusive) to left (exclusive):
			 * csperf_working_days(nation, right, left), its body written
			 * out. A SQL function whose body has subqueries is not
			 * inlined, and running it row by row cost twice these two
			 * index look-ups (CP09 over 110,000 spell-days: 550 ms). */
			strbuf_add(s, "((SELECT wd_index FROM calendar_day WHERE calendar_day.nation = "
			    "(SELECT nation FROM council WHERE la_code = $1) AND calendar_day.day = %s) - "
			    "(SELECT wd_index FROM calendar_day WHERE calendar_day.nation = "
			    "(SELECT nation FROM council WHERE la_code = $1) AND calendar_day.day = %s)) "
			    "%s %d", left, right, c->sql_op, c->amount);
			break;
		}
		break;
	}
	case COND_AGE:
		strbuf_add(s, "(true");
		if (c->has_min)
			strbuf_add(s, " AND date_part('year', age(%s, c.birth_date)) >= %d", refdate, (int)c->min);
		if (c->has_max)
			strbuf_add(s, " AND date_part('year', age(%s, c.birth_date)) <= %d", refdate, (int)c->max);
		strbuf_add(s, ")");
		break;
	}
}

void eng_add_conditions(strbuf *s, const engine_indicator *ind, const condition *conds,
			   size_t n, const char *refdate)
{
	for (size_t i = 0; i < n; i++) {
		strbuf_add(s, " AND ");
		eng_add_condition(s, ind, &conds[i], refdate);
	}
}

/* Snapshot kinds depend only on a period's last day, which periods share
 * (a month, its rolling year, its year to date, and a quarter or a year may
 * all end on 31 March): they are computed once per last day. */
bool eng_by_end_date(const engine_indicator *ind)
{
	switch (ind->kind) {
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_SNAPSHOT_PROPORTION:
	case ENGINE_SNAPSHOT_BREAKDOWN:
	case ENGINE_STABILITY_SHORT:
	case ENGINE_STABILITY_LONG:
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		return true;
	case ENGINE_RATE:
		return ind->of_open;
	default:
		return false;
	}
}

/* The periods an indicator is computed over, as `p` (label, end_date, ...). */
const char *eng_period_source(const engine_indicator *ind)
{
	return eng_by_end_date(ind) ? "pg_temp.engine_end_date p" : "pg_temp.engine_period p";
}

/* The records in each period: FROM periods p JOIN view e ON ... [child c].
 * Events reach their periods through their month (pg_temp.engine_period_month
 * lists the months of each period), an equality the database can hash, so
 * the work grows with the events, not events x periods. */
void eng_add_from(strbuf *s, const engine_indicator *ind, shape how)
{
	if (how == SHAPE_EVENT) {
		strbuf_add(s, " FROM pg_temp.engine_period_month pm JOIN pg_temp.engine_period p ON "
		    "p.label = pm.label JOIN %s e ON e.council = $1 AND date_trunc('month', e.%s)::date "
		    "= pm.month", ind->schema->name, eng_fname(ind, ind->date));
	} else if (ind->kind == ENGINE_INTERVAL_COUNT || ind->kind == ENGINE_INTERVAL_PROPORTION) {
		strbuf_add(s, " FROM %s JOIN %s e ON e.council = $1 AND e.%s <= p.end_date", eng_period_source(ind),
		    ind->schema->name, eng_fname(ind, ind->start));
		if (ind->end >= 0)
			strbuf_add(s, " AND (e.%s IS NULL OR e.%s >= p.start_date)", eng_fname(ind, ind->end),
			    eng_fname(ind, ind->end));
	} else {
		strbuf_add(s, " FROM %s JOIN %s e ON e.council = $1 AND e.%s <= p.end_date", eng_period_source(ind),
		    ind->schema->name, eng_fname(ind, ind->start));
		if (ind->end >= 0)
			strbuf_add(s, " AND (e.%s IS NULL OR e.%s > p.end_date)", eng_fname(ind, ind->end),
			    eng_fname(ind, ind->end));
	}
	if (ind->needs_child)
		strbuf_add(s, " LEFT JOIN child c ON c.council = e.council AND c.child_id = e.child_id");
}

const char *eng_refdate(const engine_indicator *ind, shape how)
{
	static __thread char buffer[80];

	if (how == SHAPE_EVENT) {
		snprintf(buffer, sizeof(buffer), "e.%s", eng_fname(ind, ind->date));
		return buffer;
	}
	return "p.end_date";
}

const char *eng_counted(const engine_indicator *ind)
{
	return ind->children ? "DISTINCT e.child_id" : "*";
}

/* The cases an interval kind measures: both dates given, the second not
 * before the first; for working days, each date's place in the council's
 * calendar (cf, ct). Shared by the figures and their cases. */
void eng_add_interval_where(strbuf *s, const engine_indicator *ind)
{
	if (ind->kind == ENGINE_TIMELINESS && ind->working_days)
		strbuf_add(s, " JOIN calendar_day cf ON cf.nation = (SELECT nation FROM council WHERE "
		    "la_code = $1) AND cf.day = e.%s JOIN calendar_day ct ON ct.nation = cf.nation "
		    "AND ct.day = e.%s", eng_fname(ind, ind->from), eng_fname(ind, ind->to));
	strbuf_add(s, " WHERE e.%s IS NOT NULL AND e.%s IS NOT NULL AND e.%s >= e.%s",
	    eng_fname(ind, ind->from), eng_fname(ind, ind->to), eng_fname(ind, ind->to), eng_fname(ind, ind->from));
}

/* The cohort of stability_short and its placements in the twelve months to
 * the last day: the placement the child was in on the first day of the
 * twelve months (whatever the episode's reason), then every episode
 * starting after it that began a placement (every reason but L, a change of
 * legal status only); at least the one the child is in. Short breaks (V3,
 * V4) and the placement types of not_placements (temporary placements) are
 * no placements, and an episode that follows one of those is a return, not
 * a new placement. Shared by the figure and its cases. */
void eng_add_stability_short_from(strbuf *s, const engine_indicator *ind)
{
	const char *not_placements = ind->not_placements[0] != '\0' ? ind->not_placements : "''";

	strbuf_add(s, " FROM %s JOIN la_episode e ON e.council = $1 AND e.start_date <= p.end_date AND "
	    "(e.end_date IS NULL OR e.end_date > p.end_date) AND e.legal_status NOT IN ('V3', 'V4') "
	    "CROSS JOIN LATERAL (SELECT (p.end_date - interval '1 year' + interval '1 day')::date AS "
	    "ws) w CROSS JOIN LATERAL (SELECT greatest(1, least(1, count(*) FILTER (WHERE "
	    "e2.start_date <= w.ws)) + count(*) FILTER (WHERE e2.start_date > w.ws AND "
	    "e2.new_episode_reason <> 'L' AND NOT EXISTS (SELECT 1 FROM la_episode e3 WHERE "
	    "e3.council = e2.council AND e3.child_id = e2.child_id AND e3.end_date = e2.start_date "
	    "AND e3.start_date < e2.start_date AND e3.placement_type IN (%s)))) AS n FROM la_episode "
	    "e2 WHERE e2.council = e.council AND e2.child_id = e.child_id AND e2.start_date <= "
	    "p.end_date AND (e2.end_date IS NULL OR e2.end_date > w.ws) AND e2.legal_status NOT IN "
	    "('V3', 'V4') AND e2.placement_type "
	    "NOT IN (%s)) pl WHERE true", eng_period_source(ind), not_placements, not_placements);
}

/* The cohort of stability_long: children under max_age on the last day,
 * looked after then (not on short breaks) and continuously since their care
 * began (their latest episode with reason S) at least care_months before;
 * st.placement_start is when their placement began (their latest episode
 * that changed carer: a reason not in same_carer, by default L only), or,
 * when placed for adoption (A3 to A6), when the one before it did (the
 * DfE's rule). Short breaks are no placements. Shared by the figure and its
 * cases. */
void eng_add_stability_long_from(strbuf *s, const engine_indicator *ind)
{
	strbuf_add(s, " FROM %s JOIN la_episode e ON e.council = $1 AND e.start_date <= "
	    "p.end_date AND (e.end_date IS NULL OR e.end_date > p.end_date) AND e.legal_status NOT "
	    "IN ('V3', 'V4') JOIN child c ON c.council = e.council AND c.child_id = e.child_id AND "
	    "date_part('year', age(p.end_date, c.birth_date)) < %d CROSS JOIN LATERAL (SELECT "
	    "max(e2.start_date) FILTER (WHERE e2.new_episode_reason = 'S') AS care_start, "
	    "CASE WHEN e.placement_type IN ('A3', 'A4', 'A5', 'A6') THEN coalesce((array_agg("
	    "e2.start_date ORDER BY e2.start_date DESC) FILTER (WHERE e2.new_episode_reason NOT IN "
	    "(%s)))[2], max(e2.start_date) FILTER (WHERE e2.new_episode_reason NOT IN (%s))) ELSE "
	    "max(e2.start_date) FILTER (WHERE e2.new_episode_reason NOT IN (%s)) END AS "
	    "placement_start FROM la_episode e2 WHERE e2.council = e.council AND e2.child_id = "
	    "e.child_id AND e2.start_date <= p.end_date AND e2.legal_status NOT IN ('V3', 'V4')) st "
	    "WHERE st.care_start <= (p.end_date - interval '%d months')::date", eng_period_source(ind),
	    ind->max_age, ind->same_carer, ind->same_carer, ind->same_carer, ind->care_months);
}
