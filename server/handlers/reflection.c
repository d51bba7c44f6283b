/*
 * reflection.c: gRPC server reflection, grpc.reflection.v1 and v1alpha
 * (their messages are the same on the wire: v1's code decodes both), so that
 * generic tools (grpcurl, Postman, Evans, grpcui) list and call csperfd's
 * services without our .proto files. Answers come from the descriptor set
 * protoc wrote at build time (descriptor_set.h); the services listed are
 * those of the method table. One response for each request, in order, until
 * the client ends its stream. Reflection reveals no data: like the health
 * check, it needs no token and is not audited (docs/SECURITY.md).
 */
#include "handlers.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descriptor_set.h"
#include "grpc/reflection/v1/reflection.pb-c.h"

/* Streams open at once: each holds a worker thread while its client keeps
 * it open, and anyone may open one (no token), so a few at most, lest they
 * take the workers the other calls need. */
#define REFLECTION_STREAMS_MAX 4

static atomic_int streams_open;

/* gRPC status codes, as ErrorResponse carries them. */
enum { CODE_INVALID_ARGUMENT = 3, CODE_NOT_FOUND = 5, CODE_INTERNAL = 13 };

typedef Grpc__Reflection__V1__ServerReflectionRequest reflection_request;
typedef Grpc__Reflection__V1__ServerReflectionResponse reflection_response;

/* The services of the method table ("/pkg.Service/Method"), each once. */
static size_t served_services(char names[][128], size_t room)
{
	size_t nmethods, n = 0;
	const rpc_method *methods = handlers_methods(&nmethods);

	for (size_t m = 0; m < nmethods; m++) {
		const char *path = methods[m].path + 1, *slash = strchr(path, '/');
		size_t len = slash != NULL ? (size_t)(slash - path) : strlen(path);
		bool seen = false;

		if (len >= 128)
			continue;
		for (size_t i = 0; i < n && !seen; i++)
			seen = strlen(names[i]) == len && strncmp(names[i], path, len) == 0;
		if (!seen && n < room) {
			memcpy(names[n], path, len);
			names[n++][len] = '\0';
		}
	}
	return n;
}

static void error_response(reflection_response *reply,
			   Grpc__Reflection__V1__ErrorResponse *error, int code,
			   const char *message)
{
	error->error_code = code;
	error->error_message = (char *)message;
	reply->message_response_case =
		GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ERROR_RESPONSE;
	reply->error_response = error;
}

/* The file `index` and the files it imports, into reply. */
static void files_response(reflection_response *reply,
			   Grpc__Reflection__V1__FileDescriptorResponse *files,
			   ProtobufCBinaryData *slots, size_t *closure,
			   const descriptor_set *set, size_t index)
{
	size_t n = descriptor_set_closure(set, index, closure);

	for (size_t i = 0; i < n; i++) {
		const descriptor_file *f = descriptor_set_file(set, closure[i]);

		slots[i].data = (uint8_t *)f->bytes;
		slots[i].len = f->size;
	}
	files->n_file_descriptor_proto = n;
	files->file_descriptor_proto = slots;
	reply->message_response_case =
		GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE;
	reply->file_descriptor_response = files;
}

