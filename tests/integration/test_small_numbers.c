/*
 * test_small_numbers.c: no count from 1 to the suppression threshold
 * reaches a role that must not see small numbers, by any RPC, and no
 * computed average across councils shows another council's figures.
 *
 * Against a real csperfd whose councils hold the hand-built journeys
 * (tests/fixtures/journeys: 57 children, so most counts are small):
 *
 * - every RPC of the service descriptor is called as scrutiny (each with the
 *   requests a scrutiny member can make, for every indicator and period
 *   type, or refused), and every field of every reply message, streamed
 *   ones included, is walked by reflection over the protobuf-c
 *   descriptors: no count from 1 to 4, every figure an admin receives but
 *   scrutiny does not is marked suppressed, and a rate or percentage whose
 *   numerator or denominator (in any period: previous, year ago, last year,
 *   trend) is a small count is absent;
 * - "other councils in csperf" and "statistical neighbours in csperf" are
 *   shown only with at least 3 contributing councils, and never to scrutiny
 *   when a contributor's count is small.
 *
 * Calls go through gRPC core directly, as any client's would.
 */
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csperf/access.h>
#include <csperf/scorecards.h>

#include "fixture.h"
#include "periods.h"
#include "raw_call.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/scorecards.pb-c.h"
#include "csperf/v1/service.pb-c.h"

#define COUNCIL "990"
#define THRESHOLD 4

static fixture_pg pg;
static fixture_server server;
static grpc_channel *channel;
static char server_env[128];
static char admin_auth[160], scrutiny_auth[160], reader_auth[160];

static const ProtobufCMethodDescriptor *method_named(const char *name)
{
	const ProtobufCServiceDescriptor *service = &csperf__v1__performance__descriptor;

	for (unsigned i = 0; i < service->n_methods; i++)
		if (strcmp(service->methods[i].name, name) == 0)
			return &service->methods[i];
	fail_msg("no method %s", name);
	return NULL;
}

static void call_named(const char *name, const ProtobufCMessage *request, const char *auth,
		       replies *r)
{
	char path[128];

	snprintf(path, sizeof(path), "/csperf.v1.Performance/%s", name);
	raw_call(channel, path, request, method_named(name)->output, auth, r);
}

/* ---- what admin sees: each indicator's unit and each period's counts ---- */

typedef struct known_value {
	char key[48];   /* "EH01|2019-20:Q3" */
	double numerator, denominator;
	bool has_numerator, has_denominator;
} known_value;

static struct {
	char ids[256][20];
	char units[256][16];
	size_t nids;
	known_value *values;
	size_t nvalues;
} known;

static const char *const series_types[] = { "quarter", "month", "year", "rolling12", "ytd" };

static const char *unit_of(const char *id)
{
	for (size_t i = 0; i < known.nids; i++)
		if (strcmp(known.ids[i], id) == 0)
			return known.units[i];
	return "";
}

static bool small_count(bool present, double v)
{
	return present && v >= 1 && v <= THRESHOLD;
}

/* Whether an indicator's value for a period rests on a small count. */
static bool rests_on_small(const char *id, const char *period)
{
	char key[48];

	snprintf(key, sizeof(key), "%s|%s", id, period);
	for (size_t i = 0; i < known.nvalues; i++)
		if (strcmp(known.values[i].key, key) == 0)
			return small_count(known.values[i].has_numerator, known.values[i].numerator) ||
			       small_count(known.values[i].has_denominator,
					   known.values[i].denominator);
	return false;
}

