#!/usr/bin/env bash
# Persisted state across kill -9 (issue 10 section 3): persistent
# reservations with APTPL. Four initiators keep re-registering (APTPL=1)
# and one holds a reservation; the daemon is killed at a seeded random
# moment and restarted; every registration and the reservation that got
# GOOD must be there (tests/integration/aptpl_iscsi.py states the rule).
# A canary at the end removes the saved state and the check must fail.
# usage: test_durability_pr.sh <path-to-stmfd> [kills] [seed]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $PEER == stmfd ]] || { pass "kill -9 rounds need stmfd's own start-up (skipped for $PEER)"; exit 0; }
source "$IT_DIR/durability_lib.sh"

KILLS=${2:-${DURABILITY_KILLS:-3}}
RANDOM=${3:-${DURABILITY_SEED:-20}}
LU_BACKING=file
journal="$WORK/pr.jsonl" out="$WORK/pr.out"
PR=(python3 "$IT_DIR/aptpl_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --journal "$journal")
checked=0
for ((r = 1; r <= KILLS; r++)); do
  start_target
  rm -f "$WORK/ready"
  "${PR[@]}" write --round "$r" --seed "$RANDOM" --ready "$WORK/ready" > "$out" 2>&1 &
  writer=$!
  deadline=$((SECONDS + 20))
  until [[ -e $WORK/ready ]] || ! kill -0 "$writer" 2>/dev/null || (( SECONDS >= deadline )); do sleep 0.05; done
  [[ -e $WORK/ready ]] || { cat "$out"; fail "round $r: the initiators never logged in"; }
  ms=$((200 + RANDOM % 1300))
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  require_alive "round $r before the kill"
  durability_kill
  rc=0
  wait "$writer" || rc=$?
  sed 's/^/    /' "$out"
  (( rc == 0 )) || fail "round $r: the writer failed (status $rc)"
  start_target
  rc=0
  timeout 60 "${PR[@]}" verify > "$out" 2>&1 || rc=$?
  sed 's/^/    /' "$out"
  (( rc == 0 )) || fail "round $r: acknowledged reservation state lost after kill -9"
  n=$(awk '/^CHECKED/ {print $2}' "$out")
  checked=$((checked + n))
  stop_target || fail "round $r: the daemon did not stop cleanly"
done
(( checked > 0 )) || fail "nothing was acknowledged, so nothing was checked"
# The check's own proof that it can fail: without the saved state the
# registrations are gone and the verify must say so.
state=$(find "$WORK" -name '*.pr' | head -n 1)
[[ -n $state ]] || fail "no reservation state file under $WORK"
rm -f "$state"
start_target
rc=0
timeout 60 "${PR[@]}" verify > "$out" 2>&1 || rc=$?
sed 's/^/    [canary] /' "$out"
stop_target || fail "canary: the daemon did not stop cleanly"
(( rc == 1 )) || fail "canary: the verify did not notice the removed reservation state (status $rc)"
pass "$KILLS kills: $checked acknowledged registrations/reservations survived"
