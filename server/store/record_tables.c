/*
 * record_tables.c: how journey records are stored, derived from the record
 * schema (common/schema.c).
 *
 * Each record type T has a table rec_T holding every version of every record:
 * one row per record per load, with the load that brought it (load_id), its
 * position in that load (record_no), and is_current. A record's identity is
 * its council and its key fields (below): a later load's version of the same
 * record supersedes the earlier one, so successive SSDA903 returns, which
 * repeat every episode still open, give one current episode, and deleting a
 * load makes the versions it superseded current again. A unique index on the
 * current rows keeps that true in the database itself. The view T shows the
 * current rows: it is what indicators read.
 *
 * The DDL is derived from the schema, one schema version at a time: migration
 * 0002 holds what store_record_tables_ddl(1) writes, and the migration that
 * brought each later version holds what store_record_tables_ddl(version)
 * writes (new tables, or new columns and the view again); a unit test keeps
 * the migrations and the schema the same.
 */
#include "record_tables.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct record_key {
	csperf_record_type type;
	const char *const *fields;
} record_key;

#define KEY(record_type, ...) \
	{ record_type, (const char *const[]){ __VA_ARGS__, NULL } }

/* What identifies one record within a council: the same key in a later load
 * is a new version of the same record. */
static const record_key keys[] = {
	KEY(CSPERF_RECORD_CHILD, "child_id"),
	KEY(CSPERF_RECORD_CONTACT, "child_id", "contact_date"),
	KEY(CSPERF_RECORD_EARLY_HELP, "child_id", "start_date"),
	KEY(CSPERF_RECORD_REFERRAL, "child_id", "referral_date"),
	KEY(CSPERF_RECORD_ASSESSMENT, "child_id", "start_date"),
	KEY(CSPERF_RECORD_CIN_PLAN, "child_id", "start_date"),
	KEY(CSPERF_RECORD_S47, "child_id", "start_date"),
	KEY(CSPERF_RECORD_CP_PLAN, "child_id", "start_date"),
	KEY(CSPERF_RECORD_CP_REVIEW, "child_id", "review_date"),
	KEY(CSPERF_RECORD_CP_VISIT, "child_id", "visit_date"),
	KEY(CSPERF_RECORD_LA_EPISODE, "child_id", "start_date"),
	KEY(CSPERF_RECORD_LA_REVIEW, "child_id", "review_date"),
	KEY(CSPERF_RECORD_LA_VISIT, "child_id", "visit_date"),
	KEY(CSPERF_RECORD_HEALTH, "child_id", "as_at_date"),
	KEY(CSPERF_RECORD_MISSING, "child_id", "start_date"),
	KEY(CSPERF_RECORD_CARE_LEAVER, "child_id", "as_at_date"),
	KEY(CSPERF_RECORD_ADOPTION, "child_id"),
	KEY(CSPERF_RECORD_PLACED_FOR_ADOPTION, "child_id", "decision_date"),
	KEY(CSPERF_RECORD_PREVIOUS_PERMANENCE, "child_id"),
	KEY(CSPERF_RECORD_UASC, "child_id"),
	KEY(CSPERF_RECORD_PLACEMENT_COST, "child_id", "start_date"),
	KEY(CSPERF_RECORD_BUDGET, "financial_year", "placement_category"),
	KEY(CSPERF_RECORD_REPORTED_FIGURE, "indicator_id", "org_unit", "period_start",
	    "period_end"),
	KEY(CSPERF_RECORD_POPULATION, "year"),
};

const char *const *store_record_key(csperf_record_type type)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].type == type)
			return keys[i].fields;
	return NULL;
}

const char *store_sql_type(csperf_field_kind kind)
{
	switch (kind) {
	case CSPERF_FIELD_DATE: return "date";
	case CSPERF_FIELD_INT: return "integer";
	case CSPERF_FIELD_DECIMAL: return "numeric";
	case CSPERF_FIELD_BOOL: return "boolean";
	default: return "text";  /* text, codes, partial dates */
	}
}

/* A growing string; on allocation failure it stays NULL and says so once. */
typedef struct buffer {
	char *text;
	size_t length, capacity;
	bool failed;
} buffer;

static void append(buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(buffer *b, const char *fmt, ...)
{
	va_list ap;
	int needed;

	if (b->failed)
		return;
	va_start(ap, fmt);
	needed = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->length + (size_t)needed + 1 > b->capacity) {
		size_t capacity = (b->capacity + (size_t)needed + 1) * 2;
		char *text = realloc(b->text, capacity);

		if (text == NULL) {
			free(b->text);
			b->text = NULL;
			b->failed = true;
			return;
		}
		b->text = text;
		b->capacity = capacity;
	}
	va_start(ap, fmt);
	vsnprintf(b->text + b->length, b->capacity - b->length, fmt, ap);
	va_end(ap);
	b->length += (size_t)needed;
}

static void key_list(buffer *b, const char *const *key, const char *prefix)
{
	for (size_t k = 0; key[k] != NULL; k++)
		append(b, "%s%s%s", k > 0 ? ", " : "", prefix, key[k]);
}

