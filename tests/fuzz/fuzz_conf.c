/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the configuration loader.  The input is a whole
 * flowidd.conf, read by conf_file_load() from an in-memory file through
 * its /proc/self/fd path.  A file that loads is printed back (flowidd
 * -nv) and the result must load again to the same settings; a file that
 * does not load must leave one line naming the file.  Anything else
 * aborts.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf_file.h"
#include "fuzz_file.h"


int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/*
 * libconfig 1.5, as Debian 12 ships it, leaks the string token being
 * parsed when a syntax error stops the parser (up to 64 bytes per
 * failed load; hyperrealm/libconfig issue 142, fixed upstream in 2019).
 * That leak is not flowidd's, and would stop every run at its first
 * syntax error.  Only the lexer's frames are named: a tree flowidd
 * forgot to destroy is still reported through the parser's frames.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

/* ...and without a report of the suppressions after every such input. */
const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init("fuzz_conf");
	return 0;
}

/*
 * @include makes libconfig open any path the input names (/dev/zero,
 * a FIFO, the fuzzer's own descriptors): it tests the file system, not
 * the loader, so such inputs are left out.
 */
static int
fuzz_has_include(const uint8_t *data, size_t len)
{
	size_t	i;

	for (i = 0; i + 8 <= len; i++)
		if (data[i] == '@' &&
		    strncasecmp((const char *)data + i + 1, "include", 7) == 0)
			return 1;
	return 0;
}

/* The error must be one line and start with the file's name. */
static void
fuzz_check_err(const char *err)
{
	if (strncmp(err, fuzz_path, strlen(fuzz_path)) != 0 ||
	    strchr(err, '\n') != NULL)
		abort();
}

/* What conf_file_print() writes must load back to the same output. */
static void
fuzz_roundtrip(const struct conf *c)
{
	struct conf	 c2;
	char		*out1 = NULL, *out2 = NULL, err[1024];
	size_t		 n1 = 0, n2 = 0;
	FILE		*fp;

	if ((fp = open_memstream(&out1, &n1)) == NULL)
		abort();
	conf_file_print(fp, c);
	fclose(fp);

	fuzz_file_write(out1, n1);
	conf_defaults(&c2);
	if (conf_file_load(fuzz_path, true, &c2, err, sizeof(err)) == -1) {
		fprintf(stderr, "printed configuration does not load: %s\n"
		    "%s", err, out1);
		abort();
	}
	if ((fp = open_memstream(&out2, &n2)) == NULL)
		abort();
	conf_file_print(fp, &c2);
	fclose(fp);
	if (n1 != n2 || memcmp(out1, out2, n1) != 0) {
		fprintf(stderr, "printed twice, differs:\n%s--\n%s", out1,
		    out2);
		abort();
	}
	conf_clear(&c2);
	free(out1);
	free(out2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct conf	c;
	char		err[1024];

	if (fuzz_has_include(data, len))
		return 0;
	fuzz_file_write(data, len);
	conf_defaults(&c);
	err[0] = '\0';
	if (conf_file_load(fuzz_path, true, &c, err, sizeof(err)) == -1)
		fuzz_check_err(err);
	else
		fuzz_roundtrip(&c);
	conf_clear(&c);
	return 0;
}
