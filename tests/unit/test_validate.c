/*
 * tests/unit/test_validate.c: the DfE's cross-record rules (common/validate).
 *
 *   - the table: codes unique, fields named exist in the record type's
 *     schema, field numbers agree with the schema, years make sense;
 *   - clean returns raise nothing;
 *   - one planted violation per rule (validate_plants.h) fires that rule,
 *     on the planted child, and nothing else; every rule has a plant;
 *   - the open-source validators' own per-rule test cases, translated into
 *     csperf's record form (validate_cases.h), give the same failures;
 *   - ../shared/data samples validate with the failures expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "formats.h"
#include "schema.h"
#include "validate/rules.h"
#include "validate/validate.h"

#include "validate_plants.h"
#include "validate_cases.h"

#define YEAR 2020
#define MAX_FAILS 256

typedef struct got {
	size_t n;
	char code[MAX_FAILS][8];
	char child[MAX_FAILS][24];
	size_t index[MAX_FAILS];
} got;

static int collect(const validate_failure *f, void *ctx)
{
	got *g = ctx;
	if (g->n == MAX_FAILS)
		return 1;
	snprintf(g->code[g->n], sizeof(g->code[0]), "%s", f->rule->code);
	snprintf(g->child[g->n], sizeof(g->child[0]), "%s", f->child_id);
	g->index[g->n] = f->record->index;
	g->n++;
	return 0;
}

/* Adds "type|v|v|..." with child id "X" replaced by `child`. */
static void add_record(validate_set *set, const char *text, const char *child)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", text);
	const char *values[32];
	size_t n = 0;
	char *type_name = buf;
	char *p = strchr(buf, '|');
	assert_non_null(p);
	*p++ = '\0';
	const csperf_record_schema *schema = csperf_schema_by_name(type_name);
	if (schema == NULL)
		fail_msg("unknown record type %s", type_name);
	for (;;) {
		char *bar = strchr(p, '|');
		if (bar)
			*bar = '\0';
		values[n++] = p;
		if (!bar)
			break;
		p = bar + 1;
	}
	if (n > schema->nfields)
		fail_msg("%s: %zu values for %zu fields", text, n, schema->nfields);
	while (n < schema->nfields)
		values[n++] = "";
	if (strcmp(values[0], "X") == 0)
		values[0] = child;
	assert_int_equal(validate_set_add(set, schema->type, values, n, "test", 1), 0);
}

static void add_child(validate_set *set, const char *const *records, size_t max,
	const char *child)
{
	for (size_t i = 0; i < max && records[i] != NULL; i++)
		add_record(set, records[i], child);
}

/* The clean children every plant is added to. */
static const char *const clean_ssda903[][8] = {
	{ CH, EP_OPEN },
	{ CH, EP_X1, "la_episode|X|2019-06-01|P|C2|N1|U4|PR1|2019-07-01|E8",
	  "missing|X|M|2019-05-10|2019-05-12", "la_review|X|2019-05-20|PN1" },
	{ CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA, ADOPTED_OK },
	{ CH_DOB("2004-01-01"), EP_OPEN, "health|X|2020-03-31|12||false|true|true|true|true|false",
	  "uasc|X|2021-12-31" },
	{ CH_DOB("2001-06-01"), "la_episode|X|2018-05-01|S|V2|N1|K2|PR1|2019-06-01|E8",
	  "care_leaver|X|2020-03-31|YES|F1|B1" },
};

static const char *const clean_cin[][8] = {
	{ CIN_CH, CIN_REF, CIN_AS },
	{ CIN_CH, "referral|X|2019-04-10|1A|N1|false|2019-09-01|RC1", CIN_AS,
	  "assessment|X|2019-04-10|2019-04-11|2019-04-30|1A 2B",
	  "s47|X|2019-04-10|2019-04-20||2019-04-25",
	  "cp_plan|X|2019-04-10|2019-04-25|2019-08-30|NEG|MUL|1",
	  "cp_review|X|2019-04-10|2019-04-25|2019-07-15",
	  "referral|X|2019-09-01|1A|N1|false" },
	{ CIN_CH, "referral|X|2019-05-01|5A||true" },
	{ CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-20|2019-06-20",
	  "cin_plan|X|2019-05-01|2019-06-21" },
};

static validate_set *clean_set(validate_return source)
{
	validate_set *set = validate_set_new();
	assert_non_null(set);
	char id[16];
	if (source == VALIDATE_SSDA903)
		for (size_t i = 0; i < sizeof(clean_ssda903) / sizeof(clean_ssda903[0]); i++) {
			snprintf(id, sizeof(id), "C%zu", i);
			add_child(set, clean_ssda903[i], 8, id);
		}
	else
		for (size_t i = 0; i < sizeof(clean_cin) / sizeof(clean_cin[0]); i++) {
			snprintf(id, sizeof(id), "C%zu", i);
			add_child(set, clean_cin[i], 8, id);
		}
	return set;
}

static void print_got(const got *g)
{
	for (size_t i = 0; i < g->n; i++)
		print_message("  fired %s on %s (record %zu)\n", g->code[i], g->child[i], g->index[i]);
}

