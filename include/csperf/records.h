/*
 * csperf/records.h: the kinds of record csperf loads.
 *
 * A record is one row of a council's extract, turned into csperf's form: its
 * type, plus one string value per field of the type's schema (ISO dates
 * "YYYY-MM-DD", booleans "true"/"false", money as a plain decimal "1234.56",
 * codes as in the official SSDA903 or CIN census lists, "" for absent). The
 * fields of each type, their kinds and their codes are listed in
 * docs/formats.md, which is also the documentation of the csperf CSV format.
 *
 * Every record that belongs to a child carries the council's child id as its
 * first field, `child_id`.
 */
#ifndef CSPERF_RECORDS_H
#define CSPERF_RECORDS_H

#ifdef __cplusplus
extern "C" {
#endif

/* The record types. The numbers are stable: they are sent over the wire and
 * stored, so they are never renumbered or reused; new types take new numbers.
 * The name of each (csperf_record_type_name) is given in brackets. */
typedef enum csperf_record_type {
	CSPERF_RECORD_CHILD = 1,                /* a child ("child") */
	CSPERF_RECORD_CONTACT = 2,              /* a contact at the front door ("contact") */
	CSPERF_RECORD_EARLY_HELP = 3,           /* an Early Help episode ("early_help") */
	CSPERF_RECORD_REFERRAL = 4,             /* a CIN episode, from its referral ("referral") */
	CSPERF_RECORD_ASSESSMENT = 5,           /* a children and families assessment ("assessment") */
	CSPERF_RECORD_CIN_PLAN = 6,             /* a child in need plan ("cin_plan") */
	CSPERF_RECORD_S47 = 7,                  /* a section 47 enquiry ("s47") */
	CSPERF_RECORD_CP_PLAN = 8,              /* a child protection plan ("cp_plan") */
	CSPERF_RECORD_CP_REVIEW = 9,            /* a review of a child protection plan ("cp_review") */
	CSPERF_RECORD_CP_VISIT = 10,            /* a visit to a child on a CP plan ("cp_visit") */
	CSPERF_RECORD_LA_EPISODE = 11,          /* an SSDA903 episode of care ("la_episode") */
	CSPERF_RECORD_LA_REVIEW = 12,           /* a looked-after review ("la_review") */
	CSPERF_RECORD_LA_VISIT = 13,            /* a statutory visit to a looked-after child ("la_visit") */
	CSPERF_RECORD_HEALTH = 14,              /* SSDA903 OC2 outcomes ("health") */
	CSPERF_RECORD_MISSING = 15,             /* a time missing or away from placement ("missing") */
	CSPERF_RECORD_CARE_LEAVER = 16,         /* SSDA903 OC3 care leaver information ("care_leaver") */
	CSPERF_RECORD_ADOPTION = 17,            /* SSDA903 AD1 adoption ("adoption") */
	CSPERF_RECORD_PLACED_FOR_ADOPTION = 18, /* a decision to place for adoption ("placed_for_adoption") */
	CSPERF_RECORD_PREVIOUS_PERMANENCE = 19, /* a permanence order before care ("previous_permanence") */
	CSPERF_RECORD_UASC = 20,                /* an unaccompanied asylum-seeking child ("uasc") */
	CSPERF_RECORD_PLACEMENT_COST = 21,      /* what a placement costs ("placement_cost") */
	CSPERF_RECORD_BUDGET = 22,              /* a placement budget line ("budget") */
	CSPERF_RECORD_REPORTED_FIGURE = 23,     /* a figure reported as is ("reported_figure") */
	CSPERF_RECORD_POPULATION = 24           /* a council's child population ("population") */
} csperf_record_type;

/* The highest record type number this version of the headers knows. Types
 * are numbered from 1 to this with no gaps. */
#define CSPERF_RECORD_TYPE_LAST CSPERF_RECORD_POPULATION

/* The version of the record schema (the fields of every type, in order) that
 * this SDK writes. A load says which it follows; csperfd refuses one that
 * differs from its own. Raised whenever a type gains a field. */
#define CSPERF_RECORD_SCHEMA_VERSION 3

/* The name of a record type, e.g. "la_episode" for CSPERF_RECORD_LA_EPISODE:
 * a static string, also the name of its csperf CSV file (la_episode.csv or
 * la_episodes.csv). NULL for a number that is not a record type. */
const char *csperf_record_type_name(csperf_record_type type);

/* The record type named `name` (exactly as csperf_record_type_name spells
 * it), or 0 if there is none. */
int csperf_record_type_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif
