/* SPDX-License-Identifier: ISC */
/*
 * The flow pool: every flow of a table lives in one array of slots,
 * reserved once for the table's capacity and touched only as it fills,
 * so slots are named by 32-bit numbers and carry no allocator header.
 */
#ifndef FLOWID_FLOW_POOL_H
#define FLOWID_FLOW_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct flow_pool_chunk;

struct flow_pool {
	struct flow		*fp_slots;	/* fp_nslots, reserved */
	size_t			 fp_nslots;
	size_t			 fp_maplen;
	struct flow_pool_chunk	*fp_chunks;
	uint64_t		*fp_avail;	/* bit per chunk: has a slot */
	size_t			 fp_nchunks;
	size_t			 fp_low;	/* no chunk below has a slot */
};

/* NULL when the address space cannot be reserved. */
struct flow_pool *flow_pool_new(size_t nslots);
void	flow_pool_free(struct flow_pool *);

/* A free slot, lowest chunk first; FLOW_NIL when all are taken. */
uint32_t flow_pool_get(struct flow_pool *);

/* Give a slot back; a chunk left empty returns its memory. */
void	flow_pool_put(struct flow_pool *, uint32_t);

static inline struct flow *
flow_pool_at(const struct flow_pool *fp, uint32_t i)
{
	return &fp->fp_slots[i];
}

static inline uint32_t
flow_pool_index(const struct flow_pool *fp, const struct flow *fl)
{
	return (uint32_t)(fl - fp->fp_slots);
}

#endif /* FLOWID_FLOW_POOL_H */
