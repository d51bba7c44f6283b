/*
 * handlers.h: the RPCs csperfd serves, one file per group, and the state
 * they share. A handler decodes its request, calls the store (and later the
 * engine), and ends the call through the rpc module.
 */
#ifndef CSPERF_SERVER_HANDLERS_H
#define CSPERF_SERVER_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../rpc/rpc.h"
#include "../store/store.h"

typedef struct app {
	store_pool *pool;
	struct timespec started;   /* CLOCK_MONOTONIC */
	const char *database_mode; /* "embedded" or "external" */
	int suppress_threshold;    /* counts 1..this are suppressed for roles that need it */
	struct access_cache *access_cache;  /* access.c: principals verified recently */
	struct read_cache *read_cache;      /* read_cache.c: scorecard and exception replies */
	store_listener *listener;           /* changes committed anywhere; NULL: none */
	struct watch_hubs *watch;           /* watch.c: WatchScorecard's hubs; NULL: none */
	struct store_audit_writer *audit_writer;  /* group commit of audit lines; NULL: inline */
	struct health_monitor *health;      /* the database's state for health checks */
	/* true while csperfd waits for its database to be reached and migrated
	 * (--wait-for-database): health answers NOT_SERVING, and main.c's gate
	 * refuses every other call with UNAVAILABLE */
	_Atomic bool waiting_for_database;
} app;

/* Every method, for rpc_server_start. */
const rpc_method *handlers_methods(size_t *count);

/* The per-group handlers. */
void handle_get_server_info(rpc_call *call, void *app);
void handle_health_check(rpc_call *call, void *app);
void handle_load_records(rpc_call *call, void *app);
void handle_list_loads(rpc_call *call, void *app);
void handle_delete_load(rpc_call *call, void *app);
void handle_list_indicators(rpc_call *call, void *app);
void handle_get_indicator(rpc_call *call, void *app);
void handle_put_indicator(rpc_call *call, void *app);
void handle_get_indicator_series(rpc_call *call, void *app);
void handle_get_indicator_cases(rpc_call *call, void *app);
void handle_get_child_list(rpc_call *call, void *app);
void handle_get_scorecard(rpc_call *call, void *app);
void handle_list_org_units(rpc_call *call, void *app);
void handle_get_exceptions(rpc_call *call, void *app);
void handle_watch_scorecard(rpc_call *call, void *app);
void handle_get_placement_costs(rpc_call *call, void *app);
void handle_export_placement_costs(rpc_call *call, void *app);
void handle_load_comparators(rpc_call *call, void *app);
void handle_put_council(rpc_call *call, void *app);
void handle_list_councils(rpc_call *call, void *app);
void handle_delete_council(rpc_call *call, void *app);
void handle_import_comparators(rpc_call *call, void *app);
void handle_reconcile(rpc_call *call, void *app);
void handle_validate_records(rpc_call *call, void *app);
/* Each council its own (settings.c): settings and report cards. */
void handle_put_council_settings(rpc_call *call, void *app);
void handle_get_council_settings(rpc_call *call, void *app);
void handle_put_report_card(rpc_call *call, void *app);
void handle_get_report_cards(rpc_call *call, void *app);

/* Checks shared by handlers: an LA code (3 to 9 letters and digits), an
 * indicator id (2 to 16 capitals and digits, a letter first). */
bool handlers_valid_council(const char *code);
/* Fails the call naming whichever of council and indicator_id is not one
 * (INVALID_ARGUMENT) and returns true; false when both are. */
bool handlers_refuse_council_indicator(rpc_call *call, const char *council,
				       const char *indicator_id);
bool handlers_valid_indicator_id(const char *id);
/* Text of at most max bytes with no control character (councils.c). */
bool handlers_printable(const char *text, size_t max);
void handle_create_token(rpc_call *call, void *app);
void handle_list_tokens(rpc_call *call, void *app);
void handle_revoke_token(rpc_call *call, void *app);
void handle_get_audit(rpc_call *call, void *app);
/* gRPC server reflection, v1 and v1alpha (reflection.c). */
void handle_server_reflection(rpc_call *call, void *app);

/* validation.c: marks scorecard rows (Csperf__V1__ScorecardRow) whose
 * figure rests on records failing a DfE rule that decides it, from the
 * council's indicator_quality rows; *out holds the strings the rows point
 * to until handlers_quality_free. 0, or -1 with st filled. */
struct handlers_quality;
struct Csperf__V1__ScorecardRow;
int handlers_quality_mark(store_pool *pool, int64_t timeout_ms, const char *council,
			  struct Csperf__V1__ScorecardRow **rows, size_t nrows,
			  struct handlers_quality **out, status *st);
void handlers_quality_free(struct handlers_quality *quality);

/* The checks a request passes before its handler touches the database, the
 * very ones the handlers make, for the fuzz target tests/fuzz/fuzz_requests.c.
 * The first two fill st and return -1 when the message will not do. */
int handlers_check_load_header(const ProtobufCMessage *header, status *st); /* LoadHeader */
int handlers_check_indicator(const ProtobufCMessage *indicator, status *st); /* Indicator */
/* ImportComparatorsRequest: its shape, and each row's period, area and
 * cells read as the import reads them (published.c). */
int handlers_check_import(const ProtobufCMessage *request, status *st);
/* ComparatorFigure: NULL when it will do, else why not. */
const char *handlers_check_comparator(const ProtobufCMessage *figure);

#endif
