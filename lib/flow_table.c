/* SPDX-License-Identifier: ISC */
/*
 * The flow table.
 *
 * Design: a chained hash table of flows, whose slots come from a pool
 * (flow_pool.c) reserved for max_flows, so chains and lists link 32-bit
 * slot numbers.  The bucket array is sized once for max_flows.  The key
 * orders the two (address, port) ends, so both directions of a flow
 * build the same key, and the hash is seeded at start so an attacker
 * cannot aim packets at one chain.
 *
 * Every flow also sits on one intrusive list (fl_lprev/fl_lnext), so
 * expiry never scans:
 * - the last-seen list, oldest first, a flow moved to the tail on every
 *   packet: its head is the next idle timeout and the eviction victim
 *   when the table is full;
 * - the closing list, for TCP flows that have seen both FINs, ordered
 *   the same way: its head is the next end of a linger.
 * An active flow reaching the active timeout is cut when its next packet
 * arrives, or by the expiry pass if it reaches the head of its list
 * first; both give the same pieces.  flow_table_expire() pops from the
 * list heads only while they are due, so its cost is proportional to
 * the flows it ends.
 *
 * At a million flows the bucket array and the flows are far larger than
 * the caches, and a lookup is two dependent misses.  A caller that holds
 * packets back can split the lookup (flow_table_bucket(), then
 * flow_table_prefetch(), then flow_table_add_at()) so the misses of
 * later packets overlap with the work on earlier ones.
 *
 * The life cycle differs per profile: flowidd's own rules (initiator is
 * forward, RST ends, both FINs end after a linger, idle and active
 * timeouts), and CICFlowMeter's (first packet is forward, direction by
 * source address, FIN/RST rules of section 3 of the feature document,
 * 120 s from the flow start checked when the next packet arrives).
 */

#include <endian.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "flow_pool.h"
#include "flow_table.h"

struct flow_list {
	uint32_t	fli_head;
	uint32_t	fli_tail;
};

struct flow_table {
	struct flow_table_conf	 ft_conf;
	struct flow_pool	*ft_pool;
	uint32_t		*ft_buckets;	/* slot numbers */
	size_t			 ft_mask;
	size_t			 ft_count;
	uint64_t		 ft_seq;	/* flows created */
	struct flow_list	 ft_seen;
	struct flow_list	 ft_closing;
};

/* Slot numbers and flows, both ways. */
static inline struct flow *
ft_at(const struct flow_table *ft, uint32_t i)
{
	return i == FLOW_NIL ? NULL : flow_pool_at(ft->ft_pool, i);
}

static inline uint32_t
ft_idx(const struct flow_table *ft, const struct flow *fl)
{
	return flow_pool_index(ft->ft_pool, fl);
}

static void
list_append(struct flow_table *ft, struct flow_list *l, struct flow *fl)
{
	uint32_t	i = ft_idx(ft, fl);

	fl->fl_lnext = FLOW_NIL;
	fl->fl_lprev = l->fli_tail;
	if (l->fli_tail != FLOW_NIL)
		ft_at(ft, l->fli_tail)->fl_lnext = i;
	else
		l->fli_head = i;
	l->fli_tail = i;
}

static void
list_remove(struct flow_table *ft, struct flow_list *l, struct flow *fl)
{
	if (fl->fl_lprev != FLOW_NIL)
		ft_at(ft, fl->fl_lprev)->fl_lnext = fl->fl_lnext;
	else
		l->fli_head = fl->fl_lnext;
	if (fl->fl_lnext != FLOW_NIL)
		ft_at(ft, fl->fl_lnext)->fl_lprev = fl->fl_lprev;
	else
		l->fli_tail = fl->fl_lprev;
}

/* The list a flow is on: closing once both FINs are seen. */
static struct flow_list *
flow_list_of(struct flow_table *ft, const struct flow *fl)
{
	return (fl->fl_tcp & FLOW_TCP_CLOSING) ? &ft->ft_closing :
	    &ft->ft_seen;
}

/* An address as two big-endian words: their order is memcmp's. */
static inline void
addr_words(const uint8_t *a, uint64_t *hi, uint64_t *lo)
{
	memcpy(hi, a, 8);
	memcpy(lo, a + 8, 8);
	*hi = be64toh(*hi);
	*lo = be64toh(*lo);
}

/* memcmp's order of the addresses, then the ports, without the call. */
static int
addr_port_cmp(const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb)
{
	uint64_t	ahi, alo, bhi, blo;

	addr_words(a, &ahi, &alo);
	addr_words(b, &bhi, &blo);
	if (ahi != bhi)
		return ahi < bhi ? -1 : 1;
	if (alo != blo)
		return alo < blo ? -1 : 1;
	return (int)pa - (int)pb;
}

