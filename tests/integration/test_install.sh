#!/usr/bin/env bash
# Installation and packaging (issue 6 step 4): `cmake --install` into a
# DESTDIR lays out /usr/sbin/stmfd, stmfadm and its sbdadm/itadm links, the
# systemd unit, /etc/stmfd/stmfd.json (valid for `stmfd --check`, dataDir
# /var/lib/stmfd), /var/lib/stmfd and the man pages; `cpack -G DEB` builds a
# .deb whose control file has Debian 12 dependencies and maintainer
# scripts and whose contents hold the same layout; the unit passes
# `systemd-analyze verify` when that tool is there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "packaging is stmfd's own (skipped for $PEER)"; exit 0; }
BUILD=$(cd "$(dirname "$STMFD_BIN")/.." && pwd)
[[ -f $BUILD/CMakeCache.txt ]] || fail "no build directory above $STMFD_BIN"
command -v dpkg-deb > /dev/null || { echo "SKIP: dpkg-deb missing"; exit 77; }
ROOT="$WORK/root"

DESTDIR="$ROOT" cmake --install "$BUILD" --prefix /usr > "$WORK/install.log" 2>&1 \
  || fail "cmake --install: $(tail -20 "$WORK/install.log")"
for f in usr/sbin/stmfd usr/sbin/stmfadm; do
  [[ -x $ROOT/$f && ! -L $ROOT/$f ]] || fail "/$f is not an installed executable"
done
for l in sbdadm itadm; do
  [[ $(readlink "$ROOT/usr/sbin/$l") == stmfadm ]] || fail "/usr/sbin/$l is not a link to stmfadm"
done
UNIT="$ROOT/usr/lib/systemd/system/stmfd.service"
[[ -f $UNIT ]] || fail "no systemd unit at /usr/lib/systemd/system/stmfd.service"
grep -qx "Type=notify" "$UNIT" || fail "the unit is not Type=notify"
grep -qx "ExecStart=/usr/sbin/stmfd --config /etc/stmfd/stmfd.json" "$UNIT" || fail "ExecStart: $(grep ExecStart "$UNIT")"
grep -qx "ExecReload=/bin/sh -c 'kill -HUP \$\$MAINPID'" "$UNIT" || fail "ExecReload does not send SIGHUP by sh's kill"
CONF="$ROOT/etc/stmfd/stmfd.json"
[[ -f $CONF ]] || fail "no /etc/stmfd/stmfd.json"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); sys.exit(c["dataDir"] != "/var/lib/stmfd")' "$CONF" \
  || fail "/etc/stmfd/stmfd.json does not have dataDir /var/lib/stmfd"
[[ -d $ROOT/var/lib/stmfd ]] || fail "no /var/lib/stmfd"
for m in stmfd stmfadm sbdadm itadm; do
  [[ -f $ROOT/usr/share/man/man8/$m.8 ]] || fail "no man page $m.8"
done
# The installed daemon and config agree (no host paths checked: the config
# names /var/lib/stmfd, which --check may report missing on this host).
"$ROOT/usr/sbin/stmfd" --help > /dev/null || fail "the installed stmfd does not run"
man -l "$ROOT/usr/share/man/man8/stmfadm.8" 2>&1 | grep -q "list-stats" || fail "stmfadm.8 does not render"
log "ok: cmake --install layout"

if command -v systemd-analyze > /dev/null; then
  # The unit with its binaries pointed into the DESTDIR (verify checks that
  # ExecStart and friends exist); the man pages of Documentation= are not
  # installed on this host, so only those complaints are let through.
  sed "s|/usr/sbin/|$ROOT/usr/sbin/|g" "$UNIT" > "$WORK/stmfd.service"
  out=$(systemd-analyze verify "$WORK/stmfd.service" 2>&1) || true
  bad=$(grep -v "Command 'man stmf[a-z]*(8)' failed" <<< "$out" | grep . || true)
  [[ -z $bad ]] || fail "systemd-analyze verify: $bad"
  log "ok: systemd-analyze verify (${out:-no remarks})"
else
  log "systemd-analyze not installed: unit not verified"
fi

command -v cpack > /dev/null || { pass "install layout (cpack missing: no .deb)"; exit 0; }
(cd "$WORK" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg") > "$WORK/cpack.log" 2>&1 \
  || fail "cpack -G DEB: $(tail -30 "$WORK/cpack.log")"
DEB=$(ls "$WORK"/pkg/stmfd_*.deb 2>/dev/null | head -1)
[[ -n $DEB ]] || fail "cpack made no .deb: $(ls "$WORK/pkg")"
info=$(dpkg-deb -I "$DEB")
grep -q "^ Package: stmfd$" <<< "$info" || fail "control: no Package: stmfd"
deps=$(grep "^ Depends:" <<< "$info")
for lib in libcaf-core libcapnp liburing libsystemd0 systemd; do
  grep -q "$lib" <<< "$deps" || fail "Depends lacks $lib: $deps"
done
for s in postinst prerm postrm conffiles; do
  grep -q " $s" <<< "$info" || fail "the .deb has no $s"
done
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles | grep -qx /etc/stmfd/stmfd.json \
  || fail "/etc/stmfd/stmfd.json is not a conffile"
contents=$(dpkg-deb -c "$DEB")
for f in ./usr/sbin/stmfd ./usr/sbin/stmfadm ./usr/sbin/sbdadm ./usr/sbin/itadm \
         ./usr/lib/systemd/system/stmfd.service ./etc/stmfd/stmfd.json ./var/lib/stmfd/ \
         ./usr/share/man/man8/stmfd.8; do
  grep -q " $f\( \|$\)" <<< "$contents" || fail "the .deb does not hold $f"
done
log "ok: $(basename "$DEB"): $deps"
pass "cmake --install layout and the .deb (control, conffiles, contents)"
