#!/usr/bin/env bash
# One LU reached over FCoE and iSCSI at once, and an FCoE interface that is
# absent at start, goes down and disappears (issue 9 sections 2, 5): stmfd
# serves a file LU through an iSCSI portal and through an FCoE port bound
# to a tap device that does not exist yet; fc_iscsi_tap.py is the iSCSI
# initiator (raw_iscsi.py) and, once it has made the tap, the FCoE VN2VN
# initiator on the tap's far end (fcoe_tap.py). See fc_iscsi_tap.py for the
# steps: persistent reservations and their unit attentions across the two
# transports, a view change seen by both, link down/up and tap removal with
# logout and re-login; ALUA (issue 7): the FC port is target port group 2,
# the iSCSI port group 1, and group 2 is offline as seen through iSCSI
# while the FC link is down or absent. Host only (no guest): about 20 s.
# Exits 77 (ctest: skipped) when this machine cannot make tap devices.
# usage: test_fc_iscsi_tap.sh <path-to-stmfd>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "FCoE is stmfd's own (skipped for $PEER)"; exit 0; }
if [[ ! -c /dev/net/tun ]] || ! ip tuntap add dev "stfc-probe$$" mode tap 2> /dev/null; then
  echo "SKIP [$TEST_NAME]: cannot create a tap device (not root, or no /dev/net/tun)"
  trap - EXIT
  rm -rf "$WORK"
  exit 77
fi
ip link del "stfc-probe$$" 2> /dev/null || true
TAP=stfc-$$
TAP=${TAP:0:15}
ip link show "$TAP" > /dev/null 2>&1 && fail "$TAP exists already"

write_config() {
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK", "logLevel": "info",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"] } ],
  "fcPorts": [ { "wwpn": "20:00:00:00:c0:a8:fc:01", "wwnn": "20:01:00:00:c0:a8:fc:01",
                 "interface": "$TAP", "driver": "fcoe", "targetPortGroup": 2 } ],
  "logicalUnits": [ { "name": "shared", "backing": "file", "path": "shared.img", "sizeBytes": 67108864 },
                    { "name": "extra", "backing": "ram", "sizeBytes": 8388608 } ],
  "views": [ { "logicalUnit": "shared", "lun": 0 } ] }
JSON
}
delete_link_on_exit "$TAP"
start_target

STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
start=$SECONDS
rc=0
python3 "$IT_DIR/fc_iscsi_tap.py" --port "$PORT" --target "$TARGET_IQN" --tap "$TAP" --stmfadm "$STMFADM" || rc=$?
log "scenario finished in $((SECONDS - start)) s with status $rc"
(( rc == 0 )) || fail "the FC + iSCSI scenario failed (see its output above)"
require_alive "after the scenario"
for want in "link down on $TAP" "PLOGI from"; do
  grep -q "$want" "$DAEMON_LOG" || fail "the daemon log lacks \"$want\""
done
pass "one LU over FCoE and iSCSI: reservations, unit attentions and view changes shared; FCoE interface absent at start, down and removed, re-login after each"
