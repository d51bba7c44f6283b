/*
 * fixture.h: what integration tests stand on: a throwaway PostgreSQL cluster
 * (initdb + pg_ctl on a private socket folder, as the postgres user when run
 * as root), real csperfd processes started on an ephemeral port, each with an
 * admin token made by `csperfd token create`, and TLS certificates made for
 * the test.
 */
#ifndef CSPERF_TESTS_FIXTURE_H
#define CSPERF_TESTS_FIXTURE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct fixture_pg {
	char dir[256];      /* holds data/, the socket and the log */
	char dsn[512];      /* to the database csperf */
	char admin_dsn[512];/* to the database postgres */
} fixture_pg;

/* Makes and starts a cluster with a database `csperf`. 0 or -1. */
int fixture_pg_start(fixture_pg *pg);
/* Stops the cluster (fast) and keeps its files; start it again with
 * fixture_pg_restart. */
int fixture_pg_halt(fixture_pg *pg);
int fixture_pg_restart(fixture_pg *pg);
/* Stops the cluster and removes its files. */
void fixture_pg_destroy(fixture_pg *pg);

/* Connects to the fixture's csperf database (PQfinish it). */
PGconn *fixture_pg_connect(const fixture_pg *pg);
/* Runs one statement; returns the first column of the first row as a
 * malloc'd string (or "" for commands), NULL on error. */
char *fixture_pg_query(const fixture_pg *pg, const char *sql);
/* A council's stored figure for an indicator and period (org unit council,
 * no breakdown) as "numerator denominator value", each rounded to 2 places
 * or "null"; "none" when there is no such row. Aborts the test when the
 * query fails. */
char *fixture_figure(const fixture_pg *pg, const char *council, const char *indicator,
		     const char *period);

typedef struct fixture_server {
	pid_t pid;
	int port;
	char address[64];   /* "127.0.0.1:PORT" */
	char dir[256];      /* ready file, stderr log */
	char log_path[300];
	char token[128];    /* an admin token for this server's database */
} fixture_server;

/* csperfd runs under the program CSPERF_TEST_WRAPPER names, when that is
 * set (e.g. "valgrind --error-exitcode=99": scripts/valgrind.sh). */

/* Starts csperfd with the given extra arguments (NULL-terminated) plus
 * --listen 127.0.0.1:0 and --ready-file, and waits until it serves. dsn may
 * be NULL for the embedded database (then pass --data-dir in args). First
 * makes an admin token with `csperfd token create` and the same arguments,
 * into srv->token and the environment's CSPERF_TOKEN (for the csperf tool).
 * Returns 0, or -1 if it exited or did not become ready within 60 s (times
 * fixture_time_scale()). */
int fixture_server_start(fixture_server *srv, const char *dsn, const char *const *args);

/* As fixture_server_start, but makes no token first (the database may be
 * down: --wait-for-database); srv->token is "". */
int fixture_server_spawn(fixture_server *srv, const char *dsn, const char *const *args);

/* Runs `csperfd token create --role ROLE --name NAME [--council C]...` with
 * the database arguments args (and --dsn dsn unless NULL); copies the token
 * into token. councils is NULL-terminated (may be NULL). 0 or -1. */
int fixture_token_create(const char *dsn, const char *const *args, const char *role,
			 const char *name, const char *const *councils, char *token,
			 size_t tokensize);

/* Writes TLS material made for the test into dir: ca.pem (a CA),
 * server.pem + server.key (signed by it, for localhost and 127.0.0.1),
 * client.pem + client.key (signed by it), other-ca.pem (an unrelated CA).
 * 0 or -1. */
int fixture_tls_make(const char *dir);

/* Sends sig and waits for the process; returns its exit status, or -1 if it
 * was killed by a signal or did not exit within timeout_s (each timeout_s
 * below is times fixture_time_scale()). */
int fixture_server_stop(fixture_server *srv, int sig, int timeout_s);

/* Runs csperfd to completion (for start-up failures) with args and returns
 * its exit status; its standard error is copied into err. */
int fixture_run_csperfd(const char *const *args, char *err, size_t errsize,
			int timeout_s);

/* Runs a program (argv[0] is its path) to completion with extra environment
 * variables env ("NAME=value", NULL-terminated, may be NULL); *out and *err
 * get its standard output and error (malloc'd). Returns its exit status, or
 * -1 if it was killed or ran past timeout_s. CSPERF_TIMEOUT (the csperf
 * tool's deadline for each call) is 30 s times fixture_time_scale() unless
 * env or the test's environment sets it. */
int fixture_run(const char *const *argv, const char *const *env, char **out, char **err,
		int timeout_s);

/* Runs the csperf tool at cli: `load --council council --format format path`
 * against csperfd at address with token (as CSPERF_SERVER and CSPERF_TOKEN).
 * Returns its exit status; when it is not 0, what the tool printed goes to
 * standard error first. */
int fixture_cli_load(const char *cli, const char *address, const char *token,
		     const char *council, const char *format, const char *path);

/* A fingerprint of the journey records, loads and councils (an md5 per
 * table), to check that a failed operation changed nothing. malloc'd; NULL
 * when it could not be taken (never "", which would compare equal). */
char *fixture_pg_fingerprint(const fixture_pg *pg);

/* The whole of a (small) file as a malloc'd string, or NULL. */
char *fixture_read_file(const char *path);

/* Makes a fresh folder under /tmp; the postgres user can use it. */
int fixture_mkdtemp(char *out, size_t outsize, const char *prefix);

/* Every deadline a test waits on for an answer is multiplied by this:
 * CSPERF_TEST_TIME_SCALE (a number from 1 to 100; default 4), so that a wait
 * holds on two loaded cores. A bound a test asserts as behaviour ("at once",
 * "within the drain timeout") is scaled too; a lower bound never is. */
double fixture_time_scale(void);
/* ms times fixture_time_scale(). */
long long fixture_deadline_ms(long long ms);

/* A libcsperf client of the csperfd at address with a bearer token, its
 * calls bounded by fixture_deadline_ms(60000); NULL (said on stderr) when it
 * cannot be made. Free with csperf_client_free. */
struct csperf_client;
struct csperf_client *fixture_client(const char *address, const char *token);
/* timeout_s times fixture_time_scale(), in whole seconds. */
int fixture_deadline_s(int timeout_s);

/* Milliseconds on a monotonic clock. */
long long fixture_now_ms(void);

/* True if a process with this pid exists. */
bool fixture_pid_alive(pid_t pid);

#endif
