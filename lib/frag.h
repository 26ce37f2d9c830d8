/* SPDX-License-Identifier: ISC */
/*
 * IP fragments: later fragments carry no ports, so they join the flow of
 * their datagram by (addresses, protocol, IP id), learnt from the first
 * fragment.  Fragments that arrive before the first one wait, in a small
 * bounded buffer, until it comes or they time out.
 */
#ifndef FLOWID_FRAG_H
#define FLOWID_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define FRAG_TIMEOUT_US		30000000ULL	/* as Linux ipfrag_time */

struct frag_table;

struct frag_table *frag_new(void);
void	frag_free(struct frag_table *);

/*
 * Give a fragment (p->pk_frag set).  A first fragment teaches the ports
 * and is returned ready (1); a later one gets the ports and is ready (1),
 * or is held (0) until its first fragment arrives.  When a first
 * fragment releases held ones, they are copied to out[] (at most nout)
 * and *nout_used says how many.
 */
int	frag_input(struct frag_table *, struct pkt *p, struct pkt *out,
	    size_t nout, size_t *nout_used);

/* Drop held fragments older than FRAG_TIMEOUT_US, or all if now is
 * UINT64_MAX.  Returns how many were dropped, counting those a full
 * buffer pushed out since the last call. */
size_t	frag_expire(struct frag_table *, uint64_t now);

/* Fragments held right now. */
size_t	frag_held(const struct frag_table *);

#endif /* FLOWID_FRAG_H */
