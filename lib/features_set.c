/* SPDX-License-Identifier: ISC */
/*
 * Columns from accumulators.  flow_stats.c has done the per-packet work;
 * here each column is one small formula, chosen by profile.  The three
 * profiles differ in a handful of definitions (docs/features.md has the
 * table); everything else is shared.
 */

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "features_set.h"
#include "flow_stats.h"

#define IPPROTO_NUM_TCP	6

/* Column indexes, in CSV order. */
enum feat {
	F_SPORT, F_DPORT, F_PROTO,
	F_DURATION, F_FWD_PKTS, F_BWD_PKTS, F_FWD_BYTES, F_BWD_BYTES,
	F_FWD_LEN,			/* max, min, mean, std */
	F_BWD_LEN = F_FWD_LEN + 4,	/* same */
	F_FLOW_BPS = F_BWD_LEN + 4, F_FLOW_PPS,
	F_FLOW_IAT,			/* mean, std, max, min */
	F_FWD_IAT = F_FLOW_IAT + 4,	/* total, mean, std, max, min */
	F_BWD_IAT = F_FWD_IAT + 5,
	F_FWD_PSH = F_BWD_IAT + 5, F_BWD_PSH, F_FWD_URG, F_BWD_URG,
	F_FWD_HDR, F_BWD_HDR, F_FWD_PPS, F_BWD_PPS,
	F_LEN,				/* min, max, mean, std, var */
	F_FLAGS = F_LEN + 5,	/* FIN SYN RST PSH ACK URG CWE ECE */
	F_DOWN_UP = F_FLAGS + 8, F_AVG_PKT, F_AVG_FWD_SEG, F_AVG_BWD_SEG,
	F_FWD_HDR1,
	F_FWD_BULK,			/* bytes, packets, rate */
	F_BWD_BULK = F_FWD_BULK + 3,
	F_SUBFLOW = F_BWD_BULK + 3,	/* fwd pkts, fwd bytes, bwd ... */
	F_INIT_WIN_FWD = F_SUBFLOW + 4, F_INIT_WIN_BWD, F_ACT_DATA, F_MIN_SEG,
	F_ACTIVE,			/* mean, std, max, min */
	F_IDLE = F_ACTIVE + 4,
	F_BASE_END = F_IDLE + 4,
	/* flowidd only */
	F_PKT_SIZE = F_BASE_END,
	F_PKT_DIR = F_PKT_SIZE + FLOW_STATS_FIRST_PKTS,
	F_PKT_IAT = F_PKT_DIR + FLOW_STATS_FIRST_PKTS,
	F_FWD_PL = F_PKT_IAT + FLOW_STATS_FIRST_PKTS,
	F_BWD_PL = F_FWD_PL + FLOW_STATS_FIRST_PL,
	F_SYNOPT = F_BWD_PL + FLOW_STATS_FIRST_PL,	/* 2 x 4 */
	F_TTL = F_SYNOPT + 8,				/* fwd, bwd */
	F_HANDSHAKE = F_TTL + 2, F_SERVER_PORT, F_IPVER,
	F_SERVER_HI, F_SERVER_MID,
	F_END
};

_Static_assert(F_BASE_END == FEATURES_BASE, "base column count");
_Static_assert(F_END == FEATURES_MAX, "column count");

