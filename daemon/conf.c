/* SPDX-License-Identifier: ISC */
/* Built-in defaults of every setting, and releasing the strings. */

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conf.h"
#include "flowid.h"

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->cf_snaplen = 65535;
	c->cf_promisc = true;
	c->cf_buffer_size = 16 * 1024 * 1024;
	c->cf_immediate = true;
	c->cf_idle_us = FLOWID_IDLE_US_DEFAULT;
	c->cf_active_us = FLOWID_ACTIVE_US_DEFAULT;
	c->cf_max_flows = FLOWID_MAX_FLOWS_DEFAULT;
	c->cf_profile = FLOWID_PROFILE_FLOWIDD;
	c->cf_min_confidence = 0.5;
	c->cf_facility = LOG_DAEMON;
	c->cf_stats_interval = 300;
}

void
conf_clear(struct conf *c)
{
	size_t	i;

	free(c->cf_interface);
	for (i = 0; i < c->cf_nfiles; i++)
		free(c->cf_files[i]);
	for (i = 0; i < c->cf_ncsv; i++)
		free(c->cf_csv[i]);
	free(c->cf_filter);
	free(c->cf_model);
	free(c->cf_labels);
	free(c->cf_ident);
	free(c->cf_user);
	free(c->cf_group);
	memset(c, 0, sizeof(*c));
}
