/* SPDX-License-Identifier: ISC */
/*
 * Test helpers: build IPv4/IPv6 TCP/UDP/ICMP packets and wrap them in
 * link headers, byte by byte, so the decoder is tested on wire bytes.
 */
#ifndef FLOWID_TEST_PKTGEN_H
#define FLOWID_TEST_PKTGEN_H

#include <stddef.h>
#include <stdint.h>

#define PG_MAX	2048

struct pg {
	uint8_t		pg_buf[PG_MAX];
	size_t		pg_len;
};

/* Append helpers; return the offset where the bytes went. */
size_t	pg_put(struct pg *, const void *, size_t);
size_t	pg_u8(struct pg *, uint8_t);
size_t	pg_u16(struct pg *, uint16_t);
size_t	pg_u32(struct pg *, uint32_t);
void	pg_zero(struct pg *, size_t);

/* An IPv4 header (20 bytes) with total length iplen. */
void	pg_ipv4(struct pg *, uint32_t src, uint32_t dst, uint8_t proto,
	    uint16_t iplen, uint16_t id, uint16_t fragword);

/* An IPv6 header with payload length plen, next header nh. */
void	pg_ipv6(struct pg *, const uint8_t src[16], const uint8_t dst[16],
	    uint8_t nh, uint16_t plen);

/* TCP header of doff*4 bytes (options zero-padded) */
void	pg_tcp(struct pg *, uint16_t sport, uint16_t dport, uint8_t flags,
	    uint16_t win, uint8_t doff);
void	pg_udp(struct pg *, uint16_t sport, uint16_t dport, uint16_t ulen);

/* A whole Ethernet + IPv4 + TCP frame with payload bytes of zeros. */
void	pg_eth_tcp4(struct pg *, uint32_t src, uint16_t sport, uint32_t dst,
	    uint16_t dport, uint8_t flags, size_t payload);
void	pg_eth_udp4(struct pg *, uint32_t src, uint16_t sport, uint32_t dst,
	    uint16_t dport, size_t payload);

/* A 16-byte address holding the IPv4 address b0.b1.b2.b3. */
void	pg_addr4(uint8_t a[16], int b0, int b1, int b2, int b3);

/* Ethernet header with the given EtherType. */
void	pg_eth(struct pg *, uint16_t type);

#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

#endif
