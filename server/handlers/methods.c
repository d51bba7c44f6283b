/* methods.c: the method table: each RPC's path, kind, request and handler.
 * Each method also needs its row in the access policy (server/auth/policy.c);
 * without one it is refused to everyone. */
#include "handlers.h"

#include "csperf/v1/access.pb-c.h"
#include "csperf/v1/admin.pb-c.h"
#include "csperf/v1/costs.pb-c.h"
#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/records.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"
#include "csperf/v1/validation.pb-c.h"
#include "grpc/health/v1/health.pb-c.h"
#include "grpc/reflection/v1/reflection.pb-c.h"

static const rpc_method methods[] = {
	{ "/csperf.v1.Performance/GetServerInfo", RPC_UNARY,
	  &csperf__v1__get_server_info_request__descriptor, handle_get_server_info },
	{ "/csperf.v1.Performance/LoadRecords", RPC_CLIENT_STREAM,
	  &csperf__v1__load_records_request__descriptor, handle_load_records },
	{ "/csperf.v1.Performance/ListLoads", RPC_UNARY,
	  &csperf__v1__list_loads_request__descriptor, handle_list_loads },
	{ "/csperf.v1.Performance/DeleteLoad", RPC_UNARY,
	  &csperf__v1__delete_load_request__descriptor, handle_delete_load },
	{ "/csperf.v1.Performance/CreateToken", RPC_UNARY,
	  &csperf__v1__create_token_request__descriptor, handle_create_token },
	{ "/csperf.v1.Performance/ListTokens", RPC_UNARY,
	  &csperf__v1__list_tokens_request__descriptor, handle_list_tokens },
	{ "/csperf.v1.Performance/RevokeToken", RPC_UNARY,
	  &csperf__v1__revoke_token_request__descriptor, handle_revoke_token },
	{ "/csperf.v1.Performance/GetAudit", RPC_UNARY,
	  &csperf__v1__get_audit_request__descriptor, handle_get_audit },
	{ "/csperf.v1.Performance/ListIndicators", RPC_UNARY,
	  &csperf__v1__list_indicators_request__descriptor, handle_list_indicators },
	{ "/csperf.v1.Performance/GetIndicator", RPC_UNARY,
	  &csperf__v1__get_indicator_request__descriptor, handle_get_indicator },
	{ "/csperf.v1.Performance/PutIndicator", RPC_UNARY,
	  &csperf__v1__put_indicator_request__descriptor, handle_put_indicator },
	{ "/csperf.v1.Performance/GetIndicatorSeries", RPC_UNARY,
	  &csperf__v1__get_indicator_series_request__descriptor, handle_get_indicator_series },
	{ "/csperf.v1.Performance/GetScorecard", RPC_UNARY,
	  &csperf__v1__get_scorecard_request__descriptor, handle_get_scorecard },
	{ "/csperf.v1.Performance/GetExceptions", RPC_UNARY,
	  &csperf__v1__get_exceptions_request__descriptor, handle_get_exceptions },
	{ "/csperf.v1.Performance/GetPlacementCosts", RPC_UNARY,
	  &csperf__v1__get_placement_costs_request__descriptor, handle_get_placement_costs },
	{ "/csperf.v1.Performance/ExportPlacementCosts", RPC_SERVER_STREAM,
	  &csperf__v1__export_placement_costs_request__descriptor, handle_export_placement_costs },
	{ "/csperf.v1.Performance/LoadComparators", RPC_UNARY,
	  &csperf__v1__load_comparators_request__descriptor, handle_load_comparators },
	{ "/csperf.v1.Performance/PutCouncil", RPC_UNARY,
	  &csperf__v1__put_council_request__descriptor, handle_put_council },
	{ "/csperf.v1.Performance/ImportComparators", RPC_CLIENT_STREAM,
	  &csperf__v1__import_comparators_request__descriptor, handle_import_comparators },
	{ "/csperf.v1.Performance/Reconcile", RPC_UNARY,
	  &csperf__v1__reconcile_request__descriptor, handle_reconcile },
	{ "/csperf.v1.Performance/GetIndicatorCases", RPC_SERVER_STREAM,
	  &csperf__v1__get_indicator_cases_request__descriptor, handle_get_indicator_cases },
	{ "/csperf.v1.Performance/GetChildList", RPC_SERVER_STREAM,
	  &csperf__v1__get_child_list_request__descriptor, handle_get_child_list },
	{ "/csperf.v1.Performance/ListCouncils", RPC_UNARY,
	  &csperf__v1__list_councils_request__descriptor, handle_list_councils },
	{ "/csperf.v1.Performance/DeleteCouncil", RPC_UNARY,
	  &csperf__v1__delete_council_request__descriptor, handle_delete_council },
	{ "/csperf.v1.Performance/WatchScorecard", RPC_SERVER_STREAM,
	  &csperf__v1__get_scorecard_request__descriptor, handle_watch_scorecard },
	{ "/csperf.v1.Performance/ValidateRecords", RPC_SERVER_STREAM,
	  &csperf__v1__validate_records_request__descriptor, handle_validate_records },
	{ "/csperf.v1.Performance/ListOrgUnits", RPC_UNARY,
	  &csperf__v1__list_org_units_request__descriptor, handle_list_org_units },
	{ "/csperf.v1.Performance/PutCouncilSettings", RPC_UNARY,
	  &csperf__v1__put_council_settings_request__descriptor, handle_put_council_settings },
	{ "/csperf.v1.Performance/GetCouncilSettings", RPC_UNARY,
	  &csperf__v1__get_council_settings_request__descriptor, handle_get_council_settings },
	{ "/csperf.v1.Performance/PutReportCard", RPC_UNARY,
	  &csperf__v1__put_report_card_request__descriptor, handle_put_report_card },
	{ "/csperf.v1.Performance/GetReportCards", RPC_UNARY,
	  &csperf__v1__get_report_cards_request__descriptor, handle_get_report_cards },
	{ "/grpc.health.v1.Health/Check", RPC_UNARY,
	  &grpc__health__v1__health_check_request__descriptor, handle_health_check },
	/* v1alpha's messages are v1's on the wire. */
	{ "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", RPC_BIDI_STREAM,
	  &grpc__reflection__v1__server_reflection_request__descriptor, handle_server_reflection },
	{ "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", RPC_BIDI_STREAM,
	  &grpc__reflection__v1__server_reflection_request__descriptor, handle_server_reflection },
};

const rpc_method *handlers_methods(size_t *count)
{
	*count = sizeof(methods) / sizeof(methods[0]);
	return methods;
}
