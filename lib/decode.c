/* SPDX-License-Identifier: ISC */
/*
 * Frame decoding: link layer, VLAN/MPLS/PPPoE encapsulations, IPv4/IPv6
 * (extension headers walked), then TCP, UDP, ICMP and ICMPv6 headers.
 * Every read goes through the cursor accessors below, which fail when the
 * bytes were not captured.  Lengths are checked in the order minimum
 * header, header-length field, total-length field, so a malformed frame
 * is rejected at the first layer that does not add up.  No state, no
 * allocation, no logging: the caller counts the result.
 */

#include <string.h>

#include "decode.h"

/* A window over captured bytes; every accessor checks against c_len. */
struct cursor {
	const uint8_t	*c_p;
	uint32_t	 c_len;
};

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100
#define ETHERTYPE_MPLS		0x8847
#define ETHERTYPE_MPLS_MC	0x8848
#define ETHERTYPE_PPPOE		0x8864

#define PPP_PROTO_IPV4		0x0021
#define PPP_PROTO_IPV6		0x0057

#define DECODE_MAX_TAGS		8	/* VLAN tags or MPLS labels */
#define DECODE_MAX_TUNNELS	4	/* IP-in-IP / GRE layers opened */
#define DECODE_MAX_EXTHDRS	16	/* IPv6 extension headers walked */

static bool
cur_has(const struct cursor *c, uint32_t off, uint32_t n)
{
	return off <= c->c_len && n <= c->c_len - off;
}

static bool
cur_u8(const struct cursor *c, uint32_t off, uint8_t *v)
{
	if (!cur_has(c, off, 1))
		return false;
	*v = c->c_p[off];
	return true;
}

static bool
cur_u16(const struct cursor *c, uint32_t off, uint16_t *v)
{
	if (!cur_has(c, off, 2))
		return false;
	*v = (uint16_t)(c->c_p[off] << 8 | c->c_p[off + 1]);
	return true;
}

static bool
cur_u32(const struct cursor *c, uint32_t off, uint32_t *v)
{
	if (!cur_has(c, off, 4))
		return false;
	*v = (uint32_t)c->c_p[off] << 24 | (uint32_t)c->c_p[off + 1] << 16 |
	    (uint32_t)c->c_p[off + 2] << 8 | c->c_p[off + 3];
	return true;
}

static bool
cur_bytes(const struct cursor *c, uint32_t off, void *dst, uint32_t n)
{
	if (!cur_has(c, off, n))
		return false;
	memcpy(dst, c->c_p + off, n);
	return true;
}

/* Advance by n bytes; fails if they were not captured. */
static bool
cur_skip(struct cursor *c, uint32_t n)
{
	if (!cur_has(c, 0, n))
		return false;
	c->c_p += n;
	c->c_len -= n;
	return true;
}

/*
 * Decoding state for one frame: the cursor, and how many bytes the wire
 * frame still holds from the cursor on (it may exceed c_len when the
 * snap length cut the frame).
 */
struct dstate {
	struct cursor	 ds_cur;
	uint32_t	 ds_wire;
	struct pkt	*ds_pkt;
	int		 ds_tunnels;	/* tunnel layers opened so far */
};

static bool
ds_skip(struct dstate *ds, uint32_t n)
{
	if (!cur_skip(&ds->ds_cur, n) || ds->ds_wire < n)
		return false;
	ds->ds_wire -= n;
	return true;
}

static enum decode_result decode_ethertype(struct dstate *, uint16_t);
static enum decode_result decode_ether(struct dstate *);
static enum decode_result decode_ip(struct dstate *);
static enum decode_result decode_ipv4(struct dstate *);
static enum decode_result decode_ipv6(struct dstate *);

