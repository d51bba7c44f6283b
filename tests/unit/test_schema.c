/*
 * tests/unit/test_schema.c: the record schemas and record validation
 * (common/schema.c), and docs/formats.md agreeing with them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csperf/records.h"
#include "schema.h"

#define MAX_VALUES 16

/* Types whose records do not belong to one child. */
static bool is_council_level(csperf_record_type type)
{
	return type == CSPERF_RECORD_BUDGET ||
		type == CSPERF_RECORD_REPORTED_FIGURE ||
		type == CSPERF_RECORD_POPULATION;
}

static void test_type_numbers_and_names_are_stable(void **state)
{
	static const struct {
		csperf_record_type type;
		int number;
		const char *name;
	} stable[] = {
		{ CSPERF_RECORD_CHILD, 1, "child" },
		{ CSPERF_RECORD_CONTACT, 2, "contact" },
		{ CSPERF_RECORD_EARLY_HELP, 3, "early_help" },
		{ CSPERF_RECORD_REFERRAL, 4, "referral" },
		{ CSPERF_RECORD_ASSESSMENT, 5, "assessment" },
		{ CSPERF_RECORD_CIN_PLAN, 6, "cin_plan" },
		{ CSPERF_RECORD_S47, 7, "s47" },
		{ CSPERF_RECORD_CP_PLAN, 8, "cp_plan" },
		{ CSPERF_RECORD_CP_REVIEW, 9, "cp_review" },
		{ CSPERF_RECORD_CP_VISIT, 10, "cp_visit" },
		{ CSPERF_RECORD_LA_EPISODE, 11, "la_episode" },
		{ CSPERF_RECORD_LA_REVIEW, 12, "la_review" },
		{ CSPERF_RECORD_LA_VISIT, 13, "la_visit" },
		{ CSPERF_RECORD_HEALTH, 14, "health" },
		{ CSPERF_RECORD_MISSING, 15, "missing" },
		{ CSPERF_RECORD_CARE_LEAVER, 16, "care_leaver" },
		{ CSPERF_RECORD_ADOPTION, 17, "adoption" },
		{ CSPERF_RECORD_PLACED_FOR_ADOPTION, 18, "placed_for_adoption" },
		{ CSPERF_RECORD_PREVIOUS_PERMANENCE, 19, "previous_permanence" },
		{ CSPERF_RECORD_UASC, 20, "uasc" },
		{ CSPERF_RECORD_PLACEMENT_COST, 21, "placement_cost" },
		{ CSPERF_RECORD_BUDGET, 22, "budget" },
		{ CSPERF_RECORD_REPORTED_FIGURE, 23, "reported_figure" },
		{ CSPERF_RECORD_POPULATION, 24, "population" },
	};

	(void)state;
	assert_int_equal(sizeof(stable) / sizeof(stable[0]), CSPERF_RECORD_TYPE_LAST);
	for (size_t i = 0; i < sizeof(stable) / sizeof(stable[0]); i++) {
		const csperf_record_schema *schema;

		assert_int_equal((int)stable[i].type, stable[i].number);
		assert_string_equal(csperf_record_type_name(stable[i].type),
			stable[i].name);
		assert_int_equal(csperf_record_type_from_name(stable[i].name),
			stable[i].number);
		schema = csperf_schema_by_type(stable[i].type);
		assert_non_null(schema);
		assert_int_equal(schema->type, stable[i].type);
		assert_ptr_equal(csperf_schema_by_name(stable[i].name), schema);
	}
}

static void test_unknown_types_have_no_name(void **state)
{
	(void)state;
	assert_null(csperf_record_type_name((csperf_record_type)0));
	assert_null(csperf_record_type_name(
		(csperf_record_type)(CSPERF_RECORD_TYPE_LAST + 1)));
	assert_null(csperf_record_type_name((csperf_record_type)-3));
	assert_int_equal(csperf_record_type_from_name("episode"), 0);
	assert_int_equal(csperf_record_type_from_name("LA_EPISODE"), 0);
	assert_int_equal(csperf_record_type_from_name(""), 0);
	assert_int_equal(csperf_record_type_from_name(NULL), 0);
	assert_null(csperf_schema_by_type((csperf_record_type)0));
}

