/* SPDX-License-Identifier: ISC */
/*
 * Per-flow feature accumulators.  Every packet costs a fixed number of
 * additions; nothing here grows with the flow.  Which packet updates
 * what depends on the profile: flowidd counts everything on every packet
 * in time order, cicflowmeter and unicauca copy what their reference
 * tool does (docs/features.md).  Turning sums into columns is
 * features_set.c's job.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "flow.h"
#include "flow_stats.h"

#define IPPROTO_NUM_TCP	6
#define FLOW_STATS_NONE	INT32_MIN	/* fb_last before any payload */

/*
 * Times are kept as signed 32-bit microsecond offsets from the first
 * packet: 35 minutes either way.  Flows are cut long before (active
 * timeout; 120 s in the compatibility profiles).
 * XXX: a later packet stamped more than 35 minutes away from the first
 * one (a merged capture jumping in time) is pinned to the limit, so its
 * gaps are wrong; the reference tool would print huge values there.
 */
static int32_t
stats_off(const struct flow_stats *fs, uint64_t ts)
{
	int64_t	d;

	if (ts >= fs->fs_first)
		d = ts - fs->fs_first > INT32_MAX ? INT32_MAX :
		    (int64_t)(ts - fs->fs_first);
	else
		d = fs->fs_first - ts > (uint64_t)INT32_MAX + 1 ? INT32_MIN :
		    -(int64_t)(fs->fs_first - ts);
	return (int32_t)d;
}

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint32_t
add_sat32(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static int32_t
clamp32(int64_t v)
{
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < INT32_MIN)
		return INT32_MIN;
	return (int32_t)v;
}

/* One more gap (us) after n others: its square and the extremes. */
static void
stats_gap_add(uint64_t *sq, int32_t *min, int32_t *max, uint32_t n,
    int64_t gap)
{
	int32_t	g = clamp32(gap);

	*sq = add_sat(*sq, (uint64_t)((int64_t)g * g));
	if (n == 0 || g < *min)
		*min = g;
	if (n == 0 || g > *max)
		*max = g;
}

/* An active period or idle gap, in us. */
static void
stats_spread_add(struct flow_spread *sp, int64_t v)
{
	uint32_t	u = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;

	sp->sp_sum = add_sat32(sp->sp_sum, u);
	sp->sp_sum2 = add_sat(sp->sp_sum2, (uint64_t)u * u);
	if (sp->sp_n == 0 || u < sp->sp_min)
		sp->sp_min = u;
	if (sp->sp_n == 0 || u > sp->sp_max)
		sp->sp_max = u;
	sp->sp_n++;
}

void
flow_stats_init(struct flow_stats *fs, enum flowid_profile prof,
    const struct pkt *first)
{
	(void)prof;
	memset(fs, 0, sizeof(*fs));
	fs->fs_first = first->pk_ts;
	fs->fs_bulk[FLOW_FWD].fb_last = FLOW_STATS_NONE;
	fs->fs_bulk[FLOW_BWD].fb_last = FLOW_STATS_NONE;
}

uint32_t
flow_stats_packets(const struct flow_stats *fs)
{
	return fs->fs_dir[FLOW_FWD].fd_pkts + fs->fs_dir[FLOW_BWD].fd_pkts;
}

/*
 * Activity: a gap above FLOW_STATS_ACTIVITY_US closes the current active
 * period (recorded when longer than 0) and is recorded as idle.  The
 * period always ends at the previous packet, since every packet runs
 * this rule, except in unicauca the FIN that closes the flow: it is the
 * flow's last packet, so skipping it is all that rule needs.
 */
static void
stats_activity(struct flow_stats *fs, enum flowid_profile prof,
    const struct pkt *p, int32_t t)
{
	int64_t	idle = (int64_t)t - fs->fs_last;
	int64_t	active = (int64_t)fs->fs_last - fs->fs_actstart;

	if (prof == FLOWID_PROFILE_UNICAUCA && (p->pk_tcpflags & TCPF_FIN))
		return;
	if (idle > FLOW_STATS_ACTIVITY_US) {
		if (active > 0)
			stats_spread_add(&fs->fs_active, active);
		stats_spread_add(&fs->fs_idle, idle);
		fs->fs_actstart = t;
	}
}

/* What a packet after the first does to flow-wide time statistics. */
static void
stats_flow_gap(struct flow_stats *fs, enum flowid_profile prof,
    const struct pkt *p, int32_t t)
{
	int64_t	gap = (int64_t)t - fs->fs_last;

	stats_gap_add(&fs->fs_iat2, &fs->fs_iatmin, &fs->fs_iatmax,
	    flow_stats_packets(fs) - 1, gap);
	if (gap > FLOW_STATS_SUBFLOW_US)
		fs->fs_gaps = add_sat32(fs->fs_gaps, 1);
	stats_activity(fs, prof, p, t);
}

