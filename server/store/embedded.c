/*
 * embedded.c: csperfd's own private PostgreSQL, for when no DSN is given.
 *
 * The cluster lives in a data directory (initdb on first use), listens on a
 * unix socket only, runs as the `postgres` user when csperfd runs as root
 * (PostgreSQL refuses to run as root), sits in its own process group (a
 * terminal's Ctrl-C reaches csperfd, which drains its calls and then stops
 * the database), and gets SIGINT if csperfd dies, so it never outlives it.
 */
#include "store_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../log.h"

#define PG_MAJOR "15"
#define START_TIMEOUT_S 60
#define STOP_TIMEOUT_S 60

struct store_embedded {
	pid_t pid;
	char data_dir[PATH_MAX];
	char socket_dir[PATH_MAX];
	bool own_socket_dir;   /* a /tmp folder made because data_dir's path is too long */
};

typedef struct run_as {
	bool drop;             /* running as root: become postgres */
	uid_t uid;
	gid_t gid;
} run_as;

static bool is_executable(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, X_OK) == 0;
}

/* Finds PostgreSQL's server programs: the given folder, Debian's folder for
 * PostgreSQL 15, or the newest /usr/lib/postgresql/N/bin. */
static int find_pg_bin(const char *given, char *out, size_t outsize, status *st)
{
	glob_t found;
	char resolved[PATH_MAX];

	if (given != NULL && given[0] != '\0') {
		if (!is_executable(given, "initdb") || !is_executable(given, "postgres"))
			return status_set(st, STATUS_FAILED_PRECONDITION,
					  "%s has no initdb and postgres programs: give the "
					  "folder of PostgreSQL's server programs (Debian package "
					  "postgresql-15: /usr/lib/postgresql/15/bin)", given);
		/* Absolute, so that the programs started from it find each other
		 * whatever the working directory and PATH. */
		if (realpath(given, resolved) == NULL)
			return status_set(st, STATUS_FAILED_PRECONDITION,
					  "cannot resolve %s: %s", given, strerror(errno));
		snprintf(out, outsize, "%s", resolved);
		return 0;
	}
	if (is_executable("/usr/lib/postgresql/" PG_MAJOR "/bin", "initdb")) {
		snprintf(out, outsize, "/usr/lib/postgresql/" PG_MAJOR "/bin");
		return 0;
	}
	if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &found) == 0) {
		/* glob sorts; the last is the newest that sorts last. */
		snprintf(out, outsize, "%s", found.gl_pathv[found.gl_pathc - 1]);
		out[strlen(out) - strlen("/initdb")] = '\0';
		globfree(&found);
		return 0;
	}
	return status_set(st, STATUS_FAILED_PRECONDITION,
			  "PostgreSQL's server programs (initdb, postgres) are not "
			  "installed: install the Debian package postgresql-15, or give "
			  "--dsn for an existing server");
}

static int mkdir_parents(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static bool dir_is_empty(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *entry;
	bool empty = true;

	if (dir == NULL)
		return false;
	while ((entry = readdir(dir)) != NULL)
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			empty = false;
	closedir(dir);
	return empty;
}

/* In a forked child: become the postgres user if needed, die with csperfd,
 * and leave the terminal's signals to csperfd. Async-signal-safe calls only. */
static void child_prepare(const run_as *who, pid_t parent)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (who->drop) {
		if (setgroups(0, NULL) != 0 || setgid(who->gid) != 0 ||
		    setuid(who->uid) != 0)
			_exit(126);
	}
	/* After setuid, which clears it. */
	prctl(PR_SET_PDEATHSIG, SIGINT);
	if (getppid() != parent)
		_exit(126);
}

