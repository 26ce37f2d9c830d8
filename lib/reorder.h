/* SPDX-License-Identifier: ISC */
/*
 * Timestamp reordering: captures merged from several queues or taps are
 * not sorted, and a SYN-ACK stored before its SYN would turn a flow
 * around.  A min-heap of the last N decoded packets hands them on in
 * timestamp order (file order among equal times).  N = 0 passes packets
 * straight through.
 */
#ifndef FLOWID_REORDER_H
#define FLOWID_REORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

struct reorder;

struct reorder *reorder_new(size_t capacity);
void	reorder_free(struct reorder *);

/*
 * Push p.  When the heap is full, the oldest packet comes out in *out
 * and true is returned.  With capacity 0, p itself comes out.
 */
bool	reorder_push(struct reorder *, const struct pkt *p, struct pkt *out);

/* Take the oldest held packet; false when empty. */
bool	reorder_pop(struct reorder *, struct pkt *out);

size_t	reorder_held(const struct reorder *);

/* Packets older than one pushed before them (disorder seen). */
uint64_t reorder_disorder(const struct reorder *);

#endif /* FLOWID_REORDER_H */
