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

#include "dates.h"
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

/* A failure names a record of its rule's type: validate_run skips a rule
 * for a child with none. */
static void assert_type_of(const validate_failure *f)
{
	if (f->record->type != f->rule->type)
		fail_msg("rule %s reported a %s record", f->rule->code,
			csperf_record_type_name(f->record->type));
}

static int collect(const validate_failure *f, void *ctx)
{
	got *g = ctx;
	assert_type_of(f);
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
		{ CSPERF_RECORD_LA_EPISODE, "placement_location", EP_PL_LOCATION },
		{ CSPERF_RECORD_LA_EPISODE, "placement_la", EP_PL_LA },
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
	assert_int_equal(csperf_schema_by_type(CSPERF_RECORD_LA_EPISODE)->nfields, EP_PL_LA + 1);
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

/* ../shared/data: the samples validate with the failures expected. */

typedef struct expected { const char *code; size_t count; } expected;

static const expected expected_ssda903[] = {
	{ "142", 10 }, { "148", 1413 }, { "217", 325 }, { "225", 2 }, { "226", 684 }, { "334", 4 }, { "357", 8 }, { "358", 596 }, { "361", 365 }, { "362", 334 }, { "363", 450 }, { "364", 384 }, { "365", 365 }, { "366", 364 }, { "372", 67 }, { "373", 7 }, { "374", 108 }, { "375", 102 }, { "376", 107 }, { "378", 13 }, { "379", 142 }, { "380", 399 }, { "381", 210 }, { "382", 148 }, { "383", 207 }, { "384", 65 }, { "385", 12 }, { "387", 61 }, { "388", 21 }, { "389", 39 }, { "390", 90 }, { "391", 3 }, { "408", 359 }, { "426", 38 }, { "431", 58 }, { "432", 7 }, { "433", 12 }, { "434", 58 }, { "435", 7 }, { "436", 5 }, { "437", 7 }, { "440", 1435 }, { "441", 663 }, { "445", 354 }, { "460", 31 }, { "501", 62 }, { "511", 5 }, { "514", 2 }, { "518", 3 }, { "519", 3 }, { "520", 6 }, { "525", 29 }, { "527", 92 }, { "528", 107 }, { "529", 398 }, { "530", 27 }, { "531", 28 }, { "542", 1226 }, { "550", 845 }, { "551", 761 }, { "553", 361 }, { "574", 1 }, { "577", 6 }, { "578", 4 }, { "601", 80 }, { "602", 27 },
};
static const expected expected_fake_cin[] = {
	{ "2990", 28 }, { "8600", 8 }, { "8620", 204 }, { "8790", 3 }, { "8831", 350 },
};
/* CIN_Census_2024.xml exercises every element with one child whose dates
 * fall around a census year that ends on 31 March 2024. */
static const expected expected_cin_2024[] = {
	{ "1103", 1 }, { "1104", 1 }, { "1105", 1 }, { "2889", 1 }, { "4013", 1 },
	{ "8565", 1 }, { "8600", 1 }, { "8608", 1 }, { "8620", 2 }, { "8696", 1 },
	{ "8715", 1 }, { "8897Q", 1 }, { "8930", 1 },
};

static bool shared_data_present(void)
{
	FILE *f = fopen(CSPERF_SHARED_DATA "/ssda903-fake/episodes.csv", "r");
	if (f != NULL) {
		fclose(f);
		return true;
	}
	const char *all = getenv("CSPERF_REQUIRE_ALL_TESTS");
	if (all != NULL && strcmp(all, "1") == 0)
		fail_msg("%s is absent and CSPERF_REQUIRE_ALL_TESTS=1", CSPERF_SHARED_DATA);
	print_message("skipped: %s is absent (the shared sample data lives beside the "
		"repository)\n", CSPERF_SHARED_DATA);
	return false;
}

static int add_read(const formats_record *rec, void *ctx)
{
	return validate_set_add(ctx, rec->type, rec->values, rec->nvalues, rec->file, rec->line) != 0;
}

typedef struct counts { size_t n; char code[160][8]; size_t count[160]; } counts;

static int count_failure(const validate_failure *f, void *ctx)
{
	counts *c = ctx;
	assert_type_of(f);
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->code[i], f->rule->code) == 0) {
			c->count[i]++;
			return 0;
		}
	if (c->n == 160)
		return 1;
	snprintf(c->code[c->n], sizeof(c->code[0]), "%s", f->rule->code);
	c->count[c->n++] = 1;
	return 0;
}

