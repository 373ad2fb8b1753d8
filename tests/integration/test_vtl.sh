#!/usr/bin/env bash
# A virtual tape library (issue 8) over iSCSI: the changer (provider "smc")
# at LUN 0, two drives (provider "ssc") at LUNs 1 and 2, eight slots with
# eight cartridges created under dataDir. vtl_iscsi.py moves a cartridge
# into a drive, writes, moves it back and leaves another in a drive; the
# daemon is killed with SIGKILL and started again; the map and the data
# hold (the loaded cartridge is back in its slot).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "the VTL is stmfd's own (skipped for $PEER)"; exit 0; }

write_config() {
  local carts="" i
  for i in 1 2 3 4 5 6 7 8; do
    carts+="${carts:+, }{ \"barcode\": \"VTL00${i}L6\", \"sizeBytes\": 16777216 }"
  done
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK", "logLevel": "info",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"], "tpgt": 1,
                 "auth": { "method": "none" },
                 "luns": [ { "lun": 0, "logicalUnit": "changer" }, { "lun": 1, "logicalUnit": "drive0" },
                           { "lun": 2, "logicalUnit": "drive1" } ] } ],
  "logicalUnits": [ { "name": "changer", "provider": "smc", "backing": "ram" },
                    { "name": "drive0", "provider": "ssc", "backing": "file" },
                    { "name": "drive1", "provider": "ssc", "backing": "file" } ],
  "libraries": [ { "name": "vtl", "changer": "changer", "drives": ["drive0", "drive1"], "slots": 8,
                   "importExport": 1, "cartridges": [ $carts ] } ] }
JSON
}

start_target
inq=$(iscsi-inq "$(lun_url)") || fail "iscsi-inq failed"
grep -q "Peripheral Device Type:MEDIA_CHANGER" <<< "$inq" || fail "LUN 0 is not a medium changer: $inq"
[[ -s "$WORK/vtl/VTL008L6.cart" ]] || fail "the cartridge files were not created"

VTL=(python3 "$IT_DIR/vtl_iscsi.py" --port "$PORT" --target "$TARGET_IQN")
timeout 60 "${VTL[@]}" before | sed 's/^/    /'
(( PIPESTATUS[0] == 0 )) || fail "the library's moves and writes failed"
[[ -s "$WORK/changer.state" ]] || fail "the library's state file was not written"

log "kill -9 of the daemon (pid $DAEMON_PID) with a cartridge in drive 1, then a restart"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
# The killed daemon's listening socket can outlive it briefly (its io_uring
# is torn down asynchronously): start the new one once the port is free.
for _ in $(seq 50); do port_listening || break; sleep 0.1; done
start_target
timeout 60 "${VTL[@]}" after | sed 's/^/    /'
(( PIPESTATUS[0] == 0 )) || fail "the library's map or a cartridge's data did not survive kill -9"
pass "VTL: element status, moves slot <-> drive, write, kill -9, restart, map and data hold"
