/*
 * bench/loadgen.c: csperf-loadgen, a load generator for csperfd on the public
 * SDK (libcsperf), as any SDK user would call it.
 *
 *   csperf-loadgen [options] CALL...        CALL: info, scorecard, exceptions, costs, health
 *   csperf-loadgen --body CALL              the request as an h2load body (stdout)
 *
 * --connections clients (default 16), each with its own thread and its own
 * csperf_client (its own gRPC channel), call csperfd back to back for
 * --duration seconds per CALL, after --warmup seconds not counted. The CALLs
 * run one after the other, --rounds times over (info scorecard info scorecard
 * ...), so that each is measured beside the others in the same run on a
 * noisy machine. Every phase prints one line:
 *
 *   call=scorecard round=1 connections=16 seconds=10.00 calls=51234 errors=0
 *   calls_per_s=5123.4 p50_ms=2.911 p90_ms=4.102 p99_ms=6.870 max_ms=21.377
 *
 * (with first_error="..." when a call failed). Latency is per call, from
 * before the SDK call to its return: what an SDK user waits. Bounded: at
 * most 300 s and --max-calls calls (default 2,000,000) a phase, and only a
 * loopback address or a unix socket; a benchmark is not a way to load
 * someone else's server.
 *
 * --body writes the call's request as a gRPC message (a 0 byte, a 4-byte
 * big-endian length, the protobuf bytes) for `h2load -d`.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <csperf/csperf.h>
#include <csperf/costs.h>
#include <csperf/scorecards.h>

#define MAX_CONNECTIONS 256
#define MAX_DURATION_S 300
#define MAX_PHASES 64

typedef enum call_kind {
	CALL_INFO, CALL_SCORECARD, CALL_EXCEPTIONS, CALL_HEALTH, CALL_COSTS
} call_kind;

#define NCALLS 5
static const char *const call_names[NCALLS] = {
	"info", "scorecard", "exceptions", "health", "costs"
};

typedef struct settings {
	const char *server;
	const char *token;
	const char *council;
	const char *period;
	const char *stage;
	int connections;
	double duration_s;
	double warmup_s;
	int rounds;
	long long max_calls;
	int64_t timeout_ms;
} settings;

/* What one thread measured in one phase. */
typedef struct sample {
	double *latencies_ms;
	size_t count, capacity;
	long long errors;
	char first_error[256];
} sample;

/* The phase all threads run now; written by main between barriers. */
typedef struct phase {
	call_kind call;
	double start, record_from, stop;
	atomic_llong claimed;     /* calls begun, against max_calls */
	bool quit;
} phase;

typedef struct worker {
	pthread_t thread;
	int index;
	const settings *cfg;
	csperf_client *client;
	phase *current;
	pthread_barrier_t *begin, *end;
	sample result;
	char setup_error[256];
} worker;

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One call; 0 or a CSPERF_E* code. */
static int call_once(worker *w, call_kind call)
{
	int rc = CSPERF_OK;

	switch (call) {
	case CALL_INFO: {
		csperf_server_info *info = NULL;

		rc = csperf_server_info_get(w->client, &info);
		csperf_server_info_free(info);
		break;
	}
	case CALL_SCORECARD: {
		csperf_scorecard_query query = CSPERF_SCORECARD_QUERY_INIT;
		csperf_scorecard *scorecard = NULL;

		query.council = w->cfg->council;
		query.period = w->cfg->period;
		query.stage = w->cfg->stage;
		rc = csperf_scorecard_get(w->client, &query, &scorecard);
		if (rc == CSPERF_OK && scorecard->nrows == 0)
			rc = CSPERF_ENOTFOUND;  /* an empty scorecard measures nothing */
		csperf_scorecard_free(scorecard);
		break;
	}
	case CALL_EXCEPTIONS: {
		csperf_exceptions *exceptions = NULL;

		rc = csperf_exceptions_get(w->client, w->cfg->council, w->cfg->period, &exceptions);
		csperf_exceptions_free(exceptions);
		break;
	}
	case CALL_COSTS: {
		/* GetPlacementCosts by placement type for the period's financial
		 * year, as at its end (or the latest data). */
		csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
		csperf_costs *costs = NULL;
		char year[8];

		snprintf(year, sizeof(year), "%.7s", w->cfg->period);
		query.council = w->cfg->council;
		query.financial_year = year;
		query.group_by = "placement_type";
		rc = csperf_costs_get(w->client, &query, &costs);
		csperf_costs_free(costs);
		break;
	}
	case CALL_HEALTH: {
		csperf_health health = CSPERF_HEALTH_UNKNOWN;

		rc = csperf_health_check(w->client, NULL, &health);
		if (rc == CSPERF_OK && health != CSPERF_HEALTH_SERVING)
			rc = CSPERF_EUNAVAILABLE;
		break;
	}
	}
	return rc;
}