static void learn_indicators(void)
{
	Csperf__V1__ListIndicatorsRequest req = CSPERF__V1__LIST_INDICATORS_REQUEST__INIT;
	replies r;

	if (known.nids > 0)
		return;
	call_named("ListIndicators", &req.base, admin_auth, &r);
	assert_int_equal(r.status, GRPC_STATUS_OK);
	for (size_t i = 0; i < r.count; i++) {
		Csperf__V1__ListIndicatorsResponse *list = (void *)r.items[i];

		for (size_t k = 0; k < list->n_indicators && known.nids < 256; k++) {
			snprintf(known.ids[known.nids], 20, "%s", list->indicators[k]->indicator_id);
			snprintf(known.units[known.nids], 16, "%s", list->indicators[k]->unit);
			known.nids++;
		}
	}
	replies_free(&r);
	assert_true(known.nids > 50);
	/* Every value of every indicator, as admin sees it. */
	for (size_t i = 0; i < known.nids; i++) {
		for (size_t t = 0; t < sizeof(series_types) / sizeof(series_types[0]); t++) {
			Csperf__V1__GetIndicatorSeriesRequest sreq =
				CSPERF__V1__GET_INDICATOR_SERIES_REQUEST__INIT;
			Csperf__V1__GetIndicatorSeriesResponse *s;

			sreq.council = COUNCIL;
			sreq.indicator_id = known.ids[i];
			sreq.period_type = (char *)series_types[t];
			call_named("GetIndicatorSeries", &sreq.base, admin_auth, &r);
			assert_int_equal(r.status, GRPC_STATUS_OK);
			s = (void *)r.items[0];
			known.values = realloc(known.values,
					       (known.nvalues + s->n_points) * sizeof(known_value));
			assert_non_null(known.values);
			for (size_t p = 0; p < s->n_points; p++) {
				known_value *v = &known.values[known.nvalues];

				if (s->points[p]->breakdown[0] != '\0')
					continue;
				snprintf(v->key, sizeof(v->key), "%s|%s", known.ids[i],
					 s->points[p]->period);
				v->has_numerator = s->points[p]->numerator->present;
				v->numerator = s->points[p]->numerator->value;
				v->has_denominator = s->points[p]->denominator->present;
				v->denominator = s->points[p]->denominator->value;
				known.nvalues++;
			}
			replies_free(&r);
		}
	}
}

/* ---- the walk ---- */

typedef struct walk_result {
	size_t figures, marked, fields;
	char failure[512];
} walk_result;

