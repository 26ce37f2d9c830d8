/* SPDX-License-Identifier: ISC */
/*
 * Capture (a): the corpus traffic, copied until the file reaches the
 * requested size.  Every capture of the directory becomes a template
 * (its IP packets, link header dropped, gaps longer than MIX_GAP_MAX_US
 * shortened so a trace merged from several years stays short); copy k
 * of a template starts at a fixed pseudo-random time inside the window
 * and XORs both addresses of each packet with a mask of k, so copies
 * are distinct flows and overlap in time.  Checksums are patched
 * (RFC 1624) so the copies stay valid packets.
 *
 * Left out: frames whose IP header was not captured whole, non-IP
 * frames, link types without a plain IP payload, and tunnels (IP in IP,
 * GRE), whose inner flows would be the same in every copy.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

#include "gen.h"

#define MIX_GAP_MAX_US	10000000ULL

/* One template packet. */
struct mix_pkt {
	uint64_t	mp_rel;		/* us after the first one */
	uint64_t	mp_off;		/* its IP bytes in the arena */
	uint32_t	mp_caplen;	/* IP bytes captured */
	uint32_t	mp_wirelen;	/* IP bytes on the wire */
};

struct mix_tmpl {
	size_t		mt_first;	/* in m_pkts */
	size_t		mt_n;
	uint64_t	mt_span;	/* us, first to last packet */
};

struct mix {
	struct mix_pkt	*m_pkts;
	size_t		 m_npkts;
	size_t		 m_pktcap;
	uint8_t		*m_arena;
	size_t		 m_alen;
	size_t		 m_acap;
	struct mix_tmpl	*m_tmpl;
	size_t		 m_ntmpl;
	uint64_t	 m_bytes;	/* file bytes of one copy */
};

/* Per copy: one placed template. */
struct mix_inst {
	uint64_t	mi_start;	/* us */
	uint32_t	mi_tmpl;
	uint32_t	mi_copy;
	size_t		mi_next;	/* next packet of the template */
};

static void *
mix_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t	n = *cap ? *cap : 4096;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	if ((p = realloc(p, n * size)) == NULL) {
		fprintf(stderr, "bench-gen: out of memory\n");
		exit(1);
	}
	*cap = n;
	return p;
}

/* Offset of the IP header in a frame of link type dlt, or -1. */
static long
mix_ip_offset(int dlt, const uint8_t *p, uint32_t len)
{
	uint32_t	off = 12;
	uint16_t	et;

	switch (dlt) {
	case DLT_EN10MB:
		for (;;) {
			if (off + 2 > len)
				return -1;
			et = (uint16_t)(p[off] << 8 | p[off + 1]);
			if (et != 0x8100 && et != 0x88a8 && et != 0x9100)
				break;
			off += 4;	/* 802.1Q / 802.1ad tag */
		}
		return et == 0x0800 || et == 0x86dd ? (long)off + 2 : -1;
	case DLT_LINUX_SLL:
		return 16;
	case DLT_LINUX_SLL2:
		return 20;
	case DLT_NULL:
	case DLT_LOOP:
		return 4;
	case DLT_RAW:
	case 14:	/* BSD/OS DLT_RAW */
	case 101:	/* LINKTYPE_RAW */
	case 228:	/* LINKTYPE_IPV4 */
	case 229:	/* LINKTYPE_IPV6 */
		return 0;
	default:
		return -1;
	}
}

/* A whole IPv4 or IPv6 header, not a tunnel.  0 or the IP version. */
static int
mix_ip_usable(const uint8_t *ip, uint32_t len)
{
	uint8_t	proto;

	if (len < 20)
		return 0;
	if (ip[0] >> 4 == 4) {
		if ((ip[0] & 15) < 5 || (uint32_t)(ip[0] & 15) * 4 > len)
			return 0;
		proto = ip[9];
	} else if (ip[0] >> 4 == 6 && len >= 40)
		proto = ip[6];
	else
		return 0;
	if (proto == 4 || proto == 41 || proto == 47)
		return 0;
	return ip[0] >> 4;
}

static void
mix_add_pkt(struct mix *m, uint64_t rel, const uint8_t *ip,
    uint32_t caplen, uint32_t wirelen)
{
	struct mix_pkt	*mp;

	m->m_pkts = mix_grow(m->m_pkts, &m->m_pktcap, m->m_npkts + 1,
	    sizeof(*m->m_pkts));
	m->m_arena = mix_grow(m->m_arena, &m->m_acap, m->m_alen + caplen, 1);
	mp = &m->m_pkts[m->m_npkts++];
	mp->mp_rel = rel;
	mp->mp_off = m->m_alen;
	mp->mp_caplen = caplen;
	/* fuzzed files claim frames of gigabytes: no IP packet passes 64k */
	mp->mp_wirelen = wirelen < caplen || wirelen > 65535 ? caplen :
	    wirelen;
	memcpy(m->m_arena + m->m_alen, ip, caplen);
	m->m_alen += caplen;
	m->m_bytes += 16 + GEN_ETHLEN + caplen;
}

