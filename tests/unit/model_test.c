/* SPDX-License-Identifier: ISC */
/*
 * lib/model.c: loading the NAME.model sidecar (every way a file can be
 * wrong must fail with a message naming the file), and prediction on a
 * hand-made model whose margins are worked out below.  Agreement with
 * libxgboost on trained models is checked by flowid-train --verify.
 */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model.h"
#include "model_walk.h"

/*
 * Three classes, two features a and b.  Tree 1 is numbered depth first
 * (not as the trainer writes it) to exercise the loader's re-layout.
 *   X: 0.5 + (a < 10 or a missing ? 1 : -1)
 *   Y: 0.5 + (b < 5 ? (a < 20 ? 0.5 : -0.5) : 2), missing b and a go right
 *   Z: 0.5 + 0.25
 */
static const char good[] =
    "flowid-model 1\n"
    "profile unicauca\n"
    "features 2\n"
    "feature a\n"
    "feature b\n"
    "classes 3\n"
    "class X\n"
    "class Y\n"
    "class Z\n"
    "summary hand-made for model_test\n"
    "base_score 0.5\n"
    "trees 3\n"
    "tree 0 3\n"
    "n 0 10 1 2 1 0\n"
    "n -1 0 -1 -1 0 1\n"
    "n -1 0 -1 -1 0 -1\n"
    "tree 1 5\n"
    "n 1 5 1 4 0 0\n"
    "n 0 20 2 3 0 0\n"
    "n -1 0 -1 -1 0 0.5\n"
    "n -1 0 -1 -1 0 -0.5\n"
    "n -1 0 -1 -1 0 2\n"
    "tree 2 1\n"
    "n -1 0 -1 -1 0 0.25\n"
    "end\n";

static char	tmpdir[] = "/tmp/model_test.XXXXXX";
static char	path[512];

