/* SPDX-License-Identifier: ISC */
/*
 * Feature columns, every one, in each profile, on small flows built
 * packet by packet.  The expected tables were worked out from the packet
 * lists below (the derivation of the less obvious columns is written next
 * to them); they do not come from the code under test.
 */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "features_set.h"
#include "flow.h"
#include "flow_stats.h"
#include "flowid.h"
#include "profile.h"

#define T0	1700000000000000ULL	/* 2023-11-14T22:13:20Z */
#define FWD	FLOW_FWD
#define BWD	FLOW_BWD
#define OPT_ALL	(TCPOPT_HAS_MSS | TCPOPT_HAS_WSCALE | \
		    TCPOPT_HAS_SACKOK | TCPOPT_HAS_TS)

/* One hand-made packet: time after T0 (us), side, TCP fields, sizes. */
struct tpkt {
	uint64_t	tp_t;
	int		tp_dir;
	uint8_t		tp_flags;
	uint16_t	tp_payload;
	uint16_t	tp_l4hdr;
	uint16_t	tp_win;
	uint8_t		tp_ttl;
	uint16_t	tp_mss;
	uint8_t		tp_wscale;
	uint8_t		tp_opts;
};

/*
 * Flow T, TCP 192.0.2.1:49152 -> 198.51.100.2:80.  A handshake with
 * options (the SYN also asks for ECN), a 100-byte request, four response
 * segments 500 us apart (one bulk backward), 2 s of silence (a second
 * subflow), a 200-byte request with URG, 7 s of silence (idle), then the
 * close.  cicflowmeter's flow ends at the backward FIN (#14), unicauca's
 * at the first FIN (#13); flowidd keeps all 15.
 *
 *  #  t(us)    side flags      payload hdr win
 *  1        0  F   S E C          0     40 64240  MSS 1460 ws 7 SACK TS
 *  2     1000  B   S A E          0     40 65160  MSS 1400 ws 8 SACK
 *  3     1500  F   A              0     20   502
 *  4     2000  F   P A          100     20   502
 *  5     3000  B   A           1000     20   509
 *  6     3500  B   A           1000     20   509
 *  7     4000  B   A           1000     20   509
 *  8     4500  B   P A          500     20   509
 *  9     4600  F   A              0     20   502
 * 10  2004600  F   P A U        200     20   502
 * 11  2005000  B   A              0     20   511
 * 12  9005000  F   A              0     20   502
 * 13  9005500  F   F A            0     20   502
 * 14  9006000  B   F A            0     20   513
 * 15  9006500  F   A              0     20   502
 */
static const struct tpkt flow_t[] = {
	{ 0, FWD, TCPF_SYN | TCPF_ECE | TCPF_CWR, 0, 40, 64240, 64, 1460, 7,
	    OPT_ALL },
	{ 1000, BWD, TCPF_SYN | TCPF_ACK | TCPF_ECE, 0, 40, 65160, 57, 1400, 8,
	    TCPOPT_HAS_MSS | TCPOPT_HAS_WSCALE | TCPOPT_HAS_SACKOK },
	{ 1500, FWD, TCPF_ACK, 0, 20, 502, 64, 0, 0, 0 },
	{ 2000, FWD, TCPF_PSH | TCPF_ACK, 100, 20, 502, 64, 0, 0, 0 },
	{ 3000, BWD, TCPF_ACK, 1000, 20, 509, 57, 0, 0, 0 },
	{ 3500, BWD, TCPF_ACK, 1000, 20, 509, 57, 0, 0, 0 },
	{ 4000, BWD, TCPF_ACK, 1000, 20, 509, 57, 0, 0, 0 },
	{ 4500, BWD, TCPF_PSH | TCPF_ACK, 500, 20, 509, 57, 0, 0, 0 },
	{ 4600, FWD, TCPF_ACK, 0, 20, 502, 64, 0, 0, 0 },
	{ 2004600, FWD, TCPF_PSH | TCPF_ACK | TCPF_URG, 200, 20, 502, 64, 0, 0,
	    0 },
	{ 2005000, BWD, TCPF_ACK, 0, 20, 511, 57, 0, 0, 0 },
	{ 9005000, FWD, TCPF_ACK, 0, 20, 502, 64, 0, 0, 0 },
	{ 9005500, FWD, TCPF_FIN | TCPF_ACK, 0, 20, 502, 64, 0, 0, 0 },
	{ 9006000, BWD, TCPF_FIN | TCPF_ACK, 0, 20, 513, 57, 0, 0, 0 },
	{ 9006500, FWD, TCPF_ACK, 0, 20, 502, 64, 0, 0, 0 },
};

/*
 * Flow U, UDP 192.0.2.1:5000 -> 198.51.100.2:6000: two datagrams of 100
 * and 200 bytes in the same microsecond.  Zero duration: the reference
 * tool's Flow.Bytes.s and Flow.Packets.s are Infinity, flowidd's 0.
 */
