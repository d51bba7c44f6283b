/*
 * common/schema.c: the record schemas, the official code lists they use, and
 * record validation.
 *
 * The code lists are those of the DfE's SSDA903 (children looked after) and
 * CIN census specifications, as the data-to-insight validators apply them
 * (csc-validator-be-903, csc-validator-be-cin). A few lists have no official
 * source (contact RAG rating, Early Help step up or down); their names say so
 * in docs/formats.md.
 */
#include "schema.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

#define REQUIRED true
#define OPTIONAL false

/* The longest child id: the CIN census allows 20 characters (rule 1570),
 * SSDA903 10. */
#define CHILD_ID_LENGTH 20

/* Codes lists are short: the longest, every assessment factor, is under 200. */
#define CODES_LENGTH 200

/* In a message, code lists longer than this show their first
 * MESSAGE_CODES_SHOWN codes and "...". */
#define MESSAGE_CODES_MAX 8
#define MESSAGE_CODES_SHOWN 6

#define CODE_LIST(list, label, ...) \
	static const char *const list##_codes[] = { __VA_ARGS__, NULL }; \
	static const csperf_code_list list = { label, list##_codes }

/* SSDA903 and CIN census, both; sex as from 2024 (M, F, U). */
CODE_LIST(sex, "sex", "M", "F", "U");
CODE_LIST(ethnicity, "ethnicity",
	"WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH",
	"AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH",
	"REFU", "NOBT");

/* CIN census. */
CODE_LIST(disability, "disability",
	"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH",
	"CON", "AUT", "DDA");
CODE_LIST(referral_source, "referral source",
	"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
	"4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10");
CODE_LIST(primary_need, "primary need",
	"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9");
CODE_LIST(closure_reason, "reason for closure",
	"RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9");
CODE_LIST(abuse_category, "category of abuse",
	"NEG", "PHY", "SAB", "EMO", "MUL");
CODE_LIST(assessment_factor, "assessment factor",
	"1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C",
	"5A", "5B", "5C", "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F",
	"9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18B",
	"18C", "19B", "19C", "20", "21", "22A", "23A", "24A");

/* SSDA903. */
CODE_LIST(new_episode_reason, "reason for new episode",
	"S", "P", "L", "T", "U", "B");
CODE_LIST(legal_status, "legal status",
	"C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2",
	"L3");
CODE_LIST(category_of_need, "category of need",
	"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8");
CODE_LIST(placement_type, "placement type",
	"A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1",
	"R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3",
	"U4", "U5", "U6", "Z1");
CODE_LIST(placement_provider, "placement provider",
	"PR0", "PR1", "PR2", "PR3", "PR4", "PR5");
CODE_LIST(episode_end_reason, "reason episode ceased",
	"E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46",
	"E47", "E48", "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17",
	"X1");
CODE_LIST(placement_location, "placement location",
	"IN", "OUT");
CODE_LIST(placement_change_reason, "reason for placement change",
	"CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD",
	"LAREQ", "PLACE", "CUSTOD", "OTHER");
CODE_LIST(review_participation, "review participation",
	"PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7");
CODE_LIST(sdq_reason, "reason for no SDQ score",
	"SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5");
CODE_LIST(missing_type, "missing or away",
	"M", "A");
CODE_LIST(care_leaver_in_touch, "in touch",
	"YES", "NO", "DIED", "REFU", "NREQ", "RHOM");
CODE_LIST(care_leaver_activity, "care leaver activity",
	"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0");
CODE_LIST(care_leaver_accommodation, "care leaver accommodation",
	"B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2",
	"K1", "K2", "R1", "R2", "S2", "T1", "T2", "U1", "U2", "V1", "V2", "W1",
	"W2", "X2", "Y1", "Y2", "Z1", "Z2", "0");
CODE_LIST(adopter_sex, "adopter sex",
	"M1", "F1", "MM", "FF", "MF");
CODE_LIST(adopter_legal_status, "adopter legal status",
	"L0", "L11", "L12", "L2", "L3", "L4");
CODE_LIST(placed_for_adoption_ceased_reason, "reason placed for adoption ceased",
	"RD1", "RD2", "RD3", "RD4");
CODE_LIST(previous_permanence_option, "previous permanence",
	"P1", "P2", "P3", "P4", "Z1");

/* csperf's own: no statutory return has these. */
CODE_LIST(rag_rating, "RAG rating", "RED", "AMBER", "GREEN");
CODE_LIST(social_care_step, "social care step", "UP", "DOWN");
/* What kind of placement a cost line pays for, and the budget line it is
 * charged to: a placement cost and a budget line match on this code. */
CODE_LIST(placement_category, "placement category",
	"in_house_foster", "agency_foster", "residential", "secure",
	"semi_independent", "other");

#define FIELD_TEXT(field_name, is_required, length, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_TEXT, \
	  .required = is_required, .max_length = length, .doc = description }
#define FIELD_DATE(field_name, is_required, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_DATE, \
	  .required = is_required, .doc = description }
#define FIELD_PARTIAL_DATE(field_name, is_required, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_PARTIAL_DATE, \
	  .required = is_required, .doc = description }
#define FIELD_CODE(field_name, is_required, list, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_CODE, \
	  .required = is_required, .codes = &list, .doc = description }
#define FIELD_CODES(field_name, is_required, list, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_CODES, \
	  .required = is_required, .codes = &list, \
	  .max_length = CODES_LENGTH, .doc = description }
#define FIELD_INT(field_name, is_required, min, max, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_INT, \
	  .required = is_required, .has_range = true, \
	  .min_value = min, .max_value = max, .doc = description }
#define FIELD_MONEY(field_name, is_required, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_DECIMAL, \
	  .required = is_required, .has_range = true, \
	  .min_value = 0, .max_value = 1e12, .doc = description }
#define FIELD_DECIMAL(field_name, is_required, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_DECIMAL, \
	  .required = is_required, .doc = description }
#define FIELD_BOOL(field_name, is_required, description) \
	{ .name = field_name, .kind = CSPERF_FIELD_BOOL, \
	  .required = is_required, .doc = description }

