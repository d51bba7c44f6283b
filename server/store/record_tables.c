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
 * writes (new tables, or new columns and the view again); migration 0009,
 * which partitioned every table by council, holds what
 * store_record_partition_ddl writes. A unit test keeps the migrations and the
 * schema the same.
 *
 * A load COPYs each type straight into its council's partition when the
 * council has no current record of the type (its first load of it): the
 * unique index on current rows then finds any two records of the load with
 * one key. Otherwise the load holds the type's records in a temporary table
 * of the same columns and merges them in set-based steps: the current
 * versions of the records it brings again stop being current (only those
 * rows are touched), then its rows go in, current at once.
 */
#include "record_tables.h"
#include "../strbuf.h"

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

static void key_list(strbuf *b, const char *const *key, const char *prefix)
{
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(b, "%s%s%s", k > 0 ? ", " : "", prefix, key[k]);
}

/* The schema version that added a field (fields of the first schema say 0). */
static int field_since(const csperf_field *field)
{
	return field->since > 1 ? field->since : 1;
}

/* The columns of a type's table as `schema_version` has it. */
static void table_columns(strbuf *b, const csperf_record_schema *schema, int schema_version,
			  bool load_reference)
{
	strbuf_add(b, "    load_id bigint NOT NULL%s,\n", load_reference ? " REFERENCES load (id)" : "");
	strbuf_add(b, "    council text NOT NULL,\n");
	strbuf_add(b, "    record_no bigint NOT NULL,\n");
	strbuf_add(b, "    is_current boolean NOT NULL");
	for (size_t f = 0; f < schema->nfields; f++)
		if (field_since(&schema->fields[f]) <= schema_version)
			strbuf_add(b, ",\n    %s %s%s", schema->fields[f].name,
			       store_sql_type(schema->fields[f].kind),
			       schema->fields[f].required ? " NOT NULL" : "");
}

static void table_indexes(strbuf *b, const csperf_record_schema *schema, const char *const *key)
{
	strbuf_add(b, "CREATE UNIQUE INDEX rec_%s_current ON rec_%s (council, ", schema->name,
	       schema->name);
	key_list(b, key, "");
	strbuf_add(b, ") WHERE is_current;\n");
	strbuf_add(b, "CREATE INDEX rec_%s_load ON rec_%s (load_id);\n", schema->name, schema->name);
}

static void view_columns(strbuf *b, const csperf_record_schema *schema, int schema_version)
{
	strbuf_add(b, "    SELECT council, load_id");
	for (size_t f = 0; f < schema->nfields; f++)
		if (field_since(&schema->fields[f]) <= schema_version)
			strbuf_add(b, ", %s", schema->fields[f].name);
	strbuf_add(b, "\n    FROM rec_%s WHERE is_current;\n", schema->name);
}

/* The table and view of a type as `schema_version` has it. Up to
 * STORE_LAST_UNPARTITIONED_VERSION a plain table whose load_id references
 * load (as migration 0002 made them); later, partitioned by council like the
 * tables migration 0009 converted, each existing council given its
 * partition at once. */
static void create_table(strbuf *b, const csperf_record_schema *schema, const char *const *key,
			 int schema_version)
{
	bool partitioned = schema_version > STORE_LAST_UNPARTITIONED_VERSION;

	strbuf_add(b, "-- %s: %s\n", schema->name, schema->doc);
	strbuf_add(b, "CREATE TABLE rec_%s (\n", schema->name);
	table_columns(b, schema, schema_version, !partitioned);
	strbuf_add(b, "\n)%s;\n", partitioned ? " PARTITION BY LIST (council)" : "");
	table_indexes(b, schema, key);
	strbuf_add(b, "CREATE VIEW %s AS\n", schema->name);
	view_columns(b, schema, schema_version);
	if (partitioned)
		strbuf_add(b, "SELECT csperf_council_partitions(la_code) FROM council ORDER BY la_code;\n");
	strbuf_add(b, "\n");
}

/* Fields added to an existing type: new columns (absent in the rows already
 * stored, so never NOT NULL), and the view again with them at its end, which
 * CREATE OR REPLACE VIEW allows. */
