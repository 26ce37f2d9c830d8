/* SPDX-License-Identifier: ISC */
/*
 * Held-out rows and classes.  Random and Flow.ID splits are decided row by
 * row while reading (dataset.c); the capture split is decided here, once
 * every capture's size is known.  Classes come from the training part only,
 * so the held-out part never shapes the model.
 */

#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"
#include "model.h"

/* Put whole captures aside until the held-out share is nearest --holdout. */
void
split_groups(struct dataset *ds, const struct train_opts *o)
{
	size_t		 ng = ds->ds_groups.st_n, *rows, *order, n = 0;
	size_t		 i, j, t, test = 0, ntest = 0, last = 0;
	uint8_t		*side;
	double		 target = o->to_holdout * (double)ds->ds_nrows;

	if (o->to_split != SPLIT_CAPTURE || o->to_holdout <= 0)
		return;

	rows = xcalloc(ng, sizeof(*rows));
	order = xcalloc(ng, sizeof(*order));
	side = xcalloc(ng, sizeof(*side));
	for (i = 0; i < ds->ds_nrows; i++)
		rows[ds->ds_group[i]]++;
	for (i = 0; i < ng; i++)
		if (rows[i] > 0)
			order[n++] = i;
	if (n < 2)
		errx(1, "--split capture: all rows come from one capture");

	/* seeded Fisher-Yates: which captures are held out depends on seed */
	for (i = n - 1; i > 0; i--) {
		j = hash_mix(o->to_seed ^ hash_mix(i)) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}

	for (i = 0; i < n; i++)
		if ((double)test + (double)rows[order[i]] / 2 < target) {
			side[order[i]] = 1;
			test += rows[order[i]];
			ntest++;
			last = order[i];
		}
	if (ntest == 0)
		side[order[0]] = 1;
	else if (ntest == n)
		side[last] = 0;

	for (i = 0; i < ds->ds_nrows; i++)
		ds->ds_test[i] = side[ds->ds_group[i]];
	free(rows);
	free(order);
	free(side);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Training rows per label; with nothing held out, every row trains. */
static size_t *
label_counts(const struct dataset *ds)
{
	size_t	*count, i;

	count = xcalloc(ds->ds_labels.st_n, sizeof(*count));
	for (i = 0; i < ds->ds_nrows; i++)
		if (!ds->ds_test[i])
			count[ds->ds_label[i]]++;
	return count;
}

void
split_classes(const struct dataset *ds, const struct train_opts *o,
    struct classes *cl)
{
	size_t	 nl = ds->ds_labels.st_n, *count, i, j;
	char	**names, **hit;
	bool	 other = false;

	memset(cl, 0, sizeof(*cl));
	count = label_counts(ds);
	names = xcalloc(nl + 1, sizeof(*names));
	for (i = 0, j = 0; i < nl; i++) {
		if (count[i] >= o->to_min_class && count[i] > 0 &&
		    strcmp(ds->ds_labels.st_str[i], TRAIN_OTHER) != 0) {
			names[j++] = ds->ds_labels.st_str[i];
			continue;
		}
		other = true;
		if (strcmp(ds->ds_labels.st_str[i], TRAIN_OTHER) != 0)
			cl->cl_nother++;
	}
	if (other)
		names[j++] = TRAIN_OTHER;
	qsort(names, j, sizeof(*names), name_cmp);

	if (j < 2)
		errx(1, "only %zu class(es) to learn; need at least two", j);
	if (j > MODEL_MAX_CLASSES)
		errx(1, "%zu classes; at most %d fit a model (raise "
		    "--min-class)", j, MODEL_MAX_CLASSES);

	cl->cl_n = j;
	cl->cl_names = xcalloc(j, sizeof(*cl->cl_names));
	for (i = 0; i < j; i++)
		cl->cl_names[i] = xstrdup(names[i]);

	/* a label keeps its own class, or falls into Other */
	cl->cl_of_label = xcalloc(nl, sizeof(*cl->cl_of_label));
	cl->cl_train = xcalloc(j, sizeof(*cl->cl_train));
	for (i = 0; i < nl; i++) {
		hit = bsearch(&ds->ds_labels.st_str[i], cl->cl_names, j,
		    sizeof(*cl->cl_names), name_cmp);
		if (hit == NULL || count[i] < o->to_min_class || count[i] == 0)
			hit = bsearch(&(const char *){ TRAIN_OTHER },
			    cl->cl_names, j, sizeof(*cl->cl_names), name_cmp);
		cl->cl_of_label[i] = (uint16_t)(hit - cl->cl_names);
		cl->cl_train[cl->cl_of_label[i]] += count[i];
	}
	free(names);
	free(count);
}

void
classes_free(struct classes *cl)
{
	size_t	i;

	for (i = 0; i < cl->cl_n; i++)
		free(cl->cl_names[i]);
	free(cl->cl_names);
	free(cl->cl_of_label);
	free(cl->cl_train);
	memset(cl, 0, sizeof(*cl));
}

/*
 * Reorder rows, keeping their order within each part, so that training
 * rows come first and held-out rows follow: each part, and the whole for
 * --final, is then one contiguous matrix.  Returns the training row count.
 */
size_t
split_partition(struct dataset *ds)
{
	size_t		 nc = ds->ds_ncols, n = ds->ds_nrows;
	size_t		 ntrain = 0, nt = 0, i, rowsz = nc * sizeof(float);
	float		*tx;
	uint32_t	*tl, *tk, *tg;

	for (i = 0; i < n; i++)
		nt += ds->ds_test[i];
	tx = xcalloc(nt ? nt : 1, rowsz);
	tl = xcalloc(nt ? nt : 1, sizeof(*tl));
	tk = xcalloc(nt ? nt : 1, sizeof(*tk));
	tg = xcalloc(nt ? nt : 1, sizeof(*tg));

	for (i = 0, nt = 0; i < n; i++) {
		if (ds->ds_test[i]) {
			memcpy(tx + nt * nc, ds->ds_x + i * nc, rowsz);
			tl[nt] = ds->ds_label[i];
			tg[nt] = ds->ds_group[i];
			tk[nt++] = ds->ds_portkey[i];
			continue;
		}
		if (ntrain != i) {
			memmove(ds->ds_x + ntrain * nc, ds->ds_x + i * nc,
			    rowsz);
			ds->ds_label[ntrain] = ds->ds_label[i];
			ds->ds_portkey[ntrain] = ds->ds_portkey[i];
			ds->ds_group[ntrain] = ds->ds_group[i];
		}
		ntrain++;
	}

	memcpy(ds->ds_x + ntrain * nc, tx, nt * rowsz);
	memcpy(ds->ds_label + ntrain, tl, nt * sizeof(*tl));
	memcpy(ds->ds_portkey + ntrain, tk, nt * sizeof(*tk));
	memcpy(ds->ds_group + ntrain, tg, nt * sizeof(*tg));
	memset(ds->ds_test, 0, ntrain);
	memset(ds->ds_test + ntrain, 1, nt);
	free(tx);
	free(tl);
	free(tk);
	free(tg);
	return ntrain;
}
