/*
 * test_auth.c: roles, scopes, the policy table against the methods csperfd
 * serves, small-number suppression, bearer tokens, and the UTF-8 check of
 * decoded messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "handlers/handlers.h"
#include "rpc/message_check.h"

#include "csperf/v1/access.pb-c.h"
#include "csperf/v1/records.pb-c.h"

static void test_roles_round_trip(void **state)
{
	for (int role = AUTH_ROLE_ADMIN; role <= AUTH_ROLE_LAST; role++)
		assert_int_equal(auth_role_parse(auth_role_name((auth_role)role)), role);
	assert_int_equal(auth_role_parse("Admin"), AUTH_ROLE_NONE);
	assert_int_equal(auth_role_parse(""), AUTH_ROLE_NONE);
	assert_int_equal(auth_role_parse(NULL), AUTH_ROLE_NONE);
	assert_int_equal(auth_role_parse("none"), AUTH_ROLE_NONE);
	assert_string_equal(auth_role_name((auth_role)99), "none");
}

static void test_names_and_codes(void **state)
{
	char long_name[AUTH_NAME_MAX + 2];

	assert_true(auth_valid_council("975"));
	assert_true(auth_valid_council("W06000015"));
	assert_false(auth_valid_council("97"));
	assert_false(auth_valid_council("W060000150"));
	assert_false(auth_valid_council("97'5"));
	assert_false(auth_valid_council("975;"));
	assert_false(auth_valid_council("\xc3\xa9" "75"));
	assert_false(auth_valid_council(NULL));

	assert_true(auth_valid_name("finance-export@camden.gov.uk"));
	assert_true(auth_valid_name("Jo Bloggs"));
	assert_false(auth_valid_name(""));
	assert_false(auth_valid_name("jo'; DROP TABLE audit_log; --"));
	assert_false(auth_valid_name("%s%n"));
	assert_false(auth_valid_name("tab\there"));
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_false(auth_valid_name(long_name));
	long_name[AUTH_NAME_MAX] = '\0';
	assert_true(auth_valid_name(long_name));

	assert_true(auth_valid_locality("North & West"));
	assert_true(auth_valid_locality("Ynys M\xc3\xb4n"));
	assert_false(auth_valid_locality(""));
	assert_false(auth_valid_locality("a\nb"));
}

static void test_principal_init_checks_every_part(void **state)
{
	auth_principal p;
	char err[256];
	const char *councils[] = { "975", "976", "975" };
	const char *bad_council[] = { "975'" };
	const char *localities[] = { "North", "South" };

	assert_int_equal(auth_principal_init(&p, "root", "admin", NULL, 0, NULL, 0, err,
					     sizeof(err)), 0);
	assert_int_equal(p.role, AUTH_ROLE_ADMIN);
	assert_int_equal(p.ncouncils, 0);

	assert_int_equal(auth_principal_init(&p, "root", "admin", councils, 1, NULL, 0, err,
					     sizeof(err)), -1);
	assert_non_null(strstr(err, "sees every council"));
	assert_int_equal(auth_principal_init(&p, "loader", "loader", NULL, 0, NULL, 0, err,
					     sizeof(err)), -1);
	assert_string_equal(err, "a loader token needs at least one council");
	assert_int_equal(auth_principal_init(&p, "x", "superuser", councils, 1, NULL, 0, err,
					     sizeof(err)), -1);
	assert_non_null(strstr(err, "the role must be"));
	assert_int_equal(auth_principal_init(&p, "x;y", "reader", councils, 1, NULL, 0, err,
					     sizeof(err)), -1);
	assert_non_null(strstr(err, "name"));
	assert_int_equal(auth_principal_init(&p, "x", "reader", bad_council, 1, NULL, 0, err,
					     sizeof(err)), -1);
	assert_non_null(strstr(err, "LA code"));

	/* Repeats are dropped. */
	assert_int_equal(auth_principal_init(&p, "analyst", "analyst", councils, 3, localities, 2,
					     err, sizeof(err)), 0);
	assert_int_equal(p.ncouncils, 2);
	assert_string_equal(p.councils[0], "975");
	assert_string_equal(p.councils[1], "976");
	assert_int_equal(p.nlocalities, 2);
}

