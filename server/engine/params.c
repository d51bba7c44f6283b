/*
 * params.c: indicator kinds and their parameters: parsing a definition and
 * checking it against the record schema. Every field must exist in the
 * record, every code must be in the field's list, every parameter must
 * belong to the kind.
 */
#include "engine_internal.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const struct {
	engine_kind kind;
	const char *name;
} kind_names[] = {
	{ ENGINE_COUNT, "count" },
	{ ENGINE_SNAPSHOT_COUNT, "snapshot_count" },
	{ ENGINE_INTERVAL_COUNT, "interval_count" },
	{ ENGINE_PROPORTION, "proportion" },
	{ ENGINE_SNAPSHOT_PROPORTION, "snapshot_proportion" },
	{ ENGINE_INTERVAL_PROPORTION, "interval_proportion" },
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

shape eng_kind_shape(engine_kind kind, bool of_open)
{
	switch (kind) {
	case ENGINE_SNAPSHOT_COUNT:
	case ENGINE_INTERVAL_COUNT:
	case ENGINE_INTERVAL_PROPORTION:
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
	case ENGINE_INTERVAL_PROPORTION:
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
		return strcmp(key, "min_placements") == 0 || strcmp(key, "not_placements") == 0;
	case ENGINE_STABILITY_LONG:
		return strcmp(key, "max_age") == 0 || strcmp(key, "care_months") == 0 ||
		       strcmp(key, "placement_months") == 0 || strcmp(key, "same_carer") == 0;
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

/* A list of codes of one field of the record (checked against its code
 * list), as the SQL list text "'A', 'B'" (the codes are the list's own:
 * letters and digits); fallback when absent ("" for none). */
static int code_list_param(const engine_indicator *ind, json_t *params, const char *key,
			   const char *field, const char *fallback, char out[ENGINE_CODE_LIST],
			   char *err, size_t errsize)
{
	json_t *list = json_object_get(params, key), *code;
	int index = csperf_schema_field_index(ind->schema, field);
	size_t i, used = 0;

	snprintf(out, ENGINE_CODE_LIST, "%s", fallback != NULL ? fallback : "");
	if (list == NULL)
		return 0;
	if (index < 0 || ind->schema->fields[index].codes == NULL || !json_is_array(list) ||
	    json_array_size(list) == 0 || json_array_size(list) > 16)
		return fail(err, errsize, "'%s' is a list of 1 to 16 %s codes", key, field);
	out[0] = '\0';
	json_array_foreach(list, i, code) {
		if (!json_is_string(code) ||
		    !csperf_code_list_contains(ind->schema->fields[index].codes, json_string_value(code)) ||
		    strspn(json_string_value(code), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") !=
			    strlen(json_string_value(code)))
			return fail(err, errsize, "'%s': %.32s is not a %s code", key,
				    json_is_string(code) ? json_string_value(code) : "?",
				    ind->schema->fields[index].codes->name);
		used += (size_t)snprintf(out + used, ENGINE_CODE_LIST - used, "%s'%s'",
					 used > 0 ? ", " : "", json_string_value(code));
	}
	return 0;
}

static char *dup_checked(const char *text)
{
	return strdup(text != NULL ? text : "");
}

/* A date named in a comparison: a date field of the record, or period_end
 * (the period's last day: snapshot kinds only). */
static int comparison_date(engine_indicator *ind, json_t *value, const char *key, int *out,
			   char *err, size_t errsize)
{
	const char *name = json_is_string(value) ? json_string_value(value) : NULL;
	int index;

	if (name == NULL)
		return fail(err, errsize, "'%s' must name a date field", key);
	if (strcmp(name, "period_start") == 0) {
		if (ind->kind != ENGINE_INTERVAL_COUNT && ind->kind != ENGINE_INTERVAL_PROPORTION)
			return fail(err, errsize, "'%s': period_start is for interval kinds", key);
		*out = FIELD_PERIOD_START;
		return 0;
	}
	if (strcmp(name, "period_end") == 0) {
		if (eng_kind_shape(ind->kind, ind->of_open) != SHAPE_OPEN)
			return fail(err, errsize, "'%s': period_end is for snapshot kinds", key);
		*out = FIELD_PERIOD_END;
		return 0;
	}
	index = csperf_schema_field_index(ind->schema, name);
	if (index < 0)
		return fail(err, errsize, "'%s': %s has no field %.64s", key, ind->schema->name, name);
	if (ind->schema->fields[index].kind != CSPERF_FIELD_DATE)
		return fail(err, errsize, "'%s': %s.%s is not a date", key, ind->schema->name,
			    ind->schema->fields[index].name);
	*out = index;
	return 0;
}

/* {"date": A, "on_or_before"|"before"|"on_or_after"|"after": B,
 *  "plus": {"days"|"working_days"|"months"|"years": n}}: A compared with B
 * moved on by n (working days: the working days from B to A compared with n). */
static int parse_comparison(engine_indicator *ind, json_t *obj, condition *c, char *err,
			    size_t errsize)
{
	static const struct { const char *key, *op; } ops[] = {
		{ "on_or_before", "<=" }, { "before", "<" }, { "on_or_after", ">=" }, { "after", ">" },
	};
	json_t *plus = json_object_get(obj, "plus");
	const char *key;
	json_t *value;
	int tests = 0;

	c->op = COND_COMPARE;
	c->unit = UNIT_DAYS;
	if (comparison_date(ind, json_object_get(obj, "date"), "date", &c->field, err, errsize) != 0)
		return -1;
	json_object_foreach(obj, key, value) {
		bool known = strcmp(key, "date") == 0 || strcmp(key, "plus") == 0;

		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			if (strcmp(key, ops[i].key) != 0)
				continue;
			known = true;
			tests++;
			c->sql_op = ops[i].op;
			if (comparison_date(ind, value, key, &c->other, err, errsize) != 0)
				return -1;
		}
		if (!known)
			return fail(err, errsize, "a date comparison has no '%.32s': use date, "
				    "on_or_before, before, on_or_after, after and plus", key);
	}
	if (tests != 1)
		return fail(err, errsize, "a date comparison has one of on_or_before, before, "
			    "on_or_after or after");
	if (plus != NULL) {
		static const char *const units[] = { "days", "working_days", "months", "years" };
		json_t *n = NULL;
		size_t u;

		if (!json_is_object(plus) || json_object_size(plus) != 1)
			return fail(err, errsize, "'plus' is one of {\"days\": n}, {\"working_days\": n}, "
				    "{\"months\": n} or {\"years\": n}");
		for (u = 0; u < 4 && n == NULL; u++)
			n = json_object_get(plus, units[u]);
		u--;
		if (n == NULL || !json_is_integer(n) || json_integer_value(n) < -36500 ||
		    json_integer_value(n) > 36500)
			return fail(err, errsize, "'plus' is one of days, working_days, months or years, "
				    "a whole number");
		c->amount = (int)json_integer_value(n);
		c->unit = u == 0 ? UNIT_DAYS : u == 1 ? UNIT_WORKING_DAYS : UNIT_MONTHS;
		if (u == 3)
			c->amount *= 12;
		if (c->unit == UNIT_WORKING_DAYS)
			ind->needs_calendar = true;
	}
	return 0;
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
	if (json_object_get(obj, "date") != NULL)
		return parse_comparison(ind, obj, c, err, errsize);
	if (!json_is_string(field))
		return fail(err, errsize, "a condition needs 'field' (or is an age condition, or "
			    "compares two dates)");
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
			if (!json_is_number(value))
				return fail(err, errsize, "'%s' must be a number", key);
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
	if (ind->schema == NULL && (ind->fact = engine_fact_by_name(record_name)) != NULL)
		ind->schema = engine_fact_schema(ind->fact);
	if (ind->schema == NULL) {
		fail(err, errsize, "'%.32s' is not a record type or a derived fact", record_name);
		goto cleanup;
	}
	if (json_is_true(json_object_get(params, "children")) &&
	    csperf_schema_field_index(ind->schema, "child_id") < 0) {
		fail(err, errsize, "%s records have no child to count", ind->schema->name);
		goto cleanup;
	}
	ind->children = json_is_true(json_object_get(params, "children"));

	switch (eng_kind_shape(ind->kind, ind->of_open)) {
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
	if ((ind->kind == ENGINE_PROPORTION || ind->kind == ENGINE_SNAPSHOT_PROPORTION ||
	     ind->kind == ENGINE_INTERVAL_PROPORTION) &&
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
			      err, errsize) != 0 ||
		    code_list_param(ind, params, "not_placements", "placement_type", NULL,
				    ind->not_placements, err, errsize) != 0)
			goto cleanup;
		break;
	case ENGINE_STABILITY_LONG:
		if (code_list_param(ind, params, "same_carer", "new_episode_reason", "'L'",
				    ind->same_carer, err, errsize) != 0 ||
		    int_param(params, "max_age", 1, 25, 16, false, &ind->max_age, kind, err, errsize) != 0 ||
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

		if (!json_is_number(threshold) || json_number_value(threshold) < 0) {
			fail(err, errsize, "cost_count_over needs 'threshold', pounds a week");
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
