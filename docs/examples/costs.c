/*
 * costs.c: a finance system's pull of a council's placement costs through
 * libcsperf, the example of docs/SDK.md (the test suite builds it from an
 * installed SDK, with pkg-config and with CMake, and runs it against csperfd).
 *
 *   cc costs.c $(pkg-config --cflags --libs libcsperf) -o costs
 *   CSPERF_SERVER=127.0.0.1:50051 CSPERF_TOKEN=... ./costs 975 2018-19 2019-01-31
 *
 * Prints, as CSV in whole pence, the forecast out-turn against budget by
 * placement type and in total. A token of the admin or finance role.
 */
#include <csperf/costs.h>
#include <csperf/csperf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static void print_row(const char *key, const csperf_cost_figures *f)
{
	printf("%s,%" PRId64 ",%" PRId64 ",%" PRId64 ",", key, f->actual_pence,
	       f->committed_pence, f->forecast_pence);
	if (f->has_budget)
		printf("%" PRId64 ",%" PRId64 "\n", f->budget_pence, f->variance_pence);
	else
		printf(",\n");
}

int main(int argc, char **argv)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_costs_query query = CSPERF_COSTS_QUERY_INIT;
	csperf_client *client = NULL;
	csperf_costs *costs = NULL;
	int rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s COUNCIL FINANCIAL-YEAR [AS-AT]\n", argv[0]);
		return 2;
	}
	options.server = getenv("CSPERF_SERVER") != NULL ? getenv("CSPERF_SERVER")
							 : "127.0.0.1:50051";
	options.token = getenv("CSPERF_TOKEN");
	options.timeout_ms = 60000;
	query.council = argv[1];
	query.financial_year = argv[2];
	query.as_at = argc == 4 ? argv[3] : NULL;
	query.group_by = "placement_type";

	if ((rc = csperf_client_new(&client, &options)) != CSPERF_OK ||
	    (rc = csperf_costs_get(client, &query, &costs)) != CSPERF_OK) {
		fprintf(stderr, "%s (%s)\n", csperf_error_last(), csperf_strerror(rc));
		csperf_client_free(client);
		return 1;
	}
	printf("# %s %s as at %s (libcsperf %s)\n", costs->council, costs->financial_year,
	       costs->as_at, csperf_version());
	printf("placement_type,actual_pence,committed_pence,forecast_pence,budget_pence,"
	       "variance_pence\n");
	for (size_t i = 0; i < costs->ngroups; i++)
		print_row(costs->groups[i].key[0] != '\0' ? costs->groups[i].key : "(none)",
			  &costs->groups[i].figures);
	print_row("total", &costs->total);
	csperf_costs_free(costs);
	csperf_client_free(client);
	return 0;
}
