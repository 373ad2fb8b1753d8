#!/usr/bin/env bash
# Short form of the kill -9 durability test (issue 10 section 3): for each
# mode (write cache off; on with FUA; on with SYNCHRONIZE CACHE) and each
# provisioning (thin file, thick file, loop device), a few rounds of
# concurrent writes from six sessions, SIGKILL at a seeded random moment,
# restart, and a check of every block (tests/integration/durability_iscsi.py
# states the rule). The long form is scripts/durability.
# usage: test_durability.sh <path-to-stmfd> [kills per combination] [seed]
# (default 1 kill per combination, 3 for the first: 11 kills; the rounds of
# one combination share a backing store, so the later verifies also check
# the blocks the earlier rounds made durable).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $PEER == stmfd ]] || { pass "kill -9 rounds need stmfd's own start-up (skipped for $PEER)"; exit 0; }
source "$IT_DIR/durability_lib.sh"
trap 'durability_cleanup; on_exit' EXIT

KILLS=${2:-${DURABILITY_KILLS:-1}}
SEED=${3:-${DURABILITY_SEED:-10}}
LU_BACKING=file
n=0
for combo in wt:thin:512 fua:thick:4096 sync:thin:4096 wt:thick:512 fua:block:512 sync:block:4096 \
             wt:block:4096 fua:thin:512 sync:thick:512; do
  IFS=: read -r mode prov block <<< "$combo"
  n=$((n + 1))
  log "--- $mode, $prov, ${block}-byte blocks"
  k=$KILLS
  (( n == 1 )) && k=$((KILLS + 2))  # one combination also checks blocks across several restarts
  durability_run "$mode" "$prov" "$block" "$k" $((SEED + n))
done
# The last combination was file backed: prove the check sees a lost write.
durability_canary "$mode" "$prov" "$block"
echo "QUALIFY kills.data $DUR_KILLS"
echo "QUALIFY acked_writes_checked $DUR_CHECKED"
echo "QUALIFY writes_lost $DUR_LOST"
log "$DUR_KILLS kills: $DUR_CHECKED acknowledged writes checked, $DUR_LOST lost"
(( DUR_CHECKED > 0 )) || fail "no acknowledged write was checked"
(( DUR_LOST == 0 && DUR_FAILED_ROUNDS == 0 )) ||
  fail "$DUR_LOST acknowledged write(s) lost, $DUR_FAILED_ROUNDS round(s) with bad blocks"
pass "$DUR_KILLS kills, $DUR_CHECKED acknowledged writes read back byte for byte"
