/*
 * client/gen/gen.c: csperf-gen, the synthetic council generator.
 *
 *   csperf-gen --council CODE --children N --years Y --seed S --out DIR
 *              [--end-year YYYY]
 *
 * writes the statutory returns (SSDA903, CIN census) and csperf CSV files of
 * a made-up council whose N children go through children's services over the
 * Y financial years ending 31 March YYYY (see usage() for the layout). The
 * same arguments give byte-identical files: every child's journey is drawn
 * from its own xoshiro256** stream, seeded from (S, child index), written,
 * and forgotten, so memory stays flat from 100 to 1,000,000 children.
 *
 * Who the N children are. Some were already known when the window opened
 * (in care, on a plan, care leavers turning 19 to 21): their first contact
 * is drawn up to HISTORY_YEARS before the window, and redrawn until their
 * journey reaches into it. The others come to the front door for the first
 * time during the window, on a uniformly drawn day. The share already known
 * is what a council in a steady state has: a pilot of journeys measures how
 * likely a journey started before the window is to reach into it.
 *
 * The model and its rates (W Walsall 2017-18, N Norfolk 2018-19, Wv
 * Wolverhampton Q1 2017-18, C Cardiff 2018-19: the reports in
 * shared/seeds; E England's published statistics for 2022-23). The constants
 * live in gen_journey.c and gen_care.c; in brackets, what 40,000 children
 * over 5 years come to (seed 1), against the councils' figures.
 *   front door   a new child's contact leads to a referral 33% of the time,
 *                a child referred before 62%, after a CP plan 72%, an unborn
 *                child's 80% [42% of contacts; W 42%]; otherwise Early Help
 *                45%, no further action 45%, advice 10% (Wv: 36% of MASH
 *                enquiries went to Early Help). Sources: police 28.5%,
 *                education 24.8% (W), the rest as E. RAG red/amber/green
 *                30/55/15 for referrals, 8/39/53 for the others (Wv 17/46/37
 *                overall). Decisions the same working day 60%, the next 30%.
 *   Early Help   2 to 24 months, 5 on average; 15% wait more than 20 days for
 *                a worker (N: 139 families waiting); 8% step up to social
 *                care; 15% of assessments closed without a plan step down.
 *   referral     7% no further action (E); assessment authorised within 45
 *                working days of its start 88% [88%; W 90.2%]; s47 for 33% of
 *                referrals, 70% after an earlier plan [33%; W 36%]; ICPC for
 *                37% of s47s, 70% after an earlier plan [41%; W 40%, Wv
 *                33.1%], within 15 working days of the s47's start 87% [86%;
 *                W 88.0%, C 86.7%]; 88% of ICPCs make a plan (E); CIN plan
 *                after 33% of other assessments, 50% after an s47; care
 *                straight from an assessment 3%, three times that for babies
 *                (E: a fifth of care starts are under 1).
 *   CP plan      initial category neglect 51%, emotional 36% (E; W 60/27),
 *                8% change at a review; lengths 14% under 3 months, 27% 3-6,
 *                37% 6-12, 19.5% 12-24, 2.5% 2 years or more [2% of ended
 *                plans; W 2.2%], 255 days on average [C 233]; reviews at 3
 *                months then every 6, 96% on time (W 96.2%), the last the day
 *                the plan ends; visits every 5-10 working days 65%, 11-20
 *                28% (N: within 20, stretch 10); 12% end with the child
 *                coming into care, 55% step down to a CIN plan. [44 per
 *                10,000 on a plan; E 45.3, N 39. Second or later plans 20%;
 *                W 24.5%, N 22.4%.]
 *   return       after a spell closes, a child comes back to the front door
 *                with a chance of 30-60% by how far it went (5% after an SGO)
 *                after 2 weeks and an exponential gap of 110-400 days [19% of
 *                referrals within 12 months of the last; E 21.5%].
 *   care         legal status at entry from a plan: interim care order 55%,
 *                s20 35%, EPO 5%, police protection 5%; s20 ends at home 45%
 *                (about 3 months), in care proceedings 45%; proceedings take
 *                26-54 weeks and end in a full care order 65%, an SGO 16%,
 *                home 12%, a CAO 7%, or for half the children under 5 a
 *                placement order and adoption [at 31 March: C2 63%, C1 15%,
 *                V2 19%, E1 3%; W 71.2/15.1/-/7.1]. Placements by age and
 *                kind [fostered 60%, family and friends 18%, with parents 7%;
 *                W 58.2/19.2/9.1]; moves at 0.25, 1.4 or 4 a year for
 *                66/21/13% of children [9% with 3 or more placements in the
 *                year; E 10%]; placed inside the council's area 10-90% by
 *                kind (C 56.6%). Reviews within 20 working days, at 3 months,
 *                then every 6, 86% on time (Wv 81%); visits within a week of
 *                each move, then every 6 weeks (3 months after a year), 90%
 *                on time (Wv 90%); participation: all share views, half
 *                attend (W 100%, 49.8%). Missing: teenagers, four times as
 *                often from children's homes and semi-independent living
 *                [11% of those looked after; E 11%]. OC2: health check 89%
 *                (Wv 89%), immunisations 86%. UASC: 1.2% of children first
 *                seen at 14-17. [70 per 10,000 looked after; E 71, N 70.6.]
 *   adoption     decision 60% into the proceedings, 10% reversed; match
 *                60-600 days after the placement order (Wv A2 199 days); 12%
 *                adopted by their foster carer (A10); adoption order 6 to 11
 *                months after moving in [3.5% of looked-after children a
 *                year].
 *   leaving care at 18: supported accommodation 40%, staying put 25%, and
 *                so on; OC3 at 19, 20 and 21: in touch 91%, in education,
 *                employment or training 58% of those in touch [56% of all;
 *                W 61.3%, N 50.5%], in suitable accommodation 92% of them
 *                [85% of all; W 92.6%].
 *   finance      weekly costs: in-house fostering 400-500, family and friends
 *                250-350, agency fostering 800-1,000, residential 4,000-6,000,
 *                secure 6,500-9,000, semi-independent 1,000-2,000 pounds;
 *                half of placements take a 2-5% uplift each 1 April, 5% are
 *                renegotiated (-10% to +15%); health and education pay towards
 *                some residential ones. Each cost line names its placement
 *                category (in_house_foster, agency_foster, residential,
 *                secure, semi_independent; family and friends care is other)
 *                and the child's locality (North, South, East, West, by the
 *                child's number); budget lines are the same six categories,
 *                12% under to 12% over what the costs add up to (C: finance
 *                linked to placements).
 *   population   the under-18 estimate is set so that referrals come to 544
 *                per 10,000 a year (E), growing 0.4% a year: about 2 to 3
 *                times --children over 3 to 5 years (the children in the data
 *                are those known to children's services, a fraction of all).
 *   workforce    agency 12-20%, vacancies 14-24%, turnover 13-18%, absence
 *                2.5-6%, caseload 15-21 (Wv, C), then a random walk quarter
 *                by quarter; first-time entrants 0.05% of under-18s a quarter
 *                (Wv 126 a year), YJ education 50-65% (Wv 57%); org_unit is
 *                the LA code.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen_calendar.h"
#include "gen_council.h"
#include "gen_journey.h"
#include "gen_output.h"
#include "gen_random.h"

/* The longest a child can have been known before the window and still be
 * in it: from before birth to the OC3 at 21. */
