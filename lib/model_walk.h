/* SPDX-License-Identifier: ISC */
/*
 * The inner loop of lib/model.c: rows walking one tree side by side.
 * Private to lib/model.c.
 */
#ifndef FLOWID_MODEL_WALK_H
#define FLOWID_MODEL_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MODEL_DEFAULT_LEFT	0x80000000u	/* in mn_feat */
#define MODEL_FEAT_MASK		0x7fffffffu
#define MODEL_WALK_MAX		32		/* rows walked at once */

/*
 * One node in memory, 12 bytes.  The loader lays each tree out breadth
 * first, so a node's right child always follows its left one.  A leaf is
 * a split that always goes right, to itself: its threshold is NaN (no
 * value is below it), missing values go right, and its "left child" is
 * the node before it.  A walk is then a fixed number of identical steps
 * (the tree's depth) with no branch, and rows can walk a tree side by
 * side.  Indices are relative to the tree's first node, and wrap around
 * for a tree that is a single leaf.
 */
struct model_node {
	uint32_t	mn_left;	/* left child; a leaf: itself - 1 */
	uint32_t	mn_feat;	/* feature | MODEL_DEFAULT_LEFT */
	float		mn_value;	/* threshold; a leaf: NaN */
};

/*
 * The same node in 8 bytes, for trees of at most 65536 nodes over at
 * most 32768 features: the left child's low 16 bits (a leaf's wraps to
 * itself), the feature and the missing-goes-left flag in one word, then
 * the threshold.  One 64-bit gather fetches a node whole.
 */
struct model_pnode {
	uint32_t	pn_word;	/* left | feature << 16 | dleft */
	float		pn_value;
};

#define MODEL_PNODE_LEFT	0xffffu
#define MODEL_PNODE_FEAT_MAX	0x7fffu

/*
 * A tree of depth at most 5 laid out complete, as a heap: level d's
 * node i is slot 2^d - 1 + i, its children slots 2s + 1 and 2s + 2, so a
 * walk needs no child pointers and a tree's 31 splits fit two vector
 * registers.  A leaf above the last level becomes splits that always go
 * right (threshold NaN, missing goes right) down to the last level; its
 * value sits at the rightmost leaf below it.  Feature indices are stored
 * times MODEL_CTREE_ROWS, the stride of the rows' values (model_walk_
 * ctrees).  384 bytes a tree.
 */
#define MODEL_CTREE_DEPTH	5
#define MODEL_CTREE_ROWS	32	/* rows walked by model_walk_ctrees */

struct model_ctree {
	uint32_t	ct_feat[32];	/* feature x 32 | default-left */
	float		ct_thr[32];
	float		ct_leaf[32];	/* by position on the last level */
};

/*
 * Walk the tree at tree for depth steps with the nb (<= MODEL_WALK_MAX)
 * rows at x, nf floats apart; pos[b] is then the index of row b's leaf.
 */
void	model_walk(const struct model_node *tree, unsigned depth,
	    const float *x, size_t nf, size_t nb, uint32_t *pos);

/*
 * The same for four trees of depth[0 .. 3] steps; tree i's leaves go to
 * pos[i x MODEL_WALK_MAX + b].  With the packed copies of the same trees
 * at hand (ptree[i] mirrors tree[i] node for node; NULL: none), a full
 * block of 32 rows takes the vector walk where the CPU has AVX-512, for
 * the deepest tree's steps (a walk that reached a leaf stays on it); the
 * results are the same bits.
 */
void	model_walk4(const struct model_node *const *tree,
	    const struct model_pnode *const *ptree, const unsigned *depth,
	    const float *x, size_t nf, size_t nb, uint32_t *pos);

/*
 * Lay out the tree at tree (its leaf values at leaf, by node) complete
 * with depth levels, depth at least the tree's own and at most
 * MODEL_CTREE_DEPTH.
 */
void	model_ctree_fill(struct model_ctree *ct, const struct model_node *tree,
	    const float *leaf, unsigned depth);

/*
 * Walk the nt complete trees at ct, all of depth steps, with the
 * MODEL_CTREE_ROWS rows at x, stored by feature (row b's value of
 * feature f at x[f x MODEL_CTREE_ROWS + b]), and add each tree's leaf
 * to margin[c x MODEL_CTREE_ROWS + b], where c is the tree's class
 * (cls[t]), trees in order.  nan says whether any value at x may be NaN:
 * false lets the walk skip the missing-value test.  With AVX-512 the rows
 * go 16 to a vector and a split is two permutes and one gather;
 * model_walk_ctrees_scalar does the same one row at a time, for the same
 * bits.
 */
void	model_walk_ctrees(const struct model_ctree *ct, const uint16_t *cls,
	    size_t nt, unsigned depth, const float *x, float *margin,
	    bool nan);
/*
 * Store the MODEL_CTREE_ROWS rows at rows (nf floats each) by feature
 * into xt, as model_walk_ctrees reads them.  Returns whether any value
 * is NaN.
 */
bool	model_walk_transpose(const float *rows, size_t nf, float *xt);

void	model_walk_ctrees_scalar(const struct model_ctree *ct,
	    const uint16_t *cls, size_t nt, unsigned depth, const float *x,
	    float *margin);

#endif /* FLOWID_MODEL_WALK_H */