static void failed(walk_result *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void failed(walk_result *w, const char *fmt, ...)
{
	va_list ap;

	if (w->failure[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(w->failure, sizeof(w->failure), fmt, ap);
	va_end(ap);
}

/* Plain numeric fields that are not counts of children, by name. */
static bool not_a_count_field(const char *name)
{
	static const char *const names[] = {
		"version", "schema_version", "uptime_seconds", "small_number_threshold",
		"sort_order", "target", "tolerance",
		/* a comparator's rank among councils and how many councils or
		 * neighbours an average is over (docs/COMPARATORS.md) */
		"rank", "ranked", "quartile", "contributors",
		/* WatchScorecard's update number (docs/DASHBOARD.md) */
		"sequence", NULL
	};

	for (size_t i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static bool is_integer_small(double v)
{
	return v == floor(v) && v >= 1 && v <= THRESHOLD;
}

static const char *string_field(const ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);

	if (f == NULL || f->type != PROTOBUF_C_TYPE_STRING || f->label == PROTOBUF_C_LABEL_REPEATED)
		return NULL;
	return *(const char *const *)((const char *)m + f->offset);
}

/* Whether a figure under field `name` of message `parent`, in a row of
 * `unit`, is a count of children. */
static bool figure_is_count(const ProtobufCMessage *parent, const char *name, const char *unit)
{
	if (strcmp(name, "numerator") == 0 || strcmp(name, "denominator") == 0)
		return true;
	if (strcmp(name, "target") == 0 || strcmp(name, "tolerance") == 0)
		return false;
	/* A breakdown row's value is its share of the total, in percent. */
	if (parent->descriptor == &csperf__v1__breakdown_row__descriptor)
		return false;
	return unit == NULL || unit[0] == '\0' || strcmp(unit, "count") == 0;
}

static void walk(const ProtobufCMessage *m, const char *unit, const char *path, walk_result *w);

static void walk_figure(const ProtobufCMessage *parent, const char *name,
			const Csperf__V1__Figure *f, const char *unit, const char *path,
			walk_result *w)
{
	w->figures++;
	if (f->suppressed) {
		w->marked++;
		if (f->present)
			failed(w, "%s.%s is marked suppressed but present", path, name);
	}
	if (f->present && figure_is_count(parent, name, unit) && is_integer_small(f->value))
		failed(w, "%s.%s is a count of %g (unit %s)", path, name, f->value,
		       unit != NULL ? unit : "?");
}

static void walk_field(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd,
		       const void *value, const char *unit, const char *path, walk_result *w)
{
	char sub[512];
	double v;

	w->fields++;
	switch (fd->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
		if (*(ProtobufCMessage *const *)value == NULL)
			return;
		if (fd->descriptor == &csperf__v1__figure__descriptor) {
			walk_figure(m, fd->name, *(Csperf__V1__Figure *const *)value, unit, path, w);
			return;
		}
		if (fd->label == PROTOBUF_C_LABEL_REPEATED)
			snprintf(sub, sizeof(sub), "%s", path);
		else
			snprintf(sub, sizeof(sub), "%s.%s", path, fd->name);
		walk(*(ProtobufCMessage *const *)value, unit, sub, w);
		return;
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
		v = *(const int32_t *)value;
		break;
	case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
		v = *(const uint32_t *)value;
		break;
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
		v = (double)*(const int64_t *)value;
		break;
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
		v = (double)*(const uint64_t *)value;
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		v = *(const double *)value;
		break;
	case PROTOBUF_C_TYPE_FLOAT:
		v = *(const float *)value;
		break;
	default:
		return;   /* strings, bools, enums, bytes: no count */
	}
	if (!not_a_count_field(fd->name) && is_integer_small(v))
		failed(w, "%s.%s is a count of %g", path, fd->name, v);
}

static void walk(const ProtobufCMessage *m, const char *unit, const char *path, walk_result *w)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *own_unit = string_field(m, "unit");

	if (own_unit != NULL && own_unit[0] != '\0')
		unit = own_unit;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];
		const char *member = (const char *)m + fd->offset;

		if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
		    *(const uint32_t *)((const char *)m + fd->quantifier_offset) != fd->id)
			continue;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)((const char *)m + fd->quantifier_offset);
			const char *items = *(const char *const *)member;
			size_t step = fd->type == PROTOBUF_C_TYPE_MESSAGE ? sizeof(void *)
				: fd->type == PROTOBUF_C_TYPE_STRING ? sizeof(char *)
				: fd->type == PROTOBUF_C_TYPE_DOUBLE || fd->type == PROTOBUF_C_TYPE_INT64
				  || fd->type == PROTOBUF_C_TYPE_UINT64 || fd->type == PROTOBUF_C_TYPE_SINT64
				  || fd->type == PROTOBUF_C_TYPE_FIXED64
				  || fd->type == PROTOBUF_C_TYPE_SFIXED64 ? 8 : 4;
			char sub[512];

			for (size_t k = 0; k < n; k++) {
				snprintf(sub, sizeof(sub), "%s.%s[%zu]", path, fd->name, k);
				walk_field(m, fd, items + k * step, unit, sub, w);
			}
		} else {
			walk_field(m, fd, member, unit, path, w);
		}
	}
}

/* Every figure admin receives and scrutiny does not is marked suppressed:
 * the two replies walked side by side (repeated fields of another length,
 * such as comparators shown to one and not the other, are not compared). */
