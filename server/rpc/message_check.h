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

/* Decodes len bytes as a message of desc, as csperfd decodes every request:
 * protobuf-c's unpack, then the UTF-8 check above. Returns the message (free
 * with protobuf_c_message_free_unpacked), or NULL when the bytes do not
 * decode or a string is not UTF-8. The fuzz target tests/fuzz/fuzz_requests.c
 * feeds it arbitrary bytes. */
ProtobufCMessage *message_decode(const ProtobufCMessageDescriptor *desc, size_t len,
				 const uint8_t *data);

#endif
