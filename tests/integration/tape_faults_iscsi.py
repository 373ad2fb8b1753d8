#!/usr/bin/env python3
"""A tape drive LU under faults (issue 10 section 2), over a real iSCSI
connection. One session appends records (variable blocks and filemarks,
each block's bytes unique) at end of data; in each scenario a fault point
is armed through stmfadm right before one of the writes (the victim):

  crash_write     the victim rewrites the tape two blocks before end of
                  data (SPACE -2 first), and the LU dies right after
                  handing that WRITE(6) to the ring, which holds it 300 ms
                  on its way into the kernel (lu_io_submitted crash +
                  io_file stall): HARDWARE ERROR 04/44/00; the restarted
                  drive reports POWER ON 29/00 and loads its cartridge
                  only once the old write landed. That write is the
                  rewrite's seal (docs/tape-format.md: a write is all or
                  nothing; the LU died before the rest was submitted), so
                  SPACE to end of data stops where the victim began: the
                  victim is not on the tape and the two blocks it was to
                  replace are gone; the next writes go there. A drive that
                  loaded before the seal landed would put end of data
                  after the two old blocks, and what it then acknowledged
                  would be cut off by the seal landing late.
  crash_filemark  the same with WRITE FILEMARKS(6) as the victim.
  eio_write       the backing write fails with EIO: MEDIUM ERROR, WRITE
                  ERROR 03/0C/00 (never GOOD); SSC-4 4.2.7 position after
                  it: the logical object it would have written (READ
                  POSITION unchanged); the victim is not on the tape.
  eio_filemark    the same with WRITE FILEMARKS(6).
  session_crash   the session fails as the victim's Command PDU arrives:
                  the connection closes; a new session (reinstatement)
                  finds the drive where it was (READ POSITION) and goes on.

After every scenario the whole tape is read from BOT: every record that
got GOOD reads back byte for byte and in order, filemarks where written,
then BLANK CHECK at end of data; anything else on the tape must be a
victim a scenario allows there.

usage: tape_faults_iscsi.py --port P --target IQN [--lun N] --stmfadm PATH
                            [--state FILE] run|verify
run: the scenarios, then the acknowledged records saved to --state.
verify: (after a kill -9 and restart) the tape read against --state.
Prints PASS/FAIL lines and QUALIFY lines; exits 0 only when all passed.
"""

import json
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_iscsi as raw  # noqa: E402
from fault_run import FaultRun  # noqa: E402

FM = "FM"  # a filemark in the record lists (blocks are bytes)
HARDWARE_ERROR = (4, 0x44, 0)
WRITE_ERROR = (3, 0x0C, 0)
POWER_ON = (6, 0x29, 0)

# name: (victim kind, points armed right before it: (point, options...)).
SCENARIOS = {
    "crash_write": ("block", [("io_file", "--action", "stall", "--delay-ms", "300"),
                              ("lu_io_submitted", "--action", "crash", "--match", "tape0")]),
    "crash_filemark": ("filemark", [("io_file", "--action", "stall", "--delay-ms", "300"),
                                    ("lu_io_submitted", "--action", "crash", "--match", "tape0")]),
    "eio_write": ("block", [("io_file", "--action", "eio")]),
    "eio_filemark": ("filemark", [("io_file", "--action", "eio")]),
    "session_crash": ("block", [("session_pdu", "--action", "crash")]),
}


