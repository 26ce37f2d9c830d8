/* SPDX-License-Identifier: ISC */
/* Byte-level packet builders for the unit tests. */

#include <string.h>

#include "pktgen.h"

size_t
pg_put(struct pg *g, const void *p, size_t n)
{
	size_t	off = g->pg_len;

	memcpy(g->pg_buf + g->pg_len, p, n);
	g->pg_len += n;
	return off;
}

size_t
pg_u8(struct pg *g, uint8_t v)
{
	return pg_put(g, &v, 1);
}

size_t
pg_u16(struct pg *g, uint16_t v)
{
	uint8_t	b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return pg_put(g, b, 2);
}

size_t
pg_u32(struct pg *g, uint32_t v)
{
	uint8_t	b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return pg_put(g, b, 4);
}

void
pg_zero(struct pg *g, size_t n)
{
	memset(g->pg_buf + g->pg_len, 0, n);
	g->pg_len += n;
}

void
pg_ipv4(struct pg *g, uint32_t src, uint32_t dst, uint8_t proto,
    uint16_t iplen, uint16_t id, uint16_t fragword)
{
	pg_u8(g, 0x45);
	pg_u8(g, 0);
	pg_u16(g, iplen);
	pg_u16(g, id);
	pg_u16(g, fragword);
	pg_u8(g, 64);
	pg_u8(g, proto);
	pg_u16(g, 0);
	pg_u32(g, src);
	pg_u32(g, dst);
}

void
pg_ipv6(struct pg *g, const uint8_t src[16], const uint8_t dst[16],
    uint8_t nh, uint16_t plen)
{
	pg_u32(g, 0x60000000);
	pg_u16(g, plen);
	pg_u8(g, nh);
	pg_u8(g, 64);
	pg_put(g, src, 16);
	pg_put(g, dst, 16);
}

void
pg_tcp(struct pg *g, uint16_t sport, uint16_t dport, uint8_t flags,
    uint16_t win, uint8_t doff)
{
	pg_u16(g, sport);
	pg_u16(g, dport);
	pg_u32(g, 1000);
	pg_u32(g, 0);
	pg_u8(g, (uint8_t)(doff << 4));
	pg_u8(g, flags);
	pg_u16(g, win);
	pg_u16(g, 0);
	pg_u16(g, 0);
	pg_zero(g, (size_t)doff * 4 - 20);
}

void
pg_udp(struct pg *g, uint16_t sport, uint16_t dport, uint16_t ulen)
{
	pg_u16(g, sport);
	pg_u16(g, dport);
	pg_u16(g, ulen);
	pg_u16(g, 0);
}

void
pg_eth(struct pg *g, uint16_t type)
{
	pg_zero(g, 12);
	pg_u16(g, type);
}

void
pg_eth_tcp4(struct pg *g, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, uint8_t flags, size_t payload)
{
	pg_eth(g, 0x0800);
	pg_ipv4(g, src, dst, 6, (uint16_t)(40 + payload), 1, 0);
	pg_tcp(g, sport, dport, flags, 1000, 5);
	pg_zero(g, payload);
}

void
pg_eth_udp4(struct pg *g, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, size_t payload)
{
	pg_eth(g, 0x0800);
	pg_ipv4(g, src, dst, 17, (uint16_t)(28 + payload), 1, 0);
	pg_udp(g, sport, dport, (uint16_t)(8 + payload));
	pg_zero(g, payload);
}

void
pg_addr4(uint8_t a[16], int b0, int b1, int b2, int b3)
{
	memset(a, 0, 16);
	a[0] = (uint8_t)b0;
	a[1] = (uint8_t)b1;
	a[2] = (uint8_t)b2;
	a[3] = (uint8_t)b3;
}
