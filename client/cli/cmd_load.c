/*
 * cmd_load.c: `csperf load` (`csperf loads` is in cmd_loads.c).
 *
 * `load` reads council extracts with the formats readers and streams their
 * records to csperfd through the SDK; csperfd validates them and answers with
 * a summary. The idempotency key defaults to a SHA-256 of what is loaded (the
 * files' names and contents, and the options that change the result), so
 * loading the same files twice stores them once.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csperf/loads.h>

#include "cli.h"
#include "formats.h"

/* Rejections shown in a table; JSON and CSV show all that csperfd listed. */
#define TABLE_REJECTIONS 50

typedef enum load_format { FORMAT_SSDA903, FORMAT_CIN_XML, FORMAT_CSV } load_format;

typedef struct load_args {
	const char *council;
	load_format format;
	const char *format_name;
	csperf_record_type type;
	bool accept_valid;
	bool require_valid;
	const char *label;
	const char *key;
	int year;
	const char *council_name;
	const char *nation;
	char **files;
	size_t nfiles;
	const char *first_path;   /* as given, for the default label */
	int npaths;
} load_args;

typedef struct progress {
	bool tty;
	const char *file;
	uint64_t file_records;
	uint64_t total;
	double started;
	double last_shown;
} progress;

typedef struct reader_ctx {
	csperf_load *load;
	progress *progress;
	int sdk_rc;
} reader_ctx;

const char cmd_load_help[] =
"Usage: csperf load --council CODE --format ssda903|cin-xml|csv [options] FILE|DIR...\n"
"\n"
"Streams the records of council extracts to csperfd, which validates every one\n"
"and stores the load in one transaction. By default any rejection means nothing\n"
"is stored. A folder stands for the files in it (*.csv, or *.xml for cin-xml).\n"
"\n"
"Options:\n"
"  --council CODE        the council's LA code, e.g. 975 (required)\n"
"  -f, --format FORMAT   ssda903 (SSDA903 CSV tables), cin-xml (CIN census XML)\n"
"                        or csv (csperf CSV, docs/formats.md) (required)\n"
"  --type TYPE           csv: the record type of every file, e.g. contact\n"
"                        (default: from each file's name, or its header)\n"
"  --year YYYY           ssda903: the collection year (of the 31 March ending it)\n"
"                        that oc2.csv and oc3.csv describe (default: a folder\n"
"                        named after the year, e.g. ssda903/2019/)\n"
"  --accept-valid        store the valid records and report the rest\n"
"  --require-valid       ssda903, cin-xml: first apply the DfE's cross-record\n"
"                        rules (csperf validate) and load nothing if any fails\n"
"                        (default: load anyway)\n"
"  --label TEXT          a label for the load (default: the format and files)\n"
"  --key KEY             the idempotency key (default: SHA-256 of the files)\n"
"  --council-name NAME   for a council new to csperfd: its name\n"
"  --nation NATION       for a council new to csperfd: england or wales\n"
"  -h, --help            this text\n"
"\n"
"Here --format (-f) names the input; the summary's format is chosen with\n"
"-o/--output-format table|json|csv. On a terminal, progress on standard error\n"
"names the phase (reading and sending a file, then csperfd storing and\n"
"computing) with the time since the load began.\n"
"\n"
"Prints a summary (counts per record type, then each rejection with its file,\n"
"line, field, value and reason). Exit status 0 when everything was stored,\n"
"5 when anything was rejected (see --accept-valid), 6 when a file is missing\n"
"or unreadable, 2-4 as for every command.\n";

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* Progress, on a terminal only (stderr), naming the phase and the time
 * since the load began: "reading and sending FILE" while records stream,
 * then "csperfd storing and computing" while csperfd stores the load in
 * one transaction and recomputes the indicators it changes. */
static void progress_show(progress *p, bool final)
{
	double now = now_seconds();
	double elapsed = now - p->started;

	if (!p->tty || (!final && now - p->last_shown < 0.2))
		return;
	p->last_shown = now;
	fprintf(stderr, "\r\033[K[%5.1fs] reading and sending %s: %llu records (%llu in all, "
		"%.0f records/s)%s", elapsed, base_name(p->file),
		(unsigned long long)p->file_records, (unsigned long long)p->total,
		elapsed > 0 ? p->total / elapsed : 0.0, final ? "\n" : "");
}

