#!/usr/bin/env bash
# Tape libraries through stmfadm against a real daemon (issue 8 section 3,
# issue 6's admin plane): create-library, create-tape-drive (library and
# standalone), create-cartridge into a slot and the import/export element
# (the logged-in changer session gets 28h/01h and sees it; EXCHANGE
# MEDIUM), list-library -v, list-cartridge (--json), export-cartridge and
# import-cartridge round trip, set-write-protect (a drive then answers DATA
# PROTECT), every bad input refused with its exit code and nothing changed,
# deleting a drive or library that holds a cartridge refused unless forced;
# a restart and a kill -9 right after a change keep it all, and the data
# written through the library reads back (library_admin_iscsi.py); with the
# framework silent, list-library/list-cartridge fail (exit 1, the reason)
# and the deletes that need the drives' state are refused.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/admin_lib.sh"

write_config() {
  [[ -f $CONFIG_PATH ]] && return
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK/data",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"] } ],
  "logicalUnits": [ { "name": "disk", "backing": "ram", "sizeBytes": 8388608 } ] }
JSON
}

state() { adm list-library -v; adm list-cartridge; adm list-lu; cat "$CONFIG_PATH"; }
refused() { refused_keeping state "$@"; }
LIB=(python3 "$IT_DIR/library_admin_iscsi.py" --port "$PORT" --target "$TARGET_IQN")
run_lib() {
  timeout 90 "${LIB[@]}" "$@" | sed 's/^/    /'
  (( PIPESTATUS[0] == 0 )) || fail "library_admin_iscsi.py $1 failed"
}
# The location list-cartridge --json gives a barcode.
where() {
  adm list-cartridge --json | python3 -c '
import json, sys
for c in json.load(sys.stdin)["cartridges"]:
    if c["barcode"] == sys.argv[1]: print(c["location"])' "$1"
}
wait_socket() { for _ in $(seq 50); do [[ -S $STMFD_ADMIN_SOCKET ]] && break; sleep 0.1; done; }

mkdir -p "$WORK/data"
start_target
wait_socket

# --- build a library -----------------------------------------------------------
adm create-library vtl --slots 4 --ie 1
adm create-tape-drive -N vtl-drive0 -l vtl >/dev/null
adm create-tape-drive -N vtl-drive1 -l vtl >/dev/null
adm create-cartridge -l vtl -s 16m A00001L6
adm create-cartridge -l vtl -s 16m --slot 3 A00002L6
[[ -s $WORK/data/vtl/A00002L6.cart ]] || fail "create-cartridge made no file"
adm add-view -n 0 vtl-changer
adm add-view -n 1 vtl-drive0
adm add-view -n 2 vtl-drive1
adm list-library -v | sed 's/^/    /'
adm list-library -v | grep -Eq 'slot 3 +1002h +A00002L6' || fail "list-library -v does not show A00002L6 in slot 3"
adm list-library -v | grep -Eq 'drive 2 +0101h +- +- +vtl-drive1' || fail "list-library -v does not show drive 2"
adm list-library --json | python3 -c 'import json,sys; l=json.load(sys.stdin)["libraries"][0]; assert l["name"]=="vtl" and l["online"] and len(l["elements"])==1+1+2+4, l' \
  || fail "list-library --json"
[[ $(where A00001L6) == "slot 1" ]] || fail "A00001L6 is at '$(where A00001L6)', not slot 1"
adm list-lu -v vtl-drive0 >/dev/null || fail "list-lu does not know the drive"
log "ok: library vtl with two drives, two cartridges, views at LUNs 0-2"

# --- the framework does not answer: exit 1 and the reason, never a library shown empty ---
silent 1 adm list-library -v
silent 1 adm list-library vtl
silent 1 adm list-cartridge
silent 1 adm delete-library vtl  # what its drives hold is unknown: not without force
adm list-library | grep -q "vtl .*Online" || fail "vtl is not listed Online once the framework answers: $(adm list-library)"

# --- a session: element status, a tape written, a cartridge into the mail slot ----
run_lib first -- "$STMFADM" create-cartridge -l vtl -s 16m --ie 1 A00003L6
[[ $(where A00003L6) == "slot 3" && $(where A00002L6) == "slot 2" ]] || fail "the exchange is not in list-cartridge"

# --- bad input: refused, nothing changed --------------------------------------------
refused 3 "no library 'nope'" adm create-cartridge -l nope A00009L6
refused 4 "already in library" adm create-cartridge -l vtl A00001L6
refused 6 "barcode" adm create-cartridge -l vtl 'BAD/CODE'
refused 6 "out of range" adm create-cartridge -l vtl --slot 9 A00009L6
refused 5 "already holds 'A00001L6'" adm create-cartridge -l vtl --slot 1 A00009L6
refused 6 "sizeBytes" adm create-cartridge -l vtl -s 1k A00009L6
refused 4 "already exists" adm create-library vtl --slots 2
refused 6 "slots" adm create-library other --slots 0
refused 3 "no library" adm create-tape-drive -N d9 -l nope
refused 3 "no library holds" adm export-cartridge NOPE
head -c 4096 /dev/urandom > "$WORK/data/junk.bin"
refused 6 "not a cartridge" adm import-cartridge -l vtl junk.bin
cp "$CONFIG_PATH" "$WORK/outside.json"
refused 9 "outside the data directory" adm import-cartridge -l vtl ../outside.json

