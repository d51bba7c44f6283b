/*
 * access.h: every call's passage through access control, between the rpc
 * module and the handlers.
 *
 * The gate runs before each handler: it finds the method's policy row
 * (server/auth/policy.c), authenticates the bearer token (UNAUTHENTICATED),
 * checks the role and, for unary calls, the request's council
 * (PERMISSION_DENIED), and keeps the caller for the handler. When the call
 * ends, however it ends, it is appended to the audit trail with what the
 * handler noted (rows returned), before the answer leaves: no caller holds
 * data whose reading is not recorded. Health checks pass unrecorded.
 */
#ifndef CSPERF_SERVER_ACCESS_H
#define CSPERF_SERVER_ACCESS_H

#include <stdint.h>

#include "handlers.h"
#include "../auth/auth.h"
#include "../store/store_access.h"

/* Principals verified recently, used only while the database cannot be
 * reached (so that GetServerInfo can still say so). */
typedef struct access_cache access_cache;

int access_cache_new(access_cache **out);
void access_cache_free(access_cache *cache);

/* A change to access_token committed somewhere (a revocation): every
 * verified token is forgotten. */
void access_cache_forget_all(access_cache *cache);

/* Changes may have been missed (the change listener lost its connection):
 * verified tokens are no longer taken without asking the database, but
 * still stand in while it is down. */
void access_cache_stale(access_cache *cache);

/* Tokens taken from the cache and looked up in the database since start. */
void access_cache_counts(access_cache *cache, uint64_t *hits, uint64_t *lookups);

/* The rpc_gate of csperfd. */
bool access_gate(rpc_call *call, void *app);

/* The rpc_finish_hook of csperfd: appends the call to the audit trail
 * before its answer is sent. With the audit writer, where the rpc module
 * allows it, the line is queued and the answer held (RPC_FINISH_LATER) until
 * it is durable, and the worker goes on. A call whose line could not be
 * written is not answered OK (RPC_FINISH_WITHHOLD; every call but
 * GetServerInfo, which must say the database is down). */
rpc_finish_verdict access_call_finishing(rpc_call *call, void *app);

/* The caller of a call that passed the gate; NULL for public calls. */
const auth_principal *access_principal(const rpc_call *call);

/* For a call whose council is not in a unary request (LoadRecords: in its
 * first message). Returns 0 when the caller may see the council's data;
 * otherwise ends the call with PERMISSION_DENIED, with the same message
 * whether or not the council exists, and returns -1. */
int access_require_council(rpc_call *call, const char *council);

/* What the audit trail records besides what the gate saw: the rows the call
 * returned (or changed), and parameters in brief (never tokens, child
 * identifiers or postcodes). */
void access_note_rows(rpc_call *call, int64_t rows);

/* The call's audit line as it stands, ending OK (pointers borrowed from
 * the call): for a handler that writes it in its own transaction, with
 * what it stores. 0, or -1 for a call that passed no gate. */
int access_audit_entry(rpc_call *call, store_audit_entry *entry);

/* The handler's transaction holding the call's audit line committed: the
 * finishing hook writes none. */
void access_note_audited(rpc_call *call);

/* Whether every change committed before the call arrived is known to this
 * csperfd (the gate's fence, store_listener_sync, passed): only then may
 * the call be answered from a cache, or its reply be kept in one. */
bool access_fresh(const rpc_call *call);
void access_note_params(rpc_call *call, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Whether the caller's figures must be suppressed, and the threshold: for
 * handlers that return counts, percentages or rates (scorecards). */
auth_suppression access_suppression(const rpc_call *call, const app *a);

/* What the gate records of a decoded unary request's parameters (for the
 * fuzz target tests/fuzz/fuzz_requests.c): writes at most size bytes. */
void access_describe_request(const ProtobufCMessage *msg, bool council_scoped, char *out,
			     size_t size);

#endif
