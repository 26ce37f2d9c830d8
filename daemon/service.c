/* SPDX-License-Identifier: ISC */
/*
 * What running as a system service adds to the capture loop: the SIGHUP
 * reload, the privilege drop once the capture is open, and the state
 * lines of a systemd Type=notify unit, written to $NOTIFY_SOCKET here so
 * that flowidd needs no libsystemd.  The capture itself is in live.c.
 */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>

#include <linux/capability.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_file.h"
#include "flowidd.h"
#include "log.h"

void
flowidd_notify(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	size_t			 n;
	int			 s;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return;
	if ((n = strlen(path)) >= sizeof(sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET is too long, systemd is not told");
		return;
	}

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';	/* abstract: the length ends it */

	if ((s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("%s: socket", __func__);
		return;
	}
	if (sendto(s, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) == -1)
		log_warn("%s: %s", __func__, path);
	close(s);
}

void
flowidd_ready(struct flowidd *d)
{
	char	state[256];

	snprintf(state, sizeof(state), "READY=1\nSTATUS=capturing on %s",
	    d->fd_conf.cf_interface);
	flowidd_notify(state);
}

/* The user to become and the group from the configuration. */
static int
privdrop_ids(const struct conf *c, const char *user, uid_t *uid,
    gid_t *gid)
{
	struct passwd	*pw;
	struct group	*gr;

	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("user %s does not exist: create it (make install "
		    "does) or set user in the configuration", user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (c->cf_group == NULL)
		return 0;
	if ((gr = getgrnam(c->cf_group)) == NULL) {
		log_warnx("group %s does not exist", c->cf_group);
		return -1;
	}
	*gid = gr->gr_gid;
	return 0;
}

static bool
privdrop_is_root(void)
{
	uid_t	r, e, s;

	if (getresuid(&r, &e, &s) == -1)
		fatal("getresuid");
	return r == 0 || e == 0 || s == 0;
}

/* Supplementary groups, then gid, then uid: each needs the one before. */
static int
privdrop_switch(uid_t uid, gid_t gid)
{
	if (setgroups(1, &gid) == -1) {
		log_warn("setgroups %u", (unsigned)gid);
		return -1;
	}
	if (setresgid(gid, gid, gid) == -1) {
		log_warn("setresgid %u", (unsigned)gid);
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		log_warn("setresuid %u", (unsigned)uid);
		return -1;
	}
	return 0;
}

/*
 * Leaving uid 0 already empties the permitted and effective sets; clear
 * all three explicitly anyway, since a non-root start with file or
 * ambient capabilities keeps them, and the inheritable set survives
 * setresuid.  The bounding set cannot be lowered without CAP_SETPCAP and
 * only matters across execve, which no_new_privs closes as well.
 */
static int
privdrop_caps(void)
{
	struct __user_cap_header_struct	hdr;
	struct __user_cap_data_struct	data[_LINUX_CAPABILITY_U32S_3];

	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &hdr, data) == -1) {
		log_warn("capset");
		return -1;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		log_warn("clearing ambient capabilities");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("no_new_privs");
		return -1;
	}
	return 0;
}

/* Read back what the kernel holds now; any surprise is fatal. */
static void
privdrop_verify(uid_t uid, gid_t gid, bool switched)
{
	struct __user_cap_header_struct	hdr;
	struct __user_cap_data_struct	data[_LINUX_CAPABILITY_U32S_3];
	uid_t				ru, eu, su;
	gid_t				rg, eg, sg, groups[2];
	int				i;

	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1)
		fatal("privilege drop: getresuid");
	if (ru != uid || eu != uid || su != uid ||
	    (switched && (rg != gid || eg != gid || sg != gid)))
		fatalx("privilege drop failed: uid %u/%u/%u gid %u/%u/%u",
		    ru, eu, su, rg, eg, sg);
	if (switched && (getgroups(2, groups) != 1 || groups[0] != gid))
		fatalx("privilege drop failed: supplementary groups remain");
	if (setuid(0) != -1)
		fatalx("privilege drop failed: uid 0 can be regained");

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1)
		fatal("privilege drop: capget");
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].effective || data[i].permitted ||
		    data[i].inheritable)
			fatalx("privilege drop failed: capabilities remain");
}

int
flowidd_privdrop(struct flowidd *d)
{
	const struct conf	*c = &d->fd_conf;
	const char		*user = c->cf_user ? c->cf_user :
				    CONF_USER_DEFAULT;
	bool			 root = privdrop_is_root();
	uid_t			 uid;
	gid_t			 gid;

	if (strcmp(user, "root") == 0) {
		log_notice("staying root, as the configuration says");
		return 0;
	}
	if (privdrop_ids(c, user, &uid, &gid) == -1)
		return -1;
	if (uid == 0) {
		log_warnx("user %s has uid 0: refusing to stay root (say "
		    "user = \"root\" to mean it)", user);
		return -1;
	}
	if (chdir("/") == -1) {
		log_warn("chdir /");
		return -1;
	}

	if (root && privdrop_switch(uid, gid) == -1)
		return -1;
	if (!root && getuid() != uid) {
		/* only root can switch users: keep the one we have */
		log_notice("started as uid %u, not as root: staying uid %u "
		    "rather than becoming %s", (unsigned)getuid(),
		    (unsigned)getuid(), user);
		uid = getuid();
	}
	if (privdrop_caps() == -1)
		return -1;
	privdrop_verify(uid, gid, root);
	log_notice("running as %s (uid %u, gid %u) without capabilities",
	    root ? user : "the starting user", (unsigned)getuid(),
	    (unsigned)getgid());
	return 0;
}

