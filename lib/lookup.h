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
#define LOOKUP_CACHE_MAX	(1 << 22)	/* floats lookup_cache keeps */

struct lookup {
	char		*lk_name;
	uint32_t	 lk_feat[LOOKUP_MAX_KEYS];	/* input columns */
	size_t		 lk_nkeys;
	float		 lk_alpha;	/* prior weight, in flows */
	size_t		 lk_nclasses;
	float		*lk_prior;	/* overall share of each class */
	size_t		 lk_nentries;
	uint32_t	*lk_keys;	/* nentries x nkeys, ascending */
	size_t		*lk_first;	/* e: pairs [first[e], first[e+1]) */
	uint16_t	*lk_class;	/* each pair's class, ascending in e */
	uint32_t	*lk_count;	/* each pair's training flows, >= 1 */
	size_t		 lk_npairs;
	size_t		 lk_cap;	/* entries the arrays hold */
	size_t		 lk_paircap;
	float		*lk_rows;	/* lookup_cache: each entry's features,
					   the unseen key's last; or NULL */
	uint32_t	*lk_index;	/* lookup_cache: entry + 1 by key
					   hash, 0 empty; or NULL */
	size_t		 lk_imask;	/* its slots - 1 */
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

/*
 * Append the entry of key (greater than the last one's) whose classes
 * cls[0 .. n-1] had cnt[0 .. n-1] training flows.  Returns 0, or -1 when
 * out of memory.
 */
int	lookup_add(struct lookup *, const uint32_t *key, const uint16_t *cls,
	    const uint32_t *cnt, size_t n);

/*
 * Compute every entry's features once, after the last lookup_add, so that
 * lookup_row only copies them, and index the keys by a hash: at most
 * LOOKUP_CACHE_MAX floats (16 MB), else nothing is kept.  Returns 0, or
 * -1 when out of memory, and then lookup_row computes them each time and
 * searches the sorted keys, as before.
 */
int	lookup_cache(struct lookup *);

/* Write row x's lookup_width() features to out (the unseen key's when
 * its key is unknown or missing). */
void	lookup_row(const struct lookup *, const float *x, float *out);

/*
 * Write row x (nin input columns) as trees read it: the nin columns, then
 * the features of each of the n lookups at lk, in order.
 */
void	lookup_expand(const struct lookup *lk, size_t n, const float *x,
	    size_t nin, float *out);

/* Compare two keys of n values; memcmp order is not numeric order. */
int	lookup_key_cmp(const uint32_t *a, const uint32_t *b, size_t n);

void	lookup_free(struct lookup *);

#endif /* FLOWID_LOOKUP_H */