/* PostgreSQL's reserved key words: a column may not be named so unquoted. */
static const char *const sql_reserved[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc",
	"asymmetric", "both", "case", "cast", "check", "collate", "column",
	"constraint", "create", "current_catalog", "current_date", "current_role",
	"current_time", "current_timestamp", "current_user", "default",
	"deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
	"fetch", "for", "foreign", "from", "grant", "group", "having", "in",
	"initially", "intersect", "into", "lateral", "leading", "limit",
	"localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or",
	"order", "placing", "primary", "references", "returning", "select",
	"session_user", "some", "symmetric", "table", "then", "to", "trailing",
	"true", "union", "unique", "user", "using", "variadic", "when", "where",
	"window", "with",
};

static bool is_sql_identifier(const char *name)
{
	size_t length = strlen(name);

	if (length == 0 || length > 63 || name[0] < 'a' || name[0] > 'z')
		return false;
	for (size_t i = 0; i < length; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	for (size_t i = 0; i < sizeof(sql_reserved) / sizeof(sql_reserved[0]); i++) {
		if (strcmp(name, sql_reserved[i]) == 0)
			return false;
	}
	return true;
}

static void test_names_are_plain_sql_identifiers(void **state)
{
	(void)state;
	assert_false(is_sql_identifier("end"));
	assert_false(is_sql_identifier("Start_date"));
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const csperf_record_schema *schema = csperf_schema_by_type(type);

		assert_true(is_sql_identifier(schema->name));
		for (size_t i = 0; i < schema->nfields; i++) {
			const char *name = schema->fields[i].name;

			if (!is_sql_identifier(name))
				fail_msg("%s.%s is not a plain SQL identifier",
					schema->name, name);
			for (size_t j = 0; j < i; j++)
				assert_string_not_equal(schema->fields[j].name, name);
		}
	}
}

static void test_child_records_start_with_child_id(void **state)
{
	(void)state;
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const csperf_record_schema *schema = csperf_schema_by_type(type);
		int child_id = csperf_schema_field_index(schema, "child_id");

		if (is_council_level(type)) {
			assert_int_equal(child_id, -1);
			continue;
		}
		assert_int_equal(child_id, 0);
		assert_true(schema->fields[0].required);
		assert_int_equal(schema->fields[0].kind, CSPERF_FIELD_TEXT);
	}
	/* what the CIN census's episode modules need to be linked */
	assert_int_equal(csperf_schema_field_index(
		csperf_schema_by_type(CSPERF_RECORD_ASSESSMENT), "referral_date"), 1);
	assert_int_equal(csperf_schema_field_index(
		csperf_schema_by_type(CSPERF_RECORD_S47), "referral_date"), 1);
	assert_int_equal(csperf_schema_field_index(
		csperf_schema_by_type(CSPERF_RECORD_CP_PLAN), "referral_date"), 1);
	assert_int_equal(csperf_schema_field_index(
		csperf_schema_by_type(CSPERF_RECORD_CIN_PLAN), "referral_date"), 1);
	assert_int_equal(csperf_schema_field_index(
		csperf_schema_by_type(CSPERF_RECORD_CP_REVIEW), "plan_start_date"), 2);
}

