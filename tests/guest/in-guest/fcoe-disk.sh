#!/bin/bash
# In-guest half of tests/integration/test_fcoe_guest.sh: Linux's software
# FCoE initiator (fcoe, libfc; VN2VN, no DCB, no switch) on the tap NIC
# against stmfd's FCoE port on the host's end of the tap. Environment
# (run-guest --env): STMFD_WWPN (the target port's WWPN, 16 hex digits),
# STMFD_LU_SIZE (bytes), STMFD_LU_BLOCK, STMFD_VENDOR, STMFD_PRODUCT,
# STMFD_SERIAL, STMFD_MTU (the tap NIC's MTU), STMFD_FIO_MIB; optional
# STMFD_ADMIN_STEP=1 with STMFD_MASKED_SIZE (the host's stmfadm step), and
# STMFD_RPORT_WAIT (seconds to wait for the target's remote port, default
# 60; the tcm_fc reference boots its target alongside and waits longer).
# Leaves pattern-*.bin and offsets.txt (what went where on the LU) in
# $STMFD_GUEST_OUT for the host to compare with the backing file, and
# steps.tsv (step<TAB>pass|fail<TAB>note, one line per check) for the
# host's side-by-side table of stmfd and the tcm_fc reference target.
# The same checks run against both: what differs between them (INQUIRY
# strings, the target port's roles) comes from the environment.
source "$STMFD_GUEST_LIB"

# section NAME TITLE: ends the previous section as passed and starts NAME;
# the EXIT trap records the last one as passed or failed with the status.
# The rows are kept in /tmp and the whole file copied to the share after
# each one: appending to a file on the 9p share lost a row in one run.
STEPS_LOCAL=/tmp/steps.tsv
SECTION="" SECTION_NOTE=""
: > "$STEPS_LOCAL"
record() {  # NAME pass|fail NOTE
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$STEPS_LOCAL"
  cp "$STEPS_LOCAL" "$STMFD_GUEST_OUT/steps.tsv"
}
section() {
  [[ -z $SECTION ]] || record "$SECTION" pass "$SECTION_NOTE"
  SECTION=$1 SECTION_NOTE=""
  step "$2"
}
end_section() {
  local st=$?
  [[ -n $SECTION ]] || return 0
  if ((st == 0)); then
    record "$SECTION" pass "$SECTION_NOTE"
  else
    record "$SECTION" fail "${SECTION_NOTE:-status $st}"
  fi
}
# lib.sh's fail, keeping the reason for steps.tsv.
fail() { SECTION_NOTE=$*; echo "FAIL: $*"; exit 1; }
trap end_section EXIT

for v in STMFD_WWPN STMFD_LU_SIZE STMFD_LU_BLOCK STMFD_VENDOR STMFD_PRODUCT STMFD_SERIAL STMFD_MTU \
         STMFD_FIO_MIB STMFD_GUEST_TAP_IF; do
  [[ -n ${!v:-} ]] || fail "$v is not set"
done
IF=$STMFD_GUEST_TAP_IF
WWPN=0x${STMFD_WWPN,,}
dmesg_mark

section login "FCoE VN2VN initiator on $IF (Linux $(uname -r)), target WWPN $WWPN"
ip link set "$IF" mtu "$STMFD_MTU" up
modprobe fcoe
echo "$IF" > /sys/bus/fcoe/ctlr_create
ctlr=$(ls -d /sys/bus/fcoe/devices/ctlr_* 2> /dev/null | head -1)
[[ -n $ctlr ]] || fail "no FCoE controller appeared for $IF"
echo vn2vn > "$ctlr/mode"
echo 1 > "$ctlr/enabled"
ok "controller $(basename "$ctlr"): mode $(cat "$ctlr/mode"), enabled"

