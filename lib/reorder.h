/* SPDX-License-Identifier: ISC */
/*
 * Timestamp reordering: captures merged from several queues or taps are
 * not sorted, and a SYN-ACK stored before its SYN would turn a flow
 * around.  The last N decoded packets are held and handed on in
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
 * Each packet carries a tag of the caller's, returned with it: the
 * engine keeps its flow's hash bucket there, computed once, and peeks
 * at the tags of the packets about to leave to warm the cache for them.
 */

/*
 * Push p.  When N packets were held already, the oldest of them and p
 * comes out in *out, its tag in *outtag, and true is returned.  With
 * capacity 0, p itself comes out.
 */
bool	reorder_push(struct reorder *, const struct pkt *p, uint32_t tag,
	    struct pkt *out, uint32_t *outtag);

/* Take the oldest held packet and its tag; false when empty. */
bool	reorder_pop(struct reorder *, struct pkt *out, uint32_t *tag);

/*
 * The tag of the i-th oldest held packet (0: the next to leave); false
 * when fewer are held.
 */
bool	reorder_peek_tag(const struct reorder *, size_t i, uint32_t *tag);

size_t	reorder_held(const struct reorder *);

/* Packets older than one pushed before them (disorder seen). */
uint64_t reorder_disorder(const struct reorder *);

#endif /* FLOWID_REORDER_H */