static const struct tpkt flow_u[] = {
	{ 0, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
	{ 0, FWD, 0, 200, 8, 0, 64, 0, 0, 0 },
};

/*
 * Flow T, flowidd (all 15 packets, population deviations):
 * - forward payloads 0 0 100 0 200 0 0 0: mean 300/8 = 37.5, std
 *   sqrt((6*37.5^2 + 62.5^2 + 162.5^2)/8) = sqrt(38750/8) = 69.597;
 *   backward 0 1000 1000 1000 500 0 0: mean 500, std sqrt(1.5e6/7);
 * - Flow.Bytes.s 3800 / 9.0065 s; Flow.Packets.s 15 / 9.0065 s;
 * - 14 gaps sum to 9006500: mean 643321.43, max 7000000 (#11-#12),
 *   min 100 (#8-#9); forward gaps 1500 500 2600 2000000 7000400 500
 *   1000; backward gaps 2000 500 500 500 2000500 7001000;
 * - PSH forward #4 #10, backward #8; URG forward #10; headers forward
 *   40 + 7*20 = 180, backward 40 + 6*20 = 160;
 * - flags: FIN 2, SYN 2, PSH 3, ACK 14, URG 1, CWR 1, ECE 2 (#1 #2);
 * - Down.Up 7/8; Average.Packet.Size 3800/15;
 * - bulk: #5-#8 backward, 500 us apart, no forward payload since #5:
 *   3500 bytes, 4 packets, 1500 us = 2333333.33 B/s; forward #4 and #10
 *   are single payload packets;
 * - gaps over 1 s: #9-#10, #11-#12, so 3 subflows: 8/3, 300/3, 7/3,
 *   3500/3;
 * - first windows 64240 and 65160; data packets forward #4 #10;
 * - active [0, 2005000] ended by the 7 s gap, and the last one
 *   [9005000, 9006500]: 2005000 and 1500, mean 1003250, std 1001750;
 *   idle 7000000;
 * - first ten packets: IP length = 20 + header + payload; the SYN and
 *   SYN-ACK options; TTL 64 forward, 57 backward; #1 #2 #3 complete the
 *   handshake.
 */
static const double exp_t_flowidd[] = {
	49152,	/* Source.Port */
	80,	/* Destination.Port */
	6,	/* Protocol */
	9006500,	/* Flow.Duration */
	8,	/* Total.Fwd.Packets */
	7,	/* Total.Backward.Packets */
	300,	/* Total.Length.of.Fwd.Packets */
	3500,	/* Total.Length.of.Bwd.Packets */
	200,	/* Fwd.Packet.Length.Max */
	0,	/* Fwd.Packet.Length.Min */
	37.5,	/* Fwd.Packet.Length.Mean */
	69.59705453537528,	/* Fwd.Packet.Length.Std */
	1000,	/* Bwd.Packet.Length.Max */
	0,	/* Bwd.Packet.Length.Min */
	500,	/* Bwd.Packet.Length.Mean */
	462.9100498862757,	/* Bwd.Packet.Length.Std */
	421.9175040248709,	/* Flow.Bytes.s */
	1.665463831677122,	/* Flow.Packets.s */
	643321.4285714285,	/* Flow.IAT.Mean */
	1836260.3636500584,	/* Flow.IAT.Std */
	7000000,	/* Flow.IAT.Max */
	100,	/* Flow.IAT.Min */
	9006500,	/* Fwd.IAT.Total */
	1286642.857142857,	/* Fwd.IAT.Mean */
	2432443.268378021,	/* Fwd.IAT.Std */
	7000400,	/* Fwd.IAT.Max */
	500,	/* Fwd.IAT.Min */
	9005000,	/* Bwd.IAT.Total */
	1500833.3333333333,	/* Bwd.IAT.Mean */
	2565833.257551152,	/* Bwd.IAT.Std */
	7001000,	/* Bwd.IAT.Max */
	500,	/* Bwd.IAT.Min */
	2,	/* Fwd.PSH.Flags */
	1,	/* Bwd.PSH.Flags */
	1,	/* Fwd.URG.Flags */
	0,	/* Bwd.URG.Flags */
	180,	/* Fwd.Header.Length */
	160,	/* Bwd.Header.Length */
	0.888247376894465,	/* Fwd.Packets.s */
	0.7772164547826569,	/* Bwd.Packets.s */
	0,	/* Min.Packet.Length */
	1000,	/* Max.Packet.Length */
	253.33333333333334,	/* Packet.Length.Mean */
	394.74323581566574,	/* Packet.Length.Std */
	155822.2222222223,	/* Packet.Length.Variance */
	2,	/* FIN.Flag.Count */
	2,	/* SYN.Flag.Count */
	0,	/* RST.Flag.Count */
	3,	/* PSH.Flag.Count */
	14,	/* ACK.Flag.Count */
	1,	/* URG.Flag.Count */
	1,	/* CWE.Flag.Count */
	2,	/* ECE.Flag.Count */
	0.875,	/* Down.Up.Ratio */
	253.33333333333334,	/* Average.Packet.Size */
	37.5,	/* Avg.Fwd.Segment.Size */
	500,	/* Avg.Bwd.Segment.Size */
	180,	/* Fwd.Header.Length.1 */
	0,	/* Fwd.Avg.Bytes.Bulk */
	0,	/* Fwd.Avg.Packets.Bulk */
	0,	/* Fwd.Avg.Bulk.Rate */
	3500,	/* Bwd.Avg.Bytes.Bulk */
	4,	/* Bwd.Avg.Packets.Bulk */
	2333333.3333333335,	/* Bwd.Avg.Bulk.Rate */
	2.6666666666666665,	/* Subflow.Fwd.Packets */
	100,	/* Subflow.Fwd.Bytes */
	2.3333333333333335,	/* Subflow.Bwd.Packets */
	1166.6666666666667,	/* Subflow.Bwd.Bytes */
	64240,	/* Init_Win_bytes_forward */
	65160,	/* Init_Win_bytes_backward */
	2,	/* act_data_pkt_fwd */
	20,	/* min_seg_size_forward */
	1003250,	/* Active.Mean */
	1001750,	/* Active.Std */
	2005000,	/* Active.Max */
	1500,	/* Active.Min */
	7000000,	/* Idle.Mean */
	0,	/* Idle.Std */
	7000000,	/* Idle.Max */
	7000000,	/* Idle.Min */
	60,	/* Pkt.Size.1 */
	60,	/* Pkt.Size.2 */
	40,	/* Pkt.Size.3 */
	140,	/* Pkt.Size.4 */
	1040,	/* Pkt.Size.5 */
	1040,	/* Pkt.Size.6 */
	1040,	/* Pkt.Size.7 */
	540,	/* Pkt.Size.8 */
	40,	/* Pkt.Size.9 */
	240,	/* Pkt.Size.10 */
	1,	/* Pkt.Dir.1 */
	-1,	/* Pkt.Dir.2 */
	1,	/* Pkt.Dir.3 */
	1,	/* Pkt.Dir.4 */
	-1,	/* Pkt.Dir.5 */
	-1,	/* Pkt.Dir.6 */
	-1,	/* Pkt.Dir.7 */
	-1,	/* Pkt.Dir.8 */
	1,	/* Pkt.Dir.9 */
	1,	/* Pkt.Dir.10 */
	0,	/* Pkt.IAT.1 */
	1000,	/* Pkt.IAT.2 */
	500,	/* Pkt.IAT.3 */
	500,	/* Pkt.IAT.4 */
	1000,	/* Pkt.IAT.5 */
	500,	/* Pkt.IAT.6 */
	500,	/* Pkt.IAT.7 */
	500,	/* Pkt.IAT.8 */
	100,	/* Pkt.IAT.9 */
	2000000,	/* Pkt.IAT.10 */
	0,	/* Fwd.Payload.1 */
	0,	/* Fwd.Payload.2 */
	100,	/* Fwd.Payload.3 */
	0,	/* Fwd.Payload.4 */
	200,	/* Fwd.Payload.5 */
	0,	/* Bwd.Payload.1 */
	1000,	/* Bwd.Payload.2 */
	1000,	/* Bwd.Payload.3 */
	1000,	/* Bwd.Payload.4 */
	500,	/* Bwd.Payload.5 */
	1460,	/* SYN.MSS */
	7,	/* SYN.Window.Scale */
	1,	/* SYN.SACK.Permitted */
	1,	/* SYN.Timestamps */
	1400,	/* SYNACK.MSS */
	8,	/* SYNACK.Window.Scale */
	1,	/* SYNACK.SACK.Permitted */
	0,	/* SYNACK.Timestamps */
	64,	/* Fwd.Init.TTL */
	57,	/* Bwd.Init.TTL */
	1,	/* Handshake.Seen */
	80,	/* Server.Port */
	4,	/* IP.Version */
	50739,	/* Server.Addr.Hi: 198.51 */
	25602,	/* Server.Addr.Mid: 100.2 */
};

/*
 * Flow T, cicflowmeter (#1-#14: the backward FIN #14 ends the flow;
 * sample deviations):
 * - forward payloads 0 0 100 0 200 0 0: mean 300/7, backward 0 1000 1000
 *   1000 500 0 0: mean 500, std sqrt(1.5e6/6) = 500;
 * - duration 9006000; Fwd.IAT.Total 9005500 (#1 to #13);
 * - Fwd/Bwd PSH/URG look at the first packet only: 0;
 * - packet length: 14 payloads plus the first again, n = 15, sum 3800;
 * - flags on every packet: FIN 2, SYN 2, PSH 3, ACK 13, URG 1, CWR 1,
 *   ECE 2;
 * - Down.Up floor(7/7) = 1; Average.Packet.Size (3800 + 0)/14;
 * - bulk: one tracker fed by both sides: #4 #5 #6 #7 make a bulk (3100
 *   bytes, 2000 us), #8 extends it (3600 bytes, 5 packets, 2500 us):
 *   3600, 5, 3600/0.0025 = 1440000 in the Bwd columns;
 * - 2 gaps over 1 s: 7 div 2 = 3, 300 div 2 = 150, 3, 3500 div 2 = 1750;
 * - windows: first packet 64240, last backward packet (#14) 513;
 * - data packets after the first: #4 #10;
 * - active [0, 2005000] recorded at the 7 s gap, the last period never;
 *   idle 7000000.
 */
static const double exp_t_cic[] = {
	49152,	/* Source.Port */
	80,	/* Destination.Port */
	6,	/* Protocol */
	9006000,	/* Flow.Duration */
	7,	/* Total.Fwd.Packets */
	7,	/* Total.Backward.Packets */
	300,	/* Total.Length.of.Fwd.Packets */
	3500,	/* Total.Length.of.Bwd.Packets */
	200,	/* Fwd.Packet.Length.Max */
	0,	/* Fwd.Packet.Length.Min */
	42.857142857142854,	/* Fwd.Packet.Length.Mean */
	78.67957924694431,	/* Fwd.Packet.Length.Std */
	1000,	/* Bwd.Packet.Length.Max */
	0,	/* Bwd.Packet.Length.Min */
	500,	/* Bwd.Packet.Length.Mean */
	500,	/* Bwd.Packet.Length.Std */
	421.9409282700422,	/* Flow.Bytes.s */
	1.5545192094159448,	/* Flow.Packets.s */
	692769.2307692308,	/* Flow.IAT.Mean */
	1974017.144211525,	/* Flow.IAT.Std */
	7000000,	/* Flow.IAT.Max */
	100,	/* Flow.IAT.Min */
	9005500,	/* Fwd.IAT.Total */
	1500916.6666666667,	/* Fwd.IAT.Mean */
	2810306.1978486734,	/* Fwd.IAT.Std */
	7000400,	/* Fwd.IAT.Max */
	500,	/* Fwd.IAT.Min */
	9005000,	/* Bwd.IAT.Total */
	1500833.3333333333,	/* Bwd.IAT.Mean */
	2810729.507915457,	/* Bwd.IAT.Std */
	7001000,	/* Bwd.IAT.Max */
	500,	/* Bwd.IAT.Min */
	0,	/* Fwd.PSH.Flags */
	0,	/* Bwd.PSH.Flags */
	0,	/* Fwd.URG.Flags */
	0,	/* Bwd.URG.Flags */
	160,	/* Fwd.Header.Length */
	160,	/* Bwd.Header.Length */
	0.7772596047079724,	/* Fwd.Packets.s */
	0.7772596047079724,	/* Bwd.Packets.s */
	0,	/* Min.Packet.Length */
	1000,	/* Max.Packet.Length */
	253.33333333333334,	/* Packet.Length.Mean */
	408.5980677296223,	/* Packet.Length.Std */
	166952.380952381,	/* Packet.Length.Variance */
	2,	/* FIN.Flag.Count */
	2,	/* SYN.Flag.Count */
	0,	/* RST.Flag.Count */
	3,	/* PSH.Flag.Count */
	13,	/* ACK.Flag.Count */
	1,	/* URG.Flag.Count */
	1,	/* CWE.Flag.Count */
	2,	/* ECE.Flag.Count */
	1,	/* Down.Up.Ratio */
	271.42857142857144,	/* Average.Packet.Size */
	42.857142857142854,	/* Avg.Fwd.Segment.Size */
	500,	/* Avg.Bwd.Segment.Size */
	160,	/* Fwd.Header.Length.1 */
	0,	/* Fwd.Avg.Bytes.Bulk */
	0,	/* Fwd.Avg.Packets.Bulk */
	0,	/* Fwd.Avg.Bulk.Rate */
	3600,	/* Bwd.Avg.Bytes.Bulk */
	5,	/* Bwd.Avg.Packets.Bulk */
	1440000,	/* Bwd.Avg.Bulk.Rate */
	3,	/* Subflow.Fwd.Packets */
	150,	/* Subflow.Fwd.Bytes */
	3,	/* Subflow.Bwd.Packets */
	1750,	/* Subflow.Bwd.Bytes */
	64240,	/* Init_Win_bytes_forward */
	513,	/* Init_Win_bytes_backward */
	2,	/* act_data_pkt_fwd */
	20,	/* min_seg_size_forward */
	2005000,	/* Active.Mean */
	0,	/* Active.Std */
	2005000,	/* Active.Max */
	2005000,	/* Active.Min */
	7000000,	/* Idle.Mean */
	0,	/* Idle.Std */
	7000000,	/* Idle.Max */
	7000000,	/* Idle.Min */
};

/*
 * Flow T, unicauca (#1-#13: the first FIN ends the flow):
 * - backward payloads 0 1000 1000 1000 500 0: mean 3500/6;
 * - flags of the first packet (SYN ECE CWR) in the tool's order: the
 *   RST column shows ECE, PSH shows SYN, ECE shows CWR;
 * - no bulk; subflow columns repeat the totals 7, 300, 6, 3500;
 * - windows 64240 and 511 (#11, the last backward packet);
 * - the 7 s gap before #12 (an ACK) records active 2005000 and idle
 *   7000000; the closing FIN #13 does not run that rule.
 */
static const double exp_t_uni[] = {
	49152,	/* Source.Port */
	80,	/* Destination.Port */
	6,	/* Protocol */
	9005500,	/* Flow.Duration */
	7,	/* Total.Fwd.Packets */
	6,	/* Total.Backward.Packets */
	300,	/* Total.Length.of.Fwd.Packets */
	3500,	/* Total.Length.of.Bwd.Packets */
	200,	/* Fwd.Packet.Length.Max */
	0,	/* Fwd.Packet.Length.Min */
	42.857142857142854,	/* Fwd.Packet.Length.Mean */
	78.67957924694431,	/* Fwd.Packet.Length.Std */
	1000,	/* Bwd.Packet.Length.Max */
	0,	/* Bwd.Packet.Length.Min */
	583.3333333333334,	/* Bwd.Packet.Length.Mean */
	491.59604012508754,	/* Bwd.Packet.Length.Std */
	421.96435511631785,	/* Flow.Bytes.s */
	1.4435622675031925,	/* Flow.Packets.s */
	750458.3333333334,	/* Flow.IAT.Mean */
	2050315.9656538677,	/* Flow.IAT.Std */
	7000000,	/* Flow.IAT.Max */
	100,	/* Flow.IAT.Min */
	9005500,	/* Fwd.IAT.Total */
	1500916.6666666667,	/* Fwd.IAT.Mean */
	2810306.1978486734,	/* Fwd.IAT.Std */
	7000400,	/* Fwd.IAT.Max */
	500,	/* Fwd.IAT.Min */
	2004000,	/* Bwd.IAT.Total */
	400800,	/* Bwd.IAT.Mean */
	894259.7217810942,	/* Bwd.IAT.Std */
	2000500,	/* Bwd.IAT.Max */
	500,	/* Bwd.IAT.Min */
	0,	/* Fwd.PSH.Flags */
	0,	/* Bwd.PSH.Flags */
	0,	/* Fwd.URG.Flags */
	0,	/* Bwd.URG.Flags */
	160,	/* Fwd.Header.Length */
	140,	/* Bwd.Header.Length */
	0.777302759424796,	/* Fwd.Packets.s */
	0.6662595080783965,	/* Bwd.Packets.s */
	0,	/* Min.Packet.Length */
	1000,	/* Max.Packet.Length */
	271.42857142857144,	/* Packet.Length.Mean */
	417.7385480243528,	/* Packet.Length.Std */
	174505.49450549448,	/* Packet.Length.Variance */
	0,	/* FIN.Flag.Count */
	0,	/* SYN.Flag.Count */
	1,	/* RST.Flag.Count */
	1,	/* PSH.Flag.Count */
	0,	/* ACK.Flag.Count */
	0,	/* URG.Flag.Count */
	0,	/* CWE.Flag.Count */
	1,	/* ECE.Flag.Count */
	0,	/* Down.Up.Ratio */
	292.3076923076923,	/* Average.Packet.Size */
	42.857142857142854,	/* Avg.Fwd.Segment.Size */
	583.3333333333334,	/* Avg.Bwd.Segment.Size */
	160,	/* Fwd.Header.Length.1 */
	0,	/* Fwd.Avg.Bytes.Bulk */
	0,	/* Fwd.Avg.Packets.Bulk */
	0,	/* Fwd.Avg.Bulk.Rate */
	0,	/* Bwd.Avg.Bytes.Bulk */
	0,	/* Bwd.Avg.Packets.Bulk */
	0,	/* Bwd.Avg.Bulk.Rate */
	7,	/* Subflow.Fwd.Packets */
	300,	/* Subflow.Fwd.Bytes */
	6,	/* Subflow.Bwd.Packets */
	3500,	/* Subflow.Bwd.Bytes */
	64240,	/* Init_Win_bytes_forward */
	511,	/* Init_Win_bytes_backward */
	2,	/* act_data_pkt_fwd */
	20,	/* min_seg_size_forward */
	2005000,	/* Active.Mean */
	0,	/* Active.Std */
	2005000,	/* Active.Max */
	2005000,	/* Active.Min */
	7000000,	/* Idle.Mean */
	0,	/* Idle.Std */
	7000000,	/* Idle.Max */
	7000000,	/* Idle.Min */
};

/*
 * Flow U, flowidd: payloads 100 200 (population std 50); zero duration,
 * so every rate is 0; no windows (UDP); one subflow; both datagrams
 * carry data; IP lengths 128 and 228; no backward payload (-1).
 */
static const double exp_u_flowidd[] = {
	5000,	/* Source.Port */
	6000,	/* Destination.Port */
	17,	/* Protocol */
	0,	/* Flow.Duration */
	2,	/* Total.Fwd.Packets */
	0,	/* Total.Backward.Packets */
	300,	/* Total.Length.of.Fwd.Packets */
	0,	/* Total.Length.of.Bwd.Packets */
	200,	/* Fwd.Packet.Length.Max */
	100,	/* Fwd.Packet.Length.Min */
	150,	/* Fwd.Packet.Length.Mean */
	50,	/* Fwd.Packet.Length.Std */
	0,	/* Bwd.Packet.Length.Max */
	0,	/* Bwd.Packet.Length.Min */
	0,	/* Bwd.Packet.Length.Mean */
	0,	/* Bwd.Packet.Length.Std */
	0,	/* Flow.Bytes.s */
	0,	/* Flow.Packets.s */
	0,	/* Flow.IAT.Mean */
	0,	/* Flow.IAT.Std */
	0,	/* Flow.IAT.Max */
	0,	/* Flow.IAT.Min */
	0,	/* Fwd.IAT.Total */
	0,	/* Fwd.IAT.Mean */
	0,	/* Fwd.IAT.Std */
	0,	/* Fwd.IAT.Max */
	0,	/* Fwd.IAT.Min */
	0,	/* Bwd.IAT.Total */
	0,	/* Bwd.IAT.Mean */
	0,	/* Bwd.IAT.Std */
	0,	/* Bwd.IAT.Max */
	0,	/* Bwd.IAT.Min */
	0,	/* Fwd.PSH.Flags */
	0,	/* Bwd.PSH.Flags */
	0,	/* Fwd.URG.Flags */
	0,	/* Bwd.URG.Flags */
	16,	/* Fwd.Header.Length */
	0,	/* Bwd.Header.Length */
	0,	/* Fwd.Packets.s */
	0,	/* Bwd.Packets.s */
	100,	/* Min.Packet.Length */
	200,	/* Max.Packet.Length */
	150,	/* Packet.Length.Mean */
	50,	/* Packet.Length.Std */
	2500,	/* Packet.Length.Variance */
	0,	/* FIN.Flag.Count */
	0,	/* SYN.Flag.Count */
	0,	/* RST.Flag.Count */
	0,	/* PSH.Flag.Count */
	0,	/* ACK.Flag.Count */
	0,	/* URG.Flag.Count */
	0,	/* CWE.Flag.Count */
	0,	/* ECE.Flag.Count */
	0,	/* Down.Up.Ratio */
	150,	/* Average.Packet.Size */
	150,	/* Avg.Fwd.Segment.Size */
	0,	/* Avg.Bwd.Segment.Size */
	16,	/* Fwd.Header.Length.1 */
	0,	/* Fwd.Avg.Bytes.Bulk */
	0,	/* Fwd.Avg.Packets.Bulk */
	0,	/* Fwd.Avg.Bulk.Rate */
	0,	/* Bwd.Avg.Bytes.Bulk */
	0,	/* Bwd.Avg.Packets.Bulk */
	0,	/* Bwd.Avg.Bulk.Rate */
	2,	/* Subflow.Fwd.Packets */
	300,	/* Subflow.Fwd.Bytes */
	0,	/* Subflow.Bwd.Packets */
	0,	/* Subflow.Bwd.Bytes */
	0,	/* Init_Win_bytes_forward */
	0,	/* Init_Win_bytes_backward */
	2,	/* act_data_pkt_fwd */
	8,	/* min_seg_size_forward */
	0,	/* Active.Mean */
	0,	/* Active.Std */
	0,	/* Active.Max */
	0,	/* Active.Min */
	0,	/* Idle.Mean */
	0,	/* Idle.Std */
	0,	/* Idle.Max */
	0,	/* Idle.Min */
	128,	/* Pkt.Size.1 */
	228,	/* Pkt.Size.2 */
	0,	/* Pkt.Size.3 */
	0,	/* Pkt.Size.4 */
	0,	/* Pkt.Size.5 */
	0,	/* Pkt.Size.6 */
	0,	/* Pkt.Size.7 */
	0,	/* Pkt.Size.8 */
	0,	/* Pkt.Size.9 */
	0,	/* Pkt.Size.10 */
	1,	/* Pkt.Dir.1 */
	1,	/* Pkt.Dir.2 */
	0,	/* Pkt.Dir.3 */
	0,	/* Pkt.Dir.4 */
	0,	/* Pkt.Dir.5 */
	0,	/* Pkt.Dir.6 */
	0,	/* Pkt.Dir.7 */
	0,	/* Pkt.Dir.8 */
	0,	/* Pkt.Dir.9 */
	0,	/* Pkt.Dir.10 */
	0,	/* Pkt.IAT.1 */
	0,	/* Pkt.IAT.2 */
	0,	/* Pkt.IAT.3 */
	0,	/* Pkt.IAT.4 */
	0,	/* Pkt.IAT.5 */
	0,	/* Pkt.IAT.6 */
	0,	/* Pkt.IAT.7 */
	0,	/* Pkt.IAT.8 */
	0,	/* Pkt.IAT.9 */
	0,	/* Pkt.IAT.10 */
	100,	/* Fwd.Payload.1 */
	200,	/* Fwd.Payload.2 */
	-1,	/* Fwd.Payload.3 */
	-1,	/* Fwd.Payload.4 */
	-1,	/* Fwd.Payload.5 */
	-1,	/* Bwd.Payload.1 */
	-1,	/* Bwd.Payload.2 */
	-1,	/* Bwd.Payload.3 */
	-1,	/* Bwd.Payload.4 */
	-1,	/* Bwd.Payload.5 */
	0,	/* SYN.MSS */
	-1,	/* SYN.Window.Scale */
	0,	/* SYN.SACK.Permitted */
	0,	/* SYN.Timestamps */
	0,	/* SYNACK.MSS */
	-1,	/* SYNACK.Window.Scale */
	0,	/* SYNACK.SACK.Permitted */
	0,	/* SYNACK.Timestamps */
	64,	/* Fwd.Init.TTL */
	0,	/* Bwd.Init.TTL */
	0,	/* Handshake.Seen */
	6000,	/* Server.Port */
	4,	/* IP.Version */
	50739,	/* Server.Addr.Hi: 198.51 */
	25602,	/* Server.Addr.Mid: 100.2 */
};

/*
 * Flow U, cicflowmeter: sample std of 100 200 is 70.71; 300 bytes and 2
 * packets over 0 s are Infinity; Fwd.Packets.s is guarded (0); packet
 * length list 100 200 100: mean 133.33, std 57.735; Average.Packet.Size
 * (300 + 100)/2 = 200; no gap, no subflow; the first packet's data is
 * not counted in act_data_pkt_fwd.
 */
static const double exp_u_cic[] = {
	5000,	/* Source.Port */
	6000,	/* Destination.Port */
	17,	/* Protocol */
	0,	/* Flow.Duration */
	2,	/* Total.Fwd.Packets */
	0,	/* Total.Backward.Packets */
	300,	/* Total.Length.of.Fwd.Packets */
	0,	/* Total.Length.of.Bwd.Packets */
	200,	/* Fwd.Packet.Length.Max */
	100,	/* Fwd.Packet.Length.Min */
	150,	/* Fwd.Packet.Length.Mean */
	70.71067811865476,	/* Fwd.Packet.Length.Std */
	0,	/* Bwd.Packet.Length.Max */
	0,	/* Bwd.Packet.Length.Min */
	0,	/* Bwd.Packet.Length.Mean */
	0,	/* Bwd.Packet.Length.Std */
	INFINITY,	/* Flow.Bytes.s */
	INFINITY,	/* Flow.Packets.s */
	0,	/* Flow.IAT.Mean */
	0,	/* Flow.IAT.Std */
	0,	/* Flow.IAT.Max */
	0,	/* Flow.IAT.Min */
	0,	/* Fwd.IAT.Total */
	0,	/* Fwd.IAT.Mean */
	0,	/* Fwd.IAT.Std */
	0,	/* Fwd.IAT.Max */
	0,	/* Fwd.IAT.Min */
	0,	/* Bwd.IAT.Total */
	0,	/* Bwd.IAT.Mean */
	0,	/* Bwd.IAT.Std */
	0,	/* Bwd.IAT.Max */
	0,	/* Bwd.IAT.Min */
	0,	/* Fwd.PSH.Flags */
	0,	/* Bwd.PSH.Flags */
	0,	/* Fwd.URG.Flags */
	0,	/* Bwd.URG.Flags */
	16,	/* Fwd.Header.Length */
	0,	/* Bwd.Header.Length */
	0,	/* Fwd.Packets.s */
	0,	/* Bwd.Packets.s */
	100,	/* Min.Packet.Length */
	200,	/* Max.Packet.Length */
	133.33333333333334,	/* Packet.Length.Mean */
	57.735026918962575,	/* Packet.Length.Std */
	3333.333333333333,	/* Packet.Length.Variance */
	0,	/* FIN.Flag.Count */
	0,	/* SYN.Flag.Count */
	0,	/* RST.Flag.Count */
	0,	/* PSH.Flag.Count */
	0,	/* ACK.Flag.Count */
	0,	/* URG.Flag.Count */
	0,	/* CWE.Flag.Count */
	0,	/* ECE.Flag.Count */
	0,	/* Down.Up.Ratio */
	200,	/* Average.Packet.Size */
	150,	/* Avg.Fwd.Segment.Size */
	0,	/* Avg.Bwd.Segment.Size */
	16,	/* Fwd.Header.Length.1 */
	0,	/* Fwd.Avg.Bytes.Bulk */
	0,	/* Fwd.Avg.Packets.Bulk */
	0,	/* Fwd.Avg.Bulk.Rate */
	0,	/* Bwd.Avg.Bytes.Bulk */
	0,	/* Bwd.Avg.Packets.Bulk */
	0,	/* Bwd.Avg.Bulk.Rate */
	0,	/* Subflow.Fwd.Packets */
	0,	/* Subflow.Fwd.Bytes */
	0,	/* Subflow.Bwd.Packets */
	0,	/* Subflow.Bwd.Bytes */
	0,	/* Init_Win_bytes_forward */
	0,	/* Init_Win_bytes_backward */
	1,	/* act_data_pkt_fwd */
	8,	/* min_seg_size_forward */
	0,	/* Active.Mean */
	0,	/* Active.Std */
	0,	/* Active.Max */
	0,	/* Active.Min */
	0,	/* Idle.Mean */
	0,	/* Idle.Std */
	0,	/* Idle.Max */
	0,	/* Idle.Min */
};

/*
 * Flow U, unicauca: as cicflowmeter, but subflow columns are the totals
 * and a UDP flow's windows are -1.
 */
static const double exp_u_uni[] = {
	5000,	/* Source.Port */
	6000,	/* Destination.Port */
	17,	/* Protocol */
	0,	/* Flow.Duration */
	2,	/* Total.Fwd.Packets */
	0,	/* Total.Backward.Packets */
	300,	/* Total.Length.of.Fwd.Packets */
	0,	/* Total.Length.of.Bwd.Packets */
	200,	/* Fwd.Packet.Length.Max */
	100,	/* Fwd.Packet.Length.Min */
	150,	/* Fwd.Packet.Length.Mean */
	70.71067811865476,	/* Fwd.Packet.Length.Std */
	0,	/* Bwd.Packet.Length.Max */
	0,	/* Bwd.Packet.Length.Min */
	0,	/* Bwd.Packet.Length.Mean */
	0,	/* Bwd.Packet.Length.Std */
	INFINITY,	/* Flow.Bytes.s */
	INFINITY,	/* Flow.Packets.s */
	0,	/* Flow.IAT.Mean */
	0,	/* Flow.IAT.Std */
	0,	/* Flow.IAT.Max */
	0,	/* Flow.IAT.Min */
	0,	/* Fwd.IAT.Total */
	0,	/* Fwd.IAT.Mean */
	0,	/* Fwd.IAT.Std */
	0,	/* Fwd.IAT.Max */
	0,	/* Fwd.IAT.Min */
	0,	/* Bwd.IAT.Total */
	0,	/* Bwd.IAT.Mean */
	0,	/* Bwd.IAT.Std */
	0,	/* Bwd.IAT.Max */
	0,	/* Bwd.IAT.Min */
	0,	/* Fwd.PSH.Flags */
	0,	/* Bwd.PSH.Flags */
	0,	/* Fwd.URG.Flags */
	0,	/* Bwd.URG.Flags */
	16,	/* Fwd.Header.Length */
	0,	/* Bwd.Header.Length */
	0,	/* Fwd.Packets.s */
	0,	/* Bwd.Packets.s */
	100,	/* Min.Packet.Length */
	200,	/* Max.Packet.Length */
	133.33333333333334,	/* Packet.Length.Mean */
	57.735026918962575,	/* Packet.Length.Std */
	3333.333333333333,	/* Packet.Length.Variance */
	0,	/* FIN.Flag.Count */
	0,	/* SYN.Flag.Count */
	0,	/* RST.Flag.Count */
	0,	/* PSH.Flag.Count */
	0,	/* ACK.Flag.Count */
	0,	/* URG.Flag.Count */
	0,	/* CWE.Flag.Count */
	0,	/* ECE.Flag.Count */
	0,	/* Down.Up.Ratio */
	200,	/* Average.Packet.Size */
	150,	/* Avg.Fwd.Segment.Size */
	0,	/* Avg.Bwd.Segment.Size */
	16,	/* Fwd.Header.Length.1 */
	0,	/* Fwd.Avg.Bytes.Bulk */
	0,	/* Fwd.Avg.Packets.Bulk */
	0,	/* Fwd.Avg.Bulk.Rate */
	0,	/* Bwd.Avg.Bytes.Bulk */
	0,	/* Bwd.Avg.Packets.Bulk */
	0,	/* Bwd.Avg.Bulk.Rate */
	2,	/* Subflow.Fwd.Packets */
	300,	/* Subflow.Fwd.Bytes */
	0,	/* Subflow.Bwd.Packets */
	0,	/* Subflow.Bwd.Bytes */
	-1,	/* Init_Win_bytes_forward */
	-1,	/* Init_Win_bytes_backward */
	1,	/* act_data_pkt_fwd */
	8,	/* min_seg_size_forward */
	0,	/* Active.Mean */
	0,	/* Active.Std */
	0,	/* Active.Max */
	0,	/* Active.Min */
	0,	/* Idle.Mean */
	0,	/* Idle.Std */
	0,	/* Idle.Max */
	0,	/* Idle.Min */
};
/*
 * The responder's address columns: global addresses whole (IPv4) or as
 * their /32 (IPv6), -1 for site-local ones, multicast kept.
 */
static void
check_server_addr(uint8_t ipver, const uint8_t *dst, double hi, double mid)
{
	struct flow	fl;
	uint8_t		src[16] = { 192, 0, 2, 1 };
	double		got[FEATURES_MAX];
	size_t		i;

	memset(&fl, 0, sizeof(fl));
	flow_set_endpoints(&fl, ipver, 17, src, 5000, dst, 53);
	features_compute(&fl, FLOWID_PROFILE_FLOWIDD, got);
	for (i = 0; i < FEATURES_MAX; i++)
		if (strcmp(features_name(FLOWID_PROFILE_FLOWIDD, i),
		    "Server.Addr.Hi") == 0)
			break;
	assert_true(i + 1 < FEATURES_MAX);
	assert_true(got[i] == hi);
	assert_true(got[i + 1] == mid);
}

static void
test_server_addr(void **state)
{
	static const uint8_t	fb[16] = { 157, 240, 1, 35 };
	static const uint8_t	mdns[16] = { 224, 0, 0, 251 };
	static const uint8_t	rfc1918[16] = { 172, 31, 255, 1 };
	static const uint8_t	shared[16] = { 100, 64, 0, 1 };
	static const uint8_t	notshared[16] = { 100, 128, 0, 1 };
	static const uint8_t	v6[16] = { 0x2a, 0x03, 0x28, 0x80, 0xf1 };
	static const uint8_t	ula[16] = { 0xfd, 0x12, 0x34, 0x56 };
	static const uint8_t	ll[16] = { 0xfe, 0x80 };
	static const uint8_t	lo6[16] = { [15] = 1 };

	(void)state;
	check_server_addr(4, fb, 157 * 256 + 240, 1 * 256 + 35);
	check_server_addr(4, mdns, 224 * 256, 251);
	check_server_addr(4, rfc1918, -1, -1);
	check_server_addr(4, shared, -1, -1);
	check_server_addr(4, notshared, 100 * 256 + 128, 1);
	check_server_addr(6, v6, 0x2a03, 0x2880);
	check_server_addr(6, ula, -1, -1);
	check_server_addr(6, ll, -1, -1);
	check_server_addr(6, lo6, -1, -1);
}

/* Build a flow from hand-made packets the way the flow table would. */
static void
flow_build(struct flow *fl, enum flowid_profile prof, const struct tpkt *v,
    size_t n, uint8_t proto, uint16_t sport, uint16_t dport)
{
	struct pkt	p;
	size_t		i;
	uint8_t		a[16] = { 192, 0, 2, 1 }, b[16] = { 198, 51, 100, 2 };

	memset(fl, 0, sizeof(*fl));
	flow_set_endpoints(fl, 4, proto, a, sport, b, dport);

	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		p.pk_ts = T0 + v[i].tp_t;
		p.pk_ipver = 4;
		p.pk_proto = proto;
		p.pk_tcpflags = v[i].tp_flags;
		p.pk_payload = v[i].tp_payload;
		p.pk_l4hdrlen = v[i].tp_l4hdr;
		p.pk_iphdrlen = 20;
		p.pk_iplen = 20u + v[i].tp_l4hdr + v[i].tp_payload;
		p.pk_win = v[i].tp_win;
		p.pk_ttl = v[i].tp_ttl;
		p.pk_mss = v[i].tp_mss;
		p.pk_wscale = v[i].tp_wscale;
		p.pk_tcpopt = v[i].tp_opts;
		p.pk_hasports = true;
		if (i == 0)
			flow_stats_init(&fl->fl_st, prof, &p);
		flow_stats_add(&fl->fl_st, prof, &p, v[i].tp_dir);
	}
}

