/*
 * client/gen/gen_output.c: the files of a generated council, what goes in
 * each, and the manifest.
 *
 * Which records a return holds, for a collection year from 1 April to
 * 31 March:
 *   SSDA903   episodes open at any time in the year; reviews held in it; OC2
 *             of children looked after for the 12 months to its end; OC3 of
 *             care leavers whose 19th, 20th or 21st birthday falls in it;
 *             AD1 of adoptions in it; placed-for-adoption decisions still
 *             standing in it; missing episodes open in it; previous
 *             permanence of children who started a period of care in it;
 *             UASC of those looked after in it; header rows for every child
 *             of the return.
 *   CIN       CIN episodes open at any time in the year, with the
 *             assessments, CIN plans, s47 enquiries and CP plans open in it,
 *             and the CP reviews held in it.
 * A record open at the year's end shows no end; the next year's return shows
 * it again, ended if it ended. csperf CSV files hold what happened in the
 * whole window, as known on its last day.
 */
#include "gen_output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>
#include <libxml/xmlwriter.h>

#include "csperf/version.h"
#include "formats.h"
#include "schema.h"

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

#define MAX_PATH 4096
#define OUTPUT_MAX_YEARS 100

/* ---- Where each field goes: checked against common/schema.c at start ---- */

enum child_field {
	CHILD_ID, CHILD_SEX, CHILD_BIRTH, CHILD_EXPECTED_BIRTH, CHILD_ETHNICITY,
	CHILD_DISABILITIES, CHILD_FIELDS
};
static const char *const child_names[CHILD_FIELDS] = {
	"child_id", "sex", "birth_date", "expected_birth_date", "ethnicity",
	"disabilities",
};

enum contact_field {
	CONTACT_CHILD, CONTACT_DATE, CONTACT_SOURCE, CONTACT_OUTCOME,
	CONTACT_DECISION, CONTACT_RAG, CONTACT_TEAM, CONTACT_FIELDS
};
static const char *const contact_names[CONTACT_FIELDS] = {
	"child_id", "contact_date", "source", "outcome", "decision_date",
	"rag_rating", "team",
};

enum early_help_field {
	EARLY_HELP_CHILD, EARLY_HELP_START, EARLY_HELP_END, EARLY_HELP_TEAM,
	EARLY_HELP_ALLOCATED, EARLY_HELP_STEP, EARLY_HELP_FIELDS
};
static const char *const early_help_names[EARLY_HELP_FIELDS] = {
	"child_id", "start_date", "end_date", "team", "allocated_date",
	"social_care_step",
};

enum episode_field {
	EPISODE_CHILD, EPISODE_START, EPISODE_NEW_REASON, EPISODE_LEGAL_STATUS,
	EPISODE_NEED, EPISODE_PLACEMENT, EPISODE_PROVIDER, EPISODE_END,
	EPISODE_END_REASON, EPISODE_CHANGE_REASON, EPISODE_HOME_POSTCODE,
	EPISODE_PLACEMENT_POSTCODE, EPISODE_URN, EPISODE_LOCATION, EPISODE_PLACEMENT_LA,
	EPISODE_FIELDS
};
static const char *const episode_names[EPISODE_FIELDS] = {
	"child_id", "start_date", "new_episode_reason", "legal_status",
	"category_of_need", "placement_type", "placement_provider", "end_date",
	"end_reason", "placement_change_reason", "home_postcode",
	"placement_postcode", "urn", "placement_location", "placement_la",
};

enum la_review_field {
	LA_REVIEW_CHILD, LA_REVIEW_DATE, LA_REVIEW_PARTICIPATION, LA_REVIEW_FIELDS
};
static const char *const la_review_names[LA_REVIEW_FIELDS] = {
	"child_id", "review_date", "participation",
};

enum visit_field { VISIT_CHILD, VISIT_DATE, VISIT_FIELDS };
static const char *const visit_names[VISIT_FIELDS] = {
	"child_id", "visit_date",
};

enum health_field {
	HEALTH_CHILD, HEALTH_AS_AT, HEALTH_SDQ_SCORE, HEALTH_SDQ_REASON,
	HEALTH_CONVICTED, HEALTH_CHECK, HEALTH_IMMUNISATIONS, HEALTH_TEETH,
	HEALTH_ASSESSMENT, HEALTH_SUBSTANCE_MISUSE, HEALTH_INTERVENTION_RECEIVED,
	HEALTH_INTERVENTION_OFFERED, HEALTH_FIELDS
};
static const char *const health_names[HEALTH_FIELDS] = {
	"child_id", "as_at_date", "sdq_score", "sdq_reason", "convicted",
	"health_check", "immunisations", "teeth_check", "health_assessment",
	"substance_misuse", "intervention_received", "intervention_offered",
};

enum missing_field {
	MISSING_CHILD, MISSING_TYPE, MISSING_START, MISSING_END, MISSING_FIELDS
};
static const char *const missing_names[MISSING_FIELDS] = {
	"child_id", "missing_type", "start_date", "end_date",
};

enum care_leaver_field {
	LEAVER_CHILD, LEAVER_AS_AT, LEAVER_IN_TOUCH, LEAVER_ACTIVITY,
	LEAVER_ACCOMMODATION, LEAVER_FIELDS
};
static const char *const care_leaver_names[LEAVER_FIELDS] = {
	"child_id", "as_at_date", "in_touch", "activity", "accommodation",
};

enum adoption_field {
	ADOPTION_CHILD, ADOPTION_DECISION, ADOPTION_MATCH, ADOPTION_FOSTER_CARER,
	ADOPTION_ADOPTERS, ADOPTION_ADOPTER_SEX, ADOPTION_LEGAL_STATUS,
	ADOPTION_FIELDS
};
static const char *const adoption_names[ADOPTION_FIELDS] = {
	"child_id", "decision_date", "match_date", "foster_carer_adoption",
	"adopter_count", "adopter_sex", "adopter_legal_status",
};

enum placed_field {
	PLACED_CHILD, PLACED_DECISION, PLACED_CEASED, PLACED_CEASED_REASON,
	PLACED_FIELDS
};
static const char *const placed_names[PLACED_FIELDS] = {
	"child_id", "decision_date", "ceased_date", "ceased_reason",
};

enum permanence_field {
	PERMANENCE_CHILD, PERMANENCE_CODE, PERMANENCE_LA, PERMANENCE_DATE,
	PERMANENCE_FIELDS
};
static const char *const permanence_names[PERMANENCE_FIELDS] = {
	"child_id", "previous_permanence", "la_code", "order_date",
};

enum uasc_field { UASC_CHILD, UASC_CEASED, UASC_FIELDS };
static const char *const uasc_names[UASC_FIELDS] = {
	"child_id", "ceased_date",
};

enum cost_field {
	COST_CHILD, COST_REFERENCE, COST_EPISODE_START, COST_PROVIDER,
	COST_WEEKLY, COST_START, COST_END, COST_HEALTH, COST_EDUCATION,
	COST_CATEGORY, COST_LOCALITY, COST_FIELDS
};
static const char *const cost_names[COST_FIELDS] = {
	"child_id", "placement_ref", "episode_start_date", "provider",
	"weekly_cost", "start_date", "end_date", "health_contribution",
	"education_contribution", "placement_category", "locality",
};

/* The council's localities: each child's case is managed in one, by the
 * child's number (no random draw, so the journeys stay as they were). */
static const char *const localities[] = { "North", "South", "East", "West" };

typedef struct record_layout {
	csperf_record_type type;
	const char *const *names;
	size_t count;
} record_layout;

#define LAYOUT(record_type, names) { record_type, names, COUNT_OF(names) }

