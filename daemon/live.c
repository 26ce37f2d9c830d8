/* SPDX-License-Identifier: ISC */
/*
 * Live capture under libevent: the pcap fd, a one-second tick that ends
 * due flows and flushes records, the statistics timer, and signals as
 * events (TERM/INT stop, HUP reloads the model, USR1 logs statistics).
 * Everything is freed before the event base, as libevent wants.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <event2/event.h>

#include "flowidd.h"
#include "log.h"
#include "stats.h"

#define LIVE_READ_BUDGET	4096	/* packets per fd callback */
#define LIVE_EXPIRE_BUDGET	200000	/* flows ended per tick */
#define LIVE_EXPIRE_SLICE	4000	/* ... between two capture reads */

struct live {
	struct flowidd		*lv_d;
	struct event_base	*lv_base;
	struct event		*lv_read;
	struct event		*lv_tick;
	struct event		*lv_sig[4];
	struct stats		*lv_stats;
	uint64_t		 lv_last_stats;
	int			 lv_status;
};

static uint64_t
live_now_us(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

static void
capture_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct live	*lv = arg;
	struct flowidd	*d = lv->lv_d;

	(void)fd;
	(void)what;
	if (capture_feed(d->fd_cap, d->fd_fi, LIVE_READ_BUDGET) == -1) {
		log_warnx("%s", capture_error(d->fd_cap));
		lv->lv_status = 1;
		event_base_loopbreak(lv->lv_base);
	}
}

static void
expire_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct live	*lv = arg;
	struct flowidd	*d = lv->lv_d;
	uint64_t	 now = live_now_us();
	uint64_t	 every = (uint64_t)d->fd_conf.cf_stats_interval * 1000000;
	size_t		 n, slices = LIVE_EXPIRE_BUDGET / LIVE_EXPIRE_SLICE;

	(void)fd;
	(void)what;
	/*
	 * Expire in slices, reading the capture before each one: after a
	 * flood many flows fall due at once, and the kernel ring must not
	 * overflow while they are ended.
	 */
	do {
		capture_feed(d->fd_cap, d->fd_fi, LIVE_READ_BUDGET);
		n = flowid_tick(d->fd_fi, now, LIVE_EXPIRE_SLICE);
		output_flush(d->fd_out);
	} while (n == LIVE_EXPIRE_SLICE && --slices > 0);
	stats_tick(lv->lv_stats, now);
	if (every != 0 && now - lv->lv_last_stats >= every) {
		lv->lv_last_stats = now;
		output_flush(d->fd_out);
		stats_log(lv->lv_stats, now);
	}
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct live	*lv = arg;
	struct flowidd	*d = lv->lv_d;

	(void)what;
	switch (sig) {
	case SIGINT:
	case SIGTERM:
		log_notice("received %s, stopping",
		    sig == SIGINT ? "SIGINT" : "SIGTERM");
		flowidd_notify("STOPPING=1");
		event_base_loopbreak(lv->lv_base);
		break;
	case SIGUSR1:
		/* flows ended but still in the batch count as records now */
		output_flush(d->fd_out);
		stats_log(lv->lv_stats, live_now_us());
		break;
	case SIGHUP:
		flowidd_reload(d);
		break;
	}
}

static int
live_events(struct live *lv)
{
	static const int	 sigs[4] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1 };
	struct timeval		 tick = { 1, 0 };
	int			 i;

	lv->lv_read = event_new(lv->lv_base, capture_fd(lv->lv_d->fd_cap),
	    EV_READ | EV_PERSIST, capture_read_cb, lv);
	lv->lv_tick = event_new(lv->lv_base, -1, EV_PERSIST, expire_timer_cb,
	    lv);
	if (lv->lv_read == NULL || lv->lv_tick == NULL ||
	    event_add(lv->lv_read, NULL) == -1 ||
	    event_add(lv->lv_tick, &tick) == -1)
		return -1;
	for (i = 0; i < 4; i++) {
		lv->lv_sig[i] = evsignal_new(lv->lv_base, sigs[i], signal_cb,
		    lv);
		if (lv->lv_sig[i] == NULL || event_add(lv->lv_sig[i],
		    NULL) == -1)
			return -1;
	}
	return 0;
}

static void
live_free(struct live *lv)
{
	int	i;

	for (i = 0; i < 4; i++)
		if (lv->lv_sig[i] != NULL)
			event_free(lv->lv_sig[i]);
	if (lv->lv_tick != NULL)
		event_free(lv->lv_tick);
	if (lv->lv_read != NULL)
		event_free(lv->lv_read);
	if (lv->lv_base != NULL)
		event_base_free(lv->lv_base);
}

int
live_run(struct flowidd *d)
{
	struct live	lv;
	char		err[512];

	memset(&lv, 0, sizeof(lv));
	lv.lv_d = d;
	log_notice("starting: configuration %s, model %s", d->fd_conf_path,
	    d->fd_cls != NULL ? classifier_path(d->fd_cls) : "none");
	if ((d->fd_cap = capture_open_live(&d->fd_conf, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return 1;
	}
	if (flowidd_privdrop(d) == -1) {
		capture_close(d->fd_cap);
		d->fd_cap = NULL;
		return 1;
	}
	if ((lv.lv_base = event_base_new()) == NULL || live_events(&lv) == -1)
		fatalx("cannot set up the event loop");
	lv.lv_last_stats = live_now_us();
	if ((lv.lv_stats = stats_new(d, lv.lv_last_stats)) == NULL)
		fatalx("out of memory");
	output_set_stats(d->fd_out, lv.lv_stats);
	log_notice("capturing on %s (link type %d, features %s)",
	    d->fd_conf.cf_interface, capture_linktype(d->fd_cap),
	    profile_name(d->fd_conf.cf_profile));
	flowidd_ready(d);

	event_base_dispatch(lv.lv_base);

	capture_feed(d->fd_cap, d->fd_fi, -1);
	flowid_finish(d->fd_fi, FLOW_END_SHUTDOWN);
	output_flush(d->fd_out);
	flowidd_summary(d, "shutdown");
	output_set_stats(d->fd_out, NULL);
	stats_free(lv.lv_stats);
	live_free(&lv);
	capture_close(d->fd_cap);
	d->fd_cap = NULL;
	return lv.lv_status;
}
