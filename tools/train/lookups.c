/* SPDX-License-Identifier: ISC */
/*
 * Lookup features for training (lib/lookup.h says what they are).  The
 * counts of a key come from training rows only.  A training row must not
 * see its own label in them, or the trees learn to trust a lookup that is
 * never that sure on new traffic: training rows are dealt into folds
 * (whole captures with --split capture) and each gets the counts of the
 * other folds only.  Held-out rows, and the shipped model, get the counts
 * of every training row.
 */

#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"

/* A training row with a key, for sorting rows of one key together. */
struct lkrow {
	uint32_t	lr_key[LOOKUP_MAX_KEYS];
	uint32_t	lr_row;
	uint16_t	lr_class;
	uint16_t	lr_fold;
};

static size_t	 sort_nkeys;	/* qsort has no context argument */

static int
lkrow_cmp(const void *a, const void *b)
{
	const struct lkrow	*x = a, *y = b;
	int			 c;

	c = lookup_key_cmp(x->lr_key, y->lr_key, sort_nkeys);
	if (c != 0)
		return c;
	return x->lr_row < y->lr_row ? -1 : x->lr_row > y->lr_row;
}

/* "Protocol,Server.Port" -> the lookup's key columns and name. */
static void
spec_parse(struct lookup *lk, const struct dataset *ds, const char *spec)
{
	char	*copy, *tok, *rest;
	int	 col;
	size_t	 i;

	memset(lk, 0, sizeof(*lk));
	rest = copy = xstrdup(spec);
	while ((tok = strsep(&rest, ",")) != NULL) {
		if (*tok == '\0')
			errx(1, "--lookup '%s': an empty column name", spec);
		if (lk->lk_nkeys == LOOKUP_MAX_KEYS)
			errx(1, "--lookup %s: more than %d columns", spec,
			    LOOKUP_MAX_KEYS);
		if ((col = dataset_column(ds, tok)) < 0)
			errx(1, "--lookup %s: %s is not a feature column",
			    spec, tok);
		for (i = 0; i < lk->lk_nkeys; i++)
			if (lk->lk_feat[i] == (uint32_t)col)
				errx(1, "--lookup %s: %s twice", spec, tok);
		lk->lk_feat[lk->lk_nkeys++] = (uint32_t)col;
	}
	free(copy);
	lk->lk_name = xstrdup(spec);
	for (tok = lk->lk_name; *tok != '\0'; tok++)
		if (*tok == ',')
			*tok = '+';
}

/* Fold of a training row: its capture's, or its own. */
static uint16_t
row_fold(const struct dataset *ds, const struct train_opts *o, size_t i)
{
	uint64_t	h = o->to_split == SPLIT_CAPTURE ? ds->ds_group[i] : i;

	return (uint16_t)(hash_mix(o->to_seed ^ hash_mix(h ^ 0x6c6b)) %
	    (uint64_t)o->to_lookup_folds);
}

/* Append one key's entry: the classes that have flows, and their counts. */
static void
entry_add(struct lookup *lk, const uint32_t *key, const uint32_t *all,
    uint16_t *cls, uint32_t *cnt)
{
	size_t	c, n = 0;

	for (c = 0; c < lk->lk_nclasses; c++)
		if (all[c] > 0) {
			cls[n] = (uint16_t)c;
			cnt[n++] = all[c];
		}
	if (lookup_add(lk, key, cls, cnt, n) == -1)
		errx(1, "out of memory");
}

/*
 * One key's training rows, r[0 .. n-1]: count them per class and per
 * fold, record the entry, and give each row the counts of the other
 * folds (none left: the same features as an unseen key).
 */
static void
key_rows(struct lookup *lk, const struct lkrow *r, size_t n, size_t nfold,
    uint32_t *tmp, uint16_t *cls, float *x, size_t stride)
{
	size_t		 k = lk->lk_nclasses, i, c;
	uint32_t	*all = tmp, *fold = tmp + k, *oof = tmp + k * (nfold + 1);

	memset(tmp, 0, k * (nfold + 1) * sizeof(*tmp));
	for (i = 0; i < n; i++) {
		all[r[i].lr_class]++;
		fold[r[i].lr_fold * k + r[i].lr_class]++;
	}
	/* oof doubles as the pairs' counts until the rows need it */
	entry_add(lk, r[0].lr_key, all, cls, oof);

	for (i = 0; i < n; i++) {
		for (c = 0; c < k; c++)
			oof[c] = all[c] - fold[r[i].lr_fold * k + c];
		lookup_fill(x + (size_t)r[i].lr_row * stride, oof, k,
		    lk->lk_prior, lk->lk_alpha);
	}
}

