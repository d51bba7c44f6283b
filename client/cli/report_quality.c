/*
 * report_quality.c: the committee report's "Data quality" section: the
 * figures that rest on records failing one of the DfE's validation rules
 * that decide them, from the scorecard rows (failing_records,
 * failing_rules), each rule with its code and the DfE's message. Counts
 * only: no child is named, so the section is the same for every role that
 * may read the scorecard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csperf/scorecards.h>

#include "cli.h"
#include "validate/validate.h"

void report_write_data_quality(FILE *f, const csperf_scorecard *sc)
{
	size_t affected = 0;
	int year = 0, month = 0;

	for (size_t i = 0; i < sc->nrows; i++)
		affected += sc->rows[i].failing_records > 0;
	if (sc->data_to != NULL && sscanf(sc->data_to, "%4d-%2d", &year, &month) == 2 && month >= 4)
		year++;
	fputs("<section class=\"quality\" id=\"data-quality\">\n<h2>Data quality</h2>\n", f);
	if (affected == 0) {
		fputs("<p>No figure in this report rests on a record that fails one of the "
		      "DfE&#39;s validation rules that decide it.</p>\n</section>\n", f);
		return;
	}
	fprintf(f, "<p>%zu figure%s rest%s on records that fail one of the DfE&#39;s "
		"validation rules that decide %s, for the collection year %d-%02d (the "
		"council&#39;s latest data). The case-recording team can list the records with "
		"<code>csperf validate --council ", affected, affected == 1 ? "" : "s",
		affected == 1 ? "s" : "", affected == 1 ? "it" : "them", year - 1, year % 100);
	report_put_escaped(f, sc->council);
	fprintf(f, " --year %d</code>.</p>\n<table class=\"quality\">\n<thead><tr><th>Indicator"
		"</th><th>Records failing</th><th>Rules</th></tr></thead>\n<tbody>\n", year);
	for (size_t i = 0; i < sc->nrows; i++) {
		const csperf_scorecard_row *row = &sc->rows[i];
		if (row->failing_records == 0)
			continue;
		fputs("<tr><td>", f);
		report_put_escaped(f, row->indicator_id);
		fputs(" ", f);
		report_put_escaped(f, row->title);
		fprintf(f, "</td><td class=\"num\">%llu</td><td>",
			(unsigned long long)row->failing_records);
		char codes[512];
		snprintf(codes, sizeof(codes), "%s", row->failing_rules != NULL ? row->failing_rules : "");
		size_t n = 0;
		for (char *save = NULL, *code = strtok_r(codes, " ", &save); code != NULL;
		     code = strtok_r(NULL, " ", &save)) {
			const validate_rule *rule = validate_rule_by_code(code);
			fputs(n++ > 0 ? "<br>" : "", f);
			fputs("<b>", f);
			report_put_escaped(f, code);
			fputs("</b> ", f);
			if (rule != NULL)
				report_put_escaped(f, rule->message);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}
