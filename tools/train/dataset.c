/* SPDX-License-Identifier: ISC */
/*
 * Read labelled flow tables (Unicauca layout, CICFlowMeter headers, or
 * flowidd exports with extra columns) into one float matrix.  Column names
 * are normalised as R's make.names() does, so "Flow Bytes/s" and
 * "Flow.Bytes.s" are the same column.  Every numeric column that is not an
 * identifier is a feature; a column with any non-numeric cell is dropped.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "train.h"

#define PROGRESS_EVERY	(1u << 16)

/* What a column is for, besides (maybe) being a feature. */
enum col_role {
	ROLE_FEATURE = 0,	/* numeric feature, nothing else */
	ROLE_IGNORE,		/* identifier or prediction: never a feature */
	ROLE_LABEL,		/* ProtocolName: the class */
	ROLE_FLOWID,		/* Flow.ID: --split flowid groups by it */
	ROLE_CAPTURE,		/* capture: --split capture groups by it */
	ROLE_CONFIDENCE,	/* nDPI confidence text: "Match by ..." */
	ROLE_GUESSED,		/* 0/1 guess flag */
	ROLE_SPORT,		/* feature only with --ports */
	ROLE_DPORT,
	ROLE_PROTO	/* feature, and half of the port-baseline key */
};

struct column {
	enum col_role	co_role;
	int		co_feat;	/* index in ds_names, or -1 */
};

/* One input file being read. */
struct input {
	struct csv	 in_cv;
	struct column	*in_cols;
	size_t		 in_ncols;
	int		 in_label;	/* column index of each role, or -1 */
	int		 in_flowid;
	int		 in_capture;
	int		 in_conf;
	int		 in_guessed;
	uint32_t	 in_group;	/* the file's own capture group */
	off_t		 in_size;
};

static const struct {
	const char	*rn_name;
	enum col_role	 rn_role;
} role_names[] = {
	{ "Flow.ID",		ROLE_FLOWID },
	{ "Source.IP",		ROLE_IGNORE },
	{ "Src.IP",		ROLE_IGNORE },
	{ "Destination.IP",	ROLE_IGNORE },
	{ "Dst.IP",		ROLE_IGNORE },
	{ "Timestamp",		ROLE_IGNORE },
	{ "Label",		ROLE_IGNORE },
	{ "L7Protocol",		ROLE_IGNORE },
	{ "ProtocolName",	ROLE_LABEL },
	{ "capture",		ROLE_CAPTURE },
	{ "confidence",		ROLE_CONFIDENCE },
	{ "L7Confidence",	ROLE_CONFIDENCE },	/* flowidd's name */
	{ "guessed",		ROLE_GUESSED },
	{ "Source.Port",	ROLE_SPORT },
	{ "Src.Port",		ROLE_SPORT },
	{ "Destination.Port",	ROLE_DPORT },
	{ "Dst.Port",		ROLE_DPORT },
	{ "Protocol",		ROLE_PROTO },
};

/*
 * R's make.names(): trim, then every byte other than a letter, digit, '.'
 * or '_' becomes '.', and a name that cannot start an R symbol gets "X".
 */
static char *
column_name(const char *raw)
{
	char	*s, *p;
	size_t	 len;

	while (isspace((unsigned char)*raw))
		raw++;
	len = strlen(raw);
	while (len > 0 && isspace((unsigned char)raw[len - 1]))
		len--;

	s = xcalloc(len + 2, 1);
	p = s;
	if (len == 0 || isdigit((unsigned char)raw[0]) || raw[0] == '_' ||
	    (raw[0] == '.' && len > 1 && isdigit((unsigned char)raw[1])))
		*p++ = 'X';
	for (; len > 0; len--, raw++)
		*p++ = isalnum((unsigned char)*raw) || *raw == '.' ||
		    *raw == '_' ? *raw : '.';
	return s;
}

/* make.unique(): the second "A" becomes "A.1", the third "A.2". */
static char **
header_names(const struct csv *cv)
{
	char	**names, *n;
	size_t	  i, j, dup;

	names = xcalloc(cv->cv_nfld, sizeof(*names));
	for (i = 0; i < cv->cv_nfld; i++) {
		names[i] = column_name(csv_field(cv, i));
		for (dup = 0, j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				dup++;
		if (dup == 0)
			continue;
		if (asprintf(&n, "%s.%zu", names[i], dup) == -1)
			err(1, "asprintf");
		free(names[i]);
		names[i] = n;
	}
	return names;
}

static enum col_role
column_role(const char *name)
{
	size_t	i;

	if (strncmp(name, "Predicted.", 10) == 0)
		return ROLE_IGNORE;
	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcasecmp(name, role_names[i].rn_name) == 0)
			break;
	if (i == sizeof(role_names) / sizeof(role_names[0]))
		return ROLE_FEATURE;
	return role_names[i].rn_role;
}

