#!/usr/bin/env bash
# Load (issue 10 section 5), short form by default; scripts/load runs the
# long form (256 sessions, 1,000 logins) with the same code:
#   LOAD_SESSIONS (64) sessions log in and stay logged in together, then
#   for LOAD_SECONDS (15) each writes, reads back and compares random
#   extents of its own region of a RAM LU (load_iscsi.py), while a storm of
#   LOAD_LOGINS (200) login / INQUIRY / logout cycles runs alongside.
# Checks: every session was logged in at once (the client's count, and as
# many established connections on the portal seen by ss), every I/O and
# storm login succeeded with every byte read back as written, the daemon
# lives. Prints sessions held, I/Os done, errors, the daemon's peak memory
# (VmHWM) and "QUALIFY sessions_held N", "QUALIFY peak_rss_kib N",
# "QUALIFY daemon_crashes N", "QUALIFY hangs N" for scripts/qualify.
# usage: test_load.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"

[[ $PEER == stmfd ]] || { log "stmfd-only test (limits are stmfd config keys)"; exit 77; }

SESSIONS=${LOAD_SESSIONS:-64}
LOGINS=${LOAD_LOGINS:-200}
IO_SECONDS=${LOAD_SECONDS:-15}
REGION_BLOCKS=1024  # 512 KiB per session
LU_BACKING=ram
LU_SIZE=$((SESSIONS * REGION_BLOCKS * 512))
(( LU_SIZE >= 16 << 20 )) || LU_SIZE=$((16 << 20))
# Room for every session, the storm and the kernel's lingering sockets.
CONFIG_OVERLAY=$(cat <<EOF
{ "logLevel": "warn",
  "limits": { "maxConnections": $((SESSIONS + 128)), "maxLoggingIn": 64,
              "bufferMemory": $((256 << 20)) } }
EOF
)
nofile=$(ulimit -Sn)
(( nofile >= 4 * SESSIONS + 512 )) || ulimit -Sn $((4 * SESSIONS + 512))

start_target
held_file="$WORK/held"
python3 "$IT_DIR/load_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --sessions "$SESSIONS" --logins "$LOGINS" \
  --seconds "$IO_SECONDS" --region-blocks "$REGION_BLOCKS" --held-file "$held_file" > "$WORK/load.out" 2>&1 &
client=$!
deadline=$((SECONDS + 180))
while [[ ! -s $held_file ]] && (( SECONDS < deadline )) && kill -0 "$client" 2> /dev/null; do sleep 0.2; done
sleep 1
established=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
log "client reports $(cat "$held_file" 2> /dev/null || echo 0) sessions logged in; $established connections established on the portal"
hangs=0
client_rc=0
if ! timeout $((IO_SECONDS + 240)) tail --pid="$client" -f /dev/null; then
  hangs=1
  kill "$client" 2> /dev/null || true
fi
wait "$client" || client_rc=$?
sed "s/^/  /" "$WORK/load.out"
crashes=0
daemon_alive || crashes=1
hwm=0
(( crashes )) || hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$DAEMON_PID/status")
held=$(sed -n 's/^load: .* held=\([0-9]*\).*/\1/p' "$WORK/load.out")
held=${held:-0}
(( established >= held )) || held=$established
summary=$(grep -o 'ios=[0-9]*' "$WORK/load.out" || echo "ios=0")
log "sessions held $held of $SESSIONS, $summary, errors: $(sed -n 's/^load: errors=\([0-9]*\).*/\1/p' "$WORK/load.out"), daemon VmHWM $hwm KiB"
echo "QUALIFY sessions_held $held"
echo "QUALIFY peak_rss_kib $hwm"
# I/Os done (each write or read checked against what the session wrote),
# storm logins that succeeded, and errors (I/O or storm), from the client.
echo "QUALIFY ios_verified $(sed -n 's/^load: ios=\([0-9]*\).*/\1/p' "$WORK/load.out" | grep . || echo 0)"
echo "QUALIFY storm_logins $(sed -n 's/^load: storm_logins=\([0-9]*\).*/\1/p' "$WORK/load.out" | grep . || echo 0)"
echo "QUALIFY load_errors $(sed -n 's/^load: errors=\([0-9]*\).*/\1/p' "$WORK/load.out" | grep . || echo 0)"
echo "QUALIFY daemon_crashes $crashes"
echo "QUALIFY hangs $hangs"
(( crashes == 0 )) || fail "the daemon died under load"
(( hangs == 0 )) || fail "the load client did not finish"
(( client_rc == 0 )) || fail "load client failed (exit $client_rc)"
(( held == SESSIONS )) || fail "only $held of $SESSIONS sessions were held at once"
pass "$SESSIONS sessions held, $summary verified, $LOGINS storm logins, daemon VmHWM $hwm KiB"