static void assert_counts(const counts *c, const expected *want, size_t nwant, const char *what)
{
	for (size_t i = 0; i < nwant; i++) {
		size_t got_count = 0;
		for (size_t k = 0; k < c->n; k++)
			if (strcmp(c->code[k], want[i].code) == 0)
				got_count = c->count[k];
		if (got_count != want[i].count)
			fail_msg("%s: rule %s fails %zu records, expected %zu", what, want[i].code,
				got_count, want[i].count);
	}
	for (size_t k = 0; k < c->n; k++) {
		bool listed = false;
		for (size_t i = 0; i < nwant; i++)
			listed = listed || strcmp(c->code[k], want[i].code) == 0;
		if (!listed)
			fail_msg("%s: rule %s fails %zu records, expected none", what, c->code[k], c->count[k]);
	}
}

/* An oracle for 148 apart from the rules: episodes.csv rows with DEC and
 * REC not both given or both blank, by splitting the plain CSV. */
static size_t count_148_in_csv(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	size_t n = 0, row = 0;
	int dec = -1, rec = -1;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *fields[32];
		size_t nf = 0;
		line[strcspn(line, "\r\n")] = '\0';
		for (char *p = line;; ) {
			fields[nf++] = p;
			char *comma = strchr(p, ',');
			if (comma == NULL || nf == 32)
				break;
			*comma = '\0';
			p = comma + 1;
		}
		if (row++ == 0) {
			for (size_t i = 0; i < nf; i++) {
				if (strcmp(fields[i], "DEC") == 0) dec = (int)i;
				if (strcmp(fields[i], "REC") == 0) rec = (int)i;
			}
			assert_true(dec >= 0 && rec >= 0);
			continue;
		}
		bool has_dec = (size_t)dec < nf && fields[dec][0] != '\0';
		bool has_rec = (size_t)rec < nf && fields[rec][0] != '\0';
		n += has_dec != has_rec;
	}
	fclose(f);
	return n;
}

static void test_shared_samples(void **state)
{
	(void)state;
	if (!shared_data_present())
		return;
	static const char *const tables[] = { "header", "episodes", "reviews", "oc2", "oc3",
		"ad1", "placed_for_adoption", "missing", "previous_permanence", "uasc" };
	validate_set *set = validate_set_new();
	formats_ssda903_options options = FORMATS_SSDA903_OPTIONS_INIT;
	options.collection_year = 2018;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char path[512];
		formats_error err;
		snprintf(path, sizeof(path), "%s/ssda903-fake/%s.csv", CSPERF_SHARED_DATA, tables[i]);
		assert_int_equal(formats_read_ssda903(path, &options, add_read, set, &err), 0);
	}
	counts c;
	memset(&c, 0, sizeof(c));
	assert_int_equal(validate_run(set, VALIDATE_SSDA903, 2018, NULL, count_failure, &c), 0);
	assert_counts(&c, expected_ssda903, sizeof(expected_ssda903) / sizeof(expected_ssda903[0]),
		"ssda903-fake");
	size_t oracle = count_148_in_csv(CSPERF_SHARED_DATA "/ssda903-fake/episodes.csv");
	assert_true(oracle > 0);
	for (size_t k = 0; k < c.n; k++)
		if (strcmp(c.code[k], "148") == 0)
			assert_int_equal(c.count[k], oracle);
	validate_set_free(set);

	static const struct { const char *file; const char *reference; const expected *want; size_t n; } cin[] = {
		{ "fake_CIN_data.xml", "2022-07-21", expected_fake_cin,
		  sizeof(expected_fake_cin) / sizeof(expected_fake_cin[0]) },
		{ "CIN_Census_2024.xml", "2024-03-31", expected_cin_2024,
		  sizeof(expected_cin_2024) / sizeof(expected_cin_2024[0]) },
	};
	for (size_t i = 0; i < sizeof(cin) / sizeof(cin[0]); i++) {
		char path[512], reference[11];
		formats_error err;
		int32_t end;
		snprintf(path, sizeof(path), "%s/cin-census-fake/%s", CSPERF_SHARED_DATA, cin[i].file);
		assert_int_equal(formats_cin_reference_date(path, reference), 0);
		assert_string_equal(reference, cin[i].reference);
		set = validate_set_new();
		assert_int_equal(formats_read_cin_xml(path, add_read, set, &err), 0);
		assert_int_equal(csperf_date_parse_iso(reference, &end), 0);
		memset(&c, 0, sizeof(c));
		assert_int_equal(validate_run_period(set, VALIDATE_CIN, atoi(reference), end, NULL,
			count_failure, &c), 0);
		assert_counts(&c, cin[i].want, cin[i].n, cin[i].file);
		validate_set_free(set);
	}
}

