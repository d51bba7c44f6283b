/* config.c: flags, environment and defaults for csperfd. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef CSPERF_VERSION_STRING
#define CSPERF_VERSION_STRING "unknown"
#endif

void config_usage(const char *program)
{
	printf(
"Usage: %s [migrate] [options]\n"
"       %s token create --role ROLE --name NAME [--council CODE]... [options]\n"
"\n"
"csperfd serves csperf's gRPC API (csperf.v1.Performance, grpc.health.v1.Health)\n"
"over a PostgreSQL store. With no --dsn it runs its own private PostgreSQL 15\n"
"in --data-dir and stops it when it exits. `migrate` applies pending schema\n"
"migrations and exits. SIGTERM or SIGINT drain calls in flight and stop.\n"
"Every call but the health check needs a bearer token (docs/SECURITY.md).\n"
"\n"
"`token create` makes a token in the database directly (the first admin's, on\n"
"the server's own machine, with the same --dsn or --data-dir; not while an\n"
"embedded csperfd runs) and prints it once on standard output. Roles: admin\n"
"(every council), loader, analyst, reader, finance, scrutiny (--council once\n"
"per council, --locality once per locality).\n"
"\n"
"Options (environment variable in brackets; a flag wins):\n"
"  -l, --listen ADDR        address to serve on [CSPERF_LISTEN]\n"
"                           (default 127.0.0.1:50051; port 0 picks one; unix:/path)\n"
"  -d, --dsn DSN            libpq connection string of an existing database\n"
"                           [CSPERF_DSN] (default: the embedded PostgreSQL)\n"
"      --data-dir DIR       the embedded PostgreSQL's data directory\n"
"                           [CSPERF_DATA_DIR] (default ./var/pgdata)\n"
"      --pg-bin DIR         folder of initdb and postgres [CSPERF_PG_BIN]\n"
"                           (default /usr/lib/postgresql/15/bin)\n"
"      --pg-port N          the embedded socket's port number; no TCP is opened\n"
"                           [CSPERF_PG_PORT] (default 5432)\n"
"  -t, --threads N          database connections [CSPERF_THREADS] (default 4)\n"
"      --workers N          handler threads, 1-256 [CSPERF_WORKERS] (default:\n"
"                           4 per database connection: calls answered from the\n"
"                           cache, and calls waiting for their audit line, hold\n"
"                           no connection)\n"
"      --read-cache-mb N    memory for cached scorecard and exception replies,\n"
"                           0 for none [CSPERF_READ_CACHE_MB] (default 64)\n"
"      --pollers N          threads polling the network, 1-6 [CSPERF_POLLERS]\n"
"                           (default 2)\n"
"      --drain-timeout S    seconds calls in flight may take at shutdown\n"
"                           [CSPERF_DRAIN_TIMEOUT] (default 10)\n"
"      --recompute-every S  seconds between looks for figures a crash left to\n"
"                           recompute (also at start) [CSPERF_RECOMPUTE_EVERY]\n"
"                           (default 30)\n"
"      --lane-children N    a recompute of a council of at least N children\n"
"                           takes a second database connection, one at a time\n"
"                           (PostgreSQL computes each on a core of its own)\n"
"                           [CSPERF_LANE_CHILDREN] (default 5000)\n"
"      --migrations-dir DIR read migrations from DIR instead of the built-in set\n"
"                           [CSPERF_MIGRATIONS_DIR]\n"
"      --ready-file FILE    once serving, write the bound port to FILE\n"
"                           [CSPERF_READY_FILE]\n"
"      --log-level LEVEL    debug, info, warn or error [CSPERF_LOG_LEVEL]\n"
"                           (default info)\n"
"      --migrate-dsn DSN    connection string migrations (and token create) use:\n"
"                           the schema owner's, when --dsn is a login that may\n"
"                           only serve [CSPERF_MIGRATE_DSN] (default: --dsn)\n"
"      --read-dsn DSN       a streaming replica of --dsn for scorecards, series,\n"
"                           exceptions and child lists; repeatable [CSPERF_READ_DSN,\n"
"                           ';' between DSNs]. A council's read waits for no\n"
"                           replica: until one has replayed its latest write,\n"
"                           the primary serves it (docs/SCALING.md)\n"
"      --wait-for-database S  with --dsn: when the database cannot be reached at\n"
"                           start, serve (health NOT_SERVING, calls UNAVAILABLE)\n"
"                           and retry for up to S seconds, or `forever`, then\n"
"                           migrate and serve [CSPERF_WAIT_FOR_DATABASE]\n"
"                           (default 0: stop at once with one sentence)\n"
"      --tls-cert FILE      serve TLS with this PEM certificate chain\n"
"                           [CSPERF_TLS_CERT]\n"
"      --tls-key FILE       and its PEM private key [CSPERF_TLS_KEY]\n"
"      --tls-client-ca FILE require client certificates signed by these PEM CAs\n"
"                           [CSPERF_TLS_CLIENT_CA]\n"
"      --insecure           allow plain TCP on an address other than loopback\n"
"                           [CSPERF_INSECURE=1]: tokens and data travel in clear\n"
"      --suppress-threshold N  counts from 1 to N are suppressed for the roles\n"
"                           that need it [CSPERF_SUPPRESS_THRESHOLD] (default 4)\n"
"  -h, --help               this text\n"
"  -V, --version            the version\n"
"\n"
"Exit status: 0 after a clean stop, 1 on bad usage, 2 when csperfd cannot\n"
"start (the reason is one sentence on standard error).\n",
	       program, program);
}

static int parse_int(const char *name, const char *text, int min, int max, int *out,
		     char *err, size_t errsize)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
		snprintf(err, errsize, "%s must be a whole number from %d to %d, not '%s'",
			 name, min, max, text);
		return -1;
	}
	*out = (int)value;
	return 0;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *value = getenv(name);

	return value != NULL && value[0] != '\0' ? value : fallback;
}

static int parse_bool(const char *name, const char *text, bool *out, char *err,
		      size_t errsize)
{
	if (strcmp(text, "1") == 0 || strcasecmp(text, "true") == 0 ||
	    strcasecmp(text, "yes") == 0) {
		*out = true;
	} else if (strcmp(text, "0") == 0 || strcasecmp(text, "false") == 0 ||
		   strcasecmp(text, "no") == 0) {
		*out = false;
	} else {
		snprintf(err, errsize, "%s must be 1 or 0, not '%s'", name, text);
		return -1;
	}
	return 0;
}

/* Reads the command words left after the options. */
static int parse_command(config *cfg, int argc, char **argv, char *err, size_t errsize)
{
	int words = argc - optind;

	if (words == 0)
		return 0;
	if (words == 1 && strcmp(argv[optind], "migrate") == 0) {
		cfg->command = CONFIG_MIGRATE;
		return 0;
	}
	if (words == 2 && strcmp(argv[optind], "token") == 0 &&
	    strcmp(argv[optind + 1], "create") == 0) {
		cfg->command = CONFIG_TOKEN_CREATE;
		return 0;
	}
	snprintf(err, errsize, "unknown command '%s'; see %s --help",
		 words == 2 && strcmp(argv[optind], "token") == 0 ? argv[optind + 1] : argv[optind],
		 argv[0]);
	return -1;
}

