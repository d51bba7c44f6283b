/*
 * live.c: a council's page kept live: server-sent events from a
 * WatchScorecard (each update the table and exceptions rendered again; a
 * comment every HEARTBEAT_MS finds a browser that went), and the committee
 * report made by `csperf report` with the signed-in token in its
 * environment.
 */
#include "web.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "render.h"

/* ---- server-sent events from a watch ---- */

/* The event for an update: the table and exceptions, rendered. */
static int stream_event(event_stream *s, const csperf_scorecard_update *u)
{
	csperf_exceptions *ex = NULL;
	json_t *data = json_object();
	char *table = NULL, *exceptions = NULL, *text = NULL;
	size_t table_len = 0, exceptions_len = 0;
	FILE *f;
	int rc = -1;

	if (csperf_exceptions_get(s->client, u->scorecard->council, u->scorecard->period,
				  &ex) != CSPERF_OK)
		ex = NULL;
	f = open_memstream(&table, &table_len);
	if (f == NULL)
		goto cleanup;
	render_table(f, u->scorecard, s->stage[0] != '\0' ? s->stage : NULL);
	fclose(f);
	f = open_memstream(&exceptions, &exceptions_len);
	if (f == NULL)
		goto cleanup;
	render_exceptions(f, ex, s->stage[0] != '\0' ? s->stage : NULL);
	fclose(f);
	json_object_set_new(data, "sequence", json_integer((json_int_t)u->sequence));
	json_object_set_new(data, "full", json_boolean(u->full));
	json_object_set_new(data, "data_to", json_string(u->scorecard->data_to));
	json_object_set_new(data, "table", json_string(table));
	json_object_set_new(data, "exceptions", json_string(exceptions));
	text = json_dumps(data, JSON_COMPACT);
	if (text == NULL)
		goto cleanup;
	free(s->pending);
	s->pending = NULL;
	if (asprintf(&s->pending, "event: scorecard\nid: %llu\ndata: %s\n\n",
		     (unsigned long long)u->sequence, text) < 0) {
		s->pending = NULL;
		goto cleanup;
	}
	s->len = strlen(s->pending);
	s->off = 0;
	rc = 0;
cleanup:
	free(text);
	free(table);
	free(exceptions);
	json_decref(data);
	csperf_exceptions_free(ex);
	return rc;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	event_stream *s = cls;
	size_t n;

	(void)pos;
	while (s->off >= s->len) {
		const csperf_scorecard_update *u = NULL;
		int rc = csperf_scorecard_watch_next(s->watch, HEARTBEAT_MS, &u);

		if (rc < 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (rc == 0) {
			/* A comment: keeps proxies from closing the stream, and
			 * finds a browser that has gone. */
			free(s->pending);
			s->pending = strdup(": keepalive\n\n");
			if (s->pending == NULL)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			s->len = strlen(s->pending);
			s->off = 0;
		} else if (stream_event(s, u) != 0) {
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(buf, s->pending + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	event_stream *s = cls;

	pthread_mutex_lock(&app.mu);
	for (event_stream **link = &app.streams; *link != NULL; link = &(*link)->next) {
		if (*link == s) {
			*link = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&app.mu);
	csperf_scorecard_watch_free(s->watch);
	csperf_client_free(s->client);
	free(s->pending);
	free(s);
}

enum MHD_Result council_events(struct MHD_Connection *c, const char *token,
			       const char *council, const char *period)
{
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	const csperf_scorecard_update *first = NULL;
	const char *stage = stage_arg(c);
	event_stream *s = calloc(1, sizeof(*s));
	struct MHD_Response *r;
	enum MHD_Result ok;
	int rc;

	if (s == NULL)
		return MHD_NO;
	snprintf(s->stage, sizeof(s->stage), "%s", stage != NULL ? stage : "");
	s->client = client_for(token);
	if (s->client == NULL) {
		free(s);
		return respond_text(c, MHD_HTTP_BAD_GATEWAY, "text/plain", "csperfd unreachable\n");
	}
	query.council = council;
	query.period = period;
	query.stage = stage;
	rc = csperf_scorecard_watch_open(s->client, &query, &s->watch);
	if (rc == CSPERF_OK && csperf_scorecard_watch_next(s->watch, 0, &first) == 1)
		rc = stream_event(s, first) == 0 ? CSPERF_OK : CSPERF_ENOMEM;
	else if (rc == CSPERF_OK)
		rc = CSPERF_EPROTOCOL;
	if (rc != CSPERF_OK) {
		stream_free(s);
		return respond_text(c, rc == CSPERF_EAUTH ? MHD_HTTP_UNAUTHORIZED
				    : rc == CSPERF_EPERM ? MHD_HTTP_FORBIDDEN : MHD_HTTP_BAD_GATEWAY,
				    "text/plain", "the scorecard cannot be watched\n");
	}
	pthread_mutex_lock(&app.mu);
	if (app.stopping)
		csperf_scorecard_watch_cancel(s->watch);
	s->next = app.streams;
	app.streams = s;
	pthread_mutex_unlock(&app.mu);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s,
					       stream_free);
	if (r == NULL) {
		stream_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- the committee report, made by `csperf report` ---- */

enum MHD_Result council_report(struct MHD_Connection *c, const char *token,
			       const char *council, const char *period)
{
	int out[2];
	pid_t pid;
	char *data = NULL;
	size_t len = 0, cap = 0;
	int status = 0;

	if (pipe(out) != 0)
		return MHD_NO;
	pid = fork();
	if (pid < 0) {
		close(out[0]);
		close(out[1]);
		return MHD_NO;
	}
	if (pid == 0) {
		sigset_t none;

		/* csperf-web blocks its stop signals for sigwait: csperf must not. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* The token goes by the environment, never the command line. */
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		setenv("CSPERF_TOKEN", token, 1);
		setenv("CSPERF_SERVER", app.server, 1);
		if (app.tls_ca != NULL)
			setenv("CSPERF_TLS_CA", app.tls_ca, 1);
		execl(app.csperf_path, app.csperf_path, "report", "--council", council, "--period",
		      period, "--out", "-", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	for (;;) {
		ssize_t n;

		if (len + 65536 > cap) {
			char *grown = cap + 65536 <= REPORT_MAX ? realloc(data, cap + 65536) : NULL;

			if (grown == NULL)
				break;
			data = grown;
			cap += 65536;
		}
		n = read(out[0], data + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(out[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || len == 0) {
		free(data);
		return error_page(c, WIFEXITED(status) && WEXITSTATUS(status) == 4
				  ? MHD_HTTP_FORBIDDEN : MHD_HTTP_BAD_GATEWAY,
				  "No report", "The committee report could not be made for this "
				  "council and period with this token.");
	}
	return respond(c, MHD_HTTP_OK, "text/html; charset=utf-8", data, len, CSP_REPORT, NULL,
		       NULL);
}
