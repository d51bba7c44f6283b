/*
 * common/validate/rules_episodes.c: the DfE's SSDA903 (children looked after)
 * rules over a child's episodes of care, one small function each.
 *
 * Each follows the rule as the DfE publishes it and as Data to Insight's
 * csc-validator-be-903 applies it (lac_validator/rules/lac2022_23 and later
 * years; see docs/VALIDATION.md for the version matched). A child's episodes
 * come sorted by start date (DECOM): "previous" and "next" are neighbours in
 * that order. Ages are from the header's date of birth.
 */
#include "rules.h"

#include "dates.h"


#define TEMPORARY "T0", "T1", "T2", "T3", "T4"

/* 142: every episode but the last must have ended (DEC and REC). */
CHECK(rule_142)
{
	for (size_t i = 0; i + 1 < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i];
		if (date_of(e, EP_START) != NO_DATE && (!has(e, EP_END) || !has(e, EP_REC)))
			validate_emit(out, e);
	}
}

/* 148: DEC and REC both given or both blank. */
CHECK(rule_148)
{
	FOR_EACH(c, EPISODE, e)
		if (has(e, EP_END) != has(e, EP_REC))
			validate_emit(out, e);
}

/* 302: the first episode starts before the child was born. */
CHECK(rule_302)
{
	int32_t dob = child_dob(c);
	if (NEPS(c) == 0 || dob == NO_DATE)
		return;
	int32_t start = date_of(EPS(c)[0], EP_START);
	if (start != NO_DATE && start < dob)
		validate_emit(out, EPS(c)[0]);
}

/* 351: the child was over 25 (the DfE's message says 21) at the start of
 * the year. */
CHECK(rule_351)
{
	int32_t dob = child_dob(c);
	if (dob != NO_DATE && c->year_start > date_add_years(dob, 25))
		validate_emit(out, RECS(c, CSPERF_RECORD_CHILD)[0]);
}

/* 352: a child who started to be looked after (RNE S) aged 18 or over. */
CHECK(rule_352)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (is(e, EP_RNE, "S") && start != NO_DATE && start >= date_add_years(dob, 18))
			validate_emit(out, e);
	}
}

/* 354: an episode starts after the end of the collection year. */
CHECK(rule_354) { after_period(c, out, EPISODE, EP_START, false); }

/* 356: an episode ceases before it started. */
CHECK(rule_356)
{
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START), end = date_of(e, EP_END);
		if (start != NO_DATE && end != NO_DATE && end < start)
			validate_emit(out, e);
	}
}

/* 357: the child's first episode, starting in the year, must have RNE S. */
CHECK(rule_357)
{
	for (size_t i = 0; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i];
		int32_t start = date_of(e, EP_START);
		if (start == NO_DATE)
			continue;
		if (start >= c->year_start && !is(e, EP_RNE, "S"))
			validate_emit(out, e);
		return;
	}
}

/* 358: legal status J1, J2 or J3 for a child under 10 (on or before the
 * 10th birthday) when the episode started. */
CHECK(rule_358)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (IN(e, EP_LS, "J1", "J2", "J3") && start != NO_DATE
		    && date_add_years(dob, 10) >= start)
			validate_emit(out, e);
	}
}

/* 359: a child 18 or over at the end of the year still looked after must be
 * V2 in a K2 placement. */
CHECK(rule_359)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE || !(date_add_years(dob, 18) < c->year_end))
		return;
	FOR_EACH(c, EPISODE, e)
		if (!has(e, EP_END) && !(is(e, EP_LS, "V2") && is(e, EP_PLACE, "K2")))
			validate_emit(out, e);
}

/* 361-364: a legal status that the law limits in time lasted too long. Runs
 * of episodes with that status, each starting when the one before it ended,
 * count as one; open ones run to the end of the year. 361 and 362 measure
 * from the run's first start to its last end; 363 and 364 add up the days of
 * each episode of a run that overlaps or touches the one before. */
