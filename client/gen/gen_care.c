/*
 * client/gen/gen_care.c: periods of care in the journey model. From the day
 * a child starts to be looked after: legal statuses and care proceedings,
 * placements and moves (each a new SSDA903 episode), looked-after reviews and
 * statutory visits, missing episodes, what each placement costs, OC2 health,
 * adoption (decision, placement order, match, adoption order), and leaving
 * care: home, to a special guardianship or child arrangements order,
 * adopted, or at 18 as a care leaver with OC3 at 19, 20 and 21.
 *
 * The rates and their sources are listed in the top comment of gen.c.
 */
#include "gen_simulation.h"

/* ---- The rates (see gen.c for where they come from) ---- */

#define LA_REVIEW_ON_TIME 0.86           /* Wolverhampton 81-82% */
#define LA_VISIT_ON_TIME 0.90            /* Wolverhampton 90% */
#define ADOPTION_PLAN_UNDER_FIVE 0.50
#define ADOPTION_PLAN_CEASED 0.10
#define FOSTER_CARER_ADOPTION 0.12
#define COST_APRIL_UPLIFT 0.50
#define COST_RENEGOTIATED 0.05

/* ---- Code tables ---- */

/* England 2023 children looked after, by category of need. */
static const gen_weighted categories_of_need[] = {
	{ "N1", 62 }, { "N2", 3 }, { "N3", 3 }, { "N4", 8 }, { "N5", 14 },
	{ "N6", 2 }, { "N7", 0.3 }, { "N8", 7 },
};

static const gen_weighted placement_change_reasons[] = {
	{ "CARPL", 34 }, { "CREQB", 14 }, { "CREQO", 10 }, { "CHILD", 8 },
	{ "LAREQ", 9 }, { "STAND", 3 }, { "ALLEG", 2 }, { "CLOSE", 3 },
	{ "APPRR", 1 }, { "CUSTOD", 1 }, { "OTHER", 15 },
};

static const gen_weighted exits_at_eighteen[] = {
	{ "E5", 40 }, { "E17", 25 }, { "E6", 10 }, { "E8", 15 }, { "E4B", 10 },
};

/* Walsall: 100% shared their views, 49.8% attended (children aged 4+). */
static const gen_weighted review_participation[] = {
	{ "PN1", 35 }, { "PN2", 5 }, { "PN3", 5 }, { "PN4", 5 }, { "PN5", 15 },
	{ "PN6", 33 }, { "PN7", 2 },
};

static const gen_weighted previous_permanence_codes[] = {
	{ "Z1", 90 }, { "P1", 2 }, { "P2", 3 }, { "P3", 4 }, { "P4", 1 },
};

static const gen_weighted sdq_reasons[] = {
	{ "SDQ2", 30 }, { "SDQ3", 15 }, { "SDQ4", 35 }, { "SDQ5", 20 },
};

static const gen_weighted care_leaver_in_touch[] = {
	{ "YES", 91 }, { "NO", 4 }, { "REFU", 2 }, { "NREQ", 1.5 },
	{ "RHOM", 1.4 }, { "DIED", 0.1 },
};

/* Walsall 61.3% of care leavers 19-21 in education, employment or
 * training; Norfolk 50.5%. */
static const gen_weighted care_leaver_activities[] = {
	{ "F1", 8 }, { "P1", 1 }, { "F2", 20 }, { "P2", 4 }, { "F4", 17 },
	{ "P4", 8 }, { "G4", 8 }, { "G5", 28 }, { "G6", 6 },
};

/* Walsall 92.6% in suitable accommodation; the rest mostly in custody. */
static const gen_weighted care_leaver_accommodation[] = {
	{ "U1", 42 }, { "Z1", 9 }, { "B1", 11 }, { "D1", 9 }, { "E1", 5 },
	{ "K1", 6 }, { "T1", 3 }, { "Y1", 7 }, { "X2", 4 }, { "U2", 1 },
	{ "B2", 1 }, { "V2", 1 }, { "S2", 1 },
};

static const gen_weighted adoption_ceased_reasons[] = {
	{ "RD1", 40 }, { "RD2", 25 }, { "RD3", 25 }, { "RD4", 10 },
};

static const gen_weighted adopter_couples[] = {
	{ "MF", 85 }, { "MM", 8 }, { "FF", 7 },
};
static const gen_weighted couple_legal_status[] = {
	{ "L0", 65 }, { "L11", 10 }, { "L12", 25 },
};

/* Postcode areas a placement outside the council may be in. */
static const char *const other_postcode_areas[] = {
	"B", "BS", "CF", "CV", "DE", "DY", "L", "LE", "LS", "M", "NE", "NG",
	"NR", "OX", "PO", "RG", "S", "SO", "ST", "TF", "WS", "WV",
};

/* ---- Placements ---- */

