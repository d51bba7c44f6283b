/*
 * engine.c: indicator kinds: parsing their parameters and writing their SQL.
 *
 * A definition's parameters are checked against the record schema: every
 * field must exist in the record, every code must be in the field's list,
 * every parameter must belong to the kind. The SQL written reads the record
 * views (the current version of each record), joins the periods of
 * pg_temp.engine_period, and returns (label, breakdown, numerator,
 * denominator, value) for each period. Codes and numbers are written into the
 * SQL only after those checks; free text is written as a quoted literal.
 */
#include "engine.h"
#include "../strbuf.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

typedef enum condition_op {
	COND_IN = 1, COND_NOT_IN, COND_IS_NULL, COND_NOT_NULL, COND_EQUALS, COND_RANGE, COND_AGE
} condition_op;

typedef struct condition {
	condition_op op;
	int field;            /* index in the schema; -1 for age */
	char **values;        /* in, not_in, equals */
	size_t nvalues;
	bool has_min, has_max;
	double min, max;
} condition;

struct engine_indicator {
	engine_kind kind;
	const csperf_record_schema *schema;
	int date, start, end, from, to, by, prior_field;
	condition *where;
	size_t nwhere;
	condition *numerator;
	size_t nnumerator;
	bool children;
	bool of_open;         /* rate: open cases, not events */
	bool working_days;
	int within, months, min, min_placements, max_age, care_months, placement_months;
	double threshold;
	char reported_id[32];
	bool needs_child;     /* an age condition joins the child's record */
};

static const struct {
	engine_kind kind;
	const char *name;
} kind_names[] = {
	{ ENGINE_COUNT, "count" },
	{ ENGINE_SNAPSHOT_COUNT, "snapshot_count" },
	{ ENGINE_INTERVAL_COUNT, "interval_count" },
	{ ENGINE_PROPORTION, "proportion" },
	{ ENGINE_SNAPSHOT_PROPORTION, "snapshot_proportion" },
	{ ENGINE_RATE, "rate" },
	{ ENGINE_TIMELINESS, "timeliness" },
	{ ENGINE_AVERAGE_DURATION, "average_duration" },
	{ ENGINE_MEDIAN_DURATION, "median_duration" },
	{ ENGINE_REPEAT_WITHIN, "repeat_within" },
	{ ENGINE_SECOND_SUBSEQUENT, "second_subsequent" },
	{ ENGINE_CHILDREN_WITH_EVENTS, "children_with_events" },
	{ ENGINE_STABILITY_SHORT, "stability_short" },
	{ ENGINE_STABILITY_LONG, "stability_long" },
	{ ENGINE_BREAKDOWN, "breakdown" },
	{ ENGINE_SNAPSHOT_BREAKDOWN, "snapshot_breakdown" },
	{ ENGINE_REPORTED, "reported" },
	{ ENGINE_COST_SUM, "cost_sum" },
	{ ENGINE_COST_AVERAGE, "cost_average" },
	{ ENGINE_COST_COUNT_OVER, "cost_count_over" },
};

#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *engine_kind_name(engine_kind kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kind_names[i].kind == kind)
			return kind_names[i].name;
	return NULL;
}

engine_kind engine_kind_from_name(const char *name)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(kind_names[i].name, name) == 0)
			return kind_names[i].kind;
	return 0;
}

/* What each kind reads. */
typedef enum shape {
	SHAPE_EVENT,     /* record + date */
	SHAPE_OPEN,      /* record + start/end */
	SHAPE_FIXED      /* no record parameter (reported, stability, cost) */
} shape;

static shape kind_shape(engine_kind kind, bool of_open)
{
	switch (kind) {
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_SNAPSHOT_PROPORTION:
	case ENGINE_SNAPSHOT_BREAKDOWN:
		return SHAPE_OPEN;
	case ENGINE_RATE:
		return of_open ? SHAPE_OPEN : SHAPE_EVENT;
	case ENGINE_STABILITY_SHORT:
	case ENGINE_STABILITY_LONG:
	case ENGINE_REPORTED:
	case ENGINE_COST_SUM:
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		return SHAPE_FIXED;
	default:
		return SHAPE_EVENT;
	}
}

/* The parameters each kind takes, beyond record/date/start/end/where. */
static const char *const proportion_params[] = { "numerator", NULL };
static const char *const rate_params[] = { "of", NULL };
static const char *const timeliness_params[] = { "from", "to", "within", "days", NULL };
static const char *const duration_params[] = { "from", "to", NULL };
static const char *const repeat_params[] = { "months", NULL };
static const char *const second_params[] = { "prior_field", NULL };
static const char *const children_params[] = { "min", NULL };
static const char *const breakdown_params[] = { "by", NULL };

static bool kind_takes(engine_kind kind, const char *key)
{
	static const char *const common_event[] = { "record", "date", "where", "children",
						     "start", "end", NULL };
	const char *const *extra = NULL;

	switch (kind) {
	case ENGINE_PROPORTION:
	case ENGINE_SNAPSHOT_PROPORTION:
		extra = proportion_params;
		break;
	case ENGINE_RATE:
		extra = rate_params;
		break;
	case ENGINE_TIMELINESS:
		extra = timeliness_params;
		break;
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_MEDIAN_DURATION:
		extra = duration_params;
		break;
	case ENGINE_REPEAT_WITHIN:
		extra = repeat_params;
		break;
	case ENGINE_SECOND_SUBSEQUENT:
		extra = second_params;
		break;
	case ENGINE_CHILDREN_WITH_EVENTS:
		extra = children_params;
		break;
	case ENGINE_STABILITY_SHORT:
		return strcmp(key, "min_placements") == 0;
	case ENGINE_STABILITY_LONG:
		return strcmp(key, "max_age") == 0 || strcmp(key, "care_months") == 0 ||
		       strcmp(key, "placement_months") == 0;
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN:
		extra = breakdown_params;
		break;
	case ENGINE_REPORTED:
		return strcmp(key, "indicator") == 0;
	case ENGINE_COST_SUM:
	case ENGINE_COST_AVERAGE:
		return strcmp(key, "where") == 0;
	case ENGINE_COST_COUNT_OVER:
		return strcmp(key, "where") == 0 || strcmp(key, "threshold") == 0;
	default:
		break;
	}
	for (size_t i = 0; common_event[i] != NULL; i++)
		if (strcmp(key, common_event[i]) == 0)
			return true;
	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
		if (strcmp(key, extra[i]) == 0)
			return true;
	return false;
}

static void free_conditions(condition *conds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t v = 0; v < conds[i].nvalues; v++)
			free(conds[i].values[v]);
		free(conds[i].values);
	}
	free(conds);
}

void engine_indicator_free(engine_indicator *indicator)
{
	if (indicator == NULL)
		return;
	free_conditions(indicator->where, indicator->nwhere);
	free_conditions(indicator->numerator, indicator->nnumerator);
	free(indicator);
}

static int fail(char *err, size_t errsize, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return -1;
}

/* Looks up a field parameter; kinds lists the field kinds it may have (0
 * ends the list). */
static int field_param(const engine_indicator *ind, json_t *params, const char *key,
		       bool required, const csperf_field_kind *kinds, int *out, char *err,
		       size_t errsize)
{
	json_t *value = json_object_get(params, key);
	int index;

	*out = -1;
	if (value == NULL) {
		if (required)
			return fail(err, errsize, "%s needs '%s', a field of %s",
				    engine_kind_name(ind->kind), key, ind->schema->name);
		return 0;
	}
	if (!json_is_string(value))
		return fail(err, errsize, "'%s' must be a field name", key);
	index = csperf_schema_field_index(ind->schema, json_string_value(value));
	if (index < 0)
		return fail(err, errsize, "'%s': %s has no field %.64s", key, ind->schema->name,
			    json_string_value(value));
	if (kinds != NULL) {
		bool ok = false;

		for (size_t i = 0; kinds[i] != 0; i++)
			if (ind->schema->fields[index].kind == kinds[i])
				ok = true;
		if (!ok)
			return fail(err, errsize, "'%s': %s.%s is a %s field, not one this needs",
				    key, ind->schema->name, ind->schema->fields[index].name,
				    csperf_field_kind_name(ind->schema->fields[index].kind));
	}
	*out = index;
	return 0;
}