static const char *const base_names[FEATURES_BASE] = {
	"Source.Port", "Destination.Port", "Protocol",
	"Flow.Duration", "Total.Fwd.Packets", "Total.Backward.Packets",
	"Total.Length.of.Fwd.Packets", "Total.Length.of.Bwd.Packets",
	"Fwd.Packet.Length.Max", "Fwd.Packet.Length.Min",
	"Fwd.Packet.Length.Mean", "Fwd.Packet.Length.Std",
	"Bwd.Packet.Length.Max", "Bwd.Packet.Length.Min",
	"Bwd.Packet.Length.Mean", "Bwd.Packet.Length.Std",
	"Flow.Bytes.s", "Flow.Packets.s",
	"Flow.IAT.Mean", "Flow.IAT.Std", "Flow.IAT.Max", "Flow.IAT.Min",
	"Fwd.IAT.Total", "Fwd.IAT.Mean", "Fwd.IAT.Std", "Fwd.IAT.Max",
	"Fwd.IAT.Min",
	"Bwd.IAT.Total", "Bwd.IAT.Mean", "Bwd.IAT.Std", "Bwd.IAT.Max",
	"Bwd.IAT.Min",
	"Fwd.PSH.Flags", "Bwd.PSH.Flags", "Fwd.URG.Flags", "Bwd.URG.Flags",
	"Fwd.Header.Length", "Bwd.Header.Length",
	"Fwd.Packets.s", "Bwd.Packets.s",
	"Min.Packet.Length", "Max.Packet.Length", "Packet.Length.Mean",
	"Packet.Length.Std", "Packet.Length.Variance",
	"FIN.Flag.Count", "SYN.Flag.Count", "RST.Flag.Count",
	"PSH.Flag.Count", "ACK.Flag.Count", "URG.Flag.Count",
	"CWE.Flag.Count", "ECE.Flag.Count",
	"Down.Up.Ratio", "Average.Packet.Size", "Avg.Fwd.Segment.Size",
	"Avg.Bwd.Segment.Size", "Fwd.Header.Length.1",
	"Fwd.Avg.Bytes.Bulk", "Fwd.Avg.Packets.Bulk", "Fwd.Avg.Bulk.Rate",
	"Bwd.Avg.Bytes.Bulk", "Bwd.Avg.Packets.Bulk", "Bwd.Avg.Bulk.Rate",
	"Subflow.Fwd.Packets", "Subflow.Fwd.Bytes", "Subflow.Bwd.Packets",
	"Subflow.Bwd.Bytes",
	"Init_Win_bytes_forward", "Init_Win_bytes_backward",
	"act_data_pkt_fwd", "min_seg_size_forward",
	"Active.Mean", "Active.Std", "Active.Max", "Active.Min",
	"Idle.Mean", "Idle.Std", "Idle.Max", "Idle.Min",
};

#define NAMES5(s)	s ".1", s ".2", s ".3", s ".4", s ".5"
#define NAMES10(s)	NAMES5(s), s ".6", s ".7", s ".8", s ".9", s ".10"

static const char *const extra_names[FEATURES_EXTRA] = {
	NAMES10("Pkt.Size"), NAMES10("Pkt.Dir"), NAMES10("Pkt.IAT"),
	NAMES5("Fwd.Payload"), NAMES5("Bwd.Payload"),
	"SYN.MSS", "SYN.Window.Scale", "SYN.SACK.Permitted",
	"SYN.Timestamps",
	"SYNACK.MSS", "SYNACK.Window.Scale", "SYNACK.SACK.Permitted",
	"SYNACK.Timestamps",
	"Fwd.Init.TTL", "Bwd.Init.TTL",
	"Handshake.Seen", "Server.Port", "IP.Version",
	"Server.Addr.Hi", "Server.Addr.Mid",
};

_Static_assert(FLOW_STATS_FIRST_PKTS == 10 && FLOW_STATS_FIRST_PL == 5,
    "extra_names spells out 10 packets and 5 payloads");

size_t
features_count(enum flowid_profile prof)
{
	return prof == FLOWID_PROFILE_FLOWIDD ? FEATURES_MAX : FEATURES_BASE;
}

const char *
features_name(enum flowid_profile prof, size_t i)
{
	if (i >= features_count(prof))
		return NULL;
	if (i < FEATURES_BASE)
		return base_names[i];
	return extra_names[i - FEATURES_BASE];
}

/*
 * 128-bit unsigned arithmetic for exact variances: n * sum of squares
 * minus the squared sum can need 96 bits.  Portable, no __int128.
 */
struct u128 {
	uint64_t	hi;
	uint64_t	lo;
};

static struct u128
mul64(uint64_t a, uint64_t b)
{
	uint64_t	a0 = a & 0xffffffffu, a1 = a >> 32;
	uint64_t	b0 = b & 0xffffffffu, b1 = b >> 32;
	uint64_t	p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
	uint64_t	mid;
	struct u128	r;

	mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
	r.lo = (mid << 32) | (p00 & 0xffffffffu);
	r.hi = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	return r;
}

/* a - b as a double, 0 when b >= a */
static double
sub128(struct u128 a, struct u128 b)
{
	uint64_t	hi, lo;

	if (a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo))
		return 0.0;
	lo = a.lo - b.lo;
	hi = a.hi - b.hi - (a.lo < b.lo);
	return ldexp((double)hi, 64) + (double)lo;
}

/*
 * Variance of n values from their sum and sum of squares, exactly up to
 * the final division: by n - 1 (sample, the reference tool) or n (the
 * whole flow is the population: flowidd).
 */
