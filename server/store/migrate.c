/*
 * migrate.c: the schema's history. Migrations are NNNN_description.sql files,
 * compiled into csperfd (or read from a folder with --migrations-dir), applied
 * in order, each in its own transaction, and recorded with a SHA-256 checksum
 * in schema_migrations so that a file changed after it was applied is caught.
 */
#include "store_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"

/* Any fixed number: every csperfd migrating one database takes this lock. */
#define MIGRATION_LOCK_KEY "7415126270"

void store_migration_checksum(const store_migration *m, char out[65])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	EVP_Digest(m->sql, m->length, digest, &len, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	out[64] = '\0';
}

/* "0001_init.sql" -> 1; -1 if the name is not NNNN_description.sql. */
static long migration_version(const char *name)
{
	size_t len = strlen(name);

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return -1;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)name[i]))
			return -1;
	for (size_t i = 5; i < len - 4; i++)
		if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) &&
		    name[i] != '_')
			return -1;
	return strtol(name, NULL, 10);
}

static int sql_file_filter(const struct dirent *entry)
{
	size_t len = strlen(entry->d_name);

	return len > 4 && strcmp(entry->d_name + len - 4, ".sql") == 0;
}

static char *read_file(const char *path, size_t *length)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long size;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto cleanup;
	text = malloc((size_t)size + 1);
	if (text == NULL)
		goto cleanup;
	if (fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		text = NULL;
		goto cleanup;
	}
	text[size] = '\0';
	*length = (size_t)size;
cleanup:
	fclose(f);
	return text;
}

int store_migrations_read_dir(const char *dir, store_migration **out,
			      size_t *count, status *st)
{
	struct dirent **entries = NULL;
	store_migration *migrations = NULL;
	int n, rc = -1;
	size_t loaded = 0;

	*out = NULL;
	*count = 0;
	n = scandir(dir, &entries, sql_file_filter, alphasort);
	if (n < 0)
		return status_set(st, STATUS_FAILED_PRECONDITION,
				  "cannot read the migrations folder %s: %s", dir,
				  strerror(errno));
	migrations = calloc((size_t)n + 1, sizeof(*migrations));
	if (migrations == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		store_migration *m = &migrations[loaded];

		snprintf(path, sizeof(path), "%s/%s", dir, entries[i]->d_name);
		m->version = migration_version(entries[i]->d_name);
		if (m->version <= 0) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "the migration %s is not named NNNN_description.sql "
				   "(four digits, then lower-case letters, digits and _)",
				   entries[i]->d_name);
			goto cleanup;
		}
		if (loaded > 0 && migrations[loaded - 1].version == m->version) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "two migrations have the number %04ld: %s and %s",
				   m->version, migrations[loaded - 1].name,
				   entries[i]->d_name);
			goto cleanup;
		}
		m->name = strdup(entries[i]->d_name);
		m->sql = read_file(path, &m->length);
		loaded++;
		if (m->name == NULL || m->sql == NULL) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "cannot read the migration %s: %s", path, strerror(errno));
			goto cleanup;
		}
	}
	*out = migrations;
	*count = loaded;
	migrations = NULL;
	rc = 0;
cleanup:
	if (migrations != NULL)
		store_migrations_free(migrations, loaded);
	for (int i = 0; i < n; i++)
		free(entries[i]);
	free(entries);
	return rc;
}

void store_migrations_free(store_migration *migrations, size_t count)
{
	if (migrations == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free((char *)migrations[i].name);
		free((char *)migrations[i].sql);
	}
	free(migrations);
}

