#!/usr/bin/env bash
# stmfadm list-session / logout-session / list-target -v through the real
# binary against a real daemon with live iSCSI logins (issue 6 section 1
# "Sessions and connections"): negotiated parameters listed as the
# initiators asked for them; a forced logout reaches its initiator as an
# Async Message (AsyncEvent 1) and ends its connection while the other
# session stays; unknown nexus / target refused (sessions_iscsi.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/admin_lib.sh"

start_target
for _ in $(seq 50); do adm list-session > /dev/null 2>&1 && break; sleep 0.1; done
out=$(adm list-session --json) || fail "list-session with no session failed: $out"
[[ $out == *'"code": "ok"'* ]] || fail "list-session --json with no session: $out"
adm list-session --help | grep -q -- "--verbose" || fail "list-session --help does not describe -v"
adm logout-session --help | grep -q -- "--initiator" || fail "logout-session --help does not describe --initiator"
python3 "$IT_DIR/sessions_iscsi.py" --port "$PORT" --target "$TARGET_IQN" --stmfadm "$STMFADM" \
  || fail "sessions through the admin plane (sessions_iscsi.py)"
stop_target || fail "daemon did not stop cleanly"
pass "list-session (table, -v, --json, TARGET), list-target -v sessions, logout-session NEXUS and --initiator"