static void compare(const ProtobufCMessage *admin, const ProtobufCMessage *scrutiny,
		    const char *path, walk_result *w)
{
	const ProtobufCMessageDescriptor *d = admin->descriptor;

	if (d == &csperf__v1__figure__descriptor) {
		const Csperf__V1__Figure *a = (const void *)admin, *s = (const void *)scrutiny;

		if (a->present && !s->present && !s->suppressed)
			failed(w, "%s is absent for scrutiny but not marked suppressed", path);
		return;
	}
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];
		char sub[512];

		if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t na = *(const size_t *)((const char *)admin + fd->quantifier_offset);
			size_t ns = *(const size_t *)((const char *)scrutiny + fd->quantifier_offset);
			ProtobufCMessage *const *ia =
				*(ProtobufCMessage *const *const *)((const char *)admin + fd->offset);
			ProtobufCMessage *const *is =
				*(ProtobufCMessage *const *const *)((const char *)scrutiny + fd->offset);

			for (size_t k = 0; na == ns && k < na; k++) {
				snprintf(sub, sizeof(sub), "%s.%s[%zu]", path, fd->name, k);
				compare(ia[k], is[k], sub, w);
			}
		} else {
			const ProtobufCMessage *a =
				*(ProtobufCMessage *const *)((const char *)admin + fd->offset);
			const ProtobufCMessage *s =
				*(ProtobufCMessage *const *)((const char *)scrutiny + fd->offset);

			snprintf(sub, sizeof(sub), "%s.%s", path, fd->name);
			if (a != NULL && s != NULL)
				compare(a, s, sub, w);
		}
	}
}

/* The derived rule on a scorecard row: a figure of a period whose
 * numerator or denominator is a small count is absent for scrutiny. */
static void check_row_periods(const Csperf__V1__ScorecardRow *row, walk_result *w)
{
	report_period asked, previous, year_ago, year, last_year;
	char err[128];
	struct { const char *name; const report_period *period; const Csperf__V1__Figure *f; }
		checks[4];

	if (period_parse(row->period, &asked, err, sizeof(err)) != 0) {
		failed(w, "row %s: period %s does not parse", row->indicator_id, row->period);
		return;
	}
	period_shift(&asked, true, &previous);
	period_shift(&asked, false, &year_ago);
	period_containing(PERIOD_YEAR, asked.start, &year);
	period_shift(&year, true, &last_year);
	checks[0].name = "value", checks[0].period = &asked, checks[0].f = row->value;
	checks[1].name = "previous", checks[1].period = &previous, checks[1].f = row->previous;
	checks[2].name = "year_ago", checks[2].period = &year_ago, checks[2].f = row->year_ago;
	checks[3].name = "last_year", checks[3].period = &last_year, checks[3].f = row->last_year;
	for (size_t i = 0; i < 4; i++)
		if (rests_on_small(row->indicator_id, checks[i].period->label) &&
		    (checks[i].f->present || !checks[i].f->suppressed))
			failed(w, "%s %s (%s) rests on a small count but is %s", row->indicator_id,
			       checks[i].name, checks[i].period->label,
			       checks[i].f->present ? "shown" : "not marked suppressed");
	for (size_t i = 0; i < row->n_trend; i++)
		if (rests_on_small(row->indicator_id, row->trend[i]->period) &&
		    row->trend[i]->value->present)
			failed(w, "%s trend %s rests on a small count but is shown",
			       row->indicator_id, row->trend[i]->period);
}

static void check_rows(const ProtobufCMessage *m, walk_result *w)
{
	if (m->descriptor == &csperf__v1__get_scorecard_response__descriptor) {
		const Csperf__V1__GetScorecardResponse *s = (const void *)m;

		for (size_t i = 0; i < s->n_rows; i++)
			check_row_periods(s->rows[i], w);
	} else if (m->descriptor == &csperf__v1__get_exceptions_response__descriptor) {
		const Csperf__V1__GetExceptionsResponse *e = (const void *)m;

		for (size_t i = 0; i < e->n_exceptions; i++)
			check_row_periods(e->exceptions[i]->row, w);
	}
}

/* Calls as scrutiny and as admin, and checks scrutiny's replies. */
/* A stream that never ends (WatchScorecard) is read to its first message,
 * the whole scorecard, which comes at once. */
#define OPEN_STREAM_MS 30000

