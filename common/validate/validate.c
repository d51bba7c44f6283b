/*
 * common/validate/validate.c: the set of records, grouping by child, and the
 * run of the rules (rules_ssda903.c, rules_cin.c) over each child.
 */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "rules.h"
#include "schema.h"

/* Values are copied into blocks of this size (a longer value gets its own). */
#define BLOCK_SIZE (1u << 20)

typedef struct block {
	struct block *next;
	size_t used, size;
	char data[];
} block;

struct validate_set {
	block *blocks;
	validate_record *recs;
	uint32_t *child_of;      /* per record: its child's number */
	size_t nrecs, caprecs;
	char **files;
	uint32_t nfiles, capfiles;
	const char *last_file;   /* the pointer last given for a file name, */
	uint32_t last_index;     /* and its index: readers pass one per file */
	/* The children: ids (in the arena), numbered as first seen, and an
	 * open-addressing hash of them (slots hold number + 1, 0 for empty). */
	const char **children;
	uint32_t nchildren, capchildren;
	uint32_t *slots;
	size_t nslots;
};

struct validate_out {
	const validate_rule *rule;
	const validate_child *child;
	const validate_set *set;
	validate_failure_cb cb;
	void *ctx;
	int stop;      /* the callback's non-zero value */
};

static void *arena_alloc(validate_set *set, size_t size)
{
	size = (size + 7u) & ~(size_t)7u;
	block *b = set->blocks;
	if (b == NULL || b->size - b->used < size) {
		size_t want = size > BLOCK_SIZE ? size : BLOCK_SIZE;
		block *nb = malloc(sizeof(*nb) + want);
		if (nb == NULL)
			return NULL;
		nb->size = want;
		nb->used = 0;
		nb->next = set->blocks;
		set->blocks = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

validate_set *validate_set_new(void)
{
	return calloc(1, sizeof(validate_set));
}

void validate_set_free(validate_set *set)
{
	if (set == NULL)
		return;
	for (block *b = set->blocks; b != NULL;) {
		block *next = b->next;
		free(b);
		b = next;
	}
	for (uint32_t i = 0; i < set->nfiles; i++)
		free(set->files[i]);
	free(set->files);
	free(set->recs);
	free(set->child_of);
	free(set->children);
	free(set->slots);
	free(set);
}

size_t validate_set_size(const validate_set *set)
{
	return set->nrecs;
}

/* The record types some rule reads. */
static bool type_is_read(csperf_record_type type)
{
	switch (type) {
	case CSPERF_RECORD_CHILD: case CSPERF_RECORD_REFERRAL:
	case CSPERF_RECORD_ASSESSMENT: case CSPERF_RECORD_CIN_PLAN:
	case CSPERF_RECORD_S47: case CSPERF_RECORD_CP_PLAN:
	case CSPERF_RECORD_CP_REVIEW: case CSPERF_RECORD_LA_EPISODE:
	case CSPERF_RECORD_LA_REVIEW: case CSPERF_RECORD_HEALTH:
	case CSPERF_RECORD_MISSING: case CSPERF_RECORD_CARE_LEAVER:
	case CSPERF_RECORD_ADOPTION: case CSPERF_RECORD_PLACED_FOR_ADOPTION:
	case CSPERF_RECORD_PREVIOUS_PERMANENCE: case CSPERF_RECORD_UASC:
		return true;
	default:
		return false;
	}
}

static int file_index(validate_set *set, const char *file, uint32_t *out)
{
	if (file == NULL)
		file = "";
	if (file == set->last_file && set->nfiles > 0) {
		*out = set->last_index;
		return 0;
	}
	set->last_file = file;
	/* Records come file by file: the last file is the likely one. */
	for (uint32_t i = set->nfiles; i-- > 0;)
		if (strcmp(set->files[i], file) == 0) {
			*out = set->last_index = i;
			return 0;
		}
	if (set->nfiles == set->capfiles) {
		uint32_t cap = set->capfiles ? set->capfiles * 2 : 8;
		char **files = realloc(set->files, cap * sizeof(*files));
		if (files == NULL)
			return -1;
		set->files = files;
		set->capfiles = cap;
	}
	char *copy = strdup(file);
	if (copy == NULL)
		return -1;
	set->files[set->nfiles] = copy;
	*out = set->last_index = set->nfiles++;
	return 0;
}

static uint64_t hash_id(const char *id)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h;
}

/* Grows the hash to twice the children it must hold, at least. */
static int rehash(validate_set *set)
{
	size_t nslots = set->nslots ? set->nslots * 2 : 1024;
	uint32_t *slots = calloc(nslots, sizeof(*slots));
	if (slots == NULL)
		return -1;
	for (uint32_t c = 0; c < set->nchildren; c++) {
		size_t i = hash_id(set->children[c]) & (nslots - 1);
		while (slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = c + 1;
	}
	free(set->slots);
	set->slots = slots;
	set->nslots = nslots;
	return 0;
}

/* The number of the child with id `id` (a value already in the arena),
 * numbering it if it is new; -1 out of memory. */
static int64_t child_number(validate_set *set, const char *id)
{
	if ((size_t)set->nchildren * 2 >= set->nslots && rehash(set) != 0)
		return -1;
	size_t i = hash_id(id) & (set->nslots - 1);
	while (set->slots[i] != 0) {
		uint32_t c = set->slots[i] - 1;
		if (strcmp(set->children[c], id) == 0)
			return c;
		i = (i + 1) & (set->nslots - 1);
	}
	if (set->nchildren == set->capchildren) {
		uint32_t cap = set->capchildren ? set->capchildren * 2 : 1024;
		const char **children = realloc(set->children, cap * sizeof(*children));
		if (children == NULL)
			return -1;
		set->children = children;
		set->capchildren = cap;
	}
	set->children[set->nchildren] = id;
	set->slots[i] = set->nchildren + 1;
	return set->nchildren++;
}

int validate_set_add(validate_set *set, csperf_record_type type,
	const char *const *values, size_t nvalues, const char *file,
	unsigned long line)
{
	const csperf_record_schema *schema = csperf_schema_by_type(type);
	if (schema == NULL || nvalues != schema->nfields || values == NULL)
		return -1;
	if (!type_is_read(type) || values[0] == NULL || values[0][0] == '\0')
		return 0;
	if (set->nrecs == set->caprecs) {
		size_t cap = set->caprecs ? set->caprecs * 2 : 1024;
		validate_record *recs = realloc(set->recs, cap * sizeof(*recs));
		if (recs == NULL)
			return -1;
		set->recs = recs;
		uint32_t *child_of = realloc(set->child_of, cap * sizeof(*child_of));
		if (child_of == NULL)
			return -1;
		set->child_of = child_of;
		set->caprecs = cap;
	}
	validate_record *r = &set->recs[set->nrecs];
	if (file_index(set, file, &r->file) != 0)
		return -1;
	size_t total = 0;
	for (size_t i = 0; i < nvalues; i++)
		total += (values[i] ? strlen(values[i]) : 0) + 1;
	int32_t *days = arena_alloc(set, nvalues * sizeof(*days));
	const char **vals = arena_alloc(set, nvalues * sizeof(*vals) + total);
	if (vals == NULL || days == NULL)
		return -1;
	for (size_t i = 0; i < nvalues; i++) {
		csperf_field_kind kind = schema->fields[i].kind;
		days[i] = INT32_MIN;
		if ((kind == CSPERF_FIELD_DATE || kind == CSPERF_FIELD_PARTIAL_DATE)
		    && values[i] != NULL && csperf_date_parse_iso(values[i], &days[i]) != 0)
			days[i] = INT32_MIN;
	}
	char *p = (char *)(vals + nvalues);
	for (size_t i = 0; i < nvalues; i++) {
		size_t len = values[i] ? strlen(values[i]) : 0;
		if (len)
			memcpy(p, values[i], len);
		p[len] = '\0';
		vals[i] = p;
		p += len + 1;
	}
	r->type = type;
	r->line = line;
	r->index = set->nrecs;
	r->values = vals;
	r->days = days;
	int64_t child = child_number(set, vals[0]);
	if (child < 0)
		return -1;
	set->child_of[set->nrecs] = (uint32_t)child;
	set->nrecs++;
	return 0;
}

const char *validate_return_name(validate_return source)
{
	switch (source) {
	case VALIDATE_SSDA903: return "ssda903";
	case VALIDATE_CIN: return "cin";
	}
	return NULL;
}

bool validate_rule_applies(const validate_rule *rule, int year)
{
	return (rule->year_from == 0 || year >= rule->year_from)
		&& (rule->year_to == 0 || year <= rule->year_to);
}

const validate_rule *validate_rule_by_code(const char *code)
{
	size_t n;
	const validate_rule *rules = validate_rules(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rules[i].code, code) == 0)
			return &rules[i];
	return NULL;
}

void validate_emit(validate_out *out, const validate_record *record)
{
	if (out->stop)
		return;
	validate_failure f = {
		.rule = out->rule,
		.child_id = out->child->child_id,
		.record = record,
		.file = out->set->files[record->file],
	};
	out->stop = out->cb(&f, out->ctx);
}

/* Children by id. qsort takes no context: the ids are passed in a
 * thread-local. */
static _Thread_local const char *const *sorting_ids;

static int by_child_id(const void *a, const void *b)
{
	return strcmp(sorting_ids[*(const uint32_t *)a], sorting_ids[*(const uint32_t *)b]);
}

/* A child's records by type, stable (insertion sort: a child has few). */
static void sort_by_type(const validate_record **recs, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const validate_record *r = recs[i];
		size_t j = i;
		while (j > 0 && recs[j - 1]->type > r->type) {
			recs[j] = recs[j - 1];
			j--;
		}
		recs[j] = r;
	}
}

