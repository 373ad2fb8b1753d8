#!/bin/bash
# In-guest half of tests/integration/test_kernel_iscsi.sh: Linux's open-iscsi
# initiator against stmfd on the host (10.0.2.2). Environment (run-guest
# --env): STMFD_TARGET (IQN), STMFD_PORT, STMFD_LUN, STMFD_LU_SIZE (bytes),
# STMFD_LU_BLOCK, STMFD_VENDOR, STMFD_PRODUCT, STMFD_SERIAL, STMFD_FIO_MIB
# (how much fio writes and verifies).
# Leaves sums.txt (sha256 of the files written) in $STMFD_GUEST_OUT.
source "$STMFD_GUEST_LIB"

for v in STMFD_TARGET STMFD_PORT STMFD_LUN STMFD_LU_SIZE STMFD_LU_BLOCK STMFD_VENDOR \
         STMFD_PRODUCT STMFD_SERIAL STMFD_FIO_MIB; do
  [[ -n ${!v:-} ]] || fail "$v is not set"
done
PORTAL=$STMFD_HOST:$STMFD_PORT
BY_PATH=/dev/disk/by-path/ip-$PORTAL-iscsi-$STMFD_TARGET-lun-$STMFD_LUN
MNT=/mnt/lu
NODE=(-m node -T "$STMFD_TARGET" -p "$PORTAL")
DISK=""
dmesg_mark

step "open-iscsi $(iscsiadm --version | awk '{print $3}') on Linux $(uname -r), target $STMFD_TARGET at $PORTAL"
echo "InitiatorName=iqn.2026-11.org.stmfd:guest" > /etc/iscsi/initiatorname.iscsi
modprobe iscsi_tcp
iscsid
wait_until 10 "iscsid" test -s /run/iscsid.pid

step "discovery (SendTargets)"
targets=$(iscsiadm -m discovery -t sendtargets -p "$PORTAL" -o nonpersistent)
note "$targets"
grep -q " $STMFD_TARGET\$" <<< "$targets" || fail "SendTargets does not list $STMFD_TARGET"
ok "SendTargets lists $STMFD_TARGET"

# login DIGEST: a static node record for the host's address (SendTargets
# answers with the target's own 127.0.0.1), CRC32C or None digests; sets DISK.
login() {
  iscsiadm "${NODE[@]}" -o new > /dev/null
  iscsiadm "${NODE[@]}" -o update -n 'node.conn[0].iscsi.HeaderDigest' -v "$1"
  iscsiadm "${NODE[@]}" -o update -n 'node.conn[0].iscsi.DataDigest' -v "$1"
  iscsiadm "${NODE[@]}" --login > /dev/null
  wait_until 30 "$BY_PATH" test -b "$BY_PATH"
  udevadm settle
  DISK=$(readlink -f "$BY_PATH")
  local params
  params=$(iscsiadm -m session -P 2)
  want "negotiated HeaderDigest" "$1" "$(awk '/HeaderDigest:/ {print $2}' <<< "$params")"
  want "negotiated DataDigest" "$1" "$(awk '/DataDigest:/ {print $2}' <<< "$params")"
  ok "logged in (digests $1): $(lsscsi | grep " $DISK *\$" | tr -s ' ')"
}

logout() {
  iscsiadm "${NODE[@]}" --logout > /dev/null
  wait_until 30 "$DISK to go away" test ! -e "$BY_PATH"
  iscsiadm "${NODE[@]}" -o delete
  if iscsiadm -m session > /dev/null 2>&1; then fail "a session is left after logout"; fi
  ok "logged out; no session left"
}

verify_files() {  # WHEN
  (cd "$MNT" && sha256sum --quiet -c "$STMFD_GUEST_OUT/sums.txt") || fail "sha256 differs $1"
  ok "$(wc -l < "$STMFD_GUEST_OUT/sums.txt") files: sha256 identical $1"
}

step "session 1: login, identity, capacity, file system"
login None

readcap=$(sg_readcap -16 "$DISK")
want "READ CAPACITY(16) size" "$STMFD_LU_SIZE" "$(sed -n 's/.*Device size: \([0-9]*\) bytes.*/\1/p' <<< "$readcap")"
want "READ CAPACITY(16) block length" "$STMFD_LU_BLOCK" "$(sed -n 's/.*Logical block length=\([0-9]*\) bytes.*/\1/p' <<< "$readcap")"
readcap10=$(sg_readcap "$DISK")
want "READ CAPACITY(10) size" "$STMFD_LU_SIZE" "$(sed -n 's/.*Device size: \([0-9]*\) bytes.*/\1/p' <<< "$readcap10")"
want "block device size" "$STMFD_LU_SIZE" "$(blockdev --getsize64 "$DISK")"

field() { sed -n "s/^ *$1: *\(.*[^ ]\) *\$/\1/p"; }
inq=$(sg_inq "$DISK")
want "INQUIRY vendor" "$STMFD_VENDOR" "$(field 'Vendor identification' <<< "$inq")"
want "INQUIRY product" "$STMFD_PRODUCT" "$(field 'Product identification' <<< "$inq")"
want "INQUIRY peripheral device type (0: disk)" 0 "$(sed -n 's/.*PDT=\([0-9]*\).*/\1/p' <<< "$inq" | head -1)"
want "unit serial number (VPD 0x80)" "$STMFD_SERIAL" "$(sg_inq -p 0x80 "$DISK" | field 'Unit serial number')"