static const record_layout layouts[] = {
	LAYOUT(CSPERF_RECORD_CHILD, child_names),
	LAYOUT(CSPERF_RECORD_CONTACT, contact_names),
	LAYOUT(CSPERF_RECORD_EARLY_HELP, early_help_names),
	LAYOUT(CSPERF_RECORD_LA_EPISODE, episode_names),
	LAYOUT(CSPERF_RECORD_LA_REVIEW, la_review_names),
	LAYOUT(CSPERF_RECORD_LA_VISIT, visit_names),
	LAYOUT(CSPERF_RECORD_CP_VISIT, visit_names),
	LAYOUT(CSPERF_RECORD_HEALTH, health_names),
	LAYOUT(CSPERF_RECORD_MISSING, missing_names),
	LAYOUT(CSPERF_RECORD_CARE_LEAVER, care_leaver_names),
	LAYOUT(CSPERF_RECORD_ADOPTION, adoption_names),
	LAYOUT(CSPERF_RECORD_PLACED_FOR_ADOPTION, placed_names),
	LAYOUT(CSPERF_RECORD_PREVIOUS_PERMANENCE, permanence_names),
	LAYOUT(CSPERF_RECORD_UASC, uasc_names),
	LAYOUT(CSPERF_RECORD_PLACEMENT_COST, cost_names),
};

/* ---- The files ---- */

typedef enum file_format { FORMAT_SSDA903, FORMAT_CIN_XML, FORMAT_CSV } file_format;

typedef enum ssda903_table {
	TABLE_HEADER, TABLE_EPISODES, TABLE_REVIEWS, TABLE_OC2, TABLE_OC3,
	TABLE_AD1, TABLE_PLACED_FOR_ADOPTION, TABLE_MISSING,
	TABLE_PREVIOUS_PERMANENCE, TABLE_UASC, SSDA903_TABLES
} ssda903_table;

static const struct {
	const char *file;
	csperf_record_type type;
} ssda903_tables[SSDA903_TABLES] = {
	{ "header.csv", CSPERF_RECORD_CHILD },
	{ "episodes.csv", CSPERF_RECORD_LA_EPISODE },
	{ "reviews.csv", CSPERF_RECORD_LA_REVIEW },
	{ "oc2.csv", CSPERF_RECORD_HEALTH },
	{ "oc3.csv", CSPERF_RECORD_CARE_LEAVER },
	{ "ad1.csv", CSPERF_RECORD_ADOPTION },
	{ "placed_for_adoption.csv", CSPERF_RECORD_PLACED_FOR_ADOPTION },
	{ "missing.csv", CSPERF_RECORD_MISSING },
	{ "previous_permanence.csv", CSPERF_RECORD_PREVIOUS_PERMANENCE },
	{ "uasc.csv", CSPERF_RECORD_UASC },
};

typedef enum csv_file {
	CSV_CHILD, CSV_CONTACT, CSV_EARLY_HELP, CSV_CP_VISIT, CSV_LA_VISIT,
	CSV_PLACEMENT_COST, CSV_BUDGET, CSV_POPULATION, CSV_REPORTED_FIGURE,
	CSV_FILES
} csv_file;

static const csperf_record_type csv_types[CSV_FILES] = {
	CSPERF_RECORD_CHILD, CSPERF_RECORD_CONTACT, CSPERF_RECORD_EARLY_HELP,
	CSPERF_RECORD_CP_VISIT, CSPERF_RECORD_LA_VISIT,
	CSPERF_RECORD_PLACEMENT_COST, CSPERF_RECORD_BUDGET,
	CSPERF_RECORD_POPULATION, CSPERF_RECORD_REPORTED_FIGURE,
};

/* The CIN census's record types, in the order the manifest lists them. */
static const csperf_record_type cin_types[] = {
	CSPERF_RECORD_CHILD, CSPERF_RECORD_REFERRAL, CSPERF_RECORD_ASSESSMENT,
	CSPERF_RECORD_CIN_PLAN, CSPERF_RECORD_S47, CSPERF_RECORD_CP_PLAN,
	CSPERF_RECORD_CP_REVIEW,
};

typedef struct gen_file {
	char path[MAX_PATH + 64];
	char relative[64];          /* from the output directory */
	file_format format;
	csperf_record_type type;    /* what it holds; 0 for the CIN census */
	int collection_year;        /* 0 for csperf CSV */
	uint64_t counts[CSPERF_RECORD_TYPE_LAST + 1];
	formats_ssda903_writer *ssda903;
	formats_csv_writer *csv;
	xmlTextWriterPtr xml;
	bool xml_failed;
} gen_file;

struct gen_output {
	char dir[MAX_PATH];
	const gen_window *window;
	gen_arguments arguments;
	int nyears;
	gen_file *files;
	size_t nfiles;
	gen_file *ssda903[OUTPUT_MAX_YEARS][SSDA903_TABLES];
	gen_file *cin[OUTPUT_MAX_YEARS];
	gen_file *csv[CSV_FILES];
	uint64_t distinct[CSPERF_RECORD_TYPE_LAST + 1];
	int64_t spend[OUTPUT_MAX_YEARS][GEN_COST_CATEGORIES];
	uint64_t referrals[OUTPUT_MAX_YEARS];
	uint64_t journey_records;   /* written for the journey being written */
	char error[512];
};

