#!/bin/sh
# Runs inside the fresh Debian 12 guest (tests/deb/test_deb.sh copies it to
# the share as test.sh; deb-test-run starts it at boot). Checks issue 6's
# "the .deb installs and starts cleanly on a fresh Debian 12":
#   1. apt installs /mnt/share/stmfd.deb with its dependencies from the
#      Debian mirror (none are in the root beforehand);
#   2. the service is enabled and active (Type=notify: active only after
#      READY=1), its portal 127.0.0.1:3260 listens, nothing failed;
#   3. `stmfadm list-lu` with no flags reaches the daemon (default socket);
#   4. `systemctl reload stmfd` reaches the daemon (its journal shows the
#      SIGHUP) and keeps a logged-in session and the main PID
#      (hold_session.py logs in, reloads, then uses the same connection);
#   5. remove stops and disables the service and leaves the conffile;
#      purge removes /etc/stmfd and /var/lib/stmfd and leaves no unit link.
# Each check prints "PASS: ..." or "FAIL: ..."; the exit status is the
# number of failures.
set -u
fails=0
ok() { echo "PASS: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() {  # check DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}

echo "guest: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), init $(readlink -f /sbin/init)"
dpkg -s libcaf-core0.17 > /dev/null 2>&1 && bad "libcaf-core0.17 was installed before the .deb (not a fresh root)"

export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)
apt-get -q -o Acquire::Retries=3 update > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; bad "apt-get update"; }
if apt-get -q -y --no-install-recommends install /mnt/share/stmfd.deb >> /tmp/apt.log 2>&1; then
  ok "apt-get install stmfd.deb with its dependencies from the mirror ($(($(date +%s) - t0)) s)"
else
  tail -n 30 /tmp/apt.log
  bad "apt-get install stmfd.deb"
  exit "$fails"
fi
grep -E "^(Unpacking|Setting up) " /tmp/apt.log | sed 's/^/  apt: /' | head -40

check "stmfd.service is enabled" systemctl -q is-enabled stmfd.service
state=""
for _ in $(seq 1 60); do
  state=$(systemctl show -p ActiveState --value stmfd.service)
  [ "$state" = active ] && break
  sleep 1
done
check "stmfd.service is active (Type=$(systemctl show -p Type --value stmfd.service), ready)" [ "$state" = active ]
check "no failed units" [ -z "$(systemctl list-units --state=failed --no-legend)" ]
check "the portal 127.0.0.1:3260 listens" sh -c 'ss -Hltn "sport = :3260" | grep -q .'
pid=$(systemctl show -p MainPID --value stmfd.service)

if out=$(stmfadm list-lu 2>&1); then
  ok "stmfadm list-lu with no flags: $(echo "$out" | tr '\n' ' ' | cut -c1-160)"
else
  bad "stmfadm list-lu with no flags: $out"
fi

if python3 /mnt/share/hold_session.py; then
  ok "systemctl reload kept the logged-in session"
else
  bad "systemctl reload did not keep the session"
  journalctl -q --no-pager -n 30 -u stmfd.service | sed 's/^/  journal: /'
fi
check "the daemon got the SIGHUP (journal: re-reading its config)" \
  sh -c 'journalctl -q --no-pager -u stmfd.service | grep -q "SIGHUP: re-reading"'
check "same main PID after the reload ($pid)" [ "$(systemctl show -p MainPID --value stmfd.service)" = "$pid" ]
check "still active after the reload" systemctl -q is-active stmfd.service

apt-get -q -y remove stmfd >> /tmp/apt.log 2>&1 || bad "apt-get remove stmfd"
check "remove: the daemon is gone" sh -c "! kill -0 $pid 2> /dev/null"
check "remove: /usr/sbin/stmfd is gone" [ ! -e /usr/sbin/stmfd ]
check "remove: the unit is no longer enabled" [ ! -e /etc/systemd/system/multi-user.target.wants/stmfd.service ]
check "remove: the conffile /etc/stmfd/stmfd.json stays" [ -f /etc/stmfd/stmfd.json ]
apt-get -q -y purge stmfd >> /tmp/apt.log 2>&1 || bad "apt-get purge stmfd"
check "purge: /etc/stmfd is gone" [ ! -e /etc/stmfd ]
check "purge: /var/lib/stmfd is gone" [ ! -e /var/lib/stmfd ]
check "purge: dpkg knows no stmfd" sh -c '! dpkg -s stmfd > /dev/null 2>&1'
check "purge: no failed units" [ -z "$(systemctl list-units --state=failed --no-legend)" ]
echo "guest: $fails failure(s)"
exit "$fails"