static const char *
write_model(const char *text, size_t len)
{
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/m.model", tmpdir);
	assert_non_null(fp = fopen(path, "w"));
	if (len > 0)
		assert_int_equal(fwrite(text, len, 1, fp), 1);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* text with the first occurrence of from replaced by to, as the model */
static const char *
write_text_edited(const char *text, const char *from, const char *to)
{
	static char	buf[4096];
	const char	*at = strstr(text, from);
	size_t		 pre;

	assert_non_null(at);
	pre = (size_t)(at - text);
	assert_true(pre + strlen(to) + strlen(at + strlen(from)) <
	    sizeof(buf));
	memcpy(buf, text, pre);
	strcpy(buf + pre, to);
	strcat(buf, at + strlen(from));
	return write_model(buf, strlen(buf));
}

/* good with the first occurrence of from replaced by to */
static const char *
write_edited(const char *from, const char *to)
{
	return write_text_edited(good, from, to);
}

/* Load must fail, with the file and the expected words in the message. */
static void
assert_rejected(const char *file, const char *words)
{
	struct model	*m;
	char		 err[256] = "untouched";

	m = model_load(file, err, sizeof(err));
	if (m != NULL)
		fail_msg("%s loaded; expected '%s'", file, words);
	if (strstr(err, file) != err || strstr(err, words) == NULL)
		fail_msg("message '%s' lacks '%s' or the file name", err,
		    words);
}

static void
test_load_good(void **state)
{
	struct model	*m;
	char		 err[256];

	(void)state;
	m = model_load(write_model(good, strlen(good)), err, sizeof(err));
	if (m == NULL)
		fail_msg("%s", err);
	assert_string_equal(model_profile(m), "unicauca");
	assert_int_equal(model_nfeatures(m), 2);
	assert_string_equal(model_feature_name(m, 1), "b");
	assert_null(model_feature_name(m, 2));
	assert_int_equal(model_nclasses(m), 3);
	assert_string_equal(model_class_name(m, 2), "Z");
	assert_null(model_class_name(m, 3));
	model_free(m);
}

static double
share(double top, double o1, double o2)
{
	return 1 / (1 + exp(o1 - top) + exp(o2 - top));
}

/* good with trees 1 and 0 again after its three: five trees */
static const char *
write_five_trees(void)
{
	static const char	more[] =
	    "tree 1 5\n"
	    "n 1 5 1 4 0 0\n"
	    "n 0 20 2 3 0 0\n"
	    "n -1 0 -1 -1 0 0.5\n"
	    "n -1 0 -1 -1 0 -0.5\n"
	    "n -1 0 -1 -1 0 2\n"
	    "tree 0 3\n"
	    "n 0 10 1 2 1 0\n"
	    "n -1 0 -1 -1 0 1\n"
	    "n -1 0 -1 -1 0 -1\n"
	    "end\n";
	char	buf[sizeof(good) + sizeof(more)], *at;

	strcpy(buf, good);
	at = strstr(buf, "trees 3");
	assert_non_null(at);
	at[6] = '5';
	at = strstr(buf, "end\n");
	assert_non_null(at);
	strcpy(at, more);
	return write_model(buf, strlen(buf));
}

/*
 * 40 rows (the n rows at x over and over) in one call take the vector
 * walks where the CPU has them; one row at a time takes the scalar walk.
 * Both must give the same bits.
 */
static void
assert_same_blocks(const struct model *m, const float *x, size_t n)
{
	enum { ROWS = 40 };
	size_t		nf = model_nfeatures(m), i;
	float		big[ROWS * 2], prob[ROWS], p1;
	uint16_t	cls[ROWS], c1;

	assert_true(nf == 2);
	for (i = 0; i < ROWS; i++)
		memcpy(big + i * nf, x + (i % n) * nf, nf * sizeof(*x));
	assert_int_equal(model_predict(m, big, ROWS, cls, prob), 0);
	for (i = 0; i < ROWS; i++) {
		assert_int_equal(model_predict(m, big + i * nf, 1, &c1, &p1),
		    0);
		assert_int_equal(cls[i], c1);
		assert_memory_equal(&prob[i], &p1, sizeof(p1));
	}
}

static void
test_predict(void **state)
{
	struct model	*m;
	char		 err[256];
	const float	 x[] = {
		0, 0,		/* X 1.5, Y 1.0, Z 0.75 */
		15, 0,		/* X -0.5, Y 1.0, Z 0.75 */
		NAN, NAN,	/* X 1.5, Y 2.5, Z 0.75 */
		30, 1,		/* X -0.5, Y 0.0, Z 0.75 */
		10, 5,		/* thresholds are strict: X -0.5, Y 2.5 */
	};
	const uint16_t	 want[] = { 0, 1, 1, 2, 1 };
	const double	 wantp[] = {
		share(1.5, 1.0, 0.75), share(1.0, -0.5, 0.75),
		share(2.5, 1.5, 0.75), share(0.75, -0.5, 0.0),
		share(2.5, -0.5, 0.75),
	};
	uint16_t	 cls[5];
	float		 prob[5];
	size_t		 i;

	(void)state;
	assert_non_null(m = model_load(write_model(good, strlen(good)), err,
	    sizeof(err)));
	assert_int_equal(model_predict(m, x, 5, cls, prob), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(cls[i], want[i]);
		assert_float_equal(prob[i], wantp[i], 1e-6);
	}

	/* one row at a time gives the same as a block */
	for (i = 0; i < 5; i++) {
		assert_int_equal(model_predict(m, x + 2 * i, 1, cls, prob), 0);
		assert_int_equal(cls[0], want[i]);
	}
	assert_same_blocks(m, x, 5);
	model_free(m);

	/* five trees: the first four walk together */
	assert_non_null(m = model_load(write_five_trees(), err,
	    sizeof(err)));
	assert_same_blocks(m, x, 5);
	assert_int_equal(model_predict(m, x, 0, NULL, NULL), 0);
	assert_int_equal(model_predict(m, NULL, 1, cls, prob), -1);
	assert_int_equal(model_predict(NULL, x, 1, cls, prob), -1);
	model_free(m);
}

/*
 * A model of two features whose five trees are chains of depth deep:
 * deeper than 5, the walk takes the packed nodes; 5 or less, the
 * complete trees.  Row-by-row against blocks, as above.
 */
static const char *
write_chain_model(unsigned deep)
{
	static char	text[16 * 1024];
	size_t		len, j, t;

	len = (size_t)snprintf(text, sizeof(text), "flowid-model 1\n"
	    "profile flowidd\nfeatures 2\nfeature a\nfeature b\n"
	    "classes 3\nclass X\nclass Y\nclass Z\nbase_score 0.5\n"
	    "trees 5\n");
	for (t = 0; t < 5; t++) {
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "tree %zu %u\n", t % 3, 2 * deep + 1);
		/* split j: right to a leaf, left on down the chain */
		for (j = 0; j < deep; j++)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			    "n %zu %zu %zu %zu %zu 0\nn -1 0 -1 -1 0 %g\n",
			    (j + t) % 2, 25 - 4 * j + t, 2 * j + 2, 2 * j + 1,
			    (j + t) % 2, 0.125 * (double)(j + 1) - 0.5 * t);
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "n -1 0 -1 -1 0 %g\n", 1.5 - 0.25 * t);
	}
	len += (size_t)snprintf(text + len, sizeof(text) - len, "end\n");
	assert_true(len < sizeof(text));
	return write_model(text, len);
}

