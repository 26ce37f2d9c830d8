/* SPDX-License-Identifier: ISC */
/*
 * Statistics of a live capture.  Engine and capture counters are read
 * when a line is due; only the per-application counts need a hook, one
 * call per record.  Application names are copied, since a reload frees
 * the model that owns the class names.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowidd.h"
#include "log.h"
#include "stats.h"

#define STATS_SLOTS	2048	/* hash slots for application names */
#define STATS_NAMES	1024	/* names kept; later ones count as other */
#define STATS_TOP	5	/* applications listed per ranking */
#define STATS_QUIET_US	60000000ULL	/* calm this long: state ends */
#define STATS_FULL_LOW	90	/* % of max_flows under which full ends */

struct stats_app {
	char		*sa_name;	/* NULL: free slot */
	uint64_t	 sa_flows;	/* this period */
	uint64_t	 sa_bytes;
};

struct stats {
	struct flowidd	*st_d;
	struct stats_app st_apps[STATS_SLOTS];
	size_t		 st_napps;
	struct stats_app st_other;	/* names past STATS_NAMES */

	/* counters when the period began */
	uint64_t	 st_t0;
	uint64_t	 st_pkts0;
	uint64_t	 st_bytes0;
	uint64_t	 st_drops0;
	uint64_t	 st_created0;
	uint64_t	 st_evicted0;

	/* degraded states */
	bool		 st_full;
	uint64_t	 st_lost;	/* evicted or untracked, last tick */
	uint64_t	 st_full_lost0;	/* ... when full began */
	uint64_t	 st_full_seen;	/* last tick with a loss, us */
	bool		 st_dropping;
	uint64_t	 st_drops;	/* kernel drops, last tick */
	uint64_t	 st_drops_begin;	/* ... when dropping began */
	uint64_t	 st_drops_t0;	/* when dropping began, us */
	uint64_t	 st_drops_seen;	/* last tick with new drops, us */
};

static uint64_t
stats_drops(const struct stats *st)
{
	return st->st_d->fd_cap != NULL ? capture_drops(st->st_d->fd_cap) : 0;
}

/* Flows the table could not keep: evicted, or never created. */
static uint64_t
stats_lost(const struct flowid_counters *fc)
{
	return fc->fc_ended[FLOW_END_EVICT] + fc->fc_skipped[FLOWID_SKIP_NOMEM];
}

static void
stats_period(struct stats *st, uint64_t now)
{
	const struct flowid_counters *fc = flowid_counters(st->st_d->fd_fi);
	size_t	i;

	st->st_t0 = now;
	st->st_pkts0 = fc->fc_read;
	st->st_bytes0 = fc->fc_bytes;
	st->st_drops0 = stats_drops(st);
	st->st_created0 = fc->fc_created;
	st->st_evicted0 = fc->fc_ended[FLOW_END_EVICT];
	for (i = 0; i < STATS_SLOTS; i++)
		st->st_apps[i].sa_flows = st->st_apps[i].sa_bytes = 0;
	st->st_other.sa_flows = st->st_other.sa_bytes = 0;
}

struct stats *
stats_new(struct flowidd *d, uint64_t now)
{
	struct stats	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->st_d = d;
	st->st_other.sa_name = "other";
	stats_period(st, now);
	st->st_lost = stats_lost(flowid_counters(d->fd_fi));
	st->st_drops = st->st_drops0;
	return st;
}

void
stats_free(struct stats *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < STATS_SLOTS; i++)
		free(st->st_apps[i].sa_name);
	free(st);
}

