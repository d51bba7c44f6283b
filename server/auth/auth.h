/*
 * auth.h: who may call what, and see what, in csperfd.
 *
 * A principal is the holder of one bearer token: a name, one role and the
 * councils (and optionally localities) it is scoped to; admin sees every
 * council. The policy is one table, method -> roles allowed and whether the
 * request names a council that must be in the caller's scope, so that a new
 * RPC adds one row (policy.c). Small-number suppression is decided here too.
 *
 * Pure logic and libcrypto (token generation and hashing): no gRPC, no libpq,
 * so that all of it is unit-tested (tests/unit/test_auth.c). The rpc glue is
 * server/handlers/access.c; tokens are stored by server/store/access.c.
 */
#ifndef CSPERF_SERVER_AUTH_H
#define CSPERF_SERVER_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum auth_role {
	AUTH_ROLE_NONE = 0,   /* not a role: parsing failed */
	AUTH_ROLE_ADMIN,      /* everything, every council */
	AUTH_ROLE_LOADER,     /* loads and deletes loads for its councils */
	AUTH_ROLE_ANALYST,    /* scorecards, series, child-level lists for its councils */
	AUTH_ROLE_READER,     /* scorecards and exceptions: aggregates only */
	AUTH_ROLE_FINANCE,    /* cost metrics and the cost export */
	AUTH_ROLE_SCRUTINY,   /* aggregates, small numbers suppressed */
	AUTH_ROLE_LAST = AUTH_ROLE_SCRUTINY
} auth_role;

/* A set of roles, for the policy table. */
#define AUTH_ROLE_BIT(role) (1u << (unsigned)(role))
#define AUTH_ROLES_ALL \
	(AUTH_ROLE_BIT(AUTH_ROLE_ADMIN) | AUTH_ROLE_BIT(AUTH_ROLE_LOADER) | \
	 AUTH_ROLE_BIT(AUTH_ROLE_ANALYST) | AUTH_ROLE_BIT(AUTH_ROLE_READER) | \
	 AUTH_ROLE_BIT(AUTH_ROLE_FINANCE) | AUTH_ROLE_BIT(AUTH_ROLE_SCRUTINY))

/* "admin" -> AUTH_ROLE_ADMIN; AUTH_ROLE_NONE for anything else. */
auth_role auth_role_parse(const char *name);

/* The role's name ("analyst"); "none" for AUTH_ROLE_NONE. */
const char *auth_role_name(auth_role role);

/* Limits of a principal. A council code is 3 to 9 letters and digits. */
#define AUTH_NAME_MAX 100
#define AUTH_COUNCIL_MAX 9
#define AUTH_MAX_COUNCILS 200
#define AUTH_LOCALITY_MAX 64
#define AUTH_MAX_LOCALITIES 32

typedef struct auth_principal {
	int64_t id;                    /* the token's id */
	char name[AUTH_NAME_MAX + 1];
	auth_role role;
	size_t ncouncils;              /* 0 for admin, who sees every council */
	char councils[AUTH_MAX_COUNCILS][AUTH_COUNCIL_MAX + 1];
	size_t nlocalities;            /* 0: every locality of its councils */
	char localities[AUTH_MAX_LOCALITIES][AUTH_LOCALITY_MAX + 1];
} auth_principal;

/* Whether text is a council code: 3 to 9 ASCII letters and digits. */
bool auth_valid_council(const char *code);

/* Whether text is a token name: 1 to AUTH_NAME_MAX of letters, digits,
 * space and . _ @ + - (names go into logs and the audit trail). */
bool auth_valid_name(const char *name);

/* Whether text is a locality: 1 to AUTH_LOCALITY_MAX bytes, no control
 * characters (UTF-8 is checked by the rpc module). */
bool auth_valid_locality(const char *locality);

/* Fills p (id 0) from what a token is made with, checking every part: the
 * name, the role, the councils (none for admin, who sees every council; at
 * least one for the others; repeats dropped) and the localities (none for
 * admin). Returns 0, or -1 with one sentence in err. */
int auth_principal_init(auth_principal *p, const char *name, const char *role,
			const char *const *councils, size_t ncouncils,
			const char *const *localities, size_t nlocalities,
			char *err, size_t errsize);

/* Whether the principal may see the council's data. Admin sees every one.
 * The answer depends only on the principal, never on whether the council
 * exists, so that a refusal tells nothing about other councils. */
bool auth_council_allowed(const auth_principal *p, const char *council);

/* Whether the principal may see the locality's data (within an allowed
 * council): true when it is scoped to no locality, or to this one. */
bool auth_locality_allowed(const auth_principal *p, const char *locality);

/* ---- the policy ---- */

typedef enum auth_scope {
	AUTH_SCOPE_NONE,     /* the call names no council */
	AUTH_SCOPE_COUNCIL   /* the request's `council` must be in the caller's scope */
} auth_scope;

typedef struct auth_policy {
	const char *method;  /* the full path, "/csperf.v1.Performance/ListLoads" */
	unsigned roles;      /* AUTH_ROLE_BIT()s of the roles allowed */
	auth_scope scope;
	bool public_call;    /* no token needed and not audited: health and reflection */
} auth_policy;

/* The policy row of a method, or NULL: a method with no row is refused. */
const auth_policy *auth_policy_find(const char *method);

/* Every row, for tests and docs. */
const auth_policy *auth_policies(size_t *count);

/* Whether the role may call the method at all (before any council check). */
bool auth_role_allowed(const auth_policy *policy, auth_role role);

/* ---- small-number suppression ---- */

/* Counts from 1 to this are suppressed unless configured otherwise. */
#define AUTH_SUPPRESS_THRESHOLD_DEFAULT 4

typedef struct auth_suppression {
	bool suppress;   /* the caller's figures must be suppressed */
	int threshold;   /* counts 1..threshold are suppressed */
} auth_suppression;

/* Whether the principal's figures must be suppressed (scrutiny), and with
 * which threshold (the server's configured one). */
auth_suppression auth_suppression_for(const auth_principal *p, int threshold);

/* Whether a count must be shown as suppressed: 1 <= count <= threshold.
 * Zero is not suppressed (no child can be identified from it). */
bool auth_suppress_count(int64_t count, int threshold);

/* Whether a percentage or rate computed from numerator and denominator must
 * be suppressed: when either count is. */
bool auth_suppress_ratio(int64_t numerator, int64_t denominator, int threshold);

/* ---- tokens ---- */

/* "csperf_" and 64 lowercase hex digits: 256 random bits. */
#define AUTH_TOKEN_PREFIX "csperf_"
#define AUTH_TOKEN_LENGTH (sizeof(AUTH_TOKEN_PREFIX) - 1 + 64)
#define AUTH_SHA256_HEX_SIZE 65

/* Makes a new token from 256 bits of RAND_bytes into out (NUL-terminated).
 * Returns 0, or -1 if the random generator failed. */
int auth_token_generate(char out[AUTH_TOKEN_LENGTH + 1]);

/* Whether text has the shape of a token (checked before any lookup). */
bool auth_token_well_formed(const char *text);

/* The hex SHA-256 of a token: what csperfd stores and looks up. */
void auth_token_hash(const char *token, char out[AUTH_SHA256_HEX_SIZE]);

/* Takes the token out of an `authorization` header value ("Bearer <token>",
 * the scheme in any case). Returns a pointer into value, or NULL. */
const char *auth_bearer_token(const char *value);

/* Overwrites a secret before its memory is freed or reused. */
void auth_secret_wipe(void *secret, size_t size);

#endif
