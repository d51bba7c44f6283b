/*
 * tests/unit/test_gen.c: csperf-gen (client/gen/). Runs the generator, reads
 * every file it wrote back with the formats readers, and checks that every
 * record is valid, that the manifest counts what the files hold, that keys
 * are unique within a file and consistent across returns, that the same
 * seed gives the same bytes, that the rates look like a real council's, and
 * that bad arguments are refused in one sentence.
 */
#define _XOPEN_SOURCE 700

#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "formats.h"
#include "gen_calendar.h"
#include "schema.h"

extern char **environ;

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))
#define MAX_VALUES 16
/* Paths grow as they go down: the test's directory, a run's, a file's. */
#define ROOT_SIZE 400
#define RUN_SIZE 480
#define PATH_SIZE 1024

/* ---- Running the generator ---- */

/* Runs csperf-gen with `args` (NULL-terminated), its output and errors
 * going to files in `dir`. Returns its exit status, or -1. */
static int run_generator(const char *dir, const char *const *args)
{
	char out_path[PATH_SIZE], err_path[PATH_SIZE];
	char *argv[32];
	posix_spawn_file_actions_t actions;
	size_t count = 0;
	pid_t pid;
	int status = -1, wait_status;

	snprintf(out_path, sizeof(out_path), "%s/stdout.txt", dir);
	snprintf(err_path, sizeof(err_path), "%s/stderr.txt", dir);
	argv[count++] = (char *)CSPERF_GEN_BINARY;
	for (; args[count - 1] != NULL && count < COUNT_OF(argv) - 1; count++)
		argv[count] = (char *)args[count - 1];
	argv[count] = NULL;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 1, out_path,
		O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&actions, 2, err_path,
		O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (posix_spawn(&pid, CSPERF_GEN_BINARY, &actions, NULL, argv,
		    environ) == 0 &&
	    waitpid(pid, &wait_status, 0) == pid && WIFEXITED(wait_status))
		status = WEXITSTATUS(wait_status);
	posix_spawn_file_actions_destroy(&actions);
	return status;
}

/* The whole of a small file, NUL-terminated; the caller frees it. */
static char *read_whole_file(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	char *text = NULL;
	long length;

	if (file == NULL)
		return NULL;
	if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) >= 0 &&
	    fseek(file, 0, SEEK_SET) == 0) {
		text = malloc((size_t)length + 1);
		if (text != NULL && fread(text, 1, (size_t)length, file) == (size_t)length) {
			text[length] = '\0';
			if (size != NULL)
				*size = (size_t)length;
		} else {
			free(text);
			text = NULL;
		}
	}
	fclose(file);
	return text;
}