#define FIELD_CHILD_ID \
	FIELD_TEXT("child_id", REQUIRED, CHILD_ID_LENGTH, \
		"The council's id of the child (SSDA903 CHILD, CIN LAchildID).")
#define FIELD_REFERRAL_DATE \
	FIELD_DATE("referral_date", REQUIRED, \
		"The referral date of the CIN episode this belongs to.")

#define RULE_NOT_BEFORE(later, earlier) \
	{ .kind = CSPERF_RULE_NOT_BEFORE, .field = later, .other_field = earlier }
#define RULE_ONE_OF_REQUIRED(first, second) \
	{ .kind = CSPERF_RULE_ONE_OF_REQUIRED, .field = first, .other_field = second }

#define SCHEMA(record_type, type_name, field_table, rule_table, description) \
	{ .type = record_type, .name = type_name, \
	  .nfields = ARRAY_SIZE(field_table), .fields = field_table, \
	  .nrules = ARRAY_SIZE(rule_table), .rules = rule_table, \
	  .doc = description }
#define SCHEMA_NO_RULES(record_type, type_name, field_table, description) \
	{ .type = record_type, .name = type_name, \
	  .nfields = ARRAY_SIZE(field_table), .fields = field_table, \
	  .nrules = 0, .rules = NULL, .doc = description }

static const csperf_field child_fields[] = {
	FIELD_CHILD_ID,
	FIELD_CODE("sex", REQUIRED, sex,
		"M, F or U (SSDA903 SEX 1 and 2, CIN GenderCurrent 1, 2, 0 and 9 are read as M, F, U and U)."),
	FIELD_DATE("birth_date", OPTIONAL,
		"Date of birth; absent for an unborn child."),
	FIELD_DATE("expected_birth_date", OPTIONAL,
		"Expected date of birth of an unborn child."),
	FIELD_CODE("ethnicity", REQUIRED, ethnicity,
		"Ethnicity."),
	FIELD_CODES("disabilities", OPTIONAL, disability,
		"Disabilities recorded in the CIN census; NONE for none."),
};
static const csperf_field_rule child_rules[] = {
	RULE_ONE_OF_REQUIRED("birth_date", "expected_birth_date"),
};

static const csperf_field contact_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("contact_date", REQUIRED,
		"Date the contact was received."),
	FIELD_CODE("source", OPTIONAL, referral_source,
		"Who made the contact, as a CIN census referral source."),
	FIELD_TEXT("outcome", OPTIONAL, 100,
		"What the front door decided, in the council's words."),
	FIELD_DATE("decision_date", OPTIONAL,
		"Date of the front door (MASH) decision."),
	FIELD_CODE("rag_rating", OPTIONAL, rag_rating,
		"The RAG rating given at the decision."),
	FIELD_TEXT("team", OPTIONAL, 100,
		"The team that handled the contact."),
};
static const csperf_field_rule contact_rules[] = {
	RULE_NOT_BEFORE("decision_date", "contact_date"),
};

static const csperf_field early_help_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("start_date", REQUIRED,
		"Date the Early Help episode started."),
	FIELD_DATE("end_date", OPTIONAL,
		"Date it ended; absent while open."),
	FIELD_TEXT("team", OPTIONAL, 100,
		"The Early Help team."),
	FIELD_DATE("allocated_date", OPTIONAL,
		"Date a worker was allocated; absent while waiting."),
	FIELD_CODE("social_care_step", OPTIONAL, social_care_step,
		"UP: ended by stepping up to social care; DOWN: started by stepping down from it."),
};
static const csperf_field_rule early_help_rules[] = {
	RULE_NOT_BEFORE("end_date", "start_date"),
	RULE_NOT_BEFORE("allocated_date", "start_date"),
};

static const csperf_field referral_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("referral_date", REQUIRED,
		"Date of the referral that started the CIN episode (CINreferralDate)."),
	FIELD_CODE("referral_source", OPTIONAL, referral_source,
		"Who referred (ReferralSource)."),
	FIELD_CODE("primary_need", OPTIONAL, primary_need,
		"Primary need at assessment (PrimaryNeedCode)."),
	FIELD_BOOL("referral_nfa", REQUIRED,
		"Whether the referral led to no further action (ReferralNFA)."),
	FIELD_DATE("closure_date", OPTIONAL,
		"Date the CIN episode closed (CINclosureDate); absent while open."),
	FIELD_CODE("closure_reason", OPTIONAL, closure_reason,
		"Why it closed (ReasonForClosure)."),
	FIELD_DATE("initial_cpc_date", OPTIONAL,
		"Date of the episode's initial child protection conference (DateOfInitialCPC of CINdetails)."),
};
static const csperf_field_rule referral_rules[] = {
	RULE_NOT_BEFORE("closure_date", "referral_date"),
	RULE_NOT_BEFORE("initial_cpc_date", "referral_date"),
};

static const csperf_field assessment_fields[] = {
	FIELD_CHILD_ID,
	FIELD_REFERRAL_DATE,
	FIELD_DATE("start_date", REQUIRED,
		"Date the assessment started (AssessmentActualStartDate)."),
	FIELD_DATE("authorisation_date", OPTIONAL,
		"Date it was authorised, i.e. completed (AssessmentAuthorisationDate)."),
	FIELD_CODES("factors", OPTIONAL, assessment_factor,
		"Factors identified at the end of assessment (AssessmentFactors)."),
};
static const csperf_field_rule assessment_rules[] = {
	RULE_NOT_BEFORE("start_date", "referral_date"),
	RULE_NOT_BEFORE("authorisation_date", "start_date"),
};

static const csperf_field cin_plan_fields[] = {
	FIELD_CHILD_ID,
	FIELD_REFERRAL_DATE,
	FIELD_DATE("start_date", REQUIRED,
		"Date the child in need plan started (CINPlanStartDate)."),
	FIELD_DATE("end_date", OPTIONAL,
		"Date it ended (CINPlanEndDate); absent while open."),
};
static const csperf_field_rule cin_plan_rules[] = {
	RULE_NOT_BEFORE("start_date", "referral_date"),
	RULE_NOT_BEFORE("end_date", "start_date"),
};

