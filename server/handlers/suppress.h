/*
 * suppress.h: small-number suppression as a property of the data a role
 * receives, enforced in the one place every reply passes through: csperfd's
 * send filter (rpc.h, rpc_send_filter) walks each message it sends to a role
 * that must not see small numbers (auth_suppression_for) by its protobuf-c
 * descriptor and hides every count from 1 to the threshold, marking the
 * figures it hides as suppressed (docs/SECURITY.md, "Small-number
 * suppression").
 *
 * What is a count:
 * - a Figure under numerator or denominator, and a Figure in a message
 *   whose unit (the nearest enclosing `unit` field) is "count" or unknown;
 * - a Figure `value` beside a numerator or denominator: hidden with them
 *   when either is small (the derived rule), and checked as a count when
 *   neither is present;
 * - every other number, unless suppress_not_counts lists it.
 * A field added later is a count until it is listed: it cannot escape.
 * Rates and percentages of other periods (previous, year ago, trend) rest
 * on the data masked before they are computed (engine/scorecard.h,
 * scorecard_values_suppress).
 */
#ifndef CSPERF_SERVER_HANDLERS_SUPPRESS_H
#define CSPERF_SERVER_HANDLERS_SUPPRESS_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../rpc/rpc.h"

/* The send filter (rpc_send_filter) csperfd serves with; app is the app. */
int suppress_send_filter(rpc_call *call, void *app, const uint8_t *packed, size_t size,
			 uint8_t **out, size_t *out_size);

/* Hides every count from 1 to threshold in msg and its sub-messages, as
 * above. Returns the number of values hidden. */
size_t suppress_message(ProtobufCMessage *msg, int threshold);

/* The reply type of a method ("/csperf.v1.Performance/GetScorecard"), from
 * the service descriptors; NULL for a method csperfd does not know. */
const ProtobufCMessageDescriptor *suppress_reply_descriptor(const char *method);

/* The numbers in replies that are not counts of children ("message.field",
 * full names: identifiers, versions, money, days, clocks), NULL-terminated.
 * tests/unit/test_suppress.c checks that each names a field, and that every
 * number of every reply is either here or in suppress_counts. */
extern const char *const suppress_not_counts[];

/* The numbers in replies that are counts (of children, records, lines),
 * NULL-terminated: listed so that the test above can tell a field nobody
 * has classified. */
extern const char *const suppress_counts[];

#endif
