/* log.c: timestamped, levelled lines on standard error, one write per line. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static volatile log_level current_level = LOG_LEVEL_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

int log_level_parse(const char *name, log_level *out)
{
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(name, level_names[i]) == 0) {
			*out = (log_level)i;
			return 0;
		}
	}
	if (strcasecmp(name, "warning") == 0) {
		*out = LOG_LEVEL_WARN;
		return 0;
	}
	return -1;
}

void log_set_level(log_level level)
{
	current_level = level;
}

log_level log_get_level(void)
{
	return current_level;
}

void log_message(log_level level, const char *fmt, ...)
{
	char line[2048];
	struct tm tm;
	struct timespec now;
	size_t len;
	va_list ap;

	if (level < current_level)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	len = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	len += (size_t)snprintf(line + len, sizeof(line) - len, "%-5s ",
				level_names[level]);
	va_start(ap, fmt);
	vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	va_end(ap);
	len = strlen(line);
	line[len++] = '\n';
	/* One write(2) per line keeps lines whole when threads log at once. */
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}
