/* SPDX-License-Identifier: ISC */
/*
 * Just enough JSON to take the trees out of an XGBoost 1.7 model saved
 * with {"format": "json"}: learner.learner_model_param, and for each of
 * learner.gradient_booster.model.trees the node arrays, plus tree_info.
 * A pull reader over the buffer: no tree of JSON values is built, so a
 * model of millions of nodes costs only its own arrays.
 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"

#define JSON_MAX_DEPTH	64

struct jreader {
	const char	*jr_start;
	const char	*jr_p;
	const char	*jr_end;
	char		*jr_err;
	size_t		 jr_errlen;
	int		 jr_failed;
};

/* A growing array of numbers, read as float or as integer. */
struct jarray {
	float		*ja_f;
	size_t		 ja_fcap;
	int32_t		*ja_i;
	size_t		 ja_icap;
	size_t		 ja_n;
};

static int
jfail(struct jreader *j, const char *fmt, ...)
{
	char	msg[200];
	va_list	ap;

	if (j->jr_failed++)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(j->jr_err, j->jr_errlen, "model JSON, byte %zu: %s",
	    (size_t)(j->jr_p - j->jr_start), msg);
	return -1;
}

static void
jspace(struct jreader *j)
{
	while (j->jr_p < j->jr_end && (*j->jr_p == ' ' || *j->jr_p == '\n' ||
	    *j->jr_p == '\t' || *j->jr_p == '\r'))
		j->jr_p++;
}

/* Consume c (after blanks), or fail. */
static int
jexpect(struct jreader *j, char c)
{
	jspace(j);
	if (j->jr_p >= j->jr_end || *j->jr_p != c)
		return jfail(j, "expected '%c'", c);
	j->jr_p++;
	return 0;
}

/* True, and c consumed, if c comes next. */
static int
jpeek(struct jreader *j, char c)
{
	jspace(j);
	if (j->jr_p < j->jr_end && *j->jr_p == c) {
		j->jr_p++;
		return 1;
	}
	return 0;
}

/* A string's raw bytes (escapes left as they are: keys have none). */
static int
jstring(struct jreader *j, const char **s, size_t *len)
{
	const char	*p;

	if (jexpect(j, '"') == -1)
		return -1;
	for (p = j->jr_p; p < j->jr_end && *p != '"'; p++)
		if (*p == '\\' && ++p == j->jr_end)
			break;
	if (p >= j->jr_end)
		return jfail(j, "unterminated string");
	*s = j->jr_p;
	*len = (size_t)(p - j->jr_p);
	j->jr_p = p + 1;
	return 0;
}

static int
jkey_is(const char *s, size_t len, const char *key)
{
	return strlen(key) == len && memcmp(s, key, len) == 0;
}

/* A number, or true/false as 1/0, as the text it was written with. */
static int
jtoken(struct jreader *j, char *buf, size_t size)
{
	size_t	n = 0;

	jspace(j);
	while (j->jr_p < j->jr_end && strchr("+-.0123456789eEtrufals",
	    *j->jr_p) != NULL && *j->jr_p != '\0') {
		if (n + 1 >= size)
			return jfail(j, "number too long");
		buf[n++] = *j->jr_p++;
	}
	buf[n] = '\0';
	if (n == 0)
		return jfail(j, "expected a number");
	if (strcmp(buf, "true") == 0)
		strcpy(buf, "1");
	else if (strcmp(buf, "false") == 0)
		strcpy(buf, "0");
	return 0;
}

static int
jfloat(struct jreader *j, float *out)
{
	char	buf[64], *end;

	if (jtoken(j, buf, sizeof(buf)) == -1)
		return -1;
	errno = 0;
	*out = strtof(buf, &end);
	if (*end != '\0' || errno == ERANGE)
		return jfail(j, "bad number '%s'", buf);
	return 0;
}

static int
jint(struct jreader *j, int32_t *out)
{
	char	buf[64], *end;
	long	v;

	if (jtoken(j, buf, sizeof(buf)) == -1)
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (*end != '\0' || errno != 0 || v < INT32_MIN || v > INT32_MAX)
		return jfail(j, "bad integer '%s'", buf);
	*out = (int32_t)v;
	return 0;
}

