/*
 * access.c: the gate before every handler and the audit trail after every
 * call (see access.h).
 *
 * A unary request is decoded once here, before its handler: a request that
 * does not decode (bad bytes, or a string that is not UTF-8) gets a clear
 * INVALID_ARGUMENT, its string field `council` is checked against the
 * caller's scope when the policy says so, and its parameters are described
 * in brief for the audit trail by reflection: numbers and booleans always,
 * strings only when their field's name is on the list below, so that a new
 * field is never recorded by accident.
 */
#include "access.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../log.h"
#include "../utf8.h"
#include "../store/store_access.h"

/* An audit line is written even after the call's deadline passed. */
#define AUDIT_TIMEOUT_MS 5000
/* Principals verified this recently stand in while the database is down. */
#define CACHE_SLOTS 64
#define CACHE_FALLBACK_SECONDS 600
/* A token verified this recently is taken without asking the database, if
 * no change to access_token has been seen since (the fence in the gate makes
 * sure every change committed before the call has been seen). */
#define CACHE_FRESH_SECONDS 10
/* The longest the gate waits for the fence. */
#define FENCE_TIMEOUT_MS 1000
#define PARAMS_MAX 512

/* String fields whose values the audit trail may record. */
static const char *const recorded_string_fields[] = {
	"council", "source", "service", "name", "role", "councils", "localities", "since",
	"principal", "indicator", "indicator_id", "period", "format", "org_unit",
};

typedef struct access_call {
	const auth_policy *policy;
	bool authenticated;
	auth_principal principal;
	char council[AUTH_COUNCIL_MAX + 1];   /* "" when none or not a council code */
	bool council_checked;
	char params[PARAMS_MAX];
	int64_t rows;
	bool fresh;                           /* the fence passed */
	bool audited;                         /* the handler wrote its line */
} access_call;

typedef struct cache_slot {
	char token_sha256[AUTH_SHA256_HEX_SIZE];
	auth_principal principal;
	time_t verified;
	uint64_t generation;   /* the cache's when verified; 0: fallback only */
} cache_slot;

struct access_cache {
	pthread_mutex_t mu;
	cache_slot slots[CACHE_SLOTS];
	size_t next;
	uint64_t generation;   /* moved on by every change seen, and by a loss */
	uint64_t hits, lookups;
};

int access_cache_new(access_cache **out)
{
	access_cache *cache = calloc(1, sizeof(*cache));

	*out = NULL;
	if (cache == NULL)
		return -1;
	pthread_mutex_init(&cache->mu, NULL);
	cache->generation = 1;
	*out = cache;
	return 0;
}

void access_cache_free(access_cache *cache)
{
	if (cache == NULL)
		return;
	pthread_mutex_destroy(&cache->mu);
	free(cache);
}

void access_cache_forget_all(access_cache *cache)
{
	pthread_mutex_lock(&cache->mu);
	memset(cache->slots, 0, sizeof(cache->slots));
	cache->generation++;
	pthread_mutex_unlock(&cache->mu);
}

void access_cache_stale(access_cache *cache)
{
	pthread_mutex_lock(&cache->mu);
	cache->generation++;
	pthread_mutex_unlock(&cache->mu);
}

void access_cache_counts(access_cache *cache, uint64_t *hits, uint64_t *lookups)
{
	pthread_mutex_lock(&cache->mu);
	*hits = cache->hits;
	*lookups = cache->lookups;
	pthread_mutex_unlock(&cache->mu);
}

static uint64_t cache_generation(access_cache *cache)
{
	uint64_t generation;

	pthread_mutex_lock(&cache->mu);
	generation = cache->generation;
	cache->lookups++;
	pthread_mutex_unlock(&cache->mu);
	return generation;
}

/* Remembers a principal the database gave for the token; `generation` is
 * the cache's before the look-up: if a change came since, the answer may
 * predate a revocation, and it is kept only to stand in while the database
 * is down (which was so before the cache existed). */
static void cache_remember(access_cache *cache, const char *hash, const auth_principal *p,
			   uint64_t generation)
{
	cache_slot *slot = NULL;

	pthread_mutex_lock(&cache->mu);
	for (size_t i = 0; i < CACHE_SLOTS && slot == NULL; i++)
		if (strcmp(cache->slots[i].token_sha256, hash) == 0)
			slot = &cache->slots[i];
	if (slot == NULL) {
		slot = &cache->slots[cache->next];
		cache->next = (cache->next + 1) % CACHE_SLOTS;
	}
	memcpy(slot->token_sha256, hash, AUTH_SHA256_HEX_SIZE);
	slot->principal = *p;
	slot->verified = time(NULL);
	slot->generation = generation == cache->generation ? generation : 0;
	pthread_mutex_unlock(&cache->mu);
}

