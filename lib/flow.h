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

struct flow {
	struct flow_key	 fl_key;
	struct flow	*fl_hnext;	/* hash chain */
	struct flow	*fl_lprev;	/* last-seen list: oldest first */
	struct flow	*fl_lnext;
	struct flow	*fl_sprev;	/* start-time list: oldest first */
	struct flow	*fl_snext;
	uint64_t	 fl_first;	/* first packet time, us */
	uint64_t	 fl_last;	/* last packet time, us */
	uint64_t	 fl_pkts[2];	/* packets per direction */
	uint64_t	 fl_bytes[2];	/* IP bytes per direction */
	uint32_t	 fl_hash;
	uint8_t		 fl_src[16];	/* forward sender */
	uint8_t		 fl_dst[16];
	uint16_t	 fl_sport;
	uint16_t	 fl_dport;
	uint8_t		 fl_proto;
	uint8_t		 fl_ipver;
	uint8_t		 fl_tcp;	/* FLOW_TCP_* */
	uint8_t		 fl_end;	/* enum flow_end, once ended */
	bool		 fl_hasports;
	struct flow_stats fl_st;	/* feature accumulators */
};

const char *flow_end_name(enum flow_end);

#endif /* FLOWID_FLOW_H */
