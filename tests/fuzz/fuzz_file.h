/* SPDX-License-Identifier: ISC */
/*
 * The file a file-reading fuzz target hands its code under test: one
 * in-memory file (memfd), named by a /proc path, rewritten with each
 * input.  Each target is one program, so the state lives here.
 */
#ifndef FLOWID_FUZZ_FILE_H
#define FLOWID_FUZZ_FILE_H

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int	fuzz_fd = -1;
static char	fuzz_path[64];

/* Create the file; from LLVMFuzzerInitialize. */
static void
fuzz_file_init(const char *name)
{
	if ((fuzz_fd = memfd_create(name, 0)) == -1)
		abort();
	snprintf(fuzz_path, sizeof(fuzz_path), "/proc/self/fd/%d", fuzz_fd);
}

/* Replace the file's contents with len bytes at data. */
static void
fuzz_file_write(const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 off = 0;
	ssize_t		 n;

	if (ftruncate(fuzz_fd, 0) == -1)
		abort();
	while (off < len) {
		if ((n = pwrite(fuzz_fd, p + off, len - off,
		    (off_t)off)) <= 0)
			abort();
		off += (size_t)n;
	}
}

#endif /* FLOWID_FUZZ_FILE_H */
