/* SPDX-License-Identifier: ISC */
/*
 * Ground-truth labels for training: nDPI's per-flow verdicts, one CSV
 * row per flow (the corpus format, see docs/features.md), matched to our
 * flows by protocol, unordered endpoint pair and overlapping time.
 */
#ifndef FLOWID_LABELS_H
#define FLOWID_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define LABEL_NAME_MAX	64
#define LABEL_CONF_MAX	32

struct label {
	uint16_t	lb_id;		/* nDPI id of the label */
	char		lb_name[LABEL_NAME_MAX];	/* e.g. "Google" */
	char		lb_confidence[LABEL_CONF_MAX];	/* "DPI", ... */
	uint8_t		lb_proto;	/* IP protocol */
	uint8_t		lb_ipver;	/* 4 or 6 */
	uint16_t	lb_port[2];	/* client, server; 0 without ports */
	uint8_t		lb_addr[2][16];	/* client, server; IPv4 in 4 bytes */
	uint64_t	lb_first;	/* us since the epoch (ms precision) */
	uint64_t	lb_last;
	uint32_t	lb_line;	/* line in the file, for messages */
};

struct labels;

/*
 * Read a labels file.  NULL on error, with errbuf naming the file and
 * line ("labels.csv:12: bad client_ip").
 */
struct labels *labels_load(const char *path, char *errbuf, size_t errlen);

/*
 * The label of a flow: same protocol (a compatibility profile's
 * protocol 0 matches any protocol but TCP and UDP), same two endpoints
 * in either order (addresses only, unless TCP or UDP), and times that
 * overlap (1 ms slack: the file has milliseconds).  Of several, the one
 * overlapping most.  NULL if none.
 */
const struct label *labels_match(const struct labels *, const struct flow *);

/* Rows loaded, and rows skipped because an address did not parse. */
size_t	labels_count(const struct labels *);
size_t	labels_skipped(const struct labels *);

void	labels_free(struct labels *);

#endif /* FLOWID_LABELS_H */