/* Read one capture into a template; captures with no usable packet add
 * none.  A damaged file keeps the packets before the damage. */
static void
mix_load(struct mix *m, const char *path)
{
	char			 err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr	*h;
	const uint8_t		*d;
	struct mix_tmpl		 t;
	pcap_t			*pc;
	uint64_t		 ts, prev = 0, rel = 0, gap;
	long			 off;
	int			 dlt;

	if ((pc = pcap_open_offline(path, err)) == NULL) {
		fprintf(stderr, "bench-gen: skipped %s\n", err);
		return;
	}
	dlt = pcap_datalink(pc);
	t.mt_first = m->m_npkts;
	while (pcap_next_ex(pc, &h, &d) == 1) {
		off = mix_ip_offset(dlt, d, h->caplen);
		if (off < 0 || (uint32_t)off > h->caplen ||
		    !mix_ip_usable(d + off, h->caplen - (uint32_t)off))
			continue;
		ts = (uint64_t)h->ts.tv_sec * 1000000 +
		    (uint64_t)h->ts.tv_usec;
		if (m->m_npkts > t.mt_first) {
			/* monotonic, so a k-way merge keeps files sorted */
			gap = ts > prev ? ts - prev : 0;
			rel += gap < MIX_GAP_MAX_US ? gap : MIX_GAP_MAX_US;
		}
		prev = ts;
		mix_add_pkt(m, rel, d + off, h->caplen - (uint32_t)off,
		    h->len > (uint32_t)off ? h->len - (uint32_t)off : 0);
	}
	pcap_close(pc);
	if ((t.mt_n = m->m_npkts - t.mt_first) == 0)
		return;
	t.mt_span = rel;
	m->m_tmpl = realloc(m->m_tmpl, (m->m_ntmpl + 1) * sizeof(t));
	if (m->m_tmpl == NULL) {
		fprintf(stderr, "bench-gen: out of memory\n");
		exit(1);
	}
	m->m_tmpl[m->m_ntmpl++] = t;
}

static int
mix_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of dir, in byte order of the names. */
static int
mix_load_dir(struct mix *m, const char *dir)
{
	struct dirent	 *de;
	DIR		 *dp;
	char		**names = NULL, path[4096];
	size_t		  n = 0, cap = 0, i;

	if ((dp = opendir(dir)) == NULL) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = mix_grow(names, &cap, n + 1, sizeof(*names));
		if ((names[n++] = strdup(de->d_name)) == NULL) {
			fprintf(stderr, "bench-gen: out of memory\n");
			exit(1);
		}
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), mix_name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		mix_load(m, path);
		free(names[i]);
	}
	free(names);
	return m->m_ntmpl > 0 ? 0 : -1;
}

/* Add the RFC 1624 change of the 16-bit words at old -> new to sum. */
static uint32_t
mix_csum_delta(uint32_t sum, const uint8_t *old, const uint8_t *new,
    size_t len)
{
	size_t	i;

	for (i = 0; i < len; i += 2) {
		sum += ~(uint32_t)(old[i] << 8 | old[i + 1]) & 0xffff;
		sum += (uint32_t)(new[i] << 8 | new[i + 1]);
	}
	return sum;
}

/* Patch the checksum at c by a delta; UDP keeps "no checksum" (0). */
static void
mix_csum_patch(uint8_t *c, uint32_t delta, int udp)
{
	uint32_t	sum = ~(uint32_t)(c[0] << 8 | c[1]) & 0xffff;
	uint16_t	v;

	if (udp && c[0] == 0 && c[1] == 0)
		return;
	v = gen_csum_fold(sum + delta);
	if (udp && v == 0)
		v = 0xffff;
	c[0] = (uint8_t)(v >> 8);
	c[1] = (uint8_t)v;
}

/* The checksum field of the TCP, UDP or ICMPv6 header at l4, or NULL. */
static uint8_t *
mix_l4_csum(uint8_t *l4, uint32_t avail, uint8_t proto, int *udp)
{
	uint32_t	off;

	*udp = proto == 17;
	if (proto == 6)
		off = 16;
	else if (proto == 17)
		off = 6;
	else if (proto == 58)
		off = 2;
	else
		return NULL;
	return off + 2 <= avail ? l4 + off : NULL;
}

