/*
 * message_check.c: walking a protobuf-c message by its descriptor to check
 * its strings.
 */
#include "message_check.h"

#include "../utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool message_utf8_valid(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_char_length(text + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

static bool string_valid(const char *text)
{
	return text == NULL || message_utf8_valid(text, strlen(text));
}

bool message_strings_valid(const ProtobufCMessage *msg)
{
	const ProtobufCMessageDescriptor *desc;

	if (msg == NULL)
		return true;
	desc = msg->descriptor;
	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *field = &desc->fields[i];
		const char *base = (const char *)msg;
		const void *member = base + field->offset;

		if (field->type != PROTOBUF_C_TYPE_STRING && field->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		/* A oneof member shares its storage: read it only when it is the one set. */
		if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
		    *(const uint32_t *)(base + field->quantifier_offset) != field->id)
			continue;
		if (field->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t count = *(const size_t *)(base + field->quantifier_offset);
			void *const *items = *(void *const *const *)member;

			for (size_t k = 0; k < count; k++) {
				if (field->type == PROTOBUF_C_TYPE_STRING ? !string_valid(items[k])
				    : !message_strings_valid(items[k]))
					return false;
			}
		} else if (field->type == PROTOBUF_C_TYPE_STRING) {
			if (!string_valid(*(const char *const *)member))
				return false;
		} else if (!message_strings_valid(*(const ProtobufCMessage *const *)member)) {
			return false;
		}
	}
	return true;
}

static bool read_varint(const uint8_t *data, size_t len, size_t *at, uint64_t *out)
{
	uint64_t value = 0;

	for (int shift = 0; shift < 64 && *at < len; shift += 7) {
		uint8_t byte = data[(*at)++];

		value |= (uint64_t)(byte & 0x7f) << shift;
		if ((byte & 0x80) == 0) {
			*out = value;
			return true;
		}
	}
	return false;
}

/* Whether the wire bytes of a message of desc hold a string with a NUL byte,
 * at any depth. protobuf-c keeps such a string whole, but as a C string it
 * ends at the NUL: council "960\0x" would be served as 960. */
static bool wire_has_nul(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len,
			 int depth)
{
	size_t at = 0;

	while (at < len) {
		uint64_t tag, value;
		const ProtobufCFieldDescriptor *field;

		if (!read_varint(data, len, &at, &tag))
			return false;
		switch (tag & 7) {
		case 0:
			if (!read_varint(data, len, &at, &value))
				return false;
			break;
		case 1:
			at += 8;
			break;
		case 5:
			at += 4;
			break;
		case 2:
			if (!read_varint(data, len, &at, &value) || value > len - at)
				return false;
			field = tag >> 3 <= UINT32_MAX
				? protobuf_c_message_descriptor_get_field(desc, (unsigned)(tag >> 3)) : NULL;
			if (field != NULL && field->type == PROTOBUF_C_TYPE_STRING &&
			    memchr(data + at, 0, (size_t)value) != NULL)
				return true;
			if (field != NULL && field->type == PROTOBUF_C_TYPE_MESSAGE && depth < 64 &&
			    wire_has_nul(field->descriptor, data + at, (size_t)value, depth + 1))
				return true;
			at += (size_t)value;
			break;
		default:
			return false;
		}
	}
	return false;
}

typedef struct decode_budget {
	size_t left;
	bool exceeded;
} decode_budget;

/* malloc and free, so that the message is freed as any other (with a NULL
 * allocator); each block counted with malloc's own overhead. */
static void *budget_alloc(void *data, size_t size)
{
	decode_budget *budget = data;
	size_t cost = size + 16;

	if (cost < size || cost > budget->left) {
		budget->exceeded = true;
		return NULL;
	}
	budget->left -= cost;
	return malloc(size);
}

static void budget_free(void *data, void *pointer)
{
	(void)data;
	free(pointer);
}

ProtobufCMessage *message_decode(const ProtobufCMessageDescriptor *desc, size_t len,
				 const uint8_t *data, bool *too_large)
{
	decode_budget budget = { MESSAGE_DECODE_BUDGET, false };
	ProtobufCAllocator allocator = { budget_alloc, budget_free, &budget };
	ProtobufCMessage *msg = protobuf_c_message_unpack(desc, &allocator, len, data);

	if (too_large != NULL)
		*too_large = budget.exceeded;
	if (msg != NULL && (!message_strings_valid(msg) || wire_has_nul(desc, data, len, 0))) {
		protobuf_c_message_free_unpacked(msg, NULL);
		return NULL;
	}
	return msg;
}