/* The window a profile keeps: first one, or the latest backward one. */
static void
stats_window(struct flow_dir_stats *d, enum flowid_profile prof,
    const struct pkt *p, int dir)
{
	if (p->pk_proto != IPPROTO_NUM_TCP)
		return;
	if (d->fd_pkts == 0 ||
	    (prof != FLOWID_PROFILE_FLOWIDD && dir == FLOW_BWD))
		d->fd_win = p->pk_win;
}

/* Sizes and gaps of one side. */
static void
stats_side(struct flow_stats *fs, enum flowid_profile prof,
    const struct pkt *p, int dir, int32_t t)
{
	struct flow_dir_stats	*d = &fs->fs_dir[dir];
	uint16_t		 pl = p->pk_payload;

	stats_window(d, prof, p, dir);
	if (d->fd_pkts == 0) {
		d->fd_first = t;
		d->fd_plmin = d->fd_plmax = pl;
		d->fd_ttl = p->pk_ttl;
	} else {
		stats_gap_add(&d->fd_iat2, &d->fd_iatmin, &d->fd_iatmax,
		    d->fd_pkts - 1, (int64_t)t - d->fd_last);
		if (pl < d->fd_plmin)
			d->fd_plmin = pl;
		if (pl > d->fd_plmax)
			d->fd_plmax = pl;
	}

	d->fd_pkts++;
	d->fd_last = t;
	d->fd_bytes += pl;
	d->fd_bytes2 = add_sat(d->fd_bytes2, (uint64_t)pl * pl);
	d->fd_hdr += p->pk_l4hdrlen;
	if (prof == FLOWID_PROFILE_FLOWIDD && d->fd_pkts <= FLOW_STATS_FIRST_PL)
		d->fd_pl[d->fd_pkts - 1] = pl;
}

/*
 * Forward-only columns.  The reference tool counts data packets only
 * after the first one; flowidd counts them all.
 */
static void
stats_forward(struct flow_stats *fs, enum flowid_profile prof,
    const struct pkt *p, bool first)
{
	uint8_t	hdr = p->pk_l4hdrlen > UINT8_MAX ? UINT8_MAX :
		    (uint8_t)p->pk_l4hdrlen;

	if (fs->fs_dir[FLOW_FWD].fd_pkts == 0 || hdr < fs->fs_minseg)
		fs->fs_minseg = hdr;
	if (p->pk_payload > 0 && (!first || prof == FLOWID_PROFILE_FLOWIDD))
		fs->fs_actdata = add_sat32(fs->fs_actdata, 1);
}

/*
 * TCP flag counts: every packet, except in unicauca, whose tool looked
 * at the first packet only (fs_firstflags).
 */
static void
stats_flags(struct flow_stats *fs, enum flowid_profile prof,
    const struct pkt *p, int dir)
{
	uint8_t			 f = p->pk_tcpflags;
	struct flow_dir_stats	*d = &fs->fs_dir[dir];

	if (prof == FLOWID_PROFILE_UNICAUCA || f == 0)
		return;
	fs->fs_fin += (f & TCPF_FIN) != 0;
	fs->fs_syn += (f & TCPF_SYN) != 0;
	fs->fs_rst += (f & TCPF_RST) != 0;
	fs->fs_ack += (f & TCPF_ACK) != 0;
	fs->fs_cwr += (f & TCPF_CWR) != 0;
	fs->fs_ece += (f & TCPF_ECE) != 0;
	d->fd_psh += (f & TCPF_PSH) != 0;
	d->fd_urg += (f & TCPF_URG) != 0;
}

/*
 * One payload packet into a bulk tracker.  other is the opposite side's
 * tracker (flowidd): payload sent that way since this candidate started
 * breaks the candidate, as CICFlowMeter intends; cicflowmeter passes
 * NULL and feeds every packet to one tracker, as its tool really does.
 */
