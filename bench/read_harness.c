/*
 * bench/read_harness.c: csperf-read-harness, the CPU work of a load without
 * the network or the database, for callgrind.
 *
 *   csperf-read-harness --format ssda903|cin-xml|csv [--year YYYY]
 *                       [--no-validate] FILE...
 *
 * Reads each file with the readers `csperf load` uses (client/formats:
 * decoding CSV or XML, converting values to csperf form) and checks each
 * record with csperf_record_validate, the check csperfd makes of every record
 * it receives. Prints what it read:
 *
 *   records=76469 rejected=0 seconds=0.41 records_per_s=186509
 *
 * Run under `valgrind --tool=callgrind` the instruction count is the same
 * from run to run for the same file, so a change to the readers or to the
 * validation shows in it without the noise of a shared machine
 * (bench/callgrind.sh).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats.h"
#include "schema.h"

typedef struct harness {
	int validate;
	unsigned long long records;
	unsigned long long rejected;
} harness;

static int on_record(const formats_record *rec, void *ctx)
{
	harness *h = ctx;
	const csperf_record_schema *schema = csperf_schema_by_type(rec->type);
	csperf_validation_error err;

	h->records++;
	if (!h->validate)
		return 0;
	if (schema == NULL ||
	    csperf_record_validate(schema, rec->values, rec->nvalues, &err) != 0)
		h->rejected++;
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *out)
{
	fputs("Usage: csperf-read-harness --format ssda903|cin-xml|csv [--year YYYY]\n"
	      "                           [--no-validate] FILE...\n"
	      "Reads the files as `csperf load` does and validates every record as csperfd\n"
	      "does, without a server.\n", out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "year", required_argument, NULL, 'y' },
		{ "no-validate", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = NULL;
	harness h = { 1, 0, 0 };
	int year = 0, opt;
	double started, seconds;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'f': format = optarg; break;
		case 'y': year = atoi(optarg); break;
		case 'n': h.validate = 0; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (format == NULL || optind >= argc) {
		usage(stderr);
		return 1;
	}
	started = now_seconds();
	for (int i = optind; i < argc; i++) {
		formats_error err;
		int rc;

		memset(&err, 0, sizeof(err));
		if (strcmp(format, "ssda903") == 0) {
			formats_ssda903_options opts = FORMATS_SSDA903_OPTIONS_INIT;

			opts.collection_year = year;
			rc = formats_read_ssda903(argv[i], &opts, on_record, &h, &err);
		} else if (strcmp(format, "cin-xml") == 0) {
			rc = formats_read_cin_xml(argv[i], on_record, &h, &err);
		} else if (strcmp(format, "csv") == 0) {
			rc = formats_read_csperf_csv(argv[i], 0, on_record, &h, &err);
		} else {
			usage(stderr);
			return 1;
		}
		if (rc < 0) {
			fprintf(stderr, "csperf-read-harness: %s line %lu: %s\n", argv[i], err.line,
				err.message[0] != '\0' ? err.message : formats_strerror(rc));
			return 1;
		}
	}
	seconds = now_seconds() - started;
	printf("records=%llu rejected=%llu seconds=%.3f records_per_s=%.0f\n", h.records,
	       h.rejected, seconds, seconds > 0 ? h.records / seconds : 0.0);
	return 0;
}
