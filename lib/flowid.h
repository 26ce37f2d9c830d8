/* SPDX-License-Identifier: ISC */
/*
 * libflowid: frames in, finished flows out.  The engine chains the
 * decoder, the profile's view of each packet, fragment matching,
 * timestamp reordering and the flow table, and keeps the counters that
 * account for every frame and every flow.  It never logs or exits.
 */
#ifndef FLOWID_H
#define FLOWID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "flow.h"
#include "flow_table.h"
#include "profile.h"

#define FLOWID_IDLE_US_DEFAULT		60000000ULL
#define FLOWID_ACTIVE_US_DEFAULT	120000000ULL
/* A piece of a flow spans at most this: the accumulators keep times as
 * 32-bit microsecond offsets from its first packet. */
#define FLOWID_ACTIVE_S_MAX		1800
#define FLOWID_LINGER_US_DEFAULT	1000000ULL
#define FLOWID_MAX_FLOWS_DEFAULT	1000000
#define FLOWID_REORDER_DEFAULT		64	/* packets, offline */

/* Why a frame was skipped.  The first ones mirror enum decode_result. */
enum flowid_skip {
	FLOWID_SKIP_LINK = DECODE_ERR_LINK,
	FLOWID_SKIP_L3 = DECODE_ERR_L3,
	FLOWID_SKIP_L4 = DECODE_ERR_L4,
	FLOWID_SKIP_ENCAP = DECODE_ERR_ENCAP,
	FLOWID_SKIP_NONIP = DECODE_UNSUPPORTED,
	FLOWID_SKIP_LINKTYPE = DECODE_ERR_LINKTYPE,
	FLOWID_SKIP_FRAGMENT = DECODE_NREASONS,	/* first fragment never seen */
	FLOWID_SKIP_PROFILE,	/* not part of the profile's view */
	FLOWID_SKIP_NOMEM,	/* no memory for a new flow */
	FLOWID_SKIP_NREASONS
};

struct flowid_counters {
	uint64_t	fc_read;	/* frames given to flowid_packet */
	uint64_t	fc_bytes;	/* their wire lengths */
	uint64_t	fc_decoded;	/* packets counted in a flow */
	uint64_t	fc_skipped[FLOWID_SKIP_NREASONS];
	uint64_t	fc_truncated;	/* caplen < wirelen, still decoded */
	uint64_t	fc_disorder;	/* older than a packet before them */
	uint64_t	fc_created;	/* flows */
	uint64_t	fc_ended[FLOW_END_NREASONS];
};

struct flowid_conf {
	enum flowid_profile fc_profile;
	uint64_t	 fc_idle_us;	/* 0: none */
	uint64_t	 fc_active_us;	/* 0: none */
	uint64_t	 fc_linger_us;
	size_t		 fc_max_flows;
	size_t		 fc_reorder;	/* packets held for ordering */
	bool		 fc_offline;	/* time comes from the packets */
	uint64_t	 fc_seed;	/* hash seed; 0 picks a random one */
	flow_end_cb	 fc_end_cb;	/* every ended flow, exactly once */
	void		*fc_end_arg;
};

struct flowid;

/* Fill *c with the defaults for a profile (callback left NULL). */
void	flowid_conf_default(struct flowid_conf *c, enum flowid_profile);

/* NULL on allocation failure or a missing callback. */
struct flowid *flowid_new(const struct flowid_conf *);
void	flowid_free(struct flowid *);

/* One captured frame.  Returns 0, or -1 if it was skipped. */
int	flowid_packet(struct flowid *, int dlt, const uint8_t *data,
	    uint32_t caplen, uint32_t wirelen, uint64_t ts_us);

/*
 * Wall-clock tick (live capture): end the flows due at now, at most max.
 * Offline, packet times drive expiry and ticks are not needed.
 */
size_t	flowid_tick(struct flowid *, uint64_t now, size_t max);

/* Drain held packets and end every flow (FLOW_END_EOF or _SHUTDOWN). */
void	flowid_finish(struct flowid *, enum flow_end why);

/* Give back a flow the end callback received. */
void	flowid_release(struct flowid *, struct flow *);

const struct flowid_counters *flowid_counters(const struct flowid *);

/* The newest packet time seen, us (offline, the engine's clock). */
uint64_t flowid_clock(const struct flowid *);

/* Flows in the table right now. */
size_t	flowid_active(const struct flowid *);

/* Packets inside the engine, in neither decoded nor skipped yet. */
size_t	flowid_held(const struct flowid *);

/* "link", "ip", ..., "fragment", "profile", "nomem" */
const char *flowid_skip_name(enum flowid_skip);

/* Rewrite a packet as the profile's reference tool sees it; false drops
 * it (profile.c). */
bool	profile_map_pkt(enum flowid_profile, struct pkt *);

#endif /* FLOWID_H */
