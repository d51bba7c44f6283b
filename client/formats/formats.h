/*
 * client/formats/formats.h: reading council extracts into csperf records, and
 * writing csperf CSV.
 *
 * Three readers, one per kind of file a council has:
 *   - formats_read_ssda903: one table of an SSDA903 (children looked after)
 *     return, as CSV;
 *   - formats_read_cin_xml: a CIN census return, as XML (schemas 2021 to 2026);
 *   - formats_read_csperf_csv: csperf's own CSV, one record type a file, whose
 *     columns are the schema's field names (docs/formats.md).
 * Each streams its file, keeping memory bounded whatever the file's size, and
 * calls back once per record, in file order, with the record's values in
 * csperf form in schema order. Readers do not validate: call
 * formats_record_validate (or csperf_record_validate) on each record.
 *
 * Two writers make files for tests and synthetic data: csperf CSV, and the
 * tables of an SSDA903 return.
 *
 * A reader returns 0 when it has read the whole file, the callback's non-zero
 * value when the callback stopped it, or a negative FORMATS_E* code with *err
 * filled. A failure is about the whole file (it cannot be read, it is not CSV
 * or XML, a column is missing): records already passed to the callback come
 * from a file that turned out to be broken, and should be discarded.
 */
#ifndef CSPERF_FORMATS_H
#define CSPERF_FORMATS_H

#include <stddef.h>

#include "csperf/records.h"

/* Return codes. Callbacks should stop a reader with a positive value, which
 * cannot be mistaken for one of these. */
#define FORMATS_OK 0
#define FORMATS_EIO (-1)       /* the file cannot be opened, read or written */
#define FORMATS_EFORMAT (-2)   /* not well-formed CSV or XML, or a bad header */
#define FORMATS_EUNKNOWN (-3)  /* not a kind of file or table this reader knows */
#define FORMATS_ENOMEM (-4)    /* out of memory */
#define FORMATS_EINVALID (-5)  /* a bad argument or option */
#define FORMATS_EREJECTED (-6) /* formats_record_validate: the record is invalid */

/* A short fixed description of a FORMATS_E* code; never NULL. */
const char *formats_strerror(int code);

/* One record read from a file. Everything it points to is the reader's,
 * valid only during the callback. */
typedef struct formats_record {
	csperf_record_type type;
	const char *file;               /* the path the reader was given */
	unsigned long line;             /* physical line where the record starts */
	size_t nvalues;                 /* the schema's number of fields */
	const char *const *values;      /* one per schema field, csperf form, "" absent */
	/* the name of each value's column or element in the source file, for
	 * messages; NULL when none (a value the reader supplied itself) */
	const char *const *source_fields;
} formats_record;

/* Called once per record; non-zero stops reading and is returned. */
typedef int (*formats_record_cb)(const formats_record *rec, void *ctx);

/* What went wrong, and where. Strings are NUL-terminated, cut short if too
 * long; "" and 0 when they do not apply. */
typedef struct formats_error {
	char file[256];
	unsigned long line;   /* 1 is the first line */
	char field[64];       /* the column or element at fault */
	char value[128];      /* its value, as given */
	char message[256];    /* in plain words, without file and line:
	                       * "DECOM 31/02/2018 is not a date" */
} formats_error;

#define FORMATS_SSDA903_OPTIONS_VERSION 1

typedef struct formats_ssda903_options {
	unsigned int version;  /* FORMATS_SSDA903_OPTIONS_VERSION */
	/* The collection year, named by the year of the 31 March that ends it:
	 * 2018 for April 2017 to March 2018. OC2 (oc2.csv) and OC3 (oc3.csv)
	 * describe a child at the end of the collection year without saying
	 * which, so their records take that 31 March as their as_at_date; those
	 * two tables are refused (FORMATS_EINVALID) when this is 0. */
	int collection_year;
} formats_ssda903_options;

#define FORMATS_SSDA903_OPTIONS_INIT { FORMATS_SSDA903_OPTIONS_VERSION, 0 }

/* Reads one SSDA903 table: header, episodes, reviews, oc2, oc3, ad1,
 * placed_for_adoption, missing, previous_permanence or uasc. The table is
 * recognised by its header row, not its file name; columns may come in any
 * order, unknown ones are ignored, and a missing one that csperf loads is an
 * error (line 1, naming the column). A leading UTF-8 byte order mark is
 * skipped, rows whose fields are all empty are skipped, and short rows read
 * as if the missing fields were empty. Values are converted to csperf form
 * (dd/mm/YYYY dates to ISO, 0/1 flags to false/true, SEX 1/2 to M/F); one that
 * cannot be converted is passed on as given, for validation to refuse with the
 * text the council wrote. A table csperf does not load (sw_episodes, DoLo) is
 * FORMATS_EUNKNOWN. opts may be NULL for the defaults. */
