/* SPDX-License-Identifier: ISC */
/*
 * Ground-truth labels: reading nDPI's per-flow CSV, and matching flows to
 * it by protocol, endpoint pair in either order and overlapping time.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "flow.h"
#include "labels.h"
#include "pktgen.h"

static const char header[] =
    "proto,client_ip,client_port,server_ip,server_port,first_seen,"
    "last_seen,packets,bytes,master_protocol,app_protocol,label,"
    "confidence,c2s_packets,c2s_bytes,s2c_packets,s2c_bytes,vlan,"
    "ip_version,ndpi_proto_id\n";

static const char rows[] =
    /* line 2: DNS.Google, master.app id */
    "17,192.168.170.20,53,192.168.170.8,32795,1112172654.366,"
    "1112172695.437,3,226,DNS,Google,Google,DPI,2,151,1,75,,4,5.126\n"
    /* line 3: the same pair later, another label */
    "17,192.168.170.8,32795,192.168.170.20,53,1112173000.000,"
    "1112173001.000,2,200,DNS,DNS,DNS,DPI,1,100,1,100,,4,5\n"
    /* line 4: ICMP, no ports */
    "1,10.0.0.1,0,10.0.0.2,0,1000.000,1010.000,4,400,ICMP,ICMP,ICMP,"
    "DPI,2,200,2,200,,4,81\n"
    /* line 5: IPv6 TCP guessed by port */
    "6,2001:db8::1,40000,2001:db8::2,443,2000.5,2000.9,5,900,TLS,TLS,"
    "TLS,Match by port,3,500,2,400,,6,91\n"
    /* line 6: a quoted label */
    "6,10.0.0.1,1,10.0.0.3,2,1000.000,1000.000,2,80,X,X,"
    "\"Sina(Weibo), x\",DPI,1,40,1,40,,4,7.200\n";