static const csperf_field_kind date_kinds[] = { CSPERF_FIELD_DATE, 0 };
static const csperf_field_kind code_kinds[] = { CSPERF_FIELD_CODE, CSPERF_FIELD_CODES, 0 };
static const csperf_field_kind number_kinds[] = { CSPERF_FIELD_INT, CSPERF_FIELD_DECIMAL, 0 };

static int int_param(json_t *params, const char *key, int min, int max, int fallback,
		     bool required, int *out, const char *kind, char *err, size_t errsize)
{
	json_t *value = json_object_get(params, key);

	*out = fallback;
	if (value == NULL) {
		if (required)
			return fail(err, errsize, "%s needs '%s', a whole number from %d to %d", kind,
				    key, min, max);
		return 0;
	}
	if (!json_is_integer(value) || json_integer_value(value) < min ||
	    json_integer_value(value) > max)
		return fail(err, errsize, "'%s' must be a whole number from %d to %d", key, min, max);
	*out = (int)json_integer_value(value);
	return 0;
}

/* Numbers a definition may hold: finite and far from what a double or a
 * PostgreSQL numeric turns into noise (a 1e308 bound is text of 309 digits
 * that no value ever reaches). Ages are whole years a child can be. */
#define NUMBER_LIMIT 1e12
#define AGE_MAX 120

static bool number_within(const json_t *value)
{
	double number = json_number_value(value);

	return json_is_number(value) && number >= -NUMBER_LIMIT && number <= NUMBER_LIMIT;
}

static char *dup_checked(const char *text)
{
	return strdup(text != NULL ? text : "");
}

static int parse_condition(engine_indicator *ind, json_t *obj, condition *c, char *err,
			   size_t errsize)
{
	json_t *field = json_object_get(obj, "field"), *age = json_object_get(obj, "age");
	const csperf_field *f;
	const char *key;
	json_t *value;
	int tests = 0;

	memset(c, 0, sizeof(*c));
	c->field = -1;
	if (!json_is_object(obj))
		return fail(err, errsize, "a condition must be an object");
	if (age != NULL) {
		json_t *min = json_object_get(age, "min"), *max = json_object_get(age, "max");

		if (json_object_size(obj) != 1 || !json_is_object(age) || (min == NULL && max == NULL) ||
		    (min != NULL && !json_is_integer(min)) || (max != NULL && !json_is_integer(max)))
			return fail(err, errsize, "an age condition is {\"age\": {\"min\": n, \"max\": n}}");
		if ((min != NULL && (json_integer_value(min) < 0 || json_integer_value(min) > AGE_MAX)) ||
		    (max != NULL && (json_integer_value(max) < 0 || json_integer_value(max) > AGE_MAX)))
			return fail(err, errsize, "an age is whole years from 0 to %d", AGE_MAX);
		if (csperf_schema_field_index(ind->schema, "child_id") < 0)
			return fail(err, errsize, "%s records have no child, so no age", ind->schema->name);
		c->op = COND_AGE;
		c->has_min = min != NULL;
		c->has_max = max != NULL;
		c->min = min != NULL ? (double)json_integer_value(min) : 0;
		c->max = max != NULL ? (double)json_integer_value(max) : 0;
		ind->needs_child = true;
		return 0;
	}
	if (!json_is_string(field))
		return fail(err, errsize, "a condition needs 'field' (or is an age condition)");
	c->field = csperf_schema_field_index(ind->schema, json_string_value(field));
	if (c->field < 0)
		return fail(err, errsize, "condition: %s has no field %.64s", ind->schema->name,
			    json_string_value(field));
	f = &ind->schema->fields[c->field];
	json_object_foreach(obj, key, value) {
		if (strcmp(key, "field") == 0)
			continue;
		if (strcmp(key, "in") == 0 || strcmp(key, "not_in") == 0) {
			size_t i;
			json_t *code;

			tests++;
			c->op = strcmp(key, "in") == 0 ? COND_IN : COND_NOT_IN;
			if (!json_is_array(value) || json_array_size(value) == 0)
				return fail(err, errsize, "'%s' must be a list of codes", key);
			if (f->codes == NULL)
				return fail(err, errsize, "'%s': %s.%s has no code list", key,
					    ind->schema->name, f->name);
			c->values = calloc(json_array_size(value), sizeof(char *));
			if (c->values == NULL)
				return fail(err, errsize, "out of memory");
			json_array_foreach(value, i, code) {
				if (!json_is_string(code) ||
				    !csperf_code_list_contains(f->codes, json_string_value(code)))
					return fail(err, errsize, "'%s': %.32s is not a %s code", key,
						    json_is_string(code) ? json_string_value(code) : "?",
						    f->codes->name);
				c->values[c->nvalues] = dup_checked(json_string_value(code));
				if (c->values[c->nvalues++] == NULL)
					return fail(err, errsize, "out of memory");
			}
		} else if (strcmp(key, "is_null") == 0) {
			tests++;
			if (!json_is_boolean(value))
				return fail(err, errsize, "'is_null' must be true or false");
			c->op = json_is_true(value) ? COND_IS_NULL : COND_NOT_NULL;
		} else if (strcmp(key, "equals") == 0) {
			tests++;
			c->op = COND_EQUALS;
			if (!json_is_string(value) || strlen(json_string_value(value)) > 200)
				return fail(err, errsize, "'equals' must be text of at most 200 characters");
			if (f->kind == CSPERF_FIELD_BOOL && strcmp(json_string_value(value), "true") != 0 &&
			    strcmp(json_string_value(value), "false") != 0)
				return fail(err, errsize, "'equals': %s is true or false", f->name);
			c->values = calloc(1, sizeof(char *));
			if (c->values == NULL || (c->values[0] = dup_checked(json_string_value(value))) == NULL)
				return fail(err, errsize, "out of memory");
			c->nvalues = 1;
		} else if (strcmp(key, "min") == 0 || strcmp(key, "max") == 0) {
			if (c->op != COND_RANGE)
				tests++;
			c->op = COND_RANGE;
			if (f->kind != CSPERF_FIELD_INT && f->kind != CSPERF_FIELD_DECIMAL)
				return fail(err, errsize, "'%s': %s.%s is not a number", key,
					    ind->schema->name, f->name);
			if (!number_within(value))
				return fail(err, errsize, "'%s' must be a number from -%.0f to %.0f", key,
					    NUMBER_LIMIT, NUMBER_LIMIT);
			if (key[1] == 'i') {
				c->has_min = true;
				c->min = json_number_value(value);
			} else {
				c->has_max = true;
				c->max = json_number_value(value);
			}
		} else {
			return fail(err, errsize, "a condition has no '%.32s': use in, not_in, is_null, "
				    "equals, min or max", key);
		}
	}
	if (tests != 1)
		return fail(err, errsize, "a condition on %s has one test: in, not_in, is_null, "
			    "equals, or min and max", f->name);
	return 0;
}

