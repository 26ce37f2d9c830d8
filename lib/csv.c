/* SPDX-License-Identifier: ISC */
/*
 * CSV export of flow records in the Unicauca layout.  The text columns
 * (Flow.ID, addresses, Timestamp, labels) are written here; every number
 * comes from features_compute(), printed in its shortest form that reads
 * back as the same double.
 */

#include <arpa/inet.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "features_set.h"
#include "fmt.h"

#define CSV_ADDR_MAX	INET6_ADDRSTRLEN
#define CSV_ID_MAX	(2 * CSV_ADDR_MAX + 24)

/* Where the text columns sit among the numeric ones (csv_write_row). */
#define CSV_NUM_BEFORE_DST	1	/* Source.Port */
#define CSV_NUM_BEFORE_TS	3	/* ... Destination.Port, Protocol */

static const char *const csv_text_head[] = {
	"Flow.ID", "Source.IP", "Destination.IP", "Timestamp",
};

static const char *const csv_text_tail[] = {
	"Label", "L7Protocol", "ProtocolName",
};

/*
 * A row is built in memory and handed to stdio in one fwrite: with a
 * fputc or fputs per field, stdio's locking cost as much as the text.
 */
#define CSV_ROW_BUF	4096

struct csv_row {
	FILE	*cr_fp;
	size_t	 cr_len;
	char	 cr_buf[CSV_ROW_BUF];
};

static void
csv_row_flush(struct csv_row *cr)
{
	if (cr->cr_len > 0)
		(void)fwrite(cr->cr_buf, 1, cr->cr_len, cr->cr_fp);
	cr->cr_len = 0;
}

/* Room for n more bytes (n <= CSV_ROW_BUF); returns where they go. */
static char *
csv_row_room(struct csv_row *cr, size_t n)
{
	if (cr->cr_len + n > sizeof(cr->cr_buf))
		csv_row_flush(cr);
	return cr->cr_buf + cr->cr_len;
}

static void
csv_put(struct csv_row *cr, const char *s, size_t n)
{
	if (n > sizeof(cr->cr_buf)) {
		csv_row_flush(cr);
		(void)fwrite(s, 1, n, cr->cr_fp);
		return;
	}
	memcpy(csv_row_room(cr, n), s, n);
	cr->cr_len += n;
}

static void
csv_putc(struct csv_row *cr, char c)
{
	*csv_row_room(cr, 1) = c;
	cr->cr_len++;
}

/* A text field, quoted when it holds a comma, a quote or a line end. */
static void
csv_text(struct csv_row *cr, const char *s, bool comma)
{
	const char	*p;

	if (comma)
		csv_putc(cr, ',');
	if (strpbrk(s, ",\"\r\n") == NULL) {
		csv_put(cr, s, strlen(s));
		return;
	}
	csv_putc(cr, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			csv_putc(cr, '"');
		csv_putc(cr, *p);
	}
	csv_putc(cr, '"');
}

/* Whole numbers below this are written as integers. */
#define CSV_2P53	9007199254740992.0

/* NaN and infinities as Java writes them, which pandas reads. */
size_t
csv_number_text(double v, char *buf)
{
	size_t	len;
	int64_t	i;

	if (isnan(v)) {
		(void)strcpy(buf, "NaN");
		return 3;
	}
	if (isinf(v)) {
		(void)strcpy(buf, v > 0 ? "Infinity" : "-Infinity");
		return v > 0 ? 8 : 9;
	}
	if (fabs(v) < CSV_2P53 && (double)(i = (int64_t)v) == v) {
		len = 0;
		if (i < 0) {
			buf[len++] = '-';
			i = -i;
		}
		len += fmt_u64(buf + len, (uint64_t)i);
		buf[len] = '\0';
		return len;
	}
	return fmt_g_roundtrip(buf, v);
}

/* A comma and a number, written straight into the row. */
static void
csv_number(struct csv_row *cr, double v)
{
	char	*p = csv_row_room(cr, CSV_NUMBER_MAX + 1);

	*p = ',';
	cr->cr_len += 1 + csv_number_text(v, p + 1);
}

/*
 * An address as inet_ntop writes it; IPv4 by hand, as inet_ntop calls
 * sprintf for it.  Returns the length; buf holds CSV_ADDR_MAX bytes.
 */
