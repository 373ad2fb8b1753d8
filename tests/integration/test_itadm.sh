#!/usr/bin/env bash
# itadm's verbs through the real binaries against a real daemon (issue 6):
# create-tpg on a new port and create-target on it serve at once while a
# session on the existing target keeps doing writes and reads with no
# error; CHAP by initiator record refuses a bad secret and takes the good
# one; discovery CHAP (modify-defaults -D); offline-target / online-target;
# delete-target refused with sessions unless -f; everything holds after a
# restart and after kill -9 right after a change; each bad input (invalid
# IQN/EUI, duplicate target, unknown TPG, a portal not local or already in
# use, a CHAP secret outside 12..16 bytes, deleting a TPG a target uses)
# refused with its exit code and a clear message, the config file unchanged.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/admin_lib.sh"

T2="iqn.2026-11.org.stmfd:itadm-two"
HOST="iqn.2026-11.org.example:itadm-host"
OTHER="iqn.2026-11.org.example:itadm-other"
SECRET="goodsecret1234"
PORT2=$(free_port)
T=30

write_config() {
  [[ -f $CONFIG_PATH ]] && return
  cat > "$CONFIG_PATH" <<JSON
{ "dataDir": "$WORK/data",
  "targets": [ { "name": "$TARGET_IQN", "portals": ["127.0.0.1:$PORT"],
                 "luns": [ { "lun": 0, "logicalUnit": "base" } ] } ],
  "logicalUnits": [ { "name": "base", "backing": "ram", "sizeBytes": 16777216 },
                    { "name": "lu2", "backing": "ram", "sizeBytes": 8388608 } ] }
JSON
}

config_hash() { sha256sum "$CONFIG_PATH"; }
refused() { refused_keeping config_hash "$@"; }
restart() {  # [kill9]
  if [[ ${1:-} == kill9 ]]; then
    kill -KILL "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=""
  else
    stop_target || fail "daemon did not stop cleanly"
  fi
  while port_listening; do sleep 0.1; done
  start_target
  for _ in $(seq 50); do adm list-hg > /dev/null 2>&1 && break; sleep 0.1; done
}
inq_ok() {  # what url [initiator]
  local out
  out=$(timeout "$T" iscsi-inq ${3:+-i "$3"} "$2" 2>&1) || fail "$1: iscsi-inq $2 failed: $out"
  grep -q 'DIRECT_ACCESS' <<< "$out" || fail "$1: no INQUIRY data from $2: $out"
  log "ok: $1"
}
inq_refused() {  # what url [initiator]
  local rc=0 out
  out=$(timeout "$T" iscsi-inq ${3:+-i "$3"} "$2" 2>&1) || rc=$?
  (( rc != 0 )) || fail "$1: iscsi-inq $2 succeeded"
  (( rc != 124 )) || fail "$1: iscsi-inq $2 hung"
  log "ok: $1 (refused)"
}
url2() { echo "iscsi://${2:+$2@}127.0.0.1:$PORT2/$T2/${1:-0}"; }
# Keeps I/O going on a session: N rounds of a 64 KiB write, its read-back
# verified, and a pause; the output is checked when it ends. The image: a
# URL, or qemu-io options naming it.
io_session() {  # outfile rounds image...
  local out=$1 rounds=$2 cmds=() i
  shift 2
  for ((i = 0; i < rounds; i++)); do
    cmds+=(-c "write -P $((i % 200 + 1)) $((i % 64 * 65536)) 64k" -c "read -P $((i % 200 + 1)) $((i % 64 * 65536)) 64k"
      -c "sleep 100")
  done
  qemu-io "${cmds[@]}" "$@" > "$out" 2>&1
}
# qemu-io options for T2 with CHAP as $HOST (qemu's iSCSI driver takes the
# initiator name and the secret as options).
t2_image() {
  echo "--object secret,id=s0,data=$SECRET --image-opts driver=iscsi,transport=tcp,portal=127.0.0.1:$PORT2,target=$T2,lun=0,user=chapuser,password-secret=s0,initiator-name=$HOST"
}

start_target
for _ in $(seq 50); do [[ -S $STMFD_ADMIN_SOCKET ]] && break; sleep 0.1; done

