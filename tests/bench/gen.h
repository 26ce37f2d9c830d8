/* SPDX-License-Identifier: ISC */
/*
 * bench-gen: deterministic benchmark captures.  The corpus mix (many
 * shifted, re-addressed copies of the corpus) lives in gen_mix.c; the
 * synthetic captures (short flows, N concurrently active flows) and the
 * shared output, checksum, heap and random helpers in gen.c.
 */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap.h>

#define GEN_SNAPLEN	65535
#define GEN_ETHLEN	14
#define GEN_EPOCH_US	1700000000000000ULL	/* first packet time */

/* A pcap file being written, with totals for the summary line. */
struct gen_out {
	pcap_t		*go_pcap;	/* dead handle: link type */
	pcap_dumper_t	*go_dump;
	FILE		*go_fp;
	uint64_t	 go_pkts;
	uint64_t	 go_wire;	/* wire bytes */
	uint64_t	 go_last;	/* time of the latest packet, us */
};

/* Element of a min-heap on gh_key; the value is the caller's. */
struct gen_heap_item {
	uint64_t	gh_key;
	uint64_t	gh_val;
};

struct gen_heap {
	struct gen_heap_item	*gh_items;
	size_t			 gh_n;
	size_t			 gh_cap;
};

int	gen_out_open(struct gen_out *, const char *path);
void	gen_out_write(struct gen_out *, uint64_t ts_us,
	    const uint8_t *frame, uint32_t caplen, uint32_t wirelen);
int	gen_out_close(struct gen_out *, const char *what);

void	gen_heap_push(struct gen_heap *, uint64_t key, uint64_t val);
int	gen_heap_pop(struct gen_heap *, struct gen_heap_item *);
void	gen_heap_free(struct gen_heap *);

uint64_t gen_mix64(uint64_t);
void	gen_eth(uint8_t *frame, int reverse, uint16_t ethertype);
uint16_t gen_csum_fold(uint32_t sum);
uint32_t gen_csum_add(uint32_t sum, const uint8_t *p, size_t len);

void	*gen_xalloc(size_t n, size_t size);

/* gen_mix.c: capture (a) from a directory of captures. */
int	gen_mix(const char *out, const char *dir, uint64_t target_bytes,
	    unsigned window_s);

#endif /* BENCH_GEN_H */