typedef enum place_kind {
	PLACE_IN_HOUSE_FOSTER,
	PLACE_AGENCY_FOSTER,
	PLACE_FAMILY_AND_FRIENDS,
	PLACE_RESIDENTIAL,
	PLACE_SECURE,
	PLACE_SEMI_INDEPENDENT,
	PLACE_WITH_PARENTS,
	PLACE_MOTHER_AND_BABY,
	PLACE_ADOPTION,
	PLACE_KINDS
} place_kind;

/* How likely each kind of placement is, by age, when a child comes into
 * care or moves (Walsall at 31 March: fostered 58.2%, family and friends
 * 19.2%, placed with parents 9.1%; the older the child, the more residential
 * and semi-independent). Adoption and placements with parents are not drawn
 * here: they follow court orders. */
static const double entry_place_weights[][PLACE_KINDS] = {
	/* in-house, agency, family, residential, secure, semi, parents, m&b, adoption */
	{ 45, 15, 25, 0, 0, 0, 0, 15, 0 },     /* under 1 */
	{ 45, 20, 30, 0, 0, 0, 5, 0, 0 },      /* 1 to 4 */
	{ 40, 23, 30, 2, 0, 0, 5, 0, 0 },      /* 5 to 9 */
	{ 30, 28, 18, 19, 1, 0, 4, 0, 0 },     /* 10 to 15 */
	{ 18, 20, 8, 15, 0, 36, 3, 0, 0 },     /* 16 and 17 */
	{ 25, 60, 0, 15, 0, 0, 0, 0, 0 },      /* UASC under 16 */
	{ 0, 25, 0, 15, 0, 60, 0, 0, 0 },      /* UASC 16 and 17 */
};

/* How often (per year) a child of each kind of placement moves, for the
 * three kinds of stability a child may have: most stay put, a few move
 * again and again (England: 10% had 3 or more placements in a year). */
static const double moves_per_year[] = { 0.25, 1.4, 4.0 };
static const double stability_weights[] = { 66, 21, 13 };

/* Of those placed in each kind, the share placed inside the council's
 * area (Cardiff 56.6% overall). */
static const double inside_area[PLACE_KINDS] = {
	0.80, 0.45, 0.70, 0.35, 0.10, 0.60, 0.90, 0.40, 0.40,
};

typedef struct placement {
	place_kind kind;
	bool long_term;             /* long-term fostering: U1, U4 */
	bool with_foster_carer;     /* adoption by the current foster carer: A5 */
	bool outside;               /* outside the council's boundary (PL_LOCATION OUT) */
	const char *provider;
	char postcode[GEN_POSTCODE_SIZE];
	char urn[9];
} placement;

static const char *placement_type_code(const placement *place)
{
	switch (place->kind) {
	case PLACE_IN_HOUSE_FOSTER:
	case PLACE_AGENCY_FOSTER:
		return place->long_term ? "U4" : "U6";
	case PLACE_FAMILY_AND_FRIENDS:
		return place->long_term ? "U1" : "U3";
	case PLACE_RESIDENTIAL:
		return "K2";
	case PLACE_SECURE:
		return "K1";
	case PLACE_SEMI_INDEPENDENT:
		return "H5";
	case PLACE_WITH_PARENTS:
		return "P1";
	case PLACE_MOTHER_AND_BABY:
		return "R3";
	case PLACE_ADOPTION:
	case PLACE_KINDS:
		break;
	}
	return place->with_foster_carer ? "A5" : "A6";
}

static gen_cost_category cost_category(place_kind kind)
{
	switch (kind) {
	case PLACE_IN_HOUSE_FOSTER: return GEN_COST_IN_HOUSE_FOSTERING;
	case PLACE_AGENCY_FOSTER: return GEN_COST_AGENCY_FOSTERING;
	case PLACE_FAMILY_AND_FRIENDS: return GEN_COST_FAMILY_AND_FRIENDS;
	case PLACE_RESIDENTIAL:
	case PLACE_MOTHER_AND_BABY: return GEN_COST_RESIDENTIAL;
	case PLACE_SECURE: return GEN_COST_SECURE;
	case PLACE_SEMI_INDEPENDENT: return GEN_COST_SEMI_INDEPENDENT;
	default: return GEN_COST_NONE;
	}
}

const char *gen_cost_category_name(gen_cost_category category)
{
	switch (category) {
	case GEN_COST_IN_HOUSE_FOSTERING: return "in_house_foster";
	case GEN_COST_AGENCY_FOSTERING: return "agency_foster";
	/* The codes have no line of their own for family and friends care. */
	case GEN_COST_FAMILY_AND_FRIENDS: return "other";
	case GEN_COST_RESIDENTIAL: return "residential";
	case GEN_COST_SECURE: return "secure";
	case GEN_COST_SEMI_INDEPENDENT: return "semi_independent";
	case GEN_COST_CATEGORIES: break;
	}
	return "";
}

/* Weekly cost ranges, in pounds, by budget line. */
static const int weekly_cost_range[GEN_COST_CATEGORIES][2] = {
	{ 400, 500 },       /* in-house fostering */
	{ 800, 1000 },      /* agency fostering */
	{ 250, 350 },       /* family and friends */
	{ 4000, 6000 },     /* residential */
	{ 6500, 9000 },     /* secure */
	{ 1000, 2000 },     /* semi-independent */
};

