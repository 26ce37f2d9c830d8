/* SPDX-License-Identifier: ISC */
/*
 * bench-gen: writes the benchmark captures, always the same bytes for the
 * same arguments (no clock, no unseeded randomness), as Ethernet pcap.
 *
 *	bench-gen mix OUT DIR MBYTES WINDOW_S	capture (a): gen_mix.c
 *	bench-gen short OUT NFLOWS		capture (b): short flows
 *	bench-gen active OUT NFLOWS NPKTS	NFLOWS flows open at once
 *
 * The synthetic packets carry zeroed payloads and correct checksums; the
 * addresses are 10.0.0.0/8 clients and 172.16.0.0/12 servers.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

#include "gen.h"

#define GEN_SHORT_START_US	50	/* a new short flow every 50 us */
/* below the idle timeout, so no flow of the active captures ends early */
#define GEN_ACTIVE_SPAN_US	30000000ULL
#define GEN_CLIENT_NET		0x0a000000u	/* 10.0.0.0/8 */
#define GEN_SERVER_NET		0xac100000u	/* 172.16.0.0/12 */
#define GEN_MAX_CLIENTS		(1u << 24)

/* One synthetic TCP or UDP packet between a client and a server. */
struct gen_seg {
	uint32_t	gs_cli;		/* client IPv4 address */
	uint32_t	gs_srv;
	uint16_t	gs_cport;
	uint16_t	gs_sport;	/* server port */
	uint8_t		gs_proto;	/* 6 or 17 */
	uint8_t		gs_flags;	/* TCP flags */
	uint8_t		gs_fromsrv;	/* 1: server to client */
	uint16_t	gs_payload;	/* zero bytes after the header */
	uint16_t	gs_ipid;
	uint32_t	gs_seq;
	uint32_t	gs_ack;
};

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10

void *
gen_xalloc(size_t n, size_t size)
{
	void	*p;

	if (n != 0 && size > SIZE_MAX / n) {
		fprintf(stderr, "bench-gen: allocation too large\n");
		exit(1);
	}
	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL) {
		fprintf(stderr, "bench-gen: out of memory\n");
		exit(1);
	}
	return p;
}

/* splitmix64's finalizer: a fixed, well-spread function of x. */
uint64_t
gen_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

int
gen_out_open(struct gen_out *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	if ((o->go_pcap = pcap_open_dead(DLT_EN10MB, GEN_SNAPLEN)) == NULL)
		return -1;
	if ((o->go_fp = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "bench-gen: %s: %s\n", path, strerror(errno));
		pcap_close(o->go_pcap);
		return -1;
	}
	/* one large buffer: the files are hundreds of megabytes */
	setvbuf(o->go_fp, NULL, _IOFBF, 1 << 20);
	if ((o->go_dump = pcap_dump_fopen(o->go_pcap, o->go_fp)) == NULL) {
		fprintf(stderr, "bench-gen: %s: %s\n", path,
		    pcap_geterr(o->go_pcap));
		fclose(o->go_fp);
		pcap_close(o->go_pcap);
		return -1;
	}
	return 0;
}

void
gen_out_write(struct gen_out *o, uint64_t ts_us, const uint8_t *frame,
    uint32_t caplen, uint32_t wirelen)
{
	struct pcap_pkthdr	h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	h.caplen = caplen;
	h.len = wirelen;
	pcap_dump((u_char *)o->go_dump, &h, frame);
	o->go_pkts++;
	o->go_wire += wirelen;
	o->go_last = ts_us;
}

/* Close, check the writes, print one summary line.  0 or -1. */
int
gen_out_close(struct gen_out *o, const char *what)
{
	int	rv = 0;

	if (pcap_dump_flush(o->go_dump) == -1 || ferror(o->go_fp))
		rv = -1;
	pcap_dump_close(o->go_dump);
	pcap_close(o->go_pcap);
	if (rv == -1)
		fprintf(stderr, "bench-gen: %s: write failed\n", what);
	else
		printf("bench-gen: %s: %llu packets, %llu wire bytes, "
		    "%.1f s of traffic\n", what,
		    (unsigned long long)o->go_pkts,
		    (unsigned long long)o->go_wire,
		    (double)(o->go_last - GEN_EPOCH_US) / 1e6);
	return rv;
}

