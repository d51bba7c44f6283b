/*
 * loads.c: the SDK side of LoadRecords (a client stream), ListLoads and
 * DeleteLoad.
 *
 * Records are gathered into batches of at most BATCH_RECORDS records or about
 * BATCH_BYTES bytes; one batch is in flight while the next fills, so memory
 * stays bounded and the network stays busy. Files are named to the server
 * once (SourceFile), and so are the names a file gives each type's fields
 * (SourceFields); records then refer to the file by index.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "csperf/loads.h"

#include "csperf/v1/records.pb-c.h"

#define BATCH_RECORDS 2000
#define BATCH_BYTES (1024 * 1024)
#define METHOD "/csperf.v1.Performance/LoadRecords"

typedef struct named_file {
	char *path;
	uint32_t index;
	/* types whose field names were sent for this file */
	unsigned char fields_sent[CSPERF_RECORD_TYPE_LAST + 1];
} named_file;

struct csperf_load {
	client_cstream stream;

	named_file *files;
	size_t nfiles;
	const char *last_file;        /* the caller's pointer last seen, for speed */
	uint32_t last_index;

	/* the batch being filled: records and the strings they own */
	Csperf__V1__Record *records;
	Csperf__V1__Record **record_ptrs;
	size_t nrecords;
	size_t batch_bytes;
	uint64_t added;
};

/* Sends one message of the stream, after the previous one left. */
static int send_message(csperf_load *load, const ProtobufCMessage *msg)
{
	return client_cstream_send(&load->stream, msg);
}

static void clear_batch(csperf_load *load)
{
	for (size_t i = 0; i < load->nrecords; i++) {
		Csperf__V1__Record *r = &load->records[i];

		for (size_t v = 0; v < r->n_values; v++)
			free(r->values[v]);
		free(r->values);
	}
	load->nrecords = 0;
	load->batch_bytes = 0;
}

static int flush_batch(csperf_load *load)
{
	Csperf__V1__LoadRecordsRequest req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__RecordBatch batch = CSPERF__V1__RECORD_BATCH__INIT;
	int rc;

	if (load->nrecords == 0)
		return CSPERF_OK;
	batch.n_records = load->nrecords;
	batch.records = load->record_ptrs;
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_BATCH;
	req.batch = &batch;
	rc = send_message(load, &req.base);
	/* client_pack copied the batch: its records can be reused now. */
	clear_batch(load);
	return rc;
}

int csperf_load_begin(csperf_client *client, const csperf_load_options *opts,
		      csperf_load **out)
{
	Csperf__V1__LoadRecordsRequest req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__LoadHeader header = CSPERF__V1__LOAD_HEADER__INIT;
	csperf_load *load;
	int64_t timeout;
	int rc;

	if (out == NULL || client == NULL || opts == NULL)
		return client_error(CSPERF_EINVAL, "LoadRecords: client, options or out is NULL");
	*out = NULL;
	if (opts->version != CSPERF_LOAD_OPTIONS_VERSION)
		return client_error(CSPERF_EVERSION, "LoadRecords: options version %u is not %d",
				    opts->version, CSPERF_LOAD_OPTIONS_VERSION);
	if (opts->council == NULL || opts->source == NULL || opts->idempotency_key == NULL ||
	    opts->idempotency_key[0] == '\0')
		return client_error(CSPERF_EINVAL,
				    "LoadRecords: council, source and idempotency_key are required");
	load = calloc(1, sizeof(*load));
	if (load == NULL)
		return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
	load->records = calloc(BATCH_RECORDS, sizeof(*load->records));
	load->record_ptrs = calloc(BATCH_RECORDS, sizeof(*load->record_ptrs));
	if (load->records == NULL || load->record_ptrs == NULL) {
		csperf_load_free(load);
		return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
	}
	for (size_t i = 0; i < BATCH_RECORDS; i++)
		load->record_ptrs[i] = &load->records[i];
	timeout = opts->timeout_ms > 0 ? opts->timeout_ms : CSPERF_LOAD_DEFAULT_TIMEOUT_MS;
	rc = client_cstream_start(&load->stream, client, METHOD, "LoadRecords", timeout);
	if (rc != CSPERF_OK) {
		csperf_load_free(load);
		return rc;
	}

	header.council = (char *)opts->council;
	header.source = (char *)opts->source;
	header.label = (char *)(opts->label != NULL ? opts->label : "");
	header.idempotency_key = (char *)opts->idempotency_key;
	header.accept_valid = opts->accept_valid != 0;
	header.schema_version = CSPERF_RECORD_SCHEMA_VERSION;
	header.council_name = (char *)(opts->council_name != NULL ? opts->council_name : "");
	header.council_nation = (char *)(opts->council_nation != NULL ? opts->council_nation : "");
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_HEADER;
	req.header = &header;
	rc = send_message(load, &req.base);
	if (rc != CSPERF_OK && !load->stream.broken) {
		csperf_load_free(load);
		return rc;
	}
	*out = load;
	return CSPERF_OK;
}

