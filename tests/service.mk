# flowidd as a service: install and uninstall, and the checks of the
# service files.
#
#   make install       PREFIX (/usr/local) and DESTDIR as usual; the
#                      configuration and the unit go under SYSCONFDIR and
#                      UNITDIR, the flowidd user is created when missing
#   make check-conf    golden configuration tests (tests/conf), then the
#                      unit: make install into a scratch DESTDIR,
#                      systemd-analyze verify, and an exposure score of
#                      2.0 or better
#   make check-live    live capture in a private network namespace (root):
#                      tests/live/replay_test.sh and service_test.sh

SYSCONFDIR	?= /etc
UNITDIR		?= $(SYSCONFDIR)/systemd/system
SBINDIR		 = $(PREFIX)/sbin
BINDIR		 = $(PREFIX)/bin
DATADIR		 = $(PREFIX)/share/flowidd
MANDIR		 = $(PREFIX)/share/man
# systemd's exposure score times ten: 2.0
SECURITY_MAX	 = 20

# Paths written in the shipped files, replaced by the installed ones.
SERVICE_SED	 = -e 's|/usr/local/sbin|$(SBINDIR)|g' \
		   -e 's|/usr/local/share/flowidd|$(DATADIR)|g'

# flowidd.o holds $(PREFIX) (the default model's path): rebuild it when
# PREFIX differs from the last build's, so "make install PREFIX=/usr"
# after "make" installs a binary that looks where its model goes.
$(B)/.prefix: service-prefix-check
	@mkdir -p $(B)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' >$@
$(B)/daemon/flowidd.o: $(B)/.prefix
service-prefix-check:

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/flowidd \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8
	install -m 755 $(B)/flowidd $(DESTDIR)$(SBINDIR)/flowidd
	@if [ -x $(B)/flowid-train ]; then set -x; \
	    install -m 755 $(B)/flowid-train $(DESTDIR)$(BINDIR); fi
	@if [ -f models/default.model ]; then set -x; \
	    install -m 644 models/default.model $(DESTDIR)$(DATADIR); \
	else echo "install: no models/default.model: flows are not" \
	    "classified until a model is configured"; fi
	sed $(SERVICE_SED) systemd/flowidd.service \
	    >$(DESTDIR)$(UNITDIR)/flowidd.service
	chmod 644 $(DESTDIR)$(UNITDIR)/flowidd.service
	@# an edited configuration is never overwritten
	@f=$(DESTDIR)$(SYSCONFDIR)/flowidd/flowidd.conf; \
	if [ -e $$f ]; then echo "install: keeping $$f"; else set -x; \
	    sed $(SERVICE_SED) conf/flowidd.conf >$$f && chmod 644 $$f; fi
	sed $(SERVICE_SED) man/flowidd.8 >$(DESTDIR)$(MANDIR)/man8/flowidd.8
	sed $(SERVICE_SED) man/flowidd.conf.5 \
	    >$(DESTDIR)$(MANDIR)/man5/flowidd.conf.5
	chmod 644 $(DESTDIR)$(MANDIR)/man8/flowidd.8 \
	    $(DESTDIR)$(MANDIR)/man5/flowidd.conf.5
	@if [ -f man/flowid-train.1 ]; then set -x; \
	    install -m 644 man/flowid-train.1 $(DESTDIR)$(MANDIR)/man1; fi
	@if [ -z "$(DESTDIR)" ] && ! getent passwd flowidd >/dev/null; \
	then set -x; useradd --system --user-group --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin flowidd; fi

# The configuration and the flowidd user stay: they may hold local work.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/flowidd $(DESTDIR)$(BINDIR)/flowid-train \
	    $(DESTDIR)$(DATADIR)/default.model \
	    $(DESTDIR)$(UNITDIR)/flowidd.service \
	    $(DESTDIR)$(MANDIR)/man8/flowidd.8 \
	    $(DESTDIR)$(MANDIR)/man5/flowidd.conf.5 \
	    $(DESTDIR)$(MANDIR)/man1/flowid-train.1
	-rmdir $(DESTDIR)$(DATADIR)

check-conf: $(B)/flowidd
	tests/conf/run.sh $(B)/flowidd
	@$(MAKE) --no-print-directory check-unit-file

# The unit as installed, its paths moved into the scratch tree: every
# command it names exists, its man pages are there, and the sandbox
# rates 2.0 or better.
check-unit-file: $(B)/flowidd
	@command -v systemd-analyze >/dev/null || \
	    { echo "check-unit-file: systemd-analyze missing (make deps)"; \
	    exit 1; }
	@set -e; r=$$(mktemp -d); trap 'rm -rf "$$r"' EXIT; \
	$(MAKE) --no-print-directory -s install DESTDIR=$$r >/dev/null 2>&1; \
	u=$$r$(UNITDIR)/flowidd.service; \
	sed "s|$(PREFIX)/|$$r$(PREFIX)/|g" $$u >$$r/flowidd.service; \
	MANPATH=$$r$(MANDIR) systemd-analyze verify $$r/flowidd.service; \
	echo "ok   systemd-analyze verify"; \
	systemd-analyze security --offline=true \
	    --threshold=$(SECURITY_MAX) $$u | tail -1; \
	echo "ok   exposure 2.0 or better"

check-live: $(B)/flowidd
	@set -e; for t in tests/live/*_test.sh; do \
	    echo "== $$t"; bash $$t; done

.PHONY: install uninstall check-conf check-unit-file check-live \
	service-prefix-check
