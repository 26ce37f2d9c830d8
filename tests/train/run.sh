#!/bin/sh
# SPDX-License-Identifier: ISC
#
# End-to-end tests of flowid-train on tables from flowid-gen and on the
# committed Unicauca sample.  Usage: run.sh BUILD_DIR (from the top of the
# tree).  Prints one line per check and "N passed, N failed" last.

B=${1:-build}
TRAIN=$B/flowid-train
GEN=$B/flowid-gen
HERE=tests/train
T=$(mktemp -d /tmp/train-test.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok   $1"
}

ko() {
	fail=$((fail + 1))
	echo "FAIL $1"
}

# check NAME COMMAND...: the command must succeed
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else ko "$name"; fi
}

# metric FILE KEY: value of KEY= in the trainer's "metrics" line
metric() {
	sed -n '/^metrics /s/.* '"$2"'=\([^ ]*\).*/\1/p' "$1"
}

train() {
	out=$1
	shift
	"$TRAIN" "$@" >"$out" 2>"$out.err"
}

mkdir -p "$T/a" "$T/b"

# 1. three classes fixed by two columns: perfect on the held-out rows
"$GEN" -n 3000 -c 3 -s 5 >"$T/sep.csv"
for d in a b; do
	train "$T/$d/out" -o "$T/$d/sep" --report "$T/$d/sep.md" \
	    --rounds 20 --holdout 0.3 "$T/sep.csv"
done
check "separable: accuracy 1" test "$(metric "$T/a/out" accuracy)" = 1.000000
check "separable: macro-F1 1" test "$(metric "$T/a/out" macro_f1)" = 1.000000
check "separable: report row" grep -q \
    '^| XGBoost model | 1.0000 | 1.0000 | 1.0000 |$' "$T/a/sep.md"
check "separable: held-out share" test "$(metric "$T/a/out" test)" -gt 800
check "report links the SVG" grep -q '](sep-confusion.svg)' "$T/a/sep.md"
check "SVG has the classes" grep -q '>SSL</text>' "$T/a/sep-confusion.svg"
check "report has baselines" grep -q '^| Baseline: majority class' \
    "$T/a/sep.md"
check "report top features" grep -q '^| 1 | ' "$T/a/sep.md"

# 2. same seed, same bytes
for f in sep.model sep.json sep.md sep-confusion.svg; do
	check "reproducible $f" cmp "$T/a/$f" "$T/b/$f"
done
check "sidecar has no clock" sh -c "! grep -qi 'time\|date' $T/a/sep.model"

# 3. noisy labels, extra columns: lib/model.c agrees with libxgboost
"$GEN" -n 20000 -c 6 -e 10 -x 2 -p -s 9 >"$T/noisy.csv"
train "$T/v" -o "$T/noisy" --ports --rounds 25 --verify "$T/noisy.csv"
check "verify exit status" test $? -eq 0
check "verify every row" grep -q \
    '^verify: 20000 rows, 0 class mismatches, 0 probability mismatches' \
    "$T/v"
check "extra column is a feature" grep -qx 'feature ext.Feature1' \
    "$T/noisy.model"
check "Predicted.* ignored" sh -c "! grep -q Predicted $T/noisy.model"
check "--ports adds ports" grep -qx 'feature Destination.Port' \
    "$T/noisy.model"
check "features counted" test "$(metric "$T/v" features)" = 82

# 4. --final: evaluation of the split model, retrained model shipped
train "$T/f" -o "$T/final" --report "$T/final.md" --rounds 10 --final \
    --verify "$T/noisy.csv"
train "$T/nf" -o "$T/split" --rounds 10 "$T/noisy.csv"
check "final: report says so" grep -q '^Retrained on all 20000 rows' \
    "$T/final.md"
check "final: sidecar says so" grep -q '^summary shipped retrained' \
    "$T/final.model"
check "final: other trees" sh -c "! cmp -s $T/final.json $T/split.json"
check "final: same held-out numbers" test \
    "$(metric "$T/f" accuracy)" = "$(metric "$T/nf" accuracy)"
check "final: verify" grep -q ' 0 class mismatches, 0 probability' "$T/f"

