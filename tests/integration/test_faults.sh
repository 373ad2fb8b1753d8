#!/usr/bin/env bash
# Actor-level fault injection seen from a real connection: the daemon runs
# with STMFD_FAULTS arming one injection point, and raw_iscsi.py checks what
# the initiator sees (architecture.md, "Supervision and failed-operation
# recovery"): a failed session drops only its own connection, a failed task
# fails only its command, a failed LU fails its in-flight command, comes
# back, and reports POWER ON / RESET once; task management with a command
# held at a slow backing store completes only once it stopped, and its data
# never reaches the medium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "fault injection is stmfd's own (skipped for $PEER)"; exit 0; }
LU_BACKING=file  # the LU fault needs an I/O in flight, which RAM never has

RAW=(python3 "$IT_DIR/raw_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --block "$LU_BLOCK")
failed=()
first=1
for pair in "session_pdu=1:fault_session" "task_start=1:fault_task" "lu_io_done=1:fault_lu" \
            "lu_io_stall=1:tmf_inflight"; do
  export STMFD_FAULTS=${pair%%:*}
  scenario=${pair#*:}
  if (( first )); then start_target; first=0; else restart_target; fi
  log "--- $scenario with STMFD_FAULTS=$STMFD_FAULTS"
  rc=0
  timeout 25 "${RAW[@]}" "$scenario" > "$WORK/$scenario.out" 2>&1 || rc=$?
  sed 's/^/    /' "$WORK/$scenario.out"
  (( rc == 0 )) || failed+=("$scenario")
  require_alive "after $scenario"
done
grep -q "fault injected" "$DAEMON_LOG" || fail "the daemon log shows no injected fault"
(( ${#failed[@]} == 0 )) || fail "fault scenarios failed: ${failed[*]}"
pass "session, task and LU failures look to the initiator as architecture.md says"