/* Every column against the table: integers exact, others 1e-12. */
static void
check_columns(const struct flow *fl, enum flowid_profile prof,
    const double *want, size_t nwant)
{
	double	got[FEATURES_MAX];
	size_t	i, bad = 0;

	assert_int_equal(features_count(prof), nwant);
	features_compute(fl, prof, got);
	for (i = 0; i < nwant; i++) {
		bool	ok;

		if (isnan(want[i]))
			ok = isnan(got[i]);
		else if (isinf(want[i]))
			ok = got[i] == want[i];
		else
			ok = fabs(got[i] - want[i]) <=
			    1e-12 * fmax(1.0, fabs(want[i]));
		if (!ok) {
			print_error("%s %s: got %.17g, want %.17g\n",
			    profile_name(prof), features_name(prof, i), got[i],
			    want[i]);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

#define NPKT(v)	(sizeof(v) / sizeof((v)[0]))

static void
test_flow_t_flowidd(void **state)
{
	struct flow	fl;

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_FLOWIDD, flow_t, NPKT(flow_t), 6,
	    49152, 80);
	check_columns(&fl, FLOWID_PROFILE_FLOWIDD, exp_t_flowidd,
	    NPKT(exp_t_flowidd));
}

static void
test_flow_t_cic(void **state)
{
	struct flow	fl;

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_CICFLOWMETER, flow_t, 14, 6, 49152,
	    80);
	check_columns(&fl, FLOWID_PROFILE_CICFLOWMETER, exp_t_cic,
	    NPKT(exp_t_cic));
}

static void
test_flow_t_uni(void **state)
{
	struct flow	fl;

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_UNICAUCA, flow_t, 13, 6, 49152, 80);
	check_columns(&fl, FLOWID_PROFILE_UNICAUCA, exp_t_uni,
	    NPKT(exp_t_uni));
}

