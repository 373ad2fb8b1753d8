#!/usr/bin/env python3
"""A tape library built with stmfadm (test_library_admin.sh), seen by a raw
iSCSI initiator: the changer at LUN 0, drives at LUNs 1 and 2, four slots,
one import/export element (issue 8 admin verbs).

usage: library_admin_iscsi.py --port PORT --target IQN PHASE [-- ADMIN COMMAND...]

first:  READ ELEMENT STATUS shows the cartridges stmfadm created; slot 1 ->
        drive 0, write blocks and a filemark, read them back, back to slot
        1. Then, with this session logged in, ADMIN COMMAND (stmfadm
        create-cartridge ... --ie 1) puts a cartridge into the import/export
        element: the changer reports 28h/01h and READ ELEMENT STATUS shows
        it; EXCHANGE MEDIUM moves it to slot 3 and slot 3's to slot 2.
load:   slot 1 -> drive 0, left there (the admin refusals follow).
after:  after restarts: the map as stmfadm left it, the data written in
        `first` reads back from drive 0; the write-protected cartridge in
        drive 1 answers DATA PROTECT to a write.
Prints PASS/FAIL lines; exits 0 only when every check passed.
"""

import argparse
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as raw  # noqa: E402

CHANGER, DRIVE0, DRIVE1 = 0, 1, 2
IE1, DT1, DT2, SLOT1 = 0x0010, 0x0100, 0x0101, 0x1000
PAYLOAD = [b"library block %d " % i + bytes(range(256)) * (i + 3) for i in range(3)]


def on(c, lun):
    c.lun = lun
    return c


def elements(c):
    return raw.element_status(on(c, CHANGER))


def move(c, src, dst):
    return raw.move_medium(on(c, CHANGER), src, dst)


def ready(c, lun):
    """Clears unit attentions; True when TEST UNIT READY ends GOOD."""
    for _ in range(4):
        if c.tur(lun)[0] == 0:
            return True
    return False


def first(ctx, c, admin):
    m = elements(c)
    ctx.check(m.get(SLOT1) == "A00001L6" and m.get(SLOT1 + 2) == "A00002L6",
              "READ ELEMENT STATUS: A00001L6 in slot 1, A00002L6 in slot 3 (as stmfadm put them)", str(m))
    ctx.check(m.get(DT1) is None and m.get(DT2) is None and m.get(IE1) is None,
              "both drives stmfadm created and the import/export element are empty", str(m))
    st, sense = move(c, SLOT1, DT1)
    ctx.check(st == 0, "MOVE MEDIUM slot 1 -> drive 0", str(sense))
    ctx.check(c.tur(DRIVE0)[:4] == (2, 6, 0x28, 0), "drive 0: NOT READY TO READY CHANGE")
    on(c, DRIVE0)
    for blk in PAYLOAD:
        ctx.check(raw.write6(c, blk)[0] == 0, f"WRITE(6) of {len(blk)} bytes")
    ctx.check(raw.no_data(c, [0x10, 0, 0, 0, 1, 0], "WRITE FILEMARKS")[0] == 0, "WRITE FILEMARKS 1")
    ctx.check(raw.no_data(c, [0x01, 0, 0, 0, 0, 0], "REWIND")[0] == 0, "REWIND")
    for blk in PAYLOAD:
        data, st, sense, _ = raw.read6(c, 65536)
        ctx.check(st == 0 and data == blk, f"READ(6): {len(blk)} bytes read back", f"{st} {sense}")
    st, sense = move(c, DT1, SLOT1)
    ctx.check(st == 0, "MOVE MEDIUM drive 0 -> slot 1", str(sense))
    ctx.check(ready(c, CHANGER), "the changer is ready before the admin change")
    rc = subprocess.run(admin, capture_output=True, text=True, timeout=30)
    ctx.check(rc.returncode == 0, "with the session logged in: " + " ".join(admin[1:]), rc.stderr.strip())
    got = c.tur(CHANGER)
    ctx.check(got[:4] == (2, 6, 0x28, 0x01), "the changer: UNIT ATTENTION IMPORT OR EXPORT ELEMENT ACCESSED",
              str(got))
    m = elements(c)
    ctx.check(m.get(IE1) == "A00003L6", "READ ELEMENT STATUS: A00003L6 in the import/export element", str(m))
    st, sense = raw.exchange_medium(on(c, CHANGER), IE1, SLOT1 + 2, SLOT1 + 1)
    ctx.check(st == 0, "EXCHANGE MEDIUM: import/export -> slot 3, slot 3 -> slot 2", str(sense))
    m = elements(c)
    ctx.check(m.get(SLOT1 + 2) == "A00003L6" and m.get(SLOT1 + 1) == "A00002L6" and m.get(IE1) is None,
              "READ ELEMENT STATUS after the exchange", str(m))
    st, sense = raw.exchange_medium(on(c, CHANGER), SLOT1 + 3, SLOT1, SLOT1 + 3)
    ctx.check(st == 2 and sense == (5, 0x3B, 0x0E), "EXCHANGE MEDIUM from an empty slot: SOURCE EMPTY", str(sense))


def after(ctx, c):
    m = elements(c)
    ctx.check(m.get(SLOT1) == "A00001L6" and m.get(DT1) is None,
              "after the restarts: A00001L6 back in slot 1, drive 0 empty", str(m))
    ctx.check(m.get(IE1) == "A00002L6" and m.get(SLOT1 + 3) == "A00004L6",
              "the imported A00002L6 in the import/export element, A00004L6 (created before kill -9) in slot 4",
              str(m))
    ctx.check(move(c, SLOT1, DT1)[0] == 0, "MOVE MEDIUM slot 1 -> drive 0")
    ready(c, DRIVE0)
    on(c, DRIVE0)
    for blk in PAYLOAD:
        data, st, sense, _ = raw.read6(c, 65536)
        ctx.check(st == 0 and data == blk, f"after the restarts: {len(blk)} bytes read back", f"{st} {sense}")
    ctx.check(move(c, DT1, SLOT1)[0] == 0, "MOVE MEDIUM drive 0 -> slot 1")
    ctx.check(move(c, IE1, DT2)[0] == 0, "MOVE MEDIUM import/export -> drive 1 (the write-protected cartridge)")
    ready(c, DRIVE1)
    st, sense = raw.write6(on(c, DRIVE1), b"x" * 512)
    ctx.check(st == 2 and sense == (7, 0x27, 0), "WRITE(6) to it: DATA PROTECT, WRITE PROTECTED", str(sense))
    ctx.check(move(c, DT2, IE1)[0] == 0, "MOVE MEDIUM drive 1 -> import/export")


def main():
    argv = sys.argv[1:]
    admin = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--lun", type=int, default=0)
    ap.add_argument("--block", type=int, default=512)
    ap.add_argument("phase", choices=["first", "load", "after"])
    args = ap.parse_args(argv)
    signal.alarm(60)
    ctx = raw.Ctx(args)
    c = ctx.login("library", 1, tag="library")
    for lun in (CHANGER, DRIVE0, DRIVE1):
        c.tur(lun), c.tur(lun)  # start-up unit attentions
    if args.phase == "first":
        first(ctx, c, admin)
    elif args.phase == "load":
        ctx.check(move(c, SLOT1, DT1)[0] == 0, "MOVE MEDIUM slot 1 -> drive 0 (left loaded)")
    else:
        after(ctx, c)
    c.logout()
    return 1 if ctx.failures else 0


if __name__ == "__main__":
    raw.run_script(main)
