/* SPDX-License-Identifier: ISC */
/*
 * The engine and flow table: key symmetry, direction, every end reason,
 * eviction, fragments in any order, timestamp reordering, accounting.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "flowid.h"
#include "pktgen.h"

#define MAXF	16

/* What the end callback saw, copied before the flow is released. */
struct seen {
	struct flow	sn_flows[MAXF];
	int		sn_n;
	struct flowid	*sn_fi;
};

static struct seen seen;

static void
end_cb(struct flow *fl, void *arg)
{
	struct seen	*s = arg;

	assert_true(s->sn_n < MAXF);
	memcpy(&s->sn_flows[s->sn_n++], fl, sizeof(*fl));
	flowid_release(s->sn_fi, fl);
}

static struct flowid *
engine(enum flowid_profile prof, size_t max_flows)
{
	struct flowid_conf	c;

	memset(&seen, 0, sizeof(seen));
	flowid_conf_default(&c, prof);
	c.fc_max_flows = max_flows;
	c.fc_reorder = 0;	/* see each packet's effect at once */
	c.fc_seed = 42;
	c.fc_end_cb = end_cb;
	c.fc_end_arg = &seen;
	seen.sn_fi = flowid_new(&c);
	assert_non_null(seen.sn_fi);
	return seen.sn_fi;
}

#define A	IP4(192, 0, 2, 1)
#define B	IP4(198, 51, 100, 2)
#define S	1000000ULL

static void
tcp(struct flowid *fi, uint64_t t, int fwd, uint8_t flags, size_t len)
{
	struct pg	g = { .pg_len = 0 };

	if (fwd)
		pg_eth_tcp4(&g, A, 40000, B, 80, flags, len);
	else
		pg_eth_tcp4(&g, B, 80, A, 40000, flags, len);
	assert_int_equal(flowid_packet(fi, 1, g.pg_buf, (uint32_t)g.pg_len,
	    (uint32_t)g.pg_len, t), 0);
}

static void
udp(struct flowid *fi, uint64_t t, uint32_t src, uint16_t sport,
    uint32_t dst, uint16_t dport)
{
	struct pg	g = { .pg_len = 0 };

	pg_eth_udp4(&g, src, sport, dst, dport, 10);
	assert_int_equal(flowid_packet(fi, 1, g.pg_buf, (uint32_t)g.pg_len,
	    (uint32_t)g.pg_len, t), 0);
}

static void
test_key_symmetry(void **state)
{
	struct pkt	p, q;
	struct flow_key	k1, k2;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.pk_ipver = 4;
	p.pk_proto = 6;
	memcpy(p.pk_src, "\xc0\x00\x02\x01", 4);
	memcpy(p.pk_dst, "\xc6\x33\x64\x02", 4);
	p.pk_sport = 40000;
	p.pk_dport = 80;
	q = p;
	memcpy(q.pk_src, p.pk_dst, 16);
	memcpy(q.pk_dst, p.pk_src, 16);
	q.pk_sport = p.pk_dport;
	q.pk_dport = p.pk_sport;
	flow_key_make(&p, &k1);
	flow_key_make(&q, &k2);
	assert_memory_equal(&k1, &k2, sizeof(k1));

	/* same addresses, ports swapped between ends: a different flow */
	q = p;
	q.pk_sport = 80;
	q.pk_dport = 40000;
	flow_key_make(&q, &k2);
	assert_memory_not_equal(&k1, &k2, sizeof(k1));
}

/* Handshake, data, both FINs, final ACK: one flow ending on fin. */
static void
test_end_fin(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_FLOWIDD, 100);
	struct flow	*f;

	(void)state;
	tcp(fi, 0, 1, 0x02, 0);
	tcp(fi, 100, 0, 0x12, 0);
	tcp(fi, 200, 1, 0x10, 0);
	tcp(fi, 300, 1, 0x18, 100);
	tcp(fi, 400, 0, 0x18, 500);
	tcp(fi, 500, 0, 0x11, 0);
	tcp(fi, 600, 1, 0x11, 0);
	tcp(fi, 700, 0, 0x10, 0);
	assert_int_equal(seen.sn_n, 0);		/* lingering */
	tcp(fi, 700 + 2 * S, 1, 0x10, 0);	/* a stray ACK, after linger */
	assert_int_equal(seen.sn_n, 1);
	f = &seen.sn_flows[0];
	assert_int_equal(f->fl_end, FLOW_END_FIN);
	assert_int_equal(f->fl_pkts[FLOW_FWD], 4);
	assert_int_equal(f->fl_pkts[FLOW_BWD], 4);
	assert_int_equal(f->fl_bytes[FLOW_FWD], 40 * 4 + 100);
	assert_int_equal(f->fl_bytes[FLOW_BWD], 40 * 4 + 500);
	assert_int_equal(flow_last(f) - flow_first(f), 700);
	assert_int_equal(flow_sport(f), 40000);
	flowid_finish(fi, FLOW_END_EOF);
	assert_int_equal(seen.sn_flows[1].fl_end, FLOW_END_EOF);
	flowid_free(fi);
}

