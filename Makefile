# flowidd: build, test, install.  GNU make.
#
# make            build/flowidd, build/libflowid.a, tools
# make check      every test (unit, cases, config, corpus when ../shared)
# make deps       install the Debian packages the build and tests need

PREFIX	?= /usr/local
DESTDIR	?=
SHARED	?= ../shared

CC	?= cc
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -Wall -Wextra -D_GNU_SOURCE
PKGS	 = libpcap libevent libconfig
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
XGB_CFLAGS := $(shell pkg-config --cflags xgboost 2>/dev/null)
XGB_LIBS   := $(shell pkg-config --libs xgboost 2>/dev/null || echo -lxgboost)

B	 = build
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)
D_SRCS	 := $(wildcard daemon/*.c)
D_OBJS	 := $(D_SRCS:%.c=$(B)/%.o)

all: $(B)/flowidd $(B)/libflowid.a

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -iquote lib -MMD -MP -c $< -o $@

$(B)/libflowid.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/flowidd: $(D_OBJS) $(B)/libflowid.a
	$(CC) $(CFLAGS) -o $@ $(D_OBJS) $(B)/libflowid.a $(PKG_LIBS) -lm

-include $(LIB_OBJS:.o=.d) $(D_OBJS:.o=.d)

# Fragments owned by each part of the tree add their own targets.
-include tools/*.mk tests/*.mk

clean:
	rm -rf $(B)

.PHONY: all clean
