/* SPDX-License-Identifier: ISC */
/*
 * Decimal writers for the output paths; see fmt.h.  Digits are written
 * from the end, two at a time, so a 20-digit number costs ten divisions
 * by a constant (multiplications once compiled).
 */

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#define FMT_2P53	9007199254740992.0	/* above, not every integer */

static const char fmt_pairs[] =
    "00010203040506070809101112131415161718192021222324"
    "25262728293031323334353637383940414243444546474849"
    "50515253545556575859606162636465666768697071727374"
    "75767778798081828384858687888990919293949596979899";

/* How many decimal digits v has (1 for 0). */
static size_t
fmt_digits(uint64_t v)
{
	size_t	n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	if (v >= 1000)
		return n + 3;
	if (v >= 100)
		return n + 2;
	if (v >= 10)
		return n + 1;
	return n;
}

/* The n low digits of v, ending at buf + n. */
static void
fmt_back(char *buf, uint64_t v, size_t n)
{
	char	*p = buf + n;

	while (n >= 2) {
		p -= 2;
		memcpy(p, &fmt_pairs[(v % 100) * 2], 2);
		v /= 100;
		n -= 2;
	}
	if (n == 1)
		*--p = (char)('0' + v % 10);
}

size_t
fmt_u64(char *buf, uint64_t v)
{
	size_t	n = fmt_digits(v);

	fmt_back(buf, v, n);
	return n;
}

void
fmt_u32_pad(char *buf, uint32_t v, size_t width)
{
	fmt_back(buf, v, width);
}