/* FNV-1a: names are few and short, any spread will do. */
static uint32_t
stats_hash(const char *s)
{
	uint32_t	h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* The slot of name, claimed if new; the other bucket when full. */
static struct stats_app *
stats_app(struct stats *st, const char *name)
{
	struct stats_app	*sa;
	uint32_t		 i = stats_hash(name) & (STATS_SLOTS - 1);

	/* at most half the slots are used, so a free one comes */
	for (;; i = (i + 1) & (STATS_SLOTS - 1)) {
		sa = &st->st_apps[i];
		if (sa->sa_name == NULL)
			break;
		if (strcmp(sa->sa_name, name) == 0)
			return sa;
	}
	if (st->st_napps == STATS_NAMES ||
	    (sa->sa_name = strdup(name)) == NULL)
		return &st->st_other;
	st->st_napps++;
	return sa;
}

void
stats_record(struct stats *st, const char *app, uint64_t bytes)
{
	struct stats_app	*sa = stats_app(st, app);

	sa->sa_flows++;
	sa->sa_bytes += bytes;
}

/*
 * A state ends only after STATS_QUIET_US without a new event, so a table
 * hovering at its limit warns once a minute at most, not every second.
 */
static void
stats_check_table(struct stats *st, uint64_t now)
{
	const struct flowid_counters *fc = flowid_counters(st->st_d->fd_fi);
	uint64_t	lost = stats_lost(fc);
	size_t		max = st->st_d->fd_conf.cf_max_flows;
	size_t		active = flowid_active(st->st_d->fd_fi);

	if (lost > st->st_lost) {
		if (!st->st_full) {
			st->st_full = true;
			st->st_full_lost0 = st->st_lost;
			log_warnx("flow table full (max_flows %zu): evicting "
			    "the least recently seen flows", max);
		}
		st->st_full_seen = now;
	} else if (st->st_full && now - st->st_full_seen >= STATS_QUIET_US &&
	    active * 100 < max * STATS_FULL_LOW) {
		st->st_full = false;
		log_warnx("flow table no longer full: %zu of %zu flows in use, "
		    "%" PRIu64 " evicted or untracked meanwhile", active, max,
		    lost - st->st_full_lost0);
	}
	st->st_lost = lost;
}

static void
stats_check_drops(struct stats *st, uint64_t now)
{
	const char	*ifname = st->st_d->fd_conf.cf_interface;
	uint64_t	 drops = stats_drops(st);

	if (drops > st->st_drops) {
		if (!st->st_dropping) {
			st->st_dropping = true;
			st->st_drops_begin = st->st_drops;
			st->st_drops_t0 = now;
			log_warnx("%s: the kernel or the interface is dropping "
			    "packets: records are incomplete", ifname);
		}
		st->st_drops_seen = now;
	} else if (st->st_dropping && now - st->st_drops_seen >=
	    STATS_QUIET_US) {
		st->st_dropping = false;
		log_warnx("%s: packet drops stopped: %" PRIu64 " dropped "
		    "in %" PRIu64 " s", ifname, drops - st->st_drops_begin,
		    (st->st_drops_seen - st->st_drops_t0) / 1000000 + 1);
	}
	st->st_drops = drops;
}

void
stats_finish(struct stats *st, uint64_t now)
{
	/* take in what the last packets did, then let the quiet time pass */
	stats_tick(st, now);
	if (st->st_full)
		st->st_full_seen = now - STATS_QUIET_US;
	if (st->st_dropping)
		st->st_drops_seen = now - STATS_QUIET_US;
	stats_tick(st, now);
}

void
stats_tick(struct stats *st, uint64_t now)
{
	stats_check_table(st, now);
	stats_check_drops(st, now);
}

static uint64_t
stats_key(const struct stats_app *sa, bool bytes)
{
	return bytes ? sa->sa_bytes : sa->sa_flows;
}

/* The top STATS_TOP applications by flows or bytes as "A:n,B:m". */
static void
stats_top(const struct stats *st, bool bytes, char *buf, size_t len)
{
	const struct stats_app	*top[STATS_TOP], *sa;
	size_t			 i, j, n = 0, off = 0;

	for (i = 0; i <= STATS_SLOTS; i++) {
		sa = i < STATS_SLOTS ? &st->st_apps[i] : &st->st_other;
		if (sa->sa_flows == 0 || (n == STATS_TOP &&
		    stats_key(sa, bytes) <= stats_key(top[n - 1], bytes)))
			continue;
		j = n < STATS_TOP ? n++ : n - 1;
		for (; j > 0 && stats_key(top[j - 1], bytes) <
		    stats_key(sa, bytes); j--)
			top[j] = top[j - 1];
		top[j] = sa;
	}

	snprintf(buf, len, "-");
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s:%" PRIu64,
		    i ? "," : "", top[i]->sa_name, stats_key(top[i], bytes));
}

static uint64_t
stats_records(const struct stats *st)
{
	uint64_t	n = st->st_other.sa_flows;
	size_t		i;

	for (i = 0; i < STATS_SLOTS; i++)
		n += st->st_apps[i].sa_flows;
	return n;
}

void
stats_log(struct stats *st, uint64_t now)
{
	const struct flowid_counters *fc = flowid_counters(st->st_d->fd_fi);
	char		 byflows[256], bybytes[256];
	double		 secs = (double)(now - st->st_t0) / 1e6;
	uint64_t	 ended = 0;
	size_t		 i;

	stats_top(st, false, byflows, sizeof(byflows));
	stats_top(st, true, bybytes, sizeof(bybytes));

	/* since start: created = ended (= records written) + active */
	for (i = 0; i < FLOW_END_NREASONS; i++)
		ended += fc->fc_ended[i];
	log_info("statistics: period=%.0fs packets=%" PRIu64 " bytes=%" PRIu64
	    " kernel_drops=%" PRIu64 " active_flows=%zu flows_per_s=%.1f "
	    "records=%" PRIu64 " evictions=%" PRIu64 " top_flows=%s "
	    "top_bytes=%s flows_created_total=%" PRIu64 " flows_ended_total=%"
	    PRIu64, secs, fc->fc_read - st->st_pkts0,
	    fc->fc_bytes - st->st_bytes0, stats_drops(st) - st->st_drops0,
	    flowid_active(st->st_d->fd_fi),
	    secs > 0 ? (double)(fc->fc_created - st->st_created0) / secs : 0,
	    stats_records(st), fc->fc_ended[FLOW_END_EVICT] - st->st_evicted0,
	    byflows, bybytes, fc->fc_created, ended);
	stats_period(st, now);
}
