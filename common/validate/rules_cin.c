/*
 * common/validate/rules_cin.c: the DfE's CIN census rules that look across a
 * child's records, one small function each, as Data to Insight's
 * csc-validator-be-cin applies them (cin_validator/rules/cin2022_23 and
 * later years; docs/VALIDATION.md).
 *
 * A CINdetails module is a referral record; its assessments, CIN plans,
 * section 47 enquiries, CP plans and CP reviews carry its referral date, and
 * a review its plan's start date: that is how they are linked here. The
 * census year runs from 1 April to the 31 March ReferenceDate.
 */
#include "rules.h"

#include "dates.h"

#define CHILD CSPERF_RECORD_CHILD
#define REFERRAL CSPERF_RECORD_REFERRAL
#define ASSESSMENT CSPERF_RECORD_ASSESSMENT
#define CIN_PLAN CSPERF_RECORD_CIN_PLAN
#define S47 CSPERF_RECORD_S47
#define CP_PLAN CSPERF_RECORD_CP_PLAN
#define CP_REVIEW CSPERF_RECORD_CP_REVIEW

/* Whether two records belong to the same CINdetails (referral date is field
 * `fa` of a and `fb` of b). */
static bool same_referral(const validate_record *a, int fa, const validate_record *b, int fb)
{
	return strcmp(val(a, fa), val(b, fb)) == 0;
}

/* The referral a record of another module belongs to, or NULL. */
static const validate_record *referral_of(const validate_child *c,
	const validate_record *r, int field)
{
	FOR_EACH(c, REFERRAL, ref)
		if (same_referral(ref, RF_DATE, r, field))
			return ref;
	return NULL;
}

static bool is_true(const validate_record *r, int field)
{
	return is(r, field, "true");
}

/* A date, not before another date of the same record or of its referral. */
static void not_before_referral(const validate_child *c, validate_out *out,
	csperf_record_type type, int referral_field, int date_field)
{
	FOR_EACH(c, type, r) {
		int32_t d = date_of(r, date_field), ref = date_of(r, referral_field);
		if (d != NO_DATE && ref != NO_DATE && d < ref)
			validate_emit(out, r);
	}
}

/* 1103: an assessment starts before its referral. */
CHECK(rule_1103) { not_before_referral(c, out, ASSESSMENT, AS_REFERRAL, AS_START); }

/* 1104: a section 47 enquiry's initial child protection conference before
 * its referral. */
CHECK(rule_1104) { not_before_referral(c, out, S47, S47_REFERRAL, S47_ICPC); }

/* 1105: a CP plan starts before its referral. */
CHECK(rule_1105) { not_before_referral(c, out, CP_PLAN, CPP_REFERRAL, CPP_START); }

/* 2889: a section 47 enquiry starts before its referral. */
CHECK(rule_2889) { not_before_referral(c, out, S47, S47_REFERRAL, S47_START); }

/* 4015: a CIN plan starts before its referral. */
CHECK(rule_4015) { not_before_referral(c, out, CIN_PLAN, CINP_REFERRAL, CINP_START); }

/* 4000: a CIN plan for a referral with no further action. */
CHECK(rule_4000)
{
	FOR_EACH(c, CIN_PLAN, p) {
		const validate_record *ref = referral_of(c, p, CINP_REFERRAL);
		if (ref != NULL && is_true(ref, RF_NFA))
			validate_emit(out, p);
	}
}

/* 4001: an open CIN plan alongside an open CP plan in one CINdetails. */
CHECK(rule_4001)
{
	FOR_EACH(c, CIN_PLAN, p) {
		if (has(p, CINP_END))
			continue;
		FOR_EACH(c, CP_PLAN, cp)
			if (!has(cp, CPP_END) && same_referral(p, CINP_REFERRAL, cp, CPP_REFERRAL)) {
				validate_emit(out, p);
				break;
			}
	}
}

