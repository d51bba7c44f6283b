/*
 * fixture.c: throwaway PostgreSQL clusters and csperfd processes for the
 * integration tests. Clusters run with fsync off: they are thrown away.
 */
#include "fixture.h"

#include "csperf/csperf.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CSPERFD_PATH
#error "CSPERFD_PATH must name the csperfd binary"
#endif
#ifndef PG_BIN
#define PG_BIN "/usr/lib/postgresql/15/bin"
#endif

long long fixture_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double fixture_time_scale(void)
{
	const char *text = getenv("CSPERF_TEST_TIME_SCALE");
	char *end;
	double scale;

	if (text == NULL || text[0] == '\0')
		return 4.0;
	scale = strtod(text, &end);
	if (*end != '\0' || !(scale >= 1.0 && scale <= 100.0)) {
		fprintf(stderr, "fixture: CSPERF_TEST_TIME_SCALE=%s is not a number from 1 "
			"to 100\n", text);
		exit(2);
	}
	return scale;
}

long long fixture_deadline_ms(long long ms)
{
	return (long long)((double)ms * fixture_time_scale());
}

csperf_client *fixture_client(const char *address, const char *token)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = address;
	options.token = token;
	options.timeout_ms = fixture_deadline_ms(60000);
	if (csperf_client_new(&client, &options) != CSPERF_OK) {
		fprintf(stderr, "fixture: csperf_client_new: %s\n", csperf_error_last());
		return NULL;
	}
	return client;
}

int fixture_deadline_s(int timeout_s)
{
	return (int)((double)timeout_s * fixture_time_scale() + 0.5);
}

static int wait_exit(pid_t pid, int timeout_s);

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Waits for a csperfd being started to write its ready file. */
static int wait_ready_file(fixture_server *srv, const char *ready, bool report)
{
	long long until = fixture_now_ms() + fixture_deadline_ms(60000);

	while (fixture_now_ms() < until) {
		char *port = fixture_read_file(ready);
		int wstatus;

		if (port != NULL && port[0] != '\0') {
			srv->port = atoi(port);
			free(port);
			snprintf(srv->address, sizeof(srv->address), "127.0.0.1:%d", srv->port);
			return 0;
		}
		free(port);
		if (waitpid(srv->pid, &wstatus, WNOHANG) == srv->pid) {
			if (report) {
				char *log = fixture_read_file(srv->log_path);

				fprintf(stderr, "fixture: csperfd exited while starting:\n%s\n",
					log != NULL ? log : "");
				free(log);
			}
			srv->pid = 0;
			return -1;
		}
		sleep_ms(100);
	}
	fprintf(stderr, "fixture: csperfd did not become ready in %lld ms\n",
		fixture_deadline_ms(60000));
	kill(srv->pid, SIGKILL);
	return -1;
}

bool fixture_pid_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

int fixture_mkdtemp(char *out, size_t outsize, const char *prefix)
{
	snprintf(out, outsize, "/tmp/%s-XXXXXX", prefix);
	if (mkdtemp(out) == NULL)
		return -1;
	chmod(out, 0777);
	return 0;
}

char *fixture_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t used = 0, capacity = 4096, n;

	if (f == NULL)
		return NULL;
	text = malloc(capacity);
	while (text != NULL && (n = fread(text + used, 1, capacity - used - 1, f)) > 0) {
		used += n;
		if (capacity - used < 2) {
			char *bigger = realloc(text, capacity * 2);

			if (bigger == NULL) {
				free(text);
				text = NULL;
				break;
			}
			text = bigger;
			capacity *= 2;
		}
	}
	fclose(f);
	if (text != NULL)
		text[used] = '\0';
	return text;
}

/* Runs a shell command as the postgres user when we are root. */
static int run_as_postgres(const char *command)
{
	char line[2048];

	if (geteuid() == 0)
		snprintf(line, sizeof(line), "runuser -u postgres -- sh -c '%s'", command);
	else
		snprintf(line, sizeof(line), "sh -c '%s'", command);
	return system(line);
}

static int pg_ctl_start(fixture_pg *pg)
{
	char command[1024];

	snprintf(command, sizeof(command),
		 PG_BIN "/pg_ctl -D %s/data -l %s/postgresql.log -w -t %d -o "
		 "\"-k %s -c listen_addresses= -c fsync=off -c synchronous_commit=off "
		 "-c full_page_writes=off\" start >/dev/null",
		 pg->dir, pg->dir, fixture_deadline_s(60), pg->dir);
	return run_as_postgres(command) == 0 ? 0 : -1;
}

