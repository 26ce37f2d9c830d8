/* SPDX-License-Identifier: ISC */
/*
 * Lookup features (lookup.h): keys from feature values, features from
 * counts, and the binary search of a loaded table.
 */

#include <math.h>
#include <stdlib.h>

#include "lookup.h"

bool
lookup_key(const struct lookup *lk, const float *x, uint32_t *key)
{
	size_t	i;

	for (i = 0; i < lk->lk_nkeys; i++) {
		float	v = x[lk->lk_feat[i]];

		/* !(v >= 0) is also true for NaN */
		if (!(v >= 0) || v >= LOOKUP_KEY_LIMIT || v != floorf(v))
			return false;
		key[i] = (uint32_t)v;
	}
	return true;
}

void
lookup_fill(float *out, const uint32_t *counts, size_t k,
    const float *prior, float alpha)
{
	double	total = 0;
	size_t	c;

	for (c = 0; c < k; c++)
		total += counts[c];
	for (c = 0; c < k; c++)
		out[c] = (float)(((double)counts[c] + (double)alpha *
		    prior[c]) / (total + alpha));
	out[k] = (float)total;
}

int
lookup_key_cmp(const uint32_t *a, const uint32_t *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

const float *
lookup_find(const struct lookup *lk, const float *x)
{
	uint32_t	key[LOOKUP_MAX_KEYS];
	size_t		lo = 0, hi = lk->lk_nentries, mid;
	int		c;

	if (lookup_key(lk, x, key)) {
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = lookup_key_cmp(lk->lk_keys + mid * lk->lk_nkeys,
			    key, lk->lk_nkeys);
			if (c == 0)
				return lk->lk_values + mid * lookup_width(lk);
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return lk->lk_values + lk->lk_nentries * lookup_width(lk);
}

void
lookup_free(struct lookup *lk)
{
	if (lk == NULL)
		return;
	free(lk->lk_name);
	free(lk->lk_prior);
	free(lk->lk_keys);
	free(lk->lk_values);
}
