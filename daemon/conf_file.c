/* SPDX-License-Identifier: ISC */
/*
 * The configuration file, in libconfig syntax (flowidd.conf(5)).  Every
 * setting is checked against one table: an unknown name, a wrong type or
 * a value out of range stops the load with one line naming the file, the
 * line, the setting and what it accepts.  This file fills struct conf and
 * nothing else; it never logs.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libconfig.h>

#include "conf_file.h"
#include "flowid.h"

#define CONF_USEC	1000000ULL	/* file in seconds, conf in us */

/* How a setting is stored in struct conf. */
enum conf_kind {
	CONF_STRING,	/* char *; "" refused */
	CONF_FILTER,	/* char *; "" means no filter */
	CONF_BOOL,	/* bool */
	CONF_INT,	/* int in [lo, hi] */
	CONF_UINT,	/* unsigned in [lo, hi] */
	CONF_SIZE,	/* size_t in [lo, hi] */
	CONF_SECONDS,	/* uint64_t microseconds, written in seconds */
	CONF_PROB,	/* double in [0, 1] */
	CONF_PROFILE,	/* enum flowid_profile, by name */
	CONF_FACILITY,	/* syslog facility, by name */
	CONF_CSV,	/* a path or a list of up to CONF_MAX_CSV paths */
	CONF_OUTPUTS,	/* the outputs group: the table below */
};

struct conf_key {
	const char	*ck_name;
	enum conf_kind	 ck_kind;
	size_t		 ck_off;	/* offsetof(struct conf, ...) */
	long long	 ck_lo;		/* numbers: allowed range */
	long long	 ck_hi;
	const char	*ck_what;	/* allowed values, for messages */
};

#define CK(name, kind, field, lo, hi, what) \
	{ name, kind, offsetof(struct conf, field), lo, hi, what }

static const struct conf_key conf_outputs[] = {
	CK("stdout", CONF_BOOL, cf_out_stdout, 0, 0, "true or false"),
	CK("syslog", CONF_BOOL, cf_out_syslog, 0, 0, "true or false"),
	CK("facility", CONF_FACILITY, cf_facility, 0, 0,
	    "daemon, user, local0 to local7"),
	CK("ident", CONF_STRING, cf_ident, 0, 0, "a syslog tag"),
	CK("csv", CONF_CSV, cf_csv, 0, CONF_MAX_CSV,
	    "a path or a list of at most 4 paths"),
	{ NULL, 0, 0, 0, 0, NULL }
};

static const struct conf_key conf_keys[] = {
	CK("interface", CONF_STRING, cf_interface, 0, 0, "an interface name"),
	CK("filter", CONF_FILTER, cf_filter, 0, 0,
	    "a pcap-filter expression, \"\" for none"),
	CK("snaplen", CONF_INT, cf_snaplen, 64, 262144, "bytes"),
	CK("promiscuous", CONF_BOOL, cf_promisc, 0, 0, "true or false"),
	CK("buffer_size", CONF_INT, cf_buffer_size, 0, 1 << 30,
	    "bytes, 0 for the system default"),
	CK("immediate", CONF_BOOL, cf_immediate, 0, 0, "true or false"),
	CK("idle_timeout", CONF_SECONDS, cf_idle_us, 0, 86400,
	    "seconds, 0 for none"),
	CK("active_timeout", CONF_SECONDS, cf_active_us, 1,
	    FLOWID_ACTIVE_S_MAX, "seconds"),
	CK("max_flows", CONF_SIZE, cf_max_flows, 1, 100000000, "flows"),
	CK("features", CONF_PROFILE, cf_profile, 0, 0,
	    "flowidd, cicflowmeter, unicauca"),
	CK("model", CONF_STRING, cf_model, 0, 0, "a model path or \"none\""),
	CK("min_confidence", CONF_PROB, cf_min_confidence, 0, 1, "0 to 1"),
	CK("labels", CONF_STRING, cf_labels, 0, 0, "a labels CSV path"),
	CK("outputs", CONF_OUTPUTS, cf_out_stdout, 0, 0,
	    "a group: outputs = { ... }"),
	CK("user", CONF_STRING, cf_user, 0, 0, "a user name"),
	CK("group", CONF_STRING, cf_group, 0, 0, "a group name"),
	CK("stats_interval", CONF_UINT, cf_stats_interval, 0, 86400,
	    "seconds, 0 for none"),
	{ NULL, 0, 0, 0, 0, NULL }
};

