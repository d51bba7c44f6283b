/* schema_ddl_main.c: csperf-schema-ddl prints the journey record tables'
 * DDL (record_tables.c), for writing migrations. */
#include <stdio.h>
#include <stdlib.h>

#include "record_tables.h"

int main(void)
{
	char *ddl = store_record_tables_ddl();

	if (ddl == NULL) {
		fputs("csperf-schema-ddl: out of memory\n", stderr);
		return 1;
	}
	fputs(ddl, stdout);
	free(ddl);
	return 0;
}
