#!/usr/bin/env bash
# ALUA end to end (issue 7): one LU through two targets, each on its own
# portal and in its own target port group. alua_iscsi.py reads REPORT
# TARGET PORT GROUPS and VPD 83h through each portal, has stmfadm put one
# group in standby while both sessions are logged in (2Ah/06h, then NOT
# READY 04h/0Bh there while the other portal serves I/O) and back, and
# moves it with SET TARGET PORT GROUPS; takes target 2 offline (group 2
# offline through portal 1, list-tpg-alua's effective state) and adds and
# removes a third target port in group 2 live (itadm create-target /
# delete-target: RTPG follows, no LU restart). Then: the state stmfadm set is in
# the config file and holds after a restart; a config naming an unknown
# group is refused by --check.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "ALUA through stmfadm is stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
export STMFD_ADMIN_SOCKET="$WORK/admin.sock"

PORT2=$(free_port)
PORT3=$(free_port)
TARGET2="iqn.2026-11.org.stmfd:site-b"

# Written once; stmfadm rewrites it from then on.
write_config() {
  [[ -f $CONFIG_PATH ]] && return
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK", "logLevel": "info",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"], "tpgt": 1,
                 "luns": [ { "lun": 0, "logicalUnit": "disk0" } ] },
               { "name": "$TARGET2", "portals": ["127.0.0.1:$PORT2"], "tpgt": 2,
                 "luns": [ { "lun": 0, "logicalUnit": "disk0" } ] } ],
  "logicalUnits": [ { "name": "disk0", "backing": "ram", "sizeBytes": 8388608 } ] }
JSON
}
start_target

python3 "$IT_DIR/alua_iscsi.py" --port1 "$PORT" --target1 "$TARGET_IQN" --port2 "$PORT2" --target2 "$TARGET2" \
  --port3 "$PORT3" --stmfadm "$STMFADM" || fail "ALUA checks over iSCSI failed"

# An implicit transition is saved: group 1 unavailable survives a restart.
"$STMFADM" set-alua-state 1 unavailable || fail "stmfadm set-alua-state 1 unavailable"
grep -q '"targetPortGroups"' "$CONFIG_PATH" || fail "set-alua-state did not write targetPortGroups"
stop_target || fail "daemon did not stop cleanly"
start_target
out=$("$STMFADM" list-tpg-alua) || fail "stmfadm list-tpg-alua after restart: $out"
awk '/^Target Port Group: 1/ {g=1} g && /Access State/ {print $NF; exit}' <<<"$out" | grep -qx unavailable \
  || fail "group 1 is not unavailable after a restart: $out"
log "ok: group 1 is still unavailable after a restart"

# Bad input: an unknown state name, an unknown group.
rc=0; "$STMFADM" set-alua-state 1 sleepy 2>/dev/null || rc=$?
(( rc == 6 )) || fail "set-alua-state with a bad state exited $rc, expected 6 (invalid argument)"
rc=0; "$STMFADM" set-alua-state 9 standby 2>/dev/null || rc=$?
(( rc == 3 )) || fail "set-alua-state of an unknown group exited $rc, expected 3 (not found)"
bad="$WORK/bad.json"
sed 's/"tpgt": 2,/"tpgt": 2, "targetPortGroup": 9,/' "$CONFIG_PATH" > "$bad"
rc=0
msg=$("$STMFD_BIN" --config "$bad" --check 2>&1) || rc=$?
(( rc != 0 )) && [[ $msg == *"no target port group 9"* ]] || fail "--check accepted an unknown group: $msg"
log "ok: unknown group refused: $msg"
pass "ALUA groups, states, RTPG/STPG and stmfadm"
