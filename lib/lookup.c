/* SPDX-License-Identifier: ISC */
/*
 * Lookup features (lookup.h): keys from feature values, features from
 * counts, and the search of a loaded table: binary while it is built,
 * by a hash index once lookup_cache has made one.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lookup.h"

bool
lookup_key(const struct lookup *lk, const float *x, uint32_t *key)
{
	size_t	i;

	for (i = 0; i < lk->lk_nkeys; i++) {
		float	v = x[lk->lk_feat[i]];

		/* !(v >= 0) is also true for NaN; below 2^24 the cast is
		   exact for a whole v, and floors any other */
		if (!(v >= 0) || v >= LOOKUP_KEY_LIMIT ||
		    (float)(uint32_t)v != v)
			return false;
		key[i] = (uint32_t)v;
	}
	return true;
}

/* One class's feature; lookup_fill and lookup_row share it, bit for bit. */
static inline float
lookup_share(uint32_t count, double total, float prior, float alpha)
{
	return (float)(((double)count + (double)alpha * prior) /
	    (total + alpha));
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
		out[c] = lookup_share(counts[c], total, prior[c], alpha);
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

static size_t
lookup_hash(const uint32_t *key, size_t n)
{
	uint64_t	h = 0x9e3779b97f4a7c15ULL;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ key[i]) * 0xbf58476d1ce4e5b9ULL;
	return (size_t)(h ^ h >> 32);
}

/* Entry of key in the hash index, or nentries. */
static size_t
lookup_probe(const struct lookup *lk, const uint32_t *key)
{
	size_t		h = lookup_hash(key, lk->lk_nkeys) & lk->lk_imask;
	uint32_t	slot;

	while ((slot = lk->lk_index[h]) != 0) {
		if (lookup_key_cmp(lk->lk_keys + (slot - 1) * lk->lk_nkeys,
		    key, lk->lk_nkeys) == 0)
			return slot - 1;
		h = (h + 1) & lk->lk_imask;
	}
	return lk->lk_nentries;
}

/* Index of row x's entry, or nentries when it has none. */
static size_t
lookup_search(const struct lookup *lk, const float *x)
{
	uint32_t	key[LOOKUP_MAX_KEYS];
	size_t		lo = 0, hi = lk->lk_nentries, mid;
	int		c;

	if (!lookup_key(lk, x, key))
		return lk->lk_nentries;
	if (lk->lk_index != NULL)
		return lookup_probe(lk, key);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = lookup_key_cmp(lk->lk_keys + mid * lk->lk_nkeys, key,
		    lk->lk_nkeys);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lk->lk_nentries;
}

/* Entry e's features (e = nentries: the unseen key's). */
static void
lookup_compute(const struct lookup *lk, size_t e, float *out)
{
	size_t	i, c, first = 0, end = 0;
	double	total = 0;

	if (e < lk->lk_nentries) {
		first = lk->lk_first[e];
		end = lk->lk_first[e + 1];
	}
	for (i = first; i < end; i++)
		total += lk->lk_count[i];
	for (c = 0; c < lk->lk_nclasses; c++)
		out[c] = lookup_share(0, total, lk->lk_prior[c], lk->lk_alpha);
	for (i = first; i < end; i++)
		out[lk->lk_class[i]] = lookup_share(lk->lk_count[i], total,
		    lk->lk_prior[lk->lk_class[i]], lk->lk_alpha);
	out[lk->lk_nclasses] = (float)total;
}

void
lookup_row(const struct lookup *lk, const float *x, float *out)
{
	size_t	e = lookup_search(lk, x), w = lookup_width(lk);

	if (lk->lk_rows != NULL)
		memcpy(out, lk->lk_rows + e * w, w * sizeof(*out));
	else
		lookup_compute(lk, e, out);
}

/* Drop what lookup_cache made: the entries are changing. */
static void
lookup_uncache(struct lookup *lk)
{
	free(lk->lk_rows);
	free(lk->lk_index);
	lk->lk_rows = NULL;
	lk->lk_index = NULL;
}