/* A principal verified within CACHE_FRESH_SECONDS with no change since. */
static bool cache_recall_fresh(access_cache *cache, const char *hash, auth_principal *out)
{
	bool found = false;
	time_t now = time(NULL);

	pthread_mutex_lock(&cache->mu);
	for (size_t i = 0; i < CACHE_SLOTS && !found; i++) {
		const cache_slot *slot = &cache->slots[i];

		if (slot->generation == cache->generation &&
		    strcmp(slot->token_sha256, hash) == 0 &&
		    now - slot->verified <= CACHE_FRESH_SECONDS) {
			*out = slot->principal;
			found = true;
		}
	}
	if (found)
		cache->hits++;
	pthread_mutex_unlock(&cache->mu);
	return found;
}

static void cache_forget(access_cache *cache, const char *hash)
{
	pthread_mutex_lock(&cache->mu);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (strcmp(cache->slots[i].token_sha256, hash) == 0)
			memset(&cache->slots[i], 0, sizeof(cache->slots[i]));
	pthread_mutex_unlock(&cache->mu);
}

static bool cache_recall(access_cache *cache, const char *hash, auth_principal *out)
{
	bool found = false;
	time_t now = time(NULL);

	pthread_mutex_lock(&cache->mu);
	for (size_t i = 0; i < CACHE_SLOTS && !found; i++) {
		const cache_slot *slot = &cache->slots[i];

		if (strcmp(slot->token_sha256, hash) == 0 &&
		    now - slot->verified <= CACHE_FALLBACK_SECONDS) {
			*out = slot->principal;
			found = true;
		}
	}
	pthread_mutex_unlock(&cache->mu);
	return found;
}

/* "ListLoads" from "/csperf.v1.Performance/ListLoads". */
static const char *short_method(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static bool recorded_string_field(const char *name)
{
	for (size_t i = 0; i < sizeof(recorded_string_fields) / sizeof(recorded_string_fields[0]); i++)
		if (strcmp(recorded_string_fields[i], name) == 0)
			return true;
	return false;
}

/* Appends "name=value" to out (space-separated): a value's first 64 bytes,
 * cut on a character boundary, and all of it within out's size. */
static void params_append(char *out, size_t size, const char *name, const char *value)
{
	size_t used = strlen(out);

	if (used + 1 >= size)
		return;
	snprintf(out + used, size - used, "%s%s=%.*s", used > 0 ? " " : "", name,
		 (int)utf8_prefix(value, 64), value);
	utf8_trim_end(out);
}

/* A scalar field's value as text, or NULL when it is zero (left out). */
static const char *scalar_text(const ProtobufCFieldDescriptor *field, const void *member,
			       char *buf, size_t size)
{
	long long value;

	switch (field->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		value = *(const int32_t *)member;
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		value = *(const uint32_t *)member;
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		value = *(const int64_t *)member;
		break;
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)member ? "true" : NULL;
	default:
		return NULL;
	}
	if (value == 0)
		return NULL;
	snprintf(buf, size, "%lld", value);
	return buf;
}

/* The request's top-level fields in brief; the council a call is scoped to
 * has a column of its own. */
static void describe_request(const ProtobufCMessage *msg, bool council_scoped, char *out,
			     size_t size)
{
	const ProtobufCMessageDescriptor *desc = msg->descriptor;
	const char *base = (const char *)msg;

	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *field = &desc->fields[i];
		const void *member = base + field->offset;
		char text[PARAMS_MAX];

		if ((council_scoped && strcmp(field->name, "council") == 0) ||
		    (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0)
			continue;
		if (field->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t count = *(const size_t *)(base + field->quantifier_offset);
			char *const *items = *(char *const *const *)member;

			if (count == 0)
				continue;
			if (field->type == PROTOBUF_C_TYPE_STRING && recorded_string_field(field->name)) {
				text[0] = '\0';
				for (size_t k = 0; k < count; k++) {
					size_t used = strlen(text);

					snprintf(text + used, sizeof(text) - used, "%s%s", k > 0 ? "," : "",
						 items[k]);
				}
				utf8_trim_end(text);
			} else {
				snprintf(text, sizeof(text), "[%zu]", count);
			}
			params_append(out, size, field->name, text);
		} else if (field->type == PROTOBUF_C_TYPE_STRING) {
			const char *value = *(const char *const *)member;

			if (value != NULL && value[0] != '\0' && recorded_string_field(field->name))
				params_append(out, size, field->name, value);
		} else {
			const char *value = scalar_text(field, member, text, sizeof(text));

			if (value != NULL)
				params_append(out, size, field->name, value);
		}
	}
}

