/*
 * client.c: libcsperf's channel (plain TCP or TLS), calls and errors: the
 * only file of the SDK that speaks gRPC core.
 */
#include "client_internal.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest reply accepted; scorecards and pages of cases are far smaller. */
#define MAX_MESSAGE_BYTES (64 * 1024 * 1024)
/* PEM files are small; anything bigger is not one. */
#define MAX_PEM_BYTES (1024 * 1024)

static _Thread_local char last_error[1024];

const char *csperf_version(void)
{
	return CSPERF_VERSION;
}

const char *csperf_error_last(void)
{
	return last_error;
}

int client_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return code;
}

const char *csperf_strerror(int code)
{
	switch (code) {
	case CSPERF_OK: return "success";
	case CSPERF_ERROR: return "error";
	case CSPERF_EINVAL: return "invalid argument";
	case CSPERF_ENOMEM: return "out of memory";
	case CSPERF_EUNAVAILABLE: return "unavailable";
	case CSPERF_ETIMEOUT: return "deadline exceeded";
	case CSPERF_ECANCELLED: return "cancelled";
	case CSPERF_ENOTFOUND: return "not found";
	case CSPERF_EEXISTS: return "already exists";
	case CSPERF_EAUTH: return "not authenticated";
	case CSPERF_EPERM: return "permission denied";
	case CSPERF_EEXHAUSTED: return "resource exhausted";
	case CSPERF_EPRECONDITION: return "failed precondition";
	case CSPERF_EABORTED: return "aborted";
	case CSPERF_ERANGE: return "out of range";
	case CSPERF_EUNIMPLEMENTED: return "not implemented by the server";
	case CSPERF_EINTERNAL: return "internal server error";
	case CSPERF_EDATALOSS: return "data loss";
	case CSPERF_EPROTOCOL: return "unreadable reply";
	case CSPERF_EVERSION: return "unknown options version";
	default: return "unknown error code";
	}
}

int client_code_from_status(grpc_status_code status)
{
	switch (status) {
	case GRPC_STATUS_OK: return CSPERF_OK;
	case GRPC_STATUS_CANCELLED: return CSPERF_ECANCELLED;
	case GRPC_STATUS_INVALID_ARGUMENT: return CSPERF_EINVAL;
	case GRPC_STATUS_DEADLINE_EXCEEDED: return CSPERF_ETIMEOUT;
	case GRPC_STATUS_NOT_FOUND: return CSPERF_ENOTFOUND;
	case GRPC_STATUS_ALREADY_EXISTS: return CSPERF_EEXISTS;
	case GRPC_STATUS_PERMISSION_DENIED: return CSPERF_EPERM;
	case GRPC_STATUS_RESOURCE_EXHAUSTED: return CSPERF_EEXHAUSTED;
	case GRPC_STATUS_FAILED_PRECONDITION: return CSPERF_EPRECONDITION;
	case GRPC_STATUS_ABORTED: return CSPERF_EABORTED;
	case GRPC_STATUS_OUT_OF_RANGE: return CSPERF_ERANGE;
	case GRPC_STATUS_UNIMPLEMENTED: return CSPERF_EUNIMPLEMENTED;
	case GRPC_STATUS_INTERNAL: return CSPERF_EINTERNAL;
	case GRPC_STATUS_UNAVAILABLE: return CSPERF_EUNAVAILABLE;
	case GRPC_STATUS_DATA_LOSS: return CSPERF_EDATALOSS;
	case GRPC_STATUS_UNAUTHENTICATED: return CSPERF_EAUTH;
	default: return CSPERF_ERROR;
	}
}

char *client_strdup(const char *text)
{
	return strdup(text != NULL ? text : "");
}

/* Reads a PEM file into a malloc'd string; sets the last error on failure. */
static char *read_pem(const char *path, const char *what)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t used;

	if (f == NULL) {
		client_error(CSPERF_EINVAL, "csperf_client_new: cannot read the %s %s: %s", what,
			     path, strerror(errno));
		return NULL;
	}
	text = malloc(MAX_PEM_BYTES + 1);
	if (text == NULL) {
		fclose(f);
		client_error(CSPERF_ENOMEM, "csperf_client_new: out of memory");
		return NULL;
	}
	used = fread(text, 1, MAX_PEM_BYTES + 1, f);
	if (ferror(f) || used > MAX_PEM_BYTES || used == 0) {
		fclose(f);
		free(text);
		client_error(CSPERF_EINVAL, "csperf_client_new: the %s %s is not a PEM file", what,
			     path);
		return NULL;
	}
	fclose(f);
	text[used] = '\0';
	return text;
}

static bool wants_tls(const csperf_client_options *opts)
{
	return opts->tls != 0 || opts->tls_ca_file != NULL || opts->tls_cert_file != NULL ||
	       opts->tls_key_file != NULL;
}

