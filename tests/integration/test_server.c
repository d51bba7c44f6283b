/*
 * test_server.c: a real csperfd on a throwaway PostgreSQL, through libcsperf:
 * server info, health, UNIMPLEMENTED for unknown methods, deadlines that reach
 * the database, concurrent calls, and riding out a database restart.
 */
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <csperf/csperf.h>

#include "fixture.h"

static fixture_pg pg;
static fixture_server server;

static int setup(void **state)
{
	if (fixture_pg_start(&pg) != 0)
		return -1;
	if (fixture_server_start(&server, pg.dsn, (const char *const[]){ "--threads", "4", NULL }) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	fixture_pg_destroy(&pg);
	return rc == 0 ? 0 : -1;
}

static csperf_client *client_with_timeout(long long timeout_ms)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = server.address;
	options.token = server.token;
	options.timeout_ms = timeout_ms;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	return client;
}

static void test_server_info(void **state)
{
	csperf_client *client = client_with_timeout(fixture_deadline_ms(5000));
	csperf_server_info *info = NULL;
	char *schema = fixture_pg_query(&pg, "SELECT max(version) FROM schema_migrations");

	assert_int_equal(csperf_server_info_get(client, &info), CSPERF_OK);
	assert_string_equal(info->server_version, CSPERF_VERSION);
	assert_non_null(schema);
	assert_int_equal(info->schema_version, atol(schema));
	assert_true(info->schema_version >= 1);
	assert_string_equal(info->database_status, "ok");
	assert_string_equal(info->database_mode, "external");
	assert_true(strncmp(info->database_version, "15", 2) == 0);
	assert_true(info->uptime_seconds >= 0 && info->uptime_seconds < 3600);
	free(schema);
	csperf_server_info_free(info);
	csperf_client_free(client);
}

static void test_health(void **state)
{
	csperf_client *client = client_with_timeout(fixture_deadline_ms(5000));
	csperf_health health = CSPERF_HEALTH_UNKNOWN;

	assert_int_equal(csperf_health_check(client, "", &health), CSPERF_OK);
	assert_int_equal(health, CSPERF_HEALTH_SERVING);
	health = CSPERF_HEALTH_UNKNOWN;
	assert_int_equal(csperf_health_check(client, "csperf.v1.Performance", &health), CSPERF_OK);
	assert_int_equal(health, CSPERF_HEALTH_SERVING);
	assert_int_equal(csperf_health_check(client, "no.such.Service", &health), CSPERF_ENOTFOUND);
	csperf_client_free(client);
}

/* A call to a method nobody registered, through gRPC core itself (the SDK
 * only calls methods that exist). */
static grpc_status_code call_unknown_method(const char *address, int deadline_ms)
{
	grpc_channel_credentials *creds = grpc_insecure_credentials_create();
	grpc_channel *channel = grpc_channel_create(address, creds, NULL);
	grpc_completion_queue *cq = grpc_completion_queue_create_for_next(NULL);
	grpc_slice method = grpc_slice_from_static_string("/csperf.v1.Performance/NoSuchMethod");
	gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
					     gpr_time_from_millis(deadline_ms, GPR_TIMESPAN));
	grpc_call *call = grpc_channel_create_call(channel, NULL, GRPC_PROPAGATE_DEFAULTS, cq,
						   method, NULL, deadline, NULL);
	grpc_slice payload = grpc_empty_slice();
	grpc_byte_buffer *request = grpc_raw_byte_buffer_create(&payload, 1);
	grpc_metadata_array initial, trailing;
	grpc_byte_buffer *reply = NULL;
	grpc_status_code status = GRPC_STATUS_OK;
	grpc_slice details;
	grpc_op ops[6];

	grpc_metadata_array_init(&initial);
	grpc_metadata_array_init(&trailing);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = request;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[3].data.recv_status_on_client.trailing_metadata = &trailing;
	ops[3].data.recv_status_on_client.status = &status;
	ops[3].data.recv_status_on_client.status_details = &details;
	/* gRPC core delivers the status only once what came before it was read. */
	ops[4].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[4].data.recv_initial_metadata.recv_initial_metadata = &initial;
	ops[5].op = GRPC_OP_RECV_MESSAGE;
	ops[5].data.recv_message.recv_message = &reply;
	assert_int_equal(grpc_call_start_batch(call, ops, 6, ops, NULL), GRPC_CALL_OK);
	grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	grpc_call_unref(call);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&initial);
	grpc_metadata_array_destroy(&trailing);
	grpc_byte_buffer_destroy(request);
	if (reply != NULL)
		grpc_byte_buffer_destroy(reply);
	grpc_completion_queue_shutdown(cq);
	while (grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
	       GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(cq);
	grpc_channel_destroy(channel);
	grpc_channel_credentials_release(creds);
	return status;
}

static void test_unknown_method_is_unimplemented_at_once(void **state)
{
	long long started;
	grpc_status_code status;

	grpc_init();
	started = fixture_now_ms();
	status = call_unknown_method(server.address, fixture_deadline_ms(10000));
	/* "At once": far sooner than the deadline it would hang until. */
	assert_int_equal(status, GRPC_STATUS_UNIMPLEMENTED);
	assert_true(fixture_now_ms() - started < fixture_deadline_ms(5000));
	grpc_shutdown();
}

/* A slow path: another session holds a lock that GetServerInfo's query
 * needs. The 50 ms deadline must come back as DEADLINE_EXCEEDED, and the
 * server's query must be cancelled too (statement_timeout), so csperfd
 * answers normally once the lock is gone. */
