#!/usr/bin/env bash
# Power-cut durability (issue 10 section 3; docs/durability.md "The power-cut
# test"): what kill -9 cannot show. stmfd runs inside the QEMU guest
# (tests/guest/, its Release binary and the host's shared libraries in the
# share) with LUs backed by files on the guest's own ext4 disk and by a
# second guest disk; those disks are host files (cache=writeback), so what
# the guest wrote to them or flushed survives QEMU's death and what only
# sat in the guest's page cache does not. The initiator runs on the host (durability_iscsi.py, three
# sessions per LU) through a port forwarded to the guest, and at a seeded
# moment 2-6 s into the writes the host kills QEMU with SIGKILL: a power
# cut. The next boot mounts the disk (ext4 replays its journal), starts
# stmfd on the same files, and every write acknowledged GOOD must read back
# under durability_iscsi.py's rule; that boot is then the next round's
# writes. The LUs are the kill test's three modes:
#   LUN 0  write cache off           512-byte blocks, thin file
#   LUN 1  write cache on, FUA       4096-byte blocks, fully provisioned
#   LUN 2  write cache on, SYNCHRONIZE CACHE   4096-byte blocks, thin file
#   LUN 3  write cache on, SYNCHRONIZE CACHE   4096-byte blocks, the guest's
#          third virtio disk (/dev/vdc, 64 MiB) as a block device LU
# and, for the persisted state, LUN 4 (16 MiB) where aptpl_iscsi.py's four
# initiators keep re-registering with APTPL=1 under a reservation: after
# each cut every acknowledged registration and the reservation must be
# there (the daemon's state file in the guest's /data).
# The guest keeps dirty data in its page cache until something syncs it
# (periodic writeback off, ext4 commit=600: powercut-target.sh), so a
# missing fdatasync/FUA would lose acknowledged writes.
#
# POWERCUT_BROKEN=nosync proves the check can fail: the same rounds with
# the daemon run under tests/guest/in-guest/powercut-nosync.c (LD_PRELOAD:
# every sync a no-op); the test then passes only when writes were lost.
#
# usage: test_powercut.sh <path-to-stmfd> [power cuts (default 1)] [seed]
# Prints QUALIFY acked_writes_checked / writes_lost / power_cuts (not in the
# broken mode). Exits 77 (ctest: skipped) when the guest image cannot be
# built here. One cut is two boots: 60 s on an idle 2-core machine,
# 115-135 s on a busy one; more than scripts/test's budget for one test, so
# under ctest (no count given) it runs only with STMFD_TEST_POWERCUT=1 and
# is skipped otherwise. scripts/durability runs it with more cuts.
if [[ -z ${2:-} && ${STMFD_TEST_POWERCUT:-0} != 1 ]]; then
  echo "SKIP [test_powercut]: set STMFD_TEST_POWERCUT=1 to run one power cut (60-135 s), or run scripts/durability"
  exit 77
fi
bin=${1:-}
[[ -n $bin && -e $bin ]] && bin=$(realpath "$bin")
source "$(dirname "$0")/lib.sh" "$bin"
require_guest_image

CUTS=${2:-${POWERCUT_CUTS:-1}}
SEED=${3:-${POWERCUT_SEED:-$(date +%s)}}
BROKEN=${POWERCUT_BROKEN:-}
[[ -z $BROKEN || $BROKEN == nosync ]] || fail "POWERCUT_BROKEN: only 'nosync' is known"
GUEST_ADDR=10.0.3.15 GUEST_MAC=52:54:00:12:34:57
LUS=(wt:512:thin fua:4096:thick sync:4096:thin sync:4096:block)
MAX_BLOCKS=2048            # LBAs written and read back per LU
GUEST_PIDS=()

# Stops a guest still running when the test ends early (its QEMU first).
powercut_cleanup() {
  local p
  for p in "$WORK"/boot*/qemu.pid; do
    [[ -s $p ]] && kill -KILL "$(< "$p")" 2> /dev/null || true
  done
  for p in "${GUEST_PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
}
trap 'rc=$?; powercut_cleanup; (exit $rc); on_exit' EXIT

# The share's files: stmfd, the shared libraries it uses (the host and the
# guest are both Debian 12; glibc itself is the guest's own), the config.
stage_files() {
  local files=$WORK/files lib
  mkdir -p "$files/lib"
  cp "$STMFD_BIN" "$files/stmfd"
  while read -r lib; do
    case ${lib##*/} in
      libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | ld-linux*) ;;
      *) cp -L "$lib" "$files/lib/" ;;
    esac
  done < <(ldd "$STMFD_BIN" | awk '$2 == "=>" && $3 ~ /^\// {print $3}')
  if [[ $BROKEN == nosync ]]; then
    gcc -shared -fPIC -O2 -o "$files/powercut-nosync.so" "$GUEST_DIR/in-guest/powercut-nosync.c" -ldl ||
      fail "could not build powercut-nosync.so"
  fi
  python3 - "$files/stmfd.json" "$TARGET_IQN" "$GUEST_ADDR" "${LUS[@]}" pr:512:thin <<'PY' || fail "could not write the config"
