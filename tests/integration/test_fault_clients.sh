#!/usr/bin/env bash
# Recovery seen by real clients (issue 10 section 2; architecture.md
# "Supervision and failed-operation recovery"): for each row of
# fault_clients_scenarios.txt, fault_clients.py runs qemu-io (QEMU's libiscsi
# block driver, aio writes with all ranges in flight) on LU disk0 while the
# fault point fires, and a second qemu-io, another session, on LU disk1.
# Each client gets the row's answer (a clean error or a completed job),
# never hangs (every qemu-io is bounded by a timeout), and every byte
# written is read back after clear-faults with `read -P`; the bystander
# finishes untouched; the daemon is alive after every row. Then the same
# with libiscsi clients: tests/tools/iscsi_pattern (QD 8, mixed sizes over
# overlapping ranges, every block checked against the last acknowledged
# write; fault_clients_libiscsi.py).
#
# Short form (scripts/test): the rows marked "short" in the first column
# (qemu-io) and in the sixth (libiscsi), once.
# Long form (scripts/long/fault-clients): FAULT_CLIENT_ROWS=all, every row
# ITERATIONS times with a new seed; a daemon that died is counted and
# restarted. Both print the QUALIFY lines of print_fault_qualify (lib.sh;
# firings booked run by run by fault_ledger.py).
#   env: FAULT_CLIENT_ROWS=short|all  FAULT_CLIENT_MATCH=REGEX (only rows
#        matching it)  FAULT_CLIENT_KINDS="qemu-io libiscsi"  ITERATIONS=1
#        ROUNDS=3 (qemu-io)  SECONDS_UNDER_FAULT=2 (libiscsi)
#        ISCSI_PATTERN_BIN (ctest sets it)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "fault injection is stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
command -v qemu-io > /dev/null || { echo "SKIP [$TEST_NAME]: qemu-io is not installed"; exit 77; }
ROWS=${FAULT_CLIENT_ROWS:-short}
KINDS=${FAULT_CLIENT_KINDS:-qemu-io libiscsi}
PATTERN_BIN=${ISCSI_PATTERN_BIN:-$(dirname "$STMFD_BIN")/../tests/tools/iscsi_pattern}
if [[ " $KINDS " == *" libiscsi "* && ! -x $PATTERN_BIN ]]; then
  fail "iscsi_pattern not built at $PATTERN_BIN (bash scripts/build Release iscsi_pattern)"
fi
ITERATIONS=${ITERATIONS:-1}
ROUNDS=${ROUNDS:-3}
SECONDS_UNDER_FAULT=${SECONDS_UNDER_FAULT:-2}

# Two file-backed LUs behind one target: disk0 (LUN 0) takes the faults,
# disk1 (LUN 1) serves the bystander.
LU_BACKING=file
LU_SIZE=$((16 << 20))
CONFIG_OVERLAY=$(cat <<EOF
{ "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"], "tpgt": 1, "auth": { "method": "none" },
                 "luns": [ { "lun": 0, "logicalUnit": "disk0" }, { "lun": 1, "logicalUnit": "disk1" } ] } ],
  "logicalUnits": [
    { "name": "disk0", "backing": "file", "path": "disk0.img", "sizeBytes": $LU_SIZE, "blockSize": 512, "writeCache": true },
    { "name": "disk1", "backing": "file", "path": "disk1.img", "sizeBytes": $LU_SIZE, "blockSize": 512, "writeCache": true } ] }
EOF
)

# One run per (client kind, row): qemu-io takes the rows whose first column
# is in ROWS, libiscsi (iscsi_pattern) those whose sixth column is.
mapfile -t SCENARIOS < <(grep -v '^#' "$IT_DIR/fault_clients_scenarios.txt" | awk -F'|' -v rows="$ROWS" \
  -v kinds=" $KINDS " -v re="${FAULT_CLIENT_MATCH:-}" 'NF >= 4 && $0 ~ re {
    if (index(kinds, " qemu-io ") && (rows == "all" || $1 == rows)) print "qemu-io|" $0
    if (index(kinds, " libiscsi ") && $6 != "" && (rows == "all" || $6 == rows)) print "libiscsi|" $0 }')
(( ${#SCENARIOS[@]} > 0 )) || fail "no rows for FAULT_CLIENT_ROWS=$ROWS ($KINDS) in fault_clients_scenarios.txt"

start_target
wait_admin "$STMFADM"
CLIENTS=(python3 "$IT_DIR/fault_clients.py" --port "$PORT" --target "$TARGET_IQN" --stmfadm "$STMFADM"
         --rounds "$ROUNDS" --iscsi-pattern "$PATTERN_BIN" --seconds "$SECONDS_UNDER_FAULT")
failed=() crashes=0 runs=0
: > "$WORK/qualify"
: > "$WORK/ledger"
for ((i = 1; i <= ITERATIONS; i++)); do
  for row in "${SCENARIOS[@]}"; do
    IFS='|' read -r kind _ expect bystander fault also _ <<< "$row"
    runs=$((runs + 1))
    log "--- $kind: $fault${also:+ (and $also)}: the victim sees '$expect', bystander $bystander"
    rc=0 start=$SECONDS
    fault_snap "$STMFADM" "$WORK/before.json"
    # shellcheck disable=SC2086
    timeout 300 "${CLIENTS[@]}" --client "$kind" --seed "$((i * 100 + runs))" --expect "$expect" \
      --bystander "$bystander" --also "$also" $fault > "$WORK/run$runs.out" 2>&1 || rc=$?
    "$STMFADM" clear-faults > /dev/null 2>&1 || true
    fault_snap "$STMFADM" "$WORK/after.json"
    fault_book "$WORK/before.json" "$WORK/after.json" "$rc" "$WORK/ledger" "$fault" "$also"
    sed 's/^/    /' "$WORK/run$runs.out"
    grep '^QUALIFY' "$WORK/run$runs.out" >> "$WORK/qualify" || true
    (( rc == 124 )) && echo "QUALIFY hangs 1" >> "$WORK/qualify"  # fault_clients.py itself ran out of time
    (( rc == 0 )) || failed+=("$kind: $fault (status $rc)")
    log "row done in $((SECONDS - start)) s, status $rc"
    if ! daemon_alive; then
      crashes=$((crashes + 1))
      failed+=("$kind: $fault: the daemon died")
      log "the daemon died after $fault; restarting it"
      DAEMON_PID=""
      start_target
      wait_admin "$STMFADM"
    fi
  done
done
print_fault_qualify "$WORK/ledger" "$WORK/qualify" "$crashes"
require_alive "at the end"
(( ${#failed[@]} == 0 )) || fail "${#failed[@]} of $runs rows failed: ${failed[*]}"
pass "$runs rows with qemu-io and libiscsi clients: the failure table's answers, bystander untouched, every acknowledged byte read back"
