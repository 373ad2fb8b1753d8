#!/bin/bash
# In-guest half of tests/integration/test_fcoe_guest.sh: Linux's software
# FCoE initiator (fcoe, libfc; VN2VN, no DCB, no switch) on the tap NIC
# against stmfd's FCoE port on the host's end of the tap. Environment
# (run-guest --env): STMFD_WWPN (the target port's WWPN, 16 hex digits),
# STMFD_LU_SIZE (bytes), STMFD_LU_BLOCK, STMFD_VENDOR, STMFD_PRODUCT,
# STMFD_SERIAL, STMFD_MTU (the tap NIC's MTU), STMFD_FIO_MIB.
# Leaves pattern-*.bin and offsets.txt (what went where on the LU) in
# $STMFD_GUEST_OUT for the host to compare with the backing file.
source "$STMFD_GUEST_LIB"

for v in STMFD_WWPN STMFD_LU_SIZE STMFD_LU_BLOCK STMFD_VENDOR STMFD_PRODUCT STMFD_SERIAL STMFD_MTU \
         STMFD_FIO_MIB STMFD_GUEST_TAP_IF; do
  [[ -n ${!v:-} ]] || fail "$v is not set"
done
IF=$STMFD_GUEST_TAP_IF
WWPN=0x${STMFD_WWPN,,}
dmesg_mark

step "FCoE VN2VN initiator on $IF (Linux $(uname -r)), target WWPN $WWPN"
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
wait_until 60 "remote port $WWPN" our_rport
want "remote port roles" "FCP Target" "$(cat "$RPORT/roles")"
ok "remote port $(basename "$RPORT"): id $(cat "$RPORT/port_id"), node $(cat "$RPORT/node_name"), $(cat "$RPORT/maxframe_size")"

find_disk() {
  local p
  for p in /dev/disk/by-path/*-fc-"$WWPN"-lun-0; do
    [[ -b $p ]] && { DISK=$(readlink -f "$p"); return 0; }
  done
  return 1
}
DISK=""
wait_until 60 "LUN 0 of $WWPN as a disk" find_disk
udevadm settle
ok "LUN 0 is $DISK: $(lsscsi | grep " $DISK *\$" | tr -s ' ')"

step "identity and capacity"
check_disk_identity "$DISK" "$STMFD_LU_SIZE" "$STMFD_LU_BLOCK" "$STMFD_VENDOR" "$STMFD_PRODUCT" "$STMFD_SERIAL"
sg_inq -p 0x83 "$DISK" | grep -qi "$STMFD_WWPN" || fail "VPD 0x83 does not name the target port $WWPN"
ok "VPD 0x83 names the target port $WWPN"

step "O_DIRECT writes at several offsets and sizes, read back"
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

step "logout"
echo 0 > "$ctlr/enabled"
wait_until 30 "the remote port to go" bash -c "[[ \$(cat $RPORT/port_state 2> /dev/null) != Online ]]"
echo "$IF" > /sys/bus/fcoe/ctlr_destroy
ok "FCoE interface disabled and destroyed"

step "kernel log"
errors=$(dmesg_errors)
[[ -z $errors ]] || { echo "$errors"; fail "dmesg has I/O or transport errors (above)"; }
ok "dmesg: no I/O, SCSI or FC transport errors since the test started"
echo "guest checks passed"
