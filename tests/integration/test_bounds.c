/*
 * test_bounds.c: bounds checked at csperfd's edge, each a clear
 * INVALID_ARGUMENT (issue 22, finding 6):
 *   - strings with a NUL byte are refused, never cut (a council "975\0x"
 *     served as 975, a value "a\0b" stored as "a");
 *   - a record's line beyond 2^63-1, a record citing a file no SourceFile
 *     declared (field names for one are kept, never used: test_faults.c);
 *   - definitions PutIndicator could not compute: NaN, infinite or huge
 *     targets, a 1e308 threshold, an age beyond a C int; nothing stored;
 *   - localities that are not place names.
 * Bytes are shaped through gRPC core (raw_grpc.c) where no SDK would send
 * them.
 */
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csperf/access.h>
#include <csperf/scorecards.h>

#include "fixture.h"
#include "raw_grpc.h"
#include "schema.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/records.pb-c.h"

#define OWN "975"
#define LOAD_METHOD "/csperf.v1.Performance/LoadRecords"

static fixture_pg pg;
static fixture_server server;
static grpc_channel *channel;
static char auth[160];

static int setup(void **state)
{
	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	snprintf(auth, sizeof(auth), "Bearer %s", server.token);
	grpc_init();
	{
		grpc_channel_credentials *creds = grpc_insecure_credentials_create();

		channel = grpc_channel_create(server.address, creds, NULL);
		grpc_channel_credentials_release(creds);
	}
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 60);

	(void)state;
	if (channel != NULL)
		grpc_channel_destroy(channel);
	grpc_shutdown();
	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

static csperf_client *sdk_client(void)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = server.address;
	options.token = server.token;
	options.timeout_ms = 60000;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	return client;
}

static long count_of(const char *sql)
{
	char *value = fixture_pg_query(&pg, sql);
	long n;

	if (value == NULL)
		fail_msg("query failed: %s", sql);
	n = atol(value);
	free(value);
	return n;
}

/* ---- NUL bytes ---- */

/* A GetIndicator request whose indicator_id is the len bytes of id, packed
 * by hand (protobuf-c would stop at the NUL). */
static size_t indicator_request(uint8_t *out, const char *id, size_t len)
{
	out[0] = 0x0a;   /* field 1, length-delimited */
	out[1] = (uint8_t)len;
	memcpy(out + 2, id, len);
	return len + 2;
}

static void test_nul_bytes_refused_not_cut(void **state)
{
	uint8_t request[64];
	raw_message m;
	char details[512];

	(void)state;
	m.bytes = request;
	m.len = indicator_request(request, "EH01", 4);
	assert_int_equal(raw_grpc_call(channel, "/csperf.v1.Performance/GetIndicator", &m, 1, auth,
				       details, sizeof(details)), GRPC_STATUS_OK);
	m.len = indicator_request(request, "EH01\0x", 6);
	assert_int_equal(raw_grpc_call(channel, "/csperf.v1.Performance/GetIndicator", &m, 1, auth,
				       details, sizeof(details)), GRPC_STATUS_INVALID_ARGUMENT);
	assert_non_null(strstr(details, "NUL"));

	/* A council code with a NUL after it, in a unary request. */
	{
		static const uint8_t list_loads[] = { 0x0a, 0x05, '9', '7', '5', 0x00, 'x' };

		m.bytes = list_loads;
		m.len = sizeof(list_loads);
		assert_int_equal(raw_grpc_call(channel, "/csperf.v1.Performance/ListLoads", &m, 1,
					       auth, NULL, 0), GRPC_STATUS_INVALID_ARGUMENT);
	}
}

/* ---- a load's stream ---- */

typedef struct packed {
	uint8_t *bytes;
	size_t len;
} packed;

static packed pack(const ProtobufCMessage *msg)
{
	packed p;

	p.len = protobuf_c_message_get_packed_size(msg);
	p.bytes = malloc(p.len + 1);
	assert_non_null(p.bytes);
	protobuf_c_message_pack(msg, p.bytes);
	return p;
}

/* A load of one contact (as a variant says), its status and message. */
typedef enum variant { WHOLE, LINE_BEYOND_INT64, FILE_UNDECLARED, VALUE_WITH_NUL } variant;

