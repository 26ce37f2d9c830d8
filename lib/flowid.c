/* SPDX-License-Identifier: ISC */
/*
 * The engine: decode -> profile view -> fragments -> reorder -> table.
 *
 * Accounting invariant, checked by the tests: every frame read is either
 * decoded (counted in a flow), skipped for one reason, or still held
 * (reorder heap, fragment buffer); every flow created is ended exactly
 * once, by one reason, or still in the table.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "flowid.h"
#include "frag.h"
#include "reorder.h"

#define FLOWID_EXPIRE_PER_PKT	16	/* bounded work on the packet path */
#define FLOWID_TICK_US		1000000ULL
/* How early a flow is prefetched: 8 packets (4, 16, 32 measured). */
#define FLOWID_PREFETCH_AT	8

struct flowid {
	struct flowid_conf	 fi_conf;
	struct flowid_counters	 fi_cnt;
	struct flow_table	*fi_table;
	struct frag_table	*fi_frag;
	struct reorder		*fi_reorder;
	uint64_t		 fi_lasttick;	/* offline: packet time */
	uint64_t		 fi_clock;	/* newest packet time */
};

void
flowid_conf_default(struct flowid_conf *c, enum flowid_profile prof)
{
	memset(c, 0, sizeof(*c));
	c->fc_profile = prof;
	c->fc_idle_us = FLOWID_IDLE_US_DEFAULT;
	c->fc_active_us = FLOWID_ACTIVE_US_DEFAULT;
	c->fc_linger_us = FLOWID_LINGER_US_DEFAULT;
	c->fc_max_flows = FLOWID_MAX_FLOWS_DEFAULT;
	c->fc_reorder = FLOWID_REORDER_DEFAULT;
	c->fc_offline = true;
	if (prof != FLOWID_PROFILE_FLOWIDD) {
		/* CICFlowMeter has no idle timeout and never reorders */
		c->fc_idle_us = 0;
		c->fc_reorder = 0;
	}
}

/* The table calls this for every ended flow: count, then pass on. */
static void
flowid_end_cb(struct flow *fl, void *arg)
{
	struct flowid	*fi = arg;

	fi->fi_cnt.fc_ended[fl->fl_end]++;
	fi->fi_conf.fc_end_cb(fl, fi->fi_conf.fc_end_arg);
}

struct flowid *
flowid_new(const struct flowid_conf *conf)
{
	struct flowid		*fi;
	struct flow_table_conf	 tc;

	if (conf->fc_end_cb == NULL || (fi = calloc(1, sizeof(*fi))) == NULL)
		return NULL;
	fi->fi_conf = *conf;

	memset(&tc, 0, sizeof(tc));
	tc.ftc_profile = conf->fc_profile;
	tc.ftc_idle_us = conf->fc_idle_us;
	tc.ftc_active_us = conf->fc_active_us;
	if (tc.ftc_active_us == 0 ||
	    tc.ftc_active_us > FLOWID_ACTIVE_S_MAX * 1000000ULL)
		tc.ftc_active_us = FLOWID_ACTIVE_S_MAX * 1000000ULL;
	tc.ftc_linger_us = conf->fc_linger_us;
	tc.ftc_max_flows = conf->fc_max_flows;
	tc.ftc_seed = conf->fc_seed;
	if (tc.ftc_seed == 0 &&
	    getrandom(&tc.ftc_seed, sizeof(tc.ftc_seed), 0) < 0)
		tc.ftc_seed = (uint64_t)(uintptr_t)fi ^ 0x5bd1e995u;
	tc.ftc_end_cb = flowid_end_cb;
	tc.ftc_end_arg = fi;

	fi->fi_table = flow_table_new(&tc);
	fi->fi_frag = frag_new();
	fi->fi_reorder = reorder_new(conf->fc_reorder);
	if (fi->fi_table == NULL || fi->fi_frag == NULL ||
	    fi->fi_reorder == NULL) {
		flowid_free(fi);
		return NULL;
	}
	return fi;
}

void
flowid_free(struct flowid *fi)
{
	if (fi == NULL)
		return;
	flow_table_free(fi->fi_table);
	frag_free(fi->fi_frag);
	reorder_free(fi->fi_reorder);
	free(fi);
}

/*
 * Offline, packet time is the clock: a bounded expiry step on every
 * packet, and a full one when a second of packet time has passed, so a
 * flow is ended before a packet a full timeout later is counted.
 */
static void
flowid_expire_offline(struct flowid *fi, uint64_t now)
{
	if (!fi->fi_conf.fc_offline ||
	    fi->fi_conf.fc_profile != FLOWID_PROFILE_FLOWIDD)
		return;
	if (now >= fi->fi_lasttick + FLOWID_TICK_US) {
		fi->fi_lasttick = now;
		flow_table_expire(fi->fi_table, now, SIZE_MAX);
	} else
		flow_table_expire(fi->fi_table, now, FLOWID_EXPIRE_PER_PKT);
	fi->fi_cnt.fc_skipped[FLOWID_SKIP_FRAGMENT] +=
	    frag_expire(fi->fi_frag, now);
}

