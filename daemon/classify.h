/* SPDX-License-Identifier: ISC */
/*
 * The model as the daemon uses it: loaded and checked against the
 * configured feature profile, then asked for a verdict on a batch of
 * finished flows at a time.
 */
#ifndef FLOWIDD_CLASSIFY_H
#define FLOWIDD_CLASSIFY_H

#include <stddef.h>

#include "flow.h"
#include "record.h"

struct classifier;

/* NULL and a one-line message in err when the model is unusable. */
struct classifier *classifier_load(const char *path,
	    enum flowid_profile prof, double min_conf, char *err,
	    size_t errlen);
void	classifier_free(struct classifier *);

/* Verdicts for n flows (n <= the batch size); 0 or -1. */
int	classifier_run(struct classifier *, struct flow *const *flows,
	    size_t n, struct verdict *out);

size_t	classifier_nclasses(const struct classifier *);
const char *classifier_path(const struct classifier *);

#endif /* FLOWIDD_CLASSIFY_H */
