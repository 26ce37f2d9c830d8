/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the frame decoder.  The first byte picks the link
 * type, the second how much of the frame was captured (the rest of the
 * input is the frame), so truncation paths are exercised too.
 */

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

static const int fuzz_dlts[] = {
	DECODE_DLT_NULL, DECODE_DLT_EN10MB, DECODE_DLT_PPP, DECODE_DLT_RAW,
	DECODE_DLT_RAW14, DECODE_DLT_PPP_SERIAL, DECODE_DLT_PPP_ETHER,
	DECODE_DLT_LINKTYPE_RAW, DECODE_DLT_C_HDLC, DECODE_DLT_LOOP,
	DECODE_DLT_LINUX_SLL, DECODE_DLT_IPV4, DECODE_DLT_IPV6,
	DECODE_DLT_LINUX_SLL2,
};

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pkt	p;
	uint32_t	caplen, wirelen;
	int		dlt;

	if (len < 2)
		return 0;
	dlt = fuzz_dlts[data[0] % (sizeof(fuzz_dlts) / sizeof(fuzz_dlts[0]))];
	wirelen = (uint32_t)(len - 2);
	caplen = data[1] < 128 ? wirelen : wirelen * data[1] / 256;
	decode_packet(dlt, data + 2, caplen, wirelen, 1, &p);
	return 0;
}