void
gen_heap_push(struct gen_heap *h, uint64_t key, uint64_t val)
{
	struct gen_heap_item	it = { key, val }, *a;
	size_t			i, up;

	if (h->gh_n == h->gh_cap) {
		h->gh_cap = h->gh_cap ? h->gh_cap * 2 : 1024;
		a = realloc(h->gh_items, h->gh_cap * sizeof(*a));
		if (a == NULL) {
			fprintf(stderr, "bench-gen: out of memory\n");
			exit(1);
		}
		h->gh_items = a;
	}
	a = h->gh_items;
	/* ties go to the smaller value, so the order never depends on
	   where an item sat in the array */
	for (i = h->gh_n++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (a[up].gh_key < key || (a[up].gh_key == key &&
		    a[up].gh_val <= val))
			break;
		a[i] = a[up];
	}
	a[i] = it;
}

static int
heap_less(const struct gen_heap_item *x, const struct gen_heap_item *y)
{
	return x->gh_key < y->gh_key || (x->gh_key == y->gh_key &&
	    x->gh_val < y->gh_val);
}

int
gen_heap_pop(struct gen_heap *h, struct gen_heap_item *out)
{
	struct gen_heap_item	*a = h->gh_items, last;
	size_t			 i = 0, c;

	if (h->gh_n == 0)
		return 0;
	*out = a[0];
	last = a[--h->gh_n];
	while ((c = 2 * i + 1) < h->gh_n) {
		if (c + 1 < h->gh_n && heap_less(&a[c + 1], &a[c]))
			c++;
		if (!heap_less(&a[c], &last))
			break;
		a[i] = a[c];
		i = c;
	}
	a[i] = last;
	return 1;
}

void
gen_heap_free(struct gen_heap *h)
{
	free(h->gh_items);
	memset(h, 0, sizeof(*h));
}

/* Locally administered MACs; reverse swaps them for replies. */
void
gen_eth(uint8_t *frame, int reverse, uint16_t ethertype)
{
	static const uint8_t	a[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t	b[6] = { 2, 0, 0, 0, 0, 2 };

	memcpy(frame, reverse ? a : b, 6);
	memcpy(frame + 6, reverse ? b : a, 6);
	frame[12] = (uint8_t)(ethertype >> 8);
	frame[13] = (uint8_t)ethertype;
}

/* One's complement sum of big-endian 16-bit words (RFC 1071). */
uint32_t
gen_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t
gen_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* TCP (RFC 9293) or UDP (RFC 768) header of s at l4; its length. */
static uint32_t
gen_l4(uint8_t *l4, const struct gen_seg *s)
{
	int	fs = s->gs_fromsrv;

	put16(l4, fs ? s->gs_sport : s->gs_cport);
	put16(l4 + 2, fs ? s->gs_cport : s->gs_sport);
	if (s->gs_proto == 17) {
		put16(l4 + 4, (uint16_t)(8 + s->gs_payload));
		return 8;
	}
	put32(l4 + 4, s->gs_seq);
	put32(l4 + 8, s->gs_ack);
	l4[13] = s->gs_flags;
	put16(l4 + 14, 64240);
	if (!(s->gs_flags & TH_SYN)) {
		l4[12] = 5 << 4;
		return 20;
	}
	l4[12] = 6 << 4;	/* MSS option, as every SYN carries */
	l4[20] = 2;
	l4[21] = 4;
	put16(l4 + 22, 1460);
	return 24;
}

/*
 * Ethernet + IPv4 (RFC 791) + TCP/UDP frame of s, payload zeroed.
 * Zero payload bytes add nothing to the checksum, so only the headers
 * are summed.  Returns the frame length.
 */
static uint32_t
gen_build(uint8_t *f, const struct gen_seg *s)
{
	uint8_t		*ip = f + GEN_ETHLEN, *l4 = ip + 20;
	uint32_t	 l4len, iplen, src, dst, sum;

	memset(f, 0, GEN_ETHLEN + 20 + 24 + s->gs_payload);
	gen_eth(f, s->gs_fromsrv, 0x0800);
	l4len = gen_l4(l4, s);
	iplen = 20 + l4len + s->gs_payload;
	src = s->gs_fromsrv ? s->gs_srv : s->gs_cli;
	dst = s->gs_fromsrv ? s->gs_cli : s->gs_srv;

	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)iplen);
	put16(ip + 4, s->gs_ipid);
	ip[6] = s->gs_proto == 6 ? 0x40 : 0;	/* DF on TCP */
	ip[8] = s->gs_fromsrv ? 57 : 64;
	ip[9] = s->gs_proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, gen_csum_fold(gen_csum_add(0, ip, 20)));

	/* pseudo-header: addresses, protocol, L4 length */
	sum = gen_csum_add(0, ip + 12, 8) + s->gs_proto +
	    (l4len + s->gs_payload);
	sum = gen_csum_add(sum, l4, l4len);
	put16(l4 + (s->gs_proto == 6 ? 16 : 6), gen_csum_fold(sum));
	return GEN_ETHLEN + iplen;
}