/* The channel's credentials: TLS as the options ask, or plain TCP. Returns
 * a CSPERF_E* code (the last error set). */
static int channel_credentials(const csperf_client_options *opts,
			       grpc_channel_credentials **out)
{
	grpc_ssl_pem_key_cert_pair pair = { NULL, NULL };
	char *ca = NULL, *cert = NULL, *key = NULL;
	int rc = CSPERF_OK;

	*out = NULL;
	if (!wants_tls(opts)) {
		*out = grpc_insecure_credentials_create();
		return CSPERF_OK;
	}
	if ((opts->tls_cert_file == NULL) != (opts->tls_key_file == NULL))
		return client_error(CSPERF_EINVAL,
				    "csperf_client_new: tls_cert_file and tls_key_file go together");
	if (opts->tls_ca_file != NULL && (ca = read_pem(opts->tls_ca_file, "TLS CA file")) == NULL)
		return CSPERF_EINVAL;
	if (opts->tls_cert_file != NULL) {
		cert = read_pem(opts->tls_cert_file, "TLS certificate");
		key = cert != NULL ? read_pem(opts->tls_key_file, "TLS key") : NULL;
		if (key == NULL) {
			rc = CSPERF_EINVAL;
			goto cleanup;
		}
		pair.cert_chain = cert;
		pair.private_key = key;
	}
	/* gRPC copies what it needs. */
	*out = grpc_ssl_credentials_create(ca, cert != NULL ? &pair : NULL, NULL, NULL);
	if (*out == NULL)
		rc = client_error(CSPERF_EINVAL, "csperf_client_new: gRPC refused the TLS files");
cleanup:
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	free(cert);
	free(ca);
	return rc;
}

int csperf_client_new(csperf_client **out, const csperf_client_options *opts)
{
	csperf_client_options defaults = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client;
	grpc_channel_credentials *creds = NULL;
	grpc_arg args[2];
	grpc_channel_args channel_args;
	int rc;

	if (out == NULL)
		return client_error(CSPERF_EINVAL, "csperf_client_new: out is NULL");
	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if (opts->version != CSPERF_CLIENT_OPTIONS_VERSION)
		return client_error(CSPERF_EVERSION,
				    "csperf_client_new: options version %u is not %d",
				    opts->version, CSPERF_CLIENT_OPTIONS_VERSION);
	if (opts->timeout_ms < 0)
		return client_error(CSPERF_EINVAL, "csperf_client_new: timeout_ms is negative");
	client = calloc(1, sizeof(*client));
	if (client == NULL)
		return client_error(CSPERF_ENOMEM, "csperf_client_new: out of memory");
	client->server = strdup(opts->server != NULL && opts->server[0] != '\0'
				? opts->server : CSPERF_DEFAULT_SERVER);
	client->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : CSPERF_DEFAULT_TIMEOUT_MS;
	if (opts->token != NULL && opts->token[0] != '\0') {
		size_t len = strlen(opts->token) + sizeof("Bearer ");

		client->authorization = malloc(len);
		if (client->authorization != NULL)
			snprintf(client->authorization, len, "Bearer %s", opts->token);
	}
	if (client->server == NULL ||
	    (opts->token != NULL && opts->token[0] != '\0' && client->authorization == NULL)) {
		csperf_client_free(client);
		return client_error(CSPERF_ENOMEM, "csperf_client_new: out of memory");
	}

	grpc_init();
	rc = channel_credentials(opts, &creds);
	if (rc != CSPERF_OK) {
		grpc_shutdown();
		csperf_client_free(client);
		return rc;
	}
	memset(args, 0, sizeof(args));
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
	args[0].value.integer = MAX_MESSAGE_BYTES;
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
	args[1].value.integer = MAX_MESSAGE_BYTES;
	channel_args.num_args = 2;
	channel_args.args = args;
	client->channel = grpc_channel_create(client->server, creds, &channel_args);
	grpc_channel_credentials_release(creds);
	*out = client;
	return CSPERF_OK;
}

void csperf_client_free(csperf_client *client)
{
	if (client == NULL)
		return;
	if (client->channel != NULL) {
		grpc_channel_destroy(client->channel);
		grpc_shutdown();
	}
	free(client->server);
	free(client->authorization);
	free(client);
}

const char *csperf_client_server(const csperf_client *client)
{
	return client->server;
}

grpc_byte_buffer *client_pack(const ProtobufCMessage *msg)
{
	size_t size = protobuf_c_message_get_packed_size(msg);
	grpc_slice slice = grpc_slice_malloc(size);
	grpc_byte_buffer *buffer;

	protobuf_c_message_pack(msg, GRPC_SLICE_START_PTR(slice));
	buffer = grpc_raw_byte_buffer_create(&slice, 1);
	grpc_slice_unref(slice);
	return buffer;
}