static void test_schema_tables_hold_together(void **state)
{
	(void)state;
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const csperf_record_schema *schema = csperf_schema_by_type(type);

		assert_true(schema->nfields >= 1 && schema->nfields <= MAX_VALUES);
		assert_non_null(schema->doc);
		for (size_t i = 0; i < schema->nfields; i++) {
			const csperf_field *field = &schema->fields[i];
			bool is_coded = field->kind == CSPERF_FIELD_CODE ||
				field->kind == CSPERF_FIELD_CODES;

			assert_non_null(field->doc);
			assert_int_equal(field->codes != NULL, is_coded);
			if (field->kind == CSPERF_FIELD_TEXT)
				assert_true(field->max_length > 0);
			if (field->kind == CSPERF_FIELD_INT)
				assert_true(field->has_range);
			if (is_coded) {
				const char *const *codes = field->codes->codes;

				assert_non_null(codes[0]);
				for (size_t c = 0; codes[c] != NULL; c++) {
					for (size_t d = 0; d < c; d++)
						assert_string_not_equal(codes[c], codes[d]);
				}
			}
		}
		for (size_t r = 0; r < schema->nrules; r++) {
			const csperf_field_rule *rule = &schema->rules[r];
			int field = csperf_schema_field_index(schema, rule->field);
			int other = csperf_schema_field_index(schema, rule->other_field);

			assert_true(field >= 0 && other >= 0 && field != other);
			if (rule->kind == CSPERF_RULE_NOT_BEFORE) {
				assert_int_equal(schema->fields[field].kind, CSPERF_FIELD_DATE);
				assert_int_equal(schema->fields[other].kind, CSPERF_FIELD_DATE);
			}
			assert_int_equal(rule->check != NULL,
				rule->kind == CSPERF_RULE_CONSISTENT);
		}
	}
}

/* A valid la_episode: an SSDA903 episodes row in csperf form. */
static const char *const valid_episode[] = {
	"566910", "2017-03-03", "S", "C2", "N3", "T2", "PR0", "2017-08-14", "X1",
	"CLOSE", "EG19 7TT", "WV27 9FW", "SC123456", "OUT", "E08000025",
};

static void test_a_valid_record_passes(void **state)
{
	const csperf_record_schema *episode =
		csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE);
	const char *open_episode[15];
	csperf_validation_error err;

	(void)state;
	assert_int_equal(csperf_record_validate(episode, valid_episode, 15, &err), 0);
	memcpy(open_episode, valid_episode, sizeof(open_episode));
	open_episode[7] = NULL;   /* absent: still open */
	open_episode[8] = "";
	assert_int_equal(csperf_record_validate(episode, open_episode, 15, &err), 0);
	assert_int_equal(csperf_record_validate(episode, valid_episode, 15, NULL), 0);
}

/* One value changed from a valid record, and what validation must say. */
typedef struct bad_value_case {
	csperf_record_type type;
	const char *field;
	const char *value;
	csperf_validation_code code;
	const char *reason;
} bad_value_case;

static const char *const valid_child[] = {
	"C1", "F", "2010-05-04", "", "WBRI", "HAND HEAR",
};
static const char *const valid_cp_plan[] = {
	"C1", "2024-01-10", "2024-02-01", "", "NEG", "EMO", "2",
};
static const char *const valid_placement_cost[] = {
	"C1", "FIN-1", "2017-03-03", "PR4", "1234.56", "2017-03-03", "",
	"0", "100.5", "agency_foster", "North",
};
static const char *const valid_referral[] = {
	"C1", "2024-01-10", "1A", "N1", "false", "", "", "",
};
static const char *const valid_previous_permanence[] = {
	"C1", "P1", "352", "2015-05-01",
};
static const char *const valid_adoption[] = {
	"C1", "2016-01-10", "2016-06-01", "false", "2", "MF", "L11",
};

