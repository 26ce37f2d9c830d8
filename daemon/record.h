/* SPDX-License-Identifier: ISC */
/* The one-line key=value record of a finished flow. */
#ifndef FLOWIDD_RECORD_H
#define FLOWIDD_RECORD_H

#include <stddef.h>

#include "flow.h"

/* What the classifier said about a flow. */
struct verdict {
	const char	*vd_app;	/* class name, or "unknown" */
	const char	*vd_guess;	/* best class when under threshold */
	double		 vd_conf;	/* its probability, 0 without model */
};

/* Format the record into buf; returns its length (truncated if >= len). */
int	record_format(const struct flow *, const struct verdict *,
	    char *buf, size_t len);

/* "tcp", "udp", "icmp", "icmp6", or the number as text in buf. */
const char *record_proto_name(int proto, char *buf, size_t len);

#endif /* FLOWIDD_RECORD_H */