static int check_token_options(const config *cfg, char *err, size_t errsize)
{
	bool token_options = cfg->token_role != NULL || cfg->token_name != NULL ||
			     cfg->ntoken_councils > 0 || cfg->ntoken_localities > 0;

	if (cfg->command != CONFIG_TOKEN_CREATE && token_options) {
		snprintf(err, errsize, "--role, --name, --council and --locality are for "
			 "`csperfd token create`");
		return -1;
	}
	if (cfg->command == CONFIG_TOKEN_CREATE &&
	    (cfg->token_role == NULL || cfg->token_name == NULL)) {
		snprintf(err, errsize, "csperfd token create needs --role and --name");
		return -1;
	}
	return 0;
}

static int check_tls_options(const config *cfg, char *err, size_t errsize)
{
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		snprintf(err, errsize, "--tls-cert and --tls-key go together");
		return -1;
	}
	if (cfg->tls_client_ca != NULL && cfg->tls_cert == NULL) {
		snprintf(err, errsize, "--tls-client-ca needs --tls-cert and --tls-key");
		return -1;
	}
	return 0;
}

static int add_to_list(const char **list, size_t *count, const char *value, const char *name,
		       char *err, size_t errsize)
{
	if (*count == CONFIG_MAX_LIST) {
		snprintf(err, errsize, "%s may be given at most %d times", name, CONFIG_MAX_LIST);
		return -1;
	}
	list[(*count)++] = value;
	return 0;
}