static double
variance(uint64_t n, int64_t sum, uint64_t sum2, bool sample)
{
	uint64_t	s = sum < 0 ? (uint64_t)0 - (uint64_t)sum :
			    (uint64_t)sum;
	double		num, den;

	if (n < 2)
		return 0.0;
	num = sub128(mul64(n, sum2), mul64(s, s));
	den = sample ? (double)n * (double)(n - 1) : (double)n * (double)n;
	return num / den;
}

static double
ratio(double a, double b)
{
	return b != 0.0 ? a / b : 0.0;
}

/* Mean, std, max, min of n values (a spread of periods or gaps). */
static void
put_spread(double *o, uint64_t n, int64_t sum, uint64_t sum2, double max,
    double min, bool sample)
{
	if (n == 0) {
		o[0] = o[1] = o[2] = o[3] = 0.0;
		return;
	}
	o[0] = (double)sum / (double)n;
	o[1] = sqrt(variance(n, sum, sum2, sample));
	o[2] = max;
	o[3] = min;
}

/* Payload length max, min, mean, std of one side. */
static void
put_side_len(double *o, const struct flow_dir_stats *d, bool sample)
{
	uint64_t	n = d->fd_pkts;

	if (n == 0) {
		o[0] = o[1] = o[2] = o[3] = 0.0;
		return;
	}
	o[0] = d->fd_plmax;
	o[1] = d->fd_plmin;
	o[2] = (double)d->fd_bytes / (double)n;
	o[3] = sqrt(variance(n, (int64_t)d->fd_bytes, d->fd_bytes2, sample));
}

/* Gap total, mean, std, max, min between one side's packets. */
static void
put_side_iat(double *o, const struct flow_dir_stats *d, bool sample)
{
	int64_t	total = (int64_t)d->fd_last - d->fd_first;

	if (d->fd_pkts < 2) {
		memset(o, 0, 5 * sizeof(*o));
		return;
	}
	o[0] = (double)total;
	put_spread(o + 1, d->fd_pkts - 1, total, d->fd_iat2, d->fd_iatmax,
	    d->fd_iatmin, sample);
}

/*
 * Packet length over the whole flow.  The reference tool's list holds
 * the first packet's payload twice; flowidd's holds every packet once.
 */
static void
put_flow_len(double *o, const struct flow_stats *fs, bool twice)
{
	const struct flow_dir_stats *f = &fs->fs_dir[FLOW_FWD];
	const struct flow_dir_stats *b = &fs->fs_dir[FLOW_BWD];
	uint64_t	n = (uint64_t)f->fd_pkts + b->fd_pkts;
	uint64_t	sum = f->fd_bytes + b->fd_bytes;
	uint64_t	sum2 = f->fd_bytes2 + b->fd_bytes2;
	double		var;

	if (n == 0) {
		memset(o, 0, 5 * sizeof(*o));
		return;
	}
	if (twice) {
		n++;
		sum += fs->fs_firstpl;
		sum2 += (uint64_t)fs->fs_firstpl * fs->fs_firstpl;
	}
	o[0] = f->fd_pkts == 0 ? b->fd_plmin : b->fd_pkts == 0 ? f->fd_plmin :
	    fmin(f->fd_plmin, b->fd_plmin);
	o[1] = fmax(f->fd_plmax, b->fd_plmax);
	o[2] = (double)sum / (double)n;
	var = variance(n, (int64_t)sum, sum2, twice);
	o[3] = sqrt(var);
	o[4] = var;
}

/* Flow gaps mean, std, max, min. */
static void
put_flow_iat(double *o, const struct flow_stats *fs, bool sample)
{
	uint32_t	n = flow_stats_packets(fs);

	if (n < 2) {
		o[0] = o[1] = o[2] = o[3] = 0.0;
		return;
	}
	put_spread(o, n - 1, fs->fs_last, fs->fs_iat2, fs->fs_iatmax,
	    fs->fs_iatmin, sample);
}

/* Active periods then idle gaps: mean, std, max, min of each. */
static void
put_active_idle(double *o, const struct flow_stats *fs, bool own)
{
	struct flow_spread	a = fs->fs_active;
	const struct flow_spread *i = &fs->fs_idle;
	int64_t			last;

	last = (int64_t)fs->fs_last - fs->fs_actstart;

	/* flowidd closes the period still open; its tool never did */
	if (own && last > 0) {
		a.sp_sum += (uint32_t)last;
		a.sp_sum2 += (uint64_t)last * (uint64_t)last;
		if (a.sp_n == 0 || (uint32_t)last < a.sp_min)
			a.sp_min = (uint32_t)last;
		if (a.sp_n == 0 || (uint32_t)last > a.sp_max)
			a.sp_max = (uint32_t)last;
		a.sp_n++;
	}
	put_spread(o, a.sp_n, a.sp_sum, a.sp_sum2, a.sp_max, a.sp_min, !own);
	put_spread(o + 4, i->sp_n, i->sp_sum, i->sp_sum2, i->sp_max,
	    i->sp_min, !own);
}

