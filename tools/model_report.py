#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Put the comparison of `make model` at the head of models/REPORT.md.

usage: model_report.py REPORT.md RUNDIR SHIPPED "SEED ..." SET ...

REPORT.md is flowid-train's report of the shipped model (split by
capture, then retrained on every row).  RUNDIR holds SET-capture.md and
SET-random.md, the trainer's reports of every other run, and default.out,
the shipped run's standard output, and seedN.out the shipped set's
standard output when split by capture with seed N.  Only the standard
library is used."""

import os
import re
import sys

SETS = {
    "cic": "CICFlowMeter columns only (78: no ports)",
    "cicports": "CICFlowMeter columns + Source/Destination.Port",
    "ext": "CICFlowMeter + flowidd's extended columns (Server.Port among "
           "them)",
    "extports": "extended + Source/Destination.Port",
    "lookups": "extended + lookup features (service port, server "
               "network, server)",
}


def scores(path):
    """Accuracy and macro-F1 of the model and both baselines."""
    got = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\| (XGBoost model|Baseline: majority class"
                         r" \(.*\)|Baseline: protocol \+ server port)"
                         r" \| ([0-9.]+) \| ([0-9.]+) \|", line)
            if m is None:
                continue
            key = ("model" if m.group(1).startswith("XGBoost") else
                   "major" if "majority" in m.group(1) else "port")
            got.setdefault(key, (float(m.group(2)), float(m.group(3))))
    if "model" not in got:
        sys.exit("model_report: no held-out scores in %s" % path)
    return got


def line_of(path, prefix):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            if line.startswith(prefix):
                return line.strip()
    return None


def cell(v):
    return "%.3f" % v


def metrics(path, prefix):
    """Accuracy and macro-F1 of a trainer output line."""
    line = line_of(path, prefix)
    if line is None:
        sys.exit("model_report: no '%s' line in %s" % (prefix, path))
    kv = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
    return float(kv["accuracy"]), float(kv["macro_f1"])


def seed_table(rundir, seeds, first):
    """The shipped set split by capture with other seeds, and the mean."""
    rows = [("1", first["model"], first["port"])]
    for seed in seeds:
        path = os.path.join(rundir, "seed%s.out" % seed)
        rows.append((seed, metrics(path, "metrics "),
                     metrics(path, "baseline_port ")))
    out = ["The shipped configuration split by capture with other seeds "
           "(each seed holds out other capture groups):\n",
           "| Seed | Model accuracy | macro-F1 | Port baseline accuracy | "
           "macro-F1 |", "|---|---:|---:|---:|---:|"]
    for seed, m, p in rows:
        out.append("| %s | %s | %s | %s | %s |" % (seed, cell(m[0]),
                   cell(m[1]), cell(p[0]), cell(p[1])))
    n = len(rows)
    mean = [sum(r[1][i] for r in rows) / n for i in (0, 1)]
    pmean = [sum(r[2][i] for r in rows) / n for i in (0, 1)]
    out.append("| **mean** | **%s** | **%s** | %s | %s |\n"
               % (cell(mean[0]), cell(mean[1]), cell(pmean[0]),
                  cell(pmean[1])))
    return out


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__.split("\n\n")[1])
    report, rundir, ship, seeds, sets = (sys.argv[1], sys.argv[2],
                                         sys.argv[3], sys.argv[4].split(),
                                         sys.argv[5:])
    res = {}
    for s in sets:
        for sp in ("capture", "random"):
            path = (report if (s, sp) == (ship, "capture") else
                    os.path.join(rundir, "%s-%s.md" % (s, sp)))
            res[s, sp] = scores(path)

    out = []
    out.append("# The shipped model: models/default\n")
    out.append("Made by `make model` (tools/model.mk) from flowidd's own "
               "export of every corpus capture (profile `flowidd`, labels "
               "from `labels/`, Unknown dropped).  Each configuration is "
               "trained twice with the same options: once holding out "
               "whole groups of captures (split by capture), once holding "
               "out rows at random.  Both baselines are computed on the "
               "same held-out rows as the model.\n")
    out.append("| Configuration | By capture: accuracy | macro-F1 | "
               "Random: accuracy | macro-F1 |")
    out.append("|---|---:|---:|---:|---:|")
    for s in sets:
        name = SETS.get(s, s)
        if s == ship:
            name = "**%s (shipped)**" % name
        c, r = res[s, "capture"]["model"], res[s, "random"]["model"]
        out.append("| XGBoost, %s | %s | %s | %s | %s |"
                   % (name, cell(c[0]), cell(c[1]), cell(r[0]),
                      cell(r[1])))
    for key, name in (("port", "Baseline: most frequent class of the "
                       "(protocol, server port) pair"),
                      ("major", "Baseline: majority class")):
        c = res[ship, "capture"].get(key)
        r = res[ship, "random"].get(key)
        if c is None or r is None:
            continue
        out.append("| %s | %s | %s | %s | %s |"
                   % (name, cell(c[0]), cell(c[1]), cell(r[0]),
                      cell(r[1])))
    out.append("| Seed notebook's MLP on standardised features | - | - | "
               "- | - |")
    out.append("")
    out.append("The seed notebook's small MLP is left out: no C library "
               "for it is at hand (the trainer links only libxgboost).  "
               "Its way of measuring, a random row split, is the "
               "right-hand pair of columns: every configuration looks "
               "far better there than on captures it never saw.\n")

    out.extend(seed_table(rundir, seeds, res[ship, "capture"]))

    verify = line_of(os.path.join(rundir, "default.out"), "verify:")
    if verify is not None:
        # the speed is left out: it depends on the machine's load, and
        # the report must come out the same on every run
        verify = verify.split("; model_predict")[0]
        out.append("The shipped sidecar, loaded by the daemon's code, "
                   "against libxgboost on every row:\n")
        out.append("    " + verify + "\n")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "model_notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            out.append(f.read().rstrip("\n") + "\n")

    with open(report) as f:
        body = f.read()
    body = body.replace("# flowid-train report\n",
                        "# flowid-train report of the shipped model\n", 1)
    tmp = report + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(out) + "\n" + body)
    os.replace(tmp, report)


if __name__ == "__main__":
    main()
