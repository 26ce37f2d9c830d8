/* SPDX-License-Identifier: ISC */
/*
 * Fragment-to-flow matching, without reassembly: flowidd needs each
 * fragment's size and time in the right flow, not the datagram's bytes.
 *
 * The datagram table is direct-mapped (FRAG_SLOTS entries): a new
 * datagram whose slot is taken replaces the old one, whose later
 * fragments, if any still come, wait and time out.  Held fragments live
 * in a fixed array of FRAG_HELD; when it is full the oldest is dropped.
 * Both bounds keep memory fixed whatever the traffic.
 */

#include <stdlib.h>
#include <string.h>

#include "frag.h"

#define FRAG_SLOTS	4096
#define FRAG_HELD	256

struct frag_key {
	uint8_t		fgk_src[16];
	uint8_t		fgk_dst[16];
	uint32_t	fgk_id;
	uint8_t		fgk_proto;
	uint8_t		fgk_ipver;
	uint16_t	fgk_zero;
};

struct frag_slot {
	struct frag_key	fs_key;
	uint64_t	fs_ts;
	uint16_t	fs_sport;
	uint16_t	fs_dport;
	uint16_t	fs_l4hdr;
	bool		fs_used;
};

struct frag_table {
	struct frag_slot fr_slots[FRAG_SLOTS];
	struct pkt	 fr_held[FRAG_HELD];	/* ring, oldest at fr_first */
	size_t		 fr_first;
	size_t		 fr_nheld;
	size_t		 fr_dropped;	/* pushed out of a full buffer */
};

struct frag_table *
frag_new(void)
{
	return calloc(1, sizeof(struct frag_table));
}

void
frag_free(struct frag_table *fr)
{
	free(fr);
}

static void
frag_key_make(const struct pkt *p, struct frag_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->fgk_src, p->pk_src, 16);
	memcpy(k->fgk_dst, p->pk_dst, 16);
	k->fgk_id = p->pk_ipid;
	k->fgk_proto = p->pk_proto;
	k->fgk_ipver = p->pk_ipver;
}

static size_t
frag_slot_index(const struct frag_key *k)
{
	const uint8_t	*b = (const uint8_t *)k;
	uint32_t	 h = 2166136261u;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 16777619u;
	return h % FRAG_SLOTS;
}

static void
frag_fill(struct pkt *p, const struct frag_slot *s)
{
	p->pk_sport = s->fs_sport;
	p->pk_dport = s->fs_dport;
	p->pk_hasports = true;
}

/* Release the held fragments of the datagram in slot s. */
static size_t
frag_release(struct frag_table *fr, const struct frag_slot *s,
    struct pkt *out, size_t nout)
{
	struct frag_key	 k;
	size_t		 i, n = 0, kept = 0, idx;
	struct pkt	*h;

	for (i = 0; i < fr->fr_nheld; i++) {
		idx = (fr->fr_first + i) % FRAG_HELD;
		h = &fr->fr_held[idx];
		frag_key_make(h, &k);
		if (n < nout && memcmp(&k, &s->fs_key, sizeof(k)) == 0) {
			out[n] = *h;
			frag_fill(&out[n++], s);
			continue;
		}
		fr->fr_held[(fr->fr_first + kept++) % FRAG_HELD] = *h;
	}
	fr->fr_nheld = kept;
	return n;
}

static void
frag_hold(struct frag_table *fr, const struct pkt *p)
{
	if (fr->fr_nheld == FRAG_HELD) {
		/* full: the oldest goes, the caller counts the loss */
		fr->fr_first = (fr->fr_first + 1) % FRAG_HELD;
		fr->fr_nheld--;
		fr->fr_dropped++;
	}
	fr->fr_held[(fr->fr_first + fr->fr_nheld++) % FRAG_HELD] = *p;
}

int
frag_input(struct frag_table *fr, struct pkt *p, struct pkt *out,
    size_t nout, size_t *nout_used)
{
	struct frag_key	  k;
	struct frag_slot *s;

	*nout_used = 0;
	frag_key_make(p, &k);
	s = &fr->fr_slots[frag_slot_index(&k)];

	if (p->pk_fragfirst) {
		s->fs_key = k;
		s->fs_ts = p->pk_ts;
		s->fs_sport = p->pk_sport;
		s->fs_dport = p->pk_dport;
		s->fs_used = true;
		*nout_used = frag_release(fr, s, out, nout);
		return 1;
	}
	if (s->fs_used && memcmp(&s->fs_key, &k, sizeof(k)) == 0) {
		s->fs_ts = p->pk_ts;
		frag_fill(p, s);
		return 1;
	}
	frag_hold(fr, p);
	return 0;
}

size_t
frag_expire(struct frag_table *fr, uint64_t now)
{
	size_t	n = fr->fr_dropped;

	fr->fr_dropped = 0;
	while (fr->fr_nheld > 0 && (now == UINT64_MAX ||
	    fr->fr_held[fr->fr_first].pk_ts + FRAG_TIMEOUT_US < now)) {
		fr->fr_first = (fr->fr_first + 1) % FRAG_HELD;
		fr->fr_nheld--;
		n++;
	}
	return n;
}

size_t
frag_held(const struct frag_table *fr)
{
	return fr->fr_nheld;
}
