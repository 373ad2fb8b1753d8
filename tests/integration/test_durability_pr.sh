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
STATE_KIND=aptpl
state_rounds "$KILLS" "${PR[@]}"
state_qualify
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
pass "$KILLS kills: every acknowledged registration and reservation survived ($STATE_CHECKED checks)"
