/*
 * common/schema.h: the schema of every record type, and record validation.
 *
 * The schema is csperf's single source of truth about records: the client's
 * readers produce values in the order of its fields, the server copies them
 * into staging tables whose columns are its field names and validates them
 * again with csperf_record_validate, and docs/formats.md documents it (a unit
 * test keeps the two in step). Field names are stable snake_case SQL
 * identifiers; fields are only ever added at the end of a type.
 *
 * Values are strings in csperf form; "" (or NULL) is absent:
 *   text          any UTF-8 without control characters, at most max_length
 *                 characters
 *   date          "YYYY-MM-DD"
 *   partial_date  "YYYY-MM-DD", "YYYY-MM" or "YYYY", for dates that SSDA903
 *                 allows to be known only in part
 *   code          one code of the field's list, exactly as the list spells it
 *   codes         codes of the field's list separated by single spaces, each
 *                 at most once ("1C 2A 4B")
 *   int           a whole number, "-"? then digits, no leading "+"
 *   decimal       a plain decimal number: "-"? digits, optionally "." and up
 *                 to 6 more digits ("1234.56"); no thousands separators
 *   bool          "true" or "false"
 */
#ifndef CSPERF_COMMON_SCHEMA_H
#define CSPERF_COMMON_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "csperf/records.h"

/* What a field holds; see the top of this file for the form of each. */
typedef enum csperf_field_kind {
	CSPERF_FIELD_TEXT = 1,
	CSPERF_FIELD_DATE,
	CSPERF_FIELD_PARTIAL_DATE,
	CSPERF_FIELD_CODE,
	CSPERF_FIELD_CODES,
	CSPERF_FIELD_INT,
	CSPERF_FIELD_DECIMAL,
	CSPERF_FIELD_BOOL
} csperf_field_kind;

/* An official list of codes. */
typedef struct csperf_code_list {
	const char *name;          /* what the codes are, for messages: "legal status" */
	const char *const *codes;  /* the codes, NULL-terminated */
} csperf_code_list;

/* One field of a record type. */
typedef struct csperf_field {
	const char *name;                /* snake_case, a valid SQL identifier */
	csperf_field_kind kind;
	bool required;                   /* "" is not allowed */
	const csperf_code_list *codes;   /* for code and codes fields; else NULL */
	size_t max_length;               /* in characters, for text and codes; 0 for none */
	bool has_range;                  /* int and decimal: min_value..max_value apply */
	double min_value;
	double max_value;
	const char *doc;                 /* one line saying what the field means */
	int since;                       /* the record schema version that added it
	                                  * (CSPERF_RECORD_SCHEMA_VERSION); 0 for 1 */
} csperf_field;

/* Cross-field checks of a record type. */
typedef enum csperf_rule_kind {
	/* `field` (a date) must not be before `other_field` (a date). */
	CSPERF_RULE_NOT_BEFORE = 1,
	/* `field` or `other_field` must be given. */
	CSPERF_RULE_ONE_OF_REQUIRED,
	/* check(value of field, value of other_field) must return NULL; it
	 * returns a short explanation when the two do not go together. */
	CSPERF_RULE_CONSISTENT
} csperf_rule_kind;

typedef struct csperf_field_rule {
	csperf_rule_kind kind;
	const char *field;        /* the field reported at fault */
	const char *other_field;  /* the field it is checked against */
	const char *(*check)(const char *value, const char *other_value);
} csperf_field_rule;

/* The schema of one record type. */
typedef struct csperf_record_schema {
	csperf_record_type type;
	const char *name;                /* csperf_record_type_name(type) */
	size_t nfields;
	const csperf_field *fields;
	size_t nrules;
	const csperf_field_rule *rules;
	const char *doc;                 /* one line saying what a record is */
} csperf_record_schema;

/* The schema of a record type; NULL for an unknown type. */
const csperf_record_schema *csperf_schema_by_type(csperf_record_type type);

/* The schema of the record type named `name` ("la_episode"); NULL if none. */
const csperf_record_schema *csperf_schema_by_name(const char *name);

/* The index of the field named `name` in `schema`, or -1 if it has none. */
int csperf_schema_field_index(const csperf_record_schema *schema,
	const char *name);

/* The name of a field kind, as docs/formats.md writes it ("date"). */
const char *csperf_field_kind_name(csperf_field_kind kind);

/* Whether `code` is in `list`. */
bool csperf_code_list_contains(const csperf_code_list *list, const char *code);

/* Why a record was found invalid. */
typedef enum csperf_validation_code {
	CSPERF_VALIDATION_OK = 0,
	CSPERF_VALIDATION_COUNT,         /* not one value per field */
	CSPERF_VALIDATION_REQUIRED,      /* a required value is absent */
	CSPERF_VALIDATION_TEXT,          /* not UTF-8, or a control character */
	CSPERF_VALIDATION_LENGTH,        /* longer than the field's max_length */
	CSPERF_VALIDATION_DATE,          /* not a date */
	CSPERF_VALIDATION_CODE,          /* not a code of the field's list */
	CSPERF_VALIDATION_INT,           /* not a whole number */
	CSPERF_VALIDATION_DECIMAL,       /* not a decimal number */
	CSPERF_VALIDATION_BOOL,          /* not true or false */
	CSPERF_VALIDATION_RANGE,         /* a number outside the field's range */
	CSPERF_VALIDATION_BEFORE,        /* a date before the date it must follow */
	CSPERF_VALIDATION_ONE_OF,        /* neither of two fields is given */
	CSPERF_VALIDATION_INCONSISTENT,  /* two values that do not go together */
	CSPERF_VALIDATION_DUPLICATE      /* a codes value with a code twice */
} csperf_validation_code;

/* The detail of a validation failure. Strings are NUL-terminated and cut
 * short if too long. */
typedef struct csperf_validation_error {
	csperf_validation_code code;
	int field;               /* index of the field at fault; -1 for the record */
	int other_field;         /* the field it was checked against; -1 if none */
	char value[128];         /* the value at fault, as given */
	char other_value[128];   /* the other field's value, as given */
	char detail[64];         /* the offending code of a codes value, or the
	                          * explanation of an inconsistency */
	char reason[256];        /* in plain words, naming fields by their schema
	                          * names: "end_date 2017-01-01 is before
	                          * start_date 2017-03-03" */
} csperf_validation_error;

/* Checks one record: the number of values, then each value in field order
 * (required, kind, codes, length, range), then the schema's cross-field rules.
 * Returns 0 if the record is valid, or -1 and fills *err (if not NULL) with
 * the first fault found. values[i] may be NULL for absent. Pure: no
 * allocation, no global state. */
int csperf_record_validate(const csperf_record_schema *schema,
	const char *const *values, size_t nvalues, csperf_validation_error *err);

/* Writes the reason of `err` in plain words into buf (NUL-terminated, cut
 * short to fit), naming the fields as `field_names` does (one per schema
 * field, e.g. the source file's column names; NULL, or a NULL entry, for the
 * schema's own name). This is how err->reason itself is written, with the
 * schema's names. Returns the length the full text needs, as snprintf does. */
size_t csperf_validation_describe(const csperf_record_schema *schema,
	const csperf_validation_error *err, const char *const *field_names,
	char *buf, size_t size);

#endif
