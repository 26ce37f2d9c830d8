/* SPDX-License-Identifier: ISC */
/*
 * Where finished flows go: they are collected in batches, classified
 * together, then written to every sink (stdout, syslog, CSV files) and
 * given back to the engine.
 */
#ifndef FLOWIDD_OUTPUT_H
#define FLOWIDD_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "flowid.h"

#define OUTPUT_BATCH	256	/* flows classified in one call */

struct output;
struct classifier;
struct stats;

/* Opens the CSV sinks.  NULL and a message in err on failure. */
struct output *output_new(const struct conf *, struct classifier *,
	    char *err, size_t errlen);
void	output_attach(struct output *, struct flowid *);

/* The engine's end callback: queue the flow, flush when the batch is
 * full. */
void	output_end_cb(struct flow *, void *arg);

/* Classify and write what is queued.  Returns 0, or -1 on a write error
 * (the flows are released anyway). */
int	output_flush(struct output *);

/* Swap the classifier (reload); the caller frees the old one. */
void	output_set_classifier(struct output *, struct classifier *);

/* Count each record written in st too (live statistics), or stop with
 * NULL. */
void	output_set_stats(struct output *, struct stats *st);

/* Records written, and flows per application (for statistics). */
uint64_t output_records(const struct output *);

void	output_free(struct output *);

#endif /* FLOWIDD_OUTPUT_H */