/* The index of the record's file, naming it to the server when new. */
static int file_index(csperf_load *load, const char *path, uint32_t *index, named_file **nf)
{
	Csperf__V1__LoadRecordsRequest req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__SourceFile file = CSPERF__V1__SOURCE_FILE__INIT;
	named_file *grown;
	int rc;

	for (size_t i = 0; i < load->nfiles; i++) {
		if (strcmp(load->files[i].path, path) == 0) {
			*index = load->files[i].index;
			*nf = &load->files[i];
			return CSPERF_OK;
		}
	}
	grown = realloc(load->files, (load->nfiles + 1) * sizeof(*grown));
	if (grown == NULL)
		return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
	load->files = grown;
	*nf = &load->files[load->nfiles];
	memset(*nf, 0, sizeof(**nf));
	(*nf)->path = strdup(path);
	if ((*nf)->path == NULL)
		return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
	/* Index 0 means "no file": files count from 1. */
	(*nf)->index = (uint32_t)load->nfiles + 1;
	load->nfiles++;
	*index = (*nf)->index;
	/* The records so far refer to earlier files only: send them first. */
	if ((rc = flush_batch(load)) != CSPERF_OK)
		return rc;
	file.index = *index;
	file.path = (char *)path;
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FILE;
	req.file = &file;
	return send_message(load, &req.base);
}

static int send_field_names(csperf_load *load, named_file *nf, const csperf_record *record)
{
	Csperf__V1__LoadRecordsRequest req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__SourceFields fields = CSPERF__V1__SOURCE_FIELDS__INIT;
	char **names;
	int rc;

	nf->fields_sent[record->type] = 1;
	names = calloc(record->nvalues + 1, sizeof(char *));
	if (names == NULL)
		return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
	for (size_t i = 0; i < record->nvalues; i++)
		names[i] = (char *)(record->source_fields[i] != NULL ? record->source_fields[i] : "");
	fields.file = nf->index;
	fields.type = record->type;
	fields.n_names = record->nvalues;
	fields.names = names;
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FIELDS;
	req.fields = &fields;
	rc = flush_batch(load);
	if (rc == CSPERF_OK)
		rc = send_message(load, &req.base);
	free(names);
	return rc;
}

int csperf_load_add(csperf_load *load, const csperf_record *record)
{
	Csperf__V1__Record *r;
	uint32_t index = 0;
	int rc;

	if (load == NULL || record == NULL || (record->nvalues > 0 && record->values == NULL))
		return client_error(CSPERF_EINVAL, "LoadRecords: load or record is NULL");
	if (load->stream.finished)
		return client_error(CSPERF_EINVAL, "LoadRecords: the load is finished");
	if (load->stream.broken)
		return client_error(CSPERF_ECANCELLED,
				    "LoadRecords: csperfd ended the load early; finish it for the reason");
	if (record->file != NULL && record->file[0] != '\0') {
		named_file *nf = NULL;

		if (record->file == load->last_file) {
			index = load->last_index;
			for (size_t i = 0; i < load->nfiles; i++)
				if (load->files[i].index == index)
					nf = &load->files[i];
		} else if ((rc = file_index(load, record->file, &index, &nf)) != CSPERF_OK) {
			return rc;
		}
		load->last_file = record->file;
		load->last_index = index;
		if (record->source_fields != NULL && nf != NULL && record->type > 0 &&
		    record->type <= CSPERF_RECORD_TYPE_LAST && !nf->fields_sent[record->type] &&
		    (rc = send_field_names(load, nf, record)) != CSPERF_OK)
			return rc;
	}

	r = &load->records[load->nrecords];
	csperf__v1__record__init(r);
	r->type = record->type;
	r->file = index;
	r->line = record->line;
	r->values = calloc(record->nvalues + 1, sizeof(char *));
	if (r->values == NULL)
		return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
	load->nrecords++;
	for (size_t i = 0; i < record->nvalues; i++) {
		const char *value = record->values[i] != NULL ? record->values[i] : "";

		r->values[i] = strdup(value);
		if (r->values[i] == NULL)
			return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
		r->n_values++;
		load->batch_bytes += strlen(value) + 2;
	}
	load->batch_bytes += 16;
	load->added++;
	if (load->nrecords == BATCH_RECORDS || load->batch_bytes >= BATCH_BYTES)
		return flush_batch(load);
	return CSPERF_OK;
}