static void test_council_and_locality_scope(void **state)
{
	auth_principal admin, loader;
	char err[256];
	const char *councils[] = { "975" };
	const char *localities[] = { "North" };

	assert_int_equal(auth_principal_init(&admin, "a", "admin", NULL, 0, NULL, 0, err,
					     sizeof(err)), 0);
	assert_int_equal(auth_principal_init(&loader, "l", "loader", councils, 1, localities, 1,
					     err, sizeof(err)), 0);
	assert_true(auth_council_allowed(&admin, "999"));
	assert_true(auth_council_allowed(&loader, "975"));
	assert_false(auth_council_allowed(&loader, "976"));
	assert_false(auth_council_allowed(&loader, "9750"));
	assert_false(auth_council_allowed(&loader, ""));
	assert_false(auth_council_allowed(NULL, "975"));
	assert_false(auth_council_allowed(&loader, NULL));
	assert_true(auth_locality_allowed(&loader, "North"));
	assert_false(auth_locality_allowed(&loader, "South"));
	assert_true(auth_locality_allowed(&admin, "South"));
	loader.nlocalities = 0;
	assert_true(auth_locality_allowed(&loader, "South"));
}

/* Every method csperfd serves has one policy row; health alone is public; a
 * council-scoped unary request has the string field `council` the gate
 * reads; and no row names a method that is not served. */
static void test_policy_covers_every_method(void **state)
{
	size_t nmethods = 0, npolicies = 0;
	const rpc_method *methods = handlers_methods(&nmethods);
	const auth_policy *policies = auth_policies(&npolicies);

	for (size_t i = 0; i < nmethods; i++) {
		const auth_policy *policy = auth_policy_find(methods[i].path);

		if (policy == NULL)
			fail_msg("%s has no row in server/auth/policy.c", methods[i].path);
		/* Open: the health check and server reflection, nothing else. */
		assert_int_equal(policy->public_call,
				 strcmp(methods[i].path, "/grpc.health.v1.Health/Check") == 0 ||
				 strncmp(methods[i].path, "/grpc.reflection.", 17) == 0);
		if (!policy->public_call && policy->roles == 0)
			fail_msg("%s is allowed to no role", methods[i].path);
		if (policy->scope == AUTH_SCOPE_COUNCIL && methods[i].kind != RPC_CLIENT_STREAM &&
		    methods[i].kind != RPC_BIDI_STREAM) {
			const ProtobufCFieldDescriptor *field =
				protobuf_c_message_descriptor_get_field_by_name(methods[i].request,
										"council");

			if (field == NULL || field->type != PROTOBUF_C_TYPE_STRING ||
			    field->label == PROTOBUF_C_LABEL_REPEATED)
				fail_msg("%s is council-scoped but its request has no string council",
					 methods[i].path);
		}
	}
	for (size_t i = 0; i < npolicies; i++) {
		bool served = false;

		for (size_t k = i + 1; k < npolicies; k++)
			if (strcmp(policies[i].method, policies[k].method) == 0)
				fail_msg("%s has two rows in the policy", policies[i].method);

		for (size_t k = 0; k < nmethods; k++)
			served = served || strcmp(methods[k].path, policies[i].method) == 0;
		if (!served)
			fail_msg("the policy names %s, which csperfd does not serve", policies[i].method);
	}
	assert_null(auth_policy_find("/csperf.v1.Performance/NoSuchMethod"));
	assert_false(auth_role_allowed(NULL, AUTH_ROLE_ADMIN));
	assert_false(auth_role_allowed(auth_policy_find("/csperf.v1.Performance/GetServerInfo"),
				       AUTH_ROLE_NONE));
}

static void test_suppression(void **state)
{
	auth_principal p;
	auth_suppression s;

	assert_false(auth_suppress_count(0, 4));
	for (int n = 1; n <= 4; n++)
		assert_true(auth_suppress_count(n, 4));
	assert_false(auth_suppress_count(5, 4));
	assert_false(auth_suppress_count(-1, 4));
	assert_true(auth_suppress_count(9, 10));

	/* 3 of 40 (7.5%) identifies children; so does 40 of 3; 5 of 40 does not. */
	assert_true(auth_suppress_ratio(3, 40, 4));
	assert_true(auth_suppress_ratio(40, 3, 4));
	assert_false(auth_suppress_ratio(5, 40, 4));
	assert_false(auth_suppress_ratio(0, 40, 4));

	memset(&p, 0, sizeof(p));
	for (int role = AUTH_ROLE_ADMIN; role <= AUTH_ROLE_LAST; role++) {
		p.role = (auth_role)role;
		s = auth_suppression_for(&p, 6);
		assert_int_equal(s.suppress, role == AUTH_ROLE_SCRUTINY);
		assert_int_equal(s.threshold, 6);
	}
	s = auth_suppression_for(NULL, 0);
	assert_true(s.suppress);
	assert_int_equal(s.threshold, AUTH_SUPPRESS_THRESHOLD_DEFAULT);
}

