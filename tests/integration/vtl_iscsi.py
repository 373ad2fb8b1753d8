#!/usr/bin/env python3
"""A virtual tape library (changer LU 0, drives LUNs 1 and 2, eight slots
with cartridges VTL001L6..VTL008L6, one import/export element) over a real
iSCSI connection with raw CDBs, in two halves around a kill -9 of the
daemon (issue 8).

usage: vtl_iscsi.py --port PORT --target IQN before|after

before: INQUIRY (device type 08h), READ ELEMENT STATUS (barcodes, empty
        drives), MOVE MEDIUM slot 1 -> drive 0, the drive's NOT READY TO
        READY CHANGE, a write with a filemark, MOVE MEDIUM back, then slot 2
        -> drive 1, left loaded for the kill.
after:  the map as persisted (slot 1 full, slot 2 back home, drives
        empty), slot 1 -> drive 0 again and the data reads back, refusals
        with SMC-3 sense, back to the slot.
Prints PASS/FAIL lines; exits 0 only when every check passed.
"""

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as raw  # noqa: E402

CHANGER, DRIVE0, DRIVE1 = 0, 1, 2
SLOT0, IE0, DT0 = 0x1000, 0x0010, 0x0100
PAYLOAD = [b"vtl block %d " % i + bytes(range(256)) * (i + 2) for i in range(3)]


def on(c, lun):
    c.lun = lun
    return c


def move(c, src, dst):
    return raw.move_medium(on(c, CHANGER), src, dst)


def elements(c):
    return raw.element_status(on(c, CHANGER))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--lun", type=int, default=0)
    ap.add_argument("--block", type=int, default=512)
    ap.add_argument("half", choices=["before", "after"])
    args = ap.parse_args()
    signal.alarm(40)
    ctx = raw.Ctx(args)
    c = ctx.login("vtl", 1, tag="vtl")
    for lun in (CHANGER, DRIVE0, DRIVE1):  # start-up unit attentions
        for _ in range(3):
            if c.tur(lun)[1] != 6:
                break
    data, status, _ = on(c, CHANGER).read_cdb(bytes([0x12, 0, 0, 0, 96, 0]), 96, "INQUIRY")
    ctx.check(status[1] == 0 and data[0] & 0x1F == 0x08, "INQUIRY: LUN 0 is a medium changer (08h)")
    m = elements(c)
    if args.half == "before":
        ctx.check(all(m[SLOT0 + i] == "VTL%03dL6" % (i + 1) for i in range(8)),
                  "READ ELEMENT STATUS: eight slots with their barcodes", str(m))
        ctx.check(m[DT0] is None and m[DT0 + 1] is None and m[IE0] is None, "both drives and the mail slot empty")
        ctx.check(c.tur(DRIVE0)[:4] == (2, 2, 0x3A, 0), "the empty drive: NOT READY, MEDIUM NOT PRESENT")
        st, sense = move(c, SLOT0, DT0)
        ctx.check(st == 0, "MOVE MEDIUM slot 1 -> drive 0", str(sense))
        ctx.check(c.tur(DRIVE0)[:4] == (2, 6, 0x28, 0), "drive 0: NOT READY TO READY CHANGE (28h/00h)")
        ctx.check(c.tur(DRIVE0)[0] == 0, "drive 0: ready")
        on(c, DRIVE0)
        for blk in PAYLOAD:
            st, sense = raw.write6(c, blk)
            ctx.check(st == 0, f"WRITE(6) of {len(blk)} bytes", str(sense))
        st, sense = raw.no_data(c, [0x10, 0, 0, 0, 1, 0], "WRITE FILEMARKS")
        ctx.check(st == 0, "WRITE FILEMARKS 1", str(sense))
        st, sense = move(c, DT0, SLOT0 + 4)
        ctx.check(st == 2 and sense == (5, 0x3B, 0x0D), "MOVE MEDIUM to a full slot: DESTINATION FULL", str(sense))
        st, sense = move(c, DT0, SLOT0)
        ctx.check(st == 0, "MOVE MEDIUM drive 0 -> slot 1", str(sense))
        ctx.check(c.tur(DRIVE0)[:4] == (2, 2, 0x3A, 0), "drive 0 is empty again")
        st, sense = move(c, SLOT0 + 1, DT0 + 1)
        ctx.check(st == 0, "MOVE MEDIUM slot 2 -> drive 1 (left there for the kill)", str(sense))
        m = elements(c)
        ctx.check(m[DT0 + 1] == "VTL002L6" and m[SLOT0 + 1] is None, "READ ELEMENT STATUS: VTL002L6 in drive 1")
    else:
        ctx.check(m[SLOT0] == "VTL001L6", "after the restart: VTL001L6 in slot 1", str(m))
        ctx.check(m[SLOT0 + 1] == "VTL002L6" and m[DT0 + 1] is None,
                  "after the restart: VTL002L6 back in its home slot, drive 1 empty", str(m))
        st, sense = move(c, SLOT0 + 7, DT0)
        ctx.check(st == 0, "MOVE MEDIUM slot 8 -> drive 0", str(sense))
        st, sense = move(c, SLOT0, DT0)
        ctx.check(st == 2 and sense == (5, 0x3B, 0x0D), "MOVE MEDIUM into a full drive: DESTINATION FULL",
                  str(sense))
        st, sense = move(c, SLOT0 + 7, DT0 + 1)
        ctx.check(st == 2 and sense == (5, 0x3B, 0x0E), "MOVE MEDIUM from an empty slot: SOURCE EMPTY", str(sense))
        st, sense = move(c, DT0, SLOT0 + 7)
        ctx.check(st == 0, "MOVE MEDIUM drive 0 -> slot 8", str(sense))
        st, sense = move(c, SLOT0, DT0)
        ctx.check(st == 0, "MOVE MEDIUM slot 1 -> drive 0", str(sense))
        c.tur(DRIVE0)
        on(c, DRIVE0)
        ctx.check(raw.no_data(c, [0x01, 0, 0, 0, 0, 0], "REWIND")[0] == 0, "REWIND")
        for blk in PAYLOAD:
            data, st, sense, _ = raw.read6(c, 65536)
            ctx.check(st == 0 and data == blk, f"a block of {len(blk)} bytes reads back",
                      f"status {st} sense {sense} got {len(data)} bytes")
        data, st, sense, flags = raw.read6(c, 65536)
        ctx.check(st == 2 and sense == (0, 0, 1) and flags & 0x80, "then the FILEMARK", str(sense))
        on(c, DRIVE0)
        ctx.check(raw.no_data(c, [0x1E, 0, 0, 0, 1, 0], "PREVENT")[0] == 0, "PREVENT ALLOW MEDIUM REMOVAL on drive 0")
        st, sense = move(c, DT0, SLOT0)
        ctx.check(st == 2 and sense == (5, 0x53, 0x02), "MOVE MEDIUM from it: MEDIUM REMOVAL PREVENTED", str(sense))
        on(c, DRIVE0)
        raw.no_data(c, [0x1E, 0, 0, 0, 0, 0], "ALLOW")
        st, sense = move(c, DT0, SLOT0)
        ctx.check(st == 0, "MOVE MEDIUM drive 0 -> slot 1 after ALLOW", str(sense))
    c.logout()
    return 1 if ctx.failures else 0


if __name__ == "__main__":
    raw.run_script(main)
