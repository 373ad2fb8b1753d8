#!/usr/bin/env bash
# The transactional apply and the SIGHUP reload through the real binaries
# (issue 6 steps 4 and 6): `stmfadm apply --dry-run` prints the difference
# and changes nothing; an invalid file or one that changes what cannot
# change live is refused with its exit code and no change; SIGHUP after an
# edit of the config file maps a new LU live, and a logged-in session sees
# 3Fh/0Eh and survives (reload_live.py); `stmfadm apply` back to the first
# file removes it; the daemon survives SIGHUP and restarts with the applied
# state.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $PEER == stmfd ]] || { pass "apply is stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
LU_BACKING=ram
LIVE="iqn.2026-11.org.example:live"
OTHER="iqn.2026-11.org.example:other"

start_target
for _ in $(seq 50); do [[ -S $STMFD_ADMIN_SOCKET ]] && break; sleep 0.1; done
write_config() { :; }  # from here on the daemon owns the file
cp "$CONFIG_PATH" "$WORK/base.json"

# desired.json: base + a RAM LU "extra" at LUN 4 for host group hg-live.
python3 - "$WORK/base.json" "$WORK/desired.json" "$LIVE" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["logicalUnits"].append({"name": "extra", "backing": "ram", "sizeBytes": 4194304})
cfg["hostGroups"] = [{"name": "hg-live", "members": [sys.argv[3]]}]
cfg["views"] = [{"logicalUnit": "extra", "hostGroup": "hg-live", "lun": 4}]
json.dump(cfg, open(sys.argv[2], "w"), indent=1)
PY

sum_before=$(sha256sum < "$CONFIG_PATH")
out=$("$STMFADM" apply --dry-run "$WORK/desired.json") || fail "apply --dry-run: $out"
grep -qx "+ lu extra" <<< "$out" || fail "dry run does not list the new LU: $out"
grep -qx "+ view extra host=hg-live targets=\* lun=4" <<< "$out" || fail "dry run does not list the view: $out"
[[ $(sha256sum < "$CONFIG_PATH") == "$sum_before" ]] || fail "a dry run changed the config file"
"$STMFADM" list-lu | grep -q extra && fail "a dry run created the LU"
log "ok: dry run: $(tr '\n' ';' <<< "$out")"

refused() {  # exit-code pattern file
  local rc=0 out
  out=$("$STMFADM" apply "$3" 2>&1) || rc=$?
  (( rc == $1 )) || fail "apply $3 exited $rc (expected $1): $out"
  [[ $out == *$2* ]] || fail "apply $3 said '$out', expected '$2'"
  [[ $(sha256sum < "$CONFIG_PATH") == "$sum_before" ]] || fail "a refused apply changed the config file"
  log "ok: refused ($rc): $(tr '\n' ';' <<< "$out")"
}
echo '{ "logicalUnits": [ { "name": "x", "backing": "ram" } ] }' > "$WORK/bad.json"
refused 6 "sizeBytes" "$WORK/bad.json"
sed "s/127.0.0.1:$PORT/127.0.0.1:1/" "$WORK/desired.json" > "$WORK/moved.json"
refused 5 "! targets" "$WORK/moved.json"
rc=0; "$STMFADM" apply "$WORK/missing.json" > /dev/null 2>&1 || rc=$?
(( rc == 2 )) || fail "apply of a missing file exited $rc, expected 2"

# SIGHUP with a session logged in.
python3 "$IT_DIR/reload_live.py" --port "$PORT" --target "$TARGET_IQN" --initiator "$LIVE" --lun 4 \
  --command "cp '$WORK/desired.json' '$CONFIG_PATH' && kill -HUP $DAEMON_PID &&
             for i in \$(seq 100); do grep -q 'reload of' '$DAEMON_LOG' && exit 0; sleep 0.1; done; exit 1" \
  || fail "SIGHUP reload with a logged-in session (reload_live.py)"
require_alive "after SIGHUP"
grep -q "reload of .*: 4 change(s) applied" "$DAEMON_LOG" || fail "the reload was not logged as applied"
"$STMFADM" list-lu | grep -q "extra" || fail "list-lu does not show the reloaded LU"
luns=$(iscsi-ls -s -i "$OTHER" "$(portal_url)" 2>&1 | grep -c "^Lun:" || true)
(( luns == 1 )) || fail "$OTHER sees $luns LUNs after the reload, expected 1"

# apply back to the base.
out=$("$STMFADM" apply "$WORK/base.json") || fail "apply base.json: $out"
grep -qx -- "- lu extra" <<< "$out" || fail "apply did not remove the LU: $out"
"$STMFADM" list-lu | grep -q extra && fail "the LU is still listed after apply"
cmp -s "$CONFIG_PATH" "$WORK/base.json" || fail "the config file is not the applied one"
out=$("$STMFADM" apply "$WORK/base.json") || fail "apply of the same file: $out"
[[ $out == "no changes" ]] || fail "applying the committed file again printed '$out'"

# The applied state survives a restart.
"$STMFADM" apply "$WORK/desired.json" > /dev/null || fail "apply desired.json"
restart_target
for _ in $(seq 50); do "$STMFADM" list-lu > /dev/null 2>&1 && break; sleep 0.1; done
luns=$(iscsi-ls -s -i "$LIVE" "$(portal_url)" 2>&1 | awk '/^Lun:/ {print $1}' | tr '\n' ' ')
[[ $luns == "Lun:0 Lun:4 " ]] || fail "after a restart $LIVE sees '$luns'"
pass "apply: dry run, all or nothing, live with sessions kept; SIGHUP reload; persists"
