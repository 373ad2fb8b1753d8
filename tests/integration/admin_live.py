#!/usr/bin/env python3
"""Live admin changes seen by a logged-in session (issue 6): one session
stays logged in while stmfadm changes the views and takes an LU offline.

usage: admin_live.py --port PORT --target IQN --initiator NAME --lun N
                     --stmfadm PATH --lu NAME --host-group HG

Steps: log in as NAME (a member of HG), see no LU at LUN N; `stmfadm
add-view -h HG -n N LU` -> the next command to LUN 0 reports REPORTED LUNS
DATA HAS CHANGED (3Fh/0Eh), REPORT LUNS lists N and clears the condition
on LUN N too (SPC-4 6.33), LUN N answers GOOD, the session answers pings; `offline-lu` -> NOT READY 04h/03h (manual intervention) at LUN N,
session alive; `online-lu` -> GOOD again; `remove-view` -> 3Fh/0Eh at LUN 0
and LUN N is LOGICAL UNIT NOT SUPPORTED (05h/25h). Exits 0 only when every
check passed. Built on raw_iscsi.py (same directory).
"""

import argparse
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as ri  # noqa: E402

failures = 0


def check(cond, msg, detail=""):
    global failures
    print(f"{'PASS' if cond else 'FAIL'}: {msg}{'' if cond or not detail else ': ' + str(detail)}", flush=True)
    if not cond:
        failures += 1


def stmfadm(args, *verb):
    r = subprocess.run([args.stmfadm, *verb], capture_output=True, text=True, timeout=20)
    check(r.returncode == 0, "stmfadm " + " ".join(verb), r.stderr.strip())


def tur(c, lun):
    return c.tur(lun)


def report_luns(c):
    """REPORT LUNS (SPC-4 6.33) to LUN 0: the LUN numbers listed."""
    cdb = bytes([0xA0, 0, 0, 0, 0, 0]) + (4096).to_bytes(4, "big") + bytes(2)
    itt = c.scsi_cmd(cdb, 4096, read=True, lun=0)
    data = b""
    while True:
        pdu = c.recv(5, "REPORT LUNS Data-In")
        if pdu.opcode == ri.OP_DATA_IN and pdu.itt == itt:
            data += pdu.data
            if pdu.flags & 0x01:
                break
        elif pdu.opcode == ri.OP_SCSI_RSP and pdu.itt == itt:
            break
    n = int.from_bytes(data[0:4], "big") // 8
    return sorted(int.from_bytes(data[8 + 8 * i:10 + 8 * i], "big") & 0x3FFF for i in range(n))


def session_parser():
    """The arguments of one logged-in session (shared with admin_modify.py)."""
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--initiator", required=True)
    p.add_argument("--lun", type=int, required=True)
    return p


def main():
    p = session_parser()
    p.add_argument("--stmfadm", required=True)
    p.add_argument("--lu", required=True)
    p.add_argument("--host-group", required=True)
    args = p.parse_args()
    signal.alarm(60)
    n = args.lun
    c = ri.Conn(args.host, args.port, "live", 0)
    try:
        c.login(args.initiator, bytes([0x80, 1, 2, 3, 0, 1]), args.target)
        c.tur_until_good(0)
        r = tur(c, n)
        check(r[:4] == (2, 5, 0x25, 0), f"before add-view LUN {n} is not supported (05h/25h)", r)

        stmfadm(args, "add-view", "-h", args.host_group, "-n", str(n), args.lu)
        r = tur(c, 0)
        check(r[:4] == (2, 6, 0x3F, 0x0E), "add-view: LUN 0 reports REPORTED LUNS DATA HAS CHANGED", r)
        check(tur(c, 0)[0] == 0, "LUN 0 is GOOD after the unit attention")
        luns = report_luns(c)
        check(luns == [0, n], f"REPORT LUNS lists LUN {n} in the same session", luns)
        r = tur(c, n)
        check(r[0] == 0, f"LUN {n} serves the new view's LU; REPORT LUNS cleared its 3Fh/0Eh", r)
        c.ping(b"alive")
        check(True, "the session survived add-view (NOP-Out answered)")

        stmfadm(args, "offline-lu", args.lu)
        r = tur(c, n)
        # taken offline by the administrator: waiting does not help (SPC-4 4.5.6)
        check(r[:4] == (2, 2, 0x04, 0x03), f"offline-lu: LUN {n} answers NOT READY, MANUAL INTERVENTION REQUIRED", r)
        c.ping(b"alive")
        check(True, "the session survived offline-lu")
        stmfadm(args, "online-lu", args.lu)
        seen = c.tur_until_good(n)
        check(seen[-1][0] == 0, f"online-lu: LUN {n} GOOD again", seen)

        stmfadm(args, "remove-view", "-l", args.lu, "-a")
        r = tur(c, 0)
        check(r[:4] == (2, 6, 0x3F, 0x0E), "remove-view: LUN 0 reports REPORTED LUNS DATA HAS CHANGED", r)
        r = tur(c, n)
        check(r[:4] == (2, 5, 0x25, 0), f"remove-view: LUN {n} is not supported any more", r)
        luns = report_luns(c)
        check(luns == [0], "REPORT LUNS no longer lists it", luns)
        c.ping(b"alive")
        check(True, "the session survived remove-view")
        c.logout()
    except (ri.Failure, ri.Closed, ri.TimedOut, OSError) as e:
        check(False, f"{type(e).__name__}: {e}")
    finally:
        c.close()
    print(f"{'PASS' if failures == 0 else 'FAIL'}: live admin changes", flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