/* 4004: more than one open CIN plan. */
CHECK(rule_4004)
{
	size_t open = 0;
	FOR_EACH(c, CIN_PLAN, p)
		open += !has(p, CINP_END);
	if (open > 1)
		FOR_EACH(c, CIN_PLAN, p)
			if (!has(p, CINP_END))
				validate_emit(out, p);
}

/* An end before a start, or on the same day. */
static void ends(const validate_child *c, validate_out *out, csperf_record_type type,
	int start_field, int end_field, bool same_day)
{
	FOR_EACH(c, type, r) {
		int32_t s = date_of(r, start_field), e = date_of(r, end_field);
		if (s != NO_DATE && e != NO_DATE && (same_day ? e == s : e < s))
			validate_emit(out, r);
	}
}

/* 4011: a CIN plan ends before it started. */
CHECK(rule_4011) { ends(c, out, CIN_PLAN, CINP_START, CINP_END, false); }
/* 4012Q: a CIN plan starts and ends on one day. */
CHECK(rule_4012Q) { ends(c, out, CIN_PLAN, CINP_START, CINP_END, true); }
/* 8608: an assessment is authorised before it started. */
CHECK(rule_8608) { ends(c, out, ASSESSMENT, AS_START, AS_END, false); }
/* 8630: a CIN episode closes before its referral. */
CHECK(rule_8630) { ends(c, out, REFERRAL, RF_DATE, RF_CLOSURE, false); }
/* 8840: a CP plan starts and ends on one day. */
CHECK(rule_8840) { ends(c, out, CP_PLAN, CPP_START, CPP_END, true); }
/* 8925: a CP plan ends before it started. */
CHECK(rule_8925) { ends(c, out, CP_PLAN, CPP_START, CPP_END, false); }

/* A date, where given, outside the census year. */
static void outside_year(const validate_child *c, validate_out *out,
	csperf_record_type type, int field)
{
	FOR_EACH(c, type, r) {
		int32_t d = date_of(r, field);
		if (outside_period(c, d))
			validate_emit(out, r);
	}
}

/* 4013: a CIN plan ends outside the census year. */
CHECK(rule_4013) { outside_year(c, out, CIN_PLAN, CINP_END); }
/* 8620: a CIN episode closes outside the census year. */
CHECK(rule_8620) { outside_year(c, out, REFERRAL, RF_CLOSURE); }
/* 8696: an assessment is authorised outside the census year. */
CHECK(rule_8696) { outside_year(c, out, ASSESSMENT, AS_END); }
/* 8930: a CP plan ends outside the census year. */
CHECK(rule_8930) { outside_year(c, out, CP_PLAN, CPP_END); }

/* 8715: a section 47 enquiry's initial child protection conference outside
 * the census year. */
CHECK(rule_8715) { outside_year(c, out, S47, S47_ICPC); }

/* Overlaps among a child's records of one type (or within one CINdetails):
 * a record that starts on or after another's start and before its end (on
 * or before it when `end_inclusive`), or after the start of one still open. */
static void overlaps(const validate_child *c, validate_out *out, csperf_record_type type,
	int start_field, int end_field, int referral_field, bool end_inclusive)
{
	size_t n = NRECS(c, type);
	const validate_record *const *r = RECS(c, type);
	for (size_t i = 0; i < n; i++) {
		int32_t s = date_of(r[i], start_field);
		if (s == NO_DATE)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			if (referral_field >= 0 && !same_referral(r[i], referral_field, r[j], referral_field))
				continue;
			int32_t s2 = date_of(r[j], start_field), e2 = date_of(r[j], end_field);
			if (s2 == NO_DATE || s < s2)
				continue;
			if (s == s2 && j > i)
				continue;   /* two starting on one day: report the later one */
			bool inside = e2 == NO_DATE ? s <= c->year_end
				: (end_inclusive ? s <= e2 : s < e2);
			if (inside) {
				validate_emit(out, r[i]);
				break;
			}
		}
	}
}

