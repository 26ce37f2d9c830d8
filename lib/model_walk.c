/* SPDX-License-Identifier: ISC */
/*
 * Rows walking trees (model_walk.h).  The portable walk interleaves the
 * rows so their loads overlap.  On x86-64 with AVX-512 there are two
 * vector walks, both giving the same branch for every row, bit for bit
 * (the compare is the same IEEE "less than", false for NaN):
 *
 * - Complete trees (depth 5 or less, as the shipped model): a tree's 31
 *   splits sit in registers, so a step is two permutes and one gather of
 *   the rows' values; the first three levels are seven plain loads
 *   instead, and the leaves go straight into the margins.
 * - Packed nodes (deeper trees): a block of 32 rows takes each step of
 *   four trees as eight vectors, two 64-bit gathers fetching 16 nodes
 *   whole, one gathering the rows' values.
 *
 * Independent walks side by side keep the gathers' latency hidden.
 */

#include <math.h>
#include <stdbool.h>

#include "model_walk.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MODEL_WALK_AVX512	1
#endif

/*
 * One step down the tree for one row.  x < thr is false for a NaN x, so
 * "go left" is (x < thr) or (x is NaN and missing goes left).  No branch:
 * half of them would be guessed wrong.
 */
static inline uint32_t
walk_step(const struct model_node *n, const float *x)
{
	float		v = x[n->mn_feat & MODEL_FEAT_MASK];
	uint32_t	left;

	left = (uint32_t)(v < n->mn_value) |
	    ((uint32_t)!!isnan(v) & (n->mn_feat >> 31));
	return n->mn_left + (left ^ 1);
}

static void
walk_scalar(const struct model_node *tree, unsigned depth, const float *x,
    size_t nf, size_t nb, uint32_t *pos)
{
	unsigned	d;
	size_t		b;

	for (b = 0; b < nb; b++)
		pos[b] = 0;
	for (d = 0; d < depth; d++)
		for (b = 0; b < nb; b++)
			pos[b] = walk_step(tree + pos[b], x + b * nf);
}

#ifdef MODEL_WALK_AVX512
/*
 * One step of 16 rows over packed nodes: two 64-bit gathers fetch the
 * 16 nodes whole, two permutes split them into words and thresholds.
 */
__attribute__((target("avx512f"), always_inline))
static inline __m512i
pstep_avx512(const long long *nodes, __m512i p, const float *x,
    __m512i rowoff)
{
	const __m512i	even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14,
			    16, 18, 20, 22, 24, 26, 28, 30);
	const __m512i	odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
	__m512i		lo, hi, word, left, feat;
	__m512		thr, v;
	__mmask16	goleft, nan, dleft;

	lo = _mm512_i32gather_epi64(_mm512_castsi512_si256(p), nodes, 8);
	hi = _mm512_i32gather_epi64(_mm512_extracti64x4_epi64(p, 1), nodes,
	    8);
	word = _mm512_permutex2var_epi32(lo, even, hi);
	thr = _mm512_castsi512_ps(_mm512_permutex2var_epi32(lo, odd, hi));
	left = _mm512_and_si512(word, _mm512_set1_epi32(MODEL_PNODE_LEFT));
	feat = _mm512_and_si512(_mm512_srli_epi32(word, 16),
	    _mm512_set1_epi32(MODEL_PNODE_FEAT_MAX));
	v = _mm512_i32gather_ps(_mm512_add_epi32(rowoff, feat), x, 4);

	goleft = _mm512_cmp_ps_mask(v, thr, _CMP_LT_OQ);
	nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
	dleft = _mm512_cmplt_epi32_mask(word, _mm512_setzero_si512());
	goleft |= nan & dleft;

	/* right is left + 1; a leaf's left + 1 wraps back to itself */
	return _mm512_and_si512(_mm512_mask_add_epi32(left,
	    (__mmask16)~goleft, left, _mm512_set1_epi32(1)),
	    _mm512_set1_epi32(MODEL_PNODE_LEFT));
}