uint64_t csperf_load_count(const csperf_load *load)
{
	return load != NULL ? load->added : 0;
}

/* The summary's public view points into the unpacked message it keeps. */
static csperf_load_summary *summary_wrap(Csperf__V1__LoadSummary *msg, bool keep_rejections)
{
	csperf_load_summary *s = calloc(1, sizeof(*s));
	csperf_type_count *counts;
	csperf_rejection *rejections;

	if (s == NULL)
		return NULL;
	counts = calloc(msg->n_counts + 1, sizeof(*counts));
	rejections = calloc((keep_rejections ? msg->n_rejections : 0) + 1, sizeof(*rejections));
	if (counts == NULL || rejections == NULL) {
		free(counts);
		free(rejections);
		free(s);
		return NULL;
	}
	s->internal = msg;
	s->load_id = msg->load_id;
	s->council = msg->council;
	s->source = msg->source;
	s->label = msg->label;
	s->idempotency_key = msg->idempotency_key;
	s->created_at = msg->created_at;
	s->stored = msg->stored;
	s->replayed = msg->replayed;
	s->figures = msg->figures == CSPERF__V1__FIGURES_STATE__FIGURES_COMPUTED
		? CSPERF_FIGURES_COMPUTED
		: msg->figures == CSPERF__V1__FIGURES_STATE__FIGURES_COMPUTING
		? CSPERF_FIGURES_COMPUTING : CSPERF_FIGURES_UNKNOWN;
	s->accept_valid = msg->accept_valid;
	s->accepted = msg->accepted;
	s->rejected = msg->rejected;
	s->rejections_total = msg->rejections_total;
	for (size_t i = 0; i < msg->n_counts; i++) {
		counts[i].type = msg->counts[i]->type;
		counts[i].accepted = msg->counts[i]->accepted;
		counts[i].rejected = msg->counts[i]->rejected;
	}
	s->ncounts = msg->n_counts;
	s->counts = counts;
	if (keep_rejections) {
		for (size_t i = 0; i < msg->n_rejections; i++) {
			const Csperf__V1__Rejection *r = msg->rejections[i];

			rejections[i].record_number = r->record_number;
			rejections[i].file = r->file;
			rejections[i].line = r->line;
			rejections[i].type = r->type;
			rejections[i].field = r->field;
			rejections[i].value = r->value;
			rejections[i].reason = r->reason;
		}
		s->nrejections = msg->n_rejections;
	}
	s->rejections = rejections;
	return s;
}

static void summary_unwrap(csperf_load_summary *s)
{
	free((void *)s->counts);
	free((void *)s->rejections);
}

void csperf_load_summary_free(csperf_load_summary *summary)
{
	if (summary == NULL)
		return;
	csperf__v1__load_summary__free_unpacked(summary->internal, NULL);
	summary_unwrap(summary);
	free(summary);
}

