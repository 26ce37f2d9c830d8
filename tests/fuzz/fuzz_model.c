/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the model loader.  The input is a whole .model
 * sidecar; model_load() reads it from an in-memory file through its
 * /proc/self/fd path, since it takes a path and not a stream.  A model
 * that loads is then asked to predict a few rows, so a tree the loader
 * accepted but cannot be walked safely is found as well.  A failed load
 * must leave one line in the error buffer: anything else aborts.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "fuzz_file.h"

#define FUZZ_ROWS	40	/* a vector block of 32 and a tail */


int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init("fuzz_model");
	return 0;
}

/*
 * Rows, in turn: all missing, all zero, bytes of the input (which may be
 * lookup keys), and extremes, so each split goes both ways and the
 * missing-value branch is taken.
 */
static void
fuzz_rows(float *x, size_t nf, const uint8_t *data, size_t len)
{
	size_t	i, r;

	for (r = 0; r < FUZZ_ROWS; r++)
		for (i = 0; i < nf; i++) {
			float	*v = &x[r * nf + i];

			switch (r % 4) {
			case 0:	*v = NAN; break;
			case 1:	*v = 0; break;
			case 2:	*v = len ? (float)data[(i + r) % len] - 64 : 1;
				break;
			default: *v = i & 1 ? -3.4e38f : 3.4e38f; break;
			}
		}
}

static void
fuzz_predict(const struct model *m, const uint8_t *data, size_t len)
{
	uint16_t	 cls[FUZZ_ROWS];
	float		 prob[FUZZ_ROWS], *x;
	size_t		 nf = model_nfeatures(m), k = model_nclasses(m), i;

	if (model_profile(m) == NULL || k < 2 || k > MODEL_MAX_CLASSES)
		abort();
	for (i = 0; i < nf; i++)
		if (model_feature_name(m, i) == NULL)
			abort();
	for (i = 0; i < k; i++)
		if (model_class_name(m, i) == NULL)
			abort();
	if ((x = calloc(nf * FUZZ_ROWS, sizeof(*x))) == NULL)
		return;
	fuzz_rows(x, nf, data, len);
	if (model_predict(m, x, FUZZ_ROWS, cls, prob) != 0)
		abort();
	for (i = 0; i < FUZZ_ROWS; i++)
		if (cls[i] >= k || !(prob[i] >= 0 && prob[i] <= 1)) {
			fprintf(stderr, "row %zu: class %u of %zu, "
			    "probability %g\n", i, cls[i], k, prob[i]);
			abort();
		}
	free(x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct model	*m;
	char		 err[512];

	fuzz_file_write(data, len);
	err[0] = '\0';
	if ((m = model_load(fuzz_path, err, sizeof(err))) == NULL) {
		/* the daemon prints this as one line naming the file */
		if (strncmp(err, fuzz_path, strlen(fuzz_path)) != 0 ||
		    strchr(err, '\n') != NULL)
			abort();
		return 0;
	}
	fuzz_predict(m, data, len);
	model_free(m);
	return 0;
}
