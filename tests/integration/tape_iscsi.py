#!/usr/bin/env python3
"""Tape drive LU (provider "ssc") over a real iSCSI connection, in two
halves around a kill -9 of the daemon (issue 8: what was reported written
reads back after kill -9 and restart).

usage: tape_iscsi.py --port PORT --target IQN [--lun N] write|verify

write:  WRITE(6) variable blocks, WRITE FILEMARKS (IMMED=0), more blocks
        and a filemark, checking READ POSITION on the way.
verify: after the restart: REWIND, READ(6) every block back (FILEMARK
        sense between files), SPACE to end of data, READ POSITION.
Prints PASS/FAIL lines; exits 0 only when every check passed.
"""

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as raw  # noqa: E402

FILES = [[b"tar header %d " % i + bytes(range(256)) * (i + 1) for i in range(3)],
         [b"second archive " * 40]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--lun", type=int, default=0)
    ap.add_argument("--block", type=int, default=512)
    ap.add_argument("half", choices=["write", "verify"])
    args = ap.parse_args()
    signal.alarm(30)
    ctx = raw.Ctx(args)
    c = ctx.login("tape", 1, tag="tape")
    c.tur_until_good()
    if args.half == "write":
        ctx.check(raw.no_data(c, [0x01, 0, 0, 0, 0, 0], "REWIND")[0] == 0, "REWIND")
        for f in FILES:
            for blk in f:
                st, sense = raw.write6(c, blk)
                ctx.check(st == 0, f"WRITE(6) of {len(blk)} bytes", str(sense))
            st, sense = raw.no_data(c, [0x10, 0, 0, 0, 1, 0], "WRITE FILEMARKS")
            ctx.check(st == 0, "WRITE FILEMARKS 1 (IMMED=0: durable)", str(sense))
        obj, fileno = raw.read_position(c)
        ctx.check((obj, fileno) == (6, 2), "READ POSITION after writing: object 6, file 2", f"{obj}, {fileno}")
    else:
        ctx.check(raw.no_data(c, [0x01, 0, 0, 0, 0, 0], "REWIND")[0] == 0, "REWIND after the restart")
        for i, f in enumerate(FILES):
            for blk in f:
                data, st, sense, _ = raw.read6(c, 65536)
                ctx.check(st == 0 and data == blk, f"file {i}: a block of {len(blk)} bytes reads back",
                          f"status {st} sense {sense} got {len(data)} bytes")
            data, st, sense, flags = raw.read6(c, 65536)
            ctx.check(st == 2 and sense == (0, 0, 1) and flags & 0x80, f"file {i}: then FILEMARK",
                      f"status {st} sense {sense} flags {flags:#x}")
        data, st, sense, _ = raw.read6(c, 512)
        ctx.check(st == 2 and sense[0] == 8 and sense[2] == 5, "then BLANK CHECK at end of data", str(sense))
        st, sense = raw.no_data(c, [0x11, 0x03, 0, 0, 0, 0], "SPACE to end of data")
        ctx.check(st == 0, "SPACE to end of data")
        obj, fileno = raw.read_position(c)
        ctx.check((obj, fileno) == (6, 2), "READ POSITION at end of data: object 6, file 2", f"{obj}, {fileno}")
    c.logout()
    return 1 if ctx.failures else 0


if __name__ == "__main__":
    raw.run_script(main)
