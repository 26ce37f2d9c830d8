/* SPDX-License-Identifier: ISC */
/*
 * lib/savefile.c: classic pcap records read in place, in both byte
 * orders and both time units, and every record it must leave to libpcap
 * (the end-to-end check against libpcap itself is tests/robust).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "savefile.h"

static uint8_t	buf[4096];
static size_t	len;

static void
put32(uint32_t v, int swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	memcpy(buf + len, &v, 4);
	len += 4;
}

static void
put16(uint16_t v, int swap)
{
	if (swap)
		v = __builtin_bswap16(v);
	memcpy(buf + len, &v, 2);
	len += 2;
}

static void
put_version(uint16_t major, uint16_t minor, int swap)
{
	len = 4;
	put16(major, swap);
	put16(minor, swap);
}

static void
put_header(uint32_t magic, int swap)
{
	len = 0;
	put32(magic, swap);
	put16(2, swap);			/* version 2.4 */
	put16(4, swap);
	put32(0, swap);
	put32(0, swap);
	put32(1500, swap);		/* snaplen */
	put32(1, swap);			/* Ethernet */
}

static void
put_record(uint32_t sec, uint32_t frac, uint32_t cap, uint32_t wire,
    int swap)
{
	size_t	i;

	put32(sec, swap);
	put32(frac, swap);
	put32(cap, swap);
	put32(wire, swap);
	for (i = 0; i < cap; i++)
		buf[len++] = (uint8_t)(0xa0 + i);
}

static void
test_both_orders_and_units(void **state)
{
	struct savefile		sf;
	struct savefile_rec	r;
	int			swap, nsec;

	(void)state;
	for (swap = 0; swap < 2; swap++)
		for (nsec = 0; nsec < 2; nsec++) {
			put_header(nsec ? 0xa1b23c4d : 0xa1b2c3d4, swap);
			put_record(1700000000, nsec ? 123456789 : 123456, 3,
			    60, swap);
			put_record(1700000001, 999, 0, 0, swap);
			assert_int_equal(savefile_open(&sf, buf, len, 1500),
			    0);
			assert_int_equal(sf.sf_swap, swap);

			assert_int_equal(savefile_next(&sf, &r), 1);
			/* nanoseconds are cut to microseconds, as libpcap */
			assert_true(r.sr_ts == 1700000000ULL * 1000000 +
			    123456);
			assert_int_equal(r.sr_caplen, 3);
			assert_int_equal(r.sr_len, 60);
			assert_ptr_equal(r.sr_data, buf + 24 + 16);
			assert_int_equal(r.sr_data[2], 0xa2);

			assert_int_equal(savefile_next(&sf, &r), 1);
			assert_true(r.sr_ts == 1700000001ULL * 1000000 +
			    (nsec ? 0 : 999));
			assert_int_equal(r.sr_caplen, 0);
			assert_int_equal(savefile_next(&sf, &r), 0);
			assert_int_equal(sf.sf_off, len);
		}
}

/* Each of these stops at the record, which stays next for libpcap. */
static void
assert_left_to_libpcap(size_t cut, uint32_t sec, uint32_t frac,
    uint32_t cap)
{
	struct savefile		sf;
	struct savefile_rec	r;

	put_header(0xa1b2c3d4, 0);
	put_record(1, 2, 4, 4, 0);
	put_record(sec, frac, cap, 1000, 0);
	assert_int_equal(savefile_open(&sf, buf, len - cut, 1500), 0);
	assert_int_equal(savefile_next(&sf, &r), 1);
	assert_int_equal(savefile_next(&sf, &r), -1);
	assert_int_equal(sf.sf_off, 24 + 16 + 4);
	assert_int_equal(savefile_next(&sf, &r), -1);
}

static void
test_left_to_libpcap(void **state)
{
	(void)state;
	assert_left_to_libpcap(1, 5, 5, 8);		/* data cut */
	assert_left_to_libpcap(8 + 9, 5, 5, 8);		/* header cut */
	assert_left_to_libpcap(0, 5, 5, 1501);		/* above snaplen */
	assert_left_to_libpcap(0, 0x80000000u, 5, 8);	/* signed time */
	assert_left_to_libpcap(0, 5, 0x80000000u, 8);
}

