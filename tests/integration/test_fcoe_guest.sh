#!/usr/bin/env bash
# Linux's software FCoE initiator (fcoe/libfc, kernel 6.1, VN2VN mode: no
# DCB, no switch) against stmfd's FCoE port: config/examples/fcoe.json (a
# work-dir copy: its dataDir, a serial, and a free tap name when stmfd-fc0
# is taken) serves a 1 GiB file LU on a host tap device (MTU 9000); a
# Debian guest under QEMU TCG has its second NIC on that tap and checks, in
# tests/guest/in-guest/fcoe-disk.sh: the FC host comes online, our port is a
# remote port with the FCP target role, LUN 0 appears as a disk, READ
# CAPACITY, INQUIRY and VPD 0x80/0x83 match, O_DIRECT writes at several
# offsets and sizes read back identical, fio crc32c verify, logout, and no
# errors in the kernel log. Back on the host: the backing file holds what
# the guest wrote where it wrote it, and the daemon logged the VN2VN claim,
# the login and the logout.
# Then the reference (tests/integration/fcoe_guest_peer.sh): the same guest
# checks against Linux's own LIO tcm_fc target in a second guest joined to
# the initiator guest at layer 2, with a 1 GiB fileio backstore; a table
# prints both results side by side (step x target). The reference's
# failures are shown but never fail this test; STMFD_FCOE_GUEST_PEER=0
# leaves it out.
# Exits 77 (ctest: skipped) when the guest image or the tap cannot be made.
# usage: test_fcoe_guest.sh <path-to-stmfd>

bin=${1:-}
[[ -n $bin && -e $bin ]] && bin=$(realpath "$bin")
source "$(dirname "$0")/lib.sh" "$bin"
source "$IT_DIR/fcoe_guest_peer.sh"
require_guest_image

# The tap: stmfd-fc0 as the example names it, or the first free stmfd-fcN.
TAP=""
for n in 0 1 2 3 4 5 6 7 8 9; do
  ip link show "stmfd-fc$n" > /dev/null 2>&1 && continue
  if ip tuntap add dev "stmfd-fc$n" mode tap 2> /dev/null; then
    TAP=stmfd-fc$n
    break
  fi
  echo "SKIP [$TEST_NAME]: cannot create a tap device (ip tuntap add: not root, or no /dev/net/tun)"
  trap - EXIT
  rm -rf "$WORK"
  exit 77
done
[[ -n $TAP ]] || fail "stmfd-fc0..9 all exist"
MTU=9000
ip link set "$TAP" mtu "$MTU"

# The tap goes with the test (lib.sh's on_exit then stops the daemon).
delete_link_on_exit "$TAP"

LU_SIZE=$((1 << 30))
LU_BLOCK=512
LU_SERIAL=STMFDFCOE0001
PEER_SERIAL=LIOFCOE0001
MASKED_SIZE=$((64 << 20))   # fcmasked1 and fcmasked2 (RAM LUs of the config)
VENDOR=STMFD PRODUCT=VDISK
FIO_MIB=${STMFD_FCOE_FIO_MIB:-32}
GUEST_TIMEOUT=600

# The example, with this run's data dir, interface and serial.
# STMFD_FCOE_WWPN replaces the example's WWPN: one above the guest's
# (20:00:52:54:00:fc:00:01) makes the target originate PLOGI.
python3 - "$REPO_ROOT/config/examples/fcoe.json" "$CONFIG_PATH" "$WORK" "$TAP" "$LU_SERIAL" \
  "${STMFD_FCOE_WWPN:-}" <<'PY'
import json, sys
src, dst, work, tap, serial, wwpn = sys.argv[1:]
c = json.load(open(src))
if wwpn:
    c["fcPorts"][0]["wwpn"] = wwpn
c["dataDir"] = work
c["logLevel"] = "debug"  # the FIP exchanges, for a failed run's daemon log
c["fcPorts"][0]["interface"] = tap
c["logicalUnits"][0]["serial"] = serial
# Two more LUs without views, for the admin step's host groups.
for n in ("fcmasked1", "fcmasked2"):
    c["logicalUnits"].append({"name": n, "backing": "ram", "sizeBytes": 64 << 20})