/* Across returns (a council's stored records), a date before the collection
 * year is another year's and the one-return cohort rules stay quiet; a date
 * after it, and every cross-record rule, still fail. */
static void test_stored_records_across_returns(void **state)
{
	(void)state;
	validate_set *set = validate_set_new();
	/* closed in the year before: an earlier census's episode */
	add_record(set, CIN_CH, "A");
	add_record(set, "referral|X|2018-05-01|1A|N1|false|2018-09-01|RC1", "A");
	/* closed after the year: wrong whatever the return */
	add_record(set, CIN_CH, "B");
	add_record(set, "referral|X|2019-05-01|1A|N1|false|2020-04-05|RC1", "B");
	/* an adoption's AD1 from an earlier year, and an unborn child born since */
	add_record(set, "child|X|M|2010-01-01|2009-12-20|WBRI|NONE", "C");
	add_record(set, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1", "C");
	add_record(set, "adoption|X|2016-06-01|2016-06-10|false|1|M1|L0", "C");
	/* overlapping episodes from two returns */
	add_record(set, CH, "D");
	add_record(set, "la_episode|X|2018-05-01|S|C2|N1|U3|PR1|2019-03-01|E8", "D");
	add_record(set, "la_episode|X|2019-02-01|S|C2|N1|U3|PR1", "D");
	got one = { 0 }, stored = { 0 };
	assert_int_equal(validate_run(set, 0, YEAR, NULL, collect, &one), 0);
	assert_int_equal(validate_run_stored(set, 0, YEAR, NULL, collect, &stored), 0);
	char a[256] = "", b[256] = "";
	for (size_t i = 0; i < one.n; i++)
		snprintf(a + strlen(a), sizeof(a) - strlen(a), "%s:%s ", one.child[i], one.code[i]);
	for (size_t i = 0; i < stored.n; i++)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s:%s ", stored.child[i], stored.code[i]);
	assert_string_equal(a, "A:8620 B:8620 C:334 C:602 C:8525Q D:431 D:501 ");
	assert_string_equal(b, "B:8620 D:431 D:501 ");
	validate_set_free(set);
}

/* docs/VALIDATION.md lists every rule, with its years and record type. */
static void test_docs_list_every_rule(void **state)
{
	(void)state;
	FILE *f = fopen(CSPERF_DOCS "/VALIDATION.md", "r");
	assert_non_null(f);
	static char doc[1 << 18];
	size_t len = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[len] = '\0';
	size_t n;
	const validate_rule *rules = validate_rules(&n);
	for (size_t i = 0; i < n; i++) {
		const validate_rule *r = &rules[i];
		char years[32], row[128];
		if (r->year_from == 0 && r->year_to == 0)
			snprintf(years, sizeof(years), "all");
		else if (r->year_to == 0)
			snprintf(years, sizeof(years), "%d-", r->year_from);
		else if (r->year_from == 0)
			snprintf(years, sizeof(years), "to %d", r->year_to);
		else
			snprintf(years, sizeof(years), "%d-%d", r->year_from, r->year_to);
		snprintf(row, sizeof(row), "\n| %s | %s | %s | %s |", r->code, years,
			csperf_record_type_name(r->type), r->dfe_fields);
		if (strstr(doc, row) == NULL)
			fail_msg("docs/VALIDATION.md has no row \"%s\"", row + 1);
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
		cmocka_unit_test(test_shared_samples),
		cmocka_unit_test(test_docs_list_every_rule),
		cmocka_unit_test(test_stored_records_across_returns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