static void test_deadline_on_slow_path(void **state)
{
	PGconn *locker = fixture_pg_connect(&pg);
	csperf_client *fast = client_with_timeout(50);
	csperf_client *patient = client_with_timeout(fixture_deadline_ms(10000));
	csperf_server_info *info = NULL;
	char *waiting;

	PQclear(PQexec(locker, "BEGIN"));
	PQclear(PQexec(locker, "LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE"));
	assert_int_equal(csperf_server_info_get(fast, &info), CSPERF_ETIMEOUT);
	assert_null(info);
	assert_non_null(strstr(csperf_error_last(), "GetServerInfo"));

	/* The server's own query gives up by itself (its statement_timeout is
	 * the call's deadline): no session stays waiting on the lock. */
	for (long long until = fixture_now_ms() + fixture_deadline_ms(5000);
	     fixture_now_ms() < until;) {
		waiting = fixture_pg_query(&pg,
			"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
		if (waiting != NULL && strcmp(waiting, "0") == 0)
			break;
		free(waiting);
		waiting = NULL;
		usleep(50 * 1000);
	}
	assert_non_null(waiting);
	assert_string_equal(waiting, "0");
	free(waiting);

	PQclear(PQexec(locker, "COMMIT"));
	PQfinish(locker);
	assert_int_equal(csperf_server_info_get(patient, &info), CSPERF_OK);
	assert_string_equal(info->database_status, "ok");
	csperf_server_info_free(info);
	csperf_client_free(fast);
	csperf_client_free(patient);
}

typedef struct worker_result {
	int failures;
} worker_result;

static void *concurrent_worker(void *arg)
{
	worker_result *result = arg;
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = server.address;
	options.token = server.token;
	options.timeout_ms = fixture_deadline_ms(10000);
	if (csperf_client_new(&client, &options) != CSPERF_OK) {
		result->failures = 1000;
		return NULL;
	}
	for (int i = 0; i < 50; i++) {
		csperf_server_info *info = NULL;

		if (csperf_server_info_get(client, &info) != CSPERF_OK ||
		    strcmp(info->database_status, "ok") != 0)
			result->failures++;
		csperf_server_info_free(info);
	}
	csperf_client_free(client);
	return NULL;
}

static void test_concurrent_calls(void **state)
{
	pthread_t threads[8];
	worker_result results[8];

	memset(results, 0, sizeof(results));
	for (int i = 0; i < 8; i++)
		pthread_create(&threads[i], NULL, concurrent_worker, &results[i]);
	for (int i = 0; i < 8; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(results[i].failures, 0);
	}
}

static csperf_health health_now(csperf_client *client)
{
	csperf_health health = CSPERF_HEALTH_UNKNOWN;

	if (csperf_health_check(client, "", &health) != CSPERF_OK)
		return CSPERF_HEALTH_UNKNOWN;
	return health;
}

/* The database goes away and comes back: health follows it, GetServerInfo
 * still answers about the server, and no restart of csperfd is needed. */
static void test_database_restart(void **state)
{
	csperf_client *client = client_with_timeout(fixture_deadline_ms(10000));
	csperf_server_info *info = NULL;
	csperf_health health = CSPERF_HEALTH_UNKNOWN;
	long long halted, waited;

	assert_int_equal(health_now(client), CSPERF_HEALTH_SERVING);
	assert_int_equal(fixture_pg_halt(&pg), 0);

	/* Health answers from a state refreshed in the background
	 * (server/health_monitor.h): NOT_SERVING within one refresh and one
	 * ping's timeout (1.5 s), allowed double on a loaded machine. */
	halted = fixture_now_ms();
	for (long long until = halted + fixture_deadline_ms(3000);
	     fixture_now_ms() < until && health != CSPERF_HEALTH_NOT_SERVING;) {
		health = health_now(client);
		if (health != CSPERF_HEALTH_NOT_SERVING)
			usleep(50 * 1000);
	}
	waited = fixture_now_ms() - halted;
	printf("server: health NOT_SERVING %lld ms after PostgreSQL stopped\n", waited);
	assert_int_equal(health, CSPERF_HEALTH_NOT_SERVING);
	assert_int_equal(csperf_server_info_get(client, &info), CSPERF_OK);
	assert_true(strncmp(info->database_status, "unavailable", 11) == 0);
	csperf_server_info_free(info);
	info = NULL;

	assert_int_equal(fixture_pg_restart(&pg), 0);
	halted = fixture_now_ms();
	for (long long until = fixture_now_ms() + fixture_deadline_ms(5000);
	     fixture_now_ms() < until && health != CSPERF_HEALTH_SERVING;) {
		health = health_now(client);
		if (health != CSPERF_HEALTH_SERVING)
			usleep(50 * 1000);
	}
	printf("server: health SERVING %lld ms after PostgreSQL came back\n",
	       fixture_now_ms() - halted);
	assert_int_equal(health, CSPERF_HEALTH_SERVING);
	assert_int_equal(csperf_server_info_get(client, &info), CSPERF_OK);
	assert_string_equal(info->database_status, "ok");
	csperf_server_info_free(info);
	csperf_client_free(client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_info),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_unknown_method_is_unimplemented_at_once),
		cmocka_unit_test(test_deadline_on_slow_path),
		cmocka_unit_test(test_concurrent_calls),
		cmocka_unit_test(test_database_restart),
	};

	return cmocka_run_group_tests_name("integration_server", tests, setup, teardown);
}
