/*
 * message_check.h: checks of a decoded protobuf-c message that protobuf-c
 * does not make. proto3 wants every string to be UTF-8, and PostgreSQL
 * refuses text that is not, with an error a client cannot act on: csperfd
 * refuses such a message as it arrives (INVALID_ARGUMENT), so no handler
 * ever sees one.
 */
#ifndef CSPERF_SERVER_MESSAGE_CHECK_H
#define CSPERF_SERVER_MESSAGE_CHECK_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the len bytes at text are well-formed UTF-8 (no overlong forms,
 * no surrogates, nothing above U+10FFFF). */
bool message_utf8_valid(const char *text, size_t len);

/* Whether every string of msg, its sub-messages and repeated fields
 * included, is valid UTF-8. */
bool message_strings_valid(const ProtobufCMessage *msg);

/* The memory one decoded message may take. protobuf-c allocates each string
 * and sub-message apart: an empty string is 2 bytes on the wire and some 40
 * in memory, so 16 MB of them would take over 500 MB. A batch of the SDK's
 * (1 MB) takes well under 64 MB. */
#define MESSAGE_DECODE_BUDGET (128u * 1024 * 1024)

/* Decodes len bytes as a message of desc, as csperfd decodes every request:
 * protobuf-c's unpack (within MESSAGE_DECODE_BUDGET), then the UTF-8 check
 * above and a look for NUL bytes in strings (a C string would end there).
 * Returns the message (free with protobuf_c_message_free_unpacked), or NULL
 * when the bytes do not decode, a string is not UTF-8 or holds a NUL, or the
 * message would take more than the budget (then *too_large is set, when
 * too_large is not NULL). The fuzz target tests/fuzz/fuzz_requests.c feeds
 * it arbitrary bytes. */
ProtobufCMessage *message_decode(const ProtobufCMessageDescriptor *desc, size_t len,
				 const uint8_t *data, bool *too_large);

#endif
