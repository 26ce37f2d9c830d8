/* SPDX-License-Identifier: ISC */
/*
 * Logging for the daemon, after OpenBSD's log.c: log_warn appends
 * strerror(errno), fatal/fatalx log at LOG_CRIT and exit 1.  Messages go
 * to syslog unless disabled, and to stderr in the foreground.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static bool	log_stderr = true;
static bool	log_syslog;
static bool	log_debugging;

void
log_init(const char *ident, int facility, bool to_stderr, bool to_syslog,
    bool debug)
{
	log_stderr = to_stderr;
	log_syslog = to_syslog;
	log_debugging = debug;
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

void
log_set_debug(bool on)
{
	log_debugging = on;
}

static void
log_vwrite(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char	buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_stderr)
		fprintf(stderr, "flowidd: %s%s%s\n", buf,
		    suffix ? ": " : "", suffix ? suffix : "");
	if (log_syslog)
		syslog(pri, "%s%s%s", buf, suffix ? ": " : "",
		    suffix ? suffix : "");
}

void
log_warn(const char *fmt, ...)
{
	va_list		 ap;
	const char	*err = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, fmt, ap, err);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_errx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
}

void
log_notice(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_NOTICE, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_debugging)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list		 ap;
	const char	*err = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, err);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void
log_record(const char *line)
{
	syslog(LOG_INFO, "%s", line);
}
