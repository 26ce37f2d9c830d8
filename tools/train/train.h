/* SPDX-License-Identifier: ISC */
/*
 * flowid-train: shared declarations of the trainer's modules.  The trainer
 * is a batch program: it reports fatal problems with err(3) and exits.
 */
#ifndef FLOWID_TRAIN_H
#define FLOWID_TRAIN_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lookup.h"

#define TRAIN_OTHER	"Other"		/* class of labels below --min-class */
#define TRAIN_UNKNOWN	"Unknown"	/* label of rows nDPI did not name */
#define TRAIN_NOKEY	UINT32_MAX	/* row has no (protocol, port) key */
#define LOOKUP_MAX_COUNT 16		/* --lookup options, as lib/model.c */

enum split_kind {
	SPLIT_RANDOM = 0,	/* each row on its own */
	SPLIT_FLOWID,		/* rows sharing a Flow.ID stay together */
	SPLIT_CAPTURE		/* rows of one capture (or file) together */
};

struct train_opts {
	char		**to_inputs;	/* CSV files */
	int		  to_ninputs;
	const char	 *to_out;	/* model path without .model/.json */
	const char	 *to_report;	/* Markdown report, or NULL */
	const char	 *to_profile;
	size_t		  to_min_class;
	int		  to_rounds;
	int		  to_depth;
	int		  to_threads;
	double		  to_eta;
	double		  to_balance;	/* class weight exponent */
	double		  to_holdout;
	uint64_t	  to_seed;
	enum split_kind	  to_split;
	bool		  to_drop_unknown;
	bool		  to_drop_guess;
	bool		  to_ports;
	bool		  to_cic_only;	/* none after ProtocolName */
	bool		  to_final;
	bool		  to_verify;
	bool		  to_progress;	/* stderr is a terminal */
	const char	 *to_lookups[LOOKUP_MAX_COUNT];	/* "COL,COL" */
	int		  to_nlookups;
	double		  to_lookup_alpha;	/* prior weight, flows */
	int		  to_lookup_folds;
};

/* csv.c: streaming RFC 4180 reader, one record in memory at a time. */
struct csv {
	FILE		*cv_fp;
	const char	*cv_path;
	unsigned long	 cv_line;	/* line on which the record starts */
	unsigned long	 cv_nextline;
	char		*cv_buf;	/* fields, each NUL-terminated */
	size_t		 cv_len;
	size_t		 cv_cap;
	size_t		*cv_off;	/* start of each field in cv_buf */
	size_t		 cv_nfld;
	size_t		 cv_fldcap;
};

int		 csv_open(struct csv *, const char *path);
int		 csv_next(struct csv *);	/* 1 record, 0 at EOF */
const char	*csv_field(const struct csv *, size_t i);
off_t		 csv_offset(const struct csv *);
void		 csv_close(struct csv *);

/* What a cell holds once parsed. */
enum cell_kind {
	CELL_NUMBER = 0,
	CELL_MISSING,		/* empty, NaN, NA */
	CELL_INFINITE,		/* Infinity, -Infinity: stored as missing */
	CELL_TEXT
};

enum cell_kind	 cell_parse(const char *s, float *out);

/* strtab.c: interned strings, ids in order of first appearance. */
struct strtab {
	char		**st_str;
	size_t		  st_n;
	size_t		  st_cap;
	uint32_t	 *st_slot; /* open addressing: id + 1, 0 = empty */
	size_t		  st_nslot;
};

uint32_t	 strtab_intern(struct strtab *, const char *);
int		 strtab_find(const struct strtab *, const char *, uint32_t *);
void		 strtab_free(struct strtab *);
uint64_t	 hash_str(const char *);
uint64_t	 hash_mix(uint64_t);
double		 hash_unit(uint64_t seed, uint64_t h);

/*
 * dataset.c: every kept row of every input.  The float matrix is row-major
 * with ds_ncols columns; a row's other facts sit in parallel arrays.
 */
struct dataset {
	char		**ds_names;	/* feature column names */
	size_t		  ds_ncols;
	bool		 *ds_text;	/* column held a non-numeric cell */
	char		**ds_textwhere;	/* file:line of the first such cell */
	float		 *ds_x;
	size_t		  ds_nrows;
	size_t		  ds_cap;
	uint32_t	 *ds_label;	/* id in ds_labels */
	uint32_t	 *ds_portkey;	/* protocol << 16 | server port */
	uint32_t	 *ds_group;	/* id in ds_groups (capture split) */
	uint8_t		 *ds_test;	/* 1: held out */
	struct strtab	  ds_labels;
	struct strtab	  ds_groups;
	bool		  ds_haveports;
	bool		  ds_haveguess;
	uint64_t	  ds_read;	/* data rows read */
	uint64_t	  ds_dropunknown;
	uint64_t	  ds_dropguess;
	uint64_t	  ds_missing;	/* feature cells empty or NaN */
	uint64_t	  ds_infinite;	/* feature cells +-Infinity */
};

