#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# flowidd as a gateway service (issue #5), live in a private network
# namespace: readiness sent to a stand-in notify socket once the capture
# is open, root given up for the flowidd user with no capability left,
# SIGHUP with a new model path (and a restart-only change) swapped in
# while flows are in progress, SIGHUP with a broken configuration
# refused, SIGUSR1 statistics, then SIGTERM.  Every flow of the capture
# must come out exactly once, classified by the model loaded last.
# Run from the top of the tree, as root.

. tests/live/lib.sh

live_skip_unless_able service_test
live_user
live_tmpdir
live_netns
t=$LIVE_TMP

# Two hand-written models told apart by their class names: fewer than
# 3 forward packets is the first class, more the second.
model()
{
	printf 'flowid-model 1\nprofile flowidd\nfeatures 1\n'
	printf 'feature Total.Fwd.Packets\nclasses 2\nclass %s\nclass %s\n' \
	    "$1" "$2"
	printf 'summary hand-written for tests/live/service_test.sh\n'
	printf 'base_score 0.5\ntrees 2\n'
	printf 'tree 0 3\nn 0 3 1 2 1 0\nn -1 0 -1 -1 0 1\nn -1 0 -1 -1 0 -1\n'
	printf 'tree 1 3\nn 0 3 1 2 1 0\nn -1 0 -1 -1 0 -1\nn -1 0 -1 -1 0 1\n'
	printf 'end\n'
}
model a-small a-large >"$t/a.model"
model b-small b-large >"$t/b.model"

conf()
{
	cat <<EOF
interface = "$LIVE_RX";
model = "$1";
snaplen = $2;
stats_interval = 0;
outputs = { stdout = true; syslog = false; };
EOF
}
conf "$t/a.model" 65535 >"$t/flowidd.conf"
chmod 644 "$t"/*
python3 tests/live/pcap_split.py "$LIVE_CAPTURE" 68 "$t/part1.pcap" \
    "$t/part2.pcap"
"$FLOWIDD" -r "$LIVE_CAPTURE" -c "$t/flowidd.conf" -m "$t/b.model" \
    >"$t/file.out" 2>"$t/file.err"

sock=@flowidd-live-$$
live_spawn python3 tests/live/notify.py "$sock" "$t/notify.log"
live_wait_for "$t/notify.log" LISTENING 10 || exit 1
NOTIFY_SOCKET=$sock live_spawn "$FLOWIDD" -f -c "$t/flowidd.conf" \
    >"$t/live.out" 2>"$t/live.err"
pid=$LIVE_PID

live_check "-n accepts the configuration" \
    grep -q "configuration .* OK, model $t/a.model" \
    <("$FLOWIDD" -n -c "$t/flowidd.conf")
live_check "READY=1 once capturing" \
    live_wait_for "$t/notify.log" READY=1 10
live_check "dropped to user flowidd, no capabilities" \
    live_dropped "$pid" flowidd

live_replay "$t/part1.pcap"
conf "$t/b.model" 1500 >"$t/flowidd.conf"
kill -HUP "$pid"
live_check "SIGHUP swaps in the new model" \
    live_wait_for "$t/live.err" "reloaded .*: model $t/b.model" 10
live_check "restart-only change reported, not applied" \
    grep -q "reload: snaplen changed, restart to apply it" "$t/live.err"

live_replay "$t/part2.pcap"
echo 'snaplen = "large";' >"$t/flowidd.conf"
kill -HUP "$pid"
live_check "SIGHUP with a broken file is refused" \
    live_wait_for "$t/live.err" \
    "reload rejected, keeping .*flowidd.conf:1: snaplen: expected" 10
kill -USR1 "$pid"
live_check "SIGUSR1 logs statistics" \
    live_wait_for "$t/live.err" "statistics: period=.* packets=" 10
live_check "still unprivileged after the reloads" \
    live_dropped "$pid" flowidd

live_check "exit 0 on SIGTERM" live_stop "$pid"
live_check "systemd told READY, RELOADING and READY twice, STOPPING" \
    test "$(grep -E '^(READY|RELOADING|STOPPING)=1$' "$t/notify.log" |
    tr '\n' ' ')" = \
    "READY=1 RELOADING=1 READY=1 RELOADING=1 READY=1 STOPPING=1 "
live_check "every flow once, same packets and bytes as -r" \
    live_same_flows "$t/live.out" "$t/file.out"
live_check "every record says end=shutdown" \
    live_all_end "$t/live.out" shutdown
live_check "every record classified by the reloaded model" \
    live_same_apps "$t/live.out" "$t/file.out"
live_check "final counters logged" \
    grep -q "shutdown: packets read=136 " "$t/live.err"
live_summary service_test
