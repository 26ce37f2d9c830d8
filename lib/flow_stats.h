/* SPDX-License-Identifier: ISC */
/*
 * Per-flow feature accumulators: O(1) work per packet, fixed size.
 * PLACEHOLDER until the feature set lands.
 */
#ifndef FLOWID_FLOW_STATS_H
#define FLOWID_FLOW_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "profile.h"

struct flow_stats {
	uint64_t	fs_first;
};

void	flow_stats_init(struct flow_stats *, enum flowid_profile,
	    const struct pkt *first);
void	flow_stats_add(struct flow_stats *, enum flowid_profile,
	    const struct pkt *, int dir);

#endif /* FLOWID_FLOW_STATS_H */
