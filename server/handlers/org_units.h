/*
 * org_units.h: the org unit a read names (GetScorecard, GetExceptions,
 * GetIndicatorSeries, GetIndicatorCases): "" or "council", "locality:NAME"
 * or "team:NAME"; whether the caller may see it; whether the council's
 * records name it. docs/indicators.md, "Figures by org unit".
 */
#ifndef CSPERF_SERVER_HANDLERS_ORG_UNITS_H
#define CSPERF_SERVER_HANDLERS_ORG_UNITS_H

#include "handlers.h"

/* Parses text into out; INVALID_ARGUMENT naming the forms when it is none. */
int org_unit_parse(const char *text, store_org_unit *out, status *st);

/* Parses, authorises and finds the org unit of a read of council. A token
 * narrowed to localities may read the council (aggregates, as before) and
 * its own localities, not another locality nor a team (a team is no
 * locality, and may hold any locality's children): PERMISSION_DENIED. An
 * org unit the council's records do not name: NOT_FOUND, saying so. On
 * failure fills st and returns -1. */
int org_unit_resolve(app *a, rpc_call *call, const char *council, const char *text,
		     store_org_unit *out, status *st);

/* "council", "locality:North", "team:Duty" (for audit lines and keys). */
void org_unit_format(const store_org_unit *unit, char *out, size_t size);

#endif
