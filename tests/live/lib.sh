# SPDX-License-Identifier: ISC
# Shared by the live-capture tests (sourced, not run).  Every test works
# inside a network namespace it creates, on a veth pair that exists only
# there: the daemon captures on one end while tcpreplay sends the corpus
# frames into the other, so no packet leaves the namespace.  The EXIT
# trap ends what the test started, by PID, and deletes the namespace
# even when an assertion fails.  LIVE_KEEP=1 keeps the logs.

set -u

FLOWIDD=${FLOWIDD:-build/flowidd}
LIVE_CAPTURE=${LIVE_CAPTURE:-tests/data/wikipedia.pcap}
LIVE_NS=flowidd-live-$$
LIVE_TX=fl0			# tcpreplay sends here
LIVE_RX=fl1			# flowidd captures here
LIVE_PIDS=""
LIVE_TMP=""
live_pass=0
live_fail=0

live_cleanup()
{
	local pid

	for pid in $LIVE_PIDS; do
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	ip netns del "$LIVE_NS" 2>/dev/null
	if [ -n "${LIVE_KEEP:-}" ]; then
		echo "kept $LIVE_TMP"	# LIVE_KEEP=1: look at the logs
	elif [ -n "$LIVE_TMP" ]; then
		rm -rf "$LIVE_TMP"
	fi
	return 0
}

live_skip_unless_able()
{
	if [ "$(id -u)" != 0 ]; then
		echo "$1: SKIP (needs root for network namespaces)"
		exit 0
	fi
	for t in ip tcpreplay python3; do
		command -v $t >/dev/null || {
			echo "$1: FAIL: $t is missing (make deps)"
			exit 1
		}
	done
	[ -x "$FLOWIDD" ] || { echo "$1: FAIL: no $FLOWIDD"; exit 1; }
}

# The daemon's default user; CI machines are fresh, so make it.
live_user()
{
	getent passwd flowidd >/dev/null ||
	    useradd --system --user-group --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin flowidd
}

# A private directory the daemon can still read after dropping root.
live_tmpdir()
{
	LIVE_TMP=$(mktemp -d /tmp/flowidd-live.XXXXXX)
	chmod 755 "$LIVE_TMP"
}

# The namespace and its veth pair; IPv6 off so the kernel sends nothing
# of its own (router solicitations, MLD) onto the captured link.
live_netns()
{
	trap live_cleanup EXIT
	trap 'exit 1' INT TERM
	ip netns add "$LIVE_NS"
	ip netns exec "$LIVE_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
	ip -n "$LIVE_NS" link add "$LIVE_TX" type veth peer name "$LIVE_RX"
	ip -n "$LIVE_NS" link set "$LIVE_TX" up
	ip -n "$LIVE_NS" link set "$LIVE_RX" up
}

# Run a command inside the namespace, in the background; its PID (the
# command itself: ip netns exec execs it) is added to LIVE_PIDS.
live_spawn()
{
	ip netns exec "$LIVE_NS" "$@" &
	LIVE_PID=$!
	LIVE_PIDS="$LIVE_PID $LIVE_PIDS"
}

live_replay()
{
	ip netns exec "$LIVE_NS" tcpreplay -q -i "$LIVE_TX" "$1" \
	    >>"$LIVE_TMP/tcpreplay.log" 2>&1
}

# Wait up to $3 seconds for a line matching $2 in file $1.
live_wait_for()
{
	local i

	for i in $(seq $(($3 * 10))); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for \"$2\" in $1:" >&2
	sed 's/^/    /' "$1" >&2
	return 1
}

# Stop the daemon as systemd would, and give its exit status.
live_stop()
{
	kill -TERM "$1"
	wait "$1"
	local rc=$?
	LIVE_PIDS=$(echo "$LIVE_PIDS" | sed "s/\<$1\>//")
	return $rc
}

# One assertion: a name, then a command that must succeed.
live_check()
{
	local name=$1

	shift
	if "$@"; then
		echo "ok   $name"
		live_pass=$((live_pass + 1))
	else
		echo "FAIL $name"
		live_fail=$((live_fail + 1))
	fi
}

# The part of each record that a replay must reproduce exactly: the flow
# key and the packet and byte counts, one sorted line per flow.
live_keys()
{
	local re='.* \(proto=.*\) start=.* duration_us=[0-9]* \(.*\) end=.*'

	sed -n "s/$re/\\1 \\2/p" "$1" | sort
}

live_same_flows()
{
	live_keys "$1" >"$1.keys"
	live_keys "$2" >"$2.keys"
	[ -s "$1.keys" ] && diff -u "$2.keys" "$1.keys" >&2
}

# The application given to each flow, as "key app=NAME" lines.
live_apps()
{
	sed -n 's/^\(app=[^ ]*\) .* \(proto=.*\) start=.*/\2 \1/p' "$1" |
	    sort
}

live_same_apps()
{
	live_apps "$1" >"$1.apps"
	live_apps "$2" >"$2.apps"
	[ -s "$1.apps" ] && diff -u "$2.apps" "$1.apps" >&2
}

# Every record of the file says end=$2 (after a stop: shutdown).
live_all_end()
{
	[ -s "$1" ] && ! grep -v " end=$2\$" "$1" >&2
}

# The daemon's process: an unprivileged uid and gid, one group, and no
# capability left in any set (read by root from /proc).
live_dropped()
{
	local st=/proc/$1/status uid gid

	uid=$(id -u "$2") gid=$(id -g "$2")
	grep -q "^Uid:	$uid	$uid	$uid	$uid\$" "$st" &&
	    grep -q "^Gid:	$gid	$gid	$gid	$gid\$" "$st" &&
	    grep -q "^Groups:	$gid *\$" "$st" &&
	    grep -q "^CapInh:	0000000000000000\$" "$st" &&
	    grep -q "^CapPrm:	0000000000000000\$" "$st" &&
	    grep -q "^CapEff:	0000000000000000\$" "$st" &&
	    grep -q "^CapAmb:	0000000000000000\$" "$st" &&
	    grep -q "^NoNewPrivs:	1\$" "$st" ||
	    { grep -E '^(Uid|Gid|Groups|Cap|NoNewPrivs)' "$st" >&2; false; }
}

live_summary()
{
	echo "$1: $live_pass passed, $live_fail failed"
	[ "$live_fail" = 0 ]
}
