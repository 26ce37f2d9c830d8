/* SPDX-License-Identifier: ISC */
/*
 * CSV export: the Unicauca header, the text columns of each profile,
 * numbers that read back exactly, NaN/Infinity where the reference tool
 * writes them, labels and predictions.
 */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "features_set.h"
#include "flow.h"
#include "flow_stats.h"
#include "labels.h"
#include "pktgen.h"

#define T0	1700000000000000ULL	/* 2023-11-14T22:13:20Z */
#define MAXF	160

/* The 87 columns of the Unicauca CSV, as pandas reads its header. */
static const char unicauca_header[] =
    "Flow.ID,Source.IP,Source.Port,Destination.IP,Destination.Port,"
    "Protocol,Timestamp,Flow.Duration,Total.Fwd.Packets,"
    "Total.Backward.Packets,Total.Length.of.Fwd.Packets,"
    "Total.Length.of.Bwd.Packets,Fwd.Packet.Length.Max,"
    "Fwd.Packet.Length.Min,Fwd.Packet.Length.Mean,Fwd.Packet.Length.Std,"
    "Bwd.Packet.Length.Max,Bwd.Packet.Length.Min,Bwd.Packet.Length.Mean,"
    "Bwd.Packet.Length.Std,Flow.Bytes.s,Flow.Packets.s,Flow.IAT.Mean,"
    "Flow.IAT.Std,Flow.IAT.Max,Flow.IAT.Min,Fwd.IAT.Total,Fwd.IAT.Mean,"
    "Fwd.IAT.Std,Fwd.IAT.Max,Fwd.IAT.Min,Bwd.IAT.Total,Bwd.IAT.Mean,"
    "Bwd.IAT.Std,Bwd.IAT.Max,Bwd.IAT.Min,Fwd.PSH.Flags,Bwd.PSH.Flags,"
    "Fwd.URG.Flags,Bwd.URG.Flags,Fwd.Header.Length,Bwd.Header.Length,"
    "Fwd.Packets.s,Bwd.Packets.s,Min.Packet.Length,Max.Packet.Length,"
    "Packet.Length.Mean,Packet.Length.Std,Packet.Length.Variance,"
    "FIN.Flag.Count,SYN.Flag.Count,RST.Flag.Count,PSH.Flag.Count,"
    "ACK.Flag.Count,URG.Flag.Count,CWE.Flag.Count,ECE.Flag.Count,"
    "Down.Up.Ratio,Average.Packet.Size,Avg.Fwd.Segment.Size,"
    "Avg.Bwd.Segment.Size,Fwd.Header.Length.1,Fwd.Avg.Bytes.Bulk,"
    "Fwd.Avg.Packets.Bulk,Fwd.Avg.Bulk.Rate,Bwd.Avg.Bytes.Bulk,"
    "Bwd.Avg.Packets.Bulk,Bwd.Avg.Bulk.Rate,Subflow.Fwd.Packets,"
    "Subflow.Fwd.Bytes,Subflow.Bwd.Packets,Subflow.Bwd.Bytes,"
    "Init_Win_bytes_forward,Init_Win_bytes_backward,act_data_pkt_fwd,"
    "min_seg_size_forward,Active.Mean,Active.Std,Active.Max,Active.Min,"
    "Idle.Mean,Idle.Std,Idle.Max,Idle.Min,Label,L7Protocol,ProtocolName";

/* Output of one writer call, as a string (free it). */
struct sink {
	char	*sk_buf;
	size_t	 sk_len;
	FILE	*sk_fp;
};

static void
sink_open(struct sink *s)
{
	s->sk_fp = open_memstream(&s->sk_buf, &s->sk_len);
	assert_non_null(s->sk_fp);
}

static char *
sink_close(struct sink *s)
{
	assert_int_equal(fclose(s->sk_fp), 0);
	return s->sk_buf;
}