typedef struct waiting {
	progress *progress;
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	bool done;
} waiting;

/* Ticks while csperf_load_finish waits for csperfd's summary. */
static void *wait_ticker(void *arg)
{
	waiting *w = arg;
	struct timespec until;

	pthread_mutex_lock(&w->lock);
	while (!w->done) {
		fprintf(stderr, "\r\033[K[%5.1fs] sent %llu records; csperfd storing the load "
			"and computing the indicators it changes...", now_seconds() -
			w->progress->started, (unsigned long long)w->progress->total);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->done_cond, &w->lock, &until);
	}
	pthread_mutex_unlock(&w->lock);
	fprintf(stderr, "\r\033[K[%5.1fs] stored and computed by csperfd\n",
		now_seconds() - w->progress->started);
	return NULL;
}

/* Finishes the load; on a terminal, the time ticks while csperfd works. */
static int finish_with_progress(csperf_load *load, progress *p, csperf_load_summary **summary)
{
	waiting w = { .progress = p, .done = false };
	pthread_t ticker;
	bool ticking;
	int rc;

	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.done_cond, NULL);
	ticking = p->tty && pthread_create(&ticker, NULL, wait_ticker, &w) == 0;
	rc = csperf_load_finish(load, summary);
	if (ticking) {
		pthread_mutex_lock(&w.lock);
		w.done = true;
		pthread_cond_signal(&w.done_cond);
		pthread_mutex_unlock(&w.lock);
		pthread_join(ticker, NULL);
	}
	pthread_cond_destroy(&w.done_cond);
	pthread_mutex_destroy(&w.lock);
	return rc;
}

static int on_record(const formats_record *rec, void *ctx)
{
	reader_ctx *r = ctx;
	csperf_record record;

	record.type = rec->type;
	record.nvalues = rec->nvalues;
	record.values = rec->values;
	record.file = rec->file;
	record.line = rec->line;
	record.source_fields = rec->source_fields;
	r->sdk_rc = csperf_load_add(r->load, &record);
	if (r->sdk_rc != CSPERF_OK)
		return 1;  /* csperfd ended the load: stop reading, finish for the reason */
	r->progress->file_records++;
	r->progress->total++;
	if ((r->progress->total & 1023) == 0)
		progress_show(r->progress, false);
	return 0;
}

static int parse_format(const char *name, load_format *out)
{
	if (strcmp(name, "ssda903") == 0)
		*out = FORMAT_SSDA903;
	else if (strcmp(name, "cin-xml") == 0)
		*out = FORMAT_CIN_XML;
	else if (strcmp(name, "csv") == 0)
		*out = FORMAT_CSV;
	else
		return -1;
	return 0;
}

/* A folder stands for its files of the format's extension, in name order. */
static int expand_path(load_args *a, const char *path)
{
	return cli_expand_path("load", path, a->format == FORMAT_CIN_XML ? ".xml" : ".csv",
			       &a->files, &a->nfiles);
}

/* SHA-256 over the options that change the result and every file's name
 * and bytes, as hex. */
static int default_key(const load_args *a, char out[65])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char digest[EVP_MAX_MD_SIZE], chunk[65536];
	unsigned int len = 0;
	char options[256];
	int rc = -1;

	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto cleanup;
	snprintf(options, sizeof(options), "csperf-load-1|%s|%s|%d|%d|%s|", a->council,
		 a->format_name, (int)a->type, a->year, a->accept_valid ? "valid" : "atomic");
	EVP_DigestUpdate(md, options, strlen(options));
	for (size_t i = 0; i < a->nfiles; i++) {
		FILE *f = fopen(a->files[i], "rb");
		size_t n;

		if (f == NULL) {
			fprintf(stderr, "csperf load: %s: %s\n", a->files[i], strerror(errno));
			goto cleanup;
		}
		EVP_DigestUpdate(md, base_name(a->files[i]), strlen(base_name(a->files[i])) + 1);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			EVP_DigestUpdate(md, chunk, n);
		fclose(f);
	}
	if (EVP_DigestFinal_ex(md, digest, &len) != 1)
		goto cleanup;
	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	out[64] = '\0';
	rc = 0;
cleanup:
	EVP_MD_CTX_free(md);
	return rc;
}

