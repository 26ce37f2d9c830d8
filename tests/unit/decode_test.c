/* SPDX-License-Identifier: ISC */
/* Decoder: every link type and encapsulation, and each malformation. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"
#include "pktgen.h"

static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10 };
static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x20 };

/* IPv4/TCP 192.0.2.1:1234 -> 198.51.100.2:80, SYN, 100 payload bytes */
static void
ip4_tcp(struct pg *g)
{
	pg_ipv4(g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 6, 140, 7, 0);
	pg_tcp(g, 1234, 80, 0x02, 29200, 5);
	pg_zero(g, 100);
}

static void
assert_ip4_tcp(const struct pkt *p)
{
	const uint8_t	src[4] = { 192, 0, 2, 1 }, dst[4] = { 198, 51, 100, 2 };

	assert_int_equal(p->pk_ipver, 4);
	assert_int_equal(p->pk_proto, 6);
	assert_memory_equal(p->pk_src, src, 4);
	assert_memory_equal(p->pk_dst, dst, 4);
	assert_int_equal(p->pk_sport, 1234);
	assert_int_equal(p->pk_dport, 80);
	assert_int_equal(p->pk_tcpflags, 0x02);
	assert_int_equal(p->pk_win, 29200);
	assert_int_equal(p->pk_iplen, 140);
	assert_int_equal(p->pk_l4hdrlen, 20);
	assert_int_equal(p->pk_payload, 100);
	assert_true(p->pk_hasports);
}

static enum decode_result
dec(int dlt, const struct pg *g, struct pkt *p)
{
	return decode_packet(dlt, g->pg_buf, (uint32_t)g->pg_len,
	    (uint32_t)g->pg_len, 1, p);
}

static void
test_ethernet(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x0800);
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);
	assert_int_equal(p.pk_padding, 0);
}

static void
test_ethernet_padding(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x0800);
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 6, 40, 7, 0);
	pg_tcp(&g, 1234, 80, 0x10, 100, 5);
	pg_zero(&g, 6);		/* 60-byte minimum frame */
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_OK);
	assert_int_equal(p.pk_payload, 0);
	assert_int_equal(p.pk_padding, 6);
}

static void
test_vlan_qinq(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x88a8);
	pg_u16(&g, 100);
	pg_u16(&g, 0x8100);
	pg_u16(&g, 200);
	pg_u16(&g, 0x0800);
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);
}

static void
test_vlan_alone(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x8100);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_ERR_ENCAP);
}

static void
test_mpls(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x8847);
	pg_u32(&g, 16u << 12 | 64);		/* label 16, not bottom */
	pg_u32(&g, 17u << 12 | 0x100 | 64);	/* label 17, bottom */
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);
}

static void
test_mpls_no_bottom(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x8847);
	pg_u32(&g, 16u << 12 | 64);
	pg_u32(&g, 17u << 12 | 64);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_ERR_ENCAP);
}

static void
test_pppoe(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x8864);
	pg_u8(&g, 0x11);
	pg_u8(&g, 0);
	pg_u16(&g, 1);
	pg_u16(&g, 142);
	pg_u16(&g, 0x0021);
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);
}

static void
test_sll(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_zero(&g, 14);
	pg_u16(&g, 0x0800);
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_LINUX_SLL, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);
}

static void
test_sll2(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_u16(&g, 0x0800);
	pg_zero(&g, 18);
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_LINUX_SLL2, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);
}

static void
test_raw(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;
	const int	dlts[] = { DECODE_DLT_RAW, DECODE_DLT_RAW14,
	    DECODE_DLT_LINKTYPE_RAW, DECODE_DLT_IPV4 };
	size_t		i;

	(void)state;
	ip4_tcp(&g);
	for (i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		assert_int_equal(dec(dlts[i], &g, &p), DECODE_OK);
		assert_ip4_tcp(&p);
	}
}

static void
test_raw_ipv6(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_ipv6(&g, v6a, v6b, 17, 20);
	pg_udp(&g, 5353, 53, 20);
	pg_zero(&g, 12);
	assert_int_equal(dec(DECODE_DLT_IPV6, &g, &p), DECODE_OK);
	assert_int_equal(p.pk_ipver, 6);
	assert_memory_equal(p.pk_src, v6a, 16);
	assert_int_equal(p.pk_sport, 5353);
	assert_int_equal(p.pk_payload, 12);
	assert_int_equal(p.pk_iplen, 60);
	/* DLT_IPV4 refuses an IPv6 packet */
	assert_int_equal(dec(DECODE_DLT_IPV4, &g, &p), DECODE_ERR_L3);
}

