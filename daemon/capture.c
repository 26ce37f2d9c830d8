/* SPDX-License-Identifier: ISC */
/*
 * libpcap glue.  Files are read with pcap_dispatch until the end; a live
 * capture is opened non-blocking in immediate mode and its selectable fd
 * is driven by libevent (flowidd.c), pcap_dispatch reading what is
 * ready, a bounded batch at a time.
 *
 * A classic pcap file (a regular file, of a link type flowidd decodes,
 * whose records libpcap gives as stored) is mapped instead, once
 * libpcap has accepted its header, and its plain records are read in
 * place (lib/savefile.c): no copy by the kernel into stdio's buffer and
 * none by libpcap out of it, which was a fifth of the CPU time of the
 * full pipeline.  The first record that is not plain, and the end of the
 * mapping, hand the rest of the file to libpcap at that offset, so
 * errors and a file that grew are libpcap's to report and to read, as
 * before; so is a file cut shorter while mapped, once its new size or
 * its missing pages show (daemon/mapped.c).  The filter is the same
 * program, run on each record.
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

#include "capture.h"
#include "mapped.h"
#include "savefile.h"

/*
 * stdio's buffer for a capture file.  pcap_open_offline() leaves the
 * default, st_blksize (4 KiB): a read() system call per 4 KiB.  With
 * 128 KiB reading costs 5 to 10 % less CPU; 1 MiB cost more than
 * 4 KiB, as every byte then leaves the L2 cache between the kernel's
 * copy into the buffer and libpcap's copy out of it.
 */
#define CAPTURE_FILE_BUF	(128 * 1024)

struct capture {
	pcap_t		*cp_pcap;
	char		*cp_iobuf;	/* the file's stdio buffer */
	char		*cp_name;
	int		 cp_dlt;
	struct bpf_program cp_prog;	/* the filter, if cp_hasprog */
	int		 cp_hasprog;
	int		 cp_map_tried;	/* capture_map ran */
	struct mapped	 cp_map;	/* the file, while read in place */
	struct savefile	 cp_sf;		/* its records */
	struct flowid	*cp_fi;		/* during capture_feed */
	char		 cp_err[PCAP_ERRBUF_SIZE + 256];
};

