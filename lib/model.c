/* SPDX-License-Identifier: ISC */
/*
 * Load and evaluate the tree-ensemble sidecar that flowid-train(1) writes
 * next to the XGBoost JSON model.  This file knows nothing of XGBoost; it
 * only reproduces its multi:softprob prediction from plain node arrays.
 *
 * Sidecar format, version 2.  Text, one record per line, fields separated
 * by one space, lines end in '\n', no blank lines, in this order:
 *
 *	flowid-model 2			magic and format version
 *	profile NAME			flowidd, cicflowmeter or unicauca
 *	features N			then N lines:
 *	feature NAME			  column name, in x[] order
 *	classes K			then K lines (2 <= K <= 1024):
 *	class NAME			  class index = order of appearance
 *	lookups L			then L lookups (0 <= L <= 16), each:
 *	lookup NAME M E A		  M key columns (1-4), E entries,
 *					  prior weight A > 0
 *	key I				  M lines: key column, in x[]
 *	prior P1 .. PK			  overall share of each class
 *	e V1 .. VM P C1 N1 .. CP NP	  E lines: key values (whole, below
 *					  2^24, keys ascending), then P
 *					  classes (ascending) with their
 *					  training flow counts (>= 1)
 *	summary TEXT			any number: training facts, ignored
 *	base_score F			initial margin of every class
 *	trees T				then T trees, each:
 *	tree C M			  class index C, M node lines:
 *	n F THR L R D V			  node: feature, threshold, left and
 *					  right child, missing-goes-left (0/1),
 *					  leaf value
 *	end				nothing may follow
 *
 * Version 1 is the same without the lookups lines.  Lookups (lookup.h)
 * add features after the N input columns: lookup l's K + 1 features
 * (a share per class, then the count) are columns N + l x (K + 1) on,
 * and trees may split on them.
 *
 * Nodes are numbered from 0 (the root) in the order they appear inside
 * their tree.  A split node has F >= 0, children L and R greater than its
 * own index and V = 0; it sends a row left when x[F] < THR, and a missing
 * (NaN) x[F] left when D is 1.  A leaf has F = L = R = -1, THR = 0, D = 0
 * and adds V to the margin of class C.  |V| and |base_score| are at most
 * 1e30, so no sum of them overflows.  Every node but the root has exactly
 * one parent, so the nodes form a tree and no walk can loop.  Floats are
 * printed with %.9g, which round-trips a 32-bit float exactly.
 *
 * Prediction: margin[c] = base_score + sum of the leaves of class c's
 * trees, added in file order in single precision, then a softmax; this is
 * the order and precision of XGBoost's CPU predictor, so the results match
 * it (flowid-train --verify compares every row).
 */

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lookup.h"
#include "model.h"
#include "model_walk.h"

#define MODEL_MAGIC_V1		"flowid-model 1"
#define MODEL_MAGIC		"flowid-model 2"
#define MODEL_MAX_LOOKUPS	16
#define MODEL_MAX_ENTRIES	(1 << 24)
#define MODEL_MAX_FEATURES	65536
#define MODEL_MAX_TREES		1000000
#define MODEL_MAX_TREE_NODES	(1 << 24)
#define MODEL_MIN_NODE_LINE	14	/* "n 0 0 1 2 0 0\n" */
#define MODEL_MAX_DEPTH		256

/*
 * Bound on leaf values and base_score: a million trees of such leaves
 * still sum to a finite float margin, so the softmax never sees an
 * infinity (inf - inf would make every probability NaN).  Real leaves
 * are a learning rate times a gradient ratio, far below this.
 */
#define MODEL_MAX_LEAF		1e30f
#define MODEL_BLOCK		MODEL_WALK_MAX	/* rows per pass */
#define MODEL_MARGINS		4096	/* floats of margin on the stack */
#define MODEL_SCRATCH		16384	/* floats of rows with lookups */

_Static_assert(MODEL_CTREE_ROWS <= MODEL_BLOCK,
    "softmax_rows takes a block of complete-tree rows");
_Static_assert(MODEL_MARGINS >= MODEL_MAX_CLASSES,
    "a block must hold at least one row of margins");


struct model {
	char		 *m_profile;
	char		**m_features;
	size_t		  m_nfeatures;
	char		**m_classes;
	size_t		  m_nclasses;
	struct lookup	 *m_lookups;
	size_t		  m_nlookups;
	size_t		  m_nall;	/* input columns + lookup features */
	float		  m_base;	/* base_score */
	struct model_node *m_nodes;	/* every tree, one after another */
	struct model_pnode *m_pnodes;	/* the same packed, or NULL */
	struct model_ctree *m_ctrees;	/* every tree complete, or NULL */
	unsigned	  m_cdepth;	/* their depth */
	float		 *m_leaf;	/* leaf value of each node, or 0 */
	size_t		  m_nnodes;
	size_t		  m_nodecap;
	size_t		 *m_tree_first;	/* index of each tree's root */
	uint16_t	 *m_tree_class;
	uint16_t	 *m_tree_depth;	/* steps from the root to any leaf */
	size_t		  m_ntrees;
};

/* A node as the file numbers it, before the breadth-first layout. */
struct model_fnode {
	int32_t		fn_left;	/* -1: leaf */
	int32_t		fn_right;
	uint32_t	fn_feat;
	float		fn_value;
	uint8_t		fn_seen;	/* some node names it as a child */
};