static void call_for_walk(const char *name, const ProtobufCMessage *request, const char *auth,
			  replies *r)
{
	char path[128];

	if (strcmp(name, "WatchScorecard") != 0) {
		call_named(name, request, auth, r);
		return;
	}
	snprintf(path, sizeof(path), "/csperf.v1.Performance/%s", name);
	raw_call_within(channel, path, request, method_named(name)->output, auth,
			(int64_t)(OPEN_STREAM_MS * fixture_time_scale()), 1, r);
	if (r->status == GRPC_STATUS_CANCELLED && r->count == 1)
		r->status = GRPC_STATUS_OK;
}

static void check_call(const char *method, const ProtobufCMessage *request, const char *unit,
		       walk_result *total)
{
	replies as_scrutiny, as_admin;
	walk_result w;

	memset(&w, 0, sizeof(w));
	call_for_walk(method, request, scrutiny_auth, &as_scrutiny);
	call_for_walk(method, request, admin_auth, &as_admin);
	if (as_scrutiny.status == GRPC_STATUS_PERMISSION_DENIED) {
		assert_int_equal(as_scrutiny.count, 0);
		replies_free(&as_admin);
		return;
	}
	if (as_scrutiny.status != GRPC_STATUS_OK)
		fail_msg("%s as scrutiny: status %d %s", method, as_scrutiny.status,
			 as_scrutiny.message);
	assert_int_equal(as_admin.status, GRPC_STATUS_OK);
	assert_int_equal(as_scrutiny.count, as_admin.count);
	for (size_t i = 0; i < as_scrutiny.count; i++) {
		walk(as_scrutiny.items[i], unit, method, &w);
		compare(as_admin.items[i], as_scrutiny.items[i], method, &w);
		check_rows(as_scrutiny.items[i], &w);
	}
	if (w.failure[0] != '\0')
		fail_msg("%s: %s", method, w.failure);
	total->figures += w.figures;
	total->marked += w.marked;
	total->fields += w.fields;
	replies_free(&as_scrutiny);
	replies_free(&as_admin);
}

static const char *const periods[] = {
	"2019-20:Q1", "2019-20:Q2", "2019-20:Q3", "2019-20:Q4", "2019-20", "2020-21:Q1",
	"2019-12", "2020-02", "r12:2020-03", "ytd:2019-12", NULL
};

