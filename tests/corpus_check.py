#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Read every capture of the labeled corpus with flowidd (a sanitizer
build in `make corpus-check`) and compare its flows with nDPI's.

For each capture: flowidd must exit 0 with no sanitizer report, and its
counters must add up (packets read = decoded + skipped, flows created =
flows ended).  Then every TCP/UDP flow nDPI labeled is looked up among
flowidd's records by protocol, unordered endpoint pair and overlapping
time.  The share found must be at least 97 %.

Usage: corpus_check.py FLOWIDD CORPUS_DIR [--min 0.97] [--jobs 2]"""

import argparse
import csv
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

PROTO = {"6": "tcp", "17": "udp"}
SLACK = 0.0015      # labels carry milliseconds


def days_from_civil(y, m, d):
    # proleptic Gregorian days since 1970-01-01, for any year (captures
    # with broken clocks have years past 9999, which datetime refuses)
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_start(s):
    m = re.match(r"(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z$", s)
    y, mo, d, hh, mm, ss, us = map(int, m.groups())
    return (days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss +
            us / 1e6)


def summary_counts(stderr):
    m = re.search(r"end of input: (.*)$", stderr, re.M)
    if not m:
        return None
    kv = dict(re.findall(r"(\w+)=(\d+)", m.group(1)))
    return {k: int(v) for k, v in kv.items()}


def run_one(flowidd, path):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    r = subprocess.run([flowidd, "--no-model", "-r", path],
                       capture_output=True, text=True, env=env,
                       errors="replace")
    recs = []
    for line in r.stdout.splitlines():
        if line.startswith("app="):
            recs.append(dict(kv.split("=", 1) for kv in line.split()))
    return r.returncode, r.stderr, recs


def accounting_errors(c):
    errs = []
    skipped_parts = sum(c.get(k, 0) for k in
                        ("link", "ip", "transport", "encap", "non_ip",
                         "linktype", "fragment", "profile", "nomem"))
    if c["read"] != c["decoded"] + c["skipped"]:
        errs.append("read %d != decoded %d + skipped %d" %
                    (c["read"], c["decoded"], c["skipped"]))
    if c["skipped"] != skipped_parts:
        errs.append("skipped %d != sum of reasons %d" %
                    (c["skipped"], skipped_parts))
    ended = sum(c.get(k, 0) for k in ("fin", "rst", "idle", "active",
                                      "eof", "shutdown", "evict"))
    if c["created"] != ended or c.get("open", 0) != 0:
        errs.append("created %d != ended %d" % (c["created"], ended))
    return errs


def index_records(recs):
    idx = {}
    for r in recs:
        ends = frozenset([(r["src"], r["sport"]), (r["dst"], r["dport"])])
        t0 = parse_start(r["start"])
        t1 = t0 + int(r["duration_us"]) / 1e6
        idx.setdefault((r["proto"], ends), []).append((t0, t1))
    return idx


def match_labels(labels, idx):
    """nDPI flows found; the others, each marked with whether flowidd has
    the endpoint pair at another time ("time") or not at all ("pair")."""
    found = total = 0
    missing = []
    for row in labels:
        proto = PROTO.get(row["proto"])
        if proto is None:
            continue
        total += 1
        ends = frozenset([(row["client_ip"], row["client_port"]),
                          (row["server_ip"], row["server_port"])])
        a = float(row["first_seen"]) - SLACK
        b = float(row["last_seen"]) + SLACK
        spans = idx.get((proto, ends), [])
        if any(t0 <= b and t1 >= a for t0, t1 in spans):
            found += 1
        else:
            missing.append(dict(row, why="time" if spans else "pair"))
    return found, total, missing


def check_capture(flowidd, corpus, name):
    path = os.path.join(corpus, "captures", name)
    rc, err, recs = run_one(flowidd, path)
    problems = []
    lines = [l for l in err.splitlines() if "end of input:" not in l]
    # a damaged file ends the read with one line naming it and status 1;
    # the flows read before the damage are still all reported
    readerr = rc == 1 and len(lines) == 1 and name in lines[0]
    if rc != 0 and not readerr:
        problems.append("exit %d: %s" % (rc, err.strip()[-300:]))
    if "Sanitizer" in err or "runtime error" in err:
        problems.append("sanitizer report")
    counts = summary_counts(err)
    if counts is None:
        problems.append("no summary line")
    else:
        problems += accounting_errors(counts)
    lpath = os.path.join(corpus, "labels", os.path.splitext(name)[0] +
                         ".csv")
    if not os.path.exists(lpath):
        lpath = os.path.join(corpus, "labels", name + ".csv")
    labels = list(csv.DictReader(open(lpath))) if os.path.exists(lpath) \
        else []
    found, total, missing = match_labels(labels, index_records(recs))
    return name, problems, found, total, missing, counts, readerr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("flowidd")
    ap.add_argument("corpus")
    ap.add_argument("--min", type=float, default=0.97)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--missing", help="write unmatched nDPI flows here")
    a = ap.parse_args()

    names = sorted(os.listdir(os.path.join(a.corpus, "captures")))
    with ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(lambda n: check_capture(a.flowidd, a.corpus,
                                                      n), names))
    bad = [(n, p) for n, p, *_ in results if p]
    found = sum(r[2] for r in results)
    total = sum(r[3] for r in results)
    pkts = sum(r[5]["read"] for r in results if r[5])
    flows = sum(r[5]["created"] for r in results if r[5])
    for n, p in bad[:20]:
        print("FAIL %s: %s" % (n, "; ".join(p)))
    for r in results:
        if r[6]:
            print("damaged capture, read up to the damage: %s" % r[0])
    if a.missing:
        with open(a.missing, "w") as f:
            w = None
            for r in results:
                for row in r[4]:
                    row = dict(row, capture=r[0])
                    if w is None:
                        w = csv.DictWriter(f, fieldnames=list(row))
                        w.writeheader()
                    w.writerow(row)
    why = {"time": 0, "pair": 0}
    for r in results:
        for row in r[4]:
            why[row["why"]] += 1
    print("corpus: not matched: %d with the endpoint pair at another time, "
          "%d without the endpoint pair" % (why["time"], why["pair"]))
    share = found / total if total else 1.0
    print("corpus: %d captures, %d packets, %d flows; %d with problems" %
          (len(names), pkts, flows, len(bad)))
    print("corpus: nDPI TCP/UDP flows also reported by flowidd: "
          "%d of %d (%.2f%%, need %.0f%%)" %
          (found, total, 100 * share, 100 * a.min))
    ok = not bad and share >= a.min
    print("%d passed, %d failed" % (len(names) - len(bad), len(bad)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
