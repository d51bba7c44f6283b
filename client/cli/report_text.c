/*
 * report_text.c: the words of `csperf report`: HTML escaping, figures (by
 * output_figure, as the terminal writes them, with an en dash for none),
 * dates, periods, stage and criterion names, RAG badges and the direction
 * of travel.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

const char *const report_month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};

static const struct {
	const char *code, *name;
} stage_names[] = {
	{ "early_help", "Early help" },
	{ "front_door", "Front door: contacts and referrals" },
	{ "assessment", "Assessment" },
	{ "child_protection", "Child protection" },
	{ "looked_after", "Children looked after" },
	{ "adoption", "Adoption" },
	{ "care_leavers", "Care leavers" },
	{ "workforce", "Workforce" },
	{ "youth_justice", "Youth justice" },
	{ "finance", "Finance" },
};

static const struct {
	const char *code, *name;
} criterion_names[] = {
	{ "off_target", "Off target" },
	{ "worsening", "Worse three periods running" },
	{ "budget", "Affects the budget" },
	{ "corporate_risk", "Corporate risk" },
};

/* ---- text ---- */

/* Writes text as HTML text or attribute value: the five characters that mean
 * something in markup are escaped, control characters dropped. */
void report_put_escaped(FILE *f, const char *text)
{
	if (text == NULL)
		return;
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\t':
		case '\n':
		case '\r':
			fputc(' ', f);
			break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				fputc(*p, f);
		}
	}
}

/* Figures as output_figure writes them, with an en dash for none. */
void report_format_value(const char *unit, double value, char *out, size_t size)
{
	output_figure(unit, true, value, false, EN_DASH, out, size);
}

/* A table cell's text: "*" when hidden, a dash when there is no figure. */
void report_format_figure(const char *unit, csperf_figure figure, bool suppressed, char *out,
			  size_t size)
{
	output_figure(unit, figure.present, figure.value, suppressed, EN_DASH, out, size);
}

bool report_parse_date(const char *iso, int *year, int *month, int *day)
{
	return iso != NULL && sscanf(iso, "%4d-%2d-%2d", year, month, day) == 3 && *month >= 1 &&
	       *month <= 12;
}

/* "2019-03-31" as "31 March 2019". */
void report_format_date(const char *iso, char *out, size_t size)
{
	int year, month, day;

	if (report_parse_date(iso, &year, &month, &day))
		snprintf(out, size, "%d %s %d", day, report_month_names[month - 1], year);
	else
		snprintf(out, size, "%s", iso != NULL ? iso : "");
}

/* The financial year ("2018-19") that holds an ISO date, or "". */
void report_financial_year_of(const char *iso, char *out, size_t size)
{
	int year, month, day, start;

	if (!report_parse_date(iso, &year, &month, &day)) {
		snprintf(out, size, "%s", "");
		return;
	}
	start = month >= 4 ? year : year - 1;
	snprintf(out, size, "%04d-%02d", start, (start + 1) % 100);
}

/* A period label as a committee writes it: "Q4 2018-19", "January 2019",
 * "12 months to March 2019". */
void report_format_period(const char *label, const char *type, char *out, size_t size)
{
	int year, month;
	const char *month_part = label;

	if (strcmp(type, "quarter") == 0 && strlen(label) == 10 && label[7] == ':') {
		snprintf(out, size, "%.2s %.7s", label + 8, label);
		return;
	}
	if (strncmp(label, "r12:", 4) == 0 || strncmp(label, "ytd:", 4) == 0)
		month_part = label + 4;
	if (strcmp(type, "year") != 0 && sscanf(month_part, "%4d-%2d", &year, &month) == 2 &&
	    month >= 1 && month <= 12) {
		if (strcmp(type, "rolling12") == 0)
			snprintf(out, size, "12 months to %s %d", report_month_names[month - 1], year);
		else if (strcmp(type, "ytd") == 0)
			snprintf(out, size, "Year to date, %s %d", report_month_names[month - 1], year);
		else
			snprintf(out, size, "%s %d", report_month_names[month - 1], year);
		return;
	}
	snprintf(out, size, "%s", strncmp(label, "fy:", 3) == 0 ? label + 3 : label);
}

/* A chart axis label: "Q1 18-19", "Jan 19", "2017-18". */
void report_short_period(const char *label, const char *type, char *out, size_t size)
{
	int year, month;
	const char *month_part = label;

	if (strcmp(type, "quarter") == 0 && strlen(label) == 10 && label[7] == ':') {
		snprintf(out, size, "%.2s %.2s-%.2s", label + 8, label + 2, label + 5);
		return;
	}
	if (strncmp(label, "r12:", 4) == 0 || strncmp(label, "ytd:", 4) == 0)
		month_part = label + 4;
	if (strcmp(type, "year") != 0 && sscanf(month_part, "%4d-%2d", &year, &month) == 2 &&
	    month >= 1 && month <= 12) {
		snprintf(out, size, "%.3s %02d", report_month_names[month - 1], year % 100);
		return;
	}
	snprintf(out, size, "%s", label);
}

const char *report_stage_name(const char *code)
{
	for (size_t i = 0; i < sizeof(stage_names) / sizeof(stage_names[0]); i++)
		if (strcmp(stage_names[i].code, code) == 0)
			return stage_names[i].name;
	return code;
}

const char *report_criterion_name(const char *code)
{
	for (size_t i = 0; i < sizeof(criterion_names) / sizeof(criterion_names[0]); i++)
		if (strcmp(criterion_names[i].code, code) == 0)
			return criterion_names[i].name;
	return code;
}

/* red, amber, green or none: safe to use in a class name. */
const char *report_rag_class(const char *rag)
{
	if (strcmp(rag, "red") == 0 || strcmp(rag, "amber") == 0 || strcmp(rag, "green") == 0)
		return rag;
	return "none";
}

/* The badge says the rating in words and with a mark, so it reads without
 * colour and in black-and-white print. */
void report_put_rag_badge(FILE *f, const char *rag)
{
	const char *cls = report_rag_class(rag);

	if (strcmp(cls, "red") == 0)
		fputs("<span class=\"rag rag-red\">\xe2\x9c\x95 Red</span>", f);          /* ✕ */
	else if (strcmp(cls, "amber") == 0)
		fputs("<span class=\"rag rag-amber\">! Amber</span>", f);
	else if (strcmp(cls, "green") == 0)
		fputs("<span class=\"rag rag-green\">\xe2\x9c\x93 Green</span>", f);      /* ✓ */
	else
		fputs("<span class=\"rag rag-none\">No RAG</span>", f);
}

void report_put_direction(FILE *f, const char *direction)
{
	if (strcmp(direction, "improving") == 0)
		fputs("<span class=\"dir dir-improving\">\xe2\x96\xb2 Better</span>", f);  /* ▲ */
	else if (strcmp(direction, "worsening") == 0)
		fputs("<span class=\"dir dir-worsening\">\xe2\x96\xbc Worse</span>", f);  /* ▼ */
	else if (strcmp(direction, "steady") == 0)
		fputs("<span class=\"dir dir-steady\">\xe2\x96\xb6 Same</span>", f);      /* ▶ */
	else
		fputs("<span class=\"dir dir-none\">" EN_DASH "</span>", f);
}
