/*
 * web.c: csperf-web, the dashboard: an HTTP(S) server (libmicrohttpd, one
 * thread per connection) built on libcsperf's public API only, as the csperf
 * tool is. The browser never talks gRPC: csperf-web calls csperfd with the
 * token the user signed in with (kept in an HttpOnly, SameSite=Strict
 * cookie, Secure when csperf-web speaks TLS), so csperfd enforces the same
 * roles, council scope and small-number suppression as for the CLI.
 *
 * Routes: /signin (GET form, POST token), /signout (POST), / (open a
 * council), /open (the form's target), /c/COUNCIL/PERIOD[?stage=S] (the
 * page), /c/COUNCIL/PERIOD/events (server-sent events from a watch),
 * /c/COUNCIL/PERIOD/report (the committee report, made by `csperf report`),
 * /static/web.css and /static/web.js. The token is never logged.
 */
#include "web.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "assets.h"
#include "render.h"

web app;

/* ---- sign-in ---- */

static enum MHD_Result signin_page(struct MHD_Connection *c, const char *message,
				   unsigned int code)
{
	page p;

	if (page_open(&p) == NULL)
		return MHD_NO;
	render_signin(p.f, message);
	return page_send(c, &p, code);
}

static enum MHD_Result signin(struct MHD_Connection *c, const upload *u)
{
	char token[TOKEN_MAX + 2], cookie[TOKEN_MAX + 128];
	csperf_client *client;
	csperf_server_info *info = NULL;
	int rc;

	if (u->too_long || !form_field(u->body, "token", token, sizeof(token)) ||
	    !valid_token(token))
		return signin_page(c, "That is not a csperf token.", MHD_HTTP_BAD_REQUEST);
	client = client_for(token);
	if (client == NULL)
		return signin_page(c, csperf_error_last(), MHD_HTTP_BAD_GATEWAY);
	/* Every role may ask for the server's details: a valid token can. */
	rc = csperf_server_info_get(client, &info);
	csperf_server_info_free(info);
	csperf_client_free(client);
	if (rc == CSPERF_EAUTH)
		return signin_page(c, "That token is unknown or revoked.", MHD_HTTP_UNAUTHORIZED);
	if (rc != CSPERF_OK)
		return signin_page(c, "csperfd could not be reached: try again.",
				   MHD_HTTP_BAD_GATEWAY);
	snprintf(cookie, sizeof(cookie), COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; "
		 "SameSite=Strict%s", token, SESSION_SECONDS, app.https ? "; Secure" : "");
	memset(token, 0, sizeof(token));
	return redirect(c, "/", cookie);
}

/* ---- a council's page ---- */

static enum MHD_Result council_page(struct MHD_Connection *c, const char *token,
				    const char *council, const char *period)
{
	csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
	csperf_client *client = client_for(token);
	csperf_scorecard *sc = NULL;
	csperf_exceptions *ex = NULL;
	const char *stage = stage_arg(c);
	char events[128], report[128];
	enum MHD_Result result;
	page p;
	int rc;

	if (client == NULL)
		return error_page(c, MHD_HTTP_BAD_GATEWAY, "csperfd could not be reached",
				  csperf_error_last());
	query.council = council;
	query.period = period;
	query.stage = stage;
	rc = csperf_scorecard_get(client, &query, &sc);
	if (rc != CSPERF_OK) {
		result = sdk_failure(c, rc);
		goto cleanup;
	}
	if (csperf_exceptions_get(client, council, period, &ex) != CSPERF_OK)
		ex = NULL;
	snprintf(events, sizeof(events), "/c/%s/%s/events%s%s", council, period,
		 stage != NULL ? "?stage=" : "", stage != NULL ? stage : "");
	snprintf(report, sizeof(report), "/c/%s/%s/report", council, period);
	if (page_open(&p) == NULL) {
		result = MHD_NO;
		goto cleanup;
	}
	render_council(p.f, sc, ex, stage, events, report);
	result = page_send(c, &p, MHD_HTTP_OK);
cleanup:
	csperf_exceptions_free(ex);
	csperf_scorecard_free(sc);
	csperf_client_free(client);
	return result;
}

/* ---- routing ---- */

