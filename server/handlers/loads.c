/*
 * loads.c: LoadRecords, ListLoads and DeleteLoad.
 *
 * LoadRecords never trusts its client: every record is validated again here
 * with the same schema the client's readers use, and rejections name the
 * file, line and field as the file does (the client sends the file's field
 * names once per file and type). Records stream into the store as they come,
 * so memory is bounded by one batch, whatever the size of the load.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "../quality.h"
#include "access.h"
#include "../compute.h"
#include "../log.h"
#include "schema.h"

#include "csperf/v1/records.pb-c.h"

/* Rejections listed in a summary; the total is always counted. */
#define MAX_REJECTIONS_LISTED 1000
/* Files one load may name. */
#define MAX_FILES 4096
#define MAX_LIST_LIMIT 1000

typedef Csperf__V1__LoadRecordsRequest LoadRequest;
typedef Csperf__V1__LoadSummary LoadSummary;
typedef Csperf__V1__Rejection Rejection;
typedef Csperf__V1__TypeCount TypeCount;

/* The names a file gives one type's fields. */
typedef struct field_names {
	uint32_t file;
	int type;
	size_t count;
	char **names;
	struct field_names *next;
} field_names;

typedef struct load_state {
	Csperf__V1__LoadHeader *header;
	char **files;                 /* by SourceFile index */
	size_t nfiles;
	field_names *names;
	uint64_t record_no;
	uint64_t accepted[CSPERF_RECORD_TYPE_LAST + 1];
	uint64_t rejected[CSPERF_RECORD_TYPE_LAST + 1];
	uint64_t unknown_type_rejected;
	uint64_t rejections_total;
	Rejection **rejections;
	size_t nrejections;
} load_state;

static void state_free(load_state *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	while (s->names != NULL) {
		field_names *next = s->names->next;

		for (size_t i = 0; i < s->names->count; i++)
			free(s->names->names[i]);  /* NULL for unnamed fields */
		free(s->names->names);
		free(s->names);
		s->names = next;
	}
	for (size_t i = 0; i < s->nrejections; i++) {
		free(s->rejections[i]->file);
		free(s->rejections[i]->type);
		free(s->rejections[i]->field);
		free(s->rejections[i]->value);
		free(s->rejections[i]->reason);
		free(s->rejections[i]);
	}
	free(s->rejections);
	if (s->header != NULL)
		protobuf_c_message_free_unpacked(&s->header->base, NULL);
}

static const char *file_name(const load_state *s, uint32_t file)
{
	return file < s->nfiles && s->files[file] != NULL ? s->files[file] : "";
}

static const char *const *source_names(const load_state *s, uint32_t file, int type,
				       size_t nfields)
{
	for (const field_names *n = s->names; n != NULL; n = n->next)
		if (n->file == file && n->type == type && n->count == nfields)
			return (const char *const *)n->names;
	return NULL;
}

/* Keeps a rejection (the first MAX_REJECTIONS_LISTED) and counts it. */
static int reject(load_state *s, uint64_t record_no, uint32_t file, uint64_t line,
		  const char *type, const char *field, const char *value, const char *reason)
{
	Rejection *r;

	s->rejections_total++;
	if (s->nrejections >= MAX_REJECTIONS_LISTED)
		return 0;
	if (s->nrejections % 64 == 0) {
		Rejection **grown = realloc(s->rejections,
					    (s->nrejections + 64) * sizeof(*grown));

		if (grown == NULL)
			return -1;
		s->rejections = grown;
	}
	r = malloc(sizeof(*r));
	if (r == NULL)
		return -1;
	csperf__v1__rejection__init(r);
	r->record_number = record_no;
	r->line = line;
	r->file = strdup(file_name(s, file));
	r->type = strdup(type);
	r->field = strdup(field);
	r->value = strdup(value);
	r->reason = strdup(reason);
	s->rejections[s->nrejections++] = r;
	if (r->file == NULL || r->type == NULL || r->field == NULL || r->value == NULL ||
	    r->reason == NULL)
		return -1;
	return 0;
}

bool handlers_valid_council(const char *code)
{
	size_t len = strlen(code);

	if (len < 3 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)code[i]))
			return false;
	return true;
}

