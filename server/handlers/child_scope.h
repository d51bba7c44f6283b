/*
 * child_scope.h: which children a caller may see in child-level replies
 * (GetIndicatorCases, GetChildList). A token narrowed to localities sees
 * only the children whose current placement cost lines name one of its
 * localities; a child with no locality on record is not one of them (the
 * records say nothing else of where a child is). Every other caller sees
 * every child of its councils. Placement cost lines and their export are
 * narrowed by each line's own locality (handlers/costs.c).
 */
#ifndef CSPERF_SERVER_HANDLERS_CHILD_SCOPE_H
#define CSPERF_SERVER_HANDLERS_CHILD_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "handlers.h"

typedef struct child_scope {
	bool narrowed;      /* false: every child */
	char **children;    /* sorted, when narrowed */
	size_t count, capacity;
	bool failed;
} child_scope;

/* Reads the caller's scope for a council from pool. On failure fills st and
 * returns -1. Free with child_scope_free. */
int child_scope_load(app *a, rpc_call *call, store_pool *pool, const char *council,
		     child_scope *out, status *st);

/* Whether the scope holds the child. */
bool child_scope_allows(const child_scope *scope, const char *child_id);

void child_scope_free(child_scope *scope);

#endif
