/*
 * auth.c: roles, scopes, small-number suppression and bearer tokens.
 */
#include "auth.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../utf8.h"

static const char *const role_names[] = {
	[AUTH_ROLE_NONE] = "none",
	[AUTH_ROLE_ADMIN] = "admin",
	[AUTH_ROLE_LOADER] = "loader",
	[AUTH_ROLE_ANALYST] = "analyst",
	[AUTH_ROLE_READER] = "reader",
	[AUTH_ROLE_FINANCE] = "finance",
	[AUTH_ROLE_SCRUTINY] = "scrutiny",
};

auth_role auth_role_parse(const char *name)
{
	if (name == NULL)
		return AUTH_ROLE_NONE;
	for (int role = AUTH_ROLE_ADMIN; role <= AUTH_ROLE_LAST; role++)
		if (strcmp(name, role_names[role]) == 0)
			return (auth_role)role;
	return AUTH_ROLE_NONE;
}

const char *auth_role_name(auth_role role)
{
	if ((unsigned)role > AUTH_ROLE_LAST)
		return role_names[AUTH_ROLE_NONE];
	return role_names[role];
}

bool auth_valid_council(const char *code)
{
	size_t len;

	if (code == NULL)
		return false;
	len = strlen(code);
	if (len < 3 || len > AUTH_COUNCIL_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isascii((unsigned char)code[i]) || !isalnum((unsigned char)code[i]))
			return false;
	return true;
}

bool auth_valid_name(const char *name)
{
	size_t len;

	if (name == NULL)
		return false;
	len = strlen(name);
	if (len < 1 || len > AUTH_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!(isascii(c) && isalnum(c)) && strchr(" ._@+-", c) == NULL)
			return false;
	}
	return true;
}

/* Whether the n-byte UTF-8 character at text may be in a place name: not a
 * C1 control or Latin-1 symbol, not general punctuation (bidirectional and
 * invisible format characters among them), not private use. */
static bool place_character(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t code = n == 2 ? (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f)
		: n == 3 ? (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f)
		: (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
		  (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);

	return code >= 0xc0 && code != 0xd7 && code != 0xf7 && !(code >= 0x2000 && code <= 0x206f) &&
	       !(code >= 0xe000 && code <= 0xf8ff) && code < 0xfe00 && code != 0xfeff;
}

bool auth_valid_locality(const char *locality)
{
	size_t len;

	if (locality == NULL)
		return false;
	len = strlen(locality);
	if (len < 1 || len > AUTH_LOCALITY_MAX || locality[0] == ' ' || locality[len - 1] == ' ')
		return false;
	/* A place name: letters (any script's, as UTF-8), digits, spaces and
	 * the punctuation place names use. */
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)locality[i];
		size_t n = c < 0x80 ? 1 : utf8_char_length(locality + i, len - i);

		if (n == 0 || (c < 0x80 && !isalnum(c) && strchr(" &'.,()-/", c) == NULL) ||
		    (n > 1 && !place_character(locality + i, n)))
			return false;
		i += n;
	}
	return true;
}

static bool listed(const char *items, size_t item_size, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items + i * item_size, text) == 0)
			return true;
	return false;
}

