#!/bin/sh
# SPDX-License-Identifier: ISC
#
# bench-train: a synthetic 3.6 M-row table in the Unicauca layout (about
# the size of the public dataset), then a full training run on it, timed,
# with its peak RSS; then model_predict's speed on 500,000 of its rows.
# Usage: bench.sh BUILD_DIR.  The table is kept in BUILD_DIR/train-bench.

B=${1:-build}
D=$B/train-bench
ROWS=3600000
mkdir -p "$D" || exit 1

if [ ! -s "$D/bench.csv" ]; then
	echo "generating $ROWS rows"
	/usr/bin/time -f 'generate: %e s' "$B/flowid-gen" -n $ROWS -c 10 \
	    -e 5 -s 1 >"$D/bench.csv" || exit 1
fi
ls -l "$D/bench.csv"

echo "training: 10 classes, 30 rounds (300 trees), depth 6, 2 threads"
/usr/bin/time -f 'train: %e s elapsed, %U s user, peak RSS %M KiB' \
    "$B/flowid-train" -o "$D/bench" --report "$D/bench.md" --rounds 30 \
    --depth 6 --threads 2 "$D/bench.csv" || exit 1

head -n 500001 "$D/bench.csv" >"$D/half-million.csv"
"$B/flowid-train" -o "$D/speed" --rounds 30 --depth 6 --threads 2 \
    --holdout 0 --verify "$D/half-million.csv" || exit 1