static const struct {
	const char	*name;
	int		 facility;
} conf_facilities[] = {
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

/* Where a message goes while one file is read. */
struct conf_ctx {
	const char	*cx_path;
	char		*cx_err;
	size_t		 cx_errlen;
};

/* One byte as a libconfig string literal would hold it. */
static const char *
conf_escape_char(unsigned char ch, char buf[5])
{
	if (ch == '"' || ch == '\\')
		snprintf(buf, 5, "\\%c", ch);
	else if (ch < 0x20 || ch == 0x7f)
		snprintf(buf, 5, "\\x%02x", ch);
	else
		snprintf(buf, 5, "%c", ch);
	return buf;
}

/* A value quoted for a message: escaped, so the message stays one line,
 * and cut short. */
static const char *
conf_quote(const char *v, char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)v;
	char			 e[5];
	size_t			 off = 0, n;

	buf[0] = '\0';
	for (; *p != '\0'; p++) {
		n = strlen(conf_escape_char(*p, e));
		if (off + n + 4 >= len) {
			snprintf(buf + off, len - off, "...");
			break;
		}
		memcpy(buf + off, e, n + 1);
		off += n;
	}
	return buf;
}

/* "FILE:LINE: NAME: message".  Always returns -1. */
static int __attribute__((format(printf, 4, 5)))
conf_fail(struct conf_ctx *cx, const config_setting_t *s, const char *name,
    const char *fmt, ...)
{
	const char	*file = config_setting_source_file(s);
	char		 msg[512];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(cx->cx_err, cx->cx_errlen, "%s:%u: %s: %s",
	    file != NULL ? file : cx->cx_path,
	    config_setting_source_line(s), name, msg);
	return -1;
}

static const char *
conf_type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "a whole number";
	case CONFIG_TYPE_FLOAT:
		return "a decimal number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	case CONFIG_TYPE_GROUP:
		return "a group";
	default:
		return "nothing";
	}
}

static int
conf_wrong_type(struct conf_ctx *cx, const config_setting_t *s,
    const char *name, const char *expected, const char *what)
{
	return conf_fail(cx, s, name, "expected %s, found %s (%s)", expected,
	    conf_type_name(s), what);
}

/* A copy of a string setting, replacing *dst. */
static int
conf_set_string(struct conf_ctx *cx, const config_setting_t *s,
    const char *name, const char *what, bool empty_ok, char **dst)
{
	const unsigned char	*p;
	const char		*v;
	char			*copy = NULL, q[80];

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(cx, s, name, "a string", what);
	v = config_setting_get_string(s);
	if (*v == '\0' && !empty_ok)
		return conf_fail(cx, s, name, "must not be empty (%s)", what);
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return conf_fail(cx, s, name, "control character "
			    "\\x%02x in \"%s\" (%s)", *p,
			    conf_quote(v, q, sizeof(q)), what);
	if (*v != '\0' && (copy = strdup(v)) == NULL)
		return conf_fail(cx, s, name, "out of memory");
	free(*dst);
	*dst = copy;
	return 0;
}

static int
conf_get_number(struct conf_ctx *cx, const config_setting_t *s,
    const struct conf_key *k, const char *name, long long *v)
{
	int	type = config_setting_type(s);

	if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
		return conf_fail(cx, s, name, "expected a whole number, found "
		    "%s (%lld to %lld %s)", conf_type_name(s), k->ck_lo,
		    k->ck_hi, k->ck_what);
	*v = config_setting_get_int64(s);
	if (*v < k->ck_lo || *v > k->ck_hi)
		return conf_fail(cx, s, name, "%lld is out of range (%lld to "
		    "%lld %s)", *v, k->ck_lo, k->ck_hi, k->ck_what);
	return 0;
}

/* A probability: a decimal number, or the whole numbers 0 and 1. */
static int
conf_get_prob(struct conf_ctx *cx, const config_setting_t *s,
    const char *name, double *v)
{
	int	type = config_setting_type(s);

	if (type == CONFIG_TYPE_FLOAT)
		*v = config_setting_get_float(s);
	else if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
		*v = (double)config_setting_get_int64(s);
	else
		return conf_wrong_type(cx, s, name, "a number", "0 to 1");
	if (!(*v >= 0 && *v <= 1))
		return conf_fail(cx, s, name, "%g is out of range (0 to 1)",
		    *v);
	return 0;
}

static int
conf_get_profile(struct conf_ctx *cx, const config_setting_t *s,
    const struct conf_key *k, const char *name, enum flowid_profile *p)
{
	const char	*v;
	char		 q[80];

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(cx, s, name, "a string", k->ck_what);
	v = config_setting_get_string(s);
	if (profile_parse(v, p) == -1)
		return conf_fail(cx, s, name, "unknown profile \"%s\" (%s)",
		    conf_quote(v, q, sizeof(q)), k->ck_what);
	return 0;
}

