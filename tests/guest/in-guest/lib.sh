# Helpers for test scripts that run inside the guest (run-guest copies this
# file into the share each run; no image rebuild when it changes). Source it
# first thing:
#     source "$STMFD_GUEST_LIB"
# Everything a test prints (stdout and stderr) goes to the result channel,
# which run-guest copies to the host's stdout; the exit status is the test's.
set -euo pipefail

# A failing command names itself and its line before the script exits.
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (status $?)"' ERR

ok() { echo "ok: $*"; }
note() { echo "   $*"; }
step() { echo "== $*"; }
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# want WHAT EXPECTED ACTUAL: fails unless equal, else prints ok.
want() {
  [[ $3 == "$2" ]] || fail "$1: expected '$2', got '$3'"
  ok "$1 = $3"
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
wait_until() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    (( SECONDS < deadline )) || fail "timed out after ${limit} s waiting for $what"
    sleep 0.2
  done
}

# dmesg_mark, then dmesg_errors: the kernel's complaints about I/O,
# transports and file systems logged since the mark (or since boot).
DMESG_MARK=0
dmesg_mark() { DMESG_MARK=$(dmesg | wc -l); }
dmesg_errors() {
  dmesg | tail -n +$((DMESG_MARK + 1)) | grep -iE 'I/O error|blk_update_request|critical (medium|target) error|FAILED Result|Sense Key|EXT4-fs (error|warning)|conn error|timing out command|abort|reset|rejected|hung_task|BUG:|WARNING:|Call Trace' || true
}

# Keeps a copy of FILE for the host ($STMFD_GUEST_OUT is run-guest's
# --out DIR/share/out).
keep() { cp -a "$@" "$STMFD_GUEST_OUT/"; }

# check_disk_identity DISK SIZE BLOCK VENDOR PRODUCT SERIAL: READ
# CAPACITY(16), the block device's size, INQUIRY vendor, product and
# peripheral type (0: disk), and the unit serial number (VPD 0x80).
check_disk_identity() {
  local disk=$1 size=$2 block=$3 vendor=$4 product=$5 serial=$6 readcap inq
  field() { sed -n "s/^ *$1: *\(.*[^ ]\) *\$/\1/p"; }
  readcap=$(sg_readcap -16 "$disk")
  want "READ CAPACITY(16) size" "$size" "$(sed -n 's/.*Device size: \([0-9]*\) bytes.*/\1/p' <<< "$readcap")"
  want "READ CAPACITY(16) block length" "$block" "$(sed -n 's/.*Logical block length=\([0-9]*\) bytes.*/\1/p' <<< "$readcap")"
  want "block device size" "$size" "$(blockdev --getsize64 "$disk")"
  inq=$(sg_inq "$disk")
  want "INQUIRY vendor" "$vendor" "$(field 'Vendor identification' <<< "$inq")"
  want "INQUIRY product" "$product" "$(field 'Product identification' <<< "$inq")"
  want "INQUIRY peripheral device type (0: disk)" 0 "$(sed -n 's/.*PDT=\([0-9]*\).*/\1/p' <<< "$inq" | head -1)"
  want "unit serial number (VPD 0x80)" "$serial" "$(sg_inq -p 0x80 "$disk" | field 'Unit serial number')"
}