/* XOR both addresses with copy's mask; fix the checksums. */
static void
mix_rewrite(uint8_t *ip, uint32_t len, uint32_t copy)
{
	uint64_t	 mask = copy ? gen_mix64(copy) : 0;
	uint8_t		 old[32], *a, *c;
	uint32_t	 hl, alen, i, delta;
	int		 udp;

	if (mask == 0)
		return;
	if (ip[0] >> 4 == 4) {
		a = ip + 12;
		alen = 8;
		hl = (uint32_t)(ip[0] & 15) * 4;
	} else {
		a = ip + 8;
		alen = 32;
		hl = 40;
	}
	memcpy(old, a, alen);
	for (i = 0; i < alen; i++)
		/* IPv6: the interface identifiers; IPv4: all of it */
		if (alen == 8 || i % 16 >= 8)
			a[i] ^= (uint8_t)(mask >> (8 * (i % 8)));
	delta = mix_csum_delta(0, old, a, alen);

	if (alen == 8) {
		/* the header checksum covers the addresses: redo it */
		ip[10] = ip[11] = 0;
		i = gen_csum_fold(gen_csum_add(0, ip, hl));
		ip[10] = (uint8_t)(i >> 8);
		ip[11] = (uint8_t)i;
		if ((ip[6] & 0x1f) != 0 || ip[7] != 0)
			return;	/* later fragment: no L4 header */
		c = mix_l4_csum(ip + hl, len - hl, ip[9], &udp);
	} else
		c = mix_l4_csum(ip + hl, len - hl, ip[6], &udp);
	/* ICMP (v4) has no pseudo-header; mix_l4_csum ignores it */
	if (c != NULL)
		mix_csum_patch(c, delta, udp);
}

static void
mix_place(const struct mix *m, uint32_t copies, unsigned window_s,
    struct mix_inst *inst, struct gen_heap *h)
{
	uint64_t	w = (uint64_t)window_s * 1000000, span, key;
	size_t		t, n = 0;
	uint32_t	k;

	for (k = 0; k < copies; k++)
		for (t = 0; t < m->m_ntmpl; t++, n++) {
			span = m->m_tmpl[t].mt_span;
			inst[n].mi_start = GEN_EPOCH_US + (span < w ?
			    gen_mix64((uint64_t)k << 32 | t) % (w - span) : 0);
			inst[n].mi_tmpl = (uint32_t)t;
			inst[n].mi_copy = k;
			inst[n].mi_next = 0;
			key = inst[n].mi_start +
			    m->m_pkts[m->m_tmpl[t].mt_first].mp_rel;
			gen_heap_push(h, key, n);
		}
}

/* Merge every placed copy in time order into the output. */
static int
mix_write(const struct mix *m, uint32_t copies, unsigned window_s,
    const char *path)
{
	static uint8_t		 f[GEN_ETHLEN + GEN_SNAPLEN];
	struct gen_heap		 h;
	struct gen_heap_item	 it;
	struct gen_out		 o;
	struct mix_inst		*inst, *in;
	const struct mix_tmpl	*t;
	const struct mix_pkt	*p;

	inst = gen_xalloc((size_t)copies * m->m_ntmpl, sizeof(*inst));
	memset(&h, 0, sizeof(h));
	mix_place(m, copies, window_s, inst, &h);
	if (gen_out_open(&o, path) == -1) {
		free(inst);
		return -1;
	}
	while (gen_heap_pop(&h, &it)) {
		in = &inst[it.gh_val];
		t = &m->m_tmpl[in->mi_tmpl];
		p = &m->m_pkts[t->mt_first + in->mi_next];
		memcpy(f + GEN_ETHLEN, m->m_arena + p->mp_off, p->mp_caplen);
		gen_eth(f, 0, (f[GEN_ETHLEN] >> 4) == 4 ? 0x0800 : 0x86dd);
		mix_rewrite(f + GEN_ETHLEN, p->mp_caplen, in->mi_copy);
		gen_out_write(&o, it.gh_key, f, GEN_ETHLEN + p->mp_caplen,
		    GEN_ETHLEN + p->mp_wirelen);
		if (++in->mi_next < t->mt_n)
			gen_heap_push(&h, in->mi_start + p[1].mp_rel,
			    it.gh_val);
	}
	gen_heap_free(&h);
	free(inst);
	return gen_out_close(&o, path);
}

int
gen_mix(const char *out, const char *dir, uint64_t target_bytes,
    unsigned window_s)
{
	struct mix	m;
	uint64_t	copies;
	int		rv;

	memset(&m, 0, sizeof(m));
	if (mix_load_dir(&m, dir) == -1) {
		fprintf(stderr, "bench-gen: %s: no usable capture\n", dir);
		return -1;
	}
	copies = (target_bytes + m.m_bytes / 2) / m.m_bytes;
	if (copies == 0)
		copies = 1;
	printf("bench-gen: %zu templates, %zu packets, %llu bytes a copy, "
	    "%llu copies in %u s\n", m.m_ntmpl, m.m_npkts,
	    (unsigned long long)m.m_bytes, (unsigned long long)copies,
	    window_s);
	rv = mix_write(&m, (uint32_t)copies, window_s, out);
	free(m.m_pkts);
	free(m.m_arena);
	free(m.m_tmpl);
	return rv;
}
