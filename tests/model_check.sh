#!/bin/sh
# SPDX-License-Identifier: ISC
#
# flowidd with a model names the flows of a capture as the trainer does:
# the capture's feature rows, exported without a model, go through
# flowid-train --predict; flowidd classifies the same capture with the
# model; every flow must get the same class, and probabilities within
# 1e-6.  Rows are paired by Flow.ID and order.
#
# usage: model_check.sh BUILD MODEL CAPTURE

set -eu
B=$1 MODEL=$2 CAP=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

[ -f "$MODEL" ] || { echo "check-model: no $MODEL" >&2; exit 1; }
profile=$(sed -n 's/^profile //p' "$MODEL")
"$B/flowidd" -c /dev/null --no-model --features "$profile" -r "$CAP" \
    -o "csv:$T/features.csv" 2>/dev/null
"$B/flowid-train" --predict "$MODEL" "$T/features.csv" > "$T/trainer.csv"
"$B/flowidd" -c /dev/null -m "$MODEL" --features "$profile" -r "$CAP" \
    -o "csv:$T/daemon.csv" 2>/dev/null

python3 - "$T/trainer.csv" "$T/daemon.csv" "$CAP" <<'EOF'
import csv
import sys

def rows(path):
    with open(path, newline="") as f:
        return [(r["Flow.ID"], r["Predicted.ProtocolName"],
                 float(r["Predicted.Confidence"]))
                for r in csv.DictReader(f)]

want, got = rows(sys.argv[1]), rows(sys.argv[2])
bad = []
if len(want) != len(got):
    bad.append("%d rows from the trainer, %d from flowidd"
               % (len(want), len(got)))
maxd = 0.0
for i, (w, g) in enumerate(zip(want, got)):
    d = abs(w[2] - g[2])
    maxd = max(maxd, d)
    if w[0] != g[0] or w[1] != g[1] or d > 1e-6:
        bad.append("row %d: trainer %s %s %.9g, flowidd %s %s %.9g"
                   % (i + 1, w[0], w[1], w[2], g[0], g[1], g[2]))
names = sorted({g[1] for g in got})
print("check-model: %s: %d flows, %d differ, max |dp| %.3g; classes %s"
      % (sys.argv[3], len(got), len(bad), maxd, " ".join(names)))
for b in bad[:10]:
    print("  " + b)
sys.exit(1 if bad or not got else 0)
EOF
