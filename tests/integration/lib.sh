# Shared helpers for the integration tests: real initiators (libiscsi tools,
# qemu-img) against a real stmfd. Source it as
#     source "$(dirname "$0")/lib.sh" "$1"
# where $1 is the stmfd binary (tests/CMakeLists.txt passes it).
#
# Every test gets a private temp dir ($WORK), a free loopback port ($PORT),
# a daemon started from a generated JSON config (wire/config.capnp schema),
# and an EXIT trap that stops the daemon with SIGTERM and fails the test if
# the daemon crashed, exited non-zero, or was still running 10 s after
# SIGTERM. On failure the daemon log is printed and $WORK is kept.
#
# Validation aid: if the binary given is named "tgtd", the same tests run
# against Debian's tgtd (configured with tgtadm to match), so the client
# side of every test can be checked before stmfd exists. tgtd numbers the
# disk LUN 1 (LUN 0 is its controller), hence $LUN.

set -euo pipefail

STMFD_BIN=${1:-}
if [[ -z "$STMFD_BIN" ]]; then
  echo "usage: $0 <path-to-stmfd>" >&2
  exit 2
fi
if [[ "$(basename "$STMFD_BIN")" == tgtd ]]; then
  PEER=tgtd
else
  PEER=stmfd
  [[ -x "$STMFD_BIN" ]] || { echo "FAIL: $STMFD_BIN is not an executable" >&2; exit 1; }
fi

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(git -C "$IT_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$IT_DIR/../.." && pwd))
TEST_NAME=$(basename "$0" .sh)

WORK=$(mktemp -d "/tmp/stmfd-${TEST_NAME}.XXXXXX")
# Each test daemon serves its admin interface on a socket of its own, never
# the default one a daemon started by scripts/run (or another test) uses.
export STMFD_ADMIN_SOCKET=${STMFD_ADMIN_SOCKET:-$WORK/admin.sock}
DAEMON_LOG="$WORK/daemon.log"
DAEMON_PID=""
FAILED=0

TARGET_IQN="iqn.2026-11.org.stmfd:test"
LUN=0
[[ $PEER == tgtd ]] && LUN=1

# Config knobs read by write_config (tests set them before calling it).
LU_BACKING="file"        # file | ram
LU_SIZE=$((64 << 20))  # bytes, multiple of LU_BLOCK
LU_BLOCK=512           # 512 | 4096
LU_SERIAL=""           # empty: the daemon derives one
AUTH=none              # none | chap | mutual
CHAP_USER="u"
CHAP_SECRET="secret123456"
MUTUAL_USER="t"
MUTUAL_SECRET="tsecret654321"
NOP_IN_INTERVAL=30
HEADER_DIGEST_ALLOWED=1   # tgtd mode only: offer CRC32C header digests
CONFIG_OVERLAY=""         # JSON object merged into the generated config (objects key by key)

log() { echo "[$TEST_NAME] $*"; }

print_daemon_log() {
  if [[ -s "$DAEMON_LOG" ]]; then
    echo "----- daemon log ($DAEMON_LOG, last 200 lines) -----"
    tail -n 200 "$DAEMON_LOG"
    echo "----- end of daemon log -----"
  fi
}

# fail MESSAGE...: report, print the daemon log, exit 1 (the EXIT trap still
# stops the daemon).
fail() {
  FAILED=1
  echo "FAIL [$TEST_NAME]: $*" >&2
  print_daemon_log >&2
  exit 1
}

pass() { echo "PASS [$TEST_NAME]: $*"; }

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)

portal_url() { echo "iscsi://127.0.0.1:$PORT"; }
lun_url() { echo "iscsi://${1:+$1@}127.0.0.1:$PORT/$TARGET_IQN/$LUN${2:+?$2}"; }

# State of a pid from /proc: empty when gone, "Z" for an unreaped child.
proc_state() {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || true
  echo "$st"
}

daemon_alive() {
  [[ -n "$DAEMON_PID" ]] || return 1
  local st
  st=$(proc_state "$DAEMON_PID")
  [[ -n "$st" && "$st" != Z ]]
}

port_listening() {
  ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .
}

