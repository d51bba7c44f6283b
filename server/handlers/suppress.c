/* suppress.c: the send filter that hides small numbers (suppress.h). */
#include "suppress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "access.h"
#include "../log.h"

#include "csperf/v1/indicators.pb-c.h"
#include "csperf/v1/service.pb-c.h"
#include "grpc/health/v1/health.pb-c.h"

const char *const suppress_not_counts[] = {
	/* identifiers, versions, settings */
	"csperf.v1.GetServerInfoResponse.schema_version",
	"csperf.v1.GetServerInfoResponse.uptime_seconds",
	"csperf.v1.Indicator.version",
	"csperf.v1.Indicator.small_number_threshold",
	"csperf.v1.Indicator.sort_order",
	"csperf.v1.ScorecardRow.version",
	"csperf.v1.ScorecardUpdate.sequence",
	"csperf.v1.ValidationFailure.load_id",
	"csperf.v1.ValidationFailure.record_no",
	"csperf.v1.SeriesPoint.version",
	"csperf.v1.Token.id",
	"csperf.v1.AuditEntry.id",
	"csperf.v1.AuditEntry.principal_id",
	"csperf.v1.LoadSummary.load_id",
	"csperf.v1.DeleteLoadResponse.load_id",
	"csperf.v1.Rejection.record_number",
	"csperf.v1.Rejection.line",
	"csperf.v1.PutIndicatorResponse.councils_recomputed",
	"csperf.v1.PutCouncilResponse.neighbours",
	"csperf.v1.Council.loads",
	"csperf.v1.LoadComparatorsResponse.stored",
	/* a council's own settings and report cards: versions (issue 19) */
	"csperf.v1.CouncilSettings.version",
	"csperf.v1.ReportCard.version",
	/* published statistics: positions and counts of councils and of
	 * published figures, not of children (docs/COMPARATORS.md) */
	"csperf.v1.Comparator.rank",
	"csperf.v1.Comparator.ranked",
	"csperf.v1.Comparator.quartile",
	"csperf.v1.Comparator.contributors",
	"csperf.v1.ImportComparatorsResponse.figures_new",
	"csperf.v1.ImportComparatorsResponse.figures_replaced",
	"csperf.v1.ImportComparatorsResponse.figures_unchanged",
	"csperf.v1.ImportComparatorsResponse.no_figure",
	"csperf.v1.ImportComparatorsResponse.rows_skipped",
	"csperf.v1.ImportComparatorsResponse.neighbours",
	/* a council's targets, in the indicator's unit (Figures of a row too) */
	"csperf.v1.Target.target",
	"csperf.v1.Target.tolerance",
	"csperf.v1.ScorecardRow.target",
	"csperf.v1.ScorecardRow.tolerance",
	/* money and days */
	"csperf.v1.PlacementCostFigures.actual_pence",
	"csperf.v1.PlacementCostFigures.committed_pence",
	"csperf.v1.PlacementCostFigures.forecast_pence",
	"csperf.v1.PlacementCostFigures.gross_forecast_pence",
	"csperf.v1.PlacementCostFigures.health_forecast_pence",
	"csperf.v1.PlacementCostFigures.education_forecast_pence",
	"csperf.v1.PlacementCostFigures.budget_pence",
	"csperf.v1.PlacementCostFigures.variance_pence",
	"csperf.v1.PlacementCostFigures.average_weekly_cost_pence",
	"csperf.v1.PlacementCostFigures.over_threshold_actual_pence",
	"csperf.v1.PlacementCostFigures.over_threshold_forecast_pence",
	"csperf.v1.GetPlacementCostsResponse.threshold_pence",
	"csperf.v1.PlacementCostLine.actual_days",
	"csperf.v1.PlacementCostLine.committed_days",
	"csperf.v1.PlacementCostLine.actual_pence",
	"csperf.v1.PlacementCostLine.committed_pence",
	"csperf.v1.PlacementCostLine.forecast_pence",
	"csperf.v1.PlacementCostLine.gross_forecast_pence",
	"csperf.v1.PlacementCostLine.health_forecast_pence",
	"csperf.v1.PlacementCostLine.education_forecast_pence",
	NULL
};

