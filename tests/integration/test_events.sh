#!/usr/bin/env bash
# The event stream through the real binaries (issue 6 step 2): `stmfadm
# watch` prints a login and a logout, an LU's recovery (its actor killed by
# the lu_execute fault point and restarted by STMF), and its offline and
# online state changes with the reason; a watcher that stops reading
# (SIGSTOP) never slows the daemon: logins go on at full speed, and a new
# watcher still gets events after the stopped one is killed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "events are stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
LU_BACKING=ram
WATCHERS=()
trap 'rc=$?; for w in "${WATCHERS[@]}"; do kill -KILL "$w" 2>/dev/null || true; done; (exit $rc); on_exit' EXIT

start_target
for _ in $(seq 50); do "$STMFADM" list-lu > /dev/null 2>&1 && break; sleep 0.1; done
"$STMFADM" inject-fault lu_execute --action crash > /dev/null || fail "inject-fault"  # the LU's next command kills its actor

"$STMFADM" watch --count 5 --timeout 30 > "$WORK/watch.log" 2> "$WORK/watch.err" &
WATCH=$!
WATCHERS+=("$WATCH")
sleep 1.5
iscsi-inq "$(lun_url)" > /dev/null 2>&1 || true  # login; the LU dies and restarts; logout
"$STMFADM" offline-lu disk0 || fail "offline-lu"
"$STMFADM" online-lu disk0 || fail "online-lu"
rc=0; wait "$WATCH" || rc=$?
(( rc == 0 )) || fail "watch exited $rc: $(cat "$WORK/watch.err") / $(cat "$WORK/watch.log")"
sed 's/^/    /' "$WORK/watch.log"
grep -q " login nexus=[0-9]* initiator=iqn[^ ]*,i,0x[0-9a-f]* target=$TARGET_IQN$" "$WORK/watch.log" \
  || fail "no login event"
grep -q " logout nexus=" "$WORK/watch.log" || fail "no logout event"
grep -q " recovery: lu disk0 restarted after a failure" "$WORK/watch.log" || fail "no recovery event"
grep -q " lu disk0 offline: taken offline by the administrator$" "$WORK/watch.log" || fail "no offline event"
grep -q " lu disk0 online$" "$WORK/watch.log" || fail "no online event"
log "ok: login, logout, recovery, offline, online"

# JSON form.
"$STMFADM" --json watch --count 1 --timeout 30 > "$WORK/watch.json" &
WATCH=$!
WATCHERS+=("$WATCH")
sleep 1.5
"$STMFADM" offline-lu disk0 || fail "offline-lu"
wait "$WATCH" || fail "watch --json"
python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).readline()); assert e["luState"]["state"]=="offline", e' \
  "$WORK/watch.json" || fail "watch --json printed $(cat "$WORK/watch.json")"
"$STMFADM" online-lu disk0 || fail "online-lu"

# A watcher that stops reading.
"$STMFADM" watch > /dev/null 2>&1 &
STUCK=$!
WATCHERS+=("$STUCK")
sleep 1.5
kill -STOP "$STUCK"
start=$SECONDS
for i in $(seq 30); do
  timeout 10 iscsi-inq "$(lun_url)" > /dev/null 2>&1 || fail "login $i failed while a watcher was stopped"
done
(( SECONDS - start < 30 )) || fail "30 logins took $((SECONDS - start)) s with a stopped watcher"
kill -KILL "$STUCK"
"$STMFADM" watch --count 1 --timeout 30 > "$WORK/watch2.log" &
WATCH=$!
WATCHERS+=("$WATCH")
sleep 1.5
"$STMFADM" offline-lu disk0 || fail "offline-lu after the stuck watcher"
wait "$WATCH" || fail "a new watcher got no event after the stuck one was killed"
require_alive "after the stuck watcher"
pass "watch: login, logout, LU state changes, recovery; a stuck watcher never blocks the daemon"