/* ---- Previous permanence ---- */

static void draw_previous_permanence(simulation *sim, gen_day care_start)
{
	gen_child *child = &sim->journey->child;
	gen_day earliest = child->birth + 180, latest = care_start - 30;
	gen_day order;
	int year, month, day;

	child->previous_permanence = PICK(sim, previous_permanence_codes);
	child->permanence_la[0] = '\0';
	child->permanence_date[0] = '\0';
	if (strcmp(child->previous_permanence, "Z1") == 0)
		return;
	if (latest <= earliest) {
		child->previous_permanence = "Z1";
		return;
	}
	if (chance(sim, 0.7))
		snprintf(child->permanence_la, sizeof(child->permanence_la), "%s",
			sim->model->window->council);
	else
		snprintf(child->permanence_la, sizeof(child->permanence_la), "%d",
			between(sim, 201, 938));
	order = earliest + between(sim, 0, latest - earliest);
	gen_day_split(order, &year, &month, &day);
	if (chance(sim, 0.6))
		gen_day_format(order, child->permanence_date);
	else if (chance(sim, 0.6))
		snprintf(child->permanence_date, sizeof(child->permanence_date),
			"%04d-%02d", year, month);
	else
		snprintf(child->permanence_date, sizeof(child->permanence_date),
			"%04d", year);
}

/* ---- Periods of care ---- */

typedef enum care_event {
	EVENT_NONE,
	EVENT_LEGAL,                /* the legal status becomes next_legal */
	EVENT_EXIT,                 /* ceases to be looked after: exit_reason */
	EVENT_ADOPTIVE_PLACEMENT,   /* moves in with the adopters */
	EVENT_MOVE,                 /* moves to another placement */
	EVENT_EIGHTEEN
} care_event;

typedef struct care {
	simulation *sim;
	size_t period_index;
	gen_period period;
	gen_la_episode episode;     /* the open episode */
	placement place;
	double move_rate;           /* moves a year */
	gen_day eighteenth;

	care_event planned;         /* the next legal step */
	gen_day planned_day;
	const char *next_legal;
	const char *exit_reason;
	gen_day next_move;

	/* The open placement, for its visits, costs and missing episodes. */
	gen_day placement_start;
	int placement_number;

	bool adoption_plan;
	gen_adoption adoption;
} care;

static double random_days(simulation *sim, double mean)
{
	return gen_rng_exponential(sim->rng, mean);
}

/* A new placement on `day`; a child who moves (rather than comes into care)
 * is not placed with parents or in a mother and baby unit that way. */
static void choose_placement(care *c, gen_day day, bool moving)
{
	simulation *sim = c->sim;
	gen_child *child = &sim->journey->child;
	int age = age_on(sim, day);
	size_t row = age < 1 ? 0 : age < 5 ? 1 : age < 10 ? 2 : age < 16 ? 3 : 4;
	placement *place = &c->place;
	const char *area = sim->model->window->postcode_area;
	double weights[PLACE_KINDS];

	if (child->uasc)
		row = age < 16 ? 5 : 6;
	memcpy(weights, entry_place_weights[row], sizeof(weights));
	if (moving) {
		weights[PLACE_WITH_PARENTS] = 0;
		weights[PLACE_MOTHER_AND_BABY] = 0;
	}
	memset(place, 0, sizeof(*place));
	place->kind = (place_kind)gen_rng_pick_index(sim->rng, weights,
		PLACE_KINDS);
	switch (place->kind) {
	case PLACE_AGENCY_FOSTER:
		place->provider = chance(sim, 0.7) ? "PR4" : "PR5";
		break;
	case PLACE_RESIDENTIAL:
		place->provider = chance(sim, 0.75) ? "PR4" :
			chance(sim, 0.8) ? "PR1" : "PR5";
		break;
	case PLACE_SECURE:
		place->provider = chance(sim, 0.6) ? "PR1" : "PR2";
		break;
	case PLACE_SEMI_INDEPENDENT:
		place->provider = chance(sim, 0.8) ? "PR4" : "PR5";
		break;
	case PLACE_WITH_PARENTS:
		place->provider = "PR0";
		break;
	case PLACE_MOTHER_AND_BABY:
		place->provider = "PR4";
		break;
	default:
		place->provider = "PR1";
		break;
	}
	place->outside = !chance(sim, inside_area[place->kind]);
	if (place->outside)
		area = other_postcode_areas[gen_rng_between(sim->rng, 0,
			(int)COUNT_OF(other_postcode_areas) - 1)];
	make_postcode(sim, area, place->postcode);
	if (place->kind == PLACE_RESIDENTIAL || place->kind == PLACE_SECURE ||
	    place->kind == PLACE_AGENCY_FOSTER)
		snprintf(place->urn, sizeof(place->urn), "SC%06d",
			between(sim, 100000, 999999));
	c->move_rate = moves_per_year[gen_rng_pick_index(sim->rng,
		stability_weights, COUNT_OF(stability_weights))];
	if (age >= 12)
		c->move_rate *= 1.3;
}