static void test_no_small_count_reaches_scrutiny(void **state)
{
	const ProtobufCServiceDescriptor *service = &csperf__v1__performance__descriptor;
	walk_result total;

	(void)state;
	memset(&total, 0, sizeof(total));
	learn_indicators();
	for (unsigned i = 0; i < service->n_methods; i++) {
		const ProtobufCMethodDescriptor *m = &service->methods[i];

		if (strcmp(m->name, "GetScorecard") == 0 || strcmp(m->name, "WatchScorecard") == 0) {
			for (size_t p = 0; periods[p] != NULL; p++) {
				Csperf__V1__GetScorecardRequest req =
					CSPERF__V1__GET_SCORECARD_REQUEST__INIT;

				req.council = COUNCIL;
				req.period = (char *)periods[p];
				check_call(m->name, &req.base, NULL, &total);
			}
		} else if (strcmp(m->name, "GetExceptions") == 0) {
			for (size_t p = 0; periods[p] != NULL; p++) {
				Csperf__V1__GetExceptionsRequest req =
					CSPERF__V1__GET_EXCEPTIONS_REQUEST__INIT;

				req.council = COUNCIL;
				req.period = (char *)periods[p];
				check_call(m->name, &req.base, NULL, &total);
			}
		} else if (strcmp(m->name, "GetReportCards") == 0) {
			/* Report cards (issue 19): a period is required. */
			for (size_t p = 0; periods[p] != NULL; p++) {
				Csperf__V1__GetReportCardsRequest req =
					CSPERF__V1__GET_REPORT_CARDS_REQUEST__INIT;

				req.council = COUNCIL;
				req.period = (char *)periods[p];
				req.history = true;
				check_call(m->name, &req.base, NULL, &total);
			}
		} else if (strcmp(m->name, "GetIndicatorSeries") == 0) {
			for (size_t k = 0; k < known.nids; k++) {
				for (size_t t = 0; t < sizeof(series_types) / sizeof(series_types[0]);
				     t++) {
					Csperf__V1__GetIndicatorSeriesRequest req =
						CSPERF__V1__GET_INDICATOR_SERIES_REQUEST__INIT;

					req.council = COUNCIL;
					req.indicator_id = known.ids[k];
					req.period_type = (char *)series_types[t];
					check_call(m->name, &req.base, unit_of(known.ids[k]), &total);
				}
			}
		} else if (strcmp(m->name, "GetIndicator") == 0) {
			Csperf__V1__GetIndicatorRequest req = CSPERF__V1__GET_INDICATOR_REQUEST__INIT;

			req.indicator_id = known.ids[0];
			req.history = true;
			check_call(m->name, &req.base, "definition", &total);
		} else {
			/* Every other RPC with a request naming the council (where
			 * it has one): scrutiny is refused, or its replies walked. */
			ProtobufCMessage *req = calloc(1, m->input->sizeof_message);
			const ProtobufCFieldDescriptor *council;

			assert_non_null(req);
			protobuf_c_message_init(m->input, req);
			council = protobuf_c_message_descriptor_get_field_by_name(m->input, "council");
			if (council != NULL && council->label != PROTOBUF_C_LABEL_REPEATED &&
			    council->type == PROTOBUF_C_TYPE_STRING)
				*(const char **)((char *)req + council->offset) = COUNCIL;
			if (strcmp(m->name, "LoadRecords") != 0)
				check_call(m->name, req, "definition", &total);
			free(req);
		}
	}
	print_message("walked %zu fields, %zu figures, %zu marked suppressed\n", total.fields,
		      total.figures, total.marked);
	/* The data has small numbers: the walk saw them suppressed. */
	assert_true(total.marked > 100);
}

/* ---- computed averages across councils ---- */

/* The computed comparators of every row of council's scorecard for a period. */
static size_t computed_comparators(const char *auth, const char *period, const char *area_type,
				   bool check_small)
{
	Csperf__V1__GetScorecardRequest req = CSPERF__V1__GET_SCORECARD_REQUEST__INIT;
	Csperf__V1__GetScorecardResponse *s;
	replies r;
	size_t found = 0;

	req.council = COUNCIL;
	req.period = (char *)period;
	call_named("GetScorecard", &req.base, auth, &r);
	assert_int_equal(r.status, GRPC_STATUS_OK);
	s = (void *)r.items[0];
	for (size_t i = 0; i < s->n_rows; i++) {
		for (size_t c = 0; c < s->rows[i]->n_comparators; c++) {
			const Csperf__V1__Comparator *cmp = s->rows[i]->comparators[c];

			if (strcmp(cmp->source, "computed by csperf") != 0 ||
			    strcmp(cmp->area_type, area_type) != 0)
				continue;
			found++;
			/* Every council holds the same journeys: a contributor's
			 * count is small where this council's is. */
			if (check_small && rests_on_small(s->rows[i]->indicator_id, period))
				fail_msg("%s: a computed average over small counts shown to scrutiny",
					 s->rows[i]->indicator_id);
		}
	}
	replies_free(&r);
	return found;
}

static void load_council(const char *council)
{
	const char *argv[] = { CSPERF_CLI_PATH, "load", "--council", council, "--council-name",
			       "Hand-built journeys", "--nation", "england", "--format", "csv",
			       CSPERF_FIXTURES "/journeys", NULL };
	const char *env[] = { server_env, NULL };
	char *out = NULL, *err = NULL;
	int status = fixture_run(argv, env, &out, &err, 600);

	if (status != 0)
		fail_msg("loading %s: exit %d\n%s\n%s", council, status, out, err);
	free(out);
	free(err);
}

