/*
 * client/gen/gen_journey.c: the journey model. Given a child's first contact,
 * draws everything that follows: the front door's decision, Early Help, CIN
 * episodes (assessment, section 47, ICPC, CIN and CP plans, CP reviews and
 * visits) and periods of care (gen_care.c), then perhaps a return to the
 * front door months later, until the child turns 18 or the window ends.
 *
 * The rates and their sources are listed in the top comment of gen.c; the
 * constants below carry them. Items are built in local variables and
 * appended to the journey's lists when complete, so nothing points into a
 * list that may move when it grows.
 */
#include "gen_simulation.h"

/* ---- The rates (see gen.c for where they come from) ---- */

/* Front door. */
#define FIRST_CONTACT_REFERRAL 0.33      /* a child new to the front door */
#define RETURN_CONTACT_REFERRAL 0.62     /* a child referred before */
#define AFTER_PLAN_CONTACT_REFERRAL 0.72 /* a child who had a CP plan */
#define UNBORN_CONTACT_REFERRAL 0.80     /* pre-birth concerns, from midwives */
#define UNBORN_SHARE 0.03
#define UASC_SHARE_OF_OLDER 0.012        /* of first contacts aged 14 to 17 */

/* Early Help. */
#define EARLY_HELP_STEP_UP 0.08
#define EARLY_HELP_LATE_ALLOCATION 0.15

/* CIN episodes. */
#define REFERRAL_NFA 0.07
#define ASSESSMENT_ON_TIME 0.88          /* Walsall 90.2% within 45 wd */
#define S47_FIRST 0.33                   /* Walsall 1,880 s47s / 5,229 referrals */
#define S47_AFTER_PLAN 0.70
#define ICPC_FIRST 0.37                  /* Walsall 40%, Wolverhampton 33.1% */
#define ICPC_AFTER_PLAN 0.70
#define ICPC_ON_TIME 0.87                /* Walsall 88.0%, Cardiff 86.7% */
#define ICPC_PLAN 0.88                   /* ICPCs that make a plan */
#define DIRECT_CARE 0.03                 /* care straight from assessment */
#define INFANT_CARE_FACTOR 3.0           /* babies: E 20% of care starts */
#define CIN_PLAN_AFTER_ASSESSMENT 0.33
#define CIN_PLAN_AFTER_S47 0.50
#define STEP_DOWN_TO_EARLY_HELP 0.15

/* CP plans. */
#define CP_REVIEW_ON_TIME 0.96           /* Walsall 96.2%, Cardiff 90.4% */
#define CP_PLAN_TO_CARE 0.12
#define CP_STEP_DOWN_TO_CIN 0.55
#define CP_CATEGORY_CHANGE 0.08          /* at each review */

/* ---- Code tables ---- */

static const gen_weighted sex_codes[] = { { "M", 52 }, { "F", 48 } };

/* England, children in need, 2023 (rounded). */
static const gen_weighted ethnicity_codes[] = {
	{ "WBRI", 65 }, { "WIRI", 0.5 }, { "WOTH", 4 }, { "WIRT", 0.3 },
	{ "WROM", 0.7 }, { "MWBC", 3 }, { "MWBA", 1 }, { "MWAS", 1 },
	{ "MOTH", 2.5 }, { "AIND", 1.5 }, { "APKN", 3 }, { "ABAN", 1 },
	{ "AOTH", 1.5 }, { "BCRB", 1 }, { "BAFR", 4 }, { "BOTH", 1 },
	{ "CHNE", 0.2 }, { "OOTH", 3 }, { "REFU", 0.5 }, { "NOBT", 4 },
};

static const gen_weighted uasc_ethnicity_codes[] = {
	{ "AOTH", 35 }, { "BAFR", 30 }, { "OOTH", 20 }, { "BOTH", 10 },
	{ "MOTH", 5 },
};