/* The schema version that added a field (fields of the first schema say 0). */
static int field_since(const csperf_field *field)
{
	return field->since > 1 ? field->since : 1;
}

/* The table and view of a type as `schema_version` has it. */
static void create_table(buffer *b, const csperf_record_schema *schema, const char *const *key,
			 int schema_version)
{
	append(b, "-- %s: %s\n", schema->name, schema->doc);
	append(b, "CREATE TABLE rec_%s (\n", schema->name);
	append(b, "    load_id bigint NOT NULL REFERENCES load (id),\n");
	append(b, "    council text NOT NULL,\n");
	append(b, "    record_no bigint NOT NULL,\n");
	append(b, "    is_current boolean NOT NULL");
	for (size_t f = 0; f < schema->nfields; f++)
		if (field_since(&schema->fields[f]) <= schema_version)
			append(b, ",\n    %s %s%s", schema->fields[f].name,
			       store_sql_type(schema->fields[f].kind),
			       schema->fields[f].required ? " NOT NULL" : "");
	append(b, "\n);\n");
	append(b, "CREATE UNIQUE INDEX rec_%s_current ON rec_%s (council, ", schema->name,
	       schema->name);
	key_list(b, key, "");
	append(b, ") WHERE is_current;\n");
	append(b, "CREATE INDEX rec_%s_load ON rec_%s (load_id);\n", schema->name, schema->name);
	append(b, "CREATE VIEW %s AS\n    SELECT council, load_id", schema->name);
	for (size_t f = 0; f < schema->nfields; f++)
		if (field_since(&schema->fields[f]) <= schema_version)
			append(b, ", %s", schema->fields[f].name);
	append(b, "\n    FROM rec_%s WHERE is_current;\n\n", schema->name);
}

/* Fields added to an existing type: new columns (absent in the rows already
 * stored, so never NOT NULL), and the view again with them at its end, which
 * CREATE OR REPLACE VIEW allows. */
static void add_columns(buffer *b, const csperf_record_schema *schema, int schema_version)
{
	append(b, "-- %s: the fields of record schema version %d\n", schema->name, schema_version);
	for (size_t f = 0; f < schema->nfields; f++)
		if (field_since(&schema->fields[f]) == schema_version)
			append(b, "ALTER TABLE rec_%s ADD COLUMN %s %s;\n", schema->name,
			       schema->fields[f].name, store_sql_type(schema->fields[f].kind));
	append(b, "CREATE OR REPLACE VIEW %s AS\n    SELECT council, load_id", schema->name);
	for (size_t f = 0; f < schema->nfields; f++)
		if (field_since(&schema->fields[f]) <= schema_version)
			append(b, ", %s", schema->fields[f].name);
	append(b, "\n    FROM rec_%s WHERE is_current;\n\n", schema->name);
}

char *store_record_tables_ddl(int schema_version)
{
	buffer b = { NULL, 0, 0, false };

	append(&b, "%s", "");
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		const char *const *key = store_record_key((csperf_record_type)t);
		bool adds_fields = false;

		if (schema == NULL || key == NULL || schema->nfields == 0)
			continue;
		for (size_t f = 0; f < schema->nfields; f++)
			adds_fields |= field_since(&schema->fields[f]) == schema_version;
		/* A type is as old as its first field. */
		if (field_since(&schema->fields[0]) == schema_version)
			create_table(&b, schema, key, schema_version);
		else if (adds_fields)
			add_columns(&b, schema, schema_version);
	}
	return b.failed ? NULL : b.text;
}

char *store_record_merge_sql(const csperf_record_schema *schema)
{
	const char *const *key = store_record_key(schema->type);
	buffer b = { NULL, 0, 0, false };

	if (key == NULL)
		return NULL;
	/* 1. The load's rows, not yet current ($1 load id, $2 council). */
	append(&b, "INSERT INTO rec_%s (load_id, council, record_no, is_current", schema->name);
	for (size_t f = 0; f < schema->nfields; f++)
		append(&b, ", %s", schema->fields[f].name);
	append(&b, ")\nSELECT $1, $2, record_no, false");
	for (size_t f = 0; f < schema->nfields; f++)
		append(&b, ", v[%zu]::%s", f + 1, store_sql_type(schema->fields[f].kind));
	append(&b, "\nFROM pg_temp.load_stage WHERE type = %d", (int)schema->type);
	return b.failed ? NULL : b.text;
}

char *store_record_supersede_sql(const csperf_record_schema *schema)
{
	const char *const *key = store_record_key(schema->type);
	buffer b = { NULL, 0, 0, false };

	if (key == NULL)
		return NULL;
	/* 2. Earlier versions of the records this load brings stop being
	 * current; then this load's rows become current. */
	append(&b, "WITH superseded AS (UPDATE rec_%s old SET is_current = false "
	       "FROM rec_%s new WHERE new.load_id = $1 AND old.is_current "
	       "AND old.council = new.council", schema->name, schema->name);
	for (size_t k = 0; key[k] != NULL; k++)
		append(&b, " AND old.%s = new.%s", key[k], key[k]);
	append(&b, " RETURNING 1), current AS (UPDATE rec_%s SET is_current = true "
	       "WHERE load_id = $1 RETURNING 1) "
	       "SELECT (SELECT count(*) FROM superseded), (SELECT count(*) FROM current)",
	       schema->name);
	return b.failed ? NULL : b.text;
}