/* TCP options (RFC 793 kinds 0/1, RFC 6691 MSS, RFC 7323, RFC 2018). */
static void
decode_tcp_options(const struct cursor *c, uint32_t hlen, struct pkt *p)
{
	uint32_t	off = 20;
	uint8_t		kind, len;

	while (off < hlen) {
		if (!cur_u8(c, off, &kind) || kind == 0)
			return;
		if (kind == 1) {
			off++;
			continue;
		}
		if (!cur_u8(c, off + 1, &len) || len < 2 || off + len > hlen)
			return;
		switch (kind) {
		case 2:
			if (len == 4 && cur_u16(c, off + 2, &p->pk_mss))
				p->pk_tcpopt |= TCPOPT_HAS_MSS;
			break;
		case 3:
			if (len == 3 && cur_u8(c, off + 2, &p->pk_wscale))
				p->pk_tcpopt |= TCPOPT_HAS_WSCALE;
			break;
		case 4:
			p->pk_tcpopt |= TCPOPT_HAS_SACKOK;
			break;
		case 8:
			p->pk_tcpopt |= TCPOPT_HAS_TS;
			break;
		}
		off += len;
	}
}

/* TCP, RFC 793.  l4len is the L4 length the IP header announces. */
static enum decode_result
decode_tcp(const struct cursor *c, uint32_t l4len, struct pkt *p)
{
	uint8_t		doff, flags;
	uint32_t	hlen;

	if (!cur_u16(c, 0, &p->pk_sport) || !cur_u16(c, 2, &p->pk_dport) ||
	    !cur_u8(c, 12, &doff) || !cur_u8(c, 13, &flags) ||
	    !cur_u16(c, 14, &p->pk_win) || l4len < 20)
		return DECODE_ERR_L4;

	hlen = (uint32_t)(doff >> 4) * 4;
	if (hlen < 20 || hlen > l4len)
		return DECODE_ERR_L4;

	p->pk_tcpflags = flags;
	p->pk_l4hdrlen = (uint16_t)hlen;
	p->pk_payload = (uint16_t)(l4len - hlen);
	p->pk_hasports = true;
	decode_tcp_options(c, hlen, p);
	return DECODE_OK;
}

/* UDP, RFC 768.  A first fragment's UDP length covers later fragments. */
static enum decode_result
decode_udp(const struct cursor *c, uint32_t l4len, struct pkt *p)
{
	uint16_t	ulen;

	if (!cur_u16(c, 0, &p->pk_sport) || !cur_u16(c, 2, &p->pk_dport) ||
	    !cur_u16(c, 4, &ulen) || l4len < 8)
		return DECODE_ERR_L4;
	if (ulen < 8 || (!p->pk_frag && ulen > l4len))
		return DECODE_ERR_L4;

	p->pk_l4hdrlen = 8;
	p->pk_payload = (uint16_t)(l4len - 8);
	p->pk_hasports = true;
	return DECODE_OK;
}

/*
 * The header an ICMP error quotes (RFC 792: IP header plus at least 8
 * bytes).  Best effort: a short quote leaves pk_icmperr false.
 */
static void
decode_icmp_quote(const struct cursor *c, struct pkt *p)
{
	uint8_t		vihl, proto, flags;
	uint32_t	ihl;

	if (!cur_u8(c, 8, &vihl) || vihl >> 4 != 4)
		return;
	ihl = (uint32_t)(vihl & 0x0f) * 4;
	if (ihl < 20 || !cur_u8(c, 8 + 9, &proto))
		return;
	if (proto != 6 && proto != 17)
		return;
	if (!cur_u16(c, 8 + ihl, &p->pk_insport) ||
	    !cur_u16(c, 8 + ihl + 2, &p->pk_indport))
		return;
	if (proto == 6 && cur_u8(c, 8 + ihl + 13, &flags) &&
	    cur_u16(c, 8 + ihl + 14, &p->pk_inwin))
		p->pk_inflags = flags;
	if (proto == 6 && cur_u8(c, 8 + ihl + 12, &flags))
		p->pk_inhdrlen = (uint8_t)((flags >> 4) * 4);
	else if (proto == 17)
		p->pk_inhdrlen = 8;
	p->pk_inproto = proto;
	p->pk_icmperr = true;
}