static void open_episode(care *c, gen_day day, const char *reason,
	const char *change_reason)
{
	gen_la_episode *episode = &c->episode;
	const char *legal = episode->legal_status;
	const char *need = episode->category_of_need;

	memset(episode, 0, sizeof(*episode));
	episode->period = c->period_index;
	episode->start = day;
	episode->end = GEN_NEVER;
	episode->new_episode_reason = reason;
	episode->legal_status = legal;
	episode->category_of_need = need;
	episode->placement_type = placement_type_code(&c->place);
	episode->provider = c->place.provider;
	episode->change_reason = change_reason;
	memcpy(episode->placement_postcode, c->place.postcode,
		sizeof(episode->placement_postcode));
	memcpy(episode->urn, c->place.urn, sizeof(episode->urn));
	/* PL_LA names the council for a placement inside it; the generator does
	 * not say which council an outside placement is in. */
	episode->placement_location = c->place.outside ? "OUT" : "IN";
	episode->placement_la = c->place.outside ? NULL : c->sim->model->window->council;
}

static void close_episode(care *c, gen_day day, const char *end_reason)
{
	c->episode.end = day;
	c->episode.end_reason = end_reason;
	append_la_episode(c->sim->journey, &c->episode);
}

/* Statutory visits to a placement from `start` to before `end`: within a
 * week of moving in, then every six weeks, every three months once the
 * child has been there a year. */
static void add_la_visits(care *c, gen_day start, gen_day end)
{
	simulation *sim = c->sim;
	gen_day limit = earlier(end, sim->horizon + 1);
	gen_day visit = start + (chance(sim, LA_VISIT_ON_TIME) ?
		between(sim, 1, 7) : between(sim, 8, 14));

	while (visit < limit) {
		gen_visit record = { .date = visit };
		int interval = visit - start < 365 ? 42 : 91;

		append_la_visit(sim->journey, &record);
		visit += chance(sim, LA_VISIT_ON_TIME) ?
			between(sim, interval - 14, interval) :
			between(sim, interval + 1, interval + 21);
	}
}

/* Times missing or away from a placement: teenagers mostly, and more from
 * children's homes and semi-independent living (England: about 1 in 10
 * looked-after children went missing in a year). */
static void add_missing(care *c, gen_day start, gen_day end)
{
	simulation *sim = c->sim;
	gen_day limit = earlier(end, sim->horizon + 1);
	int age = age_on(sim, start);
	double rate = age < 10 ? 0.0 : age < 14 ? 0.12 : 0.35;
	gen_day day;

	if (c->place.kind == PLACE_RESIDENTIAL ||
	    c->place.kind == PLACE_SEMI_INDEPENDENT)
		rate *= 4;
	if (rate <= 0.0)
		return;
	day = start + 1 + (gen_day)random_days(sim, DAYS_PER_YEAR / rate);
	while (day < limit) {
		gen_missing missing = { .start = day };

		missing.type = chance(sim, 0.7) ? "M" : "A";
		if (missing.type[0] == 'M')
			missing.end = day + (chance(sim, 0.35) ? 0 :
				chance(sim, 0.7) ? between(sim, 1, 2) :
				between(sim, 3, 14));
		else
			missing.end = day + (chance(sim, 0.7) ? 0 : 1);
		if (missing.end >= end)
			missing.end = end - 1;
		if (missing.end > sim->horizon)
			missing.end = GEN_NEVER;
		append_missing(sim->journey, &missing);
		if (missing.end == GEN_NEVER)
			break;
		day = missing.end + 1 + (gen_day)random_days(sim,
			DAYS_PER_YEAR / rate);
	}
}

static int64_t scale_pence(int64_t pence, double factor)
{
	return (int64_t)((double)pence * factor + 0.5);
}

/* The cost of a placement from `start` to the day before `end`, split where
 * the rate changed: some placements take a yearly uplift on 1 April, a few
 * are renegotiated mid-placement. */
