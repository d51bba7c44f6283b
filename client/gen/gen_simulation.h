/*
 * client/gen/gen_simulation.h: what the two halves of the journey model
 * share (gen_journey.c: the front door, Early Help, CIN episodes and CP
 * plans; gen_care.c: periods of care): the state of one child's simulation,
 * how a spell of involvement ended, the small helpers every draw goes
 * through, and appending to the journey's lists. Internal to client/gen.
 */
#ifndef CSPERF_GEN_SIMULATION_H
#define CSPERF_GEN_SIMULATION_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_calendar.h"
#include "gen_journey.h"
#include "gen_random.h"

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

#define DAYS_PER_YEAR 365.25

/* Appends a copy of *item to one of the journey's lists; when the list
 * cannot grow, marks the journey out of memory and drops the item. */
#define DEFINE_APPEND(function, type, list) \
	static inline void function(gen_journey *journey, const type *item) \
	{ \
		if (journey->list.count == journey->list.capacity) { \
			size_t capacity = journey->list.capacity > 0 ? \
				journey->list.capacity * 2 : 8; \
			type *items = realloc(journey->list.items, \
				capacity * sizeof(*items)); \
			if (items == NULL) { \
				journey->out_of_memory = true; \
				return; \
			} \
			journey->list.items = items; \
			journey->list.capacity = capacity; \
		} \
		journey->list.items[journey->list.count++] = *item; \
	}

DEFINE_APPEND(append_contact, gen_contact, contacts)
DEFINE_APPEND(append_early_help, gen_early_help, early_help)
DEFINE_APPEND(append_referral, gen_referral, referrals)
DEFINE_APPEND(append_assessment, gen_assessment, assessments)
DEFINE_APPEND(append_cin_plan, gen_cin_plan, cin_plans)
DEFINE_APPEND(append_s47, gen_s47, s47s)
DEFINE_APPEND(append_cp_plan, gen_cp_plan, cp_plans)
DEFINE_APPEND(append_cp_review, gen_cp_review, cp_reviews)
DEFINE_APPEND(append_cp_visit, gen_visit, cp_visits)
DEFINE_APPEND(append_period, gen_period, periods)
DEFINE_APPEND(append_la_episode, gen_la_episode, la_episodes)
DEFINE_APPEND(append_la_review, gen_la_review, la_reviews)
DEFINE_APPEND(append_la_visit, gen_visit, la_visits)
DEFINE_APPEND(append_missing, gen_missing, missing)
DEFINE_APPEND(append_health, gen_health, health)
DEFINE_APPEND(append_care_leaver, gen_care_leaver, care_leavers)
DEFINE_APPEND(append_placed_for_adoption, gen_placed_for_adoption,
	placed_for_adoption)
DEFINE_APPEND(append_placement_cost, gen_placement_cost, placement_costs)

typedef struct simulation {
	const gen_model *model;
	const gen_calendar *calendar;
	gen_journey *journey;
	gen_rng *rng;
	gen_day horizon;            /* the window's end: nothing starts after it */
	int placements;             /* placements so far, for their references */
} simulation;

/* How deep one spell of involvement went; it decides how likely the child
 * is to come back to the front door. */
typedef enum involvement {
	INVOLVED_CONTACT,
	INVOLVED_EARLY_HELP,
	INVOLVED_ASSESSMENT,
	INVOLVED_CIN_PLAN,
	INVOLVED_CP_PLAN,
	INVOLVED_RETURNED_HOME,
	INVOLVED_PERMANENCE,        /* left care to an SGO or a CAO */
	INVOLVED_COUNT
} involvement;

typedef struct spell {
	gen_day until;              /* when the involvement ended; GEN_NEVER open */
	involvement depth;
	bool journey_over;          /* adopted, 18, moved away */
} spell;

static inline bool chance(simulation *sim, double probability)
{
	return gen_rng_chance(sim->rng, probability);
}

static inline int between(simulation *sim, int low, int high)
{
	return gen_rng_between(sim->rng, low, high);
}

static const char *pick(simulation *sim, const gen_weighted *table, size_t count)
{
	return gen_rng_pick(sim->rng, table, count);
}

#define PICK(sim, table) pick((sim), (table), COUNT_OF(table))

static inline gen_day add_working_days(simulation *sim, gen_day from, int count)
{
	return gen_calendar_add_working_days(sim->calendar, from, count);
}

static inline gen_day next_working_day(simulation *sim, gen_day day)
{
	return gen_calendar_next_working_day(sim->calendar, day);
}

static inline int age_on(simulation *sim, gen_day day)
{
	return gen_age_on(sim->journey->child.birth, day);
}

static inline gen_day later(gen_day first, gen_day second)
{
	return first > second ? first : second;
}

static inline gen_day earlier(gen_day first, gen_day second)
{
	return first < second ? first : second;
}

static inline void make_postcode(simulation *sim, const char *area,
	char out[GEN_POSTCODE_SIZE])
{
	snprintf(out, GEN_POSTCODE_SIZE, "%s%d %d", area, between(sim, 1, 30),
		between(sim, 0, 9));
}

/* How a child comes into care. */
typedef enum care_route {
	ROUTE_FROM_PLAN,            /* from a CP plan */
	ROUTE_EMERGENCY,            /* during an assessment */
	ROUTE_UASC
} care_route;

/* A period of care from `start` (the day of birth at the earliest), with
 * everything that happens in it, until the child ceases to be looked after
 * or the window ends. Returns how the spell ended; *closure_reason is the
 * CIN census reason for closing the child's CIN episode then (NULL while
 * still looked after). */
spell gen_care_run(simulation *sim, gen_day start, care_route route,
	const char **closure_reason);

#endif
