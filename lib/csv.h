/* SPDX-License-Identifier: ISC */
/*
 * Flow records as CSV, in the 87-column layout of the Unicauca dataset
 * ("IP Network Traffic Flows Labeled with 87 Apps"): same names (dotted,
 * as R wrote them), same order, so a model or notebook written for that
 * file reads ours.  The flowidd profile appends its own columns after
 * the 87; a loaded model adds Predicted.ProtocolName and
 * Predicted.Confidence.  Numbers print so that reading them back gives
 * the same double.
 */
#ifndef FLOWID_CSV_H
#define FLOWID_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "flow.h"
#include "labels.h"
#include "profile.h"

/* Optional trailing columns (csv_*_cols). */
#define CSV_COL_PREDICTED	0x01	/* the two Predicted.* columns */
#define CSV_COL_L7CONF		0x02	/* L7Confidence, last */

/* The header line.  Returns 0, or -1 on a write error. */
int	csv_write_header(FILE *, enum flowid_profile, bool predicted);

/*
 * One flow.  lab may be NULL (L7Protocol and ProtocolName are then
 * empty); pred_name is NULL when no model is loaded, and then neither
 * prediction column is written.  Returns 0, or -1 on a write error.
 */
int	csv_write_row(FILE *, const struct flow *, enum flowid_profile,
	    const struct label *lab, const char *pred_name, double pred_conf);

/*
 * The same with an explicit set of trailing columns (CSV_COL_*), which
 * header and rows must share.  With CSV_COL_L7CONF a last column,
 * L7Confidence, holds how nDPI reached the label ("DPI", "Match by
 * port", ...), empty when no label matched.
 */
int	csv_write_header_cols(FILE *, enum flowid_profile, unsigned cols);
int	csv_write_row_cols(FILE *, const struct flow *, enum flowid_profile,
	    unsigned cols, const struct label *lab, const char *pred_name,
	    double pred_conf);

/*
 * How the CSV writes a number: whole numbers under 2^53 as integers,
 * others in the fewest digits of 15, 16 and 17 that read back as the
 * same double ("%.15g" ... "%.17g"), NaN, Infinity, -Infinity.  Writes
 * at most CSV_NUMBER_MAX bytes, NUL included, and returns the length.
 * Exposed for the tests.
 */
#define CSV_NUMBER_MAX	32	/* FMT_G_MAX */
size_t	csv_number_text(double v, char *buf);

/* The Flow.ID text of a flow in a profile ("a-b-sport-dport-proto"). */
int	csv_flow_id(const struct flow *, enum flowid_profile, char *buf,
	    size_t len);

#endif /* FLOWID_CSV_H */