static void add_placement_costs(care *c, gen_day start, gen_day end)
{
	simulation *sim = c->sim;
	gen_cost_category category = cost_category(c->place.kind);
	gen_placement_cost cost = { .category = category };
	gen_day limit = earlier(end, sim->horizon + 1);
	gen_day renegotiated = GEN_NEVER;
	int low, high;

	if (category == GEN_COST_NONE || start > sim->horizon)
		return;
	low = weekly_cost_range[category][0] * 100;
	high = weekly_cost_range[category][1] * 100;
	cost.provider = c->place.provider;
	cost.placement_number = c->placement_number;
	cost.weekly_pence = between(sim, low, high);
	if ((category == GEN_COST_RESIDENTIAL && chance(sim, 0.2)) ||
	    (category == GEN_COST_SECURE && chance(sim, 0.3)))
		cost.health_pence = between(sim, 300, 1500) * 100;
	if (category == GEN_COST_RESIDENTIAL && chance(sim, 0.25))
		cost.education_pence = between(sim, 200, 800) * 100;
	if (limit - start > 60 && chance(sim, COST_RENEGOTIATED))
		renegotiated = start + between(sim, 30, limit - start - 1);

	cost.start = start;
	for (;;) {
		int year = gen_financial_year_of(cost.start);
		gen_day april = gen_year_start(year + 1);
		gen_day change = GEN_NEVER;
		double factor = 1.0;

		while (april < limit && !chance(sim, COST_APRIL_UPLIFT))
			april = gen_year_start(gen_financial_year_of(april) + 1);
		if (april < limit) {
			change = april;
			factor = 1.0 + between(sim, 20, 50) / 1000.0;
		}
		if (renegotiated > cost.start && renegotiated < change) {
			change = renegotiated;
			factor = between(sim, 90, 115) / 100.0;
		}
		if (change >= limit) {
			cost.end = end > sim->horizon ? GEN_NEVER : end - 1;
			append_placement_cost(sim->journey, &cost);
			return;
		}
		cost.end = change - 1;
		append_placement_cost(sim->journey, &cost);
		cost.start = change;
		cost.weekly_pence = scale_pence(cost.weekly_pence, factor);
	}
}

/* The placement open since placement_start ends on `end` (GEN_NEVER: still
 * open at the window's end): its visits, missing episodes and costs. */
static void end_placement(care *c, gen_day end)
{
	add_la_visits(c, c->placement_start, end);
	add_missing(c, c->placement_start, end);
	add_placement_costs(c, c->placement_start, end);
}

static void begin_placement(care *c, gen_day day)
{
	c->placement_start = day;
	c->placement_number = ++c->sim->placements;
}

static void schedule_move(care *c, gen_day from)
{
	double rate = c->move_rate;

	if (c->place.kind == PLACE_ADOPTION)
		rate = 0.0;
	else if (c->place.kind == PLACE_WITH_PARENTS)
		rate *= 0.3;
	c->next_move = rate > 0.0 ?
		from + 1 + (gen_day)random_days(c->sim, DAYS_PER_YEAR / rate) :
		GEN_NEVER;
}

static void plan_event(care *c, care_event event, gen_day day,
	const char *legal, const char *exit_reason)
{
	c->planned = event;
	c->planned_day = day;
	c->next_legal = legal;
	c->exit_reason = exit_reason;
}

static const char *sgo_exit(simulation *sim)
{
	return chance(sim, 0.45) ? "E45" : "E46";
}

/* Decides what follows the legal status the child has from `day`. */
static void plan_after_legal(care *c, gen_day day)
{
	simulation *sim = c->sim;
	const char *legal = c->episode.legal_status;
	int age = age_on(sim, day);
	int roll = between(sim, 1, 100);

	if (strcmp(legal, "L1") == 0) {
		gen_day next = day + between(sim, 1, 3);

		if (roll <= 45)
			plan_event(c, EVENT_LEGAL, next, "V2", NULL);
		else if (roll <= 70)
			plan_event(c, EVENT_LEGAL, next, "C1", NULL);
		else
			plan_event(c, EVENT_EXIT, next, NULL, "E4A");
	} else if (strcmp(legal, "L2") == 0) {
		gen_day next = day + between(sim, 5, 8);

		if (roll <= 80)
			plan_event(c, EVENT_LEGAL, next, "C1", NULL);
		else
			plan_event(c, EVENT_EXIT, next, NULL, "E4A");
	} else if (strcmp(legal, "V2") == 0) {
		if (sim->journey->child.uasc)
			plan_event(c, EVENT_NONE, GEN_NEVER, NULL, NULL);
		else if (roll <= 45)
			plan_event(c, EVENT_EXIT, day + 3 +
				(gen_day)random_days(sim, 90), NULL, "E4A");
		else if (roll <= 90)
			plan_event(c, EVENT_LEGAL, day + between(sim, 20, 180),
				"C1", NULL);
		else
			plan_event(c, EVENT_EXIT, day + 30 +
				(gen_day)random_days(sim, DAYS_PER_YEAR / 0.15),
				NULL, "E4A");
	} else if (strcmp(legal, "C1") == 0) {
		/* Care proceedings: 26 to 54 weeks to the final hearing. */
		int proceedings = between(sim, 180, 380);
		gen_day final = day + proceedings;

		c->adoption_plan = age < 5 && chance(sim, ADOPTION_PLAN_UNDER_FIVE);
		if (c->adoption_plan) {
			gen_placed_for_adoption decision = { .ceased = GEN_NEVER };

			decision.decision = day + proceedings * 6 / 10;
			if (chance(sim, ADOPTION_PLAN_CEASED)) {
				decision.ceased = decision.decision +
					between(sim, 30, proceedings * 4 / 10 + 30);
				decision.ceased_reason = PICK(sim, adoption_ceased_reasons);
				c->adoption_plan = false;
			}
			if (decision.decision <= sim->horizon)
				append_placed_for_adoption(sim->journey, &decision);
			c->adoption.decision = decision.decision;
		}
		if (c->adoption_plan)
			plan_event(c, EVENT_LEGAL, final, "E1", NULL);
		else if (roll <= 65)
			plan_event(c, EVENT_LEGAL, final, "C2", NULL);
		else if (roll <= 81)
			plan_event(c, EVENT_EXIT, final, NULL, sgo_exit(sim));
		else if (roll <= 93)
			plan_event(c, EVENT_EXIT, final, NULL, "E4A");
		else
			plan_event(c, EVENT_EXIT, final, NULL, "E41");
	} else if (strcmp(legal, "C2") == 0) {
		gen_day home = day + 1 + (gen_day)random_days(sim,
			DAYS_PER_YEAR / 0.025);
		gen_day sgo = day + 1 + (gen_day)random_days(sim,
			DAYS_PER_YEAR / (age < 12 ? 0.04 : 0.015));

		if (home < sgo)
			plan_event(c, EVENT_EXIT, home, NULL, "E4A");
		else
			plan_event(c, EVENT_EXIT, sgo, NULL, sgo_exit(sim));
	} else if (strcmp(legal, "E1") == 0) {
		/* Placement order to match: Wolverhampton A2 199 days. */
		int to_match = 60 + (int)random_days(sim, 140);

		c->adoption.match = day + (to_match > 600 ? 600 : to_match);
		c->adoption.foster_carer = (c->place.kind == PLACE_IN_HOUSE_FOSTER ||
			c->place.kind == PLACE_AGENCY_FOSTER) &&
			chance(sim, FOSTER_CARER_ADOPTION);
		if (chance(sim, 0.05)) {
			size_t decisions = sim->journey->placed_for_adoption.count;

			/* No adopters found: the placement order is revoked. */
			if (decisions > 0 && c->adoption.match <= sim->horizon) {
				gen_placed_for_adoption *last =
					&sim->journey->placed_for_adoption.items[decisions - 1];

				if (last->decision == c->adoption.decision) {
					last->ceased = c->adoption.match;
					last->ceased_reason = "RD3";
				}
			}
			plan_event(c, EVENT_LEGAL, c->adoption.match, "C2", NULL);
		} else {
			plan_event(c, EVENT_ADOPTIVE_PLACEMENT, c->adoption.match +
				(c->adoption.foster_carer ? between(sim, 3, 21) :
				between(sim, 7, 42)), NULL, NULL);
		}
	} else {
		plan_event(c, EVENT_NONE, GEN_NEVER, NULL, NULL);
	}
}