static const gen_weighted disability_codes[] = {
	{ "AUT", 30 }, { "LD", 20 }, { "BEH", 15 }, { "COMM", 12 },
	{ "CON", 5 }, { "MOB", 5 }, { "HAND", 3 }, { "PC", 3 }, { "HEAR", 2 },
	{ "VIS", 2 }, { "INC", 1 }, { "DDA", 2 },
};

/* Walsall: police 28.5%, education 24.8%; the rest as England. */
static const gen_weighted referral_sources[] = {
	{ "6", 28.5 }, { "2A", 20 }, { "2B", 4.8 }, { "3A", 2 }, { "3B", 2 },
	{ "3C", 1 }, { "3D", 1 }, { "3E", 3 }, { "3F", 5 }, { "5A", 6 },
	{ "5B", 3 }, { "5C", 2 }, { "5D", 2 }, { "1A", 4 }, { "1B", 0.5 },
	{ "1C", 1.5 }, { "1D", 2 }, { "4", 2 }, { "7", 3 }, { "8", 4 },
	{ "9", 2 }, { "10", 1.5 },
};

static const gen_weighted unborn_sources[] = {
	{ "3F", 70 }, { "3B", 20 }, { "3A", 10 },
};

/* Wolverhampton: final RAG of MASH enquiries 17% red, 46% amber, 37% green. */
static const gen_weighted rag_referred[] = {
	{ "RED", 30 }, { "AMBER", 55 }, { "GREEN", 15 },
};
static const gen_weighted rag_not_referred[] = {
	{ "RED", 8 }, { "AMBER", 39 }, { "GREEN", 53 },
};

static const gen_weighted early_help_teams[] = {
	{ "Early Help North", 1 }, { "Early Help South", 1 },
	{ "Early Help East", 1 }, { "Early Help West", 1 },
};

/* England CIN 2023, primary need. */
static const gen_weighted primary_needs[] = {
	{ "N1", 57 }, { "N2", 10 }, { "N3", 3 }, { "N4", 8 }, { "N5", 14 },
	{ "N6", 2 }, { "N7", 0.3 }, { "N8", 4 }, { "N0", 1 },
};

/* Walsall: abuse or neglect 26.4%, domestic violence 18.8% of factors. */
static const gen_weighted assessment_factors[] = {
	{ "3A", 6 }, { "3B", 11 }, { "3C", 2 }, { "4A", 6 }, { "4B", 12 },
	{ "16A", 10 }, { "17A", 8 }, { "18B", 5 }, { "19B", 3 }, { "1A", 1 },
	{ "1B", 6 }, { "2A", 1 }, { "2B", 7 }, { "5A", 1 }, { "5B", 2 },
	{ "6A", 1 }, { "6B", 2 }, { "7A", 1 }, { "10A", 2 }, { "11A", 2 },
	{ "13A", 1 }, { "14A", 3 }, { "15A", 2 }, { "22A", 1 }, { "23A", 1 },
	{ "24A", 8 },
};

/* England 2023 plans by initial category; Walsall had neglect 60%. */
static const gen_weighted abuse_categories[] = {
	{ "NEG", 51 }, { "EMO", 36 }, { "PHY", 7 }, { "SAB", 4 }, { "MUL", 2 },
};

/* ---- Coming back ---- */

/* Chance of coming back to the front door after each, and the mean gap in
 * days (tuned so that about 20% of referrals are re-referrals within 12
 * months, and 15-25% of CP plans are second or later plans). */
static const double return_chance[INVOLVED_COUNT] = {
	0.35, 0.30, 0.55, 0.40, 0.60, 0.45, 0.05,
};
static const double return_gap_days[INVOLVED_COUNT] = {
	200, 250, 110, 200, 270, 200, 400,
};

/* ---- The child ---- */

