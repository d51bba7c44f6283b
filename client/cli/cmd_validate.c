/*
 * cmd_validate.c: `csperf validate`: the DfE's validation rules (the ones
 * that look across a child's records: common/validate) applied to SSDA903 or
 * CIN census files on this machine, before they are loaded or sent to the
 * DfE. No csperfd is needed. Also `csperf validate --list-rules`, and the
 * check behind `csperf load --require-valid` (cli_validate_files).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csperf/validation.h>

#include "cli.h"
#include "dates.h"
#include "formats.h"
#include "schema.h"
#include "validate/validate.h"

/* Failures shown in a table; JSON and CSV show them all. */
#define TABLE_FAILURES 200

const char cmd_validate_help[] =
"Usage: csperf validate --format ssda903|cin-xml [options] FILE|DIR...\n"
"       csperf validate --council CODE --year YYYY [--format ...] [options]\n"
"       csperf validate --list-rules [--format ssda903|cin-xml] [options]\n"
"\n"
"Applies the DfE's validation rules that look across a child's records (an\n"
"episode that starts before the previous one ends, a review before its plan,\n"
"a CP plan for a referral with no further action...) to a return on this\n"
"machine, and lists every failure by child, record, field and rule, with the\n"
"DfE's code and message. csperf load checks each record on its own; these are\n"
"the rules that move the figures. docs/VALIDATION.md lists them. No csperfd\n"
"is needed. A folder stands for the files in it (*.csv, or *.xml for cin-xml).\n"
"With --council, csperfd applies the rules to the council's stored records,\n"
"across every return loaded (admins, loaders and analysts).\n"
"\n"
"Options:\n"
"  --format FMT           ssda903 (the return's CSV tables) or cin-xml (the\n"
"                         CIN census); the input, as for csperf load\n"
"  --year YYYY            the collection year, by the 31 March that ends it\n"
"                         (default: a folder named after the year, e.g.\n"
"                         ssda903/2019/, or a CIN file's ReferenceDate)\n"
"  --rule CODE            apply only this rule, e.g. 501\n"
"  --council CODE         validate this council's records in csperfd (with\n"
"                         --format, only that return's rules)\n"
"  --list-rules           list the rules, with code, years, source and fields\n"
"  -o, --output-format F  table, json or csv (default: the global --format,\n"
"                         else table)\n"
"  -h, --help             this text\n"
"\n"
"Exit status: 0 when nothing fails, 5 when some record fails a rule, 1 bad\n"
"usage, 6 when a file cannot be read.\n";

typedef struct validate_args {
	validate_return source;
	const char *format_name;
	int year;
	const char *rule;
	const char *council;
	bool list;
	output_format output;
	char **files;
	size_t nfiles;
} validate_args;

/* A folder stands for its files of the format's extension, in name order. */
static int expand(validate_args *a, const char *path)
{
	return cli_expand_path("validate", path, a->source == VALIDATE_CIN ? ".xml" : ".csv",
			       &a->files, &a->nfiles);
}

typedef struct reading {
	validate_set *set;
	int failed;
} reading;

static int on_record(const formats_record *rec, void *ctx)
{
	reading *r = ctx;
	if (validate_set_add(r->set, rec->type, rec->values, rec->nvalues, rec->file,
	                     rec->line) != 0) {
		r->failed = 1;
		return 1;
	}
	return 0;
}

/* Reads one file into the set; its collection period into *year and *end
 * when the file says (CIN ReferenceDate) and none was given. */
static int read_into(validate_set *set, validate_return source, const char *path,
	int year, int *file_year, int32_t *period_end)
{
	formats_error err;
	reading r = { set, 0 };
	int rc;

	memset(&err, 0, sizeof(err));
	*file_year = year != 0 ? year : cli_folder_year(path);
	*period_end = 0;
	if (source == VALIDATE_CIN) {
		char reference[11];
		if (formats_cin_reference_date(path, reference) == 0) {
			int32_t day;
			csperf_date_parse_iso(reference, &day);
			if (*file_year == 0) {
				*file_year = atoi(reference);
				*period_end = day;
			}
		}
		rc = formats_read_cin_xml(path, on_record, &r, &err);
	} else {
		formats_ssda903_options options = FORMATS_SSDA903_OPTIONS_INIT;
		options.collection_year = *file_year;
		rc = formats_read_ssda903(path, &options, on_record, &r, &err);
		if (rc == FORMATS_EUNKNOWN) {
			fprintf(stderr, "csperf validate: %s: skipped: %s\n", path, err.message);
			return 0;
		}
	}
	if (r.failed) {
		fprintf(stderr, "csperf validate: out of memory reading %s\n", path);
		return -1;
	}
	if (rc < 0) {
		fprintf(stderr, "csperf validate: %s", err.file[0] != '\0' ? err.file : path);
		if (err.line > 0)
			fprintf(stderr, " line %lu", err.line);
		if (err.field[0] != '\0')
			fprintf(stderr, ", %s", err.field);
		fprintf(stderr, ": %s\n", err.message[0] != '\0' ? err.message : formats_strerror(rc));
		return -1;
	}
	return 0;
}

