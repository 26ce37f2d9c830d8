/* SPDX-License-Identifier: ISC */
/* Names of flow end reasons, as they appear in records and counters. */

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