/* The file being read: one line at a time, with its number for messages. */
struct model_reader {
	FILE		*mr_fp;
	const char	*mr_path;
	char		*mr_line;	/* current line, newline removed */
	size_t		 mr_cap;
	unsigned long	 mr_lineno;
	char		*mr_err;
	size_t		 mr_errlen;
	struct model_fnode *mr_tree;	/* the tree being read, as filed */
	uint32_t	*mr_order;	/* breadth-first order of its nodes */
	size_t		 mr_treecap;
	int		 mr_version;	/* of the format */
	off_t		 mr_size;	/* of a regular file, else -1 */
	uint16_t	*mr_pcls;	/* one lookup entry's classes */
	uint32_t	*mr_pcnt;	/* and their counts */
};

static int
reader_fail(struct model_reader *r, const char *fmt, ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (r->mr_errlen > 0)
		snprintf(r->mr_err, r->mr_errlen, "%s:%lu: %s", r->mr_path,
		    r->mr_lineno, msg);
	return -1;
}

/* Read the next line; a missing line is an error, since "end" closes. */
static int
reader_next(struct model_reader *r)
{
	ssize_t	n;

	errno = 0;
	n = getline(&r->mr_line, &r->mr_cap, r->mr_fp);
	if (n < 0) {
		if (ferror(r->mr_fp))
			return reader_fail(r, "read error: %s",
			    strerror(errno ? errno : EIO));
		return reader_fail(r, "unexpected end of file (truncated)");
	}
	r->mr_lineno++;

	if (n == 0 || r->mr_line[n - 1] != '\n')
		return reader_fail(r, "unexpected end of file (truncated)");
	r->mr_line[--n] = '\0';
	if (strlen(r->mr_line) != (size_t)n)
		return reader_fail(r, "NUL byte in line");
	return 0;
}

/* If the line is "KEY ARGS", return ARGS; NULL otherwise. */
static char *
line_args(const struct model_reader *r, const char *key)
{
	size_t	len = strlen(key);

	if (strncmp(r->mr_line, key, len) != 0 || r->mr_line[len] != ' ')
		return NULL;
	return r->mr_line + len + 1;
}

/* A field ends at the end of the line or at one space before another. */
static int
field_end(const char *end)
{
	if (*end == '\0')
		return 0;
	if (*end != ' ' || end[1] == ' ' || end[1] == '\0')
		return -1;
	return 0;
}

/* Parse one integer field in [lo, hi] and step past it and one space. */
static int
scan_long(char **pp, long lo, long hi, long *out)
{
	char	*end;
	long	 v;

	if (**pp == ' ' || **pp == '\0')
		return -1;
	errno = 0;
	v = strtol(*pp, &end, 10);
	if (end == *pp || errno != 0 || v < lo || v > hi)
		return -1;
	if (field_end(end) == -1)
		return -1;
	*pp = *end == ' ' ? end + 1 : end;
	*out = v;
	return 0;
}

/*
 * Parse one finite float field and step past it and one space.
 * XXX: strtof() follows LC_NUMERIC, so a caller that switches to a locale
 * with a decimal comma misreads every threshold.  flowidd never calls
 * setlocale(), and a hand-written parser would have to match strtof's
 * correct rounding, so the dependence stays, documented in the man page.
 */
static int
scan_float(char **pp, float *out)
{
	char	*end;
	float	 v;

	if (**pp == ' ' || **pp == '\0')
		return -1;
	errno = 0;
	v = strtof(*pp, &end);
	if (end == *pp || errno == ERANGE || !isfinite(v))
		return -1;
	if (field_end(end) == -1)
		return -1;
	*pp = *end == ' ' ? end + 1 : end;
	*out = v;
	return 0;
}

/* Read "KEY N" with lo <= N <= hi. */
static int
read_count(struct model_reader *r, const char *key, long lo, long hi,
    size_t *out)
{
	char	*p;
	long	 v;

	if (reader_next(r) == -1)
		return -1;
	if ((p = line_args(r, key)) == NULL)
		return reader_fail(r, "expected '%s N'", key);
	if (scan_long(&p, lo, hi, &v) == -1 || *p != '\0')
		return reader_fail(r, "%s: count not in [%ld, %ld]", key, lo,
		    hi);
	*out = (size_t)v;
	return 0;
}

/* Read n lines "KEY NAME" into a new array of strings. */
static int
read_names(struct model_reader *r, const char *key, size_t n, char ***out)
{
	char	**names, *p;
	size_t	  i;

	if ((names = calloc(n, sizeof(*names))) == NULL)
		return reader_fail(r, "out of memory");
	*out = names;

	for (i = 0; i < n; i++) {
		if (reader_next(r) == -1)
			return -1;
		if ((p = line_args(r, key)) == NULL || *p == '\0')
			return reader_fail(r,
			    "expected '%s NAME' (%zu of %zu)", key, i + 1, n);
		if ((names[i] = strdup(p)) == NULL)
			return reader_fail(r, "out of memory");
	}
	return 0;
}

static bool
memchr_u32(const uint32_t *a, uint32_t v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (a[i] == v)
			return true;
	return false;
}