static void draw_child(simulation *sim, size_t index, gen_day first_contact)
{
	gen_child *child = &sim->journey->child;
	static const double age_band_weights[] = { 9, 18, 25, 35, 10 };
	static const int age_band_low[] = { 0, 1, 5, 10, 16 };
	static const int age_band_high[] = { 0, 4, 9, 15, 17 };
	int age;

	memset(child, 0, sizeof(*child));
	child->index = index;
	snprintf(child->id, sizeof(child->id), "%s%07zu",
		sim->model->window->council, index + 1);
	child->sex = PICK(sim, sex_codes);
	child->ethnicity = PICK(sim, ethnicity_codes);
	child->expected_birth = GEN_NEVER;
	snprintf(child->disabilities, sizeof(child->disabilities), "NONE");

	if (chance(sim, UNBORN_SHARE)) {
		child->birth = first_contact + between(sim, 30, 150);
		child->expected_birth = child->birth + between(sim, -14, 14);
	} else {
		size_t band = gen_rng_pick_index(sim->rng, age_band_weights,
			COUNT_OF(age_band_weights));

		age = between(sim, age_band_low[band], age_band_high[band]);
		child->birth = gen_add_months(first_contact, -12 * age) -
			between(sim, 1, 364);
		if (age >= 14 && chance(sim, UASC_SHARE_OF_OLDER)) {
			child->uasc = true;
			child->sex = chance(sim, 0.9) ? "M" : "F";
			child->ethnicity = PICK(sim, uasc_ethnicity_codes);
		}
	}
	if (!child->uasc && chance(sim, 0.12)) {
		const char *first = PICK(sim, disability_codes);
		const char *second = PICK(sim, disability_codes);

		if (strcmp(first, second) != 0 && chance(sim, 0.4))
			snprintf(child->disabilities, sizeof(child->disabilities),
				"%s %s", first, second);
		else
			snprintf(child->disabilities, sizeof(child->disabilities),
				"%s", first);
	}
	make_postcode(sim, sim->model->window->postcode_area, child->home_postcode);
}

/* ---- Front door ---- */

/* Records a contact on `date` (or the day after the child's last one) and
 * returns the day of the front door's decision. */
static gen_day record_contact(simulation *sim, gen_day date, const char *source,
	gen_contact_outcome outcome)
{
	gen_journey *journey = sim->journey;
	gen_contact contact = { .source = source, .outcome = outcome };
	int delay_roll = between(sim, 1, 100);

	if (journey->contacts.count > 0 &&
	    date <= journey->contacts.items[journey->contacts.count - 1].date)
		date = journey->contacts.items[journey->contacts.count - 1].date + 1;
	contact.date = date;
	contact.decision = next_working_day(sim, date);
	if (delay_roll > 90)
		contact.decision = add_working_days(sim, contact.decision,
			between(sim, 2, 3));
	else if (delay_roll > 60)
		contact.decision = add_working_days(sim, contact.decision, 1);
	contact.rag = outcome == GEN_CONTACT_REFERRAL ?
		PICK(sim, rag_referred) : PICK(sim, rag_not_referred);
	append_contact(journey, &contact);
	return contact.decision;
}

static spell run_referral(simulation *sim, gen_day referral_date,
	const char *source);

/* An Early Help episode from `from`; `stepped_down` when social care
 * handed the family on. */
static spell run_early_help(simulation *sim, gen_day from, bool stepped_down)
{
	gen_early_help episode = { .step = NULL };
	spell result = { .until = from, .depth = INVOLVED_EARLY_HELP };
	int duration;

	episode.start = next_working_day(sim, from + between(sim, 0, 10));
	if (episode.start > sim->horizon)
		return result;
	episode.allocated = chance(sim, EARLY_HELP_LATE_ALLOCATION) ?
		episode.start + between(sim, 21, 120) :
		episode.start + between(sim, 0, 20);
	duration = 60 + (int)gen_rng_exponential(sim->rng, 100);
	if (duration > 720)
		duration = 720;
	episode.end = later(episode.start + duration, episode.allocated);
	episode.team = PICK(sim, early_help_teams);
	if (stepped_down)
		episode.step = "DOWN";
	else if (chance(sim, EARLY_HELP_STEP_UP))
		episode.step = "UP";
	append_early_help(sim->journey, &episode);

	result.until = episode.end;
	if (episode.step != NULL && strcmp(episode.step, "UP") == 0 &&
	    episode.end <= sim->horizon &&
	    age_on(sim, episode.end) < 18) {
		gen_day decision = record_contact(sim, episode.end, "5D",
			GEN_CONTACT_REFERRAL);

		return run_referral(sim, decision, "5D");
	}
	return result;
}

