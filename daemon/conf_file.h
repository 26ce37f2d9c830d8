/* SPDX-License-Identifier: ISC */
/* The configuration file (libconfig syntax), see flowidd.conf(5). */
#ifndef FLOWIDD_CONF_FILE_H
#define FLOWIDD_CONF_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conf.h"

/*
 * Read path into c, over its current values.  A missing file is an
 * error only when explicit (given with -c).  Returns 0, or -1 with one
 * line in err naming the file, the line and the setting.
 */
int	conf_file_load(const char *path, bool explicit, struct conf *c,
	    char *err, size_t errlen);

/* Write c as a configuration file would set it (flowidd -nv). */
void	conf_file_print(FILE *, const struct conf *);

#endif /* FLOWIDD_CONF_FILE_H */
