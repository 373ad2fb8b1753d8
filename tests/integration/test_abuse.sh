#!/usr/bin/env bash
# Protocol abuse against a running stmfd (issue 10 section 4), driven by
# abuse_iscsi.py while one good client (hostile_iscsi.py good) writes, reads
# back and compares all along:
#   wrong phase    non-login PDUs before login, Text in mid-login, Login in
#                  the full feature phase, SCSI in a discovery session;
#   framing        truncated PDUs + FIN, PDUs that stall half-sent in login
#                  and in the full feature phase, oversized data segments;
#   Data-Out       unknown TTT, wrong offset, beyond the R2T/EDTL, wrong
#                  DataSN, unknown ITT, unsolicited under InitialR2T=Yes;
#   commands       immediate data beyond EDTL / on a READ, a reused ITT,
#                  a 4 GiB EDTL, initiator-illegal opcodes, unknown CDB;
#   CmdSN          below ExpCmdSN, beyond MaxCmdSN, a gap flooded behind;
#   negotiation    huge names, junk, 70 KiB of keys, MaxRecvDataSegmentLength=0,
#                  junk Text, a Text answer longer than our MRDSL;
#   floods         half-finished logins beyond limits.maxLoggingIn, then a
#                  burst of logins.
# Each case must end in the Reject / CHECK CONDITION / login status / closed
# connection that abuse_iscsi.py names with its RFC 7143 clause, the daemon
# must live through all of it, and the good client must never wait more
# than 15 s for a write + read back.
# Prints "QUALIFY hangs N" and "QUALIFY daemon_crashes N" for scripts/qualify.
# ABUSE_FLOOD (64): half-open logins and logins in a row of the flood
# scenario (scripts/long/abuse runs 500).
# usage: test_abuse.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"

[[ $PEER == stmfd ]] || { log "stmfd-only test (limits are stmfd config keys)"; exit 77; }

LU_BACKING=ram
LU_SIZE=$((64 << 20))
LOGIN_TIMEOUT=3
NOP_IN_INTERVAL=1
NOP_IN_TIMEOUT=2

CONFIG_OVERLAY=$(cat <<EOF
{ "logLevel": "warn",
  "iscsi": { "loginTimeout": $LOGIN_TIMEOUT, "nopInTimeout": $NOP_IN_TIMEOUT, "initialR2T": true },
  "limits": { "bufferMemory": $((64 << 20)), "maxConnections": 48, "maxLoggingIn": 16,
              "maxSendBacklog": $((1 << 20)), "dataOutTimeout": 3 } }
EOF
)

start_target
ABUSE=(python3 "$IT_DIR/abuse_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN"
       --login-timeout "$LOGIN_TIMEOUT" --ping-deadline $((NOP_IN_INTERVAL + NOP_IN_TIMEOUT)) --flood "${ABUSE_FLOOD:-64}")
SCENARIOS=(before_login text_during_login login_in_ffp scsi_in_discovery truncated stall_login stall_ffp
           oversized dataout commands cmdsn negotiation text login_flood)

stop_file="$WORK/good.stop"
python3 "$IT_DIR/hostile_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --seconds 400 --stop-file "$stop_file" \
  --min-ops 10 --max-gap 15 good > "$WORK/good.out" 2>&1 &
good_pid=$!
sleep 1

passed=() failed=() hangs=0
for s in "${SCENARIOS[@]}"; do
  log "--- scenario $s"
  rc=0
  timeout 90 "${ABUSE[@]}" "$s" > "$WORK/$s.out" 2>&1 || rc=$?
  sed "s/^/  [$s] /" "$WORK/$s.out"
  if (( rc == 124 )); then
    echo "  [$s] FAIL: abuse_iscsi.py killed after 90 s"
    hangs=$((hangs + 1))
  fi
  if ! daemon_alive; then
    failed+=("$s(daemon died)")
    break
  fi
  if (( rc == 0 )); then passed+=("$s"); else failed+=("$s"); fi
done

touch "$stop_file"
good_rc=0
wait "$good_pid" || good_rc=$?
sed "s/^/  [good] /" "$WORK/good.out"
crashes=0
daemon_alive || crashes=1
echo "QUALIFY hangs $hangs"
echo "QUALIFY daemon_crashes $crashes"
log "summary: ${#passed[@]} passed: ${passed[*]:-none}"
log "summary: ${#failed[@]} failed: ${failed[*]:-none}"
(( ${#failed[@]} == 0 )) || fail "abuse scenarios failed: ${failed[*]}"
(( good_rc == 0 )) || fail "the good client was not served throughout (exit $good_rc)"
require_alive "after all abuse scenarios"
pass "all ${#SCENARIOS[@]} abuse scenarios; good client: $(grep -o 'ops=[0-9]* .*longest_wait=[^ ]*' "$WORK/good.out")"
