/* SPDX-License-Identifier: ISC */
/*
 * The flow table: bidirectional flows by direction-independent key, with
 * the life cycle of each feature profile (which packet ends a flow, which
 * side is forward), idle/active expiry and eviction when full.
 */
#ifndef FLOWID_FLOW_TABLE_H
#define FLOWID_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct flow_table;

#define FLOW_TABLE_MAX		100000000	/* max_flows at most */
#define FLOW_TABLE_SPARE	65536	/* ended, not yet released */

/* Called once for every flow that ends; the flow stays valid until
 * flow_table_release().  fl->fl_end holds the reason. */
typedef void (*flow_end_cb)(struct flow *, void *arg);

struct flow_table_conf {
	enum flowid_profile ftc_profile;
	uint64_t	 ftc_idle_us;	/* 0: no idle timeout */
	uint64_t	 ftc_active_us;	/* 0: no active timeout */
	uint64_t	 ftc_linger_us;	/* after both FINs */
	size_t		 ftc_max_flows;	/* >= 1 */
	uint64_t	 ftc_seed;	/* hash seed */
	flow_end_cb	 ftc_end_cb;
	void		*ftc_end_arg;
};

/* NULL on allocation failure. */
struct flow_table *flow_table_new(const struct flow_table_conf *);
/* Frees flows still held without calling back: flush first. */
void	flow_table_free(struct flow_table *);

/*
 * Account one packet (already mapped by the profile) to its flow,
 * creating, ending or splitting flows as the profile's rules say.
 * Returns 0 if the packet was added, 1 if the profile's rules dropped it
 * (CICFlowMeter's repeated forward FIN), -1 if no flow could be
 * allocated.
 */
int	flow_table_add(struct flow_table *, const struct pkt *);

/*
 * The same in steps, so a caller holding packets back (the engine's
 * reordering) can warm the cache for each lookup ahead of time:
 * flow_table_bucket() names the packet's bucket and starts loading it,
 * flow_table_prefetch() a few packets later starts loading the flow the
 * bucket leads to, and flow_table_add_at() adds the packet as
 * flow_table_add() does.  A bucket stays valid for the table's life.
 */
uint32_t flow_table_bucket(const struct flow_table *, const struct pkt *);
void	flow_table_prefetch(const struct flow_table *, uint32_t bucket);
int	flow_table_add_at(struct flow_table *, const struct pkt *,
	    uint32_t bucket);

/*
 * End flows whose idle or active deadline is before now, oldest first,
 * at most max of them.  Only expired flows are visited.  Returns how many
 * ended.
 */
size_t	flow_table_expire(struct flow_table *, uint64_t now, size_t max);

/* End every flow with the given reason (end of input, shutdown). */
void	flow_table_flush(struct flow_table *, enum flow_end);

/* Give back a flow the end callback received. */
void	flow_table_release(struct flow_table *, struct flow *);

size_t	flow_table_count(const struct flow_table *);

/* How many flows were ever created. */
uint64_t flow_table_created(const struct flow_table *);

/* Build the key of a packet; exposed for the tests. */
void	flow_key_make(const struct pkt *, struct flow_key *);

#endif /* FLOWID_FLOW_TABLE_H */