/* Reads one file into the load. Returns 0; 1 when csperfd ended the load;
 * -1 after printing a file-level error. */
static int read_file(const load_args *a, const char *path, reader_ctx *r)
{
	formats_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	r->progress->file = path;
	r->progress->file_records = 0;
	switch (a->format) {
	case FORMAT_SSDA903: {
		formats_ssda903_options options = FORMATS_SSDA903_OPTIONS_INIT;

		options.collection_year = a->year != 0 ? a->year : cli_folder_year(path);
		rc = formats_read_ssda903(path, &options, on_record, r, &err);
		if (rc == FORMATS_EUNKNOWN) {
			fprintf(stderr, "csperf load: %s: skipped: %s\n", path, err.message);
			return 0;
		}
		if (rc == FORMATS_EINVALID) {
			fprintf(stderr, "csperf load: %s: %s: give --year YYYY, the year of the "
				"31 March that ends the return\n", path, err.message);
			return -1;
		}
		break;
	}
	case FORMAT_CIN_XML:
		rc = formats_read_cin_xml(path, on_record, r, &err);
		break;
	default:
		rc = formats_read_csperf_csv(path, a->type, on_record, r, &err);
		break;
	}
	progress_show(r->progress, true);
	if (rc == 1)
		return 1;
	if (rc < 0) {
		fprintf(stderr, "csperf load: %s", err.file[0] != '\0' ? err.file : path);
		if (err.line > 0)
			fprintf(stderr, " line %lu", err.line);
		if (err.field[0] != '\0')
			fprintf(stderr, ", %s", err.field);
		if (err.value[0] != '\0')
			fprintf(stderr, " '%s'", err.value);
		fprintf(stderr, ": %s (nothing was loaded)\n",
			err.message[0] != '\0' ? err.message : formats_strerror(rc));
		return -1;
	}
	return 0;
}

static json_t *summary_json(const csperf_load_summary *s)
{
	json_t *root = json_object(), *counts = json_array(), *rejections = json_array();

	json_object_set_new(root, "load_id", json_integer(s->load_id));
	json_object_set_new(root, "council", json_string(s->council));
	json_object_set_new(root, "source", json_string(s->source));
	json_object_set_new(root, "label", json_string(s->label));
	json_object_set_new(root, "idempotency_key", json_string(s->idempotency_key));
	json_object_set_new(root, "created_at", json_string(s->created_at));
	json_object_set_new(root, "stored", json_boolean(s->stored));
	json_object_set_new(root, "replayed", json_boolean(s->replayed));
	json_object_set_new(root, "accept_valid", json_boolean(s->accept_valid));
	if (s->figures != CSPERF_FIGURES_UNKNOWN)
		json_object_set_new(root, "figures", json_string(s->figures == CSPERF_FIGURES_COMPUTED
								 ? "computed" : "computing"));
	json_object_set_new(root, "accepted", json_integer((json_int_t)s->accepted));
	json_object_set_new(root, "rejected", json_integer((json_int_t)s->rejected));
	for (size_t i = 0; i < s->ncounts; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "type", json_string(s->counts[i].type));
		json_object_set_new(c, "accepted", json_integer((json_int_t)s->counts[i].accepted));
		json_object_set_new(c, "rejected", json_integer((json_int_t)s->counts[i].rejected));
		json_array_append_new(counts, c);
	}
	json_object_set_new(root, "counts", counts);
	for (size_t i = 0; i < s->nrejections; i++) {
		const csperf_rejection *r = &s->rejections[i];
		json_t *o = json_object();

		json_object_set_new(o, "record_number", json_integer((json_int_t)r->record_number));
		json_object_set_new(o, "file", json_string(r->file));
		json_object_set_new(o, "line", json_integer((json_int_t)r->line));
		json_object_set_new(o, "type", json_string(r->type));
		json_object_set_new(o, "field", json_string(r->field));
		json_object_set_new(o, "value", json_string(r->value));
		json_object_set_new(o, "reason", json_string(r->reason));
		json_array_append_new(rejections, o);
	}
	json_object_set_new(root, "rejections", rejections);
	json_object_set_new(root, "rejections_total", json_integer((json_int_t)s->rejections_total));
	return root;
}

