#!/usr/bin/env bash
# COMSTAR's LUN mapping seen by real initiators (iscsi-ls): a host group's
# member sees its view's LUN and the others do not; a target group limits a
# view to its targets; a config whose views conflict is refused by --check
# with a message naming both views.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "views are stmfd's own (skipped for $PEER)"; exit 0; }

HOST_A="iqn.2026-11.org.example:host-a"
HOST_B="iqn.2026-11.org.example:host-b"
TARGET2="iqn.2026-11.org.stmfd:second"

write_config() {
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK", "logLevel": "info",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"] },
               { "name": "$TARGET2", "portals": ["127.0.0.1:$PORT"], "tpgt": 2 } ],
  "logicalUnits": [ { "name": "shared", "backing": "ram", "sizeBytes": 8388608 },
                    { "name": "private", "backing": "ram", "sizeBytes": 8388608 },
                    { "name": "second-only", "backing": "ram", "sizeBytes": 8388608 } ],
  "hostGroups": [ { "name": "hg-a", "members": ["$HOST_A"] } ],
  "targetGroups": [ { "name": "tg-2", "members": ["$TARGET2"] } ],
  "views": [ { "logicalUnit": "shared", "lun": 0 },
             { "logicalUnit": "private", "hostGroup": "hg-a", "lun": 7 },
             { "logicalUnit": "second-only", "targetGroup": "tg-2", "lun": 3 } ] }
JSON
}
start_target

luns_of() {  # initiator target -> "0 7" (LUN numbers iscsi-ls lists)
  iscsi-ls -s -i "$1" "$(portal_url)" 2>&1 \
    | awk -v t="Target:$2" '/^Target:/ {on = ($1 == t)} on && /^Lun:/ {sub("Lun:", "", $1); print $1}' \
    | sort -n | tr '\n' ' ' | sed 's/ $//'
}

check() {  # initiator target expected what
  local got
  got=$(luns_of "$1" "$2")
  [[ $got == "$3" ]] || fail "$4: $1 through $2 sees LUNs '$got', expected '$3'"
  log "ok: $4 ($1 via $2: $got)"
}
check "$HOST_A" "$TARGET_IQN" "0 7" "the host group's member sees its view"
check "$HOST_B" "$TARGET_IQN" "0" "another initiator does not"
check "$HOST_B" "$TARGET2" "0 3" "the target group's view shows through its target only"
check "$HOST_A" "$TARGET2" "0 3 7" "both views through the group's target"

# A conflicting view is refused before anything starts.
bad="$WORK/conflict.json"
sed 's/"lun": 7/"lun": 0/' "$CONFIG_PATH" > "$bad"
rc=0
out=$("$STMFD_BIN" --config "$bad" --check 2>&1) || rc=$?
(( rc != 0 )) || fail "--check accepted two views at LUN 0 for host-a: $out"
[[ $out == *"private"* && $out == *"shared"* ]] || fail "--check's message does not name both views: $out"
log "ok: conflicting views refused: $out"
pass "views, host groups and target groups decide who sees which LUN"