static void
test_walks_agree(void **state)
{
	struct model	*m;
	char		 err[256];
	const float	 x[] = {
		0, 0, 15, 0, NAN, NAN, 30, 1, 10, 5, 21, NAN, NAN, 9,
		13, 17, 25, 25, 1e30f, -1e30f,
	};
	unsigned	 deep;

	(void)state;
	for (deep = 1; deep <= 7; deep++) {
		assert_non_null(m = model_load(write_chain_model(deep), err,
		    sizeof(err)));
		assert_same_blocks(m, x, sizeof(x) / sizeof(x[0]) / 2);
		model_free(m);
	}
}

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/*
 * Random complete trees (missing values either way, always-right
 * splits) over random rows, with NaNs and without (the walk told there
 * are none skips the missing-value test): the vector walk of complete
 * trees and the scalar one add the same bits to every margin.
 */
static void
test_complete_walks(void **state)
{
	enum { NT = 37, NF = 9, K = 5, R = MODEL_CTREE_ROWS };
	static struct model_ctree	ct[NT];
	uint16_t			cls[NT];
	float				x[NF * R], m1[K * R], m2[K * R];
	size_t				t, i;
	unsigned			depth, nan;

	(void)state;
	for (nan = 0; nan < 2; nan++)
		for (depth = 0; depth <= MODEL_CTREE_DEPTH; depth++) {
			for (i = 0; i < NF * R; i++)
				x[i] = nan && rnd(10) == 0 ? NAN :
				    (float)rnd(100) / 4;
			for (t = 0; t < NT; t++) {
				cls[t] = (uint16_t)rnd(K);
				for (i = 0; i < 32; i++) {
					ct[t].ct_feat[i] = rnd(NF) * R |
					    (rnd(2) ? MODEL_DEFAULT_LEFT : 0);
					ct[t].ct_thr[i] = rnd(8) == 0 ? NAN :
					    (float)rnd(100) / 4;
					ct[t].ct_leaf[i] =
					    (float)rnd(1000) / 64 - 7;
				}
			}
			for (i = 0; i < K * R; i++)
				m1[i] = m2[i] = 0.5f;
			model_walk_ctrees(ct, cls, NT, depth, x, m1, nan);
			model_walk_ctrees_scalar(ct, cls, NT, depth, x, m2);
			assert_memory_equal(m1, m2, sizeof(m1));
		}
}

