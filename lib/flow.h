/* SPDX-License-Identifier: ISC */
/*
 * A bidirectional flow: its key, its orientation (forward = initiator),
 * the core counters every record carries, and the feature accumulators of
 * flow_stats.h.  The flow table (flow_table.c) owns flows; this header
 * only describes them.
 */
#ifndef FLOWID_FLOW_H
#define FLOWID_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "profile.h"
#include "flow_stats.h"

/* Why a flow ended; each has its own counter and record text. */
enum flow_end {
	FLOW_END_FIN = 0,	/* both FINs seen (after a short linger) */
	FLOW_END_RST,		/* RST seen */
	FLOW_END_IDLE,		/* no packet for idle_timeout */
	FLOW_END_ACTIVE,	/* longer than active_timeout: cut */
	FLOW_END_EOF,		/* end of the input file(s) */
	FLOW_END_SHUTDOWN,	/* daemon stopping */
	FLOW_END_EVICT,		/* table full, least recently seen */
	FLOW_END_NREASONS
};

/*
 * Direction-independent key: the (address, port) pair that sorts lower
 * is stored first, so both directions of a flow build the same bytes.
 * No padding holes: the struct is hashed and compared as memory.
 */
struct flow_key {
	uint8_t		fk_addr[2][16];
	uint16_t	fk_port[2];
	uint8_t		fk_proto;
	uint8_t		fk_ipver;
	uint16_t	fk_zero;	/* always 0: keeps the size a multiple */
};

/* Forward (0) is the initiator, backward (1) the responder. */
#define FLOW_FWD	0
#define FLOW_BWD	1

/* fl_tcp bits: what the TCP tear-down has seen so far. */
#define FLOW_TCP_FIN_FWD	0x01
#define FLOW_TCP_FIN_BWD	0x02
#define FLOW_TCP_CLOSING	0x04	/* both FINs seen: lingering */
#define FLOW_TCP_SYN_SEEN	0x08	/* a SYN (no ACK) opened it */

#define FLOW_NIL	UINT32_MAX	/* no flow: end of a list or chain */

/*
 * A flow, as small as it can be: the table holds up to a million of
 * them.  Links are 32-bit slot numbers in the table's pool, not
 * pointers; the endpoints live only in the key (fl_fwd says which end
 * is forward); the first packet's time is the accumulators' fs_first.
 */
struct flow {
	struct flow_key	 fl_key;
	uint32_t	 fl_hnext;	/* hash chain, or the free list */
	uint32_t	 fl_lprev;	/* last-seen or closing list */
	uint32_t	 fl_lnext;
	uint32_t	 fl_lastoff;	/* last packet, us after the first */
	uint32_t	 fl_pkts[2];	/* packets per direction */
	uint64_t	 fl_bytes[2];	/* IP bytes per direction */
	uint8_t		 fl_proto;
	uint8_t		 fl_ipver;
	uint8_t		 fl_tcp;	/* FLOW_TCP_* */
	uint8_t		 fl_end;	/* enum flow_end, once ended */
	uint8_t		 fl_fwd;	/* key end (0, 1) that sends forward */
	bool		 fl_hasports;
	struct flow_stats fl_st;	/* feature accumulators */
};

/* The forward sender's address and port, and the other end's. */
static inline const uint8_t *
flow_src(const struct flow *fl)
{
	return fl->fl_key.fk_addr[fl->fl_fwd];
}

static inline const uint8_t *
flow_dst(const struct flow *fl)
{
	return fl->fl_key.fk_addr[!fl->fl_fwd];
}

static inline uint16_t
flow_sport(const struct flow *fl)
{
	return fl->fl_key.fk_port[fl->fl_fwd];
}

static inline uint16_t
flow_dport(const struct flow *fl)
{
	return fl->fl_key.fk_port[!fl->fl_fwd];
}

/* First and last packet times, us since the epoch. */
static inline uint64_t
flow_first(const struct flow *fl)
{
	return fl->fl_st.fs_first;
}

static inline uint64_t
flow_last(const struct flow *fl)
{
	return fl->fl_st.fs_first + fl->fl_lastoff;
}

/*
 * Set a flow's key and orientation from its forward endpoints (the
 * flow table does this for real flows; tests build flows by hand).
 */
void	flow_set_endpoints(struct flow *, uint8_t ipver, uint8_t proto,
	    const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
	    uint16_t dport);

/* Set first and last packet times (last >= first). */
void	flow_set_times(struct flow *, uint64_t first, uint64_t last);

const char *flow_end_name(enum flow_end);

#endif /* FLOWID_FLOW_H */
