#!/usr/bin/env bash
# Bulk data integrity with QEMU's iSCSI block driver (libiscsi underneath):
# a 256 MiB random image is written onto the LU with qemu-img convert, read
# back into a new file, and compared byte for byte. Three runs:
#   1. plain;
#   2. with CRC32C header digests (qemu: header-digest=crc32c; libiscsi
#      1.19 offers DataDigest=None only, so data digests cannot be tested
#      with this initiator);
#   3. with one-way CHAP (qemu: user=/password= options, and the
#      iscsi://user%password@... URL form for the read-back).
# The target pings with NOP-In every 2 s here, so the copies also exercise
# libiscsi's NOP-Out answers while data flows.
# usage: test_qemu_copy.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"

IMG_BYTES=$((256 << 20))
LU_BACKING="file"
LU_BLOCK=512
LU_SIZE=$((288 << 20))     # larger than the image: the tail must stay intact
NOP_IN_INTERVAL=2
COPY_TIMEOUT=120

command -v qemu-img > /dev/null || fail "qemu-img not installed (qemu-utils)"
[[ -e /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so ]] || ls /usr/lib/*/qemu/block-iscsi.so > /dev/null 2>&1 \
  || fail "QEMU's iSCSI driver is missing (qemu-block-extra)"

SRC="$WORK/src.img"
head -c "$IMG_BYTES" /dev/urandom > "$SRC"
[[ $(stat -c %s "$SRC") == "$IMG_BYTES" ]] || fail "could not create the source image"

# opts EXTRA: qemu --image-opts string for our LU.
opts() {
  echo "driver=iscsi,transport=tcp,portal=127.0.0.1:$PORT,target=$TARGET_IQN,lun=$LUN${1:+,$1}"
}

# copy_and_compare LABEL WRITE_OPTS READ_SPEC READ_IS_URL
copy_and_compare() {
  local label=$1 wopts=$2 rspec=$3 rurl=$4
  local back="$WORK/back-$label.img" rc=0
  log "$label: writing $((IMG_BYTES >> 20)) MiB"
  timeout "$COPY_TIMEOUT" qemu-img convert -n -f raw --target-image-opts "$SRC" "$wopts" \
    > "$WORK/qemu-$label-w.log" 2>&1 || rc=$?
  (( rc == 0 )) || { cat "$WORK/qemu-$label-w.log" >&2; fail "$label: qemu-img write failed (rc $rc)"; }
  require_alive "$label: after the write"
  log "$label: reading back"
  if [[ $rurl == url ]]; then
    timeout "$COPY_TIMEOUT" qemu-img convert -f raw -O raw "$rspec" "$back" \
      > "$WORK/qemu-$label-r.log" 2>&1 || rc=$?
  else
    timeout "$COPY_TIMEOUT" qemu-img convert -O raw --image-opts "$rspec" "$back" \
      > "$WORK/qemu-$label-r.log" 2>&1 || rc=$?
  fi
  (( rc == 0 )) || { cat "$WORK/qemu-$label-r.log" >&2; fail "$label: qemu-img read failed (rc $rc)"; }
  [[ $(stat -c %s "$back") == "$LU_SIZE" ]] \
    || fail "$label: read back $(stat -c %s "$back") bytes, the LU has $LU_SIZE"
  cmp -n "$IMG_BYTES" "$SRC" "$back" || fail "$label: data read back differs from what was written"
  # The bytes after the image were written by no one: run 1 sees the
  # fresh (zero) LU; later runs see what run 1 read (also zero).
  cmp -n $((LU_SIZE - IMG_BYTES)) -i "$IMG_BYTES:0" "$back" /dev/zero \
    || fail "$label: the LU past the image is not zero"
  rm -f "$back"
  log "$label: $((IMG_BYTES >> 20)) MiB identical"
}

# Checks what the target answered at login for KEY (libiscsi logs the
# target's login keys at debug level 6).
login_key_is() {
  local key=$1 want=$2 spec=$3
  LIBISCSI_DEBUG=6 timeout 30 qemu-img info --image-opts "$spec" > "$WORK/qemu-info.log" 2>&1 \
    || { cat "$WORK/qemu-info.log" >&2; fail "qemu-img info failed for $spec"; }
  grep -q "TargetLoginReply: $key=$want " "$WORK/qemu-info.log" \
    || { grep 'TargetLoginReply' "$WORK/qemu-info.log" >&2; fail "target did not answer $key=$want"; }
}

start_target

# 1. Plain.
copy_and_compare plain "$(opts)" "$(opts)" opts

# 2. Header digests: the target must accept CRC32C when it is all we offer,
#    and then every PDU both ways carries a checked header CRC.
login_key_is HeaderDigest CRC32C "$(opts header-digest=crc32c)"
head -c "$IMG_BYTES" /dev/urandom > "$SRC"
copy_and_compare digest "$(opts header-digest=crc32c)" "$(opts header-digest=crc32c)" opts

# 3. CHAP.
AUTH=chap
restart_target
if timeout 30 qemu-img info --image-opts "$(opts user=$CHAP_USER,password=wrongsecret99)" > /dev/null 2>&1; then
  fail "chap: qemu logged in with a wrong password"
fi
head -c "$IMG_BYTES" /dev/urandom > "$SRC"
copy_and_compare chap "$(opts user=$CHAP_USER,password=$CHAP_SECRET)" \
  "iscsi://$CHAP_USER%$CHAP_SECRET@127.0.0.1:$PORT/$TARGET_IQN/$LUN" url

require_alive "after the copies"
pass "256 MiB round trips through qemu-img: plain, CRC32C header digest, CHAP"
