/*
 * access.c: the SDK's token and audit calls. Public structs point into the
 * unpacked reply they keep in `internal`; lists of strings get an array of
 * pointers of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "csperf/access.h"

#include "csperf/v1/access.pb-c.h"

/* Fills a public token from a Token message it points into; the councils
 * and localities arrays are the message's own. */
static void token_view(csperf_token *out, const Csperf__V1__Token *t)
{
	static const char *const none[] = { NULL };

	memset(out, 0, sizeof(*out));
	if (t == NULL) {
		out->name = out->role = out->created_at = out->created_by = out->revoked_at = "";
		out->councils = out->localities = none;
		return;
	}
	out->id = t->id;
	out->name = t->name;
	out->role = t->role;
	out->ncouncils = t->n_councils;
	out->councils = t->n_councils > 0 ? (const char *const *)t->councils : none;
	out->nlocalities = t->n_localities;
	out->localities = t->n_localities > 0 ? (const char *const *)t->localities : none;
	out->created_at = t->created_at;
	out->created_by = t->created_by;
	out->revoked_at = t->revoked_at;
}

int csperf_token_create(csperf_client *client, const csperf_token_options *opts,
			csperf_token_secret **out)
{
	Csperf__V1__CreateTokenRequest req = CSPERF__V1__CREATE_TOKEN_REQUEST__INIT;
	Csperf__V1__CreateTokenResponse *reply = NULL;
	csperf_token_secret *secret;
	int rc;

	if (client == NULL || opts == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "CreateToken: client, options or out is NULL");
	*out = NULL;
	if (opts->version != CSPERF_TOKEN_OPTIONS_VERSION)
		return client_error(CSPERF_EVERSION, "CreateToken: options version %u is not %d",
				    opts->version, CSPERF_TOKEN_OPTIONS_VERSION);
	if (opts->name == NULL || opts->role == NULL ||
	    (opts->ncouncils > 0 && opts->councils == NULL) ||
	    (opts->nlocalities > 0 && opts->localities == NULL))
		return client_error(CSPERF_EINVAL, "CreateToken: name and role are required");
	req.name = (char *)opts->name;
	req.role = (char *)opts->role;
	req.n_councils = opts->ncouncils;
	req.councils = (char **)opts->councils;
	req.n_localities = opts->nlocalities;
	req.localities = (char **)opts->localities;
	rc = client_unary(client, "/csperf.v1.Performance/CreateToken", "CreateToken", &req.base,
			  &csperf__v1__create_token_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	secret = calloc(1, sizeof(*secret));
	if (secret == NULL) {
		explicit_bzero(reply->token, strlen(reply->token));
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "CreateToken: out of memory");
	}
	secret->token = reply->token;
	token_view(&secret->info, reply->info);
	secret->internal = reply;
	*out = secret;
	return CSPERF_OK;
}

void csperf_token_secret_free(csperf_token_secret *secret)
{
	Csperf__V1__CreateTokenResponse *reply;

	if (secret == NULL)
		return;
	reply = secret->internal;
	if (reply != NULL) {
		explicit_bzero(reply->token, strlen(reply->token));
		protobuf_c_message_free_unpacked(&reply->base, NULL);
	}
	free(secret);
}

int csperf_token_list_get(csperf_client *client, int include_revoked, csperf_token_list **out)
{
	Csperf__V1__ListTokensRequest req = CSPERF__V1__LIST_TOKENS_REQUEST__INIT;
	Csperf__V1__ListTokensResponse *reply = NULL;
	csperf_token_list *list;
	csperf_token *tokens;
	int rc;

	if (client == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "ListTokens: client or out is NULL");
	*out = NULL;
	req.include_revoked = include_revoked != 0;
	rc = client_unary(client, "/csperf.v1.Performance/ListTokens", "ListTokens", &req.base,
			  &csperf__v1__list_tokens_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	list = calloc(1, sizeof(*list));
	tokens = calloc(reply->n_tokens + 1, sizeof(*tokens));
	if (list == NULL || tokens == NULL) {
		free(list);
		free(tokens);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "ListTokens: out of memory");
	}
	for (size_t i = 0; i < reply->n_tokens; i++)
		token_view(&tokens[i], reply->tokens[i]);
	list->count = reply->n_tokens;
	list->tokens = tokens;
	list->internal = reply;
	*out = list;
	return CSPERF_OK;
}

void csperf_token_list_free(csperf_token_list *list)
{
	if (list == NULL)
		return;
	if (list->internal != NULL)
		protobuf_c_message_free_unpacked(list->internal, NULL);
	free((void *)list->tokens);
	free(list);
}

int csperf_token_revoke(csperf_client *client, int64_t id)
{
	Csperf__V1__RevokeTokenRequest req = CSPERF__V1__REVOKE_TOKEN_REQUEST__INIT;
	Csperf__V1__RevokeTokenResponse *reply = NULL;
	int rc;

	if (client == NULL)
		return client_error(CSPERF_EINVAL, "RevokeToken: client is NULL");
	req.id = id;
	rc = client_unary(client, "/csperf.v1.Performance/RevokeToken", "RevokeToken", &req.base,
			  &csperf__v1__revoke_token_response__descriptor,
			  (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return CSPERF_OK;
}

int csperf_audit_get(csperf_client *client, const csperf_audit_options *opts,
		     csperf_audit_list **out)
{
	csperf_audit_options defaults = CSPERF_AUDIT_OPTIONS_INIT;
	Csperf__V1__GetAuditRequest req = CSPERF__V1__GET_AUDIT_REQUEST__INIT;
	Csperf__V1__GetAuditResponse *reply = NULL;
	csperf_audit_list *list;
	csperf_audit_entry *entries;
	int rc;

	if (client == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "GetAudit: client or out is NULL");
	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if (opts->version != CSPERF_AUDIT_OPTIONS_VERSION)
		return client_error(CSPERF_EVERSION, "GetAudit: options version %u is not %d",
				    opts->version, CSPERF_AUDIT_OPTIONS_VERSION);
	req.since = (char *)(opts->since != NULL ? opts->since : "");
	req.principal = (char *)(opts->principal != NULL ? opts->principal : "");
	req.council = (char *)(opts->council != NULL ? opts->council : "");
	req.limit = opts->limit;
	rc = client_unary(client, "/csperf.v1.Performance/GetAudit", "GetAudit", &req.base,
			  &csperf__v1__get_audit_response__descriptor, (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	list = calloc(1, sizeof(*list));
	entries = calloc(reply->n_entries + 1, sizeof(*entries));
	if (list == NULL || entries == NULL) {
		free(list);
		free(entries);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "GetAudit: out of memory");
	}
	for (size_t i = 0; i < reply->n_entries; i++) {
		const Csperf__V1__AuditEntry *e = reply->entries[i];

		entries[i].id = e->id;
		entries[i].at = e->at;
		entries[i].principal_id = e->principal_id;
		entries[i].principal = e->principal;
		entries[i].method = e->method;
		entries[i].council = e->council;
		entries[i].parameters = e->parameters;
		entries[i].rows_returned = e->rows_returned;
		entries[i].status = e->status;
		entries[i].peer = e->peer;
	}
	list->count = reply->n_entries;
	list->entries = entries;
	list->internal = reply;
	*out = list;
	return CSPERF_OK;
}

void csperf_audit_list_free(csperf_audit_list *list)
{
	if (list == NULL)
		return;
	if (list->internal != NULL)
		protobuf_c_message_free_unpacked(list->internal, NULL);
	free((void *)list->entries);
	free(list);
}