/* 4014: CIN plans that overlap. */
CHECK(rule_4014) { overlaps(c, out, CIN_PLAN, CINP_START, CINP_END, -1, true); }
/* 8940: CP plans that overlap. */
CHECK(rule_8940) { overlaps(c, out, CP_PLAN, CPP_START, CPP_END, -1, false); }
/* 8863Q: an assessment starts while another of the CINdetails is ongoing. */
CHECK(rule_8863Q) { overlaps(c, out, ASSESSMENT, AS_START, AS_END, AS_REFERRAL, true); }

/* 8890: a section 47 enquiry starts while another of the CINdetails is
 * ongoing (to its conference, or open without one and without "not
 * required"). */
CHECK(rule_8890)
{
	size_t n = NRECS(c, S47);
	const validate_record *const *r = RECS(c, S47);
	for (size_t i = 0; i < n; i++) {
		int32_t s = date_of(r[i], S47_START);
		if (s == NO_DATE)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j == i || !same_referral(r[i], S47_REFERRAL, r[j], S47_REFERRAL))
				continue;
			int32_t s2 = date_of(r[j], S47_START), e2 = date_of(r[j], S47_ICPC);
			if (s2 == NO_DATE || s < s2 || (s == s2 && j > i))
				continue;
			bool ongoing = e2 != NO_DATE ? s <= e2
				: (!is_true(r[j], S47_ICPC_NOT_REQUIRED) && s <= c->year_end);
			if (ongoing) {
				validate_emit(out, r[i]);
				break;
			}
		}
	}
}

/* 8820: CIN episodes that overlap: a referral within another episode
 * (before its closure, or open and not NFA). */
CHECK(rule_8820)
{
	size_t n = NRECS(c, REFERRAL);
	const validate_record *const *r = RECS(c, REFERRAL);
	for (size_t i = 1; i < n; i++) {
		int32_t s = date_of(r[i], RF_DATE);
		for (size_t j = 0; j < i && s != NO_DATE; j++) {
			int32_t s2 = date_of(r[j], RF_DATE), e2 = date_of(r[j], RF_CLOSURE);
			if (s2 == NO_DATE)
				continue;
			bool inside = e2 != NO_DATE ? (s >= s2 && s < e2)
				: (!is_true(r[j], RF_NFA) && s >= s2);
			if (inside) {
				validate_emit(out, r[i]);
				break;
			}
		}
	}
}

/* 8520: born after the end of the census year. */
CHECK(rule_8520)
{
	FOR_EACH(c, CHILD, r) {
		int32_t d = date_of(r, CH_DOB);
		if (d != NO_DATE && d > c->year_end)
			validate_emit(out, r);
	}
}

/* 8525Q: a date of birth or an expected one, not both, not neither. */
CHECK(rule_8525Q)
{
	/* a child's stored record keeps the expected date after the birth */
	if (c->across_returns)
		return;
	FOR_EACH(c, CHILD, r)
		if (has(r, CH_DOB) == has(r, CH_EXPECTED_DOB))
			validate_emit(out, r);
}

/* 8600: a referral date missing or after the end of the census year. */
CHECK(rule_8600) { after_period(c, out, REFERRAL, RF_DATE, true); }

/* 8606: a referral more than 280 days before the (expected) birth. */
CHECK(rule_8606)
{
	if (NRECS(c, CHILD) == 0)
		return;
	const validate_record *ch = RECS(c, CHILD)[0];
	int32_t dob = date_of(ch, CH_DOB), edob = date_of(ch, CH_EXPECTED_DOB);
	FOR_EACH(c, REFERRAL, r) {
		int32_t d = date_of(r, RF_DATE);
		if (d == NO_DATE)
			continue;
		if ((dob != NO_DATE && d < dob - 280) || (edob != NO_DATE && d < edob - 280))
			validate_emit(out, r);
	}
}

/* 8610: no primary need for a referral that led to further action. */
CHECK(rule_8610)
{
	FOR_EACH(c, REFERRAL, r)
		if (is(r, RF_NFA, "false") && !has(r, RF_PRIMARY_NEED))
			validate_emit(out, r);
}

