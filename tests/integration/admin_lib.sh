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
