# Kill-9 durability rounds (issue 10 section 3), shared by
# tests/integration/test_durability.sh (short form) and scripts/durability
# (long form). Source it after lib.sh.
#
#   durability_run MODE PROVISIONING BLOCK KILLS SEED
#     MODE: wt (writeCache false) | fua | sync (writeCache true), see
#     durability_iscsi.py for what each counts as durable.
#     PROVISIONING: thin | thick (a file LU) | block (a loop device over a
#     file; needs losetup, else the combination is skipped with a message).
#   Each round starts the daemon, lets durability_iscsi.py write from
#   several sessions, kills the daemon with SIGKILL after a seeded random
#   delay, restarts it and verifies every block. The backing store is
#   created fresh for each call and kept across its rounds, so a block
#   written in round 1 must still hold after the kills of the later ones.
#   Adds to DUR_CHECKED, DUR_LOST, DUR_KILLS, DUR_FAILED_ROUNDS.

DUR_CHECKED=0
DUR_LOST=0
DUR_KILLS=0
DUR_FAILED_ROUNDS=0
DUR_LOOPS=()
DUR_MODE=wt
DUR_PROV=thin
DUR_DEV=""

durability_cleanup() {
  local l
  for l in "${DUR_LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
}

# The generated config with this call's write cache, provisioning and
# backing (lib.sh's write_config, then edited).
eval "$(declare -f write_config | sed '1s/^write_config/lib_write_config/')"
write_config() {
  lib_write_config
  python3 - "$CONFIG_PATH" "$DUR_MODE" "$DUR_PROV" "$DUR_DEV" <<'PY' || fail "could not edit the config"
import json, sys
path, mode, prov, dev = sys.argv[1:5]
with open(path) as f:
    cfg = json.load(f)
lu = cfg["logicalUnits"][0]
lu["writeCache"] = mode != "wt"
lu["thinProvisioning"] = prov == "thin"
if prov == "block":
    lu["backing"] = "block"
    lu["path"] = dev
    lu.pop("sizeBytes", None)
with open(path, "w") as f:
    json.dump(cfg, f, indent=2)
PY
}

# SIGKILL, reap, and forget the daemon (the EXIT trap must not see it).
durability_kill() {
  local pid=$DAEMON_PID
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  DAEMON_PID=""
}

durability_run() {
  local mode=$1 prov=$2 block=$3 kills=$4 seed=$5
  local tag="$mode-$prov-$block"
  local journal="$WORK/journal-$tag.jsonl" out="$WORK/dur-$tag.out"
  local DUR=(python3 "$IT_DIR/durability_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN"
             --block "$block" --journal "$journal")
  DUR_MODE=$mode DUR_PROV=$prov DUR_DEV=""
  LU_BLOCK=$block
  LU_SIZE=$((8192 * block))
  rm -f "$WORK/disk0.img" "$journal"
  if [[ $prov == block ]]; then
    truncate -s "$LU_SIZE" "$WORK/loop-$tag.raw"
    DUR_DEV=$(losetup -f --show "$WORK/loop-$tag.raw" 2>/dev/null) || DUR_DEV=""
    if [[ -z $DUR_DEV || ! -b $DUR_DEV ]]; then
      log "SKIP $tag: no loop device (losetup failed)"
      return 0
    fi
    DUR_LOOPS+=("$DUR_DEV")
  fi
  RANDOM=$seed
  local r rc checked lost
  for ((r = 1; r <= kills; r++)); do
    start_target
    rm -f "$WORK/ready"
    "${DUR[@]}" --round "$r" write --seed $((seed * 1000 + r)) --mode "$mode" --ready "$WORK/ready" \
      > "$out" 2>&1 &
    local writer=$!
    local deadline=$((SECONDS + 20))
    while [[ ! -e $WORK/ready ]]; do
      kill -0 "$writer" 2>/dev/null || break
      (( SECONDS < deadline )) || break
      sleep 0.05
    done
    [[ -e $WORK/ready ]] || { cat "$out"; fail "$tag round $r: the writer never logged in"; }
    # A seeded moment 0.2 .. 1.5 s into the writes.
    local ms=$((200 + RANDOM % 1300))
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    require_alive "$tag round $r before the kill"
    durability_kill
    DUR_KILLS=$((DUR_KILLS + 1))
    rc=0
    wait "$writer" || rc=$?  # it ends when the target goes away
    sed "s/^/    [$tag] /" "$out"
    (( rc == 0 )) || fail "$tag round $r: the writer failed (status $rc)"
    start_target
    rc=0
    timeout 120 "${DUR[@]}" --round "$r" verify > "$out" 2>&1 || rc=$?
    sed "s/^/    [$tag] /" "$out"
    read -r checked lost < <(awk '/^CHECKED/ {print $2, $4}' "$out")
    [[ -n ${checked:-} ]] || fail "$tag round $r: the verifier printed no result (status $rc)"
    DUR_CHECKED=$((DUR_CHECKED + checked))
    DUR_LOST=$((DUR_LOST + lost))
    (( rc == 0 )) || DUR_FAILED_ROUNDS=$((DUR_FAILED_ROUNDS + 1))
    stop_target || fail "$tag round $r: the daemon did not stop cleanly after the verify"
  done
}

