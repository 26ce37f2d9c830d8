#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Rebuild unicauca-sample.csv (and its spaced-header twin) from the
CICFlowMeter 2018 oracle rows in ../shared: R's dotted header plus
L7Protocol and ProtocolName, Unicauca's timestamp without the space, and
the cells the public dataset is known to hold (Infinity, NaN, empty,
quoted).  The test asserts the exact counts this injects, so change both
together.  Usage: mksample.py SHARED_DIR OUT_DIR"""

import csv
import io
import re
import sys

# (oracle file, nDPI number, nDPI name); numbers as Unicauca uses them
SOURCES = [
    ("dns", 5, "DNS"), ("quic", 188, "QUIC"), ("google_ssl", 126, "GOOGLE"),
    ("facebook", 119, "FACEBOOK"), ("youtube_quic", 124, "YOUTUBE"),
    ("spotify_tcp", 156, "SPOTIFY"), ("http-manipulated", 7, "HTTP"),
]


def dotted(names):
    out, seen = [], {}
    for n in names:
        d = re.sub(r"[^A-Za-z0-9._]", ".", n.strip())
        if d in seen:
            seen[d] += 1
            d = "%s.%d" % (d, seen[d])
        else:
            seen[d] = 0
        out.append(d)
    return out


def main():
    shared, outdir = sys.argv[1], sys.argv[2]
    rows, spaced = [], None
    for name, num, label in SOURCES:
        with open("%s/oracle/cicflowmeter-2018/%s.csv" % (shared, name)) as f:
            r = list(csv.reader(f))
        spaced = r[0] + ["L7Protocol", "ProtocolName"]
        for row in r[1:]:
            row[6] = row[6].replace(" ", "")
            rows.append(row + [str(num), label])
    head = dotted(spaced)
    col = {n: i for i, n in enumerate(head)}

    rows[1][col["Flow.Bytes.s"]] = "Infinity"
    rows[1][col["Flow.Packets.s"]] = "Infinity"
    rows[2][col["Flow.Bytes.s"]] = "NaN"
    rows[2][col["Flow.Packets.s"]] = "NaN"
    rows[3][col["Flow.IAT.Min"]] = "-Infinity"
    rows[4][col["Idle.Min"]] = ""
    rows[6][col["L7Protocol"]] = "0"
    rows[6][col["ProtocolName"]] = "Unknown"

    for hdr, fname in ((head, "unicauca-sample.csv"),
                       (spaced, "unicauca-sample-spaced.csv")):
        buf = io.StringIO()
        buf.write(",".join(hdr) + "\n")
        for i, row in enumerate(rows):
            cells = list(row)
            if i == 5:      # R quotes text cells; a number may be quoted too
                for c in ("Flow.ID", "Timestamp", "ProtocolName",
                          "Flow.Duration"):
                    cells[col[c]] = '"%s"' % cells[col[c]]
            buf.write(",".join(cells) + ("\r\n" if i == 7 else "\n"))
        with open("%s/%s" % (outdir, fname), "w", newline="") as f:
            f.write(buf.getvalue())


if __name__ == "__main__":
    main()
