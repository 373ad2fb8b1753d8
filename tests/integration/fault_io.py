#!/usr/bin/env python3
"""Recovery under I/O (issue 10 section 2): sessions write seeded patterns
and read them back while stmfd's fault points fire (armed mid-run through
`stmfadm inject-fault`), and every byte is checked.

usage: fault_io.py --port P --target IQN --stmfadm PATH [--rounds N]
                   [--seed S] [--expect KIND] [--also "POINT2 OPTS"]
                   POINT [inject-fault options...]

Two sessions ("victim" and "bystander") each own a disjoint LBA range of
the LU. Each round writes 1..16 blocks of a pattern unique to (session,
round) with WRITE(10), then reads them back. The fault is armed after a few
rounds, while both sessions have commands in flight. A command that fails
with a retryable outcome (CHECK CONDITION with the sense the failure table
in architecture.md gives, BUSY, TASK SET FULL, or a dropped connection: then
the session logs in again and is reinstated) is retried (NOT READY after a pause); a
command gives up after 150 s. GOOD for a write makes its blocks "acknowledged";
every read and a final read of both ranges must return, for each block,
the last acknowledged pattern: anything else is corruption. A command that
gets no answer in 15 s on an open connection is a hang.

--expect says what the initiator must have seen at least once:
  ua        CHECK CONDITION 04/44/00 for an in-flight command, then 06/29/00
            (an LU actor failed and was restarted)
  internal  CHECK CONDITION 04/44/00 (a task actor failed)
  drop      the connection closed (session, connection or port failure)
  medium    MEDIUM ERROR 03/0C/00 (write) or 03/11/00 (read): backing EIO
  space     DATA PROTECT 07/27/07: backing ENOSPC
  retry     any retryable error (io actor failure: -ECANCELED)
  none      nothing: the fault only slows I/O down (delay, stall)

Prints PASS/FAIL lines, then `QUALIFY` lines (faults_injected.<point>,
recoveries, acked_writes_checked, writes_lost, hangs) for scripts/qualify.
Exit 0 only when every check passed. Standard library only.
"""

import argparse
import random
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from raw_iscsi import Closed, Conn, Failure, TimedOut, parse_sense  # noqa: E402
from fault_run import FaultRun  # noqa: E402

RETRYABLE_SENSE = {
    (4, 0x44, 0x00): "internal",
    (6, 0x29, 0x00): "ua",
    (3, 0x0C, 0x00): "medium",
    (3, 0x11, 0x00): "medium",
    (7, 0x27, 0x07): "space",
    (0xB, 0x00, 0x00): "retry",
    (0xB, 0x47, 0x00): "retry",
    (0xB, 0x4E, 0x00): "retry",
    (2, 0x04, 0x00): "retry",
    (2, 0x04, 0x01): "retry",
    (2, 0x04, 0x03): "retry",  # an LU past its restart budget (back-off): it comes back after the delay
}
BUSY, TASK_SET_FULL = 0x08, 0x28
REGION = 256        # blocks per session
RETRY_S = 150      # a command keeps failing retryably this long: give up (the LU back-off is at most 60 s)
HANG_S = 15


class Hang(Exception):
    pass