static bool printable_line(const char *text, size_t max)
{
	size_t len = strlen(text);

	if (len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return false;
	return true;
}

/* Checks the header; fills st and returns -1 if it will not do. */
static int check_header(const Csperf__V1__LoadHeader *h, status *st)
{
	if (!handlers_valid_council(h->council))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "council must be an LA code of 3 to 9 letters and digits");
	if (strcmp(h->source, "ssda903") != 0 && strcmp(h->source, "cin-xml") != 0 &&
	    strcmp(h->source, "csv") != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "source must be ssda903, cin-xml or csv");
	if (h->idempotency_key[0] == '\0' || !printable_line(h->idempotency_key, 200))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "idempotency_key is required: up to 200 printable characters");
	if (!printable_line(h->label, 200))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "label must be up to 200 printable characters");
	if (!printable_line(h->council_name, 200))
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "council_name must be up to 200 printable characters");
	if (h->council_nation[0] != '\0' && strcmp(h->council_nation, "england") != 0 &&
	    strcmp(h->council_nation, "wales") != 0)
		return status_set(st, STATUS_INVALID_ARGUMENT,
				  "council_nation must be england or wales");
	if (h->schema_version != CSPERF_RECORD_SCHEMA_VERSION)
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "the client sends record schema version %u, csperfd reads "
				  "version %d: use a csperf of the same release",
				  h->schema_version, CSPERF_RECORD_SCHEMA_VERSION);
	return 0;
}

