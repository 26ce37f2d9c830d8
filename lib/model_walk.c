/* SPDX-License-Identifier: ISC */
/*
 * Rows walking one tree (model_walk.h).  The portable walk interleaves
 * the rows so their loads overlap.  On x86-64 with AVX-512, a block of
 * 32 rows takes each step of four trees as eight vectors over the packed
 * nodes: two 64-bit gathers fetch 16 nodes whole, one gathers the rows'
 * values, one compare decides, instead of 128 scalar chains.  Eight
 * independent walks keep the gathers' latency hidden.  Both take the same
 * branch for every row, bit for bit: the compare is the same IEEE
 * "less than", false for NaN.
 */

#include <math.h>

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

#endif

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
