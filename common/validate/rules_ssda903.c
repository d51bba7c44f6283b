/*
 * common/validate/rules_ssda903.c: the DfE's SSDA903 rules over a child's
 * other tables (adoption, placed for adoption, missing, reviews, OC2, OC3,
 * UASC, previous permanence) and their links with the episodes. One small
 * function each; see rules_episodes.c for the episodes' own rules.
 */
#include "rules.h"

#include "dates.h"

#define AD1 CSPERF_RECORD_ADOPTION
#define PLACED CSPERF_RECORD_PLACED_FOR_ADOPTION
#define MISSING CSPERF_RECORD_MISSING
#define REVIEW CSPERF_RECORD_LA_REVIEW

/* A period of care: episodes each starting on or before the day the one
 * before ended. end is NO_DATE while open. */
typedef struct period {
	int32_t start, end;
} period;

/* The period of care that starts at episode *i; moves *i past it. */
static period next_period(const validate_child *c, size_t *i)
{
	period p = { date_of(EPS(c)[*i], EP_START), date_of(EPS(c)[*i], EP_END) };
	size_t j = *i + 1;
	while (j < NEPS(c) && p.end != NO_DATE) {
		int32_t s = date_of(EPS(c)[j], EP_START);
		if (s == NO_DATE || s > p.end)
			break;
		p.end = date_of(EPS(c)[j], EP_END);
		j++;
	}
	*i = j;
	return p;
}

/* 119: the date and the reason a decision to place for adoption was
 * reversed must both be given or both be blank. */
CHECK(rule_119)
{
	FOR_EACH(c, PLACED, r)
		if (has(r, PA_CEASED) != has(r, PA_REASON))
			validate_emit(out, r);
}

/* 197a: a reason for no SDQ score given with a score. */
CHECK(rule_197a)
{
	FOR_EACH(c, CSPERF_RECORD_HEALTH, r)
		if (has(r, OC2_SDQ_SCORE) && has(r, OC2_SDQ_REASON))
			validate_emit(out, r);
}

/* 304: UASC status ceased after the 18th birthday. */
CHECK(rule_304)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	FOR_EACH(c, CSPERF_RECORD_UASC, r) {
		int32_t duc = date_of(r, UA_DUC);
		if (duc != NO_DATE && duc > date_add_years(dob, 18))
			validate_emit(out, r);
	}
}

/* 333: the decision that the child should be placed for adoption must come
 * on or before the match; a match needs that decision. */
CHECK(rule_333)
{
	FOR_EACH(c, AD1, r) {
		int32_t match = date_of(r, AD_DATE_MATCH), decision = date_of(r, AD_DATE_INT);
		if (match != NO_DATE && (decision == NO_DATE || decision > match))
			validate_emit(out, r);
	}
}

/* 334: the decision comes before the start of the latest period of care
 * (the latest episode with RNE S). */
CHECK(rule_334)
{
	int32_t latest = NO_DATE;
	/* an earlier adoption's AD1 stays stored when the child comes back */
	if (c->across_returns)
		return;
	FOR_EACH(c, EPISODE, e)
		if (is(e, EP_RNE, "S") && date_of(e, EP_START) > latest)
			latest = date_of(e, EP_START);
	if (latest == NO_DATE)
		return;
	FOR_EACH(c, AD1, r) {
		int32_t decision = date_of(r, AD_DATE_INT);
		if (decision != NO_DATE && decision < latest)
			validate_emit(out, r);
	}
}

/* 391: care leaver information for a young person under 17 at the end of
 * the year. */
CHECK(rule_391)
{
	int32_t dob = child_dob(c);
	/* care leaver records of earlier years stay stored */
	if (dob == NO_DATE || c->across_returns)
		return;
	FOR_EACH(c, CSPERF_RECORD_CARE_LEAVER, r)
		if (date_add_years(dob, 17) > c->year_end
		    && (has(r, OC3_IN_TOUCH) || has(r, OC3_ACTIVITY) || has(r, OC3_ACCOMMODATION)))
			validate_emit(out, r);
}

/* 440: participation PN0 (under 4) at a review after the 4th birthday. */
CHECK(rule_440)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	FOR_EACH(c, REVIEW, r) {
		int32_t d = date_of(r, RV_DATE);
		if (is(r, RV_PARTICIPATION, "PN0") && d != NO_DATE && d > date_add_years(dob, 4))
			validate_emit(out, r);
	}
}

/* 441: participation PN1-PN7 (4 or over) at a review before the 4th birthday. */
CHECK(rule_441)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	FOR_EACH(c, REVIEW, r) {
		int32_t d = date_of(r, RV_DATE);
		if (IN(r, RV_PARTICIPATION, "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
		    && d != NO_DATE && d < date_add_years(dob, 4))
			validate_emit(out, r);
	}
}

