#!/usr/bin/env bash
# SANITIZE OVERWRITE keeps running across LOGICAL UNIT RESET, TARGET COLD
# RESET and a new login, and says so (issue 7; what libiscsi's
# Sanitize.Reset checks, plus what it does not): while it runs, REQUEST
# SENSE and TEST UNIT READY answer NOT READY 04h/1Bh with a progress
# indication that only goes up; it then ends, and blocks at the start, the
# middle and the end read back as its pattern (sanitize_iscsi.py). The LU
# is a 4 GiB sparse file, which the overwrite writes whole and flushes:
# long enough to be seen running on a fast disk (the script fails, saying
# so, when it ended too soon), about 10 s here.
# usage: test_sanitize.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"
[[ $PEER == stmfd ]] || { pass "the sanitize checks are stmfd's own"; exit 0; }

LU_SIZE=$((4 << 30))
avail=$(df -B1 --output=avail "$WORK" | tail -1)
(( avail > LU_SIZE + (1 << 30) )) || fail "needs $((LU_SIZE >> 30)) GiB (and 1 more) free in $WORK; $((avail >> 20)) MiB are"
start_target
rc=0
timeout 300 python3 "$IT_DIR/sanitize_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --lun "$LUN" \
  --block "$LU_BLOCK" --blocks $((LU_SIZE / LU_BLOCK)) > "$WORK/sanitize.log" 2>&1 || rc=$?
cat "$WORK/sanitize.log"
rm -f "$WORK/disk0.img"  # 4 GiB: not kept, even for inspection
(( rc == 0 )) || fail "sanitize_iscsi.py failed (exit $rc)"
require_alive "after the sanitize"
grep -q "lu disk0: long operation started" "$DAEMON_LOG" || fail "the daemon log does not show the sanitize"
pass "$(grep -c '^PASS' "$WORK/sanitize.log") checks; $(grep 'info: the sanitize' "$WORK/sanitize.log" | sed 's/^info: //')"