static int remove_entry(const char *path, const struct stat *status, int flag,
	struct FTW *walk)
{
	(void)status;
	(void)flag;
	(void)walk;
	return remove(path);
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- Reading everything back ---- */

typedef struct stored_record {
	csperf_record_type type;
	size_t file;                /* index in the manifest's files */
	size_t nvalues;
	char *text;                 /* the values, one after the other */
	const char *values[MAX_VALUES];
	char key[160];
} stored_record;

typedef struct record_list {
	stored_record *items;
	size_t count, capacity;
} record_list;

typedef struct dataset {
	char dir[RUN_SIZE];
	json_t *manifest;
	size_t nfiles;
	record_list types[CSPERF_RECORD_TYPE_LAST + 1];
	/* Per file: records read per type, and keys seen more than once. */
	uint64_t (*file_counts)[CSPERF_RECORD_TYPE_LAST + 1];
	size_t duplicate_keys;
	char first_duplicate[200];
	size_t rejections;
	char first_rejection[700];
} dataset;

/* The fields that identify a record across files, as csperfd's record
 * tables have them (server/store/record_tables.c). */
static const char *const *key_fields(csperf_record_type type)
{
	static const char *const child_id[] = { "child_id", NULL };
	static const char *const contact[] = { "child_id", "contact_date", NULL };
	static const char *const start[] = { "child_id", "start_date", NULL };
	static const char *const referral[] = { "child_id", "referral_date", NULL };
	static const char *const review[] = { "child_id", "review_date", NULL };
	static const char *const visit[] = { "child_id", "visit_date", NULL };
	static const char *const as_at[] = { "child_id", "as_at_date", NULL };
	static const char *const decision[] = { "child_id", "decision_date", NULL };
	static const char *const budget[] = { "financial_year", "placement_category", NULL };
	static const char *const figure[] = { "indicator_id", "org_unit",
		"period_start", "period_end", NULL };
	static const char *const population[] = { "year", NULL };

	switch (type) {
	case CSPERF_RECORD_CHILD:
	case CSPERF_RECORD_ADOPTION:
	case CSPERF_RECORD_PREVIOUS_PERMANENCE:
	case CSPERF_RECORD_UASC:
		return child_id;
	case CSPERF_RECORD_CONTACT:
		return contact;
	case CSPERF_RECORD_REFERRAL:
		return referral;
	case CSPERF_RECORD_CP_REVIEW:
	case CSPERF_RECORD_LA_REVIEW:
		return review;
	case CSPERF_RECORD_CP_VISIT:
	case CSPERF_RECORD_LA_VISIT:
		return visit;
	case CSPERF_RECORD_HEALTH:
	case CSPERF_RECORD_CARE_LEAVER:
		return as_at;
	case CSPERF_RECORD_PLACED_FOR_ADOPTION:
		return decision;
	case CSPERF_RECORD_BUDGET:
		return budget;
	case CSPERF_RECORD_REPORTED_FIGURE:
		return figure;
	case CSPERF_RECORD_POPULATION:
		return population;
	default:
		return start;
	}
}

static const char *value_of(const stored_record *record, const char *field)
{
	int index = csperf_schema_field_index(csperf_schema_by_type(record->type),
		field);

	return index >= 0 ? record->values[index] : NULL;
}

typedef struct reading {
	dataset *data;
	size_t file;
} reading;

static int keep_record(const formats_record *rec, void *opaque)
{
	reading *context = opaque;
	dataset *data = context->data;
	record_list *list = &data->types[rec->type];
	stored_record *record;
	formats_error rejection;
	size_t length = 0, offset = 0;
	const char *const *keys;

	if (formats_record_validate(rec, &rejection) != FORMATS_OK) {
		if (data->rejections++ == 0)
			snprintf(data->first_rejection, sizeof(data->first_rejection),
				"%s line %lu: %s", rejection.file, rejection.line,
				rejection.message);
	}
	if (list->count == list->capacity) {
		size_t capacity = list->capacity > 0 ? list->capacity * 2 : 256;
		stored_record *items = realloc(list->items, capacity * sizeof(*items));

		assert_non_null(items);
		list->items = items;
		list->capacity = capacity;
	}
	record = &list->items[list->count++];
	memset(record, 0, sizeof(*record));
	record->type = rec->type;
	record->file = context->file;
	record->nvalues = rec->nvalues;
	assert_true(rec->nvalues <= MAX_VALUES);
	for (size_t i = 0; i < rec->nvalues; i++)
		length += strlen(rec->values[i]) + 1;
	record->text = malloc(length);
	assert_non_null(record->text);
	for (size_t i = 0; i < rec->nvalues; i++) {
		size_t size = strlen(rec->values[i]) + 1;

		memcpy(record->text + offset, rec->values[i], size);
		record->values[i] = record->text + offset;
		offset += size;
	}
	keys = key_fields(rec->type);
	for (size_t k = 0; keys[k] != NULL; k++) {
		size_t used = strlen(record->key);

		snprintf(record->key + used, sizeof(record->key) - used, "%s|",
			value_of(record, keys[k]));
	}
	data->file_counts[context->file][rec->type]++;
	return 0;
}

static int compare_keys(const void *left, const void *right)
{
	const stored_record *a = *(const stored_record *const *)left;
	const stored_record *b = *(const stored_record *const *)right;
	int order = strcmp(a->key, b->key);

	if (order != 0)
		return order;
	return a->file < b->file ? -1 : a->file > b->file ? 1 : 0;
}

/* The records of `type` sorted by key, then by file (so the latest version
 * of a record comes last). *count is set; the caller frees the array. */
static stored_record **sorted_records(const dataset *data,
	csperf_record_type type, size_t *count)
{
	const record_list *list = &data->types[type];
	stored_record **sorted = calloc(list->count + 1, sizeof(*sorted));

	assert_non_null(sorted);
	for (size_t i = 0; i < list->count; i++)
		sorted[i] = &list->items[i];
	qsort(sorted, list->count, sizeof(*sorted), compare_keys);
	*count = list->count;
	return sorted;
}

/* The current records of `type`: the latest version of each key. */
static stored_record **current_records(const dataset *data,
	csperf_record_type type, size_t *count)
{
	size_t all, kept = 0;
	stored_record **sorted = sorted_records(data, type, &all);

	for (size_t i = 0; i < all; i++) {
		if (i + 1 < all && strcmp(sorted[i]->key, sorted[i + 1]->key) == 0)
			continue;
		sorted[kept++] = sorted[i];
	}
	*count = kept;
	return sorted;
}

static void check_duplicates_in_files(dataset *data)
{
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		size_t count;
		stored_record **sorted = sorted_records(data, (csperf_record_type)type,
			&count);

		for (size_t i = 1; i < count; i++) {
			if (strcmp(sorted[i]->key, sorted[i - 1]->key) != 0 ||
			    sorted[i]->file != sorted[i - 1]->file)
				continue;
			if (data->duplicate_keys++ == 0)
				snprintf(data->first_duplicate,
					sizeof(data->first_duplicate), "%s %s",
					csperf_record_type_name((csperf_record_type)type),
					sorted[i]->key);
		}
		free(sorted);
	}
}