#define HISTORY_YEARS 22

/* Journeys drawn to measure how many children are already known. */
#define PILOT_JOURNEYS 20000
#define PILOT_STREAM UINT64_C(0x70110770110770)

/* Draws of a known child's first contact before giving up on it (about 1
 * in 30 reaches into the window). */
#define MAX_HISTORY_DRAWS 5000

#define MAX_CHILDREN 9999999UL   /* seven digits of the child id */
#define MAX_YEARS 20
#define DEFAULT_END_YEAR 2024

typedef struct options {
	const char *council;
	unsigned long children;
	int years;
	uint64_t seed;
	const char *out;
	int end_year;
	const char *nation;   /* "england" or "wales" */
} options;

static void usage(FILE *stream)
{
	fprintf(stream,
"Usage: csperf-gen --council CODE --children N --years Y --seed S --out DIR\n"
"                  [--end-year YYYY] [--nation england|wales]\n"
"\n"
"Writes a synthetic council: N children going through children's services\n"
"over the Y financial years ending 31 March YYYY (default %d), as the\n"
"council's statutory returns and csperf CSV files. The same arguments give\n"
"byte-identical files.\n"
"\n"
"  --council CODE   the council's LA code, 1 to 3 letters or digits (201);\n"
"                   child ids are CODE followed by 7 digits\n"
"  --children N     children in the data, 1 to %lu\n"
"  --years Y        financial years, 1 to %d\n"
"  --seed S         any whole number from 0 to 9223372036854775807\n"
"  --out DIR        the directory to write to (created if need be)\n"
"  --end-year YYYY  the year of the 31 March the last year ends on\n"
"  --nation N       england (default) or wales: a Welsh council also reports\n"
"                   the Welsh measures its records cannot give (PM25, PM29a\n"
"                   to PM32, PM34a, PM34b, PM35) as reported figures; load\n"
"                   it with csperf load --nation wales (manifest.json says)\n"
"\n"
"Layout of DIR:\n"
"  ssda903/YYYY/    one SSDA903 return per collection year (1 April to\n"
"                   31 March YYYY): header.csv, episodes.csv, reviews.csv,\n"
"                   oc2.csv, oc3.csv, ad1.csv, placed_for_adoption.csv,\n"
"                   missing.csv, previous_permanence.csv, uasc.csv. Each holds\n"
"                   what the council would have returned for that year: an\n"
"                   episode open on 31 March appears again the next year,\n"
"                   with its end once it has ended.\n"
"  cin/YYYY.xml     one CIN census per collection year: the CIN episodes\n"
"                   open in the year, with their assessments, CIN plans,\n"
"                   s47 enquiries, CP plans and reviews.\n"
"  csv/TYPE.csv     csperf CSV for what no return carries: contact,\n"
"                   early_help, cp_visit, la_visit, placement_cost, budget,\n"
"                   population, reported_figure, and child (children known\n"
"                   only from contacts or Early Help), as known on the last\n"
"                   day.\n"
"  manifest.json    the arguments; per file, the records of each type; per\n"
"                   type, the records written and the distinct ones (the same\n"
"                   record in several returns counts once).\n",
		DEFAULT_END_YEAR, MAX_CHILDREN, MAX_YEARS);
}

