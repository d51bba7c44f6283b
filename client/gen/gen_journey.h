/*
 * client/gen/gen_journey.h: one child's journey through children's services,
 * as the synthetic data generator models it.
 *
 * A journey is everything that happens to one child from their first contact
 * with the front door: contacts, Early Help, CIN episodes (referrals) with
 * their assessments, section 47 enquiries, CIN and CP plans, CP reviews and
 * visits, and periods of care (SSDA903 episodes, reviews, visits, missing
 * episodes, health, adoption, care leaving) with what the placements cost.
 * Dates are whatever really happened, also after the end of the generated
 * window; writing the returns (gen_output.c) shows each record as it stood
 * on the day of each return. GEN_NEVER is an end that had not come by the
 * window's end.
 *
 * Every item carries a `written` flag that the writer sets when it writes the
 * item at least once, so that distinct records can be counted.
 */
#ifndef CSPERF_GEN_JOURNEY_H
#define CSPERF_GEN_JOURNEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gen_calendar.h"
#include "gen_random.h"

/* A growable array of `type`; gen_simulation.h appends to it. */
#define GEN_LIST(type) struct { type *items; size_t count, capacity; }

/* The longest child id: SSDA903 allows 10 characters. */
#define GEN_CHILD_ID_SIZE 11
#define GEN_POSTCODE_SIZE 9
#define GEN_FACTORS_SIZE 48

/* The window the generator writes, and the council it writes for. */
typedef struct gen_window {
	const char *council;        /* the LA code, 1 to 3 letters or digits */
	int first_year;             /* the first collection year (31 March) */
	int last_year;              /* the last: --end-year */
	gen_day start;              /* 1 April first_year - 1 */
	gen_day end;                /* 31 March last_year */
	const char *postcode_area;  /* the council's postcode area, e.g. "WS" */
	const char *nation;         /* "england" or "wales" */
} gen_window;

typedef struct gen_child {
	size_t index;                  /* 0 for the first child */
	char id[GEN_CHILD_ID_SIZE];
	const char *sex;               /* M or F */
	gen_day birth;
	/* Expected date of birth, for a child first referred before birth;
	 * GEN_NEVER otherwise. */
	gen_day expected_birth;
	const char *ethnicity;
	char disabilities[32];         /* CIN census codes, "NONE" for none */
	bool uasc;                     /* arrived as an unaccompanied asylum seeker */
	char home_postcode[GEN_POSTCODE_SIZE];
	/* SSDA903 previous permanence, drawn when the child first comes into
	 * care; NULL before. */
	const char *previous_permanence;
	char permanence_la[4];
	char permanence_date[GEN_DAY_TEXT_SIZE];
	bool written;                  /* some return or file holds the child */
	bool permanence_written;
	bool uasc_written;
} gen_child;

typedef enum gen_contact_outcome {
	GEN_CONTACT_REFERRAL,
	GEN_CONTACT_EARLY_HELP,
	GEN_CONTACT_NO_FURTHER_ACTION,
	GEN_CONTACT_ADVICE
} gen_contact_outcome;

typedef struct gen_contact {
	gen_day date, decision;
	const char *source;            /* CIN census referral source */
	const char *rag;
	gen_contact_outcome outcome;
	bool written;
} gen_contact;

typedef struct gen_early_help {
	gen_day start, end, allocated;
	const char *team;
	const char *step;              /* "UP", "DOWN" or NULL */
	bool written;
} gen_early_help;

typedef struct gen_referral {
	gen_day date, closure;
	const char *source, *primary_need, *closure_reason;
	bool nfa;
	gen_day first_icpc;            /* GEN_NEVER if none */
	bool written;
} gen_referral;

typedef struct gen_assessment {
	size_t referral;               /* index into referrals */
	gen_day start, authorised;
	char factors[GEN_FACTORS_SIZE];
	bool written;
} gen_assessment;

typedef struct gen_cin_plan {
	size_t referral;
	gen_day start, end;
	bool written;
} gen_cin_plan;

typedef struct gen_s47 {
	size_t referral;
	gen_day start;
	gen_day concluded;             /* the ICPC, or the day it was found not needed */
	bool conference;               /* an ICPC was needed */
	gen_day icpc_target, icpc;
	bool written;
} gen_s47;

typedef struct gen_cp_plan {
	size_t referral;
	gen_day start, end;
	const char *initial_category, *latest_category;
	gen_day category_changed;      /* when latest_category took over */
	int previous_plans;
	bool written;
} gen_cp_plan;

typedef struct gen_cp_review {
	size_t plan;
	gen_day date;
	bool written;
} gen_cp_review;

/* A dated event with nothing more to it: a visit. */
typedef struct gen_visit {
	gen_day date;
	bool written;
} gen_visit;

/* A period of care: from a child starting to be looked after to their
 * ceasing to be. */
typedef struct gen_period {
	gen_day start, end;
	bool care_leaver;              /* ceased at 18 as an eligible care leaver */
} gen_period;