/*
 * Read the file and the command line into nc as main() does.  The
 * profile must stay the running one, since the new model is checked
 * against it before anything else.
 */
static int
reload_read(struct flowidd *d, struct conf *nc, char *err, size_t errlen)
{
	conf_defaults(nc);
	if (conf_file_load(d->fd_conf_path, d->fd_conf_explicit, nc, err,
	    errlen) == -1)
		return -1;
	optind = 0;	/* glibc: scan argv from the start again */
	options_parse(d->fd_argc, d->fd_argv, nc);
	flowidd_sinks_default(nc);
	if (nc->cf_profile != d->fd_conf.cf_profile) {
		log_notice("reload: features changed, restart to apply it");
		nc->cf_profile = d->fd_conf.cf_profile;
	}
	return 0;
}

static void
reload_changed(const char *name, bool changed)
{
	if (changed)
		log_notice("reload: %s changed, restart to apply it", name);
}

/* Keep the running string: swap, so the old conf frees the new one. */
static void
reload_keep_str(const char *name, char **cur, char **next)
{
	char	*t = *next;

	if (*cur == NULL || t == NULL)
		reload_changed(name, *cur != t);
	else
		reload_changed(name, strcmp(*cur, t) != 0);
	*next = *cur;
	*cur = t;
}

static void
reload_keep_csv(struct conf *cur, struct conf *nc)
{
	char	*t[CONF_MAX_CSV];
	size_t	 i, n;
	bool	 changed = cur->cf_ncsv != nc->cf_ncsv;

	for (i = 0; !changed && i < cur->cf_ncsv; i++)
		changed = strcmp(cur->cf_csv[i], nc->cf_csv[i]) != 0;
	reload_changed("outputs.csv", changed);
	memcpy(t, nc->cf_csv, sizeof(t));
	memcpy(nc->cf_csv, cur->cf_csv, sizeof(t));
	memcpy(cur->cf_csv, t, sizeof(t));
	n = nc->cf_ncsv;
	nc->cf_ncsv = cur->cf_ncsv;
	cur->cf_ncsv = n;
}

/*
 * Settings that only a restart applies: the capture, the flow engine,
 * the sinks (opened once; syslog keeps a pointer to the ident) and the
 * user.  nc gets the running values, with a notice for each change.
 */
static void
reload_keep(struct conf *cur, struct conf *nc)
{
	reload_keep_str("interface", &cur->cf_interface, &nc->cf_interface);
	reload_keep_str("filter", &cur->cf_filter, &nc->cf_filter);
	reload_changed("snaplen", cur->cf_snaplen != nc->cf_snaplen);
	reload_changed("promiscuous", cur->cf_promisc != nc->cf_promisc);
	reload_changed("buffer_size",
	    cur->cf_buffer_size != nc->cf_buffer_size);
	reload_changed("immediate", cur->cf_immediate != nc->cf_immediate);
	nc->cf_snaplen = cur->cf_snaplen;
	nc->cf_promisc = cur->cf_promisc;
	nc->cf_buffer_size = cur->cf_buffer_size;
	nc->cf_immediate = cur->cf_immediate;

	reload_changed("idle_timeout", cur->cf_idle_us != nc->cf_idle_us);
	reload_changed("active_timeout",
	    cur->cf_active_us != nc->cf_active_us);
	reload_changed("max_flows", cur->cf_max_flows != nc->cf_max_flows);
	nc->cf_idle_us = cur->cf_idle_us;
	nc->cf_active_us = cur->cf_active_us;
	nc->cf_max_flows = cur->cf_max_flows;

	reload_changed("outputs.stdout",
	    cur->cf_out_stdout != nc->cf_out_stdout);
	reload_changed("outputs.syslog",
	    cur->cf_out_syslog != nc->cf_out_syslog);
	reload_changed("outputs.facility",
	    cur->cf_facility != nc->cf_facility);
	nc->cf_out_stdout = cur->cf_out_stdout;
	nc->cf_out_syslog = cur->cf_out_syslog;
	nc->cf_facility = cur->cf_facility;
	reload_keep_str("outputs.ident", &cur->cf_ident, &nc->cf_ident);
	reload_keep_csv(cur, nc);
	reload_keep_str("labels", &cur->cf_labels, &nc->cf_labels);

	reload_keep_str("user", &cur->cf_user, &nc->cf_user);
	reload_keep_str("group", &cur->cf_group, &nc->cf_group);
}

/*
 * Flows in the table are not touched: output_set_classifier() writes
 * the queued records with the old model before the new one takes over,
 * so no flow is lost or written twice.
 */
void
flowidd_reload(struct flowidd *d)
{
	struct conf		 nc, old;
	struct classifier	*cls;
	char			 err[1024];

	log_notice("reloading %s", d->fd_conf_path);
	flowidd_notify("RELOADING=1");
	if (reload_read(d, &nc, err, sizeof(err)) == -1 ||
	    flowidd_model_load(&nc, &cls, err, sizeof(err)) == -1) {
		log_errx("reload rejected, keeping the running configuration "
		    "and model: %s", err);
		conf_clear(&nc);
		flowidd_notify("READY=1");
		return;
	}

	reload_keep(&d->fd_conf, &nc);
	output_set_classifier(d->fd_out, cls);
	classifier_free(d->fd_cls);
	d->fd_cls = cls;
	old = d->fd_conf;
	d->fd_conf = nc;
	conf_clear(&old);

	log_notice("reloaded %s: model %s, min_confidence %g, "
	    "stats_interval %us", d->fd_conf_path,
	    cls != NULL ? classifier_path(cls) : "none",
	    d->fd_conf.cf_min_confidence, d->fd_conf.cf_stats_interval);
	flowidd_notify("READY=1");
}
