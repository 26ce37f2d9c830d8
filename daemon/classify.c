/* SPDX-License-Identifier: ISC */
/*
 * Batch classification.  At load time each model feature is mapped to
 * the index of the same column in the profile's feature vector, so a
 * model trained on any subset or order of the exported columns works, and
 * a model naming a column the profile does not compute is refused.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "features_set.h"
#include "model.h"
#include "output.h"

struct classifier {
	struct model		*cl_model;
	enum flowid_profile	 cl_prof;
	double			 cl_min_conf;
	size_t			*cl_map;	/* model feature -> vector */
	size_t			 cl_nvec;	/* features_count(prof) */
	double			*cl_vec;
	float			*cl_rows;	/* OUTPUT_BATCH rows */
	char			*cl_path;
};

static int
classifier_map(struct classifier *cl, char *err, size_t errlen)
{
	size_t		 i, j, nf = model_nfeatures(cl->cl_model);
	const char	*name;

	for (i = 0; i < nf; i++) {
		name = model_feature_name(cl->cl_model, i);
		for (j = 0; j < cl->cl_nvec; j++)
			if (strcmp(name, features_name(cl->cl_prof, j)) == 0)
				break;
		if (j == cl->cl_nvec) {
			snprintf(err, errlen, "%s: feature %s is not computed "
			    "by profile %s", cl->cl_path, name,
			    profile_name(cl->cl_prof));
			return -1;
		}
		cl->cl_map[i] = j;
	}
	return 0;
}

static int
classifier_check_profile(struct classifier *cl, char *err, size_t errlen)
{
	const char	*mp = model_profile(cl->cl_model);

	if (strcmp(mp, profile_name(cl->cl_prof)) == 0)
		return 0;
	snprintf(err, errlen, "%s: model was trained on features profile %s, "
	    "but the configured profile is %s", cl->cl_path, mp,
	    profile_name(cl->cl_prof));
	return -1;
}

/*
 * The trainer reads the CSV cells Infinity and NaN (the compatibility
 * profiles' rates of zero-duration flows) as missing values: so must
 * the daemon, or the trees would send such flows down other branches.
 */
static float
classifier_value(double v)
{
	return isfinite(v) ? (float)v : NAN;
}

struct classifier *
classifier_load(const char *path, enum flowid_profile prof, double min_conf,
    char *err, size_t errlen)
{
	struct classifier	*cl;
	size_t			 nf;

	if ((cl = calloc(1, sizeof(*cl))) == NULL ||
	    (cl->cl_path = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(cl);
		return NULL;
	}
	cl->cl_prof = prof;
	cl->cl_min_conf = min_conf;
	cl->cl_nvec = features_count(prof);
	if ((cl->cl_model = model_load(path, err, errlen)) == NULL)
		goto fail;
	if (classifier_check_profile(cl, err, errlen) == -1)
		goto fail;

	nf = model_nfeatures(cl->cl_model);
	cl->cl_map = calloc(nf, sizeof(*cl->cl_map));
	cl->cl_vec = calloc(cl->cl_nvec, sizeof(*cl->cl_vec));
	cl->cl_rows = calloc(nf * OUTPUT_BATCH, sizeof(*cl->cl_rows));
	if (cl->cl_map == NULL || cl->cl_vec == NULL || cl->cl_rows == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (classifier_map(cl, err, errlen) == -1)
		goto fail;
	return cl;

fail:
	classifier_free(cl);
	return NULL;
}

void
classifier_free(struct classifier *cl)
{
	if (cl == NULL)
		return;
	model_free(cl->cl_model);
	free(cl->cl_map);
	free(cl->cl_vec);
	free(cl->cl_rows);
	free(cl->cl_path);
	free(cl);
}

int
classifier_run(struct classifier *cl, struct flow *const *flows, size_t n,
    struct verdict *out)
{
	uint16_t	cls[OUTPUT_BATCH];
	float		prob[OUTPUT_BATCH];
	size_t		i, j, nf = model_nfeatures(cl->cl_model);
	const char	*name;

	if (n > OUTPUT_BATCH)
		return -1;
	for (i = 0; i < n; i++) {
		features_compute(flows[i], cl->cl_prof, cl->cl_vec);
		for (j = 0; j < nf; j++)
			cl->cl_rows[i * nf + j] =
			    classifier_value(cl->cl_vec[cl->cl_map[j]]);
	}
	if (model_predict(cl->cl_model, cl->cl_rows, n, cls, prob) == -1)
		return -1;

	for (i = 0; i < n; i++) {
		name = model_class_name(cl->cl_model, cls[i]);
		out[i].vd_conf = prob[i];
		if (prob[i] >= cl->cl_min_conf) {
			out[i].vd_app = name;
			out[i].vd_guess = NULL;
		} else {
			out[i].vd_app = "unknown";
			out[i].vd_guess = name;
		}
	}
	return 0;
}

size_t
classifier_nclasses(const struct classifier *cl)
{
	return model_nclasses(cl->cl_model);
}

const char *
classifier_path(const struct classifier *cl)
{
	return cl->cl_path;
}
