/* SPDX-License-Identifier: ISC */
/*
 * Decimal text without printf, for the per-flow output paths (records,
 * CSV rows), where vfprintf's format parsing cost more than the digits.
 * The text is byte for byte printf's.  The caller provides room; unless
 * said otherwise nothing is NUL-terminated.
 */
#ifndef FLOWID_FMT_H
#define FLOWID_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define FMT_U64_MAX	20	/* digits of UINT64_MAX */

/* v in decimal, as "%llu" writes it; returns the number of bytes. */
size_t	fmt_u64(char *buf, uint64_t v);

/* v in exactly width digits, zero-padded (only the low ones if more). */
void	fmt_u32_pad(char *buf, uint32_t v, size_t width);

/*
 * A broken-down UTC time to the second, "2017-04-26T11:11:17", as
 * "%04d-%02d-%02dT%02d:%02d:%02d" writes it; returns the length.
 */
#define FMT_TM_ISO_MAX	64	/* room for any int year */
size_t	fmt_tm_iso(char *buf, const struct tm *);

/* An IPv4 address in dotted decimal, as inet_ntop writes it. */
#define FMT_IPV4_MAX	15
size_t	fmt_ipv4(char *buf, const uint8_t a[4]);

/*
 * v as "%.2f" writes it (rounded to nearest, ties to even); returns the
 * number of bytes.  buf holds FMT_FIXED2_MAX bytes.
 */
#define FMT_FIXED2_MAX	320	/* "%.2f" of DBL_MAX, NUL included */
size_t	fmt_fixed2(char *buf, double v);

/*
 * v as the first of "%.15g" and "%.16g" that strtod reads back as v,
 * else as "%.17g": the fewest of those digits that keep the value.
 * NUL-terminated; returns the length.  buf holds FMT_G_MAX bytes.
 */
#define FMT_G_MAX	32	/* "-1.2345678901234567e-308" and more */
size_t	fmt_g_roundtrip(char *buf, double v);

#endif /* FLOWID_FMT_H */