static int argument_error(const char *format, ...)
	__attribute__((format(printf, 1, 2)));

static int argument_error(const char *format, ...)
{
	va_list args;

	fputs("csperf-gen: ", stderr);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
	return -1;
}

/* A whole number from 0 to `max`, digits only. */
static bool parse_number(const char *text, uint64_t max, uint64_t *out)
{
	uint64_t value = 0;

	if (*text == '\0')
		return false;
	for (const char *cursor = text; *cursor != '\0'; cursor++) {
		if (*cursor < '0' || *cursor > '9')
			return false;
		if (value > (max - (uint64_t)(*cursor - '0')) / 10)
			return false;
		value = value * 10 + (uint64_t)(*cursor - '0');
	}
	*out = value;
	return true;
}

static bool is_council_code(const char *text)
{
	size_t length = strlen(text);

	if (length < 1 || length > 3)
		return false;
	for (size_t i = 0; i < length; i++) {
		char c = text[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z')))
			return false;
	}
	return true;
}

/* Returns 0 to go on, 1 when --help was asked for, -1 after saying what is
 * wrong. */
static int parse_options(int argc, char **argv, options *opts)
{
	static const struct option long_options[] = {
		{ "council", required_argument, NULL, 'c' },
		{ "children", required_argument, NULL, 'n' },
		{ "years", required_argument, NULL, 'y' },
		{ "seed", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "end-year", required_argument, NULL, 'e' },
		{ "nation", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *children = NULL, *years = NULL, *seed = NULL;
	const char *end_year = NULL;
	uint64_t number;
	struct stat status;
	int option;

	opterr = 0;
	while ((option = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (option) {
		case 'c': opts->council = optarg; break;
		case 'n': children = optarg; break;
		case 'y': years = optarg; break;
		case 's': seed = optarg; break;
		case 'o': opts->out = optarg; break;
		case 'e': end_year = optarg; break;
		case 'w': opts->nation = optarg; break;
		case 'h': return 1;
		case ':':
			return argument_error("%s needs a value; see csperf-gen --help.",
				argv[optind - 1]);
		default:
			return argument_error("%s is not an option of csperf-gen; see csperf-gen --help.",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return argument_error("unexpected argument \"%s\"; see csperf-gen --help.",
			argv[optind]);
	if (opts->council == NULL || children == NULL || years == NULL ||
	    seed == NULL || opts->out == NULL)
		return argument_error("%s is required; see csperf-gen --help.",
			opts->council == NULL ? "--council CODE" :
			children == NULL ? "--children N" :
			years == NULL ? "--years Y" :
			seed == NULL ? "--seed S" : "--out DIR");
	if (strcmp(opts->nation, "england") != 0 && strcmp(opts->nation, "wales") != 0)
		return argument_error("--nation must be england or wales, not \"%s\".",
			opts->nation);
	if (!is_council_code(opts->council))
		return argument_error("--council must be an LA code of 1 to 3 letters or digits (e.g. 201), not \"%s\".",
			opts->council);
	if (!parse_number(children, MAX_CHILDREN, &number) || number < 1)
		return argument_error("--children must be a whole number from 1 to %lu, not \"%s\".",
			MAX_CHILDREN, children);
	opts->children = (unsigned long)number;
	if (!parse_number(years, MAX_YEARS, &number) || number < 1)
		return argument_error("--years must be a whole number from 1 to %d, not \"%s\".",
			MAX_YEARS, years);
	opts->years = (int)number;
	if (!parse_number(seed, INT64_MAX, &number))
		return argument_error("--seed must be a whole number from 0 to %" PRId64 ", not \"%s\".",
			INT64_MAX, seed);
	opts->seed = number;
	opts->end_year = DEFAULT_END_YEAR;
	if (end_year != NULL) {
		if (!parse_number(end_year, 2100, &number) || number < 2001)
			return argument_error("--end-year must be a year from 2001 to 2100, not \"%s\".",
				end_year);
		opts->end_year = (int)number;
	}
	if (opts->end_year - opts->years < 2000)
		return argument_error("the window must start in 2000 or later: --end-year %d less --years %d is %d.",
			opts->end_year, opts->years, opts->end_year - opts->years);
	if (opts->out[0] == '\0')
		return argument_error("--out must name a directory.");
	if (stat(opts->out, &status) == 0 && !S_ISDIR(status.st_mode))
		return argument_error("--out %s is a file, not a directory.", opts->out);
	return 0;
}

/* A postcode area for the council, from its code: only so that home and
 * placement postcodes look like one place. */
static const char *postcode_area(const char *council)
{
	static const char *const areas[] = {
		"B", "BD", "BL", "BS", "CF", "CV", "DY", "HU", "L", "LE", "LS", "M",
		"NE", "NG", "NR", "OL", "PO", "S", "SA", "SO", "ST", "SR", "WS", "WV",
	};
	uint64_t hash = 1469598103934665603ULL;

	for (const char *c = council; *c != '\0'; c++)
		hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
	return areas[hash % (sizeof(areas) / sizeof(areas[0]))];
}

/* A first contact before the window, of a child perhaps still known in it. */
static gen_day history_first_contact(const gen_window *window, gen_rng *rng)
{
	int history_days = (int)(HISTORY_YEARS * 365.25);

	return window->start - gen_rng_between(rng, 1, history_days);
}

static gen_day window_first_contact(const gen_window *window, gen_rng *rng)
{
	return window->start + gen_rng_between(rng, 0, window->end - window->start);
}

/* The share of the children who were known before the window: of the
 * journeys starting in the HISTORY_YEARS before it, those still reaching
 * into it, against those starting in its Y years. */
static double share_known_before(const gen_model *model, gen_journey *journey,
	uint64_t seed, int years)
{
	gen_rng rng;
	int reaching = 0;
	double per_year;

	gen_rng_seed(&rng, seed, PILOT_STREAM);
	for (int i = 0; i < PILOT_JOURNEYS; i++) {
		gen_journey_simulate(journey, model, (size_t)i,
			history_first_contact(model->window, &rng), &rng);
		if (gen_output_journey_in_window(model->window, journey))
			reaching++;
	}
	per_year = (double)reaching / PILOT_JOURNEYS * HISTORY_YEARS;
	return per_year / (per_year + years);
}

/* Child `index`'s journey: known before the window, or new in it. */
static void draw_journey(gen_journey *journey, const gen_model *model,
	size_t index, bool known_before, uint64_t seed)
{
	gen_rng rng;

	gen_rng_seed(&rng, seed, (uint64_t)index);
	if (known_before) {
		for (int attempt = 0; attempt < MAX_HISTORY_DRAWS; attempt++) {
			gen_journey_simulate(journey, model, index,
				history_first_contact(model->window, &rng), &rng);
			if (journey->out_of_memory ||
			    gen_output_journey_in_window(model->window, journey))
				return;
		}
	}
	gen_journey_simulate(journey, model, index,
		window_first_contact(model->window, &rng), &rng);
}

static int generate(const options *opts)
{
	gen_window window = { .council = opts->council, .nation = opts->nation };
	gen_arguments arguments = {
		.council = opts->council,
		.children = opts->children,
		.years = opts->years,
		.seed = opts->seed,
		.end_year = opts->end_year,
		.nation = opts->nation,
	};
	gen_calendar *calendar = NULL;
	gen_journey *journey = NULL;
	gen_output *out = NULL;
	gen_model model;
	char error[600];
	double known_share;
	uint64_t known = 0;
	int status = -1;

	window.first_year = opts->end_year - opts->years + 1;
	window.last_year = opts->end_year;
	window.start = gen_year_start(window.first_year);
	window.end = gen_year_end(window.last_year);
	window.postcode_area = postcode_area(opts->council);
	/* From the births of the oldest children known before the window to
	 * the last dates planned after it. */
	calendar = gen_calendar_new(window.first_year - HISTORY_YEARS - 20,
		window.last_year + 10);
	journey = gen_journey_new();
	if (calendar == NULL || journey == NULL) {
		fprintf(stderr, "csperf-gen: out of memory.\n");
		goto cleanup;
	}
	model.calendar = calendar;
	model.window = &window;

	if (gen_output_open(&out, opts->out, &window, &arguments, error,
		    sizeof(error)) != 0) {
		fprintf(stderr, "csperf-gen: %s\n", error);
		goto cleanup;
	}
	known_share = share_known_before(&model, journey, opts->seed, opts->years);
	for (size_t i = 0; i < opts->children; i++) {
		/* Known children spread evenly through the indexes, so that the
		 * first N children of a bigger council are this council. */
		bool known_before = (uint64_t)((double)(i + 1) * known_share) > known;

		if (known_before)
			known++;
		draw_journey(journey, &model, i, known_before, opts->seed);
		if (journey->out_of_memory) {
			fprintf(stderr, "csperf-gen: out of memory.\n");
			goto cleanup;
		}
		if (gen_output_write_journey(out, journey) != 0) {
			fprintf(stderr, "csperf-gen: %s\n", gen_output_error(out));
			goto cleanup;
		}
	}
	if (gen_council_write(out, &window, opts->seed) != 0 ||
	    gen_output_finish(out) != 0) {
		fprintf(stderr, "csperf-gen: %s\n", gen_output_error(out));
		goto cleanup;
	}
	status = 0;

cleanup:
	gen_output_free(out);
	gen_journey_free(journey);
	gen_calendar_free(calendar);
	return status;
}

int main(int argc, char **argv)
{
	options opts = { .council = NULL, .nation = "england" };
	int parsed = parse_options(argc, argv, &opts);

	if (parsed == 1) {
		usage(stdout);
		return 0;
	}
	if (parsed != 0)
		return 1;
	return generate(&opts) == 0 ? 0 : 1;
}