/* Read lookup lk's M "key I" lines: input columns, not lookup features. */
static int
read_lookup_keys(struct model_reader *r, const struct model *m,
    struct lookup *lk)
{
	char	*p;
	long	 v;
	size_t	 i;

	for (i = 0; i < lk->lk_nkeys; i++) {
		if (reader_next(r) == -1)
			return -1;
		if ((p = line_args(r, "key")) == NULL ||
		    scan_long(&p, 0, (long)m->m_nfeatures - 1, &v) == -1 ||
		    *p != '\0')
			return reader_fail(r, "lookup %s: expected 'key I' "
			    "with I < %zu", lk->lk_name, m->m_nfeatures);
		lk->lk_feat[i] = (uint32_t)v;
		if (i > 0 && memchr_u32(lk->lk_feat, lk->lk_feat[i], i))
			return reader_fail(r, "lookup %s: key column %ld "
			    "twice", lk->lk_name, v);
	}
	return 0;
}

static int
read_lookup_prior(struct model_reader *r, struct lookup *lk)
{
	char	*p;
	size_t	 c;
	double	 sum;

	if ((lk->lk_prior = calloc(lk->lk_nclasses,
	    sizeof(*lk->lk_prior))) == NULL)
		return reader_fail(r, "out of memory");
	if (reader_next(r) == -1)
		return -1;
	if ((p = line_args(r, "prior")) == NULL)
		return reader_fail(r, "lookup %s: expected 'prior P1 .. PK'",
		    lk->lk_name);
	for (c = 0; c < lk->lk_nclasses; c++)
		if (scan_float(&p, &lk->lk_prior[c]) == -1 ||
		    lk->lk_prior[c] < 0 || lk->lk_prior[c] > 1)
			return reader_fail(r, "lookup %s: prior %zu: not a "
			    "share in [0, 1]", lk->lk_name, c + 1);
	if (*p != '\0')
		return reader_fail(r, "lookup %s: more than %zu priors",
		    lk->lk_name, lk->lk_nclasses);
	for (c = 0, sum = 0; c < lk->lk_nclasses; c++)
		sum += lk->lk_prior[c];
	if (fabs(sum - 1) > 1e-3)
		return reader_fail(r, "lookup %s: priors add up to %g, not 1",
		    lk->lk_name, sum);
	return 0;
}

/* Parse "e V1 .. VM P C1 N1 .. CP NP" as entry e of lk. */
static int
read_lookup_entry(struct model_reader *r, struct lookup *lk, size_t e,
    size_t declared)
{
	uint32_t	key[LOOKUP_MAX_KEYS];
	char		*p;
	long		 v, npairs, cls, last = -1, n;
	size_t		 i;

	if (reader_next(r) == -1)
		return -1;
	if ((p = line_args(r, "e")) == NULL)
		return reader_fail(r, "lookup %s: expected entry 'e ...' "
		    "(%zu of %zu)", lk->lk_name, e + 1, declared);
	for (i = 0; i < lk->lk_nkeys; i++) {
		if (scan_long(&p, 0, (long)LOOKUP_KEY_LIMIT - 1, &v) == -1)
			return reader_fail(r, "lookup %s: bad key value",
			    lk->lk_name);
		key[i] = (uint32_t)v;
	}
	if (e > 0 && lookup_key_cmp(lk->lk_keys + (e - 1) * lk->lk_nkeys,
	    key, lk->lk_nkeys) >= 0)
		return reader_fail(r, "lookup %s: keys not ascending",
		    lk->lk_name);

	if (scan_long(&p, 1, (long)lk->lk_nclasses, &npairs) == -1)
		return reader_fail(r, "lookup %s: bad class count (1 to %zu)",
		    lk->lk_name, lk->lk_nclasses);
	for (i = 0; i < (size_t)npairs; i++) {
		if (scan_long(&p, last + 1, (long)lk->lk_nclasses - 1,
		    &cls) == -1 || scan_long(&p, 1, INT32_MAX, &n) == -1)
			return reader_fail(r, "lookup %s: bad class and count "
			    "(classes ascending, counts >= 1)", lk->lk_name);
		r->mr_pcls[i] = (uint16_t)cls;
		r->mr_pcnt[i] = (uint32_t)n;
		last = cls;
	}
	if (*p != '\0')
		return reader_fail(r, "lookup %s: data after the counts",
		    lk->lk_name);
	if (lookup_add(lk, key, r->mr_pcls, r->mr_pcnt, (size_t)npairs) == -1)
		return reader_fail(r, "out of memory");
	return 0;
}

/* "lookup NAME M E A": name, key columns, entries, prior weight. */
static int
read_lookup_line(struct model_reader *r, struct lookup *lk)
{
	char	*p, *sp;
	long	 nkeys, nentries;

	if (reader_next(r) == -1)
		return -1;
	if ((p = line_args(r, "lookup")) == NULL || *p == ' ' ||
	    (sp = strchr(p, ' ')) == NULL)
		return reader_fail(r, "expected 'lookup NAME M E A'");
	if ((lk->lk_name = strndup(p, (size_t)(sp - p))) == NULL)
		return reader_fail(r, "out of memory");
	p = sp + 1;
	if (scan_long(&p, 1, LOOKUP_MAX_KEYS, &nkeys) == -1 ||
	    scan_long(&p, 0, MODEL_MAX_ENTRIES, &nentries) == -1 ||
	    scan_float(&p, &lk->lk_alpha) == -1 || *p != '\0' ||
	    !(lk->lk_alpha > 0) || lk->lk_alpha > MODEL_MAX_LEAF)
		return reader_fail(r, "lookup %s: expected M in [1, %d], "
		    "E in [0, %d], A > 0", lk->lk_name, LOOKUP_MAX_KEYS,
		    MODEL_MAX_ENTRIES);
	lk->lk_nkeys = (size_t)nkeys;
	lk->lk_nentries = (size_t)nentries;
	return 0;
}

