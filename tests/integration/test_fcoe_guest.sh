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
# Exits 77 (ctest: skipped) when the guest image or the tap cannot be made.
# usage: test_fcoe_guest.sh <path-to-stmfd>

bin=${1:-}
[[ -n $bin && -e $bin ]] && bin=$(realpath "$bin")
source "$(dirname "$0")/lib.sh" "$bin"
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
finish() {
  local st=$?
  set +e
  ip link del "$TAP" 2> /dev/null
  (exit "$st")
  on_exit
}
trap finish EXIT

LU_SIZE=$((1 << 30))
LU_BLOCK=512
LU_SERIAL=STMFDFCOE0001
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

log "booting the guest (QEMU TCG, 1 GiB, 2 vCPUs, second NIC on $TAP); its output follows"
run_guest_checked guest "$GUEST_TIMEOUT" --tap "$TAP" \
  --env STMFD_WWPN="$WWPN" --env STMFD_LU_SIZE="$LU_SIZE" --env STMFD_LU_BLOCK="$LU_BLOCK" \
  --env STMFD_VENDOR="$VENDOR" --env STMFD_PRODUCT="$PRODUCT" --env STMFD_SERIAL="$LU_SERIAL" \
  --env STMFD_MTU="$MTU" --env STMFD_FIO_MIB="$FIO_MIB" \
  "$GUEST_DIR/in-guest/fcoe-disk.sh"
require_alive "after the guest's session"

# What the guest wrote is in the backing file where it wrote it.
out=$WORK/guest/share/out
[[ -s $out/offsets.txt ]] || fail "the guest left no offsets.txt"
n=0
while read -r off size name; do
  cmp <(dd if="$LU_FILE" bs=512 skip=$((off / 512)) count=$((size / 512)) status=none) "$out/$name" \
    || fail "the backing file's $size bytes at $off differ from what the guest wrote ($name)"
  n=$((n + 1))
done < "$out/offsets.txt"
log "host: the backing file holds the guest's $n regions byte for byte"

log "daemon: $(grep -oE 'PLOGI (from|to) [^ ]+|logged in to [^ ]+|image pair with [^ ]+' "$DAEMON_LOG" | paste -sd ';')"
for want in "VN2VN holds port id" "image pair with" "link up on $TAP"; do
  grep -q "$want" "$DAEMON_LOG" || fail "the daemon log lacks \"$want\""
done
pass "Linux FCoE VN2VN initiator in a guest: FC host online, FCP target rport, LUN 0 disk, capacity, INQUIRY, VPD, O_DIRECT regions and fio crc32c verify, logout, clean dmesg; backing file matches"
