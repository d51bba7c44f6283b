/*
 * descriptor_set.c: reads a FileDescriptorSet with the wire format alone
 * (descriptor_set.h). The fields read, from google/protobuf/descriptor.proto:
 *   FileDescriptorSet:      file 1
 *   FileDescriptorProto:    name 1, package 2, dependency 3, message_type 4,
 *                           enum_type 5, service 6, extension 7
 *   DescriptorProto:        name 1, field 2, nested_type 3, enum_type 4,
 *                           extension 6
 *   FieldDescriptorProto:   name 1, number 3, extendee 2
 *   EnumDescriptorProto:    name 1, value 2 (EnumValueDescriptorProto: name 1)
 *   ServiceDescriptorProto: name 1, method 2 (MethodDescriptorProto: name 1)
 */
#include "descriptor_set.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"

extern const unsigned char csperf_descriptor_set[];
extern const size_t csperf_descriptor_set_size;

typedef enum symbol_kind { SYMBOL_PLAIN, SYMBOL_MESSAGE, SYMBOL_EXTENSION } symbol_kind;

typedef struct symbol {
	char *name;         /* fully qualified, no leading '.' */
	size_t file;
	symbol_kind kind;
	char *extendee;     /* extensions: the extended type, no leading '.' */
	int number;         /* extensions: the field number */
} symbol;

struct descriptor_set {
	descriptor_file *files;
	size_t nfiles;
	symbol *symbols;
	size_t nsymbols, capacity;
	bool failed;
};

/* ---- the wire format ---- */

typedef struct reader {
	const uint8_t *p, *end;
} reader;

static bool read_varint(reader *r, uint64_t *out)
{
	uint64_t value = 0;

	for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
		uint8_t byte = *r->p++;

		value |= (uint64_t)(byte & 0x7f) << shift;
		if ((byte & 0x80) == 0) {
			*out = value;
			return true;
		}
	}
	return false;
}

/* The next field: its number, wire type, and for a length-delimited one its
 * bytes (and for a varint its value). False at the end or on bad bytes
 * (*bad says which). */
static bool next_field(reader *r, unsigned *number, reader *bytes, uint64_t *value, bool *bad)
{
	uint64_t key, length;

	*bad = false;
	if (r->p >= r->end)
		return false;
	if (!read_varint(r, &key))
		goto bad;
	*number = (unsigned)(key >> 3);
	switch (key & 7) {
	case 0:
		if (!read_varint(r, value))
			goto bad;
		bytes->p = bytes->end = NULL;
		return true;
	case 1:
		if (r->end - r->p < 8)
			goto bad;
		r->p += 8;
		break;
	case 2:
		if (!read_varint(r, &length) || length > (uint64_t)(r->end - r->p))
			goto bad;
		bytes->p = r->p;
		bytes->end = r->p + length;
		r->p += length;
		return true;
	case 5:
		if (r->end - r->p < 4)
			goto bad;
		r->p += 4;
		break;
	default:
		goto bad;
	}
	bytes->p = bytes->end = NULL;
	return true;
bad:
	*bad = true;
	return false;
}

static char *copy_string(reader bytes)
{
	size_t n = (size_t)(bytes.end - bytes.p);
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, bytes.p, n);
		s[n] = '\0';
	}
	return s;
}

/* The string field `wanted` of a message, malloc'd; "" when absent. */
static char *string_field(reader msg, unsigned wanted)
{
	unsigned number;
	reader bytes;
	uint64_t value;
	bool bad;
	char *found = NULL;

	while (next_field(&msg, &number, &bytes, &value, &bad))
		if (number == wanted && bytes.p != NULL) {
			free(found);
			found = copy_string(bytes);
		}
	return found != NULL ? found : strdup("");
}

static uint64_t varint_field(reader msg, unsigned wanted)
{
	unsigned number;
	reader bytes;
	uint64_t value, found = 0;
	bool bad;

	while (next_field(&msg, &number, &bytes, &value, &bad))
		if (number == wanted && bytes.p == NULL)
			found = value;
	return found;
}

/* ---- the index ---- */

static char *qualified(const char *scope, const char *name)
{
	size_t n = strlen(scope) + strlen(name) + 2;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s%s%s", scope, scope[0] != '\0' ? "." : "", name);
	return s;
}

