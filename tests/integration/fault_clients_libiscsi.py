"""The libiscsi client kind of fault_clients.py (issue 10 section 2):
tests/tools/iscsi_pattern, a libiscsi initiator with QD commands in flight
that writes self-describing blocks (LBA, write id, seed) of mixed sizes
over overlapping ranges, retries what an initiator retries (BUSY, TASK SET
FULL, UNIT ATTENTION, NOT READY 04/01, commands cut off by a dropped
connection; libiscsi reconnects by itself), and reads every block back
through a new session, judging each against its ledger: the last write
that got GOOD, or a failed write issued after it (old or new data).

The victim (LUN 0) prefills its area with the fault disarmed, then
(iscsi_pattern --hold) waits while the row's points are armed, writes for
--seconds under the fault, waits again while the faults are cleared and any
stall has drained, then verifies. The bystander (LUN 1, another session and
initiator) runs prefill, write and verify in one go, during the fault or
once the point fired (as for qemu-io; or 1 s into the fault if it has
not: port_iscsi fires on a new connection, the bystander's login); it must
see no failed command and lose nothing. Every process is bounded: iscsi_pattern itself turns a
command with no answer past its phase's bound into a hang (exit 3), and
each wait here has a timeout of its own.
Standard library only."""

import queue
import subprocess
import threading
import time

AREA_BLOCKS = 4096  # 2 MiB of 512-byte blocks per client
QD = 8


class PatternClient:
    """One iscsi_pattern process; its output is echoed indented (its
    QUALIFY lines are summed by the caller, not passed through)."""

    def __init__(self, run, name, lun, seed, hold):
        a = run.args
        self.name, self.hold = name, hold
        self.lines, self.q, self.summary = [], queue.Queue(), {}
        self.qualify = {}
        bound = 4 * a.timeout + int(a.seconds) + 30  # three phases, their bounds, the hold waits
        cmd = ["timeout", str(bound), a.iscsi_pattern, "--url", f"iscsi://{a.host}:{a.port}/{a.target}/{lun}",
               "--initiator", f"iqn.2026-11.org.stmfd:pattern-{name}", "--seed", str(seed),
               "--area-blocks", str(AREA_BLOCKS), "--qd", str(QD), "--seconds", str(a.seconds),
               "--phase-timeout", str(a.timeout)]
        if hold:
            cmd += ["--hold", str(bound)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            print(f"    {self.name}: {line}", flush=True)
            self.lines.append(line)
            if line.startswith("SUMMARY "):
                f = line.split()[1:]
                self.summary = {f[i]: int(f[i + 1]) for i in range(0, len(f) - 1, 2)}
            elif line.startswith("QUALIFY "):
                _, key, n = line.split()
                self.qualify[key] = int(n)
            self.q.put(line)
        self.q.put(None)

    def wait_phase(self, phase, timeout, poll=None):
        """Waits for "PHASE <phase> done", calling POLL every 0.2 s; False
        if the process ended or TIMEOUT passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.q.get(timeout=0.2)
            except queue.Empty:
                line = ""
            if line is None:
                return False
            if line == f"PHASE {phase} done":
                return True
            if poll:
                poll()
        return False

    def go(self):
        try:
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # it ended: finish() reports how

    def finish(self, timeout):
        """Its exit status, once its output is read (SUMMARY, QUALIFY); 124
        (as timeout(1)) if it had to be killed."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = 124
        self.reader.join(timeout=10)
        return rc


def run_libiscsi(run, args, held_s):
    """The row with iscsi_pattern clients; fills run.acked, run.lost, run.hangs."""
    t0 = time.monotonic()
    before = run.firings(args.point)
    victim = PatternClient(run, "victim", 0, args.seed, hold=True)
    bystander = None

    def start_bystander():
        nonlocal bystander
        if bystander is None:
            bystander = PatternClient(run, "bystander", 1, args.seed + 1000, hold=False)

    prefilled = victim.wait_phase("prefill", args.timeout + 30)
    run.check(prefilled, "victim: prefill written before the fault (every write GOOD)")
    if prefilled:
        run.arm_row(args)
        if args.bystander == "during":
            start_bystander()
        victim.go()

        go_at = time.monotonic()

        def bystander_after():
            # Once the point fired; or after 1 s if it has not: a point that
            # fires on a new connection (port_iscsi) needs the bystander's login.
            if args.bystander == "after" and (run.firings(args.point) > before or time.monotonic() > go_at + 1):
                start_bystander()

        wrote = victim.wait_phase("write", args.seconds + 2 * args.timeout + 30, bystander_after)
        run.check(wrote, "victim: the write phase ended (every command answered or given up in time)")
    fired = run.firings(args.point) - before if before >= 0 else -1
    start_bystander()  # the point fired late (or never): the bystander still runs
    cleared = run.adm("clear-faults")
    run.check(cleared.returncode == 0, "clear-faults", cleared.stderr.strip())
    run.check(fired > 0, f"{args.point} fired ({fired} time(s))")
    # A write held back by a stall lands before the verify session reads.
    time.sleep(held_s + 0.5)
    victim.go()
    bound = 2 * args.timeout + int(args.seconds) + 60
    rc_v, rc_b = victim.finish(bound), bystander.finish(bound)
    for c, rc in ((victim, rc_v), (bystander, rc_b)):
        run.acked += c.qualify.get("acked_writes_checked", 0)
        run.lost += c.qualify.get("writes_lost", 0)
        if rc in (3, 124):
            run.hangs += 1
        run.check(rc not in (3, 124), f"{c.name}: no command hung (exit {rc})")
        run.check(rc != 1, f"{c.name}: every acknowledged write read back byte for byte",
                  f"{c.summary.get('lost', '?')} writes lost, {c.summary.get('corrupt', '?')} blocks corrupt, "
                  f"{c.summary.get('unreadable', '?')} unreadable")
        run.check(c.summary.get("verified") == 1, f"{c.name}: verified (exit {rc})")
    by_failed = bystander.summary.get("failed_attempts", -1)
    run.check(rc_b == 0 and by_failed == 0, "the bystander on the other LU finished untouched",
              f"exit {rc_b}, {by_failed} failed commands")
    run.check(rc_v != 4, "victim: no write kept failing past its bound (exit 4: gave up)")
    if victim.summary:
        # An error is a failure the client did not retry (a UNIT ATTENTION
        # after a reconnect or an LU restart is retried, as initiators do).
        failed = victim.summary.get("failed_attempts", 0) - victim.summary.get("retried", 0)
        seen = "error" if failed else "done"
        run.check(args.expect in (seen, "either"), f"the victim saw '{args.expect}'",
                  f"saw '{seen}' ({failed} failed commands not retried, "
                  f"{victim.summary.get('reconnects', 0)} reconnects)")
    print(f"libiscsi row: {time.monotonic() - t0:.1f} s", flush=True)
    return fired
