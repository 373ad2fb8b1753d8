#!/usr/bin/env bash
# Statistics through the real binaries (issue 6 step 1): after I/O from
# qemu-io, `stmfadm list-stats` shows the LU's and the target port's
# commands, bytes read and written, errors (a command to a LUN with no LU
# ends CHECK CONDITION) and a latency histogram whose counts add up to the
# commands; the counters only grow, and a session that logged out still
# counts in its target's total.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "statistics are stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
command -v qemu-io > /dev/null || { echo "SKIP: qemu-io missing"; exit 77; }
LU_BACKING=ram

start_target
for _ in $(seq 50); do [[ -S $STMFD_ADMIN_SOCKET ]] && break; sleep 0.1; done

# field KIND NAME KEY: one counter of one entry, from the JSON listing.
field() {
  "$STMFADM" --json list-stats | python3 -c '
import json, sys
kind, name, key = sys.argv[1:]
for e in json.load(sys.stdin)["entries"]:
    if e.get(kind) == name:
        c = e["counters"]
        if key == "buckets":
            print(sum(int(n) for n in c["latencyCounts"]))
        else:
            print(int(c[key]))
        break
else:
    print("missing")' "$@"
}

[[ $(field lu disk0 commands) == 0 ]] || fail "a fresh LU has counted commands: $(field lu disk0 commands)"
qemu-io -f raw -c "write -P 0x5a 0 256k" -c "read -P 0x5a 0 256k" "$(lun_url)" > "$WORK/qio.log" 2>&1 \
  || fail "qemu-io: $(cat "$WORK/qio.log")"
iscsi-inq "iscsi://127.0.0.1:$PORT/$TARGET_IQN/9" > /dev/null 2>&1 || true  # LUN 9 has no LU

lu_cmds=$(field lu disk0 commands)
(( lu_cmds >= 2 )) || fail "LU commands $lu_cmds after a write and a read"
(( $(field lu disk0 writtenBytes) >= 262144 )) || fail "LU written bytes $(field lu disk0 writtenBytes) < 256 KiB"
(( $(field lu disk0 readBytes) >= 262144 )) || fail "LU read bytes $(field lu disk0 readBytes) < 256 KiB"
[[ $(field lu disk0 buckets) == "$lu_cmds" ]] || fail "LU histogram holds $(field lu disk0 buckets) of $lu_cmds"
(( $(field lu disk0 latencySumNs) > 0 )) || fail "LU latency sum is 0"
tgt_cmds=$(field targetPort "$TARGET_IQN" commands)
(( tgt_cmds > lu_cmds )) || fail "target commands $tgt_cmds not above the LU's $lu_cmds (LUN 9 commands)"
(( $(field targetPort "$TARGET_IQN" errors) >= 1 )) || fail "the commands to LUN 9 counted no error"
log "ok: LU $lu_cmds commands, target $tgt_cmds (sessions ended: counted in the target)"

out=$("$STMFADM" list-stats) || fail "list-stats: $out"
grep -q "^lu  *disk0 " <<< "$out" || fail "list-stats table has no disk0 row: $out"
grep -q "^target  *$TARGET_IQN " <<< "$out" || fail "list-stats table has no target row: $out"
out=$("$STMFADM" list-stats -v lu) || fail "list-stats -v lu: $out"
grep -q "<= .* us" <<< "$out" || fail "list-stats -v prints no histogram: $out"
rc=0; "$STMFADM" list-stats bogus > /dev/null 2>&1 || rc=$?
(( rc == 2 )) || fail "list-stats bogus exited $rc, expected 2 (usage)"

qemu-io -f raw -c "read 0 4k" "$(lun_url)" > /dev/null 2>&1 || fail "second qemu-io"
(( $(field lu disk0 commands) > lu_cmds )) || fail "LU commands did not grow"
(( $(field targetPort "$TARGET_IQN" commands) > tgt_cmds )) || fail "target commands did not grow"
pass "list-stats counts commands, bytes, errors and latency per LU and target"
