#!/bin/bash
# SPDX-License-Identifier: ISC
#
# make bench, live part: the highest tcpreplay rate at which flowidd -i
# loses no packet for LIVE_SECONDS, and the capture tuning that gets
# there.  Two network namespaces made here, joined by one veth pair:
# tcpreplay sends on one end (core 0), flowidd captures on the other
# (core 1).  The frames carry a MAC address no interface owns, so the
# receiving namespace drops them after the capture: nothing leaves the
# pair.  Everything made here is removed on exit, whatever the exit.
#
# usage: live.sh FLOWIDD REPLAY.pcap MODEL|none OUT.md
#
# Loss counted two ways: pcap's kernel_drops in flowidd's summary, and
# packets tcpreplay sent minus packets flowidd read (this also sees the
# veth backlog, which pcap does not).

set -u
FLOWIDD=$1 PCAP=$2 MODEL=$3 OUT=$4
LIVE_SECONDS=${LIVE_SECONDS:-60}
PROBE_SECONDS=${PROBE_SECONDS:-8}
TX=fbench-tx-$$ RX=fbench-rx-$$
WORK=$(mktemp -d /tmp/fbench-live.XXXXXX)
FPID= RPID=

cleanup() {
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	[ -n "$FPID" ] && kill "$FPID" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$TX" 2>/dev/null
	ip netns del "$RX" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

say() { echo "live: $*" >&2; }

skip() {
	say "skipped: $*"
	printf 'Skipped: %s.\n' "$*" > "$OUT"
	exit 0
}

[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v tcpreplay >/dev/null || skip "tcpreplay is not installed"
ip netns add "$TX" && ip netns add "$RX" || skip "ip netns add failed"
ip link add vtx netns "$TX" type veth peer name vrx netns "$RX" ||
    skip "cannot create the veth pair"
for ns in "$TX" "$RX"; do
	# no router solicitations or other chatter of our own on the pair
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
done
# frames of the corpus reach 64 KiB (offloaded captures)
ip -n "$TX" link set vtx mtu 65535 up
ip -n "$RX" link set vrx mtu 65535 up

# probe RATE SECONDS "BUFFER IMMEDIATE SNAPLEN" MODEL: prints "sent read
# drops pps" of one replay at RATE packets/s ("top": as fast as
# tcpreplay goes).
probe() {
	local rate=$1 secs=$2 model=$4 conf=$WORK/live.conf
	local speed sent read drops actual

	set -- $3
	printf 'buffer_size = %s;\nimmediate = %s;\nsnaplen = %s;\n' \
	    "$1" "$2" "$3" > "$conf"
	echo 'stats_interval = 0;' >> "$conf"
	if [ "$model" = none ]; then
		set -- --no-model
	else
		set -- -m "$model"
	fi
	ip netns exec "$RX" taskset -c 1 "$FLOWIDD" -f -c "$conf" -i vrx \
	    -o stdout "$@" > /dev/null 2> "$WORK/flowidd.err" &
	FPID=$!
	sleep 1.5
	if [ "$rate" = top ]; then speed=--topspeed; else speed=--pps=$rate; fi
	ip netns exec "$TX" taskset -c 0 tcpreplay -i vtx -K --loop=0 \
	    --unique-ip --duration="$secs" --no-flow-stats "$speed" "$PCAP" \
	    > "$WORK/tcpreplay.out" 2>&1
	sleep 1
	kill -INT "$FPID"
	wait "$FPID"
	FPID=
	sent=$(sed -n 's/.*Successful packets: *\([0-9]*\).*/\1/p' \
	    "$WORK/tcpreplay.out")
	actual=$(sed -n 's/^Rated:.*, \([0-9.]*\) pps.*/\1/p' \
	    "$WORK/tcpreplay.out" | head -1)
	read=$(sed -n 's/.*packets read=\([0-9]*\).*/\1/p' "$WORK/flowidd.err")
	drops=$(sed -n 's/.*kernel_drops=\([0-9]*\).*/\1/p' \
	    "$WORK/flowidd.err")
	echo "${sent:-0} ${read:-0} ${drops:--1} ${actual%.*}"
}

# zero loss: no kernel drop and every sent packet read
clean() {
	set -- $1
	[ "$1" -gt 0 ] && [ "$3" -eq 0 ] && [ "$2" -ge "$1" ]
}

# best "TUNING" MODEL TOP: highest clean rate below TOP, by bisection
best() {
	local lo=0 hi=$3 mid r i
	for i in 1 2 3 4; do
		mid=$(( (lo + hi) / 2 ))
		r=$(probe "$mid" "$PROBE_SECONDS" "$1" "$2")
		say "  $mid pps, tuning $1: sent/read/drops/pps $r"
		if clean "$r"; then lo=$mid; else hi=$mid; fi
	done
	echo "$lo"
}

# try "TUNING" MODEL: one table row; "RATE TUNING" on stdout
try() {
	local top rate note

	top=$(probe top "$PROBE_SECONDS" "$1" "$2")
	say "top speed, tuning $1, model $2: sent/read/drops/pps $top"
	if clean "$top"; then
		rate=$(echo "$top" | cut -d' ' -f4)
		note="$rate (tcpreplay's top speed: the sender is the limit)"
	else
		rate=$(best "$1" "$2" "$(echo "$top" | cut -d' ' -f4)")
		note=$rate
	fi
	set -- $1 "$2"
	printf '| %s | %s MiB | %s | %s | %s | %s |\n' "$(basename "$4")" \
	    $(( $1 >> 20 )) "$2" "$3" "$top" "$note" >> "$WORK/out.md"
	echo "$rate"
}

# hold RATE "TUNING" MODEL: LIVE_SECONDS at RATE, 10% lower on a loss
hold() {
	local rate=$1 r="none run" try

	for try in 1 2 3; do
		[ "$rate" -gt 0 ] || break
		r=$(probe "$rate" "$LIVE_SECONDS" "$2" "$3")
		say "hold $rate pps $LIVE_SECONDS s, tuning $2, model $3: $r"
		if clean "$r"; then
			set -- "$rate" $2 "$3" $r
			printf -- '- model %s: **%s packets/s for %s s %s' \
			    "$(basename "$5")" "$9" "$LIVE_SECONDS" \
			    'without loss** (rate tcpreplay measured;' \
			    >> "$WORK/out.md"
			printf ' %s asked; sent %s, read %s, drops %s)' \
			    "$1" "$6" "$7" "$8" >> "$WORK/out.md"
			printf ' with buffer %s MiB, immediate %s,' \
			    $(( $2 >> 20 )) "$3" >> "$WORK/out.md"
			printf ' snaplen %s.\n' "$4" >> "$WORK/out.md"
			return
		fi
		rate=$(( rate * 9 / 10 ))
	done
	printf -- '- model %s: no clean %s s run; last: %s %s.\n' \
	    "$(basename "$3")" "$LIVE_SECONDS" "$r" \
	    "(sent read drops pps)" >> "$WORK/out.md"
}

say "replaying $PCAP; probes of $PROBE_SECONDS s, then $LIVE_SECONDS s"
{
	echo "Replay: \`$(basename "$PCAP")\` looped by \`tcpreplay -K"
	echo "--loop=0 --unique-ip\` (new addresses on each loop) on a veth"
	echo "pair between two namespaces; tcpreplay on core 0, flowidd -i"
	echo "on core 1."
	echo "Loss is kernel drops (pcap) or fewer packets read than sent."
	echo "Probes last $PROBE_SECONDS s; the chosen setting is held"
	echo "$LIVE_SECONDS s."
	echo
	printf '| model | buffer | immediate | snaplen | %s | %s |\n' \
	    "top speed: sent read drops pps" "highest clean packets/s"
	echo "|---|---|---|---|---|---|"
} > "$WORK/out.md"

# flowidd's defaults first, then smaller ring slots, then a larger ring
bestrate=-1
for tune in "16777216 true 65535" "16777216 true 256" \
    "268435456 false 65535" "67108864 false 256"; do
	rate=$(try "$tune" "$MODEL")
	if [ "$rate" -gt "$bestrate" ]; then
		bestrate=$rate
		besttune=$tune
	fi
done
[ "$MODEL" != none ] && nomodel=$(try "$besttune" none)

echo >> "$WORK/out.md"
hold "$bestrate" "$besttune" "$MODEL"
[ "$MODEL" != none ] && hold "$nomodel" "$besttune" none
cp "$WORK/out.md" "$OUT"
cat "$OUT"
