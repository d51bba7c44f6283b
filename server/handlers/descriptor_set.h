/*
 * descriptor_set.h: the FileDescriptorSet protoc wrote for proto/ at build
 * time (embedded in csperfd), read once into an index of its files and of the
 * fully qualified symbols each defines, for gRPC server reflection.
 *
 * The set's bytes are read here with the protobuf wire format alone (no
 * generated code for descriptor.proto): a file's serialized
 * FileDescriptorProto is a slice of the set, given to clients as it is.
 */
#ifndef CSPERF_SERVER_DESCRIPTOR_SET_H
#define CSPERF_SERVER_DESCRIPTOR_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct descriptor_file {
	const char *name;         /* "csperf/v1/service.proto" */
	const uint8_t *bytes;     /* its serialized FileDescriptorProto */
	size_t size;
	size_t ndeps;
	const char **deps;        /* the files it imports, by name */
} descriptor_file;

typedef struct descriptor_set descriptor_set;

/* Reads a serialized FileDescriptorSet (bytes must outlive the index).
 * NULL when it does not parse or memory runs out. */
descriptor_set *descriptor_set_read(const uint8_t *bytes, size_t size);
void descriptor_set_free(descriptor_set *set);

/* The index of csperfd's own descriptor set, read at the first call;
 * NULL if it did not parse (a build fault, logged). */
const descriptor_set *descriptor_set_builtin(void);

size_t descriptor_set_count(const descriptor_set *set);
const descriptor_file *descriptor_set_file(const descriptor_set *set, size_t index);

/* The index of the file named `name`, or -1. */
long descriptor_set_find_file(const descriptor_set *set, const char *name);

/* The index of the file defining the fully qualified symbol (a message, an
 * enum, a service, a method "pkg.Service.Method", an extension or an enum
 * value), with or without a leading '.', or -1. */
long descriptor_set_find_symbol(const descriptor_set *set, const char *symbol);

/* True if `type` (fully qualified) is a message of the set. */
bool descriptor_set_is_message(const descriptor_set *set, const char *type);

/* The file `index` and every file it imports, directly or not, each once,
 * the file first: their indexes in out (room for descriptor_set_count).
 * Returns how many. */
size_t descriptor_set_closure(const descriptor_set *set, size_t index, size_t *out);

/* Extensions: the file defining extension `number` of message `type`, or
 * -1. */
long descriptor_set_find_extension(const descriptor_set *set, const char *type, int number);

#endif
