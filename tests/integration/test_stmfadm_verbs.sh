#!/usr/bin/env bash
# Every stmfadm group/view verb through the real binary against a real
# daemon (issue 6 section 5), the ones test_stmfadm.sh does not cover:
# delete-hg, remove-hg-member, create-tg / delete-tg, add-tg-member,
# remove-tg-member, list-tg -v, views through a target group seen (and not
# seen) by iscsi-ls; create-lu --thick; modify-lu (online grow, write cache,
# vendor: admin_modify.py checks the unit attentions in a live session);
# import-lu (an existing file's data served through qemu-io); and each bad input of section 2 (invalid WWN, invalid
# IQN, a LUN already taken, a backing path outside the data directory, a
# size that does not fit, unknown names): refused with the documented exit
# code and a clear message, and leaving no partial state: every listing and
# the config file are the same before and after. When the framework does not
# answer, listings and delete-target exit 1 with the reason on stderr.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/admin_lib.sh"

T1="$TARGET_IQN"
T2="iqn.2026-11.org.stmfd:second"
HOST_A="iqn.2026-11.org.example:verbs-a"
HOST_B="iqn.2026-11.org.example:verbs-b"

write_config() {
  [[ -f $CONFIG_PATH ]] && return
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK/data",
  "targets": [ { "name": "$T1", "portals": ["127.0.0.1:$PORT"] },
               { "name": "$T2", "portals": ["127.0.0.1:$PORT"] } ],
  "logicalUnits": [ { "name": "lu1", "backing": "ram", "sizeBytes": 8388608 },
                    { "name": "lu2", "backing": "ram", "sizeBytes": 8388608 } ] }
JSON
}

# Everything an admin can list, as one text: the state a refusal must keep.
state() {
  adm list-hg -v; adm list-tg -v; adm list-lu -v
  for lu in $(adm list-lu --json | python3 -c 'import json,sys; print(" ".join(l["spec"]["name"] for l in json.load(sys.stdin)["lus"]))'); do
    adm list-view -l "$lu"
  done
  cat "$CONFIG_PATH"
}
refused() { refused_keeping state "$@"; }
# LUNs of `initiator` through target `target`: "0 3".
luns_via() {
  iscsi-ls -s -i "$1" "$(portal_url)" 2>&1 | awk -v t="$2" '
    /^Target:/ { cur = $1; sub("Target:", "", cur) } /^Lun:/ && cur == t { sub("Lun:", "", $1); print $1 }' | sort -n | tr '\n' ' ' | sed 's/ $//'
}
expect() {  # initiator target expected what
  local got
  got=$(luns_via "$1" "$2")
  [[ $got == "$3" ]] || fail "$4: $1 via $2 sees '$got', expected '$3'"
  log "ok: $4 ($1 via $2: '$got')"
}

start_target
for _ in $(seq 50); do [[ -S $STMFD_ADMIN_SOCKET ]] && break; sleep 0.1; done

# --- target groups: create-tg, add-tg-member, a view through it --------------------
adm create-tg tg1
adm add-tg-member -g tg1 "$T1"
adm list-tg -v | grep -q "Member: $T1" || fail "list-tg -v does not show $T1 in tg1"
adm create-hg hg1
adm add-hg-member -g hg1 "$HOST_A" "$HOST_B"
adm add-view -h hg1 -t tg1 -n 3 lu1
expect "$HOST_A" "$T1" "3" "a view through tg1 shows LUN 3 via its member"
expect "$HOST_A" "$T2" "" "and not via a target outside tg1"
adm list-target -v | grep -A4 "Target: $T1" | grep -q "Target Group *: tg1" || fail "list-target -v does not name tg1"

# --- remove-hg-member: the removed initiator loses the view, the other keeps it ------
adm remove-hg-member -g hg1 "$HOST_B"
adm list-hg -v | grep -q "Member: $HOST_B" && fail "remove-hg-member left $HOST_B in hg1"
expect "$HOST_B" "$T1" "" "remove-hg-member: the removed initiator no longer sees LUN 3"
expect "$HOST_A" "$T1" "3" "remove-hg-member: the remaining member still does"