static const char *initial_legal_status(simulation *sim, care_route route)
{
	int roll = between(sim, 1, 100);

	switch (route) {
	case ROUTE_UASC:
		return "V2";
	case ROUTE_FROM_PLAN:
		return roll <= 55 ? "C1" : roll <= 90 ? "V2" : roll <= 95 ? "L2" : "L1";
	case ROUTE_EMERGENCY:
		break;
	}
	return roll <= 30 ? "L1" : roll <= 40 ? "L2" : roll <= 85 ? "V2" : "C1";
}

/* Applies a change of legal status on `day`; a full care order also makes
 * fostering long-term (same carer), or sends some children home on the
 * order. */
static void change_legal_status(care *c, gen_day day, const char *legal)
{
	simulation *sim = c->sim;
	const char *reason = "L";
	const char *change_reason = NULL;
	bool new_placement = false;

	if (strcmp(legal, "C2") == 0) {
		bool fostered = c->place.kind == PLACE_IN_HOUSE_FOSTER ||
			c->place.kind == PLACE_AGENCY_FOSTER ||
			c->place.kind == PLACE_FAMILY_AND_FRIENDS;

		if (chance(sim, 0.15)) {
			new_placement = true;
			reason = "T";
			change_reason = "CARPL";
		} else if (fostered && !c->place.long_term && chance(sim, 0.7)) {
			reason = "U";
			change_reason = "PLACE";
		}
	}
	close_episode(c, day, "X1");
	c->episode.legal_status = legal;
	if (new_placement) {
		end_placement(c, day);
		choose_placement(c, day, false);
		c->place.kind = PLACE_WITH_PARENTS;
		c->place.provider = "PR0";
		c->place.urn[0] = '\0';
		c->place.outside = false;
		snprintf(c->place.postcode, sizeof(c->place.postcode), "%s",
			sim->journey->child.home_postcode);
		begin_placement(c, day);
	} else if (reason[0] == 'U') {
		c->place.long_term = true;
	}
	open_episode(c, day, reason, change_reason);
	if (new_placement)
		schedule_move(c, day);
	plan_after_legal(c, day);
}

static void move_placement(care *c, gen_day day)
{
	end_placement(c, day);
	close_episode(c, day, "X1");
	choose_placement(c, day, true);
	c->place.long_term = strcmp(c->episode.legal_status, "C2") == 0 &&
		c->place.kind <= PLACE_FAMILY_AND_FRIENDS;
	begin_placement(c, day);
	open_episode(c, day, "P", PICK(c->sim, placement_change_reasons));
	schedule_move(c, day);
}