# --- a live session on the existing target runs I/O through every change below
io_session "$WORK/io1.txt" 150 -f raw "$(lun_url)" &
IO1=$!
sleep 1

# --- create-tpg, create-target: served at once on a new port -------------------------
"$ITADM" create-tpg tpg1 "127.0.0.1:$PORT2"
for _ in $(seq 50); do ss -Hltn "sport = :$PORT2" | grep -q . && break; sleep 0.1; done
ss -Hltn "sport = :$PORT2" | grep -q . || fail "create-tpg: nothing listens on $PORT2"
out=$("$ITADM" create-target -n "$T2" -t tpg1 -l "second target") || fail "create-target: $out"
[[ $out == *"$T2"* ]] || fail "create-target did not print the name: $out"
adm create-tg tg2
adm add-tg-member -g tg2 "$T2"
adm add-view -t tg2 -n 0 lu2
iscsi-ls -s "iscsi://127.0.0.1:$PORT2" 2>&1 | grep -q "Target:$T2" || fail "iscsi-ls does not find $T2 on $PORT2"
inq_ok "the new target answers on the new portal" "$(url2)"
gen=$("$ITADM" create-target -t tpg1) || fail "create-target without -n: $gen"
GEN=$(grep -oE 'iqn\.2026-11\.org\.stmfd:02:[0-9a-f-]{36}' <<< "$gen") || fail "no generated IQN in: $gen"
log "ok: create-target generated $GEN"
"$ITADM" list-target -v "$T2" | grep -q 'Portal Groups *: tpg1(2)' || fail "list-target -v does not show tpg1 on $T2"
"$ITADM" list-target -v "$T2" | grep -q 'Alias *: second target' || fail "list-target -v does not show the alias"
"$ITADM" list-tpg -v | grep -q "127.0.0.1:$PORT2" || fail "list-tpg -v does not list the portal"
"$ITADM" delete-target "$GEN"
"$ITADM" list-target | grep -q "$GEN" && fail "delete-target left $GEN"

# --- CHAP through initiator records -------------------------------------------------
echo "$SECRET" | "$ITADM" create-initiator -u chapuser -s "$HOST"
"$ITADM" list-initiator | grep -q "$HOST" || fail "list-initiator does not list $HOST"
"$ITADM" list-initiator | grep -q "$SECRET" && fail "list-initiator shows the secret"
grep -q "$SECRET" "$CONFIG_PATH" || fail "the secret is not in the config file"
"$ITADM" modify-target -a chap "$T2"
inq_refused "CHAP required: no credentials" "$(url2)" "$HOST"
inq_refused "CHAP: a bad secret" "$(url2 0 "chapuser%badsecret12345")" "$HOST"
inq_refused "CHAP: an initiator without a record" "$(url2 0 "chapuser%$SECRET")" "$OTHER"
inq_ok "CHAP: the good secret" "$(url2 0 "chapuser%$SECRET")" "$HOST"
inq_ok "the old target still needs no CHAP" "$(lun_url)"
printf 'newsecret12345\n' | "$ITADM" modify-initiator -s "$HOST"
inq_refused "CHAP: the old secret after modify-initiator" "$(url2 0 "chapuser%$SECRET")" "$HOST"
SECRET=newsecret12345
inq_ok "CHAP: the new secret" "$(url2 0 "chapuser%$SECRET")" "$HOST"

# --- discovery CHAP -----------------------------------------------------------------
"$ITADM" modify-defaults -D chap
"$ITADM" list-defaults | grep -qE 'none +chap' || fail "list-defaults does not show discovery chap"
rc=0; timeout "$T" iscsi-ls -i "$HOST" "iscsi://127.0.0.1:$PORT2" > "$WORK/ls.txt" 2>&1 || rc=$?
(( rc != 0 )) && ! grep -q "$T2" "$WORK/ls.txt" || fail "discovery without CHAP was answered: $(cat "$WORK/ls.txt")"
timeout "$T" iscsi-ls -i "$HOST" "iscsi://chapuser%$SECRET@127.0.0.1:$PORT2" 2>&1 | grep -q "Target:$T2" \
  || fail "discovery with the initiator's CHAP does not list $T2"