ProtobufCMessage *client_unpack(grpc_byte_buffer *buffer,
				 const ProtobufCMessageDescriptor *type)
{
	grpc_byte_buffer_reader reader;
	grpc_slice slice;
	ProtobufCMessage *msg;

	if (!grpc_byte_buffer_reader_init(&reader, buffer))
		return NULL;
	slice = grpc_byte_buffer_reader_readall(&reader);
	grpc_byte_buffer_reader_destroy(&reader);
	msg = protobuf_c_message_unpack(type, NULL, GRPC_SLICE_LENGTH(slice),
					GRPC_SLICE_START_PTR(slice));
	grpc_slice_unref(slice);
	return msg;
}

void client_cq_destroy(grpc_completion_queue *cq)
{
	grpc_completion_queue_shutdown(cq);
	while (grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
	       GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(cq);
}

int client_status_error(const csperf_client *client, const char *what,
			grpc_status_code status, grpc_slice details)
{
	char text[512];
	size_t len = GRPC_SLICE_LENGTH(details);
	int code = client_code_from_status(status);

	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	memcpy(text, GRPC_SLICE_START_PTR(details), len);
	text[len] = '\0';
	if (code == CSPERF_EUNAVAILABLE && strstr(text, "database") == NULL)
		return client_error(code, "%s: cannot reach csperfd at %s (%s)", what,
				    client->server, text[0] != '\0' ? text : "unavailable");
	if (code == CSPERF_ETIMEOUT)
		return client_error(code, "%s: no answer from csperfd at %s within %lld ms",
				    what, client->server, (long long)client->timeout_ms);
	return client_error(code, "%s: %s", what,
			    text[0] != '\0' ? text : csperf_strerror(code));
}

size_t client_auth_metadata(const csperf_client *client, grpc_metadata *md)
{
	memset(md, 0, sizeof(*md));
	if (client->authorization == NULL)
		return 0;
	md->key = grpc_slice_from_static_string("authorization");
	md->value = grpc_slice_from_static_string(client->authorization);
	return 1;
}

int client_unary(csperf_client *client, const char *method, const char *what,
		 const ProtobufCMessage *request,
		 const ProtobufCMessageDescriptor *response_type,
		 ProtobufCMessage **out)
{
	grpc_completion_queue *cq = grpc_completion_queue_create_for_next(NULL);
	grpc_slice method_slice = grpc_slice_from_static_string(method);
	gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
					     gpr_time_from_millis(client->timeout_ms, GPR_TIMESPAN));
	grpc_byte_buffer *request_buffer = client_pack(request), *response_buffer = NULL;
	grpc_metadata_array initial_metadata, trailing_metadata;
	grpc_metadata auth;
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice details = grpc_empty_slice();
	grpc_op ops[6];
	grpc_call *call;
	grpc_event ev;
	int rc;

	*out = NULL;
	grpc_metadata_array_init(&initial_metadata);
	grpc_metadata_array_init(&trailing_metadata);
	call = grpc_channel_create_call(client->channel, NULL, GRPC_PROPAGATE_DEFAULTS, cq,
					method_slice, NULL, deadline, NULL);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[0].data.send_initial_metadata.count = client_auth_metadata(client, &auth);
	ops[0].data.send_initial_metadata.metadata = &auth;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = request_buffer;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &initial_metadata;
	ops[4].op = GRPC_OP_RECV_MESSAGE;
	ops[4].data.recv_message.recv_message = &response_buffer;
	ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[5].data.recv_status_on_client.trailing_metadata = &trailing_metadata;
	ops[5].data.recv_status_on_client.status = &status;
	ops[5].data.recv_status_on_client.status_details = &details;

	if (grpc_call_start_batch(call, ops, 6, ops, NULL) != GRPC_CALL_OK) {
		rc = client_error(CSPERF_ERROR, "%s: the call could not start", what);
		grpc_call_unref(call);
		goto cleanup;
	}
	ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	(void)ev;  /* success is 1 even for failed RPCs: the status says */
	grpc_call_unref(call);

	if (status != GRPC_STATUS_OK) {
		rc = client_status_error(client, what, status, details);
		goto cleanup;
	}
	if (response_buffer == NULL ||
	    (*out = client_unpack(response_buffer, response_type)) == NULL) {
		rc = client_error(CSPERF_EPROTOCOL, "%s: the reply from %s is not a %s", what,
				  client->server, response_type->name);
		goto cleanup;
	}
	rc = CSPERF_OK;
cleanup:
	client_cq_destroy(cq);
	grpc_byte_buffer_destroy(request_buffer);
	if (response_buffer != NULL)
		grpc_byte_buffer_destroy(response_buffer);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&initial_metadata);
	grpc_metadata_array_destroy(&trailing_metadata);
	return rc;
}