/* One spell: a contact and whatever follows from it. */
static spell run_contact(simulation *sim, gen_day date, bool referred_before)
{
	gen_child *child = &sim->journey->child;
	bool first = sim->journey->contacts.count == 0;
	bool unborn = date < child->birth;
	double referral_chance = sim->journey->cp_plans.count > 0 ?
		AFTER_PLAN_CONTACT_REFERRAL : referred_before ?
		RETURN_CONTACT_REFERRAL : FIRST_CONTACT_REFERRAL;
	const char *source = PICK(sim, referral_sources);
	gen_contact_outcome outcome;
	gen_day decision;

	if (first && child->uasc) {
		referral_chance = 1.0;
		source = "8";
	} else if (unborn) {
		referral_chance = UNBORN_CONTACT_REFERRAL;
		source = PICK(sim, unborn_sources);
	}
	if (chance(sim, referral_chance)) {
		outcome = GEN_CONTACT_REFERRAL;
	} else {
		int roll = between(sim, 1, 100);

		outcome = roll <= 45 ? GEN_CONTACT_EARLY_HELP :
			roll <= 90 ? GEN_CONTACT_NO_FURTHER_ACTION :
			GEN_CONTACT_ADVICE;
	}
	decision = record_contact(sim, date, source, outcome);
	switch (outcome) {
	case GEN_CONTACT_REFERRAL:
		return run_referral(sim, decision, source);
	case GEN_CONTACT_EARLY_HELP:
		return run_early_help(sim, decision, false);
	case GEN_CONTACT_NO_FURTHER_ACTION:
	case GEN_CONTACT_ADVICE:
		break;
	}
	return (spell){ .until = decision, .depth = INVOLVED_CONTACT };
}

/* ---- CIN episodes ---- */

static void draw_factors(simulation *sim, char out[GEN_FACTORS_SIZE])
{
	int wanted = between(sim, 1, 3);
	size_t used = 0;

	out[0] = '\0';
	if (sim->journey->child.uasc) {
		snprintf(out, GEN_FACTORS_SIZE, "9A");
		return;
	}
	for (int i = 0; i < wanted; i++) {
		const char *code = PICK(sim, assessment_factors);
		char padded[8];

		snprintf(padded, sizeof(padded), " %s ", code);
		if (used > 0) {
			char haystack[GEN_FACTORS_SIZE + 2];

			snprintf(haystack, sizeof(haystack), " %s ", out);
			if (strstr(haystack, padded) != NULL)
				continue;
		}
		used += (size_t)snprintf(out + used, GEN_FACTORS_SIZE - used, "%s%s",
			used > 0 ? " " : "", code);
	}
}

/* A CIN plan from `start`; returns the day the episode then closes. */
static gen_day run_cin_plan(simulation *sim, size_t referral, gen_day start)
{
	gen_cin_plan plan = { .referral = referral, .start = start };
	int duration = 60 + (int)gen_rng_exponential(sim->rng, 200);

	plan.end = start + (duration > 900 ? 900 : duration);
	append_cin_plan(sim->journey, &plan);
	return plan.end + between(sim, 0, 14);
}

/* How long a CP plan lasts, in days: England's plans ending in a year,
 * 2.5% of them after 2 years or more (Walsall 2.2%); Cardiff's average 233
 * days. */
static int cp_plan_days(simulation *sim)
{
	static const double weights[] = { 14, 27, 37, 19.5, 2.5 };
	static const int low_days[] = { 45, 91, 183, 365, 731 };
	static const int high_days[] = { 90, 182, 364, 700, 1100 };
	size_t band = gen_rng_pick_index(sim->rng, weights, COUNT_OF(weights));

	return between(sim, low_days[band], high_days[band]);
}

/* A CP plan from the ICPC on `start`, with its reviews and visits, and what
 * follows it; the spell ends when the CIN episode closes, *reason says
 * why. */
