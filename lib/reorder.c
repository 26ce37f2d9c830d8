/* SPDX-License-Identifier: ISC */
/*
 * A binary min-heap of packets keyed by (timestamp, arrival number).
 * O(log N) per packet, fixed memory of N packets.
 */

#include <stdlib.h>

#include "reorder.h"

struct reorder_ent {
	uint64_t	re_seq;
	struct pkt	re_pkt;
};

struct reorder {
	struct reorder_ent *ro_heap;
	size_t		 ro_cap;
	size_t		 ro_n;
	uint64_t	 ro_seq;
	uint64_t	 ro_maxts;	/* newest time pushed */
	uint64_t	 ro_disorder;
};

struct reorder *
reorder_new(size_t capacity)
{
	struct reorder	*ro;

	if ((ro = calloc(1, sizeof(*ro))) == NULL)
		return NULL;
	ro->ro_cap = capacity;
	/* one spare slot: a full heap takes the new packet, then pops */
	if (capacity > 0 &&
	    (ro->ro_heap = calloc(capacity + 1,
	    sizeof(*ro->ro_heap))) == NULL) {
		free(ro);
		return NULL;
	}
	return ro;
}

void
reorder_free(struct reorder *ro)
{
	if (ro == NULL)
		return;
	free(ro->ro_heap);
	free(ro);
}

static bool
reorder_less(const struct reorder_ent *a, const struct reorder_ent *b)
{
	if (a->re_pkt.pk_ts != b->re_pkt.pk_ts)
		return a->re_pkt.pk_ts < b->re_pkt.pk_ts;
	return a->re_seq < b->re_seq;
}

static void
reorder_swap(struct reorder_ent *h, size_t i, size_t j)
{
	struct reorder_ent	t = h[i];

	h[i] = h[j];
	h[j] = t;
}

static void
reorder_up(struct reorder *ro, size_t i)
{
	while (i > 0 && reorder_less(&ro->ro_heap[i],
	    &ro->ro_heap[(i - 1) / 2])) {
		reorder_swap(ro->ro_heap, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
reorder_down(struct reorder *ro, size_t i)
{
	size_t	l, r, m;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < ro->ro_n && reorder_less(&ro->ro_heap[l],
		    &ro->ro_heap[m]))
			m = l;
		if (r < ro->ro_n && reorder_less(&ro->ro_heap[r],
		    &ro->ro_heap[m]))
			m = r;
		if (m == i)
			return;
		reorder_swap(ro->ro_heap, i, m);
		i = m;
	}
}

bool
reorder_pop(struct reorder *ro, struct pkt *out)
{
	if (ro->ro_n == 0)
		return false;
	*out = ro->ro_heap[0].re_pkt;
	ro->ro_heap[0] = ro->ro_heap[--ro->ro_n];
	reorder_down(ro, 0);
	return true;
}

bool
reorder_push(struct reorder *ro, const struct pkt *p, struct pkt *out)
{
	if (p->pk_ts < ro->ro_maxts)
		ro->ro_disorder++;
	else
		ro->ro_maxts = p->pk_ts;

	if (ro->ro_cap == 0) {
		*out = *p;
		return true;
	}
	ro->ro_heap[ro->ro_n].re_seq = ro->ro_seq++;
	ro->ro_heap[ro->ro_n].re_pkt = *p;
	reorder_up(ro, ro->ro_n++);
	if (ro->ro_n > ro->ro_cap)
		return reorder_pop(ro, out);
	return false;
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