size_t
fmt_tm_iso(char *buf, const struct tm *tm)
{
	int	year = tm->tm_year + 1900;

	if (year < 0 || year > 9999 || tm->tm_mon < 0 || tm->tm_mon > 11 ||
	    tm->tm_mday < 0 || tm->tm_mday > 99 || tm->tm_hour < 0 ||
	    tm->tm_hour > 99 || tm->tm_min < 0 || tm->tm_min > 99 ||
	    tm->tm_sec < 0 || tm->tm_sec > 99)
		return (size_t)snprintf(buf, FMT_TM_ISO_MAX,
		    "%04d-%02d-%02dT%02d:%02d:%02d", year, tm->tm_mon + 1,
		    tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
	fmt_u32_pad(buf, (uint32_t)year, 4);
	buf[4] = '-';
	fmt_u32_pad(buf + 5, (uint32_t)tm->tm_mon + 1, 2);
	buf[7] = '-';
	fmt_u32_pad(buf + 8, (uint32_t)tm->tm_mday, 2);
	buf[10] = 'T';
	fmt_u32_pad(buf + 11, (uint32_t)tm->tm_hour, 2);
	buf[13] = ':';
	fmt_u32_pad(buf + 14, (uint32_t)tm->tm_min, 2);
	buf[16] = ':';
	fmt_u32_pad(buf + 17, (uint32_t)tm->tm_sec, 2);
	return 19;
}

size_t
fmt_ipv4(char *buf, const uint8_t a[4])
{
	size_t	n = fmt_u64(buf, a[0]);
	int	i;

	for (i = 1; i < 4; i++) {
		buf[n++] = '.';
		n += fmt_u64(buf + n, a[i]);
	}
	return n;
}

/*
 * The exact rounding of v * 100 is (m * 100) >> s for v = m * 2^-s, m
 * of 53 bits, so no double rounding can creep in.  Values this does not
 * cover (negative, huge, NaN) go through snprintf.
 */
size_t
fmt_fixed2(char *buf, double v)
{
	uint64_t	m, q, rem, half;
	size_t		n;
	int		e2, s;

	if (!(v >= 0 && v < 1e9) || signbit(v))
		return (size_t)snprintf(buf, FMT_FIXED2_MAX, "%.2f", v);
	m = (uint64_t)(frexp(v, &e2) * FMT_2P53) * 100;
	s = 53 - e2;
	if (s >= 64)
		q = 0;		/* v * 100 < 2^60 / 2^64: under half */
	else {
		q = m >> s;
		rem = m & ((1ULL << s) - 1);
		half = 1ULL << (s - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
	}
	n = fmt_u64(buf, q / 100);
	buf[n++] = '.';
	fmt_u32_pad(buf + n, (uint32_t)(q % 100), 2);
	return n + 2;
}

/*
 * fmt_g_roundtrip(): the first of "%.15g", "%.16g" that strtod reads
 * back as the same double, else "%.17g".  With snprintf and strtod that
 * took 2 to 5 calls into glibc's multi-precision code per value.  Here
 * the 17 correctly rounded digits come from exact integer arithmetic
 * (values from 1e-11 to 1e17, nearly all that flows produce) or from
 * one "%.16e"; the 15- and 16-digit forms are rounded from those, and
 * only what that rounding cannot decide goes the old way.
 */

/* Powers of ten that a double holds exactly. */
static const double fmt_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define FMT_POW10_N	(sizeof(fmt_pow10) / sizeof(*fmt_pow10))
#define FMT_POW5_N	28	/* 5^27 < 2^63 */
#define FMT_1E16	10000000000000000ULL

/* How a decimal's digits relate to the value they were rounded from. */
enum fmt_dec_adj {
	FMT_DEC_EXACT,		/* equal */
	FMT_DEC_ABOVE,		/* rounded up */
	FMT_DEC_BELOW,		/* rounded down */
	FMT_DEC_UNKNOWN,	/* one or the other */
};

/* A decimal: dc_m, of dc_n digits, times 10^(dc_e - dc_n + 1). */
struct fmt_dec {
	uint64_t	 dc_m;
	int		 dc_n;
	int		 dc_e;	/* exponent of the first digit */
	enum fmt_dec_adj dc_adj;
};

static uint64_t
fmt_ipow10(int n)
{
	uint64_t	p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* The old way: it decides every case, at a price. */
static size_t
fmt_g_slow(double v, char *buf)
{
	int	prec;

	for (prec = 15; prec < 17; prec++) {
		(void)snprintf(buf, FMT_G_MAX, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return strlen(buf);
	}
	return (size_t)snprintf(buf, FMT_G_MAX, "%.17g", v);
}

/* |v| to 17 significant digits, as "%.16e" rounds it. */
static void
fmt_dec17_printf(double av, struct fmt_dec *d)
{
	char		 t[FMT_G_MAX];
	const char	*p;

	(void)snprintf(t, sizeof(t), "%.16e", av);
	d->dc_m = (uint64_t)(t[0] - '0');
	for (p = t + 2; *p >= '0' && *p <= '9'; p++)
		d->dc_m = d->dc_m * 10 + (uint64_t)(*p - '0');
	d->dc_n = 17;
	d->dc_e = atoi(p + 1);
	d->dc_adj = FMT_DEC_UNKNOWN;
}

/* a * b as a 128-bit number, in two halves (C11 has no wider type). */
static void
fmt_mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t	a0 = a & 0xffffffffu, a1 = a >> 32;
	uint64_t	b0 = b & 0xffffffffu, b1 = b >> 32;
	uint64_t	p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
	uint64_t	mid;

	mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
	*lo = (mid << 32) | (p00 & 0xffffffffu);
	*hi = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* What an integer division dropped, against half the divisor. */
enum fmt_rem {
	FMT_REM_ZERO,
	FMT_REM_LOW,		/* under half */
	FMT_REM_HALF,
	FMT_REM_HIGH,		/* over half */
};

/*
 * (hi:lo) / 2^s, for 0 < s < 64, truncated; false if the quotient needs
 * more than 64 bits.
 */
static bool
fmt_shr(uint64_t hi, uint64_t lo, int s, uint64_t *q, enum fmt_rem *rem)
{
	uint64_t	r = lo & ((1ULL << s) - 1), half = 1ULL << (s - 1);

	if (hi >> s != 0)
		return false;
	*q = (lo >> s) | (hi << (64 - s));
	*rem = r == 0 ? FMT_REM_ZERO : r < half ? FMT_REM_LOW :
	    r == half ? FMT_REM_HALF : FMT_REM_HIGH;
	return true;
}

/*
 * m * 2^e2 * 10^k, truncated to an integer, exactly: m * 5^k shifted
 * by e2 + k.  false when the numbers leave the range handled here.
 */
static bool
fmt_scale(uint64_t m, int e2, int k, uint64_t *q, enum fmt_rem *rem)
{
	uint64_t	p5 = 1, hi, lo;
	int		t = e2 + k, i;

	if (k < 0 || k >= FMT_POW5_N)
		return false;
	for (i = 0; i < k; i++)
		p5 *= 5;
	fmt_mul64(m, p5, &hi, &lo);
	if (t >= 0) {
		if (t >= 64 || hi != 0 || (t > 0 && lo >> (64 - t) != 0))
			return false;
		*q = lo << t;
		*rem = FMT_REM_ZERO;
		return true;
	}
	if (-t >= 64)
		return false;
	return fmt_shr(hi, lo, -t, q, rem);
}

/*
 * |v| to 17 significant digits, rounded to nearest (ties to even, as
 * printf does) without printf; false for values outside about [1e-11,
 * 1e17), subnormals included.
 */
static bool
fmt_dec17_exact(double av, struct fmt_dec *d)
{
	enum fmt_rem	rem;
	uint64_t	m, q;
	int		e2, k, tries;
	bool		up;

	if (av < 1e-11 || av >= 1e17)
		return false;
	m = (uint64_t)(frexp(av, &e2) * FMT_2P53);
	e2 -= 53;
	/* a first guess of the decimal exponent, then corrected */
	k = 16 - (int)floor((e2 + 52) * 0.30102999566398120);
	for (tries = 0; tries < 3; tries++) {
		if (!fmt_scale(m, e2, k, &q, &rem))
			return false;
		if (q < FMT_1E16)
			k++;
		else if (q >= 10 * FMT_1E16)
			k--;
		else
			break;
	}
	if (tries == 3)
		return false;

	up = rem == FMT_REM_HIGH || (rem == FMT_REM_HALF && (q & 1));
	d->dc_adj = rem == FMT_REM_ZERO ? FMT_DEC_EXACT : up ?
	    FMT_DEC_ABOVE : FMT_DEC_BELOW;
	q += up;
	if (q == 10 * FMT_1E16) {	/* rounded up to a new digit */
		q = FMT_1E16;
		k--;
	}
	d->dc_m = q;
	d->dc_n = 17;
	d->dc_e = 16 - k;
	return true;
}

/*
 * Round the 17 digits of d to n, as printf would round the value they
 * came from.  A dropped tail of exactly half a unit is decided by how
 * the 17 digits were rounded themselves; if that is unknown, or the
 * value is a true tie, false: the caller asks printf.
 */
static bool
fmt_dec_round(const struct fmt_dec *d, int n, struct fmt_dec *r)
{
	uint64_t	unit = fmt_ipow10(d->dc_n - n);
	uint64_t	rest = d->dc_m % unit;
	bool		up = rest > unit / 2;

	if (rest == unit / 2) {
		if (d->dc_adj != FMT_DEC_ABOVE && d->dc_adj != FMT_DEC_BELOW)
			return false;
		up = d->dc_adj == FMT_DEC_BELOW;
	}
	r->dc_m = d->dc_m / unit + up;
	r->dc_n = n;
	r->dc_e = d->dc_e;
	r->dc_adj = FMT_DEC_UNKNOWN;
	if (r->dc_m == fmt_ipow10(n)) {
		r->dc_m /= 10;
		r->dc_e++;
	}
	return true;
}

/*
 * Whether d reads back as av.  With an exact significand and an exact
 * power of ten, one IEEE multiplication or division rounds correctly,
 * as strtod does; other cases go through strtod.
 */
static bool
fmt_dec_reads_as(const struct fmt_dec *d, const char *text, double av)
{
	uint64_t	m = d->dc_m;
	int		k = d->dc_e - d->dc_n + 1;

	while (m % 10 == 0 && m != 0) {
		m /= 10;
		k++;
	}
	if (m > (1ULL << 53) || k >= (int)FMT_POW10_N ||
	    -k >= (int)FMT_POW10_N)
		return strtod(text, NULL) == av;
	if (k >= 0)
		return (double)m * fmt_pow10[k] == av;
	return (double)m / fmt_pow10[-k] == av;
}

/* The exponent part of "%e": e, a sign, at least two digits. */
static size_t
fmt_exp_text(char *p, int e)
{
	size_t	n = 0;

	p[n++] = 'e';
	p[n++] = e < 0 ? '-' : '+';
	if (e < 0)
		e = -e;
	if (e < 10)
		p[n++] = '0';
	return n + fmt_u64(p + n, (uint64_t)e);
}

/*
 * d as "%.<prec>g" writes it (prec = d->dc_n): fixed notation when the
 * exponent is in [-4, prec), else exponential; no trailing zeros.
 */
static size_t
fmt_dec_text(const struct fmt_dec *d, bool neg, char *buf)
{
	char	dig[FMT_U64_MAX];
	size_t	n, len = 0, i;
	int	e = d->dc_e;

	n = fmt_u64(dig, d->dc_m);
	while (n > 1 && dig[n - 1] == '0')
		n--;
	if (neg)
		buf[len++] = '-';
	if (e < -4 || e >= d->dc_n) {
		buf[len++] = dig[0];
		if (n > 1) {
			buf[len++] = '.';
			memcpy(buf + len, dig + 1, n - 1);
			len += n - 1;
		}
		return len + fmt_exp_text(buf + len, e);
	}
	if (e < 0) {
		memcpy(buf + len, "0.0000", (size_t)(1 - e));
		len += (size_t)(1 - e);
		memcpy(buf + len, dig, n);
		return len + n;
	}
	for (i = 0; i <= (size_t)e; i++)
		buf[len++] = i < n ? dig[i] : '0';
	if (n > (size_t)e + 1) {
		buf[len++] = '.';
		memcpy(buf + len, dig + e + 1, n - (size_t)e - 1);
		len += n - (size_t)e - 1;
	}
	return len;
}

size_t
fmt_g_roundtrip(char *buf, double v)
{
	struct fmt_dec	d17, d;
	double		av = fabs(v);
	size_t		len;
	int		n;

	if (!isfinite(v) || v == 0)
		return fmt_g_slow(v, buf);
	if (!fmt_dec17_exact(av, &d17))
		fmt_dec17_printf(av, &d17);
	for (n = 15; n <= 16; n++) {
		if (!fmt_dec_round(&d17, n, &d))
			return fmt_g_slow(v, buf);
		len = fmt_dec_text(&d, v < 0, buf);
		buf[len] = '\0';
		if (fmt_dec_reads_as(&d, buf + (v < 0), av))
			return len;
	}
	len = fmt_dec_text(&d17, v < 0, buf);
	buf[len] = '\0';
	return len;
}