/* Above 262144 libpcap refuses a record whatever the header's snaplen */
static void
test_caplen_limit(void **state)
{
	static uint8_t		big[24 + 16 + 262145];
	struct savefile		sf;
	struct savefile_rec	r;
	uint32_t		v[4] = { 1, 2, 262145, 262145 };

	(void)state;
	put_header(0xa1b2c3d4, 0);
	memcpy(big, buf, 24);
	memcpy(big + 24, v, sizeof(v));
	assert_int_equal(savefile_open(&sf, big, sizeof(big), 0x7fffffff),
	    0);
	assert_int_equal(savefile_next(&sf, &r), -1);
	assert_int_equal(sf.sf_off, 24);

	/* one byte less is read */
	v[2] = v[3] = 262144;
	memcpy(big + 24, v, sizeof(v));
	assert_int_equal(savefile_open(&sf, big, sizeof(big) - 1,
	    0x7fffffff), 0);
	assert_int_equal(savefile_next(&sf, &r), 1);
	assert_int_equal(r.sr_caplen, 262144);
}

/* A file cut shorter: records past the new end are libpcap's. */
static void
test_limit(void **state)
{
	struct savefile		sf;
	struct savefile_rec	r;

	(void)state;
	put_header(0xa1b2c3d4, 0);
	put_record(1, 2, 4, 4, 0);
	put_record(3, 4, 8, 8, 0);
	assert_int_equal(savefile_open(&sf, buf, len, 1500), 0);
	savefile_limit(&sf, len - 1);		/* the second is torn */
	assert_int_equal(savefile_next(&sf, &r), 1);
	assert_int_equal(savefile_next(&sf, &r), -1);
	assert_int_equal(sf.sf_off, 24 + 16 + 4);

	assert_int_equal(savefile_open(&sf, buf, len, 1500), 0);
	assert_int_equal(savefile_next(&sf, &r), 1);
	savefile_limit(&sf, 10);		/* below what was read */
	assert_int_equal(savefile_next(&sf, &r), 0);
	assert_int_equal(sf.sf_off, 24 + 16 + 4);
	savefile_limit(&sf, len + 100);		/* never longer */
	assert_int_equal(sf.sf_len, 24 + 16 + 4);
}

static void
test_not_classic(void **state)
{
	struct savefile	sf;
	int		swap;

	(void)state;
	put_header(0x0a0d0d0a, 0);	/* pcapng */
	assert_int_equal(savefile_open(&sf, buf, len, 1500), -1);
	put_header(0xa1b2cd34, 0);	/* the modified format */
	assert_int_equal(savefile_open(&sf, buf, len, 1500), -1);
	put_header(0xa1b2c3d4, 0);
	assert_int_equal(savefile_open(&sf, buf, 23, 1500), -1);
	assert_int_equal(savefile_open(&sf, buf, 24, 1500), 0);

	/* before 2.4 the lengths may be swapped: libpcap's to read */
	for (swap = 0; swap < 2; swap++) {
		put_header(0xa1b2c3d4, swap);
		put_version(2, 3, swap);
		assert_int_equal(savefile_open(&sf, buf, 24, 1500), -1);
		put_version(2, 2, swap);
		assert_int_equal(savefile_open(&sf, buf, 24, 1500), -1);
		put_version(2, 5, swap);
		assert_int_equal(savefile_open(&sf, buf, 24, 1500), 0);
		put_version(3, 4, swap);
		assert_int_equal(savefile_open(&sf, buf, 24, 1500), -1);
	}
}

/* libpcap rewrites cooked SocketCAN headers of the other byte order */
static void
test_in_place(void **state)
{
	struct savefile	sf;
	int		swap;

	(void)state;
	for (swap = 0; swap < 2; swap++) {
		put_header(0xa1b2c3d4, swap);
		assert_int_equal(savefile_open(&sf, buf, len, 1500), 0);
		assert_true(savefile_in_place(&sf, 1));		/* Ethernet */
		assert_true(savefile_in_place(&sf, 228));	/* IPv4 */
		assert_false(savefile_in_place(&sf, 220));	/* USB */
		assert_int_equal(savefile_in_place(&sf, 113), !swap);
		assert_int_equal(savefile_in_place(&sf, 276), !swap);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_both_orders_and_units),
		cmocka_unit_test(test_left_to_libpcap),
		cmocka_unit_test(test_not_classic),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_caplen_limit),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