static grpc_status_code load_one(variant v, const char *key, char *details, size_t size)
{
	Csperf__V1__LoadRecordsRequest header_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__LoadRecordsRequest file_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__LoadRecordsRequest batch_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__LoadRecordsRequest end_req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__LoadHeader header = CSPERF__V1__LOAD_HEADER__INIT;
	Csperf__V1__SourceFile file = CSPERF__V1__SOURCE_FILE__INIT;
	Csperf__V1__RecordBatch batch = CSPERF__V1__RECORD_BATCH__INIT;
	Csperf__V1__Record record = CSPERF__V1__RECORD__INIT;
	Csperf__V1__Record *records[1] = { &record };
	Csperf__V1__LoadEnd end = CSPERF__V1__LOAD_END__INIT;
	char *values[7] = { "B0000001", "2019-04-01", "", "Early Help", "", "GREEN", "MASH" };
	packed parts[4];
	raw_message messages[4];
	size_t n = 0;
	grpc_status_code code;

	header.council = OWN;
	header.source = "csv";
	header.idempotency_key = (char *)key;
	header.schema_version = CSPERF_RECORD_SCHEMA_VERSION;
	header_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_HEADER;
	header_req.header = &header;
	parts[n++] = pack(&header_req.base);
	file.index = 1;
	file.path = "contacts.csv";
	file_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FILE;
	file_req.file = &file;
	parts[n++] = pack(&file_req.base);
	record.type = CSPERF_RECORD_CONTACT;
	record.n_values = 7;
	record.values = values;
	record.file = v == FILE_UNDECLARED ? 7 : 1;
	record.line = v == LINE_BEYOND_INT64 ? (uint64_t)INT64_MAX + 1 : 2;
	batch.n_records = 1;
	batch.records = records;
	batch_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_BATCH;
	batch_req.batch = &batch;
	parts[n] = pack(&batch_req.base);
	if (v == VALUE_WITH_NUL) {
		/* The child id B0000001 becomes B000\0001 on the wire. */
		uint8_t *at = memmem(parts[n].bytes, parts[n].len, "B0000001", 8);

		assert_non_null(at);
		at[4] = '\0';
	}
	n++;
	end.records = 1;
	end_req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_END;
	end_req.end = &end;
	parts[n++] = pack(&end_req.base);
	for (size_t i = 0; i < n; i++) {
		messages[i].bytes = parts[i].bytes;
		messages[i].len = parts[i].len;
	}
	code = raw_grpc_call(channel, LOAD_METHOD, messages, n, auth, details, size);
	for (size_t i = 0; i < n; i++)
		free(parts[i].bytes);
	return code;
}

static void test_load_edges_refused(void **state)
{
	static const struct {
		variant v;
		const char *key, *says;
	} refused[] = {
		{ LINE_BEYOND_INT64, "line", "beyond 2^63-1" },
		{ FILE_UNDECLARED, "file", "no SourceFile declared" },
		{ VALUE_WITH_NUL, "nul", "NUL" },
	};
	char details[512];

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		grpc_status_code code = load_one(refused[i].v, refused[i].key, details,
						 sizeof(details));

		if (code != GRPC_STATUS_INVALID_ARGUMENT || strstr(details, refused[i].says) == NULL)
			fail_msg("%s: status %d, \"%s\"", refused[i].key, code, details);
	}
	assert_int_equal(count_of("SELECT count(*) FROM load"), 0);
	assert_int_equal(count_of("SELECT count(*) FROM contact"), 0);
	/* The same load whole is stored. */
	assert_int_equal(load_one(WHOLE, "whole", details, sizeof(details)), GRPC_STATUS_OK);
	assert_int_equal(count_of("SELECT count(*) FROM contact WHERE child_id = 'B0000001'"), 1);
}

/* ---- definitions ---- */