static spell run_cp_plan(simulation *sim, size_t referral, gen_day start,
	const char **reason)
{
	gen_journey *journey = sim->journey;
	size_t plan_index = journey->cp_plans.count;
	gen_cp_plan plan = { .referral = referral, .start = start };
	int duration = cp_plan_days(sim);
	gen_day target_end = start + duration;
	gen_day care_start = GEN_NEVER;
	gen_day review, visit;
	spell result = { .until = GEN_NEVER, .depth = INVOLVED_CP_PLAN };

	plan.previous_plans = (int)journey->cp_plans.count;
	plan.initial_category = PICK(sim, abuse_categories);
	plan.latest_category = plan.initial_category;
	plan.category_changed = GEN_NEVER;
	if (chance(sim, CP_PLAN_TO_CARE *
		    (age_on(sim, start) < 1 ? INFANT_CARE_FACTOR : 1.0)))
		care_start = start + between(sim, 14, duration < 400 ? duration : 400);

	review = start + (chance(sim, CP_REVIEW_ON_TIME) ? between(sim, 40, 90) :
		between(sim, 92, 125));
	for (;;) {
		gen_cp_review record = { .plan = plan_index, .date = review };

		if (review >= care_start) {
			plan.end = care_start;
			break;
		}
		/* The conference that ends the plan is held when the plan is
		 * to end, not at the next six-monthly review. */
		if (review > target_end) {
			record.date = target_end;
			review = target_end;
		}
		if (review <= sim->horizon)
			append_cp_review(journey, &record);
		if (plan.category_changed == GEN_NEVER &&
		    chance(sim, CP_CATEGORY_CHANGE)) {
			const char *latest = PICK(sim, abuse_categories);

			if (strcmp(latest, plan.initial_category) != 0) {
				plan.latest_category = latest;
				plan.category_changed = review;
			}
		}
		if (review >= target_end) {
			plan.end = review;
			break;
		}
		review += chance(sim, CP_REVIEW_ON_TIME) ? between(sim, 150, 182) :
			between(sim, 185, 215);
	}

	/* Visits every 10 working days or so (Norfolk: within 20, stretch 10). */
	visit = add_working_days(sim, start, between(sim, 1, 10));
	while (visit < plan.end && visit <= sim->horizon) {
		gen_visit record = { .date = visit };
		int roll = between(sim, 1, 100);

		append_cp_visit(journey, &record);
		visit = add_working_days(sim, visit, roll <= 65 ?
			between(sim, 5, 10) : roll <= 93 ? between(sim, 11, 20) :
			between(sim, 21, 30));
	}
	append_cp_plan(journey, &plan);

	if (plan.end == care_start)
		return gen_care_run(sim, care_start, ROUTE_FROM_PLAN, reason);
	*reason = "RC8";
	if (plan.end > sim->horizon)
		return result;
	if (chance(sim, CP_STEP_DOWN_TO_CIN)) {
		gen_day cin_start = plan.end + 1 + between(sim, 0, 5);

		if (cin_start > sim->horizon)
			return result;
		result.until = run_cin_plan(sim, referral, cin_start);
		return result;
	}
	result.until = plan.end + between(sim, 0, 10);
	return result;
}

