/* SPDX-License-Identifier: ISC */
/*
 * floodgen: write a deterministic pcap of a SYN flood mixed with a port
 * scan, every flow distinct, for the overload tests.  Flood flows are
 * one SYN from a spoofed 10.0.0.0/8 source to 198.51.100.10:80; scan
 * flows are one SYN from 203.0.113.7:40000 to a port of a host of
 * 198.51.100.0/24, and a share of them get the RST-ACK of a closed port
 * back.  Nothing here depends on the clock or the host: the same options
 * write the same bytes.  It is not a traffic model, only a worst case
 * for the flow table (every packet opens a flow).
 */

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FG_EPOCH_S	1704067200ULL	/* 2024-01-01T00:00:00Z */
#define FG_FRAME	54		/* Ethernet + IPv4 + TCP, no options */
#define FG_MAX_FLOOD	(1u << 24)	/* distinct sources in 10/8 */
#define FG_MAX_SCAN	(254u * 65535)	/* hosts times ports */
#define FG_TCP_SYN	0x02
#define FG_TCP_RST	0x04
#define FG_TCP_ACK	0x10

struct fg_opts {
	uint64_t	 fo_flows;	/* flows in all */
	uint64_t	 fo_pps;	/* packets per second of capture time */
	unsigned	 fo_scan_pct;	/* % of flows that are scan probes */
	unsigned	 fo_rst_pct;	/* % of probes answered by RST */
	unsigned	 fo_tail_s;	/* quiet seconds after the flood */
	const char	*fo_out;
};

struct fg_state {
	FILE		*fs_fp;
	uint64_t	 fs_rng;
	uint64_t	 fs_ns;		/* capture time, ns since FG_EPOCH_S */
	uint64_t	 fs_step_ns;
	uint64_t	 fs_flood;	/* flows written of each kind */
	uint64_t	 fs_scan;
	uint64_t	 fs_pkts;
};

