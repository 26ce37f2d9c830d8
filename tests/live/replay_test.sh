#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Live capture against the file reader (issue #2): flowidd -i on one end
# of a veth pair, tcpreplay of a corpus capture into the other at its
# recorded pace, SIGTERM, then the records must hold the same flows with
# the same packet and byte counts as flowidd -r on the same file, each
# ended by the shutdown.  Run from the top of the tree, as root.

. tests/live/lib.sh

live_skip_unless_able replay_test
live_user
live_tmpdir
live_netns
t=$LIVE_TMP

"$FLOWIDD" -r "$LIVE_CAPTURE" -c /dev/null --no-model -o stdout \
    >"$t/file.out" 2>"$t/file.err"

live_spawn "$FLOWIDD" -f -i "$LIVE_RX" -c /dev/null --no-model -o stdout \
    >"$t/live.out" 2>"$t/live.err"
pid=$LIVE_PID
live_check "daemon starts capturing" \
    live_wait_for "$t/live.err" "capturing on $LIVE_RX" 10
live_replay "$LIVE_CAPTURE"
sleep 1
live_check "daemon exits 0 on SIGTERM" live_stop "$pid"

live_check "same flows, packets and bytes as -r" \
    live_same_flows "$t/live.out" "$t/file.out"
live_check "every record says end=shutdown" \
    live_all_end "$t/live.out" shutdown
live_check "no kernel drops" \
    grep -q "shutdown: .* kernel_drops=0\$" "$t/live.err"
live_summary replay_test