static bool
role_is_feature(enum col_role r, const struct train_opts *o)
{
	if (r == ROLE_SPORT || r == ROLE_DPORT)
		return o->to_ports;
	return r == ROLE_FEATURE || r == ROLE_PROTO;
}

int
dataset_column(const struct dataset *ds, const char *name)
{
	size_t	i;

	for (i = 0; i < ds->ds_ncols; i++)
		if (strcmp(ds->ds_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* The first file fixes the feature columns; later ones must have them. */
static void
header_features(struct dataset *ds, struct input *in, char **names,
    const struct train_opts *o, bool first)
{
	size_t	i;
	int	f;

	for (i = 0; i < in->in_ncols; i++) {
		in->in_cols[i].co_feat = -1;
		if (!role_is_feature(in->in_cols[i].co_role, o))
			continue;
		if (o->to_cic_only && (int)i > in->in_label)
			continue;
		if (first) {
			ds->ds_names = xreallocarray(ds->ds_names,
			    ds->ds_ncols + 1, sizeof(*ds->ds_names));
			ds->ds_names[ds->ds_ncols] = xstrdup(names[i]);
			in->in_cols[i].co_feat = (int)ds->ds_ncols++;
		} else if ((f = dataset_column(ds, names[i])) == -1)
			warnx("%s: column %s is not in %s, ignored",
			    in->in_cv.cv_path, names[i], o->to_inputs[0]);
		else
			in->in_cols[i].co_feat = f;
	}
}

/* Every feature of the first file must appear exactly once here. */
static void
header_check(const struct dataset *ds, const struct input *in)
{
	size_t	i, j, seen;

	for (j = 0; j < ds->ds_ncols; j++) {
		for (seen = 0, i = 0; i < in->in_ncols; i++)
			if (in->in_cols[i].co_feat == (int)j)
				seen++;
		if (seen != 1)
			errx(1, "%s: column %s missing", in->in_cv.cv_path,
			    ds->ds_names[j]);
	}
}

static void
header_read(struct dataset *ds, struct input *in,
    const struct train_opts *o, bool first)
{
	char	**names;
	int	 *slot;
	size_t	  i;

	if (csv_next(&in->in_cv) == 0)
		errx(1, "%s: empty file", in->in_cv.cv_path);
	names = header_names(&in->in_cv);
	in->in_ncols = in->in_cv.cv_nfld;
	in->in_cols = xcalloc(in->in_ncols, sizeof(*in->in_cols));
	in->in_label = in->in_flowid = in->in_capture = -1;
	in->in_conf = in->in_guessed = -1;

	for (i = 0; i < in->in_ncols; i++) {
		in->in_cols[i].co_role = column_role(names[i]);
		switch (in->in_cols[i].co_role) {
		case ROLE_LABEL:	slot = &in->in_label; break;
		case ROLE_FLOWID:	slot = &in->in_flowid; break;
		case ROLE_CAPTURE:	slot = &in->in_capture; break;
		case ROLE_CONFIDENCE:	slot = &in->in_conf; break;
		case ROLE_GUESSED:	slot = &in->in_guessed; break;
		default:		slot = NULL; break;
		}
		if (slot != NULL && *slot == -1)
			*slot = (int)i;
		if (in->in_cols[i].co_role == ROLE_SPORT)
			ds->ds_haveports = true;
	}
	if (in->in_label == -1)
		errx(1, "%s: no ProtocolName column", in->in_cv.cv_path);
	if (o->to_split == SPLIT_FLOWID && in->in_flowid == -1)
		errx(1, "%s: --split flowid needs a Flow.ID column",
		    in->in_cv.cv_path);
	if (in->in_conf != -1 || in->in_guessed != -1)
		ds->ds_haveguess = true;

	header_features(ds, in, names, o, first);
	header_check(ds, in);
	for (i = 0; i < in->in_ncols; i++)
		free(names[i]);
	free(names);
}

/* nDPI says "Match by port" or "Match by IP" when it only guessed. */
static bool
row_is_guess(const struct input *in)
{
	const char	*s;
	float		 v;

	if (in->in_conf != -1) {
		s = csv_field(&in->in_cv, (size_t)in->in_conf);
		if (strncasecmp(s, "Match by", 8) == 0 ||
		    strcasecmp(s, "guess") == 0)
			return true;
	}
	if (in->in_guessed != -1) {
		s = csv_field(&in->in_cv, (size_t)in->in_guessed);
		if (cell_parse(s, &v) == CELL_NUMBER && v != 0)
			return true;
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
			return true;
	}
	return false;
}

static void
dataset_grow(struct dataset *ds)
{
	size_t	cap;

	if (ds->ds_nrows < ds->ds_cap)
		return;

	/* large reallocs move pages (mremap), so doubling costs no copy */
	cap = ds->ds_cap ? ds->ds_cap * 2 : PROGRESS_EVERY;
	ds->ds_x = xreallocarray(ds->ds_x, cap, ds->ds_ncols *
	    sizeof(*ds->ds_x));
	ds->ds_label = xreallocarray(ds->ds_label, cap,
	    sizeof(*ds->ds_label));
	ds->ds_portkey = xreallocarray(ds->ds_portkey, cap,
	    sizeof(*ds->ds_portkey));
	ds->ds_group = xreallocarray(ds->ds_group, cap,
	    sizeof(*ds->ds_group));
	ds->ds_test = xreallocarray(ds->ds_test, cap, sizeof(*ds->ds_test));
	ds->ds_cap = cap;
}

/* The well-known port if exactly one side has one, else the lower one. */
static uint32_t
port_key(float proto, float sport, float dport)
{
	uint32_t	p, s, d, server;

	if (isnan(proto) || isnan(sport) || isnan(dport) || proto < 0 ||
	    proto > 255 || sport < 0 || sport > 65535 || dport < 0 ||
	    dport > 65535)
		return TRAIN_NOKEY;
	p = (uint32_t)proto;
	s = (uint32_t)sport;
	d = (uint32_t)dport;
	if ((s < 1024) != (d < 1024))
		server = s < 1024 ? s : d;
	else
		server = s < d ? s : d;
	return p << 16 | server;
}

static void
cell_store(struct dataset *ds, const struct input *in, size_t col,
    float *row, float *keyv)
{
	const struct column	*co = &in->in_cols[col];
	enum cell_kind		 k;
	float			 v = NAN;
	char			*where;

	k = cell_parse(csv_field(&in->in_cv, col), &v);
	if (k != CELL_NUMBER)
		v = NAN;
	if (co->co_role == ROLE_PROTO)
		keyv[0] = v;
	else if (co->co_role == ROLE_SPORT)
		keyv[1] = v;
	else if (co->co_role == ROLE_DPORT)
		keyv[2] = v;
	if (co->co_feat == -1)
		return;

	row[co->co_feat] = v;
	if (k == CELL_MISSING)
		ds->ds_missing++;
	else if (k == CELL_INFINITE)
		ds->ds_infinite++;
	else if (k == CELL_TEXT && !ds->ds_text[co->co_feat]) {
		ds->ds_text[co->co_feat] = true;
		if (asprintf(&where, "%s:%lu", in->in_cv.cv_path,
		    in->in_cv.cv_line) == -1)
			err(1, "asprintf");
		ds->ds_textwhere[co->co_feat] = where;
	}
}

/* Held out or not, for the splits that decide row by row. */
static uint8_t
row_side(const struct dataset *ds, const struct input *in,
    const struct train_opts *o)
{
	uint64_t	h;

	if (o->to_holdout <= 0)
		return 0;
	if (o->to_split == SPLIT_RANDOM)
		h = hash_mix(ds->ds_nrows);
	else if (o->to_split == SPLIT_FLOWID)
		h = hash_str(csv_field(&in->in_cv, (size_t)in->in_flowid));
	else
		return 0;	/* capture: decided per group later */
	return hash_unit(o->to_seed, h) < o->to_holdout;
}

static void
row_read(struct dataset *ds, struct input *in, const struct train_opts *o)
{
	const char	*label;
	float		*row, keyv[3] = { NAN, NAN, NAN };
	size_t		 i, n;

	if (in->in_cv.cv_nfld != in->in_ncols)
		errx(1, "%s:%lu: %zu fields, the header has %zu",
		    in->in_cv.cv_path, in->in_cv.cv_line, in->in_cv.cv_nfld,
		    in->in_ncols);
	ds->ds_read++;

	label = csv_field(&in->in_cv, (size_t)in->in_label);
	if (*label == '\0')
		label = TRAIN_UNKNOWN;
	if (o->to_drop_unknown && strcmp(label, TRAIN_UNKNOWN) == 0) {
		ds->ds_dropunknown++;
		return;
	}
	if (o->to_drop_guess && row_is_guess(in)) {
		ds->ds_dropguess++;
		return;
	}

	dataset_grow(ds);
	n = ds->ds_nrows;
	row = ds->ds_x + n * ds->ds_ncols;
	for (i = 0; i < ds->ds_ncols; i++)
		row[i] = NAN;
	for (i = 0; i < in->in_ncols; i++)
		if (in->in_cols[i].co_role != ROLE_IGNORE &&
		    in->in_cols[i].co_role != ROLE_LABEL)
			cell_store(ds, in, i, row, keyv);

	ds->ds_label[n] = strtab_intern(&ds->ds_labels, label);
	ds->ds_portkey[n] = port_key(keyv[0], keyv[1], keyv[2]);
	ds->ds_group[n] = in->in_capture == -1 ? in->in_group :
	    strtab_intern(&ds->ds_groups,
	    csv_field(&in->in_cv, (size_t)in->in_capture));
	ds->ds_test[n] = row_side(ds, in, o);
	ds->ds_nrows++;
}

static void
progress(const struct input *in, const struct dataset *ds, bool done)
{
	double	pct = 0;

	if (in->in_size > 0)
		pct = 100.0 * (double)csv_offset(&in->in_cv) /
		    (double)in->in_size;
	fprintf(stderr, "\r%s: %zu rows kept, %.0f%%%s", in->in_cv.cv_path,
	    ds->ds_nrows, done ? 100.0 : pct, done ? "\n" : "");
}

static void
file_read(struct dataset *ds, const char *path, const struct train_opts *o,
    bool first)
{
	struct input	in;
	struct stat	st;
	uint64_t	n = 0;

	memset(&in, 0, sizeof(in));
	if (csv_open(&in.in_cv, path) == -1)
		err(1, "%s", path);
	if (fstat(fileno(in.in_cv.cv_fp), &st) == 0)
		in.in_size = st.st_size;
	in.in_group = strtab_intern(&ds->ds_groups, path);
	header_read(ds, &in, o, first);
	if (first)
		ds->ds_text = xcalloc(ds->ds_ncols, sizeof(*ds->ds_text));
	if (first)
		ds->ds_textwhere = xcalloc(ds->ds_ncols,
		    sizeof(*ds->ds_textwhere));

	while (csv_next(&in.in_cv)) {
		row_read(ds, &in, o);
		if (o->to_progress && ++n % PROGRESS_EVERY == 0)
			progress(&in, ds, false);
	}
	if (o->to_progress)
		progress(&in, ds, true);

	csv_close(&in.in_cv);
	free(in.in_cols);
}

/*
 * Drop the columns that held text; rows move down in place.
 * XXX: one stray word drops a whole column.  Reading it as missing instead
 * would also keep text columns that are no features at all, such as an
 * export's notes; the warning names the cell so the table can be fixed.
 */
static void
dataset_compact(struct dataset *ds)
{
	size_t	*keep, nkeep = 0, old = ds->ds_ncols, r, i;
	float	*src, *dst;

	keep = xcalloc(old, sizeof(*keep));
	for (i = 0; i < old; i++) {
		if (!ds->ds_text[i]) {
			keep[nkeep++] = i;
			continue;
		}
		warnx("column %s: not numeric at %s, not a feature",
		    ds->ds_names[i], ds->ds_textwhere[i]);
		free(ds->ds_names[i]);
		free(ds->ds_textwhere[i]);
		ds->ds_textwhere[i] = NULL;
	}

	/* keep[i] >= i: each move reads a slot not yet overwritten */
	for (i = 0; i < nkeep && nkeep < old; i++) {
		ds->ds_names[i] = ds->ds_names[keep[i]];
		ds->ds_text[i] = false;
		ds->ds_textwhere[i] = NULL;
	}
	for (r = 0; r < ds->ds_nrows && nkeep < old; r++) {
		src = ds->ds_x + r * old;
		dst = ds->ds_x + r * nkeep;
		for (i = 0; i < nkeep; i++)
			dst[i] = src[keep[i]];
	}
	ds->ds_ncols = nkeep;
	free(keep);
}

void
dataset_load(struct dataset *ds, const struct train_opts *o)
{
	int	i;

	memset(ds, 0, sizeof(*ds));
	for (i = 0; i < o->to_ninputs; i++)
		file_read(ds, o->to_inputs[i], o, i == 0);

	dataset_compact(ds);
	if (ds->ds_ncols == 0)
		errx(1, "no numeric feature columns");
	if (ds->ds_nrows == 0)
		errx(1, "no rows to train on");
}

void
dataset_free(struct dataset *ds)
{
	size_t	i;

	for (i = 0; i < ds->ds_ncols; i++) {
		free(ds->ds_names[i]);
		if (ds->ds_textwhere != NULL)
			free(ds->ds_textwhere[i]);
	}
	free(ds->ds_names);
	free(ds->ds_text);
	free(ds->ds_textwhere);
	free(ds->ds_x);
	free(ds->ds_label);
	free(ds->ds_portkey);
	free(ds->ds_group);
	free(ds->ds_test);
	strtab_free(&ds->ds_labels);
	strtab_free(&ds->ds_groups);
	memset(ds, 0, sizeof(*ds));
}