static void test_table(void **state)
{
	(void)state;
	size_t n;
	const validate_rule *rules = validate_rules(&n);
	assert_true(n >= 100);
	for (size_t i = 0; i < n; i++) {
		const validate_rule *r = &rules[i];
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(r->code, rules[j].code) == 0)
				fail_msg("rule %s twice", r->code);
		assert_ptr_equal(validate_rule_by_code(r->code), r);
		const csperf_record_schema *schema = csperf_schema_by_type(r->type);
		assert_non_null(schema);
		char fields[256];
		snprintf(fields, sizeof(fields), "%s", r->fields);
		size_t nfields = 0, ndfe = 0;
		for (char *save = NULL, *f = strtok_r(fields, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
			if (csperf_schema_field_index(schema, f) < 0)
				fail_msg("rule %s names %s, not a field of %s", r->code, f, schema->name);
			nfields++;
		}
		snprintf(fields, sizeof(fields), "%s", r->dfe_fields);
		for (char *save = NULL, *f = strtok_r(fields, " ", &save); f; f = strtok_r(NULL, " ", &save))
			ndfe++;
		if (nfields == 0 || nfields != ndfe)
			fail_msg("rule %s: %zu fields, %zu DfE names", r->code, nfields, ndfe);
		assert_true(r->message[0] != '\0');
		assert_true(r->year_to == 0 || r->year_to >= r->year_from);
		assert_true(validate_rule_applies(r, r->year_to ? r->year_to : 2026));
	}
	/* 445 went in 2024-25 (csc-validator-be-903 lac2024_25 deletes it). */
	assert_true(validate_rule_applies(validate_rule_by_code("445"), 2024));
	assert_false(validate_rule_applies(validate_rule_by_code("445"), 2025));
	assert_null(validate_rule_by_code("nope"));
}

static void test_field_numbers_follow_the_schema(void **state)
{
	(void)state;
	static const struct { csperf_record_type type; const char *name; int index; } f[] = {
		{ CSPERF_RECORD_CHILD, "birth_date", CH_DOB },
		{ CSPERF_RECORD_CHILD, "disabilities", CH_DISABILITIES },
		{ CSPERF_RECORD_LA_EPISODE, "start_date", EP_START },
		{ CSPERF_RECORD_LA_EPISODE, "legal_status", EP_LS },
		{ CSPERF_RECORD_LA_EPISODE, "placement_provider", EP_PROVIDER },
		{ CSPERF_RECORD_LA_EPISODE, "end_reason", EP_REC },
		{ CSPERF_RECORD_LA_EPISODE, "urn", EP_URN },
		{ CSPERF_RECORD_LA_EPISODE, "placement_postcode", EP_PL_POST },
		{ CSPERF_RECORD_LA_REVIEW, "participation", RV_PARTICIPATION },
		{ CSPERF_RECORD_HEALTH, "convicted", OC2_CONVICTED },
		{ CSPERF_RECORD_HEALTH, "intervention_offered", OC2_INTERVENTION_OFFERED },
		{ CSPERF_RECORD_MISSING, "end_date", MS_END },
		{ CSPERF_RECORD_CARE_LEAVER, "accommodation", OC3_ACCOMMODATION },
		{ CSPERF_RECORD_ADOPTION, "adopter_legal_status", AD_LS_ADOPTR },
		{ CSPERF_RECORD_PLACED_FOR_ADOPTION, "ceased_reason", PA_REASON },
		{ CSPERF_RECORD_PREVIOUS_PERMANENCE, "order_date", PP_DATE },
		{ CSPERF_RECORD_UASC, "ceased_date", UA_DUC },
		{ CSPERF_RECORD_REFERRAL, "initial_cpc_date", RF_ICPC },
		{ CSPERF_RECORD_REFERRAL, "referral_nfa", RF_NFA },
		{ CSPERF_RECORD_ASSESSMENT, "factors", AS_FACTORS },
		{ CSPERF_RECORD_CIN_PLAN, "end_date", CINP_END },
		{ CSPERF_RECORD_S47, "icpc_not_required", S47_ICPC_NOT_REQUIRED },
		{ CSPERF_RECORD_CP_PLAN, "previous_plans", CPP_PREVIOUS },
		{ CSPERF_RECORD_CP_REVIEW, "review_date", CPR_DATE },
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const csperf_record_schema *s = csperf_schema_by_type(f[i].type);
		if (csperf_schema_field_index(s, f[i].name) != f[i].index)
			fail_msg("%s.%s is field %d, not %d", s->name, f[i].name,
				csperf_schema_field_index(s, f[i].name), f[i].index);
	}
	/* the last field of each type the rules number, so none is missed */
	assert_int_equal(csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE)->nfields, EP_URN + 1);
	assert_int_equal(csperf_schema_by_type(CSPERF_RECORD_REFERRAL)->nfields, RF_ICPC + 1);
	assert_int_equal(csperf_schema_by_type(CSPERF_RECORD_CP_PLAN)->nfields, CPP_PREVIOUS + 1);
	assert_int_equal(csperf_schema_by_type(CSPERF_RECORD_S47)->nfields, S47_ICPC_NOT_REQUIRED + 2);
}