static int
read_lookup(struct model_reader *r, const struct model *m,
    struct lookup *lk)
{
	size_t	e, declared;

	lk->lk_nclasses = m->m_nclasses;
	if (read_lookup_line(r, lk) == -1 ||
	    read_lookup_keys(r, m, lk) == -1 ||
	    read_lookup_prior(r, lk) == -1)
		return -1;

	/* lk_nentries counts what is read; the arrays grow with the file */
	declared = lk->lk_nentries;
	lk->lk_nentries = 0;
	for (e = 0; e < declared; e++)
		if (read_lookup_entry(r, lk, e, declared) == -1)
			return -1;
	return 0;
}

/*
 * Lookup features are copied next to each row's input columns before the
 * walk (model_predict), in a stack buffer: their count is bounded.
 */
static int
read_lookups(struct model_reader *r, struct model *m)
{
	size_t	l;

	if (read_count(r, "lookups", 0, MODEL_MAX_LOOKUPS,
	    &m->m_nlookups) == -1)
		return -1;
	if (m->m_nlookups == 0)
		return 0;
	if (m->m_nfeatures + m->m_nlookups * (m->m_nclasses + 1) >
	    MODEL_SCRATCH)
		return reader_fail(r, "more than %d features with lookups",
		    MODEL_SCRATCH);
	m->m_lookups = calloc(m->m_nlookups, sizeof(*m->m_lookups));
	r->mr_pcls = calloc(m->m_nclasses, sizeof(*r->mr_pcls));
	r->mr_pcnt = calloc(m->m_nclasses, sizeof(*r->mr_pcnt));
	if (m->m_lookups == NULL || r->mr_pcls == NULL || r->mr_pcnt == NULL)
		return reader_fail(r, "out of memory");

	for (l = 0; l < m->m_nlookups; l++) {
		if (read_lookup(r, m, &m->m_lookups[l]) == -1)
			return -1;
		if (lookup_cache(&m->m_lookups[l]) == -1)
			return reader_fail(r, "out of memory");
		m->m_nall += lookup_width(&m->m_lookups[l]);
	}
	return 0;
}

static int
read_header(struct model_reader *r, struct model *m)
{
	char	*p;

	if (reader_next(r) == -1)
		return -1;
	if (strcmp(r->mr_line, MODEL_MAGIC_V1) == 0)
		r->mr_version = 1;
	else if (strcmp(r->mr_line, MODEL_MAGIC) == 0)
		r->mr_version = 2;
	else
		return reader_fail(r, "not a flowid model (expected '%s')",
		    MODEL_MAGIC);

	if (reader_next(r) == -1)
		return -1;
	if ((p = line_args(r, "profile")) == NULL || *p == '\0')
		return reader_fail(r, "expected 'profile NAME'");
	if ((m->m_profile = strdup(p)) == NULL)
		return reader_fail(r, "out of memory");

	if (read_count(r, "features", 1, MODEL_MAX_FEATURES,
	    &m->m_nfeatures) == -1)
		return -1;
	if (read_names(r, "feature", m->m_nfeatures, &m->m_features) == -1)
		return -1;

	if (read_count(r, "classes", 2, MODEL_MAX_CLASSES,
	    &m->m_nclasses) == -1)
		return -1;
	if (read_names(r, "class", m->m_nclasses, &m->m_classes) == -1)
		return -1;
	m->m_nall = m->m_nfeatures;
	return r->mr_version == 1 ? 0 : read_lookups(r, m);
}

/* Skip summary lines, then read base_score. */
static int
read_base_score(struct model_reader *r, struct model *m)
{
	char	*p;

	do {
		if (reader_next(r) == -1)
			return -1;
	} while (line_args(r, "summary") != NULL);

	if ((p = line_args(r, "base_score")) == NULL)
		return reader_fail(r, "expected 'base_score F'");
	if (scan_float(&p, &m->m_base) == -1 || *p != '\0' ||
	    fabsf(m->m_base) > MODEL_MAX_LEAF)
		return reader_fail(r, "base_score: bad number");
	return 0;
}

static int
grow_nodes(struct model_reader *r, struct model *m, size_t more)
{
	struct model_node	*nodes;
	float			*leaf;
	size_t			 cap = m->m_nodecap;

	if (m->m_nnodes + more <= cap)
		return 0;
	while (cap < m->m_nnodes + more)
		cap = cap ? cap * 2 : 4096;
	if (cap > SIZE_MAX / sizeof(*nodes))
		return reader_fail(r, "too many nodes");
	if ((nodes = realloc(m->m_nodes, cap * sizeof(*nodes))) == NULL)
		return reader_fail(r, "out of memory");
	m->m_nodes = nodes;
	if ((leaf = realloc(m->m_leaf, cap * sizeof(*leaf))) == NULL)
		return reader_fail(r, "out of memory");
	m->m_leaf = leaf;
	m->m_nodecap = cap;
	return 0;
}