static void legal_status_limit(const validate_child *c, validate_out *out,
	const char *ls, int max_days, bool span)
{
	size_t n = NEPS(c);
	size_t i = 0;
	while (i < n) {
		const validate_record *e = EPS(c)[i];
		int32_t start = date_of(e, EP_START);
		if (!is(e, EP_LS, ls) || start == NO_DATE) {
			i++;
			continue;
		}
		size_t j = i + 1;
		int32_t first = start, last = end_or_year_end(c, e);
		long days = (long)last - start;
		if (span) {
			/* 361, 362: the next episode of the run starts the day the
			 * previous one ended, whatever its legal status. */
			while (j < n && is(EPS(c)[j], EP_LS, ls)
			       && date_of(EPS(c)[j], EP_START) == last) {
				last = end_or_year_end(c, EPS(c)[j]);
				j++;
			}
			days = (long)last - first;
		} else {
			while (j < n && is(EPS(c)[j], EP_LS, ls)
			       && date_of(EPS(c)[j], EP_START) != NO_DATE
			       && date_of(EPS(c)[j], EP_START) <= last) {
				int32_t s = date_of(EPS(c)[j], EP_START);
				last = end_or_year_end(c, EPS(c)[j]);
				days += (long)last - s;
				j++;
			}
		}
		if (days > max_days)
			for (size_t k = i; k < j; k++)
				validate_emit(out, EPS(c)[k]);
		i = j;
	}
}

CHECK(rule_361) { legal_status_limit(c, out, "L1", 3, true); }
CHECK(rule_362) { legal_status_limit(c, out, "L2", 21, true); }
CHECK(rule_363) { legal_status_limit(c, out, "L3", 7, false); }
CHECK(rule_364) { legal_status_limit(c, out, "J2", 21, false); }

/* 365: a short-term respite placement (V3) over 17 days. */
CHECK(rule_365)
{
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (is(e, EP_LS, "V3") && start != NO_DATE && end_or_year_end(c, e) > start + 17)
			validate_emit(out, e);
	}
}

/* 372, 373, 374: too young for the placement when it started. */
static void too_young(const validate_child *c, validate_out *out,
	const char *place, int years)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (is(e, EP_PLACE, place) && start != NO_DATE && date_of(e, EP_END) != NO_DATE
		    && start < date_add_years(dob, years))
			validate_emit(out, e);
	}
}

CHECK(rule_372) { too_young(c, out, "R5", 10); }
CHECK(rule_373) { too_young(c, out, "S1", 4); }
CHECK(rule_374) { too_young(c, out, "P3", 14); }

/* 366: a child on short-term respite (V3) cannot change placement during
 * a break: a V3 episode must start a period of care (RNE S). */
CHECK(rule_366)
{
	FOR_EACH(c, EPISODE, e)
		if (is(e, EP_LS, "V3") && !is(e, EP_RNE, "S"))
			validate_emit(out, e);
}

/* 375, 376, 379: a temporary placement that lasted too long (its end more
 * than `days` after its start; the validators check only children with a
 * date of birth and episodes that ended). */
static void temporary_too_long(const validate_child *c, validate_out *out,
	const char *place, int days)
{
	if (child_dob(c) == NO_DATE)
		return;
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START), end = date_of(e, EP_END);
		if (is(e, EP_PLACE, place) && start != NO_DATE && end != NO_DATE
		    && end > start + days)
			validate_emit(out, e);
	}
}

CHECK(rule_375) { temporary_too_long(c, out, "T1", 42); }
CHECK(rule_376) { temporary_too_long(c, out, "T3", 21); }
CHECK(rule_379) { temporary_too_long(c, out, "T4", 7); }

/* 378: placed with parents (P1) under section 20 (V2). */
CHECK(rule_378)
{
	FOR_EACH(c, EPISODE, e)
		if (is(e, EP_PLACE, "P1") && is(e, EP_LS, "V2"))
			validate_emit(out, e);
}

/* 380: a temporary placement that starts a period of care (RNE not P or B). */
CHECK(rule_380)
{
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_PLACE, TEMPORARY) && !IN(e, EP_RNE, "P", "B"))
			validate_emit(out, e);
}