static const bad_value_case bad_values[] = {
	{ CSPERF_RECORD_LA_EPISODE, "start_date", "2018-02-31",
	  CSPERF_VALIDATION_DATE, "start_date 2018-02-31 is not a date" },
	{ CSPERF_RECORD_LA_EPISODE, "start_date", "03/03/2017",
	  CSPERF_VALIDATION_DATE, "start_date 03/03/2017 is not a date" },
	{ CSPERF_RECORD_LA_EPISODE, "legal_status", "C9", CSPERF_VALIDATION_CODE,
	  "legal_status C9 is not a legal status code (C1, C2, D1, E1, V2, V3, ...)" },
	{ CSPERF_RECORD_LA_EPISODE, "legal_status", "c2", CSPERF_VALIDATION_CODE,
	  "legal_status c2 is not a legal status code (C1, C2, D1, E1, V2, V3, ...)" },
	{ CSPERF_RECORD_LA_EPISODE, "placement_provider", "PR9",
	  CSPERF_VALIDATION_CODE,
	  "placement_provider PR9 is not a placement provider code (PR0, PR1, PR2, PR3, PR4, PR5)" },
	{ CSPERF_RECORD_LA_EPISODE, "child_id", "", CSPERF_VALIDATION_REQUIRED,
	  "child_id is required" },
	{ CSPERF_RECORD_LA_EPISODE, "placement_type", NULL,
	  CSPERF_VALIDATION_REQUIRED, "placement_type is required" },
	{ CSPERF_RECORD_LA_EPISODE, "urn", "SC1234567", CSPERF_VALIDATION_LENGTH,
	  "urn SC1234567 is longer than 8 characters" },
	{ CSPERF_RECORD_LA_EPISODE, "home_postcode", "AB1\t2CD",
	  CSPERF_VALIDATION_TEXT,
	  "home_postcode AB1?2CD is not plain text (a control character, or not UTF-8)" },
	{ CSPERF_RECORD_LA_EPISODE, "home_postcode", "AB\xff", CSPERF_VALIDATION_TEXT,
	  "home_postcode AB\xff is not plain text (a control character, or not UTF-8)" },
	{ CSPERF_RECORD_LA_EPISODE, "home_postcode", "\xc0\xaf" "AB",
	  CSPERF_VALIDATION_TEXT,
	  "home_postcode \xc0\xaf" "AB is not plain text (a control character, or not UTF-8)" },
	{ CSPERF_RECORD_LA_EPISODE, "end_date", "2017-01-01",
	  CSPERF_VALIDATION_BEFORE,
	  "end_date 2017-01-01 is before start_date 2017-03-03" },
	{ CSPERF_RECORD_CHILD, "disabilities", "HAND  HEAR", CSPERF_VALIDATION_CODE,
	  "disabilities HAND  HEAR is not disability codes separated by single spaces (NONE, MOB, HAND, PC, INC, COMM, ...)" },
	{ CSPERF_RECORD_CHILD, "disabilities", "HAND HEAR ", CSPERF_VALIDATION_CODE,
	  "disabilities HAND HEAR  is not disability codes separated by single spaces (NONE, MOB, HAND, PC, INC, COMM, ...)" },
	{ CSPERF_RECORD_CHILD, "disabilities", "HAND EAR", CSPERF_VALIDATION_CODE,
	  "disabilities HAND EAR has EAR, which is not a disability code (NONE, MOB, HAND, PC, INC, COMM, ...)" },
	{ CSPERF_RECORD_CHILD, "disabilities", "HAND HEAR HAND",
	  CSPERF_VALIDATION_DUPLICATE, "disabilities HAND HEAR HAND has HAND twice" },
	{ CSPERF_RECORD_CHILD, "sex", "1", CSPERF_VALIDATION_CODE,
	  "sex 1 is not a sex code (M, F, U)" },
	{ CSPERF_RECORD_CHILD, "ethnicity", "White British", CSPERF_VALIDATION_CODE,
	  "ethnicity White British is not an ethnicity code (WBRI, WIRI, WOTH, WIRT, WROM, MWBC, ...)" },
	{ CSPERF_RECORD_CHILD, "birth_date", "", CSPERF_VALIDATION_ONE_OF,
	  "birth_date or expected_birth_date is required" },
	{ CSPERF_RECORD_CP_PLAN, "previous_plans", "1.5", CSPERF_VALIDATION_INT,
	  "previous_plans 1.5 is not a whole number" },
	{ CSPERF_RECORD_CP_PLAN, "previous_plans", "+2", CSPERF_VALIDATION_INT,
	  "previous_plans +2 is not a whole number" },
	{ CSPERF_RECORD_CP_PLAN, "previous_plans", "100", CSPERF_VALIDATION_RANGE,
	  "previous_plans 100 is not between 0 and 99" },
	{ CSPERF_RECORD_CP_PLAN, "previous_plans", "-1", CSPERF_VALIDATION_RANGE,
	  "previous_plans -1 is not between 0 and 99" },
	{ CSPERF_RECORD_CP_PLAN, "start_date", "2024-01-09",
	  CSPERF_VALIDATION_BEFORE,
	  "start_date 2024-01-09 is before referral_date 2024-01-10" },
	{ CSPERF_RECORD_PLACEMENT_COST, "weekly_cost", "1,234.56",
	  CSPERF_VALIDATION_DECIMAL, "weekly_cost 1,234.56 is not a decimal number like 1234.56" },
	{ CSPERF_RECORD_PLACEMENT_COST, "weekly_cost", "\xc2\xa3" "10",
	  CSPERF_VALIDATION_DECIMAL, "weekly_cost \xc2\xa3" "10 is not a decimal number like 1234.56" },
	{ CSPERF_RECORD_PLACEMENT_COST, "weekly_cost", "1.1234567",
	  CSPERF_VALIDATION_DECIMAL, "weekly_cost 1.1234567 is not a decimal number like 1234.56" },
	{ CSPERF_RECORD_PLACEMENT_COST, "weekly_cost", "12.", CSPERF_VALIDATION_DECIMAL,
	  "weekly_cost 12. is not a decimal number like 1234.56" },
	{ CSPERF_RECORD_PLACEMENT_COST, "weekly_cost", "-5", CSPERF_VALIDATION_RANGE,
	  "weekly_cost -5 is not between 0 and 1000000000000" },
	{ CSPERF_RECORD_PLACEMENT_COST, "placement_category", "Residential care",
	  CSPERF_VALIDATION_CODE, "placement_category Residential care is not a placement "
	  "category code (in_house_foster, agency_foster, residential, secure, semi_independent, "
	  "other)" },
	{ CSPERF_RECORD_REFERRAL, "referral_nfa", "1", CSPERF_VALIDATION_BOOL,
	  "referral_nfa 1 is not true or false" },
	{ CSPERF_RECORD_REFERRAL, "referral_nfa", "TRUE", CSPERF_VALIDATION_BOOL,
	  "referral_nfa TRUE is not true or false" },
	{ CSPERF_RECORD_PREVIOUS_PERMANENCE, "order_date", "2015-13",
	  CSPERF_VALIDATION_DATE,
	  "order_date 2015-13 is not a date, a year and month, or a year" },
	{ CSPERF_RECORD_PREVIOUS_PERMANENCE, "order_date", "15",
	  CSPERF_VALIDATION_DATE,
	  "order_date 15 is not a date, a year and month, or a year" },
	{ CSPERF_RECORD_ADOPTION, "adopter_count", "1",
	  CSPERF_VALIDATION_INCONSISTENT,
	  "adopter_sex MF does not go with adopter_count 1: MM, FF and MF are for two adopters" },
	{ CSPERF_RECORD_ADOPTION, "adopter_sex", "F1",
	  CSPERF_VALIDATION_INCONSISTENT,
	  "adopter_sex F1 does not go with adopter_count 2: M1 and F1 are for one adopter" },
};