static struct capture *
capture_alloc(const char *name, char *err, size_t errlen)
{
	struct capture	*cp;

	if ((cp = calloc(1, sizeof(*cp))) == NULL ||
	    (cp->cp_name = strdup(name)) == NULL) {
		free(cp);
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	return cp;
}

static int
capture_set_filter(struct capture *cp, const char *filter, char *err,
    size_t errlen)
{
	struct bpf_program	prog;

	if (filter == NULL)
		return 0;
	if (pcap_compile(cp->cp_pcap, &prog, filter, 1,
	    PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "filter \"%s\": %s", filter,
		    pcap_geterr(cp->cp_pcap));
		return -1;
	}
	if (pcap_setfilter(cp->cp_pcap, &prog) == -1) {
		snprintf(err, errlen, "filter \"%s\": %s", filter,
		    pcap_geterr(cp->cp_pcap));
		pcap_freecode(&prog);
		return -1;
	}
	/* kept for the records read in place */
	cp->cp_prog = prog;
	cp->cp_hasprog = 1;
	return 0;
}

/*
 * libpcap names the file in some messages and not others; ours always
 * do, once.
 */
static void
capture_file_error(const char *path, const char *pe, char *err,
    size_t errlen)
{
	if (strncmp(pe, path, strlen(path)) == 0)
		snprintf(err, errlen, "%s", pe);
	else
		snprintf(err, errlen, "%s: %s", path, pe);
}

/*
 * The file as pcap_open_offline() would open it ("-" is stdin), with
 * a larger buffer.  stdin keeps stdio's own: it outlives the capture,
 * so a buffer of ours would have to outlive it too.
 */
static FILE *
capture_fopen(struct capture *cp, const char *path, char *err,
    size_t errlen)
{
	FILE	*fp;

	if (strcmp(path, "-") == 0)
		return stdin;
	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* without the buffer, stdio's default still works */
	if ((cp->cp_iobuf = malloc(CAPTURE_FILE_BUF)) != NULL &&
	    setvbuf(fp, cp->cp_iobuf, _IOFBF, CAPTURE_FILE_BUF) != 0) {
		free(cp->cp_iobuf);
		cp->cp_iobuf = NULL;
	}
	return fp;
}

/*
 * Map the file libpcap opened, when its records can be read in place.
 * Anything that fails leaves the file to libpcap alone.  Done when the
 * file is first read, not opened: every -r file is opened first, and
 * one file at a time is mapped.
 */
static void
capture_map(struct capture *cp, FILE *fp)
{
	struct stat	st;

	cp->cp_map_tried = 1;
	if (fp == NULL || fp == stdin ||
	    fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size <= SAVEFILE_HDR)
		return;
	if (mapped_open(&cp->cp_map, fileno(fp), (size_t)st.st_size) == -1)
		return;
	if (savefile_open(&cp->cp_sf, cp->cp_map.mp_base, (size_t)st.st_size,
	    (uint32_t)pcap_snapshot(cp->cp_pcap)) == -1 ||
	    !savefile_in_place(&cp->cp_sf, cp->cp_dlt))
		mapped_close(&cp->cp_map);
}

/* Touch every page of a record, so a cut file shows before it is used. */
static void
capture_touch(const struct savefile_rec *rec)
{
	const volatile uint8_t	*p = rec->sr_data;
	size_t			 i;

	for (i = 0; i < rec->sr_caplen; i += 4096)
		(void)p[i];
	if (rec->sr_caplen > 0)
		(void)p[rec->sr_caplen - 1];
}

struct capture *
capture_open_file(const char *path, const char *filter, char *err,
    size_t errlen)
{
	struct capture	*cp;
	FILE		*fp;
	char		 pe[PCAP_ERRBUF_SIZE];

	if ((cp = capture_alloc(path, err, errlen)) == NULL)
		return NULL;
	if ((fp = capture_fopen(cp, path, err, errlen)) == NULL) {
		capture_close(cp);
		return NULL;
	}
	/* on success the pcap_t owns fp and closes it (never stdin) */
	if ((cp->cp_pcap = pcap_fopen_offline(fp, pe)) == NULL) {
		capture_file_error(path, pe, err, errlen);
		if (fp != stdin)
			fclose(fp);
		capture_close(cp);
		return NULL;
	}
	cp->cp_dlt = pcap_datalink(cp->cp_pcap);
	if (capture_set_filter(cp, filter, err, errlen) == -1) {
		capture_close(cp);
		return NULL;
	}
	return cp;
}

/* pcap_set_* calls report failure only as a non-zero return. */
static int
capture_configure(struct capture *cp, const struct conf *c)
{
	if (pcap_set_snaplen(cp->cp_pcap, c->cf_snaplen) != 0 ||
	    pcap_set_promisc(cp->cp_pcap, c->cf_promisc) != 0 ||
	    pcap_set_timeout(cp->cp_pcap, 100) != 0 ||
	    pcap_set_immediate_mode(cp->cp_pcap, c->cf_immediate) != 0)
		return -1;
	if (c->cf_buffer_size > 0 &&
	    pcap_set_buffer_size(cp->cp_pcap, c->cf_buffer_size) != 0)
		return -1;
	return 0;
}

static int
capture_activate(struct capture *cp, char *err, size_t errlen)
{
	int	rv = pcap_activate(cp->cp_pcap);

	if (rv < 0) {
		snprintf(err, errlen, "%s: %s", cp->cp_name,
		    rv == PCAP_ERROR ? pcap_geterr(cp->cp_pcap) :
		    pcap_statustostr(rv));
		return -1;
	}
	return 0;
}

struct capture *
capture_open_live(const struct conf *c, char *err, size_t errlen)
{
	struct capture	*cp;
	char		 pe[PCAP_ERRBUF_SIZE];

	if ((cp = capture_alloc(c->cf_interface, err, errlen)) == NULL)
		return NULL;
	if ((cp->cp_pcap = pcap_create(c->cf_interface, pe)) == NULL) {
		snprintf(err, errlen, "%s: %s", c->cf_interface, pe);
		goto fail;
	}
	if (capture_configure(cp, c) == -1) {
		snprintf(err, errlen, "%s: cannot set capture options",
		    c->cf_interface);
		goto fail;
	}
	if (capture_activate(cp, err, errlen) == -1)
		goto fail;
	if (pcap_setnonblock(cp->cp_pcap, 1, pe) == -1) {
		snprintf(err, errlen, "%s: %s", c->cf_interface, pe);
		goto fail;
	}
	cp->cp_dlt = pcap_datalink(cp->cp_pcap);
	if (capture_set_filter(cp, c->cf_filter, err, errlen) == -1)
		goto fail;
	return cp;

fail:
	capture_close(cp);
	return NULL;
}

static void
capture_packet_cb(u_char *arg, const struct pcap_pkthdr *h,
    const u_char *data)
{
	struct capture	*cp = (struct capture *)arg;
	uint64_t	 ts;

	ts = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
	flowid_packet(cp->cp_fi, cp->cp_dlt, data, h->caplen, h->len, ts);
}

/* A file cut shorter ends where it now ends (daemon/mapped.c). */
static void
capture_check_size(struct capture *cp)
{
	struct stat	st;

	if (fstat(fileno(pcap_file(cp->cp_pcap)), &st) == 0 &&
	    st.st_size >= 0)
		savefile_limit(&cp->cp_sf, (size_t)st.st_size);
}

/*
 * Records read in place, up to budget that pass the filter.  At the first
 * one left to libpcap, libpcap's stream moves to it and the mapping goes.
 */
static int
capture_feed_mapped(struct capture *cp, struct flowid *fi, int budget,
    int *done)
{
	struct savefile_rec	rec;
	struct pcap_pkthdr	h;
	size_t			at;
	int			n = 0, rv;

	*done = 0;
	while (budget < 0 || n < budget) {
		/* nothing below the next record is read again */
		at = cp->cp_sf.sf_off;
		if (mapped_release(&cp->cp_map, at))
			capture_check_size(cp);
		if ((rv = savefile_next(&cp->cp_sf, &rec)) == 1)
			capture_touch(&rec);
		if (mapped_cut()) {
			/* the file was cut: libpcap reads what is left */
			cp->cp_sf.sf_off = at;
			rv = -1;
		}
		if (rv != 1) {
			*done = 1;
			break;
		}
		h.caplen = rec.sr_caplen;
		h.len = rec.sr_len;
		if (cp->cp_hasprog && pcap_offline_filter(&cp->cp_prog, &h,
		    rec.sr_data) == 0)
			continue;
		flowid_packet(fi, cp->cp_dlt, rec.sr_data, rec.sr_caplen,
		    rec.sr_len, rec.sr_ts);
		n++;
	}
	if (!*done)
		return n;

	if (fseeko(pcap_file(cp->cp_pcap), (off_t)cp->cp_sf.sf_off,
	    SEEK_SET) == -1) {
		snprintf(cp->cp_err, sizeof(cp->cp_err), "%s: %s",
		    cp->cp_name, strerror(errno));
		return -1;
	}
	mapped_close(&cp->cp_map);
	return n;
}

int
capture_feed(struct capture *cp, struct flowid *fi, int budget)
{
	int	n, m = 0, done;

	if (!cp->cp_map_tried)
		capture_map(cp, pcap_file(cp->cp_pcap));
	if (cp->cp_map.mp_base != NULL) {
		m = capture_feed_mapped(cp, fi, budget, &done);
		if (m == -1 || !done)
			return m;
		if (budget > 0)
			budget -= m;
	}

	cp->cp_fi = fi;
	n = pcap_dispatch(cp->cp_pcap, budget, capture_packet_cb,
	    (u_char *)cp);
	if (n == PCAP_ERROR) {
		snprintf(cp->cp_err, sizeof(cp->cp_err), "%s: %s",
		    cp->cp_name, pcap_geterr(cp->cp_pcap));
		return -1;
	}
	if (n == PCAP_ERROR_BREAK)
		return m;
	return m + n;
}

int
capture_fd(const struct capture *cp)
{
	return pcap_get_selectable_fd(cp->cp_pcap);
}

int
capture_linktype(const struct capture *cp)
{
	return cp->cp_dlt;
}

const char *
capture_name(const struct capture *cp)
{
	return cp->cp_name;
}

const char *
capture_error(const struct capture *cp)
{
	return cp->cp_err;
}

uint64_t
capture_drops(struct capture *cp)
{
	struct pcap_stat	st;

	if (pcap_stats(cp->cp_pcap, &st) == -1)
		return 0;
	return (uint64_t)st.ps_drop + st.ps_ifdrop;
}

void
capture_close(struct capture *cp)
{
	if (cp == NULL)
		return;
	mapped_close(&cp->cp_map);
	if (cp->cp_hasprog)
		pcap_freecode(&cp->cp_prog);
	if (cp->cp_pcap != NULL)
		pcap_close(cp->cp_pcap);
	free(cp->cp_iobuf);	/* after the fclose in pcap_close */
	free(cp->cp_name);
	free(cp);
}
