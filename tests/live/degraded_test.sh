#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# A degraded state is logged once, not per packet: with room for five
# flows, a replay of 34 flows evicts many, and the log must hold one
# "flow table full" warning, statistics that count the evictions, and
# no line per packet or per flow.  Run from the top of the tree, as root.

. tests/live/lib.sh

live_skip_unless_able degraded_test
live_user
live_tmpdir
live_netns
t=$LIVE_TMP

live_spawn "$FLOWIDD" -f -i "$LIVE_RX" -c /dev/null --no-model -o stdout \
    --max-flows 5 >"$t/live.out" 2>"$t/live.err"
pid=$LIVE_PID
live_check "daemon starts capturing" \
    live_wait_for "$t/live.err" "capturing on $LIVE_RX" 10
live_replay "$LIVE_CAPTURE"
sleep 1
kill -USR1 "$pid"
live_check "statistics count the evictions" \
    live_wait_for "$t/live.err" "statistics: .* evictions=[1-9]" 10
live_check "daemon exits 0 on SIGTERM" live_stop "$pid"

live_check "one warning when the table fills" \
    test "$(grep -c 'flow table full' "$t/live.err")" = 1
live_check "evicted flows say end=evict" grep -q " end=evict\$" "$t/live.out"
# starting, user, capturing, full, statistics, stopping, counters
live_check "seven log lines in all" test "$(wc -l <"$t/live.err")" = 7
live_summary degraded_test
