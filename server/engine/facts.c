/*
 * facts.c: derived facts: child-level tables the engine builds from a
 * council's records before the kinds count over them, as the DfE derives
 * its figures (periods of care first, then simple counts).
 *
 * A fact has a schema like a record type's (its fields, with the code lists
 * of the record fields they come from), so that a definition names a fact
 * where it would name a record ("record": "adoption_journey") and every kind,
 * condition and field check applies unchanged. Each fact is one SQL
 * statement over the record views for council $1, run into a temporary
 * table of its name once per recompute (or drill-through) that needs it.
 *
 * Every field of a fact looks back, never forward: a fact row's values
 * depend only on records dated on or before its own dates, so a change to
 * the records reaches the same periods as it does for the records
 * themselves (engine_indicator_reach_back_months stays 0). One exception,
 * which only an erroneous return can reach: adoption_journey's placed_date
 * is the period of care's first placement for adoption, also when it comes
 * in an episode chained after the adoption's (INDICATORS.md's A1). The first
 * such episode starts on the adoption's day, so a load that brings it
 * reaches the adoption's period; a later one in the chain brought on its own
 * reaches only its own start.
 */
#include "engine_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reasons for a new episode that keep the child with the same carer(s):
 * L (legal status only), T and U (docs/indicators.md, "Same carer"). */
#define SAME_CARER "('L', 'T', 'U')"

/*
 * The episodes of care of council $1 with their period of care: short breaks
 * (V3, V4) left out, the rest chained while an episode starts on the day the
 * one before it ended (DECOM = the previous DEC); a gap starts a new period
 * of care (care_no). For each episode: care_start (the DECOM of its period's
 * first episode); placement_start (the start of the spell with the same
 * carer(s): the latest episode of the period, up to this one, that began
 * the period or changed carer); and, up to this episode, the period's first
 * placement for adoption (A3 to A6: placed_date) and its first placement
 * order (legal status E1: order_date); and the period's first placement for
 * adoption wherever it falls in the period (care_placed_date: INDICATORS.md's
 * A1 takes "the first episode of the same period of care placed for
 * adoption", which an episode chained after the adoption's can be).
 */
#define CARE_EPISODES \
	"SELECT c.*, min(c.start_date) FILTER (WHERE c.placement_type IN ('A3', 'A4', 'A5', 'A6')) " \
	"OVER k AS placed_date, min(c.start_date) FILTER (WHERE c.placement_type IN ('A3', 'A4', " \
	"'A5', 'A6')) OVER (PARTITION BY c.child_id, c.care_no) AS care_placed_date, " \
	"min(c.start_date) FILTER (WHERE " \
	"c.legal_status = 'E1') OVER k AS order_date FROM (SELECT b.*, min(b.start_date) OVER " \
	"(PARTITION BY b.child_id, b.care_no) AS care_start, max(b.start_date) FILTER (WHERE " \
	"b.new_episode_reason NOT IN " SAME_CARER " OR b.chained IS NOT TRUE) OVER (PARTITION " \
	"BY b.child_id, b.care_no ORDER BY b.start_date) AS placement_start FROM (SELECT a.*, " \
	"count(*) FILTER (WHERE a.chained IS NOT TRUE) OVER (PARTITION BY a.child_id ORDER BY " \
	"a.start_date) AS care_no FROM (SELECT council, child_id, start_date, end_date, " \
	"new_episode_reason, legal_status, placement_type, placement_provider, end_reason, " \
	"lag(end_date) OVER (PARTITION BY child_id ORDER BY start_date) = start_date AS chained " \
	"FROM la_episode WHERE council = $1 AND legal_status NOT IN ('V3', 'V4')) a) b) c " \
	"WINDOW k AS (PARTITION BY c.child_id, c.care_no ORDER BY c.start_date)"

/* The first working day N working days after `day` in council $1's nation:
 * the last day a thing "within N working days" of day may happen on. */
#define WORKING_DAYS_AFTER(day, n) \
	"(SELECT min(d2.day) FROM calendar_day d1 JOIN calendar_day d2 ON d2.nation = " \
	"d1.nation AND d2.day > d1.day AND d2.day <= d1.day + 3 * " n " + 30 AND d2.is_working " \
	"AND d2.wd_index = d1.wd_index + " n " WHERE d1.nation = (SELECT nation FROM council " \
	"WHERE la_code = $1) AND d1.day = " day ")"

/* A field of a fact: its name, and the record field it has the meaning (and
 * code list) of, or its kind. */
