/*
 * client.c: libcsperf's channel (plain TCP or TLS), calls and errors: the
 * only file of the SDK that speaks gRPC core.
 */
#include "client_internal.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

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

/* Several servers ("host1:50051,host2:50051") become one gRPC target that
 * lists their addresses ("ipv4:10.0.0.1:50051,10.0.0.2:50051"), balanced by
 * gRPC's round_robin policy: hosts are resolved here, once, since gRPC
 * core's C API has no resolver for a list of names. *first_host is the
 * first entry's host (malloc'd), which TLS checks every certificate against.
 * Returns the malloc'd target, or NULL with the last error set. */
static char *multi_server_target(const char *servers, char **first_host)
{
	char *copy = strdup(servers), *save = NULL, *target = NULL;
	size_t size = 0;
	FILE *f;
	int family = 0;

	*first_host = NULL;
	if (copy == NULL || (f = open_memstream(&target, &size)) == NULL) {
		free(copy);
		client_error(CSPERF_ENOMEM, "csperf_client_new: out of memory");
		return NULL;
	}
	for (char *entry = strtok_r(copy, ", ", &save); entry != NULL;
	     entry = strtok_r(NULL, ", ", &save)) {
		char host[256], ip[INET6_ADDRSTRLEN];
		const char *port = strrchr(entry, ':');
		struct addrinfo hints, *found = NULL;
		size_t hostlen;

		if (port == NULL || port == entry || port[1] == '\0')
			goto bad;
		hostlen = (size_t)(port - entry);
		if (entry[0] == '[' && hostlen >= 2 && entry[hostlen - 1] == ']') {
			entry++;
			hostlen -= 2;
		}
		if (hostlen >= sizeof(host))
			goto bad;
		memcpy(host, entry, hostlen);
		host[hostlen] = '\0';
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = family != 0 ? family : AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(host, port + 1, &hints, &found) != 0 || found == NULL) {
			fclose(f);
			free(target);
			free(copy);
			free(*first_host);
			*first_host = NULL;
			client_error(CSPERF_EINVAL, "csperf_client_new: cannot resolve %s%s", host,
				     family != 0 ? " in the address family of the first server" : "");
			return NULL;
		}
		family = found->ai_family;
		if (family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)found->ai_addr)->sin_addr, ip,
				  sizeof(ip));
		else
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)found->ai_addr)->sin6_addr, ip,
				  sizeof(ip));
		freeaddrinfo(found);
		if (*first_host == NULL) {
			*first_host = strdup(host);
			fprintf(f, "%s:", family == AF_INET ? "ipv4" : "ipv6");
		} else {
			fputc(',', f);
		}
		fprintf(f, family == AF_INET ? "%s:%s" : "[%s]:%s", ip, port + 1);
	}
	fclose(f);
	free(copy);
	if (*first_host == NULL) {
		free(target);
		client_error(CSPERF_EINVAL, "csperf_client_new: no server address in '%s'", servers);
		return NULL;
	}
	return target;
bad:
	fclose(f);
	free(target);
	free(copy);
	free(*first_host);
	*first_host = NULL;
	client_error(CSPERF_EINVAL, "csperf_client_new: '%s' is not a list of host:port", servers);
	return NULL;
}

