/* SPDX-License-Identifier: ISC */
/*
 * A finished flow's numeric columns, as one profile defines them: the
 * vector a model reads and the numbers the CSV export prints.  Names are
 * the dotted CSV names, in CSV order (Unicauca layout, then flowidd's
 * own columns for the flowidd profile).  docs/features.md defines each.
 */
#ifndef FLOWID_FEATURES_SET_H
#define FLOWID_FEATURES_SET_H

#include <stddef.h>

#include "flow.h"
#include "profile.h"

/* Numeric columns of the 87-column Unicauca layout (ports, protocol,
 * Flow.Duration ... Idle.Min). */
#define FEATURES_BASE		80
/* Columns flowidd appends after them. */
#define FEATURES_EXTRA		55
#define FEATURES_MAX		(FEATURES_BASE + FEATURES_EXTRA)

/* How many numbers features_compute() writes for this profile. */
size_t	features_count(enum flowid_profile);

/* Dotted CSV name of column i (< features_count()), NULL past the end. */
const char *features_name(enum flowid_profile, size_t i);

/*
 * Fill out[0 .. features_count() - 1].  The flowidd profile never
 * writes NaN or an infinity; the compatibility profiles do where their
 * tool does (rates of zero-duration flows).
 */
void	features_compute(const struct flow *, enum flowid_profile,
	    double *out);

#endif /* FLOWID_FEATURES_SET_H */
