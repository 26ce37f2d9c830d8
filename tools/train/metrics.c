/* SPDX-License-Identifier: ISC */
/*
 * Scores of a classifier on the held-out rows, the two baselines it is
 * compared with, and feature importance from the trees' own gains.
 */

#include <stdlib.h>
#include <string.h>

#include "train.h"

void
scores_compute(struct scores *sc, size_t k, const uint16_t *truth,
    const uint16_t *pred, size_t n)
{
	size_t	i, c, tp, npred, present = 0, hits = 0;
	double	macro = 0, weighted = 0, p, r;

	memset(sc, 0, sizeof(*sc));
	sc->sc_k = k;
	sc->sc_n = n;
	sc->sc_conf = xcalloc(k * k, sizeof(*sc->sc_conf));
	sc->sc_prec = xcalloc(k, sizeof(*sc->sc_prec));
	sc->sc_rec = xcalloc(k, sizeof(*sc->sc_rec));
	sc->sc_f1 = xcalloc(k, sizeof(*sc->sc_f1));
	sc->sc_support = xcalloc(k, sizeof(*sc->sc_support));
	for (i = 0; i < n; i++)
		sc->sc_conf[truth[i] * k + pred[i]]++;

	for (c = 0; c < k; c++) {
		tp = sc->sc_conf[c * k + c];
		for (npred = 0, i = 0; i < k; i++) {
			sc->sc_support[c] += sc->sc_conf[c * k + i];
			npred += sc->sc_conf[i * k + c];
		}
		p = npred ? (double)tp / (double)npred : 0;
		r = sc->sc_support[c] ? (double)tp /
		    (double)sc->sc_support[c] : 0;
		sc->sc_prec[c] = p;
		sc->sc_rec[c] = r;
		sc->sc_f1[c] = p + r > 0 ? 2 * p * r / (p + r) : 0;

		/* macro-F1 over classes that occur or are predicted */
		if (sc->sc_support[c] > 0 || npred > 0) {
			macro += sc->sc_f1[c];
			present++;
		}
		weighted += sc->sc_f1[c] * (double)sc->sc_support[c];
		hits += tp;
	}
	sc->sc_accuracy = n ? (double)hits / (double)n : 0;
	sc->sc_macro_f1 = present ? macro / (double)present : 0;
	sc->sc_weighted_f1 = n ? weighted / (double)n : 0;
}

void
scores_free(struct scores *sc)
{
	free(sc->sc_conf);
	free(sc->sc_prec);
	free(sc->sc_rec);
	free(sc->sc_f1);
	free(sc->sc_support);
	memset(sc, 0, sizeof(*sc));
}

/* Most frequent training class; the first one on a tie. */
static uint16_t
majority(const struct classes *cl)
{
	size_t	c, best = 0;

	for (c = 1; c < cl->cl_n; c++)
		if (cl->cl_train[c] > cl->cl_train[best])
			best = c;
	return (uint16_t)best;
}

uint16_t *
baseline_majority(const struct classes *cl, size_t ntest)
{
	uint16_t	*p, m = majority(cl);
	size_t		 i;

	p = xcalloc(ntest, sizeof(*p));
	for (i = 0; i < ntest; i++)
		p[i] = m;
	return p;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Most frequent training class per (protocol, server port) key; rows whose
 * key was never seen in training get the majority class (counted in
 * *nfallback).  y holds the class of every row, training rows first.
 */
uint16_t *
baseline_port(const struct dataset *ds, const uint16_t *y, size_t ntrain,
    const struct classes *cl, size_t *nfallback)
{
	uint64_t	*pair, *key, want, *hit;
	uint16_t	*best, *pred, m = majority(cl);
	size_t		 i, j, n = 0, nkey = 0, run, top;

	pair = xcalloc(ntrain, sizeof(*pair));
	for (i = 0; i < ntrain; i++)
		if (ds->ds_portkey[i] != TRAIN_NOKEY)
			pair[n++] = (uint64_t)ds->ds_portkey[i] << 16 | y[i];
	qsort(pair, n, sizeof(*pair), u64_cmp);

	/* runs of equal (key, class) inside runs of equal key */
	key = xcalloc(n, sizeof(*key));
	best = xcalloc(n, sizeof(*best));
	for (i = 0; i < n; nkey++) {
		key[nkey] = pair[i] >> 16;
		for (top = 0; i < n && pair[i] >> 16 == key[nkey]; i += run) {
			for (run = 1, j = i + 1; j < n && pair[j] == pair[i];
			    j++)
				run++;
			if (run > top) {
				top = run;
				best[nkey] = (uint16_t)(pair[i] & 0xffff);
			}
		}
	}

	*nfallback = 0;
	pred = xcalloc(ds->ds_nrows - ntrain, sizeof(*pred));
	for (i = ntrain; i < ds->ds_nrows; i++) {
		want = ds->ds_portkey[i];
		hit = want == TRAIN_NOKEY ? NULL : bsearch(&want, key, nkey,
		    sizeof(*key), u64_cmp);
		pred[i - ntrain] = hit ? best[hit - key] : m;
		*nfallback += hit == NULL;
	}
	free(pair);
	free(key);
	free(best);
	return pred;
}

uint16_t *
argmax_rows(const float *prob, size_t n, size_t k)
{
	uint16_t	*p;
	size_t		 i, c, b;

	p = xcalloc(n, sizeof(*p));
	for (i = 0; i < n; i++, prob += k) {
		for (b = 0, c = 1; c < k; c++)
			if (prob[c] > prob[b])
				b = c;
		p[i] = (uint16_t)b;
	}
	return p;
}

static int
imp_cmp(const void *a, const void *b)
{
	const struct importance	*x = a, *y = b;

	if (x->im_gain != y->im_gain)
		return x->im_gain < y->im_gain ? 1 : -1;
	return x->im_feat < y->im_feat ? -1 : x->im_feat > y->im_feat;
}

/* Add the gains of the splits reachable from the root of t. */
static void
tree_gain(const struct ftree *t, struct importance *imp, int32_t *stack)
{
	size_t	sp = 0, visits = 0;
	int32_t	k;

	stack[sp++] = 0;
	while (sp > 0) {
		k = stack[--sp];
		if (t->ft_left[k] == -1)
			continue;
		imp[t->ft_feat[k]].im_gain += t->ft_gain[k];
		imp[t->ft_feat[k]].im_splits++;

		/* a tree visits each node once; sidecar_write says so */
		if (++visits > t->ft_n || sp + 2 > t->ft_n)
			return;
		stack[sp++] = t->ft_left[k];
		stack[sp++] = t->ft_right[k];
	}
}

/*
 * Total gain (summed loss reduction) per feature, largest first; returns
 * how many features were used by at least one split.
 */
size_t
importance_compute(const struct forest *f, size_t nfeat,
    struct importance **out)
{
	struct importance	*imp;
	int32_t			*stack;
	size_t			 i, maxn = 1, used = 0;

	imp = xcalloc(nfeat, sizeof(*imp));
	for (i = 0; i < nfeat; i++)
		imp[i].im_feat = i;
	for (i = 0; i < f->fo_ntrees; i++)
		if (f->fo_trees[i].ft_n > maxn)
			maxn = f->fo_trees[i].ft_n;
	stack = xcalloc(maxn + 1, sizeof(*stack));
	for (i = 0; i < f->fo_ntrees; i++)
		tree_gain(&f->fo_trees[i], imp, stack);
	free(stack);

	qsort(imp, nfeat, sizeof(*imp), imp_cmp);
	for (i = 0; i < nfeat; i++)
		used += imp[i].im_splits > 0;
	*out = imp;
	return used;
}
