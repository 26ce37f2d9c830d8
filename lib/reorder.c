/* SPDX-License-Identifier: ISC */
/*
 * The held packets sit in a ring, sorted by (timestamp, arrival): the
 * oldest at the head.  A packet not older than the newest held one (the
 * whole of a capture in time order) is appended at the tail, and the
 * oldest leaves from the head, so sorted input costs two copies per
 * packet.  A late packet goes in after every held packet of its time or
 * earlier, the newer ones moving up one slot: O(lateness) for it alone.
 * Equal times keep their arrival order, so the output is the order a
 * priority queue keyed by (timestamp, arrival number) gives.  Fixed
 * memory of N packets.
 */

#include <stdlib.h>

#include "reorder.h"

struct reorder_ent {
	struct pkt	re_pkt;
	uint32_t	re_tag;		/* the caller's, see reorder.h */
};

struct reorder {
	struct reorder_ent *ro_ring;	/* ro_mask + 1 slots */
	size_t		 ro_mask;	/* a power of two, minus one */
	size_t		 ro_head;	/* the oldest held packet */
	size_t		 ro_n;		/* held, at most ro_cap */
	size_t		 ro_cap;
	uint64_t	 ro_maxts;	/* newest time pushed */
	uint64_t	 ro_disorder;
};

struct reorder *
reorder_new(size_t capacity)
{
	struct reorder	*ro;
	size_t		 size = 1;

	if ((ro = calloc(1, sizeof(*ro))) == NULL)
		return NULL;
	ro->ro_cap = capacity;
	if (capacity == 0)
		return ro;
	/* one spare slot: a full ring takes the new packet, then pops */
	while (size < capacity + 1)
		size <<= 1;
	if ((ro->ro_ring = calloc(size, sizeof(*ro->ro_ring))) == NULL) {
		free(ro);
		return NULL;
	}
	ro->ro_mask = size - 1;
	return ro;
}

void
reorder_free(struct reorder *ro)
{
	if (ro == NULL)
		return;
	free(ro->ro_ring);
	free(ro);
}

/* The i-th held packet, 0 being the oldest. */
static struct reorder_ent *
reorder_at(const struct reorder *ro, size_t i)
{
	return &ro->ro_ring[(ro->ro_head + i) & ro->ro_mask];
}

/* Place p after every held packet of its time or earlier. */
static void
reorder_insert(struct reorder *ro, const struct pkt *p, uint32_t tag)
{
	struct reorder_ent	*e;
	size_t			 i = ro->ro_n;

	while (i > 0 && reorder_at(ro, i - 1)->re_pkt.pk_ts > p->pk_ts) {
		*reorder_at(ro, i) = *reorder_at(ro, i - 1);
		i--;
	}
	e = reorder_at(ro, i);
	e->re_pkt = *p;
	e->re_tag = tag;
	ro->ro_n++;
}

bool
reorder_pop(struct reorder *ro, struct pkt *out, uint32_t *tag)
{
	const struct reorder_ent *e;

	if (ro->ro_n == 0)
		return false;
	e = reorder_at(ro, 0);
	*out = e->re_pkt;
	*tag = e->re_tag;
	ro->ro_head = (ro->ro_head + 1) & ro->ro_mask;
	ro->ro_n--;
	return true;
}

bool
reorder_push(struct reorder *ro, const struct pkt *p, uint32_t tag,
    struct pkt *out, uint32_t *outtag)
{
	if (p->pk_ts < ro->ro_maxts)
		ro->ro_disorder++;
	else
		ro->ro_maxts = p->pk_ts;

	/* older than all it would wait for: it leaves at once */
	if (ro->ro_cap == 0 || (ro->ro_n == ro->ro_cap &&
	    p->pk_ts < reorder_at(ro, 0)->re_pkt.pk_ts)) {
		*out = *p;
		*outtag = tag;
		return true;
	}
	reorder_insert(ro, p, tag);
	if (ro->ro_n > ro->ro_cap)
		return reorder_pop(ro, out, outtag);
	return false;
}

bool
reorder_peek_tag(const struct reorder *ro, size_t i, uint32_t *tag)
{
	if (i >= ro->ro_n)
		return false;
	*tag = reorder_at(ro, i)->re_tag;
	return true;
}

size_t
reorder_held(const struct reorder *ro)
{
	return ro->ro_n;
}

uint64_t
reorder_disorder(const struct reorder *ro)
{
	return ro->ro_disorder;
}
