/* SPDX-License-Identifier: ISC */
/*
 * Slot allocation for flows.
 *
 * The slots are one anonymous mapping, reserved (MAP_NORESERVE) for the
 * whole capacity: pages become resident only when a slot on them is
 * first used.  Slots are handed out in chunks of FLOW_POOL_CHUNK, always
 * from the lowest chunk that has one free, so live flows crowd into the
 * low chunks after a flood; a chunk whose last flow leaves is returned
 * to the kernel (MADV_DONTNEED) and starts fresh, so resident memory
 * falls back when the flood is over.  Each chunk keeps its own free list
 * through fl_hnext, and a bitmap says which chunks have room.  All
 * operations are O(1) except the forward scan of the bitmap when the
 * lowest chunk fills, which touches one bit per chunk.
 */

#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flow_pool.h"

#define FLOW_POOL_CHUNK	1024	/* slots per chunk */

struct flow_pool_chunk {
	uint32_t	fc_free;	/* free list head (slot), or FLOW_NIL */
	uint16_t	fc_used;	/* slots in use */
	uint16_t	fc_fresh;	/* slots never used since the reset */
};

static void
pool_avail_set(struct flow_pool *fp, size_t c, int on)
{
	if (on)
		fp->fp_avail[c / 64] |= (uint64_t)1 << (c % 64);
	else
		fp->fp_avail[c / 64] &= ~((uint64_t)1 << (c % 64));
}

struct flow_pool *
flow_pool_new(size_t nslots)
{
	struct flow_pool	*fp;
	size_t			 c, page = (size_t)sysconf(_SC_PAGESIZE);

	if (nslots == 0 || nslots >= FLOW_NIL ||
	    (fp = calloc(1, sizeof(*fp))) == NULL)
		return NULL;
	fp->fp_nchunks = (nslots + FLOW_POOL_CHUNK - 1) / FLOW_POOL_CHUNK;
	fp->fp_nslots = fp->fp_nchunks * FLOW_POOL_CHUNK;
	fp->fp_maplen = (fp->fp_nslots * sizeof(struct flow) + page - 1) /
	    page * page;
	fp->fp_slots = mmap(NULL, fp->fp_maplen, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	fp->fp_chunks = calloc(fp->fp_nchunks, sizeof(*fp->fp_chunks));
	fp->fp_avail = calloc((fp->fp_nchunks + 63) / 64, sizeof(uint64_t));
	if (fp->fp_slots == MAP_FAILED || fp->fp_chunks == NULL ||
	    fp->fp_avail == NULL) {
		if (fp->fp_slots == MAP_FAILED)
			fp->fp_slots = NULL;
		flow_pool_free(fp);
		return NULL;
	}
	for (c = 0; c < fp->fp_nchunks; c++) {
		fp->fp_chunks[c].fc_free = FLOW_NIL;
		pool_avail_set(fp, c, 1);
	}
	return fp;
}

void
flow_pool_free(struct flow_pool *fp)
{
	if (fp == NULL)
		return;
	if (fp->fp_slots != NULL)
		munmap(fp->fp_slots, fp->fp_maplen);
	free(fp->fp_chunks);
	free(fp->fp_avail);
	free(fp);
}

/* The lowest chunk with room at or after fp_low, or fp_nchunks. */
static size_t
pool_scan(struct flow_pool *fp)
{
	size_t		w = fp->fp_low / 64, nw = (fp->fp_nchunks + 63) / 64;
	uint64_t	bits;

	bits = fp->fp_avail[w] & (~(uint64_t)0 << (fp->fp_low % 64));
	while (bits == 0) {
		if (++w == nw)
			return fp->fp_nchunks;
		bits = fp->fp_avail[w];
	}
	return w * 64 + (size_t)__builtin_ctzll(bits);
}

uint32_t
flow_pool_get(struct flow_pool *fp)
{
	struct flow_pool_chunk	*ck;
	size_t			 c;
	uint32_t		 i;

	if ((c = pool_scan(fp)) == fp->fp_nchunks)
		return FLOW_NIL;
	fp->fp_low = c;
	ck = &fp->fp_chunks[c];
	if (ck->fc_free != FLOW_NIL) {
		i = ck->fc_free;
		ck->fc_free = fp->fp_slots[i].fl_hnext;
	} else
		i = (uint32_t)(c * FLOW_POOL_CHUNK + ck->fc_fresh++);
	if (++ck->fc_used == FLOW_POOL_CHUNK)
		pool_avail_set(fp, c, 0);
	return i;
}

void
flow_pool_put(struct flow_pool *fp, uint32_t i)
{
	size_t			 c = i / FLOW_POOL_CHUNK;
	struct flow_pool_chunk	*ck = &fp->fp_chunks[c];

	if (--ck->fc_used == 0) {
		/* empty: its pages go back, its slots start fresh */
		madvise(&fp->fp_slots[c * FLOW_POOL_CHUNK],
		    FLOW_POOL_CHUNK * sizeof(struct flow), MADV_DONTNEED);
		ck->fc_free = FLOW_NIL;
		ck->fc_fresh = 0;
	} else {
		fp->fp_slots[i].fl_hnext = ck->fc_free;
		ck->fc_free = i;
	}
	pool_avail_set(fp, c, 1);
	if (c < fp->fp_low)
		fp->fp_low = c;
}
