/*
 * client/gen/gen_council.c: population, budget and reported figures.
 *
 * The population is set so that the referrals written come to England's
 * rate, 544 per 10,000 children under 18 (2022-23), growing 0.4% a year; the
 * budget lines are the placement spend written, each set 12% under to 12%
 * over it; the workforce and youth justice figures wander quarter by quarter
 * around Wolverhampton's and Cardiff's.
 */
#include "gen_council.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gen_random.h"
#include "schema.h"

/* The council-wide draws have a stream of their own, apart from every
 * child's (whose streams are their indexes). */
#define COUNCIL_STREAM UINT64_C(0xc0c0c11c0c0c11)
#define WELSH_STREAM UINT64_C(0xc7a2d1ff0c0c11)

#define REFERRALS_PER_10000 544.0
#define POPULATION_GROWTH 0.004

#define MAX_FIELDS 8

typedef struct council_record {
	const csperf_record_schema *schema;
	const char *values[MAX_FIELDS];
	char text[MAX_FIELDS][112];
} council_record;

static void record_start(council_record *record, csperf_record_type type)
{
	memset(record, 0, sizeof(*record));
	record->schema = csperf_schema_by_type(type);
}

static void record_set(council_record *record, const char *field,
	const char *format, ...) __attribute__((format(printf, 3, 4)));

static void record_set(council_record *record, const char *field,
	const char *format, ...)
{
	int index = csperf_schema_field_index(record->schema, field);
	va_list args;

	if (index < 0 || index >= MAX_FIELDS)
		return;
	va_start(args, format);
	vsnprintf(record->text[index], sizeof(record->text[index]), format, args);
	va_end(args);
	record->values[index] = record->text[index];
}

static int record_write(gen_output *out, council_record *record)
{
	return gen_output_write_council_record(out, record->schema->type,
		record->values, record->schema->nfields);
}

/* The mid-year estimate for the financial year ending 31 March `year`: that
 * of the June the year holds. */
static long population_of(const gen_output *out, const gen_window *window,
	int year)
{
	uint64_t referrals = 0;
	int nyears = window->last_year - window->first_year + 1;
	double middle = (nyears - 1) / 2.0;
	double base;

	for (int y = window->first_year; y <= window->last_year; y++)
		referrals += gen_output_referrals(out, y);
	base = (double)(referrals > 0 ? referrals : 1) / nyears * 10000.0 /
		REFERRALS_PER_10000;
	return (long)(base * (1.0 + POPULATION_GROWTH *
		((year - window->first_year) - middle)) + 0.5);
}

static int write_population(gen_output *out, const gen_window *window)
{
	council_record record;

	for (int year = window->first_year; year <= window->last_year; year++) {
		record_start(&record, CSPERF_RECORD_POPULATION);
		record_set(&record, "year", "%d", year - 1);
		record_set(&record, "under_18_estimate", "%ld",
			population_of(out, window, year));
		if (record_write(out, &record) != 0)
			return -1;
	}
	return 0;
}

static int write_budget(gen_output *out, const gen_window *window, gen_rng *rng)
{
	council_record record;

	for (int year = window->first_year; year <= window->last_year; year++) {
		for (int category = 0; category < GEN_COST_CATEGORIES; category++) {
			int64_t spend = gen_output_spend(out, year,
				(gen_cost_category)category);
			double factor = gen_rng_between(rng, 880, 1120) / 1000.0;
			/* Budgets are set in thousands of pounds. */
			long long thousands = (long long)((double)spend * factor /
				100000.0 + 0.5);

			record_start(&record, CSPERF_RECORD_BUDGET);
			record_set(&record, "financial_year", "%d", year - 1);
			record_set(&record, "placement_category", "%s",
				gen_cost_category_name((gen_cost_category)category));
			record_set(&record, "amount", "%lld", thousands * 1000);
			if (record_write(out, &record) != 0)
				return -1;
		}
	}
	return 0;
}

/* A figure that drifts from quarter to quarter within bounds. */
typedef struct drifting_figure {
	const char *indicator;
	double value, step, low, high;
} drifting_figure;

static double drift(gen_rng *rng, drifting_figure *figure)
{
	figure->value += (gen_rng_uniform(rng) * 2.0 - 1.0) * figure->step;
	if (figure->value < figure->low)
		figure->value = figure->low;
	if (figure->value > figure->high)
		figure->value = figure->high;
	return figure->value;
}

/* Writes `value` with `decimals` decimals. */
static int write_reported_figure(gen_output *out, const gen_window *window,
	const char *indicator, gen_day start, gen_day end, int decimals,
	double value)
{
	council_record record;
	char start_text[GEN_DAY_TEXT_SIZE], end_text[GEN_DAY_TEXT_SIZE];

	gen_day_format(start, start_text);
	gen_day_format(end, end_text);
	record_start(&record, CSPERF_RECORD_REPORTED_FIGURE);
	record_set(&record, "indicator_id", "%s", indicator);
	record_set(&record, "org_unit", "%s", window->council);
	record_set(&record, "period_start", "%s", start_text);
	record_set(&record, "period_end", "%s", end_text);
	record_set(&record, "value", "%.*f", decimals, value);
	return record_write(out, &record);
}

