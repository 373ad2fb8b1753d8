#!/usr/bin/env bash
# A block-device-backed LU: a loop device over a scratch file stands in for
# a disk. READ CAPACITY must report the device's size, data written through
# iSCSI must land on the device (checked in the file under it), and read
# back identical. Exits 77 (ctest: skipped) where loop devices are missing.
# usage: test_block_device.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"
[[ $PEER == stmfd ]] || { pass "block backing is stmfd's own"; exit 0; }

DEV_BYTES=$((48 << 20))
truncate -s "$DEV_BYTES" "$WORK/backing.raw"
LOOP=$(losetup -f --show "$WORK/backing.raw" 2>/dev/null) || LOOP=""
if [[ -z $LOOP || ! -b $LOOP ]]; then
  echo "SKIP [$TEST_NAME]: no loop device available here (losetup failed)"
  exit 77
fi
cleanup_loop() { losetup -d "$LOOP" 2>/dev/null || true; }
trap 'cleanup_loop; on_exit' EXIT

LU_BACKING=block
LU_SIZE=0
eval "$(declare -f write_config | sed '1s/^write_config/lib_write_config/')"
write_config() {
  LU_BACKING=ram LU_SIZE=$DEV_BYTES lib_write_config
  python3 - "$CONFIG_PATH" "$LOOP" <<'PY' || fail "could not write the block config"
import json, sys
path, dev = sys.argv[1], sys.argv[2]
with open(path) as f:
    cfg = json.load(f)
lu = cfg["logicalUnits"][0]
lu["backing"] = "block"
lu["path"] = dev
lu.pop("sizeBytes", None)  # 0: the whole device
with open(path, "w") as f:
    json.dump(cfg, f, indent=2)
PY
}
start_target

URL=$(lun_url)
size=$(iscsi-readcapacity16 "$URL" | awk -F: '/Total size/ {print $2}' | tr -d ' ')
[[ $size == "$DEV_BYTES" ]] || fail "READ CAPACITY(16) says $size bytes, the device has $DEV_BYTES"
log "capacity $size bytes = the loop device"

head -c $((8 << 20)) /dev/urandom > "$WORK/pattern"
timeout 120 qemu-img convert -n -f raw -O raw "$WORK/pattern" "$URL" || fail "qemu-img convert onto the LU failed"
timeout 120 qemu-img convert -f raw -O raw "$URL" "$WORK/back" || fail "qemu-img convert from the LU failed"
cmp -n $((8 << 20)) "$WORK/pattern" "$WORK/back" || fail "data read back differs"
sync
cmp -n $((8 << 20)) "$WORK/pattern" "$WORK/backing.raw" || fail "the data is not on the device"
require_alive "after the copies"
pass "block device LU: capacity, write, read back, data on the device"