bool config_listen_is_loopback(const char *listen)
{
	char host[256];
	const char *start = listen, *end;
	struct in_addr v4;
	struct in6_addr v6;
	size_t len;

	if (strncmp(listen, "unix:", 5) == 0 || strncmp(listen, "unix-abstract:", 14) == 0)
		return true;
	if (strncmp(start, "ipv4:", 5) == 0 || strncmp(start, "ipv6:", 5) == 0)
		start += 5;
	else if (strncmp(start, "dns:///", 7) == 0)
		start += 7;
	else if (strncmp(start, "dns:", 4) == 0)
		start += 4;
	if (start[0] == '[') {
		start++;
		end = strchr(start, ']');
	} else {
		end = strrchr(start, ':');
	}
	if (end == NULL)
		end = start + strlen(start);
	len = (size_t)(end - start);
	if (len == 0 || len >= sizeof(host))
		return false;  /* ":50051" is every interface */
	memcpy(host, start, len);
	host[len] = '\0';
	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &v6) == 1) {
		static const unsigned char mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
								0xff, 0xff };

		if (IN6_IS_ADDR_LOOPBACK(&v6))
			return true;
		return memcmp(v6.s6_addr, mapped_prefix, 12) == 0 && v6.s6_addr[12] == 127;
	}
	return false;
}

int config_check_transport(const config *cfg, char *err, size_t errsize)
{
	if (cfg->tls_cert != NULL || cfg->insecure || config_listen_is_loopback(cfg->listen))
		return 0;
	snprintf(err, errsize,
		 "refusing to serve plain TCP on %s, which is not a loopback address: give "
		 "--tls-cert and --tls-key, or --insecure if the network is private", cfg->listen);
	return -1;
}

enum {
	OPT_DATA_DIR = 256, OPT_PG_BIN, OPT_PG_PORT, OPT_POLLERS, OPT_DRAIN,
	OPT_MIGRATIONS, OPT_READY, OPT_LOG_LEVEL, OPT_MIGRATE_DSN, OPT_TLS_CERT,
	OPT_TLS_KEY, OPT_TLS_CLIENT_CA, OPT_INSECURE, OPT_SUPPRESS, OPT_ROLE, OPT_NAME,
	OPT_COUNCIL, OPT_LOCALITY, OPT_READ_DSN, OPT_WAIT_DB, OPT_WORKERS, OPT_READ_CACHE,
	OPT_RECOMPUTE_EVERY,
	OPT_LANE_CHILDREN
};

/* CSPERF_READ_DSN: DSNs separated by ';' or newlines (a DSN holds spaces,
 * and libpq's multi-host syntax holds commas). The copy lives as long as the
 * process, as the environment does. */
static int split_read_dsns(config *cfg, const char *text, char *err, size_t errsize)
{
	static char *copy;
	char *save = NULL;

	if (text == NULL || text[0] == '\0')
		return 0;
	free(copy);
	copy = strdup(text);
	if (copy == NULL) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	for (char *d = strtok_r(copy, ";\n", &save); d != NULL; d = strtok_r(NULL, ";\n", &save)) {
		while (*d == ' ')
			d++;
		if (*d == '\0')
			continue;
		if (cfg->nread_dsns == CONFIG_MAX_READ_DSN) {
			snprintf(err, errsize, "at most %d read DSNs", CONFIG_MAX_READ_DSN);
			return -1;
		}
		cfg->read_dsns[cfg->nread_dsns++] = d;
	}
	return 0;
}

