# Helpers of tests/guest/in-guest/tape-vtl.sh (run-guest --file puts this
# in the share's files/): the step runner and the mt-st, mtx, tar and
# sg3-utils wrappers its steps use. Expects lib.sh sourced and RESULTS,
# STATE, BLOCKED, FAILED and W set.

# ---------------------------------------------------------------- runner
# run STEP FUNCTION: runs FUNCTION in a subshell with -e and an ERR trap;
# 0 pass (its last "NOTE:" line, if any, is the note), 77 skip (its last
# "SKIP:" line is the note), else fail (its first "FAIL" line).
run() {
  local name=$1 fn=$2 rc log=/tmp/step-$1.log
  step "$name"
  if [[ -n $BLOCKED ]]; then
    note "not run: $BLOCKED"
    printf '%s\tskip\tnot run: %s\n' "$name" "$BLOCKED" >> "$RESULTS"
    return
  fi
  (
    set -eE -o pipefail
    trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (status $?)"' ERR
    source "$STATE"
    "$fn"
  ) 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  local why
  case $rc in
    0) why=$(sed -n 's/^NOTE: //p' "$log" | tail -1)
       printf '%s\tpass\t%s\n' "$name" "$why" >> "$RESULTS" ;;
    77) why=$(sed -n 's/^SKIP: //p' "$log" | tail -1)
        printf '%s\tskip\t%s\n' "$name" "$why" >> "$RESULTS" ;;
    *) why=$(grep '^FAIL' "$log" | head -1 | cut -c1-160)
       [[ -n $why ]] || why=$(tail -1 "$log" | cut -c1-160)
       printf '%s\tfail\t%s\n' "$name" "$why" >> "$RESULTS"
       FAILED=1 ;;
  esac
  return "$rc"
}
# A step later steps cannot do without: its failure blocks them.
run_needed() { run "$@" || (( $? == 77 )) || BLOCKED="$1 failed"; }

# ---------------------------------------------------------------- helpers
# step_note TEXT: the note the table shows for a step that passed.
step_note() { echo "NOTE: $*"; }
needs_changer() { [[ -n ${CHANGER:-} ]] || skip "the target has no medium changer (standalone drive)"; }
# mtf ARG...: mt on drive 0; a failure names the mt command and its error.
mtf() {
  local rc=0
  mt -f "$NST" "$@" 2> /tmp/mt.err || rc=$?
  (( rc == 0 )) || fail "mt $* failed (status $rc): $(tr '\n' ' ' < /tmp/mt.err)"
}
# mt status fields: file, block, size (block size), flags (status bits).
mt_field() {
  local s
  s=$(mtf status)
  case $1 in
    file) sed -n 's/^File number=\(-\{0,1\}[0-9]*\),.*/\1/p' <<< "$s" ;;
    block) sed -n 's/.*block number=\(-\{0,1\}[0-9]*\).*/\1/p' <<< "$s" ;;
    size) sed -n 's/^Tape block size \([0-9]*\) bytes.*/\1/p' <<< "$s" ;;
    flags) sed -n '/^General status bits/{n;p}' <<< "$s" | sed 's/^ *//' ;;
  esac
}
want_pos() {  # WHAT FILE BLOCK
  want "$1: file number" "$2" "$(mt_field file)"
  want "$1: block number" "$3" "$(mt_field block)"
}
has_flag() { grep -qw "$1" <<< "$(mt_field flags)"; }
tell() { mtf tell | sed -n 's/^At block \([0-9]*\)\..*/\1/p'; }
manifest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
same_tree() {  # WHAT SOURCE COPY
  diff <(manifest "$2") <(manifest "$3") > /tmp/tree.diff || { cat /tmp/tree.diff; fail "$1: the trees differ"; }
  ok "$1: $(manifest "$2" | wc -l) files, sha256 identical"
}
extract() {  # ARCHIVE: extracts the file at the position and compares it
  rm -rf "$W/out$1" && mkdir -p "$W/out$1"
  tar -xf "$NST" -C "$W/out$1"
  same_tree "archive $1" "$W/src$1" "$W/out$1"
}
# mtx status: the element lines, e.g. "Storage Element 1:Full :VolumeTag=X".
mtx_status() { mtx -f "$CHANGER" status; }
element() {  # "Data Transfer Element 0" | "Storage Element 1" -> Full ...|Empty
  mtx_status | sed -n "s/^ *$1:\(.*\)/\1/p" | tr -s ' '
}
volume_tag() { sed -n 's/.*VolumeTag *= *\([^ ]*\).*/\1/p' <<< "$1"; }

# opcodes DEVICE HEX...: sg_opcodes lists each opcode (first column).
opcodes() {
  local dev=$1 out op
  shift
  out=$(sg_opcodes "$dev") || fail "sg_opcodes $dev failed"
  for op in "$@"; do
    grep -qiE "^ *$op( |$)" <<< "$out" || { echo "$out"; fail "sg_opcodes $dev: opcode $op not listed"; }
  done
  ok "sg_opcodes $dev lists $*"
}
vpd_pages() {  # DEVICE PAGE... (sg_vpd's acronyms: sv sn di ...)
  local dev=$1 out p
  shift
  out=$(sg_vpd -p sv "$dev") || fail "sg_vpd $dev failed"
  for p in "$@"; do grep -q "\[$p\]" <<< "$out" || { echo "$out"; fail "VPD page [$p] not supported on $dev"; }; done
  sg_vpd -p di "$dev" | grep -qi 'designator' || fail "no designators in VPD 0x83 of $dev"
  ok "sg_vpd $dev: pages $*, device identification"
}
# mode_pages DEVICE PAGE... (hex, two digits): sg_modes -a dumps each page
# as " 00     CODE LENGTH ..." under its name.
mode_pages() {
  local dev=$1 out p
  shift
  out=$(sg_modes -a "$dev") || fail "sg_modes $dev failed"
  for p in "$@"; do grep -qiE "^ *00 +$p " <<< "$out" || { echo "$out"; fail "sg_modes $dev: page 0x$p missing"; }; done
  ok "sg_modes $dev: pages $*"
}
