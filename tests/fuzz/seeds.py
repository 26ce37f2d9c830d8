#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Write libFuzzer seed corpora from capture files (classic pcap).

decode/: one file per frame: [link type index][0][frame]
flow/:   one file per capture: [profile][records of
         [link index][ms step, 2 bytes][length, 2 bytes][frame]]
Usage: seeds.py OUTDIR PCAP..."""

import os
import struct
import sys

# indexes into the targets' link type tables
DECODE_DLTS = [0, 1, 9, 12, 14, 50, 51, 101, 104, 108, 113, 228, 229, 276]
FLOW_DLTS = [1, 12, 276, 0]
MAX_FRAMES = 40


def read_pcap(path):
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            return None, []
        magic = head[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
            end = "<"
        elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            end = ">"
        else:
            return None, []
        nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
        dlt = struct.unpack(end + "I", head[20:24])[0] & 0xffff
        frames = []
        while len(frames) < MAX_FRAMES:
            rh = f.read(16)
            if len(rh) < 16:
                break
            sec, frac, incl, _ = struct.unpack(end + "IIII", rh)
            data = f.read(incl)
            if len(data) < incl:
                break
            us = sec * 10**6 + (frac // 1000 if nano else frac)
            frames.append((us, data[:65535]))
        return dlt, frames


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "decode"), exist_ok=True)
    os.makedirs(os.path.join(out, "flow"), exist_ok=True)
    n = 0
    for path in sys.argv[2:]:
        dlt, frames = read_pcap(path)
        if dlt is None:
            continue
        base = os.path.basename(path)
        if dlt in DECODE_DLTS:
            for i, (_, fr) in enumerate(frames):
                name = os.path.join(out, "decode", "%s.%d" % (base, i))
                with open(name, "wb") as f:
                    f.write(bytes([DECODE_DLTS.index(dlt), 0]) + fr)
        if dlt in FLOW_DLTS:
            blob = bytearray([0])
            last = frames[0][0] if frames else 0
            for us, fr in frames:
                step = max(0, min(65535, (us - last) // 1000))
                last = us
                blob += bytes([FLOW_DLTS.index(dlt)])
                blob += struct.pack(">HH", step, len(fr)) + fr
            with open(os.path.join(out, "flow", base), "wb") as f:
                f.write(blob)
        n += 1
    print("seeds: %d captures" % n)


if __name__ == "__main__":
    main()