int config_parse(config *cfg, int argc, char **argv, char *err, size_t errsize)
{
	static const struct option options[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "dsn", required_argument, NULL, 'd' },
		{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
		{ "pg-bin", required_argument, NULL, OPT_PG_BIN },
		{ "pg-port", required_argument, NULL, OPT_PG_PORT },
		{ "threads", required_argument, NULL, 't' },
		{ "pollers", required_argument, NULL, OPT_POLLERS },
		{ "drain-timeout", required_argument, NULL, OPT_DRAIN },
		{ "recompute-every", required_argument, NULL, OPT_RECOMPUTE_EVERY },
		{ "lane-children", required_argument, NULL, OPT_LANE_CHILDREN },
		{ "migrations-dir", required_argument, NULL, OPT_MIGRATIONS },
		{ "ready-file", required_argument, NULL, OPT_READY },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "migrate-dsn", required_argument, NULL, OPT_MIGRATE_DSN },
		{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
		{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
		{ "tls-client-ca", required_argument, NULL, OPT_TLS_CLIENT_CA },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "suppress-threshold", required_argument, NULL, OPT_SUPPRESS },
		{ "workers", required_argument, NULL, OPT_WORKERS },
		{ "read-cache-mb", required_argument, NULL, OPT_READ_CACHE },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "council", required_argument, NULL, OPT_COUNCIL },
		{ "locality", required_argument, NULL, OPT_LOCALITY },
		{ "read-dsn", required_argument, NULL, OPT_READ_DSN },
		{ "wait-for-database", required_argument, NULL, OPT_WAIT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *threads, *pollers, *drain, *pg_port, *level, *insecure, *suppress;
	const char *wait_db, *workers, *read_cache, *recompute_every, *lane_children;
	int drain_s = 10, opt;
	bool read_dsn_flags = false;

	memset(cfg, 0, sizeof(*cfg));
	cfg->command = CONFIG_SERVE;
	cfg->listen = env_or("CSPERF_LISTEN", "127.0.0.1:50051");
	cfg->dsn = env_or("CSPERF_DSN", NULL);
	cfg->data_dir = env_or("CSPERF_DATA_DIR", "./var/pgdata");
	cfg->pg_bin = env_or("CSPERF_PG_BIN", NULL);
	cfg->migrations_dir = env_or("CSPERF_MIGRATIONS_DIR", NULL);
	cfg->ready_file = env_or("CSPERF_READY_FILE", NULL);
	threads = env_or("CSPERF_THREADS", "4");
	pollers = env_or("CSPERF_POLLERS", "2");
	drain = env_or("CSPERF_DRAIN_TIMEOUT", "10");
	pg_port = env_or("CSPERF_PG_PORT", "5432");
	level = env_or("CSPERF_LOG_LEVEL", "info");
	cfg->migrate_dsn = env_or("CSPERF_MIGRATE_DSN", NULL);
	cfg->tls_cert = env_or("CSPERF_TLS_CERT", NULL);
	cfg->tls_key = env_or("CSPERF_TLS_KEY", NULL);
	cfg->tls_client_ca = env_or("CSPERF_TLS_CLIENT_CA", NULL);
	insecure = env_or("CSPERF_INSECURE", "0");
	suppress = env_or("CSPERF_SUPPRESS_THRESHOLD", "4");
	wait_db = env_or("CSPERF_WAIT_FOR_DATABASE", "0");
	workers = env_or("CSPERF_WORKERS", NULL);
	read_cache = env_or("CSPERF_READ_CACHE_MB", "64");
	recompute_every = env_or("CSPERF_RECOMPUTE_EVERY", "30");
	lane_children = env_or("CSPERF_LANE_CHILDREN", "5000");
	if (split_read_dsns(cfg, env_or("CSPERF_READ_DSN", NULL), err, errsize) != 0)
		return -1;

	optind = 0;  /* 0 makes glibc start afresh (tests parse more than once) */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:d:t:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'l': cfg->listen = optarg; break;
		case 'd': cfg->dsn = optarg; break;
		case OPT_DATA_DIR: cfg->data_dir = optarg; break;
		case OPT_PG_BIN: cfg->pg_bin = optarg; break;
		case OPT_PG_PORT: pg_port = optarg; break;
		case 't': threads = optarg; break;
		case OPT_POLLERS: pollers = optarg; break;
		case OPT_DRAIN: drain = optarg; break;
		case OPT_RECOMPUTE_EVERY: recompute_every = optarg; break;
		case OPT_LANE_CHILDREN: lane_children = optarg; break;
		case OPT_MIGRATIONS: cfg->migrations_dir = optarg; break;
		case OPT_READY: cfg->ready_file = optarg; break;
		case OPT_LOG_LEVEL: level = optarg; break;
		case OPT_MIGRATE_DSN: cfg->migrate_dsn = optarg; break;
		case OPT_TLS_CERT: cfg->tls_cert = optarg; break;
		case OPT_TLS_KEY: cfg->tls_key = optarg; break;
		case OPT_TLS_CLIENT_CA: cfg->tls_client_ca = optarg; break;
		case OPT_INSECURE: insecure = "1"; break;
		case OPT_SUPPRESS: suppress = optarg; break;
		case OPT_WORKERS: workers = optarg; break;
		case OPT_READ_CACHE: read_cache = optarg; break;
		case OPT_WAIT_DB: wait_db = optarg; break;
		case OPT_ROLE: cfg->token_role = optarg; break;
		case OPT_NAME: cfg->token_name = optarg; break;
		case OPT_COUNCIL:
			if (add_to_list(cfg->token_councils, &cfg->ntoken_councils, optarg,
					"--council", err, errsize) != 0)
				return -1;
			break;
		case OPT_READ_DSN:
			if (!read_dsn_flags)
				cfg->nread_dsns = 0;  /* flags replace the variable */
			read_dsn_flags = true;
			if (cfg->nread_dsns == CONFIG_MAX_READ_DSN) {
				snprintf(err, errsize, "at most %d --read-dsn", CONFIG_MAX_READ_DSN);
				return -1;
			}
			cfg->read_dsns[cfg->nread_dsns++] = optarg;
			break;
		case OPT_LOCALITY:
			if (add_to_list(cfg->token_localities, &cfg->ntoken_localities, optarg,
					"--locality", err, errsize) != 0)
				return -1;
			break;
		case 'h':
			config_usage(argv[0]);
			return 1;
		case 'V':
			printf("csperfd %s\n", CSPERF_VERSION_STRING);
			return 1;
		default:
			snprintf(err, errsize, "%s '%s'; see %s --help",
				 opt == ':' ? "missing value for" : "unknown option or missing value:",
				 argv[optind - 1], argv[0]);
			return -1;
		}
	}
	/* GNU getopt moves the command past the options wherever it stood. */
	if (parse_command(cfg, argc, argv, err, errsize) != 0 ||
	    check_token_options(cfg, err, errsize) != 0 ||
	    check_tls_options(cfg, err, errsize) != 0)
		return -1;
	if (parse_int("--threads", threads, 1, 64, &cfg->threads, err, errsize) != 0 ||
	    parse_int("--pollers", pollers, 1, 6, &cfg->pollers, err, errsize) != 0 ||
	    parse_int("--drain-timeout", drain, 0, 3600, &drain_s, err, errsize) != 0 ||
	    parse_int("--recompute-every", recompute_every, 1, 86400, &cfg->recompute_every_s, err,
		      errsize) != 0 ||
	    parse_int("--lane-children", lane_children, 0, 100000000, &cfg->lane_children, err,
		      errsize) != 0 ||
	    parse_int("--pg-port", pg_port, 1, 65535, &cfg->pg_port, err, errsize) != 0 ||
	    parse_int("--suppress-threshold", suppress, 1, 100, &cfg->suppress_threshold, err,
		      errsize) != 0 ||
	    parse_int("--read-cache-mb", read_cache, 0, 65536, &cfg->read_cache_mb, err,
		      errsize) != 0 ||
	    (workers != NULL &&
	     parse_int("--workers", workers, 1, 256, &cfg->workers, err, errsize) != 0) ||
	    parse_bool("--insecure (CSPERF_INSECURE)", insecure, &cfg->insecure, err, errsize) != 0)
		return -1;
	cfg->drain_timeout_ms = drain_s * 1000;
	if (workers == NULL)
		cfg->workers = cfg->threads * 4;
	if (strcmp(wait_db, "forever") == 0)
		cfg->wait_for_database_s = -1;
	else if (parse_int("--wait-for-database (or `forever`)", wait_db, 0, 31536000,
			   &cfg->wait_for_database_s, err, errsize) != 0)
		return -1;
	if (log_level_parse(level, &cfg->level) != 0) {
		snprintf(err, errsize,
			 "--log-level must be debug, info, warn or error, not '%s'", level);
		return -1;
	}
	if (cfg->migrate_dsn != NULL && cfg->dsn == NULL) {
		snprintf(err, errsize, "--migrate-dsn goes with --dsn (the embedded PostgreSQL "
			 "has its own owner)");
		return -1;
	}
	if (cfg->nread_dsns > 0 && cfg->dsn == NULL) {
		snprintf(err, errsize, "--read-dsn goes with --dsn (replicas of an external "
			 "primary; the embedded PostgreSQL has none)");
		return -1;
	}
	if (cfg->listen[0] == '\0') {
		snprintf(err, errsize, "--listen must not be empty");
		return -1;
	}
	return 0;
}
