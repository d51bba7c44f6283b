/*
 * record_tables.h: the storage of journey records, derived from the record
 * schema: each type's key, its table's DDL, and the SQL that merges a load
 * into it or takes a load out of it.
 */
#ifndef CSPERF_SERVER_RECORD_TABLES_H
#define CSPERF_SERVER_RECORD_TABLES_H

#include "schema.h"

/* The fields that identify one record of `type` within a council
 * (NULL-terminated), or NULL for an unknown type. */
const char *const *store_record_key(csperf_record_type type);

/* The PostgreSQL type of a field kind ("date", "integer", ...). */
const char *store_sql_type(csperf_field_kind kind);

/* The DDL that record schema version `schema_version` brought: for version
 * 1 every record table and view, as migration 0002 holds it; for a later
 * version the tables of types it added, and the columns it added to older
 * types with their views made again; "" when it changed no table (a later
 * version may change only what values are valid). The migration that brought
 * the version holds exactly this between "-- BEGIN csperf-schema-ddl" (and
 * " version N" after version 1) and "-- END csperf-schema-ddl". malloc'd;
 * NULL when out of memory. */
char *store_record_tables_ddl(int schema_version);

/* Statements over pg_temp.load_stage (record_no, type, file, line, v text[]);
 * $1 is the load id, $2 the council. Each is malloc'd, NULL when out of
 * memory or for an unknown type. */

/* Inserts the type's staged records as rows of load $1, not yet current. */
char *store_record_merge_sql(const csperf_record_schema *schema);

/* For record types whose versions complete each other (a child, described
 * by several returns): fills what load $1's rows leave absent from the
 * current version. NULL for the other types, whose versions replace each
 * other whole. */
char *store_record_fill_sql(const csperf_record_schema *schema);

/* Makes load $1's rows current and earlier versions of them not; returns one
 * row: (superseded, current). */
char *store_record_supersede_sql(const csperf_record_schema *schema);

/* Lists staged records whose key repeats an earlier staged record's:
 * (record_no, file, line, first_record, first_file, first_line). */
char *store_record_duplicates_sql(const csperf_record_schema *schema);

/* The three statements that take load $1 out of the type's table and make
 * the versions it superseded current again (see record_tables.c). */
int store_record_delete_sql(const csperf_record_schema *schema, char *steps[3]);

#endif
