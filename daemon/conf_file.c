/* SPDX-License-Identifier: ISC */
/* PLACEHOLDER: the libconfig reader lands with the service work. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf_file.h"

int
conf_file_load(const char *path, bool explicit, struct conf *c, char *err,
    size_t errlen)
{
	(void)c;
	if (access(path, R_OK) == 0 || (!explicit && errno == ENOENT))
		return 0;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return -1;
}
