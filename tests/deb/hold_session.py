#!/usr/bin/env python3
"""In the .deb guest: a session survives `systemctl reload stmfd`.

Logs in to the installed daemon's default target (127.0.0.1:3260,
/etc/stmfd/stmfd.json), checks TEST UNIT READY, runs `systemctl reload
stmfd` (SIGHUP: re-read the config and apply the difference live), waits
for the reload to finish, then uses the same connection again: NOP-Out
echoed, TEST UNIT READY GOOD, a READ of 8 blocks GOOD, logout. Exit 0 only
when all of that held. raw_iscsi.py sits next to it in the share.
"""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from raw_iscsi import Closed, Conn, Failure, TimedOut  # noqa: E402

TARGET = "iqn.2026-11.org.stmfd:default"


def main():
    try:
        c = Conn("127.0.0.1", 3260, "deb")
        c.login("iqn.2026-11.org.stmfd:deb-test", bytes([0x80, 0, 0, 0, 0, 9]), TARGET)
        print(f"hold_session: logged in (TSIH {c.tsih:#x}): TUR {c.tur_until_good()}", flush=True)
        r = subprocess.run(["systemctl", "reload", "stmfd.service"], capture_output=True, text=True, timeout=60)
        print(f"hold_session: systemctl reload: exit {r.returncode} {r.stderr.strip()}", flush=True)
        if r.returncode != 0:
            return 1
        time.sleep(2)
        c.ping(b"after-reload")
        st = c.tur()
        data, status, _ = c.read10(0, 8, 512)
        print(f"hold_session: after the reload on the same connection: NOP-Out echoed, TUR {st}, "
              f"READ(10) status {status[1]:#x}", flush=True)
        if st[0] != 0 or status[1] != 0:
            return 1
        c.logout()
        return 0
    except (Failure, Closed, TimedOut, OSError) as e:
        print(f"hold_session: FAIL: {type(e).__name__}: {e}", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