static const output_column failure_columns[] = {
	{ "child_id", "Child", OUTPUT_TEXT },
	{ "rule", "Rule", OUTPUT_TEXT },
	{ "record_type", "Record", OUTPUT_TEXT },
	{ "file", "File", OUTPUT_TEXT },
	{ "line", "Line", OUTPUT_INTEGER },
	{ "fields", "Fields", OUTPUT_TEXT },
	{ "message", "Message", OUTPUT_TEXT },
};

typedef struct printing {
	output_result *result;
	output_format format;
	size_t count;
} printing;

static int on_failure(const validate_failure *f, void *ctx)
{
	printing *p = ctx;
	char line[24];
	const char *values[7];

	p->count++;
	if (p->result == NULL || (p->format == OUTPUT_TABLE && p->count > TABLE_FAILURES))
		return 0;
	snprintf(line, sizeof(line), "%lu", f->record->line);
	values[0] = f->child_id;
	values[1] = f->rule->code;
	values[2] = csperf_record_type_name(f->record->type);
	values[3] = f->file;
	values[4] = line;
	values[5] = f->rule->dfe_fields;
	values[6] = f->rule->message;
	return output_result_add(p->result, values) != 0;
}

int cli_validate_files(const cli_globals *g, const char *format_name, int year,
	const char *only, char *const *files, size_t nfiles, cli_validate_print print,
	output_format output)
{
	validate_return source;
	if (strcmp(format_name, "ssda903") == 0)
		source = VALIDATE_SSDA903;
	else if (strcmp(format_name, "cin-xml") == 0)
		source = VALIDATE_CIN;
	else {
		fprintf(stderr, "csperf: the DfE's rules apply to ssda903 and cin-xml returns, "
			"not %s\n", format_name);
		return -1;
	}
	validate_set *set = validate_set_new();
	int run_year = year;
	int32_t period_end = 0;
	if (set == NULL)
		return -1;
	for (size_t i = 0; i < nfiles; i++) {
		int file_year;
		int32_t file_end;
		if (read_into(set, source, files[i], year, &file_year, &file_end) != 0) {
			validate_set_free(set);
			return -1;
		}
		if (run_year == 0)
			run_year = file_year;
		if (period_end == 0)
			period_end = file_end;
	}
	if (run_year == 0) {
		fprintf(stderr, "csperf validate: give --year YYYY, the year of the 31 March "
			"that ends the collection year (the files do not say)\n");
		validate_set_free(set);
		return -1;
	}
	if (period_end == 0 && csperf_date_from_ymd(run_year, 3, 31, &period_end) != 0) {
		validate_set_free(set);
		return -1;
	}
	printing p = { NULL, output, 0 };
	if (print)
		p.result = output_result_new(failure_columns,
			sizeof(failure_columns) / sizeof(failure_columns[0]), 0);
	int rc = validate_run_period(set, source, run_year, period_end, only, on_failure, &p);
	if (rc == 0 && (print == CLI_VALIDATE_PRINT || (print == CLI_VALIDATE_PRINT_FAILURES
	                                                 && p.count > 0))) {
		cli_globals shown = *g;
		shown.format = output;
		if (p.count > 0 || output != OUTPUT_TABLE)
			rc = cli_print(&shown, p.result) == CLI_EXIT_OK ? 0 : -1;
		if (output == OUTPUT_TABLE && p.count > TABLE_FAILURES)
			printf("... and %zu more failures (-o csv lists them all)\n",
			       p.count - TABLE_FAILURES);
		fflush(stdout);
		if (output == OUTPUT_TABLE)
			fprintf(p.count > 0 ? stderr : stdout,
				"%zu failure%s of the DfE's rules for %d-%02d in %zu records.\n",
				p.count, p.count == 1 ? "" : "s", run_year - 1, run_year % 100,
				validate_set_size(set));
	}
	output_result_free(p.result);
	validate_set_free(set);
	if (rc != 0)
		return -1;
	return p.count > (size_t)INT32_MAX ? INT32_MAX : (int)p.count;
}

