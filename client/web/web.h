/*
 * web.h: what csperf-web's files share: the program's state, the
 * responses every page sends (http.c), the checks of what a browser sends,
 * and the live parts (live.c: server-sent events from a watch, the
 * committee report).
 */
#ifndef CSPERF_WEB_H
#define CSPERF_WEB_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <csperf/csperf.h>
#include <csperf/scorecards.h>

#define COOKIE "csperf_token"
#define TOKEN_MAX 200
#define BODY_MAX 4096
#define HEARTBEAT_MS 15000
#define SESSION_SECONDS 43200
#define REPORT_MAX (32 * 1024 * 1024)
/* An idle connection is closed after this (event streams send a comment
 * every HEARTBEAT_MS); at most this many connections, each a thread. */
#define IDLE_SECONDS 120
#define CONNECTIONS_MAX 1000

#define CSP_PAGE "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; " \
	"img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
#define CSP_REPORT "default-src 'none'; style-src 'unsafe-inline'; img-src data:; " \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

/* csperf-web's settings and its live event streams. */
typedef struct web {
	const char *server;        /* csperfd */
	const char *tls_ca;        /* csperfd's CA, when it speaks TLS */
	const char *csperf_path;   /* the csperf tool, for reports */
	bool https;
	long long timeout_ms;
	pthread_mutex_t mu;        /* the live event streams, to cancel at stop */
	struct event_stream *streams;
	bool stopping;
} web;

/* One page's live connection (live.c). */
typedef struct event_stream {
	csperf_client *client;
	csperf_scorecard_watch *watch;
	char stage[32];
	char *pending;
	size_t len, off;
	struct event_stream *next;
} event_stream;

/* The body of a POST /signin as it arrives. */
typedef struct upload {
	char body[BODY_MAX + 1];
	size_t len;
	bool too_long;
} upload;

extern web app;   /* web.c */

/* An HTML page written into memory. */
typedef struct page {
	char *data;
	size_t len;
	FILE *f;
} page;

/* Queues a response with csperf-web's security headers; body is malloc'd
 * and taken; csp NULL for the pages' policy; location and cookie may be
 * NULL. */
enum MHD_Result respond(struct MHD_Connection *c, unsigned int code, const char *type,
			char *body, size_t len, const char *csp, const char *location,
			const char *cookie);
enum MHD_Result respond_text(struct MHD_Connection *c, unsigned int code,
			     const char *type, const char *text);
enum MHD_Result redirect(struct MHD_Connection *c, const char *location,
			 const char *cookie);
/* A page: open, render into p->f, send (which frees it). */
FILE *page_open(page *p);
enum MHD_Result page_send(struct MHD_Connection *c, page *p, unsigned int code);
enum MHD_Result error_page(struct MHD_Connection *c, unsigned int code,
			   const char *title, const char *sentence);
/* The Set-Cookie value that signs out. */
const char *clear_cookie(void);
/* An SDK failure as a page: sign in again, refused, bad request, or
 * csperfd could not answer. */
enum MHD_Result sdk_failure(struct MHD_Connection *c, int rc);
/* What a browser sends, checked before it reaches csperfd. */
bool valid_token(const char *t);
bool valid_council(const char *s);
bool valid_period(const char *s);
/* The stage named by ?stage=, or NULL for all (an unknown one too). */
const char *stage_arg(struct MHD_Connection *c);
/* A client of csperfd calling with the signed-in token; NULL on failure. */
csperf_client *client_for(const char *token);
/* A field of an urlencoded form body, decoded into out. */
bool form_field(const char *body, const char *name, char *out, size_t size);
/* live.c: the page's server-sent events, and its committee report. */
enum MHD_Result council_events(struct MHD_Connection *c, const char *token,
			       const char *council, const char *period);
enum MHD_Result council_report(struct MHD_Connection *c, const char *token,
			       const char *council, const char *period);

#endif
