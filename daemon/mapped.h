/* SPDX-License-Identifier: ISC */
/*
 * A capture file mapped for reading in place, its pages let go as the
 * reading moves on, and guarded against the file being cut shorter
 * while mapped.  One mapping at a time.
 */
#ifndef FLOWIDD_MAPPED_H
#define FLOWIDD_MAPPED_H

#include <stdbool.h>
#include <stddef.h>

struct mapped {
	void		*mp_base;	/* NULL: nothing mapped */
	size_t		 mp_len;
	size_t		 mp_dropped;	/* bytes let go from the start */
};

/*
 * Map the len bytes of the regular file fd.  Returns 0, or -1 (errno
 * set) when it cannot be mapped, or another mapping is open.
 */
int	mapped_open(struct mapped *, int fd, size_t len);

/*
 * Let go of the pages below offset off: nothing reads them again.
 * Returns whether some were (once a MiB read).
 */
bool	mapped_release(struct mapped *, size_t off);

/*
 * Whether a read from the mapping found the file cut shorter since
 * mapped_open.  The page read then reads as zeros instead of stopping
 * flowidd with SIGBUS.
 */
bool	mapped_cut(void);

void	mapped_close(struct mapped *);

#endif /* FLOWIDD_MAPPED_H */