/*
 * ICMP (RFC 792) and ICMPv6 (RFC 4443).  Echo request and reply share
 * the identifier, so it stands in both ports and keys the exchange;
 * other messages are keyed by type and code.
 */
static enum decode_result
decode_icmp(const struct cursor *c, uint32_t l4len, struct pkt *p)
{
	uint8_t		type, code;
	uint16_t	id;
	bool		echo, error;

	if (!cur_u8(c, 0, &type) || !cur_u8(c, 1, &code) ||
	    !cur_u16(c, 4, &id) || l4len < 8)
		return DECODE_ERR_L4;

	if (p->pk_proto == 1) {
		echo = type == 0 || type == 8;
		error = type == 3 || type == 11 || type == 12;
	} else {
		echo = type == 128 || type == 129;
		error = type >= 1 && type <= 4;
	}
	p->pk_icmptype = type;
	p->pk_sport = p->pk_dport = echo ? id : (uint16_t)(type << 8 | code);
	p->pk_l4hdrlen = 8;
	p->pk_payload = (uint16_t)(l4len - 8);
	p->pk_hasports = true;
	if (error && p->pk_proto == 1)
		decode_icmp_quote(c, p);
	return DECODE_OK;
}

/*
 * GRE (RFC 2784, key and sequence of RFC 2890) carrying IP, Ethernet
 * (transparent bridging) or ERSPAN type II/III mirrored frames.
 */
static enum decode_result
decode_gre(struct dstate *ds)
{
	uint16_t	flags, proto;
	uint32_t	hlen = 4;
	uint8_t		b;

	if (!cur_u16(&ds->ds_cur, 0, &flags) ||
	    !cur_u16(&ds->ds_cur, 2, &proto) || (flags & 0x0007) != 0)
		return DECODE_UNSUPPORTED;
	hlen += (flags & 0x8000) ? 4 : 0;
	hlen += (flags & 0x2000) ? 4 : 0;
	hlen += (flags & 0x1000) ? 4 : 0;
	if (!ds_skip(ds, hlen))
		return DECODE_ERR_ENCAP;
	switch (proto) {
	case 0x88be:	/* ERSPAN II: 8-byte header, then Ethernet */
		if (!ds_skip(ds, 8))
			return DECODE_ERR_ENCAP;
		return decode_ether(ds);
	case 0x22eb:	/* ERSPAN III: 12 bytes, 8 more with O bit */
		if (!cur_u8(&ds->ds_cur, 11, &b) ||
		    !ds_skip(ds, (b & 0x01) ? 20 : 12))
			return DECODE_ERR_ENCAP;
		return decode_ether(ds);
	case 0x6558:
		return decode_ether(ds);
	default:
		return decode_ethertype(ds, proto);
	}
}

/*
 * Open a tunnel (IP in IP, IPv6 in IP, GRE) so the flow is the inner
 * one, as nDPI and the applications see it.  When the inner packet does
 * not decode, the outer packet stands as a port-less flow.
 */
static bool
decode_tunnel(struct dstate *ds)
{
	struct dstate	 saved = *ds;
	struct pkt	 outer = *ds->ds_pkt;
	uint8_t		 proto = outer.pk_proto;
	enum decode_result r;

	if (ds->ds_tunnels == DECODE_MAX_TUNNELS || outer.pk_frag)
		return false;
	ds->ds_tunnels++;
	if (proto == 4)
		r = decode_ipv4(ds);
	else if (proto == 41)
		r = decode_ipv6(ds);
	else
		r = decode_gre(ds);
	if (r == DECODE_OK)
		return true;
	*ds = saved;
	*ds->ds_pkt = outer;
	return false;
}

