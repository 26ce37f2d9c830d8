/* SPDX-License-Identifier: ISC */
/*
 * flowid-train: train the flow classifier that flowidd loads.  Reads
 * labelled flow CSVs, holds part of them out, trains XGBoost, scores it
 * against two baselines, and writes NAME.json (XGBoost's own model),
 * NAME.model (the sidecar lib/model.c reads) and an optional report.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xgboost/c_api.h>

#include "train.h"

enum {
	OPT_REPORT = 256, OPT_MIN_CLASS, OPT_DROP_UNKNOWN, OPT_DROP_GUESS,
	OPT_ROUNDS, OPT_DEPTH, OPT_ETA, OPT_THREADS, OPT_SEED, OPT_SPLIT,
	OPT_HOLDOUT, OPT_PORTS, OPT_PROFILE, OPT_FINAL, OPT_VERIFY,
	OPT_CIC_ONLY, OPT_PREDICT, OPT_BALANCE, OPT_LOOKUP, OPT_LOOKUP_ALPHA,
	OPT_LOOKUP_FOLDS
};

static const struct option longopts[] = {
	{ "output",	  required_argument, NULL, 'o' },
	{ "report",	  required_argument, NULL, OPT_REPORT },
	{ "min-class",	  required_argument, NULL, OPT_MIN_CLASS },
	{ "drop-unknown", no_argument,	     NULL, OPT_DROP_UNKNOWN },
	{ "drop-guess",	  no_argument,	     NULL, OPT_DROP_GUESS },
	{ "rounds",	  required_argument, NULL, OPT_ROUNDS },
	{ "depth",	  required_argument, NULL, OPT_DEPTH },
	{ "eta",	  required_argument, NULL, OPT_ETA },
	{ "balance",	  required_argument, NULL, OPT_BALANCE },
	{ "threads",	  required_argument, NULL, OPT_THREADS },
	{ "seed",	  required_argument, NULL, OPT_SEED },
	{ "split",	  required_argument, NULL, OPT_SPLIT },
	{ "holdout",	  required_argument, NULL, OPT_HOLDOUT },
	{ "ports",	  no_argument,	     NULL, OPT_PORTS },
	{ "cic-only",	  no_argument,	     NULL, OPT_CIC_ONLY },
	{ "predict",	  required_argument, NULL, OPT_PREDICT },
	{ "profile",	  required_argument, NULL, OPT_PROFILE },
	{ "final",	  no_argument,	     NULL, OPT_FINAL },
	{ "verify",	  no_argument,	     NULL, OPT_VERIFY },
	{ "lookup",	  required_argument, NULL, OPT_LOOKUP },
	{ "lookup-alpha", required_argument, NULL, OPT_LOOKUP_ALPHA },
	{ "lookup-folds", required_argument, NULL, OPT_LOOKUP_FOLDS },
	{ "help",	  no_argument,	     NULL, 'h' },
	{ NULL,		  0,		     NULL, 0 }
};

static const char *profiles[] = { "flowidd", "cicflowmeter", "unicauca" };

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: flowid-train -o MODEL [options] FILE.csv ...\n"
"       flowid-train --predict MODEL.model FILE.csv ...\n"
"  -o, --output MODEL    write MODEL.json and MODEL.model\n"
"      --report FILE.md  Markdown report (+ FILE-confusion.svg)\n"
"      --split KIND      random, flowid or capture (default random)\n"
"      --holdout F       held-out fraction, 0 <= F < 1 (default 0.2)\n"
"      --seed N          seed of the split and of XGBoost (default 1)\n"
"      --min-class N     labels with fewer training rows become Other\n"
"                        (default 1)\n"
"      --drop-unknown    drop rows labelled Unknown or unlabelled\n"
"      --drop-guess      drop rows whose confidence says nDPI guessed\n"
"      --ports           use Source.Port and Destination.Port as features\n"
"      --cic-only        only the CICFlowMeter columns: none after\n"
"                        ProtocolName\n"
"      --profile NAME    flowidd, cicflowmeter or unicauca (default\n"
"                        flowidd): the feature rules the model expects\n"
"      --rounds N        boosting rounds (default 100)\n"
"      --depth N         maximum tree depth (default 6)\n"
"      --eta F           learning rate (default 0.3)\n"
"      --balance P       weigh rows by (rows / (classes x rows of the\n"
"                        class))^P, 0 <= P <= 1 (default 0: none)\n"
"      --lookup COLS     add lookup features keyed by the columns COLS\n"
"                        (comma-separated, e.g. Protocol,Server.Port):\n"
"                        each class's share of the training flows with\n"
"                        the row's key, and their count; repeatable\n"
"      --lookup-alpha F  weight of the overall class shares in them, in\n"
"                        flows, 1e-6 to 1e6 (default 1)\n"
"      --lookup-folds N  training rows see the counts of the other\n"
"                        N - 1 folds, not their own (default 5)\n"
"      --threads N       XGBoost threads (default: online CPUs)\n"
"      --final           after the evaluation, retrain on every row\n"
"      --verify          check lib/model.c against libxgboost, all rows\n"
"      --predict MODEL   print the class and probability lib/model.c\n"
"                        gives each row, train nothing\n"
"  -h, --help            this text\n");
	exit(status);
}

static long long
num_arg(const char *opt, const char *s, long long lo, long long hi)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		errx(1, "--%s %s: want an integer in [%lld, %lld]", opt, s, lo,
		    hi);
	return v;
}

static double
real_arg(const char *opt, const char *s, double lo, double hi, bool openlo)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < lo || v >= hi || (openlo && v <= lo))
		errx(1, "--%s %s: want a number in %c%g, %g)", opt, s,
		    openlo ? '(' : '[', lo, hi);
	return v;
}

static enum split_kind
split_arg(const char *s)
{
	if (strcmp(s, "random") == 0)
		return SPLIT_RANDOM;
	if (strcmp(s, "flowid") == 0)
		return SPLIT_FLOWID;
	if (strcmp(s, "capture") == 0)
		return SPLIT_CAPTURE;
	errx(1, "--split %s: want random, flowid or capture", s);
}

static const char *
profile_arg(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(s, profiles[i]) == 0)
			return profiles[i];
	errx(1, "--profile %s: want flowidd, cicflowmeter or unicauca", s);
}

static void
opts_parse(struct train_opts *o, int argc, char **argv)
{
	const char	*predict = NULL;
	bool		 lookup_tuned = false;
	int		 ch;
	long		 ncpu;

	memset(o, 0, sizeof(*o));
	o->to_profile = profiles[0];
	o->to_min_class = 1;
	o->to_rounds = 100;
	o->to_depth = 6;
	o->to_eta = 0.3;
	o->to_holdout = 0.2;
	o->to_seed = 1;
	o->to_lookup_alpha = 1;
	o->to_lookup_folds = 5;

	while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':		o->to_out = optarg; break;
		case OPT_REPORT:	o->to_report = optarg; break;
		case OPT_MIN_CLASS:
			o->to_min_class = (size_t)num_arg("min-class", optarg,
			    0, 1LL << 40);
			break;
		case OPT_DROP_UNKNOWN:	o->to_drop_unknown = true; break;
		case OPT_DROP_GUESS:	o->to_drop_guess = true; break;
		case OPT_ROUNDS:
			o->to_rounds = (int)num_arg("rounds", optarg, 1,
			    100000);
			break;
		case OPT_DEPTH:
			o->to_depth = (int)num_arg("depth", optarg, 1, 20);
			break;
		case OPT_ETA:
			o->to_eta = real_arg("eta", optarg, 0, 1.0000001,
			    true);
			break;
		case OPT_BALANCE:
			o->to_balance = real_arg("balance", optarg, 0,
			    1.0000001, false);
			break;
		case OPT_THREADS:
			o->to_threads = (int)num_arg("threads", optarg, 1,
			    1024);
			break;
		case OPT_SEED:
			o->to_seed = (uint64_t)num_arg("seed", optarg, 0,
			    2147483647);
			break;
		case OPT_SPLIT:		o->to_split = split_arg(optarg); break;
		case OPT_HOLDOUT:
			o->to_holdout = real_arg("holdout", optarg, 0, 1,
			    false);
			break;
		case OPT_PORTS:		o->to_ports = true; break;
		case OPT_CIC_ONLY:	o->to_cic_only = true; break;
		case OPT_PREDICT:	predict = optarg; break;
		case OPT_PROFILE:
			o->to_profile = profile_arg(optarg);
			break;
		case OPT_FINAL:		o->to_final = true; break;
		case OPT_VERIFY:	o->to_verify = true; break;
		case OPT_LOOKUP:
			if (o->to_nlookups == LOOKUP_MAX_COUNT)
				errx(1, "--lookup: at most %d",
				    LOOKUP_MAX_COUNT);
			o->to_lookups[o->to_nlookups++] = optarg;
			break;
		case OPT_LOOKUP_ALPHA:
			o->to_lookup_alpha = real_arg("lookup-alpha", optarg,
			    1e-6, 1e6, false);
			lookup_tuned = true;
			break;
		case OPT_LOOKUP_FOLDS:
			o->to_lookup_folds = (int)num_arg("lookup-folds",
			    optarg, 2, 100);
			lookup_tuned = true;
			break;
		case 'h':		usage(stdout, 0); break;
		default:		usage(stderr, 1); break;
		}
	}
	o->to_inputs = argv + optind;
	o->to_ninputs = argc - optind;
	if (o->to_ninputs == 0)
		usage(stderr, 1);
	if (predict != NULL)
		exit(predict_main(predict, o->to_inputs, o->to_ninputs));
	if (o->to_out == NULL)
		usage(stderr, 1);
	if (o->to_nlookups == 0 && lookup_tuned)
		errx(1, "--lookup-alpha and --lookup-folds need --lookup");

	/* a fixed default, not XGBoost's "all": the count shapes the trees */
	if (o->to_threads == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		o->to_threads = ncpu > 0 && ncpu < 1024 ? (int)ncpu : 1;
	}
	o->to_progress = isatty(STDERR_FILENO);
}