host_online() {
  local h
  for h in /sys/class/fc_host/host*; do
    [[ $(cat "$h/port_state" 2> /dev/null) == Online ]] && { HOST=$h; return 0; }
  done
  return 1
}
HOST=""
wait_until 60 "the FC host to come online" host_online
ok "FC host $(basename "$HOST") online: port id $(cat "$HOST/port_id"), WWPN $(cat "$HOST/port_name")"

section rport "remote port $WWPN"

our_rport() {
  local r
  for r in /sys/class/fc_remote_ports/rport-*; do
    [[ $(cat "$r/port_name" 2> /dev/null) == "$WWPN" ]] || continue
    [[ $(cat "$r/port_state" 2> /dev/null) == Online ]] || continue
    RPORT=$r
    return 0
  done
  return 1
}
RPORT=""
wait_until "${STMFD_RPORT_WAIT:-60}" "remote port $WWPN" our_rport
# stmfd's port is a target only; a Linux FCoE port running tcm_fc is also
# an initiator ("FCP Initiator, FCP Target").
roles=$(cat "$RPORT/roles")
[[ $roles == *"FCP Target"* ]] || fail "remote port roles '$roles' lack FCP Target"
SECTION_NOTE="roles: $roles"
ok "remote port $(basename "$RPORT"): id $(cat "$RPORT/port_id"), node $(cat "$RPORT/node_name"), $(cat "$RPORT/maxframe_size")"

