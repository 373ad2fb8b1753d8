# The reference peer of test_fcoe_guest.sh (sourced by it after lib.sh):
# Linux's own FCoE target, LIO tcm_fc, in a second guest, checked by the
# same initiator guest script (tests/guest/in-guest/fcoe-disk.sh) that
# checks stmfd. The two guests share one Ethernet segment through QEMU's
# socket netdev (run-guest --l2-socket): the target guest listens on a free
# loopback TCP port, the initiator guest connects to it; no host device.
#
#   target guest     tests/guest/in-guest/tcm-fc-target.sh, MAC
#                    52:54:00:fc:00:02 (WWPN 20:00:52:54:00:fc:00:02), a
#                    fileio backstore on its /dev/vdb = $WORK/peer-disk.img
#                    (sparse, LU_SIZE bytes), an ACL for the initiator;
#   initiator guest  fcoe-disk.sh as against stmfd, MAC 52:54:00:fc:00:01.
#
# Both guests boot at once (the boots overlap: about 30 s less than one
# after the other); the initiator guest starts as soon as the target's QEMU
# listens on the socket, and waits up to STMFD_RPORT_WAIT (240 s here) for
# the target's remote port, which appears once the target guest has set up
# LIO and its FCoE port. The reference's fio run is smaller
# (STMFD_FCOE_PEER_FIO_MIB, default 8): it is shown, never judged. When
# the initiator guest ends the host creates the target's out/stop and
# waits for it to tear down.
# Then, as for stmfd, the backing file must hold what the initiator wrote.
# Results: $WORK/tcm_fc/share/out/steps.tsv (the initiator's steps plus the
# host's "target" and "backing" rows) for print_table.

PEER_TARGET_MAC=52:54:00:fc:00:02
PEER_TARGET_WWPN=20:00:52:54:00:fc:00:02
PEER_INITIATOR_WWPN=20:00:52:54:00:fc:00:01   # run-guest's default tap MAC

# run_tcm_fc_peer: one target + initiator run; sets PEER_RC (0: every step
# passed) and never fails the test itself (the caller decides).
run_tcm_fc_peer() {
  local tdir=$WORK/tcm_fc-target idir=$WORK/tcm_fc port disk=$WORK/peer-disk.img
  local tpid deadline start=$SECONDS rc=0 steps
  PEER_RC=1
  port=$(free_port)
  rm -f "$disk"
  truncate -s "$LU_SIZE" "$disk"
  log "tcm_fc: booting the target guest (LIO tcm_fc, fileio on $disk, L2 socket listen on 127.0.0.1:$port)"
  "$GUEST_DIR/run-guest" --out "$tdir" --timeout "$((GUEST_TIMEOUT + 300))" --smp 1 \
    --l2-socket "listen=127.0.0.1:$port" --tap-mac "$PEER_TARGET_MAC" \
    --qemu-arg -drive --qemu-arg "file=$disk,format=raw,if=virtio,cache=writeback" \
    --env STMFD_INITIATOR_WWPN="$PEER_INITIATOR_WWPN" --env STMFD_LU_SIZE="$LU_SIZE" \
    --env STMFD_SERIAL="$PEER_SERIAL" --env STMFD_MTU="$MTU" \
    "$GUEST_DIR/in-guest/tcm-fc-target.sh" > >(sed -u 's/^/[tcm_fc target] /') 2>&1 &
  tpid=$!
  mkdir -p "$idir/share/out"
  steps=$idir/share/out/steps.tsv
  # The initiator's QEMU connects to the target's: wait until it listens.
  deadline=$((SECONDS + 60))
  until ss -Hltn "sport = :$port" 2> /dev/null | grep -q .; do
    if ! kill -0 "$tpid" 2> /dev/null || (( SECONDS >= deadline )); then
      kill "$tpid" 2> /dev/null || true
      wait "$tpid" 2> /dev/null || true
      log "tcm_fc: the target guest's QEMU never listened on 127.0.0.1:$port (logs: $tdir)"
      printf 'target\tfail\tthe tcm_fc target guest did not start (logs: %s)\n' "$tdir" > "$steps"
      return 0
    fi
    sleep 0.2
  done
  log "tcm_fc: booting the initiator guest alongside (L2 socket connect to 127.0.0.1:$port)"
  "$GUEST_DIR/run-guest" --out "$idir" --timeout "$GUEST_TIMEOUT" \
    --l2-socket "connect=127.0.0.1:$port" \
    --env STMFD_WWPN="${PEER_TARGET_WWPN//:/}" --env STMFD_LU_SIZE="$LU_SIZE" --env STMFD_LU_BLOCK="$LU_BLOCK" \
    --env STMFD_VENDOR=LIO-ORG --env STMFD_PRODUCT=FILEIO --env STMFD_SERIAL="$PEER_SERIAL" \
    --env STMFD_MTU="$MTU" --env STMFD_FIO_MIB="${STMFD_FCOE_PEER_FIO_MIB:-8}" --env STMFD_RPORT_WAIT=240 \
    "$GUEST_DIR/in-guest/fcoe-disk.sh" > >(sed -u 's/^/[tcm_fc initiator] /') 2>&1 || rc=$?
  if [[ -s $tdir/share/out/ready ]]; then
    log "tcm_fc: target $(< "$tdir/share/out/ready") was up; initiator guest finished with status $rc; stopping the target guest"
  else
    log "tcm_fc: the target guest never got ready (logs: $tdir); initiator guest status $rc"
    printf 'target\tfail\tthe tcm_fc target guest never got ready (logs: %s)\n' "$tdir" >> "$steps"
  fi
  touch "$tdir/share/out/stop"
  local trc=0
  wait "$tpid" || trc=$?
  if (( trc == 0 )); then
    printf 'target\tpass\tLIO tcm_fc served and tore down cleanly, clean dmesg\n' >> "$steps"
  else
    printf 'target\tfail\tthe tcm_fc target guest ended with status %s (logs: %s)\n' "$trc" "$tdir" >> "$steps"
  fi
  compare_backing "$disk" "$idir/share/out" >> "$steps"
  (( rc == 0 && trc == 0 )) && ! grep -qP '\tfail\t' "$steps" && PEER_RC=0
  log "tcm_fc: pair finished in $((SECONDS - start)) s"
  return 0
}

# compare_backing FILE OUT_DIR: prints one steps.tsv row "backing": whether
# FILE holds, at each offset of OUT_DIR/offsets.txt, the pattern the guest
# wrote there.
compare_backing() {
  local file=$1 out=$2 n=0 off size name
  if [[ ! -s $out/offsets.txt ]]; then
    printf 'backing\tfail\tthe guest left no offsets.txt\n'
    return 0
  fi
  while read -r off size name; do
    if ! cmp -s <(dd if="$file" bs=512 skip=$((off / 512)) count=$((size / 512)) status=none) "$out/$name"; then
      printf 'backing\tfail\tthe backing file'"'"'s %s bytes at %s differ from %s\n' "$size" "$off" "$name"
      return 0
    fi
    n=$((n + 1))
  done < "$out/offsets.txt"
  printf 'backing\tpass\tthe backing file holds the guest'"'"'s %s regions byte for byte\n' "$n"
}
