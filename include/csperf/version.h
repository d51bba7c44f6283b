/*
 * csperf/version.h: the version of the csperf SDK these headers describe.
 */
#ifndef CSPERF_VERSION_H
#define CSPERF_VERSION_H

#define CSPERF_VERSION_MAJOR 0
#define CSPERF_VERSION_MINOR 1
#define CSPERF_VERSION_PATCH 0
#define CSPERF_VERSION "0.1.0"
/* One number that grows with each release: 0xMMmmpp. */
#define CSPERF_VERSION_NUMBER \
	((CSPERF_VERSION_MAJOR << 16) | (CSPERF_VERSION_MINOR << 8) | CSPERF_VERSION_PATCH)

#endif
