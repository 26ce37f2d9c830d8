/* SPDX-License-Identifier: ISC */
/* Names of flow end reasons, as they appear in records and counters. */

#include <string.h>

#include "flow.h"

const char *
flow_end_name(enum flow_end e)
{
	static const char *const names[FLOW_END_NREASONS] = {
		"fin", "rst", "idle", "active", "eof", "shutdown", "evict",
	};

	if ((unsigned)e >= FLOW_END_NREASONS)
		return "unknown";
	return names[e];
}

void
flow_set_endpoints(struct flow *fl, uint8_t ipver, uint8_t proto,
    const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
    uint16_t dport)
{
	struct flow_key	*k = &fl->fl_key;
	int		 c = memcmp(src, dst, 16);

	/* the lower (address, port) end is stored first, as flow_key_make */
	fl->fl_fwd = c > 0 || (c == 0 && sport > dport);
	memcpy(k->fk_addr[fl->fl_fwd], src, 16);
	memcpy(k->fk_addr[!fl->fl_fwd], dst, 16);
	k->fk_port[fl->fl_fwd] = sport;
	k->fk_port[!fl->fl_fwd] = dport;
	k->fk_proto = proto;
	k->fk_ipver = ipver;
	k->fk_zero = 0;
	fl->fl_proto = proto;
	fl->fl_ipver = ipver;
}

void
flow_set_times(struct flow *fl, uint64_t first, uint64_t last)
{
	fl->fl_st.fs_first = first;
	fl->fl_lastoff = (uint32_t)(last - first);
}