log "ok: discovery CHAP refuses no credentials and takes the record's"
"$ITADM" modify-defaults -D none

# --- bad input: refused, nothing changed ------------------------------------------------
refused 6 "an iqn name is" "$ITADM" create-target -n "iqn.bad" -t tpg1
refused 6 "an eui" "$ITADM" create-target -n "eui.12345" -t tpg1
refused 4 "already exists" "$ITADM" create-target -n "$T2" -t tpg1
refused 3 "there is no portal group 'nope'" "$ITADM" create-target -n "iqn.2026-11.org.stmfd:x" -t nope
refused 6 "not an address of this host" "$ITADM" create-tpg tpgx "192.0.2.1:3260"
refused 5 "already in portal group 'tpg1'" "$ITADM" create-tpg tpgy "127.0.0.1:$PORT2"
# Ports are picked free when used, never PORT2 + n: a neighbour test's
# client may hold any ephemeral port (CI saw PORT2 + 3 taken).
PORT_HELD=$(free_port)
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(30)' \
  "$PORT_HELD" &
HOLDER=$!
for _ in $(seq 100); do ss -Hltn "sport = :$PORT_HELD" | grep -q . && break; sleep 0.1; done
refused 5 "is in use" "$ITADM" create-tpg tpgz "127.0.0.1:$PORT_HELD"
kill "$HOLDER"; wait "$HOLDER" 2>/dev/null || true
refused 4 "already exists" "$ITADM" create-tpg tpg1 "127.0.0.1:$(free_port)"
refused 5 "is bound to portal group 'tpg1'" "$ITADM" delete-tpg tpg1
refused 6 "12 to 16 bytes" bash -c "echo short | '$ITADM' create-initiator -s $OTHER"
refused 6 "12 to 16 bytes" bash -c "echo seventeenbytes123 | '$ITADM' create-initiator -s $OTHER"
refused 4 "already has a record" bash -c "echo $SECRET | '$ITADM' create-initiator -s $HOST"
refused 3 "there is no target" "$ITADM" delete-target "iqn.2026-11.org.stmfd:none"
refused 2 "" "$ITADM" create-initiator -s  # no name

# --- restart and kill -9 keep everything --------------------------------------------------
wait "$IO1" || fail "I/O on the old target failed during the changes: $(tail -5 "$WORK/io1.txt")"
grep -qiE 'fail|error' "$WORK/io1.txt" && fail "I/O on the old target saw errors: $(grep -iE 'fail|error' "$WORK/io1.txt" | head -3)"
log "ok: the session on the old target did 150 verified write/read rounds through every change"
restart
inq_ok "after a restart: CHAP on the new target" "$(url2 0 "chapuser%$SECRET")" "$HOST"
inq_refused "after a restart: a bad secret" "$(url2 0 "chapuser%badsecret12345")" "$HOST"
PORT3=$(free_port)
"$ITADM" create-tpg tpg2 "127.0.0.1:$PORT3"
"$ITADM" modify-target -t tpg1,tpg2 "$T2"
restart kill9
inq_ok "after kill -9: the target on its second portal group" \
  "iscsi://chapuser%$SECRET@127.0.0.1:$PORT3/$T2/0" "$HOST"
# Bound to two portal groups: SendTargets gives each portal its own
# group's tag (RFC 7143 13.8), not the first group's for both.
tag_of() { "$ITADM" list-tpg | awk -v g="$1" '$1 == g { print $2 }'; }
TAG1=$(tag_of tpg1) TAG2=$(tag_of tpg2)
[[ -n $TAG1 && -n $TAG2 && $TAG1 != "$TAG2" ]] || fail "list-tpg tags: '$TAG1' '$TAG2'"
out=$(timeout "$T" iscsi-ls -i "$HOST" "iscsi://chapuser%$SECRET@127.0.0.1:$PORT2" 2>&1) || fail "iscsi-ls: $out"
[[ $out == *"127.0.0.1:$PORT2,$TAG1"* && $out == *"127.0.0.1:$PORT3,$TAG2"* ]] \
  || fail "SendTargets does not give each portal its group's tag ($TAG1, $TAG2): $out"
