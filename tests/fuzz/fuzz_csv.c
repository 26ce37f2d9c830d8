/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the trainer's CSV reader (tools/train/csv.c) and the
 * flow-table loader above it (dataset.c).  The first input byte chooses
 * the trainer's options, the rest is one CSV file, read from an
 * in-memory file through its /proc/self/fd path.
 *
 * The trainer is a batch program and stops with errx(3) on a bad file.
 * Here errx and err jump back to the harness instead, which then frees
 * what the interrupted call left, so only true leaks are reported.
 * That is possible only where the harness holds every allocation:
 * inside the reader (the harness owns struct csv) and after all files
 * are read (it owns struct dataset).  So the loader runs only on files
 * that the reader pass shows it will not reject half-way: a header with
 * a ProtocolName column, and every record as wide as the header.
 */

#include <ctype.h>
#include <err.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "train.h"
#include "fuzz_file.h"

/*
 * The loader preallocates 65,536 rows for every column on the first row
 * (256 KiB a column); wider headers only measure the allocator.
 */
#define FUZZ_MAX_COLS	512

static char		*fuzz_inputs[1] = { fuzz_path };
static jmp_buf		 fuzz_jmp;
static bool		 fuzz_armed;
static struct csv	 fuzz_cv;	/* static: valid after a longjmp */
static struct dataset	 fuzz_ds;

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The trainer's fatal errors, caught during a call; outside one, abort. */
static void __attribute__((noreturn))
fuzz_fatal(void)
{
	if (fuzz_armed)
		longjmp(fuzz_jmp, 1);
	abort();
}

void
err(int status, const char *fmt, ...)
{
	(void)status;
	(void)fmt;
	fuzz_fatal();
}

void
errx(int status, const char *fmt, ...)
{
	(void)status;
	(void)fmt;
	fuzz_fatal();
}

/* Warnings (a column dropped as text) would only flood the log. */
void
warnx(const char *fmt, ...)
{
	(void)fmt;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init("fuzz_csv");
	return 0;
}

/*
 * Does this header cell name the column want once R's make.names() has
 * turned it into a symbol?  want holds letters and dots only, so the
 * cell must be want itself, blanks around it, with any byte that is not
 * a letter, a digit or '_' where want has a dot.
 */
static bool
fuzz_names(const char *cell, const char *want)
{
	size_t	len, i;

	while (isspace((unsigned char)*cell))
		cell++;
	len = strlen(cell);
	while (len > 0 && isspace((unsigned char)cell[len - 1]))
		len--;
	if (len != strlen(want))
		return false;
	for (i = 0; i < len; i++) {
		if (want[i] == '.') {
			if (isalnum((unsigned char)cell[i]) || cell[i] == '_')
				return false;
		} else if (tolower((unsigned char)cell[i]) !=
		    tolower((unsigned char)want[i]))
			return false;
	}
	return true;
}

/* What the reader pass learnt about the file. */
struct fuzz_scan {
	size_t	fs_records;
	size_t	fs_cols;	/* of the header */
	bool	fs_label;	/* a ProtocolName column */
	bool	fs_flowid;	/* a Flow.ID column */
	bool	fs_ragged;	/* a record not as wide as the header */
};

static void
fuzz_scan_header(struct fuzz_scan *sc)
{
	size_t	i;

	sc->fs_cols = fuzz_cv.cv_nfld;
	for (i = 0; i < fuzz_cv.cv_nfld; i++) {
		sc->fs_label |= fuzz_names(csv_field(&fuzz_cv, i),
		    "ProtocolName");
		sc->fs_flowid |= fuzz_names(csv_field(&fuzz_cv, i), "Flow.ID");
	}
}

/* Every record through the reader and every cell through the parser. */
static int
fuzz_read(struct fuzz_scan *sc)
{
	float	v;
	size_t	i;

	memset(sc, 0, sizeof(*sc));
	if (csv_open(&fuzz_cv, fuzz_path) == -1)
		abort();
	if (setjmp(fuzz_jmp) != 0) {
		fuzz_armed = false;
		csv_close(&fuzz_cv);
		return -1;
	}
	fuzz_armed = true;
	while (csv_next(&fuzz_cv) == 1) {
		for (i = 0; i < fuzz_cv.cv_nfld; i++)
			cell_parse(csv_field(&fuzz_cv, i), &v);
		if (sc->fs_records++ == 0)
			fuzz_scan_header(sc);
		else if (fuzz_cv.cv_nfld != sc->fs_cols)
			sc->fs_ragged = true;
	}
	fuzz_armed = false;
	csv_close(&fuzz_cv);
	return 0;
}

/* Options from the first byte: hold-out, split, drops, columns kept. */
static void
fuzz_opts(struct train_opts *o, uint8_t b, const struct fuzz_scan *sc)
{
	memset(o, 0, sizeof(*o));
	o->to_inputs = fuzz_inputs;
	o->to_ninputs = 1;
	o->to_min_class = 1;
	o->to_seed = 1;
	o->to_holdout = (b & 0x03) == 0 ? 0 : 0.25 * (b & 0x03);
	o->to_split = (enum split_kind)((b >> 2) % 3);
	if (o->to_split == SPLIT_FLOWID && !sc->fs_flowid)
		o->to_split = SPLIT_RANDOM;
	o->to_drop_unknown = (b & 0x10) != 0;
	o->to_drop_guess = (b & 0x20) != 0;
	o->to_ports = (b & 0x40) != 0;
	o->to_cic_only = (b & 0x80) != 0;
}

/* The loader; its only possible errx now is "no columns/rows left". */
static void
fuzz_load(const struct train_opts *o)
{
	size_t	i;

	if (setjmp(fuzz_jmp) == 0) {
		fuzz_armed = true;
		dataset_load(&fuzz_ds, o);
		for (i = 0; i < fuzz_ds.ds_nrows; i++)
			if (fuzz_ds.ds_label[i] >= fuzz_ds.ds_labels.st_n)
				abort();
	}
	fuzz_armed = false;
	dataset_free(&fuzz_ds);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fuzz_scan	sc;
	struct train_opts	o;

	if (len < 1)
		return 0;
	fuzz_file_write(data + 1, len - 1);
	if (fuzz_read(&sc) == -1)
		return 0;
	if (sc.fs_records == 0 || !sc.fs_label || sc.fs_ragged ||
	    sc.fs_cols > FUZZ_MAX_COLS)
		return 0;
	fuzz_opts(&o, data[0], &sc);
	fuzz_load(&o);
	return 0;
}