static void move_to_adopters(care *c, gen_day day)
{
	simulation *sim = c->sim;
	bool foster_carer = c->adoption.foster_carer;

	end_placement(c, day);
	close_episode(c, day, "X1");
	c->place.kind = PLACE_ADOPTION;
	c->place.long_term = false;
	c->place.with_foster_carer = foster_carer;
	c->place.urn[0] = '\0';
	if (!foster_carer) {
		c->place.provider = chance(sim, 0.6) ? "PR1" : "PR5";
		make_postcode(sim, chance(sim, 0.4) ?
			sim->model->window->postcode_area :
			other_postcode_areas[gen_rng_between(sim->rng, 0,
				(int)COUNT_OF(other_postcode_areas) - 1)],
			c->place.postcode);
		begin_placement(c, day);
	} else {
		c->placement_start = day;
	}
	open_episode(c, day, foster_carer ? "B" : "P",
		foster_carer ? "PLACE" : "CARPL");
	c->next_move = GEN_NEVER;
	plan_event(c, EVENT_EXIT, day + between(sim, 180, 330), NULL,
		chance(sim, 0.75) ? "E11" : "E12");
}

/* Looked-after reviews of the period from `start` to before `end`: within
 * 20 working days, then 3 months, then every 6 months. */
static void add_la_reviews(care *c, gen_day start, gen_day end)
{
	simulation *sim = c->sim;
	gen_day limit = earlier(end, sim->horizon + 1);
	gen_day due = add_working_days(sim, start, 20);
	gen_day review = chance(sim, LA_REVIEW_ON_TIME) ?
		start + between(sim, 3, due - start) : due + between(sim, 1, 30);
	int held = 0;

	while (review < limit) {
		gen_la_review record = { .date = review };

		record.participation = age_on(sim, review) < 4 ? "PN0" :
			PICK(sim, review_participation);
		append_la_review(sim->journey, &record);
		held++;
		if (held == 1)
			review += chance(sim, LA_REVIEW_ON_TIME) ?
				between(sim, 60, 91) : between(sim, 92, 120);
		else
			review += chance(sim, LA_REVIEW_ON_TIME) ?
				between(sim, 150, 182) : between(sim, 184, 220);
	}
}

static const char *flag(bool value)
{
	return value ? "true" : "false";
}

/* OC2 for every collection year of the window at whose end the child had
 * been looked after for 12 months. */
static void add_health(care *c)
{
	simulation *sim = c->sim;
	const gen_window *window = sim->model->window;

	for (int year = window->first_year; year <= window->last_year; year++) {
		gen_day year_end = gen_year_end(year);
		gen_health health = { .year = year, .sdq_score = -1 };
		int age = age_on(sim, year_end);

		if (c->period.start > year_end - 365 || c->period.end <= year_end)
			continue;
		if (age >= 4 && age <= 16 && chance(sim, 0.85))
			health.sdq_score = (int)gen_rng_normal(sim->rng, 14, 6.5, 0, 40);
		else if (age >= 4 && age <= 16)
			health.sdq_reason = PICK(sim, sdq_reasons);
		else
			health.sdq_reason = "SDQ1";
		health.convicted = age >= 10 ? flag(chance(sim, 0.04)) : NULL;
		health.health_check = flag(chance(sim, 0.89));
		health.immunisations = flag(chance(sim, 0.86));
		health.teeth_check = flag(chance(sim, 0.82));
		health.health_assessment = flag(chance(sim, 0.90));
		health.substance_misuse = flag(age >= 10 && chance(sim, 0.04));
		if (health.substance_misuse[0] == 't') {
			bool received = chance(sim, 0.6);

			health.intervention_received = flag(received);
			health.intervention_offered = flag(!received && chance(sim, 0.5));
		}
		append_health(sim->journey, &health);
	}
}

/* OC3 at 19, 20 and 21 for a care leaver, in the collection years of the
 * window that hold those birthdays. */
static void add_care_leaver_years(care *c)
{
	simulation *sim = c->sim;
	const gen_window *window = sim->model->window;

	for (int age = 19; age <= 21; age++) {
		gen_day birthday = gen_birthday(sim->journey->child.birth, age);
		int year = gen_financial_year_of(birthday);
		gen_care_leaver leaver = { .year = year };

		if (year < window->first_year || year > window->last_year)
			continue;
		leaver.in_touch = PICK(sim, care_leaver_in_touch);
		if (strcmp(leaver.in_touch, "YES") == 0 ||
		    strcmp(leaver.in_touch, "RHOM") == 0) {
			leaver.activity = PICK(sim, care_leaver_activities);
			leaver.accommodation = PICK(sim, care_leaver_accommodation);
		} else {
			leaver.activity = "0";
			leaver.accommodation = "0";
		}
		append_care_leaver(sim->journey, &leaver);
	}
}

