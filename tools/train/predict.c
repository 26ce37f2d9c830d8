/* SPDX-License-Identifier: ISC */
/*
 * --predict MODEL: classify the rows of feature CSVs with a sidecar, through
 * lib/model.c as flowidd does, and print one CSV line per row: its Flow.ID,
 * the class and the class's probability.  Feature columns are found by the
 * names the sidecar lists; a missing one is an error, a non-numeric or
 * empty cell a missing value.
 */

#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"
#include "model.h"

/* Column of each model feature in this file's header, or -1 for none. */
static size_t *
predict_columns(const struct model *m, const struct csv *cv, int *flowid)
{
	size_t	*col, i, j, nf = model_nfeatures(m);

	col = xcalloc(nf ? nf : 1, sizeof(*col));
	*flowid = -1;
	for (j = 0; j < cv->cv_nfld; j++)
		if (*flowid == -1 && strcmp(csv_field(cv, j), "Flow.ID") == 0)
			*flowid = (int)j;
	for (i = 0; i < nf; i++) {
		for (j = 0; j < cv->cv_nfld; j++)
			if (strcmp(csv_field(cv, j),
			    model_feature_name(m, i)) == 0)
				break;
		if (j == cv->cv_nfld)
			errx(1, "%s: no column %s", cv->cv_path,
			    model_feature_name(m, i));
		col[i] = j;
	}
	return col;
}

static void
predict_file(const struct model *m, const char *path)
{
	struct csv	 cv;
	size_t		*col, i, nf = model_nfeatures(m), nhdr;
	float		*x, v, prob;
	uint16_t	 cls;
	int		 flowid, rc;

	if (csv_open(&cv, path) == -1)
		err(1, "%s", path);
	if (csv_next(&cv) != 1)
		errx(1, "%s: no header", path);
	col = predict_columns(m, &cv, &flowid);
	nhdr = cv.cv_nfld;
	x = xcalloc(nf ? nf : 1, sizeof(*x));
	while ((rc = csv_next(&cv)) == 1) {
		if (cv.cv_nfld != nhdr)
			errx(1, "%s:%lu: %zu fields, the header has %zu",
			    path, cv.cv_line, cv.cv_nfld, nhdr);
		for (i = 0; i < nf; i++)
			x[i] = cell_parse(csv_field(&cv, col[i]), &v) ==
			    CELL_NUMBER ? v : NAN;
		if (model_predict(m, x, 1, &cls, &prob) == -1)
			errx(1, "%s:%lu: model_predict failed", path,
			    cv.cv_line);
		printf("%s,%s,%.9g\n", flowid == -1 ? "" :
		    csv_field(&cv, (size_t)flowid), model_class_name(m, cls),
		    (double)prob);
	}
	if (rc == -1)
		errx(1, "%s:%lu: malformed CSV", path, cv.cv_nextline);
	csv_close(&cv);
	free(x);
	free(col);
}

/* Returns the exit status. */
int
predict_main(const char *sidecar, char **inputs, int ninputs)
{
	struct model	*m;
	char		 errbuf[512];
	int		 i;

	if ((m = model_load(sidecar, errbuf, sizeof(errbuf))) == NULL)
		errx(1, "%s", errbuf);
	printf("Flow.ID,Predicted.ProtocolName,Predicted.Confidence\n");
	for (i = 0; i < ninputs; i++)
		predict_file(m, inputs[i]);
	model_free(m);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return 0;
}