static int parse_conditions(engine_indicator *ind, json_t *params, const char *key,
			    condition **out, size_t *count, char *err, size_t errsize)
{
	json_t *list = json_object_get(params, key), *item;
	size_t i;

	*out = NULL;
	*count = 0;
	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return fail(err, errsize, "'%s' must be a list of conditions", key);
	*out = calloc(json_array_size(list) + 1, sizeof(condition));
	if (*out == NULL)
		return fail(err, errsize, "out of memory");
	json_array_foreach(list, i, item) {
		(*count)++;
		if (parse_condition(ind, item, &(*out)[i], err, errsize) != 0)
			return -1;
	}
	return 0;
}

int engine_indicator_parse(const char *kind, const char *params_json, engine_indicator **out,
			   char *err, size_t errsize)
{
	engine_indicator *ind;
	json_error_t jerr;
	json_t *params, *value;
	const char *key, *record_name = NULL;
	int rc = -1;

	*out = NULL;
	ind = calloc(1, sizeof(*ind));
	if (ind == NULL)
		return fail(err, errsize, "out of memory");
	ind->date = ind->start = ind->end = ind->from = ind->to = ind->by = ind->prior_field = -1;
	ind->kind = engine_kind_from_name(kind);
	params = json_loads(params_json != NULL && params_json[0] != '\0' ? params_json : "{}",
			    0, &jerr);
	if (ind->kind == 0) {
		fail(err, errsize, "'%.32s' is not a kind of indicator (see docs/indicators.md)", kind);
		goto cleanup;
	}
	if (params == NULL || !json_is_object(params)) {
		fail(err, errsize, "the parameters are not a JSON object%s%s",
		     params == NULL ? ": " : "", params == NULL ? jerr.text : "");
		goto cleanup;
	}
	json_object_foreach(params, key, value) {
		if (!kind_takes(ind->kind, key)) {
			fail(err, errsize, "%s takes no parameter '%.32s'", kind, key);
			goto cleanup;
		}
	}
	if (ind->kind == ENGINE_RATE) {
		json_t *of = json_object_get(params, "of");

		if (of != NULL && (!json_is_string(of) || (strcmp(json_string_value(of), "events") != 0 &&
							  strcmp(json_string_value(of), "open") != 0))) {
			fail(err, errsize, "'of' is events or open");
			goto cleanup;
		}
		ind->of_open = of != NULL && strcmp(json_string_value(of), "open") == 0;
	}

	switch (ind->kind) {
	case ENGINE_STABILITY_SHORT:
	case ENGINE_STABILITY_LONG:
		record_name = "la_episode";
		break;
	case ENGINE_COST_SUM:
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		record_name = "placement_cost";
		break;
	case ENGINE_REPORTED:
		record_name = "reported_figure";
		break;
	default:
		value = json_object_get(params, "record");
		if (!json_is_string(value)) {
			fail(err, errsize, "%s needs 'record', a record type (la_episode, referral, ...)",
			     kind);
			goto cleanup;
		}
		record_name = json_string_value(value);
		break;
	}
	ind->schema = csperf_schema_by_name(record_name);
	if (ind->schema == NULL) {
		fail(err, errsize, "'%.32s' is not a record type", record_name);
		goto cleanup;
	}
	if (json_is_true(json_object_get(params, "children")) &&
	    csperf_schema_field_index(ind->schema, "child_id") < 0) {
		fail(err, errsize, "%s records have no child to count", ind->schema->name);
		goto cleanup;
	}
	ind->children = json_is_true(json_object_get(params, "children"));

	switch (kind_shape(ind->kind, ind->of_open)) {
	case SHAPE_EVENT:
		if (field_param(ind, params, "date", true, date_kinds, &ind->date, err, errsize) != 0)
			goto cleanup;
		break;
	case SHAPE_OPEN:
		if (field_param(ind, params, "start", true, date_kinds, &ind->start, err, errsize) != 0 ||
		    field_param(ind, params, "end", false, date_kinds, &ind->end, err, errsize) != 0)
			goto cleanup;
		break;
	case SHAPE_FIXED:
		break;
	}
	if (parse_conditions(ind, params, "where", &ind->where, &ind->nwhere, err, errsize) != 0 ||
	    parse_conditions(ind, params, "numerator", &ind->numerator, &ind->nnumerator, err,
			     errsize) != 0)
		goto cleanup;
	if ((ind->kind == ENGINE_PROPORTION || ind->kind == ENGINE_SNAPSHOT_PROPORTION) &&
	    ind->nnumerator == 0) {
		fail(err, errsize, "%s needs 'numerator', the conditions of the numerator", kind);
		goto cleanup;
	}

	switch (ind->kind) {
	case ENGINE_TIMELINESS: {
		json_t *days = json_object_get(params, "days");

		if (field_param(ind, params, "from", true, date_kinds, &ind->from, err, errsize) != 0 ||
		    field_param(ind, params, "to", true, date_kinds, &ind->to, err, errsize) != 0 ||
		    int_param(params, "within", 0, 3650, 0, true, &ind->within, kind, err, errsize) != 0)
			goto cleanup;
		if (!json_is_string(days) || (strcmp(json_string_value(days), "working") != 0 &&
					      strcmp(json_string_value(days), "calendar") != 0)) {
			fail(err, errsize, "timeliness needs 'days': working or calendar");
			goto cleanup;
		}
		ind->working_days = strcmp(json_string_value(days), "working") == 0;
		break;
	}
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_MEDIAN_DURATION:
		if (field_param(ind, params, "from", true, date_kinds, &ind->from, err, errsize) != 0 ||
		    field_param(ind, params, "to", true, date_kinds, &ind->to, err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_REPEAT_WITHIN:
		if (int_param(params, "months", 1, 120, 0, true, &ind->months, kind, err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_SECOND_SUBSEQUENT:
		if (field_param(ind, params, "prior_field", false, number_kinds, &ind->prior_field,
				err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_CHILDREN_WITH_EVENTS:
		if (int_param(params, "min", 1, 1000, 0, true, &ind->min, kind, err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_STABILITY_SHORT:
		if (int_param(params, "min_placements", 2, 100, 3, false, &ind->min_placements, kind,
			      err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_STABILITY_LONG:
		if (int_param(params, "max_age", 1, 25, 16, false, &ind->max_age, kind, err, errsize) != 0 ||
		    int_param(params, "care_months", 1, 240, 30, false, &ind->care_months, kind, err,
			      errsize) != 0 ||
		    int_param(params, "placement_months", 1, 240, 24, false, &ind->placement_months,
			      kind, err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN:
		if (field_param(ind, params, "by", true, code_kinds, &ind->by, err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_REPORTED:
		value = json_object_get(params, "indicator");
		if (value != NULL) {
			const char *id = json_is_string(value) ? json_string_value(value) : "";

			if (strlen(id) < 2 || strlen(id) > 16 || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(id)) {
				fail(err, errsize, "'indicator' must be an indicator id such as WF01");
				goto cleanup;
			}
			snprintf(ind->reported_id, sizeof(ind->reported_id), "%s", id);
		}
		break;
	case ENGINE_COST_COUNT_OVER: {
		json_t *threshold = json_object_get(params, "threshold");

		if (!number_within(threshold) || json_number_value(threshold) < 0) {
			fail(err, errsize, "cost_count_over needs 'threshold', pounds a week from 0 to "
			     "%.0f", NUMBER_LIMIT);
			goto cleanup;
		}
		ind->threshold = json_number_value(threshold);
		break;
	}
	default:
		break;
	}
	*out = ind;
	ind = NULL;
	rc = 0;
cleanup:
	json_decref(params);
	engine_indicator_free(ind);
	return rc;
}

/* ---- SQL ---- */

/* A string literal in the escape form, E'...', with quotes and backslashes
 * doubled: it reads the same whatever standard_conforming_strings says (the
 * store sets it on as well), so a definition's text cannot end it early. */
static void add_literal(strbuf *s, const char *text)
{
	strbuf_add(s, "E'");
	for (const char *p = text; *p != '\0'; p++)
		strbuf_add(s, *p == '\'' ? "''" : *p == '\\' ? "\\\\" : "%c", *p);
	strbuf_add(s, "'");
}

static const char *fname(const engine_indicator *ind, int field)
{
	return ind->schema->fields[field].name;
}

/* One condition on alias `e`; `refdate` is the date ages are taken on. */
static void add_condition(strbuf *s, const engine_indicator *ind, const condition *c,
			  const char *refdate)
{
	switch (c->op) {
	case COND_IN:
	case COND_NOT_IN:
		if (ind->schema->fields[c->field].kind == CSPERF_FIELD_CODES) {
			/* any of the listed codes among the space-separated ones */
			strbuf_add(s, "%s(string_to_array(e.%s, ' ') && ARRAY[", c->op == COND_IN ? "coalesce(" : "NOT coalesce(",
			    fname(ind, c->field));
			for (size_t i = 0; i < c->nvalues; i++) {
				strbuf_add(s, "%s", i > 0 ? ", " : "");
				add_literal(s, c->values[i]);
			}
			strbuf_add(s, "]::text[], false)");
			break;
		}
		strbuf_add(s, "e.%s %s (", fname(ind, c->field), c->op == COND_IN ? "IN" : "NOT IN");
		for (size_t i = 0; i < c->nvalues; i++) {
			strbuf_add(s, "%s", i > 0 ? ", " : "");
			add_literal(s, c->values[i]);
		}
		strbuf_add(s, ")");
		if (c->op == COND_NOT_IN)
			strbuf_add(s, " IS NOT FALSE");  /* an absent code is not one of them */
		break;
	case COND_IS_NULL:
		strbuf_add(s, "e.%s IS NULL", fname(ind, c->field));
		break;
	case COND_NOT_NULL:
		strbuf_add(s, "e.%s IS NOT NULL", fname(ind, c->field));
		break;
	case COND_EQUALS:
		strbuf_add(s, "e.%s::text = ", fname(ind, c->field));
		add_literal(s, c->values[0]);
		break;
	case COND_RANGE:
		strbuf_add(s, "(true");
		if (c->has_min)
			strbuf_add(s, " AND e.%s >= %.17g", fname(ind, c->field), c->min);
		if (c->has_max)
			strbuf_add(s, " AND e.%s <= %.17g", fname(ind, c->field), c->max);
		strbuf_add(s, ")");
		break;
	case COND_AGE:
		strbuf_add(s, "(true");
		if (c->has_min)
			strbuf_add(s, " AND date_part('year', age(%s, c.birth_date)) >= %d", refdate, (int)c->min);
		if (c->has_max)
			strbuf_add(s, " AND date_part('year', age(%s, c.birth_date)) <= %d", refdate, (int)c->max);
		strbuf_add(s, ")");
		break;
	}
}

static void add_conditions(strbuf *s, const engine_indicator *ind, const condition *conds,
			   size_t n, const char *refdate)
{
	for (size_t i = 0; i < n; i++) {
		strbuf_add(s, " AND ");
		add_condition(s, ind, &conds[i], refdate);
	}
}

/* Snapshot kinds depend only on a period's last day, which periods share
 * (a month, its rolling year, its year to date, and a quarter or a year may
 * all end on 31 March): they are computed once per last day. */
static bool by_end_date(const engine_indicator *ind)
{
	switch (ind->kind) {
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_SNAPSHOT_PROPORTION:
	case ENGINE_SNAPSHOT_BREAKDOWN:
	case ENGINE_STABILITY_SHORT:
	case ENGINE_STABILITY_LONG:
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		return true;
	case ENGINE_RATE:
		return ind->of_open;
	default:
		return false;
	}
}

/* The periods an indicator is computed over, as `p` (label, end_date, ...). */
static const char *period_source(const engine_indicator *ind)
{
	return by_end_date(ind) ? "pg_temp.engine_end_date p" : "pg_temp.engine_period p";
}

/* The records in each period: FROM periods p JOIN view e ON ... [child c].
 * Events reach their periods through their month (pg_temp.engine_period_month
 * lists the months of each period), an equality the database can hash, so
 * the work grows with the events, not events x periods. */
static void add_from(strbuf *s, const engine_indicator *ind, shape how)
{
	if (how == SHAPE_EVENT) {
		strbuf_add(s, " FROM pg_temp.engine_period_month pm JOIN pg_temp.engine_period p ON "
		    "p.label = pm.label JOIN %s e ON e.council = $1 AND date_trunc('month', e.%s)::date "
		    "= pm.month", ind->schema->name, fname(ind, ind->date));
	} else if (ind->kind == ENGINE_INTERVAL_COUNT) {
		strbuf_add(s, " FROM %s JOIN %s e ON e.council = $1 AND e.%s <= p.end_date", period_source(ind),
		    ind->schema->name, fname(ind, ind->start));
		if (ind->end >= 0)
			strbuf_add(s, " AND (e.%s IS NULL OR e.%s >= p.start_date)", fname(ind, ind->end),
			    fname(ind, ind->end));
	} else {
		strbuf_add(s, " FROM %s JOIN %s e ON e.council = $1 AND e.%s <= p.end_date", period_source(ind),
		    ind->schema->name, fname(ind, ind->start));
		if (ind->end >= 0)
			strbuf_add(s, " AND (e.%s IS NULL OR e.%s > p.end_date)", fname(ind, ind->end),
			    fname(ind, ind->end));
	}
	if (ind->needs_child)
		strbuf_add(s, " LEFT JOIN child c ON c.council = e.council AND c.child_id = e.child_id");
}

static const char *refdate(const engine_indicator *ind, shape how)
{
	static __thread char buffer[80];

	if (how == SHAPE_EVENT) {
		snprintf(buffer, sizeof(buffer), "e.%s", fname(ind, ind->date));
		return buffer;
	}
	return "p.end_date";
}

static const char *counted(const engine_indicator *ind)
{
	return ind->children ? "DISTINCT e.child_id" : "*";
}

/* The cases an interval kind measures: both dates given, the second not
 * before the first; for working days, each date's place in the council's
 * calendar (cf, ct). Shared by the figures and their cases. */
static void add_interval_where(strbuf *s, const engine_indicator *ind)
{
	if (ind->kind == ENGINE_TIMELINESS && ind->working_days)
		strbuf_add(s, " JOIN calendar_day cf ON cf.nation = (SELECT nation FROM council WHERE "
		    "la_code = $1) AND cf.day = e.%s JOIN calendar_day ct ON ct.nation = cf.nation "
		    "AND ct.day = e.%s", fname(ind, ind->from), fname(ind, ind->to));
	strbuf_add(s, " WHERE e.%s IS NOT NULL AND e.%s IS NOT NULL AND e.%s >= e.%s",
	    fname(ind, ind->from), fname(ind, ind->to), fname(ind, ind->to), fname(ind, ind->from));
}

/* The cohort of stability_short and its placements in the twelve months to
 * the last day: episodes overlapping them that began a placement (every
 * reason but L, a change of legal status only), and at least the one the
 * child is in. Shared by the figure and its cases. */
static void add_stability_short_from(strbuf *s, const engine_indicator *ind)
{
	strbuf_add(s, " FROM %s JOIN la_episode e ON e.council = $1 AND e.start_date <= p.end_date AND "
	    "(e.end_date IS NULL OR e.end_date > p.end_date) AND e.legal_status NOT IN ('V3', 'V4') "
	    "CROSS JOIN LATERAL (SELECT greatest(1, count(*) FILTER (WHERE e2.new_episode_reason "
	    "<> 'L')) AS n FROM la_episode e2 WHERE e2.council = e.council AND e2.child_id = "
	    "e.child_id AND e2.start_date <= p.end_date AND (e2.end_date IS NULL OR e2.end_date >= "
	    "(p.end_date - interval '1 year' + interval '1 day')::date)) pl WHERE true",
	    period_source(ind));
}

/* The cohort of stability_long: children under max_age on the last day,
 * looked after then (not on short breaks) and continuously since their care
 * began (their latest episode with reason S) at least care_months before;
 * st.placement_start is when their placement began (their latest episode
 * that began one), or, when placed for adoption (A3 to A6), when the one
 * before it did (the DfE's rule). Shared by the figure and its cases. */
static void add_stability_long_from(strbuf *s, const engine_indicator *ind)
{
	strbuf_add(s, " FROM %s JOIN la_episode e ON e.council = $1 AND e.start_date <= "
	    "p.end_date AND (e.end_date IS NULL OR e.end_date > p.end_date) AND e.legal_status NOT "
	    "IN ('V3', 'V4') JOIN child c ON c.council = e.council AND c.child_id = e.child_id AND "
	    "date_part('year', age(p.end_date, c.birth_date)) < %d CROSS JOIN LATERAL (SELECT "
	    "max(e2.start_date) FILTER (WHERE e2.new_episode_reason = 'S') AS care_start, "
	    "CASE WHEN e.placement_type IN ('A3', 'A4', 'A5', 'A6') THEN coalesce((array_agg("
	    "e2.start_date ORDER BY e2.start_date DESC) FILTER (WHERE e2.new_episode_reason <> "
	    "'L'))[2], max(e2.start_date) FILTER (WHERE e2.new_episode_reason <> 'L')) ELSE "
	    "max(e2.start_date) FILTER (WHERE e2.new_episode_reason <> 'L') END AS placement_start "
	    "FROM la_episode e2 WHERE e2.council = e.council AND e2.child_id = e.child_id AND "
	    "e2.start_date <= p.end_date) st WHERE st.care_start <= (p.end_date - interval '%d "
	    "months')::date", period_source(ind), ind->max_age, ind->care_months);
}

/* Whether an event kind's figure adds up over months: counts of events
 * (not of distinct children), sums and counts. Such figures are counted once
 * per month and the months summed into each period: each event is looked at
 * once, not once for each of the (up to 27) periods that contain it. */
static bool by_month(const engine_indicator *ind)
{
	if (kind_shape(ind->kind, ind->of_open) != SHAPE_EVENT || ind->children)
		return false;
	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_RATE:
	case ENGINE_PROPORTION:
	case ENGINE_TIMELINESS:
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT:
	case ENGINE_BREAKDOWN:
		return true;
	default:
		return false;
	}
}

/* The events of the periods computed, counted by month: SELECT month,
 * <aggregates> FROM view e ... WHERE <conditions>; the caller adds GROUP BY.
 * Only events within the periods' dates are read. */
static void add_month_from(strbuf *s, const engine_indicator *ind, const char *aggregates)
{
	const char *date = fname(ind, ind->date);

	strbuf_add(s, "SELECT date_trunc('month', e.%s)::date AS month, %s FROM %s e", date, aggregates,
	    ind->schema->name);
	if (ind->needs_child)
		strbuf_add(s, " LEFT JOIN child c ON c.council = e.council AND c.child_id = e.child_id");
	if (ind->kind == ENGINE_TIMELINESS || ind->kind == ENGINE_AVERAGE_DURATION)
		add_interval_where(s, ind);
	else
		strbuf_add(s, " WHERE true");
	strbuf_add(s, " AND e.council = $1 AND e.%s >= (SELECT min(start_date) FROM pg_temp.engine_period) "
	    "AND e.%s <= (SELECT max(end_date) FROM pg_temp.engine_period)", date, date);
	add_conditions(s, ind, ind->where, ind->nwhere, refdate(ind, SHAPE_EVENT));
}

/* Sums the months of by_month's query m into each period. */
static void add_month_sum(strbuf *s)
{
	strbuf_add(s, ") m JOIN pg_temp.engine_period_month pm ON pm.month = m.month GROUP BY pm.label");
}

/* The inner query of a by_month kind. */
static void add_inner_by_month(strbuf *s, const engine_indicator *ind)
{
	const char *ref = refdate(ind, SHAPE_EVENT);

	switch (ind->kind) {
	case ENGINE_BREAKDOWN: {
		char code[96];

		if (ind->schema->fields[ind->by].kind == CSPERF_FIELD_CODES)
			snprintf(code, sizeof(code), "g.code");
		else
			snprintf(code, sizeof(code), "e.%s", fname(ind, ind->by));
		strbuf_add(s, "SELECT label, code AS breakdown, n::numeric AS num, (sum(n) FILTER (WHERE "
		    "code = '') OVER (PARTITION BY label))::numeric AS den FROM (SELECT pm.label, "
		    "m.code, sum(m.n) AS n FROM (SELECT month, code, count(*) AS n FROM (");
		{
			char aggregates[160];

			snprintf(aggregates, sizeof(aggregates), "coalesce(%s, 'not recorded') AS code",
				 code);
			strbuf_add(s, "SELECT date_trunc('month', e.%s)::date AS month, %s FROM %s e",
			    fname(ind, ind->date), aggregates, ind->schema->name);
		}
		if (ind->needs_child)
			strbuf_add(s, " LEFT JOIN child c ON c.council = e.council AND c.child_id = e.child_id");
		if (code[0] == 'g')
			strbuf_add(s, " LEFT JOIN LATERAL unnest(string_to_array(e.%s, ' ')) AS g(code) ON true",
			    fname(ind, ind->by));
		strbuf_add(s, " WHERE e.council = $1 AND e.%s >= (SELECT min(start_date) FROM "
		    "pg_temp.engine_period) AND e.%s <= (SELECT max(end_date) FROM pg_temp.engine_period)",
		    fname(ind, ind->date), fname(ind, ind->date));
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, ") y GROUP BY 1, 2 UNION ALL ");
		add_month_from(s, ind, "'' AS code, count(*) AS n");
		strbuf_add(s, " GROUP BY 1, 2");
		add_month_sum(s);
		strbuf_add(s, ", m.code) b");
		return;
	}
	case ENGINE_COUNT:
	case ENGINE_RATE:
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, NULL::numeric "
		    "AS den FROM (");
		add_month_from(s, ind, "count(*) AS num");
		break;
	case ENGINE_PROPORTION:
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		{
			strbuf aggregates = STRBUF_INIT;

			strbuf_add(&aggregates, "count(*) FILTER (WHERE true");
			add_conditions(&aggregates, ind, ind->numerator, ind->nnumerator, ref);
			strbuf_add(&aggregates, ") AS num, count(*) AS den");
			if (aggregates.failed) {
				s->failed = true;
				return;
			}
			add_month_from(s, ind, aggregates.text);
			free(aggregates.text);
		}
		break;
	case ENGINE_TIMELINESS: {
		char aggregates[256];

		if (ind->working_days)
			snprintf(aggregates, sizeof(aggregates), "count(*) FILTER (WHERE ct.wd_index - "
				 "cf.wd_index <= %d) AS num, count(*) AS den", ind->within);
		else
			snprintf(aggregates, sizeof(aggregates), "count(*) FILTER (WHERE e.%s - e.%s <= "
				 "%d) AS num, count(*) AS den", fname(ind, ind->to), fname(ind, ind->from),
				 ind->within);
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		add_month_from(s, ind, aggregates);
		break;
	}
	case ENGINE_AVERAGE_DURATION: {
		char aggregates[256];

		snprintf(aggregates, sizeof(aggregates), "sum(e.%s - e.%s) AS num, count(*) AS den",
			 fname(ind, ind->to), fname(ind, ind->from));
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		add_month_from(s, ind, aggregates);
		break;
	}
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT: {
		const char *date = fname(ind, ind->date);
		strbuf aggregates = STRBUF_INIT;

		strbuf_add(&aggregates, "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM %s e2 WHERE e2.council = "
		    "e.council AND e2.child_id = e.child_id AND e2.%s < e.%s", ind->schema->name, date,
		    date);
		if (ind->kind == ENGINE_REPEAT_WITHIN)
			strbuf_add(&aggregates, " AND e2.%s >= e.%s - interval '%d months'", date, date,
			    ind->months);
		strbuf_add(&aggregates, ")");
		if (ind->prior_field >= 0)
			strbuf_add(&aggregates, " OR e.%s > 0", fname(ind, ind->prior_field));
		strbuf_add(&aggregates, ") AS num, count(*) AS den");
		if (aggregates.failed) {
			s->failed = true;
			return;
		}
		strbuf_add(s, "SELECT pm.label, ''::text AS breakdown, sum(m.num)::numeric AS num, "
		    "sum(m.den)::numeric AS den FROM (");
		add_month_from(s, ind, aggregates.text);
		free(aggregates.text);
		break;
	}
	default:
		s->failed = true;
		return;
	}
	strbuf_add(s, " GROUP BY 1");
	add_month_sum(s);
}

/* The inner query: (label, breakdown, num, den) per period with data. */
static void add_inner(strbuf *s, const engine_indicator *ind)
{
	shape how = kind_shape(ind->kind, ind->of_open);
	const char *ref = how == SHAPE_FIXED ? "p.end_date" : refdate(ind, how);

	if (by_month(ind)) {
		add_inner_by_month(s, ind);
		return;
	}
	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_RATE:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(%s)::numeric AS num, "
		    "NULL::numeric AS den", counted(ind));
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_PROPORTION:
	case ENGINE_SNAPSHOT_PROPORTION:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(%s) FILTER (WHERE true",
		    counted(ind));
		add_conditions(s, ind, ind->numerator, ind->nnumerator, ref);
		strbuf_add(s, ")::numeric AS num, count(%s)::numeric AS den", counted(ind));
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_TIMELINESS:
		if (ind->working_days)
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE "
			    "ct.wd_index - cf.wd_index <= %d)::numeric AS num, count(*)::numeric AS den",
			    ind->within);
		else
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE "
			    "e.%s - e.%s <= %d)::numeric AS num, count(*)::numeric AS den",
			    fname(ind, ind->to), fname(ind, ind->from), ind->within);
		add_from(s, ind, how);
		add_interval_where(s, ind);
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_MEDIAN_DURATION:
		if (ind->kind == ENGINE_AVERAGE_DURATION)
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, sum(e.%s - e.%s)::numeric AS num, "
			    "count(*)::numeric AS den", fname(ind, ind->to), fname(ind, ind->from));
		else
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, percentile_cont(0.5) WITHIN GROUP "
			    "(ORDER BY e.%s - e.%s)::numeric AS num, count(*)::numeric AS den",
			    fname(ind, ind->to), fname(ind, ind->from));
		add_from(s, ind, how);
		add_interval_where(s, ind);
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT: {
		const char *date = fname(ind, ind->date);

		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE EXISTS (SELECT 1 "
		    "FROM %s e2 WHERE e2.council = e.council AND e2.child_id = e.child_id AND "
		    "e2.%s < e.%s", ind->schema->name, date, date);
		if (ind->kind == ENGINE_REPEAT_WITHIN)
			strbuf_add(s, " AND e2.%s >= e.%s - interval '%d months'", date, date, ind->months);
		strbuf_add(s, ")");
		if (ind->prior_field >= 0)
			strbuf_add(s, " OR e.%s > 0", fname(ind, ind->prior_field));
		strbuf_add(s, ")::numeric AS num, count(*)::numeric AS den");
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label");
		break;
	}
	case ENGINE_CHILDREN_WITH_EVENTS:
		strbuf_add(s, "SELECT label, ''::text AS breakdown, count(*) FILTER (WHERE n >= %d)::numeric "
		    "AS num, NULL::numeric AS den FROM (SELECT p.label, e.child_id, count(*) AS n",
		    ind->min);
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label, e.child_id) y GROUP BY label");
		break;
	case ENGINE_STABILITY_SHORT:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE pl.n >= %d)::numeric "
		    "AS num, count(*)::numeric AS den", ind->min_placements);
		add_stability_short_from(s, ind);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_STABILITY_LONG:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE st.placement_start "
		    "<= (p.end_date - interval '%d months')::date)::numeric AS num, count(*)::numeric AS den",
		    ind->placement_months);
		add_stability_long_from(s, ind);
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN: {
		char code[96];

		/* A codes field (several codes in one value) counts once per code. */
		if (ind->schema->fields[ind->by].kind == CSPERF_FIELD_CODES)
			snprintf(code, sizeof(code), "g.code");
		else
			snprintf(code, sizeof(code), "e.%s", fname(ind, ind->by));
		strbuf_add(s, "SELECT label, code AS breakdown, n::numeric AS num, (sum(n) FILTER (WHERE "
		    "code = '') OVER (PARTITION BY label))::numeric AS den FROM (SELECT p.label, "
		    "coalesce(%s, 'not recorded') AS code, count(%s) AS n", code, counted(ind));
		add_from(s, ind, how);
		if (code[0] == 'g')
			strbuf_add(s, " LEFT JOIN LATERAL unnest(string_to_array(e.%s, ' ')) AS g(code) ON true",
			    fname(ind, ind->by));
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label, 2 UNION ALL SELECT p.label, '' AS code, count(%s) AS n",
		    counted(ind));
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY p.label) b");
		break;
	}
	case ENGINE_REPORTED:
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, max(r.value)::numeric AS num, "
		    "NULL::numeric AS den FROM pg_temp.engine_period p JOIN reported_figure r ON "
		    "r.council = $1 AND r.indicator_id = ");
		if (ind->reported_id[0] != '\0')
			add_literal(s, ind->reported_id);
		else
			strbuf_add(s, "$2");
		/* Council-wide figures: org_unit "council", or the council's own code. */
		strbuf_add(s, " AND r.org_unit IN ('council', '', $1) AND r.period_start = p.start_date AND "
		    "r.period_end = p.end_date GROUP BY p.label");
		break;
	case ENGINE_COST_SUM:
		/* Whole pennies per cost line, as GetPlacementCosts has them
		 * (placement_cost_net_pence, migrations/0007_finance.sql). */
		strbuf_add(s, "SELECT p.label, ''::text AS breakdown, (sum(placement_cost_net_pence("
		    "e.weekly_cost, e.health_contribution, e.education_contribution, "
		    "least(coalesce(e.end_date, p.end_date), p.end_date) - greatest(e.start_date, "
		    "p.start_date) + 1)) / 100.0)::numeric(16, 2) AS num, NULL::numeric "
		    "AS den FROM pg_temp.engine_period p JOIN placement_cost e ON e.council = $1 AND "
		    "e.start_date <= p.end_date AND (e.end_date IS NULL OR e.end_date >= p.start_date) "
		    "WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, "p.end_date");
		strbuf_add(s, " GROUP BY p.label");
		break;
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		if (ind->kind == ENGINE_COST_AVERAGE)
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, sum(e.weekly_cost)::numeric AS num, "
			    "count(*)::numeric AS den");
		else
			strbuf_add(s, "SELECT p.label, ''::text AS breakdown, count(*) FILTER (WHERE "
			    "e.weekly_cost > %.17g)::numeric AS num, NULL::numeric AS den", ind->threshold);
		strbuf_add(s, " FROM %s JOIN placement_cost e ON e.council = $1 AND "
		    "e.start_date <= p.end_date AND (e.end_date IS NULL OR e.end_date >= p.end_date) "
		    "WHERE true", period_source(ind));
		add_conditions(s, ind, ind->where, ind->nwhere, "p.end_date");
		strbuf_add(s, " GROUP BY p.label");
		break;
	}
}