/* 381: a temporary placement that ends a period of care (REC not X1). */
CHECK(rule_381)
{
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_PLACE, TEMPORARY) && has(e, EP_REC) && !is(e, EP_REC, "X1"))
			validate_emit(out, e);
}

/* 382: respite care (V3, V4) in a temporary placement. */
CHECK(rule_382)
{
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_LS, "V3", "V4") && IN(e, EP_PLACE, TEMPORARY))
			validate_emit(out, e);
}

/* 383: after a temporary placement the child goes back to the placement
 * before it: the episode after a temporary one changes placement only (RNE
 * P) to the placement type of the one before, and from 2025-26 (lac2025_26)
 * to its postcode too. */
CHECK(rule_383)
{
	for (size_t i = 2; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i], *before = EPS(c)[i - 2];
		if (!IN(EPS(c)[i - 1], EP_PLACE, TEMPORARY))
			continue;
		if (!is(e, EP_RNE, "P") || strcmp(val(e, EP_PLACE), val(before, EP_PLACE)) != 0
		    || (c->year >= 2026 && strcmp(val(e, EP_PL_POST), val(before, EP_PL_POST)) != 0))
			validate_emit(out, e);
	}
}

/* 384: respite care (V3, V4) in a long-term foster placement (U1, U4). */
CHECK(rule_384)
{
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_LS, "V3", "V4") && IN(e, EP_PLACE, "U1", "U4"))
			validate_emit(out, e);
}

/* 385: an episode ceases after the end of the collection year. */
CHECK(rule_385) { after_period(c, out, EPISODE, EP_END, false); }

/* Ceased with one of `codes` when the child was `years` or over (over: on or
 * after that birthday; strictly: after it). */
static void ceased_at_age(const validate_child *c, validate_out *out,
	const char *const *codes, int years, bool older, bool strictly)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE)
		return;
	int32_t birthday = date_add_years(dob, years);
	FOR_EACH(c, EPISODE, e) {
		int32_t end = date_of(e, EP_END);
		if (end == NO_DATE || !val_in(e, EP_REC, codes))
			continue;
		bool fails = older ? (strictly ? end > birthday : end >= birthday)
		                   : end < birthday;
		if (fails)
			validate_emit(out, e);
	}
}

/* 386: adopted (E11, E12) at 18 or over. */
CHECK(rule_386) { ceased_at_age(c, out, CODES("E11", "E12"), 18, true, false); }
/* 387: moved to independent living (E5, E6) under 14. */
CHECK(rule_387) { ceased_at_age(c, out, CODES("E5", "E6"), 14, false, false); }
/* 389: transferred to adult social care (E7) under 16. */
CHECK(rule_389) { ceased_at_age(c, out, CODES("E7"), 16, false, false); }
/* 407: special guardianship (E45-E48) after the 18th birthday. */
CHECK(rule_407) { ceased_at_age(c, out, CODES("E45", "E46", "E47", "E48"), 18, true, true); }
/* 460: stayed with carers at 18 (E17) but under 18. */
CHECK(rule_460) { ceased_at_age(c, out, CODES("E17"), 18, false, false); }

/* 388: REC X1 (a new episode follows) with no episode starting that day, or a
 * REC other than X1 with one. */
CHECK(rule_388)
{
	for (size_t i = 0; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i];
		if (!has(e, EP_END))
			continue;
		if (i + 1 == NEPS(c)) {
			if (is(e, EP_REC, "X1"))
				validate_emit(out, e);
			continue;
		}
		const validate_record *next = EPS(c)[i + 1];
		if (!has(next, EP_START) || !has(e, EP_REC))
			continue;
		bool same_day = strcmp(val(e, EP_END), val(next, EP_START)) == 0;
		if (is(e, EP_REC, "X1") != same_day)
			validate_emit(out, e);
	}
}

/* 390: adopted (E11, E12) from a placement that is not for adoption. */
CHECK(rule_390)
{
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_REC, "E11", "E12") && !IN(e, EP_PLACE, "A3", "A4", "A5", "A6"))
			validate_emit(out, e);
}

/* 408: placed for adoption with a placement order (A5, A6), but the legal
 * status is not a placement order (E1). */
