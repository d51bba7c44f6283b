/* methods.c: the method table: each RPC's path, kind, request and handler. */
#include "handlers.h"

#include "csperf/v1/admin.pb-c.h"
#include "grpc/health/v1/health.pb-c.h"

static const rpc_method methods[] = {
	{ "/csperf.v1.Performance/GetServerInfo", RPC_UNARY,
	  &csperf__v1__get_server_info_request__descriptor, handle_get_server_info },
	{ "/grpc.health.v1.Health/Check", RPC_UNARY,
	  &grpc__health__v1__health_check_request__descriptor, handle_health_check },
};

const rpc_method *handlers_methods(size_t *count)
{
	*count = sizeof(methods) / sizeof(methods[0]);
	return methods;
}
