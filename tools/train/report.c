/* SPDX-License-Identifier: ISC */
/*
 * The training report: Markdown, plus the confusion matrix as an SVG heat
 * map beside it (NAME.md -> NAME-confusion.svg).  Nothing in either file
 * depends on the clock or the machine, so the same run writes the same
 * bytes.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"

#define SVG_FONT	11	/* px; labels are about 0.6 em per byte */
#define TOP_FEATURES	20

static const char *
split_name(const struct train_opts *o, const struct dataset *ds)
{
	switch (o->to_split) {
	case SPLIT_FLOWID:
		return "by Flow.ID (rows of one Flow.ID stay together)";
	case SPLIT_CAPTURE:
		return ds->ds_groups.st_n > (size_t)o->to_ninputs ?
		    "by capture column (rows of one capture stay together)" :
		    "by input file (rows of one file stay together)";
	default:
		return "random rows";
	}
}

/* Print s for Markdown or SVG text: escape what would change meaning. */
static void
put_text(FILE *fp, const char *s, bool xml)
{
	for (; *s != '\0'; s++) {
		if (xml && *s == '&')
			fputs("&amp;", fp);
		else if (xml && *s == '<')
			fputs("&lt;", fp);
		else if (xml && *s == '>')
			fputs("&gt;", fp);
		else if (!xml && (*s == '|' || *s == '*' || *s == '_' ||
		    *s == '`' || *s == '\\'))
			fprintf(fp, "\\%c", *s);
		else
			fputc(*s, fp);
	}
}

/* Share of the row's flows, mapped from white to dark blue. */
static void
svg_cell(FILE *fp, size_t x, size_t y, size_t cs, size_t n, size_t row,
    bool label)
{
	double	f = row ? (double)n / (double)row : 0;
	int	r = (int)(247 - f * (247 - 8));
	int	g = (int)(251 - f * (251 - 48));
	int	b = (int)(255 - f * (255 - 107));

	fprintf(fp, "<rect x=\"%zu\" y=\"%zu\" width=\"%zu\" height=\"%zu\" "
	    "fill=\"#%02x%02x%02x\" stroke=\"#ddd\"/>\n", x, y, cs, cs, r, g,
	    b);
	if (label && n > 0)
		fprintf(fp, "<text x=\"%zu\" y=\"%zu\" font-size=\"%d\" "
		    "text-anchor=\"middle\" fill=\"%s\">%zu</text>\n",
		    x + cs / 2, y + cs / 2 + 4, SVG_FONT - 2,
		    f > 0.5 ? "#fff" : "#000", n);
}

