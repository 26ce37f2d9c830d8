#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Flow-meter edge cases (tests/data/cases, from ../shared/cases): flow
count, direction, packets, IP bytes, start, duration and end reason of
every flow, checked against the packet tables and hand-computed values
of each case.  Usage: cases_core.py FLOWIDD"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "cases")

# End reasons stated in each case's expectations (per flow label).
ENDS = {
    "01": {"A": "fin"},
    "02": {"A": "fin"},
    "05": {"LEGIT": "fin", "*": "idle"},
    "06": {"A": "eof", "B": "rst", "C": "eof"},
    "08": {"A": "fin", "B": "eof", "C": "eof"},
    "10": {"A": "eof", "B": "fin", "C": "eof"},
    "13": {"A": "fin"},
    "15": {"A": "idle", "B1": "active", "B2": "active", "B3": "eof",
           "C": "eof"},
    "18": {"A": "eof", "B": "fin"},
}

# Flows the packet tables abbreviate ("packets 4..997 are further SYNs").
COUNT = {"05": 1001}

# Counters stated by the cases (summary line field -> value).
COUNTERS = {
    "01": {"disorder": 2},
    "13": {"truncated": 6},
    "18": {"skipped": 15, "decoded": 10},
}

failures = 0


def check(what, got, want):
    global failures
    if got != want:
        failures += 1
        print(f"FAIL {what}: got {got!r}, want {want!r}")


def expected_flows(case):
    """Per flow label: forward endpoint and counts, from the packets."""
    flows = {}
    for p in case["packets"]:
        label = p.get("flow")
        if not label or label == "ignore" or p.get("dir") not in "FB":
            continue
        f = flows.setdefault(label, {"fwd": None, "pk": [0, 0],
                                     "by": [0, 0], "ts": []})
        d = 0 if p["dir"] == "F" else 1
        if d == 0 and f["fwd"] is None:
            f["fwd"] = (p["src"], p.get("sport", 0), p["dst"],
                        p.get("dport", 0))
        f["pk"][d] += 1
        f["by"][d] += p["ip_len"]
        f["ts"].append(p["ts_us"])
    return flows


def parse_records(out):
    recs = []
    for line in out.splitlines():
        if not line.startswith("app="):
            continue
        recs.append(dict(kv.split("=", 1) for kv in line.split()))
    return recs


def iso_us(us):
    import datetime
    t = datetime.datetime.fromtimestamp(us // 10**6, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (us % 10**6)


def run(flowidd, pcap):
    r = subprocess.run([flowidd, "--no-model", "-r", pcap],
                       capture_output=True, text=True)
    check(f"{os.path.basename(pcap)} exit status", r.returncode, 0)
    summary = {}
    for tok in r.stderr.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            summary.setdefault(k, v)
    return parse_records(r.stdout), summary


def check_case(flowidd, num, case, pcap):
    name = os.path.basename(pcap)
    recs, summary = run(flowidd, pcap)
    flows = expected_flows(case)
    check(f"{name} record count", len(recs), COUNT.get(num, len(flows)))
    byfwd = {}
    for r in recs:
        byfwd[(r["src"], int(r["sport"]), r["dst"], int(r["dport"]),
               r["start"])] = r
        # ICMP tables give no ports: match those by addresses
        byfwd[(r["src"], None, r["dst"], None, r["start"])] = r
    ends = ENDS[num]
    for label, f in flows.items():
        key = f["fwd"] + (iso_us(min(f["ts"])),)
        r = byfwd.get(key)
        if r is None:
            check(f"{name} flow {label} forward {key}", None, "a record")
            continue
        what = f"{name} flow {label}"
        check(what + " fwd_pkts", int(r["fwd_pkts"]), f["pk"][0])
        check(what + " bwd_pkts", int(r["bwd_pkts"]), f["pk"][1])
        check(what + " fwd_bytes", int(r["fwd_bytes"]), f["by"][0])
        check(what + " bwd_bytes", int(r["bwd_bytes"]), f["by"][1])
        check(what + " duration_us", int(r["duration_us"]),
              max(f["ts"]) - min(f["ts"]))
        check(what + " end", r["end"], ends.get(label, ends.get("*")))
        sane = case["sane"].get(label)
        if sane:
            check(what + " sane duration", int(r["duration_us"]),
                  sane["duration_us"])
            check(what + " sane fwd/bwd", (int(r["fwd_pkts"]),
                  int(r["bwd_pkts"])), (sane["fwd_pkts"], sane["bwd_pkts"]))
            check(what + " sane ip bytes", (int(r["fwd_bytes"]),
                  int(r["bwd_bytes"])),
                  (sane["fwd_ip_bytes"], sane["bwd_ip_bytes"]))
    for k, v in COUNTERS.get(num, {}).items():
        check(f"{name} counter {k}", int(summary.get(k, -1)), v)
    return recs


def check_syn_flood(recs):
    # every spoofed SYN flow is ended, by idle timeout, before the +200 s
    # connection is counted: one packet, duration 0
    legit = [i for i, r in enumerate(recs) if r["src"] == "192.0.2.81"]
    check("05 LEGIT is the last record", legit, [len(recs) - 1])
    syns = [(r["fwd_pkts"], r["bwd_pkts"], r["duration_us"], r["end"])
            for r in recs if r["src"] != "192.0.2.81"]
    check("05 SYN records", set(syns), {("1", "0", "0", "idle")})


def main():
    flowidd = sys.argv[1]
    passed = failed = 0
    for js in sorted(f for f in os.listdir(DATA) if f.endswith(".json")):
        num = js[:2]
        case = json.load(open(os.path.join(DATA, js)))
        for pcap in case["files"]:
            before = failures
            recs = check_case(flowidd, num, case, os.path.join(DATA, pcap))
            if num == "05":
                check_syn_flood(recs)
            if failures == before:
                passed += 1
            else:
                failed += 1
    print(f"cases: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
