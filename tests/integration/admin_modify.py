#!/usr/bin/env python3
"""sbdadm modify-lu seen by a logged-in session (issue 6): one session stays
logged in while the LU under it grows and changes its properties.

usage: admin_modify.py --port PORT --target IQN --initiator NAME --lun N
                       --sbdadm PATH --lu NAME

Steps: log in, READ CAPACITY(10) at LUN N; `sbdadm modify-lu -s 2x LU` ->
the next command reports CAPACITY DATA HAS CHANGED (2Ah/09h, SBC-3 4.10),
READ CAPACITY shows the new size, data written before the grow reads back;
`--write-cache off` -> MODE PARAMETERS CHANGED (2Ah/01h); `--vendor` ->
INQUIRY DATA HAS CHANGED (3Fh/03h) and INQUIRY shows it; a shrink is
refused and reports nothing; the session answers pings throughout. Exits 0
only when every check passed. Built on raw_iscsi.py (same directory).
"""

import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as ri  # noqa: E402
from admin_live import check  # noqa: E402  (counts failures in admin_live.failures)
import admin_live  # noqa: E402


def sbdadm(args, *verb, want=0):
    r = subprocess.run([args.sbdadm, *verb], capture_output=True, text=True, timeout=20)
    check(r.returncode == want, f"sbdadm {' '.join(verb)} exits {want}", (r.returncode, r.stderr.strip()))


def capacity(c):
    """READ CAPACITY(10): (last LBA + 1) * block length, in bytes."""
    data, status, _ = c.read_cdb(bytes([0x25]) + bytes(9), 8, "READ CAPACITY(10)")
    if status[1] != 0 or len(data) < 8:
        raise ri.Failure(f"READ CAPACITY(10) status {status[1]}")
    return (int.from_bytes(data[0:4], "big") + 1) * int.from_bytes(data[4:8], "big")


def vendor(c):
    data, status, _ = c.read_cdb(bytes([0x12, 0, 0, 0, 36, 0]), 36, "INQUIRY")
    return data[8:16].decode().strip()


def main():
    p = admin_live.session_parser()
    p.add_argument("--sbdadm", required=True)
    p.add_argument("--lu", required=True)
    args = p.parse_args()
    signal.alarm(60)
    n = args.lun
    c = ri.Conn(args.host, args.port, "modify", n)
    try:
        c.login(args.initiator, bytes([0x80, 1, 2, 3, 0, 2]), args.target)
        c.tur_until_good(n)
        before = capacity(c)
        pattern = bytes(range(256)) * 2
        c.write10(7, pattern, 512, True)

        sbdadm(args, "modify-lu", "-s", str(2 * before), args.lu)
        r = c.tur(n)
        check(r[:4] == (2, 6, 0x2A, 0x09), "grow: the next command reports CAPACITY DATA HAS CHANGED", r)
        check(c.tur(n)[0] == 0, "GOOD after the unit attention")
        after = capacity(c)
        check(after == 2 * before, f"READ CAPACITY shows the new size ({before} -> {after})", after)
        data, status, _ = c.read10(7, 1, 512)
        check(status[1] == 0 and data == pattern, "data written before the grow reads back")
        c.ping(b"alive")
        check(True, "the session survived the grow")

        sbdadm(args, "modify-lu", "-s", str(before), args.lu, want=6)
        check(c.tur(n)[0] == 0, "a refused shrink reports nothing")
        check(capacity(c) == after, "and the size stays")

        sbdadm(args, "modify-lu", "--write-cache", "off", args.lu)
        r = c.tur(n)
        check(r[:4] == (2, 6, 0x2A, 0x01), "write cache off: MODE PARAMETERS CHANGED", r)
        sbdadm(args, "modify-lu", "--vendor", "ACME", args.lu)
        r = c.tur(n)
        check(r[:4] == (2, 6, 0x3F, 0x03), "vendor: INQUIRY DATA HAS CHANGED", r)
        check(vendor(c) == "ACME", "INQUIRY shows the new vendor")
        c.ping(b"alive")
        check(True, "the session survived every change")
        c.logout()
    except (ri.Failure, ri.Closed, ri.TimedOut, OSError) as e:
        check(False, f"{type(e).__name__}: {e}")
    finally:
        c.close()
    failures = admin_live.failures
    print(f"{'PASS' if failures == 0 else 'FAIL'}: modify-lu seen live", flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
