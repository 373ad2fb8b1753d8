#!/usr/bin/env bash
# The long form of the fault-injection tests (issue 10 section 6): every row
# of fault_scenarios.txt, ITERATIONS times with a new seed each time and
# ROUNDS write/read-back rounds per session, then MIXED runs in which faults
# fire at random (seeded) on several points at once: LU crashes, backing
# EIO, socket resets. One daemon serves everything; it must never die.
# Not part of scripts/test (scripts/faults-long runs it; scripts/qualify
# sums its QUALIFY lines). Prints the per-scenario outcome and, at the end,
#   QUALIFY faults_injected.<point>.<action> N   (booked run by run:
#           fault_ledger.py; a restarted daemon's earlier firings count)
#   QUALIFY recoveries N (firings in runs that passed), acked_writes_checked N,
#   QUALIFY writes_lost N, hangs N, daemon_crashes N
# usage: faults_long.sh STMFD_BIN   (env: ITERATIONS=5 ROUNDS=200 MIXED=10)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
ITERATIONS=${ITERATIONS:-5}
ROUNDS=${ROUNDS:-200}
MIXED=${MIXED:-10}
LU_BACKING=file

start_target
wait_admin "$STMFADM"
IO=(python3 "$IT_DIR/fault_io.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --block "$LU_BLOCK"
    --stmfadm "$STMFADM" --rounds "$ROUNDS")
mapfile -t SCENARIOS < <(grep -v '^#' "$IT_DIR/fault_scenarios.txt")
MIXES=(
  "ua|lu_execute|--action crash --percent 2 --times 0|io_file --action eio --percent 1 --times 0"
  "drop|conn_socket|--action reset --percent 2 --times 0|lu_io_done --action crash --percent 2 --times 0"
  "none|io_file|--action stall --delay-ms 50 --percent 10 --times 0|lu_execute --action delay --delay-ms 50 --percent 10 --times 0"
)
failed=0 crashes=0 runs=0
: > "$WORK/qualify"
: > "$WORK/ledger"
run_one() {  # seed expect point opts also
  local seed=$1 expect=$2 point=$3 opts=$4 also=$5 rc=0 out="$WORK/run.out"
  runs=$((runs + 1))
  fault_snap "$STMFADM" "$WORK/before.json"
  # shellcheck disable=SC2086
  timeout 600 "${IO[@]}" --seed "$seed" --expect "$expect" --also "$also" "$point" $opts > "$out" 2>&1 || rc=$?
  "$STMFADM" clear-faults > /dev/null 2>&1 || true
  fault_snap "$STMFADM" "$WORK/after.json"
  fault_book "$WORK/before.json" "$WORK/after.json" "$rc" "$WORK/ledger" "$point $opts" "$also"
  grep '^QUALIFY' "$out" >> "$WORK/qualify" || true
  (( rc == 124 )) && echo "QUALIFY hangs 1" >> "$WORK/qualify"  # fault_io.py itself ran out of time
  if (( rc != 0 )); then
    failed=$((failed + 1))
    log "FAILED: seed $seed $point $opts ${also:+(and $also)}"
    sed 's/^/    /' "$out"
  else
    log "ok: seed $seed $point $opts ${also:+(and $also)}: $(grep -o '[0-9]* acknowledged block reads checked' "$out")"
  fi
  if ! daemon_alive; then
    crashes=$((crashes + 1))
    log "the daemon died; restarting it"
    DAEMON_PID=""
    start_target
  fi
}
for ((i = 1; i <= ITERATIONS; i++)); do
  for row in "${SCENARIOS[@]}"; do
    IFS='|' read -r expect point opts also <<< "$row"
    run_one "$((i * 100 + runs))" "$expect" "$point" "$opts" "$also"
  done
done
for ((i = 1; i <= MIXED; i++)); do
  row=${MIXES[$(( (i - 1) % ${#MIXES[@]} ))]}
  IFS='|' read -r expect point opts also <<< "$row"
  run_one "$((i * 7919))" "$expect" "$point" "$opts" "$also"
done
print_fault_qualify "$WORK/ledger" "$WORK/qualify" "$crashes"
require_alive "at the end"
(( failed == 0 )) || fail "$failed of $runs runs failed"
pass "$runs runs, no failure"
