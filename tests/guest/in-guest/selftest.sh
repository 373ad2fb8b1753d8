#!/bin/bash
# Checks the harness's contract from inside the guest (see ../README.md):
#     tests/guest/run-guest [--tap IFNAME] tests/guest/in-guest/selftest.sh [ARG...]
# Optional environment: SELFTEST_TCP_PORT, a port listening on the host's
# 127.0.0.1 that the guest must reach at $STMFD_HOST.
source "$STMFD_GUEST_LIB"

step "guest $(uname -r), $(nproc) vCPUs, $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB"
note "arguments ($#): $(printf '[%s] ' "$@")"
[[ -d $STMFD_GUEST_OUT && -r $STMFD_GUEST_SHARE/test.sh ]] || fail "the share is not mounted at $STMFD_GUEST_SHARE"
date -u > "$STMFD_GUEST_OUT/selftest.txt"
ok "share at $STMFD_GUEST_SHARE, out dir writable"

want "user NIC address" "10.0.2.15/24" "$(ip -o -4 addr show dev "$STMFD_GUEST_NET_IF" | awk '{print $4}')"
ip route get "$STMFD_HOST" > /dev/null || fail "no route to the host $STMFD_HOST"
if ip route get 192.0.2.1 > /dev/null 2>&1; then fail "the guest has a route beyond 10.0.2.0/24"; fi
ok "$STMFD_GUEST_NET_IF reaches $STMFD_HOST and nothing beyond 10.0.2.0/24"
if [[ -n ${SELFTEST_TCP_PORT:-} ]]; then
  timeout 10 bash -c "exec 3<> /dev/tcp/$STMFD_HOST/$SELFTEST_TCP_PORT" || fail "cannot connect to $STMFD_HOST:$SELFTEST_TCP_PORT"
  ok "TCP connect to $STMFD_HOST:$SELFTEST_TCP_PORT (the host's 127.0.0.1)"
fi

if [[ -n $STMFD_GUEST_TAP_IF ]]; then
  want "tap NIC MAC" "${STMFD_GUEST_TAP_MAC,,}" "$(< "/sys/class/net/$STMFD_GUEST_TAP_IF/address")"
  wait_until 10 "$STMFD_GUEST_TAP_IF carrier" grep -qx 1 "/sys/class/net/$STMFD_GUEST_TAP_IF/carrier"
  ok "tap NIC $STMFD_GUEST_TAP_IF is up"
fi

for tool in iscsiadm sg_inq sg_readcap lsscsi mt mtx fio fcoeadm mkfs.ext4 sha256sum; do
  command -v "$tool" > /dev/null || fail "$tool is missing"
done
ok "tools: iscsiadm sg3-utils lsscsi mt mtx fio fcoeadm e2fsprogs"
for mod in iscsi_tcp sd_mod sg st ch fcoe libfc tcm_fc target_core_mod 9p; do
  modinfo -n "$mod" > /dev/null 2>&1 || fail "kernel module $mod is missing"
done
ok "modules: iscsi_tcp sd_mod sg st ch fcoe libfc tcm_fc target_core_mod 9p"
echo "self-test passed"
