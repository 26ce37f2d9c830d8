/* SPDX-License-Identifier: ISC */
/*
 * flowidd: name the application behind each IP flow from its statistics.
 * main() reads the settings (defaults, file, command line), loads the
 * model, then either reads capture files to the end or runs the live
 * event loop (live.c), and prints one summary line of its counters.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_file.h"
#include "flowidd.h"
#include "log.h"
#include "stats.h"

#define RUN_SLICE	65536	/* packets read between two state checks */

#ifndef FLOWIDD_MODEL_DEFAULT
#define FLOWIDD_MODEL_DEFAULT	"/usr/local/share/flowidd/default.model"
#endif

static void
summary_skips(const struct flowid_counters *fc, char *buf, size_t len)
{
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 1; i < FLOWID_SKIP_NREASONS && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " %s=%llu",
		    flowid_skip_name((enum flowid_skip)i),
		    (unsigned long long)fc->fc_skipped[i]);
}

static void
summary_ends(const struct flowid_counters *fc, char *buf, size_t len)
{
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < FLOW_END_NREASONS && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " %s=%llu",
		    flow_end_name((enum flow_end)i),
		    (unsigned long long)fc->fc_ended[i]);
}

void
flowidd_summary(struct flowidd *d, const char *what)
{
	const struct flowid_counters *fc = flowid_counters(d->fd_fi);
	char		 skips[256], ends[256];
	uint64_t	 skipped = 0, drops = 0;
	size_t		 i;

	for (i = 1; i < FLOWID_SKIP_NREASONS; i++)
		skipped += fc->fc_skipped[i];
	if (d->fd_cap != NULL)
		drops = capture_drops(d->fd_cap);
	summary_skips(fc, skips, sizeof(skips));
	summary_ends(fc, ends, sizeof(ends));
	log_notice("%s: packets read=%llu decoded=%llu skipped=%llu (%s ) "
	    "truncated=%llu disorder=%llu flows created=%llu open=%zu "
	    "ended (%s ) kernel_drops=%llu", what,
	    (unsigned long long)fc->fc_read,
	    (unsigned long long)fc->fc_decoded,
	    (unsigned long long)skipped, skips + 1,
	    (unsigned long long)fc->fc_truncated,
	    (unsigned long long)fc->fc_disorder,
	    (unsigned long long)fc->fc_created, flowid_active(d->fd_fi),
	    ends + 1, (unsigned long long)drops);
}

/* The shipped model: installed, else beside the binary in a build tree. */
static char *
model_default_path(void)
{
	char	exe[PATH_MAX], *p, path[PATH_MAX + 32];
	ssize_t	n;

	if (access(FLOWIDD_MODEL_DEFAULT, R_OK) == 0)
		return strdup(FLOWIDD_MODEL_DEFAULT);
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	if ((p = strrchr(exe, '/')) == NULL)
		return NULL;
	*p = '\0';
	snprintf(path, sizeof(path), "%s/../models/default.model", exe);
	if (access(path, R_OK) == 0)
		return strdup(path);
	return NULL;
}

int
flowidd_model_load(struct conf *c, struct classifier **cls, char *err,
    size_t errlen)
{
	*cls = NULL;
	if (c->cf_model != NULL && strcmp(c->cf_model, "none") == 0)
		return 0;
	if (c->cf_model == NULL && (c->cf_model = model_default_path()) ==
	    NULL) {
		log_warnx("no model found (looked for %s): flows are not "
		    "classified", FLOWIDD_MODEL_DEFAULT);
		return 0;
	}
	*cls = classifier_load(c->cf_model, c->cf_profile,
	    c->cf_min_confidence, err, errlen);
	return *cls == NULL ? -1 : 0;
}

static int
engine_setup(struct flowidd *d, bool offline)
{
	struct flowid_conf	fc;
	struct conf		*c = &d->fd_conf;

	flowid_conf_default(&fc, c->cf_profile);
	if (c->cf_profile == FLOWID_PROFILE_FLOWIDD)
		fc.fc_idle_us = c->cf_idle_us;
	fc.fc_active_us = c->cf_active_us;
	fc.fc_max_flows = c->cf_max_flows;
	fc.fc_offline = offline;
	if (!offline)
		fc.fc_reorder = 0;	/* one interface delivers in order */
	fc.fc_end_cb = output_end_cb;
	fc.fc_end_arg = d->fd_out;
	if ((d->fd_fi = flowid_new(&fc)) == NULL)
		return -1;
	output_attach(d->fd_out, d->fd_fi);
	return 0;
}

static void
warn_linktype(const struct capture *cp)
{
	if (!decode_linktype_supported(capture_linktype(cp)))
		log_warnx("%s: link type %d is not supported, its frames "
		    "are counted as skipped", capture_name(cp),
		    capture_linktype(cp));
}