static void test_tokens(void **state)
{
	char a[AUTH_TOKEN_LENGTH + 1], b[AUTH_TOKEN_LENGTH + 1], hash[AUTH_SHA256_HEX_SIZE];
	char upper[AUTH_TOKEN_LENGTH + 1];

	assert_int_equal(auth_token_generate(a), 0);
	assert_int_equal(auth_token_generate(b), 0);
	assert_int_equal(strlen(a), AUTH_TOKEN_LENGTH);
	assert_string_not_equal(a, b);
	assert_true(auth_token_well_formed(a));
	memcpy(upper, a, sizeof(upper));
	upper[AUTH_TOKEN_LENGTH - 1] = 'F';
	assert_false(auth_token_well_formed(upper));
	upper[AUTH_TOKEN_LENGTH - 1] = '\0';
	assert_false(auth_token_well_formed(upper));
	assert_false(auth_token_well_formed("csperf_"));
	assert_false(auth_token_well_formed(a + 1));
	assert_false(auth_token_well_formed(NULL));

	/* The SHA-256 of "abc" (FIPS 180-2). */
	auth_token_hash("abc", hash);
	assert_string_equal(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

	assert_string_equal(auth_bearer_token("Bearer abc"), "abc");
	assert_string_equal(auth_bearer_token("bearer  abc"), "abc");
	assert_null(auth_bearer_token("Basic abc"));
	assert_null(auth_bearer_token("Bearer "));
	assert_null(auth_bearer_token("Bearerabc"));
	assert_null(auth_bearer_token(NULL));

	auth_secret_wipe(a, sizeof(a));
	assert_int_equal(a[0], 0);
	assert_int_equal(a[AUTH_TOKEN_LENGTH - 1], 0);
}

static void test_utf8(void **state)
{
	static const char *const valid[] = {
		"", "plain", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf",
		"\xf4\x8f\xbf\xbf",
	};
	static const char *const invalid[] = {
		"\xff", "\xc3", "\xc3\x28", "\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "ok\xe2\x82",
	};

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		assert_true(message_utf8_valid(valid[i], strlen(valid[i])));
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		if (message_utf8_valid(invalid[i], strlen(invalid[i])))
			fail_msg("invalid UTF-8 #%zu accepted", i);
}

static void test_message_strings(void **state)
{
	Csperf__V1__CreateTokenRequest create = CSPERF__V1__CREATE_TOKEN_REQUEST__INIT;
	Csperf__V1__LoadRecordsRequest load = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__RecordBatch batch = CSPERF__V1__RECORD_BATCH__INIT;
	Csperf__V1__Record record = CSPERF__V1__RECORD__INIT;
	Csperf__V1__Record *records[1] = { &record };
	char *councils[2] = { "975", "97\xff" };
	char *values[2] = { "A1", "caf\xc3\xa9" };

	create.name = "n";
	create.role = "admin";
	create.n_councils = 1;
	create.councils = councils;
	assert_true(message_strings_valid(&create.base));
	create.n_councils = 2;
	assert_false(message_strings_valid(&create.base));

	/* A string inside a oneof's message, inside a repeated message. */
	record.n_values = 2;
	record.values = values;
	batch.n_records = 1;
	batch.records = records;
	load.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_BATCH;
	load.batch = &batch;
	assert_true(message_strings_valid(&load.base));
	values[1] = "caf\xe9";
	assert_false(message_strings_valid(&load.base));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_round_trip),
		cmocka_unit_test(test_names_and_codes),
		cmocka_unit_test(test_principal_init_checks_every_part),
		cmocka_unit_test(test_council_and_locality_scope),
		cmocka_unit_test(test_policy_covers_every_method),
		cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_message_strings),
	};

	return cmocka_run_group_tests_name("unit_auth", tests, NULL, NULL);
}