int fixture_pg_start(fixture_pg *pg)
{
	char command[1024];
	char *created;

	memset(pg, 0, sizeof(*pg));
	if (fixture_mkdtemp(pg->dir, sizeof(pg->dir), "csperf-pg") != 0)
		return -1;
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("postgres");

		if (pw == NULL || chown(pg->dir, pw->pw_uid, pw->pw_gid) != 0)
			return -1;
	}
	chmod(pg->dir, 0700);
	snprintf(command, sizeof(command),
		 PG_BIN "/initdb -D %s/data -U postgres --auth=trust -E UTF8 "
		 "--locale=C.UTF-8 --no-sync >%s/initdb.log 2>&1", pg->dir, pg->dir);
	if (run_as_postgres(command) != 0 || pg_ctl_start(pg) != 0) {
		fprintf(stderr, "fixture: cannot start PostgreSQL in %s\n", pg->dir);
		return -1;
	}
	snprintf(pg->admin_dsn, sizeof(pg->admin_dsn),
		 "host=%s port=5432 user=postgres dbname=postgres", pg->dir);
	snprintf(pg->dsn, sizeof(pg->dsn), "host=%s port=5432 user=postgres dbname=csperf",
		 pg->dir);
	{
		PGconn *conn = PQconnectdb(pg->admin_dsn);
		PGresult *res = PQexec(conn, "CREATE DATABASE csperf");
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

		PQclear(res);
		PQfinish(conn);
		if (!ok)
			return -1;
	}
	created = fixture_pg_query(pg, "SELECT current_database()");
	if (created == NULL || strcmp(created, "csperf") != 0) {
		free(created);
		return -1;
	}
	free(created);
	return 0;
}

int fixture_pg_halt(fixture_pg *pg)
{
	char command[512];

	snprintf(command, sizeof(command), PG_BIN "/pg_ctl -D %s/data -m fast -w stop >/dev/null",
		 pg->dir);
	return run_as_postgres(command) == 0 ? 0 : -1;
}

int fixture_pg_restart(fixture_pg *pg)
{
	return pg_ctl_start(pg);
}

void fixture_pg_destroy(fixture_pg *pg)
{
	char command[512];

	if (pg->dir[0] == '\0')
		return;
	snprintf(command, sizeof(command),
		 PG_BIN "/pg_ctl -D %s/data -m immediate -w stop >/dev/null 2>&1", pg->dir);
	run_as_postgres(command);
	snprintf(command, sizeof(command), "rm -rf '%s'", pg->dir);
	if (system(command) != 0)
		fprintf(stderr, "fixture: cannot remove %s\n", pg->dir);
	pg->dir[0] = '\0';
}

PGconn *fixture_pg_connect(const fixture_pg *pg)
{
	return PQconnectdb(pg->dsn);
}