static void load_dataset(dataset *data, const char *dir)
{
	char path[PATH_SIZE];
	json_error_t json_error;
	json_t *files;

	memset(data, 0, sizeof(*data));
	snprintf(data->dir, sizeof(data->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	data->manifest = json_load_file(path, 0, &json_error);
	assert_non_null(data->manifest);
	files = json_object_get(data->manifest, "files");
	assert_true(json_is_array(files));
	data->nfiles = json_array_size(files);
	data->file_counts = calloc(data->nfiles, sizeof(*data->file_counts));
	assert_non_null(data->file_counts);

	for (size_t i = 0; i < data->nfiles; i++) {
		json_t *entry = json_array_get(files, i);
		const char *relative = json_string_value(json_object_get(entry, "path"));
		const char *format = json_string_value(json_object_get(entry, "format"));
		reading context = { .data = data, .file = i };
		formats_error err;
		int status;

		assert_non_null(relative);
		assert_non_null(format);
		snprintf(path, sizeof(path), "%s/%s", dir, relative);
		if (strcmp(format, "ssda903") == 0) {
			formats_ssda903_options opts = FORMATS_SSDA903_OPTIONS_INIT;

			opts.collection_year = (int)json_integer_value(
				json_object_get(entry, "collection_year"));
			status = formats_read_ssda903(path, &opts, keep_record, &context,
				&err);
		} else if (strcmp(format, "cin-xml") == 0) {
			status = formats_read_cin_xml(path, keep_record, &context, &err);
		} else {
			const char *type_name = json_object_iter_key(json_object_iter(
				json_object_get(entry, "records")));

			assert_string_equal(format, "csv");
			status = formats_read_csperf_csv(path,
				(csperf_record_type)csperf_record_type_from_name(type_name),
				keep_record, &context, &err);
		}
		if (status != FORMATS_OK)
			fail_msg("%s: %s", path, err.message);
	}
	check_duplicates_in_files(data);
}

static void free_dataset(dataset *data)
{
	for (int type = 0; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		for (size_t i = 0; i < data->types[type].count; i++)
			free(data->types[type].items[i].text);
		free(data->types[type].items);
	}
	free(data->file_counts);
	json_decref(data->manifest);
	memset(data, 0, sizeof(*data));
}

/* ---- The runs the tests share ---- */

typedef struct runs {
	char root[ROOT_SIZE];
	char first[RUN_SIZE];       /* 300 children, 3 years, seed 7 */
	char again[RUN_SIZE];       /* the same arguments */
	char other_seed[RUN_SIZE];  /* seed 8 */
	char large[RUN_SIZE];       /* 5,000 children, for the rates */
	dataset first_data;
	dataset large_data;
} runs;

static int generate_into(const char *root, const char *dir,
	const char *children, const char *seed)
{
	const char *args[] = {
		"--council", "201", "--children", children, "--years", "3",
		"--seed", seed, "--end-year", "2024", "--out", dir, NULL,
	};

	return run_generator(root, args);
}

static int setup_runs(void **state)
{
	runs *shared = calloc(1, sizeof(*shared));

	if (shared == NULL)
		return -1;
	snprintf(shared->root, sizeof(shared->root), "%s/gen-XXXXXX",
		CSPERF_TEST_OUTPUT);
	if (mkdtemp(shared->root) == NULL) {
		free(shared);
		return -1;
	}
	snprintf(shared->first, sizeof(shared->first), "%s/first", shared->root);
	snprintf(shared->again, sizeof(shared->again), "%s/again", shared->root);
	snprintf(shared->other_seed, sizeof(shared->other_seed), "%s/other",
		shared->root);
	snprintf(shared->large, sizeof(shared->large), "%s/large", shared->root);
	*state = shared;
	if (generate_into(shared->root, shared->first, "300", "7") != 0 ||
	    generate_into(shared->root, shared->again, "300", "7") != 0 ||
	    generate_into(shared->root, shared->other_seed, "300", "8") != 0 ||
	    generate_into(shared->root, shared->large, "5000", "1") != 0) {
		char err_path[PATH_SIZE];
		char *errors;

		snprintf(err_path, sizeof(err_path), "%s/stderr.txt", shared->root);
		errors = read_whole_file(err_path, NULL);
		fprintf(stderr, "csperf-gen failed: %s\n", errors != NULL ? errors : "");
		free(errors);
		return -1;
	}
	return 0;
}

static int teardown_runs(void **state)
{
	runs *shared = *state;

	if (shared == NULL)
		return 0;
	free_dataset(&shared->first_data);
	free_dataset(&shared->large_data);
	remove_tree(shared->root);
	free(shared);
	return 0;
}

static dataset *first_dataset(runs *shared)
{
	if (shared->first_data.manifest == NULL)
		load_dataset(&shared->first_data, shared->first);
	return &shared->first_data;
}

static dataset *large_dataset(runs *shared)
{
	if (shared->large_data.manifest == NULL)
		load_dataset(&shared->large_data, shared->large);
	return &shared->large_data;
}

/* The record of key `key` in `sorted` (by key), or NULL. */
static stored_record *find_record(stored_record **sorted, size_t count,
	const char *key)
{
	size_t low = 0, high = count;

	while (low < high) {
		size_t middle = (low + high) / 2;
		int order = strcmp(sorted[middle]->key, key);

		if (order == 0)
			return sorted[middle];
		if (order < 0)
			low = middle + 1;
		else
			high = middle;
	}
	return NULL;
}

static bool has_key(stored_record **sorted, size_t count, const char *key)
{
	return find_record(sorted, count, key) != NULL;
}

/* ---- Files and manifest ---- */

static void check_against_manifest(dataset *data)
{
	json_t *files = json_object_get(data->manifest, "files");
	json_t *totals = json_object_get(data->manifest, "totals");
	uint64_t written[CSPERF_RECORD_TYPE_LAST + 1] = { 0 };

	if (data->rejections > 0)
		fail_msg("%zu records rejected, the first: %s", data->rejections,
			data->first_rejection);
	if (data->duplicate_keys > 0)
		fail_msg("%zu keys repeated within a file, the first: %s",
			data->duplicate_keys, data->first_duplicate);

	for (size_t i = 0; i < data->nfiles; i++) {
		json_t *entry = json_array_get(files, i);
		json_t *records = json_object_get(entry, "records");
		const char *type_name;
		json_t *count;

		for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
			json_t *expected = json_object_get(records,
				csperf_record_type_name((csperf_record_type)type));

			if (expected == NULL)
				assert_int_equal(data->file_counts[i][type], 0);
			written[type] += data->file_counts[i][type];
		}
		json_object_foreach(records, type_name, count) {
			int type = csperf_record_type_from_name(type_name);

			assert_true(type > 0);
			if ((uint64_t)json_integer_value(count) != data->file_counts[i][type])
				fail_msg("%s: the manifest says %lld %s records, the file holds %llu",
					json_string_value(json_object_get(entry, "path")),
					(long long)json_integer_value(count), type_name,
					(unsigned long long)data->file_counts[i][type]);
		}
	}

	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const char *name = csperf_record_type_name((csperf_record_type)type);
		json_t *total = json_object_get(totals, name);
		size_t distinct;
		stored_record **current = current_records(data,
			(csperf_record_type)type, &distinct);

		free(current);
		if (total == NULL) {
			assert_int_equal(written[type], 0);
			continue;
		}
		assert_int_equal(json_integer_value(json_object_get(total, "written")),
			written[type]);
		if ((size_t)json_integer_value(json_object_get(total, "distinct")) !=
		    distinct)
			fail_msg("%s: the manifest says %lld distinct, the files hold %zu",
				name, (long long)json_integer_value(
					json_object_get(total, "distinct")), distinct);
	}
}

static void test_every_record_is_valid_and_in_the_manifest(void **state)
{
	dataset *data = first_dataset(*state);
	json_t *arguments = json_object_get(data->manifest, "arguments");
	json_t *totals = json_object_get(data->manifest, "totals");

	assert_int_equal(json_integer_value(json_object_get(arguments, "children")),
		300);
	assert_int_equal(json_integer_value(json_object_get(arguments, "seed")), 7);
	/* 3 years of 10 SSDA903 tables and a CIN census, and 9 CSV files. */
	assert_int_equal(data->nfiles, 3 * 11 + 9);
	check_against_manifest(data);
	assert_non_null(json_object_get(totals, "la_episode"));
	assert_non_null(json_object_get(totals, "cp_plan"));
}

