#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Stand in for systemd's notification socket: bind the abstract or path
AF_UNIX datagram socket named on the command line (as NOTIFY_SOCKET
spells it) and append every state line received to a file, until killed.
"""

import socket
import sys


def main():
    name, out = sys.argv[1], sys.argv[2]
    addr = "\0" + name[1:] if name.startswith("@") else name
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(addr)
    with open(out, "a", buffering=1) as f:
        f.write("LISTENING\n")
        while True:
            data = s.recv(4096).decode("utf-8", "replace")
            for line in data.split("\n"):
                f.write(line + "\n")


if __name__ == "__main__":
    main()
