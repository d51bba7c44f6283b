/*
 * judge.h: judging a figure: RAG against a target and tolerance, direction of
 * travel, and the exception criteria, each with the indicator's polarity.
 * Pure functions: the scorecard handler feeds them precomputed values.
 */
#ifndef CSPERF_SERVER_JUDGE_H
#define CSPERF_SERVER_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum judge_polarity { POLARITY_NONE = 0, POLARITY_UP, POLARITY_DOWN } judge_polarity;
typedef enum judge_rag { RAG_NONE = 0, RAG_GREEN, RAG_AMBER, RAG_RED } judge_rag;
typedef enum judge_direction {
	DIRECTION_NONE = 0, DIRECTION_IMPROVING, DIRECTION_STEADY, DIRECTION_WORSENING
} judge_direction;

/* A number that may be absent; absent and `suppressed` when it rests on a
 * small number the caller must not see. */
typedef struct judge_figure {
	bool present;
	double value;
	bool suppressed;
} judge_figure;

judge_polarity judge_polarity_parse(const char *name);
const char *judge_rag_name(judge_rag rag);
const char *judge_direction_name(judge_direction direction);

/* Green when on or better than target; amber when worse by no more than the
 * tolerance; red beyond. None without a polarity, a value or a target. */
judge_rag judge_rag_of(judge_polarity polarity, judge_figure value, judge_figure target,
		       double tolerance);

/* Steady when the change is within half a percent of the earlier value (or
 * both are zero); else improving or worsening by polarity. */
judge_direction judge_direction_of(judge_polarity polarity, judge_figure now, judge_figure before);

/* How much worse than target, in percent of the target (positive = worse);
 * absent without a polarity, value or non-zero target. */
judge_figure judge_adverse_variance(judge_polarity polarity, judge_figure value,
				    judge_figure target);

/* True when each of the last three changes in `values` (oldest first, n of
 * them, n >= 4) was for the worse. */
bool judge_worse_three_running(judge_polarity polarity, const judge_figure *values, size_t n);

/* Writes a figure in its unit: "92.1%", "1,201", "45.3 per 10,000", "233
 * days", "£1,234,567". */
void judge_format(const char *unit, judge_figure figure, char *out, size_t size);

#endif