static const csperf_field s47_fields[] = {
	FIELD_CHILD_ID,
	FIELD_REFERRAL_DATE,
	FIELD_DATE("start_date", REQUIRED,
		"Date the enquiry started, the strategy discussion (S47ActualStartDate)."),
	FIELD_DATE("icpc_target_date", OPTIONAL,
		"Date the initial child protection conference was due (InitialCPCtarget)."),
	FIELD_DATE("icpc_date", OPTIONAL,
		"Date the initial child protection conference was held (DateOfInitialCPC)."),
	FIELD_BOOL("icpc_not_required", OPTIONAL,
		"Whether the enquiry concluded that no conference was needed (ICPCnotRequired)."),
	FIELD_TEXT("outcome", OPTIONAL, 100,
		"The enquiry's outcome, in the council's words; not in the CIN census."),
};
static const csperf_field_rule s47_rules[] = {
	RULE_NOT_BEFORE("icpc_date", "referral_date"),
};

static const csperf_field cp_plan_fields[] = {
	FIELD_CHILD_ID,
	FIELD_REFERRAL_DATE,
	FIELD_DATE("start_date", REQUIRED,
		"Date the child protection plan started (CPPstartDate)."),
	FIELD_DATE("end_date", OPTIONAL,
		"Date it ended (CPPendDate); absent while open."),
	FIELD_CODE("initial_category", REQUIRED, abuse_category,
		"Category of abuse at the start (InitialCategoryOfAbuse)."),
	FIELD_CODE("latest_category", REQUIRED, abuse_category,
		"Latest category of abuse (LatestCategoryOfAbuse)."),
	FIELD_INT("previous_plans", OPTIONAL, 0, 99,
		"Number of previous CP plans of the child (NumberOfPreviousCPP)."),
};
static const csperf_field_rule cp_plan_rules[] = {
	RULE_NOT_BEFORE("start_date", "referral_date"),
	RULE_NOT_BEFORE("end_date", "start_date"),
};

static const csperf_field cp_review_fields[] = {
	FIELD_CHILD_ID,
	FIELD_REFERRAL_DATE,
	FIELD_DATE("plan_start_date", REQUIRED,
		"Start date of the CP plan reviewed (its CPPstartDate)."),
	FIELD_DATE("review_date", REQUIRED,
		"Date of the review conference (CPPreviewDate)."),
};
static const csperf_field_rule cp_review_rules[] = {
	RULE_NOT_BEFORE("review_date", "plan_start_date"),
};

static const csperf_field cp_visit_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("visit_date", REQUIRED,
		"Date a social worker saw the child on a CP plan."),
};

static const csperf_field la_episode_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("start_date", REQUIRED,
		"Date the episode started (DECOM)."),
	FIELD_CODE("new_episode_reason", REQUIRED, new_episode_reason,
		"Why a new episode started (RNE)."),
	FIELD_CODE("legal_status", REQUIRED, legal_status,
		"Legal status (LS)."),
	FIELD_CODE("category_of_need", REQUIRED, category_of_need,
		"Category of need (CIN)."),
	FIELD_CODE("placement_type", REQUIRED, placement_type,
		"Placement type (PLACE)."),
	FIELD_CODE("placement_provider", OPTIONAL, placement_provider,
		"Placement provider (PLACE_PROVIDER)."),
	FIELD_DATE("end_date", OPTIONAL,
		"Date the episode ceased (DEC); absent while open."),
	FIELD_CODE("end_reason", OPTIONAL, episode_end_reason,
		"Why the episode ceased (REC); X1 when a new episode follows at once."),
	FIELD_CODE("placement_change_reason", OPTIONAL, placement_change_reason,
		"Why the placement changed (REASON_PLACE_CHANGE)."),
	FIELD_TEXT("home_postcode", OPTIONAL, 8,
		"Postcode of the child's home, partial as SSDA903 allows (HOME_POST)."),
	FIELD_TEXT("placement_postcode", OPTIONAL, 8,
		"Postcode of the placement, partial as SSDA903 allows (PL_POST)."),
	FIELD_TEXT("urn", OPTIONAL, 8,
		"Ofsted unique reference number of the placement (URN)."),
	/* Added by record schema version 3: fields only ever go at the end. */
	{ .name = "placement_location", .kind = CSPERF_FIELD_CODE, .required = OPTIONAL,
	  .codes = &placement_location, .since = 3,
	  .doc = "Whether the placement is inside (IN) or outside (OUT) the council's boundary (PL_LOCATION)." },
	{ .name = "placement_la", .kind = CSPERF_FIELD_TEXT, .required = OPTIONAL,
	  .max_length = 9, .since = 3,
	  .doc = "The local authority the child is placed in (PL_LA)." },
};
static const csperf_field_rule la_episode_rules[] = {
	RULE_NOT_BEFORE("end_date", "start_date"),
};

static const csperf_field la_review_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("review_date", REQUIRED,
		"Date of the looked-after review (REVIEW)."),
	FIELD_CODE("participation", REQUIRED, review_participation,
		"How the child took part (REVIEW_CODE)."),
};

static const csperf_field la_visit_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("visit_date", REQUIRED,
		"Date of a statutory visit to the looked-after child."),
};

static const csperf_field health_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("as_at_date", REQUIRED,
		"The date the figures refer to: the end of the SSDA903 collection year, 31 March."),
	FIELD_INT("sdq_score", OPTIONAL, 0, 40,
		"Strengths and difficulties questionnaire score (SDQ_SCORE)."),
	FIELD_CODE("sdq_reason", OPTIONAL, sdq_reason,
		"Why there is no SDQ score (SDQ_REASON)."),
	FIELD_BOOL("convicted", OPTIONAL,
		"Convicted or subject to a youth caution in the year (CONVICTED)."),
	FIELD_BOOL("health_check", OPTIONAL,
		"Health assessment up to date (HEALTH_CHECK)."),
	FIELD_BOOL("immunisations", OPTIONAL,
		"Immunisations up to date (IMMUNISATIONS)."),
	FIELD_BOOL("teeth_check", OPTIONAL,
		"Teeth checked by a dentist in the year (TEETH_CHECK)."),
	FIELD_BOOL("health_assessment", OPTIONAL,
		"Annual health assessment done (HEALTH_ASSESSMENT)."),
	FIELD_BOOL("substance_misuse", OPTIONAL,
		"Identified as having a substance misuse problem (SUBSTANCE_MISUSE)."),
	FIELD_BOOL("intervention_received", OPTIONAL,
		"Received an intervention for it (INTERVENTION_RECEIVED)."),
	FIELD_BOOL("intervention_offered", OPTIONAL,
		"Offered an intervention but refused it (INTERVENTION_OFFERED)."),
};