static void
test_end_rst(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_FLOWIDD, 100);

	(void)state;
	tcp(fi, 0, 1, 0x02, 0);
	tcp(fi, 10, 0, 0x14, 0);
	assert_int_equal(seen.sn_n, 1);
	assert_int_equal(seen.sn_flows[0].fl_end, FLOW_END_RST);
	assert_int_equal(seen.sn_flows[0].fl_pkts[FLOW_BWD], 1);
	flowid_free(fi);
}

/* A leading SYN-ACK: its receiver is the initiator. */
static void
test_direction_synack(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_FLOWIDD, 100);
	struct flow	*f;

	(void)state;
	tcp(fi, 0, 0, 0x12, 0);
	tcp(fi, 10, 1, 0x10, 0);
	flowid_finish(fi, FLOW_END_EOF);
	f = &seen.sn_flows[0];
	assert_int_equal(flow_sport(f), 40000);
	assert_int_equal(flow_dport(f), 80);
	assert_int_equal(f->fl_pkts[FLOW_FWD], 1);
	assert_int_equal(f->fl_pkts[FLOW_BWD], 1);
	flowid_free(fi);
}

/* The SYN-ACK stored before its SYN is put back in time order. */
static void
test_reorder(void **state)
{
	struct flowid_conf	 c;
	struct flowid		*fi;
	struct flow		*f;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	flowid_conf_default(&c, FLOWID_PROFILE_FLOWIDD);
	c.fc_end_cb = end_cb;
	c.fc_end_arg = &seen;
	fi = seen.sn_fi = flowid_new(&c);
	tcp(fi, 1200, 0, 0x12, 0);
	tcp(fi, 0, 1, 0x02, 0);
	tcp(fi, 1500, 1, 0x10, 0);
	flowid_finish(fi, FLOW_END_EOF);
	assert_int_equal(seen.sn_n, 1);
	f = &seen.sn_flows[0];
	assert_int_equal(flow_sport(f), 40000);
	assert_int_equal(flow_first(f), 0);
	assert_int_equal(flow_last(f), 1500);
	assert_int_equal(flowid_counters(fi)->fc_disorder, 1);
	flowid_free(fi);
}

static void
test_end_idle_active(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_FLOWIDD, 100);
	uint64_t	 t;

	(void)state;
	udp(fi, 0, A, 1, B, 2);
	udp(fi, 61 * S, A, 3, B, 4);		/* the first is idle now */
	assert_int_equal(seen.sn_n, 1);
	assert_int_equal(seen.sn_flows[0].fl_end, FLOW_END_IDLE);

	/* every 10 s for 130 s: cut at 120 s, the rest a second piece */
	for (t = 61 * S; t <= 191 * S; t += 10 * S)
		udp(fi, t, A, 3, B, 4);
	flowid_finish(fi, FLOW_END_EOF);
	assert_int_equal(seen.sn_n, 3);
	assert_int_equal(seen.sn_flows[1].fl_end, FLOW_END_ACTIVE);
	assert_int_equal(seen.sn_flows[1].fl_pkts[FLOW_FWD], 14);
	assert_int_equal(seen.sn_flows[2].fl_end, FLOW_END_EOF);
	assert_int_equal(seen.sn_flows[2].fl_pkts[FLOW_FWD], 1);
	flowid_free(fi);
}

static void
test_end_shutdown_tick(void **state)
{
	struct flowid_conf	c;
	struct flowid		*fi;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	flowid_conf_default(&c, FLOWID_PROFILE_FLOWIDD);
	c.fc_offline = false;
	c.fc_reorder = 0;
	c.fc_end_cb = end_cb;
	c.fc_end_arg = &seen;
	fi = seen.sn_fi = flowid_new(&c);
	udp(fi, 0, A, 1, B, 2);
	udp(fi, 30 * S, A, 5, B, 6);
	/* live: nothing ends on packets, the tick does it */
	assert_int_equal(flowid_tick(fi, 61 * S, 100), 1);
	assert_int_equal(seen.sn_flows[0].fl_end, FLOW_END_IDLE);
	flowid_finish(fi, FLOW_END_SHUTDOWN);
	assert_int_equal(seen.sn_n, 2);
	assert_int_equal(seen.sn_flows[1].fl_end, FLOW_END_SHUTDOWN);
	flowid_free(fi);
}