/* 8615: a section 47 enquiry starting after its conference. */
CHECK(rule_8615)
{
	FOR_EACH(c, S47, r) {
		int32_t s = date_of(r, S47_START), icpc = date_of(r, S47_ICPC);
		if (icpc != NO_DATE && (s == NO_DATE || s > icpc))
			validate_emit(out, r);
	}
}

/* 8720: a CP plan start date missing or after the end of the census year. */
CHECK(rule_8720) { after_period(c, out, CP_PLAN, CPP_START, true); }

/* 8730: the number of previous CP plans is missing. */
CHECK(rule_8730)
{
	FOR_EACH(c, CP_PLAN, r)
		if (!has(r, CPP_PREVIOUS))
			validate_emit(out, r);
}

/* 8750: an unborn child (no date of birth) whose sex is not U. */
CHECK(rule_8750)
{
	if (c->across_returns)
		return;
	FOR_EACH(c, CHILD, r)
		if (!has(r, CH_DOB) && has(r, CH_EXPECTED_DOB) && !is(r, CH_SEX, "U"))
			validate_emit(out, r);
}

/* Whether a space-separated codes value holds `code` and another code. */
static bool code_with_others(const char *codes, const char *code)
{
	size_t len = strlen(code);
	bool found = false, others = false;
	for (const char *p = codes; *p != '\0';) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q != '\0' && *q != ' ')
			q++;
		if (q > p) {
			if ((size_t)(q - p) == len && strncmp(p, code, len) == 0)
				found = true;
			else
				others = true;
		}
		p = q;
	}
	return found && others;
}

/* 8790: disabilities NONE alongside others. */
CHECK(rule_8790)
{
	FOR_EACH(c, CHILD, r)
		if (code_with_others(val(r, CH_DISABILITIES), "NONE"))
			validate_emit(out, r);
}

/* 8869: assessment factor 21 (no factors) alongside others. */
CHECK(rule_8869)
{
	FOR_EACH(c, ASSESSMENT, r)
		if (code_with_others(val(r, AS_FACTORS), "21"))
			validate_emit(out, r);
}

/* 8805: a closure date without a reason. */
CHECK(rule_8805)
{
	FOR_EACH(c, REFERRAL, r)
		if (has(r, RF_CLOSURE) && !has(r, RF_CLOSURE_REASON))
			validate_emit(out, r);
}

/* 8810: a reason for closure without a date. */
CHECK(rule_8810)
{
	FOR_EACH(c, REFERRAL, r)
		if (!has(r, RF_CLOSURE) && has(r, RF_CLOSURE_REASON))
			validate_emit(out, r);
}

/* An open CIN episode that is not a referral with no further action. */
static bool open_episode(const validate_record *r)
{
	return !has(r, RF_CLOSURE) && !is_true(r, RF_NFA);
}

/* 8815: more than one open CIN episode (not NFA). */
CHECK(rule_8815)
{
	size_t open = 0;
	FOR_EACH(c, REFERRAL, r)
		open += open_episode(r);
	if (open > 1)
		FOR_EACH(c, REFERRAL, r)
			if (open_episode(r))
				validate_emit(out, r);
}

/* 8816: an open CIN episode (not NFA) that is not the child's latest. */
CHECK(rule_8816)
{
	size_t n = NRECS(c, REFERRAL);
	for (size_t i = 0; i + 1 < n; i++) {
		const validate_record *r = RECS(c, REFERRAL)[i];
		if (open_episode(r) && date_of(RECS(c, REFERRAL)[n - 1], RF_DATE) > date_of(r, RF_DATE))
			validate_emit(out, r);
	}
}

/* 8832: a CP plan for a referral with no further action. */
CHECK(rule_8832)
{
	FOR_EACH(c, CP_PLAN, p) {
		const validate_record *ref = referral_of(c, p, CPP_REFERRAL);
		if (ref != NULL && is_true(ref, RF_NFA))
			validate_emit(out, p);
	}
}

/* 8831: an assessment or a section 47 enquiry for a referral with no
 * further action; the referral is reported. */