# Writes $CONFIG_PATH ($WORK/stmfd.json) from the knobs above.
CONFIG_PATH="$WORK/stmfd.json"
write_config() {
  local cfg="$CONFIG_PATH" auth="" lu_path="" serial=""
  case "$AUTH" in
    none) auth='"auth": { "method": "none" },' ;;
    chap) auth="\"auth\": { \"method\": \"chap\", \"chapUser\": \"$CHAP_USER\", \"chapSecret\": \"$CHAP_SECRET\" },";;
    mutual) auth="\"auth\": { \"method\": \"chap\", \"chapUser\": \"$CHAP_USER\", \"chapSecret\": \"$CHAP_SECRET\", \"mutualUser\": \"$MUTUAL_USER\", \"mutualSecret\": \"$MUTUAL_SECRET\" },";;
    *) fail "write_config: bad AUTH=$AUTH" ;;
  esac
  [[ $LU_BACKING == file ]] && lu_path='"path": "disk0.img",'
  [[ -n $LU_SERIAL ]] && serial="\"serial\": \"$LU_SERIAL\","
  cat > "$cfg" <<EOF
{ "dataDir": "$WORK", "logLevel": "info",
  "iscsi": { "nopInInterval": $NOP_IN_INTERVAL },
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"], "tpgt": 1,
                 $auth
                 "luns": [ { "lun": 0, "logicalUnit": "disk0" } ] } ],
  "logicalUnits": [ { "name": "disk0", "backing": "$LU_BACKING", $lu_path $serial
                      "sizeBytes": $LU_SIZE, "blockSize": $LU_BLOCK, "writeCache": true } ] }
EOF
  python3 -m json.tool "$cfg" > /dev/null || fail "generated config is not valid JSON: $cfg"
  [[ -z $CONFIG_OVERLAY ]] || overlay_config "$CONFIG_OVERLAY"
}

# write_tape_config SIZE BARCODE: $CONFIG_PATH with one standalone tape
# drive LU "tape0" (provider ssc) at LUN 0, its cartridge $WORK/tape0.cart
# (SIZE bytes, created blank with BARCODE on first start); the tape tests
# (test_tape.sh, test_durability_tape.sh) use it as their write_config.
write_tape_config() {
  cat > "$CONFIG_PATH" <<EOF
{ "dataDir": "$WORK", "logLevel": "info",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"], "tpgt": 1,
                 "auth": { "method": "none" },
                 "luns": [ { "lun": 0, "logicalUnit": "tape0" } ] } ],
  "logicalUnits": [ { "name": "tape0", "provider": "ssc", "backing": "file", "path": "tape0.cart",
                      "sizeBytes": $1, "barcode": "$2" } ] }
EOF
}