/* Answers one request; returns what rpc_call_send did. */
static int answer(rpc_call *call, const descriptor_set *set, reflection_request *request)
{
	reflection_response reply = GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__INIT;
	Grpc__Reflection__V1__ErrorResponse error = GRPC__REFLECTION__V1__ERROR_RESPONSE__INIT;
	Grpc__Reflection__V1__FileDescriptorResponse files =
		GRPC__REFLECTION__V1__FILE_DESCRIPTOR_RESPONSE__INIT;
	Grpc__Reflection__V1__ListServiceResponse list =
		GRPC__REFLECTION__V1__LIST_SERVICE_RESPONSE__INIT;
	Grpc__Reflection__V1__ExtensionNumberResponse numbers =
		GRPC__REFLECTION__V1__EXTENSION_NUMBER_RESPONSE__INIT;
	Grpc__Reflection__V1__ServiceResponse services[32];
	Grpc__Reflection__V1__ServiceResponse *service_list[32];
	char names[32][128], message[384];
	size_t nfiles = set != NULL ? descriptor_set_count(set) : 0;
	ProtobufCBinaryData *slots = calloc(nfiles + 1, sizeof(*slots));
	size_t *closure = calloc(nfiles + 1, sizeof(*closure));
	long found;
	int rc;

	reply.valid_host = request->host;
	reply.original_request = request;
	if (slots == NULL || closure == NULL || set == NULL) {
		error_response(&reply, &error, CODE_INTERNAL,
			       set == NULL ? "csperfd has no descriptors to give" : "out of memory");
		goto send;
	}
	switch (request->message_request_case) {
	case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_LIST_SERVICES: {
		size_t n = served_services(names, 32);

		for (size_t i = 0; i < n; i++) {
			grpc__reflection__v1__service_response__init(&services[i]);
			services[i].name = names[i];
			service_list[i] = &services[i];
		}
		list.n_service = n;
		list.service = service_list;
		reply.message_response_case =
			GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_LIST_SERVICES_RESPONSE;
		reply.list_services_response = &list;
		break;
	}
	case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_BY_FILENAME:
		found = descriptor_set_find_file(set, request->file_by_filename);
		if (found < 0) {
			snprintf(message, sizeof(message), "no file named %.300s",
				 request->file_by_filename);
			error_response(&reply, &error, CODE_NOT_FOUND, message);
		} else {
			files_response(&reply, &files, slots, closure, set, (size_t)found);
		}
		break;
	case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_SYMBOL:
		found = descriptor_set_find_symbol(set, request->file_containing_symbol);
		if (found < 0) {
			snprintf(message, sizeof(message), "no symbol named %.300s",
				 request->file_containing_symbol);
			error_response(&reply, &error, CODE_NOT_FOUND, message);
		} else {
			files_response(&reply, &files, slots, closure, set, (size_t)found);
		}
		break;
	case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_EXTENSION: {
		const Grpc__Reflection__V1__ExtensionRequest *ext = request->file_containing_extension;

		found = ext != NULL ? descriptor_set_find_extension(set, ext->containing_type,
								     ext->extension_number) : -1;
		if (found < 0) {
			snprintf(message, sizeof(message), "no extension %d of %.300s",
				 ext != NULL ? ext->extension_number : 0,
				 ext != NULL ? ext->containing_type : "");
			error_response(&reply, &error, CODE_NOT_FOUND, message);
		} else {
			files_response(&reply, &files, slots, closure, set, (size_t)found);
		}
		break;
	}
	case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_ALL_EXTENSION_NUMBERS_OF_TYPE:
		/* csperf's messages have no extensions: a message of the set has
		 * none; anything else is not found. */
		if (!descriptor_set_is_message(set, request->all_extension_numbers_of_type)) {
			snprintf(message, sizeof(message), "no message type named %.300s",
				 request->all_extension_numbers_of_type);
			error_response(&reply, &error, CODE_NOT_FOUND, message);
		} else {
			numbers.base_type_name = request->all_extension_numbers_of_type;
			reply.message_response_case =
				GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE;
			reply.all_extension_numbers_response = &numbers;
		}
		break;
	default:
		error_response(&reply, &error, CODE_INVALID_ARGUMENT,
			       "the request asks for nothing: set one of file_by_filename, "
			       "file_containing_symbol, file_containing_extension, "
			       "all_extension_numbers_of_type, list_services");
		break;
	}
send:
	rc = rpc_call_send(call, &reply.base);
	free(slots);
	free(closure);
	return rc;
}

/* Answers each request until the client ends its stream: 0, or -1 with st
 * saying why the call must fail. The call is ended by the caller. */
static int serve_stream(rpc_call *call, status *st)
{
	const descriptor_set *set = descriptor_set_builtin();

	for (;;) {
		ProtobufCMessage *msg = NULL;
		int got = rpc_call_recv(call, &msg, st);

		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		got = answer(call, set, (reflection_request *)msg);
		protobuf_c_message_free_unpacked(msg, NULL);
		if (got != 0)
			return status_set(st, STATUS_CANCELLED, "the client went");
	}
}

void handle_server_reflection(rpc_call *call, void *ctx)
{
	status st = STATUS_INIT;
	int rc;

	(void)ctx;
	if (atomic_fetch_add(&streams_open, 1) >= REFLECTION_STREAMS_MAX) {
		atomic_fetch_sub(&streams_open, 1);
		rpc_call_fail(call, STATUS_RESOURCE_EXHAUSTED, "%d reflection streams are open "
			      "already: close one, or try again later", REFLECTION_STREAMS_MAX);
		return;
	}
	rc = serve_stream(call, &st);
	/* Before the client hears the end: a stream it opens next is served. */
	atomic_fetch_sub(&streams_open, 1);
	if (rc != 0)
		rpc_call_fail_status(call, &st);
	else
		rpc_call_reply(call, NULL);
}