static void set_neighbours(const char *const *neighbours, size_t n)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_council council;

	memset(&council, 0, sizeof(council));
	options.server = server.address;
	options.token = server.token;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	council.council = COUNCIL;
	council.name = "Hand-built journeys";
	council.nation = "england";
	council.region = "";
	council.neighbours = neighbours;
	council.nneighbours = n;
	if (csperf_council_put(client, &council) != CSPERF_OK)
		fail_msg("PutCouncil: %s", csperf_error_last());
	csperf_client_free(client);
}

static void test_averages_need_three_councils(void **state)
{
	const char *one[] = { "991" };
	const char *three[] = { "991", "992", "993" };

	(void)state;
	learn_indicators();
	/* One other council (991) holds data, and is 990's only neighbour:
	 * its figures would be the averages. */
	set_neighbours(one, 1);
	assert_int_equal(computed_comparators(reader_auth, "2019-20", "computed", false), 0);
	assert_int_equal(computed_comparators(reader_auth, "2019-20", "statistical_neighbours",
					      false), 0);
	assert_int_equal(computed_comparators(scrutiny_auth, "2019-20", "computed", false), 0);
	/* Three other councils: shown to a reader, and to scrutiny only where
	 * no contributor's count is small. */
	load_council("992");
	load_council("993");
	set_neighbours(three, 3);
	assert_true(computed_comparators(reader_auth, "2019-20", "computed", false) > 20);
	assert_true(computed_comparators(reader_auth, "2019-20", "statistical_neighbours",
					 false) > 20);
	computed_comparators(scrutiny_auth, "2019-20", "computed", true);
	computed_comparators(scrutiny_auth, "2019-20", "statistical_neighbours", true);
	assert_true(computed_comparators(scrutiny_auth, "2019-20", "computed", true) <
		    computed_comparators(reader_auth, "2019-20", "computed", false));
	/* And the walk sees computed averages in the replies too. */
	test_no_small_count_reaches_scrutiny(state);
}

/* ---- setup ---- */

static void make_token(const char *role, char *auth, size_t size)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;
	csperf_token_options opts = CSPERF_TOKEN_OPTIONS_INIT;
	const char *councils[1] = { COUNCIL };
	csperf_token_secret *secret = NULL;

	options.server = server.address;
	options.token = server.token;
	assert_int_equal(csperf_client_new(&client, &options), CSPERF_OK);
	opts.name = role;
	opts.role = role;
	opts.ncouncils = 1;
	opts.councils = councils;
	if (csperf_token_create(client, &opts, &secret) != CSPERF_OK)
		fail_msg("CreateToken %s: %s", role, csperf_error_last());
	snprintf(auth, size, "Bearer %s", secret->token);
	csperf_token_secret_free(secret);
	csperf_client_free(client);
}

static int setup(void **state)
{
	grpc_channel_credentials *creds;

	(void)state;
	if (fixture_pg_start(&pg) != 0 || fixture_server_start(&server, pg.dsn, NULL) != 0)
		return -1;
	snprintf(server_env, sizeof(server_env), "CSPERF_SERVER=%s", server.address);
	snprintf(admin_auth, sizeof(admin_auth), "Bearer %s", server.token);
	grpc_init();
	creds = grpc_insecure_credentials_create();
	channel = grpc_channel_create(server.address, creds, NULL);
	grpc_channel_credentials_release(creds);
	load_council(COUNCIL);
	load_council("991");
	make_token("scrutiny", scrutiny_auth, sizeof(scrutiny_auth));
	make_token("reader", reader_auth, sizeof(reader_auth));
	return 0;
}

static int teardown(void **state)
{
	int rc = fixture_server_stop(&server, SIGTERM, 30);

	(void)state;
	if (channel != NULL)
		grpc_channel_destroy(channel);
	grpc_shutdown();
	fixture_pg_destroy(&pg);
	free(known.values);
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_small_count_reaches_scrutiny),
		cmocka_unit_test(test_averages_need_three_councils),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
