/*
 * fuzz_cin_xml.c: a CIN census XML file through formats_read_cin_xml, and
 * every record it yields through validation, as `csperf load --format
 * cin-xml` does.
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

	if (fuzz_file_open(&file, data, size) != 0)
		return 0;
	formats_read_cin_xml(file.path, validate_record, NULL, &err);
	fuzz_file_close(&file);
	return 0;
}
