#!/usr/bin/env bash
# Persisted state across kill -9 (issue 10 section 3): tape cartridges.
# One session writes files of variable blocks, each ended by WRITE
# FILEMARKS (IMMED=0), appending at end of data in each round; the daemon
# is killed at a seeded random moment and restarted; the tape must hold
# everything up to each round's last acknowledged filemark, byte for byte
# and in order (tests/integration/tape_durable_iscsi.py states the rule).
# The check after each kill reads what the round wrote, the last item
# verified before and a sample of the rest (linear in the rounds); once
# the rounds are done, one more restart and the whole tape is read and
# checked. A canary at the end cuts the cartridge file short and both
# checks must fail.
# usage: test_durability_tape.sh <path-to-stmfd> [kills] [seed]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $PEER == stmfd ]] || { pass "the tape LU is stmfd's own (skipped for $PEER)"; exit 0; }
source "$IT_DIR/durability_lib.sh"

KILLS=${2:-${DURABILITY_KILLS:-3}}
RANDOM=${3:-${DURABILITY_SEED:-40}}
# 256 MiB, or 64 MiB per kill for long runs: a round writes ~6 MiB on a
# loaded machine and up to ~19 MiB on an idle one (16 MiB per kill ran out
# at round 43 of 50 there), and a full cartridge fails the writer (end of
# medium) rather than letting later rounds check nothing.
CART_BYTES=$((KILLS * (64 << 20) > 268435456 ? KILLS * (64 << 20) : 268435456))
write_config() { write_tape_config "$CART_BYTES" DURA01L6; }
journal="$WORK/tape.jsonl" out="$WORK/tape.out"
TAPE=(python3 "$IT_DIR/tape_durable_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" --journal "$journal")
STATE_KIND=tape
state_rounds "$KILLS" "${TAPE[@]}"
state_qualify
# check_tape LABEL [VERIFIED]: a restart and a verify; with VERIFIED (a
# copy of what the checks after the kills verified) the verify after a
# kill, else the whole tape read and checked from BOT. Its output in $out,
# its status in rc.
check_tape() {
  rm -f "$journal.verified"
  [[ -z ${2:-} ]] || cp "$2" "$journal.verified"
  start_target
  rc=0
  timeout 300 "${TAPE[@]}" verify > "$out" 2>&1 || rc=$?
  sed "s/^/    [$1] /" "$out"
  stop_target || fail "$1: the daemon did not stop cleanly"
}
cp "$journal.verified" "$WORK/verified.after-kills"
check_tape "whole tape"
(( rc == 0 )) || fail "the whole tape read after the last restart does not hold what was acknowledged"
read -r whole_checked < <(awk '/^CHECKED/ {print $2}' "$out")
# The checks' own proof that they can fail: the cartridge loses its tail.
size=$(stat -c %s "$WORK/tape0.cart")
truncate -s $((size / 2)) "$WORK/tape0.cart"
check_tape "canary, after a kill" "$WORK/verified.after-kills"
(( rc != 0 )) || fail "canary: the verify after a kill did not notice the cut cartridge"
check_tape "canary, whole tape"
(( rc != 0 )) || fail "canary: the whole-tape verify did not notice the cut cartridge"
pass "$KILLS kills: every block before an acknowledged filemark read back ($STATE_CHECKED filemark checks after the kills, $whole_checked in the whole tape at the end)"
