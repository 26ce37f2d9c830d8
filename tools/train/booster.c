/* SPDX-License-Identifier: ISC */
/*
 * The only file that calls libxgboost's C API.  Matrices come from dense
 * row-major floats with NaN as missing; the booster is multi:softprob with
 * the hist tree method, which gives identical trees for identical inputs,
 * seed and thread count.
 */

#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "train.h"

#define XGB(call) do {							\
	if ((call) != 0)						\
		errx(1, "xgboost: %s", XGBGetLastError());		\
} while (0)

struct booster {
	BoosterHandle	bo_h;
	size_t		bo_nclass;
};

static DMatrixHandle
dmatrix_new(const float *x, size_t nrows, size_t ncols, int nthread)
{
	DMatrixHandle	d;

	XGB(XGDMatrixCreateFromMat_omp(x, (bst_ulong)nrows,
	    (bst_ulong)ncols, NAN, &d, nthread));
	return d;
}

static void
booster_params(BoosterHandle h, size_t nclass, const struct train_opts *o)
{
	char	v[64];

	XGB(XGBoosterSetParam(h, "objective", "multi:softprob"));
	snprintf(v, sizeof(v), "%zu", nclass);
	XGB(XGBoosterSetParam(h, "num_class", v));
	XGB(XGBoosterSetParam(h, "tree_method", "hist"));
	snprintf(v, sizeof(v), "%d", o->to_depth);
	XGB(XGBoosterSetParam(h, "max_depth", v));
	snprintf(v, sizeof(v), "%.17g", o->to_eta);
	XGB(XGBoosterSetParam(h, "eta", v));
	snprintf(v, sizeof(v), "%llu", (unsigned long long)o->to_seed);
	XGB(XGBoosterSetParam(h, "seed", v));
	snprintf(v, sizeof(v), "%d", o->to_threads);
	XGB(XGBoosterSetParam(h, "nthread", v));
	XGB(XGBoosterSetParam(h, "verbosity", "1"));
}

/*
 * --balance P: row weight (n / (k * rows of its class))^P over the k
 * classes present, so P = 1 gives every class the same total weight and
 * P = 0 every row weight 1.  NULL when P is 0.
 */
static float *
class_weights(const uint16_t *y, size_t nrows, size_t nclass, double p)
{
	float	*w;
	size_t	*count, i, k = 0;

	if (p == 0)
		return NULL;
	count = xcalloc(nclass, sizeof(*count));
	for (i = 0; i < nrows; i++)
		count[y[i]]++;
	for (i = 0; i < nclass; i++)
		k += count[i] > 0;
	w = xcalloc(nrows, sizeof(*w));
	for (i = 0; i < nrows; i++)
		w[i] = (float)pow((double)nrows / ((double)k *
		    (double)count[y[i]]), p);
	free(count);
	return w;
}

/*
 * Train o->to_rounds rounds on nrows rows with classes y.  what names the
 * run in the progress line ("split", "final").
 */
struct booster *
booster_train(const float *x, const uint16_t *y, size_t nrows, size_t ncols,
    size_t nclass, const struct train_opts *o, const char *what)
{
	struct booster	*b;
	DMatrixHandle	 d;
	float		*label;
	size_t		 i;
	int		 r;

	d = dmatrix_new(x, nrows, ncols, o->to_threads);
	label = xcalloc(nrows, sizeof(*label));
	for (i = 0; i < nrows; i++)
		label[i] = y[i];
	XGB(XGDMatrixSetFloatInfo(d, "label", label, (bst_ulong)nrows));
	free(label);
	if ((label = class_weights(y, nrows, nclass, o->to_balance)) !=
	    NULL) {
		XGB(XGDMatrixSetFloatInfo(d, "weight", label,
		    (bst_ulong)nrows));
		free(label);
	}

	b = xcalloc(1, sizeof(*b));
	b->bo_nclass = nclass;
	XGB(XGBoosterCreate(&d, 1, &b->bo_h));
	booster_params(b->bo_h, nclass, o);

	for (r = 0; r < o->to_rounds; r++) {
		XGB(XGBoosterUpdateOneIter(b->bo_h, r, d));
		if (o->to_progress)
			fprintf(stderr, "\r%s: round %d/%d", what, r + 1,
			    o->to_rounds);
	}
	if (o->to_progress)
		fputc('\n', stderr);

	/* the booster keeps what it needs; the matrix copy can go */
	XGB(XGDMatrixFree(d));
	return b;
}

/* Class probabilities, nrows x nclass, in a new array. */
float *
booster_predict(struct booster *b, const float *x, size_t nrows,
    size_t ncols, int nthread)
{
	DMatrixHandle	 d;
	bst_ulong	 len;
	const float	*out;
	float		*p;

	d = dmatrix_new(x, nrows, ncols, nthread);
	XGB(XGBoosterPredict(b->bo_h, d, 0, 0, 0, &len, &out));
	if (len != (bst_ulong)(nrows * b->bo_nclass))
		errx(1, "xgboost: %llu predictions for %zu rows of %zu "
		    "classes", (unsigned long long)len, nrows, b->bo_nclass);

	p = xcalloc(nrows * b->bo_nclass, sizeof(*p));
	memcpy(p, out, nrows * b->bo_nclass * sizeof(*p));
	XGB(XGDMatrixFree(d));
	return p;
}

/* The model as XGBoost JSON; valid until the next call on b. */
const char *
booster_json(struct booster *b, size_t *len)
{
	const char	*buf;
	bst_ulong	 n;

	XGB(XGBoosterSaveModelToBuffer(b->bo_h, "{\"format\": \"json\"}",
	    &n, &buf));
	*len = (size_t)n;
	return buf;
}

void
booster_free(struct booster *b)
{
	if (b == NULL)
		return;
	XGBoosterFree(b->bo_h);
	free(b);
}