/* Packed nodes: four trees for rows 0-15 and for rows 16-31. */
__attribute__((target("avx512f")))
static void
pwalk4x2_avx512(const struct model_pnode *const *tree, unsigned depth,
    const float *x, size_t nf, uint32_t *pos)
{
	const long long	*n0 = (const long long *)(const void *)tree[0];
	const long long	*n1 = (const long long *)(const void *)tree[1];
	const long long	*n2 = (const long long *)(const void *)tree[2];
	const long long	*n3 = (const long long *)(const void *)tree[3];
	const __m512i	 rowoff = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1,
			    2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
			    _mm512_set1_epi32((int)nf));
	const float	*y = x + 16 * nf;
	__m512i		 p0, p1, p2, p3, q0, q1, q2, q3;
	unsigned	 d;

	p0 = p1 = p2 = p3 = _mm512_setzero_si512();
	q0 = q1 = q2 = q3 = p0;
	for (d = 0; d < depth; d++) {
		p0 = pstep_avx512(n0, p0, x, rowoff);
		p1 = pstep_avx512(n1, p1, x, rowoff);
		p2 = pstep_avx512(n2, p2, x, rowoff);
		p3 = pstep_avx512(n3, p3, x, rowoff);
		q0 = pstep_avx512(n0, q0, y, rowoff);
		q1 = pstep_avx512(n1, q1, y, rowoff);
		q2 = pstep_avx512(n2, q2, y, rowoff);
		q3 = pstep_avx512(n3, q3, y, rowoff);
	}
	_mm512_storeu_si512((void *)pos, p0);
	_mm512_storeu_si512((void *)(pos + 16), q0);
	_mm512_storeu_si512((void *)(pos + 32), p1);
	_mm512_storeu_si512((void *)(pos + 48), q1);
	_mm512_storeu_si512((void *)(pos + 64), p2);
	_mm512_storeu_si512((void *)(pos + 80), q2);
	_mm512_storeu_si512((void *)(pos + 96), p3);
	_mm512_storeu_si512((void *)(pos + 112), q3);
}

/*
 * One step of 16 rows down complete trees: the split's feature and
 * threshold come from the two registers holding the tree's 32 slots,
 * only the rows' values from memory.
 */
__attribute__((target("avx512f"), always_inline))
static inline __m512i
cstep_avx512(__m512i f0, __m512i f1, __m512 t0, __m512 t1, __m512i s,
    const float *x, __m512i lane, bool nan)
{
	const __m512i	one = _mm512_set1_epi32(1);
	__m512i		word, off;
	__m512		thr, v;
	__mmask16	goleft;

	word = _mm512_permutex2var_epi32(f0, s, f1);
	thr = _mm512_permutex2var_ps(t0, s, t1);
	off = _mm512_add_epi32(_mm512_and_si512(word,
	    _mm512_set1_epi32(MODEL_FEAT_MASK)), lane);
	v = _mm512_i32gather_ps(off, x, 4);

	goleft = _mm512_cmp_ps_mask(v, thr, _CMP_LT_OQ);
	if (nan)
		goleft |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q) &
		    _mm512_cmplt_epi32_mask(word, _mm512_setzero_si512());

	s = _mm512_add_epi32(_mm512_add_epi32(s, s), one);
	return _mm512_mask_add_epi32(s, (__mmask16)~goleft, s, one);
}


/* Which of 16 rows the split at slot sends left: one load, no gather. */
__attribute__((target("avx512f"), always_inline))
static inline __mmask16
cnode_avx512(const struct model_ctree *ct, unsigned slot, const float *x,
    bool nan)
{
	const uint32_t	word = ct->ct_feat[slot];
	const __mmask16	dleft = (__mmask16)-(word >> 31);
	__m512		v;
	__mmask16	goleft;

	v = _mm512_loadu_ps(x + (word & MODEL_FEAT_MASK));
	goleft = _mm512_cmp_ps_mask(v, _mm512_set1_ps(ct->ct_thr[slot]),
	    _CMP_LT_OQ);
	if (nan)
		goleft |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q) & dleft;
	return goleft;
}

/* The root's step alone (trees of depth 1 or 2): slot 1 or 2 after it. */
__attribute__((target("avx512f"), always_inline))
static inline __m512i
croot_avx512(const struct model_ctree *ct, const float *x, bool nan)
{
	const __m512i	one = _mm512_set1_epi32(1);

	return _mm512_mask_add_epi32(one,
	    (__mmask16)~cnode_avx512(ct, 0, x, nan), one, one);
}