static size_t
csv_addr(const struct flow *fl, const uint8_t *a, char *buf)
{
	size_t	n;

	if (fl->fl_ipver != 6) {
		n = fmt_ipv4(buf, a);
		buf[n] = '\0';
		return n;
	}
	if (inet_ntop(AF_INET6, a, buf, CSV_ADDR_MAX) == NULL)
		(void)strcpy(buf, "?");
	return strlen(buf);
}

/*
 * unicauca's tool named a flow by its two addresses in a fixed order:
 * the first byte that differs, compared as a signed byte, puts the lower
 * address first (so 192.x precedes 66.x).  Equal addresses keep the
 * flow's own order.
 */
static bool
csv_legacy_swap(const struct flow *fl)
{
	size_t	i, n = fl->fl_ipver == 6 ? 16 : 4;

	for (i = 0; i < n; i++)
		if (flow_src(fl)[i] != flow_dst(fl)[i])
			return (int8_t)flow_src(fl)[i] > (int8_t)flow_dst(fl)[i];
	return false;
}

/* "a-b-sport-dport-proto", then cut to len as snprintf would. */
int
csv_flow_id(const struct flow *fl, enum flowid_profile prof, char *buf,
    size_t len)
{
	char		t[CSV_ID_MAX];
	size_t		n;
	bool		swap;

	swap = prof == FLOWID_PROFILE_UNICAUCA && csv_legacy_swap(fl);
	n = csv_addr(fl, swap ? flow_dst(fl) : flow_src(fl), t);
	t[n++] = '-';
	n += csv_addr(fl, swap ? flow_src(fl) : flow_dst(fl), t + n);
	t[n++] = '-';
	n += fmt_u64(t + n, swap ? flow_dport(fl) : flow_sport(fl));
	t[n++] = '-';
	n += fmt_u64(t + n, swap ? flow_sport(fl) : flow_dport(fl));
	t[n++] = '-';
	n += fmt_u64(t + n, fl->fl_proto);
	if (len > 0) {
		memcpy(buf, t, n < len ? n : len - 1);
		buf[n < len ? n : len - 1] = '\0';
	}
	return n >= len ? -1 : 0;
}

/* "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", without snprintf. */
static void
csv_timestamp_iso(const struct tm *tm, uint64_t us, char *buf, size_t len)
{
	char	t[FMT_TM_ISO_MAX + 8];
	size_t	n;

	n = fmt_tm_iso(t, tm);
	t[n++] = '.';
	fmt_u32_pad(t + n, (uint32_t)(us % 1000000), 6);
	n += 6;
	t[n++] = 'Z';
	if (len > 0) {
		memcpy(buf, t, n < len ? n : len - 1);
		buf[n < len ? n : len - 1] = '\0';
	}
}

/*
 * Flow start, in UTC.  flowidd: ISO 8601 with microseconds.
 * cicflowmeter: its tool's "dd/MM/yyyy hh:mm:ss AM" (12-hour clock).
 * unicauca: the dataset's "dd/MM/yyyyHH:mm:ss" (no space; 24-hour, as
 * the dataset's own clock cannot be told from its rows).
 */