# overlay_config JSON: merges a JSON object into $CONFIG_PATH (nested
# objects key by key, anything else replaced), e.g. limits for a test.
overlay_config() {
  python3 - "$CONFIG_PATH" "$1" <<'PY' || fail "could not merge $1 into the config"
import json, sys
def merge(base, extra):
    for k, v in extra.items():
        base[k] = merge(base.get(k, {}), v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return base
with open(sys.argv[1]) as f:
    cfg = json.load(f)
with open(sys.argv[1], "w") as f:
    json.dump(merge(cfg, json.loads(sys.argv[2])), f, indent=2)
PY
}

wait_for_port() {
  local deadline=$((SECONDS + 10))
  while ! port_listening; do
    if ! daemon_alive; then
      fail "daemon exited during start-up (port $PORT never listened)"
    fi
    if (( SECONDS >= deadline )); then
      fail "port $PORT not listening 10 s after start"
    fi
    sleep 0.1
  done
}

start_target() {
  local cfg="$CONFIG_PATH"
  write_config
  if [[ $PEER == tgtd ]]; then
    start_tgtd
    return
  fi
  log "starting $STMFD_BIN --config $cfg (port $PORT)"
  # cwd = $WORK so that a relative path resolves there whichever way the
  # daemon reads it.
  (cd "$WORK" && exec "$STMFD_BIN" --config "$cfg") >> "$DAEMON_LOG" 2>&1 &
  DAEMON_PID=$!
  wait_for_port
  log "daemon pid $DAEMON_PID listening on 127.0.0.1:$PORT"
}

# Stops the daemon; returns non-zero (after printing why) when it had died
# on its own, exited non-zero, or ignored SIGTERM for 10 s.
stop_target() {
  [[ -n "$DAEMON_PID" ]] || return 0
  local pid=$DAEMON_PID rc=0 st
  DAEMON_PID=""
  st=$(proc_state "$pid")
  if [[ -z "$st" || "$st" == Z ]]; then
    wait "$pid" 2>/dev/null || rc=$?
    echo "FAIL [$TEST_NAME]: daemon (pid $pid) had already exited before SIGTERM, status $rc$(describe_status $rc)" >&2
    return 1
  fi
  if [[ $PEER == tgtd ]]; then
    # tgtd ignores SIGTERM; it is only the validation peer.
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while st=$(proc_state "$pid"); [[ -n "$st" && "$st" != Z ]]; do
    if (( SECONDS >= deadline )); then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      echo "FAIL [$TEST_NAME]: daemon (pid $pid) still running 10 s after SIGTERM; killed" >&2
      return 1
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || rc=$?
  if (( rc != 0 )); then
    echo "FAIL [$TEST_NAME]: daemon exited with status $rc$(describe_status $rc) after SIGTERM (expected 0)" >&2
    return 1
  fi
  log "daemon stopped cleanly"
  return 0
}

describe_status() {
  local rc=$1
  if (( rc > 128 )); then
    echo " (signal $(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128))))"
  fi
}

# Fails the test unless the daemon is still running.
require_alive() {
  daemon_alive || fail "daemon is not running any more ($*)"
}

# Restarts the daemon with the current knobs (e.g. another AUTH) on the
# same port: the daemon must be able to listen again at once (SO_REUSEADDR),
# as it must after any service restart.
restart_target() {
  stop_target || fail "daemon did not stop cleanly before restart"
  start_target
}

# Sanitizer reports in the daemon log fail the test (the ASan+UBSan build,
# tests/sanitizers/run): UBSan prints its "runtime error" lines to stderr,
# which is this log; ASan and LSan print theirs here too when the daemon
# runs without tests/sanitizers/run's log_path (a sanitizer binary started
# by hand). A Release daemon never prints these.
SANITIZER_PATTERN='runtime error|ERROR: AddressSanitizer|ERROR: LeakSanitizer'
check_sanitizer_log() {
  [[ -s $DAEMON_LOG ]] && grep -Eq "$SANITIZER_PATTERN" "$DAEMON_LOG" || return 0
  echo "FAIL [$TEST_NAME]: sanitizer report in the daemon log:" >&2
  grep -E -A 30 "$SANITIZER_PATTERN" "$DAEMON_LOG" | head -n 80 >&2
  return 1
}

on_exit() {
  local rc=$?
  trap - EXIT
  if ! stop_target; then
    rc=1
    (( FAILED )) || print_daemon_log >&2
  fi
  check_sanitizer_log || rc=1
  if (( rc == 0 && FAILED == 0 )); then
    rm -rf "$WORK"
  else
    echo "[$TEST_NAME] kept $WORK for inspection" >&2
  fi
  exit "$rc"
}
trap on_exit EXIT

# delete_link_on_exit NAME: the EXIT trap deletes network link NAME (a tap
# the test made) before on_exit stops the daemon and judges the test.
delete_link_on_exit() {
  EXIT_LINK=$1
  trap on_exit_delete_link EXIT
}
on_exit_delete_link() {
  local st=$?
  set +e
  ip link del "$EXIT_LINK" 2> /dev/null
  (exit "$st")
  on_exit
}
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# Guest tests (tests/guest/): the kernel's initiators in a QEMU guest.
GUEST_DIR=$REPO_ROOT/tests/guest

# require_guest_image: builds the guest image once per machine (cached
# after that). When build-image says this machine cannot build it (its
# status 77: not root, no mirror, debootstrap failed; its message on stderr
# says which) the test is skipped: exit 77 with $WORK removed, since nothing
# ran. Any other failure of build-image fails the test.
require_guest_image() {
  local rc=0
  "$GUEST_DIR/build-image" > /dev/null || rc=$?
  if (( rc == 77 )); then
    echo "SKIP [$TEST_NAME]: the guest image cannot be built on this machine (build-image's message says why)"
    trap - EXIT
    rm -rf "$WORK"
    exit 77
  fi
  (( rc == 0 )) || fail "tests/guest/build-image failed (status $rc)"
}

# run_guest_checked LABEL TIMEOUT RUN-GUEST-ARGS...: runs tests/guest/run-guest
# with --out $WORK/LABEL --timeout TIMEOUT and the rest, and maps its status:
# 0 returns, 77 skips the test (exit 77), 124 (the guest ran out of time)
# and anything else fail it, naming the logs to read.
run_guest_checked() {
  local label=$1 timeout=$2 out=$WORK/$1 start=$SECONDS rc=0
  shift 2
  "$GUEST_DIR/run-guest" --out "$out" --timeout "$timeout" "$@" || rc=$?
  log "guest finished in $((SECONDS - start)) s with status $rc (logs: $out)"
  case $rc in
    0) ;;
    77) echo "SKIP [$TEST_NAME]: the guest skipped the test"; exit 77 ;;
    124) fail "the guest did not finish in $timeout s (console: $out/console.log)" ;;
    *) fail "the guest's checks failed (status $rc; console: $out/console.log, dmesg: $out/dmesg.txt)" ;;
  esac
}

