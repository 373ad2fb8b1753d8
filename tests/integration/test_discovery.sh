#!/usr/bin/env bash
# Discovery and identification with libiscsi's tools: SendTargets
# (iscsi-ls), standard INQUIRY and the Unit Serial Number / Device
# Identification VPD pages (iscsi-inq), and READ CAPACITY(16).
# usage: test_discovery.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"

LU_BACKING=ram
LU_BLOCK=4096
LU_SIZE=$((64 << 20))                     # 16384 blocks of 4096 bytes
LU_SERIAL="STMFDTEST0001"
start_target

T=30   # seconds any single client command may take
out="$WORK/out.txt"

# run NAME CMD...: runs CMD under a timeout, output in $out; fails on error.
run() {
  local what=$1; shift
  if ! timeout "$T" "$@" > "$out" 2>&1; then
    cat "$out" >&2
    fail "$what: '$*' failed"
  fi
}
# expect PATTERN WHAT: $out must contain a line matching the ERE.
expect() {
  grep -Eq -- "$1" "$out" || { cat "$out" >&2; fail "$2: no line matching /$1/"; }
}

# 1. SendTargets discovery lists the target with our portal and TPGT.
run "discovery" iscsi-ls "$(portal_url)"
expect "^Target:${TARGET_IQN} Portal:127\.0\.0\.1:${PORT},1\$" "iscsi-ls target line"
[[ $(grep -c '^Target:' "$out") == 1 ]] || { cat "$out"; fail "iscsi-ls: expected exactly one target"; }

# 2. With -s it logs in and lists the LUN as a disk.
run "discovery with LUNs" iscsi-ls -s "$(portal_url)"
expect "^Target:${TARGET_IQN} Portal:127\.0\.0\.1:${PORT},1\$" "iscsi-ls -s target line"
expect "^Lun:${LUN} +Type:DIRECT_ACCESS \(Size:" "iscsi-ls -s LUN line"
if [[ $PEER == stmfd ]]; then
  [[ $(grep -c '^Lun:' "$out") == 1 ]] || { cat "$out"; fail "iscsi-ls -s: expected exactly one LUN"; }
fi

# 3. Standard INQUIRY (SPC-4 6.6.2).
run "standard inquiry" iscsi-inq "$(lun_url)"
expect '^Peripheral Qualifier:CONNECTED$' "inquiry qualifier"
expect '^Peripheral Device Type:DIRECT_ACCESS$' "inquiry device type"
expect '^Removable:0$' "inquiry RMB"
expect '^CmdQue:1$' "inquiry CMDQUE"
expect '^Vendor:STMFD *$' "inquiry vendor"
expect '^Product:VDISK *$' "inquiry product"

# 4. Supported VPD pages include 0x80 and 0x83 (SPC-4 7.8.14).
#    iscsi-inq parses --pagecode as a decimal integer ("0x80" becomes 0).
run "VPD 0x00" iscsi-inq -e 1 -c 0 "$(lun_url)"
expect '^Page:0x80 UNIT_SERIAL_NUMBER$' "supported VPD pages lists 0x80"
expect '^Page:0x83 DEVICE_IDENTIFICATION$' "supported VPD pages lists 0x83"

run "VPD 0x80" iscsi-inq -e 1 -c 128 "$(lun_url)"
expect "^Unit Serial Number:\[ *${LU_SERIAL}\]\$" "unit serial number VPD"

run "VPD 0x83" iscsi-inq -e 1 -c 131 "$(lun_url)"
expect '^Page Code:\(0x83\) DEVICE_IDENTIFICATION$' "device identification page code"
# A logical-unit NAA designator must be present (SPC-4 7.8.6.1).
awk '/^DEVICE DESIGNATOR/{a=0;n=0} /^Association:\(0\) LOGICAL_UNIT/{a=1} /^Designator Type:\(3\) NAA/{n=1} a&&n{ok=1} END{exit !ok}' "$out" \
  || { cat "$out"; fail "device identification: no NAA designator with LU association"; }

# 5. READ CAPACITY(16) reports the configured geometry.
run "readcapacity16" iscsi-readcapacity16 "$(lun_url)"
expect "^RETURNED LOGICAL BLOCK ADDRESS:$((LU_SIZE / LU_BLOCK - 1))\$" "last LBA"
expect "^LOGICAL BLOCK LENGTH IN BYTES:${LU_BLOCK}\$" "block length"
expect "^Total size:${LU_SIZE}\$" "total size"
run "readcapacity16 -s" iscsi-readcapacity16 -s "$(lun_url)"
[[ "$(tr -d '[:space:]' < "$out")" == "$LU_SIZE" ]] || { cat "$out"; fail "iscsi-readcapacity16 -s: expected $LU_SIZE"; }

# 6. Wrong names must not log in: a LUN that is not mapped (libiscsi's
#    login TUR then fails) and a target name that does not exist.
# must_fail WHAT URL: iscsi-inq must fail promptly (not hang).
must_fail() {
  local rc=0
  timeout "$T" iscsi-inq "$2" > "$out" 2>&1 || rc=$?
  (( rc != 0 )) || { cat "$out"; fail "$1: iscsi-inq succeeded"; }
  (( rc != 124 )) || fail "$1: iscsi-inq hung for ${T}s"
}
must_fail "unmapped LUN 7" "iscsi://127.0.0.1:$PORT/$TARGET_IQN/7"
must_fail "unknown target name" "iscsi://127.0.0.1:$PORT/iqn.2026-11.org.stmfd:nosuch/0"

# 7. After all that the daemon still serves.
require_alive "after the discovery checks"
run "inquiry after negatives" iscsi-inq "$(lun_url)"
expect '^Peripheral Device Type:DIRECT_ACCESS$' "inquiry after negative cases"

pass "discovery, inquiry, VPD 0x80/0x83, READ CAPACITY(16)"