/* Within a child: the date field a type is sorted by, or -1 to keep the
 * order added. */
static int sort_field(csperf_record_type type)
{
	switch (type) {
	case CSPERF_RECORD_LA_EPISODE: return EP_START;
	case CSPERF_RECORD_REFERRAL: return RF_DATE;
	case CSPERF_RECORD_MISSING: return MS_START;
	default: return -1;
	}
}

/* Whether x sorts after y: by the date of `field`, then the order added. */
static bool after(const validate_record *x, const validate_record *y, int field)
{
	int32_t dx = date_of(x, field), dy = date_of(y, field);
	if (dx != dy)
		return dx > dy;
	return x->index > y->index;
}

/* Insertion sort: a child has few records of a type. No global state, so
 * that csperfd's workers can validate at once. */
static void sort_by_date(const validate_record **recs, size_t n, int field)
{
	for (size_t i = 1; i < n; i++) {
		const validate_record *r = recs[i];
		size_t j = i;
		while (j > 0 && after(recs[j - 1], r, field)) {
			recs[j] = recs[j - 1];
			j--;
		}
		recs[j] = r;
	}
}

/* Whether a rule can fire on a child: it reports records of its type only
 * (unit_validate checks it), so a child with none cannot fail it. */
static bool may_fire(const validate_rule *rule, const validate_child *child)
{
	return child->n[rule->type] > 0;
}