static inline bool
flow_key_equal(const struct flow_key *a, const struct flow_key *b)
{
	uint64_t	x[5], y[5];

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) |
	    (x[3] ^ y[3]) | (x[4] ^ y[4])) == 0;
}

void
flow_key_make(const struct pkt *p, struct flow_key *k)
{
	int	swap;

	swap = addr_port_cmp(p->pk_src, p->pk_sport, p->pk_dst,
	    p->pk_dport) > 0;
	memcpy(k->fk_addr[swap], p->pk_src, 16);
	memcpy(k->fk_addr[!swap], p->pk_dst, 16);
	k->fk_port[swap] = p->pk_sport;
	k->fk_port[!swap] = p->pk_dport;
	k->fk_proto = p->pk_proto;
	k->fk_ipver = p->pk_ipver;
	k->fk_zero = 0;
}

/* The 128-bit product of a and b, its halves XORed together. */
static inline uint64_t
hash_fold(uint64_t a, uint64_t b)
{
	unsigned __int128	p = (unsigned __int128)a * b;

	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/*
 * Seeded 64-bit hash of the key's five words: the words in pairs, each
 * XORed with the seed and an odd constant, through one wide multiply
 * each, then once more.  The three products do not wait for each other,
 * where a chain of five finalizers did; without the seed an attacker
 * cannot aim flows at one bucket.
 */
static uint64_t
flow_key_hash(const struct flow_key *k, uint64_t seed)
{
	uint64_t	w[sizeof(*k) / 8], a, b, c;

	_Static_assert(sizeof(w) == 40, "the key is five words");
	memcpy(w, k, sizeof(w));
	a = hash_fold(w[0] ^ seed ^ 0xa0761d6478bd642fULL,
	    w[1] ^ 0xe7037ed1a0b428dbULL);
	b = hash_fold(w[2] ^ seed ^ 0x8ebc6af09c88c6e3ULL,
	    w[3] ^ 0x589965cc75374cc3ULL);
	c = hash_fold(w[4] ^ seed ^ 0x1d8e4e27c47d124fULL,
	    seed ^ 0x9e3779b97f4a7c15ULL);
	return hash_fold(a ^ c ^ 0xa0761d6478bd642fULL, b ^ seed);
}

struct flow_table *
flow_table_new(const struct flow_table_conf *conf)
{
	struct flow_table	*ft;
	size_t			 n = 1024;

	if (conf->ftc_max_flows == 0 || conf->ftc_max_flows > FLOW_TABLE_MAX)
		return NULL;
	if ((ft = calloc(1, sizeof(*ft))) == NULL)
		return NULL;
	ft->ft_conf = *conf;
	ft->ft_seen.fli_head = ft->ft_seen.fli_tail = FLOW_NIL;
	ft->ft_closing.fli_head = ft->ft_closing.fli_tail = FLOW_NIL;

	/* one bucket per flow at the cap, rounded up to a power of two */
	while (n < conf->ftc_max_flows)
		n <<= 1;
	ft->ft_mask = n - 1;
	ft->ft_buckets = malloc(n * sizeof(*ft->ft_buckets));
	/* room for the flows ended but not yet given back, too */
	ft->ft_pool = flow_pool_new(conf->ftc_max_flows + FLOW_TABLE_SPARE);
	if (ft->ft_buckets == NULL || ft->ft_pool == NULL) {
		flow_table_free(ft);
		return NULL;
	}
	memset(ft->ft_buckets, 0xff, n * sizeof(*ft->ft_buckets));
	return ft;
}

static struct flow *
flow_table_lookup(struct flow_table *ft, const struct flow_key *k,
    uint32_t b)
{
	struct flow	*fl;
	uint32_t	 i;

	for (i = ft->ft_buckets[b]; i != FLOW_NIL; i = fl->fl_hnext) {
		fl = ft_at(ft, i);
		if (flow_key_equal(&fl->fl_key, k))
			return fl;
	}
	return NULL;
}

static void
flow_table_unlink(struct flow_table *ft, struct flow *fl)
{
	uint32_t	*pp, i = ft_idx(ft, fl);
	uint64_t	 h = flow_key_hash(&fl->fl_key, ft->ft_conf.ftc_seed);

	for (pp = &ft->ft_buckets[h & ft->ft_mask]; *pp != i;
	    pp = &ft_at(ft, *pp)->fl_hnext)
		;
	*pp = fl->fl_hnext;
	list_remove(ft, flow_list_of(ft, fl), fl);
	ft->ft_count--;
}

/* Take a flow out of the table and hand it to the end callback. */
static void
flow_table_end(struct flow_table *ft, struct flow *fl, enum flow_end why)
{
	flow_table_unlink(ft, fl);
	fl->fl_end = (uint8_t)why;
	ft->ft_conf.ftc_end_cb(fl, ft->ft_conf.ftc_end_arg);
}

void
flow_table_release(struct flow_table *ft, struct flow *fl)
{
	flow_pool_put(ft->ft_pool, ft_idx(ft, fl));
}

/* Forward is the initiator (flowidd) or the first packet's sender. */
static void
flow_orient(struct flow *fl, const struct pkt *p, bool swap)
{
	/* the key's end 0 is the lower (address, port) pair */
	fl->fl_fwd = addr_port_cmp(p->pk_src, p->pk_sport, p->pk_dst,
	    p->pk_dport) > 0;
	if (swap)
		fl->fl_fwd = !fl->fl_fwd;
}

static struct flow *
flow_table_create(struct flow_table *ft, const struct flow_key *k,
    uint32_t b, const struct pkt *p)
{
	struct flow	*fl;
	uint32_t	 i;

	if (ft->ft_count >= ft->ft_conf.ftc_max_flows &&
	    ft->ft_seen.fli_head != FLOW_NIL)
		flow_table_end(ft, ft_at(ft, ft->ft_seen.fli_head),
		    FLOW_END_EVICT);
	if ((i = flow_pool_get(ft->ft_pool)) == FLOW_NIL)
		return NULL;
	fl = ft_at(ft, i);
	memset(fl, 0, offsetof(struct flow, fl_st));

	fl->fl_key = *k;
	fl->fl_proto = p->pk_proto;
	fl->fl_ipver = p->pk_ipver;
	fl->fl_hasports = p->pk_hasports;
	flow_stats_init(&fl->fl_st, ft->ft_conf.ftc_profile, p);

	fl->fl_hnext = ft->ft_buckets[b];
	ft->ft_buckets[b] = i;
	list_append(ft, &ft->ft_seen, fl);
	ft->ft_count++;
	ft->ft_seq++;
	return fl;
}

/* Count the packet in direction dir and feed the feature accumulators. */
static void
flow_account(struct flow_table *ft, struct flow *fl, const struct pkt *p,
    int dir)
{
	struct flow_list	*l = flow_list_of(ft, fl);

	fl->fl_pkts[dir]++;
	fl->fl_bytes[dir] += p->pk_iplen;
	/* a piece of a flow never spans more than the active timeout */
	if (p->pk_ts > flow_last(fl))
		fl->fl_lastoff = (uint32_t)(p->pk_ts - flow_first(fl));
	flow_stats_add(&fl->fl_st, ft->ft_conf.ftc_profile, p, dir);

	list_remove(ft, l, fl);
	list_append(ft, l, fl);
}

static bool
pkt_is_syn(const struct pkt *p)
{
	return p->pk_proto == 6 &&
	    (p->pk_tcpflags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN;
}

static bool
pkt_is_synack(const struct pkt *p)
{
	return p->pk_proto == 6 &&
	    (p->pk_tcpflags & (TCPF_SYN | TCPF_ACK)) == (TCPF_SYN | TCPF_ACK);
}

/* flowidd: a packet is forward when it leaves the forward endpoint. */
static int
flow_dir_endpoint(const struct flow *fl, const struct pkt *p)
{
	if (memcmp(p->pk_src, flow_src(fl), 16) == 0 &&
	    p->pk_sport == flow_sport(fl))
		return FLOW_FWD;
	return FLOW_BWD;
}

/*
 * If a deadline of fl passed before now, the reason of the earliest one
 * (a flow idle since before its active limit ended idle), else -1.
 */
static int
flow_due(const struct flow_table *ft, const struct flow *fl, uint64_t now)
{
	const struct flow_table_conf *c = &ft->ft_conf;
	uint64_t	idle_at = UINT64_MAX, active_at = UINT64_MAX;

	if (c->ftc_idle_us != 0)
		idle_at = flow_last(fl) + c->ftc_idle_us;
	if (c->ftc_active_us != 0)
		active_at = flow_first(fl) + c->ftc_active_us;
	if ((fl->fl_tcp & FLOW_TCP_CLOSING) &&
	    flow_last(fl) + c->ftc_linger_us < idle_at)
		idle_at = flow_last(fl) + c->ftc_linger_us;

	if (now <= idle_at && now <= active_at)
		return -1;
	if (idle_at <= active_at)
		return (fl->fl_tcp & FLOW_TCP_CLOSING) ? FLOW_END_FIN :
		    FLOW_END_IDLE;
	return FLOW_END_ACTIVE;
}

/* Would this packet's arrival end fl before being counted in it? */
static int
flow_stale_reason(const struct flow_table *ft, const struct flow *fl,
    const struct pkt *p)
{
	int	why;

	if ((why = flow_due(ft, fl, p->pk_ts)) >= 0)
		return why;
	if ((fl->fl_tcp & FLOW_TCP_CLOSING) && pkt_is_syn(p))
		return FLOW_END_FIN;	/* the port pair is being reused */
	return -1;
}

/*
 * Both FINs seen: the flow moves to the closing list and lingers
 * ftc_linger_us after its last packet so the final ACK stays in it.
 */
static void
flow_tcp_closing(struct flow_table *ft, struct flow *fl)
{
	list_remove(ft, &ft->ft_seen, fl);
	fl->fl_tcp |= FLOW_TCP_CLOSING;
	list_append(ft, &ft->ft_closing, fl);
}

static int
flow_table_add_flowidd(struct flow_table *ft, struct flow *fl,
    const struct flow_key *k, uint32_t b, const struct pkt *p)
{
	int	why, dir;

	if (fl != NULL && (why = flow_stale_reason(ft, fl, p)) >= 0) {
		flow_table_end(ft, fl, (enum flow_end)why);
		fl = NULL;
	}
	if (fl == NULL) {
		if ((fl = flow_table_create(ft, k, b, p)) == NULL)
			return -1;
		flow_orient(fl, p, pkt_is_synack(p));
		if (pkt_is_syn(p) || pkt_is_synack(p))
			fl->fl_tcp |= FLOW_TCP_SYN_SEEN;
	}

	dir = flow_dir_endpoint(fl, p);
	flow_account(ft, fl, p, dir);
	if (p->pk_proto != 6)
		return 0;

	if (p->pk_tcpflags & TCPF_RST) {
		flow_table_end(ft, fl, FLOW_END_RST);
		return 0;
	}
	if ((p->pk_tcpflags & TCPF_FIN) && !(fl->fl_tcp & FLOW_TCP_CLOSING)) {
		fl->fl_tcp |= dir == FLOW_FWD ? FLOW_TCP_FIN_FWD :
		    FLOW_TCP_FIN_BWD;
		if ((fl->fl_tcp & (FLOW_TCP_FIN_FWD | FLOW_TCP_FIN_BWD)) ==
		    (FLOW_TCP_FIN_FWD | FLOW_TCP_FIN_BWD))
			flow_tcp_closing(ft, fl);
	}
	return 0;
}

/*
 * CICFlowMeter's FIN/RST rules for a packet of an open flow.  HEAD: the
 * first forward FIN is kept and the flow stays open, a repeated forward
 * FIN is dropped, a backward FIN or any RST is kept and ends the flow.
 * LEGACY (unicauca): any FIN is kept and ends the flow; RST is ordinary.
 */
static int
flow_table_add_cic_open(struct flow_table *ft, struct flow *fl,
    const struct pkt *p)
{
	bool	legacy = ft->ft_conf.ftc_profile == FLOWID_PROFILE_UNICAUCA;
	int	dir;

	dir = memcmp(p->pk_src, flow_src(fl), 16) == 0 ? FLOW_FWD : FLOW_BWD;
	if (p->pk_proto == 6 && (p->pk_tcpflags & TCPF_FIN) && !legacy &&
	    dir == FLOW_FWD) {
		if (fl->fl_tcp & FLOW_TCP_FIN_FWD)
			return 1;
		fl->fl_tcp |= FLOW_TCP_FIN_FWD;
		flow_account(ft, fl, p, dir);
		return 0;
	}

	flow_account(ft, fl, p, dir);
	if (p->pk_proto != 6)
		return 0;
	if (p->pk_tcpflags & TCPF_FIN)
		flow_table_end(ft, fl, FLOW_END_FIN);
	else if (!legacy && (p->pk_tcpflags & TCPF_RST))
		flow_table_end(ft, fl, FLOW_END_RST);
	return 0;
}

/*
 * CICFlowMeter: more than active_us after the flow's first packet, the
 * flow is cut and the packet opens the next piece, which keeps the old
 * orientation and counts the packet as forward whatever its direction.
 */
static int
flow_table_add_cic(struct flow_table *ft, struct flow *fl,
    const struct flow_key *k, uint32_t b, const struct pkt *p)
{
	uint64_t	act = ft->ft_conf.ftc_active_us;
	uint8_t		fwd;

	if (fl != NULL && act != 0 && p->pk_ts > flow_first(fl) &&
	    p->pk_ts - flow_first(fl) > act) {
		fwd = fl->fl_fwd;
		flow_table_end(ft, fl, FLOW_END_ACTIVE);
		if ((fl = flow_table_create(ft, k, b, p)) == NULL)
			return -1;
		fl->fl_fwd = fwd;
		flow_account(ft, fl, p, FLOW_FWD);
		return 0;
	}
	if (fl != NULL)
		return flow_table_add_cic_open(ft, fl, p);

	if ((fl = flow_table_create(ft, k, b, p)) == NULL)
		return -1;
	flow_orient(fl, p, false);
	flow_account(ft, fl, p, FLOW_FWD);
	return 0;
}

/*
 * Prefetching (GCC and Clang; elsewhere a hint is simply not given).
 * At a million flows a lookup is two dependent cache misses, the bucket
 * word and then the flow; the engine names the bucket of a packet many
 * packets before adding it, and the flow a few packets before, so both
 * misses overlap with other packets' work.
 */
#if defined(__GNUC__)
#define FT_PREFETCH(a)	__builtin_prefetch((a))
#else
#define FT_PREFETCH(a)	((void)(a))
#endif

uint32_t
flow_table_bucket(const struct flow_table *ft, const struct pkt *p)
{
	struct flow_key	k;
	uint32_t	b;

	flow_key_make(p, &k);
	b = (uint32_t)(flow_key_hash(&k, ft->ft_conf.ftc_seed) & ft->ft_mask);
	FT_PREFETCH(&ft->ft_buckets[b]);
	return b;
}

#define FT_CACHE_LINE	64	/* x86-64 and most arm64 cores */

/*
 * The whole flow, not just its key: counting the packet touches the
 * statistics in most of its cache lines (measured: about 4 % less CPU
 * at a million flows than the first two lines alone).
 */
void
flow_table_prefetch(const struct flow_table *ft, uint32_t b)
{
	const char	*fl;
	uint32_t	 i = ft->ft_buckets[b];
	size_t		 off;

	if (i == FLOW_NIL)
		return;
	fl = (const char *)flow_pool_at(ft->ft_pool, i);
	/* flows are not aligned to lines: the last byte may start one */
	for (off = 0; off < sizeof(struct flow); off += FT_CACHE_LINE)
		FT_PREFETCH(fl + off);
	FT_PREFETCH(fl + sizeof(struct flow) - 1);
}

int
flow_table_add_at(struct flow_table *ft, const struct pkt *p, uint32_t b)
{
	struct flow_key	 k;
	struct flow	*fl;

	flow_key_make(p, &k);
	fl = flow_table_lookup(ft, &k, b);
	if (ft->ft_conf.ftc_profile == FLOWID_PROFILE_FLOWIDD)
		return flow_table_add_flowidd(ft, fl, &k, b, p);
	return flow_table_add_cic(ft, fl, &k, b, p);
}

int
flow_table_add(struct flow_table *ft, const struct pkt *p)
{
	return flow_table_add_at(ft, p, flow_table_bucket(ft, p));
}

size_t
flow_table_expire(struct flow_table *ft, uint64_t now, size_t max)
{
	struct flow_list *lists[2] = { &ft->ft_closing, &ft->ft_seen };
	struct flow	*fl;
	size_t		 n = 0, i;
	int		 why;

	/* each list is in last-seen order: its head is due first */
	for (i = 0; i < 2; i++)
		while (n < max && (fl = ft_at(ft, lists[i]->fli_head)) !=
		    NULL && (why = flow_due(ft, fl, now)) >= 0) {
			flow_table_end(ft, fl, why);
			n++;
		}
	return n;
}

void
flow_table_flush(struct flow_table *ft, enum flow_end why)
{
	struct flow	*fl;

	while ((fl = ft_at(ft, ft->ft_seen.fli_head)) != NULL ||
	    (fl = ft_at(ft, ft->ft_closing.fli_head)) != NULL)
		flow_table_end(ft, fl, (fl->fl_tcp & FLOW_TCP_CLOSING) ?
		    FLOW_END_FIN : why);
}

size_t
flow_table_count(const struct flow_table *ft)
{
	return ft->ft_count;
}

uint64_t
flow_table_created(const struct flow_table *ft)
{
	return ft->ft_seq;
}

/* Flows still in the table go with it, without a callback: flush first. */
void
flow_table_free(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	flow_pool_free(ft->ft_pool);
	free(ft->ft_buckets);
	free(ft);
}
