/* SPDX-License-Identifier: ISC */
/*
 * Classification alone: the rows of a feature CSV that flowidd exported
 * (-o csv:PATH) go through lib/model.c's model_predict, in batches of
 * BENCH_BATCH rows as the daemon sends them, and through libxgboost's
 * own CPU predictor on one thread.  Prints the rows per second of each
 * (minimum and median over the timed passes) and how many rows differ
 * in class or in the probability's bits.  Times are CPU seconds.
 *
 *	bench-classify MODEL.model MODEL.json|- FEATURES.csv [SECONDS]
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xgboost/c_api.h>

#include "model.h"

#define BENCH_BATCH	256	/* OUTPUT_BATCH in daemon/output.h */
#define BENCH_PASSES	64	/* at most, per predictor */

struct rows {
	float		*r_x;	/* nrows x nfeat */
	size_t		 r_n;
	size_t		 r_cap;
	size_t		 r_nfeat;
};

static void * __attribute__((malloc))
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n ? n : 1)) == NULL) {
		fprintf(stderr, "bench-classify: out of memory\n");
		exit(1);
	}
	return p;
}

/*
 * CPU time of the whole process: the machine is shared, and wall time
 * would also count the waits for the core.  libxgboost runs on this
 * thread alone (nthread 1), so nothing escapes the count.
 */
static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Split a CSV line in place (RFC 4180 quoting); at most max fields.
 * Returns the number of fields.
 */
static size_t
csv_split(char *line, char **f, size_t max)
{
	char	*r = line, *w;
	size_t	 n = 0;
	int	 q;

	while (n < max) {
		f[n++] = w = r;
		q = 0;
		for (; *r != '\0' && *r != '\n' && *r != '\r'; r++) {
			if (*r == '"' && q && r[1] == '"')
				*w++ = *r++;
			else if (*r == '"')
				q = !q;
			else if (*r == ',' && !q)
				break;
			else
				*w++ = *r;
		}
		if (*r != ',') {
			*w = '\0';
			break;
		}
		*w = '\0';
		r++;
	}
	return n;
}

static float
parse_float(const char *s)
{
	char	*end;
	float	 v;

	errno = 0;
	v = strtof(s, &end);
	if (*s == '\0' || *end != '\0' || errno == ERANGE)
		return NAN;
	return v;
}

/* Column of each model feature in the CSV header, or -1 on a miss. */
static int
map_columns(const struct model *m, char **hdr, size_t nh, size_t *col)
{
	size_t	i, j;

	for (i = 0; i < model_nfeatures(m); i++) {
		for (j = 0; j < nh; j++)
			if (strcmp(hdr[j], model_feature_name(m, i)) == 0)
				break;
		if (j == nh) {
			fprintf(stderr, "bench-classify: no column %s\n",
			    model_feature_name(m, i));
			return -1;
		}
		col[i] = j;
	}
	return 0;
}

static int
load_rows(const char *path, const struct model *m, struct rows *rs)
{
	enum { MAXF = 1024 };
	char	*line = NULL, *f[MAXF];
	size_t	 cap = 0, nh, nf = model_nfeatures(m), *col, i;
	FILE	*fp;
	int	 rv = -1;

	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return -1;
	}
	col = xmalloc(nf * sizeof(*col));
	if (getline(&line, &cap, fp) < 0)
		goto out;
	nh = csv_split(line, f, MAXF);
	if (map_columns(m, f, nh, col) == -1)
		goto out;
	rs->r_nfeat = nf;
	while (getline(&line, &cap, fp) > 0) {
		if (csv_split(line, f, MAXF) != nh)
			continue;	/* a repeated header or a bad line */
		if (rs->r_n == rs->r_cap) {
			rs->r_cap = rs->r_cap ? rs->r_cap * 2 : 4096;
			rs->r_x = realloc(rs->r_x,
			    rs->r_cap * nf * sizeof(float));
			if (rs->r_x == NULL)
				goto out;
		}
		for (i = 0; i < nf; i++)
			rs->r_x[rs->r_n * nf + i] = parse_float(f[col[i]]);
		rs->r_n++;
	}
	rv = rs->r_n > 0 ? 0 : -1;
out:
	free(line);
	free(col);
	fclose(fp);
	return rv;
}

/* One pass of model_predict over every row, BENCH_BATCH at a time. */
static int
c_pass(const struct model *m, const struct rows *rs, uint16_t *cls,
    float *prob)
{
	size_t	r, n;

	for (r = 0; r < rs->r_n; r += n) {
		n = rs->r_n - r < BENCH_BATCH ? rs->r_n - r : BENCH_BATCH;
		if (model_predict(m, rs->r_x + r * rs->r_nfeat, n, cls + r,
		    prob + r) == -1)
			return -1;
	}
	return 0;
}

static const char xgb_conf[] = "{\"type\": 0, \"training\": false, "
    "\"iteration_begin\": 0, \"iteration_end\": 0, "
    "\"strict_shape\": false}";

/*
 * libxgboost's probabilities of every row (k per row), or NULL.  The
 * matrix is built anew each time: libxgboost caches the predictions of
 * a matrix it has seen, and a second pass would only copy them.
 */
static const float *
xgb_pass(BoosterHandle b, const struct rows *rs, DMatrixHandle *dm)
{
	const bst_ulong	*shape;
	bst_ulong	 dim;
	const float	*out;

	if (*dm != NULL)
		XGDMatrixFree(*dm);
	*dm = NULL;
	if (XGDMatrixCreateFromMat(rs->r_x, rs->r_n, rs->r_nfeat, NAN,
	    dm) != 0)
		return NULL;
	if (XGBoosterPredictFromDMatrix(b, *dm, xgb_conf, &shape, &dim,
	    &out) != 0)
		return NULL;
	return out;
}

