#!/usr/bin/env python3
"""Recovery seen by real clients (issue 10 section 2): qemu-io (QEMU's
libiscsi block driver) writes patterns to one LU while a fault point fires,
a second qemu-io works on another LU, and every byte is read back.

usage: fault_clients.py --port P --target IQN --stmfadm PATH
                        [--client qemu-io|libiscsi --iscsi-pattern PATH --seconds S]
                        [--rounds N] [--seed S] [--timeout S]
                        --expect error|done|either --bystander during|after
                        [--also "POINT2 OPTS"] POINT [inject-fault options...]

The victim (LUN 0) owns RANGES ranges of SPAN bytes, each written with
aio_write (all ranges in flight at once, QD = RANGES) by one qemu-io per
round; every (round, range) has a pattern byte of its own, so a write that
lands on the wrong range or an old round's data shows up. Round 0 runs
before the fault is armed (all of it must complete: the "old" data); the
fault is armed (after --also's point: e.g. an io_file stall, so that an
LU fails while the kernel holds its buffer), then ROUNDS rounds run under
it. After each round a second
qemu-io reads back, with `read -P`, every range whose write was reported
done (qemu-io prints "wrote N/N bytes at offset X"; a failed write is on
stderr as "iSCSI WRITE10/16 failed at lba L"). After clear-faults every
range is read back once more: a range whose last write was acknowledged
must hold exactly that pattern; a range whose last write failed may hold,
block by block, its last acknowledged pattern or any pattern written after
it (old or new data, never anything else). A mismatch is a lost write.
The final read waits out the longest --delay-ms of the row first: a failed
write held back by a stall that lands after later writes were acknowledged
overwrites them, and must show up.

The bystander (LUN 1, another session) writes and verifies its own ranges
with its own qemu-io; it must finish with every command done and every byte
right. With --bystander during it runs while the fault is armed (for
points limited to the victim's LU with --match); with --bystander after
(points that have no subject: task, session, connection, port, io) it
starts once the point has fired, while the victim recovers.

--expect says what the victim must see: "error" at least one clean
command failure (CHECK CONDITION to qemu: EIO, EACCES or ECANCELED),
"done" every command completed (libiscsi reconnects and re-sends after a
dropped connection; a stall only slows), "either" any of the two.

--client libiscsi runs tests/tools/iscsi_pattern instead (QD 8, mixed
sizes over overlapping ranges, every block checked against the write that
was acknowledged last; fault_clients_libiscsi.py); the rest of this text
is about qemu-io.

Every qemu-io runs under a timeout; running out of it is a hang. Prints
PASS/FAIL lines, then QUALIFY lines (faults_injected.<point>, recoveries,
acked_writes_checked, writes_lost, hangs). Exit 0 only when all passed.
"""

import argparse
import random
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fault_run import FaultRun  # noqa: E402
from fault_clients_libiscsi import run_libiscsi  # noqa: E402

RANGES = 8
SPAN = 32 * 1024        # bytes per range: several Data-Out PDUs and R2Ts
STRIDE = 1 << 20        # ranges start 1 MiB apart
BLOCK = 512
OPEN_RETRY_S = 90       # an LU's restart back-off is at most 60 s
WROTE = re.compile(r"^wrote (\d+)/\1 bytes at offset (\d+)$", re.M)
FAILED_LBA = re.compile(r"iSCSI WRITE10/16 failed at lba (\d+)")
OP_FAILED = re.compile(r"^(?:aio_)?(?:write|read) failed: (.*)$", re.M)
MISMATCH = re.compile(r"^Pattern verification failed at offset (\d+)", re.M)
READ_OK = re.compile(r"^read (\d+)/\1 bytes at offset (\d+)$", re.M)


class Hang(Exception):
    pass


def pattern(who, rnd, rng_index):
    """A pattern byte unique to (client, round, range), never 0 (the blank disk)."""
    return 1 + (who * 97 + rnd * RANGES + rng_index) % 255


