/*
 * check.c: what csperf checks of a value the user typed before it calls
 * csperfd: council codes, periods (with common/periods.c, the code csperfd
 * reads them with), stages, dates, financial years and indicator ids. A bad
 * value is a usage error (exit 1) naming the option and the value and
 * showing a valid one, never a "server error".
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <csperf/scorecards.h>

#include "cli.h"
#include "dates.h"
#include "periods.h"

static const char *const stages[] = {
	"early_help", "front_door", "assessment", "child_protection", "looked_after",
	"adoption", "care_leavers", "workforce", "youth_justice", "finance", NULL
};

static int bad(const char *command, const char *option, const char *value, const char *what,
	       const char *example)
{
	fprintf(stderr, "csperf %s: %s '%s' is not %s; e.g. %s %s\n", command, option, value, what,
		option, example);
	return CLI_EXIT_USAGE;
}

int cli_check_council(const char *command, const char *council)
{
	size_t len = council != NULL ? strlen(council) : 0;

	if (council == NULL)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isascii((unsigned char)council[i]) || !isalnum((unsigned char)council[i]))
			len = 0;
	if (len < 3 || len > 9)
		return bad(command, "--council", council,
			   "a council's LA code (3 to 9 letters and digits)", "975");
	return 0;
}

int cli_check_period(const char *command, const char *option, const char *period)
{
	report_period parsed;
	char err[256];

	if (period == NULL || period_parse(period, &parsed, err, sizeof(err)) == 0)
		return 0;
	return bad(command, option, period,
		   "a period (2018-19, 2018-19:Q4, 2019-01, r12:2019-03 or ytd:2019-01)",
		   "2018-19:Q4");
}

int cli_check_year(const char *command, const char *option, const char *year)
{
	report_period parsed;
	char err[256];

	if (year == NULL || (period_parse(year, &parsed, err, sizeof(err)) == 0 &&
			     parsed.type == PERIOD_YEAR))
		return 0;
	return bad(command, option, year, "a financial year", "2018-19");
}

int cli_check_stage(const char *command, const char *stage)
{
	char list[256] = "";

	if (stage == NULL)
		return 0;
	for (size_t i = 0; stages[i] != NULL; i++) {
		if (strcmp(stage, stages[i]) == 0)
			return 0;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i > 0 ? ", " : "",
			 stages[i]);
	}
	fprintf(stderr, "csperf %s: --stage '%s' is not a stage (%s); e.g. --stage "
		"child_protection\n", command, stage, list);
	return CLI_EXIT_USAGE;
}

int cli_check_org(const char *command, const char *org)
{
	const char *name = NULL;

	if (org == NULL || strcmp(org, "council") == 0)
		return 0;
	if (strncmp(org, "locality:", 9) == 0)
		name = org + 9;
	else if (strncmp(org, "team:", 5) == 0)
		name = org + 5;
	if (name != NULL && name[0] != '\0' && strlen(name) <= 100)
		return 0;
	fprintf(stderr, "csperf %s: --org '%s' is not an org unit (council, locality:NAME or "
		"team:NAME; csperf org-units lists them); e.g. --org locality:North\n", command, org);
	return CLI_EXIT_USAGE;
}

int cli_check_date(const char *command, const char *option, const char *date)
{
	int32_t day;

	if (date == NULL || csperf_date_parse_iso(date, &day) == 0)
		return 0;
	return bad(command, option, date, "a date written YYYY-MM-DD", "2019-01-31");
}

int cli_check_indicator(const char *command, const char *option, char *indicator)
{
	size_t len = indicator != NULL ? strlen(indicator) : 0;
	bool ok = len >= 2 && len <= 16 && isalpha((unsigned char)indicator[0]);

	if (indicator == NULL)
		return 0;
	for (size_t i = 0; ok && i < len; i++)
		ok = isascii((unsigned char)indicator[i]) && isalnum((unsigned char)indicator[i]);
	if (!ok)
		return bad(command, option, indicator,
			   "an indicator's id (letters and digits; `csperf indicators list`)", "CN02");
	for (size_t i = 0; i < len; i++)
		indicator[i] = (char)toupper((unsigned char)indicator[i]);
	return 0;
}

int cli_check_data(const char *command, const csperf_scorecard *sc)
{
	bool any = false;

	/* A council's own figures, or published ones to compare with. */
	for (size_t i = 0; i < sc->nrows && !any; i++) {
		any = sc->rows[i].value.present;
		for (size_t c = 0; c < sc->rows[i].ncomparators && !any; c++)
			any = sc->rows[i].comparators[c].value.present;
	}
	if (sc->data_to[0] == '\0' && !any) {
		fprintf(stderr, "csperf %s: council %s has no data loaded; nothing to show for %s\n",
			command, sc->council, sc->period);
		return CLI_EXIT_NODATA;
	}
	if (sc->data_to[0] != '\0' && strcmp(sc->period_start, sc->data_to) > 0) {
		fprintf(stderr, "csperf %s: council %s's data end on %s, before %s starts (%s): "
			"nothing to show\n", command, sc->council, sc->data_to, sc->period,
			sc->period_start);
		return CLI_EXIT_NODATA;
	}
	return 0;
}
