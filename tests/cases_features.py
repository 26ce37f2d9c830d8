#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The flowidd feature profile against the edge cases' "sane" values.

usage: cases_features.py FLOWIDD [CASEDIR]

For every case in CASEDIR (default tests/data/cases, copied from
../shared/cases), run FLOWIDD --features flowidd -o csv:... on its
capture(s), find each flow of the case's "sane" block in the CSV (forward
endpoint, protocol, first packet time) and check every value of the
block against the columns that carry it.  The sane values are rounded to
three decimals, so numbers agree when they round alike.  Values no CSV
column holds (bulk and active/idle counts, IP bytes) are checked through
what determines them: a count n with its mean and total, IP bytes through
the first packets' sizes when the flow has at most ten packets.

Exit status 0 when every value agrees.  Python 3 standard library only.
"""

import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST_PKTS = 10

STATS = {   # sane block -> column stem (mean, std, max, min)
    "fwd_pkt_len": ("Fwd.Packet.Length.Mean", "Fwd.Packet.Length.Std",
                    "Fwd.Packet.Length.Max", "Fwd.Packet.Length.Min"),
    "bwd_pkt_len": ("Bwd.Packet.Length.Mean", "Bwd.Packet.Length.Std",
                    "Bwd.Packet.Length.Max", "Bwd.Packet.Length.Min"),
    "pkt_len": ("Packet.Length.Mean", "Packet.Length.Std",
                "Max.Packet.Length", "Min.Packet.Length"),
    "flow_iat": ("Flow.IAT.Mean", "Flow.IAT.Std", "Flow.IAT.Max",
                 "Flow.IAT.Min"),
    "fwd_iat": ("Fwd.IAT.Mean", "Fwd.IAT.Std", "Fwd.IAT.Max",
                "Fwd.IAT.Min"),
    "bwd_iat": ("Bwd.IAT.Mean", "Bwd.IAT.Std", "Bwd.IAT.Max",
                "Bwd.IAT.Min"),
    "active": ("Active.Mean", "Active.Std", "Active.Max", "Active.Min"),
    "idle": ("Idle.Mean", "Idle.Std", "Idle.Max", "Idle.Min"),
}

PLAIN = {   # sane key -> column
    "fwd_pkts": "Total.Fwd.Packets", "bwd_pkts": "Total.Backward.Packets",
    "duration_us": "Flow.Duration",
    "fwd_payload_bytes": "Total.Length.of.Fwd.Packets",
    "bwd_payload_bytes": "Total.Length.of.Bwd.Packets",
    "fwd_header_bytes": "Fwd.Header.Length",
    "bwd_header_bytes": "Bwd.Header.Length",
    "act_data_pkt_fwd": "act_data_pkt_fwd",
    "min_seg_size_fwd": "min_seg_size_forward",
    "FIN_cnt": "FIN.Flag.Count", "SYN_cnt": "SYN.Flag.Count",
    "RST_cnt": "RST.Flag.Count", "PSH_cnt": "PSH.Flag.Count",
    "ACK_cnt": "ACK.Flag.Count", "URG_cnt": "URG.Flag.Count",
    "CWR_cnt": "CWE.Flag.Count", "ECE_cnt": "ECE.Flag.Count",
    "fwd_PSH": "Fwd.PSH.Flags", "bwd_PSH": "Bwd.PSH.Flags",
    "fwd_URG": "Fwd.URG.Flags", "bwd_URG": "Bwd.URG.Flags",
    "init_win_fwd": "Init_Win_bytes_forward",
    "init_win_bwd": "Init_Win_bytes_backward",
    "flow_bytes_per_s": "Flow.Bytes.s", "flow_pkts_per_s": "Flow.Packets.s",
    "subflow_fwd_pkts": "Subflow.Fwd.Packets",
    "subflow_bwd_pkts": "Subflow.Bwd.Packets",
    "subflow_fwd_bytes": "Subflow.Fwd.Bytes",
    "subflow_bwd_bytes": "Subflow.Bwd.Bytes",
}

BULK = {"fwd_bulk": "Fwd", "bwd_bulk": "Bwd"}


class Checker:
    def __init__(self):
        self.checked = 0
        self.failed = 0

    def value(self, where, key, got, want):
        """got is exact, want rounded to 3 decimals."""
        self.checked += 1
        if want is None:
            want = 0
        if abs(got - want) <= 0.0005 + 1e-9 * abs(want):
            return
        self.failed += 1
        print("FAIL %s %s: got %.6f, want %s" % (where, key, got, want))

    def true(self, where, key, ok, msg):
        self.checked += 1
        if not ok:
            self.failed += 1
            print("FAIL %s %s: %s" % (where, key, msg))


def iso_us(text):
    """Our flowidd Timestamp (ISO 8601, us, UTC) in us since the epoch."""
    d = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    d = d.replace(tzinfo=datetime.timezone.utc)
    return (int(d.timestamp()) * 1000000) + d.microsecond


def forward_end(case, label):
    for p in case["packets"]:
        if p.get("flow") == label and p.get("dir") == "F":
            return p
    return None


def find_row(rows, fwd, first_us):
    for r in rows:
        if r["Source.IP"] != fwd["src"] or r["Destination.IP"] != fwd["dst"]:
            continue
        if int(r["Protocol"]) != fwd["proto"]:
            continue
        if fwd["sport"] is not None and (
                int(r["Source.Port"]) != fwd["sport"] or
                int(r["Destination.Port"]) != fwd["dport"]):
            continue
        if iso_us(r["Timestamp"]) == first_us:
            return r
    return None


def check_ip_bytes(ck, where, r, sane):
    """IP bytes (no column): from the first packets' sizes, if all of
    them are among the first FIRST_PKTS."""
    n = sane["packets"]
    if n > FIRST_PKTS:
        return
    by = [0, 0]
    for i in range(1, n + 1):
        d = int(float(r["Pkt.Dir.%d" % i]))
        by[0 if d > 0 else 1] += float(r["Pkt.Size.%d" % i])
    ck.value(where, "fwd_ip_bytes", by[0], sane["fwd_ip_bytes"])
    ck.value(where, "bwd_ip_bytes", by[1], sane["bwd_ip_bytes"])
    # header bytes: IP and L4 headers, all but the payload
    for d, s in ((0, "fwd"), (1, "bwd")):
        want = sane.get("%s_ip_header_bytes" % s)
        if want is not None:
            pl = float(r["Total.Length.of.%s.Packets" % s.capitalize()])
            ck.value(where, "%s_ip_header_bytes" % s, by[d] - pl, want)


def check_spread(ck, where, key, r, want, n_total):
    mean, std, mx, mn = (float(r[c]) for c in STATS[key])
    ck.value(where, key + ".mean", mean, want["mean"])
    ck.value(where, key + ".std", std, want["std"])
    ck.value(where, key + ".max", mx, want["max"])
    ck.value(where, key + ".min", mn, want["min"])
    # n and total hold no column of their own: n is known (counts) or
    # follows from total / mean
    if n_total is not None:
        ck.value(where, key + ".total", n_total, want["total"])
    ck.value(where, key + ".n*mean", want["n"] * mean, want["total"])


def check_flow(ck, where, r, sane):
    for k, col in PLAIN.items():
        ck.value(where, k, float(r[col]), sane[k])
    nf = float(r["Total.Fwd.Packets"])
    nb = float(r["Total.Backward.Packets"])
    ck.value(where, "packets", nf + nb, sane["packets"])
    ck.value(where, "Fwd.Header.Length.1", float(r["Fwd.Header.Length.1"]),
             sane["fwd_header_bytes"])
    sf = float(r["Subflow.Fwd.Packets"])
    ck.value(where, "subflow_count", nf / sf if sf else 0,
             sane["subflow_count"])
    fb = float(r["Total.Length.of.Fwd.Packets"])
    bb = float(r["Total.Length.of.Bwd.Packets"])
    dur = float(r["Flow.Duration"])
    totals = {"fwd_pkt_len": fb, "bwd_pkt_len": bb, "pkt_len": fb + bb,
              "flow_iat": dur, "fwd_iat": float(r["Fwd.IAT.Total"]),
              "bwd_iat": float(r["Bwd.IAT.Total"]), "active": None,
              "idle": None}
    for key in STATS:
        check_spread(ck, where, key, r, sane[key], totals[key])
    ck.value(where, "Packet.Length.Variance",
             float(r["Packet.Length.Variance"]),
             round(float(r["Packet.Length.Std"]) ** 2, 3))
    for key, side in BULK.items():
        b = sane[key]
        ck.value(where, key + ".avg_bytes_per_bulk",
                 float(r["%s.Avg.Bytes.Bulk" % side]),
                 b["avg_bytes_per_bulk"])
        ck.value(where, key + ".avg_pkts_per_bulk",
                 float(r["%s.Avg.Packets.Bulk" % side]),
                 b["avg_pkts_per_bulk"])
        ck.value(where, key + ".avg_bulk_rate_Bps",
                 float(r["%s.Avg.Bulk.Rate" % side]),
                 b["avg_bulk_rate_Bps"])
        ck.true(where, key + ".bulks",
                (b["bulks"] == 0) == (float(r["%s.Avg.Packets.Bulk" %
                                                side]) == 0),
                "bulks %d but average packets %s" % (
                    b["bulks"], r["%s.Avg.Packets.Bulk" % side]))
    ck.value(where, "last_ts_us", iso_us(r["Timestamp"]) + dur,
             sane["last_ts_us"])
    check_ip_bytes(ck, where, r, sane)
    for k, v in r.items():
        if k not in ("Flow.ID", "Source.IP", "Destination.IP", "Timestamp",
                     "Label", "L7Protocol", "ProtocolName"):
            ck.true(where, k, v not in ("NaN", "Infinity", "-Infinity", ""),
                    "not a finite number: %r" % v)


def run(flowidd, pcap, out):
    cmd = [flowidd, "-r", pcap, "--features", "flowidd", "--no-model",
           "-o", "csv:" + out]
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise SystemExit("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                              p.stderr.strip()))
    with open(out, newline="") as f:
        return list(csv.DictReader(f))


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    flowidd = argv[1]
    casedir = argv[2] if len(argv) == 3 else os.path.join(HERE, "data",
                                                          "cases")
    ck = Checker()
    flows = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(casedir)):
            if not name.endswith(".stats.json"):
                continue
            with open(os.path.join(casedir, name)) as f:
                case = json.load(f)
            for pcap in case["files"]:
                rows = run(flowidd, os.path.join(casedir, pcap),
                           os.path.join(tmp, pcap + ".csv"))
                for label, sane in case["sane"].items():
                    if not isinstance(sane, dict):
                        continue
                    where = "%s %s" % (pcap, label)
                    fwd = forward_end(case, label)
                    r = find_row(rows, fwd, sane["first_ts_us"]) \
                        if fwd else None
                    ck.true(where, "row", r is not None, "flow not found")
                    if r is not None:
                        flows += 1
                        check_flow(ck, where, r, sane)
    print("cases_features: %d flows, %d values checked, %d failed" % (
        flows, ck.checked, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