CHECK(rule_408)
{
	FOR_EACH(c, EPISODE, e)
		if (IN(e, EP_PLACE, "A5", "A6") && !is(e, EP_LS, "E1"))
			validate_emit(out, e);
}

/* 431: RNE S (started to be looked after) on or before the day the previous
 * episode ended. */
CHECK(rule_431)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i];
		int32_t start = date_of(e, EP_START);
		int32_t prev_end = date_of(EPS(c)[i - 1], EP_END);
		if (is(e, EP_RNE, "S") && start != NO_DATE && prev_end != NO_DATE
		    && start <= prev_end)
			validate_emit(out, e);
	}
}

/* 432: the previous episode ended care (a REC other than X1), but this one's
 * RNE is not S. */
CHECK(rule_432)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		const validate_record *prev = EPS(c)[i - 1];
		if (has(prev, EP_REC) && !is(prev, EP_REC, "X1") && !is(EPS(c)[i], EP_RNE, "S"))
			validate_emit(out, EPS(c)[i]);
	}
}

/* 433: a continuation episode (RNE P, L, T, U, B) that does not start the
 * day the previous one ended. */
CHECK(rule_433)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i], *prev = EPS(c)[i - 1];
		if (!IN(e, EP_RNE, "P", "L", "T", "U", "B"))
			continue;
		if (!has(prev, EP_END) || !has(e, EP_START)
		    || strcmp(val(prev, EP_END), val(e, EP_START)) != 0)
			validate_emit(out, e);
	}
}

/* Whether two episodes have the same placement: type, postcode, URN and
 * provider. */
static bool same_placement(const validate_record *a, const validate_record *b)
{
	static const int fields[] = { EP_PLACE, EP_PL_POST, EP_URN, EP_PROVIDER };
	for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
		if (strcmp(val(a, fields[k]), val(b, fields[k])) != 0)
			return false;
	return true;
}

/* 434: RNE L (legal status changed, not the placement), but the legal status
 * is the same or the placement differs. */
CHECK(rule_434)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i], *prev = EPS(c)[i - 1];
		if (is(e, EP_RNE, "L") && (strcmp(val(e, EP_LS), val(prev, EP_LS)) == 0
		                           || !same_placement(e, prev)))
			validate_emit(out, e);
	}
}

/* 435: RNE P or T (placement changed, not the legal status), but the legal
 * status differs or the placement is the same. */
CHECK(rule_435)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i], *prev = EPS(c)[i - 1];
		if (IN(e, EP_RNE, "P", "T") && (strcmp(val(e, EP_LS), val(prev, EP_LS)) != 0
		                                || same_placement(e, prev)))
			validate_emit(out, e);
	}
}

/* 436: RNE U or B (both changed), but the legal status or the placement is
 * the same. */
CHECK(rule_436)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i], *prev = EPS(c)[i - 1];
		if (IN(e, EP_RNE, "U", "B") && (strcmp(val(e, EP_LS), val(prev, EP_LS)) == 0
		                                || same_placement(e, prev)))
			validate_emit(out, e);
	}
}

/* 437: ceased because the child died or turned 18 (E2, E15) and yet a later
 * episode follows. */
CHECK(rule_437)
{
	for (size_t i = 0; i + 1 < NEPS(c); i++)
		if (IN(EPS(c)[i], EP_REC, "E2", "E15") && has(EPS(c)[i], EP_START))
			validate_emit(out, EPS(c)[i]);
}

/* 445: D1 (freeing order) for an episode starting after 30 December 2005. */
CHECK(rule_445)
{
	int32_t cutoff;
	csperf_date_from_ymd(2005, 12, 30, &cutoff);
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (is(e, EP_LS, "D1") && start != NO_DATE && start > cutoff)
			validate_emit(out, e);
	}
}

/* 446: E1 (placement order) for an episode starting before 30 December 2005. */
CHECK(rule_446)
{
	int32_t cutoff;
	csperf_date_from_ymd(2005, 12, 30, &cutoff);
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (is(e, EP_LS, "E1") && start != NO_DATE && start < cutoff)
			validate_emit(out, e);
	}
}