int cli_require_valid(const cli_globals *g, const char *format_name, int year,
	char *const *files, size_t nfiles)
{
	if (strcmp(format_name, "ssda903") != 0 && strcmp(format_name, "cin-xml") != 0) {
		fprintf(stderr, "csperf load: --require-valid goes with --format ssda903 or "
			"cin-xml: the DfE's rules are about those returns\n");
		return CLI_EXIT_USAGE;
	}
	int n = cli_validate_files(g, format_name, year, NULL, files, nfiles,
				   CLI_VALIDATE_PRINT_FAILURES, g->format);
	if (n < 0)
		return CLI_EXIT_LOCAL;
	if (n > 0) {
		fprintf(stderr, "csperf load: nothing loaded: %d failure%s of the DfE's rules "
			"(--require-valid; without it the load goes ahead)\n", n, n == 1 ? "" : "s");
		return CLI_EXIT_REJECTED;
	}
	return -1;
}

static int list_rules(const cli_globals *g, const validate_args *a)
{
	static const output_column columns[] = {
		{ "code", "Code", OUTPUT_TEXT },
		{ "return", "Return", OUTPUT_TEXT },
		{ "years", "Years", OUTPUT_TEXT },
		{ "source", "Source", OUTPUT_TEXT },
		{ "record_type", "Record", OUTPUT_TEXT },
		{ "fields", "Fields", OUTPUT_TEXT },
		{ "decides", "Decides", OUTPUT_TEXT },
		{ "message", "Message", OUTPUT_TEXT },
	};
	output_result *result = output_result_new(columns, sizeof(columns) / sizeof(columns[0]), 0);
	size_t n;
	const validate_rule *rules = validate_rules(&n);
	int rc = CLI_EXIT_OK;

	if (result == NULL)
		return CLI_EXIT_LOCAL;
	for (size_t i = 0; i < n; i++) {
		const validate_rule *r = &rules[i];
		char years[32], from[8] = "", to[8] = "";
		if (a->source != 0 && r->source != a->source)
			continue;
		if (a->year != 0 && !validate_rule_applies(r, a->year))
			continue;
		if (r->year_from != 0)
			snprintf(from, sizeof(from), "%d", r->year_from);
		if (r->year_to != 0)
			snprintf(to, sizeof(to), "%d", r->year_to);
		snprintf(years, sizeof(years), "%s-%s", from, to);
		const char *values[8] = {
			r->code, validate_return_name(r->source), years,
			r->source == VALIDATE_SSDA903 ? "DfE SSDA903; csc-validator-be-903"
			                              : "DfE CIN census; csc-validator-be-cin",
			csperf_record_type_name(r->type), r->dfe_fields, r->decides, r->message,
		};
		if (output_result_add(result, values) != 0)
			rc = CLI_EXIT_LOCAL;
	}
	cli_globals shown = *g;
	shown.format = a->output;
	if (rc == CLI_EXIT_OK)
		rc = cli_print(&shown, result);
	output_result_free(result);
	return rc;
}

static const output_column stored_columns[] = {
	{ "child_id", "Child", OUTPUT_TEXT },
	{ "rule", "Rule", OUTPUT_TEXT },
	{ "record_type", "Record", OUTPUT_TEXT },
	{ "load_id", "Load", OUTPUT_INTEGER },
	{ "record_no", "Record no", OUTPUT_INTEGER },
	{ "fields", "Fields", OUTPUT_TEXT },
	{ "message", "Message", OUTPUT_TEXT },
};

static int on_stored_failure(const csperf_validation_failure *f, void *ctx)
{
	printing *p = ctx;
	char load[24], record[24];
	const char *values[7] = { f->child_id, f->rule, f->record_type, load, record, f->fields,
				  f->message };

	p->count++;
	if (p->format == OUTPUT_TABLE && p->count > TABLE_FAILURES)
		return 0;
	snprintf(load, sizeof(load), "%lld", (long long)f->load_id);
	snprintf(record, sizeof(record), "%lld", (long long)f->record_no);
	return output_result_add(p->result, values) != 0;
}

