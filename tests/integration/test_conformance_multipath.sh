#!/usr/bin/env bash
# The whole libiscsi suite (iscsi-test-cu -d -S -v -t ALL URL URL2, URL2 a
# second portal to the same LU) against every LU kind, through
# scripts/conformance, which prints the table. Fails when a test fails
# against any kind (beyond the reasoned list in conformance_known.txt) or
# when fewer tests than the floors pass cleanly: against the README's default
# LU kind (file512), and against at least one kind (the issue's goal is all
# 230 there). Each floor is what passes now, so it only moves up.
# usage: test_conformance_multipath.sh <path-to-stmfd>
source "$(dirname "$0")/lib.sh" "$1"

FLOOR=${CU_CLEAN_FLOOR:-213}
ANY_FLOOR=${CU_ANY_CLEAN_FLOOR:-227}
out="$WORK/conformance.txt"
rc=0
STMFD="$STMFD_BIN" timeout 1500 bash "$REPO_ROOT/scripts/conformance" > "$out" 2>&1 || rc=$?
cat "$out"
(( rc != 124 )) || fail "scripts/conformance did not finish in 1500 s"
(( rc == 0 )) || fail "scripts/conformance: a test failed that is not in conformance_known.txt (exit $rc)"
clean=$(awk '$1 == "file512" { print $2 }' "$out")
[[ -n $clean ]] || fail "no file512 row in the table"
(( clean >= FLOOR )) || fail "file512: $clean tests clean, fewer than the floor of $FLOOR"
any=$(awk '$1 == "any" && $2 == "kind" { print $3 }' "$out")
[[ -n $any ]] || fail "no 'any kind' row in the table"
(( any >= ANY_FLOOR )) || fail "$any tests clean against at least one kind, fewer than the floor of $ANY_FLOOR"
pass "every LU kind without unexpected failures; file512 $clean clean (floor $FLOOR), $any clean against some kind (floor $ANY_FLOOR)"
