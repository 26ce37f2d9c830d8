/* SPDX-License-Identifier: ISC */
/*
 * flowidd's settings: built-in defaults, then the configuration file,
 * then the command line, each overriding the one before.
 */
#ifndef FLOWIDD_CONF_H
#define FLOWIDD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

#define CONF_PATH_DEFAULT	"/etc/flowidd/flowidd.conf"
#define CONF_USER_DEFAULT	"flowidd"	/* when cf_user is NULL */
#define CONF_MAX_FILES		64
#define CONF_MAX_CSV		4

struct conf {
	/* capture */
	char		*cf_interface;	/* live capture, or NULL */
	char		*cf_files[CONF_MAX_FILES]; /* -r, in order */
	size_t		 cf_nfiles;
	char		*cf_filter;	/* BPF expression, or NULL */
	int		 cf_snaplen;
	bool		 cf_promisc;
	int		 cf_buffer_size;	/* kernel buffer, bytes; 0 default */
	bool		 cf_immediate;

	/* flows */
	uint64_t	 cf_idle_us;
	uint64_t	 cf_active_us;
	size_t		 cf_max_flows;
	enum flowid_profile cf_profile;

	/* classification */
	char		*cf_model;	/* sidecar .model path, or NULL */
	double		 cf_min_confidence;
	char		*cf_labels;	/* ground truth for CSV, or NULL */

	/* outputs */
	bool		 cf_out_stdout;
	bool		 cf_out_syslog;
	bool		 cf_outputs_set; /* some -o given: no default sinks */
	char		*cf_csv[CONF_MAX_CSV];	/* "-" is stdout */
	size_t		 cf_ncsv;
	int		 cf_facility;	/* LOG_DAEMON, ... */
	char		*cf_ident;

	/* process */
	char		*cf_user;	/* NULL: CONF_USER_DEFAULT */
	char		*cf_group;	/* NULL: the user's group */
	unsigned	 cf_stats_interval;	/* seconds; 0 off */
	bool		 cf_foreground;	/* -f: log to stderr too */
	bool		 cf_verbose;	/* -v: debug */
	bool		 cf_check_only;	/* -n */
};

void	conf_defaults(struct conf *);
void	conf_clear(struct conf *);

#endif /* FLOWIDD_CONF_H */
