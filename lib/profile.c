/* SPDX-License-Identifier: ISC */
/*
 * Feature profiles: their names, and the packet view of the two
 * compatibility profiles (what CICFlowMeter's packet reader would have
 * made of a packet).  The statistics themselves are in flow_stats.c and
 * features.c, the life cycles in flow_table.c.
 */

#include <stdbool.h>
#include <string.h>

#include "decode.h"
#include "flowid.h"
#include "profile.h"

#define IPPROTO_NUM_ICMP	1
#define IPPROTO_NUM_TCP		6
#define IPPROTO_NUM_UDP		17

static const char *const profile_names[FLOWID_PROFILE_COUNT] = {
	"flowidd", "cicflowmeter", "unicauca",
};

const char *
profile_name(enum flowid_profile prof)
{
	if ((unsigned)prof >= FLOWID_PROFILE_COUNT)
		return "unknown";
	return profile_names[prof];
}

int
profile_parse(const char *name, enum flowid_profile *out)
{
	size_t	i;

	for (i = 0; i < FLOWID_PROFILE_COUNT; i++)
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (enum flowid_profile)i;
			return 0;
		}
	return -1;
}

/*
 * An ICMP error quoting a TCP or UDP header: the reference tool finds
 * the quoted header and takes the packet for one of that connection,
 * with the outer addresses and the quoted ports, flags and window, and
 * no payload.
 */
static void
profile_map_icmperr(struct pkt *p)
{
	p->pk_proto = p->pk_inproto;
	p->pk_sport = p->pk_insport;
	p->pk_dport = p->pk_indport;
	p->pk_payload = 0;
	if (p->pk_proto == IPPROTO_NUM_TCP) {
		p->pk_tcpflags = p->pk_inflags;
		p->pk_win = p->pk_inwin;
		/*
		 * The reference counts the quoted TCP header's own length
		 * (data offset) as header bytes.  When the quote is cut
		 * before that field, the minimum is assumed.
		 */
		p->pk_l4hdrlen = p->pk_inhdrlen >= 20 ? p->pk_inhdrlen : 20;
	} else {
		p->pk_tcpflags = 0;
		p->pk_win = 0;
		p->pk_l4hdrlen = 8;
	}
	p->pk_tcpopt = 0;
	p->pk_mss = 0;
	p->pk_wscale = 0;
	p->pk_hasports = true;
}

/* Any other IPv4 packet: protocol 0 between the two addresses. */
static void
profile_map_other(struct pkt *p)
{
	p->pk_proto = 0;
	p->pk_sport = p->pk_dport = 0;
	p->pk_payload = 0;
	p->pk_l4hdrlen = 0;
	p->pk_tcpflags = 0;
	p->pk_win = 0;
	p->pk_tcpopt = 0;
	p->pk_mss = 0;
	p->pk_wscale = 0;
	p->pk_hasports = false;
	p->pk_icmperr = false;
}

/*
 * The compatibility profiles read IPv4 only.  TCP and UDP pass as they
 * are, except later fragments, which carry no ports: like every other
 * protocol they become protocol 0.  Payload stays the IP-length based
 * L4 data length; Ethernet padding is not counted (docs/features.md).
 */
bool
profile_map_pkt(enum flowid_profile prof, struct pkt *p)
{
	bool	later_frag;

	if (prof == FLOWID_PROFILE_FLOWIDD)
		return true;
	if (p->pk_ipver != 4 || (p->pk_encap & DECODE_ENCAP_PPPOE))
		return false;

	later_frag = p->pk_frag && !p->pk_fragfirst;
	if (!later_frag && (p->pk_proto == IPPROTO_NUM_TCP ||
	    p->pk_proto == IPPROTO_NUM_UDP))
		return true;
	if (!later_frag && p->pk_proto == IPPROTO_NUM_ICMP && p->pk_icmperr &&
	    (p->pk_inproto == IPPROTO_NUM_TCP ||
	    p->pk_inproto == IPPROTO_NUM_UDP))
		profile_map_icmperr(p);
	else
		profile_map_other(p);
	return true;
}