mkfs.ext4 -q -F -L stmfd-lu "$DISK"
mkdir -p "$MNT"
mount "$DISK" "$MNT"
ok "mkfs.ext4 and mount: $(df -h --output=size,fstype "$MNT" | tail -1 | tr -s ' ')"
head -c $((32 << 20)) /dev/urandom > "$MNT/big.bin"
mkdir "$MNT/small"
for i in $(seq 200); do head -c $(( (RANDOM % 64 + 1) * 1000 + i )) /dev/urandom > "$MNT/small/f$i"; done
(cd "$MNT" && find . -path ./lost+found -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) \
  > "$STMFD_GUEST_OUT/sums.txt"
umount "$MNT"
blockdev --flushbufs "$DISK"
echo 3 > /proc/sys/vm/drop_caches
mount "$DISK" "$MNT"
verify_files "after umount, cache drop and remount"
umount "$MNT"
logout

step "session 2: CRC32C header and data digests; data again, then fio"
login CRC32C
mount "$DISK" "$MNT"
verify_files "in a new session"
fio_log=/tmp/fio.log
fio --name=crc32c-verify --filename="$MNT/fio.dat" --size="${STMFD_FIO_MIB}M" \
    --ioengine=libaio --direct=1 --iodepth=16 --rw=randwrite --bsrange=4k-128k \
    --verify=crc32c --verify_fatal=1 --verify_backlog=256 --do_verify=1 \
    > "$fio_log" 2>&1 || { cat "$fio_log"; fail "fio failed"; }
keep "$fio_log"
grep -q 'err= 0' "$fio_log" || { cat "$fio_log"; fail "fio reported an error"; }
# Every write is read back and checked (verify_backlog as it goes, the
# verify phase for the rest): as many reads as writes were issued.
wrote=$(sed -n 's/^ *WRITE: bw=\([^ ]*\).*io=\([^ ]*\).*/\2 at \1/p' "$fio_log")
issued=$(sed -n 's/.*issued rwts: total=\([0-9]*\),\([0-9]*\),.*/\1 \2/p' "$fio_log")
read -r reads writes <<< "$issued"
[[ -n $writes && $writes -gt 0 && $reads == "$writes" ]] \
  || { cat "$fio_log"; fail "fio verified $reads of $writes writes"; }
ok "fio randwrite 4k-128k QD16, crc32c verify: wrote $wrote in $writes I/Os, all $reads read back and verified"
rm "$MNT/fio.dat"

step "thin provisioning: the kernel discards through UNMAP"
queue=/sys/block/$(basename "$DISK")/queue
dmax=$(cat "$queue/discard_max_bytes")
(( dmax > 0 )) || fail "the kernel does not see the LU as discard-capable (discard_max_bytes $dmax)"
ok "discard-capable: discard_max_bytes $dmax, discard_granularity $(cat "$queue/discard_granularity")"
sync  # ext4 frees the removed fio file's blocks when the journal commits; fstrim trims only free blocks
trimmed=$(fstrim -v "$MNT") || fail "fstrim failed"
ok "fstrim (the fio file's blocks go back to the host): $trimmed"
umount "$MNT"
# The last MiB is free space of the last block group: write it, see it
# mapped (GET LBA STATUS), blkdiscard it (which wants the device unmounted),
# see it deallocated and zero.
mib=$((STMFD_LU_SIZE >> 20))
lba=$(((STMFD_LU_SIZE - (1 << 20)) / STMFD_LU_BLOCK))
dd if=/dev/urandom of="$DISK" bs=1M seek=$((mib - 1)) count=1 oflag=direct conv=notrunc status=none
want "GET LBA STATUS of the last MiB after a write (0: mapped)" 0 "$(sg_get_lba_status -bb --lba=$lba "$DISK")"
blkdiscard -o $((STMFD_LU_SIZE - (1 << 20))) -l $((1 << 20)) "$DISK" || fail "blkdiscard failed"
want "GET LBA STATUS of the last MiB after blkdiscard (1: deallocated)" 1 "$(sg_get_lba_status -bb --lba=$lba "$DISK")"
cmp -n $((1 << 20)) <(dd if="$DISK" bs=1M skip=$((mib - 1)) count=1 iflag=direct status=none) /dev/zero \
  || fail "the discarded MiB does not read back as zeros"
ok "blkdiscard of the last MiB: deallocated on the target, reads back as zeros"
udevadm settle  # the probe blkdiscard's close triggers must not race the logout
logout

step "kernel log"
errors=$(dmesg_errors)
[[ -z $errors ]] || { echo "$errors"; fail "dmesg has I/O or transport errors (above)"; }
ok "dmesg: no I/O, SCSI, iSCSI or ext4 errors since the test started"
echo "guest checks passed"
