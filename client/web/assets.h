/*
 * assets.h: csperf-web's stylesheet and script, served from itself (no CDN,
 * nothing external: the Content-Security-Policy allows only 'self').
 */
#ifndef CSPERF_WEB_ASSETS_H
#define CSPERF_WEB_ASSETS_H

extern const char web_css[];
extern const char web_js[];

#endif