static void test_the_large_run_is_valid_and_complete(void **state)
{
	dataset *data = large_dataset(*state);
	json_t *totals = json_object_get(data->manifest, "totals");

	check_against_manifest(data);
	/* Every kind of record there is, in a council this size. */
	for (int type = 1; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const char *name = csperf_record_type_name((csperf_record_type)type);

		if (json_object_get(totals, name) == NULL)
			fail_msg("no %s record was written", name);
	}
}

/* Every child id in any record has a child record, and there are as many
 * children as asked for. */
static void test_every_child_is_known(void **state)
{
	dataset *data = first_dataset(*state);
	size_t nchildren;
	stored_record **children = current_records(data, CSPERF_RECORD_CHILD,
		&nchildren);

	assert_int_equal(nchildren, 300);
	for (int type = 2; type <= CSPERF_RECORD_TYPE_LAST; type++) {
		const record_list *list = &data->types[type];

		for (size_t i = 0; i < list->count; i++) {
			const char *child_id = value_of(&list->items[i], "child_id");
			char key[64];
			bool found;

			if (child_id == NULL)
				continue;
			snprintf(key, sizeof(key), "%s|", child_id);
			found = has_key(children, nchildren, key);
			if (!found)
				fail_msg("%s %s has no child record",
					csperf_record_type_name((csperf_record_type)type), child_id);
		}
	}
	free(children);
}

static int collection_year_of(const dataset *data, size_t file)
{
	json_t *entry = json_array_get(json_object_get(data->manifest, "files"), file);

	return (int)json_integer_value(json_object_get(entry, "collection_year"));
}

/* An episode open at the end of a collection year appears in that return
 * without an end, and again in the next; episodes follow on from each
 * other. */
static void test_open_episodes_appear_in_the_next_return(void **state)
{
	dataset *data = first_dataset(*state);
	size_t count, carried = 0;
	stored_record **sorted = sorted_records(data, CSPERF_RECORD_LA_EPISODE,
		&count);

	for (size_t i = 0; i < count; i++) {
		const stored_record *episode = sorted[i];
		int year = collection_year_of(data, episode->file);
		bool open = value_of(episode, "end_date")[0] == '\0';
		bool in_next = i + 1 < count &&
			strcmp(sorted[i + 1]->key, episode->key) == 0 &&
			collection_year_of(data, sorted[i + 1]->file) == year + 1;

		if (!open || year == 2024)
			continue;
		if (!in_next)
			fail_msg("episode %s is open at the end of %d but not in the %d return",
				episode->key, year, year + 1);
		carried++;
	}
	assert_true(carried > 0);
	free(sorted);

	/* The latest versions: one per (child, DECOM), each episode but a
	 * child's last ending the day the next starts when its REC is X1. */
	sorted = current_records(data, CSPERF_RECORD_LA_EPISODE, &count);
	for (size_t i = 0; i + 1 < count; i++) {
		const stored_record *episode = sorted[i], *next = sorted[i + 1];

		if (strcmp(value_of(episode, "child_id"), value_of(next, "child_id")) != 0 ||
		    strcmp(value_of(episode, "end_reason"), "X1") != 0)
			continue;
		assert_string_equal(value_of(episode, "end_date"),
			value_of(next, "start_date"));
	}
	free(sorted);
}

/* What happens once, or belongs to one collection year (reviews, OC2, OC3,
 * AD1, contacts), is written once: only what stays open is carried from one
 * return to the next. */
static void test_yearly_records_are_in_one_return(void **state)
{
	dataset *data = first_dataset(*state);
	json_t *totals = json_object_get(data->manifest, "totals");
	static const csperf_record_type once[] = {
		CSPERF_RECORD_LA_REVIEW, CSPERF_RECORD_CP_REVIEW,
		CSPERF_RECORD_HEALTH, CSPERF_RECORD_CARE_LEAVER,
		CSPERF_RECORD_ADOPTION, CSPERF_RECORD_CONTACT,
	};

	for (size_t i = 0; i < COUNT_OF(once); i++) {
		json_t *total = json_object_get(totals, csperf_record_type_name(once[i]));

		assert_int_equal(json_integer_value(json_object_get(total, "written")),
			json_integer_value(json_object_get(total, "distinct")));
	}
}

/* ---- Determinism ---- */

static bool same_bytes(const char *left_path, const char *right_path)
{
	size_t left_size = 0, right_size = 0;
	char *left = read_whole_file(left_path, &left_size);
	char *right = read_whole_file(right_path, &right_size);
	bool same = left != NULL && right != NULL && left_size == right_size &&
		memcmp(left, right, left_size) == 0;

	free(left);
	free(right);
	return same;
}

static void test_the_same_seed_gives_the_same_bytes(void **state)
{
	runs *shared = *state;
	dataset *data = first_dataset(shared);
	json_t *files = json_object_get(data->manifest, "files");
	char left[PATH_SIZE], right[PATH_SIZE];
	size_t differing = 0;

	for (size_t i = 0; i < data->nfiles; i++) {
		const char *relative = json_string_value(json_object_get(
			json_array_get(files, i), "path"));

		snprintf(left, sizeof(left), "%s/%s", shared->first, relative);
		snprintf(right, sizeof(right), "%s/%s", shared->again, relative);
		if (!same_bytes(left, right))
			fail_msg("%s differs between two runs with the same seed",
				relative);
		snprintf(right, sizeof(right), "%s/%s", shared->other_seed, relative);
		if (!same_bytes(left, right))
			differing++;
	}
	snprintf(left, sizeof(left), "%s/manifest.json", shared->first);
	snprintf(right, sizeof(right), "%s/manifest.json", shared->again);
	assert_true(same_bytes(left, right));
	/* Another seed: another council, file after file. */
	assert_true(differing > data->nfiles / 2);
}

/* --nation wales: the same journeys and council records as England's (the
 * same arguments give the same files), and reported figures for the Welsh
 * measures the records cannot give; the manifest says wales. */
