/*
 * annex_a.c: Ofsted's Annex A child-level lists, from the journey records.
 *
 * Each list is a fixed, parameterised query over the record views: $1 the
 * council, $2 the as-at date (the day before the inspection). Event lists
 * (contacts, referrals, assessments, s47 enquiries) cover the usual six
 * months up to the as-at date; caseload lists (early help, children in need,
 * child protection, children in care) cover cases open at any time in those
 * six months; care leavers take each one's latest information in the year to
 * the as-at date. Postcodes and UPNs are never listed.
 */
#include "annex_a.h"

#include <string.h>

/* The child's own columns, common to every list. */
#define CHILD_COLUMNS \
	"x.child_id, c.sex, c.birth_date::text, " \
	"date_part('year', age($2::date, c.birth_date))::int::text AS age, c.ethnicity"
#define CHILD_JOIN " LEFT JOIN child c ON c.council = x.council AND c.child_id = x.child_id"
#define WINDOW_START "($2::date - interval '6 months')::date"

static const annex_a_list lists[] = {
	{ "contacts", "List 1: contacts in the six months to the as-at date",
	  "child_id,sex,birth_date,age,ethnicity,contact_date,source,outcome,decision_date,"
	  "rag_rating,team",
	  "SELECT " CHILD_COLUMNS ", x.contact_date::text, x.source, x.outcome, "
	  "x.decision_date::text, x.rag_rating, x.team FROM contact x" CHILD_JOIN
	  " WHERE x.council = $1 AND x.contact_date > " WINDOW_START " AND x.contact_date <= $2::date"
	  " ORDER BY x.contact_date, x.child_id" },
	{ "early_help", "List 2: early help open at any time in the six months",
	  "child_id,sex,birth_date,age,ethnicity,start_date,end_date,allocated_date,team,"
	  "social_care_step",
	  "SELECT " CHILD_COLUMNS ", x.start_date::text, x.end_date::text, x.allocated_date::text, "
	  "x.team, x.social_care_step FROM early_help x" CHILD_JOIN
	  " WHERE x.council = $1 AND x.start_date <= $2::date AND (x.end_date IS NULL OR "
	  "x.end_date > " WINDOW_START ") ORDER BY x.start_date, x.child_id" },
	{ "referrals", "List 3: referrals in the six months",
	  "child_id,sex,birth_date,age,ethnicity,referral_date,referral_source,primary_need,"
	  "referral_nfa,re_referral_12_months,closure_date,closure_reason",
	  "SELECT " CHILD_COLUMNS ", x.referral_date::text, x.referral_source, x.primary_need, "
	  "x.referral_nfa::text, (EXISTS (SELECT 1 FROM referral r WHERE r.council = x.council AND "
	  "r.child_id = x.child_id AND r.referral_date < x.referral_date AND r.referral_date >= "
	  "x.referral_date - interval '12 months'))::text, x.closure_date::text, x.closure_reason "
	  "FROM referral x" CHILD_JOIN
	  " WHERE x.council = $1 AND x.referral_date > " WINDOW_START " AND x.referral_date <= "
	  "$2::date ORDER BY x.referral_date, x.child_id" },
	{ "assessments", "List 4: assessments completed in the six months, or still open",
	  "child_id,sex,birth_date,age,ethnicity,referral_date,start_date,authorisation_date,"
	  "working_days,factors",
	  "SELECT " CHILD_COLUMNS ", x.referral_date::text, x.start_date::text, "
	  "x.authorisation_date::text, (ct.wd_index - cf.wd_index)::text, x.factors "
	  "FROM assessment x" CHILD_JOIN
	  " LEFT JOIN calendar_day cf ON cf.nation = (SELECT nation FROM council WHERE la_code = $1)"
	  " AND cf.day = x.start_date LEFT JOIN calendar_day ct ON ct.nation = cf.nation AND "
	  "ct.day = x.authorisation_date"
	  " WHERE x.council = $1 AND x.start_date <= $2::date AND (x.authorisation_date IS NULL OR "
	  "x.authorisation_date > $2::date OR x.authorisation_date > " WINDOW_START ")"
	  " ORDER BY x.start_date, x.child_id" },
	{ "section47", "List 5: section 47 enquiries and initial conferences in the six months",
	  "child_id,sex,birth_date,age,ethnicity,referral_date,start_date,icpc_date,"
	  "icpc_not_required,working_days_to_icpc,outcome",
	  "SELECT " CHILD_COLUMNS ", x.referral_date::text, x.start_date::text, x.icpc_date::text, "
	  "x.icpc_not_required::text, (ct.wd_index - cf.wd_index)::text, x.outcome FROM s47 x"
	  CHILD_JOIN
	  " LEFT JOIN calendar_day cf ON cf.nation = (SELECT nation FROM council WHERE la_code = $1)"
	  " AND cf.day = x.start_date LEFT JOIN calendar_day ct ON ct.nation = cf.nation AND "
	  "ct.day = x.icpc_date"
	  " WHERE x.council = $1 AND x.start_date > " WINDOW_START " AND x.start_date <= $2::date"
	  " ORDER BY x.start_date, x.child_id" },
	{ "children_in_need", "List 6: children in need at any time in the six months",
	  "child_id,sex,birth_date,age,ethnicity,disabilities,referral_date,primary_need,"
	  "closure_date,closure_reason",
	  "SELECT " CHILD_COLUMNS ", c.disabilities, x.referral_date::text, x.primary_need, "
	  "x.closure_date::text, x.closure_reason FROM referral x" CHILD_JOIN
	  " WHERE x.council = $1 AND x.referral_date <= $2::date AND (x.closure_date IS NULL OR "
	  "x.closure_date > " WINDOW_START ") AND x.referral_nfa IS NOT TRUE"
	  " ORDER BY x.referral_date, x.child_id" },
	{ "child_protection", "List 7: child protection plans open at any time in the six months",
	  "child_id,sex,birth_date,age,ethnicity,start_date,end_date,initial_category,"
	  "latest_category,previous_plans",
	  "SELECT " CHILD_COLUMNS ", x.start_date::text, x.end_date::text, x.initial_category, "
	  "x.latest_category, x.previous_plans::text FROM cp_plan x" CHILD_JOIN
	  " WHERE x.council = $1 AND x.start_date <= $2::date AND (x.end_date IS NULL OR "
	  "x.end_date > " WINDOW_START ") ORDER BY x.start_date, x.child_id" },
	{ "children_in_care", "List 8: children looked after at any time in the six months "
	  "(each child's latest episode in it)",
	  "child_id,sex,birth_date,age,ethnicity,episode_start,legal_status,category_of_need,"
	  "placement_type,placement_provider,episode_end,end_reason",
	  "SELECT DISTINCT ON (x.child_id) " CHILD_COLUMNS ", x.start_date::text, x.legal_status, "
	  "x.category_of_need, x.placement_type, x.placement_provider, x.end_date::text, "
	  "x.end_reason FROM la_episode x" CHILD_JOIN
	  " WHERE x.council = $1 AND x.start_date <= $2::date AND (x.end_date IS NULL OR "
	  "x.end_date > " WINDOW_START ") AND x.legal_status NOT IN ('V3', 'V4')"
	  " ORDER BY x.child_id, x.start_date DESC" },
	{ "care_leavers", "List 9: care leavers' latest information in the year to the as-at date",
	  "child_id,sex,birth_date,age,ethnicity,as_at_date,in_touch,activity,accommodation",
	  "SELECT DISTINCT ON (x.child_id) " CHILD_COLUMNS ", x.as_at_date::text, x.in_touch, "
	  "x.activity, x.accommodation FROM care_leaver x" CHILD_JOIN
	  " WHERE x.council = $1 AND x.as_at_date > ($2::date - interval '12 months')::date AND "
	  "x.as_at_date <= $2::date ORDER BY x.child_id, x.as_at_date DESC" },
	{ "adoption", "List 10: children with a decision to place for adoption open in the six months",
	  "child_id,sex,birth_date,age,ethnicity,decision_date,ceased_date,ceased_reason,"
	  "match_date,adopter_count",
	  "SELECT " CHILD_COLUMNS ", x.decision_date::text, x.ceased_date::text, x.ceased_reason, "
	  "a.match_date::text, a.adopter_count::text FROM placed_for_adoption x" CHILD_JOIN
	  " LEFT JOIN adoption a ON a.council = x.council AND a.child_id = x.child_id"
	  " WHERE x.council = $1 AND x.decision_date <= $2::date AND (x.ceased_date IS NULL OR "
	  "x.ceased_date > " WINDOW_START ") ORDER BY x.decision_date, x.child_id" },
};

#define NLISTS (sizeof(lists) / sizeof(lists[0]))

const annex_a_list *annex_a_lists(size_t *count)
{
	*count = NLISTS;
	return lists;
}

const annex_a_list *annex_a_find(const char *name)
{
	for (size_t i = 0; i < NLISTS; i++)
		if (strcmp(lists[i].name, name) == 0)
			return &lists[i];
	return NULL;
}