/*
 * The first three levels: their seven splits are tested for every row
 * with plain loads, and the path is picked from the masks.  Seven loads
 * of 16 values instead of two gathers of 16.
 */
__attribute__((target("avx512f"), always_inline))
static inline __m512i
ctop3_avx512(const struct model_ctree *ct, const float *x, bool nan)
{
	__mmask16	l0, l1, l2, r0, r1, r2;
	__m512i		s;

	l0 = cnode_avx512(ct, 0, x, nan);
	r0 = (__mmask16)~l0;
	l1 = (l0 & cnode_avx512(ct, 1, x, nan)) |
	    (r0 & cnode_avx512(ct, 2, x, nan));
	r1 = (__mmask16)~l1;
	l2 = (l0 & l1 & cnode_avx512(ct, 3, x, nan)) |
	    (l0 & r1 & cnode_avx512(ct, 4, x, nan)) |
	    (r0 & l1 & cnode_avx512(ct, 5, x, nan)) |
	    (r0 & r1 & cnode_avx512(ct, 6, x, nan));
	r2 = (__mmask16)~l2;

	/* slot 7 + 4 r0 + 2 r1 + r2 on the fourth level */
	s = _mm512_set1_epi32(7);
	s = _mm512_mask_add_epi32(s, r0, s, _mm512_set1_epi32(4));
	s = _mm512_mask_add_epi32(s, r1, s, _mm512_set1_epi32(2));
	return _mm512_mask_add_epi32(s, r2, s, _mm512_set1_epi32(1));
}

/*
 * Trees a and b, rows 0-15 and 16-31: four independent walks, so the
 * gathers of one wait while the others go on.  s[0], s[1] are a's last
 * slots, s[2], s[3] b's.
 */
__attribute__((target("avx512f"), always_inline))
static inline void
cpair_avx512(const struct model_ctree *a, const struct model_ctree *b,
    unsigned depth, const float *x, __m512i *s, bool nan)
{
	const __m512i	lane0 = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8,
			    9, 10, 11, 12, 13, 14, 15);
	const __m512i	lane1 = _mm512_add_epi32(lane0, _mm512_set1_epi32(16));
	__m512i		af0, af1, bf0, bf1;
	__m512		at0, at1, bt0, bt1;
	unsigned	d = 0;

	s[0] = s[1] = s[2] = s[3] = _mm512_setzero_si512();
	if (depth >= 3) {
		s[0] = ctop3_avx512(a, x, nan);
		s[1] = ctop3_avx512(a, x + 16, nan);
		s[2] = ctop3_avx512(b, x, nan);
		s[3] = ctop3_avx512(b, x + 16, nan);
		d = 3;
	} else if (depth > 0) {
		s[0] = croot_avx512(a, x, nan);
		s[1] = croot_avx512(a, x + 16, nan);
		s[2] = croot_avx512(b, x, nan);
		s[3] = croot_avx512(b, x + 16, nan);
		d = 1;
	}
	if (d == depth)
		return;

	af0 = _mm512_loadu_si512((const void *)a->ct_feat);
	af1 = _mm512_loadu_si512((const void *)(a->ct_feat + 16));
	at0 = _mm512_loadu_ps(a->ct_thr);
	at1 = _mm512_loadu_ps(a->ct_thr + 16);
	bf0 = _mm512_loadu_si512((const void *)b->ct_feat);
	bf1 = _mm512_loadu_si512((const void *)(b->ct_feat + 16));
	bt0 = _mm512_loadu_ps(b->ct_thr);
	bt1 = _mm512_loadu_ps(b->ct_thr + 16);
	for (; d < depth; d++) {
		s[0] = cstep_avx512(af0, af1, at0, at1, s[0], x, lane0,
		    nan);
		s[1] = cstep_avx512(af0, af1, at0, at1, s[1], x, lane1,
		    nan);
		s[2] = cstep_avx512(bf0, bf1, bt0, bt1, s[2], x, lane0,
		    nan);
		s[3] = cstep_avx512(bf0, bf1, bt0, bt1, s[3], x, lane1,
		    nan);
	}
}