static void add_columns(strbuf *b, const csperf_record_schema *schema, int schema_version)
{
	strbuf_add(b, "-- %s: the fields of record schema version %d\n", schema->name, schema_version);
	for (size_t f = 0; f < schema->nfields; f++)
		if (field_since(&schema->fields[f]) == schema_version)
			strbuf_add(b, "ALTER TABLE rec_%s ADD COLUMN %s %s;\n", schema->name,
			       schema->fields[f].name, store_sql_type(schema->fields[f].kind));
	strbuf_add(b, "CREATE OR REPLACE VIEW %s AS\n", schema->name);
	view_columns(b, schema, schema_version);
	strbuf_add(b, "\n");
}

char *store_record_tables_ddl(int schema_version)
{
	strbuf b = STRBUF_INIT;

	strbuf_add(&b, "%s", "");
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

char *store_record_partition_ddl(void)
{
	const int version = STORE_LAST_UNPARTITIONED_VERSION;
	strbuf b = STRBUF_INIT;

	/* 1. Each table steps aside (with its indexes, whose names the new ones
	 * take) for a partitioned one with the same columns and no foreign key. */
	strbuf_add(&b, "%s", "");
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);

		if (schema == NULL || schema->nfields == 0 ||
		    field_since(&schema->fields[0]) > version)
			continue;
		strbuf_add(&b, "-- %s\n", schema->name);
		strbuf_add(&b, "ALTER TABLE rec_%s RENAME TO rec_%s_unpartitioned;\n", schema->name,
		       schema->name);
		strbuf_add(&b, "ALTER INDEX rec_%s_current RENAME TO rec_%s_unpartitioned_current;\n",
		       schema->name, schema->name);
		strbuf_add(&b, "ALTER INDEX rec_%s_load RENAME TO rec_%s_unpartitioned_load;\n",
		       schema->name, schema->name);
		strbuf_add(&b, "CREATE TABLE rec_%s (\n", schema->name);
		table_columns(&b, schema, version, false);
		strbuf_add(&b, "\n) PARTITION BY LIST (council);\n\n");
	}
	/* 2. Every council gets its partitions. */
	strbuf_add(&b, "SELECT csperf_council_partitions(la_code) FROM council ORDER BY la_code;\n\n");
	/* 3. The rows move, the views read the new tables, the old tables go,
	 * and the indexes are built over the moved rows (once, not row by row). */
	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		const char *const *key = store_record_key((csperf_record_type)t);
		strbuf columns = STRBUF_INIT;

		if (schema == NULL || key == NULL || schema->nfields == 0 ||
		    field_since(&schema->fields[0]) > version)
			continue;
		strbuf_add(&columns, "load_id, council, record_no, is_current");
		for (size_t f = 0; f < schema->nfields; f++)
			if (field_since(&schema->fields[f]) <= version)
				strbuf_add(&columns, ", %s", schema->fields[f].name);
		if (columns.failed) {
			free(b.text);
			return NULL;
		}
		strbuf_add(&b, "-- %s\n", schema->name);
		strbuf_add(&b, "INSERT INTO rec_%s (%s)\n    SELECT %s FROM rec_%s_unpartitioned;\n",
		       schema->name, columns.text, columns.text, schema->name);
		free(columns.text);
		strbuf_add(&b, "CREATE OR REPLACE VIEW %s AS\n", schema->name);
		view_columns(&b, schema, version);
		strbuf_add(&b, "DROP TABLE rec_%s_unpartitioned;\n", schema->name);
		table_indexes(&b, schema, key);
		strbuf_add(&b, "\n");
	}
	return b.failed ? NULL : b.text;
}

/* Versions of a child complete each other: a child is described by several
 * returns (SSDA903's header has no disabilities, the CIN census has no UASC
 * date...), so what a later version leaves absent, the one it replaces still
 * knows. Other records are whole statements of a return and replace each
 * other whole. */
static bool completes_earlier(const csperf_record_schema *schema)
{
	return schema->type == CSPERF_RECORD_CHILD;
}

static bool is_key_field(const char *const *key, const char *name)
{
	for (size_t k = 0; key[k] != NULL; k++)
		if (strcmp(key[k], name) == 0)
			return true;
	return false;
}