/* 511: two adopters but the sex of adopters is of one (M1, F1). */
CHECK(rule_511)
{
	FOR_EACH(c, AD1, r)
		if (is(r, AD_NB_ADOPTR, "2") && IN(r, AD_SEX_ADOPTR, "M1", "F1"))
			validate_emit(out, r);
}

/* 514: a single adopter (L0) but the sex of adopters is of a couple. */
CHECK(rule_514)
{
	FOR_EACH(c, AD1, r)
		if (is(r, AD_LS_ADOPTR, "L0") && !IN(r, AD_SEX_ADOPTR, "M1", "F1"))
			validate_emit(out, r);
}

/* 518: L4 (same-sex couple, not married or civil partners) but not MM or FF. */
CHECK(rule_518)
{
	FOR_EACH(c, AD1, r)
		if (is(r, AD_LS_ADOPTR, "L4") && !IN(r, AD_SEX_ADOPTR, "MM", "FF"))
			validate_emit(out, r);
}

/* 519: L2 (a couple, not married) but not MM, FF or MF. */
CHECK(rule_519)
{
	FOR_EACH(c, AD1, r)
		if (is(r, AD_LS_ADOPTR, "L2") && !IN(r, AD_SEX_ADOPTR, "MM", "FF", "MF"))
			validate_emit(out, r);
}

/* 520: L11 (a married couple of different sexes) but not MF. */
CHECK(rule_520)
{
	FOR_EACH(c, AD1, r)
		if (is(r, AD_LS_ADOPTR, "L11") && !is(r, AD_SEX_ADOPTR, "MF"))
			validate_emit(out, r);
}

/* 525: a child whose decision to be placed for adoption was reversed has
 * adoption details. */
CHECK(rule_525)
{
	if (NRECS(c, AD1) == 0)
		return;
	FOR_EACH(c, PLACED, r)
		if (has(r, PA_CEASED))
			validate_emit(out, r);
}

/* 542: conviction information for a child under 10 at 31 March. */
CHECK(rule_542)
{
	int32_t dob = child_dob(c);
	/* OC2 records of earlier years stay stored */
	if (dob == NO_DATE || c->across_returns)
		return;
	FOR_EACH(c, CSPERF_RECORD_HEALTH, r)
		if (has(r, OC2_CONVICTED) && date_add_years(dob, 10) > c->year_end)
			validate_emit(out, r);
}

/* 551: placed for adoption (A3-A6) with no decision that the child should be
 * placed for adoption. */
CHECK(rule_551)
{
	if (NRECS(c, PLACED) > 0)
		return;
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_PLACE, "A3", "A4", "A5", "A6"))
			validate_emit(out, e);
}

/* 552: the latest decision to place for adoption comes after the child was
 * first placed for adoption. */
CHECK(rule_552)
{
	int32_t decision = NO_DATE;
	FOR_EACH(c, PLACED, r)
		if (date_of(r, PA_DATE_PLACED) > decision)
			decision = date_of(r, PA_DATE_PLACED);
	if (decision == NO_DATE)
		return;
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (IN(e, EP_PLACE, "A3", "A4", "A5", "A6") && start != NO_DATE) {
			if (start < decision)
				validate_emit(out, e);
			return;   /* episodes are by start date: the first is the one */
		}
	}
}

/* 553: a placement order (E1) with no decision to place for adoption. */
CHECK(rule_553)
{
	if (NRECS(c, PLACED) > 0)
		return;
	FOR_EACH(c, EPISODE, e)
		if (is(e, EP_LS, "E1"))
			validate_emit(out, e);
}

/* 567: a missing period ends before it started. */
CHECK(rule_567)
{
	FOR_EACH(c, MISSING, r) {
		int32_t start = date_of(r, MS_START), end = date_of(r, MS_END);
		if (start != NO_DATE && end != NO_DATE && end < start)
			validate_emit(out, r);
	}
}

/* 570: a missing period starts after the end of the collection year. */
CHECK(rule_570) { after_period(c, out, MISSING, MS_START, false); }

/* 571: a missing period ends outside the collection year. */
CHECK(rule_571)
{
	FOR_EACH(c, MISSING, r) {
		int32_t end = date_of(r, MS_END);
		if (outside_period(c, end))
			validate_emit(out, r);
	}
}

/* 574: a missing period starts while the one before is open or not over.
 * Periods are taken in order of their end (an open one at its start). */
CHECK(rule_574)
{
	size_t n = NRECS(c, MISSING);
	const validate_record *const *m = RECS(c, MISSING);
	/* Missing periods come sorted by start; most children's also end in
	 * that order. Compare each with the one before it in end order, found
	 * by a scan: a child has few. */
	for (size_t i = 0; i < n; i++) {
		int32_t si = date_of(m[i], MS_START);
		int32_t ei = date_of(m[i], MS_END);
		int32_t ki = ei != NO_DATE ? ei : si;
		const validate_record *prev = NULL;
		int32_t kp = NO_DATE;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			int32_t sj = date_of(m[j], MS_START), ej = date_of(m[j], MS_END);
			int32_t kj = ej != NO_DATE ? ej : sj;
			/* j sorts before i by (end or start, start, order) */
			bool before = kj < ki || (kj == ki && (sj < si || (sj == si && j < i)));
			if (before && (prev == NULL || kj > kp
			               || (kj == kp && date_of(m[j], MS_START) >= date_of(prev, MS_START))))
				prev = m[j], kp = kj;
		}
		if (prev == NULL)
			continue;
		int32_t pe = date_of(prev, MS_END);
		if (pe == NO_DATE || (si != NO_DATE && si < pe))
			validate_emit(out, m[i]);
	}
}

