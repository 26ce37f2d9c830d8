/* SPDX-License-Identifier: ISC */
/*
 * The decimal writers of the output paths against printf, whose text
 * they must reproduce byte for byte: "%llu", "%0Nu", "%.2f", "%.15g" to
 * "%.17g", inet_ntop's dotted quad, the record's start time.
 */

#include <sys/socket.h>
#include <arpa/inet.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fmt.h"

/* xorshift64: the same values on every run. */
static uint64_t
fmt_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
u64_check(uint64_t v)
{
	char	want[32], got[FMT_U64_MAX + 1];
	size_t	n;

	(void)snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
	n = fmt_u64(got, v);
	got[n] = '\0';
	assert_string_equal(got, want);
}

static void
test_u64(void **state)
{
	uint64_t	s = 0x2545f4914f6cdd1dULL, p = 1;
	int		i;

	(void)state;
	u64_check(0);
	u64_check(UINT64_MAX);
	for (i = 0; i < 20; i++, p *= 10) {
		u64_check(p - 1);
		u64_check(p);
		u64_check(p + 1);
	}
	for (i = 0; i < 100000; i++)
		u64_check(fmt_rand(&s) >> (i % 64));
}

static void
test_u32_pad(void **state)
{
	char	want[16], got[16];

	(void)state;
	fmt_u32_pad(got, 7, 2);
	assert_memory_equal(got, "07", 2);
	fmt_u32_pad(got, 0, 6);
	assert_memory_equal(got, "000000", 6);
	fmt_u32_pad(got, 999999, 6);
	assert_memory_equal(got, "999999", 6);
	(void)snprintf(want, sizeof(want), "%04u", 1970u);
	fmt_u32_pad(got, 1970, 4);
	assert_memory_equal(got, want, 4);
}

static void
fixed2_check(double v)
{
	char	want[FMT_FIXED2_MAX], got[FMT_FIXED2_MAX];
	size_t	n;

	(void)snprintf(want, sizeof(want), "%.2f", v);
	n = fmt_fixed2(got, v);
	assert_true(n < sizeof(got));
	got[n] = '\0';
	if (strcmp(want, got) != 0)
		fail_msg("%a: want %s, got %s", v, want, got);
}

/* Probabilities above all; exact ties (k/8) round to even. */
static void
test_fixed2(void **state)
{
	uint64_t	s = 0x9e3779b97f4a7c15ULL, r;
	double		v;
	int		i;

	(void)state;
	fixed2_check(0.0);
	fixed2_check(-0.0);
	fixed2_check(1.0);
	fixed2_check(0.125);
	fixed2_check(0.375);
	fixed2_check(0.005);
	fixed2_check(0.995);
	fixed2_check(-0.5);
	fixed2_check(NAN);
	fixed2_check(INFINITY);
	fixed2_check(1e300);
	fixed2_check(4.9e-324);
	for (i = 0; i <= 100000; i++) {
		fixed2_check(i / 100000.0);
		fixed2_check(i / 8.0);
		fixed2_check((i + 0.5) / 100.0);
		fixed2_check(nextafter((i + 0.5) / 100.0, 0));
		fixed2_check(nextafter((i + 0.5) / 100.0, 2));
		r = fmt_rand(&s);
		fixed2_check((double)(r >> 11) / 9007199254740992.0);
		memcpy(&v, &r, sizeof(v));
		fixed2_check(v);
	}
}

static void
test_ipv4(void **state)
{
	uint64_t	s = 0x2545f4914f6cdd1dULL;
	uint32_t	r;
	uint8_t		a[4];
	char		want[INET_ADDRSTRLEN], got[FMT_IPV4_MAX + 1];
	size_t		n;
	int		i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		r = (uint32_t)fmt_rand(&s);
		memcpy(a, &r, sizeof(a));
		if (i < 256)
			a[i % 4] = (uint8_t)i;	/* 0, 9, 10, 99, 100 */
		assert_non_null(inet_ntop(AF_INET, a, want, sizeof(want)));
		n = fmt_ipv4(got, a);
		got[n] = '\0';
		assert_string_equal(got, want);
	}
}

/* Every second of a day, and years that "%04d" pads or widens. */
static void
test_tm_iso(void **state)
{
	static const time_t	days[] = {
		0, 951782400, 1700000000, 253402300799, 4102444800,
		-62135596800, 1000000000000,
	};
	struct tm	tm;
	char		want[FMT_TM_ISO_MAX], got[FMT_TM_ISO_MAX];
	size_t		i, n;
	time_t		t;

	(void)state;
	for (i = 0; i < sizeof(days) / sizeof(*days); i++)
		for (t = days[i]; t < days[i] + 86400; t += 7) {
			assert_non_null(gmtime_r(&t, &tm));
			(void)snprintf(want, sizeof(want),
			    "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			n = fmt_tm_iso(got, &tm);
			got[n] = '\0';
			assert_string_equal(got, want);
		}
}

/*
 * The round-trip form on what the CSV never hands it (the CSV writes
 * zero, whole numbers and non-finite values itself); the CSV's own test
 * compares the rest with the snprintf and strtod formulation.
 */
static void
g_check(double v)
{
	char	want[64], got[FMT_G_MAX];
	int	prec;

	for (prec = 15; prec < 17; prec++) {
		(void)snprintf(want, sizeof(want), "%.*g", prec, v);
		if (strtod(want, NULL) == v)
			break;
	}
	if (prec == 17)
		(void)snprintf(want, sizeof(want), "%.17g", v);
	assert_int_equal(fmt_g_roundtrip(got, v), strlen(want));
	assert_string_equal(got, want);
}

static void
test_g_roundtrip(void **state)
{
	(void)state;
	g_check(0.0);
	g_check(-0.0);
	g_check(5.0);
	g_check(-1e20);
	g_check(123456789012345678.0);
	g_check(0.1);
	g_check(-2.0 / 3);
	g_check(1e-300);
	g_check(INFINITY);
	g_check(-INFINITY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_u32_pad),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_tm_iso),
		cmocka_unit_test(test_fixed2),
		cmocka_unit_test(test_g_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