static const csperf_field missing_fields[] = {
	FIELD_CHILD_ID,
	FIELD_CODE("missing_type", REQUIRED, missing_type,
		"M: missing from placement; A: away from placement without authorisation (MISSING)."),
	FIELD_DATE("start_date", REQUIRED,
		"Date the child went missing or away (MIS_START)."),
	FIELD_DATE("end_date", OPTIONAL,
		"Date the child came back (MIS_END)."),
};
static const csperf_field_rule missing_rules[] = {
	RULE_NOT_BEFORE("end_date", "start_date"),
};

static const csperf_field care_leaver_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("as_at_date", REQUIRED,
		"The date the information refers to: the end of the SSDA903 collection year, 31 March."),
	FIELD_CODE("in_touch", REQUIRED, care_leaver_in_touch,
		"Whether the council is in touch with the care leaver (IN_TOUCH)."),
	FIELD_CODE("activity", REQUIRED, care_leaver_activity,
		"Main activity: education, training or employment (ACTIV)."),
	FIELD_CODE("accommodation", REQUIRED, care_leaver_accommodation,
		"Accommodation and whether it is suitable (ACCOM)."),
};

static const char *check_adopter_count(const char *sex_code, const char *count);

static const csperf_field adoption_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("decision_date", REQUIRED,
		"Date of the decision that the child should be placed for adoption (DATE_INT)."),
	FIELD_DATE("match_date", OPTIONAL,
		"Date the child was matched with the adopters (DATE_MATCH)."),
	FIELD_BOOL("foster_carer_adoption", OPTIONAL,
		"Adopted by a former foster carer (FOSTER_CARE)."),
	FIELD_INT("adopter_count", OPTIONAL, 1, 2,
		"Number of adopters (NB_ADOPTR)."),
	FIELD_CODE("adopter_sex", OPTIONAL, adopter_sex,
		"Sex of the adopter or adopters (SEX_ADOPTR)."),
	FIELD_CODE("adopter_legal_status", OPTIONAL, adopter_legal_status,
		"Legal status of the adopters (LS_ADOPTR)."),
};
static const csperf_field_rule adoption_rules[] = {
	RULE_NOT_BEFORE("match_date", "decision_date"),
	{ .kind = CSPERF_RULE_CONSISTENT, .field = "adopter_sex",
	  .other_field = "adopter_count", .check = check_adopter_count },
};

static const csperf_field placed_for_adoption_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("decision_date", REQUIRED,
		"Date of the decision that the child should be placed for adoption (DATE_PLACED)."),
	FIELD_DATE("ceased_date", OPTIONAL,
		"Date of the decision that the child should no longer be placed for adoption (DATE_PLACED_CEASED)."),
	FIELD_CODE("ceased_reason", OPTIONAL, placed_for_adoption_ceased_reason,
		"Why that decision was reversed (REASON_PLACED_CEASED)."),
};
static const csperf_field_rule placed_for_adoption_rules[] = {
	RULE_NOT_BEFORE("ceased_date", "decision_date"),
};

static const csperf_field previous_permanence_fields[] = {
	FIELD_CHILD_ID,
	FIELD_CODE("previous_permanence", REQUIRED, previous_permanence_option,
		"The permanence order the child had before this period of care; Z1 for none (PREV_PERM)."),
	FIELD_TEXT("la_code", OPTIONAL, 3,
		"Code of the council that arranged it (LA_PERM)."),
	FIELD_PARTIAL_DATE("order_date", OPTIONAL,
		"Date of the order, as much of it as is known (DATE_PERM)."),
};

static const csperf_field uasc_fields[] = {
	FIELD_CHILD_ID,
	FIELD_DATE("ceased_date", REQUIRED,
		"Date the child ceased, or will cease, to be an unaccompanied asylum-seeking child (DUC)."),
};

static const csperf_field placement_cost_fields[] = {
	FIELD_CHILD_ID,
	FIELD_TEXT("placement_ref", OPTIONAL, 50,
		"The finance system's reference of the placement."),
	FIELD_DATE("episode_start_date", OPTIONAL,
		"Start date of the la_episode the placement belongs to."),
	FIELD_CODE("provider", REQUIRED, placement_provider,
		"Who provides the placement, as SSDA903 PLACE_PROVIDER."),
	FIELD_MONEY("weekly_cost", REQUIRED,
		"Cost per week, in pounds."),
	FIELD_DATE("start_date", REQUIRED,
		"First day this cost applies."),
	FIELD_DATE("end_date", OPTIONAL,
		"Last day this cost applies; absent while it still does."),
	FIELD_MONEY("health_contribution", OPTIONAL,
		"Weekly contribution from health, in pounds."),
	FIELD_MONEY("education_contribution", OPTIONAL,
		"Weekly contribution from education, in pounds."),
	/* Added by record schema version 2: fields only ever go at the end. */
	{ .name = "placement_category", .kind = CSPERF_FIELD_CODE, .required = OPTIONAL,
	  .codes = &placement_category, .since = 2,
	  .doc = "The kind of placement, and the budget line (a budget's placement_category) it is charged to." },
	{ .name = "locality", .kind = CSPERF_FIELD_TEXT, .required = OPTIONAL,
	  .max_length = 64, .since = 2,
	  .doc = "The council's locality the placement is managed in, named as tokens name localities." },
};
static const csperf_field_rule placement_cost_rules[] = {
	RULE_NOT_BEFORE("end_date", "start_date"),
};