/* Split a line at commas (no quotes in what we split). */
static size_t
fields(char *line, char **f, size_t max)
{
	size_t	n = 0;
	char	*p;

	line[strcspn(line, "\n")] = '\0';
	for (p = line; n < max; p++) {
		f[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p = '\0';
	}
	return n;
}

/* Two UDP datagrams of 100 and 200 bytes, dt us apart. */
static void
flow_udp(struct flow *fl, enum flowid_profile prof, uint64_t dt)
{
	struct pkt	p;
	int		i;
	uint8_t		src[16], dst[16];

	memset(fl, 0, sizeof(*fl));
	pg_addr4(src, 192, 0, 2, 1);
	pg_addr4(dst, 198, 51, 100, 2);
	flow_set_endpoints(fl, 4, 17, src, 5000, dst, 6000);
	for (i = 0; i < 2; i++) {
		memset(&p, 0, sizeof(p));
		p.pk_ts = T0 + (uint64_t)i * dt;
		p.pk_ipver = 4;
		p.pk_proto = 17;
		p.pk_payload = (uint16_t)(100 * (i + 1));
		p.pk_l4hdrlen = 8;
		p.pk_iplen = 28u + p.pk_payload;
		if (i == 0)
			flow_stats_init(&fl->fl_st, prof, &p);
		flow_stats_add(&fl->fl_st, prof, &p, FLOW_FWD);
	}
	flow_set_times(fl, T0, T0 + dt);
}

static void
test_header_unicauca(void **state)
{
	struct sink	s;
	char		*out, want[sizeof(unicauca_header) + 1];
	int		p;

	(void)state;
	snprintf(want, sizeof(want), "%s\n", unicauca_header);
	for (p = FLOWID_PROFILE_CICFLOWMETER; p <= FLOWID_PROFILE_UNICAUCA;
	    p++) {
		sink_open(&s);
		assert_int_equal(csv_write_header(s.sk_fp, p, false), 0);
		out = sink_close(&s);
		assert_string_equal(out, want);
		free(out);
	}
}

static void
test_header_flowidd(void **state)
{
	struct sink	s;
	char		*out, *f[MAXF];
	size_t		n;

	(void)state;
	sink_open(&s);
	assert_int_equal(csv_write_header_cols(s.sk_fp, FLOWID_PROFILE_FLOWIDD,
	    CSV_COL_PREDICTED | CSV_COL_L7CONF), 0);
	out = sink_close(&s);
	assert_int_equal(strncmp(out, unicauca_header,
	    sizeof(unicauca_header) - 1), 0);
	n = fields(out, f, MAXF);
	assert_int_equal(n, 87 + FEATURES_EXTRA + 3);
	assert_string_equal(f[87], "Pkt.Size.1");
	assert_string_equal(f[87 + FEATURES_EXTRA - 3], "IP.Version");
	assert_string_equal(f[87 + FEATURES_EXTRA - 1], "Server.Addr.Mid");
	assert_string_equal(f[n - 3], "Predicted.ProtocolName");
	assert_string_equal(f[n - 2], "Predicted.Confidence");
	assert_string_equal(f[n - 1], "L7Confidence");
	free(out);
}

/*
 * A row's numbers are features_compute()'s, and read back exactly: the
 * 80 numeric columns sit at CSV columns 3, 5, 6, 8-84 (then 88- for
 * flowidd).
 */
static void
check_numbers(char **f, const struct flow *fl, enum flowid_profile prof)
{
	double	v[FEATURES_MAX];
	size_t	i, col;

	features_compute(fl, prof, v);
	for (i = 0; i < features_count(prof); i++) {
		col = i == 0 ? 2 : i < 3 ? i + 3 : i < FEATURES_BASE ? i + 4 :
		    i + 7;
		if (isnan(v[i]))
			assert_string_equal(f[col], "NaN");
		else
			assert_true(strtod(f[col], NULL) == v[i]);
	}
}

static void
test_row_cicflowmeter(void **state)
{
	struct flow	fl;
	struct sink	s;
	char		*out, *f[MAXF];

	(void)state;
	flow_udp(&fl, FLOWID_PROFILE_CICFLOWMETER, 0);
	sink_open(&s);
	assert_int_equal(csv_write_row(s.sk_fp, &fl,
	    FLOWID_PROFILE_CICFLOWMETER, NULL, NULL, 0), 0);
	out = sink_close(&s);
	assert_int_equal(fields(out, f, MAXF), 87);
	assert_string_equal(f[0], "192.0.2.1-198.51.100.2-5000-6000-17");
	assert_string_equal(f[1], "192.0.2.1");
	assert_string_equal(f[2], "5000");
	assert_string_equal(f[3], "198.51.100.2");
	assert_string_equal(f[4], "6000");
	assert_string_equal(f[5], "17");
	assert_string_equal(f[6], "14/11/2023 10:13:20 PM");
	assert_string_equal(f[7], "0");			/* duration */
	assert_string_equal(f[20], "Infinity");	/* Flow.Bytes.s */
	assert_string_equal(f[21], "Infinity");	/* Flow.Packets.s */
	assert_string_equal(f[14], "150");		/* Fwd mean */
	assert_string_equal(f[84], "BENIGN");
	assert_string_equal(f[85], "");
	assert_string_equal(f[86], "");
	check_numbers(f, &fl, FLOWID_PROFILE_CICFLOWMETER);
	free(out);
}

static void
test_row_numbers_round_trip(void **state)
{
	struct flow	fl;
	struct sink	s;
	char		*out, *f[MAXF];

	(void)state;
	/* 3 us apart: rates like 1e8 B/s and means with long expansions */
	flow_udp(&fl, FLOWID_PROFILE_FLOWIDD, 3);
	sink_open(&s);
	assert_int_equal(csv_write_row(s.sk_fp, &fl, FLOWID_PROFILE_FLOWIDD,
	    NULL, NULL, 0), 0);
	out = sink_close(&s);
	assert_int_equal(fields(out, f, MAXF), 87 + FEATURES_EXTRA);
	assert_string_equal(f[6], "2023-11-14T22:13:20.000000Z");
	assert_string_equal(f[20], "100000000");	/* 300 B / 3 us */
	assert_string_equal(f[21], "666666.6666666666");	/* 16 digits */
	check_numbers(f, &fl, FLOWID_PROFILE_FLOWIDD);
	free(out);
}

/* 0 bytes over 0 s: the reference tool writes NaN. */
static void
test_row_nan(void **state)
{
	struct flow	fl;
	struct pkt	p;
	struct sink	s;
	char		*out, *f[MAXF];
	int		i;
	uint8_t		a[16];

	(void)state;
	memset(&fl, 0, sizeof(fl));
	pg_addr4(a, 192, 168, 0, 103);
	flow_set_endpoints(&fl, 4, 6, a, 0, a, 0);
	for (i = 0; i < 2; i++) {
		memset(&p, 0, sizeof(p));
		p.pk_ts = T0;
		p.pk_proto = 6;
		p.pk_tcpflags = TCPF_SYN;
		p.pk_l4hdrlen = 40;
		if (i == 0)
			flow_stats_init(&fl.fl_st, FLOWID_PROFILE_UNICAUCA, &p);
		flow_stats_add(&fl.fl_st, FLOWID_PROFILE_UNICAUCA, &p,
		    FLOW_FWD);
	}
	sink_open(&s);
	assert_int_equal(csv_write_row(s.sk_fp, &fl, FLOWID_PROFILE_UNICAUCA,
	    NULL, NULL, 0), 0);
	out = sink_close(&s);
	assert_int_equal(fields(out, f, MAXF), 87);
	assert_string_equal(f[20], "NaN");
	assert_string_equal(f[21], "Infinity");
	assert_string_equal(f[6], "14/11/202322:13:20");
	check_numbers(f, &fl, FLOWID_PROFILE_UNICAUCA);
	free(out);
}

/*
 * unicauca names a flow with the address that is lower as signed bytes
 * first: 172.19.1.46 (-84 ...) before 10.200.7.7, whoever sent first.
 */
static void
test_flow_id(void **state)
{
	struct flow	fl;
	char		id[128];
	uint8_t		a[16], b[16];

	(void)state;
	memset(&fl, 0, sizeof(fl));
	pg_addr4(a, 10, 200, 7, 7);
	pg_addr4(b, 172, 19, 1, 46);
	flow_set_endpoints(&fl, 4, 6, a, 3128, b, 52422);
	assert_int_equal(csv_flow_id(&fl, FLOWID_PROFILE_UNICAUCA, id,
	    sizeof(id)), 0);
	assert_string_equal(id, "172.19.1.46-10.200.7.7-52422-3128-6");
	assert_int_equal(csv_flow_id(&fl, FLOWID_PROFILE_CICFLOWMETER, id,
	    sizeof(id)), 0);
	assert_string_equal(id, "10.200.7.7-172.19.1.46-3128-52422-6");

	/* 192.168.170.8 before .20: the last byte decides */
	pg_addr4(a, 192, 168, 170, 20);
	pg_addr4(b, 192, 168, 170, 8);
	flow_set_endpoints(&fl, 4, 17, a, 53, b, 32795);
	assert_int_equal(csv_flow_id(&fl, FLOWID_PROFILE_UNICAUCA, id,
	    sizeof(id)), 0);
	assert_string_equal(id, "192.168.170.8-192.168.170.20-32795-53-17");

	/* IPv6, flowidd */
	memset(a, 0, 16);
	memset(b, 0, 16);
	a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[15] = 1;
	b[0] = 0x20, b[1] = 0x01, b[2] = 0x0d, b[3] = 0xb8, b[15] = 2;
	flow_set_endpoints(&fl, 6, 17, a, 53, b, 32795);
	assert_int_equal(csv_flow_id(&fl, FLOWID_PROFILE_FLOWIDD, id,
	    sizeof(id)), 0);
	assert_string_equal(id, "2001:db8::1-2001:db8::2-53-32795-17");
	assert_int_equal(csv_flow_id(&fl, FLOWID_PROFILE_FLOWIDD, id, 10), -1);
}

static void
test_row_label_prediction(void **state)
{
	struct flow	fl;
	struct label	lb;
	struct sink	s;
	char		*out;

	(void)state;
	flow_udp(&fl, FLOWID_PROFILE_UNICAUCA, 1000);
	memset(&lb, 0, sizeof(lb));
	lb.lb_id = 126;
	strcpy(lb.lb_name, "Google");
	strcpy(lb.lb_confidence, "Match by port");
	sink_open(&s);
	assert_int_equal(csv_write_row_cols(s.sk_fp, &fl,
	    FLOWID_PROFILE_UNICAUCA, CSV_COL_PREDICTED | CSV_COL_L7CONF, &lb,
	    "Sina,\"Weibo\"", 0.25), 0);
	out = sink_close(&s);
	assert_non_null(strstr(out,
	    ",BENIGN,126,Google,\"Sina,\"\"Weibo\"\"\",0.25,Match by port\n"));
	free(out);

	/* no model: no prediction columns at all */
	sink_open(&s);
	assert_int_equal(csv_write_row(s.sk_fp, &fl, FLOWID_PROFILE_UNICAUCA,
	    &lb, NULL, 0), 0);
	out = sink_close(&s);
	assert_non_null(strstr(out, ",BENIGN,126,Google\n"));
	free(out);
}

/*
 * csv_number_text() against the snprintf/strtod formulation it
 * replaced, which defines the CSV's numbers: integers with "%.0f",
 * others with the first of %.15g, %.16g that reads back, else %.17g.
 */
static void
number_reference(double v, char *buf, size_t len)
{
	int	prec;

	if (v == 0.0)
		v = 0.0;
	if (v == trunc(v) && fabs(v) < 9007199254740992.0) {
		(void)snprintf(buf, len, "%.0f", v);
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		(void)snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	(void)snprintf(buf, len, "%.17g", v);
}

static void
number_check(double v)
{
	char	want[64], got[CSV_NUMBER_MAX];
	size_t	n;

	number_reference(v, want, sizeof(want));
	n = csv_number_text(v, got);
	if (strcmp(want, got) != 0)
		fail_msg("%a: want %s, got %s", v, want, got);
	assert_int_equal(n, strlen(got));
}

/* xorshift64: the same values on every run. */
static uint64_t
number_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Decimals that end in 5 or 50: the ties of rounding to 16 or 15. */
static double
number_tie(uint64_t r, uint64_t unit)
{
	char		t[48];
	uint64_t	m = r % 100000000000000000ULL;

	m = m - m % unit + unit / 2;
	(void)snprintf(t, sizeof(t), "%llue%d", (unsigned long long)m,
	    (int)(r >> 58) - 40);
	return strtod(t, NULL);
}

static void
test_number_text(void **state)
{
	static const double fixed[] = {
		0.0, -0.0, 1e-5, 1e-4, 0.0001234, 1e15, 1e16, 1e17, 1e22,
		1e23, 9007199254740992.0, 9007199254740994.0, -123.25,
		123456789012345.6, 4.9e-324, 1.7976931348623157e308, 0.1,
		2.0 / 3, 99999999999999999.0, 666666.6666666666, 12345678.5,
	};
	uint64_t	s = 0x9e3779b97f4a7c15ULL, r;
	double		v, t;
	size_t		i;
	int		e, j;
	char		buf[CSV_NUMBER_MAX];

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		number_check(fixed[i]);
	assert_int_equal(csv_number_text(NAN, buf), 3);
	assert_string_equal(buf, "NaN");
	csv_number_text(-INFINITY, buf);
	assert_string_equal(buf, "-Infinity");
	csv_number_text(-4.0, buf);
	assert_string_equal(buf, "-4");

	/* around each power of ten, where the exponent may be misjudged */
	for (e = -20; e <= 20; e++) {
		t = v = pow(10, e);
		for (j = 0; j < 8; j++) {
			number_check(v = nextafter(v, 0));
			number_check(t = nextafter(t, INFINITY));
		}
	}
	for (i = 0; i < 30000; i++) {
		r = number_rand(&s);
		memcpy(&v, &r, sizeof(v));
		if (!isnan(v))
			number_check(v);		/* any bits */
		number_check((double)(r % 100000) / (double)(1 + r % 997));
		number_check(ldexp((double)(r >> 11), (int)(r % 120) - 90));
		number_check(number_tie(r, 10));
		number_check(number_tie(r, 100));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_unicauca),
		cmocka_unit_test(test_header_flowidd),
		cmocka_unit_test(test_row_cicflowmeter),
		cmocka_unit_test(test_row_numbers_round_trip),
		cmocka_unit_test(test_row_nan),
		cmocka_unit_test(test_flow_id),
		cmocka_unit_test(test_row_label_prediction),
		cmocka_unit_test(test_number_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