/* Workforce (Wolverhampton Q1 2017-18: agency 18.9%, vacancies 22.4%,
 * turnover 17.5%, absence 6.0%, caseload 21.0; Cardiff caseload 20.2) and
 * youth justice (Wolverhampton 126 first-time entrants a year, 57% in
 * education, training or employment), every quarter of the window. */
static int write_reported_figures(gen_output *out, const gen_window *window,
	gen_rng *rng)
{
	drifting_figure workforce[] = {
		{ "WF01", 12 + 8 * gen_rng_uniform(rng), 1.5, 5, 35 },
		{ "WF02", 14 + 10 * gen_rng_uniform(rng), 2.0, 3, 40 },
		{ "WF03", 13 + 5 * gen_rng_uniform(rng), 1.0, 5, 30 },
		{ "WF04", 2.5 + 3.5 * gen_rng_uniform(rng), 0.5, 1, 10 },
		{ "WF05", 15 + 6 * gen_rng_uniform(rng), 1.2, 10, 30 },
	};
	drifting_figure education = { "YJ02", 50 + 15 * gen_rng_uniform(rng), 3,
		30, 85 };

	for (int year = window->first_year; year <= window->last_year; year++) {
		double entrants_per_quarter = population_of(out, window, year) *
			0.0005;

		for (int quarter = 0; quarter < 4; quarter++) {
			gen_day start = gen_add_months(gen_year_start(year), 3 * quarter);
			gen_day end = gen_add_months(start, 3) - 1;

			for (size_t i = 0; i < sizeof(workforce) / sizeof(workforce[0]); i++) {
				if (write_reported_figure(out, window, workforce[i].indicator,
					    start, end, 1, drift(rng, &workforce[i])) != 0)
					return -1;
			}
			if (write_reported_figure(out, window, "YJ01", start, end, 0,
				    entrants_per_quarter *
				    (0.6 + 0.8 * gen_rng_uniform(rng))) != 0 ||
			    write_reported_figure(out, window, "YJ02", start, end, 1,
				    drift(rng, &education)) != 0)
				return -1;
		}
	}
	return 0;
}

/* A Welsh council's measures that its records cannot give (migration
 * 0022: reported), around the Welsh figures of 2018-19 (StatsWales; Cardiff
 * 910 of 1,810 supported at home): PM25 every quarter, the annual ones each
 * financial year. From their own stream, so that England's files do not
 * change. */
static int write_welsh_figures(gen_output *out, const gen_window *window,
	uint64_t seed)
{
	gen_rng rng;
	drifting_figure at_home = { "PM25", 55, 2.0, 35, 80 };
	drifting_figure annual[] = {
		{ "PM29A", 60, 5.0, 30, 90 },
		{ "PM29B", 15, 4.0, 5, 40 },
		{ "PM30", 50, 6.0, 20, 90 },
		{ "PM31", 85, 4.0, 50, 100 },
		{ "PM32", 12, 2.0, 2, 30 },
		{ "PM34A", 50, 5.0, 20, 80 },
		{ "PM34B", 45, 5.0, 20, 80 },
		{ "PM35", 10, 2.0, 0, 30 },
	};

	gen_rng_seed(&rng, seed, WELSH_STREAM);
	for (int year = window->first_year; year <= window->last_year; year++) {
		for (int quarter = 0; quarter < 4; quarter++) {
			gen_day start = gen_add_months(gen_year_start(year), 3 * quarter);
			gen_day end = gen_add_months(start, 3) - 1;

			if (write_reported_figure(out, window, at_home.indicator, start, end, 1,
				    drift(&rng, &at_home)) != 0)
				return -1;
		}
		for (size_t i = 0; i < sizeof(annual) / sizeof(annual[0]); i++)
			if (write_reported_figure(out, window, annual[i].indicator,
				    gen_year_start(year), gen_year_end(year), 1,
				    drift(&rng, &annual[i])) != 0)
				return -1;
	}
	return 0;
}

int gen_council_write(gen_output *out, const gen_window *window, uint64_t seed)
{
	gen_rng rng;

	gen_rng_seed(&rng, seed, COUNCIL_STREAM);
	if (write_population(out, window) != 0 ||
	    write_budget(out, window, &rng) != 0 ||
	    write_reported_figures(out, window, &rng) != 0)
		return -1;
	if (window->nation != NULL && strcmp(window->nation, "wales") == 0 &&
	    write_welsh_figures(out, window, seed) != 0)
		return -1;
	return 0;
}