static int
jskip(struct jreader *j, int depth)
{
	const char	*s;
	size_t		 len;
	char		 buf[64];

	if (depth > JSON_MAX_DEPTH)
		return jfail(j, "nested too deep");
	jspace(j);
	if (j->jr_p >= j->jr_end)
		return jfail(j, "unexpected end");
	if (*j->jr_p == '"')
		return jstring(j, &s, &len);
	if (*j->jr_p == 'n')
		return strncmp(j->jr_p, "null", 4) == 0 ?
		    (j->jr_p += 4, 0) : jfail(j, "bad literal");
	if (jpeek(j, '[')) {
		if (jpeek(j, ']'))
			return 0;
		do {
			if (jskip(j, depth + 1) == -1)
				return -1;
		} while (jpeek(j, ','));
		return jexpect(j, ']');
	}
	if (jpeek(j, '{')) {
		if (jpeek(j, '}'))
			return 0;
		do {
			if (jstring(j, &s, &len) == -1 ||
			    jexpect(j, ':') == -1 || jskip(j, depth + 1) == -1)
				return -1;
		} while (jpeek(j, ','));
		return jexpect(j, '}');
	}
	return jtoken(j, buf, sizeof(buf));
}

/* An array of numbers, as floats (asfloat) or as integers. */
static int
jnumbers(struct jreader *j, struct jarray *a, int asfloat)
{
	a->ja_n = 0;
	if (jexpect(j, '[') == -1)
		return -1;
	if (jpeek(j, ']'))
		return 0;
	do {
		if (asfloat && a->ja_n == a->ja_fcap) {
			a->ja_fcap = a->ja_fcap ? a->ja_fcap * 2 : 64;
			a->ja_f = xreallocarray(a->ja_f, a->ja_fcap,
			    sizeof(*a->ja_f));
		} else if (!asfloat && a->ja_n == a->ja_icap) {
			a->ja_icap = a->ja_icap ? a->ja_icap * 2 : 64;
			a->ja_i = xreallocarray(a->ja_i, a->ja_icap,
			    sizeof(*a->ja_i));
		}
		if (asfloat ? jfloat(j, &a->ja_f[a->ja_n]) :
		    jint(j, &a->ja_i[a->ja_n]))
			return -1;
		a->ja_n++;
	} while (jpeek(j, ','));
	return jexpect(j, ']');
}

/*
 * Iterate over an object's members: calls fn for each key with the reader
 * placed on the value; fn must consume the value (or call jskip).
 */
static int
jobject(struct jreader *j, int (*fn)(struct jreader *, const char *,
    size_t, void *), void *arg)
{
	const char	*k;
	size_t		 len;

	if (jexpect(j, '{') == -1)
		return -1;
	if (jpeek(j, '}'))
		return 0;
	do {
		if (jstring(j, &k, &len) == -1 || jexpect(j, ':') == -1 ||
		    fn(j, k, len, arg) == -1)
			return -1;
	} while (jpeek(j, ','));
	return jexpect(j, '}');
}

/* Hand the array just parsed over to the caller. */
static void *
jtake(struct jarray *a, int asfloat)
{
	void	*p;

	if (asfloat) {
		p = a->ja_f;
		a->ja_f = NULL;
		a->ja_fcap = 0;
	} else {
		p = a->ja_i;
		a->ja_i = NULL;
		a->ja_icap = 0;
	}
	return p;
}

struct tree_ctx {
	struct ftree	*tc_t;
	struct jarray	 tc_a;
	size_t		 tc_n;		/* length of the first array seen */
	int		 tc_have;	/* bit per array read */
};

static int
tree_array(struct jreader *j, struct tree_ctx *c, int bit, int asfloat,
    void **dst)
{
	if (jnumbers(j, &c->tc_a, asfloat) == -1)
		return -1;
	if (c->tc_have != 0 && c->tc_a.ja_n != c->tc_n)
		return jfail(j, "node arrays of different lengths");
	c->tc_n = c->tc_a.ja_n;
	c->tc_have |= bit;
	free(*dst);
	*dst = jtake(&c->tc_a, asfloat);
	return 0;
}