# The check's own proof that it can fail: after durability_run with a file
# LU (mode, provisioning, block as given), put an older write's content back
# over a block of the newest durable write in the backing file; the verify
# must then report a lost write.
durability_canary() {
  local mode=$1 prov=$2 block=$3
  local tag="$mode-$prov-$block"
  local journal="$WORK/journal-$tag.jsonl" out="$WORK/canary.out"
  local DUR=(python3 "$IT_DIR/durability_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN"
             --block "$block" --journal "$journal" --round 1)
  "${DUR[@]}" corrupt --backing "$WORK/disk0.img" > "$out" 2>&1 || { cat "$out"; fail "canary: corrupt failed"; }
  DUR_MODE=$mode DUR_PROV=$prov DUR_DEV="" LU_BLOCK=$block LU_SIZE=$((8192 * block))
  start_target
  local rc=0
  timeout 120 "${DUR[@]}" verify --recheck >> "$out" 2>&1 || rc=$?
  sed "s/^/    [canary $tag] /" "$out"
  stop_target || fail "canary: the daemon did not stop cleanly"
  (( rc == 1 )) && grep -q '^CHECKED .* LOST [1-9]' "$out" ||
    fail "canary: the verify did not report the write the test removed (status $rc)"
}

# state_rounds KILLS CLIENT...: kill -9 rounds for persisted state. CLIENT
# (a command) takes `write --round R --seed S --ready FILE` (writes until
# the target goes away, touching FILE once it is logged in) and `verify`
# (after the restart: prints CHECKED n LOST m, exits 0 only when nothing
# was lost). Uses $RANDOM (seed it first). Adds the CHECKED counts to
# STATE_CHECKED, the LOST counts to STATE_LOST and each kill to STATE_KILLS;
# STATE_KIND (set it first: config, aptpl, tape) names the QUALIFY lines
# that state_qualify prints, also on the failure path.
STATE_CHECKED=0
STATE_LOST=0
STATE_KILLS=0
STATE_KIND=state
# state_qualify: the QUALIFY lines of a persisted-state long form for
# scripts/qualify: kills.<kind> (kill -9 rounds done), state_checked.<kind>
# (acknowledged state items read back after a restart) and writes_lost
# (acknowledged state items missing after a restart).
state_qualify() {
  echo "QUALIFY kills.$STATE_KIND $STATE_KILLS"
  echo "QUALIFY state_checked.$STATE_KIND $STATE_CHECKED"
  echo "QUALIFY writes_lost $STATE_LOST"
}
state_rounds() {
  local kills=$1 r rc n ms writer out="$WORK/state-round.out"
  shift
  for ((r = 1; r <= kills; r++)); do
    start_target
    rm -f "$WORK/ready"
    "$@" write --round "$r" --seed "$RANDOM" --ready "$WORK/ready" > "$out" 2>&1 &
    writer=$!
    local deadline=$((SECONDS + 20))
    until [[ -e $WORK/ready ]] || ! kill -0 "$writer" 2>/dev/null || (( SECONDS >= deadline )); do sleep 0.05; done
    [[ -e $WORK/ready ]] || { cat "$out"; fail "round $r: the client never logged in"; }
    ms=$((200 + RANDOM % 1300))
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    require_alive "round $r before the kill"
    durability_kill
    STATE_KILLS=$((STATE_KILLS + 1))
    rc=0
    wait "$writer" || rc=$?
    sed 's/^/    /' "$out"
    (( rc == 0 )) || fail "round $r: the client failed (status $rc)"
    start_target
    rc=0
    timeout 60 "$@" verify > "$out" 2>&1 || rc=$?
    sed 's/^/    /' "$out"
    read -r n lost < <(awk '/^CHECKED/ {print $2, $4}' "$out")
    STATE_CHECKED=$((STATE_CHECKED + ${n:-0}))
    STATE_LOST=$((STATE_LOST + ${lost:-0}))
    if (( rc != 0 )); then
      state_qualify
      fail "round $r: acknowledged state lost after kill -9"
    fi
    stop_target || fail "round $r: the daemon did not stop cleanly"
  done
  (( STATE_CHECKED > 0 )) || fail "nothing was acknowledged, so nothing was checked"
}