/* The request's singular string field `council`, or NULL if it has none. */
static const char *request_council(const ProtobufCMessage *msg)
{
	const ProtobufCFieldDescriptor *field =
		protobuf_c_message_descriptor_get_field_by_name(msg->descriptor, "council");

	if (field == NULL || field->type != PROTOBUF_C_TYPE_STRING ||
	    field->label == PROTOBUF_C_LABEL_REPEATED ||
	    (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0)
		return NULL;
	return *(const char *const *)((const char *)msg + field->offset);
}

/* Finds the token's principal: in the database, or while it cannot be
 * reached, among those verified recently. Returns 0 (found says), or -1
 * with st filled. */
static int authenticate(app *a, rpc_call *call, bool fresh, const char *hash,
			auth_principal *out, bool *found, status *st)
{
	uint64_t generation;

	if (fresh && cache_recall_fresh(a->access_cache, hash, out)) {
		*found = true;
		return 0;
	}
	generation = cache_generation(a->access_cache);
	if (store_token_find(a->pool, rpc_call_remaining_ms(call), hash, out, found, st) == 0) {
		if (*found)
			cache_remember(a->access_cache, hash, out, generation);
		else
			cache_forget(a->access_cache, hash);
		return 0;
	}
	if (st->code == STATUS_UNAVAILABLE && cache_recall(a->access_cache, hash, out)) {
		log_debug("access: database unavailable: token %lld verified recently stands",
			  (long long)out->id);
		*found = true;
		return 0;
	}
	return -1;
}

/* Checks the bearer token; ends the call and returns -1 if it will not do. */
static int check_token(app *a, rpc_call *call, access_call *ac)
{
	char header[1024], hash[AUTH_SHA256_HEX_SIZE];
	const char *token;
	status st = STATUS_INIT;
	bool found = false;
	int rc;

	if (rpc_call_metadata(call, "authorization", header, sizeof(header)) < 0) {
		rpc_call_fail(call, STATUS_UNAUTHENTICATED,
			      "a bearer token is required: send `authorization: Bearer <token>` "
			      "(csperf --token or CSPERF_TOKEN)");
		return -1;
	}
	token = auth_bearer_token(header);
	if (token == NULL || !auth_token_well_formed(token)) {
		auth_secret_wipe(header, sizeof(header));
		rpc_call_fail(call, STATUS_UNAUTHENTICATED,
			      "the authorization metadata is not `Bearer csperf_<64 hex digits>`");
		return -1;
	}
	auth_token_hash(token, hash);
	auth_secret_wipe(header, sizeof(header));
	rc = authenticate(a, call, ac->fresh, hash, &ac->principal, &found, &st);
	if (rc != 0) {
		rpc_call_fail_status(call, &st);
		return -1;
	}
	if (!found) {
		rpc_call_fail(call, STATUS_UNAUTHENTICATED, "the bearer token is unknown or revoked");
		return -1;
	}
	ac->authenticated = true;
	return 0;
}

bool access_gate(rpc_call *call, void *ctx)
{
	app *a = ctx;
	const char *method = rpc_call_method(call);
	const auth_policy *policy = auth_policy_find(method);
	ProtobufCMessage *request = NULL;
	access_call *ac;
	bool pass = false;

	if (policy != NULL && policy->public_call)
		return true;
	ac = calloc(1, sizeof(*ac));
	if (ac == NULL) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return false;
	}
	ac->policy = policy;
	ac->rows = -1;
	rpc_call_set_context(call, ac);
	if (policy == NULL) {
		log_error("access: %s has no row in the access policy (server/auth/policy.c): "
			  "refused", method);
		rpc_call_fail(call, STATUS_PERMISSION_DENIED, "%s is not allowed to anyone",
			      short_method(method));
		return false;
	}
	/* The fence: every change committed before this call arrived (a
	 * revocation, a load) has reached this csperfd's caches. */
	if (a->listener != NULL) {
		int64_t remaining = rpc_call_remaining_ms(call);

		ac->fresh = store_listener_sync(a->listener, remaining < FENCE_TIMEOUT_MS
						? remaining : FENCE_TIMEOUT_MS) == 0;
	}
	if (check_token(a, call, ac) != 0)
		return false;
	if (!auth_role_allowed(policy, ac->principal.role)) {
		rpc_call_fail(call, STATUS_PERMISSION_DENIED, "role %s may not call %s",
			      auth_role_name(ac->principal.role), short_method(method));
		return false;
	}
	if (rpc_call_kind(call) == RPC_CLIENT_STREAM || rpc_call_kind(call) == RPC_BIDI_STREAM)
		return true;  /* the handler checks its first message */

	request = rpc_call_request(call);
	if (request == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "the request does not decode as a %s request: bad bytes, or a "
			      "string that is not UTF-8 or holds a NUL byte", short_method(method));
		return false;
	}
	describe_request(request, policy->scope == AUTH_SCOPE_COUNCIL, ac->params,
			 sizeof(ac->params));
	if (policy->scope == AUTH_SCOPE_COUNCIL) {
		const char *council = request_council(request);

		if (council == NULL) {
			log_error("access: %s is council-scoped but its request has no string "
				  "field `council`: refused", method);
			rpc_call_fail(call, STATUS_PERMISSION_DENIED, "%s is not allowed to anyone",
				      short_method(method));
			goto cleanup;
		}
		if (access_require_council(call, council) != 0)
			goto cleanup;
	}
	pass = true;