json.dump(c, open(dst, "w"), indent=2)
PY
WWPN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fcPorts"][0]["wwpn"].replace(":","").replace("wwn.",""))' "$CONFIG_PATH")
LU_FILE=$WORK/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["logicalUnits"][0]["path"])' "$CONFIG_PATH")

log "starting $STMFD_BIN --config $CONFIG_PATH (FCoE on $TAP, WWPN $WWPN)"
(cd "$WORK" && exec "$STMFD_BIN" --config "$CONFIG_PATH") >> "$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
deadline=$((SECONDS + 15))
until grep -q "fcoe $TAP: raw socket open" "$DAEMON_LOG"; do
  daemon_alive || fail "daemon exited during start-up"
  (( SECONDS < deadline )) || fail "the FCoE port did not open $TAP in 15 s"
  sleep 0.2
done
log "daemon pid $DAEMON_PID has its raw socket on $TAP (no carrier until QEMU opens the tap)"

# The guest's admin step (fcoe-disk.sh, STMFD_ADMIN_STEP): while it is
# logged in, stmfadm lists the FC port (text and --json) with the guest's
# initiator and its nexus, then shows fcmasked1 at LUN 1 to a host group
# holding the guest's WWPN and fcmasked2 at LUN 2 to a group holding
# another WWPN only. Prints "admin step ok" last, or what failed.
GUEST_WWPN=2000525400fc0001   # run-guest's default tap MAC 52:54:00:fc:00:01
admin_step() {
  local adm=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm} json text
  text=$("$adm" list-fc-port -v) || { echo "stmfadm list-fc-port failed: $text"; return 1; }
  echo "$text"
  grep -q "HBA Port WWN: $WWPN" <<< "$text" || { echo "list-fc-port does not name $WWPN"; return 1; }
  grep -q "State: online" <<< "$text" || { echo "list-fc-port: the port is not online"; return 1; }
  grep -q "Interface: $TAP (fcoe)" <<< "$text" || { echo "list-fc-port does not name $TAP"; return 1; }
  grep -q "Remote Port WWN: $GUEST_WWPN" <<< "$text" || { echo "list-fc-port -v lacks the guest $GUEST_WWPN"; return 1; }
  json=$("$adm" --json list-fc-port -v) || { echo "stmfadm --json list-fc-port failed"; return 1; }
  python3 - "$json" "$WWPN" "$GUEST_WWPN" <<'PY' || return 1
import json, sys
d = json.loads(sys.argv[1]); wwpn, guest = sys.argv[2], sys.argv[3]
p = [x for x in d["ports"] if x["wwpn"] == wwpn]
assert len(p) == 1, f"--json: no port {wwpn}: {d}"
p = p[0]
assert p["state"] == "online" and p["driver"] == "fcoe" and int(p["portId"]) != 0, f"--json port: {p}"
r = [x for x in p.get("remotePorts", []) if x["wwpn"] == guest]
assert len(r) == 1 and int(r[0]["nexus"]) != 0 and int(r[0]["portId"]) != 0, f"--json remote ports: {p}"
print(f"--json: port {wwpn} online id {int(p['portId']):06x}; guest {guest} id {int(r[0]['portId']):06x} nexus {r[0]['nexus']}")
PY
  "$adm" create-hg fc-guest && "$adm" add-hg-member -g fc-guest "wwn.$GUEST_WWPN" \
    && "$adm" add-view -h fc-guest -n 1 fcmasked1 \
    && "$adm" create-hg fc-other && "$adm" add-hg-member -g fc-other wwn.2000525400fc00ff \
    && "$adm" add-view -h fc-other -n 2 fcmasked2 || { echo "stmfadm host group / view commands failed"; return 1; }
  "$adm" list-hg -v
  echo "admin step ok"
}