static void test_a_welsh_council(void **state)
{
	runs *shared = *state;
	dataset *data = first_dataset(shared);
	json_t *files = json_object_get(data->manifest, "files");
	char welsh[RUN_SIZE], left[PATH_SIZE], right[PATH_SIZE];
	const char *args[] = {
		"--council", "201", "--children", "300", "--years", "3", "--seed", "7",
		"--end-year", "2024", "--nation", "wales", "--out", welsh, NULL,
	};
	char *english_figures, *welsh_figures, *manifest;
	size_t length;

	snprintf(welsh, sizeof(welsh), "%s/welsh", shared->root);
	assert_int_equal(run_generator(shared->root, args), 0);
	for (size_t i = 0; i < data->nfiles; i++) {
		const char *relative = json_string_value(json_object_get(
			json_array_get(files, i), "path"));

		snprintf(left, sizeof(left), "%s/%s", shared->first, relative);
		snprintf(right, sizeof(right), "%s/%s", welsh, relative);
		if (strcmp(relative, "csv/reported_figure.csv") != 0 && !same_bytes(left, right))
			fail_msg("%s differs between an English and a Welsh council", relative);
	}
	snprintf(left, sizeof(left), "%s/csv/reported_figure.csv", shared->first);
	snprintf(right, sizeof(right), "%s/csv/reported_figure.csv", welsh);
	english_figures = read_whole_file(left, &length);
	welsh_figures = read_whole_file(right, &length);
	assert_non_null(english_figures);
	assert_non_null(welsh_figures);
	/* England's figures first, then Wales's. */
	assert_memory_equal(english_figures, welsh_figures, strlen(english_figures));
	assert_null(strstr(english_figures, "PM29A"));
	assert_non_null(strstr(welsh_figures, "\"PM25\",\"201\",\"2023-01-01\",\"2023-03-31\","));
	assert_non_null(strstr(welsh_figures, "\"PM29A\",\"201\",\"2023-04-01\",\"2024-03-31\","));
	assert_non_null(strstr(welsh_figures, "\"PM35\",\"201\",\"2021-04-01\",\"2022-03-31\","));
	snprintf(right, sizeof(right), "%s/manifest.json", welsh);
	manifest = read_whole_file(right, &length);
	assert_non_null(manifest);
	assert_non_null(strstr(manifest, "\"wales\""));
	free(manifest);
	free(english_figures);
	free(welsh_figures);
}

/* ---- Rates ---- */

static gen_day day_of(const char *iso)
{
	int year, month, day;

	assert_int_equal(sscanf(iso, "%d-%d-%d", &year, &month, &day), 3);
	return gen_day_of(year, month, day);
}

static double share(size_t part, size_t whole)
{
	return whole > 0 ? (double)part / (double)whole : 0.0;
}

static void assert_share(const char *what, size_t part, size_t whole,
	double low, double high)
{
	double value = share(part, whole);

	if (whole < 20 || value < low || value > high)
		fail_msg("%s: %zu of %zu (%.1f%%), expected %.0f%% to %.0f%%", what,
			part, whole, value * 100, low * 100, high * 100);
}

static void test_front_door_rates(void **state)
{
	dataset *data = large_dataset(*state);
	size_t ncontacts, nreferrals, converted = 0, decided = 0;
	size_t recent = 0, rereferred = 0;
	stored_record **contacts = current_records(data, CSPERF_RECORD_CONTACT,
		&ncontacts);
	stored_record **referrals = current_records(data, CSPERF_RECORD_REFERRAL,
		&nreferrals);
	gen_day last_two_years = day_of("2022-04-01");

	/* W: 42% of contacts led to a referral. */
	for (size_t i = 0; i < ncontacts; i++) {
		char key[160];
		const char *decision = value_of(contacts[i], "decision_date");

		if (decision[0] == '\0')
			continue;
		decided++;
		snprintf(key, sizeof(key), "%s|%s|",
			value_of(contacts[i], "child_id"), decision);
		if (has_key(referrals, nreferrals, key))
			converted++;
	}
	assert_share("contacts that led to a referral", converted, decided,
		0.30, 0.50);

	/* E: 21.5% of referrals within 12 months of the child's previous one
	 * (the first year lacks the history). */
	for (size_t i = 0; i < nreferrals; i++) {
		gen_day date = day_of(value_of(referrals[i], "referral_date"));

		if (date < last_two_years)
			continue;
		recent++;
		if (i > 0 && strcmp(value_of(referrals[i - 1], "child_id"),
			    value_of(referrals[i], "child_id")) == 0 &&
		    date - day_of(value_of(referrals[i - 1], "referral_date")) <= 365)
			rereferred++;
	}
	assert_share("re-referrals within 12 months", rereferred, recent,
		0.12, 0.30);
	free(contacts);
	free(referrals);
}

static void test_assessment_and_protection_rates(void **state)
{
	dataset *data = large_dataset(*state);
	gen_calendar *calendar = gen_calendar_new(1990, 2030);
	size_t count, authorised = 0, on_time = 0, conferences = 0;
	size_t conferences_on_time = 0, enquiries = 0, plans = 0, repeats = 0;
	size_t ended = 0, long_plans = 0;
	stored_record **records;

	assert_non_null(calendar);
	/* W: 90.2% of assessments within 45 working days. */
	records = current_records(data, CSPERF_RECORD_ASSESSMENT, &count);
	for (size_t i = 0; i < count; i++) {
		const char *done = value_of(records[i], "authorisation_date");

		if (done[0] == '\0')
			continue;
		authorised++;
		if (gen_calendar_working_days(calendar,
			    day_of(value_of(records[i], "start_date")),
			    day_of(done)) <= 45)
			on_time++;
	}
	free(records);
	assert_share("assessments within 45 working days", on_time, authorised,
		0.80, 0.95);

	/* W: ICPCs for 40% of s47s, 88.0% within 15 working days. */
	records = current_records(data, CSPERF_RECORD_S47, &count);
	for (size_t i = 0; i < count; i++) {
		const char *icpc = value_of(records[i], "icpc_date");

		if (value_of(records[i], "icpc_not_required")[0] == '\0' &&
		    icpc[0] == '\0')
			continue;
		enquiries++;
		if (icpc[0] == '\0')
			continue;
		conferences++;
		assert_true(day_of(icpc) >= day_of(value_of(records[i], "referral_date")));
		if (gen_calendar_working_days(calendar,
			    day_of(value_of(records[i], "start_date")),
			    day_of(icpc)) <= 15)
			conferences_on_time++;
	}
	free(records);
	assert_share("s47 enquiries that led to an ICPC", conferences, enquiries,
		0.25, 0.50);
	assert_share("ICPCs within 15 working days", conferences_on_time,
		conferences, 0.75, 0.95);

	/* W: 24.5% of plans second or later, 2.2% of ended ones 2 years. */
	records = current_records(data, CSPERF_RECORD_CP_PLAN, &count);
	for (size_t i = 0; i < count; i++) {
		const char *end = value_of(records[i], "end_date");
		gen_day start = day_of(value_of(records[i], "start_date"));

		if (start >= day_of("2021-04-01")) {
			plans++;
			if (strcmp(value_of(records[i], "previous_plans"), "0") != 0)
				repeats++;
		}
		if (end[0] != '\0' && day_of(end) >= day_of("2021-04-01")) {
			ended++;
			if (day_of(end) >= gen_add_months(start, 24))
				long_plans++;
		}
	}
	free(records);
	assert_share("second or later CP plans", repeats, plans, 0.10, 0.30);
	assert_share("CP plans ended after 2 years or more", long_plans, ended,
		0.002, 0.06);
	gen_calendar_free(calendar);
}

