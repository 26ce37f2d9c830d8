/* SPDX-License-Identifier: ISC */
/*
 * Lookup features: what the training flows of one key (protocol and server
 * port, server network, server host) were.  For each key the trainer counts
 * the training flows of every class; a row's features are then the
 * smoothed share of each class among the flows of its key, and how many
 * flows that was.  A key the training never saw gets the classes' overall
 * shares and a count of 0.  The model file carries the counts; this
 * module turns them into features, for lib/model.c and for flowid-train,
 * which must compute the very same floats.
 */
#ifndef FLOWID_LOOKUP_H
#define FLOWID_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOOKUP_MAX_KEYS		4		/* feature values per key */
#define LOOKUP_KEY_LIMIT	16777216.0f	/* key values below 2^24 */

struct lookup {
	char		*lk_name;
	uint32_t	 lk_feat[LOOKUP_MAX_KEYS];	/* input columns */
	size_t		 lk_nkeys;
	float		 lk_alpha;	/* prior weight, in flows */
	size_t		 lk_nclasses;
	float		*lk_prior;	/* overall share of each class */
	size_t		 lk_nentries;
	uint32_t	*lk_keys;	/* nentries x nkeys, ascending */
	float		*lk_values;	/* (nentries + 1) x (nclasses + 1) */
};

/* Features one lookup adds: a share per class, then the flow count. */
static inline size_t
lookup_width(const struct lookup *lk)
{
	return lk->lk_nclasses + 1;
}

/*
 * The key of row x: every key column must hold a whole number in
 * [0, 2^24).  Returns false for a missing (NaN), negative ("none"),
 * fractional or too large value: such a row has no key.
 */
bool	lookup_key(const struct lookup *, const float *x, uint32_t *key);

/*
 * The features of a key whose training flows were counts[0 .. k-1] (total
 * their sum): out[c] = (counts[c] + alpha x prior[c]) / (total + alpha),
 * out[k] = total.  Computed in double, rounded once to float.
 */
void	lookup_fill(float *out, const uint32_t *counts, size_t k,
	    const float *prior, float alpha);

/* Row of features for row x (the unseen row when its key is unknown). */
const float *lookup_find(const struct lookup *, const float *x);

/* Compare two keys of n values; memcmp order is not numeric order. */
int	lookup_key_cmp(const uint32_t *a, const uint32_t *b, size_t n);

void	lookup_free(struct lookup *);

#endif /* FLOWID_LOOKUP_H */