/* Rate per second; the reference tool does not guard a zero duration. */
static double
rate(double count, int64_t dur_us, bool guarded)
{
	if (guarded && dur_us <= 0)
		return 0.0;
	return count / ((double)dur_us / 1000000.0);
}

/* Durations, sizes, rates and gaps: shared by every profile. */
static void
put_core(double *o, const struct flow *fl, enum flowid_profile prof)
{
	const struct flow_stats *fs = &fl->fl_st;
	const struct flow_dir_stats *f = &fs->fs_dir[FLOW_FWD];
	const struct flow_dir_stats *b = &fs->fs_dir[FLOW_BWD];
	bool		own = prof == FLOWID_PROFILE_FLOWIDD;
	int64_t		dur = fs->fs_last;

	o[F_SPORT] = flow_sport(fl);
	o[F_DPORT] = flow_dport(fl);
	o[F_PROTO] = fl->fl_proto;
	o[F_DURATION] = (double)dur;
	o[F_FWD_PKTS] = f->fd_pkts;
	o[F_BWD_PKTS] = b->fd_pkts;
	o[F_FWD_BYTES] = (double)f->fd_bytes;
	o[F_BWD_BYTES] = (double)b->fd_bytes;
	put_side_len(o + F_FWD_LEN, f, !own);
	put_side_len(o + F_BWD_LEN, b, !own);
	o[F_FLOW_BPS] = rate((double)(f->fd_bytes + b->fd_bytes), dur, own);
	o[F_FLOW_PPS] = rate((double)f->fd_pkts + b->fd_pkts, dur, own);
	put_flow_iat(o + F_FLOW_IAT, fs, !own);
	put_side_iat(o + F_FWD_IAT, f, !own);
	put_side_iat(o + F_BWD_IAT, b, !own);
	o[F_FWD_HDR] = o[F_FWD_HDR1] = (double)f->fd_hdr;
	o[F_BWD_HDR] = (double)b->fd_hdr;
	o[F_FWD_PPS] = rate(f->fd_pkts, dur, true);
	o[F_BWD_PPS] = rate(b->fd_pkts, dur, true);
	put_flow_len(o + F_LEN, fs, !own);
	o[F_ACT_DATA] = fs->fs_actdata;
	o[F_MIN_SEG] = fs->fs_minseg;
	put_active_idle(o + F_ACTIVE, fs, own);
}

/*
 * TCP flags.  unicauca's tool looked at the first packet only and wrote
 * the eight bits in its hash map's order, so each column holds another
 * flag: the FIN column shows RST, SYN shows PSH, RST shows ECE, PSH shows
 * SYN, URG shows FIN, CWE shows URG and ECE shows CWR.
 */
static void
put_flags(double *o, const struct flow_stats *fs, enum flowid_profile prof)
{
	static const uint8_t	 legacy[8] = {
		TCPF_RST, TCPF_PSH, TCPF_ECE, TCPF_SYN,
		TCPF_ACK, TCPF_FIN, TCPF_URG, TCPF_CWR,
	};
	const struct flow_dir_stats *f = &fs->fs_dir[FLOW_FWD];
	const struct flow_dir_stats *b = &fs->fs_dir[FLOW_BWD];
	uint8_t			 ff = fs->fs_firstflags;
	size_t			 i;

	if (prof == FLOWID_PROFILE_UNICAUCA) {
		for (i = 0; i < 8; i++)
			o[F_FLAGS + i] = (ff & legacy[i]) != 0;
	} else {
		o[F_FLAGS + 0] = fs->fs_fin;
		o[F_FLAGS + 1] = fs->fs_syn;
		o[F_FLAGS + 2] = fs->fs_rst;
		o[F_FLAGS + 3] = (double)f->fd_psh + b->fd_psh;
		o[F_FLAGS + 4] = fs->fs_ack;
		o[F_FLAGS + 5] = (double)f->fd_urg + b->fd_urg;
		o[F_FLAGS + 6] = fs->fs_cwr;
		o[F_FLAGS + 7] = fs->fs_ece;
	}

	/* the tool's per-side PSH/URG only ever saw the first packet */
	if (prof == FLOWID_PROFILE_FLOWIDD) {
		o[F_FWD_PSH] = f->fd_psh;
		o[F_BWD_PSH] = b->fd_psh;
		o[F_FWD_URG] = f->fd_urg;
		o[F_BWD_URG] = b->fd_urg;
	} else {
		o[F_FWD_PSH] = (ff & TCPF_PSH) != 0;
		o[F_BWD_PSH] = 0;
		o[F_FWD_URG] = (ff & TCPF_URG) != 0;
		o[F_BWD_URG] = 0;
	}
}

