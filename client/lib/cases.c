/*
 * cases.c: the SDK side of the child-level server streams: the cases behind
 * a figure (GetIndicatorCases) and Ofsted's Annex A lists (GetChildList).
 * Each reply message is a batch, handed to the caller row by row as it comes.
 */
#include <string.h>

#include "client_internal.h"
#include "csperf/scorecards.h"

#include "csperf/v1/indicators.pb-c.h"

typedef struct cases_ctx {
	csperf_case_cb cb;
	void *ctx;
	uint64_t received;
} cases_ctx;

static int on_cases(ProtobufCMessage *message, void *ctx)
{
	const Csperf__V1__IndicatorCases *batch = (const Csperf__V1__IndicatorCases *)message;
	cases_ctx *cc = ctx;

	for (size_t i = 0; i < batch->n_cases; i++) {
		const Csperf__V1__IndicatorCase *m = batch->cases[i];
		csperf_case c = { m->child_id, m->case_date, m->in_numerator, m->detail, m->reason,
				  m->team };

		cc->received++;
		if (cc->cb(&c, cc->ctx) != 0)
			return 1;
	}
	return 0;
}

int csperf_cases_list(csperf_client *client, const csperf_cases_query *query,
		      csperf_case_cb cb, void *ctx, uint64_t *count)
{
	Csperf__V1__GetIndicatorCasesRequest req = CSPERF__V1__GET_INDICATOR_CASES_REQUEST__INIT;
	cases_ctx cc = { cb, ctx, 0 };
	int rc;

	if (count != NULL)
		*count = 0;
	if (client == NULL || query == NULL || cb == NULL)
		return client_error(CSPERF_EINVAL, "GetIndicatorCases: client, query or cb is NULL");
	if (query->version != CSPERF_CASES_QUERY_VERSION)
		return client_error(CSPERF_EVERSION, "GetIndicatorCases: query version %u is not %d",
				    query->version, CSPERF_CASES_QUERY_VERSION);
	req.council = (char *)(query->council != NULL ? query->council : "");
	req.indicator_id = (char *)(query->indicator_id != NULL ? query->indicator_id : "");
	req.period = (char *)(query->period != NULL ? query->period : "");
	req.part = (char *)(query->part != NULL ? query->part : "");
	req.org_unit = (char *)(query->org_unit != NULL ? query->org_unit : "");
	rc = client_server_stream(client, "/csperf.v1.Performance/GetIndicatorCases",
				  "GetIndicatorCases", &req.base,
				  &csperf__v1__indicator_cases__descriptor, on_cases, &cc);
	if (count != NULL)
		*count = cc.received;
	return rc;
}

typedef struct list_ctx {
	csperf_list_header_cb header;
	csperf_list_row_cb row;
	void *ctx;
	uint64_t received;
} list_ctx;

static int on_list_part(ProtobufCMessage *message, void *ctx)
{
	const Csperf__V1__ChildListPart *part = (const Csperf__V1__ChildListPart *)message;
	list_ctx *lc = ctx;

	if (part->n_columns > 0 && lc->header != NULL &&
	    lc->header(part->title, part->n_columns, (const char *const *)part->columns,
		       lc->ctx) != 0)
		return 1;
	for (size_t i = 0; i < part->n_rows; i++) {
		lc->received++;
		if (lc->row(part->rows[i]->n_values, (const char *const *)part->rows[i]->values,
			    lc->ctx) != 0)
			return 1;
	}
	return 0;
}

int csperf_child_list_get(csperf_client *client, const char *list, const char *council,
			  const char *as_at, csperf_list_header_cb header, csperf_list_row_cb row,
			  void *ctx, uint64_t *count)
{
	Csperf__V1__GetChildListRequest req = CSPERF__V1__GET_CHILD_LIST_REQUEST__INIT;
	list_ctx lc = { header, row, ctx, 0 };
	int rc;

	if (count != NULL)
		*count = 0;
	if (client == NULL || list == NULL || council == NULL || as_at == NULL || row == NULL)
		return client_error(CSPERF_EINVAL,
				    "GetChildList: client, list, council, as_at or row is NULL");
	req.list = (char *)list;
	req.council = (char *)council;
	req.as_at = (char *)as_at;
	rc = client_server_stream(client, "/csperf.v1.Performance/GetChildList", "GetChildList",
				  &req.base, &csperf__v1__child_list_part__descriptor, on_list_part,
				  &lc);
	if (count != NULL)
		*count = lc.received;
	return rc;
}
