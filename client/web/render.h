/*
 * render.h: csperf-web's HTML, written to a FILE (open_memstream): the
 * sign-in page, a council's page, and the two fragments the page replaces
 * when a watch brings an update (the scorecard table and the exceptions).
 * Every text from csperfd is escaped. RAG is a word and a mark as well as a
 * colour; direction a word and an arrow; trends inline SVG sparklines.
 */
#ifndef CSPERF_WEB_RENDER_H
#define CSPERF_WEB_RENDER_H

#include <stdio.h>

#include <csperf/scorecards.h>

/* Writes text escaped for HTML text and attribute values. */
void render_escaped(FILE *f, const char *text);

/* The page's head and opening of body (title escaped). */
void render_head(FILE *f, const char *title);
void render_foot(FILE *f);

/* The sign-in page; message (may be NULL) says why sign-in failed. */
void render_signin(FILE *f, const char *message);

/* The home page: a form to open a council's page. */
void render_home(FILE *f);

/* An error page with a sentence (escaped). */
void render_error(FILE *f, const char *title, const char *sentence);

/* The scorecard table (rows filtered by stage when not NULL). */
void render_table(FILE *f, const csperf_scorecard *sc, const char *stage);

/* The exceptions list (may be NULL when the caller may not read them). */
void render_exceptions(FILE *f, const csperf_exceptions *ex, const char *stage);

/* A council's page: header, stage links, table, exceptions, report link;
 * events is the path of its server-sent events. */
void render_council(FILE *f, const csperf_scorecard *sc, const csperf_exceptions *ex,
		    const char *stage, const char *events, const char *report);

/* The stages a page may show, NULL-terminated. */
extern const char *const render_stages[];

#endif
