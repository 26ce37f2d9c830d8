/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: classic pcap records read in place (lib/savefile.c)
 * against libpcap reading the same bytes.  Every record savefile_next
 * gives must be libpcap's next packet, times, lengths and bytes alike;
 * where it says the data ended, libpcap must find the end too.  Where
 * it hands over, libpcap is the one read from there on, so nothing is
 * compared.  Only for the files daemon/capture.c reads in place
 * (savefile_in_place): libpcap rewrites the pseudo-headers of some link
 * types in files of the other byte order.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

#include "savefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_compare(pcap_t *p, struct savefile *sf)
{
	struct savefile_rec	 rec;
	struct pcap_pkthdr	*h;
	const u_char		*d;
	int			 r;

	while ((r = savefile_next(sf, &rec)) == 1) {
		if (pcap_next_ex(p, &h, &d) != 1 ||
		    h->caplen != rec.sr_caplen || h->len != rec.sr_len ||
		    (uint64_t)h->ts.tv_sec * 1000000 +
		    (uint64_t)h->ts.tv_usec != rec.sr_ts ||
		    memcmp(d, rec.sr_data, rec.sr_caplen) != 0)
			abort();
	}
	if (r == 0 && pcap_next_ex(p, &h, &d) != PCAP_ERROR_BREAK)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		 err[PCAP_ERRBUF_SIZE];
	struct savefile	 sf;
	FILE		*fp;
	pcap_t		*p;

	if (len == 0 || (fp = fmemopen((void *)(uintptr_t)data, len,
	    "rb")) == NULL)
		return 0;
	if ((p = pcap_fopen_offline(fp, err)) == NULL) {
		fclose(fp);
		return 0;
	}
	if (savefile_open(&sf, data, len, (uint32_t)pcap_snapshot(p)) == 0 &&
	    savefile_in_place(&sf, pcap_datalink(p)))
		fuzz_compare(p, &sf);
	pcap_close(p);
	return 0;
}
