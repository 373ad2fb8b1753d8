#!/usr/bin/env bash
# Thin provisioning and COMPARE AND WRITE end to end (issue 7), on a file
# LU: what is written is allocated in the backing file and GET LBA STATUS
# says mapped; UNMAP (raw iSCSI), a discard and a WRITE SAME with UNMAP
# (qemu-io) punch holes: the file's allocated blocks (stat %b) go down, GET
# LBA STATUS says deallocated there, and those blocks read back as zeros
# while the rest still reads back as written. Then COMPARE AND WRITE from
# several sessions racing plain writes never loses an update nor shows a
# torn range, and a fully provisioned LU (thinProvisioning false) refuses
# UNMAP and reports LBPME 0.
# usage: test_thin.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"
[[ $PEER == stmfd ]] || { pass "thin provisioning checks are stmfd's own"; exit 0; }

LU_SIZE=$((64 << 20))
start_target
URL=$(lun_url)
THIN=(timeout 150 python3 "$IT_DIR/thin_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --block 512)
IMG="$WORK/disk0.img"
MiB=2048  # 512-byte blocks

allocated() { sync; stat -c %b "$IMG"; }  # 512-byte units allocated to the file
status_at() {  # the descriptors from LBA $1, one per line
  local out
  out=$("${THIN[@]}" lba-status "$1") || fail "GET LBA STATUS at $1 failed: $out"
  echo "$out"
}

head -c $((16 << 20)) /dev/urandom > "$WORK/pattern"
timeout 120 qemu-img convert -n -f raw -O raw "$WORK/pattern" "$URL" || fail "qemu-img convert onto the LU failed"
full=$(allocated)
(( full >= 16 * MiB )) || fail "after writing 16 MiB the file has only $full blocks allocated"
first=$(status_at 0 | sed -n 1p)
[[ $first == "0 $((16 * MiB)) mapped" ]] || fail "GET LBA STATUS after the write: '$first', expected '0 $((16 * MiB)) mapped'"
log "16 MiB written: $full blocks allocated; GET LBA STATUS: $first"

# UNMAP 8 MiB at 2 MiB.
"${THIN[@]}" unmap $((2 * MiB)) $((8 * MiB)) || fail "UNMAP failed"
after=$(allocated)
(( full - after >= 8 * MiB )) || fail "UNMAP of 8 MiB freed only $((full - after)) blocks ($full -> $after)"
got=$(status_at 0 | sed -n 1,3p | tr '\n' ';')
want="0 $((2 * MiB)) mapped;$((2 * MiB)) $((8 * MiB)) deallocated;$((10 * MiB)) $((6 * MiB)) mapped;"
[[ $got == "$want" ]] || fail "GET LBA STATUS after UNMAP: '$got', expected '$want'"
got=$(status_at $((4 * MiB)) | sed -n 1p)
[[ $got == "$((4 * MiB)) $((6 * MiB)) deallocated" ]] || fail "GET LBA STATUS inside the hole: '$got'"
log "UNMAP freed $((full - after)) blocks; GET LBA STATUS: $got"

# A discard (UNMAP) and a write of zeros that may unmap (WRITE SAME(16) with UNMAP) from qemu-io.
timeout 60 qemu-io -f raw -c "discard 10M 2M" -c "write -z -u 12M 2M" "$URL" > "$WORK/qemu-io.log" 2>&1 \
  || { cat "$WORK/qemu-io.log"; fail "qemu-io discard / write -z -u failed"; }
after2=$(allocated)
(( after - after2 >= 4 * MiB )) || fail "discard + WRITE SAME UNMAP of 4 MiB freed only $((after - after2)) blocks"
got=$(status_at $((10 * MiB)) | sed -n 1,2p | tr '\n' ';')
[[ $got == "$((10 * MiB)) $((4 * MiB)) deallocated;$((14 * MiB)) $((2 * MiB)) mapped;" ]] \
  || fail "GET LBA STATUS after discard + WRITE SAME: '$got'"
log "discard + WRITE SAME(16) UNMAP freed $((after - after2)) more blocks"

# What was deallocated reads as zeros (LBPRZ), the rest as written.
timeout 120 qemu-img convert -f raw -O raw "$URL" "$WORK/back" || fail "reading the LU back failed"
cp "$WORK/pattern" "$WORK/expect"
truncate -s $((64 << 20)) "$WORK/expect"
dd if=/dev/zero of="$WORK/expect" bs=1M seek=2 count=12 conv=notrunc status=none
cmp "$WORK/expect" "$WORK/back" || fail "the LU does not read back as written with zeros where deallocated"
log "deallocated blocks read as zeros, the others as written"

"${THIN[@]}" caw-race > "$WORK/race.log" 2>&1 || { cat "$WORK/race.log"; fail "COMPARE AND WRITE race failed"; }
grep -E '^(PASS|race)' "$WORK/race.log" | sed "s/^/[$TEST_NAME] /"
require_alive "after the race"

# A fully provisioned LU: no UNMAP, LBPME 0.
eval "$(declare -f write_config | sed '1s/^write_config/lib_write_config/')"
write_config() {
  lib_write_config
  python3 - "$CONFIG_PATH" <<'PY' || fail "could not write the thick config"
import json, sys
path = sys.argv[1]
with open(path) as f:
    cfg = json.load(f)
cfg["logicalUnits"][0]["thinProvisioning"] = False
with open(path, "w") as f:
    json.dump(cfg, f, indent=2)
PY
}
restart_target
"${THIN[@]}" unmap 0 8 > "$WORK/thick.log" 2>&1 && fail "UNMAP on a fully provisioned LU succeeded"
grep -q "sense (5, 32, 0)" "$WORK/thick.log" || { cat "$WORK/thick.log"; fail "UNMAP on a thick LU: not INVALID COMMAND OPERATION CODE"; }
iscsi-readcapacity16 "$URL" > "$WORK/rc16.txt" || fail "READ CAPACITY(16) failed"
grep -Eq 'LBPME: *0' "$WORK/rc16.txt" || { cat "$WORK/rc16.txt"; fail "a thick LU reports LBPME 1"; }
require_alive "at the end"
pass "UNMAP / discard / WRITE SAME UNMAP free space and GET LBA STATUS reports it; COMPARE AND WRITE is atomic; thick LUs refuse UNMAP"
