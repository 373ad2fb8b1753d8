#!/usr/bin/env bash
# Fault injection seen from real connections (issue 10 sections 1-2;
# architecture.md "Supervision and failed-operation recovery"). Points are
# armed through `stmfadm inject-fault` on the admin Unix socket (never the
# environment).
# 1. raw_iscsi.py checks the exact answers: a failed session drops only its
#    own connection, a failed task fails only its command, a failed LU fails
#    its in-flight command, comes back and reports POWER ON / RESET once; task
#    management with a command held at a slow backing store completes only
#    once it stopped, and its data never reaches the medium.
# 2. fault_io.py runs two verifying sessions (write a pattern, read it back,
#    every byte checked) while each row of the failure table fires: they see
#    what the table says, retry, and finish; nothing acknowledged is lost.
# 3. The admin side: an admin call that fails leaves the daemon serving;
#    bad arming is refused with a clear error.
# The daemon is alive after every scenario.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "fault injection is stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
LU_BACKING=file  # the LU faults need I/O in flight, which RAM never has

adm() { "$STMFADM" "$@"; }

RAW=(python3 "$IT_DIR/raw_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --block "$LU_BLOCK")
failed=()
first=1
for pair in "session_pdu:fault_session" "task_start:fault_task" "lu_io_done:fault_lu" "lu_io_stall:tmf_inflight"; do
  point=${pair%%:*}
  scenario=${pair#*:}
  if (( first )); then start_target; first=0; else restart_target; fi
  wait_admin "$STMFADM"
  adm inject-fault "$point" > /dev/null || fail "inject-fault $point"
  log "--- $scenario with $point armed"
  rc=0
  timeout 25 "${RAW[@]}" "$scenario" > "$WORK/$scenario.out" 2>&1 || rc=$?
  sed 's/^/    /' "$WORK/$scenario.out"
  (( rc == 0 )) || failed+=("$scenario")
  require_alive "after $scenario"
done
grep -q "fault injected" "$DAEMON_LOG" || fail "the daemon log shows no injected fault"
(( ${#failed[@]} == 0 )) || fail "fault scenarios failed: ${failed[*]}"
log "ok: session, task and LU failures look to the initiator as architecture.md says"

# 2. Verifying I/O while each kind of fault fires (fault_scenarios.txt).
IO=(python3 "$IT_DIR/fault_io.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --block "$LU_BLOCK"
    --stmfadm "$STMFADM" --rounds "${FAULT_ROUNDS:-24}")
mapfile -t SCENARIOS < <(grep -v '^#' "$IT_DIR/fault_scenarios.txt")
restart_target
wait_admin "$STMFADM"
io_failed=()
n=0
for row in "${SCENARIOS[@]}"; do
  IFS='|' read -r expect point opts pre <<< "$row"
  n=$((n + 1))
  log "--- I/O with $point $opts${pre:+ (and $pre)}: expect $expect"
  rc=0
  # shellcheck disable=SC2086
  timeout 120 "${IO[@]}" --seed "$n" --expect "$expect" --also "$pre" "$point" $opts > "$WORK/io$n.out" 2>&1 || rc=$?
  adm clear-faults > /dev/null || fail "clear-faults"
  sed 's/^/    /' "$WORK/io$n.out"
  (( rc == 0 )) || io_failed+=("$point $opts")
  require_alive "after $point $opts"
done
(( ${#io_failed[@]} == 0 )) || fail "I/O fault scenarios failed: ${io_failed[*]}"
log "ok: ${#SCENARIOS[@]} I/O scenarios: retryable answers, every acknowledged byte read back"

# 3. Admin side.
adm inject-fault admin_call --action crash > /dev/null || fail "inject-fault admin_call"
if out=$(adm online-lu disk0 2>&1); then fail "an admin call with admin_call armed succeeded: $out"; fi
log "ok: the faulted admin call failed: $out"
adm online-lu disk0 > /dev/null || fail "the next admin call failed"
out=$(adm inject-fault no_such_point 2>&1) && fail "an unknown point was armed"
log "ok: unknown point refused: $out"
out=$(adm inject-fault lu_execute --action eio 2>&1) && fail "lu_execute armed with eio"
log "ok: unsupported action refused: $out"
adm list-faults > "$WORK/list.txt" || fail "list-faults"
grep -q "^lu_execute *crash,delay *- " "$WORK/list.txt" || fail "list-faults: $(cat "$WORK/list.txt")"
require_alive "at the end"
pass "faults through the admin socket: what the initiator sees matches the failure table, nothing acknowledged lost"