log "ok: SendTargets: 127.0.0.1:$PORT2,$TAG1 and 127.0.0.1:$PORT3,$TAG2"
# And a login through tpg2's portal reports tpg2's tag (list-session).
# shellcheck disable=SC2046
io_session "$WORK/io-tpg2.txt" 40 $(t2_image | sed "s/portal=127.0.0.1:$PORT2,/portal=127.0.0.1:$PORT3,/") &
IOT=$!
for _ in $(seq 50); do adm list-session -v "$T2" | grep -q "TPGT *: $TAG2" && break; sleep 0.1; done
adm list-session -v "$T2" | grep -q "TPGT *: $TAG2" \
  || fail "a login through tpg2's portal does not report tag $TAG2: $(adm list-session -v "$T2")"
kill "$IOT" 2>/dev/null || true
wait "$IOT" 2>/dev/null || true
for _ in $(seq 100); do [[ $(adm list-session --json "$T2") != *'"nexus"'* ]] && break; sleep 0.1; done
log "ok: a session through tpg2's portal is listed with TPGT $TAG2"

# --- offline-target / online-target --------------------------------------------------------
# shellcheck disable=SC2046
io_session "$WORK/io2.txt" 300 $(t2_image) &
IO2=$!
sleep 2
adm list-target -v "$T2" | grep -q 'Sessions *: 1' || fail "list-target -v does not count the session on $T2"
adm offline-target "$T2"
adm list-target -v "$T2" | grep -q 'Operational Status : Offline' || fail "list-target -v does not show $T2 offline"
# The session is asked to log out and dropped after the grace time; the
# client may keep trying to log in again (refused while offline).
for _ in $(seq 100); do adm list-target -v "$T2" | grep -q 'Sessions *: 0' && break; sleep 0.1; done
adm list-target -v "$T2" | grep -q 'Sessions *: 0' || fail "offline-target did not end the session on $T2"
kill "$IO2" 2>/dev/null || true
wait "$IO2" 2>/dev/null || true
inq_refused "offline: a login" "$(url2 0 "chapuser%$SECRET")" "$HOST"
iscsi-ls "iscsi://127.0.0.1:$PORT2" 2>&1 | grep -q "$T2" && fail "SendTargets lists the offline target"
adm online-target "$T2"
inq_ok "online again: a login" "$(url2 0 "chapuser%$SECRET")" "$HOST"

# --- delete-target with a session: refused, then -f -------------------------------------------
# shellcheck disable=SC2046
io_session "$WORK/io3.txt" 300 $(t2_image) &
IO3=$!
sleep 2
refused 5 "session" "$ITADM" delete-target "$T2"
"$ITADM" delete-target -f "$T2"
adm list-tg -v | grep -q "$T2" && fail "delete-target left $T2 in its target group"
established() { ss -Htn state established "( sport = :$PORT2 )" 2>/dev/null | grep -q .; }
for _ in $(seq 100); do ! established && break; sleep 0.1; done
established && fail "delete-target -f did not end the session"
grep -q "target $T2 removed or offline" "$DAEMON_LOG" || fail "the daemon did not ask the session to log out"
kill "$IO3" 2>/dev/null || true
wait "$IO3" 2>/dev/null || true
iscsi-ls "iscsi://127.0.0.1:$PORT2" 2>&1 | grep -q "$T2" && fail "iscsi-ls still lists the deleted target"
"$ITADM" delete-tpg tpg2
for _ in $(seq 50); do ! ss -Hltn "sport = :$PORT3" | grep -q . && break; sleep 0.1; done
ss -Hltn "sport = :$PORT3" | grep -q . && fail "delete-tpg left its portal listening"
"$ITADM" delete-initiator "$HOST"
restart
"$ITADM" list-target | grep -q "$T2" && fail "the deleted target came back after a restart"
inq_ok "the old target after everything" "$(lun_url)"
"$STMFD_BIN" --config "$CONFIG_PATH" --check > /dev/null || fail "stmfd --check refuses the rewritten config"
require_alive "after the itadm verbs"
pass "itadm verbs live: targets, portal groups, CHAP records, discovery auth, offline, delete -f, restarts"