cleanup:
	protobuf_c_message_free_unpacked(request, NULL);
	return pass;
}

static void fill_entry(rpc_call *call, access_call *ac, status_code code,
		       store_audit_entry *entry)
{
	/* Whatever went into the parameters, the line is text PostgreSQL
	 * takes: a line that cannot be written must not be made here. */
	if (utf8_scrub(ac->params))
		log_warn("audit: parameters of %s were not UTF-8: written with '?'",
			 short_method(rpc_call_method(call)));
	memset(entry, 0, sizeof(*entry));
	entry->principal_id = ac->authenticated ? ac->principal.id : 0;
	entry->principal_name = ac->authenticated ? ac->principal.name : NULL;
	entry->method = rpc_call_method(call);
	entry->council = ac->council;
	entry->parameters = ac->params;
	entry->rows = ac->rows;
	entry->status = status_code_name(code);
	entry->peer = rpc_call_peer(call);
}

int access_audit_entry(rpc_call *call, store_audit_entry *entry)
{
	access_call *ac = rpc_call_context(call);

	if (ac == NULL)
		return -1;
	fill_entry(call, ac, STATUS_OK, entry);
	return 0;
}

void access_note_audited(rpc_call *call)
{
	access_call *ac = rpc_call_context(call);

	if (ac != NULL)
		ac->audited = true;
}

/* An answer whose reading is not recorded is not given. A refusal stands
 * as it is (it gives nothing), and GetServerInfo, which gives no council's
 * data, still says the database is down. */
static bool answer_unrecorded(const store_audit_entry *entry, const status *st)
{
	log_warn("audit: not recorded (%s): %s by %s, council '%s', '%s', rows %lld, %s",
		 st->message, short_method(entry->method),
		 entry->principal_name != NULL ? entry->principal_name : "(no valid token)",
		 entry->council != NULL ? entry->council : "", entry->parameters,
		 (long long)entry->rows, entry->status);
	return strcmp(short_method(entry->method), "GetServerInfo") == 0;
}

/* On the audit writer's thread: the call's line is durable, or failed. */
static void call_audited(void *arg, const store_audit_entry *entry, int rc, const status *st)
{
	rpc_call_finish_decided(arg, rc == 0 || answer_unrecorded(entry, st));
}