# print_table LABEL...: step x target, from each guest run's
# $WORK/LABEL/share/out/steps.tsv (step<TAB>pass|fail|skip<TAB>note); a step a
# run did not record is "-". The steps' notes (why skipped or failed, what
# a pass means) follow the table.
print_table() {
  local label steps=() s w=14 line
  for label in "$@"; do
    [[ -r $WORK/$label/share/out/steps.tsv ]] || continue
    while IFS=$'\t' read -r s _; do
      [[ " ${steps[*]} " == *" $s "* ]] || steps+=("$s")
    done < "$WORK/$label/share/out/steps.tsv"
  done
  for label in "$@"; do (( ${#label} + 2 > w )) && w=$((${#label} + 2)); done
  echo
  line=$(printf '%-12s' step)
  for label in "$@"; do line+=$(printf "%-${w}s" "$label"); done
  echo "$line"
  for s in "${steps[@]}"; do
    line=$(printf '%-12s' "$s")
    for label in "$@"; do
      line+=$(printf "%-${w}s" "$(awk -F'\t' -v s="$s" '$1 == s {r = $2} END {print r == "" ? "-" : r}' \
        "$WORK/$label/share/out/steps.tsv" 2> /dev/null || echo -)")
    done
    echo "$line"
  done
  echo
  for label in "$@"; do
    awk -F'\t' -v l="$label" '$3 != "" {printf "  %s %s: %s: %s\n", l, $1, $2, $3}' \
      "$WORK/$label/share/out/steps.tsv" 2> /dev/null || true
  done
  echo
}

# ---------------------------------------------------------------------------
# tgtd (validation peer). Mirrors write_config's knobs with tgtadm.
start_tgtd() {
  TGTD_CTL=$((PORT % 30000 + 100))   # tgtd limits -C to a small range
  log "starting tgtd (validation peer) on port $PORT"
  tgtd -f -C "$TGTD_CTL" --iscsi "portal=127.0.0.1:$PORT" >> "$DAEMON_LOG" 2>&1 &
  DAEMON_PID=$!
  wait_for_port
  local A=(tgtadm -C "$TGTD_CTL" --lld iscsi)
  local img="$WORK/disk0.img"
  [[ -e "$img" ]] || truncate -s "$LU_SIZE" "$img"
  "${A[@]}" --op new --mode target --tid 1 -T "$TARGET_IQN"
  "${A[@]}" --op new --mode logicalunit --tid 1 --lun 1 -b "$img" --blocksize "$LU_BLOCK"
  "${A[@]}" --op update --mode logicalunit --tid 1 --lun 1 \
    --params "vendor_id=STMFD,product_id=VDISK${LU_SERIAL:+,scsi_sn=$LU_SERIAL}"
  "${A[@]}" --op bind --mode target --tid 1 -I ALL
  if (( HEADER_DIGEST_ALLOWED )); then
    "${A[@]}" --op update --mode target --tid 1 --name HeaderDigest --value "CRC32C,None"
  fi
  if [[ $AUTH != none ]]; then
    "${A[@]}" --op new --mode account --user "$CHAP_USER" --password "$CHAP_SECRET"
    "${A[@]}" --op bind --mode account --tid 1 --user "$CHAP_USER"
  fi
  if [[ $AUTH == mutual ]]; then
    "${A[@]}" --op new --mode account --user "$MUTUAL_USER" --password "$MUTUAL_SECRET"
    "${A[@]}" --op bind --mode account --tid 1 --user "$MUTUAL_USER" --outgoing
  fi
}

# ---------------------------------------------------------------------------
# Fault injection (test_faults.sh, faults_long.sh, test_fault_clients.sh):
# points are armed through stmfadm on the test daemon's admin socket.

# wait_admin STMFADM: waits up to 5 s for the admin socket to answer.
wait_admin() {
  for _ in $(seq 50); do "$1" list-lu > /dev/null 2>&1 && return 0; sleep 0.1; done
  fail "admin socket never answered"
}

# The fault long forms' QUALIFY lines (fault_ledger.py says why): firings
# are booked run by run, so that they add up across daemon restarts and
# count as recoveries only for runs that passed.
# fault_snap STMFADM FILE: the daemon's firings per point now ({} if dead).
fault_snap() { python3 "$IT_DIR/fault_ledger.py" snap "$1" "$2"; }
# fault_book BEFORE AFTER STATUS LEDGER SPEC [ALSO]: books one run's firings
# (by point and the action SPEC / ALSO armed it with); recoveries if STATUS 0.
fault_book() { python3 "$IT_DIR/fault_ledger.py" book "$@" || log "fault_book failed: $*"; }
# print_fault_qualify LEDGER RUN_QUALIFY_FILE DAEMON_CRASHES: the QUALIFY
# lines for scripts/qualify: faults_injected.<point>.<action> and
# recoveries from LEDGER, acknowledged writes checked, writes lost and hangs
# summed from the runs' own QUALIFY lines, daemon crashes as given.
print_fault_qualify() {
  python3 "$IT_DIR/fault_ledger.py" total "$1" "$2" "$3" || fail "fault_ledger.py total"
}