class Session:
    """One initiator session that logs in again whenever its connection drops."""

    def __init__(self, run, name, isid_n, base):
        self.run, self.name, self.isid_n, self.base = run, name, isid_n, base
        self.conn = None
        self.expected = {}  # LBA -> bytes of the last acknowledged write
        self.logins = 0

    def connect(self):
        deadline = time.monotonic() + 20  # a restarting port listens again within this
        while True:
            try:
                c = Conn(self.run.args.host, self.run.args.port, self.name, self.run.args.lun)
                c.login(f"iqn.2026-11.org.stmfd:faultio-{self.name}", self.run.isid(self.isid_n),
                        self.run.args.target)
                self.conn = c
                self.logins += 1
                return
            except (Closed, TimedOut, OSError, Failure):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def command(self, do):
        """Runs do(conn) -> (status, sense) until it is GOOD; returns the
        result of the GOOD attempt. Records every retryable outcome."""
        deadline = time.monotonic() + RETRY_S
        while time.monotonic() < deadline:
            if self.conn is None:
                self.connect()
                self.run.seen.add("drop")
            t0 = time.monotonic()
            try:
                result = do(self.conn)
            except (Closed, OSError):
                self.drop()
                continue
            except TimedOut:
                if time.monotonic() - t0 >= HANG_S - 1:
                    raise Hang(f"{self.name}: no answer in {HANG_S} s")
                self.drop()
                continue
            status, sense = result[0], result[1]
            if status == 0:
                return result
            if status in (BUSY, TASK_SET_FULL):
                self.run.seen.add("retry")
                time.sleep(0.05)
                continue
            kind = RETRYABLE_SENSE.get(tuple(sense)) if status == 2 else None
            if kind is None:
                raise Failure(f"{self.name}: non-retryable status {status:#x} sense {sense}")
            self.run.seen.add(kind)
            self.run.senses[tuple(sense)] = self.run.senses.get(tuple(sense), 0) + 1
            if sense[0] == 2:  # NOT READY: give the LU time to come back
                time.sleep(0.5)
        raise Failure(f"{self.name}: still failing after {RETRY_S} s ({self.run.senses})")

    def drop(self):
        self.run.seen.add("drop")
        if self.conn:
            self.conn.close()
        self.conn = None

    def write(self, lba, data):
        bs = self.run.args.block

        def do(c):
            rsp, _ = c.write10(lba, data, bs, min(len(data), 8192))
            return rsp.bhs[3], parse_sense(rsp.data)
        self.command(do)
        for i in range(len(data) // bs):
            self.expected[lba + i] = data[i * bs:(i + 1) * bs]
        self.run.acked += 1

    def read_check(self, lba, blocks):
        bs = self.run.args.block

        def do(c):
            got, status, _ = c.read10(lba, blocks, bs)
            sense = parse_sense(status[2].data) if status[0] == "response" else (None, None, None)
            return status[1], sense, got
        got = self.command(do)[2]
        for i in range(blocks):
            want = self.expected.get(lba + i)
            if want is None:
                continue
            self.run.checked += 1
            if got[i * bs:(i + 1) * bs] != want:
                self.run.lost += 1
                raise Failure(f"{self.name}: LBA {lba + i} does not hold its acknowledged write")


class Run(FaultRun):
    def __init__(self, args):
        super().__init__(args)
        self.rng = random.Random(args.seed)
        self.salt = self.rng.randbytes(3)
        self.seen = set()
        self.senses = {}
        self.acked = self.checked = self.lost = self.hangs = 0

    def isid(self, n):
        return bytes([0x80]) + self.salt + bytes([0, n])


def round_io(run, s, rnd):
    bs = run.args.block
    blocks = run.rng.randint(1, 16)
    lba = s.base + run.rng.randrange(0, REGION - blocks)
    tag = f"{s.name}:{rnd}:".encode()
    data = b"".join((tag + lba.to_bytes(8, "big") + bytes([i & 0xFF])).ljust(bs, bytes([rnd & 0xFF]))
                    for i in range(blocks))
    s.write(lba, data)
    s.read_check(lba, blocks)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--lun", type=int, default=0)
    p.add_argument("--block", type=int, default=512)
    p.add_argument("--stmfadm", required=True)
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--arm-at", type=int, default=5, help="round at which the fault is armed")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--expect", default="none", choices=["ua", "internal", "drop", "medium", "space", "retry", "none"])
    p.add_argument("--also", default="", help="another point and its options, armed just before POINT")
    p.add_argument("point")
    p.add_argument("inject", nargs=argparse.REMAINDER, help="more stmfadm inject-fault options")
    args = p.parse_args()
    run = Run(args)
    sessions = [Session(run, "victim", 41, 0), Session(run, "bystander", 42, 4 * REGION)]
    before = run.firings(args.point)
    t0 = time.monotonic()
    try:
        for s in sessions:
            s.connect()
            s.command(lambda c: (lambda r: (r[0], r[1:]))(c.tur()))  # start-up unit attentions
        run.seen.clear()  # from here on, only what the fault caused counts
        run.senses.clear()
        for rnd in range(args.rounds):
            if rnd == args.arm_at:
                if args.also:  # armed first: e.g. a stall that keeps the I/O in the kernel's hands
                    r = run.adm("inject-fault", *args.also.split())
                    run.check(r.returncode == 0, f"stmfadm inject-fault {args.also}", r.stderr.strip())
                seed = [] if "--seed" in args.inject else ["--seed", str(args.seed)]
                r = run.adm("inject-fault", args.point, *args.inject, *seed)
                run.check(r.returncode == 0, f"stmfadm inject-fault {args.point} {' '.join(args.inject)}",
                          r.stderr.strip())
                try:  # a new connection: what a port provider's point passes (accept)
                    socket.create_connection((args.host, args.port), timeout=5).close()
                except OSError:
                    pass
            for s in sessions:
                round_io(run, s, rnd)
        for s in sessions:  # every block either session ever got GOOD for
            for lba in range(s.base, s.base + REGION, 64):
                s.read_check(lba, 64)
    except Hang as e:
        run.hangs += 1
        run.check(False, "no command hung", str(e))
    except (Failure, Closed, TimedOut, OSError) as e:
        run.check(False, "the workload ran to the end", f"{type(e).__name__}: {e}")
    finally:
        for s in sessions:
            if s.conn:
                try:
                    s.conn.logout()
                except (Closed, TimedOut, OSError, Failure):
                    pass
                s.conn.close()
    fired = run.firings(args.point) - before if before >= 0 else -1
    run.adm("clear-faults")
    run.check(fired > 0, f"{args.point} fired ({fired} time(s))")
    if args.expect != "none":
        run.check(args.expect in run.seen, f"the initiator saw '{args.expect}'", f"saw {sorted(run.seen)}")
    run.check(run.lost == 0, f"{run.checked} acknowledged block reads checked, none lost")
    print(f"outcomes seen: {sorted(run.seen)} senses {run.senses}; logins "
          f"{[s.logins for s in sessions]}; {time.monotonic() - t0:.1f} s", flush=True)
    run.print_qualify(args.point, fired, run.acked, run.lost, run.hangs)
    return 0 if run.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