static void
test_flow_u(void **state)
{
	struct flow	fl;

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_FLOWIDD, flow_u, 2, 17, 5000, 6000);
	check_columns(&fl, FLOWID_PROFILE_FLOWIDD, exp_u_flowidd,
	    NPKT(exp_u_flowidd));
	flow_build(&fl, FLOWID_PROFILE_CICFLOWMETER, flow_u, 2, 17, 5000,
	    6000);
	check_columns(&fl, FLOWID_PROFILE_CICFLOWMETER, exp_u_cic,
	    NPKT(exp_u_cic));
	flow_build(&fl, FLOWID_PROFILE_UNICAUCA, flow_u, 2, 17, 5000, 6000);
	check_columns(&fl, FLOWID_PROFILE_UNICAUCA, exp_u_uni,
	    NPKT(exp_u_uni));
}

/* 0/0 is NaN in the reference tool; flowidd writes 0. */
static void
test_zero_rates(void **state)
{
	static const struct tpkt v[] = {
		{ 0, FWD, TCPF_SYN, 0, 20, 512, 64, 0, 0, 0 },
		{ 0, BWD, TCPF_RST | TCPF_ACK, 0, 20, 0, 64, 0, 0, 0 },
	};
	struct flow	fl;
	double		o[FEATURES_MAX];
	size_t		i;

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_CICFLOWMETER, v, 2, 6, 40001, 23);
	features_compute(&fl, FLOWID_PROFILE_CICFLOWMETER, o);
	assert_true(isnan(o[16]));	/* Flow.Bytes.s: 0 bytes / 0 s */
	assert_true(isinf(o[17]));	/* Flow.Packets.s: 2 / 0 s */

	flow_build(&fl, FLOWID_PROFILE_FLOWIDD, v, 2, 6, 40001, 23);
	features_compute(&fl, FLOWID_PROFILE_FLOWIDD, o);
	for (i = 0; i < features_count(FLOWID_PROFILE_FLOWIDD); i++)
		assert_true(isfinite(o[i]));
	assert_true(o[16] == 0.0 && o[17] == 0.0);
}