CHECK(rule_8831)
{
	FOR_EACH(c, REFERRAL, ref) {
		if (!is_true(ref, RF_NFA))
			continue;
		bool activity = has(ref, RF_ICPC);
		FOR_EACH(c, ASSESSMENT, a)
			activity = activity || same_referral(a, AS_REFERRAL, ref, RF_DATE);
		FOR_EACH(c, S47, s)
			activity = activity || same_referral(s, S47_REFERRAL, ref, RF_DATE);
		if (activity)
			validate_emit(out, ref);
	}
}

/* 8839: two or more open section 47 enquiries (no conference, and not "not
 * required") in one CINdetails. */
CHECK(rule_8839)
{
	FOR_EACH(c, S47, s) {
		if (has(s, S47_ICPC) || is_true(s, S47_ICPC_NOT_REQUIRED))
			continue;
		size_t open = 0;
		FOR_EACH(c, S47, t)
			if (!has(t, S47_ICPC) && !is_true(t, S47_ICPC_NOT_REQUIRED)
			    && same_referral(s, S47_REFERRAL, t, S47_REFERRAL))
				open++;
		if (open > 1)
			validate_emit(out, s);
	}
}

/* 8896: two or more open assessments in one CINdetails. */
CHECK(rule_8896)
{
	FOR_EACH(c, ASSESSMENT, a) {
		if (has(a, AS_END))
			continue;
		size_t open = 0;
		FOR_EACH(c, ASSESSMENT, b)
			if (!has(b, AS_END) && same_referral(a, AS_REFERRAL, b, AS_REFERRAL))
				open++;
		if (open > 1)
			validate_emit(out, a);
	}
}

/* 8841: a review on or before the start of the plan it reviews. */
CHECK(rule_8841)
{
	FOR_EACH(c, CP_REVIEW, r) {
		int32_t d = date_of(r, CPR_DATE), s = date_of(r, CPR_PLAN_START);
		if (d != NO_DATE && s != NO_DATE && d <= s)
			validate_emit(out, r);
	}
}

/* 8867: a closed CIN episode with an assessment not authorised. */
CHECK(rule_8867)
{
	FOR_EACH(c, ASSESSMENT, a) {
		const validate_record *ref = referral_of(c, a, AS_REFERRAL);
		if (ref != NULL && has(ref, RF_CLOSURE) && !has(a, AS_END))
			validate_emit(out, a);
	}
}

/* 8868: a closed CIN episode with a section 47 enquiry neither concluded by
 * a conference nor marked "not required". */
CHECK(rule_8868)
{
	FOR_EACH(c, S47, s) {
		const validate_record *ref = referral_of(c, s, S47_REFERRAL);
		if (ref != NULL && has(ref, RF_CLOSURE) && !has(s, S47_ICPC)
		    && !is_true(s, S47_ICPC_NOT_REQUIRED))
			validate_emit(out, s);
	}
}

/* 8875: a section 47 enquiry's initial child protection conference on a
 * Saturday or Sunday. */
CHECK(rule_8875)
{
	FOR_EACH(c, S47, s) {
		int32_t d = date_of(s, S47_ICPC);
		if (d != NO_DATE && csperf_date_weekday(d) >= 5)
			validate_emit(out, s);
	}
}

/* 8935: more than one open CP plan. */
CHECK(rule_8935)
{
	size_t open = 0;
	FOR_EACH(c, CP_PLAN, p)
		open += !has(p, CPP_END);
	if (open > 1)
		FOR_EACH(c, CP_PLAN, p)
			if (!has(p, CPP_END))
				validate_emit(out, p);
}

/* 8565: activity after the CIN episode closed: an assessment, section 47
 * enquiry, conference, CIN plan or CP plan end dated after the closure. */