# --- remove-tg-member and add-tg-member move the view to the other target ----------
adm remove-tg-member -g tg1 "$T1"
expect "$HOST_A" "$T1" "" "remove-tg-member: LUN 3 is gone via $T1"
adm add-tg-member -g tg1 "$T2"
expect "$HOST_A" "$T2" "3" "add-tg-member: LUN 3 appears via $T2"

# --- bad input: each refused, nothing changes ------------------------------------------
refused 6 "wwn" adm add-hg-member -g hg1 "wwn.12345"
refused 6 "wwn" adm add-hg-member -g hg1 "wwn.500a0b0c0d0e0fzz"
refused 6 "wwn" adm add-tg-member -g tg1 "wwn.500a0b0c0d0e0f0102"
refused 6 "iqn" adm add-hg-member -g hg1 "iqn.2026-13.bad.month:x"
refused 6 "iqn" adm add-hg-member -g hg1 "iqn.nodate"
refused 6 "iqn" adm add-tg-member -g tg1 "iqn.20261-1.x:y"
refused 5 "LUN 3" adm add-view -h hg1 -t tg1 -n 3 lu2
refused 9 "outside the data directory" "$SBDADM" create-lu -s 1m ../escape.img
refused 9 "outside the data directory" "$SBDADM" create-lu -s 1m /tmp/stmfd-verbs-outside.img
refused 6 "multiple of blockSize" "$SBDADM" create-lu -s 4097 -b 4096 odd.img
refused 1 "cannot size" "$SBDADM" create-lu -s 9000000t huge.img
refused 6 "is not a size" "$SBDADM" create-lu -s 99999999999999999999 huge2.img
refused 3 "there is no target group 'nope'" adm add-tg-member -g nope "$T1"
refused 3 "there is no host group 'nope'" adm remove-hg-member -g nope "$HOST_A"
refused 3 "is not a member" adm remove-hg-member -g hg1 "$HOST_B"
refused 3 "is not a member" adm remove-tg-member -g tg1 "$T1"
refused 5 "remove that view first" adm delete-tg tg1
refused 3 "there is no target group" adm delete-tg nope
refused 3 "there is no host group" adm delete-hg nope
# sbdadm create-lu --thick: allocated in full, listed as thick, written to the config.
"$SBDADM" create-lu --thick -s 16m thick.img > /dev/null
(( $(du -k "$WORK/data/thick.img" | cut -f1) >= 16384 )) || fail "a thick LU's file is not allocated in full"
adm list-lu -v thick | grep -q "Provisioning *: Thick" || fail "list-lu -v does not report the LU thick"
grep -q '"thinProvisioning": false' "$CONFIG_PATH" || fail "the thick LU is not thick in the config"
log "ok: create-lu --thick allocated 16 MiB"
refused 1 "cannot allocate" "$SBDADM" create-lu --thick -s 15t thick-big.img
[[ ! -e $WORK/data/thick-big.img ]] || fail "a thick LU that does not fit left its file"
[[ ! -e $WORK/data/huge.img && ! -e $WORK/escape.img && ! -e /tmp/stmfd-verbs-outside.img ]] \
  || fail "a refused create-lu left a backing file"

# --- modify-lu: online grow and property changes, seen by a logged-in session -------
"$SBDADM" create-lu -s 8m grow.img > /dev/null
adm add-view -n 9 grow
STMFD_ADMIN_SOCKET=$STMFD_ADMIN_SOCKET python3 "$IT_DIR/admin_modify.py" --port "$PORT" --target "$T1" \
  --initiator "iqn.2026-11.org.example:modify" --lun 9 --sbdadm "$SBDADM" --lu grow || fail "modify-lu live (admin_modify.py)"