/* " AND <table>.k = s.k" for each key field. */
static void key_matches_held(strbuf *b, const char *const *key, const char *table)
{
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(b, " AND %s.%s = s.%s", table, key[k], key[k]);
}

/* "load_id, council, record_no, is_current, <field>...": the columns a load
 * writes, in the order of its COPY rows. */
static void load_columns(strbuf *b, const csperf_record_schema *schema)
{
	strbuf_add(b, "load_id, council, record_no, is_current");
	for (size_t f = 0; f < schema->nfields; f++)
		strbuf_add(b, ", %s", schema->fields[f].name);
}

/* Three statements into steps: 0, or -1 (all freed) when one ran out of
 * memory. */
static int take_steps(strbuf *a, strbuf *b, strbuf *c, char *steps[3])
{
	if (a->failed || b->failed || c->failed) {
		free(a->text);
		free(b->text);
		free(c->text);
		return -1;
	}
	steps[0] = a->text;
	steps[1] = b->text;
	steps[2] = c->text;
	return 0;
}

char *store_record_copy_sql(const csperf_record_schema *schema, bool held)
{
	strbuf b = STRBUF_INIT;

	strbuf_add(&b, "COPY %srec_%s (", held ? "pg_temp.load_" : "", schema->name);
	load_columns(&b, schema);
	strbuf_add(&b, ") FROM STDIN");
	return b.failed ? NULL : b.text;
}

int store_record_hold_sql(const csperf_record_schema *schema, char *steps[3])
{
	strbuf make = STRBUF_INIT, move = STRBUF_INIT, drop = STRBUF_INIT;

	/* The held table has rec_T's columns in its order, without its unique
	 * index: two records of the load with one key may sit in it until the
	 * duplicates are found. The load's rows already in rec_T ($1 the load,
	 * $2 the council) move into it. */
	strbuf_add(&make, "CREATE TEMP TABLE load_rec_%s (LIKE rec_%s) ON COMMIT DROP",
		   schema->name, schema->name);
	strbuf_add(&move, "INSERT INTO pg_temp.load_rec_%s SELECT * FROM rec_%s "
		   "WHERE council = $2 AND load_id = $1", schema->name, schema->name);
	strbuf_add(&drop, "DELETE FROM rec_%s WHERE council = $2 AND load_id = $1", schema->name);
	return take_steps(&make, &move, &drop, steps);
}

char *store_record_previous_sql(const csperf_record_schema *schema)
{
	strbuf b = STRBUF_INIT;

	if (!completes_earlier(schema))
		return NULL;
	strbuf_add(&b, "CREATE TEMP TABLE load_previous_%s (LIKE rec_%s) ON COMMIT DROP",
	       schema->name, schema->name);
	return b.failed ? NULL : b.text;
}

char *store_record_supersede_sql(const csperf_record_schema *schema)
{
	const char *const *key = store_record_key(schema->type);
	strbuf b = STRBUF_INIT;

	if (key == NULL)
		return NULL;
	/* The current versions of the records this load brings again stop being
	 * current ($1 the council): one join of the held rows with the
	 * council's partition, touching only the rows replaced. */
	if (completes_earlier(schema))
		strbuf_add(&b, "WITH superseded AS (");
	strbuf_add(&b, "UPDATE rec_%s old SET is_current = false FROM pg_temp.load_rec_%s s "
	       "WHERE old.council = $1 AND old.is_current", schema->name, schema->name);
	key_matches_held(&b, key, "old");
	if (completes_earlier(schema))
		strbuf_add(&b, " RETURNING old.*) INSERT INTO pg_temp.load_previous_%s "
		       "SELECT * FROM superseded", schema->name);
	return b.failed ? NULL : b.text;
}