static int print_summary(const cli_globals *g, const csperf_load_summary *s)
{
	static const output_column count_columns[] = {
		{ "type", "Record type", OUTPUT_TEXT },
		{ "accepted", "Accepted", OUTPUT_INTEGER },
		{ "rejected", "Rejected", OUTPUT_INTEGER },
	};
	static const output_column rejection_columns[] = {
		{ "file", "File", OUTPUT_TEXT },
		{ "line", "Line", OUTPUT_INTEGER },
		{ "type", "Type", OUTPUT_TEXT },
		{ "field", "Field", OUTPUT_TEXT },
		{ "value", "Value", OUTPUT_TEXT },
		{ "reason", "Reason", OUTPUT_TEXT },
	};
	output_result *result;
	int rc = CLI_EXIT_OK;

	if (g->format == OUTPUT_JSON) {
		json_t *root = summary_json(s);

		rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
			? CLI_EXIT_OK : CLI_EXIT_LOCAL;
		fputc('\n', stdout);
		json_decref(root);
		return rc;
	}
	if (g->format == OUTPUT_TABLE) {
		if (s->replayed)
			printf("Load %lld was stored before with this key: nothing more stored.\n",
			       (long long)s->load_id);
		else if (s->stored)
			printf("Load %lld stored: %llu records accepted, %llu rejected.\n",
			       (long long)s->load_id, (unsigned long long)s->accepted,
			       (unsigned long long)s->rejected);
		else
			printf("Nothing stored: %llu of %llu records rejected (use --accept-valid to "
			       "store the valid ones).\n", (unsigned long long)s->rejected,
			       (unsigned long long)(s->accepted + s->rejected));
		if (s->figures == CSPERF_FIGURES_COMPUTED)
			printf("Figures computed.\n");
		else if (s->figures == CSPERF_FIGURES_COMPUTING)
			printf("Figures computing: csperfd finishes them in the background.\n");
		result = output_result_new(count_columns, 3, 0);
		for (size_t i = 0; result != NULL && i < s->ncounts; i++) {
			char accepted[32], rejected[32];
			const char *values[3] = { s->counts[i].type, accepted, rejected };

			snprintf(accepted, sizeof(accepted), "%llu",
				 (unsigned long long)s->counts[i].accepted);
			snprintf(rejected, sizeof(rejected), "%llu",
				 (unsigned long long)s->counts[i].rejected);
			output_result_add(result, values);
		}
		if (result != NULL) {
			putchar('\n');
			rc = cli_print(g, result);
		}
		output_result_free(result);
		if (s->nrejections == 0)
			return rc;
		putchar('\n');
	}
	result = output_result_new(rejection_columns, 6, 0);
	for (size_t i = 0; result != NULL && i < s->nrejections; i++) {
		const csperf_rejection *r = &s->rejections[i];
		char line[32];
		const char *values[6] = { r->file, line, r->type, r->field, r->value, r->reason };

		if (g->format == OUTPUT_TABLE && i == TABLE_REJECTIONS)
			break;
		snprintf(line, sizeof(line), "%llu", (unsigned long long)r->line);
		output_result_add(result, values);
	}
	if (result != NULL)
		rc = cli_print(g, result);
	output_result_free(result);
	if (g->format == OUTPUT_TABLE && s->rejections_total > TABLE_REJECTIONS)
		printf("... and %llu more rejections (-o csv lists the first %zu)\n",
		       (unsigned long long)(s->rejections_total - TABLE_REJECTIONS), s->nrejections);
	return rc;
}

