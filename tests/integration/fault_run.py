"""What fault_io.py and fault_clients.py share: a run that arms fault points
through stmfadm (the test daemon's admin socket), prints PASS/FAIL lines,
counts failures, and ends with the QUALIFY lines of issue 10 for
scripts/qualify. Standard library only."""

import json
import subprocess


class FaultRun:
    def __init__(self, args):
        self.args = args  # needs args.stmfadm
        self.failures = 0

    def adm(self, *argv):
        return subprocess.run([self.args.stmfadm, *argv], capture_output=True, text=True, timeout=30)

    def check(self, cond, msg, detail=""):
        print(f"{'PASS' if cond else 'FAIL'}: {msg}{'' if cond or not detail else ': ' + detail}", flush=True)
        if not cond:
            self.failures += 1

    def arm_row(self, args):
        """Arms the row's --also point, then its main point (args.point and
        args.inject, seeded with args.seed unless the row sets a seed)."""
        if args.also:
            r = self.adm("inject-fault", *args.also.split())
            self.check(r.returncode == 0, f"stmfadm inject-fault {args.also}", r.stderr.strip())
        seed = [] if "--seed" in args.inject else ["--seed", str(args.seed)]
        r = self.adm("inject-fault", args.point, *args.inject, *seed)
        self.check(r.returncode == 0, f"stmfadm inject-fault {args.point} {' '.join(args.inject)}", r.stderr.strip())

    def firings(self, point):
        """How often POINT fired since the daemon started (-1: no answer)."""
        r = self.adm("--json", "list-faults")
        if r.returncode != 0:
            return -1
        for p in json.loads(r.stdout).get("points", []):
            if p["name"] == point:
                return int(p.get("firings", 0))
        return -1

    def print_qualify(self, point, fired, acked, lost, hangs):
        """The run's figures; its firings count as recoveries only if every check passed."""
        print(f"QUALIFY faults_injected.{point} {max(fired, 0)}")
        print(f"QUALIFY recoveries {max(fired, 0) if self.failures == 0 else 0}")
        print(f"QUALIFY acked_writes_checked {acked}")
        print(f"QUALIFY writes_lost {lost}")
        print(f"QUALIFY hangs {hangs}")
