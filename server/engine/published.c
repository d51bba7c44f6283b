/*
 * published.c: reading the DfE's published statistics and the rules of the
 * comparators built from them (published.h).
 */
#include "published.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool all_digits(const char *text, size_t len)
{
	if (strlen(text) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)text[i]))
			return false;
	return true;
}

/* 202324 -> 2023, checking that the second year follows the first. */
static int split_year_pair(const char *time_period, int *first)
{
	int year, next;

	if (!all_digits(time_period, 6))
		return -1;
	year = atoi(time_period) / 100;
	next = atoi(time_period) % 100;
	if (next != (year + 1) % 100)
		return -1;
	*first = year;
	return 0;
}

int published_period_label(const char *time_period, const char *time_identifier,
			   char out[24], char *err, size_t errsize)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"
	};
	int year;

	if (strcmp(time_identifier, "Reporting year") == 0) {
		if (!all_digits(time_period, 4))
			goto bad_period;
		year = atoi(time_period);
		snprintf(out, 24, "%d-%02d", year - 1, year % 100);
		return 0;
	}
	if (strcmp(time_identifier, "Financial year") == 0) {
		if (split_year_pair(time_period, &year) != 0)
			goto bad_period;
		snprintf(out, 24, "%d-%02d", year, (year + 1) % 100);
		return 0;
	}
	if (strncmp(time_identifier, "Financial year Q", 16) == 0 &&
	    time_identifier[16] >= '1' && time_identifier[16] <= '4' && time_identifier[17] == '\0') {
		if (split_year_pair(time_period, &year) != 0)
			goto bad_period;
		snprintf(out, 24, "%d-%02d:Q%c", year, (year + 1) % 100, time_identifier[16]);
		return 0;
	}
	if (strcmp(time_identifier, "Calendar year") == 0) {
		if (!all_digits(time_period, 4))
			goto bad_period;
		snprintf(out, 24, "r12:%s-12", time_period);
		return 0;
	}
	if (strcmp(time_identifier, "Academic year") == 0) {
		if (split_year_pair(time_period, &year) != 0)
			goto bad_period;
		snprintf(out, 24, "r12:%d-08", year + 1);
		return 0;
	}
	for (int m = 0; m < 12; m++)
		if (strcmp(time_identifier, months[m]) == 0) {
			if (!all_digits(time_period, 4))
				goto bad_period;
			snprintf(out, 24, "%s-%02d", time_period, m + 1);
			return 0;
		}
	snprintf(err, errsize, "time_identifier \"%s\" is not one csperf reads (Reporting year, "
		 "Financial year, Financial year Q1 to Q4, Calendar year, Academic year, a month)",
		 time_identifier);
	return -1;
bad_period:
	snprintf(err, errsize, "time_period \"%s\" is not a %s (%s)", time_period, time_identifier,
		 strcmp(time_identifier, "Reporting year") == 0 ||
		 strcmp(time_identifier, "Calendar year") == 0 ||
		 strchr(time_identifier, ' ') == NULL ? "2024" : "202324");
	return -1;
}

static const char *const symbols[][2] = {
	{ "c", "suppressed to protect confidentiality" },
	{ "x", "not available" },
	{ "z", "not applicable" },
	{ "u", "low reliability" },
	{ "k", "fewer than 0.5, not zero" },
	{ "low", "rounds to zero, not zero" },
	{ "blank", "not published (an empty cell)" },
};

int published_cell(const char *cell, bool *present, double *value, const char **symbol)
{
	char *end;
	double v;

	*present = false;
	*value = 0;
	*symbol = NULL;
	if (cell[0] == '\0') {
		*symbol = "blank";
		return 0;
	}
	for (size_t i = 0; i + 1 < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strcmp(cell, symbols[i][0]) == 0) {
			*symbol = symbols[i][0];
			return 0;
		}
	if (!(isdigit((unsigned char)cell[0]) || cell[0] == '-' || cell[0] == '.'))
		return -1;
	v = strtod(cell, &end);
	if (*end != '\0' || !isfinite(v))
		return -1;
	*present = true;
	*value = v;
	return 0;
}

const char *published_symbol_meaning(const char *symbol)
{
	for (size_t i = 0; symbol != NULL && i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strcmp(symbol, symbols[i][0]) == 0)
			return symbols[i][1];
	return "";
}

const char *published_area_type(const char *geographic_level, const char *country_code)
{
	if (strcmp(geographic_level, "National") == 0)
		return strcmp(country_code, "W92000004") == 0 ? "wales" : "england";
	if (strcmp(geographic_level, "Regional") == 0)
		return "region";
	if (strcmp(geographic_level, "Local authority") == 0)
		return "council";
	return NULL;
}

int published_column(const char *const *header, size_t nheader, const char *name)
{
	for (size_t i = 0; i < nheader; i++)
		if (strcmp(header[i], name) == 0)
			return (int)i;
	return -1;
}

int published_recognise(const published_kind *kinds, size_t nkinds, const char *const *header,
			size_t nheader)
{
	int best = -1;
	size_t best_columns = 0;
	bool tie = false;

	for (size_t k = 0; k < nkinds; k++) {
		bool all = kinds[k].ncolumns > 0;

		for (size_t c = 0; all && c < kinds[k].ncolumns; c++)
			all = published_column(header, nheader, kinds[k].columns[c]) >= 0;
		if (!all)
			continue;
		if (best < 0 || kinds[k].ncolumns > best_columns) {
			best = (int)k;
			best_columns = kinds[k].ncolumns;
			tie = false;
		} else if (kinds[k].ncolumns == best_columns) {
			tie = true;
		}
	}
	return tie ? -2 : best;
}

int published_rule_resolve(published_rule *rule, const char *const *header, size_t nheader,
			   char *err, size_t errsize)
{
	rule->measure_index = published_column(header, nheader, rule->measure_column);
	if (rule->measure_index < 0) {
		snprintf(err, errsize, "the file has no column %s (the measure of %s)",
			 rule->measure_column, rule->indicator_id);
		return -1;
	}
	for (size_t i = 0; i < rule->nfilters; i++) {
		rule->filter_index[i] = published_column(header, nheader, rule->filter_columns[i]);
		if (rule->filter_index[i] < 0) {
			snprintf(err, errsize, "the file has no column %s (a filter of %s)",
				 rule->filter_columns[i], rule->indicator_id);
			return -1;
		}
	}
	return 0;
}

bool published_rule_matches(const published_rule *rule, const char *const *cells, size_t ncells)
{
	if (rule->measure_index < 0 || (size_t)rule->measure_index >= ncells)
		return false;
	for (size_t i = 0; i < rule->nfilters; i++)
		if (rule->filter_index[i] < 0 || (size_t)rule->filter_index[i] >= ncells ||
		    strcmp(cells[rule->filter_index[i]], rule->filter_values[i]) != 0)
			return false;
	return true;
}

int published_quartile(int rank, int ranked)
{
	if (rank < 1 || ranked < 1 || rank > ranked)
		return 0;
	return (int)(((long)(rank - 1) * 4) / ranked) + 1;
}

bool published_neighbours_enough(int with_figure)
{
	return with_figure >= PUBLISHED_SN_MIN_NEIGHBOURS;
}
