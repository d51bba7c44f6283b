/*
 * bench/recompute.c: csperf-recompute, recomputes a council's whole catalogue
 * the way csperfd does after every load, and says how long it took.
 *
 *   csperf-recompute --dsn DSN --council CODE [--repeat N] [--by-indicator] [--changes]
 *                    [--lane-children N]
 *   csperf-recompute --dsn DSN --sql INDICATOR
 *
 * It links csperfd's own modules (csperfd_core) and calls compute_council(),
 * the function csperfd's LoadRecords handler calls after committing a load,
 * against the same database csperfd uses: the work measured is exactly the
 * server's. Each run prints one line:
 *
 *   run=1 wall_ms=12345 compute_ms=12001 indicators=85 values=64241 failures=0
 *
 * wall_ms is the whole of compute_council (definitions, the council's data
 * range, the periods, every indicator, the commit); compute_ms is what
 * csperfd records in compute_run.milliseconds (from the periods to the
 * commit). With --by-indicator, the last run's time per indicator follows,
 * slowest first, from csperfd's own debug log lines ("ms since the start").
 *
 * --lane-children N: as csperfd's option, the children from which a recompute
 * takes a second connection (default 5,000; a large number: never).
 *
 * --changes calls compute_council_changes() instead, csperfd's recompute after
 * a load or a deletion: only the periods changed since the last recompute.
 *
 * --sql prints the SQL the engine writes for one indicator's current
 * definition (what compute_council runs inside its INSERT, over the temporary
 * tables pg_temp.engine_period, engine_period_month and engine_end_date), to
 * read or EXPLAIN.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compute.h"
#include "engine/engine.h"
#include "log.h"
#include "status.h"

typedef struct indicator_time {
	char id[32];
	long values;
	long milliseconds;
} indicator_time;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int compare_slowest(const void *a, const void *b)
{
	const indicator_time *x = a, *y = b;

	return (x->milliseconds < y->milliseconds) - (x->milliseconds > y->milliseconds);
}

/* Reads csperfd's debug lines "compute: council C, indicator ID: N values,
 * T ms since the start" and prints each indicator's share, slowest first. */
static void print_by_indicator(FILE *log, long total_ms)
{
	indicator_time *times = NULL;
	size_t count = 0, capacity = 0;
	long previous = 0;
	char line[2048];

	rewind(log);
	while (fgets(line, sizeof(line), log) != NULL) {
		const char *at = strstr(line, ", indicator ");
		indicator_time t;

		if (at == NULL || strstr(line, "since the start") == NULL)
			continue;
		if (sscanf(at, ", indicator %31[^:]: %ld values, %ld ms", t.id, &t.values,
			   &t.milliseconds) != 3)
			continue;
		if (count == capacity) {
			size_t bigger = capacity == 0 ? 128 : capacity * 2;
			indicator_time *grown = realloc(times, bigger * sizeof(*grown));

			if (grown == NULL)
				break;
			times = grown;
			capacity = bigger;
		}
		/* The log gives the time since the start: an indicator's own time is
		 * the difference from the one before. */
		{
			long since_start = t.milliseconds;

			t.milliseconds = since_start - previous;
			previous = since_start;
		}
		times[count++] = t;
	}
	qsort(times, count, sizeof(*times), compare_slowest);
	printf("%-12s %10s %8s %7s\n", "indicator", "values", "ms", "share");
	for (size_t i = 0; i < count; i++)
		printf("%-12s %10ld %8ld %6.1f%%\n", times[i].id, times[i].values,
		       times[i].milliseconds,
		       total_ms > 0 ? 100.0 * times[i].milliseconds / total_ms : 0.0);
	free(times);
}

static int print_sql(const store_definition *d, void *ctx)
{
	engine_indicator *ind = NULL;
	char err[256];
	char *sql;

	(void)ctx;
	if (engine_indicator_parse(d->kind, d->params, &ind, err, sizeof(err)) != 0) {
		fprintf(stderr, "csperf-recompute: %s: %s\n", d->indicator_id, err);
		return 1;
	}
	sql = engine_indicator_sql(ind);
	engine_indicator_free(ind);
	if (sql == NULL)
		return 1;
	printf("-- %s version %d (%s), periods %s\n%s;\n", d->indicator_id, d->version, d->kind,
	       d->period_types, sql);
	free(sql);
	return 0;
}

