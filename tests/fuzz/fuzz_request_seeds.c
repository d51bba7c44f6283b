/*
 * fuzz_request_seeds.c: writes the seed corpus of fuzz_requests into a
 * folder: for every method of csperfd's method table, a well-formed request
 * (the first byte picks the method, as fuzz_requests reads it), and for
 * LoadRecords each kind of stream message, with a batch holding a valid-shaped
 * record of every type. With a second argument, a file of "kind<TAB>params"
 * lines (the catalogue's definitions, extracted by make_corpus.sh), it also
 * writes one PutIndicator request per definition.
 *
 *   fuzz_request_seeds OUTDIR [DEFINITIONS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "schema.h"

#include "csperf/v1/access.pb-c.h"
#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/records.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"

static const char *outdir;
static int written;

static size_t method_index(const char *path)
{
	size_t n;
	const rpc_method *methods = handlers_methods(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(methods[i].path, path) == 0)
			return i;
	fprintf(stderr, "fuzz_request_seeds: no method %s\n", path);
	exit(1);
}

static void write_seed(size_t method, const ProtobufCMessage *msg, const char *name)
{
	size_t size = protobuf_c_message_get_packed_size(msg);
	unsigned char *bytes = malloc(size + 1);
	char path[4096];
	FILE *f;

	if (bytes == NULL)
		exit(1);
	bytes[0] = (unsigned char)method;
	protobuf_c_message_pack(msg, bytes + 1);
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(bytes, 1, size + 1, f) != size + 1 || fclose(f) != 0) {
		fprintf(stderr, "fuzz_request_seeds: cannot write %s\n", path);
		exit(1);
	}
	free(bytes);
	written++;
}

/* A value of the right shape for a field of the record schema. */
static const char *sample_value(const csperf_field *field, char *buf, size_t size)
{
	switch (field->kind) {
	case CSPERF_FIELD_DATE:
		return "2018-04-01";
	case CSPERF_FIELD_PARTIAL_DATE:
		return "2018-04";
	case CSPERF_FIELD_CODE:
	case CSPERF_FIELD_CODES:
		return field->codes != NULL && field->codes->codes[0] != NULL
			? field->codes->codes[0] : "X";
	case CSPERF_FIELD_INT:
		snprintf(buf, size, "%lld", field->has_range ? (long long)field->min_value : 1LL);
		return buf;
	case CSPERF_FIELD_DECIMAL:
		snprintf(buf, size, "%.2f", field->has_range ? field->min_value : 1.5);
		return buf;
	case CSPERF_FIELD_BOOL:
		return "true";
	default:
		return "A1";
	}
}

