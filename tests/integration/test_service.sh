#!/usr/bin/env bash
# Running as a systemd service (issue 6 step 4), with a stand-in for
# systemd's notification socket (notify_listener.py): READY=1 comes only
# once the portal listens; a portal that cannot be bound holds it back with
# a STATUS naming the portal; SIGHUP sends RELOADING=1 then READY=1 and does
# not stop the daemon; SIGTERM sends STOPPING=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "sd_notify is stmfd's own (skipped for $PEER)"; exit 0; }
LU_BACKING=ram
NLOG="$WORK/notify.log"

wait_for() {  # pattern seconds
  local deadline=$((SECONDS + $2))
  until grep -q "$1" "$NLOG" 2>/dev/null; do
    (( SECONDS < deadline )) || fail "no '$1' from the daemon in $2 s: $(cat "$NLOG" 2>/dev/null)"
    sleep 0.1
  done
}

# until_file PATH SECONDS WHAT: waits for PATH to exist and be non-empty (a
# socket counts when it exists); fails naming WHAT after SECONDS.
until_file() {
  local deadline=$((SECONDS + $2))
  until [[ -s $1 || -S $1 ]]; do
    (( SECONDS < deadline )) || fail "$3 (nothing at $1 after $2 s)"
    sleep 0.1
  done
}

# The portal is taken: the daemon must not report ready. The blocker binds
# a port the kernel picks and holds it until the test has seen the daemon
# wait for it ($WORK/release appears; at most 120 s); the daemon's portal
# is that port. (A blocker that let go after a fixed time raced with the
# daemon's start-up under load: the port could be free before the daemon
# first looked, and no "waiting" STATUS came.)
python3 -c 'import os,socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True)
end = time.monotonic() + 120
while not os.path.exists(sys.argv[1]) and time.monotonic() < end: time.sleep(0.05)' \
  "$WORK/release" > "$WORK/blocker.port" &
BLOCKER=$!
until_file "$WORK/blocker.port" 30 "the blocker did not bind a port"
PORT=$(cat "$WORK/blocker.port")
export NOTIFY_SOCKET="$WORK/notify.sock"
python3 "$IT_DIR/notify_listener.py" "$NOTIFY_SOCKET" "$NLOG" "$PORT" &
LISTENER=$!
trap 'rc=$?; touch "$WORK/release"; kill $LISTENER 2>/dev/null; (exit $rc); on_exit' EXIT
until_file "$NOTIFY_SOCKET" 30 "the notify listener did not bind its socket"
write_config
(cd "$WORK" && exec "$STMFD_BIN" --config "$CONFIG_PATH") >> "$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
wait_for "STATUS=waiting for portal 127.0.0.1:$PORT" 60
grep -q "READY=1" "$NLOG" && fail "READY=1 while the portal could not be bound"
log "ok: not ready while the portal is taken ($(grep STATUS "$NLOG" | head -1))"
touch "$WORK/release"
wait $BLOCKER
# The port provider binds again (it retries with back-off); then ready.
wait_for "READY=1" 60
grep -q "PORTAL_LISTENING=yes" "$NLOG" || fail "READY=1 came before the portal listened: $(cat "$NLOG")"
log "ok: READY=1 once the portal listens"

: > "$NLOG"
kill -HUP "$DAEMON_PID"
wait_for "RELOADING=1" 30
wait_for "READY=1" 30
require_alive "after SIGHUP"
grep -q "reload of .*: 0 change(s) applied" "$DAEMON_LOG" || fail "SIGHUP did not reload: $(tail -5 "$DAEMON_LOG")"
log "ok: SIGHUP reloads (RELOADING=1, READY=1) and the daemon stays"

: > "$NLOG"
stop_target || fail "daemon did not stop cleanly"
wait_for "STOPPING=1" 30
pass "sd_notify: ready only when listening; reload and stop notified"
