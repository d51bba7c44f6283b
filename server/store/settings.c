/*
 * settings.c: a council's settings and its report cards (store_settings.h).
 * Append only: a put is the next version, made from the current one in the
 * same statement; a concurrent put of the same version fails on the key and
 * is reported ABORTED (try again), never overwrites.
 */
#include "store_internal.h"
#include "store_settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISO_TIME(column) \
	"coalesce(to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

/* A unique violation (a concurrent put) as ABORTED; st as filled otherwise. */
static int put_failed(status *st, const char *what)
{
	if (st->code == STATUS_INTERNAL && strstr(st->message, "23505") != NULL)
		return status_set(st, STATUS_ABORTED, "%s changed at the same time: try again", what);
	return -1;
}

int store_council_settings_get(store_pool *pool, int64_t timeout_ms, const char *council,
			       bool history, store_settings_cb cb, void *ctx, status *st)
{
	const char *params[1] = { council };
	PGresult *res;
	int rc = 0;

	res = store_read(pool, timeout_ms, history
		? "SELECT version, indicators::text, array_to_string(scorecard, ','), "
		  ISO_TIME("created_at") ", created_by FROM council_settings_version "
		  "WHERE council = $1 ORDER BY version DESC"
		: "SELECT version, indicators::text, array_to_string(scorecard, ','), "
		  ISO_TIME("created_at") ", created_by FROM council_settings WHERE council = $1",
		1, params, st);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_settings_row r;

		r.version = atoi(PQgetvalue(res, row, 0));
		r.indicators = PQgetvalue(res, row, 1);
		r.scorecard = PQgetvalue(res, row, 2);
		r.created_at = PQgetvalue(res, row, 3);
		r.created_by = PQgetvalue(res, row, 4);
		rc = cb(&r, ctx);
	}
	PQclear(res);
	return rc;
}

int store_council_settings_put(store_pool *pool, int64_t timeout_ms, const char *council,
			       const char *indicators_json, const char *scorecard_csv,
			       const char *created_by, int *version, status *st)
{
	const char *params[4] = { council, indicators_json, scorecard_csv, created_by };
	PGresult *res;

	*version = 0;
	res = store_read(pool, timeout_ms,
		"INSERT INTO council_settings_version (council, version, indicators, scorecard, "
		"created_by) "
		"SELECT $1, coalesce((SELECT max(version) FROM council_settings_version "
		"WHERE council = $1), 0) + 1, $2::jsonb, "
		"CASE WHEN $3 = '' THEN '{}'::text[] ELSE string_to_array($3, ',') END, $4 "
		"WHERE EXISTS (SELECT FROM council WHERE la_code = $1) RETURNING version",
		4, params, st);
	if (res == NULL)
		return put_failed(st, "the council's settings");
	if (PQntuples(res) == 0) {
		PQclear(res);
		return status_set(st, STATUS_NOT_FOUND, "there is no council %s", council);
	}
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

#define CARD_COLUMNS \
	"council, indicator_id, period, version, lead_officer, data_owner, commentary, " \
	"commentary_by, " ISO_TIME("commentary_at") ", actions, actions_by, " \
	ISO_TIME("actions_at") ", " ISO_TIME("created_at") ", created_by"

static int each_card(PGresult *res, store_report_card_cb cb, void *ctx)
{
	int rc = 0;

	for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
		store_report_card_row r;

		r.council = PQgetvalue(res, row, 0);
		r.indicator_id = PQgetvalue(res, row, 1);
		r.period = PQgetvalue(res, row, 2);
		r.version = atoi(PQgetvalue(res, row, 3));
		r.lead_officer = PQgetvalue(res, row, 4);
		r.data_owner = PQgetvalue(res, row, 5);
		r.commentary = PQgetvalue(res, row, 6);
		r.commentary_by = PQgetvalue(res, row, 7);
		r.commentary_at = PQgetvalue(res, row, 8);
		r.actions = PQgetvalue(res, row, 9);
		r.actions_by = PQgetvalue(res, row, 10);
		r.actions_at = PQgetvalue(res, row, 11);
		r.created_at = PQgetvalue(res, row, 12);
		r.created_by = PQgetvalue(res, row, 13);
		rc = cb(&r, ctx);
	}
	PQclear(res);
	return rc;
}