static void
csv_timestamp(const struct flow *fl, enum flowid_profile prof, char *buf,
    size_t len)
{
	uint64_t	us = fl->fl_st.fs_first;
	time_t		sec = (time_t)(us / 1000000);
	struct tm	tm;
	int		h12;

	if (gmtime_r(&sec, &tm) == NULL) {
		(void)snprintf(buf, len, "?");
		return;
	}
	h12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
	if (prof == FLOWID_PROFILE_FLOWIDD)
		csv_timestamp_iso(&tm, us, buf, len);
	else if (prof == FLOWID_PROFILE_CICFLOWMETER)
		(void)snprintf(buf, len, "%02d/%02d/%04d %02d:%02d:%02d %s",
		    tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, h12,
		    tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
	else
		(void)snprintf(buf, len, "%02d/%02d/%04d%02d:%02d:%02d",
		    tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
}

int
csv_write_header_cols(FILE *fp, enum flowid_profile prof, unsigned cols)
{
	size_t	i, n = features_count(prof);

	(void)fprintf(fp, "%s,%s,%s,%s,%s,%s,%s", csv_text_head[0],
	    csv_text_head[1], features_name(prof, 0), csv_text_head[2],
	    features_name(prof, 1), features_name(prof, 2), csv_text_head[3]);
	for (i = CSV_NUM_BEFORE_TS; i < FEATURES_BASE; i++)
		(void)fprintf(fp, ",%s", features_name(prof, i));
	for (i = 0; i < sizeof(csv_text_tail) / sizeof(*csv_text_tail); i++)
		(void)fprintf(fp, ",%s", csv_text_tail[i]);
	for (i = FEATURES_BASE; i < n; i++)
		(void)fprintf(fp, ",%s", features_name(prof, i));
	if (cols & CSV_COL_PREDICTED)
		(void)fputs(",Predicted.ProtocolName,Predicted.Confidence", fp);
	if (cols & CSV_COL_L7CONF)
		(void)fputs(",L7Confidence", fp);
	(void)fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

int
csv_write_header(FILE *fp, enum flowid_profile prof, bool predicted)
{
	return csv_write_header_cols(fp, prof,
	    predicted ? CSV_COL_PREDICTED : 0);
}

/* Flow.ID to Timestamp: text and the first three numbers. */
static void
csv_row_head(struct csv_row *cr, const struct flow *fl,
    enum flowid_profile prof, const double *v)
{
	char	id[CSV_ID_MAX], a[CSV_ADDR_MAX], ts[FMT_TM_ISO_MAX + 8];

	if (csv_flow_id(fl, prof, id, sizeof(id)) < 0)
		(void)strcpy(id, "?");
	csv_text(cr, id, false);
	csv_addr(fl, flow_src(fl), a);
	csv_text(cr, a, true);
	csv_number(cr, v[0]);
	csv_addr(fl, flow_dst(fl), a);
	csv_text(cr, a, true);
	csv_number(cr, v[1]);
	csv_number(cr, v[2]);
	csv_timestamp(fl, prof, ts, sizeof(ts));
	csv_text(cr, ts, true);
}

/* Label, L7Protocol, ProtocolName. */
static void
csv_row_label(struct csv_row *cr, const struct label *lab)
{
	char	id[8];

	csv_text(cr, "BENIGN", true);
	if (lab == NULL) {
		csv_put(cr, ",,", 2);
		return;
	}
	(void)snprintf(id, sizeof(id), "%u", lab->lb_id);
	csv_text(cr, id, true);
	csv_text(cr, lab->lb_name, true);
}

int
csv_write_row_cols(FILE *fp, const struct flow *fl, enum flowid_profile prof,
    unsigned cols, const struct label *lab, const char *pred_name,
    double pred_conf)
{
	struct csv_row	cr;
	double		v[FEATURES_MAX];
	size_t		i, n = features_count(prof);

	cr.cr_fp = fp;
	cr.cr_len = 0;
	features_compute(fl, prof, v);
	csv_row_head(&cr, fl, prof, v);
	for (i = CSV_NUM_BEFORE_TS; i < FEATURES_BASE; i++)
		csv_number(&cr, v[i]);
	csv_row_label(&cr, lab);
	for (i = FEATURES_BASE; i < n; i++)
		csv_number(&cr, v[i]);
	if (cols & CSV_COL_PREDICTED) {
		csv_text(&cr, pred_name != NULL ? pred_name : "", true);
		if (pred_name != NULL)
			csv_number(&cr, pred_conf);
		else
			csv_putc(&cr, ',');
	}
	if (cols & CSV_COL_L7CONF)
		csv_text(&cr, lab != NULL ? lab->lb_confidence : "", true);
	csv_putc(&cr, '\n');
	csv_row_flush(&cr);
	return ferror(fp) ? -1 : 0;
}

int
csv_write_row(FILE *fp, const struct flow *fl, enum flowid_profile prof,
    const struct label *lab, const char *pred_name, double pred_conf)
{
	return csv_write_row_cols(fp, fl, prof,
	    pred_name != NULL ? CSV_COL_PREDICTED : 0, lab, pred_name,
	    pred_conf);
}
