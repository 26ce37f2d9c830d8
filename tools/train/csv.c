/* SPDX-License-Identifier: ISC */
/*
 * Streaming CSV reader for flow tables (RFC 4180: quoted fields, "" for a
 * quote, CRLF or LF).  Only the current record is held, so a 1.6 GB file
 * reads in a few kilobytes.  Also the cell parser that decides what a
 * feature cell means.
 */

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "train.h"

#define CSV_IOBUF	(1 << 20)

int
csv_open(struct csv *cv, const char *path)
{
	memset(cv, 0, sizeof(*cv));
	cv->cv_path = path;
	cv->cv_nextline = 1;
	if ((cv->cv_fp = fopen(path, "r")) == NULL)
		return -1;

	/* big reads: the parser is byte at a time, the disk should not be */
	setvbuf(cv->cv_fp, NULL, _IOFBF, CSV_IOBUF);
	return 0;
}

void
csv_close(struct csv *cv)
{
	if (cv->cv_fp != NULL)
		fclose(cv->cv_fp);
	free(cv->cv_buf);
	free(cv->cv_off);
	memset(cv, 0, sizeof(*cv));
}

off_t
csv_offset(const struct csv *cv)
{
	return ftello(cv->cv_fp);
}

const char *
csv_field(const struct csv *cv, size_t i)
{
	return cv->cv_buf + cv->cv_off[i];
}

static void
csv_push(struct csv *cv, char c)
{
	if (cv->cv_len == cv->cv_cap) {
		cv->cv_cap = cv->cv_cap ? cv->cv_cap * 2 : 4096;
		cv->cv_buf = xreallocarray(cv->cv_buf, cv->cv_cap, 1);
	}
	cv->cv_buf[cv->cv_len++] = c;
}

/* Close the current field and open the next one. */
static void
csv_cut(struct csv *cv)
{
	csv_push(cv, '\0');
	if (cv->cv_nfld + 1 >= cv->cv_fldcap) {
		cv->cv_fldcap = cv->cv_fldcap ? cv->cv_fldcap * 2 : 128;
		cv->cv_off = xreallocarray(cv->cv_off, cv->cv_fldcap,
		    sizeof(*cv->cv_off));
	}
	cv->cv_off[++cv->cv_nfld] = cv->cv_len;
}

/* Inside quotes: read up to the closing quote.  Returns the next byte. */
static int
csv_quoted(struct csv *cv)
{
	FILE	*fp = cv->cv_fp;
	int	 c;

	for (;;) {
		if ((c = getc_unlocked(fp)) == EOF)
			errx(1, "%s:%lu: unterminated quoted field",
			    cv->cv_path, cv->cv_line);
		if (c == '"') {
			if ((c = getc_unlocked(fp)) != '"')
				return c;
		} else if (c == '\n')
			cv->cv_nextline++;
		csv_push(cv, (char)c);
	}
}

/*
 * Read one record.  Returns 1 with cv_nfld fields, or 0 at the end of the
 * file.  Blank lines are skipped.  Read errors are fatal.
 */
int
csv_next(struct csv *cv)
{
	FILE	*fp = cv->cv_fp;
	int	 c;

	if (cv->cv_fldcap == 0)
		csv_cut(cv);		/* allocates cv_off */
 again:
	cv->cv_len = cv->cv_nfld = 0;
	cv->cv_off[0] = 0;
	cv->cv_line = cv->cv_nextline;

	c = getc_unlocked(fp);
	for (;;) {
		if (c == '"' && cv->cv_len == cv->cv_off[cv->cv_nfld]) {
			c = csv_quoted(cv);
			continue;
		}
		if (c == '\r') {
			if ((c = getc_unlocked(fp)) != '\n') {
				csv_push(cv, '\r');
				continue;
			}
		}
		if (c == EOF || c == '\n') {
			if (c == '\n')
				cv->cv_nextline++;
			if (cv->cv_len == 0 && cv->cv_nfld == 0) {
				if (c == EOF)
					break;
				goto again;
			}
			csv_cut(cv);
			return 1;
		}
		if (c == ',')
			csv_cut(cv);
		else
			csv_push(cv, (char)c);
		c = getc_unlocked(fp);
	}

	if (ferror(fp))
		err(1, "%s", cv->cv_path);
	return 0;
}

/* Whole-number fast path: most flow counters are plain integers. */
static int
cell_integer(const char *s, float *out)
{
	const char	*p = s;
	int64_t		 v = 0;
	int		 neg = 0, nd = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++, nd++) {
		if (nd == 18)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (nd == 0 || *p != '\0')
		return -1;

	/* an exact integer converts to the nearest float, as strtof would */
	*out = (float)(neg ? -v : v);
	return 0;
}

/* Words for "no value": R's NA, NaN, and CICFlowMeter's infinities. */
static enum cell_kind
cell_word(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (strcasecmp(s, "nan") == 0 || strcasecmp(s, "na") == 0)
		return CELL_MISSING;
	if (strcasecmp(s, "infinity") == 0 || strcasecmp(s, "inf") == 0)
		return CELL_INFINITE;
	return CELL_TEXT;
}

/*
 * Classify and convert one feature cell.  CICFlowMeter writes NaN and
 * +-Infinity for rates of zero-duration flows; R writes NA for nothing.
 * Leading and trailing blanks are ignored.
 */
enum cell_kind
cell_parse(const char *s, float *out)
{
	char	buf[64], *end;
	size_t	len;
	float	v;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	if (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len >= sizeof(buf))
			return CELL_TEXT;
		memcpy(buf, s, len);
		buf[len] = '\0';
		s = buf;
	}
	if (len == 0)
		return CELL_MISSING;
	if (cell_integer(s, out) == 0)
		return CELL_NUMBER;

	/* strtof would take "nan" and "inf" too, but not "NA" */
	if (strpbrk(s, "aAiInN") != NULL && strpbrk(s, "eE") == NULL)
		return cell_word(s);

	errno = 0;
	v = strtof(s, &end);
	if (end == s || *end != '\0' || isnan(v))
		return CELL_TEXT;

	/* finite text too large for a float: the largest float */
	if (isinf(v))
		v = v > 0 ? FLT_MAX : -FLT_MAX;
	/*
	 * Below the smallest normal float: 0.  XGBoost would print such a
	 * value as a split threshold that neither the JSON reader nor the
	 * sidecar's strtof() takes back without a range error.
	 */
	if (v != 0 && fabsf(v) < FLT_MIN)
		v = 0;
	*out = v;
	return CELL_NUMBER;
}