/* Slots for twice the entries, a power of two: probes stay short. */
static int
lookup_index(struct lookup *lk)
{
	size_t	n = 2, e, h;

	while (n < 2 * lk->lk_nentries)
		n <<= 1;
	if ((lk->lk_index = calloc(n, sizeof(*lk->lk_index))) == NULL)
		return -1;
	lk->lk_imask = n - 1;
	for (e = 0; e < lk->lk_nentries; e++) {
		h = lookup_hash(lk->lk_keys + e * lk->lk_nkeys,
		    lk->lk_nkeys) & lk->lk_imask;
		while (lk->lk_index[h] != 0)
			h = (h + 1) & lk->lk_imask;
		lk->lk_index[h] = (uint32_t)e + 1;
	}
	return 0;
}

int
lookup_cache(struct lookup *lk)
{
	size_t	w = lookup_width(lk), e;

	lookup_uncache(lk);
	if (lk->lk_nentries + 1 > LOOKUP_CACHE_MAX / w)
		return 0;
	if ((lk->lk_rows = calloc((lk->lk_nentries + 1) * w,
	    sizeof(*lk->lk_rows))) == NULL || lookup_index(lk) == -1) {
		lookup_uncache(lk);
		return -1;
	}
	for (e = 0; e <= lk->lk_nentries; e++)
		lookup_compute(lk, e, lk->lk_rows + e * w);
	return 0;
}

void
lookup_expand(const struct lookup *lk, size_t n, const float *x,
    size_t nin, float *out)
{
	size_t	l;

	memcpy(out, x, nin * sizeof(*x));
	out += nin;
	for (l = 0; l < n; l++) {
		lookup_row(&lk[l], x, out);
		out += lookup_width(&lk[l]);
	}
}

/* Room for one more entry and n more pairs; arrays double. */
static int
lookup_grow(struct lookup *lk, size_t n)
{
	void	*p;
	size_t	 cap;

	if (lk->lk_nentries + 1 >= lk->lk_cap) {
		cap = lk->lk_cap ? lk->lk_cap * 2 : 64;
		if ((p = reallocarray(lk->lk_keys, cap, lk->lk_nkeys *
		    sizeof(*lk->lk_keys))) == NULL)
			return -1;
		lk->lk_keys = p;
		if ((p = reallocarray(lk->lk_first, cap + 1,
		    sizeof(*lk->lk_first))) == NULL)
			return -1;
		lk->lk_first = p;
		lk->lk_cap = cap;
	}
	if (lk->lk_npairs + n > lk->lk_paircap) {
		cap = lk->lk_paircap ? lk->lk_paircap : 64;
		while (cap < lk->lk_npairs + n)
			cap *= 2;
		if ((p = reallocarray(lk->lk_class, cap,
		    sizeof(*lk->lk_class))) == NULL)
			return -1;
		lk->lk_class = p;
		if ((p = reallocarray(lk->lk_count, cap,
		    sizeof(*lk->lk_count))) == NULL)
			return -1;
		lk->lk_count = p;
		lk->lk_paircap = cap;
	}
	return 0;
}

int
lookup_add(struct lookup *lk, const uint32_t *key, const uint16_t *cls,
    const uint32_t *cnt, size_t n)
{
	size_t	e = lk->lk_nentries, i;

	lookup_uncache(lk);	/* a new entry makes the cache stale */
	if (lookup_grow(lk, n) == -1)
		return -1;
	memcpy(lk->lk_keys + e * lk->lk_nkeys, key,
	    lk->lk_nkeys * sizeof(*key));
	if (e == 0)
		lk->lk_first[0] = 0;
	for (i = 0; i < n; i++) {
		lk->lk_class[lk->lk_npairs] = cls[i];
		lk->lk_count[lk->lk_npairs++] = cnt[i];
	}
	lk->lk_first[e + 1] = lk->lk_npairs;
	lk->lk_nentries++;
	return 0;
}

void
lookup_free(struct lookup *lk)
{
	if (lk == NULL)
		return;
	free(lk->lk_name);
	free(lk->lk_prior);
	free(lk->lk_keys);
	free(lk->lk_first);
	free(lk->lk_class);
	free(lk->lk_count);
	lookup_uncache(lk);
}
