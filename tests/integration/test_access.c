/*
 * test_access.c: access control end to end, against a real csperfd.
 *
 * - The matrix: every method csperfd serves (its method table), called by
 *   no token, a malformed, an unknown and a revoked token, and a token of
 *   every role scoped to council 975, for its own council, another that has
 *   data (976) and one that does not exist (999): each cell is allowed or
 *   denied as docs/SECURITY.md says, and a refusal reads the same whether
 *   or not the council exists.
 * - Every string field of every request, tried with quotes, semicolons,
 *   format directives, very long and invalid UTF-8 values: a clear
 *   INVALID_ARGUMENT or a correct answer, never SQL text, never a crash.
 * - The audit trail: each call recorded, with no token, child identifier or
 *   postcode in it or in the log; UPDATE, DELETE and TRUNCATE refused.
 * - Revocation, the last admin, the CLI, and csperfd serving as a login
 *   with csperf_app's privileges only.
 *
 * Calls go through gRPC core directly (as any client may), so that every
 * request can be shaped at will; the SDK and the CLI are used where they are
 * what is tested.
 */
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csperf/access.h>
#include <csperf/loads.h>

#include "fixture.h"
#include "raw_grpc.h"
#include "handlers/handlers.h"

#include "csperf/v1/records.pb-c.h"

#ifndef CSPERF_CLI_PATH
#error "CSPERF_CLI_PATH must name the csperf tool"
#endif

#define OWN "975"
#define OTHER "976"
#define ABSENT "999"
#define MISSING_LOAD 999999

static fixture_pg pg;
static fixture_server server;
static grpc_channel *channel;

/* The callers of the matrix. */
enum {
	CALLER_NONE, CALLER_MALFORMED, CALLER_UNKNOWN, CALLER_REVOKED, CALLER_ADMIN,
	CALLER_LOADER, CALLER_ANALYST, CALLER_READER, CALLER_FINANCE, CALLER_SCRUTINY,
	NCALLERS
};
static const char *const caller_names[NCALLERS] = {
	"no token", "malformed", "unknown", "revoked", "admin", "loader", "analyst", "reader",
	"finance", "scrutiny",
};
static char authorization[NCALLERS][160];
static int64_t throwaway_token;
static int64_t other_load;   /* a load of council 976 */

/* ---- requests built by reflection, freed together ---- */

typedef struct arena {
	void *blocks[256];
	size_t count;
} arena;

static void *arena_alloc(arena *a, size_t size)
{
	void *block = calloc(1, size);

	assert_non_null(block);
	assert_true(a->count < sizeof(a->blocks) / sizeof(a->blocks[0]));
	a->blocks[a->count++] = block;
	return block;
}

static void arena_free(arena *a)
{
	for (size_t i = 0; i < a->count; i++)
		free(a->blocks[i]);
	a->count = 0;
}

static ProtobufCMessage *message_new(arena *a, const ProtobufCMessageDescriptor *desc)
{
	ProtobufCMessage *msg = arena_alloc(a, desc->sizeof_message);

	protobuf_c_message_init(desc, msg);
	return msg;
}

static void *member(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *field)
{
	return (char *)msg + field->offset;
}

static size_t *quantifier(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *field)
{
	return (size_t *)((char *)msg + field->quantifier_offset);
}

/* Sets a string field (a repeated one to the one value). */
static void set_string_field(arena *a, ProtobufCMessage *msg,
			     const ProtobufCFieldDescriptor *field, const char *value)
{
	if (field->label == PROTOBUF_C_LABEL_REPEATED) {
		const char **items = arena_alloc(a, sizeof(char *));

		items[0] = value;
		*quantifier(msg, field) = 1;
		*(const char ***)member(msg, field) = items;
	} else {
		*(const char **)member(msg, field) = value;
		/* A oneof member is sent only when it is the one set. */
		if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0)
			*(uint32_t *)quantifier(msg, field) = field->id;
	}
}

static void set_string(arena *a, ProtobufCMessage *msg, const char *name, const char *value)
{
	const ProtobufCFieldDescriptor *field =
		protobuf_c_message_descriptor_get_field_by_name(msg->descriptor, name);

	assert_non_null(field);
	set_string_field(a, msg, field, value);
}

static bool has_field(const ProtobufCMessage *msg, const char *name)
{
	return protobuf_c_message_descriptor_get_field_by_name(msg->descriptor, name) != NULL;
}

/* The sub-message a field holds, made when absent (a oneof member is set). */
static ProtobufCMessage *sub_message(arena *a, ProtobufCMessage *msg,
				     const ProtobufCFieldDescriptor *field)
{
	const ProtobufCMessageDescriptor *desc = field->descriptor;

	if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0)
		*(uint32_t *)quantifier(msg, field) = field->id;
	if (field->label == PROTOBUF_C_LABEL_REPEATED) {
		ProtobufCMessage ***items = (ProtobufCMessage ***)member(msg, field);

		if (*quantifier(msg, field) == 0) {
			*items = arena_alloc(a, sizeof(ProtobufCMessage *));
			(*items)[0] = message_new(a, desc);
			*quantifier(msg, field) = 1;
		}
		return (*items)[0];
	}
	if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 ||
	    *(ProtobufCMessage **)member(msg, field) == NULL)
		*(ProtobufCMessage **)member(msg, field) = message_new(a, desc);
	return *(ProtobufCMessage **)member(msg, field);
}

/* ---- calls through gRPC core ---- */

typedef struct outcome {
	grpc_status_code status;
	char message[512];
} outcome;

/* Sends messages on method (one for unary calls, more for a client stream)
 * with `authorization` metadata auth (NULL: none), and returns the status. */