const char *const suppress_counts[] = {
	/* records behind a figure that fail a DfE rule (VALIDATION.md) */
	"csperf.v1.ScorecardRow.failing_records",
	"csperf.v1.ValidationFailures.records_checked",
	"csperf.v1.ValidationFailures.failures_total",
	"csperf.v1.PlacementCostFigures.children",
	"csperf.v1.PlacementCostFigures.placements",
	"csperf.v1.PlacementCostFigures.open_placements",
	"csperf.v1.PlacementCostFigures.over_threshold_placements",
	"csperf.v1.LoadSummary.accepted",
	"csperf.v1.LoadSummary.rejected",
	"csperf.v1.LoadSummary.rejections_total",
	"csperf.v1.TypeCount.accepted",
	"csperf.v1.TypeCount.rejected",
	"csperf.v1.DeleteLoadResponse.rows_deleted",
	"csperf.v1.DeleteLoadResponse.rows_restored",
	"csperf.v1.AuditEntry.rows_returned",
	NULL
};

static bool listed(const char *const *list, const ProtobufCMessageDescriptor *message,
		   const char *field)
{
	size_t len = strlen(message->name);

	for (size_t i = 0; list[i] != NULL; i++)
		if (strncmp(list[i], message->name, len) == 0 && list[i][len] == '.' &&
		    strcmp(list[i] + len + 1, field) == 0)
			return true;
	return false;
}

static bool small(double value, int threshold)
{
	return value >= 1 && value <= threshold && value == floor(value);
}

static const ProtobufCFieldDescriptor *field_named(const ProtobufCMessage *msg, const char *name)
{
	return protobuf_c_message_descriptor_get_field_by_name(msg->descriptor, name);
}

/* A singular Figure field of msg, or NULL. */
static Csperf__V1__Figure *figure_field(const ProtobufCMessage *msg, const char *name)
{
	const ProtobufCFieldDescriptor *f = field_named(msg, name);

	if (f == NULL || f->label == PROTOBUF_C_LABEL_REPEATED ||
	    f->descriptor != &csperf__v1__figure__descriptor)
		return NULL;
	return *(Csperf__V1__Figure **)((char *)msg + f->offset);
}

static size_t hide(Csperf__V1__Figure *f)
{
	if (f == NULL || !f->present)
		return 0;
	f->present = false;
	f->value = 0;
	f->suppressed = true;
	return 1;
}

static bool small_figure(const Csperf__V1__Figure *f, int threshold)
{
	return f != NULL && f->present && small(f->value, threshold);
}

/* The derived rule: a message's value, numerator and denominator are
 * hidden together when its numerator or denominator is small. */
static size_t hide_derived(ProtobufCMessage *msg, int threshold)
{
	Csperf__V1__Figure *numerator = figure_field(msg, "numerator");
	Csperf__V1__Figure *denominator = figure_field(msg, "denominator");
	const ProtobufCFieldDescriptor *flag = field_named(msg, "suppressed");
	size_t hidden;

	if (!small_figure(numerator, threshold) && !small_figure(denominator, threshold))
		return 0;
	hidden = hide(numerator) + hide(denominator) + hide(figure_field(msg, "value"));
	if (flag != NULL && flag->type == PROTOBUF_C_TYPE_BOOL &&
	    flag->label != PROTOBUF_C_LABEL_REPEATED)
		*(protobuf_c_boolean *)((char *)msg + flag->offset) = 1;
	return hidden;
}

/* Whether a Figure under field `name` of msg, in a message of `unit`, is a
 * count. */
static bool figure_is_count(const ProtobufCMessage *msg, const char *name, const char *unit)
{
	bool has_basis;

	if (strcmp(name, "numerator") == 0 || strcmp(name, "denominator") == 0)
		return true;
	if (listed(suppress_not_counts, msg->descriptor, name))
		return false;
	has_basis = figure_field(msg, "numerator") != NULL || figure_field(msg, "denominator") != NULL;
	if (strcmp(name, "value") == 0 && has_basis) {
		/* Its basis decided above; with none present, a count. */
		const Csperf__V1__Figure *n = figure_field(msg, "numerator");
		const Csperf__V1__Figure *d = figure_field(msg, "denominator");

		return !((n != NULL && n->present) || (d != NULL && d->present));
	}
	return unit == NULL || unit[0] == '\0' || strcmp(unit, "count") == 0;
}

static size_t walk(ProtobufCMessage *msg, const char *unit, int threshold);

static size_t number(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, void *at,
		     int threshold)
{
	double value;

	if (listed(suppress_not_counts, msg->descriptor, f->name))
		return 0;
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
		value = *(int32_t *)at;
		if (small(value, threshold))
			*(int32_t *)at = 0;
		break;
	case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
		value = *(uint32_t *)at;
		if (small(value, threshold))
			*(uint32_t *)at = 0;
		break;
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
		value = (double)*(int64_t *)at;
		if (small(value, threshold))
			*(int64_t *)at = 0;
		break;
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
		value = (double)*(uint64_t *)at;
		if (small(value, threshold))
			*(uint64_t *)at = 0;
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		value = *(double *)at;
		if (small(value, threshold))
			*(double *)at = 0;
		break;
	case PROTOBUF_C_TYPE_FLOAT:
		value = *(float *)at;
		if (small(value, threshold))
			*(float *)at = 0;
		break;
	default:
		return 0;
	}
	return small(value, threshold) ? 1 : 0;
}