static void
test_null_loop(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;
	uint8_t		le_inet[4] = { 2, 0, 0, 0 };

	(void)state;
	pg_put(&g, le_inet, 4);		/* DLT_NULL, little-endian writer */
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_NULL, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);

	g.pg_len = 0;
	pg_u32(&g, 30);			/* DLT_LOOP, AF_INET6 of macOS */
	pg_ipv6(&g, v6a, v6b, 17, 8);
	pg_udp(&g, 1, 2, 8);
	assert_int_equal(dec(DECODE_DLT_LOOP, &g, &p), DECODE_OK);
	assert_int_equal(p.pk_ipver, 6);
}

static void
test_ppp(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_u8(&g, 0xff);
	pg_u8(&g, 0x03);
	pg_u16(&g, 0x0021);
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_PPP, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);

	g.pg_len = 0;
	pg_u16(&g, 0x0021);		/* no address/control bytes */
	ip4_tcp(&g);
	assert_int_equal(dec(DECODE_DLT_PPP_SERIAL, &g, &p), DECODE_OK);
	assert_ip4_tcp(&p);
}

static void
test_unknown_linktype(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	ip4_tcp(&g);
	assert_int_equal(dec(105, &g, &p), DECODE_ERR_LINKTYPE);
	assert_false(decode_linktype_supported(105));
	assert_true(decode_linktype_supported(DECODE_DLT_LINUX_SLL2));
}

static void
test_non_ip(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x0806);	/* ARP */
	pg_zero(&g, 28);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_UNSUPPORTED);
}

/* Snap length 64: sizes still come from the IP header. */
static void
test_truncated(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_eth(&g, 0x0800);
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 6, 1500, 1, 0);
	pg_tcp(&g, 443, 50000, 0x10, 500, 5);
	pg_zero(&g, 1460);
	assert_int_equal(decode_packet(DECODE_DLT_EN10MB, g.pg_buf, 64,
	    (uint32_t)g.pg_len, 1, &p), DECODE_OK);
	assert_int_equal(p.pk_payload, 1460);
	assert_int_equal(p.pk_win, 500);
	assert_int_equal(p.pk_iplen, 1500);
}

static void
test_ipv4_malformed(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	/* total length beyond the frame, nothing cut by the snap length */
	pg_eth(&g, 0x0800);
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 6, 1500, 1, 0);
	pg_tcp(&g, 1, 2, 0x10, 1, 5);
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_ERR_L3);

	/* IHL 4 */
	g.pg_buf[14] = 0x44;
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_ERR_L3);

	/* short frame */
	g.pg_len = 10;
	assert_int_equal(dec(DECODE_DLT_EN10MB, &g, &p), DECODE_ERR_LINK);
	assert_int_equal(decode_packet(DECODE_DLT_EN10MB, g.pg_buf, 0, 60, 1,
	    &p), DECODE_ERR_LINK);
}

static void
test_tcp_udp_malformed(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 6, 40, 1, 0);
	pg_tcp(&g, 1, 2, 0x10, 1, 5);
	g.pg_buf[20 + 12] = 2 << 4;		/* data offset 2 */
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_ERR_L4);
	g.pg_buf[20 + 12] = 15 << 4;		/* 60 bytes, 20 present */
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_ERR_L4);

	g.pg_len = 0;
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 17, 28, 1, 0);
	pg_udp(&g, 1, 2, 4);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_ERR_L4);
	g.pg_buf[20 + 4] = 2000 >> 8;
	g.pg_buf[20 + 5] = 2000 & 0xff;
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_ERR_L4);
}

static void
test_tcp_options(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;
	size_t		o;

	(void)state;
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 6, 60, 1, 0);
	pg_tcp(&g, 1, 2, 0x02, 64240, 10);
	o = 20 + 20;
	/* MSS 1460, SACK permitted, timestamps, NOP, window scale 7 */
	memcpy(g.pg_buf + o, "\x02\x04\x05\xb4\x04\x02\x08\x0a"
	    "\0\0\0\1\0\0\0\0\x01\x03\x03\x07", 20);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_OK);
	assert_int_equal(p.pk_mss, 1460);
	assert_int_equal(p.pk_wscale, 7);
	assert_int_equal(p.pk_tcpopt, TCPOPT_HAS_MSS | TCPOPT_HAS_WSCALE |
	    TCPOPT_HAS_SACKOK | TCPOPT_HAS_TS);
	assert_int_equal(p.pk_l4hdrlen, 40);
}