static int
conf_get_facility(struct conf_ctx *cx, const config_setting_t *s,
    const struct conf_key *k, const char *name, int *facility)
{
	const char	*v;
	char		 q[80];
	size_t		 i;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(cx, s, name, "a string", k->ck_what);
	v = config_setting_get_string(s);
	for (i = 0; i < sizeof(conf_facilities) / sizeof(conf_facilities[0]);
	    i++)
		if (strcmp(v, conf_facilities[i].name) == 0) {
			*facility = conf_facilities[i].facility;
			return 0;
		}
	return conf_fail(cx, s, name, "unknown facility \"%s\" (%s)",
	    conf_quote(v, q, sizeof(q)), k->ck_what);
}

/* One path or a list of them; the file's list replaces any before. */
static int
conf_get_csv(struct conf_ctx *cx, const config_setting_t *s,
    const struct conf_key *k, const char *name, struct conf *c)
{
	const config_setting_t	*e;
	char			*paths[CONF_MAX_CSV] = { NULL };
	int			 i, n = 1, type = config_setting_type(s);

	if (type == CONFIG_TYPE_ARRAY || type == CONFIG_TYPE_LIST)
		n = config_setting_length(s);
	else if (type != CONFIG_TYPE_STRING)
		return conf_wrong_type(cx, s, name, "a string", k->ck_what);
	if (n > CONF_MAX_CSV)
		return conf_fail(cx, s, name, "%d paths are too many (%s)", n,
		    k->ck_what);

	for (i = 0; i < n; i++) {
		e = type == CONFIG_TYPE_STRING ? s :
		    config_setting_get_elem(s, (unsigned)i);
		if (conf_set_string(cx, e, name, k->ck_what, false,
		    &paths[i]) == -1)
			goto fail;
	}
	for (i = 0; i < (int)c->cf_ncsv; i++)
		free(c->cf_csv[i]);
	memcpy(c->cf_csv, paths, sizeof(paths));
	c->cf_ncsv = (size_t)n;
	return 0;

fail:
	while (i > 0)
		free(paths[--i]);
	return -1;
}

static int conf_group(struct conf_ctx *, const config_setting_t *,
    const struct conf_key *, struct conf *);

/* Store one setting as its table entry says. */
static int
conf_apply(struct conf_ctx *cx, const config_setting_t *s,
    const struct conf_key *k, const char *name, struct conf *c)
{
	void		*field = (char *)c + k->ck_off;
	long long	 v = 0;

	switch (k->ck_kind) {
	case CONF_STRING:
	case CONF_FILTER:
		return conf_set_string(cx, s, name, k->ck_what,
		    k->ck_kind == CONF_FILTER, field);
	case CONF_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return conf_wrong_type(cx, s, name, "a boolean",
			    k->ck_what);
		*(bool *)field = config_setting_get_bool(s);
		return 0;
	case CONF_INT:
	case CONF_UINT:
	case CONF_SIZE:
	case CONF_SECONDS:
		if (conf_get_number(cx, s, k, name, &v) == -1)
			return -1;
		if (k->ck_kind == CONF_INT)
			*(int *)field = (int)v;
		else if (k->ck_kind == CONF_UINT)
			*(unsigned *)field = (unsigned)v;
		else if (k->ck_kind == CONF_SIZE)
			*(size_t *)field = (size_t)v;
		else
			*(uint64_t *)field = (uint64_t)v * CONF_USEC;
		return 0;
	case CONF_PROB:
		return conf_get_prob(cx, s, name, field);
	case CONF_PROFILE:
		return conf_get_profile(cx, s, k, name, field);
	case CONF_FACILITY:
		return conf_get_facility(cx, s, k, name, field);
	case CONF_CSV:
		return conf_get_csv(cx, s, k, name, c);
	case CONF_OUTPUTS:
		if (!config_setting_is_group(s))
			return conf_wrong_type(cx, s, name, "a group",
			    k->ck_what);
		return conf_group(cx, s, conf_outputs, c);
	}
	return conf_fail(cx, s, name, "cannot be stored");
}

/* Every member of group must be in keys; apply them in file order. */
static int
conf_group(struct conf_ctx *cx, const config_setting_t *group,
    const struct conf_key *keys, struct conf *c)
{
	const config_setting_t	*s;
	const struct conf_key	*k;
	const char		*prefix = config_setting_name(group);
	char			 name[128];
	int			 i, n = config_setting_length(group);

	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(group, (unsigned)i);
		snprintf(name, sizeof(name), "%s%s%s",
		    prefix != NULL ? prefix : "", prefix != NULL ? "." : "",
		    config_setting_name(s));
		for (k = keys; k->ck_name != NULL; k++)
			if (strcmp(k->ck_name, config_setting_name(s)) == 0)
				break;
		if (k->ck_name == NULL)
			return conf_fail(cx, s, name, "unknown setting (see "
			    "flowidd.conf(5))");
		if (conf_apply(cx, s, k, name, c) == -1)
			return -1;
	}
	return 0;
}