CHECK(rule_8565)
{
	FOR_EACH(c, REFERRAL, ref) {
		int32_t closed = date_of(ref, RF_CLOSURE);
		if (closed == NO_DATE)
			continue;
		bool late = date_of(ref, RF_ICPC) > closed;
		FOR_EACH(c, ASSESSMENT, a)
			if (same_referral(a, AS_REFERRAL, ref, RF_DATE))
				late = late || date_of(a, AS_START) > closed || date_of(a, AS_END) > closed;
		FOR_EACH(c, S47, s)
			if (same_referral(s, S47_REFERRAL, ref, RF_DATE))
				late = late || date_of(s, S47_START) > closed || date_of(s, S47_ICPC) > closed;
		FOR_EACH(c, CIN_PLAN, p)
			if (same_referral(p, CINP_REFERRAL, ref, RF_DATE))
				late = late || date_of(p, CINP_START) > closed || date_of(p, CINP_END) > closed;
		FOR_EACH(c, CP_PLAN, p)
			if (same_referral(p, CPP_REFERRAL, ref, RF_DATE))
				late = late || date_of(p, CPP_END) > closed;
		if (late)
			validate_emit(out, ref);
	}
}

/* 8614: factors recorded for an assessment not yet authorised. */
CHECK(rule_8614)
{
	FOR_EACH(c, ASSESSMENT, a)
		if (!has(a, AS_END) && has(a, AS_FACTORS))
			validate_emit(out, a);
}

/* 8897Q: an assessment authorised in the census year with no factors. */
CHECK(rule_8897Q)
{
	FOR_EACH(c, ASSESSMENT, a) {
		int32_t end = date_of(a, AS_END);
		if (end != NO_DATE && end >= c->year_start && !has(a, AS_FACTORS))
			validate_emit(out, a);
	}
}

/* 2884: an initial child protection conference recorded both on the
 * CINdetails and on one of the child's section 47 enquiries. */
CHECK(rule_2884)
{
	FOR_EACH(c, REFERRAL, ref) {
		if (!has(ref, RF_ICPC))
			continue;
		bool both = false;
		FOR_EACH(c, S47, s)
			both = both || strcmp(val(s, S47_ICPC), val(ref, RF_ICPC)) == 0;
		if (both)
			validate_emit(out, ref);
	}
}

/* 4003: a CP review held while a CIN plan of the same CINdetails was open
 * (on or between its start and end), unless the review is the day the CP
 * plan ended. */
CHECK(rule_4003)
{
	FOR_EACH(c, CP_REVIEW, rv) {
		int32_t day = date_of(rv, CPR_DATE);
		if (day == NO_DATE)
			continue;
		bool plan_ends_then = false;
		FOR_EACH(c, CP_PLAN, p)
			if (same_referral(p, CPP_REFERRAL, rv, CPR_REFERRAL)
			    && strcmp(val(p, CPP_START), val(rv, CPR_PLAN_START)) == 0
			    && date_of(p, CPP_END) == day)
				plan_ends_then = true;
		if (plan_ends_then)
			continue;
		bool during = false;
		FOR_EACH(c, CIN_PLAN, p) {
			int32_t s = date_of(p, CINP_START), e = date_of(p, CINP_END);
			if (same_referral(p, CINP_REFERRAL, rv, CPR_REFERRAL) && s != NO_DATE
			    && day >= s && (e == NO_DATE || day <= e))
				during = true;
		}
		if (during)
			validate_emit(out, rv);
	}
}

/* 2990: a CIN episode closed after assessment with no further action (RC8)
 * or referred to early help (RC9) that has a section 47 enquiry, a CP plan,
 * an initial conference or a CIN plan. */
CHECK(rule_2990)
{
	FOR_EACH(c, REFERRAL, ref) {
		if (!IN(ref, RF_CLOSURE_REASON, "RC8", "RC9"))
			continue;
		bool activity = has(ref, RF_ICPC);
		FOR_EACH(c, S47, s)
			activity = activity || same_referral(s, S47_REFERRAL, ref, RF_DATE);
		FOR_EACH(c, CP_PLAN, p)
			activity = activity || same_referral(p, CPP_REFERRAL, ref, RF_DATE);
		FOR_EACH(c, CIN_PLAN, p)
			activity = activity || same_referral(p, CINP_REFERRAL, ref, RF_DATE);
		if (activity)
			validate_emit(out, ref);
	}
}
