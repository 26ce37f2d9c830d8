/* SPDX-License-Identifier: ISC */
/*
 * Record formatting.  Every field is ASCII produced here from numbers
 * and addresses, never packet text, so nothing needs escaping.
 *
 * The line is assembled with memcpy and fmt.c's digit writers rather
 * than one snprintf: that snprintf cost about 2 us a record, as much as
 * a short flow's packets.  The text is the same, byte for byte.
 */

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "record.h"

#define RECORD_ADDR_MAX	64
#define RECORD_TIME_MAX	FMT_TM_ISO_MAX

/*
 * The line being built, with snprintf's contract: rb_n counts every
 * byte of the whole line, and what does not fit in rb_len - 1 bytes is
 * dropped.
 */
struct record_buf {
	char	*rb_p;
	size_t	 rb_len;	/* room, NUL included */
	size_t	 rb_n;
};

static void
record_put(struct record_buf *rb, const char *s, size_t n)
{
	size_t	room;

	if (rb->rb_n + 1 < rb->rb_len) {
		room = rb->rb_len - 1 - rb->rb_n;
		memcpy(rb->rb_p + rb->rb_n, s, n < room ? n : room);
	}
	rb->rb_n += n;
}

/* A string literal, its length known at compile time. */
#define RECORD_PUT_LIT(rb, lit)	record_put((rb), (lit), sizeof(lit) - 1)

static void
record_put_str(struct record_buf *rb, const char *s)
{
	record_put(rb, s, strlen(s));
}

static void
record_put_u64(struct record_buf *rb, uint64_t v)
{
	char	t[FMT_U64_MAX];

	record_put(rb, t, fmt_u64(t, v));
}

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

/*
 * IPv4 without inet_ntop, which calls sprintf for each address; IPv6,
 * with its zero compression, is left to inet_ntop.
 */
static size_t
record_addr(const struct flow *fl, const uint8_t *a, char *buf)
{
	if (fl->fl_ipver != 6)
		return fmt_ipv4(buf, a);
	if (inet_ntop(AF_INET6, a, buf, RECORD_ADDR_MAX) == NULL)
		return (size_t)snprintf(buf, RECORD_ADDR_MAX, "?");
	return strlen(buf);
}

/*
 * The start to the second.  Records of one batch often start in the
 * same second, so the last second's text is kept (one thread formats
 * records).
 */
static size_t
record_second(time_t t, char *buf)
{
	static time_t	last = -1;
	static char	text[RECORD_TIME_MAX];
	static size_t	len;
	struct tm	tm;

	if (t != last) {
		gmtime_r(&t, &tm);
		len = fmt_tm_iso(text, &tm);
		last = t;
	}
	memcpy(buf, text, len);
	return len;
}

/* 2017-04-26T11:11:17.123456Z */
static void
record_put_time(struct record_buf *rb, uint64_t us)
{
	char	t[RECORD_TIME_MAX + 8];
	size_t	n;

	n = record_second((time_t)(us / 1000000), t);
	t[n++] = '.';
	fmt_u32_pad(t + n, (uint32_t)(us % 1000000), 6);
	n += 6;
	t[n++] = 'Z';
	record_put(rb, t, n);
}

static void
record_put_addr(struct record_buf *rb, const struct flow *fl,
    const uint8_t *a)
{
	char	t[RECORD_ADDR_MAX];

	record_put(rb, t, record_addr(fl, a, t));
}

/* app=... confidence=... [guess=...] */
static void
record_put_verdict(struct record_buf *rb, const struct verdict *vd)
{
	char	t[FMT_FIXED2_MAX];

	RECORD_PUT_LIT(rb, "app=");
	record_put_str(rb, vd->vd_app);
	RECORD_PUT_LIT(rb, " confidence=");
	record_put(rb, t, fmt_fixed2(t, vd->vd_conf));
	if (vd->vd_guess != NULL) {
		RECORD_PUT_LIT(rb, " guess=");
		record_put_str(rb, vd->vd_guess);
	}
}

int
record_format(const struct flow *fl, const struct verdict *vd, char *buf,
    size_t len)
{
	struct record_buf	rb = { buf, len, 0 };
	char			pbuf[8];

	record_put_verdict(&rb, vd);
	RECORD_PUT_LIT(&rb, " proto=");
	record_put_str(&rb, record_proto_name(fl->fl_proto, pbuf,
	    sizeof(pbuf)));
	RECORD_PUT_LIT(&rb, " src=");
	record_put_addr(&rb, fl, flow_src(fl));
	RECORD_PUT_LIT(&rb, " sport=");
	record_put_u64(&rb, flow_sport(fl));
	RECORD_PUT_LIT(&rb, " dst=");
	record_put_addr(&rb, fl, flow_dst(fl));
	RECORD_PUT_LIT(&rb, " dport=");
	record_put_u64(&rb, flow_dport(fl));
	RECORD_PUT_LIT(&rb, " start=");
	record_put_time(&rb, flow_first(fl));
	RECORD_PUT_LIT(&rb, " duration_us=");
	record_put_u64(&rb, flow_last(fl) - flow_first(fl));
	RECORD_PUT_LIT(&rb, " fwd_pkts=");
	record_put_u64(&rb, fl->fl_pkts[FLOW_FWD]);
	RECORD_PUT_LIT(&rb, " bwd_pkts=");
	record_put_u64(&rb, fl->fl_pkts[FLOW_BWD]);
	RECORD_PUT_LIT(&rb, " fwd_bytes=");
	record_put_u64(&rb, fl->fl_bytes[FLOW_FWD]);
	RECORD_PUT_LIT(&rb, " bwd_bytes=");
	record_put_u64(&rb, fl->fl_bytes[FLOW_BWD]);
	RECORD_PUT_LIT(&rb, " end=");
	record_put_str(&rb, flow_end_name((enum flow_end)fl->fl_end));
	if (len > 0)
		buf[rb.rb_n < len ? rb.rb_n : len - 1] = '\0';
	return (int)rb.rb_n;
}
