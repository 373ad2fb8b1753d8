#!/usr/bin/env bash
# Persisted state across kill -9 (issue 10 section 3): config writes by the
# admin interface. A burst of stmfadm create-hg runs while the daemon is
# killed at a seeded random moment; after each kill the config file must
# be exactly one of the committed states, never torn: valid JSON holding
# every host group whose create-hg exited 0, and of this round's burst a
# prefix of the groups issued (the one in flight may or may not be in).
# The daemon must then start from it. A canary at the end truncates the
# file and the check must fail.
# usage: test_durability_config.sh <path-to-stmfd> [kills] [seed]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/admin_lib.sh"
source "$IT_DIR/durability_lib.sh"

KILLS=${2:-${DURABILITY_KILLS:-3}}
RANDOM=${3:-${DURABILITY_SEED:-30}}

mkdir -p "$WORK/data"

# check_config: the file against the journals ($WORK/issued, $WORK/acked:
# one "ROUND I" line per create-hg hg-ROUND-I sent / exited 0).
check_config() {
  python3 - "$CONFIG_PATH" "$WORK/issued" "$WORK/acked" <<'PY'
import json, sys
path, issued_f, acked_f = sys.argv[1:4]
def lines(p):
    try:
        with open(p) as f:
            return [tuple(map(int, l.split())) for l in f if l.strip()]
    except FileNotFoundError:
        return []
issued, acked = lines(issued_f), lines(acked_f)
try:
    with open(path) as f:
        cfg = json.load(f)
except ValueError as e:
    sys.exit(f"config torn: {e}")
have = {g["name"] for g in cfg.get("hostGroups", [])}
bad = []
# an acknowledged create-hg whose group is not in the file is a lost write
lost = sum(1 for r, i in acked if f"hg-{r}-{i}" not in have)
print(f"CHECKED {len(acked)} LOST {lost}")
for r in sorted({r for r, _ in issued}):
    sent = [i for rr, i in issued if rr == r]
    ok = [i for rr, i in acked if rr == r]
    got = sorted(i for i in sent if f"hg-{r}-{i}" in have)
    k = len(got)
    # a prefix of what was sent, reaching at least the last acknowledged
    if got != sent[:k] or (ok and k < sent.index(max(ok)) + 1):
        bad.append(f"round {r}: sent {len(sent)}, acknowledged up to {max(ok) if ok else 0}, file has {got[-3:]}...")
extra = have - {f"hg-{r}-{i}" for r, i in issued}
if extra:
    bad.append(f"groups nobody created: {sorted(extra)[:5]}")
if bad:
    sys.exit("; ".join(bad))
print(f"config: {len(have)} host groups, {len(acked)} create-hg acknowledged in all")
PY
}

STATE_KIND=config
for ((r = 1; r <= KILLS; r++)); do
  start_target
  (
    for ((i = 1; ; i++)); do
      echo "$r $i" >> "$WORK/issued"
      adm create-hg "hg-$r-$i" > /dev/null 2>&1 || exit 0
      echo "$r $i" >> "$WORK/acked"
    done
  ) &
  burst=$!
  ms=$((300 + RANDOM % 1500))
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  require_alive "round $r before the kill"
  durability_kill
  STATE_KILLS=$((STATE_KILLS + 1))
  wait "$burst" || true
  rc=0
  check_config > "$WORK/check.out" || rc=$?
  cat "$WORK/check.out"
  read -r STATE_CHECKED STATE_LOST < <(awk '/^CHECKED/ {print $2, $4}' "$WORK/check.out")
  if (( rc != 0 )); then
    state_qualify
    fail "round $r: the config after kill -9 is not one of the committed states"
  fi
  start_target  # the daemon loads it
  stop_target || fail "round $r: the daemon did not stop cleanly"
done
state_qualify
n=$(wc -l < "$WORK/acked")
(( n > 0 )) || fail "no create-hg was acknowledged, so nothing was checked"
truncate -s $(( $(stat -c %s "$CONFIG_PATH") / 2 )) "$CONFIG_PATH"
if check_config 2>/dev/null; then fail "canary: a truncated config passed the check"; fi
log "canary: the truncated config is reported"
pass "$KILLS kills during stmfadm bursts: the config was a committed state each time ($n create-hg acknowledged)"
