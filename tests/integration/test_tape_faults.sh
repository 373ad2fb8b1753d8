#!/usr/bin/env bash
# A tape drive LU under faults (issue 10 section 2): tape_faults_iscsi.py
# appends blocks and filemarks while, one scenario at a time, the drive's
# LU dies with a WRITE(6) or WRITE FILEMARKS in the kernel, the backing
# write fails with EIO, or the session dies mid-write; after each the
# initiator's answers and position are checked, and every record that got
# GOOD reads back in order from BOT. Then kill -9, restart, and the same
# read-back once more. Points are armed through stmfadm on the admin socket.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "the tape LU is stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"

write_config() { write_tape_config 67108864 FAULT1L6; }

TAPE=(python3 "$IT_DIR/tape_faults_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN"
      --stmfadm "$STMFADM" --state "$WORK/tape-state.json")
start_target
wait_admin "$STMFADM"
rc=0
timeout 120 "${TAPE[@]}" run > "$WORK/run.out" 2>&1 || rc=$?
sed 's/^/    /' "$WORK/run.out"
(( rc == 0 )) || fail "tape fault scenarios failed"
require_alive "after the tape fault scenarios"
grep -q "fault injected: lu.io_submitted" "$DAEMON_LOG" || fail "the daemon log shows no LU crash"

log "kill -9 of the daemon (pid $DAEMON_PID), then a restart"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
start_target
rc=0
timeout 60 "${TAPE[@]}" verify > "$WORK/verify.out" 2>&1 || rc=$?
sed 's/^/    /' "$WORK/verify.out"
(( rc == 0 )) || fail "the cartridge does not hold what was acknowledged after kill -9"
pass "tape under faults: LU crash with a write in the kernel, EIO, session crash; every acknowledged record read back"
