/*
 * http.c: csperf-web's responses (every one with its security headers: a
 * strict Content-Security-Policy, no caching, no framing, no referrer, HSTS
 * under HTTPS) and the checks of what a browser sends: the token, council,
 * period, stage and form fields.
 */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"

/* ---- responses ---- */

enum MHD_Result respond(struct MHD_Connection *c, unsigned int code, const char *type,
			char *body, size_t len, const char *csp, const char *location,
			const char *cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body,
								 MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;

	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy", csp != NULL ? csp : CSP_PAGE);
	if (app.https)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	if (location != NULL)
		MHD_add_response_header(r, "Location", location);
	if (cookie != NULL)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	ok = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ok;
}

enum MHD_Result respond_text(struct MHD_Connection *c, unsigned int code,
			     const char *type, const char *text)
{
	char *copy = strdup(text);

	return copy != NULL ? respond(c, code, type, copy, strlen(copy), NULL, NULL, NULL) : MHD_NO;
}

enum MHD_Result redirect(struct MHD_Connection *c, const char *location,
			 const char *cookie)
{
	return respond(c, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", strdup(""), 0, NULL,
		       location, cookie);
}

FILE *page_open(page *p)
{
	p->data = NULL;
	p->len = 0;
	p->f = open_memstream(&p->data, &p->len);
	return p->f;
}

enum MHD_Result page_send(struct MHD_Connection *c, page *p, unsigned int code)
{
	if (fclose(p->f) != 0) {
		free(p->data);
		return MHD_NO;
	}
	return respond(c, code, "text/html; charset=utf-8", p->data, p->len, NULL, NULL, NULL);
}

enum MHD_Result error_page(struct MHD_Connection *c, unsigned int code,
			   const char *title, const char *sentence)
{
	page p;

	if (page_open(&p) == NULL)
		return MHD_NO;
	render_error(p.f, title, sentence);
	return page_send(c, &p, code);
}

const char *clear_cookie(void)
{
	return app.https ? COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure"
			 : COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
}

/* An SDK failure as a page: sign in again, refused, bad request, or
 * csperfd could not answer. */
enum MHD_Result sdk_failure(struct MHD_Connection *c, int rc)
{
	switch (rc) {
	case CSPERF_EAUTH:
		return redirect(c, "/signin", clear_cookie());
	case CSPERF_EPERM:
		return error_page(c, MHD_HTTP_FORBIDDEN, "Not allowed",
				  "This token does not give access to that council's scorecard.");
	case CSPERF_EINVAL:
		return error_page(c, MHD_HTTP_BAD_REQUEST, "Not a scorecard", csperf_error_last());
	case CSPERF_ENOTFOUND:
		return error_page(c, MHD_HTTP_NOT_FOUND, "Not found", csperf_error_last());
	default:
		return error_page(c, MHD_HTTP_BAD_GATEWAY, "csperfd could not answer",
				  csperf_error_last());
	}
}

/* ---- input ---- */

bool valid_token(const char *t)
{
	size_t n = 0;

	if (t == NULL)
		return false;
	for (; t[n] != '\0'; n++)
		if (!((t[n] >= 'a' && t[n] <= 'z') || (t[n] >= 'A' && t[n] <= 'Z') ||
		      (t[n] >= '0' && t[n] <= '9') || t[n] == '_' || t[n] == '-' || t[n] == '.'))
			return false;
	return n > 0 && n <= TOKEN_MAX;
}

bool valid_council(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* A period's label: digits, letters, '-' and ':' (csperfd checks the rest). */
bool valid_period(const char *s)
{
	size_t n = strlen(s);

	if (n < 4 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == ':'))
			return false;
	return true;
}

/* The stage named by ?stage=, or NULL for all (an unknown one too). */
const char *stage_arg(struct MHD_Connection *c)
{
	const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "stage");

	for (size_t i = 0; s != NULL && render_stages[i] != NULL; i++)
		if (strcmp(s, render_stages[i]) == 0)
			return render_stages[i];
	return NULL;
}

csperf_client *client_for(const char *token)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = app.server;
	options.token = token;
	options.timeout_ms = app.timeout_ms;
	options.tls_ca_file = app.tls_ca;
	if (csperf_client_new(&client, &options) != CSPERF_OK)
		return NULL;
	return client;
}

/* The form field `name` of an application/x-www-form-urlencoded body,
 * decoded into out; false when absent or too long. */
bool form_field(const char *body, const char *name, char *out, size_t size)
{
	size_t name_len = strlen(name);

	for (const char *p = body; p != NULL && *p != '\0';) {
		const char *end = strchr(p, '&');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
			size_t vlen = len - name_len - 1;

			if (vlen >= size)
				return false;
			memcpy(out, p + name_len + 1, vlen);
			out[vlen] = '\0';
			for (char *q = out; *q != '\0'; q++)
				if (*q == '+')
					*q = ' ';
			MHD_http_unescape(out);
			return true;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return false;
}