/* Adds a symbol; takes name (and extendee). */
static void add_symbol(descriptor_set *set, char *name, size_t file, symbol_kind kind,
		       char *extendee, int number)
{
	if (name == NULL || (kind == SYMBOL_EXTENSION && extendee == NULL)) {
		set->failed = true;
		free(name);
		free(extendee);
		return;
	}
	if (set->nsymbols == set->capacity) {
		size_t capacity = set->capacity != 0 ? set->capacity * 2 : 256;
		symbol *bigger = realloc(set->symbols, capacity * sizeof(*bigger));

		if (bigger == NULL) {
			set->failed = true;
			free(name);
			free(extendee);
			return;
		}
		set->symbols = bigger;
		set->capacity = capacity;
	}
	set->symbols[set->nsymbols++] = (symbol){ name, file, kind, extendee, number };
}

/* A named thing (field 1 is its name) within scope. The name, malloc'd. */
static char *named(reader msg, const char *scope)
{
	char *name = string_field(msg, 1);
	char *full = name != NULL ? qualified(scope, name) : NULL;

	free(name);
	return full;
}

/* Its type without a leading '.'. */
static char *strip_dot(char *type)
{
	if (type != NULL && type[0] == '.')
		memmove(type, type + 1, strlen(type));
	return type;
}

static void index_extension(descriptor_set *set, reader field, const char *scope, size_t file)
{
	add_symbol(set, named(field, scope), file, SYMBOL_EXTENSION,
		   strip_dot(string_field(field, 2)), (int)varint_field(field, 3));
}

/* The things a message lists at field 2 (an enum's values, a service's
 * methods), each named within child_scope. */
static void index_children(descriptor_set *set, reader msg, const char *child_scope,
			   size_t file)
{
	unsigned number;
	reader bytes;
	uint64_t value;
	bool bad;

	while (next_field(&msg, &number, &bytes, &value, &bad))
		if (number == 2 && bytes.p != NULL)
			add_symbol(set, named(bytes, child_scope), file, SYMBOL_PLAIN, NULL, 0);
	if (bad)
		set->failed = true;
}

/* An enum; its values are scoped beside it, as in C++. */
static void index_enum(descriptor_set *set, reader msg, const char *scope, size_t file)
{
	index_children(set, msg, scope, file);
	add_symbol(set, named(msg, scope), file, SYMBOL_PLAIN, NULL, 0);
}

static void index_message(descriptor_set *set, reader msg, const char *scope, size_t file,
			  int depth)
{
	char *name = named(msg, scope);
	unsigned number;
	reader bytes;
	uint64_t value;
	bool bad;

	if (name == NULL || depth > 32) {
		free(name);
		set->failed = true;
		return;
	}
	while (next_field(&msg, &number, &bytes, &value, &bad)) {
		if (bytes.p == NULL)
			continue;
		if (number == 3)
			index_message(set, bytes, name, file, depth + 1);
		else if (number == 4)
			index_enum(set, bytes, name, file);
		else if (number == 6)
			index_extension(set, bytes, name, file);
	}
	if (bad)
		set->failed = true;
	add_symbol(set, name, file, SYMBOL_MESSAGE, NULL, 0);
}

/* A service and its methods ("pkg.Service.Method"). */
static void index_service(descriptor_set *set, reader msg, const char *scope, size_t file)
{
	char *name = named(msg, scope);

	if (name != NULL)
		index_children(set, msg, name, file);
	add_symbol(set, name, file, SYMBOL_PLAIN, NULL, 0);
}

static void index_file(descriptor_set *set, size_t index)
{
	descriptor_file *f = &set->files[index];
	reader msg = { f->bytes, f->bytes + f->size }, bytes;
	char *package = string_field(msg, 2);
	unsigned number;
	uint64_t value;
	bool bad;

	f->name = string_field(msg, 1);
	if (package == NULL || f->name == NULL) {
		free(package);
		set->failed = true;
		return;
	}
	while (next_field(&msg, &number, &bytes, &value, &bad)) {
		if (bytes.p == NULL)
			continue;
		if (number == 3) {
			const char **deps = realloc(f->deps, (f->ndeps + 1) * sizeof(*deps));
			char *dep = copy_string(bytes);

			if (deps == NULL || dep == NULL) {
				if (deps != NULL)
					f->deps = deps;
				free(dep);
				set->failed = true;
				break;
			}
			f->deps = deps;
			f->deps[f->ndeps++] = dep;
		} else if (number == 4) {
			index_message(set, bytes, package, index, 0);
		} else if (number == 5) {
			index_enum(set, bytes, package, index);
		} else if (number == 6) {
			index_service(set, bytes, package, index);
		} else if (number == 7) {
			index_extension(set, bytes, package, index);
		}
	}
	if (bad)
		set->failed = true;
	free(package);
}

