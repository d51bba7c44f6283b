/*
 * validation.c: reading a council's current records back in csperf form, for
 * the DfE's validation rules (common/validate) that csperfd applies across
 * returns (handlers/validation.c).
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../strbuf.h"
#include "schema.h"

typedef struct record_adapter {
	csperf_record_type type;
	size_t nfields;
	store_record_cb cb;
	void *ctx;
} record_adapter;

static int record_row(size_t ncolumns, const char *const *values, void *ctx)
{
	record_adapter *ad = ctx;

	if (ncolumns != ad->nfields + 2)
		return 1;
	return ad->cb(ad->type, strtoll(values[0], NULL, 10), strtoll(values[1], NULL, 10),
		      values + 2, ad->nfields, ad->ctx);
}

int store_read_records(store_pool *pool, int64_t timeout_ms, const char *council,
		       csperf_record_type type, store_record_cb cb, void *ctx, status *st)
{
	return store_read_records_range(pool, timeout_ms, council, type, NULL, NULL, cb, ctx, st);
}

int store_read_records_range(store_pool *pool, int64_t timeout_ms, const char *council,
			     csperf_record_type type, const char *from_child,
			     const char *to_child, store_record_cb cb, void *ctx, status *st)
{
	const csperf_record_schema *schema = csperf_schema_by_type(type);
	const char *params[3] = { council, from_child, to_child };
	strbuf sql = STRBUF_INIT;
	int rc;

	if (schema == NULL || schema->nfields + 2 > 64) {
		status_set(st, STATUS_INVALID_ARGUMENT, "not a record type");
		return -1;
	}
	/* Values as csperf form writes them: ISO dates whatever the DateStyle,
	 * true/false, numbers as PostgreSQL prints them; NULL reads as "". */
	strbuf_add(&sql, "SELECT load_id, record_no");
	for (size_t f = 0; f < schema->nfields; f++) {
		const csperf_field *field = &schema->fields[f];
		if (field->kind == CSPERF_FIELD_DATE)
			strbuf_add(&sql, ", to_char(%s, 'YYYY-MM-DD')", field->name);
		else
			strbuf_add(&sql, ", %s::text", field->name);
	}
	strbuf_add(&sql, " FROM rec_%s WHERE council = $1 AND is_current AND ($2::text IS NULL OR "
		   "child_id >= $2) AND ($3::text IS NULL OR child_id < $3)", schema->name);
	if (sql.failed || sql.text == NULL) {
		free(sql.text);
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return -1;
	}
	record_adapter ad = { type, schema->nfields, cb, ctx };
	rc = store_stream_rows(pool, timeout_ms, NULL, 0, sql.text, 3, params,
			       record_row, &ad, st);
	free(sql.text);
	return rc;
}

int store_child_boundaries(store_pool *pool, int64_t timeout_ms, const char *council,
			   int every, char ***out, size_t *count, status *st)
{
	char every_text[16];
	const char *params[2] = { council, every_text };
	PGresult *res;
	char **ids;
	int n;

	*out = NULL;
	*count = 0;
	snprintf(every_text, sizeof(every_text), "%d", every);
	res = store_read(pool, timeout_ms,
			 "SELECT child_id FROM (SELECT child_id, row_number() OVER (ORDER BY child_id) "
			 "AS n FROM rec_child WHERE council = $1 AND is_current) c "
			 "WHERE n % $2::int = 0 ORDER BY child_id", 2, params, st);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	ids = calloc((size_t)n + 1, sizeof(*ids));
	if (ids == NULL) {
		PQclear(res);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		ids[i] = strdup(PQgetvalue(res, i, 0));
		if (ids[i] == NULL) {
			for (int k = 0; k < i; k++)
				free(ids[k]);
			free(ids);
			PQclear(res);
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		}
	}
	PQclear(res);
	*out = ids;
	*count = (size_t)n;
	return 0;
}

/* ---- failing records per indicator (migration 0020) ---- */

int store_quality_replace(store_pool *pool, int64_t timeout_ms, const char *council,
			  int collection_year, const store_quality_row *rows, size_t nrows,
			  status *st)
{
	store_conn *c;
	const char *params[5];
	char year[16], count[24];
	int rc = -1;

	if (store_acquire(pool, timeout_ms, &c, st) != 0)
		return -1;
	snprintf(year, sizeof(year), "%d", collection_year);
	params[0] = council;
	if (store_exec(c, "BEGIN", 0, NULL, st) != 0 ||
	    store_exec(c, "DELETE FROM indicator_quality WHERE council = $1", 1, params, st) != 0)
		goto cleanup;
	for (size_t i = 0; i < nrows; i++) {
		snprintf(count, sizeof(count), "%llu", (unsigned long long)rows[i].failing_records);
		params[1] = rows[i].indicator_id;
		params[2] = count;
		params[3] = rows[i].rules;
		params[4] = year;
		if (store_exec(c, "INSERT INTO indicator_quality (council, indicator_id, "
			       "failing_records, rules, collection_year) VALUES ($1, $2, $3, $4, $5)",
			       5, params, st) != 0)
			goto cleanup;
	}
	rc = store_exec(c, "COMMIT", 0, NULL, st);
cleanup:
	if (rc != 0)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	store_release(pool, c);
	return rc;
}

int store_quality_list(store_pool *pool, int64_t timeout_ms, const char *council,
		       store_quality_cb cb, void *ctx, status *st)
{
	const char *params[1] = { council };
	PGresult *res = store_read(pool, timeout_ms,
		"SELECT indicator_id, failing_records, rules, collection_year "
		"FROM indicator_quality WHERE council = $1 ORDER BY indicator_id", 1, params, st);
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		store_quality_row row = {
			PQgetvalue(res, i, 0), strtoull(PQgetvalue(res, i, 1), NULL, 10),
			PQgetvalue(res, i, 2), atoi(PQgetvalue(res, i, 3)),
		};
		if (cb(&row, ctx) != 0) {
			status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			rc = -1;
		}
	}
	PQclear(res);
	return rc;
}
