/*
 * paths.c: the files a command is given: a folder stands for its files of
 * one extension, in name order; a return's folder may be named after its
 * collection year. Shared by `csperf load` and `csperf validate`.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

static int add_path(char ***files, size_t *nfiles, const char *path)
{
	char **grown = realloc(*files, (*nfiles + 1) * sizeof(char *));

	if (grown == NULL)
		return -1;
	*files = grown;
	if ((grown[*nfiles] = strdup(path)) == NULL)
		return -1;
	(*nfiles)++;
	return 0;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int cli_expand_path(const char *command, const char *path, const char *ext, char ***files,
		    size_t *nfiles)
{
	struct stat sb;
	DIR *dir;
	struct dirent *entry;
	size_t first = *nfiles;

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "csperf %s: %s: %s\n", command, path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode))
		return add_path(files, nfiles, path);
	dir = opendir(path);
	if (dir == NULL) {
		fprintf(stderr, "csperf %s: %s: %s\n", command, path, strerror(errno));
		return -1;
	}
	while ((entry = readdir(dir)) != NULL) {
		size_t len = strlen(entry->d_name);
		char full[4096];

		if (len <= strlen(ext) || strcasecmp(entry->d_name + len - strlen(ext), ext) != 0)
			continue;
		snprintf(full, sizeof(full), "%.*s/%s",
			 (int)(strlen(path) - (path[strlen(path) - 1] == '/')), path, entry->d_name);
		if (add_path(files, nfiles, full) != 0) {
			closedir(dir);
			return -1;
		}
	}
	closedir(dir);
	qsort(*files + first, *nfiles - first, sizeof(char *), by_name);
	if (*nfiles == first) {
		fprintf(stderr, "csperf %s: %s has no %s files\n", command, path, ext);
		return -1;
	}
	return 0;
}

int cli_folder_year(const char *path)
{
	char copy[4096];
	char *slash, *name;

	snprintf(copy, sizeof(copy), "%s", path);
	slash = strrchr(copy, '/');
	if (slash == NULL)
		return 0;
	*slash = '\0';
	name = strrchr(copy, '/');
	name = name != NULL ? name + 1 : copy;
	if (strlen(name) == 4 && strspn(name, "0123456789") == 4)
		return atoi(name);
	return 0;
}