/* libconfig resolves @include relative to this: the file's directory. */
static void
conf_include_dir(config_t *cfg, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s", path);
	config_set_include_dir(cfg, dirname(buf));
}

int
conf_file_load(const char *path, bool explicit, struct conf *c, char *err,
    size_t errlen)
{
	struct conf_ctx	 cx = { path, err, errlen };
	config_t	 cfg;
	char		 dir[PATH_MAX];
	int		 rv = -1;

	if (access(path, R_OK) == -1) {
		if (!explicit && errno == ENOENT)
			return 0;	/* built-in defaults */
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}

	config_init(&cfg);
	conf_include_dir(&cfg, path, dir, sizeof(dir));
	if (config_read_file(&cfg, path) == CONFIG_FALSE) {
		snprintf(err, errlen, "%s:%d: %s",
		    config_error_file(&cfg) ? config_error_file(&cfg) : path,
		    config_error_line(&cfg), config_error_text(&cfg));
		goto out;
	}
	rv = conf_group(&cx, config_root_setting(&cfg), conf_keys, c);
out:
	config_destroy(&cfg);
	return rv;
}

/* A libconfig string literal: quotes, backslashes and controls escaped. */
static void
conf_print_quoted(FILE *fp, const char *v)
{
	const unsigned char	*p;
	char			 e[5];

	fputc('"', fp);
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		fputs(conf_escape_char(*p, e), fp);
	fputc('"', fp);
}

static void
conf_print_string(FILE *fp, const char *key, const char *v)
{
	fprintf(fp, "%s = ", key);
	conf_print_quoted(fp, v);
	fprintf(fp, ";\n");
}

static void
conf_print_opt(FILE *fp, const char *key, const char *v)
{
	if (v != NULL)
		conf_print_string(fp, key, v);
	else
		fprintf(fp, "# %s is not set\n", key);
}

static const char *
conf_facility_name(int facility)
{
	size_t	i;

	for (i = 0; i < sizeof(conf_facilities) / sizeof(conf_facilities[0]);
	    i++)
		if (conf_facilities[i].facility == facility)
			return conf_facilities[i].name;
	return "daemon";
}

static void
conf_print_outputs(FILE *fp, const struct conf *c)
{
	size_t	i;

	fprintf(fp, "outputs = {\n\tstdout = %s;\n\tsyslog = %s;\n",
	    c->cf_out_stdout ? "true" : "false",
	    c->cf_out_syslog ? "true" : "false");
	fprintf(fp, "\tfacility = \"%s\";\n",
	    conf_facility_name(c->cf_facility));
	fputc('\t', fp);
	conf_print_string(fp, "ident", c->cf_ident ? c->cf_ident : "flowidd");
	fprintf(fp, "\tcsv = [");
	for (i = 0; i < c->cf_ncsv; i++) {
		fprintf(fp, "%s", i ? ", " : " ");
		conf_print_quoted(fp, c->cf_csv[i]);
	}
	fprintf(fp, "%s];\n};\n", c->cf_ncsv ? " " : "");
}

void
conf_file_print(FILE *fp, const struct conf *c)
{
	conf_print_opt(fp, "interface", c->cf_interface);
	conf_print_string(fp, "filter", c->cf_filter ? c->cf_filter : "");
	fprintf(fp, "snaplen = %d;\npromiscuous = %s;\nbuffer_size = %d;\n"
	    "immediate = %s;\n", c->cf_snaplen,
	    c->cf_promisc ? "true" : "false", c->cf_buffer_size,
	    c->cf_immediate ? "true" : "false");
	fprintf(fp, "idle_timeout = %llu;\nactive_timeout = %llu;\n"
	    "max_flows = %zu;\nfeatures = \"%s\";\n",
	    (unsigned long long)(c->cf_idle_us / CONF_USEC),
	    (unsigned long long)(c->cf_active_us / CONF_USEC),
	    c->cf_max_flows, profile_name(c->cf_profile));
	conf_print_opt(fp, "model", c->cf_model);
	fprintf(fp, "min_confidence = %g;\n", c->cf_min_confidence);
	conf_print_opt(fp, "labels", c->cf_labels);
	conf_print_outputs(fp, c);
	conf_print_string(fp, "user", c->cf_user ? c->cf_user :
	    CONF_USER_DEFAULT);
	conf_print_opt(fp, "group", c->cf_group);
	fprintf(fp, "stats_interval = %u;\n", c->cf_stats_interval);
}