/* Last stage: one packet in timestamp order into its flow. */
static void
flowid_account(struct flowid *fi, const struct pkt *p, uint32_t bucket)
{
	int	r;

	flowid_expire_offline(fi, p->pk_ts);
	r = flow_table_add_at(fi->fi_table, p, bucket);
	if (r == 0)
		fi->fi_cnt.fc_decoded++;
	else
		fi->fi_cnt.fc_skipped[r > 0 ? FLOWID_SKIP_PROFILE :
		    FLOWID_SKIP_NOMEM]++;
	fi->fi_cnt.fc_created = flow_table_created(fi->fi_table);
}

/*
 * Into the reordering stage with its flow's bucket, whose loading
 * starts now; the flow of the packet FLOWID_PREFETCH_AT places from
 * leaving starts loading too, so when packets come out of the stage
 * their lookups find both in the cache.
 */
static void
flowid_ordered(struct flowid *fi, const struct pkt *p)
{
	struct pkt	out;
	uint32_t	b, ob;

	b = flow_table_bucket(fi->fi_table, p);
	if (reorder_peek_tag(fi->fi_reorder, FLOWID_PREFETCH_AT, &ob))
		flow_table_prefetch(fi->fi_table, ob);
	if (reorder_push(fi->fi_reorder, p, b, &out, &ob))
		flowid_account(fi, &out, ob);
	fi->fi_cnt.fc_disorder = reorder_disorder(fi->fi_reorder);
}

/* Fragments: held until their ports are known, released in order. */
static void
flowid_fragment(struct flowid *fi, struct pkt *p)
{
	struct pkt	rel[8];
	size_t		n, i;

	if (frag_input(fi->fi_frag, p, rel, 8, &n) == 0)
		return;
	flowid_ordered(fi, p);
	for (i = 0; i < n; i++)
		flowid_ordered(fi, &rel[i]);
}

int
flowid_packet(struct flowid *fi, int dlt, const uint8_t *data,
    uint32_t caplen, uint32_t wirelen, uint64_t ts_us)
{
	struct pkt		p;
	enum decode_result	r;

	fi->fi_cnt.fc_read++;
	fi->fi_cnt.fc_bytes += wirelen;
	if (ts_us > fi->fi_clock)
		fi->fi_clock = ts_us;
	if ((r = decode_packet(dlt, data, caplen, wirelen, ts_us, &p)) !=
	    DECODE_OK) {
		fi->fi_cnt.fc_skipped[r]++;
		return -1;
	}
	if (caplen < wirelen)
		fi->fi_cnt.fc_truncated++;
	if (!profile_map_pkt(fi->fi_conf.fc_profile, &p)) {
		fi->fi_cnt.fc_skipped[FLOWID_SKIP_PROFILE]++;
		return -1;
	}

	if (p.pk_frag && p.pk_proto != 0)
		flowid_fragment(fi, &p);
	else
		flowid_ordered(fi, &p);
	return 0;
}

size_t
flowid_tick(struct flowid *fi, uint64_t now, size_t max)
{
	size_t	n;

	n = flow_table_expire(fi->fi_table, now, max);
	fi->fi_cnt.fc_skipped[FLOWID_SKIP_FRAGMENT] +=
	    frag_expire(fi->fi_frag, now);
	return n;
}

void
flowid_finish(struct flowid *fi, enum flow_end why)
{
	struct pkt	p;
	uint32_t	b;

	while (reorder_pop(fi->fi_reorder, &p, &b))
		flowid_account(fi, &p, b);
	fi->fi_cnt.fc_skipped[FLOWID_SKIP_FRAGMENT] +=
	    frag_expire(fi->fi_frag, UINT64_MAX);
	flow_table_flush(fi->fi_table, why);
}

void
flowid_release(struct flowid *fi, struct flow *fl)
{
	flow_table_release(fi->fi_table, fl);
}

const struct flowid_counters *
flowid_counters(const struct flowid *fi)
{
	return &fi->fi_cnt;
}

uint64_t
flowid_clock(const struct flowid *fi)
{
	return fi->fi_clock;
}

size_t
flowid_active(const struct flowid *fi)
{
	return flow_table_count(fi->fi_table);
}

size_t
flowid_held(const struct flowid *fi)
{
	return reorder_held(fi->fi_reorder) + frag_held(fi->fi_frag);
}

const char *
flowid_skip_name(enum flowid_skip s)
{
	static const char *const extra[] = { "fragment", "profile", "nomem" };

	if (s < FLOWID_SKIP_FRAGMENT)
		return decode_result_name((enum decode_result)s);
	if (s < FLOWID_SKIP_NREASONS)
		return extra[s - FLOWID_SKIP_FRAGMENT];
	return "unknown";
}
