#!/usr/bin/env python3
"""A logged-in session across a live configuration change (issue 6: SIGHUP
reload and stmfadm apply never drop sessions).

usage: reload_live.py --port PORT --target IQN --initiator NAME --lun N
                      --command SHELL-COMMAND

Logs in as NAME, sees no LU at LUN N (05h/25h), runs COMMAND (which must
make the daemon map an LU at LUN N for NAME, e.g. edit the config file and
send SIGHUP, and return once it is applied); then the next command to LUN
0 reports REPORTED LUNS DATA HAS CHANGED (3Fh/0Eh), REPORT LUNS lists N,
LUN N answers GOOD and the session answers a ping. Exits 0 only when every
check passed. Built on raw_iscsi.py (same directory).
"""

import argparse
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as ri  # noqa: E402
from admin_live import check, report_luns  # noqa: E402
import admin_live  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--initiator", required=True)
    p.add_argument("--lun", type=int, required=True)
    p.add_argument("--command", required=True)
    args = p.parse_args()
    signal.alarm(60)
    n = args.lun
    c = ri.Conn(args.host, args.port, "reload", 0)
    try:
        c.login(args.initiator, bytes([0x80, 1, 2, 3, 0, 2]), args.target)
        c.tur_until_good(0)
        r = c.tur(n)
        check(r[:4] == (2, 5, 0x25, 0), f"before the change LUN {n} is not supported (05h/25h)", r)
        done = subprocess.run(["bash", "-c", args.command], capture_output=True, text=True, timeout=30)
        check(done.returncode == 0, "the change command ran", done.stdout + done.stderr)
        r = c.tur(0)
        check(r[:4] == (2, 6, 0x3F, 0x0E), "LUN 0 reports REPORTED LUNS DATA HAS CHANGED", r)
        luns = report_luns(c)
        check(luns == [0, n], f"REPORT LUNS lists LUN {n} in the same session", luns)
        r = c.tur(n)
        check(r[0] == 0, f"LUN {n} serves the new LU", r)
        c.ping(b"alive")
        check(True, "the session survived the change (NOP-Out answered)")
        c.logout()
    except (ri.Failure, ri.Closed, ri.TimedOut, OSError) as e:
        check(False, f"{type(e).__name__}: {e}")
    finally:
        c.close()
    ok = admin_live.failures == 0
    print(f"{'PASS' if ok else 'FAIL'}: session across a live configuration change", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
