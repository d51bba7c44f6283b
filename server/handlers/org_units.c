/* org_units.c: the org unit a read names, checked (org_units.h). */
#include "org_units.h"

#include <stdio.h>
#include <string.h>

#include "access.h"

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
