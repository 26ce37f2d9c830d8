/* SPDX-License-Identifier: ISC */
/*
 * Output of finished flows.  The engine calls output_end_cb() for each
 * ended flow; flows wait in a batch of OUTPUT_BATCH so the model sees
 * many rows per call, and the daemon flushes the batch on every timer
 * tick, so a record never waits more than a tick in live mode.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "csv.h"
#include "labels.h"
#include "log.h"
#include "output.h"
#include "record.h"
#include "stats.h"

struct output {
	const struct conf	*ou_conf;
	struct flowid		*ou_fi;
	struct classifier	*ou_cls;
	struct labels		*ou_labels;
	FILE			*ou_csv[CONF_MAX_CSV];
	unsigned		 ou_csvcols;	/* CSV_COL_* after the 87 */
	size_t			 ou_ncsv;
	struct flow		*ou_batch[OUTPUT_BATCH];
	size_t			 ou_n;
	uint64_t		 ou_records;
	struct stats		*ou_stats;	/* live: counts per app */
	bool			 ou_werr;	/* a write failed, said once */
};

static int
output_open_csv(struct output *ou, const char *path, char *err,
    size_t errlen)
{
	FILE	*f;

	if (strcmp(path, "-") == 0)
		f = stdout;
	else if ((f = fopen(path, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (csv_write_header_cols(f, ou->ou_conf->cf_profile,
	    ou->ou_csvcols) == -1) {
		snprintf(err, errlen, "%s: write failed", path);
		if (f != stdout)
			fclose(f);
		return -1;
	}
	ou->ou_csv[ou->ou_ncsv++] = f;
	return 0;
}

struct output *
output_new(const struct conf *conf, struct classifier *cls, char *err,
    size_t errlen)
{
	struct output	*ou;
	size_t		 i;

	if ((ou = calloc(1, sizeof(*ou))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ou->ou_conf = conf;
	ou->ou_cls = cls;
	if (conf->cf_labels != NULL && (ou->ou_labels =
	    labels_load(conf->cf_labels, err, errlen)) == NULL)
		goto fail;
	/* the columns are fixed for the file's life, reloads included */
	if (cls != NULL)
		ou->ou_csvcols |= CSV_COL_PREDICTED;
	if (ou->ou_labels != NULL)
		ou->ou_csvcols |= CSV_COL_L7CONF;
	for (i = 0; i < conf->cf_ncsv; i++)
		if (output_open_csv(ou, conf->cf_csv[i], err, errlen) == -1)
			goto fail;
	return ou;

fail:
	output_free(ou);
	return NULL;
}

void
output_attach(struct output *ou, struct flowid *fi)
{
	ou->ou_fi = fi;
}

void
output_set_classifier(struct output *ou, struct classifier *cls)
{
	output_flush(ou);
	ou->ou_cls = cls;
}

void
output_set_stats(struct output *ou, struct stats *st)
{
	ou->ou_stats = st;
}

void
output_end_cb(struct flow *fl, void *arg)
{
	struct output	*ou = arg;

	ou->ou_batch[ou->ou_n++] = fl;
	if (ou->ou_n == OUTPUT_BATCH)
		output_flush(ou);
}

/*
 * The compatibility profiles reproduce CICFlowMeter's CSV, which never
 * holds a single-packet flow; the text record still reports it.
 */
static bool
output_csv_wanted(const struct output *ou, const struct flow *fl)
{
	return ou->ou_conf->cf_profile == FLOWID_PROFILE_FLOWIDD ||
	    fl->fl_pkts[FLOW_FWD] + fl->fl_pkts[FLOW_BWD] >= 2;
}

static int
output_write_csv(struct output *ou, const struct flow *fl,
    const struct verdict *vd)
{
	const struct label	*lb = NULL;
	const char		*pred = NULL;
	size_t			 i;
	int			 rv = 0;

	if (ou->ou_ncsv == 0 || !output_csv_wanted(ou, fl))
		return 0;
	if (ou->ou_labels != NULL)
		lb = labels_match(ou->ou_labels, fl);
	if (ou->ou_csvcols & CSV_COL_PREDICTED)
		pred = vd->vd_guess != NULL ? vd->vd_guess : vd->vd_app;
	for (i = 0; i < ou->ou_ncsv; i++)
		if (csv_write_row_cols(ou->ou_csv[i], fl,
		    ou->ou_conf->cf_profile, ou->ou_csvcols, lb, pred,
		    vd->vd_conf) == -1)
			rv = -1;
	return rv;
}

static int
output_write(struct output *ou, const struct flow *fl,
    const struct verdict *vd)
{
	char	line[512];
	int	rv = 0;

	/* CSV alone needs no record line */
	if (ou->ou_conf->cf_out_stdout || ou->ou_conf->cf_out_syslog)
		record_format(fl, vd, line, sizeof(line));
	if (ou->ou_conf->cf_out_stdout && puts(line) == EOF)
		rv = -1;
	if (ou->ou_conf->cf_out_syslog)
		log_record(line);
	if (output_write_csv(ou, fl, vd) == -1)
		rv = -1;
	ou->ou_records++;
	if (ou->ou_stats != NULL)
		stats_record(ou->ou_stats, vd->vd_app,
		    fl->fl_bytes[FLOW_FWD] + fl->fl_bytes[FLOW_BWD]);
	return rv;
}

static void
output_verdicts(struct output *ou, struct verdict *vd)
{
	size_t	i;

	if (ou->ou_cls != NULL &&
	    classifier_run(ou->ou_cls, ou->ou_batch, ou->ou_n, vd) == 0)
		return;
	for (i = 0; i < ou->ou_n; i++) {
		vd[i].vd_app = "unknown";
		vd[i].vd_guess = NULL;
		vd[i].vd_conf = 0;
	}
}

int
output_flush(struct output *ou)
{
	struct verdict	vd[OUTPUT_BATCH];
	size_t		i;
	int		rv = 0;

	if (ou->ou_n == 0)
		return 0;
	output_verdicts(ou, vd);
	for (i = 0; i < ou->ou_n; i++) {
		if (output_write(ou, ou->ou_batch[i], &vd[i]) == -1)
			rv = -1;
		flowid_release(ou->ou_fi, ou->ou_batch[i]);
	}
	ou->ou_n = 0;
	fflush(stdout);
	for (i = 0; i < ou->ou_ncsv; i++)
		fflush(ou->ou_csv[i]);
	if (rv == -1 && !ou->ou_werr) {
		log_warn("writing flow records");
		ou->ou_werr = true;
	}
	return rv;
}

uint64_t
output_records(const struct output *ou)
{
	return ou->ou_records;
}

void
output_free(struct output *ou)
{
	size_t	i;

	if (ou == NULL)
		return;
	for (i = 0; i < ou->ou_ncsv; i++)
		if (ou->ou_csv[i] != stdout)
			fclose(ou->ou_csv[i]);
	labels_free(ou->ou_labels);
	free(ou);
}