/* Endpoints of short flow i: a unique client address per flow. */
static void
short_endpoints(uint64_t i, struct gen_seg *s)
{
	uint64_t	h = gen_mix64(i);

	memset(s, 0, sizeof(*s));
	s->gs_cli = GEN_CLIENT_NET | (uint32_t)i;
	s->gs_srv = GEN_SERVER_NET | (uint32_t)(h % 4096);
	s->gs_cport = (uint16_t)(1024 + (h >> 16) % 64000);
	switch (i % 4) {
	case 0:
	case 1:
		s->gs_proto = 6;
		s->gs_sport = (h >> 40) & 1 ? 443 : 80;
		break;
	case 2:
		s->gs_proto = 6;
		s->gs_sport = 22;
		break;
	default:
		s->gs_proto = 17;
		s->gs_sport = 53;
		break;
	}
}

/*
 * Packet number step of short flow i, and its time after the flow's
 * start; returns 0 past the flow's last packet.  Kinds by i % 4: 0 and
 * 1 a whole TCP exchange (handshake, request, response, both FINs, 8
 * packets), 2 a refused TCP connection (SYN, RST), 3 a UDP question and
 * answer.  The round-trip time is 1 to 31 ms.
 */
static int
short_step(uint64_t i, unsigned step, struct gen_seg *s, uint64_t *at)
{
	uint64_t	h = gen_mix64(i ^ 0x5a5a5a5aULL);
	uint32_t	r = 1000 + (uint32_t)(h % 30000);
	uint32_t	q = 40 + (uint32_t)((h >> 20) % 160);
	uint32_t	p = 80 + (uint32_t)((h >> 32) % 480);
	uint32_t	c0 = (uint32_t)(h >> 11), s0 = (uint32_t)(h >> 29);
	static const uint8_t	dir[8] = { 0, 1, 0, 0, 1, 0, 1, 0 };
	static const uint8_t	fl[8] = { TH_SYN, TH_SYN | TH_ACK, TH_ACK,
	    TH_PSH | TH_ACK, TH_PSH | TH_ACK, TH_FIN | TH_ACK,
	    TH_FIN | TH_ACK, TH_ACK };
	static const uint8_t	rtts[8] = { 0, 1, 1, 1, 2, 2, 3, 3 };
	static const uint8_t	gaps[8] = { 0, 0, 1, 2, 2, 3, 3, 4 };

	short_endpoints(i, s);
	s->gs_ipid = (uint16_t)(i * 8 + step);
	if (i % 4 >= 2) {
		if (step > 1)
			return 0;
		*at = step ? r : 0;
		s->gs_fromsrv = (uint8_t)step;
		if (i % 4 == 3) {
			s->gs_payload = (uint16_t)(step ? p : q);
			return 1;
		}
		s->gs_flags = step ? TH_RST | TH_ACK : TH_SYN;
		s->gs_seq = step ? 0 : c0;
		s->gs_ack = step ? c0 + 1 : 0;
		return 1;
	}
	if (step > 7)
		return 0;
	*at = (uint64_t)rtts[step] * r + (uint64_t)gaps[step] * 30;
	s->gs_fromsrv = dir[step];
	s->gs_flags = fl[step];
	s->gs_payload = (uint16_t)(step == 3 ? q : step == 4 ? p : 0);
	/* sequence numbers as a real exchange would carry them */
	if (s->gs_fromsrv) {
		s->gs_seq = s0 + (step > 1) + (step > 4 ? p : 0);
		s->gs_ack = c0 + 1 + (step > 1 ? q : 0) + (step > 5);
	} else {
		s->gs_seq = c0 + (step > 0) + (step > 3 ? q : 0) +
		    (step > 5);
		s->gs_ack = step == 0 ? 0 : s0 + 1 + (step > 4 ? p : 0) +
		    (step > 6);
	}
	return 1;
}

