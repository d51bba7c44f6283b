/*
 * independent.h: counts the integration tests make their own way, to check
 * csperfd's figures against (not the engine's SQL).
 */
#ifndef CSPERF_TESTS_INDEPENDENT_H
#define CSPERF_TESTS_INDEPENDENT_H

/*
 * AD01 (A1) of council COUNCIL (a string literal) for the adoptions dated
 * from %s to %s (a format for snprintf): "days children" as text. From each
 * adoption (an episode ending E11 or E12, not a short break), walk back
 * episode by episode (the child's episode that started last before the
 * current one, when it ended on the day the current one started; short
 * breaks left out) to the start of the period of care; the first placement
 * for adoption is the earliest A3 to A6 episode met on the walk.
 */
#define INDEPENDENT_AD01_SQL(COUNCIL) \
	"WITH RECURSIVE ep AS (SELECT child_id, start_date, end_date, placement_type, " \
	"end_reason FROM la_episode WHERE council = '" COUNCIL "' AND legal_status NOT IN " \
	"('V3', 'V4')), walk AS (SELECT child_id, end_date AS adopted, start_date AS cur, " \
	"placement_type AS pt FROM ep WHERE end_reason IN ('E11', 'E12') AND end_date IS NOT " \
	"NULL UNION ALL SELECT w.child_id, w.adopted, p.start_date, p.placement_type FROM walk " \
	"w CROSS JOIN LATERAL (SELECT e.start_date, e.end_date, e.placement_type FROM ep e " \
	"WHERE e.child_id = w.child_id AND e.start_date < w.cur ORDER BY e.start_date DESC " \
	"LIMIT 1) p WHERE p.end_date = w.cur), adoption AS (SELECT child_id, adopted, min(cur) " \
	"AS care_start, min(cur) FILTER (WHERE pt IN ('A3', 'A4', 'A5', 'A6')) AS placed FROM " \
	"walk GROUP BY child_id, adopted) SELECT concat_ws(' ', coalesce(sum(placed - " \
	"care_start), 0), count(*)) FROM adoption WHERE placed IS NOT NULL AND adopted " \
	"BETWEEN '%s' AND '%s'"

#endif
