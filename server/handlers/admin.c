/*
 * admin.c: GetServerInfo and the standard health check.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "../health_monitor.h"

#include "csperf/v1/admin.pb-c.h"
#include "grpc/health/v1/health.pb-c.h"

#ifndef CSPERF_VERSION_STRING
#define CSPERF_VERSION_STRING "unknown"
#endif

void handle_get_server_info(rpc_call *call, void *ctx)
{
	app *a = ctx;
	ProtobufCMessage *request = rpc_call_request(call);
	Csperf__V1__GetServerInfoResponse reply = CSPERF__V1__GET_SERVER_INFO_RESPONSE__INIT;
	store_info info;
	status st = STATUS_INIT;
	struct timespec now;
	char database_status[sizeof(((status *)0)->message) + 16];

	if (request == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a GetServerInfoRequest");
		return;
	}
	protobuf_c_message_free_unpacked(request, NULL);

	memset(&info, 0, sizeof(info));
	if (store_get_info(a->pool, rpc_call_remaining_ms(call), &info, &st) != 0) {
		/* The server still answers about itself when the database does not;
		 * but a call out of time or cancelled gets the truth. */
		if (st.code == STATUS_DEADLINE_EXCEEDED || st.code == STATUS_CANCELLED) {
			rpc_call_fail_status(call, &st);
			return;
		}
		snprintf(database_status, sizeof(database_status), "unavailable: %s",
			 st.message);
	} else {
		snprintf(database_status, sizeof(database_status), "ok");
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	reply.server_version = (char *)CSPERF_VERSION_STRING;
	reply.schema_version = info.schema_version;
	reply.database_status = database_status;
	reply.database_version = info.server_version;
	reply.database_mode = (char *)a->database_mode;
	reply.uptime_seconds = now.tv_sec - a->started.tv_sec;
	rpc_call_reply(call, &reply.base);
}

void handle_health_check(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Grpc__Health__V1__HealthCheckRequest *request =
		(Grpc__Health__V1__HealthCheckRequest *)rpc_call_request(call);
	Grpc__Health__V1__HealthCheckResponse reply =
		GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;

	if (request == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request is not a HealthCheckRequest");
		return;
	}
	/* "" is the whole server; the protocol wants NOT_FOUND for services
	 * this server does not have. */
	if (request->service[0] != '\0' &&
	    strcmp(request->service, "csperf.v1.Performance") != 0 &&
	    strcmp(request->service, "grpc.health.v1.Health") != 0) {
		rpc_call_fail(call, STATUS_NOT_FOUND, "unknown service");
		protobuf_c_message_free_unpacked(&request->base, NULL);
		return;
	}
	protobuf_c_message_free_unpacked(&request->base, NULL);
	/* The state the health monitor keeps: no query per call, at most
	 * HEALTH_STALE_MS old (health_monitor.h). */
	reply.status = !a->waiting_for_database && health_monitor_database_ok(a->health)
		? GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING
		: GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING;
	rpc_call_reply(call, &reply.base);
}