static int exec_command(PGconn *pg, const char *sql, const char *what, status *st)
{
	PGresult *res = PQexec(pg, sql);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		status_set(st, STATUS_FAILED_PRECONDITION, "%s failed: %s", what,
			   store_first_line(PQresultErrorMessage(res)));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

static bool schema_migrations_exists(PGconn *pg)
{
	PGresult *res = PQexec(pg, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	bool exists = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
		      strcmp(PQgetvalue(res, 0, 0), "t") == 0;

	PQclear(res);
	return exists;
}

static int apply_one(PGconn *pg, const store_migration *m, const char *checksum,
		     status *st)
{
	char version[32];
	const char *params[3] = { version, m->name, checksum };
	PGresult *res;
	char what[128];

	snprintf(what, sizeof(what), "migration %s", m->name);
	snprintf(version, sizeof(version), "%ld", m->version);
	if (exec_command(pg, "BEGIN", what, st) != 0)
		return -1;
	if (exec_command(pg, m->sql, what, st) != 0)
		goto rollback;
	res = PQexecParams(pg,
			   "INSERT INTO schema_migrations (version, name, checksum)"
			   " VALUES ($1, $2, $3)", 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		status_set(st, STATUS_FAILED_PRECONDITION, "recording %s failed: %s",
			   m->name, store_first_line(PQresultErrorMessage(res)));
		PQclear(res);
		goto rollback;
	}
	PQclear(res);
	return exec_command(pg, "COMMIT", what, st);
rollback:
	PQclear(PQexec(pg, "ROLLBACK"));
	return -1;
}

int store_migrate(const char *dsn, const store_migration *migrations, size_t count,
		  int *applied, long *schema_version, status *st)
{
	PGconn *pg = PQconnectdb(dsn);
	PGresult *res = NULL;
	int rc = -1;

	*applied = 0;
	*schema_version = 0;
	if (PQstatus(pg) != CONNECTION_OK) {
		status_set(st, STATUS_UNAVAILABLE, "cannot connect to the database: %s",
			   store_first_line(PQerrorMessage(pg)));
		goto cleanup;
	}
	PQclear(PQexec(pg, "SET client_min_messages = warning"));
	/* Created only when missing: a login that may only serve (no CREATE on
	 * the schema) still starts a csperfd whose schema is up to date. */
	if (exec_command(pg, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")",
			 "taking the migration lock", st) != 0 ||
	    (!schema_migrations_exists(pg) &&
	     exec_command(pg,
			 "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 " version bigint PRIMARY KEY,"
			 " name text NOT NULL,"
			 " checksum text NOT NULL,"
			 " applied_at timestamptz NOT NULL DEFAULT now())",
			 "creating schema_migrations", st) != 0))
		goto cleanup;

	res = PQexec(pg, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		status_set(st, STATUS_FAILED_PRECONDITION, "reading schema_migrations failed: %s",
			   store_first_line(PQresultErrorMessage(res)));
		goto cleanup;
	}
	for (int row = 0; row < PQntuples(res); row++) {
		long version = strtol(PQgetvalue(res, row, 0), NULL, 10);
		const store_migration *known = NULL;
		char checksum[65];

		for (size_t i = 0; i < count; i++)
			if (migrations[i].version == version)
				known = &migrations[i];
		if (known == NULL) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "the database has migration %s, which this csperfd does not "
				   "know: it was migrated by a newer csperfd; upgrade csperfd",
				   PQgetvalue(res, row, 1));
			goto cleanup;
		}
		store_migration_checksum(known, checksum);
		if (strcmp(checksum, PQgetvalue(res, row, 2)) != 0) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "migration %s has changed since it was applied (checksum "
				   "%.12s, applied %.12s): restore the original and put the "
				   "change in a new migration", known->name, checksum,
				   PQgetvalue(res, row, 2));
			goto cleanup;
		}
		*schema_version = version;
	}
	for (size_t i = 0; i < count; i++) {
		char checksum[65];
		bool applied_before = false;

		/* Pending means not recorded, even below the newest applied one
		 * (a migration merged from a branch that numbered it earlier). */
		for (int row = 0; row < PQntuples(res); row++)
			if (strtol(PQgetvalue(res, row, 0), NULL, 10) == migrations[i].version)
				applied_before = true;
		if (applied_before)
			continue;
		store_migration_checksum(&migrations[i], checksum);
		if (apply_one(pg, &migrations[i], checksum, st) != 0)
			goto cleanup;
		log_info("store: applied migration %s", migrations[i].name);
		if (migrations[i].version > *schema_version)
			*schema_version = migrations[i].version;
		(*applied)++;
	}
	rc = 0;
cleanup:
	PQclear(res);
	PQfinish(pg);
	return rc;
}
