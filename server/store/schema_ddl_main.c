/* schema_ddl_main.c: csperf-schema-ddl [VERSION] prints the journey record
 * tables' DDL that record schema version VERSION brought (record_tables.c;
 * default 1, the tables of migration 0002), for writing migrations;
 * csperf-schema-ddl partitioning prints how migration 0009 partitioned them
 * by council. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_tables.h"

int main(int argc, char **argv)
{
	char *ddl, *end;
	long version = 1;

	if (argc == 2 && strcmp(argv[1], "partitioning") == 0) {
		ddl = store_record_partition_ddl();
	} else if (argc > 2 || (argc == 2 && ((version = strtol(argv[1], &end, 10)) < 1 ||
					      version > CSPERF_RECORD_SCHEMA_VERSION ||
					      *end != '\0'))) {
		fprintf(stderr, "usage: csperf-schema-ddl [VERSION | partitioning]   "
			"(VERSION: 1 to %d)\n", CSPERF_RECORD_SCHEMA_VERSION);
		return 1;
	} else {
		ddl = store_record_tables_ddl((int)version);
	}
	if (ddl == NULL) {
		fputs("csperf-schema-ddl: out of memory\n", stderr);
		return 1;
	}
	fputs(ddl, stdout);
	free(ddl);
	return 0;
}