static enum decode_result
decode_l4(struct dstate *ds, uint32_t l4len)
{
	struct pkt	*p = ds->ds_pkt;

	/* Later fragments carry no L4 header; frag.c finds their ports. */
	if (p->pk_frag && !p->pk_fragfirst) {
		p->pk_payload = (uint16_t)l4len;
		return DECODE_OK;
	}
	switch (p->pk_proto) {
	case 6:
		return decode_tcp(&ds->ds_cur, l4len, p);
	case 17:
		return decode_udp(&ds->ds_cur, l4len, p);
	case 1:
	case 58:
		return decode_icmp(&ds->ds_cur, l4len, p);
	case 4:
	case 41:
	case 47:
		if (decode_tunnel(ds))
			return DECODE_OK;
		/* FALLTHROUGH */
	default:
		p->pk_payload = (uint16_t)l4len;
		return DECODE_OK;
	}
}

/* IPv4, RFC 791. */
static enum decode_result
decode_ipv4(struct dstate *ds)
{
	struct pkt	*p = ds->ds_pkt;
	uint8_t		 vihl;
	uint16_t	 tlen, id, frag;
	uint32_t	 ihl;

	if (!cur_has(&ds->ds_cur, 0, 20) || !cur_u8(&ds->ds_cur, 0, &vihl))
		return DECODE_ERR_L3;
	ihl = (uint32_t)(vihl & 0x0f) * 4;
	if (vihl >> 4 != 4 || ihl < 20 || !cur_has(&ds->ds_cur, 0, ihl))
		return DECODE_ERR_L3;
	if (!cur_u16(&ds->ds_cur, 2, &tlen) || tlen < ihl ||
	    tlen > ds->ds_wire)
		return DECODE_ERR_L3;

	if (!cur_u16(&ds->ds_cur, 4, &id) || !cur_u16(&ds->ds_cur, 6, &frag) ||
	    !cur_u8(&ds->ds_cur, 8, &p->pk_ttl) ||
	    !cur_u8(&ds->ds_cur, 9, &p->pk_proto) ||
	    !cur_bytes(&ds->ds_cur, 12, p->pk_src, 4) ||
	    !cur_bytes(&ds->ds_cur, 16, p->pk_dst, 4))
		return DECODE_ERR_L3;

	p->pk_ipver = 4;
	p->pk_ipid = id;
	p->pk_iplen = tlen;
	p->pk_iphdrlen = (uint16_t)ihl;
	p->pk_padding = (uint16_t)(ds->ds_wire - tlen);
	p->pk_fragoff = (uint16_t)((frag & 0x1fff) * 8);
	p->pk_frag = (frag & 0x2000) != 0 || p->pk_fragoff != 0;
	p->pk_fragfirst = p->pk_fragoff == 0;

	if (!ds_skip(ds, ihl))
		return DECODE_ERR_L3;
	return decode_l4(ds, tlen - ihl);
}

static bool
ipv6_is_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60 ||
	    nh == 135 || nh == 139 || nh == 140;
}

/*
 * Walk IPv6 extension headers (RFC 8200 section 4).  left is what the
 * payload length field says remains; each header must fit inside it.
 */
static enum decode_result
decode_ipv6_ext(struct dstate *ds, uint8_t *nh, uint32_t *left)
{
	struct pkt	*p = ds->ds_pkt;
	uint8_t		 next, hlen;
	uint16_t	 offflags;
	uint32_t	 len, id;
	int		 n;

	for (n = 0; ipv6_is_ext(*nh); n++) {
		if (n == DECODE_MAX_EXTHDRS)
			return DECODE_ERR_L3;
		if (!cur_u8(&ds->ds_cur, 0, &next) ||
		    !cur_u8(&ds->ds_cur, 1, &hlen))
			return DECODE_ERR_L3;
		if (*nh == 44) {
			if (!cur_u16(&ds->ds_cur, 2, &offflags) ||
			    !cur_u32(&ds->ds_cur, 4, &id))
				return DECODE_ERR_L3;
			len = 8;
			p->pk_fragoff = offflags & 0xfff8;
			p->pk_frag = true;
			p->pk_fragfirst = p->pk_fragoff == 0;
			p->pk_ipid = id;
		} else if (*nh == 51)
			len = ((uint32_t)hlen + 2) * 4;	/* RFC 4302 */
		else
			len = ((uint32_t)hlen + 1) * 8;
		if (len > *left || !ds_skip(ds, len))
			return DECODE_ERR_L3;
		*left -= len;
		p->pk_iphdrlen += len;
		*nh = next;
	}
	return DECODE_OK;
}