/* Claim child c of node i in a tree of n nodes; each node has one parent. */
static int
claim_child(struct model_reader *r, long i, long c, size_t n)
{
	if (c <= i || (size_t)c >= n)
		return reader_fail(r, "node %ld: child %ld out of range "
		    "(%ld, %zu)", i, c, i, n);
	if (r->mr_tree[c].fn_seen)
		return reader_fail(r, "node %ld: child %ld has two parents",
		    i, c);
	r->mr_tree[c].fn_seen = 1;
	return 0;
}

/* Parse "n F THR L R D V" as node i of a tree of n nodes. */
static int
read_node(struct model_reader *r, const struct model *m, long i, size_t n)
{
	struct model_fnode	*out = &r->mr_tree[i];
	char			*p;
	long			 feat, left, right, dleft;
	float			 thr, leaf;

	if (reader_next(r) == -1)
		return -1;
	if ((p = line_args(r, "n")) == NULL)
		return reader_fail(r, "expected node line 'n F THR L R D V'");
	if (scan_long(&p, -1, (long)m->m_nall - 1, &feat) == -1)
		return reader_fail(r, "node %ld: bad feature index", i);
	if (scan_float(&p, &thr) == -1)
		return reader_fail(r, "node %ld: bad threshold", i);
	if (scan_long(&p, -1, LONG_MAX, &left) == -1 ||
	    scan_long(&p, -1, LONG_MAX, &right) == -1)
		return reader_fail(r, "node %ld: bad child index", i);
	if (scan_long(&p, 0, 1, &dleft) == -1)
		return reader_fail(r, "node %ld: bad missing flag", i);
	if (scan_float(&p, &leaf) == -1 || *p != '\0' ||
	    fabsf(leaf) > MODEL_MAX_LEAF)
		return reader_fail(r, "node %ld: bad leaf value", i);

	if (left == -1 || right == -1 || feat == -1) {
		if (left != -1 || right != -1 || feat != -1)
			return reader_fail(r,
			    "node %ld: half leaf, half split", i);
		out->fn_left = out->fn_right = -1;
		out->fn_feat = 0;
		out->fn_value = leaf;
		return 0;
	}
	if (claim_child(r, i, left, n) == -1 ||
	    claim_child(r, i, right, n) == -1)
		return -1;
	out->fn_left = (int32_t)left;
	out->fn_right = (int32_t)right;
	out->fn_feat = (uint32_t)feat | (dleft ? MODEL_DEFAULT_LEFT : 0);
	out->fn_value = thr;
	return 0;
}

/*
 * Copy a validated tree of n nodes into m_nodes breadth first: the
 * children of the node at place p go to the next two free places.
 * Returns the depth of the deepest leaf.
 */
static size_t
layout_tree(struct model_reader *r, struct model *m, size_t n)
{
	struct model_node	*out = m->m_nodes + m->m_nnodes;
	float			*leaf = m->m_leaf + m->m_nnodes;
	struct model_fnode	*in;
	size_t			 head, tail = 1, level_end = 1, depth = 0;

	r->mr_order[0] = 0;
	for (head = 0; head < tail; head++) {
		if (head == level_end) {
			depth++;
			level_end = tail;
		}
		in = &r->mr_tree[r->mr_order[head]];
		leaf[head] = 0;
		if (in->fn_left == -1) {
			out[head].mn_left = (uint32_t)head - 1;
			out[head].mn_feat = 0;
			out[head].mn_value = NAN;
			leaf[head] = in->fn_value;
			continue;
		}
		out[head].mn_left = (uint32_t)tail;
		out[head].mn_feat = in->fn_feat;
		out[head].mn_value = in->fn_value;
		r->mr_order[tail++] = (uint32_t)in->fn_left;
		r->mr_order[tail++] = (uint32_t)in->fn_right;
	}
	m->m_nnodes += n;
	return depth;
}

static int
grow_scratch(struct model_reader *r, size_t n)
{
	if (n <= r->mr_treecap)
		return 0;
	free(r->mr_tree);
	free(r->mr_order);
	r->mr_treecap = 0;
	r->mr_tree = malloc(n * sizeof(*r->mr_tree));
	r->mr_order = malloc(n * sizeof(*r->mr_order));
	if (r->mr_tree == NULL || r->mr_order == NULL)
		return reader_fail(r, "out of memory");
	r->mr_treecap = n;
	return 0;
}

/*
 * Whether the rest of a regular file can hold n node lines: the arrays
 * for a tree are sized from its declared node count, so a short file
 * must not make the loader take memory for nodes it does not have.
 */
static bool
room_for_lines(const struct model_reader *r, size_t n)
{
	off_t	at;

	if (r->mr_size < 0 || (at = ftello(r->mr_fp)) < 0)
		return true;
	return n <= (size_t)(r->mr_size - at) / MODEL_MIN_NODE_LINE;
}