/* How each kind turns numerator and denominator into its value. */
static const char *value_expression(engine_kind kind)
{
	switch (kind) {
	case ENGINE_PROPORTION:
	case ENGINE_SNAPSHOT_PROPORTION:
	case ENGINE_TIMELINESS:
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT:
	case ENGINE_STABILITY_SHORT:
	case ENGINE_STABILITY_LONG:
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN:
		return "round(100.0 * x.num / nullif(x.den, 0), 4)";
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_COST_AVERAGE:
		return "round(x.num / nullif(x.den, 0), 4)";
	default:
		return "x.num";
	}
}

char *engine_indicator_sql(const engine_indicator *ind)
{
	strbuf s = STRBUF_INIT;
	const char *join;
	bool zero_fill;

	/* Counts are 0 in a period without events; a reported figure that was
	 * not reported is absent, not 0. */
	zero_fill = ind->kind != ENGINE_REPORTED && ind->kind != ENGINE_MEDIAN_DURATION;
	join = by_end_date(ind) ? "x.label = p.end_date::text" : "x.label = p.label";
	strbuf_add(&s, "WITH x AS (");
	add_inner(&s, ind);
	strbuf_add(&s, ") ");
	if (ind->kind == ENGINE_RATE) {
		/* The denominator: the latest under-18 estimate for a year up to
		 * the period's last. */
		strbuf_add(&s, "SELECT p.label, ''::text AS breakdown, coalesce(x.num, 0) AS numerator, "
		    "pop.n AS denominator, round(10000.0 * coalesce(x.num, 0) / nullif(pop.n, 0), 4) AS "
		    "value FROM pg_temp.engine_period p LEFT JOIN x ON %s LEFT JOIN "
		    "LATERAL (SELECT under_18_estimate::numeric AS n FROM population WHERE council = $1 "
		    "AND year <= extract(year FROM p.end_date) ORDER BY year DESC LIMIT 1) pop ON true",
		    join);
	} else if (ind->kind == ENGINE_BREAKDOWN || ind->kind == ENGINE_SNAPSHOT_BREAKDOWN) {
		/* The '' row is the total; each code's share is of it. */
		strbuf_add(&s, "SELECT p.label, coalesce(x.breakdown, '') AS breakdown, coalesce(x.num, 0) AS "
		    "numerator, CASE WHEN coalesce(x.breakdown, '') = '' THEN NULL ELSE x.den END AS "
		    "denominator, CASE WHEN coalesce(x.breakdown, '') = '' THEN coalesce(x.num, 0) ELSE "
		    "%s END AS value FROM pg_temp.engine_period p LEFT JOIN x ON %s",
		    value_expression(ind->kind), join);
	} else {
		bool has_denominator = strcmp(value_expression(ind->kind), "x.num") != 0 ||
				       ind->kind == ENGINE_MEDIAN_DURATION;

		strbuf_add(&s, "SELECT p.label, ''::text AS breakdown, %s AS numerator, %s AS denominator, "
		    "%s AS value FROM pg_temp.engine_period p LEFT JOIN x ON %s",
		    zero_fill ? "coalesce(x.num, 0)" : "x.num",
		    has_denominator ? "coalesce(x.den, 0)" : "x.den",
		    has_denominator ? value_expression(ind->kind)
				    : zero_fill ? "coalesce(x.num, 0)" : "x.num", join);
	}
	if (s.failed) {
		free(s.text);
		return NULL;
	}
	return s.text;
}