/* IPv6, RFC 8200.  A zero payload length (jumbogram) is not handled. */
static enum decode_result
decode_ipv6(struct dstate *ds)
{
	struct pkt		*p = ds->ds_pkt;
	uint8_t			 v, nh;
	uint16_t		 plen;
	uint32_t		 left;
	enum decode_result	 r;

	if (!cur_has(&ds->ds_cur, 0, 40) || !cur_u8(&ds->ds_cur, 0, &v) ||
	    v >> 4 != 6)
		return DECODE_ERR_L3;
	if (!cur_u16(&ds->ds_cur, 4, &plen) || plen == 0 ||
	    40u + plen > ds->ds_wire)
		return DECODE_ERR_L3;
	if (!cur_u8(&ds->ds_cur, 6, &nh) || !cur_u8(&ds->ds_cur, 7, &p->pk_ttl) ||
	    !cur_bytes(&ds->ds_cur, 8, p->pk_src, 16) ||
	    !cur_bytes(&ds->ds_cur, 24, p->pk_dst, 16))
		return DECODE_ERR_L3;

	p->pk_ipver = 6;
	p->pk_iplen = 40u + plen;
	p->pk_iphdrlen = 40;
	p->pk_padding = (uint16_t)(ds->ds_wire - p->pk_iplen);
	if (!ds_skip(ds, 40))
		return DECODE_ERR_L3;

	left = plen;
	if ((r = decode_ipv6_ext(ds, &nh, &left)) != DECODE_OK)
		return r;
	p->pk_proto = nh;
	return decode_l4(ds, left);
}

/* Pick IPv4 or IPv6 by the version nibble (raw IP, MPLS payloads). */
static enum decode_result
decode_ip(struct dstate *ds)
{
	uint8_t		v;

	if (!cur_u8(&ds->ds_cur, 0, &v))
		return DECODE_ERR_L3;
	switch (v >> 4) {
	case 4:
		return decode_ipv4(ds);
	case 6:
		return decode_ipv6(ds);
	default:
		return DECODE_ERR_L3;
	}
}

/* 802.1Q / 802.1ad tags: TCI, then the inner EtherType. */
static enum decode_result
decode_vlan(struct dstate *ds)
{
	uint16_t	type;
	int		n;

	for (n = 0; n < DECODE_MAX_TAGS; n++) {
		if (!cur_u16(&ds->ds_cur, 2, &type) || !ds_skip(ds, 4))
			return DECODE_ERR_ENCAP;
		if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ &&
		    type != ETHERTYPE_QINQ_OLD)
			return decode_ethertype(ds, type);
	}
	return DECODE_ERR_ENCAP;
}

/* MPLS label stack (RFC 3032) down to the bottom-of-stack entry. */
static enum decode_result
decode_mpls(struct dstate *ds)
{
	uint32_t	entry;
	int		n;

	for (n = 0; n < DECODE_MAX_TAGS; n++) {
		if (!cur_u32(&ds->ds_cur, 0, &entry) || !ds_skip(ds, 4))
			return DECODE_ERR_ENCAP;
		if (entry & 0x100)
			return decode_ip(ds);
	}
	return DECODE_ERR_ENCAP;
}

static enum decode_result
decode_ppp_proto(struct dstate *ds, uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_IPV4:
		return decode_ipv4(ds);
	case PPP_PROTO_IPV6:
		return decode_ipv6(ds);
	default:
		return DECODE_UNSUPPORTED;
	}
}