# 5. --split capture: whole files are held out
"$GEN" -n 1000 -s 1 >"$T/c1.csv"
"$GEN" -n 3000 -s 2 >"$T/c2.csv"
train "$T/c" -o "$T/cap" --report "$T/cap.md" --split capture \
    --holdout 0.25 --rounds 5 "$T/c1.csv" "$T/c2.csv"
check "capture: one file held out" test "$(metric "$T/c" test)" = 1000
check "capture: named in report" grep -q 'by input file' "$T/cap.md"
awk -F, 'NR == 1 { print $0 ",capture"; next }
    { print $0 "," (NR % 3 == 0 ? "x.pcap" : "y.pcap") }' "$T/c2.csv" \
    >"$T/c3.csv"
train "$T/c3" -o "$T/cap3" --split capture --holdout 0.3 --rounds 5 \
    "$T/c3.csv"
check "capture column groups" test "$(metric "$T/c3" test)" = 1000

# 6. --split flowid: every row twice; copies never straddle the split
awk 'NR == 1 { print; next } { print; print }' "$T/sep.csv" >"$T/dup.csv"
train "$T/fl" -o "$T/flow" --split flowid --rounds 5 "$T/dup.csv"
n=$(metric "$T/fl" test)
check "flowid: copies together" test $((n % 2)) -eq 0
check "flowid: about 20%" test "$n" -gt 1000 -a "$n" -lt 1400

# 7. --min-class folds rare labels into Other
"$GEN" -n 2000 -c 4 -s 3 |
    awk -F, 'NR == 1 || $87 != "GOOGLE" || ++g <= 5' >"$T/rare.csv"
train "$T/r" -o "$T/rare" --min-class 10 --rounds 5 "$T/rare.csv"
check "min-class: Other" grep -qx 'class Other' "$T/rare.model"
check "min-class: rare gone" sh -c "! grep -qx 'class GOOGLE' $T/rare.model"
check "min-class: 4 classes" test "$(metric "$T/r" classes)" = 4

# 8. --drop-unknown
"$GEN" -n 2000 -c 3 -u 20 -s 4 >"$T/unk.csv"
train "$T/u0" -o "$T/unk0" --rounds 5 "$T/unk.csv"
train "$T/u1" -o "$T/unk1" --report "$T/unk1.md" --drop-unknown \
    --rounds 5 "$T/unk.csv"
check "Unknown is a class by default" grep -qx 'class Unknown' \
    "$T/unk0.model"
check "drop-unknown: 3 classes" test "$(metric "$T/u1" classes)" = 3
check "drop-unknown: counted" grep -q \
    'Dropped as Unknown or unlabelled: [1-9][0-9]* (--drop-unknown)' \
    "$T/unk1.md"

# 9. --drop-guess with an nDPI confidence column, and without one
awk -F, 'NR == 1 { print $0 ",confidence"; next }
    { print $0 "," (NR % 5 == 0 ? "Match by port" : "DPI") }' \
    "$T/sep.csv" | head -n 2001 >"$T/guess.csv"
train "$T/g" -o "$T/guess" --report "$T/guess.md" --drop-guess \
    --rounds 5 "$T/guess.csv"
check "drop-guess: 400 rows" grep -q '^- Dropped as guesses: 400 ' \
    "$T/guess.md"
train "$T/g2" -o "$T/guess2" --report "$T/guess2.md" --drop-guess \
    --rounds 5 "$T/sep.csv"
check "drop-guess: no column" grep -q 'no confidence or guessed column' \
    "$T/guess2.md"

# 10. the Unicauca-layout sample itself
train "$T/s" -o "$T/sample.model" --min-class 2 --holdout 0 --rounds 3 \
    --profile unicauca --verify "$HERE/unicauca-sample.csv"
check "sample: trains" grep -q ' 0 class mismatches, 0 probability' "$T/s"
check "sample: 78 features" test "$(metric "$T/s" features)" = 78
check "sample: 6 classes" test "$(metric "$T/s" classes)" = 6
check "sample: profile" grep -qx 'profile unicauca' "$T/sample.model"
check "sample: json beside" test -s "$T/sample.json"

