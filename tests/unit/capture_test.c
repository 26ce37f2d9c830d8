/* SPDX-License-Identifier: ISC */
/*
 * daemon/capture.c with daemon/mapped.c: a capture file cut shorter
 * while flowidd reads it in place must not end flowidd with SIGBUS.
 * The record cut in two is then libpcap's to report, as it would be
 * for a file cut before flowidd opened it; every whole record before it
 * is read once.
 */

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"
#include "flowid.h"

#define DEMO	"tests/data/demo.pcap"
#define PAGE	4096

static void
on_end(struct flow *fl, void *arg)
{
	(void)fl;
	(void)arg;
}

/* demo.pcap's records over and over, to at least min bytes. */
static size_t
write_big(const char *path, size_t min, size_t *nrec, size_t *cut_recs,
    size_t cut)
{
	static uint8_t	demo[1 << 20];
	FILE		*in, *out;
	size_t		 len, off, total = 24;
	uint32_t	 incl;

	assert_non_null(in = fopen(DEMO, "rb"));
	len = fread(demo, 1, sizeof(demo), in);
	fclose(in);
	assert_true(len > 24 && len < sizeof(demo));
	assert_non_null(out = fopen(path, "wb"));
	assert_int_equal(fwrite(demo, 1, 24, out), 24);
	*nrec = *cut_recs = 0;
	while (total < min)
		for (off = 24; off + 16 <= len; off += 16 + incl) {
			memcpy(&incl, demo + off + 8, 4);
			assert_int_equal(fwrite(demo + off, 1, 16 + incl, out),
			    16 + incl);
			total += 16 + incl;
			(*nrec)++;
			if (total <= cut)
				(*cut_recs)++;
		}
	fclose(out);
	return total;
}

/*
 * Read 100 records, cut the file at cut, read on: the torn record is
 * libpcap's to report, and every whole record before it is read once.
 */
static void
assert_cut(size_t cut)
{
	char			 path[] = "/tmp/capture_test.XXXXXX", err[512];
	struct flowid_conf	 fc;
	struct flowid		*fi;
	struct capture		*cp;
	size_t			 nrec, whole, size;
	int			 fd, n;

	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	size = write_big(path, 4 * 1024 * 1024, &nrec, &whole, cut);
	assert_true(size > cut + PAGE);

	flowid_conf_default(&fc, FLOWID_PROFILE_FLOWIDD);
	fc.fc_offline = true;
	fc.fc_end_cb = on_end;
	assert_non_null(fi = flowid_new(&fc));
	assert_non_null(cp = capture_open_file(path, NULL, err,
	    sizeof(err)));

	assert_int_equal(capture_feed(cp, fi, 100), 100);
	assert_int_equal(truncate(path, (off_t)cut), 0);
	while ((n = capture_feed(cp, fi, 1000)) > 0)
		;

	assert_int_equal(n, -1);
	assert_non_null(strstr(capture_error(cp), "truncated dump file"));
	assert_int_equal(flowid_counters(fi)->fc_read, whole);
	assert_true(whole < nrec);

	capture_close(cp);
	flowid_free(fi);
	unlink(path);
}

static void
test_cut_while_mapped(void **state)
{
	(void)state;

	/* on a page, in the MiB being read: the missing page faults */
	assert_cut(64 * 1024);

	/* mid-page, a MiB ahead: the size looked at once a MiB shows it */
	assert_cut(2 * 1024 * 1024 + 7);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_cut_while_mapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