static int
read_tree(struct model_reader *r, struct model *m, size_t t)
{
	char	*p;
	long	 cls, n, i;
	size_t	 depth;

	if (reader_next(r) == -1)
		return -1;
	if ((p = line_args(r, "tree")) == NULL)
		return reader_fail(r, "expected 'tree C M' (tree %zu of %zu)",
		    t + 1, m->m_ntrees);
	if (scan_long(&p, 0, (long)m->m_nclasses - 1, &cls) == -1)
		return reader_fail(r, "tree %zu: bad class index", t);
	if (scan_long(&p, 1, MODEL_MAX_TREE_NODES, &n) == -1 || *p != '\0')
		return reader_fail(r, "tree %zu: bad node count", t);
	if (!room_for_lines(r, (size_t)n))
		return reader_fail(r, "tree %zu: %ld nodes, more than the "
		    "rest of the file can hold", t, n);
	if (grow_scratch(r, (size_t)n) == -1 ||
	    grow_nodes(r, m, (size_t)n) == -1)
		return -1;
	memset(r->mr_tree, 0, (size_t)n * sizeof(*r->mr_tree));

	for (i = 0; i < n; i++)
		if (read_node(r, m, i, (size_t)n) == -1)
			return -1;

	/* child > parent and one parent each: only reachability is left */
	for (i = 1; i < n; i++)
		if (!r->mr_tree[i].fn_seen)
			return reader_fail(r, "tree %zu: node %ld unreachable",
			    t, i);

	m->m_tree_first[t] = m->m_nnodes;
	m->m_tree_class[t] = (uint16_t)cls;
	if ((depth = layout_tree(r, m, (size_t)n)) > MODEL_MAX_DEPTH)
		return reader_fail(r, "tree %zu: deeper than %d", t,
		    MODEL_MAX_DEPTH);
	m->m_tree_depth[t] = (uint16_t)depth;
	return 0;
}

static int
read_trees(struct model_reader *r, struct model *m)
{
	size_t	t;
	int	c;

	if (read_count(r, "trees", 1, MODEL_MAX_TREES, &m->m_ntrees) == -1)
		return -1;
	m->m_tree_first = calloc(m->m_ntrees, sizeof(*m->m_tree_first));
	m->m_tree_class = calloc(m->m_ntrees, sizeof(*m->m_tree_class));
	m->m_tree_depth = calloc(m->m_ntrees, sizeof(*m->m_tree_depth));
	if (m->m_tree_first == NULL || m->m_tree_class == NULL ||
	    m->m_tree_depth == NULL)
		return reader_fail(r, "out of memory");

	for (t = 0; t < m->m_ntrees; t++)
		if (read_tree(r, m, t) == -1)
			return -1;

	if (reader_next(r) == -1)
		return -1;
	if (strcmp(r->mr_line, "end") != 0)
		return reader_fail(r, "expected 'end' after %zu trees",
		    m->m_ntrees);
	if ((c = getc(r->mr_fp)) != EOF)
		return reader_fail(r, "data after 'end'");
	if (ferror(r->mr_fp))
		return reader_fail(r, "read error");
	return 0;
}

/*
 * The 8-byte copy of every node, when every tree and the feature count
 * fit it; without it (or without memory for it) the walk uses m_nodes.
 */
static void
pack_nodes(struct model *m)
{
	size_t	t, i, n;

	if (m->m_nall - 1 > MODEL_PNODE_FEAT_MAX)
		return;
	for (t = 0; t < m->m_ntrees; t++) {
		n = (t + 1 < m->m_ntrees ? m->m_tree_first[t + 1] :
		    m->m_nnodes) - m->m_tree_first[t];
		if (n > MODEL_PNODE_LEFT + 1)
			return;
	}
	if ((m->m_pnodes = calloc(m->m_nnodes, sizeof(*m->m_pnodes))) == NULL)
		return;
	for (i = 0; i < m->m_nnodes; i++) {
		const struct model_node	*nd = &m->m_nodes[i];

		m->m_pnodes[i].pn_word = (nd->mn_left & MODEL_PNODE_LEFT) |
		    (nd->mn_feat & MODEL_FEAT_MASK) << 16 |
		    (nd->mn_feat & MODEL_DEFAULT_LEFT);
		m->m_pnodes[i].pn_value = nd->mn_value;
	}
}

/*
 * The complete copy of every tree (model_walk.h), when no tree is deeper
 * than MODEL_CTREE_DEPTH and a block of rows, stored by feature, fits the
 * scratch buffer of model_predict.  All are padded to the deepest one's
 * depth, so blocks of rows walk any tree the same number of steps.
 */
static void
complete_trees(struct model *m)
{
	unsigned	depth = 0;
	size_t		t;

	if (m->m_nall > MODEL_SCRATCH / MODEL_CTREE_ROWS)
		return;
	for (t = 0; t < m->m_ntrees; t++)
		if (m->m_tree_depth[t] > depth)
			depth = m->m_tree_depth[t];
	if (depth > MODEL_CTREE_DEPTH)
		return;
	if ((m->m_ctrees = calloc(m->m_ntrees, sizeof(*m->m_ctrees))) == NULL)
		return;
	m->m_cdepth = depth;
	for (t = 0; t < m->m_ntrees; t++)
		model_ctree_fill(&m->m_ctrees[t],
		    m->m_nodes + m->m_tree_first[t],
		    m->m_leaf + m->m_tree_first[t], depth);
}

