/*
 * watch.c: the SDK side of WatchScorecard: a server stream with no deadline
 * on its own completion queue, read one message at a time with a timeout so
 * that the caller can stop it (csperf_scorecard_watch_cancel from another
 * thread, or between two waits). The watch keeps the current rows and
 * applies each update to them, so that a caller can show the whole
 * scorecard as well as what changed.
 */
#include <grpc/byte_buffer.h>
#include <grpc/support/time.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "csperf/scorecards.h"

#include "csperf/v1/scorecards.pb-c.h"

#define WHAT "WatchScorecard"

/* The batches a watch has in flight, by tag. */
enum { TAG_START, TAG_RECV, TAG_STATUS, NTAGS };

struct csperf_scorecard_watch {
	csperf_client *client;
	grpc_completion_queue *cq;
	grpc_call *call;
	grpc_byte_buffer *request;
	grpc_byte_buffer *message;
	grpc_metadata auth;
	grpc_metadata_array initial, trailing;
	grpc_status_code status;
	grpc_slice details;
	bool pending[NTAGS];
	int tags[NTAGS];              /* the addresses are the tags */
	int ended;                    /* 0, or the code the watch ended with */
	bool first_ready;             /* open read the first update: next gives it */

	/* The scorecard so far: each row unpacked on its own. */
	Csperf__V1__ScorecardRow **rows;
	size_t nrows;
	uint64_t sequence;
	bool have_sequence;

	Csperf__V1__ScorecardUpdate *last;   /* the update being shown */
	csperf_scorecard *changed, *whole;
	csperf_scorecard_update update;
};

static int start_recv(csperf_scorecard_watch *w)
{
	grpc_op op;

	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_RECV_MESSAGE;
	op.data.recv_message.recv_message = &w->message;
	if (grpc_call_start_batch(w->call, &op, 1, &w->tags[TAG_RECV], NULL) != GRPC_CALL_OK)
		return -1;
	w->pending[TAG_RECV] = true;
	return 0;
}

static int start_status(csperf_scorecard_watch *w)
{
	grpc_op op;

	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	op.data.recv_status_on_client.trailing_metadata = &w->trailing;
	op.data.recv_status_on_client.status = &w->status;
	op.data.recv_status_on_client.status_details = &w->details;
	if (grpc_call_start_batch(w->call, &op, 1, &w->tags[TAG_STATUS], NULL) != GRPC_CALL_OK)
		return -1;
	w->pending[TAG_STATUS] = true;
	return 0;
}

/* A standalone copy of a row (protobuf-c copies by packing). */
static Csperf__V1__ScorecardRow *row_copy(const Csperf__V1__ScorecardRow *row)
{
	size_t size = protobuf_c_message_get_packed_size(&row->base);
	uint8_t *bytes = malloc(size > 0 ? size : 1);
	Csperf__V1__ScorecardRow *copy = NULL;

	if (bytes == NULL)
		return NULL;
	protobuf_c_message_pack(&row->base, bytes);
	copy = csperf__v1__scorecard_row__unpack(NULL, size, bytes);
	free(bytes);
	return copy;
}

static void rows_clear(csperf_scorecard_watch *w)
{
	for (size_t i = 0; i < w->nrows; i++)
		csperf__v1__scorecard_row__free_unpacked(w->rows[i], NULL);
	w->nrows = 0;
}

/* Puts a row in place of the one with its indicator, or at the end. */
static int rows_put(csperf_scorecard_watch *w, const Csperf__V1__ScorecardRow *row)
{
	Csperf__V1__ScorecardRow *copy = row_copy(row), **grown;

	if (copy == NULL)
		return -1;
	for (size_t i = 0; i < w->nrows; i++) {
		if (strcmp(w->rows[i]->indicator_id, row->indicator_id) == 0) {
			csperf__v1__scorecard_row__free_unpacked(w->rows[i], NULL);
			w->rows[i] = copy;
			return 0;
		}
	}
	grown = realloc(w->rows, (w->nrows + 1) * sizeof(*grown));
	if (grown == NULL) {
		csperf__v1__scorecard_row__free_unpacked(copy, NULL);
		return -1;
	}
	w->rows = grown;
	w->rows[w->nrows++] = copy;
	return 0;
}

static void rows_remove(csperf_scorecard_watch *w, const char *indicator_id)
{
	for (size_t i = 0; i < w->nrows; i++) {
		if (strcmp(w->rows[i]->indicator_id, indicator_id) == 0) {
			csperf__v1__scorecard_row__free_unpacked(w->rows[i], NULL);
			memmove(&w->rows[i], &w->rows[i + 1], (w->nrows - i - 1) * sizeof(*w->rows));
			w->nrows--;
			return;
		}
	}
}

static void update_clear(csperf_scorecard_watch *w)
{
	csperf_scorecard_free(w->changed);
	csperf_scorecard_free(w->whole);
	w->changed = w->whole = NULL;
	if (w->last != NULL)
		csperf__v1__scorecard_update__free_unpacked(w->last, NULL);
	w->last = NULL;
	memset(&w->update, 0, sizeof(w->update));
}

