/* SPDX-License-Identifier: ISC */
/*
 * Per-flow feature accumulators: O(1) work per packet and a fixed size,
 * whatever the flow's length.  Sums are kept exactly (integers) so that
 * means and deviations come out the same however long the flow; times
 * are microsecond offsets from the flow's first packet.  features.c
 * turns them into columns; docs/features.md says what each one means.
 */
#ifndef FLOWID_FLOW_STATS_H
#define FLOWID_FLOW_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "profile.h"

#define FLOW_STATS_ACTIVITY_US	5000000	/* gap that ends an active period */
#define FLOW_STATS_SUBFLOW_US	1000000	/* gap that starts a subflow */
#define FLOW_STATS_BULK_GAP_US	1000000	/* gap that breaks a bulk */
#define FLOW_STATS_BULK_PKTS	4	/* payload packets making a bulk */
#define FLOW_STATS_FIRST_PKTS	10	/* flowidd: packets kept one by one */
#define FLOW_STATS_FIRST_PL	5	/* flowidd: payloads kept per side */

/* One direction of a flow. */
struct flow_dir_stats {
	uint64_t	fd_bytes;	/* L4 payload bytes */
	uint64_t	fd_bytes2;	/* sum of squared payloads */
	uint64_t	fd_hdr;		/* L4 header bytes */
	uint64_t	fd_iat2;	/* sum of squared gaps, us^2 */
	uint32_t	fd_pkts;
	int32_t		fd_first;	/* first packet, us after fs_first */
	int32_t		fd_last;	/* latest packet, same */
	int32_t		fd_iatmin;	/* gaps between this side's packets */
	int32_t		fd_iatmax;
	uint32_t	fd_psh;		/* packets with PSH (URG) set */
	uint32_t	fd_urg;
	uint16_t	fd_plmin;	/* payload extremes */
	uint16_t	fd_plmax;
	uint16_t	fd_win;		/* TCP window: first (flowidd), last */
	uint8_t		fd_ttl;		/* TTL or hop limit, first packet */
	uint16_t	fd_pl[FLOW_STATS_FIRST_PL];	/* first payloads */
};

/*
 * Bulk tracker (CICFlowMeter): FLOW_STATS_BULK_PKTS payload packets or
 * more, none more than FLOW_STATS_BULK_GAP_US after the previous one,
 * make a bulk.  The candidate's byte count only matters until it becomes
 * a bulk, so 24 bits hold it.
 */
struct flow_bulk {
	uint64_t	fb_bytes;	/* bytes in bulks */
	uint32_t	fb_pkts;	/* packets in bulks */
	uint32_t	fb_count;	/* bulks */
	int32_t		fb_dur;		/* us spent in bulks */
	int32_t		fb_start;	/* candidate's first packet */
	int32_t		fb_last;	/* latest payload packet seen */
	uint32_t	fb_cbytes : 24;	/* candidate bytes, up to a bulk */
	uint32_t	fb_cpkts : 8;	/* candidate packets, 0: none */
};

/* Active periods or idle gaps: count, exact sums, extremes (us). */
struct flow_spread {
	uint64_t	sp_sum2;
	uint32_t	sp_sum;
	uint32_t	sp_n;
	uint32_t	sp_min;
	uint32_t	sp_max;
};

/* fs_bits */
#define FLOW_STATS_SYN		0x01	/* flowidd: forward SYN seen */
#define FLOW_STATS_SYNACK	0x02	/* backward SYN-ACK after it */
#define FLOW_STATS_HANDSHAKE	0x04	/* forward ACK after that */

/* Handshake options of the SYN (0) and SYN-ACK (1). */
struct flow_synopt {
	uint16_t	so_mss;
	uint8_t		so_wscale;
	uint8_t		so_opts;	/* TCPOPT_HAS_* */
};

struct flow_stats {
	uint64_t	fs_first;	/* first packet, us since the epoch */
	uint64_t	fs_iat2;	/* sum of squared flow gaps */
	struct flow_dir_stats fs_dir[2];
	struct flow_bulk fs_bulk[2];	/* per side; cicflowmeter uses [1] */
	struct flow_spread fs_active;
	struct flow_spread fs_idle;
	uint32_t	fs_fin;		/* flag counts; PSH/URG are per side */
	uint32_t	fs_syn;
	uint32_t	fs_rst;
	uint32_t	fs_ack;
	uint32_t	fs_cwr;
	uint32_t	fs_ece;
	int32_t		fs_last;	/* last packet (flowidd: latest) */
	int32_t		fs_iatmin;	/* gaps between consecutive packets */
	int32_t		fs_iatmax;
	int32_t		fs_actstart;	/* current active period, to fs_last */
	uint32_t	fs_actdata;	/* forward packets with payload */
	uint32_t	fs_gaps;	/* gaps over FLOW_STATS_SUBFLOW_US */
	uint16_t	fs_firstpl;	/* first packet's payload */
	uint8_t		fs_firstflags;	/* first packet's TCP flags */
	uint8_t		fs_minseg;	/* smallest forward L4 header */
	uint8_t		fs_bits;	/* FLOW_STATS_* */
	uint16_t	fs_pktdir;	/* bit i: packet i was backward */
	struct flow_synopt fs_synopt[2];
	uint16_t	fs_pktsize[FLOW_STATS_FIRST_PKTS];	/* IP length */
	uint32_t	fs_pktiat[FLOW_STATS_FIRST_PKTS - 1];	/* 2nd on, us */
};

/*
 * Start the accumulators of a new flow; first is its first packet, which
 * flow_stats_add() receives next like every other.
 */
void	flow_stats_init(struct flow_stats *, enum flowid_profile,
	    const struct pkt *first);

/*
 * Count one packet of the flow, in the order the flow table keeps them;
 * dir is FLOW_FWD (0) or FLOW_BWD (1).  The compatibility profiles count
 * the first packet as forward whatever dir says, as their tool does.
 */
void	flow_stats_add(struct flow_stats *, enum flowid_profile,
	    const struct pkt *, int dir);

/* Packets counted so far, both directions. */
uint32_t flow_stats_packets(const struct flow_stats *);

#endif /* FLOWID_FLOW_STATS_H */
