/*
 * memfd_fuzz.h: the input as a file, for fuzz_config.c, fuzz_jsonl.c,
 * fuzz_logread.c and fuzz_model.c.  fuzz_file_open (from
 * LLVMFuzzerInitialize) creates a memfd, fuzz_fd, and its path
 * /proc/self/fd/N, fuzz_path; fuzz_file_put (once per input) replaces
 * its contents with the input and rewinds it.
 */
#ifndef MEMFD_FUZZ_H
#define MEMFD_FUZZ_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int	fuzz_fd = -1;
static char	fuzz_path[64];

static void
fuzz_file_open(const char *name)
{
	if ((fuzz_fd = memfd_create(name, MFD_CLOEXEC)) == -1) {
		perror("memfd_create");
		exit(1);
	}
	snprintf(fuzz_path, sizeof fuzz_path, "/proc/self/fd/%d", fuzz_fd);
}

static void
fuzz_file_put(const uint8_t *d, size_t n)
{
	size_t	off = 0;
	ssize_t	w;

	if (ftruncate(fuzz_fd, 0) == -1)
		abort();
	while (off < n) {
		w = pwrite(fuzz_fd, d + off, n - off, (off_t)off);
		if (w <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			abort();
		}
		off += (size_t)w;
	}
	if (lseek(fuzz_fd, 0, SEEK_SET) == -1)
		abort();
}

#endif