static enum MHD_Result route_council(struct MHD_Connection *c, const char *url,
				     const char *token)
{
	char council[16], period[32], rest[16];
	const char *p = url + strlen("/c/"), *slash = strchr(p, '/'), *slash2;

	if (slash == NULL || (size_t)(slash - p) >= sizeof(council))
		return error_page(c, MHD_HTTP_NOT_FOUND, "Not found", "There is no such page.");
	memcpy(council, p, (size_t)(slash - p));
	council[slash - p] = '\0';
	slash2 = strchr(slash + 1, '/');
	if ((slash2 != NULL ? (size_t)(slash2 - slash - 1) : strlen(slash + 1)) >= sizeof(period))
		return error_page(c, MHD_HTTP_NOT_FOUND, "Not found", "There is no such page.");
	snprintf(period, sizeof(period), "%.*s",
		 slash2 != NULL ? (int)(slash2 - slash - 1) : (int)strlen(slash + 1), slash + 1);
	snprintf(rest, sizeof(rest), "%s", slash2 != NULL ? slash2 : "");
	if (!valid_council(council) || !valid_period(period))
		return error_page(c, MHD_HTTP_BAD_REQUEST, "Not a scorecard",
				  "A council is an LA code of 3 to 9 letters and digits; a period "
				  "looks like 2018-19:Q4.");
	if (rest[0] == '\0')
		return council_page(c, token, council, period);
	if (strcmp(rest, "/events") == 0)
		return council_events(c, token, council, period);
	if (strcmp(rest, "/report") == 0)
		return council_report(c, token, council, period);
	return error_page(c, MHD_HTTP_NOT_FOUND, "Not found", "There is no such page.");
}