/*
 * A single packet: flowidd reports it (cases 05/06); every deviation,
 * gap and rate is 0 and the backward columns are empty.
 */
static void
test_single_packet(void **state)
{
	static const struct tpkt v[] = {
		{ 0, FWD, TCPF_SYN, 0, 20, 512, 64, 0, 0, 0 },
	};
	struct flow	fl;
	double		o[FEATURES_MAX];
	size_t		i;

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_FLOWIDD, v, 1, 6, 24520, 80);
	features_compute(&fl, FLOWID_PROFILE_FLOWIDD, o);
	for (i = 0; i < features_count(FLOWID_PROFILE_FLOWIDD); i++)
		assert_true(isfinite(o[i]));
	assert_true(o[4] == 1 && o[5] == 0);	/* 1 forward, 0 backward */
	assert_true(o[36] == 20);		/* Fwd.Header.Length */
	assert_true(o[46] == 1);		/* SYN.Flag.Count */
	assert_true(o[68] == 512 && o[69] == 0);	/* windows */
	assert_true(o[71] == 20);		/* min_seg_size_forward */
	assert_true(o[64] == 1);		/* one subflow, one packet */
	assert_true(o[72] == 0 && o[76] == 0);	/* no active, no idle */
}

/*
 * flowidd gets packets sorted; one that is older than the previous is
 * counted at the previous time, so no gap is negative.
 */