static int take_file(load_state *s, const Csperf__V1__SourceFile *f, status *st)
{
	if (f->index >= MAX_FILES)
		return status_set(st, STATUS_INVALID_ARGUMENT, "a load names at most %d files",
				  MAX_FILES);
	if (f->index >= s->nfiles) {
		char **grown = realloc(s->files, (f->index + 1) * sizeof(char *));

		if (grown == NULL)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		memset(grown + s->nfiles, 0, (f->index + 1 - s->nfiles) * sizeof(char *));
		s->files = grown;
		s->nfiles = f->index + 1;
	}
	free(s->files[f->index]);
	/* Only the file's name goes into summaries, never the client's paths. */
	{
		const char *base = strrchr(f->path, '/');

		s->files[f->index] = strdup(base != NULL ? base + 1 : f->path);
	}
	if (s->files[f->index] == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	return 0;
}

static int take_fields(load_state *s, const Csperf__V1__SourceFields *f, status *st)
{
	field_names *n = calloc(1, sizeof(*n));

	if (n == NULL || (n->names = calloc(f->n_names + 1, sizeof(char *))) == NULL) {
		free(n);
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	n->file = f->file;
	n->type = f->type;
	n->count = f->n_names;
	n->next = s->names;
	s->names = n;
	/* "" is a field the file has no name for: messages use the schema's. */
	for (size_t i = 0; i < f->n_names; i++) {
		if (f->names[i][0] == '\0')
			continue;
		n->names[i] = strdup(f->names[i]);
		if (n->names[i] == NULL)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	return 0;
}

static int take_record(load_state *s, store_load *load, const Csperf__V1__Record *rec,
		       status *st)
{
	const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)rec->type);
	csperf_validation_error err;
	uint64_t record_no = ++s->record_no;

	/* What the client says of where a record came from is checked as its
	 * values are: a line the database can hold, a file it declared. */
	if (rec->line > INT64_MAX)
		return status_set(st, STATUS_INVALID_ARGUMENT, "LoadRecords: record %llu gives line "
				  "%llu, beyond 2^63-1: nothing was stored",
				  (unsigned long long)record_no, (unsigned long long)rec->line);
	if (rec->file != 0 && (rec->file >= s->nfiles || s->files[rec->file] == NULL))
		return status_set(st, STATUS_INVALID_ARGUMENT, "LoadRecords: record %llu cites file "
				  "%u, which no SourceFile declared: nothing was stored",
				  (unsigned long long)record_no, rec->file);
	if (schema == NULL) {
		char reason[64];

		snprintf(reason, sizeof(reason), "%d is not a record type", rec->type);
		s->unknown_type_rejected++;
		return reject(s, record_no, rec->file, rec->line, "", "", "", reason) == 0
			? 0 : status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	if (csperf_record_validate(schema, (const char *const *)rec->values, rec->n_values,
				   &err) != 0) {
		const char *const *names = source_names(s, rec->file, rec->type, schema->nfields);
		char reason[512];
		const char *field = "";

		csperf_validation_describe(schema, &err, names, reason, sizeof(reason));
		if (err.field >= 0 && (size_t)err.field < schema->nfields)
			field = names != NULL && names[err.field] != NULL && names[err.field][0] != '\0'
				? names[err.field] : schema->fields[err.field].name;
		s->rejected[rec->type]++;
		return reject(s, record_no, rec->file, rec->line, schema->name, field, err.value,
			      reason) == 0
			? 0 : status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	if (store_load_add(load, record_no, schema->type, rec->file, rec->line,
			   (const char *const *)rec->values, rec->n_values, st) != 0)
		return -1;
	s->accepted[rec->type]++;
	return 0;
}

/* Duplicates found by the store become rejections of the later copies. */
static int reject_duplicates(load_state *s, const store_duplicate *dups, size_t ndups,
			     status *st)
{
	for (size_t i = 0; i < ndups; i++) {
		const store_duplicate *d = &dups[i];
		const csperf_record_schema *schema = csperf_schema_by_type(d->type);
		char reason[512];

		if (d->first_line > 0)
			snprintf(reason, sizeof(reason),
				 "the same %s as record %llu (%s line %llu): a record may appear once "
				 "in a load", schema->name, (unsigned long long)d->first_record,
				 file_name(s, d->first_file), (unsigned long long)d->first_line);
		else
			snprintf(reason, sizeof(reason),
				 "the same %s as record %llu: a record may appear once in a load",
				 schema->name, (unsigned long long)d->first_record);
		s->accepted[d->type]--;
		s->rejected[d->type]++;
		if (reject(s, d->record_no, d->file, d->line, schema->name, "", "", reason) != 0)
			return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	}
	return 0;
}

static int compare_rejections(const void *a, const void *b)
{
	const Rejection *x = *(Rejection *const *)a, *y = *(Rejection *const *)b;

	return x->record_number < y->record_number ? -1 : x->record_number > y->record_number;
}

/* Fills summary from the state; what it points to is the state's, or counts. */
static void build_summary(LoadSummary *summary, load_state *s, TypeCount *counts,
			  TypeCount **count_ptrs, int64_t load_id, bool stored, char *created)
{
	size_t n = 0;
	uint64_t accepted = 0, rejected = s->unknown_type_rejected;

	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		if (s->accepted[t] == 0 && s->rejected[t] == 0)
			continue;
		csperf__v1__type_count__init(&counts[n]);
		counts[n].type = (char *)csperf_record_type_name((csperf_record_type)t);
		counts[n].accepted = s->accepted[t];
		counts[n].rejected = s->rejected[t];
		count_ptrs[n] = &counts[n];
		accepted += s->accepted[t];
		rejected += s->rejected[t];
		n++;
	}
	if (s->nrejections > 0)
		qsort(s->rejections, s->nrejections, sizeof(*s->rejections), compare_rejections);
	summary->load_id = stored ? load_id : 0;
	summary->council = s->header->council;
	summary->source = s->header->source;
	summary->label = s->header->label;
	summary->idempotency_key = s->header->idempotency_key;
	summary->accept_valid = s->header->accept_valid;
	summary->stored = stored;
	summary->accepted = accepted;
	summary->rejected = rejected;
	summary->n_counts = n;
	summary->counts = count_ptrs;
	summary->n_rejections = s->nrejections;
	summary->rejections = s->rejections;
	summary->rejections_total = s->rejections_total;
	{
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(created, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
		summary->created_at = created;
	}
}

/* Reads what is left of the stream, so that the client's sends complete. */
static int drain(rpc_call *call, status *st)
{
	ProtobufCMessage *msg;
	int rc;

	while ((rc = rpc_call_recv(call, &msg, st)) == 1)
		protobuf_c_message_free_unpacked(msg, NULL);
	return rc;
}

/* A load stored before with this key: its summary again, once the figures
 * it called for are computed (a crash may have come between its commit and
 * its recompute: the retry finishes them), saying where they stand. */
static void reply_replayed(app *a, rpc_call *call, const char *council, const uint8_t *bytes,
			   size_t len)
{
	LoadSummary *summary = csperf__v1__load_summary__unpack(NULL, len, bytes);

	if (summary == NULL) {
		rpc_call_fail(call, STATUS_INTERNAL, "the stored summary of this load is unreadable");
		return;
	}
	summary->replayed = true;
	if (summary->stored) {
		status st = STATUS_INIT;
		int remaining = 0;

		if (compute_due(a->pool, rpc_call_remaining_ms(call), council, true, &remaining, NULL,
				&st) != 0) {
			log_error("compute: council %s: figures due not looked for: %s", council,
				  st.message);
			remaining = 1;
		}
		summary->figures = remaining == 0 ? CSPERF__V1__FIGURES_STATE__FIGURES_COMPUTED
						  : CSPERF__V1__FIGURES_STATE__FIGURES_COMPUTING;
	}
	rpc_call_reply(call, &summary->base);
	csperf__v1__load_summary__free_unpacked(summary, NULL);
}

/* Milliseconds on the monotonic clock, for the log line of a load's phases. */
static int64_t mono_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* The DfE's rules over a council's records (quality.h), run beside the
 * recompute: neither reads what the other writes, and each has its own
 * connection, so the two cores work on both. */
typedef struct quality_job {
	store_pool *pool;
	const char *council;
	int64_t timeout_ms;
	int64_t ms;
	int rc;
	status st;
} quality_job;

static void *quality_main(void *arg)
{
	quality_job *job = arg;
	int64_t t0 = mono_ms();

	job->st = (status)STATUS_INIT;
	job->rc = quality_refresh(job->pool, job->timeout_ms, job->council, &job->st);
	job->ms = mono_ms() - t0;
	return NULL;
}

/* Where the time after a load's commit went. */
typedef struct figure_times {
	int64_t statistics_ms, compute_ms, quality_ms, all_ms;
	bool first_values;  /* the council's first values went in */
} figure_times;

/* After a load or a deletion, the council's indicators are computed again in
 * the same request, so that the caller's next scorecard is current and reads
 * never compute: only the periods the change can reach (compute.h), or,
 * with every_period, all of them, after fresh statistics of the partitions a
 * load changed (`merged`; NULL: none); and the DfE's rules are run over its
 * records again, for scorecard rows, at the same time in a thread of their
 * own (one after the other if that thread cannot start). A failure here
 * leaves the stored records as they are and the council's figures due:
 * csperfd's sweep (or a retry of the load) finishes them. Returns whether
 * they were computed. The times, when asked for: the statistics, the
 * recompute and the rule check each, and the wall clock of all three. */
static bool recompute(app *a, rpc_call *call, const char *council, bool every_period,
		      const store_merge_counts *merged, figure_times *times)
{
	store_compute_stats stats = { 0, 0, 0, 0, 0, false };
	status st = STATUS_INIT;
	int64_t t0 = mono_ms(), t1;
	quality_job job = { a->pool, council, rpc_call_remaining_ms(call), 0, 0, STATUS_INIT };
	pthread_t quality;
	bool beside = pthread_create(&quality, NULL, quality_main, &job) == 0;
	int rc;

	if (merged != NULL &&
	    store_analyze_records(a->pool, rpc_call_remaining_ms(call), council, merged, &st) != 0)
		log_warn("compute: council %s: the statistics of its records were not taken: %s",
			 council, st.message);
	t1 = mono_ms();
	st = (status)STATUS_INIT;
	if (every_period)
		rc = compute_council(a->pool, rpc_call_remaining_ms(call), council, NULL, &stats, &st);
	else
		rc = compute_council_changes(a->pool, rpc_call_remaining_ms(call), council, &stats, &st);
	if (rc != 0)
		log_error("compute: council %s was not recomputed (it is left due): %s", council,
			  st.message);
	if (times != NULL) {
		times->statistics_ms = t1 - t0;
		times->compute_ms = mono_ms() - t1;
		times->first_values = rc == 0 && stats.first;
	}
	if (beside)
		pthread_join(quality, NULL);
	else
		quality_main(&job);
	if (job.rc != 0)
		log_error("quality: council %s was not validated: %s", council, job.st.message);
	if (times != NULL) {
		times->quality_ms = job.ms;
		times->all_ms = mono_ms() - t0;
	}
	return rc == 0;
}

void handle_load_records(rpc_call *call, void *ctx)
{
	app *a = ctx;
	load_state s;
	status st = STATUS_INIT;
	store_load *load = NULL;
	store_load_header header;
	ProtobufCMessage *msg = NULL;
	uint8_t *replayed = NULL;
	size_t replayed_len = 0;
	store_duplicate *dups = NULL;
	size_t ndups = 0;
	LoadSummary summary = CSPERF__V1__LOAD_SUMMARY__INIT;
	TypeCount counts[CSPERF_RECORD_TYPE_LAST];
	TypeCount *count_ptrs[CSPERF_RECORD_TYPE_LAST];
	char created[32], council_name[64];
	uint8_t *packed = NULL;
	store_merge_counts merged;
	store_audit_entry audit;
	bool ended = false;
	uint64_t end_records = 0;
	int64_t t_begin, t_streamed = 0, t_checked = 0, t_committed = 0;
	figure_times times = { 0, 0, 0, 0, false };
	int rc;

	memset(&s, 0, sizeof(s));
	t_begin = mono_ms();
	rc = rpc_call_recv(call, &msg, &st);
	if (rc <= 0) {
		if (rc == 0)
			status_set(&st, STATUS_INVALID_ARGUMENT, "the stream has no LoadHeader");
		goto fail;
	}
	{
		LoadRequest *first = (LoadRequest *)msg;

		if (first->item_case != CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_HEADER) {
			status_set(&st, STATUS_INVALID_ARGUMENT,
				   "the first message of LoadRecords must be a LoadHeader");
			goto fail;
		}
		s.header = first->header;
		first->header = NULL;
		first->item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM__NOT_SET;
		protobuf_c_message_free_unpacked(msg, NULL);
		msg = NULL;
	}
	/* The council is known only now: the gate checked the role. */
	if (access_require_council(call, s.header->council) != 0)
		goto cleanup;
	if (check_header(s.header, &st) != 0)
		goto fail;
	access_note_params(call, "source=%s accept_valid=%s", s.header->source,
			   s.header->accept_valid ? "true" : "false");

	snprintf(council_name, sizeof(council_name), "LA %s", s.header->council);
	header.council = s.header->council;
	header.council_name = s.header->council_name[0] != '\0' ? s.header->council_name
								 : council_name;
	header.council_nation = s.header->council_nation[0] != '\0' ? s.header->council_nation
								     : "england";
	header.source = s.header->source;
	header.label = s.header->label;
	header.idempotency_key = s.header->idempotency_key;
	header.accept_valid = s.header->accept_valid;
	if (store_load_begin(a->pool, rpc_call_remaining_ms(call), &header, &load, &replayed,
			     &replayed_len, &st) != 0)
		goto fail;
	if (load == NULL) {
		if (drain(call, &st) < 0)
			goto fail;
		log_info("load: council %s key already stored: replaying its summary",
			 s.header->council);
		reply_replayed(a, call, s.header->council, replayed, replayed_len);
		goto cleanup;
	}

	while ((rc = rpc_call_recv(call, &msg, &st)) == 1) {
		LoadRequest *req = (LoadRequest *)msg;

		if (ended) {
			rc = status_set(&st, STATUS_INVALID_ARGUMENT,
					"LoadRecords: a message came after the LoadEnd: nothing was stored");
			protobuf_c_message_free_unpacked(msg, NULL);
			msg = NULL;
			goto fail;
		}
		switch (req->item_case) {
		case CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FILE:
			rc = take_file(&s, req->file, &st);
			break;
		case CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FIELDS:
			rc = take_fields(&s, req->fields, &st);
			break;
		case CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_BATCH:
			rc = 0;
			for (size_t i = 0; i < req->batch->n_records && rc == 0; i++)
				rc = take_record(&s, load, req->batch->records[i], &st);
			break;
		case CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_END:
			ended = true;
			end_records = req->end->records;
			rc = 0;
			break;
		default:
			rc = status_set(&st, STATUS_INVALID_ARGUMENT,
					"only the first message of LoadRecords may be a LoadHeader");
		}
		protobuf_c_message_free_unpacked(msg, NULL);
		msg = NULL;
		if (rc != 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	/* A stream cut short must not pass for a whole load: the client says
	 * how many records it sent, last. */
	if (!ended) {
		status_set(&st, STATUS_ABORTED,
			   "LoadRecords: the stream ended without its LoadEnd after %llu records, so "
			   "it may have been cut short: nothing was stored",
			   (unsigned long long)s.record_no);
		goto fail;
	}
	if (end_records != s.record_no) {
		status_set(&st, STATUS_ABORTED,
			   "LoadRecords: the client sent %llu records but %llu arrived: nothing was "
			   "stored", (unsigned long long)end_records, (unsigned long long)s.record_no);
		goto fail;
	}

	t_streamed = mono_ms();
	if (store_load_check(load, s.rejections_total == 0 || s.header->accept_valid, &dups,
			     &ndups, &st) != 0 ||
	    reject_duplicates(&s, dups, ndups, &st) != 0)
		goto fail;
	{
		bool stored = s.rejections_total == 0 || s.header->accept_valid;
		size_t len;

		t_checked = mono_ms();
		build_summary(&summary, &s, counts, count_ptrs, store_load_id(load), stored, created);
		if (!stored) {
			/* Atomic: a rejection and nothing is stored. */
			store_load_abort(load);
			load = NULL;
			log_info("load: council %s: %llu rejected of %llu: nothing stored",
				 s.header->council, (unsigned long long)summary.rejected,
				 (unsigned long long)(summary.accepted + summary.rejected));
			access_note_rows(call, 0);
			rpc_call_reply(call, &summary.base);
			goto cleanup;
		}
		len = protobuf_c_message_get_packed_size(&summary.base);
		packed = malloc(len > 0 ? len : 1);
		if (packed == NULL) {
			status_set(&st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		}
		protobuf_c_message_pack(&summary.base, packed);
		/* The call's audit line commits with the load: a crash after the
		 * commit cannot lose it. */
		access_note_rows(call, (int64_t)summary.accepted);
		if (access_audit_entry(call, &audit) != 0) {
			status_set(&st, STATUS_INTERNAL, "the load has no audit line");
			goto fail;
		}
		if (store_load_commit(load, summary.accepted, summary.rejected, packed, len, &audit,
				      &merged, &st) != 0)
			goto fail;
		load = NULL;
		access_note_audited(call);
		log_info("load %lld: council %s, %s: %llu records stored (%llu replacing earlier "
			 "versions), %llu rejected", (long long)summary.load_id, s.header->council,
			 s.header->source, (unsigned long long)summary.accepted,
			 (unsigned long long)merged.superseded, (unsigned long long)summary.rejected);
		t_committed = mono_ms();
		summary.figures = recompute(a, call, s.header->council, false, &merged, &times)
			? CSPERF__V1__FIGURES_STATE__FIGURES_COMPUTED
			: CSPERF__V1__FIGURES_STATE__FIGURES_COMPUTING;
		rpc_call_reply(call, &summary.base);
		/* Where a load's time goes (bench/peer.sh reads this line). */
		log_info("load %lld: phases: receive, check and stage %lld ms, merge %lld ms, "
			 "commit %lld ms, figures %lld ms (statistics %lld ms, then recompute %lld "
			 "ms; quality %lld ms, side by side); %lld ms in all",
			 (long long)summary.load_id, (long long)(t_streamed - t_begin),
			 (long long)(t_checked - t_streamed), (long long)(t_committed - t_checked),
			 (long long)times.all_ms, (long long)times.statistics_ms,
			 (long long)times.compute_ms, (long long)times.quality_ms,
			 (long long)(mono_ms() - t_begin));
		/* The council's first values: the planner learns of them now,
		 * after the reply, not when the next load compares with them. */
		if (times.first_values) {
			int64_t t_analyze = mono_ms();

			st = (status)STATUS_INIT;
			/* The call may be gone now: a timeout of its own. */
			if (store_analyze_values(a->pool, 60000, &st) != 0)
				log_warn("compute: the statistics of council %s's first values were "
					 "not taken: %s", s.header->council, st.message);
			else
				log_info("compute: the statistics of council %s's first values taken "
					 "after the reply, %lld ms", s.header->council,
					 (long long)(mono_ms() - t_analyze));
		}
	}
	goto cleanup;
fail:
	if (msg != NULL)
		protobuf_c_message_free_unpacked(msg, NULL);
	rpc_call_fail_status(call, &st);
cleanup:
	store_load_abort(load);
	free(replayed);
	free(dups);
	free(packed);
	state_free(&s);
}

typedef struct list_state {
	LoadSummary **loads;
	size_t count;
	bool failed;
} list_state;

static int collect_summary(const uint8_t *bytes, size_t len, void *ctx)
{
	list_state *l = ctx;
	LoadSummary *summary = csperf__v1__load_summary__unpack(NULL, len, bytes);
	LoadSummary **grown;

	if (summary == NULL)
		return 0;  /* an unreadable summary is left out, not fatal */
	grown = realloc(l->loads, (l->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		csperf__v1__load_summary__free_unpacked(summary, NULL);
		l->failed = true;
		return 1;
	}
	l->loads = grown;
	l->loads[l->count++] = summary;
	return 0;
}

void handle_list_loads(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__ListLoadsRequest *req = (Csperf__V1__ListLoadsRequest *)rpc_call_request(call);
	Csperf__V1__ListLoadsResponse reply = CSPERF__V1__LIST_LOADS_RESPONSE__INIT;
	list_state l = { NULL, 0, false };
	status st = STATUS_INIT;
	int limit;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a ListLoadsRequest");
		return;
	}
	if (!handlers_valid_council(req->council)) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code of 3 to 9 letters and digits");
		goto cleanup;
	}
	limit = req->limit == 0 ? 100 : req->limit > MAX_LIST_LIMIT ? MAX_LIST_LIMIT : (int)req->limit;
	if (store_list_loads(a->pool, rpc_call_remaining_ms(call), req->council, limit,
			     collect_summary, &l, &st) != 0 && !l.failed) {
		rpc_call_fail_status(call, &st);
		goto cleanup;
	}
	if (l.failed) {
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	/* A list says what each load was, not every rejection again. */
	for (size_t i = 0; i < l.count; i++)
		l.loads[i]->n_rejections = 0;
	access_note_rows(call, (int64_t)l.count);
	reply.n_loads = l.count;
	reply.loads = l.loads;
	rpc_call_reply(call, &reply.base);
cleanup:
	for (size_t i = 0; i < l.count; i++)
		csperf__v1__load_summary__free_unpacked(l.loads[i], NULL);
	free(l.loads);
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

void handle_delete_load(rpc_call *call, void *ctx)
{
	app *a = ctx;
	Csperf__V1__DeleteLoadRequest *req = (Csperf__V1__DeleteLoadRequest *)rpc_call_request(call);
	Csperf__V1__DeleteLoadResponse reply = CSPERF__V1__DELETE_LOAD_RESPONSE__INIT;
	status st = STATUS_INIT, ignored = STATUS_INIT;
	uint64_t deleted = 0, restored = 0;
	store_audit_entry audit;
	bool noted;

	if (req == NULL) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT, "the request is not a DeleteLoadRequest");
		return;
	}
	if (!handlers_valid_council(req->council) || req->load_id <= 0) {
		rpc_call_fail(call, STATUS_INVALID_ARGUMENT,
			      "council must be an LA code and load_id a load's number");
		goto cleanup;
	}
	/* What the deletion will touch, noted before its rows are gone; without
	 * the note, every period is recomputed. */
	noted = compute_note_deletion(a->pool, rpc_call_remaining_ms(call), req->council,
				      req->load_id, &ignored) == 0;
	/* The call's audit line commits with the deletion: a crash after the
	 * commit cannot lose it. */
	if (access_audit_entry(call, &audit) != 0) {
		rpc_call_fail(call, STATUS_INTERNAL, "the deletion has no audit line");
		goto cleanup;
	}
	if (store_delete_load(a->pool, rpc_call_remaining_ms(call), req->council,
			      req->load_id, &deleted, &restored, &audit, &st) != 0) {
		if (noted)
			store_compute_forget_deletion(a->pool, rpc_call_remaining_ms(call), req->council,
						      req->load_id, &ignored);
		rpc_call_fail_status(call, &st);
	} else {
		access_note_rows(call, (int64_t)deleted);
		access_note_audited(call);
		log_info("load %lld of council %s deleted: %llu rows removed, %llu restored",
			 (long long)req->load_id, req->council, (unsigned long long)deleted,
			 (unsigned long long)restored);
		recompute(a, call, req->council, !noted, NULL, NULL);
		reply.load_id = req->load_id;
		reply.rows_deleted = deleted;
		reply.rows_restored = restored;
		rpc_call_reply(call, &reply.base);
	}
cleanup:
	protobuf_c_message_free_unpacked(&req->base, NULL);
}

int handlers_check_load_header(const ProtobufCMessage *header, status *st)
{
	return check_header((const Csperf__V1__LoadHeader *)header, st);
}