/*
 * The rows as the trees read them, lookup features included: libxgboost
 * knows nothing of lookups.  Replaces rs's matrix.
 */
static const struct rows *
rows_expand(const struct model *m, struct rows *rs)
{
	size_t	 nt = model_ntree_features(m);
	float	*x = xmalloc(rs->r_n * nt * sizeof(*x));

	model_expand(m, rs->r_x, rs->r_n, x);
	free(rs->r_x);
	rs->r_x = x;
	rs->r_nfeat = nt;
	return rs;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Time passes of fn until the budget is spent; rows/s min and median. */
struct timing {
	double	t_rate[BENCH_PASSES];
	size_t	t_n;
};

static void
timing_add(struct timing *t, double rows, double secs)
{
	if (t->t_n < BENCH_PASSES)
		t->t_rate[t->t_n++] = secs > 0 ? rows / secs : 0;
}

static void
timing_print(const char *name, struct timing *t)
{
	qsort(t->t_rate, t->t_n, sizeof(double), dbl_cmp);
	printf("classify: %s_rows_s_min=%.0f %s_rows_s_median=%.0f "
	    "%s_passes=%zu\n", name, t->t_rate[0], name,
	    t->t_rate[t->t_n / 2], name, t->t_n);
}

static int
bench_c(const struct model *m, const struct rows *rs, double budget,
    uint16_t *cls, float *prob)
{
	struct timing	t = { { 0 }, 0 };
	double		t0, t1, end;

	/* one untimed pass: page in the model and the rows */
	if (c_pass(m, rs, cls, prob) == -1)
		return -1;
	end = now_s() + budget;
	do {
		t0 = now_s();
		c_pass(m, rs, cls, prob);
		t1 = now_s();
		timing_add(&t, (double)rs->r_n, t1 - t0);
	} while (t1 < end && t.t_n < BENCH_PASSES);
	timing_print("c", &t);
	return 0;
}

/* Classes and probabilities of both predictors, row by row. */
static void
compare(const float *xp, size_t k, const uint16_t *cls, const float *prob,
    size_t n)
{
	size_t	r, c, best, badc = 0, badbits = 0;
	float	d, maxd = 0;

	for (r = 0; r < n; r++) {
		best = 0;
		for (c = 1; c < k; c++)
			if (xp[r * k + c] > xp[r * k + best])
				best = c;
		badc += best != cls[r];
		badbits += memcmp(&xp[r * k + best], &prob[r],
		    sizeof(float)) != 0;
		d = fabsf(xp[r * k + best] - prob[r]);
		if (d > maxd)
			maxd = d;
	}
	printf("classify: compared=%zu class_mismatch=%zu "
	    "prob_bits_differ=%zu max_abs_dprob=%.3g\n", n, badc, badbits,
	    (double)maxd);
}

static int
bench_xgb(const char *json, const struct rows *rs, size_t k, double budget,
    const uint16_t *cls, const float *prob)
{
	struct timing	 t = { { 0 }, 0 };
	BoosterHandle	 b;
	DMatrixHandle	 dm = NULL;
	const float	*xp;
	double		 t0, t1, end;
	int		 rv = -1;

	if (XGBoosterCreate(NULL, 0, &b) != 0)
		return -1;
	if (XGBoosterLoadModel(b, json) != 0 ||
	    XGBoosterSetParam(b, "nthread", "1") != 0) {
		fprintf(stderr, "bench-classify: %s: %s\n", json,
		    XGBGetLastError());
		XGBoosterFree(b);
		return -1;
	}
	if ((xp = xgb_pass(b, rs, &dm)) == NULL)
		goto out;
	compare(xp, k, cls, prob, rs->r_n);
	end = now_s() + budget;
	do {
		t0 = now_s();
		if (xgb_pass(b, rs, &dm) == NULL)
			goto out;
		t1 = now_s();
		timing_add(&t, (double)rs->r_n, t1 - t0);
	} while (t1 < end && t.t_n < BENCH_PASSES);
	timing_print("xgb", &t);
	rv = 0;
out:
	if (rv == -1)
		fprintf(stderr, "bench-classify: %s\n", XGBGetLastError());
	if (dm != NULL)
		XGDMatrixFree(dm);
	XGBoosterFree(b);
	return rv;
}

int
main(int argc, char *argv[])
{
	struct rows	 rs;
	struct model	*m;
	char		 err[512];
	uint16_t	*cls;
	float		*prob;
	double		 budget = 10;
	int		 rv = 0;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: bench-classify MODEL.model "
		    "MODEL.json|- FEATURES.csv [SECONDS]\n");
		return 1;
	}
	if (argc == 5 && !((budget = atof(argv[4])) > 0))
		budget = 10;
	if ((m = model_load(argv[1], err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench-classify: %s\n", err);
		return 1;
	}
	memset(&rs, 0, sizeof(rs));
	if (load_rows(argv[3], m, &rs) == -1) {
		fprintf(stderr, "bench-classify: %s: no usable rows\n",
		    argv[3]);
		return 1;
	}
	printf("classify: rows=%zu features=%zu classes=%zu\n", rs.r_n,
	    rs.r_nfeat, model_nclasses(m));
	cls = xmalloc(rs.r_n * sizeof(*cls));
	prob = xmalloc(rs.r_n * sizeof(*prob));
	if (bench_c(m, &rs, budget / 2, cls, prob) == -1)
		rv = 1;
	else if (strcmp(argv[2], "-") != 0 && bench_xgb(argv[2],
	    rows_expand(m, &rs), model_nclasses(m), budget / 2, cls,
	    prob) == -1)
		rv = 1;
	free(cls);
	free(prob);
	free(rs.r_x);
	model_free(m);
	return rv;
}
