/*
 * test_audit.c: every call is audited or refused, and the serving role
 * cannot rewrite who may call or who did (issue 22, findings 5 and 6).
 *
 * - As csperf_app: a revoked token cannot be un-revoked or re-dated, and an
 *   audit line's time is the database's clock, not the one an INSERT names.
 * - Audit parameters cut at their limit end on a character boundary, so
 *   that a call with a long multi-byte value still leaves its line.
 * - Refused calls (no token, a malformed token, bytes that do not decode,
 *   a role refused, an unknown method) leave their line too.
 * - A call whose audit line cannot be written is not answered OK.
 * - Group commit (server/store/audit_writer.c): many concurrent calls each
 *   leave exactly one line, sharing commits; when PostgreSQL stops while
 *   their lines are being written, none of them is answered, not even with
 *   the reply bytes beside an error.
 *
 * Calls go through gRPC core directly where the bytes sent are the point.
 */
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <csperf/access.h>

#include "fixture.h"
#include "raw_grpc.h"

#include "csperf/v1/indicators.pb-c.h"

#define OWN "975"

static fixture_pg pg;
static fixture_server server;
static grpc_channel *channel;

static csperf_client *sdk_client(const char *token)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = server.address;
	options.token = token;
	options.timeout_ms = 60000;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	return client;
}

static long long count_of(const char *sql)
{
	char *value = fixture_pg_query(&pg, sql);
	long long n;

	if (value == NULL)
		fail_msg("query failed: %s", sql);
	n = atoll(value);
	free(value);
	return n;
}

/* Runs sql on dsn; true when it fails with expected_error in its message. */
static bool statement_fails(const char *dsn, const char *sql, const char *expected_error)
{
	PGconn *conn = PQconnectdb(dsn);
	PGresult *res = PQexec(conn, sql);
	bool failed = PQresultStatus(res) == PGRES_FATAL_ERROR &&
		      strstr(PQresultErrorMessage(res), expected_error) != NULL;

	if (!failed)
		fprintf(stderr, "%s: %s %s\n", sql, PQresStatus(PQresultStatus(res)),
			PQresultErrorMessage(res));
	PQclear(res);
	PQfinish(conn);
	return failed;
}

static bool statement_runs(const char *dsn, const char *sql)
{
	PGconn *conn = PQconnectdb(dsn);
	PGresult *res = PQexec(conn, sql);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "%s: %s\n", sql, PQresultErrorMessage(res));
	PQclear(res);
	PQfinish(conn);
	return ok;
}

/* One unary call of raw bytes on method with `authorization` auth (NULL:
 * none); its status code. */
static grpc_status_code raw_call(const char *method, const void *bytes, size_t size,
				 const char *auth)
{
	raw_message message = { bytes, size };

	return raw_grpc_call(channel, method, &message, 1, auth, NULL, 0);
}