/* Training rows that have a key, sorted by it. */
static struct lkrow *
key_sort(const struct lookup *lk, const struct dataset *ds,
    const uint16_t *y, size_t ntrain, const struct train_opts *o,
    size_t *nout)
{
	struct lkrow	*rows;
	size_t		 n = 0, i;

	rows = xcalloc(ntrain ? ntrain : 1, sizeof(*rows));
	for (i = 0; i < ntrain; i++) {
		if (!lookup_key(lk, ds->ds_x + i * ds->ds_ncols,
		    rows[n].lr_key))
			continue;
		rows[n].lr_row = (uint32_t)i;
		rows[n].lr_class = y[i];
		rows[n].lr_fold = row_fold(ds, o, i);
		n++;
	}
	sort_nkeys = lk->lk_nkeys;
	qsort(rows, n, sizeof(*rows), lkrow_cmp);
	*nout = n;
	return rows;
}

/*
 * Build lookup lk from training rows [0, ntrain) and write its features
 * into every row of x (stride floats a row): other folds' counts for
 * training rows, all training counts for the others.
 */
static void
lookup_build(struct lookup *lk, const struct dataset *ds, const uint16_t *y,
    size_t ntrain, const struct train_opts *o, float *x, size_t stride)
{
	struct lkrow	*rows;
	size_t		 n, i, j, w = lookup_width(lk);
	size_t		 nfold = (size_t)o->to_lookup_folds;
	uint32_t	*tmp;
	uint16_t	*cls;

	tmp = xcalloc(lk->lk_nclasses * (nfold + 2), sizeof(*tmp));
	cls = xcalloc(lk->lk_nclasses, sizeof(*cls));
	rows = key_sort(lk, ds, y, ntrain, o, &n);

	/* the unseen key's features first: training rows without a key */
	lookup_fill(x, tmp, lk->lk_nclasses, lk->lk_prior, lk->lk_alpha);
	for (i = 1; i < ntrain; i++)
		memcpy(x + i * stride, x, w * sizeof(*x));
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && lookup_key_cmp(rows[j].lr_key,
		    rows[i].lr_key, lk->lk_nkeys) == 0; j++)
			;
		key_rows(lk, rows + i, j - i, nfold, tmp, cls, x, stride);
	}

	for (i = ntrain; i < ds->ds_nrows; i++)
		lookup_row(lk, ds->ds_x + i * ds->ds_ncols, x + i * stride);
	free(rows);
	free(tmp);
	free(cls);
}

/* Every class's share of the training rows. */
static float *
class_prior(const uint16_t *y, size_t ntrain, size_t k)
{
	float	*p = xcalloc(k, sizeof(*p));
	size_t	*n = xcalloc(k, sizeof(*n)), i;

	for (i = 0; i < ntrain; i++)
		n[y[i]]++;
	for (i = 0; i < k; i++)
		p[i] = ntrain ? (float)((double)n[i] / (double)ntrain) : 0;
	free(n);
	return p;
}

/* Column names of the matrix: the data's, then "NAME.CLASS", "NAME.n". */
static void
lookups_names(struct lookups *lu, const struct dataset *ds,
    const struct classes *cl)
{
	size_t	i, l, c, at = ds->ds_ncols;

	lu->lu_names = xcalloc(lu->lu_ncols, sizeof(*lu->lu_names));
	for (i = 0; i < ds->ds_ncols; i++)
		lu->lu_names[i] = xstrdup(ds->ds_names[i]);
	for (l = 0; l < lu->lu_n; l++) {
		for (c = 0; c < cl->cl_n; c++)
			if (asprintf(&lu->lu_names[at++], "%s.%s",
			    lu->lu_tab[l].lk_name, cl->cl_names[c]) == -1)
				err(1, "asprintf");
		if (asprintf(&lu->lu_names[at++], "%s.n",
		    lu->lu_tab[l].lk_name) == -1)
			err(1, "asprintf");
	}
}