int auth_principal_init(auth_principal *p, const char *name, const char *role,
			const char *const *councils, size_t ncouncils,
			const char *const *localities, size_t nlocalities,
			char *err, size_t errsize)
{
	memset(p, 0, sizeof(*p));
	if (!auth_valid_name(name)) {
		snprintf(err, errsize, "a token's name is 1 to %d letters, digits, spaces "
			 "and . _ @ + -", AUTH_NAME_MAX);
		return -1;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->role = auth_role_parse(role);
	if (p->role == AUTH_ROLE_NONE) {
		snprintf(err, errsize, "the role must be admin, loader, analyst, reader, finance "
			 "or scrutiny");
		return -1;
	}
	if (p->role == AUTH_ROLE_ADMIN && (ncouncils > 0 || nlocalities > 0)) {
		snprintf(err, errsize, "an admin token sees every council: give it no council "
			 "and no locality");
		return -1;
	}
	if (p->role != AUTH_ROLE_ADMIN && ncouncils == 0) {
		snprintf(err, errsize, "a %s token needs at least one council", auth_role_name(p->role));
		return -1;
	}
	for (size_t i = 0; i < ncouncils; i++) {
		if (!auth_valid_council(councils[i])) {
			snprintf(err, errsize, "a council is an LA code of 3 to 9 letters and digits");
			return -1;
		}
		if (listed(&p->councils[0][0], sizeof(p->councils[0]), p->ncouncils, councils[i]))
			continue;
		if (p->ncouncils == AUTH_MAX_COUNCILS) {
			snprintf(err, errsize, "a token may name at most %d councils", AUTH_MAX_COUNCILS);
			return -1;
		}
		snprintf(p->councils[p->ncouncils++], sizeof(p->councils[0]), "%s", councils[i]);
	}
	for (size_t i = 0; i < nlocalities; i++) {
		if (!auth_valid_locality(localities[i])) {
			snprintf(err, errsize, "a locality is a place name of 1 to %d bytes: letters, "
				 "digits, spaces and & ' . , ( ) - /", AUTH_LOCALITY_MAX);
			return -1;
		}
		if (listed(&p->localities[0][0], sizeof(p->localities[0]), p->nlocalities,
			   localities[i]))
			continue;
		if (p->nlocalities == AUTH_MAX_LOCALITIES) {
			snprintf(err, errsize, "a token may name at most %d localities",
				 AUTH_MAX_LOCALITIES);
			return -1;
		}
		snprintf(p->localities[p->nlocalities++], sizeof(p->localities[0]), "%s",
			 localities[i]);
	}
	return 0;
}

bool auth_council_allowed(const auth_principal *p, const char *council)
{
	if (p == NULL || council == NULL)
		return false;
	if (p->role == AUTH_ROLE_ADMIN)
		return true;
	for (size_t i = 0; i < p->ncouncils; i++)
		if (strcmp(p->councils[i], council) == 0)
			return true;
	return false;
}

bool auth_locality_allowed(const auth_principal *p, const char *locality)
{
	if (p == NULL || locality == NULL)
		return false;
	if (p->role == AUTH_ROLE_ADMIN || p->nlocalities == 0)
		return true;
	for (size_t i = 0; i < p->nlocalities; i++)
		if (strcmp(p->localities[i], locality) == 0)
			return true;
	return false;
}

bool auth_role_allowed(const auth_policy *policy, auth_role role)
{
	if (policy == NULL || role == AUTH_ROLE_NONE || (unsigned)role > AUTH_ROLE_LAST)
		return false;
	return (policy->roles & AUTH_ROLE_BIT(role)) != 0;
}

auth_suppression auth_suppression_for(const auth_principal *p, int threshold)
{
	auth_suppression s;

	s.threshold = threshold > 0 ? threshold : AUTH_SUPPRESS_THRESHOLD_DEFAULT;
	/* Unknown callers get the safe answer. */
	s.suppress = p == NULL || p->role == AUTH_ROLE_SCRUTINY || p->role == AUTH_ROLE_NONE;
	return s;
}

bool auth_suppress_count(int64_t count, int threshold)
{
	return count >= 1 && count <= threshold;
}

bool auth_suppress_ratio(int64_t numerator, int64_t denominator, int threshold)
{
	return auth_suppress_count(numerator, threshold) ||
	       auth_suppress_count(denominator, threshold);
}

int auth_token_generate(char out[AUTH_TOKEN_LENGTH + 1])
{
	unsigned char random[32];
	size_t prefix = sizeof(AUTH_TOKEN_PREFIX) - 1;

	if (RAND_bytes(random, sizeof(random)) != 1)
		return -1;
	memcpy(out, AUTH_TOKEN_PREFIX, prefix);
	for (size_t i = 0; i < sizeof(random); i++)
		snprintf(out + prefix + 2 * i, 3, "%02x", random[i]);
	out[AUTH_TOKEN_LENGTH] = '\0';
	auth_secret_wipe(random, sizeof(random));
	return 0;
}

bool auth_token_well_formed(const char *text)
{
	size_t prefix = sizeof(AUTH_TOKEN_PREFIX) - 1;

	if (text == NULL || strlen(text) != AUTH_TOKEN_LENGTH ||
	    strncmp(text, AUTH_TOKEN_PREFIX, prefix) != 0)
		return false;
	for (size_t i = prefix; i < AUTH_TOKEN_LENGTH; i++)
		if (!isdigit((unsigned char)text[i]) && (text[i] < 'a' || text[i] > 'f'))
			return false;
	return true;
}

void auth_token_hash(const char *token, char out[AUTH_SHA256_HEX_SIZE])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	EVP_Digest(token, strlen(token), digest, &len, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	out[64] = '\0';
}

const char *auth_bearer_token(const char *value)
{
	if (value == NULL || strncasecmp(value, "bearer ", 7) != 0)
		return NULL;
	value += 7;
	while (*value == ' ')
		value++;
	return *value != '\0' ? value : NULL;
}

void auth_secret_wipe(void *secret, size_t size)
{
	OPENSSL_cleanse(secret, size);
}