static void record_adoption(care *c, gen_day adopted)
{
	gen_journey *journey = c->sim->journey;
	gen_adoption *adoption = &journey->adoption;

	*adoption = c->adoption;
	adoption->adopted = adopted;
	adoption->adopters = chance(c->sim, 0.12) ? 1 : 2;
	if (adoption->adopters == 1) {
		adoption->adopter_sex = chance(c->sim, 0.85) ? "F1" : "M1";
		adoption->adopter_legal_status = "L2";
	} else {
		adoption->adopter_sex = PICK(c->sim, adopter_couples);
		adoption->adopter_legal_status = PICK(c->sim, couple_legal_status);
	}
	journey->adopted = true;
}

static const char *closure_reason_for_exit(const char *exit_reason)
{
	if (strcmp(exit_reason, "E11") == 0 || strcmp(exit_reason, "E12") == 0)
		return "RC1";
	if (strcmp(exit_reason, "E45") == 0 || strcmp(exit_reason, "E46") == 0)
		return "RC4";
	if (strcmp(exit_reason, "E41") == 0)
		return "RC3";
	if (strcmp(exit_reason, "E3") == 0)
		return "RC6";
	return "RC8";
}

spell gen_care_run(simulation *sim, gen_day start, care_route route,
	const char **closure_reason)
{
	gen_journey *journey = sim->journey;
	gen_child *child = &journey->child;
	care c = { .sim = sim };
	gen_day elsewhere;
	spell result = { .until = GEN_NEVER, .depth = INVOLVED_RETURNED_HOME };

	*closure_reason = NULL;
	if (start < child->birth)
		start = child->birth + between(sim, 0, 3);
	c.eighteenth = gen_birthday(child->birth, 18);
	if (start >= c.eighteenth || start > sim->horizon) {
		result.until = start > sim->horizon ? GEN_NEVER : start;
		*closure_reason = "RC7";
		return result;
	}
	if (child->previous_permanence == NULL)
		draw_previous_permanence(sim, start);

	c.period_index = journey->periods.count;
	c.period.start = start;
	c.period.end = GEN_NEVER;
	c.episode.legal_status = initial_legal_status(sim, route);
	c.episode.category_of_need = child->uasc ? "N8" :
		PICK(sim, categories_of_need);
	choose_placement(&c, start, false);
	begin_placement(&c, start);
	open_episode(&c, start, "S", NULL);
	schedule_move(&c, start);
	plan_after_legal(&c, start);
	/* Rare ways out: another council takes over, or custody. */
	elsewhere = start + 1 + (gen_day)random_days(sim, DAYS_PER_YEAR / 0.012);

	for (;;) {
		care_event event = c.planned;
		gen_day day = c.planned_day;
		bool gone_elsewhere = false;

		if (event == EVENT_NONE)
			day = GEN_NEVER;
		if (c.next_move < day) {
			event = EVENT_MOVE;
			day = c.next_move;
		}
		if (c.eighteenth <= day) {
			event = EVENT_EIGHTEEN;
			day = c.eighteenth;
		}
		if (elsewhere < day) {
			event = EVENT_EXIT;
			day = elsewhere;
			gone_elsewhere = true;
		}
		if (day <= c.episode.start)
			day = c.episode.start + 1;
		if (event == EVENT_NONE || day > sim->horizon) {
			end_placement(&c, GEN_NEVER);
			append_la_episode(journey, &c.episode);
			break;
		}
		if (event == EVENT_EXIT || event == EVENT_EIGHTEEN) {
			const char *exit_reason;

			if (event == EVENT_EIGHTEEN)
				exit_reason = PICK(sim, exits_at_eighteen);
			else if (gone_elsewhere)
				exit_reason = age_on(sim, day) >= 14 && chance(sim, 0.4) ?
					"E9" : "E3";
			else
				exit_reason = c.exit_reason;
			end_placement(&c, day);
			close_episode(&c, day, exit_reason);
			c.period.end = day;
			c.period.care_leaver = event == EVENT_EIGHTEEN &&
				day - later(start, gen_birthday(child->birth, 14)) >= 91;
			*closure_reason = event == EVENT_EIGHTEEN ? "RC7" :
				closure_reason_for_exit(exit_reason);
			result.until = day;
			if (event == EVENT_EIGHTEEN ||
			    strcmp(exit_reason, "E3") == 0 ||
			    strcmp(exit_reason, "E11") == 0 ||
			    strcmp(exit_reason, "E12") == 0)
				result.journey_over = true;
			else if (strcmp(*closure_reason, "RC8") != 0)
				result.depth = INVOLVED_PERMANENCE;
			if (strcmp(exit_reason, "E11") == 0 ||
			    strcmp(exit_reason, "E12") == 0)
				record_adoption(&c, day);
			break;
		}
		if (event == EVENT_MOVE) {
			move_placement(&c, day);
		} else if (event == EVENT_ADOPTIVE_PLACEMENT) {
			move_to_adopters(&c, day);
		} else {
			change_legal_status(&c, day, c.next_legal);
		}
	}
	append_period(journey, &c.period);
	add_la_reviews(&c, c.period.start, c.period.end);
	add_health(&c);
	if (c.period.care_leaver)
		add_care_leaver_years(&c);
	return result;
}
