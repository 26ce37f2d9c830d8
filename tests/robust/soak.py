#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Soak: replay real captures in a loop into a veth pair inside a network
namespace this test creates, at a fixed packet rate, for a set time,
while flowidd captures on the other end.

tcpreplay --unique-ip shifts the addresses on every loop, so each loop
brings new flows and the table reaches a steady state bounded by the
timeouts.  Checked at the end: no kernel drop at the stated rate (read
= packets sent); packets read = decoded + skipped and flows created =
ended; every packet decoded is in exactly one record and no flow key
comes out twice; the slope of resident memory after the warm-up stays
under --max-slope.  The memory samples go to OUT/soak.csv.

The warm-up is the idle plus the active timeout plus 5 s, or a fifth of
the run if longer: by then the table holds its steady number of flows.

Usage: soak.py FLOWIDD [--seconds S] [--pps P] [--idle I] [--active A]
       [--snaplen N]"""

import argparse
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rlib                                     # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
VLAN_TYPES = (b"\x81\x00", b"\x88\xa8", b"\x91\x00")


def ethernet_pcaps(paths, limit_bytes):
    """Classic pcap files with Ethernet link type, in order, up to
    limit_bytes of records."""
    out, total = [], 0
    for p in paths:
        try:
            with open(p, "rb") as f:
                head = f.read(24)
        except OSError:
            continue
        if len(head) < 24 or head[:4] not in (b"\xd4\xc3\xb2\xa1",
                                              b"\xa1\xb2\xc3\xd4"):
            continue
        end = "<" if head[0] == 0xd4 else ">"
        if struct.unpack(end + "I", head[20:24])[0] != 1:
            continue
        size = os.path.getsize(p)
        if total + size > limit_bytes:
            continue
        out.append(p)
        total += size
    return out


def merge(paths, dest):
    """One little-endian microsecond pcap of the whole records of the
    inputs, one after another (tcpreplay -p ignores the times).  Left
    out: frames longer than an Ethernet MTU, which the veth refuses, and
    VLAN frames too short for their tag, which the receiving kernel
    frees before any packet socket sees them (so nothing could count
    them)."""
    n = 0
    with open(dest, "wb") as o:
        o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for p in paths:
            with open(p, "rb") as f:
                data = f.read()
            end = "<" if data[0] == 0xd4 else ">"
            off = 24
            while off + 16 <= len(data):
                s, u, incl, orig = struct.unpack(end + "IIII",
                                                 data[off:off + 16])
                frame = data[off + 16:off + 16 + incl]
                off += 16 + incl
                if len(frame) < incl:
                    break
                if incl < 14 or incl > 1514 or (incl < 18 and frame[12:14]
                                                in VLAN_TYPES):
                    continue
                o.write(struct.pack("<IIII", s, u, incl, orig) + frame)
                n += 1
    return n


def soak_capture(a):
    os.makedirs(a.out, exist_ok=True)
    dest = os.path.join(a.out, "soak.pcap")
    cands = [os.path.join(TOP, "tests", "data", "demo.pcap")]
    cases = os.path.join(TOP, "tests", "data", "cases")
    if os.path.isdir(cases):
        cands += sorted(os.path.join(cases, x) for x in os.listdir(cases)
                        if x.endswith(".pcap"))
    corpus = os.path.join(a.shared, "corpus", "captures")
    if os.path.isdir(corpus):
        cands += sorted(os.path.join(corpus, x)
                        for x in os.listdir(corpus))[::7]
    paths = ethernet_pcaps(cands, 24 << 20)
    n = merge(paths, dest)
    print("soak capture: %d files, %d packets" % (len(paths), n))
    return dest


class Records(threading.Thread):
    """Read the daemon's records from a pipe as they come: count them
    per end reason, sum their packets, and find repeated flow keys."""

    RX = re.compile(r" (proto=\S+ src=\S+ sport=\S+ dst=\S+ dport=\S+ "
                    r"start=\S+) .*fwd_pkts=(\d+) bwd_pkts=(\d+) .* "
                    r"end=(\w+)$")

    def __init__(self, pipe):
        super().__init__(daemon=True)
        self.pipe = pipe
        self.ends = dict.fromkeys(rlib.END_REASONS, 0)
        self.pkts = 0
        self.dup = 0
        self.seen = set()

    def run(self):
        for line in self.pipe:
            m = self.RX.search(line)
            if not m:
                continue
            self.ends[m.group(4)] = self.ends.get(m.group(4), 0) + 1
            self.pkts += int(m.group(2)) + int(m.group(3))
            h = hash(m.group(1))
            if h in self.seen:
                self.dup += 1
            self.seen.add(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("flowidd")
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--pps", type=int, default=20000)
    ap.add_argument("--idle", type=int, default=5)
    ap.add_argument("--active", type=int, default=20)
    ap.add_argument("--max-slope", type=float, default=256,
                    help="KiB a minute of RSS growth after the warm-up")
    ap.add_argument("--snaplen", type=int, default=256,
                    help="the daemon's snap length (see README: with the "
                    "default 65535 the capture ring holds 256 frames)")
    ap.add_argument("--shared", default=os.path.join(TOP, "..", "shared"))
    ap.add_argument("--out", default="build/robust")
    a = ap.parse_args()
    why = rlib.able_live()
    if why:
        print("soak: SKIP: %s" % why)
        return 0
    flowidd = os.path.abspath(a.flowidd)
    pcap = os.path.abspath(soak_capture(a))
    tmp = tempfile.mkdtemp(prefix="flowidd-soak.")
    os.chmod(tmp, 0o755)
    conf = os.path.join(tmp, "flowidd.conf")
    with open(conf, "w") as f:
        f.write('user = "nobody";\n')
    errp = os.path.join(tmp, "log")
    warm = max(a.idle + a.active + 5, a.seconds // 5)
    fails = []

    def check(name, ok, detail=""):
        print("%s %s%s" % ("ok   " if ok else "FAIL ", name,
                           (": " + detail) if not ok and detail else ""))
        if not ok:
            fails.append(name)

    with rlib.Netns("soak") as ns, open(errp, "w") as err:
        d = ns.spawn([flowidd, "-f", "-i", rlib.RX, "-c", conf,
                      "--no-model", "-o", "stdout", "--idle-timeout",
                      str(a.idle), "--active-timeout", str(a.active),
                      "--stats-interval", "10", "--snaplen",
                      str(a.snaplen)],
                     stdout=subprocess.PIPE, stderr=err,
                     text=True, errors="replace")
        recs = Records(d.stdout)
        recs.start()
        if not rlib.wait_for(errp, "capturing on", 10, d):
            check("daemon starts capturing", False, open(errp).read())
            print("logs in %s" % tmp)
            return 1
        s = rlib.Sampler(d.pid, period=1.0)
        s.start()
        s.phase = "warm-up"
        t0 = time.monotonic()
        timer = threading.Timer(warm, lambda: setattr(s, "phase",
                                                      "steady"))
        timer.start()
        rp = ns.run(["tcpreplay", "-q", "--no-flow-stats", "--loop=0",
                     "--unique-ip", "--duration=%d" % a.seconds,
                     "-p", str(a.pps), "-i", rlib.TX, pcap],
                    capture_output=True, text=True, check=False)
        elapsed = time.monotonic() - t0
        timer.cancel()
        sent, failed = rlib.tcpreplay_sent(rp.stdout + rp.stderr)
        time.sleep(1.5)         # the last packets reach a tick
        s.stop()
        rx_dropped = ns.rx_dropped()
        d.send_signal(signal.SIGTERM)
        status = d.wait(60)
        recs.join(60)

    with open(errp, errors="replace") as f:
        log = f.read()
    summ = rlib.summary(log, "shutdown")
    check("exit status 0", status == 0, "status %s" % status)
    if summ is None:
        check("summary line", False, log[-2000:])
        return 1
    steady = [(t, k) for t, k, ph in s.samples if ph == "steady"]
    slope = rlib.slope_kib_per_min(steady)
    print("     replay: %.0f s, %d packets sent (%d failed), %.0f pps" %
          (elapsed, sent, failed, sent / max(elapsed, 1)))
    # rx_dropped also counts frames the stack had no use for after the
    # capture saw them (tagged for a VLAN with no interface): not a loss
    print("     flows created %d, records %d, kernel drops %d, veth "
          "rx_dropped %d (not losses)" % (summ["created"],
                                          sum(recs.ends.values()),
                                          summ["kernel_drops"],
                                          rx_dropped))
    print("     RSS peak %d KiB, after warm-up (%d s) %d..%d KiB, slope "
          "%.1f KiB/min" % (s.peak(), warm,
                            min((k for _, k in steady), default=0),
                            max((k for _, k in steady), default=0), slope))
    check("tcpreplay sent every packet", sent > 0 and failed == 0,
          "sent %d, failed %d" % (sent, failed))
    check("no kernel drop at %d pps" % a.pps, summ["kernel_drops"] == 0,
          "%d dropped" % summ["kernel_drops"])
    check("read + kernel drops = packets sent",
          summ["read"] + summ["kernel_drops"] == sent,
          "read %d + %d, sent %d" % (summ["read"], summ["kernel_drops"],
                                     sent))
    bad = rlib.check_summary(summ)
    check("read = decoded + skipped, created = ended", not bad,
          "; ".join(bad))
    check("every flow created came out as a record",
          sum(recs.ends.values()) == summ["created"])
    check("every packet decoded is in one record",
          recs.pkts == summ["decoded"], "%d in records, %d decoded" %
          (recs.pkts, summ["decoded"]))
    check("no flow came out twice", recs.dup == 0, "%d repeated" % recs.dup)
    # flat: the fitted line grows less than the slope limit allows, or
    # less than 1 MiB over the whole steady part (short runs are noisy)
    span = (steady[-1][0] - steady[0][0]) / 60 if len(steady) > 1 else 0
    check("memory flat after the warm-up (under %.0f KiB/min or 1 MiB)" %
          a.max_slope, len(steady) >= 5 and (slope <= a.max_slope or
                                             slope * span <= 1024),
          "%.1f KiB/min over %d samples" % (slope, len(steady)))
    s.write_csv(os.path.join(a.out, "soak.csv"))
    if fails:
        print("logs in %s" % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print("soak: %s" % ("FAILED: " + ", ".join(fails) if fails else
                        "passed"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