/* PPP (RFC 1661), with or without the HDLC address/control bytes. */
static enum decode_result
decode_ppp(struct dstate *ds)
{
	uint8_t		b0, b1;
	uint16_t	proto;

	if (!cur_u8(&ds->ds_cur, 0, &b0) || !cur_u8(&ds->ds_cur, 1, &b1))
		return DECODE_ERR_LINK;
	if (b0 == 0xff && b1 == 0x03 && !ds_skip(ds, 2))
		return DECODE_ERR_LINK;
	if (!cur_u8(&ds->ds_cur, 0, &b0))
		return DECODE_ERR_LINK;
	if (b0 & 1) {
		/* protocol field compressed to one byte (RFC 1661 6.5) */
		proto = b0;
		if (!ds_skip(ds, 1))
			return DECODE_ERR_LINK;
	} else if (!cur_u16(&ds->ds_cur, 0, &proto) || !ds_skip(ds, 2))
		return DECODE_ERR_LINK;
	return decode_ppp_proto(ds, proto);
}

/* PPPoE session header (RFC 2516): 6 bytes, then a PPP protocol. */
static enum decode_result
decode_pppoe(struct dstate *ds)
{
	uint16_t	proto;

	if (!cur_u16(&ds->ds_cur, 6, &proto) || !ds_skip(ds, 8))
		return DECODE_ERR_ENCAP;
	ds->ds_pkt->pk_encap |= DECODE_ENCAP_PPPOE;
	return decode_ppp_proto(ds, proto);
}

static enum decode_result
decode_ethertype(struct dstate *ds, uint16_t type)
{
	switch (type) {
	case ETHERTYPE_IPV4:
		return decode_ipv4(ds);
	case ETHERTYPE_IPV6:
		return decode_ipv6(ds);
	case ETHERTYPE_VLAN:
	case ETHERTYPE_QINQ:
	case ETHERTYPE_QINQ_OLD:
		return decode_vlan(ds);
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MC:
		return decode_mpls(ds);
	case ETHERTYPE_PPPOE:
		return decode_pppoe(ds);
	default:
		return DECODE_UNSUPPORTED;
	}
}

/* 802.3 length field then LLC/SNAP (RFC 1042): AA AA 03, OUI, type. */
static enum decode_result
decode_llc_snap(struct dstate *ds)
{
	uint8_t		dsap, ssap, ctl;
	uint16_t	type;

	if (!cur_u8(&ds->ds_cur, 0, &dsap) || !cur_u8(&ds->ds_cur, 1, &ssap) ||
	    !cur_u8(&ds->ds_cur, 2, &ctl))
		return DECODE_ERR_LINK;
	if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03)
		return DECODE_UNSUPPORTED;
	if (!cur_u16(&ds->ds_cur, 6, &type) || !ds_skip(ds, 8))
		return DECODE_ERR_LINK;
	return decode_ethertype(ds, type);
}

static enum decode_result
decode_ether(struct dstate *ds)
{
	uint16_t	type;

	if (!cur_u16(&ds->ds_cur, 12, &type) || !ds_skip(ds, 14))
		return DECODE_ERR_LINK;
	if (type <= 1500)
		return decode_llc_snap(ds);
	return decode_ethertype(ds, type);
}

/* Cisco HDLC: address, control, then an EtherType. */
static enum decode_result
decode_chdlc(struct dstate *ds)
{
	uint16_t	type;

	if (!cur_u16(&ds->ds_cur, 2, &type) || !ds_skip(ds, 4))
		return DECODE_ERR_LINK;
	return decode_ethertype(ds, type);
}

/* Linux cooked capture v1: 16 bytes, protocol at offset 14. */
static enum decode_result
decode_sll(struct dstate *ds)
{
	uint16_t	type;

	if (!cur_u16(&ds->ds_cur, 14, &type) || !ds_skip(ds, 16))
		return DECODE_ERR_LINK;
	return decode_ethertype(ds, type);
}

/* Linux cooked capture v2: 20 bytes, protocol at offset 0. */
static enum decode_result
decode_sll2(struct dstate *ds)
{
	uint16_t	type;

	if (!cur_u16(&ds->ds_cur, 0, &type) || !ds_skip(ds, 20))
		return DECODE_ERR_LINK;
	return decode_ethertype(ds, type);
}