int formats_read_ssda903(const char *path, const formats_ssda903_options *opts,
	formats_record_cb cb, void *ctx, formats_error *err);

/* Reads a CIN census XML file (schemas 2021 to 2026) and calls back with, per
 * Child, a child record, then per CINdetails its assessment, cin_plan, s47,
 * cp_review and cp_plan records as each ends, then its referral record. The
 * records of a CINdetails carry its CINreferralDate as referral_date, and a
 * cp_review its plan's CPPstartDate, so that they can be linked. Each record
 * has the line of its element (Child, CINdetails, Assessments, ...).
 * Elements csperf does not load (UPN, PreProceedingsandFGDM, ...) are
 * skipped. A malformed or truncated file is FORMATS_EFORMAT, with the line,
 * the parser's reason, and as field the element the parser names, if it
 * names one; a file whose root element is not Message is FORMATS_EUNKNOWN. */
int formats_read_cin_xml(const char *path, formats_record_cb cb, void *ctx,
	formats_error *err);

/* The ReferenceDate of a CIN census file's Header ("2024-03-31", the last
 * day of the census year), into out. Reads only the Header. Returns 0, or
 * -1 when the file cannot be read or has no ReferenceDate that is a date. */
int formats_cin_reference_date(const char *path, char out[11]);

/* Reads a csperf CSV file of one record type. `type` 0 infers it from the
 * file name (contact.csv or contacts.csv, any directory, any letter case) or
 * else from the header when exactly one type has all its columns. The header
 * row holds field names, in any order; an unknown or repeated column, or a
 * missing required one, is FORMATS_EFORMAT naming it, as is a row whose
 * number of fields differs from the header's. Absent optional columns read
 * as "". Values are passed on as written. */
int formats_read_csperf_csv(const char *path, csperf_record_type type,
	formats_record_cb cb, void *ctx, formats_error *err);

/* Validates a record that a reader passed to its callback. Returns 0 if it is
 * valid, or FORMATS_EREJECTED with *err saying which file, line, column (the
 * source file's name for it) and value, and why, in words that use the
 * source's column names: "DEC 2017-01-01 is before DECOM 2017-03-03". */
int formats_record_validate(const formats_record *rec, formats_error *err);

/* Writes csperf CSV: a header row of the schema's field names, then one row
 * per record, every field quoted (libcsv's csv_fwrite), CRLF line ends as
 * RFC 4180 has them. Opaque. */
typedef struct formats_csv_writer formats_csv_writer;

/* Creates (or truncates) the file at `path` and writes the header of `type`.
 * *out is the caller's, to be closed with formats_csv_writer_close. */
int formats_csv_writer_open(formats_csv_writer **out, const char *path,
	csperf_record_type type, formats_error *err);

/* Writes one record; `values` must have one entry per schema field (NULL is
 * written as ""). Values are written as given, not validated. */
int formats_csv_writer_write(formats_csv_writer *writer,
	const char *const *values, size_t nvalues, formats_error *err);

/* Flushes and closes the file and frees the writer, also when it returns an
 * error (FORMATS_EIO if anything written could not reach the file). Accepts
 * NULL. */
int formats_csv_writer_close(formats_csv_writer *writer, formats_error *err);

/* Writes one SSDA903 table, for test data: the table that holds records of
 * `type` (CSPERF_RECORD_CHILD writes the header table, CSPERF_RECORD_LA_EPISODE
 * episodes, and so on, as formats_read_ssda903 reads them), with the DfE's
 * columns in the DfE's order and values turned back into SSDA903 form: ISO
 * dates as dd/mm/YYYY (partial ones as ZZ/mm/YYYY and ZZ/ZZ/YYYY),
 * true/false as 1/0, sex as given (M, F, U, as from 2024-25). A value not in
 * csperf form is written as given. Columns csperf does not load (UPN, the DOB
 * most tables repeat) are left empty, and as_at_date is not written. Every
 * field is quoted; CRLF line ends. Opaque. */
typedef struct formats_ssda903_writer formats_ssda903_writer;

/* Creates (or truncates) the file at `path` and writes the table's header
 * row. FORMATS_EINVALID for a type no SSDA903 table holds. *out is the
 * caller's, to be closed with formats_ssda903_writer_close. */
int formats_ssda903_writer_open(formats_ssda903_writer **out, const char *path,
	csperf_record_type type, formats_error *err);

/* Writes one record; `values` must have one entry per schema field. */
int formats_ssda903_writer_write(formats_ssda903_writer *writer,
	const char *const *values, size_t nvalues, formats_error *err);

/* Flushes and closes the file and frees the writer, also when it returns an
 * error (FORMATS_EIO if anything written could not reach the file). Accepts
 * NULL. */
int formats_ssda903_writer_close(formats_ssda903_writer *writer,
	formats_error *err);

#endif