void	 dataset_load(struct dataset *, const struct train_opts *);
void	 dataset_free(struct dataset *);
int	 dataset_column(const struct dataset *, const char *name);

/* split.c: held-out rows, classes, and the train-then-test row order. */
struct classes {
	char		**cl_names;	/* sorted, "Other" among them */
	size_t		  cl_n;
	uint16_t	 *cl_of_label;	/* label id -> class */
	size_t		 *cl_train;	/* training rows per class */
	size_t		  cl_nother;	/* labels folded into Other */
};

void	 split_groups(struct dataset *, const struct train_opts *);
void	 split_classes(const struct dataset *, const struct train_opts *,
	    struct classes *);
size_t	 split_partition(struct dataset *);
void	 classes_free(struct classes *);

/* booster.c: the libxgboost calls. */
struct booster;

struct booster	*booster_train(const float *x, const uint16_t *y,
		    size_t nrows, size_t ncols, size_t nclass,
		    const struct train_opts *, const char *what);
float		*booster_predict(struct booster *, const float *x,
		    size_t nrows, size_t ncols, int nthread);
const char	*booster_json(struct booster *, size_t *len);
void		 booster_free(struct booster *);

/* xgbjson.c: the trees of an XGBoost JSON model. */
struct ftree {
	uint16_t	 ft_class;
	size_t		 ft_n;
	int32_t		*ft_left;	/* -1: leaf */
	int32_t		*ft_right;
	int32_t		*ft_feat;
	float		*ft_cond;	/* threshold, or leaf value */
	uint8_t		*ft_dleft;
	float		*ft_gain;	/* loss change of each split */
};

struct forest {
	float		 fo_base;
	size_t		 fo_nclass;
	size_t		 fo_nfeat;
	struct ftree	*fo_trees;
	size_t		 fo_ntrees;
};

int	 forest_parse(const char *json, size_t len, struct forest *,
	    char *errbuf, size_t errlen);
void	 forest_free(struct forest *);

/* sidecar.c */
struct summary {
	const char	*su_text[32];	/* "key value" lines */
	size_t		 su_n;
};

struct lookups;
void	 sidecar_write(const char *path, const struct train_opts *,
	    const struct dataset *, const struct classes *,
	    const struct lookups *, const struct forest *,
	    const struct summary *);
void	 write_file(const char *path, const void *buf, size_t len);

/* lookups.c: lookup features (lib/lookup.h) from the training rows. */
struct lookups {
	size_t		  lu_n;
	struct lookup	 *lu_tab;	/* counts of every training row */
	size_t		  lu_ncols;	/* data columns + lookup features */
	float		 *lu_x;		/* every row, lu_ncols each */
	char		**lu_names;	/* lu_ncols column names */
};

void	 lookups_build(struct lookups *, const struct dataset *,
	    const uint16_t *y, size_t ntrain, const struct classes *,
	    const struct train_opts *);
float	*lookups_matrix_full(const struct lookups *, const struct dataset *);
void	 lookups_write(FILE *, const struct lookups *);
void	 lookups_free(struct lookups *);

/* metrics.c */
struct scores {
	size_t		 sc_k;
	size_t		*sc_conf;	/* k x k, row = true class */
	size_t		 sc_n;
	double		 sc_accuracy;
	double		 sc_macro_f1;
	double		 sc_weighted_f1;
	double		*sc_prec;
	double		*sc_rec;
	double		*sc_f1;
	size_t		*sc_support;
};

void	 scores_compute(struct scores *, size_t k, const uint16_t *truth,
	    const uint16_t *pred, size_t n);
void	 scores_free(struct scores *);
uint16_t *baseline_majority(const struct classes *, size_t ntest);
uint16_t *baseline_port(const struct dataset *, const uint16_t *y,
	    size_t ntrain, const struct classes *, size_t *nfallback);
uint16_t *argmax_rows(const float *prob, size_t n, size_t k);

struct importance {
	size_t		 im_feat;
	double		 im_gain;	/* summed loss change */
	size_t		 im_splits;
};

size_t	 importance_compute(const struct forest *, size_t nfeat,
	    struct importance **out);

/* report.c */
struct report {
	const struct train_opts	*re_opts;
	const struct dataset	*re_ds;
	const struct classes	*re_cl;
	size_t			 re_ntrain;
	size_t			 re_ntest;
	const struct scores	*re_model;	/* NULL: nothing held out */
	const struct scores	*re_major;
	const struct scores	*re_port;
	size_t			 re_portfallback;
	const struct importance	*re_imp;
	size_t			 re_nimp;
	size_t			 re_ntrees;
	const struct lookups	*re_lu;
};

void	 report_write(const char *path, const struct report *);

/* verify.c */
int	 verify_model(const char *sidecar, struct booster *, const float *x,
	    size_t ncols, const float *xall, size_t nall, size_t nrows,
	    int nthread);

/* predict.c: --predict, the exit status */
int	 predict_main(const char *sidecar, char **inputs, int ninputs);

/* main.c helpers shared by modules */
void	*xcalloc(size_t n, size_t size);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *);

#endif /* FLOWID_TRAIN_H */