int validate_run(validate_set *set, validate_return source, int year,
	const char *only, validate_failure_cb cb, void *ctx)
{
	int32_t end;
	if (csperf_date_from_ymd(year, 3, 31, &end) != 0)
		return -1;
	return validate_run_period(set, source, year, end, only, cb, ctx);
}

static int run(validate_set *set, validate_return source, int year, int32_t period_end,
	bool across_returns, const char *only, validate_failure_cb cb, void *ctx);

int validate_run_period(validate_set *set, validate_return source, int year,
	int32_t period_end, const char *only, validate_failure_cb cb, void *ctx)
{
	return run(set, source, year, period_end, false, only, cb, ctx);
}

int validate_run_stored(validate_set *set, validate_return source, int year,
	const char *only, validate_failure_cb cb, void *ctx)
{
	int32_t end;
	if (csperf_date_from_ymd(year, 3, 31, &end) != 0)
		return -1;
	return run(set, source, year, end, true, only, cb, ctx);
}

static int run(validate_set *set, validate_return source, int year, int32_t period_end,
	bool across_returns, const char *only, validate_failure_cb cb, void *ctx)
{
	size_t nrules;
	const validate_rule *rules = validate_rules(&nrules);
	const validate_rule **applying = malloc((nrules ? nrules : 1) * sizeof(*applying));
	const validate_record **order = malloc((set->nrecs ? set->nrecs : 1) * sizeof(*order));
	uint32_t *rank = malloc((set->nchildren ? set->nchildren : 1) * sizeof(*rank));
	uint32_t *by_id = malloc((set->nchildren ? set->nchildren : 1) * sizeof(*by_id));
	size_t *start = calloc((size_t)set->nchildren + 1, sizeof(*start));
	size_t napplying = 0;
	if (applying == NULL || order == NULL || rank == NULL || by_id == NULL || start == NULL) {
		free(applying), free(order), free(rank), free(by_id), free(start);
		return -1;
	}
	/* The rules that apply, once. */
	for (size_t r = 0; r < nrules; r++)
		if ((source == 0 || rules[r].source == source)
		    && validate_rule_applies(&rules[r], year)
		    && (only == NULL || strcmp(only, rules[r].code) == 0))
			applying[napplying++] = &rules[r];
	/* Children in id order: a sort of the children, not of the records. */
	sorting_ids = set->children;
	for (uint32_t c = 0; c < set->nchildren; c++)
		by_id[c] = c;
	qsort(by_id, set->nchildren, sizeof(*by_id), by_child_id);
	for (uint32_t k = 0; k < set->nchildren; k++)
		rank[by_id[k]] = k;
	/* Records by child rank (a counting sort: O(records)), each child's in
	 * the order added; then by type within a child. */
	for (size_t i = 0; i < set->nrecs; i++)
		start[rank[set->child_of[i]] + 1]++;
	for (uint32_t k = 0; k < set->nchildren; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < set->nrecs; i++)
		order[start[rank[set->child_of[i]]]++] = &set->recs[i];

	validate_child child;
	memset(&child, 0, sizeof(child));
	child.year = year;
	child.year_end = period_end;
	child.across_returns = across_returns;
	child.year_start = date_add_years(period_end, -1) + 1;
	validate_out out = { .child = &child, .set = set, .cb = cb, .ctx = ctx };

	for (size_t i = 0; i < set->nrecs && !out.stop;) {
		/* start[k] now ends child k's records */
		size_t end = start[rank[set->child_of[order[i]->index]]];
		sort_by_type(&order[i], end - i);
		memset(child.recs, 0, sizeof(child.recs));
		memset(child.n, 0, sizeof(child.n));
		child.child_id = order[i]->values[0];
		for (size_t k = i; k < end;) {
			csperf_record_type t = order[k]->type;
			size_t e = k;
			while (e < end && order[e]->type == t)
				e++;
			child.recs[t] = &order[k];
			child.n[t] = e - k;
			int field = sort_field(t);
			if (field >= 0)
				sort_by_date(&order[k], e - k, field);
			k = e;
		}
		for (size_t r = 0; r < napplying && !out.stop; r++) {
			if (!may_fire(applying[r], &child))
				continue;
			out.rule = applying[r];
			applying[r]->check(&child, &out);
		}
		i = end;
	}
	free(applying), free(order), free(rank), free(by_id), free(start);
	return out.stop;
}