static void
svg_write(const char *path, const struct classes *cl, const struct scores *sc)
{
	FILE	*fp;
	size_t	 k = cl->cl_n, i, j, cs, margin = 0, len, w;

	for (i = 0; i < k; i++)
		if ((len = strlen(cl->cl_names[i])) > margin)
			margin = len;
	margin = margin * SVG_FONT * 6 / 10 + 16;
	cs = k <= 25 ? 34 : 16;
	w = margin + k * cs + 20;

	if ((fp = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%zu\" height=\"%zu\" font-family=\"sans-serif\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
	    "<text x=\"%zu\" y=\"14\" font-size=\"12\">predicted class "
	    "&#8594;</text>\n<text x=\"4\" y=\"%zu\" font-size=\"12\">true "
	    "&#8595;</text>\n", w, w + 20, margin, margin - 4);

	for (i = 0; i < k; i++) {
		fprintf(fp, "<text x=\"%zu\" y=\"%zu\" font-size=\"%d\" "
		    "text-anchor=\"end\">", margin - 4,
		    margin + 20 + i * cs + cs / 2 + 4, SVG_FONT);
		put_text(fp, cl->cl_names[i], true);
		fprintf(fp, "</text>\n<text transform=\"translate(%zu,%zu) "
		    "rotate(-90)\" font-size=\"%d\">", margin + i * cs + cs / 2
		    + 4, margin + 16, SVG_FONT);
		put_text(fp, cl->cl_names[i], true);
		fputs("</text>\n", fp);
	}
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			svg_cell(fp, margin + j * cs, margin + 20 + i * cs,
			    cs, sc->sc_conf[i * k + j], sc->sc_support[i],
			    k <= 25);
	fputs("</svg>\n", fp);
	if (fflush(fp) == EOF || ferror(fp) || fclose(fp) == EOF)
		err(1, "%s", path);
}

/* The lookups the model adds to the data's columns, if any. */
static void
report_lookups(FILE *fp, const struct report *re)
{
	const struct train_opts	*o = re->re_opts;
	size_t			 l;

	if (re->re_lu->lu_n == 0)
		return;
	fprintf(fp, "- Lookup features: %zu (a share per class and a flow "
	    "count for each lookup key, prior weight %g flows, training "
	    "rows' own from the other %d folds):", re->re_lu->lu_ncols -
	    re->re_ds->ds_ncols, o->to_lookup_alpha, o->to_lookup_folds - 1);
	for (l = 0; l < re->re_lu->lu_n; l++)
		fprintf(fp, "%s `%s` (%zu keys)", l ? "," : "",
		    re->re_lu->lu_tab[l].lk_name,
		    re->re_lu->lu_tab[l].lk_nentries);
	fputc('\n', fp);
}

static void
report_data(FILE *fp, const struct report *re)
{
	const struct train_opts	*o = re->re_opts;
	const struct dataset	*ds = re->re_ds;
	int			 i;

	fputs("## Data\n\n- Inputs:", fp);
	for (i = 0; i < o->to_ninputs; i++)
		fprintf(fp, " `%s`", o->to_inputs[i]);
	fprintf(fp, "\n- Rows read: %llu; kept: %zu\n",
	    (unsigned long long)ds->ds_read, ds->ds_nrows);
	fprintf(fp, "- Dropped as Unknown or unlabelled: %llu (%s)\n",
	    (unsigned long long)ds->ds_dropunknown, o->to_drop_unknown ?
	    "--drop-unknown" : "kept as class Unknown");
	fprintf(fp, "- Dropped as guesses: %llu (%s)\n",
	    (unsigned long long)ds->ds_dropguess, !o->to_drop_guess ?
	    "kept" : ds->ds_haveguess ? "--drop-guess" :
	    "--drop-guess, but no confidence or guessed column");
	fprintf(fp, "- Missing feature cells (empty, NaN): %llu; "
	    "infinite cells (Infinity, -Infinity), also treated as "
	    "missing: %llu\n", (unsigned long long)ds->ds_missing,
	    (unsigned long long)ds->ds_infinite);
	fprintf(fp, "- Features: %zu (ports %s%s); profile `%s`\n",
	    ds->ds_ncols, o->to_ports ? "included" : "excluded",
	    o->to_cic_only ? ", CICFlowMeter columns only" : "",
	    o->to_profile);
	report_lookups(fp, re);
	fprintf(fp, "- Classes: %zu; %zu label(s) with fewer than %zu "
	    "training rows folded into %s\n\n", re->re_cl->cl_n,
	    re->re_cl->cl_nother, o->to_min_class, TRAIN_OTHER);
}

static void
report_split(FILE *fp, const struct report *re)
{
	const struct train_opts	*o = re->re_opts;
	size_t			 n = re->re_ntrain + re->re_ntest;

	fprintf(fp, "## Split and model\n\n- Split: %s, seed %llu; held-out "
	    "fraction asked %.3f, got %.3f\n", split_name(o, re->re_ds),
	    (unsigned long long)o->to_seed, o->to_holdout,
	    n ? (double)re->re_ntest / (double)n : 0.0);
	fprintf(fp, "- Training rows: %zu; held-out rows: %zu\n",
	    re->re_ntrain, re->re_ntest);
	fprintf(fp, "- XGBoost multi:softprob, tree method hist, %d rounds, "
	    "max depth %d, eta %g, %d thread(s): %zu trees shipped\n",
	    o->to_rounds, o->to_depth, o->to_eta, o->to_threads,
	    re->re_ntrees);
	if (o->to_balance > 0)
		fprintf(fp, "- Class weights: each row weighs (rows / "
		    "(classes x rows of its class))^%g\n", o->to_balance);
	fputc('\n', fp);
}

static void
score_row(FILE *fp, const char *name, const struct scores *sc)
{
	fputs("| ", fp);
	put_text(fp, name, false);
	fprintf(fp, " | %.4f | %.4f | %.4f |\n", sc->sc_accuracy,
	    sc->sc_macro_f1, sc->sc_weighted_f1);
}

static void
report_scores(FILE *fp, const struct report *re)
{
	const struct classes	*cl = re->re_cl;
	const struct scores	*sc = re->re_model;
	char			 name[160];
	size_t			 c, top;

	fputs("## Held-out results\n\n| Classifier | Accuracy | Macro-F1 | "
	    "Weighted-F1 |\n|---|---:|---:|---:|\n", fp);
	score_row(fp, "XGBoost model", sc);
	for (c = 1, top = 0; c < cl->cl_n; c++)
		if (cl->cl_train[c] > cl->cl_train[top])
			top = c;
	snprintf(name, sizeof(name), "Baseline: majority class (%s)",
	    cl->cl_names[top]);
	score_row(fp, name, re->re_major);
	if (re->re_port != NULL)
		score_row(fp, "Baseline: protocol + server port", re->re_port);
	fputs("\nThe majority baseline predicts the most frequent training "
	    "class for every row.  The port baseline predicts the most "
	    "frequent training class of the row's (Protocol, server port) "
	    "pair, where the server port is the port below 1024 when exactly "
	    "one of Source.Port and Destination.Port is, and otherwise the "
	    "lower of the two", fp);
	if (re->re_port != NULL)
		fprintf(fp, "; %zu held-out rows had a pair never seen in "
		    "training and got the majority class.\n",
		    re->re_portfallback);
	else
		fputs("; not computed: the input has no port columns.\n", fp);
	fputs("Macro-F1 averages the classes that occur in the held-out rows "
	    "or are predicted there.\n\n", fp);

	fputs("### Per class (model)\n\n| Class | Precision | Recall | F1 | "
	    "Support | Training rows |\n|---|---:|---:|---:|---:|---:|\n", fp);
	for (c = 0; c < cl->cl_n; c++) {
		fputs("| ", fp);
		put_text(fp, cl->cl_names[c], false);
		fprintf(fp, " | %.4f | %.4f | %.4f | %zu | %zu |\n",
		    sc->sc_prec[c], sc->sc_rec[c], sc->sc_f1[c],
		    sc->sc_support[c], cl->cl_train[c]);
	}
}

static void
report_features(FILE *fp, const struct report *re)
{
	const struct importance	*imp;
	double			 total = 0;
	size_t			 i, n;

	n = re->re_nimp < TOP_FEATURES ? re->re_nimp : TOP_FEATURES;
	for (i = 0; i < re->re_nimp; i++)
		total += re->re_imp[i].im_gain;
	fprintf(fp, "## Top %zu features (total gain, shipped model)\n\n"
	    "| # | Feature | Total gain | Share | Splits |\n"
	    "|---:|---|---:|---:|---:|\n", n);
	for (i = 0; i < n; i++) {
		fprintf(fp, "| %zu | ", i + 1);
		imp = &re->re_imp[i];
		put_text(fp, re->re_lu->lu_names[imp->im_feat], false);
		fprintf(fp, " | %.6g | %.2f%% | %zu |\n", imp->im_gain,
		    total > 0 ? 100 * imp->im_gain / total : 0.0,
		    imp->im_splits);
	}
	fputc('\n', fp);
}

/* Length of a report path without its ".md". */
static size_t
stem_len(const char *report)
{
	size_t	len = strlen(report);

	if (len > 3 && strcmp(report + len - 3, ".md") == 0)
		len -= 3;
	return len;
}

/* NAME.md -> NAME-confusion.svg, in the same directory. */
static char *
svg_path(const char *report)
{
	char	*p;

	if (asprintf(&p, "%.*s-confusion.svg", (int)stem_len(report),
	    report) == -1)
		err(1, "asprintf");
	return p;
}

void
report_write(const char *path, const struct report *re)
{
	FILE		*fp;
	char		*svg;
	const char	*slash, *base;

	if ((fp = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	fputs("# flowid-train report\n\n", fp);
	report_data(fp, re);
	report_split(fp, re);

	if (re->re_model != NULL) {
		svg = svg_path(path);
		svg_write(svg, re->re_cl, re->re_model);
		report_scores(fp, re);
		slash = strrchr(path, '/');
		base = slash != NULL ? slash + 1 : path;
		fprintf(fp, "\n### Confusion matrix\n\n![confusion matrix]"
		    "(%.*s-confusion.svg)\n\nRows are the true class, columns "
		    "the predicted one; a cell's colour is its share of the "
		    "row.\n\n", (int)stem_len(base), base);
		free(svg);
	} else
		fputs("No rows were held out (--holdout 0): nothing was "
		    "evaluated.\n\n", fp);

	report_features(fp, re);
	fputs("## Shipped model\n\n", fp);
	if (re->re_opts->to_final && re->re_model != NULL)
		fprintf(fp, "Retrained on all %zu rows (--final) with the "
		    "same parameters and classes.  The held-out numbers "
		    "above are those of the model trained on the %zu "
		    "training rows only.\n", re->re_ntrain + re->re_ntest,
		    re->re_ntrain);
	else
		fprintf(fp, "The model evaluated above, trained on %zu "
		    "rows.\n", re->re_ntrain);

	if (fflush(fp) == EOF || ferror(fp) || fclose(fp) == EOF)
		err(1, "%s", path);
}
