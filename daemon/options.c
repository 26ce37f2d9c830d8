/* SPDX-License-Identifier: ISC */
/*
 * Command-line options.  Each bad value gets one line naming the option
 * and what it accepts, and exit status 1.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowidd.h"

enum {
	OPT_FEATURES = 256,
	OPT_LABELS,
	OPT_IDLE,
	OPT_ACTIVE,
	OPT_MAX_FLOWS,
	OPT_SNAPLEN,
	OPT_BUFSIZE,
	OPT_STATS,
	OPT_MINCONF,
	OPT_NOMODEL,
	OPT_HELP,
};

static const char shortopts[] = "c:fF:hi:m:no:r:v";

static const struct option longopts[] = {
	{ "features",		required_argument, NULL, OPT_FEATURES },
	{ "labels",		required_argument, NULL, OPT_LABELS },
	{ "idle-timeout",	required_argument, NULL, OPT_IDLE },
	{ "active-timeout",	required_argument, NULL, OPT_ACTIVE },
	{ "max-flows",		required_argument, NULL, OPT_MAX_FLOWS },
	{ "snaplen",		required_argument, NULL, OPT_SNAPLEN },
	{ "buffer-size",	required_argument, NULL, OPT_BUFSIZE },
	{ "stats-interval",	required_argument, NULL, OPT_STATS },
	{ "min-confidence",	required_argument, NULL, OPT_MINCONF },
	{ "no-model",		no_argument,	   NULL, OPT_NOMODEL },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: flowidd [-fnv] [-c file] [-i interface | -r file ...] "
	    "[-F filter]\n"
	    "               [-m model] [-o stdout|syslog|csv:path] ...\n"
	    "               [--features flowidd|cicflowmeter|unicauca] "
	    "[--labels file]\n"
	    "               [--idle-timeout s] [--active-timeout s] "
	    "[--max-flows n]\n"
	    "               [--snaplen n] [--buffer-size bytes] "
	    "[--stats-interval s]\n"
	    "               [--min-confidence p] [--no-model]\n");
	exit(status);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
opt_fail(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "flowidd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* A whole number in [lo, hi], or exit naming the option. */
static unsigned long long
opt_number(const char *opt, const char *s, unsigned long long lo,
    unsigned long long hi)
{
	unsigned long long	 v;
	char			*end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 ||
	    v < lo || v > hi)
		opt_fail("%s: \"%s\" is not a whole number from %llu to %llu",
		    opt, s, lo, hi);
	return v;
}

static char *
opt_strdup(const char *s)
{
	char	*d;

	if ((d = strdup(s)) == NULL)
		opt_fail("out of memory");
	return d;
}

static void
opt_replace(char **dst, const char *s)
{
	free(*dst);
	*dst = opt_strdup(s);
}

static void
opt_output(struct conf *c, const char *s)
{
	if (!c->cf_outputs_set) {
		/* the first -o replaces the configured sinks */
		c->cf_out_stdout = c->cf_out_syslog = false;
		while (c->cf_ncsv > 0)
			free(c->cf_csv[--c->cf_ncsv]);
		c->cf_outputs_set = true;
	}
	if (strcmp(s, "stdout") == 0)
		c->cf_out_stdout = true;
	else if (strcmp(s, "syslog") == 0)
		c->cf_out_syslog = true;
	else if (strncmp(s, "csv:", 4) == 0 && s[4] != '\0') {
		if (c->cf_ncsv == CONF_MAX_CSV)
			opt_fail("-o: at most %d csv outputs", CONF_MAX_CSV);
		c->cf_csv[c->cf_ncsv++] = opt_strdup(s + 4);
	} else
		opt_fail("-o: unknown output \"%s\" (stdout, syslog, "
		    "csv:PATH)", s);
}

static double
opt_probability(const char *opt, const char *s)
{
	double	 v;
	char	*end;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= 0 && v <= 1))
		opt_fail("%s: \"%s\" is not a number from 0 to 1", opt, s);
	return v;
}

static void
opt_one(struct conf *c, int ch, const char *arg)
{
	switch (ch) {
	case 'f':
		c->cf_foreground = true;
		break;
	case 'F':
		opt_replace(&c->cf_filter, arg);
		break;
	case 'i':
		opt_replace(&c->cf_interface, arg);
		break;
	case 'm':
		opt_replace(&c->cf_model, arg);
		break;
	case 'n':
		c->cf_check_only = true;
		break;
	case 'o':
		opt_output(c, arg);
		break;
	case 'r':
		if (c->cf_nfiles == CONF_MAX_FILES)
			opt_fail("-r: at most %d files", CONF_MAX_FILES);
		c->cf_files[c->cf_nfiles++] = opt_strdup(arg);
		break;
	case 'v':
		c->cf_verbose = true;
		break;
	case OPT_FEATURES:
		if (profile_parse(arg, &c->cf_profile) == -1)
			opt_fail("--features: unknown profile \"%s\" "
			    "(flowidd, cicflowmeter, unicauca)", arg);
		break;
	case OPT_LABELS:
		opt_replace(&c->cf_labels, arg);
		break;
	case OPT_IDLE:
		c->cf_idle_us = opt_number("--idle-timeout", arg, 0,
		    86400) * 1000000;
		break;
	case OPT_ACTIVE:
		c->cf_active_us = opt_number("--active-timeout", arg, 1,
		    FLOWID_ACTIVE_S_MAX) * 1000000;
		break;
	case OPT_MAX_FLOWS:
		c->cf_max_flows = opt_number("--max-flows", arg, 1,
		    100000000);
		break;
	case OPT_SNAPLEN:
		c->cf_snaplen = (int)opt_number("--snaplen", arg, 64, 262144);
		break;
	case OPT_BUFSIZE:
		c->cf_buffer_size = (int)opt_number("--buffer-size", arg, 0,
		    1 << 30);
		break;
	case OPT_STATS:
		c->cf_stats_interval = (unsigned)opt_number(
		    "--stats-interval", arg, 0, 86400);
		break;
	case OPT_MINCONF:
		c->cf_min_confidence = opt_probability("--min-confidence",
		    arg);
		break;
	case OPT_NOMODEL:
		opt_replace(&c->cf_model, "none");
		break;
	case OPT_HELP:
		usage(0);
	default:
		usage(1);
	}
}

void
options_prescan(int argc, char **argv, const char **conf_path,
    bool *check_only)
{
	int	ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts,
	    NULL)) != -1) {
		if (ch == 'c')
			*conf_path = optarg;
		else if (ch == 'n')
			*check_only = true;
	}
	optind = 0;	/* glibc: rescan from the start */
}

void
options_parse(int argc, char **argv, struct conf *c)
{
	int	ch;
	bool	live = false, files = false;

	opterr = 1;
	while ((ch = getopt_long(argc, argv, shortopts, longopts,
	    NULL)) != -1) {
		live |= ch == 'i';
		files |= ch == 'r';
		if (ch != 'c')
			opt_one(c, ch, optarg);
	}
	if (optind < argc)
		opt_fail("unexpected argument \"%s\"", argv[optind]);
	if (live && files)
		opt_fail("-i and -r cannot be used together");
	if (files) {
		/* -r on the command line overrides a configured interface */
		free(c->cf_interface);
		c->cf_interface = NULL;
	}
}