/* Every proper prefix of a good file is a truncated file. */
static void
test_truncated(void **state)
{
	size_t	len;

	(void)state;
	for (len = 0; len < strlen(good); len++)
		assert_rejected(write_model(good, len), "");
	assert_rejected(write_model(good, strlen(good) - 1), "truncated");
	assert_rejected(write_model(good, strlen(good) - 4), "truncated");
}

static void
test_bad_header(void **state)
{
	(void)state;
	assert_rejected(write_edited("flowid-model 1", "flowid-model 3"),
	    ":1: not a flowid model");
	assert_rejected(write_edited("flowid-model 1", "{\"learner\""),
	    ":1: not a flowid model");
	assert_rejected(write_edited("features 2", "features 0"),
	    ":3: features: count");
	assert_rejected(write_edited("feature b\n", ""), ":5: expected "
	    "'feature NAME'");
	assert_rejected(write_edited("class Z\n", ""), ":9: expected "
	    "'class NAME' (3 of 3)");
	assert_rejected(write_edited("classes 3", "classes 1"),
	    ":6: classes: count");
	assert_rejected(write_edited("base_score 0.5", "base_score x"),
	    ":11: base_score");
	assert_rejected(write_edited("trees 3", "trees 4"),
	    ":25: expected 'tree C M' (tree 4 of 4)");
	assert_rejected(write_edited("end\n", "end\nmore\n"),
	    "data after 'end'");
	assert_rejected("/nonexistent/m.model", "No such file");
}

static void
test_bad_tree(void **state)
{
	(void)state;
	assert_rejected(write_edited("n 0 10 1 2 1 0", "n 0 10 1 7 1 0"),
	    ":14: node 0: child 7 out of range");
	assert_rejected(write_edited("n 0 20 2 3 0 0", "n 0 20 0 3 0 0"),
	    ":19: node 1: child 0 out of range");
	assert_rejected(write_edited("n 0 20 2 3 0 0", "n 0 20 1 3 0 0"),
	    ":19: node 1: child 1 out of range");
	assert_rejected(write_edited("n 1 5 1 4 0 0", "n 1 5 1 2 0 0"),
	    ":19: node 1: child 2 has two parents");
	assert_rejected(write_edited("tree 2 1\n", "tree 2 2\n"
	    "n -1 0 -1 -1 0 0.25\n"), ":25: tree 2: node 1 unreachable");
	assert_rejected(write_edited("n 0 10 1 2 1 0", "n 2 10 1 2 1 0"),
	    ":14: node 0: bad feature index");
	assert_rejected(write_edited("n 0 10 1 2 1 0", "n 0 nan 1 2 1 0"),
	    ":14: node 0: bad threshold");
	assert_rejected(write_edited("n 0 10 1 2 1 0", "n 0 10 1 2 2 0"),
	    ":14: node 0: bad missing flag");
	assert_rejected(write_edited("n -1 0 -1 -1 0 1", "n -1 0 3 -1 0 1"),
	    ":15: node 1: half leaf");
	assert_rejected(write_edited("n -1 0 -1 -1 0 1", "n -1 0 -1 -1 0 1 "),
	    ":15: node 1: bad leaf value");
	assert_rejected(write_edited("n -1 0 -1 -1 0 1\n", "n -1 0 -1 -1 0 "
	    "3e38\n"), ":15: node 1: bad leaf value");
	assert_rejected(write_edited("base_score 0.5", "base_score -2e30"),
	    ":11: base_score");
	assert_rejected(write_edited("tree 2 1", "tree 3 1"),
	    ":23: tree 2: bad class index");
	assert_rejected(write_edited("tree 2 1", "tree 2 0"),
	    ":23: tree 2: bad node count");
	/* checked before the arrays are sized: no 400 MB for a short file */
	assert_rejected(write_edited("tree 2 1", "tree 2 16000000"),
	    ":23: tree 2: 16000000 nodes, more than the rest of the file");
}