typedef struct fact_field {
	const char *name;
	const char *record, *field;   /* copied from; NULL: a date of the fact's own */
} fact_field;

#define OWN_DATE(name) { name, NULL, NULL }
#define FROM(name, record, field) { name, record, field }

struct engine_fact {
	const char *name;
	const char *doc;
	const fact_field *fields;
	size_t nfields;
	csperf_record_type reads[6];   /* 0 ends */
	const char *sql;               /* SELECT council, <fields> ... for council $1 */
	csperf_field *built;           /* the fields as csperf_field, made once */
	csperf_record_schema schema;
};

static const fact_field care_episode_fields[] = {
	FROM("child_id", "la_episode", "child_id"),
	FROM("start_date", "la_episode", "start_date"),
	FROM("end_date", "la_episode", "end_date"),
	FROM("new_episode_reason", "la_episode", "new_episode_reason"),
	FROM("legal_status", "la_episode", "legal_status"),
	FROM("placement_type", "la_episode", "placement_type"),
	FROM("placement_provider", "la_episode", "placement_provider"),
	FROM("end_reason", "la_episode", "end_reason"),
	OWN_DATE("care_start"),
	OWN_DATE("placement_start"),
	OWN_DATE("placed_date"),
	OWN_DATE("order_date"),
};

static const fact_field adoption_journey_fields[] = {
	FROM("child_id", "la_episode", "child_id"),
	OWN_DATE("adopted_date"),
	FROM("end_reason", "la_episode", "end_reason"),
	OWN_DATE("care_start"),
	OWN_DATE("placed_date"),
	OWN_DATE("moved_in_date"),
	OWN_DATE("order_date"),
	FROM("decision_date", "adoption", "decision_date"),
	FROM("match_date", "adoption", "match_date"),
	OWN_DATE("matched_date"),
	FROM("foster_carer_adoption", "adoption", "foster_carer_adoption"),
};

static const fact_field cp_plan_history_fields[] = {
	FROM("child_id", "cp_plan", "child_id"),
	FROM("referral_date", "cp_plan", "referral_date"),
	FROM("start_date", "cp_plan", "start_date"),
	FROM("end_date", "cp_plan", "end_date"),
	FROM("initial_category", "cp_plan", "initial_category"),
	FROM("latest_category", "cp_plan", "latest_category"),
	FROM("previous_plans", "cp_plan", "previous_plans"),
	OWN_DATE("previous_end"),
};

static const fact_field cp_review_due_fields[] = {
	FROM("child_id", "cp_review", "child_id"),
	FROM("plan_start_date", "cp_review", "plan_start_date"),
	FROM("review_date", "cp_review", "review_date"),
	OWN_DATE("previous_review"),
	OWN_DATE("due_date"),
};

static const fact_field la_review_due_fields[] = {
	FROM("child_id", "la_review", "child_id"),
	FROM("review_date", "la_review", "review_date"),
	FROM("participation", "la_review", "participation"),
	OWN_DATE("care_start"),
	OWN_DATE("previous_review"),
	OWN_DATE("due_date"),
};

static const fact_field la_visit_due_fields[] = {
	FROM("child_id", "la_visit", "child_id"),
	FROM("visit_date", "la_visit", "visit_date"),
	OWN_DATE("placement_start"),
	OWN_DATE("previous_visit"),
	OWN_DATE("due_date"),
};

static const fact_field cp_visit_spell_fields[] = {
	FROM("child_id", "cp_plan", "child_id"),
	OWN_DATE("plan_start"),
	OWN_DATE("start_date"),
	OWN_DATE("end_date"),
	OWN_DATE("last_seen"),
};

static const fact_field s47_icpc_fields[] = {
	FROM("child_id", "s47", "child_id"),
	FROM("referral_date", "s47", "referral_date"),
	FROM("start_date", "s47", "start_date"),
	FROM("icpc_date", "s47", "icpc_date"),
};

static const fact_field adoption_wait_fields[] = {
	FROM("child_id", "la_episode", "child_id"),
	OWN_DATE("start_date"),
	OWN_DATE("end_date"),
};

static const fact_field early_help_wait_fields[] = {
	FROM("child_id", "early_help", "child_id"),
	OWN_DATE("start_date"),
	OWN_DATE("end_date"),
	FROM("team", "early_help", "team"),
};

#define FIELDS(list) list, sizeof(list) / sizeof(list[0])