static outcome call(const char *method, ProtobufCMessage *const *messages, size_t count,
		    const char *auth)
{
	raw_message *raw = calloc(count + 1, sizeof(*raw));
	outcome result = { GRPC_STATUS_UNKNOWN, "" };

	assert_non_null(raw);
	for (size_t i = 0; i < count; i++) {
		uint8_t *bytes = malloc(protobuf_c_message_get_packed_size(messages[i]) + 1);

		assert_non_null(bytes);
		raw[i].len = protobuf_c_message_pack(messages[i], bytes);
		raw[i].bytes = bytes;
	}
	result.status = raw_grpc_call(channel, method, raw, count, auth, result.message,
				      sizeof(result.message));
	for (size_t i = 0; i < count; i++)
		free((void *)raw[i].bytes);
	free(raw);
	return result;
}

static const char *status_name(grpc_status_code code)
{
	static const char *const names[] = {
		"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
		"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
		"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
		"UNAUTHENTICATED",
	};

	return (unsigned)code < sizeof(names) / sizeof(names[0]) ? names[code] : "?";
}

/* ---- setup: tokens of every role, and data for council 976 ---- */

static csperf_client *sdk_client(const char *token)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = server.address;
	options.token = token;
	options.timeout_ms = fixture_deadline_ms(30000);
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	return client;
}

static int64_t make_token(csperf_client *admin, const char *role, const char *name,
			  const char *council, char *bearer, size_t size)
{
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	const char *councils[1] = { council };
	csperf_token_secret *secret = NULL;
	int64_t id;

	opts.name = name;
	opts.role = role;
	opts.ncouncils = council != NULL ? 1 : 0;
	opts.councils = councils;
	if (csperf_token_create(admin, &opts, &secret) != CSPERF_OK)
		fail_msg("CreateToken %s: %s", role, csperf_error_last());
	if (bearer != NULL)
		snprintf(bearer, size, "Bearer %s", secret->token);
	id = secret->info.id;
	csperf_token_secret_free(secret);
	return id;
}

/* An empty load (stored: no records, no rejections) for a council. */
static int64_t empty_load(csperf_client *client, const char *council, const char *key)
{
	csperf_load_options opts = CSPERF_LOAD_OPTIONS_INIT;
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;
	int64_t id;

	opts.council = council;
	opts.source = "csv";
	opts.idempotency_key = key;
	if (csperf_load_begin(client, &opts, &load) != CSPERF_OK ||
	    csperf_load_finish(load, &summary) != CSPERF_OK)
		fail_msg("an empty load for %s: %s", council, csperf_error_last());
	id = summary->load_id;
	assert_true(id > 0);
	csperf_load_summary_free(summary);
	csperf_load_free(load);
	return id;
}