/* A labels file in a temporary directory; returns its path (free). */
static char *
write_labels(const char *text)
{
	char	*path = strdup("/tmp/labels_test.XXXXXX");
	FILE	*fp;
	int	 fd;

	assert_non_null(path);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void
flow4(struct flow *fl, uint8_t proto, const int *src, uint16_t sport,
    const int *dst, uint16_t dport, uint64_t first_ms, uint64_t last_ms)
{
	uint8_t	a[16], b[16];

	memset(fl, 0, sizeof(*fl));
	pg_addr4(a, src[0], src[1], src[2], src[3]);
	pg_addr4(b, dst[0], dst[1], dst[2], dst[3]);
	flow_set_endpoints(fl, 4, proto, a, sport, b, dport);
	flow_set_times(fl, first_ms * 1000, last_ms * 1000);
}

static struct labels *
load_ok(void)
{
	char		 err[256], *path, *text;
	struct labels	*ls;

	assert_non_null(text = malloc(sizeof(header) + sizeof(rows)));
	snprintf(text, sizeof(header) + sizeof(rows), "%s%s", header, rows);
	path = write_labels(text);
	ls = labels_load(path, err, sizeof(err));
	if (ls == NULL)
		print_error("%s\n", err);
	assert_non_null(ls);
	unlink(path);
	free(path);
	free(text);
	return ls;
}

static void
test_load(void **state)
{
	struct labels	*ls = load_ok();

	(void)state;
	assert_int_equal(labels_count(ls), 5);
	labels_free(ls);
}

static void
test_match(void **state)
{
	static const int	 a[4] = { 192, 168, 170, 20 };
	static const int	 b[4] = { 192, 168, 170, 8 };
	struct labels		*ls = load_ok();
	const struct label	*lb;
	struct flow		 fl;

	(void)state;
	/* the server's side first, inside the first row's time */
	flow4(&fl, 17, a, 53, b, 32795, 1112172654366ULL, 1112172695437ULL);
	assert_non_null(lb = labels_match(ls, &fl));
	assert_string_equal(lb->lb_name, "Google");
	assert_int_equal(lb->lb_id, 126);
	assert_string_equal(lb->lb_confidence, "DPI");

	/* reversed endpoints, a piece of the later row's time */
	flow4(&fl, 17, b, 32795, a, 53, 1112173000500ULL, 1112173000600ULL);
	assert_non_null(lb = labels_match(ls, &fl));
	assert_string_equal(lb->lb_name, "DNS");
	assert_int_equal(lb->lb_id, 5);

	/* between the two rows: nothing; other port: nothing */
	flow4(&fl, 17, a, 53, b, 32795, 1112172800000ULL, 1112172801000ULL);
	assert_null(labels_match(ls, &fl));
	flow4(&fl, 17, a, 54, b, 32795, 1112172654366ULL, 1112172654366ULL);
	assert_null(labels_match(ls, &fl));
	flow4(&fl, 6, a, 53, b, 32795, 1112172654366ULL, 1112172654366ULL);
	assert_null(labels_match(ls, &fl));

	/* 1 ms slack: the file's times are milliseconds */
	flow4(&fl, 17, a, 53, b, 32795, 1112172695438ULL, 1112172695500ULL);
	assert_non_null(labels_match(ls, &fl));
	labels_free(ls);
}

static void
test_match_no_ports(void **state)
{
	static const int	 x[4] = { 10, 0, 0, 1 };
	static const int	 y[4] = { 10, 0, 0, 2 };
	static const int	 z[4] = { 10, 0, 0, 3 };
	struct labels		*ls = load_ok();
	const struct label	*lb;
	struct flow		 fl;

	(void)state;
	/* flowidd keys ICMP echo by identifier: ports are not compared */
	flow4(&fl, 1, y, 0x1234, x, 0x1234, 1005000, 1006000);
	assert_non_null(lb = labels_match(ls, &fl));
	assert_string_equal(lb->lb_name, "ICMP");

	/* the compatibility profiles' protocol 0 stands for it */
	flow4(&fl, 0, x, 0, y, 0, 1005000, 1006000);
	assert_non_null(lb = labels_match(ls, &fl));
	assert_string_equal(lb->lb_name, "ICMP");

	/* but never for TCP or UDP */
	flow4(&fl, 0, x, 0, z, 0, 1000000, 1000000);
	assert_null(labels_match(ls, &fl));
	flow4(&fl, 6, x, 1, z, 2, 1000000, 1000000);
	assert_non_null(lb = labels_match(ls, &fl));
	assert_string_equal(lb->lb_name, "Sina(Weibo), x");
	assert_int_equal(lb->lb_id, 200);
	labels_free(ls);
}

static void
test_match_ipv6(void **state)
{
	struct labels		*ls = load_ok();
	const struct label	*lb;
	struct flow		 fl;
	uint8_t			 a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	uint8_t			 b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	(void)state;
	memset(&fl, 0, sizeof(fl));
	flow_set_endpoints(&fl, 6, 6, a, 443, b, 40000);
	flow_set_times(&fl, 2000600000, 2000700000);
	assert_non_null(lb = labels_match(ls, &fl));
	assert_string_equal(lb->lb_name, "TLS");
	assert_string_equal(lb->lb_confidence, "Match by port");
	labels_free(ls);
}

/* Errors name the file and the line. */
static void
check_error(const char *text, const char *want)
{
	char		 err[256], *path, *p;
	struct labels	*ls;

	path = write_labels(text);
	ls = labels_load(path, err, sizeof(err));
	assert_null(ls);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	p = err + strlen(path);
	if (strcmp(p, want) != 0)
		print_error("got \"%s\", want \"%s\"\n", p, want);
	assert_string_equal(p, want);
	unlink(path);
	free(path);
}

/*
 * nDPI prints whatever a malformed packet held: a row whose address does
 * not parse is skipped and counted, the rest of the file loads.
 */
static void
test_skipped(void **state)
{
	char		 err[256], *path;
	struct labels	*ls;
	char		 buf[1024];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%s%s", header,
	    "6,3400:3a30::2f75,44288,302e::3d00::8001,0,980658803.882,"
	    "980658803.882,1,197,TLS,TLS,TLS,DPI,1,197,0,0,,6,91\n",
	    "17,0.0.0.0,68,255.255.255.255,67,4734231571822.539,"
	    "4734231571892.570,2,628,DHCP,DHCP,DHCP,DPI,2,628,0,0,,4,18\n");
	path = write_labels(buf);
	assert_non_null(ls = labels_load(path, err, sizeof(err)));
	assert_int_equal(labels_count(ls), 1);
	assert_int_equal(labels_skipped(ls), 1);
	labels_free(ls);
	unlink(path);
	free(path);
}

static void
test_errors(void **state)
{
	char	buf[1024];

	(void)state;
	check_error("", ":1: empty file");
	check_error("proto,client_ip\n", ":1: no client_port column");
	snprintf(buf, sizeof(buf), "%s%s", header,
	    "x,1.2.3.4,53,1.2.3.4,1,1.0,2.0,1,1,A,A,A,DPI,1,1,0,0,,4,5\n");
	check_error(buf, ":2: bad proto");
	snprintf(buf, sizeof(buf), "%s\n%s", header,
	    "17,1.2.3.5,53,1.2.3.4,70000,1.0,2.0,1,1,A,A,A,DPI,1,1,0,0,,4,5\n");
	check_error(buf, ":3: bad server_port");
	snprintf(buf, sizeof(buf), "%s%s", header,
	    "17,1.2.3.5,53,1.2.3.4,7,3.0,2.0,1,1,A,A,A,DPI,1,1,0,0,,4,5\n");
	check_error(buf, ":2: bad first_seen or last_seen");
	snprintf(buf, sizeof(buf), "%s%s", header, "17,1.2.3.5,53\n");
	check_error(buf, ":2: 3 fields, too few");
	assert_null(labels_load("/nonexistent/labels.csv", buf, sizeof(buf)));
	assert_string_equal(buf,
	    "/nonexistent/labels.csv: No such file or directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_no_ports),
		cmocka_unit_test(test_match_ipv6),
		cmocka_unit_test(test_skipped),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