static long population_in(dataset *data, int year)
{
	size_t count;
	long estimate = 0;
	stored_record **records = current_records(data, CSPERF_RECORD_POPULATION,
		&count);

	for (size_t i = 0; i < count; i++) {
		if (atoi(value_of(records[i], "year")) == year)
			estimate = atol(value_of(records[i], "under_18_estimate"));
	}
	free(records);
	return estimate;
}

static void test_looked_after_rates(void **state)
{
	dataset *data = large_dataset(*state);
	size_t count, looked_after = 0, unstable = 0, open_plans = 0;
	size_t at_last_year_end = 0;
	size_t leavers = 0, in_education = 0, costs = 0, costed_episodes = 0;
	long population = population_in(data, 2023);
	stored_record **episodes = current_records(data, CSPERF_RECORD_LA_EPISODE,
		&count);
	stored_record **records;
	size_t nrecords;

	/* At each 31 March: looked after, and how many placements in the year
	 * to it (W 636, N 70.6 per 10,000; E 10% with 3 or more). */
	for (int year = 2022; year <= 2024; year++) {
		gen_day year_end = gen_year_end(year), year_start = gen_year_start(year);

		for (size_t i = 0; i < count; ) {
			size_t first = i, placements = 0;
			bool open_at_end = false;

			while (i < count && strcmp(value_of(episodes[i], "child_id"),
				    value_of(episodes[first], "child_id")) == 0) {
				const char *end = value_of(episodes[i], "end_date");
				const char *reason = value_of(episodes[i], "new_episode_reason");
				gen_day start = day_of(value_of(episodes[i], "start_date"));
				bool ends_after = end[0] == '\0' || day_of(end) > year_end;

				if (start <= year_end && ends_after)
					open_at_end = true;
				if (start <= year_end &&
				    (end[0] == '\0' || day_of(end) >= year_start) &&
				    (start < year_start || strchr("SPTB", reason[0]) != NULL))
					placements++;
				i++;
			}
			if (!open_at_end)
				continue;
			looked_after++;
			at_last_year_end += year == 2024 ? 1 : 0;
			if (placements >= 3)
				unstable++;
		}
	}
	assert_true(population > 0);
	if (at_last_year_end * 10000.0 / population < 40 ||
	    at_last_year_end * 10000.0 / population > 120)
		fail_msg("%zu looked after of %ld under-18s", at_last_year_end,
			population);
	assert_share("looked after with 3 or more placements in the year",
		unstable, looked_after, 0.03, 0.20);

	records = current_records(data, CSPERF_RECORD_CP_PLAN, &nrecords);
	for (size_t i = 0; i < nrecords; i++)
		open_plans += value_of(records[i], "end_date")[0] == '\0' ? 1 : 0;
	free(records);
	/* N 39 per 10,000, England 45.3. */
	if (open_plans * 10000.0 / population < 25 ||
	    open_plans * 10000.0 / population > 70)
		fail_msg("%zu CP plans open of %ld under-18s", open_plans, population);

	/* W 61.3% of care leavers in education, employment or training. */
	records = current_records(data, CSPERF_RECORD_CARE_LEAVER, &nrecords);
	for (size_t i = 0; i < nrecords; i++) {
		const char *activity = value_of(records[i], "activity");

		leavers++;
		if (activity[0] == 'F' || activity[0] == 'P')
			in_education++;
	}
	free(records);
	assert_share("care leavers in education, employment or training",
		in_education, leavers, 0.40, 0.75);

	/* Every cost belongs to an episode of the child. */
	records = current_records(data, CSPERF_RECORD_PLACEMENT_COST, &nrecords);
	for (size_t i = 0; i < nrecords; i++) {
		char key[160];
		double weekly = atof(value_of(records[i], "weekly_cost"));

		snprintf(key, sizeof(key), "%s|%s|", value_of(records[i], "child_id"),
			value_of(records[i], "episode_start_date"));
		costs++;
		if (has_key(episodes, count, key))
			costed_episodes++;
		assert_true(weekly >= 200 && weekly <= 20000);
	}
	free(records);
	assert_int_equal(costed_episodes, costs);
	assert_true(costs > 0);
	free(episodes);
}

static int compare_doubles(const void *left, const void *right)
{
	double a = *(const double *)left, b = *(const double *)right;

	return a < b ? -1 : a > b ? 1 : 0;
}

/* The budget line a placement is costed to, from its episode, as
 * csperf-gen's finance system has them. */
static const char *budget_line(const stored_record *episode)
{
	const char *place = value_of(episode, "placement_type");
	const char *provider = value_of(episode, "placement_provider");

	if (strcmp(place, "U4") == 0 || strcmp(place, "U6") == 0)
		return strcmp(provider, "PR1") == 0 ? "in_house_foster" : "agency_foster";
	if (strcmp(place, "U1") == 0 || strcmp(place, "U3") == 0)
		return "other";
	if (strcmp(place, "K2") == 0 || strcmp(place, "R3") == 0)
		return "residential";
	if (strcmp(place, "K1") == 0)
		return "secure";
	if (strcmp(place, "H5") == 0)
		return "semi_independent";
	return NULL;
}

