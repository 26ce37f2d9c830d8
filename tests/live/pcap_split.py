#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Split a classic pcap file in two at a packet index, so a test can
replay the first part, act on the daemon, then replay the rest.

usage: pcap_split.py IN.pcap INDEX OUT1.pcap OUT2.pcap
"""

import struct
import sys

MAGICS = {
    b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
    b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">",
}


def records(data, endian):
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        end = off + 16 + caplen
        if end > len(data):
            sys.exit("truncated record at offset %d" % off)
        yield data[off:end]
        off = end


def main():
    src, index, out1, out2 = sys.argv[1], int(sys.argv[2]), *sys.argv[3:5]
    with open(src, "rb") as f:
        data = f.read()
    endian = MAGICS.get(data[:4])
    if endian is None:
        sys.exit("%s: not a classic pcap file" % src)
    recs = list(records(data, endian))
    if not 0 < index < len(recs):
        sys.exit("index %d outside 1..%d" % (index, len(recs) - 1))
    for path, part in ((out1, recs[:index]), (out2, recs[index:])):
        with open(path, "wb") as f:
            f.write(data[:24] + b"".join(part))


if __name__ == "__main__":
    main()
