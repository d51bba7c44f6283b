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

/* The last record schema version whose tables were made unpartitioned:
 * migration 0009 partitioned them by council, and tables of later versions
 * are made partitioned. */
#define STORE_LAST_UNPARTITIONED_VERSION 2

/* The DDL with which migration 0009 partitions every record table of
 * STORE_LAST_UNPARTITIONED_VERSION by council, held between
 * "-- BEGIN csperf-schema-ddl partitioning" and "-- END csperf-schema-ddl":
 * each table steps aside for a partitioned one with the same columns (and no
 * foreign key to load), every council gets its partitions
 * (csperf_council_partitions, which the migration defines first), the rows
 * move, the views are made again on the new tables, the old ones are dropped
 * and the indexes built. malloc'd; NULL when out of memory. */
char *store_record_partition_ddl(void);

/* A load writes each type's records by COPY rows of the columns "load_id,
 * council, record_no, is_current, <the schema's fields>" in text format: into
 * rec_<type> itself (the council's partition: its first load of the type), or
 * `held` into pg_temp.load_rec_<type>, a table of rec_<type>'s columns
 * without its unique index, merged at the load's end. Each is malloc'd, NULL
 * when out of memory. */
char *store_record_copy_sql(const csperf_record_schema *schema, bool held);

/* The three statements that start holding a type part way through a load
 * (the unique index met two records with one key): create
 * pg_temp.load_rec_<type>, move the load's rows already in rec_<type> into
 * it, delete them there. $1 the load id, $2 the council (the first takes
 * none). Each is the caller's (free); -1 when out of memory. */
int store_record_hold_sql(const csperf_record_schema *schema, char *steps[3]);

/* A held type merges in at most three statements: the temporary table of
 * store_record_previous_sql (for types whose versions complete each other;
 * NULL for the others), store_record_supersede_sql (skipped when the council
 * has no current rows of the type), store_record_insert_sql. */

/* Creates pg_temp.load_previous_<type>, where the superseding statement keeps
 * the versions it replaced, for the insert to complete the new versions from
 * (a child, described by several returns); NULL for types whose versions
 * replace each other whole. */
char *store_record_previous_sql(const csperf_record_schema *schema);

/* Makes the current versions of the held records of council $1 not current;
 * its command count says how many. */
char *store_record_supersede_sql(const csperf_record_schema *schema);

/* Inserts the type's held records, current. */
char *store_record_insert_sql(const csperf_record_schema *schema);

/* Lists held records whose key repeats an earlier held record's:
 * (record_no, file, line, first_record, first_file, first_line), the places
 * from pg_temp.load_lines (record_no, file, line). */
char *store_record_duplicates_sql(const csperf_record_schema *schema);

/* The three statements that take load $1 of council $2 out of the type's
 * table and make the versions it superseded current again (see
 * record_tables.c); the third takes the council alone, as $1. */
int store_record_delete_sql(const csperf_record_schema *schema, char *steps[3]);

#endif
