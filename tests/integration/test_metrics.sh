#!/usr/bin/env bash
# The Prometheus endpoint (issue 6 step 3): off by default; with
# metrics.listen set, curl scrapes GET /metrics after I/O and finds HELP and
# TYPE lines, the LU's and target's counters moved by the I/O, a histogram
# whose +Inf bucket equals its _count, and session series while a session
# is logged in; other paths get 404 and other methods 405; a non-loopback
# address without allowRemote is refused by --check.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "metrics are stmfd's own (skipped for $PEER)"; exit 0; }
command -v curl > /dev/null || { echo "SKIP: curl missing (scripts/deps installs it)"; exit 77; }
command -v qemu-io > /dev/null || { echo "SKIP: qemu-io missing"; exit 77; }
LU_BACKING=ram
MPORT=$(free_port)

# Off by default: the default config starts no endpoint.
start_target
grep -q "metrics on" "$DAEMON_LOG" && fail "metrics served without a metrics block"
stop_target || fail "daemon did not stop cleanly"

# With the block (write_config's file plus "metrics").
write_config
python3 - "$CONFIG_PATH" "$MPORT" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["metrics"] = {"listen": "127.0.0.1:" + sys.argv[2]}
json.dump(cfg, open(sys.argv[1], "w"), indent=1)
PY
write_config() { :; }  # keep the edited file across start_target
start_target
URL="http://127.0.0.1:$MPORT/metrics"
for _ in $(seq 50); do curl -sf "$URL" > /dev/null && break; sleep 0.1; done
scrape() { curl -sf "$URL" || fail "GET $URL failed"; }
value() {  # metric-with-labels -> value (0 when absent)
  awk -v m="$1" '$1 == m { print $2; found = 1 } END { if (!found) print 0 }' <<< "$2"
}

before=$(scrape)
grep -q '^# TYPE stmfd_lu_commands_total counter$' <<< "$before" || fail "no TYPE line: $before"
grep -q '^# HELP stmfd_lu_latency_seconds ' <<< "$before" || fail "no HELP line for the histogram"
c0=$(value 'stmfd_lu_commands_total{lu="disk0"}' "$before")

qemu-io -f raw -c "write -P 0x33 0 1M" -c "read -P 0x33 0 1M" "$(lun_url)" > "$WORK/qio.log" 2>&1 \
  || fail "qemu-io: $(cat "$WORK/qio.log")"
after=$(scrape)
c1=$(value 'stmfd_lu_commands_total{lu="disk0"}' "$after")
w1=$(value 'stmfd_lu_written_bytes_total{lu="disk0"}' "$after")
r1=$(value 'stmfd_lu_read_bytes_total{lu="disk0"}' "$after")
t1=$(value "stmfd_target_commands_total{target=\"$TARGET_IQN\"}" "$after")
(( c1 > c0 )) || fail "LU commands did not move ($c0 -> $c1)"
(( w1 >= 1048576 )) || fail "written bytes $w1 < 1 MiB"
(( r1 >= 1048576 )) || fail "read bytes $r1 < 1 MiB"
(( t1 >= c1 )) || fail "target commands $t1 below the LU's $c1"
inf=$(value 'stmfd_lu_latency_seconds_bucket{lu="disk0",le="+Inf"}' "$after")
cnt=$(value 'stmfd_lu_latency_seconds_count{lu="disk0"}' "$after")
[[ $inf == "$cnt" && $cnt == "$c1" ]] || fail "histogram +Inf $inf, count $cnt, commands $c1 disagree"
log "ok: commands $c0 -> $c1, written $w1, read $r1, target $t1"

# A session logged in while scraping: its series appear with both labels.
qemu-io -f raw -c "read 0 4k" -c "sleep 3000" -c "read 0 4k" "$(lun_url)" > /dev/null 2>&1 &
QIO=$!
found=0
for _ in $(seq 25); do
  if scrape | grep -q "^stmfd_session_commands_total{target=\"$TARGET_IQN\",initiator=\"[^\"]*\"} [1-9]"; then
    found=1
    break
  fi
  sleep 0.1
done
wait $QIO || true
(( found )) || fail "no session series while a session was logged in"
log "ok: session series with target and initiator labels"

code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/other")
[[ $code == 404 ]] || fail "GET /other answered $code, expected 404"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL")
[[ $code == 405 ]] || fail "POST /metrics answered $code, expected 405"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$URL")
[[ $ctype == "text/plain; version=0.0.4"* ]] || fail "content type '$ctype'"

# A non-loopback address without allowRemote is refused.
python3 - "$CONFIG_PATH" "$WORK/remote.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["metrics"] = {"listen": "0.0.0.0:9433"}
json.dump(cfg, open(sys.argv[2], "w"))
PY
rc=0; out=$("$STMFD_BIN" --config "$WORK/remote.json" --check 2>&1) || rc=$?
(( rc == 2 )) || fail "--check of a non-loopback metrics address exited $rc: $out"
grep -q "allowRemote" <<< "$out" || fail "--check did not explain: $out"
pass "GET /metrics serves the statistics; off by default; loopback only unless allowed"