/* --council: csperfd validates the council's stored records. */
static int validate_council(const cli_globals *g, const validate_args *a, bool has_files)
{
	csperf_validation_query query = CSPERF_VALIDATION_QUERY_INIT;
	uint64_t checked = 0;
	printing p = { NULL, a->output, 0 };
	csperf_client *client;
	int rc;

	if (has_files) {
		fprintf(stderr, "csperf validate: --council validates what csperfd holds: give no "
			"files\n");
		return CLI_EXIT_USAGE;
	}
	if (a->year == 0) {
		fprintf(stderr, "csperf validate: --council needs --year YYYY, the collection year "
			"whose rules apply\n");
		return CLI_EXIT_USAGE;
	}
	query.council = a->council;
	query.year = a->year;
	query.source = a->source == VALIDATE_CIN ? "cin" : a->source == VALIDATE_SSDA903
		? "ssda903" : NULL;
	query.rule = a->rule;
	p.result = output_result_new(stored_columns,
		sizeof(stored_columns) / sizeof(stored_columns[0]), 0);
	if (p.result == NULL)
		return CLI_EXIT_LOCAL;
	client = cli_client(g);
	if (client == NULL) {
		output_result_free(p.result);
		return CLI_EXIT_UNREACHABLE;
	}
	rc = csperf_validate_records(client, &query, on_stored_failure, &p, &checked, NULL);
	csperf_client_free(client);
	if (rc != CSPERF_OK) {
		output_result_free(p.result);
		return cli_fail(rc);
	}
	cli_globals shown = *g;
	shown.format = a->output;
	rc = CLI_EXIT_OK;
	if (p.count > 0 || a->output != OUTPUT_TABLE)
		rc = cli_print(&shown, p.result);
	fflush(stdout);
	if (a->output == OUTPUT_TABLE && p.count > TABLE_FAILURES)
		printf("... and %zu more failures (-o csv lists them all)\n", p.count - TABLE_FAILURES);
	if (a->output == OUTPUT_TABLE)
		fprintf(p.count > 0 ? stderr : stdout,
			"%zu failure%s of the DfE's rules for %d-%02d in council %s's %llu records.\n",
			p.count, p.count == 1 ? "" : "s", a->year - 1, a->year % 100, a->council,
			(unsigned long long)checked);
	output_result_free(p.result);
	if (rc != CLI_EXIT_OK)
		return rc;
	return p.count > 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
}

int cmd_validate(const cli_globals *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "year", required_argument, NULL, 'y' },
		{ "rule", required_argument, NULL, 'r' },
		{ "list-rules", no_argument, NULL, 'L' },
		{ "council", required_argument, NULL, 'c' },
		{ "output-format", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	validate_args a;
	int opt, rc = CLI_EXIT_OK;

	memset(&a, 0, sizeof(a));
	a.output = g->format;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
		switch (opt) {
		case 'F':
			a.format_name = optarg;
			if (strcmp(optarg, "ssda903") == 0)
				a.source = VALIDATE_SSDA903;
			else if (strcmp(optarg, "cin-xml") == 0)
				a.source = VALIDATE_CIN;
			else {
				fprintf(stderr, "csperf validate: --format must be ssda903 or cin-xml, "
					"not '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'y':
			a.year = atoi(optarg);
			if (a.year < 1990 || a.year > 2100) {
				fprintf(stderr, "csperf validate: --year must be a year such as 2019, "
					"not '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'r':
			if (validate_rule_by_code(optarg) == NULL) {
				fprintf(stderr, "csperf validate: no rule '%s' (csperf validate "
					"--list-rules lists them)\n", optarg);
				return CLI_EXIT_USAGE;
			}
			a.rule = optarg;
			break;
		case 'L': a.list = true; break;
		case 'c': a.council = optarg; break;
		case 'o':
			if (output_format_parse(optarg, &a.output) != 0) {
				fprintf(stderr, "csperf validate: -o must be table, json or csv, "
					"not '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(cmd_validate_help, stdout);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "csperf validate: %s '%s'\n%s",
				opt == ':' ? "missing value for" : "unknown option", argv[optind - 1],
				cmd_validate_help);
			return CLI_EXIT_USAGE;
		}
	}
	if (a.list)
		return list_rules(g, &a);
	if (a.council != NULL)
		return validate_council(g, &a, optind < argc);
	if (a.format_name == NULL || optind >= argc) {
		fprintf(stderr, "csperf validate: --format and at least one file are required\n%s",
			cmd_validate_help);
		return CLI_EXIT_USAGE;
	}
	for (int i = optind; i < argc && rc == CLI_EXIT_OK; i++)
		if (expand(&a, argv[i]) != 0)
			rc = CLI_EXIT_LOCAL;
	if (rc == CLI_EXIT_OK) {
		int n = cli_validate_files(g, a.format_name, a.year, a.rule, a.files, a.nfiles,
		                           CLI_VALIDATE_PRINT, a.output);
		rc = n < 0 ? CLI_EXIT_LOCAL : n > 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
	}
	for (size_t i = 0; i < a.nfiles; i++)
		free(a.files[i]);
	free(a.files);
	return rc;
}