/* ---- what a change to the records can reach ---- */

void engine_indicator_reads(const engine_indicator *ind, bool *reads)
{
	reads[ind->schema->type] = true;
	if (ind->needs_child || ind->kind == ENGINE_STABILITY_LONG)
		reads[CSPERF_RECORD_CHILD] = true;
	if (ind->kind == ENGINE_RATE)
		reads[CSPERF_RECORD_POPULATION] = true;
}

int engine_indicator_reach_back_months(const engine_indicator *ind)
{
	/* See engine.h: no kind judges an event by later records. */
	(void)ind;
	return 0;
}

/* ---- the cases behind a figure ---- */

bool engine_indicator_has_denominator(const engine_indicator *ind)
{
	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_CHILDREN_WITH_EVENTS:
	case ENGINE_COST_SUM:
	case ENGINE_COST_COUNT_OVER:
	case ENGINE_REPORTED:
	case ENGINE_RATE:            /* its denominator is a population estimate */
		return false;
	default:
		return true;
	}
}

bool engine_indicator_has_cases(const engine_indicator *ind)
{
	return ind->kind != ENGINE_REPORTED;
}

/* The condition list as one SQL boolean ("true" when empty). */
static void add_all(strbuf *s, const engine_indicator *ind, const condition *conds, size_t n,
		    const char *ref)
{
	strbuf_add(s, "(true");
	add_conditions(s, ind, conds, n, ref);
	strbuf_add(s, ")");
}