/* Capture (b): nflows short flows, one starting every 50 us. */
static int
gen_short(const char *path, uint64_t nflows)
{
	struct gen_out		o;
	struct gen_heap		h;
	struct gen_heap_item	it;
	struct gen_seg		s;
	uint8_t			f[2048];
	uint64_t		next = 0, start, at, i;
	uint32_t		len;
	unsigned		step;

	if (nflows > GEN_MAX_CLIENTS || gen_out_open(&o, path) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	for (;;) {
		/* the heap holds each open flow's next packet */
		start = GEN_EPOCH_US + next * GEN_SHORT_START_US;
		if (next < nflows && (h.gh_n == 0 ||
		    start <= h.gh_items[0].gh_key)) {
			gen_heap_push(&h, start, next << 8);
			next++;
			continue;
		}
		if (!gen_heap_pop(&h, &it))
			break;
		i = it.gh_val >> 8;
		step = (unsigned)(it.gh_val & 0xff);
		short_step(i, step, &s, &at);
		start = it.gh_key - at;
		len = gen_build(f, &s);
		gen_out_write(&o, it.gh_key, f, len, len);
		if (short_step(i, step + 1, &s, &at))
			gen_heap_push(&h, start + at, i << 8 | (step + 1));
	}
	gen_heap_free(&h);
	return gen_out_close(&o, path);
}

/*
 * Packet n of a capture where nflows TCP flows take turns: round 0 is
 * each flow's SYN, round 1 its SYN-ACK, then requests (40 bytes) and
 * answers (200 bytes) alternate.  No flow ends before the file does.
 */
static void
active_seg(uint64_t n, uint64_t nflows, struct gen_seg *s)
{
	uint64_t	i = n % nflows, round = n / nflows;
	uint64_t	h = gen_mix64(i);
	uint32_t	c0 = (uint32_t)h, s0 = (uint32_t)(h >> 32), k;

	memset(s, 0, sizeof(*s));
	s->gs_cli = GEN_CLIENT_NET | (uint32_t)i;
	s->gs_srv = GEN_SERVER_NET | (uint32_t)((h >> 8) % 4096);
	s->gs_cport = (uint16_t)(1024 + (h >> 24) % 64000);
	s->gs_sport = 443;
	s->gs_proto = 6;
	s->gs_ipid = (uint16_t)round;
	s->gs_fromsrv = (uint8_t)(round & 1);
	if (round < 2) {
		s->gs_flags = round ? TH_SYN | TH_ACK : TH_SYN;
		s->gs_seq = round ? s0 : c0;
		s->gs_ack = round ? c0 + 1 : 0;
		return;
	}
	k = (uint32_t)(round - 2) / 2;	/* earlier segments, each side */
	s->gs_flags = TH_PSH | TH_ACK;
	s->gs_payload = s->gs_fromsrv ? 200 : 40;
	s->gs_seq = s->gs_fromsrv ? s0 + 1 + k * 200 : c0 + 1 + k * 40;
	s->gs_ack = s->gs_fromsrv ? c0 + 1 + (k + 1) * 40 :
	    s0 + 1 + k * 200;
}

static int
gen_active(const char *path, uint64_t nflows, uint64_t npkts)
{
	struct gen_out	o;
	struct gen_seg	s;
	uint8_t		f[2048];
	uint64_t	n, step;
	uint32_t	len;

	if (nflows == 0 || nflows > GEN_MAX_CLIENTS ||
	    gen_out_open(&o, path) == -1)
		return -1;
	step = GEN_ACTIVE_SPAN_US / npkts;
	for (n = 0; n < npkts; n++) {
		active_seg(n, nflows, &s);
		len = gen_build(f, &s);
		gen_out_write(&o, GEN_EPOCH_US + n * step, f, len, len);
	}
	return gen_out_close(&o, path);
}

static uint64_t
arg_num(const char *s)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v == 0) {
		fprintf(stderr, "bench-gen: \"%s\" is not a positive number\n",
		    s);
		exit(1);
	}
	return v;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench-gen mix OUT DIR MBYTES WINDOW_S\n"
	    "       bench-gen short OUT NFLOWS\n"
	    "       bench-gen active OUT NFLOWS NPKTS\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int	rv;

	if (argc == 6 && strcmp(argv[1], "mix") == 0)
		rv = gen_mix(argv[2], argv[3], arg_num(argv[4]) * 1000000,
		    (unsigned)arg_num(argv[5]));
	else if (argc == 4 && strcmp(argv[1], "short") == 0)
		rv = gen_short(argv[2], arg_num(argv[3]));
	else if (argc == 5 && strcmp(argv[1], "active") == 0)
		rv = gen_active(argv[2], arg_num(argv[3]), arg_num(argv[4]));
	else
		usage();
	if (rv == -1) {
		remove(argv[2]);
		return 1;
	}
	return 0;
}
