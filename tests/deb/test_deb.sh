#!/usr/bin/env bash
# Issue 6: the .deb from CPack installs and starts cleanly on a fresh
# Debian 12. Builds the .deb from the build directory above the stmfd
# given, boots the fresh root of tests/deb/build-root under QEMU (TCG,
# systemd as init, user networking to the Debian mirror) and runs
# in-guest.sh there: apt install with dependencies from the mirror, service
# active (Type=notify), `stmfadm list-lu` with no flags, `systemctl reload`
# keeps a session, remove and purge clean. Prints the guest's PASS/FAIL
# lines and the time each phase took.
# Too slow for scripts/test (a cold cache builds the root: ~5 min; each run
# boots and installs under TCG: ~3-6 min): run it by hand or from CI jobs
# that have the time, as root the first time (debootstrap):
#   bash tests/deb/test_deb.sh build/Release/actors/stmfd
# Exit: 0 pass, 1 fail, 77 skipped (no root for the first build, no
# mirror, no cpack/qemu).
# Environment: STMFD_DEB_TIMEOUT (guest seconds, default 1200),
# STMFD_DEB_CACHE, STMFD_GUEST_MIRROR (see build-root).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STMFD_BIN=${1:?usage: test_deb.sh <path-to-stmfd>}
BUILD=$(cd "$(dirname "$STMFD_BIN")/.." && pwd)
TIMEOUT=${STMFD_DEB_TIMEOUT:-1200}
say() { echo "[test_deb] $*"; }
fail() { echo "FAIL [test_deb]: $*" >&2; exit 1; }

[[ -f $BUILD/CPackConfig.cmake ]] || fail "no CPackConfig.cmake in $BUILD"
command -v cpack > /dev/null || { say "SKIP: cpack is not installed"; exit 77; }
t0=$SECONDS
rc=0
img=$("$HERE/build-root") || rc=$?
(( rc == 0 )) || { (( rc == 77 )) && say "SKIP: no fresh root (see build-root above)"; exit "$rc"; }
say "fresh root: $img ($(grep -c . "$img/packages.txt") packages, ready after $((SECONDS - t0)) s)"

WORK=$(mktemp -d /tmp/stmfd-test_deb.XXXXXX)
qemu_pid=""
on_exit() {
  local rc=$?
  [[ -z $qemu_pid ]] || { kill -KILL "$qemu_pid" 2> /dev/null || true; wait "$qemu_pid" 2> /dev/null || true; }
  rm -f "$WORK/overlay.qcow2"
  if (( rc == 0 )); then rm -rf "$WORK"; else echo "[test_deb] kept $WORK for inspection" >&2; fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t1=$SECONDS
(cd "$WORK" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg") > "$WORK/cpack.log" 2>&1 \
  || fail "cpack -G DEB: $(tail -30 "$WORK/cpack.log")"
deb=$(ls "$WORK"/pkg/stmfd_*.deb | head -1)
say "built $(basename "$deb") in $((SECONDS - t1)) s: $(dpkg-deb -f "$deb" Depends)"

share=$WORK/share
mkdir -p "$share"
cp "$deb" "$share/stmfd.deb"
install -m 0755 "$HERE/in-guest.sh" "$share/test.sh"
cp "$HERE/hold_session.py" "$HERE/../integration/raw_iscsi.py" "$share/"
qemu-img create -q -f qcow2 -F raw -b "$img/rootfs.ext4" "$WORK/overlay.qcow2"
: > "$WORK/result.log"
qemu-system-x86_64 -name stmfd-deb -machine pc -accel tcg -cpu max -smp 2 -m 1536 -nodefaults -no-user-config \
  -display none -monitor none -no-reboot \
  -kernel "$img/vmlinuz" -initrd "$img/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0,115200 net.ifnames=0 panic=-1 mitigations=off systemd.show_status=false" \
  -drive "file=$WORK/overlay.qcow2,format=qcow2,if=virtio,cache=unsafe" \
  -netdev user,id=net0 -device virtio-net-pci,netdev=net0,romfile= \
  -fsdev "local,id=share0,path=$share,security_model=none" -device virtio-9p-pci,fsdev=share0,mount_tag=stmfd \
  -serial "file:$WORK/console.log" -serial "file:$WORK/result.log" > "$WORK/qemu.log" 2>&1 &
qemu_pid=$!
t2=$SECONDS
say "guest pid $qemu_pid booting (timeout $TIMEOUT s; console $WORK/console.log)"
while kill -0 "$qemu_pid" 2> /dev/null; do
  if (( SECONDS - t2 > TIMEOUT )); then
    tail -n 40 "$WORK/console.log" >&2
    fail "the guest did not finish within $TIMEOUT s (a hang, or a very loaded machine)"
  fi
  sleep 1
done
wait "$qemu_pid" || true
qemu_pid=""
tr -d '\r' < "$WORK/result.log" | sed 's/^/  [guest] /'
say "guest ran $((SECONDS - t2)) s; whole test $((SECONDS - t0)) s"
exit_line=$(tr -d '\r' < "$WORK/result.log" | grep '^DEB-TEST-EXIT ' | tail -1 || true)
if [[ -z $exit_line ]]; then
  tail -n 60 "$WORK/console.log" >&2
  fail "the guest never reported (see the console above)"
fi
[[ $exit_line == "DEB-TEST-EXIT 0" ]] || fail "the guest reported $exit_line"
grep -q "^PASS: systemctl reload kept" "$WORK/result.log" || fail "the reload check did not run"
echo "PASS [test_deb]: the .deb installs, starts (notify), serves stmfadm, keeps a session over reload, purges clean"
