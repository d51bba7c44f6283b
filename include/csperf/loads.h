/*
 * csperf/loads.h: loading journey records into csperfd, and the loads that
 * exist.
 *
 * A load streams records to csperfd in one call: begin it, add records (each
 * a type and one value per field of the type's schema, see docs/formats.md),
 * and finish it to get its summary. csperfd validates every record; by
 * default any rejection means nothing is stored. Sending a load whose
 * idempotency key the council has stored before stores nothing more and
 * returns the first summary.
 */
#ifndef CSPERF_LOADS_H
#define CSPERF_LOADS_H

#include <stddef.h>
#include <stdint.h>

#include "csperf/csperf.h"
#include "csperf/records.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A load in progress. Opaque. */
typedef struct csperf_load csperf_load;

#define CSPERF_LOAD_OPTIONS_VERSION 1

/* Loads may take a while: their deadline is an hour unless set. */
#define CSPERF_LOAD_DEFAULT_TIMEOUT_MS (60 * 60 * 1000)

typedef struct csperf_load_options {
	unsigned int version;         /* CSPERF_LOAD_OPTIONS_VERSION */
	const char *council;          /* the council's LA code, e.g. "975"; required */
	const char *source;           /* "ssda903", "cin-xml" or "csv"; required */
	const char *label;            /* for people, e.g. "SSDA903 2018-19"; may be NULL */
	const char *idempotency_key;  /* required: the same key stores nothing twice */
	int accept_valid;             /* non-zero: store the valid records, report the rest */
	const char *council_name;     /* for a council new to csperfd; NULL: "LA <code>" */
	const char *council_nation;   /* likewise: "england" (default) or "wales" */
	int64_t timeout_ms;           /* the whole load's deadline; 0: an hour */
} csperf_load_options;

#define CSPERF_LOAD_OPTIONS_INIT { CSPERF_LOAD_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0 }

/* One record to load. */
typedef struct csperf_record {
	csperf_record_type type;
	size_t nvalues;               /* the type's number of fields */
	const char *const *values;    /* in the schema's order; "" or NULL absent */
	const char *file;             /* the file it came from, or NULL */
	unsigned long line;           /* its line in that file, or 0 */
	/* The names the file gives the fields (e.g. "DECOM"), so that rejections
	 * use them; NULL for the schema's names. Sent once per file and type. */
	const char *const *source_fields;
} csperf_record;

/* Starts a load. *out is the caller's: finish it with csperf_load_finish,
 * and free it with csperf_load_free in any case. */
int csperf_load_begin(csperf_client *client, const csperf_load_options *opts,
		      csperf_load **out);

/* Adds one record. Records are sent in batches as they are added, so memory
 * stays bounded. The record is copied: its strings may be reused at once.
 * A failure here (the server ended the call early) is also what
 * csperf_load_finish reports, with the server's reason. */
int csperf_load_add(csperf_load *load, const csperf_record *record);

/* How many records were added so far. */
uint64_t csperf_load_count(const csperf_load *load);

/* Counts of one record type in a load. */
typedef struct csperf_type_count {
	const char *type;             /* "la_episode" */
	uint64_t accepted;
	uint64_t rejected;
} csperf_type_count;

/* Why one record was rejected. */
typedef struct csperf_rejection {
	uint64_t record_number;       /* 1 is the load's first record */
	const char *file;             /* the file's name, "" if not known */
	uint64_t line;                /* 0 if not known */
	const char *type;             /* "la_episode" */
	const char *field;            /* as the file names it; "" for the record */
	const char *value;            /* the value at fault, as given */
	const char *reason;           /* in words: "DECOM 31/02/2018 is not a date" */
} csperf_rejection;

/* Where a stored load's figures stand. */
typedef enum csperf_figures_state {
	CSPERF_FIGURES_UNKNOWN = 0,
	CSPERF_FIGURES_COMPUTED = 1,   /* the figures account for the load */
	CSPERF_FIGURES_COMPUTING = 2   /* stored; csperfd finishes the figures in the background */
} csperf_figures_state;

/* What a load did. All strings belong to the summary. */
typedef struct csperf_load_summary {
	int64_t load_id;              /* 0 when nothing was stored */
	const char *council;
	const char *source;
	const char *label;
	const char *idempotency_key;
	const char *created_at;       /* RFC 3339, UTC */
	int stored;                   /* non-zero: the records (or the valid ones) are stored */
	int replayed;                 /* non-zero: the key was stored before; this is that load */
	int accept_valid;
	uint64_t accepted;
	uint64_t rejected;
	size_t ncounts;
	const csperf_type_count *counts;
	uint64_t rejections_total;    /* every rejection ... */
	size_t nrejections;           /* ... of which the first ones are listed */
	const csperf_rejection *rejections;
	void *internal;               /* the SDK's; do not touch */
	/* Whether the council's figures account for the load (LoadRecords and
	 * its replays; CSPERF_FIGURES_UNKNOWN when nothing was stored, in a
	 * list, or from an older csperfd). */
	csperf_figures_state figures;
} csperf_load_summary;

/* Ends the stream and waits for csperfd's summary. *out is the caller's,
 * freed with csperf_load_summary_free. A load with rejections that stored
 * nothing is not a failure of this call: see summary->stored. */
int csperf_load_finish(csperf_load *load, csperf_load_summary **out);

/* Frees a load; one not finished is cancelled (csperfd stores nothing of
 * it). Accepts NULL. */
void csperf_load_free(csperf_load *load);

void csperf_load_summary_free(csperf_load_summary *summary);

/* The loads of a council, newest first. */
typedef struct csperf_load_list {
	size_t count;
	csperf_load_summary *loads;   /* without their rejections */
	void *internal;               /* the SDK's; do not touch */
} csperf_load_list;

/* Lists up to limit (0: 100) loads of the council. *out is the caller's,
 * freed with csperf_load_list_free. */
int csperf_load_list_get(csperf_client *client, const char *council, unsigned int limit,
			 csperf_load_list **out);

void csperf_load_list_free(csperf_load_list *list);

/* Deletes one load: exactly its rows go, and the earlier versions of records
 * it had replaced become current again. rows_deleted and rows_restored may
 * be NULL. CSPERF_ENOTFOUND if the council has no such load. */
int csperf_load_delete(csperf_client *client, const char *council, int64_t load_id,
		       uint64_t *rows_deleted, uint64_t *rows_restored);

#ifdef __cplusplus
}
#endif

#endif
