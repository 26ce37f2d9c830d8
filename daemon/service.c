/* SPDX-License-Identifier: ISC */
/* PLACEHOLDER: reload, privilege drop and readiness land with the
 * service work. */

#include "flowidd.h"
#include "log.h"

void
flowidd_reload(struct flowidd *d)
{
	(void)d;
	log_warnx("reload is not supported yet");
}

int
flowidd_privdrop(struct flowidd *d)
{
	(void)d;
	return 0;
}

void
flowidd_ready(struct flowidd *d)
{
	(void)d;
}