/* Add the leaves at slots p (rows 0-15) and q (rows 16-31) of tree ct. */
__attribute__((target("avx512f"), always_inline))
static inline void
cleaf_avx512(const struct model_ctree *ct, __m512i p, __m512i q,
    __m512i base, float *mg)
{
	const __m512	l0 = _mm512_loadu_ps(ct->ct_leaf);
	const __m512	l1 = _mm512_loadu_ps(ct->ct_leaf + 16);
	__m512		m;

	m = _mm512_permutex2var_ps(l0, _mm512_sub_epi32(p, base), l1);
	_mm512_storeu_ps(mg, _mm512_add_ps(_mm512_loadu_ps(mg), m));
	m = _mm512_permutex2var_ps(l0, _mm512_sub_epi32(q, base), l1);
	_mm512_storeu_ps(mg + 16, _mm512_add_ps(_mm512_loadu_ps(mg + 16), m));
}

/*
 * Trees two at a time; the leaves go to the margins in tree order.  nan
 * is a constant in each of the two copies below: rows without a NaN skip
 * the missing-value test, a third of a step.
 */
__attribute__((target("avx512f"), always_inline))
static inline void
cwalk_avx512(const struct model_ctree *ct, const uint16_t *cls, size_t nt,
    unsigned depth, const float *x, float *margin, bool nan)
{
	const __m512i	base = _mm512_set1_epi32((1 << depth) - 1);
	__m512i		s[4];
	size_t		t;

	for (t = 0; t + 2 <= nt; t += 2) {
		cpair_avx512(&ct[t], &ct[t + 1], depth, x, s, nan);
		cleaf_avx512(&ct[t], s[0], s[1], base,
		    margin + (size_t)cls[t] * MODEL_CTREE_ROWS);
		cleaf_avx512(&ct[t + 1], s[2], s[3], base,
		    margin + (size_t)cls[t + 1] * MODEL_CTREE_ROWS);
	}
	if (t < nt) {
		cpair_avx512(&ct[t], &ct[t], depth, x, s, nan);
		cleaf_avx512(&ct[t], s[0], s[1], base,
		    margin + (size_t)cls[t] * MODEL_CTREE_ROWS);
	}
}

__attribute__((target("avx512f")))
static void
cwalk_nan_avx512(const struct model_ctree *ct, const uint16_t *cls,
    size_t nt, unsigned depth, const float *x, float *margin)
{
	cwalk_avx512(ct, cls, nt, depth, x, margin, true);
}

__attribute__((target("avx512f")))
static void
cwalk_finite_avx512(const struct model_ctree *ct, const uint16_t *cls,
    size_t nt, unsigned depth, const float *x, float *margin)
{
	cwalk_avx512(ct, cls, nt, depth, x, margin, false);
}

/* Rows 0-15 and 16-31 of each feature: two gathers, and a NaN test. */
__attribute__((target("avx512f")))
static bool
ctranspose_avx512(const float *rows, size_t nf, float *xt)
{
	const __m512i	off = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3,
			    4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
			    _mm512_set1_epi32((int)nf));
	const float	*hi = rows + 16 * nf;
	__mmask16	nan = 0;
	__m512		v, w;
	size_t		f;

	for (f = 0; f < nf; f++) {
		v = _mm512_i32gather_ps(off, rows + f, 4);
		w = _mm512_i32gather_ps(off, hi + f, 4);
		nan |= _mm512_cmp_ps_mask(v, w, _CMP_UNORD_Q);
		_mm512_storeu_ps(xt + f * MODEL_CTREE_ROWS, v);
		_mm512_storeu_ps(xt + f * MODEL_CTREE_ROWS + 16, w);
	}
	return nan != 0;
}

#endif

bool
model_walk_transpose(const float *rows, size_t nf, float *xt)
{
	bool	nan = false;
	size_t	b, f;

#ifdef MODEL_WALK_AVX512
	if (__builtin_cpu_supports("avx512f"))
		return ctranspose_avx512(rows, nf, xt);
#endif
	for (b = 0; b < MODEL_CTREE_ROWS; b++)
		for (f = 0; f < nf; f++) {
			xt[f * MODEL_CTREE_ROWS + b] = rows[b * nf + f];
			nan |= isnan(rows[b * nf + f]);
		}
	return nan;
}

