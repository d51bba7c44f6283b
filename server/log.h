/*
 * log.h: csperfd's log, one line per event on standard error.
 *
 * Lines are "2026-11-21T10:00:00Z LEVEL message". Callers never pass tokens,
 * child identifiers, UPNs or postcodes: log what happened, not whose data.
 */
#ifndef CSPERF_SERVER_LOG_H
#define CSPERF_SERVER_LOG_H

typedef enum log_level {
	LOG_LEVEL_DEBUG = 0,
	LOG_LEVEL_INFO = 1,
	LOG_LEVEL_WARN = 2,
	LOG_LEVEL_ERROR = 3
} log_level;

/* Parses "debug", "info", "warn" or "error"; returns -1 if none of them. */
int log_level_parse(const char *name, log_level *out);
void log_set_level(log_level level);
log_level log_get_level(void);

void log_message(log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_message(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_message(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_message(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_message(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
