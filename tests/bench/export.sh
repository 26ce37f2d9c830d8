#!/bin/sh
# SPDX-License-Identifier: ISC
#
# The feature rows of every corpus capture, labelled, in one CSV: what
# the classification microbenchmark (and, when no model ships, the
# stand-in model) reads.
#
# usage: export.sh FLOWIDD CORPUS PROFILE OUT.csv

set -eu
FLOWIDD=$1 CORPUS=$2 PROFILE=$3 OUT=$4
ONE=$OUT.one
: > "$OUT.part"
first=1
for cap in "$CORPUS"/captures/*; do
	lab=$CORPUS/labels/$(basename "$cap").csv
	if [ -f "$lab" ]; then set -- --labels "$lab"; else set --; fi
	# a damaged capture still exports the flows before the damage
	"$FLOWIDD" -c /dev/null --no-model --features "$PROFILE" -r "$cap" \
	    -o "csv:$ONE" "$@" >/dev/null 2>&1 || true
	[ -s "$ONE" ] || continue
	if [ $first = 1 ]; then
		cat "$ONE" >> "$OUT.part"
		first=0
	else
		tail -n +2 "$ONE" >> "$OUT.part"
	fi
done
rm -f "$ONE"
mv "$OUT.part" "$OUT"
echo "export: $(($(wc -l < "$OUT") - 1)) rows in $OUT"