/*
 * Version 2 with one lookup keyed by feature a (lookup.h).  Its features
 * are columns 2-5: the shares of X, Y, Z among the training flows of the
 * row's a, and their count, with the prior weighed as one flow:
 *   a = 7: counts 3, 0, 1: (3 + 0.5) / 5 = 0.7, 0.25 / 5 = 0.05,
 *          1.25 / 5 = 0.25, 4
 *   a = 9: counts 0, 4, 0: 0.1, 0.85, 0.05, 4
 *   other: the prior 0.5, 0.25, 0.25 and 0
 * X: share X < 0.6 ? -1 : 1; Y: share Y < 0.5 ? 0 : 2; Z: count < 1 ? 0.3 : 0
 */
static const char lookup_model[] =
    "flowid-model 2\n"
    "profile unicauca\n"
    "features 2\n"
    "feature a\n"
    "feature b\n"
    "classes 3\n"
    "class X\n"
    "class Y\n"
    "class Z\n"
    "lookups 1\n"
    "lookup a 1 2 1\n"
    "key 0\n"
    "prior 0.5 0.25 0.25\n"
    "e 7 2 0 3 2 1\n"
    "e 9 1 1 4\n"
    "base_score 0\n"
    "trees 3\n"
    "tree 0 3\n"
    "n 2 0.6 1 2 0 0\n"
    "n -1 0 -1 -1 0 -1\n"
    "n -1 0 -1 -1 0 1\n"
    "tree 1 3\n"
    "n 3 0.5 1 2 0 0\n"
    "n -1 0 -1 -1 0 0\n"
    "n -1 0 -1 -1 0 2\n"
    "tree 2 3\n"
    "n 5 1 1 2 0 0\n"
    "n -1 0 -1 -1 0 0.3\n"
    "n -1 0 -1 -1 0 0\n"
    "end\n";

static void
test_lookup_predict(void **state)
{
	struct model	*m;
	char		 err[256];
	const float	 x[] = {
		7, 0,		/* X 1, Y 0, Z 0 */
		9, 0,		/* X -1, Y 2, Z 0 */
		8, 0,		/* unseen: X -1, Y 0, Z 0.3 */
		NAN, 0,		/* no key: the same */
		7.5, 0,		/* not a whole number: no key */
		-1, 0,		/* "none": no key */
	};
	const uint16_t	 want[] = { 0, 1, 2, 2, 2, 2 };
	const double	 wantp[] = {
		share(1, 0, 0), share(2, -1, 0), share(0.3, -1, 0),
		share(0.3, -1, 0), share(0.3, -1, 0), share(0.3, -1, 0),
	};
	const float	 row7[] = { 7, 0, 0.7f, 0.05f, 0.25f, 4 };
	float		 wide[6 * 6], prob[6];
	uint16_t	 cls[6];
	size_t		 i;

	(void)state;
	m = model_load(write_model(lookup_model, strlen(lookup_model)), err,
	    sizeof(err));
	if (m == NULL)
		fail_msg("%s", err);
	assert_int_equal(model_nfeatures(m), 2);
	assert_int_equal(model_ntree_features(m), 6);
	assert_int_equal(model_predict(m, x, 6, cls, prob), 0);
	for (i = 0; i < 6; i++) {
		assert_int_equal(cls[i], want[i]);
		assert_float_equal(prob[i], wantp[i], 1e-6);
	}
	assert_same_blocks(m, x, 6);
	model_expand(m, x, 6, wide);
	for (i = 0; i < 6; i++)
		assert_true(wide[i] == row7[i]);
	assert_true(wide[2 * 6 + 2] == 0.5f && wide[2 * 6 + 5] == 0);
	model_free(m);
}

/* lookup_model with the first occurrence of from replaced by to */
static const char *
write_lookup_edited(const char *from, const char *to)
{
	return write_text_edited(lookup_model, from, to);
}