import json, sys
path, iqn, addr = sys.argv[1:4]
lus, luns = [], []
for n, spec in enumerate(sys.argv[4:]):
    mode, block, prov = spec.split(":")
    lu = {"name": f"pc{n}", "backing": "file", "path": f"/data/pc{n}.img",
          "sizeBytes": (16 if mode == "pr" else 64) << 20, "blockSize": int(block), "writeCache": mode != "wt",
          "thinProvisioning": prov == "thin"}
    if prov == "block":
        lu.update(backing="block", path="/dev/vdc")
        del lu["thinProvisioning"]
    lus.append(lu)
    luns.append({"lun": n, "logicalUnit": f"pc{n}"})
cfg = {"dataDir": "/data", "logLevel": "info",
       "targets": [{"name": iqn, "portals": [f"{addr}:3260"], "tpgt": 1, "auth": {"method": "none"},
                    "luns": luns}],
       "logicalUnits": lus}
with open(path, "w") as f:
    json.dump(cfg, f, indent=2)
PY
}

# boot B: starts the guest in the background (run-guest's output in
# $WORK/bootB.log) and waits until its daemon serves.
boot() {
  local b=$1 out=$WORK/boot$1 f args=()
  mkdir -p "$out"
  for f in "$WORK"/files/*; do args+=(--file "$f"); done
  [[ $BROKEN == nosync ]] && args+=(--env POWERCUT_NOSYNC=1)
  [[ -n ${POWERCUT_WRITEBACK:-} ]] && args+=(--env POWERCUT_WRITEBACK="$POWERCUT_WRITEBACK")
  "$GUEST_DIR/run-guest" --out "$out" --timeout 900 "${args[@]}" \
    --env POWERCUT_ADDR="$GUEST_ADDR/24" --env POWERCUT_MAC="$GUEST_MAC" \
    --qemu-arg -pidfile --qemu-arg "$out/qemu.pid" \
    --qemu-arg -drive --qemu-arg "file=$WORK/data.raw,format=raw,if=virtio,cache=writeback" \
    --qemu-arg -drive --qemu-arg "file=$WORK/block.raw,format=raw,if=virtio,cache=writeback" \
    --qemu-arg -netdev --qemu-arg "user,id=pc0,net=10.0.3.0/24,hostfwd=tcp:127.0.0.1:$PORT-$GUEST_ADDR:3260" \
    --qemu-arg -device --qemu-arg "virtio-net-pci,netdev=pc0,mac=$GUEST_MAC,romfile=" \
    "$GUEST_DIR/in-guest/powercut-target.sh" > "$WORK/boot$b.log" 2>&1 &
  GUEST_PIDS[b]=$!
  local deadline=$((SECONDS + 400))
  until [[ -e $out/share/out/serving ]]; do
    kill -0 "${GUEST_PIDS[b]}" 2> /dev/null || { cat "$WORK/boot$b.log"; fail "boot $b: the guest ended before its daemon served"; }
    (( SECONDS < deadline )) || { cat "$WORK/boot$b.log"; fail "boot $b: no daemon serving after 400 s"; }
    sleep 0.2
  done
  log "boot $b: the daemon in the guest serves (after $((SECONDS - deadline + 400)) s)"
}

# dur N R ARGS...: durability_iscsi.py against LUN N for round R. Its round
# number is 4R+N: it is part of the ISIDs, which must differ between the
# LUs' clients running at once (one journal per LU).
dur() {
  local n=$1 r=$2 mode block prov
  shift 2
  IFS=: read -r mode block prov <<< "${LUS[n]}"
  timeout 400 python3 "$IT_DIR/durability_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$n" --block "$block" \
    --max-blocks "$MAX_BLOCKS" --journal "$WORK/journal-$n.jsonl" --round $((4 * r + n)) "$@"
}

PR_LUN=${#LUS[@]}
PR=(timeout 400 python3 "$IT_DIR/aptpl_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$PR_LUN"
    --journal "$WORK/pr.jsonl")

CHECKED=0 LOST=0 BAD_ROUNDS=0 PR_CHECKED=0 PR_LOST=0
verify_round() {
  local r=$1 n rc checked lost
  rc=0
  "${PR[@]}" verify > "$WORK/verify-pr.out" 2>&1 || rc=$?
  sed "s/^/    [LUN $PR_LUN APTPL] /" "$WORK/verify-pr.out"
  read -r checked lost < <(awk '/^CHECKED/ {print $2, $4}' "$WORK/verify-pr.out")
  [[ -n ${checked:-} ]] || fail "round $r: the APTPL verifier printed no result (status $rc)"
  PR_CHECKED=$((PR_CHECKED + checked)) PR_LOST=$((PR_LOST + lost))
  (( rc == 0 )) || BAD_ROUNDS=$((BAD_ROUNDS + 1))
  for n in "${!LUS[@]}"; do
    rc=0
    dur "$n" "$r" verify > "$WORK/verify-$n.out" 2>&1 || rc=$?
    sed "s/^/    [LUN $n ${LUS[n]}] /" "$WORK/verify-$n.out"
    read -r checked lost < <(awk '/^CHECKED/ {print $2, $4}' "$WORK/verify-$n.out")
    [[ -n ${checked:-} ]] || fail "round $r LUN $n: the verifier printed no result (status $rc)"
    CHECKED=$((CHECKED + checked)) LOST=$((LOST + lost))
    (( rc == 0 )) || BAD_ROUNDS=$((BAD_ROUNDS + 1))
  done
}

write_and_cut() {
  local r=$1 n pids=() mode block prov rc ms
  for n in "${!LUS[@]}"; do
    IFS=: read -r mode block prov <<< "${LUS[n]}"
    rm -f "$WORK/ready-$n"
    dur "$n" "$r" write --seed $((SEED * 1000 + r * 10 + n)) --mode "$mode" --sessions 3 \
      --seconds 60 --ready "$WORK/ready-$n" > "$WORK/write-$n.out" 2>&1 &
    pids+=($!)
  done
  rm -f "$WORK/ready-pr"
  "${PR[@]}" write --round "$r" --seed $((SEED * 1000 + r)) --ready "$WORK/ready-pr" > "$WORK/write-pr.out" 2>&1 &
  local prpid=$!
  local deadline=$((SECONDS + 120))
  until [[ -e $WORK/ready-pr ]]; do
    kill -0 "$prpid" 2> /dev/null || { cat "$WORK/write-pr.out"; fail "round $r: the APTPL client never logged in"; }
    (( SECONDS < deadline )) || fail "round $r: no APTPL login after 120 s"
    sleep 0.1
  done
  for n in "${!LUS[@]}"; do
    until [[ -e $WORK/ready-$n ]]; do
      kill -0 "${pids[n]}" 2> /dev/null || { cat "$WORK/write-$n.out"; fail "round $r LUN $n: the writer never logged in"; }
      (( SECONDS < deadline )) || fail "round $r LUN $n: no login after 120 s"
      sleep 0.1
    done
  done
  ms=$((2000 + RANDOM % 4000))
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  kill -0 "$(< "$WORK/boot$r/qemu.pid")" 2> /dev/null || fail "round $r: the guest was gone before the cut"
  kill -KILL "$(< "$WORK/boot$r/qemu.pid")"
  log "round $r: power cut (QEMU SIGKILL) $ms ms into the writes"
  rc=0
  wait "${GUEST_PIDS[r]}" || rc=$?
  (( rc == 125 )) || { cat "$WORK/boot$r.log"; fail "round $r: run-guest status $rc, expected 125 (no exit status)"; }
  for n in "${!LUS[@]}"; do
    rc=0
    wait "${pids[n]}" || rc=$?
    sed "s/^/    [LUN $n ${LUS[n]}] /" "$WORK/write-$n.out"
    (( rc == 0 )) || fail "round $r LUN $n: the writer failed (status $rc)"
  done
  rc=0
  wait "$prpid" || rc=$?
  sed "s/^/    [LUN $PR_LUN APTPL] /" "$WORK/write-pr.out"
  (( rc == 0 )) || fail "round $r: the APTPL client failed (status $rc)"
}

stage_files
truncate -s 512M "$WORK/data.raw"
truncate -s 64M "$WORK/block.raw"
RANDOM=$SEED
log "seed $SEED, $CUTS power cut(s)${BROKEN:+, BROKEN daemon ($BROKEN)}"
for ((b = 1; b <= CUTS + 1; b++)); do
  boot "$b"
  (( b == 1 )) || verify_round $((b - 1))
  if (( b <= CUTS )); then
    write_and_cut "$b"
  else
    : > "$WORK/boot$b/share/out/stop"
    rc=0
    wait "${GUEST_PIDS[b]}" || rc=$?
    sed 's/^/    /' "$WORK/boot$b.log"
    (( rc == 0 )) || fail "the last boot: status $rc (the daemon did not stop cleanly)"
  fi
done

log "$CUTS power cut(s): $CHECKED acknowledged writes checked, $LOST lost;" \
  "$PR_CHECKED APTPL registrations and reservations checked, $PR_LOST lost"
if [[ $BROKEN == nosync ]]; then
  (( LOST > 0 )) || fail "the daemon without syncs lost nothing: this test cannot see a missing sync"
  pass "with syncs removed, $LOST of $CHECKED acknowledged writes were lost, as they must be" \
    "(and $PR_LOST of $PR_CHECKED APTPL checks)"
  exit 0
fi
echo "QUALIFY acked_writes_checked $CHECKED"
echo "QUALIFY writes_lost $LOST"
echo "QUALIFY power_cuts $CUTS"
(( CHECKED > 0 && PR_CHECKED > 0 )) || fail "no acknowledged write or registration was checked"
(( LOST == 0 && PR_LOST == 0 && BAD_ROUNDS == 0 )) ||
  fail "$LOST acknowledged write(s) and $PR_LOST APTPL state(s) lost, $BAD_ROUNDS failed verify(s)"
pass "$CUTS power cut(s), $CHECKED acknowledged writes read back byte for byte," \
  "$PR_CHECKED APTPL registrations and reservations kept"