/* Runs initdb, its output captured into `output`. */
static int run_initdb(const char *pg_bin, const char *data_dir, const run_as *who,
		      char *output, size_t outsize)
{
	char initdb[PATH_MAX];
	int fds[2];
	pid_t parent = getpid(), pid;
	size_t used = 0;
	int wstatus;

	snprintf(initdb, sizeof(initdb), "%s/initdb", pg_bin);
	output[0] = '\0';
	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		child_prepare(who, parent);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		/* argv[0] is the full path: initdb finds its sibling postgres
		 * through it (and PATH only for a bare name). */
		execl(initdb, initdb, "-D", data_dir, "-U", "postgres", "--auth=trust",
		      "-E", "UTF8", "--locale=C.UTF-8", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], output + used, outsize - used - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used >= outsize - 1)
			used = 0;  /* keep the tail, which holds the error */
	}
	output[used] = '\0';
	close(fds[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 ? 0 : -1;
}

static const char *last_line(char *text)
{
	size_t len = strlen(text);
	char *start;

	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	start = strrchr(text, '\n');
	return start != NULL ? start + 1 : text;
}

static int wait_ready(store_embedded *pg, int port, char *dsn, size_t dsnsize,
		      status *st)
{
	char conninfo[PATH_MAX + 64];

	snprintf(conninfo, sizeof(conninfo),
		 "host=%s port=%d user=postgres dbname=postgres connect_timeout=5",
		 pg->socket_dir, port);
	for (int i = 0; i < START_TIMEOUT_S * 20; i++) {
		int wstatus;

		if (PQping(conninfo) == PQPING_OK) {
			snprintf(dsn, dsnsize, "host=%s port=%d user=postgres dbname=csperf",
				 pg->socket_dir, port);
			return 0;
		}
		if (waitpid(pg->pid, &wstatus, WNOHANG) == pg->pid) {
			pg->pid = 0;
			return status_set(st, STATUS_UNAVAILABLE,
					  "the embedded PostgreSQL stopped while starting: see "
					  "%s/postgresql.log", pg->data_dir);
		}
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	return status_set(st, STATUS_UNAVAILABLE,
			  "the embedded PostgreSQL did not start within %d s: see "
			  "%s/postgresql.log", START_TIMEOUT_S, pg->data_dir);
}

static int create_database(const char *dsn_postgres, status *st)
{
	PGconn *conn = PQconnectdb(dsn_postgres);
	PGresult *res;
	int rc = 0;

	if (PQstatus(conn) != CONNECTION_OK) {
		status_set(st, STATUS_UNAVAILABLE, "cannot connect to the embedded PostgreSQL: %s",
			   store_first_line(PQerrorMessage(conn)));
		PQfinish(conn);
		return -1;
	}
	res = PQexec(conn, "SELECT 1 FROM pg_database WHERE datname = 'csperf'");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0) {
		PQclear(res);
		res = PQexec(conn, "CREATE DATABASE csperf");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = status_set(st, STATUS_INTERNAL, "cannot create the database csperf: %s",
					store_first_line(PQresultErrorMessage(res)));
	}
	PQclear(res);
	PQfinish(conn);
	return rc;
}

static int prepare_data_dir(store_embedded *pg, const run_as *who, bool *needs_initdb,
			    status *st)
{
	char version_file[PATH_MAX + 16];
	struct stat sb;

	if (stat(pg->data_dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "the data directory %s is not a directory", pg->data_dir);
	if (mkdir_parents(pg->data_dir, 0700) != 0)
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "cannot create the data directory %s: %s", pg->data_dir,
				  strerror(errno));
	if (access(pg->data_dir, R_OK | W_OK | X_OK) != 0)
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "cannot use the data directory %s: %s", pg->data_dir,
				  strerror(errno));
	snprintf(version_file, sizeof(version_file), "%s/PG_VERSION", pg->data_dir);
	*needs_initdb = access(version_file, F_OK) != 0;
	if (*needs_initdb && !dir_is_empty(pg->data_dir))
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "the data directory %s is neither empty nor a PostgreSQL "
				  "cluster: give an empty or new folder", pg->data_dir);
	if (!*needs_initdb) {
		FILE *f = fopen(version_file, "r");
		char major[16] = "";

		if (f == NULL || fgets(major, sizeof(major), f) == NULL) {
			if (f != NULL)
				fclose(f);
			return status_set(st, STATUS_FAILED_PRECONDITION,
					  "cannot read %s: %s", version_file, strerror(errno));
		}
		fclose(f);
		major[strcspn(major, "\n")] = '\0';
		if (strcmp(major, PG_MAJOR) != 0)
			return status_set(st, STATUS_FAILED_PRECONDITION,
					  "the data directory %s holds a PostgreSQL %s cluster; "
					  "csperfd needs PostgreSQL " PG_MAJOR, pg->data_dir, major);
	}
	if (who->drop && chown(pg->data_dir, who->uid, who->gid) != 0)
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "cannot give the data directory %s to the postgres user: %s",
				  pg->data_dir, strerror(errno));
	chmod(pg->data_dir, 0700);
	return 0;
}

/* The socket path must fit sun_path; a deep data directory gets a private
 * socket folder in /tmp instead. */
static int choose_socket_dir(store_embedded *pg, const run_as *who, int port,
			     status *st)
{
	struct sockaddr_un addr;
	char probe[PATH_MAX + 32];

	snprintf(probe, sizeof(probe), "%s/.s.PGSQL.%d.lock", pg->data_dir, port);
	if (strlen(probe) < sizeof(addr.sun_path)) {
		snprintf(pg->socket_dir, sizeof(pg->socket_dir), "%s", pg->data_dir);
		return 0;
	}
	snprintf(pg->socket_dir, sizeof(pg->socket_dir), "/tmp/csperfd-pg-XXXXXX");
	if (mkdtemp(pg->socket_dir) == NULL)
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "cannot make a socket folder in /tmp: %s", strerror(errno));
	pg->own_socket_dir = true;
	if (who->drop && chown(pg->socket_dir, who->uid, who->gid) != 0)
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "cannot give %s to the postgres user: %s", pg->socket_dir,
				  strerror(errno));
	return 0;
}