int csperf_load_finish(csperf_load *load, csperf_load_summary **out)
{
	Csperf__V1__LoadSummary *msg = NULL;
	int rc;

	if (load == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "LoadRecords: load or out is NULL");
	*out = NULL;
	if (load->stream.finished)
		return client_error(CSPERF_EINVAL, "LoadRecords: the load is finished already");
	if (!load->stream.broken)
		flush_batch(load);
	if (!load->stream.broken) {
		/* Last, the count: csperfd stores nothing from a stream that ends
		 * without it or whose count differs from what arrived. */
		Csperf__V1__LoadRecordsRequest req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
		Csperf__V1__LoadEnd end = CSPERF__V1__LOAD_END__INIT;

		end.records = load->added;
		req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_END;
		req.end = &end;
		send_message(load, &req.base);
	}
	rc = client_cstream_finish(&load->stream, &csperf__v1__load_summary__descriptor,
				   (ProtobufCMessage **)&msg);
	if (rc != CSPERF_OK)
		return rc;
	*out = summary_wrap(msg, true);
	if (*out == NULL) {
		csperf__v1__load_summary__free_unpacked(msg, NULL);
		return client_error(CSPERF_ENOMEM, "LoadRecords: out of memory");
	}
	return CSPERF_OK;
}

void csperf_load_free(csperf_load *load)
{
	if (load == NULL)
		return;
	client_cstream_destroy(&load->stream);
	if (load->records != NULL)
		clear_batch(load);
	for (size_t i = 0; i < load->nfiles; i++)
		free(load->files[i].path);
	free(load->files);
	free(load->records);
	free(load->record_ptrs);
	free(load);
}

int csperf_load_list_get(csperf_client *client, const char *council, unsigned int limit,
			 csperf_load_list **out)
{
	Csperf__V1__ListLoadsRequest req = CSPERF__V1__LIST_LOADS_REQUEST__INIT;
	Csperf__V1__ListLoadsResponse *reply = NULL;
	csperf_load_list *list;
	int rc;

	if (client == NULL || council == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, "ListLoads: client, council or out is NULL");
	*out = NULL;
	req.council = (char *)council;
	req.limit = limit;
	rc = client_unary(client, "/csperf.v1.Performance/ListLoads", "ListLoads", &req.base,
			  &csperf__v1__list_loads_response__descriptor, (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	list = calloc(1, sizeof(*list));
	if (list != NULL)
		list->loads = calloc(reply->n_loads + 1, sizeof(*list->loads));
	if (list == NULL || list->loads == NULL) {
		free(list);
		protobuf_c_message_free_unpacked(&reply->base, NULL);
		return client_error(CSPERF_ENOMEM, "ListLoads: out of memory");
	}
	for (size_t i = 0; i < reply->n_loads; i++) {
		csperf_load_summary *s = summary_wrap(reply->loads[i], false);

		if (s == NULL) {
			list->internal = reply;
			csperf_load_list_free(list);
			return client_error(CSPERF_ENOMEM, "ListLoads: out of memory");
		}
		/* The list keeps the whole reply; its loads point into it. */
		s->internal = NULL;
		list->loads[i] = *s;
		free(s);
		list->count++;
	}
	list->internal = reply;
	*out = list;
	return CSPERF_OK;
}

void csperf_load_list_free(csperf_load_list *list)
{
	if (list == NULL)
		return;
	for (size_t i = 0; i < list->count; i++)
		summary_unwrap(&list->loads[i]);
	if (list->internal != NULL)
		protobuf_c_message_free_unpacked(list->internal, NULL);
	free(list->loads);
	free(list);
}

int csperf_load_delete(csperf_client *client, const char *council, int64_t load_id,
		       uint64_t *rows_deleted, uint64_t *rows_restored)
{
	Csperf__V1__DeleteLoadRequest req = CSPERF__V1__DELETE_LOAD_REQUEST__INIT;
	Csperf__V1__DeleteLoadResponse *reply = NULL;
	int rc;

	if (client == NULL || council == NULL)
		return client_error(CSPERF_EINVAL, "DeleteLoad: client or council is NULL");
	req.council = (char *)council;
	req.load_id = load_id;
	rc = client_unary(client, "/csperf.v1.Performance/DeleteLoad", "DeleteLoad", &req.base,
			  &csperf__v1__delete_load_response__descriptor, (ProtobufCMessage **)&reply);
	if (rc != CSPERF_OK)
		return rc;
	if (rows_deleted != NULL)
		*rows_deleted = reply->rows_deleted;
	if (rows_restored != NULL)
		*rows_restored = reply->rows_restored;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return CSPERF_OK;
}