static void
test_straggler_clamped(void **state)
{
	static const struct tpkt v[] = {
		{ 1000, FWD, 0, 10, 8, 0, 64, 0, 0, 0 },
		{ 3000, BWD, 0, 10, 8, 0, 64, 0, 0, 0 },
		{ 2500, FWD, 0, 10, 8, 0, 64, 0, 0, 0 },
	};
	struct flow	fl;
	double		o[FEATURES_MAX];

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_FLOWIDD, v, 3, 17, 1, 2);
	features_compute(&fl, FLOWID_PROFILE_FLOWIDD, o);
	assert_true(o[3] == 2000);		/* duration */
	assert_true(o[21] == 0);		/* Flow.IAT.Min */
	assert_true(o[20] == 2000);		/* Flow.IAT.Max */
	assert_true(o[22] == 2000);		/* Fwd.IAT.Total */

	/* the reference tool keeps file order: a negative gap */
	flow_build(&fl, FLOWID_PROFILE_CICFLOWMETER, v, 3, 17, 1, 2);
	features_compute(&fl, FLOWID_PROFILE_CICFLOWMETER, o);
	assert_true(o[3] == 1500);
	assert_true(o[21] == -500);
}

/*
 * The compatibility profiles count a flow's first packet as forward even
 * when the table says otherwise (a flow restarted by the timeout).
 */
