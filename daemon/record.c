/* SPDX-License-Identifier: ISC */
/*
 * Record formatting.  Every field is ASCII produced here from numbers
 * and addresses, never packet text, so nothing needs escaping.
 */

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <time.h>

#include "record.h"

const char *
record_proto_name(int proto, char *buf, size_t len)
{
	switch (proto) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "icmp6";
	default:
		snprintf(buf, len, "%d", proto);
		return buf;
	}
}

static void
record_addr(const struct flow *fl, const uint8_t *a, char *buf, size_t len)
{
	if (inet_ntop(fl->fl_ipver == 6 ? AF_INET6 : AF_INET, a, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

/* 2017-04-26T11:11:17.123456Z */
static void
record_time(uint64_t us, char *buf, size_t len)
{
	time_t		t = (time_t)(us / 1000000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (unsigned)(us % 1000000));
}

int
record_format(const struct flow *fl, const struct verdict *vd, char *buf,
    size_t len)
{
	char	src[64], dst[64], start[64], pbuf[8], guess[96] = "";

	record_addr(fl, flow_src(fl), src, sizeof(src));
	record_addr(fl, flow_dst(fl), dst, sizeof(dst));
	record_time(flow_first(fl), start, sizeof(start));
	if (vd->vd_guess != NULL)
		snprintf(guess, sizeof(guess), " guess=%s", vd->vd_guess);

	return snprintf(buf, len, "app=%s confidence=%.2f%s proto=%s "
	    "src=%s sport=%u dst=%s dport=%u start=%s duration_us=%llu "
	    "fwd_pkts=%llu bwd_pkts=%llu fwd_bytes=%llu bwd_bytes=%llu "
	    "end=%s",
	    vd->vd_app, vd->vd_conf, guess,
	    record_proto_name(fl->fl_proto, pbuf, sizeof(pbuf)),
	    src, flow_sport(fl), dst, flow_dport(fl), start,
	    (unsigned long long)(flow_last(fl) - flow_first(fl)),
	    (unsigned long long)fl->fl_pkts[FLOW_FWD],
	    (unsigned long long)fl->fl_pkts[FLOW_BWD],
	    (unsigned long long)fl->fl_bytes[FLOW_FWD],
	    (unsigned long long)fl->fl_bytes[FLOW_BWD],
	    flow_end_name((enum flow_end)fl->fl_end));
}
