#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Compare flowidd's compatibility profiles with the real CICFlowMeter.

usage: oracle_check.py [-v] FLOWIDD SHARED

For every capture with a reference CSV in SHARED/oracle/, run FLOWIDD on
SHARED/corpus/captures/NAME.pcap[ng] with --features cicflowmeter (compared
with oracle/cicflowmeter-4/NAME.csv, the 84-column "HEAD" release) and
--features unicauca (compared with oracle/cicflowmeter-2018/NAME.csv, the
85-column "LEGACY" layout).  Rows are paired by Flow ID and start second;
each column is compared by meaning, numbers within 1e-9 relative, and a
table of agreement per column and capture is printed.  Exit status 0 only
if every column agrees on every row of every capture.

One kind of reference row is skipped, by rule: a protocol-0 row between
two addresses that no IPv4 packet of the capture carries.  Those rows are
the reference tool decoding IPv6, ARP and other non-IPv4 frames as if they
were IPv4 (feature document, section 1, rule 2): their "addresses" are
EtherType and header bytes.  Every other protocol-0 row (real IPv4 traffic
of other protocols) is compared like any row.

Needs SHARED (the read-only data next to the repository); without it the
check prints SKIP and succeeds.  Python 3 standard library only.
"""

import csv
import math
import os
import struct
import subprocess
import sys
import tempfile
import datetime

REL_TOL = 1e-9

# Our 87 columns (Unicauca layout, dotted names).
OURS = (
    "Flow.ID Source.IP Source.Port Destination.IP Destination.Port Protocol "
    "Timestamp Flow.Duration Total.Fwd.Packets Total.Backward.Packets "
    "Total.Length.of.Fwd.Packets Total.Length.of.Bwd.Packets "
    "Fwd.Packet.Length.Max Fwd.Packet.Length.Min Fwd.Packet.Length.Mean "
    "Fwd.Packet.Length.Std Bwd.Packet.Length.Max Bwd.Packet.Length.Min "
    "Bwd.Packet.Length.Mean Bwd.Packet.Length.Std Flow.Bytes.s "
    "Flow.Packets.s Flow.IAT.Mean Flow.IAT.Std Flow.IAT.Max Flow.IAT.Min "
    "Fwd.IAT.Total Fwd.IAT.Mean Fwd.IAT.Std Fwd.IAT.Max Fwd.IAT.Min "
    "Bwd.IAT.Total Bwd.IAT.Mean Bwd.IAT.Std Bwd.IAT.Max Bwd.IAT.Min "
    "Fwd.PSH.Flags Bwd.PSH.Flags Fwd.URG.Flags Bwd.URG.Flags "
    "Fwd.Header.Length Bwd.Header.Length Fwd.Packets.s Bwd.Packets.s "
    "Min.Packet.Length Max.Packet.Length Packet.Length.Mean "
    "Packet.Length.Std Packet.Length.Variance FIN.Flag.Count "
    "SYN.Flag.Count RST.Flag.Count PSH.Flag.Count ACK.Flag.Count "
    "URG.Flag.Count CWE.Flag.Count ECE.Flag.Count Down.Up.Ratio "
    "Average.Packet.Size Avg.Fwd.Segment.Size Avg.Bwd.Segment.Size "
    "Fwd.Header.Length.1 Fwd.Avg.Bytes.Bulk Fwd.Avg.Packets.Bulk "
    "Fwd.Avg.Bulk.Rate Bwd.Avg.Bytes.Bulk Bwd.Avg.Packets.Bulk "
    "Bwd.Avg.Bulk.Rate Subflow.Fwd.Packets Subflow.Fwd.Bytes "
    "Subflow.Bwd.Packets Subflow.Bwd.Bytes Init_Win_bytes_forward "
    "Init_Win_bytes_backward act_data_pkt_fwd min_seg_size_forward "
    "Active.Mean Active.Std Active.Max Active.Min Idle.Mean Idle.Std "
    "Idle.Max Idle.Min Label L7Protocol ProtocolName").split()

# The reference layouts, by meaning: our column for each reference column.
HEAD_COLS = [
    ("Flow ID", "Flow.ID"), ("Src IP", "Source.IP"),
    ("Src Port", "Source.Port"), ("Dst IP", "Destination.IP"),
    ("Dst Port", "Destination.Port"), ("Protocol", "Protocol"),
    ("Timestamp", "Timestamp"), ("Flow Duration", "Flow.Duration"),
    ("Total Fwd Packet", "Total.Fwd.Packets"),
    ("Total Bwd packets", "Total.Backward.Packets"),
    ("Total Length of Fwd Packet", "Total.Length.of.Fwd.Packets"),
    ("Total Length of Bwd Packet", "Total.Length.of.Bwd.Packets"),
] + [(n, n.replace(" ", ".")) for n in (
    "Fwd Packet Length Max", "Fwd Packet Length Min",
    "Fwd Packet Length Mean", "Fwd Packet Length Std",
    "Bwd Packet Length Max", "Bwd Packet Length Min",
    "Bwd Packet Length Mean", "Bwd Packet Length Std")] + [
    ("Flow Bytes/s", "Flow.Bytes.s"), ("Flow Packets/s", "Flow.Packets.s"),
] + [(n, n.replace(" ", ".")) for n in (
    "Flow IAT Mean", "Flow IAT Std", "Flow IAT Max", "Flow IAT Min",
    "Fwd IAT Total", "Fwd IAT Mean", "Fwd IAT Std", "Fwd IAT Max",
    "Fwd IAT Min", "Bwd IAT Total", "Bwd IAT Mean", "Bwd IAT Std",
    "Bwd IAT Max", "Bwd IAT Min", "Fwd PSH Flags", "Bwd PSH Flags",
    "Fwd URG Flags", "Bwd URG Flags", "Fwd Header Length",
    "Bwd Header Length")] + [
    ("Fwd Packets/s", "Fwd.Packets.s"), ("Bwd Packets/s", "Bwd.Packets.s"),
    ("Packet Length Min", "Min.Packet.Length"),
    ("Packet Length Max", "Max.Packet.Length"),
] + [(n, n.replace(" ", ".")) for n in (
    "Packet Length Mean", "Packet Length Std", "Packet Length Variance",
    "FIN Flag Count", "SYN Flag Count", "RST Flag Count", "PSH Flag Count",
    "ACK Flag Count", "URG Flag Count")] + [
    ("CWR Flag Count", "CWE.Flag.Count"),
    ("ECE Flag Count", "ECE.Flag.Count"),
    ("Down/Up Ratio", "Down.Up.Ratio"),
    ("Average Packet Size", "Average.Packet.Size"),
    ("Fwd Segment Size Avg", "Avg.Fwd.Segment.Size"),
    ("Bwd Segment Size Avg", "Avg.Bwd.Segment.Size"),
    ("Fwd Bytes/Bulk Avg", "Fwd.Avg.Bytes.Bulk"),
    ("Fwd Packet/Bulk Avg", "Fwd.Avg.Packets.Bulk"),
    ("Fwd Bulk Rate Avg", "Fwd.Avg.Bulk.Rate"),
    ("Bwd Bytes/Bulk Avg", "Bwd.Avg.Bytes.Bulk"),
    ("Bwd Packet/Bulk Avg", "Bwd.Avg.Packets.Bulk"),
    ("Bwd Bulk Rate Avg", "Bwd.Avg.Bulk.Rate"),
    ("Subflow Fwd Packets", "Subflow.Fwd.Packets"),
    ("Subflow Fwd Bytes", "Subflow.Fwd.Bytes"),
    ("Subflow Bwd Packets", "Subflow.Bwd.Packets"),
    ("Subflow Bwd Bytes", "Subflow.Bwd.Bytes"),
    ("FWD Init Win Bytes", "Init_Win_bytes_forward"),
    ("Bwd Init Win Bytes", "Init_Win_bytes_backward"),
    ("Fwd Act Data Pkts", "act_data_pkt_fwd"),
    ("Fwd Seg Size Min", "min_seg_size_forward"),
] + [(n, n.replace(" ", ".")) for n in (
    "Active Mean", "Active Std", "Active Max", "Active Min", "Idle Mean",
    "Idle Std", "Idle Max", "Idle Min")] + [("Label", None)]
# HEAD has no second Fwd Header Length; its label is a constant
# ("NeedManualLabel") where ours says BENIGN, as Unicauca's does.


def make_names(header):
    """R's make.names(unique = TRUE), as the Unicauca file was written."""
    out, seen = [], {}
    for h in header:
        n = "".join(c if c.isalnum() or c in "._" else "." for c in h)
        if n in seen:
            seen[n] += 1
            n = "%s.%d" % (n, seen[n])
        else:
            seen[n] = 0
        out.append(n)
    return out