static enum MHD_Result open_form(struct MHD_Connection *c)
{
	const char *council = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "council");
	const char *period = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "period");
	const char *stage = stage_arg(c);
	char location[128];

	if (council == NULL || period == NULL || !valid_council(council) || !valid_period(period))
		return error_page(c, MHD_HTTP_BAD_REQUEST, "Not a scorecard",
				  "A council is an LA code of 3 to 9 letters and digits; a period "
				  "looks like 2018-19:Q4.");
	snprintf(location, sizeof(location), "/c/%s/%s%s%s", council, period,
		 stage != NULL ? "?stage=" : "", stage != NULL ? stage : "");
	return redirect(c, location, NULL);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	const char *token;
	bool post = strcmp(method, "POST") == 0;

	(void)cls;
	(void)version;
	if (post && strcmp(url, "/signin") == 0) {
		upload *u = *con_cls;

		if (u == NULL) {
			u = calloc(1, sizeof(*u));
			*con_cls = u;
			return u != NULL ? MHD_YES : MHD_NO;
		}
		if (*upload_data_size > 0) {
			if (u->len + *upload_data_size > BODY_MAX)
				u->too_long = true;
			else {
				memcpy(u->body + u->len, upload_data, *upload_data_size);
				u->len += *upload_data_size;
				u->body[u->len] = '\0';
			}
			*upload_data_size = 0;
			return MHD_YES;
		}
		return signin(c, u);
	}
	if (*upload_data_size > 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (post && strcmp(url, "/signout") == 0)
		return redirect(c, "/signin", clear_cookie());
	if (!post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "not allowed\n");
	if (post)
		return respond_text(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n");
	if (strcmp(url, "/static/web.css") == 0)
		return respond_text(c, MHD_HTTP_OK, "text/css; charset=utf-8", web_css);
	if (strcmp(url, "/static/web.js") == 0)
		return respond_text(c, MHD_HTTP_OK, "text/javascript; charset=utf-8", web_js);
	if (strcmp(url, "/signin") == 0)
		return signin_page(c, NULL, MHD_HTTP_OK);
	token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE);
	if (!valid_token(token))
		return redirect(c, "/signin", NULL);
	if (strcmp(url, "/") == 0) {
		page p;

		if (page_open(&p) == NULL)
			return MHD_NO;
		render_home(p.f);
		return page_send(c, &p, MHD_HTTP_OK);
	}
	if (strcmp(url, "/open") == 0)
		return open_form(c);
	if (strncmp(url, "/c/", 3) == 0)
		return route_council(c, url, token);
	return error_page(c, MHD_HTTP_NOT_FOUND, "Not found", "There is no such page.");
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

/* ---- life ---- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0;
	long size;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)size + 1)) != NULL) {
		len = fread(data, 1, (size_t)size, f);
		data[len] = '\0';
	}
	fclose(f);
	return data;
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: csperf-web [options]\n"
"\n"
"The csperf dashboard: a page per council and stage that updates live, for\n"
"anyone with a csperf token (docs/DASHBOARD.md).\n"
"\n"
"  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; port 0: any)\n"
"  --server ADDR       csperfd [CSPERF_SERVER] (default 127.0.0.1:50051)\n"
"  --tls-cert FILE     serve HTTPS with this PEM certificate (chain)\n"
"  --tls-key FILE      and its PEM private key\n"
"  --csperfd-ca FILE   csperfd speaks TLS, its certificate signed by this CA\n"
"                      [CSPERF_TLS_CA]\n"
"  --csperf PATH       the csperf tool, for committee reports (default: beside\n"
"                      csperf-web, else csperf on PATH)\n"
"  --timeout S         seconds a call to csperfd may take (default 30)\n"
"  --ready-file FILE   write the port here once serving\n"
"  -h, --help          this text\n");
}

/* csperf beside this program, else on PATH. */
static const char *default_csperf(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 16);
	char *slash;

	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash != NULL) {
			strcpy(slash + 1, "csperf");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return "csperf";
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "server", required_argument, NULL, 's' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "csperfd-ca", required_argument, NULL, 'a' },
		{ "csperf", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *listen = "127.0.0.1:8080", *cert_path = NULL, *key_path = NULL;
	const char *ready_file = NULL;
	char *cert = NULL, *key = NULL, host[64];
	struct sockaddr_in addr;
	struct MHD_Daemon *daemon;
	const union MHD_DaemonInfo *info;
	sigset_t stop_signals;
	int opt, port, signal_number = 0;
	unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_ERROR_LOG;

	app.server = getenv("CSPERF_SERVER") != NULL ? getenv("CSPERF_SERVER") : "127.0.0.1:50051";
	app.tls_ca = getenv("CSPERF_TLS_CA");
	app.timeout_ms = 30000;
	pthread_mutex_init(&app.mu, NULL);
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'l': listen = optarg; break;
		case 's': app.server = optarg; break;
		case 'c': cert_path = optarg; break;
		case 'k': key_path = optarg; break;
		case 'a': app.tls_ca = optarg; break;
		case 'p': app.csperf_path = optarg; break;
		case 't': app.timeout_ms = strtoll(optarg, NULL, 10) * 1000; break;
		case 'r': ready_file = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (app.csperf_path == NULL)
		app.csperf_path = default_csperf();
	if (app.timeout_ms <= 0) {
		fprintf(stderr, "csperf-web: --timeout must be a positive number of seconds\n");
		return 1;
	}
	if (sscanf(listen, "%63[^:]:%d", host, &port) != 2 || port < 0 || port > 65535) {
		fprintf(stderr, "csperf-web: --listen must be ADDR:PORT, e.g. 127.0.0.1:8080\n");
		return 1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "csperf-web: --listen: %s is not an IPv4 address\n", host);
		return 1;
	}
	if ((cert_path == NULL) != (key_path == NULL)) {
		fprintf(stderr, "csperf-web: --tls-cert and --tls-key go together\n");
		return 1;
	}
	if (cert_path != NULL) {
		cert = read_file(cert_path);
		key = read_file(key_path);
		if (cert == NULL || key == NULL) {
			fprintf(stderr, "csperf-web: cannot read %s\n", cert == NULL ? cert_path : key_path);
			return 1;
		}
		app.https = true;
		flags |= MHD_USE_TLS;
	} else if (addr.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) {
		fprintf(stderr, "csperf-web: warning: plain HTTP on %s: tokens cross the network "
			"unencrypted (give --tls-cert and --tls-key)\n", host);
	}
	/* Blocked before any thread starts, then taken by sigwait. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	daemon = cert != NULL
		? MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				   MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
				   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_SECONDS,
				   MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTIONS_MAX,
				   MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
				   MHD_OPTION_END)
		: MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				   MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
				   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_SECONDS,
				   MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTIONS_MAX,
				   MHD_OPTION_END);
	if (daemon == NULL) {
		fprintf(stderr, "csperf-web: cannot listen on %s (in use, not an address of this "
			"machine, or a bad certificate)\n", listen);
		return 1;
	}
	info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	port = info != NULL ? info->port : port;
	fprintf(stderr, "csperf-web: serving %s://%s:%d/ for csperfd at %s\n",
		app.https ? "https" : "http", host, port, app.server);
	if (ready_file != NULL) {
		FILE *f = fopen(ready_file, "w");

		if (f != NULL) {
			fprintf(f, "%d\n", port);
			fclose(f);
		}
	}
	while (sigwait(&stop_signals, &signal_number) != 0)
		;
	fprintf(stderr, "csperf-web: stopping\n");
	pthread_mutex_lock(&app.mu);
	app.stopping = true;
	for (event_stream *s = app.streams; s != NULL; s = s->next)
		csperf_scorecard_watch_cancel(s->watch);
	pthread_mutex_unlock(&app.mu);
	MHD_stop_daemon(daemon);
	free(cert);
	free(key);
	if (ready_file != NULL)
		unlink(ready_file);
	return 0;
}
