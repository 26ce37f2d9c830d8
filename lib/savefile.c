/* SPDX-License-Identifier: ISC */
/* Classic pcap records read in place (savefile.h). */

#include <string.h>

#include "decode.h"
#include "savefile.h"

#define SAVEFILE_MAGIC_US	0xa1b2c3d4u
#define SAVEFILE_MAGIC_NS	0xa1b23c4du
#define SAVEFILE_AHEAD		4096	/* bytes prefetched ahead; measured */
#define SAVEFILE_CAPLEN_MAX	262144	/* libpcap's limit, all these types */
#define SAVEFILE_TIME_MAX	0x7fffffffu	/* libpcap's are signed */

static uint32_t
savefile_u32(const struct savefile *sf, const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return sf->sf_swap ? __builtin_bswap32(v) : v;
}

int
savefile_open(struct savefile *sf, const void *base, size_t len,
    uint32_t snaplen)
{
	uint32_t	magic;
	uint16_t	major, minor;

	memset(sf, 0, sizeof(*sf));
	if (len < SAVEFILE_HDR)
		return -1;
	memcpy(&magic, base, sizeof(magic));
	if (magic != SAVEFILE_MAGIC_US && magic != SAVEFILE_MAGIC_NS) {
		sf->sf_swap = 1;
		magic = __builtin_bswap32(magic);
	}
	if (magic != SAVEFILE_MAGIC_US && magic != SAVEFILE_MAGIC_NS)
		return -1;
	sf->sf_nsec = magic == SAVEFILE_MAGIC_NS;

	/*
	 * Before version 2.4 the two lengths may be the other way round
	 * (libpcap swaps them back, for 2.3 only when that makes sense):
	 * such files are left to libpcap.
	 */
	memcpy(&major, (const uint8_t *)base + 4, sizeof(major));
	memcpy(&minor, (const uint8_t *)base + 6, sizeof(minor));
	if (sf->sf_swap) {
		major = __builtin_bswap16(major);
		minor = __builtin_bswap16(minor);
	}
	if (major != 2 || minor < 4)
		return -1;
	sf->sf_base = base;
	sf->sf_len = len;
	sf->sf_off = sf->sf_ahead = SAVEFILE_HDR;
	/* libpcap refuses longer records whatever the header says */
	sf->sf_snaplen = snaplen < SAVEFILE_CAPLEN_MAX ? snaplen :
	    SAVEFILE_CAPLEN_MAX;
	return 0;
}

bool
savefile_in_place(const struct savefile *sf, int dlt)
{
	if (!decode_linktype_supported(dlt))
		return false;
	return !sf->sf_swap || (dlt != DECODE_DLT_LINUX_SLL &&
	    dlt != DECODE_DLT_LINUX_SLL2);
}

void
savefile_limit(struct savefile *sf, size_t len)
{
	if (len < sf->sf_len)
		sf->sf_len = len < sf->sf_off ? sf->sf_off : len;
}

int
savefile_next(struct savefile *sf, struct savefile_rec *rec)
{
	const uint8_t	*h = sf->sf_base + sf->sf_off;
	size_t		 left = sf->sf_len - sf->sf_off;
	uint32_t	 sec, frac;

	/* every line of the next pages, while these records are decoded */
	while (sf->sf_ahead < sf->sf_off + SAVEFILE_AHEAD &&
	    sf->sf_ahead < sf->sf_len) {
		__builtin_prefetch(sf->sf_base + sf->sf_ahead);
		sf->sf_ahead += 64;
	}
	if (left == 0)
		return 0;
	if (left < SAVEFILE_REC)
		return -1;
	sec = savefile_u32(sf, h);
	frac = savefile_u32(sf, h + 4);
	rec->sr_caplen = savefile_u32(sf, h + 8);
	rec->sr_len = savefile_u32(sf, h + 12);
	if (sec > SAVEFILE_TIME_MAX || frac > SAVEFILE_TIME_MAX ||
	    rec->sr_caplen > sf->sf_snaplen ||
	    rec->sr_caplen > left - SAVEFILE_REC)
		return -1;

	/* libpcap gives a nanosecond file's times in microseconds, cut */
	if (sf->sf_nsec)
		frac /= 1000;
	rec->sr_ts = (uint64_t)sec * 1000000 + frac;
	rec->sr_data = h + SAVEFILE_REC;
	sf->sf_off += SAVEFILE_REC + rec->sr_caplen;
	return 1;
}
