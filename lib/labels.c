/* SPDX-License-Identifier: ISC */
/*
 * Ground-truth labels: load nDPI's per-flow CSV, match flows to it.
 * Columns are found by their header name, so extra ones (a leading
 * "capture" column, say) are ignored.  Labels are sorted by their
 * address pair; a match looks up the flow's pair with a binary search
 * and checks protocol, ports and time on the few candidates.
 */

#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"

#define LABELS_MAX_FIELDS	64
#define LABELS_SLACK_US		1000	/* the file has ms */

enum lcol {
	LC_PROTO, LC_CIP, LC_CPORT, LC_SIP, LC_SPORT, LC_FIRST, LC_LAST,
	LC_LABEL, LC_CONF, LC_ID, LC_NCOLS
};

static const char *const lcol_names[LC_NCOLS] = {
	"proto", "client_ip", "client_port", "server_ip", "server_port",
	"first_seen", "last_seen", "label", "confidence", "ndpi_proto_id",
};

struct labels {
	struct label	*ls_v;
	size_t		 ls_n;
	size_t		 ls_cap;
	size_t		 ls_skipped;	/* rows with unreadable addresses */
};

/* Parse state of one file, for messages. */
struct lparse {
	const char	*lp_path;
	uint32_t	 lp_line;
	int		 lp_col[LC_NCOLS];
	char		*lp_err;
	size_t		 lp_errlen;
};

static int
lparse_fail(struct lparse *lp, const char *fmt, ...)
{
	char	msg[160];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)snprintf(lp->lp_err, lp->lp_errlen, "%s:%u: %s", lp->lp_path,
	    lp->lp_line, msg);
	return -1;
}

/*
 * Split one CSV line in place (RFC 4180 quoting).  Returns the number of
 * fields, or -1 if there are more than max or a quote is not closed.
 */
static int
csv_split(char *s, char **f, int max)
{
	int	n = 0;
	char	*w;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = w = s;
		if (*s == '"') {
			for (s++; *s != '\0'; s++) {
				if (*s == '"' && s[1] != '"')
					break;
				if (*s == '"')
					s++;
				*w++ = *s;
			}
			if (*s++ != '"')
				return -1;
		} else
			while (*s != ',' && *s != '\0')
				*w++ = *s++;
		if (*s != ',' && *s != '\0')
			return -1;
		if (*s == '\0') {
			*w = '\0';
			return n;
		}
		s++;
		*w = '\0';
	}
}