/* The typical weekly cost of each kind of placement: in-house fostering
 * 400-500 pounds, agency 800-1,000, residential 4,000-6,000, plus yearly
 * uplifts. */
static void test_placement_costs_by_kind(void **state)
{
	static const struct {
		const char *line;
		double low, high;
	} kinds[] = {
		{ "in_house_foster", 400, 560 },
		{ "agency_foster", 800, 1120 },
		{ "residential", 3500, 6700 },
		{ "semi_independent", 1000, 2240 },
	};
	dataset *data = large_dataset(*state);
	size_t nepisodes, ncosts;
	stored_record **episodes = current_records(data, CSPERF_RECORD_LA_EPISODE,
		&nepisodes);
	stored_record **costs = current_records(data, CSPERF_RECORD_PLACEMENT_COST,
		&ncosts);
	double *weekly = calloc(ncosts + 1, sizeof(*weekly));

	assert_non_null(weekly);
	for (size_t k = 0; k < COUNT_OF(kinds); k++) {
		size_t found = 0;
		double median;

		for (size_t i = 0; i < ncosts; i++) {
			char key[160];
			const stored_record *episode;

			snprintf(key, sizeof(key), "%s|%s|", value_of(costs[i], "child_id"),
				value_of(costs[i], "episode_start_date"));
			episode = find_record(episodes, nepisodes, key);
			assert_non_null(episode);
			if (budget_line(episode) != NULL &&
			    strcmp(budget_line(episode), kinds[k].line) == 0)
				weekly[found++] = atof(value_of(costs[i], "weekly_cost"));
		}
		assert_true(found >= 5);
		qsort(weekly, found, sizeof(*weekly), compare_doubles);
		median = weekly[found / 2];
		if (median < kinds[k].low || median > kinds[k].high)
			fail_msg("%s: median weekly cost %.2f, expected %.0f to %.0f",
				kinds[k].line, median, kinds[k].low, kinds[k].high);
	}
	free(weekly);
	free(episodes);
	free(costs);
}

/* Each budget line is within 12% (and the rounding to thousands) of what
 * the placement costs add up to in its year, some over, some under. */
static void test_budget_is_near_the_spend(void **state)
{
	static const char *const lines[] = {
		"in_house_foster", "agency_foster", "other", "residential", "secure",
		"semi_independent",
	};
	dataset *data = large_dataset(*state);
	double spend[3][COUNT_OF(lines)] = { { 0 } };
	size_t nepisodes, ncosts, nbudget, compared = 0, over = 0, under = 0;
	stored_record **episodes = current_records(data, CSPERF_RECORD_LA_EPISODE,
		&nepisodes);
	stored_record **costs = current_records(data, CSPERF_RECORD_PLACEMENT_COST,
		&ncosts);
	stored_record **budget = current_records(data, CSPERF_RECORD_BUDGET,
		&nbudget);

	for (size_t i = 0; i < ncosts; i++) {
		char key[160];
		const stored_record *episode;
		const char *line, *end = value_of(costs[i], "end_date");
		size_t index = 0;

		snprintf(key, sizeof(key), "%s|%s|", value_of(costs[i], "child_id"),
			value_of(costs[i], "episode_start_date"));
		episode = find_record(episodes, nepisodes, key);
		assert_non_null(episode);
		line = budget_line(episode);
		assert_non_null(line);
		/* Each cost line names the budget line it is charged to. */
		assert_string_equal(value_of(costs[i], "placement_category"), line);
		assert_true(strcmp(value_of(costs[i], "locality"), "North") == 0 ||
			    strcmp(value_of(costs[i], "locality"), "South") == 0 ||
			    strcmp(value_of(costs[i], "locality"), "East") == 0 ||
			    strcmp(value_of(costs[i], "locality"), "West") == 0);
		while (strcmp(lines[index], line) != 0)
			index++;
		for (int year = 0; year < 3; year++) {
			gen_day from = gen_year_start(2022 + year);
			gen_day to = gen_year_end(2022 + year);
			gen_day start = day_of(value_of(costs[i], "start_date"));
			gen_day last = end[0] == '\0' ? to : day_of(end);

			if (start > from)
				from = start;
			if (last < to)
				to = last;
			if (to >= from)
				spend[year][index] += atof(value_of(costs[i], "weekly_cost")) *
					(to - from + 1) / 7.0;
		}
	}
	/* Three financial years of six placement lines. */
	assert_int_equal(nbudget, 3 * COUNT_OF(lines));
	for (size_t i = 0; i < nbudget; i++) {
		int year = atoi(value_of(budget[i], "financial_year")) - 2021;
		double amount = atof(value_of(budget[i], "amount"));
		size_t index = 0;

		assert_in_range(year, 0, 2);
		while (index < COUNT_OF(lines) &&
		       strcmp(lines[index], value_of(budget[i], "placement_category")) != 0)
			index++;
		assert_true(index < COUNT_OF(lines));
		if (spend[year][index] < 50000)
			continue;
		compared++;
		if (amount < spend[year][index] * 0.87 ||
		    amount > spend[year][index] * 1.13)
			fail_msg("%s %d: budget %.0f against spend %.0f",
				lines[index], 2021 + year, amount, spend[year][index]);
		if (amount > spend[year][index])
			over++;
		else
			under++;
	}
	assert_true(compared >= 9);
	assert_true(over > 0 && under > 0);
	free(episodes);
	free(costs);
	free(budget);
}

/* The working days the rates are counted in: the bank holidays of England
 * and Wales as GOV.UK published them, 2019 to 2024. */
