/*
 * tokens.c: CreateToken, ListTokens, RevokeToken and GetAudit, for admin
 * tokens (server/auth/policy.c). A new token is 256 random bits, returned
 * once and stored as its SHA-256; it never reaches a log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "../log.h"
#include "../store/store_access.h"
#include "dates.h"

#include "csperf/v1/access.pb-c.h"

#define AUDIT_DEFAULT_LIMIT 100
#define AUDIT_MAX_LIMIT 1000

typedef Csperf__V1__Token Token;
typedef Csperf__V1__AuditEntry AuditEntry;

/* Growable lists the store's callbacks fill. */
typedef struct token_list {
	Token **items;
	size_t count;
	bool failed;
} token_list;

typedef struct audit_list {
	AuditEntry **items;
	size_t count;
	bool failed;
} audit_list;

static char **copy_list(const char *items, size_t item_size, size_t n)
{
	char **out = calloc(n + 1, sizeof(char *));

	for (size_t i = 0; out != NULL && i < n; i++) {
		out[i] = strdup(items + i * item_size);
		if (out[i] == NULL) {
			for (size_t k = 0; k < i; k++)
				free(out[k]);
			free(out);
			return NULL;
		}
	}
	return out;
}

static void token_free(Token *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_councils; i++)
		free(t->councils[i]);
	for (size_t i = 0; i < t->n_localities; i++)
		free(t->localities[i]);
	free(t->councils);
	free(t->localities);
	free(t->name);
	free(t->role);
	free(t->created_at);
	free(t->created_by);
	free(t->revoked_at);
	free(t);
}

/* A Token message from a stored row (all of it malloc'd: token_free). */
static Token *token_from_row(const store_token_row *row)
{
	const auth_principal *p = row->principal;
	Token *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	csperf__v1__token__init(t);
	t->id = p->id;
	t->name = strdup(p->name);
	t->role = strdup(auth_role_name(p->role));
	t->councils = copy_list(&p->councils[0][0], sizeof(p->councils[0]), p->ncouncils);
	if (t->councils != NULL)
		t->n_councils = p->ncouncils;
	t->localities = copy_list(&p->localities[0][0], sizeof(p->localities[0]), p->nlocalities);
	if (t->localities != NULL)
		t->n_localities = p->nlocalities;
	t->created_at = strdup(row->created_at);
	t->created_by = strdup(row->created_by);
	t->revoked_at = strdup(row->revoked_at);
	if (t->name == NULL || t->role == NULL || t->councils == NULL || t->localities == NULL ||
	    t->created_at == NULL || t->created_by == NULL || t->revoked_at == NULL) {
		token_free(t);
		return NULL;
	}
	return t;
}

static int collect_token(const store_token_row *row, void *ctx)
{
	token_list *list = ctx;
	Token **grown = realloc(list->items, (list->count + 1) * sizeof(*grown));
	Token *t = grown != NULL ? token_from_row(row) : NULL;

	if (grown != NULL)
		list->items = grown;
	if (t == NULL) {
		list->failed = true;
		return 1;
	}
	list->items[list->count++] = t;
	return 0;
}

static void token_list_clear(token_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		token_free(list->items[i]);
	free(list->items);
}

void handle_create_token(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__CreateTokenRequest *req =
		(Csperf__V1__CreateTokenRequest *)rpc_call_request(call);
	Csperf__V1__CreateTokenResponse reply = CSPERF__V1__CREATE_TOKEN_RESPONSE__INIT;
	const auth_principal *caller = access_principal(call);
	auth_principal principal;
	token_list created = { NULL, 0, false };
	char token[AUTH_TOKEN_LENGTH + 1], hash[AUTH_SHA256_HEX_SIZE], err[256];
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a CreateTokenRequest");
		return;
	}
	if (auth_principal_init(&principal, req->name, req->role,
				(const char *const *)req->councils, req->n_councils,
				(const char *const *)req->localities, req->n_localities,
				err, sizeof(err)) != 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "%s", err);
		goto cleanup;
	}
	if (auth_token_generate(token) != 0) {
		rpc_call_fail(call, STATUS_INTERNAL, "the random number generator failed");
		goto cleanup;
	}
	auth_token_hash(token, hash);
	if (store_token_insert(a->pool, rpc_call_remaining_ms(call), &principal, hash,
			       caller != NULL ? caller->name : "", collect_token, &created,
			       &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if (created.failed || created.count != 1) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	log_info("access: token %lld for %s (%s) created by %s", (long long)created.items[0]->id,
		 principal.name, auth_role_name(principal.role), caller != NULL ? caller->name : "");
	access_note_rows(call, 1);
	reply.token = token;
	reply.info = created.items[0];
	rpc_call_reply(call, &reply.base);
cleanup:
	auth_secret_wipe(token, sizeof(token));
	token_list_clear(&created);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

void handle_list_tokens(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ListTokensRequest *req = (Csperf__V1__ListTokensRequest *)rpc_call_request(call);
	Csperf__V1__ListTokensResponse reply = CSPERF__V1__LIST_TOKENS_RESPONSE__INIT;
	token_list list = { NULL, 0, false };
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a ListTokensRequest");
		return;
	}
	if (store_token_list(a->pool, rpc_call_remaining_ms(call), req->include_revoked,
			     collect_token, &list, &st) != 0) {
		rpc_call_fail_status(call, &st);
	} else if (list.failed) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	} else {
		access_note_rows(call, (int64_t)list.count);
		reply.n_tokens = list.count;
		reply.tokens = list.items;
		rpc_call_reply(call, &reply.base);
	}
	token_list_clear(&list);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

void handle_revoke_token(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__RevokeTokenRequest *req = (Csperf__V1__RevokeTokenRequest *)rpc_call_request(call);
	Csperf__V1__RevokeTokenResponse reply = CSPERF__V1__REVOKE_TOKEN_RESPONSE__INIT;
	const auth_principal *caller = access_principal(call);
	token_list revoked = { NULL, 0, false };
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a RevokeTokenRequest");
		return;
	}
	if (req->id <= 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "id must be a token's number");
	} else if (store_token_revoke(a->pool, rpc_call_remaining_ms(call), req->id, collect_token,
				      &revoked, &st) != 0) {
		rpc_call_fail_status(call, &st);
	} else if (revoked.failed || revoked.count != 1) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	} else {
		log_info("access: token %lld (%s) revoked by %s", (long long)req->id,
			 revoked.items[0]->name, caller != NULL ? caller->name : "");
		access_note_rows(call, 1);
		reply.info = revoked.items[0];
		rpc_call_reply(call, &reply.base);
	}
	token_list_clear(&revoked);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

