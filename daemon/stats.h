/* SPDX-License-Identifier: ISC */
/*
 * Live statistics: the periodic line at LOG_INFO, which covers the time
 * since the line before it, and the degraded states (flow table full,
 * capture dropping packets), logged at LOG_WARNING once when each begins
 * and once when it ends.  Nothing here is per packet.
 */
#ifndef FLOWIDD_STATS_H
#define FLOWIDD_STATS_H

#include <stdint.h>

struct flowidd;
struct stats;

/* NULL on allocation failure.  now_us starts the first period. */
struct stats *stats_new(struct flowidd *, uint64_t now_us);
void	stats_free(struct stats *);

/* One record written (output.c): its application and IP bytes. */
void	stats_record(struct stats *, const char *app, uint64_t bytes);

/* About once a second: enter or leave the degraded states. */
void	stats_tick(struct stats *, uint64_t now_us);

/* The input is over: end the degraded states now, logging each end. */
void	stats_finish(struct stats *, uint64_t now_us);

/* Log the period that ends now, and start the next one. */
void	stats_log(struct stats *, uint64_t now_us);

#endif /* FLOWIDD_STATS_H */