static int setup(void **state)
{
	char *made;

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	made = fixture_pg_query(&pg, "CREATE ROLE audit_serving LOGIN IN ROLE csperf_app");
	if (made == NULL)
		return -1;
	free(made);
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

static void app_dsn(char *out, size_t size)
{
	snprintf(out, size, "%s user=audit_serving", pg.dsn);
}

/* ---- least privilege (migration 0016) ---- */

static void test_serving_role_may_only_revoke(void **state)
{
	csperf_client *admin = sdk_client(server.token);
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	const char *councils[1] = { OWN };
	csperf_token_secret *secret = NULL;
	char dsn[700], sql[256], *revoked_at, *again;

	(void)state;
	opts.name = "to be revoked";
	opts.role = "reader";
	opts.ncouncils = 1;
	opts.councils = councils;
	assert_int_equal(csperf_token_create(admin, &opts, &secret), CSPERF_OK);
	app_dsn(dsn, sizeof(dsn));

	/* Revoking is allowed, at the database's clock whatever is asked. */
	snprintf(sql, sizeof(sql), "UPDATE access_token SET revoked_at = '2001-01-01' WHERE id = %lld",
		 (long long)secret->info.id);
	assert_true(statement_runs(dsn, sql));
	snprintf(sql, sizeof(sql), "SELECT revoked_at > now() - interval '1 hour' FROM access_token "
		 "WHERE id = %lld", (long long)secret->info.id);
	revoked_at = fixture_pg_query(&pg, sql);
	assert_non_null(revoked_at);
	assert_string_equal(revoked_at, "t");
	free(revoked_at);

	/* Never un-revoked, never re-dated, nothing else changed. */
	assert_true(statement_fails(dsn, "UPDATE access_token SET revoked_at = NULL",
				    "stays revoked"));
	snprintf(sql, sizeof(sql), "UPDATE access_token SET revoked_at = revoked_at + interval '1 day' "
		 "WHERE id = %lld", (long long)secret->info.id);
	assert_true(statement_fails(dsn, sql, "stays revoked"));
	assert_true(statement_fails(pg.dsn, "UPDATE access_token SET revoked_at = NULL",
				    "stays revoked"));
	assert_true(statement_fails(pg.dsn, "UPDATE access_token SET role = 'admin', councils = '{}'",
				    "only revoked_at"));
	snprintf(sql, sizeof(sql), "SELECT revoked_at IS NOT NULL FROM access_token WHERE id = %lld",
		 (long long)secret->info.id);
	again = fixture_pg_query(&pg, sql);
	assert_non_null(again);
	assert_string_equal(again, "t");
	free(again);

	/* The revoked token is refused; csperfd's own revocation still works. */
	{
		csperf_client *revoked = sdk_client(secret->token);
		csperf_server_info *info = NULL;

		assert_int_equal(csperf_server_info_get(revoked, &info), CSPERF_EAUTH);
		csperf_client_free(revoked);
	}
	csperf_token_secret_free(secret);
	secret = NULL;
	opts.name = "revoked by csperfd";
	assert_int_equal(csperf_token_create(admin, &opts, &secret), CSPERF_OK);
	assert_int_equal(csperf_token_revoke(admin, secret->info.id), CSPERF_OK);
	assert_int_equal(csperf_token_revoke(admin, secret->info.id), CSPERF_OK);
	csperf_token_secret_free(secret);
	csperf_client_free(admin);
}

static void test_audit_time_is_the_servers(void **state)
{
	char dsn[700], *kept;

	(void)state;
	app_dsn(dsn, sizeof(dsn));
	assert_true(statement_runs(dsn, "INSERT INTO audit_log (at, method, status, parameters) "
				   "VALUES ('1999-12-31 23:59', 'forged', 'OK', 'probe=1')"));
	kept = fixture_pg_query(&pg, "SELECT count(*) FROM audit_log WHERE method = 'forged' AND "
				"at > now() - interval '1 hour'");
	assert_non_null(kept);
	assert_string_equal(kept, "1");
	free(kept);
	assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE at < '2000-01-01'"), 0);
}

/* ---- every call audited or refused ---- */

#define GET_INDICATOR "/csperf.v1.Performance/GetIndicator"

static grpc_status_code get_indicator(const char *id, const char *auth)
{
	Csperf__V1__GetIndicatorRequest req = CSPERF__V1__GET_INDICATOR_REQUEST__INIT;
	uint8_t buf[4096];
	size_t len;

	req.indicator_id = (char *)id;
	len = csperf__v1__get_indicator_request__pack(&req, buf);
	return raw_call(GET_INDICATOR, buf, len, auth);
}

static long long last_audit_id(void)
{
	return count_of("SELECT coalesce(max(id), 0) FROM audit_log");
}

/* Values of 1 to 4-byte characters put the 64-byte cut of an audit
 * parameter at every position inside a character: each call leaves its
 * line, and the line is the value's whole characters only. */
static void test_audit_parameters_cut_on_a_character_boundary(void **state)
{
	static const char *const chars[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
	char auth[160], sql[512];

	(void)state;
	snprintf(auth, sizeof(auth), "Bearer %s", server.token);
	for (size_t c = 0; c < sizeof(chars) / sizeof(chars[0]); c++) {
		for (size_t lead = 0; lead < 4; lead++) {
			char id[256] = "";
			long long before = last_audit_id();
			char *params;

			for (size_t k = 0; k < lead; k++)
				strcat(id, "x");
			while (strlen(id) < 100)
				strcat(id, chars[c]);
			assert_int_not_equal(get_indicator(id, auth), GRPC_STATUS_OK);
			snprintf(sql, sizeof(sql), "SELECT parameters FROM audit_log WHERE id > %lld AND "
				 "method = '%s'", before, GET_INDICATOR);
			params = fixture_pg_query(&pg, sql);
			if (params == NULL || params[0] == '\0')
				fail_msg("no audit line for a value of %zu-byte characters after %zu "
					 "bytes", strlen(chars[c]), lead);
			/* The value's longest run of whole characters within 64 bytes. */
			{
				size_t step = strlen(chars[c]), whole = lead +
					(64 - lead) / step * step;

				assert_int_equal(strlen(params), strlen("indicator_id=") + whole);
				assert_memory_equal(params + strlen("indicator_id="), id, whole);
			}
			free(params);
		}
	}
}

/* Refused calls leave their line: no token, a malformed one, an unknown
 * one, bytes that do not decode, a string that is not UTF-8, a role
 * refused, a method csperfd does not have. */
static void test_refused_calls_are_audited(void **state)
{
	static const uint8_t not_protobuf[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
	/* Field 1 (indicator_id), 3 bytes, not UTF-8. */
	static const uint8_t not_utf8[] = { 0x0a, 0x03, 'a', 0xc3, 0x28 };
	csperf_client *admin = sdk_client(server.token);
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	const char *councils[1] = { OWN };
	csperf_token_secret *secret = NULL;
	char admin_auth[160], reader_auth[160], sql[512];
	long long before;

	(void)state;
	snprintf(admin_auth, sizeof(admin_auth), "Bearer %s", server.token);
	opts.name = "refused reader";
	opts.role = "reader";
	opts.ncouncils = 1;
	opts.councils = councils;
	assert_int_equal(csperf_token_create(admin, &opts, &secret), CSPERF_OK);
	snprintf(reader_auth, sizeof(reader_auth), "Bearer %s", secret->token);
	csperf_token_secret_free(secret);
	csperf_client_free(admin);

	before = last_audit_id();
	assert_int_equal(get_indicator("EH01", NULL), GRPC_STATUS_UNAUTHENTICATED);
	assert_int_equal(get_indicator("EH01", "Bearer not-a-token"), GRPC_STATUS_UNAUTHENTICATED);
	assert_int_equal(get_indicator("EH01", "Bearer csperf_"
		"0000000000000000000000000000000000000000000000000000000000000000"),
		GRPC_STATUS_UNAUTHENTICATED);
	assert_int_equal(raw_call(GET_INDICATOR, not_protobuf, sizeof(not_protobuf), admin_auth),
			 GRPC_STATUS_INVALID_ARGUMENT);
	assert_int_equal(raw_call(GET_INDICATOR, not_utf8, sizeof(not_utf8), admin_auth),
			 GRPC_STATUS_INVALID_ARGUMENT);
	assert_int_equal(raw_call("/csperf.v1.Performance/ListTokens", "", 0, reader_auth),
			 GRPC_STATUS_PERMISSION_DENIED);
	assert_int_equal(raw_call("/csperf.v1.Performance/NoSuchMethod", "", 0, NULL),
			 GRPC_STATUS_UNIMPLEMENTED);
	snprintf(sql, sizeof(sql), "SELECT string_agg(status, ',' ORDER BY id) FROM audit_log WHERE "
		 "id > %lld", before);
	{
		char *statuses = fixture_pg_query(&pg, sql);

		assert_non_null(statuses);
		assert_string_equal(statuses, "UNAUTHENTICATED,UNAUTHENTICATED,UNAUTHENTICATED,"
				    "INVALID_ARGUMENT,INVALID_ARGUMENT,PERMISSION_DENIED,UNIMPLEMENTED");
		free(statuses);
	}
	snprintf(sql, sizeof(sql), "SELECT method FROM audit_log WHERE id > %lld AND status = "
		 "'UNIMPLEMENTED'", before);
	{
		char *method = fixture_pg_query(&pg, sql);

		assert_non_null(method);
		assert_string_equal(method, "/csperf.v1.Performance/NoSuchMethod");
		free(method);
	}
}

/* A call whose audit line the database refuses is not answered OK; the
 * same call once the line can be written is. */
static void test_unwritten_audit_line_fails_the_call(void **state)
{
	char auth[160];

	(void)state;
	snprintf(auth, sizeof(auth), "Bearer %s", server.token);
	assert_int_equal(get_indicator("EH01", auth), GRPC_STATUS_OK);
	assert_true(statement_runs(pg.dsn,
		"CREATE FUNCTION refuse_probe() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
		"IF NEW.parameters = 'indicator_id=EH01' THEN RAISE EXCEPTION 'refused for the "
		"test'; END IF; RETURN NEW; END $$; CREATE TRIGGER refuse_probe BEFORE INSERT ON "
		"audit_log FOR EACH ROW EXECUTE FUNCTION refuse_probe()"));
	assert_int_equal(get_indicator("EH01", auth), GRPC_STATUS_UNAVAILABLE);
	assert_int_equal(get_indicator("EH02", auth), GRPC_STATUS_OK);
	assert_true(statement_runs(pg.dsn, "DROP TRIGGER refuse_probe ON audit_log; "
				   "DROP FUNCTION refuse_probe()"));
	assert_int_equal(get_indicator("EH01", auth), GRPC_STATUS_OK);
}

/* ---- group commit ---- */

#define CONCURRENT_THREADS 24
#define CALLS_PER_THREAD 10

typedef struct caller {
	int index;
	const char *auth;
	const char *id;             /* NULL: a distinct id per call */
	int answered;               /* calls with any status but UNAVAILABLE */
	int unavailable;
	int replied;                /* calls that brought reply bytes */
	int calls;
} caller;

static void *caller_main(void *arg)
{
	caller *c = arg;

	for (int i = 0; i < c->calls; i++) {
		Csperf__V1__GetIndicatorRequest req = CSPERF__V1__GET_INDICATOR_REQUEST__INIT;
		char id[32];
		uint8_t buf[256];
		raw_message message;
		bool replied = false;
		grpc_status_code code;

		snprintf(id, sizeof(id), "GC%02d%02d", c->index, i);
		req.indicator_id = (char *)(c->id != NULL ? c->id : id);
		message.bytes = buf;
		message.len = csperf__v1__get_indicator_request__pack(&req, buf);
		code = raw_grpc_call_replied(channel, GET_INDICATOR, &message, 1, c->auth, NULL, 0,
					     &replied);
		if (code == GRPC_STATUS_UNAVAILABLE)
			c->unavailable++;
		else
			c->answered++;
		c->replied += replied;
	}
	return NULL;
}

/* Calls from many threads at once: every one is answered and leaves exactly
 * one line, and the lines share commits (rows of one transaction share
 * their xmin). */
static void test_concurrent_calls_each_audited(void **state)
{
	pthread_t threads[CONCURRENT_THREADS];
	caller callers[CONCURRENT_THREADS];
	char auth[160], sql[512];
	long long before = last_audit_id(), lines, distinct, commits;
	int answered = 0;

	(void)state;
	snprintf(auth, sizeof(auth), "Bearer %s", server.token);
	for (int i = 0; i < CONCURRENT_THREADS; i++) {
		callers[i] = (caller){ .index = i, .auth = auth, .calls = CALLS_PER_THREAD };
		assert_int_equal(pthread_create(&threads[i], NULL, caller_main, &callers[i]), 0);
	}
	for (int i = 0; i < CONCURRENT_THREADS; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(callers[i].unavailable, 0);
		answered += callers[i].answered;
	}
	assert_int_equal(answered, CONCURRENT_THREADS * CALLS_PER_THREAD);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE id > %lld AND "
		 "parameters LIKE 'indicator_id=GC%%'", before);
	lines = count_of(sql);
	snprintf(sql, sizeof(sql), "SELECT count(DISTINCT parameters) FROM audit_log WHERE "
		 "id > %lld AND parameters LIKE 'indicator_id=GC%%'", before);
	distinct = count_of(sql);
	snprintf(sql, sizeof(sql), "SELECT count(DISTINCT xmin::text) FROM audit_log WHERE "
		 "id > %lld AND parameters LIKE 'indicator_id=GC%%'", before);
	commits = count_of(sql);
	printf("audit: %lld concurrent calls, %lld lines, %lld commits\n",
	       (long long)answered, lines, commits);
	assert_int_equal(lines, CONCURRENT_THREADS * CALLS_PER_THREAD);
	assert_int_equal(distinct, CONCURRENT_THREADS * CALLS_PER_THREAD);
	assert_true(commits < lines);
}

/* PostgreSQL stops while the audit lines of answered-in-waiting calls are
 * being written (a trigger holds their commit): none of those calls is
 * answered, no reply bytes leave, and none of their lines exists after the
 * restart; csperfd audits (and answers) again once PostgreSQL is back. */
static void test_database_stopped_before_the_line_is_durable(void **state)
{
	pthread_t threads[4];
	caller callers[4];
	char auth[160];
	long long until;

	(void)state;
	snprintf(auth, sizeof(auth), "Bearer %s", server.token);
	assert_true(statement_runs(pg.dsn,
		"CREATE FUNCTION hold_probe() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
		"IF NEW.parameters = 'indicator_id=EH03' THEN PERFORM pg_sleep(60); END IF; "
		"RETURN NEW; END $$; CREATE TRIGGER hold_probe BEFORE INSERT ON audit_log "
		"FOR EACH ROW EXECUTE FUNCTION hold_probe()"));
	for (int i = 0; i < 4; i++) {
		callers[i] = (caller){ .index = i, .auth = auth, .id = "EH03", .calls = 1 };
		assert_int_equal(pthread_create(&threads[i], NULL, caller_main, &callers[i]), 0);
	}
	/* The writer's INSERT sleeps in the trigger; the other lines queue. */
	until = fixture_now_ms() + fixture_deadline_ms(20000);
	while (count_of("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == 0
	       && fixture_now_ms() < until)
		usleep(20 * 1000);
	assert_true(count_of("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
		    > 0);
	usleep(300 * 1000);
	assert_int_equal(fixture_pg_halt(&pg), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(callers[i].unavailable, 1);
		assert_int_equal(callers[i].replied, 0);
	}
	assert_int_equal(fixture_pg_restart(&pg), 0);
	assert_true(statement_runs(pg.dsn, "DROP TRIGGER hold_probe ON audit_log; "
				   "DROP FUNCTION hold_probe()"));
	assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE "
				  "parameters = 'indicator_id=EH03'"), 0);
	/* Back: the writer connects again. */
	until = fixture_now_ms() + fixture_deadline_ms(20000);
	while (get_indicator("EH01", auth) != GRPC_STATUS_OK && fixture_now_ms() < until)
		usleep(100 * 1000);
	assert_int_equal(get_indicator("EH01", auth), GRPC_STATUS_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serving_role_may_only_revoke),
		cmocka_unit_test(test_audit_time_is_the_servers),
		cmocka_unit_test(test_audit_parameters_cut_on_a_character_boundary),
		cmocka_unit_test(test_refused_calls_are_audited),
		cmocka_unit_test(test_unwritten_audit_line_fails_the_call),
		cmocka_unit_test(test_concurrent_calls_each_audited),
		cmocka_unit_test(test_database_stopped_before_the_line_is_durable),
	};

	return cmocka_run_group_tests_name("integration_audit", tests, setup, teardown);
}