static const char *const *valid_record_of(csperf_record_type type)
{
	switch (type) {
	case CSPERF_RECORD_LA_EPISODE: return valid_episode;
	case CSPERF_RECORD_CHILD: return valid_child;
	case CSPERF_RECORD_CP_PLAN: return valid_cp_plan;
	case CSPERF_RECORD_PLACEMENT_COST: return valid_placement_cost;
	case CSPERF_RECORD_REFERRAL: return valid_referral;
	case CSPERF_RECORD_PREVIOUS_PERMANENCE: return valid_previous_permanence;
	case CSPERF_RECORD_ADOPTION: return valid_adoption;
	default: return NULL;
	}
}

static void test_each_bad_value_is_refused_with_its_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		const bad_value_case *bad = &bad_values[i];
		const csperf_record_schema *schema = csperf_schema_by_type(bad->type);
		const char *const *valid = valid_record_of(bad->type);
		const char *values[MAX_VALUES];
		int field = csperf_schema_field_index(schema, bad->field);
		csperf_validation_error err;

		assert_non_null(valid);
		assert_true(field >= 0);
		assert_int_equal(csperf_record_validate(schema, valid, schema->nfields,
			&err), 0);
		memcpy(values, valid, schema->nfields * sizeof(values[0]));
		values[field] = bad->value;
		if (csperf_record_validate(schema, values, schema->nfields, &err) != -1)
			fail_msg("%s %s=%s was accepted", schema->name, bad->field,
				bad->value != NULL ? bad->value : "(null)");
		assert_int_equal(err.code, bad->code);
		assert_string_equal(err.reason, bad->reason);
	}
}

