#!/usr/bin/env bash
# libiscsi's conformance suite (iscsi-test-cu, 1.19.0) against stmfd, one
# suite at a time, scored by ../shared/scripts/cu-score (which, unlike
# CUnit, does not count skipped tests as passed). Fails when any suite has
# a failed test, hangs, runs fewer tests than it lists, or when the daemon
# is not running afterwards. See docs/libiscsi-expectations.md for what
# each iSCSI-level test demands.
# usage: test_conformance.sh <path-to-stmfd>
# env:   CU_SUITE_TIMEOUT (s, default 300) per suite,
#        CU_TOTAL_BUDGET (s, default 780) for all suites together,
#        CU_SUITES to run a subset (space-separated FAMILY.SUITE names),
#        CU_SCORE the scorer (default ../shared/scripts/cu-score next to the
#        repo; a git worktree elsewhere sets it).
source "$(dirname "$0")/lib.sh" "$1"

CU_SCORE=${CU_SCORE:-"$REPO_ROOT/../shared/scripts/cu-score"}
# In a git worktree the repository's main checkout (its common git dir's
# parent) is the one that sits next to shared/.
if [[ ! -f "$CU_SCORE" ]]; then
  common=$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  [[ -n "$common" ]] && CU_SCORE="$(dirname "$common")/../shared/scripts/cu-score"
fi
[[ -f "$CU_SCORE" ]] \
  || fail "scorer not found at $CU_SCORE (the shared/ checkout must sit next to the repo)"

SUITES=(SCSI.Inquiry SCSI.Mandatory SCSI.ModeSense6 SCSI.Read6 SCSI.Read10
        SCSI.Read12 SCSI.Read16 SCSI.ReadCapacity10 SCSI.ReadCapacity16
        SCSI.TestUnitReady SCSI.Verify10 SCSI.Verify12 SCSI.Verify16
        SCSI.Write10 SCSI.Write12 SCSI.Write16 SCSI.WriteVerify10
        SCSI.WriteVerify12 SCSI.WriteVerify16 SCSI.StartStopUnit
        SCSI.ReportSupportedOpcodes
        SCSI.CompareAndWrite SCSI.GetLBAStatus SCSI.OrWrite SCSI.Prefetch10
        SCSI.Prefetch16 SCSI.Unmap SCSI.WriteSame10 SCSI.WriteSame16
        iSCSI.iSCSIcmdsn iSCSI.iSCSIdatasn iSCSI.iSCSIResiduals iSCSI.iSCSITMF)
if [[ -n "${CU_SUITES:-}" ]]; then
  read -r -a SUITES <<< "$CU_SUITES"
fi
SUITE_TIMEOUT=${CU_SUITE_TIMEOUT:-300}
TOTAL_BUDGET=${CU_TOTAL_BUDGET:-780}

# A 1 GiB sparse file LU with 512-byte blocks: the TMF tests hard-code
# 512-byte blocks, and -d lets the write tests scribble over it.
LU_BACKING="file"
LU_BLOCK=512
LU_SIZE=$((1 << 30))
start_target

URL=$(lun_url)
LISTING="$WORK/cu-list.txt"
iscsi-test-cu --list > "$LISTING" 2>&1 || fail "iscsi-test-cu --list failed"

declare -A ROW
FAILED_NAMES=()
BAD_SUITES=()
NO_RUN_LOGS=()
start_all=$SECONDS

# iSCSIDataSnInvalid passes when CUnit saw no failed assertion and the only
# [FAILED] lines are the write helper reporting the refused WRITE10s.
datasn_rejected() {
  local logf=$1
  grep -Eq '^ +asserts +[0-9]+ +[0-9]+ +[0-9]+ +0 ' "$logf" || return 1
  local other
  other=$(grep -F '[FAILED]' "$logf" | grep -vF '[FAILED] WRITE10 command failed' || true)
  [[ -z $other ]] && grep -qF '[FAILED] WRITE10 command failed' "$logf"
}

