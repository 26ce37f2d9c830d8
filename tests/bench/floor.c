/* SPDX-License-Identifier: ISC */
/*
 * The floor flowidd is measured against: the least a libpcap flow meter
 * must do.  "read" only walks the file with pcap_next_ex and reads the
 * link and IP header bytes; "hash" also parses the 5-tuple, orders its
 * two ends as flowidd does, and counts the packet in an open-addressing
 * table (no expiry, no features, no output).  Ethernet with VLAN tags,
 * IPv4 and IPv6 without extension headers: what bench-gen writes.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

/* Both ends in order, as flowidd's key: 40 bytes, no padding. */
struct floor_key {
	uint8_t		fk_addr[2][16];
	uint16_t	fk_port[2];
	uint8_t		fk_proto;
	uint8_t		fk_used;	/* 0 marks an empty slot */
	uint16_t	fk_zero;
};

struct floor_slot {
	struct floor_key fs_key;
	uint64_t	 fs_bytes;
	uint32_t	 fs_pkts;
	uint32_t	 fs_hash;
};

struct floor_table {
	struct floor_slot	*ft_slots;
	size_t			 ft_mask;
	size_t			 ft_n;
};

static uint64_t
floor_hash(const struct floor_key *k)
{
	uint64_t	w[5], h = 0x2545f4914f6cdd1dULL;
	size_t		i;

	memcpy(w, k, sizeof(w));
	for (i = 0; i < 5; i++) {
		h = (h ^ w[i]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return h ^ (h >> 32);
}

static void
floor_alloc(struct floor_table *t, size_t n)
{
	if ((t->ft_slots = calloc(n, sizeof(*t->ft_slots))) == NULL) {
		fprintf(stderr, "bench-floor: out of memory\n");
		exit(1);
	}
	t->ft_mask = n - 1;
}

/* Double the table when half full, so probes stay short. */
static void
floor_grow(struct floor_table *t)
{
	struct floor_slot	*old = t->ft_slots, *s;
	size_t			 n = t->ft_mask + 1, i, j;

	floor_alloc(t, n * 2);
	for (i = 0; i < n; i++) {
		if (!old[i].fs_key.fk_used)
			continue;
		for (j = old[i].fs_hash & t->ft_mask;
		    t->ft_slots[j].fs_key.fk_used; j = (j + 1) & t->ft_mask)
			;
		s = &t->ft_slots[j];
		*s = old[i];
	}
	free(old);
}

static void
floor_count(struct floor_table *t, const struct floor_key *k,
    uint32_t bytes)
{
	struct floor_slot	*s;
	uint64_t		 h = floor_hash(k);
	size_t			 i;

	for (i = h & t->ft_mask;; i = (i + 1) & t->ft_mask) {
		s = &t->ft_slots[i];
		if (!s->fs_key.fk_used)
			break;
		if (s->fs_hash == (uint32_t)h &&
		    memcmp(&s->fs_key, k, sizeof(*k)) == 0) {
			s->fs_pkts++;
			s->fs_bytes += bytes;
			return;
		}
	}
	s->fs_key = *k;
	s->fs_hash = (uint32_t)h;
	s->fs_pkts = 1;
	s->fs_bytes = bytes;
	if (++t->ft_n * 2 > t->ft_mask)
		floor_grow(t);
}

/* Offset of the IP header after Ethernet and VLAN tags, or 0. */
static uint32_t
floor_ip(const uint8_t *d, uint32_t len)
{
	uint32_t	off = 12;
	uint16_t	et;

	for (;;) {
		if (off + 2 > len)
			return 0;
		et = (uint16_t)(d[off] << 8 | d[off + 1]);
		if (et != 0x8100 && et != 0x88a8)
			break;
		off += 4;
	}
	return et == 0x0800 || et == 0x86dd ? off + 2 : 0;
}

/* The 5-tuple of the IP packet at ip, ends ordered.  0, or -1. */
static int
floor_key(const uint8_t *ip, uint32_t len, struct floor_key *k)
{
	const uint8_t	*a, *b, *l4 = NULL;
	uint16_t	 pa = 0, pb = 0;
	uint32_t	 alen, hl;
	int		 swap;

	memset(k, 0, sizeof(*k));
	if (len >= 20 && ip[0] >> 4 == 4) {
		hl = (uint32_t)(ip[0] & 15) * 4;
		k->fk_proto = ip[9];
		a = ip + 12;
		b = ip + 16;
		alen = 4;
		if ((ip[6] & 0x1f) == 0 && ip[7] == 0 && hl + 4 <= len)
			l4 = ip + hl;
	} else if (len >= 40 && ip[0] >> 4 == 6) {
		k->fk_proto = ip[6];
		a = ip + 8;
		b = ip + 24;
		alen = 16;
		if (len >= 44)
			l4 = ip + 40;
	} else
		return -1;
	if (l4 != NULL && (k->fk_proto == 6 || k->fk_proto == 17)) {
		pa = (uint16_t)(l4[0] << 8 | l4[1]);
		pb = (uint16_t)(l4[2] << 8 | l4[3]);
	}
	swap = memcmp(a, b, alen) > 0 || (memcmp(a, b, alen) == 0 &&
	    pa > pb);
	memcpy(k->fk_addr[swap], a, alen);
	memcpy(k->fk_addr[!swap], b, alen);
	k->fk_port[swap] = pa;
	k->fk_port[!swap] = pb;
	k->fk_used = 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	char			 err[PCAP_ERRBUF_SIZE];
	struct floor_table	 t;
	struct floor_key	 k;
	struct pcap_pkthdr	*h;
	const uint8_t		*d;
	pcap_t			*pc;
	uint64_t		 pkts = 0, bytes = 0, ip = 0, touch = 0;
	uint32_t		 off;
	int			 hash, rv;

	if (argc != 3 || (strcmp(argv[1], "read") != 0 &&
	    strcmp(argv[1], "hash") != 0)) {
		fprintf(stderr, "usage: bench-floor read|hash FILE\n");
		return 1;
	}
	hash = strcmp(argv[1], "hash") == 0;
	if ((pc = pcap_open_offline(argv[2], err)) == NULL) {
		fprintf(stderr, "bench-floor: %s\n", err);
		return 1;
	}
	memset(&t, 0, sizeof(t));
	floor_alloc(&t, 1 << 16);

	while ((rv = pcap_next_ex(pc, &h, &d)) == 1) {
		pkts++;
		bytes += h->len;
		if ((off = floor_ip(d, h->caplen)) == 0 || off >= h->caplen)
			continue;
		ip++;
		/* read a header byte: keeps the loop honest */
		touch += d[off];
		if (hash && floor_key(d + off, h->caplen - off, &k) == 0)
			floor_count(&t, &k, h->len);
	}
	if (rv == -1)
		fprintf(stderr, "bench-floor: %s\n", pcap_geterr(pc));
	printf("floor: packets=%llu bytes=%llu ip=%llu flows=%zu touch=%llu\n",
	    (unsigned long long)pkts, (unsigned long long)bytes,
	    (unsigned long long)ip, t.ft_n, (unsigned long long)touch);
	pcap_close(pc);
	free(t.ft_slots);
	return rv == -1 ? 1 : 0;
}