static const csperf_field budget_fields[] = {
	FIELD_INT("financial_year", REQUIRED, 2000, 2100,
		"The year the financial year starts: 2024 for April 2024 to March 2025."),
	FIELD_CODE("placement_category", REQUIRED, placement_category,
		"The budget line: the placement category whose costs it pays for."),
	FIELD_MONEY("amount", REQUIRED,
		"The budget for the year, in pounds."),
};

static const csperf_field reported_figure_fields[] = {
	FIELD_TEXT("indicator_id", REQUIRED, 20,
		"The indicator reported, e.g. WF01."),
	FIELD_TEXT("org_unit", REQUIRED, 100,
		"The council, service or team the figure is for."),
	FIELD_DATE("period_start", REQUIRED,
		"First day of the period reported."),
	FIELD_DATE("period_end", REQUIRED,
		"Last day of the period reported."),
	FIELD_DECIMAL("value", REQUIRED,
		"The figure, in the indicator's unit."),
};
static const csperf_field_rule reported_figure_rules[] = {
	RULE_NOT_BEFORE("period_end", "period_start"),
};

static const csperf_field population_fields[] = {
	FIELD_INT("year", REQUIRED, 1990, 2100,
		"The year of the mid-year estimate."),
	FIELD_INT("under_18_estimate", REQUIRED, 0, 10000000,
		"Estimated number of children aged 0 to 17."),
};

/* Indexed by record type: schemas[type - 1] is the schema of `type`. */
static const csperf_record_schema schemas[] = {
	SCHEMA(CSPERF_RECORD_CHILD, "child", child_fields, child_rules,
		"A child known to children's services."),
	SCHEMA(CSPERF_RECORD_CONTACT, "contact", contact_fields, contact_rules,
		"A contact received at the front door (MASH)."),
	SCHEMA(CSPERF_RECORD_EARLY_HELP, "early_help", early_help_fields,
		early_help_rules, "An Early Help episode."),
	SCHEMA(CSPERF_RECORD_REFERRAL, "referral", referral_fields,
		referral_rules, "A CIN episode, from its referral: CIN census CINdetails."),
	SCHEMA(CSPERF_RECORD_ASSESSMENT, "assessment", assessment_fields,
		assessment_rules, "A children and families assessment: CIN census Assessments."),
	SCHEMA(CSPERF_RECORD_CIN_PLAN, "cin_plan", cin_plan_fields,
		cin_plan_rules, "A child in need plan: CIN census CINPlanDates."),
	SCHEMA(CSPERF_RECORD_S47, "s47", s47_fields, s47_rules,
		"A section 47 enquiry: CIN census Section47."),
	SCHEMA(CSPERF_RECORD_CP_PLAN, "cp_plan", cp_plan_fields, cp_plan_rules,
		"A child protection plan: CIN census ChildProtectionPlans."),
	SCHEMA(CSPERF_RECORD_CP_REVIEW, "cp_review", cp_review_fields,
		cp_review_rules, "A review of a child protection plan: CIN census CPPreviewDate."),
	SCHEMA_NO_RULES(CSPERF_RECORD_CP_VISIT, "cp_visit", cp_visit_fields,
		"A visit to a child on a child protection plan."),
	SCHEMA(CSPERF_RECORD_LA_EPISODE, "la_episode", la_episode_fields,
		la_episode_rules, "An episode of care: one row of SSDA903 episodes."),
	SCHEMA_NO_RULES(CSPERF_RECORD_LA_REVIEW, "la_review", la_review_fields,
		"A looked-after review: one row of SSDA903 reviews."),
	SCHEMA_NO_RULES(CSPERF_RECORD_LA_VISIT, "la_visit", la_visit_fields,
		"A statutory visit to a looked-after child."),
	SCHEMA_NO_RULES(CSPERF_RECORD_HEALTH, "health", health_fields,
		"Health and offending outcomes of a child looked after for a year: SSDA903 OC2."),
	SCHEMA(CSPERF_RECORD_MISSING, "missing", missing_fields, missing_rules,
		"A time missing or away from placement: SSDA903 missing."),
	SCHEMA_NO_RULES(CSPERF_RECORD_CARE_LEAVER, "care_leaver",
		care_leaver_fields, "What a care leaver is doing: SSDA903 OC3."),
	SCHEMA(CSPERF_RECORD_ADOPTION, "adoption", adoption_fields,
		adoption_rules, "An adoption: SSDA903 AD1."),
	SCHEMA(CSPERF_RECORD_PLACED_FOR_ADOPTION, "placed_for_adoption",
		placed_for_adoption_fields, placed_for_adoption_rules,
		"A decision that the child should be placed for adoption: SSDA903 placed for adoption."),
	SCHEMA_NO_RULES(CSPERF_RECORD_PREVIOUS_PERMANENCE, "previous_permanence",
		previous_permanence_fields,
		"The permanence the child had before care: SSDA903 previous permanence."),
	SCHEMA_NO_RULES(CSPERF_RECORD_UASC, "uasc", uasc_fields,
		"An unaccompanied asylum-seeking child: SSDA903 UASC."),
	SCHEMA(CSPERF_RECORD_PLACEMENT_COST, "placement_cost",
		placement_cost_fields, placement_cost_rules,
		"What a placement costs, from the council's finance system."),
	SCHEMA_NO_RULES(CSPERF_RECORD_BUDGET, "budget", budget_fields,
		"A placement budget line for a financial year."),
	SCHEMA(CSPERF_RECORD_REPORTED_FIGURE, "reported_figure",
		reported_figure_fields, reported_figure_rules,
		"A figure the council reports as is (workforce, youth justice)."),
	SCHEMA_NO_RULES(CSPERF_RECORD_POPULATION, "population", population_fields,
		"The loading council's estimated population under 18."),
};

_Static_assert(ARRAY_SIZE(schemas) == CSPERF_RECORD_TYPE_LAST,
	"one schema per record type");

const csperf_record_schema *csperf_schema_by_type(csperf_record_type type)
{
	if ((int)type < 1 || (int)type > (int)ARRAY_SIZE(schemas))
		return NULL;
	return &schemas[type - 1];
}

