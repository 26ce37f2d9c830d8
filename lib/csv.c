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
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "features_set.h"

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

/* A text field, quoted when it holds a comma, a quote or a line end. */
static void
csv_text(FILE *fp, const char *s, bool comma)
{
	const char	*p;

	if (comma)
		(void)fputc(',', fp);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		(void)fputs(s, fp);
		return;
	}
	(void)fputc('"', fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			(void)fputc('"', fp);
		(void)fputc(*p, fp);
	}
	(void)fputc('"', fp);
}

/*
 * A number: integers as integers, others with the fewest digits that
 * read back exactly.  NaN and infinities as Java writes them, which
 * pandas reads.
 */
static void
csv_number(FILE *fp, double v)
{
	char	buf[40];
	int	prec;

	(void)fputc(',', fp);
	if (isnan(v)) {
		(void)fputs("NaN", fp);
		return;
	}
	if (isinf(v)) {
		(void)fputs(v > 0 ? "Infinity" : "-Infinity", fp);
		return;
	}
	if (v == 0.0)
		v = 0.0;	/* no "-0" */
	if (v == trunc(v) && fabs(v) < 9007199254740992.0) {
		(void)fprintf(fp, "%.0f", v);
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		(void)snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		(void)snprintf(buf, sizeof(buf), "%.17g", v);
	(void)fputs(buf, fp);
}

static void
csv_addr(const struct flow *fl, const uint8_t *a, char *buf)
{
	if (inet_ntop(fl->fl_ipver == 6 ? AF_INET6 : AF_INET, a, buf,
	    CSV_ADDR_MAX) == NULL)
		(void)strcpy(buf, "?");
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

int
csv_flow_id(const struct flow *fl, enum flowid_profile prof, char *buf,
    size_t len)
{
	char		a[CSV_ADDR_MAX], b[CSV_ADDR_MAX];
	bool		swap;
	int		n;

	swap = prof == FLOWID_PROFILE_UNICAUCA && csv_legacy_swap(fl);
	csv_addr(fl, swap ? flow_dst(fl) : flow_src(fl), a);
	csv_addr(fl, swap ? flow_src(fl) : flow_dst(fl), b);
	n = snprintf(buf, len, "%s-%s-%u-%u-%u", a, b,
	    swap ? flow_dport(fl) : flow_sport(fl),
	    swap ? flow_sport(fl) : flow_dport(fl), fl->fl_proto);
	return n < 0 || (size_t)n >= len ? -1 : 0;
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
		(void)snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (unsigned)(us % 1000000));
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
csv_row_head(FILE *fp, const struct flow *fl, enum flowid_profile prof,
    const double *v)
{
	char	id[CSV_ID_MAX], a[CSV_ADDR_MAX], ts[48];

	if (csv_flow_id(fl, prof, id, sizeof(id)) < 0)
		(void)strcpy(id, "?");
	csv_text(fp, id, false);
	csv_addr(fl, flow_src(fl), a);
	csv_text(fp, a, true);
	csv_number(fp, v[0]);
	csv_addr(fl, flow_dst(fl), a);
	csv_text(fp, a, true);
	csv_number(fp, v[1]);
	csv_number(fp, v[2]);
	csv_timestamp(fl, prof, ts, sizeof(ts));
	csv_text(fp, ts, true);
}

/* Label, L7Protocol, ProtocolName. */
static void
csv_row_label(FILE *fp, const struct label *lab)
{
	char	id[8];

	csv_text(fp, "BENIGN", true);
	if (lab == NULL) {
		(void)fputs(",,", fp);
		return;
	}
	(void)snprintf(id, sizeof(id), "%u", lab->lb_id);
	csv_text(fp, id, true);
	csv_text(fp, lab->lb_name, true);
}

int
csv_write_row_cols(FILE *fp, const struct flow *fl, enum flowid_profile prof,
    unsigned cols, const struct label *lab, const char *pred_name,
    double pred_conf)
{
	double	v[FEATURES_MAX];
	size_t	i, n = features_count(prof);

	features_compute(fl, prof, v);
	csv_row_head(fp, fl, prof, v);
	for (i = CSV_NUM_BEFORE_TS; i < FEATURES_BASE; i++)
		csv_number(fp, v[i]);
	csv_row_label(fp, lab);
	for (i = FEATURES_BASE; i < n; i++)
		csv_number(fp, v[i]);
	if (cols & CSV_COL_PREDICTED) {
		csv_text(fp, pred_name != NULL ? pred_name : "", true);
		if (pred_name != NULL)
			csv_number(fp, pred_conf);
		else
			(void)fputc(',', fp);
	}
	if (cols & CSV_COL_L7CONF)
		csv_text(fp, lab != NULL ? lab->lb_confidence : "", true);
	(void)fputc('\n', fp);
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
