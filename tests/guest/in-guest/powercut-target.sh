#!/usr/bin/env bash
# One boot of the power-cut durability test (tests/integration/
# test_powercut.sh): stmfd runs in this guest with its LU backing files on
# the guest's own disk, and the host cuts the power (kills QEMU) while an
# initiator on the host writes through a forwarded port.
#
# Files in the share (--file): stmfd, lib/ (its shared libraries from the
# host), stmfd.json (dataDir /data), optionally powercut-nosync.so.
# Environment (--env):
#   POWERCUT_DISK      the data disk (default /dev/vdb); made ext4 when it
#                      holds no file system yet (first boot)
#   POWERCUT_ADDR      address/prefix for the NIC with POWERCUT_MAC (the
#                      host forwards its port to ADDR:3260)
#   POWERCUT_MAC       that NIC's MAC
#   POWERCUT_WRITEBACK held (default): as below; default: the kernel's own
#                      writeback settings and ext4's 5 s commit
#   POWERCUT_NOSYNC    1: run the daemon with powercut-nosync.so preloaded
#                      (the test's deliberately broken daemon)
# Handshake through $STMFD_GUEST_OUT: this script creates `serving` once
# the daemon listens; the host either kills QEMU (a power cut) or creates
# `stop`, and then this script stops the daemon with SIGTERM, unmounts the
# disk and exits 0. It exits 1 when the daemon dies on its own.
#
# So that data only in this guest's page cache stays there until a sync
# asks for it (and a missing sync cannot hide behind background
# writeback), periodic writeback is off and ext4 commits every 600 s.
source "$STMFD_GUEST_LIB"
disk=${POWERCUT_DISK:-/dev/vdb}
files=$STMFD_GUEST_SHARE/files
out=$STMFD_GUEST_OUT

step "the data disk and the page cache"
[[ -b $disk ]] || fail "no data disk $disk"
mount_opts=commit=600
if [[ ${POWERCUT_WRITEBACK:-held} == held ]]; then
  sysctl -qw vm.dirty_writeback_centisecs=0 vm.dirty_expire_centisecs=360000 \
    vm.dirty_ratio=80 vm.dirty_background_ratio=50
else
  mount_opts=defaults
  note "the kernel's default writeback and ext4 commit interval (POWERCUT_WRITEBACK=$POWERCUT_WRITEBACK)"
fi
if ! blkid "$disk" > /dev/null 2>&1; then
  mkfs.ext4 -q -F "$disk"
  note "made ext4 on $disk (first boot)"
fi
mkdir -p /data
mount -t ext4 -o "$mount_opts" "$disk" /data
ok "$disk mounted on /data ($(findmnt -no OPTIONS /data))"

step "the forwarded NIC"
nic=""
for dev in /sys/class/net/*; do
  [[ $(< "$dev/address") == "${POWERCUT_MAC,,}" ]] && nic=${dev##*/}
done
[[ -n $nic ]] || fail "no NIC with MAC $POWERCUT_MAC"
ip link set "$nic" up
ip addr add "$POWERCUT_ADDR" dev "$nic"
ok "$nic has $POWERCUT_ADDR"

step "the daemon"
preload=""
if [[ ${POWERCUT_NOSYNC:-0} == 1 ]]; then
  preload=$files/powercut-nosync.so
  note "BROKEN on purpose: syncs are no-ops ($preload)"
fi
cd /data
LD_LIBRARY_PATH=$files/lib LD_PRELOAD=$preload "$files/stmfd" --config "$files/stmfd.json" \
  > "$out/daemon.log" 2>&1 &
pid=$!
listening() { ss -Hltn "sport = :3260" | grep -q .; }
alive() { kill -0 "$pid" 2> /dev/null; }
deadline=$((SECONDS + 120))
until listening; do
  alive || { tail -n 50 "$out/daemon.log"; fail "the daemon exited during start-up"; }
  (( SECONDS < deadline )) || fail "the daemon does not listen on 3260 after 120 s"
  sleep 0.2
done
ok "stmfd pid $pid listens on ${POWERCUT_ADDR%/*}:3260"
: > "$out/serving"

until [[ -e $out/stop ]]; do
  if ! alive; then
    rc=0
    wait "$pid" || rc=$?
    tail -n 50 "$out/daemon.log"
    fail "the daemon exited by itself (status $rc)"
  fi
  sleep 0.2
done

step "stop"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
(( rc == 0 )) || fail "the daemon exited with status $rc after SIGTERM"
cd /
umount /data
ok "the daemon stopped; /data unmounted"