/* Helpers of rules.h. */

bool val_in(const validate_record *r, int field, const char *const *list)
{
	const char *v = r->values[field];
	for (; *list != NULL; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}


int32_t date_add_years(int32_t day, int years)
{
	int y, m, d;
	int32_t out;
	csperf_date_to_ymd(day, &y, &m, &d);
	if (csperf_date_from_ymd(y + years, m, d, &out) != 0)
		csperf_date_from_ymd(y + years, m, d - 1, &out);
	return out;
}

void after_period(const validate_child *c, validate_out *out, csperf_record_type type,
	int field, bool missing_fails)
{
	FOR_EACH(c, type, r) {
		int32_t d = date_of(r, field);
		if (d == NO_DATE ? missing_fails : d > c->year_end)
			validate_emit(out, r);
	}
}

int32_t child_dob(const validate_child *c)
{
	for (size_t i = 0; i < c->n[CSPERF_RECORD_CHILD]; i++) {
		int32_t d = date_of(c->recs[CSPERF_RECORD_CHILD][i], CH_DOB);
		if (d != NO_DATE)
			return d;
	}
	return NO_DATE;
}

int age_on(const validate_child *c, int32_t day)
{
	int32_t dob = child_dob(c);
	if (dob == NO_DATE || day == NO_DATE)
		return -1;
	int y1, m1, d1, y2, m2, d2;
	csperf_date_to_ymd(dob, &y1, &m1, &d1);
	csperf_date_to_ymd(day, &y2, &m2, &d2);
	int age = y2 - y1;
	if (m2 < m1 || (m2 == m1 && d2 < d1))
		age--;
	return age;
}
