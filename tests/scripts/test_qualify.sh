#!/usr/bin/env bash
# scripts/qualify's table and verdict (docs/qualification.md), against fake
# long forms that print QUALIFY lines: a complete long form that reaches
# every minimum passes; a lost write, a row nobody reported, a minimum not
# reached, a failing script and a script past --timeout each fail it, with
# the row marked; --quick does not check the minimums. Then the fault long
# forms' ledger of firings (fault_ledger.py). Takes a few seconds.
#   usage: test_qualify.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
harnesses=$(find "$root/tests/fuzz" -maxdepth 1 -name 'fuzz_*.cpp' | wc -l)

# fake NAME [EXIT [SLEEP]] < QUALIFY lines: an executable long form.
fake() {
  local f="$work/$1"
  { echo '#!/usr/bin/env bash'; echo "sleep ${3:-0}"; sed 's/^/echo /'; echo "exit ${2:-0}"; } > "$f"
  chmod +x "$f"
}
# expect STATUS PATTERN DESCRIPTION QUALIFY-ARGS...: runs scripts/qualify,
# checks its exit status and that its output matches PATTERN (grep -E).
expect() {
  local want=$1 pattern=$2 what=$3 rc=0
  shift 3
  python3 "$root/scripts/qualify" "$@" > "$work/out" 2>&1 || rc=$?
  if (( rc != want )) || ! grep -Eq "$pattern" "$work/out"; then
    echo "FAIL: $what (status $rc, wanted $want; /$pattern/ $(grep -Ec "$pattern" "$work/out") times)"
    sed 's/^/    /' "$work/out"
    failures=$((failures + 1))
  else
    echo "PASS: $what"
  fi
}

fake durability <<'Q'
QUALIFY kills.data 56
QUALIFY kills.config 50
QUALIFY kills.aptpl 50
QUALIFY kills.tape 50
QUALIFY acked_writes_checked 1000
QUALIFY writes_lost 0
Q
fake faults <<'Q'
QUALIFY faults_injected.lu_execute.crash 5
QUALIFY faults_injected.io_file.eio 2
QUALIFY recoveries 7
QUALIFY acked_writes_checked 24
QUALIFY writes_lost 0
QUALIFY hangs 0
QUALIFY daemon_crashes 0
Q
fake fuzz <<Q
QUALIFY fuzz_execs 5000
QUALIFY fuzz_crashes 0
QUALIFY fuzz_harnesses $harnesses
Q
fake load <<'Q'
QUALIFY sessions_held 256
QUALIFY peak_rss_kib 2048
QUALIFY ios_verified 300
QUALIFY storm_logins 1000
QUALIFY load_errors 0
QUALIFY hangs 0
QUALIFY daemon_crashes 0
Q
good=("$work/durability" "$work/faults" "$work/fuzz" "$work/load")
expect 0 '^acknowledged writes checked +1024 ' "a complete long form qualifies; counts are summed" "${good[@]}"
expect 0 '^sessions held at once +256 +>= 256' "the minimums are shown" "${good[@]}"
expect 0 '^faults injected: io_file eio +2 ' "a row per fault kind (point and action)" "${good[@]}"
expect 0 '^faults injected \(all kinds\) +7 ' "the fault kinds are summed" "${good[@]}"

fake lost <<< 'QUALIFY writes_lost 1'
expect 1 '^writes lost +1 +VIOLATED' "a lost write fails it" "${good[@]}" "$work/lost"
expect 1 '^hangs +not run +NOT RUN' "a row nobody reported fails it" "$work/durability" "$work/fuzz"
fake few <<< 'QUALIFY kills.tape 49'
sed -i 's/kills.tape 50/kills.tape 0/' "$work/durability"
expect 1 '^kills.tape +49 +TOO FEW' "49 tape kills are below the minimum" "${good[@]}" "$work/few"
expect 0 'quick form: the long form.s minimums were not checked' "--quick checks no minimum" --quick "${good[@]}" \
  "$work/few"
sed -i 's/kills.tape 0/kills.tape 50/' "$work/durability"
fake broken 3 <<< 'QUALIFY writes_lost 0'
expect 1 '1 failed: .*broken' "a failing script fails it" "${good[@]}" "$work/broken"
fake slow 0 30 <<< 'QUALIFY writes_lost 0'
expect 1 '^hangs +1 +VIOLATED' "a script past --timeout is a hang" --timeout 1 "${good[@]}" "$work/slow"

# The fault long forms' ledger (tests/integration/fault_ledger.py): firings
# booked run by run through a fake stmfadm add up across a daemon restart,
# by the action each run armed, and count as recoveries only for runs that
# passed; a dead daemon's run books nothing.
ledger=$work/ledger runs=$work/runs
: > "$ledger"
printf 'QUALIFY acked_writes_checked 10\nQUALIFY recoveries 99\nQUALIFY faults_injected.x 99\nQUALIFY writes_lost 0\n' > "$runs"
printf '#!/usr/bin/env bash\ncat "%s"\n' "$work/list.json" > "$work/stmfadm"
chmod +x "$work/stmfadm"
snap() {  # snap OUT LU_EXECUTE IO_FILE: list-faults answers with these firings
  printf '{"points": [{"name": "lu_execute", "actions": ["crash", "delay"], "firings": "%s"},
    {"name": "io_file", "actions": ["eio", "stall"], "firings": "%s"}]}' "$2" "$3" > "$work/list.json"
  python3 "$root/tests/integration/fault_ledger.py" snap "$work/stmfadm" "$1"
}
book() { python3 "$root/tests/integration/fault_ledger.py" book "$@"; }
snap "$work/b" 0 0; snap "$work/a" 3 1
book "$work/b" "$work/a" 0 "$ledger" "lu_execute --action crash" "io_file --action stall --delay-ms 9"
snap "$work/b" 3 1; snap "$work/a" 5 1
book "$work/b" "$work/a" 1 "$ledger" "lu_execute --action delay"   # failed: no recoveries
snap "$work/b" 5 1; snap "$work/a" 2 0                             # restarted during the run
book "$work/b" "$work/a" 0 "$ledger" "lu_execute"                  # the point's default action
printf '#!/usr/bin/env bash\nexit 1\n' > "$work/stmfadm"
snap "$work/b" 0 0; snap "$work/a" 0 0                             # dead: nothing booked
book "$work/b" "$work/a" 0 "$ledger" "lu_execute --action crash" 2> /dev/null
python3 "$root/tests/integration/fault_ledger.py" total "$ledger" "$runs" 0 > "$work/total"
want='QUALIFY faults_injected.io_file.stall 1
QUALIFY faults_injected.lu_execute.crash 5
QUALIFY faults_injected.lu_execute.delay 2
QUALIFY recoveries 6
QUALIFY acked_writes_checked 10
QUALIFY writes_lost 0
QUALIFY hangs 0
QUALIFY daemon_crashes 0'
if [[ $(cat "$work/total") == "$want" ]]; then
  echo "PASS: the fault ledger sums firings by kind across a restart, recoveries only from passing runs"
else
  echo "FAIL: fault ledger totals:"; sed 's/^/    /' "$work/total"; failures=$((failures + 1))
fi

(( failures == 0 )) || { echo "FAIL [test_qualify]: $failures check(s) failed"; exit 1; }
echo "PASS [test_qualify]"
