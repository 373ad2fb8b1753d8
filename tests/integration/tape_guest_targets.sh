# The targets of tests/integration/test_tape_guest.sh (sourced after
# lib.sh): tgt's VTL, stmfd from an example config, and the result table.

# ---------------------------------------------------------------- tgt's VTL
# start_tgt_vtl: tgtd on a free port with /usr/share/doc/tgt/README.vtl's
# library: tape drives at LUNs 1 and 2 (element addresses 1-2, both empty),
# the changer at LUN 3 (picker at 3), eight slots (4-11) holding eight
# blank 256 MiB cartridges (tgtimg) whose barcodes are their file names in
# media_home. Sets TGT_IQN, TGT_PORT; returns non-zero if tgt is missing or
# does not come up (its log: $WORK/tgtd.log).
TGT_IQN=iqn.2026-11.org.stmfd:tgt-vtl
TGT_PID=""
start_tgt_vtl() {
  command -v tgtd > /dev/null && command -v tgtimg > /dev/null || return 1
  TGT_PORT=$(free_port)
  TGT_CTL=$((TGT_PORT % 30000 + 100))
  local vtl=$WORK/tgt-vtl i bc
  mkdir -p "$vtl"
  for i in $(seq 1 8); do
    bc=$(printf 'TGT%03dL6' "$i")
    tgtimg --op new --device-type tape --barcode "$bc" --size 256 --type data --file "$vtl/$bc" \
      --thin-provisioning > /dev/null || return 1
  done
  dd if=/dev/zero of="$vtl/smc" bs=1k count=1 status=none
  log "tgt: starting tgtd (VTL) on 127.0.0.1:$TGT_PORT, control port $TGT_CTL"
  tgtd -f -C "$TGT_CTL" --iscsi "portal=127.0.0.1:$TGT_PORT" >> "$WORK/tgtd.log" 2>&1 &
  TGT_PID=$!
  local deadline=$((SECONDS + 10))
  until tgtadm -C "$TGT_CTL" --op show --mode target > /dev/null 2>&1; do
    (( SECONDS < deadline )) && kill -0 "$TGT_PID" 2> /dev/null || return 1
    sleep 0.2
  done
  local A=(tgtadm -C "$TGT_CTL" --lld iscsi) C
  {
    "${A[@]}" --op new --mode target --tid 1 -T "$TGT_IQN" &&
    for i in 1 2; do
      "${A[@]}" --op new --mode logicalunit --tid 1 --lun "$i" -b "$vtl/TGT00${i}L6" --device-type tape &&
      "${A[@]}" --op update --mode logicalunit --tid 1 --lun "$i" --params online=0 || return 1
    done &&
    "${A[@]}" --op new --mode logicalunit --tid 1 --lun 3 -b "$vtl/smc" --device-type changer &&
    C=("${A[@]}" --op update --mode logicalunit --tid 1 --lun 3 --params) &&
    "${C[@]}" "media_home=$vtl" &&
    "${C[@]}" element_type=4,start_address=1,quantity=2 &&
    "${C[@]}" element_type=4,address=1,tid=1,lun=1 &&
    "${C[@]}" element_type=4,address=2,tid=1,lun=2 &&
    "${C[@]}" element_type=1,start_address=3,quantity=1 &&
    "${C[@]}" element_type=2,start_address=4,quantity=8 &&
    for i in $(seq 1 8); do
      "${C[@]}" "element_type=2,address=$((3 + i)),barcode=$(printf 'TGT%03dL6' "$i"),sides=1" || return 1
    done &&
    "${A[@]}" --op bind --mode target --tid 1 -I ALL
  } >> "$WORK/tgtd.log" 2>&1 || { stop_tgt_vtl; return 1; }
}

# tgtd ignores SIGTERM while it has targets (scripts/bench does the same).
stop_tgt_vtl() {
  [[ -n $TGT_PID ]] || return 0
  tgtadm -C "$TGT_CTL" --op update --mode sys --name State -v offline > /dev/null 2>&1 || true
  tgtadm -C "$TGT_CTL" --lld iscsi --op delete --mode target --tid 1 --force > /dev/null 2>&1 || true
  tgtadm -C "$TGT_CTL" --op delete --mode system > /dev/null 2>&1 || true
  kill -TERM "$TGT_PID" 2> /dev/null || true
  local deadline=$((SECONDS + 5))
  while kill -0 "$TGT_PID" 2> /dev/null && (( SECONDS < deadline )); do sleep 0.2; done
  kill -KILL "$TGT_PID" 2> /dev/null || true
  wait "$TGT_PID" 2> /dev/null || true
  TGT_PID=""
}

# ---------------------------------------------------------------- stmfd
# stmfd_config_from EXAMPLE: lib.sh's write_config then writes EXAMPLE with
# its portals moved to 127.0.0.1:$PORT and dataDir to $WORK/data (kept
# across a restart). Sets TARGET_IQN (the example's first target), DRIVES
# (its "ssc" LUs) and CHANGERS (1 when it has any LU of another removable
# kind: the media changer).
stmfd_config_from() {
  EXAMPLE_CONFIG=$1
  [[ -r $EXAMPLE_CONFIG ]] || fail "no example config $EXAMPLE_CONFIG"
  TARGET_IQN=$(jq -r '.targets[0].name' "$EXAMPLE_CONFIG")
  DRIVES=$(jq '[.logicalUnits[] | select(.provider == "ssc")] | length' "$EXAMPLE_CONFIG")
  CHANGERS=$(jq '[.logicalUnits[] | select(.provider != null and .provider != "ssc" and .provider != "sbd")] | length | if . > 0 then 1 else 0 end' "$EXAMPLE_CONFIG")
  mkdir -p "$WORK/data"
  write_config() {
    jq --arg portal "127.0.0.1:$PORT" --arg data "$WORK/data" \
      '.dataDir = $data | .logLevel = "info" | .targets[].portals = [$portal]' "$EXAMPLE_CONFIG" > "$CONFIG_PATH"
  }
}

# The table: print_table in lib.sh.
