#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Nothing lost, nothing counted twice, for every capture given.

Each capture is read with `flowidd --no-model -r` and must satisfy:
packets read = decoded + the sum of the skip reasons, and skipped =
that sum; flows created = the sum of the end reasons, none left open;
one record per flow created, the records' end reasons matching the
summary's, and the packets of all records adding up to the packets
decoded.  A capture damaged in the middle may exit 1 after its flows;
the counters must add up all the same.

Usage: accounting.py FLOWIDD DIR_OR_FILE... [--jobs N]"""

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rlib                                     # noqa: E402

REC = re.compile(r" fwd_pkts=(\d+) bwd_pkts=(\d+) .* end=(\w+)$")


def captures(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                out += [os.path.join(root, f) for f in files
                        if f.endswith((".pcap", ".pcapng", ".cap"))]
        else:
            out.append(p)
    return sorted(out)


def one(flowidd, path):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    r = subprocess.run([flowidd, "-c", "/dev/null", "--no-model", "-r",
                        path], capture_output=True, text=True,
                       errors="replace", env=env)
    s = rlib.summary(r.stderr, "end of input")
    if r.returncode not in (0, 1) or s is None:
        return "exit %d: %s" % (r.returncode, r.stderr.strip()[-300:])
    if r.returncode == 1 and len(r.stderr.splitlines()) != 2:
        return "exit 1 with %d stderr lines" % len(r.stderr.splitlines())
    bad = rlib.check_summary(s)
    if s["open"] != 0:
        bad.append("%d flows left open" % s["open"])
    ends = dict.fromkeys(rlib.END_REASONS, 0)
    pkts = 0
    for line in r.stdout.splitlines():
        m = REC.search(line)
        if m:
            pkts += int(m.group(1)) + int(m.group(2))
            ends[m.group(3)] = ends.get(m.group(3), 0) + 1
    if sum(ends.values()) != s["created"]:
        bad.append("%d records, %d created" % (sum(ends.values()),
                                               s["created"]))
    if any(ends[k] != s[k] for k in rlib.END_REASONS):
        bad.append("records by end reason %s differ from the summary" %
                   ends)
    if pkts != s["decoded"]:
        bad.append("%d packets in records, %d decoded" %
                   (pkts, s["decoded"]))
    return "; ".join(bad)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("flowidd")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    files = captures(a.paths)
    with ThreadPoolExecutor(a.jobs) as ex:
        res = list(ex.map(lambda p: one(a.flowidd, p), files))
    failed = [(p, e) for p, e in zip(files, res) if e]
    for p, e in failed:
        print("FAIL %s: %s" % (p, e))
    print("accounting: %d of %d captures add up" %
          (len(files) - len(failed), len(files)))
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main())