static void test_clean_returns_raise_nothing(void **state)
{
	(void)state;
	validate_return sources[] = { VALIDATE_SSDA903, VALIDATE_CIN };
	for (size_t s = 0; s < 2; s++) {
		validate_set *set = clean_set(sources[s]);
		got g = { 0 };
		assert_int_equal(validate_run(set, sources[s], YEAR, NULL, collect, &g), 0);
		print_got(&g);
		assert_int_equal(g.n, 0);
		validate_set_free(set);
	}
}

static bool word_in(const char *list, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += len)
		if ((p == list || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

static void run_plants(const plant *plants, size_t n, validate_return source)
{
	for (size_t i = 0; i < n; i++) {
		const plant *p = &plants[i];
		const validate_rule *rule = validate_rule_by_code(p->code);
		if (rule == NULL)
			fail_msg("plant for unknown rule %s", p->code);
		assert_int_equal(rule->source, source);
		validate_set *set = clean_set(source);
		char id[16];
		snprintf(id, sizeof(id), "P%s", p->code);
		add_child(set, p->records, 8, id);
		got g = { 0 };
		assert_int_equal(validate_run(set, source, YEAR, NULL, collect, &g), 0);
		bool fired = false, wrong = false;
		for (size_t k = 0; k < g.n; k++) {
			if (strcmp(g.child[k], id) != 0)
				wrong = true;
			else if (strcmp(g.code[k], p->code) == 0)
				fired = true;
			else if (!word_in(p->also, g.code[k]))
				wrong = true;
		}
		if (!fired || wrong) {
			print_got(&g);
			fail_msg("plant %s: %s", p->code, !fired ? "rule did not fire" : "other rules fired");
		}
		/* run with only this rule: it fires, on the planted child only */
		got only = { 0 };
		assert_int_equal(validate_run(set, source, YEAR, p->code, collect, &only), 0);
		assert_true(only.n >= 1);
		validate_set_free(set);
	}
}

static void test_planted_violations(void **state)
{
	(void)state;
	run_plants(plants_ssda903, sizeof(plants_ssda903) / sizeof(plants_ssda903[0]),
		VALIDATE_SSDA903);
	run_plants(plants_cin, sizeof(plants_cin) / sizeof(plants_cin[0]), VALIDATE_CIN);
}

static void test_every_rule_has_a_plant(void **state)
{
	(void)state;
	size_t n;
	const validate_rule *rules = validate_rules(&n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < sizeof(plants_ssda903) / sizeof(plants_ssda903[0]); k++)
			found = found || strcmp(plants_ssda903[k].code, rules[i].code) == 0;
		for (size_t k = 0; k < sizeof(plants_cin) / sizeof(plants_cin[0]); k++)
			found = found || strcmp(plants_cin[k].code, rules[i].code) == 0;
		if (!found)
			fail_msg("rule %s has no planted violation", rules[i].code);
	}
}

/* The validators' own test cases: rows in the validator's order; the rows
 * they expect to fail are the ones whose index the rule reports. */
static void test_validator_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const validator_case *vc = &cases[i];
		assert_non_null(validate_rule_by_code(vc->code));
		validate_set *set = validate_set_new();
		size_t nrows = 0;
		for (; nrows < MAX_CASE_ROWS && vc->rows[nrows] != NULL; nrows++)
			add_record(set, vc->rows[nrows], "X");
		got g = { 0 };
		assert_int_equal(validate_run(set, 0, vc->year, vc->code, collect, &g), 0);
		char want[256] = "", have[256] = "";
		/* the rows of the type the rule reports, numbered as the validator
		 * numbers its table */
		const validate_rule *rule = validate_rule_by_code(vc->code);
		bool fails[MAX_CASE_ROWS] = { false };
		for (size_t k = 0; k < g.n; k++)
			fails[g.index[k]] = true;
		size_t row = 0;
		for (size_t k = 0; k < nrows; k++) {
			if (strncmp(vc->rows[k], csperf_schema_by_type(rule->type)->name,
			            strlen(csperf_schema_by_type(rule->type)->name)) != 0
			    || vc->rows[k][strlen(csperf_schema_by_type(rule->type)->name)] != '|')
				continue;
			if (fails[k])
				snprintf(have + strlen(have), sizeof(have) - strlen(have), "%s%zu",
					have[0] ? " " : "", row);
			row++;
		}
		snprintf(want, sizeof(want), "%s", vc->failing);
		if (strcmp(want, have) != 0)
			fail_msg("rule %s (%s): the validator expects rows [%s], got [%s]",
				vc->code, vc->origin, want, have);
		validate_set_free(set);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_field_numbers_follow_the_schema),
		cmocka_unit_test(test_clean_returns_raise_nothing),
		cmocka_unit_test(test_planted_violations),
		cmocka_unit_test(test_every_rule_has_a_plant),
		cmocka_unit_test(test_validator_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
