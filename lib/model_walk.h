/* SPDX-License-Identifier: ISC */
/*
 * The inner loop of lib/model.c: rows walking one tree side by side.
 * Private to lib/model.c.
 */
#ifndef FLOWID_MODEL_WALK_H
#define FLOWID_MODEL_WALK_H

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
	uint32_t	pn_word;	/* left | feature << 16 | default-left */
	float		pn_value;
};

#define MODEL_PNODE_LEFT	0xffffu
#define MODEL_PNODE_FEAT_MAX	0x7fffu

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

#endif /* FLOWID_MODEL_WALK_H */