find_disk() {
  local p
  for p in /dev/disk/by-path/*-fc-"$WWPN"-lun-0; do
    [[ -b $p ]] && { DISK=$(readlink -f "$p"); return 0; }
  done
  return 1
}
DISK=""
section lun "LUN 0 as a disk"
wait_until 60 "LUN 0 of $WWPN as a disk" find_disk
udevadm settle
ok "LUN 0 is $DISK: $(lsscsi | grep " $DISK *\$" | tr -s ' ')"

section identity "identity and capacity"
check_disk_identity "$DISK" "$STMFD_LU_SIZE" "$STMFD_LU_BLOCK" "$STMFD_VENDOR" "$STMFD_PRODUCT" "$STMFD_SERIAL"
section vpd83 "device identification (VPD 0x83)"
# The target port's name appears as 16 hex digits or colon-separated
# bytes (LIO's SCSI name string "aa:bb:...,t,0x0001").
sg_inq -p 0x83 "$DISK" | tr -d ':' | grep -qi "$STMFD_WWPN" || fail "VPD 0x83 does not name the target port $WWPN"
ok "VPD 0x83 names the target port $WWPN"

if [[ ${STMFD_ADMIN_STEP:-0} == 1 ]]; then
  # The host, asked through the share, lists the FC port with stmfadm
  # (list-fc-port: this initiator logged in, with its nexus) and masks two
  # more LUs by host groups of FC initiators (wwn.<WWPN>): LUN 1 for a group
  # holding this initiator, LUN 2 for one holding another. It writes
  # out/admin.done: "ok", or what failed.
  section admin "the host's stmfadm step: list-fc-port, host groups of FC initiators"
  touch "$STMFD_GUEST_OUT/admin.request"
  wait_until 120 "the host's admin step" test -e "$STMFD_GUEST_OUT/admin.done"
  answer=$(< "$STMFD_GUEST_OUT/admin.done")
  [[ $answer == ok ]] || fail "host: $answer"
  echo "- - -" > "/sys/class/scsi_host/$(basename "$HOST")/scan"
  find_lun1() { [[ -b $(ls /dev/disk/by-path/*-fc-"$WWPN"-lun-1 2> /dev/null | head -1) ]]; }
  wait_until 60 "LUN 1 (the host group holding this initiator)" find_lun1
  udevadm settle
  lun1=$(readlink -f "$(ls /dev/disk/by-path/*-fc-"$WWPN"-lun-1 | head -1)")
  want "LUN 1 size" "$STMFD_MASKED_SIZE" "$(blockdev --getsize64 "$lun1")"
  luns=$(sg_luns "$DISK" | sed -n 's/^ *\([0-9a-f]\{16\}\)$/\1/p' | paste -sd' ')
  want "REPORT LUNS (LUN 2 belongs to another initiator's host group)" "0000000000000000 0001000000000000" "$luns"
  ls /dev/disk/by-path/*-fc-"$WWPN"-lun-2 > /dev/null 2>&1 && fail "LUN 2 appeared although its host group lacks this initiator"
  SECTION_NOTE="list-fc-port named this initiator; LUN 1 seen ($lun1), LUN 2 masked"
  ok "LUN 1 appeared as $lun1; LUN 2 stays masked"
fi

section odirect "O_DIRECT writes at several offsets and sizes, read back"
# offset (bytes) and size (bytes): small and large, block and frame
# boundaries (2112-byte FC frames), the LU's first and last bytes.
end=$STMFD_LU_SIZE
cases=("0 4096" "4096 512" "65536 2048" "1048576 131072" "7340032 1048576" "33554432 4194304"
       "$((end / 2 + 512)) 528896" "$((end - 65536)) 65536")
: > "$STMFD_GUEST_OUT/offsets.txt"
i=0
for c in "${cases[@]}"; do
  read -r off size <<< "$c"
  f=$STMFD_GUEST_OUT/pattern-$i.bin
  head -c "$size" /dev/urandom > "$f"
  dd if="$f" of="$DISK" bs=1M seek="$off" oflag=direct,seek_bytes conv=notrunc status=none
  echo "$off $size pattern-$i.bin" >> "$STMFD_GUEST_OUT/offsets.txt"
  i=$((i + 1))
done
echo 3 > /proc/sys/vm/drop_caches
i=0
for c in "${cases[@]}"; do
  read -r off size <<< "$c"
  cmp <(dd if="$DISK" bs=1M skip="$off" count="$size" iflag=direct,skip_bytes,count_bytes status=none) \
      "$STMFD_GUEST_OUT/pattern-$i.bin" || fail "the $size bytes at $off read back different"
  i=$((i + 1))
done
ok "${#cases[@]} regions (512 B to 4 MiB, LU start to end) written with O_DIRECT read back identical"

section fio "fio random writes with crc32c verify"
start=$SECONDS
fio_log=/tmp/fio.log
# fio works on the LU's middle, clear of the regions above.
fio --name=fcoe-verify --filename="$DISK" --offset=$((64 << 20)) --size="${STMFD_FIO_MIB}M" \
    --ioengine=libaio --direct=1 --iodepth=16 --rw=randwrite --bsrange=4k-256k \
    --verify=crc32c --verify_fatal=1 --do_verify=1 > "$fio_log" 2>&1 || { cat "$fio_log"; fail "fio failed"; }
keep "$fio_log"
grep -q 'err= 0' "$fio_log" || { cat "$fio_log"; fail "fio reported an error"; }
issued=$(sed -n 's/.*issued rwts: total=\([0-9]*\),\([0-9]*\),.*/\1 \2/p' "$fio_log")
read -r reads writes <<< "$issued"
[[ -n $writes && $writes -gt 0 && $reads == "$writes" ]] || { cat "$fio_log"; fail "fio verified $reads of $writes writes"; }
ok "fio randwrite 4k-256k QD16 O_DIRECT, crc32c verify: $writes writes, all read back and verified ($((SECONDS - start)) s)"

section logout "logout"
echo 0 > "$ctlr/enabled"
wait_until 30 "the remote port to go" bash -c "[[ \$(cat $RPORT/port_state 2> /dev/null) != Online ]]"
echo "$IF" > /sys/bus/fcoe/ctlr_destroy
ok "FCoE interface disabled and destroyed"

section dmesg "kernel log"
errors=$(dmesg_errors)
[[ -z $errors ]] || { echo "$errors"; fail "dmesg has I/O or transport errors (above)"; }
ok "dmesg: no I/O, SCSI or FC transport errors since the test started"
echo "guest checks passed"