static int fail(gen_output *out, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(gen_output *out, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(out->error, sizeof(out->error), format, args);
	va_end(args);
	return -1;
}

const char *gen_output_error(const gen_output *out)
{
	return out->error[0] != '\0' ? out->error : "unknown error.";
}

/* ---- Values ---- */

/* Room for the dates and numbers of one record. */
typedef struct scratch {
	char dates[8][GEN_DAY_TEXT_SIZE];
	size_t next_date;
	char numbers[4][32];
	size_t next_number;
} scratch;

/* `day` as text, or NULL (absent) when it had not come by `as_at`. */
static const char *date_as_at(scratch *space, gen_day day, gen_day as_at)
{
	char *text;

	if (day == GEN_NEVER || day > as_at)
		return NULL;
	text = space->dates[space->next_date++ % COUNT_OF(space->dates)];
	gen_day_format(day, text);
	return text;
}

static const char *date_text(scratch *space, gen_day day)
{
	return date_as_at(space, day, GEN_NEVER - 1);
}

static const char *money_text(scratch *space, int64_t pence)
{
	char *text = space->numbers[space->next_number++ % COUNT_OF(space->numbers)];

	snprintf(text, sizeof(space->numbers[0]), "%" PRId64 ".%02" PRId64,
		pence / 100, pence % 100);
	return text;
}

static const char *int_text(scratch *space, long value)
{
	char *text = space->numbers[space->next_number++ % COUNT_OF(space->numbers)];

	snprintf(text, sizeof(space->numbers[0]), "%ld", value);
	return text;
}

static gen_day later_day(gen_day first, gen_day second)
{
	return first > second ? first : second;
}

static bool overlaps(gen_day start, gen_day end, gen_day from, gen_day to)
{
	return start <= to && end >= from;
}

static bool within(gen_day day, gen_day from, gen_day to)
{
	return day >= from && day <= to;
}

/* ---- Writing rows ---- */

static int write_row(gen_output *out, gen_file *file, const char *const *values,
	size_t nvalues)
{
	formats_error err;
	int status;

	if (file->format == FORMAT_SSDA903)
		status = formats_ssda903_writer_write(file->ssda903, values, nvalues,
			&err);
	else
		status = formats_csv_writer_write(file->csv, values, nvalues, &err);
	if (status != FORMATS_OK)
		return fail(out, "cannot write %s: %s.", file->path, err.message);
	file->counts[file->type]++;
	out->journey_records++;
	return 0;
}

static void child_values(const gen_child *child, const char *sex,
	gen_day as_at, scratch *space, const char *values[CHILD_FIELDS])
{
	bool born = child->birth <= as_at;

	memset(values, 0, CHILD_FIELDS * sizeof(values[0]));
	values[CHILD_ID] = child->id;
	values[CHILD_SEX] = born ? sex : "U";
	values[CHILD_BIRTH] = born ? date_text(space, child->birth) : NULL;
	values[CHILD_EXPECTED_BIRTH] = born ? NULL :
		date_text(space, child->expected_birth);
	values[CHILD_ETHNICITY] = child->ethnicity;
	values[CHILD_DISABILITIES] = child->disabilities;
}

/* ---- SSDA903 ---- */

static int write_episodes(gen_output *out, gen_journey *journey,
	gen_file *file, gen_day from, gen_day to, bool *in_care)
{
	for (size_t i = 0; i < journey->la_episodes.count; i++) {
		gen_la_episode *episode = &journey->la_episodes.items[i];
		const char *values[EPISODE_FIELDS] = { NULL };
		scratch space = { .next_date = 0 };
		bool ended = episode->end <= to;

		if (!overlaps(episode->start, episode->end, from, to))
			continue;
		values[EPISODE_CHILD] = journey->child.id;
		values[EPISODE_START] = date_text(&space, episode->start);
		values[EPISODE_NEW_REASON] = episode->new_episode_reason;
		values[EPISODE_LEGAL_STATUS] = episode->legal_status;
		values[EPISODE_NEED] = episode->category_of_need;
		values[EPISODE_PLACEMENT] = episode->placement_type;
		values[EPISODE_PROVIDER] = episode->provider;
		values[EPISODE_END] = date_as_at(&space, episode->end, to);
		values[EPISODE_END_REASON] = ended ? episode->end_reason : NULL;
		values[EPISODE_CHANGE_REASON] = episode->change_reason;
		values[EPISODE_HOME_POSTCODE] = journey->child.home_postcode;
		values[EPISODE_PLACEMENT_POSTCODE] = episode->placement_postcode;
		values[EPISODE_URN] = episode->urn;
		values[EPISODE_LOCATION] = episode->placement_location;
		values[EPISODE_PLACEMENT_LA] = episode->placement_la;
		if (write_row(out, file, values, EPISODE_FIELDS) != 0)
			return -1;
		episode->written = true;
		*in_care = true;
	}
	return 0;
}

static int write_la_reviews(gen_output *out, gen_journey *journey,
	gen_file *file, gen_day from, gen_day to)
{
	for (size_t i = 0; i < journey->la_reviews.count; i++) {
		gen_la_review *review = &journey->la_reviews.items[i];
		scratch space = { .next_date = 0 };
		const char *values[LA_REVIEW_FIELDS] = { NULL };

		if (!within(review->date, from, to))
			continue;
		values[LA_REVIEW_CHILD] = journey->child.id;
		values[LA_REVIEW_DATE] = date_text(&space, review->date);
		values[LA_REVIEW_PARTICIPATION] = review->participation;
		if (write_row(out, file, values, LA_REVIEW_FIELDS) != 0)
			return -1;
		review->written = true;
	}
	return 0;
}

static int write_health(gen_output *out, gen_journey *journey, gen_file *file,
	int year)
{
	for (size_t i = 0; i < journey->health.count; i++) {
		gen_health *health = &journey->health.items[i];
		scratch space = { .next_date = 0 };
		const char *values[HEALTH_FIELDS] = { NULL };

		if (health->year != year)
			continue;
		values[HEALTH_CHILD] = journey->child.id;
		values[HEALTH_AS_AT] = date_text(&space, gen_year_end(year));
		values[HEALTH_SDQ_SCORE] = health->sdq_score >= 0 ?
			int_text(&space, health->sdq_score) : NULL;
		values[HEALTH_SDQ_REASON] = health->sdq_reason;
		values[HEALTH_CONVICTED] = health->convicted;
		values[HEALTH_CHECK] = health->health_check;
		values[HEALTH_IMMUNISATIONS] = health->immunisations;
		values[HEALTH_TEETH] = health->teeth_check;
		values[HEALTH_ASSESSMENT] = health->health_assessment;
		values[HEALTH_SUBSTANCE_MISUSE] = health->substance_misuse;
		values[HEALTH_INTERVENTION_RECEIVED] = health->intervention_received;
		values[HEALTH_INTERVENTION_OFFERED] = health->intervention_offered;
		if (write_row(out, file, values, HEALTH_FIELDS) != 0)
			return -1;
		health->written = true;
	}
	return 0;
}

static int write_care_leavers(gen_output *out, gen_journey *journey,
	gen_file *file, int year)
{
	for (size_t i = 0; i < journey->care_leavers.count; i++) {
		gen_care_leaver *leaver = &journey->care_leavers.items[i];
		scratch space = { .next_date = 0 };
		const char *values[LEAVER_FIELDS] = { NULL };

		if (leaver->year != year)
			continue;
		values[LEAVER_CHILD] = journey->child.id;
		values[LEAVER_AS_AT] = date_text(&space, gen_year_end(year));
		values[LEAVER_IN_TOUCH] = leaver->in_touch;
		values[LEAVER_ACTIVITY] = leaver->activity;
		values[LEAVER_ACCOMMODATION] = leaver->accommodation;
		if (write_row(out, file, values, LEAVER_FIELDS) != 0)
			return -1;
		leaver->written = true;
	}
	return 0;
}

static int write_adoption(gen_output *out, gen_journey *journey,
	gen_file *file, gen_day from, gen_day to)
{
	gen_adoption *adoption = &journey->adoption;
	scratch space = { .next_date = 0 };
	const char *values[ADOPTION_FIELDS] = { NULL };

	if (!journey->adopted || !within(adoption->adopted, from, to))
		return 0;
	values[ADOPTION_CHILD] = journey->child.id;
	values[ADOPTION_DECISION] = date_text(&space, adoption->decision);
	values[ADOPTION_MATCH] = date_text(&space, adoption->match);
	values[ADOPTION_FOSTER_CARER] = adoption->foster_carer ? "true" : "false";
	values[ADOPTION_ADOPTERS] = int_text(&space, adoption->adopters);
	values[ADOPTION_ADOPTER_SEX] = adoption->adopter_sex;
	values[ADOPTION_LEGAL_STATUS] = adoption->adopter_legal_status;
	if (write_row(out, file, values, ADOPTION_FIELDS) != 0)
		return -1;
	adoption->written = true;
	return 0;
}

static int write_placed_for_adoption(gen_output *out, gen_journey *journey,
	gen_file *file, gen_day from, gen_day to)
{
	for (size_t i = 0; i < journey->placed_for_adoption.count; i++) {
		gen_placed_for_adoption *placed = &journey->placed_for_adoption.items[i];
		scratch space = { .next_date = 0 };
		const char *values[PLACED_FIELDS] = { NULL };
		bool ceased = placed->ceased <= to;

		if (placed->decision > to || placed->ceased < from)
			continue;
		values[PLACED_CHILD] = journey->child.id;
		values[PLACED_DECISION] = date_text(&space, placed->decision);
		values[PLACED_CEASED] = date_as_at(&space, placed->ceased, to);
		values[PLACED_CEASED_REASON] = ceased ? placed->ceased_reason : NULL;
		if (write_row(out, file, values, PLACED_FIELDS) != 0)
			return -1;
		placed->written = true;
	}
	return 0;
}

static int write_missing(gen_output *out, gen_journey *journey, gen_file *file,
	gen_day from, gen_day to)
{
	for (size_t i = 0; i < journey->missing.count; i++) {
		gen_missing *missing = &journey->missing.items[i];
		scratch space = { .next_date = 0 };
		const char *values[MISSING_FIELDS] = { NULL };

		if (!overlaps(missing->start, missing->end, from, to))
			continue;
		values[MISSING_CHILD] = journey->child.id;
		values[MISSING_TYPE] = missing->type;
		values[MISSING_START] = date_text(&space, missing->start);
		values[MISSING_END] = date_as_at(&space, missing->end, to);
		if (write_row(out, file, values, MISSING_FIELDS) != 0)
			return -1;
		missing->written = true;
	}
	return 0;
}

static int write_previous_permanence(gen_output *out, gen_journey *journey,
	gen_file *file, gen_day from, gen_day to)
{
	gen_child *child = &journey->child;
	const char *values[PERMANENCE_FIELDS] = { NULL };
	bool started = false;

	for (size_t i = 0; i < journey->periods.count && !started; i++)
		started = within(journey->periods.items[i].start, from, to);
	if (!started || child->previous_permanence == NULL)
		return 0;
	values[PERMANENCE_CHILD] = child->id;
	values[PERMANENCE_CODE] = child->previous_permanence;
	values[PERMANENCE_LA] = child->permanence_la;
	values[PERMANENCE_DATE] = child->permanence_date;
	if (write_row(out, file, values, PERMANENCE_FIELDS) != 0)
		return -1;
	child->permanence_written = true;
	return 0;
}

static int write_uasc(gen_output *out, gen_journey *journey, gen_file *file)
{
	gen_child *child = &journey->child;
	scratch space = { .next_date = 0 };
	const char *values[UASC_FIELDS] = { NULL };

	values[UASC_CHILD] = child->id;
	values[UASC_CEASED] = date_text(&space, gen_birthday(child->birth, 18));
	if (write_row(out, file, values, UASC_FIELDS) != 0)
		return -1;
	child->uasc_written = true;
	return 0;
}

/* The child's rows in the SSDA903 return of year `year_index`. */
static int write_ssda903_year(gen_output *out, gen_journey *journey,
	int year_index)
{
	int year = out->window->first_year + year_index;
	gen_day from = gen_year_start(year), to = gen_year_end(year);
	gen_file **tables = out->ssda903[year_index];
	uint64_t before = out->journey_records;
	bool in_care = false;
	/* SEX was 1 and 2 until the 2024-25 collection, M and F since. */
	const char *sex = year >= 2025 ? journey->child.sex :
		strcmp(journey->child.sex, "M") == 0 ? "1" : "2";

	if (write_episodes(out, journey, tables[TABLE_EPISODES], from, to,
		    &in_care) != 0 ||
	    write_la_reviews(out, journey, tables[TABLE_REVIEWS], from, to) != 0 ||
	    write_health(out, journey, tables[TABLE_OC2], year) != 0 ||
	    write_care_leavers(out, journey, tables[TABLE_OC3], year) != 0 ||
	    write_adoption(out, journey, tables[TABLE_AD1], from, to) != 0 ||
	    write_missing(out, journey, tables[TABLE_MISSING], from, to) != 0 ||
	    write_previous_permanence(out, journey,
		    tables[TABLE_PREVIOUS_PERMANENCE], from, to) != 0)
		return -1;
	if (in_care && (write_placed_for_adoption(out, journey,
		    tables[TABLE_PLACED_FOR_ADOPTION], from, to) != 0 ||
	    (journey->child.uasc &&
	     write_uasc(out, journey, tables[TABLE_UASC]) != 0)))
		return -1;
	if (out->journey_records > before) {
		scratch space = { .next_date = 0 };
		const char *values[CHILD_FIELDS];

		child_values(&journey->child, sex, to, &space, values);
		if (write_row(out, tables[TABLE_HEADER], values, CHILD_FIELDS) != 0)
			return -1;
		journey->child.written = true;
	}
	return 0;
}

/* ---- CIN census ---- */

static void xml_start(gen_file *file, const char *name)
{
	if (!file->xml_failed &&
	    xmlTextWriterStartElement(file->xml, BAD_CAST name) < 0)
		file->xml_failed = true;
}

static void xml_end(gen_file *file)
{
	if (!file->xml_failed && xmlTextWriterEndElement(file->xml) < 0)
		file->xml_failed = true;
}

/* An element holding `text`; nothing when text is NULL (absent). */
static void xml_leaf(gen_file *file, const char *name, const char *text)
{
	if (text == NULL || file->xml_failed)
		return;
	if (xmlTextWriterWriteElement(file->xml, BAD_CAST name, BAD_CAST text) < 0)
		file->xml_failed = true;
}

static void write_cin_child(gen_file *file, const gen_child *child, int year,
	gen_day to)
{
	scratch space = { .next_date = 0 };
	bool born = child->birth <= to;
	char disabilities[sizeof(child->disabilities)];
	char *code, *rest;

	xml_start(file, "ChildIdentifiers");
	xml_leaf(file, "LAchildID", child->id);
	if (born)
		xml_leaf(file, "PersonBirthDate", date_text(&space, child->birth));
	else
		xml_leaf(file, "ExpectedPersonBirthDate",
			date_text(&space, child->expected_birth));
	/* GenderCurrent (1, 2, 0 not known) until the 2023-24 census, Sex
	 * (M, F, U) from it. */
	if (year >= 2024)
		xml_leaf(file, "Sex", born ? child->sex : "U");
	else
		xml_leaf(file, "GenderCurrent", !born ? "0" :
			strcmp(child->sex, "M") == 0 ? "1" : "2");
	xml_end(file);
	xml_start(file, "ChildCharacteristics");
	xml_leaf(file, "Ethnicity", child->ethnicity);
	xml_start(file, "Disabilities");
	snprintf(disabilities, sizeof(disabilities), "%s", child->disabilities);
	for (code = strtok_r(disabilities, " ", &rest); code != NULL;
	     code = strtok_r(NULL, " ", &rest))
		xml_leaf(file, "Disability", code);
	xml_end(file);
	xml_end(file);
	file->counts[CSPERF_RECORD_CHILD]++;
}

static void write_cin_details(gen_file *file, gen_journey *journey,
	size_t referral_index, gen_day from, gen_day to)
{
	gen_referral *referral = &journey->referrals.items[referral_index];
	scratch space = { .next_date = 0 };
	bool closed = referral->closure <= to;

	xml_start(file, "CINdetails");
	xml_leaf(file, "CINreferralDate", date_text(&space, referral->date));
	xml_leaf(file, "ReferralSource", referral->source);
	xml_leaf(file, "PrimaryNeedCode", referral->primary_need);
	xml_leaf(file, "CINclosureDate", date_as_at(&space, referral->closure, to));
	xml_leaf(file, "ReasonForClosure", closed ? referral->closure_reason : NULL);
	xml_leaf(file, "DateOfInitialCPC",
		date_as_at(&space, referral->first_icpc, to));
	xml_leaf(file, "ReferralNFA", referral->nfa ? "true" : "false");
	file->counts[CSPERF_RECORD_REFERRAL]++;
	referral->written = true;

	for (size_t i = 0; i < journey->assessments.count; i++) {
		gen_assessment *assessment = &journey->assessments.items[i];
		bool authorised = assessment->authorised <= to;
		char factors[GEN_FACTORS_SIZE];
		char *code, *rest;

		if (assessment->referral != referral_index ||
		    !overlaps(assessment->start, assessment->authorised, from, to))
			continue;
		xml_start(file, "Assessments");
		xml_leaf(file, "AssessmentActualStartDate",
			date_text(&space, assessment->start));
		xml_leaf(file, "AssessmentAuthorisationDate",
			date_as_at(&space, assessment->authorised, to));
		if (authorised) {
			xml_start(file, "FactorsIdentifiedAtAssessment");
			snprintf(factors, sizeof(factors), "%s", assessment->factors);
			for (code = strtok_r(factors, " ", &rest); code != NULL;
			     code = strtok_r(NULL, " ", &rest))
				xml_leaf(file, "AssessmentFactors", code);
			xml_end(file);
		}
		xml_end(file);
		file->counts[CSPERF_RECORD_ASSESSMENT]++;
		assessment->written = true;
	}
	for (size_t i = 0; i < journey->cin_plans.count; i++) {
		gen_cin_plan *plan = &journey->cin_plans.items[i];

		if (plan->referral != referral_index ||
		    !overlaps(plan->start, plan->end, from, to))
			continue;
		xml_start(file, "CINPlanDates");
		xml_leaf(file, "CINPlanStartDate", date_text(&space, plan->start));
		xml_leaf(file, "CINPlanEndDate", date_as_at(&space, plan->end, to));
		xml_end(file);
		file->counts[CSPERF_RECORD_CIN_PLAN]++;
		plan->written = true;
	}
	for (size_t i = 0; i < journey->s47s.count; i++) {
		gen_s47 *enquiry = &journey->s47s.items[i];
		bool concluded = enquiry->concluded <= to;

		if (enquiry->referral != referral_index ||
		    !overlaps(enquiry->start, enquiry->concluded, from, to))
			continue;
		xml_start(file, "Section47");
		xml_leaf(file, "S47ActualStartDate", date_text(&space, enquiry->start));
		if (enquiry->conference) {
			xml_leaf(file, "InitialCPCtarget",
				date_text(&space, enquiry->icpc_target));
			xml_leaf(file, "DateOfInitialCPC",
				date_as_at(&space, enquiry->icpc, to));
			xml_leaf(file, "ICPCnotRequired", "false");
		} else if (concluded) {
			xml_leaf(file, "ICPCnotRequired", "true");
		}
		xml_end(file);
		file->counts[CSPERF_RECORD_S47]++;
		enquiry->written = true;
	}
	for (size_t i = 0; i < journey->cp_plans.count; i++) {
		gen_cp_plan *plan = &journey->cp_plans.items[i];
		char previous[16];

		if (plan->referral != referral_index ||
		    !overlaps(plan->start, plan->end, from, to))
			continue;
		snprintf(previous, sizeof(previous), "%d", plan->previous_plans);
		xml_start(file, "ChildProtectionPlans");
		xml_leaf(file, "CPPstartDate", date_text(&space, plan->start));
		xml_leaf(file, "CPPendDate", date_as_at(&space, plan->end, to));
		xml_leaf(file, "InitialCategoryOfAbuse", plan->initial_category);
		xml_leaf(file, "LatestCategoryOfAbuse",
			plan->category_changed <= to ? plan->latest_category :
			plan->initial_category);
		xml_leaf(file, "NumberOfPreviousCPP", previous);
		xml_start(file, "Reviews");
		for (size_t r = 0; r < journey->cp_reviews.count; r++) {
			gen_cp_review *review = &journey->cp_reviews.items[r];

			if (review->plan != i || !within(review->date, from, to))
				continue;
			xml_leaf(file, "CPPreviewDate", date_text(&space, review->date));
			file->counts[CSPERF_RECORD_CP_REVIEW]++;
			review->written = true;
		}
		xml_end(file);
		xml_end(file);
		file->counts[CSPERF_RECORD_CP_PLAN]++;
		plan->written = true;
	}
	xml_end(file);
}

/* The child's Child element in the CIN census of year `year_index`, if any
 * of their CIN episodes was open in that year. */
static int write_cin_year(gen_output *out, gen_journey *journey, int year_index)
{
	int year = out->window->first_year + year_index;
	gen_day from = gen_year_start(year), to = gen_year_end(year);
	gen_file *file = out->cin[year_index];
	uint64_t records_before = 0, records_after = 0;
	bool started = false;

	for (size_t t = 0; t < COUNT_OF(cin_types); t++)
		records_before += file->counts[cin_types[t]];
	for (size_t i = 0; i < journey->referrals.count; i++) {
		gen_referral *referral = &journey->referrals.items[i];

		if (!overlaps(referral->date, referral->closure, from, to))
			continue;
		if (!started) {
			xml_start(file, "Child");
			write_cin_child(file, &journey->child, year, to);
			journey->child.written = true;
			started = true;
		}
		if (within(referral->date, from, to))
			out->referrals[year_index]++;
		write_cin_details(file, journey, i, from, to);
	}
	if (started)
		xml_end(file);
	if (file->xml_failed)
		return fail(out, "cannot write %s: libxml2 could not write the XML.",
			file->path);
	for (size_t t = 0; t < COUNT_OF(cin_types); t++)
		records_after += file->counts[cin_types[t]];
	out->journey_records += records_after - records_before;
	return 0;
}

/* ---- csperf CSV ---- */

static int write_contacts(gen_output *out, gen_journey *journey)
{
	static const char *const outcomes[] = {
		[GEN_CONTACT_REFERRAL] = "Referral to children's social care",
		[GEN_CONTACT_EARLY_HELP] = "Referral to Early Help",
		[GEN_CONTACT_NO_FURTHER_ACTION] = "No further action",
		[GEN_CONTACT_ADVICE] = "Information and advice",
	};
	const gen_window *window = out->window;

	for (size_t i = 0; i < journey->contacts.count; i++) {
		gen_contact *contact = &journey->contacts.items[i];
		scratch space = { .next_date = 0 };
		const char *values[CONTACT_FIELDS] = { NULL };
		bool decided = contact->decision <= window->end;

		if (!within(contact->date, window->start, window->end))
			continue;
		values[CONTACT_CHILD] = journey->child.id;
		values[CONTACT_DATE] = date_text(&space, contact->date);
		values[CONTACT_SOURCE] = contact->source;
		values[CONTACT_OUTCOME] = decided ? outcomes[contact->outcome] : NULL;
		values[CONTACT_DECISION] = date_as_at(&space, contact->decision,
			window->end);
		values[CONTACT_RAG] = decided ? contact->rag : NULL;
		values[CONTACT_TEAM] = "MASH";
		if (write_row(out, out->csv[CSV_CONTACT], values, CONTACT_FIELDS) != 0)
			return -1;
		contact->written = true;
	}
	return 0;
}

static int write_early_help(gen_output *out, gen_journey *journey)
{
	const gen_window *window = out->window;

	for (size_t i = 0; i < journey->early_help.count; i++) {
		gen_early_help *episode = &journey->early_help.items[i];
		scratch space = { .next_date = 0 };
		const char *values[EARLY_HELP_FIELDS] = { NULL };
		bool ended = episode->end <= window->end;

		if (!overlaps(episode->start, episode->end, window->start, window->end))
			continue;
		values[EARLY_HELP_CHILD] = journey->child.id;
		values[EARLY_HELP_START] = date_text(&space, episode->start);
		values[EARLY_HELP_END] = date_as_at(&space, episode->end, window->end);
		values[EARLY_HELP_TEAM] = episode->team;
		values[EARLY_HELP_ALLOCATED] = date_as_at(&space, episode->allocated,
			window->end);
		if (episode->step != NULL &&
		    (strcmp(episode->step, "DOWN") == 0 || ended))
			values[EARLY_HELP_STEP] = episode->step;
		if (write_row(out, out->csv[CSV_EARLY_HELP], values,
			    EARLY_HELP_FIELDS) != 0)
			return -1;
		episode->written = true;
	}
	return 0;
}

static int write_visits(gen_output *out, gen_journey *journey,
	gen_visit *visits, size_t count, gen_file *file)
{
	const gen_window *window = out->window;

	for (size_t i = 0; i < count; i++) {
		scratch space = { .next_date = 0 };
		const char *values[VISIT_FIELDS] = { NULL };

		if (!within(visits[i].date, window->start, window->end))
			continue;
		values[VISIT_CHILD] = journey->child.id;
		values[VISIT_DATE] = date_text(&space, visits[i].date);
		if (write_row(out, file, values, VISIT_FIELDS) != 0)
			return -1;
		visits[i].written = true;
	}
	return 0;
}

/* Adds what a cost line spends in each financial year of the window. */
static void add_spend(gen_output *out, const gen_placement_cost *cost)
{
	for (int i = 0; i < out->nyears; i++) {
		int year = out->window->first_year + i;
		gen_day from = later_day(cost->start, gen_year_start(year));
		gen_day to = cost->end < gen_year_end(year) ? cost->end :
			gen_year_end(year);

		if (to >= from)
			out->spend[i][cost->category] +=
				cost->weekly_pence * (int64_t)(to - from + 1) / 7;
	}
}

/* The start of the child's episode current on `day`: the episode a cost line
 * belongs to. */
static gen_day episode_on(const gen_journey *journey, gen_day day)
{
	gen_day start = day;

	for (size_t i = 0; i < journey->la_episodes.count; i++) {
		const gen_la_episode *episode = &journey->la_episodes.items[i];

		if (episode->start <= day && episode->end > day)
			start = episode->start;
	}
	return start;
}

static int write_placement_costs(gen_output *out, gen_journey *journey)
{
	const gen_window *window = out->window;

	for (size_t i = 0; i < journey->placement_costs.count; i++) {
		gen_placement_cost *cost = &journey->placement_costs.items[i];
		scratch space = { .next_date = 0 };
		const char *values[COST_FIELDS] = { NULL };
		char reference[GEN_CHILD_ID_SIZE + 16];

		if (!overlaps(cost->start, cost->end, window->start, window->end))
			continue;
		snprintf(reference, sizeof(reference), "%s-P%02d", journey->child.id,
			cost->placement_number);
		values[COST_CHILD] = journey->child.id;
		values[COST_REFERENCE] = reference;
		/* The episode current when the line starts to apply, or when the
		 * window opens: one that the window's returns hold. */
		values[COST_EPISODE_START] = date_text(&space, episode_on(journey,
			later_day(cost->start, window->start)));
		values[COST_PROVIDER] = cost->provider;
		values[COST_WEEKLY] = money_text(&space, cost->weekly_pence);
		values[COST_START] = date_text(&space, cost->start);
		values[COST_END] = date_as_at(&space, cost->end, window->end);
		values[COST_HEALTH] = cost->health_pence > 0 ?
			money_text(&space, cost->health_pence) : NULL;
		values[COST_EDUCATION] = cost->education_pence > 0 ?
			money_text(&space, cost->education_pence) : NULL;
		values[COST_CATEGORY] = gen_cost_category_name(cost->category);
		values[COST_LOCALITY] = localities[journey->child.index % COUNT_OF(localities)];
		if (write_row(out, out->csv[CSV_PLACEMENT_COST], values,
			    COST_FIELDS) != 0)
			return -1;
		cost->written = true;
		add_spend(out, cost);
	}
	return 0;
}

/* ---- Journeys ---- */

bool gen_output_journey_in_window(const gen_window *window,
	const gen_journey *journey)
{
	/* Everything else a return or file holds lies inside one of these. */
	if (journey->last_activity < window->start)
		return false;
	for (size_t i = 0; i < journey->contacts.count; i++)
		if (within(journey->contacts.items[i].date, window->start, window->end))
			return true;
	for (size_t i = 0; i < journey->early_help.count; i++)
		if (overlaps(journey->early_help.items[i].start,
			    journey->early_help.items[i].end, window->start, window->end))
			return true;
	for (size_t i = 0; i < journey->referrals.count; i++)
		if (overlaps(journey->referrals.items[i].date,
			    journey->referrals.items[i].closure, window->start,
			    window->end))
			return true;
	for (size_t i = 0; i < journey->la_episodes.count; i++)
		if (overlaps(journey->la_episodes.items[i].start,
			    journey->la_episodes.items[i].end, window->start,
			    window->end))
			return true;
	return journey->care_leavers.count > 0;
}

/* Adds the items of a journey's list that were written to the distinct
 * records of their type. */
#define COUNT_WRITTEN(out, journey, list, type) \
	do { \
		for (size_t i = 0; i < (journey)->list.count; i++) \
			(out)->distinct[type] += (journey)->list.items[i].written ? 1 : 0; \
	} while (0)

static void count_distinct(gen_output *out, const gen_journey *journey)
{
	const gen_child *child = &journey->child;

	out->distinct[CSPERF_RECORD_CHILD] += child->written ? 1 : 0;
	out->distinct[CSPERF_RECORD_PREVIOUS_PERMANENCE] +=
		child->permanence_written ? 1 : 0;
	out->distinct[CSPERF_RECORD_UASC] += child->uasc_written ? 1 : 0;
	out->distinct[CSPERF_RECORD_ADOPTION] +=
		journey->adopted && journey->adoption.written ? 1 : 0;
	COUNT_WRITTEN(out, journey, contacts, CSPERF_RECORD_CONTACT);
	COUNT_WRITTEN(out, journey, early_help, CSPERF_RECORD_EARLY_HELP);
	COUNT_WRITTEN(out, journey, referrals, CSPERF_RECORD_REFERRAL);
	COUNT_WRITTEN(out, journey, assessments, CSPERF_RECORD_ASSESSMENT);
	COUNT_WRITTEN(out, journey, cin_plans, CSPERF_RECORD_CIN_PLAN);
	COUNT_WRITTEN(out, journey, s47s, CSPERF_RECORD_S47);
	COUNT_WRITTEN(out, journey, cp_plans, CSPERF_RECORD_CP_PLAN);
	COUNT_WRITTEN(out, journey, cp_reviews, CSPERF_RECORD_CP_REVIEW);
	COUNT_WRITTEN(out, journey, cp_visits, CSPERF_RECORD_CP_VISIT);
	COUNT_WRITTEN(out, journey, la_episodes, CSPERF_RECORD_LA_EPISODE);
	COUNT_WRITTEN(out, journey, la_reviews, CSPERF_RECORD_LA_REVIEW);
	COUNT_WRITTEN(out, journey, la_visits, CSPERF_RECORD_LA_VISIT);
	COUNT_WRITTEN(out, journey, missing, CSPERF_RECORD_MISSING);
	COUNT_WRITTEN(out, journey, health, CSPERF_RECORD_HEALTH);
	COUNT_WRITTEN(out, journey, care_leavers, CSPERF_RECORD_CARE_LEAVER);
	COUNT_WRITTEN(out, journey, placed_for_adoption,
		CSPERF_RECORD_PLACED_FOR_ADOPTION);
	COUNT_WRITTEN(out, journey, placement_costs, CSPERF_RECORD_PLACEMENT_COST);
}

int gen_output_write_journey(gen_output *out, gen_journey *journey)
{
	out->journey_records = 0;
	for (int i = 0; i < out->nyears; i++) {
		if (write_ssda903_year(out, journey, i) != 0 ||
		    write_cin_year(out, journey, i) != 0)
			return -1;
	}
	if (write_contacts(out, journey) != 0 ||
	    write_early_help(out, journey) != 0 ||
	    write_visits(out, journey, journey->cp_visits.items,
		    journey->cp_visits.count, out->csv[CSV_CP_VISIT]) != 0 ||
	    write_visits(out, journey, journey->la_visits.items,
		    journey->la_visits.count, out->csv[CSV_LA_VISIT]) != 0 ||
	    write_placement_costs(out, journey) != 0)
		return -1;
	if (out->journey_records == 0)
		return fail(out, "child %s has no record in the window; this is a bug in csperf-gen.",
			journey->child.id);
	/* Known only from contacts or Early Help: the council's own record of
	 * the child, since no return holds one. */
	if (!journey->child.written) {
		scratch space = { .next_date = 0 };
		const char *values[CHILD_FIELDS];

		child_values(&journey->child, journey->child.sex, out->window->end,
			&space, values);
		if (write_row(out, out->csv[CSV_CHILD], values, CHILD_FIELDS) != 0)
			return -1;
		journey->child.written = true;
	}
	count_distinct(out, journey);
	return 0;
}

int gen_output_write_council_record(gen_output *out, csperf_record_type type,
	const char *const *values, size_t nvalues)
{
	for (int i = 0; i < CSV_FILES; i++) {
		if (csv_types[i] == type && i != CSV_CHILD) {
			if (write_row(out, out->csv[i], values, nvalues) != 0)
				return -1;
			out->distinct[type]++;
			return 0;
		}
	}
	return fail(out, "no csperf CSV file of csperf-gen holds %s records.",
		csperf_record_type_name(type));
}

int64_t gen_output_spend(const gen_output *out, int year,
	gen_cost_category category)
{
	int index = year - out->window->first_year;

	if (index < 0 || index >= out->nyears || category >= GEN_COST_CATEGORIES)
		return 0;
	return out->spend[index][category];
}

uint64_t gen_output_referrals(const gen_output *out, int year)
{
	int index = year - out->window->first_year;

	if (index < 0 || index >= out->nyears)
		return 0;
	return out->referrals[index];
}

/* ---- Opening and closing ---- */

static int check_layouts(gen_output *out)
{
	for (size_t i = 0; i < COUNT_OF(layouts); i++) {
		const csperf_record_schema *schema =
			csperf_schema_by_type(layouts[i].type);

		if (schema == NULL || schema->nfields != layouts[i].count)
			return fail(out, "the %s record has %zu fields where csperf-gen expects %zu: csperf-gen needs updating to the record schema.",
				csperf_record_type_name(layouts[i].type),
				schema != NULL ? schema->nfields : 0, layouts[i].count);
		for (size_t f = 0; f < schema->nfields; f++) {
			if (strcmp(schema->fields[f].name, layouts[i].names[f]) != 0)
				return fail(out, "field %zu of the %s record is %s where csperf-gen expects %s: csperf-gen needs updating to the record schema.",
					f + 1, schema->name, schema->fields[f].name,
					layouts[i].names[f]);
		}
	}
	return 0;
}

/* mkdir -p. */
static int make_directory(gen_output *out, const char *path)
{
	char partial[MAX_PATH];
	size_t length = strlen(path);
	struct stat status;

	if (length >= sizeof(partial))
		return fail(out, "the path %s is too long.", path);
	memcpy(partial, path, length + 1);
	for (size_t i = 1; i <= length; i++) {
		if (partial[i] != '/' && partial[i] != '\0')
			continue;
		partial[i] = '\0';
		if (mkdir(partial, 0777) != 0 && errno != EEXIST)
			return fail(out, "cannot create the directory %s: %s.", partial,
				strerror(errno));
		if (stat(partial, &status) != 0 || !S_ISDIR(status.st_mode))
			return fail(out, "%s is not a directory.", partial);
		partial[i] = path[i];
	}
	return 0;
}

static gen_file *add_file(gen_output *out, file_format format,
	csperf_record_type type, int year, const char *relative)
{
	gen_file *file = &out->files[out->nfiles++];

	file->format = format;
	file->type = type;
	file->collection_year = year;
	snprintf(file->relative, sizeof(file->relative), "%s", relative);
	snprintf(file->path, sizeof(file->path), "%s/%s", out->dir, relative);
	return file;
}

static int open_cin_file(gen_output *out, gen_file *file, int year)
{
	char text[32];

	file->xml = xmlNewTextWriterFilename(file->path, 0);
	if (file->xml == NULL)
		return fail(out, "cannot create %s.", file->path);
	if (xmlTextWriterSetIndent(file->xml, 1) < 0 ||
	    xmlTextWriterSetIndentString(file->xml, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(file->xml, "1.0", "UTF-8", NULL) < 0)
		file->xml_failed = true;
	xml_start(file, "Message");
	xml_start(file, "Header");
	xml_start(file, "CollectionDetails");
	xml_leaf(file, "Collection", "CIN");
	snprintf(text, sizeof(text), "%d", year);
	xml_leaf(file, "Year", text);
	snprintf(text, sizeof(text), "%d-03-31", year);
	xml_leaf(file, "ReferenceDate", text);
	xml_end(file);
	xml_start(file, "Source");
	xml_leaf(file, "SourceLevel", "L");
	xml_leaf(file, "LEA", out->window->council);
	xml_leaf(file, "SoftwareCode", "csperf-gen");
	xml_leaf(file, "Release", CSPERF_VERSION);
	xml_leaf(file, "SerialNo", "001");
	/* A fixed time, so that the same arguments give the same file. */
	snprintf(text, sizeof(text), "%d-05-15T09:00:00", year);
	xml_leaf(file, "DateTime", text);
	xml_end(file);
	xml_end(file);
	xml_start(file, "Children");
	if (file->xml_failed)
		return fail(out, "cannot write %s: libxml2 could not write the XML.",
			file->path);
	return 0;
}

static int open_files(gen_output *out)
{
	char relative[64];
	char directory[MAX_PATH + 64];
	formats_error err;

	for (int i = 0; i < out->nyears; i++) {
		int year = out->window->first_year + i;

		snprintf(directory, sizeof(directory), "%s/ssda903/%d", out->dir, year);
		if (make_directory(out, directory) != 0)
			return -1;
		for (int t = 0; t < SSDA903_TABLES; t++) {
			gen_file *file;

			snprintf(relative, sizeof(relative), "ssda903/%d/%s", year,
				ssda903_tables[t].file);
			file = add_file(out, FORMAT_SSDA903, ssda903_tables[t].type, year,
				relative);
			if (formats_ssda903_writer_open(&file->ssda903, file->path,
				    file->type, &err) != FORMATS_OK)
				return fail(out, "cannot create %s: %s.", file->path,
					err.message);
			out->ssda903[i][t] = file;
		}
	}
	snprintf(directory, sizeof(directory), "%s/cin", out->dir);
	if (make_directory(out, directory) != 0)
		return -1;
	for (int i = 0; i < out->nyears; i++) {
		int year = out->window->first_year + i;

		snprintf(relative, sizeof(relative), "cin/%d.xml", year);
		out->cin[i] = add_file(out, FORMAT_CIN_XML, 0, year, relative);
		if (open_cin_file(out, out->cin[i], year) != 0)
			return -1;
	}
	snprintf(directory, sizeof(directory), "%s/csv", out->dir);
	if (make_directory(out, directory) != 0)
		return -1;
	for (int i = 0; i < CSV_FILES; i++) {
		gen_file *file;

		snprintf(relative, sizeof(relative), "csv/%s.csv",
			csperf_record_type_name(csv_types[i]));
		file = add_file(out, FORMAT_CSV, csv_types[i], 0, relative);
		if (formats_csv_writer_open(&file->csv, file->path, file->type,
			    &err) != FORMATS_OK)
			return fail(out, "cannot create %s: %s.", file->path, err.message);
		out->csv[i] = file;
	}
	return 0;
}

int gen_output_open(gen_output **out, const char *dir, const gen_window *window,
	const gen_arguments *arguments, char *error, size_t error_size)
{
	gen_output *output = NULL;
	int nyears = window->last_year - window->first_year + 1;
	int status = -1;

	if (nyears < 1 || nyears > OUTPUT_MAX_YEARS) {
		snprintf(error, error_size, "csperf-gen writes 1 to %d years.",
			OUTPUT_MAX_YEARS);
		goto cleanup;
	}
	output = calloc(1, sizeof(*output));
	if (output == NULL) {
		snprintf(error, error_size, "out of memory.");
		goto cleanup;
	}
	output->window = window;
	output->arguments = *arguments;
	output->nyears = nyears;
	output->files = calloc((size_t)nyears * (SSDA903_TABLES + 1) + CSV_FILES,
		sizeof(*output->files));
	if (output->files == NULL) {
		snprintf(error, error_size, "out of memory.");
		goto cleanup;
	}
	if (strlen(dir) + 64 >= sizeof(output->dir)) {
		snprintf(error, error_size, "the --out path is too long.");
		goto cleanup;
	}
	snprintf(output->dir, sizeof(output->dir), "%s", dir);
	if (check_layouts(output) != 0 || make_directory(output, dir) != 0 ||
	    open_files(output) != 0) {
		snprintf(error, error_size, "%s", output->error);
		goto cleanup;
	}
	*out = output;
	output = NULL;
	status = 0;

cleanup:
	gen_output_free(output);
	return status;
}

static json_t *manifest_file_entry(const gen_file *file)
{
	static const char *const format_names[] = {
		[FORMAT_SSDA903] = "ssda903",
		[FORMAT_CIN_XML] = "cin-xml",
		[FORMAT_CSV] = "csv",
	};
	json_t *entry = json_object();
	json_t *records = json_object();

	if (file->format == FORMAT_CIN_XML) {
		for (size_t t = 0; t < COUNT_OF(cin_types); t++)
			json_object_set_new(records, csperf_record_type_name(cin_types[t]),
				json_integer((json_int_t)file->counts[cin_types[t]]));
	} else {
		json_object_set_new(records, csperf_record_type_name(file->type),
			json_integer((json_int_t)file->counts[file->type]));
	}
	json_object_set_new(entry, "path", json_string(file->relative));
	json_object_set_new(entry, "format", json_string(format_names[file->format]));
	if (file->collection_year != 0)
		json_object_set_new(entry, "collection_year",
			json_integer(file->collection_year));
	json_object_set_new(entry, "records", records);
	return entry;
}

static int write_manifest(gen_output *out)
{
	json_t *root = json_object();
	json_t *arguments = json_object();
	json_t *window = json_object();
	json_t *files = json_array();
	json_t *totals = json_object();
	uint64_t written[CSPERF_RECORD_TYPE_LAST + 1] = { 0 };
	char path[MAX_PATH + 32];
	char day[GEN_DAY_TEXT_SIZE];
	int status = -1;

	if (root == NULL || arguments == NULL || window == NULL || files == NULL ||
	    totals == NULL)
		goto cleanup;
	json_object_set_new(arguments, "council", json_string(out->arguments.council));
	json_object_set_new(arguments, "children",
		json_integer((json_int_t)out->arguments.children));
	json_object_set_new(arguments, "years", json_integer(out->arguments.years));
	json_object_set_new(arguments, "seed",
		json_integer((json_int_t)out->arguments.seed));
	json_object_set_new(arguments, "end_year",
		json_integer(out->arguments.end_year));
	/* Only a Welsh council's says: England's manifests stay as they were. */
	if (out->arguments.nation != NULL && strcmp(out->arguments.nation, "wales") == 0)
		json_object_set_new(arguments, "nation", json_string("wales"));
	gen_day_format(out->window->start, day);
	json_object_set_new(window, "start", json_string(day));
	gen_day_format(out->window->end, day);
	json_object_set_new(window, "end", json_string(day));
	json_object_set_new(window, "first_collection_year",
		json_integer(out->window->first_year));
	json_object_set_new(window, "last_collection_year",
		json_integer(out->window->last_year));

	for (size_t i = 0; i < out->nfiles; i++) {
		json_array_append_new(files, manifest_file_entry(&out->files[i]));
		for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++)
			written[type] += out->files[i].counts[type];
	}
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		json_t *total;

		if (written[type] == 0 && out->distinct[type] == 0)
			continue;
		total = json_object();
		json_object_set_new(total, "written", json_integer((json_int_t)written[type]));
		json_object_set_new(total, "distinct",
			json_integer((json_int_t)out->distinct[type]));
		json_object_set_new(totals, csperf_record_type_name(type), total);
	}

	json_object_set_new(root, "generator", json_string("csperf-gen " CSPERF_VERSION));
	json_object_set_new(root, "record_schema_version",
		json_integer(CSPERF_RECORD_SCHEMA_VERSION));
	json_object_set(root, "arguments", arguments);
	json_object_set(root, "window", window);
	json_object_set(root, "files", files);
	json_object_set(root, "totals", totals);
	snprintf(path, sizeof(path), "%s/manifest.json", out->dir);
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
		fail(out, "cannot write %s.", path);
		goto cleanup;
	}
	status = 0;

