/*
 * fuzz_csperf_csv.c: a csperf CSV file through formats_read_csperf_csv, and
 * every record it yields through validation, as `csperf load --format csv`
 * does. The first byte picks the record type (0: inferred from the header,
 * as for a file whose name says nothing); the rest is the file.
 */
#include <stddef.h>
#include <stdint.h>

#include "formats.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int validate_record(const formats_record *rec, void *ctx)
{
	formats_error err;

	(void)ctx;
	formats_record_validate(rec, &err);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	formats_error err;
	fuzz_file file;
	csperf_record_type type;

	if (size < 1)
		return 0;
	/* 0 and every type, and a few numbers past the last, which must be refused. */
	type = (csperf_record_type)(data[0] % (CSPERF_RECORD_TYPE_LAST + 3));
	if (fuzz_file_open(&file, data + 1, size - 1) != 0)
		return 0;
	formats_read_csperf_csv(file.path, type, validate_record, NULL, &err);
	fuzz_file_close(&file);
	return 0;
}