/* Applies an update that arrived; 0, or the code the watch ends with. */
static int apply(csperf_scorecard_watch *w, Csperf__V1__ScorecardUpdate *u)
{
	static const Csperf__V1__GetScorecardResponse no_header =
		CSPERF__V1__GET_SCORECARD_RESPONSE__INIT;
	const Csperf__V1__GetScorecardResponse *header = u->scorecard != NULL ? u->scorecard
						       : &no_header;
	int rc;

	update_clear(w);
	w->last = u;
	if (!u->full && (!w->have_sequence || u->sequence != w->sequence + 1))
		return client_error(CSPERF_EPROTOCOL, WHAT ": update %llu came after %llu: one "
				    "was missed", (unsigned long long)u->sequence,
				    (unsigned long long)w->sequence);
	if (u->full)
		rows_clear(w);
	for (size_t i = 0; i < header->n_rows; i++)
		if (rows_put(w, header->rows[i]) != 0)
			return client_error(CSPERF_ENOMEM, WHAT ": out of memory");
	for (size_t i = 0; i < u->n_removed; i++)
		rows_remove(w, u->removed[i]);
	w->sequence = u->sequence;
	w->have_sequence = true;
	/* Views without copies: the update and the rows outlive them (until
	 * update_clear). */
	if ((rc = client_scorecard_view(&header->base, (void *const *)header->rows, header->n_rows,
					&w->changed, WHAT)) != CSPERF_OK ||
	    (rc = client_scorecard_view(&header->base, (void *const *)w->rows, w->nrows,
					&w->whole, WHAT)) != CSPERF_OK)
		return rc;
	w->update.sequence = u->sequence;
	w->update.full = u->full;
	w->update.changed = w->changed;
	w->update.nremoved = u->n_removed;
	w->update.removed = (const char *const *)u->removed;
	w->update.scorecard = w->whole;
	return 0;
}

/* Waits for the next event until `deadline`: 1 an update was applied, 0 the
 * time ran out, negative the watch ended. */
static int pump(csperf_scorecard_watch *w, gpr_timespec deadline)
{
	for (;;) {
		grpc_event ev;
		int tag;

		if (w->ended != 0)
			return w->ended;
		ev = grpc_completion_queue_next(w->cq, deadline, NULL);
		if (ev.type == GRPC_QUEUE_TIMEOUT)
			return 0;
		if (ev.type != GRPC_OP_COMPLETE)
			return w->ended = client_error(CSPERF_EUNAVAILABLE, WHAT ": the queue shut down");
		tag = (int)((int *)ev.tag - w->tags);
		w->pending[tag] = false;
		if (tag == TAG_STATUS) {
			if (w->status == GRPC_STATUS_OK)
				w->ended = client_error(CSPERF_EUNAVAILABLE, WHAT ": %s ended the watch",
							w->client->server);
			else
				w->ended = client_status_error(w->client, WHAT, w->status, w->details);
			return w->ended;
		}
		if (tag != TAG_RECV)
			continue;
		if (w->message == NULL) {
			/* The stream ended: its status says why. */
			if (start_status(w) != 0)
				return w->ended = client_error(CSPERF_EUNAVAILABLE, WHAT ": the call failed");
			continue;
		}
		{
			Csperf__V1__ScorecardUpdate *u =
				(Csperf__V1__ScorecardUpdate *)client_unpack(w->message,
					&csperf__v1__scorecard_update__descriptor);
			int rc;

			grpc_byte_buffer_destroy(w->message);
			w->message = NULL;
			if (u == NULL) {
				grpc_call_cancel(w->call, NULL);
				return w->ended = client_error(CSPERF_EPROTOCOL, WHAT ": a message from %s "
							       "is not a ScorecardUpdate",
							       w->client->server);
			}
			rc = apply(w, u);
			if (rc != 0) {
				grpc_call_cancel(w->call, NULL);
				return w->ended = rc;
			}
			if (start_recv(w) != 0) {
				grpc_call_cancel(w->call, NULL);
				return w->ended = client_error(CSPERF_EUNAVAILABLE, WHAT ": the call failed");
			}
			return 1;
		}
	}
}

