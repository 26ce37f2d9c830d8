#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Golden configuration tests: for each case N, flowidd -n (or the
# arguments in N.args) on N.conf must print exactly N.ok and exit 0 when
# N.ok ends with the OK verdict, 1 otherwise.  Run from the top of the
# tree; --update rewrites the .ok files (check the diff before keeping).
#
# usage: tests/conf/run.sh [--update] [path/to/flowidd]

set -u

update=false
if [ "${1:-}" = --update ]; then
	update=true
	shift
fi
flowidd=${1:-build/flowidd}
dir=tests/conf
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

cases=$(ls "$dir" | sed -n 's/^\([0-9][^.]*\)\.\(conf\|args\)$/\1/p' |
    sort -u)
for c in $cases; do
	if [ -f "$dir/$c.args" ]; then
		read -r -a args <"$dir/$c.args"
	else
		args=(-n -c "$dir/$c.conf")
	fi
	"$flowidd" "${args[@]}" >"$out" 2>&1
	rc=$?

	if $update; then
		cp "$out" "$dir/$c.ok"
	fi
	want=1
	tail -n 1 "$dir/$c.ok" 2>/dev/null |
	    grep -q '^flowidd: configuration .* OK, model ' && want=0
	if [ "$rc" = "$want" ] && diff -u "$dir/$c.ok" "$out" >&2; then
		echo "ok   $c"
		pass=$((pass + 1))
	else
		echo "FAIL $c (exit $rc, expected $want)"
		fail=$((fail + 1))
	fi
done

echo "check-conf: $pass passed, $fail failed"
[ "$fail" = 0 ]