static int sample_add(sample *s, double latency_ms)
{
	if (s->count == s->capacity) {
		size_t bigger = s->capacity == 0 ? 4096 : s->capacity * 2;
		double *grown = realloc(s->latencies_ms, bigger * sizeof(*grown));

		if (grown == NULL)
			return -1;
		s->latencies_ms = grown;
		s->capacity = bigger;
	}
	s->latencies_ms[s->count++] = latency_ms;
	return 0;
}

static void *worker_main(void *arg)
{
	worker *w = arg;

	for (;;) {
		phase *p;

		pthread_barrier_wait(w->begin);
		p = w->current;
		if (p->quit)
			break;
		w->result.count = 0;
		w->result.errors = 0;
		w->result.first_error[0] = '\0';
		for (;;) {
			double started = now_seconds(), finished;
			int rc;

			if (started >= p->stop ||
			    atomic_fetch_add(&p->claimed, 1) >= w->cfg->max_calls)
				break;
			rc = call_once(w, p->call);
			finished = now_seconds();
			if (started < p->record_from)
				continue;
			if (rc != CSPERF_OK) {
				if (w->result.errors++ == 0)
					snprintf(w->result.first_error, sizeof(w->result.first_error),
						 "%s: %s", csperf_strerror(rc), csperf_error_last());
				continue;
			}
			if (sample_add(&w->result, (finished - started) * 1e3) != 0) {
				w->result.errors++;
				break;
			}
		}
		pthread_barrier_wait(w->end);
	}
	return NULL;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of sorted values (nearest rank). */
static double quantile(const double *sorted, size_t n, double q)
{
	size_t rank;

	if (n == 0)
		return NAN;
	rank = (size_t)ceil(q * (double)n);
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static int report_phase(const settings *cfg, worker *workers, call_kind call, int round,
			double seconds)
{
	size_t total = 0, at = 0;
	long long errors = 0;
	const char *first_error = "";
	double *all;

	for (int i = 0; i < cfg->connections; i++) {
		total += workers[i].result.count;
		errors += workers[i].result.errors;
		if (first_error[0] == '\0' && workers[i].result.first_error[0] != '\0')
			first_error = workers[i].result.first_error;
	}
	all = malloc((total + 1) * sizeof(*all));
	if (all == NULL) {
		fprintf(stderr, "csperf-loadgen: out of memory\n");
		return -1;
	}
	for (int i = 0; i < cfg->connections; i++) {
		memcpy(all + at, workers[i].result.latencies_ms,
		       workers[i].result.count * sizeof(*all));
		at += workers[i].result.count;
	}
	qsort(all, total, sizeof(*all), compare_doubles);
	printf("call=%s round=%d connections=%d seconds=%.2f calls=%zu errors=%lld "
	       "calls_per_s=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f",
	       call_names[call], round, cfg->connections, seconds, total, errors,
	       seconds > 0 ? total / seconds : 0.0, quantile(all, total, 0.50),
	       quantile(all, total, 0.90), quantile(all, total, 0.99),
	       total > 0 ? all[total - 1] : NAN);
	if (first_error[0] != '\0') {
		printf(" first_error=\"");
		for (const char *c = first_error; *c != '\0'; c++)
			putchar(*c == '"' || *c == '\n' ? '\'' : *c);
		putchar('"');
	}
	putchar('\n');
	fflush(stdout);
	free(all);
	return 0;
}

/* A loopback address or a unix socket: "127.x.x.x:port", "localhost:port",
 * "[::1]:port", "unix:/path". */
static bool loopback_one(const char *server)
{
	return strncmp(server, "unix:", 5) == 0 || strncmp(server, "127.", 4) == 0 ||
	       strncmp(server, "localhost:", 10) == 0 || strncmp(server, "[::1]:", 6) == 0 ||
	       strncmp(server, "ipv4:127.", 9) == 0;
}

/* Several addresses (comma-separated, the SDK balances over them): each. */
static bool loopback(const char *server)
{
	for (const char *at = server; at != NULL; at = strchr(at, ',') != NULL ? strchr(at, ',') + 1 : NULL)
		if (!loopback_one(at))
			return false;
	return true;
}

/* Protobuf: a length-delimited field (wire type 2) with a short value. */
static size_t put_string_field(unsigned char *out, int field, const char *value)
{
	size_t len = value != NULL ? strlen(value) : 0, n = 0;

	if (len == 0)
		return 0;  /* proto3 leaves empty strings out */
	out[n++] = (unsigned char)(field << 3 | 2);
	while (len >= 0x80) {
		out[n++] = (unsigned char)(len | 0x80);
		len >>= 7;
	}
	out[n++] = (unsigned char)len;
	memcpy(out + n, value, strlen(value));
	return n + strlen(value);
}

/* Writes the request of `call` framed as one gRPC message. */
static int write_body(const settings *cfg, call_kind call, FILE *out)
{
	unsigned char message[1024];
	unsigned char frame[5];
	size_t n = 0;

	switch (call) {
	case CALL_INFO:
	case CALL_HEALTH:
		break;  /* GetServerInfoRequest and HealthCheckRequest{""}: empty */
	case CALL_SCORECARD:
		/* GetScorecardRequest: council = 1, period = 2, stage = 3 */
		n += put_string_field(message + n, 1, cfg->council);
		n += put_string_field(message + n, 2, cfg->period);
		n += put_string_field(message + n, 3, cfg->stage);
		break;
	case CALL_EXCEPTIONS:
		/* GetExceptionsRequest: council = 1, period = 2 */
		n += put_string_field(message + n, 1, cfg->council);
		n += put_string_field(message + n, 2, cfg->period);
		break;
	case CALL_COSTS: {
		/* GetPlacementCostsRequest: council = 1, financial_year = 2,
		 * group_by = 4 */
		char year[8];

		snprintf(year, sizeof(year), "%.7s", cfg->period);
		n += put_string_field(message + n, 1, cfg->council);
		n += put_string_field(message + n, 2, year);
		n += put_string_field(message + n, 4, "placement_type");
		break;
	}
	}
	frame[0] = 0;  /* not compressed */
	frame[1] = (unsigned char)(n >> 24);
	frame[2] = (unsigned char)(n >> 16);
	frame[3] = (unsigned char)(n >> 8);
	frame[4] = (unsigned char)n;
	if (fwrite(frame, 1, 5, out) != 5 || fwrite(message, 1, n, out) != n)
		return -1;
	return fflush(out) == 0 ? 0 : -1;
}

static int parse_call(const char *name, call_kind *out)
{
	for (int i = 0; i < NCALLS; i++) {
		if (strcmp(name, call_names[i]) == 0) {
			*out = (call_kind)i;
			return 0;
		}
	}
	fprintf(stderr, "csperf-loadgen: CALL must be info, scorecard, exceptions, costs or health, "
		"not '%s'\n", name);
	return -1;
}

static void usage(FILE *out)
{
	fputs("Usage: csperf-loadgen [options] CALL...      CALL: info scorecard exceptions costs health\n"
	      "       csperf-loadgen [options] --body CALL  (h2load's -d file, on stdout)\n"
	      "  -s, --server ADDR       loopback or unix: only [CSPERF_SERVER]\n"
	      "      --token TOKEN       [CSPERF_TOKEN]\n"
	      "  -c, --connections N     clients, each its own thread and channel (16)\n"
	      "  -d, --duration S        seconds measured per phase (10, at most 300)\n"
	      "  -w, --warmup S          seconds before each phase's measure (1)\n"
	      "  -r, --rounds N          run the CALLs N times over, interleaved (1)\n"
	      "  -n, --max-calls N       calls at most per phase (2000000)\n"
	      "      --timeout-ms MS     each call's deadline (5000)\n"
	      "      --council CODE --period PERIOD [--stage STAGE]   for scorecard, exceptions\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "server", required_argument, NULL, 's' },
		{ "token", required_argument, NULL, 't' },
		{ "connections", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "max-calls", required_argument, NULL, 'n' },
		{ "timeout-ms", required_argument, NULL, 'T' },
		{ "council", required_argument, NULL, 'C' },
		{ "period", required_argument, NULL, 'P' },
		{ "stage", required_argument, NULL, 'S' },
		{ "body", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	settings cfg = { NULL, NULL, NULL, NULL, NULL, 16, 10, 1, 1, 2000000, 5000 };
	call_kind calls[MAX_PHASES];
	int ncalls = 0, opt, rc = 1;
	const char *body_call = NULL;
	worker *workers = NULL;
	pthread_barrier_t begin, end;
	phase current;
	bool barriers = false;
	int started_threads = 0;

	cfg.server = getenv("CSPERF_SERVER");
	cfg.token = getenv("CSPERF_TOKEN");
	while ((opt = getopt_long(argc, argv, "s:c:d:w:r:n:h", options, NULL)) != -1) {
		switch (opt) {
		case 's': cfg.server = optarg; break;
		case 't': cfg.token = optarg; break;
		case 'c': cfg.connections = atoi(optarg); break;
		case 'd': cfg.duration_s = atof(optarg); break;
		case 'w': cfg.warmup_s = atof(optarg); break;
		case 'r': cfg.rounds = atoi(optarg); break;
		case 'n': cfg.max_calls = atoll(optarg); break;
		case 'T': cfg.timeout_ms = atoll(optarg); break;
		case 'C': cfg.council = optarg; break;
		case 'P': cfg.period = optarg; break;
		case 'S': cfg.stage = optarg; break;
		case 'b': body_call = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (body_call != NULL) {
		call_kind call;

		if (parse_call(body_call, &call) != 0)
			return 1;
		return write_body(&cfg, call, stdout) == 0 ? 0 : 1;
	}
	for (int i = optind; i < argc; i++) {
		if (ncalls == MAX_PHASES || parse_call(argv[i], &calls[ncalls]) != 0)
			return 1;
		ncalls++;
	}
	if (ncalls == 0 || cfg.connections < 1 || cfg.connections > MAX_CONNECTIONS ||
	    cfg.duration_s <= 0 || cfg.duration_s > MAX_DURATION_S || cfg.warmup_s < 0 ||
	    cfg.warmup_s > 60 || cfg.rounds < 1 || cfg.rounds * ncalls > MAX_PHASES ||
	    cfg.max_calls < 1 || cfg.timeout_ms < 1) {
		usage(stderr);
		return 1;
	}
	if (cfg.server == NULL || !loopback(cfg.server)) {
		fprintf(stderr, "csperf-loadgen: --server must be a loopback address or unix: "
			"socket (127.0.0.1:PORT, [::1]:PORT, localhost:PORT), not '%s'\n",
			cfg.server != NULL ? cfg.server : "(none)");
		return 1;
	}
	for (int i = 0; i < ncalls; i++) {
		if ((calls[i] == CALL_SCORECARD || calls[i] == CALL_EXCEPTIONS ||
		     calls[i] == CALL_COSTS) &&
		    (cfg.council == NULL || cfg.period == NULL)) {
			fprintf(stderr, "csperf-loadgen: %s needs --council and --period\n",
				call_names[calls[i]]);
			return 1;
		}
	}

	workers = calloc((size_t)cfg.connections, sizeof(*workers));
	if (workers == NULL)
		goto cleanup;
	pthread_barrier_init(&begin, NULL, (unsigned)cfg.connections + 1);
	pthread_barrier_init(&end, NULL, (unsigned)cfg.connections + 1);
	barriers = true;
	memset(&current, 0, sizeof(current));
	for (int i = 0; i < cfg.connections; i++) {
		csperf_client_options opts = CSPERF_CLIENT_OPTIONS_INIT;
		worker *w = &workers[i];

		opts.server = cfg.server;
		opts.token = cfg.token;
		opts.timeout_ms = cfg.timeout_ms;
		w->index = i;
		w->cfg = &cfg;
		w->current = &current;
		w->begin = &begin;
		w->end = &end;
		if (csperf_client_new(&w->client, &opts) != CSPERF_OK) {
			fprintf(stderr, "csperf-loadgen: %s\n", csperf_error_last());
			goto cleanup;
		}
	}
	for (int i = 0; i < cfg.connections; i++) {
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
			/* The threads started wait at a barrier sized for all. */
			fprintf(stderr, "csperf-loadgen: cannot start a thread\n");
			exit(1);
		}
		started_threads++;
	}
	for (int round = 1; round <= cfg.rounds; round++) {
		for (int i = 0; i < ncalls; i++) {
			double measured;

			current.call = calls[i];
			current.start = now_seconds();
			current.record_from = current.start + cfg.warmup_s;
			current.stop = current.record_from + cfg.duration_s;
			atomic_store(&current.claimed, 0);
			pthread_barrier_wait(&begin);
			pthread_barrier_wait(&end);
			/* Calls that began before the stop finished after it: the
			 * measure runs until the last one returned. */
			measured = now_seconds() - current.record_from;
			if (report_phase(&cfg, workers, calls[i], round, measured) != 0)
				goto stop;
		}
	}
	rc = 0;
stop:
	current.quit = true;
cleanup:
	if (started_threads > 0) {
		current.quit = true;
		pthread_barrier_wait(&begin);
		for (int i = 0; i < started_threads; i++)
			pthread_join(workers[i].thread, NULL);
	}
	if (barriers) {
		pthread_barrier_destroy(&begin);
		pthread_barrier_destroy(&end);
	}
	for (int i = 0; workers != NULL && i < cfg.connections; i++) {
		csperf_client_free(workers[i].client);
		free(workers[i].result.latencies_ms);
	}
	free(workers);
	return rc;
}