/* A CIN episode from the referral on `referral_date`, to its closure. */
static spell run_referral(simulation *sim, gen_day referral_date,
	const char *source)
{
	gen_journey *journey = sim->journey;
	gen_child *child = &journey->child;
	size_t referral_index = journey->referrals.count;
	gen_referral referral = { .date = referral_date, .source = source };
	gen_assessment assessment = { .referral = referral_index };
	bool had_plan = journey->cp_plans.count > 0;
	bool uasc_arrival = child->uasc && referral_index == 0;
	bool s47_held = false, plan_made = false;
	gen_day decided, closure = GEN_NEVER;
	int assessment_days;
	spell result = { .until = GEN_NEVER, .depth = INVOLVED_ASSESSMENT };

	referral.closure = GEN_NEVER;
	referral.first_icpc = GEN_NEVER;
	referral.primary_need = PICK(sim, primary_needs);
	if (!uasc_arrival && chance(sim, REFERRAL_NFA)) {
		referral.nfa = true;
		referral.closure = referral_date;
		referral.closure_reason = "RC8";
		referral.primary_need = "N9";
		append_referral(journey, &referral);
		result.until = referral_date;
		return result;
	}

	assessment.start = add_working_days(sim, referral_date,
		chance(sim, 0.6) ? 0 : between(sim, 1, 3));
	assessment_days = chance(sim, ASSESSMENT_ON_TIME) ?
		5 + (between(sim, 0, 40) + between(sim, 0, 40)) / 2 :
		between(sim, 46, 80);
	assessment.authorised = add_working_days(sim, assessment.start,
		assessment_days);
	draw_factors(sim, assessment.factors);
	append_assessment(journey, &assessment);
	decided = assessment.authorised;

	if (uasc_arrival) {
		referral.primary_need = "N8";
		result = gen_care_run(sim, referral_date, ROUTE_UASC,
			&referral.closure_reason);
		referral.closure = result.until;
		if (referral.closure == GEN_NEVER)
			referral.closure_reason = NULL;
		append_referral(journey, &referral);
		return result;
	}

	if (chance(sim, had_plan ? S47_AFTER_PLAN : S47_FIRST)) {
		gen_s47 enquiry = { .referral = referral_index };

		s47_held = true;
		enquiry.start = add_working_days(sim, referral_date, between(sim, 0, 3));
		enquiry.icpc_target = GEN_NEVER;
		enquiry.icpc = GEN_NEVER;
		enquiry.conference = chance(sim, had_plan ? ICPC_AFTER_PLAN : ICPC_FIRST);
		if (enquiry.conference) {
			enquiry.icpc_target = add_working_days(sim, enquiry.start, 15);
			enquiry.icpc = add_working_days(sim, enquiry.start,
				chance(sim, ICPC_ON_TIME) ? between(sim, 8, 15) :
				between(sim, 16, 28));
			enquiry.concluded = enquiry.icpc;
			referral.first_icpc = enquiry.icpc;
			plan_made = chance(sim, ICPC_PLAN) && enquiry.icpc <= sim->horizon;
		} else {
			enquiry.concluded = add_working_days(sim, enquiry.start,
				between(sim, 5, 15));
		}
		append_s47(journey, &enquiry);
		decided = later(decided, enquiry.concluded);
		if (plan_made) {
			referral.primary_need = chance(sim, 0.9) ? "N1" : "N5";
			result = run_cp_plan(sim, referral_index, enquiry.icpc,
				&referral.closure_reason);
			closure = result.until;
		}
	}

	if (!plan_made) {
		int roll = between(sim, 1, 1000);
		double cin_plan = s47_held ? CIN_PLAN_AFTER_S47 :
			CIN_PLAN_AFTER_ASSESSMENT;
		double direct_care = DIRECT_CARE;

		if (age_on(sim, referral_date) < 1)
			direct_care *= INFANT_CARE_FACTOR;
		if (roll <= (int)(direct_care * 1000)) {
			gen_day care_start = referral_date +
				between(sim, 0, decided - referral_date);

			result = gen_care_run(sim, care_start, ROUTE_EMERGENCY,
				&referral.closure_reason);
			closure = result.until;
		} else if (chance(sim, cin_plan)) {
			gen_day plan_start = add_working_days(sim, decided,
				between(sim, 0, 10));

			result.depth = INVOLVED_CIN_PLAN;
			referral.closure_reason = "RC8";
			if (plan_start <= sim->horizon)
				result.until = run_cin_plan(sim, referral_index,
					plan_start);
			closure = result.until;
		} else if (chance(sim, STEP_DOWN_TO_EARLY_HELP)) {
			closure = decided;
			referral.closure_reason = "RC9";
			if (chance(sim, 0.5))
				referral.primary_need = "N9";
			result = run_early_help(sim, decided + 1, true);
			result.until = later(result.until, closure);
		} else {
			closure = decided + between(sim, 0, 10);
			result.until = closure;
			referral.closure_reason = "RC8";
			if (chance(sim, 0.5))
				referral.primary_need = "N9";
		}
	}
	referral.closure = closure;
	if (referral.closure == GEN_NEVER)
		referral.closure_reason = NULL;
	append_referral(journey, &referral);
	return result;
}