struct model *
model_load(const char *path, char *errbuf, size_t errlen)
{
	struct model_reader	 r;
	struct model		*m;
	struct stat		 st;
	int			 rc = -1;

	memset(&r, 0, sizeof(r));
	r.mr_path = path;
	r.mr_err = errbuf;
	r.mr_errlen = errlen;
	if (errlen > 0)
		errbuf[0] = '\0';

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		if (errlen > 0)
			snprintf(errbuf, errlen, "%s: out of memory", path);
		return NULL;
	}
	if ((r.mr_fp = fopen(path, "r")) == NULL) {
		if (errlen > 0)
			snprintf(errbuf, errlen, "%s: %s", path,
			    strerror(errno));
		goto out;
	}
	r.mr_size = fstat(fileno(r.mr_fp), &st) == 0 && S_ISREG(st.st_mode) ?
	    st.st_size : -1;

	if (read_header(&r, m) == 0 && read_base_score(&r, m) == 0 &&
	    read_trees(&r, m) == 0)
		rc = 0;
	if (rc == 0) {
		pack_nodes(m);
		complete_trees(m);
	}

	fclose(r.mr_fp);
 out:
	free(r.mr_line);
	free(r.mr_tree);
	free(r.mr_order);
	free(r.mr_pcls);
	free(r.mr_pcnt);
	if (rc == -1) {
		model_free(m);
		return NULL;
	}
	return m;
}

static void
free_names(char **names, size_t n)
{
	size_t	i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void
model_free(struct model *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->m_profile);
	free_names(m->m_features, m->m_nfeatures);
	free_names(m->m_classes, m->m_nclasses);
	for (i = 0; m->m_lookups != NULL && i < m->m_nlookups; i++)
		lookup_free(&m->m_lookups[i]);
	free(m->m_lookups);
	free(m->m_nodes);
	free(m->m_pnodes);
	free(m->m_ctrees);
	free(m->m_leaf);
	free(m->m_tree_first);
	free(m->m_tree_class);
	free(m->m_tree_depth);
	free(m);
}

const char *
model_profile(const struct model *m)
{
	return m->m_profile;
}

size_t
model_nfeatures(const struct model *m)
{
	return m->m_nfeatures;
}

const char *
model_feature_name(const struct model *m, size_t i)
{
	return i < m->m_nfeatures ? m->m_features[i] : NULL;
}

size_t
model_nclasses(const struct model *m)
{
	return m->m_nclasses;
}

const char *
model_class_name(const struct model *m, size_t i)
{
	return i < m->m_nclasses ? m->m_classes[i] : NULL;
}

/*
 * Softmax as XGBoost computes it: float maximum and exponentials, a double
 * sum rounded to float before dividing.  The winner is the first largest
 * exponential, not the largest margin, because XGBoost's caller takes the
 * argmax of the probabilities, where nearly equal margins may tie.  The
 * nb (<= MODEL_BLOCK) rows go side by side, each with the same operations
 * in the same order, so that their sums do not wait for each other; row
 * b's margin of class c is margin[b x rstride + c x cstride].
 */
static inline void
softmax_rows(const float *margin, size_t k, size_t nb, size_t rstride,
    size_t cstride, uint16_t *cls, float *prob)
{
	double		sum[MODEL_BLOCK];
	float		top[MODEL_BLOCK], ebest[MODEL_BLOCK], e, v;
	uint16_t	best[MODEL_BLOCK];
	size_t		b, c;

	for (b = 0; b < nb; b++) {
		top[b] = margin[b * rstride];
		sum[b] = 0;
		ebest[b] = -1;
		best[b] = 0;
	}
	/* fmaxf, without its call: margins are never NaN (leaves bounded) */
	for (c = 1; c < k; c++)
		for (b = 0; b < nb; b++) {
			v = margin[b * rstride + c * cstride];
			top[b] = v > top[b] ? v : top[b];
		}

	for (c = 0; c < k; c++)
		for (b = 0; b < nb; b++) {
			e = expf(margin[b * rstride + c * cstride] - top[b]);
			sum[b] += e;
			if (e > ebest[b]) {
				ebest[b] = e;
				best[b] = (uint16_t)c;
			}
		}
	for (b = 0; b < nb; b++) {
		cls[b] = best[b];
		prob[b] = ebest[b] / (float)sum[b];
	}
}

/*
 * Walk tree t for the nb rows at x, all rows one level at a time, and add
 * each row's leaf to its margin of class c (margin holds k per row).  The
 * rows' walks do not depend on each other, so the CPU overlaps them.
 */
static void
tree_block(const struct model *m, size_t t, const float *x, size_t nb,
    float *margin)
{
	const struct model_node	*tree = m->m_nodes + m->m_tree_first[t];
	const float		*leaf = m->m_leaf + m->m_tree_first[t];
	const size_t		 nf = m->m_nall, k = m->m_nclasses;
	uint32_t		 pos[MODEL_BLOCK];
	size_t			 b;

	model_walk(tree, m->m_tree_depth[t], x, nf, nb, pos);
	for (b = 0; b < nb; b++)
		margin[b * k + m->m_tree_class[t]] += leaf[pos[b]];
}