# --- a cartridge in a drive: export, write protect, deleting its drive refused -------
run_lib load
refused 5 "loaded in drive 'vtl-drive0'" adm export-cartridge A00001L6
refused 5 "loaded in drive" adm set-write-protect A00001L6 on
refused 5 "holds cartridge 'A00001L6'" adm delete-tape-drive vtl-drive0
refused 5 "holds cartridge" adm delete-library vtl

# --- export / import round trip, write protect ---------------------------------------
path=$(adm export-cartridge A00002L6)
[[ $path == "$WORK/data/vtl/A00002L6.cart" && -s $path ]] || fail "export-cartridge: '$path'"
[[ -z $(where A00002L6) ]] || fail "A00002L6 is still listed after the export"
[[ $(adm import-cartridge -l vtl vtl/A00002L6.cart) == A00002L6 ]] || fail "import-cartridge did not read the barcode"
[[ $(where A00002L6) == "import/export 1" ]] || fail "the import is at '$(where A00002L6)'"
refused 4 "already in library" adm import-cartridge -l vtl vtl/A00002L6.cart
adm set-write-protect A00002L6 on
adm list-cartridge --json | python3 -c 'import json,sys; c=[c for c in json.load(sys.stdin)["cartridges"] if c["barcode"]=="A00002L6"][0]; assert c["writeProtect"] and int(c["capacityBytes"])==16777216, c' \
  || fail "list-cartridge does not show A00002L6 write-protected"
log "ok: export, import into the mail slot, write protect"

# --- restart, then kill -9 right after a change ----------------------------------------
restart_target
wait_socket
[[ $(where A00001L6) == "slot 1" ]] || fail "after the restart A00001L6 is at '$(where A00001L6)' (its drive restarts empty)"
adm create-cartridge -l vtl -s 16m --slot 4 A00004L6
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
for _ in $(seq 50); do port_listening || break; sleep 0.1; done
start_target
wait_socket
[[ $(where A00004L6) == "slot 4" ]] || fail "after kill -9 A00004L6 is at '$(where A00004L6)'"
run_lib after

# --- kill -9 between the changer's map write and the config write ------------------------
# The library_commit fault point holds an export there; the restart must come
# back with the old config and the map that matches it: every cartridge where
# it was (the exported one too), the config and the listing agreeing.
locations() { adm list-cartridge --json | python3 -c '
import json, sys
for c in sorted(json.load(sys.stdin)["cartridges"], key=lambda c: c["barcode"]): print(c["barcode"], c["location"])'; }
before=$(locations)
log "cartridges before: $(echo $before)"
victim=$(echo "$before" | grep -v ' drive ' | tail -1 | cut -d' ' -f1)
adm inject-fault library_commit --action stall --delay-ms 8000 > /dev/null || fail "inject-fault library_commit"
adm export-cartridge "$victim" > /dev/null 2>&1 &
export_pid=$!
sleep 2  # the export is held in the window (8 s)
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
wait "$export_pid" 2>/dev/null || true
DAEMON_PID=""
# The changer had written the map of the new definition (beside the old one).
(( $(grep -c '^map ' "$WORK/data/vtl-changer.state") == 2 )) \
  || fail "the kill did not fall between the changer's map write and the config write"
for _ in $(seq 50); do port_listening || break; sleep 0.1; done
start_target
wait_socket
after=$(locations)
[[ "$after" == "$before" ]] || fail "kill -9 between the map and config writes moved cartridges:
before:
$before
after:
$after"
grep -q "\"$victim\"" "$CONFIG_PATH" || fail "the config lost $victim"
run_lib after
log "ok: kill -9 between the map write and the config write ($victim stays where it was: $(where "$victim"))"

# --- deleting: a standalone drive, a forced library drive, the library -----------------
adm create-tape-drive -N solo -s 4m --barcode SOLO01 solo.cart >/dev/null
for _ in $(seq 50); do [[ -s $WORK/data/solo.cart ]] && break; sleep 0.1; done
[[ -s $WORK/data/solo.cart ]] || fail "the standalone drive's cartridge was not created"
refused 5 "cartridge loaded" adm delete-tape-drive solo
silent 1 adm delete-tape-drive solo  # whether it is loaded is unknown: not without force
adm delete-tape-drive --force solo
run_lib load
# The changer alone offline and online (issue 8 defect): drive 0 keeps its
# cartridge and the changer's map shows it there, its slot empty.
adm offline-lu vtl-changer
adm online-lu vtl-changer
[[ $(where A00001L6) == "drive vtl-drive0" ]] \
  || fail "after the changer's offline/online A00001L6 is at '$(where A00001L6)', not drive vtl-drive0"
log "ok: the changer restarted alone keeps drive 0 loaded"
adm delete-tape-drive --force vtl-drive0
[[ $(where A00001L6) == "slot 1" ]] || fail "the forced delete did not send A00001L6 home"
adm delete-library vtl
adm list-library | grep -q vtl && fail "the library is still listed"
[[ -s $WORK/data/vtl/A00001L6.cart ]] || fail "delete-library removed a cartridge file"
restart_target
wait_socket
[[ -z $(adm list-library --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["libraries"])' | tr -d '[]') ]] \
  || fail "the library came back after the restart"
pass "library admin: create, list -v, cartridges into slots and the mail slot (28h/01h), exchange, export/import, write protect, refusals, restart and kill -9"