/*
 * BSD loopback: a 4-byte address family, in the writer's byte order for
 * DLT_NULL and in network order for DLT_LOOP.  AF_INET6 differs between
 * systems (24, 28, 30 on the BSDs and macOS, 10 on Linux).
 */
static enum decode_result
decode_null(struct dstate *ds)
{
	uint32_t	af, swapped;

	if (!cur_u32(&ds->ds_cur, 0, &af) || !ds_skip(ds, 4))
		return DECODE_ERR_LINK;
	swapped = (af >> 24) | ((af >> 8) & 0xff00) |
	    ((af << 8) & 0xff0000) | (af << 24);
	if (af > 0xffff)
		af = swapped;
	switch (af) {
	case 2:
		return decode_ipv4(ds);
	case 10:
	case 24:
	case 28:
	case 30:
		return decode_ipv6(ds);
	default:
		return DECODE_UNSUPPORTED;
	}
}

bool
decode_linktype_supported(int dlt)
{
	switch (dlt) {
	case DECODE_DLT_NULL:
	case DECODE_DLT_EN10MB:
	case DECODE_DLT_PPP:
	case DECODE_DLT_RAW:
	case DECODE_DLT_RAW14:
	case DECODE_DLT_PPP_SERIAL:
	case DECODE_DLT_PPP_ETHER:
	case DECODE_DLT_LINKTYPE_RAW:
	case DECODE_DLT_LOOP:
	case DECODE_DLT_LINUX_SLL:
	case DECODE_DLT_IPV4:
	case DECODE_DLT_IPV6:
	case DECODE_DLT_LINUX_SLL2:
	case DECODE_DLT_C_HDLC:
		return true;
	default:
		return false;
	}
}

static enum decode_result
decode_link(int dlt, struct dstate *ds)
{
	switch (dlt) {
	case DECODE_DLT_EN10MB:
		return decode_ether(ds);
	case DECODE_DLT_LINUX_SLL:
		return decode_sll(ds);
	case DECODE_DLT_LINUX_SLL2:
		return decode_sll2(ds);
	case DECODE_DLT_RAW:
	case DECODE_DLT_RAW14:
	case DECODE_DLT_LINKTYPE_RAW:
		return decode_ip(ds);
	case DECODE_DLT_IPV4:
		return decode_ipv4(ds);
	case DECODE_DLT_IPV6:
		return decode_ipv6(ds);
	case DECODE_DLT_NULL:
	case DECODE_DLT_LOOP:
		return decode_null(ds);
	case DECODE_DLT_PPP:
	case DECODE_DLT_PPP_SERIAL:
		return decode_ppp(ds);
	case DECODE_DLT_PPP_ETHER:
		return decode_pppoe(ds);
	case DECODE_DLT_C_HDLC:
		return decode_chdlc(ds);
	default:
		return DECODE_ERR_LINKTYPE;
	}
}

enum decode_result
decode_packet(int dlt, const uint8_t *data, uint32_t caplen,
    uint32_t wirelen, uint64_t ts_us, struct pkt *p)
{
	struct dstate	ds;

	memset(p, 0, sizeof(*p));
	p->pk_ts = ts_us;
	p->pk_wirelen = wirelen;

	ds.ds_cur.c_p = data;
	ds.ds_cur.c_len = caplen < wirelen ? caplen : wirelen;
	ds.ds_wire = wirelen;
	ds.ds_pkt = p;
	ds.ds_tunnels = 0;
	if (data == NULL)
		ds.ds_cur.c_len = 0;
	return decode_link(dlt, &ds);
}

const char *
decode_result_name(enum decode_result r)
{
	static const char *const names[DECODE_NREASONS] = {
		"ok", "link", "ip", "transport", "encap", "non_ip",
		"linktype",
	};

	if ((unsigned)r >= DECODE_NREASONS)
		return "unknown";
	return names[r];
}