static void
test_first_forward(void **state)
{
	static const struct tpkt v[] = {
		{ 0, BWD, TCPF_ACK, 50, 20, 100, 64, 0, 0, 0 },
		{ 10, FWD, TCPF_ACK, 0, 20, 200, 64, 0, 0, 0 },
	};
	struct flow	fl;
	double		o[FEATURES_MAX];

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_CICFLOWMETER, v, 2, 6, 1, 2);
	features_compute(&fl, FLOWID_PROFILE_CICFLOWMETER, o);
	assert_true(o[4] == 2 && o[5] == 0);
	assert_true(o[68] == 100);	/* the first packet's window */

	flow_build(&fl, FLOWID_PROFILE_FLOWIDD, v, 2, 6, 1, 2);
	features_compute(&fl, FLOWID_PROFILE_FLOWIDD, o);
	assert_true(o[4] == 1 && o[5] == 1);
	assert_true(o[68] == 200 && o[69] == 100);
	assert_true(o[90] == -1 && o[91] == 1);	/* Pkt.Dir.1, .2 */
}

/*
 * Bulks as CICFlowMeter meant them, per side: payload in the other
 * direction since a candidate started breaks it.
 */
static void
test_bulk_broken_by_other_side(void **state)
{
	static const struct tpkt v[] = {
		{ 0, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
		{ 100, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
		{ 200, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
		{ 300, BWD, 0, 10, 8, 0, 64, 0, 0, 0 },
		{ 400, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
		{ 500, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
		{ 600, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
		{ 700, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
		{ 2000000, FWD, 0, 100, 8, 0, 64, 0, 0, 0 },
	};
	struct flow	fl;
	double		o[FEATURES_MAX];

	(void)state;
	flow_build(&fl, FLOWID_PROFILE_FLOWIDD, v, NPKT(v), 17, 1, 2);
	features_compute(&fl, FLOWID_PROFILE_FLOWIDD, o);
	/* #5-#8 make the bulk: 400 bytes over 300 us; #9 is > 1 s later */
	assert_true(o[58] == 400 && o[59] == 4);
	assert_true(fabs(o[60] - 400 / 0.0003) < 1e-6);
	assert_true(o[61] == 0);

	/* the reference tool's single tracker sees #1-#8 as one bulk */
	flow_build(&fl, FLOWID_PROFILE_CICFLOWMETER, v, NPKT(v), 17, 1, 2);
	features_compute(&fl, FLOWID_PROFILE_CICFLOWMETER, o);
	assert_true(o[58] == 0);
	assert_true(o[61] == 710 && o[62] == 8);
	assert_true(o[63] == 1014285);	/* 710 B / 700 us, truncated */
}

/* Names: the compatibility layout is CICFlowMeter's, as R renamed it. */
static void
test_names(void **state)
{
	/* the 2018 tool's header, Flow ID .. Label, numeric ones only */
	static const char *const cic[] = {
		"Source Port", "Destination Port", "Protocol",
		"Flow Duration", "Total Fwd Packets", "Total Backward Packets",
		"Total Length of Fwd Packets", "Total Length of Bwd Packets",
		"Fwd Packet Length Max", "Fwd Packet Length Min",
		"Fwd Packet Length Mean", "Fwd Packet Length Std",
		"Bwd Packet Length Max", "Bwd Packet Length Min",
		"Bwd Packet Length Mean", "Bwd Packet Length Std",
		"Flow Bytes/s", "Flow Packets/s", "Flow IAT Mean",
		"Flow IAT Std", "Flow IAT Max", "Flow IAT Min",
		"Fwd IAT Total", "Fwd IAT Mean", "Fwd IAT Std", "Fwd IAT Max",
		"Fwd IAT Min", "Bwd IAT Total", "Bwd IAT Mean", "Bwd IAT Std",
		"Bwd IAT Max", "Bwd IAT Min", "Fwd PSH Flags",
		"Bwd PSH Flags", "Fwd URG Flags", "Bwd URG Flags",
		"Fwd Header Length", "Bwd Header Length", "Fwd Packets/s",
		"Bwd Packets/s", "Min Packet Length", "Max Packet Length",
		"Packet Length Mean", "Packet Length Std",
		"Packet Length Variance", "FIN Flag Count", "SYN Flag Count",
		"RST Flag Count", "PSH Flag Count", "ACK Flag Count",
		"URG Flag Count", "CWE Flag Count", "ECE Flag Count",
		"Down/Up Ratio", "Average Packet Size", "Avg Fwd Segment Size",
		"Avg Bwd Segment Size", "Fwd Header Length",
		"Fwd Avg Bytes/Bulk", "Fwd Avg Packets/Bulk",
		"Fwd Avg Bulk Rate", "Bwd Avg Bytes/Bulk",
		"Bwd Avg Packets/Bulk", "Bwd Avg Bulk Rate",
		"Subflow Fwd Packets", "Subflow Fwd Bytes",
		"Subflow Bwd Packets", "Subflow Bwd Bytes",
		"Init_Win_bytes_forward", "Init_Win_bytes_backward",
		"act_data_pkt_fwd", "min_seg_size_forward", "Active Mean",
		"Active Std", "Active Max", "Active Min", "Idle Mean",
		"Idle Std", "Idle Max", "Idle Min",
	};
	char		want[64];
	size_t		i, k;
	int		p;

	(void)state;
	assert_int_equal(NPKT(cic), FEATURES_BASE);
	for (i = 0; i < NPKT(cic); i++) {
		/* R's make.names: other characters become '.' */
		for (k = 0; cic[i][k] != '\0'; k++)
			want[k] = (cic[i][k] == ' ' || cic[i][k] == '/') ?
			    '.' : cic[i][k];
		want[k] = '\0';
		if (i == 57)	/* the second Fwd Header Length */
			strcat(want, ".1");
		for (p = 0; p < FLOWID_PROFILE_COUNT; p++)
			assert_string_equal(features_name(p, i), want);
	}
	assert_int_equal(features_count(FLOWID_PROFILE_UNICAUCA), 80);
	assert_int_equal(features_count(FLOWID_PROFILE_CICFLOWMETER), 80);
	assert_int_equal(features_count(FLOWID_PROFILE_FLOWIDD), 135);
	assert_string_equal(features_name(FLOWID_PROFILE_FLOWIDD, 80),
	    "Pkt.Size.1");
	assert_string_equal(features_name(FLOWID_PROFILE_FLOWIDD, 109),
	    "Pkt.IAT.10");
	assert_string_equal(features_name(FLOWID_PROFILE_FLOWIDD, 132),
	    "IP.Version");
	assert_string_equal(features_name(FLOWID_PROFILE_FLOWIDD, 134),
	    "Server.Addr.Mid");
	assert_null(features_name(FLOWID_PROFILE_FLOWIDD, 135));
	assert_null(features_name(FLOWID_PROFILE_UNICAUCA, 80));
}

static void
test_profile_names(void **state)
{
	enum flowid_profile	p;
	int			i;

	(void)state;
	for (i = 0; i < FLOWID_PROFILE_COUNT; i++) {
		assert_int_equal(profile_parse(profile_name(i), &p), 0);
		assert_int_equal(p, i);
	}
	assert_int_equal(profile_parse("cic", &p), -1);
	assert_string_equal(profile_name(FLOWID_PROFILE_UNICAUCA), "unicauca");
}

static void
pkt_v4(struct pkt *p, uint8_t proto)
{
	memset(p, 0, sizeof(*p));
	p->pk_ts = T0;
	p->pk_ipver = 4;
	p->pk_proto = proto;
	p->pk_src[0] = 10;
	p->pk_dst[0] = 11;
	p->pk_iplen = 84;
	p->pk_l4hdrlen = 8;
	p->pk_payload = 56;
	p->pk_sport = p->pk_dport = 0x1234;
	p->pk_hasports = true;
}

/* The reference tool's view of packets (feature document, section 1). */
static void
test_map_pkt(void **state)
{
	struct pkt	p;

	(void)state;
	/* flowidd: untouched */
	pkt_v4(&p, 1);
	assert_true(profile_map_pkt(FLOWID_PROFILE_FLOWIDD, &p));
	assert_int_equal(p.pk_proto, 1);
	assert_int_equal(p.pk_payload, 56);

	/* ICMP echo: protocol 0, no ports, no payload, no header */
	pkt_v4(&p, 1);
	assert_true(profile_map_pkt(FLOWID_PROFILE_CICFLOWMETER, &p));
	assert_int_equal(p.pk_proto, 0);
	assert_int_equal(p.pk_sport, 0);
	assert_int_equal(p.pk_payload, 0);
	assert_int_equal(p.pk_l4hdrlen, 0);

	/* ICMP error quoting a TCP SYN: that TCP flow's packet */
	pkt_v4(&p, 1);
	p.pk_icmperr = true;
	p.pk_inproto = 6;
	p.pk_insport = 49400;
	p.pk_indport = 443;
	p.pk_inflags = TCPF_SYN;
	p.pk_inwin = 14600;
	assert_true(profile_map_pkt(FLOWID_PROFILE_UNICAUCA, &p));
	assert_int_equal(p.pk_proto, 6);
	assert_int_equal(p.pk_sport, 49400);
	assert_int_equal(p.pk_dport, 443);
	assert_int_equal(p.pk_tcpflags, TCPF_SYN);
	assert_int_equal(p.pk_win, 14600);
	assert_int_equal(p.pk_payload, 0);
	assert_int_equal(p.pk_src[0], 10);

	/* a later UDP fragment has no ports: protocol 0 */
	pkt_v4(&p, 17);
	p.pk_frag = true;
	p.pk_fragoff = 1480;
	assert_true(profile_map_pkt(FLOWID_PROFILE_CICFLOWMETER, &p));
	assert_int_equal(p.pk_proto, 0);

	/* TCP and UDP pass unchanged, padding not counted */
	pkt_v4(&p, 6);
	p.pk_payload = 0;
	p.pk_padding = 6;
	assert_true(profile_map_pkt(FLOWID_PROFILE_UNICAUCA, &p));
	assert_int_equal(p.pk_proto, 6);
	assert_int_equal(p.pk_payload, 0);

	/* IPv6 is not read at all */
	pkt_v4(&p, 17);
	p.pk_ipver = 6;
	assert_false(profile_map_pkt(FLOWID_PROFILE_CICFLOWMETER, &p));
	assert_false(profile_map_pkt(FLOWID_PROFILE_UNICAUCA, &p));
	assert_true(profile_map_pkt(FLOWID_PROFILE_FLOWIDD, &p));
}

/* Fixed memory: the per-flow budget (docs/features.md). */
static void
test_size(void **state)
{
	(void)state;
	assert_true(sizeof(struct flow_stats) <= 408);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_t_flowidd),
		cmocka_unit_test(test_flow_t_cic),
		cmocka_unit_test(test_flow_t_uni),
		cmocka_unit_test(test_flow_u),
		cmocka_unit_test(test_zero_rates),
		cmocka_unit_test(test_single_packet),
		cmocka_unit_test(test_straggler_clamped),
		cmocka_unit_test(test_first_forward),
		cmocka_unit_test(test_bulk_broken_by_other_side),
		cmocka_unit_test(test_server_addr),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_profile_names),
		cmocka_unit_test(test_map_pkt),
		cmocka_unit_test(test_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