/* Trees t .. t + 3 at once (model_walk4), their leaves added in order. */
static void
tree_block4(const struct model *m, size_t t, const float *x, size_t nb,
    float *margin)
{
	const struct model_node		*tree[4];
	const struct model_pnode	*ptree[4];
	const size_t			 k = m->m_nclasses;
	uint32_t			 pos[4 * MODEL_BLOCK];
	unsigned			 depth[4];
	size_t				 i, b;

	for (i = 0; i < 4; i++) {
		tree[i] = m->m_nodes + m->m_tree_first[t + i];
		if (m->m_pnodes != NULL)
			ptree[i] = m->m_pnodes + m->m_tree_first[t + i];
		depth[i] = m->m_tree_depth[t + i];
	}
	model_walk4(tree, m->m_pnodes != NULL ? ptree : NULL, depth, x,
	    m->m_nall, nb, pos);
	for (i = 0; i < 4; i++) {
		const float	*leaf = m->m_leaf + m->m_tree_first[t + i];
		size_t		 c = m->m_tree_class[t + i];

		for (b = 0; b < nb; b++)
			margin[b * k + c] += leaf[pos[i * MODEL_BLOCK + b]];
	}
}

/*
 * Rows of a model with lookups: each row's input columns, then every
 * lookup's features for it.
 */
static const float *
lookup_rows(const struct model *m, const float *x, size_t nb, float *out)
{
	size_t	b;

	for (b = 0; b < nb; b++)
		lookup_expand(m->m_lookups, m->m_nlookups,
		    x + b * m->m_nfeatures, m->m_nfeatures,
		    out + b * m->m_nall);
	return out;
}

size_t
model_ntree_features(const struct model *m)
{
	return m->m_nall;
}

void
model_expand(const struct model *m, const float *x, size_t nrows,
    float *out)
{
	if (m->m_nlookups == 0)
		memcpy(out, x, nrows * m->m_nfeatures * sizeof(*x));
	else
		(void)lookup_rows(m, x, nrows, out);
}

/*
 * A whole block of rows through the complete trees: the rows (their
 * lookup features added) stored by feature in xt, margins by class,
 * then the softmax of the block.  rows is room for the block with its
 * lookup features.
 */
static void
predict_complete(const struct model *m, const float *x, float *rows,
    float *xt, float *margin, uint16_t *cls, float *prob)
{
	const size_t	 k = m->m_nclasses, nb = MODEL_CTREE_ROWS;
	size_t		 b;
	bool		 nan;

	if (m->m_nlookups > 0)
		x = lookup_rows(m, x, nb, rows);
	nan = model_walk_transpose(x, m->m_nall, xt);
	for (b = 0; b < nb * k; b++)
		margin[b] = m->m_base;

	model_walk_ctrees(m->m_ctrees, m->m_tree_class, m->m_ntrees,
	    m->m_cdepth, xt, margin, nan);
	softmax_rows(margin, k, nb, 1, nb, cls, prob);
}

static size_t
predict_block(const struct model *m)
{
	size_t	block = MODEL_BLOCK;

	if (MODEL_MARGINS / m->m_nclasses < block)
		block = MODEL_MARGINS / m->m_nclasses;
	if (m->m_nlookups > 0 && MODEL_SCRATCH / m->m_nall < block)
		block = MODEL_SCRATCH / m->m_nall;
	return block;
}

/*
 * Rows go through the trees in blocks: each tree is walked for every row
 * of the block before the next tree, so the tree stays in cache.  Each
 * row still adds its trees in file order, as XGBoost does.  The margins
 * live on the stack (16 KB): fewer rows per block when there are many
 * classes.  So do the rows of a model with lookups (64 KB).  A whole
 * block of a model with complete trees takes predict_complete, the rows
 * stored by feature in another 64 KB: 144 KB of stack in all.
 */
int
model_predict(const struct model *m, const float *x, size_t nrows,
    uint16_t *cls, float *prob)
{
	float		 margin[MODEL_MARGINS], scratch[MODEL_SCRATCH];
	float		 xt[MODEL_SCRATCH];
	const float	*rows;
	size_t		 k, block, r, b, nb, t;

	if (m == NULL || (nrows > 0 && (x == NULL || cls == NULL ||
	    prob == NULL)))
		return -1;
	k = m->m_nclasses;
	block = predict_block(m);

	for (r = 0; r < nrows; r += nb) {
		nb = nrows - r < block ? nrows - r : block;
		if (m->m_ctrees != NULL && nb == MODEL_CTREE_ROWS) {
			predict_complete(m, x + r * m->m_nfeatures, scratch,
			    xt, margin, cls + r, prob + r);
			continue;
		}
		rows = x + r * m->m_nfeatures;
		if (m->m_nlookups > 0)
			rows = lookup_rows(m, rows, nb, scratch);
		for (b = 0; b < nb * k; b++)
			margin[b] = m->m_base;
		for (t = 0; t + 4 <= m->m_ntrees; t += 4)
			tree_block4(m, t, rows, nb, margin);
		for (; t < m->m_ntrees; t++)
			tree_block(m, t, rows, nb, margin);
		softmax_rows(margin, k, nb, k, 1, cls + r, prob + r);
	}
	return 0;
}
