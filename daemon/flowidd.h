/* SPDX-License-Identifier: ISC */
/* The daemon's shared state, and the entry points of its parts. */
#ifndef FLOWIDD_H
#define FLOWIDD_H

#include <stdbool.h>
#include <stdint.h>

#include "capture.h"
#include "classify.h"
#include "conf.h"
#include "flowid.h"
#include "output.h"

struct flowidd {
	struct conf		 fd_conf;
	struct classifier	*fd_cls;	/* NULL: no model */
	struct output		*fd_out;
	struct flowid		*fd_fi;
	struct capture		*fd_cap;	/* live capture */
	const char		*fd_conf_path;	/* for reloads */
	bool			 fd_conf_explicit;
	int			 fd_argc;	/* for reloads */
	char			**fd_argv;
};

/* options.c: parse argv into c (over what the file set); exit 1 on a
 * bad option. */
void	options_parse(int argc, char **argv, struct conf *c);

/* options.c: only -c, -n, -f and -v, before the file is read. */
void	options_prescan(int argc, char **argv, const char **conf_path,
	    bool *check_only);

/* live.c: run the libevent loop until SIGINT/SIGTERM; returns the exit
 * status. */
int	live_run(struct flowidd *);

/* flowidd.c: the one-line counter summary, at notice. */
void	flowidd_summary(struct flowidd *, const char *what);

/* flowidd.c: with no output chosen, records go to stdout for files and
 * -f, to syslog otherwise. */
void	flowidd_sinks_default(struct conf *);

/* flowidd.c: load c's model (resolving the default path into c) into
 * *cls, left NULL when there is none; 0, or -1 with a line in err. */
int	flowidd_model_load(struct conf *c, struct classifier **cls,
	    char *err, size_t errlen);

/* service.c: SIGHUP: re-read configuration and model, swap if valid. */
void	flowidd_reload(struct flowidd *);

/* service.c: after the capture is open, become the configured user.
 * Returns 0, or -1 after logging why. */
int	flowidd_privdrop(struct flowidd *);

/* service.c: tell systemd the daemon is ready (Type=notify). */
void	flowidd_ready(struct flowidd *);

/* service.c: send one state line ("STOPPING=1") to systemd, if it
 * listens. */
void	flowidd_notify(const char *state);

#endif /* FLOWIDD_H */