typedef struct gen_la_episode {
	size_t period;
	gen_day start, end;
	const char *new_episode_reason, *legal_status, *category_of_need;
	const char *placement_type, *provider;
	const char *end_reason;        /* X1 when another episode follows */
	const char *change_reason;     /* on episodes that start a new placement */
	char placement_postcode[GEN_POSTCODE_SIZE];
	char urn[9];
	const char *placement_location; /* IN or OUT (PL_LOCATION) */
	const char *placement_la;       /* the council's code when IN (PL_LA) */
	bool written;
} gen_la_episode;

typedef struct gen_la_review {
	gen_day date;
	const char *participation;
	bool written;
} gen_la_review;

typedef struct gen_missing {
	gen_day start, end;
	const char *type;              /* M or A */
	bool written;
} gen_missing;

/* SSDA903 OC2 for one collection year; NULL flags are absent. */
typedef struct gen_health {
	int year;
	int sdq_score;                 /* -1 for none */
	const char *sdq_reason;
	const char *convicted, *health_check, *immunisations, *teeth_check;
	const char *health_assessment, *substance_misuse;
	const char *intervention_received, *intervention_offered;
	bool written;
} gen_health;

/* SSDA903 OC3 for one collection year. */
typedef struct gen_care_leaver {
	int year;
	const char *in_touch, *activity, *accommodation;
	bool written;
} gen_care_leaver;

typedef struct gen_adoption {
	gen_day decision, match;
	gen_day adopted;               /* the adoption order: the period's end */
	bool foster_carer;
	int adopters;
	const char *adopter_sex, *adopter_legal_status;
	bool written;
} gen_adoption;

typedef struct gen_placed_for_adoption {
	gen_day decision, ceased;
	const char *ceased_reason;
	bool written;
} gen_placed_for_adoption;

/* Budget lines (placement categories) that placements are costed to. */
typedef enum gen_cost_category {
	GEN_COST_IN_HOUSE_FOSTERING,
	GEN_COST_AGENCY_FOSTERING,
	GEN_COST_FAMILY_AND_FRIENDS,
	GEN_COST_RESIDENTIAL,
	GEN_COST_SECURE,
	GEN_COST_SEMI_INDEPENDENT,
	GEN_COST_CATEGORIES,
	GEN_COST_NONE = GEN_COST_CATEGORIES  /* not costed: parents, adopters */
} gen_cost_category;

/* The budget line's code: the placement_category of a budget and of the
 * cost lines charged to it ("" for GEN_COST_NONE). */
const char *gen_cost_category_name(gen_cost_category category);

typedef struct gen_placement_cost {
	gen_day start, end;            /* end: the last day the cost applies */
	int placement_number;          /* the child's placements, from 1 */
	const char *provider;
	gen_cost_category category;
	int64_t weekly_pence, health_pence, education_pence;
	bool written;
} gen_placement_cost;

typedef struct gen_journey {
	gen_child child;
	GEN_LIST(gen_contact) contacts;
	GEN_LIST(gen_early_help) early_help;
	GEN_LIST(gen_referral) referrals;
	GEN_LIST(gen_assessment) assessments;
	GEN_LIST(gen_cin_plan) cin_plans;
	GEN_LIST(gen_s47) s47s;
	GEN_LIST(gen_cp_plan) cp_plans;
	GEN_LIST(gen_cp_review) cp_reviews;
	GEN_LIST(gen_visit) cp_visits;
	GEN_LIST(gen_period) periods;
	GEN_LIST(gen_la_episode) la_episodes;
	GEN_LIST(gen_la_review) la_reviews;
	GEN_LIST(gen_visit) la_visits;
	GEN_LIST(gen_missing) missing;
	GEN_LIST(gen_health) health;
	GEN_LIST(gen_care_leaver) care_leavers;
	GEN_LIST(gen_placed_for_adoption) placed_for_adoption;
	GEN_LIST(gen_placement_cost) placement_costs;
	bool adopted;
	gen_adoption adoption;
	/* No record of the journey is dated after this (GEN_NEVER while
	 * something is still open): a journey ending before the window has
	 * nothing in it. */
	gen_day last_activity;
	bool out_of_memory;
} gen_journey;

/* What the model needs besides the child: the calendar and the window. */
typedef struct gen_model {
	const gen_calendar *calendar;
	const gen_window *window;
} gen_model;

/* An empty journey, to be filled by gen_journey_simulate again and again
 * (its lists keep their memory). NULL when out of memory. Free with
 * gen_journey_free. */
gen_journey *gen_journey_new(void);

/* Accepts NULL. */
void gen_journey_free(gen_journey *journey);

/* Replaces *journey with the journey of child number `index` whose first
 * contact is on `first_contact`, drawing from `rng`. Nothing starts after
 * the window's end. journey->out_of_memory says if a list could not grow
 * (the journey is then incomplete). */
void gen_journey_simulate(gen_journey *journey, const gen_model *model,
	size_t index, gen_day first_contact, gen_rng *rng);

#endif