/* MODEL, MODEL.model or MODEL.json all name the pair MODEL.{json,model}. */
static char *
out_path(const char *out, const char *ext)
{
	size_t	len = strlen(out);
	char	*p;

	if (len > 6 && strcmp(out + len - 6, ".model") == 0)
		len -= 6;
	else if (len > 5 && strcmp(out + len - 5, ".json") == 0)
		len -= 5;
	if (asprintf(&p, "%.*s%s", (int)len, out, ext) == -1)
		err(1, "asprintf");
	return p;
}

static void
summary_add(struct summary *su, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
summary_add(struct summary *su, const char *fmt, ...)
{
	va_list	ap;
	char	*s;

	if (su->su_n == sizeof(su->su_text) / sizeof(su->su_text[0]))
		errx(1, "too many summary lines");
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		err(1, "vasprintf");
	va_end(ap);
	su->su_text[su->su_n++] = s;
}

/* Everything one run computes, so the steps can be small functions. */
struct run {
	struct train_opts	 r_o;
	struct dataset		 r_ds;
	struct classes		 r_cl;
	uint16_t		*r_y;		/* class of every row */
	size_t			 r_ntrain;
	size_t			 r_ntest;
	struct scores		 r_model;
	struct scores		 r_major;
	struct scores		 r_port;
	size_t			 r_portfallback;
	bool			 r_scored;
	struct booster		*r_bst;
	struct forest		 r_forest;
	struct summary		 r_su;
	struct lookups		 r_lu;
};

/* The matrix XGBoost sees: the data, then lookup features if any. */
static const float *
run_x(const struct run *r)
{
	return r->r_lu.lu_n > 0 ? r->r_lu.lu_x : r->r_ds.ds_x;
}

static void
run_prepare(struct run *r)
{
	size_t	i;

	dataset_load(&r->r_ds, &r->r_o);
	split_groups(&r->r_ds, &r->r_o);
	split_classes(&r->r_ds, &r->r_o, &r->r_cl);
	r->r_ntrain = split_partition(&r->r_ds);
	r->r_ntest = r->r_ds.ds_nrows - r->r_ntrain;
	if (r->r_ntrain == 0)
		errx(1, "the split left no training rows");
	if (r->r_o.to_holdout > 0 && r->r_ntest == 0)
		errx(1, "the split left no held-out rows (too few rows or "
		    "groups for --holdout %g)", r->r_o.to_holdout);

	r->r_y = xcalloc(r->r_ds.ds_nrows, sizeof(*r->r_y));
	for (i = 0; i < r->r_ds.ds_nrows; i++)
		r->r_y[i] = r->r_cl.cl_of_label[r->r_ds.ds_label[i]];
}

/* Score the split model and both baselines on the held-out rows. */
static void
run_evaluate(struct run *r)
{
	const struct dataset	*ds = &r->r_ds;
	const uint16_t		*truth = r->r_y + r->r_ntrain;
	float			*prob;
	uint16_t		*pred;
	size_t			 k = r->r_cl.cl_n;

	prob = booster_predict(r->r_bst, run_x(r) + r->r_ntrain *
	    r->r_lu.lu_ncols, r->r_ntest, r->r_lu.lu_ncols,
	    r->r_o.to_threads);
	pred = argmax_rows(prob, r->r_ntest, k);
	scores_compute(&r->r_model, k, truth, pred, r->r_ntest);
	free(prob);
	free(pred);

	pred = baseline_majority(&r->r_cl, r->r_ntest);
	scores_compute(&r->r_major, k, truth, pred, r->r_ntest);
	free(pred);

	if (ds->ds_haveports) {
		pred = baseline_port(ds, r->r_y, r->r_ntrain, &r->r_cl,
		    &r->r_portfallback);
		scores_compute(&r->r_port, k, truth, pred, r->r_ntest);
		free(pred);
	}
	r->r_scored = true;
}

static void
run_summary(struct run *r)
{
	const struct train_opts	*o = &r->r_o;
	static const char	*split[] = { "random", "flowid", "capture" };
	int			 major, minor, patch;

	XGBoostVersion(&major, &minor, &patch);
	summary_add(&r->r_su, "trainer flowid-train, libxgboost %d.%d.%d "
	    "multi:softprob hist", major, minor, patch);
	summary_add(&r->r_su, "params rounds %d depth %d eta %g threads %d "
	    "seed %llu", o->to_rounds, o->to_depth, o->to_eta,
	    o->to_threads, (unsigned long long)o->to_seed);
	if (o->to_balance > 0)
		summary_add(&r->r_su, "params balance %g", o->to_balance);
	if (o->to_nlookups > 0)
		summary_add(&r->r_su, "params lookups %d alpha %g folds %d",
		    o->to_nlookups, o->to_lookup_alpha, o->to_lookup_folds);
	summary_add(&r->r_su, "split %s holdout %g train_rows %zu "
	    "test_rows %zu", split[o->to_split], o->to_holdout, r->r_ntrain,
	    r->r_ntest);
	summary_add(&r->r_su, "data rows_read %llu min_class %zu "
	    "drop_unknown %d drop_guess %d ports %d",
	    (unsigned long long)r->r_ds.ds_read, o->to_min_class,
	    o->to_drop_unknown, o->to_drop_guess, o->to_ports);
	if (r->r_scored)
		summary_add(&r->r_su, "heldout accuracy %.6f macro_f1 %.6f "
		    "weighted_f1 %.6f", r->r_model.sc_accuracy,
		    r->r_model.sc_macro_f1, r->r_model.sc_weighted_f1);
	summary_add(&r->r_su, "shipped %s", o->to_final && r->r_scored ?
	    "retrained on all rows (--final)" : "the evaluated model");
}

/* Save NAME.json as XGBoost wrote it, and the sidecar derived from it. */
static void
run_save(struct run *r, const char *json_path, const char *model_path)
{
	const char	*json;
	size_t		 len;
	char		 errbuf[256];

	json = booster_json(r->r_bst, &len);
	write_file(json_path, json, len);
	if (forest_parse(json, len, &r->r_forest, errbuf,
	    sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	run_summary(r);
	sidecar_write(model_path, &r->r_o, &r->r_ds, &r->r_cl, &r->r_lu,
	    &r->r_forest, &r->r_su);
}

static void
run_report(struct run *r)
{
	struct report		 re;
	struct importance	*imp;

	memset(&re, 0, sizeof(re));
	re.re_opts = &r->r_o;
	re.re_ds = &r->r_ds;
	re.re_cl = &r->r_cl;
	re.re_ntrain = r->r_ntrain;
	re.re_ntest = r->r_ntest;
	re.re_ntrees = r->r_forest.fo_ntrees;
	if (r->r_scored) {
		re.re_model = &r->r_model;
		re.re_major = &r->r_major;
		re.re_port = r->r_ds.ds_haveports ? &r->r_port : NULL;
		re.re_portfallback = r->r_portfallback;
	}
	re.re_lu = &r->r_lu;
	re.re_nimp = importance_compute(&r->r_forest, r->r_lu.lu_ncols,
	    &imp);
	re.re_imp = imp;
	report_write(r->r_o.to_report, &re);
	free(imp);
}

/*
 * lib/model.c gets the data's columns and computes the lookups itself;
 * libxgboost gets them from the shipped counts, as lib/model.c should.
 */
static int
run_verify(struct run *r, const char *model_path)
{
	float	*xall = NULL;
	int	 rc;

	if (r->r_lu.lu_n > 0)
		xall = lookups_matrix_full(&r->r_lu, &r->r_ds);
	rc = verify_model(model_path, r->r_bst, r->r_ds.ds_x,
	    r->r_ds.ds_ncols, xall ? xall : r->r_ds.ds_x, r->r_lu.lu_ncols,
	    r->r_ds.ds_nrows, r->r_o.to_threads);
	free(xall);
	return rc;
}

static void
run_free(struct run *r)
{
	size_t	i;

	booster_free(r->r_bst);
	forest_free(&r->r_forest);
	if (r->r_scored) {
		scores_free(&r->r_model);
		scores_free(&r->r_major);
		if (r->r_ds.ds_haveports)
			scores_free(&r->r_port);
	}
	for (i = 0; i < r->r_su.su_n; i++)
		free((char *)r->r_su.su_text[i]);
	free(r->r_y);
	lookups_free(&r->r_lu);
	classes_free(&r->r_cl);
	dataset_free(&r->r_ds);
}

int
main(int argc, char **argv)
{
	struct run	 r;
	char		*json_path, *model_path;
	int		 rc = 0;

	memset(&r, 0, sizeof(r));
	opts_parse(&r.r_o, argc, argv);
	json_path = out_path(r.r_o.to_out, ".json");
	model_path = out_path(r.r_o.to_out, ".model");
	if (XGBSetGlobalConfig("{\"verbosity\": 1}") != 0)
		errx(1, "xgboost: %s", XGBGetLastError());

	run_prepare(&r);
	lookups_build(&r.r_lu, &r.r_ds, r.r_y, r.r_ntrain, &r.r_cl, &r.r_o);
	r.r_bst = booster_train(run_x(&r), r.r_y, r.r_ntrain,
	    r.r_lu.lu_ncols, r.r_cl.cl_n, &r.r_o, "split");
	if (r.r_ntest > 0)
		run_evaluate(&r);
	if (r.r_o.to_final && r.r_ntest > 0) {
		/* the shipped counts come from every row */
		lookups_build(&r.r_lu, &r.r_ds, r.r_y, r.r_ds.ds_nrows,
		    &r.r_cl, &r.r_o);
		booster_free(r.r_bst);
		r.r_bst = booster_train(run_x(&r), r.r_y, r.r_ds.ds_nrows,
		    r.r_lu.lu_ncols, r.r_cl.cl_n, &r.r_o, "final");
	}

	run_save(&r, json_path, model_path);
	if (r.r_o.to_report != NULL)
		run_report(&r);
	printf("metrics accuracy=%.6f macro_f1=%.6f weighted_f1=%.6f "
	    "train=%zu test=%zu classes=%zu features=%zu\n",
	    r.r_scored ? r.r_model.sc_accuracy : NAN,
	    r.r_scored ? r.r_model.sc_macro_f1 : NAN,
	    r.r_scored ? r.r_model.sc_weighted_f1 : NAN, r.r_ntrain,
	    r.r_ntest, r.r_cl.cl_n, r.r_ds.ds_ncols);
	if (r.r_scored && r.r_ds.ds_haveports)
		printf("baseline_port accuracy=%.6f macro_f1=%.6f "
		    "weighted_f1=%.6f\n", r.r_port.sc_accuracy,
		    r.r_port.sc_macro_f1, r.r_port.sc_weighted_f1);
	if (r.r_o.to_verify)
		rc = run_verify(&r, model_path);

	run_free(&r);
	free(json_path);
	free(model_path);
	return rc;
}