static int put(csperf_client *client, const char *kind, const char *params, double target,
	       double tolerance)
{
	csperf_target targets[1] = { { "2019-20", target, tolerance } };
	csperf_indicator ind;
	csperf_indicator_list *out = NULL;
	int rc;

	memset(&ind, 0, sizeof(ind));
	ind.indicator_id = "ZB01";
	ind.title = "Bounds probe";
	ind.stage = "front_door";
	ind.unit = kind[0] == 'c' && kind[1] == 'o' && kind[2] == 's' ? "count" : "percent";
	ind.polarity = "up";
	ind.kind = kind;
	ind.params_json = params;
	ind.ntargets = 1;
	ind.targets = targets;
	ind.definition = "A probe of what PutIndicator refuses.";
	rc = csperf_indicator_put(client, &ind, &out);
	csperf_indicator_list_free(out);
	return rc;
}

static void test_put_indicator_refuses_what_it_cannot_compute(void **state)
{
	static const char *const contacts = "{\"record\": \"contact\", \"date\": \"contact_date\"}";
	csperf_client *client = sdk_client();

	(void)state;
	assert_int_equal(put(client, "count", contacts, 90, 5), CSPERF_OK);
	assert_int_equal(count_of("SELECT count(*) FROM indicator_version WHERE indicator_id = "
				  "'ZB01'"), 1);
	assert_int_equal(put(client, "count", contacts, NAN, 5), CSPERF_EINVAL);
	assert_int_equal(put(client, "count", contacts, INFINITY, 5), CSPERF_EINVAL);
	assert_int_equal(put(client, "count", contacts, -INFINITY, 5), CSPERF_EINVAL);
	assert_int_equal(put(client, "count", contacts, 1e308, 5), CSPERF_EINVAL);
	assert_int_equal(put(client, "count", contacts, 90, NAN), CSPERF_EINVAL);
	assert_int_equal(put(client, "cost_count_over", "{\"threshold\": 1e308}", 90, 5),
			 CSPERF_EINVAL);
	assert_int_equal(put(client, "proportion", "{\"record\": \"care_leaver\", \"date\": "
			     "\"as_at_date\", \"where\": [{\"age\": {\"min\": 9000000000000000000}}], "
			     "\"numerator\": [{\"field\": \"activity\", \"in\": [\"F1\"]}]}", 90, 5),
			 CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "age"));
	assert_int_equal(put(client, "count", "{\"record\": \"reported_figure\", \"date\": "
			     "\"period_end\", \"where\": [{\"field\": \"value\", \"min\": 1e308}]}", 90, 5),
			 CSPERF_EINVAL);
	assert_non_null(strstr(csperf_error_last(), "must be a number from"));
	/* Nothing of them was stored. */
	assert_int_equal(count_of("SELECT count(*) FROM indicator_version WHERE indicator_id = "
				  "'ZB01'"), 1);
	csperf_client_free(client);
}

/* ---- localities ---- */

static void test_localities_are_place_names(void **state)
{
	static const char *const refused[] = {
		"North;DROP TABLE", "<script>", " North", "a\xe2\x80\xae" "evil", "x\x7f",
	};
	csperf_client *client = sdk_client();
	const char *councils[1] = { OWN };

	(void)state;
	for (size_t i = 0; i <= sizeof(refused) / sizeof(refused[0]); i++) {
		csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
		csperf_token_secret *secret = NULL;
		const char *localities[1] = { i < sizeof(refused) / sizeof(refused[0]) ? refused[i]
					      : "Ynys M\xc3\xb4n (North-West)" };
		int rc;

		opts.name = "locality probe";
		opts.role = "analyst";
		opts.ncouncils = 1;
		opts.councils = councils;
		opts.nlocalities = 1;
		opts.localities = localities;
		rc = csperf_token_create(client, &opts, &secret);
		csperf_token_secret_free(secret);
		if (i < sizeof(refused) / sizeof(refused[0]))
			assert_int_equal(rc, CSPERF_EINVAL);
		else
			assert_int_equal(rc, CSPERF_OK);
	}
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nul_bytes_refused_not_cut),
		cmocka_unit_test(test_load_edges_refused),
		cmocka_unit_test(test_put_indicator_refuses_what_it_cannot_compute),
		cmocka_unit_test(test_localities_are_place_names),
	};

	return cmocka_run_group_tests_name("integration_bounds", tests, setup, teardown);
}