/* Reads "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" into out as the latter (UTC,
 * so that the database's time zone does not matter). Returns 0 or -1. */
static int parse_since(const char *text, char *out, size_t size)
{
	char date[CSPERF_DATE_ISO_SIZE];
	int32_t day;
	int hour = 0, minute = 0, second = 0;
	size_t len = strlen(text);

	if (len != 10 && len != 20)
		return -1;
	memcpy(date, text, 10);
	date[10] = '\0';
	if (csperf_date_parse_iso(date, &day) != 0)
		return -1;
	if (len == 20) {
		if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
			return -1;
		for (size_t i = 11; i < 19; i++)
			if (i != 13 && i != 16 && (text[i] < '0' || text[i] > '9'))
				return -1;
		hour = (text[11] - '0') * 10 + (text[12] - '0');
		minute = (text[14] - '0') * 10 + (text[15] - '0');
		second = (text[17] - '0') * 10 + (text[18] - '0');
		if (hour > 23 || minute > 59 || second > 59)
			return -1;
	}
	snprintf(out, size, "%sT%02d:%02d:%02dZ", date, hour, minute, second);
	return 0;
}

static void audit_entry_free(AuditEntry *e)
{
	if (e == NULL)
		return;
	free(e->at);
	free(e->principal);
	free(e->method);
	free(e->council);
	free(e->parameters);
	free(e->status);
	free(e->peer);
	free(e);
}

static int collect_audit(const store_audit_entry *entry, void *ctx)
{
	audit_list *list = ctx;
	AuditEntry **grown = realloc(list->items, (list->count + 1) * sizeof(*grown));
	AuditEntry *e = grown != NULL ? calloc(1, sizeof(*e)) : NULL;

	if (grown != NULL)
		list->items = grown;
	if (e == NULL) {
		list->failed = true;
		return 1;
	}
	csperf__v1__audit_entry__init(e);
	e->id = entry->id;
	e->principal_id = entry->principal_id;
	e->rows_returned = entry->rows;
	e->at = strdup(entry->at);
	e->principal = strdup(entry->principal_name);
	e->method = strdup(entry->method);
	e->council = strdup(entry->council);
	e->parameters = strdup(entry->parameters);
	e->status = strdup(entry->status);
	e->peer = strdup(entry->peer);
	list->items[list->count++] = e;
	if (e->at == NULL || e->principal == NULL || e->method == NULL || e->council == NULL ||
	    e->parameters == NULL || e->status == NULL || e->peer == NULL) {
		list->failed = true;
		return 1;
	}
	return 0;
}

void handle_get_audit(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__GetAuditRequest *req = (Csperf__V1__GetAuditRequest *)rpc_call_request(call);
	Csperf__V1__GetAuditResponse reply = CSPERF__V1__GET_AUDIT_RESPONSE__INIT;
	audit_list list = { NULL, 0, false };
	store_audit_filter filter;
	char since[32];
	status st = STATUS_INIT;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a GetAuditRequest");
		return;
	}
	memset(&filter, 0, sizeof(filter));
	if (req->since[0] != '\0') {
		if (parse_since(req->since, since, sizeof(since)) != 0) {
			rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
				      "since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)");
			goto cleanup;
		}
		filter.since = since;
	}
	if (req->principal[0] != '\0') {
		if (!auth_valid_name(req->principal)) {
			rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
				      "principal must be a token's name: letters, digits, spaces "
				      "and . _ @ + -");
			goto cleanup;
		}
		filter.principal = req->principal;
	}
	if (req->council[0] != '\0') {
		if (!auth_valid_council(req->council)) {
			rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
				      "council must be an LA code of 3 to 9 letters and digits");
			goto cleanup;
		}
		filter.council = req->council;
	}
	filter.limit = req->limit == 0 ? AUDIT_DEFAULT_LIMIT
		: req->limit > AUDIT_MAX_LIMIT ? AUDIT_MAX_LIMIT : (int)req->limit;
	if (store_audit_query(a->pool, rpc_call_remaining_ms(call), &filter, collect_audit, &list,
			      &st) != 0) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if (list.failed) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	access_note_rows(call, (int64_t)list.count);
	reply.n_entries = list.count;
	reply.entries = list.items;
	rpc_call_reply(call, &reply.base);
cleanup:
	for (size_t i = 0; i < list.count; i++)
		audit_entry_free(list.items[i]);
	free(list.items);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}
