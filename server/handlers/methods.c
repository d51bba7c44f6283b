/* methods.c: the method table: each RPC's path, kind, request and handler. */
#include "handlers.h"

#include "csperf/v1/admin.pb-c.h"
#include "csperf/v1/records.pb-c.h"
#include "grpc/health/v1/health.pb-c.h"

static const rpc_method methods[] = {
	{ "/csperf.v1.Performance/GetServerInfo", RPC_UNARY,
	  &csperf__v1__get_server_info_request__descriptor, handle_get_server_info },
	{ "/csperf.v1.Performance/LoadRecords", RPC_CLIENT_STREAM,
	  &csperf__v1__load_records_request__descriptor, handle_load_records },
	{ "/csperf.v1.Performance/ListLoads", RPC_UNARY,
	  &csperf__v1__list_loads_request__descriptor, handle_list_loads },
	{ "/csperf.v1.Performance/DeleteLoad", RPC_UNARY,
	  &csperf__v1__delete_load_request__descriptor, handle_delete_load },
	{ "/grpc.health.v1.Health/Check", RPC_UNARY,
	  &grpc__health__v1__health_check_request__descriptor, handle_health_check },
};

const rpc_method *handlers_methods(size_t *count)
{
	*count = sizeof(methods) / sizeof(methods[0]);
	return methods;
}
