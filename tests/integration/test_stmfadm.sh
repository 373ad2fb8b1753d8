#!/usr/bin/env bash
# The admin plane end to end through the real binaries (issue 6 section 5):
# stmfadm create-lu, create-hg, add-hg-member, add-view -h HG -n 7 GUID;
# iscsi-ls shows LUN 7 to the member and not to another initiator; both
# hold after a restart and after kill -9 right after a change; a logged-in
# session sees view changes as 3Fh/0Eh and survives (admin_live.py); bad
# input is refused with a clear message, a documented exit code and no
# change to the config file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/admin_lib.sh"

HOST_A="iqn.2026-11.org.example:host-a"
HOST_B="iqn.2026-11.org.example:host-b"
HOST_C="iqn.2026-11.org.example:host-c"

# The config (admin_lib.sh write_config) is written once; the daemon rewrites it from then on.
luns_of() {  # initiator -> "0 7"
  iscsi-ls -s -i "$1" "$(portal_url)" 2>&1 | awk '/^Lun:/ {sub("Lun:", "", $1); print $1}' | sort -n | tr '\n' ' ' \
    | sed 's/ $//'
}
expect_luns() {  # initiator expected what
  local got
  got=$(luns_of "$1")
  [[ $got == "$2" ]] || fail "$3: $1 sees LUNs '$got', expected '$2'"
  log "ok: $3 ($1: $got)"
}
# A refused verb must not change the config file.
config_hash() { sha256sum "$CONFIG_PATH"; }
refused() { refused_keeping config_hash "$@"; }
restart() {  # [kill9]
  if [[ ${1:-} == kill9 ]]; then
    kill -KILL "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=""
  else
    stop_target || fail "daemon did not stop cleanly"
  fi
  while port_listening; do sleep 0.1; done
  start_target
  for _ in $(seq 50); do [[ -S $STMFD_ADMIN_SOCKET ]] && adm list-hg > /dev/null 2>&1 && break; sleep 0.1; done
}

start_target
for _ in $(seq 50); do [[ -S $STMFD_ADMIN_SOCKET ]] && break; sleep 0.1; done
[[ $(stat -c %a "$STMFD_ADMIN_SOCKET") == 600 ]] || fail "admin socket is not mode 0600"

# --- the issue's first end-to-end bullet -------------------------------------
out=$(adm create-lu -s 64m disk1.img) || fail "create-lu: $out"
GUID=$(grep -oE '\b6[0-9A-F]{31}\b' <<< "$out" | head -1)
[[ -n $GUID ]] || fail "create-lu printed no GUID: $out"
log "ok: create-lu printed GUID $GUID"
[[ -f $WORK/data/disk1.img ]] || fail "create-lu did not create the backing file"
adm create-hg hg1
adm add-hg-member -g hg1 "$HOST_A"
adm add-view -h hg1 -n 7 "$GUID"
expect_luns "$HOST_A" "0 7" "the host group member sees the new view"
expect_luns "$HOST_B" "0" "another initiator does not"

restart
expect_luns "$HOST_A" "0 7" "after a restart the member still sees LUN 7"
expect_luns "$HOST_B" "0" "after a restart the other initiator still does not"

adm add-hg-member -g hg1 "$HOST_C"
restart kill9
expect_luns "$HOST_C" "0 7" "a member added right before kill -9 sees LUN 7 after the restart"
expect_luns "$HOST_B" "0" "after kill -9 the other initiator still does not"
python3 -m json.tool "$CONFIG_PATH" > /dev/null || fail "the config file is not valid JSON after the changes"
"$STMFD_BIN" --config "$CONFIG_PATH" --check > /dev/null || fail "stmfd --check refuses the rewritten config"

# --- listings ------------------------------------------------------------------
adm list-lu -v | grep -q "LU Name: $GUID" || fail "list-lu -v does not show $GUID"
adm list-lu --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["status"]["code"]=="ok"; assert any(l["spec"]["name"]=="disk1" for l in d["lus"])' \
  || fail "list-lu --json is not the expected JSON"
