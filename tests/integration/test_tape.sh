#!/usr/bin/env bash
# A standalone tape drive LU (provider "ssc") over iSCSI: iscsi-inq sees a
# removable sequential-access device; tape_iscsi.py writes blocks and
# filemarks, the daemon is killed with SIGKILL and started again, and
# everything reported written reads back (issue 8, docs/tape-format.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "the tape LU is stmfd's own (skipped for $PEER)"; exit 0; }

# The config: one tape drive at LUN 0 with a cartridge under dataDir.
write_config() { write_tape_config 16777216 ITEST1L6; }

start_target
inq=$(iscsi-inq "$(lun_url)") || fail "iscsi-inq failed"
grep -q "Peripheral Device Type:SEQUENTIAL_ACCESS" <<< "$inq" || fail "not a sequential-access device: $inq"
grep -q "Removable:1" <<< "$inq" || fail "not removable: $inq"
pages=$(iscsi-inq -e 1 "$(lun_url)") || fail "iscsi-inq -e 1 failed"
grep -q "0x83" <<< "$pages" || fail "no Device Identification VPD page: $pages"
[[ -s "$WORK/tape0.cart" ]] || fail "the cartridge file was not created"

TAPE=(python3 "$IT_DIR/tape_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN")
timeout 40 "${TAPE[@]}" write | sed 's/^/    /'
(( PIPESTATUS[0] == 0 )) || fail "writing the tape failed"

log "kill -9 of the daemon (pid $DAEMON_PID), then a restart"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
start_target
timeout 40 "${TAPE[@]}" verify | sed 's/^/    /'
(( PIPESTATUS[0] == 0 )) || fail "the cartridge does not hold what was written before kill -9"
pass "tape LU: inquiry, write, kill -9, restart, read back"