/*
 * Feed one file in slices, so that degraded states (table full) are
 * noticed by packet time as they would be live.  Returns the status.
 */
static int
run_file(struct flowidd *d, struct capture *cp, struct stats *st)
{
	int	n;

	warn_linktype(cp);
	while ((n = capture_feed(cp, d->fd_fi, RUN_SLICE)) > 0)
		stats_tick(st, flowid_clock(d->fd_fi));
	if (n == -1) {
		log_warnx("%s", capture_error(cp));
		return 1;
	}
	return 0;
}

/* Read every -r file in order as one stream.  Returns the exit status. */
static int
run_files(struct flowidd *d)
{
	struct capture	*cps[CONF_MAX_FILES];
	struct conf	*c = &d->fd_conf;
	struct stats	*st;
	char		 err[512];
	size_t		 i, n;
	int		 status = 0;

	for (n = 0; n < c->cf_nfiles; n++)
		if ((cps[n] = capture_open_file(c->cf_files[n], c->cf_filter,
		    err, sizeof(err))) == NULL) {
			log_warnx("%s", err);
			status = 1;
			goto out;
		}
	if ((st = stats_new(d, 0)) == NULL)
		fatalx("out of memory");
	output_set_stats(d->fd_out, st);
	for (i = 0; i < n && status == 0; i++)
		status = run_file(d, cps[i], st);
	flowid_finish(d->fd_fi, FLOW_END_EOF);
	if (output_flush(d->fd_out) == -1)
		status = 1;
	stats_finish(st, flowid_clock(d->fd_fi));
	output_set_stats(d->fd_out, NULL);
	stats_free(st);
	flowidd_summary(d, "end of input");
out:
	while (n > 0)
		capture_close(cps[--n]);
	return status;
}

void
flowidd_sinks_default(struct conf *c)
{
	if (c->cf_outputs_set || c->cf_out_stdout || c->cf_out_syslog ||
	    c->cf_ncsv > 0)
		return;
	if (c->cf_nfiles > 0 || c->cf_foreground)
		c->cf_out_stdout = true;
	else
		c->cf_out_syslog = true;
}

static void
logging_setup(const struct conf *c)
{
	bool	live = c->cf_nfiles == 0 && !c->cf_check_only;

	log_init(c->cf_ident ? c->cf_ident : "flowidd", c->cf_facility,
	    !live || c->cf_foreground, live, c->cf_verbose);
}

int
main(int argc, char *argv[])
{
	struct flowidd	 d;
	char		 err[1024];
	int		 status;

	memset(&d, 0, sizeof(d));
	conf_defaults(&d.fd_conf);
	d.fd_conf_path = CONF_PATH_DEFAULT;
	d.fd_argc = argc;	/* reloads apply the command line again */
	d.fd_argv = argv;
	options_prescan(argc, argv, &d.fd_conf_path, &d.fd_conf.cf_check_only);
	d.fd_conf_explicit = strcmp(d.fd_conf_path, CONF_PATH_DEFAULT) != 0;
	if (conf_file_load(d.fd_conf_path, d.fd_conf_explicit, &d.fd_conf,
	    err, sizeof(err)) == -1) {
		fprintf(stderr, "flowidd: %s\n", err);
		conf_clear(&d.fd_conf);
		return 1;
	}
	options_parse(argc, argv, &d.fd_conf);
	flowidd_sinks_default(&d.fd_conf);
	logging_setup(&d.fd_conf);

	if (flowidd_model_load(&d.fd_conf, &d.fd_cls, err,
	    sizeof(err)) == -1) {
		log_warnx("%s", err);
		conf_clear(&d.fd_conf);
		return 1;
	}
	if (d.fd_conf.cf_check_only) {
		if (d.fd_conf.cf_verbose)
			conf_file_print(stdout, &d.fd_conf);
		printf("flowidd: configuration %s OK, model %s\n",
		    d.fd_conf_path, d.fd_cls ? classifier_path(d.fd_cls) :
		    "none");
		classifier_free(d.fd_cls);
		conf_clear(&d.fd_conf);
		return 0;
	}
	if (d.fd_conf.cf_interface == NULL && d.fd_conf.cf_nfiles == 0) {
		log_warnx("nothing to read: give -i interface or -r file");
		return 1;
	}

	if ((d.fd_out = output_new(&d.fd_conf, d.fd_cls, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return 1;
	}
	if (engine_setup(&d, d.fd_conf.cf_nfiles > 0) == -1)
		fatalx("out of memory");

	if (d.fd_conf.cf_nfiles > 0)
		status = run_files(&d);
	else
		status = live_run(&d);

	flowid_free(d.fd_fi);
	output_free(d.fd_out);
	classifier_free(d.fd_cls);
	conf_clear(&d.fd_conf);
	return status;
}