log "booting the guest (QEMU TCG, 1 GiB, 2 vCPUs, second NIC on $TAP); its output follows"
start=$SECONDS
rc=0
"$GUEST_DIR/run-guest" --out "$WORK/stmfd" --timeout "$GUEST_TIMEOUT" --tap "$TAP" \
  --env STMFD_WWPN="$WWPN" --env STMFD_LU_SIZE="$LU_SIZE" --env STMFD_LU_BLOCK="$LU_BLOCK" \
  --env STMFD_VENDOR="$VENDOR" --env STMFD_PRODUCT="$PRODUCT" --env STMFD_SERIAL="$LU_SERIAL" \
  --env STMFD_MTU="$MTU" --env STMFD_FIO_MIB="$FIO_MIB" \
  --env STMFD_ADMIN_STEP=1 --env STMFD_MASKED_SIZE="$MASKED_SIZE" \
  "$GUEST_DIR/in-guest/fcoe-disk.sh" &
guest_pid=$!
req=$WORK/stmfd/share/out/admin.request
while kill -0 "$guest_pid" 2> /dev/null; do
  if [[ -e $req && ! -e $WORK/stmfd/share/out/admin.done ]]; then
    answer=$(admin_step 2>&1) || true
    log "admin step: $answer"
    [[ $answer == *"admin step ok" ]] && answer=ok
    printf '%s\n' "$answer" > "$WORK/stmfd/share/out/admin.done"
  fi
  sleep 0.5
done
wait "$guest_pid" || rc=$?
log "stmfd: guest finished in $((SECONDS - start)) s with status $rc (logs: $WORK/stmfd)"
(( rc == 77 )) && { echo "SKIP [$TEST_NAME]: the guest skipped the test"; exit 77; }
require_alive "after the guest's session"
stmfd_steps=$WORK/stmfd/share/out/steps.tsv
# What the guest wrote is in the backing file where it wrote it.
compare_backing "$LU_FILE" "$WORK/stmfd/share/out" >> "$stmfd_steps"
log "daemon: $(grep -oE 'PLOGI (from|to) [^ ]+|logged in to [^ ]+|image pair with [^ ]+' "$DAEMON_LOG" | paste -sd ';')"
missing=""
for want in "VN2VN holds port id" "image pair with" "link up on $TAP"; do
  grep -q "$want" "$DAEMON_LOG" || missing+=" \"$want\""
done
if [[ -z $missing ]]; then
  printf 'daemon\tpass\tthe daemon logged the VN2VN claim, the PRLI image pair and link up\n' >> "$stmfd_steps"
else
  printf 'daemon\tfail\tthe daemon log lacks%s\n' "$missing" >> "$stmfd_steps"
fi

# The daemon stops before the reference runs (one less load on the guests).
stopped=1
stop_target || stopped=0

# The reference: LIO tcm_fc in a guest pair, informational (its failures
# are shown, never fail this test). STMFD_FCOE_GUEST_PEER=0 skips it.
labels=(stmfd)
if [[ ${STMFD_FCOE_GUEST_PEER:-1} == 1 ]]; then
  run_tcm_fc_peer
  labels+=(tcm_fc)
fi
print_table "${labels[@]}"

case $rc in
  0) ;;
  124) fail "the stmfd guest did not finish in $GUEST_TIMEOUT s (console: $WORK/stmfd/console.log)" ;;
  *) fail "the guest's checks against stmfd failed (status $rc; console: $WORK/stmfd/console.log, dmesg: $WORK/stmfd/dmesg.txt)" ;;
esac
(( stopped )) || fail "the daemon did not stop cleanly after the guest run"
if grep -qP '\tfail\t' "$stmfd_steps"; then
  fail "stmfd failed steps: $(awk -F'\t' '$2 == "fail" {print $1}' "$stmfd_steps" | paste -sd' ') (table above)"
fi
pass "Linux FCoE VN2VN initiator in a guest: FC host online, FCP target rport, LUN 0 disk, capacity, INQUIRY, VPD, O_DIRECT regions and fio crc32c verify, logout, clean dmesg; backing file matches${PEER_RC:+ (tcm_fc reference: $( ((PEER_RC == 0)) && echo all steps passed || echo see the table))}"
