#!/usr/bin/env python3
"""Stands in for systemd's notification socket (sd_notify(3)) in tests.

usage: notify_listener.py SOCKET-PATH LOG-FILE PORT

Binds a Unix datagram socket at SOCKET-PATH and appends every message to
LOG-FILE, one line per assignment. When a message holds READY=1 it also
appends "PORTAL_LISTENING=yes" or "=no": whether 127.0.0.1:PORT accepted a
TCP connection at that moment (readiness must come after the portal
listens). Runs until killed.
"""

import os
import socket
import sys


def main():
    path, log, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    while True:
        msg = s.recv(4096).decode(errors="replace")
        lines = msg.strip().split("\n")
        if "READY=1" in lines:
            probe = socket.socket()
            probe.settimeout(1)
            try:
                probe.connect(("127.0.0.1", port))
                lines.append("PORTAL_LISTENING=yes")
            except OSError:
                lines.append("PORTAL_LISTENING=no")
            finally:
                probe.close()
        with open(log, "a") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
