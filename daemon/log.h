/* SPDX-License-Identifier: ISC */
/* Daemon logging: syslog, and stderr too when in the foreground (-f). */
#ifndef FLOWIDD_LOG_H
#define FLOWIDD_LOG_H

#include <stdarg.h>
#include <stdbool.h>

void	log_init(const char *ident, int facility, bool to_stderr,
	    bool to_syslog, bool debug);
void	log_set_debug(bool);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
/* LOG_ERR without errno: an operation failed (a reload rejected). */
void	log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* One record line at LOG_INFO, to syslog only (records have sinks). */
void	log_record(const char *line);

#endif /* FLOWIDD_LOG_H */