[[ $(stat -c %s "$WORK/data/grow.img") == 16777216 ]] || fail "modify-lu did not grow the backing file"
refused 7 "only a file LU can grow" "$SBDADM" modify-lu -s 16m lu1
refused 3 "there is no LU 'nolu'" "$SBDADM" modify-lu -s 16m nolu
refused 6 "shrinking is refused" "$SBDADM" modify-lu -s 4m grow
adm remove-view -l grow -a

# --- import-lu: an LU over an existing file, its data served as it was ---------------
python3 -c 'import sys; open(sys.argv[1], "wb").write(b"\xab" * (3 * 1048576 + 100))' "$WORK/data/old.img"
out=$("$SBDADM" import-lu old.img) || fail "import-lu: $out"
grep -qE '\b6[0-9A-F]{31}\b' <<< "$out" || fail "import-lu printed no GUID: $out"
adm list-lu -v old | grep -q "Size              : 3145728" || fail "import-lu did not take the file's size in blocks"
grep -q '"create": false' "$CONFIG_PATH" || fail "the imported LU may be recreated (no create false)"
adm add-view -n 11 old
out=$(qemu-io -f raw -c "read -P 0xab 0 1M" "iscsi://127.0.0.1:$PORT/$T1/11" 2>&1) || fail "qemu-io on the imported LU: $out"
[[ $out != *"verification failed"* && $out == *"read 1048576/1048576"* ]] || fail "the imported LU does not serve the file's data: $out"
log "ok: import-lu served the existing file's data"
ln -s /etc/hostname "$WORK/data/link.img"
echo outside > "$WORK/outside.img"
: > "$WORK/data/empty.img"
refused 4 "already exists" "$SBDADM" import-lu old.img
refused 4 "already the backing" "$SBDADM" import-lu -N old2 old.img
refused 9 "outside the data directory" "$SBDADM" import-lu link.img
refused 9 "outside the data directory" "$SBDADM" import-lu ../outside.img
refused 3 "No such file" "$SBDADM" import-lu missing.img
refused 6 "less than one 512-byte block" "$SBDADM" import-lu empty.img
adm remove-view -l old -a

# --- the framework does not answer: exit 1 and the reason, never a listing ----------
# (admin_lib.sh silent) A listing must not show LUs as Offline (or no
# targets) then, and delete-target must not go ahead without a session count.
silent 1 "$STMFADM" list-lu
silent 1 "$STMFADM" list-lu -v lu1
silent 1 "$SBDADM" list-lu
silent 1 "$STMFADM" list-target -v
silent 1 "$ITADM" list-target "$T2"
silent 1 "$STMFADM" list-tpg-alua
silent 1 "$ITADM" delete-target "$T2"
adm list-target | grep -q "$T2" || fail "delete-target went ahead without the framework's session count"
adm list-lu | grep -q "lu1 .*Online" || fail "lu1 is not listed Online once the framework answers: $(adm list-lu)"

# --- delete-tg, delete-hg once their view is gone -----------------------------------------
adm remove-view -l lu1 -a
adm delete-tg tg1
adm list-tg | grep -q "tg1" && fail "delete-tg left tg1"
adm delete-hg hg1
adm list-hg | grep -q "hg1" && fail "delete-hg left hg1"
expect "$HOST_A" "$T2" "" "with the view removed nothing is seen"
# Gone after a restart too.
stop_target || fail "daemon did not stop cleanly"
start_target
for _ in $(seq 50); do adm list-hg > /dev/null 2>&1 && break; sleep 0.1; done
[[ -z $(adm list-tg) && -z $(adm list-hg) ]] || fail "deleted groups came back after a restart"
out=$(adm list-lu -v grow)
[[ $out == *"Size              : 16777216"* && $out == *"Vendor ID         : ACME"* && $out == *"Write Cache       : Disabled"* ]] \
  || fail "modify-lu's changes did not survive a restart: $out"
log "ok: modify-lu's size, vendor and write cache hold after a restart"
pass "create-tg, add-tg-member, remove-tg-member, remove-hg-member, delete-tg, delete-hg, create-lu --thick, modify-lu, import-lu; bad input leaves no partial state"