/* The rows of one case query: (child_id, case_date, in_numerator, detail,
 * team). Uses the same joins and conditions as the figure's SQL. */
static void add_case_rows(strbuf *s, const engine_indicator *ind)
{
	shape how = kind_shape(ind->kind, ind->of_open);
	const char *ref = how == SHAPE_FIXED ? "p.end_date" : refdate(ind, how);
	int team = csperf_schema_field_index(ind->schema, "team");
	char team_expr[64];
	char date_expr[96];

	snprintf(team_expr, sizeof(team_expr), "%s", team >= 0 ? "e.team" : "NULL::text");
	if (how == SHAPE_EVENT)
		snprintf(date_expr, sizeof(date_expr), "e.%s", fname(ind, ind->date));
	else if (how == SHAPE_OPEN)
		snprintf(date_expr, sizeof(date_expr), "e.%s", fname(ind, ind->start));
	else
		snprintf(date_expr, sizeof(date_expr), "e.start_date");

	switch (ind->kind) {
	case ENGINE_COUNT:
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_RATE:
	case ENGINE_BREAKDOWN:
	case ENGINE_SNAPSHOT_BREAKDOWN:
	case ENGINE_PROPORTION:
	case ENGINE_SNAPSHOT_PROPORTION:
		strbuf_add(s, "SELECT e.child_id, %s AS case_date, ", date_expr);
		if (ind->kind == ENGINE_PROPORTION || ind->kind == ENGINE_SNAPSHOT_PROPORTION)
			add_all(s, ind, ind->numerator, ind->nnumerator, ref);
		else
			strbuf_add(s, "true");
		strbuf_add(s, " AS in_numerator, ");
		if (ind->kind == ENGINE_BREAKDOWN || ind->kind == ENGINE_SNAPSHOT_BREAKDOWN)
			strbuf_add(s, "'%s ' || coalesce(e.%s, 'not recorded')", fname(ind, ind->by),
			    fname(ind, ind->by));
		else if (how == SHAPE_OPEN)
			strbuf_add(s, "'%s ' || e.%s || CASE WHEN %s THEN ', ' || '%s ' || coalesce(e.%s::text, "
			    "'none') ELSE '' END", fname(ind, ind->start), fname(ind, ind->start),
			    ind->end >= 0 ? "true" : "false",
			    ind->end >= 0 ? fname(ind, ind->end) : "", ind->end >= 0 ? fname(ind, ind->end)
							       : fname(ind, ind->start));
		else
			strbuf_add(s, "'%s ' || e.%s", fname(ind, ind->date), fname(ind, ind->date));
		strbuf_add(s, " AS detail, %s AS team", team_expr);
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	case ENGINE_TIMELINESS:
		strbuf_add(s, "SELECT e.child_id, %s AS case_date, ", date_expr);
		if (ind->working_days)
			strbuf_add(s, "ct.wd_index - cf.wd_index <= %d AS in_numerator, '%s ' || e.%s || ' to %s ' "
			    "|| e.%s || ': ' || (ct.wd_index - cf.wd_index) || ' working days, ' || CASE WHEN "
			    "ct.wd_index - cf.wd_index <= %d THEN 'within' ELSE 'outside' END || ' %d' AS "
			    "detail", ind->within, fname(ind, ind->from), fname(ind, ind->from),
			    fname(ind, ind->to), fname(ind, ind->to), ind->within, ind->within);
		else
			strbuf_add(s, "e.%s - e.%s <= %d AS in_numerator, '%s ' || e.%s || ' to %s ' || e.%s || "
			    "': ' || (e.%s - e.%s) || ' days, ' || CASE WHEN e.%s - e.%s <= %d THEN 'within' "
			    "ELSE 'outside' END || ' %d' AS detail", fname(ind, ind->to),
			    fname(ind, ind->from), ind->within, fname(ind, ind->from), fname(ind, ind->from),
			    fname(ind, ind->to), fname(ind, ind->to), fname(ind, ind->to),
			    fname(ind, ind->from), fname(ind, ind->to), fname(ind, ind->from), ind->within,
			    ind->within);
		strbuf_add(s, ", %s AS team", team_expr);
		add_from(s, ind, how);
		add_interval_where(s, ind);
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	case ENGINE_AVERAGE_DURATION:
	case ENGINE_MEDIAN_DURATION:
		strbuf_add(s, "SELECT e.child_id, %s AS case_date, true AS in_numerator, '%s ' || e.%s || ' to "
		    "%s ' || e.%s || ': ' || (e.%s - e.%s) || ' days' AS detail, %s AS team", date_expr,
		    fname(ind, ind->from), fname(ind, ind->from), fname(ind, ind->to),
		    fname(ind, ind->to), fname(ind, ind->to), fname(ind, ind->from), team_expr);
		add_from(s, ind, how);
		add_interval_where(s, ind);
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	case ENGINE_REPEAT_WITHIN:
	case ENGINE_SECOND_SUBSEQUENT: {
		const char *date = fname(ind, ind->date);

		strbuf_add(s, "SELECT e.child_id, %s AS case_date, (EXISTS (SELECT 1 FROM %s e2 WHERE "
		    "e2.council = e.council AND e2.child_id = e.child_id AND e2.%s < e.%s", date_expr,
		    ind->schema->name, date, date);
		if (ind->kind == ENGINE_REPEAT_WITHIN)
			strbuf_add(s, " AND e2.%s >= e.%s - interval '%d months'", date, date, ind->months);
		strbuf_add(s, ")");
		if (ind->prior_field >= 0)
			strbuf_add(s, " OR e.%s > 0", fname(ind, ind->prior_field));
		strbuf_add(s, ") AS in_numerator, '%s ' || e.%s || ', earlier: ' || coalesce((SELECT max(e3.%s)"
		    "::text FROM %s e3 WHERE e3.council = e.council AND e3.child_id = e.child_id AND "
		    "e3.%s < e.%s), 'none') AS detail, %s AS team", date, date, date, ind->schema->name,
		    date, date, team_expr);
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		break;
	}
	case ENGINE_CHILDREN_WITH_EVENTS:
		strbuf_add(s, "SELECT e.child_id, min(%s) AS case_date, count(*) >= %d AS in_numerator, "
		    "count(*) || ' %s records in the period' AS detail, NULL::text AS team", date_expr,
		    ind->min, ind->schema->name);
		add_from(s, ind, how);
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, ref);
		strbuf_add(s, " GROUP BY e.child_id");
		break;
	case ENGINE_STABILITY_SHORT:
		strbuf_add(s, "SELECT e.child_id, e.start_date AS case_date, pl.n >= %d AS in_numerator, pl.n || "
		    "' placements in the 12 months to ' || p.end_date AS detail, NULL::text AS team",
		    ind->min_placements);
		add_stability_short_from(s, ind);
		break;
	case ENGINE_STABILITY_LONG:
		strbuf_add(s, "SELECT e.child_id, st.care_start AS case_date, st.placement_start <= (p.end_date - "
		    "interval '%d months')::date AS in_numerator, 'in care since ' || st.care_start || ', "
		    "in this placement since ' || st.placement_start AS detail, NULL::text AS team",
		    ind->placement_months);
		add_stability_long_from(s, ind);
		break;
	case ENGINE_COST_SUM:
	case ENGINE_COST_AVERAGE:
	case ENGINE_COST_COUNT_OVER:
		strbuf_add(s, "SELECT e.child_id, e.start_date AS case_date, ");
		if (ind->kind == ENGINE_COST_COUNT_OVER)
			strbuf_add(s, "e.weekly_cost > %.17g", ind->threshold);
		else
			strbuf_add(s, "true");
		strbuf_add(s, " AS in_numerator, 'weekly cost ' || e.weekly_cost || ' from ' || e.start_date || "
		    "coalesce(' to ' || e.end_date, ', open') AS detail, NULL::text AS team FROM %s JOIN "
		    "placement_cost e ON e.council = $1 AND e.start_date <= p.end_date AND ",
		    ind->kind == ENGINE_COST_SUM ? "pg_temp.engine_period p" : period_source(ind));
		if (ind->kind == ENGINE_COST_SUM)
			strbuf_add(s, "(e.end_date IS NULL OR e.end_date >= p.start_date)");
		else
			strbuf_add(s, "(e.end_date IS NULL OR e.end_date >= p.end_date)");
		strbuf_add(s, " WHERE true");
		add_conditions(s, ind, ind->where, ind->nwhere, "p.end_date");
		break;
	case ENGINE_REPORTED:
		strbuf_add(s, "SELECT NULL::text, NULL::date, false, NULL::text, NULL::text WHERE false");
		break;
	}
}

