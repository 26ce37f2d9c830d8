/* SPDX-License-Identifier: ISC */
/* libpcap sources: capture files read in order, or a live interface. */
#ifndef FLOWIDD_CAPTURE_H
#define FLOWIDD_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "flowid.h"

struct capture;

/* Open a file ("-" is stdin) and apply filter (may be NULL). */
struct capture *capture_open_file(const char *path, const char *filter,
	    char *err, size_t errlen);

/* Open and activate a live capture as the configuration says. */
struct capture *capture_open_live(const struct conf *, char *err,
	    size_t errlen);

/*
 * Feed up to budget packets (all if budget < 0) to the engine.  Returns
 * the number read, 0 at the end of a file or when a live capture has
 * nothing ready, -1 on error (message in capture_error()).
 */
int	capture_feed(struct capture *, struct flowid *, int budget);

int	capture_fd(const struct capture *);	/* live: selectable fd */
int	capture_linktype(const struct capture *);
const char *capture_name(const struct capture *);
const char *capture_error(const struct capture *);

/* Kernel and interface drops so far (live); 0 for files. */
uint64_t capture_drops(struct capture *);

void	capture_close(struct capture *);

#endif /* FLOWIDD_CAPTURE_H */