# the committed sidecar is what this trainer writes, byte for byte
train "$T/gold" -o "$T/golden" --min-class 2 --holdout 0 --rounds 3 \
    --threads 1 --profile unicauca "$HERE/unicauca-sample.csv"
check "sample: golden sidecar" cmp "$T/golden.model" "$HERE/sample.model"

# 10b. lookup features: the shipped counts are every training row's, and
# lib/model.c computes the features from them as the trainer did
train "$T/lk" -o "$T/lk" --min-class 2 --holdout 0 --rounds 3 \
    --profile unicauca --ports --lookup Protocol,Destination.Port --verify \
    "$HERE/unicauca-sample.csv"
check "lookup: lib/model.c = libxgboost" \
    grep -q ' 0 class mismatches, 0 probability' "$T/lk"
check "lookup: sidecar section" \
    grep -q '^lookup Protocol+Destination.Port 2 [0-9]* 1$' "$T/lk.model"
check "lookup: counts = training rows" test "$(awk '/^e /{for (i = 6; \
    i <= NF; i += 2) n += $i} END {print n}' "$T/lk.model")" = \
    "$(metric "$T/lk" train)"
check "lookup: summary names it" test "$(grep -c \
    '^summary params lookups 1 alpha 1 folds 5$' "$T/lk.model")" = 1
"$TRAIN" -o "$T/x" --lookup Protocol,Nope "$HERE/unicauca-sample.csv" \
    2>"$T/e" >/dev/null
check "lookup: unknown column refused" \
    grep -q 'Nope is not a feature column' "$T/e"
"$TRAIN" -o "$T/x" --lookup Protocol,,Protocol \
    "$HERE/unicauca-sample.csv" 2>"$T/e" >/dev/null
check "lookup: empty column name refused" grep -q 'an empty column' "$T/e"
"$TRAIN" -o "$T/x" --lookup Protocol,Protocol \
    "$HERE/unicauca-sample.csv" 2>"$T/e" >/dev/null
check "lookup: a column twice refused" grep -q 'Protocol twice' "$T/e"
check "lookup: --lookup-alpha alone refused" sh -c "! $TRAIN -o $T/x \
    --lookup-alpha 2 $HERE/unicauca-sample.csv"
check "lookup: alpha below 1e-6 refused" sh -c "! $TRAIN -o $T/x \
    --lookup Protocol --lookup-alpha 1e-45 $HERE/unicauca-sample.csv"

# numbers below the smallest normal float are read as 0: XGBoost would
# print thresholds from them that no reader takes back
# (Flow.Duration follows the label, so the trees split on it)
awk -F, 'BEGIN {OFS = ","} NR > 1 {$8 = (length($NF) % 9 + 1) "e-40"}
    {print}' \
    "$HERE/unicauca-sample.csv" >"$T/denorm.csv"
train "$T/dn" -o "$T/dn" --min-class 2 --holdout 0 --rounds 3 \
    --profile unicauca --verify "$T/denorm.csv"
check "denormal cells: train and verify" \
    grep -q ' 0 class mismatches, 0 probability' "$T/dn"

# 11. refusals
printf 'a,b\n1,2\n' >"$T/nolabel.csv"
check "no ProtocolName: fails" sh -c "! $TRAIN -o $T/x $T/nolabel.csv"
"$TRAIN" -o "$T/x" "$T/nolabel.csv" 2>"$T/e" >/dev/null
check "no ProtocolName: says so" grep -q 'no ProtocolName column' "$T/e"
check "bad --split fails" sh -c "! $TRAIN -o $T/x --split foo $T/sep.csv"
check "bad --holdout fails" sh -c "! $TRAIN -o $T/x --holdout 1 $T/sep.csv"
check "bad --profile fails" sh -c "! $TRAIN -o $T/x --profile x $T/sep.csv"
check "no -o fails" sh -c "! $TRAIN $T/sep.csv"
check "--help" sh -c "$TRAIN --help | grep -q -- --drop-guess"

echo "$pass passed, $fail failed"
test "$fail" -eq 0