/* 426: respite care under both V3 and V4 in the year: every such episode. */
CHECK(rule_426)
{
	bool v3 = false, v4 = false;
	FOR_EACH(c, EPISODE, e) {
		v3 = v3 || is(e, EP_LS, "V3");
		v4 = v4 || is(e, EP_LS, "V4");
	}
	if (v3 && v4)
		FOR_EACH(c, EPISODE, e)
			if (IN(e, EP_LS, "V3", "V4"))
				validate_emit(out, e);
}

/* 217: placed for adoption with current foster carers (A3, A5) since
 * 1 April 2015, the episode must start the period of care or change the
 * legal status too (RNE S, T or U). */
CHECK(rule_217)
{
	int32_t since;
	csperf_date_from_ymd(2015, 4, 1, &since);
	FOR_EACH(c, EPISODE, e) {
		int32_t start = date_of(e, EP_START);
		if (IN(e, EP_PLACE, "A3", "A5") && start != NO_DATE && start >= since
		    && !IN(e, EP_RNE, "S", "T", "U"))
			validate_emit(out, e);
	}
}

/* 225: a placement change (the next episode, RNE P, B, T or U, after an X1)
 * between placements that are not temporary needs its reason. */
CHECK(rule_225)
{
	for (size_t i = 0; i + 1 < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i], *next = EPS(c)[i + 1];
		if (is(e, EP_REC, "X1") && !has(e, EP_RPC) && !IN(e, EP_PLACE, TEMPORARY)
		    && IN(next, EP_RNE, "P", "B", "T", "U") && !IN(next, EP_PLACE, TEMPORARY))
			validate_emit(out, e);
	}
}

/* 226: no reason for a placement change into or during a temporary
 * placement: on the temporary episode, or on the one before it. */
CHECK(rule_226)
{
	for (size_t i = 0; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i];
		if (IN(e, EP_PLACE, TEMPORARY)
		    && (has(e, EP_RPC) || (i > 0 && has(EPS(c)[i - 1], EP_RPC))))
			validate_emit(out, e);
	}
}

/* 501: an episode starts before the previous one ended. */
CHECK(rule_501)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		int32_t start = date_of(EPS(c)[i], EP_START);
		int32_t prev_end = date_of(EPS(c)[i - 1], EP_END);
		if (start != NO_DATE && prev_end != NO_DATE && start < prev_end)
			validate_emit(out, EPS(c)[i]);
	}
}

/* 504: the category of need changes within a period of care (the previous
 * episode ended X1 the day this one started). */
CHECK(rule_504)
{
	for (size_t i = 1; i < NEPS(c); i++) {
		const validate_record *e = EPS(c)[i], *prev = EPS(c)[i - 1];
		if (is(prev, EP_REC, "X1") && has(prev, EP_END)
		    && strcmp(val(prev, EP_END), val(e, EP_START)) == 0
		    && strcmp(val(prev, EP_CIN), val(e, EP_CIN)) != 0)
			validate_emit(out, e);
	}
}

/* 527-531, 550: placement providers that cannot provide a placement type. */
static void provider_cannot(const validate_child *c, validate_out *out,
	const char *provider, const char *const *places, bool only)
{
	FOR_EACH(c, EPISODE, e) {
		if (!is(e, EP_PROVIDER, provider))
			continue;
		if (val_in(e, EP_PLACE, places) != only)
			validate_emit(out, e);
	}
}

CHECK(rule_527) { provider_cannot(c, out, "PR1", CODES("P1", "R2", "R5"), false); }
CHECK(rule_528) { provider_cannot(c, out, "PR2", CODES("P1", "R2", "R5"), false); }
CHECK(rule_529)
{
	provider_cannot(c, out, "PR3", CODES("P1", "A3", "A4", "A5", "A6", "K1", "K2",
		"U1", "U2", "U3", "U4", "U5", "U6"), false);
}
CHECK(rule_530) { provider_cannot(c, out, "PR4", CODES("P1"), false); }
CHECK(rule_531) { provider_cannot(c, out, "PR5", CODES("P1"), false); }
CHECK(rule_550) { provider_cannot(c, out, "PR0", CODES("P1"), true); }