const csperf_record_schema *csperf_schema_by_name(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(schemas); i++) {
		if (strcmp(schemas[i].name, name) == 0)
			return &schemas[i];
	}
	return NULL;
}

const char *csperf_record_type_name(csperf_record_type type)
{
	const csperf_record_schema *schema = csperf_schema_by_type(type);

	return schema != NULL ? schema->name : NULL;
}

int csperf_record_type_from_name(const char *name)
{
	const csperf_record_schema *schema = csperf_schema_by_name(name);

	return schema != NULL ? (int)schema->type : 0;
}

int csperf_schema_field_index(const csperf_record_schema *schema,
	const char *name)
{
	for (size_t i = 0; i < schema->nfields; i++) {
		if (strcmp(schema->fields[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

const char *csperf_field_kind_name(csperf_field_kind kind)
{
	switch (kind) {
	case CSPERF_FIELD_TEXT: return "text";
	case CSPERF_FIELD_DATE: return "date";
	case CSPERF_FIELD_PARTIAL_DATE: return "partial_date";
	case CSPERF_FIELD_CODE: return "code";
	case CSPERF_FIELD_CODES: return "codes";
	case CSPERF_FIELD_INT: return "int";
	case CSPERF_FIELD_DECIMAL: return "decimal";
	case CSPERF_FIELD_BOOL: return "bool";
	}
	return "unknown";
}

bool csperf_code_list_contains(const csperf_code_list *list, const char *code)
{
	for (const char *const *candidate = list->codes; *candidate != NULL;
	     candidate++) {
		if (strcmp(*candidate, code) == 0)
			return true;
	}
	return false;
}

/* An adopters' sex code says how many adopters there are: M1 and F1 one,
 * MM, FF and MF two. */
static const char *check_adopter_count(const char *sex_code, const char *count)
{
	bool one_adopter = strcmp(sex_code, "M1") == 0 ||
		strcmp(sex_code, "F1") == 0;

	if (strcmp(count, "1") == 0 && !one_adopter)
		return "MM, FF and MF are for two adopters";
	if (strcmp(count, "2") == 0 && one_adopter)
		return "M1 and F1 are for one adopter";
	return NULL;
}

/* Copies src into a fixed-size array, cut short to fit. */
#define COPY_INTO(array, src) copy_string((array), sizeof(array), (src))

static void copy_string(char *dest, size_t size, const char *src)
{
	size_t length = strlen(src);

	if (length >= size)
		length = size - 1;
	memcpy(dest, src, length);
	dest[length] = '\0';
}

/* Counts the characters of UTF-8 text; returns -1 if it is not well-formed
 * UTF-8 or has a control character. */
static long utf8_text_length(const char *text)
{
	const unsigned char *cursor = (const unsigned char *)text;
	long characters = 0;

	while (*cursor != '\0') {
		unsigned char lead = *cursor;
		int continuation;
		uint32_t code_point;

		if (lead < 0x80) {
			if (lead < 0x20 || lead == 0x7f)
				return -1;
			cursor++;
			characters++;
			continue;
		}
		if (lead >= 0xc2 && lead <= 0xdf) {
			continuation = 1;
			code_point = lead & 0x1f;
		} else if (lead >= 0xe0 && lead <= 0xef) {
			continuation = 2;
			code_point = lead & 0x0f;
		} else if (lead >= 0xf0 && lead <= 0xf4) {
			continuation = 3;
			code_point = lead & 0x07;
		} else {
			return -1;
		}
		for (int i = 1; i <= continuation; i++) {
			if ((cursor[i] & 0xc0) != 0x80)
				return -1;
			code_point = (code_point << 6) | (cursor[i] & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF. */
		if ((continuation == 2 && code_point < 0x800) ||
		    (continuation == 3 && code_point < 0x10000) ||
		    (code_point >= 0xd800 && code_point <= 0xdfff) ||
		    code_point > 0x10ffff)
			return -1;
		if (code_point >= 0x80 && code_point < 0xa0)
			return -1;
		cursor += continuation + 1;
		characters++;
	}
	return characters;
}

/* Whether text is "-"? then 1 to max_digits digits; moves *end past them. */
static bool scan_digits(const char **cursor, size_t max_digits)
{
	size_t ndigits = 0;

	while (**cursor >= '0' && **cursor <= '9') {
		(*cursor)++;
		ndigits++;
	}
	return ndigits >= 1 && ndigits <= max_digits;
}

static bool is_int(const char *text)
{
	const char *cursor = text;

	if (*cursor == '-')
		cursor++;
	return scan_digits(&cursor, 15) && *cursor == '\0';
}

static bool is_decimal(const char *text)
{
	const char *cursor = text;

	if (*cursor == '-')
		cursor++;
	if (!scan_digits(&cursor, 15))
		return false;
	if (*cursor == '.') {
		cursor++;
		if (!scan_digits(&cursor, 6))
			return false;
	}
	return *cursor == '\0';
}

static bool is_partial_date(const char *text)
{
	int32_t day_number;
	size_t length = strlen(text);
	char full_date[CSPERF_DATE_ISO_SIZE];

	if (length == 4) {
		snprintf(full_date, sizeof(full_date), "%s-01-01", text);
		return csperf_date_parse_iso(full_date, &day_number) == 0;
	}
	if (length == 7) {
		snprintf(full_date, sizeof(full_date), "%s-01", text);
		return csperf_date_parse_iso(full_date, &day_number) == 0;
	}
	return csperf_date_parse_iso(text, &day_number) == 0;
}

/* Checks a codes value: codes of the list, single spaces, none twice. The
 * offending code goes into detail. */
static csperf_validation_code check_codes(const csperf_code_list *list,
	const char *text, char *detail, size_t detail_size)
{
	const char *start = text;

	for (;;) {
		const char *end = strchr(start, ' ');
		size_t length = end != NULL ? (size_t)(end - start) : strlen(start);
		char code[32];

		if (length == 0) {
			copy_string(detail, detail_size, "");
			return CSPERF_VALIDATION_CODE;
		}
		/* No code is this long: cut it short, the list will not have it. */
		if (length >= sizeof(code))
			length = sizeof(code) - 1;
		memcpy(code, start, length);
		code[length] = '\0';
		if (!csperf_code_list_contains(list, code)) {
			copy_string(detail, detail_size, code);
			return CSPERF_VALIDATION_CODE;
		}
		for (const char *earlier = strstr(text, code);
		     earlier != NULL && earlier < start;
		     earlier = strstr(earlier + 1, code)) {
			bool starts_code = earlier == text || earlier[-1] == ' ';
			bool ends_code = earlier[length] == ' ' ||
				earlier[length] == '\0';

			if (starts_code && ends_code) {
				copy_string(detail, detail_size, code);
				return CSPERF_VALIDATION_DUPLICATE;
			}
		}
		if (end == NULL)
			return CSPERF_VALIDATION_OK;
		start = end + 1;
	}
}

/* Checks one present value against its field. */
static csperf_validation_code check_value(const csperf_field *field,
	const char *value, char *detail, size_t detail_size)
{
	int32_t day_number;
	long length;

	switch (field->kind) {
	case CSPERF_FIELD_TEXT:
		length = utf8_text_length(value);
		if (length < 0)
			return CSPERF_VALIDATION_TEXT;
		if (field->max_length > 0 && (size_t)length > field->max_length)
			return CSPERF_VALIDATION_LENGTH;
		return CSPERF_VALIDATION_OK;
	case CSPERF_FIELD_DATE:
		if (csperf_date_parse_iso(value, &day_number) != 0)
			return CSPERF_VALIDATION_DATE;
		return CSPERF_VALIDATION_OK;
	case CSPERF_FIELD_PARTIAL_DATE:
		if (!is_partial_date(value))
			return CSPERF_VALIDATION_DATE;
		return CSPERF_VALIDATION_OK;
	case CSPERF_FIELD_CODE:
		if (!csperf_code_list_contains(field->codes, value))
			return CSPERF_VALIDATION_CODE;
		return CSPERF_VALIDATION_OK;
	case CSPERF_FIELD_CODES:
		if (field->max_length > 0 && strlen(value) > field->max_length)
			return CSPERF_VALIDATION_LENGTH;
		return check_codes(field->codes, value, detail, detail_size);
	case CSPERF_FIELD_INT:
		if (!is_int(value))
			return CSPERF_VALIDATION_INT;
		break;
	case CSPERF_FIELD_DECIMAL:
		if (!is_decimal(value))
			return CSPERF_VALIDATION_DECIMAL;
		break;
	case CSPERF_FIELD_BOOL:
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return CSPERF_VALIDATION_BOOL;
		return CSPERF_VALIDATION_OK;
	}
	if (field->has_range) {
		double number = strtod(value, NULL);

		if (number < field->min_value || number > field->max_value)
			return CSPERF_VALIDATION_RANGE;
	}
	return CSPERF_VALIDATION_OK;
}

static const char *value_or_empty(const char *const *values, int index)
{
	return values[index] != NULL ? values[index] : "";
}

/* Checks one cross-field rule; fields already hold valid values. */
static csperf_validation_code check_rule(const csperf_record_schema *schema,
	const csperf_field_rule *rule, const char *const *values,
	int *field, int *other_field, const char **explanation)
{
	const char *value, *other_value;
	int32_t day, other_day;

	*field = csperf_schema_field_index(schema, rule->field);
	*other_field = csperf_schema_field_index(schema, rule->other_field);
	value = value_or_empty(values, *field);
	other_value = value_or_empty(values, *other_field);

	switch (rule->kind) {
	case CSPERF_RULE_NOT_BEFORE:
		if (*value == '\0' || *other_value == '\0')
			return CSPERF_VALIDATION_OK;
		csperf_date_parse_iso(value, &day);
		csperf_date_parse_iso(other_value, &other_day);
		return day < other_day ? CSPERF_VALIDATION_BEFORE :
			CSPERF_VALIDATION_OK;
	case CSPERF_RULE_ONE_OF_REQUIRED:
		return *value == '\0' && *other_value == '\0' ?
			CSPERF_VALIDATION_ONE_OF : CSPERF_VALIDATION_OK;
	case CSPERF_RULE_CONSISTENT:
		if (*value == '\0' || *other_value == '\0')
			return CSPERF_VALIDATION_OK;
		*explanation = rule->check(value, other_value);
		return *explanation != NULL ? CSPERF_VALIDATION_INCONSISTENT :
			CSPERF_VALIDATION_OK;
	}
	return CSPERF_VALIDATION_OK;
}

/* Fills *err (when there is one) with a fault and its reason. */
static int fail(const csperf_record_schema *schema, const char *const *values,
	csperf_validation_error *err, csperf_validation_code code, int field,
	int other_field, const char *detail)
{
	if (err == NULL)
		return -1;
	err->code = code;
	err->field = field;
	err->other_field = other_field;
	COPY_INTO(err->value, field >= 0 ? value_or_empty(values, field) : "");
	COPY_INTO(err->other_value,
		other_field >= 0 ? value_or_empty(values, other_field) : "");
	COPY_INTO(err->detail, detail);
	csperf_validation_describe(schema, err, NULL, err->reason,
		sizeof(err->reason));
	return -1;
}

int csperf_record_validate(const csperf_record_schema *schema,
	const char *const *values, size_t nvalues, csperf_validation_error *err)
{
	if (nvalues != schema->nfields) {
		if (err != NULL) {
			err->code = CSPERF_VALIDATION_COUNT;
			err->field = -1;
			err->other_field = -1;
			snprintf(err->value, sizeof(err->value), "%zu", nvalues);
			err->other_value[0] = '\0';
			err->detail[0] = '\0';
			csperf_validation_describe(schema, err, NULL,
				err->reason, sizeof(err->reason));
		}
		return -1;
	}

	for (size_t i = 0; i < schema->nfields; i++) {
		const csperf_field *field = &schema->fields[i];
		const char *value = value_or_empty(values, (int)i);
		char detail[sizeof(err->detail)] = "";
		csperf_validation_code code;

		if (*value == '\0') {
			if (field->required)
				return fail(schema, values, err,
					CSPERF_VALIDATION_REQUIRED, (int)i, -1, "");
			continue;
		}
		code = check_value(field, value, detail, sizeof(detail));
		if (code != CSPERF_VALIDATION_OK)
			return fail(schema, values, err, code, (int)i, -1, detail);
	}

	for (size_t i = 0; i < schema->nrules; i++) {
		const char *explanation = "";
		int field, other_field;
		csperf_validation_code code = check_rule(schema, &schema->rules[i],
			values, &field, &other_field, &explanation);

		if (code != CSPERF_VALIDATION_OK)
			return fail(schema, values, err, code, field, other_field,
				explanation);
	}
	return 0;
}

/* A bounded string builder that counts what it could not fit, so that the
 * caller learns the full length, as snprintf reports it. */
typedef struct text_builder {
	char *buf;
	size_t size;
	size_t length;
} text_builder;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void text_append(text_builder *builder, const char *format, ...)
{
	va_list args;
	size_t room = builder->length < builder->size ?
		builder->size - builder->length : 0;
	int written;

	va_start(args, format);
	written = vsnprintf(room > 0 ? builder->buf + builder->length : NULL,
		room, format, args);
	va_end(args);
	if (written > 0)
		builder->length += (size_t)written;
}

/* Appends a value, with control characters shown as '?' so that a message
 * stays on one line. */
static void text_append_value(text_builder *builder, const char *value)
{
	for (const char *cursor = value; *cursor != '\0'; cursor++) {
		unsigned char byte = (unsigned char)*cursor;

		text_append(builder, "%c",
			byte < 0x20 || byte == 0x7f ? '?' : (char)byte);
	}
}

static void text_append_code_list(text_builder *builder,
	const csperf_code_list *list)
{
	size_t ncodes = 0;
	size_t shown;

	while (list->codes[ncodes] != NULL)
		ncodes++;
	shown = ncodes > MESSAGE_CODES_MAX ? MESSAGE_CODES_SHOWN : ncodes;
	text_append(builder, "(");
	for (size_t i = 0; i < shown; i++)
		text_append(builder, "%s%s", i > 0 ? ", " : "", list->codes[i]);
	text_append(builder, "%s)", shown < ncodes ? ", ..." : "");
}

/* "a legal status", "an ethnicity". */
static const char *article_for(const char *noun)
{
	return strchr("aeiouAEIOU", noun[0]) != NULL ? "an" : "a";
}

size_t csperf_validation_describe(const csperf_record_schema *schema,
	const csperf_validation_error *err, const char *const *field_names,
	char *buf, size_t size)
{
	text_builder builder = { buf, size, 0 };
	const csperf_field *field = err->field >= 0 ?
		&schema->fields[err->field] : NULL;
	const char *name = "", *other_name = "";

	if (size > 0)
		buf[0] = '\0';
	if (field != NULL)
		name = field_names != NULL && field_names[err->field] != NULL ?
			field_names[err->field] : field->name;
	if (err->other_field >= 0)
		other_name = field_names != NULL &&
			field_names[err->other_field] != NULL ?
			field_names[err->other_field] :
			schema->fields[err->other_field].name;

	if (err->code == CSPERF_VALIDATION_COUNT) {
		text_append(&builder, "a %s record has %zu fields, not %s",
			schema->name, schema->nfields, err->value);
		return builder.length;
	}
	if (err->code == CSPERF_VALIDATION_REQUIRED) {
		text_append(&builder, "%s is required", name);
		return builder.length;
	}
	if (err->code == CSPERF_VALIDATION_ONE_OF) {
		text_append(&builder, "%s or %s is required", name, other_name);
		return builder.length;
	}

	text_append(&builder, "%s ", name);
	text_append_value(&builder, err->value);
	switch (err->code) {
	case CSPERF_VALIDATION_TEXT:
		text_append(&builder,
			" is not plain text (a control character, or not UTF-8)");
		break;
	case CSPERF_VALIDATION_LENGTH:
		text_append(&builder, " is longer than %zu characters",
			field->max_length);
		break;
	case CSPERF_VALIDATION_DATE:
		if (field->kind == CSPERF_FIELD_PARTIAL_DATE)
			text_append(&builder,
				" is not a date, a year and month, or a year");
		else
			text_append(&builder, " is not a date");
		break;
	case CSPERF_VALIDATION_CODE:
		if (field->kind == CSPERF_FIELD_CODES && err->detail[0] != '\0') {
			text_append(&builder, " has ");
			text_append_value(&builder, err->detail);
			text_append(&builder, ", which is not %s %s code ",
				article_for(field->codes->name), field->codes->name);
		} else if (field->kind == CSPERF_FIELD_CODES) {
			text_append(&builder,
				" is not %s codes separated by single spaces ",
				field->codes->name);
		} else {
			text_append(&builder, " is not %s %s code ",
				article_for(field->codes->name), field->codes->name);
		}
		text_append_code_list(&builder, field->codes);
		break;
	case CSPERF_VALIDATION_DUPLICATE:
		text_append(&builder, " has %s twice", err->detail);
		break;
	case CSPERF_VALIDATION_INT:
		text_append(&builder, " is not a whole number");
		break;
	case CSPERF_VALIDATION_DECIMAL:
		text_append(&builder, " is not a decimal number like 1234.56");
		break;
	case CSPERF_VALIDATION_BOOL:
		text_append(&builder, " is not true or false");
		break;
	case CSPERF_VALIDATION_RANGE:
		text_append(&builder, " is not between %.15g and %.15g",
			field->min_value, field->max_value);
		break;
	case CSPERF_VALIDATION_BEFORE:
		text_append(&builder, " is before %s ", other_name);
		text_append_value(&builder, err->other_value);
		break;
	case CSPERF_VALIDATION_INCONSISTENT:
		text_append(&builder, " does not go with %s ", other_name);
		text_append_value(&builder, err->other_value);
		text_append(&builder, ": %s", err->detail);
		break;
	case CSPERF_VALIDATION_OK:
	case CSPERF_VALIDATION_COUNT:
	case CSPERF_VALIDATION_REQUIRED:
	case CSPERF_VALIDATION_ONE_OF:
		break;
	}
	return builder.length;
}
