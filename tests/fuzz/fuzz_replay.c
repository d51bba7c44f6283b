/*
 * fuzz_replay.c: runs a fuzz target over files, without libFuzzer, so that
 * every build (gcc, the sanitizer build, valgrind) replays the seed corpora
 * and the inputs of every crash fuzzing ever found. Arguments are files or
 * folders (read one level deep); exit status 0 when every input ran, 1 when
 * one could not be read or none was found at all.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path, long *count)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "fuzz_replay: cannot read %s\n", path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	data = malloc(size > 0 ? (size_t)size : 1);
	if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "fuzz_replay: cannot read %s\n", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)size);
	free(data);
	(*count)++;
	return 0;
}

int main(int argc, char **argv)
{
	long count = 0;
	int failures = 0;

	for (int i = 1; i < argc; i++) {
		struct stat sb;
		DIR *dir;
		struct dirent *entry;

		if (stat(argv[i], &sb) != 0) {
			/* A corpus folder that is absent (shared data not beside the
			 * repository) is not a failure, but under
			 * CSPERF_REQUIRE_ALL_TESTS=1 (CI) every corpus must be there. */
			const char *require = getenv("CSPERF_REQUIRE_ALL_TESTS");

			fprintf(stderr, "fuzz_replay: %s is absent: skipped\n", argv[i]);
			if (require != NULL && strcmp(require, "1") == 0)
				failures++;
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			failures += run_file(argv[i], &count) != 0;
			continue;
		}
		dir = opendir(argv[i]);
		while (dir != NULL && (entry = readdir(dir)) != NULL) {
			char path[4096];

			if (entry->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], entry->d_name);
			if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
				failures += run_file(path, &count) != 0;
		}
		if (dir != NULL)
			closedir(dir);
	}
	printf("fuzz_replay: %ld inputs ran\n", count);
	/* A replay that finds nothing to run has tested nothing. */
	if (count == 0) {
		fprintf(stderr, "fuzz_replay: no inputs found: nothing was tested\n");
		return 1;
	}
	return failures == 0 ? 0 : 1;
}
