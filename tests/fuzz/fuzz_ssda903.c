/*
 * fuzz_ssda903.c: one SSDA903 table (CSV) through formats_read_ssda903, and
 * every record it yields through validation, as `csperf load --format
 * ssda903` does. The first byte picks the collection year (or none, which
 * OC2 and OC3 refuse); the rest is the file.
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
	formats_ssda903_options options = FORMATS_SSDA903_OPTIONS_INIT;
	formats_error err;
	fuzz_file file;

	if (size < 1)
		return 0;
	options.collection_year = data[0] % 4 == 0 ? 0 : 2015 + data[0] % 4;
	if (fuzz_file_open(&file, data + 1, size - 1) != 0)
		return 0;
	formats_read_ssda903(file.path, &options, validate_record, NULL, &err);
	fuzz_file_close(&file);
	return 0;
}
