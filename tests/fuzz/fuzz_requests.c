/*
 * fuzz_requests.c: what csperfd does with a request's bytes before it asks
 * the database anything, for every method it serves.
 *
 * The first byte picks a method of csperfd's own method table
 * (handlers_methods); the rest is the message. It is decoded as the rpc
 * module decodes every request (message_decode: protobuf-c's unpack, then
 * the UTF-8 check), described for the audit trail as the gate does
 * (access_describe_request), and checked as the handlers check it: the
 * LoadRecords header (handlers_check_load_header), each record against the
 * record schema and its rejection written out (csperf_record_validate,
 * csperf_validation_describe, with the schema's names and with the file's),
 * an indicator definition (handlers_check_indicator: the engine parses its
 * JSON parameters), comparator figures (handlers_check_comparator), a batch
 * of a DfE published file (handlers_check_import), token
 * principals (auth_principal_init), and every field named council, period,
 * from, to or indicator_id with the check its handler applies. One value of
 * the first byte past the methods treats the rest as an `authorization`
 * header value (auth_bearer_token, auth_token_well_formed).
 *
 * No database, no network: a crash, a leak, or undefined behaviour here is
 * one a client could cause in csperfd.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "engine/engine.h"
#include "handlers/access.h"
#include "handlers/handlers.h"
#include "rpc/message_check.h"
#include "schema.h"

#include "csperf/v1/access.pb-c.h"
#include "csperf/v1/records.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_record(const Csperf__V1__Record *rec)
{
	const csperf_record_schema *schema =
		csperf_schema_by_type((csperf_record_type)rec->type);
	csperf_validation_error err;
	char reason[512];

	if (schema == NULL)
		return;
	if (csperf_record_validate(schema, (const char *const *)rec->values, rec->n_values,
				   &err) == 0)
		return;
	csperf_validation_describe(schema, &err, NULL, reason, sizeof(reason));
	/* The file's own names for the fields, as SourceFields sends them: here
	 * the record's values stand in for them (any strings will do). */
	if (rec->n_values >= schema->nfields)
		csperf_validation_describe(schema, &err, (const char *const *)rec->values, reason,
					   sizeof(reason));
	if (err.field >= 0 && (size_t)err.field >= schema->nfields)
		abort();  /* a field index the handler would read past the schema with */
}

static void check_load_request(const Csperf__V1__LoadRecordsRequest *req)
{
	status st = STATUS_INIT;

	switch (req->item_case) {
	case CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_HEADER:
		handlers_check_load_header(&req->header->base, &st);
		break;
	case CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_BATCH:
		for (size_t i = 0; i < req->batch->n_records; i++)
			check_record(req->batch->records[i]);
		break;
	default:
		break;
	}
}

/* The checks handlers apply to fields by name, wherever the field is. */
static void check_named_fields(const ProtobufCMessage *msg)
{
	const ProtobufCMessageDescriptor *desc = msg->descriptor;
	const char *base = (const char *)msg;

	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *field = &desc->fields[i];
		const void *member = base + field->offset;

		if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
		    *(const uint32_t *)(base + field->quantifier_offset) != field->id)
			continue;
		if (field->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t count = *(const size_t *)(base + field->quantifier_offset);
			void *const *items = *(void *const *const *)member;

			for (size_t k = 0; k < count; k++) {
				if (field->type == PROTOBUF_C_TYPE_MESSAGE)
					check_named_fields(items[k]);
				else if (field->type == PROTOBUF_C_TYPE_STRING &&
					 strcmp(field->name, "councils") == 0)
					auth_valid_council(items[k]);
			}
			continue;
		}
		if (field->type == PROTOBUF_C_TYPE_MESSAGE) {
			const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)member;

			if (sub != NULL)
				check_named_fields(sub);
		} else if (field->type == PROTOBUF_C_TYPE_STRING) {
			const char *value = *(const char *const *)member;
			report_period period;
			char err[256];

			if (value == NULL)
				continue;
			if (strcmp(field->name, "council") == 0) {
				handlers_valid_council(value);
				auth_valid_council(value);
			} else if (strcmp(field->name, "indicator_id") == 0) {
				handlers_valid_indicator_id(value);
			} else if (strcmp(field->name, "period") == 0 || strcmp(field->name, "from") == 0 ||
				   strcmp(field->name, "to") == 0 || strcmp(field->name, "year") == 0) {
				if (period_parse(value, &period, err, sizeof(err)) == 0) {
					report_period shifted;

					period_shift(&period, true, &shifted);
					period_shift(&period, false, &shifted);
				}
			}
		}
	}
}