static void test_bank_holidays_are_the_published_ones(void **state)
{
	static const char *const published[] = {
		"2019-01-01", "2019-04-19", "2019-04-22", "2019-05-06", "2019-05-27",
		"2019-08-26", "2019-12-25", "2019-12-26", "2020-01-01", "2020-04-10",
		"2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25",
		"2020-12-28", "2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03",
		"2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28", "2022-01-03",
		"2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
		"2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27", "2023-01-02",
		"2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
		"2023-08-28", "2023-12-25", "2023-12-26", "2024-01-01", "2024-03-29",
		"2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
		"2024-12-26",
	};
	gen_calendar *calendar = gen_calendar_new(2018, 2025);
	size_t weekdays_off = 0;

	(void)state;
	assert_non_null(calendar);
	for (gen_day day = day_of("2019-01-01"); day <= day_of("2024-12-31"); day++) {
		char text[GEN_DAY_TEXT_SIZE];
		bool listed = false;

		gen_day_format(day, text);
		for (size_t i = 0; i < COUNT_OF(published) && !listed; i++)
			listed = strcmp(published[i], text) == 0;
		if (gen_day_weekday(day) >= 5)
			continue;
		if (listed == gen_calendar_is_working_day(calendar, day))
			fail_msg("%s is %sa bank holiday", text, listed ? "" : "not ");
		weekdays_off += listed ? 1 : 0;
	}
	assert_int_equal(weekdays_off, COUNT_OF(published));
	/* From 1 January to 2 April 2024, exclusive: Good Friday and Easter
	 * Monday off. */
	assert_int_equal(gen_calendar_working_days(calendar, day_of("2024-01-01"),
		day_of("2024-04-02")), 63);
	assert_int_equal(gen_calendar_add_working_days(calendar,
		day_of("2024-03-28"), 1), day_of("2024-04-02"));
	gen_calendar_free(calendar);
}

/* ---- Arguments ---- */

/* Runs csperf-gen with bad arguments: exit status 1 and one sentence. */
static void check_refused(const char *root, const char *const *args,
	const char *mentions)
{
	char err_path[PATH_SIZE];
	char *errors;
	size_t length;

	assert_int_equal(run_generator(root, args), 1);
	snprintf(err_path, sizeof(err_path), "%s/stderr.txt", root);
	errors = read_whole_file(err_path, &length);
	assert_non_null(errors);
	assert_true(length > 2);
	if (strncmp(errors, "csperf-gen: ", 12) != 0 || errors[length - 1] != '\n' ||
	    errors[length - 2] != '.' || strchr(errors, '\n') != errors + length - 1 ||
	    strstr(errors, mentions) == NULL)
		fail_msg("not one sentence naming %s: %s", mentions, errors);
	free(errors);
}

static void test_bad_arguments_are_refused(void **state)
{
	runs *shared = *state;
	char dir[RUN_SIZE], file[RUN_SIZE];
	FILE *plain;
	const char *no_children[] = { "--council", "201", "--children", "0",
		"--years", "3", "--seed", "1", "--out", dir, NULL };
	const char *no_out[] = { "--council", "201", "--children", "10",
		"--years", "3", "--seed", "1", NULL };
	const char *out_is_file[] = { "--council", "201", "--children", "10",
		"--years", "3", "--seed", "1", "--out", file, NULL };
	const char *bad_council[] = { "--council", "20/1", "--children", "10",
		"--years", "3", "--seed", "1", "--out", dir, NULL };
	const char *bad_years[] = { "--council", "201", "--children", "10",
		"--years", "many", "--seed", "1", "--out", dir, NULL };
	const char *unknown[] = { "--council", "201", "--kids", "10", NULL };
	const char *bad_nation[] = { "--council", "201", "--children", "10",
		"--years", "3", "--seed", "1", "--nation", "scotland", "--out", dir, NULL };
	struct stat status;

	snprintf(dir, sizeof(dir), "%s/refused", shared->root);
	snprintf(file, sizeof(file), "%s/plain-file", shared->root);
	plain = fopen(file, "w");
	assert_non_null(plain);
	fputs("not a directory\n", plain);
	fclose(plain);

	check_refused(shared->root, no_children, "--children");
	check_refused(shared->root, no_out, "--out");
	check_refused(shared->root, out_is_file, "is a file");
	check_refused(shared->root, bad_council, "--council");
	check_refused(shared->root, bad_years, "--years");
	check_refused(shared->root, unknown, "--kids");
	check_refused(shared->root, bad_nation, "--nation");
	/* Nothing was written. */
	assert_int_not_equal(stat(dir, &status), 0);
	assert_int_equal(stat(file, &status), 0);
	assert_int_equal(status.st_size, 16);
}

static void test_help_describes_the_layout(void **state)
{
	runs *shared = *state;
	const char *args[] = { "--help", NULL };
	char out_path[PATH_SIZE];
	char *help;

	assert_int_equal(run_generator(shared->root, args), 0);
	snprintf(out_path, sizeof(out_path), "%s/stdout.txt", shared->root);
	help = read_whole_file(out_path, NULL);
	assert_non_null(help);
	assert_non_null(strstr(help, "ssda903/YYYY/"));
	assert_non_null(strstr(help, "cin/YYYY.xml"));
	assert_non_null(strstr(help, "csv/TYPE.csv"));
	assert_non_null(strstr(help, "manifest.json"));
	free(help);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_record_is_valid_and_in_the_manifest),
		cmocka_unit_test(test_the_large_run_is_valid_and_complete),
		cmocka_unit_test(test_every_child_is_known),
		cmocka_unit_test(test_open_episodes_appear_in_the_next_return),
		cmocka_unit_test(test_yearly_records_are_in_one_return),
		cmocka_unit_test(test_the_same_seed_gives_the_same_bytes),
		cmocka_unit_test(test_a_welsh_council),
		cmocka_unit_test(test_front_door_rates),
		cmocka_unit_test(test_assessment_and_protection_rates),
		cmocka_unit_test(test_looked_after_rates),
		cmocka_unit_test(test_placement_costs_by_kind),
		cmocka_unit_test(test_budget_is_near_the_spend),
		cmocka_unit_test(test_bank_holidays_are_the_published_ones),
		cmocka_unit_test(test_bad_arguments_are_refused),
		cmocka_unit_test(test_help_describes_the_layout),
	};

	return cmocka_run_group_tests(tests, setup_runs, teardown_runs);
}