static void test_a_fault_names_field_value_and_other_field(void **state)
{
	const csperf_record_schema *episode =
		csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE);
	const char *values[15];
	csperf_validation_error err;

	(void)state;
	memcpy(values, valid_episode, sizeof(values));
	values[7] = "2017-01-01";
	assert_int_equal(csperf_record_validate(episode, values, 15, &err), -1);
	assert_int_equal(err.code, CSPERF_VALIDATION_BEFORE);
	assert_int_equal(err.field, 7);
	assert_int_equal(err.other_field, 1);
	assert_string_equal(err.value, "2017-01-01");
	assert_string_equal(err.other_value, "2017-03-03");

	values[7] = "2017-03-03";   /* the same day is not before */
	assert_int_equal(csperf_record_validate(episode, values, 15, &err), 0);

	values[3] = "XX";
	values[5] = "YY";           /* the first fault in field order is reported */
	assert_int_equal(csperf_record_validate(episode, values, 15, &err), -1);
	assert_int_equal(err.field, 3);
	assert_int_equal(err.other_field, -1);
	assert_int_equal(csperf_record_validate(episode, values, 15, NULL), -1);
}

static void test_the_wrong_number_of_values_is_refused(void **state)
{
	const csperf_record_schema *episode =
		csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE);
	csperf_validation_error err;

	(void)state;
	assert_int_equal(csperf_record_validate(episode, valid_episode, 12, &err), -1);
	assert_int_equal(err.code, CSPERF_VALIDATION_COUNT);
	assert_int_equal(err.field, -1);
	assert_string_equal(err.reason, "a la_episode record has 15 fields, not 12");
}

static void test_reasons_can_use_the_source_file_names(void **state)
{
	static const char *const ssda903_columns[15] = {
		"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC",
		"REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN", "PL_LOCATION", "PL_LA",
	};
	const csperf_record_schema *episode =
		csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE);
	const char *values[15];
	const char *partly_named[15] = { NULL };
	csperf_validation_error err;
	char text[256];
	char short_text[8];
	size_t needed;

	(void)state;
	memcpy(values, valid_episode, sizeof(values));
	values[7] = "2017-01-01";
	assert_int_equal(csperf_record_validate(episode, values, 15, &err), -1);

	csperf_validation_describe(episode, &err, ssda903_columns, text, sizeof(text));
	assert_string_equal(text, "DEC 2017-01-01 is before DECOM 2017-03-03");
	partly_named[7] = "DEC";
	csperf_validation_describe(episode, &err, partly_named, text, sizeof(text));
	assert_string_equal(text, "DEC 2017-01-01 is before start_date 2017-03-03");

	needed = csperf_validation_describe(episode, &err, ssda903_columns,
		short_text, sizeof(short_text));
	assert_int_equal(needed, strlen("DEC 2017-01-01 is before DECOM 2017-03-03"));
	assert_string_equal(short_text, "DEC 201");
}

/* The text of the section of docs/formats.md about one record type. */
static char *docs_section(const char *docs, const char *type_name)
{
	char heading[64];
	const char *start, *end;
	char *section;

	snprintf(heading, sizeof(heading), "\n### %s\n", type_name);
	start = strstr(docs, heading);
	if (start == NULL)
		return NULL;
	start += strlen(heading);
	end = strstr(start, "\n##");
	if (end == NULL)
		end = start + strlen(start);
	section = calloc(1, (size_t)(end - start) + 1);
	assert_non_null(section);
	memcpy(section, start, (size_t)(end - start));
	return section;
}