static void check_comparators(Csperf__V1__LoadComparatorsRequest *req)
{
	for (size_t i = 0; i < req->n_figures; i++) {
		Csperf__V1__ComparatorFigure *f = req->figures[i];
		report_period period;
		char err[8];

		if (handlers_check_comparator(&f->base) != NULL)
			continue;
		/* As the handler stores it: under the canonical label, in place. */
		period_parse(f->period, &period, err, sizeof(err));
		snprintf(f->period, strlen(f->period) + 1, "%s", period.label);
	}
}

static void check_token_request(const Csperf__V1__CreateTokenRequest *req)
{
	auth_principal principal;
	char err[256];

	auth_principal_init(&principal, req->name, req->role,
			    (const char *const *)req->councils, req->n_councils,
			    (const char *const *)req->localities, req->n_localities, err,
			    sizeof(err));
}

static void check_authorization(const uint8_t *data, size_t size)
{
	char header[1024];
	const char *token;

	/* rpc_call_metadata copies at most 1023 bytes, NUL-terminated. */
	if (size >= sizeof(header))
		size = sizeof(header) - 1;
	memcpy(header, data, size);
	header[size] = '\0';
	token = auth_bearer_token(header);
	if (token != NULL && auth_token_well_formed(token)) {
		char hash[AUTH_SHA256_HEX_SIZE];

		auth_token_hash(token, hash);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nmethods;
	const rpc_method *methods = handlers_methods(&nmethods);
	const rpc_method *method;
	const auth_policy *policy;
	ProtobufCMessage *msg;
	char params[512];
	size_t choice;

	if (size < 1)
		return 0;
	choice = data[0] % (nmethods + 1);
	if (choice == nmethods) {
		check_authorization(data + 1, size - 1);
		return 0;
	}
	method = &methods[choice];
	msg = message_decode(method->request, size - 1, data + 1, NULL);
	if (msg == NULL)
		return 0;
	policy = auth_policy_find(method->path);
	if (method->kind != RPC_CLIENT_STREAM)
		access_describe_request(msg, policy != NULL && policy->scope == AUTH_SCOPE_COUNCIL,
					params, sizeof(params));
	check_named_fields(msg);
	if (msg->descriptor == &csperf__v1__load_records_request__descriptor) {
		check_load_request((const Csperf__V1__LoadRecordsRequest *)msg);
	} else if (msg->descriptor == &csperf__v1__put_indicator_request__descriptor) {
		const Csperf__V1__PutIndicatorRequest *req = (const void *)msg;
		status st = STATUS_INIT;

		if (req->indicator != NULL)
			handlers_check_indicator(&req->indicator->base, &st);
	} else if (msg->descriptor == &csperf__v1__load_comparators_request__descriptor) {
		check_comparators((Csperf__V1__LoadComparatorsRequest *)msg);
	} else if (msg->descriptor == &csperf__v1__create_token_request__descriptor) {
		check_token_request((const Csperf__V1__CreateTokenRequest *)msg);
	} else if (msg->descriptor == &csperf__v1__import_comparators_request__descriptor) {
		status st = STATUS_INIT;

		handlers_check_import(msg, &st);
	}
	protobuf_c_message_free_unpacked(msg, NULL);
	return 0;
}