char *store_record_duplicates_sql(const csperf_record_schema *schema)
{
	const char *const *key = store_record_key(schema->type);
	buffer b = { NULL, 0, 0, false };

	if (key == NULL)
		return NULL;
	/* Two records of one load with the same key: the later ones are
	 * rejected, each naming the first. */
	append(&b, "SELECT record_no, file, line, first_record, first_file, first_line FROM ("
	       "SELECT record_no, file, line, "
	       "first_value(record_no) OVER w AS first_record, "
	       "first_value(file) OVER w AS first_file, "
	       "first_value(line) OVER w AS first_line "
	       "FROM pg_temp.load_stage WHERE type = %d WINDOW w AS (PARTITION BY ",
	       (int)schema->type);
	for (size_t k = 0; key[k] != NULL; k++)
		append(&b, "%sv[%d]", k > 0 ? ", " : "",
		       csperf_schema_field_index(schema, key[k]) + 1);
	append(&b, " ORDER BY record_no)) d WHERE record_no <> first_record ORDER BY record_no");
	return b.failed ? NULL : b.text;
}

static void key_array(buffer *b, const char *const *key, const char *prefix)
{
	append(b, "ARRAY[");
	for (size_t k = 0; key[k] != NULL; k++)
		append(b, "%s%s%s::text", k > 0 ? ", " : "", prefix, key[k]);
	append(b, "]");
}

int store_record_delete_sql(const csperf_record_schema *schema, char *steps[3])
{
	const char *const *key = store_record_key(schema->type);
	buffer mark = { NULL, 0, 0, false }, drop = { NULL, 0, 0, false },
	       restore = { NULL, 0, 0, false };

	steps[0] = steps[1] = steps[2] = NULL;
	if (key == NULL)
		return -1;
	/* Deleting load $1. First note the records whose current version it
	 * holds (pg_temp.delete_keys: council, key as text[]), then delete its
	 * rows, then make the newest remaining version of each noted record
	 * current again. Three statements, so that the unique index on current
	 * rows never sees two at once. */
	append(&mark, "INSERT INTO pg_temp.delete_keys (council, key) SELECT council, ");
	key_array(&mark, key, "");
	append(&mark, " FROM rec_%s WHERE load_id = $1 AND is_current", schema->name);

	append(&drop, "DELETE FROM rec_%s WHERE load_id = $1", schema->name);

	append(&restore, "UPDATE rec_%s r SET is_current = true FROM (SELECT x.council", schema->name);
	for (size_t k = 0; key[k] != NULL; k++)
		append(&restore, ", x.%s", key[k]);
	append(&restore, ", max(x.load_id) AS load_id FROM rec_%s x JOIN pg_temp.delete_keys d "
	       "ON d.council = x.council AND d.key = ", schema->name);
	key_array(&restore, key, "x.");
	append(&restore, " GROUP BY x.council");
	for (size_t k = 0; key[k] != NULL; k++)
		append(&restore, ", x.%s", key[k]);
	append(&restore, ") best WHERE r.council = best.council AND r.load_id = best.load_id");
	for (size_t k = 0; key[k] != NULL; k++)
		append(&restore, " AND r.%s = best.%s", key[k], key[k]);

	if (mark.failed || drop.failed || restore.failed) {
		free(mark.text);
		free(drop.text);
		free(restore.text);
		return -1;
	}
	steps[0] = mark.text;
	steps[1] = drop.text;
	steps[2] = restore.text;
	return 0;
}

char *store_record_fill_sql(const csperf_record_schema *schema)
{
	const char *const *key = store_record_key(schema->type);
	buffer b = { NULL, 0, 0, false };
	bool first = true;

	/* A child is described by several returns (SSDA903's header has no
	 * disabilities, the CIN census has no UASC date...): what a later
	 * version leaves absent, the current one still knows. Other records
	 * are whole statements of a return and replace each other whole. */
	if (key == NULL || schema->type != CSPERF_RECORD_CHILD)
		return NULL;
	append(&b, "UPDATE rec_%s new SET ", schema->name);
	for (size_t f = 0; f < schema->nfields; f++) {
		bool is_key = false;

		for (size_t k = 0; key[k] != NULL; k++)
			is_key |= strcmp(key[k], schema->fields[f].name) == 0;
		if (is_key)
			continue;
		append(&b, "%s%s = coalesce(new.%s, old.%s)", first ? "" : ", ",
		       schema->fields[f].name, schema->fields[f].name, schema->fields[f].name);
		first = false;
	}
	append(&b, " FROM rec_%s old WHERE new.load_id = $1 AND old.is_current AND "
	       "old.council = new.council", schema->name);
	for (size_t k = 0; key[k] != NULL; k++)
		append(&b, " AND old.%s = new.%s", key[k], key[k]);
	return b.failed ? NULL : b.text;
}
