/*
 * published.h: the DfE's published statistics, read and compared: a file's
 * kind from its columns, its time periods as csperf's period labels, its
 * cells as a figure or a symbol saying why there is none, a row mapped to
 * figures by the data-driven rules (migration 0018), and the rules for the
 * comparators built from them (statistical neighbours' average, quartiles;
 * the averages over councils csperf holds are engine/scorecard.c's). Pure
 * functions: no gRPC, no
 * libpq. docs/COMPARATORS.md says what each rule means for a user.
 */
#ifndef CSPERF_SERVER_PUBLISHED_H
#define CSPERF_SERVER_PUBLISHED_H

#include <stdbool.h>
#include <stddef.h>

/* The statistical neighbours' average is shown only when at least this many
 * of a council's ten neighbours have a published figure. */
#define PUBLISHED_SN_MIN_NEIGHBOURS 5

#define PUBLISHED_MAX_FILTERS 8

/* Turns an EES time_period and time_identifier into a period label:
 * "Reporting year" 2024 -> "2023-24" (the year ending 31 March 2024),
 * "Financial year" 202324 -> "2023-24", "Financial year Q3" 202324 ->
 * "2023-24:Q3", "Calendar year" 2024 -> "r12:2024-12", "Academic year"
 * 202324 -> "r12:2024-08" (September to August), a month name ("March")
 * with 2024 -> "2024-03". 0, or -1 with a sentence in err. */
int published_period_label(const char *time_period, const char *time_identifier,
			   char out[24], char *err, size_t errsize);

/* A cell: a number (*present true, *value set) or one of the DfE's symbols
 * (c, x, z, u, k, low; an empty cell is "blank"), *symbol pointing at a
 * static canonical name. -1 when it is neither. */
int published_cell(const char *cell, bool *present, double *value, const char **symbol);

/* What a DfE symbol means, in a few words ("suppressed to protect
 * confidentiality"); "" for an unknown one. */
const char *published_symbol_meaning(const char *symbol);

/* The area type of a geographic_level: "england" (or "wales" when the
 * country code is W92000004) for National, "region" for Regional, "council"
 * for Local authority; NULL for a level csperf does not compare with (the
 * row is skipped). */
const char *published_area_type(const char *geographic_level, const char *country_code);

/* A file kind: its name and the columns that identify it. */
typedef struct published_kind {
	const char *kind;
	const char *const *columns;
	size_t ncolumns;
} published_kind;

/* The kind whose columns are all in the header, the one with the most
 * columns if several are; -1 when none is, -2 when two equally specific
 * kinds match. */
int published_recognise(const published_kind *kinds, size_t nkinds, const char *const *header,
			size_t nheader);

/* A mapping rule (a dfe_measure row), resolved against a header. */
typedef struct published_rule {
	const char *indicator_id;
	const char *measure_column;
	const char *filter_columns[PUBLISHED_MAX_FILTERS];
	const char *filter_values[PUBLISHED_MAX_FILTERS];
	size_t nfilters;
	double scale;
	/* Filled by published_rule_resolve: column indexes in the header. */
	int measure_index;
	int filter_index[PUBLISHED_MAX_FILTERS];
} published_rule;

/* Finds the rule's columns in the header; -1 naming the missing column in
 * err. */
int published_rule_resolve(published_rule *rule, const char *const *header, size_t nheader,
			   char *err, size_t errsize);

/* Whether a row's cells hold the rule's filter values. */
bool published_rule_matches(const published_rule *rule, const char *const *cells, size_t ncells);

/* The index of a column in the header, -1 if absent. */
int published_column(const char *const *header, size_t nheader, const char *name);

/* Quartile 1 (best quarter) to 4 of a rank among `ranked` councils, rank 1
 * the best: rank r is in quartile floor((r - 1) * 4 / ranked) + 1. 0 when
 * there is no rank. */
int published_quartile(int rank, int ranked);

/* Whether the statistical neighbours' average is shown, given how many of
 * the neighbours have a published figure. */
bool published_neighbours_enough(int with_figure);

#endif