static size_t element_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	default:
		return 4;
	}
}

static size_t field(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f, void *at,
		    const char *unit, int threshold)
{
	ProtobufCMessage *sub;

	if (f->type != PROTOBUF_C_TYPE_MESSAGE)
		return number(msg, f, at, threshold);
	sub = *(ProtobufCMessage **)at;
	if (sub == NULL)
		return 0;
	if (f->descriptor == &csperf__v1__figure__descriptor) {
		Csperf__V1__Figure *figure = (Csperf__V1__Figure *)sub;

		return figure_is_count(msg, f->name, unit) && small_figure(figure, threshold)
			? hide(figure) : 0;
	}
	return walk(sub, unit, threshold);
}

static size_t walk(ProtobufCMessage *msg, const char *unit, int threshold)
{
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	const ProtobufCFieldDescriptor *unit_field = field_named(msg, "unit");
	size_t hidden;

	if (unit_field != NULL && unit_field->type == PROTOBUF_C_TYPE_STRING &&
	    unit_field->label != PROTOBUF_C_LABEL_REPEATED) {
		const char *own = *(const char **)((char *)msg + unit_field->offset);

		if (own != NULL && own[0] != '\0')
			unit = own;
	}
	hidden = hide_derived(msg, threshold);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		char *member = (char *)msg + f->offset;

		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
		    *(uint32_t *)((char *)msg + f->quantifier_offset) != f->id)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(size_t *)((char *)msg + f->quantifier_offset);
			char *items = *(char **)member;

			for (size_t k = 0; k < n; k++)
				hidden += field(msg, f, items + k * element_size(f), unit, threshold);
		} else {
			/* proto3 optional (has_) fields and singular scalars alike:
			 * a value of 0 is not a count to hide. */
			hidden += field(msg, f, member, unit, threshold);
		}
	}
	return hidden;
}

size_t suppress_message(ProtobufCMessage *msg, int threshold)
{
	if (msg == NULL || threshold <= 0)
		return 0;
	return walk(msg, NULL, threshold);
}

const ProtobufCMessageDescriptor *suppress_reply_descriptor(const char *method)
{
	static const ProtobufCServiceDescriptor *const services[] = {
		&csperf__v1__performance__descriptor, &grpc__health__v1__health__descriptor,
	};

	if (method == NULL || method[0] != '/')
		return NULL;
	for (size_t s = 0; s < sizeof(services) / sizeof(services[0]); s++) {
		size_t len = strlen(services[s]->name);

		if (strncmp(method + 1, services[s]->name, len) != 0 || method[len + 1] != '/')
			continue;
		for (unsigned m = 0; m < services[s]->n_methods; m++)
			if (strcmp(method + len + 2, services[s]->methods[m].name) == 0)
				return services[s]->methods[m].output;
	}
	return NULL;
}

int suppress_send_filter(rpc_call *call, void *ctx, const uint8_t *packed, size_t size,
			 uint8_t **out, size_t *out_size)
{
	app *a = ctx;
	auth_suppression suppression = access_suppression(call, a);
	const ProtobufCMessageDescriptor *desc;
	ProtobufCMessage *msg;

	*out = NULL;
	*out_size = 0;
	if (!suppression.suppress || suppression.threshold <= 0)
		return 0;
	/* Server reflection describes the API itself (descriptors, service
	 * names), never a figure: it is answered to anyone, token or not. */
	if (strncmp(rpc_call_method(call), "/grpc.reflection.", strlen("/grpc.reflection.")) == 0)
		return 0;
	/* Nothing leaves unchecked: a reply whose type is not known, or that
	 * does not decode, is not sent. */
	desc = suppress_reply_descriptor(rpc_call_method(call));
	if (desc == NULL)
		return -1;
	msg = protobuf_c_message_unpack(desc, NULL, size, packed);
	if (msg == NULL)
		return -1;
	if (suppress_message(msg, suppression.threshold) > 0) {
		*out_size = protobuf_c_message_get_packed_size(msg);
		*out = malloc(*out_size > 0 ? *out_size : 1);
		if (*out == NULL) {
			protobuf_c_message_free_unpacked(msg, NULL);
			return -1;
		}
		protobuf_c_message_pack(msg, *out);
	}
	protobuf_c_message_free_unpacked(msg, NULL);
	return 0;
}
