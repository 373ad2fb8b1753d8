#!/bin/bash
# The reference FCoE target for tests/integration/test_fcoe_guest.sh:
# Linux's own LIO with its FC fabric (tcm_fc) on a software FCoE port
# (fcoe, libfc; VN2VN) on this guest's second NIC, which run-guest joins to
# the initiator guest's at layer 2 (--l2-socket). Configured through
# configfs with mkdir/echo/ln (no targetcli): a fileio backstore on
# /dev/vdb (a 1 GiB host file, so the host can read what the initiator
# wrote), LUN 0, and a node ACL for the initiator's WWPN (tcm_fc has no
# demo mode: an initiator without an ACL gets no session).
# Environment (run-guest --env): STMFD_INITIATOR_WWPN (aa:bb:..., 8 bytes),
# STMFD_LU_SIZE (bytes), STMFD_SERIAL, STMFD_MTU.
# Protocol with the host, through the share: it writes out/ready (holding
# its WWPN) once the target is up, then serves until the host creates
# out/stop; it then tears the target down and checks its kernel log.
source "$STMFD_GUEST_LIB"

for v in STMFD_INITIATOR_WWPN STMFD_LU_SIZE STMFD_SERIAL STMFD_MTU STMFD_GUEST_TAP_IF; do
  [[ -n ${!v:-} ]] || fail "$v is not set"
done
IF=$STMFD_GUEST_TAP_IF
DISK=/dev/vdb
CORE=/sys/kernel/config/target/core/fileio_0/disk0
dmesg_mark

step "LIO tcm_fc target on $IF (Linux $(uname -r))"
[[ -b $DISK ]] || fail "no $DISK (the host's backing file)"
want "backing device size" "$STMFD_LU_SIZE" "$(blockdev --getsize64 "$DISK")"
modprobe target_core_mod
modprobe target_core_file
modprobe tcm_fc
modprobe fcoe
# LIO makes a fabric's configfs directory when it is first asked for.
mkdir -p /sys/kernel/config/target/fc || fail "configfs has no tcm_fc fabric (mkdir target/fc)"
ok "modules target_core_mod, target_core_file, tcm_fc and fcoe loaded"

# The local port's WWPN: fcoe derives it from the NIC's MAC (FC-BB-6 VN2VN:
# 20:00 followed by the MAC), which is what the tcm_fc WWN directory must
# be named (lower case, colon-separated) for tcm_fc to serve that lport.
mac=$(< "/sys/class/net/$IF/address")
WWPN=20:00:$mac

mkdir -p "$CORE"
echo "fd_dev_name=$DISK,fd_dev_size=$STMFD_LU_SIZE" > "$CORE/control"
echo 1 > "$CORE/enable"
echo "$STMFD_SERIAL" > "$CORE/wwn/vpd_unit_serial"
TPG=/sys/kernel/config/target/fc/$WWPN/tpgt_1
mkdir -p "$TPG/lun/lun_0"
ln -s "$CORE" "$TPG/lun/lun_0/disk0"
ACL=$TPG/acls/$STMFD_INITIATOR_WWPN
mkdir -p "$ACL/lun_0"
ln -s "$TPG/lun/lun_0" "$ACL/lun_0/disk0"
ok "configfs: fileio_0/disk0 on $DISK ($STMFD_LU_SIZE bytes, serial $STMFD_SERIAL) at LUN 0 of fc/$WWPN, ACL for $STMFD_INITIATOR_WWPN"

step "FCoE VN2VN port on $IF"
ip link set "$IF" mtu "$STMFD_MTU" up
echo "$IF" > /sys/bus/fcoe/ctlr_create
ctlr=$(ls -d /sys/bus/fcoe/devices/ctlr_* 2> /dev/null | head -1)
[[ -n $ctlr ]] || fail "no FCoE controller appeared for $IF"
echo vn2vn > "$ctlr/mode"
echo 1 > "$ctlr/enabled"
host_online() {
  local h
  for h in /sys/class/fc_host/host*; do
    [[ $(cat "$h/port_state" 2> /dev/null) == Online ]] && { HOST=$h; return 0; }
  done
  return 1
}
HOST=""
wait_until 120 "the FC host to come online" host_online
want "FC host WWPN" "0x${WWPN//:/}" "$(cat "$HOST/port_name")"
ok "FC host $(basename "$HOST") online: port id $(cat "$HOST/port_id")"
echo "$WWPN" > "$STMFD_GUEST_OUT/ready"

step "serving until the host says stop"
wait_until $(( ${STMFD_SERVE_SECONDS:-900} )) "the host's stop" test -e "$STMFD_GUEST_OUT/stop"
note "ACL $STMFD_INITIATOR_WWPN: $(cat "$ACL/info" 2> /dev/null | head -3 | tr '\n' ' ')"
echo 0 > "$ctlr/enabled"
echo "$IF" > /sys/bus/fcoe/ctlr_destroy
rm "$ACL/lun_0/disk0"
rmdir "$ACL/lun_0" "$ACL"
rm "$TPG/lun/lun_0/disk0"
rmdir "$TPG/lun/lun_0" "$TPG" "/sys/kernel/config/target/fc/$WWPN"
rmdir "$CORE" /sys/kernel/config/target/core/fileio_0
sync
ok "target torn down (configfs emptied, FCoE interface destroyed)"

step "kernel log"
errors=$(dmesg_errors)
[[ -z $errors ]] || { echo "$errors"; fail "dmesg has I/O or transport errors (above)"; }
ok "dmesg: no I/O, SCSI or FC transport errors since the test started"
echo "target side passed"