static void
test_ipv6_ext(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_ipv6(&g, v6a, v6b, 60, 8 + 8 + 4);
	pg_u8(&g, 17);		/* destination options: next UDP */
	pg_u8(&g, 0);		/* 8 bytes */
	pg_zero(&g, 6);
	pg_udp(&g, 53000, 53, 12);
	pg_zero(&g, 4);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_OK);
	assert_int_equal(p.pk_proto, 17);
	assert_int_equal(p.pk_sport, 53000);
	assert_int_equal(p.pk_dport, 53);
	assert_int_equal(p.pk_payload, 4);
	assert_int_equal(p.pk_iphdrlen, 48);

	/* a hop-by-hop header claiming 2048 bytes */
	g.pg_len = 0;
	pg_ipv6(&g, v6a, v6b, 0, 16);
	pg_u8(&g, 17);
	pg_u8(&g, 255);
	pg_zero(&g, 14);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_ERR_L3);
}

static void
test_ipv6_fragment(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_ipv6(&g, v6a, v6b, 44, 8 + 16);
	pg_u8(&g, 17);
	pg_u8(&g, 0);
	pg_u16(&g, 1448);	/* offset 1448, last fragment */
	pg_u32(&g, 0xabcd);
	pg_zero(&g, 16);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_OK);
	assert_true(p.pk_frag);
	assert_false(p.pk_fragfirst);
	assert_false(p.pk_hasports);
	assert_int_equal(p.pk_ipid, 0xabcd);
	assert_int_equal(p.pk_payload, 16);
}

static void
test_icmp(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 1, 84, 1, 0);
	pg_u8(&g, 8);		/* echo request */
	pg_u8(&g, 0);
	pg_u16(&g, 0);
	pg_u16(&g, 0x1234);
	pg_u16(&g, 1);
	pg_zero(&g, 56);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_OK);
	assert_int_equal(p.pk_sport, 0x1234);
	assert_int_equal(p.pk_dport, 0x1234);
	assert_int_equal(p.pk_payload, 56);
	assert_false(p.pk_icmperr);

	/* port unreachable quoting a UDP header */
	g.pg_len = 0;
	pg_ipv4(&g, IP4(198, 51, 100, 2), IP4(192, 0, 2, 1), 1, 56, 2, 0);
	pg_u8(&g, 3);
	pg_u8(&g, 3);
	pg_zero(&g, 6);
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 17, 40, 1, 0);
	pg_udp(&g, 40000, 53, 20);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_OK);
	assert_true(p.pk_icmperr);
	assert_int_equal(p.pk_inproto, 17);
	assert_int_equal(p.pk_insport, 40000);
	assert_int_equal(p.pk_indport, 53);
	assert_int_equal(p.pk_sport, 3 << 8 | 3);
}

static void
test_ipv4_fragment_first(void **state)
{
	struct pg	g = { .pg_len = 0 };
	struct pkt	p;

	(void)state;
	/* first fragment of a 3000-byte UDP datagram: UDP length > IP */
	pg_ipv4(&g, IP4(192, 0, 2, 1), IP4(198, 51, 100, 2), 17, 1500, 9,
	    0x2000);
	pg_udp(&g, 5000, 6000, 3000);
	pg_zero(&g, 1472);
	assert_int_equal(dec(DECODE_DLT_RAW, &g, &p), DECODE_OK);
	assert_true(p.pk_frag);
	assert_true(p.pk_fragfirst);
	assert_int_equal(p.pk_sport, 5000);
	assert_int_equal(p.pk_payload, 1472);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_ethernet_padding),
		cmocka_unit_test(test_vlan_qinq),
		cmocka_unit_test(test_vlan_alone),
		cmocka_unit_test(test_mpls),
		cmocka_unit_test(test_mpls_no_bottom),
		cmocka_unit_test(test_pppoe),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_sll2),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_raw_ipv6),
		cmocka_unit_test(test_null_loop),
		cmocka_unit_test(test_ppp),
		cmocka_unit_test(test_unknown_linktype),
		cmocka_unit_test(test_non_ip),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_ipv4_malformed),
		cmocka_unit_test(test_tcp_udp_malformed),
		cmocka_unit_test(test_tcp_options),
		cmocka_unit_test(test_ipv6_ext),
		cmocka_unit_test(test_ipv6_fragment),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_ipv4_fragment_first),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