rpc_finish_verdict access_call_finishing(rpc_call *call, void *ctx)
{
	app *a = ctx;
	access_call *ac = rpc_call_context(call);
	store_audit_entry entry;
	status st = STATUS_INIT;
	status_code code = rpc_call_status_code(call);
	rpc_finish_verdict verdict = RPC_FINISH_ANSWER;
	char method[256];

	if (ac == NULL) {
		/* Refused before the gate (its deadline passed while it queued,
		 * or its method does not exist): recorded as any other; while
		 * csperfd waits for its database there is nowhere to record the
		 * refusal (the log has it). */
		const auth_policy *policy = auth_policy_find(rpc_call_method(call));

		if ((policy != NULL && policy->public_call) || a->waiting_for_database)
			return RPC_FINISH_ANSWER;
		ac = calloc(1, sizeof(*ac));
		if (ac == NULL)
			return RPC_FINISH_WITHHOLD;
		ac->rows = -1;
	}
	{
		/* A parked stream's later messages are filtered as its caller's:
		 * the threshold, or 0 for a caller whose figures are not hidden. */
		auth_suppression s = auth_suppression_for(ac->authenticated ? &ac->principal : NULL,
							  a->suppress_threshold);

		rpc_call_keep(call, s.suppress ? s.threshold : 0);
	}
	rpc_call_set_context(call, NULL);
	if (ac->policy != NULL && ac->policy->scope == AUTH_SCOPE_COUNCIL && code == STATUS_OK &&
	    !ac->council_checked)
		log_error("access: %s answered without checking its council: its handler must "
			  "call access_require_council", rpc_call_method(call));
	if (ac->audited) {
		free(ac);
		return RPC_FINISH_ANSWER;
	}
	fill_entry(call, ac, code, &entry);
	/* The path of a call to an unknown method is the client's bytes. */
	snprintf(method, sizeof(method), "%s", entry.method);
	if (utf8_scrub(method))
		entry.method = method;
	if (a->audit_writer != NULL && rpc_call_finish_may_wait(call)) {
		/* Group commit: this worker goes on to other calls; the reply
		 * goes when the line is durable (call_audited). */
		store_audit_submit(a->audit_writer, &entry, call_audited, call);
		verdict = RPC_FINISH_LATER;
	} else if ((a->audit_writer != NULL ? store_audit_write(a->audit_writer, &entry, &st)
		    : store_audit_append(a->pool, AUDIT_TIMEOUT_MS, &entry, &st)) != 0 &&
		   !answer_unrecorded(&entry, &st)) {
		verdict = RPC_FINISH_WITHHOLD;
	}
	free(ac);
	return verdict;
}

const auth_principal *access_principal(const rpc_call *call)
{
	const access_call *ac = rpc_call_context(call);

	return ac != NULL && ac->authenticated ? &ac->principal : NULL;
}

int access_require_council(rpc_call *call, const char *council)
{
	access_call *ac = rpc_call_context(call);

	if (ac == NULL || !ac->authenticated) {
		log_error("access: %s checked a council without a caller: refused",
			  rpc_call_method(call));
		rpc_call_fail(call, STATUS_PERMISSION_DENIED,
			      "this token does not give access to that council's data");
		return -1;
	}
	ac->council_checked = true;
	if (auth_valid_council(council))
		snprintf(ac->council, sizeof(ac->council), "%s", council);
	if (auth_council_allowed(&ac->principal, council))
		return 0;
	rpc_call_fail(call, STATUS_PERMISSION_DENIED,
		      "this token does not give access to that council's data");
	return -1;
}

bool access_fresh(const rpc_call *call)
{
	const access_call *ac = rpc_call_context(call);

	return ac != NULL && ac->fresh;
}

void access_note_rows(rpc_call *call, int64_t rows)
{
	access_call *ac = rpc_call_context(call);

	if (ac != NULL)
		ac->rows = rows;
}

void access_note_params(rpc_call *call, const char *fmt, ...)
{
	access_call *ac = rpc_call_context(call);
	va_list ap;

	if (ac == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(ac->params, sizeof(ac->params), fmt, ap);
	va_end(ap);
	utf8_trim_end(ac->params);
}

auth_suppression access_suppression(const rpc_call *call, const app *a)
{
	int kept;

	/* After the call's audit (a parked stream), what was decided then. */
	if (rpc_call_context(call) == NULL && rpc_call_kept(call, &kept)) {
		auth_suppression s = { kept > 0, kept };

		return s;
	}
	return auth_suppression_for(access_principal(call), a->suppress_threshold);
}

void access_describe_request(const ProtobufCMessage *msg, bool council_scoped, char *out,
			     size_t size)
{
	if (size > 0)
		out[0] = '\0';
	describe_request(msg, council_scoped, out, size);
}
