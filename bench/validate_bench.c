/*
 * bench/validate_bench.c: csperf-validate-bench: how long the DfE's rules
 * (common/validate) take next to reading the files they check.
 *
 *   csperf-validate-bench --format ssda903|cin-xml --year YYYY FILE...
 *
 * Reads every file twice: once only parsing (the records are counted and
 * dropped), once parsing into a validation set and running every rule of the
 * return for the year. Prints the two times, the records, the failures and
 * the ratio of validating to parsing: issue 21 asks that validating a census
 * take no longer than parsing it twice (a ratio of 2 or less).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats.h"
#include "validate/validate.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct counter {
	validate_set *set;   /* NULL: only count */
	unsigned long long records;
} counter;

static int on_record(const formats_record *rec, void *ctx)
{
	counter *c = ctx;
	c->records++;
	if (c->set != NULL)
		return validate_set_add(c->set, rec->type, rec->values, rec->nvalues, rec->file,
					rec->line) != 0;
	return 0;
}

static int read_all(int cin, int year, char **files, int nfiles, counter *c)
{
	for (int i = 0; i < nfiles; i++) {
		formats_error err;
		int rc;
		if (cin) {
			rc = formats_read_cin_xml(files[i], on_record, c, &err);
		} else {
			formats_ssda903_options options = FORMATS_SSDA903_OPTIONS_INIT;
			options.collection_year = year;
			rc = formats_read_ssda903(files[i], &options, on_record, c, &err);
			if (rc == FORMATS_EUNKNOWN)
				continue;
		}
		if (rc != 0) {
			fprintf(stderr, "csperf-validate-bench: %s: %s\n", files[i],
				err.message[0] ? err.message : formats_strerror(rc));
			return -1;
		}
	}
	return 0;
}

static int count_failure(const validate_failure *f, void *ctx)
{
	(void)f;
	(*(unsigned long long *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6 || strcmp(argv[1], "--format") != 0 || strcmp(argv[3], "--year") != 0) {
		fprintf(stderr, "usage: csperf-validate-bench --format ssda903|cin-xml --year YYYY FILE...\n");
		return 1;
	}
	int cin = strcmp(argv[2], "cin-xml") == 0;
	int year = atoi(argv[4]);
	char **files = argv + 5;
	int nfiles = argc - 5;

	counter parse = { NULL, 0 };
	double t0 = now();
	if (read_all(cin, year, files, nfiles, &parse) != 0)
		return 1;
	double parse_s = now() - t0;

	counter full = { validate_set_new(), 0 };
	unsigned long long failures = 0;
	t0 = now();
	if (full.set == NULL || read_all(cin, year, files, nfiles, &full) != 0)
		return 1;
	double read_s = now() - t0;
	if (validate_run(full.set, cin ? VALIDATE_CIN : VALIDATE_SSDA903, year, NULL,
			 count_failure, &failures) != 0)
		return 1;
	double validate_s = now() - t0;

	printf("records            %llu (%zu kept for the rules)\n", parse.records,
	       validate_set_size(full.set));
	printf("parse only         %.3f s\n", parse_s);
	printf("parse into the set %.3f s\n", read_s);
	printf("validate (all)     %.3f s (rules %.3f s), %llu failures\n", validate_s,
	       validate_s - read_s, failures);
	printf("ratio              %.2f x parsing (target: 2 or less)\n", validate_s / parse_s);
	validate_set_free(full.set);
	return validate_s <= 2 * parse_s ? 0 : 2;
}
