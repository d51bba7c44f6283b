/*
 * handlers.h: the RPCs csperfd serves, one file per group, and the state
 * they share. A handler decodes its request, calls the store (and later the
 * engine), and ends the call through the rpc module.
 */
#ifndef CSPERF_SERVER_HANDLERS_H
#define CSPERF_SERVER_HANDLERS_H

#include <stddef.h>
#include <time.h>

#include "../rpc/rpc.h"
#include "../store/store.h"

typedef struct app {
	store_pool *pool;
	struct timespec started;   /* CLOCK_MONOTONIC */
	const char *database_mode; /* "embedded" or "external" */
} app;

/* Every method, for rpc_server_start. */
const rpc_method *handlers_methods(size_t *count);

/* The per-group handlers. */
void handle_get_server_info(rpc_call *call, void *app);
void handle_health_check(rpc_call *call, void *app);
void handle_load_records(rpc_call *call, void *app);
void handle_list_loads(rpc_call *call, void *app);
void handle_delete_load(rpc_call *call, void *app);

#endif
