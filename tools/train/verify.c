/* SPDX-License-Identifier: ISC */
/*
 * --verify: load the sidecar just written with lib/model.c, predict the
 * given rows with it and with libxgboost, and count every row where the
 * class differs or the probability differs by more than VERIFY_TOL.
 */

#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "train.h"
#include "model.h"

#define VERIFY_TOL	1e-6

/* CPU time of this thread: other programs on the machine do not count. */
static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns 0 when every row agrees, 1 otherwise. */
int
verify_model(const char *sidecar, struct booster *b, const float *x,
    size_t ncols, const float *xall, size_t nall, size_t nrows,
    int nthread)
{
	struct model	*m;
	char		 errbuf[512];
	float		*xp, *mp, d, maxd = 0;
	uint16_t	*xc, *mc;
	size_t		 k, r, badcls = 0, badp = 0;
	double		 t0, t1;

	if ((m = model_load(sidecar, errbuf, sizeof(errbuf))) == NULL)
		errx(1, "verify: %s", errbuf);
	if (model_nfeatures(m) != ncols)
		errx(1, "verify: %s has %zu features, the data %zu", sidecar,
		    model_nfeatures(m), ncols);
	k = model_nclasses(m);

	/* time ours first, before XGBoost's OpenMP threads spin on the CPU */
	mc = xcalloc(nrows, sizeof(*mc));
	mp = xcalloc(nrows, sizeof(*mp));
	t0 = now();
	if (model_predict(m, x, nrows, mc, mp) == -1)
		errx(1, "verify: model_predict failed");
	t1 = now();
	xp = booster_predict(b, xall, nrows, nall, nthread);
	xc = argmax_rows(xp, nrows, k);

	for (r = 0; r < nrows; r++) {
		d = fabsf(mp[r] - xp[r * k + xc[r]]);
		if (d > maxd)
			maxd = d;
		badcls += mc[r] != xc[r];
		badp += d > VERIFY_TOL;
	}
	printf("verify: %zu rows, %zu class mismatches, %zu probability "
	    "mismatches (> %g), max |dp| %.3g; model_predict %.0f rows/s "
	    "(CPU time)\n",
	    nrows, badcls, badp, VERIFY_TOL, (double)maxd,
	    t1 > t0 ? (double)nrows / (t1 - t0) : 0.0);

	free(xp);
	free(xc);
	free(mc);
	free(mp);
	model_free(m);
	return (int)(badcls + badp > 0 ? 1 : 0);
}