# --- reading captures: which IPv4 address pairs exist --------------------

def pcap_frames(path):
    """(linktype, frame bytes) of a pcap or pcapng file."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1",
                 b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        lt = struct.unpack(e + "I", data[20:24])[0] & 0xffff
        off = 24
        while off + 16 <= len(data):
            cl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
            yield lt, data[off + 16:off + 16 + cl]
            off += 16 + cl
        return
    if magic != b"\x0a\x0d\x0d\x0a":
        return
    off, e, links = 0, "<", []
    while off + 12 <= len(data):
        if data[off:off + 4] == b"\x0a\x0d\x0d\x0a":
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        btype, blen = struct.unpack(e + "II", data[off:off + 8])
        if blen < 12:
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            links.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            iface, cl = struct.unpack(e + "I", body[:4])[0], \
                struct.unpack(e + "I", body[12:16])[0]
            if iface < len(links):
                yield links[iface], body[20:20 + cl]
        elif btype == 3 and links and len(body) >= 4:
            yield links[0], body[4:]
        off += blen


def ipv4_pairs(path):
    """Unordered address pairs of the Ethernet IPv4 packets of a capture."""
    pairs = set()
    for lt, fr in pcap_frames(path):
        if lt != 1 or len(fr) < 14:
            continue
        o, et = 14, struct.unpack(">H", fr[12:14])[0]
        while et in (0x8100, 0x88a8) and len(fr) >= o + 4:
            et = struct.unpack(">H", fr[o + 2:o + 4])[0]
            o += 4
        if et != 0x0800 or len(fr) < o + 20 or fr[o] >> 4 != 4:
            continue
        a = ".".join(str(b) for b in fr[o + 12:o + 16])
        b = ".".join(str(b) for b in fr[o + 16:o + 20])
        pairs.add(frozenset((a, b)))
    return pairs


# --- reading CSVs -----------------------------------------------------------

def read_csv(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, [row for row in r if row]


def parse_time(text, twelve):
    """Seconds since the epoch (UTC) of a Timestamp cell; with twelve the
    hour is a 12-hour clock without marker, so only its value mod 12 h
    is known and the result is reduced mod 12 h."""
    t = text.strip()
    ampm = None
    if t.endswith(" AM") or t.endswith(" PM"):
        ampm, t = t[-2:], t[:-3]
    date, clock = t[:10], t[10:].strip()
    d = datetime.datetime.strptime(date + " " + clock, "%d/%m/%Y %H:%M:%S")
    d = d.replace(tzinfo=datetime.timezone.utc)
    s = int(d.timestamp())
    if ampm is not None:
        h = d.hour % 12 + (12 if ampm == "PM" else 0)
        s += (h - d.hour) * 3600
    return s % 43200 if twelve else s


def number(text):
    t = text.strip()
    if t in ("NaN", "nan"):
        return math.nan
    if t in ("Infinity", "inf"):
        return math.inf
    if t in ("-Infinity", "-inf"):
        return -math.inf
    return float(t)


def same_number(a, b):
    try:
        x, y = number(a), number(b)
    except ValueError:
        return a == b
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= REL_TOL * max(abs(x), abs(y))


# --- comparing one capture --------------------------------------------------

class Profile:
    def __init__(self, name, refdir, colmap, twelve):
        self.name, self.refdir, self.twelve = name, refdir, twelve
        self.colmap = colmap        # [(ref index, our index or None)]


def head_profile(header):
    want = [h for h, _ in HEAD_COLS]
    if header != want:
        raise SystemExit("oracle HEAD header is not the expected 84 columns")
    m = [(i, OURS.index(o) if o else None)
         for i, (_, o) in enumerate(HEAD_COLS)]
    return Profile("cicflowmeter", "cicflowmeter-4", m, False)


def legacy_profile(header):
    names = make_names(header)
    if names != OURS[:85]:
        raise SystemExit("oracle LEGACY header is not the 85 CIC columns")
    return Profile("unicauca", "cicflowmeter-2018",
                   [(i, i) for i in range(85)], True)


def row_key(row, ti, twelve, ours):
    """Flow ID and start second (mod 12 h where the reference is
    ambiguous)."""
    t = row[ti]
    if ours and not twelve:
        s = parse_time(t, False)
    elif ours:
        # our unicauca stamp is 24-hour "dd/MM/yyyyHH:mm:ss"
        d = datetime.datetime.strptime(t, "%d/%m/%Y%H:%M:%S")
        s = int(d.replace(tzinfo=datetime.timezone.utc).timestamp()) % 43200
    else:
        s = parse_time(t, twelve)
    return row[0], s


def pair_rows(prof, ref, ours):
    """Pair reference and our rows: same key, then most agreeing cells."""
    groups = {}
    for r in ours:
        groups.setdefault(row_key(r, 6, prof.twelve, True), []).append(r)
    pairs, lone = [], []
    for r in ref:
        cand = groups.get(row_key(r, 6, prof.twelve, False), [])
        if not cand:
            lone.append(r)
            continue
        best = max(cand, key=lambda o: sum(
            1 for i, j in prof.colmap
            if j is not None and i != 6 and same_number(r[i], o[j])))
        cand.remove(best)
        pairs.append((r, best))
    extra = [o for g in groups.values() for o in g]
    return pairs, lone, extra


def same_cell(prof, i, j, r, o):
    if i == 6:
        return row_key(r, 6, prof.twelve, False)[1] == \
            row_key(o, 6, prof.twelve, True)[1]
    if i in (0, 1, 3) or prof.colmap[i][1] is None:
        return r[i] == o[j]
    if i == 84:
        return r[i] == o[j]
    return same_number(r[i], o[j])


def run_flowidd(flowidd, capture, profile, out):
    cmd = [flowidd, "-r", capture, "--features", profile, "--no-model",
           "-o", "csv:" + out]
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (" ".join(cmd),
                         p.returncode, p.stderr.strip()))


def compare(prof, name, ref, ours, pairs4, verbose, report):
    bogus = [r for r in ref if r[5] == "0" and
             frozenset((r[1], r[3])) not in pairs4]
    ref = [r for r in ref if r not in bogus]
    pairs, lone, extra = pair_rows(prof, ref, ours)
    agree = {}
    for i, j in prof.colmap:
        if j is None:
            continue
        ok = sum(1 for r, o in pairs if same_cell(prof, i, j, r, o))
        agree[i] = (ok, len(pairs))
        if verbose and ok < len(pairs):
            bad = [(r, o) for r, o in pairs
                   if not same_cell(prof, i, j, r, o)]
            for r, o in bad[:5]:
                report.append("  %s %s %s: %s start %s: ref %s, ours %s" % (
                    prof.name, name, OURS[j], r[0], r[6], r[i], o[j]))
    for r in lone[:10] if verbose else []:
        report.append("  %s %s: reference row %s %s (%s packets) unmatched"
                      % (prof.name, name, r[0], r[6], r[8] + "/" + r[9]))
    for o in extra[:10] if verbose else []:
        report.append("  %s %s: our row %s %s (%s packets) unmatched"
                      % (prof.name, name, o[0], o[6], o[8] + "/" + o[9]))
    return dict(ref=len(ref) + len(bogus), ours=len(ours), paired=len(pairs),
                lone=len(lone), extra=len(extra), bogus=len(bogus),
                agree=agree)


def find_capture(shared, name):
    for ext in (".pcap", ".pcapng"):
        p = os.path.join(shared, "corpus", "captures", name + ext)
        if os.path.exists(p):
            return p
    return None


def print_tables(prof, names, results):
    print("\n== %s vs %s: rows" % (prof.name, prof.refdir))
    print("%-18s %5s %5s %6s %6s %6s %6s" % (
        "capture", "ref", "ours", "paired", "ref-", "ours-", "bogus"))
    for n in names:
        s = results[n]
        print("%-18s %5d %5d %6d %6d %6d %6d" % (
            n, s["ref"], s["ours"], s["paired"], s["lone"], s["extra"],
            s["bogus"]))
    print("\n== %s: agreement per column (%% of paired rows; '.' = 100)"
          % prof.name)
    short = [n[:5] for n in names]
    print("%-28s %s" % ("column", " ".join("%5s" % s for s in short)))
    for i, j in prof.colmap:
        if j is None:
            continue
        cells = []
        for n in names:
            ok, tot = results[n]["agree"][i]
            cells.append("    ." if ok == tot else "%5.1f" % (100.0 * ok / tot))
        print("%-28s %s" % (OURS[j][:28], " ".join(cells)))


def main(argv):
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    if len(argv) != 3:
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    flowidd, shared = argv[1], argv[2]
    odir = os.path.join(shared, "oracle")
    if not os.path.isdir(odir) or not os.path.isdir(
            os.path.join(shared, "corpus", "captures")):
        print("oracle-check: SKIP, %s not found (needs the shared oracle "
              "and corpus)" % odir)
        return 0
    names = sorted(f[:-4] for f in os.listdir(
        os.path.join(odir, "cicflowmeter-4")) if f.endswith(".csv"))
    failed, report = False, []
    with tempfile.TemporaryDirectory() as tmp:
        for profname in ("cicflowmeter", "unicauca"):
            results, prof = {}, None
            for n in names:
                cap = find_capture(shared, n)
                if cap is None:
                    raise SystemExit("no capture for %s" % n)
                refdir = "cicflowmeter-4" if profname == "cicflowmeter" \
                    else "cicflowmeter-2018"
                hdr, ref = read_csv(os.path.join(odir, refdir, n + ".csv"))
                prof = head_profile(hdr) if profname == "cicflowmeter" \
                    else legacy_profile(hdr)
                out = os.path.join(tmp, "%s.%s.csv" % (n, profname))
                run_flowidd(flowidd, cap, profname, out)
                ohdr, ours = read_csv(out)
                if ohdr[:87] != OURS:
                    raise SystemExit("%s: our header is not the Unicauca "
                                     "layout" % out)
                s = compare(prof, n, ref, ours, ipv4_pairs(cap), verbose,
                            report)
                results[n] = s
                if s["lone"] or s["extra"] or any(
                        ok != tot for ok, tot in s["agree"].values()):
                    failed = True
            print_tables(prof, names, results)
    if report:
        print("\n== mismatches (first few per column)")
        print("\n".join(report))
    print("\noracle-check: %s" % ("FAIL" if failed else
                                  "every column 100% on every capture"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