char *engine_indicator_cases_sql(const engine_indicator *ind, engine_case_part part)
{
	strbuf s = STRBUF_INIT;

	/* One row per child where the figure counts children (the kinds whose
	 * figure honours `children`: see counted()). */
	bool per_child = ind->children &&
		(ind->kind == ENGINE_COUNT || ind->kind == ENGINE_SNAPSHOT_COUNT ||
		 ind->kind == ENGINE_INTERVAL_COUNT || ind->kind == ENGINE_RATE ||
		 ind->kind == ENGINE_PROPORTION || ind->kind == ENGINE_SNAPSHOT_PROPORTION);

	/* A condition on an absent value is NULL, not false: such a case is in
	 * the population but not the numerator, as count(*) FILTER has it. */
	strbuf_add(&s, "SELECT child_id, case_date, coalesce(in_numerator, false) AS in_numerator, detail, "
	    "team FROM (");
	if (per_child) {
		strbuf_add(&s, "SELECT child_id, min(case_date) AS case_date, bool_or(in_numerator) AS "
		    "in_numerator, string_agg(detail, '; ' ORDER BY case_date) AS detail, "
		    "min(team) AS team FROM (");
		add_case_rows(&s, ind);
		strbuf_add(&s, ") r GROUP BY child_id");
	} else {
		add_case_rows(&s, ind);
	}
	strbuf_add(&s, ") c WHERE %s ORDER BY case_date, child_id",
	    part == ENGINE_CASES_NUMERATOR ? "coalesce(c.in_numerator, false)"
	    : part == ENGINE_CASES_NOT_NUMERATOR ? "NOT coalesce(c.in_numerator, false)" : "true");
	if (s.failed) {
		free(s.text);
		return NULL;
	}
	return s.text;
}
