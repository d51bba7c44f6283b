/*
 * quality.c: the DfE's validation rules over a council's stored records, and
 * the failing records per indicator that scorecard rows report.
 */
#include "quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

/* The record types some rule reads. */
static const csperf_record_type read_types[] = {
	CSPERF_RECORD_CHILD, CSPERF_RECORD_REFERRAL, CSPERF_RECORD_ASSESSMENT,
	CSPERF_RECORD_CIN_PLAN, CSPERF_RECORD_S47, CSPERF_RECORD_CP_PLAN,
	CSPERF_RECORD_CP_REVIEW, CSPERF_RECORD_LA_EPISODE, CSPERF_RECORD_LA_REVIEW,
	CSPERF_RECORD_HEALTH, CSPERF_RECORD_MISSING, CSPERF_RECORD_CARE_LEAVER,
	CSPERF_RECORD_ADOPTION, CSPERF_RECORD_PLACED_FOR_ADOPTION,
	CSPERF_RECORD_PREVIOUS_PERMANENCE, CSPERF_RECORD_UASC,
};

typedef struct reading {
	validate_set *set;
	bool failed;
} reading;

static int on_record(csperf_record_type type, int64_t load_id, int64_t record_no,
		     const char *const *values, size_t nvalues, void *ctx)
{
	reading *r = ctx;
	char load[24];

	snprintf(load, sizeof(load), "%lld", (long long)load_id);
	if (validate_set_add(r->set, type, values, nvalues, load, (unsigned long)record_no) != 0) {
		r->failed = true;
		return 1;
	}
	return 0;
}

int quality_read_set(store_pool *pool, int64_t timeout_ms, const char *council,
		     validate_set **out, status *st)
{
	reading r = { validate_set_new(), false };

	*out = NULL;
	if (r.set == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < sizeof(read_types) / sizeof(read_types[0]); i++)
		if (store_read_records(pool, timeout_ms, council, read_types[i], on_record, &r,
				       st) != 0) {
			if (r.failed)
				status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			validate_set_free(r.set);
			return -1;
		}
	*out = r.set;
	return 0;
}

int quality_collection_year(const char *date)
{
	int y, m;

	if (date == NULL || sscanf(date, "%4d-%2d", &y, &m) != 2)
		return 0;
	return m >= 4 ? y + 1 : y;
}

/* The failures of a run: which record broke which rule. */
typedef struct failure_list {
	struct { size_t record; const validate_rule *rule; } *items;
	size_t n, cap;
	bool failed;
} failure_list;

static int keep_failure(const validate_failure *f, void *ctx)
{
	failure_list *fl = ctx;

	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 256;
		void *items = realloc(fl->items, cap * sizeof(*fl->items));
		if (items == NULL) {
			fl->failed = true;
			return 1;
		}
		fl->items = items;
		fl->cap = cap;
	}
	fl->items[fl->n].record = f->record->index;
	fl->items[fl->n].rule = f->rule;
	fl->n++;
	return 0;
}

/* Whether the space-separated `list` holds `word`. */
static bool has_word(const char *list, const char *word, size_t len)
{
	for (const char *p = list; *p != '\0';) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q != '\0' && *q != ' ')
			q++;
		if ((size_t)(q - p) == len && strncmp(p, word, len) == 0)
			return true;
		p = q;
	}
	return false;
}

#define MAX_INDICATORS 128
#define RULES_TEXT 512

int quality_refresh(store_pool *pool, int64_t timeout_ms, const char *council, status *st)
{
	char from[16], to[16];
	validate_set *set = NULL;
	failure_list fl = { NULL, 0, 0, false };
	store_quality_row rows[MAX_INDICATORS];
	char ids[MAX_INDICATORS][24], rules[MAX_INDICATORS][RULES_TEXT];
	size_t nrows = 0;
	unsigned char *seen = NULL;
	int year, rc = -1;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	if (store_data_range(pool, timeout_ms, council, from, to, st) != 0)
		return -1;
	year = quality_collection_year(to);
	if (year == 0)   /* no records: nothing fails */
		return store_quality_replace(pool, timeout_ms, council, 0, NULL, 0, st);
	if (quality_read_set(pool, timeout_ms, council, &set, st) != 0)
		return -1;
	if (validate_run_stored(set, 0, year, NULL, keep_failure, &fl) != 0 || fl.failed) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	seen = calloc(validate_set_size(set) + 1, 1);
	if (seen == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	/* Every indicator a failing rule decides, each counted once. */
	for (size_t i = 0; i < fl.n; i++) {
		const char *p = fl.items[i].rule->decides;
		while (*p != '\0') {
			while (*p == ' ')
				p++;
			const char *q = p;
			while (*q != '\0' && *q != ' ')
				q++;
			size_t len = (size_t)(q - p), k;
			for (k = 0; k < nrows; k++)
				if (strlen(ids[k]) == len && strncmp(ids[k], p, len) == 0)
					break;
			if (len > 0 && len < sizeof(ids[0]) && k == nrows && nrows < MAX_INDICATORS) {
				memcpy(ids[nrows], p, len);
				ids[nrows][len] = '\0';
				nrows++;
			}
			p = q;
		}
	}
	/* Per indicator: the distinct records failing a rule that decides it,
	 * and those rules. */
	for (size_t k = 0; k < nrows; k++) {
		size_t len = strlen(ids[k]);
		uint64_t count = 0;
		rules[k][0] = '\0';
		for (size_t i = 0; i < fl.n; i++) {
			const validate_rule *rule = fl.items[i].rule;
			if (!has_word(rule->decides, ids[k], len))
				continue;
			if (!seen[fl.items[i].record]) {
				seen[fl.items[i].record] = 1;
				count++;
			}
			if (!has_word(rules[k], rule->code, strlen(rule->code)))
				snprintf(rules[k] + strlen(rules[k]), RULES_TEXT - strlen(rules[k]), "%s%s",
					 rules[k][0] ? " " : "", rule->code);
		}
		for (size_t i = 0; i < fl.n; i++)
			seen[fl.items[i].record] = 0;
		rows[k].indicator_id = ids[k];
		rows[k].failing_records = count;
		rows[k].rules = rules[k];
		rows[k].collection_year = year;
	}
	rc = store_quality_replace(pool, timeout_ms, council, year, rows, nrows, st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0)
		log_info("quality: council %s: %zu records, %zu failures of the DfE's rules for %d, "
			 "deciding %zu indicators, %lld ms", council, validate_set_size(set), fl.n,
			 year, nrows, (long long)((t1.tv_sec - t0.tv_sec) * 1000
						  + (t1.tv_nsec - t0.tv_nsec) / 1000000));
cleanup:
	free(seen);
	free(fl.items);
	validate_set_free(set);
	return rc;
}
