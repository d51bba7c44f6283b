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
	if (msg != NULL && !message_strings_valid(msg)) {
		protobuf_c_message_free_unpacked(msg, NULL);
		return NULL;
	}
	return msg;
}