char *fixture_pg_query(const fixture_pg *pg, const char *sql)
{
	PGconn *conn = fixture_pg_connect(pg);
	PGresult *res = PQexec(conn, sql);
	char *value = NULL;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		value = strdup(PQgetvalue(res, 0, 0));
	else if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
		value = strdup("");
	else
		fprintf(stderr, "fixture: %s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
	return value;
}

char *fixture_figure(const fixture_pg *pg, const char *council, const char *indicator,
		     const char *period)
{
	char sql[1024];
	char *value;

	snprintf(sql, sizeof(sql),
		 "SELECT coalesce((SELECT concat_ws(' ', "
		 "coalesce(trim_scale(round(numerator, 2))::text, 'null'), "
		 "coalesce(trim_scale(round(denominator, 2))::text, 'null'), "
		 "coalesce(trim_scale(round(value, 2))::text, 'null')) "
		 "FROM indicator_value WHERE council = '%s' AND org_unit = 'council' AND "
		 "indicator_id = '%s' AND period = '%s' AND breakdown = ''), 'none')",
		 council, indicator, period);
	value = fixture_pg_query(pg, sql);
	if (value == NULL) {
		/* Not a figure a test could compare: stop the test here. */
		fprintf(stderr, "fixture: the figure of %s %s %s could not be read\n", council,
			indicator, period);
		abort();
	}
	return value;
}

static pid_t spawn_csperfd(const char *dsn, const char *const *args, const char *ready,
			   const char *log_path, bool listen_ephemeral)
{
	const char *argv[64];
	size_t n = 0;
	pid_t pid;

	argv[n++] = CSPERFD_PATH;
	if (listen_ephemeral) {
		argv[n++] = "--listen";
		argv[n++] = "127.0.0.1:0";
	}
	if (ready != NULL) {
		argv[n++] = "--ready-file";
		argv[n++] = ready;
	}
	if (dsn != NULL) {
		argv[n++] = "--dsn";
		argv[n++] = dsn;
	}
	for (size_t i = 0; args != NULL && args[i] != NULL && n < 62; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	pid = fork();
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			dup2(fd, STDOUT_FILENO);
		}
		/* CSPERF_TEST_WRAPPER runs csperfd under another program, e.g.
		 * valgrind (scripts/valgrind.sh): the shell splits its words. */
		if (getenv("CSPERF_TEST_WRAPPER") != NULL) {
			const char *wrapped[68] = { "/bin/sh", "-c",
						    "exec $CSPERF_TEST_WRAPPER \"$@\"", "sh" };

			for (size_t i = 0; i < n; i++)
				wrapped[4 + i] = argv[i];
			wrapped[4 + n] = NULL;
			execv("/bin/sh", (char *const *)wrapped);
		}
		execv(CSPERFD_PATH, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

int fixture_token_create(const char *dsn, const char *const *args, const char *role,
			 const char *name, const char *const *councils, char *token,
			 size_t tokensize)
{
	const char *argv[128] = { CSPERFD_PATH, "token", "create", "--role", role, "--name", name };
	size_t n = 7;
	char *out = NULL, *err = NULL;
	int rc;

	if (dsn != NULL) {
		argv[n++] = "--dsn";
		argv[n++] = dsn;
	}
	for (size_t i = 0; councils != NULL && councils[i] != NULL && n < 100; i++) {
		argv[n++] = "--council";
		argv[n++] = councils[i];
	}
	for (size_t i = 0; args != NULL && args[i] != NULL && n < 126; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	rc = fixture_run(argv, NULL, &out, &err, 120);
	if (rc != 0 || out == NULL || strlen(out) < 2) {
		fprintf(stderr, "fixture: csperfd token create failed (%d): %s\n", rc,
			err != NULL ? err : "");
		rc = -1;
	} else {
		out[strcspn(out, "\n")] = '\0';
		snprintf(token, tokensize, "%s", out);
	}
	free(out);
	free(err);
	return rc == 0 ? 0 : -1;
}

int fixture_server_start(fixture_server *srv, const char *dsn, const char *const *args)
{
	char ready[320];

	memset(srv, 0, sizeof(*srv));
	if (fixture_token_create(dsn, args, "admin", "fixture-admin", NULL, srv->token,
				 sizeof(srv->token)) != 0)
		return -1;
	setenv("CSPERF_TOKEN", srv->token, 1);
	if (fixture_mkdtemp(srv->dir, sizeof(srv->dir), "csperfd") != 0)
		return -1;
	snprintf(ready, sizeof(ready), "%s/ready", srv->dir);
	snprintf(srv->log_path, sizeof(srv->log_path), "%s/csperfd.log", srv->dir);
	srv->pid = spawn_csperfd(dsn, args, ready, srv->log_path, true);
	if (srv->pid < 0)
		return -1;
	return wait_ready_file(srv, ready, true);
}

int fixture_server_spawn(fixture_server *srv, const char *dsn, const char *const *args)
{
	char ready[320];

	memset(srv, 0, sizeof(*srv));
	if (fixture_mkdtemp(srv->dir, sizeof(srv->dir), "csperfd") != 0)
		return -1;
	snprintf(ready, sizeof(ready), "%s/ready", srv->dir);
	snprintf(srv->log_path, sizeof(srv->log_path), "%s/csperfd.log", srv->dir);
	srv->pid = spawn_csperfd(dsn, args, ready, srv->log_path, true);
	if (srv->pid < 0)
		return -1;
	return wait_ready_file(srv, ready, false);
}

static int wait_exit(pid_t pid, int timeout_s)
{
	long long until = fixture_now_ms() + fixture_deadline_ms(timeout_s * 1000LL);
	int wstatus;

	while (fixture_now_ms() < until) {
		pid_t rc = waitpid(pid, &wstatus, WNOHANG);

		if (rc == pid)
			return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
		if (rc < 0)
			return -1;
		sleep_ms(20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &wstatus, 0);
	return -1;
}

int fixture_server_stop(fixture_server *srv, int sig, int timeout_s)
{
	int rc;

	if (srv->pid <= 0)
		return -1;
	kill(srv->pid, sig);
	rc = wait_exit(srv->pid, timeout_s);
	srv->pid = 0;
	return rc;
}

int fixture_run_csperfd(const char *const *args, char *err, size_t errsize, int timeout_s)
{
	char dir[256], log_path[300];
	char *log;
	pid_t pid;
	int rc;

	if (fixture_mkdtemp(dir, sizeof(dir), "csperfd-run") != 0)
		return -1;
	snprintf(log_path, sizeof(log_path), "%s/csperfd.log", dir);
	pid = spawn_csperfd(NULL, args, NULL, log_path, false);
	rc = wait_exit(pid, timeout_s);
	log = fixture_read_file(log_path);
	snprintf(err, errsize, "%s", log != NULL ? log : "");
	free(log);
	unlink(log_path);
	rmdir(dir);
	return rc;
}

int fixture_run(const char *const *argv, const char *const *env, char **out, char **err,
		int timeout_s)
{
	char dir[256], out_path[300], err_path[300];
	pid_t pid;
	int rc;

	*out = *err = NULL;
	if (fixture_mkdtemp(dir, sizeof(dir), "csperf-run") != 0)
		return -1;
	snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
	pid = fork();
	if (pid == 0) {
		int fd_out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fd_err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd_out < 0 || fd_err < 0)
			_exit(126);
		dup2(fd_out, STDOUT_FILENO);
		dup2(fd_err, STDERR_FILENO);
		if (getenv("CSPERF_TIMEOUT") == NULL) {
			char timeout[32];

			snprintf(timeout, sizeof(timeout), "%d", fixture_deadline_s(30));
			setenv("CSPERF_TIMEOUT", timeout, 1);
		}
		for (size_t i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	rc = wait_exit(pid, timeout_s);
	*out = fixture_read_file(out_path);
	*err = fixture_read_file(err_path);
	unlink(out_path);
	unlink(err_path);
	rmdir(dir);
	return rc;
}

char *fixture_pg_fingerprint(const fixture_pg *pg)
{
	/* One "table:md5 of its rows in order" line per table of journey
	 * records, loads and councils: what a load stores. (The audit trail and
	 * the computed values change on every call, by design.) A partitioned
	 * table's rows are its partitions': partitions have no line of their own
	 * (a council's are made once, with its row, and stay). The lines are
	 * sorted: a UNION ALL of partitioned tables may run as a Parallel
	 * Append, in no set order. */
	char *sql = fixture_pg_query(pg,
		"SELECT 'SELECT line FROM (' || string_agg(format('SELECT %L || '':'' || "
		"md5(coalesce(string_agg(x::text, ''|'' ORDER BY x::text), '''')) AS line "
		"FROM %I x', c.relname, c.relname), ' UNION ALL ' ORDER BY c.relname) || "
		"') t ORDER BY line' FROM pg_class c "
		"JOIN pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
		"AND (c.relname LIKE 'rec\\_%' OR c.relname IN ('load', 'council'))");
	PGconn *conn;
	PGresult *res;
	char *fingerprint = NULL;
	size_t size = 0;
	FILE *f;

	if (sql == NULL)
		return NULL;
	conn = fixture_pg_connect(pg);
	res = PQexec(conn, sql);
	free(sql);
	f = open_memstream(&fingerprint, &size);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && f != NULL)
		for (int row = 0; row < PQntuples(res); row++)
			fprintf(f, "%s\n", PQgetvalue(res, row, 0));
	else
		fprintf(stderr, "fixture: fingerprint: %s", PQerrorMessage(conn));
	if (f != NULL)
		fclose(f);
	/* A fingerprint that could not be taken, or of no table at all, must
	 * not compare equal to another such: NULL, which callers assert. */
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0 || f == NULL) {
		free(fingerprint);
		fingerprint = NULL;
	}
	PQclear(res);
	PQfinish(conn);
	return fingerprint;
}

static int add_extension(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = ext != NULL && X509_add_ext(cert, ext, -1) == 1;

	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* A certificate for key, signed by issuer (NULL: self-signed), valid a day. */
static X509 *make_certificate(EVP_PKEY *key, const char *common_name, X509 *issuer,
			      EVP_PKEY *issuer_key, bool ca, const char *alt_names, long serial)
{
	X509 *cert = X509_new();
	X509_NAME *name;
	X509V3_CTX ctx;
	int rc = 0;

	if (cert == NULL)
		return NULL;
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
	X509_set_pubkey(cert, key);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)common_name,
				   -1, -1, 0);
	X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer) : name);
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : cert, cert, NULL, NULL, 0);
	rc |= add_extension(cert, &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	rc |= add_extension(cert, &ctx, NID_key_usage,
			    ca ? "critical,keyCertSign,cRLSign"
			       : "critical,digitalSignature,keyEncipherment");
	rc |= add_extension(cert, &ctx, NID_subject_key_identifier, "hash");
	if (!ca)
		rc |= add_extension(cert, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
	if (alt_names != NULL)
		rc |= add_extension(cert, &ctx, NID_subject_alt_name, alt_names);
	if (rc != 0 || X509_sign(cert, issuer_key != NULL ? issuer_key : key, EVP_sha256()) == 0) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

static int write_pem(const char *dir, const char *file, X509 *cert, EVP_PKEY *key)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	ok = cert != NULL ? PEM_write_X509(f, cert)
		: PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	if (fclose(f) != 0)
		ok = 0;
	/* csperfd may run as another user than the test's. */
	chmod(path, 0644);
	return ok ? 0 : -1;
}

int fixture_tls_make(const char *dir)
{
	EVP_PKEY *ca_key = EVP_EC_gen("P-256"), *server_key = EVP_EC_gen("P-256");
	EVP_PKEY *client_key = EVP_EC_gen("P-256"), *other_key = EVP_EC_gen("P-256");
	X509 *ca = NULL, *server = NULL, *client = NULL, *other = NULL;
	int rc = -1;

	if (ca_key == NULL || server_key == NULL || client_key == NULL || other_key == NULL)
		goto cleanup;
	ca = make_certificate(ca_key, "csperf test CA", NULL, NULL, true, NULL, 1);
	other = make_certificate(other_key, "another CA", NULL, NULL, true, NULL, 2);
	server = ca != NULL ? make_certificate(server_key, "localhost", ca, ca_key, false,
					       "DNS:localhost,IP:127.0.0.1", 3) : NULL;
	client = ca != NULL ? make_certificate(client_key, "csperf test client", ca, ca_key,
					       false, NULL, 4) : NULL;
	if (other == NULL || server == NULL || client == NULL)
		goto cleanup;
	if (write_pem(dir, "ca.pem", ca, NULL) != 0 ||
	    write_pem(dir, "other-ca.pem", other, NULL) != 0 ||
	    write_pem(dir, "server.pem", server, NULL) != 0 ||
	    write_pem(dir, "server.key", NULL, server_key) != 0 ||
	    write_pem(dir, "client.pem", client, NULL) != 0 ||
	    write_pem(dir, "client.key", NULL, client_key) != 0)
		goto cleanup;
	rc = 0;
cleanup:
	X509_free(ca);
	X509_free(other);
	X509_free(server);
	X509_free(client);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(server_key);
	EVP_PKEY_free(client_key);
	EVP_PKEY_free(other_key);
	return rc;
}

int fixture_cli_load(const char *cli, const char *address, const char *token,
		     const char *council, const char *format, const char *path)
{
	char server_env[200], token_env[192];
	const char *env[3] = { server_env, token_env, NULL };
	char *out = NULL, *err = NULL;
	int rc;

	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", address);
	snprintf(token_env, sizeof(token_env), "CSPERF_TOKEN=%s", token);
	rc = fixture_run((const char *const[]){ cli, "load", "--council", council, "--format",
		format, path, NULL }, env, &out, &err, 600);
	if (rc != 0)
		fprintf(stderr, "csperf load exited %d:\n%s\n%s\n", rc, out != NULL ? out : "",
			err != NULL ? err : "");
	free(out);
	free(err);
	return rc;
}