descriptor_set *descriptor_set_read(const uint8_t *bytes, size_t size)
{
	descriptor_set *set = calloc(1, sizeof(*set));
	reader r = { bytes, bytes + size }, file;
	unsigned number;
	uint64_t value;
	bool bad;

	if (set == NULL)
		return NULL;
	while (next_field(&r, &number, &file, &value, &bad)) {
		descriptor_file *files;

		if (number != 1 || file.p == NULL)
			continue;
		files = realloc(set->files, (set->nfiles + 1) * sizeof(*files));
		if (files == NULL) {
			bad = true;
			break;
		}
		set->files = files;
		set->files[set->nfiles] = (descriptor_file){ NULL, file.p,
							     (size_t)(file.end - file.p), 0, NULL };
		index_file(set, set->nfiles++);
	}
	if (bad || set->failed || set->nfiles == 0) {
		descriptor_set_free(set);
		return NULL;
	}
	return set;
}

void descriptor_set_free(descriptor_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->nfiles; i++) {
		free((char *)set->files[i].name);
		for (size_t d = 0; d < set->files[i].ndeps; d++)
			free((char *)set->files[i].deps[d]);
		free(set->files[i].deps);
	}
	free(set->files);
	for (size_t i = 0; i < set->nsymbols; i++) {
		free(set->symbols[i].name);
		free(set->symbols[i].extendee);
	}
	free(set->symbols);
	free(set);
}

static descriptor_set *builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void read_builtin(void)
{
	builtin = descriptor_set_read(csperf_descriptor_set, csperf_descriptor_set_size);
	if (builtin == NULL)
		log_error("reflection: the embedded descriptor set does not parse");
}

const descriptor_set *descriptor_set_builtin(void)
{
	pthread_once(&builtin_once, read_builtin);
	return builtin;
}

size_t descriptor_set_count(const descriptor_set *set)
{
	return set->nfiles;
}

const descriptor_file *descriptor_set_file(const descriptor_set *set, size_t index)
{
	return index < set->nfiles ? &set->files[index] : NULL;
}

long descriptor_set_find_file(const descriptor_set *set, const char *name)
{
	for (size_t i = 0; i < set->nfiles; i++)
		if (strcmp(set->files[i].name, name) == 0)
			return (long)i;
	return -1;
}

static const symbol *find_symbol(const descriptor_set *set, const char *name)
{
	if (name[0] == '.')
		name++;
	for (size_t i = 0; i < set->nsymbols; i++)
		if (strcmp(set->symbols[i].name, name) == 0)
			return &set->symbols[i];
	return NULL;
}

long descriptor_set_find_symbol(const descriptor_set *set, const char *name)
{
	const symbol *s = find_symbol(set, name);

	return s != NULL ? (long)s->file : -1;
}

bool descriptor_set_is_message(const descriptor_set *set, const char *type)
{
	const symbol *s = find_symbol(set, type);

	return s != NULL && s->kind == SYMBOL_MESSAGE;
}

long descriptor_set_find_extension(const descriptor_set *set, const char *type, int number)
{
	if (type[0] == '.')
		type++;
	for (size_t i = 0; i < set->nsymbols; i++)
		if (set->symbols[i].kind == SYMBOL_EXTENSION && set->symbols[i].number == number &&
		    strcmp(set->symbols[i].extendee, type) == 0)
			return (long)set->symbols[i].file;
	return -1;
}

size_t descriptor_set_closure(const descriptor_set *set, size_t index, size_t *out)
{
	size_t n = 0;

	if (index >= set->nfiles)
		return 0;
	out[n++] = index;
	/* Breadth first over imports; each file once. */
	for (size_t next = 0; next < n; next++) {
		const descriptor_file *f = &set->files[out[next]];

		for (size_t d = 0; d < f->ndeps; d++) {
			long dep = descriptor_set_find_file(set, f->deps[d]);
			bool seen = dep < 0;

			for (size_t k = 0; k < n && !seen; k++)
				seen = out[k] == (size_t)dep;
			if (!seen && n < set->nfiles)
				out[n++] = (size_t)dep;
		}
	}
	return n;
}