static void
test_bad_lookup(void **state)
{
	(void)state;
	assert_rejected(write_lookup_edited("lookups 1\n", ""),
	    ":10: expected 'lookups N'");
	assert_rejected(write_lookup_edited("lookups 1", "lookups 17"),
	    ":10: lookups: count");
	assert_rejected(write_lookup_edited("lookup a 1 2 1", "lookup a 5 2 1"),
	    ":11: lookup a: expected M in [1, 4]");
	assert_rejected(write_lookup_edited("lookup a 1 2 1", "lookup a 1 2 0"),
	    ":11: lookup a: expected M");
	assert_rejected(write_lookup_edited("key 0", "key 2"),
	    ":12: lookup a: expected 'key I' with I < 2");
	assert_rejected(write_lookup_edited("prior 0.5 0.25 0.25",
	    "prior 0.5 0.25 1.5"), ":13: lookup a: prior 3");
	assert_rejected(write_lookup_edited("prior 0.5 0.25 0.25",
	    "prior 0.5 0.25"), ":13: lookup a: prior 3");
	assert_rejected(write_lookup_edited("e 9 1 1 4", "e 7 1 1 4"),
	    ":15: lookup a: keys not ascending");
	assert_rejected(write_lookup_edited("e 9 1 1 4", "e 16777216 1 1 4"),
	    ":15: lookup a: bad key value");
	assert_rejected(write_lookup_edited("e 9 1 1 4", "e 9 1 3 4"),
	    ":15: lookup a: bad class and count");
	assert_rejected(write_lookup_edited("e 7 2 0 3 2 1", "e 7 2 2 3 0 1"),
	    ":14: lookup a: bad class and count");
	assert_rejected(write_lookup_edited("e 9 1 1 4", "e 9 1 1 0"),
	    ":15: lookup a: bad class and count");
	assert_rejected(write_lookup_edited("e 9 1 1 4", "e 9 1 1 4 5"),
	    ":15: lookup a: data after the counts");
	assert_rejected(write_lookup_edited("e 9 1 1 4\n", ""),
	    ":15: lookup a: expected entry 'e ...' (2 of 2)");
	assert_rejected(write_lookup_edited("n 5 1 1 2 0 0", "n 6 1 1 2 0 0"),
	    ": node 0: bad feature index");
	assert_rejected(write_lookup_edited("lookup a 1 2 1\nkey 0",
	    "lookup a 2 2 1\nkey 0\nkey 0"),
	    ":13: lookup a: key column 0 twice");
	assert_rejected(write_lookup_edited("e 9 1 1 4", "e 9 0"),
	    ":15: lookup a: bad class count (1 to 3)");
	assert_rejected(write_lookup_edited("prior 0.5 0.25 0.25",
	    "prior 0 0 0"), ":13: lookup a: priors add up to 0, not 1");
}

/* A chain of 257 splits: deeper than any model the loader accepts. */
static void
test_too_deep(void **state)
{
	static char	 text[64 * 1024];
	const char	*head = "flowid-model 1\nprofile flowidd\nfeatures 1\n"
	    "feature a\nclasses 2\nclass X\nclass Y\nbase_score 0.5\n"
	    "trees 1\n";
	size_t		 len, j, d = 257;

	(void)state;
	len = (size_t)snprintf(text, sizeof(text), "%stree 0 %zu\n", head,
	    2 * d + 1);
	for (j = 0; j < d; j++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "n 0 %zu %zu %zu 0 0\nn -1 0 -1 -1 0 1\n", j,
		    2 * j + 1 + 1, 2 * j + 1);
	len += (size_t)snprintf(text + len, sizeof(text) - len,
	    "n -1 0 -1 -1 0 2\nend\n");
	assert_true(len < sizeof(text));
	assert_rejected(write_model(text, len), "tree 0: deeper than 256");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_predict),
		cmocka_unit_test(test_walks_agree),
		cmocka_unit_test(test_complete_walks),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_tree),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_lookup_predict),
		cmocka_unit_test(test_bad_lookup),
	};
	int	rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("model", tests, NULL, NULL);
	unlink(path);
	rmdir(tmpdir);
	return rc;
}
