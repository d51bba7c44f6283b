/* judge.c: RAG, direction of travel, variance and exception tests. */
#include "judge.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Changes smaller than this share of the earlier value are "steady". */
#define STEADY_SHARE 0.005

judge_polarity judge_polarity_parse(const char *name)
{
	if (strcmp(name, "up") == 0)
		return POLARITY_UP;
	if (strcmp(name, "down") == 0)
		return POLARITY_DOWN;
	return POLARITY_NONE;
}

const char *judge_rag_name(judge_rag rag)
{
	static const char *const names[] = { "none", "green", "amber", "red" };

	return names[rag];
}

const char *judge_direction_name(judge_direction direction)
{
	static const char *const names[] = { "none", "improving", "steady", "worsening" };

	return names[direction];
}

judge_rag judge_rag_of(judge_polarity polarity, judge_figure value, judge_figure target,
		       double tolerance)
{
	double shortfall;

	if (polarity == POLARITY_NONE || !value.present || !target.present)
		return RAG_NONE;
	/* How far on the wrong side of the target, in the unit (> 0 = worse). */
	shortfall = polarity == POLARITY_UP ? target.value - value.value : value.value - target.value;
	if (shortfall <= 0)
		return RAG_GREEN;
	if (shortfall <= tolerance)
		return RAG_AMBER;
	return RAG_RED;
}

judge_direction judge_direction_of(judge_polarity polarity, judge_figure now, judge_figure before)
{
	double change;

	if (polarity == POLARITY_NONE || !now.present || !before.present)
		return DIRECTION_NONE;
	change = now.value - before.value;
	if (fabs(change) <= STEADY_SHARE * fabs(before.value))
		return DIRECTION_STEADY;
	if ((change > 0) == (polarity == POLARITY_UP))
		return DIRECTION_IMPROVING;
	return DIRECTION_WORSENING;
}

judge_figure judge_adverse_variance(judge_polarity polarity, judge_figure value,
				    judge_figure target)
{
	judge_figure out = { false, 0, false };

	if (polarity == POLARITY_NONE || !value.present || !target.present || target.value == 0)
		return out;
	out.present = true;
	out.value = 100.0 * (polarity == POLARITY_UP ? target.value - value.value
						     : value.value - target.value) / fabs(target.value);
	return out;
}

bool judge_worse_three_running(judge_polarity polarity, const judge_figure *values, size_t n)
{
	if (polarity == POLARITY_NONE || n < 4)
		return false;
	for (size_t i = n - 3; i < n; i++)
		if (judge_direction_of(polarity, values[i], values[i - 1]) != DIRECTION_WORSENING)
			return false;
	return true;
}

/* 1234567.8 -> "1,234,568" (decimals digits after the point). */
static void with_commas(double value, int decimals, char *out, size_t size)
{
	char digits[64], *point;
	size_t len, lead, used = 0;
	bool negative = value < 0;

	snprintf(digits, sizeof(digits), "%.*f", decimals, fabs(value));
	point = strchr(digits, '.');
	len = point != NULL ? (size_t)(point - digits) : strlen(digits);
	lead = len % 3 == 0 ? 3 : len % 3;
	if (negative && used + 1 < size)
		out[used++] = '-';
	for (size_t i = 0; i < len && used + 2 < size; i++) {
		if (i >= lead && (i - lead) % 3 == 0)
			out[used++] = ',';
		out[used++] = digits[i];
	}
	out[used] = '\0';
	if (point != NULL)
		snprintf(out + used, size - used, "%s", point);
}

void judge_format(const char *unit, judge_figure figure, char *out, size_t size)
{
	char number[64];

	if (!figure.present) {
		snprintf(out, size, "-");
		return;
	}
	if (strcmp(unit, "percent") == 0) {
		snprintf(out, size, "%.1f%%", figure.value);
	} else if (strcmp(unit, "rate") == 0) {
		with_commas(figure.value, 1, number, sizeof(number));
		snprintf(out, size, "%s per 10,000", number);
	} else if (strcmp(unit, "days") == 0) {
		with_commas(figure.value, 0, number, sizeof(number));
		snprintf(out, size, "%s days", number);
	} else if (strcmp(unit, "pounds") == 0) {
		with_commas(figure.value, 0, number, sizeof(number));
		snprintf(out, size, "\xc2\xa3%s", number);
	} else {
		with_commas(figure.value, figure.value == floor(figure.value) ? 0 : 1, number,
			    sizeof(number));
		snprintf(out, size, "%s", number);
	}
}