class Client:
    def __init__(self, run, name, lun, base):
        self.run, self.name, self.lun, self.base = run, name, lun, base
        a = run.args
        self.opts = (f"driver=iscsi,transport=tcp,portal={a.host}:{a.port},target={a.target},lun={lun},"
                     f"initiator-name=iqn.2026-11.org.stmfd:client-{name}")
        self.last_acked = {i: 0 for i in range(RANGES)}  # range -> pattern of its last acknowledged write
        self.pending = {i: [] for i in range(RANGES)}   # range -> patterns of failed writes since then
        self.open_failures = 0

    def offset(self, i):
        return self.base + i * STRIDE

    def qemu_io(self, commands):
        """Runs one qemu-io with COMMANDS on stdin; returns (stdout, stderr).
        An open that fails (a clean error: the port restarting drops the
        login, an LU in its restart back-off answers NOT READY) is retried
        every 0.5 s for OPEN_RETRY_S, as an initiator would."""
        cmd = ["timeout", str(self.run.args.timeout), "qemu-io", "--image-opts", self.opts]
        deadline = time.monotonic() + OPEN_RETRY_S
        while True:
            p = subprocess.run(cmd, input="\n".join(commands) + "\nquit\n", capture_output=True, text=True)
            if p.returncode == 124:
                raise Hang(f"{self.name}: qemu-io did not finish in {self.run.args.timeout} s")
            if "can't open" not in p.stderr:
                return p.stdout.replace("qemu-io> ", ""), p.stderr  # the prompt precedes each command's output
            if not self.open_failures:
                self.run.client_errors.append(f"{self.name}: open failed (retried): {p.stderr.strip()}")
            self.open_failures += 1
            if time.monotonic() > deadline:
                return "", p.stderr
            time.sleep(0.5)

    def write_round(self, rnd):
        """All ranges in flight at once; returns how many writes failed."""
        cmds = [f"aio_write -P {pattern(self.lun, rnd, i)} {self.offset(i)} {SPAN}" for i in range(RANGES)]
        out, err = self.qemu_io(cmds + ["aio_flush"])
        done = {int(off) for _, off in WROTE.findall(out)}
        failed = 0
        for i in range(RANGES):
            pat = pattern(self.lun, rnd, i)
            if self.offset(i) in done:
                self.last_acked[i], self.pending[i] = pat, []
                self.run.acked += 1
            else:
                self.pending[i].append(pat)
                failed += 1
        errors = OP_FAILED.findall(out) + FAILED_LBA.findall(err)
        if failed:
            self.run.client_errors.append(f"{self.name} round {rnd}: {failed} write(s) failed: "
                                          f"{sorted(set(OP_FAILED.findall(out)))} lba {FAILED_LBA.findall(err)}")
        elif errors:
            self.run.client_errors.append(f"{self.name} round {rnd}: errors without a failed write: {errors}")
        return failed

    def read_acked(self):
        """read -P of every range whose last write was acknowledged; returns
        (ranges checked, mismatches, failed reads)."""
        want = [i for i in range(RANGES) if not self.pending[i] and self.last_acked[i]]
        if not want:
            return 0, 0, 0
        out, _ = self.qemu_io([f"read -P {self.last_acked[i]} {self.offset(i)} {SPAN}" for i in want])
        bad = {int(o) for o in MISMATCH.findall(out)}
        ok = {int(o) for _, o in READ_OK.findall(out)} - bad
        mism = [i for i in want if self.offset(i) in bad]
        for i in mism:
            print(f"LOST: {self.name} range {i} (offset {self.offset(i)}) does not hold acknowledged "
                  f"pattern {self.last_acked[i]:#x}", flush=True)
        failed_reads = len([i for i in want if self.offset(i) not in ok and self.offset(i) not in bad])
        return len(want), len(mism), failed_reads

    def check_unsettled(self):
        """For ranges whose last write failed: every block holds the last
        acknowledged pattern or one of the failed ones after it. Returns
        the blocks checked; counts blocks holding anything else in
        run.bad_blocks and blocks that could not be read in run.unreadable."""
        todo = {}
        for i in range(RANGES):
            if self.pending[i]:
                for b in range(SPAN // BLOCK):
                    todo[self.offset(i) + b * BLOCK] = [self.last_acked[i]] + self.pending[i]
        checked, lost = len(todo), []
        while todo:
            cmds = [f"read -P {cands[0]} {off} {BLOCK}" for off, cands in todo.items()]
            out, _ = self.qemu_io(cmds)
            mism = {int(o) for o in MISMATCH.findall(out)}
            read = {int(o) for _, o in READ_OK.findall(out)}
            nxt = {}
            for off, cands in todo.items():
                if off in read and off not in mism:
                    continue
                if off not in read:
                    self.run.unreadable += 1
                elif len(cands) == 1:
                    lost.append(off)
                else:
                    nxt[off] = cands[1:]
            todo = nxt
        if lost:
            print(f"LOST: {self.name}: {len(lost)} blocks (first at offset {lost[0]}) hold neither the last "
                  f"acknowledged pattern nor a failed write's", flush=True)
            self.run.bad_blocks += len(lost)
        return checked


class Run(FaultRun):
    def __init__(self, args):
        super().__init__(args)
        self.acked = self.lost = self.hangs = self.bad_blocks = self.unreadable = 0
        self.client_errors = []


def bystander_work(run, client, rounds, result):
    """Writes and verifies its own ranges; records what went wrong."""
    try:
        for rnd in range(1, rounds + 1):
            if client.write_round(rnd):
                result.append(f"round {rnd}: a write failed")
            n, mism, failed = client.read_acked()
            run.lost += mism
            if mism or failed or n != RANGES:
                result.append(f"round {rnd}: {n} ranges read, {mism} mismatched, {failed} reads failed")
    except Hang as e:
        run.hangs += 1
        result.append(str(e))
    except Exception as e:  # anything else ends the bystander: reported, never "untouched"
        result.append(f"{type(e).__name__}: {e}")
    if client.open_failures:  # a port restart drops every login: a clean error, retried
        print(f"bystander: {client.open_failures} opens failed and were retried", flush=True)


def held_delay_s(args):
    """The longest --delay-ms of the row, in seconds: how long a stall or
    delay may hold a write back after clear-faults."""
    opts = args.also.split() + args.inject
    held = [int(opts[k + 1]) for k, o in enumerate(opts[:-1]) if o == "--delay-ms"]
    return max(held, default=0) / 1000


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--stmfadm", required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=int, default=40, help="seconds one qemu-io (or iscsi_pattern phase) may take")
    p.add_argument("--client", default="qemu-io", choices=["qemu-io", "libiscsi"])
    p.add_argument("--iscsi-pattern", default="iscsi_pattern", help="tests/tools/iscsi_pattern (--client libiscsi)")
    p.add_argument("--seconds", type=float, default=2, help="iscsi_pattern's write phase under the fault")
    p.add_argument("--expect", required=True, choices=["error", "done", "either"])
    p.add_argument("--bystander", required=True, choices=["during", "after"])
    p.add_argument("--also", default="", help="another point and its options, armed just before POINT")
    p.add_argument("point")
    p.add_argument("inject", nargs=argparse.REMAINDER, help="more stmfadm inject-fault options")
    args = p.parse_args()
    run = Run(args)
    if args.client == "libiscsi":
        fired = run_libiscsi(run, args, held_delay_s(args))
        run.check(run.lost == 0, f"{run.acked} acknowledged writes, every byte checked, none lost")
        run.print_qualify(args.point, fired, run.acked, run.lost, run.hangs)
        return 0 if run.failures == 0 else 1
    rng = random.Random(args.seed)
    victim = Client(run, "victim", 0, rng.randrange(0, 16) * BLOCK * 8)
    bystander = Client(run, "bystander", 1, rng.randrange(0, 16) * BLOCK * 8)
    t0 = time.monotonic()
    before = run.firings(args.point)
    by_result, by_thread = [], None
    try:
        for c in (victim, bystander):  # round 0: the old data, no fault armed
            run.check(c.write_round(0) == 0, f"{c.name}: round 0 written before the fault", str(run.client_errors))
        run.arm_row(args)
        by_thread = threading.Thread(target=bystander_work, args=(run, bystander, args.rounds, by_result))
        if args.bystander == "during":
            by_thread.start()
        victim_failed = 0
        for rnd in range(1, args.rounds + 1):
            victim_failed += victim.write_round(rnd)
            if args.bystander == "after" and by_thread.ident is None and run.firings(args.point) > before:
                by_thread.start()
            _, mism, _ = victim.read_acked()  # a read may fail under the fault; a mismatch never
            run.lost += mism
        if by_thread.ident is None:
            by_thread.start()  # the point fired late (or never): the bystander still runs
        by_thread.join()
    except Hang as e:
        run.hangs += 1
        run.check(False, "no client hung", str(e))
        victim_failed = -1
        if by_thread is not None and by_thread.ident is not None:
            by_thread.join()  # its qemu-io runs are bounded by the same timeout
    fired = run.firings(args.point) - before if before >= 0 else -1
    cleared = run.adm("clear-faults")
    run.check(cleared.returncode == 0, "clear-faults", cleared.stderr.strip())
    run.check(fired > 0, f"{args.point} fired ({fired} time(s))")
    # After the fault: every range, once more, through a new session, once
    # anything a stall or delay held back has reached the medium: a write
    # that was answered must never land later.
    time.sleep(held_delay_s(args) + 0.5)
    try:
        for c in (victim, bystander):
            n, mism, failed = c.read_acked()
            run.lost += mism
            run.check(failed == 0, f"{c.name}: every settled range read back after clear-faults ({n} ranges)",
                      f"{failed} reads failed")
            blocks = c.check_unsettled()
            if blocks:
                print(f"{c.name}: {blocks} blocks of failed writes hold old or new data", flush=True)
    except Hang as e:
        run.hangs += 1
        run.check(False, "no read-back hung", str(e))
    run.lost += run.bad_blocks
    run.check(run.unreadable == 0, "every block of a failed write could be read after clear-faults",
              f"{run.unreadable} could not")
    run.check(not by_result, "the bystander on the other LU finished untouched", "; ".join(by_result))
    if victim_failed >= 0:
        seen = "error" if victim_failed or victim.open_failures else "done"
        run.check(args.expect in (seen, "either"), f"the victim saw '{args.expect}'",
                  f"saw '{seen}' ({victim_failed} failed writes): {run.client_errors}")
    run.check(run.lost == 0, f"{run.acked} acknowledged writes, every byte checked, none lost")
    print(f"client errors: {run.client_errors or 'none'}; {time.monotonic() - t0:.1f} s", flush=True)
    run.print_qualify(args.point, fired, run.acked, run.lost, run.hangs)
    return 0 if run.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