static struct engine_fact facts[] = {
	{ "care_episode",
	  "an episode of care (not a short break) with its period of care",
	  FIELDS(care_episode_fields), { CSPERF_RECORD_LA_EPISODE },
	  "SELECT council, child_id, start_date, end_date, new_episode_reason, legal_status, "
	  "placement_type, placement_provider, end_reason, care_start, placement_start, "
	  "placed_date, order_date FROM (" CARE_EPISODES ") e", NULL, { 0 } },
	{ "adoption_journey",
	  "a child adopted (an episode ending E11 or E12) with the dates of their period of care",
	  FIELDS(adoption_journey_fields),
	  { CSPERF_RECORD_LA_EPISODE, CSPERF_RECORD_ADOPTION, CSPERF_RECORD_PLACED_FOR_ADOPTION },
	  "SELECT e.council, e.child_id, e.end_date AS adopted_date, e.end_reason, e.care_start, "
	  "e.care_placed_date AS placed_date, CASE WHEN ad.foster_carer_adoption THEN "
	  "e.placement_start ELSE e.care_placed_date END AS moved_in_date, coalesce(e.order_date, pa.decided) AS order_date, "
	  "ad.decision_date, ad.match_date, greatest(ad.match_date, coalesce(e.order_date, "
	  "pa.decided)) AS matched_date, ad.foster_carer_adoption FROM (" CARE_EPISODES ") e "
	  "LEFT JOIN adoption ad ON ad.council = e.council AND ad.child_id = e.child_id "
	  "LEFT JOIN LATERAL (SELECT min(p.decision_date) AS decided FROM placed_for_adoption p "
	  "WHERE p.council = e.council AND p.child_id = e.child_id AND p.decision_date BETWEEN "
	  "e.care_start AND e.end_date) pa ON true WHERE e.end_reason IN ('E11', 'E12') AND "
	  "e.end_date IS NOT NULL", NULL, { 0 } },
	{ "cp_plan_history",
	  "a child protection plan with the end of the child's plans before it",
	  FIELDS(cp_plan_history_fields), { CSPERF_RECORD_CP_PLAN },
	  "SELECT council, child_id, referral_date, start_date, end_date, initial_category, "
	  "latest_category, previous_plans, max(end_date) OVER (PARTITION BY child_id ORDER BY "
	  "start_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end FROM "
	  "cp_plan WHERE council = $1", NULL, { 0 } },
	{ "cp_review_due",
	  "a child protection review with the one before it and the day it was due",
	  FIELDS(cp_review_due_fields), { CSPERF_RECORD_CP_REVIEW },
	  "SELECT council, child_id, plan_start_date, review_date, lag(review_date) OVER w AS "
	  "previous_review, CASE WHEN lag(review_date) OVER w IS NULL THEN (plan_start_date + "
	  "interval '3 months')::date ELSE (lag(review_date) OVER w + interval '6 months')::date "
	  "END AS due_date FROM cp_review WHERE council = $1 WINDOW w AS (PARTITION BY child_id, "
	  "plan_start_date ORDER BY review_date)", NULL, { 0 } },
	{ "la_review_due",
	  "a looked-after review with its period of care, the review before it and the day it was due",
	  FIELDS(la_review_due_fields), { CSPERF_RECORD_LA_REVIEW, CSPERF_RECORD_LA_EPISODE },
	  "SELECT council, child_id, review_date, participation, care_start, lag(review_date) OVER "
	  "w AS previous_review, CASE WHEN care_start IS NULL THEN NULL WHEN row_number() OVER w = "
	  "1 THEN " WORKING_DAYS_AFTER("r.care_start", "20") " WHEN row_number() OVER w = 2 THEN "
	  "(lag(review_date) OVER w + interval '3 months')::date ELSE (lag(review_date) OVER w + "
	  "interval '6 months')::date END AS due_date FROM (SELECT council, child_id, review_date, "
	  "participation, care_start FROM (SELECT council, child_id, t, review_date, participation, "
	  "max(care_start) OVER (PARTITION BY child_id ORDER BY d, t) AS care_start FROM (SELECT "
	  "council, child_id, start_date AS d, 0 AS t, NULL::date AS review_date, NULL::text AS "
	  "participation, care_start FROM (" CARE_EPISODES ") e UNION ALL SELECT council, child_id, "
	  "review_date, 1, review_date, participation, NULL FROM la_review WHERE council = $1) u) "
	  "x WHERE t = 1) r WINDOW w AS (PARTITION BY child_id, care_start ORDER BY review_date)",
	  NULL, { 0 } },
	{ "la_visit_due",
	  "a statutory visit with its placement, the visit before it and the day it was due",
	  FIELDS(la_visit_due_fields), { CSPERF_RECORD_LA_VISIT, CSPERF_RECORD_LA_EPISODE },
	  "SELECT council, child_id, visit_date, placement_start, lag(visit_date) OVER w AS "
	  "previous_visit, coalesce(lag(visit_date) OVER w + 42, placement_start + 7) AS due_date "
	  "FROM (SELECT council, child_id, visit_date, placement_start FROM (SELECT council, "
	  "child_id, t, visit_date, max(placement_start) OVER (PARTITION BY child_id ORDER BY d, t) "
	  "AS placement_start FROM (SELECT council, child_id, start_date AS d, 0 AS t, NULL::date "
	  "AS visit_date, placement_start FROM (" CARE_EPISODES ") e UNION ALL SELECT council, "
	  "child_id, visit_date, 1, visit_date, NULL FROM la_visit WHERE council = $1) u) x WHERE "
	  "t = 1) v WINDOW w AS (PARTITION BY child_id, placement_start ORDER BY visit_date)",
	  NULL, { 0 } },
	{ "cp_visit_spell",
	  "the days of a child protection plan from one visit (or the plan's start) to the next",
	  FIELDS(cp_visit_spell_fields), { CSPERF_RECORD_CP_PLAN, CSPERF_RECORD_CP_VISIT },
	  "WITH p AS (SELECT council, child_id, start_date, end_date FROM cp_plan WHERE council = "
	  "$1), v AS (SELECT p.council, p.child_id, p.start_date AS plan_start, p.end_date AS "
	  "plan_end, v.visit_date FROM p JOIN cp_visit v ON v.council = p.council AND v.child_id = "
	  "p.child_id AND v.visit_date >= p.start_date AND (p.end_date IS NULL OR v.visit_date < "
	  "p.end_date)) SELECT p.council, p.child_id, p.start_date AS plan_start, p.start_date, "
	  "coalesce(f.first_visit, p.end_date) AS end_date, NULL::date AS last_seen FROM p LEFT "
	  "JOIN (SELECT child_id, plan_start, min(visit_date) AS first_visit FROM v GROUP BY 1, 2) "
	  "f ON f.child_id = p.child_id AND f.plan_start = p.start_date UNION ALL SELECT council, "
	  "child_id, plan_start, visit_date, coalesce(lead(visit_date) OVER (PARTITION BY "
	  "child_id, plan_start ORDER BY visit_date), plan_end), visit_date FROM v", NULL, { 0 } },
	/* The ICPC of an enquiry: its own (Section47 DateOfInitialCPC), or,
	 * when no enquiry of the referral records one, the referral's
	 * (CINdetails DateOfInitialCPC), given to the referral's latest enquiry
	 * that started on or before it; a referral's ICPC with no such enquiry
	 * is a row of its own with no start. */
	{ "s47_icpc",
	  "a section 47 enquiry with its initial child protection conference, wherever the return records it",
	  FIELDS(s47_icpc_fields), { CSPERF_RECORD_S47, CSPERF_RECORD_REFERRAL },
	  "WITH s AS (SELECT s.council, s.child_id, s.referral_date, s.start_date, s.icpc_date AS own, "
	  "r.initial_cpc_date AS theirs, bool_or(s.icpc_date IS NOT NULL) OVER k AS any_own, "
	  "max(s.start_date) FILTER (WHERE s.start_date <= r.initial_cpc_date) OVER k AS last_before "
	  "FROM s47 s LEFT JOIN referral r ON r.council = s.council AND r.child_id = s.child_id AND "
	  "r.referral_date = s.referral_date WHERE s.council = $1 WINDOW k AS (PARTITION BY "
	  "s.child_id, s.referral_date)), x AS (SELECT council, child_id, referral_date, start_date, "
	  "coalesce(own, CASE WHEN NOT any_own AND start_date = last_before THEN theirs END) AS "
	  "icpc_date FROM s) SELECT council, child_id, referral_date, start_date, icpc_date FROM x "
	  "UNION ALL SELECT r.council, r.child_id, r.referral_date, NULL::date, r.initial_cpc_date "
	  "FROM referral r WHERE r.council = $1 AND r.initial_cpc_date IS NOT NULL AND NOT EXISTS "
	  "(SELECT 1 FROM x WHERE x.child_id = r.child_id AND x.referral_date = r.referral_date AND "
	  "x.icpc_date IS NOT NULL)", NULL, { 0 } },
	/* Waiting to be adopted: looked after (not on short breaks), not placed
	 * for adoption (A3 to A6), and either under a placement order (E1, or
	 * D1 a freeing order) or with a decision that the child should be
	 * placed for adoption (placed_for_adoption) that has not ceased. */
	{ "adoption_wait",
	  "a time a child waited to be adopted: under a placement order or a decision to place, not yet placed",
	  FIELDS(adoption_wait_fields),
	  { CSPERF_RECORD_LA_EPISODE, CSPERF_RECORD_PLACED_FOR_ADOPTION },
	  "WITH e AS (SELECT council, child_id, start_date, end_date, legal_status FROM la_episode "
	  "WHERE council = $1 AND legal_status NOT IN ('V3', 'V4') AND placement_type NOT IN ('A3', "
	  "'A4', 'A5', 'A6')) SELECT council, child_id, start_date, end_date FROM e WHERE "
	  "legal_status IN ('E1', 'D1') UNION ALL SELECT e.council, e.child_id, greatest(e.start_date, "
	  "p.decision_date), least(e.end_date, p.ceased_date) FROM e JOIN placed_for_adoption p ON "
	  "p.council = e.council AND p.child_id = e.child_id AND (e.end_date IS NULL OR "
	  "p.decision_date < e.end_date) AND (p.ceased_date IS NULL OR p.ceased_date > e.start_date)",
	  NULL, { 0 } },
	/* Waiting for a worker: from the start of Early Help to its allocation
	 * or its end, whichever came first. */
	{ "early_help_wait",
	  "the time an Early Help episode waited to be allocated",
	  FIELDS(early_help_wait_fields), { CSPERF_RECORD_EARLY_HELP },
	  "SELECT council, child_id, start_date, least(allocated_date, end_date) AS end_date, team "
	  "FROM early_help WHERE council = $1 AND (allocated_date IS NULL OR allocated_date > "
	  "start_date)", NULL, { 0 } },
};