static void
stats_bulk(struct flow_bulk *b, const struct flow_bulk *other,
    uint16_t pl, int32_t t)
{
	if (other != NULL && b->fb_cpkts != 0 &&
	    other->fb_last != FLOW_STATS_NONE && other->fb_last > b->fb_start)
		b->fb_cpkts = 0;
	if (pl == 0)
		return;

	if (b->fb_cpkts == 0 ||
	    (int64_t)t - b->fb_last > FLOW_STATS_BULK_GAP_US) {
		b->fb_start = b->fb_last = t;
		b->fb_cpkts = 1;
		b->fb_cbytes = pl;
		return;
	}

	if (b->fb_cpkts < UINT8_MAX)
		b->fb_cpkts++;
	if (b->fb_cpkts < FLOW_STATS_BULK_PKTS)
		b->fb_cbytes += pl;
	else if (b->fb_cpkts == FLOW_STATS_BULK_PKTS) {
		b->fb_count++;
		b->fb_pkts += FLOW_STATS_BULK_PKTS;
		b->fb_bytes += b->fb_cbytes + pl;
		b->fb_dur = clamp32((int64_t)b->fb_dur + t - b->fb_start);
	} else {
		b->fb_pkts++;
		b->fb_bytes += pl;
		b->fb_dur = clamp32((int64_t)b->fb_dur + t - b->fb_last);
	}
	b->fb_last = t;
}

/* The handshake, as flowidd's extra columns describe it. */
static void
stats_handshake(struct flow_stats *fs, const struct pkt *p, int dir)
{
	struct flow_synopt	*so;
	uint8_t			 sa;

	if (p->pk_proto != IPPROTO_NUM_TCP)
		return;

	sa = p->pk_tcpflags & (TCPF_SYN | TCPF_ACK);
	if (dir == FLOW_FWD && sa == TCPF_SYN &&
	    !(fs->fs_bits & FLOW_STATS_SYN)) {
		so = &fs->fs_synopt[0];
		fs->fs_bits |= FLOW_STATS_SYN;
	} else if (dir == FLOW_BWD && sa == (TCPF_SYN | TCPF_ACK) &&
	    !(fs->fs_bits & FLOW_STATS_SYNACK)) {
		so = &fs->fs_synopt[1];
		fs->fs_bits |= FLOW_STATS_SYNACK;
	} else {
		if (dir == FLOW_FWD && sa == TCPF_ACK &&
		    (fs->fs_bits & (FLOW_STATS_SYN | FLOW_STATS_SYNACK)) ==
		    (FLOW_STATS_SYN | FLOW_STATS_SYNACK))
			fs->fs_bits |= FLOW_STATS_HANDSHAKE;
		return;
	}
	so->so_mss = (p->pk_tcpopt & TCPOPT_HAS_MSS) ? p->pk_mss : 0;
	so->so_wscale = p->pk_wscale;
	so->so_opts = p->pk_tcpopt;
}

/*
 * flowidd's extra columns: the first packets one by one.  Called before
 * the packet is counted, so i is its rank in the flow.
 */
static void
stats_first_pkts(struct flow_stats *fs, const struct pkt *p, int dir,
    int64_t gap)
{
	uint32_t	i = flow_stats_packets(fs);

	stats_handshake(fs, p, dir);
	if (i >= FLOW_STATS_FIRST_PKTS)
		return;
	fs->fs_pktsize[i] = p->pk_iplen > UINT16_MAX ? UINT16_MAX :
	    (uint16_t)p->pk_iplen;
	if (i > 0)
		fs->fs_pktiat[i - 1] = gap > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)gap;
	if (dir == FLOW_BWD)
		fs->fs_pktdir |= (uint16_t)(1u << i);
}

void
flow_stats_add(struct flow_stats *fs, enum flowid_profile prof,
    const struct pkt *p, int dir)
{
	bool	first = flow_stats_packets(fs) == 0;
	bool	own = prof == FLOWID_PROFILE_FLOWIDD;
	int32_t	t = stats_off(fs, p->pk_ts);
	int64_t	gap = 0;

	dir = dir == FLOW_BWD ? FLOW_BWD : FLOW_FWD;
	if (first) {
		if (!own)
			dir = FLOW_FWD;
		fs->fs_firstpl = p->pk_payload;
		fs->fs_firstflags = p->pk_tcpflags;
	} else {
		/* flowidd gets packets sorted; a straggler is pinned */
		if (own && t < fs->fs_last)
			t = fs->fs_last;
		gap = (int64_t)t - fs->fs_last;
		stats_flow_gap(fs, prof, p, t);
	}

	if (own) {
		stats_first_pkts(fs, p, dir, gap);
		stats_bulk(&fs->fs_bulk[dir], &fs->fs_bulk[!dir],
		    p->pk_payload, t);
	} else if (prof == FLOWID_PROFILE_CICFLOWMETER)
		stats_bulk(&fs->fs_bulk[FLOW_BWD], NULL, p->pk_payload, t);
	if (dir == FLOW_FWD)
		stats_forward(fs, prof, p, first);
	stats_side(fs, prof, p, dir, t);
	stats_flags(fs, prof, p, dir);
	fs->fs_last = t;
}