for suite in "${SUITES[@]}"; do
  expected=$(grep -c "^${suite//./\\.}\.[^.]*\$" "$LISTING" || true)
  (( expected > 0 )) || fail "suite $suite is not in 'iscsi-test-cu --list'"
  if (( SECONDS - start_all >= TOTAL_BUDGET )); then
    ROW[$suite]="-|-|-|-|not run (budget of ${TOTAL_BUDGET}s spent)"
    BAD_SUITES+=("$suite")
    continue
  fi
  if ! daemon_alive; then
    ROW[$suite]="-|-|-|-|not run (daemon gone)"
    BAD_SUITES+=("$suite")
    continue
  fi
  logf="$WORK/cu-${suite}.log"
  t0=$SECONDS
  rc=0
  limit=$(( TOTAL_BUDGET - (SECONDS - start_all) ))
  (( limit < SUITE_TIMEOUT )) || limit=$SUITE_TIMEOUT
  timeout "$limit" iscsi-test-cu -d -v -V -t "$suite" "$URL" > "$logf" 2>&1 || rc=$?
  secs=$((SECONDS - t0))
  score=$(python3 "$CU_SCORE" --list < "$logf") || fail "cu-score failed on $logf"
  summary=$(tail -n 1 <<< "$score")
  read -r clean _ skipped _ failed _ rest <<< "${summary//,/}"
  unknown=0
  [[ $summary =~ ([0-9]+)\ unknown ]] && unknown=${BASH_REMATCH[1]}
  total=$(grep -o '[0-9]* total' <<< "$summary" | grep -o '[0-9]*')
  note="${secs}s"
  bad=0
  if (( rc == 124 )); then note="HUNG after ${secs}s"; bad=1; fi
  if (( failed > 0 || unknown > 0 )); then bad=1; fi
  if (( total < expected )); then
    note="$note, ran $total of $expected (iscsi-test-cu rc $rc)"
    bad=1
    NO_RUN_LOGS+=("$logf")
  fi
  while read -r verdict name; do
    if [[ $verdict == failed && $name == iSCSIdatasn.iSCSIDataSnInvalid ]] && datasn_rejected "$logf"; then
      # Every correct answer to a bad DataSN (Reject, CHECK CONDITION,
      # silence, dropped connection) makes libiscsi's write helper print
      # "[FAILED] WRITE10 command failed", which cu-score counts as a
      # failure. The test's own assertions are what decide it.
      failed=$((failed - 1))
      note="$note, DataSnInvalid: writes refused as required (CUnit asserts all passed)"
      continue
    fi
    [[ $verdict == failed || $verdict == unknown ]] && FAILED_NAMES+=("$verdict $name")
  done < <(head -n -1 <<< "$score")
  (( failed > 0 || unknown > 0 )) || bad=0
  if (( rc == 124 )) || (( total < expected )); then bad=1; fi
  if ! daemon_alive; then note="$note, DAEMON DIED"; bad=1; fi
  ROW[$suite]="$clean|$skipped|$failed|$expected|$note"
  (( bad )) && BAD_SUITES+=("$suite")
  log "$suite: $summary ($note)"
done

echo
printf '%-28s %6s %7s %6s %6s  %s\n' suite clean skipped failed listed notes
for suite in "${SUITES[@]}"; do
  IFS='|' read -r c s f e n <<< "${ROW[$suite]}"
  printf '%-28s %6s %7s %6s %6s  %s\n' "$suite" "$c" "$s" "$f" "$e" "$n"
done
echo

if (( ${#FAILED_NAMES[@]} )); then
  echo "Failed tests:"
  printf '  %s\n' "${FAILED_NAMES[@]}"
  echo
  # The log of each failed test, so the cause is visible in the CI output.
  for entry in "${FAILED_NAMES[@]}"; do
    name=${entry#* }                 # Suite.Test
    suite_name=${name%%.*}
    test_name=${name#*.}
    logf=""
    for f in "$WORK"/cu-*."$suite_name".log; do [[ -f $f ]] && logf=$f; done
    [[ -n "$logf" ]] || continue
    echo "----- $name ($logf) -----"
    awk -v t="$test_name" '
      on && (/^  Test: / || /^Suite: / || /^Run Summary/) {exit}
      index($0, "  Test: " t " ...") == 1 {on=1}
      on && n < 60 {print; n++}' "$logf"
  done
fi

# Suites that did not run all their tests: show how their log ends (set-up
# failures such as a refused login or a failed READ CAPACITY show up here).
for logf in "${NO_RUN_LOGS[@]}"; do
  echo "----- last lines of $logf -----"
  tail -n 25 "$logf"
done

require_alive "after all iscsi-test-cu suites"
if (( ${#BAD_SUITES[@]} )); then
  fail "suites with failures, hangs or missing tests: ${BAD_SUITES[*]}"
fi
pass "${#SUITES[@]} iscsi-test-cu suites without failures"