adm list-view -l disk1 | grep -q "LUN          : 7" || fail "list-view -l does not show LUN 7"
adm list-target -v | grep -q "Target: $TARGET_IQN" || fail "list-target -v does not show the target"
"$SBDADM" list-lu | grep -q disk1 || fail "sbdadm list-lu does not list disk1"
adm list-hg -v | grep -q "Member: $HOST_C" || fail "list-hg -v does not show host-c"
log "ok: list-lu -v, --json, list-view, list-target -v, sbdadm list-lu, list-hg -v"

# Interactive mode: verbs read line by line over one connection.
out=$(printf 'create-tg tg-shell\nlist-tg\nexit\n' | "$STMFADM" 2>&1) || fail "interactive mode failed: $out"
[[ $out == *"Target Group: tg-shell"* ]] || fail "interactive mode did not run its verbs: $out"
log "ok: interactive mode ran create-tg and list-tg"

# --- a logged-in session sees live changes and survives ------------------------
adm remove-view -l disk1 -a
adm create-hg hg-live
adm add-hg-member -g hg-live "iqn.2026-11.org.example:live"
python3 "$IT_DIR/admin_live.py" --port "$PORT" --target "$TARGET_IQN" --initiator "iqn.2026-11.org.example:live" \
  --lun 5 --stmfadm "$STMFADM" --lu disk1 --host-group hg-live || fail "live admin changes (admin_live.py)"

# --- bad input -------------------------------------------------------------------
adm add-view -h hg1 -n 7 disk1
refused 3 "there is no host group 'nope'" adm add-hg-member -g nope "$HOST_B"
refused 3 "there is no LU 'nolu'" adm add-view -n 3 nolu
refused 3 "there is no host group 'nohg'" adm add-view -h nohg -n 3 disk1
refused 4 "already exists" adm create-hg hg1
refused 4 "already a member" adm add-hg-member -g hg1 "$HOST_A"
refused 5 "at most one host group" adm add-hg-member -g hg-live "$HOST_A"
refused 5 "LUN 0" adm add-view -n 0 disk1
refused 6 "iqn name" adm add-hg-member -g hg1 "iqn.not-a-date"
refused 6 "out of range" adm add-view -n 20000 disk1
refused 4 "already exists" adm create-lu -s 1m disk1.img
refused 9 "outside the data directory" adm create-lu -s 1m /etc/stmfd-test.img
refused 6 "multiple of blockSize" adm create-lu -s 1000 odd.img
refused 5 "remove that view first" adm delete-hg hg1
refused 3 "there is no portal group 'default'" "$ITADM" create-target
refused 2 "unknown verb" adm no-such-verb
[[ ! -e /etc/stmfd-test.img ]] || fail "a refused create-lu left /etc/stmfd-test.img"
expect_luns "$HOST_A" "0 7" "refusals changed nothing for the member"

# --- delete-lu ---------------------------------------------------------------------
"$SBDADM" delete-lu "$GUID"
expect_luns "$HOST_A" "0" "sbdadm delete-lu removed the LU and its view"
adm list-lu | grep -q disk1 && fail "list-lu still lists the deleted LU"
restart
expect_luns "$HOST_A" "0" "the deletion holds after a restart"

# The daemon gone: a clear message and exit code 8.
stop_target || fail "daemon did not stop cleanly"
rc=0; out=$(adm list-lu 2>&1) || rc=$?
(( rc == 8 )) || fail "list-lu with no daemon exited $rc: $out"
[[ $out == *"cannot reach stmfd"* ]] || fail "no clear message without a daemon: $out"
pass "stmfadm create-lu/create-hg/add-hg-member/add-view/remove-view/online-lu/offline-lu/delete-lu, live and durable"