/* ---- The journey ---- */

gen_journey *gen_journey_new(void)
{
	return calloc(1, sizeof(gen_journey));
}

void gen_journey_free(gen_journey *journey)
{
	if (journey == NULL)
		return;
	free(journey->contacts.items);
	free(journey->early_help.items);
	free(journey->referrals.items);
	free(journey->assessments.items);
	free(journey->cin_plans.items);
	free(journey->s47s.items);
	free(journey->cp_plans.items);
	free(journey->cp_reviews.items);
	free(journey->cp_visits.items);
	free(journey->periods.items);
	free(journey->la_episodes.items);
	free(journey->la_reviews.items);
	free(journey->la_visits.items);
	free(journey->missing.items);
	free(journey->health.items);
	free(journey->care_leavers.items);
	free(journey->placed_for_adoption.items);
	free(journey->placement_costs.items);
	free(journey);
}

static void clear_journey(gen_journey *journey)
{
	journey->contacts.count = 0;
	journey->early_help.count = 0;
	journey->referrals.count = 0;
	journey->assessments.count = 0;
	journey->cin_plans.count = 0;
	journey->s47s.count = 0;
	journey->cp_plans.count = 0;
	journey->cp_reviews.count = 0;
	journey->cp_visits.count = 0;
	journey->periods.count = 0;
	journey->la_episodes.count = 0;
	journey->la_reviews.count = 0;
	journey->la_visits.count = 0;
	journey->missing.count = 0;
	journey->health.count = 0;
	journey->care_leavers.count = 0;
	journey->placed_for_adoption.count = 0;
	journey->placement_costs.count = 0;
	journey->adopted = false;
	memset(&journey->adoption, 0, sizeof(journey->adoption));
	journey->out_of_memory = false;
}

/* The last day anything of the journey is dated. */
static gen_day last_activity(const gen_journey *journey)
{
	gen_day last = INT32_MIN;

	for (size_t i = 0; i < journey->contacts.count; i++)
		last = later(last, journey->contacts.items[i].decision);
	for (size_t i = 0; i < journey->early_help.count; i++)
		last = later(last, journey->early_help.items[i].end);
	for (size_t i = 0; i < journey->referrals.count; i++)
		last = later(last, journey->referrals.items[i].closure);
	for (size_t i = 0; i < journey->periods.count; i++)
		last = later(last, journey->periods.items[i].end);
	for (size_t i = 0; i < journey->care_leavers.count; i++)
		last = later(last, gen_year_end(journey->care_leavers.items[i].year));
	return last;
}

void gen_journey_simulate(gen_journey *journey, const gen_model *model,
	size_t index, gen_day first_contact, gen_rng *rng)
{
	simulation sim = {
		.model = model,
		.calendar = model->calendar,
		.journey = journey,
		.rng = rng,
		.horizon = model->window->end,
	};
	gen_day when = first_contact;
	bool referred_before = false;

	clear_journey(journey);
	draw_child(&sim, index, first_contact);
	while (when <= sim.horizon &&
	       (when < journey->child.birth || age_on(&sim, when) < 18)) {
		spell result = run_contact(&sim, when, referred_before);

		if (result.journey_over || result.until == GEN_NEVER ||
		    result.until > sim.horizon)
			break;
		if (result.depth >= INVOLVED_ASSESSMENT ||
		    journey->referrals.count > 0)
			referred_before = true;
		if (!chance(&sim, return_chance[result.depth]))
			break;
		when = result.until + 14 +
			(gen_day)gen_rng_exponential(rng, return_gap_days[result.depth]);
	}
	journey->last_activity = last_activity(journey);
}
