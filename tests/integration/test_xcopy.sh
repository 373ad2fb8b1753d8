#!/usr/bin/env bash
# EXTENDED COPY between two file LUs of one daemon (issue 7, copy offload):
# libiscsi's ExtendedCopy and ReceiveCopyResults suites against LUN 0 (none
# may fail; what they skip is what this copy manager leaves out on purpose:
# the 0Ah segment descriptor of ExtendedCopy.Large), then a copy from LUN 0
# to LUN 1 over raw iSCSI, checked byte for byte in the backing files with
# cmp (with EXTENDED COPY LID1, then LID4), and an unknown destination
# refused with COPY TARGET DEVICE NOT REACHABLE.
# usage: test_xcopy.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"
[[ $PEER == stmfd ]] || { pass "EXTENDED COPY checks are stmfd's own"; exit 0; }

LU_SIZE=$((64 << 20))
eval "$(declare -f write_config | sed '1s/^write_config/lib_write_config/')"
write_config() {  # a second file LU, disk1, as LUN 1
  lib_write_config
  python3 - "$CONFIG_PATH" <<'PY' || fail "could not write the two-LU config"
import json, sys
path = sys.argv[1]
with open(path) as f:
    cfg = json.load(f)
lu = dict(cfg["logicalUnits"][0])
lu["name"], lu["path"] = "disk1", "disk1.img"
cfg["logicalUnits"].append(lu)
cfg["targets"][0]["luns"].append({"lun": 1, "logicalUnit": "disk1"})
with open(path, "w") as f:
    json.dump(cfg, f, indent=1)
PY
}
start_target
URL=$(lun_url)
score="$REPO_ROOT/../shared/scripts/cu-score"
if [[ ! -f $score ]]; then
  common=$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  [[ -n $common ]] && score="$(dirname "$common")/../shared/scripts/cu-score"
fi
[[ -f $score ]] || fail "cu-score is missing ($score)"

for suite in SCSI.ExtendedCopy SCSI.ReceiveCopyResults; do
  timeout 600 iscsi-test-cu -d -S -v -t "$suite" "$URL" > "$WORK/$suite.log" 2>&1 || true
  python3 "$score" < "$WORK/$suite.log" > "$WORK/$suite.score" || true
  python3 "$score" --list < "$WORK/$suite.log" > "$WORK/$suite.list" 2>/dev/null || true
  cat "$WORK/$suite.score"
  read -r clean skipped failed < <(python3 - "$WORK/$suite.score" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def num(word):
    m = re.search(r"(\d+)\s+" + word, text)
    return m.group(1) if m else "x"
print(num("clean"), num("skipped"), num("failed"))
PY
)
  [[ $failed == 0 ]] || { cat "$WORK/$suite.list" "$WORK/$suite.log" | tail -80; fail "$suite: $failed test(s) failed"; }
  [[ $clean != x && $clean -ge 2 ]] || { cat "$WORK/$suite.log" | tail -40; fail "$suite: only $clean clean"; }
  log "$suite: $clean clean, $skipped skipped, 0 failed"
done
require_alive "after the libiscsi suites"

# 3 MiB of random data at LBA 100 of disk0, copied to LBA 5000 of disk1.
blocks=6144
head -c $((blocks * 512)) /dev/urandom > "$WORK/pattern"
dd if="$WORK/pattern" of="$WORK/disk0.img" bs=512 seek=100 conv=notrunc status=none
sync
XC=(timeout 300 python3 "$IT_DIR/xcopy_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --block 512)
"${XC[@]}" copy 0 1 $blocks 100 5000 > "$WORK/copy.log" 2>&1 \
  || { cat "$WORK/copy.log"; fail "EXTENDED COPY from LUN 0 to LUN 1 failed"; }
sed "s/^/[$TEST_NAME] /" "$WORK/copy.log"
cmp -n $((blocks * 512)) -i $((100 * 512)):$((5000 * 512)) "$WORK/disk0.img" "$WORK/disk1.img" \
  || fail "disk1.img does not hold what disk0.img holds after the copy"
cmp -n $((blocks * 512)) "$WORK/pattern" <(dd if="$WORK/disk1.img" bs=512 skip=5000 count=$blocks status=none) \
  || fail "the copy is not the data written"
log "disk1.img LBA 5000.. equals disk0.img LBA 100.. byte for byte ($blocks blocks)"

# The same through EXTENDED COPY(LID4) and RECEIVE COPY STATUS(LID4), to LBA 20000.
"${XC[@]}" copy4 0 1 $blocks 100 20000 > "$WORK/copy4.log" 2>&1 \
  || { cat "$WORK/copy4.log"; fail "EXTENDED COPY(LID4) from LUN 0 to LUN 1 failed"; }
sed "s/^/[$TEST_NAME] /" "$WORK/copy4.log"
cmp -n $((blocks * 512)) "$WORK/pattern" <(dd if="$WORK/disk1.img" bs=512 skip=20000 count=$blocks status=none) \
  || fail "the LID4 copy is not the data written"
log "disk1.img LBA 20000.. holds the pattern after the LID4 copy"

"${XC[@]}" unreachable 0 > "$WORK/unreachable.log" 2>&1 \
  || { cat "$WORK/unreachable.log"; fail "an EXTENDED COPY to an unknown LU was not refused as it should be"; }
sed "s/^/[$TEST_NAME] /" "$WORK/unreachable.log"
require_alive "at the end"
pass "libiscsi ExtendedCopy/ReceiveCopyResults without failures; LUN 0 -> LUN 1 copy identical"
