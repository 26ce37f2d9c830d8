#!/bin/sh
# SPDX-License-Identifier: ISC
#
# Export the labelled corpus for `make model`: one feature CSV whose
# leading `capture` column names each row's group of captures, so that
# flowid-train --split capture holds out whole groups.  A capture named
# NAME-XXXXXXXX.EXT (eight hex digits) is a variant of NAME.EXT fetched
# from another source; it joins NAME's group, since the two usually hold
# much of the same trace and would otherwise leak from the training side
# to the held-out side.
#
# usage: model_export.sh FLOWIDD CORPUS OUT.csv

set -eu
FLOWIDD=$1 CORPUS=$2 OUT=$3
ONE=$OUT.one

: > "$OUT.part"
n=0
# the sorted order makes the rows of a group come in the same order on
# every run, whatever the file system lists first
for cap in $(cd "$CORPUS/captures" && LC_ALL=C ls); do
	lab=$CORPUS/labels/$cap.csv
	[ -f "$lab" ] || continue
	group=$(printf '%s\n' "$cap" |
	    sed -E 's/-[0-9a-f]{8}(\.[A-Za-z0-9]+)$/\1/')
	# a damaged capture still gives the flows read before the damage
	"$FLOWIDD" -c /dev/null --no-model --features flowidd \
	    -r "$CORPUS/captures/$cap" -o "csv:$ONE" --labels "$lab" \
	    >/dev/null 2>&1 || true
	[ -s "$ONE" ] || continue
	# group names hold no comma or quote: no CSV quoting needed
	if [ $n = 0 ]; then
		sed -n '1s/^/capture,/p' "$ONE" >> "$OUT.part"
	fi
	sed "1d; s/^/$group,/" "$ONE" >> "$OUT.part"
	n=$((n + 1))
done
rm -f "$ONE"
mv "$OUT.part" "$OUT"
echo "export: $n captures," \
    "$(cut -d, -f1 "$OUT" | sed 1d | sort -u | wc -l) groups," \
    "$(($(wc -l < "$OUT") - 1)) rows in $OUT"