/* Bytes, packets and rate of one side's bulks; whole numbers if whole. */
static void
put_bulk(double *o, const struct flow_bulk *b, bool whole)
{
	double	bytes = (double)b->fb_bytes;

	if (b->fb_count == 0) {
		o[0] = o[1] = o[2] = 0.0;
		return;
	}
	o[0] = whole ? (double)(b->fb_bytes / b->fb_count) :
	    bytes / b->fb_count;
	o[1] = whole ? (double)(b->fb_pkts / b->fb_count) :
	    (double)b->fb_pkts / b->fb_count;
	o[2] = b->fb_dur == 0 ? 0.0 : bytes / (b->fb_dur / 1000000.0);
	if (whole)
		o[2] = trunc(o[2]);
	else if (b->fb_dur < 0)
		o[2] = 0.0;
}

/* Bulk and subflow columns, the most profile-dependent ones. */
static void
put_bulk_subflow(double *o, const struct flow_stats *fs,
    enum flowid_profile prof)
{
	const struct flow_dir_stats *f = &fs->fs_dir[FLOW_FWD];
	const struct flow_dir_stats *b = &fs->fs_dir[FLOW_BWD];
	uint64_t	v[4] = { f->fd_pkts, f->fd_bytes, b->fd_pkts,
			    b->fd_bytes };
	size_t		i;

	memset(o + F_FWD_BULK, 0, 6 * sizeof(*o));
	for (i = 0; i < 4; i++) {
		if (prof == FLOWID_PROFILE_FLOWIDD)
			o[F_SUBFLOW + i] = (double)v[i] / (fs->fs_gaps + 1.0);
		else if (prof == FLOWID_PROFILE_UNICAUCA)
			o[F_SUBFLOW + i] = (double)v[i];
		else
			o[F_SUBFLOW + i] = fs->fs_gaps == 0 ? 0.0 :
			    (double)(v[i] / fs->fs_gaps);
	}

	if (prof == FLOWID_PROFILE_FLOWIDD) {
		put_bulk(o + F_FWD_BULK, &fs->fs_bulk[FLOW_FWD], false);
		put_bulk(o + F_BWD_BULK, &fs->fs_bulk[FLOW_BWD], false);
	} else if (prof == FLOWID_PROFILE_CICFLOWMETER)
		put_bulk(o + F_BWD_BULK, &fs->fs_bulk[FLOW_BWD], true);
}

/* Ratios, segment averages and initial windows. */
static void
put_ratios(double *o, const struct flow *fl, enum flowid_profile prof)
{
	const struct flow_stats *fs = &fl->fl_st;
	const struct flow_dir_stats *f = &fs->fs_dir[FLOW_FWD];
	const struct flow_dir_stats *b = &fs->fs_dir[FLOW_BWD];
	uint64_t	n = (uint64_t)f->fd_pkts + b->fd_pkts;
	double		sum = (double)(f->fd_bytes + b->fd_bytes);
	double		none = prof == FLOWID_PROFILE_UNICAUCA ? -1 : 0;
	bool		tcp = fl->fl_proto == IPPROTO_NUM_TCP;

	if (prof == FLOWID_PROFILE_FLOWIDD) {
		o[F_DOWN_UP] = ratio(b->fd_pkts, f->fd_pkts);
		o[F_AVG_PKT] = ratio(sum, (double)n);
	} else {
		o[F_DOWN_UP] = f->fd_pkts == 0 ? 0.0 :
		    (double)(b->fd_pkts / f->fd_pkts);
		o[F_AVG_PKT] = ratio(sum + fs->fs_firstpl, (double)n);
	}
	o[F_AVG_FWD_SEG] = ratio((double)f->fd_bytes, f->fd_pkts);
	o[F_AVG_BWD_SEG] = ratio((double)b->fd_bytes, b->fd_pkts);
	o[F_INIT_WIN_FWD] = tcp && f->fd_pkts > 0 ? f->fd_win : none;
	o[F_INIT_WIN_BWD] = tcp && b->fd_pkts > 0 ? b->fd_win : none;
}