/* The kind column docs/formats.md gives a field: "text (20)", "int (0 to 99)". */
static void expected_kind(const csperf_field *field, char *out, size_t size)
{
	if (field->kind == CSPERF_FIELD_TEXT)
		snprintf(out, size, "text (%zu)", field->max_length);
	else if (field->has_range)
		snprintf(out, size, "%s (%.15g to %.15g)",
			csperf_field_kind_name(field->kind), field->min_value,
			field->max_value);
	else
		snprintf(out, size, "%s", csperf_field_kind_name(field->kind));
}

static void expected_codes(const csperf_field *field, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	if (field->codes == NULL)
		return;
	for (const char *const *code = field->codes->codes; *code != NULL; code++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
			used > 0 ? " " : "", *code);
}

static char *read_docs(void)
{
	FILE *file = fopen(CSPERF_DOCS "/formats.md", "rb");
	char *docs;
	long size;

	if (file == NULL)
		fail_msg("cannot open %s", CSPERF_DOCS "/formats.md");
	assert_int_equal(fseek(file, 0, SEEK_END), 0);
	size = ftell(file);
	assert_true(size > 0);
	rewind(file);
	docs = calloc(1, (size_t)size + 1);
	assert_non_null(docs);
	assert_int_equal(fread(docs, 1, (size_t)size, file), (size_t)size);
	fclose(file);
	return docs;
}

static void test_docs_list_exactly_the_schema(void **state)
{
	char *docs = read_docs();

	(void)state;
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const csperf_record_schema *schema = csperf_schema_by_type(type);
		char *section = docs_section(docs, schema->name);
		const char *row;
		size_t nrows = 0;

		if (section == NULL)
			fail_msg("docs/formats.md has no section \"### %s\"", schema->name);
		for (row = strstr(section, "\n| `"); row != NULL;
		     row = strstr(row + 1, "\n| `")) {
			const csperf_field *field;
			char expected[1024];
			char kind[64], codes[512];

			if (nrows >= schema->nfields)
				fail_msg("docs: %s lists more fields than the schema has",
					schema->name);
			field = &schema->fields[nrows];
			expected_kind(field, kind, sizeof(kind));
			expected_codes(field, codes, sizeof(codes));
			snprintf(expected, sizeof(expected), "\n| `%s` | %s | %s | %s | %s |\n",
				field->name, kind, field->required ? "yes" : "no", codes,
				field->doc);
			if (strncmp(row, expected, strlen(expected)) != 0)
				fail_msg("docs: %s field %zu should read%s", schema->name,
					nrows + 1, expected);
			nrows++;
		}
		assert_int_equal(nrows, schema->nfields);
		for (size_t r = 0; r < schema->nrules; r++) {
			char both[128];

			snprintf(both, sizeof(both), "`%s`", schema->rules[r].field);
			assert_non_null(strstr(section, both));
			snprintf(both, sizeof(both), "`%s`", schema->rules[r].other_field);
			assert_non_null(strstr(section, both));
		}
		free(section);
	}
	free(docs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_numbers_and_names_are_stable),
		cmocka_unit_test(test_unknown_types_have_no_name),
		cmocka_unit_test(test_names_are_plain_sql_identifiers),
		cmocka_unit_test(test_child_records_start_with_child_id),
		cmocka_unit_test(test_schema_tables_hold_together),
		cmocka_unit_test(test_a_valid_record_passes),
		cmocka_unit_test(test_each_bad_value_is_refused_with_its_reason),
		cmocka_unit_test(test_a_fault_names_field_value_and_other_field),
		cmocka_unit_test(test_the_wrong_number_of_values_is_refused),
		cmocka_unit_test(test_reasons_can_use_the_source_file_names),
		cmocka_unit_test(test_docs_list_exactly_the_schema),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
