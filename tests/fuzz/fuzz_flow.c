/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the flow path.  The input is a profile byte, then
 * records of [link type byte][time step, 2 bytes][length, 2 bytes][frame]
 * fed to one engine with a small table, so eviction, expiry, fragments,
 * reordering and every life cycle run on hostile sequences.  The
 * accounting invariants are checked at the end: a violation aborts.
 */

#include <stdint.h>
#include <stdlib.h>

#include "flowid.h"

static const int fuzz_dlts[] = {
	DECODE_DLT_EN10MB, DECODE_DLT_RAW, DECODE_DLT_LINUX_SLL2,
	DECODE_DLT_NULL,
};

struct fuzz_ctx {
	struct flowid	*fc_fi;
	uint64_t	 fc_ended;
};

static void
fuzz_end_cb(struct flow *fl, void *arg)
{
	struct fuzz_ctx	*c = arg;

	c->fc_ended++;
	flowid_release(c->fc_fi, fl);
}

static void
fuzz_check(const struct flowid *fi, uint64_t ended)
{
	const struct flowid_counters *fc = flowid_counters(fi);
	uint64_t	skipped = 0, byreason = 0;
	size_t		i;

	for (i = 0; i < FLOWID_SKIP_NREASONS; i++)
		skipped += fc->fc_skipped[i];
	for (i = 0; i < FLOW_END_NREASONS; i++)
		byreason += fc->fc_ended[i];
	if (fc->fc_read != fc->fc_decoded + skipped ||
	    fc->fc_created != ended || byreason != ended ||
	    flowid_active(fi) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct flowid_conf	conf;
	struct fuzz_ctx		ctx = { NULL, 0 };
	uint64_t		ts = 1000000;
	size_t			off = 1, n;

	if (len < 1)
		return 0;
	flowid_conf_default(&conf, (enum flowid_profile)(data[0] % 3));
	conf.fc_max_flows = 8;
	conf.fc_reorder = data[0] & 0x80 ? 4 : 0;
	conf.fc_seed = 1;
	conf.fc_end_cb = fuzz_end_cb;
	conf.fc_end_arg = &ctx;
	if ((ctx.fc_fi = flowid_new(&conf)) == NULL)
		return 0;

	while (off + 5 <= len) {
		int dlt = fuzz_dlts[data[off] % 4];

		/* steps of up to 65535 ms: timeouts are reached */
		ts += (uint64_t)(data[off + 1] << 8 | data[off + 2]) * 1000;
		n = (size_t)(data[off + 3] << 8 | data[off + 4]);
		off += 5;
		if (n > len - off)
			n = len - off;
		flowid_packet(ctx.fc_fi, dlt, data + off, (uint32_t)n,
		    (uint32_t)n, ts);
		off += n;
	}
	flowid_finish(ctx.fc_fi, FLOW_END_EOF);
	fuzz_check(ctx.fc_fi, ctx.fc_ended);
	flowid_free(ctx.fc_fi);
	return 0;
}
