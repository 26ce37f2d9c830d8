/* SPDX-License-Identifier: ISC */
/*
 * Write the NAME.model sidecar that lib/model.c reads (the format is
 * described at the top of that file).  Trees are renumbered breadth-first
 * from the root, which drops nodes XGBoost's pruner left unreachable and
 * guarantees every child a larger index than its parent.
 */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"

/* Write to a temporary name, then rename: no half-written model. */
static FILE *
out_open(const char *path, char **tmp)
{
	FILE	*fp;

	if (asprintf(tmp, "%s.tmp", path) == -1)
		err(1, "asprintf");
	if ((fp = fopen(*tmp, "w")) == NULL)
		err(1, "%s", *tmp);
	return fp;
}

static void
out_close(FILE *fp, const char *path, char *tmp)
{
	if (fflush(fp) == EOF || ferror(fp))
		err(1, "%s", tmp);
	if (fclose(fp) == EOF)
		err(1, "%s", tmp);
	if (rename(tmp, path) == -1)
		err(1, "rename %s", tmp);
	free(tmp);
}

void
write_file(const char *path, const void *buf, size_t len)
{
	FILE	*fp;
	char	*tmp;

	fp = out_open(path, &tmp);
	if (len > 0 && fwrite(buf, len, 1, fp) != 1)
		err(1, "%s", tmp);
	out_close(fp, path, tmp);
}

/* A name must stay on its line. */
static const char *
one_line(const char *what, const char *s)
{
	if (strpbrk(s, "\r\n") != NULL || *s == '\0')
		errx(1, "%s name '%s' is empty or holds a line break", what,
		    s);
	return s;
}

/* Queue child c of a breadth-first walk; its new number is its place. */
static void
tree_push(const struct ftree *t, size_t *order, size_t *newid, size_t *tail,
    int32_t c)
{
	if (*tail == t->ft_n || newid[c] != SIZE_MAX)
		errx(1, "model JSON: tree nodes shared or cyclic");
	newid[c] = *tail;
	order[(*tail)++] = (size_t)c;
}

static void
tree_write(FILE *fp, const struct ftree *t, size_t *order, size_t *newid)
{
	size_t	head = 0, tail = 0, i;
	int32_t	k;

	for (i = 0; i < t->ft_n; i++)
		newid[i] = SIZE_MAX;
	tree_push(t, order, newid, &tail, 0);
	while (head < tail) {
		k = (int32_t)order[head++];
		if (t->ft_left[k] == -1)
			continue;
		tree_push(t, order, newid, &tail, t->ft_left[k]);
		tree_push(t, order, newid, &tail, t->ft_right[k]);
	}

	fprintf(fp, "tree %u %zu\n", (unsigned)t->ft_class, tail);
	for (i = 0; i < tail; i++) {
		k = (int32_t)order[i];
		if (t->ft_left[k] == -1)
			fprintf(fp, "n -1 0 -1 -1 0 %.9g\n",
			    (double)t->ft_cond[k]);
		else
			fprintf(fp, "n %d %.9g %zu %zu %d 0\n",
			    (int)t->ft_feat[k], (double)t->ft_cond[k],
			    newid[t->ft_left[k]], newid[t->ft_right[k]],
			    (int)t->ft_dleft[k]);
	}
}

void
sidecar_write(const char *path, const struct train_opts *o,
    const struct dataset *ds, const struct classes *cl,
    const struct lookups *lu, const struct forest *f,
    const struct summary *su)
{
	FILE	*fp;
	char	*tmp;
	size_t	 i, maxn = 1, *order, *newid;

	if (f->fo_nfeat != lu->lu_ncols || f->fo_nclass != cl->cl_n)
		errx(1, "model JSON: %zu features and %zu classes, expected "
		    "%zu and %zu", f->fo_nfeat, f->fo_nclass, lu->lu_ncols,
		    cl->cl_n);
	for (i = 0; i < f->fo_ntrees; i++)
		if (f->fo_trees[i].ft_n > maxn)
			maxn = f->fo_trees[i].ft_n;
	order = xcalloc(maxn, sizeof(*order));
	newid = xcalloc(maxn, sizeof(*newid));

	fp = out_open(path, &tmp);
	fprintf(fp, "flowid-model 2\nprofile %s\nfeatures %zu\n",
	    o->to_profile, ds->ds_ncols);
	for (i = 0; i < ds->ds_ncols; i++)
		fprintf(fp, "feature %s\n", one_line("feature",
		    ds->ds_names[i]));
	fprintf(fp, "classes %zu\n", cl->cl_n);
	for (i = 0; i < cl->cl_n; i++)
		fprintf(fp, "class %s\n", one_line("class", cl->cl_names[i]));
	lookups_write(fp, lu);
	for (i = 0; i < su->su_n; i++)
		fprintf(fp, "summary %s\n", su->su_text[i]);
	fprintf(fp, "base_score %.9g\ntrees %zu\n", (double)f->fo_base,
	    f->fo_ntrees);
	for (i = 0; i < f->fo_ntrees; i++)
		tree_write(fp, &f->fo_trees[i], order, newid);
	fprintf(fp, "end\n");

	out_close(fp, path, tmp);
	free(order);
	free(newid);
}