static int
tree_member(struct jreader *j, const char *k, size_t len, void *arg)
{
	struct tree_ctx	*c = arg;
	struct ftree	*t = c->tc_t;
	size_t		 i;
	int		 rc;

	if (jkey_is(k, len, "left_children"))
		return tree_array(j, c, 1, 0, (void **)&t->ft_left);
	if (jkey_is(k, len, "right_children"))
		return tree_array(j, c, 2, 0, (void **)&t->ft_right);
	if (jkey_is(k, len, "split_indices"))
		return tree_array(j, c, 4, 0, (void **)&t->ft_feat);
	if (jkey_is(k, len, "split_conditions"))
		return tree_array(j, c, 8, 1, (void **)&t->ft_cond);
	if (jkey_is(k, len, "loss_changes"))
		return tree_array(j, c, 16, 1, (void **)&t->ft_gain);
	if (jkey_is(k, len, "default_left")) {
		if ((rc = jnumbers(j, &c->tc_a, 0)) == -1)
			return -1;
		if (c->tc_have != 0 && c->tc_a.ja_n != c->tc_n)
			return jfail(j, "node arrays of different lengths");
		c->tc_n = c->tc_a.ja_n;
		c->tc_have |= 32;
		free(t->ft_dleft);
		t->ft_dleft = xcalloc(c->tc_n, 1);
		for (i = 0; i < c->tc_n; i++)
			t->ft_dleft[i] = c->tc_a.ja_i[i] != 0;
		return 0;
	}
	if (jkey_is(k, len, "split_type")) {
		if (jnumbers(j, &c->tc_a, 0) == -1)
			return -1;
		for (i = 0; i < c->tc_a.ja_n; i++)
			if (c->tc_a.ja_i[i] != 0)
				return jfail(j, "categorical split");
		return 0;
	}
	return jskip(j, 1);
}

static int
forest_trees(struct jreader *j, struct forest *f)
{
	struct tree_ctx	c;
	size_t		cap = 0;

	memset(&c, 0, sizeof(c));
	if (jexpect(j, '[') == -1)
		return -1;
	if (jpeek(j, ']'))
		return 0;
	do {
		if (f->fo_ntrees == cap) {
			cap = cap ? cap * 2 : 64;
			f->fo_trees = xreallocarray(f->fo_trees, cap,
			    sizeof(*f->fo_trees));
		}
		c.tc_t = &f->fo_trees[f->fo_ntrees++];
		memset(c.tc_t, 0, sizeof(*c.tc_t));
		c.tc_have = 0;
		c.tc_n = 0;
		if (jobject(j, tree_member, &c) == -1)
			break;
		if (c.tc_have != 63 || c.tc_n == 0) {
			jfail(j, "tree %zu lacks node arrays",
			    f->fo_ntrees - 1);
			break;
		}
		c.tc_t->ft_n = c.tc_n;
	} while (jpeek(j, ','));
	free(c.tc_a.ja_f);
	free(c.tc_a.ja_i);
	return j->jr_failed ? -1 : jexpect(j, ']');
}

struct model_ctx {
	struct forest	*mc_f;
	struct jarray	 mc_info;
	int		 mc_gbtree;
};

static int
model_member(struct jreader *j, const char *k, size_t len, void *arg)
{
	struct model_ctx	*c = arg;

	if (jkey_is(k, len, "trees"))
		return forest_trees(j, c->mc_f);
	if (jkey_is(k, len, "tree_info"))
		return jnumbers(j, &c->mc_info, 0);
	return jskip(j, 1);
}

static int
booster_member(struct jreader *j, const char *k, size_t len, void *arg)
{
	struct model_ctx	*c = arg;
	const char		*s;
	size_t			 n;

	if (jkey_is(k, len, "model"))
		return jobject(j, model_member, c);
	if (jkey_is(k, len, "name")) {
		if (jstring(j, &s, &n) == -1)
			return -1;
		c->mc_gbtree = jkey_is(s, n, "gbtree");
		return 0;
	}
	return jskip(j, 1);
}

