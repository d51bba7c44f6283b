/* child_scope.c: the children a caller narrowed to localities may see. */
#include "child_scope.h"

#include <stdlib.h>
#include <string.h>

#include "access.h"

static int keep_child(const char *child_id, void *ctx)
{
	child_scope *scope = ctx;

	if (scope->count == scope->capacity) {
		size_t capacity = scope->capacity == 0 ? 64 : scope->capacity * 2;
		char **grown = realloc(scope->children, capacity * sizeof(*grown));

		if (grown == NULL) {
			scope->failed = true;
			return 1;
		}
		scope->children = grown;
		scope->capacity = capacity;
	}
	scope->children[scope->count] = strdup(child_id);
	if (scope->children[scope->count] == NULL) {
		scope->failed = true;
		return 1;
	}
	scope->count++;
	return 0;
}

static int compare_child(const void *key, const void *item)
{
	return strcmp((const char *)key, *(char *const *)item);
}

static int compare_children(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int child_scope_load(app *a, rpc_call *call, store_pool *pool, const char *council,
		     child_scope *out, status *st)
{
	const auth_principal *p = access_principal(call);
	char localities[AUTH_MAX_LOCALITIES * (AUTH_LOCALITY_MAX + 1) + 1];
	size_t used = 0;

	(void)a;
	memset(out, 0, sizeof(*out));
	if (p == NULL || p->role == AUTH_ROLE_ADMIN || p->nlocalities == 0)
		return 0;
	out->narrowed = true;
	localities[0] = '\0';
	for (size_t i = 0; i < p->nlocalities; i++) {
		size_t len = strlen(p->localities[i]);

		if (i > 0)
			localities[used++] = '\x1f';
		memcpy(localities + used, p->localities[i], len);
		used += len;
		localities[used] = '\0';
	}
	if (store_locality_children(pool, rpc_call_remaining_ms(call), council, localities,
				    keep_child, out, st) != 0) {
		if (out->failed)
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return -1;
	}
	/* Sorted here, byte by byte, whatever the database's collation. */
	qsort(out->children, out->count, sizeof(char *), compare_children);
	return 0;
}


bool child_scope_allows(const child_scope *scope, const char *child_id)
{
	if (!scope->narrowed)
		return true;
	return bsearch(child_id, scope->children, scope->count, sizeof(char *),
		       compare_child) != NULL;
}

void child_scope_free(child_scope *scope)
{
	for (size_t i = 0; i < scope->count; i++)
		free(scope->children[i]);
	free(scope->children);
	memset(scope, 0, sizeof(*scope));
}
