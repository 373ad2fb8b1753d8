#!/usr/bin/env bash
# CHAP login (RFC 7143 12.1.3, RFC 1994 MD5) with libiscsi's iscsi-inq.
# One-way: iscsi://user%secret@host/iqn/lun. Mutual: libiscsi 1.19 takes
# the target's expected name and secret from the URL arguments
# target_user= and target_password= (or LIBISCSI_CHAP_TARGET_USERNAME /
# LIBISCSI_CHAP_TARGET_PASSWORD) and then checks the target's CHAP_R.
# usage: test_chap.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"

LU_BACKING=ram
LU_SIZE=$((16 << 20))
AUTH=mutual
start_target

T=30
out="$WORK/out.txt"
# Keep the environment from supplying credentials behind our back.
unset LIBISCSI_CHAP_USERNAME LIBISCSI_CHAP_PASSWORD \
      LIBISCSI_CHAP_TARGET_USERNAME LIBISCSI_CHAP_TARGET_PASSWORD

login_ok() {
  local what=$1 url=$2
  if ! timeout "$T" iscsi-inq "$url" > "$out" 2>&1; then
    cat "$out" >&2
    fail "$what: login with $url failed"
  fi
  grep -q '^Peripheral Device Type:DIRECT_ACCESS$' "$out" \
    || { cat "$out" >&2; fail "$what: no INQUIRY data after login"; }
  log "ok: $what"
}

login_refused() {
  local what=$1 url=$2 rc=0
  timeout "$T" iscsi-inq "$url" > "$out" 2>&1 || rc=$?
  (( rc != 0 )) || { cat "$out" >&2; fail "$what: login with $url succeeded"; }
  (( rc != 124 )) || fail "$what: login with $url hung for ${T}s instead of failing"
  log "ok: $what (refused)"
}

GOOD="$CHAP_USER%$CHAP_SECRET"
MUTUAL="target_user=$MUTUAL_USER&target_password=$MUTUAL_SECRET"

# Target with initiator and mutual secrets.
login_ok      "one-way CHAP"                 "$(lun_url "$GOOD")"
login_refused "wrong secret"                 "$(lun_url "$CHAP_USER%wrongsecret99")"
login_refused "wrong user name"              "$(lun_url "nobody%$CHAP_SECRET")"
login_refused "no credentials"               "$(lun_url)"
login_ok      "mutual CHAP"                  "$(lun_url "$GOOD" "$MUTUAL")"
login_refused "mutual CHAP, initiator expects another target secret" \
              "$(lun_url "$GOOD" "target_user=$MUTUAL_USER&target_password=notthetarget1")"
login_ok      "one-way CHAP after the refusals" "$(lun_url "$GOOD")"
require_alive "after the CHAP logins"

# Target with one-way CHAP only: an initiator that demands mutual
# authentication must not get in (the target cannot prove itself).
AUTH=chap
restart_target
login_ok      "one-way CHAP (target without mutual secret)" "$(lun_url "$GOOD")"
login_refused "mutual CHAP requested, target has no mutual secret" \
              "$(lun_url "$GOOD" "$MUTUAL")"
login_refused "no credentials (one-way target)" "$(lun_url)"
require_alive "after the one-way CHAP logins"

pass "one-way and mutual CHAP accept the right secrets and refuse the rest"
