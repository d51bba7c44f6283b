/*
 * settings.h: what the scorecard and exceptions read of a council's own
 * settings and report cards (handlers/settings.c; docs/indicators.md,
 * "Targets and a council's own settings").
 */
#ifndef CSPERF_SERVER_HANDLERS_SETTINGS_H
#define CSPERF_SERVER_HANDLERS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../status.h"
#include "../store/store.h"

struct Csperf__V1__ReportCard;

/* A council's current settings, as the scorecard applies them. */
typedef struct settings_overrides {
	void *indicators;      /* the JSON object of migration 0017 (jansson's); NULL: none */
	char **scorecard;      /* its scorecard's indicators, in order */
	size_t nscorecard;     /* 0: the catalogue's for its nation */
	int version;           /* 0: the council has no settings of its own */
} settings_overrides;

/* Reads the council's current settings (none is fine: version 0). */
int settings_overrides_read(store_pool *pool, int64_t timeout_ms, const char *council,
			    settings_overrides *out, status *st);
void settings_overrides_free(settings_overrides *o);

/* The council's own targets of an indicator as the JSON the engine reads
 * ({"2018-19": {"target": 95, "tolerance": 3}}), malloc'd; NULL when it
 * sets none. */
char *settings_own_targets(const settings_overrides *o, const char *indicator_id);

/* The catalogue's targets with the council's years put over them
 * (malloc'd); NULL when out of memory. */
char *settings_merge_targets(const char *catalogue, const char *own);

/* The council's own link ("corporate_risk" or "budget_line") of an
 * indicator, "" for none; NULL when it keeps the catalogue's. */
const char *settings_link(const settings_overrides *o, const char *indicator_id,
			  const char *which);

/* The current report cards of a council and period. */
typedef struct settings_cards {
	struct Csperf__V1__ReportCard **items;
	size_t count;
	bool failed;
} settings_cards;

int settings_cards_read(store_pool *pool, int64_t timeout_ms, const char *council,
			const char *period, settings_cards *out, status *st);
struct Csperf__V1__ReportCard *settings_card_for(const settings_cards *l,
						 const char *indicator_id);
void settings_cards_free(settings_cards *l);
void settings_report_card_free(struct Csperf__V1__ReportCard *card);

#endif