cleanup:
	if (status != 0 && out->error[0] == '\0')
		fail(out, "out of memory while writing the manifest.");
	json_decref(root);
	json_decref(arguments);
	json_decref(window);
	json_decref(files);
	json_decref(totals);
	return status;
}

static int close_file(gen_output *out, gen_file *file)
{
	formats_error err;
	int status = FORMATS_OK;

	if (file->ssda903 != NULL)
		status = formats_ssda903_writer_close(file->ssda903, &err);
	if (file->csv != NULL)
		status = formats_csv_writer_close(file->csv, &err);
	file->ssda903 = NULL;
	file->csv = NULL;
	if (status != FORMATS_OK)
		return fail(out, "cannot write %s: %s.", file->path, err.message);
	if (file->xml != NULL) {
		xml_end(file);
		xml_end(file);
		if (!file->xml_failed && xmlTextWriterEndDocument(file->xml) < 0)
			file->xml_failed = true;
		xmlFreeTextWriter(file->xml);
		file->xml = NULL;
		if (file->xml_failed)
			return fail(out, "cannot write %s: libxml2 could not write the XML.",
				file->path);
	}
	return 0;
}

int gen_output_finish(gen_output *out)
{
	int status = 0;

	for (size_t i = 0; i < out->nfiles; i++) {
		if (close_file(out, &out->files[i]) != 0)
			status = -1;
	}
	if (status != 0)
		return -1;
	return write_manifest(out);
}

void gen_output_free(gen_output *out)
{
	if (out == NULL)
		return;
	for (size_t i = 0; out->files != NULL && i < out->nfiles; i++) {
		gen_file *file = &out->files[i];

		formats_ssda903_writer_close(file->ssda903, NULL);
		formats_csv_writer_close(file->csv, NULL);
		if (file->xml != NULL)
			xmlFreeTextWriter(file->xml);
	}
	free(out->files);
	free(out);
}
