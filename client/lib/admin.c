/* admin.c: the SDK's server info and health check calls. */
#include <stdlib.h>

#include "client_internal.h"

#include "csperf/v1/admin.pb-c.h"
#include "grpc/health/v1/health.pb-c.h"

int csperf_server_info_get(csperf_client *client, csperf_server_info **out)
{
	Csperf__V1__GetServerInfoRequest request = CSPERF__V1__GET_SERVER_INFO_REQUEST__INIT;
	Csperf__V1__GetServerInfoResponse *reply = NULL;
	csperf_server_info *info;
	int rc;

	if (client == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetServerInfo: client or out is NULL");
	*out = NULL;
	rc = client_unary(client, "/csperf.v1.Performance/GetServerInfo", "GetServerInfo",
			  &request.base, &csperf__v1__get_server_info_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	info = calloc(1, sizeof(*info));
	if (info == NULL) {
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "GetServerInfo: out of memory");
	}
	info->server_version = client_strdup(reply->server_version);
	info->schema_version = reply->schema_version;
	info->database_status = client_strdup(reply->database_status);
	info->database_version = client_strdup(reply->database_version);
	info->database_mode = client_strdup(reply->database_mode);
	info->uptime_seconds = reply->uptime_seconds;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	if (info->server_version == NULL || info->database_status == NULL ||
	    info->database_version == NULL || info->database_mode == NULL) {
		csperf_server_info_free(info);
		return client_error(CSPERF_ENOMEM, "GetServerInfo: out of memory");
	}
	*out = info;
	return CSPERF_OK;
}

void csperf_server_info_free(csperf_server_info *info)
{
	if (info == NULL)
		return;
	free(info->server_version);
	free(info->database_status);
	free(info->database_version);
	free(info->database_mode);
	free(info);
}

int csperf_health_check(csperf_client *client, const char *service, csperf_health *out)
{
	Grpc__Health__V1__HealthCheckRequest request = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
	Grpc__Health__V1__HealthCheckResponse *reply = NULL;
	int rc;

	if (client == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "Health/Check: client or out is NULL");
	request.service = (char *)(service != NULL ? service : "");
	rc = client_unary(client, "/grpc.health.v1.Health/Check", "Health/Check",
			  &request.base, &grpc__health__v1__health_check_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	switch (reply->status) {
	case GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING:
		*out = CSPERF_HEALTH_SERVING;
		break;
	case GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING:
		*out = CSPERF_HEALTH_NOT_SERVING;
		break;
	default:
		*out = CSPERF_HEALTH_UNKNOWN;
		break;
	}
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return CSPERF_OK;
}