#define NFACTS (sizeof(facts) / sizeof(facts[0]))

static pthread_once_t built_once = PTHREAD_ONCE_INIT;
static bool built_ok;

/* Makes each fact's schema: its fields as the records have them (code
 * lists included), its own dates as dates. */
static void build(void)
{
	for (size_t i = 0; i < NFACTS; i++) {
		struct engine_fact *f = &facts[i];

		f->built = calloc(f->nfields, sizeof(*f->built));
		if (f->built == NULL)
			return;
		for (size_t j = 0; j < f->nfields; j++) {
			const fact_field *ff = &f->fields[j];

			if (ff->record != NULL) {
				const csperf_record_schema *r = csperf_schema_by_name(ff->record);
				int index = r != NULL ? csperf_schema_field_index(r, ff->field) : -1;

				if (index < 0)
					return;
				f->built[j] = r->fields[index];
			} else {
				f->built[j].kind = CSPERF_FIELD_DATE;
				f->built[j].doc = "a date the fact derives";
			}
			f->built[j].name = ff->name;
			f->built[j].required = false;
		}
		f->schema.type = 0;
		f->schema.name = f->name;
		f->schema.nfields = f->nfields;
		f->schema.fields = f->built;
		f->schema.doc = f->doc;
	}
	built_ok = true;
}

const engine_fact *engine_fact_by_name(const char *name)
{
	if (name == NULL || pthread_once(&built_once, build) != 0 || !built_ok)
		return NULL;
	for (size_t i = 0; i < NFACTS; i++)
		if (strcmp(facts[i].name, name) == 0)
			return &facts[i];
	return NULL;
}

const csperf_record_schema *engine_fact_schema(const engine_fact *fact)
{
	return &fact->schema;
}

const char *engine_fact_name(const engine_fact *fact)
{
	return fact->name;
}

void engine_fact_reads(const engine_fact *fact, bool *reads)
{
	for (size_t i = 0; i < sizeof(fact->reads) / sizeof(fact->reads[0]) && fact->reads[i] != 0;
	     i++)
		reads[fact->reads[i]] = true;
}

char *engine_fact_sql(const engine_fact *fact)
{
	size_t size = strlen(fact->sql) + strlen(fact->name) + 96;
	char *sql = malloc(size);

	if (sql != NULL)
		snprintf(sql, size, "CREATE TEMP TABLE %s ON COMMIT DROP AS %s", fact->name, fact->sql);
	return sql;
}

const engine_fact *engine_indicator_fact(const engine_indicator *ind)
{
	return ind->fact;
}
