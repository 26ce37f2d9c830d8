/* SPDX-License-Identifier: ISC */
/*
 * Gradient-boosted tree classifier, as written by flowid-train(1) into a
 * NAME.model sidecar.  Loading validates the whole file; prediction walks
 * flat node arrays and needs neither libxgboost nor any allocation.
 */
#ifndef FLOWID_MODEL_H
#define FLOWID_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Largest class count model_load() accepts (bounds model_predict's stack). */
#define MODEL_MAX_CLASSES	1024

struct model;	/* opaque */

/*
 * Load a NAME.model sidecar.  Returns NULL and a one-line message in errbuf
 * on failure; the message names the file and, for parse errors, the line.
 */
struct model	*model_load(const char *path, char *errbuf, size_t errlen);
void		 model_free(struct model *);

/* "flowidd", "cicflowmeter" or "unicauca": the features the model expects */
const char	*model_profile(const struct model *);
size_t		 model_nfeatures(const struct model *);
const char	*model_feature_name(const struct model *, size_t i);
size_t		 model_nclasses(const struct model *);
const char	*model_class_name(const struct model *, size_t i);

/*
 * Columns the trees read: the model_nfeatures() inputs, then the features
 * of the model's lookups (lookup.h), computed from the inputs.
 */
size_t		 model_ntree_features(const struct model *);

/*
 * Write nrows rows of x as the trees see them (model_ntree_features()
 * floats each) to out: what another predictor of the same trees, such as
 * libxgboost, must be given to match model_predict().
 */
void		 model_expand(const struct model *, const float *x,
		    size_t nrows, float *out);

/*
 * x holds nrows rows of model_nfeatures() floats (NaN = missing).  Writes
 * the most probable class of each row to cls and its softmax probability to
 * prob.  Returns 0, or -1 when an argument is unusable.  Thread-safe: the
 * model is only read.
 */
int		 model_predict(const struct model *, const float *x,
		    size_t nrows, uint16_t *cls, float *prob);

#endif /* FLOWID_MODEL_H */
