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
/* Children validated at a time: every rule looks at one child's records
 * only (common/validate/validate.h), so the council's children are taken
 * in runs of this many by id, and csperfd's memory is bounded by one run's
 * records, whatever the council's size (issue 23). */
#define CHILDREN_AT_A_TIME 10000

/* Per indicator a failing rule decides: its distinct failing records and
 * those rules, over every run. */
typedef struct tally {
	char ids[MAX_INDICATORS][24];
	char rules[MAX_INDICATORS][RULES_TEXT];
	uint64_t counts[MAX_INDICATORS];
	size_t n;
	size_t records;
} tally;

/* Adds one run's failures (of a set of `size` records) to the tally. */
static int tally_run(tally *t, const failure_list *fl, size_t size)
{
	unsigned char *seen = calloc(size + 1, 1);

	if (seen == NULL)
		return -1;
	/* Every indicator a failing rule decides, each counted once. */
	for (size_t i = 0; i < fl->n; i++) {
		const char *p = fl->items[i].rule->decides;
		while (*p != '\0') {
			while (*p == ' ')
				p++;
			const char *q = p;
			while (*q != '\0' && *q != ' ')
				q++;
			size_t len = (size_t)(q - p), k;
			for (k = 0; k < t->n; k++)
				if (strlen(t->ids[k]) == len && strncmp(t->ids[k], p, len) == 0)
					break;
			if (len > 0 && len < sizeof(t->ids[0]) && k == t->n && t->n < MAX_INDICATORS) {
				memcpy(t->ids[t->n], p, len);
				t->ids[t->n][len] = '\0';
				t->rules[t->n][0] = '\0';
				t->counts[t->n] = 0;
				t->n++;
			}
			p = q;
		}
	}
	/* Per indicator: the distinct records failing a rule that decides it
	 * (a record is in one run only), and those rules. */
	for (size_t k = 0; k < t->n; k++) {
		size_t len = strlen(t->ids[k]);
		char *rules = t->rules[k];

		for (size_t i = 0; i < fl->n; i++) {
			const validate_rule *rule = fl->items[i].rule;
			if (!has_word(rule->decides, t->ids[k], len))
				continue;
			if (!seen[fl->items[i].record]) {
				seen[fl->items[i].record] = 1;
				t->counts[k]++;
			}
			if (!has_word(rules, rule->code, strlen(rule->code)))
				snprintf(rules + strlen(rules), RULES_TEXT - strlen(rules), "%s%s",
					 rules[0] ? " " : "", rule->code);
		}
		for (size_t i = 0; i < fl->n; i++)
			seen[fl->items[i].record] = 0;
	}
	free(seen);
	return 0;
}

/* Reads the current records of every type a rule reads of the children
 * from `from` to `to` (quality_read_set's, for a run) and runs the rules. */
static int validate_children(store_pool *pool, int64_t timeout_ms, const char *council,
			     const char *from, const char *to, int year, tally *t, size_t *failures,
			     status *st)
{
	reading r = { validate_set_new(), false };
	failure_list fl = { NULL, 0, 0, false };
	int rc = -1;

	if (r.set == NULL)
		return status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < sizeof(read_types) / sizeof(read_types[0]); i++)
		if (store_read_records_range(pool, timeout_ms, council, read_types[i], from, to,
					     on_record, &r, st) != 0) {
			if (r.failed)
				status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
			goto cleanup;
		}
	if (validate_run_stored(r.set, 0, year, NULL, keep_failure, &fl) != 0 || fl.failed ||
	    tally_run(t, &fl, validate_set_size(r.set)) != 0) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	t->records += validate_set_size(r.set);
	*failures += fl.n;
	rc = 0;
cleanup:
	free(fl.items);
	validate_set_free(r.set);
	return rc;
}

int quality_refresh(store_pool *pool, int64_t timeout_ms, const char *council, status *st)
{
	char from[16], to[16];
	tally *t = NULL;
	store_quality_row rows[MAX_INDICATORS];
	char **cuts = NULL;
	size_t ncuts = 0, failures = 0;
	int year, rc = -1;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	if (store_data_range(pool, timeout_ms, council, from, to, st) != 0)
		return -1;
	year = quality_collection_year(to);
	if (year == 0)   /* no records: nothing fails */
		return store_quality_replace(pool, timeout_ms, council, 0, NULL, 0, st);
	if (store_child_boundaries(pool, timeout_ms, council, CHILDREN_AT_A_TIME, &cuts, &ncuts,
				   st) != 0)
		return -1;
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	for (size_t run = 0; run <= ncuts; run++)
		if (validate_children(pool, timeout_ms, council, run > 0 ? cuts[run - 1] : NULL,
				      run < ncuts ? cuts[run] : NULL, year, t, &failures, st) != 0)
			goto cleanup;
	for (size_t k = 0; k < t->n; k++) {
		rows[k].indicator_id = t->ids[k];
		rows[k].failing_records = t->counts[k];
		rows[k].rules = t->rules[k];
		rows[k].collection_year = year;
	}
	rc = store_quality_replace(pool, timeout_ms, council, year, rows, t->n, st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0)
		log_info("quality: council %s: %zu records, %zu failures of the DfE's rules for %d, "
			 "deciding %zu indicators, %lld ms", council, t->records, failures, year,
			 t->n, (long long)((t1.tv_sec - t0.tv_sec) * 1000
					   + (t1.tv_nsec - t0.tv_nsec) / 1000000));
cleanup:
	for (size_t i = 0; i < ncuts; i++)
		free(cuts[i]);
	free(cuts);
	free(t);
	return rc;
}