/* 577: a missing period still open, or ending, outside the periods of
 * care: open after care ended, or ending after it ended or before it began. */
CHECK(rule_577)
{
	if (NEPS(c) == 0)
		return;
	FOR_EACH(c, MISSING, r) {
		int32_t start = date_of(r, MS_START), end = date_of(r, MS_END);
		if (start == NO_DATE)
			continue;
		bool fits = false;
		for (size_t i = 0; i < NEPS(c) && !fits;) {
			period p = next_period(c, &i);
			bool out_of = (end == NO_DATE && p.end != NO_DATE)
				|| (end == NO_DATE && start < p.start)
				|| (end != NO_DATE && p.end != NO_DATE && end > p.end)
				|| (end != NO_DATE && end < p.start);
			fits = !out_of;
		}
		if (!fits)
			validate_emit(out, r);
	}
}

/* 578: a missing period that starts outside every period of care. */
CHECK(rule_578)
{
	if (NEPS(c) == 0)
		return;
	FOR_EACH(c, MISSING, r) {
		int32_t start = date_of(r, MS_START);
		if (start == NO_DATE)
			continue;
		bool fits = false;
		for (size_t i = 0; i < NEPS(c) && !fits;) {
			period p = next_period(c, &i);
			fits = !(start < p.start || (p.end != NO_DATE && start > p.end));
		}
		if (!fits)
			validate_emit(out, r);
	}
}

/* 579: a decision to place for adoption while the previous one is still
 * open, or before it was reversed. */
CHECK(rule_579)
{
	const validate_record *prev = NULL;
	/* in order of DATE_PLACED: few records, so a selection by scan */
	size_t n = NRECS(c, PLACED);
	const validate_record *const *p = RECS(c, PLACED);
	for (size_t k = 0; k < n; k++) {
		const validate_record *next = NULL;
		for (size_t j = 0; j < n; j++) {
			const validate_record *r = p[j];
			bool after_prev = prev == NULL
				|| date_of(r, PA_DATE_PLACED) > date_of(prev, PA_DATE_PLACED)
				|| (date_of(r, PA_DATE_PLACED) == date_of(prev, PA_DATE_PLACED)
				    && r->index > prev->index);
			if (!after_prev)
				continue;
			if (next == NULL || date_of(r, PA_DATE_PLACED) < date_of(next, PA_DATE_PLACED)
			    || (date_of(r, PA_DATE_PLACED) == date_of(next, PA_DATE_PLACED)
			        && r->index < next->index))
				next = r;
		}
		if (prev != NULL) {
			int32_t ceased = date_of(prev, PA_CEASED);
			int32_t placed = date_of(next, PA_DATE_PLACED);
			if (ceased == NO_DATE || (placed != NO_DATE && placed < ceased))
				validate_emit(out, next);
		}
		prev = next;
	}
}

/* 586: a missing period starting on or before the date of birth. */
CHECK(rule_586)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	FOR_EACH(c, MISSING, r) {
		int32_t start = date_of(r, MS_START);
		if (start != NO_DATE && start <= dob)
			validate_emit(out, r);
	}
}

/* Whether the child was adopted (E11, E12) in the collection year. */
static bool adopted_in_year(const validate_child *c, const validate_record **episode)
{
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_REC, "E11", "E12") && in_year(c, date_of(e, EP_END))) {
			if (episode != NULL)
				*episode = e;
			return true;
		}
	return false;
}

/* 601: adopted in the year, but the adoption details (AD1) are missing. */
CHECK(rule_601)
{
	const validate_record *e = NULL;
	if (NRECS(c, AD1) == 0 && adopted_in_year(c, &e))
		validate_emit(out, e);
}

/* 602: adoption details (AD1) for a child not adopted in the year. */
CHECK(rule_602)
{
	/* AD1 of an earlier year's adoption stays stored */
	if (c->across_returns || adopted_in_year(c, NULL))
		return;
	FOR_EACH(c, AD1, r)
		validate_emit(out, r);
}

/* 635: a date or council of a previous permanence order with no
 * previous permanence option. */
CHECK(rule_635)
{
	FOR_EACH(c, CSPERF_RECORD_PREVIOUS_PERMANENCE, r)
		if ((has(r, PP_LA) || has(r, PP_DATE)) && !has(r, PP_PREV_PERM))
			validate_emit(out, r);
}