void
lookups_build(struct lookups *lu, const struct dataset *ds,
    const uint16_t *y, size_t ntrain, const struct classes *cl,
    const struct train_opts *o)
{
	size_t	 l, i, at, nc = ds->ds_ncols;
	float	*tmp;

	lookups_free(lu);
	lu->lu_n = (size_t)o->to_nlookups;
	lu->lu_tab = xcalloc(lu->lu_n ? lu->lu_n : 1, sizeof(*lu->lu_tab));
	lu->lu_ncols = nc;
	for (l = 0; l < lu->lu_n; l++) {
		spec_parse(&lu->lu_tab[l], ds, o->to_lookups[l]);
		lu->lu_tab[l].lk_nclasses = cl->cl_n;
		lu->lu_tab[l].lk_alpha = (float)o->to_lookup_alpha;
		lu->lu_tab[l].lk_prior = class_prior(y, ntrain, cl->cl_n);
		lu->lu_ncols += lookup_width(&lu->lu_tab[l]);
	}
	lookups_names(lu, ds, cl);
	if (lu->lu_n == 0)
		return;		/* the data's own matrix will do */

	lu->lu_x = xcalloc(ds->ds_nrows * lu->lu_ncols + 1, sizeof(float));
	for (i = 0; i < ds->ds_nrows; i++)
		memcpy(lu->lu_x + i * lu->lu_ncols, ds->ds_x + i * nc,
		    nc * sizeof(float));
	for (l = 0, at = nc; l < lu->lu_n; l++) {
		/* built apart, then placed: each lookup's rows are dense */
		tmp = xcalloc(ds->ds_nrows * lookup_width(&lu->lu_tab[l]) + 1,
		    sizeof(*tmp));
		lookup_build(&lu->lu_tab[l], ds, y, ntrain, o, tmp,
		    lookup_width(&lu->lu_tab[l]));
		for (i = 0; i < ds->ds_nrows; i++)
			memcpy(lu->lu_x + i * lu->lu_ncols + at,
			    tmp + i * lookup_width(&lu->lu_tab[l]),
			    lookup_width(&lu->lu_tab[l]) * sizeof(*tmp));
		at += lookup_width(&lu->lu_tab[l]);
		free(tmp);
	}
}

/*
 * Every row with the shipped counts (no folds): what lib/model.c computes
 * for it, for --verify.
 */
float *
lookups_matrix_full(const struct lookups *lu, const struct dataset *ds)
{
	float	*x;
	size_t	 i;

	x = xcalloc(ds->ds_nrows * lu->lu_ncols + 1, sizeof(*x));
	for (i = 0; i < ds->ds_nrows; i++)
		lookup_expand(lu->lu_tab, lu->lu_n, ds->ds_x +
		    i * ds->ds_ncols, ds->ds_ncols, x + i * lu->lu_ncols);
	return x;
}

/* The "lookups" section of the sidecar (lib/model.c's format). */
void
lookups_write(FILE *fp, const struct lookups *lu)
{
	const struct lookup	*lk;
	size_t			 l, i, e, c;

	fprintf(fp, "lookups %zu\n", lu->lu_n);
	for (l = 0; l < lu->lu_n; l++) {
		lk = &lu->lu_tab[l];
		fprintf(fp, "lookup %s %zu %zu %.9g\n", lk->lk_name,
		    lk->lk_nkeys, lk->lk_nentries, (double)lk->lk_alpha);
		for (i = 0; i < lk->lk_nkeys; i++)
			fprintf(fp, "key %u\n", lk->lk_feat[i]);
		fprintf(fp, "prior");
		for (c = 0; c < lk->lk_nclasses; c++)
			fprintf(fp, " %.9g", (double)lk->lk_prior[c]);
		fprintf(fp, "\n");
		for (e = 0; e < lk->lk_nentries; e++) {
			fprintf(fp, "e");
			for (i = 0; i < lk->lk_nkeys; i++)
				fprintf(fp, " %u",
				    lk->lk_keys[e * lk->lk_nkeys + i]);
			fprintf(fp, " %zu", lk->lk_first[e + 1] -
			    lk->lk_first[e]);
			for (i = lk->lk_first[e]; i < lk->lk_first[e + 1]; i++)
				fprintf(fp, " %u %u", lk->lk_class[i],
				    lk->lk_count[i]);
			fprintf(fp, "\n");
		}
	}
}

void
lookups_free(struct lookups *lu)
{
	size_t	i;

	for (i = 0; i < lu->lu_n; i++)
		lookup_free(&lu->lu_tab[i]);
	for (i = 0; lu->lu_names != NULL && i < lu->lu_ncols; i++)
		free(lu->lu_names[i]);
	free(lu->lu_tab);
	free(lu->lu_names);
	free(lu->lu_x);
	memset(lu, 0, sizeof(*lu));
}
