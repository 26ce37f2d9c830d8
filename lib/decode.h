/* SPDX-License-Identifier: ISC */
/*
 * Packet decoding: link layer to transport header, into a fixed-size
 * summary (struct pkt) that the rest of libflowid consumes.  Nothing here
 * keeps state between packets; fragments are joined later (frag.c).
 */
#ifndef FLOWID_DECODE_H
#define FLOWID_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Link types we decode (values of pcap's DLT_ / LINKTYPE_ numbers). */
#define DECODE_DLT_NULL		0
#define DECODE_DLT_EN10MB	1
#define DECODE_DLT_PPP		9
#define DECODE_DLT_RAW		12	/* OpenBSD/Linux value of DLT_RAW */
#define DECODE_DLT_RAW14	14	/* BSD/OS value of DLT_RAW */
#define DECODE_DLT_PPP_SERIAL	50
#define DECODE_DLT_PPP_ETHER	51
#define DECODE_DLT_LINKTYPE_RAW	101
#define DECODE_DLT_C_HDLC	104
#define DECODE_DLT_LOOP		108
#define DECODE_DLT_LINUX_SLL	113
#define DECODE_DLT_IPV4		228
#define DECODE_DLT_IPV6		229
#define DECODE_DLT_LINUX_SLL2	276

/* TCP flag bits as on the wire (RFC 793, RFC 3168). */
#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_PSH	0x08
#define TCPF_ACK	0x10
#define TCPF_URG	0x20
#define TCPF_ECE	0x40
#define TCPF_CWR	0x80

/* pk_tcpopt bits: which options the segment carried (RFC 7323, 2018). */
#define TCPOPT_HAS_MSS		0x01
#define TCPOPT_HAS_WSCALE	0x02
#define TCPOPT_HAS_SACKOK	0x04
#define TCPOPT_HAS_TS		0x08

#define DECODE_ENCAP_PPPOE	0x04

/* Why a frame was not decoded; each has its own counter. */
enum decode_result {
	DECODE_OK = 0,
	DECODE_ERR_LINK,	/* link header short or malformed */
	DECODE_ERR_L3,		/* IPv4/IPv6 header short or inconsistent */
	DECODE_ERR_L4,		/* TCP/UDP/ICMP header short or inconsistent */
	DECODE_ERR_ENCAP,	/* VLAN/MPLS stack malformed */
	DECODE_UNSUPPORTED,	/* non-IP frame (ARP, LLDP, ...) */
	DECODE_ERR_LINKTYPE,	/* link type we do not know */
	DECODE_NREASONS
};

/*
 * One decoded IP packet.  Sizes come from the IP length fields, never from
 * the captured length, so a small snaplen still counts full sizes.
 * Addresses are 16 bytes; IPv4 uses the first 4 and zeroes the rest.
 */
struct pkt {
	uint64_t	pk_ts;		/* capture time, us since the epoch */
	uint32_t	pk_wirelen;	/* frame length on the wire */
	uint32_t	pk_iplen;	/* IP total length (header included) */
	uint32_t	pk_ipid;	/* IPv4 id or IPv6 fragment id */
	uint16_t	pk_fragoff;	/* fragment offset in bytes */
	uint16_t	pk_iphdrlen;	/* IP header plus extension headers */
	uint16_t	pk_l4hdrlen;	/* TCP doff*4, UDP 8, ICMP 8, else 0 */
	uint16_t	pk_payload;	/* L4 payload, from IP lengths */
	uint16_t	pk_padding;	/* frame bytes after the IP datagram */
	uint16_t	pk_sport;	/* or ICMP echo id, or 0 */
	uint16_t	pk_dport;	/* or ICMP type << 8 | code, or 0 */
	uint16_t	pk_win;		/* raw TCP window field */
	uint16_t	pk_mss;		/* TCP MSS option, 0 if absent */
	uint8_t		pk_wscale;	/* TCP window scale option */
	uint8_t		pk_tcpopt;	/* TCPOPT_HAS_* */
	uint8_t		pk_tcpflags;	/* TCPF_* */
	uint8_t		pk_ipver;	/* 4 or 6 */
	uint8_t		pk_proto;	/* IP protocol number */
	uint8_t		pk_ttl;		/* TTL or hop limit */
	uint8_t		pk_icmptype;	/* ICMP/ICMPv6 type, else 0 */
	bool		pk_frag;	/* part of a fragmented datagram */
	bool		pk_fragfirst;	/* the fragment with offset 0 */
	bool		pk_hasports;	/* pk_sport/pk_dport are known */
	bool		pk_icmperr;	/* ICMP error quoting a TCP/UDP header */
	uint8_t		pk_inproto;	/* quoted header: protocol */
	uint8_t		pk_inflags;	/* quoted header: TCP flags */
	uint16_t	pk_insport;	/* quoted header: ports, window */
	uint16_t	pk_indport;
	uint16_t	pk_inwin;
	uint8_t		pk_inhdrlen;	/* quoted TCP doff*4 (0: cut), UDP 8 */
	uint8_t		pk_encap;	/* DECODE_ENCAP_* crossed */
	uint8_t		pk_src[16];
	uint8_t		pk_dst[16];
};

/*
 * Decode one frame captured on a link of type dlt.  caplen bytes are
 * readable at data; wirelen is the length on the wire.  Fills *p and
 * returns DECODE_OK, or a reason and leaves *p unspecified.
 */
enum decode_result decode_packet(int dlt, const uint8_t *data,
    uint32_t caplen, uint32_t wirelen, uint64_t ts_us, struct pkt *p);

/* true if decode_packet() knows this link type */
bool	decode_linktype_supported(int dlt);

/* short lowercase name of a decode result, for counters */
const char *decode_result_name(enum decode_result r);

#endif /* FLOWID_DECODE_H */