/*
 * Whether the responder's address means the same thing on every network:
 * private, shared, loopback, link-local and unspecified addresses name a
 * different host on each site, so a model must not learn them.
 * Multicast and broadcast stay: 224.0.0.251 is mDNS everywhere.
 */
static bool
addr_is_global(const uint8_t *a, uint8_t ipver)
{
	static const uint8_t	zero[15];

	if (ipver == 4)
		return !(a[0] == 0 || a[0] == 10 || a[0] == 127 ||
		    (a[0] == 100 && (a[1] & 0xc0) == 64) ||
		    (a[0] == 169 && a[1] == 254) ||
		    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
		    (a[0] == 192 && a[1] == 168));
	if (memcmp(a, zero, 15) == 0 && a[15] <= 1)
		return false;		/* ::, ::1 */
	return !((a[0] & 0xfe) == 0xfc ||
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80));
}

/*
 * The responder's network, in two exact 16-bit halves: an IPv4 address
 * whole, the /32 allocation of an IPv6 one; -1 (the profile's "none")
 * when the address is not global.
 */
static void
put_server_addr(double *o, const struct flow *fl)
{
	const uint8_t	*a = flow_dst(fl);

	if (!addr_is_global(a, fl->fl_ipver)) {
		o[F_SERVER_HI] = o[F_SERVER_MID] = -1;
		return;
	}
	o[F_SERVER_HI] = (a[0] << 8) | a[1];
	o[F_SERVER_MID] = (a[2] << 8) | a[3];
}

/* flowidd's own columns: first packets, handshake, server side. */
static void
put_extra(double *o, const struct flow *fl)
{
	const struct flow_stats *fs = &fl->fl_st;
	size_t		i;
	int		s;

	for (i = 0; i < FLOW_STATS_FIRST_PKTS; i++) {
		bool	used = i < flow_stats_packets(fs);

		o[F_PKT_SIZE + i] = used ? fs->fs_pktsize[i] : 0;
		o[F_PKT_DIR + i] = !used ? 0 :
		    (fs->fs_pktdir & (1u << i)) ? -1 : 1;
		o[F_PKT_IAT + i] = used && i > 0 ? fs->fs_pktiat[i - 1] : 0;
	}
	for (i = 0; i < FLOW_STATS_FIRST_PL; i++) {
		const struct flow_dir_stats *f = &fs->fs_dir[FLOW_FWD];
		const struct flow_dir_stats *b = &fs->fs_dir[FLOW_BWD];

		o[F_FWD_PL + i] = i < f->fd_pkts ? f->fd_pl[i] : -1;
		o[F_BWD_PL + i] = i < b->fd_pkts ? b->fd_pl[i] : -1;
	}
	for (s = 0; s < 2; s++) {
		const struct flow_synopt *so = &fs->fs_synopt[s];
		bool	seen = fs->fs_bits &
			    (s == 0 ? FLOW_STATS_SYN : FLOW_STATS_SYNACK);
		double	*p = o + F_SYNOPT + 4 * s;

		p[0] = seen ? so->so_mss : 0;
		p[1] = seen && (so->so_opts & TCPOPT_HAS_WSCALE) ?
		    so->so_wscale : -1;
		p[2] = seen && (so->so_opts & TCPOPT_HAS_SACKOK);
		p[3] = seen && (so->so_opts & TCPOPT_HAS_TS);
	}
	o[F_TTL] = fs->fs_dir[FLOW_FWD].fd_pkts ? fs->fs_dir[FLOW_FWD].fd_ttl :
	    0;
	o[F_TTL + 1] = fs->fs_dir[FLOW_BWD].fd_pkts ?
	    fs->fs_dir[FLOW_BWD].fd_ttl : 0;
	o[F_HANDSHAKE] = (fs->fs_bits & FLOW_STATS_HANDSHAKE) != 0;
	o[F_SERVER_PORT] = flow_dport(fl);
	o[F_IPVER] = fl->fl_ipver;
	put_server_addr(o, fl);
}

void
features_compute(const struct flow *fl, enum flowid_profile prof,
    double *out)
{
	put_core(out, fl, prof);
	put_flags(out, &fl->fl_st, prof);
	put_bulk_subflow(out, &fl->fl_st, prof);
	put_ratios(out, fl, prof);
	if (prof == FLOWID_PROFILE_FLOWIDD)
		put_extra(out, fl);
}
