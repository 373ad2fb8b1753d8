#!/usr/bin/env python3
"""The fault long forms' ledger of firings (issue 10 section 6: "faults
injected by kind, recoveries").

The daemon counts firings per point since it started (`stmfadm list-faults`).
One reading at the end of a long form misses what a daemon counted before it
died and was restarted, and cannot tell which firings came from runs that
passed. So the harness (test_fault_clients.sh, faults_long.sh through
lib.sh's fault_snap / fault_book / print_fault_qualify) reads the counts
before and after every run and books the difference:

  fault_ledger.py snap STMFADM FILE
      the daemon's firings and actions per point, as JSON in FILE; {} when
      the daemon does not answer (dead).
  fault_ledger.py book BEFORE AFTER STATUS LEDGER SPEC [ALSO]
      appends to LEDGER one line "faults_injected.<point>.<action> N" per
      point that fired during the run, the action being the one SPEC or ALSO
      ("POINT [inject-fault options]") armed it with (the point's default,
      its first action, when they name none), and, when STATUS is 0 (every
      check of the run passed), "recoveries N" with the run's firings. With
      no AFTER counts (the daemon died during the run) the run's firings are
      unknown: nothing is booked and a note says so on stderr.
  fault_ledger.py total LEDGER RUN_LINES DAEMON_CRASHES
      the QUALIFY lines for scripts/qualify: the ledger's sums (a
      recoveries line even when 0), acked_writes_checked, writes_lost and
      hangs summed from the runs' own QUALIFY lines in RUN_LINES (their
      faults_injected and recoveries lines are the ledger's business and
      are ignored), and daemon_crashes DAEMON_CRASHES.
Standard library only.
"""

import json
import subprocess
import sys


def snap(stmfadm, path):
    counts = {}
    try:
        r = subprocess.run([stmfadm, "--json", "list-faults"], capture_output=True, text=True, timeout=30)
        if r.returncode == 0:
            for p in json.loads(r.stdout).get("points", []):
                counts[p["name"]] = {"firings": int(p.get("firings", 0)), "actions": list(p.get("actions", []))}
    except (OSError, ValueError, subprocess.TimeoutExpired):
        counts = {}
    with open(path, "w") as f:
        json.dump(counts, f)


def armed_actions(specs):
    """{point: action} from "POINT [--action A | -a A] ..." strings (empty ones skipped)."""
    out = {}
    for spec in specs:
        words = spec.split()
        if not words:
            continue
        action = None
        for i, w in enumerate(words[1:], 1):
            if w in ("--action", "-a") and i + 1 < len(words):
                action = words[i + 1]
            elif w.startswith("--action="):
                action = w.split("=", 1)[1]
        out[words[0]] = action
    return out


def book(before_path, after_path, status, ledger, specs):
    before = json.load(open(before_path))
    after = json.load(open(after_path))
    if not after:
        print("fault_ledger: the daemon did not answer after the run; its firings are not booked", file=sys.stderr)
        return
    armed = armed_actions(specs)
    lines, fired = [], 0
    for point, now in sorted(after.items()):
        then = before.get(point, {}).get("firings", 0)
        # A daemon restarted during the run counts from 0 again.
        delta = now["firings"] - then if now["firings"] >= then else now["firings"]
        if delta <= 0:
            continue
        action = armed.get(point) or (now["actions"][0] if now["actions"] else "default")
        lines.append(f"faults_injected.{point}.{action} {delta}")
        fired += delta
    if status == 0 and fired:
        lines.append(f"recoveries {fired}")
    with open(ledger, "a") as f:
        f.writelines(line + "\n" for line in lines)


def total(ledger, run_lines, crashes):
    sums = {"recoveries": 0}
    for line in open(ledger):
        key, n = line.split()
        sums[key] = sums.get(key, 0) + int(n)
    for key in sorted(k for k in sums if k.startswith("faults_injected.")):
        print(f"QUALIFY {key} {sums[key]}")
    print(f"QUALIFY recoveries {sums['recoveries']}")
    runs = {}
    for line in open(run_lines):
        parts = line.split()
        if len(parts) == 3 and parts[0] == "QUALIFY":
            runs[parts[1]] = runs.get(parts[1], 0) + int(parts[2])
    for key in ("acked_writes_checked", "writes_lost", "hangs"):
        print(f"QUALIFY {key} {runs.get(key, 0)}")
    print(f"QUALIFY daemon_crashes {int(crashes)}")


def main(argv):
    if len(argv) == 4 and argv[1] == "snap":
        snap(argv[2], argv[3])
    elif len(argv) >= 7 and argv[1] == "book":
        book(argv[2], argv[3], int(argv[4]), argv[5], argv[6:])
    elif len(argv) == 5 and argv[1] == "total":
        total(argv[2], argv[3], argv[4])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