static void
chomp(char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int
lparse_header(struct lparse *lp, char *line)
{
	char	*f[LABELS_MAX_FIELDS];
	int	 n, i, c;

	if ((n = csv_split(line, f, LABELS_MAX_FIELDS)) < 0)
		return lparse_fail(lp, "malformed header");
	for (c = 0; c < LC_NCOLS; c++) {
		lp->lp_col[c] = -1;
		for (i = 0; i < n; i++)
			if (strcmp(f[i], lcol_names[c]) == 0)
				lp->lp_col[c] = i;
		if (lp->lp_col[c] < 0 && c != LC_CONF)
			return lparse_fail(lp, "no %s column",
			    lcol_names[c]);
	}
	return 0;
}

/* Unsigned decimal no larger than max. */
static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char		*end;
	unsigned long	 v;

	if (*s == '\0')
		v = 0;
	else {
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || *end != '\0')
			return -1;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* "1112172654.366" to microseconds, without going through a double. */
static int
parse_time(const char *s, uint64_t *us)
{
	unsigned long long	 sec = 0, frac = 0;
	unsigned		 digits = 0;
	const char		*p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		sec = sec * 10 + (unsigned)(*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (digits < 6) {
				frac = frac * 10 + (unsigned)(*p - '0');
				digits++;
			}
	if (*p != '\0' || sec > UINT64_MAX / 1000000 - 1)
		return -1;
	for (; digits < 6; digits++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return 0;
}

/* nDPI id: "5.126" (master.app) gives the app's id, 126. */
static int
parse_id(const char *s, uint16_t *id)
{
	const char	*dot = strrchr(s, '.');
	unsigned long	 v;

	if (parse_uint(dot != NULL ? dot + 1 : s, UINT16_MAX, &v) < 0)
		return -1;
	*id = (uint16_t)v;
	return 0;
}

static int
parse_addr(const char *s, uint8_t *a, uint8_t *ver)
{
	memset(a, 0, 16);
	if (inet_pton(AF_INET, s, a) == 1) {
		*ver = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		*ver = 6;
		return 0;
	}
	return -1;
}

static int
copy_text(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/*
 * Endpoints and protocol of one row.  An address that does not parse
 * (nDPI prints what malformed packets held) makes the row one no flow
 * can match: 1 says skip it.
 */
static int
lparse_ends(struct lparse *lp, char **f, struct label *lb)
{
	unsigned long	v;
	uint8_t		ver2;

	if (parse_uint(f[lp->lp_col[LC_PROTO]], 255, &v) < 0)
		return lparse_fail(lp, "bad proto");
	lb->lb_proto = (uint8_t)v;
	if (parse_addr(f[lp->lp_col[LC_CIP]], lb->lb_addr[0],
	    &lb->lb_ipver) < 0 ||
	    parse_addr(f[lp->lp_col[LC_SIP]], lb->lb_addr[1], &ver2) < 0 ||
	    ver2 != lb->lb_ipver)
		return 1;
	if (parse_uint(f[lp->lp_col[LC_CPORT]], UINT16_MAX, &v) < 0)
		return lparse_fail(lp, "bad client_port");
	lb->lb_port[0] = (uint16_t)v;
	if (parse_uint(f[lp->lp_col[LC_SPORT]], UINT16_MAX, &v) < 0)
		return lparse_fail(lp, "bad server_port");
	lb->lb_port[1] = (uint16_t)v;
	return 0;
}

/* One row into *lb: 0, 1 to skip it, -1 on error. */
static int
lparse_row(struct lparse *lp, char *line, struct label *lb)
{
	char	*f[LABELS_MAX_FIELDS];
	int	 n, c, rv;

	if ((n = csv_split(line, f, LABELS_MAX_FIELDS)) < 0)
		return lparse_fail(lp, "malformed line");
	for (c = 0; c < LC_NCOLS; c++)
		if (lp->lp_col[c] >= n)
			return lparse_fail(lp, "%d fields, too few", n);

	memset(lb, 0, sizeof(*lb));
	lb->lb_line = lp->lp_line;
	if ((rv = lparse_ends(lp, f, lb)) != 0)
		return rv;
	if (parse_time(f[lp->lp_col[LC_FIRST]], &lb->lb_first) < 0 ||
	    parse_time(f[lp->lp_col[LC_LAST]], &lb->lb_last) < 0 ||
	    lb->lb_last < lb->lb_first)
		return lparse_fail(lp, "bad first_seen or last_seen");
	if (parse_id(f[lp->lp_col[LC_ID]], &lb->lb_id) < 0)
		return lparse_fail(lp, "bad ndpi_proto_id");
	if (copy_text(lb->lb_name, sizeof(lb->lb_name),
	    f[lp->lp_col[LC_LABEL]]) < 0 || lb->lb_name[0] == '\0')
		return lparse_fail(lp, "bad label");
	if (lp->lp_col[LC_CONF] >= 0 && copy_text(lb->lb_confidence,
	    sizeof(lb->lb_confidence), f[lp->lp_col[LC_CONF]]) < 0)
		return lparse_fail(lp, "confidence too long");
	return 0;
}

static int
labels_push(struct labels *ls, const struct label *lb)
{
	struct label	*v;
	size_t		 cap;

	if (ls->ls_n == ls->ls_cap) {
		cap = ls->ls_cap == 0 ? 256 : ls->ls_cap * 2;
		if ((v = reallocarray(ls->ls_v, cap, sizeof(*v))) == NULL)
			return -1;
		ls->ls_v = v;
		ls->ls_cap = cap;
	}
	ls->ls_v[ls->ls_n++] = *lb;
	return 0;
}

/* Two endpoints' addresses, lower first: what labels are sorted by. */
struct apair {
	uint8_t		ap_ver;
	uint8_t		ap_addr[2][16];
};

/* Order of pairs: version, then bytes. */
static int
pair_cmp(const struct apair *a, const struct apair *b)
{
	if (a->ap_ver != b->ap_ver)
		return a->ap_ver < b->ap_ver ? -1 : 1;
	return memcmp(a->ap_addr, b->ap_addr, sizeof(a->ap_addr));
}

static void
pair_make(struct apair *ap, uint8_t ver, const uint8_t *x, const uint8_t *y)
{
	int	swap = memcmp(x, y, 16) > 0;

	memset(ap, 0, sizeof(*ap));
	ap->ap_ver = ver;
	memcpy(ap->ap_addr[0], swap ? y : x, 16);
	memcpy(ap->ap_addr[1], swap ? x : y, 16);
}

static void
label_pair(const struct label *lb, struct apair *ap)
{
	pair_make(ap, lb->lb_ipver, lb->lb_addr[0], lb->lb_addr[1]);
}

static int
label_cmp(const void *a, const void *b)
{
	const struct label	*la = a, *lb = b;
	struct apair		 pa, pb;
	int			 c;

	label_pair(la, &pa);
	label_pair(lb, &pb);
	if ((c = pair_cmp(&pa, &pb)) != 0)
		return c;
	if (la->lb_first != lb->lb_first)
		return la->lb_first < lb->lb_first ? -1 : 1;
	return la->lb_line < lb->lb_line ? -1 : la->lb_line > lb->lb_line;
}

static int
labels_read(struct labels *ls, FILE *fp, struct lparse *lp)
{
	char		*line = NULL;
	size_t		 cap = 0;
	struct label	 lb;
	int		 rv = -1, r;

	if (getline(&line, &cap, fp) < 0) {
		lp->lp_line = 1;
		(void)lparse_fail(lp, "empty file");
		goto out_free;
	}
	lp->lp_line = 1;
	chomp(line);
	if (lparse_header(lp, line) < 0)
		goto out_free;
	while (getline(&line, &cap, fp) >= 0) {
		lp->lp_line++;
		chomp(line);
		if (line[0] == '\0')
			continue;
		if ((r = lparse_row(lp, line, &lb)) < 0)
			goto out_free;
		if (r > 0) {
			ls->ls_skipped++;
			continue;
		}
		if (labels_push(ls, &lb) < 0) {
			(void)lparse_fail(lp, "out of memory");
			goto out_free;
		}
	}
	if (ferror(fp))
		(void)lparse_fail(lp, "%s", strerror(errno));
	else
		rv = 0;
out_free:
	free(line);
	return rv;
}

struct labels *
labels_load(const char *path, char *errbuf, size_t errlen)
{
	struct labels	*ls;
	struct lparse	 lp;
	FILE		*fp;

	memset(&lp, 0, sizeof(lp));
	lp.lp_path = path;
	lp.lp_err = errbuf;
	lp.lp_errlen = errlen;
	if ((fp = fopen(path, "r")) == NULL) {
		(void)snprintf(errbuf, errlen, "%s: %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((ls = calloc(1, sizeof(*ls))) == NULL) {
		(void)snprintf(errbuf, errlen, "%s: out of memory", path);
		goto out_close;
	}
	if (labels_read(ls, fp, &lp) < 0) {
		labels_free(ls);
		ls = NULL;
		goto out_close;
	}
	if (ls->ls_n > 0)
		qsort(ls->ls_v, ls->ls_n, sizeof(*ls->ls_v), label_cmp);
out_close:
	(void)fclose(fp);
	return ls;
}

size_t
labels_count(const struct labels *ls)
{
	return ls->ls_n;
}

size_t
labels_skipped(const struct labels *ls)
{
	return ls->ls_skipped;
}

void
labels_free(struct labels *ls)
{
	if (ls == NULL)
		return;
	free(ls->ls_v);
	free(ls);
}

/* First label whose address pair is not below *ap. */
static size_t
labels_lower(const struct labels *ls, const struct apair *ap)
{
	size_t		lo = 0, hi = ls->ls_n, mid;
	struct apair	p;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		label_pair(&ls->ls_v[mid], &p);
		if (pair_cmp(&p, ap) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
label_has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17;
}

/* Protocol and ports of a label against a flow's. */
static bool
label_fits(const struct label *lb, const struct flow *fl)
{
	bool	same, cross;

	if (fl->fl_proto == 0 && fl->fl_ipver == 4) {
		if (label_has_ports(lb->lb_proto))
			return false;
	} else if (lb->lb_proto != fl->fl_proto)
		return false;
	if (!label_has_ports(lb->lb_proto))
		return true;

	same = memcmp(lb->lb_addr[0], flow_src(fl), 16) == 0 &&
	    lb->lb_port[0] == flow_sport(fl) &&
	    memcmp(lb->lb_addr[1], flow_dst(fl), 16) == 0 &&
	    lb->lb_port[1] == flow_dport(fl);
	cross = memcmp(lb->lb_addr[0], flow_dst(fl), 16) == 0 &&
	    lb->lb_port[0] == flow_dport(fl) &&
	    memcmp(lb->lb_addr[1], flow_src(fl), 16) == 0 &&
	    lb->lb_port[1] == flow_sport(fl);
	return same || cross;
}

const struct label *
labels_match(const struct labels *ls, const struct flow *fl)
{
	const struct label	*lb, *best = NULL;
	struct apair		 pair, p;
	uint64_t		 first, last, lo, hi;
	int64_t			 ov, best_ov = INT64_MIN;
	size_t			 i;

	pair_make(&pair, fl->fl_ipver, flow_src(fl), flow_dst(fl));
	first = flow_first(fl) < flow_last(fl) ? flow_first(fl) : flow_last(fl);
	last = flow_first(fl) < flow_last(fl) ? flow_last(fl) : flow_first(fl);

	for (i = labels_lower(ls, &pair); i < ls->ls_n; i++) {
		lb = &ls->ls_v[i];
		label_pair(lb, &p);
		if (pair_cmp(&p, &pair) != 0)
			break;
		if (!label_fits(lb, fl) ||
		    lb->lb_first > last + LABELS_SLACK_US ||
		    lb->lb_last + LABELS_SLACK_US < first)
			continue;
		lo = lb->lb_first > first ? lb->lb_first : first;
		hi = lb->lb_last < last ? lb->lb_last : last;
		ov = (int64_t)hi - (int64_t)lo;
		if (ov > best_ov) {
			best_ov = ov;
			best = lb;
		}
	}
	return best;
}