class TapeRun:
    def __init__(self, args):
        self.args = args
        self.ctx = raw.Ctx(args)
        self.faults = FaultRun(args)
        self.rng = random.Random(args.seed)
        self.serial = 0
        self.sessions = 0
        self.c = None
        self.acked = []     # what the tape must hold from BOT: the records that got GOOD
        self.maybe = []     # victims that may be on the tape (never acknowledged)
        self.absent = []    # victims that must not be on the tape

    def check(self, cond, msg, detail=""):
        self.faults.check(cond, msg, detail)
        return cond

    def connect(self):
        """A new session (the same ISID: a failed one is reinstated) and
        its start-up unit attentions cleared."""
        self.sessions += 1
        self.c = self.ctx.login("tape", 1, tag="tape-faults")
        seen = []
        for _ in range(20):
            r = self.c.tur()
            seen.append(r)
            if r[0] == 0:
                return seen
            time.sleep(0.05)
        raise raw.Failure(f"TEST UNIT READY never GOOD: {seen}")

    def block(self):
        self.serial += 1
        n = self.rng.choice((37, 512, 1000, 4096, 9000))
        head = b"record %06d " % self.serial
        return head + bytes(self.rng.getrandbits(8) for _ in range(n - len(head)))

    def write(self, rec):
        if rec == FM:
            return raw.no_data(self.c, [0x10, 0, 0, 0, 1, 0], "WRITE FILEMARKS")  # IMMED=0
        return raw.write6(self.c, rec)

    def append(self, n, blocks_only=False):
        """n records (a filemark now and then), each must get GOOD."""
        for _ in range(n):
            rec = FM if not blocks_only and self.rng.random() < 0.2 else self.block()
            st, sense = self.write(rec)
            if not self.check(st == 0, f"{'WRITE FILEMARKS' if rec == FM else 'WRITE(6)'} gets GOOD",
                              f"status {st} sense {sense}"):
                return
            self.acked.append(rec)

    def to_end_of_data(self):
        st, sense = raw.no_data(self.c, [0x11, 0x03, 0, 0, 0, 0], "SPACE to end of data")
        self.check(st == 0, "SPACE to end of data", f"status {st} sense {sense}")
        return raw.read_position(self.c)[0]

    def arm(self, points):
        for p in points:
            r = self.faults.adm("inject-fault", *p)
            self.check(r.returncode == 0, f"inject-fault {' '.join(p)}", r.stderr.strip())

    def scenario(self, name):
        kind, points = SCENARIOS[name]
        print(f"--- {name}", flush=True)
        crash = name.startswith("crash")
        self.append(3, blocks_only=crash)
        if crash:  # the victim rewrites the last two blocks
            st, sense = raw.no_data(self.c, [0x11, 0x00, 0xFF, 0xFF, 0xFE, 0], "SPACE -2 blocks")
            self.check(st == 0, "SPACE back over two blocks", f"status {st} sense {sense}")
        before = raw.read_position(self.c)[0]
        victim = FM if kind == "filemark" else self.block()
        self.arm(points)
        try:
            st, sense = self.write(victim)
        except raw.Closed:
            st, sense = None, None
        self.faults.adm("clear-faults")
        if crash:
            self.check(st == 2 and sense == HARDWARE_ERROR, f"{name}: the victim gets HARDWARE ERROR 04/44/00",
                       f"status {st} sense {sense}")
            seen = self.c.tur()
            self.check(seen[0] == 2 and seen[1:] == POWER_ON, f"{name}: the restarted drive reports POWER ON",
                       str(seen))
            end = self.to_end_of_data()
            self.check(end == before, f"{name}: end of data where the old write began ({end})",
                       f"the victim was to be written at {before}")
            if end == before:  # the seal landed: the two blocks it replaces are gone, the victim is not there
                del self.acked[before:]
                self.absent.append(victim)
            else:
                self.maybe.append(victim)
        elif name.startswith("eio"):
            self.check(st == 2 and sense == WRITE_ERROR, f"{name}: the victim gets MEDIUM ERROR 03/0C/00",
                       f"status {st} sense {sense}")
            pos = raw.read_position(self.c)[0]
            self.check(pos == before, f"{name}: READ POSITION after the error is where the write began ({pos})",
                       f"expected {before}")
            self.absent.append(victim)
        else:  # session_crash
            self.check(st is None, f"{name}: the connection closes", f"status {st} sense {sense}")
            self.c.close()
            self.connect()
            pos = raw.read_position(self.c)[0]
            self.check(pos == before, f"{name}: the new session finds the drive where it was ({pos})",
                       f"expected {before}")
            self.absent.append(victim)  # its Command PDU never reached the drive
        self.append(3)
        self.verify(name)

    def read_tape(self):
        st, sense = raw.no_data(self.c, [0x01, 0, 0, 0, 0, 0], "REWIND")
        self.check(st == 0, "REWIND", f"status {st} sense {sense}")
        out = []
        while len(out) <= len(self.acked) + len(self.maybe) + len(self.absent) + 1:
            data, st, sense, flags = raw.read6(self.c, 65536)
            if st == 0:
                out.append(bytes(data))
            elif st == 2 and sense == (0, 0, 1) and flags & 0x80:
                out.append(FM)
            elif st == 2 and sense == (8, 0, 5):
                return out, True  # BLANK CHECK, end of data
            else:
                self.check(False, "READ(6) of the tape", f"status {st} sense {sense} after {len(out)} records")
                return out, False
        return out, False

    def verify(self, when):
        """Every acknowledged record in order; extras only allowed victims.
        Returns how many acknowledged records are missing."""
        tape, ended = self.read_tape()
        self.check(ended, f"{when}: the tape ends in BLANK CHECK after {len(tape)} records")
        i = 0  # acknowledged records matched so far
        for n, rec in enumerate(tape):
            if i < len(self.acked) and rec == self.acked[i]:
                i += 1
            elif rec != FM and rec in self.maybe:
                continue
            else:
                what = "a filemark" if rec == FM else rec[:14].decode(errors="replace")
                self.check(False, f"{when}: record {n} on the tape was neither acknowledged nor allowed", what)
                break
        lost = len(self.acked) - i
        self.check(lost == 0, f"{when}: all {len(self.acked)} acknowledged records read back in order",
                   f"{lost} missing")
        self.check(not any(v in tape for v in self.absent if v != FM), f"{when}: no failed write is on the tape")
        return lost


def main():
    ap = raw.scenario_parser(__doc__)
    ap.add_argument("--stmfadm", required=True)
    ap.add_argument("--state", default="")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--only", default="", help="comma-separated scenario names (default: all)")
    ap.add_argument("half", choices=["run", "verify"])
    args = ap.parse_args()
    signal.alarm(90)
    run = TapeRun(args)
    run.connect()
    lost = 0
    if args.half == "run":
        st, _ = raw.no_data(run.c, [0x01, 0, 0, 0, 0, 0], "REWIND")
        names = [n for n in args.only.split(",") if n] or list(SCENARIOS)
        fired_before = {p[0]: run.faults.firings(p[0]) for n in names for p in SCENARIOS[n][1]}
        for name in names:
            run.scenario(name)
        lost = run.verify("at the end")
        for point, before in fired_before.items():
            print(f"QUALIFY faults_injected.{point} {max(run.faults.firings(point) - before, 0)}")
        if args.state:
            with open(args.state, "w") as f:
                json.dump({"acked": [r if r == FM else r.hex() for r in run.acked],
                           "maybe": [r.hex() for r in run.maybe if r != FM]}, f)
    else:
        with open(args.state) as f:
            s = json.load(f)
        run.acked = [r if r == FM else bytes.fromhex(r) for r in s["acked"]]
        run.maybe = [bytes.fromhex(r) for r in s["maybe"]]
        lost = run.verify("after kill -9 and restart")
    print(f"QUALIFY acked_writes_checked {len(run.acked)}")
    print(f"QUALIFY writes_lost {lost}")
    run.c.logout()
    return 1 if run.faults.failures else 0


if __name__ == "__main__":
    raw.run_script(main)