static int parse_load_args(load_args *a, int argc, char **argv)
{
	static const struct option options[] = {
		{ "council", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'F' },
		{ "type", required_argument, NULL, 't' },
		{ "year", required_argument, NULL, 'y' },
		{ "accept-valid", no_argument, NULL, 'a' },
		{ "require-valid", no_argument, NULL, 'R' },
		{ "label", required_argument, NULL, 'l' },
		{ "key", required_argument, NULL, 'k' },
		{ "council-name", required_argument, NULL, 'n' },
		{ "nation", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hf:", options, NULL)) != -1) {
		switch (opt) {
		case 'c': a->council = optarg; break;
		case 'f':
		case 'F':
			a->format_name = optarg;
			if (parse_format(optarg, &a->format) != 0) {
				fprintf(stderr, "csperf load: --format must be ssda903, cin-xml or csv, "
					"not '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 't': {
			int type = csperf_record_type_from_name(optarg);

			if (type == 0) {
				fprintf(stderr, "csperf load: --type '%s' is not a record type "
					"(see docs/formats.md)\n", optarg);
				return CLI_EXIT_USAGE;
			}
			a->type = (csperf_record_type)type;
			break;
		}
		case 'y':
			a->year = atoi(optarg);
			if (a->year < 1990 || a->year > 2100) {
				fprintf(stderr, "csperf load: --year must be a year such as 2019, "
					"not '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'a': a->accept_valid = true; break;
		case 'R': a->require_valid = true; break;
		case 'l': a->label = optarg; break;
		case 'k': a->key = optarg; break;
		case 'n': a->council_name = optarg; break;
		case 'N': a->nation = optarg; break;
		case 'h':
			fputs(cmd_load_help, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf load: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				cmd_load_help);
			return CLI_EXIT_USAGE;
		}
	}
	if (a->council == NULL || a->format_name == NULL || optind >= argc) {
		fprintf(stderr, "csperf load: --council, --format and at least one file are "
			"required\n%s", cmd_load_help);
		return CLI_EXIT_USAGE;
	}
	if (cli_check_council("load", a->council) != 0)
		return CLI_EXIT_USAGE;
	if (a->type != 0 && a->format != FORMAT_CSV) {
		fprintf(stderr, "csperf load: --type goes with --format csv\n");
		return CLI_EXIT_USAGE;
	}
	a->first_path = argv[optind];
	a->npaths = argc - optind;
	for (int i = optind; i < argc; i++)
		if (expand_path(a, argv[i]) != 0)
			return CLI_EXIT_LOCAL;
	return -1;
}

int cmd_load(const cli_globals *g, int argc, char **argv)
{
	load_args a;
	csperf_load_options options = CSPERF_LOAD_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_load *load = NULL;
	csperf_load_summary *summary = NULL;
	progress p;
	reader_ctx r;
	char key[65], label[256];
	int rc;

	memset(&a, 0, sizeof(a));
	rc = parse_load_args(&a, argc, argv);
	if (rc >= 0)
		goto cleanup;
	if (a.require_valid && (rc = cli_require_valid(g, a.format_name, a.year, a.files,
	                                               a.nfiles)) >= 0)
		goto cleanup;
	if (a.key == NULL) {
		if (default_key(&a, key) != 0) {
			rc = CLI_EXIT_LOCAL;
			goto cleanup;
		}
		a.key = key;
	}
	if (a.label == NULL) {
		snprintf(label, sizeof(label), "%s %s%s", a.format_name, a.first_path,
			 a.npaths > 1 ? " and more" : "");
		a.label = label;
	}
	client = cli_client(g);
	if (client == NULL) {
		rc = CLI_EXIT_USAGE;
		goto cleanup;
	}
	options.council = a.council;
	options.source = a.format_name;
	options.label = a.label;
	options.idempotency_key = a.key;
	options.accept_valid = a.accept_valid;
	options.council_name = a.council_name;
	options.council_nation = a.nation;
	/* A load may take long: --timeout only if given, else the SDK's hour. */
	options.timeout_ms = g->timeout_ms;
	rc = csperf_load_begin(client, &options, &load);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto cleanup;
	}

	memset(&p, 0, sizeof(p));
	p.tty = isatty(STDERR_FILENO);
	p.started = now_seconds();
	r.load = load;
	r.progress = &p;
	r.sdk_rc = CSPERF_OK;
	for (size_t i = 0; i < a.nfiles; i++) {
		int read = read_file(&a, a.files[i], &r);

		if (read < 0) {
			/* A broken file: cancel, and csperfd stores nothing. */
			rc = CLI_EXIT_REJECTED;
			goto cleanup;
		}
		if (read == 1)
			break;
	}
	rc = finish_with_progress(load, &p, &summary);
	if (rc != CSPERF_OK) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	rc = print_summary(g, summary);
	if (rc == CLI_EXIT_OK && summary->rejected > 0)
		rc = CLI_EXIT_REJECTED;
cleanup:
	csperf_load_summary_free(summary);
	csperf_load_free(load);
	csperf_client_free(client);
	for (size_t i = 0; i < a.nfiles; i++)
		free(a.files[i]);
	free(a.files);
	return rc;
}