/* learner_model_param values are strings holding numbers. */
static int
param_member(struct jreader *j, const char *k, size_t len, void *arg)
{
	struct forest	*f = arg;
	const char	*s;
	size_t		 n;
	char		 buf[64];

	if (!jkey_is(k, len, "base_score") && !jkey_is(k, len, "num_class") &&
	    !jkey_is(k, len, "num_feature"))
		return jskip(j, 1);
	if (jstring(j, &s, &n) == -1)
		return -1;
	if (n == 0 || n >= sizeof(buf))
		return jfail(j, "bad model parameter");
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (jkey_is(k, len, "base_score"))
		f->fo_base = strtof(buf, NULL);
	else if (jkey_is(k, len, "num_class"))
		f->fo_nclass = strtoul(buf, NULL, 10);
	else
		f->fo_nfeat = strtoul(buf, NULL, 10);
	return 0;
}

static int
learner_member(struct jreader *j, const char *k, size_t len, void *arg)
{
	struct model_ctx	*c = arg;

	if (jkey_is(k, len, "learner_model_param"))
		return jobject(j, param_member, c->mc_f);
	if (jkey_is(k, len, "gradient_booster"))
		return jobject(j, booster_member, c);
	return jskip(j, 1);
}

static int
top_member(struct jreader *j, const char *k, size_t len, void *arg)
{
	if (jkey_is(k, len, "learner"))
		return jobject(j, learner_member, arg);
	return jskip(j, 1);
}

/* Class of each tree, and children inside each tree. */
static int
forest_check(struct forest *f, const struct jarray *info, char *errbuf,
    size_t errlen)
{
	const struct ftree	*t;
	size_t			 i, k;

	if (info->ja_n != f->fo_ntrees || f->fo_ntrees == 0 ||
	    f->fo_nclass < 2 || isnan(f->fo_base)) {
		snprintf(errbuf, errlen, "model JSON: %zu trees, %zu "
		    "tree_info, %zu classes", f->fo_ntrees, info->ja_n,
		    f->fo_nclass);
		return -1;
	}
	for (i = 0; i < f->fo_ntrees; i++) {
		t = &f->fo_trees[i];
		if (info->ja_i[i] < 0 || (size_t)info->ja_i[i] >= f->fo_nclass)
			goto bad;
		f->fo_trees[i].ft_class = (uint16_t)info->ja_i[i];
		for (k = 0; k < t->ft_n; k++) {
			if ((t->ft_left[k] == -1) != (t->ft_right[k] == -1))
				goto bad;
			if (t->ft_left[k] == -1)
				continue;
			if (t->ft_left[k] < 0 || (size_t)t->ft_left[k] >=
			    t->ft_n || t->ft_right[k] < 0 ||
			    (size_t)t->ft_right[k] >= t->ft_n ||
			    t->ft_feat[k] < 0 ||
			    (size_t)t->ft_feat[k] >= f->fo_nfeat)
				goto bad;
		}
	}
	return 0;
 bad:
	snprintf(errbuf, errlen, "model JSON: tree %zu is malformed", i);
	return -1;
}

int
forest_parse(const char *json, size_t len, struct forest *f, char *errbuf,
    size_t errlen)
{
	struct jreader		j;
	struct model_ctx	c;
	int			rc;

	memset(f, 0, sizeof(*f));
	memset(&c, 0, sizeof(c));
	f->fo_base = NAN;
	c.mc_f = f;
	j.jr_start = j.jr_p = json;
	j.jr_end = json + len;
	j.jr_err = errbuf;
	j.jr_errlen = errlen;
	j.jr_failed = 0;

	rc = jobject(&j, top_member, &c);
	if (rc == 0 && !c.mc_gbtree) {
		snprintf(errbuf, errlen, "model JSON: booster is not gbtree");
		rc = -1;
	}
	if (rc == 0)
		rc = forest_check(f, &c.mc_info, errbuf, errlen);
	free(c.mc_info.ja_i);
	free(c.mc_info.ja_f);
	if (rc == -1)
		forest_free(f);
	return rc;
}

void
forest_free(struct forest *f)
{
	size_t	i;

	for (i = 0; i < f->fo_ntrees; i++) {
		free(f->fo_trees[i].ft_left);
		free(f->fo_trees[i].ft_right);
		free(f->fo_trees[i].ft_feat);
		free(f->fo_trees[i].ft_cond);
		free(f->fo_trees[i].ft_dleft);
		free(f->fo_trees[i].ft_gain);
	}
	free(f->fo_trees);
	memset(f, 0, sizeof(*f));
}