char *store_record_insert_sql(const csperf_record_schema *schema)
{
	const char *const *key = store_record_key(schema->type);
	bool fill = completes_earlier(schema);
	strbuf b = STRBUF_INIT;

	if (key == NULL)
		return NULL;
	/* The held rows, current at once: what they replace has stopped being
	 * current already. */
	strbuf_add(&b, "INSERT INTO rec_%s (", schema->name);
	load_columns(&b, schema);
	strbuf_add(&b, ")\nSELECT s.load_id, s.council, s.record_no, true");
	for (size_t f = 0; f < schema->nfields; f++) {
		const char *name = schema->fields[f].name;

		if (fill && !is_key_field(key, name))
			strbuf_add(&b, ", coalesce(s.%s, p.%s)", name, name);
		else
			strbuf_add(&b, ", s.%s", name);
	}
	strbuf_add(&b, "\nFROM pg_temp.load_rec_%s s", schema->name);
	if (fill) {
		strbuf_add(&b, " LEFT JOIN pg_temp.load_previous_%s p ON true", schema->name);
		key_matches_held(&b, key, "p");
	}
	return b.failed ? NULL : b.text;
}

char *store_record_duplicates_sql(const csperf_record_schema *schema)
{
	const char *const *key = store_record_key(schema->type);
	strbuf b = STRBUF_INIT;

	if (key == NULL)
		return NULL;
	/* Two held records with the same key (compared as the unique index
	 * compares them, typed): the later ones are rejected, each naming the
	 * first, with the file and line of both from pg_temp.load_lines. */
	strbuf_add(&b, "SELECT d.record_no, l.file, l.line, d.first_record, f.file, f.line FROM ("
	       "SELECT record_no, first_value(record_no) OVER w AS first_record "
	       "FROM pg_temp.load_rec_%s WINDOW w AS (PARTITION BY ", schema->name);
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(&b, "%s%s", k > 0 ? ", " : "", key[k]);
	strbuf_add(&b, " ORDER BY record_no)) d "
	       "JOIN pg_temp.load_lines l ON l.record_no = d.record_no "
	       "JOIN pg_temp.load_lines f ON f.record_no = d.first_record "
	       "WHERE d.record_no <> d.first_record ORDER BY d.record_no");
	return b.failed ? NULL : b.text;
}

static void key_array(strbuf *b, const char *const *key, const char *prefix)
{
	strbuf_add(b, "ARRAY[");
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(b, "%s%s%s::text", k > 0 ? ", " : "", prefix, key[k]);
	strbuf_add(b, "]");
}

int store_record_delete_sql(const csperf_record_schema *schema, char *steps[3])
{
	const char *const *key = store_record_key(schema->type);
	strbuf mark = STRBUF_INIT, drop = STRBUF_INIT,
	       restore = STRBUF_INIT;

	steps[0] = steps[1] = steps[2] = NULL;
	if (key == NULL)
		return -1;
	/* Deleting load $1 of council $2 (the last statement: council $1).
	 * First note the records whose current version it
	 * holds (pg_temp.delete_keys: council, key as text[]), then delete its
	 * rows, then make the newest remaining version of each noted record
	 * current again. Three statements, so that the unique index on current
	 * rows never sees two at once. */
	strbuf_add(&mark, "INSERT INTO pg_temp.delete_keys (council, key) SELECT council, ");
	key_array(&mark, key, "");
	strbuf_add(&mark, " FROM rec_%s WHERE council = $2 AND load_id = $1 AND is_current",
	       schema->name);

	strbuf_add(&drop, "DELETE FROM rec_%s WHERE council = $2 AND load_id = $1", schema->name);

	strbuf_add(&restore, "UPDATE rec_%s r SET is_current = true FROM (SELECT x.council", schema->name);
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(&restore, ", x.%s", key[k]);
	strbuf_add(&restore, ", max(x.load_id) AS load_id FROM rec_%s x JOIN pg_temp.delete_keys d "
	       "ON d.council = x.council AND d.key = ", schema->name);
	key_array(&restore, key, "x.");
	strbuf_add(&restore, " WHERE x.council = $1 GROUP BY x.council");
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(&restore, ", x.%s", key[k]);
	strbuf_add(&restore, ") best WHERE r.council = $1 AND r.council = best.council "
	       "AND r.load_id = best.load_id");
	for (size_t k = 0; key[k] != NULL; k++)
		strbuf_add(&restore, " AND r.%s = best.%s", key[k], key[k]);

	return take_steps(&mark, &drop, &restore, steps);
}
