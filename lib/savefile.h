/* SPDX-License-Identifier: ISC */
/*
 * The records of a classic pcap file in memory (a mapped file), read in
 * place without a copy.  Only the plain case is read here: whatever is
 * unusual about a record (cut short, longer than the snapshot length, a
 * time field above 2^31 - 1) makes savefile_next stop and say so, and the
 * caller hands the rest of the file to libpcap, whose answer (a packet or
 * an error) is then the one given.  The file header must already have
 * been accepted by libpcap, which also gave the snapshot length.  Records
 * are given as stored, so only files whose records libpcap also gives as
 * stored may be read here (savefile_in_place).
 */
#ifndef FLOWID_SAVEFILE_H
#define FLOWID_SAVEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAVEFILE_HDR	24	/* file header */
#define SAVEFILE_REC	16	/* record header */

struct savefile {
	const uint8_t	*sf_base;
	size_t		 sf_len;
	size_t		 sf_off;	/* next record */
	size_t		 sf_ahead;	/* prefetched up to here */
	uint32_t	 sf_snaplen;
	int		 sf_swap;	/* written in the other byte order */
	int		 sf_nsec;	/* times in nanoseconds */
};

struct savefile_rec {
	const uint8_t	*sr_data;
	uint64_t	 sr_ts;		/* us since the epoch */
	uint32_t	 sr_caplen;
	uint32_t	 sr_len;	/* on the wire */
};

/*
 * Start reading the len bytes at base, a pcap file whose header libpcap
 * accepted with snapshot length snaplen.  Returns 0, or -1 when the file
 * is not a classic pcap file of microseconds or nanoseconds of version
 * 2.4 or later (pcapng, the modified formats, files old enough for their
 * lengths to be the other way round), which libpcap then reads whole.
 */
int	savefile_open(struct savefile *, const void *base, size_t len,
	    uint32_t snaplen);

/*
 * Whether an opened file of link type dlt (as libpcap names it) may be
 * read here: a link type flowidd decodes, whose records libpcap gives as
 * stored.  In a file of the other byte order libpcap rewrites the
 * pseudo-headers of some (Linux cooked captures of SocketCAN frames, and
 * USB, NFLOG and pflog, which flowidd does not decode).
 */
bool	savefile_in_place(const struct savefile *, int dlt);

/*
 * The data now ends at len (a file cut shorter): records past it are
 * left to libpcap.  Never before the next record.
 */
void	savefile_limit(struct savefile *, size_t len);

/*
 * The next record.  Returns 1 and fills rec; 0 at the end of the data,
 * right after a whole record; -1 at a record this module leaves to
 * libpcap, from sf_off on.
 */
int	savefile_next(struct savefile *, struct savefile_rec *rec);

#endif /* FLOWID_SAVEFILE_H */
