#!/usr/bin/env bash
# scripts/qualify's table and verdict (docs/qualification.md), against fake
# long forms that print QUALIFY lines: a complete long form that reaches
# every minimum passes; a lost write, a row nobody reported, a minimum not
# reached, a failing script and a script past --timeout each fail it, with
# the row marked; --quick does not check the minimums. Takes a few seconds.
#   usage: test_qualify.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
harnesses=$(find "$root/tests/fuzz" -maxdepth 1 -name 'fuzz_*.cpp' | wc -l)

# fake NAME [EXIT [SLEEP]] < QUALIFY lines: an executable long form.
fake() {
  local f="$work/$1"
  { echo '#!/usr/bin/env bash'; echo "sleep ${3:-0}"; sed 's/^/echo /'; echo "exit ${2:-0}"; } > "$f"
  chmod +x "$f"
}
# expect STATUS PATTERN DESCRIPTION QUALIFY-ARGS...: runs scripts/qualify,
# checks its exit status and that its output matches PATTERN (grep -E).
expect() {
  local want=$1 pattern=$2 what=$3 rc=0
  shift 3
  python3 "$root/scripts/qualify" "$@" > "$work/out" 2>&1 || rc=$?
  if (( rc != want )) || ! grep -Eq "$pattern" "$work/out"; then
    echo "FAIL: $what (status $rc, wanted $want; /$pattern/ $(grep -Ec "$pattern" "$work/out") times)"
    sed 's/^/    /' "$work/out"
    failures=$((failures + 1))
  else
    echo "PASS: $what"
  fi
}

fake durability <<'Q'
QUALIFY kills.data 56
QUALIFY kills.config 50
QUALIFY kills.aptpl 50
QUALIFY kills.tape 50
QUALIFY acked_writes_checked 1000
QUALIFY writes_lost 0
Q
fake faults <<'Q'
QUALIFY faults_injected.lu_execute 7
QUALIFY recoveries 7
QUALIFY acked_writes_checked 24
QUALIFY writes_lost 0
QUALIFY hangs 0
QUALIFY daemon_crashes 0
Q
fake fuzz <<Q
QUALIFY fuzz_execs 5000
QUALIFY fuzz_crashes 0
QUALIFY fuzz_harnesses $harnesses
Q
fake load <<'Q'
QUALIFY sessions_held 256
QUALIFY peak_rss_kib 2048
QUALIFY ios_verified 300
QUALIFY storm_logins 1000
QUALIFY load_errors 0
QUALIFY hangs 0
QUALIFY daemon_crashes 0
Q
good=("$work/durability" "$work/faults" "$work/fuzz" "$work/load")
expect 0 '^acknowledged writes checked +1024 ' "a complete long form qualifies; counts are summed" "${good[@]}"
expect 0 '^sessions held at once +256 +>= 256' "the minimums are shown" "${good[@]}"

fake lost <<< 'QUALIFY writes_lost 1'
expect 1 '^writes lost +1 +VIOLATED' "a lost write fails it" "${good[@]}" "$work/lost"
expect 1 '^hangs +not run +NOT RUN' "a row nobody reported fails it" "$work/durability" "$work/fuzz"
fake few <<< 'QUALIFY kills.tape 49'
sed -i 's/kills.tape 50/kills.tape 0/' "$work/durability"
expect 1 '^kills.tape +49 +TOO FEW' "49 tape kills are below the minimum" "${good[@]}" "$work/few"
expect 0 'quick form: the long form.s minimums were not checked' "--quick checks no minimum" --quick "${good[@]}" \
  "$work/few"
sed -i 's/kills.tape 0/kills.tape 50/' "$work/durability"
fake broken 3 <<< 'QUALIFY writes_lost 0'
expect 1 '1 failed: .*broken' "a failing script fails it" "${good[@]}" "$work/broken"
fake slow 0 30 <<< 'QUALIFY writes_lost 0'
expect 1 '^hangs +1 +VIOLATED' "a script past --timeout is a hang" --timeout 1 "${good[@]}" "$work/slow"

(( failures == 0 )) || { echo "FAIL [test_qualify]: $failures check(s) failed"; exit 1; }
echo "PASS [test_qualify]"