static int start_postmaster(store_embedded *pg, const char *pg_bin, int port,
			    const run_as *who, status *st)
{
	char postgres[PATH_MAX], log_path[PATH_MAX + 32], port_text[16];
	pid_t parent = getpid();

	snprintf(postgres, sizeof(postgres), "%s/postgres", pg_bin);
	snprintf(log_path, sizeof(log_path), "%s/postgresql.log", pg->data_dir);
	snprintf(port_text, sizeof(port_text), "%d", port);
	pg->pid = fork();
	if (pg->pid < 0)
		return status_set(st, STATUS_INTERNAL, "cannot start PostgreSQL: %s",
				  strerror(errno));
	if (pg->pid == 0) {
		int fd;

		child_prepare(who, parent);
		fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, STDIN_FILENO);
		execl(postgres, postgres, "-D", pg->data_dir, "-k", pg->socket_dir,
		      "-p", port_text, "-c", "listen_addresses=",
		      "-c", "unix_socket_permissions=0700", (char *)NULL);
		_exit(127);
	}
	return 0;
}

int store_embedded_start(store_embedded **out, const store_embedded_options *opts,
			 char *dsn, size_t dsnsize, status *st)
{
	store_embedded *pg;
	char pg_bin[PATH_MAX], output[4096], admin_dsn[PATH_MAX + 64];
	run_as who = { false, 0, 0 };
	bool needs_initdb = false;

	*out = NULL;
	if (find_pg_bin(opts->pg_bin, pg_bin, sizeof(pg_bin), st) != 0)
		return -1;
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("postgres");

		if (pw == NULL)
			return status_set(st, STATUS_FAILED_PRECONDITION,
					  "csperfd runs as root but there is no postgres user "
					  "to run PostgreSQL: install the Debian package "
					  "postgresql-15, or run csperfd as another user");
		who.drop = true;
		who.uid = pw->pw_uid;
		who.gid = pw->pw_gid;
	}
	pg = calloc(1, sizeof(*pg));
	if (pg == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	if (realpath(opts->data_dir, pg->data_dir) == NULL) {
		/* Not there yet: make it absolute by hand. */
		char cwd[PATH_MAX];

		const char *relative = opts->data_dir;
		int len;

		while (relative[0] == '.' && relative[1] == '/')
			relative += 2;
		if (opts->data_dir[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
			len = snprintf(pg->data_dir, sizeof(pg->data_dir), "%s", opts->data_dir);
		else
			len = snprintf(pg->data_dir, sizeof(pg->data_dir), "%.*s/%s",
				       (int)(sizeof(cwd) / 2), cwd, relative);
		if (len < 0 || (size_t)len >= sizeof(pg->data_dir)) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "the data directory's path is too long");
			goto fail;
		}
	}
	if (prepare_data_dir(pg, &who, &needs_initdb, st) != 0 ||
	    choose_socket_dir(pg, &who, opts->port, st) != 0)
		goto fail;
	if (needs_initdb) {
		log_info("store: initialising the embedded PostgreSQL in %s", pg->data_dir);
		if (run_initdb(pg_bin, pg->data_dir, &who, output, sizeof(output)) != 0) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "initdb failed for %s: %s", pg->data_dir, last_line(output));
			goto fail;
		}
	}
	if (start_postmaster(pg, pg_bin, opts->port, &who, st) != 0 ||
	    wait_ready(pg, opts->port, dsn, dsnsize, st) != 0)
		goto fail;
	snprintf(admin_dsn, sizeof(admin_dsn), "host=%s port=%d user=postgres dbname=postgres",
		 pg->socket_dir, opts->port);
	if (create_database(admin_dsn, st) != 0)
		goto fail;
	log_info("store: embedded PostgreSQL running (pid %d, data %s)", (int)pg->pid,
		 pg->data_dir);
	*out = pg;
	return 0;
fail:
	store_embedded_stop(pg);
	return -1;
}

pid_t store_embedded_pid(const store_embedded *pg)
{
	return pg->pid;
}

void store_embedded_stop(store_embedded *pg)
{
	if (pg == NULL)
		return;
	if (pg->pid > 0) {
		int wstatus;
		bool stopped = false;

		kill(pg->pid, SIGINT);  /* fast shutdown: roll back, checkpoint, exit */
		for (int i = 0; i < STOP_TIMEOUT_S * 20 && !stopped; i++) {
			pid_t rc = waitpid(pg->pid, &wstatus, WNOHANG);

			if (rc == pg->pid || (rc < 0 && errno == ECHILD))
				stopped = true;
			else
				nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
		}
		if (!stopped) {
			log_warn("store: PostgreSQL did not stop in %d s: killing it",
				 STOP_TIMEOUT_S);
			kill(pg->pid, SIGQUIT);
			waitpid(pg->pid, &wstatus, 0);
		}
		log_info("store: embedded PostgreSQL stopped");
	}
	if (pg->own_socket_dir)
		rmdir(pg->socket_dir);
	free(pg);
}