static int setup(void **state)
{
	static const char *const roles[] = { "loader", "analyst", "reader", "finance", "scrutiny" };
	csperf_client *admin;

	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	grpc_init();
	{
		grpc_channel_credentials *creds = grpc_insecure_credentials_create();

		channel = grpc_channel_create(server.address, creds, NULL);
		grpc_channel_credentials_release(creds);
	}
	admin = sdk_client(server.token);
	snprintf(authorization[CALLER_ADMIN], sizeof(authorization[0]), "Bearer %s", server.token);
	snprintf(authorization[CALLER_MALFORMED], sizeof(authorization[0]), "Bearer %s",
		 "not-a-token");
	snprintf(authorization[CALLER_UNKNOWN], sizeof(authorization[0]),
		 "Bearer csperf_%064d", 0);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		make_token(admin, roles[i], roles[i], OWN, authorization[CALLER_LOADER + i],
			   sizeof(authorization[0]));
	assert_int_equal(csperf_token_revoke(admin,
		make_token(admin, "loader", "revoked loader", OWN, authorization[CALLER_REVOKED],
			   sizeof(authorization[0]))), CSPERF_OK);
	throwaway_token = make_token(admin, "reader", "throwaway", OWN, NULL, 0);
	other_load = empty_load(admin, OTHER, "other council's load");
	csperf_client_free(admin);
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	if (channel != NULL)
		grpc_channel_destroy(channel);
	grpc_shutdown();
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

/* ---- the matrix ---- */

typedef enum expect { ALLOWED, DENIED, UNAUTHENTICATED } expect;

/* Shapes a request: what it needs besides its council. */
typedef void (*prepare_fn)(arena *a, ProtobufCMessage *request);

typedef struct rpc_row {
	const char *method;
	const char *roles;     /* the roles allowed, space-separated; "*" no token needed */
	bool council_scoped;
	prepare_fn prepare;
} rpc_row;

static void prepare_load(arena *a, ProtobufCMessage *request)
{
	Csperf__V1__LoadRecordsRequest *req = (Csperf__V1__LoadRecordsRequest *)request;
	static int serial;
	char *key = arena_alloc(a, 32);

	/* A schema version nobody sends: an allowed call stops at
	 * FAILED_PRECONDITION and stores nothing, so council 999 stays absent. */
	snprintf(key, 32, "matrix-%d", ++serial);
	req->item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_HEADER;
	req->header = arena_alloc(a, sizeof(*req->header));
	csperf__v1__load_header__init(req->header);
	req->header->source = "csv";
	req->header->idempotency_key = key;
	req->header->schema_version = 0;
}

static void prepare_delete(arena *a, ProtobufCMessage *request)
{
	((Csperf__V1__DeleteLoadRequest *)request)->load_id = MISSING_LOAD;
}

static void prepare_create_token(arena *a, ProtobufCMessage *request)
{
	set_string(a, request, "name", "matrix");
	set_string(a, request, "role", "reader");
	set_string(a, request, "councils", OWN);
}

static void prepare_revoke(arena *a, ProtobufCMessage *request)
{
	const ProtobufCFieldDescriptor *field =
		protobuf_c_message_descriptor_get_field_by_name(request->descriptor, "id");

	*(int64_t *)member(request, field) = throwaway_token;
}

static void prepare_indicator(arena *a, ProtobufCMessage *request)
{
	if (has_field(request, "indicator_id"))
		set_string(a, request, "indicator_id", "no-such-indicator");
}

static void prepare_costs(arena *a, ProtobufCMessage *request)
{
	set_string(a, request, "financial_year", "2018-19");
	set_string(a, request, "as_at", "2019-01-31");
}

static void prepare_reconcile(arena *a, ProtobufCMessage *request)
{
	set_string(a, request, "year", "2018-19");
}

static void prepare_validate(arena *a, ProtobufCMessage *request)
{
	const ProtobufCFieldDescriptor *field =
		protobuf_c_message_descriptor_get_field_by_name(request->descriptor, "year");

	(void)a;
	*(int32_t *)member(request, field) = 2019;
}

static void prepare_card(arena *a, ProtobufCMessage *request)
{
	set_string(a, request, "period", "2018-19:Q4");
	set_string(a, request, "indicator_id", "CN02");
}

/* What docs/SECURITY.md promises, written out again: the test is the spec. */
static const rpc_row matrix[] = {
	{ "/grpc.health.v1.Health/Check", "*", false, NULL },
	{ "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "*", false, NULL },
	{ "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", "*", false, NULL },
	{ "/csperf.v1.Performance/GetServerInfo",
	  "admin loader analyst reader finance scrutiny", false, NULL },
	{ "/csperf.v1.Performance/LoadRecords", "admin loader", true, prepare_load },
	{ "/csperf.v1.Performance/ListLoads", "admin loader analyst", true, NULL },
	{ "/csperf.v1.Performance/DeleteLoad", "admin loader", true, prepare_delete },
	{ "/csperf.v1.Performance/CreateToken", "admin", false, prepare_create_token },
	{ "/csperf.v1.Performance/ListTokens", "admin", false, NULL },
	{ "/csperf.v1.Performance/RevokeToken", "admin", false, prepare_revoke },
	{ "/csperf.v1.Performance/GetAudit", "admin", false, NULL },
	{ "/csperf.v1.Performance/ListIndicators",
	  "admin loader analyst reader finance scrutiny", false, NULL },
	{ "/csperf.v1.Performance/GetIndicator",
	  "admin loader analyst reader finance scrutiny", false, prepare_indicator },
	{ "/csperf.v1.Performance/PutIndicator", "admin", false, NULL },
	{ "/csperf.v1.Performance/GetIndicatorSeries", "admin analyst scrutiny",
	  true, prepare_indicator },
	{ "/csperf.v1.Performance/GetIndicatorCases", "admin analyst", true, NULL },
	{ "/csperf.v1.Performance/GetChildList", "admin analyst", true, NULL },
	{ "/csperf.v1.Performance/GetScorecard", "admin analyst reader scrutiny", true,
	  NULL },
	{ "/csperf.v1.Performance/GetExceptions", "admin analyst reader scrutiny", true,
	  NULL },
	{ "/csperf.v1.Performance/ListOrgUnits", "admin analyst reader scrutiny", true, NULL },
	{ "/csperf.v1.Performance/WatchScorecard", "admin analyst reader scrutiny", true,
	  NULL },
	{ "/csperf.v1.Performance/GetPlacementCosts", "admin finance", true, prepare_costs },
	{ "/csperf.v1.Performance/ExportPlacementCosts", "admin finance", true, prepare_costs },
	{ "/csperf.v1.Performance/LoadComparators", "admin loader", false, NULL },
	{ "/csperf.v1.Performance/PutCouncil", "admin", false, NULL },
	{ "/csperf.v1.Performance/ListCouncils", "admin", false, NULL },
	{ "/csperf.v1.Performance/DeleteCouncil", "admin", false, NULL },
	{ "/csperf.v1.Performance/ImportComparators", "admin loader", false, NULL },
	{ "/csperf.v1.Performance/Reconcile", "admin analyst", true, prepare_reconcile },
	{ "/csperf.v1.Performance/ValidateRecords", "admin loader analyst", true,
	  prepare_validate },
	{ "/csperf.v1.Performance/PutCouncilSettings", "admin", true, NULL },
	{ "/csperf.v1.Performance/GetCouncilSettings", "admin analyst reader scrutiny", true,
	  NULL },
	{ "/csperf.v1.Performance/PutReportCard", "admin analyst", true, prepare_card },
	{ "/csperf.v1.Performance/GetReportCards", "admin analyst reader scrutiny", true,
	  prepare_card },
};

static const rpc_row *matrix_row(const char *method)
{
	for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		if (strcmp(matrix[i].method, method) == 0)
			return &matrix[i];
	return NULL;
}

static bool role_listed(const char *roles, const char *role)
{
	size_t len = strlen(role);

	for (const char *p = strstr(roles, role); p != NULL; p = strstr(p + 1, role))
		if ((p == roles || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return true;
	return false;
}

static expect expected(const rpc_row *row, int caller, const char *council)
{
	if (strcmp(row->roles, "*") == 0)
		return ALLOWED;
	if (caller < CALLER_ADMIN)
		return UNAUTHENTICATED;
	if (!role_listed(row->roles, caller_names[caller]))
		return DENIED;
	if (caller == CALLER_ADMIN || !row->council_scoped || strcmp(council, OWN) == 0)
		return ALLOWED;
	return DENIED;
}

static ProtobufCMessage *build_request(arena *a, const rpc_method *method, const rpc_row *row,
				       const char *council)
{
	ProtobufCMessage *request = message_new(a, method->request);

	if (row->prepare != NULL)
		row->prepare(a, request);
	if (row->council_scoped) {
		if (method->kind == RPC_CLIENT_STREAM)
			((Csperf__V1__LoadRecordsRequest *)request)->header->council = (char *)council;
		else
			set_string(a, request, "council", council);
	}
	return request;
}

static void test_every_rpc_under_every_role_and_scope(void **state)
{
	static const char *const councils[] = { OWN, OTHER, ABSENT };
	size_t nmethods = 0, failures = 0, cells = 0;
	const rpc_method *methods = handlers_methods(&nmethods);
	static char denied_other[NCALLERS][512];

	printf("%-20s", "");
	for (int caller = 0; caller < NCALLERS; caller++)
		printf(" %-9.9s", caller_names[caller]);
	printf("\n");
	for (size_t m = 0; m < nmethods; m++) {
		const rpc_row *row = matrix_row(methods[m].path);
		size_t ncouncils;

		if (row == NULL)
			fail_msg("%s is served but not in this test's matrix: add its row here and "
				 "in docs/SECURITY.md", methods[m].path);
		ncouncils = row->council_scoped ? 3 : 1;
		for (size_t k = 0; k < ncouncils; k++) {
			printf("%-16.16s %-3s", strrchr(row->method, '/') + 1,
			       row->council_scoped ? councils[k] : "");
			for (int caller = 0; caller < NCALLERS; caller++) {
				arena a = { { NULL }, 0 };
				ProtobufCMessage *request = build_request(&a, &methods[m], row,
									  councils[k]);
				outcome got = call(methods[m].path, &request, 1,
						   caller == CALLER_NONE ? NULL : authorization[caller]);
				expect want = expected(row, caller, councils[k]);
				bool ok;

				arena_free(&a);
				cells++;
				switch (want) {
				case ALLOWED:
					ok = got.status != GRPC_STATUS_UNAUTHENTICATED &&
					     got.status != GRPC_STATUS_PERMISSION_DENIED &&
					     got.status != GRPC_STATUS_INTERNAL &&
					     got.status != GRPC_STATUS_UNKNOWN &&
					     got.status != GRPC_STATUS_UNIMPLEMENTED;
					break;
				case DENIED:
					ok = got.status == GRPC_STATUS_PERMISSION_DENIED;
					break;
				default:
					ok = got.status == GRPC_STATUS_UNAUTHENTICATED;
				}
				printf(" %-9.9s", want == ALLOWED ? (ok ? "allowed" : "ALLOWED?")
				       : want == DENIED ? (ok ? "denied" : "DENIED?")
				       : (ok ? "unauth" : "UNAUTH?"));
				if (!ok) {
					fprintf(stderr, "\n%s, council %s, %s: %s (%s)\n", row->method,
						councils[k], caller_names[caller], status_name(got.status),
						got.message);
					failures++;
				}
				/* No hint whether another council exists: council 999 is
				 * refused in the very words council 976 is. */
				if (want == DENIED && row->council_scoped && k == 1)
					snprintf(denied_other[caller], sizeof(denied_other[0]), "%s",
						 got.message);
				if (want == DENIED && row->council_scoped && k == 2 &&
				    strcmp(denied_other[caller], got.message) != 0) {
					fprintf(stderr, "\n%s, %s: 976 refused with '%s', 999 with '%s'\n",
						row->method, caller_names[caller], denied_other[caller],
						got.message);
					failures++;
				}
			}
			printf("\n");
		}
	}
	printf("%zu cells\n", cells);
	assert_int_equal(failures, 0);
	assert_true(cells > 100);
}

/* A loader of 975 deleting 976's load that exists, or one that does not:
 * the same refusal. */
static void test_refusals_do_not_tell_what_exists(void **state)
{
	Csperf__V1__DeleteLoadRequest existing = CSPERF__V1__DELETE_LOAD_REQUEST__INIT;
	Csperf__V1__DeleteLoadRequest missing = CSPERF__V1__DELETE_LOAD_REQUEST__INIT;
	Csperf__V1__DeleteLoadRequest absent = CSPERF__V1__DELETE_LOAD_REQUEST__INIT;
	ProtobufCMessage *requests[3] = { &existing.base, &missing.base, &absent.base };
	outcome got[3];

	existing.council = OTHER;
	existing.load_id = other_load;
	missing.council = OTHER;
	missing.load_id = MISSING_LOAD;
	absent.council = ABSENT;
	absent.load_id = other_load;
	for (int i = 0; i < 3; i++) {
		got[i] = call("/csperf.v1.Performance/DeleteLoad", &requests[i], 1,
			      authorization[CALLER_LOADER]);
		assert_int_equal(got[i].status, GRPC_STATUS_PERMISSION_DENIED);
		assert_string_equal(got[i].message, got[0].message);
	}
	assert_null(strstr(got[0].message, OTHER));
	/* The load is still there. */
	{
		char sql[128], *count;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM load WHERE id = %lld",
			 (long long)other_load);
		count = fixture_pg_query(&pg, sql);
		assert_string_equal(count, "1");
		free(count);
	}
}

/* ---- every string field, with values no one should send ---- */

static char long_value[100001];

static const char *const nasty[] = {
	"'", "\"", "975'; DROP TABLE audit_log; --", "x; SELECT pg_sleep(10)",
	"%s%s%s%s%n%x%p", "\\", "\xff\xfe", "caf\xc3\x28", "\xed\xa0\x80", long_value,
	"Ynys M\xc3\xb4n \xf0\x9f\x99\x82",
};

static bool utf8_broken(const char *value)
{
	return strstr(value, "\xff") != NULL || strstr(value, "\xc3\x28") != NULL ||
	       strstr(value, "\xed\xa0") != NULL;
}

/* A clear answer: a status a user can act on, and no database text. */
static bool clear_answer(const outcome *got, const char *value)
{
	static const char *const leaks[] = {
		"SQLSTATE", "syntax error", "ERROR:", "relation ", "column ", "PQ", "libpq",
		"invalid byte sequence",
	};

	for (size_t i = 0; i < sizeof(leaks) / sizeof(leaks[0]); i++)
		if (strstr(got->message, leaks[i]) != NULL)
			return false;
	if (utf8_broken(value))
		return got->status == GRPC_STATUS_INVALID_ARGUMENT;
	return got->status == GRPC_STATUS_OK || got->status == GRPC_STATUS_INVALID_ARGUMENT ||
	       got->status == GRPC_STATUS_NOT_FOUND ||
	       got->status == GRPC_STATUS_FAILED_PRECONDITION ||
	       got->status == GRPC_STATUS_OUT_OF_RANGE;
}

/* A path of fields from a request down to one string. */
typedef struct field_path {
	const ProtobufCFieldDescriptor *fields[4];
	size_t depth;
} field_path;

/* Every string field reachable from desc, through sub-messages. */
static size_t string_paths(const ProtobufCMessageDescriptor *desc, field_path prefix,
			   field_path *out, size_t max, size_t count)
{
	for (unsigned i = 0; i < desc->n_fields && count < max; i++) {
		const ProtobufCFieldDescriptor *field = &desc->fields[i];
		field_path path = prefix;

		path.fields[path.depth++] = field;
		if (field->type == PROTOBUF_C_TYPE_STRING)
			out[count++] = path;
		else if (field->type == PROTOBUF_C_TYPE_MESSAGE && path.depth < 4)
			count = string_paths(field->descriptor, path, out, max, count);
	}
	return count;
}

static void set_path(arena *a, ProtobufCMessage *msg, const field_path *path, const char *value)
{
	for (size_t i = 0; i + 1 < path->depth; i++)
		msg = sub_message(a, msg, path->fields[i]);
	set_string_field(a, msg, path->fields[path->depth - 1], value);
}

static void describe_path(const field_path *path, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < path->depth && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i > 0 ? "." : "",
					 path->fields[i]->name);
}

static void test_every_string_field_with_hostile_values(void **state)
{
	size_t nmethods = 0, failures = 0, tried = 0;
	const rpc_method *methods = handlers_methods(&nmethods);

	memset(long_value, 'A', sizeof(long_value) - 1);
	for (size_t m = 0; m < nmethods; m++) {
		const rpc_row *row = matrix_row(methods[m].path);
		field_path paths[64];
		field_path none = { { NULL }, 0 };
		size_t npaths;

		assert_non_null(row);
		if (methods[m].kind == RPC_CLIENT_STREAM)
			continue;  /* LoadRecords: test_load_stream_with_hostile_values */
		npaths = string_paths(methods[m].request, none, paths, 64, 0);
		for (size_t p = 0; p < npaths; p++) {
			for (size_t v = 0; v < sizeof(nasty) / sizeof(nasty[0]); v++) {
				arena a = { { NULL }, 0 };
				ProtobufCMessage *request = build_request(&a, &methods[m], row, OWN);
				outcome got;
				char where[128];

				set_path(&a, request, &paths[p], nasty[v]);
				got = call(methods[m].path, &request, 1, authorization[CALLER_ADMIN]);
				arena_free(&a);
				tried++;
				if (!clear_answer(&got, nasty[v])) {
					describe_path(&paths[p], where, sizeof(where));
					fprintf(stderr, "%s %s = value #%zu: %s (%.200s)\n", methods[m].path,
						where, v, status_name(got.status), got.message);
					failures++;
				}
			}
		}
	}
	printf("%zu hostile requests answered clearly\n", tried - failures);
	assert_int_equal(failures, 0);
	assert_true(tried > 100);
	{
		csperf_client *client = sdk_client(server.token);
		csperf_health health = CSPERF_HEALTH_UNKNOWN;

		assert_int_equal(csperf_health_check(client, "", &health), CSPERF_OK);
		assert_int_equal(health, CSPERF_HEALTH_SERVING);
		csperf_client_free(client);
	}
	{
		char *tables = fixture_pg_query(&pg, "SELECT count(*) FROM audit_log");

		assert_non_null(tables);
		free(tables);
	}
}

/* LoadRecords: the header's fields, a file's path, a file's field names and
 * a record's values, each hostile in turn, after a valid header. */
static void test_load_stream_with_hostile_values(void **state)
{
	static const char *const child[] = { "HOSTILE1", "F", "2012-06-05", "", "WBRI", "" };
	size_t failures = 0, tried = 0;

	memset(long_value, 'A', sizeof(long_value) - 1);
	/* 0-5 the header's strings, 6 the file's path, 7-12 its field names,
	 * 13-18 the record's values. */
	for (int part = 0; part < 19; part++) {
		for (size_t v = 0; v < sizeof(nasty) / sizeof(nasty[0]); v++) {
			Csperf__V1__LoadRecordsRequest header_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
			Csperf__V1__LoadRecordsRequest file_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
			Csperf__V1__LoadRecordsRequest fields_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
			Csperf__V1__LoadRecordsRequest batch_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
			Csperf__V1__LoadRecordsRequest end_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
			Csperf__V1__LoadEnd end = CSPERF__V1__LOAD_END__INIT;
			Csperf__V1__LoadHeader header = CSPERF__V1__LOAD_HEADER__INIT;
			Csperf__V1__SourceFile file = CSPERF__V1__SOURCE_FILE__INIT;
			Csperf__V1__SourceFields fields = CSPERF__V1__SOURCE_FIELDS__INIT;
			Csperf__V1__RecordBatch batch = CSPERF__V1__RECORD_BATCH__INIT;
			Csperf__V1__Record record = CSPERF__V1__RECORD__INIT;
			Csperf__V1__Record *records[1] = { &record };
			char *names[6] = { "CHILD", "SEX", "DOB", "EDD", "ETHNIC", "DISAB" };
			char *values[6];
			char **header_fields[6] = { &header.council, &header.source, &header.label,
						    &header.idempotency_key, &header.council_name,
						    &header.council_nation };
			char key[64];
			ProtobufCMessage *messages[5] = { &header_req.base, &file_req.base,
							  &fields_req.base, &batch_req.base,
							  &end_req.base };
			outcome got;

			snprintf(key, sizeof(key), "hostile-%d-%zu", part, v);
			memcpy(values, child, sizeof(values));
			header.council = OWN;
			header.source = "csv";
			header.idempotency_key = key;
			header.schema_version = CSPERF_RECORD_SCHEMA_VERSION;
			header.accept_valid = true;
			header_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_HEADER;
			header_req.header = &header;
			file.index = 1;
			file.path = "children.csv";
			file_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FILE;
			file_req.file = &file;
			fields.file = 1;
			fields.type = CSPERF_RECORD_CHILD;
			fields.n_names = 6;
			fields.names = names;
			fields_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FIELDS;
			fields_req.fields = &fields;
			record.type = CSPERF_RECORD_CHILD;
			record.file = 1;
			record.line = 2;
			record.n_values = 6;
			record.values = values;
			batch.n_records = 1;
			batch.records = records;
			batch_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_BATCH;
			batch_req.batch = &batch;
			end.records = 1;
			end_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_END;
			end_req.end = &end;

			if (part < 6)
				*header_fields[part] = (char *)nasty[v];
			else if (part == 6)
				file.path = (char *)nasty[v];
			else if (part < 13)
				names[part - 7] = (char *)nasty[v];
			else
				values[part - 13] = (char *)nasty[v];
			got = call("/csperf.v1.Performance/LoadRecords", messages, 5,
				   authorization[CALLER_ADMIN]);
			tried++;
			if (!clear_answer(&got, nasty[v])) {
				fprintf(stderr, "LoadRecords part %d = value #%zu: %s (%.200s)\n", part, v,
					status_name(got.status), got.message);
				failures++;
			}
		}
	}
	printf("%zu hostile loads answered clearly\n", tried - failures);
	assert_int_equal(failures, 0);
	/* Nothing of them reached another council, and the tables stand. */
	{
		char *count = fixture_pg_query(&pg, "SELECT count(*) FROM audit_log");

		assert_non_null(count);
		free(count);
		count = fixture_pg_query(&pg,
			"SELECT count(*) FROM load WHERE council NOT IN ('975', '976')");
		assert_string_equal(count, "0");
		free(count);
	}
}

/* ---- the audit trail ---- */

static long long count_of(const char *sql)
{
	char *value = fixture_pg_query(&pg, sql);
	long long n;

	assert_non_null(value);
	n = atoll(value);
	free(value);
	return n;
}

static void test_audit_records_each_call_and_no_secret(void **state)
{
	static const char *const episode[] = {
		"SECRETCHILD42", "2018-02-01", "S", "C1", "N1", "U4", "PR2", "", "", "", "ZZ99ZZ",
		"YY88YY", "", "OUT", "",
	};
	csperf_client *loader = sdk_client(authorization[CALLER_LOADER] + 7);
	csperf_client *admin = sdk_client(server.token);
	csperf_load_options opts = CSPERF_LOAD_OPTIONS_INIT;
	csperf_record record = { CSPERF_RECORD_LA_EPISODE, sizeof(episode) / sizeof(*episode),
				 episode, "episodes.csv", 2, NULL };
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;
	csperf_load_list *list = NULL;
	csperf_audit_options filter = CSPERF_AUDIT_OPTIONS_INIT;
	csperf_audit_list *audit = NULL;
	long long before = count_of("SELECT count(*) FROM audit_log");
	long long last = count_of("SELECT coalesce(max(id), 0) FROM audit_log");
	char sql[512], *log;

	opts.council = OWN;
	opts.source = "ssda903";
	opts.idempotency_key = "audit test";
	assert_int_equal(csperf_load_begin(loader, &opts, &load), CSPERF_OK);
	assert_int_equal(csperf_load_add(load, &record), CSPERF_OK);
	assert_int_equal(csperf_load_finish(load, &summary), CSPERF_OK);
	assert_true(summary->stored);
	csperf_load_summary_free(summary);
	csperf_load_free(load);
	assert_int_equal(csperf_load_list_get(loader, OWN, 0, &list), CSPERF_OK);
	csperf_load_list_free(list);
	assert_int_equal(csperf_load_list_get(loader, OTHER, 0, &list), CSPERF_EPERM);

	/* Three calls, three lines, with what each did. */
	assert_int_equal(count_of("SELECT count(*) FROM audit_log"), before + 3);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE id > %lld"
		 " AND principal_name = 'loader' AND council = '975'"
		 " AND method = '/csperf.v1.Performance/LoadRecords' AND status = 'OK'"
		 " AND rows_returned = 1 AND parameters = 'source=ssda903 accept_valid=false'", last);
	assert_int_equal(count_of(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE id > %lld"
		 " AND principal_name = 'loader' AND council = '975'"
		 " AND method = '/csperf.v1.Performance/ListLoads' AND status = 'OK'"
		 " AND rows_returned >= 1", last);
	assert_int_equal(count_of(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE id > %lld"
		 " AND principal_name = 'loader' AND council = '976'"
		 " AND method = '/csperf.v1.Performance/ListLoads' AND status = 'PERMISSION_DENIED'",
		 last);
	assert_int_equal(count_of(sql), 1);
	/* Calls without a valid token are recorded too. */
	assert_true(count_of("SELECT count(*) FROM audit_log WHERE principal_id IS NULL"
			     " AND status = 'UNAUTHENTICATED'") > 0);
	/* Health checks are not. */
	assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE method LIKE '%Health%'"), 0);

	/* GetAudit reads the same, newest first, with its filters. */
	filter.council = OTHER;
	filter.principal = "loader";
	filter.since = "2000-01-01";
	filter.limit = 1;
	assert_int_equal(csperf_audit_get(admin, &filter, &audit), CSPERF_OK);
	assert_int_equal(audit->count, 1);
	assert_string_equal(audit->entries[0].status, "PERMISSION_DENIED");
	assert_string_equal(audit->entries[0].method, "/csperf.v1.Performance/ListLoads");
	assert_string_equal(audit->entries[0].principal, "loader");
	assert_int_equal(audit->entries[0].rows_returned, -1);
	csperf_audit_list_free(audit);
	filter.council = NULL;
	filter.principal = NULL;
	filter.since = "2999-01-01T00:00:00Z";
	assert_int_equal(csperf_audit_get(admin, &filter, &audit), CSPERF_OK);
	assert_int_equal(audit->count, 0);
	csperf_audit_list_free(audit);
	filter.since = "2019-02-29";
	assert_int_equal(csperf_audit_get(admin, &filter, &audit), CSPERF_EINVAL);

	/* No token, child identifier or postcode in the trail or the log. */
	assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE audit_log::text ~ "
				  "'csperf_[0-9a-f]{64}|SECRETCHILD42|ZZ99ZZ|YY88YY'"), 0);
	assert_int_equal(count_of("SELECT count(*) FROM la_episode WHERE child_id = "
				  "'SECRETCHILD42' AND home_postcode = 'ZZ99ZZ'"), 1);
	log = fixture_read_file(server.log_path);
	assert_non_null(log);
	for (int caller = CALLER_REVOKED; caller < NCALLERS; caller++)
		assert_null(strstr(log, authorization[caller] + 7));
	assert_null(strstr(log, "SECRETCHILD42"));
	assert_null(strstr(log, "ZZ99ZZ"));
	free(log);
	csperf_client_free(loader);
	csperf_client_free(admin);
}

static bool statement_fails(const char *dsn, const char *sql, const char *expected_error)
{
	PGconn *conn = PQconnectdb(dsn);
	PGresult *res = PQexec(conn, sql);
	bool failed = PQresultStatus(res) == PGRES_FATAL_ERROR &&
		      strstr(PQresultErrorMessage(res), expected_error) != NULL;

	if (!failed)
		fprintf(stderr, "%s: %s %s", sql, PQresStatus(PQresultStatus(res)),
			PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
	return failed;
}

/* The owner is stopped by the trigger; csperfd's role has no such right. */
static void test_audit_log_is_append_only(void **state)
{
	char app_dsn[600];
	char *made;
	long long before = count_of("SELECT count(*) FROM audit_log");

	assert_true(before > 0);
	assert_true(statement_fails(pg.dsn, "UPDATE audit_log SET status = 'OK'", "append-only"));
	assert_true(statement_fails(pg.dsn, "DELETE FROM audit_log", "append-only"));
	assert_true(statement_fails(pg.dsn, "TRUNCATE audit_log", "append-only"));

	made = fixture_pg_query(&pg, "CREATE ROLE audit_probe LOGIN IN ROLE csperf_app");
	assert_non_null(made);
	free(made);
	snprintf(app_dsn, sizeof(app_dsn), "%s user=audit_probe", pg.dsn);
	assert_true(statement_fails(app_dsn, "UPDATE audit_log SET status = 'OK'",
				    "permission denied"));
	assert_true(statement_fails(app_dsn, "DELETE FROM audit_log", "permission denied"));
	assert_true(statement_fails(app_dsn, "TRUNCATE audit_log", "permission denied"));
	assert_true(statement_fails(app_dsn, "DELETE FROM access_token", "permission denied"));
	assert_true(statement_fails(app_dsn, "UPDATE access_token SET role = 'admin'",
				    "permission denied"));
	assert_true(statement_fails(app_dsn, "DELETE FROM schema_migrations", "permission denied"));
	assert_int_equal(count_of("SELECT count(*) FROM audit_log"), before);
}

/* ---- tokens ---- */

static void test_revocation_is_immediate_and_keeps_an_admin(void **state)
{
	csperf_client *admin = sdk_client(server.token);
	csperf_token_list *list = NULL;
	csperf_server_info *info = NULL;
	char bearer[160];
	int64_t id = make_token(admin, "reader", "short-lived", OWN, bearer, sizeof(bearer));
	csperf_client *reader = sdk_client(bearer + 7);

	assert_int_equal(csperf_server_info_get(reader, &info), CSPERF_OK);
	csperf_server_info_free(info);
	info = NULL;
	assert_int_equal(csperf_token_revoke(admin, id), CSPERF_OK);
	assert_int_equal(csperf_server_info_get(reader, &info), CSPERF_EAUTH);
	assert_int_equal(csperf_token_revoke(admin, 123456789), CSPERF_ENOTFOUND);

	/* The list shows no secret and no hash; revoked ones on demand. */
	assert_int_equal(csperf_token_list_get(admin, 0, &list), CSPERF_OK);
	for (size_t i = 0; i < list->count; i++) {
		assert_int_not_equal(list->tokens[i].id, id);
		assert_string_equal(list->tokens[i].revoked_at, "");
	}
	csperf_token_list_free(list);
	assert_int_equal(csperf_token_list_get(admin, 1, &list), CSPERF_OK);
	{
		bool seen = false;

		for (size_t i = 0; i < list->count; i++)
			if (list->tokens[i].id == id) {
				seen = true;
				assert_string_not_equal(list->tokens[i].revoked_at, "");
				assert_string_equal(list->tokens[i].created_by, "fixture-admin");
				assert_int_equal(list->tokens[i].ncouncils, 1);
				assert_string_equal(list->tokens[i].councils[0], OWN);
			}
		assert_true(seen);
	}
	csperf_token_list_free(list);

	/* The last valid admin token cannot be revoked. */
	{
		char *admin_id = fixture_pg_query(&pg,
			"SELECT id FROM access_token WHERE role = 'admin' AND revoked_at IS NULL");

		assert_non_null(admin_id);
		assert_int_equal(csperf_token_revoke(admin, atoll(admin_id)), CSPERF_EPRECONDITION);
		assert_non_null(strstr(csperf_error_last(), "last valid admin token"));
		free(admin_id);
	}
	assert_int_equal(count_of("SELECT count(*) FROM access_token WHERE token_sha256 !~ "
				  "'^[0-9a-f]{64}$'"), 0);
	csperf_client_free(reader);
	csperf_client_free(admin);
}

static void test_cli_tokens_and_audit(void **state)
{
	const char *create[] = { CSPERF_CLI_PATH, "-s", server.address, "-f", "json", "token",
				 "create", "--role", "finance", "--name", "cli finance", "--council",
				 OWN, NULL };
	const char *audit[] = { CSPERF_CLI_PATH, "-s", server.address, "-f", "csv", "audit",
				"--principal", "cli finance", "--limit", "5", NULL };
	const char *bad[] = { CSPERF_CLI_PATH, "-s", server.address, "token", "create", "--role",
			      "root", "--name", "x", NULL };
	char token_env[160], *out = NULL, *err = NULL;
	const char *denied_env[2] = { token_env, NULL };
	const char *list[] = { CSPERF_CLI_PATH, "-s", server.address, "token", "list", NULL };
	char *token;

	assert_int_equal(fixture_run(create, NULL, &out, &err, 60), 0);
	token = strstr(out, "\"token\": \"csperf_");
	assert_non_null(token);
	assert_non_null(strstr(err, "shown this once"));
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%.71s", token + 10);
	free(out);
	free(err);

	/* A finance token may not list tokens: exit status 4. */
	assert_int_equal(fixture_run(list, denied_env, &out, &err, 60), 4);
	assert_non_null(strstr(err, "role finance may not call ListTokens"));
	free(out);
	free(err);

	assert_int_equal(fixture_run(audit, NULL, &out, &err, 60), 0);
	assert_non_null(strstr(out, "\"at\",\"principal\",\"method\",\"council\",\"parameters\","
				    "\"rows_returned\",\"status\",\"peer\""));
	assert_non_null(strstr(out, "\"cli finance\",\"ListTokens\",\"\",\"\",,"
				    "\"PERMISSION_DENIED\""));
	free(out);
	free(err);

	assert_int_equal(fixture_run(bad, NULL, &out, &err, 60), 2);
	assert_non_null(strstr(err, "the role must be admin, loader"));
	free(out);
	free(err);
}

/* csperfd serving as a login that is a member of csperf_app and nothing
 * more (migrations by the owner, through --migrate-dsn): it loads, lists,
 * deletes, makes tokens and audits. */
static void test_serving_with_least_privilege(void **state)
{
	fixture_server app_server;
	char app_dsn[600];
	char *made, *who;
	csperf_client *client;
	int64_t load_id;
	uint64_t deleted = 0;

	made = fixture_pg_query(&pg, "CREATE ROLE csperf_serving LOGIN IN ROLE csperf_app");
	assert_non_null(made);
	free(made);
	snprintf(app_dsn, sizeof(app_dsn), "%s user=csperf_serving", pg.dsn);
	assert_int_equal(fixture_server_start(&app_server, app_dsn,
		(const char *const[]){ "--migrate-dsn", pg.dsn, NULL }), 0);

	{
		csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;

		options.server = app_server.address;
		options.token = app_server.token;
		assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	}
	load_id = empty_load(client, "980", "least privilege");
	assert_int_equal(csperf_load_delete(client, "980", load_id, &deleted, NULL), CSPERF_OK);
	make_token(client, "analyst", "made by the app login", "980", NULL, 0);
	{
		csperf_audit_list *audit = NULL;

		assert_int_equal(csperf_audit_get(client, NULL, &audit), CSPERF_OK);
		assert_true(audit->count >= 3);
		csperf_audit_list_free(audit);
	}
	who = fixture_pg_query(&pg, "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity"
				    " WHERE application_name = '' AND usename = 'csperf_serving'");
	assert_string_equal(who, "csperf_serving");
	free(who);
	who = fixture_pg_query(&pg, "SELECT rolsuper FROM pg_roles WHERE rolname = 'csperf_serving'");
	assert_string_equal(who, "f");
	free(who);
	csperf_client_free(client);
	assert_int_equal(fixture_server_stop(&app_server, SIGTERM, 30), 0);
	/* The fixture's server keeps the environment's token. */
	setenv("CSPERF_TOKEN", server.token, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rpc_under_every_role_and_scope),
		cmocka_unit_test(test_refusals_do_not_tell_what_exists),
		cmocka_unit_test(test_audit_records_each_call_and_no_secret),
		cmocka_unit_test(test_audit_log_is_append_only),
		cmocka_unit_test(test_revocation_is_immediate_and_keeps_an_admin),
		cmocka_unit_test(test_cli_tokens_and_audit),
		cmocka_unit_test(test_serving_with_least_privilege),
		cmocka_unit_test(test_every_string_field_with_hostile_values),
		cmocka_unit_test(test_load_stream_with_hostile_values),
	};

	return cmocka_run_group_tests_name("integration_access", tests, setup, teardown);
}
