# Shared by the admin plane's integration tests (test_stmfadm*.sh,
# test_admin_tls.sh); source it after lib.sh. Skips the test for the tgtd
# peer, finds the stmfadm binary and its sbdadm/itadm names, and gives the
# daemon its own admin socket (other tests run daemons too).
[[ $PEER == stmfd ]] || { pass "the admin plane is stmfd's own (skipped for $PEER)"; exit 0; }
STMFADM=${STMFADM_BIN:-$(dirname "$STMFD_BIN")/stmfadm}
[[ -x $STMFADM ]] || fail "stmfadm not built at $STMFADM"
SBDADM=$(dirname "$STMFADM")/sbdadm
ITADM=$(dirname "$STMFADM")/itadm
export STMFD_ADMIN_SOCKET="$WORK/admin.sock"

adm() { "$STMFADM" "$@"; }

# write_config (replaces lib.sh's; start_target calls it): one target with
# a RAM LU "base" (8 MiB) at LUN 0, data in $WORK/data. Written only when
# the file is missing: after the first start the daemon rewrites it, and a
# restart must come up from what the daemon saved. A test that needs
# another config defines its own write_config after sourcing this file.
write_config() {
  [[ -f $CONFIG_PATH ]] && return
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK/data", "logLevel": "info",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"],
                 "luns": [ { "lun": 0, "logicalUnit": "base" } ] } ],
  "logicalUnits": [ { "name": "base", "backing": "ram", "sizeBytes": 8388608 } ] }
JSON
}

# refused_keeping STATE-FUNCTION EXIT-CODE MESSAGE-PART COMMAND...: runs a
# command that must fail with EXIT-CODE and a message containing
# MESSAGE-PART, and must leave STATE-FUNCTION's output unchanged.
refused_keeping() {
  local state_fn=$1 want=$2 pattern=$3 rc=0 out before after
  shift 3
  before=$("$state_fn")
  out=$("$@" 2>&1) || rc=$?
  (( rc == want )) || fail "'$*' exited $rc (expected $want): $out"
  [[ $out == *$pattern* ]] || fail "'$*' said '$out', expected it to mention '$pattern'"
  after=$("$state_fn")
  [[ $after == "$before" ]] || fail "'$*' was refused but changed the state: $(diff <(echo "$before") <(echo "$after"))"
  log "ok: refused with $rc, nothing changed: $out"
}

# silent EXIT-CODE COMMAND...: runs a command with the framework silent
# (admin_call armed to fail once makes the daemon's next framework query
# fail as a timeout would); it must exit EXIT-CODE, print nothing on
# stdout (no listing) and give the reason ("did not answer") on stderr.
silent() {  # EXIT-CODE COMMAND...
  local want=$1 rc=0
  shift
  adm inject-fault admin_call --action crash > /dev/null || fail "inject-fault admin_call"
  "$@" > "$WORK/silent.out" 2> "$WORK/silent.err" || rc=$?
  adm clear-faults > /dev/null
  (( rc == want )) || fail "'$*' with the framework silent exited $rc: $(cat "$WORK/silent.out" "$WORK/silent.err")"
  [[ ! -s $WORK/silent.out ]] || fail "'$*' with the framework silent printed: $(cat "$WORK/silent.out")"
  grep -q "did not answer" "$WORK/silent.err" || fail "'$*' gave no reason: $(cat "$WORK/silent.err")"
  log "ok: '$*' with the framework silent: exit $rc, $(cat "$WORK/silent.err")"
}
