/*
 * annex_a.h: Ofsted's Annex A child-level lists: each a name, a title, its
 * documented columns and the parameterised query that makes it ($1 the
 * council, $2 the as-at date). List 11 (adopters) is not among them: csperf
 * holds no adopters' records.
 */
#ifndef CSPERF_SERVER_ANNEX_A_H
#define CSPERF_SERVER_ANNEX_A_H

#include <stddef.h>

typedef struct annex_a_list {
	const char *name;     /* "contacts", "referrals", ... */
	const char *title;    /* "List 1: contacts in the six months to the as-at date" */
	const char *columns;  /* comma-separated, in the query's order */
	const char *sql;
} annex_a_list;

/* Every list, in Annex A order. */
const annex_a_list *annex_a_lists(size_t *count);

/* The list named `name`, or NULL. */
const annex_a_list *annex_a_find(const char *name);

#endif