int csperf_scorecard_watch_open(csperf_client *client, const csperf_scorecard_query *query,
				csperf_scorecard_watch **out)
{
	Csperf__V1__GetScorecardRequest req = CSPERF__V1__GET_SCORECARD_REQUEST__INIT;
	csperf_scorecard_watch *w;
	grpc_op ops[4];
	int rc;

	if (client == NULL || query == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, WHAT ": client, query or out is NULL");
	*out = NULL;
	if (query->version != CSPERF_SCORECARD_QUERY_VERSION)
		return client_error(CSPERF_EVERSION, WHAT ": query version %u is not %d",
				    query->version, CSPERF_SCORECARD_QUERY_VERSION);
	if (query->council == NULL || query->period == NULL)
		return client_error(CSPERF_EINVAL, WHAT ": council and period are required");
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return client_error(CSPERF_ENOMEM, WHAT ": out of memory");
	w->client = client;
	w->details = grpc_empty_slice();
	grpc_metadata_array_init(&w->initial);
	grpc_metadata_array_init(&w->trailing);
	w->cq = grpc_completion_queue_create_for_next(NULL);
	w->call = grpc_channel_create_call(client->channel, NULL, GRPC_PROPAGATE_DEFAULTS, w->cq,
					   grpc_slice_from_static_string(
						   "/csperf.v1.Performance/WatchScorecard"),
					   NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	req.council = (char *)query->council;
	req.period = (char *)query->period;
	req.stage = (char *)(query->stage != NULL ? query->stage : "");
	req.org_unit = (char *)(query->org_unit != NULL ? query->org_unit : "");
	w->request = client_pack(&req.base);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[0].data.send_initial_metadata.count = client_auth_metadata(client, &w->auth);
	ops[0].data.send_initial_metadata.metadata = &w->auth;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = w->request;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &w->initial;
	if (grpc_call_start_batch(w->call, ops, 4, &w->tags[TAG_START], NULL) != GRPC_CALL_OK ||
	    (w->pending[TAG_START] = true, start_recv(w)) != 0) {
		csperf_scorecard_watch_free(w);
		return client_error(CSPERF_EUNAVAILABLE, WHAT ": the call could not start");
	}
	rc = pump(w, gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
				  gpr_time_from_millis(client->timeout_ms, GPR_TIMESPAN)));
	if (rc == 0)
		rc = client_error(CSPERF_ETIMEOUT, WHAT ": no scorecard from %s within %lld ms",
				  client->server, (long long)client->timeout_ms);
	if (rc < 0) {
		char message[1024];

		/* Freeing drains the queue, which may set the last error. */
		strncpy(message, csperf_error_last(), sizeof(message) - 1);
		message[sizeof(message) - 1] = '\0';
		csperf_scorecard_watch_free(w);
		return client_error(rc, "%s", message);
	}
	w->first_ready = true;
	*out = w;
	return CSPERF_OK;
}

int csperf_scorecard_watch_next(csperf_scorecard_watch *w, int64_t timeout_ms,
				const csperf_scorecard_update **out)
{
	gpr_timespec deadline;
	int rc;

	if (w == NULL || out == NULL)
		return client_error(CSPERF_EINVAL, WHAT ": watch or out is NULL");
	*out = NULL;
	if (w->first_ready) {
		w->first_ready = false;
		*out = &w->update;
		return 1;
	}
	deadline = timeout_ms < 0 ? gpr_inf_future(GPR_CLOCK_REALTIME)
		: gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
			       gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
	rc = pump(w, deadline);
	if (rc == 1)
		*out = &w->update;
	return rc;
}

void csperf_scorecard_watch_cancel(csperf_scorecard_watch *w)
{
	if (w != NULL && w->call != NULL)
		grpc_call_cancel(w->call, NULL);
}

void csperf_scorecard_watch_free(csperf_scorecard_watch *w)
{
	if (w == NULL)
		return;
	if (w->call != NULL) {
		grpc_call_cancel(w->call, NULL);
		/* Every batch in flight completes once the call is cancelled. */
		for (;;) {
			bool any = false;
			grpc_event ev;

			for (int i = 0; i < NTAGS; i++)
				any |= w->pending[i];
			if (!any)
				break;
			ev = grpc_completion_queue_next(w->cq, gpr_inf_future(GPR_CLOCK_REALTIME),
							NULL);
			if (ev.type != GRPC_OP_COMPLETE)
				break;
			w->pending[(int *)ev.tag - w->tags] = false;
		}
		grpc_call_unref(w->call);
	}
	client_cq_destroy(w->cq);
	if (w->message != NULL)
		grpc_byte_buffer_destroy(w->message);
	if (w->request != NULL)
		grpc_byte_buffer_destroy(w->request);
	grpc_metadata_array_destroy(&w->initial);
	grpc_metadata_array_destroy(&w->trailing);
	grpc_slice_unref(w->details);
	update_clear(w);
	rows_clear(w);
	free(w->rows);
	free(w);
}

int csperf_scorecard_watch_each(csperf_client *client, const csperf_scorecard_query *query,
				csperf_scorecard_update_cb cb, void *ctx)
{
	csperf_scorecard_watch *w = NULL;
	const csperf_scorecard_update *update;
	int rc = csperf_scorecard_watch_open(client, query, &w);

	while (rc == CSPERF_OK || rc == 1) {
		rc = csperf_scorecard_watch_next(w, -1, &update);
		if (rc == 1 && cb(update, ctx) != 0) {
			rc = CSPERF_OK;
			break;
		}
	}
	csperf_scorecard_watch_free(w);
	return rc;
}