static void load_seeds(void)
{
	size_t method = method_index("/csperf.v1.Performance/LoadRecords");
	Csperf__V1__LoadRecordsRequest req = CSPERF__V1__LOAD_RECORDS_REQUEST__INIT;
	Csperf__V1__LoadHeader header = CSPERF__V1__LOAD_HEADER__INIT;
	Csperf__V1__SourceFile file = CSPERF__V1__SOURCE_FILE__INIT;
	Csperf__V1__SourceFields fields = CSPERF__V1__SOURCE_FIELDS__INIT;
	Csperf__V1__RecordBatch batch = CSPERF__V1__RECORD_BATCH__INIT;
	Csperf__V1__Record records[CSPERF_RECORD_TYPE_LAST];
	Csperf__V1__Record *record_ptrs[CSPERF_RECORD_TYPE_LAST];
	static char values[CSPERF_RECORD_TYPE_LAST][64][32];
	static char *value_ptrs[CSPERF_RECORD_TYPE_LAST][64];
	static char *names[] = { "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE" };

	header.council = "975";
	header.source = "ssda903";
	header.label = "SSDA903 2018-19";
	header.idempotency_key = "seed-1";
	header.schema_version = CSPERF_RECORD_SCHEMA_VERSION;
	header.council_name = "Walsall";
	header.council_nation = "england";
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_HEADER;
	req.header = &header;
	write_seed(method, &req.base, "load_header");

	file.index = 0;
	file.path = "returns/2018-19/episodes.csv";
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FILE;
	req.file = &file;
	write_seed(method, &req.base, "load_file");

	fields.file = 0;
	fields.type = CSPERF_RECORD_LA_EPISODE;
	fields.n_names = sizeof(names) / sizeof(names[0]);
	fields.names = names;
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_FIELDS;
	req.fields = &fields;
	write_seed(method, &req.base, "load_fields");

	for (int t = 1; t <= CSPERF_RECORD_TYPE_LAST; t++) {
		const csperf_record_schema *schema = csperf_schema_by_type((csperf_record_type)t);
		Csperf__V1__Record *r = &records[batch.n_records];

		if (schema == NULL || schema->nfields > 64)
			continue;
		csperf__v1__record__init(r);
		r->type = t;
		r->file = 0;
		r->line = (uint64_t)t + 1;
		for (size_t f = 0; f < schema->nfields; f++) {
			char number[32];

			snprintf(values[t - 1][f], sizeof(values[t - 1][f]), "%s",
				 sample_value(&schema->fields[f], number, sizeof(number)));
			value_ptrs[t - 1][f] = values[t - 1][f];
		}
		r->n_values = schema->nfields;
		r->values = value_ptrs[t - 1];
		record_ptrs[batch.n_records++] = r;
	}
	batch.records = record_ptrs;
	req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_BATCH;
	req.batch = &batch;
	write_seed(method, &req.base, "load_batch");

	{
		Csperf__V1__LoadEnd end = CSPERF__V1__LOAD_END__INIT;

		end.records = batch.n_records;
		req.item_case = CSPERF__V1__LOAD_RECORDS_REQUEST__ITEM_END;
		req.end = &end;
		write_seed(method, &req.base, "load_end");
	}
}

/* Flat requests: string fields by name, numbers 1, booleans true. */
static const char *value_for(const char *name)
{
	static const char *const known[][2] = {
		{ "council", "975" }, { "period", "2018-19:Q4" }, { "from", "2017-18" },
		{ "to", "2018-19" }, { "indicator_id", "CN02" }, { "stage", "child_protection" },
		{ "org_unit", "council" }, { "period_type", "quarter" }, { "name", "ops team" },
		{ "role", "analyst" }, { "since", "2019-01-01" }, { "principal", "ops" },
		{ "service", "csperf.v1.Performance" }, { "list", "contacts" },
		{ "as_at", "2019-03-31" }, { "part", "numerator" }, { "nation", "england" },
		{ "region", "West Midlands" }, { "councils", "975" }, { "neighbours", "976" },
		{ "localities", "north" },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i][0], name) == 0)
			return known[i][1];
	return "x";
}

static void flat_seed(const rpc_method *m, size_t index)
{
	const ProtobufCMessageDescriptor *desc = m->request;
	void *msg = calloc(1, desc->sizeof_message);
	char *strings[64];
	char name[160];
	const char *slash = strrchr(m->path, '/');

	if (msg == NULL)
		exit(1);
	desc->message_init(msg);
	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &desc->fields[i];
		char *member = (char *)msg + f->offset;

		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			if (f->type == PROTOBUF_C_TYPE_STRING && i < 64) {
				strings[i] = (char *)value_for(f->name);
				*(size_t *)((char *)msg + f->quantifier_offset) = 1;
				*(char ***)member = &strings[i];
			}
			continue;
		}
		switch (f->type) {
		case PROTOBUF_C_TYPE_STRING:
			*(const char **)member = value_for(f->name);
			break;
		case PROTOBUF_C_TYPE_BOOL:
			*(protobuf_c_boolean *)member = 1;
			break;
		case PROTOBUF_C_TYPE_INT32:
		case PROTOBUF_C_TYPE_UINT32:
		case PROTOBUF_C_TYPE_ENUM:
			*(int32_t *)member = 1;
			break;
		case PROTOBUF_C_TYPE_INT64:
		case PROTOBUF_C_TYPE_UINT64:
			*(int64_t *)member = 1;
			break;
		default:
			break;
		}
	}
	snprintf(name, sizeof(name), "%s", slash != NULL ? slash + 1 : m->path);
	write_seed(index, msg, name);
	free(msg);
}