int csperf_client_new(csperf_client **out, const csperf_client_options *opts)
{
	csperf_client_options defaults = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client;
	grpc_channel_credentials *creds = NULL;
	grpc_arg args[5];
	grpc_channel_args channel_args;
	char *target = NULL, *first_host = NULL;
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
	if (strchr(client->server, ',') != NULL) {
		/* Several csperfd: gRPC's round_robin spreads calls over them and
		 * leaves out one that stops (docs/SCALING.md). */
		target = multi_server_target(client->server, &first_host);
		if (target == NULL) {
			grpc_channel_credentials_release(creds);
			grpc_shutdown();
			csperf_client_free(client);
			return CSPERF_EINVAL;
		}
		args[2].type = GRPC_ARG_STRING;
		args[2].key = GRPC_ARG_LB_POLICY_NAME;
		args[2].value.string = "round_robin";
		args[3].type = GRPC_ARG_STRING;
		args[3].key = GRPC_ARG_DEFAULT_AUTHORITY;
		args[3].value.string = first_host;
		channel_args.num_args = 4;
		if (wants_tls(opts)) {
			args[4].type = GRPC_ARG_STRING;
			args[4].key = GRPC_SSL_TARGET_NAME_OVERRIDE_ARG;
			args[4].value.string = first_host;
			channel_args.num_args = 5;
		}
	}
	client->channel = grpc_channel_create(target != NULL ? target : client->server, creds,
					      &channel_args);
	grpc_channel_credentials_release(creds);
	free(target);
	free(first_host);
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

/* Reads the SDK may send twice: a read whose server died (UNAVAILABLE) is
 * tried once more, on another server when there are several. Loads, puts,
 * deletions and token changes never are. */
static bool is_retryable_read(const char *method)
{
	static const char *const reads[] = {
		"/GetServerInfo", "/ListLoads", "/ListIndicators", "/GetIndicator",
		"/GetIndicatorSeries", "/GetIndicatorCases", "/GetChildList", "/GetScorecard",
		"/GetExceptions", "/GetPlacementCosts", "/ExportPlacementCosts", "/ListTokens",
		"/GetAudit", "/GetReport", "/Check", NULL
	};
	const char *name = strrchr(method, '/');

	for (size_t i = 0; name != NULL && reads[i] != NULL; i++)
		if (strcmp(name, reads[i]) == 0)
			return true;
	return false;
}

/* A moment for the channel to learn that a server went before the retry. */
static void retry_pause(void)
{
	struct timespec ts = { 0, 100 * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int unary_once(csperf_client *client, const char *method, const char *what,
		      const ProtobufCMessage *request,
		      const ProtobufCMessageDescriptor *response_type,
		      ProtobufCMessage **out);

int client_unary(csperf_client *client, const char *method, const char *what,
		 const ProtobufCMessage *request,
		 const ProtobufCMessageDescriptor *response_type,
		 ProtobufCMessage **out)
{
	int rc = unary_once(client, method, what, request, response_type, out);

	if (rc == CSPERF_EUNAVAILABLE && is_retryable_read(method)) {
		retry_pause();
		rc = unary_once(client, method, what, request, response_type, out);
	}
	return rc;
}

static int unary_once(csperf_client *client, const char *method, const char *what,
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

/* Runs one batch and waits for it on the call's own queue. */
static bool run_batch(grpc_call *call, grpc_completion_queue *cq, const grpc_op *ops, size_t n)
{
	grpc_event ev;

	if (grpc_call_start_batch(call, ops, n, (void *)ops, NULL) != GRPC_CALL_OK)
		return false;
	ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	return ev.type == GRPC_OP_COMPLETE && ev.success;
}

/* Counts what a stream delivered, so that only a stream that delivered
 * nothing is tried again. */
typedef struct counted_stream {
	client_message_cb on_message;
	void *ctx;
	size_t delivered;
} counted_stream;

static int count_message(ProtobufCMessage *message, void *ctx)
{
	counted_stream *cs = ctx;

	cs->delivered++;
	return cs->on_message(message, cs->ctx);
}

static int server_stream_once(csperf_client *client, const char *method, const char *what,
			      const ProtobufCMessage *request,
			      const ProtobufCMessageDescriptor *response_type,
			      client_message_cb on_message, void *ctx);

int client_server_stream(csperf_client *client, const char *method, const char *what,
			 const ProtobufCMessage *request,
			 const ProtobufCMessageDescriptor *response_type,
			 client_message_cb on_message, void *ctx)
{
	counted_stream cs = { on_message, ctx, 0 };
	int rc = server_stream_once(client, method, what, request, response_type, count_message,
				    &cs);

	if (rc == CSPERF_EUNAVAILABLE && cs.delivered == 0 && is_retryable_read(method)) {
		retry_pause();
		rc = server_stream_once(client, method, what, request, response_type,
					count_message, &cs);
	}
	return rc;
}

static int server_stream_once(csperf_client *client, const char *method, const char *what,
			      const ProtobufCMessage *request,
			      const ProtobufCMessageDescriptor *response_type,
			      client_message_cb on_message, void *ctx)
{
	grpc_completion_queue *cq = grpc_completion_queue_create_for_next(NULL);
	gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
					     gpr_time_from_millis(client->timeout_ms, GPR_TIMESPAN));
	grpc_call *call = grpc_channel_create_call(client->channel, NULL, GRPC_PROPAGATE_DEFAULTS, cq,
						   grpc_slice_from_static_string(method), NULL,
						   deadline, NULL);
	grpc_byte_buffer *request_buffer = client_pack(request), *message = NULL;
	grpc_metadata auth;
	grpc_metadata_array initial, trailing;
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice details = grpc_empty_slice();
	grpc_op ops[4];
	bool stopped = false, unreadable = false;
	int rc;

	grpc_metadata_array_init(&initial);
	grpc_metadata_array_init(&trailing);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[0].data.send_initial_metadata.count = client_auth_metadata(client, &auth);
	ops[0].data.send_initial_metadata.metadata = &auth;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = request_buffer;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &initial;
	run_batch(call, cq, ops, 4);

	/* One message at a time until the stream ends (or fails: the status
	 * says why), so a long reply never sits in memory. */
	while (!stopped) {
		ProtobufCMessage *msg;
		grpc_op op;

		memset(&op, 0, sizeof(op));
		op.op = GRPC_OP_RECV_MESSAGE;
		op.data.recv_message.recv_message = &message;
		if (!run_batch(call, cq, &op, 1) || message == NULL)
			break;
		msg = client_unpack(message, response_type);
		grpc_byte_buffer_destroy(message);
		message = NULL;
		if (msg == NULL) {
			unreadable = stopped = true;
		} else {
			stopped = on_message(msg, ctx) != 0;
			protobuf_c_message_free_unpacked(msg, NULL);
		}
		if (stopped)
			grpc_call_cancel(call, NULL);
	}
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[0].data.recv_status_on_client.trailing_metadata = &trailing;
	ops[0].data.recv_status_on_client.status = &status;
	ops[0].data.recv_status_on_client.status_details = &details;
	run_batch(call, cq, ops, 1);
	if (unreadable)
		rc = client_error(CSPERF_EPROTOCOL, "%s: a message from %s is not a %s", what,
				  client->server, response_type->name);
	else if (stopped && status != GRPC_STATUS_OK)
		rc = client_error(CSPERF_ECANCELLED, "%s: stopped by the caller", what);
	else if (status != GRPC_STATUS_OK)
		rc = client_status_error(client, what, status, details);
	else
		rc = CSPERF_OK;
	grpc_call_unref(call);
	client_cq_destroy(cq);
	grpc_byte_buffer_destroy(request_buffer);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&initial);
	grpc_metadata_array_destroy(&trailing);
	return rc;
}