/* Table full: the least recently seen flow is evicted. */
static void
test_evict(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_FLOWIDD, 2);
	const struct flowid_counters *fc;

	(void)state;
	udp(fi, 0, A, 1, B, 2);
	udp(fi, 10, A, 3, B, 4);
	udp(fi, 20, A, 1, B, 2);		/* refresh the first */
	udp(fi, 30, A, 5, B, 6);		/* evicts 3 -> 4 */
	assert_int_equal(seen.sn_n, 1);
	assert_int_equal(seen.sn_flows[0].fl_end, FLOW_END_EVICT);
	assert_int_equal(flow_sport(&seen.sn_flows[0]), 3);
	assert_int_equal(flowid_active(fi), 2);
	flowid_finish(fi, FLOW_END_EOF);
	fc = flowid_counters(fi);
	assert_int_equal(fc->fc_created, 3);
	assert_int_equal(fc->fc_ended[FLOW_END_EVICT], 1);
	assert_int_equal(fc->fc_ended[FLOW_END_EOF], 2);
	assert_int_equal(fc->fc_read, fc->fc_decoded);
	flowid_free(fi);
}

/* An IPv4 UDP datagram in 3 fragments, delivered last, middle, first. */
static void
frag(struct flowid *fi, uint64_t t, uint16_t off8, int more, int first)
{
	struct pg	g = { .pg_len = 0 };
	uint16_t	fw = (uint16_t)(off8 | (more ? 0x2000 : 0));

	pg_eth(&g, 0x0800);
	if (first) {
		pg_ipv4(&g, A, B, 17, 20 + 8 + 1472, 77, fw);
		pg_udp(&g, 5000, 6000, 8 + 3000);
		pg_zero(&g, 1472);
	} else {
		pg_ipv4(&g, A, B, 17, 20 + 1480, 77, fw);
		pg_zero(&g, 1480);
	}
	flowid_packet(fi, 1, g.pg_buf, (uint32_t)g.pg_len,
	    (uint32_t)g.pg_len, t);
}

static void
test_fragments_any_order(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_FLOWIDD, 100);
	struct flow	*f;

	(void)state;
	frag(fi, 10, 370, 0, 0);
	frag(fi, 20, 185, 1, 0);
	assert_int_equal(flowid_held(fi), 2);
	frag(fi, 30, 0, 1, 1);
	flowid_finish(fi, FLOW_END_EOF);
	assert_int_equal(seen.sn_n, 1);
	f = &seen.sn_flows[0];
	assert_int_equal(f->fl_pkts[FLOW_FWD], 3);
	assert_int_equal(f->fl_bytes[FLOW_FWD], 3 * 1500);
	assert_int_equal(flow_sport(f), 5000);
	assert_int_equal(flowid_counters(fi)->fc_decoded, 3);
	flowid_free(fi);
}

/* Later fragments whose first never comes are skipped, not flows. */
static void
test_fragments_orphan(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_FLOWIDD, 100);
	const struct flowid_counters *fc;

	(void)state;
	frag(fi, 10, 185, 1, 0);
	frag(fi, 20, 370, 0, 0);
	flowid_finish(fi, FLOW_END_EOF);
	fc = flowid_counters(fi);
	assert_int_equal(seen.sn_n, 0);
	assert_int_equal(fc->fc_skipped[FLOWID_SKIP_FRAGMENT], 2);
	assert_int_equal(fc->fc_created, 0);
	flowid_free(fi);
}

/* CICFlowMeter life cycle: a backward FIN ends the flow at once. */
static void
test_cic_backward_fin(void **state)
{
	struct flowid	*fi = engine(FLOWID_PROFILE_CICFLOWMETER, 100);

	(void)state;
	tcp(fi, 0, 1, 0x02, 0);
	tcp(fi, 10, 0, 0x12, 0);
	tcp(fi, 20, 1, 0x11, 0);	/* forward FIN: stays open */
	tcp(fi, 25, 1, 0x11, 0);	/* repeated: dropped */
	tcp(fi, 30, 0, 0x11, 0);	/* backward FIN: ends */
	tcp(fi, 40, 1, 0x10, 0);	/* a new flow */
	flowid_finish(fi, FLOW_END_EOF);
	assert_int_equal(seen.sn_n, 2);
	assert_int_equal(seen.sn_flows[0].fl_end, FLOW_END_FIN);
	assert_int_equal(seen.sn_flows[0].fl_pkts[FLOW_FWD], 2);
	assert_int_equal(seen.sn_flows[0].fl_pkts[FLOW_BWD], 2);
	assert_int_equal(flowid_counters(fi)->fc_skipped[FLOWID_SKIP_PROFILE],
	    1);
	flowid_free(fi);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_symmetry),
		cmocka_unit_test(test_end_fin),
		cmocka_unit_test(test_end_rst),
		cmocka_unit_test(test_direction_synack),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_end_idle_active),
		cmocka_unit_test(test_end_shutdown_tick),
		cmocka_unit_test(test_evict),
		cmocka_unit_test(test_fragments_any_order),
		cmocka_unit_test(test_fragments_orphan),
		cmocka_unit_test(test_cic_backward_fin),
	};

	return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
