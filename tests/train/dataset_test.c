/* SPDX-License-Identifier: ISC */
/*
 * The trainer's CSV reader and table loader (tools/train/csv.c, dataset.c)
 * on the committed Unicauca-layout sample built by mksample.py from the
 * CICFlowMeter 2018 oracle rows, and on small crafted files.
 * Usage: dataset_test [DIR]  (DIR holds the samples; default tests/train)
 */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "train.h"

#define SAMPLE_ROWS	22	/* data rows in unicauca-sample.csv */
#define SAMPLE_FEATURES	78	/* 87 columns less 9 identifiers/ports */

static const char	*dir = "tests/train";
static char		 tmpdir[] = "/tmp/dataset_test.XXXXXX";

static char *
sample(const char *name)
{
	static char	path[4][512];
	static int	n;
	char		*p = path[n++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static char *
tmpfile_with(const char *name, const char *text)
{
	static char	 path[512];
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void
opts_for(struct train_opts *o, char **files, int n)
{
	memset(o, 0, sizeof(*o));
	o->to_inputs = files;
	o->to_ninputs = n;
	o->to_min_class = 1;
	o->to_seed = 1;
	o->to_split = SPLIT_RANDOM;
}

static float
cell(const struct dataset *ds, size_t row, const char *col)
{
	int	c = dataset_column(ds, col);

	assert_true(c >= 0);
	return ds->ds_x[row * ds->ds_ncols + (size_t)c];
}

static void
test_unicauca_sample(void **state)
{
	struct train_opts	o;
	struct dataset		ds;
	char			*files[] = { sample("unicauca-sample.csv") };
	uint32_t		id;

	(void)state;
	opts_for(&o, files, 1);
	dataset_load(&ds, &o);

	assert_int_equal(ds.ds_read, SAMPLE_ROWS);
	assert_int_equal(ds.ds_nrows, SAMPLE_ROWS);
	assert_int_equal(ds.ds_ncols, SAMPLE_FEATURES);
	assert_true(ds.ds_haveports);
	assert_false(ds.ds_haveguess);

	/* identifiers and ports are not features; Protocol is */
	assert_int_equal(dataset_column(&ds, "Flow.ID"), -1);
	assert_int_equal(dataset_column(&ds, "Source.Port"), -1);
	assert_int_equal(dataset_column(&ds, "L7Protocol"), -1);
	assert_int_equal(dataset_column(&ds, "Protocol"), 0);
	assert_int_equal(dataset_column(&ds, "Idle.Min"), SAMPLE_FEATURES - 1);
	assert_true(dataset_column(&ds, "Fwd.Header.Length.1") > 0);

	/* the dns.csv row, as CICFlowMeter wrote it */
	assert_float_equal(cell(&ds, 0, "Flow.Duration"), 41070964.0f, 0);
	assert_float_equal(cell(&ds, 0, "Flow.IAT.Mean"), 2.0535482E7f, 0);
	assert_float_equal(cell(&ds, 0, "Fwd.Packet.Length.Std"),
	    0.7071067811865476f, 0);
	assert_float_equal(cell(&ds, 0, "Fwd.Header.Length.1"), 16.0f, 0);
	assert_float_equal(cell(&ds, 0, "Init_Win_bytes_forward"), -1.0f, 0);
	assert_float_equal(cell(&ds, 0, "Protocol"), 17.0f, 0);

	/* injected cells: Infinity, NaN, -Infinity, empty all read missing */
	assert_int_equal(ds.ds_infinite, 3);
	assert_int_equal(ds.ds_missing, 3);
	assert_true(isnan(cell(&ds, 1, "Flow.Bytes.s")));
	assert_true(isnan(cell(&ds, 1, "Flow.Packets.s")));
	assert_true(isnan(cell(&ds, 2, "Flow.Bytes.s")));
	assert_true(isnan(cell(&ds, 3, "Flow.IAT.Min")));
	assert_true(isnan(cell(&ds, 4, "Idle.Min")));
	assert_false(isnan(cell(&ds, 5, "Idle.Min")));

	/* quoted number, and the row after the CRLF line */
	assert_float_equal(cell(&ds, 5, "Flow.Duration"), 159226.0f, 0);
	assert_int_equal(ds.ds_labels.st_n, 8);
	assert_int_equal(strtab_find(&ds.ds_labels, "QUIC", &id), 0);
	assert_int_equal(ds.ds_label[5], id);
	assert_int_equal(strtab_find(&ds.ds_labels, "Unknown", &id), 0);
	assert_int_equal(ds.ds_label[6], id);
	assert_int_equal(strtab_find(&ds.ds_labels, "HTTP", &id), 0);
	assert_int_equal(ds.ds_label[SAMPLE_ROWS - 1], id);

	/* (protocol, server port): UDP, the port below 1024 */
	assert_int_equal(ds.ds_portkey[0], 17u << 16 | 53);
	dataset_free(&ds);
}

/* The original spaced names map onto the dotted ones, value for value. */
static void
test_spaced_header(void **state)
{
	struct train_opts	o;
	struct dataset		a, b;
	char			*fa[] = { sample("unicauca-sample.csv") };
	char			*fb[] = {
		sample("unicauca-sample-spaced.csv")
	};
	size_t			i;

	(void)state;
	opts_for(&o, fa, 1);
	dataset_load(&a, &o);
	opts_for(&o, fb, 1);
	dataset_load(&b, &o);

	assert_int_equal(a.ds_ncols, b.ds_ncols);
	assert_int_equal(a.ds_nrows, b.ds_nrows);
	for (i = 0; i < a.ds_ncols; i++)
		assert_string_equal(a.ds_names[i], b.ds_names[i]);
	assert_string_equal(b.ds_names[dataset_column(&b, "Flow.Bytes.s")],
	    "Flow.Bytes.s");
	assert_true(dataset_column(&b, "Down.Up.Ratio") > 0);
	for (i = 0; i < a.ds_nrows * a.ds_ncols; i++)
		assert_true(a.ds_x[i] == b.ds_x[i] ||
		    (isnan(a.ds_x[i]) && isnan(b.ds_x[i])));
	dataset_free(&a);
	dataset_free(&b);
}

static void
test_ports_and_drop(void **state)
{
	struct train_opts	o;
	struct dataset		ds;
	char			*files[] = { sample("unicauca-sample.csv") };

	(void)state;
	opts_for(&o, files, 1);
	o.to_ports = true;
	o.to_drop_unknown = true;
	dataset_load(&ds, &o);

	assert_int_equal(ds.ds_ncols, SAMPLE_FEATURES + 2);
	assert_int_equal(ds.ds_read, SAMPLE_ROWS);
	assert_int_equal(ds.ds_dropunknown, 1);
	assert_int_equal(ds.ds_nrows, SAMPLE_ROWS - 1);
	assert_float_equal(cell(&ds, 0, "Source.Port"), 53.0f, 0);
	assert_float_equal(cell(&ds, 0, "Destination.Port"), 32795.0f, 0);
	dataset_free(&ds);
}

/* Extra numeric columns are features; Predicted.* and text are not. */
static void
test_extra_columns(void **state)
{
	struct train_opts	o;
	struct dataset		ds;
	char			*files[1];

	(void)state;
	files[0] = tmpfile_with("extra.csv",
	    "Flow ID,Protocol,ProtocolName,ext.A,Predicted.ProtocolName,"
	    "Predicted.Confidence,note,confidence\n"
	    "x,6,HTTP,1.5,DNS,0.9,hello,DPI\n"
	    "y,17,DNS,,HTTP,0.8,7,Match by port\n"
	    "z,17,DNS,-Infinity,HTTP,0.8,8,DPI\n");
	opts_for(&o, files, 1);
	o.to_drop_guess = true;
	dataset_load(&ds, &o);

	assert_true(ds.ds_haveguess);
	assert_int_equal(ds.ds_dropguess, 1);
	assert_int_equal(ds.ds_nrows, 2);
	assert_int_equal(ds.ds_ncols, 2);
	assert_string_equal(ds.ds_names[0], "Protocol");
	assert_string_equal(ds.ds_names[1], "ext.A");
	assert_float_equal(ds.ds_x[1], 1.5f, 0);
	assert_true(isnan(ds.ds_x[3]));
	assert_int_equal(ds.ds_infinite, 1);
	dataset_free(&ds);
}

static void
test_csv_quoting(void **state)
{
	struct csv	cv;

	(void)state;
	assert_int_equal(csv_open(&cv, tmpfile_with("q.csv",
	    "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\n\"multi\nline\",,x\n"
	    "last,row")), 0);

	assert_int_equal(csv_next(&cv), 1);
	assert_int_equal(cv.cv_nfld, 3);
	assert_string_equal(csv_field(&cv, 1), "b,c");
	assert_string_equal(csv_field(&cv, 2), "say \"hi\"");

	assert_int_equal(csv_next(&cv), 1);	/* blank line skipped */
	assert_int_equal(cv.cv_line, 3);
	assert_int_equal(cv.cv_nfld, 3);
	assert_string_equal(csv_field(&cv, 0), "multi\nline");
	assert_string_equal(csv_field(&cv, 1), "");

	assert_int_equal(csv_next(&cv), 1);	/* no final newline */
	assert_int_equal(cv.cv_line, 5);
	assert_string_equal(csv_field(&cv, 1), "row");
	assert_int_equal(csv_next(&cv), 0);
	csv_close(&cv);
}

static void
test_cell_parse(void **state)
{
	float	v = 0;

	(void)state;
	assert_int_equal(cell_parse("42", &v), CELL_NUMBER);
	assert_float_equal(v, 42.0f, 0);
	assert_int_equal(cell_parse(" -7 ", &v), CELL_NUMBER);
	assert_float_equal(v, -7.0f, 0);
	assert_int_equal(cell_parse("4.0837821E7", &v), CELL_NUMBER);
	assert_float_equal(v, 4.0837821E7f, 0);
	assert_int_equal(cell_parse("1e300", &v), CELL_NUMBER);
	assert_true(v > 3e38f && !isinf(v));
	assert_int_equal(cell_parse("", &v), CELL_MISSING);
	assert_int_equal(cell_parse("NaN", &v), CELL_MISSING);
	assert_int_equal(cell_parse("NA", &v), CELL_MISSING);
	assert_int_equal(cell_parse("Infinity", &v), CELL_INFINITE);
	assert_int_equal(cell_parse("-Infinity", &v), CELL_INFINITE);
	assert_int_equal(cell_parse("HTTP", &v), CELL_TEXT);
	assert_int_equal(cell_parse("1.2.3", &v), CELL_TEXT);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicauca_sample),
		cmocka_unit_test(test_spaced_header),
		cmocka_unit_test(test_ports_and_drop),
		cmocka_unit_test(test_extra_columns),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_cell_parse),
	};
	int	rc;

	if (argc > 1)
		dir = argv[1];
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("train_dataset", tests, NULL, NULL);
	unlink(tmpfile_with("extra.csv", ""));
	unlink(tmpfile_with("q.csv", ""));
	rmdir(tmpdir);
	return rc;
}
