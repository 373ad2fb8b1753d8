#!/usr/bin/env bash
# Linux's own iSCSI initiator (open-iscsi, kernel 6.1) against stmfd: a
# Debian guest under QEMU TCG (tests/guest/) logs in to a 1 GiB file LU on
# the host through user networking (the host's 127.0.0.1 is 10.0.2.2 there)
# and checks, in tests/guest/in-guest/iscsi-disk.sh: SendTargets; login by
# a static node record; READ CAPACITY(10/16) and INQUIRY vendor, product,
# serial; mkfs.ext4, files verified by sha256 after a remount and again in
# a second session with CRC32C header and data digests; fio randwrite with
# crc32c verify; the LU is discard-capable (discard_max_bytes), fstrim and
# blkdiscard deallocate (GET LBA STATUS, zeros); logout; no I/O or
# transport errors in dmesg. Back on the host: the backing file holds a
# clean ext4 with the same files, and allocates no more than the file system
# uses (the trimmed fio file's blocks were freed).
# Exits 77 (ctest: skipped) when the guest image cannot be built here.
# About 65 s once the image is cached (the first build-image: ~2.5 minutes).
# usage: test_kernel_iscsi.sh <path-to-stmfd>

bin=${1:-}
[[ -n $bin && -e $bin ]] && bin=$(realpath "$bin")   # lib.sh starts it from $WORK
source "$(dirname "$0")/lib.sh" "$bin"
require_guest_image

LU_BACKING=file
LU_SIZE=$((1 << 30))
LU_BLOCK=512
LU_SERIAL=STMFDKERNEL0001
VENDOR=STMFD PRODUCT=VDISK
FIO_MIB=${STMFD_KERNEL_ISCSI_FIO_MIB:-160}
GUEST_TIMEOUT=300

start_target

log "booting the guest (QEMU TCG, 1 GiB, 2 vCPUs); its output follows"
run_guest_checked guest "$GUEST_TIMEOUT" \
  --env STMFD_TARGET="$TARGET_IQN" --env STMFD_PORT="$PORT" --env STMFD_LUN="$LUN" \
  --env STMFD_LU_SIZE="$LU_SIZE" --env STMFD_LU_BLOCK="$LU_BLOCK" \
  --env STMFD_VENDOR="$VENDOR" --env STMFD_PRODUCT="$PRODUCT" --env STMFD_SERIAL="$LU_SERIAL" \
  --env STMFD_FIO_MIB="$FIO_MIB" \
  "$GUEST_DIR/in-guest/iscsi-disk.sh"
require_alive "after the guest's session"

# What the guest wrote is on the host's backing file: a clean ext4 with the
# files the guest summed.
img=$WORK/disk0.img
sums=$WORK/guest/share/out/sums.txt
[[ -s $sums ]] || fail "the guest left no sums.txt"
e2fsck -fn "$img" > "$WORK/e2fsck.log" 2>&1 || { cat "$WORK/e2fsck.log"; fail "e2fsck finds errors in the LU's backing file"; }
checked=0
while read -r sum name; do
  got=$(debugfs -R "cat /${name#./}" "$img" 2> /dev/null | sha256sum | cut -d' ' -f1)
  [[ $got == "$sum" ]] || fail "$name in the backing file: sha256 $got, the guest wrote $sum"
  checked=$((checked + 1))
done < <(grep -E ' \./(big\.bin|small/f1[0-9])$' "$sums")
log "host: e2fsck clean on the backing file; $checked files in it match the guest's sha256"

# The guest's fstrim gave the fio file's blocks back: the backing file holds
# about what the file system uses, well below what was written to it.
sync
alloc=$(( $(stat -c %b "$img") * 512 ))
used=$(( $(debugfs -R stats "$img" 2> /dev/null | awk -F: '/^Block count/ {c=$2} /^Free blocks/ {f=$2} /^Block size/ {b=$2} END {print (c - f) * b}') ))
written=$(( (FIO_MIB + 40) << 20 ))
log "host: backing file allocates $((alloc >> 20)) MiB; the file system uses $((used >> 20)) MiB; $((written >> 20)) MiB were written"
(( alloc < used + (32 << 20) )) || fail "after fstrim the backing file still allocates $((alloc >> 20)) MiB (the file system uses $((used >> 20)) MiB)"
pass "kernel open-iscsi in a guest: discovery, login, capacity, INQUIRY, ext4 + sha256, CRC32C digests, fio crc32c verify, discard (fstrim, blkdiscard) frees space, logout, clean dmesg"
