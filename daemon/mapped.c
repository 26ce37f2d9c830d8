/* SPDX-License-Identifier: ISC */
/*
 * Mapped capture files (mapped.h).
 *
 * Pages of the mapping that were read count in the resident size until
 * unmapped, so they are unmapped a MiB at a time behind the reader: a
 * 1 GB file does not look like 1 GB of flowidd's memory.
 *
 * A file cut shorter while mapped makes reads past its new end raise
 * SIGBUS.  The handler maps a page of zeros over the faulting page,
 * notes the cut and returns; the read is retried and finds zeros, and
 * the caller, told by mapped_cut(), hands the file to libpcap, which
 * reads what is really there.  A SIGBUS outside the mapping is not ours:
 * the former action is put back and the signal raised again.
 *
 * The caller also looks at the file's size once a MiB (capture.c), so
 * a cut below the MiB being read is found before any of it is read.
 *
 * XXX: a cut inside the MiB being read, after that look, can still give
 * records with zeros: the rest of the page holding the new end reads as
 * zeros without a fault, and a record's pages can go between the check
 * and the decoding.  Such records (empty ones, or one with a zeroed
 * tail) are counted before the next fault hands over, and the run then
 * ends without libpcap's "truncated dump file".  Looking at the size
 * before each record would cost a system call a packet and still leave
 * the second window; libpcap's own stdio buffer has the same window.
 */

#include <sys/mman.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "mapped.h"

#define MAPPED_DROP	(1024 * 1024)

static struct {
	char			*base;	/* the one mapping guarded */
	size_t			 len;
	uintptr_t		 page;	/* the page size */
	volatile sig_atomic_t	 cut;
	struct sigaction	 old;
} guard;

static void
mapped_on_bus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t	a = (uintptr_t)si->si_addr, b = (uintptr_t)guard.base;
	void		*z;

	(void)uc;
	/* si_code > 0: the kernel's, not kill()'s, whose si_addr is junk */
	if (guard.base != NULL && si->si_code > 0 && a >= b &&
	    a - b < guard.len) {
		z = mmap((void *)(a & ~(guard.page - 1)), guard.page,
		    PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (z != MAP_FAILED) {
			guard.cut = 1;
			return;
		}
	}
	sigaction(sig, &guard.old, NULL);
	raise(sig);
}

int
mapped_open(struct mapped *mp, int fd, size_t len)
{
	struct sigaction	sa;
	void			*base;

	memset(mp, 0, sizeof(*mp));
	if (guard.base != NULL) {
		errno = EBUSY;
		return -1;
	}
	base = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (base == MAP_FAILED)
		return -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = mapped_on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &guard.old) == -1) {
		munmap(base, len);
		return -1;
	}
	guard.base = base;
	guard.len = len;
	guard.page = (uintptr_t)sysconf(_SC_PAGESIZE);
	guard.cut = 0;

	(void)madvise(base, len, MADV_SEQUENTIAL);
	mp->mp_base = base;
	mp->mp_len = len;
	return 0;
}

bool
mapped_release(struct mapped *mp, size_t off)
{
	size_t	upto = off & ~(size_t)(MAPPED_DROP - 1);

	/* a MiB left behind the reader, so this runs once a MiB */
	if (upto < mp->mp_dropped + MAPPED_DROP)
		return false;
	(void)munmap((char *)mp->mp_base + mp->mp_dropped,
	    upto - mp->mp_dropped);
	mp->mp_dropped = upto;
	return true;
}

bool
mapped_cut(void)
{
	return guard.cut != 0;
}

void
mapped_close(struct mapped *mp)
{
	if (mp->mp_base == NULL)
		return;
	munmap((char *)mp->mp_base + mp->mp_dropped,
	    mp->mp_len - mp->mp_dropped);
	sigaction(SIGBUS, &guard.old, NULL);
	guard.base = NULL;
	mp->mp_base = NULL;
}