/* splitmix64: a fixed sequence from a fixed seed. */
static uint64_t
fg_rand(struct fg_state *fs)
{
	uint64_t	z = (fs->fs_rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
fg_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
fg_put32(uint8_t *p, uint32_t v)
{
	fg_put16(p, (uint16_t)(v >> 16));
	fg_put16(p + 2, (uint16_t)v);
}

/* Little-endian, as the pcap header's magic says. */
static void
fg_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* RFC 1071 one's complement sum, folded. */
static uint16_t
fg_csum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
fg_write(struct fg_state *fs, const void *p, size_t len)
{
	if (fwrite(p, 1, len, fs->fs_fp) != len)
		err(1, "write");
}

/* pcap file header: version 2.4, snaplen 65535, LINKTYPE_ETHERNET. */
static void
fg_header(struct fg_state *fs)
{
	uint8_t	h[24];

	memset(h, 0, sizeof(h));
	fg_le32(h, 0xa1b2c3d4);
	h[4] = 2;
	h[6] = 4;
	fg_le32(h + 16, 65535);
	fg_le32(h + 20, 1);
	fg_write(fs, h, sizeof(h));
}

/*
 * One TCP segment without payload from src:sport to dst:dport, as an
 * Ethernet frame (IPv4, RFC 791; TCP, RFC 9293), at the current time.
 */
static void
fg_segment(struct fg_state *fs, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack)
{
	static const uint8_t	mac_a[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t	mac_b[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t			rec[16 + FG_FRAME], *f = rec + 16, *ip, *tcp;
	uint8_t			pseudo[12];
	uint64_t		us = fs->fs_ns / 1000;

	memset(rec, 0, sizeof(rec));
	fg_le32(rec, (uint32_t)(FG_EPOCH_S + us / 1000000));
	fg_le32(rec + 4, (uint32_t)(us % 1000000));
	fg_le32(rec + 8, FG_FRAME);
	fg_le32(rec + 12, FG_FRAME);

	memcpy(f, flags & FG_TCP_RST ? mac_a : mac_b, 6);
	memcpy(f + 6, flags & FG_TCP_RST ? mac_b : mac_a, 6);
	fg_put16(f + 12, 0x0800);

	ip = f + 14;
	ip[0] = 0x45;
	fg_put16(ip + 2, 40);
	fg_put16(ip + 4, (uint16_t)fg_rand(fs));
	fg_put16(ip + 6, 0x4000);		/* DF */
	ip[8] = flags & FG_TCP_RST ? 64 : 52;
	ip[9] = 6;
	fg_put32(ip + 12, src);
	fg_put32(ip + 16, dst);
	fg_put16(ip + 10, fg_csum(0, ip, 20));

	tcp = ip + 20;
	fg_put16(tcp, sport);
	fg_put16(tcp + 2, dport);
	fg_put32(tcp + 4, seq);
	fg_put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	fg_put16(tcp + 14, flags & FG_TCP_RST ? 0 : 1024);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	fg_put16(pseudo + 10, 20);
	fg_put16(tcp + 16, fg_csum(~fg_csum(0, pseudo, 12) & 0xffff, tcp,
	    20));

	fg_write(fs, rec, sizeof(rec));
	fs->fs_pkts++;
}

/* Flood flow i: its source is i through a bijection of 24 bits. */
static void
fg_flood(struct fg_state *fs)
{
	uint32_t	src, i = (uint32_t)fs->fs_flood++;

	src = 0x0a000000 | ((i * 0x9e3779u + 0x5bd1e9u) & 0xffffff);
	fg_segment(fs, src, (uint16_t)(1024 + fg_rand(fs) % 64000),
	    0xc633640a, 80, FG_TCP_SYN, (uint32_t)fg_rand(fs), 0);
}

/* Scan flow j: host j / 65535 of the /24, port j % 65535 + 1. */
static void
fg_scan(struct fg_state *fs, unsigned rst_pct)
{
	uint64_t	j = fs->fs_scan++;
	uint32_t	dst = 0xc6336400 | (uint32_t)(1 + (j / 65535) % 254);
	uint16_t	port = (uint16_t)(j % 65535 + 1);
	uint32_t	seq = (uint32_t)fg_rand(fs);

	fg_segment(fs, 0xcb007107, 40000, dst, port, FG_TCP_SYN, seq, 0);
	if (fg_rand(fs) % 100 >= rst_pct)
		return;
	fs->fs_ns += fs->fs_step_ns / 2;	/* the answer comes first */
	fg_segment(fs, dst, port, 0xcb007107, 40000,
	    FG_TCP_RST | FG_TCP_ACK, 0, seq + 1);
	fs->fs_ns -= fs->fs_step_ns / 2;
}

/*
 * The quiet tail: one lone RST a second, each a flow that ends at once,
 * so packet time moves on (offline, that drives the idle expiry) while
 * nothing new stays in the table.
 */
static void
fg_tail(struct fg_state *fs, unsigned secs)
{
	unsigned	s;

	for (s = 1; s <= secs; s++) {
		fs->fs_ns += 1000000000ULL;
		fg_segment(fs, 0xc0000201, (uint16_t)(20000 + s), 0xc0000202,
		    443, FG_TCP_RST, 0, 0);
	}
}

static void __attribute__((noreturn))
fg_usage(void)
{
	fprintf(stderr, "usage: floodgen [-n flows] [-p pps] [-s scan%%] "
	    "[-r rst%%] [-t tail_s] -o out.pcap\n");
	exit(2);
}

static uint64_t
fg_number(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 ||
	    v < lo || v > hi)
		errx(2, "-%s: \"%s\" is not a number from %llu to %llu", opt,
		    s, (unsigned long long)lo, (unsigned long long)hi);
	return v;
}

static void
fg_opts(struct fg_opts *o, int argc, char **argv)
{
	int	ch;

	o->fo_flows = 5000000;
	o->fo_pps = 200000;
	o->fo_scan_pct = 20;
	o->fo_rst_pct = 50;
	o->fo_tail_s = 0;
	o->fo_out = NULL;
	while ((ch = getopt(argc, argv, "n:o:p:r:s:t:")) != -1) {
		switch (ch) {
		case 'n':
			o->fo_flows = fg_number("n", optarg, 1,
			    (uint64_t)FG_MAX_FLOOD + FG_MAX_SCAN);
			break;
		case 'o':
			o->fo_out = optarg;
			break;
		case 'p':
			o->fo_pps = fg_number("p", optarg, 1, 100000000);
			break;
		case 'r':
			o->fo_rst_pct = (unsigned)fg_number("r", optarg, 0,
			    100);
			break;
		case 's':
			o->fo_scan_pct = (unsigned)fg_number("s", optarg, 0,
			    100);
			break;
		case 't':
			o->fo_tail_s = (unsigned)fg_number("t", optarg, 0,
			    86400);
			break;
		default:
			fg_usage();
		}
	}
	if (o->fo_out == NULL || optind != argc)
		fg_usage();
}

int
main(int argc, char *argv[])
{
	struct fg_opts	o;
	struct fg_state	fs;
	uint64_t	k;

	fg_opts(&o, argc, argv);
	memset(&fs, 0, sizeof(fs));
	fs.fs_rng = 0x666c6f6f64ULL;
	fs.fs_step_ns = 1000000000ULL / o.fo_pps;
	if (strcmp(o.fo_out, "-") == 0)
		fs.fs_fp = stdout;
	else if ((fs.fs_fp = fopen(o.fo_out, "wb")) == NULL)
		err(1, "%s", o.fo_out);

	fg_header(&fs);
	for (k = 0; k < o.fo_flows; k++) {
		/* a kind that has used up its addresses leaves the other */
		if ((fg_rand(&fs) % 100 < o.fo_scan_pct &&
		    fs.fs_scan < FG_MAX_SCAN) || fs.fs_flood == FG_MAX_FLOOD)
			fg_scan(&fs, o.fo_rst_pct);
		else
			fg_flood(&fs);
		fs.fs_ns += fs.fs_step_ns;
	}
	fg_tail(&fs, o.fo_tail_s);

	if (fflush(fs.fs_fp) == EOF || (fs.fs_fp != stdout &&
	    fclose(fs.fs_fp) == EOF))
		err(1, "%s", o.fo_out);
	fprintf(stderr, "floodgen: %s: %llu flows (%llu flood, %llu scan), "
	    "%llu packets, %.1f s\n", o.fo_out,
	    (unsigned long long)(fs.fs_flood + fs.fs_scan + o.fo_tail_s),
	    (unsigned long long)fs.fs_flood, (unsigned long long)fs.fs_scan,
	    (unsigned long long)fs.fs_pkts, (double)fs.fs_ns / 1e9);
	return 0;
}
