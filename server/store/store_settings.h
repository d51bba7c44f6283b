/*
 * store_settings.h: the store's part of each council its own (issue 19): a
 * council's settings and its report cards, every version kept
 * (migrations/0017_council_settings.sql). The handler (handlers/settings.c)
 * checks what is written; this file only reads and appends.
 */
#ifndef CSPERF_SERVER_STORE_SETTINGS_H
#define CSPERF_SERVER_STORE_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* One version of a council's settings, as stored (strings borrowed). */
typedef struct store_settings_row {
	int version;
	const char *indicators;   /* the JSON object of 0017 */
	const char *scorecard;    /* indicator ids, comma-separated; "" for the catalogue's */
	const char *created_at;   /* ISO 8601, UTC */
	const char *created_by;
} store_settings_row;

typedef int (*store_settings_cb)(const store_settings_row *row, void *ctx);

/* The council's current settings (none: cb is not called), or with history
 * every version, newest first. */
int store_council_settings_get(store_pool *pool, int64_t timeout_ms, const char *council,
			       bool history, store_settings_cb cb, void *ctx, status *st);

/* Appends the next version of the council's settings; *version is it.
 * NOT_FOUND when csperfd holds no such council; ABORTED when another put
 * made the same version first. */
int store_council_settings_put(store_pool *pool, int64_t timeout_ms, const char *council,
			       const char *indicators_json, const char *scorecard_csv,
			       const char *created_by, int *version, status *st);

/* A report card version (strings borrowed; times "" when never written). */
typedef struct store_report_card_row {
	const char *council, *indicator_id, *period;
	int version;
	const char *lead_officer, *data_owner;
	const char *commentary, *commentary_by, *commentary_at;
	const char *actions, *actions_by, *actions_at;
	const char *created_at, *created_by;
} store_report_card_row;

typedef int (*store_report_card_cb)(const store_report_card_row *row, void *ctx);

/* The current cards of a council and period (of one indicator when
 * indicator_id is not NULL), by indicator; with history every version,
 * newest first within a card. */
int store_report_cards_get(store_pool *pool, int64_t timeout_ms, const char *council,
			   const char *period, const char *indicator_id, bool history,
			   store_report_card_cb cb, void *ctx, status *st);

/* What a put changes: each field set (true) takes the given text, and its
 * writer and time for commentary and actions; the others keep the current
 * card's. */
typedef struct store_report_card_put {
	const char *council, *indicator_id, *period, *written_by;
	bool set_lead_officer, set_data_owner, set_commentary, set_actions;
	const char *lead_officer, *data_owner, *commentary, *actions;
} store_report_card_put;

/* Appends the card's next version and calls cb with it. NOT_FOUND when
 * csperfd holds no such council; ABORTED on a concurrent put. */
int store_report_card_write(store_pool *pool, int64_t timeout_ms,
			    const store_report_card_put *put, store_report_card_cb cb, void *ctx,
			    status *st);

#endif