static void usage(FILE *out)
{
	fputs("Usage: csperf-recompute --dsn DSN --council CODE [--repeat N] [--by-indicator] "
	      "[--changes] [--lane-children N]\n"
	      "       csperf-recompute --dsn DSN --sql INDICATOR\n"
	      "Recomputes the council's whole catalogue (--changes: only what changed, as\n"
	      "csperfd does after a load), or prints the SQL of one indicator.\n", out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dsn", required_argument, NULL, 'd' },
		{ "council", required_argument, NULL, 'c' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "by-indicator", no_argument, NULL, 'i' },
		{ "changes", no_argument, NULL, 'g' },
		{ "sql", required_argument, NULL, 's' },
		{ "lane-children", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dsn = NULL, *council = NULL, *sql_of = NULL;
	int repeat = 1, by_indicator = 0, changes = 0, opt, rc = 1;
	store_pool *pool = NULL;
	status st = STATUS_INIT;
	FILE *log = NULL;
	int saved_stderr = -1;
	long last_ms = 0;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'd': dsn = optarg; break;
		case 'c': council = optarg; break;
		case 'r': repeat = atoi(optarg); break;
		case 'i': by_indicator = 1; break;
		case 'g': changes = 1; break;
		case 's': sql_of = optarg; break;
		case 'l': store_compute_lane_from(atoi(optarg)); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (dsn == NULL || (council == NULL && sql_of == NULL) || repeat < 1 || repeat > 100) {
		usage(stderr);
		return 1;
	}
	if (store_pool_open(&pool, dsn, 2, &st) != 0) {
		fprintf(stderr, "csperf-recompute: %s\n", st.message);
		return 1;
	}
	if (sql_of != NULL) {
		rc = store_list_definitions(pool, INT64_MAX, sql_of, print_sql, NULL, &st);
		if (rc != 0 && st.message[0] != '\0')
			fprintf(stderr, "csperf-recompute: %s\n", st.message);
		store_pool_close(pool);
		return rc == 0 ? 0 : 1;
	}
	for (int run = 1; run <= repeat; run++) {
		store_compute_stats stats;
		double started;

		if (by_indicator && run == repeat) {
			/* The last run logs each indicator (csperfd's debug lines) into
			 * a file of ours. */
			log = tmpfile();
			if (log == NULL) {
				fprintf(stderr, "csperf-recompute: tmpfile: %s\n", strerror(errno));
				goto cleanup;
			}
			fflush(stderr);
			saved_stderr = dup(STDERR_FILENO);
			dup2(fileno(log), STDERR_FILENO);
			log_set_level(LOG_LEVEL_DEBUG);
		} else {
			log_set_level(LOG_LEVEL_WARN);
		}
		started = now_ms();
		if (changes)
			rc = compute_council_changes(pool, INT64_MAX, council, &stats, &st);
		else
			rc = compute_council(pool, INT64_MAX, council, NULL, &stats, &st);
		if (saved_stderr >= 0) {
			dup2(saved_stderr, STDERR_FILENO);
			close(saved_stderr);
			saved_stderr = -1;
		}
		if (rc != 0) {
			fprintf(stderr, "csperf-recompute: council %s: %s\n", council, st.message);
			goto cleanup;
		}
		printf("run=%d wall_ms=%.0f compute_ms=%ld indicators=%d values=%ld failures=%d\n",
		       run, now_ms() - started, stats.milliseconds, stats.indicators, stats.values,
		       stats.failures);
		fflush(stdout);
		last_ms = stats.milliseconds;
	}
	if (log != NULL)
		print_by_indicator(log, last_ms);
	rc = 0;
cleanup:
	if (log != NULL)
		fclose(log);
	store_pool_close(pool);
	return rc;
}
