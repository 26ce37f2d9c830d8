# flowidd: build, test, install.  GNU make, Debian 12.
#
#   make             build/flowidd, build/libflowid.a, build/flowid-train
#   make deps        install the Debian packages build and tests need (root)
#   make demo        build, then classify the flows of a bundled capture
#   make check       every test; the corpus parts run when ../shared exists
#   make corpus-check  the whole labeled corpus under ASan+UBSan
#   make bench       benchmarks (not part of check)

PREFIX	?= /usr/local
DESTDIR	?=
SHARED	?= ../shared

CC	?= cc
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -Wall -Wextra -D_GNU_SOURCE
CFLAGS	+= -DFLOWIDD_MODEL_DEFAULT='"$(PREFIX)/share/flowidd/default.model"'
PKGS	 = libpcap libevent libconfig
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
XGB_CFLAGS := $(shell pkg-config --cflags xgboost 2>/dev/null)
XGB_LIBS   := $(shell pkg-config --libs xgboost 2>/dev/null || echo -lxgboost)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# Debian packages: build, tests, benchmarks.
DEPS	 = build-essential pkg-config libpcap-dev libevent-dev libconfig-dev \
	   libxgboost-dev libcmocka-dev python3 tcpreplay iproute2 \
	   clang libclang-rt-14-dev libndpi-bin systemd

# -iquote: lib/features.h must not shadow the C library's <features.h>
INC	 = -iquote lib -iquote daemon

B	 = build
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)
D_SRCS	 := $(wildcard daemon/*.c)
D_OBJS	 := $(D_SRCS:%.c=$(B)/%.o)

all: $(B)/flowidd $(B)/libflowid.a

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(INC) -MMD -MP -c $< -o $@

$(B)/libflowid.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/flowidd: $(D_OBJS) $(B)/libflowid.a
	$(CC) $(CFLAGS) -o $@ $(D_OBJS) $(B)/libflowid.a $(PKG_LIBS) -lm

-include $(LIB_OBJS:.o=.d) $(D_OBJS:.o=.d)

# --- sanitizer build (ASan + UBSan, leaks included) ----------------------
A	 = $(B)/asan
SAN	 = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
A_LIB_OBJS := $(LIB_SRCS:%.c=$(A)/%.o)
A_D_OBJS   := $(D_SRCS:%.c=$(A)/%.o)

$(A)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) $(PKG_CFLAGS) $(INC) -MMD -MP -c $< -o $@

$(A)/libflowid.a: $(A_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(A)/flowidd: $(A_D_OBJS) $(A)/libflowid.a
	$(CC) $(CFLAGS) $(SAN) -o $@ $(A_D_OBJS) $(A)/libflowid.a \
	    $(PKG_LIBS) -lm

-include $(A_LIB_OBJS:.o=.d) $(A_D_OBJS:.o=.d)

# --- unit tests (cmocka), linked against the library -------------------
UNIT_TESTS := $(patsubst tests/unit/%_test.c,%,$(wildcard tests/unit/*_test.c))
UNIT_BINS  := $(UNIT_TESTS:%=$(B)/tests/%_test)
A_UNIT_BINS := $(UNIT_TESTS:%=$(A)/tests/%_test)

$(B)/tests/%_test: tests/unit/%_test.c tests/unit/pktgen.c $(B)/libflowid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) -iquote tests/unit -o $@ $< \
	    tests/unit/pktgen.c $(B)/libflowid.a $(CMOCKA_LIBS) -lm

$(A)/tests/%_test: tests/unit/%_test.c tests/unit/pktgen.c $(A)/libflowid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) $(INC) -iquote tests/unit -o $@ $< \
	    tests/unit/pktgen.c $(A)/libflowid.a $(CMOCKA_LIBS) -lm

# capture_test reads files through daemon/capture.c and daemon/mapped.c.
CAPTURE_TEST_SRCS = daemon/capture.c daemon/mapped.c

$(B)/tests/capture_test: tests/unit/capture_test.c $(CAPTURE_TEST_SRCS) \
    $(B)/libflowid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(INC) -o $@ $< $(CAPTURE_TEST_SRCS) \
	    $(B)/libflowid.a $(PKG_LIBS) $(CMOCKA_LIBS) -lm

$(A)/tests/capture_test: tests/unit/capture_test.c $(CAPTURE_TEST_SRCS) \
    $(A)/libflowid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) $(PKG_CFLAGS) $(INC) -o $@ $< \
	    $(CAPTURE_TEST_SRCS) $(A)/libflowid.a $(PKG_LIBS) \
	    $(CMOCKA_LIBS) -lm

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do $$t; done

check-cases: $(B)/flowidd
	python3 tests/cases_core.py $(B)/flowidd

# The unit tests and the edge cases again under ASan+UBSan.
asan-check: $(A_UNIT_BINS) $(A)/flowidd
	@set -e; for t in $(A_UNIT_BINS); do $$t; done
	python3 tests/cases_core.py $(A)/flowidd

# Every corpus capture under the sanitizers, flows compared with nDPI's.
corpus-check: $(A)/flowidd
	@if [ -d $(SHARED)/corpus/captures ]; then \
	    python3 tests/corpus_check.py $(A)/flowidd $(SHARED)/corpus; \
	else echo "corpus-check: SKIP, no $(SHARED)/corpus"; fi

# Each part of the tree adds its own targets in a fragment.
-include tools/*.mk tests/*.mk

# What `make check` runs, in order (the fragments define most of them).
CHECKS	 = check-unit check-cases check-features check-conf check-train \
	   check-model \
	   $(if $(wildcard tests/robust.mk),check-robust) \
	   asan-check fuzz-regress check-live oracle-check corpus-check

check: all
	@set -e; for c in $(CHECKS); do \
	    echo "== $$c"; $(MAKE) --no-print-directory $$c; done
	@echo "make check: $(words $(CHECKS)) steps passed"

deps:
	@missing=""; for p in $(DEPS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	    grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: all installed"; fi

DEMO_PCAP = tests/data/demo.pcap

demo: all
	$(B)/flowidd -r $(DEMO_PCAP)

clean:
	rm -rf $(B)

.PHONY: all check check-unit check-cases asan-check corpus-check deps \
	demo clean
