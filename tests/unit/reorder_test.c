/* SPDX-License-Identifier: ISC */
/*
 * Timestamp reordering: the sorted ring against a plain priority queue
 * keyed by (timestamp, arrival number), on sorted input, late packets,
 * equal times and every small capacity.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reorder.h"

#define NPKT	5000
#define CAPMAX	70

/* A packet told apart by its pk_ipid, the arrival number here. */
static struct pkt
mkpkt(uint64_t ts, uint32_t id)
{
	struct pkt	p;

	memset(&p, 0, sizeof(p));
	p.pk_ts = ts;
	p.pk_ipid = id;
	p.pk_wirelen = id * 7;
	return p;
}

/*
 * The model: hold up to cap packets; when more arrive, the one with the
 * lowest (ts, arrival) leaves.  Linear search, obviously right.
 */
struct model {
	struct pkt	md_held[CAPMAX + 1];
	size_t		md_n;
	size_t		md_cap;
};

/* Where the next packet to leave is held. */
static size_t
model_next(const struct model *m)
{
	size_t	i, best = 0;

	for (i = 1; i < m->md_n; i++)
		if (m->md_held[i].pk_ts < m->md_held[best].pk_ts ||
		    (m->md_held[i].pk_ts == m->md_held[best].pk_ts &&
		    m->md_held[i].pk_ipid < m->md_held[best].pk_ipid))
			best = i;
	return best;
}

static void
model_peek(const struct model *m, struct pkt *out)
{
	*out = m->md_held[model_next(m)];
}

static bool
model_pop(struct model *m, struct pkt *out)
{
	size_t	best;

	if (m->md_n == 0)
		return false;
	best = model_next(m);
	*out = m->md_held[best];
	m->md_held[best] = m->md_held[--m->md_n];
	return true;
}

static bool
model_push(struct model *m, const struct pkt *p, struct pkt *out)
{
	m->md_held[m->md_n++] = *p;
	if (m->md_n > m->md_cap)
		return model_pop(m, out);
	return false;
}

/* xorshift64: the same sequence on every run. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Times mostly increasing, with ties, and late packets up to `late`
 * behind: the output must match the model packet for packet.
 */
static void
compare(size_t cap, uint64_t late, unsigned latepct, uint64_t seed)
{
	struct reorder	*ro = reorder_new(cap);
	struct model	 m = { .md_cap = cap };
	struct pkt	 p, a, b;
	uint64_t	 s = seed, t = 1000000, maxts = 0, disorder = 0;
	uint32_t	 i, tag;
	bool		 ra, rb;

	assert_non_null(ro);
	for (i = 0; i < NPKT; i++) {
		t += rnd(&s) % 3;	/* a third of the steps are ties */
		p = mkpkt(t, i);
		if (rnd(&s) % 100 < latepct)
			p.pk_ts = t - rnd(&s) % (late + 1);
		if (p.pk_ts < maxts)
			disorder++;
		else
			maxts = p.pk_ts;
		ra = reorder_push(ro, &p, i * 3, &a, &tag);
		rb = model_push(&m, &p, &b);
		assert_int_equal(ra, rb);
		if (ra) {
			assert_memory_equal(&a, &b, sizeof(a));
			assert_int_equal(tag, a.pk_ipid * 3);
		}
		assert_int_equal(reorder_held(ro), m.md_n);
		if (reorder_peek_tag(ro, 0, &tag)) {
			assert_true(m.md_n > 0);
			model_peek(&m, &b);
			assert_int_equal(tag, b.pk_ipid * 3);
		}
	}
	assert_int_equal(reorder_disorder(ro), disorder);
	while ((ra = reorder_pop(ro, &a, &tag))) {
		assert_true(model_pop(&m, &b));
		assert_memory_equal(&a, &b, sizeof(a));
		assert_int_equal(tag, a.pk_ipid * 3);
	}
	assert_false(model_pop(&m, &b));
	assert_int_equal(reorder_held(ro), 0);
	reorder_free(ro);
}

static void
test_against_model(void **state)
{
	static const size_t	caps[] = { 0, 1, 2, 3, 7, 8, 63, 64, 65 };
	size_t			i;
	uint64_t		seed = 0x9e3779b97f4a7c15ULL;

	(void)state;
	for (i = 0; i < sizeof(caps) / sizeof(*caps); i++) {
		compare(caps[i], 0, 0, seed + i);	/* sorted */
		compare(caps[i], 5, 10, seed + i);	/* a little late */
		compare(caps[i], 200, 5, seed + i);	/* beyond the ring */
		compare(caps[i], 40, 50, seed + i);	/* shuffled */
	}
}

/*
 * Late packets by hand, capacity 4: a packet older than some held ones
 * goes in among them; one older than everything held while the ring is
 * full leaves at once; equal times leave in arrival order.
 */
static void
test_late_packets(void **state)
{
	static const uint64_t	in_ts[] = { 10, 30, 20, 30, 5, 40, 30, 50 };
	static const uint32_t	want[] = { 4, 0, 2, 1, 3, 6, 5, 7 };
	struct reorder		*ro = reorder_new(4);
	struct pkt		 p, out;
	size_t			 i, n = 0;
	uint32_t		 tag;

	(void)state;
	assert_non_null(ro);
	for (i = 0; i < sizeof(in_ts) / sizeof(*in_ts); i++) {
		p = mkpkt(in_ts[i], (uint32_t)i);
		if (reorder_push(ro, &p, (uint32_t)i + 100, &out, &tag)) {
			assert_int_equal(out.pk_ipid, want[n++]);
			assert_int_equal(tag, out.pk_ipid + 100);
		}
		if (i == 4) {
			/* 5 came while 10, 30, 20, 30 were held: it leaves */
			assert_int_equal(n, 1);
			assert_int_equal(out.pk_ts, 5);
		}
	}
	assert_int_equal(reorder_held(ro), 4);
	/* held now: 30 (3), 30 (6), 40 (5), 50 (7) */
	assert_true(reorder_peek_tag(ro, 1, &tag));
	assert_int_equal(tag, 106);
	assert_true(reorder_peek_tag(ro, 3, &tag));
	assert_int_equal(tag, 107);
	assert_false(reorder_peek_tag(ro, 4, &tag));
	while (reorder_pop(ro, &out, &tag))
		assert_int_equal(out.pk_ipid, want[n++]);
	assert_int_equal(n, 8);
	/* 20 after 30, 5 after 30, 30 after 40 */
	assert_int_equal(reorder_disorder(ro), 3);
	reorder_free(ro);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_model),
		cmocka_unit_test(test_late_packets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