static void indicator_seed(const char *kind, const char *params, int n)
{
	Csperf__V1__PutIndicatorRequest req = CSPERF__V1__PUT_INDICATOR_REQUEST__INIT;
	Csperf__V1__Indicator ind = CSPERF__V1__INDICATOR__INIT;
	Csperf__V1__Target target = CSPERF__V1__TARGET__INIT;
	Csperf__V1__Target *targets[1] = { &target };
	static char *types[] = { "quarter", "year" };
	char name[64];

	ind.indicator_id = "XX01";
	ind.title = "A seed";
	ind.stage = "child_protection";
	ind.unit = "count";
	ind.polarity = "up";
	ind.kind = (char *)kind;
	ind.params_json = (char *)params;
	ind.n_period_types = 2;
	ind.period_types = types;
	target.year = "2018-19";
	target.target = 90;
	target.tolerance = 5;
	ind.n_targets = 1;
	ind.targets = targets;
	ind.definition = "What it counts, in words.";
	ind.source = "seed";
	req.indicator = &ind;
	snprintf(name, sizeof(name), "put_indicator_%03d", n);
	write_seed(method_index("/csperf.v1.Performance/PutIndicator"), &req.base, name);
}

static void comparator_seed(void)
{
	Csperf__V1__LoadComparatorsRequest req = CSPERF__V1__LOAD_COMPARATORS_REQUEST__INIT;
	Csperf__V1__ComparatorFigure a = CSPERF__V1__COMPARATOR_FIGURE__INIT;
	Csperf__V1__ComparatorFigure b = CSPERF__V1__COMPARATOR_FIGURE__INIT;
	Csperf__V1__ComparatorFigure *figures[2] = { &a, &b };

	a.indicator_id = "CN02";
	a.area_type = "england";
	a.area = "England";
	a.period = "2018-19";
	a.value = 21.5;
	a.source = "DfE 2019";
	a.line = 2;
	b = a;
	b.area_type = "statistical_neighbours";
	b.area = "975";
	b.period = "fy:2018-19";
	b.line = 3;
	req.n_figures = 2;
	req.figures = figures;
	write_seed(method_index("/csperf.v1.Performance/LoadComparators"), &req.base,
		   "load_comparators");
}

int main(int argc, char **argv)
{
	size_t n;
	const rpc_method *methods;

	if (argc < 2) {
		fprintf(stderr, "usage: fuzz_request_seeds OUTDIR [DEFINITIONS]\n");
		return 1;
	}
	outdir = argv[1];
	methods = handlers_methods(&n);
	for (size_t i = 0; i < n; i++)
		if (methods[i].kind != RPC_CLIENT_STREAM)
			flat_seed(&methods[i], i);
	load_seeds();
	comparator_seed();
	indicator_seed("count", "{\"record\": \"contact\", \"date\": \"contact_date\"}", 0);
	if (argc > 2) {
		FILE *f = fopen(argv[2], "r");
		char line[8192];
		int count = 1;

		while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
			char *tab = strchr(line, '\t');

			if (tab == NULL)
				continue;
			*tab = '\0';
			tab[1 + strcspn(tab + 1, "\n")] = '\0';
			indicator_seed(line, tab + 1, count++);
		}
		if (f != NULL)
			fclose(f);
	}
	/* An authorization header, for the last choice of the first byte. */
	{
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/authorization", outdir);
		f = fopen(path, "wb");
		if (f != NULL) {
			fputc((int)n, f);
			fputs("Bearer csperf_0123456789abcdef0123456789abcdef0123456789abcdef"
			      "0123456789abcdef", f);
			fclose(f);
			written++;
		}
	}
	printf("fuzz_request_seeds: %d seeds in %s\n", written, outdir);
	return 0;
}