void
model_walk_ctrees_scalar(const struct model_ctree *ct, const uint16_t *cls,
    size_t nt, unsigned depth, const float *x, float *margin)
{
	const uint32_t	base = (1u << depth) - 1;
	uint32_t	s, word, left;
	float		v;
	size_t		t, b;
	unsigned	d;

	for (t = 0; t < nt; t++, ct++)
		for (b = 0; b < MODEL_CTREE_ROWS; b++) {
			for (s = 0, d = 0; d < depth; d++) {
				word = ct->ct_feat[s];
				v = x[(word & MODEL_FEAT_MASK) + b];
				left = (uint32_t)(v < ct->ct_thr[s]) |
				    ((uint32_t)!!isnan(v) & (word >> 31));
				s = 2 * s + 2 - left;
			}
			margin[cls[t] * MODEL_CTREE_ROWS + b] +=
			    ct->ct_leaf[s - base];
		}
}

void
model_walk_ctrees(const struct model_ctree *ct, const uint16_t *cls,
    size_t nt, unsigned depth, const float *x, float *margin, bool nan)
{
#ifdef MODEL_WALK_AVX512
	if (__builtin_cpu_supports("avx512f")) {
		if (nan)
			cwalk_nan_avx512(ct, cls, nt, depth, x, margin);
		else
			cwalk_finite_avx512(ct, cls, nt, depth, x, margin);
		return;
	}
#endif
	model_walk_ctrees_scalar(ct, cls, nt, depth, x, margin);
}

/* Node n of tree, at position pos of level level. */
static void
ctree_fill_at(struct model_ctree *ct, const struct model_node *tree,
    const float *leaf, uint32_t n, unsigned level, uint32_t pos,
    unsigned depth)
{
	const struct model_node	*nd = tree + n;
	const uint32_t		 slot = (1u << level) - 1 + pos;

	if (level == depth) {
		ct->ct_leaf[pos] = leaf[n];
		return;
	}
	if (nd->mn_left == n - 1) {
		/* a leaf above the last level: always right */
		ct->ct_feat[slot] = 0;
		ct->ct_thr[slot] = NAN;
		ctree_fill_at(ct, tree, leaf, n, level + 1, 2 * pos + 1,
		    depth);
		return;
	}
	ct->ct_feat[slot] = (nd->mn_feat & MODEL_FEAT_MASK) *
	    MODEL_CTREE_ROWS | (nd->mn_feat & MODEL_DEFAULT_LEFT);
	ct->ct_thr[slot] = nd->mn_value;
	ctree_fill_at(ct, tree, leaf, nd->mn_left, level + 1, 2 * pos, depth);
	ctree_fill_at(ct, tree, leaf, nd->mn_left + 1, level + 1, 2 * pos + 1,
	    depth);
}

void
model_ctree_fill(struct model_ctree *ct, const struct model_node *tree,
    const float *leaf, unsigned depth)
{
	size_t	i;

	/* slots no walk reaches: harmless values all the same */
	for (i = 0; i < 32; i++) {
		ct->ct_feat[i] = 0;
		ct->ct_thr[i] = NAN;
		ct->ct_leaf[i] = 0;
	}
	ctree_fill_at(ct, tree, leaf, 0, 0, 0, depth);
}

void
model_walk(const struct model_node *tree, unsigned depth, const float *x,
    size_t nf, size_t nb, uint32_t *pos)
{
	walk_scalar(tree, depth, x, nf, nb, pos);
}

void
model_walk4(const struct model_node *const *tree,
    const struct model_pnode *const *ptree, const unsigned *depth,
    const float *x, size_t nf, size_t nb, uint32_t *pos)
{
	size_t	i;
#ifdef MODEL_WALK_AVX512
	unsigned	max = 0;

	if (ptree != NULL && nb == 32 && __builtin_cpu_supports("avx512f")) {
		for (i = 0; i < 4; i++)
			max = depth[i] > max ? depth[i] : max;
		pwalk4x2_avx512(ptree, max, x, nf, pos);
		return;
	}
#else
	(void)ptree;
#endif
	for (i = 0; i < 4; i++)
		walk_scalar(tree[i], depth[i], x, nf, nb,
		    pos + i * MODEL_WALK_MAX);
}
