/*
 * policy.c: the access policy, one row per RPC: which roles may call it and
 * whether its request names a council that must be in the caller's scope.
 *
 * A new RPC adds its row here (docs/SECURITY.md lists the planned ones). A
 * method with no row is refused to everyone, and tests/unit/test_auth.c
 * checks that every method csperfd serves has a row. For AUTH_SCOPE_COUNCIL,
 * unary requests are checked by the gate from their string field `council`;
 * a client stream checks the council of its first message in its handler
 * (access_require_council).
 */
#include "auth.h"

#include <string.h>

#define ROLE(r) AUTH_ROLE_BIT(AUTH_ROLE_##r)

static const auth_policy policies[] = {
	{ "/grpc.health.v1.Health/Check", 0, AUTH_SCOPE_NONE, true },
	/* Reflection describes the API (the descriptors of proto/), no data:
	 * open, as the tools that use it expect, and not audited. */
	{ "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", 0, AUTH_SCOPE_NONE, true },
	{ "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", 0, AUTH_SCOPE_NONE,
	  true },
	{ "/csperf.v1.Performance/GetServerInfo", AUTH_ROLES_ALL, AUTH_SCOPE_NONE, false },

	{ "/csperf.v1.Performance/LoadRecords", ROLE(ADMIN) | ROLE(LOADER),
	  AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/DeleteLoad", ROLE(ADMIN) | ROLE(LOADER),
	  AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/ListLoads", ROLE(ADMIN) | ROLE(LOADER) | ROLE(ANALYST),
	  AUTH_SCOPE_COUNCIL, false },

	/* Definitions are public knowledge; changing one is an admin's. */
	{ "/csperf.v1.Performance/ListIndicators", AUTH_ROLES_ALL, AUTH_SCOPE_NONE, false },
	{ "/csperf.v1.Performance/GetIndicator", AUTH_ROLES_ALL, AUTH_SCOPE_NONE, false },
	{ "/csperf.v1.Performance/PutIndicator", ROLE(ADMIN), AUTH_SCOPE_NONE, false },
	/* Aggregates, for the caller's councils. Series (every period, with
	 * numerators) are an analyst's tool, and scrutiny's with small numbers
	 * suppressed; scorecards and exceptions are also for readers. Finance
	 * reads cost metrics (its own RPCs, issue 7), not scorecards. */
	{ "/csperf.v1.Performance/GetIndicatorSeries", ROLE(ADMIN) | ROLE(ANALYST) | ROLE(SCRUTINY),
	  AUTH_SCOPE_COUNCIL, false },
	/* Child-level lists: analysts and admins only, for their councils. */
	{ "/csperf.v1.Performance/GetIndicatorCases", ROLE(ADMIN) | ROLE(ANALYST),
	  AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/GetChildList", ROLE(ADMIN) | ROLE(ANALYST),
	  AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/GetScorecard", ROLE(ADMIN) | ROLE(ANALYST) | ROLE(READER) |
	  ROLE(SCRUTINY), AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/WatchScorecard", ROLE(ADMIN) | ROLE(ANALYST) | ROLE(READER) |
	  ROLE(SCRUTINY), AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/GetExceptions", ROLE(ADMIN) | ROLE(ANALYST) | ROLE(READER) |
	  ROLE(SCRUTINY), AUTH_SCOPE_COUNCIL, false },
	/* The org units those take: as GetScorecard (names, no figures). */
	{ "/csperf.v1.Performance/ListOrgUnits", ROLE(ADMIN) | ROLE(ANALYST) | ROLE(READER) |
	  ROLE(SCRUTINY), AUTH_SCOPE_COUNCIL, false },
	/* Placement costs and their export (child ids, no other child data):
	 * finance's, for its councils. */
	{ "/csperf.v1.Performance/GetPlacementCosts", ROLE(ADMIN) | ROLE(FINANCE),
	  AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/ExportPlacementCosts", ROLE(ADMIN) | ROLE(FINANCE),
	  AUTH_SCOPE_COUNCIL, false },

	/* Published comparators are public figures; a council's details and
	 * neighbours are an admin's to set. */
	{ "/csperf.v1.Performance/LoadComparators", ROLE(ADMIN) | ROLE(LOADER), AUTH_SCOPE_NONE,
	  false },
	{ "/csperf.v1.Performance/PutCouncil", ROLE(ADMIN), AUTH_SCOPE_NONE, false },
	{ "/csperf.v1.Performance/ListCouncils", ROLE(ADMIN), AUTH_SCOPE_NONE, false },
	{ "/csperf.v1.Performance/DeleteCouncil", ROLE(ADMIN), AUTH_SCOPE_NONE, false },
	/* DfE published statistics are public figures, imported as the
	 * comparators are; reconciling them with a council's own figures is an
	 * analyst's work, for the caller's councils. */
	{ "/csperf.v1.Performance/ImportComparators", ROLE(ADMIN) | ROLE(LOADER), AUTH_SCOPE_NONE,
	  false },
	{ "/csperf.v1.Performance/Reconcile", ROLE(ADMIN) | ROLE(ANALYST), AUTH_SCOPE_COUNCIL,
	  false },

	{ "/csperf.v1.Performance/CreateToken", ROLE(ADMIN), AUTH_SCOPE_NONE, false },
	{ "/csperf.v1.Performance/ListTokens", ROLE(ADMIN), AUTH_SCOPE_NONE, false },
	{ "/csperf.v1.Performance/RevokeToken", ROLE(ADMIN), AUTH_SCOPE_NONE, false },
	{ "/csperf.v1.Performance/GetAudit", ROLE(ADMIN), AUTH_SCOPE_NONE, false },

	/* The DfE's validation rules over a council's records: child ids and
	 * what is wrong with their records, for those who load the returns and
	 * those who correct them. */
	{ "/csperf.v1.Performance/ValidateRecords", ROLE(ADMIN) | ROLE(LOADER) | ROLE(ANALYST),
	  AUTH_SCOPE_COUNCIL, false },

	/* A council's own settings (targets, links, its scorecard's list)
	 * decide every RAG and exception its committee reads: set by an admin,
	 * as definitions and council details are; read by whoever reads its
	 * scorecard. Report cards are written by the council's analysts (and
	 * admins) and read by whoever reads its scorecard; commentary is staff's
	 * free text, so every read is a call of its own, audited. */
	{ "/csperf.v1.Performance/PutCouncilSettings", ROLE(ADMIN), AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/GetCouncilSettings", ROLE(ADMIN) | ROLE(ANALYST) | ROLE(READER) |
	  ROLE(SCRUTINY), AUTH_SCOPE_COUNCIL, false },
	{ "/csperf.v1.Performance/PutReportCard", ROLE(ADMIN) | ROLE(ANALYST), AUTH_SCOPE_COUNCIL,
	  false },
	{ "/csperf.v1.Performance/GetReportCards", ROLE(ADMIN) | ROLE(ANALYST) | ROLE(READER) |
	  ROLE(SCRUTINY), AUTH_SCOPE_COUNCIL, false },
};

const auth_policy *auth_policy_find(const char *method)
{
	if (method == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		if (strcmp(policies[i].method, method) == 0)
			return &policies[i];
	return NULL;
}

const auth_policy *auth_policies(size_t *count)
{
	*count = sizeof(policies) / sizeof(policies[0]);
	return policies;
}
