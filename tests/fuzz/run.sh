#!/usr/bin/env bash
# Runs one libFuzzer harness: first every seed of its corpus once, then
# fuzzing for a while from that corpus (new inputs go to a work folder, the
# repository's corpus is never written).
#   run.sh BINARY CORPUS SECONDS [WORKDIR]
# Prints "fuzz <name>: <executions> executions, <findings> findings" and exits
# non-zero on a finding (crash, leak, UB, timeout, out of memory; its input is
# saved under WORKDIR/findings/); exits 77 (skipped) when BINARY was not built
# (scripts/build Fuzz).
set -uo pipefail
bin=$1 corpus=$2 seconds=$3
work=${4:-$(mktemp -d)}
name=$(basename "$bin")
name=${name#fuzz_}
[[ -x $bin ]] || { echo "fuzz $name: $bin not built (scripts/build Fuzz): skipped"; exit 77; }
mkdir -p "$work/corpus" "$work/findings"
log="$work/$name.log"
# -timeout: one input running this long is a hang; -rss_limit_mb bounds
# memory (the harnesses need far less); leaks are findings (ASan's LSan).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
opts=(-timeout=25 -rss_limit_mb=2048 -artifact_prefix="$work/findings/$name-" -print_final_stats=1)
"$bin" "${opts[@]}" -runs=0 "$corpus" >"$log" 2>&1
status=$?
if ((status == 0)); then
  "$bin" "${opts[@]}" -max_total_time="$seconds" "$work/corpus" "$corpus" >>"$log" 2>&1
  status=$?
fi
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
findings=$(find "$work/findings" -type f -name "$name-*" | wc -l)
if ((status != 0 && findings == 0)); then findings=1; fi
echo "fuzz $name: $execs executions, $findings findings"
if ((status != 0)); then
  grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ 0x' "$log" | head -40
  echo "fuzz $name: log $log, inputs in $work/findings"
fi
exit "$status"
