#!/usr/bin/env bash
# iSCSI protocol edge cases that libiscsi cannot produce, driven by the raw
# initiator raw_iscsi.py (RFC 7143): garbage before login, CRC32C digests
# (good and bad; digest_iscsi.py: a bad data digest on Data-Out, unsolicited
# data and immediate data, RFC 7143 7.8), unknown opcodes and SNACK at ERL 0, session
# reinstatement, NOP-In pings and their timeout, oversized data segments,
# out-of-window CmdSN, SendTargets + Logout, task management, a RESERVE(6)
# released by the time its holder's Logout Response arrives.
# One daemon serves every scenario; it must survive each of them.
# usage: test_protocol.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"

LU_BACKING=ram
LU_BLOCK=512
LU_SIZE=$((16 << 20))
NOP_IN_INTERVAL=1
NOP_IN_TIMEOUT=2

# lib.sh's write_config has no nopInTimeout knob: wrap it and add the key.
eval "$(declare -f write_config | sed '1s/^write_config/lib_write_config/')"
write_config() {
  lib_write_config
  python3 - "$CONFIG_PATH" "$NOP_IN_TIMEOUT" <<'EOF' || fail "could not add nopInTimeout to the config"
import json, sys
path, timeout = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    cfg = json.load(f)
cfg["iscsi"]["nopInTimeout"] = timeout
with open(path, "w") as f:
    json.dump(cfg, f, indent=2)
EOF
}

[[ $PEER == stmfd ]] || log "note: tgtd does not ping idle connections; nop_ping is expected to fail there"
start_target

ARGS=(--port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --block "$LU_BLOCK")
# script:scenario
SCENARIOS=(raw_iscsi:{garbage,digests,bad_header_digest,bad_data_digest,unknown_opcode,reinstatement}
           raw_iscsi:{nop_ping,oversized_segment,cmdsn_window,text_sendtargets,tmf,tmf_cold_reset,logout_releases}
           digest_iscsi:{dataout_digest,unsolicited_digest,immediate_digest,abort_after_digest})
passed=()
failed=()

for entry in "${SCENARIOS[@]}"; do
  script=${entry%%:*} s=${entry#*:}
  log "--- scenario $s ($script.py)"
  out="$WORK/$s.out"
  rc=0
  timeout 25 python3 "$IT_DIR/$script.py" "${ARGS[@]}" "$s" > "$out" 2>&1 || rc=$?
  sed "s/^/  [$s] /" "$out"
  (( rc != 124 )) || echo "  [$s] FAIL: $script.py killed after 25 s"
  if ! daemon_alive; then
    failed+=("$s(daemon died)")
    log "daemon is not running after scenario $s"
    break
  fi
  if (( rc == 0 )); then passed+=("$s"); else failed+=("$s"); fi
done

log "summary: ${#passed[@]} passed: ${passed[*]:-none}"
log "summary: ${#failed[@]} failed: ${failed[*]:-none}"
(( ${#failed[@]} == 0 )) || fail "protocol scenarios failed: ${failed[*]}"
require_alive "after all protocol scenarios"
pass "all ${#SCENARIOS[@]} protocol scenarios"