int store_report_cards_get(store_pool *pool, int64_t timeout_ms, const char *council,
			   const char *period, const char *indicator_id, bool history,
			   store_report_card_cb cb, void *ctx, status *st)
{
	const char *params[3] = { council, period, indicator_id };
	PGresult *res;

	res = store_read(pool, timeout_ms, history
		? "SELECT " CARD_COLUMNS " FROM report_card_version WHERE council = $1 AND "
		  "period = $2 AND ($3::text IS NULL OR indicator_id = $3) "
		  "ORDER BY indicator_id, version DESC"
		: "SELECT " CARD_COLUMNS " FROM report_card WHERE council = $1 AND period = $2 "
		  "AND ($3::text IS NULL OR indicator_id = $3) ORDER BY indicator_id",
		3, params, st);
	if (res == NULL)
		return -1;
	return each_card(res, cb, ctx);
}

int store_report_card_write(store_pool *pool, int64_t timeout_ms,
			    const store_report_card_put *put, store_report_card_cb cb, void *ctx,
			    status *st)
{
	const char *params[12] = {
		put->council, put->indicator_id, put->period, put->written_by,
		put->set_lead_officer ? "t" : "f", put->lead_officer,
		put->set_data_owner ? "t" : "f", put->data_owner,
		put->set_commentary ? "t" : "f", put->commentary,
		put->set_actions ? "t" : "f", put->actions
	};
	PGresult *res;

	/* The fields not set, and who wrote the commentary and actions when
	 * they are not set, come from the current card. */
	res = store_read(pool, timeout_ms,
		"WITH cur AS (SELECT * FROM report_card WHERE council = $1 AND indicator_id = $2 "
		"AND period = $3), "
		"ins AS (INSERT INTO report_card_version (council, indicator_id, period, version, "
		"lead_officer, data_owner, commentary, commentary_by, commentary_at, actions, "
		"actions_by, actions_at, created_by) "
		"SELECT $1, $2, $3, coalesce((SELECT version FROM cur), 0) + 1, "
		"CASE WHEN $5::bool THEN $6 ELSE coalesce((SELECT lead_officer FROM cur), '') END, "
		"CASE WHEN $7::bool THEN $8 ELSE coalesce((SELECT data_owner FROM cur), '') END, "
		"CASE WHEN $9::bool THEN $10 ELSE coalesce((SELECT commentary FROM cur), '') END, "
		"CASE WHEN $9::bool THEN $4 ELSE coalesce((SELECT commentary_by FROM cur), '') END, "
		"CASE WHEN $9::bool THEN clock_timestamp() ELSE (SELECT commentary_at FROM cur) END, "
		"CASE WHEN $11::bool THEN $12 ELSE coalesce((SELECT actions FROM cur), '') END, "
		"CASE WHEN $11::bool THEN $4 ELSE coalesce((SELECT actions_by FROM cur), '') END, "
		"CASE WHEN $11::bool THEN clock_timestamp() ELSE (SELECT actions_at FROM cur) END, "
		"$4 WHERE EXISTS (SELECT FROM council WHERE la_code = $1) RETURNING *) "
		"SELECT " CARD_COLUMNS " FROM ins",
		12, params, st);
	if (res == NULL)
		return put_failed(st, "the report card");
	if (PQntuples(res) == 0) {
		PQclear(res);
		return status_set(st, STATUS_NOT_FOUND, "there is no council %s", put->council);
	}
	return each_card(res, cb, ctx);
}
