/*
 * fuzz_file.h: the readers take a path, so each fuzz input is written to an
 * anonymous in-memory file (memfd) and read back through /proc/self/fd.
 */
#ifndef CSPERF_FUZZ_FILE_H
#define CSPERF_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct fuzz_file {
	int fd;
	char path[64];
} fuzz_file;

/* Writes data to a fresh memfd; 0, or -1 (then there is nothing to read). */
static inline int fuzz_file_open(fuzz_file *f, const uint8_t *data, size_t size)
{
	size_t done = 0;

	f->fd = memfd_create("csperf-fuzz", 0);
	if (f->fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(f->fd, data + done, size - done);

		if (n <= 0) {
			close(f->fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	return 0;
}

static inline void fuzz_file_close(fuzz_file *f)
{
	close(f->fd);
}

#endif
