/* org_units.c: the org unit a read names, checked (org_units.h). */
#include "org_units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"

#include "csperf/v1/scorecards.pb-c.h"

/* A name as the records may hold it: 1 to 100 bytes, no control
 * characters, no surrounding spaces. */
static bool valid_name(const char *name)
{
	size_t len = strlen(name);

	if (len < 1 || len > 100 || name[0] == ' ' || name[len - 1] == ' ')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return true;
}

int org_unit_parse(const char *text, store_org_unit *out, status *st)
{
	const char *name = NULL;

	memset(out, 0, sizeof(*out));
	if (text[0] == '\0' || strcmp(text, "council") == 0)
		return 0;
	if (strncmp(text, "locality:", 9) == 0) {
		out->kind = STORE_ORG_LOCALITY;
		name = text + 9;
	} else if (strncmp(text, "team:", 5) == 0) {
		out->kind = STORE_ORG_TEAM;
		name = text + 5;
	}
	if (name == NULL || !valid_name(name))
		return status_set(st, STATUS_INVALID_ARGUMENT, "org_unit must be council, "
				  "locality:NAME or team:NAME (a name of 1 to 100 characters)");
	snprintf(out->name, sizeof(out->name), "%s", name);
	return 0;
}

void org_unit_format(const store_org_unit *unit, char *out, size_t size)
{
	if (unit->kind == STORE_ORG_COUNCIL)
		snprintf(out, size, "council");
	else
		snprintf(out, size, "%s:%s", store_org_kind_name(unit->kind), unit->name);
}

int org_unit_resolve(app *a, rpc_call *call, const char *council, const char *text,
		     store_org_unit *out, status *st)
{
	const auth_principal *p = access_principal(call);
	bool narrowed = p != NULL && p->role != AUTH_ROLE_ADMIN && p->nlocalities > 0;
	bool exists;

	if (org_unit_parse(text, out, st) != 0)
		return -1;
	if (out->kind == STORE_ORG_COUNCIL)
		return 0;
	/* Before the records are looked at: a narrowed token learns nothing
	 * of the localities and teams it may not see. */
	if (narrowed && (out->kind == STORE_ORG_TEAM || !auth_locality_allowed(p, out->name)))
		return status_set(st, STATUS_PERMISSION_DENIED, "this token is narrowed to "
				  "localities: it may read the council's figures and its own "
				  "localities', not another locality's nor a team's");
	if (store_org_unit_exists(a->pool, rpc_call_remaining_ms(call), council, out, &exists,
				  st) != 0)
		return -1;
	if (!exists)
		return status_set(st, STATUS_NOT_FOUND, "nothing there: council %s's records name "
				  "no %s '%s' (csperf council org-units %s lists them)", council,
				  store_org_kind_name(out->kind), out->name, council);
	return 0;
}

/* ---- ListOrgUnits ---- */

typedef struct org_list {
	Csperf__V1__OrgUnit **items;
	size_t count;
	const auth_principal *principal;
	bool narrowed, failed;
} org_list;

static int keep_org_unit(store_org_kind kind, const char *name, long children, void *ctx)
{
	org_list *list = ctx;
	Csperf__V1__OrgUnit **grown, *u;
	size_t size = strlen(name) + 16;

	(void)children;
	/* A token narrowed to localities: its own localities only. */
	if (list->narrowed && (kind != STORE_ORG_LOCALITY ||
			       !auth_locality_allowed(list->principal, name)))
		return 0;
	grown = realloc(list->items, (list->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		list->failed = true;
		return 1;
	}
	list->items = grown;
	u = malloc(sizeof(*u));
	if (u == NULL) {
		list->failed = true;
		return 1;
	}
	csperf__v1__org_unit__init(u);
	u->kind = (char *)store_org_kind_name(kind);
	u->name = strdup(name);
	u->org_unit = malloc(size);
	grown[list->count++] = u;
	if (u->name == NULL || u->org_unit == NULL) {
		list->failed = true;
		return 1;
	}
	snprintf(u->org_unit, size, "%s:%s", u->kind, name);
	return 0;
}

void handle_list_org_units(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ListOrgUnitsRequest *req =
		(Csperf__V1__ListOrgUnitsRequest *)rpc_call_request(call);
	Csperf__V1__ListOrgUnitsResponse reply = CSPERF__V1__LIST_ORG_UNITS_RESPONSE__INIT;
	org_list list = { NULL, 0, NULL, false, false };
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a ListOrgUnitsRequest");
		return;
	}
	list.principal = access_principal(call);
	list.narrowed = list.principal != NULL && list.principal->role != AUTH_ROLE_ADMIN &&
			list.principal->nlocalities > 0;
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
		goto cleanup;
	}
	if (store_org_units(store_read_pool(a->pool, rpc_call_remaining_ms(call), req->council),
			    rpc_call_remaining_ms(call), req->council, keep_org_unit, &list,
			    &st) != 0) {
		if (list.failed)
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	reply.council = req->council;
	reply.n_org_units = list.count;
	reply.org_units = list.items;
	access_note_rows(call, (int64_t)list.count);
	rpc_call_reply(call, &reply.base);
cleanup:
	for (size_t i = 0; i < list.count; i++) {
		free(list.items[i]->name);
		free(list.items[i]->org_unit);
		free(list.items[i]);
	}
	free(list.items);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}
